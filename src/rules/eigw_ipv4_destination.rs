//! TFVPC101 `eigw-ipv4-destination`: a route with an IPv4 destination targets an
//! egress-only internet gateway. The rule's documentation is [`HELP`].

use crate::model::{AnyBlock, Destination, Gateway, GatewayKind, Route, Target};
use crate::rules::helpers::{destination_text, gateway_kind};
use crate::rules::{Ctx, Finding, RuleMeta, Severity};

pub const HELP: &str = r#"## What it checks
Every route in the planned network whose destination is an IPv4 CIDR (for example
`0.0.0.0/0`) and whose target is an egress-only internet gateway
(`egress_only_gateway_id`, or a `gateway_id` that names an `aws_egress_only_internet_gateway`).

## Why it matters
An egress-only internet gateway carries IPv6 only. AWS rejects the route when it is created,
so `terraform apply` fails part-way, leaving the other changes of the plan applied. Even if
it were accepted, no IPv4 packet could use it: the subnet would have no IPv4 internet access.

## Example (HCL)
```hcl
# Fails at apply: IPv4 destination to an egress-only gateway
resource "aws_route" "egress" {
  route_table_id         = aws_route_table.private.id
  destination_cidr_block = "0.0.0.0/0"
  egress_only_gateway_id = aws_egress_only_internet_gateway.eigw.id
}

# Right: IPv6 egress through the EIGW, IPv4 egress through a NAT gateway
resource "aws_route" "egress_v6" {
  route_table_id              = aws_route_table.private.id
  destination_ipv6_cidr_block = "::/0"
  egress_only_gateway_id      = aws_egress_only_internet_gateway.eigw.id
}
resource "aws_route" "egress_v4" {
  route_table_id         = aws_route_table.private.id
  destination_cidr_block = "0.0.0.0/0"
  nat_gateway_id         = aws_nat_gateway.a.id
}
```

## How to fix
Change the destination to `destination_ipv6_cidr_block`, or send IPv4 to a NAT gateway
(private egress) or an internet gateway (public subnet).

## AWS fact
An egress-only internet gateway is for IPv6 traffic only; the IPv4 equivalent is a NAT
gateway (seed 001; aws-network-semantics.md, "Gateways and endpoints").
"#;

pub static META: RuleMeta = RuleMeta {
    id: "TFVPC101",
    name: "eigw-ipv4-destination",
    severity: Severity::Error,
    summary: "A route with an IPv4 destination targets an egress-only internet gateway",
    help: HELP,
    tags: &["routing", "ipv6", "apply-failure"],
};

/// A route sending IPv4 to an egress-only gateway.
pub struct Evidence<'m> {
    pub route: &'m Route,
    /// The gateway, when the target resolves to one of this model.
    pub gateway: Option<&'m Gateway>,
    pub target: String,
    pub destination: String,
}

pub fn find<'m>(ctx: &Ctx<'m>) -> Vec<Evidence<'m>> {
    let m = ctx.model;
    m.routes
        .iter()
        .filter(|r| matches!(r.destination, Destination::Cidr(AnyBlock::V4(_))))
        .filter(|r| gateway_kind(m, &r.target) == Some(GatewayKind::EgressOnly))
        .map(|r| {
            let gateway = match &r.target {
                Target::Gateway(l) => l.id().map(|g| m.gateway(g)),
                _ => None,
            };
            Evidence {
                route: r,
                gateway,
                target: crate::rules::helpers::target_name(m, &r.target),
                destination: destination_text(m, &r.destination),
            }
        })
        .collect()
}

pub fn message(e: &Evidence<'_>) -> String {
    format!(
        "`{}` sends IPv4 destination {} to the egress-only internet gateway `{}`, which carries \
         IPv6 only: AWS rejects this route at apply. Use `destination_ipv6_cidr_block` for the \
         EIGW, and route IPv4 to a NAT gateway (or an internet gateway for a public subnet).",
        e.route.address, e.destination, e.target
    )
}

pub fn check(ctx: &Ctx<'_>) -> Vec<Finding> {
    find(ctx)
        .iter()
        .map(|e| {
            let mut resources = vec![e.route.address.clone()];
            resources.extend(e.gateway.map(|g| g.meta.address.clone()));
            Finding::new(&META, message(e), resources)
                .with_fix("route IPv6 (`::/0`) to the EIGW and IPv4 to a NAT gateway")
        })
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::analysis::Reachability;
    use crate::model::GatewayKind;
    use crate::rules::testkit::{network, to, Builder};
    use crate::rules::Policy;

    fn run(ipv4: bool) -> Vec<Finding> {
        let mut b = Builder::new();
        let vpc = b.vpc("aws_vpc.main", "10.0.0.0/16");
        let eigw = b.gateway(
            "aws_egress_only_internet_gateway.eigw",
            GatewayKind::EgressOnly,
            vpc,
        );
        let rt = b.route_table("aws_route_table.private", vpc);
        let dest = if ipv4 { "0.0.0.0/0" } else { "::/0" };
        b.route(rt, dest, Target::Gateway(to(eigw)));
        let net = network(b.build());
        check(&Ctx::new(
            &net,
            &Reachability::default(),
            &Policy::default(),
        ))
    }

    #[test]
    fn fires_on_ipv4_route_to_eigw() {
        let f = run(true);
        assert_eq!(f.len(), 1);
        assert_eq!(
            f[0].resources,
            [
                "aws_route_table.private route[0]",
                "aws_egress_only_internet_gateway.eigw"
            ]
        );
        assert!(f[0].message.contains("0.0.0.0/0"), "{}", f[0].message);
        assert!(f[0].message.contains("IPv6 only"));
    }

    #[test]
    fn silent_on_ipv6_route_to_eigw() {
        assert!(run(false).is_empty());
    }
}
