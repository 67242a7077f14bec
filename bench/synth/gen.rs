//! The plan generator behind `examples/synth.rs` and `benches/parse.rs` (both include this
//! file with `#[path]`): clones the first spoke of `bench/synth/template.json` (or, over
//! existing infrastructure, `template-existing.json`) N times. See `examples/synth.rs` for
//! what the plan holds and how the cloning works. Writes JSON, never prints.

use std::collections::BTreeSet;
use std::io::{self, Write};
use std::net::{Ipv4Addr, Ipv6Addr};

use serde_json::{Map, Value};

/// Real `terraform show -json` output for `bench/synth/` with two spokes, all created.
const TEMPLATE: &str = include_str!("template.json");
/// The same configuration applied (to moto) and planned again with one more hub route
/// (`existing/change.tf`): every spoke resource is a `no-op` with real IDs, and the plan
/// has a `prior_state`.
const TEMPLATE_EXISTING: &str = include_str!("template-existing.json");

/// Which plan to write.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A plan that creates the whole network.
    Create,
    /// A plan over the existing network that changes one hub route.
    Existing,
}

impl Kind {
    fn template(self) -> (&'static str, &'static str) {
        match self {
            Kind::Create => ("bench/synth/template.json", TEMPLATE),
            Kind::Existing => ("bench/synth/template-existing.json", TEMPLATE_EXISTING),
        }
    }
}
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
            SynthError::Template(why) => write!(f, "{why}"),
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
#[allow(dead_code)] // the benches' entry point; examples/synth picks the kind
pub fn write_plan(out: &mut dyn Write, spokes: usize) -> Result<Summary, SynthError> {
    write_plan_of(out, spokes, Kind::Create)
}

/// [`write_plan`] of either kind.
pub fn write_plan_of(
    out: &mut dyn Write,
    spokes: usize,
    kind: Kind,
) -> Result<Summary, SynthError> {
    if spokes == 0 || spokes > MAX_SPOKES {
        return Err(SynthError::Spokes(spokes));
    }
    let (name, text) = kind.template();
    let template: Value =
        serde_json::from_str(text).map_err(|e| SynthError::Template(format!("{name}: {e}")))?;
    let Value::Object(top) = &template else {
        return Err(SynthError::Template(format!("{name}: not a JSON object")));
    };
    let owned = Owned::of(&template);
    let spokes: Vec<Spoke> = (0..spokes).map(|i| Spoke::new(i, &owned)).collect();
    out.write_all(b"{")?;
    for (i, (key, value)) in top.iter().enumerate() {
        if i > 0 {
            out.write_all(b",")?;
        }
        serde_json::to_writer(&mut *out, key)?;
        out.write_all(b":")?;
        match key.as_str() {
            // `-var spokes=N`: terraform records the value as given, a string (the
            // template over existing infrastructure has the default, a number).
            "variables" => {
                let n = spokes.len();
                let value = match value.pointer("/spokes/value") {
                    Some(Value::Number(_)) => Value::from(n),
                    _ => Value::from(n.to_string()),
                };
                serde_json::to_writer(
                    &mut *out,
                    &serde_json::json!({ "spokes": { "value": value } }),
                )?
            }
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

/// What the template spoke owns, over existing infrastructure: the AWS IDs of its objects
/// and its VPC's IPv6 block, which each clone needs its own of. Empty for a plan that
/// creates everything (the IDs are unknown there).
#[derive(Default)]
struct Owned {
    /// IDs (`vpc-0a1b...`, `rtbassoc-...`) found under the template spoke and nowhere else:
    /// not under the second spoke (the AWS-managed S3 prefix list, the AMI), nor outside
    /// the spokes (the hub's transit gateway and route table).
    ids: BTreeSet<String>,
    /// The /56 blocks under the template spoke (its VPC's Amazon-provided IPv6 block).
    ipv6: Vec<(u128, u8)>,
}

impl Owned {
    fn of(template: &Value) -> Owned {
        let mut tokens: [BTreeSet<String>; 3] = Default::default();
        let mut ipv6 = BTreeSet::new();
        collect(template, 0, &mut tokens, &mut ipv6);
        let [shared, own, second] = tokens;
        Owned {
            ids: own
                .into_iter()
                .filter(|t| !shared.contains(t) && !second.contains(t))
                .collect(),
            ipv6: ipv6.into_iter().collect(),
        }
    }

    fn is_empty(&self) -> bool {
        self.ids.is_empty() && self.ipv6.is_empty()
    }
}

/// Every ID-like token under `value`, by where it is (0: outside the spokes, 1: under the
/// template spoke, 2: under the second spoke), and the /56 IPv6 blocks under the template
/// spoke. An array element naming a spoke, or an object member keyed by one, is under it.
fn collect(
    value: &Value,
    at: usize,
    tokens: &mut [BTreeSet<String>; 3],
    ipv6: &mut BTreeSet<(u128, u8)>,
) {
    let under = |v: &Value| match (mentions(v, TEMPLATE_KEY), mentions(v, DROPPED_KEY)) {
        (true, false) => 1,
        (false, true) => 2,
        // Both (an object keyed by spokes) or neither: decided further down.
        _ => 0,
    };
    match value {
        Value::String(s) => {
            if let Some(set) = tokens.get_mut(at) {
                set.extend(id_tokens(s).map(str::to_string));
            }
            if at == 1 {
                if let Some((net, 56)) = parse_v6(s) {
                    ipv6.insert((net, 56));
                }
            }
        }
        Value::Array(items) => {
            for item in items {
                let here = if at == 0 { under(item) } else { at };
                collect(item, here, tokens, ipv6);
            }
        }
        Value::Object(map) => {
            for (k, v) in map {
                let here = match k.as_str() {
                    _ if at != 0 => at,
                    TEMPLATE_KEY => 1,
                    DROPPED_KEY => 2,
                    _ => 0,
                };
                collect(v, here, tokens, ipv6);
            }
        }
        _ => {}
    }
}

/// The tokens of `s` that look like AWS IDs: lowercase words joined by `-`, then `-` and at
/// least eight hex digits (`vpc-0a1b2c3d4e5f60718`, `tgw-attach-...`, `r-rtb-...`). Tokens
/// are separated by anything but ASCII letters, digits and `-` (ARNs: `:` and `/`).
fn id_tokens(s: &str) -> impl Iterator<Item = &str> {
    s.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
        .filter(|t| is_id(t))
}

fn is_id(t: &str) -> bool {
    let Some((prefix, hex)) = t.rsplit_once('-') else {
        return false;
    };
    hex.len() >= 8
        && hex
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        && !prefix.is_empty()
        && prefix
            .split('-')
            .all(|w| !w.is_empty() && w.bytes().all(|b| b.is_ascii_lowercase()))
}

/// An IPv6 address or network (`2600:1f18::/56`) as bits and prefix length (128 for an
/// address).
fn parse_v6(s: &str) -> Option<(u128, u8)> {
    let (addr, len) = match s.split_once('/') {
        Some((a, l)) => (a, l.parse().ok()?),
        None => (s, 128),
    };
    let a: Ipv6Addr = addr.parse().ok()?;
    (len <= 128).then_some((u128::from(a), len))
}

/// One spoke of the generated plan.
struct Spoke<'o> {
    index: usize,
    key: String,
    /// Second and third octet of the spoke's /20 in 10.0.0.0/8.
    octet2: usize,
    octet3: usize,
    owned: &'o Owned,
}

impl<'o> Spoke<'o> {
    fn new(index: usize, owned: &'o Owned) -> Spoke<'o> {
        Spoke {
            index,
            key: format!("spoke-{index:04}"),
            octet2: index / 16,
            octet3: (index % 16) * 16,
            owned,
        }
    }

    /// The template spoke's string, as this spoke's.
    fn rewrite_str(&self, s: &str) -> String {
        if let Some(cidr) = self.rewrite_cidr(s) {
            return cidr;
        }
        if !self.owned.is_empty() {
            if let Some(rewritten) = self.rewrite_existing(s) {
                return rewritten;
            }
        }
        if s.contains(TEMPLATE_KEY) {
            return s.replace(TEMPLATE_KEY, &self.key);
        }
        s.to_string()
    }

    /// Over existing infrastructure: a private IPv4 address of the template spoke
    /// (`10.0.X.Y`, X < 16), an IPv6 address or block inside its VPC's /56, or a string
    /// holding IDs it owns, as this spoke's. IDs keep their length: the first four hex
    /// digits are XORed with the spoke's index, so spoke 0 keeps the template's and no two
    /// spokes share one (moto numbers the IDs of one type in sequence: they differ in
    /// their last digits). IPv6: bits 40 to 55 (the /56's last 16) are XORed the same way.
    fn rewrite_existing(&self, s: &str) -> Option<String> {
        if let Ok(a) = s.parse::<Ipv4Addr>() {
            let [o1, o2, o3, o4] = a.octets();
            return (o1 == 10 && o2 == 0 && o3 < 16)
                .then(|| format!("10.{}.{}.{o4}", self.octet2, self.octet3 + usize::from(o3)));
        }
        if let Some((bits, len)) = parse_v6(s) {
            let inside = self
                .owned
                .ipv6
                .iter()
                .any(|&(net, l)| len >= l && (bits ^ net) >> (128 - u32::from(l)) == 0);
            if !inside {
                return None;
            }
            let moved = Ipv6Addr::from(bits ^ ((self.index as u128) << 72));
            return Some(if s.contains('/') {
                format!("{moved}/{len}")
            } else {
                moved.to_string()
            });
        }
        if !id_tokens(s).any(|t| self.owned.ids.contains(t)) {
            return None;
        }
        let mut out = String::with_capacity(s.len());
        let mut rest = s;
        while !rest.is_empty() {
            let end = rest
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
                .unwrap_or(rest.len());
            let (token, tail) = rest.split_at(end);
            if let Some((prefix, hex)) = token
                .rsplit_once('-')
                .filter(|_| self.owned.ids.contains(token))
            {
                let (first4, tail) = hex.split_at(4);
                let v = u16::from_str_radix(first4, 16).ok()? ^ (self.index as u16);
                out.push_str(prefix);
                out.push_str(&format!("-{v:04x}"));
                out.push_str(tail);
            } else {
                out.push_str(token);
            }
            let mut chars = tail.chars();
            if let Some(c) = chars.next() {
                out.push(c);
            }
            rest = chars.as_str();
        }
        Some(out.replace(TEMPLATE_KEY, &self.key))
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
                let (template, dropped) = (
                    mentions(&items[i], TEMPLATE_KEY),
                    mentions(&items[i], DROPPED_KEY),
                );
                if dropped && !template {
                    i += 1;
                    continue;
                }
                // Neither spoke, or both (an object keyed by spokes: its members decide).
                if template == dropped {
                    separate(out, &mut first)?;
                    write_expanded(out, &items[i], spokes)?;
                    i += 1;
                    continue;
                }
                let run_end = items[i..]
                    .iter()
                    .position(|item| !mentions(item, TEMPLATE_KEY) || mentions(item, DROPPED_KEY))
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
        .map(
            |item| match (mentions(item, TEMPLATE_KEY), mentions(item, DROPPED_KEY)) {
                (false, true) => 0,
                (true, false) => spokes,
                _ => 1,
            },
        )
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

    /// Every path of `value` (array positions left out) with the JSON type found there.
    fn shape(value: &Value, path: &str, out: &mut BTreeSet<String>) {
        let kind = match value {
            Value::Null => "null",
            Value::Bool(_) => "bool",
            Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::Array(items) => {
                items
                    .iter()
                    .for_each(|v| shape(v, &format!("{path}[]"), out));
                "array"
            }
            Value::Object(map) => {
                for (k, v) in map {
                    let k = k.replace(TEMPLATE_KEY, "S").replace(DROPPED_KEY, "S");
                    shape(v, &format!("{path}.{k}"), out);
                }
                "object"
            }
        };
        out.insert(format!("{path}: {kind}"));
    }

    /// The entries of `resource_changes` and of the prior state's modules for `key`.
    fn of_spoke<'v>(plan: &'v Value, key: &str) -> Vec<&'v Value> {
        let changes = plan["resource_changes"].as_array().unwrap().iter();
        let modules = plan["prior_state"]["values"]["root_module"]["child_modules"]
            .as_array()
            .unwrap()
            .iter();
        changes
            .chain(modules)
            .filter(|v| v["address"].as_str().unwrap().contains(key))
            .collect()
    }

    #[test]
    fn over_existing_infrastructure_spoke_0_is_the_real_one_in_a_plan_of_the_real_shape() {
        let mut bytes = Vec::new();
        write_plan_of(&mut bytes, 2, Kind::Existing).unwrap();
        let ours: Value = serde_json::from_slice(&bytes).unwrap();
        let real: Value = serde_json::from_str(TEMPLATE_EXISTING).unwrap();
        let (mut a, mut b) = (BTreeSet::new(), BTreeSet::new());
        shape(&ours, "", &mut a);
        shape(&real, "", &mut b);
        let differ: Vec<&String> = a.symmetric_difference(&b).collect();
        assert!(differ.is_empty(), "{differ:?}");
        assert_eq!(of_spoke(&ours, TEMPLATE_KEY), of_spoke(&real, TEMPLATE_KEY));
        assert_eq!(
            of_spoke(&ours, DROPPED_KEY).len(),
            of_spoke(&real, DROPPED_KEY).len()
        );
        // Everything outside the spokes is the template's.
        let outside = |plan: &Value| -> Vec<Value> {
            plan["resource_changes"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|rc| !rc["address"].as_str().unwrap().contains("spoke-"))
                .cloned()
                .collect()
        };
        assert_eq!(outside(&ours), outside(&real));
    }

    /// The `(type, id)` of every resource of the prior state.
    fn prior_ids(plan: &Value) -> Vec<(String, String)> {
        let root = &plan["prior_state"]["values"]["root_module"];
        let modules = root["child_modules"].as_array().unwrap().iter();
        std::iter::once(root)
            .chain(modules)
            .flat_map(|m| m["resources"].as_array().unwrap())
            .map(|r| {
                let id = r["values"]["id"].as_str().unwrap();
                (r["type"].as_str().unwrap().to_string(), id.to_string())
            })
            .collect()
    }

    #[test]
    fn over_existing_infrastructure_every_spoke_has_its_own_ids_and_blocks() {
        let spokes = 40;
        let mut bytes = Vec::new();
        let summary = write_plan_of(&mut bytes, spokes, Kind::Existing).unwrap();
        let plan: Value = serde_json::from_slice(&bytes).unwrap();
        let changes = plan["resource_changes"].as_array().unwrap();
        assert_eq!(summary.resources, changes.len());
        // The prior state's objects: no two of one type share an ID.
        let all = prior_ids(&plan);
        let unique: BTreeSet<&(String, String)> = all.iter().collect();
        assert_eq!(unique.len(), all.len(), "an ID is repeated");
        assert!(all.len() > spokes * 50, "{} objects", all.len());
        // Each VPC its own IPv6 /56 and IPv4 /20; each subnet a /64 inside its VPC's /56.
        let vpcs: Vec<&Value> = changes
            .iter()
            .filter(|rc| rc["type"] == "aws_vpc")
            .collect();
        assert_eq!(vpcs.len(), spokes);
        let v6: BTreeSet<&str> = vpcs
            .iter()
            .map(|rc| rc["change"]["after"]["ipv6_cidr_block"].as_str().unwrap())
            .collect();
        assert_eq!(v6.len(), spokes);
        for rc in changes.iter().filter(|rc| rc["type"] == "aws_subnet") {
            let after = &rc["change"]["after"];
            let vpc = vpcs
                .iter()
                .find(|v| v["change"]["after"]["id"] == after["vpc_id"])
                .expect("the subnet's VPC");
            let (net, _) =
                parse_v6(vpc["change"]["after"]["ipv6_cidr_block"].as_str().unwrap()).unwrap();
            let (sub, len) = parse_v6(after["ipv6_cidr_block"].as_str().unwrap()).unwrap();
            assert_eq!((len, sub >> 72), (64, net >> 72), "{}", rc["address"]);
            assert_eq!(rc["change"]["actions"], serde_json::json!(["no-op"]));
        }
        // The hub is one: its IDs are not rewritten.
        let tgw = changes
            .iter()
            .find(|rc| rc["type"] == "aws_ec2_transit_gateway")
            .unwrap();
        let tgw_id = tgw["change"]["after"]["id"].as_str().unwrap();
        assert!(changes
            .iter()
            .filter(|rc| rc["type"] == "aws_ec2_transit_gateway_vpc_attachment")
            .all(|rc| rc["change"]["after"]["transit_gateway_id"] == tgw_id));
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
