//! TFVPC108 `peering-overlapping-cidrs`: a VPC peering connection joins VPCs whose CIDRs
//! overlap. Documentation: [`HELP`].

use crate::model::Peering;
use crate::rules::helpers::{overlap4, overlap6, vpc_blocks};
use crate::rules::{Ctx, Finding, RuleMeta, Severity};

pub const HELP: &str = r#"## What it checks
Every `aws_vpc_peering_connection` whose requester and accepter VPCs (both in this
configuration) have overlapping CIDR blocks — primary or secondary, IPv4 or IPv6. Blocks
known only after apply are not compared.

## Why it matters
AWS refuses to peer VPCs with overlapping CIDRs: the peering fails at apply (or stays in
`failed`), and the two VPCs cannot talk. Even with only a secondary block overlapping, the
overlapping range can never be routed to the peer.

## Example (HCL)
```hcl
# Wrong: both VPCs use 10.0.0.0/16
resource "aws_vpc" "a" { cidr_block = "10.0.0.0/16" }
resource "aws_vpc" "b" { cidr_block = "10.0.0.0/16" }
resource "aws_vpc_peering_connection" "ab" {
  vpc_id      = aws_vpc.a.id
  peer_vpc_id = aws_vpc.b.id
  auto_accept = true
}

# Right: plan non-overlapping ranges (e.g. 10.0.0.0/16 and 10.1.0.0/16)
resource "aws_vpc" "b" { cidr_block = "10.1.0.0/16" }
```

## How to fix
Re-address one VPC (or drop the overlapping secondary block). If re-addressing is not
possible, connect the networks through a private NAT gateway or PrivateLink instead.

## AWS fact
VPC peering requires non-overlapping CIDRs and is non-transitive (aws-network-semantics.md,
"Gateways and endpoints").
"#;

pub static META: RuleMeta = RuleMeta {
    id: "TFVPC108",
    name: "peering-overlapping-cidrs",
    severity: Severity::Error,
    summary: "A VPC peering connection joins VPCs whose CIDRs overlap",
    help: HELP,
    tags: &["peering", "apply-failure"],
};

pub struct Evidence<'m> {
    pub peering: &'m Peering,
    pub requester: String,
    pub accepter: String,
    /// Overlapping pairs, as text.
    pub overlaps: Vec<(String, String)>,
}

pub fn find<'m>(ctx: &Ctx<'m>) -> Vec<Evidence<'m>> {
    let m = ctx.model;
    let mut out = Vec::new();
    for p in &m.peerings {
        let (Some(a), Some(b)) = (p.requester.id(), p.accepter.id()) else {
            continue;
        };
        let ((a4, a6), (b4, b6)) = (vpc_blocks(m.vpc(a)), vpc_blocks(m.vpc(b)));
        let mut overlaps = Vec::new();
        for x in &a4 {
            for y in b4.iter().filter(|y| overlap4(x, y)) {
                overlaps.push((x.to_string(), y.to_string()));
            }
        }
        for x in &a6 {
            for y in b6.iter().filter(|y| overlap6(x, y)) {
                overlaps.push((x.to_string(), y.to_string()));
            }
        }
        if !overlaps.is_empty() {
            out.push(Evidence {
                peering: p,
                requester: m.vpc(a).meta.address.clone(),
                accepter: m.vpc(b).meta.address.clone(),
                overlaps,
            });
        }
    }
    out
}

pub fn message(e: &Evidence<'_>) -> String {
    let pairs: Vec<String> = e
        .overlaps
        .iter()
        .map(|(a, b)| format!("{a} and {b}"))
        .collect();
    format!(
        "`{}` peers `{}` with `{}`, whose CIDRs overlap ({}): AWS rejects the peering at apply \
         and the overlapping range could never be routed. Re-address one VPC.",
        e.peering.meta.address,
        e.requester,
        e.accepter,
        pairs.join("; ")
    )
}

pub fn check(ctx: &Ctx<'_>) -> Vec<Finding> {
    find(ctx)
        .iter()
        .map(|e| {
            Finding::new(
                &META,
                message(e),
                vec![
                    e.peering.meta.address.clone(),
                    e.requester.clone(),
                    e.accepter.clone(),
                ],
            )
            .with_fix("give the peered VPCs non-overlapping CIDRs")
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

    fn run(b_cidr: &str) -> Vec<Finding> {
        let mut b = Builder::new();
        let va = b.vpc("aws_vpc.a", "10.0.0.0/16");
        let vb = b.vpc("aws_vpc.b", b_cidr);
        b.m.peerings.push(Peering {
            meta: crate::model::Meta {
                address: "aws_vpc_peering_connection.ab".into(),
                action: crate::model::Action::Create,
                id: None,
                tags: Default::default(),
            },
            requester: to(va),
            accepter: to(vb),
            accepted: true,
            accepter_resource: None,
            accept_unknown: None,
            cross_region: crate::model::Val::Known(false),
        });
        let net = network(b.build());
        check(&Ctx::new(
            &net,
            &Reachability::default(),
            &Policy::default(),
        ))
    }

    #[test]
    fn fires_on_overlap() {
        let f = run("10.0.128.0/17");
        assert_eq!(f.len(), 1);
        assert!(f[0].message.contains("10.0.0.0/16 and 10.0.128.0/17"));
    }

    #[test]
    fn silent_when_disjoint() {
        assert!(run("10.1.0.0/16").is_empty());
    }
}
