//! SARIF behaviour GitHub relies on: fingerprints that survive moved lines, a location on
//! every result, rule entries for intents, and the result limit with a notification.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod report_support;

use std::fs;
use std::path::Path;

use report_support::*;
use serde_json::Value;
use tfvpc::report::{sarif, Format, RenderOptions};
use tfvpc::rules::Severity;

fn results(sarif: &str) -> Vec<Value> {
    let v: Value = serde_json::from_str(sarif).unwrap();
    v["runs"][0]["results"].as_array().unwrap().clone()
}

/// The texts of the run's tool execution notifications.
fn notifications(sarif: &str) -> Vec<String> {
    let v: Value = serde_json::from_str(sarif).unwrap();
    v["runs"][0]["invocations"][0]["toolExecutionNotifications"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["message"]["text"].as_str().unwrap().to_string())
        .collect()
}

fn copy_tree(from: &Path, to: &Path, prefix: &str) {
    for e in fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let dest = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            fs::create_dir_all(&dest).unwrap();
            copy_tree(&e.path(), &dest, prefix);
        } else {
            let text = fs::read_to_string(e.path()).unwrap();
            fs::write(dest, format!("{prefix}{text}")).unwrap();
        }
    }
}

#[test]
fn fingerprints_survive_moved_lines() {
    let moved = tempfile::tempdir().unwrap();
    copy_tree(Path::new(SOURCES), moved.path(), "# unrelated\n\n\n\n\n");
    let net = sample_network();
    let o = options();
    let a = analysis(&net, sample_findings(), Path::new(SOURCES));
    let b = analysis(&net, sample_findings(), moved.path());
    let (ra, rb) = (
        results(&render(Format::Sarif, &a, &o)),
        results(&render(Format::Sarif, &b, &o)),
    );
    assert_eq!(ra.len(), rb.len());
    for (x, y) in ra.iter().zip(&rb) {
        let line =
            |r: &Value| r["locations"][0]["physicalLocation"]["region"]["startLine"].as_u64();
        assert_eq!(line(x).unwrap() + 5, line(y).unwrap(), "the lines did move");
        assert_eq!(x["partialFingerprints"], y["partialFingerprints"]);
    }
    // Distinct findings get distinct fingerprints.
    let fps: std::collections::BTreeSet<String> = ra
        .iter()
        .map(|r| r["partialFingerprints"].to_string())
        .collect();
    assert_eq!(fps.len(), ra.len());
}

#[test]
fn every_result_has_a_location_and_a_matching_rule() {
    let net = sample_network();
    // No sources at all: results still point somewhere (the fallback).
    let empty = tempfile::tempdir().unwrap();
    let a = analysis(&net, sample_findings(), empty.path());
    let s = render(Format::Sarif, &a, &options());
    assert_valid_sarif(&s);
    let v: Value = serde_json::from_str(&s).unwrap();
    let rules = v["runs"][0]["tool"]["driver"]["rules"].as_array().unwrap();
    for r in results(&s) {
        let uri = r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            .as_str()
            .unwrap();
        assert!(!uri.starts_with('/') && !uri.contains(".."), "{uri}");
        let i = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[i]["id"], r["ruleId"]);
    }
    // The JSON report says plainly that no location was found.
    let j: Value = serde_json::from_str(&render(Format::Json, &a, &options())).unwrap();
    assert!(j["findings"][0]["location"].is_null());
}

#[test]
fn intents_get_a_synthesized_security_rule() {
    let net = sample_network();
    let a = analysis(&net, sample_findings(), Path::new(SOURCES));
    let v: Value = serde_json::from_str(&render(Format::Sarif, &a, &options())).unwrap();
    let rules = v["runs"][0]["tool"]["driver"]["rules"].as_array().unwrap();
    let intent = rules
        .iter()
        .find(|r| r["id"] == "no-internet-to-data")
        .unwrap();
    assert_eq!(intent["defaultConfiguration"]["level"], "error");
    assert_eq!(intent["properties"]["security-severity"], "8.0");
    assert!(intent["help"]["markdown"]
        .as_str()
        .unwrap()
        .contains("policy"));
    assert_eq!(
        v["runs"][0]["automationDetails"]["id"],
        "tfvpc/tests/fixtures/sources/"
    );
}

#[test]
fn code_flows_carry_the_hop_path() {
    let net = sample_network();
    let a = analysis(&net, sample_findings(), Path::new(SOURCES));
    let r = &results(&render(Format::Sarif, &a, &options()))[0];
    let hops: Vec<&str> = r["codeFlows"][0]["threadFlows"][0]["locations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["location"]["message"]["text"].as_str().unwrap())
        .collect();
    assert_eq!(
        hops,
        [
            "internet",
            "aws_internet_gateway.igw",
            "aws_route_table.data",
            "aws_subnet.data[0]"
        ]
    );
}

#[test]
fn too_many_results_keep_the_most_severe_and_say_so() {
    let net = sample_network();
    let mut findings = Vec::new();
    for i in 0..sarif::MAX_RESULTS + 10 {
        findings.push(finding(
            "TFVPC405",
            Severity::Note,
            "unused",
            &[&format!("aws_route_table.t{i}")],
            &[],
        ));
    }
    findings.push(finding(
        "TFVPC101",
        Severity::Error,
        "bad",
        &["aws_route.bad"],
        &[],
    ));
    let a = analysis(&net, findings, Path::new(SOURCES));
    let s = render(Format::Sarif, &a, &RenderOptions { ..options() });
    assert_valid_sarif(&s);
    let rs = results(&s);
    assert_eq!(rs.len(), sarif::MAX_RESULTS);
    assert_eq!(rs[0]["ruleId"], "TFVPC101");
    assert!(notifications(&s)
        .iter()
        .any(|n| n.contains("5011 findings")));
}

/// The file is the log as a JSON pretty-printer prints it whole: the results, printed on
/// all threads on their own, stand where and as that printer would put them.
fn assert_printed_whole(s: &str) {
    let v: Value = serde_json::from_str(s).unwrap();
    assert_eq!(
        s,
        format!("{}\n", serde_json::to_string_pretty(&v).unwrap())
    );
}

#[test]
fn results_are_printed_as_part_of_the_whole_log() {
    let net = sample_network();
    let a = analysis(&net, sample_findings(), Path::new(SOURCES));
    let s = render(Format::Sarif, &a, &options());
    assert!(results(&s).len() >= 5);
    assert!(results(&s).iter().any(|r| r.get("codeFlows").is_some()));
    assert_printed_whole(&s);
    // No finding: an empty results array.
    let a = analysis(&net, Vec::new(), Path::new(SOURCES));
    let s = render(Format::Sarif, &a, &options());
    assert!(results(&s).is_empty());
    assert_printed_whole(&s);
}

#[test]
fn a_log_over_the_size_limit_keeps_the_most_severe_half_and_says_so() {
    let net = sample_network();
    // Eight findings of 2 MB each: 16 MB is over GitHub's limit, the first four fit.
    let big = "x".repeat(2 * 1024 * 1024);
    let findings: Vec<_> = (0..8)
        .map(|i| {
            let severity = if i < 4 {
                Severity::Error
            } else {
                Severity::Note
            };
            finding(
                "TFVPC405",
                severity,
                &format!("{i} {big}"),
                &[&format!("aws_route_table.t{i}")],
                &[],
            )
        })
        .collect();
    let a = analysis(&net, findings, Path::new(SOURCES));
    let s = render(Format::Sarif, &a, &options());
    assert!(s.len() <= sarif::MAX_BYTES, "{} bytes", s.len());
    assert_printed_whole(&s);
    let rs = results(&s);
    assert_eq!(rs.len(), 4);
    assert!(rs.iter().all(|r| r["level"] == "error"), "{rs:?}");
    assert!(notifications(&s)
        .iter()
        .any(|n| n.contains("Only the 4 most severe of 8 findings")));
}
