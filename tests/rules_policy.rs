//! The policy file end to end: loading errors with positions, suppressions (with expiry),
//! severity overrides, rules turned off, unknown IDs, and user intents over fabricated
//! reachability.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::path::Path;

use tfvpc::analysis::{Reachability, Verdict};
use tfvpc::model::{Family, GatewayKind, Network, Target};
use tfvpc::rules::policy::{self, PolicyError};
use tfvpc::rules::testkit::{network, path_result, reach, to, Builder};
use tfvpc::rules::{check, Date, Policy, Severity};

const TODAY: Date = Date {
    year: 2026,
    month: 6,
    day: 1,
};

fn parse(text: &str) -> Result<Policy, PolicyError> {
    policy::parse(text, Path::new("tfvpc.toml"))
}

fn err(text: &str) -> String {
    parse(text).unwrap_err().to_string()
}

/// Two AZs, one NAT gateway in AZ a: TFVPC301 fires for `aws_subnet.private[1]`, TFVPC302
/// for the NAT gateway.
fn single_nat() -> Network {
    let mut b = Builder::new();
    let vpc = b.vpc("aws_vpc.main", "10.0.0.0/16");
    let igw = b.gateway("aws_internet_gateway.main", GatewayKind::Internet, vpc);
    let public_rt = b.route_table("aws_route_table.public", vpc);
    b.route(public_rt, "0.0.0.0/0", Target::Gateway(to(igw)));
    let public = b.subnet("aws_subnet.public", vpc, "us-east-1a", "10.0.0.0/24");
    b.associate(public, public_rt);
    let eip = b.eip("aws_eip.nat");
    let nat = b.nat("aws_nat_gateway.main", public, Some(eip));
    let rt = b.route_table("aws_route_table.private", vpc);
    b.route(rt, "0.0.0.0/0", Target::NatGateway(to(nat)));
    for (i, az) in ["us-east-1a", "us-east-1b"].iter().enumerate() {
        let s = b.subnet(
            &format!("aws_subnet.private[{i}]"),
            vpc,
            az,
            &format!("10.0.1{i}.0/24"),
        );
        b.associate(s, rt);
    }
    network(b.build())
}

fn ids(findings: &[tfvpc::rules::Finding]) -> Vec<(&str, Severity)> {
    findings
        .iter()
        .map(|f| (f.rule_id.as_str(), f.severity))
        .collect()
}

#[test]
fn without_a_policy_the_catalog_defaults_apply() {
    let f = check(
        &single_nat(),
        &Reachability::default(),
        &Policy::default(),
        TODAY,
    );
    assert_eq!(
        ids(&f),
        [
            ("TFVPC301", Severity::Warning),
            ("TFVPC302", Severity::Warning)
        ]
    );
}

#[test]
fn rules_can_be_turned_off_and_regraded() {
    let p = parse("[rules]\nTFVPC301 = \"off\"\ntfvpc302 = \"error\"\n").unwrap();
    let f = check(&single_nat(), &Reachability::default(), &p, TODAY);
    assert_eq!(ids(&f), [("TFVPC302", Severity::Error)]);
}

#[test]
fn a_suppression_hides_matching_findings_until_it_expires() {
    let text = r#"
[[suppress]]
rule = "TFVPC301"
resources = ["aws_subnet.private[*]"]
reason = "dev account: one NAT gateway to save cost"
expires = 2026-12-31
"#;
    let p = parse(text).unwrap();
    let f = check(&single_nat(), &Reachability::default(), &p, TODAY);
    assert_eq!(ids(&f), [("TFVPC302", Severity::Warning)]);

    let later = Date::new(2027, 1, 1);
    let f = check(&single_nat(), &Reachability::default(), &p, later);
    assert_eq!(
        ids(&f),
        [
            ("TFVPC001", Severity::Warning),
            ("TFVPC301", Severity::Warning),
            ("TFVPC302", Severity::Warning)
        ]
    );
    assert!(f[0].message.contains("tfvpc.toml:2"), "{}", f[0].message);
    assert!(f[0].message.contains("expired on 2026-12-31"));
    // The last day itself is still covered.
    let f = check(
        &single_nat(),
        &Reachability::default(),
        &p,
        Date::new(2026, 12, 31),
    );
    assert_eq!(ids(&f), [("TFVPC302", Severity::Warning)]);
}

#[test]
fn a_suppression_that_hides_nothing_is_a_note() {
    let text = "[[suppress]]\nrule = \"TFVPC301\"\nresources = [\"aws_subnet.privat\"]\nreason = \"typo\"\n";
    let f = check(
        &single_nat(),
        &Reachability::default(),
        &parse(text).unwrap(),
        TODAY,
    );
    assert_eq!(
        ids(&f),
        [
            ("TFVPC301", Severity::Warning),
            ("TFVPC302", Severity::Warning),
            ("TFVPC003", Severity::Note)
        ]
    );
}

#[test]
fn unknown_rule_ids_are_reported_with_suggestions() {
    let text = "[rules]\nTFVPC310 = \"off\"\n\n[[suppress]]\nrule = \"TFVPC999\"\nreason = \"x\"\n";
    let p = parse(text).unwrap();
    let f = check(&single_nat(), &Reachability::default(), &p, TODAY);
    let unknown: Vec<_> = f.iter().filter(|f| f.rule_id == "TFVPC002").collect();
    assert_eq!(unknown.len(), 2, "{f:#?}");
    assert!(unknown.iter().any(|f| f.message.contains("tfvpc.toml:2:12")
        && f.message.contains("TFVPC310")
        && f.message.contains("TFVPC301")));
    // Unknown IDs change nothing else.
    assert!(f.iter().any(|f| f.rule_id == "TFVPC301"));
}

#[test]
fn bad_files_name_line_and_column() {
    assert_eq!(
        err("[rules]\nTFVPC301 = \"loud\"\n"),
        "tfvpc.toml:2:12: `TFVPC301 = \"loud\"`: expected `off`, `error`, `warning` or `note`"
    );
    let e = err("[[deny]]\nid = \"X\"\nform = \"internet\"\nto = \"internet\"\n");
    assert!(e.starts_with("tfvpc.toml:3:1: unknown field `form`"), "{e}");
    let e = err("[[suppress]]\nrule = \"TFVPC301\"\n");
    assert!(
        e.starts_with("tfvpc.toml:1:1: ") && e.contains("needs a `reason`"),
        "{e}"
    );
    let e =
        err("[[suppress]]\nrule = \"TFVPC301\"\nreason = \"r\"\nexpires = 2026-12-31T10:00:00Z\n");
    assert!(
        e.starts_with("tfvpc.toml:4:11: ") && e.contains("expected a date"),
        "{e}"
    );
    let e = err("[[deny]]\nid = \"NET-1\"\nfrom = \"internet\"\nto = \"segment:privat\"\n");
    assert_eq!(
        e,
        "tfvpc.toml:4:6: no segment named `privat` (defined: none)"
    );
    let e = err("[segments.empty]\ndescription = \"nothing\"\n");
    assert!(e.contains("selects nothing"), "{e}");
    let e = err("[segments.x]\ncidr = [\"10.0.0.0/33\"]\n");
    assert!(
        e.starts_with("tfvpc.toml:2:9: `10.0.0.0/33` is not a CIDR block"),
        "{e}"
    );
    let e = err("[[deny]]\nid = \"TFVPC900\"\nfrom = \"internet\"\nto = \"internet\"\n");
    assert!(e.contains("reserved for built-in rules"), "{e}");
    let e = err("[[deny]]\nid = \"A\"\nfrom = \"internet\"\nto = \"aws_subnet.a\"\nports = [22]\n");
    assert!(e.contains("`ports` needs `protocol"), "{e}");
    let e = err(
        "[[deny]]\nid = \"A\"\nfrom = \"internet\"\nto = \"aws_subnet.a\"\nvia = \"peering\"\n",
    );
    assert!(e.contains("only applies to `[[require]]`"), "{e}");
    let e = err("[rules\n");
    assert!(e.starts_with("tfvpc.toml:1:"), "{e}");
}

#[test]
fn load_reads_files_and_reports_missing_ones() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(policy::discover(dir.path()), None);
    let path = dir.path().join("tfvpc.toml");
    std::fs::write(&path, "[rules]\nTFVPC305 = \"off\"\n").unwrap();
    assert_eq!(policy::discover(dir.path()), Some(path.clone()));
    assert!(policy::load(&path).unwrap().is_off("TFVPC305"));
    let missing = policy::load(&dir.path().join("nope.toml")).unwrap_err();
    assert!(missing.to_string().contains("cannot read the policy file"));
}

const INTENTS: &str = r#"
[segments.private]
subnets = ["aws_subnet.private[*]"]

[[deny]]
id = "NET-001"
from = "internet"
to = "segment:private"
protocol = "tcp"
ports = [22, 443]
message = "Nothing on the internet may open connections to the private tier."

[[require]]
id = "NET-002"
from = "segment:private"
to = "service:s3"
via = "gateway-endpoint"
severity = "warning"
"#;

#[test]
fn deny_intent_reports_the_offending_path() {
    let p = parse(INTENTS).unwrap();
    let mut open = path_result(
        "internet",
        "aws_subnet.private[0]",
        Family::Ipv4,
        Verdict::Allowed,
        &[
            "internet",
            "aws_internet_gateway.main",
            "aws_subnet.private[0]",
        ],
    );
    open.ports = "tcp:443".into();
    let mut closed_port = path_result(
        "internet",
        "aws_subnet.private[1]",
        Family::Ipv4,
        Verdict::Allowed,
        &[
            "internet",
            "aws_internet_gateway.main",
            "aws_subnet.private[1]",
        ],
    );
    closed_port.ports = "udp:53".into();
    let r = reach(vec![open, closed_port]);
    let f = check(&single_nat(), &r, &p, TODAY);
    let net1: Vec<_> = f.iter().filter(|f| f.rule_id == "NET-001").collect();
    assert_eq!(net1.len(), 1, "{f:#?}");
    assert_eq!(net1[0].severity, Severity::Error);
    assert_eq!(net1[0].resources, ["aws_subnet.private[0]"]);
    assert_eq!(net1[0].path.len(), 3);
    assert!(net1[0]
        .message
        .starts_with("Nothing on the internet may open connections to the private tier (NET-001)"));
}

#[test]
fn require_intent_checks_reachability_and_via() {
    let p = parse(INTENTS).unwrap();
    let via_nat = path_result(
        "aws_subnet.private[0]",
        "service:s3",
        Family::Ipv4,
        Verdict::Allowed,
        &[
            "aws_subnet.private[0]",
            "aws_route_table.private",
            "aws_nat_gateway.main",
            "service:s3",
        ],
    );
    let mut blocked = path_result(
        "aws_subnet.private[1]",
        "service:s3",
        Family::Ipv4,
        Verdict::Blocked,
        &["aws_subnet.private[1]", "aws_route_table.private"],
    );
    blocked.reason = "aws_route_table.private has no route to the S3 prefix list".into();
    let f = check(&single_nat(), &reach(vec![via_nat, blocked]), &p, TODAY);
    let net2: Vec<_> = f.iter().filter(|f| f.rule_id == "NET-002").collect();
    assert_eq!(net2.len(), 2, "{f:#?}");
    assert!(net2.iter().all(|f| f.severity == Severity::Warning));
    assert!(net2
        .iter()
        .any(|f| f.message.contains("not through a gateway VPC endpoint")));
    assert!(net2.iter().any(|f| f.message.contains("cannot reach")));
}

#[test]
fn require_intent_with_ports_needs_each_of_them_to_pass() {
    let p = parse(
        r#"
[[require]]
id = "DB"
from = "aws_subnet.private[0]"
to = "aws_subnet.private[1]"
protocol = "tcp"
ports = [5432, "6000-6001"]
"#,
    )
    .unwrap();
    let answer = |ports: &str| {
        let mut r = path_result(
            "aws_subnet.private[0]",
            "aws_subnet.private[1]",
            Family::Ipv4,
            Verdict::Allowed,
            &["aws_subnet.private[0]", "aws_subnet.private[1]"],
        );
        r.ports = ports.into();
        check(&single_nat(), &reach(vec![r]), &p, TODAY)
            .into_iter()
            .filter(|f| f.rule_id == "DB")
            .collect::<Vec<_>>()
    };
    // Another port passes, not the intent's: the path it needs is not there.
    let f = answer("tcp:443");
    assert_eq!(f.len(), 1, "{f:#?}");
    assert_eq!(f[0].severity, Severity::Error);
    assert!(
        f[0].message
            .contains("over IPv4 for tcp:443 only, not for tcp:5432,tcp:6000-6001"),
        "{}",
        f[0].message
    );
    // One of its ports is missing.
    assert_eq!(answer("tcp:5432,tcp:6000").len(), 1);
    // Every port passes: held.
    assert!(answer("tcp:1024-65535").is_empty());
    assert!(answer("tcp:all").is_empty());
    assert!(answer("all").is_empty());
    // UDP on those ports is not TCP.
    assert_eq!(answer("udp:all").len(), 1);
}

#[test]
fn intents_can_be_suppressed_by_their_own_id() {
    let text = format!(
        "{INTENTS}\n[[suppress]]\nrule = \"NET-002\"\nresources = [\"aws_subnet.private[0]\"]\nreason = \"migrating\"\n"
    );
    let p = parse(&text).unwrap();
    let via_nat = path_result(
        "aws_subnet.private[0]",
        "service:s3",
        Family::Ipv4,
        Verdict::Allowed,
        &[
            "aws_subnet.private[0]",
            "aws_nat_gateway.main",
            "service:s3",
        ],
    );
    let f = check(&single_nat(), &reach(vec![via_nat]), &p, TODAY);
    assert!(
        f.iter()
            .all(|f| f.rule_id != "NET-002" && f.rule_id != "TFVPC002"),
        "{f:#?}"
    );
}

#[test]
fn findings_are_sorted_deduplicated_and_independent_of_threads() {
    let p = parse(INTENTS).unwrap();
    let run = |threads: usize| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
            .install(|| check(&single_nat(), &Reachability::default(), &p, TODAY))
    };
    let one = run(1);
    assert_eq!(one, run(4));
    let mut sorted = one.clone();
    sorted.sort_by(|a, b| {
        (a.severity, &a.rule_id, a.resources.first(), &a.message).cmp(&(
            b.severity,
            &b.rule_id,
            b.resources.first(),
            &b.message,
        ))
    });
    assert_eq!(one, sorted);
}

/// Workload intents read `tfvpc query` answers: security groups and public addresses count.
/// A plan whose workloads all sit in subnets it does not show (an application stack over
/// a shared network) has no subnet answer at all: its workload intents are still asked,
/// not taken as unasked. With `--reachability none` they are not.
#[test]
fn workload_intents_are_checked_in_a_plan_without_subnets() {
    let p = parse(
        r#"
[[deny]]
id = "NO-INBOUND"
from = "internet"
to = "workload:aws_instance.*"

[[require]]
id = "WEB-OUT"
from = "workload:aws_instance.web"
to = "internet"
"#,
    )
    .unwrap();
    let n = tfvpc::plan::load(Path::new("testdata/outside-subnets/plan.json")).unwrap();
    assert!(n.after.subnets.is_empty());
    let out = tfvpc::pipeline::run(&n, &p, tfvpc::analysis::Scope::All, TODAY);
    let of = |id: &str| -> Vec<(String, Severity)> {
        out.findings
            .iter()
            .filter(|f| f.rule_id == id)
            .map(|f| (f.resources.join(" "), f.severity))
            .collect()
    };
    // What the internet reaches of them depends on subnets the plan does not show: notes,
    // not silence. `aws_instance.internal` has no public address, so it is not one.
    let deny = of("NO-INBOUND");
    assert!(
        deny.iter().all(|(_, s)| *s == Severity::Note) && deny.len() >= 3,
        "{deny:?}"
    );
    assert!(deny.iter().any(|(r, _)| r.contains("aws_instance.bastion")));
    assert!(!deny
        .iter()
        .any(|(r, _)| r.contains("aws_instance.internal")));
    // The web group declares no egress: certainly blocked, wherever it is.
    assert_eq!(
        of("WEB-OUT"),
        [("aws_instance.web".to_string(), Severity::Error)]
    );
    // On SSH and RDP only: `aws_instance.web`'s group takes HTTPS only, so wherever it
    // is, it is not one.
    let ssh = parse(
        r#"
[[deny]]
id = "NO-ADMIN"
from = "internet"
to = "workload:aws_instance.*"
protocol = "tcp"
ports = [22, 3389]
"#,
    )
    .unwrap();
    let admin = tfvpc::pipeline::run(&n, &ssh, tfvpc::analysis::Scope::All, TODAY);
    let noted: Vec<&str> = admin
        .findings
        .iter()
        .filter(|f| f.rule_id == "NO-ADMIN")
        .inspect(|f| assert_eq!(f.severity, Severity::Note))
        .flat_map(|f| f.resources.iter().map(String::as_str))
        .collect();
    assert_eq!(
        noted,
        [
            "aws_instance.bastion",
            "aws_instance.legacy",
            "aws_instance.ops"
        ]
    );
    // Port ranges too: above 1023, only `aws_instance.ops` may take anything (a group
    // outside the plan guards it); with the HTTPS port in the range, `aws_instance.web`
    // may too.
    let noted_on = |ports: &str| -> Vec<String> {
        let policy = parse(&format!(
            "[[deny]]\nid = \"HIGH\"\nfrom = \"internet\"\nto = \"workload:aws_instance.*\"\nprotocol = \"tcp\"\nports = {ports}\n"
        ))
        .unwrap();
        tfvpc::pipeline::run(&n, &policy, tfvpc::analysis::Scope::All, TODAY)
            .findings
            .iter()
            .filter(|f| f.rule_id == "HIGH")
            .inspect(|f| assert_eq!(f.severity, Severity::Note))
            .flat_map(|f| f.resources.clone())
            .collect()
    };
    assert_eq!(noted_on(r#"["1024-65535"]"#), ["aws_instance.ops"]);
    assert_eq!(
        noted_on(r#"["440-450", "8000-8999"]"#),
        ["aws_instance.ops", "aws_instance.web"]
    );
    let none = tfvpc::pipeline::run(&n, &p, tfvpc::analysis::Scope::None, TODAY);
    assert!(
        !none
            .findings
            .iter()
            .any(|f| f.rule_id == "NO-INBOUND" || f.rule_id == "WEB-OUT"),
        "{:#?}",
        none.findings
    );
}

#[test]
fn workload_intents_weigh_groups_and_public_addresses() {
    let p = parse(
        r#"
[[deny]]
id = "DB-001"
from = "internet"
to = "workload:aws_db_instance.*"

[[deny]]
id = "SSH-001"
from = "internet"
to = "workload:aws_autoscaling_group.*"
protocol = "tcp"
ports = [22]

[[deny]]
id = "WORKER-001"
from = "workload:aws_autoscaling_group.worker*"
to = "internet"

[[require]]
id = "API-001"
from = "internet"
to = "workload:aws_ecs_service.api*"
"#,
    )
    .unwrap();
    let n = tfvpc::plan::load(Path::new("testdata/fleets/plan.json")).unwrap();
    let out = tfvpc::pipeline::run(&n, &p, tfvpc::analysis::Scope::All, TODAY);
    let hits = |id: &str| -> Vec<String> {
        out.findings
            .iter()
            .filter(|f| f.rule_id == id)
            .flat_map(|f| f.resources.clone())
            .collect()
    };
    // The publicly accessible database, in each of its subnets; not the other one, whose
    // group is as open but which has no public address.
    assert_eq!(
        hits("DB-001"),
        [
            "aws_db_instance.reporting (aws_subnet.public[0])",
            "aws_db_instance.reporting (aws_subnet.public[1])"
        ]
    );
    // SSH reaches the web fleet only: the workers have no route from the internet, the
    // legacy fleet no public address.
    assert_eq!(
        hits("SSH-001"),
        [
            "aws_autoscaling_group.web (aws_subnet.public[0])",
            "aws_autoscaling_group.web (aws_subnet.public[1])"
        ]
    );
    // The private subnets have no route out.
    assert!(hits("WORKER-001").is_empty(), "{:#?}", out.findings);
    assert!(hits("API-001").is_empty(), "{:#?}", out.findings);

    // A require that fails says why: the legacy fleet's group lets everything out, but its
    // instances get no public address in a subnet whose way out is the internet gateway.
    let p = parse(
        r#"
[[require]]
id = "REPORTS-001"
from = "workload:aws_autoscaling_group.legacy (aws_subnet.public[1])"
to = "internet"
"#,
    )
    .unwrap();
    let out = tfvpc::pipeline::run(&n, &p, tfvpc::analysis::Scope::All, TODAY);
    let f: Vec<_> = out
        .findings
        .iter()
        .filter(|f| f.rule_id == "REPORTS-001")
        .collect();
    assert_eq!(f.len(), 1, "{:#?}", out.findings);
    assert!(
        f[0].message.contains("no public IPv4 address"),
        "{}",
        f[0].message
    );
}

/// Workload intents see what a load balancer forwards: a private instance behind one is
/// reached from the internet, and `via` can require the load balancer.
#[test]
fn workload_intents_follow_load_balancers_to_their_targets() {
    let p = parse(
        r#"
[[deny]]
id = "NET-010"
from = "internet"
to = "workload:aws_instance.*"

[[require]]
id = "NET-011"
from = "internet"
to = "workload:aws_autoscaling_group.app*"
via = "aws_lb.*"

[[require]]
id = "NET-012"
from = "internet"
to = "workload:aws_autoscaling_group.app*"
via = "aws_nat_gateway.*"
"#,
    )
    .unwrap();
    let n = tfvpc::plan::load(Path::new("testdata/lb-targets/plan.json")).unwrap();
    let out = tfvpc::pipeline::run(&n, &p, tfvpc::analysis::Scope::All, TODAY);
    let hits = |id: &str| -> Vec<&tfvpc::rules::Finding> {
        out.findings.iter().filter(|f| f.rule_id == id).collect()
    };
    let denied: Vec<&str> = hits("NET-010")
        .iter()
        .flat_map(|f| f.resources.first().map(String::as_str))
        .collect();
    assert_eq!(
        denied,
        [
            "aws_instance.api[0]",
            "aws_instance.jump",
            "aws_instance.legacy"
        ]
    );
    let jump = hits("NET-010")
        .into_iter()
        .find(|f| f.resources.first().map(String::as_str) == Some("aws_instance.jump"))
        .unwrap();
    assert!(
        jump.path.iter().any(|h| h == "aws_lb_listener.jump"),
        "{:?}",
        jump.path
    );
    assert!(
        jump.message
            .contains("`aws_lb.edge`'s listener or target registration"),
        "{}",
        jump.message
    );
    assert!(hits("NET-011").is_empty(), "{:#?}", hits("NET-011"));
    // Allowed, but not through a NAT gateway: both of the fleet's subnets.
    assert_eq!(hits("NET-012").len(), 2, "{:#?}", hits("NET-012"));
}

#[test]
fn a_workload_endpoint_needs_a_glob() {
    let e = err(r#"
[[deny]]
id = "X-1"
from = "internet"
to = "workload:"
"#);
    assert!(e.contains("`workload:` needs an address glob"), "{e}");
}

#[test]
fn an_intent_end_that_selects_nothing_is_a_note_with_its_line() {
    let text = "[[require]]\nid = \"APP-DB\"\nfrom = \"workload:aws_instance.ap*\"\nto = \"aws_subnet.privat[*]\"\n\n[[deny]]\nid = \"NO-VPN\"\nfrom = \"vpn:*\"\nto = \"aws_subnet.private[*]\"\n";
    let f = check(
        &single_nat(),
        &Reachability::default(),
        &parse(text).unwrap(),
        TODAY,
    );
    let notes: Vec<&str> = f
        .iter()
        .filter(|f| f.rule_id == "TFVPC004")
        .map(|f| f.message.as_str())
        .collect();
    // No workload matches, the subnet glob has a typo, and there is no VPN connection;
    // `aws_subnet.private[*]` selects two subnets.
    assert_eq!(notes.len(), 3, "{notes:#?}");
    assert!(notes.iter().any(|m| m.starts_with(
        "tfvpc.toml:3:8: intent `APP-DB`: `from = \"workload:aws_instance.ap*\"` selects nothing"
    )));
    assert!(notes.iter().any(|m| m.starts_with(
        "tfvpc.toml:4:6: intent `APP-DB`: `to = \"aws_subnet.privat[*]\"` selects nothing"
    )));
    assert!(notes
        .iter()
        .any(|m| m.starts_with("tfvpc.toml:8:8: intent `NO-VPN`: `from = \"vpn:*\"`")));
    assert!(f
        .iter()
        .filter(|f| f.rule_id == "TFVPC004")
        .all(|f| f.severity == Severity::Note && f.resources == ["tfvpc.toml"]));
    // It can be turned off like any rule.
    let off = format!("{text}\n[rules]\nTFVPC004 = \"off\"\n");
    let f = check(
        &single_nat(),
        &Reachability::default(),
        &parse(&off).unwrap(),
        TODAY,
    );
    assert!(f.iter().all(|f| f.rule_id != "TFVPC004"), "{f:#?}");
}

#[test]
fn an_intent_from_a_vpn_or_a_service_is_a_note_not_silence() {
    // tfvpc answers connections that subnets, workloads and the internet open: an intent
    // about what on premises (or a service) opens asks nothing, and says so.
    let p = parse(
        r#"
[[deny]]
id = "ONPREM-IN"
from = "vpn:*"
to = "aws_subnet.spoke"

[[deny]]
id = "S3-IN"
from = "service:s3"
to = "aws_subnet.spoke"

[[deny]]
id = "TO-ONPREM"
from = "aws_subnet.spoke"
to = "vpn:aws_vpn_connection.branch_static"
"#,
    )
    .unwrap();
    let n = tfvpc::plan::load(Path::new("testdata/vpn/plan.json")).unwrap();
    let out = tfvpc::pipeline::run(&n, &p, tfvpc::analysis::Scope::All, TODAY);
    let notes: Vec<&str> = out
        .findings
        .iter()
        .filter(|f| f.rule_id == "TFVPC004")
        .map(|f| f.message.as_str())
        .collect();
    assert_eq!(notes.len(), 2, "{notes:#?}");
    for (id, from) in [("ONPREM-IN", "vpn:*"), ("S3-IN", "service:s3")] {
        assert!(
            notes.iter().any(
                |m| m.contains(&format!("intent `{id}`: `from = \"{from}\"`"))
                    && m.contains("not those opened on premises or by a service")
            ),
            "{notes:#?}"
        );
    }
    // The other way round is checked: the spoke reaches the static VPN on the transit
    // gateway.
    assert!(
        out.findings
            .iter()
            .any(|f| f.rule_id == "TO-ONPREM" && f.severity == Severity::Error),
        "{:#?}",
        out.findings
    );
}

#[test]
fn a_deny_intent_on_a_protocol_asks_about_that_protocol_only() {
    // The network to these instances is not known (their subnets are outside the plan),
    // but their groups admit TCP only: UDP and ICMP are blocked for sure, except for
    // `aws_instance.ops`, whose group is outside the plan too.
    let p = parse(
        r#"
[[deny]]
id = "NO-UDP"
from = "internet"
to = "workload:aws_instance.*"
protocol = "udp"

[[deny]]
id = "NO-ICMP"
from = "internet"
to = "workload:aws_instance.*"
protocol = "icmp"

[[deny]]
id = "NO-TCP"
from = "internet"
to = "workload:aws_instance.*"
protocol = "tcp"
"#,
    )
    .unwrap();
    let n = tfvpc::plan::load(Path::new("testdata/outside-subnets/plan.json")).unwrap();
    let out = tfvpc::pipeline::run(&n, &p, tfvpc::analysis::Scope::All, TODAY);
    let of = |id: &str| -> Vec<(String, Severity)> {
        out.findings
            .iter()
            .filter(|f| f.rule_id == id)
            .map(|f| (f.resources.join(" "), f.severity))
            .collect()
    };
    for id in ["NO-UDP", "NO-ICMP"] {
        assert_eq!(
            of(id),
            [("aws_instance.ops".to_string(), Severity::Note)],
            "{id}"
        );
    }
    // TCP is admitted (SSH, HTTPS, RDP): where the network is not known, a note each.
    assert_eq!(of("NO-TCP").len(), 4, "{:#?}", of("NO-TCP"));
    assert!(of("NO-TCP").iter().all(|(_, s)| *s == Severity::Note));
}
