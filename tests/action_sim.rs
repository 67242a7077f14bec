//! Runs the GitHub Action's scripts in a simulated runner: `tests/action/sim.sh` starts a fake
//! GitHub API on 127.0.0.1 and checks the step outputs, the job summary, the comment upsert
//! (created once, then edited), the exit code by `fail-on`, and the read-only-token path.
//! Skips, saying so, where bash or python3 is missing. Does not test the release download.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    clippy::print_stderr
)]

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn runs(program: &str) -> bool {
    Command::new(program)
        .arg("--version")
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false)
}

/// A plan with an error finding when the fixtures are there, else a minimal one.
fn plan() -> PathBuf {
    let fixture = root().join("testdata/eigw-ipv4-route/plan.json");
    if fixture.is_file() {
        fixture
    } else {
        root().join("tests/action/plan.json")
    }
}

/// Runs tests/action/sim.sh against `bin`; `fake` says it is the stand-in script.
fn simulate(bin: &Path, fake: bool) {
    let out = Command::new("bash")
        .arg(root().join("tests/action/sim.sh"))
        .env("TFVPC_BIN", bin)
        .env("SIM_PLAN", plan())
        .env("SIM_FAKE", if fake { "1" } else { "0" })
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    println!("{stdout}");
    assert!(
        out.status.success(),
        "the action simulation failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains(" passed, 0 failed"), "{stdout}");
}

/// The action with the real tfvpc on a real plan.
#[test]
fn action_scripts_in_a_simulated_runner() {
    if !runs("bash") || !runs("python3") {
        println!("skipped: the action simulation needs bash and python3");
        return;
    }
    simulate(Path::new(env!("CARGO_BIN_EXE_tfvpc")), false);
}

/// The same run with a stand-in tfvpc that logs its arguments and environment, for what
/// only the stand-in can observe (the token never reaches tfvpc, the source dir passed).
#[test]
fn action_scripts_pass_the_right_arguments() {
    if !runs("bash") || !runs("python3") {
        println!("skipped: the action simulation needs bash and python3");
        return;
    }
    simulate(&root().join("tests/action/fake-tfvpc.sh"), true);
}
