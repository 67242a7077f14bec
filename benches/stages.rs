//! Each stage of `tfvpc analyze` on its own, on the generated 1,002-subnet plan (167 spokes,
//! ~9,000 resources, ~13 MB; `bench/synth/gen.rs`, as `examples/synth.rs` writes it): the
//! model build from a parsed plan, the analysis (reachability, plan diff, rules) of
//! external paths and of every pair, and each report. The parse itself is in
//! `benches/parse.rs`; whole-CLI time and memory up to 20,000 subnets in `bench/run.sh`.
//!
//! ```text
//! cargo bench --bench stages
//! ```
//!
//! Each stage starts from the previous one's output, made once outside the timing; reports
//! are rendered into `io::sink()`. The JSON report is timed on the external analysis: the
//! every-pair one is 1.4 GB at this size (see BENCHMARKS.md, "All pairs").
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::sync::OnceLock;

use tfvpc::analysis::Scope;
use tfvpc::model::Network;
use tfvpc::pipeline::{self, Outcome};
use tfvpc::plan::Plan;
use tfvpc::report::{self, Analysis, Format, RenderOptions};
use tfvpc::rules::{Date, Policy};

#[path = "../bench/synth/gen.rs"]
#[allow(dead_code)]
mod gen;

const SPOKES: usize = 167;

/// The binary's allocator (`src/main.rs`): the build and the analysis allocate a lot, and
/// the system allocator would measure something else.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    divan::main();
}

/// A fixed date: suppressions (none here) never expire differently between runs.
fn today() -> Date {
    Date::new(2026, 12, 2)
}

fn plan() -> &'static Plan {
    static PLAN: OnceLock<Plan> = OnceLock::new();
    PLAN.get_or_init(|| {
        let mut bytes = Vec::new();
        gen::write_plan(&mut bytes, SPOKES).expect("generate the plan");
        tfvpc::plan::parse(&bytes, "plan.json").expect("parse the generated plan")
    })
}

fn network() -> &'static Network {
    static NETWORK: OnceLock<Network> = OnceLock::new();
    NETWORK.get_or_init(|| tfvpc::plan::build(plan()))
}

/// What `analyze` reports on for this plan: external paths (above 500 subnets markdown and
/// SARIF get only these by default).
fn outcome() -> &'static Outcome {
    static OUTCOME: OnceLock<Outcome> = OnceLock::new();
    OUTCOME.get_or_init(|| pipeline::run(network(), &Policy::default(), Scope::External, today()))
}

/// Both models of the plan, from the parsed plan (the `building the network models` phase).
#[divan::bench(sample_count = 10)]
fn build() -> Network {
    tfvpc::plan::build(divan::black_box(plan()))
}

/// Reachability of subnet ↔ internet, services and VPN, the plan diff and every rule.
#[divan::bench(sample_count = 10)]
fn analysis_external() -> Outcome {
    pipeline::run(
        divan::black_box(network()),
        &Policy::default(),
        Scope::External,
        today(),
    )
}

/// The same with every subnet pair (2 million answers, streamed in batches above 256
/// subnets), as `--reachability all` runs it.
#[divan::bench(sample_count = 3)]
fn analysis_all_pairs() -> Outcome {
    pipeline::run(
        divan::black_box(network()),
        &Policy::default(),
        Scope::All,
        today(),
    )
}

/// The analysis as the reports get it (findings without `.tf` locations: the generated
/// plan has no sources).
fn analysis() -> &'static Analysis<'static> {
    static ANALYSIS: OnceLock<Analysis<'static>> = OnceLock::new();
    ANALYSIS.get_or_init(|| {
        let o = outcome();
        Analysis {
            network: network(),
            findings: o.findings.iter().cloned().map(|f| (f, None)).collect(),
            reachability: o.after.clone(),
            changes: o.changes.clone(),
            exposure_changes: o.exposure_changes.clone(),
            exposure: o.exposure.clone(),
            hop_locations: Default::default(),
            notes: o.notes.clone(),
            left_out: 0,
        }
    })
}

fn render(format: Format) -> u64 {
    let mut out = CountingSink(0);
    report::render(
        format,
        divan::black_box(analysis()),
        &RenderOptions::default(),
        &mut out,
    )
    .expect("render");
    out.0
}

/// Counts what a report writes, and drops it.
struct CountingSink(u64);

impl std::io::Write for CountingSink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0 += buf.len() as u64;
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[divan::bench(sample_count = 10)]
fn report_markdown() -> u64 {
    render(Format::Markdown)
}

#[divan::bench(sample_count = 10)]
fn report_sarif() -> u64 {
    render(Format::Sarif)
}

#[divan::bench(sample_count = 10)]
fn report_json() -> u64 {
    render(Format::Json)
}
