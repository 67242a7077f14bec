//! Every pair of a large network is computed batch by batch and not kept
//! (`analysis::Stream`, `analysis::streamed`, `pipeline::STREAM_ABOVE_SUBNETS`): these tests
//! hold that way to the answers, diff, findings and reports the kept way gives.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod report_support;

use std::path::Path;

use report_support::render;
use tfvpc::analysis::{self, testkit, Batch, PathResult, Scope, Stream};
use tfvpc::model::{Model, Network};
use tfvpc::pipeline::{run_with, Outcome};
use tfvpc::report::{Analysis, Format, RenderOptions};
use tfvpc::rules::{self, Policy};

/// Every batch of `target` answers, in order.
fn batched(m: &Model, target: usize) -> (Vec<Batch>, Vec<PathResult>) {
    let s = Stream::new(m, true);
    let batches = s.batches(target);
    let answers = batches.iter().flat_map(|&b| s.batch(b)).collect();
    (batches, answers)
}

fn plans() -> Vec<String> {
    let mut out: Vec<String> = std::fs::read_dir("testdata")
        .unwrap()
        .filter_map(|e| {
            let p = e.ok()?.path().join("plan.json");
            p.is_file().then(|| p.display().to_string())
        })
        .collect();
    out.sort();
    assert!(out.len() > 20, "testdata scenarios: {out:?}");
    out
}

#[test]
fn batches_in_order_are_every_answer_in_order() {
    // Classes of several members (public subnets share a table per VPC; private ones per
    // AZ), a TGW between the VPCs, a VPN: every kind of question.
    let generated = testkit::hub_and_spokes(3, 10);
    let mut models = vec![("generated".to_string(), generated)];
    for p in plans() {
        let n = tfvpc::plan::load(Path::new(&p)).unwrap();
        models.push((format!("{p} before"), n.before));
        models.push((format!("{p} after"), n.after));
    }
    let mut between = 0;
    for (name, m) in &models {
        let whole = analysis::reachability(m, Scope::All).results;
        // The pairs between two sets of subnets (as an intent names them) are the same
        // answers as among all pairs.
        let n = m.subnets.len();
        let from: Vec<bool> = (0..n).map(|i| i % 2 == 0).collect();
        let to: Vec<bool> = (0..n).map(|i| i % 3 != 0).collect();
        let name_of = |i: usize| m.subnets[i].meta.address.as_str();
        let picked = |set: &[bool], e: &str| (0..n).any(|i| set[i] && name_of(i) == e);
        let want: Vec<&PathResult> = whole
            .iter()
            .filter(|r| !analysis::is_external(r))
            .filter(|r| picked(&from, &r.from) && picked(&to, &r.to))
            .collect();
        let got = Stream::new(m, false).between(&from, &to);
        assert!(got.iter().eq(want.iter().copied()), "{name}: between");
        between += got.len();
        for target in [1, 7, 100, usize::MAX] {
            let (batches, answers) = batched(m, target);
            assert_eq!(answers, whole, "{name}, batches of {target}");
            if target == 1 && m.subnets.len() > 1 {
                // One batch per endpoint a connection starts from.
                assert!(batches.len() > m.subnets.len(), "{name}: {batches:?}");
            }
        }
    }
    assert!(between > 300, "{between} answers between subnet sets");
}

/// The outcome of `analyze` with the pairs kept, and streamed.
fn both(network: &Network, policy: &Policy) -> (Outcome, Outcome) {
    let today = rules::Date::from_unix_seconds(1_800_000_000);
    let kept = run_with(network, policy, Scope::All, today, usize::MAX);
    let streamed = run_with(network, policy, Scope::All, today, 0);
    assert!(kept.after.streamed.is_none());
    let subnets = network
        .after
        .subnets
        .len()
        .max(network.before.subnets.len());
    assert_eq!(streamed.after.streamed.is_some(), subnets > 0);
    (kept, streamed)
}

fn report(network: &Network, o: Outcome, format: Format) -> String {
    let a = Analysis {
        network,
        findings: o.findings.into_iter().map(|f| (f, None)).collect(),
        reachability: o.after,
        changes: o.changes,
        exposure_changes: o.exposure_changes,
        exposure: o.exposure,
        hop_locations: Default::default(),
        notes: o.notes,
        left_out: 0,
    };
    render(format, &a, &RenderOptions::default())
}

/// Intents over subnets, which read subnet pairs: every subnet may not reach every other
/// (deny) and must reach it (require).
fn pair_intents() -> Policy {
    let text = r#"
[[deny]]
id = "NO-LATERAL"
from = "*aws_subnet*"
to = "*aws_subnet*"
severity = "warning"

[[require]]
id = "MESH"
from = "*aws_subnet*"
to = "*aws_subnet*"
family = "ipv4"
"#;
    rules::policy::parse(text, Path::new("tfvpc.toml")).unwrap()
}

#[test]
fn streamed_pairs_give_the_same_findings_changes_and_reports() {
    let mut checked_changes = 0;
    let mut checked_intents = 0;
    for p in plans() {
        let network = tfvpc::plan::load(Path::new(&p)).unwrap();
        let dir = Path::new(&p).parent().unwrap();
        let scenario = match dir.join("tfvpc.toml") {
            t if t.is_file() => rules::policy::load(&t).unwrap(),
            _ => Policy::default(),
        };
        for policy in [scenario, pair_intents()] {
            let (kept, streamed) = both(&network, &policy);
            assert_eq!(streamed.findings, kept.findings, "{p}: findings");
            assert_eq!(streamed.changes, kept.changes, "{p}: changes");
            checked_changes += kept.changes.len();
            checked_intents += kept
                .findings
                .iter()
                .filter(|f| f.rule_id == "NO-LATERAL" || f.rule_id == "MESH")
                .count();
            // Only the answers kept differ: external ones, and the pairs the rules read.
            let external = kept
                .after
                .results
                .iter()
                .filter(|r| analysis::is_external(r));
            assert!(external.eq(streamed
                .after
                .results
                .iter()
                .filter(|r| analysis::is_external(r))));
            let allowed = kept
                .after
                .results
                .iter()
                .filter(|r| !analysis::is_external(r))
                .filter(|r| r.verdict == analysis::Verdict::Allowed)
                .count();
            if let Some(s) = &streamed.after.streamed {
                assert_eq!(s.allowed_pairs, allowed);
            }
            for format in [Format::Json, Format::Sarif] {
                let (k, s) = (kept.clone_for_report(), streamed.clone_for_report());
                assert_eq!(
                    report(&network, s, format),
                    report(&network, k, format),
                    "{p}: {format:?}"
                );
            }
        }
    }
    // The plans do change paths, and the intents do fire: the comparison is not empty.
    assert!(checked_changes > 10, "{checked_changes} changes");
    assert!(checked_intents > 10, "{checked_intents} intent findings");
}

/// What `report` consumes, copied (an `Outcome` is moved into an `Analysis`).
trait CloneForReport {
    fn clone_for_report(&self) -> Outcome;
}

impl CloneForReport for Outcome {
    fn clone_for_report(&self) -> Outcome {
        Outcome {
            after: self.after.clone(),
            changes: self.changes.clone(),
            exposure_changes: self.exposure_changes.clone(),
            exposure: self.exposure.clone(),
            findings: self.findings.clone(),
            notes: self.notes.clone(),
        }
    }
}

#[test]
fn a_large_generated_network_streams_with_the_kept_answers() {
    // 360 subnets: above the threshold `analyze` streams at.
    let m = testkit::hub_and_spokes(6, 60);
    assert!(m.subnets.len() > tfvpc::pipeline::STREAM_ABOVE_SUBNETS);
    // Before: one VPC fewer (the plan adds a spoke).
    let network = rules::testkit::network_from(testkit::hub_and_spokes(5, 60), m);
    let policy = Policy::default();
    let today = rules::Date::from_unix_seconds(1_800_000_000);
    let streamed = tfvpc::pipeline::run(&network, &policy, Scope::All, today);
    let kept = run_with(&network, &policy, Scope::All, today, usize::MAX);
    assert!(streamed.after.streamed.is_some());
    assert_eq!(streamed.findings, kept.findings);
    assert_eq!(streamed.changes, kept.changes);
    // Fewer answers held than computed: the external ones and those the rules read (here
    // mostly replies the private subnets' NACL drops, TFVPC110's evidence).
    let all = kept.after.results.len();
    let held = streamed.after.results.len();
    assert!(held * 4 < all, "{held} of {all}");
    let pairs = |o: &Outcome| -> usize {
        o.after
            .results
            .iter()
            .filter(|r| !analysis::is_external(r))
            .count()
    };
    // Of the subnet pairs, only the first few of each blocked-reply finding are held (no
    // intent reads pairs here, and no pair changes): not one per pair, as TFVPC109 and
    // TFVPC110 count the rest.
    let groups = streamed
        .findings
        .iter()
        .filter(|f| f.rule_id == "TFVPC109" || f.rule_id == "TFVPC110")
        .count();
    assert!(groups > 0 && streamed.changes.is_empty());
    assert!(
        pairs(&streamed) <= groups * rules::asymmetric_path::SHOWN,
        "{} pairs held for {groups} findings, of {}",
        pairs(&streamed),
        pairs(&kept)
    );
    assert!(pairs(&kept) > 100 * groups * rules::asymmetric_path::SHOWN);
    assert_eq!(
        report(&network, streamed, Format::Json),
        report(&network, kept, Format::Json)
    );
}

#[path = "../bench/synth/gen.rs"]
#[allow(dead_code)]
mod gen;

/// Runs the binary; kills it after two minutes (a run waiting on itself would otherwise
/// hang the suite).
fn run_bounded(args: &[&str], threads: &str) -> std::process::Output {
    use std::process::{Command, Stdio};
    let child = Command::new(env!("CARGO_BIN_EXE_tfvpc"))
        .args(args)
        .env_remove("GITHUB_ACTIONS")
        .env("RAYON_NUM_THREADS", threads)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id();
    let (tx, rx) = std::sync::mpsc::channel::<()>();
    let watchdog = std::thread::spawn(move || {
        if rx
            .recv_timeout(std::time::Duration::from_secs(120))
            .is_err()
        {
            let _ = Command::new("kill").arg("-9").arg(pid.to_string()).status();
        }
    });
    let out = child.wait_with_output().unwrap();
    let _ = tx.send(());
    watchdog.join().unwrap();
    assert!(
        out.status.code().is_some(),
        "tfvpc {args:?} with {threads} thread(s) did not finish in two minutes"
    );
    out
}

#[test]
fn the_cli_streams_every_pair_of_a_real_plan_the_same_on_any_thread_count() {
    // 45 spokes of the synth plan (real terraform's shape): 270 subnets, above the
    // threshold, IPv4 and IPv6.
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("plan.json");
    let mut file = std::io::BufWriter::new(std::fs::File::create(&plan).unwrap());
    gen::write_plan(&mut file, 45).unwrap();
    drop(file);
    let network = tfvpc::plan::load(&plan).unwrap();
    assert!(network.after.subnets.len() > tfvpc::pipeline::STREAM_ABOVE_SUBNETS);
    let whole = analysis::reachability(&network.after, Scope::All).results;

    let plan = plan.to_str().unwrap();
    let args = ["analyze", plan, "--format", "json", "--fail-on", "never"];
    let one = run_bounded(&args, "1");
    let three = run_bounded(&args, "3");
    assert_eq!(one.status.code(), Some(0));
    assert!(one.stdout == three.stdout, "1 and 3 threads differ");
    let report: serde_json::Value = serde_json::from_slice(&one.stdout).unwrap();
    let listed = report["reachability"].as_array().unwrap();
    assert_eq!(listed.len(), whole.len());
    for (got, want) in listed.iter().zip(&whole).step_by(997) {
        assert_eq!(got["from"], *want.from);
        assert_eq!(got["to"], *want.to);
        assert_eq!(got["verdict"], want.verdict.as_str());
        assert_eq!(got["reason"], want.reason);
    }
}

/// The findings of the intents (`NO-LATERAL`, `MESH`).
fn intent_findings(o: &Outcome) -> Vec<&rules::Finding> {
    o.findings
        .iter()
        .filter(|f| f.rule_id == "NO-LATERAL" || f.rule_id == "MESH")
        .collect()
}

#[test]
fn intents_between_subnets_hold_when_only_external_paths_are_computed() {
    let today = rules::Date::from_unix_seconds(1_800_000_000);
    let policy = pair_intents();
    let mut compared = 0;
    for p in plans() {
        let network = tfvpc::plan::load(Path::new(&p)).unwrap();
        let all = run_with(&network, &policy, Scope::All, today, usize::MAX);
        let external = run_with(&network, &policy, Scope::External, today, usize::MAX);
        assert_eq!(intent_findings(&external), intent_findings(&all), "{p}");
        compared += intent_findings(&all).len();
        // The report still lists only what was asked.
        assert!(
            external.after.results.iter().all(analysis::is_external),
            "{p}"
        );
        assert!(external.notes.is_empty(), "{p}: {:?}", external.notes);
    }
    assert!(compared > 10, "{compared} intent findings");
}

#[test]
fn an_intent_naming_too_many_pairs_is_not_checked_and_the_report_says_so() {
    // 1,100 subnets: every subnet to every subnet is 1.21 million pairs.
    let m = testkit::hub_and_spokes(11, 100);
    let network = rules::testkit::network(m);
    let today = rules::Date::from_unix_seconds(1_800_000_000);
    let o = run_with(
        &network,
        &pair_intents(),
        Scope::External,
        today,
        usize::MAX,
    );
    assert!(intent_findings(&o).is_empty());
    assert_eq!(o.notes.len(), 2, "{:?}", o.notes);
    assert!(
        o.notes[0]
            .starts_with("Intent NO-LATERAL names 1210000 subnet pairs, more than the 1000000"),
        "{:?}",
        o.notes
    );
}
