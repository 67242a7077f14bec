//! Network ACL evaluation: stateless, rules in ascending rule number, first match wins,
//! implicit deny at the end — computed for whole sets of flows at once.
//!
//! This module does not decide which NACLs a path crosses (that is the walker's job) and
//! does not look at security groups. A rule whose CIDR or whose match depends on a value
//! unknown at plan time makes the flows it would decide `undecided`, with the reason.

use crate::analysis::addr::{Addr, Cover};
use crate::analysis::ports::{Flow, Flows};
use crate::model::{Family, Nacl, NaclRule, UnplacedNaclRule};

/// Which rule list of a NACL applies.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Direction {
    /// Inbound: rule CIDRs match the packet's source.
    Ingress,
    /// Outbound: rule CIDRs match the packet's destination.
    Egress,
}

impl Direction {
    pub fn opposite(self) -> Direction {
        match self {
            Direction::Ingress => Direction::Egress,
            Direction::Egress => Direction::Ingress,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Ingress => "inbound",
            Direction::Egress => "outbound",
        }
    }
}

/// What a NACL lets through in one direction, towards or from one remote address.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NaclVerdict {
    pub allowed: Flows,
    /// Flows decided by a rule whose match is unknown at plan time.
    pub undecided: Flows,
    pub reason: Option<String>,
}

/// The NACL's rules of `dir` in rule number order, with the rules whose NACL is not known
/// (`unplaced`) that may be its.
fn rules<'a>(
    nacl: &'a Nacl,
    unplaced: &'a [UnplacedNaclRule],
    dir: Direction,
) -> Vec<&'a NaclRule> {
    let (list, egress) = match dir {
        Direction::Ingress => (&nacl.ingress, false),
        Direction::Egress => (&nacl.egress, true),
    };
    let mut v: Vec<&NaclRule> = list.iter().collect();
    v.extend(
        unplaced
            .iter()
            .filter(|u| {
                u.egress == egress && (u.among.is_empty() || u.among.contains(&nacl.meta.address))
            })
            .map(|u| &u.rule),
    );
    v.sort_by_key(|r| r.rule_number);
    v
}

/// Whether the rule's CIDR covers `remote`; a rule whose match is not known at plan time
/// (its ports, say) covers it perhaps at most.
fn cover(rule: &NaclRule, family: Family, remote: &Addr) -> Cover {
    match (remote.covered_by_block(&rule.cidr, family), &rule.unknown) {
        (Cover::Yes, Some(why)) => Cover::Maybe(why.as_str().into()),
        (c, _) => c,
    }
}

/// Every flow of `family` the NACL allows in `dir` for traffic whose remote end (source for
/// ingress, destination for egress) is `remote`. `unplaced`: the model's rules whose NACL
/// is not known.
pub fn evaluate(
    nacl: &Nacl,
    unplaced: &[UnplacedNaclRule],
    dir: Direction,
    family: Family,
    remote: &Addr,
) -> NaclVerdict {
    let mut remaining = Flows::all();
    let mut out = NaclVerdict::default();
    for rule in rules(nacl, unplaced, dir) {
        if remaining.is_empty() {
            break;
        }
        let c = cover(rule, family, remote);
        if c == Cover::No {
            continue;
        }
        let hit =
            Flows::of_rule(rule.protocol, rule.ports, rule.icmp, family).intersect(&remaining);
        if hit.is_empty() {
            continue;
        }
        match c {
            Cover::Yes => {
                if rule.allow {
                    out.allowed = out.allowed.union(&hit);
                }
            }
            Cover::Maybe(reason) => {
                out.undecided = out.undecided.union(&hit);
                if out.reason.is_none() {
                    out.reason = Some(if reason.starts_with(&format!("`{}`", rule.address)) {
                        reason.to_string()
                    } else {
                        format!("{} depends on it: {reason}", rule.address)
                    });
                }
            }
            Cover::No => {}
        }
        remaining = remaining.subtract(&hit);
    }
    out
}

/// How one flow fares: the first rule that matches it, or the implicit deny.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Decision<'a> {
    Allow(&'a NaclRule),
    Deny(&'a NaclRule),
    ImplicitDeny,
    Undecided(&'a NaclRule, std::sync::Arc<str>),
}

/// First-match evaluation of one flow, rule by rule.
pub fn decide<'a>(
    nacl: &'a Nacl,
    unplaced: &'a [UnplacedNaclRule],
    dir: Direction,
    family: Family,
    remote: &Addr,
    flow: Flow,
) -> Decision<'a> {
    for rule in rules(nacl, unplaced, dir) {
        if !flow.matches(rule.protocol, rule.ports, rule.icmp, family) {
            continue;
        }
        match cover(rule, family, remote) {
            Cover::No => continue,
            Cover::Maybe(r) => return Decision::Undecided(rule, r),
            Cover::Yes => {
                return if rule.allow {
                    Decision::Allow(rule)
                } else {
                    Decision::Deny(rule)
                }
            }
        }
    }
    Decision::ImplicitDeny
}
