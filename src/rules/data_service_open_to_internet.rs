//! TFVPC208 `data-service-open-to-internet`: the internet can open connections to a
//! managed data service (database, cache, message broker, search domain, file system).
//! Documentation: [`HELP`].

use std::collections::BTreeMap;

use crate::analysis::ports::Flows;
use crate::analysis::{self, Query, QueryProtocol, Verdict};
use crate::model::{Family, Link, Model, PublicIpv4, SgPeer, SgRule, Workload};
use crate::rules::helpers::is_anywhere;
use crate::rules::{Ctx, Finding, RuleMeta, Severity};

pub const HELP: &str = r#"## What it checks
Every managed data service the plan holds in a VPC — an RDS, Aurora, DocumentDB or Neptune
instance, an RDS proxy, a Redshift cluster or Serverless workgroup, an ElastiCache (or
ElastiCache Serverless), MemoryDB or DAX cluster, an Amazon MQ broker, an MSK cluster, an
OpenSearch domain, an EFS mount target, an FSx file system — that the internet can open
connections to, in one of its subnets: `tfvpc query --from internet --to ADDRESS` answers `allowed`. That
takes a public address (`publicly_accessible = true`, MSK's
`SERVICE_PROVIDED_EIPS`), a subnet routed to an internet gateway, NACLs that let the
traffic in and out, and a security group that admits it. When the answer is `unknown`
(a public address or a group decided at apply) the finding is a warning and says why. So
is one for a database in a subnet group the plan does not hold (named by name): its
subnets are not known, so the finding says what its public address and its groups' rules
from the whole internet do.

## Why it matters
A database or broker reachable from the whole internet is one leaked or guessed password
away from a breach, and a target for every scanner, whatever its authentication. Data
services belong in private subnets, reached by the applications in the VPC, by peering,
a transit gateway, a VPN, or an interface endpoint.

## Example (HCL)
```hcl
# Wrong: public, in a public subnet, behind a group open to the world
resource "aws_db_instance" "main" {
  publicly_accessible    = true
  db_subnet_group_name   = aws_db_subnet_group.public.name
  vpc_security_group_ids = [aws_security_group.open.id]
}

# Right: private subnets, a group that admits the application tier only
resource "aws_db_instance" "main" {
  publicly_accessible    = false
  db_subnet_group_name   = aws_db_subnet_group.private.name
  vpc_security_group_ids = [aws_security_group.db.id]
}
```

## How to fix
Turn the public address off (`publicly_accessible = false`, MSK public access `DISABLED`),
move the service to private subnets, and let its security group admit the application's
group or known CIDRs only.

## AWS fact
A resource in a subnet is reachable from the internet only with a public address, a route
to an internet gateway in its subnet's route table, and NACLs and security groups that let
the traffic through (aws-network-semantics.md, "Gateways and endpoints", "Filtering").
"#;

pub static META: RuleMeta = RuleMeta {
    id: "TFVPC208",
    name: "data-service-open-to-internet",
    severity: Severity::Error,
    summary: "The internet can open connections to a managed data service (database, cache, broker, search domain, file system)",
    help: HELP,
    tags: &["exposure", "data"],
};

/// One data service resource and what the internet reaches of it, per workload.
pub struct Evidence {
    pub resource: String,
    /// (workload, family, verdict, ports, reason, path)
    pub reached: Vec<(String, Family, Verdict, String, String, Vec<String>)>,
}

pub fn find(ctx: &Ctx<'_>) -> Vec<Evidence> {
    let m = ctx.model;
    // Paths not asked (`--reachability none`): nothing to say of the placed ones.
    let asked = !ctx.reach.none_asked;
    let queries: Vec<Query> = m
        .workloads
        .iter()
        .filter(|w| asked && w.kind.is_data_service() && w.subnet.id().is_some())
        .map(|w| Query {
            from: "internet".to_string(),
            to: w.meta.address.clone(),
            family: None,
            protocol: QueryProtocol::All,
            ports: Vec::new(),
        })
        .collect();
    let mut by_resource: BTreeMap<String, Evidence> = BTreeMap::new();
    for r in analysis::query_many(m, &queries) {
        if r.verdict == Verdict::Blocked {
            continue;
        }
        let to: &str = &r.to;
        let resource = to.split(" (").next().unwrap_or(to).to_string();
        let e = by_resource
            .entry(resource.clone())
            .or_insert_with(|| Evidence {
                resource,
                reached: Vec::new(),
            });
        e.reached.push((
            to.to_string(),
            r.family,
            r.verdict,
            r.ports.clone(),
            r.reason.clone(),
            analysis::to_strings(&r.path),
        ));
    }
    // One not placed in a subnet of the model (its subnet group is another configuration's):
    // what its address and groups say, `unknown`.
    for w in m
        .workloads
        .iter()
        .filter(|w| w.kind.is_data_service() && w.subnet.id().is_none())
    {
        if w.no_public_ipv4().is_some() {
            continue;
        }
        let place = match &w.subnet {
            Link::External(id) => format!("its subnet {} is outside this plan", m.outside_id(id)),
            Link::Unresolved(why) => why.clone(),
            Link::To(..) | Link::None => continue,
        };
        let (open, unsure) = world_open(m, w);
        let admit = match (open.is_empty(), &unsure) {
            (true, None) => continue,
            (true, Some(u)) => format!("a port not known at plan time ({u})"),
            (false, None) => format!("`{}`", open.render(Family::Ipv4)),
            (false, Some(u)) => format!(
                "`{}` and a port not known at plan time ({u})",
                open.render(Family::Ipv4)
            ),
        };
        let ports = open.render(Family::Ipv4);
        let mut why = format!("{place}, and its groups admit {admit} from the whole internet");
        if let PublicIpv4::Unknown(r) = &w.public_ipv4 {
            why = format!("{why}; {r}");
        }
        let to = w.meta.address.as_str();
        let resource = to.split(" (").next().unwrap_or(to).to_string();
        by_resource
            .entry(resource.clone())
            .or_insert_with(|| Evidence {
                resource,
                reached: Vec::new(),
            })
            .reached
            .push((
                to.to_string(),
                Family::Ipv4,
                Verdict::Unknown,
                ports,
                why,
                Vec::new(),
            ));
    }
    by_resource.into_values().collect()
}

/// What the groups of `w` admit from every IPv4 address: its groups' rules, and the rules
/// this plan adds to groups it does not hold; and why a world-open rule whose protocol or
/// ports are known only after apply may admit more, if one does.
fn world_open(m: &Model, w: &Workload) -> (Flows, Option<String>) {
    let outside = w.all_security_groups().filter_map(|l| match l {
        Link::External(id) => Some(id.as_str()),
        _ => None,
    });
    let outside: Vec<&SgRule> = outside
        .flat_map(|id| {
            m.outside_group_rules
                .iter()
                .filter(move |o| !o.egress && o.group == id)
                .map(|o| &o.rule)
        })
        .collect();
    let world: Vec<&SgRule> = m
        .workload_groups(w)
        .into_iter()
        .flat_map(|g| m.group_rules(g, false))
        .chain(outside)
        .filter(|r| matches!(&r.peer, SgPeer::Cidr(b) if is_anywhere(b) == Some(Family::Ipv4)))
        .collect();
    let known = world
        .iter()
        .filter(|r| r.unknown.is_none())
        .fold(Flows::none(), |acc, r| {
            acc.union(&Flows::of_rule(r.protocol, r.ports, r.icmp, Family::Ipv4))
        });
    (known, world.iter().find_map(|r| r.unknown.clone()))
}

pub fn message(e: &Evidence) -> String {
    let parts: Vec<String> = e
        .reached
        .iter()
        .map(|(w, f, v, ports, why, _)| {
            let fam = if *f == Family::Ipv4 { "IPv4" } else { "IPv6" };
            if *v == Verdict::Allowed {
                format!("`{w}` over {fam} on `{ports}`")
            } else {
                format!("`{w}` over {fam} (unknown: {why})")
            }
        })
        .collect();
    let can = if e.reached.iter().any(|x| x.2 == Verdict::Allowed) {
        "can"
    } else {
        "may be able to"
    };
    format!(
        "The internet {can} open connections to `{}`: {}. A data service belongs in private \
         subnets: turn its public address off (`publicly_accessible = false`), and let its \
         security group admit the application's group or known CIDRs only.",
        e.resource,
        parts.join(", ")
    )
}

pub fn check(ctx: &Ctx<'_>) -> Vec<Finding> {
    find(ctx)
        .iter()
        .map(|e| {
            let mut resources = vec![e.resource.clone()];
            resources.extend(e.reached.iter().map(|x| x.0.clone()));
            resources.dedup();
            let f = Finding::new(&META, message(e), resources)
                .with_path(e.reached.first().map(|x| x.5.clone()).unwrap_or_default())
                .with_fix("keep the data service private");
            if e.reached.iter().any(|x| x.2 == Verdict::Allowed) {
                f
            } else {
                f.with_severity(Severity::Warning)
            }
        })
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::model::{GatewayKind, PublicIpv4, SgPeer, Target, WorkloadKind};
    use crate::rules::testkit::{cidr, network, path_result, reach, to, Builder};
    use crate::rules::Policy;

    /// A database in a public subnet behind a group open on 5432 to the world, with this
    /// public IPv4 setting (`kind`: what it is).
    fn run(public_ipv4: PublicIpv4, kind: WorkloadKind) -> Vec<Finding> {
        let mut b = Builder::new();
        let vpc = b.vpc("aws_vpc.main", "10.0.0.0/16");
        let igw = b.gateway("aws_internet_gateway.main", GatewayKind::Internet, vpc);
        let s = b.subnet("aws_subnet.public", vpc, "az1", "10.0.0.0/24");
        let rt = b.route_table("aws_route_table.public", vpc);
        b.associate(s, rt);
        b.route(rt, "0.0.0.0/0", Target::Gateway(to(igw)));
        let sg = b.security_group("aws_security_group.db", vpc);
        b.sg_rule(sg, true, 5432, 5432, SgPeer::Cidr(cidr("0.0.0.0/0")));
        let db = b.instance("aws_db_instance.main (aws_subnet.public)", s, &[sg]);
        let w = &mut b.m.workloads[db.index()];
        w.kind = kind;
        w.public_ipv4 = public_ipv4;
        // The default NACL as AWS makes it: everything in and out.
        let allow_all = crate::model::NaclRule {
            address: "aws_vpc.main default network ACL rule 100".to_string(),
            action: crate::model::Action::Create,
            rule_number: 100,
            allow: true,
            protocol: crate::model::Protocol::All,
            ports: crate::model::PortRange::ALL,
            icmp: Default::default(),
            cidr: cidr("0.0.0.0/0"),
            unknown: None,
        };
        b.m.nacls[0].ingress.push(allow_all.clone());
        b.m.nacls[0].egress.push(allow_all);
        let net = network(b.build());
        // Paths were asked (any answer will do: the rule asks its own questions).
        let r = reach(vec![path_result(
            "internet",
            "aws_subnet.public",
            Family::Ipv4,
            Verdict::Allowed,
            &["internet"],
        )]);
        check(&Ctx::new(&net, &r, &Policy::default()))
    }

    #[test]
    fn fires_on_a_public_database_the_internet_reaches() {
        let f = run(PublicIpv4::Auto, WorkloadKind::DbInstance);
        assert_eq!(f.len(), 1, "{f:#?}");
        assert_eq!(f[0].severity, Severity::Error);
        assert_eq!(
            f[0].resources,
            [
                "aws_db_instance.main",
                "aws_db_instance.main (aws_subnet.public)"
            ]
        );
        assert!(
            f[0].message.contains("over IPv4 on `tcp:5432`"),
            "{}",
            f[0].message
        );
    }

    #[test]
    fn silent_without_a_public_address_or_for_an_instance() {
        let never = PublicIpv4::Never("not publicly accessible, for a test".to_string());
        assert!(run(never, WorkloadKind::DbInstance).is_empty());
        // An instance is TFVPC203's and TFVPC206's, not this rule's.
        assert!(run(PublicIpv4::Auto, WorkloadKind::Instance).is_empty());
    }

    #[test]
    fn an_address_decided_at_apply_is_a_warning_with_its_reason() {
        let unknown =
            PublicIpv4::Unknown("`publicly_accessible` is known only after apply".to_string());
        let f = run(unknown, WorkloadKind::DbInstance);
        assert_eq!(f.len(), 1, "{f:#?}");
        assert_eq!(f[0].severity, Severity::Warning, "{}", f[0].message);
        assert!(
            f[0].message.contains("may be able to")
                && f[0]
                    .message
                    .contains("publicly_accessible` is known only after apply"),
            "{}",
            f[0].message
        );
    }

    /// A database whose subnet group is another configuration's: not placed in a subnet.
    fn unplaced(public_ipv4: PublicIpv4, source: &str) -> Vec<Finding> {
        let mut b = Builder::new();
        let vpc = b.vpc("aws_vpc.main", "10.0.0.0/16");
        let s = b.subnet("aws_subnet.other", vpc, "az1", "10.0.0.0/24");
        let sg = b.security_group("aws_security_group.db", vpc);
        b.sg_rule(sg, true, 5432, 5432, SgPeer::Cidr(cidr(source)));
        let db = b.instance("aws_db_instance.main (subnet group shared)", s, &[sg]);
        let w = &mut b.m.workloads[db.index()];
        w.kind = WorkloadKind::DbInstance;
        w.public_ipv4 = public_ipv4;
        w.subnet = Link::Unresolved("its subnet group `shared` is outside this plan".into());
        let net = network(b.build());
        check(&Ctx::new(&net, &reach(Vec::new()), &Policy::default()))
    }

    #[test]
    fn a_public_database_in_a_subnet_group_outside_the_plan_is_a_warning() {
        let f = unplaced(PublicIpv4::Auto, "0.0.0.0/0");
        assert_eq!(f.len(), 1, "{f:#?}");
        assert_eq!(f[0].severity, Severity::Warning);
        assert!(
            f[0].message.contains(
                "its subnet group `shared` is outside this plan, and its groups admit `tcp:5432` from the whole internet"
            ),
            "{}",
            f[0].message
        );
        // Not publicly accessible, or not open to the world: nothing to say.
        assert!(unplaced(PublicIpv4::Never("private".into()), "0.0.0.0/0").is_empty());
        assert!(unplaced(PublicIpv4::Auto, "10.0.0.0/8").is_empty());
    }
}
