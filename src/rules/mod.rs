//! Rules: the built-in catalog (one file per rule) and the user's own intents, turned into
//! [`Finding`]s people act on.
//!
//! Rules read the model and the reachability and return evidence; one function per rule
//! renders the message. This module never reads plan JSON, never formats a report, never
//! prints and never reads the clock: the date suppressions expire against is passed in.
//!
//! Layout: [`codes`] is the table of every rule ID; each rule lives in its own file named for
//! what it finds; [`policy`] loads `tfvpc.toml` (segments, intents, suppressions, overrides);
//! [`intents`] checks the user's intents; [`helpers`] holds the model look-ups rules share.

use rayon::prelude::*;
use rustc_hash::FxHashSet as HashSet;

use crate::analysis::{Change, DropKind, PathResult, Reachability};
use crate::model::{Model, Network};

pub mod codes;
pub mod glob;
pub mod helpers;
pub mod intents;
pub mod policy;
#[doc(hidden)]
pub mod testkit;

// The catalog, one file per rule, named for what it finds.
pub mod admin_ports_open_to_internet;
pub mod api_gateway_cache_ttl_out_of_range;
pub mod asymmetric_path;
pub mod blackhole_route;
pub mod data_service_open_to_internet;
pub mod dns64_without_nat64_route;
pub mod duplicate_route;
pub mod eice_cannot_reach_targets;
pub mod eigw_ipv4_destination;
pub mod eks_api_open_to_internet;
pub mod endpoint_service_open_to_any_account;
pub mod gateway_endpoint_unsupported_service;
pub mod gateway_endpoint_without_route_tables;
pub mod gateway_in_other_vpc;
pub mod interface_endpoint_single_az;
pub mod ipv6_subnet_exposed_to_internet;
pub mod lb_cannot_reach_targets;
pub mod lb_in_private_subnet;
pub mod lb_target_zone_not_enabled;
pub mod nacl_blocks_return_traffic;
pub mod nacl_rule_shadowed;
pub mod nat_gateway_cross_az;
pub mod nat_gateway_in_private_subnet;
pub mod nat_gateway_without_eip;
pub mod nat_instance_as_open_bastion;
pub mod peering_overlapping_cidrs;
pub mod plan_opens_cross_segment_path;
pub mod plan_opens_internet_ingress;
pub mod policy_checks;
pub mod private_subnet_internet_ingress;
pub mod s3_or_dynamodb_via_nat;
pub mod sg_deleted_while_in_use;
pub mod sg_reference_not_matched;
pub mod single_nat_gateway_for_many_azs;
pub mod tgw_appliance_mode_off;
pub mod tgw_attachment_single_az;
pub mod tgw_attachment_unused;
pub mod unused_route_table;
pub mod vpn_ecmp_needs_dynamic_routing;

pub use policy::{Date, Policy, PolicyError};

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

    /// Parses `error`, `warning` or `note`.
    pub fn parse(s: &str) -> Option<Severity> {
        match s {
            "error" => Some(Severity::Error),
            "warning" => Some(Severity::Warning),
            "note" => Some(Severity::Note),
            _ => None,
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
    /// The resources at fault, by Terraform address, each once; the first is the primary
    /// location.
    pub resources: Vec<String>,
    /// For reachability findings: the hop path that is evidence (SARIF `codeFlows`).
    pub path: Vec<String>,
    /// A short "how to fix".
    pub fix: Option<String>,
    /// Whether the prior state had this finding too ([`mark_baseline`]); `None` for a plan
    /// with no prior state, and for findings about the policy file itself.
    pub baseline: Option<Baseline>,
}

/// A finding of a plan over existing infrastructure, against the prior state: a rule (or an
/// intent) that also fires on the prior state, on the same resources, was there before
/// this plan.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Baseline {
    /// The prior state does not have it: this plan brings it.
    New,
    /// The prior state has it on the same first resource, but with other resources: this
    /// plan extends or narrows it (a route that now also blackholes another subnet).
    Updated,
    /// The prior state has it already, on the same resources.
    Unchanged,
}

impl Baseline {
    /// `new`, `updated` or `unchanged`, as SARIF's `baselineState` spells them.
    pub fn as_str(self) -> &'static str {
        match self {
            Baseline::New => "new",
            Baseline::Updated => "updated",
            Baseline::Unchanged => "unchanged",
        }
    }
}

impl Finding {
    /// A finding of a catalog rule at its default severity, with no path. A resource
    /// named twice is kept once, where it is first named.
    pub fn new(meta: &RuleMeta, message: String, resources: Vec<String>) -> Finding {
        let mut seen: HashSet<String> = HashSet::default();
        let resources = resources
            .into_iter()
            .filter(|r| seen.insert(r.clone()))
            .collect();
        Finding {
            rule_id: meta.id.to_string(),
            severity: meta.severity,
            message,
            resources,
            path: Vec::new(),
            fix: None,
            baseline: None,
        }
    }

    pub fn with_fix(mut self, fix: impl Into<String>) -> Finding {
        self.fix = Some(fix.into());
        self
    }

    pub fn with_path(mut self, path: Vec<String>) -> Finding {
        self.path = path;
        self
    }

    pub fn with_severity(mut self, severity: Severity) -> Finding {
        self.severity = severity;
        self
    }
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

/// What the rules and intents read of the subnet-to-subnet answers (external answers they
/// may all read), when every pair of a large network is computed in batches and not kept
/// ([`crate::analysis::streamed`]): what the intents match, and of each group of blocked
/// replies (a TFVPC109 or TFVPC110 finding) the first [`asymmetric_path::SHOWN`] pairs, the
/// others only counted. The pairs whose verdict the plan changes are kept by the diff.
pub struct PairInterest<'m> {
    intents: intents::Interest,
    replies: asymmetric_path::Tallier<'m>,
}

impl<'m> PairInterest<'m> {
    /// For the answers of model `m` (`network.after`, or `network.before` for
    /// [`check_prior`]).
    pub fn new(m: &'m Model, policy: &Policy) -> PairInterest<'m> {
        let kinds: Vec<DropKind> = asymmetric_path::KINDS
            .map(|k| (asymmetric_path::META.id, k))
            .into_iter()
            .chain([(nacl_blocks_return_traffic::META.id, DropKind::NaclReturn)])
            .filter(|(id, _)| !policy.is_off(id))
            .map(|(_, k)| k)
            .collect();
        PairInterest {
            intents: intents::Interest::new(m, policy),
            replies: asymmetric_path::Tallier::new(m, kinds),
        }
    }
}

impl crate::analysis::Keep for PairInterest<'_> {
    fn keep(&mut self, r: &PathResult) -> bool {
        let first = self
            .replies
            .add(r)
            .is_some_and(|(_, n)| n <= asymmetric_path::SHOWN);
        first || self.intents.wants(r)
    }
    fn tallies(&mut self) -> crate::analysis::Tallies {
        self.replies.finish()
    }
}

/// What a rule reads: the plan's two networks, the planned model's reachability, the policy.
pub struct Ctx<'a> {
    pub network: &'a Network,
    /// The planned model (`network.after`).
    pub model: &'a Model,
    /// The model the plan starts from (`network.before`).
    pub before: &'a Model,
    /// What the plan changes, by address, sorted (`network.changed`).
    pub changed: &'a [(crate::model::Address, crate::model::Action)],
    /// What the plan replaces by deleting it first, sorted (`network.destroy_first`).
    pub destroy_first: &'a [crate::model::Address],
    /// Reachability of the planned model; empty when it was not computed.
    pub reach: &'a Reachability,
    pub policy: &'a Policy,
    /// Pairs whose verdict the plan changes; empty when the diff was not computed.
    pub changes: &'a [Change],
    /// `internet → workload` answers the plan changes ([`crate::analysis::exposure_changes`]).
    pub exposure_changes: &'a [Change],
}

impl<'a> Ctx<'a> {
    pub fn new(network: &'a Network, reach: &'a Reachability, policy: &'a Policy) -> Ctx<'a> {
        Ctx {
            network,
            model: &network.after,
            before: &network.before,
            changed: &network.changed,
            destroy_first: &network.destroy_first,
            reach,
            policy,
            changes: &[],
            exposure_changes: &[],
        }
    }

    /// The prior state as a plan that changes nothing: its model is both sides, nothing is
    /// changed, `reach` is its reachability. What the rules find here was there before.
    pub fn prior(network: &'a Network, reach: &'a Reachability, policy: &'a Policy) -> Ctx<'a> {
        Ctx {
            network,
            model: &network.before,
            before: &network.before,
            changed: &[],
            destroy_first: &[],
            reach,
            policy,
            changes: &[],
            exposure_changes: &[],
        }
    }

    /// The same context, with the plan's reachability changes for the rules that read them.
    pub fn with_changes(self, changes: &'a [Change]) -> Ctx<'a> {
        Ctx { changes, ..self }
    }

    /// The same context, with the plan's changes to what the internet reaches of workloads.
    pub fn with_exposure_changes(self, exposure_changes: &'a [Change]) -> Ctx<'a> {
        Ctx {
            exposure_changes,
            ..self
        }
    }
}

/// The catalog, sorted by ID.
pub fn catalog() -> Vec<&'static RuleMeta> {
    codes::RULES.iter().map(|r| r.meta).collect()
}

/// Looks one rule up by ID (case-insensitive).
pub fn rule(id: &str) -> Option<&'static RuleMeta> {
    codes::RULES
        .iter()
        .map(|r| r.meta)
        .find(|m| m.id.eq_ignore_ascii_case(id))
}

/// Runs every enabled rule and every intent over the network and its planned reachability,
/// applies the policy's overrides and suppressions, and returns the findings deduplicated
/// and sorted by (severity, rule, first resource, message).
///
/// `today` is the date suppressions expire against (the CLI passes the real date).
pub fn check(
    network: &Network,
    after: &Reachability,
    policy: &Policy,
    today: Date,
) -> Vec<Finding> {
    check_plan(network, after, &[], policy, today)
}

/// [`check`], plus the rules that read what the plan changes (`changes`, from
/// `analysis::changes`).
pub fn check_plan(
    network: &Network,
    after: &Reachability,
    changes: &[Change],
    policy: &Policy,
    today: Date,
) -> Vec<Finding> {
    check_plan_with(network, after, changes, &[], policy, today)
}

/// [`check_plan`], with the changes to what the internet reaches of workloads too.
pub fn check_plan_with(
    network: &Network,
    after: &Reachability,
    changes: &[Change],
    exposure_changes: &[Change],
    policy: &Policy,
    today: Date,
) -> Vec<Finding> {
    let ctx = Ctx::new(network, after, policy)
        .with_changes(changes)
        .with_exposure_changes(exposure_changes);
    let per_rule: Vec<Vec<Finding>> = codes::RULES
        .par_iter()
        .filter(|r| !policy.is_off(r.meta.id))
        .map(|r| (r.check)(&ctx))
        .collect();
    let mut findings: Vec<Finding> = per_rule.into_iter().flatten().collect();
    // What only data sources read is another configuration's to change (a table no subnet
    // of this plan uses, a route to a gateway no data source reads): not reported here.
    findings.retain(|f| {
        f.resources.is_empty()
            || !f
                .resources
                .iter()
                .all(|r| crate::plan::address::is_data_source(r))
    });
    findings.extend(intents::check(&ctx));
    for f in &mut findings {
        if let Some(sev) = policy.severity_override(&f.rule_id) {
            f.severity = sev;
        }
    }
    let outcome = policy.apply_suppressions(findings, today);
    let mut findings = outcome.kept;
    // The policy's own problems (unknown IDs, expired or unused suppressions) are findings
    // too; they can be turned off or re-graded but not suppressed by address.
    findings.extend(
        policy_checks::check(policy, today, &outcome.used)
            .into_iter()
            .filter(|f| !policy.is_off(&f.rule_id))
            .map(|mut f| {
                if let Some(sev) = policy.severity_override(&f.rule_id) {
                    f.severity = sev;
                }
                f
            }),
    );
    sort_dedup(&mut findings);
    findings
}

/// What the rules and intents find in the prior state, as if the plan changed nothing
/// ([`Ctx::prior`]): every enabled rule and intent, before severity overrides and
/// suppressions (only their rule and resources are compared, by [`mark_baseline`]).
/// `reach` is the prior model's reachability, of the same scope as the planned model's.
pub fn check_prior(network: &Network, reach: &Reachability, policy: &Policy) -> Vec<Finding> {
    let ctx = Ctx::prior(network, reach, policy);
    let per_rule: Vec<Vec<Finding>> = codes::RULES
        .par_iter()
        .filter(|r| !policy.is_off(r.meta.id))
        .map(|r| (r.check)(&ctx))
        .collect();
    let mut out: Vec<Finding> = per_rule.into_iter().flatten().collect();
    out.extend(intents::check(&ctx));
    out
}

/// Marks each finding against those of the prior state ([`check_prior`]): `Unchanged`
/// when one of the same rule names the same resources, `Updated` when one of the same
/// rule has the same first resource (the plan adds or removes others), else `New`.
/// Findings about the policy file itself (TFVPC001 to TFVPC004) are left unmarked.
pub fn mark_baseline(findings: &mut [Finding], prior: &[Finding]) {
    let same: HashSet<(&str, &[String])> = prior
        .iter()
        .map(|f| (f.rule_id.as_str(), f.resources.as_slice()))
        .collect();
    let first: HashSet<(&str, &str)> = prior
        .iter()
        .filter_map(|f| Some((f.rule_id.as_str(), f.resources.first()?.as_str())))
        .collect();
    let about_policy = [
        policy_checks::EXPIRED_SUPPRESSION.id,
        policy_checks::UNKNOWN_RULE_ID.id,
        policy_checks::UNUSED_SUPPRESSION.id,
        policy_checks::INTENT_SELECTS_NOTHING.id,
    ];
    for f in findings {
        if about_policy.contains(&f.rule_id.as_str()) {
            continue;
        }
        let state = if same.contains(&(f.rule_id.as_str(), f.resources.as_slice())) {
            Baseline::Unchanged
        } else if f
            .resources
            .first()
            .is_some_and(|r| first.contains(&(f.rule_id.as_str(), r.as_str())))
        {
            Baseline::Updated
        } else {
            Baseline::New
        };
        f.baseline = Some(state);
    }
}

/// Sorts by (severity, rule, first resource, message) and drops exact duplicates.
pub fn sort_dedup(findings: &mut Vec<Finding>) {
    findings.sort_by(|a, b| {
        (
            a.severity,
            &a.rule_id,
            a.resources.first(),
            &a.message,
            &a.resources,
            &a.path,
        )
            .cmp(&(
                b.severity,
                &b.rule_id,
                b.resources.first(),
                &b.message,
                &b.resources,
                &b.path,
            ))
    });
    findings.dedup();
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    fn finding(rule: &str, resources: &[&str]) -> Finding {
        Finding {
            rule_id: rule.to_string(),
            severity: Severity::Warning,
            message: format!("{rule} on {resources:?}"),
            resources: resources.iter().map(|r| r.to_string()).collect(),
            path: Vec::new(),
            fix: None,
            baseline: None,
        }
    }

    #[test]
    fn findings_are_marked_against_the_prior_states_by_rule_and_resources() {
        let prior = [
            finding("TFVPC401", &["aws_subnet.a", "aws_nat_gateway.n"]),
            finding("TFVPC203", &["aws_security_group.web", "aws_instance.a"]),
            finding("TFVPC001", &[]),
        ];
        let mut now = vec![
            // The same rule on the same resources, whatever the message says now.
            Finding {
                message: "reworded".to_string(),
                ..finding("TFVPC401", &["aws_subnet.a", "aws_nat_gateway.n"])
            },
            // Same rule and first resource, one more workload.
            finding(
                "TFVPC203",
                &["aws_security_group.web", "aws_instance.a", "aws_instance.b"],
            ),
            // Another rule on the same resources.
            finding("TFVPC302", &["aws_subnet.a", "aws_nat_gateway.n"]),
            // About the policy file: never marked.
            finding("TFVPC001", &[]),
        ];
        mark_baseline(&mut now, &prior);
        let marks: Vec<Option<Baseline>> = now.iter().map(|f| f.baseline).collect();
        assert_eq!(
            marks,
            [
                Some(Baseline::Unchanged),
                Some(Baseline::Updated),
                Some(Baseline::New),
                None
            ]
        );
        // With nothing before, everything is new.
        let mut again = vec![finding("TFVPC401", &["aws_subnet.a"])];
        mark_baseline(&mut again, &[]);
        assert_eq!(again[0].baseline, Some(Baseline::New));
    }
}
