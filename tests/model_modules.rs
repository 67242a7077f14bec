//! Hand-checked links of the fixtures: module chains (for_each module, nested module fed
//! through variables, module outputs), count/for_each addresses, implicit objects.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::path::Path;

use tfvpc::model::*;
use tfvpc::plan;

fn load(scenario: &str) -> Option<Network> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("testdata")
        .join(scenario)
        .join("plan.json");
    if !p.exists() {
        return None;
    }
    Some(plan::load(&p).unwrap())
}

fn subnet<'m>(m: &'m Model, addr: &str) -> &'m Subnet {
    m.subnets
        .iter()
        .find(|s| s.meta.address == addr)
        .unwrap_or_else(|| panic!("{addr}"))
}

#[test]
fn modules_fixture_links() {
    let Some(n) = load("modules") else { return };
    let m = &n.after;
    assert!(m.diagnostics.is_empty(), "{:?}", m.diagnostics);
    assert_eq!(m.vpcs.len(), 2);
    assert_eq!(m.subnets.len(), 10);
    for env in ["prod", "dev"] {
        let azs = if env == "prod" { 3 } else { 2 };
        for tier in ["public", "private"] {
            for i in 0..azs {
                let addr = format!("module.network[\"{env}\"].aws_subnet.{tier}[{i}]");
                let s = subnet(m, &addr);
                // `vpc_id = local.vpc_id`: the only VPC of that module instance, inferred.
                let (v, how) = match s.vpc {
                    Link::To(v, h) => (v, h),
                    ref other => panic!("{other:?}"),
                };
                assert_eq!(
                    m.vpc(v).meta.address,
                    format!("module.network[\"{env}\"].aws_vpc.this")
                );
                assert_eq!(how, LinkHow::Inferred);
                // Route table via the nested module's association, fed `aws_subnet.x[*].id`
                // through a variable and indexed with count.index.
                let want = if tier == "public" {
                    format!("module.network[\"{env}\"].module.routing.aws_route_table.public")
                } else {
                    format!("module.network[\"{env}\"].module.routing.aws_route_table.private[{i}]")
                };
                match &s.route_table {
                    Assoc {
                        link: Link::To(t, LinkHow::Reference),
                        via: AssocVia::Explicit(a),
                    } => {
                        assert_eq!(m.route_table(*t).meta.address, want);
                        assert_eq!(a, &format!("module.network[\"{env}\"].module.routing.aws_route_table_association.{tier}[{i}]"));
                    }
                    other => panic!("{addr}: {other:?}"),
                }
                // No NACL managed: the synthesized default NACL of the right VPC.
                let nacl = m.nacl(s.nacl.link.id().unwrap());
                assert!(nacl.synthesized && nacl.is_default);
                assert_eq!(nacl.vpc.id(), Some(v));
            }
        }
    }
    // NAT gateway i sits in public subnet i of its own environment (var.public_subnet_ids[count.index]).
    for nat in &m.nat_gateways {
        let (s, how) = match nat.subnet {
            Link::To(s, h) => (s, h),
            ref o => panic!("{o:?}"),
        };
        assert_eq!(how, LinkHow::Reference);
        let env_prefix = nat.meta.address.split(".module.routing").next().unwrap();
        let idx = nat.meta.address.rsplit('[').next().unwrap();
        assert_eq!(
            m.subnet(s).meta.address,
            format!("{env_prefix}.aws_subnet.public[{idx}")
        );
        assert!(matches!(nat.allocation, Link::To(_, LinkHow::Reference)));
    }
    assert_eq!(m.nat_gateways.len(), 4);
    // dev: single NAT gateway, every private table routes to nat[0]; prod: table i → nat i.
    for r in &m.routes {
        if let Target::NatGateway(l) = &r.target {
            let nat = m.nat_gateway(l.id().unwrap()).meta.address.clone();
            if r.address.contains("private_single_nat") {
                assert_eq!(
                    nat,
                    "module.network[\"dev\"].module.routing.aws_nat_gateway.this[0]"
                );
            } else {
                let i = r.address.rsplit('[').next().unwrap();
                assert_eq!(
                    nat,
                    format!("module.network[\"prod\"].module.routing.aws_nat_gateway.this[{i}")
                );
            }
        }
    }
    // The IGW passed as a module input.
    let igw_routes: Vec<_> = m
        .routes
        .iter()
        .filter(|r| matches!(r.target, Target::Gateway(_)))
        .collect();
    assert_eq!(igw_routes.len(), 2);
    for r in igw_routes {
        let Target::Gateway(Link::To(g, LinkHow::Reference)) = r.target else {
            panic!("{r:?}")
        };
        assert_eq!(m.gateway(g).kind, GatewayKind::Internet);
        assert!(r
            .address
            .starts_with(m.gateway(g).meta.address.split(".aws_").next().unwrap()));
    }
    // Root instance through a module output indexed [0].
    let app = m
        .workloads
        .iter()
        .find(|w| w.meta.address == "aws_instance.app")
        .unwrap();
    let Link::To(s, LinkHow::Reference) = app.subnet else {
        panic!("{:?}", app.subnet)
    };
    assert_eq!(
        m.subnet(s).meta.address,
        "module.network[\"prod\"].aws_subnet.private[0]"
    );
    // Gateway endpoints add service routes to each private table of their environment.
    let s3_routes = m
        .routes
        .iter()
        .filter(|r| r.destination == Destination::Service("s3".into()))
        .count();
    assert_eq!(s3_routes, 5);
    // The prod VPC has its secondary CIDR, and every table of prod has both local routes.
    let prod = m
        .vpcs
        .iter()
        .find(|v| v.meta.address.contains("prod"))
        .unwrap();
    assert_eq!(prod.ipv4.len(), 2);
    let main = m.route_table(prod.main_route_table);
    assert!(main.synthesized);
    assert_eq!(
        main.routes
            .iter()
            .filter(|r| m.route(**r).target == Target::Local)
            .count(),
        2
    );
    // Module calls, without instance keys.
    let calls: Vec<_> = n
        .module_calls
        .iter()
        .map(|c| (c.path.as_str(), c.source.as_str()))
        .collect();
    assert_eq!(
        calls,
        vec![
            ("module.network", "./modules/network"),
            ("module.network.module.routing", "../routing")
        ]
    );
}

#[test]
fn ids_are_deterministic_and_sorted() {
    let Some(a) = load("three-tier") else { return };
    let b = load("three-tier").unwrap();
    assert_eq!(a, b);
    let addrs: Vec<_> = a
        .after
        .subnets
        .iter()
        .map(|s| s.meta.address.clone())
        .collect();
    let mut sorted = addrs.clone();
    sorted.sort();
    assert_eq!(addrs, sorted);
    let routes: Vec<_> = a.after.routes.iter().map(|r| r.address.clone()).collect();
    let mut sorted = routes.clone();
    sorted.sort();
    assert_eq!(routes, sorted);
}

#[test]
fn every_fixture_links_subnets_and_routes() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata");
    let Ok(entries) = std::fs::read_dir(&root) else {
        return;
    };
    for e in entries {
        let dir = e.unwrap().path();
        let p = dir.join("plan.json");
        if !p.exists() {
            continue;
        }
        let n = plan::load(&p).unwrap();
        // Subnets in VPCs the plan does not hold: linked to nothing, and saying why.
        if dir.ends_with("existing-vpc") {
            for s in &n.after.subnets {
                assert!(
                    matches!(
                        s.vpc,
                        tfvpc::model::Link::External(_) | tfvpc::model::Link::Unresolved(_)
                    ),
                    "{}: {:?}",
                    s.meta.address,
                    s.vpc
                );
            }
            continue;
        }
        // Associations whose subnet is not known: the subnets they may cover say why.
        let unsure = dir.ends_with("association-module-for-each");
        for s in &n.after.subnets {
            assert!(s.vpc.id().is_some(), "{}: {}", p.display(), s.meta.address);
            if unsure && s.meta.address.starts_with("module.tier") {
                fn why<T>(l: &Link<T>) -> &str {
                    match l {
                        Link::Unresolved(why) => why,
                        _ => "",
                    }
                }
                // The network ACL not known is one of the subnet's own with undecided rules
                // (traffic through it is `unknown`), saying why.
                let acl = n.after.nacl(s.nacl.link.id().expect("an undecided ACL"));
                assert!(acl.synthesized, "{}", acl.meta.address);
                let acl_why = match &acl.ingress[0].cidr {
                    AnyBlock::V4(Block::Unknown(u)) => u.reason.as_str(),
                    other => panic!("{other:?}"),
                };
                for why in [why(&s.route_table.link), acl_why] {
                    assert!(
                        why.contains("associates a subnet not known at plan time"),
                        "{}: {why:?}",
                        s.meta.address
                    );
                }
                continue;
            }
            // A main route table association whose VPC is not known.
            if dir.ends_with("links-module-for-each") && s.meta.address == "aws_subnet.implicit" {
                assert!(
                    matches!(&s.route_table.link, Link::Unresolved(why) if why.contains("sets the main route table of a VPC")),
                    "{:?}",
                    s.route_table.link
                );
                continue;
            }
            assert!(
                s.route_table.link.id().is_some(),
                "{}: {}",
                p.display(),
                s.meta.address
            );
            assert!(
                s.nacl.link.id().is_some(),
                "{}: {}",
                p.display(),
                s.meta.address
            );
        }
        for r in &n.after.routes {
            if (dir.ends_with("route-module-for-each")
                || dir.ends_with("nat-route-module-for-each")
                || dir.ends_with("route-table-candidates"))
                && (r.address.starts_with("aws_route.")
                    || r.address.starts_with("aws_vpc_endpoint.s3"))
            {
                // Its table is named through a module output not in the plan; it is one of
                // the two tables the module instance's outputs name.
                assert!(
                    matches!(&r.table, Link::Unresolved(why) if why.contains("name different objects")),
                    "{}: {:?}",
                    r.address,
                    r.table
                );
                let among: Vec<&str> = r
                    .table_among
                    .iter()
                    .map(|t| n.after.route_table(*t).meta.address.as_str())
                    .collect();
                assert_eq!(among.len(), 2, "{}: {among:?}", r.address);
                // Of the module instance with the route's own key.
                let key = r
                    .address
                    .find('[')
                    .zip(r.address.find(']'))
                    .and_then(|(a, b)| r.address.get(a..=b))
                    .unwrap_or("?");
                assert!(
                    among.iter().all(|t| t.starts_with("module.")
                        && t.contains(&format!("{key}.aws_route_table."))),
                    "{}: {among:?}",
                    r.address
                );
                continue;
            }
            assert!(r.table.id().is_some(), "{}: {}", p.display(), r.address);
        }
    }
}

#[test]
fn inline_routes_and_vgw_propagation_in_vpn_fixture() {
    let Some(n) = load("vpn") else { return };
    let m = &n.after;
    let route = |addr: &str| {
        m.routes
            .iter()
            .find(|r| r.address == addr)
            .unwrap_or_else(|| panic!("{addr}"))
    };
    // `route { transit_gateway_id = aws_ec2_transit_gateway.hub.id }`: unknown at plan time,
    // linked through the block attribute's references.
    let Target::TransitGateway(Link::To(t, LinkHow::Reference)) =
        route("aws_route_table.spoke route[0]").target
    else {
        panic!("{:?}", route("aws_route_table.spoke route[0]").target)
    };
    assert_eq!(
        m.transit_gateway(t).meta.address,
        "aws_ec2_transit_gateway.hub"
    );
    // Static VPN routes appear as VGW-propagated routes in the tables the VGW propagates to.
    let p = route("aws_route_table.private_b propagated 192.168.0.0/16 from aws_vpn_connection_route.head_office");
    assert!(matches!(p.origin, RouteOrigin::Propagated(_)));
    // VPN connections with transit_gateway_id get a synthesized TGW attachment.
    assert!(m
        .tgw_attachments
        .iter()
        .any(|a| matches!(a.kind, TgwAttachmentKind::Vpn { .. })));
}

/// A `for_each` key may hold any text, " local " included: a table's local routes still
/// belong to it (their addresses are `<table> local <cidr>`).
#[test]
fn local_routes_find_their_table_whatever_its_key() {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/peering/plan.json");
    let text = std::fs::read_to_string(&p).unwrap();
    assert!(text.contains(r#"aws_route_table.this[\"a\"]"#));
    let text = text
        .replace(r#"[\"a\"]"#, r#"[\"a local x\"]"#)
        .replace(r#""index":"a""#, r#""index":"a local x""#);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("plan.json");
    std::fs::write(&file, text).unwrap();
    let n = plan::load(&file).unwrap();
    let table = r#"aws_route_table.this["a local x"]"#;
    let tid = n
        .after
        .route_tables
        .iter()
        .position(|t| t.meta.address == table)
        .unwrap_or_else(|| panic!("{table} not in the model"));
    let local: Vec<&Route> = n
        .after
        .routes
        .iter()
        .filter(|r| r.origin == RouteOrigin::Local && r.address.starts_with(table))
        .collect();
    assert!(!local.is_empty());
    for r in local {
        assert_eq!(
            r.table.id(),
            Some(RouteTableId(tid as u32)),
            "{}",
            r.address
        );
    }
}

/// `module.spoke[each.key].attachment_id`: terraform's plan lists only `module.spoke` and
/// `each.key`. The spoke with the association's own key is followed to the one output that
/// names an attachment (two name the same one), marked inferred; the edge module's two
/// outputs name different attachments, so its association stays unresolved, and says why.
#[test]
fn a_module_indexed_by_the_referrers_key_is_followed_to_its_one_output_of_the_wanted_type() {
    let n = load("tgw-module-for-each").expect("the fixture is committed");
    let m = &n.after;
    let table = m
        .tgw_route_tables
        .iter()
        .find(|t| t.meta.address == "aws_ec2_transit_gateway_route_table.spokes")
        .unwrap();
    let attachment = |a: TgwAttachmentId| m.tgw_attachment(a).meta.address.as_str();
    for spoke in ["app", "data", "shared"] {
        let assoc = format!("aws_ec2_transit_gateway_route_table_association.spoke[\"{spoke}\"]");
        let (_, link) = table
            .associations
            .iter()
            .find(|(a, _)| **a == *assoc)
            .unwrap_or_else(|| panic!("{assoc}"));
        let Link::To(a, how) = link else {
            panic!("{assoc}: {link:?}")
        };
        assert_eq!(
            attachment(*a),
            format!("module.spoke[\"{spoke}\"].aws_ec2_transit_gateway_vpc_attachment.this")
        );
        assert_eq!(*how, LinkHow::Inferred);
    }
    let propagated: Vec<&str> = table
        .propagations
        .iter()
        .map(|(_, l)| attachment(l.id().expect("every propagation resolves")))
        .collect();
    assert_eq!(
        propagated,
        [
            "module.spoke[\"app\"].aws_ec2_transit_gateway_vpc_attachment.this",
            "module.spoke[\"data\"].aws_ec2_transit_gateway_vpc_attachment.this",
        ]
    );
    let (_, edge) = table
        .associations
        .iter()
        .find(|(a, _)| **a == *"aws_ec2_transit_gateway_route_table_association.edge[\"edge\"]")
        .unwrap();
    let Link::Unresolved(why) = edge else {
        panic!("{edge:?}")
    };
    assert!(
        why.contains("`attachment_id` and `shared_attachment_id` name different objects"),
        "{why}"
    );
}
