//! TFVPC302 `single-nat-gateway-for-many-azs`: private subnets in two or more AZs share one
//! NAT gateway. Documentation: [`HELP`].

use std::collections::{BTreeMap, BTreeSet};

use crate::model::NatGatewayId;
use crate::rules::helpers::{ipv4_default_nat, subnet_az};
use crate::rules::{Ctx, Finding, RuleMeta, Severity};

pub const HELP: &str = r#"## What it checks
Every NAT gateway that is the IPv4 default route of private subnets in two or more
availability zones (AZs known at plan time).

## Why it matters
The NAT gateway is a single point of failure for all of those AZs: one AZ outage (or a
problem with that one gateway) cuts internet egress everywhere. This is the shape
`single_nat_gateway = true` in popular VPC modules produces; fine for a sandbox, risky for
production. TFVPC301 additionally names each subnet routing across AZs.

## Example (HCL)
```hcl
# Wrong for production: one NAT gateway for three AZs
module "vpc" {
  source             = "terraform-aws-modules/vpc/aws"
  azs                = ["us-east-1a", "us-east-1b", "us-east-1c"]
  enable_nat_gateway = true
  single_nat_gateway = true
}

# Right: one NAT gateway per AZ
module "vpc" {
  source                 = "terraform-aws-modules/vpc/aws"
  azs                    = ["us-east-1a", "us-east-1b", "us-east-1c"]
  enable_nat_gateway     = true
  one_nat_gateway_per_az = true
}
```

## How to fix
Create one NAT gateway per AZ, in that AZ's public subnet, and route each AZ's private
subnets to it. If the single gateway is a conscious cost decision, suppress the finding in
`tfvpc.toml` with that reason.

## AWS fact
A NAT gateway is zonal; for an AZ-independent architecture create one in each AZ (seed 003).
"#;

pub static META: RuleMeta = RuleMeta {
    id: "TFVPC302",
    name: "single-nat-gateway-for-many-azs",
    severity: Severity::Warning,
    summary: "Private subnets in two or more AZs share one NAT gateway",
    help: HELP,
    tags: &["availability", "nat"],
};

pub struct Evidence {
    pub nat: NatGatewayId,
    pub azs: BTreeSet<String>,
    pub subnets: Vec<String>,
}

pub fn find(ctx: &Ctx<'_>) -> Vec<Evidence> {
    let m = ctx.model;
    let mut by_nat: BTreeMap<NatGatewayId, Evidence> = BTreeMap::new();
    for s in &m.subnets {
        let (Some(n), Some(az)) = (ipv4_default_nat(m, s), subnet_az(s)) else {
            continue;
        };
        let e = by_nat.entry(n).or_insert_with(|| Evidence {
            nat: n,
            azs: BTreeSet::new(),
            subnets: Vec::new(),
        });
        e.azs.insert(az.to_string());
        e.subnets.push(s.meta.address.clone());
    }
    by_nat.into_values().filter(|e| e.azs.len() >= 2).collect()
}

pub fn message(ctx: &Ctx<'_>, e: &Evidence) -> String {
    format!(
        "`{}` is the only IPv4 egress of private subnets in {} AZs ({}): {}. If it or its AZ \
         fails, all of them lose internet access. Create one NAT gateway per AZ and route each \
         AZ's subnets to their own.",
        ctx.model.nat_gateway(e.nat).meta.address,
        e.azs.len(),
        e.azs.iter().cloned().collect::<Vec<_>>().join(", "),
        e.subnets
            .iter()
            .map(|s| format!("`{s}`"))
            .collect::<Vec<_>>()
            .join(", ")
    )
}

pub fn check(ctx: &Ctx<'_>) -> Vec<Finding> {
    find(ctx)
        .iter()
        .map(|e| {
            let mut resources = vec![ctx.model.nat_gateway(e.nat).meta.address.clone()];
            resources.extend(e.subnets.iter().cloned());
            Finding::new(&META, message(ctx, e), resources).with_fix("one NAT gateway per AZ")
        })
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::analysis::Reachability;
    use crate::rules::nat_gateway_cross_az::tests::two_az_model;
    use crate::rules::testkit::network;
    use crate::rules::Policy;

    #[test]
    fn fires_when_one_nat_serves_two_azs() {
        let net = network(two_az_model(false));
        let f = check(&Ctx::new(
            &net,
            &Reachability::default(),
            &Policy::default(),
        ));
        assert_eq!(f.len(), 1);
        assert_eq!(
            f[0].resources,
            [
                "aws_nat_gateway.this[0]",
                "aws_subnet.private[0]",
                "aws_subnet.private[1]"
            ]
        );
    }

    #[test]
    fn silent_with_a_nat_per_az() {
        let net = network(two_az_model(true));
        assert!(check(&Ctx::new(
            &net,
            &Reachability::default(),
            &Policy::default()
        ))
        .is_empty());
    }
}
