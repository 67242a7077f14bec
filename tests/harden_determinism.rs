//! Byte-identical reports whatever the thread count: every testdata scenario, through the
//! binary, in SARIF, markdown and JSON, with `RAYON_NUM_THREADS=1` and `=8`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod harden_support;

use harden_support::{run_bin, testdata_plans};

#[test]
fn same_bytes_with_one_and_eight_threads() {
    let mut compared = 0;
    for (name, path) in testdata_plans() {
        let plan = path.to_str().unwrap();
        for format in ["sarif", "markdown", "json"] {
            let args = ["analyze", "--fail-on", "never", "--format", format, plan];
            let one = run_bin(&args, None, &[("RAYON_NUM_THREADS", "1")]);
            let eight = run_bin(&args, None, &[("RAYON_NUM_THREADS", "8")]);
            assert_eq!(
                one.status.code(),
                Some(0),
                "{name} {format}: {}",
                String::from_utf8_lossy(&one.stderr)
            );
            assert!(!one.stdout.is_empty(), "{name} {format}: empty report");
            assert!(
                one.stdout == eight.stdout,
                "{name} {format}: the report differs between 1 and 8 threads"
            );
            assert_eq!(one.stderr, eight.stderr, "{name} {format}: stderr differs");
            compared += 1;
        }
    }
    assert!(compared >= 60, "compared only {compared} reports");
}
