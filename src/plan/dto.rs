//! The serde shape of `terraform show -json` (plan format 0.1 to 1.2, and state). Only what
//! the model needs is typed; unknown fields are ignored, resource attributes stay JSON
//! objects (`super::json::Value`) read through the accessors of `refs.rs`.
//!
//! Memory: a plan can be hundreds of megabytes, and a `Value` takes several times the
//! bytes of its JSON. So what the model never reads is skipped while parsing, without
//! being built (`change.before`/`after`/`*_sensitive`, `sensitive_values`,
//! `relevant_attributes`, outputs), still checked for its JSON shape where the old typed
//! fields checked it; and resource `values` and `after_unknown` keep only the top-level
//! attributes `super::attrs` lists (`after_unknown` compactly, see [`UnknownValue`]).
//!
//! This module does not interpret anything: it never links, never builds the model.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::marker::PhantomData;

use serde::de::{IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};

use super::attrs::NameSet;
use super::json::{CowVisitor, Map, SharedMap, Transient, Value};

/// The whole document: a plan (`planned_values`, ...) or a state (`values`). It owns what
/// it keeps (see `super::json`): the input can be freed once it is parsed.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct PlanDto<'a> {
    pub format_version: Option<String>,
    pub terraform_version: Option<String>,
    /// A state file's values.
    pub values: Option<ValuesDto<'a>>,
    pub planned_values: Option<ValuesDto<'a>>,
    pub prior_state: Option<StateDto<'a>>,
    pub resource_changes: Vec<ResourceChangeDto<'a>>,
    pub resource_drift: Vec<ResourceChangeDto<'a>>,
    pub configuration: Option<ConfigurationDto<'a>>,
    /// Checked to be an object, not kept.
    pub variables: Option<IgnoredObject>,
    /// Checked to be an object, not kept.
    pub output_changes: Option<IgnoredObject>,
    /// Checked to be an array, not kept.
    pub relevant_attributes: IgnoredArray,
    pub errored: bool,
}

impl PlanDto<'_> {
    /// Gives back the spare capacity of the resource lists (grown by doubling while
    /// parsing), which would otherwise stay allocated until the model is built.
    pub fn shrink_to_fit(&mut self) {
        self.resource_changes.shrink_to_fit();
        self.resource_drift.shrink_to_fit();
        let values = [&mut self.values, &mut self.planned_values]
            .into_iter()
            .chain(self.prior_state.as_mut().map(|s| &mut s.values));
        for v in values.flatten() {
            if let Some(root) = &mut v.root_module {
                root.shrink_to_fit(0);
            }
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct StateDto<'a> {
    pub format_version: Option<String>,
    pub terraform_version: Option<String>,
    pub values: Option<ValuesDto<'a>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ValuesDto<'a> {
    /// Checked to be an object, not kept.
    pub outputs: Option<IgnoredObject>,
    pub root_module: Option<ModuleDto<'a>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ModuleDto<'a> {
    #[serde(deserialize_with = "opt_cow")]
    pub address: Option<Cow<'a, str>>,
    pub resources: Vec<ResourceDto<'a>>,
    pub child_modules: Vec<ModuleDto<'a>>,
}

impl ModuleDto<'_> {
    fn shrink_to_fit(&mut self, depth: u32) {
        // As deep as the model builder goes (a hostile plan can nest further).
        if depth > 64 {
            return;
        }
        self.resources.shrink_to_fit();
        self.child_modules.shrink_to_fit();
        for c in &mut self.child_modules {
            c.shrink_to_fit(depth + 1);
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ResourceDto<'a> {
    #[serde(deserialize_with = "cow")]
    pub address: Cow<'a, str>,
    #[serde(deserialize_with = "opt_cow")]
    pub mode: Option<Cow<'a, str>>,
    #[serde(rename = "type", deserialize_with = "cow")]
    pub type_: Cow<'a, str>,
    #[serde(deserialize_with = "cow")]
    pub name: Cow<'a, str>,
    /// `count` (number) or `for_each` (string) key.
    pub index: Option<Value<'a>>,
    /// Only the attributes the model reads (see `super::attrs`).
    pub values: Option<Attributes<'a>>,
}

impl<'a> ResourceDto<'a> {
    /// The attribute values (none when absent).
    pub fn attributes(&self) -> &Attributes<'a> {
        self.values.as_ref().unwrap_or(Attributes::none())
    }
}

/// A string, owned (or a static name, see [`super::json::store`]).
fn cow<'de, 'a, D: Deserializer<'de>>(d: D) -> Result<Cow<'a, str>, D::Error> {
    d.deserialize_str(CowVisitor(PhantomData))
}

/// [`cow`] for an optional (or `null`) string.
fn opt_cow<'de, 'a, D: Deserializer<'de>>(d: D) -> Result<Option<Cow<'a, str>>, D::Error> {
    struct V<'a>(PhantomData<&'a ()>);
    impl<'de, 'a> Visitor<'de> for V<'a> {
        type Value = Option<Cow<'a, str>>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a string or null")
        }
        fn visit_none<E>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_unit<E>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            cow(d).map(Some)
        }
    }
    d.deserialize_option(V(PhantomData))
}

/// A resource object keeping only the top-level attributes the model reads (see
/// [`super::attrs`]), compactly: those whose value is the one constant of its kind
/// (`null` in `values`, `true` in `after_unknown`; thousands of resources have a dozen
/// each) as a bit set, the others as pairs.
#[derive(Debug, Default, Clone, PartialEq)]
struct Compact<'a> {
    set: NameSet,
    /// The keys of `rest`: an attribute that is in neither set is absent, found so without
    /// looking through the pairs (the builder asks for many absent ones: `id`, every link
    /// attribute a type does not have, ...).
    in_rest: NameSet,
    /// Shared by clones: a clone of `Compact` copies the two sets and shares the pairs.
    rest: SharedMap<'a>,
}

/// Where [`Kept`] puts an attribute.
enum Slot<'a> {
    /// In the bit set: its value is the constant.
    Set,
    Rest(Value<'a>),
    /// Nowhere: it says nothing.
    Drop,
}

impl<'a> Compact<'a> {
    const EMPTY: Compact<'static> = Compact {
        set: NameSet::EMPTY,
        in_rest: NameSet::EMPTY,
        rest: SharedMap::EMPTY,
    };

    fn get(&self, attr: &str, constant: &'static Value<'static>) -> Option<&Value<'a>> {
        // Only listed names are kept: any other is absent.
        let i = super::attrs::index(attr)?;
        if self.set.has(i) {
            Some(constant)
        } else if self.in_rest.has(i) || super::attrs::is_rare(i) {
            self.rest.get(attr)
        } else {
            None
        }
    }

    fn to_value(&self, constant: &Value<'static>) -> Value<'a> {
        let mut m = self.rest.to_map();
        for name in self.set.iter() {
            m.insert(name, constant.clone());
        }
        Value::Object(m)
    }
}

/// A [`Compact`] being filled, key by key in input order, by the derived parse
/// ([`read_compact`]) or by the fast path's reader (`scan.rs`).
pub(super) struct Kept<'a> {
    slot: fn(Value<'a>) -> Slot<'a>,
    /// The value [`Slot::Set`] stands for.
    constant: &'static Value<'static>,
    set: NameSet,
    in_rest: NameSet,
    rest: Vec<(Cow<'a, str>, Value<'a>)>,
}

impl<'a> Kept<'a> {
    /// For [`Attributes`].
    pub(super) fn attributes() -> Self {
        Kept::new(
            |v| match v {
                Value::Null => Slot::Set,
                v => Slot::Rest(v),
            },
            &NULL,
        )
    }

    /// For [`UnknownValue`].
    pub(super) fn unknown() -> Self {
        Kept::new(
            |v| match v {
                Value::Bool(true) => Slot::Set,
                v if has_true(&v) => Slot::Rest(v),
                _ => Slot::Drop,
            },
            &TRUE,
        )
    }

    fn new(slot: fn(Value<'a>) -> Slot<'a>, constant: &'static Value<'static>) -> Self {
        Kept {
            slot,
            constant,
            set: NameSet::EMPTY,
            in_rest: NameSet::EMPTY,
            rest: Vec::new(),
        }
    }

    /// The value of the listed attribute `name` (at position `i` of the list). A key
    /// written again replaces what it said before.
    pub(super) fn put(&mut self, i: usize, name: &'static str, v: Value<'a>) {
        if super::attrs::is_rare(i) {
            // Outside the sets: always a pair, the constant included.
            self.rest.retain(|(k, _)| k != name);
            match (self.slot)(v) {
                Slot::Set => self.rest.push((Cow::Borrowed(name), self.constant.clone())),
                Slot::Rest(v) => self.rest.push((Cow::Borrowed(name), v)),
                Slot::Drop => {}
            }
            return;
        }
        self.set.take(i);
        if self.in_rest.has(i) {
            self.rest.retain(|(k, _)| k != name);
            self.in_rest.take(i);
        }
        match (self.slot)(v) {
            Slot::Set => self.set.add(i),
            Slot::Rest(v) => {
                self.rest.push((Cow::Borrowed(name), v));
                self.in_rest.add(i);
            }
            Slot::Drop => {}
        }
    }

    fn compact(self) -> Compact<'a> {
        Compact {
            set: self.set,
            in_rest: self.in_rest,
            rest: SharedMap::from(self.rest),
        }
    }

    pub(super) fn into_attributes(self) -> Attributes<'a> {
        Attributes(self.compact())
    }

    pub(super) fn into_unknown(self) -> UnknownValue<'a> {
        UnknownValue(self.compact())
    }
}

/// Reads an object into `kept`, skipping the attributes the model does not read.
fn read_compact<'de, 'a, A: MapAccess<'de>>(
    mut map: A,
    mut kept: Kept<'a>,
) -> Result<Kept<'a>, A::Error> {
    while let Some(Transient(key)) = map.next_key::<Transient<'de>>()? {
        let Some((i, name)) = super::attrs::lookup(&key) else {
            map.next_value::<IgnoredAny>()?;
            continue;
        };
        let v: Value<'a> = map.next_value()?;
        kept.put(i, name, v);
    }
    Ok(kept)
}

static NULL: Value<'static> = Value::Null;
static TRUE: Value<'static> = Value::Bool(true);

/// A resource's `values`: its `null` attributes as a set (a known null is not an absent
/// attribute: see `B::link`). Non-objects are rejected at parse time, so that the error
/// names the path.
///
/// Cheap to clone: the sets are copied, the pairs shared. `prior_state` and
/// `planned_values` write most resources of a plan over existing infrastructure with the
/// same bytes, read once (`scan::Known`).
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Attributes<'a>(Compact<'a>);

impl<'a> Attributes<'a> {
    /// No attributes.
    pub fn none() -> &'static Attributes<'static> {
        static NONE: Attributes<'static> = Attributes(Compact::EMPTY);
        &NONE
    }

    /// An attribute's value: `Null` when it is known to be null, `None` when absent.
    pub fn get(&self, attr: &str) -> Option<&Value<'a>> {
        self.0.get(attr, &NULL)
    }

    /// Whether both were read once: equal, and sharing their pairs (two without pairs
    /// count as read once: there is nothing to share).
    #[cfg(test)]
    pub(super) fn shares(&self, other: &Attributes<'_>) -> bool {
        self.0.set == other.0.set
            && self.0.in_rest == other.0.in_rest
            && self.0.rest.shares(&other.0.rest)
    }

    /// The object as written, with only the attributes the model reads.
    pub fn to_value(&self) -> Value<'a> {
        self.0.to_value(&NULL)
    }
}

impl<'de, 'a> Deserialize<'de> for Attributes<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<'a>(PhantomData<&'a ()>);
        impl<'de, 'a> Visitor<'de> for V<'a> {
            type Value = Attributes<'a>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a map")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Attributes<'a>, A::Error> {
                read_compact(map, Kept::attributes()).map(Kept::into_attributes)
            }
        }
        d.deserialize_map(V(PhantomData))
    }
}

/// `after_unknown`: the attributes wholly unknown (`true`) as a set, and those with an
/// unknown part (a list or block with a `true` inside) as written; what holds no `true`
/// says nothing and is dropped. Anything but an object (terraform writes an object, but the
/// field was never checked) is read as empty.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct UnknownValue<'a>(Compact<'a>);

impl<'a> UnknownValue<'a> {
    /// Nothing unknown: the prior state, a resource without a change.
    pub fn none() -> &'static UnknownValue<'static> {
        static NONE: UnknownValue<'static> = UnknownValue(Compact::EMPTY);
        &NONE
    }

    /// The attribute's `after_unknown` value: `true`, its part with unknowns, or `None`
    /// when nothing in it is unknown.
    pub fn get(&self, attr: &str) -> Option<&Value<'a>> {
        self.0.get(attr, &TRUE)
    }

    /// The object terraform wrote, without what says nothing.
    pub fn to_value(&self) -> Value<'a> {
        self.0.to_value(&TRUE)
    }
}

fn has_true(v: &Value<'_>) -> bool {
    match v {
        Value::Bool(b) => *b,
        Value::Array(a) => a.iter().any(has_true),
        Value::Object(m) => m.iter().any(|(_, v)| has_true(v)),
        _ => false,
    }
}

impl<'de, 'a> Deserialize<'de> for UnknownValue<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(UnknownVisitor(PhantomData))
    }
}

struct UnknownVisitor<'a>(PhantomData<&'a ()>);

macro_rules! to_none {
    ($($f:ident: $t:ty),*) => {
        $(fn $f<E: serde::de::Error>(self, _: $t) -> Result<UnknownValue<'a>, E> {
            Ok(UnknownValue::default())
        })*
    };
}

impl<'de, 'a> Visitor<'de> for UnknownVisitor<'a> {
    type Value = UnknownValue<'a>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any JSON value")
    }

    to_none!(visit_bool: bool, visit_i64: i64, visit_u64: u64, visit_f64: f64, visit_str: &str);

    fn visit_unit<E: serde::de::Error>(self) -> Result<UnknownValue<'a>, E> {
        Ok(UnknownValue::default())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<UnknownValue<'a>, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(UnknownValue::default())
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<UnknownValue<'a>, A::Error> {
        read_compact(map, Kept::unknown()).map(Kept::into_unknown)
    }
}

/// A JSON object that is checked but not kept.
#[derive(Debug, Default)]
pub struct IgnoredObject;

impl<'de> Deserialize<'de> for IgnoredObject {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = IgnoredObject;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a map")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<IgnoredObject, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(IgnoredObject)
            }
        }
        d.deserialize_map(V)
    }
}

/// A JSON array that is checked but not kept.
#[derive(Debug, Default)]
pub struct IgnoredArray;

impl<'de> Deserialize<'de> for IgnoredArray {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = IgnoredArray;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a sequence")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<IgnoredArray, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(IgnoredArray)
            }
        }
        d.deserialize_seq(V)
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ResourceChangeDto<'a> {
    /// Absent in some `resource_drift` entries. (The model takes module, type, name and
    /// key from `planned_values`/`prior_state`; here only the address links a change to
    /// its instance.)
    #[serde(deserialize_with = "opt_cow")]
    pub address: Option<Cow<'a, str>>,
    /// Set on a deposed object: the old instance a failed `create_before_destroy`
    /// replacement left behind, which this plan destroys. It shares the address of the
    /// current instance.
    pub deposed: Option<String>,
    pub change: ChangeDto<'a>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ChangeDto<'a> {
    pub actions: Actions,
    /// Only the attributes the model reads (see `super::attrs`); `before`, `after` and
    /// the sensitivity maps are not kept (the model reads `planned_values` and
    /// `prior_state`).
    pub after_unknown: UnknownValue<'a>,
}

/// A change's `actions`, as flags (no allocation per resource).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Actions {
    pub create: bool,
    pub delete: bool,
    pub update: bool,
    pub read: bool,
    pub forget: bool,
    /// `delete` came before `create`: a replacement that deletes the old object first (no
    /// `create_before_destroy`).
    pub delete_first: bool,
}

impl Actions {
    /// Notes one action of the list (others, such as `no-op`, set nothing).
    pub fn add(&mut self, action: &str) {
        match action {
            "create" => self.create = true,
            "delete" => {
                self.delete = true;
                self.delete_first = !self.create;
            }
            "update" => self.update = true,
            "read" => self.read = true,
            "forget" => self.forget = true,
            _ => {}
        }
    }
}

impl<'de> Deserialize<'de> for Actions {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Actions;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a list of actions")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Actions, A::Error> {
                let mut a = Actions::default();
                while let Some(Transient(s)) = seq.next_element::<Transient<'de>>()? {
                    a.add(&s);
                }
                Ok(a)
            }
        }
        d.deserialize_seq(V)
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ConfigurationDto<'a> {
    /// Provider configurations by key (`aws`, `aws.west`): which Region and account a
    /// resource is in ([`ConfigResourceDto::provider_config_key`]).
    pub provider_config: BTreeMap<String, ProviderConfigDto<'a>>,
    pub root_module: Option<ConfigModuleDto<'a>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ProviderConfigDto<'a> {
    pub name: Option<String>,
    pub full_name: Option<String>,
    /// Argument name → expression; `region` is read.
    pub expressions: Map<'a>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ConfigModuleDto<'a> {
    pub outputs: BTreeMap<String, ConfigOutputDto<'a>>,
    pub resources: Vec<ConfigResourceDto<'a>>,
    pub module_calls: BTreeMap<String, ModuleCallDto<'a>>,
    /// Checked to be an object, not kept.
    pub variables: Option<IgnoredObject>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ConfigOutputDto<'a> {
    pub expression: Option<ExpressionDto<'a>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ConfigResourceDto<'a> {
    pub address: String,
    pub mode: Option<String>,
    #[serde(rename = "type")]
    pub type_: String,
    pub name: String,
    /// Attribute name → an expression (`{constant_value|references}`), or for nested
    /// blocks a list (or object) of such maps. Kept raw: read with [`expression_refs`].
    pub expressions: Map<'a>,
    pub count_expression: Option<ExpressionDto<'a>>,
    pub for_each_expression: Option<ExpressionDto<'a>>,
    /// The key of the provider configuration it uses in `provider_config`: resolved to the
    /// root module's configuration by terraform 1.x (`aws.west`), `<module>:aws` in older
    /// formats.
    pub provider_config_key: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ModuleCallDto<'a> {
    pub source: Option<String>,
    pub expressions: Map<'a>,
    pub module: Option<ConfigModuleDto<'a>>,
    pub count_expression: Option<ExpressionDto<'a>>,
    pub for_each_expression: Option<ExpressionDto<'a>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ExpressionDto<'a> {
    pub constant_value: Option<Value<'a>>,
    pub references: Vec<String>,
}

/// An expression's references: most have one or two (`aws_vpc.this.id`, `aws_vpc.this`),
/// kept inline rather than in an allocation of their own for each of thousands of links.
pub type Refs<'v> = smallvec::SmallVec<[&'v str; 4]>;

/// The `references` of a raw expression value (`{"references": [...]}`); empty for
/// constants, blocks and anything malformed.
pub fn expression_refs<'v>(expr: &'v Value<'_>) -> Refs<'v> {
    match expr.get("references").and_then(Value::as_array) {
        Some(refs) => refs.iter().filter_map(Value::as_str).collect(),
        None => Refs::new(),
    }
}

/// Whether the expression has a reference ([`expression_refs`] without the list).
pub fn has_references(expr: &Value<'_>) -> bool {
    expr.get("references")
        .and_then(Value::as_array)
        .is_some_and(|refs| refs.iter().any(|r| r.as_str().is_some()))
}

/// The nested block expressions of a raw expression value: a list of maps, or one map.
pub fn expression_blocks<'v, 'a>(expr: &'v Value<'a>) -> Vec<&'v Map<'a>> {
    match expr {
        Value::Array(items) => items.iter().filter_map(Value::as_object).collect(),
        Value::Object(m) if !m.contains_key("references") && !m.contains_key("constant_value") => {
            vec![m]
        }
        _ => Vec::new(),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    fn unknown(doc: &str) -> UnknownValue<'static> {
        serde_json::from_str(doc).unwrap()
    }

    #[test]
    fn rare_attributes_are_kept_as_pairs_constants_included() {
        // `routes`, `attachments` are in `attrs::READ_RARE`: outside the bit sets.
        let a: Attributes<'static> = serde_json::from_str(
            r#"{"routes": [{"nat_gateway_id": "nat-1"}], "attachments": null,
                "vpc_id": "vpc-1", "routes": [{"gateway_id": "igw-1"}], "owner_id": "1"}"#,
        )
        .unwrap();
        let routes = a.get("routes").and_then(Value::as_array).unwrap();
        assert_eq!(routes.len(), 1, "a key written again replaces it");
        assert_eq!(
            routes[0].get("gateway_id").and_then(Value::as_str),
            Some("igw-1")
        );
        assert_eq!(a.get("attachments"), Some(&Value::Null));
        assert_eq!(a.get("vpc_id").and_then(Value::as_str), Some("vpc-1"));
        assert_eq!(a.get("owner_id"), None);
        let u = unknown(r#"{"routes": true, "attachments": false, "id": true}"#);
        assert_eq!(u.get("routes"), Some(&Value::Bool(true)));
        assert_eq!(u.get("attachments"), None);
        assert_eq!(u.get("id"), Some(&Value::Bool(true)));
    }

    #[test]
    fn after_unknown_keeps_what_is_unknown_and_drops_what_says_nothing() {
        let u = unknown(
            r#"{"id": true, "arn": true, "owner_id": true, "vpc_id": false,
                "tags": {}, "ingress": [{"cidr_blocks": [false]}],
                "route": [{"gateway_id": true}], "cidr_block": true, "cidr_block": false}"#,
        );
        assert_eq!(u.get("id"), Some(&Value::Bool(true)));
        assert_eq!(u.get("arn"), Some(&Value::Bool(true)));
        // Not read by the builder, false, empty, or overwritten by a later false.
        for attr in ["owner_id", "vpc_id", "tags", "ingress", "cidr_block"] {
            assert_eq!(u.get(attr), None, "{attr}");
        }
        let route = u.get("route").and_then(Value::as_array).unwrap();
        assert_eq!(
            route[0].get("gateway_id").and_then(Value::as_bool),
            Some(true)
        );
        let whole = u.to_value();
        let mut keys: Vec<&str> = whole.as_object().unwrap().keys().collect();
        keys.sort_unstable();
        assert_eq!(keys, ["arn", "id", "route"]);
    }

    #[test]
    fn attributes_tell_a_known_null_from_an_absent_attribute() {
        let a: Attributes<'static> = serde_json::from_str(
            r#"{"gateway_id": null, "nat_gateway_id": "nat-1", "owner_id": "x",
                "vpc_id": "vpc-1", "vpc_id": null, "instance_id": null, "instance_id": "i-1"}"#,
        )
        .unwrap();
        assert_eq!(a.get("gateway_id"), Some(&Value::Null));
        assert_eq!(
            a.get("nat_gateway_id").and_then(Value::as_str),
            Some("nat-1")
        );
        // Not read by the builder, or absent.
        assert_eq!(a.get("owner_id"), None);
        assert_eq!(a.get("subnet_id"), None);
        // A repeated key keeps its last value.
        assert_eq!(a.get("vpc_id"), Some(&Value::Null));
        assert_eq!(a.get("instance_id").and_then(Value::as_str), Some("i-1"));
        let v = a.to_value();
        let mut keys: Vec<&str> = v.as_object().unwrap().keys().collect();
        keys.sort_unstable();
        assert_eq!(
            keys,
            ["gateway_id", "instance_id", "nat_gateway_id", "vpc_id"]
        );
        assert!(serde_json::from_str::<Attributes<'static>>("[1]").is_err());
    }

    #[test]
    fn after_unknown_that_is_not_an_object_is_empty() {
        for doc in ["null", "true", "[true]", "\"x\"", "1"] {
            assert_eq!(unknown(doc), UnknownValue::default(), "{doc}");
        }
    }
}
