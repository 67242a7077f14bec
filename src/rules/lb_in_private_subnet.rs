//! TFVPC111 `internet-facing-load-balancer-in-private-subnet`: an internet-facing load
//! balancer has a subnet whose route table has no default route to an internet gateway.
//! Documentation: [`HELP`].

use crate::model::WorkloadKind;
use crate::rules::helpers::{
    linked_subnet, no_igw_default, subnet_table_id, unplaced_ipv4_defaults,
};
use crate::rules::{Ctx, Finding, RuleMeta, Severity};

pub const HELP: &str = r#"## What it checks
Every internet-facing load balancer (`aws_lb`, `aws_alb` or `aws_elb` without
`internal = true`) with a subnet whose route table (explicit or the VPC's main table) has
no `0.0.0.0/0` route to an internet gateway. When the subnet's table or its default
route's target cannot be resolved at plan time, the rule stays silent for that subnet.

## Why it matters
An internet-facing load balancer puts a node with a public address in each of its
subnets, and its DNS name answers with all of them. A node in a subnet without a route to
an internet gateway receives the request but cannot send the reply: clients that resolve
to it time out, the others do not. Apply succeeds, and the failure looks intermittent.

## Example (HCL)
```hcl
# Wrong: internet-facing, in the private subnets
resource "aws_lb" "web" {
  subnets         = aws_subnet.private[*].id
  security_groups = [aws_security_group.web.id]
}

# Right: the public subnets (0.0.0.0/0 to the internet gateway); the targets stay private
resource "aws_lb" "web" {
  subnets         = aws_subnet.public[*].id
  security_groups = [aws_security_group.web.id]
}
```

## How to fix
Give the load balancer public subnets, or route the subnet's `0.0.0.0/0` to the VPC's
internet gateway; if it should serve the VPC only, make it internal (`internal = true`).

## AWS fact
The nodes of an internet-facing load balancer have public IP addresses and route requests
from clients over the internet (Elastic Load Balancing, "Scheme"); traffic to and from
the internet goes through an internet gateway named by the subnet's route table
(aws-network-semantics.md, "Gateways and endpoints").
"#;

pub static META: RuleMeta = RuleMeta {
    id: "TFVPC111",
    name: "internet-facing-load-balancer-in-private-subnet",
    severity: Severity::Error,
    summary:
        "An internet-facing load balancer has a subnet with no default route to an internet gateway",
    help: HELP,
    tags: &["load-balancer", "outage"],
};

pub struct Evidence {
    /// The load balancer's address.
    pub lb: String,
    pub subnet: String,
    pub table: String,
    /// What the table's IPv4 default route targets instead, if it has one.
    pub default_target: Option<String>,
}

pub fn find(ctx: &Ctx<'_>) -> Vec<Evidence> {
    let m = ctx.model;
    let unplaced = unplaced_ipv4_defaults(m);
    let mut out = Vec::new();
    for w in m.workloads.iter().filter(|w| {
        w.kind == WorkloadKind::LoadBalancer
            && w.internal.is_none()
            && !matches!(w.public_ipv4, crate::model::PublicIpv4::Unknown(_))
    }) {
        // A load balancer with public IPv6 addresses only is left to its IPv6 routes.
        if w.no_public_ipv4().is_some() {
            continue;
        }
        let Some(subnet) = linked_subnet(m, &w.subnet) else {
            continue;
        };
        let Some((id, table)) = subnet_table_id(m, subnet) else {
            continue;
        };
        let Some(default_target) = no_igw_default(m, (id, table), &unplaced) else {
            continue;
        };
        let lb = w
            .meta
            .address
            .strip_suffix(&format!(" ({})", subnet.meta.address))
            .unwrap_or(&w.meta.address);
        out.push(Evidence {
            lb: lb.to_string(),
            subnet: subnet.meta.address.clone(),
            table: table.meta.address.clone(),
            default_target,
        });
    }
    out
}

pub fn message(e: &Evidence) -> String {
    let why = match &e.default_target {
        None => "has no `0.0.0.0/0` route".to_string(),
        Some(t) => format!("sends `0.0.0.0/0` to `{t}`, not to an internet gateway"),
    };
    format!(
        "`{}` is an internet-facing load balancer with a node in `{}`, whose route table `{}` \
         {why}: that node cannot answer clients on the internet, so requests its address \
         receives time out. Use a public subnet, route that table's `0.0.0.0/0` to the \
         internet gateway, or make the load balancer internal.",
        e.lb, e.subnet, e.table
    )
}

pub fn check(ctx: &Ctx<'_>) -> Vec<Finding> {
    find(ctx)
        .iter()
        .map(|e| {
            Finding::new(&META, message(e), vec![e.lb.clone(), e.subnet.clone()])
                .with_fix("give the internet-facing load balancer public subnets")
        })
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::analysis::Reachability;
    use crate::model::PublicIpv4;
    use crate::model::{GatewayKind, Target};
    use crate::rules::testkit::{network, to, Builder};
    use crate::rules::Policy;

    fn run(public: bool, internal: bool) -> Vec<Finding> {
        let mut b = Builder::new();
        let vpc = b.vpc("aws_vpc.main", "10.0.0.0/16");
        let igw = b.gateway("aws_internet_gateway.main", GatewayKind::Internet, vpc);
        let s = b.subnet("aws_subnet.a", vpc, "az1", "10.0.0.0/24");
        let rt = b.route_table("aws_route_table.a", vpc);
        b.associate(s, rt);
        if public {
            b.route(rt, "0.0.0.0/0", Target::Gateway(to(igw)));
        }
        let lb = b.instance("aws_lb.web (aws_subnet.a)", s, &[]);
        let w = &mut b.m.workloads[lb.index()];
        w.kind = WorkloadKind::LoadBalancer;
        w.public_ipv4 = PublicIpv4::Auto;
        if internal {
            w.internal = Some("internal, for a test".to_string());
            w.public_ipv4 = PublicIpv4::Never("internal, for a test".to_string());
        }
        let net = network(b.build());
        check(&Ctx::new(
            &net,
            &Reachability::default(),
            &Policy::default(),
        ))
    }

    #[test]
    fn fires_for_an_internet_facing_load_balancer_in_a_subnet_without_igw_route() {
        let f = run(false, false);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].resources, ["aws_lb.web", "aws_subnet.a"]);
        assert!(
            f[0].message.contains("has no `0.0.0.0/0` route"),
            "{}",
            f[0].message
        );
    }

    #[test]
    fn silent_in_a_public_subnet_or_when_internal() {
        assert!(run(true, false).is_empty());
        assert!(run(false, true).is_empty());
    }
}
