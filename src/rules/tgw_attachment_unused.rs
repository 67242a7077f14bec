//! TFVPC403 `tgw-attachment-unused`: a VPC is attached to a transit gateway but no route
//! table of that VPC routes to it. Documentation: [`HELP`].

use crate::model::{Link, Target, TgwAttachment, TgwAttachmentKind};
use crate::rules::{Ctx, Finding, RuleMeta, Severity};

pub const HELP: &str = r#"## What it checks
Every transit gateway VPC attachment whose VPC has no route (in any of its route tables)
targeting that transit gateway. A VPC with a route to an unresolved transit gateway is
skipped: it might be this one.

## Why it matters
The attachment is billed per hour, but traffic from the VPC never enters the TGW: the VPC
can receive connections only if replies have a route, which they do not. Usually the routes
were forgotten (the VPC is unexpectedly isolated), or the attachment is left over.

## Example (HCL)
```hcl
resource "aws_ec2_transit_gateway_vpc_attachment" "app" {
  transit_gateway_id = aws_ec2_transit_gateway.hub.id
  vpc_id             = aws_vpc.app.id
  subnet_ids         = aws_subnet.tgw[*].id
}
# Missing: send the other networks' ranges to the TGW
resource "aws_route" "app_to_hub" {
  route_table_id         = aws_route_table.app.id
  destination_cidr_block = "10.0.0.0/8"
  transit_gateway_id     = aws_ec2_transit_gateway.hub.id
}
```

## How to fix
Add routes to the transit gateway in the VPC's route tables, or delete the attachment.

## AWS fact
Both directions need routes: VPC table → TGW, TGW table → attachment, and back
(aws-network-semantics.md, "Gateways and endpoints").
"#;

pub static META: RuleMeta = RuleMeta {
    id: "TFVPC403",
    name: "tgw-attachment-unused",
    severity: Severity::Note,
    summary: "A VPC is attached to a transit gateway but none of its route tables routes to it",
    help: HELP,
    tags: &["cost", "transit-gateway"],
};

pub struct Evidence<'m> {
    pub attachment: &'m TgwAttachment,
    pub vpc: String,
    pub tgw: String,
}

pub fn find<'m>(ctx: &Ctx<'m>) -> Vec<Evidence<'m>> {
    let m = ctx.model;
    // One pass over the routes: which (VPC, TGW) pairs a route uses, and which VPCs have a
    // TGW route whose gateway is unresolved or external (it may be any TGW).
    let mut used_pairs = std::collections::BTreeSet::new();
    let mut any_tgw = std::collections::BTreeSet::new();
    // Gateways a route whose table is not known sends to: it may be any VPC's.
    let mut unplaced_to = std::collections::BTreeSet::new();
    for r in &m.routes {
        if let (Link::Unresolved(_), Target::TransitGateway(g)) = (&r.table, &r.target) {
            unplaced_to.insert(g.id());
        }
        let Some(vpc) = r.table.id().and_then(|t| m.route_table(t).vpc.id()) else {
            continue;
        };
        match &r.target {
            Target::TransitGateway(Link::To(g, _)) => {
                used_pairs.insert((vpc, *g));
            }
            Target::TransitGateway(Link::Unresolved(_) | Link::External(_)) => {
                any_tgw.insert(vpc);
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    for a in &m.tgw_attachments {
        let TgwAttachmentKind::Vpc { vpc, .. } = &a.kind else {
            continue;
        };
        let (Some(vpc), Some(tgw)) = (vpc.id(), a.transit_gateway.id()) else {
            continue;
        };
        let used = used_pairs.contains(&(vpc, tgw))
            || any_tgw.contains(&vpc)
            || unplaced_to.contains(&Some(tgw))
            || unplaced_to.contains(&None);
        if !used {
            out.push(Evidence {
                attachment: a,
                vpc: m.vpc(vpc).meta.address.clone(),
                tgw: m.transit_gateway(tgw).meta.address.clone(),
            });
        }
    }
    out
}

pub fn message(e: &Evidence<'_>) -> String {
    format!(
        "`{}` attaches `{}` to `{}`, but no route table of `{}` routes to the transit gateway: \
         no traffic from the VPC enters it, and replies to traffic arriving through it have no \
         way back. Add routes to the TGW, or delete the attachment.",
        e.attachment.meta.address, e.vpc, e.tgw, e.vpc
    )
}

pub fn check(ctx: &Ctx<'_>) -> Vec<Finding> {
    find(ctx)
        .iter()
        .map(|e| {
            Finding::new(&META, message(e), vec![e.attachment.meta.address.clone()])
                .with_fix("route to the transit gateway from the VPC's tables")
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

    fn run(routed: bool) -> Vec<Finding> {
        let mut b = Builder::new();
        let vpc = b.vpc("aws_vpc.app", "10.0.0.0/16");
        let s = b.subnet("aws_subnet.tgw", vpc, "az-a", "10.0.0.0/28");
        let tgw = b.transit_gateway("aws_ec2_transit_gateway.hub");
        let rt = b.route_table("aws_route_table.app", vpc);
        if routed {
            b.route(rt, "10.0.0.0/8", Target::TransitGateway(to(tgw)));
        }
        b.tgw_vpc_attachment("aws_ec2_transit_gateway_vpc_attachment.app", tgw, vpc, &[s]);
        let net = network(b.build());
        check(&Ctx::new(
            &net,
            &Reachability::default(),
            &Policy::default(),
        ))
    }

    #[test]
    fn fires_when_nothing_routes_to_the_tgw() {
        let f = run(false);
        assert_eq!(f.len(), 1);
        assert_eq!(
            f[0].resources,
            ["aws_ec2_transit_gateway_vpc_attachment.app"]
        );
    }

    #[test]
    fn silent_when_a_table_routes_to_it() {
        assert!(run(true).is_empty());
    }

    /// A route to the gateway whose table is not known may be in any VPC's table.
    #[test]
    fn silent_when_a_route_of_unknown_table_goes_to_it() {
        let mut b = Builder::new();
        let vpc = b.vpc("aws_vpc.app", "10.0.0.0/16");
        let s = b.subnet("aws_subnet.tgw", vpc, "az-a", "10.0.0.0/28");
        let tgw = b.transit_gateway("aws_ec2_transit_gateway.hub");
        let rt = b.route_table("aws_route_table.app", vpc);
        let r = b.route(rt, "10.0.0.0/8", Target::TransitGateway(to(tgw)));
        b.m.route_tables[rt.index()].routes.clear();
        b.m.routes[r.index()].table = Link::Unresolved("not known".into());
        b.tgw_vpc_attachment("aws_ec2_transit_gateway_vpc_attachment.app", tgw, vpc, &[s]);
        let net = network(b.build());
        let f = check(&Ctx::new(
            &net,
            &Reachability::default(),
            &Policy::default(),
        ));
        assert!(f.is_empty(), "{f:?}");
    }
}
