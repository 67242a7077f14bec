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

use super::dto::{IgnoredArray, IgnoredObject, PlanDto, StateDto, ValuesDto};
use super::json::Transient;

/// Sections smaller than this are parsed in place: a thread costs more than it saves.
const SPAWN_BYTES: usize = 1 << 20;

/// Parses a whole document, or fails (for any reason: the caller then parses it again to
/// say why).
pub fn parse(bytes: &[u8]) -> Option<PlanDto<'static>> {
    std::thread::scope(|scope| {
        let mut de = serde_json::Deserializer::from_slice(bytes);
        let top = de.deserialize_map(Top { scope, bytes }).ok()?;
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

/// Parses the bytes of a section as a `T` (`null` as none), on a thread of `scope` when
/// they are many.
///
/// The bytes are parsed from the slice, not through a `RawValue`: a raw value is a `str`,
/// and making one checks all of its bytes for UTF-8 on this thread before the section's
/// thread can start (100 MB of `planned_values`: a core's 0.4 G instructions). Parsed from
/// the slice, only the strings kept are checked, on the section's thread, as the derived
/// parse does.
fn part<'s, 'a: 's, T>(
    scope: &'s Scope<'s, '_>,
    text: &'a [u8],
) -> Result<Option<Part<'s, T>>, String>
where
    T: Deserialize<'a> + Send + 's,
{
    if text == b"null" {
        return Ok(None);
    }
    let inline = || {
        serde_json::from_slice(text)
            .map(|v| Some(Part::Done(v)))
            .map_err(|e| e.to_string())
    };
    if text.len() < SPAWN_BYTES {
        return inline();
    }
    // A thread the system refuses to start is not an error: the section is parsed here.
    match std::thread::Builder::new().spawn_scoped(scope, move || serde_json::from_slice(text)) {
        Ok(handle) => Ok(Some(Part::Running(handle))),
        Err(_) => inline(),
    }
}

/// A large section, skipped over, whose bytes end where the next key begins.
#[derive(Clone, Copy)]
enum Section {
    Values,
    PlannedValues,
    PriorState,
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

/// Where `k` starts in `bytes`: `None` unless it was borrowed from them (a key with
/// escapes is a copy, somewhere else in memory).
fn offset_of(bytes: &[u8], k: &str) -> Option<usize> {
    let off = (k.as_ptr() as usize).checked_sub(bytes.as_ptr() as usize)?;
    (off + k.len() <= bytes.len()).then_some(off)
}

/// The value after the key at `key_at..key_at + key_len`: past the closing quote, the
/// spaces, the colon and the spaces.
fn value_start(bytes: &[u8], key_at: usize, key_len: usize) -> Option<usize> {
    let mut i = key_at + key_len;
    if bytes.get(i) != Some(&b'"') {
        return None;
    }
    i += 1;
    while bytes.get(i).copied().is_some_and(is_space) {
        i += 1;
    }
    if bytes.get(i) != Some(&b':') {
        return None;
    }
    i += 1;
    while bytes.get(i).copied().is_some_and(is_space) {
        i += 1;
    }
    Some(i)
}

/// The end of a value that `sep` (a comma before the next key, or the closing brace of
/// the document) follows, `before` being the position just past that separator's other
/// side: the spaces and the separator are stepped back over.
fn value_end(bytes: &[u8], mut before: usize, sep: u8) -> Option<usize> {
    let at = |i: usize| i.checked_sub(1).and_then(|j| bytes.get(j)).copied();
    while at(before).is_some_and(is_space) {
        before -= 1;
    }
    if at(before) != Some(sep) {
        return None;
    }
    before -= 1;
    while at(before).is_some_and(is_space) {
        before -= 1;
    }
    Some(before)
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

struct Top<'s, 'e, 'de> {
    scope: &'s Scope<'s, 'e>,
    /// The document: the large sections are parsed from their bytes in it.
    bytes: &'de [u8],
}

impl<'s> Parts<'s, 'static> {
    /// Starts the parse of a section's bytes.
    fn start<'b: 's>(
        &mut self,
        scope: &'s Scope<'s, '_>,
        which: Section,
        text: &'b [u8],
    ) -> Result<(), String> {
        match which {
            Section::Values => self.values = part(scope, text)?,
            Section::PlannedValues => self.planned_values = part(scope, text)?,
            Section::PriorState => self.prior_state = part(scope, text)?,
        }
        Ok(())
    }
}

impl<'de: 's, 's, 'e> Visitor<'de> for Top<'s, 'e, 'de> {
    type Value = Parts<'s, 'static>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a `terraform show -json` document")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Parts<'s, 'static>, A::Error> {
        let bytes = self.bytes;
        let unplaced = || A::Error::custom("a section whose bytes could not be found");
        let mut out = Parts::default();
        let mut seen: Vec<Cow<'de, str>> = Vec::new();
        let mut pending: Option<(Section, usize)> = None;
        while let Some(Transient(key)) = map.next_key::<Transient<'de>>()? {
            // The derived parser rejects a repeated field; so does this one (and the caller
            // then reports it).
            if seen.contains(&key) {
                return Err(A::Error::custom("duplicate field"));
            }
            if let Some((which, start)) = pending.take() {
                let at = offset_of(bytes, &key).ok_or_else(unplaced)?;
                // Back over the key's opening quote, then the comma.
                let end = value_end(bytes, at.saturating_sub(1), b',').ok_or_else(unplaced)?;
                let text = bytes.get(start..end).ok_or_else(unplaced)?;
                out.start(self.scope, which, text)
                    .map_err(A::Error::custom)?;
            }
            let d = &mut out.dto;
            match key.as_ref() {
                "format_version" => d.format_version = map.next_value()?,
                "terraform_version" => d.terraform_version = map.next_value()?,
                "values" | "planned_values" | "prior_state" => {
                    let which = match key.as_ref() {
                        "values" => Section::Values,
                        "planned_values" => Section::PlannedValues,
                        _ => Section::PriorState,
                    };
                    // Only skipped over here (a syntax check); parsed from its bytes once
                    // the next key, or the end of the document, says where they end.
                    let at = offset_of(bytes, &key).ok_or_else(unplaced)?;
                    let start = value_start(bytes, at, key.len()).ok_or_else(unplaced)?;
                    map.next_value::<IgnoredAny>()?;
                    pending = Some((which, start));
                    seen.push(key);
                    continue;
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
        if let Some((which, start)) = pending {
            // The last section ends before the document's closing brace (only spaces may
            // follow it: the caller checks).
            let end = value_end(bytes, bytes.len(), b'}').ok_or_else(unplaced)?;
            let text = bytes.get(start..end).ok_or_else(unplaced)?;
            out.start(self.scope, which, text)
                .map_err(A::Error::custom)?;
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
            // Pretty-printed, a large section last, and a null one.
            format!("{{\n  \"prior_state\" :\tnull ,\n  \"planned_values\" : {{\"root_module\": {{\"resources\": [{{\"address\": \"aws_vpc.a\", \"name\": \"{big_name}\"}}]}}}}\r\n }}\n"),
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
