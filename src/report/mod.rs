//! Reports: JSON, SARIF and markdown renderings of an analysis, the `.tf` source locator,
//! GitHub workflow annotations and the atomic file writer.
//!
//! Reporters format; they never decide (severities, verdicts and messages come from
//! `rules/` and `analysis/`). They write to `&mut dyn Write` and never print. Every string
//! that comes from the plan is treated as untrusted and escaped for the format at hand.

pub mod annotations;
mod escape;
pub mod json;
pub mod markdown;
pub mod output;
pub mod sarif;
pub mod source;

use std::collections::BTreeMap;
use std::io::{self, Write};

pub mod model_json;

use crate::analysis::{Change, PathResult, Reachability};
use crate::model::Network;
use crate::rules::{self, Finding, RuleMeta, Severity};

/// A resource's place in the `.tf` sources, relative to the source directory.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Location {
    /// Relative path with `/` separators; never absolute, never `..`.
    pub file: String,
    pub line: u32,
}

/// A finding and where it is declared.
pub type LocatedFinding = (Finding, Option<Location>);

/// Everything a report shows.
pub struct Analysis<'a> {
    pub network: &'a Network,
    pub findings: Vec<(Finding, Option<Location>)>,
    pub reachability: Reachability,
    pub changes: Vec<Change>,
    /// `internet → workload` answers the plan changes (security groups included).
    pub exposure_changes: Vec<Change>,
    /// What the internet reaches (or may reach) of the planned workloads
    /// ([`crate::pipeline::Outcome::exposure`]).
    pub exposure: Vec<PathResult>,
    /// Where the hops of findings' paths are declared (SARIF `codeFlows`), by address.
    pub hop_locations: BTreeMap<String, Location>,
    /// Things the report should admit to (e.g. a `.tf` file that did not parse).
    pub notes: Vec<String>,
    /// Findings left out because the prior state already has them (`--only-new`).
    pub left_out: usize,
}

/// Facts about the run that are not part of the analysis.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RenderOptions {
    /// The tool version (`CARGO_PKG_VERSION`; snapshot tests redact it).
    pub tool_version: String,
    /// The source directory relative to the repository root (the working directory), with a
    /// trailing `/`, or empty. Prefixed to every file in SARIF and annotations so GitHub
    /// finds the file; also names the run (`automationDetails.id`).
    pub source_prefix: String,
    /// Where a SARIF result points when its finding has no location: GitHub rejects a
    /// whole upload for one result without a location.
    pub fallback_location: Location,
}

impl Default for RenderOptions {
    fn default() -> Self {
        RenderOptions {
            tool_version: env!("CARGO_PKG_VERSION").to_string(),
            source_prefix: String::new(),
            fallback_location: Location {
                file: "main.tf".to_string(),
                line: 1,
            },
        }
    }
}

/// The three report formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Json,
    Sarif,
    Markdown,
}

/// Renders the analysis in one format.
pub fn render(
    format: Format,
    analysis: &Analysis<'_>,
    options: &RenderOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        Format::Json => json::write(analysis, options, out),
        Format::Sarif => sarif::write(analysis, options, out),
        Format::Markdown => markdown::write(analysis, options, out),
    }
}

/// Findings most severe first, then by rule, resources and message: the order every
/// format shows them in.
pub(crate) fn sorted_findings<'x>(
    analysis: &'x Analysis<'_>,
) -> Vec<&'x (Finding, Option<Location>)> {
    let mut v: Vec<_> = analysis.findings.iter().collect();
    v.sort_by(|(a, la), (b, lb)| {
        (a.severity, &a.rule_id, &a.resources, &a.message, la).cmp(&(
            b.severity,
            &b.rule_id,
            &b.resources,
            &b.message,
            lb,
        ))
    });
    v
}

/// Counts of findings by severity: (errors, warnings, notes).
pub(crate) fn counts(analysis: &Analysis<'_>) -> (usize, usize, usize) {
    let n = |s: Severity| {
        analysis
            .findings
            .iter()
            .filter(|(f, _)| f.severity == s)
            .count()
    };
    (n(Severity::Error), n(Severity::Warning), n(Severity::Note))
}

/// A rule as reports describe it: from the catalog, or synthesized for a user intent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct RuleEntry {
    pub id: String,
    pub name: String,
    pub severity: Severity,
    pub summary: String,
    pub help: String,
    pub tags: Vec<String>,
    /// A user intent from the policy file rather than a built-in rule.
    pub intent: bool,
}

impl RuleEntry {
    fn from_meta(m: &RuleMeta) -> Self {
        RuleEntry {
            id: m.id.to_string(),
            name: m.name.to_string(),
            severity: m.severity,
            summary: m.summary.to_string(),
            help: m.help.to_string(),
            tags: m.tags.iter().map(|t| t.to_string()).collect(),
            intent: false,
        }
    }

    /// Whether this is a security rule (the 2xx range, or a user intent about exposure).
    pub fn is_security(&self) -> bool {
        self.intent || (self.id.starts_with("TFVPC2") && self.id.len() == 8)
    }
}

/// Every catalog rule, plus one synthesized entry per rule ID of a finding that the
/// catalog does not hold (user intents), sorted by ID.
pub(crate) fn rule_entries(findings: &[(Finding, Option<Location>)]) -> Vec<RuleEntry> {
    let mut by_id: BTreeMap<String, RuleEntry> = rules::catalog()
        .iter()
        .map(|m| (m.id.to_string(), RuleEntry::from_meta(m)))
        .collect();
    for (f, _) in findings {
        match by_id.get_mut(&f.rule_id) {
            Some(e) if e.intent => e.severity = e.severity.min(f.severity),
            Some(_) => {}
            None => {
                let builtin = f.rule_id.starts_with("TFVPC");
                let entry = if builtin {
                    // A built-in ID this build's catalog does not describe.
                    RuleEntry {
                        id: f.rule_id.clone(),
                        name: f.rule_id.clone(),
                        severity: f.severity,
                        summary: format!("tfvpc rule {}", f.rule_id),
                        help: format!("Run `tfvpc explain {}` for this rule's help.", f.rule_id),
                        tags: Vec::new(),
                        intent: false,
                    }
                } else {
                    RuleEntry {
                        id: f.rule_id.clone(),
                        name: f.rule_id.clone(),
                        severity: f.severity,
                        summary: format!("Intent `{}` from the policy file", f.rule_id),
                        help: format!(
                            "`{}` is one of your own intents (the `--policy` file, \
                             `tfvpc.toml` by default). It fires when the planned network \
                             breaks what the intent states; the message names the path and \
                             the hop that makes the difference.",
                            f.rule_id
                        ),
                        tags: vec!["intent".to_string(), "security".to_string()],
                        intent: true,
                    }
                };
                by_id.insert(f.rule_id.clone(), entry);
            }
        }
    }
    by_id.into_values().collect()
}

/// Attaches a `.tf` location to each finding (its first resource), and locates every hop
/// of the findings' paths for SARIF `codeFlows`.
/// What `tfvpc:ignore` comments did in a run.
#[derive(Debug, Default)]
pub struct Ignored {
    /// Each comment's rule that hid findings, with how many.
    pub used: Vec<(source::Ignore, usize)>,
    /// Each comment's rule that hid nothing: the finding is gone, or the ID is wrong.
    pub unused: Vec<source::Ignore>,
}

/// Hides each finding whose primary resource's block (or the module call it points at)
/// carries a `tfvpc:ignore` comment naming its rule.
pub fn apply_ignores(
    findings: Vec<Finding>,
    locator: &mut source::SourceLocator,
) -> (Vec<Finding>, Ignored) {
    let all = locator.all_ignores();
    if all.is_empty() {
        return (findings, Ignored::default());
    }
    let mut hid: BTreeMap<source::Ignore, usize> = BTreeMap::new();
    let kept = findings
        .into_iter()
        .filter(|f| {
            let Some(primary) = f.resources.first() else {
                return true;
            };
            match locator
                .ignores_at(primary)
                .into_iter()
                .find(|i| i.rule == f.rule_id)
            {
                Some(i) => {
                    *hid.entry(i).or_default() += 1;
                    false
                }
                None => true,
            }
        })
        .collect();
    let unused = all.into_iter().filter(|i| !hid.contains_key(i)).collect();
    (
        kept,
        Ignored {
            used: hid.into_iter().collect(),
            unused,
        },
    )
}

pub fn locate(
    findings: Vec<Finding>,
    locator: &mut source::SourceLocator,
) -> (Vec<LocatedFinding>, BTreeMap<String, Location>) {
    use rayon::prelude::*;
    /// One lookup: a hop (looked up once, the first time a finding names it), or the first
    /// resource of a finding, or its absence.
    enum Ask<'f> {
        Hop(&'f str),
        Resource(Option<&'f str>),
    }
    // The lookups in the order the findings make them (thousands of findings share their
    // hops: recognised by borrowed name); their keys made on all threads; then looked up
    // in that order, as the locator reads and caches the sources.
    let mut seen: rustc_hash::FxHashSet<&str> = rustc_hash::FxHashSet::default();
    let mut asks: Vec<Ask<'_>> = Vec::new();
    for f in &findings {
        asks.extend(
            f.path
                .iter()
                .filter(|hop| seen.insert(hop.as_str()))
                .map(|hop| Ask::Hop(hop)),
        );
        asks.push(Ask::Resource(f.resources.first().map(String::as_str)));
    }
    let keys: Vec<Option<source::LookupKey>> = asks
        .par_iter()
        .map(|a| match a {
            Ask::Hop(x) | Ask::Resource(Some(x)) => Some(source::lookup_key(x)),
            Ask::Resource(None) => None,
        })
        .collect();
    let mut hops = BTreeMap::new();
    let mut locs: Vec<Option<Location>> = Vec::with_capacity(findings.len());
    for (a, k) in asks.iter().zip(&keys) {
        let found = match k {
            Some(k) => locator.locate_key(k),
            None => locator.first_file(""),
        };
        match a {
            Ask::Hop(hop) => {
                if let Some(l) = found {
                    hops.insert((*hop).to_string(), l);
                }
            }
            Ask::Resource(_) => locs.push(found),
        }
    }
    (findings.into_iter().zip(locs).collect(), hops)
}
