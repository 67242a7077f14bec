//! The serde shape of `terraform show -json` (plan format 0.1 to 1.2, and state). Only what
//! the model needs is typed; unknown fields are ignored, resource attributes stay
//! `serde_json::Value` maps read through the accessors of `refs.rs`.
//!
//! Memory: a plan can be hundreds of megabytes, and a `Value` takes several times the
//! bytes of its JSON. So what the model never reads is skipped while parsing, without
//! being built (`change.before`/`after`/`*_sensitive`, `sensitive_values`,
//! `relevant_attributes`, outputs), still checked for its JSON shape where the old typed
//! fields checked it; and resource `values` and `after_unknown` keep only the top-level
//! attributes [`super::attrs`] lists.
//!
//! This module does not interpret anything: it never links, never builds the model.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::marker::PhantomData;

use serde::de::{IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};

use super::json::{CowVisitor, Map, MapVisitor, Transient, Value};

/// The whole document: a plan (`planned_values`, ...) or a state (`values`). It owns what
/// it keeps (see [`super::json`]): the input can be freed once it is parsed.
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
    /// Only the attributes the model reads (see [`super::attrs`]).
    pub values: Option<ObjectValue<'a>>,
}

impl<'a> ResourceDto<'a> {
    /// The attribute values as a JSON object (`Null` when absent).
    pub fn values_value(&self) -> &Value<'a> {
        static NULL: Value<'static> = Value::Null;
        self.values.as_ref().map_or(&NULL, |v| &v.0)
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

/// A JSON object with only the top-level keys the model reads, rejecting non-objects at
/// parse time so the error names the path.
#[derive(Debug, Default)]
pub struct ObjectValue<'a>(pub Value<'a>);

impl<'de, 'a> Deserialize<'de> for ObjectValue<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_map(MapVisitor::new(super::attrs::is_read))
            .map(|m| ObjectValue(Value::Object(m)))
    }
}

/// `after_unknown`: an object pruned like [`ObjectValue`]; anything else (terraform writes
/// an object, but the field was never checked) is read as `null`.
#[derive(Debug, Default)]
pub struct UnknownValue<'a>(pub Value<'a>);

impl<'de, 'a> Deserialize<'de> for UnknownValue<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(PrunedAny(PhantomData)).map(UnknownValue)
    }
}

/// Like [`ObjectValue`] for objects; every other JSON value becomes `null`.
struct PrunedAny<'a>(PhantomData<&'a ()>);

macro_rules! to_null {
    ($($f:ident: $t:ty),*) => {
        $(fn $f<E: serde::de::Error>(self, _: $t) -> Result<Value<'a>, E> { Ok(Value::Null) })*
    };
}

impl<'de, 'a> Visitor<'de> for PrunedAny<'a> {
    type Value = Value<'a>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any JSON value")
    }

    to_null!(visit_bool: bool, visit_i64: i64, visit_u64: u64, visit_f64: f64, visit_str: &str);

    fn visit_unit<E: serde::de::Error>(self) -> Result<Value<'a>, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value<'a>, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Value::Null)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Value<'a>, A::Error> {
        MapVisitor::new(super::attrs::is_read)
            .visit_map(map)
            .map(Value::Object)
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
    /// Only the attributes the model reads (see [`super::attrs`]); `before`, `after` and
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
                    match s.as_ref() {
                        "create" => a.create = true,
                        "delete" => a.delete = true,
                        "update" => a.update = true,
                        "read" => a.read = true,
                        "forget" => a.forget = true,
                        _ => {}
                    }
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
    pub root_module: Option<ConfigModuleDto<'a>>,
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

/// The `references` of a raw expression value (`{"references": [...]}`); empty for
/// constants, blocks and anything malformed.
pub fn expression_refs<'v>(expr: &'v Value<'_>) -> Vec<&'v str> {
    match expr.get("references").and_then(Value::as_array) {
        Some(refs) => refs.iter().filter_map(Value::as_str).collect(),
        None => Vec::new(),
    }
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
