//! TFVPC401 `s3-or-dynamodb-via-nat`: a subnet reaches S3 or DynamoDB only through a NAT
//! gateway. Read from reachability paths. Documentation: [`HELP`].

use std::collections::BTreeMap;

use rayon::prelude::*;

use crate::analysis::Verdict;
use crate::model::{EndpointKind, Family};
use crate::rules::{Ctx, Finding, RuleMeta, Severity};

pub const HELP: &str = r#"## What it checks
Every subnet whose path to `service:s3` or `service:dynamodb` (per the reachability engine)
is allowed and passes through a NAT gateway rather than a gateway VPC endpoint. Findings are
grouped by service and NAT gateway.

## Why it matters
Every byte to S3 or DynamoDB through a NAT gateway pays the NAT data-processing charge (and
leaves the VPC for the public endpoint). For data-heavy workloads — backups, logs, data
lakes — this is often the largest line of the networking bill. Gateway endpoints for S3 and
DynamoDB are free, and traffic stays on the AWS network.

## Example (HCL)
```hcl
resource "aws_vpc_endpoint" "s3" {
  vpc_id            = aws_vpc.main.id
  service_name      = "com.amazonaws.us-east-1.s3"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = aws_route_table.private[*].id
}
```

## How to fix
Add a Gateway endpoint for the service and associate it with the private subnets' route
tables; the prefix-list route it adds is more specific than `0.0.0.0/0`, so traffic moves
off the NAT gateway. Check that security groups allow egress to the service's prefix list.

## AWS fact
Gateway endpoints (S3, DynamoDB) add prefix-list routes; traffic stays on the AWS network
with no NAT data-processing cost (seeds 002 and 004).
"#;

pub static META: RuleMeta = RuleMeta {
    id: "TFVPC401",
    name: "s3-or-dynamodb-via-nat",
    severity: Severity::Warning,
    summary: "A subnet reaches S3 or DynamoDB only through a NAT gateway",
    help: HELP,
    tags: &["cost", "endpoints"],
};

pub struct Evidence {
    pub service: String,
    pub nat: String,
    pub subnets: Vec<String>,
    pub path: Vec<String>,
}

pub fn find(ctx: &Ctx<'_>) -> Vec<Evidence> {
    let m = ctx.model;
    // Keyed by borrowed names: tens of thousands of paths go through a few NAT gateways.
    let mut by: BTreeMap<(&str, &str), Evidence> = BTreeMap::new();
    // Hash sets: every hop of every S3/DynamoDB path is looked up (tens of thousands of
    // paths on a large network).
    let gateway_endpoints: rustc_hash::FxHashSet<&str> = m
        .endpoints
        .iter()
        .filter(|e| e.kind == EndpointKind::Gateway)
        .map(|e| e.meta.address.as_str())
        .collect();
    let nats: rustc_hash::FxHashSet<&str> = m
        .nat_gateways
        .iter()
        .map(|n| n.meta.address.as_str())
        .collect();
    for r in ctx
        .reach
        .results
        .iter()
        .filter(|r| r.verdict == Verdict::Allowed && r.family == Family::Ipv4)
    {
        let Some(service) = r.to.strip_prefix("service:") else {
            continue;
        };
        if service != "s3" && service != "dynamodb" {
            continue;
        }
        let via_endpoint = r.path.iter().any(|h| gateway_endpoints.contains(&**h));
        if via_endpoint {
            continue;
        }
        let Some(nat) = r.path.iter().find(|h| nats.contains(&&***h)) else {
            continue;
        };
        let e = by.entry((service, &**nat)).or_insert_with(|| Evidence {
            service: service.to_string(),
            nat: nat.to_string(),
            subnets: Vec::new(),
            path: crate::analysis::to_strings(&r.path),
        });
        e.subnets.push(r.from.to_string());
    }
    by.into_values().collect()
}

pub fn message(e: &Evidence) -> String {
    let name = if e.service == "s3" { "S3" } else { "DynamoDB" };
    format!(
        "{} reach{} {name} through the NAT gateway `{}`: every byte pays NAT data processing and \
         leaves the VPC. Add a Gateway VPC endpoint for `{}` on their route tables (free, \
         traffic stays on the AWS network).",
        e.subnets
            .iter()
            .map(|s| format!("`{s}`"))
            .collect::<Vec<_>>()
            .join(", "),
        if e.subnets.len() == 1 { "es" } else { "" },
        e.nat,
        e.service
    )
}

pub fn check(ctx: &Ctx<'_>) -> Vec<Finding> {
    // One finding per NAT gateway and service (thousands on a large network), written on
    // all threads: this rule is the longest of the rules run side by side.
    find(ctx)
        .par_iter()
        .map(|e| {
            let mut resources = e.subnets.clone();
            resources.push(e.nat.clone());
            Finding::new(&META, message(e), resources)
                .with_path(e.path.clone())
                .with_fix(format!("add a Gateway endpoint for {}", e.service))
        })
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::rules::nat_gateway_cross_az::tests::two_az_model;
    use crate::rules::testkit::{network, path_result, reach};
    use crate::rules::Policy;

    fn run(hop: &str) -> Vec<Finding> {
        let mut m = two_az_model(true);
        let vpc = crate::model::VpcId(0);
        let mut b = crate::rules::testkit::Builder {
            m: std::mem::take(&mut m),
        };
        b.endpoint("aws_vpc_endpoint.s3", vpc, EndpointKind::Gateway, "s3");
        let net = network(b.build());
        let r = reach(vec![path_result(
            "aws_subnet.private[0]",
            "service:s3",
            Family::Ipv4,
            Verdict::Allowed,
            &[
                "aws_subnet.private[0]",
                "aws_route_table.private[0]",
                hop,
                "service:s3",
            ],
        )]);
        check(&Ctx::new(&net, &r, &Policy::default()))
    }

    #[test]
    fn fires_when_s3_goes_through_nat() {
        let f = run("aws_nat_gateway.this[0]");
        assert_eq!(f.len(), 1);
        assert_eq!(
            f[0].resources,
            ["aws_subnet.private[0]", "aws_nat_gateway.this[0]"]
        );
        assert!(f[0].message.contains("Gateway VPC endpoint"));
    }

    #[test]
    fn silent_when_s3_goes_through_a_gateway_endpoint() {
        assert!(run("aws_vpc_endpoint.s3").is_empty());
    }
}
