//! Rules: the built-in catalog (one file per rule) and the user's own intents, turned into
//! [`Finding`]s people act on.
//!
//! Rules read the model and the reachability and return evidence; one function renders the
//! message. This module never reads plan JSON and never formats a report.

use crate::analysis::Reachability;
use crate::model::Network;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    // Ordered most severe first, so sorting puts errors on top.
    Error,
    Warning,
    Note,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        }
    }
}

/// One finding: a rule (or a user intent) that fires on some resources.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    /// `TFVPC101`, or a user intent's own ID.
    pub rule_id: String,
    pub severity: Severity,
    /// Names the resources, says what happens, and what to change.
    pub message: String,
    /// The resources at fault, by Terraform address; the first is the primary location.
    pub resources: Vec<String>,
    /// For reachability findings: the hop path that is evidence (SARIF `codeFlows`).
    pub path: Vec<String>,
    /// A short "how to fix".
    pub fix: Option<String>,
}

/// A rule's catalog entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleMeta {
    pub id: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    /// One line: what the rule finds.
    pub summary: &'static str,
    /// Long help in markdown: what it checks, why it matters, an HCL example of the fix,
    /// the AWS fact behind it.
    pub help: &'static str,
    pub tags: &'static [&'static str],
}

/// The catalog, sorted by ID.
pub fn catalog() -> &'static [RuleMeta] {
    &[]
}

/// Runs every enabled rule over the network and its planned reachability.
pub fn check(_network: &Network, _after: &Reachability) -> Vec<Finding> {
    Vec::new()
}
