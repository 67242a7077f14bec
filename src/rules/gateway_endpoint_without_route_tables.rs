//! TFVPC402 `gateway-endpoint-without-route-tables`: a gateway endpoint is associated with
//! no route table. Documentation: [`HELP`].

use crate::model::{EndpointKind, Link, VpcEndpoint};
use crate::rules::{Ctx, Finding, RuleMeta, Severity};

pub const HELP: &str = r#"## What it checks
Every `aws_vpc_endpoint` of type `Gateway` with no `route_table_ids` and no
`aws_vpc_endpoint_route_table_association`.

## Why it matters
A gateway endpoint works only through the prefix-list routes it adds to route tables.
Without any, nothing uses it: S3/DynamoDB traffic keeps going through NAT gateways (paying
processing charges) or the internet gateway, while the configuration suggests otherwise.

## Example (HCL)
```hcl
resource "aws_vpc_endpoint" "s3" {
  vpc_id            = aws_vpc.main.id
  service_name      = "com.amazonaws.us-east-1.s3"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = aws_route_table.private[*].id   # missing in the wrong version
}
```

## How to fix
Set `route_table_ids` (or add `aws_vpc_endpoint_route_table_association` resources) for the
route tables of the subnets that use the service.

## AWS fact
A gateway endpoint adds a route to the service's prefix list to the chosen route tables; it
has no network interface (seed 002; aws-network-semantics.md, "Gateways and endpoints").
"#;

pub static META: RuleMeta = RuleMeta {
    id: "TFVPC402",
    name: "gateway-endpoint-without-route-tables",
    severity: Severity::Warning,
    summary: "A gateway endpoint is associated with no route table, so nothing uses it",
    help: HELP,
    tags: &["cost", "endpoints"],
};

pub struct Evidence<'m> {
    pub endpoint: &'m VpcEndpoint,
}

pub fn find<'m>(ctx: &Ctx<'m>) -> Vec<Evidence<'m>> {
    let m = ctx.model;
    // An association whose endpoint is not known may be this one's, when its table may be
    // in the endpoint's VPC (AWS associates an endpoint with tables of its own VPC only).
    let maybe_associated = |e: &VpcEndpoint| {
        m.unresolved_endpoint_routes.iter().any(|u| {
            let candidate = u.among.is_empty()
                || u.among
                    .iter()
                    .any(|c| m.endpoint(*c).meta.address == e.meta.address);
            if !candidate {
                return false;
            }
            let table_vpc = u.table.id().and_then(|t| m.route_table(t).vpc.id());
            match (&u.table, table_vpc, e.vpc.id()) {
                (Link::To(..), Some(tv), Some(ev)) => tv == ev,
                (Link::External(_) | Link::None, _, _) => false,
                _ => true,
            }
        })
    };
    m.endpoints
        .iter()
        .filter(|e| e.kind == EndpointKind::Gateway && e.route_tables.is_empty())
        .filter(|e| !maybe_associated(e))
        .map(|endpoint| Evidence { endpoint })
        .collect()
}

pub fn message(e: &Evidence<'_>) -> String {
    format!(
        "`{}` is a Gateway endpoint associated with no route table, so no subnet uses it: \
         traffic to {} still goes through NAT or the internet gateway. Set `route_table_ids` to \
         the private subnets' route tables.",
        e.endpoint.meta.address,
        e.endpoint.service.as_deref().unwrap_or("the service")
    )
}

pub fn check(ctx: &Ctx<'_>) -> Vec<Finding> {
    find(ctx)
        .iter()
        .map(|e| {
            Finding::new(&META, message(e), vec![e.endpoint.meta.address.clone()])
                .with_fix("set `route_table_ids`")
        })
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::analysis::Reachability;
    use crate::rules::testkit::{network, to, Builder};
    use crate::rules::Policy;

    fn run(with_table: bool) -> Vec<Finding> {
        let mut b = Builder::new();
        let vpc = b.vpc("aws_vpc.main", "10.0.0.0/16");
        let rt = b.route_table("aws_route_table.private", vpc);
        let e = b.endpoint("aws_vpc_endpoint.s3", vpc, EndpointKind::Gateway, "s3");
        if with_table {
            b.m.endpoints[e.index()]
                .route_tables
                .push(("aws_vpc_endpoint.s3".into(), to(rt)));
        }
        let net = network(b.build());
        check(&Ctx::new(
            &net,
            &Reachability::default(),
            &Policy::default(),
        ))
    }

    #[test]
    fn fires_without_route_tables() {
        assert_eq!(run(false).len(), 1);
    }

    #[test]
    fn silent_with_a_route_table() {
        assert!(run(true).is_empty());
    }

    /// An association whose endpoint is not known may be this endpoint's, unless its table
    /// is in another VPC.
    #[test]
    fn silent_with_an_association_that_may_be_its_own() {
        let run = |same_vpc: bool| {
            let mut b = Builder::new();
            let vpc = b.vpc("aws_vpc.main", "10.0.0.0/16");
            let other = b.vpc("aws_vpc.other", "10.1.0.0/16");
            let rt = b.route_table(
                "aws_route_table.private",
                if same_vpc { vpc } else { other },
            );
            b.endpoint("aws_vpc_endpoint.s3", vpc, EndpointKind::Gateway, "s3");
            b.m.unresolved_endpoint_routes
                .push(crate::model::UnresolvedEndpointRoute {
                    address: "aws_vpc_endpoint_route_table_association.x".into(),
                    table: to(rt),
                    why: "not known".into(),
                    among: Vec::new(),
                });
            let net = network(b.build());
            check(&Ctx::new(
                &net,
                &Reachability::default(),
                &Policy::default(),
            ))
        };
        assert!(run(true).is_empty());
        assert_eq!(run(false).len(), 1);
    }
}
