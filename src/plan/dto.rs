//! The serde shape of `terraform show -json` (plan format 0.1 to 1.2, and state). Only what
//! the model needs is typed; unknown fields are ignored, resource attributes stay
//! `serde_json::Value` maps read through the accessors of `values.rs`.
//!
//! This module does not interpret anything: it never links, never builds the model.

use std::collections::BTreeMap;

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
    pub output_changes: Option<Map<String, Value>>,
    pub relevant_attributes: Vec<Value>,
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
    pub outputs: Option<Map<String, Value>>,
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
    pub values: Option<ObjectValue>,
    pub sensitive_values: Option<Value>,
}

impl ResourceDto {
    /// The attribute values as a JSON object (`Null` when absent).
    pub fn values_value(&self) -> &Value {
        static NULL: Value = Value::Null;
        self.values.as_ref().map_or(&NULL, |v| &v.0)
    }
}

/// A JSON object kept as a `Value` (so it can be read like any other value), rejecting
/// non-objects at parse time so the error names the path.
#[derive(Debug, Default)]
pub struct ObjectValue(pub Value);

impl<'de> Deserialize<'de> for ObjectValue {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let m = Map::<String, Value>::deserialize(d)?;
        Ok(ObjectValue(Value::Object(m)))
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
    pub before: Value,
    pub after: Value,
    pub after_unknown: Value,
    pub before_sensitive: Value,
    pub after_sensitive: Value,
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
