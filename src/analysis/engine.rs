//! Questions and answers: one function per kind of question (subnet to subnet, to and from
//! the internet, to a service, to a VPN), behaviour classes of subnets, and the parallel
//! all-pairs computation.
//!
//! Subnets that behave identically everywhere (same VPC, route table, NACL, AZ, public-IPv4
//! status, and the same set of known CIDRs — routes, rules, VPC blocks — that contain their
//! block) form one class; each question is asked once per class (pair) and the answer is
//! rendered for every member, substituting the member's address. Walking and filtering are
//! in `walk.rs`; this module never prints.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::hash::BuildHasherDefault;

use ipnet::{IpNet, Ipv4Net, Ipv6Net};
use rayon::prelude::*;

use crate::analysis::addr::{known_net, Addr};
use crate::analysis::bpa::{Gate, Way};
use crate::analysis::lpm::Lookup;
use crate::analysis::nacl::Direction;
use crate::analysis::ports::Flows;
use crate::analysis::walk::{
    exempt, filter, has_family, is_network_firewall, maybe_declares, maybe_onprem, onprem_cidrs,
    tick, ticked, Crossing, Dest, End, Engine, FxHasher, Hops, Legs, Middlebox, Passed, Walk,
};
use crate::analysis::{DropKind, Name, PathResult, Verdict};
use crate::model::{
    AnyBlock, Block, Destination, EndpointKind, Family, GatewayId, GatewayKind, Link, Model,
    SgPeer, SubnetId, Target, TgwAttachmentId, TgwAttachmentKind, Val, VpnConnectionId,
};

fn result(
    from: Name,
    to: Name,
    family: Family,
    verdict: Verdict,
    path: Vec<Name>,
    reason: String,
) -> PathResult {
    PathResult {
        from,
        to,
        family,
        verdict,
        path,
        reason,
        ports: String::new(),
        dropped_by: None,
        drop_kind: None,
    }
}

/// An `unknown` answer with the hops walked so far.
fn unknown(from: Name, to: Name, family: Family, hops: Hops, reason: String) -> PathResult {
    result(from, to, family, Verdict::Unknown, hops.into_vec(), reason)
}

/// Turns a finished walk into an answer, evaluating NACLs both ways for `wanted`.
pub fn conclude(
    e: &Engine<'_>,
    from: Name,
    to: Name,
    family: Family,
    w: Walk,
    wanted: &Flows,
) -> PathResult {
    match w.end {
        End::Blocked { by, reason, kind } => {
            let mut r = result(
                from,
                to,
                family,
                Verdict::Blocked,
                w.hops.into_vec(),
                reason,
            );
            r.dropped_by = Some(e.name(&by));
            r.drop_kind = Some(kind);
            r
        }
        End::Unknown { reason } => unknown(from, to, family, w.hops, reason),
        End::Arrived => conclude_filters(e, from, to, family, w.hops, &w.crossings, &w.via, wanted),
    }
}

#[allow(clippy::too_many_arguments)]
fn conclude_filters(
    e: &Engine<'_>,
    from: Name,
    to: Name,
    family: Family,
    mut hops: Hops,
    crossings: &[Crossing],
    via: &[String],
    wanted: &Flows,
) -> PathResult {
    let f = filter(e, crossings, family, wanted);
    if !f.sure.is_empty() {
        // "`from` reaches `to` through A, then B" (or "over the VPC's local route"),
        // written into one buffer of the right size.
        const LOCAL: &str = "over the VPC's local route";
        let via_len: usize = via.iter().map(|v| v.len() + 8).sum();
        let mut reason = String::with_capacity(from.len() + to.len() + 20 + LOCAL.len() + via_len);
        for part in ["`", &*from, "` reaches `", &*to, "` "] {
            reason.push_str(part);
        }
        if via.is_empty() {
            reason.push_str(LOCAL);
        } else {
            reason.push_str("through ");
            for (i, v) in via.iter().enumerate() {
                if i > 0 {
                    reason.push_str(", then ");
                }
                reason.push_str(v);
            }
        }
        let mut r = result(
            from.clone(),
            to.clone(),
            family,
            Verdict::Allowed,
            hops.into_vec(),
            reason,
        );
        r.ports = f.sure.render(family);
        return r;
    }
    if !f.maybe.is_empty() {
        let reason = f.unknown_reason.unwrap_or_else(|| {
            "a network ACL rule depends on a value known only after apply".to_string()
        });
        return result(from, to, family, Verdict::Unknown, hops.into_vec(), reason);
    }
    let (cut, by, reason, kind) = f.drop.unwrap_or_else(|| {
        (
            None,
            to.to_string(),
            "no flow passes the network ACLs on the way".to_string(),
            DropKind::Nacl,
        )
    });
    if let Some(c) = cut {
        hops.truncate(c + 1);
    }
    let mut r = result(from, to, family, Verdict::Blocked, hops.into_vec(), reason);
    r.dropped_by = Some(e.name(&by));
    r.drop_kind = Some(kind);
    r
}

/// A subnet (or the subnet of a workload) to another subnet.
pub fn subnet_to_subnet(
    e: &Engine<'_>,
    a: SubnetId,
    b: SubnetId,
    family: Family,
    wanted: &Flows,
) -> PathResult {
    let from = e.subnet_name(a);
    let to = e.subnet_name(b);
    let mut w = e.walk(a, &Dest::Subnet(b), family);
    let src = w.src;
    let nat = w.nat.clone();
    let passed = std::mem::take(&mut w.passed);
    let r = conclude(e, from, to, family, w, wanted);
    if r.verdict == Verdict::Blocked {
        return r;
    }
    // After a NAT, `b` replies to the NAT, which sends the replies on to `a`.
    let (before_nat, after_nat): (Vec<Passed>, Vec<Passed>) = passed
        .into_iter()
        .partition(|p| nat.is_some() && !p.after_nat);
    let r = with_return(e, r, b, src, family, &after_nat);
    match nat {
        Some(n) => nat_return(e, r, (src, &n), a, family, &before_nat),
        None => r,
    }
}

/// Checks that replies from `b` route back to `src` (the source, or its NAT's subnet),
/// through the stateful middleboxes the request passed on that stretch (`passed`).
/// `r` is the forward answer, not blocked: its path is the whole forward walk.
fn with_return(
    e: &Engine<'_>,
    r: PathResult,
    b: SubnetId,
    src: SubnetId,
    family: Family,
    passed: &[Passed],
) -> PathResult {
    let back = e.walk(b, &Dest::Subnet(src), family);
    replies(e, r, back, &e.subnet_name(b), passed)
}

/// Checks the replies of a NAT (`nat`, in subnet `ns`) on their way back to the source `a`, when
/// that way is not the VPC's local route: a NAT in another VPC (centralized egress) sends
/// them through its own subnet's route table, and through the middleboxes the request
/// passed before the NAT (`passed`).
fn nat_return(
    e: &Engine<'_>,
    r: PathResult,
    (ns, nat): (SubnetId, &str),
    a: SubnetId,
    family: Family,
    passed: &[Passed],
) -> PathResult {
    let m = e.m;
    let same_vpc = m.subnet(ns).vpc.id().is_some() && m.subnet(ns).vpc.id() == m.subnet(a).vpc.id();
    if r.verdict == Verdict::Blocked || ns == a || (same_vpc && passed.is_empty()) {
        return r;
    }
    let back = e.walk(ns, &Dest::Subnet(a), family);
    replies(e, r, back, nat, passed)
}

/// Folds the replies' walk `back` (from `replier`, a subnet or a NAT, towards the
/// request's source) into the forward answer `r`: replies that cannot return block it, an
/// uncertain way back makes it uncertain, and so does a middlebox that sees one direction
/// only, unless it is AWS Network Firewall, which drops such traffic.
fn replies(
    e: &Engine<'_>,
    mut r: PathResult,
    back: Walk,
    replier: &str,
    passed: &[Passed],
) -> PathResult {
    match back.end {
        End::Arrived => one_way_answer(e, r, back, replier, passed),
        End::Blocked { by, reason, kind } => {
            // The way back may have crossed a transit gateway that checked its own return
            // route, and said so already.
            let reason = if reason.starts_with("replies cannot return") {
                reason
            } else {
                format!("replies cannot return: {reason}")
            };
            // The connection fails either way; but a request not sure to get through does
            // not make a path that only the replies break (TFVPC109): the hop that drops the
            // replies is kind of its own.
            let kind = if r.verdict == Verdict::Unknown {
                kind
            } else {
                DropKind::ReturnRoute
            };
            blocked_back(r, back.hops, reason, e.name(&by), kind)
        }
        End::Unknown { reason } => {
            if r.verdict == Verdict::Allowed {
                r.verdict = Verdict::Unknown;
                r.reason = format!("the return path is uncertain: {reason}");
                r.ports = String::new();
            }
            r
        }
    }
}

/// `r`, blocked on the replies' way (`back`, whose hops are added to its path) at `by`.
fn blocked_back(
    mut r: PathResult,
    back: Hops,
    reason: String,
    by: Name,
    kind: DropKind,
) -> PathResult {
    r.path.extend(back.into_iter().skip(1));
    r.verdict = Verdict::Blocked;
    r.reason = reason;
    r.ports = String::new();
    r.dropped_by = Some(by);
    r.drop_kind = Some(kind);
    r
}

/// Folds into `r` what a middlebox seeing one direction only does to it: the request
/// passed `passed`, the replies' walk `back` (from `replier`) passed its own.
fn one_way_answer(
    e: &Engine<'_>,
    mut r: PathResult,
    back: Walk,
    replier: &str,
    passed: &[Passed],
) -> PathResult {
    if r.verdict == Verdict::Blocked {
        return r;
    }
    let Some(x) = one_way(e, passed, &back.passed, replier) else {
        return r;
    };
    if x.drops {
        return blocked_back(r, back.hops, x.reason, x.by, x.kind);
    }
    if r.verdict == Verdict::Allowed {
        r.verdict = Verdict::Unknown;
        r.reason = x.reason;
        r.ports = String::new();
    }
    r
}

/// A middlebox that sees one direction of a flow only.
struct OneWay {
    by: Name,
    reason: String,
    kind: DropKind,
    /// AWS Network Firewall is sure to see one direction only, and drops the flow.
    drops: bool,
}

/// Whether attachment `a` is a VPC attachment in appliance mode.
fn appliance_mode(m: &Model, a: TgwAttachmentId) -> bool {
    matches!(
        m.tgw_attachment(a).kind,
        TgwAttachmentKind::Vpc {
            appliance_mode: true,
            ..
        }
    )
}

/// Whether the request's middlebox `p` and the replies' `q` are one for a flow: the same,
/// or both reached through one transit gateway attachment in appliance mode, which keeps
/// both directions of a flow on the same network interface of the attachment, so in the
/// same subnet, whose route table sends them to the same middlebox (the walks, which pick
/// an attachment subnet by zone each way, may name two).
fn same_box(m: &Model, p: &Passed, q: &Passed) -> bool {
    p.boxed == q.boxed
        || p.entered
            .is_some_and(|att| q.entered == Some(att) && appliance_mode(m, att))
}

/// The first middlebox that the request passes and its replies (`back`, from `replier`) do
/// not, or that the replies pass and the request did not.
fn one_way(e: &Engine<'_>, fwd: &[Passed], back: &[Passed], replier: &str) -> Option<OneWay> {
    let m = e.m;
    let at = |p: &Passed| {
        format!(
            "{} in {}",
            tick(&p.name),
            tick(&m.subnet(p.subnet).meta.address)
        )
    };
    // The replies' middlebox `q` and the request's `p`: "`fw`'s endpoint in `s2`, not its
    // endpoint in `s1`" for two endpoints of one firewall.
    let versus = |q: &Passed, p: &Passed| {
        if q.name == p.name {
            format!(
                "the endpoint of {} in {}, not its endpoint in {}",
                tick(&q.name),
                tick(&m.subnet(q.subnet).meta.address),
                tick(&m.subnet(p.subnet).meta.address)
            )
        } else {
            format!("{}, not {}", at(q), at(p))
        }
    };
    let tail = |p: &Passed| {
        if p.network_firewall {
            "AWS Network Firewall drops traffic it sees in one direction only (it does not \
             support asymmetric routing)"
                .to_string()
        } else {
            format!(
                "whether {} passes traffic it sees in one direction only is not in the plan",
                tick(&p.name)
            )
        }
    };
    let missing = fwd.iter().find(|p| !back.iter().any(|q| same_box(m, p, q)));
    if let Some(p) = missing {
        // The replies' counterpart: the same firewall elsewhere, or anything behind the
        // same attachment.
        let other = back.iter().find(|q| {
            matches!((p.boxed, q.boxed), (Middlebox::Endpoint(x, _), Middlebox::Endpoint(y, _)) if x == y)
                || (p.entered.is_some() && q.entered == p.entered)
        });
        let (reason, kind) = match (other, p.entered) {
            (Some(q), Some(att)) if q.entered == Some(att) && !appliance_mode(m, att) => {
                let az = m
                    .subnet(q.subnet)
                    .availability_zone
                    .known()
                    .map_or("another zone", String::as_str);
                (
                    format!(
                        "replies from {} enter {} in {az} and pass {} that passed the request: without appliance mode, the transit gateway keeps each direction of a flow in its own Availability Zone; {}",
                        tick(replier),
                        tick(&m.tgw_attachment(att).meta.address),
                        versus(q, p),
                        tail(p)
                    ),
                    DropKind::ApplianceMode,
                )
            }
            (Some(q), _) => (
                format!(
                    "replies from {} pass {} that passed the request; {}",
                    tick(replier),
                    versus(q, p),
                    tail(p)
                ),
                DropKind::Asymmetric,
            ),
            (None, _) => (
                format!(
                    "replies from {} do not pass {}, which the request passed; {}",
                    tick(replier),
                    at(p),
                    tail(p)
                ),
                DropKind::Asymmetric,
            ),
        };
        // Two endpoints of one firewall: tfvpc takes a route to a firewall to its endpoint
        // in the route's own zone, as AWS's designs have it; the plan does not say which
        // endpoint a route names (its ID is known only after apply, and not read by zone
        // once known), so the replies' endpoint is an assumption.
        let assumed = other.is_some_and(|q| {
            matches!((p.boxed, q.boxed), (Middlebox::Endpoint(x, _), Middlebox::Endpoint(y, _)) if x == y)
        });
        let reason = if assumed {
            format!(
                "{reason}, if each route to {} names the firewall's endpoint in the route's own zone, as tfvpc assumes (which endpoint a route names is not read from the plan)",
                tick(&p.name)
            )
        } else {
            reason
        };
        let network_firewall = p.network_firewall || other.is_some_and(|q| q.network_firewall);
        return Some(OneWay {
            by: p.name.clone(),
            reason,
            kind,
            drops: network_firewall && !assumed,
        });
    }
    let q = back
        .iter()
        .find(|q| !fwd.iter().any(|p| same_box(m, p, q)))?;
    Some(OneWay {
        by: q.name.clone(),
        reason: format!(
            "replies from {} pass {}, which the request did not; {}",
            tick(replier),
            at(q),
            tail(q)
        ),
        kind: DropKind::Asymmetric,
        drops: q.network_firewall,
    })
}

/// A subnet to the internet.
pub fn subnet_to_internet(
    e: &Engine<'_>,
    a: SubnetId,
    family: Family,
    wanted: &Flows,
) -> PathResult {
    let w = e.walk(a, &Dest::Internet, family);
    let from = e.subnet_name(a);
    let to = e.names.internet.clone();
    out_and_back(e, w, a, family, |w| {
        conclude(e, from, to, family, w, wanted)
    })
}

/// Concludes a walk `w` from `a` out to the internet or a service, and checks the way its
/// replies come back: from the internet through the ingress route of the gateway it left
/// by (to the source, or to its NAT), then from a NAT to the source.
fn out_and_back(
    e: &Engine<'_>,
    mut w: Walk,
    a: SubnetId,
    family: Family,
    conclude: impl FnOnce(Walk) -> PathResult,
) -> PathResult {
    let nat = w.nat.clone().map(|n| (w.src, n));
    let exit = w.exit;
    let passed = std::mem::take(&mut w.passed);
    let r = conclude(w);
    // Replies from the internet meet an ingress route only at a gateway with an edge table.
    let edge = exit.is_some_and(|(_, g)| e.edge_table.get(g.index()).is_some_and(Option::is_some));
    if r.verdict == Verdict::Blocked || (passed.is_empty() && nat.is_none() && !edge) {
        return r;
    }
    let (before, after): (Vec<Passed>, Vec<Passed>) = passed
        .into_iter()
        .partition(|p| nat.is_some() && !p.after_nat);
    // From the internet: to the NAT's subnet, or to the source.
    let r = match exit {
        Some((GatewayKind::Internet | GatewayKind::EgressOnly, g)) => {
            let at = nat.as_ref().map_or(a, |(ns, _)| *ns);
            let back = Walk {
                passed: ingress_boxes(e, Some(g), at, family),
                ..Walk::new(at)
            };
            one_way_answer(e, r, back, &e.names.internet, &after)
        }
        _ => r,
    };
    match nat {
        Some((ns, n)) => nat_return(e, r, (ns, &n), a, family, &before),
        None => r,
    }
}

/// The internet to a subnet: the subnet's VPC needs an internet gateway, and the subnet's
/// replies must leave through it directly (not through a NAT or an egress-only gateway).
pub fn internet_to_subnet(
    e: &Engine<'_>,
    b: SubnetId,
    family: Family,
    wanted: &Flows,
) -> PathResult {
    let m = e.m;
    let to = e.subnet_name(b);
    let from = e.names.internet.clone();
    let vpc = m.subnet(b).vpc.id();
    let per_vpc =
        |gws: &[Option<GatewayId>]| vpc.and_then(|v| gws.get(v.index()).copied().flatten());
    // A VPC this plan does not hold may have an internet gateway: nothing here says.
    let outside = match &m.subnet(b).vpc {
        Link::To(..) => None,
        Link::External(id) => Some(format!(
            "the VPC {} of {} is outside this plan: whether an internet gateway is attached to it is not known",
            m.outside_id(id),
            tick(&to)
        )),
        Link::Unresolved(why) => Some(format!("the VPC of {} is not known: {why}", tick(&to))),
        Link::None => Some(format!("{} names no VPC", tick(&to))),
    };
    if let Some(reason) = outside {
        return unknown(from.clone(), to, family, smallvec::smallvec![from], reason);
    }
    let igw_id = per_vpc(&e.internet_gateway);
    // A VPC read by a data source may have an internet gateway that no data source reads.
    if let (None, Some(v)) = (igw_id, vpc.filter(|v| m.vpc(*v).outside)) {
        return unknown(
            from.clone(),
            to,
            family,
            smallvec::smallvec![from],
            format!(
                "whether an internet gateway is attached to {} (read by a data source) is not in the plan",
                tick(&m.vpc(v).meta.address)
            ),
        );
    }
    // An internet gateway whose VPC is not known may be this VPC's, if the subnet's replies
    // may leave through it (the walk ends unknown at such a gateway).
    if let (None, Some(_)) = (igw_id, &e.unsure_internet_gateway) {
        if let End::Unknown { reason } = e.walk(b, &Dest::Internet, family).end {
            return unknown(from.clone(), to, family, smallvec::smallvec![from], reason);
        }
    }
    let Some(igw) = igw_id.map(|g| m.gateway(g)) else {
        if family == Family::Ipv6 {
            if let Some(eigw) = per_vpc(&e.egress_gateway).map(|g| m.gateway(g)) {
                let mut r = result(
                    from.clone(),
                    to,
                    family,
                    Verdict::Blocked,
                    vec![from, e.name(&eigw.meta.address)],
                    format!(
                        "{} is egress-only: IPv6 connections from the internet are dropped",
                        tick(&eigw.meta.address)
                    ),
                );
                r.dropped_by = Some(e.name(&eigw.meta.address));
                r.drop_kind = Some(DropKind::Gateway);
                return r;
            }
        }
        let by = vpc
            .map(|v| e.name(&m.vpc(v).meta.address))
            .unwrap_or_else(|| to.clone());
        let mut r = result(
            from.clone(),
            to.clone(),
            family,
            Verdict::Blocked,
            vec![from],
            format!("the VPC of {} has no internet gateway", tick(&to)),
        );
        r.dropped_by = Some(by);
        r.drop_kind = Some(DropKind::Gateway);
        return r;
    };
    // VPC Block Public Access decides before anything in the VPC does.
    let exemption = match e.bpa_gate(b, Way::In) {
        Gate::Open(x) => x,
        Gate::Closed { by, reason } => {
            let by = e.name(&by);
            let mut r = result(
                from.clone(),
                to,
                family,
                Verdict::Blocked,
                vec![from, e.name(&igw.meta.address), by.clone()],
                reason,
            );
            r.dropped_by = Some(by);
            r.drop_kind = Some(DropKind::Gateway);
            return r;
        }
        Gate::Unsure(reason) => {
            let hops = smallvec::smallvec![from.clone(), e.name(&igw.meta.address), to.clone()];
            return unknown(from, to, family, hops, reason);
        }
    };
    let back = e.walk(b, &Dest::Internet, family);
    // The subnet's own route table: where its replies are sent, and so what drops them when
    // they leave through anything but this internet gateway.
    let table = m
        .subnet(b)
        .route_table
        .link
        .id()
        .map(|t| e.table_name(t))
        .unwrap_or_else(|| to.clone());
    let direct = back.nat.is_none()
        && matches!(back.exit, Some((GatewayKind::Internet, g)) if m.gateway(g).meta.address == igw.meta.address);
    if !direct {
        let nat = back.nat.as_ref().or(back.nat_unplaced.as_ref());
        let (verdict, by, reason, kind) = match (&back.end, nat, back.exit) {
            (End::Blocked { by, reason, .. }, _, _) => (
                Verdict::Blocked,
                e.name(by),
                format!("replies cannot return to the internet: {reason}"),
                DropKind::Route,
            ),
            (End::Unknown { reason }, None, _) => (
                Verdict::Unknown,
                Name::from(""),
                reason.clone(),
                DropKind::Route,
            ),
            (_, Some(n), _) => (
                Verdict::Blocked,
                table.clone(),
                format!(
                    "replies to the internet leave through {}, which accepts no connections from the internet",
                    tick(n)
                ),
                DropKind::Gateway,
            ),
            (_, None, Some((GatewayKind::EgressOnly, g))) => (
                Verdict::Blocked,
                e.gateway_name(g),
                format!(
                    "{} is egress-only: IPv6 connections from the internet are dropped",
                    tick(&m.gateway(g).meta.address)
                ),
                DropKind::Gateway,
            ),
            _ => (
                Verdict::Blocked,
                table.clone(),
                format!(
                    "replies to the internet do not leave through {}, so connections from it cannot complete",
                    tick(&igw.meta.address)
                ),
                DropKind::Route,
            ),
        };
        // Inbound: internet, the gateway, the subnet, then the replies' first hop (its route
        // table) and, where the replies go elsewhere, where they go.
        let mut path = vec![from.clone(), e.name(&igw.meta.address), to.clone()];
        if verdict == Verdict::Blocked {
            path.push(table.clone());
            let elsewhere = nat
                .cloned()
                .or_else(|| back.exit.map(|(_, g)| e.gateway_name(g)));
            if let Some(hop) = elsewhere.filter(|h| *h != by && *h != table) {
                path.push(hop);
            }
            if !path.contains(&by) {
                path.push(by.clone());
            }
        }
        let mut r = result(from, to, family, verdict, path, reason);
        if verdict == Verdict::Blocked {
            r.dropped_by = Some(by);
            r.drop_kind = Some(kind);
        }
        return r;
    }
    let mut w = Walk {
        hops: smallvec::smallvec![from.clone(), e.name(&igw.meta.address)],
        via: vec![ticked(&igw.meta.address)],
        ..Walk::new(b)
    };
    if let Some(x) = exemption {
        exempt(&mut w.via, &x);
    }
    // Ingress routing: a route table edge-associated with the internet gateway decides
    // where inbound traffic for the subnet goes first (a firewall appliance, a GWLB
    // endpoint). The appliance's own policy is outside the plan.
    let edge = igw_id
        .and_then(|g| e.edge_table.get(g.index()).copied().flatten())
        .map(|t| (t, m.route_table(t)));
    // A table may be edge-associated with the gateway: where it sends the traffic first is
    // not known, unless that table keeps it in the VPC (its local route).
    if edge.is_none() {
        if let Some((ti, why)) =
            igw_id.and_then(|g| e.unsure_edge.get(g.index()).cloned().flatten())
        {
            let addr = e.subnet_block(b, family).unwrap_or(Addr::Public);
            let local = match e
                .tables
                .get(ti.index())
                .map(|t| t.lookup(Some(m), family, &addr))
            {
                Some(Lookup::Route(rid)) => m.route(rid).target == Target::Local,
                _ => false,
            };
            if !local {
                let hops = smallvec::smallvec![from.clone(), e.name(&igw.meta.address), to.clone()];
                return unknown(from, to, family, hops, why);
            }
        }
    }

    if let Some((ti, table)) = edge {
        let addr = e.subnet_block(b, family).unwrap_or(Addr::Public);
        match e
            .tables
            .get(ti.index())
            .map(|t| t.lookup(Some(m), family, &addr))
        {
            Some(Lookup::Route(rid)) => {
                let route = m.route(rid);
                w.hops.push(e.name(&table.meta.address));
                let appliance = match &route.target {
                    Target::Local => None,
                    Target::Endpoint(l) => l.id().map(|x| e.endpoint_name(x)),
                    Target::Workload(l) => l.id().map(|x| e.workload_name(x)),
                    _ => {
                        let reason = format!(
                            "the ingress route {} of {} sends the traffic to a target tfvpc does not follow",
                            tick(&route.address),
                            tick(&table.meta.address)
                        );
                        return unknown(from, to, family, w.hops, reason);
                    }
                };
                match appliance {
                    Some(a) => {
                        w.via.push(format!(
                            "the inspection appliance {} (ingress route {}; its own policy is outside the plan)",
                            tick(&a),
                            tick(&route.address)
                        ));
                        w.hops.push(a);
                    }
                    None if !matches!(route.target, Target::Local) => {
                        return unknown(
                            from,
                            to,
                            family,
                            w.hops,
                            format!(
                                "the target of ingress route {} is unknown",
                                tick(&route.address)
                            ),
                        );
                    }
                    None => {}
                }
            }
            Some(Lookup::Unknown(reason)) => {
                w.hops.push(e.name(&table.meta.address));
                return unknown(from, to, family, w.hops, reason);
            }
            Some(Lookup::NoRoute) | None => {}
        }
    }
    if let Some(n) = m.subnet(b).nacl.link.id() {
        let nacl = m.nacl(n);
        let hop = if nacl.untouched_default() {
            1
        } else {
            w.hops.push(e.nacl_name(n));
            w.hops.len() - 1
        };
        w.crossings.push(Crossing {
            nacl: n,
            dir: Direction::Ingress,
            remote: Addr::Public,
            hop,
            legs: Legs::Both,
        });
    }
    w.hops.push(to.clone());
    if let End::Unknown { reason } = back.end {
        return unknown(from, to, family, w.hops, reason);
    }
    let r = conclude(e, from, to.clone(), family, w, wanted);
    // The middleboxes the ingress route sends the traffic through: its replies must pass
    // them too, and pass no other.
    one_way_answer(e, r, back, &to, &ingress_boxes(e, igw_id, b, family))
}

/// The middlebox that traffic from the internet to subnet `b` passes first: the target of
/// the route for `b` in the table edge-associated with internet `gateway`, when
/// that is a firewall or GWLB endpoint (its subnet in `b`'s zone) or an instance.
fn ingress_boxes(
    e: &Engine<'_>,
    gateway: Option<GatewayId>,
    b: SubnetId,
    family: Family,
) -> Vec<Passed> {
    let m = e.m;
    let Some(ti) = gateway.and_then(|g| e.edge_table.get(g.index()).copied().flatten()) else {
        return Vec::new();
    };
    let addr = e.subnet_block(b, family).unwrap_or(Addr::Public);
    let Some(Lookup::Route(rid)) = e
        .tables
        .get(ti.index())
        .map(|t| t.lookup(Some(m), family, &addr))
    else {
        return Vec::new();
    };
    let passed = |boxed, name: Name, subnet, network_firewall| Passed {
        boxed,
        name,
        subnet,
        network_firewall,
        entered: None,
        after_nat: false,
    };
    match &m.route(rid).target {
        Target::Endpoint(Link::To(x, _)) => {
            let ep = m.endpoint(*x);
            let subnets: Vec<SubnetId> = ep.subnets.iter().filter_map(|(_, l)| l.id()).collect();
            e.pick_subnet(&subnets, b)
                .map(|es| {
                    passed(
                        Middlebox::Endpoint(*x, es),
                        e.endpoint_name(*x),
                        es,
                        is_network_firewall(&ep.meta.address),
                    )
                })
                .into_iter()
                .collect()
        }
        Target::Workload(Link::To(x, _)) => m
            .workload(*x)
            .subnet
            .id()
            .map(|ws| passed(Middlebox::Workload(*x), e.workload_name(*x), ws, false))
            .into_iter()
            .collect(),
        _ => Vec::new(),
    }
}

/// A subnet to an AWS service: an interface endpoint with private DNS in the VPC, else the
/// gateway endpoint route of the table, else the way to the internet.
pub fn subnet_to_service(
    e: &Engine<'_>,
    a: SubnetId,
    service: &str,
    family: Family,
    wanted: &Flows,
) -> PathResult {
    let m = e.m;
    let from = e.subnet_name(a);
    let to = Name::from(format!("service:{service}"));
    let vpc = m.subnet(a).vpc.id();
    // The VPC's interface endpoint for the service, with private DNS on or off.
    let endpoint = |dns: bool| {
        vpc.and_then(|v| e.interface_endpoints.get(v.index()))
            .into_iter()
            .flatten()
            .map(|x| m.endpoint(*x))
            .find(|ep| ep.private_dns_enabled == dns && ep.service.as_deref() == Some(service))
    };
    // With private DNS, the service's name resolves to the endpoint.
    if family == Family::Ipv4 {
        if let Some(r) = endpoint(true).and_then(|ep| through_endpoint(e, a, ep, service, wanted)) {
            return r;
        }
    }
    let w = e.walk(a, &Dest::Service(service.to_string()), family);
    let r = out_and_back(e, w, a, family, |w| {
        conclude(e, from, to, family, w, wanted)
    });
    // Without, only the endpoint's own DNS names reach it: whether clients use them is
    // not in the plan.
    if family == Family::Ipv4 && r.verdict == Verdict::Blocked {
        if let Some(ep) = endpoint(false) {
            if let Some(mut via) = through_endpoint(e, a, ep, service, wanted) {
                if via.verdict == Verdict::Allowed {
                    via.verdict = Verdict::Unknown;
                    via.ports = String::new();
                    via.reason = format!(
                        "{} reaches {service} only through interface endpoint {} by the endpoint's own DNS names (private DNS is off), and otherwise not ({}): whether clients use those names is not in the plan",
                        tick(&r.from),
                        tick(&ep.meta.address),
                        r.reason.trim_end_matches('.')
                    );
                    return via;
                }
            }
        }
    }
    if family == Family::Ipv4 && r.verdict != Verdict::Unknown {
        unsure_endpoint(e, a, service, r)
    } else {
        r
    }
}

/// `r`, unless an interface endpoint of `service` whose network interfaces are not known
/// may be in subnet `a`'s VPC and decide it instead: with private DNS the service's name
/// resolves to it, without it only a path that is otherwise blocked may go through it.
fn unsure_endpoint(e: &Engine<'_>, a: SubnetId, service: &str, mut r: PathResult) -> PathResult {
    let m = e.m;
    let vpc = m.subnet(a).vpc.id();
    let found = e.unsure_interface_endpoints.iter().find(|(x, v, _)| {
        let ep = m.endpoint(*x);
        ep.service.as_deref() == Some(service)
            && (v.is_none() || vpc.is_none() || *v == vpc)
            && (ep.private_dns_enabled || r.verdict == Verdict::Blocked)
    });
    let Some((x, _, why)) = found else {
        return r;
    };
    let ep = m.endpoint(*x);
    let how = if ep.private_dns_enabled {
        "private DNS on: the service's name resolves to it"
    } else {
        "private DNS off: only its own DNS names reach it"
    };
    r.reason = format!(
        "{} may reach {service} through interface endpoint {} instead ({how}), and {why}",
        tick(&r.from),
        tick(&ep.meta.address),
    );
    r.verdict = Verdict::Unknown;
    r.ports = String::new();
    r.dropped_by = None;
    r.drop_kind = None;
    r
}

/// A subnet to a service through an interface endpoint of its VPC: the endpoint's network
/// interface in the same subnet, else in the same AZ, else its first; `None` when none of
/// its subnets is known.
fn through_endpoint(
    e: &Engine<'_>,
    a: SubnetId,
    ep: &crate::model::VpcEndpoint,
    service: &str,
    wanted: &Flows,
) -> Option<PathResult> {
    let m = e.m;
    let family = Family::Ipv4;
    let from = e.subnet_name(a);
    let to = Name::from(format!("service:{service}"));
    let subnets: Vec<SubnetId> = ep.subnets.iter().filter_map(|(_, l)| l.id()).collect();
    let az = m.subnet(a).availability_zone.known();
    let es = subnets
        .iter()
        .copied()
        .find(|s| *s == a)
        .or_else(|| {
            subnets
                .iter()
                .copied()
                .find(|s| az.is_some() && m.subnet(*s).availability_zone.known() == az)
        })
        .or_else(|| subnets.first().copied())?;
    if es == a {
        let mut r = result(
            from.clone(),
            to.clone(),
            family,
            Verdict::Allowed,
            vec![from.clone(), e.name(&ep.meta.address), to],
            format!(
                "{} reaches {service} through interface endpoint {} in the same subnet",
                tick(&from),
                tick(&ep.meta.address)
            ),
        );
        r.ports = wanted.render(family);
        return Some(r);
    }
    let mut w = e.walk(a, &Dest::Subnet(es), family);
    let src = w.src;
    let passed = std::mem::take(&mut w.passed);
    if w.end == End::Arrived {
        w.hops.push(e.name(&ep.meta.address));
        w.hops.push(to.clone());
        w.via
            .push(format!("interface endpoint {}", tick(&ep.meta.address)));
    }
    let r = conclude(e, from, to, family, w, wanted);
    if r.verdict == Verdict::Blocked {
        return Some(r);
    }
    Some(with_return(e, r, es, src, family, &passed))
}

/// A subnet to the on-premises networks behind a VPN connection.
pub fn subnet_to_vpn(
    e: &Engine<'_>,
    a: SubnetId,
    v: VpnConnectionId,
    family: Family,
    wanted: &Flows,
) -> PathResult {
    let m = e.m;
    let conn = m.vpn_connection(v);
    let from = e.subnet_name(a);
    let to = Name::from(format!("vpn:{}", conn.meta.address));
    let (nets, unknown) = onprem_cidrs(m, v, family);
    let table_hop = m.subnet(a).route_table.link.id().map(|t| e.table_name(t));
    let mut path = vec![from.clone()];
    path.extend(table_hop);
    // What connection routes whose connection is not known may add: a path to such a CIDR
    // that is not blocked is not known either.
    let maybe = maybe_onprem(e, v, family);
    let maybe_path = |first: Option<PathResult>| -> Option<PathResult> {
        let mut blocked = first;
        for (n, u) in &maybe {
            let Some(n) = n else {
                return Some(result(
                    from.clone(),
                    to.clone(),
                    family,
                    Verdict::Unknown,
                    path.clone(),
                    maybe_declares(u, conn),
                ));
            };
            let w = e.walk(a, &Dest::Onprem(v, *n), family);
            let mut r = conclude(e, from.clone(), to.clone(), family, w, wanted);
            if r.verdict == Verdict::Blocked {
                blocked.get_or_insert(r);
                continue;
            }
            if r.verdict == Verdict::Allowed {
                r.verdict = Verdict::Unknown;
                r.reason = maybe_declares(u, conn);
            }
            return Some(r);
        }
        blocked
    };
    if nets.is_empty() {
        if let Some(u) = unknown.into_iter().next() {
            return result(from, to, family, Verdict::Unknown, path, u);
        }
        if let Some(r) = maybe_path(None) {
            return r;
        }
        if conn.static_routes_only {
            let mut r = result(
                from,
                to,
                family,
                Verdict::Blocked,
                path,
                format!(
                    "{} uses static routes only and declares no on-premises CIDR",
                    tick(&conn.meta.address)
                ),
            );
            r.dropped_by = Some(e.name(&conn.meta.address));
            r.drop_kind = Some(DropKind::Route);
            return r;
        }
        if let Some((t, reason)) = no_way_to_vgw(m, a, conn) {
            let mut r = result(from, to, family, Verdict::Blocked, path, reason);
            r.dropped_by = Some(e.table_name(t));
            r.drop_kind = Some(DropKind::Route);
            return r;
        }
        return result(
            from,
            to,
            family,
            Verdict::Unknown,
            path,
            format!(
                "{} learns its on-premises routes over BGP; the plan does not show them",
                tick(&conn.meta.address)
            ),
        );
    }
    let mut first: Option<PathResult> = None;
    for n in nets {
        let w = e.walk(a, &Dest::Onprem(v, n), family);
        let r = conclude(e, from.clone(), to.clone(), family, w, wanted);
        if r.verdict == Verdict::Allowed {
            return r;
        }
        if first.is_none() {
            first = Some(r);
        }
    }
    match first {
        Some(r) if r.verdict == Verdict::Blocked => maybe_path(Some(r))
            .unwrap_or_else(|| result(from, to, family, Verdict::Unknown, path, String::new())),
        Some(r) => r,
        None => maybe_path(None)
            .unwrap_or_else(|| result(from, to, family, Verdict::Unknown, path, String::new())),
    }
}

// ---------------------------------------------------------------------------------------
// Behaviour classes

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Sig {
    Absent,
    Known(Vec<u32>),
    Unknown(Option<u32>, Option<u8>),
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Key {
    special: Option<u32>,
    vpc: Option<u32>,
    table: Option<u32>,
    nacl: Option<u32>,
    az: Option<String>,
    public: bool,
    v4: Sig,
    v6: Sig,
}

/// Subnets that behave identically.
#[derive(Clone, Debug)]
pub struct Class {
    pub members: Vec<SubnetId>,
}

/// Every known CIDR a decision may compare a subnet's block with.
/// For a VPN connection on a virtual private gateway that learns its routes over BGP: the
/// subnet's route table, and why nothing it sends gets to that gateway, when that is so.
/// Whatever prefixes BGP brings, they reach a table only by propagation from the gateway
/// (`propagating_vgws`), and traffic reaches the gateway only by a route to it; other
/// targets (another gateway, a peering, a transit gateway) never hand traffic to it. Any
/// target that may (an interface, a NAT gateway, something not resolved), or a route or
/// propagation whose table is not known, leaves it open.
fn no_way_to_vgw(
    m: &Model,
    a: SubnetId,
    conn: &crate::model::VpnConnection,
) -> Option<(crate::model::RouteTableId, String)> {
    let Link::To(g, _) = conn.vpn_gateway else {
        return None;
    };
    if !m.unplaced_vgw_propagations.is_empty()
        || m.routes.iter().any(|r| !matches!(r.table, Link::To(..)))
    {
        return None;
    }
    let t = m.subnet(a).route_table.link.id()?;
    let table = m.route_tables.get(t.index())?;
    if table
        .propagating_vgws
        .iter()
        .any(|(_, l)| !matches!(l, Link::To(x, _) if *x != g))
    {
        return None;
    }
    for r in &table.routes {
        let route = m.routes.get(r.index())?;
        match &route.target {
            Target::Local | Target::TransitGateway(_) | Target::Peering(_) => {}
            Target::Gateway(Link::To(x, _)) if *x != g => {}
            Target::Endpoint(_) if matches!(route.destination, Destination::Service(_)) => {}
            _ => return None,
        }
    }
    let gw = m.gateways.get(g.index())?;
    Some((
        t,
        format!(
            "{} has no route to {}, the virtual private gateway of {}, and none propagated from it: whatever {} learns over BGP, nothing from this subnet is sent there",
            tick(&table.meta.address),
            tick(&gw.meta.address),
            tick(&conn.meta.address),
            tick(&conn.meta.address)
        ),
    ))
}

fn universe(m: &Model) -> Vec<IpNet> {
    // Gathered in a hash set (most rules and routes repeat a few blocks), then sorted: a
    // tree of them, built and torn down on one thread, was tens of milliseconds.
    let mut u: HashSet<IpNet, BuildHasherDefault<FxHasher>> = HashSet::default();
    for r in &m.routes {
        if let Destination::Cidr(b) = &r.destination {
            u.extend(known_net(b));
        }
    }
    for pl in &m.prefix_lists {
        u.extend(pl.blocks().filter_map(known_net));
    }
    for n in &m.nacls {
        for r in n.ingress.iter().chain(&n.egress) {
            u.extend(known_net(&r.cidr));
        }
    }
    for t in &m.tgw_route_tables {
        for r in &t.routes {
            u.extend(known_net(&r.destination));
        }
    }
    for x in &m.unplaced_tgw {
        if let crate::model::UnplacedTgwKind::Route(r) = &x.kind {
            u.extend(known_net(&r.destination));
        }
    }
    for v in &m.vpcs {
        for b in &v.ipv4 {
            if let Block::Known(n) = b.block {
                u.insert(IpNet::V4(n));
            }
        }
        for b in &v.ipv6 {
            if let Block::Known(n) = b.block {
                u.insert(IpNet::V6(n));
            }
        }
    }
    for c in &m.vpn_connections {
        for (_, b) in &c.static_routes {
            if let Block::Known(n) = b {
                u.insert(IpNet::V4(*n));
            }
        }
        u.extend(c.remote_networks.iter().filter_map(known_net));
    }
    for s in [
        "10.0.0.0/8",
        "172.16.0.0/12",
        "192.168.0.0/16",
        "100.64.0.0/10",
        "169.254.0.0/16",
        "fc00::/7",
        "fe80::/10",
    ] {
        if let Ok(n) = s.parse() {
            u.insert(n);
        }
    }
    let mut u: Vec<IpNet> = u.into_iter().collect();
    u.sort_unstable();
    u
}

/// A mark per subnet (a set of 100,000s of inserts, most of them repeats, as a tree was
/// tens of milliseconds on one core).
struct Marks(Vec<bool>);

impl Marks {
    fn extend(&mut self, ids: impl IntoIterator<Item = SubnetId>) {
        for id in ids {
            if let Some(m) = self.0.get_mut(id.index()) {
                *m = true;
            }
        }
    }
    fn contains(&self, id: SubnetId) -> bool {
        self.0.get(id.index()).copied().unwrap_or(false)
    }
}

/// The subnets that unknown CIDRs of rules and routes are placed in
/// ([`crate::model::UnknownBlock::inside_subnets`]): an address inside one of them is
/// covered where its VPC's other subnets are not.
fn mark_subnets_placing_blocks(m: &Model, s: &mut Marks) {
    fn placed(b: &AnyBlock) -> &[SubnetId] {
        match b {
            AnyBlock::V4(Block::Unknown(u)) | AnyBlock::V6(Block::Unknown(u)) => {
                u.inside_subnets.as_slice()
            }
            _ => &[],
        }
    }
    fn sg(r: &crate::model::SgRule) -> &[SubnetId] {
        match &r.peer {
            SgPeer::Cidr(b) => placed(b),
            _ => &[],
        }
    }
    for n in &m.nacls {
        for r in n.ingress.iter().chain(&n.egress) {
            s.extend(placed(&r.cidr).iter().copied());
        }
    }
    for g in &m.security_groups {
        for r in g.ingress.iter().chain(&g.egress) {
            s.extend(sg(r).iter().copied());
        }
    }
    for o in &m.outside_group_rules {
        s.extend(sg(&o.rule).iter().copied());
    }
    for u in &m.unplaced_group_rules {
        s.extend(sg(&u.rule).iter().copied());
    }
    for r in &m.routes {
        if let Destination::Cidr(b) = &r.destination {
            s.extend(placed(b).iter().copied());
        }
    }
    for l in &m.prefix_lists {
        for b in l.blocks() {
            s.extend(placed(b).iter().copied());
        }
    }
}

/// Subnets whose own identity matters: they host a NAT gateway, an endpoint, a TGW
/// attachment ENI, an EICE, or a route-target workload.
fn special_subnets(m: &Model) -> Marks {
    let mut s = Marks(vec![false; m.subnets.len()]);
    for n in &m.nat_gateways {
        s.extend(n.subnet.id());
    }
    for ep in &m.endpoints {
        s.extend(ep.subnets.iter().filter_map(|(_, l)| l.id()));
    }
    for a in &m.tgw_attachments {
        if let TgwAttachmentKind::Vpc { subnets, .. } = &a.kind {
            s.extend(subnets.iter().filter_map(Link::id));
        }
    }
    for i in &m.instance_connect_endpoints {
        s.extend(i.subnet.id());
    }
    s.extend(super::bpa::excluded_subnets(m));
    mark_subnets_placing_blocks(m, &mut s);
    for r in &m.routes {
        if let Target::Workload(Link::To(w, _)) = &r.target {
            if let Some(wl) = m.workloads.get(w.index()) {
                s.extend(wl.subnet.id());
            }
        }
    }
    s
}

/// Groups the model's subnets into behaviour classes, in a deterministic order.
pub fn classes(e: &Engine<'_>) -> Vec<Class> {
    let m = e.m;
    let uni = universe(m);
    let special = special_subnets(m);
    // Each known CIDR by its network (truncated, as `contains` compares), with its
    // positions in `uni`: the CIDRs containing a block are found among its supernets.
    let mut by_net: HashMap<IpNet, Vec<u32>, BuildHasherDefault<FxHasher>> = HashMap::default();
    let (mut lens4, mut lens6) = (BTreeSet::new(), BTreeSet::new());
    for (i, u) in uni.iter().enumerate() {
        by_net.entry(u.trunc()).or_default().push(i as u32);
        match u {
            IpNet::V4(_) => lens4.insert(u.prefix_len()),
            IpNet::V6(_) => lens6.insert(u.prefix_len()),
        };
    }
    let containing = |n: IpNet| -> Vec<u32> {
        let mut out: Vec<u32> = Vec::new();
        let lens = match n {
            IpNet::V4(_) => &lens4,
            IpNet::V6(_) => &lens6,
        };
        for &len in lens.range(..=n.prefix_len()) {
            let sup = match n {
                IpNet::V4(v) => Ipv4Net::new(v.network(), len).map(|x| IpNet::V4(x.trunc())),
                IpNet::V6(v) => Ipv6Net::new(v.network(), len).map(|x| IpNet::V6(x.trunc())),
            };
            if let Some(ix) = sup.ok().and_then(|s| by_net.get(&s)) {
                out.extend_from_slice(ix);
            }
        }
        out.sort_unstable();
        out
    };
    let sig4 = |b: &Option<Block<crate::model::Ipv4Net>>| -> Sig {
        match b {
            None => Sig::Absent,
            Some(Block::Known(n)) => Sig::Known(containing(IpNet::V4(*n))),
            Some(Block::Unknown(u)) => Sig::Unknown(u.inside_vpc.map(|v| v.0), u.prefix_len),
        }
    };
    let sig6 = |b: &Option<Block<crate::model::Ipv6Net>>| -> Sig {
        match b {
            None => Sig::Absent,
            Some(Block::Known(n)) => Sig::Known(containing(IpNet::V6(*n))),
            Some(Block::Unknown(u)) => Sig::Unknown(u.inside_vpc.map(|v| v.0), u.prefix_len),
        }
    };
    let keys: Vec<Key> = m
        .subnets
        .par_iter()
        .enumerate()
        .map(|(i, s)| {
            let id = SubnetId(i as u32);
            let links_ok = matches!(s.vpc, Link::To(..))
                && matches!(s.route_table.link, Link::To(..))
                && matches!(s.nacl.link, Link::To(..));
            Key {
                special: (!links_ok || special.contains(id)).then_some(i as u32),
                vpc: s.vpc.id().map(|v| v.0),
                table: s.route_table.link.id().map(|t| t.0),
                nacl: s.nacl.link.id().map(|n| n.0),
                az: match &s.availability_zone {
                    Val::Known(a) => Some(a.clone()),
                    Val::Unknown(_) => None,
                },
                public: e.subnet_public.get(i).copied().unwrap_or(false),
                v4: sig4(&s.ipv4),
                v6: sig6(&s.ipv6),
            }
        })
        .collect();
    // Classes in key order, each with its members in subnet order: the keys sorted with
    // their subnets (on all threads), then cut where the key changes.
    let mut keyed: Vec<(Key, u32)> = keys.into_iter().zip(0u32..).collect();
    keyed.par_sort_unstable();
    // At most one class per subnet (each a small list): no regrowth of the list.
    let mut out: Vec<Class> = Vec::with_capacity(keyed.len());
    let mut last: Option<&Key> = None;
    for (k, i) in &keyed {
        match out.last_mut() {
            Some(c) if last == Some(k) => c.members.push(SubnetId(*i)),
            _ => out.push(Class {
                members: vec![SubnetId(*i)],
            }),
        }
        last = Some(k);
    }
    out
}

// ---------------------------------------------------------------------------------------
// Rendering a class answer for each member

/// Replaces whole backticked addresses (and unknown-CIDR reasons) of the representatives
/// with the member's, in one pass.
struct Subst {
    pairs: Vec<(String, String)>,
}

impl Subst {
    fn new(m: &Model, reps: &[(SubnetId, SubnetId)]) -> Subst {
        let mut pairs = Vec::new();
        for &(rep, actual) in reps {
            if rep == actual {
                continue;
            }
            let (rs, as_) = (m.subnet(rep), m.subnet(actual));
            pairs.push((ticked(&rs.meta.address), ticked(&as_.meta.address)));
            if let (Some(Block::Unknown(r)), Some(Block::Unknown(a))) = (&rs.ipv4, &as_.ipv4) {
                if r.reason != a.reason {
                    pairs.push((r.reason.clone(), a.reason.clone()));
                }
            }
            if let (Some(Block::Unknown(r)), Some(Block::Unknown(a))) = (&rs.ipv6, &as_.ipv6) {
                if r.reason != a.reason {
                    pairs.push((r.reason.clone(), a.reason.clone()));
                }
            }
        }
        Subst { pairs }
    }

    fn apply(&self, text: &str) -> String {
        if self.pairs.is_empty() {
            return text.to_string();
        }
        let mut out = String::with_capacity(text.len() + 16);
        let mut i = 0;
        'outer: while i < text.len() {
            for (pat, rep) in &self.pairs {
                if !pat.is_empty() && text[i..].starts_with(pat.as_str()) {
                    out.push_str(rep);
                    i += pat.len();
                    continue 'outer;
                }
            }
            let Some(ch) = text[i..].chars().next() else {
                break;
            };
            out.push(ch);
            i += ch.len_utf8();
        }
        out
    }
}

fn render(
    e: &Engine<'_>,
    t: &PathResult,
    from: (SubnetId, SubnetId),
    to: Option<(SubnetId, SubnetId)>,
) -> PathResult {
    let mut reps = vec![from];
    reps.extend(to);
    let same = reps.iter().all(|(r, a)| r == a);
    if same {
        return t.clone();
    }
    let s = Subst::new(e.m, &reps);
    let name = |id: SubnetId| e.subnet_addr(id);
    let from_rep = *t.from == *name(from.0);
    let to_rep = matches!(to, Some((rt, _)) if *t.to == *name(rt));
    let mut path: Vec<Name> = t.path.clone();
    let last = path.len().saturating_sub(1);
    if from_rep {
        if let Some(h) = path.first_mut() {
            if *h == t.from {
                *h = e.subnet_name(from.1);
            }
        }
    }
    if let Some((rt, at)) = to {
        if let Some(h) = path.get_mut(last) {
            if **h == *name(rt) {
                *h = e.subnet_name(at);
            }
        }
    }
    PathResult {
        from: if from_rep {
            e.subnet_name(from.1)
        } else {
            t.from.clone()
        },
        to: match to {
            Some((_, at)) if to_rep => e.subnet_name(at),
            _ => t.to.clone(),
        },
        family: t.family,
        verdict: t.verdict,
        path,
        reason: s.apply(&t.reason),
        ports: t.ports.clone(),
        dropped_by: t.dropped_by.clone(),
        drop_kind: t.drop_kind,
    }
}

/// Inbound results render the member as the destination.
fn render_inbound(e: &Engine<'_>, t: &PathResult, to: (SubnetId, SubnetId)) -> PathResult {
    if to.0 == to.1 {
        return t.clone();
    }
    let s = Subst::new(e.m, &[to]);
    let (rn, an) = (e.subnet_addr(to.0), e.subnet_name(to.1));
    PathResult {
        from: t.from.clone(),
        to: an.clone(),
        family: t.family,
        verdict: t.verdict,
        path: t
            .path
            .iter()
            .map(|h| if **h == *rn { an.clone() } else { h.clone() })
            .collect(),
        reason: s.apply(&t.reason),
        ports: t.ports.clone(),
        dropped_by: t.dropped_by.clone(),
        drop_kind: t.drop_kind,
    }
}

/// The position of every endpoint name in the sorted list of all names, so results sort
/// by integers in the order their `(from, to)` strings would.
struct Ranks {
    subnet: Vec<u32>,
    internet: u32,
    service: Vec<u32>,
    vpn: Vec<u32>,
}

impl Ranks {
    fn new(m: &Model, services: &[String]) -> Ranks {
        let internet = "internet".to_string();
        let service: Vec<String> = services.iter().map(|s| format!("service:{s}")).collect();
        let vpn: Vec<String> = m
            .vpn_connections
            .iter()
            .map(|c| format!("vpn:{}", c.meta.address))
            .collect();
        let mut all: Vec<&str> = m.subnets.iter().map(|s| s.meta.address.as_str()).collect();
        all.push(&internet);
        all.extend(service.iter().map(String::as_str));
        all.extend(vpn.iter().map(String::as_str));
        all.sort_unstable();
        all.dedup();
        let rank = |n: &str| all.binary_search(&n).map_or(u32::MAX, |i| i as u32);
        Ranks {
            subnet: m.subnets.iter().map(|s| rank(&s.meta.address)).collect(),
            internet: rank(&internet),
            service: service.iter().map(|s| rank(s)).collect(),
            vpn: vpn.iter().map(|s| rank(s)).collect(),
        }
    }

    fn subnet(&self, s: SubnetId) -> u32 {
        self.subnet.get(s.index()).copied().unwrap_or(u32::MAX)
    }

    /// The sort key of a result from `from` to `to`.
    fn key(from: u32, to: u32, family: Family) -> u64 {
        (u64::from(from) << 33) | (u64::from(to) << 1) | u64::from(family == Family::Ipv6)
    }

    /// The rank of the far end of a task that starts (or, inbound, ends) at a subnet.
    fn far(&self, t: &Task<'_>) -> u32 {
        match t {
            Task::Out(..) | Task::In(..) => self.internet,
            Task::Service(_, s, _) => self.service.get(*s).copied().unwrap_or(u32::MAX),
            Task::Vpn(_, v, _) => self.vpn.get(v.index()).copied().unwrap_or(u32::MAX),
            Task::Pair(..) => u32::MAX,
        }
    }
}

/// Every answer of batch `b` from its class's answer `r`, with its sort key: the
/// representative's own answer is `r` itself (moved, not copied); the other members' are
/// rendered from it. Members whose answers start outside the batch are left out. Each
/// answer is in the `Option` [`Stream::answer`] takes it out of, in sorted order.
fn expand(
    e: &Engine<'_>,
    ranks: &Ranks,
    only: Only<'_>,
    t: &Task<'_>,
    r: PathResult,
) -> Vec<(u64, Option<PathResult>)> {
    let b = only.batch;
    let mut out = Vec::new();
    let family = r.family;
    let own = match t {
        Task::Pair(sa, sb, _) => {
            let (ra, rb) = (sa.rep, sb.rep);
            for &a in sa.members {
                let from = ranks.subnet(a);
                if !b.holds(from) || !only.has(only.from, a) {
                    continue;
                }
                out.reserve(sb.members.len());
                for &m in sb.members {
                    if m != a && (a, m) != (ra, rb) && only.has(only.to, m) {
                        let k = Ranks::key(from, ranks.subnet(m), family);
                        out.push((k, Some(render(e, &r, (ra, a), Some((rb, m))))));
                    }
                }
            }
            let from = ranks.subnet(ra);
            (b.holds(from) && only.has(only.from, ra) && only.has(only.to, rb))
                .then(|| Ranks::key(from, ranks.subnet(rb), family))
        }
        Task::In(i, _) => {
            let far = ranks.far(t);
            out.reserve(i.members.len());
            out.extend(i.members.iter().filter(|&&m| m != i.rep).map(|&m| {
                (
                    Ranks::key(far, ranks.subnet(m), family),
                    Some(render_inbound(e, &r, (i.rep, m))),
                )
            }));
            Some(Ranks::key(far, ranks.subnet(i.rep), family))
        }
        Task::Out(i, _) | Task::Service(i, _, _) | Task::Vpn(i, _, _) => {
            let far = ranks.far(t);
            out.reserve(i.members.len());
            out.extend(
                i.members
                    .iter()
                    .filter(|&&a| a != i.rep && b.holds(ranks.subnet(a)))
                    .map(|&a| {
                        (
                            Ranks::key(ranks.subnet(a), far, family),
                            Some(render(e, &r, (i.rep, a), None)),
                        )
                    }),
            );
            let from = ranks.subnet(i.rep);
            b.holds(from).then(|| Ranks::key(from, far, family))
        }
    };
    out.extend(own.map(|k| (k, Some(r))));
    out
}

/// One behaviour class as a task sees it: the subnet whose answer is computed (`rep`) and
/// every member the answer is rendered for.
#[derive(Clone, Copy, Debug)]
struct Side<'c> {
    rep: SubnetId,
    members: &'c [SubnetId],
}

#[derive(Clone, Debug)]
enum Task<'c> {
    Pair(Side<'c>, Side<'c>, Family),
    Out(Side<'c>, Family),
    In(Side<'c>, Family),
    /// A service, by its position in `services`.
    Service(Side<'c>, usize, Family),
    Vpn(Side<'c>, VpnConnectionId, Family),
}

/// The services worth asking about: S3, DynamoDB, and every service with an endpoint.
pub fn services(m: &Model) -> Vec<String> {
    let mut s: BTreeSet<String> = ["s3", "dynamodb"].iter().map(|s| s.to_string()).collect();
    for ep in &m.endpoints {
        if matches!(ep.kind, EndpointKind::Gateway | EndpointKind::Interface) {
            s.extend(ep.service.clone());
        }
    }
    s.into_iter().collect()
}

/// Every answer for `m` within `scope`, sorted by `(from, to, family)`.
pub fn all_pairs(m: &Model, pairs: bool) -> Vec<PathResult> {
    let s = Stream::new(m, pairs);
    s.batch(Batch::ALL)
}

/// A run of consecutive "from" endpoints, by rank (inclusive): the answers of one batch.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Batch {
    lo: u32,
    hi: u32,
}

impl Batch {
    /// Every answer at once.
    pub const ALL: Batch = Batch {
        lo: 0,
        hi: u32::MAX,
    };

    fn holds(self, rank: u32) -> bool {
        (self.lo..=self.hi).contains(&rank)
    }
}

/// A pair task from every class marked as a start to every class marked as an end (the
/// marks of [`Stream::sides`]), in class order.
fn pair_tasks<'c>(with: &[(bool, bool, Side<'c>)], family: Family, tasks: &mut Vec<Task<'c>>) {
    for (i, &(from, _, a)) in with.iter().enumerate() {
        if !from {
            continue;
        }
        for (j, &(_, to, b)) in with.iter().enumerate() {
            if !to {
                continue;
            }
            // A class with itself: its second member stands for the other end.
            let b = if i == j {
                match b.members.get(1) {
                    Some(&rep) => Side { rep, ..b },
                    None => continue,
                }
            } else {
                b
            };
            tasks.push(Task::Pair(a, b, family));
        }
    }
}

/// Which of a class answer's members get an answer: those a batch starts from and, for
/// pairs asked between two sets of subnets, the members of each set.
#[derive(Clone, Copy)]
struct Only<'f> {
    batch: Batch,
    /// By subnet index; `None`: every subnet.
    from: Option<&'f [bool]>,
    to: Option<&'f [bool]>,
}

impl Only<'_> {
    fn has(self, set: Option<&[bool]>, s: SubnetId) -> bool {
        set.map_or(true, |set| set.get(s.index()).copied().unwrap_or(false))
    }
}

/// The answers of one model, computed batch by batch in report order, so that consumers
/// of every pair of a large network (millions of answers) hold one batch at a time.
///
/// A batch is the answers *from* a run of endpoints (subnets and `internet`) adjacent in
/// name order; every answer sorts by its `from` first, so batches in order are the whole
/// report in order. Each batch asks its questions once per class (pair) like the whole,
/// renders them only for the members it holds, and gives the same answers the whole does
/// for them, byte for byte.
pub struct Stream<'m> {
    e: Engine<'m>,
    classes: Vec<Class>,
    services: Vec<String>,
    ranks: Ranks,
    pairs: bool,
    /// Each subnet's class.
    class_of: Vec<u32>,
    /// The "from" endpoints in rank order: a subnet, or `None` for `internet`.
    froms: Vec<(u32, Option<SubnetId>)>,
}

impl<'m> Stream<'m> {
    pub fn new(m: &'m Model, pairs: bool) -> Stream<'m> {
        let e = Engine::new(m);
        let classes = classes(&e);
        let services = services(m);
        let ranks = Ranks::new(m, &services);
        let mut class_of = vec![u32::MAX; m.subnets.len()];
        for (c, class) in classes.iter().enumerate() {
            for s in &class.members {
                if let Some(slot) = class_of.get_mut(s.index()) {
                    *slot = c as u32;
                }
            }
        }
        let mut froms: Vec<(u32, Option<SubnetId>)> = (0..m.subnets.len())
            .map(|i| {
                let s = SubnetId(i as u32);
                (ranks.subnet(s), Some(s))
            })
            .collect();
        froms.push((ranks.internet, None));
        froms.sort_unstable();
        Stream {
            e,
            classes,
            services,
            ranks,
            pairs,
            class_of,
            froms,
        }
    }

    /// The batches that together hold every answer, in order, each of about `target`
    /// answers (more when one endpoint alone has more).
    pub fn batches(&self, target: usize) -> Vec<Batch> {
        let m = self.e.m;
        let fam = |f: Family| {
            (0..m.subnets.len())
                .filter(|&i| has_family(m, SubnetId(i as u32), f))
                .count()
        };
        let with = [fam(Family::Ipv4), fam(Family::Ipv6)];
        // What one subnet answers per family it has: every other subnet (all pairs), the
        // internet, each service and each VPN.
        let external = 1 + self.services.len() + m.vpn_connections.len();
        let mut out = Vec::new();
        let mut lo: Option<u32> = None;
        let mut size = 0usize;
        let mut froms = self.froms.iter().peekable();
        while let Some(&(rank, s)) = froms.next() {
            lo.get_or_insert(rank);
            size += match s {
                None => with.iter().sum::<usize>(),
                Some(s) => [Family::Ipv4, Family::Ipv6]
                    .iter()
                    .zip(with)
                    .filter(|(f, _)| has_family(m, s, **f))
                    .map(|(_, n)| if self.pairs { n + external } else { external })
                    .sum(),
            };
            // Endpoints of one name (a rank) stay in one batch.
            let next_same = froms.peek().is_some_and(|(r, _)| *r == rank);
            if size >= target && !next_same {
                out.extend(lo.take().map(|lo| Batch { lo, hi: rank }));
                size = 0;
            }
        }
        out.extend(lo.map(|lo| Batch { lo, hi: u32::MAX }));
        out
    }

    /// The classes with a member among the batch's "from" subnets, in class order.
    fn classes_in(&self, b: Batch) -> Vec<bool> {
        let mut wanted = vec![false; self.classes.len()];
        if b == Batch::ALL {
            wanted.fill(true);
            return wanted;
        }
        let start = self.froms.partition_point(|(r, _)| *r < b.lo);
        for &(rank, s) in self.froms.get(start..).unwrap_or_default() {
            if rank > b.hi {
                break;
            }
            if let Some(s) = s {
                if let Some(w) = self
                    .class_of
                    .get(s.index())
                    .and_then(|&c| wanted.get_mut(c as usize))
                {
                    *w = true;
                }
            }
        }
        wanted
    }

    /// The classes whose representative has `family`, each as a task sees it, with the two
    /// marks `mark` gives it: whether its members start answers, and whether they end
    /// subnet-to-subnet ones.
    fn sides(
        &self,
        family: Family,
        mark: impl Fn(usize, &Class) -> (bool, bool),
    ) -> Vec<(bool, bool, Side<'_>)> {
        let m = self.e.m;
        self.classes
            .iter()
            .enumerate()
            .filter_map(|(i, c)| {
                let rep = *c.members.first()?;
                let (from, to) = mark(i, c);
                has_family(m, rep, family).then_some((
                    from,
                    to,
                    Side {
                        rep,
                        members: &c.members,
                    },
                ))
            })
            .collect()
    }

    /// The batch's answers, sorted by `(from, to, family)`.
    pub fn batch(&self, b: Batch) -> Vec<PathResult> {
        let m = self.e.m;
        if b != Batch::ALL {
            self.e.forget_nacl_evals();
        }
        let wanted = self.classes_in(b);
        let inbound = b.holds(self.ranks.internet);
        let mut tasks = Vec::new();
        for family in [Family::Ipv4, Family::Ipv6] {
            let with = self.sides(family, |i, _| {
                (wanted.get(i).copied().unwrap_or(false), true)
            });
            if self.pairs {
                pair_tasks(&with, family, &mut tasks);
            }
            for &(w, _, i) in &with {
                if w {
                    tasks.push(Task::Out(i, family));
                }
                if inbound {
                    tasks.push(Task::In(i, family));
                }
                if !w {
                    continue;
                }
                for s in 0..self.services.len() {
                    tasks.push(Task::Service(i, s, family));
                }
                for v in 0..m.vpn_connections.len() {
                    let v = VpnConnectionId(v as u32);
                    if family == Family::Ipv6 && onprem_cidrs(m, v, family).0.is_empty() {
                        continue;
                    }
                    tasks.push(Task::Vpn(i, v, family));
                }
            }
        }
        self.answer(
            tasks,
            Only {
                batch: b,
                from: None,
                to: None,
            },
        )
    }

    /// Every subnet-to-subnet answer from a subnet of `from` to one of `to` (by subnet
    /// index), sorted: the same answers [`batch`](Self::batch) gives for those pairs, for
    /// the pairs an intent names when the rest are not computed.
    pub fn between(&self, from: &[bool], to: &[bool]) -> Vec<PathResult> {
        let any = |c: &Class, set: &[bool]| {
            c.members
                .iter()
                .any(|s| set.get(s.index()).copied().unwrap_or(false))
        };
        let mut tasks = Vec::new();
        for family in [Family::Ipv4, Family::Ipv6] {
            let with = self.sides(family, |_, c| (any(c, from), any(c, to)));
            pair_tasks(&with, family, &mut tasks);
        }
        self.answer(
            tasks,
            Only {
                batch: Batch::ALL,
                from: Some(from),
                to: Some(to),
            },
        )
    }

    /// The answers of `tasks` that `only` selects, sorted by `(from, to, family)`.
    fn answer(&self, tasks: Vec<Task<'_>>, only: Only<'_>) -> Vec<PathResult> {
        let e = &self.e;
        let flows = Flows::all();
        // Each class answer, computed and at once rendered for every member the batch
        // holds, in task order (an indexed collect: no intermediate lists to concatenate,
        // which at 160,000 answers was the run's peak of memory; nor a list of every class
        // answer before rendering).
        let mut parts: Vec<Vec<(u64, Option<PathResult>)>> = tasks
            .into_par_iter()
            .map(|t| {
                let r = match &t {
                    Task::Pair(a, b, f) => subnet_to_subnet(e, a.rep, b.rep, *f, &flows),
                    Task::Out(i, f) => subnet_to_internet(e, i.rep, *f, &flows),
                    Task::In(i, f) => internet_to_subnet(e, i.rep, *f, &flows),
                    Task::Service(i, s, f) => {
                        let s = self.services.get(*s).map_or("", String::as_str);
                        subnet_to_service(e, i.rep, s, *f, &flows)
                    }
                    Task::Vpn(i, v, f) => subnet_to_vpn(e, i.rep, *v, *f, &flows),
                };
                expand(e, &self.ranks, only, &t, r)
            })
            .collect();
        // Sort (key, part, position) entries, each with a handle on its answer, then take
        // each answer into place once, on all threads (one thread moving 160,000 answers
        // from their parts, in sorted order, was a stretch of the run on one core).
        let mut order: Vec<(u64, u32, u32, &mut Option<PathResult>)> = parts
            .par_iter_mut()
            .enumerate()
            .flat_map_iter(|(p, part)| {
                part.iter_mut()
                    .enumerate()
                    .map(move |(j, (k, r))| (*k, p as u32, j as u32, r))
            })
            .collect();
        order.par_sort_unstable_by_key(|&(k, p, j, _)| (k, p, j));
        // Taken into a list of the same length, written on all threads (a filtered
        // parallel collect appends each thread's list to the first on one thread, and
        // takes the page faults of the whole list there); every entry holds an answer,
        // unwrapped where it lies.
        let taken: Vec<Option<PathResult>> =
            order.into_par_iter().map(|(.., r)| r.take()).collect();
        // `filter_map` collects in place (an `Option<PathResult>` is as large as a
        // `PathResult`); `flatten` would copy into a new list.
        #[allow(clippy::filter_map_identity)]
        let out: Vec<PathResult> = taken.into_iter().filter_map(|r| r).collect();
        // The emptied parts (one list per task) freed on all threads too.
        parts.into_par_iter().for_each(drop);
        out
    }
}
