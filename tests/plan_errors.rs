//! Bad input never panics: it is a `LoadError` naming the file and the JSON path, and the
//! CLI exits 2 with the message on stderr and nothing on stdout.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::process::Command;

use tfvpc::model::InputKind;
use tfvpc::plan;

fn err(bytes: &[u8]) -> plan::LoadError {
    match plan::parse(bytes, "plan.json") {
        Ok(_) => panic!("expected an error"),
        Err(e) => e,
    }
}

#[test]
fn not_json() {
    let e = err(b"hello");
    assert!(e.to_string().starts_with("plan.json: "), "{e}");
    assert!(e.message.contains("not valid JSON"), "{e}");
}

#[test]
fn binary_plan_file() {
    let e = err(b"PK\x03\x04\x14\x00\x00\x00rest-of-zip");
    assert!(e.message.contains("binary plan file"), "{e}");
    assert!(e.message.contains("terraform show -json"), "{e}");
}

#[test]
fn truncated() {
    let e = err(br#"{"format_version": "1.2", "planned_values": {"root_module": {"resources": ["#);
    assert!(e.message.contains("ends too early"), "{e}");
}

#[test]
fn wrong_type_names_the_json_path() {
    let doc = br#"{"format_version": "1.2", "planned_values": {"root_module": {"resources": [
        {"address": "aws_vpc.a", "type": "aws_vpc", "name": "a", "values": {}},
        {"address": "aws_vpc.b", "type": "aws_vpc", "name": "b", "values": {}},
        {"address": "aws_vpc.c", "type": "aws_vpc", "name": "c", "values": {}},
        {"address": "aws_vpc.d", "type": "aws_vpc", "name": "d", "values": "oops"}
    ]}}}"#;
    let e = err(doc);
    assert_eq!(
        e.json_path.as_deref(),
        Some("planned_values.root_module.resources[3].values")
    );
    assert!(
        e.to_string().starts_with(
            "plan.json: at planned_values.root_module.resources[3].values: invalid type: string"
        ),
        "{e}"
    );
}

#[test]
fn unsupported_major_version() {
    let e = err(br#"{"format_version": "2.0", "planned_values": {}}"#);
    assert!(
        e.message.contains("unsupported format_version \"2.0\""),
        "{e}"
    );
    // Even when the rest of the document has another shape.
    let e = err(br#"{"format_version": "2.0", "resource_changes": {"x": 1}}"#);
    assert!(e.message.contains("unsupported format_version"), "{e}");
}

#[test]
fn empty_object_is_not_a_plan() {
    let e = err(b"{}");
    assert!(e.message.contains("format_version"), "{e}");
    let e = err(b"  \n");
    assert!(e.message.contains("empty"), "{e}");
}

#[test]
fn invalid_utf8() {
    let e = err(b"{\"format_version\": \"1.2\", \"terraform_version\": \"\xff\xfe\"}");
    assert!(!e.message.is_empty());
}

#[test]
fn bom_is_accepted() {
    let mut doc = b"\xEF\xBB\xBF".to_vec();
    doc.extend_from_slice(br#"{"format_version": "1.2", "planned_values": {"root_module": {}}}"#);
    let p = plan::parse(&doc, "plan.json").unwrap();
    assert_eq!(p.kind(), InputKind::Plan);
}

#[test]
fn plan_without_aws_resources_gives_an_empty_model() {
    let doc = br#"{"format_version": "1.2", "planned_values": {"root_module": {"resources": [
        {"address": "null_resource.x", "mode": "managed", "type": "null_resource", "name": "x", "values": {"id": null}},
        {"address": "random_id.y", "mode": "managed", "type": "random_id", "name": "y", "values": {}}
    ]}}, "resource_changes": [{"address": "null_resource.x", "change": {"actions": ["create"]}}]}"#;
    let n = plan::build(&plan::parse(doc, "plan.json").unwrap());
    assert!(n.after.vpcs.is_empty() && n.after.subnets.is_empty());
    assert_eq!(n.after.skipped.get("null_resource"), Some(&1));
    assert_eq!(n.after.skipped.get("random_id"), Some(&1));
    assert_eq!(n.changed.len(), 1);
}

#[test]
fn state_file_gives_equal_sides() {
    let doc = br#"{"format_version": "1.0", "terraform_version": "1.9.0", "values": {"root_module": {"resources": [
        {"address": "aws_vpc.main", "mode": "managed", "type": "aws_vpc", "name": "main",
         "values": {"id": "vpc-1", "cidr_block": "10.0.0.0/16", "default_route_table_id": "rtb-1", "default_network_acl_id": "acl-1"}},
        {"address": "aws_subnet.a", "mode": "managed", "type": "aws_subnet", "name": "a",
         "values": {"id": "subnet-1", "vpc_id": "vpc-1", "cidr_block": "10.0.1.0/24", "availability_zone": "eu-west-1a"}}
    ]}}}"#;
    let p = plan::parse(doc, "state.json").unwrap();
    assert_eq!(p.kind(), InputKind::State);
    let n = plan::build(&p);
    assert_eq!(n.before, n.after);
    let s = &n.after.subnets[0];
    assert_eq!(
        s.vpc,
        tfvpc::model::Link::To(tfvpc::model::VpcId(0), tfvpc::model::LinkHow::Id)
    );
    assert!(n.changed.is_empty());
}

fn run_cli(stdin_bytes: Option<&[u8]>, arg: &str) -> std::process::Output {
    use std::io::Write;
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_tfvpc"));
    cmd.args(["model", arg])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    if let Some(b) = stdin_bytes {
        child.stdin.take().unwrap().write_all(b).unwrap();
    } else {
        drop(child.stdin.take());
    }
    child.wait_with_output().unwrap()
}

#[test]
fn cli_bad_input_exits_2_with_message_on_stderr() {
    let dir = tempfile::tempdir().unwrap();
    let cases: &[(&str, &[u8], &str)] = &[
        ("garbage.json", b"not json", "not valid JSON"),
        ("plan.tfplan", b"PK\x03\x04zipzip", "binary plan file"),
        (
            "v2.json",
            br#"{"format_version":"2.0"}"#,
            "unsupported format_version",
        ),
        ("empty.json", b"{}", "format_version"),
    ];
    for (name, bytes, expect) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        let out = run_cli(None, path.to_str().unwrap());
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{name}: {stderr}");
        assert!(out.stdout.is_empty(), "{name}");
        assert!(stderr.contains(expect), "{name}: {stderr}");
        assert!(stderr.contains(name), "{name}: {stderr}");
    }
    let out = run_cli(None, dir.path().join("missing.json").to_str().unwrap());
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
}

#[test]
fn cli_reads_standard_input() {
    let out = run_cli(
        Some(br#"{"format_version":"1.2","planned_values":{"root_module":{}}}"#),
        "-",
    );
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        v.get("before").is_some() && v.get("after").is_some() && v.get("diagnostics").is_some()
    );
    let out = run_cli(Some(b"{"), "-");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("-:"));
}
