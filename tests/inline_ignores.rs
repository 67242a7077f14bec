//! `tfvpc:ignore` comments in the `.tf` sources: a finding whose resource block carries one
//! naming its rule is hidden (and the report says so); one that hides nothing is TFVPC003.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::path::Path;
use std::process::Command;

/// `testdata/attached-ssh` (TFVPC203, an error, on `aws_security_group.ssh`) in a
/// temporary directory, its `main.tf` edited by `edit`.
fn scenario(edit: impl Fn(&str) -> String) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for f in ["main.tf", "providers.tf", "plan.json"] {
        let from = Path::new("testdata/attached-ssh").join(f);
        let text = std::fs::read_to_string(from).unwrap();
        let text = if f == "main.tf" { edit(&text) } else { text };
        std::fs::write(dir.path().join(f), text).unwrap();
    }
    dir
}

fn analyze(dir: &Path, format: &str) -> (i32, serde_json::Value) {
    analyze_with(dir, format, &[])
}

fn analyze_with(dir: &Path, format: &str, extra: &[&str]) -> (i32, serde_json::Value) {
    let out = Command::new(env!("CARGO_BIN_EXE_tfvpc"))
        .args(["analyze", "--format", format])
        .args(extra)
        .arg(dir.join("plan.json"))
        .output()
        .unwrap();
    let code = out.status.code().unwrap_or(-1);
    (code, serde_json::from_slice(&out.stdout).unwrap())
}

fn rules(report: &serde_json::Value) -> Vec<String> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule_id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn a_comment_above_the_block_hides_its_finding_and_the_report_says_so() {
    // Without a comment: the error fails the run.
    let plain = scenario(str::to_string);
    let (code, report) = analyze(plain.path(), "json");
    assert_eq!(code, 1);
    assert_eq!(rules(&report), ["TFVPC203"]);

    let dir = scenario(|t| {
        t.replace(
            "resource \"aws_security_group\" \"ssh\" {",
            "# The bastion's group: SSH from anywhere is reviewed.\n\
             # tfvpc:ignore:TFVPC203 bastion, reviewed in SEC-12\n\
             resource \"aws_security_group\" \"ssh\" {",
        )
    });
    let (code, report) = analyze(dir.path(), "json");
    assert_eq!(code, 0, "{report}");
    assert!(rules(&report).is_empty(), "{report}");
    let notes = report["notes"].as_array().unwrap();
    assert!(
        notes.iter().any(|n| n
            == "main.tf:27: `tfvpc:ignore:TFVPC203` hid 1 finding (bastion, reviewed in SEC-12)"),
        "{notes:?}"
    );
}

#[test]
fn a_comment_inside_the_block_hides_only_the_rules_it_names() {
    let dir = scenario(|t| {
        t.replace(
            "    cidr_blocks = [\"0.0.0.0/0\"]\n  }\n  egress {",
            "    cidr_blocks = [\"0.0.0.0/0\"] # tfvpc:ignore:TFVPC201,TFVPC203\n  }\n  egress {",
        )
    });
    let (code, report) = analyze(dir.path(), "json");
    assert_eq!(code, 0, "{report}");
    // TFVPC203 is hidden; TFVPC201 hid nothing, which is a note of its own.
    assert_eq!(rules(&report), ["TFVPC003"], "{report}");
    let f = &report["findings"][0];
    assert_eq!(f["severity"], "note");
    assert_eq!(f["resources"][0], "main.tf:32");
    assert!(
        f["message"]
            .as_str()
            .unwrap()
            .starts_with("main.tf:32: `tfvpc:ignore:TFVPC201` hid no finding in this run"),
        "{f}"
    );
    // SARIF points at the comment.
    let (_, sarif) = analyze(dir.path(), "sarif");
    let result = &sarif["runs"][0]["results"][0];
    assert_eq!(result["ruleId"], "TFVPC003");
    let loc = &result["locations"][0]["physicalLocation"];
    assert!(
        loc["artifactLocation"]["uri"]
            .as_str()
            .unwrap()
            .ends_with("main.tf"),
        "{loc}"
    );
    assert_eq!(loc["region"]["startLine"], 32);
}

#[test]
fn a_comment_on_another_block_or_in_a_string_hides_nothing() {
    let dir = scenario(|t| {
        t.replace(
            "resource \"aws_instance\" \"web\" {",
            "# tfvpc:ignore:TFVPC203\nresource \"aws_instance\" \"web\" {",
        )
        .replace(
            "  ami           = \"ami-12345678\"",
            "  ami           = \"ami-12345678\"\n  user_data     = \"tfvpc:ignore:TFVPC203\"",
        )
    });
    let (code, report) = analyze(dir.path(), "json");
    assert_eq!(code, 1, "{report}");
    assert_eq!(rules(&report), ["TFVPC203", "TFVPC003"], "{report}");
}

#[test]
fn a_policy_file_can_turn_comments_off() {
    let dir = scenario(|t| {
        t.replace(
            "resource \"aws_security_group\" \"ssh\" {",
            "# tfvpc:ignore:TFVPC203\nresource \"aws_security_group\" \"ssh\" {",
        )
    });
    let policy = dir.path().join("tfvpc.toml");
    std::fs::write(&policy, "inline_ignores = false\n").unwrap();
    let (code, report) = analyze_with(dir.path(), "json", &["--policy", policy.to_str().unwrap()]);
    assert_eq!(code, 1, "{report}");
    assert_eq!(rules(&report), ["TFVPC203"], "{report}");
    let notes = report["notes"].as_array().unwrap();
    assert!(
        notes.iter().any(|n| n
            == "1 `tfvpc:ignore` comment rule in the sources hid nothing: the policy file sets `inline_ignores = false`"),
        "{notes:?}"
    );
}
