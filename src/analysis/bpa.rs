//! VPC Block Public Access (BPA): what the account's mode in a Region, and the exclusions of
//! VPCs and subnets, let through the internet gateways and egress-only internet gateways.
//!
//! - `block-bidirectional`: all traffic to and from internet gateways and egress-only
//!   internet gateways is blocked, except for excluded VPCs and subnets.
//! - `block-ingress`: all internet traffic to the VPCs is blocked, except for excluded VPCs
//!   and subnets; only traffic through NAT gateways and egress-only internet gateways passes,
//!   as those only let connections out.
//! - An `allow-bidirectional` exclusion lets all internet traffic of its VPC or subnet
//!   through; an `allow-egress` one lets its outbound traffic through and blocks inbound
//!   traffic, and applies only under `block-bidirectional`.
//!
//! The gate is decided per subnet, for the subnet the internet gateway sees as the source:
//! the NAT gateway's subnet after a NAT gateway, the instances' own subnet through a Gateway
//! Load Balancer or Network Firewall endpoint (AWS: excluding the endpoint's subnet does not
//! let traffic through).

use crate::model::{BpaExclusion, BpaExclusionMode, BpaMode, BpaScope, Link, Model, SubnetId, Val};

use super::walk::{tick, ticked};

/// What BPA does to one kind of a subnet's internet traffic.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Gate {
    /// It passes; with the exclusion that lets it through, when BPA would block it without.
    Open(Option<String>),
    /// The options at `by` block it.
    Closed { by: String, reason: String },
    /// Whether it passes depends on what the plan does not know.
    Unsure(String),
}

/// The kinds of internet traffic BPA tells apart.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Way {
    /// Connections from the internet through an internet gateway.
    In,
    /// The subnet's own connections to the internet through an internet gateway (an
    /// instance with a public address, a NAT instance).
    Out,
    /// Connections out through a NAT gateway in the subnet, or from the subnet through an
    /// egress-only internet gateway.
    OutNat,
}

const WAYS: [Way; 3] = [Way::In, Way::Out, Way::OutNat];

/// The three gates of a subnet, in [`Way`] order.
pub type SubnetGates = [Gate; 3];

const OPEN: SubnetGates = [Gate::Open(None), Gate::Open(None), Gate::Open(None)];

/// Whether traffic of `way` passes under `mode` for a subnet exempt in `exclusion` mode.
fn passes(way: Way, mode: BpaMode, exclusion: Option<BpaExclusionMode>) -> bool {
    match (mode, exclusion) {
        (BpaMode::Off, _) | (_, Some(BpaExclusionMode::Bidirectional)) => true,
        (BpaMode::Bidirectional, Some(BpaExclusionMode::Egress)) => way != Way::In,
        (BpaMode::Ingress, _) => way == Way::OutNat,
        (BpaMode::Bidirectional, None) => false,
    }
}

/// Whether an exclusion names the subnet (or its VPC): `Some(true)` when it does,
/// `Some(false)` when its target is not known, so it may.
fn targets(e: &BpaExclusion, s: SubnetId, vpc: crate::model::VpcId) -> Option<bool> {
    match (&e.subnet, &e.vpc) {
        (Link::To(x, _), _) if *x == s => Some(true),
        (_, Link::To(x, _)) if *x == vpc => Some(true),
        (Link::Unresolved(_), _) | (_, Link::Unresolved(_)) => Some(false),
        _ => None,
    }
}

fn modes(e: &BpaExclusion) -> Vec<Option<BpaExclusionMode>> {
    match e.mode {
        Val::Known(m) => vec![Some(m)],
        Val::Unknown(_) => vec![
            Some(BpaExclusionMode::Bidirectional),
            Some(BpaExclusionMode::Egress),
        ],
    }
}

/// The gates of subnet `s`: open unless BPA options govern its VPC.
pub fn subnet_gates(m: &Model, s: SubnetId) -> SubnetGates {
    let sub = m.subnet(s);
    let Some(vpc) = sub.vpc.id() else {
        return OPEN;
    };
    let (options, scope_unsure) = match &m.vpc(vpc).block_public_access {
        BpaScope::None => return OPEN,
        BpaScope::Applies(b) => (m.block_public_access(*b), None),
        BpaScope::Unsure(b, reason) => (m.block_public_access(*b), Some(reason)),
    };
    let bpa_modes: Vec<BpaMode> = match options.mode {
        Val::Known(mode) => vec![mode],
        Val::Unknown(_) => vec![BpaMode::Off, BpaMode::Bidirectional, BpaMode::Ingress],
    };
    let mut definite: Vec<&BpaExclusion> = Vec::new();
    let mut maybe: Vec<&BpaExclusion> = Vec::new();
    for e in &m.bpa_exclusions {
        match targets(e, s, vpc) {
            Some(true) => definite.push(e),
            Some(false) => maybe.push(e),
            None => {}
        }
    }
    // Every exclusion state the subnet may be in.
    let mut candidates: Vec<Option<BpaExclusionMode>> = Vec::new();
    if definite.is_empty() {
        candidates.push(None);
    }
    for e in definite.iter().chain(&maybe) {
        candidates.extend(modes(e));
    }
    let gate = |way: Way| -> Gate {
        let outcomes: Vec<bool> = bpa_modes
            .iter()
            .flat_map(|&mode| candidates.iter().map(move |&x| passes(way, mode, x)))
            .collect();
        let gate = if outcomes.iter().all(|p| *p) {
            // The exclusion that lets it through, when the mode alone would not.
            let helped = bpa_modes.iter().any(|&mode| !passes(way, mode, None));
            Gate::Open(
                helped
                    .then(|| definite.first().map(|e| e.meta.address.clone()))
                    .flatten(),
            )
        } else if outcomes.iter().all(|p| !p) {
            closed(
                m,
                s,
                way,
                options.meta.address.as_str(),
                &bpa_modes,
                &definite,
            )
        } else {
            Gate::Unsure(unsure_reason(options, &definite, &maybe, s, m))
        };
        match (gate, scope_unsure) {
            (Gate::Closed { .. }, Some(reason)) => Gate::Unsure(reason.clone()),
            (g, _) => g,
        }
    };
    WAYS.map(gate)
}

fn closed(
    m: &Model,
    s: SubnetId,
    way: Way,
    by: &str,
    modes: &[BpaMode],
    definite: &[&BpaExclusion],
) -> Gate {
    let mode = modes.first().copied().unwrap_or(BpaMode::Bidirectional);
    let subnet = &m.subnet(s).meta.address;
    let egress_only = definite
        .iter()
        .find(|e| e.mode == Val::Known(BpaExclusionMode::Egress));
    let what = match way {
        Way::In => format!("connections from the internet to {}", tick(subnet)),
        Way::Out | Way::OutNat => format!("the internet traffic of {}", tick(subnet)),
    };
    let mut reason = format!(
        "{} blocks {what} (VPC Block Public Access, `{}`)",
        tick(by),
        mode.as_str()
    );
    match (way, mode, egress_only) {
        (Way::In, _, Some(e)) => {
            reason.push_str(&format!(
                "; the exclusion {} allows egress only",
                tick(&e.meta.address)
            ));
        }
        (Way::Out, BpaMode::Ingress, Some(e)) => {
            reason.push_str(&format!(
                ": only NAT gateway and egress-only internet gateway traffic passes, and the `allow-egress` exclusion {} applies only under `block-bidirectional`",
                tick(&e.meta.address)
            ));
        }
        (Way::Out, BpaMode::Ingress, None) => {
            reason.push_str(": only NAT gateway and egress-only internet gateway traffic passes");
        }
        _ => reason.push_str("; no exclusion exempts it"),
    }
    Gate::Closed {
        by: by.to_string(),
        reason,
    }
}

fn unsure_reason(
    options: &crate::model::BlockPublicAccess,
    definite: &[&BpaExclusion],
    maybe: &[&BpaExclusion],
    s: SubnetId,
    m: &Model,
) -> String {
    if let Val::Unknown(r) = &options.mode {
        return r.clone();
    }
    if let Some(e) = maybe.first() {
        let why = match (&e.subnet, &e.vpc) {
            (Link::Unresolved(r), _) | (_, Link::Unresolved(r)) => r.as_str(),
            _ => "its target is not known",
        };
        return format!(
            "whether the Block Public Access exclusion {} exempts {} is not known: {why}",
            tick(&e.meta.address),
            tick(&m.subnet(s).meta.address)
        );
    }
    if let Some(Val::Unknown(r)) = definite
        .iter()
        .map(|e| &e.mode)
        .find(|v| v.known().is_none())
    {
        return r.clone();
    }
    let names: Vec<String> = definite.iter().map(|e| ticked(&e.meta.address)).collect();
    format!(
        "{} exempt {} in different modes, and AWS does not document which one applies",
        names.join(" and "),
        tick(&m.subnet(s).meta.address)
    )
}

/// Every subnet's gates, by subnet id; empty when the model has no BPA options (every gate
/// open).
pub fn gates(m: &Model) -> Vec<SubnetGates> {
    if m.block_public_access.is_empty() {
        return Vec::new();
    }
    (0..m.subnets.len())
        .map(|i| subnet_gates(m, SubnetId(i as u32)))
        .collect()
}

/// Subnets an exclusion names: their gates are their own.
pub fn excluded_subnets(m: &Model) -> impl Iterator<Item = SubnetId> + '_ {
    m.bpa_exclusions.iter().filter_map(|e| e.subnet.id())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

    use super::*;
    use crate::analysis::testkit::Net;
    use crate::model::{Action, BlockPublicAccess, BpaId, LinkHow, Meta, Tags, VpcId};

    fn meta(address: &str) -> Meta {
        Meta {
            address: address.to_string(),
            action: Action::Create,
            id: None,
            tags: Tags::new(),
        }
    }

    /// One VPC with two subnets under options in `mode`.
    fn model(mode: Val<BpaMode>) -> (Model, VpcId, SubnetId, SubnetId) {
        let mut net = Net::new();
        let v = net.vpc("main", "10.0.0.0/16");
        let a = net.subnet("a", v, "10.0.1.0/24", "us-east-1a");
        let b = net.subnet("b", v, "10.0.2.0/24", "us-east-1a");
        let mut m = net.model();
        m.block_public_access.push(BlockPublicAccess {
            meta: meta("aws_vpc_block_public_access_options.this"),
            mode,
        });
        m.vpcs[v.index()].block_public_access = BpaScope::Applies(BpaId(0));
        (m, v, a, b)
    }

    fn exclusion(
        name: &str,
        vpc: Link<VpcId>,
        subnet: Link<SubnetId>,
        mode: BpaExclusionMode,
    ) -> BpaExclusion {
        BpaExclusion {
            meta: meta(&format!("aws_vpc_block_public_access_exclusion.{name}")),
            vpc,
            subnet,
            mode: Val::Known(mode),
        }
    }

    fn open(g: &Gate) -> bool {
        matches!(g, Gate::Open(_))
    }

    #[test]
    fn the_modes_and_exclusions_let_through_what_aws_documents() {
        use BpaExclusionMode::{Bidirectional as Both, Egress};
        use BpaMode::{Bidirectional, Ingress, Off};
        // (mode, exclusion) → passes (in, out, out through NAT gateway / EIGW)
        let table = [
            (Off, None, [true, true, true]),
            (Bidirectional, None, [false, false, false]),
            (Bidirectional, Some(Egress), [false, true, true]),
            (Bidirectional, Some(Both), [true, true, true]),
            // Only NAT gateway and egress-only internet gateway traffic passes.
            (Ingress, None, [false, false, true]),
            // allow-egress applies only under block-bidirectional.
            (Ingress, Some(Egress), [false, false, true]),
            (Ingress, Some(Both), [true, true, true]),
        ];
        for (mode, excl, want) in table {
            let got = WAYS.map(|w| passes(w, mode, excl));
            assert_eq!(got, want, "{mode:?} {excl:?}");
        }
    }

    #[test]
    fn a_vpc_exclusion_exempts_every_subnet_of_the_vpc() {
        let (mut m, v, a, b) = model(Val::Known(BpaMode::Bidirectional));
        m.bpa_exclusions.push(exclusion(
            "vpc",
            Link::To(v, LinkHow::Reference),
            Link::None,
            BpaExclusionMode::Egress,
        ));
        for s in [a, b] {
            let [i, o, n] = subnet_gates(&m, s);
            assert!(!open(&i) && open(&o) && open(&n), "{i:?} {o:?} {n:?}");
            assert_eq!(
                o,
                Gate::Open(Some("aws_vpc_block_public_access_exclusion.vpc".into()))
            );
        }
    }

    #[test]
    fn exclusions_in_different_modes_leave_only_what_they_agree_on() {
        let (mut m, v, a, b) = model(Val::Known(BpaMode::Bidirectional));
        m.bpa_exclusions.push(exclusion(
            "vpc",
            Link::To(v, LinkHow::Reference),
            Link::None,
            BpaExclusionMode::Bidirectional,
        ));
        m.bpa_exclusions.push(exclusion(
            "a",
            Link::None,
            Link::To(a, LinkHow::Reference),
            BpaExclusionMode::Egress,
        ));
        let [i, o, _] = subnet_gates(&m, a);
        // Both let it out; only one lets the internet in.
        assert!(open(&o), "{o:?}");
        match i {
            Gate::Unsure(r) => assert!(r.contains("in different modes"), "{r}"),
            other => panic!("{other:?}"),
        }
        // `b` has only the VPC's exclusion.
        assert!(subnet_gates(&m, b).iter().all(open));
    }

    #[test]
    fn an_exclusion_whose_target_is_unknown_makes_blocked_traffic_unknown() {
        let (mut m, _, a, _) = model(Val::Known(BpaMode::Bidirectional));
        m.bpa_exclusions.push(exclusion(
            "later",
            Link::None,
            Link::Unresolved(
                "`aws_vpc_block_public_access_exclusion.later.subnet_id` is known only after apply"
                    .into(),
            ),
            BpaExclusionMode::Egress,
        ));
        let [i, o, _] = subnet_gates(&m, a);
        // Inbound is blocked whether or not it applies; outbound depends on it.
        assert!(matches!(i, Gate::Closed { .. }), "{i:?}");
        match o {
            Gate::Unsure(r) => assert!(r.contains("is known only after apply"), "{r}"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn options_that_may_not_govern_the_vpc_make_blocked_traffic_unknown() {
        let (mut m, v, a, _) = model(Val::Known(BpaMode::Ingress));
        m.vpcs[v.index()].block_public_access =
            BpaScope::Unsure(BpaId(0), "perhaps another account".into());
        let [i, o, n] = subnet_gates(&m, a);
        assert_eq!(i, Gate::Unsure("perhaps another account".into()));
        assert_eq!(o, Gate::Unsure("perhaps another account".into()));
        // Passes either way.
        assert_eq!(n, Gate::Open(None));
    }

    #[test]
    fn without_options_every_gate_is_open() {
        let (mut m, _, a, _) = model(Val::Known(BpaMode::Bidirectional));
        m.block_public_access.clear();
        for v in &mut m.vpcs {
            v.block_public_access = BpaScope::None;
        }
        assert!(gates(&m).is_empty());
        assert!(subnet_gates(&m, a).iter().all(open));
    }
}
