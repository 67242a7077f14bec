//! `query`: one question between two named endpoints, optionally narrowed to a protocol and
//! a port, with security groups where an endpoint is a workload (instance, network
//! interface, interface, resource or service network endpoint, EC2 Instance Connect Endpoint).
//!
//! Security groups are stateful, so they narrow the flows before the network is walked:
//! the source's egress, then (after the network) the destination's ingress. Subnet-level
//! questions ignore security groups, as the output contract says. Never prints.

use crate::analysis::addr::{
    is_private, known_net, overlaps, together_cover_internet, Addr, Cover,
};
use crate::analysis::engine::{
    internet_to_subnet, subnet_to_internet, subnet_to_service, subnet_to_subnet, subnet_to_vpn,
};
use crate::analysis::nacl::Direction;
use crate::analysis::ports::{Flows, Ranges};
use crate::analysis::walk::{
    filter, has_family, onprem_cidrs, tick, ticked, Crossing, Dest, End as WalkEnd, Engine, Legs,
};
use crate::analysis::{DropKind, Name, PathResult, Query, QueryError, QueryProtocol, Verdict};
use crate::model::{
    Block, ClientVpnAccess, Family, Forwarder, GatewayKind, IcmpMatch, Link, Listeners, Model,
    PortRange, Protocol, SecurityGroupId, SgPeer, SgRule, SubnetId, TgwAttachmentKind, Val, VpcId,
    VpnConnectionId, Workload,
};
use ipnet::IpNet;
use rayon::prelude::*;
use std::sync::Arc;

/// A workload endpoint: where it sits and which groups guard it.
#[derive(Clone, Debug)]
struct Wl {
    name: String,
    /// Its subnet; `None` when the plan does not show it ([`Self::elsewhere`] says why).
    subnet: Option<SubnetId>,
    /// Why its subnet is not one of the model's (given by an ID outside the plan, not
    /// known at plan time, or the default VPC's EC2 picks): the network between it and the
    /// other end is then `unknown`, while its security groups still decide.
    elsewhere: Option<String>,
    groups: Vec<SecurityGroupId>,
    /// Groups that may guard it too, with why: attached by an
    /// `aws_network_interface_sg_attachment` whose network interface is not known.
    maybe_groups: Vec<(SecurityGroupId, String)>,
    /// No group named and the VPC's default group is not managed by the plan.
    unmanaged_default: bool,
    vpc: Option<VpcId>,
    /// Its groups outside the plan (known IDs) and groups it names that cannot be resolved
    /// (the reasons): a rule naming a group may or may not mean it.
    outside: Outside,
    /// Why it never has a public IPv4 address, whatever its subnet gives others.
    no_public_ipv4: Option<String>,
    /// Why whether it has one is not known (it asks for none; its subnet assigns none).
    public_ipv4_unsure: Option<String>,
    /// Why whether it has one is decided at apply (`publicly_accessible`, ... unknown).
    public_ipv4_unknown: Option<String>,
    /// Whether it has an IPv6 address (where its subnet has an IPv6 block).
    ipv6: bool,
    /// No security group filters its traffic (a Network Load Balancer without any).
    unfiltered: bool,
    /// Why the internet reaches it in neither family (an internal load balancer).
    internal: Option<String>,
    /// The only ports it accepts connections on (a load balancer's listeners).
    listeners: Option<Listeners>,
    /// The load balancer listeners that forward to it.
    behind: Vec<Forwarder>,
    /// A load balancer node passing a connection on with the client's own address: the
    /// far end's groups see the internet, not this node.
    client_address: bool,
    /// Client VPN users: what their endpoint authorizes and routes through this subnet.
    client_vpn: Option<ClientVpnAccess>,
}

impl Wl {
    /// Its address as filters and routes see it: its subnet's block, or, for a subnet the
    /// plan does not show, an address not known at plan time.
    fn addr(&self, e: &Engine<'_>, family: Family) -> Addr {
        match (self.subnet, &self.elsewhere) {
            (Some(s), _) => e.subnet_block(s, family).unwrap_or(Addr::Public),
            (None, why) => Addr::Within {
                inside: Arc::from(Vec::new()),
                len: None,
                vpc: None,
                subnet: None,
                apart: Arc::from(Vec::new()),
                amazon: None,
                reason: Arc::from(why.as_deref().unwrap_or("its subnet is not known")),
            },
        }
    }

    /// Its subnet's address, or what stands for one the plan does not show.
    fn subnet_name(&self, e: &Engine<'_>) -> String {
        self.subnet.map_or_else(
            || format!("the subnet of {}", tick(&self.name)),
            |s| tick(&e.subnet_name(s)).to_string(),
        )
    }
}

#[derive(Clone, Debug, Default)]
struct Outside {
    ids: Vec<String>,
    unresolved: Vec<String>,
}

impl Outside {
    /// With one more reason its groups are not all known.
    fn with(mut self, unresolved: Option<String>) -> Outside {
        self.unresolved.extend(unresolved);
        self
    }
    fn of<'l>(links: impl Iterator<Item = &'l Link<SecurityGroupId>>) -> Outside {
        let mut o = Outside::default();
        for l in links {
            match l {
                Link::External(id) => o.ids.push(id.clone()),
                Link::Unresolved(r) => o.unresolved.push(r.clone()),
                Link::To(..) | Link::None => {}
            }
        }
        o
    }
}

#[derive(Clone, Debug)]
enum End {
    Subnet(SubnetId),
    Internet,
    Service(String),
    Vpn(VpnConnectionId),
    Workload(Box<Wl>),
}

impl End {
    fn subnet(&self) -> Option<SubnetId> {
        match self {
            End::Subnet(s) => Some(*s),
            End::Workload(w) => w.subnet,
            _ => None,
        }
    }

    /// Why the network between this end and any other is not known: a workload whose
    /// subnet the plan does not show.
    fn elsewhere(&self) -> Option<&str> {
        match self {
            End::Workload(w) => w.elsewhere.as_deref(),
            _ => None,
        }
    }
}

fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut left = i + 1;
        let mut cur = Vec::with_capacity(b.len() + 1);
        cur.push(left);
        // `diag` is prev[j], `up` is prev[j + 1], `left` is cur[j].
        for ((cb, &diag), &up) in b.iter().zip(&prev).zip(prev.iter().skip(1)) {
            let cost = usize::from(ca != *cb);
            left = (diag + cost).min(up + 1).min(left + 1);
            cur.push(left);
        }
        prev = cur;
    }
    // `prev` always holds `b.len() + 1` entries; the last is the distance.
    prev.last().copied().unwrap_or(b.len())
}

fn all_names(m: &Model) -> Vec<String> {
    let mut v = vec!["internet".to_string()];
    v.extend(m.subnets.iter().map(|s| s.meta.address.clone()));
    v.extend(m.workloads.iter().map(|w| w.meta.address.clone()));
    v.extend(
        m.endpoints
            .iter()
            .filter(|e| e.kind.has_interfaces())
            .map(|e| e.meta.address.clone()),
    );
    v.extend(
        m.instance_connect_endpoints
            .iter()
            .map(|e| e.meta.address.clone()),
    );
    v.extend(
        m.vpn_connections
            .iter()
            .map(|c| format!("vpn:{}", c.meta.address)),
    );
    v.extend(
        crate::analysis::engine::services(m)
            .into_iter()
            .map(|s| format!("service:{s}")),
    );
    v
}

fn unknown_endpoint(m: &Model, name: &str) -> QueryError {
    let mut scored: Vec<(usize, String)> = all_names(m)
        .into_iter()
        .map(|n| {
            let d = if n.contains(name) || name.contains(n.as_str()) {
                0
            } else {
                levenshtein(name, &n)
            };
            (d, n)
        })
        .filter(|(d, n)| *d <= (n.len().max(name.len()) / 3).max(3))
        .collect();
    scored.sort();
    let close: Vec<String> = scored
        .into_iter()
        .take(3)
        .map(|(_, n)| format!("`{n}`"))
        .collect();
    let hint = if close.is_empty() {
        "; endpoints are subnet, instance, network interface, VPC endpoint (interface, resource, service network) or EICE addresses, `internet`, `service:NAME` or `vpn:ADDRESS`".to_string()
    } else {
        format!("; did you mean {}?", close.join(", "))
    };
    QueryError::UnknownEndpoint {
        name: name.to_string(),
        hint,
    }
}

/// The groups of an ENI: its own, or the VPC's default group when it names none, then
/// those attached by other resources. `true` when the default group applies and this plan
/// does not manage it.
fn groups_of<'l>(
    m: &Model,
    links: &[Link<SecurityGroupId>],
    attached: impl Iterator<Item = &'l Link<SecurityGroupId>>,
    default_replaced: bool,
    vpc: Option<VpcId>,
) -> (Vec<SecurityGroupId>, bool, Option<String>) {
    let mut groups: Vec<SecurityGroupId> = links.iter().filter_map(Link::id).collect();
    let mut unmanaged_default = false;
    let mut outside = None;
    if links.is_empty() && !default_replaced {
        match vpc.map(|v| m.vpc(v)) {
            // Read by a data source: its default group may have any rules.
            Some(v) if v.outside => {
                outside = Some(format!(
                    "the default security group of {} (read by a data source) is outside this plan",
                    tick(&v.meta.address)
                ));
            }
            Some(v) if v.default_security_group.is_some() => {
                groups.extend(v.default_security_group);
            }
            _ => unmanaged_default = true,
        }
    }
    for g in attached.filter_map(Link::id) {
        if !groups.contains(&g) {
            groups.push(g);
        }
    }
    (groups, unmanaged_default, outside)
}

/// The groups that `aws_network_interface_sg_attachment`s whose network interface is not
/// known may add to a workload in `vpc` with `groups` (a group attaches only to interfaces
/// of its own VPC), with why; and why its groups are not all known, when such an
/// attachment's group is not known either.
fn unplaced_attachments(
    m: &Model,
    me: &str,
    groups: &[SecurityGroupId],
    vpc: Option<VpcId>,
    endpoint: bool,
) -> (Vec<(SecurityGroupId, String)>, Option<String>) {
    let mut maybe = Vec::new();
    let mut unknown = None;
    for u in m.unplaced_group_attachments.iter().filter(|u| {
        u.to_endpoint == endpoint && (u.among.is_empty() || u.among.iter().any(|a| a == me))
    }) {
        let why = || {
            format!(
                "{} attaches a group to {} not known at plan time, which may be this one ({})",
                tick(&u.address),
                if endpoint {
                    "a VPC endpoint"
                } else {
                    "a network interface"
                },
                u.why
            )
        };
        match &u.group {
            Link::To(g, _) => {
                let gvpc = m.security_group(*g).vpc.id();
                let other_vpc = gvpc.is_some() && vpc.is_some() && gvpc != vpc;
                if !groups.contains(g) && !other_vpc && !maybe.iter().any(|(x, _)| x == g) {
                    maybe.push((*g, why()));
                }
            }
            Link::External(_) | Link::Unresolved(_) => {
                unknown.get_or_insert_with(why);
            }
            Link::None => {}
        }
    }
    (maybe, unknown)
}

/// Where a workload sits: its subnet, or why that subnet is not one the plan shows (an ID
/// outside the plan, a link not known at plan time, or the default subnet EC2 picks for an
/// instance that names none); `None` for a workload of another kind that names none.
fn placement(m: &Model, w: &Workload) -> Option<Result<SubnetId, String>> {
    let who = || tick(&w.meta.address);
    Some(match &w.subnet {
        Link::To(s, _) => Ok(*s),
        Link::External(id) => Err(format!(
            "{} is in {}, a subnet outside this plan: its route table and network ACL are not known",
            who(),
            m.outside_id(id)
        )),
        Link::Unresolved(r) => Err(format!(
            "the subnet of {} is not known at plan time: {r}",
            who()
        )),
        // EC2 launches an instance that names no subnet in a default subnet of the
        // Region's default VPC.
        Link::None if w.kind == crate::model::WorkloadKind::Instance => Err(format!(
            "{} names no subnet: EC2 launches it in a default subnet of the Region's default VPC, which this plan does not show",
            who()
        )),
        Link::None => return None,
    })
}

/// An instance or network interface in `subnet`, with the groups that guard it.
fn workload_end(m: &Model, w: &Workload, subnet: SubnetId) -> Wl {
    workload_at(m, w, Ok(subnet))
}

/// [`workload_end`] for a workload in `subnet`, or in a subnet the plan does not show
/// (`Err`: why).
fn workload_at(m: &Model, w: &Workload, subnet: Result<SubnetId, String>) -> Wl {
    let vpc = subnet.as_ref().ok().and_then(|s| m.subnet(*s).vpc.id());
    let attached = w.attached_security_groups.iter().map(|(_, l)| l);
    let (groups, unmanaged_default, default_outside) = if w.without_groups.is_some() {
        (Vec::new(), false, None)
    } else {
        groups_of(m, &w.security_groups, attached, false, vpc)
    };
    let (maybe_groups, unplaced) = unplaced_attachments(m, &w.meta.address, &groups, vpc, false);
    let (subnet, elsewhere) = match subnet {
        Ok(s) => (Some(s), None),
        Err(why) => (None, Some(why)),
    };
    Wl {
        name: w.meta.address.clone(),
        subnet,
        elsewhere,
        groups,
        maybe_groups,
        unmanaged_default,
        vpc,
        outside: Outside::of(w.all_security_groups())
            .with(default_outside)
            .with(unplaced),
        no_public_ipv4: w.no_public_ipv4().map(str::to_string),
        public_ipv4_unsure: w.public_ipv4_unsure(m),
        public_ipv4_unknown: match &w.public_ipv4 {
            crate::model::PublicIpv4::Unknown(why) => Some(why.clone()),
            _ => None,
        },
        ipv6: w.has_ipv6(m),
        unfiltered: w.without_groups.is_some(),
        internal: w.internal.clone(),
        listeners: w.listeners.clone(),
        behind: w.behind.clone(),
        client_address: false,
        client_vpn: w.client_vpn.clone(),
    }
}

/// The end `name` stands for. An endpoint with network interfaces in several subnets is
/// taken in `near` (the other end's subnet), else in its zone, else in its first subnet.
fn resolve(m: &Model, name: &str, near: Option<SubnetId>) -> Result<End, QueryError> {
    if name == "internet" {
        return Ok(End::Internet);
    }
    if let Some(s) = name.strip_prefix("service:") {
        if crate::analysis::engine::services(m).iter().any(|x| x == s) {
            return Ok(End::Service(s.to_string()));
        }
        return Err(unknown_endpoint(m, name));
    }
    if let Some(a) = name.strip_prefix("vpn:") {
        return m
            .vpn_connections
            .iter()
            .position(|c| c.meta.address == a)
            .map(|i| End::Vpn(VpnConnectionId(i as u32)))
            .ok_or_else(|| unknown_endpoint(m, name));
    }
    if let Some(i) = m.subnets.iter().position(|s| s.meta.address == name) {
        return Ok(End::Subnet(SubnetId(i as u32)));
    }
    let subnet_of = |l: &Link<SubnetId>, what: &str| -> Result<SubnetId, QueryError> {
        let why = match l {
            Link::To(s, _) => return Ok(*s),
            Link::External(id) => format!(": it is {}, outside this plan", m.outside_id(id)),
            Link::Unresolved(r) => format!(": {r}"),
            Link::None => ": it names none".to_string(),
        };
        Err(QueryError::Invalid(format!(
            "the subnet of {what} `{name}` is not known in the plan{why}"
        )))
    };
    // A workload whose subnet the plan does not show is still an end: the network to it
    // is `unknown`, its security groups decide what they can.
    let placed = |w: &Workload| -> Result<Result<SubnetId, String>, QueryError> {
        match placement(m, w) {
            Some(p) => Ok(p),
            None => subnet_of(&w.subnet, "workload").map(Ok),
        }
    };
    if let Some(w) = m.workloads.iter().find(|w| w.meta.address == name) {
        return Ok(End::Workload(Box::new(workload_at(m, w, placed(w)?))));
    }
    // An Auto Scaling group, ECS service or DB instance: a workload in each of its subnets,
    // named `<address> (<subnet>)`.
    let prefix = format!("{name} (");
    let spread: Vec<&Workload> = m
        .workloads
        .iter()
        .filter(|w| w.kind.spreads() && w.meta.address.starts_with(&prefix))
        .collect();
    match spread.as_slice() {
        [] => {}
        [w] => {
            return Ok(End::Workload(Box::new(workload_at(m, w, placed(w)?))));
        }
        many => {
            let names: Vec<String> = many
                .iter()
                .map(|w| format!("`{}`", w.meta.address))
                .collect();
            return Err(QueryError::Invalid(format!(
                "`{name}` runs in {} subnets; ask about one of them: {}",
                many.len(),
                names.join(", ")
            )));
        }
    }
    if let Some(ep) = m
        .endpoints
        .iter()
        .find(|e| e.meta.address == name && e.kind.has_interfaces())
    {
        let known: Vec<SubnetId> = ep.subnets.iter().filter_map(|(_, l)| l.id()).collect();
        let zone = |s: SubnetId| m.subnet(s).availability_zone.known();
        let subnet = near
            .and_then(|n| {
                known.iter().copied().find(|s| *s == n).or_else(|| {
                    let z = zone(n)?;
                    known.iter().copied().find(|s| zone(*s) == Some(z))
                })
            })
            .or_else(|| known.first().copied())
            .ok_or_else(|| {
                QueryError::Invalid(format!(
                    "{} endpoint `{name}` has no known subnet",
                    ep.kind.label()
                ))
            })?;
        let vpc = m.subnet(subnet).vpc.id();
        let attached = ep.attached_security_groups.iter().map(|(_, l)| l);
        let (groups, unmanaged_default, default_outside) = groups_of(
            m,
            &ep.security_groups,
            attached,
            ep.replaces_default_group,
            vpc,
        );
        let (maybe_groups, unplaced) =
            unplaced_attachments(m, &ep.meta.address, &groups, vpc, true);
        return Ok(End::Workload(Box::new(Wl {
            name: name.to_string(),
            subnet: Some(subnet),
            elsewhere: None,
            groups,
            maybe_groups,
            unmanaged_default,
            vpc,
            outside: Outside::of(
                ep.security_groups
                    .iter()
                    .chain(ep.attached_security_groups.iter().map(|(_, l)| l)),
            )
            .with(default_outside)
            .with(unplaced),
            // AWS gives an endpoint's network interfaces private IPv4 addresses only.
            no_public_ipv4: Some(format!(
                "{} endpoint {} has private IPv4 addresses only",
                ep.kind.label(),
                tick(name)
            )),
            public_ipv4_unsure: None,
            public_ipv4_unknown: None,
            // IPv6 addresses unless it is known to be IPv4 only.
            ipv6: ep.ip_address_type.as_deref() != Some("ipv4"),
            unfiltered: false,
            internal: None,
            listeners: None,
            behind: Vec::new(),
            client_address: false,
            client_vpn: None,
        })));
    }
    if let Some(ic) = m
        .instance_connect_endpoints
        .iter()
        .find(|e| e.meta.address == name)
    {
        let subnet = subnet_of(&ic.subnet, "EC2 Instance Connect Endpoint")?;
        let vpc = m.subnet(subnet).vpc.id();
        let (groups, unmanaged_default, default_outside) =
            groups_of(m, &ic.security_groups, std::iter::empty(), false, vpc);
        return Ok(End::Workload(Box::new(Wl {
            name: name.to_string(),
            subnet: Some(subnet),
            elsewhere: None,
            groups,
            maybe_groups: Vec::new(),
            unmanaged_default,
            vpc,
            outside: Outside::of(ic.security_groups.iter()).with(default_outside),
            // Its network interface has a private IPv4 address only: it is reached through
            // the EC2 Instance Connect service, never from the internet directly.
            no_public_ipv4: Some(format!(
                "EC2 Instance Connect Endpoint {} has a private IPv4 address only",
                tick(name)
            )),
            public_ipv4_unsure: None,
            public_ipv4_unknown: None,
            ipv6: true,
            unfiltered: false,
            internal: None,
            listeners: None,
            behind: Vec::new(),
            client_address: false,
            client_vpn: None,
        })));
    }
    Err(unknown_endpoint(m, name))
}

fn wanted_flows(q: &Query) -> Flows {
    let ports = || {
        if q.ports.is_empty() {
            Ranges::full()
        } else {
            q.ports
                .iter()
                .fold(Ranges::default(), |acc, r| acc.union(&Ranges::range(*r)))
        }
    };
    match q.protocol {
        QueryProtocol::Tcp => Flows {
            tcp: ports(),
            ..Flows::none()
        },
        QueryProtocol::Udp => Flows {
            udp: ports(),
            ..Flows::none()
        },
        QueryProtocol::Icmp => Flows {
            icmp: Ranges::full(),
            ..Flows::none()
        },
        QueryProtocol::All if q.ports.is_empty() => Flows::all(),
        QueryProtocol::All => Flows {
            tcp: ports(),
            udp: ports(),
            ..Flows::none()
        },
    }
}

/// What a workload's groups allow, certainly and perhaps, towards (egress) or from
/// (ingress) a remote end.
struct SgEval {
    sure: Flows,
    maybe: Flows,
    reason: Option<String>,
    /// Rules that name a group of the far end, what each would allow, and why AWS does
    /// not match it on this path.
    unmatched: Vec<(Flows, String)>,
}

/// Whether AWS matches a rule naming a group of the far end on the path between two
/// ends: it matches by the addresses of the group's members, within a VPC, across a VPC
/// peering, and, for inbound rules only, across one transit gateway with security group
/// referencing on for the gateway and both VPCs' attachments.
#[derive(Clone, Debug)]
enum Holds {
    Yes,
    No(String),
    Maybe(String),
}

/// The far end as a workload's rules see it, on the path between the two ends.
#[derive(Clone, Debug)]
struct Refs {
    /// The destination's inbound rules naming the source's groups.
    inbound: Holds,
    /// The source's outbound rules naming the destination's groups.
    outbound: Holds,
    /// The source as the destination sees it after a NAT on the way: the NAT's address,
    /// and the NAT instance (with its groups), if it is one.
    nat: Option<(Addr, Option<Box<Wl>>)>,
}

impl Refs {
    const SAME_VPC: Refs = Refs {
        inbound: Holds::Yes,
        outbound: Holds::Yes,
        nat: None,
    };
}

/// [`Refs`] for a connection from `from` to the workload `to`, in another VPC: the
/// network's own walk (routing does not depend on ports) says whether it crosses a NAT or
/// a transit gateway. Where the walk does not arrive, the network answers anyway.
fn refs_between(
    e: &Engine<'_>,
    (from, from_name): (SubnetId, &str),
    (to, to_subnet): (&Wl, SubnetId),
    family: Family,
) -> Refs {
    let m = e.m;
    let w = e.walk(from, &Dest::Subnet(to_subnet), family);
    if w.end != WalkEnd::Arrived {
        return Refs::SAME_VPC;
    }
    let mut refs = Refs::SAME_VPC;
    if let Some(nat) = &w.nat {
        let instance = m
            .workloads
            .iter()
            .find(|x| x.meta.address == **nat)
            .and_then(|x| Some(Box::new(workload_end(m, x, x.subnet.id()?))));
        let addr = e.subnet_block(w.src, family).unwrap_or(Addr::Public);
        refs.inbound = Holds::No(format!(
            "{} sees {}'s traffic from the address of NAT {}",
            tick(&to.name),
            tick(from_name),
            tick(nat)
        ));
        refs.nat = Some((addr, instance));
    }
    if let Some(p) = w.peering {
        let peering = m.peering(p);
        match &peering.cross_region {
            Val::Known(false) => {}
            Val::Known(true) => {
                let why = format!(
                    "peering {} joins VPCs in two Regions, and AWS lets no rule name a group of a peer VPC in another Region",
                    tick(&peering.meta.address)
                );
                refs.outbound = Holds::No(why.clone());
                if matches!(refs.inbound, Holds::Yes) {
                    refs.inbound = Holds::No(why);
                }
            }
            Val::Unknown(r) => {
                refs.outbound = Holds::Maybe(r.clone());
                if matches!(refs.inbound, Holds::Yes) {
                    refs.inbound = Holds::Maybe(r.clone());
                }
            }
        }
    }
    let Some(&(t, a, b)) = w.tgw.first() else {
        return refs;
    };
    let tgw = m.transit_gateway(t);
    refs.outbound = Holds::No(format!(
        "AWS matches a group of a VPC across transit gateway {} in inbound rules only",
        tick(&tgw.meta.address)
    ));
    if !matches!(refs.inbound, Holds::Yes) {
        return refs;
    }
    refs.inbound = match w.tgw.get(1..).unwrap_or_default() {
        [] => {
            let mut off = Vec::new();
            let mut unknown = None;
            let mut check = |what: String, v: &Val<bool>| match v {
                Val::Known(true) => {}
                Val::Known(false) => off.push(what),
                Val::Unknown(r) => {
                    unknown.get_or_insert_with(|| r.clone());
                }
            };
            check(ticked(&tgw.meta.address), &tgw.sg_referencing);
            for x in [a, b] {
                let att = m.tgw_attachment(x);
                if let TgwAttachmentKind::Vpc { sg_referencing, .. } = &att.kind {
                    check(ticked(&att.meta.address), sg_referencing);
                }
            }
            match (off.is_empty(), unknown) {
                (false, _) => Holds::No(format!(
                    "security group referencing is off for {} (`security_group_referencing_support`; AWS's default is `disable` for a transit gateway), so AWS does not match a group of another VPC across it",
                    off.join(" and ")
                )),
                (true, Some(r)) => Holds::Maybe(r),
                (true, None) => Holds::Yes,
            }
        }
        rest => match rest.iter().find(|(t2, ..)| *t2 != t) {
            Some((t2, ..)) => Holds::No(format!(
                "the path crosses from transit gateway {} to {} over their peering, and AWS matches a group of another VPC only across one transit gateway",
                tick(&tgw.meta.address),
                tick(&m.transit_gateway(*t2).meta.address)
            )),
            None => Holds::Maybe(format!(
                "the path crosses transit gateway {} more than once (through another VPC on the way), and whether AWS matches a group of another VPC on such a path is not modelled",
                tick(&tgw.meta.address)
            )),
        },
    };
    refs
}

/// Whether the far end (`remote_wl`) is a member of the group a rule of `g` names.
fn member(rule: &SgRule, g: SecurityGroupId, remote_wl: Option<&Wl>) -> Cover {
    let remote_groups: &[SecurityGroupId] = remote_wl.map(|r| r.groups.as_slice()).unwrap_or(&[]);
    match &rule.peer {
        SgPeer::Group(Link::To(other, _)) => {
            if remote_groups.contains(other) {
                Cover::Yes
            } else if let Some((_, why)) =
                remote_wl.and_then(|r| r.maybe_groups.iter().find(|(x, _)| x == other))
            {
                Cover::Maybe(why.as_str().into())
            } else {
                unresolved_member(remote_wl)
            }
        }
        // A group outside the plan, by ID: the far end is a member when it names that ID
        // too.
        SgPeer::Group(Link::External(id)) => {
            if remote_wl.is_some_and(|r| r.outside.ids.contains(id)) {
                Cover::Yes
            } else {
                unresolved_member(remote_wl)
            }
        }
        SgPeer::Group(Link::Unresolved(r)) if remote_wl.is_some() => {
            Cover::Maybe(r.as_str().into())
        }
        SgPeer::SelfGroup if remote_groups.contains(&g) => Cover::Yes,
        _ => Cover::No,
    }
}

/// The far end as a workload's rules see it.
struct Far<'r> {
    /// Its address.
    addr: &'r Addr,
    /// The workload, if it is one.
    wl: Option<&'r Wl>,
    /// An AWS service, by short name (`s3`): its own prefix list covers it, others do not;
    /// prefix lists whose entries the plan does not show may.
    service: Option<&'r str>,
    /// Whether AWS matches rules naming its groups on the path.
    holds: &'r Holds,
    /// The workload its traffic comes from instead (a NAT instance on the way).
    instead: Option<&'r Wl>,
}

fn sg_eval(m: &Model, wl: &Wl, egress: bool, family: Family, far: Far<'_>) -> SgEval {
    let Far {
        addr: remote,
        wl: remote_wl,
        service: remote_is_service,
        holds,
        instead,
    } = far;
    let mut out = SgEval {
        sure: Flows::none(),
        maybe: Flows::none(),
        reason: None,
        unmatched: Vec::new(),
    };
    if wl.unfiltered {
        out.sure = Flows::all();
        out.maybe = Flows::all();
        return out;
    }
    if wl.unmanaged_default {
        // AWS's default group: all egress; ingress only from members of the same group.
        let same = remote_wl.is_some_and(|r| r.unmanaged_default && r.vpc == wl.vpc);
        if egress || same {
            out.sure = Flows::all();
            out.maybe = Flows::all();
            return out;
        }
    }
    let groups = wl.groups.iter().map(|&g| (g, None)).chain(
        wl.maybe_groups
            .iter()
            .map(|(g, why)| (*g, Some(why.as_str()))),
    );
    // Rules that admit part of the internet (a CIDR but `/0`), for the internet as a whole.
    let mut parts: Vec<(Flows, IpNet)> = Vec::new();
    for (g, maybe_group) in groups {
        // A group without declared egress has none of its own, but a rule whose group is
        // not known may be its.
        for rule in m.group_rules(g, egress) {
            let f = Flows::of_rule(rule.protocol, rule.ports, rule.icmp, family);
            let cover = match &rule.peer {
                SgPeer::Cidr(b) => remote.covered_by_block(b, family),
                SgPeer::PrefixList(Link::To(pl, _)) => {
                    let list = m.prefix_list(*pl);
                    let mut c = match &list.unknown {
                        Some(r) if list.family == family => Cover::Maybe(r.as_str().into()),
                        _ => Cover::No,
                    };
                    // A service's own prefix list (`com.amazonaws.REGION.s3`) is that
                    // service, and no other.
                    let own = remote_is_service.zip(list.service());
                    for b in list.blocks().filter(|_| own.is_none()) {
                        match remote.covered_by_block(b, family) {
                            Cover::Yes => {
                                c = Cover::Yes;
                                break;
                            }
                            Cover::Maybe(r) => c = Cover::Maybe(r),
                            Cover::No => {}
                        }
                    }
                    if let Some((svc, listed)) = own {
                        c = if svc == listed { Cover::Yes } else { Cover::No };
                    }
                    c
                }
                // A list the plan does not hold or cannot resolve may hold the far end's
                // address: a service's, or a private one (not all of the internet, which
                // only `/0` covers).
                SgPeer::PrefixList(l) => {
                    if remote_is_service.is_some() || !matches!(remote, Addr::Public) {
                        Cover::Maybe(
                            format!(
                                "rule {} names prefix list {}, whose entries the plan does not show",
                                tick(&rule.address),
                                match l {
                                    Link::External(id) => format!("`{id}`"),
                                    _ => "(unresolved)".to_string(),
                                }
                            )
                            .into(),
                        )
                    } else {
                        Cover::No
                    }
                }
                SgPeer::Group(_) | SgPeer::SelfGroup => {
                    let cover = match (member(rule, g, remote_wl), holds) {
                        (c, Holds::Yes) | (c @ Cover::No, _) => c,
                        (_, Holds::No(why)) => {
                            out.unmatched.push((
                                f.clone(),
                                format!(
                                    "rule {} names a group of {}, but {why}",
                                    tick(&rule.address),
                                    tick(remote_wl.map_or("the far end", |r| r.name.as_str()))
                                ),
                            ));
                            Cover::No
                        }
                        (Cover::Maybe(r), Holds::Maybe(_)) => Cover::Maybe(r),
                        (_, Holds::Maybe(why)) => Cover::Maybe(why.as_str().into()),
                    };
                    match (cover, instead) {
                        (Cover::No, Some(nat)) => member(rule, g, Some(nat)),
                        (c, _) => c,
                    }
                }
            };
            let sure_rule = rule.unknown.is_none() && maybe_group.is_none();
            if cover == Cover::No && sure_rule && *remote == Addr::Public {
                let blocks: Vec<&crate::model::AnyBlock> = match &rule.peer {
                    SgPeer::Cidr(b) => vec![b],
                    SgPeer::PrefixList(Link::To(pl, _))
                        if m.prefix_list(*pl).unknown.is_none() && remote_is_service.is_none() =>
                    {
                        m.prefix_list(*pl).blocks().collect()
                    }
                    _ => Vec::new(),
                };
                for n in blocks
                    .into_iter()
                    .filter(|b| b.family() == family)
                    .filter_map(known_net)
                {
                    parts.push((f.clone(), n));
                }
            }
            // A rule whose protocol or ports are not known at plan time admits perhaps; so
            // does a rule of a group that may not guard the workload.
            let cover = match (cover, rule.unknown.as_deref().or(maybe_group)) {
                (Cover::Yes, Some(why)) => Cover::Maybe(why.into()),
                (c, _) => c,
            };
            match cover {
                Cover::Yes => {
                    out.sure = out.sure.union(&f);
                    out.maybe = out.maybe.union(&f);
                }
                Cover::Maybe(r) => {
                    out.maybe = out.maybe.union(&f);
                    out.reason.get_or_insert_with(|| r.to_string());
                }
                Cover::No => {}
            }
        }
    }
    let whole = admitted_together(&parts, &out.sure);
    out.sure = out.sure.union(&whole);
    out.maybe = out.maybe.union(&whole);
    // Groups this plan does not hold, or cannot resolve, may allow anything.
    let why = match (wl.outside.ids.first(), wl.outside.unresolved.first()) {
        (Some(id), _) => Some(format!(
            "the rules of security group {} of {} are outside this plan",
            m.outside_id(id),
            tick(&wl.name)
        )),
        (None, Some(r)) => Some(format!(
            "the security groups of {} are not all known ({r})",
            tick(&wl.name)
        )),
        (None, None) => None,
    };
    if let Some(why) = why {
        out.maybe = Flows::all();
        out.reason.get_or_insert(why);
    }
    out
}

/// The traffic that rules each admitting part of the internet admit from all of it together
/// (security group rules add up: `0.0.0.0/1` and `128.0.0.0/1` on TCP 22 admit the whole
/// internet on TCP 22), beyond `already`.
fn admitted_together(parts: &[(Flows, IpNet)], already: &Flows) -> Flows {
    /// More distinct pieces of traffic than this and the rules are not added up (a group
    /// has a few dozen rules; each splits the pieces at most in two).
    const PIECES_MAX: usize = 256;
    let mut whole = Flows::none();
    if parts.len() < 2 {
        return whole;
    }
    let mut pieces = vec![parts
        .iter()
        .fold(Flows::none(), |u, (f, _)| u.union(f))
        .subtract(already)];
    for (f, _) in parts {
        pieces = pieces
            .iter()
            .flat_map(|p| [p.intersect(f), p.subtract(f)])
            .filter(|p| !p.is_empty())
            .collect();
        if pieces.len() > PIECES_MAX {
            return whole;
        }
    }
    for p in &pieces {
        let nets: Vec<IpNet> = parts
            .iter()
            .filter(|(f, _)| p.subtract(f).is_empty())
            .map(|(_, n)| *n)
            .collect();
        if together_cover_internet(&nets) {
            whole = whole.union(p);
        }
    }
    whole
}

/// A security group block's reason, with the first rule that would have allowed the
/// wanted flows had AWS matched the far end's group on this path.
fn with_unmatched(reason: String, ev: &SgEval, wanted: &Flows) -> String {
    match ev
        .unmatched
        .iter()
        .find(|(f, _)| !f.intersect(wanted).is_empty())
    {
        Some((_, why)) => format!("{reason}: {why}"),
        None => reason,
    }
}

/// Whether a far end that is not a member of a rule's group might be one after all: some
/// of its groups cannot be resolved.
fn unresolved_member(remote_wl: Option<&Wl>) -> Cover {
    match remote_wl.and_then(|r| r.outside.unresolved.first()) {
        Some(reason) => Cover::Maybe(
            format!("the far end's groups are not all known ({reason})")
                .as_str()
                .into(),
        ),
        None => Cover::No,
    }
}

fn group_names(m: &Model, wl: &Wl) -> Vec<String> {
    wl.groups
        .iter()
        .map(|g| m.security_group(*g).meta.address.clone())
        .collect()
}

fn sg_block(m: &Model, wl: &Wl, egress: bool, wanted: &Flows, family: Family) -> (String, String) {
    let names = group_names(m, wl);
    let by = names.first().cloned().unwrap_or_else(|| wl.name.clone());
    let no_egress: Vec<&String> = wl
        .groups
        .iter()
        .zip(&names)
        .filter(|(g, _)| !m.security_group(**g).egress_declared)
        .map(|(_, n)| n)
        .collect();
    let reason = if egress && !no_egress.is_empty() && no_egress.len() == names.len() {
        format!(
            "security group {} declares no egress, and Terraform removes AWS's default allow-all egress rule, so {} can send nothing",
            tick(&by),
            tick(&wl.name)
        )
    } else if names.is_empty() {
        format!(
            "the VPC's default security group (not managed by this plan) of {} allows no inbound {} from there",
            tick(&wl.name),
            wanted.render(family)
        )
    } else {
        let mut listed: Vec<String> = names.iter().map(|n| ticked(n)).collect();
        if wl.unmanaged_default {
            listed.insert(
                0,
                "the VPC's default security group (not managed by this plan)".to_string(),
            );
        }
        format!(
            "the security groups of {} ({}) allow no {} {} for {}",
            tick(&wl.name),
            listed.join(", "),
            if egress { "outbound" } else { "inbound" },
            if egress {
                "traffic to that destination"
            } else {
                "traffic from that source"
            },
            if wanted.is_all() {
                "any protocol".to_string()
            } else {
                wanted.render(family)
            }
        )
    };
    (by, reason)
}

fn network(
    e: &Engine<'_>,
    from: &End,
    to: &End,
    family: Family,
    wanted: &Flows,
) -> Result<PathResult, QueryError> {
    // A workload in a subnet the plan does not show: its route table and network ACL are
    // not known, so neither is what the network does (the callers weigh the groups).
    if let Some(why) = from.elsewhere().or_else(|| to.elsewhere()) {
        let path = [from, to]
            .into_iter()
            .filter_map(|end| match end {
                End::Workload(_) => None,
                End::Subnet(s) => Some(e.subnet_name(*s)),
                End::Internet => Some(e.names.internet.clone()),
                End::Service(s) => Some(Name::from(format!("service:{s}"))),
                End::Vpn(v) => Some(Name::from(format!(
                    "vpn:{}",
                    e.m.vpn_connection(*v).meta.address
                ))),
            })
            .collect();
        return Ok(PathResult {
            from: Name::from(""),
            to: Name::from(""),
            family,
            verdict: Verdict::Unknown,
            path,
            reason: why.to_string(),
            ports: String::new(),
            dropped_by: None,
            drop_kind: None,
        });
    }
    Ok(match (from, to) {
        (a, b) if a.subnet().is_some() && b.subnet().is_some() => {
            let (sa, sb) = (a.subnet().unwrap_or(SubnetId(0)), b.subnet().unwrap_or(SubnetId(0)));
            if sa == sb {
                let name = e.subnet_name(sa);
                let mut r = PathResult {
                    from: name.clone(),
                    to: name.clone(),
                    family,
                    verdict: Verdict::Allowed,
                    path: vec![name.clone()],
                    reason: format!(
                        "both ends are in {}: traffic inside one subnet crosses no route table or network ACL",
                        tick(&name)
                    ),
                    ports: wanted.render(family),
                    dropped_by: None,
                    drop_kind: None,
                };
                if wanted.is_empty() {
                    r.verdict = Verdict::Blocked;
                }
                r
            } else {
                subnet_to_subnet(e, sa, sb, family, wanted)
            }
        }
        (a, End::Internet) if a.subnet().is_some() => {
            subnet_to_internet(e, a.subnet().unwrap_or(SubnetId(0)), family, wanted)
        }
        (a, End::Service(s)) if a.subnet().is_some() => {
            subnet_to_service(e, a.subnet().unwrap_or(SubnetId(0)), s, family, wanted)
        }
        (a, End::Vpn(v)) if a.subnet().is_some() => {
            subnet_to_vpn(e, a.subnet().unwrap_or(SubnetId(0)), *v, family, wanted)
        }
        (End::Internet, b) if b.subnet().is_some() => {
            internet_to_subnet(e, b.subnet().unwrap_or(SubnetId(0)), family, wanted)
        }
        _ => {
            return Err(QueryError::Invalid(
                "tfvpc answers connections that a subnet, a workload or the internet initiates towards a subnet, a workload, `internet`, a service or a VPN"
                    .to_string(),
            ))
        }
    })
}

fn remote_addr(e: &Engine<'_>, end: &End, family: Family) -> Addr {
    match end {
        End::Subnet(s) => e.subnet_block(*s, family).unwrap_or(Addr::Public),
        End::Workload(w) => w.addr(e, family),
        End::Internet | End::Service(_) => Addr::Public,
        End::Vpn(v) => onprem_cidrs(e.m, *v, family)
            .0
            .first()
            .map_or(Addr::Public, |n| Addr::Net(*n, None)),
    }
}

fn one_family(
    e: &Engine<'_>,
    from: &End,
    to: &End,
    q: &Query,
    family: Family,
) -> Result<PathResult, QueryError> {
    if let End::Workload(w) = to {
        if let Some(c) = &w.client_vpn {
            return Ok(to_client_vpn_users(q, w, c, family));
        }
    }
    let gate = match from {
        End::Workload(w) => w
            .client_vpn
            .as_ref()
            .map(|c| client_vpn_gate(e, w, c, (to, q), family)),
        _ => None,
    };
    if let (Some(Gate::Refused(why)), End::Workload(w)) = (&gate, from) {
        return Ok(PathResult {
            from: Name::from(&*q.from),
            to: Name::from(&*q.to),
            family,
            verdict: Verdict::Blocked,
            path: vec![Name::from(w.name.as_str())],
            reason: why.clone(),
            ports: String::new(),
            dropped_by: Some(Name::from(w.name.as_str())),
            drop_kind: Some(DropKind::ClientVpn),
        });
    }
    let mut direct = direct(e, from, to, q, family)?;
    if let Some(Gate::Passes(hops) | Gate::Unsure(_, hops)) = &gate {
        // The authorization rule and the route, right after the users.
        if direct.path.len() > 1 || direct.verdict != Verdict::Blocked {
            let at = 1.min(direct.path.len());
            direct
                .path
                .splice(at..at, hops.iter().map(|h| Name::from(h.as_str())));
        }
    }
    if let Some(Gate::Unsure(why, _)) = gate {
        if direct.verdict == Verdict::Allowed {
            direct.verdict = Verdict::Unknown;
            direct.reason = why;
        }
    }
    let (End::Internet, End::Workload(w)) = (from, to) else {
        return Ok(direct);
    };
    if w.behind.is_empty() || direct.verdict == Verdict::Allowed {
        return Ok(direct);
    }
    // Load balancers forward to it, but what their nodes reach of a subnet the plan does
    // not show is not known: not `blocked` because the direct way is.
    if let Some(why) = &w.elsewhere {
        if direct.verdict == Verdict::Blocked {
            let lbs: Vec<String> = w
                .behind
                .iter()
                .map(|f| tick(&f.load_balancer).to_string())
                .collect();
            return Ok(PathResult {
                verdict: Verdict::Unknown,
                reason: format!(
                    "{why}, so what load balancer {} reaches of it is not known either (directly: {})",
                    lbs.join(", "),
                    direct.reason.trim_end_matches('.')
                ),
                ports: String::new(),
                dropped_by: None,
                drop_kind: None,
                ..direct
            });
        }
        return Ok(direct);
    }
    // Through a load balancer when that is more open, or when neither passes: the
    // forwarded path is the one meant, and where it stops says why.
    Ok(match via_load_balancers(e, w, q, family) {
        Some(via) if via.verdict == Verdict::Allowed || direct.verdict == Verdict::Blocked => via,
        _ => direct,
    })
}

/// What a Client VPN endpoint does with its users' traffic to a destination.
enum Gate {
    /// It passes, through these hops: the authorization rule and the route (or the
    /// association, for the route AWS adds with it).
    Passes(Vec<String>),
    /// It may or may not pass, for this reason (a value unknown at plan time); the hops
    /// known to pass.
    Unsure(String, Vec<String>),
    /// Not authorized or not routed, for this reason.
    Refused(String),
}

/// Where Client VPN users' traffic goes, as the endpoint's authorization rules and routes
/// see it.
enum VpnDest {
    /// One address somewhere in this block: a subnet's, or a workload's in it.
    Host(Addr),
    /// Any address of these networks (on premises).
    Networks(Vec<IpNet>),
    /// Some public address (the internet, an AWS service).
    Public,
}

/// The entry of `nets` that covers `dest`, the most specific one (as AWS matches both
/// authorization rules and routes by longest prefix); else why one may (`Some`) or why
/// none does (`None`).
fn vpn_cover<'n>(
    nets: &'n [(String, Result<IpNet, String>)],
    dest: &VpnDest,
) -> Result<&'n str, Option<String>> {
    let mut unsure: Option<String> = None;
    let mut best: Option<(&str, u8)> = None;
    for (address, net) in nets {
        let net = match net {
            Ok(n) => n,
            Err(why) => {
                unsure.get_or_insert_with(|| why.clone());
                continue;
            }
        };
        let covers = match dest {
            VpnDest::Host(addr) => match addr.covered_by(net) {
                Cover::Yes => true,
                Cover::Maybe(why) => {
                    unsure.get_or_insert_with(|| why.to_string());
                    false
                }
                Cover::No => {
                    if let Addr::Net(block, _) = addr {
                        if block.contains(net) {
                            unsure.get_or_insert_with(|| {
                                format!(
                                    "{} covers {net}, only part of {block}: it depends on the address the destination gets",
                                    tick(address)
                                )
                            });
                        }
                    }
                    false
                }
            },
            VpnDest::Networks(list) => list.iter().any(|n| overlaps(n, net)),
            VpnDest::Public => net.prefix_len() == 0 || !is_private(net),
        };
        if covers && best.map_or(true, |(_, l)| l < net.prefix_len()) {
            best = Some((address, net.prefix_len()));
        }
    }
    match best {
        Some((a, _)) => Ok(a),
        None => Err(unsure),
    }
}

/// Whether Client VPN users of `w` may send traffic to `to`: an authorization rule must
/// cover the destination (AWS denies by default; some rule covering it means some users
/// may), and a route through `w`'s subnet must (the route AWS adds for the VPC's primary
/// block with the association, or an `aws_ec2_client_vpn_route`).
fn client_vpn_gate(
    e: &Engine<'_>,
    w: &Wl,
    c: &ClientVpnAccess,
    (to, q): (&End, &Query),
    family: Family,
) -> Gate {
    let m = e.m;
    let dest = match to {
        End::Subnet(s) => VpnDest::Host(e.subnet_block(*s, family).unwrap_or(Addr::Public)),
        End::Workload(t) => VpnDest::Host(t.addr(e, family)),
        End::Internet | End::Service(_) => VpnDest::Public,
        End::Vpn(v) => VpnDest::Networks(onprem_cidrs(m, *v, family).0),
    };
    let endpoint = tick(&c.endpoint);
    let mut hops = Vec::new();
    let mut unsure: Option<String> = None;
    match vpn_cover(&c.authorizations, &dest) {
        Ok(rule) => hops.push(rule.to_string()),
        Err(Some(why)) => {
            unsure = Some(format!(
                "whether {endpoint} authorizes its users to reach {} is not known: {why}",
                tick(&q.to)
            ))
        }
        Err(None) => {
            return Gate::Refused(format!(
                "no authorization rule of {endpoint} covers {}: Client VPN denies what no rule authorizes",
                tick(&q.to)
            ))
        }
    }
    // The route AWS adds with the association: the VPC's primary block, through this
    // subnet. Whether it covers the VPC's secondary blocks too is not documented: a
    // destination there without a route of its own is `unknown`.
    let mut routes = c.routes.clone();
    let mut secondary = Vec::new();
    if let Some(vpc) = w.vpc.map(|v| m.vpc(v)) {
        for (n, b) in vpc.ipv4.iter().enumerate() {
            let net = match &b.block {
                Block::Known(net) => Ok(IpNet::V4(*net)),
                Block::Unknown(u) => Err(u.reason.clone()),
            };
            if n == 0 {
                routes.push((c.association.clone(), net));
            } else {
                secondary.push((b.source.clone(), net));
            }
        }
    }
    let route = match vpn_cover(&routes, &dest) {
        Err(None) => match vpn_cover(&secondary, &dest) {
            Err(None) => Err(None),
            _ => Err(Some(
                "the route AWS adds with an association is documented for the VPC, not for its secondary blocks".to_string(),
            )),
        },
        r => r,
    };
    match route {
        Ok(r) => hops.push(r.to_string()),
        Err(Some(why)) => {
            unsure.get_or_insert_with(|| {
                format!(
                    "whether {endpoint} routes {} through {} is not known: {why}",
                    tick(&q.to),
                    w.subnet_name(e)
                )
            });
        }
        Err(None) => {
            return Gate::Refused(format!(
                "{endpoint} has no route to {} through {}: it routes there only its VPC's primary block and the destinations of its `aws_ec2_client_vpn_route`s to that subnet",
                tick(&q.to),
                w.subnet_name(e)
            ))
        }
    }
    match unsure {
        Some(why) => Gate::Unsure(why, hops),
        None => Gate::Passes(hops),
    }
}

/// Nothing opens a connection to Client VPN users: the endpoint translates their
/// addresses to its own, and passes only the connections they open.
fn to_client_vpn_users(q: &Query, w: &Wl, c: &ClientVpnAccess, family: Family) -> PathResult {
    PathResult {
        from: Name::from(&*q.from),
        to: Name::from(&*q.to),
        family,
        verdict: Verdict::Blocked,
        path: vec![Name::from(w.name.as_str())],
        reason: format!(
            "nothing can open a connection to the users of {}: the endpoint translates their addresses to its own network interface's, and passes only the connections they open",
            tick(&c.endpoint)
        ),
        ports: String::new(),
        dropped_by: Some(Name::from(w.name.as_str())),
        drop_kind: Some(DropKind::ClientVpn),
    }
}

/// The path from one end to the other without a load balancer in between.
fn direct(
    e: &Engine<'_>,
    from: &End,
    to: &End,
    q: &Query,
    family: Family,
) -> Result<PathResult, QueryError> {
    let m = e.m;
    let mut wanted = wanted_flows(q);
    let mut pre: Vec<String> = Vec::new();
    let mut post: Vec<String> = Vec::new();
    let from_wl: Option<&Wl> = match from {
        End::Workload(w) => Some(w),
        _ => None,
    };
    let to_wl: Option<&Wl> = match to {
        End::Workload(w) => Some(w),
        _ => None,
    };
    let mut uncertain: Option<String> = None;
    let finish = |mut r: PathResult, pre: &[String], post: &[String]| {
        r.from = Name::from(&*q.from);
        r.to = Name::from(&*q.to);
        if let Some(w) = from_wl {
            let mut p = vec![Name::from(w.name.as_str())];
            p.extend(pre.iter().map(|x| Name::from(x.as_str())));
            p.append(&mut r.path);
            r.path = p;
        }
        if let Some(w) = to_wl {
            if r.verdict != Verdict::Blocked
                || r.dropped_by
                    .as_deref()
                    .is_some_and(|d| post.iter().any(|x| x == d))
            {
                r.path.extend(post.iter().map(|x| Name::from(x.as_str())));
                r.path.push(Name::from(w.name.as_str()));
            }
        }
        r
    };
    // Between VPCs, the path decides whether rules naming the other end's groups match,
    // and a NAT on it changes the source the destination's rules see.
    let vpc = |s: SubnetId| m.subnet(s).vpc.id();
    let elsewhere = from.elsewhere().or_else(|| to.elsewhere());
    let refs = match (from.subnet(), to_wl.and_then(|t| Some((t, t.subnet?)))) {
        (Some(fs), Some((t, ts)))
            if vpc(fs).is_some() && vpc(ts).is_some() && vpc(fs) != vpc(ts) =>
        {
            refs_between(
                e,
                (fs, from_wl.map_or(&*q.from, |w| w.name.as_str())),
                (t, ts),
                family,
            )
        }
        // Two workloads, one in a subnet the plan does not show: whether AWS matches rules
        // naming the other's groups (in one VPC, or across a peering) is not known.
        _ if from_wl.is_some() && to_wl.is_some() => match elsewhere {
            Some(why) => Refs {
                inbound: Holds::Maybe(why.to_string()),
                outbound: Holds::Maybe(why.to_string()),
                nat: None,
            },
            None => Refs::SAME_VPC,
        },
        _ => Refs::SAME_VPC,
    };
    if let Some(w) = from_wl {
        pre = group_names(m, w);
        let ev = sg_eval(
            m,
            w,
            true,
            family,
            Far {
                addr: &remote_addr(e, to, family),
                wl: to_wl,
                service: match to {
                    End::Service(s) => Some(s.as_str()),
                    _ => None,
                },
                holds: &refs.outbound,
                instead: None,
            },
        );
        let sure = wanted.intersect(&ev.sure);
        let maybe = wanted.intersect(&ev.maybe);
        if maybe.is_empty() {
            let (by, reason) = sg_block(m, w, true, &wanted, family);
            let reason = with_unmatched(reason, &ev, &wanted);
            let r = PathResult {
                from: Name::from(&*q.from),
                to: Name::from(&*q.to),
                family,
                verdict: Verdict::Blocked,
                path: std::iter::once(w.name.as_str())
                    .chain(pre.iter().take(1).map(String::as_str))
                    .map(Name::from)
                    .collect(),
                reason,
                ports: String::new(),
                dropped_by: Some(Name::from(by)),
                drop_kind: Some(DropKind::SecurityGroup),
            };
            return Ok(r);
        }
        if sure.is_empty() {
            uncertain = ev.reason;
            wanted = maybe;
        } else {
            wanted = sure;
        }
    }
    if let Some(w) = to_wl {
        if let Some(l) = &w.listeners {
            let (accepts, first) = listener_flows(l, family);
            let sure = wanted.intersect(&accepts);
            // A listener whose load balancer is not known that would take the request.
            let maybe = l
                .maybe
                .iter()
                .map(|m| &**m)
                .find(|(p, _)| !wanted.intersect(&listener_flow(p, family)).is_empty());
            if !sure.is_empty() {
                wanted = sure;
            } else if let Some(why) = maybe.map(|(_, why)| why).or(l.unknown.first()) {
                uncertain = uncertain.or(Some(why.clone()));
            } else {
                // The network decides first if it already drops.
                let r = network(e, from, to, family, &wanted)?;
                if r.verdict == Verdict::Blocked {
                    return Ok(finish(r, &pre, &[]));
                }
                let mut r = finish(r, &pre, &[]);
                r.path.push(Name::from(w.name.as_str()));
                r.verdict = Verdict::Blocked;
                let asked = if wanted.is_all() {
                    "any protocol".to_string()
                } else {
                    wanted.render(family)
                };
                r.reason = if l.ports.is_empty() {
                    format!(
                        "{} has no listener, so it accepts no connections",
                        tick(&w.name)
                    )
                } else {
                    format!(
                        "{} accepts connections only on its listeners ({}), none for {asked}",
                        tick(&w.name),
                        accepts.render(family)
                    )
                };
                r.ports = String::new();
                r.dropped_by = Some(Name::from(first.unwrap_or(w.name.as_str())));
                r.drop_kind = Some(DropKind::NoListener);
                return Ok(r);
            }
        }
        post = group_names(m, w);
        // A load balancer that keeps the client's address: the groups' address rules see
        // the internet; a rule naming the load balancer's group still matches it (AWS:
        // targets accept traffic from their load balancer's group even so).
        let remote = match (from_wl, &refs.nat) {
            (Some(f), _) if f.client_address => Addr::Public,
            (_, Some((nat, _))) => nat.clone(),
            _ => remote_addr(e, from, family),
        };
        let remote_wl = from_wl;
        let instead = refs.nat.as_ref().and_then(|(_, i)| i.as_deref());
        let ev = sg_eval(
            m,
            w,
            false,
            family,
            Far {
                addr: &remote,
                wl: remote_wl,
                service: None,
                holds: &refs.inbound,
                instead,
            },
        );
        let sure = wanted.intersect(&ev.sure);
        let maybe = wanted.intersect(&ev.maybe);
        if maybe.is_empty() {
            // The network decides first if it already drops.
            let r = network(e, from, to, family, &wanted)?;
            if r.verdict == Verdict::Blocked {
                return Ok(finish(r, &pre, &post));
            }
            let (by, reason) = sg_block(m, w, false, &wanted, family);
            let reason = with_unmatched(reason, &ev, &wanted);
            let mut r = finish(r, &pre, &[]);
            r.path
                .extend(post.iter().take(1).map(|x| Name::from(x.as_str())));
            r.verdict = Verdict::Blocked;
            r.reason = reason;
            r.ports = String::new();
            r.dropped_by = Some(Name::from(by));
            r.drop_kind = Some(DropKind::SecurityGroup);
            return Ok(r);
        }
        if sure.is_empty() {
            uncertain = uncertain.or(ev.reason);
            wanted = maybe;
        } else {
            wanted = sure;
        }
    }
    let mut r = network(e, from, to, family, &wanted)?;
    if let Some(reason) = uncertain {
        if r.verdict == Verdict::Allowed {
            r.verdict = Verdict::Unknown;
            r.reason = reason;
            r.ports = String::new();
        }
    }
    let mut r = finish(r, &pre, &post);
    if let (End::Internet, End::Workload(w), false) = (from, to, r.verdict == Verdict::Blocked) {
        if let Some(why) = &w.internal {
            r.verdict = Verdict::Blocked;
            r.reason = format!(
                "{} is internal, so the internet cannot open connections to it: {why}",
                tick(&w.name)
            );
            r.ports = String::new();
            r.dropped_by = Some(Name::from(w.name.as_str()));
            r.drop_kind = Some(DropKind::NoPublicIp);
            return Ok(r);
        }
    }
    if family == Family::Ipv4 && r.verdict != Verdict::Blocked {
        let without = match (from, to) {
            (End::Internet, End::Workload(w)) => Some(w),
            (End::Workload(w), End::Internet | End::Service(_)) if leaves_by_igw(m, &r.path) => {
                Some(w)
            }
            _ => None,
        };
        if let Some((w, why)) = without.and_then(|w| w.no_public_ipv4.as_ref().map(|y| (w, y))) {
            let name = Name::from(w.name.as_str());
            let what = if matches!(to, End::Workload(_)) {
                "the internet cannot open IPv4 connections to it"
            } else {
                // Dropped where it starts: its traffic cannot use the internet gateway.
                r.path = vec![name.clone()];
                "its IPv4 traffic cannot leave through the internet gateway"
            };
            r.verdict = Verdict::Blocked;
            r.reason = format!(
                "{} has no public IPv4 address, so {what}: {why}",
                tick(&w.name)
            );
            r.ports = String::new();
            r.dropped_by = Some(name);
            r.drop_kind = Some(DropKind::NoPublicIp);
        } else if let Some(why) = without.and_then(|w| w.public_ipv4_unknown.as_ref()) {
            // Its own address is decided at apply: that is why, whatever the subnet says.
            r.verdict = Verdict::Unknown;
            r.reason = why.clone();
            r.ports = String::new();
        } else if r.verdict == Verdict::Allowed {
            if let Some(why) = without.and_then(|w| w.public_ipv4_unsure.as_ref()) {
                r.verdict = Verdict::Unknown;
                r.reason = why.clone();
                r.ports = String::new();
            }
        }
    }
    Ok(r)
}

/// What a load balancer's listeners accept, in one family, and the first listener's
/// address.
fn listener_flows(l: &Listeners, family: Family) -> (Flows, Option<&str>) {
    let mut f = Flows::none();
    for p in &l.ports {
        f = f.union(&listener_flow(p, family));
    }
    (f, l.ports.first().map(|p| p.address.as_str()))
}

/// What one listener accepts, in one family.
fn listener_flow(p: &crate::model::Listener, family: Family) -> Flows {
    Flows::of_rule(
        p.protocol,
        PortRange {
            from: p.port,
            to: p.port,
        },
        IcmpMatch::default(),
        family,
    )
}

fn query_protocol(p: Protocol) -> QueryProtocol {
    match p {
        Protocol::Udp => QueryProtocol::Udp,
        _ => QueryProtocol::Tcp,
    }
}

/// `internet → w` through the load balancers whose listeners forward to it: the most open
/// answer over every forwarding listener and every node of its load balancer; `None` when
/// none forwards what is asked. A path is the internet to the node on the listener's port,
/// then the node to `w` on the target port: the node's groups, the network between their
/// subnets, and `w`'s groups, which see the node, or the client when the load balancer
/// keeps the client's address (and then `w`'s network ACL sees the client too).
fn via_load_balancers(e: &Engine<'_>, w: &Wl, q: &Query, family: Family) -> Option<PathResult> {
    let m = e.m;
    // A target in a subnet the plan does not show is answered by `one_family`.
    let target_subnet = w.subnet?;
    let asked = wanted_flows(q);
    let mut best: Option<PathResult> = None;
    let rank = |v: Verdict| match v {
        Verdict::Allowed => 2,
        Verdict::Unknown => 1,
        Verdict::Blocked => 0,
    };
    let mut target = w.clone();
    target.behind = Vec::new();
    let target = End::Workload(Box::new(target));
    for f in &w.behind {
        let range = match &f.port {
            Ok(p) => PortRange { from: *p, to: *p },
            Err(_) => PortRange::ALL,
        };
        let wanted = asked.intersect(&Flows::of_rule(
            f.protocol,
            range,
            IcmpMatch::default(),
            family,
        ));
        if wanted.is_empty() {
            continue;
        }
        let nodes = m.load_balancer_nodes(&f.load_balancer);
        let zone_of = |w: &Workload| match w.subnet.id().map(|s| &m.subnet(s).availability_zone) {
            Some(Val::Known(az)) => Some(az.clone()),
            _ => None,
        };
        let target_zone = match &m.subnet(target_subnet).availability_zone {
            Val::Known(az) => Some(az.clone()),
            Val::Unknown(_) => None,
        };
        // Targets in an Availability Zone the load balancer does not enable receive no
        // traffic; without cross-zone load balancing, only the node in the target's zone
        // forwards to it. Zones not known keep every node.
        let zones: Vec<Option<String>> = nodes.iter().map(zone_of).collect();
        if let Some(tz) = &target_zone {
            if !nodes.is_empty() && zones.iter().all(|z| z.as_ref().is_some_and(|z| z != tz)) {
                let r = not_forwarded(q, f, w, tz, nodes, family);
                if best
                    .as_ref()
                    .map_or(true, |b| rank(r.verdict) > rank(b.verdict))
                {
                    best = Some(r);
                }
                continue;
            }
        }
        for (node, zone) in nodes.iter().zip(&zones) {
            if !f.cross_zone {
                if let (Some(tz), Some(z)) = (&target_zone, zone) {
                    if tz != z {
                        continue;
                    }
                }
            }
            let Some(subnet) = node.subnet.id() else {
                continue;
            };
            if !has_family(m, subnet, family) || (family == Family::Ipv6 && !node.has_ipv6(m)) {
                continue;
            }
            let mut src = workload_end(m, node, subnet);
            src.behind = Vec::new();
            let listen = Query {
                from: q.from.clone(),
                to: node.meta.address.clone(),
                family: Some(family),
                protocol: query_protocol(f.listener_protocol),
                ports: f.listener_port.map(PortRange::single).into_iter().collect(),
            };
            let Ok(first) = direct(
                e,
                &End::Internet,
                &End::Workload(Box::new(src.clone())),
                &listen,
                family,
            ) else {
                continue;
            };
            let r = if first.verdict == Verdict::Blocked {
                PathResult {
                    from: Name::from(&*q.from),
                    to: Name::from(&*q.to),
                    ..first
                }
            } else if client_matches(f, family) == Cover::No {
                refused_by_rule(q, f, first)
            } else {
                // A client of the target group's family keeps its address (when the load
                // balancer keeps it); one of the other is passed on from the load
                // balancer's own.
                let inner = f.target_family;
                if !has_family(m, target_subnet, inner) || (inner == Family::Ipv6 && !w.ipv6) {
                    continue;
                }
                src.client_address = f.client_address.is_some() && inner == family;
                let pass = Query {
                    from: node.meta.address.clone(),
                    to: q.to.clone(),
                    family: Some(inner),
                    protocol: query_protocol(f.protocol),
                    ports: f
                        .port
                        .as_ref()
                        .ok()
                        .copied()
                        .map(PortRange::single)
                        .into_iter()
                        .collect(),
                };
                let kept = src.client_address;
                let Ok(second) = direct(e, &End::Workload(Box::new(src)), &target, &pass, inner)
                else {
                    continue;
                };
                let second = if kept {
                    with_client_nacl(e, f, subnet, target_subnet, family, &wanted, second)
                } else {
                    second
                };
                let mut r = join_legs(q, f, first, second, kept);
                r.family = family;
                r
            };
            let r = match &f.unsure {
                Some(why) if r.verdict == Verdict::Allowed => PathResult {
                    verdict: Verdict::Unknown,
                    reason: why.clone(),
                    ports: String::new(),
                    ..r
                },
                _ => r,
            };
            let better = best
                .as_ref()
                .map_or(true, |b| rank(r.verdict) > rank(b.verdict));
            if better {
                let done = r.verdict == Verdict::Allowed;
                best = Some(r);
                if done {
                    return best;
                }
            }
        }
    }
    best
}

/// Whether the internet, as a client in `family`, passes the `source_ip` conditions of
/// the listener rule of `f`: only a CIDR of length 0 covers every public address (as in a
/// security group rule).
fn client_matches(f: &Forwarder, family: Family) -> Cover {
    let mut out = Cover::Yes;
    for cond in &f.sources {
        match cond {
            Ok(nets) => {
                if !nets
                    .iter()
                    .any(|n| n.prefix_len() == 0 && crate::analysis::addr::family_of(n) == family)
                {
                    return Cover::No;
                }
            }
            Err(why) => out = Cover::Maybe(Arc::from(why.as_str())),
        }
    }
    out
}

/// `internet → w` through `f` when the listener rule's `source_ip` conditions leave the
/// internet out: blocked at the rule (the listener's other rules and default action are
/// other forwarders).
fn refused_by_rule(q: &Query, f: &Forwarder, first: PathResult) -> PathResult {
    let rule = f.rule.as_deref().unwrap_or(f.listener.as_str());
    let mut path = first.path;
    path.push(Name::from(f.listener.as_str()));
    path.push(Name::from(rule));
    let named: Vec<String> = f
        .sources
        .iter()
        .filter_map(|c| c.as_ref().ok())
        .map(|nets| {
            if nets.is_empty() {
                "no address".to_string()
            } else {
                nets.iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            }
        })
        .collect();
    PathResult {
        from: Name::from(&*q.from),
        to: Name::from(&*q.to),
        verdict: Verdict::Blocked,
        path,
        reason: format!(
            "through {}: {} forwards to {} only clients from {} (its `source_ip` condition)",
            tick(&f.load_balancer),
            tick(rule),
            tick(&f.target_group),
            named.join(" and from ")
        ),
        ports: String::new(),
        dropped_by: Some(Name::from(rule)),
        drop_kind: Some(DropKind::SourceCondition),
        ..first
    }
}

/// `internet → w` through `f` when the load balancer has no node in `w`'s Availability
/// Zone: blocked at the load balancer.
fn not_forwarded(
    q: &Query,
    f: &Forwarder,
    w: &Wl,
    zone: &str,
    nodes: &[Workload],
    family: Family,
) -> PathResult {
    let mut path = vec![Name::from("internet")];
    if let Some(node) = nodes.first() {
        path.push(Name::from(node.meta.address.as_str()));
    }
    path.push(Name::from(f.listener.as_str()));
    PathResult {
        from: Name::from(&*q.from),
        to: Name::from(&*q.to),
        family,
        verdict: Verdict::Blocked,
        path,
        reason: format!(
            "{} has no subnet in {zone}, the Availability Zone of {}: targets in an Availability Zone the load balancer does not enable receive no traffic",
            tick(&f.load_balancer),
            tick(&w.name)
        ),
        ports: String::new(),
        dropped_by: Some(Name::from(f.load_balancer.as_str())),
        drop_kind: Some(DropKind::NotForwarded),
    }
}

/// With the client's address kept, `w`'s network ACL sees the internet: requests from it
/// and replies to it must pass (no ACL is crossed inside one subnet).
fn with_client_nacl(
    e: &Engine<'_>,
    f: &Forwarder,
    node_subnet: SubnetId,
    subnet: SubnetId,
    family: Family,
    wanted: &Flows,
    mut r: PathResult,
) -> PathResult {
    let Some(why) = &f.client_address else {
        return r;
    };
    if r.verdict == Verdict::Blocked || node_subnet == subnet {
        return r;
    }
    let Some(nacl) = e.m.subnet(subnet).nacl.link.id() else {
        return r;
    };
    let crossing = Crossing {
        nacl,
        dir: Direction::Ingress,
        remote: Addr::Public,
        hop: 0,
        legs: Legs::Both,
    };
    let got = filter(e, std::slice::from_ref(&crossing), family, wanted);
    if let Some((_, by, reason, kind)) = got.drop.filter(|_| got.maybe.is_empty()) {
        // The path stops at the network ACL.
        let acl = e.m.nacl(nacl).meta.address.as_str();
        if let Some(at) = r.path.iter().position(|h| &**h == acl) {
            r.path.truncate(at + 1);
        }
        r.verdict = Verdict::Blocked;
        r.reason = format!("{reason}; {why}");
        r.ports = String::new();
        r.dropped_by = Some(Name::from(by.as_str()));
        r.drop_kind = Some(kind);
    } else if got.sure.is_empty() && r.verdict == Verdict::Allowed {
        r.verdict = Verdict::Unknown;
        r.reason = got.unknown_reason.unwrap_or_else(|| {
            format!("the network ACL of the target may not admit the client; {why}")
        });
        r.ports = String::new();
    }
    r
}

/// The load balancer an `internet → workload` answer goes through, read back from the
/// reason [`join_legs`] writes (it names the load balancer first, or right after the
/// workload when the answer is `allowed`).
pub fn forwarded_through(r: &PathResult) -> Option<&str> {
    let rest = r.reason.strip_prefix("through `").or_else(|| {
        let head = format!("`internet` reaches {} through `", tick(&r.to));
        r.reason.strip_prefix(head.as_str())
    })?;
    let (lb, after) = rest.split_once('`')?;
    after.starts_with(" (`").then_some(lb)
}

/// One answer from the two legs through a load balancer: the first (internet to the node)
/// passed.
fn join_legs(
    q: &Query,
    f: &Forwarder,
    first: PathResult,
    second: PathResult,
    kept: bool,
) -> PathResult {
    let mut path = first.path;
    path.push(Name::from(f.listener.as_str()));
    if let Some(rule) = &f.rule {
        path.push(Name::from(rule.as_str()));
    }
    if f.target_group != f.load_balancer {
        path.push(Name::from(f.target_group.as_str()));
    }
    path.extend(second.path.into_iter().skip(1));
    let through = format!(
        "through {} ({}{} forwards to {})",
        tick(&f.load_balancer),
        tick(&f.listener),
        f.rule
            .as_ref()
            .map_or(String::new(), |r| format!(", rule {},", tick(r))),
        match (&f.port, f.target_group == f.load_balancer) {
            (Ok(p), true) => format!("port {p}"),
            (Ok(p), false) => format!("{} port {p}", tick(&f.target_group)),
            (Err(_), true) => "its instances".to_string(),
            (Err(_), false) => ticked(&f.target_group),
        }
    );
    let mut r = PathResult {
        from: Name::from(&*q.from),
        to: Name::from(&*q.to),
        path,
        ..second
    };
    match r.verdict {
        Verdict::Blocked => {
            r.reason = format!("{through}: {}", r.reason);
            // The target's groups saw the client, not the load balancer.
            if let (Some(why), Some(DropKind::SecurityGroup), true) =
                (&f.client_address, r.drop_kind, kept)
            {
                r.reason = format!("{}; {why}", r.reason);
            }
        }
        Verdict::Unknown => {
            r.reason = format!("{through}: {}", r.reason);
        }
        Verdict::Allowed => {
            if first.verdict == Verdict::Unknown {
                r.verdict = Verdict::Unknown;
                r.reason = format!("{through}: {}", first.reason);
                r.ports = String::new();
            } else if let Cover::Maybe(why) = client_matches(f, first.family) {
                r.verdict = Verdict::Unknown;
                r.reason = format!("{through}: {why}");
                r.ports = String::new();
            } else if let Err(why) = &f.port {
                r.verdict = Verdict::Unknown;
                r.reason = format!("{through}: {why}");
                r.ports = String::new();
            } else {
                r.reason = format!("`internet` reaches {} {through}", tick(&q.to));
            }
        }
    }
    r
}

/// Whether a path leaves through an internet gateway with the source's own address: no NAT
/// gateway or NAT instance before it.
fn leaves_by_igw(m: &Model, path: &[Name]) -> bool {
    for hop in path {
        let hop: &str = hop;
        if m.nat_gateways.iter().any(|n| n.meta.address == hop)
            || m.workloads
                .iter()
                .any(|w| !w.source_dest_check && w.meta.address == hop)
        {
            return false;
        }
        if m.gateways
            .iter()
            .any(|g| g.kind == GatewayKind::Internet && g.meta.address == hop)
        {
            return true;
        }
    }
    false
}

/// Answers one query; one result per family asked (or per family both ends have).
pub fn run(m: &Model, q: &Query) -> Result<Vec<PathResult>, QueryError> {
    run_on(&Engine::new(m), q)
}

/// Answers many queries on one engine, on all threads: the answers of each query that has
/// some (a query with an error, such as two ends with no family in common, gives none), in
/// the order of the queries.
pub fn run_many(m: &Model, queries: &[Query]) -> Vec<PathResult> {
    if queries.is_empty() {
        return Vec::new();
    }
    let e = Engine::new(m);
    let per: Vec<Vec<PathResult>> = queries
        .par_iter()
        .map(|q| run_on(&e, q).unwrap_or_default())
        .collect();
    per.into_iter().flatten().collect()
}

/// Answers many queries on one engine, on all threads: for each query, in order, its first
/// answer, or `None` when it has none (an error, such as two ends with no family in common).
pub fn run_each(m: &Model, queries: &[Query]) -> Vec<Option<PathResult>> {
    if queries.is_empty() {
        return Vec::new();
    }
    let e = Engine::new(m);
    queries
        .par_iter()
        .map(|q| run_on(&e, q).ok().and_then(|v| v.into_iter().next()))
        .collect()
}

fn run_on(e: &Engine<'_>, q: &Query) -> Result<Vec<PathResult>, QueryError> {
    let m = e.m;
    let from = resolve(m, &q.from, None)?;
    let to = resolve(m, &q.to, from.subnet())?;
    if let (End::Subnet(a), End::Subnet(b)) = (&from, &to) {
        if a == b {
            return Err(QueryError::Invalid(
                "a subnet to itself crosses no route table or network ACL; ask about two workloads in it instead".to_string(),
            ));
        }
    }
    let has = |end: &End, f: Family| match end {
        End::Subnet(s) => has_family(m, *s, f),
        // In a subnet the plan does not show: IPv4, and IPv6 when asked for (whether it has
        // an IPv6 address depends on that subnet).
        End::Workload(w) => match w.subnet {
            Some(s) => has_family(m, s, f) && (f == Family::Ipv4 || w.ipv6),
            None => f == Family::Ipv4 || q.family == Some(f),
        },
        End::Internet | End::Service(_) => true,
        End::Vpn(v) => f == Family::Ipv4 || !onprem_cidrs(m, *v, f).0.is_empty(),
    };
    let families: Vec<Family> = match q.family {
        Some(f) => vec![f],
        None => [Family::Ipv4, Family::Ipv6]
            .into_iter()
            .filter(|f| has(&from, *f) && has(&to, *f))
            .collect(),
    };
    if families.is_empty() {
        return Err(QueryError::Invalid(format!(
            "`{}` and `{}` share no address family",
            q.from, q.to
        )));
    }
    let mut out = Vec::new();
    for f in families {
        if !has(&from, f) || !has(&to, f) {
            return Err(QueryError::Invalid(format!(
                "`{}` and `{}` do not both have {f} addresses",
                q.from, q.to
            )));
        }
        out.push(one_family(e, &from, &to, q, f)?);
    }
    Ok(out)
}

/// What the internet reaches of every workload (instance, network interface), in each
/// family its subnet has: `internet → workload` for any protocol, as `tfvpc query` answers
/// it, sorted like reachability answers. A workload in a subnet the plan does not show is
/// asked over IPv4: the network to it is `unknown`, but its security groups and a missing
/// public IPv4 address still block.
pub fn exposure(m: &Model) -> Vec<PathResult> {
    if m.workloads.is_empty() {
        return Vec::new();
    }
    let e = Engine::new(m);
    let per: Vec<Vec<PathResult>> = m
        .workloads
        .par_iter()
        .map(|w| {
            let Some(placed) = placement(m, w) else {
                return Vec::new();
            };
            // Client VPN users take no connections: nothing to expose.
            if w.kind == crate::model::WorkloadKind::ClientVpn {
                return Vec::new();
            }
            // In a subnet the plan does not show: IPv4, as `tfvpc query` asks by default
            // (whether it has an IPv6 address depends on that subnet).
            let has = |f: Family| match placed {
                Ok(subnet) => has_family(m, subnet, f) && (f == Family::Ipv4 || w.has_ipv6(m)),
                Err(_) => f == Family::Ipv4,
            };
            let to = End::Workload(Box::new(workload_at(m, w, placed.clone())));
            [Family::Ipv4, Family::Ipv6]
                .into_iter()
                .filter(|f| has(*f))
                .filter_map(|f| {
                    let q = Query {
                        from: "internet".to_string(),
                        to: w.meta.address.clone(),
                        family: Some(f),
                        protocol: QueryProtocol::All,
                        ports: Vec::new(),
                    };
                    one_family(&e, &End::Internet, &to, &q, f).ok()
                })
                .collect()
        })
        .collect();
    let mut out: Vec<PathResult> = per.into_iter().flatten().collect();
    out.sort_by(|a, b| (&a.to, a.family).cmp(&(&b.to, b.family)));
    out
}
