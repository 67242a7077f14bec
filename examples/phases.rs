//! Where `tfvpc analyze` spends time and memory, phase by phase: read, parse, build both
//! models, reachability before and after, the diff, the rules, the report.
//!
//! ```text
//! cargo run --release --example phases -- bench/out/plan-20000.json [all|external|none] [sarif|markdown|json]
//! ```
//!
//! Without a scope, the one `analyze` takes for that format (`external` for markdown and
//! SARIF above 500 subnets).
//!
//! Prints one line per phase to stderr: wall time, CPU time of all threads, resident memory after the phase and the
//! peak so far (from `/proc/self/status`, Linux only; `-` elsewhere), and what it produced.
#![allow(clippy::print_stderr)]

use std::time::Instant;

use anyhow::{bail, Result};
use tfvpc::analysis::{self, Scope};
use tfvpc::report::{self, Analysis, Format, RenderOptions};

fn status(field: &str) -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<u64>().ok())
        })
        .map_or_else(
            || "-".to_string(),
            |kb| format!("{:.0} MB", kb as f64 / 1024.0),
        )
}

/// CPU time of the whole process so far (user and system, all threads), in seconds, from
/// `/proc/self/stat` (Linux only; `None` elsewhere). Clock ticks are taken as 100 a second,
/// the value of every Linux this runs on.
fn cpu() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // The command name may hold spaces: the fields that follow start after its `)`.
    let rest = stat.get(stat.rfind(')')? + 1..)?;
    let mut fields = rest.split_whitespace();
    // After `)`: state is field 3; utime and stime are fields 14 and 15.
    let utime: u64 = fields.nth(11)?.parse().ok()?;
    let stime: u64 = fields.next()?.parse().ok()?;
    Some((utime + stime) as f64 / 100.0)
}

/// The allocator the `tfvpc` binary uses, so the figures match it.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(path) = args.first() else {
        bail!("usage: phases PLAN.json [all|external|none] [sarif|markdown|json]");
    };
    // Without a scope, the one `analyze` takes (`external` for markdown and SARIF above
    // 500 subnets), decided once the model is built.
    let scope = match args.get(1).map(String::as_str) {
        None => None,
        Some("all") => Some(Scope::All),
        Some("external") => Some(Scope::External),
        Some("none") => Some(Scope::None),
        Some(s) => bail!("unknown scope {s}"),
    };
    let format = match args.get(2).map(String::as_str) {
        None | Some("sarif") => Format::Sarif,
        Some("markdown") => Format::Markdown,
        Some("json") => Format::Json,
        Some(s) => bail!("unknown format {s}"),
    };
    // As the `tfvpc` binary: this thread is one of rayon's workers.
    let _ = rayon::ThreadPoolBuilder::new()
        .use_current_thread()
        .build_global();
    let mut last = Instant::now();
    let mut last_cpu = cpu();
    let mut phase = |name: &str, what: String| {
        let now = Instant::now();
        let now_cpu = cpu();
        let spent = match (last_cpu, now_cpu) {
            (Some(a), Some(b)) => format!("{:>5.2}", b - a),
            _ => "    -".to_string(),
        };
        eprintln!(
            "{name:<14} {:>8.3}s  cpu {spent}s  rss {:>8}  peak {:>8}  {what}",
            (now - last).as_secs_f64(),
            status("VmRSS:"),
            status("VmHWM:")
        );
        last = now;
        last_cpu = now_cpu;
    };
    let started = Instant::now();
    let bytes = tfvpc::plan::read_limited(std::path::Path::new(path), u64::MAX)?;
    phase("read", format!("{} bytes", bytes.len()));
    let plan = tfvpc::plan::parse(&bytes, path)?;
    drop(bytes);
    phase("parse", String::new());
    let network = tfvpc::plan::build(&plan);
    phase(
        "build",
        format!(
            "{} subnets after, {} before",
            network.after.subnets.len(),
            network.before.subnets.len()
        ),
    );
    drop(plan);
    phase("drop plan", String::new());
    let scope =
        scope.unwrap_or_else(|| tfvpc::pipeline::default_scope(&network, format == Format::Json).0);
    let before = analysis::reachability(&network.before, scope);
    phase("reach before", format!("{} results", before.results.len()));
    let after = analysis::reachability(&network.after, scope);
    phase("reach after", format!("{} results", after.results.len()));
    let changes = analysis::changes(&network, &before, &after);
    phase("changes", format!("{} changes", changes.len()));
    // As `analyze` does, workload exposure only where both sides hold workloads (never in
    // the generated create-only plans); `PHASES_EXPOSURE=1` times the planned side's anyway,
    // as a plan over existing infrastructure would pay it on each side.
    let exposure_changes =
        if network.before.workloads.is_empty() || network.after.workloads.is_empty() {
            if std::env::var_os("PHASES_EXPOSURE").is_some() {
                let n = analysis::exposure(&network.after).len();
                phase("exposure", format!("{n} workload answers (not compared)"));
            }
            Vec::new()
        } else {
            let b = analysis::exposure(&network.before);
            let a = analysis::exposure(&network.after);
            let c = analysis::exposure_changes(&network, &b, &a);
            phase("exposure", format!("{} changes", c.len()));
            c
        };
    let findings = tfvpc::rules::check(&network, &after, &Default::default(), tfvpc::cli::today());
    phase("rules", format!("{} findings", findings.len()));
    let analysis = Analysis {
        network: &network,
        findings: findings.into_iter().map(|f| (f, None)).collect(),
        reachability: after,
        changes,
        exposure_changes,
        exposure: Vec::new(),
        hop_locations: Default::default(),
        notes: Vec::new(),
        left_out: 0,
    };
    let mut buf = Vec::new();
    report::render(format, &analysis, &RenderOptions::default(), &mut buf)?;
    phase("report", format!("{} bytes", buf.len()));
    eprintln!("total          {:>8.3}s", started.elapsed().as_secs_f64());
    Ok(())
}
