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

use std::collections::BTreeMap;

use serde::de::{IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::{Map, Value};

/// The whole document: a plan (`planned_values`, ...) or a state (`values`).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct PlanDto {
    pub format_version: Option<String>,
    pub terraform_version: Option<String>,
    /// A state file's values.
    pub values: Option<ValuesDto>,
    pub planned_values: Option<ValuesDto>,
    pub prior_state: Option<StateDto>,
    pub resource_changes: Vec<ResourceChangeDto>,
    pub resource_drift: Vec<ResourceChangeDto>,
    pub configuration: Option<ConfigurationDto>,
    pub variables: Option<BTreeMap<String, VariableDto>>,
    /// Checked to be an object, not kept.
    pub output_changes: Option<IgnoredObject>,
    /// Checked to be an array, not kept.
    pub relevant_attributes: IgnoredArray,
    pub errored: bool,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct StateDto {
    pub format_version: Option<String>,
    pub terraform_version: Option<String>,
    pub values: Option<ValuesDto>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct VariableDto {
    pub value: Value,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ValuesDto {
    /// Checked to be an object, not kept.
    pub outputs: Option<IgnoredObject>,
    pub root_module: Option<ModuleDto>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ModuleDto {
    pub address: Option<String>,
    pub resources: Vec<ResourceDto>,
    pub child_modules: Vec<ModuleDto>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ResourceDto {
    pub address: String,
    pub mode: Option<String>,
    #[serde(rename = "type")]
    pub type_: String,
    pub name: String,
    /// `count` (number) or `for_each` (string) key.
    pub index: Option<Value>,
    /// Only the attributes the model reads (see [`super::attrs`]).
    pub values: Option<ObjectValue>,
}

impl ResourceDto {
    /// The attribute values as a JSON object (`Null` when absent).
    pub fn values_value(&self) -> &Value {
        static NULL: Value = Value::Null;
        self.values.as_ref().map_or(&NULL, |v| &v.0)
    }
}

/// A JSON object kept as a `Value` (so it can be read like any other value) with only the
/// top-level keys the model reads, rejecting non-objects at parse time so the error names
/// the path.
#[derive(Debug, Default)]
pub struct ObjectValue(pub Value);

impl<'de> Deserialize<'de> for ObjectValue {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_map(PrunedMap).map(ObjectValue)
    }
}

/// `after_unknown`: an object pruned like [`ObjectValue`]; anything else (terraform writes
/// an object, but the field was never checked) is read as `null`.
#[derive(Debug, Default)]
pub struct UnknownValue(pub Value);

impl<'de> Deserialize<'de> for UnknownValue {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(PrunedAny).map(UnknownValue)
    }
}

/// Builds an object of the keys [`super::attrs::is_read`] accepts, skipping the others'
/// values without building them.
struct PrunedMap;

impl<'de> Visitor<'de> for PrunedMap {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a map")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        while let Some(key) = map.next_key::<KeyName>()? {
            match key {
                KeyName::Read(k) => {
                    let v: Value = map.next_value()?;
                    out.insert(k, v);
                }
                KeyName::Skipped => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(Value::Object(out))
    }
}

/// Like [`PrunedMap`] for objects; every other JSON value becomes `null`.
struct PrunedAny;

macro_rules! to_null {
    ($($f:ident: $t:ty),*) => {
        $(fn $f<E: serde::de::Error>(self, _: $t) -> Result<Value, E> { Ok(Value::Null) })*
    };
}

impl<'de> Visitor<'de> for PrunedAny {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any JSON value")
    }

    to_null!(visit_bool: bool, visit_i64: i64, visit_u64: u64, visit_f64: f64, visit_str: &str);

    fn visit_unit<E: serde::de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Value::Null)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Value, A::Error> {
        PrunedMap.visit_map(map)
    }
}

/// An object key: kept (owned) when the model reads it, else only recognised.
enum KeyName {
    Read(String),
    Skipped,
}

impl<'de> Deserialize<'de> for KeyName {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = KeyName;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a string key")
            }
            fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<KeyName, E> {
                Ok(if super::attrs::is_read(s) {
                    KeyName::Read(s.to_string())
                } else {
                    KeyName::Skipped
                })
            }
        }
        d.deserialize_str(V)
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
pub struct ResourceChangeDto {
    /// Absent in some `resource_drift` entries.
    pub address: Option<String>,
    pub module_address: Option<String>,
    pub mode: Option<String>,
    #[serde(rename = "type")]
    pub type_: Option<String>,
    pub name: Option<String>,
    pub index: Option<Value>,
    /// Set on a deposed object: the old instance a failed `create_before_destroy`
    /// replacement left behind, which this plan destroys. It shares the address of the
    /// current instance.
    pub deposed: Option<String>,
    pub change: ChangeDto,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ChangeDto {
    pub actions: Vec<String>,
    /// Only the attributes the model reads (see [`super::attrs`]); `before`, `after` and
    /// the sensitivity maps are not kept (the model reads `planned_values` and
    /// `prior_state`).
    pub after_unknown: UnknownValue,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ConfigurationDto {
    pub root_module: Option<ConfigModuleDto>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ConfigModuleDto {
    pub outputs: BTreeMap<String, ConfigOutputDto>,
    pub resources: Vec<ConfigResourceDto>,
    pub module_calls: BTreeMap<String, ModuleCallDto>,
    pub variables: Option<Map<String, Value>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ConfigOutputDto {
    pub expression: Option<ExpressionDto>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ConfigResourceDto {
    pub address: String,
    pub mode: Option<String>,
    #[serde(rename = "type")]
    pub type_: String,
    pub name: String,
    /// Attribute name → an expression (`{constant_value|references}`), or for nested
    /// blocks a list (or object) of such maps. Kept raw: read with [`expression_refs`].
    pub expressions: Map<String, Value>,
    pub count_expression: Option<ExpressionDto>,
    pub for_each_expression: Option<ExpressionDto>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ModuleCallDto {
    pub source: Option<String>,
    pub expressions: Map<String, Value>,
    pub module: Option<ConfigModuleDto>,
    pub count_expression: Option<ExpressionDto>,
    pub for_each_expression: Option<ExpressionDto>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ExpressionDto {
    pub constant_value: Option<Value>,
    pub references: Vec<String>,
}

/// The `references` of a raw expression value (`{"references": [...]}`); empty for
/// constants, blocks and anything malformed.
pub fn expression_refs(expr: &Value) -> Vec<&str> {
    match expr.get("references").and_then(Value::as_array) {
        Some(refs) => refs.iter().filter_map(Value::as_str).collect(),
        None => Vec::new(),
    }
}

/// The nested block expressions of a raw expression value: a list of maps, or one map.
pub fn expression_blocks(expr: &Value) -> Vec<&Map<String, Value>> {
    match expr {
        Value::Array(items) => items.iter().filter_map(Value::as_object).collect(),
        Value::Object(m) if !m.contains_key("references") && !m.contains_key("constant_value") => {
            vec![m]
        }
        _ => Vec::new(),
    }
}
