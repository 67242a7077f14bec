//! A JSON value for the resource attributes and configuration expressions the parser
//! keeps.
//!
//! `serde_json::Value` keeps objects in hash or tree maps; on a 263 MB plan that is
//! gigabytes of memory and most of the parse time. Here an object is a vector of pairs
//! (resource attribute maps are small, and their order is the input's), and the API is the
//! subset of `serde_json::Value`'s the model builder uses, under the same names.
//!
//! Values own their strings, so that the input (as large as everything kept from it) is
//! freed before the model is built; a string that is one of the names the builder reads
//! (most object keys) is not copied but points at the builder's static name
//! ([`super::attrs::intern`]).
//!
//! This module only represents JSON; which keys are kept is [`super::dto`]'s business.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

/// A JSON number, as the input wrote it: a signed or unsigned integer, or a float.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Number {
    Int(i64),
    Uint(u64),
    Float(f64),
}

impl Number {
    pub fn as_i64(&self) -> Option<i64> {
        match *self {
            Number::Int(i) => Some(i),
            Number::Uint(u) => i64::try_from(u).ok(),
            Number::Float(_) => None,
        }
    }
}

impl fmt::Display for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Number::Int(i) => write!(f, "{i}"),
            Number::Uint(u) => write!(f, "{u}"),
            // serde_json's rendering of a float (`1.0`, `1e300`), through its own formatter.
            Number::Float(x) => match serde_json::Number::from_f64(*x) {
                Some(n) => write!(f, "{n}"),
                None => write!(f, "{x}"),
            },
        }
    }
}

/// A JSON value owning its strings (or pointing at the static names of [`super::attrs`]).
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Value<'a> {
    #[default]
    Null,
    Bool(bool),
    Number(Number),
    String(Cow<'a, str>),
    Array(Vec<Value<'a>>),
    Object(Map<'a>),
}

/// A JSON object: its pairs in input order. A key written twice keeps its last value, as
/// with `serde_json`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Map<'a>(Vec<(Cow<'a, str>, Value<'a>)>);

impl<'a> Map<'a> {
    pub const fn new() -> Self {
        Map(Vec::new())
    }
    pub fn get(&self, key: &str) -> Option<&Value<'a>> {
        find(&self.0, key)
    }
    pub fn contains_key(&self, key: &str) -> bool {
        self.get(key).is_some()
    }
    /// Sets a key, replacing its value when it is present.
    pub fn insert(&mut self, key: impl Into<Cow<'a, str>>, value: Value<'a>) {
        let key = key.into();
        match self.0.iter_mut().find(|(k, _)| *k == key) {
            Some(slot) => slot.1 = value,
            None => self.0.push((key, value)),
        }
    }
    pub fn iter(&self) -> impl Iterator<Item = (&Cow<'a, str>, &Value<'a>)> {
        self.0.iter().map(|(k, v)| (k, v))
    }
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(|(k, _)| k.as_ref())
    }
    pub fn len(&self) -> usize {
        self.0.len()
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// The value of `key` among `pairs`.
fn find<'p, 'a>(pairs: &'p [Pair<'a>], key: &str) -> Option<&'p Value<'a>> {
    // Called for every attribute the builder reads: most keys differ in length or in their
    // first, middle or last byte (many end in `_id`), which is cheaper to check than a
    // string comparison.
    let b = key.as_bytes();
    let probe = |x: &[u8]| {
        (
            x.first().copied(),
            x.get(x.len() / 2).copied(),
            x.last().copied(),
        )
    };
    let want = probe(b);
    pairs
        .iter()
        .find(|(k, _)| k.len() == b.len() && probe(k.as_bytes()) == want && k == key)
        .map(|(_, v)| v)
}

/// Pairs of a [`Map`] that never changes, shared by its clones (one allocation with the
/// pairs, as many hops to them as a vector's).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SharedMap<'a>(Option<Arc<[Pair<'a>]>>);

/// A key and its value.
type Pair<'a> = (Cow<'a, str>, Value<'a>);

impl<'a> SharedMap<'a> {
    pub const EMPTY: SharedMap<'static> = SharedMap(None);

    pub fn get(&self, key: &str) -> Option<&Value<'a>> {
        find(self.0.as_deref()?, key)
    }

    /// Whether both hold the same pairs, not copies (or both none).
    #[cfg(test)]
    pub fn shares(&self, other: &SharedMap<'_>) -> bool {
        match (&self.0, &other.0) {
            (Some(a), Some(b)) => std::ptr::eq(a.as_ptr().cast::<()>(), b.as_ptr().cast::<()>()),
            (None, None) => true,
            _ => false,
        }
    }

    /// The pairs as a [`Map`] of their own.
    pub fn to_map(&self) -> Map<'a> {
        self.0.iter().flat_map(|p| p.iter().cloned()).collect()
    }
}

/// Pairs in order (the caller has removed repeated keys).
impl<'a> From<Vec<Pair<'a>>> for SharedMap<'a> {
    fn from(pairs: Vec<Pair<'a>>) -> Self {
        SharedMap((!pairs.is_empty()).then(|| Arc::from(pairs)))
    }
}

/// Pairs in order (the caller has removed repeated keys), exactly sized.
impl<'a> FromIterator<(Cow<'a, str>, Value<'a>)> for Map<'a> {
    fn from_iter<I: IntoIterator<Item = (Cow<'a, str>, Value<'a>)>>(iter: I) -> Self {
        let mut v: Vec<_> = iter.into_iter().collect();
        v.shrink_to_fit();
        Map(v)
    }
}

impl<'m, 'a> IntoIterator for &'m Map<'a> {
    type Item = (&'m Cow<'a, str>, &'m Value<'a>);
    type IntoIter = std::iter::Map<
        std::slice::Iter<'m, (Cow<'a, str>, Value<'a>)>,
        fn(&'m (Cow<'a, str>, Value<'a>)) -> (&'m Cow<'a, str>, &'m Value<'a>),
    >;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter().map(|(k, v)| (k, v))
    }
}

impl<'a> Value<'a> {
    /// The value of a key of an object; `None` for a missing key or a non-object.
    pub fn get(&self, key: &str) -> Option<&Value<'a>> {
        match self {
            Value::Object(m) => m.get(key),
            _ => None,
        }
    }
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Value::Number(n) => n.as_i64(),
            _ => None,
        }
    }
    pub fn as_array(&self) -> Option<&Vec<Value<'a>>> {
        match self {
            Value::Array(a) => Some(a),
            _ => None,
        }
    }
    pub fn as_object(&self) -> Option<&Map<'a>> {
        match self {
            Value::Object(m) => Some(m),
            _ => None,
        }
    }
}

// Not tied to the input's lifetime: every string is owned (or one of the builder's static
// names), so the input can be freed as soon as it is parsed.
impl<'de, 'a> Deserialize<'de> for Value<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ValueVisitor(PhantomData))
    }
}

impl<'de, 'a> Deserialize<'de> for Map<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_map(MapVisitor::new(keep_all))
    }
}

fn keep_all(_: &str) -> bool {
    true
}

/// A string to keep: the builder's static copy when it is one of the names it reads
/// (attribute names, most object keys, `"data"`, resource types), else an owned copy.
pub fn store<'a>(s: &str) -> Cow<'a, str> {
    match super::attrs::intern(s) {
        Some(name) => Cow::Borrowed(name),
        None => Cow::Owned(s.to_owned()),
    }
}

struct ValueVisitor<'a>(PhantomData<&'a ()>);

impl<'de, 'a> Visitor<'de> for ValueVisitor<'a> {
    type Value = Value<'a>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_unit<E>(self) -> Result<Value<'a>, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value<'a>, E> {
        Ok(Value::Null)
    }
    fn visit_bool<E>(self, b: bool) -> Result<Value<'a>, E> {
        Ok(Value::Bool(b))
    }
    fn visit_i64<E>(self, i: i64) -> Result<Value<'a>, E> {
        Ok(Value::Number(Number::Int(i)))
    }
    fn visit_u64<E>(self, u: u64) -> Result<Value<'a>, E> {
        Ok(Value::Number(match i64::try_from(u) {
            Ok(i) => Number::Int(i),
            Err(_) => Number::Uint(u),
        }))
    }
    fn visit_f64<E>(self, x: f64) -> Result<Value<'a>, E> {
        Ok(Value::Number(Number::Float(x)))
    }
    fn visit_str<E>(self, s: &str) -> Result<Value<'a>, E> {
        Ok(Value::String(store(s)))
    }
    fn visit_string<E>(self, s: String) -> Result<Value<'a>, E> {
        Ok(Value::String(Cow::Owned(s)))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value<'a>, A::Error> {
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(64));
        while let Some(v) = seq.next_element()? {
            out.push(v);
        }
        // Kept until the model is built: no room to spare.
        out.shrink_to_fit();
        Ok(Value::Array(out))
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Value<'a>, A::Error> {
        MapVisitor::new(keep_all).visit_map(map).map(Value::Object)
    }
}

/// Reads an object, keeping the keys `keep` accepts and skipping the others' values
/// without building them.
pub struct MapVisitor<'a, F> {
    keep: F,
    marker: PhantomData<&'a ()>,
}

impl<F: Fn(&str) -> bool> MapVisitor<'_, F> {
    pub fn new(keep: F) -> Self {
        MapVisitor {
            keep,
            marker: PhantomData,
        }
    }
}

impl<'de, 'a, F: Fn(&str) -> bool> Visitor<'de> for MapVisitor<'a, F> {
    type Value = Map<'a>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a map")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Map<'a>, A::Error> {
        let mut out: Vec<(Cow<'a, str>, Value<'a>)> = Vec::new();
        while let Some(Transient(key)) = map.next_key::<Transient<'de>>()? {
            if (self.keep)(&key) {
                let v: Value<'a> = map.next_value()?;
                match out.iter_mut().find(|(k, _)| *k == key) {
                    Some(slot) => slot.1 = v,
                    None => out.push((store(&key), v)),
                }
            } else {
                map.next_value::<serde::de::IgnoredAny>()?;
            }
        }
        // Kept until the model is built, for every resource: no room to spare.
        out.shrink_to_fit();
        Ok(Map(out))
    }
}

/// A string looked at while parsing (an object key, an action) and copied only if kept:
/// borrowed from the input when it has no escapes.
pub struct Transient<'de>(pub Cow<'de, str>);

impl<'de> Deserialize<'de> for Transient<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_str(BorrowVisitor).map(Transient)
    }
}

/// A string borrowed from the input when it has no escapes: for what is looked at while
/// parsing and not kept. (serde's own `Cow<str>` always copies.)
pub struct BorrowVisitor;

impl<'de> Visitor<'de> for BorrowVisitor {
    type Value = Cow<'de, str>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }
    fn visit_borrowed_str<E>(self, s: &'de str) -> Result<Cow<'de, str>, E> {
        Ok(Cow::Borrowed(s))
    }
    fn visit_str<E>(self, s: &str) -> Result<Cow<'de, str>, E> {
        Ok(Cow::Owned(s.to_string()))
    }
    fn visit_string<E>(self, s: String) -> Result<Cow<'de, str>, E> {
        Ok(Cow::Owned(s))
    }
}

/// A string to keep (see [`store`]).
pub struct CowVisitor<'a>(pub PhantomData<&'a ()>);

impl<'de, 'a> Visitor<'de> for CowVisitor<'a> {
    type Value = Cow<'a, str>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }
    fn visit_str<E>(self, s: &str) -> Result<Cow<'a, str>, E> {
        Ok(store(s))
    }
    fn visit_string<E>(self, s: String) -> Result<Cow<'a, str>, E> {
        Ok(Cow::Owned(s))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn owns_its_strings_and_shares_the_builder_names() {
        let doc = br#"{"a": "plain", "b": "esc\"aped", "c": [1, -2, 18446744073709551615, 1.5, true, null], "cidr_block": "egress"}"#;
        // The value outlives the buffer it was parsed from.
        let input = doc.to_vec();
        let v: Value<'static> = serde_json::from_slice(&input).unwrap();
        drop(input);
        assert!(matches!(v.get("a"), Some(Value::String(Cow::Owned(s))) if s == "plain"));
        let m = v.as_object().unwrap();
        let (k, e) = m.iter().last().unwrap();
        assert!(matches!(k, Cow::Borrowed("cidr_block")));
        assert!(matches!(e, Value::String(Cow::Borrowed("egress"))));
        assert_eq!(v.get("b").and_then(Value::as_str), Some("esc\"aped"));
        let c = v.get("c").and_then(Value::as_array).unwrap();
        assert_eq!(c[0].as_i64(), Some(1));
        assert_eq!(c[1].as_i64(), Some(-2));
        assert_eq!(c[2].as_i64(), None);
        assert_eq!(c[3], Value::Number(Number::Float(1.5)));
        assert_eq!(c[4].as_bool(), Some(true));
        assert!(c[5].is_null());
    }

    #[test]
    fn a_repeated_key_keeps_its_last_value_and_keys_can_be_pruned() {
        let doc = br#"{"x": 1, "skip": {"deep": [1, 2]}, "x": 2}"#;
        let mut de = serde_json::Deserializer::from_slice(doc);
        let m = de
            .deserialize_map(MapVisitor::new(|k: &str| k != "skip"))
            .unwrap();
        assert_eq!(m.len(), 1);
        assert_eq!(m.get("x").and_then(Value::as_i64), Some(2));
    }

    #[test]
    fn numbers_render_like_serde_json() {
        assert_eq!(Number::Int(-3).to_string(), "-3");
        assert_eq!(Number::Uint(u64::MAX).to_string(), u64::MAX.to_string());
        assert_eq!(Number::Float(1.0).to_string(), "1.0");
    }
}
