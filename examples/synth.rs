//! Writes a large, realistic `terraform show -json` plan for benchmarks: N spoke VPCs on one
//! transit gateway.
//!
//! ```text
//! cargo run --release --example synth -- --spokes 834 --out bench/out/plan-5000.json
//! cargo run --release --example synth -- --subnets 20000 > plan.json
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
//! Output is streamed: one resource is built as a `serde_json::Value` at a time.
#![allow(clippy::print_stderr)]

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::PathBuf;
use std::time::Instant;

use anyhow::{bail, Context, Result};
use clap::Parser;
use serde_json::{Map, Value};

/// Real `terraform show -json` output for `bench/synth/` with two spokes.
const TEMPLATE: &str = include_str!("../bench/synth/template.json");
/// The spoke cloned N times.
const TEMPLATE_KEY: &str = "spoke-0000";
/// The template's second spoke: only there so the template shows how spokes repeat.
const DROPPED_KEY: &str = "spoke-0001";
/// The spoke CIDRs are the /20s of 10.0.0.0/8.
const MAX_SPOKES: usize = 4096;
const SUBNETS_PER_SPOKE: usize = 6;
/// Fixed, so that the same N gives the same bytes.
const TIMESTAMP: &str = "2025-01-01T00:00:00Z";

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
    /// Output file (default: standard output).
    #[arg(long)]
    out: Option<PathBuf>,
}

fn main() -> Result<()> {
    let args = Args::parse();
    let spokes = match (args.spokes, args.subnets) {
        (Some(spokes), _) => spokes,
        (None, Some(subnets)) => subnets.div_ceil(SUBNETS_PER_SPOKE),
        (None, None) => bail!("give --spokes or --subnets"),
    };
    if spokes == 0 || spokes > MAX_SPOKES {
        bail!("--spokes must be between 1 and {MAX_SPOKES} (got {spokes})");
    }
    let template: Value =
        serde_json::from_str(TEMPLATE).context("bench/synth/template.json is not JSON")?;
    let spokes: Vec<Spoke> = (0..spokes).map(Spoke::new).collect();

    let started = Instant::now();
    let written = match &args.out {
        Some(path) => {
            let file =
                File::create(path).with_context(|| format!("cannot create {}", path.display()))?;
            let mut out = CountingWriter::new(BufWriter::with_capacity(1 << 20, file));
            write_plan(&mut out, &template, &spokes)?;
            out.flush()?;
            out.written
        }
        None => {
            let mut out = CountingWriter::new(BufWriter::with_capacity(1 << 20, io::stdout()));
            write_plan(&mut out, &template, &spokes)?;
            out.flush()?;
            out.written
        }
    };
    eprintln!(
        "synth: {} spokes, {} subnets, {} bytes in {:.2}s",
        spokes.len(),
        spokes.len() * SUBNETS_PER_SPOKE,
        written,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// One spoke of the generated plan.
struct Spoke {
    key: String,
    /// Second and third octet of the spoke's /20 in 10.0.0.0/8.
    octet2: usize,
    octet3: usize,
}

impl Spoke {
    fn new(index: usize) -> Spoke {
        Spoke {
            key: format!("spoke-{index:04}"),
            octet2: index / 16,
            octet3: (index % 16) * 16,
        }
    }

    /// The template spoke's string, as this spoke's.
    fn rewrite_str(&self, s: &str) -> String {
        if let Some(cidr) = self.rewrite_cidr(s) {
            return cidr;
        }
        if s.contains(TEMPLATE_KEY) {
            return s.replace(TEMPLATE_KEY, &self.key);
        }
        s.to_string()
    }

    /// `10.0.X.0/20` or `/24` with X < 16 (the template spoke's CIDRs) as this spoke's.
    fn rewrite_cidr(&self, s: &str) -> Option<String> {
        let (addr, len) = s.split_once('/')?;
        if len != "20" && len != "24" {
            return None;
        }
        let x: usize = addr
            .strip_prefix("10.0.")?
            .strip_suffix(".0")?
            .parse()
            .ok()?;
        if x >= 16 {
            return None;
        }
        Some(format!("10.{}.{}.0/{len}", self.octet2, self.octet3 + x))
    }

    /// A clone of a template value with every string (and object key) rewritten.
    fn rewrite(&self, value: &Value) -> Value {
        match value {
            Value::String(s) => Value::String(self.rewrite_str(s)),
            Value::Array(items) => Value::Array(items.iter().map(|v| self.rewrite(v)).collect()),
            Value::Object(map) => Value::Object(
                map.iter()
                    .map(|(k, v)| (self.rewrite_str(k), self.rewrite(v)))
                    .collect::<Map<String, Value>>(),
            ),
            other => other.clone(),
        }
    }
}

/// Writes the whole plan: the template's top-level keys in the template's order.
fn write_plan(out: &mut dyn Write, template: &Value, spokes: &[Spoke]) -> Result<()> {
    let Value::Object(top) = template else {
        bail!("bench/synth/template.json is not a JSON object");
    };
    out.write_all(b"{")?;
    for (i, (key, value)) in top.iter().enumerate() {
        if i > 0 {
            out.write_all(b",")?;
        }
        serde_json::to_writer(&mut *out, key)?;
        out.write_all(b":")?;
        match key.as_str() {
            // `-var spokes=N`: terraform records the value as given, a string.
            "variables" => serde_json::to_writer(
                &mut *out,
                &serde_json::json!({ "spokes": { "value": spokes.len().to_string() } }),
            )?,
            "timestamp" => serde_json::to_writer(&mut *out, TIMESTAMP)?,
            _ => write_expanded(out, value, spokes)?,
        }
    }
    out.write_all(b"}")?;
    Ok(())
}

/// Writes `value` with the template spoke repeated for every spoke (see the module docs).
fn write_expanded(out: &mut dyn Write, value: &Value, spokes: &[Spoke]) -> Result<()> {
    match value {
        Value::Array(items) => {
            out.write_all(b"[")?;
            let mut first = true;
            let mut i = 0;
            while i < items.len() {
                if mentions(&items[i], DROPPED_KEY) {
                    i += 1;
                    continue;
                }
                if !mentions(&items[i], TEMPLATE_KEY) {
                    separate(out, &mut first)?;
                    write_expanded(out, &items[i], spokes)?;
                    i += 1;
                    continue;
                }
                let run_end = items[i..]
                    .iter()
                    .position(|item| !mentions(item, TEMPLATE_KEY))
                    .map_or(items.len(), |n| i + n);
                let run = &items[i..run_end];
                for spoke in spokes {
                    for item in run {
                        separate(out, &mut first)?;
                        serde_json::to_writer(&mut *out, &spoke.rewrite(item))?;
                    }
                }
                i = run_end;
            }
            out.write_all(b"]")?;
        }
        Value::Object(map) => {
            out.write_all(b"{")?;
            let mut first = true;
            for (key, value) in map {
                if key == DROPPED_KEY {
                    continue;
                }
                if key == TEMPLATE_KEY {
                    for spoke in spokes {
                        separate(out, &mut first)?;
                        serde_json::to_writer(&mut *out, &spoke.key)?;
                        out.write_all(b":")?;
                        serde_json::to_writer(&mut *out, &spoke.rewrite(value))?;
                    }
                    continue;
                }
                separate(out, &mut first)?;
                serde_json::to_writer(&mut *out, key)?;
                out.write_all(b":")?;
                write_expanded(out, value, spokes)?;
            }
            out.write_all(b"}")?;
        }
        leaf => serde_json::to_writer(&mut *out, leaf)?,
    }
    Ok(())
}

fn separate(out: &mut dyn Write, first: &mut bool) -> io::Result<()> {
    if !std::mem::take(first) {
        out.write_all(b",")?;
    }
    Ok(())
}

/// Whether any string or object key in `value` contains `needle`.
fn mentions(value: &Value, needle: &str) -> bool {
    match value {
        Value::String(s) => s.contains(needle),
        Value::Array(items) => items.iter().any(|v| mentions(v, needle)),
        Value::Object(map) => map
            .iter()
            .any(|(k, v)| k.contains(needle) || mentions(v, needle)),
        _ => false,
    }
}

/// Counts the bytes written, for the summary line.
struct CountingWriter<W> {
    inner: W,
    written: u64,
}

impl<W> CountingWriter<W> {
    fn new(inner: W) -> Self {
        CountingWriter { inner, written: 0 }
    }
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
