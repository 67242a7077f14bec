//! The analysis pipeline, from a built network to everything a report shows: reachability
//! of both models, what changes between them, and the findings. Shared by the CLI and the
//! tests so both run exactly the same steps. Never reads files, never prints.

use crate::analysis::{self, Change, Reachability, Scope};
use crate::model::Network;
use crate::rules::{self, Date, Finding, Policy};

/// What one analysis of a plan produces.
pub struct Outcome {
    /// Reachability of the planned network.
    pub after: Reachability,
    /// Pairs whose verdict differs between the prior and the planned network.
    pub changes: Vec<Change>,
    pub findings: Vec<Finding>,
    /// What the report must admit about the input itself (e.g. an `errored: true` plan).
    pub notes: Vec<String>,
}

/// Runs reachability on both models, the diff, and every rule and intent.
pub fn run(network: &Network, policy: &Policy, scope: Scope, today: Date) -> Outcome {
    let (before, after) = rayon::join(
        || analysis::reachability(&network.before, scope),
        || analysis::reachability(&network.after, scope),
    );
    let changes = analysis::changes(network, &before, &after);
    let findings = rules::check(network, &after, policy, today);
    Outcome {
        after,
        changes,
        findings,
        notes: input_notes(network),
    }
}

/// Notes about the input that every report shows, so a partial answer never looks whole.
pub fn input_notes(network: &Network) -> Vec<String> {
    let mut notes = Vec::new();
    if network.input.errored {
        notes.push(
            "the plan is incomplete: Terraform reported errors while planning (`errored: true`), \
             so resources it did not reach are missing from this analysis"
                .to_string(),
        );
    }
    notes
}
