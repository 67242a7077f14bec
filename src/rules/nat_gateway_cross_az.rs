//! TFVPC301 `nat-gateway-cross-az`: a subnet in one AZ sends its default route to a NAT
//! gateway in another AZ. Documentation: [`HELP`].

use crate::model::{NatGateway, Subnet};
use crate::rules::helpers::{ipv4_default_nat, linked_subnet, subnet_az, subnet_table};
use crate::rules::{Ctx, Finding, RuleMeta, Severity};

pub const HELP: &str = r#"## What it checks
Every subnet whose IPv4 default route (`0.0.0.0/0`) targets a NAT gateway sitting in a
subnet of a *different* availability zone. Subnets or NAT gateways whose AZ is known only
after apply are not checked.

## Why it matters
A NAT gateway is zonal. When its AZ has an outage, every subnet in other AZs that routes
through it loses internet egress too — the failure of one AZ takes down the others, which
is exactly what spreading across AZs was meant to prevent. Traffic also crosses AZs and is
billed for inter-AZ data transfer on top of NAT processing.

## Example (HCL)
```hcl
# Wrong: both private tables use the NAT gateway of AZ a
resource "aws_route" "private_b_default" {
  route_table_id         = aws_route_table.private_b.id
  destination_cidr_block = "0.0.0.0/0"
  nat_gateway_id         = aws_nat_gateway.a.id
}

# Right: one NAT gateway per AZ, each AZ's private table routes to its own
resource "aws_route" "private_b_default" {
  route_table_id         = aws_route_table.private_b.id
  destination_cidr_block = "0.0.0.0/0"
  nat_gateway_id         = aws_nat_gateway.b.id
}
```

## How to fix
Create a NAT gateway in a public subnet of each AZ, and a private route table per AZ whose
default route targets that AZ's NAT gateway. (A single NAT gateway is a deliberate cost
trade-off in non-production: suppress the rule with a reason there.)

## AWS fact
"If the NAT gateway's Availability Zone is down, resources in other AZs lose internet
access. To create an AZ-independent architecture, create a NAT gateway in each AZ and
configure your routing to ensure that resources use the NAT gateway in the same AZ"
(seed 003).
"#;

pub static META: RuleMeta = RuleMeta {
    id: "TFVPC301",
    name: "nat-gateway-cross-az",
    severity: Severity::Warning,
    summary: "A subnet in one AZ sends its default route to a NAT gateway in another AZ",
    help: HELP,
    tags: &["availability", "nat"],
};

pub struct Evidence<'m> {
    pub subnet: &'m Subnet,
    pub subnet_az: String,
    pub table: String,
    pub nat: &'m NatGateway,
    pub nat_az: String,
}

pub fn find<'m>(ctx: &Ctx<'m>) -> Vec<Evidence<'m>> {
    let m = ctx.model;
    let mut out = Vec::new();
    for s in &m.subnets {
        let Some(n) = ipv4_default_nat(m, s) else {
            continue;
        };
        let nat = m.nat_gateway(n);
        let (Some(az), Some(nat_az)) = (
            subnet_az(s),
            linked_subnet(m, &nat.subnet).and_then(subnet_az),
        ) else {
            continue;
        };
        if az != nat_az {
            out.push(Evidence {
                subnet: s,
                subnet_az: az.to_string(),
                table: subnet_table(m, s)
                    .map(|t| t.meta.address.clone())
                    .unwrap_or_default(),
                nat,
                nat_az: nat_az.to_string(),
            });
        }
    }
    out
}

pub fn message(e: &Evidence<'_>) -> String {
    format!(
        "`{}` ({}) sends 0.0.0.0/0 through `{}` to `{}` in {}: if {} fails, this subnet loses \
         internet egress too, and its traffic pays inter-AZ transfer. Route it to a NAT gateway \
         in {}.",
        e.subnet.meta.address,
        e.subnet_az,
        e.table,
        e.nat.meta.address,
        e.nat_az,
        e.nat_az,
        e.subnet_az
    )
}

pub fn check(ctx: &Ctx<'_>) -> Vec<Finding> {
    find(ctx)
        .iter()
        .map(|e| {
            Finding::new(
                &META,
                message(e),
                vec![e.subnet.meta.address.clone(), e.nat.meta.address.clone()],
            )
            .with_fix("use a NAT gateway in the subnet's own AZ")
        })
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
pub(crate) mod tests {
    use super::*;
    use crate::analysis::Reachability;
    use crate::model::{GatewayKind, Model, Target};
    use crate::rules::testkit::{network, to, Builder};
    use crate::rules::Policy;

    /// Two AZs with private subnets; one NAT gateway in AZ a, or one per AZ.
    pub(crate) fn two_az_model(nat_per_az: bool) -> Model {
        let mut b = Builder::new();
        let vpc = b.vpc("aws_vpc.main", "10.0.0.0/16");
        let igw = b.gateway("aws_internet_gateway.main", GatewayKind::Internet, vpc);
        let pub_rt = b.route_table("aws_route_table.public", vpc);
        b.route(pub_rt, "0.0.0.0/0", Target::Gateway(to(igw)));
        let mut nats = Vec::new();
        for (i, az) in ["us-east-1a", "us-east-1b"].iter().enumerate() {
            let p = b.subnet(
                &format!("aws_subnet.public[{i}]"),
                vpc,
                az,
                &format!("10.0.{i}.0/24"),
            );
            b.associate(p, pub_rt);
            if i == 0 || nat_per_az {
                let eip = b.eip(&format!("aws_eip.nat[{i}]"));
                nats.push(b.nat(&format!("aws_nat_gateway.this[{i}]"), p, Some(eip)));
            }
        }
        for (i, az) in ["us-east-1a", "us-east-1b"].iter().enumerate() {
            let s = b.subnet(
                &format!("aws_subnet.private[{i}]"),
                vpc,
                az,
                &format!("10.0.1{i}.0/24"),
            );
            let rt = b.route_table(&format!("aws_route_table.private[{i}]"), vpc);
            b.associate(s, rt);
            let nat = if nat_per_az { nats[i] } else { nats[0] };
            b.route(rt, "0.0.0.0/0", Target::NatGateway(to(nat)));
        }
        b.build()
    }

    #[test]
    fn fires_for_the_subnet_using_another_azs_nat() {
        let net = network(two_az_model(false));
        let f = check(&Ctx::new(
            &net,
            &Reachability::default(),
            &Policy::default(),
        ));
        assert_eq!(f.len(), 1);
        assert_eq!(
            f[0].resources,
            ["aws_subnet.private[1]", "aws_nat_gateway.this[0]"]
        );
        assert!(f[0].message.contains("us-east-1a"));
    }

    #[test]
    fn silent_when_each_az_has_its_own_nat() {
        let net = network(two_az_model(true));
        assert!(check(&Ctx::new(
            &net,
            &Reachability::default(),
            &Policy::default()
        ))
        .is_empty());
    }
}
