//! TFVPC116 `dns64-without-nat64-route`: a subnet with DNS64 on whose route table sends
//! `64:ff9b::/96` nowhere a NAT64 can be. The rule's documentation is [`HELP`].

use crate::model::{
    AnyBlock, Block, Destination, GatewayKind, Ipv6Net, Route, RouteTable, Subnet, Target,
};
use crate::rules::helpers::{gateway_kind, subnet_table_id, table_routes, target_name};
use crate::rules::{Ctx, Finding, RuleMeta, Severity};

pub const HELP: &str = r#"## What it checks
Every subnet of the planned network with `enable_dns64 = true` and an IPv6 CIDR, whose
route table sends the NAT64 prefix `64:ff9b::/96` to an internet gateway or an
egress-only internet gateway (through `::/0`, say), or has no route for it at all.

It stays silent when the prefix goes anywhere a NAT64 may be: a NAT gateway, a network
interface or instance (a NAT64 appliance), a transit gateway or a peering (a central NAT64
in another VPC), a Gateway Load Balancer endpoint. A table with a route to a prefix list,
or to a CIDR known only after apply that is not a VPC's own, is not judged either.

## Why it matters
With DNS64 on, the VPC's resolver answers a name that has only IPv4 addresses with
synthesized IPv6 addresses in `64:ff9b::/96`. Only a NAT gateway (NAT64) turns those back
into IPv4; the internet does not route them. So:
- in an IPv6-only subnet, every connection to an IPv4-only destination fails;
- in a dual-stack subnet, hosts prefer the synthesized IPv6 address over the IPv4 one and
  wait for it to time out before falling back, or fail outright (`curl -6`, clients without
  Happy Eyeballs).

The `terraform-aws-modules/vpc` module turns DNS64 on for its public subnets by default
when IPv6 is enabled (its issue #972): public subnets route `::/0` to the internet gateway
and hit this.

## Example (HCL)
```hcl
# DNS64 on, but 64:ff9b::/96 follows ::/0 to the egress-only gateway
resource "aws_subnet" "app" {
  vpc_id                          = aws_vpc.main.id
  ipv6_native                     = true
  ipv6_cidr_block                 = cidrsubnet(aws_vpc.main.ipv6_cidr_block, 8, 1)
  assign_ipv6_address_on_creation = true
  enable_dns64                    = true
}
resource "aws_route_table" "app" {
  vpc_id = aws_vpc.main.id
  route {
    ipv6_cidr_block        = "::/0"
    egress_only_gateway_id = aws_egress_only_internet_gateway.main.id
  }
  # Right: add
  # route {
  #   ipv6_cidr_block = "64:ff9b::/96"
  #   nat_gateway_id  = aws_nat_gateway.main.id
  # }
}
```

## How to fix
Route `64:ff9b::/96` to a NAT gateway (`nat_gateway_id`; a public one for the internet),
or set `enable_dns64 = false` on subnets that need no IPv4-only destinations.

## AWS fact
DNS64 synthesizes addresses from the well-known prefix `64:ff9b::/96` (RFC 6052), and the
traffic to them must be routed through a NAT gateway, which translates it to IPv4 (NAT64)
(AWS VPC User Guide, "DNS64 and NAT64").
"#;

pub static META: RuleMeta = RuleMeta {
    id: "TFVPC116",
    name: "dns64-without-nat64-route",
    severity: Severity::Warning,
    summary: "A subnet has DNS64 on, but its route table sends 64:ff9b::/96 to no NAT64",
    help: HELP,
    tags: &["routing", "ipv6"],
};

/// The NAT64 well-known prefix, `64:ff9b::/96`.
fn nat64_prefix() -> Ipv6Net {
    Ipv6Net::new(std::net::Ipv6Addr::new(0x64, 0xff9b, 0, 0, 0, 0, 0, 0), 96).unwrap_or_default()
}

/// A DNS64 subnet whose synthesized addresses go nowhere a NAT64 is.
pub struct Evidence<'m> {
    pub subnet: &'m Subnet,
    pub table: &'m RouteTable,
    /// The route `64:ff9b::/96` takes, to an internet or egress-only gateway; `None` when
    /// no route covers it.
    pub route: Option<&'m Route>,
}

pub fn find<'m>(ctx: &Ctx<'m>) -> Vec<Evidence<'m>> {
    let m = ctx.model;
    let prefix = nat64_prefix();
    let unplaced_v6 = m.unplaced_routes().first_where(m, |r| {
        matches!(r.destination, Destination::Cidr(AnyBlock::V6(_)))
    });
    m.subnets
        .iter()
        .filter(|s| s.dns64 && s.ipv6.is_some())
        .filter_map(|s| {
            let (id, table) = subnet_table_id(m, s)?;
            // An IPv6 route whose table is not known may be in this one: not judged.
            if unplaced_v6.in_table(id, table.vpc.id()).is_some() {
                return None;
            }
            let mut best: Option<(&Route, u8)> = None;
            for r in table_routes(m, table) {
                match &r.destination {
                    Destination::Cidr(AnyBlock::V6(Block::Known(n))) => {
                        // Part of the prefix routed on its own: NAT64 is managed deliberately.
                        if prefix.contains(n) && n.prefix_len() > prefix.prefix_len() {
                            return None;
                        }
                        if n.contains(&prefix) && best.map_or(true, |(_, len)| n.prefix_len() > len)
                        {
                            best = Some((r, n.prefix_len()));
                        }
                    }
                    Destination::Cidr(AnyBlock::V4(_)) | Destination::Service(_) => {}
                    // A VPC's own block (its local route, or a block inside a VPC's): never
                    // the NAT64 prefix, even when known only after apply.
                    _ if r.target == Target::Local => {}
                    Destination::Cidr(AnyBlock::V6(Block::Unknown(u)))
                        if u.inside_vpc.is_some() => {}
                    // May cover the prefix: not judged.
                    _ => return None,
                }
            }
            match best {
                None => Some(Evidence {
                    subnet: s,
                    table,
                    route: None,
                }),
                Some((r, _)) => matches!(
                    gateway_kind(m, &r.target),
                    Some(GatewayKind::Internet | GatewayKind::EgressOnly)
                )
                .then_some(Evidence {
                    subnet: s,
                    table,
                    route: Some(r),
                }),
            }
        })
        .collect()
}

pub fn message(ctx: &Ctx<'_>, e: &Evidence<'_>) -> String {
    let where_to = match e.route {
        Some(r) => format!(
            "`{}` sends it to `{}` (route `{}`), and the internet does not route that prefix",
            e.table.meta.address,
            target_name(ctx.model, &r.target),
            r.address
        ),
        None => format!("`{}` has no route for it", e.table.meta.address),
    };
    let effect = if e.subnet.ipv4.is_none() {
        "the subnet is IPv6-only, so connections to IPv4-only destinations fail"
    } else {
        "hosts prefer those IPv6 addresses to the IPv4 ones, so connections to IPv4-only \
         destinations wait for a timeout before falling back to IPv4, or fail"
    };
    format!(
        "`{}` has DNS64 on (`enable_dns64`): names with only IPv4 addresses resolve to \
         addresses in 64:ff9b::/96, but its route table {where_to}: {effect}. Route \
         64:ff9b::/96 to a NAT gateway (NAT64), or turn DNS64 off.",
        e.subnet.meta.address
    )
}

pub fn check(ctx: &Ctx<'_>) -> Vec<Finding> {
    find(ctx)
        .iter()
        .map(|e| {
            let mut resources = vec![e.subnet.meta.address.clone()];
            resources.extend(e.route.map(|r| r.address.clone()));
            Finding::new(&META, message(ctx, e), resources)
                .with_fix("route `64:ff9b::/96` to a NAT gateway, or set `enable_dns64 = false`")
        })
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::analysis::Reachability;
    use crate::model::TransitGatewayId;
    use crate::rules::testkit::{network, to, Builder};
    use crate::rules::Policy;

    /// An IPv6-only (or dual-stack) DNS64 subnet whose table routes `::/0` to an egress-only
    /// gateway, plus whatever `extra` adds to that table.
    fn run(
        ipv6_only: bool,
        dns64: bool,
        extra: impl FnOnce(&mut Builder, RouteTableId),
    ) -> Vec<Finding> {
        let mut b = Builder::new();
        let vpc = b.vpc("aws_vpc.main", "10.0.0.0/16");
        b.vpc_ipv6(vpc, "2600:1f18:1:100::/56");
        let eigw = b.gateway(
            "aws_egress_only_internet_gateway.main",
            GatewayKind::EgressOnly,
            vpc,
        );
        let s = b.subnet("aws_subnet.app", vpc, "us-east-1a", "10.0.1.0/24");
        b.subnet_ipv6(s, "2600:1f18:1:101::/64");
        let rt = b.route_table("aws_route_table.app", vpc);
        b.associate(s, rt);
        b.route(rt, "::/0", Target::Gateway(to(eigw)));
        extra(&mut b, rt);
        let mut m = b.build();
        m.subnets[0].dns64 = dns64;
        if ipv6_only {
            m.subnets[0].ipv4 = None;
        }
        let net = network(m);
        check(&Ctx::new(
            &net,
            &Reachability::default(),
            &Policy::default(),
        ))
    }

    use crate::model::RouteTableId;

    #[test]
    fn fires_when_the_prefix_follows_the_default_route_to_a_gateway() {
        let f = run(true, true, |_, _| {});
        assert_eq!(f.len(), 1, "{f:#?}");
        assert_eq!(
            f[0].resources,
            ["aws_subnet.app", "aws_route_table.app route[0]"]
        );
        assert!(
            f[0].message
                .contains("aws_egress_only_internet_gateway.main"),
            "{}",
            f[0].message
        );
        assert!(f[0].message.contains("IPv6-only"), "{}", f[0].message);
        // Dual-stack: the fallback to IPv4 is named.
        let f = run(false, true, |_, _| {});
        assert_eq!(f.len(), 1);
        assert!(
            f[0].message.contains("falling back to IPv4"),
            "{}",
            f[0].message
        );
    }

    #[test]
    fn silent_with_dns64_off() {
        assert!(run(true, false, |_, _| {}).is_empty());
    }

    #[test]
    fn silent_when_the_prefix_goes_to_a_nat_gateway_or_elsewhere_a_nat64_may_be() {
        let nat = run(true, true, |b, rt| {
            let pub_s = b.subnet(
                "aws_subnet.public",
                crate::model::VpcId(0),
                "us-east-1a",
                "10.0.0.0/24",
            );
            let eip = b.eip("aws_eip.nat");
            let n = b.nat("aws_nat_gateway.main", pub_s, Some(eip));
            b.route(rt, "64:ff9b::/96", Target::NatGateway(to(n)));
        });
        assert!(
            nat.iter().all(|f| f.resources[0] != "aws_subnet.app"),
            "{nat:#?}"
        );
        let tgw = run(true, true, |b, rt| {
            let t: TransitGatewayId = b.transit_gateway("aws_ec2_transit_gateway.hub");
            b.route(rt, "64:ff9b::/96", Target::TransitGateway(to(t)));
        });
        assert!(tgw.is_empty(), "{tgw:#?}");
        // Only part of the prefix routed on its own: deliberate, not judged.
        let part = run(true, true, |b, rt| {
            let t = b.transit_gateway("aws_ec2_transit_gateway.hub");
            b.route(rt, "64:ff9b::a00:0/104", Target::TransitGateway(to(t)));
        });
        assert!(part.is_empty(), "{part:#?}");
    }

    #[test]
    fn fires_without_any_route_for_the_prefix() {
        let mut b = Builder::new();
        let vpc = b.vpc("aws_vpc.main", "10.0.0.0/16");
        b.vpc_ipv6(vpc, "2600:1f18:1:100::/56");
        let s = b.subnet("aws_subnet.isolated", vpc, "us-east-1a", "10.0.1.0/24");
        b.subnet_ipv6(s, "2600:1f18:1:101::/64");
        let rt = b.route_table("aws_route_table.isolated", vpc);
        b.associate(s, rt);
        let mut m = b.build();
        m.subnets[0].dns64 = true;
        let net = network(m);
        let f = check(&Ctx::new(
            &net,
            &Reachability::default(),
            &Policy::default(),
        ));
        assert_eq!(f.len(), 1, "{f:#?}");
        assert_eq!(f[0].resources, ["aws_subnet.isolated"]);
        assert!(
            f[0].message.contains("has no route for it"),
            "{}",
            f[0].message
        );
    }
}
