//! TFVPC204 `nat-instance-as-open-bastion`: a NAT instance (`source_dest_check = false`)
//! admits SSH from the internet. Documentation: [`HELP`].

use crate::analysis::Verdict;
use crate::model::{Family, GatewayKind, PublicIpv4, Workload};
use crate::rules::helpers::{default_route, gateway_kind, path, sg_open_to_world, subnet_table};
use crate::rules::{Ctx, Finding, RuleMeta, Severity};

pub const HELP: &str = r#"## What it checks
Every instance or network interface with `source_dest_check = false` (a NAT instance or
appliance) whose security group admits TCP 22 from `0.0.0.0/0` or `::/0`, in a subnet the
internet can reach: per the reachability engine when it computed `internet → subnet`, else
because the subnet routes `0.0.0.0/0` to an internet gateway and the instance has a public
IPv4 address.

## Why it matters
A NAT instance forwards the private subnets' traffic, so it is trusted by every route table
pointing at it. Leaving SSH open to the world turns it into an internet-facing bastion: a
compromise gives the attacker a foothold that can see and alter all private egress.

## Example (HCL)
```hcl
resource "aws_instance" "nat" {
  ami                    = data.aws_ami.nat.id
  instance_type          = "t3.micro"
  subnet_id              = aws_subnet.public.id
  source_dest_check      = false
  vpc_security_group_ids = [aws_security_group.nat.id]
}
resource "aws_security_group" "nat" {
  vpc_id = aws_vpc.main.id
  ingress {                      # forwarded traffic from the private subnets: keep
    protocol    = "-1"
    from_port   = 0
    to_port     = 0
    cidr_blocks = [aws_vpc.main.cidr_block]
  }
  # Wrong: remove this
  # ingress { protocol = "tcp", from_port = 22, to_port = 22, cidr_blocks = ["0.0.0.0/0"] }
}
```

## How to fix
Drop the world-open SSH rule; administer the instance through Session Manager or an EC2
Instance Connect Endpoint. Better, replace the NAT instance with a managed NAT gateway.

## AWS fact
A NAT instance is an EC2 instance with source/destination checking disabled in a public
subnet; it supports security groups and "can be used as a bastion" (seed 003;
aws-network-semantics.md, "Gateways and endpoints").
"#;

pub static META: RuleMeta = RuleMeta {
    id: "TFVPC204",
    name: "nat-instance-as-open-bastion",
    severity: Severity::Warning,
    summary: "A NAT instance (source_dest_check off) admits SSH from the internet",
    help: HELP,
    tags: &["exposure", "nat"],
};

pub struct Evidence<'m> {
    pub instance: &'m Workload,
    pub subnet: String,
    pub rules: Vec<String>,
    pub path: Vec<String>,
}

pub fn find<'m>(ctx: &Ctx<'m>) -> Vec<Evidence<'m>> {
    let m = ctx.model;
    let mut out = Vec::new();
    for w in m.workloads.iter().filter(|w| !w.source_dest_check) {
        let Some(subnet) = w.subnet.id().map(|s| m.subnet(s)) else {
            continue;
        };
        let open: Vec<(String, Family)> = m
            .workload_groups(w)
            .into_iter()
            .flat_map(|g| sg_open_to_world(m, m.security_group(g), 22))
            .map(|(r, f)| (r.address.clone(), f))
            .collect();
        let mut rules = Vec::new();
        let mut evidence_path = None;
        for (rule, family) in open {
            if family == Family::Ipv4 && matches!(w.public_ipv4, PublicIpv4::Never(_)) {
                continue;
            }
            let reachable = match path(ctx.reach, "internet", &subnet.meta.address, family) {
                Some(r) => {
                    (r.verdict != Verdict::Blocked).then(|| crate::analysis::to_strings(&r.path))
                }
                None => {
                    let igw = subnet_table(m, subnet)
                        .and_then(|t| default_route(m, t, family))
                        .is_some_and(|r| gateway_kind(m, &r.target) == Some(GatewayKind::Internet));
                    let public = family == Family::Ipv6
                        || subnet.map_public_ip_on_launch
                        || matches!(w.public_ipv4, PublicIpv4::Auto | PublicIpv4::Eip(_));
                    (igw && public).then(Vec::new)
                }
            };
            if let Some(p) = reachable {
                rules.push(rule);
                evidence_path.get_or_insert(p);
            }
        }
        if !rules.is_empty() {
            out.push(Evidence {
                instance: w,
                subnet: subnet.meta.address.clone(),
                rules,
                path: evidence_path.unwrap_or_default(),
            });
        }
    }
    out
}

pub fn message(e: &Evidence<'_>) -> String {
    format!(
        "`{}` is a NAT instance (source_dest_check = false) in `{}` whose security group admits \
         SSH from the whole internet ({}): it doubles as an open bastion trusted by every \
         private subnet routing through it. Drop the rule and use Session Manager or an EC2 \
         Instance Connect Endpoint — or replace it with a NAT gateway.",
        e.instance.meta.address,
        e.subnet,
        e.rules
            .iter()
            .map(|r| format!("`{r}`"))
            .collect::<Vec<_>>()
            .join(", ")
    )
}

pub fn check(ctx: &Ctx<'_>) -> Vec<Finding> {
    find(ctx)
        .iter()
        .map(|e| {
            let mut resources = vec![e.instance.meta.address.clone()];
            resources.extend(e.rules.iter().cloned());
            Finding::new(&META, message(e), resources)
                .with_path(e.path.clone())
                .with_fix("remove world-open SSH from the NAT instance")
        })
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::analysis::Reachability;
    use crate::model::{SgPeer, Target};
    use crate::rules::testkit::{cidr, network, to, Builder};
    use crate::rules::Policy;

    fn run(nat_instance: bool, ssh_source: &str) -> Vec<Finding> {
        let mut b = Builder::new();
        let vpc = b.vpc("aws_vpc.main", "10.0.0.0/16");
        let igw = b.gateway("aws_internet_gateway.main", GatewayKind::Internet, vpc);
        let s = b.subnet("aws_subnet.public", vpc, "az1", "10.0.0.0/24");
        let rt = b.route_table("aws_route_table.public", vpc);
        b.associate(s, rt);
        b.route(rt, "0.0.0.0/0", Target::Gateway(to(igw)));
        let sg = b.security_group("aws_security_group.nat", vpc);
        b.sg_rule(sg, true, 22, 22, SgPeer::Cidr(cidr(ssh_source)));
        let w = b.instance("aws_instance.nat", s, &[sg]);
        b.m.workloads[w.index()].source_dest_check = !nat_instance;
        b.m.workloads[w.index()].public_ipv4 = PublicIpv4::Auto;
        let net = network(b.build());
        check(&Ctx::new(
            &net,
            &Reachability::default(),
            &Policy::default(),
        ))
    }

    #[test]
    fn fires_on_nat_instance_with_world_ssh() {
        let f = run(true, "0.0.0.0/0");
        assert_eq!(f.len(), 1);
        assert_eq!(
            f[0].resources,
            ["aws_instance.nat", "aws_security_group.nat ingress[0]"]
        );
    }

    #[test]
    fn silent_on_ordinary_instances_and_restricted_ssh() {
        assert!(run(false, "0.0.0.0/0").is_empty());
        assert!(run(true, "10.0.0.0/16").is_empty());
    }
}
