//! TFVPC105 `nat-gateway-in-private-subnet`: a public NAT gateway sits in a subnet whose
//! route table has no default route to an internet gateway. Documentation: [`HELP`].

use crate::model::{NatConnectivity, NatGateway};
use crate::rules::helpers::{
    linked_subnet, no_igw_default, subnet_table_id, unplaced_ipv4_defaults,
};
use crate::rules::{Ctx, Finding, RuleMeta, Severity};

pub const HELP: &str = r#"## What it checks
Every public `aws_nat_gateway` whose subnet uses a route table (explicit or the VPC's main
table) without a `0.0.0.0/0` route to an internet gateway. When the subnet's table or its
default route's target cannot be resolved at plan time, the rule stays silent.

## Why it matters
A NAT gateway forwards the private subnets' traffic using its own subnet's route table. In a
subnet without a route to an internet gateway, the NAT gateway has no way out: apply
succeeds, and every private subnet that uses it silently loses internet access (package
installs, API calls and updates time out).

## Example (HCL)
```hcl
# Wrong: the NAT gateway sits in a private subnet (default route → itself / nothing)
resource "aws_nat_gateway" "a" {
  subnet_id     = aws_subnet.private_a.id
  allocation_id = aws_eip.nat_a.id
}

# Right: put it in a public subnet whose table routes 0.0.0.0/0 to the IGW
resource "aws_nat_gateway" "a" {
  subnet_id     = aws_subnet.public_a.id
  allocation_id = aws_eip.nat_a.id
}
resource "aws_route" "public_default" {
  route_table_id         = aws_route_table.public.id
  destination_cidr_block = "0.0.0.0/0"
  gateway_id             = aws_internet_gateway.main.id
}
```

## How to fix
Move the NAT gateway to a public subnet (one whose route table sends `0.0.0.0/0` to the
VPC's internet gateway), or add that route to its subnet's table.

## AWS fact
"NAT gateways must be in public subnets" — a public NAT gateway reaches the internet through
the internet gateway of its subnet's route table (seed 003).
"#;

pub static META: RuleMeta = RuleMeta {
    id: "TFVPC105",
    name: "nat-gateway-in-private-subnet",
    severity: Severity::Error,
    summary: "A public NAT gateway sits in a subnet with no default route to an internet gateway",
    help: HELP,
    tags: &["nat", "outage"],
};

pub struct Evidence<'m> {
    pub nat: &'m NatGateway,
    pub subnet: String,
    pub table: String,
    /// What the table's IPv4 default route targets instead, if it has one.
    pub default_target: Option<String>,
}

pub fn find<'m>(ctx: &Ctx<'m>) -> Vec<Evidence<'m>> {
    let m = ctx.model;
    let unplaced = unplaced_ipv4_defaults(m);
    let mut out = Vec::new();
    for nat in m
        .nat_gateways
        .iter()
        .filter(|n| n.connectivity == NatConnectivity::Public)
    {
        let Some(subnet) = linked_subnet(m, &nat.subnet) else {
            continue;
        };
        let Some((id, table)) = subnet_table_id(m, subnet) else {
            continue;
        };
        let Some(default_target) = no_igw_default(m, (id, table), &unplaced) else {
            continue;
        };
        out.push(Evidence {
            nat,
            subnet: subnet.meta.address.clone(),
            table: table.meta.address.clone(),
            default_target,
        });
    }
    out
}

pub fn message(e: &Evidence<'_>) -> String {
    let why = match &e.default_target {
        None => "has no `0.0.0.0/0` route".to_string(),
        Some(t) => format!("sends `0.0.0.0/0` to `{t}`, not to an internet gateway"),
    };
    format!(
        "`{}` is a public NAT gateway in `{}`, whose route table `{}` {why}: the NAT gateway \
         cannot reach the internet, so the private subnets using it lose IPv4 egress after \
         apply. Move it to a public subnet, or route that table's `0.0.0.0/0` to the internet \
         gateway.",
        e.nat.meta.address, e.subnet, e.table
    )
}

pub fn check(ctx: &Ctx<'_>) -> Vec<Finding> {
    find(ctx)
        .iter()
        .map(|e| {
            Finding::new(
                &META,
                message(e),
                vec![e.nat.meta.address.clone(), e.subnet.clone()],
            )
            .with_fix("place the NAT gateway in a public subnet")
        })
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::analysis::Reachability;
    use crate::model::{GatewayKind, Target};
    use crate::rules::testkit::{network, to, Builder};
    use crate::rules::Policy;

    fn run(public: bool) -> Vec<Finding> {
        run_with(public, None)
    }

    /// `unplaced`: a default route to the internet gateway whose table is not known, in
    /// the gateway's VPC (`true`) or in another VPC's gateway (`false`).
    fn run_with(public: bool, unplaced: Option<bool>) -> Vec<Finding> {
        let mut b = Builder::new();
        let vpc = b.vpc("aws_vpc.main", "10.0.0.0/16");
        let igw = b.gateway("aws_internet_gateway.main", GatewayKind::Internet, vpc);
        let s = b.subnet("aws_subnet.a", vpc, "az1", "10.0.0.0/24");
        let rt = b.route_table("aws_route_table.a", vpc);
        b.associate(s, rt);
        if public {
            b.route(rt, "0.0.0.0/0", Target::Gateway(to(igw)));
        }
        if let Some(same_vpc) = unplaced {
            let other = b.vpc("aws_vpc.other", "10.1.0.0/16");
            let other_igw = b.gateway("aws_internet_gateway.other", GatewayKind::Internet, other);
            let gw = if same_vpc { igw } else { other_igw };
            let r = b.route(rt, "0.0.0.0/0", Target::Gateway(to(gw)));
            b.m.route_tables[rt.index()].routes.retain(|x| *x != r);
            b.m.routes[r.index()].table = crate::model::Link::Unresolved("not known".into());
        }
        let eip = b.eip("aws_eip.nat");
        b.nat("aws_nat_gateway.a", s, Some(eip));
        let net = network(b.build());
        check(&Ctx::new(
            &net,
            &Reachability::default(),
            &Policy::default(),
        ))
    }

    #[test]
    fn fires_in_a_subnet_without_igw_route() {
        let f = run(false);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].resources, ["aws_nat_gateway.a", "aws_subnet.a"]);
        assert!(f[0].message.contains("has no `0.0.0.0/0` route"));
    }

    #[test]
    fn silent_in_a_public_subnet() {
        assert!(run(true).is_empty());
    }

    /// A default route whose table is not known may be this table's when its target is in
    /// this VPC: not judged. One whose target is in another VPC cannot be.
    #[test]
    fn silent_when_a_default_route_of_unknown_table_may_be_the_subnets() {
        assert!(run_with(false, Some(true)).is_empty());
        assert_eq!(run_with(false, Some(false)).len(), 1);
    }
}
