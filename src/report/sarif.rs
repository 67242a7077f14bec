//! SARIF 2.1.0 (`--format sarif`) for GitHub code scanning.
//!
//! A small private set of serde structs holding only what tfvpc writes, like ruff, oxlint
//! and cargo-deny do, rather than the `serde-sarif` crate: its generated types cover the
//! whole spec (hundreds of optional fields and builders), pull in extra dependencies and
//! make the few GitHub-specific choices below (property names with dashes, what is always
//! present) harder to see. Tests validate every output against the vendored official schema.
//!
//! What GitHub expects, and where it is done:
//! - rules with help text and markdown, `defaultConfiguration.level`, tags, and
//!   `security-severity` for security rules (`rule`);
//! - every result with `ruleId`, `ruleIndex`, `level`, a message and a location in a `.tf`
//!   file (a finding without one points at [`RenderOptions::fallback_location`]: one
//!   result without a location makes GitHub reject the whole upload);
//! - `partialFingerprints` from the rule ID and resource addresses, never line numbers
//!   ([`fingerprint`]), so alerts survive unrelated edits;
//! - `codeFlows` with the hop path of reachability findings;
//! - `automationDetails.id` per root module, so runs for several root modules coexist;
//! - GitHub's limits: at most [`MAX_RESULTS`] results (the most severe are kept),
//!   [`MAX_FLOW_LOCATIONS`] hops per flow, [`MAX_TAGS`] tags per rule and [`MAX_BYTES`]
//!   bytes, with a run-level notification saying what was cut.
//!
//! This module formats only: it never decides severities, messages or locations.

use std::collections::BTreeMap;
use std::io::{self, Write};

use rayon::prelude::*;
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::{rule_entries, sorted_findings, Analysis, Location, RenderOptions, RuleEntry};
use crate::rules::{Finding, Severity};

/// GitHub accepts 25,000 results per run but stores only the 5,000 most severe.
pub const MAX_RESULTS: usize = 5_000;
/// GitHub keeps 1,000 thread-flow locations per result (and rejects over 10,000).
pub const MAX_FLOW_LOCATIONS: usize = 1_000;
/// GitHub shows 10 tags per rule (and rejects over 20).
pub const MAX_TAGS: usize = 10;
/// GitHub rejects uploads over 10 MB (compressed); we keep the uncompressed file under it.
pub const MAX_BYTES: usize = 10 * 1024 * 1024;

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
const INFORMATION_URI: &str = "https://github.com/tfvpc/tfvpc";
const SRCROOT: &str = "%SRCROOT%";
/// The key of our fingerprint in `partialFingerprints`; bump the version if the recipe changes.
const FINGERPRINT_KEY: &str = "tfvpcFindingHash/v1";

#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: Vec<Run<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool<'a>,
    automation_details: AutomationDetails,
    original_uri_base_ids: BTreeMap<&'static str, BaseId>,
    invocations: Vec<Invocation>,
    /// Always written empty: the results are printed on their own ([`rendered`]) and put
    /// in its place ([`write`]).
    results: [SarifResult; 0],
}

#[derive(Serialize)]
struct Tool<'a> {
    driver: Driver<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver<'a> {
    name: &'static str,
    version: &'a str,
    semantic_version: &'a str,
    information_uri: &'static str,
    rules: Vec<Rule>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Rule {
    id: String,
    name: String,
    short_description: Text,
    full_description: Text,
    help: Help,
    default_configuration: Configuration,
    properties: RuleProperties,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
struct Help {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct RuleProperties {
    tags: Vec<String>,
    #[serde(rename = "security-severity", skip_serializing_if = "Option::is_none")]
    security_severity: Option<&'static str>,
    precision: &'static str,
}

#[derive(Serialize)]
struct AutomationDetails {
    id: String,
}

#[derive(Serialize)]
struct BaseId {
    description: Text,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Invocation {
    execution_successful: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tool_execution_notifications: Vec<Notification>,
}

#[derive(Serialize)]
struct Notification {
    level: &'static str,
    message: Text,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult {
    rule_id: String,
    rule_index: usize,
    level: &'static str,
    message: Text,
    locations: Vec<ResultLocation>,
    partial_fingerprints: BTreeMap<&'static str, String>,
    /// Against the prior state of a plan over existing infrastructure: `new`, `updated`
    /// or `unchanged`.
    #[serde(skip_serializing_if = "Option::is_none")]
    baseline_state: Option<&'static str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    code_flows: Vec<CodeFlow>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ResultLocation {
    physical_location: PhysicalLocation,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    logical_locations: Vec<LogicalLocation>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    region: Region,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    uri_base_id: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: u32,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct LogicalLocation {
    fully_qualified_name: String,
    kind: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct CodeFlow {
    message: Text,
    thread_flows: Vec<ThreadFlow>,
}

#[derive(Serialize)]
struct ThreadFlow {
    locations: Vec<ThreadFlowLocation>,
}

#[derive(Serialize)]
struct ThreadFlowLocation {
    location: FlowLocation,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct FlowLocation {
    physical_location: PhysicalLocation,
    message: Text,
}

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "note",
    }
}

/// GitHub's security severity scale: over 9.0 critical, 7.0–8.9 high, 4.0–6.9 medium,
/// 0.1–3.9 low. Only security rules carry one (others are not security alerts).
fn security_severity(rule: &RuleEntry) -> Option<&'static str> {
    if !rule.is_security() {
        return None;
    }
    Some(match rule.severity {
        Severity::Error => "8.0",
        Severity::Warning => "5.0",
        Severity::Note => "2.0",
    })
}

fn rule(r: &RuleEntry) -> Rule {
    let mut tags: Vec<String> = r.tags.clone();
    if r.is_security() && !tags.iter().any(|t| t == "security") {
        tags.insert(0, "security".to_string());
    }
    tags.truncate(MAX_TAGS);
    Rule {
        id: r.id.clone(),
        name: r.name.clone(),
        short_description: Text {
            text: r.summary.clone(),
        },
        full_description: Text {
            text: r.summary.clone(),
        },
        help: Help {
            text: r.help.clone(),
            markdown: r.help.clone(),
        },
        default_configuration: Configuration {
            level: level(r.severity),
        },
        properties: RuleProperties {
            tags,
            security_severity: security_severity(r),
            precision: "high",
        },
    }
}

/// A finding's identity for GitHub's alert tracking: the rule ID, the resources and the
/// hop path, all Terraform addresses. Never a line number or a file name, so moving or
/// reformatting code keeps the alert.
pub fn fingerprint(f: &Finding) -> String {
    let mut h = Sha256::new();
    h.update(f.rule_id.as_bytes());
    for r in &f.resources {
        h.update([0u8]);
        h.update(r.as_bytes());
    }
    h.update([0u8, 0u8]);
    for hop in &f.path {
        h.update([0u8]);
        h.update(hop.as_bytes());
    }
    let digest = h.finalize();
    let mut hex = String::with_capacity(64);
    for b in digest {
        for nibble in [b >> 4, b & 0xf] {
            hex.extend(char::from_digit(u32::from(nibble), 16));
        }
    }
    hex
}

/// A relative path as a URI reference: bytes other than unreserved characters and `/`
/// are percent-encoded (a space in a directory name must not break the URI).
fn uri_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn physical(loc: &Location, options: &RenderOptions) -> PhysicalLocation {
    PhysicalLocation {
        artifact_location: ArtifactLocation {
            uri: uri_path(&format!("{}{}", options.source_prefix, loc.file)),
            uri_base_id: SRCROOT,
        },
        region: Region {
            start_line: loc.line.max(1),
        },
    }
}

fn result(
    f: &Finding,
    loc: Option<&Location>,
    rule_index: usize,
    analysis: &Analysis<'_>,
    options: &RenderOptions,
) -> SarifResult {
    let loc = loc.unwrap_or(&options.fallback_location);
    let mut text = f.message.clone();
    if let Some(fix) = &f.fix {
        text.push_str("\n\nHow to fix: ");
        text.push_str(fix);
    }
    let code_flows = if f.path.is_empty() {
        Vec::new()
    } else {
        let locations = f
            .path
            .iter()
            .take(MAX_FLOW_LOCATIONS)
            .map(|hop| ThreadFlowLocation {
                location: FlowLocation {
                    // Hops with no `.tf` block of their own (`internet`) point at the finding.
                    physical_location: physical(
                        analysis.hop_locations.get(hop).unwrap_or(loc),
                        options,
                    ),
                    message: Text { text: hop.clone() },
                },
            })
            .collect();
        let mut message = f.path.join(" → ");
        if f.path.len() > MAX_FLOW_LOCATIONS {
            message = format!(
                "{} hops; the first {MAX_FLOW_LOCATIONS} are shown",
                f.path.len()
            );
        }
        vec![CodeFlow {
            message: Text { text: message },
            thread_flows: vec![ThreadFlow { locations }],
        }]
    };
    SarifResult {
        rule_id: f.rule_id.clone(),
        rule_index,
        level: level(f.severity),
        message: Text { text },
        locations: vec![ResultLocation {
            physical_location: physical(loc, options),
            logical_locations: f
                .resources
                .first()
                .map(|a| LogicalLocation {
                    fully_qualified_name: a.clone(),
                    kind: "resource",
                })
                .into_iter()
                .collect(),
        }],
        partial_fingerprints: BTreeMap::from([(FINGERPRINT_KEY, fingerprint(f))]),
        baseline_state: f.baseline.map(crate::rules::Baseline::as_str),
        code_flows,
    }
}

fn run_id(options: &RenderOptions) -> String {
    format!("tfvpc/{}", options.source_prefix)
}

/// Writes the SARIF log: one run, pretty-printed, with a trailing newline.
pub fn write(
    analysis: &Analysis<'_>,
    options: &RenderOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    let rules = rule_entries(&analysis.findings);
    let index: BTreeMap<&str, usize> = rules
        .iter()
        .enumerate()
        .map(|(i, r)| (r.id.as_str(), i))
        .collect();
    let findings = sorted_findings(analysis);
    let total = findings.len();
    // Made and printed on all threads (thousands on a large plan), in order.
    let results: Vec<Vec<u8>> = findings
        .par_iter()
        .take(MAX_RESULTS)
        .map(|(f, loc)| {
            let i = index.get(f.rule_id.as_str()).copied().unwrap_or(0);
            rendered(&result(f, loc.as_ref(), i, analysis, options))
        })
        .collect::<io::Result<_>>()?;

    let mut keep = results.len();
    loop {
        let mut notes: Vec<Notification> = analysis
            .notes
            .iter()
            .map(|n| Notification {
                level: "note",
                message: Text { text: n.clone() },
            })
            .collect();
        if keep < total {
            notes.push(Notification {
                level: "warning",
                message: Text {
                    text: format!(
                        "Only the {keep} most severe of {total} findings are in this file \
                         (GitHub code scanning limits); run tfvpc with --format json for all."
                    ),
                },
            });
        }
        let kept = results.get(..keep).unwrap_or(&results);
        let log = Log {
            schema: SCHEMA,
            version: "2.1.0",
            runs: vec![Run {
                tool: Tool {
                    driver: Driver {
                        name: "tfvpc",
                        version: &options.tool_version,
                        semantic_version: &options.tool_version,
                        information_uri: INFORMATION_URI,
                        rules: rules.iter().map(rule).collect(),
                    },
                },
                automation_details: AutomationDetails {
                    id: run_id(options),
                },
                original_uri_base_ids: BTreeMap::from([(
                    SRCROOT,
                    BaseId {
                        description: Text {
                            text: "The repository root: the directory tfvpc ran in.".to_string(),
                        },
                    },
                )]),
                invocations: vec![Invocation {
                    execution_successful: true,
                    tool_execution_notifications: notes,
                }],
                results: [],
            }],
        };
        // The log around the results is small: printed into a buffer, measured with the
        // results, then written with the results in their place.
        let frame = serde_json::to_vec_pretty(&log)?;
        let open = frame
            .windows(EMPTY_RESULTS.len())
            .position(|w| w == EMPTY_RESULTS)
            .map(|at| at + EMPTY_RESULTS.len() - 1)
            .ok_or_else(|| io::Error::other("SARIF: no results array in the log"))?;
        let (head, tail) = frame.split_at(open);
        // What the printer writes for a non-empty array: each element on a line of its
        // own after a comma (the first without), then the closing bracket on its own line.
        let size = 1
            + frame.len()
            + match kept.len() {
                0 => 0,
                n => {
                    kept.iter()
                        .map(|r| 1 + RESULT_INDENT.len() + r.len())
                        .sum::<usize>()
                        + (n - 1)
                        + 1
                        + CLOSE_INDENT.len()
                }
            };
        if size <= MAX_BYTES || keep == 0 {
            out.write_all(head)?;
            for (n, r) in kept.iter().enumerate() {
                out.write_all(if n == 0 { b"\n" } else { b",\n" })?;
                out.write_all(RESULT_INDENT)?;
                out.write_all(r)?;
            }
            if !kept.is_empty() {
                out.write_all(b"\n")?;
                out.write_all(CLOSE_INDENT)?;
            }
            out.write_all(tail)?;
            return out.write_all(b"\n");
        }
        // Too big: keep the most severe half and say so.
        keep /= 2;
    }
}

/// The results array as the log is printed with it empty.
const EMPTY_RESULTS: &[u8] = b"\"results\": []";
/// The indentation of the results array's closing bracket: `$.runs[0]`'s keys, three levels.
const CLOSE_INDENT: &[u8] = b"      ";
/// How deep a result stands in the log (`$.runs[0].results[i]`): four levels of two spaces.
const RESULT_INDENT: &[u8] = b"        ";

/// A result pretty-printed as the whole log's printer prints it in place: printed on its
/// own, then each line after the first indented by its depth (JSON strings hold no raw
/// newline, so every newline is the printer's).
fn rendered(r: &SarifResult) -> io::Result<Vec<u8>> {
    let mut flat = Vec::new();
    serde_json::to_writer_pretty(&mut flat, r)?;
    let lines = flat.iter().filter(|&&b| b == b'\n').count();
    let mut text = Vec::with_capacity(flat.len() + lines * RESULT_INDENT.len());
    for part in flat.split_inclusive(|&b| b == b'\n') {
        text.extend_from_slice(part);
        if part.last() == Some(&b'\n') {
            text.extend_from_slice(RESULT_INDENT);
        }
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    #[test]
    fn uris_are_percent_encoded() {
        assert_eq!(
            super::uri_path("infra/my env/main.tf"),
            "infra/my%20env/main.tf"
        );
        assert_eq!(super::uri_path("a/é.tf"), "a/%C3%A9.tf");
    }
}
