//! Fuzz target `analyze`: arbitrary bytes through everything `tfvpc analyze` does after
//! reading the file — parse (its fast path checked against the derived parse), build both
//! models, the pipeline (reachability, changes, rules), and every report format —
//! rendering into memory. Any panic is a bug: bad input must be a `LoadError`, everything
//! that parses must render.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tfvpc::analysis::Scope;
use tfvpc::report::{self, Analysis, Format, RenderOptions};
use tfvpc::rules::{Date, Policy};

fuzz_target!(|data: &[u8]| {
    // The parser's fast path gives the derived parse's answer, or hands the input back.
    assert!(tfvpc::plan::fast_path_keeps_its_contract(data));
    let Ok(plan) = tfvpc::plan::parse(data, "fuzz.json") else {
        return;
    };
    let network = tfvpc::plan::build(&plan);
    let policy = Policy::default();
    let outcome = tfvpc::pipeline::run(&network, &policy, Scope::All, Date::from_unix_seconds(1_750_000_000));
    let analysis = Analysis {
        network: &network,
        findings: outcome.findings.into_iter().map(|f| (f, None)).collect(),
        reachability: outcome.after,
        changes: outcome.changes,
        exposure_changes: outcome.exposure_changes,
        exposure: outcome.exposure,
        hop_locations: Default::default(),
        notes: outcome.notes,
        left_out: 0,
    };
    let options = RenderOptions::default();
    for format in [Format::Json, Format::Sarif, Format::Markdown] {
        let mut out = Vec::new();
        if report::render(format, &analysis, &options, &mut out).is_err() {
            panic!("rendering into memory failed");
        }
    }
    let mut out = Vec::new();
    let _ = report::model_json::write(&network, &mut out);
});
