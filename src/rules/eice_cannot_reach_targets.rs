//! TFVPC205 `eice-cannot-reach-targets`: an EC2 Instance Connect Endpoint whose security
//! group, or its targets' security groups, do not allow SSH/RDP to the instances of its VPC.
//! Documentation: [`HELP`].

use crate::model::{
    AnyBlock, Block, InstanceConnectEndpoint, Ipv4Net, Model, Protocol, SecurityGroupId, SgPeer,
    SgRule,
};
use crate::rules::helpers::covers_tcp;
use crate::rules::{Ctx, Finding, RuleMeta, Severity};

pub const HELP: &str = r#"## What it checks
Every `aws_ec2_instance_connect_endpoint` (EICE), against the instances of its VPC:
- the EICE's security groups must allow **egress** TCP 22 or 3389 to them (by CIDR covering
  their subnet, or by their security group); Terraform removes the default allow-all egress
  of an `aws_security_group` that declares none;
- at least one instance's security groups must allow **ingress** TCP 22 or 3389 from the
  EICE (its security group, or a CIDR covering the EICE's subnet).

An EICE with no security group uses the VPC's default group and is not checked; CIDRs known
only after apply are assumed to match.

## Why it matters
The endpoint is created and looks healthy, but `aws ec2-instance-connect ssh` times out: it
is the most common EICE support case. Since the EICE replaces a bastion, nobody can get in.

## Example (HCL)
```hcl
resource "aws_security_group" "eice" {
  vpc_id = aws_vpc.main.id
  egress {
    protocol        = "tcp"
    from_port       = 22
    to_port         = 22
    security_groups = [aws_security_group.app.id]
  }
}
resource "aws_security_group_rule" "app_ssh_from_eice" {
  type                     = "ingress"
  security_group_id        = aws_security_group.app.id
  protocol                 = "tcp"
  from_port                = 22
  to_port                  = 22
  source_security_group_id = aws_security_group.eice.id
}
```

## How to fix
Give the EICE's security group egress on 22/3389 to the targets, and the targets' security
groups ingress on 22/3389 from the EICE's security group.

## AWS fact
An EC2 Instance Connect Endpoint is an identity-aware TCP proxy with an ENI in one subnet;
its security group and the targets' security groups must allow it (seed 004;
aws-network-semantics.md, "Gateways and endpoints").
"#;

pub static META: RuleMeta = RuleMeta {
    id: "TFVPC205",
    name: "eice-cannot-reach-targets",
    severity: Severity::Warning,
    summary: "An EC2 Instance Connect Endpoint's or its targets' security groups do not allow SSH/RDP between them",
    help: HELP,
    tags: &["eice", "security-group"],
};

pub enum Problem {
    /// The EICE's groups allow no egress on 22/3389 to any target.
    NoEgress,
    /// No target admits 22/3389 from the EICE.
    NoTargetAdmits,
}

pub struct Evidence<'m> {
    pub eice: &'m InstanceConnectEndpoint,
    pub problem: Problem,
    pub targets: Vec<String>,
}

fn admin_port(r: &SgRule) -> bool {
    covers_tcp(r.protocol)
        && (r.protocol == Protocol::All || r.ports.contains(22) || r.ports.contains(3389))
}

fn cidr_covers(b: &AnyBlock, net: Option<&Ipv4Net>) -> bool {
    match (b, net) {
        (AnyBlock::V4(Block::Known(c)), Some(n)) => c.contains(n),
        (AnyBlock::V4(Block::Unknown(_)), _) => true,
        _ => false,
    }
}

pub fn find<'m>(ctx: &Ctx<'m>) -> Vec<Evidence<'m>> {
    let m = ctx.model;
    let mut out = Vec::new();
    for eice in &m.instance_connect_endpoints {
        let Some(eice_subnet) = eice.subnet.id().map(|s| m.subnet(s)) else {
            continue;
        };
        let Some(vpc) = eice_subnet.vpc.id() else {
            continue;
        };
        let eice_sgs: Vec<SecurityGroupId> =
            eice.security_groups.iter().filter_map(|l| l.id()).collect();
        if eice_sgs.is_empty() || eice_sgs.len() != eice.security_groups.len() {
            continue;
        }
        let eice_net = eice_subnet.ipv4.as_ref().and_then(|b| b.known());
        let targets: Vec<_> = m
            .workloads
            .iter()
            .filter(|w| w.kind.is_ec2_instance())
            .filter(|w| {
                w.subnet
                    .id()
                    .is_some_and(|s| m.subnet(s).vpc.id() == Some(vpc))
            })
            .collect();
        if targets.is_empty() {
            continue;
        }
        let names: Vec<String> = targets.iter().map(|w| w.meta.address.clone()).collect();
        // Egress: some EICE group rule reaches some target.
        let egress_ok = targets.iter().any(|w| {
            let tnet = w
                .subnet
                .id()
                .and_then(|s| m.subnet(s).ipv4.as_ref().and_then(|b| b.known()));
            eice_sgs.iter().any(|g| {
                m.group_rules(*g, true)
                    .filter(|r| admin_port(r))
                    .any(|r| match &r.peer {
                        SgPeer::Cidr(b) => cidr_covers(b, tnet),
                        SgPeer::Group(l) => unresolved_or_in(l.id(), &target_sgs(m, w)),
                        SgPeer::PrefixList(_) => true,
                        SgPeer::SelfGroup => target_sgs(m, w).contains(g),
                    })
            })
        });
        if !egress_ok {
            out.push(Evidence {
                eice,
                problem: Problem::NoEgress,
                targets: names,
            });
            continue;
        }
        let some_target_admits = targets.iter().any(|w| {
            // A group tfvpc cannot resolve might admit it.
            w.all_security_groups().any(|l| l.id().is_none())
                || target_sgs(m, w).into_iter().any(|g| {
                    m.group_rules(g, false)
                        .filter(|r| admin_port(r))
                        .any(|r| match &r.peer {
                            SgPeer::Cidr(b) => cidr_covers(b, eice_net),
                            SgPeer::Group(l) => unresolved_or_in(l.id(), &eice_sgs),
                            SgPeer::PrefixList(_) => true,
                            SgPeer::SelfGroup => eice_sgs.contains(&g),
                        })
                })
        });
        if !some_target_admits {
            out.push(Evidence {
                eice,
                problem: Problem::NoTargetAdmits,
                targets: names,
            });
        }
    }
    out
}

/// Whether a group reference matches one of these groups; an unresolved one counts as a
/// match (tfvpc cannot tell, so it stays silent).
fn unresolved_or_in(g: Option<SecurityGroupId>, ids: &[SecurityGroupId]) -> bool {
    g.map_or(true, |g| ids.contains(&g))
}

fn target_sgs(m: &Model, w: &crate::model::Workload) -> Vec<SecurityGroupId> {
    m.workload_groups(w)
}

pub fn message(m: &Model, e: &Evidence<'_>) -> String {
    let sgs: Vec<String> = e
        .eice
        .security_groups
        .iter()
        .filter_map(|l| l.id())
        .map(|g| format!("`{}`", m.security_group(g).meta.address))
        .collect();
    let targets = e
        .targets
        .iter()
        .map(|t| format!("`{t}`"))
        .collect::<Vec<_>>()
        .join(", ");
    match e.problem {
        Problem::NoEgress => format!(
            "`{}` cannot reach any instance of its VPC: its security group {} allows no egress \
             on TCP 22 or 3389 to {targets}, so SSH/RDP through the endpoint times out. Add an \
             egress rule on 22/3389 to the targets' security group.",
            e.eice.meta.address,
            sgs.join(", ")
        ),
        Problem::NoTargetAdmits => format!(
            "`{}`: none of the instances of its VPC ({targets}) admits TCP 22 or 3389 from the \
             endpoint's security group {} or its subnet, so SSH/RDP through the endpoint times \
             out. Add an ingress rule on the targets' security group with the EICE's security \
             group as source.",
            e.eice.meta.address,
            sgs.join(", ")
        ),
    }
}

pub fn check(ctx: &Ctx<'_>) -> Vec<Finding> {
    find(ctx)
        .iter()
        .map(|e| {
            let mut resources = vec![e.eice.meta.address.clone()];
            resources.extend(e.targets.iter().cloned());
            Finding::new(&META, message(ctx.model, e), resources)
                .with_fix("allow 22/3389 from the EICE's security group to the targets")
        })
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::analysis::Reachability;
    use crate::model::{Action, Meta};
    use crate::rules::testkit::{network, to, Builder};
    use crate::rules::Policy;

    fn run(eice_egress: bool, target_ingress: bool) -> Vec<Finding> {
        let mut b = Builder::new();
        let vpc = b.vpc("aws_vpc.main", "10.0.0.0/16");
        let s = b.subnet("aws_subnet.private", vpc, "az1", "10.0.1.0/24");
        let eice_sg = b.security_group("aws_security_group.eice", vpc);
        let app_sg = b.security_group("aws_security_group.app", vpc);
        if eice_egress {
            b.sg_rule(eice_sg, false, 22, 22, SgPeer::Group(to(app_sg)));
        }
        if target_ingress {
            b.sg_rule(app_sg, true, 22, 22, SgPeer::Group(to(eice_sg)));
        }
        b.instance("aws_instance.app", s, &[app_sg]);
        b.m.instance_connect_endpoints
            .push(InstanceConnectEndpoint {
                meta: Meta {
                    address: "aws_ec2_instance_connect_endpoint.this".into(),
                    action: Action::Create,
                    id: None,
                    tags: Default::default(),
                },
                subnet: to(s),
                security_groups: vec![to(eice_sg)],
                preserve_client_ip: false,
            });
        let net = network(b.build());
        check(&Ctx::new(
            &net,
            &Reachability::default(),
            &Policy::default(),
        ))
    }

    #[test]
    fn fires_when_the_eice_group_has_no_egress() {
        let f = run(false, true);
        assert_eq!(f.len(), 1);
        assert!(f[0].message.contains("allows no egress"));
    }

    #[test]
    fn fires_when_no_target_admits_the_eice() {
        let f = run(true, false);
        assert_eq!(f.len(), 1);
        assert_eq!(
            f[0].resources,
            ["aws_ec2_instance_connect_endpoint.this", "aws_instance.app"]
        );
    }

    #[test]
    fn silent_when_both_sides_allow_ssh() {
        assert!(run(true, true).is_empty());
    }
}
