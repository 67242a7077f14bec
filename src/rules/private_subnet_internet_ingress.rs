//! TFVPC202 `private-subnet-internet-ingress`: a subnet the policy marks private, or whose
//! IPv4 egress is NAT-only, is reachable from the internet. Documentation: [`HELP`].

use crate::analysis::{PathResult, Verdict};
use crate::model::{Family, Route, Subnet};
use crate::rules::helpers::{
    ipv4_egress_is_nat, ipv4_egress_may_be_nat, maybe_nat_phrase, path, unplaced_nat_defaults,
};
use crate::rules::{ipv6_subnet_exposed_to_internet as r201, Ctx, Finding, RuleMeta, Severity};

pub const HELP: &str = r#"## What it checks
Every subnet that is private — a segment of `tfvpc.toml` with `private = true` selects it, or
its IPv4 default route goes to a NAT gateway or NAT instance — and that the reachability
engine finds reachable from `internet`, over IPv4 or IPv6. An `unknown` verdict (for IPv4:
no public address is auto-assigned, but an instance launched with one could use the route)
is reported as a warning. The IPv6 case TFVPC201 already reports is not repeated. A subnet
that only an `aws_route` whose route table is not known at plan time may give its IPv4
default route through NAT (its table has none of its own) may be private: an `allowed` path
into it is reported as a warning that names that route.

## Why it matters
Private subnets hold databases, application servers and internal services. If the internet
can open connections into them, the only thing left between those hosts and the world is
their security groups: one permissive rule away from exposure.

## Example (HCL)
```toml
# tfvpc.toml: mark the private tier explicitly
[segments.private]
subnets = ["aws_subnet.private[*]"]
private = true
```
```hcl
# Wrong: the "private" subnet uses the public route table
resource "aws_route_table_association" "private" {
  subnet_id      = aws_subnet.private[0].id
  route_table_id = aws_route_table.public.id
}

# Right: private subnets use a table whose default route goes to a NAT gateway
resource "aws_route_table_association" "private" {
  subnet_id      = aws_subnet.private[0].id
  route_table_id = aws_route_table.private.id
}
```

## How to fix
Give the subnet a route table without routes from/to an internet gateway (use a NAT
gateway for IPv4 egress and an egress-only internet gateway for IPv6), and tighten its NACL.
The message names the hops of the path that lets the internet in.

## AWS fact
A subnet whose table routes to an IGW is public; NAT gateways and EIGWs only allow
connections initiated from inside (seeds 000 and 003; aws-network-semantics.md,
"Gateways and endpoints").
"#;

pub static META: RuleMeta = RuleMeta {
    id: "TFVPC202",
    name: "private-subnet-internet-ingress",
    severity: Severity::Error,
    summary:
        "A private subnet (per policy, or with NAT-only IPv4 egress) is reachable from the internet",
    help: HELP,
    tags: &["exposure"],
};

pub struct Evidence<'m, 'r> {
    pub subnet: &'m Subnet,
    pub by_policy: bool,
    pub result: &'r PathResult,
    /// When only a route whose table is not known may send its IPv4 egress through NAT:
    /// that route (the finding is then a warning, and only for an `allowed` path).
    pub maybe_nat: Option<&'m Route>,
}

pub fn find<'a>(ctx: &Ctx<'a>) -> Vec<Evidence<'a, 'a>> {
    let m = ctx.model;
    let marked = ctx.policy.private_subnets(m);
    let covered: std::collections::BTreeSet<&str> = r201::find(ctx)
        .iter()
        .map(|e| e.subnet.meta.address.as_str())
        .collect();
    let unplaced = unplaced_nat_defaults(m);
    let mut out = Vec::new();
    for (i, s) in m.subnets.iter().enumerate() {
        let by_policy = marked.contains(&crate::model::SubnetId(i as u32));
        let maybe_nat = if by_policy || ipv4_egress_is_nat(m, s) {
            None
        } else {
            match ipv4_egress_may_be_nat(m, &unplaced, s) {
                Some(r) => Some(r),
                None => continue,
            }
        };
        for family in [Family::Ipv4, Family::Ipv6] {
            if family == Family::Ipv6 && covered.contains(&s.meta.address.as_str()) {
                continue;
            }
            if let Some(r) = path(ctx.reach, "internet", &s.meta.address, family) {
                // Private perhaps, reachable perhaps: too little to warn about.
                let reported = match maybe_nat {
                    None => matches!(r.verdict, Verdict::Allowed | Verdict::Unknown),
                    Some(_) => r.verdict == Verdict::Allowed,
                };
                if reported {
                    out.push(Evidence {
                        subnet: s,
                        by_policy,
                        result: r,
                        maybe_nat,
                    });
                }
            }
        }
    }
    out
}

pub fn message(e: &Evidence<'_, '_>) -> String {
    let why = if e.by_policy {
        "is marked private in tfvpc.toml".to_string()
    } else if let Some(r) = e.maybe_nat {
        maybe_nat_phrase(r)
    } else {
        "sends its IPv4 egress through NAT (it is meant to be private)".to_string()
    };
    let fam = match e.result.family {
        Family::Ipv4 => "IPv4",
        Family::Ipv6 => "IPv6",
    };
    let verdict = if e.result.verdict == Verdict::Allowed {
        format!("the internet can open {fam} connections to it")
    } else {
        format!(
            "whether the internet can open {fam} connections to it is unknown at plan time ({})",
            e.result.reason.trim_end_matches('.')
        )
    };
    format!(
        "`{}` {why}, but {verdict}; path: {}. Remove the internet gateway from its route table \
         (NAT gateway for IPv4, egress-only gateway for IPv6) or close the hop that lets it in.",
        e.subnet.meta.address,
        e.result.path.join(" → ")
    )
}

pub fn check(ctx: &Ctx<'_>) -> Vec<Finding> {
    find(ctx)
        .iter()
        .map(|e| {
            let mut resources = vec![e.subnet.meta.address.clone()];
            resources.extend(e.maybe_nat.map(|r| r.address.clone()));
            let f = Finding::new(&META, message(e), resources)
                .with_path(crate::analysis::to_strings(&e.result.path))
                .with_fix("keep internet gateways out of private subnets' route tables");
            if e.result.verdict == Verdict::Unknown || e.maybe_nat.is_some() {
                f.with_severity(Severity::Warning)
            } else {
                f
            }
        })
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::model::{GatewayKind, Target};
    use crate::rules::policy;
    use crate::rules::testkit::{network, path_result, reach, to, Builder};
    use crate::rules::Policy;

    fn model(private_via_nat: bool) -> crate::model::Model {
        let mut b = Builder::new();
        let vpc = b.vpc("aws_vpc.main", "10.0.0.0/16");
        let igw = b.gateway("aws_internet_gateway.main", GatewayKind::Internet, vpc);
        let public = b.subnet("aws_subnet.public", vpc, "az1", "10.0.0.0/24");
        let eip = b.eip("aws_eip.nat");
        let nat = b.nat("aws_nat_gateway.a", public, Some(eip));
        let s = b.subnet("aws_subnet.db", vpc, "az1", "10.0.1.0/24");
        let rt = b.route_table("aws_route_table.db", vpc);
        b.associate(s, rt);
        if private_via_nat {
            b.route(rt, "0.0.0.0/0", Target::NatGateway(to(nat)));
        } else {
            b.route(rt, "0.0.0.0/0", Target::Gateway(to(igw)));
        }
        b.build()
    }

    fn run(private_via_nat: bool, policy: &Policy, verdict: Verdict) -> Vec<Finding> {
        let net = network(model(private_via_nat));
        let r = reach(vec![path_result(
            "internet",
            "aws_subnet.db",
            Family::Ipv4,
            verdict,
            &[
                "internet",
                "aws_internet_gateway.main",
                "aws_route_table.db",
                "aws_subnet.db",
            ],
        )]);
        check(&Ctx::new(&net, &r, policy))
    }

    fn private_policy() -> Policy {
        policy::parse(
            "[segments.data]\nsubnets = [\"aws_subnet.db\"]\nprivate = true\n",
            std::path::Path::new("tfvpc.toml"),
        )
        .unwrap()
    }

    #[test]
    fn fires_for_a_policy_private_subnet_reachable_from_the_internet() {
        let f = run(false, &private_policy(), Verdict::Allowed);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].severity, Severity::Error);
        assert!(f[0].message.contains("marked private in tfvpc.toml"));
        assert_eq!(f[0].path.len(), 4);
    }

    #[test]
    fn unknown_verdict_is_a_warning_that_says_unknown() {
        let f = run(true, &Policy::default(), Verdict::Unknown);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].severity, Severity::Warning);
        assert!(f[0].message.contains("unknown"));
    }

    /// `aws_route_table.db`'s NAT route is an `aws_route` whose table is not known.
    fn run_unplaced(verdict: Verdict) -> Vec<Finding> {
        let mut m = model(true);
        let r = m
            .routes
            .iter()
            .position(|r| matches!(r.target, Target::NatGateway(_)))
            .unwrap();
        for t in &mut m.route_tables {
            t.routes.retain(|x| x.index() != r);
        }
        m.routes[r].table = crate::model::Link::Unresolved("not known".into());
        let net = network(m);
        let reach = reach(vec![path_result(
            "internet",
            "aws_subnet.db",
            Family::Ipv4,
            verdict,
            &["internet", "aws_internet_gateway.main", "aws_subnet.db"],
        )]);
        check(&Ctx::new(&net, &reach, &Policy::default()))
    }

    #[test]
    fn a_nat_route_whose_table_is_not_known_may_make_it_private() {
        let f = run_unplaced(Verdict::Allowed);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].severity, Severity::Warning);
        assert!(f[0]
            .message
            .contains("may send its IPv4 egress through NAT"));
        assert_eq!(
            f[0].resources,
            ["aws_subnet.db", "aws_route_table.db route[0]"]
        );
        // Private perhaps and reachable perhaps: silent.
        assert!(run_unplaced(Verdict::Unknown).is_empty());
    }

    #[test]
    fn silent_for_unmarked_public_subnets_and_blocked_paths() {
        assert!(run(false, &Policy::default(), Verdict::Allowed).is_empty());
        assert!(run(true, &Policy::default(), Verdict::Blocked).is_empty());
    }
}
