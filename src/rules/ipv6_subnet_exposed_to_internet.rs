//! TFVPC201 `ipv6-subnet-exposed-to-internet`: a subnet meant to be private (IPv4 egress via
//! NAT) routes global IPv6 to an internet gateway, and the internet can open IPv6
//! connections into it. Documentation: [`HELP`].

use crate::analysis::Verdict;
use crate::model::{Family, Route, Subnet};
use crate::rules::helpers::{
    ipv4_egress_is_nat, ipv4_egress_may_be_nat, ipv6_routes_to_igw, maybe_nat_phrase,
    nacl_admits_from_world, path, subnet_table, unplaced_nat_defaults,
};
use crate::rules::{Ctx, Finding, RuleMeta, Severity};

pub const HELP: &str = r#"## What it checks
Every subnet that
1. has an IPv6 block,
2. sends its IPv4 default route to a NAT gateway or NAT instance — so it is meant to be
   private — and
3. sends `::/0` (or another global IPv6 range) to an **internet gateway**,

and that the internet can reach over IPv6: the reachability engine finds `internet → subnet`
allowed over IPv6 (routes, gateway and NACL let it in). Without a reachability result, the
subnet's NACL decides: the rule fires when it admits SSH, RDP, HTTP or HTTPS from `::/0`.
When only an `aws_route` whose route table is not known at plan time may give the subnet's
table (which has no IPv4 default route of its own) its default route through NAT, the
subnet may be meant to be private: the finding is a warning that names that route.

## Why it matters
Every IPv6 address is public: there is no NAT for IPv6. An IPv4-private subnet that routes
IPv6 to an internet gateway is *fully reachable* from the internet over IPv6 — every
instance with an IPv6 address can be scanned and connected to, bypassing the NAT design. It
is the most common IPv6 mistake: copying the public route table's `::/0 → igw` line.

## Example (HCL)
```hcl
# Wrong: the private table sends IPv6 to the internet gateway
resource "aws_route" "private_v6" {
  route_table_id              = aws_route_table.private.id
  destination_ipv6_cidr_block = "::/0"
  gateway_id                  = aws_internet_gateway.main.id
}

# Right: an egress-only internet gateway lets instances out, never the internet in
resource "aws_egress_only_internet_gateway" "eigw" {
  vpc_id = aws_vpc.main.id
}
resource "aws_route" "private_v6" {
  route_table_id              = aws_route_table.private.id
  destination_ipv6_cidr_block = "::/0"
  egress_only_gateway_id      = aws_egress_only_internet_gateway.eigw.id
}
```

## How to fix
Route the private subnets' `::/0` to an egress-only internet gateway
(`egress_only_gateway_id`). If the subnet really is public, stop routing its IPv4 through
NAT and treat it as public.

## AWS fact
IPv6 addresses are globally unique and public; a subnet routing `::/0` to an IGW is reachable
from the internet unless security groups and NACLs stop it; an egress-only internet gateway
allows outbound-only IPv6 (seeds 000 and 001).
"#;

pub static META: RuleMeta = RuleMeta {
    id: "TFVPC201",
    name: "ipv6-subnet-exposed-to-internet",
    severity: Severity::Error,
    summary: "A subnet with NAT-only IPv4 egress routes IPv6 to an internet gateway and the internet can reach it over IPv6",
    help: HELP,
    tags: &["exposure", "ipv6"],
};

pub struct Evidence<'m> {
    pub subnet: &'m Subnet,
    pub routes: Vec<&'m Route>,
    /// The engine's path, when it computed one.
    pub path: Vec<String>,
    /// When only a route whose table is not known may send its IPv4 egress through NAT:
    /// that route (the finding is then a warning).
    pub maybe_nat: Option<&'m Route>,
}

/// Ports the structural fallback asks the NACL about.
const PROBE_PORTS: [u16; 4] = [22, 80, 443, 3389];

pub fn find<'m>(ctx: &Ctx<'m>) -> Vec<Evidence<'m>> {
    let m = ctx.model;
    let unplaced = unplaced_nat_defaults(m);
    let mut out = Vec::new();
    for s in &m.subnets {
        if s.ipv6.is_none() {
            continue;
        }
        let maybe_nat = if ipv4_egress_is_nat(m, s) {
            None
        } else {
            match ipv4_egress_may_be_nat(m, &unplaced, s) {
                Some(r) => Some(r),
                None => continue,
            }
        };
        let routes = ipv6_routes_to_igw(m, s);
        if routes.is_empty() {
            continue;
        }
        let evidence_path = match path(ctx.reach, "internet", &s.meta.address, Family::Ipv6) {
            Some(p) if p.verdict == Verdict::Allowed => crate::analysis::to_strings(&p.path),
            Some(_) => continue,
            None => {
                let Some(nacl) = s.nacl.link.id().map(|n| m.nacl(n)) else {
                    continue;
                };
                if !PROBE_PORTS
                    .iter()
                    .any(|p| nacl_admits_from_world(nacl, *p, Family::Ipv6))
                {
                    continue;
                }
                let mut p = vec!["internet".to_string()];
                p.extend(
                    routes
                        .first()
                        .map(|r| crate::rules::helpers::target_name(m, &r.target)),
                );
                p.extend(subnet_table(m, s).map(|t| t.meta.address.clone()));
                p.push(nacl.meta.address.clone());
                p.push(s.meta.address.clone());
                p
            }
        };
        out.push(Evidence {
            subnet: s,
            routes,
            path: evidence_path,
            maybe_nat,
        });
    }
    out
}

pub fn message(ctx: &Ctx<'_>, e: &Evidence<'_>) -> String {
    // `find` only makes evidence with at least one route; the first is the one cited.
    let (address, destination, target) = e
        .routes
        .first()
        .map(|route| {
            (
                route.address.as_str(),
                crate::rules::helpers::destination_text(ctx.model, &route.destination),
                crate::rules::helpers::target_name(ctx.model, &route.target),
            )
        })
        .unwrap_or_default();
    let private = match e.maybe_nat {
        None => "sends its IPv4 egress through NAT (it is meant to be private)".to_string(),
        Some(r) => maybe_nat_phrase(r),
    };
    format!(
        "`{}` {private}, but `{}` routes {} to the internet gateway `{}`: every IPv6 address \
         in it is public, and the internet can open connections to its instances over IPv6. \
         Route `::/0` to an egress-only internet gateway instead.",
        e.subnet.meta.address, address, destination, target
    )
}

pub fn check(ctx: &Ctx<'_>) -> Vec<Finding> {
    find(ctx)
        .iter()
        .map(|e| {
            let mut resources = vec![e.subnet.meta.address.clone()];
            resources.extend(e.routes.iter().map(|r| r.address.clone()));
            resources.extend(e.maybe_nat.map(|r| r.address.clone()));
            let f = Finding::new(&META, message(ctx, e), resources)
                .with_path(e.path.clone())
                .with_fix("route `::/0` to an egress-only internet gateway");
            if e.maybe_nat.is_some() {
                f.with_severity(Severity::Warning)
            } else {
                f
            }
        })
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::analysis::Reachability;
    use crate::model::{GatewayKind, Target};
    use crate::rules::testkit::{network, path_result, reach, to, Builder};
    use crate::rules::Policy;

    /// A private subnet (IPv4 via NAT) whose IPv6 goes to an IGW or an EIGW.
    fn model(via_igw: bool) -> crate::model::Model {
        let mut b = Builder::new();
        let vpc = b.vpc("aws_vpc.main", "10.0.0.0/16");
        b.vpc_ipv6(vpc, "2600:1f18:1::/56");
        let igw = b.gateway("aws_internet_gateway.main", GatewayKind::Internet, vpc);
        let eigw = b.gateway(
            "aws_egress_only_internet_gateway.eigw",
            GatewayKind::EgressOnly,
            vpc,
        );
        let public = b.subnet("aws_subnet.public", vpc, "az1", "10.0.0.0/24");
        let eip = b.eip("aws_eip.nat");
        let nat = b.nat("aws_nat_gateway.a", public, Some(eip));
        let private = b.subnet("aws_subnet.private", vpc, "az1", "10.0.1.0/24");
        b.subnet_ipv6(private, "2600:1f18:1:1::/64");
        let rt = b.route_table("aws_route_table.private", vpc);
        b.associate(private, rt);
        b.route(rt, "0.0.0.0/0", Target::NatGateway(to(nat)));
        b.route(
            rt,
            "::/0",
            Target::Gateway(to(if via_igw { igw } else { eigw })),
        );
        b.build()
    }

    fn run(via_igw: bool, reach_result: Option<Verdict>) -> Vec<Finding> {
        let net = network(model(via_igw));
        let r = match reach_result {
            Some(v) => reach(vec![path_result(
                "internet",
                "aws_subnet.private",
                Family::Ipv6,
                v,
                &[
                    "internet",
                    "aws_internet_gateway.main",
                    "aws_subnet.private",
                ],
            )]),
            None => Reachability::default(),
        };
        check(&Ctx::new(&net, &r, &Policy::default()))
    }

    #[test]
    fn fires_when_ipv6_goes_to_an_igw_and_the_internet_gets_in() {
        let f = run(true, Some(Verdict::Allowed));
        assert_eq!(f.len(), 1);
        assert_eq!(
            f[0].resources,
            ["aws_subnet.private", "aws_route_table.private route[1]"]
        );
        assert_eq!(f[0].path[0], "internet");
        assert!(f[0].message.contains("egress-only"));
    }

    #[test]
    fn fires_without_engine_when_the_nacl_admits_the_internet() {
        // The synthesized default NACL allows everything.
        assert_eq!(run(true, None).len(), 1);
    }

    #[test]
    fn silent_when_ipv6_egress_goes_through_an_eigw() {
        assert!(run(false, None).is_empty());
        assert!(run(false, Some(Verdict::Blocked)).is_empty());
    }

    #[test]
    fn silent_when_the_engine_says_blocked() {
        assert!(run(true, Some(Verdict::Blocked)).is_empty());
    }

    /// The private table's NAT route is an `aws_route` whose table is not known: in
    /// `private`'s VPC (`same_vpc`) or another's; `public_default` gives the table an IPv4
    /// default route of its own to the internet gateway, so the NAT route cannot be in it.
    fn unplaced_nat(same_vpc: bool, public_default: bool) -> Vec<Finding> {
        let mut m = model(true);
        let nat_route = m
            .routes
            .iter()
            .position(|r| matches!(r.target, Target::NatGateway(_)))
            .unwrap();
        let private = m
            .route_tables
            .iter()
            .position(|t| t.meta.address == "aws_route_table.private")
            .unwrap();
        m.route_tables[private]
            .routes
            .retain(|r| r.index() != nat_route);
        m.routes[nat_route].table = crate::model::Link::Unresolved("not known".into());
        if !same_vpc {
            // The NAT gateway's subnet is in another VPC: so is the route.
            let mut other = m.vpcs[0].clone();
            other.meta.address = "aws_vpc.other".into();
            m.vpcs.push(other);
            let public = m
                .subnets
                .iter()
                .position(|s| s.meta.address == "aws_subnet.public")
                .unwrap();
            m.subnets[public].vpc = to(crate::model::VpcId(1));
        }
        if public_default {
            let igw = m
                .gateways
                .iter()
                .position(|g| g.kind == GatewayKind::Internet)
                .unwrap();
            let mut r = m.routes[nat_route].clone();
            r.address = "aws_route_table.private route[2]".into();
            r.table = to(crate::model::RouteTableId(private as u32));
            r.target = Target::Gateway(to(crate::model::GatewayId(igw as u32)));
            m.routes.push(r);
            let id = crate::model::RouteId(m.routes.len() as u32 - 1);
            m.route_tables[private].routes.push(id);
        }
        let net = network(m);
        let r = reach(vec![path_result(
            "internet",
            "aws_subnet.private",
            Family::Ipv6,
            Verdict::Allowed,
            &[
                "internet",
                "aws_internet_gateway.main",
                "aws_subnet.private",
            ],
        )]);
        check(&Ctx::new(&net, &r, &Policy::default()))
    }

    #[test]
    fn warns_when_a_nat_route_whose_table_is_not_known_may_make_it_private() {
        let f = unplaced_nat(true, false);
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].severity, Severity::Warning);
        assert!(
            f[0].message
                .contains("may send its IPv4 egress through NAT"),
            "{}",
            f[0].message
        );
        assert!(f[0]
            .resources
            .iter()
            .any(|r| r == "aws_route_table.private route[0]"));
    }

    #[test]
    fn silent_when_that_route_cannot_be_in_its_table() {
        // Its table routes 0.0.0.0/0 to the internet gateway: public.
        assert!(unplaced_nat(true, true).is_empty());
        // The route is in another VPC's table.
        assert!(unplaced_nat(false, false).is_empty());
    }
}
