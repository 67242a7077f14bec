//! `tfvpc rules` and `tfvpc explain`: what users read.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::process::Command;

fn tfvpc(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_tfvpc"))
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn rules_lists_every_rule_in_a_table() {
    let (code, out, _) = tfvpc(&["rules"]);
    assert_eq!(code, 0);
    let header = out.lines().next().unwrap();
    assert!(header.starts_with("ID") && header.contains("SEVERITY") && header.ends_with("SUMMARY"));
    let rows: Vec<&str> = out.lines().filter(|l| l.starts_with("TFVPC")).collect();
    assert_eq!(rows.len(), tfvpc::rules::catalog().len());
    assert!(rows.iter().any(
        |r| r.starts_with("TFVPC201  ipv6-subnet-exposed-to-internet") && r.contains("error")
    ));
}

#[test]
fn rules_json_is_an_array_with_help() {
    let (code, out, _) = tfvpc(&["rules", "--format", "json"]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let arr = v.as_array().unwrap();
    assert_eq!(arr.len(), tfvpc::rules::catalog().len());
    let r101 = arr.iter().find(|r| r["id"] == "TFVPC101").unwrap();
    assert_eq!(r101["name"], "eigw-ipv4-destination");
    assert_eq!(r101["severity"], "error");
    assert!(r101["help"].as_str().unwrap().contains("## How to fix"));
}

#[test]
fn explain_renders_readable_documentation() {
    let (code, out, err) = tfvpc(&["explain", "tfvpc201"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("TFVPC201 ipv6-subnet-exposed-to-internet\n====="));
    for heading in [
        "What it checks\n---",
        "Why it matters\n---",
        "How to fix\n---",
        "AWS fact\n---",
    ] {
        assert!(out.contains(heading), "{heading}");
    }
    // Code blocks are indented, fences removed.
    assert!(out.contains("\n    resource \"aws_egress_only_internet_gateway\" \"eigw\" {"));
    assert!(!out.contains("```"));
}

#[test]
fn explain_unknown_id_exits_2_with_close_ids() {
    let (code, out, err) = tfvpc(&["explain", "TFVPC280"]);
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert!(
        err.contains("no rule with ID `TFVPC280`") && err.contains("TFVPC208"),
        "{err}"
    );
}

/// `docs/rules.md` is the catalog as the rules document themselves: regenerated, never
/// edited by hand (`TFVPC_BLESS=1` rewrites it).
#[test]
fn docs_rules_page() {
    let page = tfvpc::rules::codes::catalog_markdown();
    let path = std::path::Path::new("docs/rules.md");
    if std::env::var_os("TFVPC_BLESS").is_some() {
        std::fs::write(path, &page).unwrap();
    }
    let on_disk = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        on_disk == page,
        "docs/rules.md is out of date: run `TFVPC_BLESS=1 cargo test --test rules_cli docs_rules_page`"
    );
    for r in tfvpc::rules::codes::RULES {
        assert!(
            page.contains(&format!("\n## {}\n", r.meta.id)),
            "{}",
            r.meta.id
        );
    }
}
