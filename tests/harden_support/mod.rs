//! Shared helpers for the hardening tests: the testdata plans, the whole `analyze`
//! pipeline in-process (every format rendered into memory), and running the binary.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    dead_code
)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use tfvpc::analysis::Scope;
use tfvpc::report::{self, Analysis, Format, RenderOptions};
use tfvpc::rules::{Date, Policy};

/// Every plan or state under testdata/, as `(scenario, path)`, sorted.
pub fn testdata_plans() -> Vec<(String, PathBuf)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata");
    let mut out = Vec::new();
    for entry in std::fs::read_dir(&root).unwrap() {
        let dir = entry.unwrap().path();
        for file in ["plan.json", "state.json"] {
            let p = dir.join(file);
            if p.is_file() {
                out.push((dir.file_name().unwrap().to_string_lossy().into_owned(), p));
            }
        }
    }
    out.sort();
    assert!(
        out.len() >= 20,
        "expected the testdata scenarios, found {}",
        out.len()
    );
    out
}

/// What one in-process analysis gives: the JSON, SARIF and markdown reports and the
/// `tfvpc model` JSON — or the load error's message.
pub type Answer = Result<[String; 4], String>;

/// Parse → build → pipeline → every format, as `tfvpc analyze` does (no sources).
pub fn analyze_bytes(bytes: &[u8], file: &str) -> Answer {
    let plan = tfvpc::plan::parse(bytes, file).map_err(|e| e.to_string())?;
    let network = tfvpc::plan::build(&plan);
    let outcome = tfvpc::pipeline::run(
        &network,
        &Policy::default(),
        Scope::All,
        Date::from_unix_seconds(1_800_000_000),
    );
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
    let render = |format| {
        let mut buf = Vec::new();
        report::render(format, &analysis, &options, &mut buf).unwrap();
        String::from_utf8(buf).unwrap()
    };
    let mut model = Vec::new();
    report::model_json::write(&network, &mut model).unwrap();
    Ok([
        render(Format::Json),
        render(Format::Sarif),
        render(Format::Markdown),
        String::from_utf8(model).unwrap(),
    ])
}

/// Checks an answer is well-formed: the JSON and SARIF parse, the model JSON parses.
pub fn assert_well_formed(answer: &Answer, what: &str) {
    if let Ok([json, sarif, md, model]) = answer {
        for (name, text) in [("json", json), ("sarif", sarif), ("model", model)] {
            if let Err(e) = serde_json::from_str::<serde_json::Value>(text) {
                panic!("{what}: {name} output is not JSON: {e}");
            }
        }
        assert!(!md.is_empty(), "{what}: empty markdown");
    }
}

pub fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_tfvpc")
}

/// Runs the binary with `args`, optional stdin, extra environment; in `cwd` when given.
pub fn run_bin(args: &[&str], stdin: Option<&[u8]>, env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(bin());
    cmd.args(args)
        .env_remove("GITHUB_ACTIONS")
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().unwrap();
    if let Some(bytes) = stdin {
        let mut pipe = child.stdin.take().unwrap();
        let bytes = bytes.to_vec();
        // Write from a thread so a large input never deadlocks against a full stdout pipe.
        let writer = std::thread::spawn(move || {
            let _ = pipe.write_all(&bytes);
        });
        let out = child.wait_with_output().unwrap();
        writer.join().unwrap();
        return out;
    }
    child.wait_with_output().unwrap()
}

/// A tiny deterministic PRNG (SplitMix64): the same seed gives the same mutations.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// FNV-1a of a string: a stable seed from a scenario name.
pub fn seed_of(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}
