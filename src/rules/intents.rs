//! User intents from `tfvpc.toml`: `deny` ("no path from A to B") and `require` ("A reaches
//! B, optionally via C"), checked against the planned model's reachability. A violation is a
//! finding carrying the intent's own ID and severity, with the offending path as evidence.
//!
//! Intents read only [`Reachability`](crate::analysis::Reachability) results and the model
//! (to resolve segments and `via`). A pair the engine did not compute is not a violation:
//! tfvpc cannot tell. An `unknown` verdict is a `note` that says so.

use std::collections::BTreeSet;

use crate::analysis::ports::Flows;
use crate::analysis::{PathResult, Query, QueryProtocol, Verdict};
use crate::model::{EndpointKind, Family, Model, PortRange};

use super::helpers::subnet_az;
use super::policy::{EndpointSel, Intent, IntentKind, IntentProtocol, Policy, Via};
use super::{Ctx, Finding, Severity};

/// Every intent's violations.
pub fn check(ctx: &Ctx<'_>) -> Vec<Finding> {
    ctx.policy
        .intents
        .iter()
        .filter(|i| !ctx.policy.is_off(&i.id))
        .flat_map(|i| match i.kind {
            IntentKind::Deny => check_deny(ctx, i),
            IntentKind::Require => check_require(ctx, i),
        })
        .collect()
}

/// The answers the intents read, told apart without reading the rest: when every pair of a
/// large network is computed in batches and not kept, these are kept.
pub struct Interest {
    intents: Vec<(Resolved, Resolved, Option<Family>, IntentKind)>,
}

impl Interest {
    pub fn new(m: &Model, policy: &Policy) -> Interest {
        Interest {
            intents: policy
                .intents
                .iter()
                .filter(|i| !policy.is_off(&i.id))
                .map(|i| {
                    (
                        Resolved::new(m, policy, &i.from),
                        Resolved::new(m, policy, &i.to),
                        i.family,
                        i.kind,
                    )
                })
                .collect(),
        }
    }

    /// Whether an intent reads `r`: a `deny` every answer it matches that is not blocked,
    /// a `require` every answer it matches.
    pub fn wants(&self, r: &PathResult) -> bool {
        self.intents.iter().any(|(from, to, family, kind)| {
            family.map_or(true, |f| f == r.family)
                && (*kind == IntentKind::Require || r.verdict != Verdict::Blocked)
                && from.matches(&r.from)
                && to.matches(&r.to)
        })
    }
}

/// The intents between subnets (both ends a segment or a subnet glob), each with the
/// subnets its ends select (by subnet index) and its ID: when only external paths are
/// computed (a large network), these pairs are asked too, so the intents still hold.
pub fn subnet_pairs(m: &Model, policy: &Policy) -> Vec<(String, Vec<bool>, Vec<bool>)> {
    let subnets = |sel: &EndpointSel| -> Option<Vec<bool>> {
        match sel {
            EndpointSel::Segment(_) | EndpointSel::Subnet(_) => {
                let r = Resolved::new(m, policy, sel);
                Some(
                    m.subnets
                        .iter()
                        .map(|s| r.matches(&s.meta.address))
                        .collect(),
                )
            }
            EndpointSel::Internet
            | EndpointSel::Service(_)
            | EndpointSel::Vpn(_)
            | EndpointSel::Workload(_) => None,
        }
    };
    policy
        .intents
        .iter()
        .filter(|i| !policy.is_off(&i.id))
        .filter_map(|i| Some((i.id.clone(), subnets(&i.from)?, subnets(&i.to)?)))
        .collect()
}

/// Endpoint names (as in reachability results) a selector stands for.
struct Resolved {
    /// Looked up for every answer a rule reads (millions on a large network): hashed.
    names: rustc_hash::FxHashSet<String>,
    sel: EndpointSel,
}

impl Resolved {
    fn new(m: &Model, policy: &Policy, sel: &EndpointSel) -> Resolved {
        let names: rustc_hash::FxHashSet<String> = match sel {
            EndpointSel::Internet => ["internet".to_string()].into_iter().collect(),
            EndpointSel::Service(s) => [format!("service:{s}")].into_iter().collect(),
            EndpointSel::Segment(name) => policy
                .segment_subnets(m, name)
                .into_iter()
                .map(|s| m.subnet(s).meta.address.clone())
                .collect(),
            EndpointSel::Subnet(g) => m
                .subnets
                .iter()
                .filter(|s| g.matches(&s.meta.address))
                .map(|s| s.meta.address.clone())
                .collect(),
            // Never a name in subnet-level answers: intents with a workload end read answers
            // of their own ([`workload_answers`]).
            EndpointSel::Vpn(_) | EndpointSel::Workload(_) => Default::default(),
        };
        Resolved {
            names,
            sel: sel.clone(),
        }
    }

    fn matches(&self, name: &str) -> bool {
        match &self.sel {
            EndpointSel::Vpn(g) => name.strip_prefix("vpn:").is_some_and(|a| g.matches(a)),
            _ => self.names.contains(name),
        }
    }
}

fn family_ok(i: &Intent, f: Family) -> bool {
    i.family.map_or(true, |x| x == f)
}

fn family_text(f: Family) -> &'static str {
    match f {
        Family::Ipv4 => "IPv4",
        Family::Ipv6 => "IPv6",
    }
}

/// Whether what passes an allowed answer of `family` (`all`, `tcp:443,udp:53`, …) holds a
/// `require` intent: every port it lists passes, or with none listed, some traffic of its
/// protocol does. A string this does not read holds it (nothing is claimed from it).
fn ports_met(i: &Intent, passes: &str, family: Family) -> bool {
    let Some(flows) = Flows::parse(passes.trim(), family).filter(|_| !passes.trim().is_empty())
    else {
        return true;
    };
    let ranges = match i.protocol {
        IntentProtocol::All => return !flows.is_empty(),
        IntentProtocol::Icmp => return !flows.icmp.is_empty(),
        IntentProtocol::Tcp => &flows.tcp,
        IntentProtocol::Udp => &flows.udp,
    };
    if i.ports.is_empty() {
        !ranges.is_empty()
    } else {
        i.ports.iter().all(|p| ranges.covers(*p))
    }
}

/// What a `require` intent asks to pass, as [`ports_met`] reads it: `tcp:5432`, `udp`, ….
fn wanted_text(i: &Intent) -> String {
    let proto = match i.protocol {
        IntentProtocol::All => return "any traffic".to_string(),
        IntentProtocol::Icmp => return "ICMP".to_string(),
        IntentProtocol::Tcp => "tcp",
        IntentProtocol::Udp => "udp",
    };
    if i.ports.is_empty() {
        return proto.to_string();
    }
    i.ports
        .iter()
        .map(|p| {
            if p.from == p.to {
                format!("{proto}:{}", p.from)
            } else {
                format!("{proto}:{}-{}", p.from, p.to)
            }
        })
        .collect::<Vec<_>>()
        .join(",")
}

/// Whether what passes (`all`, `tcp:443,udp:53`, …) includes some traffic the intent names.
fn ports_overlap(i: &Intent, passes: &str) -> bool {
    if passes.trim().is_empty() {
        return true;
    }
    passes.split(',').map(str::trim).any(|item| {
        if item == "all" {
            return true;
        }
        let (proto, range) = item.split_once(':').unwrap_or((item, "all"));
        let proto_ok = match i.protocol {
            IntentProtocol::All => true,
            IntentProtocol::Tcp => proto == "tcp" || proto == "all",
            IntentProtocol::Udp => proto == "udp" || proto == "all",
            IntentProtocol::Icmp => proto.starts_with("icmp") || proto == "all",
        };
        if !proto_ok {
            return false;
        }
        if i.ports.is_empty() || range == "all" {
            return true;
        }
        let (lo, hi) = range.split_once('-').unwrap_or((range, range));
        let (Ok(lo), Ok(hi)) = (lo.parse::<u16>(), hi.parse::<u16>()) else {
            return true;
        };
        i.ports
            .iter()
            .any(|p: &PortRange| p.from <= hi && lo <= p.to)
    })
}

fn resources_of(r: &PathResult) -> Vec<String> {
    let mut v = Vec::new();
    for name in [&r.to, &r.from] {
        if **name != *"internet" && !name.starts_with("service:") && !name.starts_with("vpn:") {
            v.push(name.to_string());
        }
    }
    if v.is_empty() {
        v.extend(
            r.path
                .iter()
                .find(|h| h.contains('.'))
                .map(|h| h.to_string()),
        );
    }
    v
}

fn lead(i: &Intent) -> String {
    match &i.message {
        Some(m) => format!("{} ({}): ", m.trim_end_matches('.'), i.id),
        None => format!("intent {}: ", i.id),
    }
}

fn hops(path: &[crate::analysis::Name]) -> String {
    if path.is_empty() {
        "no hop recorded".to_string()
    } else {
        path.join(" → ")
    }
}

/// At most this many workload questions are asked for one intent; past it, the intent is
/// not checked and a note says so.
pub const WORKLOAD_QUESTIONS_MAX: usize = 200_000;

/// The answers an intent with a workload end reads, instead of the subnet-level ones:
/// `tfvpc query` between each workload it selects and each endpoint of its other end, with
/// security groups and public IPv4 addresses, in every family both have; sorted like
/// reachability results. `None` for an intent without a workload end; `Err` with a note
/// when it would ask too many questions.
fn workload_answers(ctx: &Ctx<'_>, i: &Intent) -> Option<Result<Vec<PathResult>, Box<Finding>>> {
    let is_workload = |s: &EndpointSel| matches!(s, EndpointSel::Workload(_));
    if !is_workload(&i.from) && !is_workload(&i.to) {
        return None;
    }
    // No path asked at all (`--reachability none`): no intent is checked.
    if ctx.reach.none_asked {
        return Some(Ok(Vec::new()));
    }
    let m = ctx.model;
    let names = |sel: &EndpointSel| endpoint_names(m, ctx.policy, sel);
    let (from, to) = (names(&i.from), names(&i.to));
    // A deny intent on a protocol (and ports, ranges too) asks about that traffic only:
    // where the network is `unknown`, groups that drop it still answer `blocked`, not a
    // note that the intent cannot be confirmed.
    let (protocol, ports) = match (i.kind, i.protocol) {
        (IntentKind::Deny, IntentProtocol::Tcp) => (QueryProtocol::Tcp, i.ports.clone()),
        (IntentKind::Deny, IntentProtocol::Udp) => (QueryProtocol::Udp, i.ports.clone()),
        (IntentKind::Deny, IntentProtocol::Icmp) => (QueryProtocol::Icmp, Vec::new()),
        _ => (QueryProtocol::All, Vec::new()),
    };
    let asked = from.len().saturating_mul(to.len());
    if asked > WORKLOAD_QUESTIONS_MAX {
        return Some(Err(Box::new(Finding {
            rule_id: i.id.clone(),
            severity: Severity::Note,
            message: format!(
                "{}not checked: its ends select {} × {} endpoints ({asked} questions, more \
                 than {WORKLOAD_QUESTIONS_MAX}). Narrow its globs.",
                lead(i),
                from.len(),
                to.len()
            ),
            resources: Vec::new(),
            path: Vec::new(),
            fix: None,
            baseline: None,
        })));
    }
    let mut queries = Vec::with_capacity(asked);
    for f in &from {
        for t in to.iter().filter(|t| *t != f) {
            queries.push(Query {
                from: f.clone(),
                to: t.clone(),
                family: None,
                protocol,
                ports: ports.clone(),
            });
        }
    }
    let mut answers = crate::analysis::query_many(m, &queries);
    answers.sort_by(|a, b| (&a.from, &a.to, a.family).cmp(&(&b.from, &b.to, b.family)));
    Some(Ok(answers))
}

/// The endpoints an intent's end selects in model `m`, by the names `query` takes.
pub(super) fn endpoint_names(m: &Model, policy: &Policy, sel: &EndpointSel) -> Vec<String> {
    match sel {
        EndpointSel::Workload(g) => m
            .workloads
            .iter()
            .map(|w| &w.meta.address)
            .chain(
                m.endpoints
                    .iter()
                    .filter(|e| e.kind.has_interfaces())
                    .map(|e| &e.meta.address),
            )
            .chain(m.instance_connect_endpoints.iter().map(|e| &e.meta.address))
            .filter(|a| g.matches(a))
            .cloned()
            .collect(),
        EndpointSel::Internet => vec!["internet".to_string()],
        EndpointSel::Service(s) => vec![format!("service:{s}")],
        EndpointSel::Vpn(g) => m
            .vpn_connections
            .iter()
            .filter(|c| g.matches(&c.meta.address))
            .map(|c| format!("vpn:{}", c.meta.address))
            .collect(),
        EndpointSel::Segment(_) | EndpointSel::Subnet(_) => {
            let r = Resolved::new(m, policy, sel);
            let mut v: Vec<String> = r.names.into_iter().collect();
            v.sort();
            v
        }
    }
}

/// Whether an intent reads answers of its own ([`workload_answers`]): all of them are its
/// pairs.
fn workload_answers_apply(i: &Intent) -> bool {
    matches!(i.from, EndpointSel::Workload(_)) || matches!(i.to, EndpointSel::Workload(_))
}

/// The answers an intent reads: its own for a workload end, else the subnet-level ones.
fn answers_for<'r>(
    ctx: &'r Ctx<'_>,
    i: &Intent,
    own: &'r mut Vec<PathResult>,
) -> Result<&'r [PathResult], Box<Finding>> {
    match workload_answers(ctx, i) {
        None => Ok(&ctx.reach.results),
        Some(Ok(v)) => {
            *own = v;
            Ok(own)
        }
        Some(Err(note)) => Err(note),
    }
}

fn check_deny(ctx: &Ctx<'_>, i: &Intent) -> Vec<Finding> {
    let mut own = Vec::new();
    let results = match answers_for(ctx, i, &mut own) {
        Ok(r) => r,
        Err(note) => return vec![*note],
    };
    let workload_end = workload_answers_apply(i);
    let from = Resolved::new(ctx.model, ctx.policy, &i.from);
    let to = Resolved::new(ctx.model, ctx.policy, &i.to);
    results
        .iter()
        .filter(|r| {
            family_ok(i, r.family) && (workload_end || (from.matches(&r.from) && to.matches(&r.to)))
        })
        .filter_map(|r| {
            let (severity, what) = match r.verdict {
                Verdict::Blocked => return None,
                Verdict::Allowed if ports_overlap(i, &r.ports) => (
                    i.severity,
                    format!(
                        "`{}` can open {} connections to `{}` ({}), which this intent forbids",
                        r.from,
                        family_text(r.family),
                        r.to,
                        if r.ports.is_empty() { "all" } else { &r.ports }
                    ),
                ),
                Verdict::Allowed => return None,
                Verdict::Unknown => (
                    Severity::Note,
                    format!(
                        "whether `{}` can reach `{}` over {} is unknown at plan time ({}), so \
                         this intent cannot be confirmed",
                        r.from,
                        r.to,
                        family_text(r.family),
                        r.reason.trim_end_matches('.')
                    ),
                ),
            };
            // Through a load balancer, its listener and the target's registration are
            // hops too.
            let close = match crate::analysis::forwarded_through(r) {
                Some(lb) => format!(
                    "route, NACL, security group, or `{lb}`'s listener or target registration"
                ),
                None => "route, NACL or security group".to_string(),
            };
            Some(Finding {
                rule_id: i.id.clone(),
                severity,
                message: format!(
                    "{}{what}. Path: {}. Close the hop that lets it through ({close}).",
                    lead(i),
                    hops(&r.path)
                ),
                resources: resources_of(r),
                path: crate::analysis::to_strings(&r.path),
                fix: None,
                baseline: None,
            })
        })
        .collect()
}

fn check_require(ctx: &Ctx<'_>, i: &Intent) -> Vec<Finding> {
    let m = ctx.model;
    let mut own = Vec::new();
    let all = match answers_for(ctx, i, &mut own) {
        Ok(r) => r,
        Err(note) => return vec![*note],
    };
    let workload_end = workload_answers_apply(i);
    let from = Resolved::new(m, ctx.policy, &i.from);
    let to = Resolved::new(m, ctx.policy, &i.to);
    // Group the results by (from, to): with no family given, one allowed family suffices.
    let mut pairs: Vec<(&str, &str)> = all
        .iter()
        .filter(|r| {
            family_ok(i, r.family) && (workload_end || (from.matches(&r.from) && to.matches(&r.to)))
        })
        .filter(|r| r.from != r.to)
        .map(|r| (&*r.from, &*r.to))
        .collect();
    pairs.dedup();
    let mut out = Vec::new();
    for (f, t) in pairs {
        // The pair's answers (one per family), found by binary search: results are sorted
        // by `(from, to, family)` (a scan per pair was quadratic on large networks).
        let start = all.partition_point(|r| (&*r.from, &*r.to) < (f, t));
        let results: Vec<&PathResult> = all
            .get(start..)
            .unwrap_or_default()
            .iter()
            .take_while(|r| *r.from == *f && *r.to == *t)
            .filter(|r| family_ok(i, r.family))
            .collect();
        let allowed: Vec<&&PathResult> = results
            .iter()
            .filter(|r| r.verdict == Verdict::Allowed && ports_met(i, &r.ports, r.family))
            .collect();
        // Allowed, but not for what the intent names (another port passes, not its own).
        let partial = results
            .iter()
            .find(|r| r.verdict == Verdict::Allowed && !ports_met(i, &r.ports, r.family));
        if let (true, Some(r)) = (allowed.is_empty(), partial) {
            out.push(Finding {
                rule_id: i.id.clone(),
                severity: i.severity,
                message: format!(
                    "{}`{f}` reaches `{t}` over {} for {} only, not for {}. Path: {}.",
                    lead(i),
                    family_text(r.family),
                    if r.ports.is_empty() { "all" } else { &r.ports },
                    wanted_text(i),
                    hops(&r.path)
                ),
                resources: resources_of(r),
                path: crate::analysis::to_strings(&r.path),
                fix: None,
                baseline: None,
            });
            continue;
        }
        if allowed.is_empty() {
            let Some(r) = results
                .iter()
                .find(|r| r.verdict == Verdict::Blocked)
                .or_else(|| results.first())
            else {
                continue;
            };
            let (severity, what) = if r.verdict == Verdict::Blocked {
                (
                    i.severity,
                    format!(
                        "`{f}` cannot reach `{t}` over {}: {}{}",
                        family_text(r.family),
                        r.reason.trim_end_matches('.'),
                        r.dropped_by
                            .as_ref()
                            .map(|d| format!(" (dropped at `{d}`)"))
                            .unwrap_or_default()
                    ),
                )
            } else {
                (
                    Severity::Note,
                    format!(
                        "whether `{f}` reaches `{t}` is unknown at plan time ({})",
                        r.reason.trim_end_matches('.')
                    ),
                )
            };
            out.push(Finding {
                rule_id: i.id.clone(),
                severity,
                message: format!("{}{what}. Path: {}.", lead(i), hops(&r.path)),
                resources: resources_of(r),
                path: crate::analysis::to_strings(&r.path),
                fix: None,
                baseline: None,
            });
            continue;
        }
        if i.via.is_empty() {
            continue;
        }
        if allowed.iter().any(|r| via_satisfied(ctx, i, r)) {
            continue;
        }
        let Some(&r) = allowed.first() else {
            continue;
        };
        let wanted: Vec<String> = i.via.iter().map(Via::describe).collect();
        out.push(Finding {
            rule_id: i.id.clone(),
            severity: i.severity,
            message: format!(
                "{}`{f}` reaches `{t}` over {}, but not through {}: the path is {}. Add or fix \
                 the route that should send this traffic there.",
                lead(i),
                family_text(r.family),
                wanted.join(" or "),
                hops(&r.path)
            ),
            resources: resources_of(r),
            path: crate::analysis::to_strings(&r.path),
            fix: None,
            baseline: None,
        });
    }
    out
}

fn via_satisfied(ctx: &Ctx<'_>, i: &Intent, r: &PathResult) -> bool {
    let m = ctx.model;
    let hop_is = |pred: &dyn Fn(&str) -> bool| r.path.iter().any(|h| pred(h));
    i.via.iter().any(|v| match v {
        Via::GatewayEndpoint | Via::GwlbEndpoint => {
            let kind = if *v == Via::GatewayEndpoint {
                EndpointKind::Gateway
            } else {
                EndpointKind::GatewayLoadBalancer
            };
            hop_is(&|h| {
                m.endpoints
                    .iter()
                    .any(|e| e.kind == kind && e.meta.address == h)
            })
        }
        Via::NatGateway => hop_is(&|h| m.nat_gateways.iter().any(|n| n.meta.address == h)),
        Via::NatGatewaySameAz => {
            // The source subnet, or a workload's.
            let from_az = m
                .subnets
                .iter()
                .find(|s| *s.meta.address == *r.from)
                .or_else(|| {
                    m.workloads
                        .iter()
                        .find(|w| *w.meta.address == *r.from)
                        .and_then(|w| w.subnet.id())
                        .map(|s| m.subnet(s))
                })
                .and_then(subnet_az);
            hop_is(&|h| {
                m.nat_gateways.iter().any(|n| {
                    n.meta.address == h
                        && from_az.is_some()
                        && n.subnet.id().map(|s| m.subnet(s)).and_then(subnet_az) == from_az
                })
            })
        }
        Via::TransitGateway => hop_is(&|h| {
            m.transit_gateways.iter().any(|t| t.meta.address == h)
                || m.tgw_attachments.iter().any(|t| t.meta.address == h)
        }),
        Via::Peering => hop_is(&|h| m.peerings.iter().any(|p| p.meta.address == h)),
        Via::Segment(name) => {
            let subnets: BTreeSet<String> = ctx
                .policy
                .segment_subnets(m, name)
                .into_iter()
                .map(|s| m.subnet(s).meta.address.clone())
                .collect();
            // The source itself does not count as passing through.
            r.path
                .iter()
                .skip(1)
                .any(|h| subnets.iter().any(|s| **s == **h))
        }
        Via::Address(g) => hop_is(&|h| g.matches(h)),
    })
}
