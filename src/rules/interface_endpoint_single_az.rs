//! TFVPC305 `interface-endpoint-single-az`: an interface endpoint has subnets in one AZ only.
//! Documentation: [`HELP`].

use std::collections::BTreeSet;

use crate::model::{EndpointKind, VpcEndpoint};
use crate::rules::helpers::subnet_az;
use crate::rules::{Ctx, Finding, RuleMeta, Severity};

pub const HELP: &str = r#"## What it checks
Every `aws_vpc_endpoint` with network interfaces (type `Interface`, and the VPC Lattice
types `Resource` and `ServiceNetwork`) whose subnets (`subnet_ids` and subnet
associations) are all in one availability zone. Subnets whose AZ is known only after apply
are skipped.

## Why it matters
An interface endpoint places one network interface per listed subnet. With a single AZ, the
service (SSM, Secrets Manager, ECR, …) becomes unreachable from the whole VPC when that AZ
fails, and callers in other AZs pay inter-AZ transfer on every request. With private DNS
on, there is no fallback to the public endpoint either.

## Example (HCL)
```hcl
resource "aws_vpc_endpoint" "ssm" {
  vpc_id              = aws_vpc.main.id
  service_name        = "com.amazonaws.us-east-1.ssm"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
  # Wrong: subnet_ids = [aws_subnet.private[0].id]
  subnet_ids          = aws_subnet.private[*].id    # one per AZ
  security_group_ids  = [aws_security_group.endpoints.id]
}
```

## How to fix
List one subnet in each AZ where callers run.

## AWS fact
Interface endpoints create ENIs in the chosen subnets (aws-network-semantics.md, "Gateways
and endpoints"); each ENI serves its AZ. Resource and service network endpoints (VPC
Lattice) likewise place a network interface in each subnet they are given.
"#;

pub static META: RuleMeta = RuleMeta {
    id: "TFVPC305",
    name: "interface-endpoint-single-az",
    severity: Severity::Note,
    summary: "An interface endpoint has subnets in one AZ only",
    help: HELP,
    tags: &["availability", "endpoints"],
};

pub struct Evidence<'m> {
    pub endpoint: &'m VpcEndpoint,
    pub az: String,
}

pub fn find<'m>(ctx: &Ctx<'m>) -> Vec<Evidence<'m>> {
    let m = ctx.model;
    let mut out = Vec::new();
    for e in m.endpoints.iter().filter(|e| e.kind.has_interfaces()) {
        if e.subnets.is_empty() {
            continue;
        }
        let azs: Option<BTreeSet<&str>> = e
            .subnets
            .iter()
            .map(|(_, l)| l.id().and_then(|s| subnet_az(m.subnet(s))))
            .collect();
        if let Some(azs) = azs.filter(|a| a.len() == 1) {
            out.push(Evidence {
                endpoint: e,
                az: azs.into_iter().next().unwrap_or_default().to_string(),
            });
        }
    }
    out
}

pub fn message(e: &Evidence<'_>) -> String {
    format!(
        "`{}` has network interfaces in {} only: if that AZ fails, {} is unreachable from the \
         whole VPC, and callers in other AZs pay inter-AZ transfer. Add a subnet in each AZ \
         where callers run.",
        e.endpoint.meta.address,
        e.az,
        match (e.endpoint.kind, e.endpoint.service.as_deref()) {
            (EndpointKind::Resource, _) => "the resource it reaches".to_string(),
            (EndpointKind::ServiceNetwork, _) => "the service network".to_string(),
            (_, Some(s)) => format!("`{s}`"),
            (_, None) => "the service".to_string(),
        }
    )
}

pub fn check(ctx: &Ctx<'_>) -> Vec<Finding> {
    find(ctx)
        .iter()
        .map(|e| {
            Finding::new(&META, message(e), vec![e.endpoint.meta.address.clone()])
                .with_fix("list one subnet per AZ")
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

    fn run(second_az: &str) -> Vec<Finding> {
        run_kind(second_az, EndpointKind::Interface)
    }

    fn run_kind(second_az: &str, kind: EndpointKind) -> Vec<Finding> {
        let mut b = Builder::new();
        let vpc = b.vpc("aws_vpc.main", "10.0.0.0/16");
        let a = b.subnet("aws_subnet.private[0]", vpc, "az-a", "10.0.0.0/24");
        let c = b.subnet("aws_subnet.private[1]", vpc, second_az, "10.0.1.0/24");
        let e = b.endpoint("aws_vpc_endpoint.ssm", vpc, kind, "ssm");
        b.m.endpoints[e.index()].subnets = vec![
            ("aws_vpc_endpoint.ssm".into(), to(a)),
            ("aws_vpc_endpoint.ssm".into(), to(c)),
        ];
        let net = network(b.build());
        check(&Ctx::new(
            &net,
            &Reachability::default(),
            &Policy::default(),
        ))
    }

    #[test]
    fn fires_when_all_subnets_share_an_az() {
        let f = run("az-a");
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].severity, Severity::Note);
    }

    #[test]
    fn silent_across_two_azs() {
        assert!(run("az-b").is_empty());
    }

    #[test]
    fn lattice_endpoints_are_held_to_it_and_gateway_ones_are_not() {
        let f = run_kind("az-a", EndpointKind::Resource);
        assert_eq!(f.len(), 1);
        assert!(
            f[0].message.contains("the resource it reaches"),
            "{}",
            f[0].message
        );
        assert_eq!(run_kind("az-a", EndpointKind::ServiceNetwork).len(), 1);
        assert!(run_kind("az-a", EndpointKind::Gateway).is_empty());
    }
}
