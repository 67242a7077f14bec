//! Model look-ups the rules share: which table a subnet uses, its default route, what a
//! route target is, whether a filter admits traffic from anywhere, reachability look-ups.
//!
//! Pure functions over the model and the reachability results; no rule logic, no messages.

use crate::analysis::{PathResult, Reachability};
use crate::model::{
    AnyBlock, Block, Destination, Family, FirstWhere, GatewayKind, Ipv4Net, Ipv6Net, Link, Model,
    Nacl, NatGatewayId, Protocol, Route, RouteOrigin, RouteTable, RouteTableId, SecurityGroup,
    SgPeer, SgRule, Subnet, SubnetId, Target, Vpc,
};
use ipnet::IpNet;

/// The route table a subnet uses, when the link resolves.
pub fn subnet_table<'m>(m: &'m Model, s: &Subnet) -> Option<&'m RouteTable> {
    s.route_table.link.id().map(|t| m.route_table(t))
}

/// The routes of a table.
pub fn table_routes<'m>(m: &'m Model, t: &'m RouteTable) -> impl Iterator<Item = &'m Route> + 'm {
    t.routes.iter().map(move |r| m.route(*r))
}

/// Whether a destination is the default route of this family (`0.0.0.0/0`, `::/0`).
pub fn is_default(dest: &Destination, family: Family) -> bool {
    match (dest, family) {
        (Destination::Cidr(AnyBlock::V4(Block::Known(n))), Family::Ipv4) => n.prefix_len() == 0,
        (Destination::Cidr(AnyBlock::V6(Block::Known(n))), Family::Ipv6) => n.prefix_len() == 0,
        _ => false,
    }
}

/// Whether a destination is a global IPv6 range (`::/0`, `2000::/3` or inside it).
pub fn is_global_v6(dest: &Destination) -> bool {
    let Destination::Cidr(AnyBlock::V6(Block::Known(n))) = dest else {
        return false;
    };
    let global: Ipv6Net =
        Ipv6Net::new(std::net::Ipv6Addr::new(0x2000, 0, 0, 0, 0, 0, 0, 0), 3).unwrap_or_default();
    n.prefix_len() == 0 || global.contains(n) || n.contains(&global)
}

/// The table's default route of a family; a static route wins over a propagated one.
pub fn default_route<'m>(m: &'m Model, t: &'m RouteTable, family: Family) -> Option<&'m Route> {
    let mut found: Option<&Route> = None;
    for r in table_routes(m, t).filter(|r| is_default(&r.destination, family)) {
        let propagated = matches!(r.origin, RouteOrigin::Propagated(_));
        match found {
            Some(f) if !matches!(f.origin, RouteOrigin::Propagated(_)) || propagated => {}
            _ => found = Some(r),
        }
    }
    found
}

/// The first route whose table is not known ([`Model::unplaced_routes`]) and that is an
/// IPv4 default route, per table it may be in.
pub fn unplaced_ipv4_defaults(m: &Model) -> FirstWhere {
    m.unplaced_routes()
        .first_where(m, |r| is_default(&r.destination, Family::Ipv4))
}

/// The table of subnet `s`, with its id.
pub fn subnet_table_id<'m>(m: &'m Model, s: &Subnet) -> Option<(RouteTableId, &'m RouteTable)> {
    s.route_table.link.id().map(|t| (t, m.route_table(t)))
}

/// Whether a table lacks an IPv4 default route to an internet gateway: `None` when it has
/// one (or one whose target cannot be classified, which may be an internet gateway, or a
/// default route whose table is not known may be in it), else `Some` of what its default
/// route targets instead, if it has one.
/// `unplaced_defaults`: [`unplaced_ipv4_defaults`].
pub fn no_igw_default<'m>(
    m: &'m Model,
    (id, table): (RouteTableId, &'m RouteTable),
    unplaced_defaults: &FirstWhere,
) -> Option<Option<String>> {
    if unplaced_defaults.in_table(id, table.vpc.id()).is_some() {
        return None;
    }
    match default_route(m, table, Family::Ipv4).map(|r| &r.target) {
        None => Some(None),
        Some(t) => match gateway_kind(m, t) {
            Some(crate::model::GatewayKind::Internet) => None,
            None if matches!(t, Target::Gateway(_) | Target::Unresolved { .. }) => None,
            _ => Some(Some(target_name(m, t))),
        },
    }
}

/// A route is static when the user wrote it (inline block or `aws_route`), or AWS made it
/// with a default VPC (a second route to 0.0.0.0/0 in that table fails as a duplicate).
pub fn is_static(r: &Route) -> bool {
    matches!(
        r.origin,
        RouteOrigin::Inline | RouteOrigin::Resource | RouteOrigin::DefaultVpc
    )
}

/// The kind of gateway a target names: resolved, or told from a known ID's prefix.
pub fn gateway_kind(m: &Model, target: &Target) -> Option<GatewayKind> {
    match target {
        Target::Gateway(Link::To(g, _)) => Some(m.gateway(*g).kind),
        Target::Gateway(Link::External(id)) => {
            if id.starts_with("igw-") {
                Some(GatewayKind::Internet)
            } else if id.starts_with("eigw-") {
                Some(GatewayKind::EgressOnly)
            } else if id.starts_with("vgw-") {
                Some(GatewayKind::Vpn)
            } else {
                None
            }
        }
        _ => None,
    }
}

/// The NAT gateway a subnet's IPv4 default route targets.
pub fn ipv4_default_nat(m: &Model, s: &Subnet) -> Option<NatGatewayId> {
    let t = subnet_table(m, s)?;
    match &default_route(m, t, Family::Ipv4)?.target {
        Target::NatGateway(Link::To(n, _)) => Some(*n),
        _ => None,
    }
}

/// Whether the subnet's IPv4 egress goes through a NAT (gateway or NAT instance): the
/// IPv4 default route targets one. Such a subnet is meant to be private.
pub fn ipv4_egress_is_nat(m: &Model, s: &Subnet) -> bool {
    let Some(t) = subnet_table(m, s) else {
        return false;
    };
    match default_route(m, t, Family::Ipv4).map(|r| &r.target) {
        Some(Target::NatGateway(l)) => !l.is_none(),
        Some(Target::Workload(Link::To(w, _))) => !m.workload(*w).source_dest_check,
        _ => false,
    }
}

/// A route whose table is not known ([`Model::unplaced_routes`]) that may give the
/// subnet's table an IPv4 default route through a NAT (gateway or instance): the table has
/// no IPv4 default route of its own (AWS holds one route per destination), and the route's
/// target places it in the table's VPC, or in no VPC known, or its references name the
/// table. `nat_defaults`: [`unplaced_nat_defaults`].
pub fn ipv4_egress_may_be_nat<'m>(
    m: &'m Model,
    nat_defaults: &FirstWhere,
    s: &Subnet,
) -> Option<&'m Route> {
    let (id, t) = subnet_table_id(m, s)?;
    if default_route(m, t, Family::Ipv4).is_some() {
        return None;
    }
    nat_defaults.in_table(id, t.vpc.id()).map(|r| m.route(r))
}

/// The first route whose table is not known ([`Model::unplaced_routes`]) and that is an
/// IPv4 default route through a NAT (gateway or instance), per table it may be in.
pub fn unplaced_nat_defaults(m: &Model) -> FirstWhere {
    m.unplaced_routes().first_where(m, |r| {
        is_default(&r.destination, Family::Ipv4)
            && match &r.target {
                Target::NatGateway(l) => !l.is_none(),
                Target::Workload(Link::To(w, _)) => !m.workload(*w).source_dest_check,
                _ => false,
            }
    })
}

/// Why the subnet may be meant to be private: route `r` ([`ipv4_egress_may_be_nat`]) may
/// send its IPv4 egress through NAT.
pub fn maybe_nat_phrase(r: &Route) -> String {
    let why = match &r.table {
        Link::Unresolved(why) => format!(" ({why})"),
        _ => String::new(),
    };
    format!(
        "may send its IPv4 egress through NAT (it would be meant to be private): route `{}`, whose route table is not known at plan time{why}, may be in its table",
        r.address
    )
}

/// The IPv6 routes of the subnet's table that send a global range to an internet gateway.
pub fn ipv6_routes_to_igw<'m>(m: &'m Model, s: &Subnet) -> Vec<&'m Route> {
    let Some(t) = subnet_table(m, s) else {
        return Vec::new();
    };
    table_routes(m, t)
        .filter(|r| is_global_v6(&r.destination))
        .filter(|r| gateway_kind(m, &r.target) == Some(GatewayKind::Internet))
        .collect()
}

/// The AZ of a subnet, when known.
pub fn subnet_az(s: &Subnet) -> Option<&str> {
    s.availability_zone.known().map(String::as_str)
}

/// The subnet behind a link, when it resolves.
pub fn linked_subnet<'m>(m: &'m Model, l: &Link<SubnetId>) -> Option<&'m Subnet> {
    l.id().map(|s| m.subnet(s))
}

/// Whether a protocol matches TCP (`tcp` or `all`).
pub fn covers_tcp(p: Protocol) -> bool {
    matches!(p, Protocol::Tcp | Protocol::All)
}

/// Whether a block is the whole address space of its family (`0.0.0.0/0` or `::/0`).
pub fn is_anywhere(b: &AnyBlock) -> Option<Family> {
    let n = crate::analysis::addr::known_net(b)?;
    crate::analysis::addr::covers_internet(&n).then(|| crate::analysis::addr::family_of(&n))
}

/// The ingress rules of a security group that admit TCP `port` from anywhere, with the family:
/// a rule of `0.0.0.0/0` or `::/0` (or a prefix list holding one), or rules that each admit
/// part of the internet and all of it together (`0.0.0.0/1` and `128.0.0.0/1`).
pub fn sg_open_to_world<'m>(
    m: &'m Model,
    sg: &'m SecurityGroup,
    port: u16,
) -> Vec<(&'m SgRule, Family)> {
    let sure = |r: &&SgRule| {
        r.unknown.is_none()
            && covers_tcp(r.protocol)
            && (r.protocol == Protocol::All || r.ports.contains(port))
    };
    let nets = |r: &SgRule| -> Vec<IpNet> {
        match &r.peer {
            SgPeer::Cidr(b) => crate::analysis::addr::known_net(b).into_iter().collect(),
            SgPeer::PrefixList(Link::To(pl, _)) => m
                .prefix_list(*pl)
                .blocks()
                .filter_map(crate::analysis::addr::known_net)
                .collect(),
            _ => Vec::new(),
        }
    };
    let mut out: Vec<(&SgRule, Family)> = Vec::new();
    for family in [Family::Ipv4, Family::Ipv6] {
        let admitting: Vec<(&SgRule, Vec<IpNet>)> = sg
            .ingress
            .iter()
            .filter(sure)
            .map(|r| {
                let n: Vec<IpNet> = nets(r)
                    .into_iter()
                    .filter(|n| crate::analysis::addr::family_of(n) == family)
                    .collect();
                (r, n)
            })
            .filter(|(_, n)| !n.is_empty())
            .collect();
        let whole: Vec<&SgRule> = admitting
            .iter()
            .filter(|(_, n)| n.iter().any(crate::analysis::addr::covers_internet))
            .map(|(r, _)| *r)
            .collect();
        if !whole.is_empty() {
            out.extend(whole.into_iter().map(|r| (r, family)));
            continue;
        }
        let all: Vec<IpNet> = admitting
            .iter()
            .flat_map(|(_, n)| n.iter().copied())
            .collect();
        if admitting.len() > 1 && crate::analysis::addr::together_cover_internet(&all) {
            out.extend(admitting.iter().map(|(r, _)| (*r, family)));
        }
    }
    // In the group's order, as the rules are listed.
    out.sort_by_key(|(r, f)| {
        (
            sg.ingress.iter().position(|x| std::ptr::eq(x, *r)),
            *f == Family::Ipv6,
        )
    });
    out
}

/// The family from all of whose addresses an ingress rule admits TCP `port`, if any. A rule
/// whose protocol or ports are known only after apply admits nothing for sure (see
/// [`rule_maybe_open_to_world`]).
pub fn rule_open_to_world(r: &SgRule, port: u16) -> Option<Family> {
    r.unknown.is_none().then(|| admits_from_world(r, port))?
}

/// For an ingress rule whose protocol or ports are known only after apply: the family from
/// all of whose addresses it may admit one of TCP `ports`, if any.
pub fn rule_maybe_open_to_world(r: &SgRule, ports: &[u16]) -> Option<Family> {
    r.unknown.as_ref()?;
    ports.iter().find_map(|p| admits_from_world(r, *p))
}

fn admits_from_world(r: &SgRule, port: u16) -> Option<Family> {
    if !covers_tcp(r.protocol) || !(r.protocol == Protocol::All || r.ports.contains(port)) {
        return None;
    }
    match &r.peer {
        SgPeer::Cidr(b) => is_anywhere(b),
        _ => None,
    }
}

/// The ingress rules this plan adds to security group `id`, which it does not hold, that
/// admit TCP `port` from all addresses of a family.
pub fn outside_group_open_to_world<'m>(
    m: &'m Model,
    id: &'m str,
    port: u16,
) -> impl Iterator<Item = (&'m SgRule, Family)> + 'm {
    m.outside_group_rules
        .iter()
        .filter(move |o| !o.egress && o.group == id)
        .filter_map(move |o| rule_open_to_world(&o.rule, port).map(|f| (&o.rule, f)))
}

/// Whether a NACL's ingress admits TCP `port` from every address of `family` (first match
/// among rules covering the whole family; narrower rules are left aside).
pub fn nacl_admits_from_world(nacl: &Nacl, port: u16, family: Family) -> bool {
    for r in &nacl.ingress {
        if is_anywhere(&r.cidr) != Some(family) {
            continue;
        }
        if !covers_tcp(r.protocol) {
            continue;
        }
        if r.protocol != Protocol::All && !r.ports.contains(port) {
            continue;
        }
        // A rule whose match or action is known only after apply may decide the port
        // either way: the NACL is not known to admit it.
        return r.allow && r.unknown.is_none();
    }
    // A synthesized default NACL allows everything.
    nacl.synthesized
}

/// Whether two IPv4 blocks overlap.
pub fn overlap4(a: &Ipv4Net, b: &Ipv4Net) -> bool {
    a.contains(b) || b.contains(a)
}

/// Whether two IPv6 blocks overlap.
pub fn overlap6(a: &Ipv6Net, b: &Ipv6Net) -> bool {
    a.contains(b) || b.contains(a)
}

/// The known CIDR blocks of a VPC, of both families.
pub fn vpc_blocks(v: &Vpc) -> (Vec<Ipv4Net>, Vec<Ipv6Net>) {
    (
        v.ipv4
            .iter()
            .filter_map(|b| b.block.known().copied())
            .collect(),
        v.ipv6
            .iter()
            .filter_map(|b| b.block.known().copied())
            .collect(),
    )
}

/// A reachability answer by endpoint names and family.
pub fn path<'r>(
    reach: &'r Reachability,
    from: &str,
    to: &str,
    family: Family,
) -> Option<&'r PathResult> {
    // Results are sorted by `(from, to, family)`: a binary search, not a scan (rules ask
    // this once per subnet, over hundreds of thousands of results). `Reachability` is
    // always sorted (the engine sorts, and so does the rules testkit).
    let key = (from, to, family);
    let i = reach
        .results
        .partition_point(|p| (&*p.from, &*p.to, p.family) < key);
    reach
        .results
        .get(i)
        .filter(|p| *p.from == *from && *p.to == *to && p.family == family)
}

/// Whether a `ports` summary (`all`, or `tcp:443,tcp:1024-65535,udp:53`) lets TCP `port` pass.
pub fn ports_include_tcp(ports: &str, port: u16) -> bool {
    ports.split(',').map(str::trim).any(|item| {
        if item == "all" {
            return true;
        }
        let Some((proto, range)) = item.split_once(':') else {
            return false;
        };
        if proto != "tcp" && proto != "all" {
            return false;
        }
        if range == "all" || range == "*" {
            return true;
        }
        let (lo, hi) = range.split_once('-').unwrap_or((range, range));
        match (lo.parse::<u16>(), hi.parse::<u16>()) {
            (Ok(lo), Ok(hi)) => lo <= port && port <= hi,
            _ => false,
        }
    })
}

/// The Terraform address a route target names, or a description of it.
pub fn target_name(m: &Model, target: &Target) -> String {
    match target {
        Target::Local => "local".to_string(),
        Target::Gateway(l) => link_name(l, |g| m.gateway(g).meta.address.clone()),
        Target::NatGateway(l) => link_name(l, |g| m.nat_gateway(g).meta.address.clone()),
        Target::TransitGateway(l) => link_name(l, |g| m.transit_gateway(g).meta.address.clone()),
        Target::Peering(l) => link_name(l, |g| m.peering(g).meta.address.clone()),
        Target::Endpoint(l) => link_name(l, |g| m.endpoint(g).meta.address.clone()),
        Target::Workload(l) => link_name(l, |g| m.workload(g).meta.address.clone()),
        Target::Other { attribute, value } => format!("{attribute} = {value}"),
        Target::Unresolved { attribute, .. } => format!("{attribute} (unresolved)"),
        Target::Missing => "no target".to_string(),
    }
}

fn link_name<I: Copy>(l: &Link<I>, name: impl Fn(I) -> String) -> String {
    match l {
        Link::To(id, _) => name(*id),
        Link::External(id) => id.clone(),
        Link::Unresolved(_) => "an unresolved target".to_string(),
        Link::None => "no target".to_string(),
    }
}

/// The route's destination, as written.
pub fn destination_text(m: &Model, d: &Destination) -> String {
    match d {
        Destination::Cidr(AnyBlock::V4(Block::Known(n))) => n.to_string(),
        Destination::Cidr(AnyBlock::V6(Block::Known(n))) => n.to_string(),
        Destination::Cidr(AnyBlock::V4(Block::Unknown(_))) => {
            "an IPv4 CIDR known after apply".into()
        }
        Destination::Cidr(AnyBlock::V6(Block::Unknown(_))) => {
            "an IPv6 CIDR known after apply".into()
        }
        Destination::PrefixList(l) => link_name(l, |p| m.prefix_list(p).meta.address.clone()),
        Destination::Service(s) => format!("service:{s}"),
        Destination::Unknown(_) => "a destination known after apply".into(),
    }
}
