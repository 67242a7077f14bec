//! Real plans written by other projects (`../shared/external-plans/`, skipped when absent):
//! every file loads, and the networking ones give the model a reader expects.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::path::{Path, PathBuf};

use tfvpc::model::{Link, LinkHow, Model, Network, Target};
use tfvpc::plan;

fn dir() -> Option<PathBuf> {
    let d = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/external-plans");
    d.is_dir().then_some(d)
}

fn load(name: &str) -> Option<Network> {
    let path = dir()?.join(name);
    if !path.exists() {
        return None;
    }
    Some(plan::load(&path).unwrap())
}

fn vpc_of(m: &Model, l: &Link<tfvpc::model::VpcId>) -> Option<(String, LinkHow)> {
    match l {
        Link::To(v, h) => Some((m.vpc(*v).meta.address.clone(), *h)),
        _ => None,
    }
}

#[test]
fn every_external_plan_loads() {
    let Some(d) = dir() else { return };
    let mut n = 0;
    for entry in std::fs::read_dir(d).unwrap() {
        let p = entry.unwrap().path();
        if p.extension().is_some_and(|e| e == "json") {
            let net = plan::load(&p).unwrap_or_else(|e| panic!("{e}"));
            assert!(!net.input.format_version.is_empty());
            n += 1;
        }
    }
    assert!(n >= 12, "{n}");
}

#[test]
fn issue_158_terraform_aws_modules_vpc() {
    let Some(n) = load("terraform-compliance__test_issue-158.json") else {
        return;
    };
    let m = &n.after;
    assert_eq!(m.vpcs.len(), 1);
    assert_eq!(m.subnets.len(), 6);
    let azs: std::collections::BTreeSet<_> = m
        .subnets
        .iter()
        .filter_map(|s| s.availability_zone.known().cloned())
        .collect();
    assert_eq!(azs.len(), 3);
    // `vpc_id = local.vpc_id` everywhere: linked by structure, marked inferred.
    for s in &m.subnets {
        assert_eq!(
            vpc_of(m, &s.vpc),
            Some(("module.vpc.aws_vpc.this[0]".to_string(), LinkHow::Inferred)),
            "{}",
            s.meta.address
        );
    }
    // One NAT gateway per AZ, each in the public subnet of the same index.
    assert_eq!(m.nat_gateways.len(), 3);
    for (i, nat) in m.nat_gateways.iter().enumerate() {
        let s = nat.subnet.id().map(|s| m.subnet(s)).unwrap();
        assert_eq!(s.meta.address, format!("module.vpc.aws_subnet.public[{i}]"));
    }
    // Each private table routes 0.0.0.0/0 to its own NAT gateway; private subnet i uses table i.
    for i in 0..3 {
        let subnet = m
            .subnets
            .iter()
            .find(|s| s.meta.address == format!("module.vpc.aws_subnet.private[{i}]"))
            .unwrap();
        let table = m.route_table(subnet.route_table.link.id().unwrap());
        assert_eq!(
            table.meta.address,
            format!("module.vpc.aws_route_table.private[{i}]")
        );
        let nat_targets: Vec<String> = table
            .routes
            .iter()
            .filter_map(|r| match &m.route(*r).target {
                Target::NatGateway(Link::To(g, _)) => Some(m.nat_gateway(*g).meta.address.clone()),
                _ => None,
            })
            .collect();
        assert_eq!(
            nat_targets,
            vec![format!("module.vpc.aws_nat_gateway.this[{i}]")]
        );
    }
    // The public table routes to the IGW; the VGW is attached to the VPC.
    let igw_routes = m
        .routes
        .iter()
        .filter(|r| matches!(r.target, Target::Gateway(Link::To(_, LinkHow::Reference))))
        .count();
    assert_eq!(igw_routes, 1);
    assert!(m.gateways.iter().all(|g| g.vpc.id().is_some()));
}

#[test]
fn regula_both_reference_forms_give_the_same_links() {
    let (Some(old), Some(new)) = (
        load("regula__resource_view_06_tf_v0_15_infra.json"),
        load("regula__resource_view_06_tf_v1_0_infra.json"),
    ) else {
        return;
    };
    let links = |n: &Network| -> Vec<(String, Option<(String, LinkHow)>)> {
        n.after
            .security_groups
            .iter()
            .filter(|g| !g.synthesized)
            .map(|g| (g.meta.address.clone(), vpc_of(&n.after, &g.vpc)))
            .collect()
    };
    assert_eq!(links(&old), links(&new));
    let l = links(&new);
    assert_eq!(l.len(), 3);
    // Root SG through two module outputs; child2 SG through a variable fed by an output.
    for (_, vpc) in &l {
        assert_eq!(
            vpc.as_ref().unwrap(),
            &(
                "module.child1.module.grandchild1.aws_vpc.grandchild".to_string(),
                LinkHow::Reference
            )
        );
    }
}

#[test]
fn issue_522_known_ids_and_drift_without_address() {
    let Some(n) = load("terraform-compliance__test_issue_522.json") else {
        return;
    };
    assert!(!n.changed.is_empty());
    assert!(n.before.skipped.values().sum::<u32>() > 0);
}

#[test]
fn pull_330_unresolvable_links_are_diagnostics_not_guesses() {
    let Some(n) = load("terraform-compliance__test_pull_330.json") else {
        return;
    };
    let m = &n.after;
    assert_eq!(m.nat_gateways.len(), 1);
    // `allocation_id = aws_vpc.pass.id` names no EIP: unresolved, with a diagnostic.
    assert!(matches!(m.nat_gateways[0].allocation, Link::Unresolved(_)));
    assert!(m
        .diagnostics
        .iter()
        .any(|d| d.address.as_deref() == Some("aws_nat_gateway.gw")));
    assert_eq!(
        m.subnet(m.nat_gateways[0].subnet.id().unwrap())
            .meta
            .address,
        "aws_subnet.test"
    );
}

#[test]
fn issue_514_counted_subnets_and_nacl() {
    let Some(n) = load("terraform-compliance__test_issue-514.json") else {
        return;
    };
    let m = &n.after;
    assert_eq!(m.subnets.len(), 2);
    for s in &m.subnets {
        assert_eq!(
            vpc_of(m, &s.vpc),
            Some((
                "module.vpc_module.aws_vpc.vpc".to_string(),
                LinkHow::Reference
            ))
        );
        // `subnet_ids = aws_subnet.vpc_subnet[*].id` on the NACL: an explicit association.
        let nacl = m.nacl(s.nacl.link.id().unwrap());
        assert_eq!(
            nacl.meta.address,
            "module.vpc_module.aws_network_acl.vpc_subnet_acl"
        );
        assert!(matches!(s.nacl.via, tfvpc::model::AssocVia::Explicit(_)));
    }
}
