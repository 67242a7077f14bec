//! The fast path's reader for the bulk of a document: `planned_values`, `prior_state`, a
//! state's `values`, `resource_changes` and `resource_drift`, read straight from the bytes
//! into the [`super::dto`] types the derived (serde) parse gives.
//!
//! Most of those bytes are attributes the model never reads. serde_json walks over them
//! with its general machinery (each key checked for UTF-8 and handed to a visitor, each
//! skipped value dispatched through `deserialize_ignored_any`); on a 263 MB plan that is
//! most of the parse. Here keys are compared as bytes and skipped values are checked by a
//! small loop that finds a string's end eight bytes at a time. Kept values (a few short
//! attributes per resource) are still read by serde_json, from their own bytes. A
//! resource that `prior_state` writes with the bytes `planned_values` wrote for it is not
//! read again: it shares what was read there ([`Known`]).
//!
//! The contract, which the tests hold it to: when [`values`], [`state`] or [`changes`]
//! return something, the derived parse of the same bytes gives an equal value; when the
//! derived parse fails, so do they. They may also fail where the derived parse succeeds
//! (a struct written as an array, nesting near serde_json's limit, ...): the caller then
//! parses the document the derived way. So this reader checks everything the derived
//! parse checks (JSON syntax everywhere, UTF-8 where serde_json checks it: keys and kept
//! strings, not skipped string values), and gives up on anything it does not model.

use std::borrow::Cow;
use std::ops::Range;

use serde::Deserialize;

use rustc_hash::FxHashMap as HashMap;

use super::attrs;
use super::dto::{
    Actions, Attributes, ChangeDto, IgnoredObject, Kept, ModuleDto, ResourceChangeDto, ResourceDto,
    StateDto, UnknownValue, ValuesDto,
};
use super::json::{store, Value};

/// Objects and arrays open at once, counted from the document's top: deeper, this reader
/// gives up (serde_json refuses to build values nested deeper than 128; the caller's
/// derived parse then decides).
const MAX_DEPTH: usize = 100;

/// A value section as [`values`] read it.
pub struct ValuesRead {
    pub dto: ValuesDto<'static>,
    /// Stopped where another thread goes on ([`Handoff`]).
    pub halted: bool,
    /// Where each resource's `values` was, when asked for.
    pub seen: Vec<Seen>,
}

/// A section: `planned_values` or a state's `values`. With a [`Handoff`], the reading may
/// stop at a module of the root module's `child_modules` that another thread offered to
/// read ([`Handoff::offer`], [`tail`]): then the section is returned as read so far, with
/// `halted`. With `remember`, it notes where each resource's `values` is ([`Seen`]).
pub fn values(text: &[u8], handoff: Option<&Handoff>, remember: bool) -> Option<ValuesRead> {
    let mut c = Cur::new(text, 1);
    c.handoff = handoff;
    c.seen = remember.then(Vec::new);
    let dto = values_dto(&mut c)?;
    let halted = c.section_end(handoff)?;
    Some(ValuesRead {
        dto,
        halted,
        seen: c.seen.unwrap_or_default(),
    })
}

/// The end of a value section read by another thread ([`values`]), from `at`, the start
/// of a module of the root module's `child_modules`: that module and those after it, which
/// must close the list, the root module and the section (as terraform writes them, where
/// `child_modules` is the root module's last key and `root_module` the section's). With
/// `remember`, where each resource's `values` is, as [`values`] notes it.
pub fn tail(
    text: &[u8],
    at: usize,
    remember: bool,
) -> Option<(Vec<ModuleDto<'static>>, Vec<Seen>)> {
    // Inside the section's object, `root_module` and `child_modules`.
    let mut c = Cur::new(text, 4);
    c.i = at;
    c.seen = remember.then(Vec::new);
    let modules = last_modules(&mut c)?;
    c.end()
        .then(|| (modules, c.seen.take().unwrap_or_default()))
}

/// The root module's child modules from one of them (where `c` is) to the end of the
/// list, which must close the root module and the object holding it (as terraform writes
/// them: `child_modules` is the root module's last key, `root_module` the last of its
/// object's).
fn last_modules(c: &mut Cur<'_>) -> Option<Vec<ModuleDto<'static>>> {
    let mut modules = Vec::new();
    loop {
        c.ws();
        modules.push(module(c, false)?);
        c.ws();
        match c.peek()? {
            b',' => c.i += 1,
            b']' => {
                c.i += 1;
                break;
            }
            _ => return None,
        }
    }
    c.eat(b'}')?;
    c.eat(b'}')?;
    Some(modules)
}

/// Where a resource's `values` object is in `planned_values`, and what was read from it: a
/// resource of `prior_state` written with the same bytes has the same attributes.
pub struct Seen {
    /// The address's bytes in the section, between its quotes, escapes as written.
    address: Range<usize>,
    /// The `values` object's bytes in the section.
    values: Range<usize>,
    /// How deep the reading of those bytes nested, the object itself included.
    nested: usize,
    attributes: Attributes<'static>,
}

/// The resources of `planned_values` by address ([`Seen`]), for reading `prior_state`.
///
/// A plan over existing infrastructure writes each resource it does not change twice with
/// the same bytes: in `prior_state` and in `planned_values`. Where `prior_state`'s bytes
/// start with those `planned_values` read for the same address, they are the same whole
/// JSON object (an object ends at its own closing brace), so the attributes read from them
/// are the same; they are shared instead of read again. Nothing is assumed about what
/// terraform writes: any difference in the bytes, or an address not in `planned_values`,
/// and the object is read as usual.
pub struct Known<'t> {
    text: &'t [u8],
    by_address: HashMap<&'t [u8], &'t Seen>,
}

impl<'t> Known<'t> {
    /// `seen` as [`values`] and [`tail`] gave them for `text`, the `planned_values` section.
    pub fn new(text: &'t [u8], seen: &'t [Seen]) -> Self {
        let mut by_address = HashMap::with_capacity_and_hasher(seen.len(), Default::default());
        for s in seen {
            if let Some(address) = text.get(s.address.clone()) {
                by_address.insert(address, s);
            }
        }
        Known { text, by_address }
    }

    /// The attributes of `planned_values`' resource at `address` when `rest` starts with the
    /// bytes they were read from, and their length; `depth`: how deep `rest` is in its
    /// document, which must leave room for the nesting that reading found.
    fn same(
        &self,
        address: &[u8],
        rest: &[u8],
        depth: usize,
    ) -> Option<(&Attributes<'static>, usize)> {
        let s = self.by_address.get(address)?;
        let bytes = self.text.get(s.values.clone())?;
        (rest.starts_with(bytes) && depth + s.nested <= MAX_DEPTH)
            .then_some((&s.attributes, bytes.len()))
    }
}

/// Shared by the thread reading a value section and a thread that offers to read the end
/// of it: where the reader is (the start of the root module's child module it reads), and
/// where it should stop.
#[derive(Default)]
pub struct Handoff {
    state: std::sync::Mutex<HandoffState>,
}

#[derive(Default)]
struct HandoffState {
    /// The start of the child module of the root module the reader is at.
    at: usize,
    /// Where the reader should stop: the start of a later child module.
    stop: Option<usize>,
    /// The reader has read all the root module's child modules (or stopped).
    finished: bool,
}

impl Handoff {
    fn state(&self) -> std::sync::MutexGuard<'_, HandoffState> {
        // A panic elsewhere while holding the lock leaves plain numbers: still usable.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The reader is at the start of a root child module, at `at`: whether to stop there.
    fn reached(&self, at: usize) -> bool {
        let mut s = self.state();
        s.at = at;
        match s.stop {
            Some(stop) if stop == at => {
                s.finished = true;
                true
            }
            // Not a root child module after all: the offer lapses.
            Some(stop) if stop < at => {
                s.stop = None;
                false
            }
            _ => false,
        }
    }

    fn finished(&self) {
        self.state().finished = true;
    }

    /// Offers to read the end of `text` (the section the reader is reading): picks the
    /// start of a child module about halfway through what is left, and asks the reader to
    /// stop there. Where it found one, the caller reads from there with [`tail`]; the
    /// reader says whether it did stop there (it may not be one of the root module's).
    pub fn offer(&self, text: &[u8]) -> Option<usize> {
        const NEXT: &[u8] = b"},{\"resources\":[";
        let at = self.state().at;
        let from = at + text.len().saturating_sub(at) / 2;
        let found = memchr::memmem::find(text.get(from..)?, NEXT)?;
        let start = from + found + 2;
        let mut s = self.state();
        if s.finished || s.at >= start {
            return None;
        }
        s.stop = Some(start);
        Some(start)
    }
}

/// The `prior_state` section as [`state`] read it.
pub struct StateRead {
    pub dto: StateDto<'static>,
    /// Stopped where another thread goes on ([`Handoff`], [`state_tail`]).
    pub halted: bool,
    /// The fields read, as bits ([`state_key`]).
    pub fields: u8,
}

/// The `prior_state` section; with `known`, its resources written as in `planned_values`
/// share the attributes read there ([`Known`]). With a [`Handoff`], the reading may stop at
/// a child module of the root module that another thread offered to read
/// ([`state_tail`]), as [`values`] does.
pub fn state(
    text: &[u8],
    known: Option<&Known<'_>>,
    handoff: Option<&Handoff>,
) -> Option<StateRead> {
    let mut c = Cur::new(text, 1);
    c.known = known;
    c.handoff = handoff;
    let mut out = StateDto::default();
    let mut seen = 0u8;
    c.object(|c, key| state_key(c, key, &mut out, &mut seen))?;
    let halted = c.section_end(handoff)?;
    Some(StateRead {
        dto: out,
        halted,
        fields: seen,
    })
}

/// One key of the `prior_state` object and its value, into `out`; `seen`: the fields
/// read so far, each once.
fn state_key(
    c: &mut Cur<'_>,
    key: &[u8],
    out: &mut StateDto<'static>,
    seen: &mut u8,
) -> Option<()> {
    match key {
        b"format_version" => {
            once(seen, 1)?;
            out.format_version = c.opt_string()?;
        }
        b"terraform_version" => {
            once(seen, 2)?;
            out.terraform_version = c.opt_string()?;
        }
        b"values" => {
            once(seen, 4)?;
            out.values = if c.null() { None } else { Some(values_dto(c)?) };
        }
        _ => c.skip()?,
    }
    Some(())
}

/// The end of a `prior_state` read by another thread ([`state`]), from `at`, the start of
/// a module of the root module's `child_modules`: that module and those after it, which
/// must close the list, the root module and `values` (as terraform writes them, where
/// `child_modules` is the root module's last key and `root_module` the last of `values`),
/// then the keys of the section that follow `values`. The modules, and the fields those
/// keys set with their bits ([`state_key`]; a second `values` is refused).
pub fn state_tail(
    text: &[u8],
    at: usize,
    known: Option<&Known<'_>>,
) -> Option<(Vec<ModuleDto<'static>>, StateDto<'static>, u8)> {
    // Inside the section's object, `values`, `root_module` and `child_modules`.
    let mut c = Cur::new(text, 5);
    c.i = at;
    c.known = known;
    let modules = last_modules(&mut c)?;
    // The rest of the section's object, as [`Cur::object`] reads it after a value.
    c.depth = 2;
    let mut out = StateDto::default();
    let mut seen = 4u8;
    loop {
        c.ws();
        match c.peek()? {
            b',' => {
                c.i += 1;
                c.ws();
                let key = c.key()?;
                c.eat(b':')?;
                c.ws();
                state_key(&mut c, &key, &mut out, &mut seen)?;
            }
            b'}' => {
                c.i += 1;
                break;
            }
            _ => return None,
        }
    }
    c.end().then_some((modules, out, seen & !4))
}

/// The array of resource changes starting at `at` in `bytes` (`resource_changes` or
/// `resource_drift`), and where it ends.
pub fn changes(bytes: &[u8], at: usize) -> Option<(Vec<ResourceChangeDto<'static>>, usize)> {
    let mut c = Cur::new(bytes, 1);
    c.i = at;
    let mut out = Vec::new();
    c.array(|c| {
        out.push(change(c)?);
        Some(())
    })?;
    Some((out, c.i))
}

/// A field of a struct seen once (the derived parse refuses a repeated field).
fn once(seen: &mut u8, bit: u8) -> Option<()> {
    if *seen & bit != 0 {
        return None;
    }
    *seen |= bit;
    Some(())
}

fn values_dto(c: &mut Cur<'_>) -> Option<ValuesDto<'static>> {
    let mut out = ValuesDto::default();
    let mut seen = 0u8;
    c.object(|c, key| {
        match key {
            b"outputs" => {
                once(&mut seen, 1)?;
                out.outputs = if c.null() {
                    None
                } else {
                    c.ignored_object()?;
                    Some(IgnoredObject)
                };
            }
            b"root_module" => {
                once(&mut seen, 2)?;
                out.root_module = if c.null() {
                    None
                } else {
                    Some(module(c, true)?)
                };
            }
            _ => c.skip()?,
        }
        Some(())
    })?;
    Some(out)
}

/// A module; `root`: the section's root module (whose child modules may be handed off).
fn module(c: &mut Cur<'_>, root: bool) -> Option<ModuleDto<'static>> {
    let mut out = ModuleDto::default();
    let mut seen = 0u8;
    c.object(|c, key| {
        match key {
            b"address" => {
                once(&mut seen, 1)?;
                out.address = c.opt_str()?;
            }
            b"resources" => {
                once(&mut seen, 2)?;
                c.array(|c| {
                    out.resources.push(resource(c)?);
                    Some(())
                })?;
            }
            b"child_modules" => {
                once(&mut seen, 4)?;
                let handoff = if root { c.handoff } else { None };
                c.array(|c| {
                    if handoff.is_some_and(|h| h.reached(c.i)) {
                        c.halted = true;
                        return Some(());
                    }
                    out.child_modules.push(module(c, false)?);
                    Some(())
                })?;
            }
            _ => c.skip()?,
        }
        Some(())
    })?;
    Some(out)
}

fn resource(c: &mut Cur<'_>) -> Option<ResourceDto<'static>> {
    let mut out = ResourceDto::default();
    let mut seen = 0u8;
    // The address's bytes as written (escapes and all: both sections are written alike);
    // where `values` was, and how deep its reading nested.
    let mut address: Option<Range<usize>> = None;
    let mut values: Option<(Range<usize>, usize)> = None;
    c.object(|c, key| {
        match key {
            b"address" => {
                once(&mut seen, 1)?;
                let start = c.i + 1;
                out.address = c.str()?;
                address = Some(start..c.i - 1);
            }
            b"mode" => {
                once(&mut seen, 2)?;
                out.mode = c.opt_str()?;
            }
            b"type" => {
                once(&mut seen, 4)?;
                out.type_ = c.str()?;
            }
            b"name" => {
                once(&mut seen, 8)?;
                out.name = c.str()?;
            }
            b"index" => {
                once(&mut seen, 16)?;
                out.index = if c.null() { None } else { Some(c.value()?) };
            }
            b"values" => {
                once(&mut seen, 32)?;
                if c.null() {
                    out.values = None;
                    return Some(());
                }
                let start = c.i;
                let depth = c.depth;
                let known = c
                    .known
                    .zip(address.as_ref())
                    .and_then(|(k, a)| k.same(c.b.get(a.clone())?, c.b.get(start..)?, depth));
                if let Some((attributes, len)) = known {
                    out.values = Some(attributes.clone());
                    c.i += len;
                    return Some(());
                }
                c.deepest = depth;
                out.values = Some(c.kept(Kept::attributes())?.into_attributes());
                values = Some((start..c.i, c.deepest - depth));
            }
            _ => c.skip()?,
        }
        Some(())
    })?;
    if let (Some(list), Some(address), Some((values, nested)), Some(attributes)) =
        (&mut c.seen, address, values, &out.values)
    {
        list.push(Seen {
            address,
            values,
            nested,
            attributes: attributes.clone(),
        });
    }
    Some(out)
}

fn change(c: &mut Cur<'_>) -> Option<ResourceChangeDto<'static>> {
    let mut out = ResourceChangeDto::default();
    let mut seen = 0u8;
    c.object(|c, key| {
        match key {
            b"address" => {
                once(&mut seen, 1)?;
                out.address = c.opt_str()?;
            }
            b"deposed" => {
                once(&mut seen, 2)?;
                out.deposed = c.opt_string()?;
            }
            b"change" => {
                once(&mut seen, 4)?;
                out.change = change_body(c)?;
            }
            _ => c.skip()?,
        }
        Some(())
    })?;
    Some(out)
}

fn change_body(c: &mut Cur<'_>) -> Option<ChangeDto<'static>> {
    let mut out = ChangeDto::default();
    let mut seen = 0u8;
    c.object(|c, key| {
        match key {
            b"actions" => {
                once(&mut seen, 1)?;
                out.actions = actions(c)?;
            }
            b"after_unknown" => {
                once(&mut seen, 2)?;
                out.after_unknown = unknown(c)?;
            }
            _ => c.skip()?,
        }
        Some(())
    })?;
    Some(out)
}

fn actions(c: &mut Cur<'_>) -> Option<Actions> {
    let mut a = Actions::default();
    c.array(|c| {
        a.add(&c.string_text()?);
        Some(())
    })?;
    Some(a)
}

/// `after_unknown` as the derived parse reads it: an object's unknown attributes; `null`,
/// a boolean or an array (whose elements are only checked) say nothing. A number or a
/// string (which terraform never writes here) is left to the derived parse.
fn unknown(c: &mut Cur<'_>) -> Option<UnknownValue<'static>> {
    c.ws();
    match c.peek()? {
        b'{' => Some(c.kept(Kept::unknown())?.into_unknown()),
        b'[' => {
            c.array(|c| c.skip())?;
            Some(UnknownValue::default())
        }
        b'n' | b't' | b'f' => {
            c.skip()?;
            Some(UnknownValue::default())
        }
        _ => None,
    }
}

/// A position in the input.
struct Cur<'b> {
    b: &'b [u8],
    i: usize,
    /// Objects and arrays open around the position, counted from the document's top.
    depth: usize,
    /// Reused by [`Cur::skip`]: whether each open container is an object.
    stack: Vec<bool>,
    /// Where a value section's reader learns to stop ([`values`]).
    handoff: Option<&'b Handoff>,
    /// Stopped where another thread goes on ([`Handoff`]): every object and array open
    /// returns at once, as read so far.
    halted: bool,
    /// The deepest [`Cur::depth`] reached since it was last set.
    deepest: usize,
    /// Where to note each resource's `values` ([`Seen`]).
    seen: Option<Vec<Seen>>,
    /// `planned_values`' resources, for reading `prior_state` ([`Known`]).
    known: Option<&'b Known<'b>>,
}

impl<'b> Cur<'b> {
    fn new(b: &'b [u8], depth: usize) -> Self {
        Cur {
            b,
            i: 0,
            depth,
            stack: Vec::new(),
            handoff: None,
            halted: false,
            deepest: depth,
            seen: None,
            known: None,
        }
    }

    /// After a value section's reader: tells the [`Handoff`] the reading is over, and
    /// whether it stopped where another thread goes on; `None` when it did not stop and
    /// more than whitespace is left.
    fn section_end(&mut self, handoff: Option<&Handoff>) -> Option<bool> {
        if let Some(h) = handoff {
            h.finished();
        }
        (self.halted || self.end()).then_some(self.halted)
    }

    /// Whether only whitespace is left.
    fn end(&mut self) -> bool {
        self.ws();
        self.i == self.b.len()
    }

    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    fn ws(&mut self) {
        while let Some(b' ' | b'\n' | b'\r' | b'\t') = self.b.get(self.i) {
            self.i += 1;
        }
    }

    /// Consumes `c` after any whitespace.
    fn eat(&mut self, c: u8) -> Option<()> {
        self.ws();
        (self.peek()? == c).then(|| self.i += 1)
    }

    /// Consumes a `null` after any whitespace.
    fn null(&mut self) -> bool {
        self.ws();
        let is = self
            .b
            .get(self.i..)
            .is_some_and(|rest| rest.starts_with(b"null"));
        if is {
            self.i += 4;
        }
        is
    }

    fn open(&mut self) -> Option<()> {
        self.depth += 1;
        self.deepest = self.deepest.max(self.depth);
        (self.depth <= MAX_DEPTH).then_some(())
    }

    /// An object, each key handed to `f` (escapes decoded), which reads its value.
    fn object(&mut self, mut f: impl FnMut(&mut Self, &[u8]) -> Option<()>) -> Option<()> {
        self.eat(b'{')?;
        self.open()?;
        self.ws();
        if self.peek()? == b'}' {
            self.i += 1;
        } else {
            loop {
                let key = self.key()?;
                self.eat(b':')?;
                self.ws();
                f(self, &key)?;
                if self.halted {
                    return Some(());
                }
                self.ws();
                match self.peek()? {
                    b',' => {
                        self.i += 1;
                        self.ws();
                    }
                    b'}' => {
                        self.i += 1;
                        break;
                    }
                    _ => return None,
                }
            }
        }
        self.depth -= 1;
        Some(())
    }

    /// An array, each element read by `f`.
    fn array(&mut self, mut f: impl FnMut(&mut Self) -> Option<()>) -> Option<()> {
        self.eat(b'[')?;
        self.open()?;
        self.ws();
        if self.peek()? == b']' {
            self.i += 1;
        } else {
            loop {
                self.ws();
                f(self)?;
                if self.halted {
                    return Some(());
                }
                self.ws();
                match self.peek()? {
                    b',' => self.i += 1,
                    b']' => {
                        self.i += 1;
                        break;
                    }
                    _ => return None,
                }
            }
        }
        self.depth -= 1;
        Some(())
    }

    /// An object key: its bytes, escapes decoded. Checked for UTF-8, as serde_json checks
    /// every key it reads.
    fn key(&mut self) -> Option<Cow<'b, [u8]>> {
        let (raw, escaped) = self.string_raw()?;
        if escaped {
            return decode(raw).map(|s| Cow::Owned(s.into_bytes()));
        }
        if !raw.is_ascii() {
            std::str::from_utf8(raw).ok()?;
        }
        Some(Cow::Borrowed(raw))
    }

    /// A string (the position at its opening quote): the bytes between the quotes, and
    /// whether they hold an escape. The position moves past the closing quote.
    fn string_raw(&mut self) -> Option<(&'b [u8], bool)> {
        if self.peek()? != b'"' {
            return None;
        }
        let start = self.i + 1;
        let (end, escaped) = string_end(self.b, start)?;
        self.i = end + 1;
        Some((self.b.get(start..end)?, escaped))
    }

    /// A string's text, escapes decoded, UTF-8 checked.
    fn string_text(&mut self) -> Option<Cow<'b, str>> {
        let (raw, escaped) = self.string_raw()?;
        if escaped {
            decode(raw).map(Cow::Owned)
        } else {
            std::str::from_utf8(raw).ok().map(Cow::Borrowed)
        }
    }

    /// A string to keep (see [`store`]).
    fn str(&mut self) -> Option<Cow<'static, str>> {
        self.string_text().map(|s| store(&s))
    }

    /// [`Cur::str`], or `null`.
    fn opt_str(&mut self) -> Option<Option<Cow<'static, str>>> {
        if self.null() {
            return Some(None);
        }
        self.str().map(Some)
    }

    /// An owned string, or `null`.
    fn opt_string(&mut self) -> Option<Option<String>> {
        if self.null() {
            return Some(None);
        }
        self.string_text().map(|s| Some(s.into_owned()))
    }

    /// An object whose pairs are checked and dropped. (Its own keys are read as strings,
    /// checked for UTF-8; those of the values inside it only skipped.)
    fn ignored_object(&mut self) -> Option<()> {
        self.object(|c, _| c.skip())
    }

    /// A value kept whole, as [`Value`]'s own `Deserialize` reads it (numbers are read by
    /// serde_json, from their own bytes).
    fn value(&mut self) -> Option<Value<'static>> {
        match self.peek()? {
            b'"' => Some(Value::String(self.str()?)),
            b'n' => self.word(b"null", Value::Null),
            b't' => self.word(b"true", Value::Bool(true)),
            b'f' => self.word(b"false", Value::Bool(false)),
            b'[' => {
                let mut items = Vec::new();
                self.array(|c| {
                    items.push(c.value()?);
                    Some(())
                })?;
                items.shrink_to_fit();
                Some(Value::Array(items))
            }
            b'{' => {
                // A key written twice keeps its first place and its last value.
                let mut pairs: Vec<(Cow<'static, str>, Value<'static>)> = Vec::new();
                self.object(|c, key| {
                    let key = std::str::from_utf8(key).ok()?;
                    let v = c.value()?;
                    match pairs.iter_mut().find(|(k, _)| k == key) {
                        Some(slot) => slot.1 = v,
                        None => pairs.push((store(key), v)),
                    }
                    Some(())
                })?;
                Some(Value::Object(pairs.into_iter().collect()))
            }
            _ => {
                let start = self.i;
                self.i = number_end(self.b, start)?;
                serde_json::from_slice(self.b.get(start..self.i)?).ok()
            }
        }
    }

    /// `word` (`null`, `true`, `false`) at the position, as `v`.
    fn word(&mut self, word: &[u8], v: Value<'static>) -> Option<Value<'static>> {
        self.i = literal(self.b, self.i, word)?;
        Some(v)
    }

    /// An object of resource attributes into `kept`: the listed ones read whole, the
    /// others skipped.
    fn kept(&mut self, mut kept: Kept<'static>) -> Option<Kept<'static>> {
        self.object(|c, key| {
            match attrs::index_bytes(key).and_then(|i| Some((i, attrs::read_name(i)?))) {
                Some((i, name)) => kept.put(i, name, c.value()?),
                None => c.skip()?,
            }
            Some(())
        })?;
        Some(kept)
    }

    /// Skips over one value, checking its syntax as serde_json does when it ignores a
    /// value (strings are not checked for UTF-8, and nesting is not limited).
    fn skip(&mut self) -> Option<()> {
        self.skip_nested().map(|_| ())
    }

    /// [`Cur::skip`], giving how deeply the value nests (0 for a scalar).
    fn skip_nested(&mut self) -> Option<usize> {
        let b = self.b;
        let mut i = self.i;
        let stack = &mut self.stack;
        stack.clear();
        let mut deepest = 0;
        'value: loop {
            // A value starts at `i`.
            match *b.get(i)? {
                b'"' => i = string_end(b, i + 1)?.0 + 1,
                b'{' => {
                    i = skip_ws(b, i + 1);
                    if b.get(i) == Some(&b'}') {
                        i += 1;
                        deepest = deepest.max(stack.len() + 1);
                    } else {
                        stack.push(true);
                        deepest = deepest.max(stack.len());
                        i = member_key(b, i)?;
                        continue 'value;
                    }
                }
                b'[' => {
                    i = skip_ws(b, i + 1);
                    if b.get(i) == Some(&b']') {
                        i += 1;
                        deepest = deepest.max(stack.len() + 1);
                    } else {
                        stack.push(false);
                        deepest = deepest.max(stack.len());
                        continue 'value;
                    }
                }
                b't' => i = literal(b, i, b"true")?,
                b'f' => i = literal(b, i, b"false")?,
                b'n' => i = literal(b, i, b"null")?,
                _ => i = number_end(b, i)?,
            }
            // After a value: close what it ends, or go on to the next one.
            loop {
                let Some(&object) = stack.last() else {
                    self.i = i;
                    return Some(deepest);
                };
                i = skip_ws(b, i);
                match *b.get(i)? {
                    b',' => {
                        i = skip_ws(b, i + 1);
                        if object {
                            i = member_key(b, i)?;
                        }
                        continue 'value;
                    }
                    b'}' if object => {
                        stack.pop();
                        i += 1;
                    }
                    b']' if !object => {
                        stack.pop();
                        i += 1;
                    }
                    _ => return None,
                }
            }
        }
    }
}

/// Decodes a string's escapes (`raw`: the bytes between its quotes, whose escapes
/// [`string_end`] checked), as serde_json does; the result checked for UTF-8.
fn decode(raw: &[u8]) -> Option<String> {
    let mut out = Vec::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(at) = memchr::memchr(b'\\', rest) {
        out.extend_from_slice(rest.get(..at)?);
        let c = *rest.get(at + 1)?;
        rest = rest.get(at + 2..)?;
        let plain = match c {
            b'"' => b'"',
            b'\\' => b'\\',
            b'/' => b'/',
            b'b' => 0x08,
            b'f' => 0x0c,
            b'n' => b'\n',
            b'r' => b'\r',
            b't' => b'\t',
            b'u' => {
                let hex = std::str::from_utf8(rest.get(..4)?).ok()?;
                let unit = u32::from_str_radix(hex, 16).ok()?;
                // A surrogate (half of a pair, or alone): serde_json's own rules.
                let Some(ch) = char::from_u32(unit) else {
                    return decode_by_serde(raw);
                };
                rest = rest.get(4..)?;
                let mut buf = [0u8; 4];
                out.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
                continue;
            }
            _ => return None,
        };
        out.push(plain);
    }
    out.extend_from_slice(rest);
    String::from_utf8(out).ok()
}

/// [`decode`] by serde_json itself.
fn decode_by_serde(raw: &[u8]) -> Option<String> {
    let mut quoted = Vec::with_capacity(raw.len() + 2);
    quoted.push(b'"');
    quoted.extend_from_slice(raw);
    quoted.push(b'"');
    String::deserialize(&mut serde_json::Deserializer::from_slice(&quoted)).ok()
}

fn skip_ws(b: &[u8], mut i: usize) -> usize {
    while let Some(b' ' | b'\n' | b'\r' | b'\t') = b.get(i) {
        i += 1;
    }
    i
}

/// Past an object member's key and colon (at `i`, the key's opening quote), and any
/// whitespace after them.
fn member_key(b: &[u8], i: usize) -> Option<usize> {
    if b.get(i) != Some(&b'"') {
        return None;
    }
    let i = skip_ws(b, string_end(b, i + 1)?.0 + 1);
    if b.get(i) != Some(&b':') {
        return None;
    }
    Some(skip_ws(b, i + 1))
}

fn literal(b: &[u8], i: usize, word: &[u8]) -> Option<usize> {
    b.get(i..)?.starts_with(word).then_some(i + word.len())
}

/// Where the number starting at `i` ends (JSON's grammar: no leading zeros, a digit
/// after `.` and after the exponent).
fn number_end(b: &[u8], mut i: usize) -> Option<usize> {
    let digits = |mut i: usize| {
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        i
    };
    if b.get(i) == Some(&b'-') {
        i += 1;
    }
    match *b.get(i)? {
        b'0' => i += 1,
        b'1'..=b'9' => i = digits(i + 1),
        _ => return None,
    }
    if b.get(i) == Some(&b'.') {
        if !b.get(i + 1).is_some_and(u8::is_ascii_digit) {
            return None;
        }
        i = digits(i + 1);
    }
    if let Some(b'e' | b'E') = b.get(i) {
        i += 1;
        if let Some(b'+' | b'-') = b.get(i) {
            i += 1;
        }
        if !b.get(i).is_some_and(u8::is_ascii_digit) {
            return None;
        }
        i = digits(i);
    }
    Some(i)
}

/// Bytes of `w` that are a quote, a backslash or a control character: their high bit set.
fn specials(w: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let zero = |x: u64| x.wrapping_sub(ONES) & !x & HIGH;
    let below_space = w.wrapping_sub(ONES * 0x20) & !w & HIGH;
    zero(w ^ (ONES * u64::from(b'"'))) | zero(w ^ (ONES * u64::from(b'\\'))) | below_space
}

/// The closing quote of the string whose text starts at `i`, and whether the string has
/// an escape. Control characters and malformed escapes are refused, as serde_json
/// refuses them.
fn string_end(b: &[u8], mut i: usize) -> Option<(usize, bool)> {
    let mut escaped = false;
    loop {
        // Eight bytes at a time to the first quote, backslash or control character. (The
        // zero-byte test can flag a byte after the first real match, never before it.)
        while let Some(chunk) = b.get(i..i + 8) {
            let w = u64::from_le_bytes(<[u8; 8]>::try_from(chunk).ok()?);
            let m = specials(w);
            if m != 0 {
                i += (m.trailing_zeros() / 8) as usize;
                break;
            }
            i += 8;
        }
        match *b.get(i)? {
            b'"' => return Some((i, escaped)),
            b'\\' => {
                escaped = true;
                match *b.get(i + 1)? {
                    b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => i += 2,
                    b'u' => {
                        if !b.get(i + 2..i + 6)?.iter().all(u8::is_ascii_hexdigit) {
                            return None;
                        }
                        i += 6;
                    }
                    _ => return None,
                }
            }
            c if c < 0x20 => return None,
            _ => i += 1,
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
pub(in crate::plan) mod tests {
    use super::*;

    /// A value section whose root module has `n` child modules, each holding one resource
    /// and, every third, a nested module of its own.
    pub(in crate::plan) fn section(n: usize) -> String {
        let modules: Vec<String> = (0..n)
            .map(|i| {
                let nested = if i % 3 == 0 {
                    format!(
                        r#","child_modules":[{{"resources":[{{"address":"module.m[{i}].module.n.aws_vpc.v","type":"aws_vpc","name":"v","values":{{"cidr_block":"10.{}.0.0/16"}}}}],"address":"module.m[{i}].module.n"}}]"#,
                        i % 250
                    )
                } else {
                    String::new()
                };
                format!(
                    r#"{{"resources":[{{"address":"module.m[{i}].aws_subnet.s","mode":"managed","type":"aws_subnet","name":"s","index":null,"values":{{"cidr_block":"10.0.{}.0/24","tags":{{"Name":"s{i}"}}}}}}],"address":"module.m[{i}]"{nested}}}"#,
                    i % 250
                )
            })
            .collect();
        format!(
            r#"{{"outputs":{{}},"root_module":{{"resources":[{{"address":"aws_vpc.hub","type":"aws_vpc","name":"hub","values":{{}}}}],"child_modules":[{}]}}}}"#,
            modules.join(",")
        )
    }

    fn whole(text: &[u8]) -> String {
        format!("{:?}", values(text, None, false).unwrap().dto)
    }

    #[test]
    fn a_section_read_in_two_parts_is_read_whole() {
        let text = section(40);
        let text = text.as_bytes();
        let h = Handoff::default();
        // Offered before the reader starts: about halfway through.
        let at = h.offer(text).unwrap();
        assert!(at > text.len() / 3 && at < text.len(), "{at}");
        let read = values(text, Some(&h), true).unwrap();
        assert!(read.halted);
        let mut first = read.dto;
        let n = first.root_module.as_ref().unwrap().child_modules.len();
        assert!(n > 5 && n < 40, "{n}");
        let (rest, seen) = tail(text, at, true).unwrap();
        first
            .root_module
            .as_mut()
            .unwrap()
            .child_modules
            .extend(rest);
        assert_eq!(format!("{first:?}"), whole(text));
        // Between them, the two parts note every resource once: the hub, 40 subnets and
        // 14 nested VPCs.
        let mut addresses: Vec<&[u8]> = read
            .seen
            .iter()
            .chain(&seen)
            .map(|s| &text[s.address.clone()])
            .collect();
        assert_eq!(addresses.len(), 55);
        addresses.sort_unstable();
        addresses.dedup();
        assert_eq!(addresses.len(), 55);
    }

    fn resources<'m>(m: &'m ModuleDto<'static>, out: &mut Vec<&'m ResourceDto<'static>>) {
        out.extend(&m.resources);
        for c in &m.child_modules {
            resources(c, out);
        }
    }

    pub(in crate::plan) fn all<'v>(v: &'v ValuesDto<'static>) -> Vec<&'v ResourceDto<'static>> {
        let mut out = Vec::new();
        resources(v.root_module.as_ref().unwrap(), &mut out);
        out
    }

    fn prior_of(section: &str) -> String {
        format!(r#"{{"format_version":"1.0","values":{section}}}"#)
    }

    #[test]
    fn prior_state_shares_the_attributes_of_planned_values_written_alike() {
        // `for_each` keys: addresses with escaped quotes, as terraform writes them.
        let planned = section(10).replace("module.m[", r#"module.m[\"k"#);
        let read = values(planned.as_bytes(), None, true).unwrap();
        assert_eq!(read.seen.len(), 1 + 10 + 4);
        // The same resources, but one subnet has other values, one is written with a
        // space, and one VPC only exists in the prior state.
        let prior = prior_of(
            &planned
                .replacen(
                    r#""cidr_block":"10.0.4.0/24""#,
                    r#""cidr_block":"10.9.4.0/24""#,
                    1,
                )
                .replacen(
                    r#"{"cidr_block":"10.0.5.0/24""#,
                    r#"{ "cidr_block":"10.0.5.0/24""#,
                    1,
                )
                .replacen("module.n.aws_vpc.v", "module.n.aws_vpc.gone", 1),
        );
        let known = Known::new(planned.as_bytes(), &read.seen);
        let shared = state(prior.as_bytes(), Some(&known), None).unwrap().dto;
        // Exactly what reading it alone gives.
        let alone = state(prior.as_bytes(), None, None).unwrap().dto;
        assert_eq!(format!("{shared:?}"), format!("{alone:?}"));
        let planned_all = all(&read.dto);
        let by_address = |a: &str| planned_all.iter().find(|r| r.address == a);
        let mut fresh: Vec<String> = Vec::new();
        for r in all(shared.values.as_ref().unwrap()) {
            let same = by_address(&r.address).is_some_and(|p| {
                p.values
                    .as_ref()
                    .unwrap()
                    .shares(r.values.as_ref().unwrap())
            });
            if !same {
                fresh.push(r.address.to_string());
            }
        }
        assert_eq!(
            fresh,
            [
                r#"module.m["k0].module.n.aws_vpc.gone"#,
                r#"module.m["k4].aws_subnet.s"#,
                r#"module.m["k5].aws_subnet.s"#,
            ]
        );
    }

    #[test]
    fn prior_state_shares_nothing_nested_deeper_than_it_may_read() {
        // A kept attribute nested `n` deep: at the deepest `planned_values` reads, the
        // same bytes one level deeper in `prior_state` are refused, as they are when read.
        let doc = |n: usize| {
            let deep = format!("{}1{}", "[".repeat(n), "]".repeat(n));
            format!(
                r#"{{"root_module":{{"resources":[{{"address":"aws_vpc.v","values":{{"tags":{deep}}}}}]}}}}"#
            )
        };
        let n = (1..MAX_DEPTH)
            .find(|&n| values(doc(n + 1).as_bytes(), None, true).is_none())
            .unwrap();
        let planned = doc(n);
        let read = values(planned.as_bytes(), None, true).unwrap();
        let known = Known::new(planned.as_bytes(), &read.seen);
        let prior = prior_of(&planned);
        assert!(state(prior.as_bytes(), None, None).is_none());
        assert!(state(prior.as_bytes(), Some(&known), None).is_none());
        // One level less, and it is shared.
        let planned = doc(n - 1);
        let read = values(planned.as_bytes(), None, true).unwrap();
        let known = Known::new(planned.as_bytes(), &read.seen);
        let prior = prior_of(&planned);
        let shared = state(prior.as_bytes(), Some(&known), None).unwrap().dto;
        let (p, q) = (all(&read.dto)[0], all(shared.values.as_ref().unwrap())[0]);
        assert!(p
            .values
            .as_ref()
            .unwrap()
            .shares(q.values.as_ref().unwrap()));
    }

    #[test]
    fn an_offer_at_a_nested_module_lapses() {
        let text = section(40);
        let text = text.as_bytes();
        // The start of a nested module (a child of a root child module): the reader never
        // stops there, reads everything, and the offer's own reading fails.
        let nested = std::str::from_utf8(text)
            .unwrap()
            .find(r#"{"resources":[{"address":"module.m[21].module.n"#)
            .unwrap();
        let h = Handoff::default();
        h.state().stop = Some(nested);
        let all = values(text, Some(&h), false).unwrap();
        assert!(!all.halted);
        assert_eq!(format!("{:?}", all.dto), whole(text));
        assert!(tail(text, nested, false).is_none());
        // Too late: the reader is past the place picked, or done.
        assert_eq!(h.offer(text), None);
    }

    #[test]
    fn a_tail_must_close_the_section_as_terraform_writes_it() {
        let text = section(10);
        let at = text
            .find(r#"{"resources":[{"address":"module.m[9].aws_subnet"#)
            .unwrap();
        assert_eq!(tail(text.as_bytes(), at, false).unwrap().0.len(), 1);
        // Anything after the child modules (another key of the root module) is not
        // modelled: no answer, and the caller parses the document the derived way.
        let more = text.replacen("]}}", r#"],"address":null}}"#, 1);
        let more = format!("{}]}}}}", &more[..more.len() - 3]);
        assert!(tail(more.as_bytes(), at, false).is_none());
    }

    #[test]
    fn a_prior_state_read_in_two_parts_is_read_whole() {
        let planned = section(40);
        let read = values(planned.as_bytes(), None, true).unwrap();
        let known = Known::new(planned.as_bytes(), &read.seen);
        // The prior state changed one subnet, and ends with keys after `values`.
        let body = planned.replacen(
            r#""cidr_block":"10.0.30.0/24""#,
            r#""cidr_block":"10.9.30.0/24""#,
            1,
        );
        let prior = format!(
            r#"{{"format_version":"1.0","values":{body},"checks":[{{"x":1}}],"terraform_version":"1.9.0"}}"#
        );
        let text = prior.as_bytes();
        let alone = state(text, None, None).unwrap().dto;
        let h = Handoff::default();
        let at = h.offer(text).unwrap();
        let first = state(text, Some(&known), Some(&h)).unwrap();
        assert!(first.halted);
        // Only what came before `values`, and `values` itself.
        assert_eq!(first.fields, 1 | 4);
        let mut dto = first.dto;
        assert_eq!(dto.terraform_version, None);
        let (modules, rest, fields) = state_tail(text, at, Some(&known)).unwrap();
        assert_eq!(fields, 2);
        let n = dto
            .values
            .as_ref()
            .unwrap()
            .root_module
            .as_ref()
            .unwrap()
            .child_modules
            .len();
        assert!(n > 5 && n < 40, "{n}");
        dto.terraform_version = rest.terraform_version;
        dto.values
            .as_mut()
            .unwrap()
            .root_module
            .as_mut()
            .unwrap()
            .child_modules
            .extend(modules);
        assert_eq!(format!("{dto:?}"), format!("{alone:?}"));
        // Both parts shared what `planned_values` read: all but the changed subnet.
        let p = all(&read.dto);
        let q = all(dto.values.as_ref().unwrap());
        let fresh: Vec<&str> = p
            .iter()
            .zip(&q)
            .filter(|(p, q)| {
                !p.values
                    .as_ref()
                    .unwrap()
                    .shares(q.values.as_ref().unwrap())
            })
            .map(|(_, q)| q.address.as_ref())
            .collect();
        assert_eq!(fresh, ["module.m[30].aws_subnet.s"]);
        // A second `values` after the first is refused, as the derived parse refuses it.
        let twice = format!(r#"{{"values":{body},"values":null}}"#);
        assert!(serde_json::from_str::<StateDto<'_>>(&twice).is_err());
        let at = Handoff::default().offer(twice.as_bytes()).unwrap();
        assert!(state_tail(twice.as_bytes(), at, None).is_none());
    }
}
