//! TFVPC102 `blackhole-route`: a route whose target the plan deletes, or whose target exists
//! nowhere; a TGW blackhole route that subnets send traffic into. Documentation: [`HELP`].

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use crate::model::{
    AnyBlock, Block, Destination, Link, Model, Route, Target, TgwAttachmentKind, TgwRoute,
    UnplacedTgwKind,
};
use crate::rules::helpers::{destination_text, subnet_table, table_routes};
use crate::rules::{Ctx, Finding, RuleMeta, Severity};

pub const HELP: &str = r#"## What it checks
Three ways a route ends up pointing at nothing:
1. a route of the planned network targets a gateway, NAT gateway, transit gateway, peering
   connection, VPC endpoint or network interface that **this plan deletes** (it exists in the
   prior state and is gone from the planned one) while the route stays;
2. a route targets a known ID (`igw-…`, `nat-…`, `tgw-…`, …) that exists in neither the plan
   nor its prior state;
3. a transit gateway static route has `blackhole = true` (or targets a deleted attachment)
   while a subnet of an attached VPC routes traffic for that destination into the TGW. A
   route whose TGW route table is not known at plan time may be in any table of its
   gateway: it is reported as a warning.

A gateway the plan **replaces** is not a blackhole: routes that reference it follow the new
object.

## Why it matters
AWS keeps a route whose target is gone, in state `blackhole`, and silently drops every packet
that matches it. Nothing fails at apply: the outage starts when the target disappears.

## Example (HCL)
```hcl
# The plan deletes the EIGW but keeps the route to it: IPv6 egress is dropped.
# - resource "aws_egress_only_internet_gateway" "eigw" { vpc_id = aws_vpc.main.id }
resource "aws_route" "ipv6_egress" {
  route_table_id              = aws_route_table.private.id
  destination_ipv6_cidr_block = "::/0"
  egress_only_gateway_id      = "eigw-0123456789abcdef0"   # deleted by this plan
}

# Right: remove (or retarget) the route in the same change as its target.
```

## How to fix
Delete or retarget the route together with its target (reference the target by address so
Terraform orders the change), or keep the target. For TGW blackhole routes, remove the subnet
routes that send traffic there, or give the TGW route an attachment.

## AWS fact
"Deleting an egress-only internet gateway leaves its routes in `blackhole` until they are
removed" (seed 001); a route whose target no longer exists drops traffic
(aws-network-semantics.md, "Route selection").
"#;

pub static META: RuleMeta = RuleMeta {
    id: "TFVPC102",
    name: "blackhole-route",
    severity: Severity::Error,
    summary: "A route targets something this plan deletes or that does not exist, or a TGW blackhole route receives traffic",
    help: HELP,
    tags: &["routing", "outage"],
};

/// Why a route is a blackhole.
pub enum Evidence<'m> {
    /// The target existed before the plan and the plan deletes it.
    Deleted {
        route: &'m Route,
        target: String,
        target_id: String,
    },
    /// The target ID is in neither model.
    Missing { route: &'m Route, target_id: String },
    /// A TGW static blackhole route that subnets send traffic into.
    TgwBlackhole {
        route: &'m TgwRoute,
        table: String,
        subnets: Vec<String>,
        /// When its route table is not known at plan time: why (it may be in any table of
        /// the gateway, and the finding is a warning).
        maybe: Option<&'m str>,
    },
}

/// The external ID a route target names, with its kind in words.
fn external_target(t: &Target) -> Option<(&'static str, &str)> {
    let (kind, l) = match t {
        Target::Gateway(Link::External(id)) => ("gateway", id),
        Target::NatGateway(Link::External(id)) => ("NAT gateway", id),
        Target::TransitGateway(Link::External(id)) => ("transit gateway", id),
        Target::Peering(Link::External(id)) => ("peering connection", id),
        Target::Endpoint(Link::External(id)) => ("VPC endpoint", id),
        Target::Workload(Link::External(id)) => ("network interface", id),
        _ => return None,
    };
    Some((kind, l.as_str()))
}

/// The objects a route may target, of one model: their addresses by AWS ID (the first
/// object of each ID, in the order gateways, NAT gateways, transit gateways, peerings,
/// endpoints, workloads, TGW attachments), and the set of their addresses (TGW attachments
/// left out: no route targets one). Built once per model: a lookup per route would scan
/// every object (quadratic on large networks).
struct Targets<'m> {
    by_id: HashMap<&'m str, &'m str>,
    addresses: HashSet<&'m str>,
}

impl<'m> Targets<'m> {
    fn of(m: &'m Model) -> Targets<'m> {
        // What a route may target by address (a deleted target is looked for among them).
        let targets = || {
            m.gateways
                .iter()
                .map(|x| &x.meta)
                .chain(m.nat_gateways.iter().map(|x| &x.meta))
                .chain(m.transit_gateways.iter().map(|x| &x.meta))
                .chain(m.peerings.iter().map(|x| &x.meta))
                .chain(m.endpoints.iter().map(|x| &x.meta))
                .chain(m.workloads.iter().map(|x| &x.meta))
        };
        let mut by_id = HashMap::default();
        for meta in targets().chain(m.tgw_attachments.iter().map(|x| &x.meta)) {
            if let Some(id) = meta.id.as_deref() {
                by_id.entry(id).or_insert(meta.address.as_str());
            }
        }
        let addresses = targets().map(|meta| meta.address.as_str()).collect();
        Targets { by_id, addresses }
    }

    /// The address of the object holding this AWS ID, if any.
    fn address_of_id(&self, id: &str) -> Option<&'m str> {
        self.by_id.get(id).copied()
    }

    /// Whether an object a route may target has this address.
    fn has(&self, address: &str) -> bool {
        self.addresses.contains(address)
    }
}

pub fn find<'m>(ctx: &Ctx<'m>) -> Vec<Evidence<'m>> {
    let (before, after) = (ctx.before, ctx.model);
    let (prior, planned) = (Targets::of(before), Targets::of(after));
    let mut out = Vec::new();
    for r in &after.routes {
        let Some((_, id)) = external_target(&r.target) else {
            continue;
        };
        match prior.address_of_id(id) {
            // The prior object kept its address in the planned model: not deleted.
            Some(addr) if planned.address_of_id(id).is_none() && !planned.has(addr) => {
                out.push(Evidence::Deleted {
                    route: r,
                    target: addr.to_string(),
                    target_id: id.to_string(),
                })
            }
            Some(_) => {}
            // A data source read it: it exists, outside this configuration.
            None if after.read_ids.contains_key(id) => {}
            None if planned.address_of_id(id).is_none() => out.push(Evidence::Missing {
                route: r,
                target_id: id.to_string(),
            }),
            None => {}
        }
    }
    // Routes that referenced a prior object which the planned model no longer holds, and
    // whose planned target resolves to nothing else.
    let prior_routes: HashMap<&str, &Route> = before
        .routes
        .iter()
        .map(|p| (p.address.as_str(), p))
        .collect();
    let deleted: HashSet<&str> = out
        .iter()
        .filter_map(|e| match e {
            Evidence::Deleted { route, .. } => Some(route.address.as_str()),
            _ => None,
        })
        .collect();
    for r in &after.routes {
        if deleted.contains(r.address.as_str()) {
            continue;
        }
        let Some(prior) = prior_routes.get(r.address.as_str()) else {
            continue;
        };
        if !resolves(&prior.target) || resolves(&r.target) {
            continue;
        }
        let prior_target = crate::rules::helpers::target_name(before, &prior.target);
        if !planned.has(&prior_target) {
            out.push(Evidence::Deleted {
                route: r,
                target: prior_target,
                target_id: String::new(),
            });
        }
    }
    // TGW blackhole static routes that subnets route into.
    let dead = |route: &TgwRoute| match &route.attachment {
        None => true,
        Some(Link::External(id)) => planned.address_of_id(id).is_none(),
        Some(_) => false,
    };
    for t in &after.tgw_route_tables {
        let Some(tgw) = t.transit_gateway.id() else {
            continue;
        };
        for route in t.routes.iter().filter(|r| dead(r)) {
            let subnets = subnets_routing_into(after, t, tgw, &route.destination);
            if !subnets.is_empty() {
                out.push(Evidence::TgwBlackhole {
                    route,
                    table: t.meta.address.clone(),
                    subnets,
                    maybe: None,
                });
            }
        }
    }
    // Those whose route table is not known may be in any table of their gateway: the
    // subnets routing into any of those may lose that traffic.
    // The tables each may be in, found from the tables' side once; the subnets routing
    // into a table worked out once per destination (a module's routes share one).
    let mut tables_of: Vec<Vec<usize>> = vec![Vec::new(); after.unplaced_tgw.len()];
    for (t, list) in after.unplaced_tgw_by_table().iter().enumerate() {
        for &n in list {
            if let Some(slot) = tables_of.get_mut(n) {
                slot.push(t);
            }
        }
    }
    let mut routing_into: HashMap<usize, Vec<(&AnyBlock, Vec<String>)>> = HashMap::default();
    for (u, tables) in after.unplaced_tgw.iter().zip(&tables_of) {
        let UnplacedTgwKind::Route(route) = &u.kind else {
            continue;
        };
        if !dead(route) {
            continue;
        }
        let mut subnets = std::collections::BTreeSet::new();
        for &n in tables {
            let Some(t) = after.tgw_route_tables.get(n) else {
                continue;
            };
            let Some(tgw) = t.transit_gateway.id() else {
                continue;
            };
            let known = routing_into.entry(n).or_default();
            match known.iter().find(|(d, _)| **d == route.destination) {
                Some((_, s)) => subnets.extend(s.iter().cloned()),
                None => {
                    let s = subnets_routing_into(after, t, tgw, &route.destination);
                    subnets.extend(s.iter().cloned());
                    known.push((&route.destination, s));
                }
            }
        }
        if !subnets.is_empty() {
            out.push(Evidence::TgwBlackhole {
                route,
                table: String::new(),
                subnets: subnets.into_iter().collect(),
                maybe: Some(&u.why),
            });
        }
    }
    out
}

/// Whether a target resolves to an object of its model.
fn resolves(t: &Target) -> bool {
    matches!(
        t,
        Target::Gateway(Link::To(..))
            | Target::NatGateway(Link::To(..))
            | Target::TransitGateway(Link::To(..))
            | Target::Peering(Link::To(..))
            | Target::Endpoint(Link::To(..))
            | Target::Workload(Link::To(..))
    )
}

/// Subnets whose traffic for a destination overlapping `dest` comes to TGW route table
/// `t` of gateway `tgw`: in a VPC whose attachment to `tgw` is associated with `t`, with a
/// route table that sends such a destination to the gateway, and not in a VPC whose own
/// block holds all of `dest` (its local route keeps that traffic in the VPC).
fn subnets_routing_into(
    m: &Model,
    t: &crate::model::TgwRouteTable,
    tgw: crate::model::TransitGatewayId,
    dest: &AnyBlock,
) -> Vec<String> {
    let mut associated = vec![false; m.tgw_attachments.len()];
    for a in t.associations.iter().filter_map(|(_, l)| l.id()) {
        if let Some(slot) = associated.get_mut(a.index()) {
            *slot = true;
        }
    }
    let mut attached = vec![false; m.vpcs.len()];
    for (a, &here) in m.tgw_attachments.iter().zip(&associated) {
        if let (Some(g), TgwAttachmentKind::Vpc { vpc, .. }) = (a.transit_gateway.id(), &a.kind) {
            if let Some(slot) = vpc.id().and_then(|v| attached.get_mut(v.index())) {
                *slot |= g == tgw && here;
            }
        }
    }
    let local = |v: crate::model::VpcId| {
        m.vpcs.get(v.index()).is_some_and(|vpc| match dest {
            AnyBlock::V4(Block::Known(d)) => vpc
                .ipv4
                .iter()
                .any(|b| matches!(b.block, Block::Known(n) if n.contains(d))),
            AnyBlock::V6(Block::Known(d)) => vpc
                .ipv6
                .iter()
                .any(|b| matches!(b.block, Block::Known(n) if n.contains(d))),
            _ => false,
        })
    };
    let mut out: Vec<String> = m
        .subnets
        .iter()
        .filter(|s| {
            s.vpc
                .id()
                .is_some_and(|v| attached.get(v.index()).copied().unwrap_or(false) && !local(v))
        })
        .filter(|s| {
            subnet_table(m, s).is_some_and(|t| {
                table_routes(m, t).any(|r| {
                    matches!(r.target, Target::TransitGateway(Link::To(g, _)) if g == tgw)
                        && overlaps(&r.destination, dest)
                })
            })
        })
        .map(|s| s.meta.address.clone())
        .collect();
    out.sort();
    out
}

fn overlaps(d: &Destination, b: &AnyBlock) -> bool {
    use crate::rules::helpers::{overlap4, overlap6};
    match (d, b) {
        (Destination::Cidr(AnyBlock::V4(Block::Known(x))), AnyBlock::V4(Block::Known(y))) => {
            overlap4(x, y)
        }
        (Destination::Cidr(AnyBlock::V6(Block::Known(x))), AnyBlock::V6(Block::Known(y))) => {
            overlap6(x, y)
        }
        _ => false,
    }
}

pub fn message(m: &Model, e: &Evidence<'_>) -> String {
    match e {
        Evidence::Deleted {
            route,
            target,
            target_id,
        } => format!(
            "`{}` ({}) targets `{}`{}, which this plan deletes while the route stays: after \
             apply the route is a blackhole and AWS drops all matching traffic. Delete or \
             retarget the route in the same change.",
            route.address,
            destination_text(m, &route.destination),
            target,
            if target_id.is_empty() {
                String::new()
            } else {
                format!(" ({target_id})")
            }
        ),
        Evidence::Missing { route, target_id } => format!(
            "`{}` ({}) targets `{}`, which exists neither in this plan nor in its prior state: \
             if it does not exist in the account, AWS rejects the route at apply (or keeps it \
             as a blackhole). Reference the target by Terraform address, or check the ID.",
            route.address,
            destination_text(m, &route.destination),
            target_id
        ),
        Evidence::TgwBlackhole {
            route,
            table,
            subnets,
            maybe,
        } => format!(
            "`{}` {} a blackhole route for {}, and {} route{} that traffic into the \
             transit gateway: it {} dropped at the TGW. Remove those subnet routes or give the \
             TGW route an attachment.",
            route.address,
            match maybe {
                None => format!("in `{table}` is"),
                Some(why) => format!(
                    "may be, in any route table of its transit gateway (its table is not known at plan time: {why}),"
                ),
            },
            match &route.destination {
                AnyBlock::V4(Block::Known(n)) => n.to_string(),
                AnyBlock::V6(Block::Known(n)) => n.to_string(),
                _ => "a CIDR known after apply".to_string(),
            },
            named(subnets),
            if subnets.len() == 1 { "s" } else { "" },
            if maybe.is_some() { "may be" } else { "is" }
        ),
    }
}

/// The subnets a message names: the first [`SUBNETS_SHOWN`], then how many more (the
/// finding's resources list them all).
fn named(subnets: &[String]) -> String {
    let mut named: Vec<String> = subnets
        .iter()
        .take(SUBNETS_SHOWN)
        .map(|s| format!("`{s}`"))
        .collect();
    if subnets.len() > SUBNETS_SHOWN {
        named.push(format!("{} more", subnets.len() - SUBNETS_SHOWN));
    }
    named.join(", ")
}

/// At most this many subnets are named in a message: a hub's blackhole route may catch
/// thousands (10,000 made a message of half a megabyte).
const SUBNETS_SHOWN: usize = 5;

pub fn check(ctx: &Ctx<'_>) -> Vec<Finding> {
    find(ctx)
        .iter()
        .map(|e| {
            let resources = match e {
                Evidence::Deleted { route, target, .. } => {
                    vec![route.address.clone(), target.clone()]
                }
                Evidence::Missing { route, .. } => vec![route.address.clone()],
                Evidence::TgwBlackhole { route, subnets, .. } => {
                    let mut v = vec![route.address.clone()];
                    v.extend(subnets.iter().cloned());
                    v
                }
            };
            let f = Finding::new(&META, message(ctx.model, e), resources)
                .with_fix("delete or retarget the route together with its target");
            match e {
                Evidence::TgwBlackhole { maybe: Some(_), .. } => f.with_severity(Severity::Warning),
                _ => f,
            }
        })
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::analysis::Reachability;
    use crate::model::{Action, GatewayKind, TgwRouteTable};
    use crate::rules::testkit::{cidr, network_from, to, Builder};
    use crate::rules::Policy;

    #[test]
    fn a_message_names_five_subnets_and_counts_the_rest() {
        let subnets: Vec<String> = (0..7).map(|i| format!("aws_subnet.s[{i}]")).collect();
        assert_eq!(
            named(&subnets),
            "`aws_subnet.s[0]`, `aws_subnet.s[1]`, `aws_subnet.s[2]`, `aws_subnet.s[3]`, \
             `aws_subnet.s[4]`, 2 more"
        );
        assert_eq!(named(&subnets[..2]), "`aws_subnet.s[0]`, `aws_subnet.s[1]`");
    }

    /// Prior: VPC with an EIGW `eigw-1` and a route to it. Planned: the route now names the
    /// ID (the gateway is gone, or replaced when `replaced`).
    fn plan(delete: bool) -> Vec<Finding> {
        let mut before = Builder::new();
        let vpc = before.vpc("aws_vpc.main", "10.0.0.0/16");
        let g = before.gateway(
            "aws_egress_only_internet_gateway.eigw",
            GatewayKind::EgressOnly,
            vpc,
        );
        before.m.gateways[g.index()].meta.id = Some("eigw-1".into());
        let rt = before.route_table("aws_route_table.private", vpc);
        before.route_at(
            rt,
            "aws_route.v6",
            Destination::Cidr(cidr("::/0")),
            Target::Gateway(to(g)),
        );

        let mut after = Builder::new();
        let vpc = after.vpc("aws_vpc.main", "10.0.0.0/16");
        let rt = after.route_table("aws_route_table.private", vpc);
        if delete {
            after.route_at(
                rt,
                "aws_route.v6",
                Destination::Cidr(cidr("::/0")),
                Target::Gateway(Link::External("eigw-1".into())),
            );
        } else {
            // Replaced: the new gateway has the same address; the route follows it.
            let g = after.gateway(
                "aws_egress_only_internet_gateway.eigw",
                GatewayKind::EgressOnly,
                vpc,
            );
            after.m.gateways[g.index()].meta.action = Action::Replace;
            after.route_at(
                rt,
                "aws_route.v6",
                Destination::Cidr(cidr("::/0")),
                Target::Gateway(to(g)),
            );
        }
        let net = network_from(before.build(), after.build());
        check(&Ctx::new(
            &net,
            &Reachability::default(),
            &Policy::default(),
        ))
    }

    #[test]
    fn fires_when_the_plan_deletes_the_target() {
        let f = plan(true);
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(
            f[0].resources,
            ["aws_route.v6", "aws_egress_only_internet_gateway.eigw"]
        );
        assert!(f[0].message.contains("blackhole"));
    }

    #[test]
    fn silent_when_the_target_is_replaced() {
        assert!(plan(false).is_empty());
    }

    #[test]
    fn fires_on_an_id_that_exists_nowhere() {
        let mut b = Builder::new();
        let vpc = b.vpc("aws_vpc.main", "10.0.0.0/16");
        let rt = b.route_table("aws_route_table.public", vpc);
        b.route(
            rt,
            "0.0.0.0/0",
            Target::Gateway(Link::External("igw-0abc".into())),
        );
        let net = crate::rules::testkit::network(b.build());
        let f = check(&Ctx::new(
            &net,
            &Reachability::default(),
            &Policy::default(),
        ));
        assert_eq!(f.len(), 1);
        assert!(f[0].message.contains("igw-0abc"));
    }

    fn tgw_case(blackhole: bool, subnet_routes: bool) -> Vec<Finding> {
        tgw_case_with(blackhole, subnet_routes, true, "10.9.0.0/16")
    }

    /// `associated`: the subnet's attachment is associated with the table of the route to
    /// `dest`.
    fn tgw_case_with(
        blackhole: bool,
        subnet_routes: bool,
        associated: bool,
        dest: &str,
    ) -> Vec<Finding> {
        check_model(tgw_model(blackhole, subnet_routes, associated, dest))
    }

    fn check_model(m: crate::model::Model) -> Vec<Finding> {
        let net = crate::rules::testkit::network(m);
        check(&Ctx::new(
            &net,
            &Reachability::default(),
            &Policy::default(),
        ))
    }

    fn tgw_model(
        blackhole: bool,
        subnet_routes: bool,
        associated: bool,
        dest: &str,
    ) -> crate::model::Model {
        let mut b = Builder::new();
        let vpc = b.vpc("aws_vpc.a", "10.0.0.0/16");
        let s = b.subnet("aws_subnet.a", vpc, "az1", "10.0.1.0/24");
        let rt = b.route_table("aws_route_table.a", vpc);
        b.associate(s, rt);
        let tgw = b.transit_gateway("aws_ec2_transit_gateway.hub");
        let att = b.tgw_vpc_attachment("aws_ec2_transit_gateway_vpc_attachment.a", tgw, vpc, &[s]);
        if subnet_routes {
            b.route(rt, "10.0.0.0/8", Target::TransitGateway(to(tgw)));
        }
        b.m.tgw_route_tables.push(TgwRouteTable {
            meta: crate::model::Meta {
                address: "aws_ec2_transit_gateway_route_table.hub".into(),
                action: Action::Create,
                id: None,
                tags: Default::default(),
            },
            transit_gateway: to(tgw),
            is_default: false,
            synthesized: false,
            associations: if associated {
                vec![(
                    "aws_ec2_transit_gateway_route_table_association.a".into(),
                    to(att),
                )]
            } else {
                vec![]
            },
            propagations: vec![],
            routes: vec![TgwRoute {
                address: "aws_ec2_transit_gateway_route.drop".into(),
                action: Action::Create,
                destination: cidr(dest),
                attachment: if blackhole { None } else { Some(to(att)) },
            }],
        });
        b.build()
    }

    /// [`tgw_model`] with its route kept apart: its route table is not known.
    fn unplaced(mut m: crate::model::Model) -> crate::model::Model {
        let r = m.tgw_route_tables[0].routes.pop().unwrap();
        m.unplaced_tgw.push(crate::model::UnplacedTgw {
            address: r.address.clone(),
            why: "not known".into(),
            kind: UnplacedTgwKind::Route(r),
            among: Vec::new(),
        });
        m
    }

    #[test]
    fn warns_on_a_tgw_blackhole_whose_table_is_not_known() {
        let f = check_model(unplaced(tgw_model(true, true, true, "10.9.0.0/16")));
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].severity, Severity::Warning);
        assert_eq!(
            f[0].resources,
            ["aws_ec2_transit_gateway_route.drop", "aws_subnet.a"]
        );
        assert!(
            f[0].message.contains("may be, in any route table"),
            "{}",
            f[0].message
        );
        // Not a blackhole; no table the subnets' traffic comes to; the local route.
        assert!(check_model(unplaced(tgw_model(false, true, true, "10.9.0.0/16"))).is_empty());
        assert!(check_model(unplaced(tgw_model(true, true, false, "10.9.0.0/16"))).is_empty());
        assert!(check_model(unplaced(tgw_model(true, true, true, "10.0.5.0/24"))).is_empty());
    }

    #[test]
    fn fires_on_tgw_blackhole_route_receiving_traffic() {
        let f = tgw_case(true, true);
        assert_eq!(f.len(), 1);
        assert_eq!(
            f[0].resources,
            ["aws_ec2_transit_gateway_route.drop", "aws_subnet.a"]
        );
    }

    #[test]
    fn silent_on_tgw_blackhole_nobody_uses_or_a_live_route() {
        assert!(tgw_case(true, false).is_empty());
        assert!(tgw_case(false, true).is_empty());
    }

    /// Traffic comes to a transit gateway route table from the attachments associated with
    /// it, and a VPC's local route keeps its own blocks in the VPC.
    #[test]
    fn silent_on_tgw_blackhole_of_a_table_the_subnets_do_not_use() {
        assert!(tgw_case_with(true, true, false, "10.9.0.0/16").is_empty());
        assert!(tgw_case_with(true, true, true, "10.0.5.0/24").is_empty());
        assert_eq!(tgw_case_with(true, true, true, "10.0.0.0/15").len(), 1);
    }
}
