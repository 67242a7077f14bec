//! Writes a large, realistic `terraform show -json` plan for benchmarks: N spoke VPCs on one
//! transit gateway.
//!
//! ```text
//! cargo run --release --example synth -- --spokes 834 --out bench/out/plan-5000.json
//! cargo run --release --example synth -- --subnets 20000 > plan.json
//! cargo run --release --example synth -- --subnets 20000 --existing --out plan-existing.json
//! ```
//!
//! The plan is not hand-written JSON: `bench/synth/template.json` is what real terraform
//! (1.11.4, hashicorp/aws 5.100.0) printed for the configuration in `bench/synth/` with two
//! spokes, and this program clones the first spoke, `module.spoke["spoke-0000"]`, N times.
//! Every attribute, unknown, sensitivity marker, `configuration` reference and the order of
//! everything is therefore the provider's own. Per spoke (module `spoke`, `for_each` over
//! the spokes, `count` over three AZs inside): a VPC with a generated IPv6 block, 3 public
//! and 3 private subnets, an IGW, an egress-only IGW, 3 EIPs and NAT gateways, 4 route
//! tables with routes to the IGW, NAT, EIGW and the TGW, 6 associations, an S3 gateway
//! endpoint, 2 NACLs, 2 security groups with 6 rules, 3 instances and a TGW attachment;
//! at the root, one TGW association and propagation per spoke.
//!
//! Cloning rewrites every string: `spoke-0000` becomes the spoke's key
//! (`format("spoke-%04d", i)`, as in the configuration), and the spoke's CIDRs
//! (`10.0.0.0/20` and its `/24`s) become spoke i's: the i-th `/20` of `10.0.0.0/8`, so at
//! most 4096 spokes. Anything naming `spoke-0001` (the template's second spoke) is dropped,
//! and runs of consecutive `spoke-0000` array elements are repeated spoke by spoke, which
//! keeps `resource_changes` sorted by address as terraform writes it. The output is the
//! same for the same N (the timestamp is fixed); with `--spokes 2` it is the template
//! itself, compact, as `terraform show -json` prints it.
//!
//! With `--existing`, the template is `bench/synth/template-existing.json`: the same
//! configuration applied to moto and planned again with one more hub route
//! (`bench/synth/regen-existing.sh`), so every spoke resource is a `no-op` with its real
//! IDs, in `prior_state` as in `planned_values`. Each clone also gets its own IDs (those
//! found only under the template spoke), private addresses and IPv6 block.
//!
//! Output is streamed: one resource is built as a `serde_json::Value` at a time.
#![allow(clippy::print_stderr, clippy::indexing_slicing)]

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::PathBuf;
use std::time::Instant;

use anyhow::{bail, Context, Result};
use clap::Parser;

#[path = "../bench/synth/gen.rs"]
mod gen;

#[derive(Parser)]
#[command(about = "Write a realistic terraform plan with N spoke VPCs on one transit gateway")]
#[command(group(clap::ArgGroup::new("size").required(true).args(["spokes", "subnets"])))]
struct Args {
    /// Number of spoke VPCs (1 to 4096), 6 subnets each.
    #[arg(long)]
    spokes: Option<usize>,
    /// Approximate number of subnets: picks ceil(N / 6) spokes.
    #[arg(long)]
    subnets: Option<usize>,
    /// A plan over the existing network (`bench/synth/template-existing.json`): every
    /// spoke resource unchanged, with its real IDs in `prior_state`, and one hub route added.
    #[arg(long)]
    existing: bool,
    /// Output file (default: standard output).
    #[arg(long)]
    out: Option<PathBuf>,
}

fn main() -> Result<()> {
    let args = Args::parse();
    let spokes = match (args.spokes, args.subnets) {
        (Some(spokes), _) => spokes,
        (None, Some(subnets)) => subnets.div_ceil(gen::SUBNETS_PER_SPOKE),
        (None, None) => bail!("give --spokes or --subnets"),
    };
    let kind = if args.existing {
        gen::Kind::Existing
    } else {
        gen::Kind::Create
    };
    let started = Instant::now();
    let (summary, written) = match &args.out {
        Some(path) => {
            let file =
                File::create(path).with_context(|| format!("cannot create {}", path.display()))?;
            write(BufWriter::with_capacity(1 << 20, file), spokes, kind)?
        }
        None => write(
            BufWriter::with_capacity(1 << 20, io::stdout()),
            spokes,
            kind,
        )?,
    };
    // bench/run.sh reads this line.
    eprintln!(
        "synth: {} spokes, {} subnets, {} resources, {} bytes in {:.2}s",
        summary.spokes,
        summary.subnets,
        summary.resources,
        written,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

fn write(out: impl Write, spokes: usize, kind: gen::Kind) -> Result<(gen::Summary, u64)> {
    let mut out = CountingWriter {
        inner: out,
        written: 0,
    };
    let summary = gen::write_plan_of(&mut out, spokes, kind)?;
    out.flush()?;
    Ok((summary, out.written))
}

/// Counts the bytes written, for the summary line.
struct CountingWriter<W> {
    inner: W,
    written: u64,
}

impl<W: Write> Write for CountingWriter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.written += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}
