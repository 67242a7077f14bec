//! The fast path of the parser: the document's large sections parsed on separate threads.
//!
//! A plan's bulk is three sections: `planned_values` (or a state's `values`),
//! `prior_state` and `resource_changes`. serde reads a document front to back on one
//! thread; here the top-level object is read by hand, and when a large `planned_values` or
//! `prior_state` comes by, its bytes are only skipped over (a syntax check, much cheaper
//! than building anything) and handed to a new thread, while this one goes on with
//! `resource_changes`. The result is the same [`PlanDto`] the derived, single-threaded
//! parse gives.
//!
//! This path does not explain errors: on any failure the caller parses the document again
//! with the derived implementation, whose errors name the JSON path.

use std::borrow::Cow;
use std::fmt;
use std::thread::{Scope, ScopedJoinHandle};

use serde::de::{Error as _, IgnoredAny, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};
use serde_json::value::RawValue;

use super::dto::{IgnoredArray, IgnoredObject, PlanDto, StateDto, ValuesDto};
use super::json::Transient;

/// Sections smaller than this are parsed in place: a thread costs more than it saves.
const SPAWN_BYTES: usize = 1 << 20;

/// Parses a whole document, or fails (for any reason: the caller then parses it again to
/// say why).
pub fn parse(bytes: &[u8]) -> Option<PlanDto<'static>> {
    std::thread::scope(|scope| {
        let mut de = serde_json::Deserializer::from_slice(bytes);
        let top = de.deserialize_map(Top { scope }).ok()?;
        de.end().ok()?;
        top.finish()
    })
}

/// A section parsed now, or on a thread.
enum Part<'s, T> {
    Done(T),
    Running(ScopedJoinHandle<'s, Result<T, serde_json::Error>>),
}

impl<T> Part<'_, T> {
    fn join(self) -> Option<T> {
        match self {
            Part::Done(v) => Some(v),
            Part::Running(h) => h.join().ok()?.ok(),
        }
    }
}

/// Parses `raw` as a `T`, on a thread of `scope` when it is large.
fn part<'s, 'a: 's, T>(scope: &'s Scope<'s, '_>, raw: &'a RawValue) -> Result<Part<'s, T>, String>
where
    T: Deserialize<'a> + Send + 's,
{
    let text: &'a str = raw.get();
    let inline = || {
        serde_json::from_str(text)
            .map(Part::Done)
            .map_err(|e| e.to_string())
    };
    if text.len() < SPAWN_BYTES {
        return inline();
    }
    // A thread the system refuses to start is not an error: the section is parsed here.
    match std::thread::Builder::new().spawn_scoped(scope, move || serde_json::from_str(text)) {
        Ok(handle) => Ok(Part::Running(handle)),
        Err(_) => inline(),
    }
}

/// The top-level object, with the large sections possibly still being parsed.
#[derive(Default)]
struct Parts<'s, 'a> {
    dto: PlanDto<'a>,
    values: Option<Part<'s, ValuesDto<'a>>>,
    planned_values: Option<Part<'s, ValuesDto<'a>>>,
    prior_state: Option<Part<'s, StateDto<'a>>>,
}

impl<'a> Parts<'_, 'a> {
    fn finish(self) -> Option<PlanDto<'a>> {
        let mut dto = self.dto;
        if let Some(p) = self.values {
            dto.values = Some(p.join()?);
        }
        if let Some(p) = self.planned_values {
            dto.planned_values = Some(p.join()?);
        }
        if let Some(p) = self.prior_state {
            dto.prior_state = Some(p.join()?);
        }
        Some(dto)
    }
}

impl<T> Default for Part<'_, T>
where
    T: Default,
{
    fn default() -> Self {
        Part::Done(T::default())
    }
}

struct Top<'s, 'e> {
    scope: &'s Scope<'s, 'e>,
}

impl<'de: 's, 's, 'e> Visitor<'de> for Top<'s, 'e> {
    type Value = Parts<'s, 'static>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a `terraform show -json` document")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Parts<'s, 'static>, A::Error> {
        let mut out = Parts::default();
        let mut seen: Vec<Cow<'de, str>> = Vec::new();
        while let Some(Transient(key)) = map.next_key::<Transient<'de>>()? {
            // The derived parser rejects a repeated field; so does this one (and the caller
            // then reports it).
            if seen.contains(&key) {
                return Err(A::Error::custom("duplicate field"));
            }
            let d = &mut out.dto;
            match key.as_ref() {
                "format_version" => d.format_version = map.next_value()?,
                "terraform_version" => d.terraform_version = map.next_value()?,
                "values" => {
                    out.values = match map.next_value::<Option<&'de RawValue>>()? {
                        Some(raw) => Some(part(self.scope, raw).map_err(A::Error::custom)?),
                        None => None,
                    }
                }
                "planned_values" => {
                    out.planned_values = match map.next_value::<Option<&'de RawValue>>()? {
                        Some(raw) => Some(part(self.scope, raw).map_err(A::Error::custom)?),
                        None => None,
                    }
                }
                "prior_state" => {
                    out.prior_state = match map.next_value::<Option<&'de RawValue>>()? {
                        Some(raw) => Some(part(self.scope, raw).map_err(A::Error::custom)?),
                        None => None,
                    }
                }
                "resource_changes" => d.resource_changes = map.next_value()?,
                "resource_drift" => d.resource_drift = map.next_value()?,
                "configuration" => d.configuration = map.next_value()?,
                "variables" => d.variables = map.next_value::<Option<IgnoredObject>>()?,
                "output_changes" => d.output_changes = map.next_value::<Option<IgnoredObject>>()?,
                "relevant_attributes" => {
                    d.relevant_attributes = map.next_value::<IgnoredArray>()?
                }
                "errored" => d.errored = map.next_value()?,
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
            seen.push(key);
        }
        Ok(out)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn derived(bytes: &[u8]) -> Option<String> {
        let dto: PlanDto<'_> = serde_json::from_slice(bytes).ok()?;
        Some(format!("{dto:?}"))
    }

    fn fast(bytes: &[u8]) -> Option<String> {
        parse(bytes).map(|dto| format!("{dto:?}"))
    }

    #[test]
    fn agrees_with_the_derived_parser() {
        let big_name = "x".repeat(SPAWN_BYTES + 10);
        let docs = [
            r#"{"format_version":"1.2","planned_values":{"root_module":{"resources":[{"address":"aws_vpc.a","type":"aws_vpc","name":"a","values":{"cidr_block":"10.0.0.0/16","ignored":1}}]}},"resource_changes":[{"address":"aws_vpc.a","change":{"actions":["create"],"after_unknown":{"id":true}}}],"prior_state":null,"errored":false}"#.to_string(),
            r#"{"format_version":"1.0","values":{"root_module":{}}}"#.to_string(),
            format!(r#"{{"format_version":"1.2","planned_values":{{"root_module":{{"resources":[{{"address":"aws_vpc.a","type":"aws_vpc","name":"{big_name}","values":{{}}}}]}}}},"prior_state":{{"values":{{"root_module":{{"resources":[{{"address":"aws_vpc.a","type":"aws_vpc","name":"{big_name}","values":{{}}}}]}}}}}}}}"#),
        ];
        for doc in &docs {
            let want = derived(doc.as_bytes());
            assert!(want.is_some());
            assert_eq!(fast(doc.as_bytes()), want);
        }
    }

    #[test]
    fn fails_where_the_derived_parser_fails() {
        let big = "y".repeat(SPAWN_BYTES + 10);
        for doc in [
            r#"{"format_version":"1.2","format_version":"1.2"}"#.to_string(),
            r#"{"planned_values":{"root_module":{"resources":"no"}}}"#.to_string(),
            r#"{"errored":null}"#.to_string(),
            r#"{"format_version":"1.2"} trailing"#.to_string(),
            format!(
                r#"{{"planned_values":{{"root_module":{{"resources":[{{"address":1,"pad":"{big}"}}]}}}}}}"#
            ),
        ] {
            assert!(derived(doc.as_bytes()).is_none(), "{doc:.80}");
            assert!(fast(doc.as_bytes()).is_none(), "{doc:.80}");
        }
    }
}
