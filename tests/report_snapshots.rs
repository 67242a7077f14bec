//! Snapshots of all three formats for hand-built analyses, SARIF validated against the
//! official schema. Scenario snapshots (one line each) go through `render_all`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod report_support;

use std::path::Path;

use report_support::*;
use tfvpc::report::Format;

#[test]
fn sample_in_all_formats() {
    let net = sample_network();
    let a = analysis(&net, sample_findings(), Path::new(SOURCES));
    let o = options();
    let sarif = redact_version(&render(Format::Sarif, &a, &o));
    assert_valid_sarif(&sarif);
    insta_settings().bind(|| {
        insta::assert_snapshot!("sample.json", redact_version(&render(Format::Json, &a, &o)));
        insta::assert_snapshot!("sample.sarif", sarif);
        insta::assert_snapshot!(
            "sample.md",
            redact_version(&render(Format::Markdown, &a, &o))
        );
    });
}

#[test]
fn clean_plan_in_all_formats() {
    let net = sample_network();
    let mut a = analysis(&net, Vec::new(), Path::new(SOURCES));
    a.changes.clear();
    let o = options();
    let sarif = redact_version(&render(Format::Sarif, &a, &o));
    assert_valid_sarif(&sarif);
    insta_settings().bind(|| {
        insta::assert_snapshot!("clean.json", redact_version(&render(Format::Json, &a, &o)));
        insta::assert_snapshot!("clean.sarif", sarif);
        insta::assert_snapshot!(
            "clean.md",
            redact_version(&render(Format::Markdown, &a, &o))
        );
    });
}

#[test]
fn render_all_scenarios() {
    // Every scenario in testdata/, all three formats, sources from the scenario's directory.
    let mut names: Vec<String> = std::fs::read_dir("testdata")
        .expect("testdata exists")
        .filter_map(|e| e.ok())
        .filter(|e| e.path().join("plan.json").is_file() || e.path().join("state.json").is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert!(
        names.len() >= 15,
        "expected the testdata scenarios, found {names:?}"
    );
    for name in names {
        let dir = format!("testdata/{name}");
        let plan = if Path::new(&dir).join("plan.json").is_file() {
            format!("{dir}/plan.json")
        } else {
            format!("{dir}/state.json")
        };
        snapshot_scenario(&name, &plan, &dir);
    }
}

#[test]
fn the_json_report_lists_the_notes_after_v1s_fields_and_only_when_there_are_some() {
    let net = sample_network();
    let o = options();
    let mut a = analysis(&net, sample_findings(), Path::new(SOURCES));
    a.notes.clear();
    let quiet: serde_json::Value = serde_json::from_str(&render(Format::Json, &a, &o)).unwrap();
    assert!(quiet.get("notes").is_none(), "{quiet}");
    a.notes = vec![
        "Subnet pairs not computed (600 subnets, over 500)".to_string(),
        "Intent NET-9 names 2000000 subnet pairs".to_string(),
    ];
    let v: serde_json::Value = serde_json::from_str(&render(Format::Json, &a, &o)).unwrap();
    let keys: Vec<&String> = v.as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        [
            "version",
            "tool",
            "input",
            "summary",
            "findings",
            "reachability",
            "changes",
            "notes"
        ]
    );
    assert_eq!(v["notes"][1], "Intent NET-9 names 2000000 subnet pairs");
}
