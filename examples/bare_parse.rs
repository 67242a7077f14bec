//! The floor tfvpc is measured against: read a plan into memory and let serde_json walk all
//! of it into [`serde::de::IgnoredAny`], building nothing.
//!
//! ```text
//! cargo run --release --example bare_parse -- bench/out/plan-20000.json
//! ```
//!
//! Reading the whole file and calling `from_slice` is how tfvpc reads plans too (far faster
//! than a buffered reader), so `tfvpc analyze` time minus this time is what tfvpc itself
//! costs. Prints one line to stderr: bytes, read time, parse time.
#![allow(clippy::print_stderr)]

use std::time::Instant;

use anyhow::{bail, Context, Result};
use serde::de::IgnoredAny;

fn main() -> Result<()> {
    let mut args = std::env::args_os().skip(1);
    let (Some(path), None) = (args.next(), args.next()) else {
        bail!("usage: bare_parse PLAN.json");
    };
    let started = Instant::now();
    let bytes = std::fs::read(&path).with_context(|| format!("cannot read {path:?}"))?;
    let read = started.elapsed();
    let IgnoredAny = serde_json::from_slice::<IgnoredAny>(&bytes)
        .with_context(|| format!("{path:?} is not JSON"))?;
    let total = started.elapsed();
    eprintln!(
        "bare_parse: {} bytes, read {:.3}s, parse {:.3}s",
        bytes.len(),
        read.as_secs_f64(),
        (total - read).as_secs_f64()
    );
    Ok(())
}
