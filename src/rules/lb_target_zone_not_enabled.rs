//! TFVPC306 `lb-target-in-zone-not-enabled`: a load balancer target runs in an
//! Availability Zone where the load balancer has no subnet. Documentation: [`HELP`].

use std::collections::{BTreeMap, BTreeSet};

use crate::rules::helpers::{linked_subnet, subnet_az};
use crate::rules::{Ctx, Finding, RuleMeta, Severity};

pub const HELP: &str = r#"## What it checks
Every workload registered as a load balancer target (by `aws_lb_target_group_attachment`,
an Auto Scaling group's `target_group_arns` or `load_balancers`,
`aws_autoscaling_attachment`, an ECS service's `load_balancer` block, a Classic Load
Balancer's `instances` or `aws_elb_attachment`) whose subnet is in an Availability Zone
where none of the load balancer's subnets is. An Auto Scaling group or ECS service is one
workload per subnet, so the subnets of the fleet outside the load balancer's zones are
named. Subnets whose zone is known only after apply are skipped, and so are load
balancers that only may forward to the target (a listener, listener rule or registration
whose link is known only after apply): a way that may not be there is no evidence of a zone
left out. So is a load balancer with a subnet whose zone is not known: it may be the
target's.

## Why it matters
Elastic Load Balancing puts one node in each Availability Zone the load balancer enables
(one per subnet), and a target in a zone it does not enable receives no traffic, with or
without cross-zone load balancing. The target is registered, the plan applies, and part
of the fleet sits idle while the rest carries the load — or, with one target, the service
is down.

## Example (HCL)
```hcl
# Wrong: the load balancer enables us-east-1a and us-east-1b, the instances also run in
# us-east-1c
resource "aws_lb" "web" {
  subnets = [aws_subnet.public["us-east-1a"].id, aws_subnet.public["us-east-1b"].id]
}
resource "aws_autoscaling_group" "app" {
  vpc_zone_identifier = values(aws_subnet.private)[*].id # three zones
  target_group_arns   = [aws_lb_target_group.app.arn]
}

# Right: one load balancer subnet in every zone of the targets
resource "aws_lb" "web" {
  subnets = values(aws_subnet.public)[*].id
}
```

## How to fix
Give the load balancer a subnet in each zone its targets run in, or keep the targets in
the load balancer's zones.

## AWS fact
When you enable an Availability Zone for a load balancer, Elastic Load Balancing creates
a load balancer node there; targets registered in an Availability Zone that is not enabled
do not receive traffic (Elastic Load Balancing, "Availability Zones and load balancer
nodes").
"#;

pub static META: RuleMeta = RuleMeta {
    id: "TFVPC306",
    name: "lb-target-in-zone-not-enabled",
    severity: Severity::Warning,
    summary: "A load balancer target runs in an Availability Zone where the load balancer has no subnet, so it receives no traffic",
    help: HELP,
    tags: &["load-balancer", "availability"],
};

pub struct Evidence {
    pub registered_by: String,
    pub lb: String,
    /// The load balancer's zones.
    pub zones: BTreeSet<String>,
    /// (target workload, its zone)
    pub targets: Vec<(String, String)>,
}

pub fn find(ctx: &Ctx<'_>) -> Vec<Evidence> {
    let m = ctx.model;
    let mut by_key: BTreeMap<(String, String), Evidence> = BTreeMap::new();
    for w in m.workloads.iter().filter(|w| !w.behind.is_empty()) {
        let Some(zone) = linked_subnet(m, &w.subnet).and_then(subnet_az) else {
            continue;
        };
        // A way that may not be there is no evidence of a zone left out.
        for f in w.behind.iter().filter(|f| f.unsure.is_none()) {
            let nodes = m.load_balancer_nodes(&f.load_balancer);
            let zones: Option<BTreeSet<String>> = nodes
                .iter()
                .map(|n| {
                    linked_subnet(m, &n.subnet)
                        .and_then(subnet_az)
                        .map(str::to_string)
                })
                .collect();
            // A node whose zone is not known may be in the target's.
            let Some(zones) = zones.filter(|z| !z.is_empty()) else {
                continue;
            };
            if zones.contains(zone) {
                continue;
            }
            let e = by_key
                .entry((f.registered_by.clone(), f.load_balancer.clone()))
                .or_insert_with(|| Evidence {
                    registered_by: f.registered_by.clone(),
                    lb: f.load_balancer.clone(),
                    zones,
                    targets: Vec::new(),
                });
            let target = (w.meta.address.clone(), zone.to_string());
            if !e.targets.contains(&target) {
                e.targets.push(target);
            }
        }
    }
    by_key.into_values().collect()
}

pub fn message(e: &Evidence) -> String {
    let targets: Vec<String> = e
        .targets
        .iter()
        .map(|(w, z)| format!("`{w}` ({z})"))
        .collect();
    let zones: Vec<&str> = e.zones.iter().map(String::as_str).collect();
    let (verb, it) = if targets.len() == 1 {
        ("runs", "it receives")
    } else {
        ("run", "they receive")
    };
    format!(
        "`{}` registers {} with `{}`, which has subnets in {} only: {} {verb} in a zone the \
         load balancer does not enable, so {it} no traffic from it. Give the load balancer \
         a subnet in that zone, or keep the targets in its zones.",
        e.registered_by,
        if targets.len() == 1 {
            "a target"
        } else {
            "targets"
        },
        e.lb,
        zones.join(", "),
        targets.join(", "),
    )
}

pub fn check(ctx: &Ctx<'_>) -> Vec<Finding> {
    find(ctx)
        .iter()
        .map(|e| {
            let mut resources = vec![e.registered_by.clone(), e.lb.clone()];
            resources.extend(e.targets.iter().map(|(w, _)| w.clone()));
            resources.dedup();
            Finding::new(&META, message(e), resources)
                .with_fix("give the load balancer a subnet in every zone of its targets")
        })
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::analysis::Reachability;
    use crate::model::{Forwarder, Protocol, WorkloadKind};
    use crate::rules::testkit::{network, Builder};
    use crate::rules::Policy;

    /// A load balancer in zones `lb_zones` and a target in `target_zone`.
    fn run(lb_zones: &[&str], target_zone: &str) -> Vec<Finding> {
        let mut b = Builder::new();
        let vpc = b.vpc("aws_vpc.main", "10.0.0.0/16");
        let t = b.subnet("aws_subnet.t", vpc, target_zone, "10.0.100.0/24");
        let app = b.instance("aws_instance.app", t, &[]);
        for (i, z) in lb_zones.iter().enumerate() {
            let s = b.subnet(
                &format!("aws_subnet.p{i}"),
                vpc,
                z,
                &format!("10.0.{i}.0/24"),
            );
            let node = b.instance(&format!("aws_lb.web (aws_subnet.p{i})"), s, &[]);
            b.m.workloads[node.index()].kind = WorkloadKind::LoadBalancer;
        }
        b.m.workloads[app.index()].behind.push(Forwarder {
            load_balancer: "aws_lb.web".to_string(),
            listener: "aws_lb_listener.web".to_string(),
            rule: None,
            sources: Vec::new(),
            listener_protocol: Protocol::Tcp,
            listener_port: Some(443),
            target_group: "aws_lb_target_group.app".to_string(),
            protocol: Protocol::Tcp,
            port: Ok(8080),
            client_address: None,
            registered_by: "aws_lb_target_group_attachment.app".to_string(),
            cross_zone: true,
            target_family: crate::model::Family::Ipv4,
            health_check_port: None,
            unsure: None,
        });
        let net = network(b.build());
        check(&Ctx::new(
            &net,
            &Reachability::default(),
            &Policy::default(),
        ))
    }

    #[test]
    fn fires_for_a_target_outside_the_load_balancers_zones() {
        let f = run(&["us-east-1a", "us-east-1b"], "us-east-1c");
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(
            f[0].resources,
            [
                "aws_lb_target_group_attachment.app",
                "aws_lb.web",
                "aws_instance.app"
            ]
        );
        assert!(
            f[0].message.contains(
                "subnets in us-east-1a, us-east-1b only: `aws_instance.app` (us-east-1c) runs"
            ),
            "{}",
            f[0].message
        );
    }

    #[test]
    fn silent_when_a_subnet_of_the_load_balancer_is_in_the_targets_zone() {
        assert!(run(&["us-east-1a", "us-east-1c"], "us-east-1c").is_empty());
    }
}
