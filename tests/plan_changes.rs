//! What a plan changes, on the fixtures over existing infrastructure (applied to moto, then
//! changed): exactly which paths open or close, and the resources that cause it; TFVPC102
//! on a deleted gateway whose route stays, not on a replaced NAT gateway.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::path::Path;

use tfvpc::analysis::{Change, Scope};
use tfvpc::model::Family;
use tfvpc::pipeline::{self, Outcome};
use tfvpc::rules::{Date, Policy};

fn run(scenario: &str) -> Outcome {
    let network = tfvpc::plan::load(Path::new(&format!("testdata/{scenario}/plan.json")))
        .expect("fixture loads");
    pipeline::run(
        &network,
        &Policy::default(),
        Scope::All,
        Date::new(2026, 11, 22),
    )
}

/// Changes as `(from, to, family, before → after, causes)` lines, for exact comparison.
fn lines(changes: &[Change]) -> Vec<String> {
    changes
        .iter()
        .map(|c| {
            let ports = match &c.ports {
                Some((b, a)) => format!(" ({b} -> {a})"),
                None => String::new(),
            };
            format!(
                "{} -> {} {}: {} -> {}{ports} [{}]",
                c.from,
                c.to,
                c.family,
                c.before.as_str(),
                c.after.as_str(),
                c.causes.join(", ")
            )
        })
        .collect()
}

fn rule_ids(o: &Outcome) -> Vec<&str> {
    o.findings.iter().map(|f| f.rule_id.as_str()).collect()
}

#[test]
fn swapping_the_eigw_route_for_the_igw_opens_ipv6_ingress() {
    let o = run("change-eigw-to-igw");
    assert_eq!(
        lines(&o.changes),
        ["internet -> aws_subnet.app ipv6: blocked -> allowed [aws_route_table.app]"]
    );
    let f: Vec<_> = o
        .findings
        .iter()
        .filter(|f| f.rule_id == "TFVPC206")
        .collect();
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].resources, ["aws_subnet.app", "aws_route_table.app"]);
    assert!(rule_ids(&o).contains(&"TFVPC201"));
    assert!(!rule_ids(&o).contains(&"TFVPC102"));
}

#[test]
fn deleting_the_nat_route_closes_ipv4_egress() {
    let o = run("close-nat-path");
    assert_eq!(
        lines(&o.changes),
        [
            "aws_subnet.private -> internet ipv4: allowed -> blocked [aws_route.private_default]",
            "aws_subnet.private -> service:dynamodb ipv4: allowed -> blocked [aws_route.private_default]",
            "aws_subnet.private -> service:s3 ipv4: allowed -> blocked [aws_route.private_default]",
        ]
    );
    // The NAT gateway stays: the deleted object is the route itself, no blackhole.
    assert!(!rule_ids(&o).contains(&"TFVPC102"));
}

#[test]
fn deleting_the_eigw_under_a_literal_id_route_is_a_blackhole() {
    let o = run("delete-eigw");
    assert_eq!(
        lines(&o.changes),
        [
            "aws_subnet.app -> internet ipv6: allowed -> blocked [aws_egress_only_internet_gateway.eigw]",
            "aws_subnet.app -> service:dynamodb ipv6: allowed -> blocked [aws_egress_only_internet_gateway.eigw]",
            "aws_subnet.app -> service:s3 ipv6: allowed -> blocked [aws_egress_only_internet_gateway.eigw]",
        ]
    );
    let blackholes: Vec<_> = o
        .findings
        .iter()
        .filter(|f| f.rule_id == "TFVPC102")
        .collect();
    assert_eq!(blackholes.len(), 1, "{blackholes:?}");
    assert_eq!(blackholes[0].resources[0], "aws_route.app_ipv6_egress");
    assert!(blackholes[0]
        .message
        .contains("aws_egress_only_internet_gateway.eigw"));
    // The engine agrees: the route is a blackhole, not an unknown target.
    let r = o
        .after
        .results
        .iter()
        .find(|r| &*r.from == "aws_subnet.app" && &*r.to == "internet" && r.family == Family::Ipv6)
        .expect("result");
    assert!(r.reason.contains("blackhole"), "{}", r.reason);
}

#[test]
fn replacing_the_nat_gateway_keeps_the_path_and_is_no_blackhole() {
    let o = run("replace-nat-gateway");
    assert!(o.changes.is_empty(), "{:?}", lines(&o.changes));
    assert!(!rule_ids(&o).contains(&"TFVPC102"));
    // The replaced NAT gateway moved to private_b's AZ: no cross-AZ NAT after the plan.
    assert!(!rule_ids(&o).contains(&"TFVPC301"));
}

#[test]
fn reassociating_the_subnet_with_the_public_table_opens_it() {
    let o = run("reassociate-subnet");
    let l = lines(&o.changes);
    for expected in [
        "internet -> aws_subnet.app ipv6: blocked -> allowed [aws_route_table_association.app]",
        "aws_subnet.app -> internet ipv6: blocked -> allowed [aws_route_table_association.app]",
        // No public IPv4 is auto-assigned: whether anything uses the IGW is decided at launch.
        "internet -> aws_subnet.app ipv4: blocked -> unknown [aws_route_table_association.app]",
        "aws_subnet.app -> internet ipv4: blocked -> unknown [aws_route_table_association.app]",
    ] {
        assert!(
            l.iter().any(|x| x == expected),
            "missing {expected} in {l:#?}"
        );
    }
    assert_eq!(l.len(), 8, "{l:#?}");
    let ids = rule_ids(&o);
    assert!(
        ids.contains(&"TFVPC405"),
        "the isolated table is now unused"
    );
    assert!(ids.contains(&"TFVPC206"));
    assert!(!ids.contains(&"TFVPC102"));
}

#[test]
fn a_nacl_deny_closes_web_and_db_both_ways() {
    let o = run("add-nacl-deny");
    assert_eq!(
        lines(&o.changes),
        [
            "aws_subnet.db -> aws_subnet.web ipv4: allowed -> blocked [aws_network_acl.db]",
            "aws_subnet.web -> aws_subnet.db ipv4: allowed -> blocked [aws_network_acl.db]",
        ]
    );
    let ids = rule_ids(&o);
    assert!(!ids.contains(&"TFVPC110") && !ids.contains(&"TFVPC102"));
}

#[test]
fn update_replace_and_delete_in_one_plan() {
    let o = run("mixed-update-replace-delete");
    let l = lines(&o.changes);
    assert!(
        l.contains(
            &"internet -> aws_subnet.public ipv4: unknown -> allowed [aws_subnet.public]"
                .to_string()
        ),
        "{l:#?}"
    );
    assert!(
        l.iter()
            .any(|x| x.starts_with("aws_subnet.app -> aws_subnet.public ipv4: blocked -> allowed")),
        "{l:#?}"
    );
    // public -> app was allowed on TCP 5432 only (app's NACL): with the NACL deleted it is
    // allowed on every port, a change of ports.
    assert!(
        l.iter().any(|x| x.starts_with(
            "aws_subnet.public -> aws_subnet.app ipv4: allowed -> allowed (tcp:5432 -> all)"
        )),
        "{l:#?}"
    );
    assert_eq!(l.len(), 6, "{l:#?}");
    assert!(!rule_ids(&o).contains(&"TFVPC102"));
}

#[test]
fn a_plan_that_creates_everything_changes_nothing() {
    let o = run("three-tier");
    assert!(o.changes.is_empty());
}

#[test]
fn a_deposed_object_leaves_the_current_instance_alone() {
    // A failed create_before_destroy leaves a deposed NAT gateway under the same address.
    let text = std::fs::read_to_string("testdata/replace-nat-gateway/plan.json").unwrap();
    let mut plan: serde_json::Value = serde_json::from_str(&text).unwrap();
    let changes = plan["resource_changes"].as_array_mut().unwrap();
    let mut deposed = changes
        .iter()
        .find(|c| c["address"] == "aws_nat_gateway.main")
        .unwrap()
        .clone();
    deposed["deposed"] = "00aabbcc".into();
    deposed["change"]["actions"] = serde_json::json!(["delete"]);
    changes.insert(0, deposed);
    let bytes = serde_json::to_vec(&plan).unwrap();
    let network = tfvpc::plan::build(&tfvpc::plan::parse(&bytes, "plan.json").unwrap());
    let nat = network
        .after
        .nat_gateways
        .iter()
        .find(|n| n.meta.address == "aws_nat_gateway.main")
        .unwrap();
    assert_eq!(nat.meta.action, tfvpc::model::Action::Replace);
    assert!(network
        .after
        .diagnostics
        .iter()
        .any(|d| d.message.contains("deposed object 00aabbcc")));
}

#[test]
fn an_association_the_plan_deletes_is_gone_though_a_data_source_read_it() {
    let o = run("drop-read-association");
    assert_eq!(
        lines(&o.changes),
        [
            "aws_subnet.web -> internet ipv4: allowed -> blocked [aws_route_table_association.web]",
            "aws_subnet.web -> service:dynamodb ipv4: allowed -> blocked [aws_route_table_association.web]",
            "aws_subnet.web -> service:s3 ipv4: allowed -> blocked [aws_route_table_association.web]",
            "internet -> aws_subnet.web ipv4: allowed -> blocked [aws_route_table_association.web]",
        ]
    );
    assert_eq!(rule_ids(&o), ["TFVPC405"]);
}

/// `(rule, first resource, baseline)` of each finding.
fn baselines(o: &Outcome) -> Vec<(String, String, Option<&'static str>)> {
    o.findings
        .iter()
        .map(|f| {
            (
                f.rule_id.clone(),
                f.resources.first().cloned().unwrap_or_default(),
                f.baseline.map(tfvpc::rules::Baseline::as_str),
            )
        })
        .collect()
}

#[test]
fn findings_say_whether_the_prior_state_had_them() {
    // open-ssh: the plan opens SSH to the web instance; the shared subnets' replies could
    // not route back before it either.
    let b = baselines(&run("open-ssh"));
    let of = |rule: &str| -> Vec<Option<&str>> {
        b.iter().filter(|x| x.0 == rule).map(|x| x.2).collect()
    };
    assert_eq!(of("TFVPC203"), [Some("new")], "{b:?}");
    assert_eq!(of("TFVPC206"), [Some("new")], "{b:?}");
    assert_eq!(of("TFVPC109"), [Some("unchanged")], "{b:?}");
    // The gateway deleted under its route: the blackhole is this plan's.
    let b = baselines(&run("delete-eigw"));
    assert_eq!(
        b,
        [(
            "TFVPC102".to_string(),
            "aws_route.app_ipv6_egress".to_string(),
            Some("new")
        )]
    );
    // The plan adds the batch fleet behind the web group, which admitted SSH from anywhere
    // already: the same finding, on more workloads.
    let b = baselines(&run("fleets-existing"));
    assert!(
        b.contains(&(
            "TFVPC203".to_string(),
            "aws_security_group.web".to_string(),
            Some("updated")
        )),
        "{b:?}"
    );
    // A group replaced while in use: the prior state, taken as a plan that changes
    // nothing, replaces nothing.
    let b = baselines(&run("sg-replaced-in-use"));
    assert!(
        b.contains(&(
            "TFVPC115".to_string(),
            "aws_security_group.db".to_string(),
            Some("new")
        )),
        "{b:?}"
    );
    // Nothing to compare with: no finding is marked.
    assert!(baselines(&run("three-tier")).iter().all(|x| x.2.is_none()));
}

/// Runs the CLI; returns the exit code and standard output.
fn cli(args: &[&str]) -> (i32, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_tfvpc"))
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
    )
}

#[test]
fn only_new_leaves_out_and_does_not_fail_on_what_the_prior_state_had() {
    // enable-bpa's only findings (TFVPC401, warnings) were there before the plan.
    let plan = "testdata/enable-bpa/plan.json";
    let base = ["analyze", plan, "--format", "json", "--fail-on", "warning"];
    let (code, out) = cli(&base);
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let all = v["findings"].as_array().unwrap();
    assert!(!all.is_empty());
    assert!(all.iter().all(|f| f["baseline"] == "unchanged"), "{all:#?}");
    let (code, out) = cli(&[&base[..], &["--only-new"]].concat());
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["findings"], serde_json::json!([]));
    assert_eq!(v["summary"]["findings"]["warning"], 0);
    // The markdown report says what it left out.
    let (_, md) = cli(&["analyze", plan, "--only-new", "--fail-on", "never"]);
    let note = format!(
        "{} findings the prior state already has are not shown",
        all.len()
    );
    assert!(md.contains(&note.replace('-', "\\-")), "{md}");
    // Its headline and summary too: nothing new, and how much is left out.
    assert!(md.starts_with("✅ **tfvpc: no new findings**"), "{md}");
    let summary = format!("({} already in the prior state left out)", all.len());
    assert!(md.contains(&summary), "{md}");
    // A plan with no prior state keeps every finding, and so does a state file (its two
    // sides are one network: nothing is new, nothing is left out).
    for input in ["testdata/three-tier/plan.json", "testdata/state/state.json"] {
        let args = ["analyze", input, "--format", "json", "--fail-on", "warning"];
        let (a, with) = cli(&[&args[..], &["--only-new"]].concat());
        let (b, without) = cli(&args);
        assert_eq!((a, &with), (b, &without), "{input}");
        let v: serde_json::Value = serde_json::from_str(&with).unwrap();
        let findings = v["findings"].as_array().unwrap();
        assert!(!findings.is_empty(), "{input}");
        assert!(
            findings.iter().all(|f| f.get("baseline").is_none()),
            "{input}"
        );
    }
}
