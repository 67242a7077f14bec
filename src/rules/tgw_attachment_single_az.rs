//! TFVPC303 `tgw-attachment-single-az`: a transit gateway VPC attachment lists subnets in one
//! AZ while the VPC has workloads in others. Documentation: [`HELP`].

use std::collections::BTreeSet;

use crate::model::{Link, Target, TgwAttachment, TgwAttachmentKind};
use crate::rules::helpers::{subnet_az, subnet_table, table_routes};
use crate::rules::{Ctx, Finding, RuleMeta, Severity};

pub const HELP: &str = r#"## What it checks
Every `aws_ec2_transit_gateway_vpc_attachment` whose `subnet_ids` all sit in one
availability zone, while the VPC has subnets in other AZs that use the transit gateway
(their route table routes to it) or host instances. AZs known only after apply are skipped.

## Why it matters
A TGW attachment places an interface in each listed subnet's AZ, and traffic from an AZ
without one crosses to the attached AZ. If that AZ fails, the whole VPC is cut off from the
transit gateway — every peer VPC, VPN and Direct Connect path at once.

## Example (HCL)
```hcl
# Wrong: one subnet, one AZ
resource "aws_ec2_transit_gateway_vpc_attachment" "app" {
  transit_gateway_id = aws_ec2_transit_gateway.hub.id
  vpc_id             = aws_vpc.app.id
  subnet_ids         = [aws_subnet.tgw[0].id]
}

# Right: one subnet in every AZ the VPC uses
resource "aws_ec2_transit_gateway_vpc_attachment" "app" {
  transit_gateway_id = aws_ec2_transit_gateway.hub.id
  vpc_id             = aws_vpc.app.id
  subnet_ids         = aws_subnet.tgw[*].id
}
```

## How to fix
List one subnet per AZ in which the VPC has workloads (small dedicated `/28` subnets are
the usual practice).

## AWS fact
VPC attachments name subnets, one per AZ; the attachment serves the AZs of those subnets
(aws-network-semantics.md, "Gateways and endpoints").
"#;

pub static META: RuleMeta = RuleMeta {
    id: "TFVPC303",
    name: "tgw-attachment-single-az",
    severity: Severity::Warning,
    summary: "A transit gateway VPC attachment lists subnets in one AZ while the VPC has workloads in others",
    help: HELP,
    tags: &["availability", "transit-gateway"],
};

pub struct Evidence<'m> {
    pub attachment: &'m TgwAttachment,
    pub az: String,
    pub other: Vec<(String, String)>,
}

pub fn find<'m>(ctx: &Ctx<'m>) -> Vec<Evidence<'m>> {
    let m = ctx.model;
    let mut out = Vec::new();
    for a in &m.tgw_attachments {
        let TgwAttachmentKind::Vpc { vpc, subnets, .. } = &a.kind else {
            continue;
        };
        let (Some(vpc), Some(tgw)) = (vpc.id(), a.transit_gateway.id()) else {
            continue;
        };
        let mut azs = BTreeSet::new();
        for l in subnets {
            match l.id().and_then(|s| subnet_az(m.subnet(s))) {
                Some(az) => {
                    azs.insert(az.to_string());
                }
                None => {
                    azs.clear();
                    break;
                }
            }
        }
        if azs.len() != 1 {
            continue;
        }
        let mut other = Vec::new();
        for (i, s) in m.subnets.iter().enumerate() {
            if s.vpc.id() != Some(vpc) {
                continue;
            }
            let Some(az) = subnet_az(s) else { continue };
            if azs.contains(az) {
                continue;
            }
            let uses_tgw = subnet_table(m, s).is_some_and(|t| {
                table_routes(m, t)
                    .any(|r| matches!(r.target, Target::TransitGateway(Link::To(g, _)) if g == tgw))
            });
            let hosts = m
                .workloads
                .iter()
                .any(|w| w.subnet.id() == Some(crate::model::SubnetId(i as u32)));
            if uses_tgw || hosts {
                other.push((s.meta.address.clone(), az.to_string()));
            }
        }
        if !other.is_empty() {
            out.push(Evidence {
                attachment: a,
                az: azs.into_iter().next().unwrap_or_default(),
                other,
            });
        }
    }
    out
}

pub fn message(e: &Evidence<'_>) -> String {
    let azs: BTreeSet<&str> = e.other.iter().map(|(_, az)| az.as_str()).collect();
    format!(
        "`{}` has subnets in {} only, but the VPC also uses the transit gateway from {} ({}): \
         if {} fails, the whole VPC loses its TGW connectivity. Add one attachment subnet per AZ.",
        e.attachment.meta.address,
        e.az,
        azs.into_iter().collect::<Vec<_>>().join(", "),
        e.other
            .iter()
            .map(|(s, _)| format!("`{s}`"))
            .collect::<Vec<_>>()
            .join(", "),
        e.az
    )
}

pub fn check(ctx: &Ctx<'_>) -> Vec<Finding> {
    find(ctx)
        .iter()
        .map(|e| {
            Finding::new(&META, message(e), vec![e.attachment.meta.address.clone()])
                .with_fix("list one subnet per AZ in the attachment")
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

    fn run(both_azs: bool) -> Vec<Finding> {
        let mut b = Builder::new();
        let vpc = b.vpc("aws_vpc.app", "10.0.0.0/16");
        let tgw = b.transit_gateway("aws_ec2_transit_gateway.hub");
        let rt = b.route_table("aws_route_table.app", vpc);
        b.route(rt, "10.8.0.0/13", Target::TransitGateway(to(tgw)));
        let a = b.subnet("aws_subnet.app[0]", vpc, "az-a", "10.0.0.0/24");
        let bb = b.subnet("aws_subnet.app[1]", vpc, "az-b", "10.0.1.0/24");
        b.associate(a, rt);
        b.associate(bb, rt);
        let subnets = if both_azs { vec![a, bb] } else { vec![a] };
        b.tgw_vpc_attachment(
            "aws_ec2_transit_gateway_vpc_attachment.app",
            tgw,
            vpc,
            &subnets,
        );
        let net = network(b.build());
        check(&Ctx::new(
            &net,
            &Reachability::default(),
            &Policy::default(),
        ))
    }

    #[test]
    fn fires_when_the_attachment_covers_one_az() {
        let f = run(false);
        assert_eq!(f.len(), 1);
        assert!(f[0].message.contains("`aws_subnet.app[1]`"));
    }

    #[test]
    fn silent_when_every_used_az_is_covered() {
        assert!(run(true).is_empty());
    }
}
