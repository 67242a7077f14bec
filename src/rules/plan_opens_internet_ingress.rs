//! TFVPC206 `plan-opens-internet-ingress`: the plan makes a subnet reachable from the
//! internet that the prior state kept closed. Reads the plan diff. Documentation: [`HELP`].

use crate::analysis::{Change, Verdict};
use crate::model::WorkloadKind;
use crate::rules::{Ctx, Finding, RuleMeta, Severity};

pub const HELP: &str = r#"## What it checks
Every pair `internet → subnet` whose verdict goes from `blocked` to `allowed` (error), or
from `blocked` to `unknown` or from `unknown` to `allowed` (warning), between the prior
state and the planned state, in either address family; and every such pair allowed before
and after whose ports widen: traffic the prior state dropped passes after apply (error;
for example a NACL rule that adds TCP 22 to a subnet open on 443). Likewise for every
workload (instance, network interface, and what Auto Scaling groups, EKS node groups, ECS
services and RDS launch in each of their subnets), with its security groups and public IPv4
address (what `tfvpc query --from internet` answers): a security group rule or attachment
that lets more of the internet in, a launch template or database that gets a public
address, or a target registered with a load balancer the internet reaches (the attachment is
the cause), fires on the workload, unless its subnet's own change already fires. A fleet
moved to other subnets (`vpc_zone_identifier`, a DB subnet group) fires on each new
workload more open than any of the fleet's workloads before. It compares
the network before and after the plan, so it only fires on plans over existing
infrastructure; a plan that creates everything has no "before".

## Why it matters
This is the change a reviewer most needs to see: after this apply, hosts on the internet can
open connections into the subnet. It is often a side effect — a route swapped from an
egress-only internet gateway to an internet gateway, a subnet re-associated with the public
route table, a NACL rule removed — rather than the intent of the pull request.

## Example (HCL)
```hcl
# Before: IPv6 egress only
route {
  ipv6_cidr_block        = "::/0"
  egress_only_gateway_id = aws_egress_only_internet_gateway.eigw.id
}
# After: the internet can now reach every IPv6 address in the subnet
route {
  ipv6_cidr_block = "::/0"
  gateway_id      = aws_internet_gateway.igw.id
}
```

## How to fix
If the exposure is intended, suppress this finding for the subnet in `tfvpc.toml` with the
reason. Otherwise keep the subnet's default routes on a NAT gateway (IPv4) or an egress-only
internet gateway (IPv6), and keep its NACL closed to internet-initiated traffic.

## AWS fact
An internet gateway carries connections both ways; an egress-only internet gateway lets
IPv6 traffic out and drops connections initiated from the internet (seed 001). IPv6
addresses are public, so an IPv6 route to an internet gateway exposes every host in the
subnet (seed 000).
"#;

pub static META: RuleMeta = RuleMeta {
    id: "TFVPC206",
    name: "plan-opens-internet-ingress",
    severity: Severity::Error,
    summary: "The plan opens internet-initiated access to a subnet or workload the prior state kept closed",
    help: HELP,
    tags: &["security", "exposure", "plan-diff"],
};

/// Whether a change opens internet-initiated access: a verdict towards allowed, or more
/// ports.
fn opens(c: &Change) -> bool {
    c.from == "internet"
        && (matches!(
            (c.before, c.after),
            (Verdict::Blocked, Verdict::Allowed | Verdict::Unknown)
                | (Verdict::Unknown, Verdict::Allowed)
        ) || widened(c).is_some())
}

/// The subnet changes that open access, then the workloads (instances, interfaces) whose
/// access opens while their subnet's does not in that family: their security groups, or
/// their group attachments, let more in.
pub fn find<'c>(ctx: &Ctx<'c>) -> Vec<&'c Change> {
    let mut out: Vec<&Change> = ctx.changes.iter().filter(|c| opens(c)).collect();
    let subnet_opens =
        |subnet: &str, c: &Change| out.iter().any(|s| s.to == subnet && s.family == c.family);
    let m = ctx.model;
    let workloads: Vec<&Change> = ctx
        .exposure_changes
        .iter()
        .filter(|c| opens(c))
        .filter(|c| {
            let subnet = workload_named(m, &c.to)
                .and_then(|w| w.subnet.id())
                .map(|s| m.subnet(s).meta.address.as_str());
            !subnet.is_some_and(|s| subnet_opens(s, c))
        })
        .collect();
    out.extend(workloads);
    out
}

/// The workload of a model named so (workloads are sorted by their unique names).
fn workload_named<'m>(
    m: &'m crate::model::Model,
    name: &str,
) -> Option<&'m crate::model::Workload> {
    m.workloads
        .binary_search_by(|w| w.meta.address.as_str().cmp(name))
        .ok()
        .and_then(|i| m.workloads.get(i))
}

/// For a pair allowed before and after: what passes after apply that did not before, if
/// anything.
fn widened(c: &Change) -> Option<String> {
    c.port_shift()
        .map(|(opened, _)| opened)
        .filter(|o| !o.is_empty())
}

pub fn message(c: &Change) -> String {
    message_for(c, None, false)
}

/// [`message`], for a subnet or (`workload`) a workload; `moved`: a fleet's workload in a
/// subnet it did not use, compared with the fleet's workloads before.
fn message_for(c: &Change, kind: Option<WorkloadKind>, moved: bool) -> String {
    let workload = kind.is_some();
    let newly;
    let how = match (c.before, c.after) {
        (Verdict::Blocked, Verdict::Allowed) if moved => {
            "new in this subnet, while the internet could reach none of the fleet's workloads before; it can open connections to it after apply"
        }
        (Verdict::Allowed, Verdict::Allowed) => {
            let (before, after) = c.ports.clone().unwrap_or_default();
            newly = if after == "all" {
                format!(
                    "the internet could open connections to it on `{before}`, after apply on every port and protocol"
                )
            } else {
                format!(
                    "the internet could open connections to it on `{before}`, after apply also on `{}` (`{after}` in all)",
                    widened(c).unwrap_or_default()
                )
            };
            newly.as_str()
        }
        (Verdict::Blocked, Verdict::Allowed) => {
            "blocked before, the internet can open connections to it after apply"
        }
        (Verdict::Unknown, _) => {
            "possible before (unknown at plan time), the internet can open connections to it after apply"
        }
        _ => "blocked before, after apply the internet may be able to open connections to it (unknown at plan time)",
    };
    let causes = if c.causes.is_empty() {
        String::new()
    } else {
        format!(
            ", because of {}",
            c.causes
                .iter()
                .map(|a| format!("`{a}`"))
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    // What the plan changes decides the fix: a load balancer's new listener, or the
    // workload's own setting (an internal load balancer made internet-facing, a database
    // made publicly accessible).
    let listener = c
        .causes
        .iter()
        .any(|x| x.contains("_listener.") || x.ends_with(" listener"));
    let own = c
        .causes
        .iter()
        .find(|x| c.to == **x || c.to.starts_with(&format!("{x} (")));
    let own_fix;
    let fix = if moved {
        "Keep the fleet in subnets the internet cannot reach, or remove the security group rule that lets the traffic in"
    } else if let (Some(kind), Some(own)) = (kind, own) {
        let setting = match kind {
            WorkloadKind::LoadBalancer => "internal (`internal = true`)",
            WorkloadKind::DbInstance => "not publicly accessible (`publicly_accessible = false`)",
            _ => "without a public IPv4 address",
        };
        own_fix = format!(
            "Keep `{own}` {setting}, or remove the security group rule that lets the traffic in"
        );
        own_fix.as_str()
    } else if workload && listener {
        "Remove the listener that takes the new traffic, or let the load balancer's security group admit known sources only"
    } else if workload {
        "Remove the security group rule (or the attachment, NACL rule or route) that lets the new traffic in"
    } else if c.before == Verdict::Allowed {
        "Remove the NACL rule (or the route) that lets the new traffic in"
    } else {
        "Keep its default route on a NAT gateway or egress-only gateway"
    };
    format!(
        "This plan opens `{}` to the internet over {}: {how}{causes}. \
         {fix}, or suppress this finding with the reason if the exposure is intended.",
        c.to,
        c.family.as_str().replace("ip", "IP")
    )
}

pub fn check(ctx: &Ctx<'_>) -> Vec<Finding> {
    find(ctx)
        .into_iter()
        .map(|c| {
            let kind = workload_named(ctx.model, &c.to).map(|w| w.kind);
            let workload = kind.is_some();
            // A fleet's workload in a new subnet (compared with the fleet before).
            let moved = workload_named(ctx.model, &c.to).is_some_and(|w| w.kind.spreads())
                && workload_named(ctx.before, &c.to).is_none();
            let mut resources = vec![c.to.clone()];
            resources.extend(c.causes.iter().cloned());
            let fix = if c.before == Verdict::Allowed || workload {
                "remove the rule that admits the new traffic"
            } else {
                "keep the subnet's default routes egress-only"
            };
            let mut f = Finding::new(&META, message_for(c, kind, moved), resources).with_fix(fix);
            if !matches!(
                (c.before, c.after),
                (Verdict::Blocked | Verdict::Allowed, Verdict::Allowed)
            ) {
                f.severity = Severity::Warning;
            }
            if let Some(r) = super::helpers::path(ctx.reach, &c.from, &c.to, c.family) {
                f.path = crate::analysis::to_strings(&r.path);
            }
            f
        })
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::analysis::Reachability;
    use crate::model::Family;
    use crate::rules::testkit::{network, Builder};
    use crate::rules::Policy;

    fn change(from: &str, to: &str, before: Verdict, after: Verdict) -> Change {
        Change {
            from: from.to_string(),
            to: to.to_string(),
            family: Family::Ipv6,
            before,
            after,
            ports: None,
            causes: vec!["aws_route_table.app".to_string()],
        }
    }

    fn ports(before: &str, after: &str) -> Change {
        Change {
            ports: Some((before.to_string(), after.to_string())),
            ..change(
                "internet",
                "aws_subnet.app",
                Verdict::Allowed,
                Verdict::Allowed,
            )
        }
    }

    #[test]
    fn fires_when_the_plan_widens_the_ports_the_internet_reaches() {
        let f = run(&[ports("tcp:443", "tcp:22,tcp:443")]);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].severity, Severity::Error);
        assert!(
            f[0].message.contains("after apply also on `tcp:22`"),
            "{}",
            f[0].message
        );
        // Narrower ports open nothing.
        assert!(run(&[ports("tcp:22,tcp:443", "tcp:443")]).is_empty());
        assert!(run(&[ports("all", "tcp:1024-65535")]).is_empty());
        // One port swapped for another opens the new one.
        let f = run(&[ports("tcp:443", "tcp:8443")]);
        assert!(
            f[0].message.contains("also on `tcp:8443`"),
            "{}",
            f[0].message
        );
    }

    fn run(changes: &[Change]) -> Vec<Finding> {
        let net = network(Builder::new().build());
        let reach = Reachability::default();
        let policy = Policy::default();
        check(&Ctx::new(&net, &reach, &policy).with_changes(changes))
    }

    #[test]
    fn fires_on_an_instance_whose_groups_let_more_in_unless_its_subnet_fires() {
        let mut b = Builder::new();
        let v = b.vpc("aws_vpc.main", "10.0.0.0/16");
        let s = b.subnet("aws_subnet.app", v, "us-east-1a", "10.0.1.0/24");
        b.instance("aws_instance.db", s, &[]);
        let net = network(b.build());
        let reach = Reachability::default();
        let policy = Policy::default();
        let db = Change {
            from: "internet".to_string(),
            to: "aws_instance.db".to_string(),
            family: Family::Ipv6,
            before: Verdict::Allowed,
            after: Verdict::Allowed,
            ports: Some(("tcp:443".to_string(), "tcp:443,tcp:3306".to_string())),
            causes: vec!["aws_vpc_security_group_ingress_rule.mysql".to_string()],
        };
        let exposure = [db];
        let f = check(
            &Ctx::new(&net, &reach, &policy)
                .with_changes(&[])
                .with_exposure_changes(&exposure),
        );
        assert_eq!(f.len(), 1);
        assert_eq!(
            f[0].resources,
            [
                "aws_instance.db",
                "aws_vpc_security_group_ingress_rule.mysql"
            ]
        );
        assert!(
            f[0].message.contains("Remove the security group rule"),
            "{}",
            f[0].message
        );
        // Its subnet opens in the same family: that finding says it, once.
        let subnet = [change(
            "internet",
            "aws_subnet.app",
            Verdict::Blocked,
            Verdict::Allowed,
        )];
        let f = check(
            &Ctx::new(&net, &reach, &policy)
                .with_changes(&subnet)
                .with_exposure_changes(&exposure),
        );
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].resources[0], "aws_subnet.app");
        // Narrower ports on the instance open nothing.
        let narrower = [Change {
            ports: Some(("tcp:443,tcp:3306".to_string(), "tcp:443".to_string())),
            ..exposure[0].clone()
        }];
        let f = check(&Ctx::new(&net, &reach, &policy).with_exposure_changes(&narrower));
        assert!(f.is_empty());
    }

    #[test]
    fn fires_when_the_plan_opens_internet_ingress() {
        let f = run(&[change(
            "internet",
            "aws_subnet.app",
            Verdict::Blocked,
            Verdict::Allowed,
        )]);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].severity, Severity::Error);
        assert_eq!(f[0].resources, ["aws_subnet.app", "aws_route_table.app"]);
        assert!(f[0].message.contains("IPv6"), "{}", f[0].message);
    }

    #[test]
    fn unknown_after_is_a_warning() {
        let f = run(&[change(
            "internet",
            "aws_subnet.app",
            Verdict::Blocked,
            Verdict::Unknown,
        )]);
        assert_eq!(f[0].severity, Severity::Warning);
    }

    #[test]
    fn unknown_before_and_allowed_after_is_a_warning() {
        let f = run(&[change(
            "internet",
            "aws_subnet.app",
            Verdict::Unknown,
            Verdict::Allowed,
        )]);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].severity, Severity::Warning);
    }

    #[test]
    fn silent_on_closed_paths_and_on_egress() {
        assert!(run(&[
            change(
                "internet",
                "aws_subnet.app",
                Verdict::Allowed,
                Verdict::Blocked
            ),
            change(
                "aws_subnet.app",
                "internet",
                Verdict::Blocked,
                Verdict::Allowed
            ),
        ])
        .is_empty());
    }
}
