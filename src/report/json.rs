//! The JSON report (`--format json`), exactly as `output-contract.md` (v1) defines it:
//! field names and order, `location` null when no source is found, `reachability` sorted
//! by `(from, to, family)`. Scripts depend on this shape; change it only additively.
//!
//! This module only serializes; it never decides what a finding or a verdict is.

use std::io::{self, Write};

use serde::Serialize;

use super::{counts, sorted_findings, Analysis, RenderOptions};
use crate::analysis::{PathResult, Stream, BATCH_ANSWERS};
use crate::model::Model;

#[derive(Serialize)]
struct Report<'a> {
    version: u32,
    tool: Tool<'a>,
    input: Input<'a>,
    summary: Summary,
    findings: Vec<FindingOut<'a>>,
    reachability: Answers<'a>,
    changes: Vec<ChangeOut<'a>>,
    /// Pairs allowed before and after the plan whose ports change: `before`/`after` are the
    /// `ports` strings, `opened`/`closed` what starts and stops passing (empty when
    /// nothing). Added after v1's fields and left out when there is none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    port_changes: Vec<PortChangeOut<'a>>,
    /// `internet → workload` (instance, network interface) answers, security groups
    /// included, that the plan changes: the verdict, or for one reached before and after,
    /// the ports (`ports`). Added after v1's fields and left out when there is none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    exposure_changes: Vec<ExposureChangeOut<'a>>,
    /// What the internet reaches (or may reach) of the planned workloads, security groups
    /// included: their `internet → workload` answers that are not `blocked`, shaped like
    /// `reachability` entries and sorted the same way. Added after v1's fields and left
    /// out when there is none.
    #[serde(skip_serializing_if = "Answers::is_empty")]
    exposure: Answers<'a>,
    /// What the analysis admits about itself (an incomplete plan, subnet pairs not
    /// computed, an intent not checked, a `.tf` file that did not parse): the notes markdown
    /// and SARIF show. Added after v1's fields and left out when there is none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    notes: Vec<&'a str>,
}

#[derive(Serialize)]
struct PortChangeOut<'a> {
    from: &'a str,
    to: &'a str,
    family: &'static str,
    before: &'a str,
    after: &'a str,
    opened: String,
    closed: String,
}

#[derive(Serialize)]
struct ExposureChangeOut<'a> {
    from: &'a str,
    to: &'a str,
    family: &'static str,
    before: &'static str,
    after: &'static str,
    /// For an answer allowed before and after: the ports then and now, and what starts and
    /// stops passing; `null` otherwise.
    ports: Option<PortShiftOut<'a>>,
}

#[derive(Serialize)]
struct PortShiftOut<'a> {
    before: &'a str,
    after: &'a str,
    opened: String,
    closed: String,
}

#[derive(Serialize)]
struct Tool<'a> {
    name: &'static str,
    version: &'a str,
}

#[derive(Serialize)]
struct Input<'a> {
    format_version: &'a str,
    terraform_version: Option<&'a str>,
}

#[derive(Serialize)]
struct Summary {
    vpcs: usize,
    subnets: usize,
    findings: Counts,
}

#[derive(Serialize)]
struct Counts {
    error: usize,
    warning: usize,
    note: usize,
}

#[derive(Serialize)]
struct FindingOut<'a> {
    rule_id: &'a str,
    severity: &'static str,
    message: &'a str,
    resources: &'a [String],
    location: Option<LocationOut<'a>>,
    /// `new`, `updated` or `unchanged` against the prior state; absent for a plan that
    /// creates everything it manages.
    #[serde(skip_serializing_if = "Option::is_none")]
    baseline: Option<&'static str>,
}

#[derive(Serialize)]
struct LocationOut<'a> {
    file: &'a str,
    line: u32,
}

/// The answers in report order, each serialized as it is written: a list of millions of
/// entries (all pairs of a large network) is never built.
struct Answers<'a>(Vec<&'a PathResult>);

impl<'a> PathOut<'a> {
    fn of(r: &'a PathResult) -> PathOut<'a> {
        PathOut {
            from: &r.from,
            to: &r.to,
            family: r.family.as_str(),
            verdict: r.verdict.as_str(),
            path: &r.path,
            reason: &r.reason,
            ports: &r.ports,
        }
    }
}

impl Answers<'_> {
    fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl Serialize for Answers<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.iter().map(|r| PathOut::of(r)))
    }
}

/// The JSON text of `answers` as entries of the report's `reachability` list, exactly as
/// the pretty printer writes them there (each on its own lines, indented two levels, a
/// comma before every entry but the report's first), rendered on all threads in order.
fn entries(answers: &[PathResult], first: bool) -> io::Result<Vec<Vec<u8>>> {
    use rayon::prelude::*;
    const CHUNK: usize = 2048;
    answers
        .par_chunks(CHUNK)
        .enumerate()
        .map(|(c, chunk)| {
            let mut out = Vec::with_capacity(chunk.len() * 700);
            let mut one = Vec::with_capacity(1024);
            for (i, r) in chunk.iter().enumerate() {
                out.extend_from_slice(if first && c == 0 && i == 0 {
                    b"\n    "
                } else {
                    b",\n    "
                });
                one.clear();
                serde_json::to_writer_pretty(&mut one, &PathOut::of(r))?;
                // Strings never hold a raw newline (JSON escapes it): every one in `one`
                // starts a line, which two levels deeper start four spaces further in.
                for (k, line) in one.split(|&b| b == b'\n').enumerate() {
                    if k > 0 {
                        out.extend_from_slice(b"\n    ");
                    }
                    out.extend_from_slice(line);
                }
            }
            Ok(out)
        })
        .collect()
}

/// Writes `report`, whose `reachability` is empty, with every answer of `model` as its
/// `reachability`: computed batch by batch (the analysis kept only some; see
/// `Reachability::streamed`), each batch rendered on all threads and written.
fn write_streamed(report: &Report<'_>, model: &Model, out: &mut dyn Write) -> io::Result<()> {
    let head = serde_json::to_vec_pretty(report)?;
    // A top-level key: the only place these bytes can be (inside a string, a quote is
    // escaped).
    const EMPTY: &[u8] = b"\n  \"reachability\": [],\n";
    let at = head
        .windows(EMPTY.len())
        .position(|w| w == EMPTY)
        .ok_or_else(|| io::Error::other("the JSON report has no reachability list"))?;
    let open = at + EMPTY.len() - "],\n".len();
    out.write_all(head.get(..open).unwrap_or_default())?;
    // Batch after batch, each computed on all threads, then written. (Not one batch ahead
    // on another thread: this thread is one of rayon's, and with one thread in all it
    // would wait for work that only it could do.)
    let stream = Stream::new(model, true);
    let mut first = true;
    let batches = stream.batches(BATCH_ANSWERS);
    let meter = &crate::analysis::meter::METER;
    meter.begin(batches.len());
    for b in batches {
        let batch = stream.batch(b);
        for part in entries(&batch, first)? {
            out.write_all(&part)?;
        }
        first &= batch.is_empty();
        meter.advance();
    }
    meter.end();
    out.write_all(if first { b"]" } else { b"\n  ]" })?;
    out.write_all(head.get(open + "]".len()..).unwrap_or_default())
}

#[derive(Serialize)]
struct PathOut<'a> {
    from: &'a str,
    to: &'a str,
    family: &'static str,
    verdict: &'static str,
    path: &'a [crate::analysis::Name],
    reason: &'a str,
    ports: &'a str,
}

#[derive(Serialize)]
struct ChangeOut<'a> {
    from: &'a str,
    to: &'a str,
    family: &'static str,
    before: &'static str,
    after: &'static str,
}

/// Writes the JSON report, pretty-printed, with a trailing newline.
pub fn write(
    analysis: &Analysis<'_>,
    options: &RenderOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    let (error, warning, note) = counts(analysis);
    let net = analysis.network;
    let findings = sorted_findings(analysis)
        .into_iter()
        .map(|(f, loc)| FindingOut {
            rule_id: &f.rule_id,
            severity: f.severity.as_str(),
            message: &f.message,
            resources: &f.resources,
            location: loc.as_ref().map(|l| LocationOut {
                file: &l.file,
                line: l.line,
            }),
            baseline: f.baseline.map(crate::rules::Baseline::as_str),
        })
        .collect();
    let streamed = analysis.reachability.streamed.is_some();
    let reachability = if streamed {
        Answers(Vec::new())
    } else {
        let mut reach: Vec<_> = analysis.reachability.results.iter().collect();
        reach.sort_by(|a, b| (&a.from, &a.to, a.family).cmp(&(&b.from, &b.to, b.family)));
        Answers(reach)
    };
    let mut changes: Vec<_> = analysis.changes.iter().collect();
    changes.sort_by(|a, b| (&a.from, &a.to, a.family).cmp(&(&b.from, &b.to, b.family)));
    let port_changes = changes
        .iter()
        .filter_map(|c| {
            let (before, after) = c.ports.as_ref()?;
            let (opened, closed) = c.port_shift()?;
            Some(PortChangeOut {
                from: &c.from,
                to: &c.to,
                family: c.family.as_str(),
                before,
                after,
                opened,
                closed,
            })
        })
        .collect();
    let mut exposure: Vec<_> = analysis.exposure_changes.iter().collect();
    exposure.sort_by(|a, b| (&a.from, &a.to, a.family).cmp(&(&b.from, &b.to, b.family)));
    let exposure_changes = exposure
        .into_iter()
        .map(|c| ExposureChangeOut {
            from: &c.from,
            to: &c.to,
            family: c.family.as_str(),
            before: c.before.as_str(),
            after: c.after.as_str(),
            ports: c.ports.as_ref().and_then(|(before, after)| {
                let (opened, closed) = c.port_shift()?;
                Some(PortShiftOut {
                    before,
                    after,
                    opened,
                    closed,
                })
            }),
        })
        .collect();
    let changes = changes
        .into_iter()
        .filter(|c| c.verdict_changes())
        .map(|c| ChangeOut {
            from: &c.from,
            to: &c.to,
            family: c.family.as_str(),
            before: c.before.as_str(),
            after: c.after.as_str(),
        })
        .collect();
    let report = Report {
        version: 1,
        tool: Tool {
            name: "tfvpc",
            version: &options.tool_version,
        },
        input: Input {
            format_version: &net.input.format_version,
            terraform_version: net.input.terraform_version.as_deref(),
        },
        summary: Summary {
            vpcs: net.after.vpcs.len(),
            subnets: net.after.subnets.len(),
            findings: Counts {
                error,
                warning,
                note,
            },
        },
        findings,
        reachability,
        changes,
        port_changes,
        exposure_changes,
        exposure: {
            let mut e: Vec<_> = analysis.exposure.iter().collect();
            e.sort_by(|a, b| (&a.from, &a.to, a.family).cmp(&(&b.from, &b.to, b.family)));
            Answers(e)
        },
        notes: analysis.notes.iter().map(String::as_str).collect(),
    };
    if streamed {
        write_streamed(&report, &net.after, out)?;
    } else {
        serde_json::to_writer_pretty(&mut *out, &report)?;
    }
    out.write_all(b"\n")
}
