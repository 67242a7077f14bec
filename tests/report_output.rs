//! Atomic report files (never written through a symlink) and GitHub annotations.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod report_support;

use std::fs;
use std::path::Path;

use report_support::*;
use tfvpc::report::{
    annotations,
    output::{write_atomic, write_atomic_with},
};

#[test]
fn writes_atomically_and_replaces_a_symlink() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("precious.txt");
    fs::write(&target, "keep me").unwrap();
    let out = dir.path().join("report.sarif");
    #[cfg(unix)]
    std::os::unix::fs::symlink(&target, &out).unwrap();
    write_atomic(&out, b"{}").unwrap();
    assert_eq!(fs::read_to_string(&target).unwrap(), "keep me");
    assert_eq!(fs::read_to_string(&out).unwrap(), "{}");
    assert!(!fs::symlink_metadata(&out).unwrap().file_type().is_symlink());
    // No temporary file is left behind.
    let names: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
    // Overwriting works too.
    write_atomic(&out, b"second").unwrap();
    assert_eq!(fs::read_to_string(&out).unwrap(), "second");
}

/// A report streamed into its file that fails half-way leaves the previous report in place
/// and no temporary file behind.
#[test]
fn a_report_that_fails_while_written_leaves_the_old_one() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report.json");
    fs::write(&out, "old report").unwrap();
    let err = write_atomic_with(&out, |w| {
        // More than a write buffer holds, so part of it reaches the temporary file.
        w.write_all(&vec![b'x'; 1 << 20])?;
        Err(std::io::Error::other("rendering failed"))
    })
    .unwrap_err();
    assert_eq!(err.to_string(), "rendering failed");
    assert_eq!(fs::read_to_string(&out).unwrap(), "old report");
    let names: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names.len(), 1, "{names:?}");
    // What a renderer writes in pieces arrives whole.
    write_atomic_with(&out, |w| {
        for part in ["{", "\"a\": 1", "}"] {
            w.write_all(part.as_bytes())?;
        }
        Ok(())
    })
    .unwrap();
    assert_eq!(fs::read_to_string(&out).unwrap(), "{\"a\": 1}");
}

#[test]
fn annotations_escape_per_github_rules() {
    let net = sample_network();
    let mut a = analysis(&net, sample_findings(), Path::new(SOURCES));
    a.findings[0].0.message = "50% done,\nnext: line".to_string();
    let lines = annotations::lines(&a, &options());
    assert_eq!(lines.len(), a.findings.len());
    assert_eq!(
        lines[0],
        "::error file=tests/fixtures/sources/network.tf,line=27,title=TFVPC201::50%25 done,%0Anext: line"
    );
    assert!(lines.iter().any(|l| l.starts_with("::warning file=")));
    assert!(lines.iter().any(|l| l.starts_with("::notice file=")));
}

/// `--output -` is standard output, as `-` is standard input for the plan: no file named
/// `-` appears, and the report is the one `--output FILE` writes.
#[test]
fn output_dash_is_standard_output() {
    let dir = tempfile::tempdir().unwrap();
    let plan = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/three-tier/plan.json");
    let run = |output: &str| {
        std::process::Command::new(env!("CARGO_BIN_EXE_tfvpc"))
            .current_dir(dir.path())
            .arg("analyze")
            .arg(&plan)
            .args([
                "--format",
                "sarif",
                "--fail-on",
                "never",
                "--output",
                output,
            ])
            .env_remove("GITHUB_ACTIONS")
            .output()
            .unwrap()
    };
    let to_stdout = run("-");
    assert_eq!(to_stdout.status.code(), Some(0));
    assert!(
        !dir.path().join("-").exists(),
        "a file named `-` was written"
    );
    let to_file = run("report.sarif");
    assert_eq!(to_file.status.code(), Some(0));
    assert!(to_file.stdout.is_empty());
    let written = fs::read(dir.path().join("report.sarif")).unwrap();
    assert!(!written.is_empty());
    assert_eq!(to_stdout.stdout, written);
}
