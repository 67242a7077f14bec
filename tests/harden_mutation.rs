//! Deterministic structure-aware mutation of every testdata plan: keys dropped, types
//! swapped, addresses duplicated, actions flipped, references broken, values unknown
//! everywhere, huge numbers, invalid CIDRs, files truncated. Each mutant goes through the
//! whole `analyze` pipeline in-process and must not panic: it either renders every format
//! as well-formed output, or is a load error naming the file — and gives the same answer
//! twice. Seeds come from the scenario names, so a failure reproduces exactly.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod harden_support;

use std::panic::{catch_unwind, AssertUnwindSafe};

use harden_support::{analyze_bytes, assert_well_formed, seed_of, testdata_plans, Answer, Rng};
use serde_json::{json, Map, Value};

#[derive(Clone, Debug)]
enum Seg {
    Key(String),
    Idx(usize),
}

/// Every node below the root, as paths.
fn all_paths(v: &Value) -> Vec<Vec<Seg>> {
    fn walk(v: &Value, path: &mut Vec<Seg>, out: &mut Vec<Vec<Seg>>) {
        match v {
            Value::Object(m) => {
                for (k, child) in m {
                    path.push(Seg::Key(k.clone()));
                    out.push(path.clone());
                    walk(child, path, out);
                    path.pop();
                }
            }
            Value::Array(a) => {
                for (i, child) in a.iter().enumerate() {
                    path.push(Seg::Idx(i));
                    out.push(path.clone());
                    walk(child, path, out);
                    path.pop();
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(v, &mut Vec::new(), &mut out);
    out
}

fn node_mut<'a>(v: &'a mut Value, path: &[Seg]) -> Option<&'a mut Value> {
    path.iter().try_fold(v, |v, seg| match seg {
        Seg::Key(k) => v.get_mut(k.as_str()),
        Seg::Idx(i) => v.get_mut(*i),
    })
}

/// Applies `f` to every node, leaves first.
fn for_each_node(v: &mut Value, f: &mut dyn FnMut(&mut Value)) {
    match v {
        Value::Object(m) => m.values_mut().for_each(|c| for_each_node(c, f)),
        Value::Array(a) => a.iter_mut().for_each(|c| for_each_node(c, f)),
        _ => {}
    }
    f(v);
}

/// Every `resources` array of a module tree (planned values, prior state, state values).
fn resource_lists(plan: &mut Value) -> Vec<&mut Vec<Value>> {
    fn module<'a>(m: &'a mut Value, out: &mut Vec<&'a mut Vec<Value>>) {
        let Value::Object(map) = m else { return };
        let mut children = None;
        for (k, v) in map.iter_mut() {
            match (k.as_str(), v) {
                ("resources", Value::Array(a)) => out.push(a),
                ("child_modules", Value::Array(c)) => children = Some(c),
                _ => {}
            }
        }
        if let Some(c) = children {
            c.iter_mut().for_each(|c| module(c, out));
        }
    }
    let mut out = Vec::new();
    let Value::Object(top) = plan else {
        return out;
    };
    for (k, v) in top.iter_mut() {
        let root = match k.as_str() {
            "planned_values" | "values" => v.get_mut("root_module"),
            "prior_state" => v.get_mut("values").and_then(|v| v.get_mut("root_module")),
            _ => None,
        };
        if let Some(r) = root {
            module(r, &mut out);
        }
    }
    out
}

const ODD_CIDRS: &[&str] = &[
    "10.0.0.0/33",
    "::/129",
    "300.1.1.1/24",
    "10.0.0.1/16",
    "",
    "0.0.0.0/0",
    "::/0",
    "10.0.0.0",
    "fe80::1%eth0/64",
];

const ACTIONS: &[&[&str]] = &[
    &["create"],
    &["delete"],
    &["update"],
    &["no-op"],
    &["read"],
    &["delete", "create"],
    &["create", "delete"],
    &["forget"],
    &[],
    &["bogus"],
];

const HUGE: &[&str] = &[
    "1e308",
    "-1",
    "18446744073709551615",
    "-9223372036854775808",
    "4294967296",
    "65536",
    "0.5",
];

fn huge(rng: &mut Rng) -> Value {
    serde_json::from_str(HUGE[rng.below(HUGE.len())]).unwrap()
}

/// One random local mutation; returns what it did.
fn mutate_once(plan: &mut Value, rng: &mut Rng) -> String {
    let paths = all_paths(plan);
    if paths.is_empty() {
        return "nothing to mutate".into();
    }
    match rng.below(7) {
        0 => {
            // Drop a key.
            let keyed: Vec<&Vec<Seg>> = paths
                .iter()
                .filter(|p| matches!(p.last(), Some(Seg::Key(_))))
                .collect();
            let p = keyed[rng.below(keyed.len())].clone();
            let Some(Seg::Key(k)) = p.last().cloned() else {
                unreachable!()
            };
            if let Some(Value::Object(m)) = node_mut(plan, &p[..p.len() - 1]) {
                m.shift_remove(&k);
            }
            format!("drop key {p:?}")
        }
        1 => {
            // Swap a value's type.
            let p = paths[rng.below(paths.len())].clone();
            if let Some(v) = node_mut(plan, &p) {
                *v = match v {
                    Value::String(_) => json!(123),
                    Value::Number(_) => json!("12x"),
                    Value::Object(_) => json!([]),
                    Value::Array(_) => json!({}),
                    Value::Bool(_) => json!("true"),
                    Value::Null => json!({"x": 1}),
                };
            }
            format!("swap type {p:?}")
        }
        2 => {
            // Duplicate a resource (same address) in a module's resources.
            let mut lists = resource_lists(plan);
            if lists.is_empty() {
                return "no resources to duplicate".into();
            }
            let n = lists.len();
            let list = &mut lists[rng.below(n)];
            if list.is_empty() {
                return "empty resources".into();
            }
            let i = rng.below(list.len());
            let mut dup = list[i].clone();
            // Sometimes the same address with other values: which one wins must not vary.
            if rng.below(2) == 0 {
                if let Some(Value::Object(vals)) = dup.get_mut("values") {
                    vals.insert("cidr_block".into(), json!("192.168.0.0/16"));
                }
            }
            list.push(dup);
            format!("duplicate resource #{i}")
        }
        3 => {
            // Flip a resource change's actions.
            let Some(Value::Array(rcs)) = plan.get_mut("resource_changes") else {
                return "no resource_changes".into();
            };
            if rcs.is_empty() {
                return "no resource_changes".into();
            }
            let i = rng.below(rcs.len());
            let a = ACTIONS[rng.below(ACTIONS.len())];
            if let Some(c) = rcs[i].get_mut("change") {
                c["actions"] = json!(a);
            }
            format!("actions of change #{i} = {a:?}")
        }
        4 => {
            // Break a reference: an AWS ID or a configuration reference.
            let refs: Vec<&Vec<Seg>> = paths
                .iter()
                .filter(|p| {
                    let last = p.last();
                    matches!(last, Some(Seg::Key(k)) if k.ends_with("_id") || k == "id")
                        || p.iter()
                            .any(|s| matches!(s, Seg::Key(k) if k == "references"))
                })
                .collect();
            if refs.is_empty() {
                return "no references".into();
            }
            let p = refs[rng.below(refs.len())].clone();
            let replacement = match rng.below(3) {
                0 => json!("vpc-0000000000doesnotexist"),
                1 => json!("aws_route_table.nope"),
                _ => json!(p.iter().map(|_| "x").collect::<String>()),
            };
            if let Some(v) = node_mut(plan, &p) {
                *v = replacement;
            }
            format!("break reference {p:?}")
        }
        5 => {
            // An odd CIDR where a CIDR was.
            let cidrs: Vec<&Vec<Seg>> = paths
                .iter()
                .filter(|p| matches!(p.last(), Some(Seg::Key(k)) if k.contains("cidr")))
                .collect();
            if cidrs.is_empty() {
                return "no cidrs".into();
            }
            let p = cidrs[rng.below(cidrs.len())].clone();
            let c = ODD_CIDRS[rng.below(ODD_CIDRS.len())];
            if let Some(v) = node_mut(plan, &p) {
                *v = json!(c);
            }
            format!("cidr {p:?} = {c}")
        }
        _ => {
            // A huge or negative number where a number was (ports, rule numbers, …).
            let nums: Vec<&Vec<Seg>> = paths
                .iter()
                .filter(|p| {
                    let n = node_mut(&mut plan.clone(), p).map(|v| v.is_number());
                    n == Some(true)
                })
                .collect();
            if nums.is_empty() {
                return "no numbers".into();
            }
            let p = nums[rng.below(nums.len())].clone();
            let h = huge(rng);
            if let Some(v) = node_mut(plan, &p) {
                *v = h.clone();
            }
            format!("number {p:?} = {h}")
        }
    }
}

/// Every value unknown: `after` emptied and `after_unknown` true for each of its keys;
/// planned values keep only what identifies the resource.
fn unknown_everywhere(plan: &mut Value) {
    if let Some(Value::Array(rcs)) = plan.get_mut("resource_changes") {
        for rc in rcs {
            if let Some(c) = rc.get_mut("change") {
                let keys: Map<String, Value> = match c.get("after") {
                    Some(Value::Object(m)) => m.keys().map(|k| (k.clone(), json!(true))).collect(),
                    _ => Map::new(),
                };
                c["after"] = json!({});
                c["after_unknown"] = Value::Object(keys);
            }
        }
    }
    if let Some(pv) = plan.get_mut("planned_values") {
        let mut pv_doc = json!({ "planned_values": pv.take() });
        for list in resource_lists(&mut pv_doc) {
            for r in list {
                r["values"] = json!({});
            }
        }
        *plan.get_mut("planned_values").unwrap() = pv_doc["planned_values"].take();
    }
}

fn numbers_everywhere(plan: &mut Value, rng: &mut Rng) {
    for_each_node(plan, &mut |v| {
        if v.is_number() {
            *v = huge(rng);
        }
    });
}

fn flip_all_actions(plan: &mut Value, rng: &mut Rng) {
    if let Some(Value::Array(rcs)) = plan.get_mut("resource_changes") {
        for rc in rcs {
            if let Some(c) = rc.get_mut("change") {
                c["actions"] = json!(ACTIONS[rng.below(ACTIONS.len())]);
            }
        }
    }
}

fn run_guarded(bytes: &[u8], file: &str) -> Result<Answer, String> {
    catch_unwind(AssertUnwindSafe(|| analyze_bytes(bytes, file))).map_err(|p| {
        p.downcast_ref::<String>()
            .cloned()
            .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_else(|| "panic".into())
    })
}

/// Runs one mutant twice and records what went wrong, if anything.
fn check(bytes: &[u8], what: &str, failures: &mut Vec<String>) -> Option<Answer> {
    let file = "mutant.json";
    let first = match run_guarded(bytes, file) {
        Ok(a) => a,
        Err(p) => {
            failures.push(format!("{what}: panicked: {p}"));
            return None;
        }
    };
    if let Err(msg) = &first {
        if !msg.starts_with("mutant.json: ") || msg.len() <= "mutant.json: ".len() {
            failures.push(format!("{what}: error does not name the file: {msg}"));
        }
    }
    if let Err(p) = catch_unwind(AssertUnwindSafe(|| assert_well_formed(&first, what))) {
        failures.push(format!("{what}: malformed output: {p:?}"));
    }
    match run_guarded(bytes, file) {
        Ok(second) if second == first => {}
        Ok(_) => failures.push(format!("{what}: a second run gave another answer")),
        Err(p) => failures.push(format!("{what}: panicked on the second run: {p}")),
    }
    Some(first)
}

#[test]
fn mutated_plans_never_panic_and_answer_the_same_twice() {
    let mut failures = Vec::new();
    let (mut rendered, mut rejected) = (0usize, 0usize);
    let mut count = |a: Option<Answer>| match a {
        Some(Ok(_)) => rendered += 1,
        Some(Err(_)) => rejected += 1,
        None => {}
    };
    for (name, path) in testdata_plans() {
        let bytes = std::fs::read(&path).unwrap();
        let original: Value = serde_json::from_slice(&bytes).unwrap();
        let mut rng = Rng::new(seed_of(&name));

        // Truncated files: a load error naming the file, never a panic.
        for cut in [1, bytes.len() / 3, bytes.len() - 2] {
            let a = check(
                &bytes[..cut],
                &format!("{name}: truncated at {cut}"),
                &mut failures,
            );
            if !matches!(a, Some(Err(_))) {
                failures.push(format!("{name}: truncated at {cut} was accepted"));
            }
            count(a);
        }
        // Single and stacked local mutations.
        for round in 0..6 {
            let mut plan = original.clone();
            let depth = if round < 4 { 1 } else { 3 };
            let did: Vec<String> = (0..depth)
                .map(|_| mutate_once(&mut plan, &mut rng))
                .collect();
            let text = if round % 2 == 0 {
                serde_json::to_vec(&plan).unwrap()
            } else {
                serde_json::to_vec_pretty(&plan).unwrap()
            };
            count(check(
                &text,
                &format!("{name}: round {round}: {did:?}"),
                &mut failures,
            ));
        }
        // Whole-plan mutations.
        let mut plan = original.clone();
        unknown_everywhere(&mut plan);
        let a = check(
            &serde_json::to_vec(&plan).unwrap(),
            &format!("{name}: unknown everywhere"),
            &mut failures,
        );
        if !matches!(a, Some(Ok(_))) {
            failures.push(format!(
                "{name}: a plan with every value unknown was rejected"
            ));
        }
        count(a);
        let mut plan = original.clone();
        numbers_everywhere(&mut plan, &mut rng);
        count(check(
            &serde_json::to_vec(&plan).unwrap(),
            &format!("{name}: odd numbers everywhere"),
            &mut failures,
        ));
        let mut plan = original.clone();
        flip_all_actions(&mut plan, &mut rng);
        let a = check(
            &serde_json::to_vec(&plan).unwrap(),
            &format!("{name}: every action flipped"),
            &mut failures,
        );
        if !matches!(a, Some(Ok(_))) {
            failures.push(format!("{name}: flipped actions were rejected"));
        }
        count(a);
    }
    assert!(
        failures.is_empty(),
        "{} mutants failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    // The mutations must exercise both outcomes, or they test nothing.
    assert!(
        rendered > 100 && rejected > 50,
        "rendered {rendered}, rejected {rejected}"
    );
}
