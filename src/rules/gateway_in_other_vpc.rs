//! TFVPC103 `gateway-in-other-vpc`: a route targets an internet gateway, egress-only
//! gateway, virtual private gateway or VPC endpoint attached to a different VPC than the
//! route table's. Documentation: [`HELP`].

use crate::model::{Route, Target, VpcId};
use crate::rules::helpers::destination_text;
use crate::rules::{Ctx, Finding, RuleMeta, Severity};

pub const HELP: &str = r#"## What it checks
Every route whose target resolves to an internet gateway, egress-only internet gateway,
virtual private gateway or VPC endpoint, where that target's VPC differs from the VPC of the
route's table. Targets given only as an ID (outside this configuration) are not checked.

## Why it matters
Gateways and endpoints serve only the VPC they are attached to. AWS rejects the route at
apply ("route table and gateway belong to different networks"), typically after a copy-paste
between two VPC modules or a `count`/`for_each` index that picks the wrong VPC's gateway.

## Example (HCL)
```hcl
# Wrong: the table belongs to aws_vpc.b, the gateway to aws_vpc.a
resource "aws_route" "b_default" {
  route_table_id         = aws_route_table.b.id
  destination_cidr_block = "0.0.0.0/0"
  gateway_id             = aws_internet_gateway.a.id
}

# Right: each VPC uses its own gateway
resource "aws_route" "b_default" {
  route_table_id         = aws_route_table.b.id
  destination_cidr_block = "0.0.0.0/0"
  gateway_id             = aws_internet_gateway.b.id
}
```

## How to fix
Point the route at the gateway or endpoint of the table's own VPC. To reach another VPC, use
a peering connection or a transit gateway, never its gateways (no edge-to-edge routing).

## AWS fact
An IGW, EIGW or VGW is attached to one VPC and endpoints live in one VPC; VPC peering has no
edge-to-edge routing (aws-network-semantics.md, "Gateways and endpoints").
"#;

pub static META: RuleMeta = RuleMeta {
    id: "TFVPC103",
    name: "gateway-in-other-vpc",
    severity: Severity::Error,
    summary:
        "A route targets a gateway or endpoint attached to a different VPC than the route table's",
    help: HELP,
    tags: &["routing", "apply-failure"],
};

pub struct Evidence<'m> {
    pub route: &'m Route,
    pub table_vpc: String,
    pub target: String,
    pub target_vpc: String,
}

pub fn find<'m>(ctx: &Ctx<'m>) -> Vec<Evidence<'m>> {
    let m = ctx.model;
    let mut out = Vec::new();
    for r in &m.routes {
        let Some(table_vpc) = r.table.id().and_then(|t| m.route_table(t).vpc.id()) else {
            continue;
        };
        let (target, target_vpc): (String, Option<VpcId>) = match &r.target {
            Target::Gateway(l) => match l.id() {
                Some(g) => (m.gateway(g).meta.address.clone(), m.gateway(g).vpc.id()),
                None => continue,
            },
            Target::Endpoint(l) => match l.id() {
                Some(e) => (m.endpoint(e).meta.address.clone(), m.endpoint(e).vpc.id()),
                None => continue,
            },
            _ => continue,
        };
        if let Some(tv) = target_vpc {
            if tv != table_vpc {
                out.push(Evidence {
                    route: r,
                    table_vpc: m.vpc(table_vpc).meta.address.clone(),
                    target,
                    target_vpc: m.vpc(tv).meta.address.clone(),
                });
            }
        }
    }
    out
}

pub fn message(ctx: &Ctx<'_>, e: &Evidence<'_>) -> String {
    format!(
        "`{}` ({}) in a table of `{}` targets `{}`, which is attached to `{}`: AWS rejects a \
         route to another VPC's gateway or endpoint at apply. Use the gateway of `{}`, or a \
         peering connection or transit gateway to reach the other VPC.",
        e.route.address,
        destination_text(ctx.model, &e.route.destination),
        e.table_vpc,
        e.target,
        e.target_vpc,
        e.table_vpc
    )
}

pub fn check(ctx: &Ctx<'_>) -> Vec<Finding> {
    find(ctx)
        .iter()
        .map(|e| {
            Finding::new(
                &META,
                message(ctx, e),
                vec![e.route.address.clone(), e.target.clone()],
            )
            .with_fix("target the gateway of the route table's own VPC")
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

    fn run(cross: bool) -> Vec<Finding> {
        let mut b = Builder::new();
        let a = b.vpc("aws_vpc.a", "10.0.0.0/16");
        let bv = b.vpc("aws_vpc.b", "10.1.0.0/16");
        let igw_a = b.gateway("aws_internet_gateway.a", GatewayKind::Internet, a);
        let igw_b = b.gateway("aws_internet_gateway.b", GatewayKind::Internet, bv);
        let rt = b.route_table("aws_route_table.b", bv);
        b.route(
            rt,
            "0.0.0.0/0",
            Target::Gateway(to(if cross { igw_a } else { igw_b })),
        );
        let net = network(b.build());
        check(&Ctx::new(
            &net,
            &Reachability::default(),
            &Policy::default(),
        ))
    }

    #[test]
    fn fires_on_other_vpcs_gateway() {
        let f = run(true);
        assert_eq!(f.len(), 1);
        assert_eq!(
            f[0].resources,
            ["aws_route_table.b route[0]", "aws_internet_gateway.a"]
        );
        assert!(f[0].message.contains("attached to `aws_vpc.a`"));
    }

    #[test]
    fn silent_on_own_gateway() {
        assert!(run(false).is_empty());
    }
}
