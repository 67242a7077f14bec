//! TFVPC104 `nat-gateway-without-eip`: a public NAT gateway has no `allocation_id`.
//! Documentation: [`HELP`].

use crate::model::{Link, NatConnectivity, NatGateway};
use crate::rules::{Ctx, Finding, RuleMeta, Severity};

pub const HELP: &str = r#"## What it checks
Every `aws_nat_gateway` with `connectivity_type = "public"` (the default) and no
`allocation_id`.

## Why it matters
A public NAT gateway translates private addresses to an Elastic IP. Without one, AWS
rejects the NAT gateway at apply, and every private subnet routing `0.0.0.0/0` to it is left
without IPv4 egress. The Elastic IP cannot be changed after creation, so getting it right
first matters.

## Example (HCL)
```hcl
# Wrong: no Elastic IP
resource "aws_nat_gateway" "a" {
  subnet_id = aws_subnet.public_a.id
}

# Right
resource "aws_eip" "nat_a" {
  domain = "vpc"
}
resource "aws_nat_gateway" "a" {
  subnet_id     = aws_subnet.public_a.id
  allocation_id = aws_eip.nat_a.id
}
```

## How to fix
Create an `aws_eip` (`domain = "vpc"`) and set `allocation_id`; or, for a NAT gateway that
only reaches other VPCs or on-premises networks, set `connectivity_type = "private"`.

## AWS fact
A public NAT gateway must have an Elastic IP address, which cannot be changed later
(seed 003; aws-network-semantics.md, "Gateways and endpoints").
"#;

pub static META: RuleMeta = RuleMeta {
    id: "TFVPC104",
    name: "nat-gateway-without-eip",
    severity: Severity::Error,
    summary: "A public NAT gateway has no Elastic IP (allocation_id)",
    help: HELP,
    tags: &["nat", "apply-failure"],
};

pub struct Evidence<'m> {
    pub nat: &'m NatGateway,
}

pub fn find<'m>(ctx: &Ctx<'m>) -> Vec<Evidence<'m>> {
    ctx.model
        .nat_gateways
        .iter()
        .filter(|n| n.connectivity == NatConnectivity::Public && matches!(n.allocation, Link::None))
        .map(|nat| Evidence { nat })
        .collect()
}

pub fn message(e: &Evidence<'_>) -> String {
    format!(
        "`{}` is a public NAT gateway without `allocation_id`: AWS rejects it at apply, and the \
         subnets routing to it get no IPv4 egress. Give it an `aws_eip` (`domain = \"vpc\"`), \
         or set `connectivity_type = \"private\"` if it should not reach the internet.",
        e.nat.meta.address
    )
}

pub fn check(ctx: &Ctx<'_>) -> Vec<Finding> {
    find(ctx)
        .iter()
        .map(|e| {
            Finding::new(&META, message(e), vec![e.nat.meta.address.clone()])
                .with_fix("set `allocation_id = aws_eip.<name>.id`")
        })
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::analysis::Reachability;
    use crate::rules::testkit::{network, Builder};
    use crate::rules::Policy;

    fn run(eip: bool, private: bool) -> Vec<Finding> {
        let mut b = Builder::new();
        let vpc = b.vpc("aws_vpc.main", "10.0.0.0/16");
        let s = b.subnet("aws_subnet.public", vpc, "az1", "10.0.0.0/24");
        let e = eip.then(|| b.eip("aws_eip.nat"));
        let n = b.nat("aws_nat_gateway.a", s, e);
        if private {
            b.m.nat_gateways[n.index()].connectivity = NatConnectivity::Private;
        }
        let net = network(b.build());
        check(&Ctx::new(
            &net,
            &Reachability::default(),
            &Policy::default(),
        ))
    }

    #[test]
    fn fires_without_eip() {
        let f = run(false, false);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].resources, ["aws_nat_gateway.a"]);
    }

    #[test]
    fn silent_with_eip_or_private_connectivity() {
        assert!(run(true, false).is_empty());
        assert!(run(false, true).is_empty());
    }
}
