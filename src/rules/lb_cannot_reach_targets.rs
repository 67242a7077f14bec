//! TFVPC112 `load-balancer-cannot-reach-targets`: no node of a load balancer can open a
//! connection to a registered target on its target port. Documentation: [`HELP`].

use std::collections::BTreeMap;

use crate::analysis::{self, PathResult, Query, QueryProtocol, Verdict};
use crate::model::{Forwarder, PortRange, Protocol};
use crate::rules::{Ctx, Finding, RuleMeta, Severity};

pub const HELP: &str = r#"## What it checks
Every workload registered as a load balancer target (see TFVPC306 for how targets are
registered), for each load balancer that forwards to it: whether any of the load
balancer's nodes can open a TCP or UDP connection to it on the target port, from the
node's own address — the load balancer's groups' egress, the route and network ACLs
between their subnets, and the target's groups (`tfvpc query --from "LB (SUBNET)" --to
TARGET --port PORT`). It fires when every node is `blocked`, with the hop that drops;
`unknown` answers stay silent. Nodes in an Availability Zone the load balancer's cross-zone
setting does not let forward to the target's are not asked. Nor is a load balancer that
only may forward to the target, through a listener, listener rule or registration whose
link is known only after apply (a module's outputs reached through a `local`, say): a way
that may not be there is no evidence of a target left unreachable.

Health checks are asked too when they use another port than the traffic (the target
group's `health_check` `port`, a Classic Load Balancer's `health_check` `target`), or when
the target group is UDP: HTTP, HTTPS and TCP checks all open a TCP connection. A target the
nodes reach on its traffic port but not on its health check port never turns healthy
either. A target unreachable on its traffic port gets that finding only.

## Why it matters
Health checks and forwarded requests come from the load balancer's nodes. When none of them
can reach the target, the target never turns healthy: an Application Load Balancer answers
502 or 503, a Network Load Balancer resets connections, and the plan applied cleanly. The
usual cause is a target security group that admits the clients' CIDR or the old bastion,
but not the load balancer's security group, or a load balancer group without egress
(Terraform removes AWS's default allow-all egress rule from an `aws_security_group` that
declares none).

## Example (HCL)
```hcl
# Wrong: the application servers admit 8080 from another network only
resource "aws_security_group_rule" "app" {
  type              = "ingress"
  security_group_id = aws_security_group.app.id
  protocol          = "tcp"
  from_port         = 8080
  to_port           = 8080
  cidr_blocks       = ["10.99.0.0/16"]
}

# Right: from the load balancer's security group
resource "aws_security_group_rule" "app" {
  type                     = "ingress"
  security_group_id        = aws_security_group.app.id
  protocol                 = "tcp"
  from_port                = 8080
  to_port                  = 8080
  source_security_group_id = aws_security_group.lb.id
}
```

## How to fix
Admit the target port from the load balancer's security group (or its subnets' CIDRs) in
the target's groups, give the load balancer's group egress to the targets, and let the
network ACLs between them pass the port and the replies.

## AWS fact
Security groups filter the load balancer's own connections to its targets: the target's
group must admit the load balancer, and the load balancer's group must allow the outbound
traffic (aws-network-semantics.md, "Security group").
"#;

pub static META: RuleMeta = RuleMeta {
    id: "TFVPC112",
    name: "load-balancer-cannot-reach-targets",
    severity: Severity::Warning,
    summary:
        "No node of a load balancer can open a connection to a registered target on its target port or health check port",
    help: HELP,
    tags: &["load-balancer", "outage"],
};

pub struct Evidence {
    pub lb: String,
    pub registered_by: String,
    pub target: String,
    pub port: u16,
    pub protocol: Protocol,
    /// For the health checks' port, the traffic port (which the nodes reach).
    pub health_check_of: Option<u16>,
    /// The first node's answer.
    pub answer: PathResult,
}

/// (load balancer, registration, target, port, traffic port when `port` is the health
/// checks')
type Case = (String, String, String, u16, Option<u16>);

pub fn find(ctx: &Ctx<'_>) -> Vec<Evidence> {
    let m = ctx.model;
    // Each (load balancer, registration, target, port), with the questions of the nodes
    // that may forward to it; all questions answered on one engine.
    let mut cases: BTreeMap<Case, (Protocol, Vec<usize>)> = BTreeMap::new();
    let mut queries: Vec<Query> = Vec::new();
    for w in m.workloads.iter().filter(|w| !w.behind.is_empty()) {
        let zone = w
            .subnet
            .id()
            .and_then(|s| m.subnet(s).availability_zone.known().cloned());
        // A way that may not be there is no evidence of a target left unreachable.
        for f in w.behind.iter().filter(|f| f.unsure.is_none()) {
            let Ok(port) = f.port else { continue };
            // Health checks open TCP connections, on their own port when it differs (and
            // also for a UDP target group).
            let health = match &f.health_check_port {
                Some(Ok(h)) if *h != port || f.protocol == Protocol::Udp => Some(*h),
                _ => None,
            };
            let asks = std::iter::once((port, f.protocol, None))
                .chain(health.map(|h| (h, Protocol::Tcp, Some(port))));
            for (port, protocol, health_check_of) in asks {
                let key = (
                    f.load_balancer.clone(),
                    f.registered_by.clone(),
                    w.meta.address.clone(),
                    port,
                    health_check_of,
                );
                if cases.contains_key(&key) {
                    continue;
                }
                let asked =
                    node_questions(ctx, (f, protocol), &w.meta.address, zone.as_deref(), port);
                let first = queries.len();
                queries.extend(asked);
                cases.insert(key, (protocol, (first..queries.len()).collect()));
            }
        }
    }
    let answers = analysis::query_each(m, &queries);
    let mut out: Vec<Evidence> = Vec::new();
    for ((lb, registered_by, target, port, health_check_of), (protocol, asked)) in cases {
        // Every node blocked; one that passes, or is unknown, or none asked: silent.
        let got: Option<Vec<&PathResult>> = asked
            .iter()
            .map(|&i| {
                answers
                    .get(i)
                    .and_then(Option::as_ref)
                    .filter(|r| r.verdict == Verdict::Blocked)
            })
            .collect();
        if let Some(answer) = got.and_then(|g| g.first().map(|r| (*r).clone())) {
            out.push(Evidence {
                lb,
                registered_by,
                target,
                port,
                protocol,
                health_check_of,
                answer,
            });
        }
    }
    // A target the nodes cannot reach on its traffic port: that finding says it all.
    let unreachable: Vec<(String, String, String, u16)> = out
        .iter()
        .filter(|e| e.health_check_of.is_none())
        .map(|e| {
            (
                e.lb.clone(),
                e.registered_by.clone(),
                e.target.clone(),
                e.port,
            )
        })
        .collect();
    out.retain(|e| {
        e.health_check_of.map_or(true, |traffic| {
            !unreachable.contains(&(
                e.lb.clone(),
                e.registered_by.clone(),
                e.target.clone(),
                traffic,
            ))
        })
    });
    out
}

/// `node → target` on the target port, from each node that may forward to the target (its
/// own address: health checks and forwarded requests of a load balancer that does not keep
/// the client's address come from it).
fn node_questions(
    ctx: &Ctx<'_>,
    (f, protocol): (&Forwarder, Protocol),
    target: &str,
    zone: Option<&str>,
    port: u16,
) -> Vec<Query> {
    let m = ctx.model;
    m.load_balancer_nodes(&f.load_balancer)
        .iter()
        .filter(|node| {
            let node_zone = node
                .subnet
                .id()
                .and_then(|s| m.subnet(s).availability_zone.known().map(String::as_str));
            // Without cross-zone load balancing, a node forwards in its own zone only; a
            // zone the load balancer does not enable is TFVPC306's.
            !matches!((f.cross_zone, zone, node_zone), (false, Some(a), Some(b)) if a != b)
        })
        .map(|node| Query {
            from: node.meta.address.clone(),
            to: target.to_string(),
            family: Some(f.target_family),
            protocol: match protocol {
                Protocol::Udp => QueryProtocol::Udp,
                _ => QueryProtocol::Tcp,
            },
            ports: vec![PortRange::single(port)],
        })
        .collect()
}

pub fn message(e: &Evidence) -> String {
    let by = e.answer.dropped_by.as_deref().unwrap_or("a hop on the way");
    if let Some(traffic) = e.health_check_of {
        return format!(
            "`{}` registers `{}` with `{}`, whose health checks connect to it on TCP port {}, \
             but no node of the load balancer can open that connection: dropped at `{by}` \
             ({}). The target never turns healthy and receives no traffic, although its \
             traffic port {traffic} may be open to the load balancer. Admit port {} from the \
             load balancer's security group in the target's groups, or check the traffic port.",
            e.registered_by,
            e.target,
            e.lb,
            e.port,
            e.answer.reason.trim_end_matches('.'),
            e.port,
        );
    }
    format!(
        "`{}` registers `{}` with `{}`, but no node of the load balancer can open {} \
         connections to it on port {}: dropped at `{by}` ({}). Health checks fail and it \
         receives no traffic. Admit the port from the load balancer's security group in the \
         target's groups, and let the load balancer's group and the network ACLs pass it.",
        e.registered_by,
        e.target,
        e.lb,
        if e.protocol == Protocol::Udp {
            "UDP"
        } else {
            "TCP"
        },
        e.port,
        e.answer.reason.trim_end_matches('.'),
    )
}

pub fn check(ctx: &Ctx<'_>) -> Vec<Finding> {
    find(ctx)
        .iter()
        .map(|e| {
            let mut resources = vec![e.registered_by.clone(), e.target.clone()];
            if let Some(by) = &e.answer.dropped_by {
                let by = by.to_string();
                if !resources.contains(&by) {
                    resources.push(by);
                }
            }
            resources.dedup();
            Finding::new(&META, message(e), resources)
                .with_path(analysis::to_strings(&e.answer.path))
                .with_fix(if e.health_check_of.is_some() {
                    "admit the health check port from the load balancer's security group"
                } else {
                    "admit the target port from the load balancer's security group"
                })
        })
        .collect()
}
