//! The analysis pipeline, from a built network to everything a report shows: reachability
//! of both models, what changes between them, and the findings. Shared by the CLI and the
//! tests so both run exactly the same steps. Never reads files, never prints.

use crate::analysis::{self, Change, PathResult, Reachability, Scope, Verdict};
use crate::model::{InputKind, Model, Network};
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
         internet, service and VPN paths (and the pairs intents name), so TFVPC109/110 saw \
         only those. Use --reachability all."
    );
    (Scope::External, Some(note))
}

/// A heads-up for the user (stderr, not the report) when a JSON report will list every
/// pair of subnets of a network above [`AUTO_ALL_MAX_SUBNETS`] without having been asked:
/// the contract's default, but its answers grow with the square of the subnets (1,000
/// subnets: 2 million answers, 1.4 GB of JSON; 5,000 subnets: 50 million, tens of GB).
/// They are computed in batches and written as they come, so memory is not the limit;
/// time and disk are.
pub fn all_pairs_warning(network: &Network, scope_given: bool, json: bool) -> Option<String> {
    if scope_given || !json {
        return None;
    }
    let m = if network.after.subnets.len() >= network.before.subnets.len() {
        &network.after
    } else {
        &network.before
    };
    if m.subnets.len() <= AUTO_ALL_MAX_SUBNETS {
        return None;
    }
    // Ordered pairs per family, of the subnets that have it.
    let pairs = |n: usize| n.saturating_mul(n.saturating_sub(1));
    let v4 = m.subnets.iter().filter(|s| s.ipv4.is_some()).count();
    let v6 = m.subnets.iter().filter(|s| s.ipv6.is_some()).count();
    let answers = pairs(v4).saturating_add(pairs(v6));
    // ~680 bytes of pretty JSON per answer (the synth plans: 1.36 GB for 2 million).
    let gb = answers as f64 * 680.0 / 1e9;
    Some(format!(
        "{} subnets: the JSON report lists every pair of subnets ({answers} answers, roughly \
         {gb:.1} GB of JSON); pass --reachability external for internet, service and VPN \
         paths only",
        m.subnets.len(),
    ))
}

/// What one analysis of a plan produces.
pub struct Outcome {
    /// Reachability of the planned network.
    pub after: Reachability,
    /// Pairs whose verdict differs between the prior and the planned network.
    pub changes: Vec<Change>,
    /// `internet → workload` answers that differ ([`analysis::exposure_changes`]).
    pub exposure_changes: Vec<Change>,
    /// What the internet reaches (or may reach) of the planned network's workloads: its
    /// `internet → workload` answers that are not `blocked`, sorted. Empty when paths are
    /// not asked, or for a plan that creates more than [`EXPOSURE_LIST_MAX`] workloads.
    pub exposure: Vec<PathResult>,
    pub findings: Vec<Finding>,
    /// What the report must admit about the input itself (e.g. an `errored: true` plan).
    pub notes: Vec<String>,
}

/// Above this many subnets (in the larger model), every pair ([`Scope::All`]) is computed
/// batch by batch and not kept ([`analysis::streamed`]): 256 subnets are ~130,000 answers
/// per family, held in ~60 MB; 1,000 subnets held 2 million in ~900 MB, 5,000 subnets
/// would need tens of GB.
pub const STREAM_ABOVE_SUBNETS: usize = 256;

/// Runs reachability on both models, the diff, and every rule and intent.
pub fn run(network: &Network, policy: &Policy, scope: Scope, today: Date) -> Outcome {
    run_with(network, policy, scope, today, STREAM_ABOVE_SUBNETS)
}

/// [`run`], streaming every pair above `stream_above` subnets (tests set it low to check
/// that both ways give the same outcome).
pub fn run_with(
    network: &Network,
    policy: &Policy,
    scope: Scope,
    today: Date,
    stream_above: usize,
) -> Outcome {
    run_inner(network, policy, scope, today, stream_above, true)
}

/// [`run`] for a report that does not show [`Outcome::exposure`] (SARIF): for a plan that
/// creates its workloads, that list is not computed (it is empty).
pub fn run_without_created_exposure(
    network: &Network,
    policy: &Policy,
    scope: Scope,
    today: Date,
) -> Outcome {
    run_inner(network, policy, scope, today, STREAM_ABOVE_SUBNETS, false)
}

fn run_inner(
    network: &Network,
    policy: &Policy,
    scope: Scope,
    today: Date,
    stream_above: usize,
    list_created: bool,
) -> Outcome {
    let subnets = network
        .before
        .subnets
        .len()
        .max(network.after.subnets.len());
    // Findings are told apart from the prior state's when there is one: its reachability
    // (of the same scope) is kept for the rules.
    // A state file is no plan: its two sides are the same network, nothing to tell apart.
    let prior_state = network.input.kind == InputKind::Plan && starts_from_prior_state(network);
    let (after, changes, before) = if scope == Scope::All && subnets > stream_above {
        let mut keep = rules::PairInterest::new(&network.after, policy);
        let mut keep_prior = rules::PairInterest::new(&network.before, policy);
        analysis::streamed_with_prior(
            network,
            &mut keep,
            prior_state.then_some(&mut keep_prior as &mut dyn analysis::Keep),
            analysis::BATCH_ANSWERS,
        )
    } else {
        let (before, after) = rayon::join(
            || analysis::reachability(&network.before, scope),
            || analysis::reachability(&network.after, scope),
        );
        let changes = analysis::changes(network, &before, &after);
        (after, changes, before)
    };
    // What the internet reaches of each instance and interface, security groups
    // included: compared where both sides hold workloads (and paths are asked at all).
    let (exposure_changes, exposure) = if scope == Scope::None || network.after.workloads.is_empty()
    {
        (Vec::new(), Vec::new())
    } else if network.before.workloads.is_empty() {
        // Nothing to compare with: what the internet reaches is all new.
        let a = if list_created && network.after.workloads.len() <= EXPOSURE_LIST_MAX {
            analysis::exposure(&network.after)
        } else {
            Vec::new()
        };
        (Vec::new(), a)
    } else {
        let (b, a) = rayon::join(
            || analysis::exposure(&network.before),
            || analysis::exposure(&network.after),
        );
        (analysis::exposure_changes(network, &b, &a), a)
    };
    let exposure: Vec<PathResult> = exposure
        .into_iter()
        .filter(|r| r.verdict != Verdict::Blocked)
        .collect();
    let mut notes = input_notes(network);
    // What the prior state had already, as if the plan changed nothing: its rules and
    // intents see what the planned state's see (the intents' pairs too).
    let prior_findings = |before: Reachability| -> Vec<Finding> {
        if !prior_state {
            return Vec::new();
        }
        let before = if scope == Scope::External {
            with_intent_pairs(&network.before, policy, before).0
        } else {
            before
        };
        rules::check_prior(network, &before, policy)
    };
    let findings = if scope == Scope::External {
        // The subnet pairs the intents name are asked too (the rules see them; the report
        // lists what was asked).
        let ((with_pairs, skipped), prior) = rayon::join(
            || with_intent_pairs(&network.after, policy, after),
            || prior_findings(before),
        );
        notes.extend(skipped);
        let mut findings = rules::check_plan_with(
            network,
            &with_pairs,
            &changes,
            &exposure_changes,
            policy,
            today,
        );
        if prior_state {
            rules::mark_baseline(&mut findings, &prior);
        }
        let mut after = with_pairs;
        after.results.retain(analysis::is_external);
        return Outcome {
            after,
            changes,
            exposure_changes,
            exposure,
            findings,
            notes,
        };
    } else {
        let (mut findings, prior) = rayon::join(
            || rules::check_plan_with(network, &after, &changes, &exposure_changes, policy, today),
            || prior_findings(before),
        );
        if prior_state {
            rules::mark_baseline(&mut findings, &prior);
        }
        findings
    };
    Outcome {
        after,
        changes,
        exposure_changes,
        exposure,
        findings,
        notes,
    }
}

/// A plan that creates more workloads than this (and none before) gets no list of what the
/// internet reaches of them ([`Outcome::exposure`]): on plans of tens of thousands of
/// instances, that list would be the largest part of the run and of the report.
pub const EXPOSURE_LIST_MAX: usize = 5_000;

/// At most this many subnet pairs are asked for the intents when only external paths are
/// computed: ~1 GB of answers. An intent naming more is not checked, and the report says so.
pub const INTENT_PAIRS_MAX: usize = 1_000_000;

/// Whether the plan starts from existing infrastructure: its prior state holds something
/// the configuration manages (not only what its data sources read). Then each finding of a
/// plan (not of a state file) says whether the prior state had it already
/// ([`rules::mark_baseline`]).
pub fn starts_from_prior_state(network: &Network) -> bool {
    let mut managed = false;
    network.before.for_each_meta(|m| {
        // One is enough: the others are not looked at.
        if !managed {
            managed = !crate::plan::address::is_data_source(&m.address);
        }
    });
    managed
}

/// `external` answers of model `m` plus the subnet pairs the intents name (sorted), and a
/// note for each intent whose pairs were too many to ask.
fn with_intent_pairs(
    m: &Model,
    policy: &Policy,
    mut reach: Reachability,
) -> (Reachability, Vec<String>) {
    let wanted = rules::intents::subnet_pairs(m, policy);
    if wanted.is_empty() {
        return (reach, Vec::new());
    }
    let stream = analysis::Stream::new(m, false);
    let mut notes = Vec::new();
    let mut budget = INTENT_PAIRS_MAX;
    for (id, from, to) in &wanted {
        let count = |set: &[bool]| set.iter().filter(|&&b| b).count();
        let pairs = count(from).saturating_mul(count(to));
        if pairs > budget {
            notes.push(format!(
                "Intent {id} names {pairs} subnet pairs, more than the {INTENT_PAIRS_MAX} \
                 asked without --reachability all: not checked."
            ));
            continue;
        }
        budget -= pairs;
        reach.results.extend(stream.between(from, to));
    }
    // Two intents may name the same pair: its answer is kept once.
    fn key(r: &analysis::PathResult) -> (&str, &str, crate::model::Family) {
        (&r.from, &r.to, r.family)
    }
    reach.results.sort_by(|a, b| key(a).cmp(&key(b)));
    reach.results.dedup_by(|a, b| key(a) == key(b));
    (reach, notes)
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

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::analysis::testkit::Net;
    use crate::rules::testkit::network;

    fn with_subnets(n: usize) -> Network {
        let mut net = Net::new();
        let v = net.vpc("big", "10.0.0.0/8");
        for i in 0..n {
            let cidr = format!("10.{}.{}.0/24", i / 256, i % 256);
            net.subnet(&format!("s{i}"), v, &cidr, "eu-west-1a");
        }
        network(net.model())
    }

    #[test]
    fn a_json_report_of_every_pair_of_a_large_network_is_announced() {
        let big = with_subnets(AUTO_ALL_MAX_SUBNETS + 1);
        let w = all_pairs_warning(&big, false, true).unwrap();
        assert!(w.starts_with("501 subnets:"), "{w}");
        // 501 IPv4 subnets: 501 x 500 ordered pairs, no IPv6.
        assert!(
            w.contains("(250500 answers, roughly 0.2 GB of JSON)"),
            "{w}"
        );
        assert!(w.contains("--reachability external"), "{w}");
        assert!(!w.contains("  ") && !w.contains('\n'), "{w}");
        // Asked for explicitly, another format, or a network of the default's size: quiet.
        assert_eq!(all_pairs_warning(&big, true, true), None);
        assert_eq!(all_pairs_warning(&big, false, false), None);
        let small = with_subnets(AUTO_ALL_MAX_SUBNETS);
        assert_eq!(all_pairs_warning(&small, false, true), None);
    }
}
