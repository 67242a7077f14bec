//! Longest-prefix match over one VPC route table, per address family, built once per table.
//!
//! Entries are kept sorted by prefix length (longest first), static before propagated,
//! CIDR before prefix-list entry; a lookup is a scan to the first entry that covers the
//! address (tables hold tens of routes, where a sorted scan beats a trie). Routes whose
//! destination is unknown at plan time are kept aside: when one of them could be the
//! longest match, the lookup says `Unknown` and names it. This module does not follow
//! targets; the walker does.

use ipnet::IpNet;

use crate::analysis::addr::{covers_internet, is_private, known_net, Addr, Cover};
use crate::model::{
    AnyBlock, Block, Destination, Family, Link, Model, RouteId, RouteOrigin, SubnetId, VpcId,
};

/// One CIDR a table routes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub net: IpNet,
    pub route: RouteId,
    /// VGW-propagated: loses to a static route of the same prefix.
    pub propagated: bool,
    /// An entry of a customer-managed prefix list: loses to a CIDR route of the same prefix.
    pub from_list: bool,
}

/// A route whose destination the plan does not know yet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownEntry {
    pub family: Option<Family>,
    pub prefix_len: Option<u8>,
    pub route: RouteId,
    pub reason: String,
    /// For an implicit local route: the VPC whose (unknown) block it routes. It certainly
    /// covers every address structure places inside that VPC.
    pub local_vpc: Option<VpcId>,
    /// The VPC whose block the destination lies inside (a peer's, say): never the
    /// internet's route, nor that of an address apart from that VPC.
    pub in_vpc: Option<VpcId>,
    /// The subnets of `in_vpc` one of whose blocks the destination lies inside (a route to
    /// a subnet's block through a firewall): never the route of another subnet's address.
    pub in_subnets: Vec<SubnetId>,
    /// A route whose destination is known but whose route table is not ([`TableIndex::
    /// add_unplaced`]): its destination. It may be in this table, and decide the addresses
    /// inside it.
    pub net: Option<IpNet>,
}

/// The answer of a lookup.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Lookup {
    Route(RouteId),
    NoRoute,
    Unknown(String),
}

/// A route table ready for lookups.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TableIndex {
    v4: Vec<Entry>,
    v6: Vec<Entry>,
    unknown: Vec<UnknownEntry>,
    /// Gateway-endpoint routes: short service name and route.
    services: Vec<(String, RouteId)>,
    /// Gateway-endpoint routes whose table is not known, that may be in this one: short
    /// service name and why ([`TableIndex::add_unplaced`]).
    unplaced_services: Vec<(String, String)>,
}

fn sort_entries(v: &mut [Entry]) {
    v.sort_by(|a, b| {
        b.net
            .prefix_len()
            .cmp(&a.net.prefix_len())
            .then(a.propagated.cmp(&b.propagated))
            .then(a.from_list.cmp(&b.from_list))
            .then(a.net.cmp(&b.net))
            .then(a.route.cmp(&b.route))
    });
}

impl TableIndex {
    /// An index over ready-made entries (tests, benchmarks).
    pub fn from_entries(entries: Vec<Entry>) -> TableIndex {
        let mut t = TableIndex::default();
        for e in entries {
            match e.net {
                IpNet::V4(_) => t.v4.push(e),
                IpNet::V6(_) => t.v6.push(e),
            }
        }
        sort_entries(&mut t.v4);
        sort_entries(&mut t.v6);
        t
    }

    /// The index of every route of a table of `model`.
    pub fn build(model: &Model, routes: &[RouteId]) -> TableIndex {
        let mut entries = Vec::with_capacity(routes.len());
        let mut t = TableIndex::default();
        for &rid in routes {
            let Some(route) = model.routes.get(rid.index()) else {
                continue;
            };
            let propagated = matches!(route.origin, RouteOrigin::Propagated(_));
            match &route.destination {
                Destination::Cidr(block) => match known_net(block) {
                    Some(net) => entries.push(Entry {
                        net,
                        route: rid,
                        propagated,
                        from_list: false,
                    }),
                    None => {
                        let (prefix_len, reason, in_vpc, in_subnets) = match block {
                            AnyBlock::V4(Block::Unknown(u)) | AnyBlock::V6(Block::Unknown(u)) => (
                                u.prefix_len,
                                u.reason.clone(),
                                u.inside_vpc,
                                u.inside_subnets.clone(),
                            ),
                            _ => (None, String::new(), None, Vec::new()),
                        };
                        let local_vpc = match route.origin {
                            RouteOrigin::Local => route
                                .table
                                .id()
                                .and_then(|t| model.route_tables.get(t.index()))
                                .and_then(|t| t.vpc.id()),
                            _ => None,
                        };
                        t.unknown.push(UnknownEntry {
                            family: Some(block.family()),
                            prefix_len,
                            route: rid,
                            reason,
                            local_vpc,
                            in_vpc,
                            in_subnets,
                            net: None,
                        });
                    }
                },
                Destination::PrefixList(link) => match link {
                    Link::To(pl, _) => {
                        if let Some(list) = model.prefix_lists.get(pl.index()) {
                            for b in list.blocks() {
                                match (known_net(b), b) {
                                    (Some(net), _) => entries.push(Entry {
                                        net,
                                        route: rid,
                                        propagated,
                                        from_list: true,
                                    }),
                                    (
                                        None,
                                        AnyBlock::V4(Block::Unknown(u))
                                        | AnyBlock::V6(Block::Unknown(u)),
                                    ) => t.unknown.push(UnknownEntry {
                                        family: Some(b.family()),
                                        prefix_len: u.prefix_len,
                                        route: rid,
                                        reason: u.reason.clone(),
                                        local_vpc: None,
                                        in_vpc: u.inside_vpc,
                                        in_subnets: u.inside_subnets.clone(),
                                        net: None,
                                    }),
                                    (None, _) => {}
                                }
                            }
                            if let Some(reason) = &list.unknown {
                                t.unknown.push(UnknownEntry {
                                    family: Some(list.family),
                                    prefix_len: None,
                                    route: rid,
                                    reason: reason.clone(),
                                    local_vpc: None,
                                    in_vpc: None,
                                    in_subnets: Vec::new(),
                                    net: None,
                                });
                            }
                        }
                    }
                    Link::External(id) => t.unknown.push(UnknownEntry {
                        family: None,
                        prefix_len: None,
                        route: rid,
                        reason: format!(
                            "the entries of prefix list `{id}` (outside this plan) are not known"
                        ),
                        local_vpc: None,
                        in_vpc: None,
                        in_subnets: Vec::new(),
                        net: None,
                    }),
                    Link::Unresolved(r) => t.unknown.push(UnknownEntry {
                        family: None,
                        prefix_len: None,
                        route: rid,
                        reason: r.clone(),
                        local_vpc: None,
                        in_vpc: None,
                        in_subnets: Vec::new(),
                        net: None,
                    }),
                    Link::None => {}
                },
                Destination::Service(name) => t.services.push((name.clone(), rid)),
                Destination::Unknown(reason) => t.unknown.push(UnknownEntry {
                    family: None,
                    prefix_len: None,
                    route: rid,
                    reason: reason.clone(),
                    local_vpc: None,
                    in_vpc: None,
                    in_subnets: Vec::new(),
                    net: None,
                }),
            }
        }
        let mut built = TableIndex::from_entries(entries);
        built.unknown = t.unknown;
        built.services = t.services;
        built.services.sort();
        built
    }

    /// Adds the routes whose route table is not known (`unplaced`, with the reason): each
    /// may be in this table (`table`, its address). One with a known destination makes a lookup unknown where its
    /// destination covers the address and is longer than the table's own match (a table
    /// holds one route per destination, so at equal length the table's own stands); one
    /// whose destination is not known either, wherever it may be the longest.
    ///
    /// Each comes with how many others that may be in this table share its destination
    /// ([`crate::model::UnplacedRoutes::distinct_in`]): they would decide the same lookups.
    pub fn add_unplaced(
        &mut self,
        model: &Model,
        table: &str,
        unplaced: &[(RouteId, &str, usize)],
    ) {
        for &(rid, why, more) in unplaced {
            let Some(route) = model.routes.get(rid.index()) else {
                continue;
            };
            let others = match more {
                0 => String::new(),
                1 => " (or another route to the same destination)".to_string(),
                n => format!(" (or any of {n} other routes to the same destination)"),
            };
            let reason = format!(
                "route `{}`{others} may be in `{table}`: its route table is not known ({why})",
                route.address
            );
            let entry =
                |family: Option<Family>, prefix_len: Option<u8>, net: Option<IpNet>| UnknownEntry {
                    family,
                    prefix_len,
                    route: rid,
                    reason: reason.clone(),
                    local_vpc: None,
                    in_vpc: None,
                    in_subnets: Vec::new(),
                    net,
                };
            match &route.destination {
                Destination::Cidr(block) => match known_net(block) {
                    Some(net) => self.unknown.push(entry(
                        Some(block.family()),
                        Some(net.prefix_len()),
                        Some(net),
                    )),
                    None => self.unknown.push(entry(Some(block.family()), None, None)),
                },
                // A prefix list's or an unknown destination: anywhere.
                Destination::PrefixList(_) | Destination::Unknown(_) => {
                    self.unknown.push(entry(None, None, None));
                }
                // A gateway endpoint's route, whose table is not known.
                Destination::Service(name) => {
                    self.unplaced_services.push((name.clone(), reason.clone()));
                }
            }
        }
    }

    fn entries(&self, family: Family) -> &[Entry] {
        match family {
            Family::Ipv4 => &self.v4,
            Family::Ipv6 => &self.v6,
        }
    }

    /// The reason the internet's route may be a route whose destination is known only
    /// after apply, if one may be. The local route of the VPC's own block is never it: a
    /// VPC's block is neither a default route nor the internet, whether it is known yet or
    /// not.
    fn unknown_for_internet(&self, model: Option<&Model>, family: Family) -> Option<String> {
        self.unknown
            .iter()
            .filter(|u| u.family.map_or(true, |f| f == family))
            .filter(|u| u.local_vpc.is_none() && u.in_vpc.is_none())
            .filter(|u| u.net.map_or(true, |n| !is_private(&n)))
            .map(|u| self.unknown_reason(model, u))
            .next()
    }

    fn unknown_reason(&self, model: Option<&Model>, u: &UnknownEntry) -> String {
        if u.net.is_some() {
            // A route of a table not known: the reason says it all.
            return u.reason.clone();
        }
        let addr = model
            .and_then(|m| m.routes.get(u.route.index()))
            .map_or("", |r| r.address.as_str());
        format!(
            "the destination of route `{addr}` decides it and is known only after apply ({})",
            u.reason
        )
    }

    /// Longest-prefix match of an address of `family`.
    pub fn lookup(&self, model: Option<&Model>, family: Family, addr: &Addr) -> Lookup {
        // Why the answer may be unknown: a reason already written, or an unknown route whose
        // reason is written only if it decides (most lookups end with a known route).
        enum Maybe<'u> {
            Said(std::sync::Arc<str>),
            Route(&'u UnknownEntry),
        }
        let mut best: Option<(u8, RouteId)> = None;
        let mut maybe: Option<(u8, Maybe<'_>)> = None;
        for e in self.entries(family) {
            match addr.covered_by(&e.net) {
                Cover::Yes => {
                    best = Some((e.net.prefix_len(), e.route));
                    break;
                }
                Cover::Maybe(r) => {
                    if maybe.is_none() {
                        maybe = Some((e.net.prefix_len(), Maybe::Said(r)));
                    }
                }
                Cover::No => {}
            }
        }
        let addr_vpc = match addr {
            Addr::Within { vpc, .. } => *vpc,
            _ => None,
        };
        for u in &self.unknown {
            if u.family.is_some_and(|f| f != family) {
                continue;
            }
            if let Some(net) = &u.net {
                // A route that may be in this table: only for addresses it covers.
                if matches!(addr.covered_by(net), Cover::No) {
                    continue;
                }
                let ul = net.prefix_len();
                if maybe.as_ref().map_or(true, |m| ul > m.0) {
                    maybe = Some((ul, Maybe::Route(u)));
                }
                continue;
            }
            if u.local_vpc.is_some() && u.local_vpc == addr_vpc {
                // Structure decides: the address lies inside this VPC's block, which is at
                // least a /16 (IPv4: AWS allows /16 to /28) or a /44 (IPv6) even when
                // its length is not known yet.
                let floor = match family {
                    Family::Ipv4 => 16,
                    Family::Ipv6 => 44,
                };
                let l = u.prefix_len.unwrap_or(floor);
                if best.map_or(true, |b| l > b.0) {
                    best = Some((l, u.route));
                }
                continue;
            }
            if u.in_vpc.or(u.local_vpc).is_some_and(|v| addr.apart_from(v)) {
                // Inside a VPC whose blocks never overlap the address's (peered with its
                // VPC, or both Amazon-provided IPv6).
                continue;
            }
            if addr.apart_from_subnets(u.in_vpc, &u.in_subnets) {
                // Inside other subnets of the address's VPC.
                continue;
            }
            let ul = u.prefix_len.unwrap_or(128);
            if maybe.as_ref().map_or(true, |m| ul > m.0) {
                maybe = Some((ul, Maybe::Route(u)));
            }
        }
        if let Some((ml, r)) = maybe {
            if best.map_or(true, |b| ml > b.0) {
                return Lookup::Unknown(match r {
                    Maybe::Said(r) => r.to_string(),
                    Maybe::Route(u) => self.unknown_reason(model, u),
                });
            }
        }
        match best {
            Some((_, r)) => Lookup::Route(r),
            None => Lookup::NoRoute,
        }
    }

    /// The route "the internet" takes: the default route (`/0`) when there is one, else the
    /// widest route to public space (e.g. `0.0.0.0/1` + `128.0.0.0/1`).
    pub fn lookup_internet(&self, model: Option<&Model>, family: Family) -> Lookup {
        let entries = self.entries(family);
        // The most specific route that holds every internet address (`0.0.0.0/0`; `::/0`,
        // or `2000::/3` before it): longest first.
        if let Some(e) = entries.iter().find(|e| covers_internet(&e.net)) {
            return Lookup::Route(e.route);
        }
        if let Some(r) = self.unknown_for_internet(model, family) {
            return Lookup::Unknown(r);
        }
        entries
            .iter()
            .rev()
            .find(|e| !is_private(&e.net))
            .map_or(Lookup::NoRoute, |e| Lookup::Route(e.route))
    }

    /// A gateway-endpoint route of `service` that may be in this table, with why.
    pub fn add_unplaced_service(&mut self, service: &str, why: String) {
        self.unplaced_services.push((service.to_string(), why));
    }

    /// Why a gateway-endpoint route of `service` may be in this table, when the table has
    /// none of its own ([`TableIndex::add_unplaced`]).
    pub fn unplaced_service(&self, service: &str) -> Option<&str> {
        self.unplaced_services
            .iter()
            .find(|(s, _)| s == service)
            .map(|(_, why)| why.as_str())
    }

    /// The gateway-endpoint route of a service, if the table has one.
    pub fn service_route(&self, service: &str) -> Option<RouteId> {
        self.services
            .iter()
            .find(|(s, _)| s == service)
            .map(|(_, r)| *r)
    }
}
