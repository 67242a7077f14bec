//! The routes whose route table is not known at plan time, indexed by the tables they may
//! be in ([`Model::unplaced_routes`]).
//!
//! Such a route may be in any table of its VPC (or of any VPC, when its target does not
//! place it in one), or in one of a few tables its references name. Asking every route for
//! every table costs routes × tables: a module called with `for_each` that adds a route
//! to each of its instances' tables has both by the thousand. So the routes are grouped
//! once by where they may be, and, for the lookups that only weigh a destination, by
//! destination too.

use std::collections::BTreeMap;

use ipnet::IpNet;
use rustc_hash::FxHashMap as HashMap;

use super::{
    AnyBlock, Block, Destination, Link, Model, Route, RouteId, RouteTableId, Target, VpcId,
};

/// Positions in [`UnplacedRoutes::all`] that may be in the same tables.
#[derive(Default)]
struct Scope {
    routes: Vec<u32>,
    /// The first of each destination, with how many others share it, in route order.
    distinct: Vec<(u32, usize)>,
}

impl Scope {
    fn push(&mut self, pos: u32) {
        self.routes.push(pos);
    }

    /// Fills `distinct` by destination, once every route is in.
    fn group(&mut self, m: &Model, all: &[(RouteId, Option<VpcId>, &str)]) {
        let mut first: HashMap<DestKey, usize> = HashMap::default();
        for &pos in &self.routes {
            let Some(route) = all
                .get(pos as usize)
                .and_then(|(r, _, _)| m.routes.get(r.index()))
            else {
                continue;
            };
            let key = all
                .get(pos as usize)
                .map(|(r, _, _)| dest_key(*r, &route.destination));
            let Some(key) = key else { continue };
            match first.get(&key) {
                Some(&g) => {
                    if let Some(d) = self.distinct.get_mut(g) {
                        d.1 += 1;
                    }
                }
                None => {
                    first.insert(key, self.distinct.len());
                    self.distinct.push((pos, 0));
                }
            }
        }
    }
}

/// What a lookup weighs of a route whose table is not known: its destination.
#[derive(Clone, PartialEq, Eq, Hash)]
enum DestKey {
    Net(IpNet),
    /// A CIDR of this family (IPv6: `true`) not known at plan time.
    UnknownCidr(bool),
    /// A prefix list's entries, or a destination whose family is not known: each decides
    /// on its own (its reason names the list or the value).
    Other(RouteId),
    Service(String),
}

fn dest_key(route: RouteId, d: &Destination) -> DestKey {
    match d {
        Destination::Cidr(AnyBlock::V4(Block::Known(n))) => DestKey::Net(IpNet::V4(*n)),
        Destination::Cidr(AnyBlock::V6(Block::Known(n))) => DestKey::Net(IpNet::V6(*n)),
        Destination::Cidr(b) => DestKey::UnknownCidr(matches!(b, AnyBlock::V6(_))),
        Destination::Service(s) => DestKey::Service(s.clone()),
        Destination::PrefixList(_) | Destination::Unknown(_) => DestKey::Other(route),
    }
}

/// The routes whose route table is not known at plan time, by the tables they may be in.
#[derive(Default)]
pub struct UnplacedRoutes<'m> {
    /// Each route, with the VPC its target places it in when it does, and why its table
    /// is not known; in route order.
    pub all: Vec<(RouteId, Option<VpcId>, &'m str)>,
    /// Those that may be in any table.
    anywhere: Scope,
    /// Those that may be in any table of a VPC.
    by_vpc: BTreeMap<VpcId, Scope>,
    /// Those that may be in a few tables their references name, by table.
    by_table: HashMap<RouteTableId, Scope>,
}

/// The first route of a kind that may be in each table ([`UnplacedRoutes::first_where`]).
pub struct FirstWhere {
    anywhere: Option<(u32, RouteId)>,
    by_vpc: BTreeMap<VpcId, (u32, RouteId)>,
    by_table: HashMap<RouteTableId, (u32, RouteId)>,
}

impl FirstWhere {
    /// The first such route that may be in table `t` of VPC `vpc` (not known: any VPC's).
    pub fn in_table(&self, t: RouteTableId, vpc: Option<VpcId>) -> Option<RouteId> {
        let of_vpc = match vpc {
            Some(v) => self.by_vpc.get(&v).copied(),
            None => self.by_vpc.values().min().copied(),
        };
        [self.anywhere, of_vpc, self.by_table.get(&t).copied()]
            .into_iter()
            .flatten()
            .min()
            .map(|(_, r)| r)
    }
}

impl<'m> UnplacedRoutes<'m> {
    pub(super) fn new(m: &'m Model) -> UnplacedRoutes<'m> {
        let mut out = UnplacedRoutes::default();
        for (i, r) in m.routes.iter().enumerate() {
            let Link::Unresolved(why) = &r.table else {
                continue;
            };
            let Ok(i) = u32::try_from(i) else { continue };
            let Ok(pos) = u32::try_from(out.all.len()) else {
                continue;
            };
            let vpc = target_vpc(m, r);
            out.all.push((RouteId(i), vpc, why.as_str()));
            if !r.table_among.is_empty() {
                for t in &r.table_among {
                    out.by_table.entry(*t).or_default().push(pos);
                }
            } else if let Some(v) = vpc {
                out.by_vpc.entry(v).or_default().push(pos);
            } else {
                out.anywhere.push(pos);
            }
        }
        let all = &out.all;
        out.anywhere.group(m, all);
        for s in out.by_vpc.values_mut() {
            s.group(m, all);
        }
        for s in out.by_table.values_mut() {
            s.group(m, all);
        }
        out
    }

    pub fn is_empty(&self) -> bool {
        self.all.is_empty()
    }

    /// The scopes whose routes may be in table `t` of VPC `vpc` (not known: any VPC's).
    fn scopes(&self, t: RouteTableId, vpc: Option<VpcId>) -> Vec<&Scope> {
        let mut scopes = vec![&self.anywhere];
        match vpc {
            Some(v) => scopes.extend(self.by_vpc.get(&v)),
            None => scopes.extend(self.by_vpc.values()),
        }
        scopes.extend(self.by_table.get(&t));
        scopes
    }

    /// The routes that may be in table `t` of VPC `vpc`, with why their table is not
    /// known, in route order.
    pub fn in_table(&self, t: RouteTableId, vpc: Option<VpcId>) -> Vec<(RouteId, &'m str)> {
        let mut pos: Vec<u32> = self
            .scopes(t, vpc)
            .into_iter()
            .flat_map(|s| s.routes.iter().copied())
            .collect();
        pos.sort_unstable();
        pos.dedup();
        pos.into_iter()
            .filter_map(|p| self.all.get(p as usize).map(|&(r, _, why)| (r, why)))
            .collect()
    }

    /// As [`Self::in_table`], one route per destination: the first, with how many others
    /// that may be in the table share its destination. What a route lookup weighs.
    pub fn distinct_in(
        &self,
        t: RouteTableId,
        vpc: Option<VpcId>,
    ) -> Vec<(RouteId, &'m str, usize)> {
        let mut firsts: Vec<(u32, usize)> = self
            .scopes(t, vpc)
            .into_iter()
            .flat_map(|s| s.distinct.iter().copied())
            .collect();
        firsts.sort_unstable();
        firsts.dedup_by_key(|f| f.0);
        firsts
            .into_iter()
            .filter_map(|(p, more)| self.all.get(p as usize).map(|&(r, _, why)| (r, why, more)))
            .collect()
    }

    /// The first route that `pred` holds for, per table it may be in: ask
    /// [`FirstWhere::in_table`]. One pass over the routes, however many tables ask.
    pub fn first_where(&self, m: &Model, pred: impl Fn(&Route) -> bool) -> FirstWhere {
        let first = |s: &Scope| {
            s.routes.iter().find_map(|&p| {
                let (r, _, _) = self.all.get(p as usize)?;
                pred(m.routes.get(r.index())?).then_some((p, *r))
            })
        };
        FirstWhere {
            anywhere: first(&self.anywhere),
            by_vpc: self
                .by_vpc
                .iter()
                .filter_map(|(v, s)| first(s).map(|f| (*v, f)))
                .collect(),
            by_table: self
                .by_table
                .iter()
                .filter_map(|(t, s)| first(s).map(|f| (*t, f)))
                .collect(),
        }
    }
}

/// The VPC a route's target places it in, when it does: an internet gateway, a NAT
/// gateway or an endpoint is in one VPC, and so is a table that routes to it.
fn target_vpc(m: &Model, r: &Route) -> Option<VpcId> {
    let subnet_vpc = |s: Option<super::SubnetId>| {
        s.and_then(|s| m.subnets.get(s.index()))
            .and_then(|s| s.vpc.id())
    };
    match &r.target {
        Target::Gateway(Link::To(g, _)) => m.gateways.get(g.index()).and_then(|g| g.vpc.id()),
        Target::NatGateway(Link::To(n, _)) => {
            subnet_vpc(m.nat_gateways.get(n.index()).and_then(|n| n.subnet.id()))
        }
        Target::Endpoint(Link::To(e, _)) => m.endpoints.get(e.index()).and_then(|e| e.vpc.id()),
        _ => None,
    }
}
