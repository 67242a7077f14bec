//! Snapshots of all three formats for hand-built analyses, SARIF validated against the
//! official schema. Scenario snapshots (one line each) go through `render_all`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

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
    // The plan parser and engine land in other branches; until `plan::load` works this
    // checks nothing. The lead adds one `snapshot_scenario` line per testdata scenario.
    if tfvpc::plan::load(Path::new("testdata/three-tier/plan.json")).is_err() {
        return;
    }
    snapshot_scenario(
        "three-tier",
        "testdata/three-tier/plan.json",
        "testdata/three-tier",
    );
}
