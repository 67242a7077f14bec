//! Odd inputs and what tfvpc does with each (the table in docs/odd-inputs.md): a clean
//! report, a report that admits a problem (a model diagnostic, an unknown block, a note),
//! or exit 2 with a message naming the file. Every row runs the binary twice and asserts
//! the same answer both times. Inputs are built from testdata/three-tier/plan.json or from
//! small literal JSON.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod harden_support;

use harden_support::run_bin;
use serde_json::{json, Value};

const THREE_TIER: &str = "testdata/three-tier/plan.json";

fn three_tier() -> Value {
    serde_json::from_slice(&std::fs::read(THREE_TIER).unwrap()).unwrap()
}

/// One run: exit code, stdout, stderr.
type Run = (i32, String, String);

/// Writes `bytes` to `NAME` in a fresh directory and runs `tfvpc ARGS… FILE` twice; the
/// two runs must agree byte for byte.
fn run_twice(name: &str, bytes: &[u8], args: &[&str]) -> Run {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join(name);
    std::fs::write(&file, bytes).unwrap();
    let once = || {
        let mut all: Vec<&str> = args.to_vec();
        all.push(file.to_str().unwrap());
        let o = run_bin(&all, None, &[]);
        (
            o.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&o.stdout).into_owned(),
            String::from_utf8_lossy(&o.stderr).into_owned(),
        )
    };
    let first = once();
    assert_eq!(first, once(), "{name}: two runs differ");
    first
}

/// `analyze` in all three formats: each exits 0 or 1 with valid output; returns
/// `(json report, markdown, sarif, model json)`.
fn report(name: &str, plan: &[u8]) -> (Value, String, Value, Value) {
    let mut outs = Vec::new();
    for format in ["json", "markdown", "sarif"] {
        let (code, out, err) = run_twice(
            name,
            plan,
            &["analyze", "--fail-on", "never", "--format", format],
        );
        assert_eq!(code, 0, "{name} ({format}): exit {code}, stderr: {err}");
        assert!(!out.is_empty(), "{name} ({format}): empty report");
        outs.push(out);
    }
    let (code, model, err) = run_twice(name, plan, &["model"]);
    assert_eq!(code, 0, "{name} (model): {err}");
    (
        serde_json::from_str(&outs[0]).unwrap(),
        outs[1].clone(),
        serde_json::from_str(&outs[2]).unwrap(),
        serde_json::from_str(&model).unwrap(),
    )
}

/// Exit 2, nothing on stdout, and a message that names the file and says `needle`.
fn rejected(name: &str, bytes: &[u8], needle: &str) {
    for cmd in [
        &["analyze"][..],
        &["model"],
        &["query", "--from", "internet", "--to", "internet"],
    ] {
        let (code, out, err) = run_twice(name, bytes, cmd);
        assert_eq!(
            code, 2,
            "{name} {cmd:?}: expected exit 2, got {code}; stderr {err}"
        );
        assert!(out.is_empty(), "{name} {cmd:?}: stdout not empty: {out}");
        assert!(
            err.contains(name),
            "{name} {cmd:?}: message does not name the file: {err}"
        );
        assert!(
            err.to_lowercase().contains(&needle.to_lowercase()),
            "{name} {cmd:?}: message does not say `{needle}`: {err}"
        );
        assert!(!err.contains("panicked"), "{name}: {err}");
    }
}

fn bytes(v: &Value) -> Vec<u8> {
    serde_json::to_vec_pretty(v).unwrap()
}

/// The planned values of the first resource of `rtype` in three-tier.
fn first_of<'a>(plan: &'a mut Value, rtype: &str) -> &'a mut Value {
    plan["planned_values"]["root_module"]["resources"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|r| r["type"] == rtype)
        .unwrap()
}

fn subnets_of(model: &Value) -> &Vec<Value> {
    model["after"]["subnets"].as_array().unwrap()
}

#[test]
fn invalid_cidrs_become_unknown_blocks_with_the_reason() {
    for (attr, bad, family) in [
        ("cidr_block", "10.0.0.0/33", "IPv4"),
        ("cidr_block", "300.1.1.1/24", "IPv4"),
        ("ipv6_cidr_block", "::/129", "IPv6"),
    ] {
        let mut plan = three_tier();
        let subnet = first_of(&mut plan, "aws_subnet");
        subnet["values"][attr] = json!(bad);
        let address = subnet["address"].as_str().unwrap().to_string();
        let (_, _, _, model) = report("plan.json", &bytes(&plan));
        let s = subnets_of(&model)
            .iter()
            .find(|s| s["address"] == address.as_str())
            .unwrap();
        let key = if family == "IPv4" { "ipv4" } else { "ipv6" };
        let reason = s[key]["unknown"].as_str().unwrap_or_default();
        assert!(
            reason.contains(bad) && reason.contains(&format!("not an {family} CIDR")),
            "{bad}: the subnet's block should be unknown with the reason, got {}",
            s[key]
        );
    }
}

#[test]
fn host_bits_set_mean_the_network_they_name() {
    let mut plan = three_tier();
    let subnet = first_of(&mut plan, "aws_subnet");
    let good = subnet["values"]["cidr_block"].as_str().unwrap().to_string();
    let net: ipnet::Ipv4Net = good.parse().unwrap();
    let host = std::net::Ipv4Addr::from(u32::from(net.network()) + 1);
    subnet["values"]["cidr_block"] = json!(format!("{host}/{}", net.prefix_len()));
    let (_, _, _, model) = report("plan.json", &bytes(&plan));
    assert!(
        subnets_of(&model)
            .iter()
            .any(|s| s["ipv4"] == good.as_str()),
        "{host}/{} should be read as {good}",
        net.prefix_len()
    );
}

#[test]
fn duplicate_and_overlapping_cidrs_give_a_report() {
    let mut plan = three_tier();
    let subnets: Vec<usize> = plan["planned_values"]["root_module"]["resources"]
        .as_array()
        .unwrap()
        .iter()
        .enumerate()
        .filter(|(_, r)| r["type"] == "aws_subnet")
        .map(|(i, _)| i)
        .collect();
    let rs = &mut plan["planned_values"]["root_module"]["resources"];
    let first = rs[subnets[0]]["values"]["cidr_block"].clone();
    rs[subnets[1]]["values"]["cidr_block"] = first; // duplicate
    rs[subnets[2]]["values"]["cidr_block"] = json!("10.0.0.0/8"); // overlaps everything
    let (json, _, _, _) = report("plan.json", &bytes(&plan));
    assert!(json["summary"]["subnets"].as_u64().unwrap() >= 3);
}

fn literal_plan(resources: Value, config_resources: Value) -> Value {
    json!({
        "format_version": "1.2",
        "terraform_version": "1.9.0",
        "planned_values": {"root_module": {"resources": resources}},
        "resource_changes": [],
        "configuration": {"root_module": {"resources": config_resources}}
    })
}

fn res(address: &str, rtype: &str, values: Value) -> Value {
    let name = address.rsplit('.').next().unwrap();
    json!({"address": address, "mode": "managed", "type": rtype, "name": name, "values": values})
}

#[test]
fn reference_cycles_terminate() {
    let plan = literal_plan(
        json!([
            res("aws_vpc.a", "aws_vpc", json!({"cidr_block": "10.0.0.0/16"})),
            res(
                "aws_subnet.s",
                "aws_subnet",
                json!({"cidr_block": "10.0.1.0/24"})
            ),
            res("aws_route_table.r", "aws_route_table", json!({})),
        ]),
        json!([
            {"address": "aws_vpc.a", "mode": "managed", "type": "aws_vpc", "name": "a",
             "expressions": {"cidr_block": {"references": ["aws_subnet.s.cidr_block", "aws_subnet.s"]}}},
            {"address": "aws_subnet.s", "mode": "managed", "type": "aws_subnet", "name": "s",
             "expressions": {"vpc_id": {"references": ["aws_route_table.r.vpc_id", "aws_route_table.r"]}}},
            {"address": "aws_route_table.r", "mode": "managed", "type": "aws_route_table", "name": "r",
             "expressions": {"vpc_id": {"references": ["aws_subnet.s.vpc_id", "aws_subnet.s"]}}}
        ]),
    );
    let (_, _, _, model) = report("plan.json", &bytes(&plan));
    // The subnet's VPC is not resolvable through the cycle: the model says so.
    assert!(
        !model["diagnostics"].as_array().unwrap().is_empty(),
        "{model}"
    );
}

#[test]
fn a_module_nested_50_deep_is_read() {
    let mut module = json!({
        "resources": [
            res("X.aws_vpc.v", "aws_vpc", json!({"cidr_block": "10.0.0.0/16", "id": "vpc-1"})),
            res("X.aws_subnet.s", "aws_subnet", json!({"cidr_block": "10.0.1.0/24", "vpc_id": "vpc-1", "id": "subnet-1"})),
        ]
    });
    let path: Vec<String> = (0..50).map(|i| format!("module.m{i}")).collect();
    let full = path.join(".");
    for r in module["resources"].as_array_mut().unwrap() {
        let a = r["address"].as_str().unwrap().replace('X', &full);
        r["address"] = json!(a);
    }
    for depth in (1..=50).rev() {
        let addr = path[..depth].join(".");
        module["address"] = json!(addr);
        module = json!({"resources": [], "child_modules": [module]});
    }
    let plan = json!({"format_version": "1.2", "planned_values": {"root_module": module}, "resource_changes": []});
    let (json, _, _, model) = report("plan.json", &bytes(&plan));
    assert_eq!(json["summary"]["subnets"], 1, "{json}");
    let subnet = &subnets_of(&model)[0];
    assert_eq!(subnet["address"], format!("{full}.aws_subnet.s"));
    assert_eq!(subnet["vpc"]["to"], format!("{full}.aws_vpc.v"), "{subnet}");
}

#[test]
fn a_table_with_100000_routes() {
    let routes: Vec<Value> = (0..100_000u32)
        .map(|i| {
            let ip = std::net::Ipv4Addr::from(0x0B00_0000 + (i << 8));
            json!({"cidr_block": format!("{ip}/24"), "gateway_id": "igw-1"})
        })
        .collect();
    let plan = literal_plan(
        json!([
            res(
                "aws_vpc.v",
                "aws_vpc",
                json!({"cidr_block": "10.0.0.0/16", "id": "vpc-1"})
            ),
            res(
                "aws_internet_gateway.g",
                "aws_internet_gateway",
                json!({"vpc_id": "vpc-1", "id": "igw-1"})
            ),
            res(
                "aws_subnet.s",
                "aws_subnet",
                json!({"cidr_block": "10.0.1.0/24", "vpc_id": "vpc-1", "id": "subnet-1"})
            ),
            res(
                "aws_route_table.r",
                "aws_route_table",
                json!({"vpc_id": "vpc-1", "id": "rtb-1", "route": routes})
            ),
            res(
                "aws_route_table_association.a",
                "aws_route_table_association",
                json!({"subnet_id": "subnet-1", "route_table_id": "rtb-1"})
            ),
        ]),
        json!([]),
    );
    let (json, _, _, model) = report("plan.json", &bytes(&plan));
    assert_eq!(json["summary"]["subnets"], 1);
    // The 100,000 routes plus the VPC's local route(s).
    assert!(model["after"]["routes"].as_array().unwrap().len() > 100_000);
}

#[test]
fn json_nested_10000_deep_is_refused_cleanly() {
    let deep = |attribute: &str| {
        format!(
            "{{\"format_version\":\"1.2\",\"planned_values\":{{\"root_module\":{{\"resources\":[{{\"address\":\"aws_vpc.b\",\"type\":\"aws_vpc\",\"name\":\"b\",\"values\":{{\"{attribute}\":{}{}}}}}]}}}}}}",
            "[".repeat(10_000),
            "]".repeat(10_000)
        )
    };
    // In an attribute the model reads, the nesting is parsed: serde_json's recursion
    // limit refuses it.
    rejected(
        "deep.json",
        deep("cidr_block").as_bytes(),
        "recursion limit",
    );
    // In an attribute nothing reads, it is skipped without recursion: a clean report.
    let (code, out, _) = run_twice(
        "deep-unread.json",
        deep("x").as_bytes(),
        &["analyze", "--format", "json"],
    );
    assert_eq!(code, 0);
    assert!(serde_json::from_str::<serde_json::Value>(&out).is_ok());
}

#[test]
fn numbers_out_of_range() {
    // Beyond f64: not JSON tfvpc can read.
    let text = std::fs::read_to_string(THREE_TIER).unwrap();
    let broken = text.replacen("\"cidr_block\":", "\"x\": 1e400, \"cidr_block\":", 1);
    assert_ne!(broken, text);
    rejected("big.json", broken.as_bytes(), "number out of range");
    // Out of range for the attribute (ports, rule numbers): a report, never a wrap-around.
    let mut plan = three_tier();
    let sg = first_of(&mut plan, "aws_security_group");
    for rule in sg["values"]["ingress"].as_array_mut().unwrap() {
        rule["from_port"] = json!(18_446_744_073_709_551_615u64);
        rule["to_port"] = json!(-5);
    }
    report("plan.json", &bytes(&plan));
}

#[test]
fn duplicate_keys() {
    // Twice the same top-level field: serde refuses it.
    let text = std::fs::read_to_string(THREE_TIER).unwrap();
    let dup = text.replacen(
        "\"format_version\"",
        "\"format_version\": \"1.2\", \"format_version\"",
        1,
    );
    rejected("dup.json", dup.as_bytes(), "duplicate field");
    // Twice the same attribute inside a resource's values: the last one wins, as in
    // Terraform's own JSON reader.
    let lit = br#"{"format_version":"1.2","planned_values":{"root_module":{"resources":[
      {"address":"aws_vpc.v","mode":"managed","type":"aws_vpc","name":"v",
       "values":{"cidr_block":"10.0.0.0/16","cidr_block":"10.9.0.0/16"}}]}},"resource_changes":[]}"#;
    let (_, _, _, model) = report("plan.json", lit);
    assert_eq!(model["after"]["vpcs"][0]["ipv4"][0]["block"], "10.9.0.0/16");
}

#[test]
fn invalid_utf8_is_refused() {
    let mut b = std::fs::read(THREE_TIER).unwrap();
    let at = b.windows(5).position(|w| w == b"three").unwrap();
    b[at] = 0xFF;
    rejected("bad.json", &b, "invalid unicode");
}

#[test]
fn bom_and_crlf_change_nothing() {
    let plain = std::fs::read(THREE_TIER).unwrap();
    let mut bom = b"\xEF\xBB\xBF".to_vec();
    bom.extend_from_slice(&plain);
    let crlf = String::from_utf8(plain.clone())
        .unwrap()
        .replace('\n', "\r\n");
    let base = run_twice("plan.json", &plain, &["analyze", "--format", "json"]);
    assert_eq!(
        run_twice("plan.json", &bom, &["analyze", "--format", "json"]),
        base
    );
    assert_eq!(
        run_twice(
            "plan.json",
            crlf.as_bytes(),
            &["analyze", "--format", "json"]
        ),
        base
    );
}

#[test]
fn empty_inputs() {
    rejected("empty.json", b"", "empty");
    rejected("blank.json", b" \r\n\t", "empty");
    // A plan with nothing in it: a clean, empty report.
    let plan = json!({"format_version": "1.2", "terraform_version": "1.9.0",
        "planned_values": {"root_module": {}}, "resource_changes": [],
        "configuration": {"root_module": {}}});
    let (json, md, _, _) = report("plan.json", &bytes(&plan));
    assert_eq!(json["summary"]["subnets"], 0);
    assert_eq!(json["findings"], json!([]));
    assert!(!md.is_empty());
}

#[test]
fn destroy_only_plan() {
    let mut plan = three_tier();
    let planned = plan["planned_values"].take();
    plan["prior_state"] = json!({"format_version": "1.0", "values": planned});
    plan["planned_values"] = json!({"root_module": {}});
    for rc in plan["resource_changes"].as_array_mut().unwrap() {
        rc["change"]["actions"] = json!(["delete"]);
        rc["change"]["before"] = rc["change"]["after"].take();
        rc["change"]["after"] = Value::Null;
        rc["change"]["after_unknown"] = json!({});
    }
    let (json, _, _, model) = report("plan.json", &bytes(&plan));
    assert_eq!(json["summary"]["subnets"], 0, "nothing is left after apply");
    assert!(
        !subnets_of(&model).is_empty()
            || !model["before"]["subnets"].as_array().unwrap().is_empty()
    );
    assert!(!model["before"]["subnets"].as_array().unwrap().is_empty());
}

#[test]
fn refresh_only_plan() {
    let mut plan = three_tier();
    let planned = plan["planned_values"].clone();
    plan["prior_state"] = json!({"format_version": "1.0", "values": planned});
    let drift = plan["resource_changes"].take();
    plan["resource_drift"] = drift;
    plan["resource_changes"] = json!([]);
    let (json, _, _, _) = report("plan.json", &bytes(&plan));
    assert_eq!(
        json["changes"],
        json!([]),
        "a refresh-only plan changes nothing"
    );
    assert!(json["summary"]["subnets"].as_u64().unwrap() > 0);
}

#[test]
fn objects_left_in_aws_stay_in_the_planned_network() {
    // testdata/forget-defaults: three deleted `aws_default_*` objects and a forgotten
    // internet gateway; with the gateway's `forget` rewritten to a `delete`, paths close.
    let text = std::fs::read_to_string("testdata/forget-defaults/plan.json").unwrap();
    let (json, _, _, model) = report("plan.json", text.as_bytes());
    assert_eq!(json["changes"], json!([]));
    let notes: Vec<&str> = model["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["message"].as_str().unwrap().contains("AWS keeps it"))
        .map(|d| d["address"].as_str().unwrap())
        .collect();
    assert_eq!(notes.len(), 4, "{notes:?}");
    let mut plan: Value = serde_json::from_str(&text).unwrap();
    for rc in plan["resource_changes"].as_array_mut().unwrap() {
        if rc["change"]["actions"] == json!(["forget"]) {
            rc["change"]["actions"] = json!(["delete"]);
        }
    }
    let (json, _, _, _) = report("plan.json", &bytes(&plan));
    let changes = json["changes"].as_array().unwrap();
    assert!(
        changes
            .iter()
            .any(|c| c["after"] == "blocked" || c["after"] == "unknown"),
        "deleting the gateway closes paths: {changes:?}"
    );
}

#[test]
fn a_default_vpc_is_deleted_only_with_force_destroy() {
    for (force, kept) in [(false, true), (true, false)] {
        let vpc = res(
            "aws_default_vpc.d",
            "aws_default_vpc",
            json!({"id": "vpc-1", "cidr_block": "172.31.0.0/16", "force_destroy": force}),
        );
        let plan = json!({
            "format_version": "1.2",
            "terraform_version": "1.9.0",
            "planned_values": {"root_module": {"resources": []}},
            "prior_state": {"format_version": "1.0", "values": {"root_module": {"resources": [vpc]}}},
            "resource_changes": [{"address": "aws_default_vpc.d", "mode": "managed",
                "type": "aws_default_vpc", "name": "d",
                "change": {"actions": ["delete"], "before": {}, "after": null}}],
            "configuration": {"root_module": {"resources": []}}
        });
        let (_, _, _, model) = report("plan.json", &bytes(&plan));
        assert_eq!(
            model["after"]["vpcs"].as_array().unwrap().len(),
            usize::from(kept),
            "force_destroy = {force}"
        );
    }
}

#[test]
fn only_non_aws_providers() {
    let plan = literal_plan(
        json!([
            res(
                "google_compute_network.n",
                "google_compute_network",
                json!({"name": "n"})
            ),
            res("random_id.r", "random_id", json!({"byte_length": 4})),
        ]),
        json!([]),
    );
    let (json, md, _, _) = report("plan.json", &bytes(&plan));
    assert_eq!(json["summary"]["vpcs"], 0);
    assert_eq!(json["reachability"], json!([]));
    assert!(!md.is_empty());
}

#[test]
fn errored_plans_are_flagged_in_the_report() {
    let mut plan = three_tier();
    plan["errored"] = json!(true);
    let (json, md, sarif, model) = report("plan.json", &bytes(&plan));
    assert_eq!(model["input"]["errored"], true);
    assert!(
        md.contains("errored: true"),
        "markdown should admit it:\n{md}"
    );
    let notes = sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"].to_string();
    assert!(
        notes.contains("errored: true"),
        "SARIF should admit it: {notes}"
    );
    let _ = json;
    // Not errored: no such note.
    let (_, md, _, _) = report("plan.json", &bytes(&three_tier()));
    assert!(!md.contains("errored: true"));
}

#[test]
fn sensitive_cidr_is_unknown_not_absent() {
    let mut plan = three_tier();
    let subnet = first_of(&mut plan, "aws_subnet");
    let address = subnet["address"].as_str().unwrap().to_string();
    let cidr = subnet["values"]["cidr_block"].as_str().unwrap().to_string();
    subnet["values"]
        .as_object_mut()
        .unwrap()
        .remove("cidr_block");
    subnet["sensitive_values"] = json!({"cidr_block": true});
    for rc in plan["resource_changes"].as_array_mut().unwrap() {
        if rc["address"] == address.as_str() {
            rc["change"]["after"]
                .as_object_mut()
                .unwrap()
                .remove("cidr_block");
            rc["change"]["after_sensitive"] = json!({"cidr_block": true});
        }
    }
    let (json, md, sarif, model) = report("plan.json", &bytes(&plan));
    let s = subnets_of(&model)
        .iter()
        .find(|s| s["address"] == address.as_str())
        .unwrap();
    assert!(
        s["ipv4"]["unknown"].is_string(),
        "the hidden CIDR must be unknown, got {}",
        s["ipv4"]
    );
    // The hidden value appears nowhere (it could only come from the plan).
    for (name, text) in [
        ("json", json.to_string()),
        ("markdown", md),
        ("sarif", sarif.to_string()),
    ] {
        assert!(
            !text.contains(&format!("\"{cidr}\"")) && !text.contains(&format!("`{cidr}`")),
            "{name} shows {cidr}"
        );
    }
}

#[test]
fn input_size_limit() {
    let plan = std::fs::read(THREE_TIER).unwrap();
    // Over the limit: refused before reading, with the sizes and the flag to raise it.
    for cmd in [
        &["analyze"][..],
        &["model"],
        &["query", "--from", "internet", "--to", "internet"],
    ] {
        let mut args = cmd.to_vec();
        args.extend(["--max-input-size", "1K"]);
        let (code, out, err) = run_twice("plan.json", &plan, &args);
        assert_eq!(code, 2, "{err}");
        assert!(out.is_empty());
        assert!(
            err.contains("plan.json")
                && err.contains("more than the limit of 1024 bytes")
                && err.contains("--max-input-size"),
            "{err}"
        );
    }
    // Standard input is bounded the same way.
    let o = run_bin(
        &["analyze", "--max-input-size", "1000", "-"],
        Some(&plan),
        &[],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr)
        .contains("-: the input is more than the limit of 1000 bytes"));
    // At or under the limit: analysed as usual.
    let size = plan.len().to_string();
    let (code, _, err) = run_twice(
        "plan.json",
        &plan,
        &["analyze", "--fail-on", "never", "--max-input-size", &size],
    );
    assert_eq!(code, 0, "{err}");
    // A size that is not one.
    let (code, _, err) = run_twice("plan.json", &plan, &["analyze", "--max-input-size", "lots"]);
    assert_eq!(code, 2);
    assert!(err.contains("not a size"), "{err}");
}

#[test]
fn a_data_source_read_only_at_apply_is_left_out() {
    // `testdata/data-sources` with `data.aws_vpc.shared` deferred to apply, as terraform
    // writes one whose arguments are unknown at plan time: action `read` in
    // `resource_changes`, in `planned_values` with its computed attributes unknown, and not
    // in `prior_state`.
    let mut plan: Value =
        serde_json::from_slice(&std::fs::read("testdata/data-sources/plan.json").unwrap()).unwrap();
    let prior = plan["prior_state"]["values"]["root_module"]["resources"]
        .as_array_mut()
        .unwrap();
    let at = prior
        .iter()
        .position(|r| r["address"] == "data.aws_vpc.shared")
        .unwrap();
    let mut vpc = prior.remove(at);
    vpc["values"] = json!({"tags": {"Name": "shared"}});
    plan["planned_values"]["root_module"]["resources"]
        .as_array_mut()
        .unwrap()
        .push(vpc);
    plan["resource_changes"].as_array_mut().unwrap().push(json!({
        "address": "data.aws_vpc.shared", "mode": "data", "type": "aws_vpc", "name": "shared",
        "provider_name": "registry.terraform.io/hashicorp/aws",
        "change": {"actions": ["read"], "before": null, "after": {"tags": {"Name": "shared"}},
                   "after_unknown": {"id": true, "cidr_block": true, "main_route_table_id": true},
                   "before_sensitive": false, "after_sensitive": {"tags": {}}},
        "action_reason": "read_because_config_unknown"
    }));
    let (json_report, _, _, model) = report("plan.json", &bytes(&plan));
    for side in ["before", "after"] {
        assert!(
            model[side]["vpcs"].as_array().unwrap().is_empty(),
            "{side}: {}",
            model[side]["vpcs"]
        );
    }
    let web = json_report["reachability"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["from"] == "internet" && r["to"] == "aws_subnet.web" && r["family"] == "ipv4")
        .unwrap()
        .clone();
    assert_eq!(web["verdict"], "unknown", "{web}");
    assert!(
        web["reason"]
            .as_str()
            .unwrap()
            .contains("outside this plan"),
        "{web}"
    );
}
