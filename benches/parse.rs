//! Parse benchmarks on a generated mid-size plan (1,002 subnets: 167 spokes, ~9,000
//! resources, ~30 MB), built once in memory by the same generator as `examples/synth.rs`.
//!
//! ```text
//! cargo bench --bench parse
//! ```
//!
//! `bare_ignored_any` is the floor (serde_json walking every byte, building nothing) and
//! `bare_value` the cost of a full `serde_json::Value` tree; `plan_parse` and
//! `plan_load_and_build` measure tfvpc's own parser and model builder (skipped, with a
//! note, when `tfvpc::plan::load` cannot read the plan). End-to-end numbers (whole CLI, peak RSS, 1k to 20k subnets) come
//! from `bash bench/run.sh`.
#![allow(
    clippy::print_stderr,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing
)]

use std::path::PathBuf;
use std::sync::OnceLock;

#[path = "../bench/synth/gen.rs"]
#[allow(dead_code)]
mod gen;

const SPOKES: usize = 167;

fn main() {
    divan::main();
}

/// The plan's bytes, generated once.
fn plan_bytes() -> &'static [u8] {
    static PLAN: OnceLock<Vec<u8>> = OnceLock::new();
    PLAN.get_or_init(|| {
        let mut bytes = Vec::new();
        gen::write_plan(&mut bytes, SPOKES).expect("generate the plan");
        bytes
    })
}

/// The plan on disk, for `tfvpc::plan::load`, which takes a path.
fn plan_file() -> &'static PathBuf {
    static FILE: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    let (_dir, path) = FILE.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temporary directory");
        let path = dir.path().join("plan.json");
        std::fs::write(&path, plan_bytes()).expect("write the plan");
        (dir, path)
    });
    path
}

/// Whether tfvpc's parser reads the generated plan (a failure skips its benches with a note).
fn tfvpc_loads_plan() -> bool {
    static LOADS: OnceLock<bool> = OnceLock::new();
    *LOADS.get_or_init(|| match tfvpc::plan::load(plan_file()) {
        Ok(_) => true,
        Err(e) => {
            eprintln!("plan_load benches skipped: tfvpc::plan::load failed: {e}");
            false
        }
    })
}

#[divan::bench(bytes_count = plan_bytes().len())]
fn bare_ignored_any() -> serde::de::IgnoredAny {
    serde_json::from_slice(divan::black_box(plan_bytes())).unwrap()
}

#[divan::bench(bytes_count = plan_bytes().len())]
fn bare_value() -> serde_json::Value {
    serde_json::from_slice(divan::black_box(plan_bytes())).unwrap()
}

/// Reads the file and parses it (includes the read, like the CLI).
#[divan::bench(ignore = !tfvpc_loads_plan(), bytes_count = plan_bytes().len())]
fn plan_parse(bencher: divan::Bencher) {
    let bytes = plan_bytes();
    bencher.bench(|| {
        tfvpc::plan::parse(bytes, "plan.json")
            .map(|p| p.kind())
            .unwrap()
    });
}

#[divan::bench(ignore = !tfvpc_loads_plan(), bytes_count = plan_bytes().len())]
fn plan_load_and_build() -> tfvpc::model::Network {
    tfvpc::plan::load(plan_file()).unwrap()
}
