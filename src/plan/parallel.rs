//! The fast path of the parser: the document's large sections parsed on separate threads.
//!
//! A plan's bulk is three sections: `planned_values` (or a state's `values`),
//! `prior_state` and `resource_changes`. serde reads a document front to back on one
//! thread; here the top-level object is read by hand, key by key, and when a large
//! `planned_values` or `prior_state` comes by, its bytes are handed to a new thread at
//! once, while this one goes on with `resource_changes`. Where the section ends is found
//! by a byte scan for the key that follows it ([`guess_end`]); when that finds nothing,
//! the section is skipped over (a syntax check, cheaper than building anything, but a
//! fifth of the whole parse spent on this thread while the other waits). The large
//! sections (and `resource_changes`, `resource_drift`) are read by [`scan`], the small
//! top-level values by serde. A `prior_state` read on its own thread first waits for
//! `planned_values`, to share the attributes of the resources both write with the same
//! bytes ([`scan::Known`]). Once this thread is done with the rest, it reads the end of
//! a large value section while the section's thread reads the start ([`scan::Handoff`]),
//! `planned_values` and then `prior_state`. The result is the same [`PlanDto`] the
//! derived, single-threaded parse gives.
//!
//! This path does not explain errors: on any failure the caller parses the document again
//! with the derived implementation, whose errors name the JSON path.

use std::borrow::Cow;
use std::sync::mpsc::{channel, Sender};
use std::sync::Arc;
use std::thread::{Scope, ScopedJoinHandle};

use serde::de::IgnoredAny;
use serde::Deserialize;

use super::dto::{PlanDto, StateDto, ValuesDto};
use super::json::Transient;
use super::scan;

/// Sections smaller than this are parsed in place: a thread costs more than it saves.
const SPAWN_BYTES: usize = 1 << 20;

/// Parses a whole document, or fails (for any reason: the caller then parses it again to
/// say why).
pub fn parse(bytes: &[u8]) -> Option<PlanDto<'static>> {
    std::thread::scope(|scope| {
        let mut parts = Parts::default();
        read_top(scope, bytes, &mut parts)?;
        parts.finish()
    })
}

/// One JSON value of type `T` starting at `at`, and where it ends.
fn one<'de, T: Deserialize<'de>>(bytes: &'de [u8], at: usize) -> Option<(T, usize)> {
    let mut stream = serde_json::Deserializer::from_slice(bytes.get(at..)?).into_iter::<T>();
    let v = stream.next()?.ok()?;
    Some((v, at + stream.byte_offset()))
}

/// [`one`] into `slot`; where the value ends.
fn set<'de, T: Deserialize<'de>>(bytes: &'de [u8], at: usize, slot: &mut T) -> Option<usize> {
    let (v, end) = one(bytes, at)?;
    *slot = v;
    Some(end)
}

fn skip_space(bytes: &[u8], mut i: usize) -> usize {
    while bytes.get(i).copied().is_some_and(is_space) {
        i += 1;
    }
    i
}

/// Reads the top-level object by hand, key by key, into `out`; the large sections are
/// started on their own threads as soon as their key is read.
fn read_top<'s>(
    scope: &'s Scope<'s, '_>,
    bytes: &'s [u8],
    out: &mut Parts<'s, 'static>,
) -> Option<()> {
    let mut i = skip_space(bytes, 0);
    if bytes.get(i) != Some(&b'{') {
        return None;
    }
    i = skip_space(bytes, i + 1);
    let mut seen: Vec<Cow<'s, str>> = Vec::new();
    if bytes.get(i) == Some(&b'}') {
        i += 1;
    } else {
        loop {
            let (Transient(key), next) = one::<Transient<'s>>(bytes, i)?;
            // The derived parser rejects a repeated field; so does this one (and the caller
            // then reports it).
            if seen.contains(&key) {
                return None;
            }
            i = skip_space(bytes, next);
            if bytes.get(i) != Some(&b':') {
                return None;
            }
            i = skip_space(bytes, i + 1);
            let d = &mut out.dto;
            i = match key.as_ref() {
                "format_version" => set(bytes, i, &mut d.format_version)?,
                "terraform_version" => set(bytes, i, &mut d.terraform_version)?,
                "resource_changes" => {
                    let (v, end) = scan::changes(bytes, i)?;
                    d.resource_changes = v;
                    end
                }
                "resource_drift" => {
                    let (v, end) = scan::changes(bytes, i)?;
                    d.resource_drift = v;
                    end
                }
                "configuration" => set(bytes, i, &mut d.configuration)?,
                "variables" => set(bytes, i, &mut d.variables)?,
                "output_changes" => set(bytes, i, &mut d.output_changes)?,
                "relevant_attributes" => set(bytes, i, &mut d.relevant_attributes)?,
                "errored" => set(bytes, i, &mut d.errored)?,
                "values" | "planned_values" | "prior_state" => {
                    let which = match key.as_ref() {
                        "values" => Section::Values,
                        "planned_values" => Section::PlannedValues,
                        _ => Section::PriorState,
                    };
                    // Where the section ends: found by looking for the key that follows it
                    // (a scan much cheaper than the JSON), or else by skipping over it (a
                    // syntax check). A wrong guess cannot pass: the guessed bytes are then
                    // not one whole JSON value, the section's parse fails, and so does
                    // this path.
                    let end = match guess_end(bytes, i) {
                        Some(end) => end,
                        None => one::<IgnoredAny>(bytes, i)?.1,
                    };
                    out.start(scope, which, bytes.get(i..end)?)?;
                    end
                }
                _ => one::<IgnoredAny>(bytes, i)?.1,
            };
            seen.push(key);
            i = skip_space(bytes, i);
            match bytes.get(i) {
                Some(b',') => i = skip_space(bytes, i + 1),
                Some(b'}') => {
                    i += 1;
                    break;
                }
                _ => return None,
            }
        }
    }
    (skip_space(bytes, i) == bytes.len()).then_some(())
}

/// The top-level keys of plan and state documents (formats 0.1 to 1.2, and what later
/// terraform versions add), any of which may follow a large section.
const TOP_KEYS: &[&str] = &[
    "format_version",
    "terraform_version",
    "variables",
    "planned_values",
    "resource_drift",
    "resource_changes",
    "deferred_changes",
    "output_changes",
    "prior_state",
    "values",
    "configuration",
    "relevant_attributes",
    "checks",
    "timestamp",
    "applyable",
    "complete",
    "errored",
];

/// Where the object starting at `start` probably ends: just past the first `}` that a
/// comma and a top-level key follow (`},"resource_changes":`, as terraform writes it,
/// without spaces). A scan for three bytes and a look at what follows each: 28–36 ms over
/// the 100 MB `planned_values` of a 20,000-subnet plan, which takes 170–230 ms to skip
/// over as JSON.
/// `None` when the value is not an object or no such place is found. Only a guess: an
/// object inside the section may have such a key too (the caller's parse then fails).
fn guess_end(bytes: &[u8], start: usize) -> Option<usize> {
    if bytes.get(start) != Some(&b'{') {
        return None;
    }
    let hay = bytes.get(start..)?;
    memchr::memmem::find_iter(hay, b"},\"").find_map(|at| {
        let rest = hay.get(at + 3..)?;
        TOP_KEYS
            .iter()
            .any(|k| {
                rest.strip_prefix(k.as_bytes())
                    .is_some_and(|r| r.starts_with(b"\":"))
            })
            .then_some(start + at + 1)
    })
}

/// A section parsed now, or on a thread.
enum Part<'s, T> {
    Done(T),
    Running(ScopedJoinHandle<'s, Option<T>>),
}

impl<T> Part<'_, T> {
    fn join(self) -> Option<T> {
        match self {
            Part::Done(v) => Some(v),
            Part::Running(h) => h.join().ok()?,
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
    read: impl Fn(&[u8]) -> Option<T> + Send + Sync + 's,
) -> Option<Option<Part<'s, T>>>
where
    T: Send + 's,
{
    if text == b"null" {
        return Some(None);
    }
    if text.len() < SPAWN_BYTES {
        return read(text).map(|v| Some(Part::Done(v)));
    }
    // A thread the system refuses to start is not an error: the section is parsed here.
    let read = std::sync::Arc::new(read);
    let on_thread = std::sync::Arc::clone(&read);
    match std::thread::Builder::new().spawn_scoped(scope, move || on_thread(text)) {
        Ok(handle) => Some(Some(Part::Running(handle))),
        Err(_) => read(text).map(|v| Some(Part::Done(v))),
    }
}

/// A value section (`planned_values`, a state's `values`) being read, and what this
/// thread needs to offer help with its end ([`scan::Handoff`]).
struct ValuesPart<'s> {
    part: Part<'s, scan::ValuesRead>,
    text: &'s [u8],
    handoff: std::sync::Arc<scan::Handoff>,
    /// Whether the readers note where each resource's `values` is ([`scan::Seen`]).
    remember: bool,
}

impl<'s> ValuesPart<'s> {
    /// The section, read to its end, and where each resource's `values` was when asked.
    /// While its thread reads, this one offers to read the end of the root module's child
    /// modules (it would otherwise wait): the reader stops where this one starts, and the
    /// two parts are put together in order. An offer the reader does not take (the place
    /// picked was not one of the root module's child modules) is dropped.
    fn join(self) -> Option<(ValuesDto<'static>, Vec<scan::Seen>)> {
        let tail = match &self.part {
            Part::Running(_) => self
                .handoff
                .offer(self.text)
                .map(|at| scan::tail(self.text, at, self.remember)),
            Part::Done(_) => None,
        };
        let mut read = self.part.join()?;
        if read.halted {
            let (modules, seen) = tail.flatten()?;
            read.dto.root_module.as_mut()?.child_modules.extend(modules);
            read.seen.extend(seen);
        }
        Some((read.dto, read.seen))
    }
}

/// `prior_state` read on its own thread, which first waits for what `planned_values` read
/// ([`scan::Known`]): the planned resources' bytes, sent once that section is read (the
/// sender dropped when there is none, or it failed).
struct PriorPart<'s> {
    part: Part<'s, scan::StateRead>,
    known: Option<Sender<Known<'s>>>,
    text: &'s [u8],
    handoff: Arc<scan::Handoff>,
}

impl<'s> PriorPart<'s> {
    /// The section, read to its end. `planned`: what `planned_values` read, sent to the
    /// reader first. While the reader reads, this thread offers to read the end of the root
    /// module's child modules, as [`ValuesPart::join`] does: without it, this thread would
    /// wait for the whole section once `planned_values` is read.
    fn join(self, planned: Option<Known<'s>>) -> Option<StateDto<'static>> {
        let tail = match (&self.part, self.known) {
            (Part::Running(_), known) => {
                if let (Some(tx), Some((t, seen))) = (known, &planned) {
                    // The reader may have failed already: then nothing waits.
                    let _ = tx.send((t, Arc::clone(seen)));
                }
                let mine = planned.as_ref().map(|(t, seen)| scan::Known::new(t, seen));
                self.handoff
                    .offer(self.text)
                    .map(|at| scan::state_tail(self.text, at, mine.as_ref()))
            }
            (Part::Done(_), _) => None,
        };
        let mut read = self.part.join()?;
        if read.halted {
            let (modules, rest, fields) = tail.flatten()?;
            if read.fields & fields != 0 {
                return None;
            }
            read.dto.format_version = read.dto.format_version.or(rest.format_version);
            read.dto.terraform_version = read.dto.terraform_version.or(rest.terraform_version);
            let root = read.dto.values.as_mut()?.root_module.as_mut()?;
            root.child_modules.extend(modules);
        }
        Some(read.dto)
    }
}

/// What `planned_values` read, for [`PriorPart`]: the section's bytes and where each
/// resource's `values` is in them.
type Known<'s> = (&'s [u8], Arc<Vec<scan::Seen>>);

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

/// The top-level object, with the large sections possibly still being parsed.
#[derive(Default)]
struct Parts<'s, 'a> {
    dto: PlanDto<'a>,
    values: Option<ValuesPart<'s>>,
    planned_values: Option<ValuesPart<'s>>,
    prior_state: Option<PriorPart<'s>>,
}

impl Parts<'_, 'static> {
    fn finish(self) -> Option<PlanDto<'static>> {
        let mut dto = self.dto;
        let prior = self.prior_state;
        if let Some(p) = self.values {
            dto.values = Some(p.join()?.0);
        }
        let mut planned = None;
        if let Some(p) = self.planned_values {
            let text = p.text;
            let (values, seen) = p.join()?;
            dto.planned_values = Some(values);
            planned = Some((text, Arc::new(seen)));
        }
        if let Some(p) = prior {
            dto.prior_state = Some(p.join(planned)?);
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

impl<'s> Parts<'s, 'static> {
    /// Starts the parse of a section's bytes.
    fn start<'b: 's>(
        &mut self,
        scope: &'s Scope<'s, '_>,
        which: Section,
        text: &'b [u8],
    ) -> Option<()> {
        let values = |remember: bool| -> Option<Option<ValuesPart<'s>>> {
            let handoff = std::sync::Arc::new(scan::Handoff::default());
            let reader = std::sync::Arc::clone(&handoff);
            let part = part(scope, text, move |t| {
                scan::values(t, Some(&reader), remember)
            })?;
            Some(part.map(|part| ValuesPart {
                part,
                text,
                handoff,
                remember,
            }))
        };
        match which {
            Section::Values => self.values = values(false)?,
            Section::PlannedValues => self.planned_values = values(true)?,
            Section::PriorState => {
                // Read already (it was small): what it saw is there for the reading.
                let planned = match &self.planned_values {
                    Some(ValuesPart {
                        part: Part::Done(read),
                        text,
                        ..
                    }) => Some((*text, read.seen.as_slice())),
                    _ => None,
                };
                self.prior_state = prior(scope, text, planned)?;
            }
        }
        Some(())
    }
}

/// Starts reading `prior_state` ([`PriorPart`]). Only on its own thread does the reader
/// wait for `planned_values`; read here, it uses `planned` (that section's bytes and what
/// its reading saw) when it is already read.
fn prior<'s, 'b: 's>(
    scope: &'s Scope<'s, '_>,
    text: &'b [u8],
    planned: Option<(&[u8], &[scan::Seen])>,
) -> Option<Option<PriorPart<'s>>> {
    if text == b"null" {
        return Some(None);
    }
    let handoff = Arc::new(scan::Handoff::default());
    let here = |text| {
        let known = planned.map(|(t, seen)| scan::Known::new(t, seen));
        scan::state(text, known.as_ref(), None).map(|v| {
            Some(PriorPart {
                part: Part::Done(v),
                known: None,
                text,
                handoff: Arc::clone(&handoff),
            })
        })
    };
    if text.len() < SPAWN_BYTES {
        return here(text);
    }
    let (tx, rx) = channel::<Known<'s>>();
    let reader = Arc::clone(&handoff);
    let read = move || {
        let planned = rx.recv().ok();
        let known = planned
            .as_ref()
            .map(|(planned, seen)| scan::Known::new(planned, seen));
        scan::state(text, known.as_ref(), Some(&reader))
    };
    match std::thread::Builder::new().spawn_scoped(scope, read) {
        Ok(handle) => Some(Some(PriorPart {
            part: Part::Running(handle),
            known: Some(tx),
            text,
            handoff,
        })),
        Err(_) => here(text),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
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

    /// Every plan and state in `testdata` (and the generator's template) is read by the
    /// fast path, not handed back to the derived parse, and read the same.
    #[test]
    fn real_documents_take_the_fast_path_and_agree() {
        let mut docs: Vec<std::path::PathBuf> = std::fs::read_dir("testdata")
            .unwrap()
            .filter_map(|e| {
                let dir = e.ok()?.path();
                let files = std::fs::read_dir(&dir).ok()?;
                Some(
                    files
                        .filter_map(|f| Some(f.ok()?.path()))
                        .collect::<Vec<_>>(),
                )
            })
            .flatten()
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        docs.push("bench/synth/template.json".into());
        docs.sort();
        let mut read = 0;
        for path in &docs {
            let bytes = std::fs::read(path).unwrap();
            let Some(want) = derived(&bytes) else {
                continue;
            };
            assert_eq!(fast(&bytes).as_ref(), Some(&want), "{}", path.display());
            read += 1;
        }
        assert!(read >= 28, "{read} of {docs:?}");
    }

    /// The fast path's contract, on damaged documents: when it gives an answer, the
    /// derived parse gives the same one; when the derived parse refuses a document, so
    /// does it. Each real plan is damaged in many ways (a byte dropped, replaced or
    /// inserted: structure, quotes, escapes, digits, control and non-UTF-8 bytes; a key
    /// repeated), at positions a fixed generator picks.
    #[test]
    fn damaged_documents_are_read_as_the_derived_parser_reads_them_or_handed_back() {
        let mut plans: Vec<std::path::PathBuf> = std::fs::read_dir("testdata")
            .unwrap()
            .filter_map(|e| Some(e.ok()?.path().join("plan.json")))
            .filter(|p| p.exists())
            .collect();
        plans.sort();
        const BYTES: &[u8] = b"{}[]\",:\\/0123456789.eE+-tfnulx u \n\t\x00\x1f\x7f\xc3\xff";
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        let (mut agreed, mut handed_back, mut refused) = (0, 0, 0);
        for path in &plans {
            let doc = std::fs::read(path).unwrap();
            for _ in 0..150 {
                let mut m = doc.clone();
                let at = next(m.len());
                match next(4) {
                    0 => {
                        m.remove(at);
                    }
                    1 => m[at] = BYTES[next(BYTES.len())],
                    2 => m.insert(at, BYTES[next(BYTES.len())]),
                    _ => {
                        // A key written twice: `"k":` copied to just after itself.
                        let Some(q) = m[at..].windows(2).position(|w| w == b"\":") else {
                            continue;
                        };
                        let end = at + q + 2;
                        let Some(start) = m[..end - 2].iter().rposition(|&c| c == b'"') else {
                            continue;
                        };
                        let key = m[start..end].to_vec();
                        let value_end = end
                            + m[end..]
                                .iter()
                                .position(|&c| c == b',' || c == b'}')
                                .unwrap_or(0);
                        let pair: Vec<u8> = key
                            .iter()
                            .chain(&m[end..value_end])
                            .copied()
                            .chain([b','])
                            .collect();
                        m.splice(start..start, pair);
                    }
                }
                let want = derived(&m);
                match fast(&m) {
                    Some(got) => {
                        assert_eq!(Some(&got), want.as_ref(), "{} at {at}", path.display());
                        agreed += 1;
                    }
                    None if want.is_some() => handed_back += 1,
                    None => refused += 1,
                }
            }
        }
        // Most damage breaks the document; some leaves it readable (a digit changed, a
        // byte inside a string), and those are read by the fast path itself.
        assert!(
            agreed > 400 && refused > 400,
            "{agreed} {handed_back} {refused}"
        );
    }

    /// A large `prior_state` on its own thread, waiting for what `planned_values` (on
    /// another, with this one's help) read: it shares the attributes of the resources
    /// written alike, reads the others itself, and the whole is what the derived parse
    /// reads, whichever section comes first.
    #[test]
    fn a_large_prior_state_read_against_planned_values_agrees() {
        use super::super::scan::tests::{all, section};
        let planned = section(12_000);
        // The same resources; the 48 subnets of `10.0.7.0/24` have another CIDR.
        let prior = planned.replace(
            r#""cidr_block":"10.0.7.0/24""#,
            r#""cidr_block":"10.7.7.0/24""#,
        );
        let prior = format!(r#"{{"format_version":"1.0","values":{prior}}}"#);
        let planned_first = format!(
            r#"{{"format_version":"1.2","planned_values":{planned},"resource_changes":[],"prior_state":{prior}}}"#
        );
        let prior_first = format!(
            r#"{{"format_version":"1.2","prior_state":{prior},"resource_changes":[],"planned_values":{planned}}}"#
        );
        for doc in [planned_first, prior_first] {
            let want = derived(doc.as_bytes()).unwrap();
            for _ in 0..3 {
                let dto = parse(doc.as_bytes()).unwrap();
                assert!(format!("{dto:?}") == want);
                let p = all(dto.planned_values.as_ref().unwrap());
                let q = all(dto.prior_state.as_ref().unwrap().values.as_ref().unwrap());
                assert_eq!((p.len(), q.len()), (16_001, 16_001));
                let shared = p
                    .iter()
                    .zip(&q)
                    .filter(|(p, q)| {
                        p.address == q.address
                            && p.values
                                .as_ref()
                                .unwrap()
                                .shares(q.values.as_ref().unwrap())
                    })
                    .count();
                assert_eq!(shared, 16_001 - 48);
            }
        }
        // A small plan's sections are read on this thread, `planned_values` first: a
        // real plan over existing infrastructure that changes a security group rule (in
        // neither section) and the prefix list, whose name moto read back empty.
        let doc = std::fs::read("testdata/open-ssh/plan.json").unwrap();
        let dto = parse(&doc).unwrap();
        let p = all(dto.planned_values.as_ref().unwrap());
        let mut fresh: Vec<&str> = all(dto.prior_state.as_ref().unwrap().values.as_ref().unwrap())
            .into_iter()
            .filter(|q| {
                !p.iter().any(|p| {
                    p.address == q.address
                        && p.values
                            .as_ref()
                            .unwrap()
                            .shares(q.values.as_ref().unwrap())
                })
            })
            .map(|q| q.address.as_ref())
            .collect();
        fresh.sort_unstable();
        assert_eq!(fresh, ["aws_ec2_managed_prefix_list.shared"]);
    }

    /// A large `prior_state`, read by its thread and (when the offer is taken) by this one,
    /// with keys after `values`: the parts together are what the derived parse reads, and a
    /// field written before `values` and again after it is refused, as the derived parse
    /// refuses it.
    #[test]
    fn a_large_prior_state_read_by_two_threads_agrees() {
        let section = super::super::scan::tests::section(12_000);
        let prior =
            |after: &str| format!(r#"{{"format_version":"1.0","values":{section}{after}}}"#);
        for (after, ok) in [
            ("", true),
            // Not `},"checks"`: where a section ends is guessed from a top-level key that
            // follows a `}` (`guess_end`), and `checks` is one.
            (r#","extra":[],"terraform_version":"1.9.0""#, true),
            (r#","extra":[],"format_version":"1.0""#, false),
        ] {
            let doc = format!(
                r#"{{"format_version":"1.2","planned_values":{section},"resource_changes":[],"prior_state":{}}}"#,
                prior(after)
            );
            let want = derived(doc.as_bytes());
            assert_eq!(want.is_some(), ok);
            for _ in 0..5 {
                assert!(fast(doc.as_bytes()) == want, "{after}");
            }
        }
    }

    /// A large `planned_values` on its thread, while this one, done with the rest, offers
    /// to read the end of it: the two parts together are what the derived parse reads,
    /// whether the offer is taken or not (the threads' timing decides).
    #[test]
    fn a_large_section_read_by_two_threads_agrees() {
        let section = super::super::scan::tests::section(12_000);
        assert!(section.len() > 2 * SPAWN_BYTES);
        for rest in [
            r#""resource_changes":[]"#.to_string(),
            // More for this thread to do first.
            format!(
                r#""resource_changes":[{}]"#,
                vec![r#"{"address":"a.b","change":{"actions":["create"],"after_unknown":{"id":true}}}"#; 3000].join(",")
            ),
        ] {
            let doc = format!(r#"{{"format_version":"1.2","planned_values":{section},{rest}}}"#);
            let want = derived(doc.as_bytes()).unwrap();
            for _ in 0..5 {
                assert!(fast(doc.as_bytes()).as_ref() == Some(&want));
            }
        }
    }

    #[test]
    fn finds_where_a_section_ends_from_the_key_after_it() {
        let doc = br#"{"planned_values":{"root_module":{"resources":[{"values":{"a":{}}}]}},"resource_changes":[]}"#;
        let start = 18;
        let end = guess_end(doc, start).unwrap();
        assert_eq!(
            &doc[start..end],
            br#"{"root_module":{"resources":[{"values":{"a":{}}}]}}"#
        );
        // Not an object, or nothing after it that looks like a top-level key.
        assert_eq!(guess_end(br#"{"planned_values":null}"#, 18), None);
        assert_eq!(guess_end(br#"{"values":{"a":{}},"b":1}"#, 10), None);
        // Pretty-printed: no guess (the caller skips over the section instead).
        assert_eq!(
            guess_end(b"{\"values\": {\"a\": {}},\n \"checks\": []}", 11),
            None
        );
    }

    #[test]
    fn a_wrong_guess_falls_back_and_still_agrees() {
        let big = "z".repeat(SPAWN_BYTES + 10);
        // Inside `planned_values`, an object with a key named like a top-level one: the
        // guessed end is inside the section, whose parse then fails.
        let doc = format!(
            r#"{{"format_version":"1.2","planned_values":{{"root_module":{{"resources":[{{"address":"aws_vpc.a","type":"aws_vpc","name":"{big}","values":{{"tags":{{"x":{{}},"resource_changes":"no"}}}}}}]}}}},"resource_changes":[{{"address":"aws_vpc.a","change":{{"actions":["create"]}}}}]}}"#
        );
        let start = doc.find(r#""planned_values":"#).unwrap() + 17;
        let guess = guess_end(doc.as_bytes(), start).unwrap();
        assert!(
            doc[..guess].ends_with(r#""x":{}"#),
            "{}",
            &doc[guess - 20..guess]
        );
        assert_eq!(fast(doc.as_bytes()), None);
        // The caller's slower parse reads it right.
        let plan = super::super::parse(doc.as_bytes(), "plan.json").unwrap();
        assert_eq!(format!("{:?}", plan.dto), derived(doc.as_bytes()).unwrap());
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
