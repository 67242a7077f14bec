//! The plan generator behind `examples/synth.rs` and `benches/parse.rs` (both include this
//! file with `#[path]`): clones the first spoke of `bench/synth/template.json` N times.
//! See `examples/synth.rs` for what the plan holds and how the cloning works. Writes JSON,
//! never prints.

use std::io::{self, Write};

use serde_json::{Map, Value};

/// Real `terraform show -json` output for `bench/synth/` with two spokes.
const TEMPLATE: &str = include_str!("template.json");
/// The spoke cloned N times.
const TEMPLATE_KEY: &str = "spoke-0000";
/// The template's second spoke: only there so the template shows how spokes repeat.
const DROPPED_KEY: &str = "spoke-0001";
/// The spoke CIDRs are the /20s of 10.0.0.0/8.
pub const MAX_SPOKES: usize = 4096;
pub const SUBNETS_PER_SPOKE: usize = 6;
/// Fixed, so that the same N gives the same bytes.
const TIMESTAMP: &str = "2025-01-01T00:00:00Z";

/// Why a plan could not be written.
#[derive(Debug)]
pub enum SynthError {
    Spokes(usize),
    Template(String),
    Write(io::Error),
}

impl std::fmt::Display for SynthError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SynthError::Spokes(n) => {
                write!(f, "spokes must be between 1 and {MAX_SPOKES} (got {n})")
            }
            SynthError::Template(why) => write!(f, "bench/synth/template.json: {why}"),
            SynthError::Write(e) => write!(f, "write failed: {e}"),
        }
    }
}

impl std::error::Error for SynthError {}

impl From<io::Error> for SynthError {
    fn from(e: io::Error) -> Self {
        SynthError::Write(e)
    }
}

impl From<serde_json::Error> for SynthError {
    fn from(e: serde_json::Error) -> Self {
        SynthError::Write(e.into())
    }
}

/// What [`write_plan`] wrote.
pub struct Summary {
    pub spokes: usize,
    pub subnets: usize,
    /// Entries in `resource_changes`.
    pub resources: usize,
}

/// Writes the plan for `spokes` spokes to `out` (unbuffered: wrap files in a `BufWriter`).
pub fn write_plan(out: &mut dyn Write, spokes: usize) -> Result<Summary, SynthError> {
    if spokes == 0 || spokes > MAX_SPOKES {
        return Err(SynthError::Spokes(spokes));
    }
    let template: Value =
        serde_json::from_str(TEMPLATE).map_err(|e| SynthError::Template(e.to_string()))?;
    let Value::Object(top) = &template else {
        return Err(SynthError::Template("not a JSON object".to_string()));
    };
    let spokes: Vec<Spoke> = (0..spokes).map(Spoke::new).collect();
    out.write_all(b"{")?;
    for (i, (key, value)) in top.iter().enumerate() {
        if i > 0 {
            out.write_all(b",")?;
        }
        serde_json::to_writer(&mut *out, key)?;
        out.write_all(b":")?;
        match key.as_str() {
            // `-var spokes=N`: terraform records the value as given, a string.
            "variables" => serde_json::to_writer(
                &mut *out,
                &serde_json::json!({ "spokes": { "value": spokes.len().to_string() } }),
            )?,
            "timestamp" => serde_json::to_writer(&mut *out, TIMESTAMP)?,
            _ => write_expanded(out, value, &spokes)?,
        }
    }
    out.write_all(b"}")?;
    let resources = match top.get("resource_changes") {
        Some(Value::Array(items)) => expanded_len(items, spokes.len()),
        _ => 0,
    };
    Ok(Summary {
        spokes: spokes.len(),
        subnets: spokes.len() * SUBNETS_PER_SPOKE,
        resources,
    })
}

/// One spoke of the generated plan.
struct Spoke {
    key: String,
    /// Second and third octet of the spoke's /20 in 10.0.0.0/8.
    octet2: usize,
    octet3: usize,
}

impl Spoke {
    fn new(index: usize) -> Spoke {
        Spoke {
            key: format!("spoke-{index:04}"),
            octet2: index / 16,
            octet3: (index % 16) * 16,
        }
    }

    /// The template spoke's string, as this spoke's.
    fn rewrite_str(&self, s: &str) -> String {
        if let Some(cidr) = self.rewrite_cidr(s) {
            return cidr;
        }
        if s.contains(TEMPLATE_KEY) {
            return s.replace(TEMPLATE_KEY, &self.key);
        }
        s.to_string()
    }

    /// `10.0.X.0/20` or `/24` with X < 16 (the template spoke's CIDRs) as this spoke's.
    fn rewrite_cidr(&self, s: &str) -> Option<String> {
        let (addr, len) = s.split_once('/')?;
        if len != "20" && len != "24" {
            return None;
        }
        let x: usize = addr
            .strip_prefix("10.0.")?
            .strip_suffix(".0")?
            .parse()
            .ok()?;
        if x >= 16 {
            return None;
        }
        Some(format!("10.{}.{}.0/{len}", self.octet2, self.octet3 + x))
    }

    /// A clone of a template value with every string (and object key) rewritten.
    fn rewrite(&self, value: &Value) -> Value {
        match value {
            Value::String(s) => Value::String(self.rewrite_str(s)),
            Value::Array(items) => Value::Array(items.iter().map(|v| self.rewrite(v)).collect()),
            Value::Object(map) => Value::Object(
                map.iter()
                    .map(|(k, v)| (self.rewrite_str(k), self.rewrite(v)))
                    .collect::<Map<String, Value>>(),
            ),
            other => other.clone(),
        }
    }
}

/// Writes `value` with the template spoke repeated for every spoke (see the module docs).
fn write_expanded(out: &mut dyn Write, value: &Value, spokes: &[Spoke]) -> io::Result<()> {
    match value {
        Value::Array(items) => {
            out.write_all(b"[")?;
            let mut first = true;
            let mut i = 0;
            while i < items.len() {
                if mentions(&items[i], DROPPED_KEY) {
                    i += 1;
                    continue;
                }
                if !mentions(&items[i], TEMPLATE_KEY) {
                    separate(out, &mut first)?;
                    write_expanded(out, &items[i], spokes)?;
                    i += 1;
                    continue;
                }
                let run_end = items[i..]
                    .iter()
                    .position(|item| !mentions(item, TEMPLATE_KEY))
                    .map_or(items.len(), |n| i + n);
                let run = &items[i..run_end];
                for spoke in spokes {
                    for item in run {
                        separate(out, &mut first)?;
                        serde_json::to_writer(&mut *out, &spoke.rewrite(item))?;
                    }
                }
                i = run_end;
            }
            out.write_all(b"]")?;
        }
        Value::Object(map) => {
            out.write_all(b"{")?;
            let mut first = true;
            for (key, value) in map {
                if key == DROPPED_KEY {
                    continue;
                }
                if key == TEMPLATE_KEY {
                    for spoke in spokes {
                        separate(out, &mut first)?;
                        serde_json::to_writer(&mut *out, &spoke.key)?;
                        out.write_all(b":")?;
                        serde_json::to_writer(&mut *out, &spoke.rewrite(value))?;
                    }
                    continue;
                }
                separate(out, &mut first)?;
                serde_json::to_writer(&mut *out, key)?;
                out.write_all(b":")?;
                write_expanded(out, value, spokes)?;
            }
            out.write_all(b"}")?;
        }
        leaf => serde_json::to_writer(&mut *out, leaf)?,
    }
    Ok(())
}

/// How many elements `write_expanded` writes for this array.
fn expanded_len(items: &[Value], spokes: usize) -> usize {
    items
        .iter()
        .map(|item| {
            if mentions(item, DROPPED_KEY) {
                0
            } else if mentions(item, TEMPLATE_KEY) {
                spokes
            } else {
                1
            }
        })
        .sum()
}

fn separate(out: &mut dyn Write, first: &mut bool) -> io::Result<()> {
    if !std::mem::take(first) {
        out.write_all(b",")?;
    }
    Ok(())
}

/// Whether any string or object key in `value` contains `needle`.
fn mentions(value: &Value, needle: &str) -> bool {
    match value {
        Value::String(s) => s.contains(needle),
        Value::Array(items) => items.iter().any(|v| mentions(v, needle)),
        Value::Object(map) => map
            .iter()
            .any(|(k, v)| k.contains(needle) || mentions(v, needle)),
        _ => false,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    //! Run with `cargo test --example synth`.
    use super::*;

    fn plan(spokes: usize) -> Value {
        let mut bytes = Vec::new();
        write_plan(&mut bytes, spokes).unwrap();
        serde_json::from_slice(&bytes).unwrap()
    }

    fn sorted_relevant(plan: &Value) -> Vec<String> {
        let mut all: Vec<String> = plan["relevant_attributes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.to_string())
            .collect();
        all.sort();
        all
    }

    #[test]
    fn two_spokes_give_back_the_real_plan() {
        let mut ours = plan(2);
        let mut real: Value = serde_json::from_str(TEMPLATE).unwrap();
        assert_eq!(sorted_relevant(&ours), sorted_relevant(&real));
        for plan in [&mut ours, &mut real] {
            let top = plan.as_object_mut().unwrap();
            top.remove("timestamp");
            top.remove("relevant_attributes");
        }
        assert_eq!(ours, real);
    }

    #[test]
    fn same_spoke_count_same_bytes() {
        let (mut a, mut b) = (Vec::new(), Vec::new());
        write_plan(&mut a, 5).unwrap();
        write_plan(&mut b, 5).unwrap();
        assert_eq!(a, b);
    }

    #[test]
    fn every_subnet_gets_its_own_cidr_and_addresses_stay_sorted() {
        let mut bytes = Vec::new();
        let summary = write_plan(&mut bytes, 40).unwrap();
        let plan: Value = serde_json::from_slice(&bytes).unwrap();
        let changes = plan["resource_changes"].as_array().unwrap();
        assert_eq!(summary.resources, changes.len());
        assert_eq!(summary.subnets, 240);
        let cidrs: Vec<&str> = changes
            .iter()
            .filter(|rc| rc["type"] == "aws_subnet")
            .map(|rc| rc["change"]["after"]["cidr_block"].as_str().unwrap())
            .collect();
        assert_eq!(cidrs.len(), 40 * SUBNETS_PER_SPOKE);
        let unique: std::collections::BTreeSet<&str> = cidrs.iter().copied().collect();
        assert_eq!(unique.len(), cidrs.len());
        assert!(
            cidrs.contains(&"10.2.120.0/24"),
            "spoke 39 (10.2.112.0/20): its first private subnet"
        );
        let addresses: Vec<&str> = changes
            .iter()
            .map(|rc| rc["address"].as_str().unwrap())
            .collect();
        let mut sorted = addresses.clone();
        sorted.sort();
        assert_eq!(addresses, sorted);
    }

    #[test]
    fn spoke_count_out_of_range_is_refused() {
        for spokes in [0, MAX_SPOKES + 1] {
            let err = write_plan(&mut Vec::new(), spokes).err().unwrap();
            assert!(matches!(err, SynthError::Spokes(n) if n == spokes));
        }
    }
}
