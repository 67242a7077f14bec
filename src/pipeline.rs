//! The analysis pipeline, from a built network to everything a report shows: reachability
//! of both models, what changes between them, and the findings. Shared by the CLI and the
//! tests so both run exactly the same steps. Never reads files, never prints.

use crate::analysis::{self, Change, Reachability, Scope};
use crate::model::Network;
use crate::rules::{self, Date, Finding, Policy};

/// Above this many subnets (in the larger of the two models), `analyze` without
/// `--reachability` computes only external reachability for markdown and SARIF: all pairs
/// grow with the square of the subnets (20,000 subnets are 400 million pairs per family).
pub const AUTO_ALL_MAX_SUBNETS: usize = 500;

/// The scope `analyze` uses when `--reachability` is not given: `all`, except for markdown
/// and SARIF reports of networks above [`AUTO_ALL_MAX_SUBNETS`] subnets, which get
/// `external`. `keep_all` (the JSON report, whose contract lists every pair unless
/// `--reachability` narrows it) always gets `all`. Returns the scope and, when it was
/// narrowed, a note for the report saying so.
pub fn default_scope(network: &Network, keep_all: bool) -> (Scope, Option<String>) {
    let subnets = network
        .before
        .subnets
        .len()
        .max(network.after.subnets.len());
    if keep_all || subnets <= AUTO_ALL_MAX_SUBNETS {
        return (Scope::All, None);
    }
    // Short: markdown shows notes up to 200 characters.
    let note = format!(
        "Subnet pairs not computed ({subnets} subnets, over {AUTO_ALL_MAX_SUBNETS}): only \
         internet, service and VPN paths, so TFVPC109/110 and intents saw only those. \
         Use --reachability all."
    );
    (Scope::External, Some(note))
}

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
    let findings = rules::check_plan(network, &after, &changes, policy, today);
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
