//! TFVPC307 `tgw-appliance-mode-off`: a transit gateway VPC attachment spans several
//! Availability Zones and its subnets send traffic to a stateful appliance, but appliance
//! mode is off. Documentation: [`HELP`].

use std::collections::BTreeSet;

use crate::model::{EndpointKind, Link, Model, Route, Target, TgwAttachment, TgwAttachmentKind};
use crate::rules::helpers::{subnet_az, subnet_table, table_routes, target_name};
use crate::rules::{Ctx, Finding, RuleMeta, Severity};

pub const HELP: &str = r#"## What it checks
Every `aws_ec2_transit_gateway_vpc_attachment` without `appliance_mode_support = "enable"`
whose subnets lie in two or more Availability Zones, and whose subnets' route tables send
traffic to a stateful appliance: a Gateway Load Balancer endpoint, a Network Firewall
endpoint (`aws_networkfirewall_firewall`), or an instance or network interface with
source/destination checking off. That is an inspection VPC: what the transit gateway
delivers there goes through the appliance.

## Why it matters
Without appliance mode, the transit gateway keeps traffic in the Availability Zone it
entered in. A flow between two VPCs whose ends are in different zones then enters the
inspection VPC in one zone and its replies in another: each direction meets a different
appliance, and a stateful one drops the half of the flow it never saw. Connections across
zones hang or reset, and only some of them, which makes it hard to find.

## Example (HCL)
```hcl
# Wrong: the firewall's VPC attachment keeps flows in the zone they arrive in
resource "aws_ec2_transit_gateway_vpc_attachment" "inspection" {
  transit_gateway_id = aws_ec2_transit_gateway.hub.id
  vpc_id             = aws_vpc.inspection.id
  subnet_ids         = aws_subnet.tgw[*].id
}

# Right: both directions of a flow use the same zone of the inspection VPC
resource "aws_ec2_transit_gateway_vpc_attachment" "inspection" {
  transit_gateway_id     = aws_ec2_transit_gateway.hub.id
  vpc_id                 = aws_vpc.inspection.id
  subnet_ids             = aws_subnet.tgw[*].id
  appliance_mode_support = "enable"
}
```

## How to fix
Set `appliance_mode_support = "enable"` on the attachment of the VPC the appliances are in.

## AWS fact
A GWLB endpoint sends traffic through appliances (aws-network-semantics.md, "Gateways and
endpoints"). A Network Firewall endpoint is such a stateful appliance; appliance mode makes
the transit gateway use the same Availability Zone for a VPC attachment for the lifetime
of a flow, and AWS requires it on the attachment of a VPC whose firewall endpoints filter
traffic of other zones (AWS Network Firewall Developer Guide, "Transit gateway attachment
configuration").
"#;

pub static META: RuleMeta = RuleMeta {
    id: "TFVPC307",
    name: "tgw-appliance-mode-off",
    severity: Severity::Warning,
    summary: "A transit gateway attachment across several AZs sends traffic to a stateful appliance without appliance mode",
    help: HELP,
    tags: &["transit-gateway", "inspection", "outage"],
};

pub struct Evidence<'m> {
    pub attachment: &'m TgwAttachment,
    pub azs: Vec<String>,
    /// The first route of an attachment subnet's table to an appliance.
    pub route: &'m Route,
    pub appliance: String,
}

/// Whether a route target is a stateful appliance: a Gateway Load Balancer or Network
/// Firewall endpoint, or an instance or interface that forwards others' traffic.
fn is_appliance(m: &Model, target: &Target) -> bool {
    match target {
        Target::Endpoint(Link::To(e, _)) => {
            m.endpoint(*e).kind == EndpointKind::GatewayLoadBalancer
        }
        Target::Workload(Link::To(w, _)) => !m.workload(*w).source_dest_check,
        _ => false,
    }
}

pub fn find<'m>(ctx: &Ctx<'m>) -> Vec<Evidence<'m>> {
    let m = ctx.model;
    let mut out = Vec::new();
    for a in &m.tgw_attachments {
        let TgwAttachmentKind::Vpc {
            subnets,
            appliance_mode: false,
            ..
        } = &a.kind
        else {
            continue;
        };
        let subnets: Vec<_> = subnets
            .iter()
            .filter_map(|l| l.id().map(|s| m.subnet(s)))
            .collect();
        let azs: BTreeSet<&str> = subnets.iter().filter_map(|s| subnet_az(s)).collect();
        if azs.len() < 2 {
            continue;
        }
        let route = subnets
            .iter()
            .filter_map(|s| subnet_table(m, s))
            .flat_map(|t| table_routes(m, t))
            .find(|r| is_appliance(m, &r.target));
        if let Some(route) = route {
            out.push(Evidence {
                attachment: a,
                azs: azs.iter().map(|z| z.to_string()).collect(),
                route,
                appliance: target_name(m, &route.target),
            });
        }
    }
    out
}

pub fn message(e: &Evidence<'_>) -> String {
    format!(
        "`{}` attaches subnets in {} whose traffic goes through the stateful appliance `{}` \
         (`{}`), but appliance mode is off: the transit gateway keeps each direction of a \
         flow in the zone it enters, so a flow between zones meets a different appliance \
         each way and is dropped. Set appliance_mode_support = \"enable\".",
        e.attachment.meta.address,
        e.azs.join(", "),
        e.appliance,
        e.route.address,
    )
}

pub fn check(ctx: &Ctx<'_>) -> Vec<Finding> {
    find(ctx)
        .iter()
        .map(|e| {
            Finding::new(
                &META,
                message(e),
                vec![e.attachment.meta.address.clone(), e.route.address.clone()],
            )
            .with_fix("set appliance_mode_support = \"enable\" on the attachment")
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

    /// An inspection VPC: a firewall endpoint, and the attachment subnets' table sending
    /// everything to it.
    fn run(both_azs: bool, appliance_mode: bool, to_firewall: bool) -> Vec<Finding> {
        let mut b = Builder::new();
        let vpc = b.vpc("aws_vpc.inspection", "10.100.0.0/16");
        let tgw = b.transit_gateway("aws_ec2_transit_gateway.hub");
        let fw = b.endpoint(
            "aws_networkfirewall_firewall.main",
            vpc,
            EndpointKind::GatewayLoadBalancer,
            "network-firewall",
        );
        let rt = b.route_table("aws_route_table.tgw", vpc);
        let target = if to_firewall {
            Target::Endpoint(to(fw))
        } else {
            Target::TransitGateway(to(tgw))
        };
        b.route(rt, "0.0.0.0/0", target);
        let a = b.subnet("aws_subnet.tgw[0]", vpc, "az-a", "10.100.0.0/28");
        let bb = b.subnet("aws_subnet.tgw[1]", vpc, "az-b", "10.100.0.16/28");
        b.associate(a, rt);
        b.associate(bb, rt);
        let subnets = if both_azs { vec![a, bb] } else { vec![a] };
        b.tgw_vpc_attachment(
            "aws_ec2_transit_gateway_vpc_attachment.inspection",
            tgw,
            vpc,
            &subnets,
        );
        let mut model = b.build();
        if let TgwAttachmentKind::Vpc {
            appliance_mode: m, ..
        } = &mut model.tgw_attachments[0].kind
        {
            *m = appliance_mode;
        }
        let net = network(model);
        check(&Ctx::new(
            &net,
            &Reachability::default(),
            &Policy::default(),
        ))
    }

    #[test]
    fn fires_on_a_multi_az_inspection_attachment_without_appliance_mode() {
        let f = run(true, false, true);
        assert_eq!(f.len(), 1);
        assert_eq!(
            f[0].resources,
            [
                "aws_ec2_transit_gateway_vpc_attachment.inspection",
                "aws_route_table.tgw route[0]"
            ]
        );
        assert!(f[0].message.contains("az-a, az-b"), "{}", f[0].message);
        assert!(
            f[0].message.contains("`aws_networkfirewall_firewall.main`"),
            "{}",
            f[0].message
        );
    }

    #[test]
    fn silent_with_appliance_mode_one_zone_or_no_appliance() {
        assert!(run(true, true, true).is_empty());
        assert!(run(false, false, true).is_empty());
        assert!(run(true, false, false).is_empty());
    }
}
