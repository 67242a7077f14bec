//! TFVPC107 `duplicate-route`: two static routes with the same destination in one route
//! table. Documentation: [`HELP`].

use std::collections::BTreeMap;

use crate::model::{AnyBlock, Block, Destination, Route};
use crate::rules::helpers::{destination_text, is_static, table_routes, target_name};
use crate::rules::{Ctx, Finding, RuleMeta, Severity};

pub const HELP: &str = r#"## What it checks
Every route table with two or more static routes (inline `route` blocks or `aws_route`
resources) for the same destination CIDR or prefix list. Propagated and endpoint routes are
not static; destinations known only after apply are not compared.

## Why it matters
A route table holds one route per destination. The second `CreateRoute` fails with
`RouteAlreadyExists`, so apply stops part-way. Mixing inline `route` blocks with `aws_route`
resources on the same table is the usual cause, and then Terraform also flip-flops the
routes on every plan.

## Example (HCL)
```hcl
# Wrong: the inline block and the resource both claim 0.0.0.0/0
resource "aws_route_table" "private" {
  vpc_id = aws_vpc.main.id
  route {
    cidr_block     = "0.0.0.0/0"
    nat_gateway_id = aws_nat_gateway.a.id
  }
}
resource "aws_route" "private_default" {
  route_table_id         = aws_route_table.private.id
  destination_cidr_block = "0.0.0.0/0"
  nat_gateway_id         = aws_nat_gateway.b.id
}

# Right: one route per destination, declared one way (prefer aws_route resources)
```

## How to fix
Keep one of the routes. Do not mix inline `route` blocks and `aws_route` resources on one
table.

## AWS fact
Two static routes with the same destination in one table are an apply-time error; the same
prefix static and propagated is allowed (static wins) (aws-network-semantics.md, "Route
selection").
"#;

pub static META: RuleMeta = RuleMeta {
    id: "TFVPC107",
    name: "duplicate-route",
    severity: Severity::Error,
    summary: "Two static routes with the same destination in one route table",
    help: HELP,
    tags: &["routing", "apply-failure"],
};

pub struct Evidence<'m> {
    pub table: String,
    pub destination: String,
    pub routes: Vec<&'m Route>,
}

fn key(d: &Destination) -> Option<String> {
    match d {
        Destination::Cidr(AnyBlock::V4(Block::Known(n))) => Some(n.trunc().to_string()),
        Destination::Cidr(AnyBlock::V6(Block::Known(n))) => Some(n.trunc().to_string()),
        Destination::PrefixList(l) => l.id().map(|p| format!("pl#{}", p.0)),
        _ => None,
    }
}

pub fn find<'m>(ctx: &Ctx<'m>) -> Vec<Evidence<'m>> {
    let m = ctx.model;
    let mut out = Vec::new();
    for t in &m.route_tables {
        let mut by_dest: BTreeMap<String, Vec<&Route>> = BTreeMap::new();
        for r in table_routes(m, t).filter(|r| is_static(r)) {
            if let Some(k) = key(&r.destination) {
                by_dest.entry(k).or_default().push(r);
            }
        }
        for routes in by_dest.into_values().filter(|v| v.len() > 1) {
            let Some(first) = routes.first() else {
                continue;
            };
            out.push(Evidence {
                table: t.meta.address.clone(),
                destination: destination_text(m, &first.destination),
                routes,
            });
        }
    }
    out
}

pub fn message(ctx: &Ctx<'_>, e: &Evidence<'_>) -> String {
    let list: Vec<String> = e
        .routes
        .iter()
        .map(|r| format!("`{}` (→ {})", r.address, target_name(ctx.model, &r.target)))
        .collect();
    format!(
        "`{}` has {} static routes for {}: {}. AWS allows one route per destination, so apply \
         fails with RouteAlreadyExists. Keep one, and declare routes either inline or as \
         `aws_route`, not both.",
        e.table,
        e.routes.len(),
        e.destination,
        list.join(", ")
    )
}

pub fn check(ctx: &Ctx<'_>) -> Vec<Finding> {
    find(ctx)
        .iter()
        .map(|e| {
            let resources = e.routes.iter().map(|r| r.address.clone()).collect();
            Finding::new(&META, message(ctx, e), resources)
                .with_fix("keep one route per destination")
        })
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::analysis::Reachability;
    use crate::model::{Link, RouteOrigin, Target};
    use crate::rules::testkit::{cidr, network, Builder};
    use crate::rules::Policy;

    fn run(second: &str, propagated: bool) -> Vec<Finding> {
        let mut b = Builder::new();
        let vpc = b.vpc("aws_vpc.main", "10.0.0.0/16");
        let rt = b.route_table("aws_route_table.private", vpc);
        b.route(
            rt,
            "0.0.0.0/0",
            Target::NatGateway(Link::External("nat-1".into())),
        );
        let r = b.route_at(
            rt,
            "aws_route.private_default",
            Destination::Cidr(cidr(second)),
            Target::NatGateway(Link::External("nat-2".into())),
        );
        if propagated {
            b.m.routes[r.index()].origin = RouteOrigin::Propagated(crate::model::GatewayId(0));
        }
        let net = network(b.build());
        check(&Ctx::new(
            &net,
            &Reachability::default(),
            &Policy::default(),
        ))
    }

    #[test]
    fn fires_on_two_static_routes_for_one_destination() {
        let f = run("0.0.0.0/0", false);
        assert_eq!(f.len(), 1);
        assert_eq!(
            f[0].resources,
            [
                "aws_route_table.private route[0]",
                "aws_route.private_default"
            ]
        );
    }

    #[test]
    fn silent_on_distinct_destinations_or_propagated_duplicate() {
        assert!(run("10.9.0.0/16", false).is_empty());
        assert!(run("0.0.0.0/0", true).is_empty());
    }
}
