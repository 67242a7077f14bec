//! Hand-checked verdicts on the real fixtures: the answers an AWS network engineer checks
//! first, each with the reason and the hop that drops.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::path::Path;

use tfvpc::analysis::{self, DropKind, PathResult, Query, QueryProtocol, Scope, Verdict};
use tfvpc::model::{Block, Family, Network, PortRange, SgPeer};

fn network(scenario: &str) -> Network {
    tfvpc::plan::load(Path::new(&format!("testdata/{scenario}/plan.json"))).expect("fixture loads")
}

/// A fixture plan with some attributes known, as they are once the resources exist: each
/// `(address, attribute, value)` sets the planned value and drops it from `after_unknown`.
fn with_known(scenario: &str, known: &[(&str, &str, serde_json::Value)]) -> Network {
    patched(scenario, |plan| {
        for r in plan["planned_values"]["root_module"]["resources"]
            .as_array_mut()
            .unwrap()
        {
            for (address, attr, value) in known {
                if r["address"] == *address {
                    r["values"][*attr] = value.clone();
                }
            }
        }
        for r in plan["resource_changes"].as_array_mut().unwrap() {
            for (address, attr, _) in known {
                if r["address"] == *address {
                    r["change"]["after_unknown"]
                        .as_object_mut()
                        .unwrap()
                        .remove(*attr);
                }
            }
        }
    })
}

/// A fixture plan as `patch` changes it.
fn patched(scenario: &str, patch: impl FnOnce(&mut serde_json::Value)) -> Network {
    let text = std::fs::read_to_string(format!("testdata/{scenario}/plan.json")).unwrap();
    let mut plan: serde_json::Value = serde_json::from_str(&text).unwrap();
    patch(&mut plan);
    // One directory per call: tests patch the same scenario at once.
    static CALLS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let call = CALLS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("tfvpc-{scenario}-{}-{call}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("plan.json");
    std::fs::write(&file, serde_json::to_vec(&plan).unwrap()).unwrap();
    let n = tfvpc::plan::load(&file).expect("patched plan loads");
    std::fs::remove_dir_all(&dir).unwrap();
    n
}

fn answer(scenario: &str, from: &str, to: &str, family: Family) -> PathResult {
    let n = network(scenario);
    analysis::reachability(&n.after, Scope::All)
        .results
        .into_iter()
        .find(|r| *r.from == *from && *r.to == *to && r.family == family)
        .unwrap_or_else(|| panic!("no result {from} -> {to} {family} in {scenario}"))
}

#[test]
fn eigw_lets_ipv6_out_and_drops_it_in() {
    let out = answer("three-tier", "aws_subnet.app[0]", "internet", Family::Ipv6);
    assert_eq!(out.verdict, Verdict::Allowed);
    assert!(out
        .path
        .iter()
        .any(|h| &**h == "aws_egress_only_internet_gateway.main"));
    let inbound = answer("three-tier", "internet", "aws_subnet.app[0]", Family::Ipv6);
    assert_eq!(inbound.verdict, Verdict::Blocked);
    assert_eq!(
        inbound.dropped_by.as_deref(),
        Some("aws_egress_only_internet_gateway.main")
    );
    assert!(inbound.reason.contains("egress-only"), "{}", inbound.reason);
}

#[test]
fn private_subnet_reaches_the_internet_through_its_own_nat_but_not_back() {
    let out = answer("three-tier", "aws_subnet.app[0]", "internet", Family::Ipv4);
    assert_eq!(out.verdict, Verdict::Allowed);
    assert!(out.path.iter().any(|h| &**h == "aws_nat_gateway.main[0]"));
    let inbound = answer("three-tier", "internet", "aws_subnet.app[0]", Family::Ipv4);
    assert_eq!(inbound.verdict, Verdict::Blocked);
    assert_eq!(
        inbound.dropped_by.as_deref(),
        Some("aws_route_table.app[0]")
    );
}

#[test]
fn the_data_tier_is_open_to_the_internet_over_ipv6() {
    let r = answer("three-tier", "internet", "aws_subnet.data[0]", Family::Ipv6);
    assert_eq!(r.verdict, Verdict::Allowed, "{}", r.reason);
}

#[test]
fn peering_is_not_transitive() {
    let ab = answer(
        "peering",
        "aws_subnet.this[\"a\"]",
        "aws_subnet.this[\"b\"]",
        Family::Ipv4,
    );
    assert_eq!(ab.verdict, Verdict::Allowed);
    let ac = answer(
        "peering",
        "aws_subnet.this[\"a\"]",
        "aws_subnet.this[\"c\"]",
        Family::Ipv4,
    );
    assert_eq!(ac.verdict, Verdict::Blocked);
    assert!(ac.reason.contains("not transitive"), "{}", ac.reason);
}

#[test]
fn a_peer_without_the_return_route_cannot_answer() {
    let r = answer(
        "peering",
        "aws_subnet.this[\"a\"]",
        "aws_subnet.this[\"e\"]",
        Family::Ipv4,
    );
    assert_eq!(r.verdict, Verdict::Blocked);
    assert_eq!(r.drop_kind, Some(DropKind::ReturnRoute));
    assert_eq!(r.dropped_by.as_deref(), Some("aws_route_table.this[\"e\"]"));
}

#[test]
fn a_nacl_without_ephemeral_egress_breaks_replies() {
    let r = answer(
        "nacl-rules",
        "aws_subnet.this[\"web_good\"]",
        "aws_subnet.this[\"web_bad\"]",
        Family::Ipv4,
    );
    assert_eq!(r.verdict, Verdict::Blocked);
    assert_eq!(r.drop_kind, Some(DropKind::NaclReturn));
    assert!(
        r.reason.contains("aws_network_acl.no_return"),
        "{}",
        r.reason
    );
    assert!(r.reason.contains("replies"), "{}", r.reason);
}

#[test]
fn a_lower_numbered_deny_shadows_an_allow() {
    let r = answer(
        "nacl-rules",
        "aws_subnet.this[\"web_bad\"]",
        "aws_subnet.this[\"shadowed\"]",
        Family::Ipv4,
    );
    assert_eq!(r.verdict, Verdict::Blocked);
    assert!(r.reason.contains("rule 100 denies"), "{}", r.reason);
}

#[test]
fn a_subnet_without_association_inherits_the_main_table() {
    let n = network("route-tables");
    let s = n
        .after
        .subnets
        .iter()
        .find(|s| s.meta.address == "aws_subnet.implicit")
        .expect("subnet");
    let t = s.route_table.link.id().expect("linked");
    let main = n
        .after
        .vpcs
        .iter()
        .find(|v| Some(v.main_route_table) == Some(t))
        .expect("it is a VPC's main table");
    assert!(!main.meta.address.is_empty());
    let r = answer(
        "route-tables",
        "aws_subnet.implicit",
        "internet",
        Family::Ipv4,
    );
    assert!(
        r.path
            .iter()
            .any(|h| **h == *n.after.route_table(t).meta.address),
        "{r:?}"
    );
}

#[test]
fn a_tgw_spoke_without_a_return_route_cannot_be_reached() {
    let r = answer(
        "transit-gateway",
        "aws_subnet.spoke[\"spoke1-us-east-1a\"]",
        "aws_subnet.spoke[\"spoke3-us-east-1a\"]",
        Family::Ipv4,
    );
    assert_eq!(r.verdict, Verdict::Blocked);
    assert_eq!(r.drop_kind, Some(DropKind::ReturnRoute));
    let ok = answer(
        "transit-gateway",
        "aws_subnet.spoke[\"spoke1-us-east-1a\"]",
        "aws_subnet.spoke[\"spoke2-us-east-1a\"]",
        Family::Ipv4,
    );
    assert_eq!(ok.verdict, Verdict::Allowed, "{}", ok.reason);
}

#[test]
fn igw_ipv4_without_a_public_address_is_unknown() {
    let r = answer(
        "route-tables",
        "aws_subnet.appliance",
        "internet",
        Family::Ipv4,
    );
    assert_eq!(r.verdict, Verdict::Unknown);
    assert!(
        r.reason.contains("public IPv4"),
        "the reason names the missing public address: {}",
        r.reason
    );
}

#[test]
fn a_security_group_with_no_egress_stops_a_workload() {
    let n = network("security-groups");
    let sg = n
        .after
        .security_groups
        .iter()
        .find(|g| !g.egress_declared && !g.is_default)
        .expect("the fixture has a group without egress");
    let wl = n
        .after
        .workloads
        .iter()
        .find(|w| {
            w.security_groups
                .iter()
                .any(|l| l.id().map(|i| &n.after.security_groups[i.index()]) == Some(sg))
        })
        .expect("a workload uses it");
    let q = Query {
        from: wl.meta.address.clone(),
        to: "internet".to_string(),
        family: Some(Family::Ipv4),
        protocol: QueryProtocol::Tcp,
        ports: vec![PortRange::single(443)],
    };
    let r = analysis::query(&n.after, &q).expect("query answers");
    assert!(r.iter().all(|r| r.verdict == Verdict::Blocked), "{r:?}");
    assert_eq!(r[0].drop_kind, Some(DropKind::SecurityGroup));
}

/// `aws_security_group_rule.source_security_group_id` is unknown in every plan that
/// creates the rule (the provider computes it); a rule of CIDRs, `self` or prefix lists that
/// leaves it out names no group: the app group's rules decide what the db instance sends it.
#[test]
fn a_rule_that_names_no_group_is_not_one_that_may() {
    let n = network("security-groups");
    let app = n
        .after
        .security_groups
        .iter()
        .find(|g| g.meta.address == "aws_security_group.app")
        .expect("the fixture has the app group");
    assert!(
        app.ingress
            .iter()
            .all(|r| !matches!(&r.peer, SgPeer::Group(tfvpc::model::Link::Unresolved(_)))),
        "{:#?}",
        app.ingress
    );
    for (port, verdict) in [
        (22, Verdict::Blocked),
        (5432, Verdict::Blocked),
        (8080, Verdict::Allowed),
    ] {
        let r = tcp_query(&n.after, "aws_instance.db", "aws_instance.app", port);
        assert_eq!(r.verdict, verdict, "tcp:{port}: {}", r.reason);
    }
}

#[test]
fn igw_ingress_routing_sends_inbound_traffic_through_the_firewall_endpoint() {
    // testdata/vpc-endpoints: a route table edge-associated with the IGW sends traffic for
    // the web subnet to a Gateway Load Balancer endpoint.
    let r = answer("vpc-endpoints", "internet", "aws_subnet.web", Family::Ipv4);
    assert_eq!(r.verdict, Verdict::Allowed, "{}", r.reason);
    assert_eq!(
        r.path.iter().map(|h| &**h).collect::<Vec<_>>(),
        [
            "internet",
            "aws_internet_gateway.main",
            "aws_route_table.igw_edge",
            "aws_vpc_endpoint.firewall",
            "aws_subnet.web"
        ]
    );
}

/// AWS applies the NACL of a transit gateway attachment's subnet to traffic entering the
/// gateway (its inbound rules) and leaving it (its outbound rules); traffic from the gateway
/// to instances in that same subnet meets no NACL.
#[test]
fn the_nacl_of_a_tgw_attachment_subnet_filters_what_enters_and_leaves_the_gateway() {
    // app -> db: the tgw subnet's inbound rules admit tcp 443 only, and db's own rule 100
    // (deny all from 10.1.0.0/16) is not evaluated: db is the attachment's subnet.
    let r = answer("tgw-nacl", "aws_subnet.app", "aws_subnet.db", Family::Ipv4);
    assert_eq!(r.verdict, Verdict::Allowed, "{}", r.reason);
    assert_eq!(r.ports, "tcp:443");
    assert!(
        r.path.iter().any(|h| &**h == "aws_network_acl.tgw"),
        "{:?}",
        r.path
    );
    // app -> web: entered through db, the data attachment's subnet, whose outbound rules
    // allow it; still tcp 443 only.
    let web = answer("tgw-nacl", "aws_subnet.app", "aws_subnet.web", Family::Ipv4);
    assert_eq!(web.verdict, Verdict::Allowed, "{}", web.reason);
    assert_eq!(web.ports, "tcp:443");
    let tgw = web
        .path
        .iter()
        .position(|h| &**h == "aws_network_acl.tgw")
        .expect("the tgw subnet's NACL is a hop");
    let db = web
        .path
        .iter()
        .position(|h| &**h == "aws_network_acl.db")
        .expect("the db subnet's NACL is a hop");
    assert!(tgw < db, "{:?}", web.path);
    // db -> app: requests leave the tgw subnet only on ephemeral ports (the outbound rule
    // for the replies of 443), and app's replies to the gateway meet the tgw subnet's
    // inbound rules, which admit tcp 443 only. No request anyone meant passes: a NACL
    // drop, not a reply drop (TFVPC110).
    let back = answer("tgw-nacl", "aws_subnet.db", "aws_subnet.app", Family::Ipv4);
    assert_eq!(back.verdict, Verdict::Blocked);
    assert_eq!(back.drop_kind, Some(DropKind::Nacl));
    assert_eq!(back.dropped_by.as_deref(), Some("aws_network_acl.tgw"));
    // db -> tgw: from the gateway to the attachment's own subnet no rule filters the
    // request, and its replies meet the inbound rules: a reply drop.
    let own = answer("tgw-nacl", "aws_subnet.db", "aws_subnet.tgw", Family::Ipv4);
    assert_eq!(own.verdict, Verdict::Blocked);
    assert_eq!(own.drop_kind, Some(DropKind::NaclReturn));
    assert_eq!(own.dropped_by.as_deref(), Some("aws_network_acl.tgw"));
}

/// Instances in the attachment's own subnet meet both of its rule lists on the way to the
/// gateway: the tgw subnet's outbound rules allow only ephemeral ports to 10.1.0.0/16.
#[test]
fn traffic_from_a_tgw_attachment_subnet_meets_its_outbound_rules() {
    let r = answer("tgw-nacl", "aws_subnet.tgw", "aws_subnet.db", Family::Ipv4);
    assert_eq!(r.verdict, Verdict::Blocked);
    assert_eq!(r.drop_kind, Some(DropKind::Nacl));
    assert_eq!(r.dropped_by.as_deref(), Some("aws_network_acl.tgw"));
}

/// A transit gateway peering is followed to the peer gateway: the table the peering
/// attachment is associated with there (through its accepter) decides the next attachment,
/// and replies need a route back at both gateways.
#[test]
fn a_tgw_peering_is_followed_to_the_peer_gateway_and_back() {
    let r = answer(
        "tgw-peering",
        "aws_subnet.app",
        "aws_subnet.api",
        Family::Ipv4,
    );
    assert_eq!(r.verdict, Verdict::Allowed, "{}", r.reason);
    let hops: Vec<&str> = r.path.iter().map(|h| &**h).collect();
    let at = |name: &str| {
        hops.iter()
            .position(|h| *h == name)
            .unwrap_or_else(|| panic!("{name} not in {hops:?}"))
    };
    assert!(
        at("aws_ec2_transit_gateway.east")
            < at("aws_ec2_transit_gateway_peering_attachment.east_west")
    );
    assert!(
        at("aws_ec2_transit_gateway_peering_attachment.east_west")
            < at("aws_ec2_transit_gateway.west")
    );
    assert!(at("aws_ec2_transit_gateway.west") < at("aws_ec2_transit_gateway_vpc_attachment.west"));
    let back = answer(
        "tgw-peering",
        "aws_subnet.api",
        "aws_subnet.app",
        Family::Ipv4,
    );
    assert_eq!(back.verdict, Verdict::Allowed, "{}", back.reason);

    let legacy = answer(
        "tgw-peering",
        "aws_subnet.app",
        "aws_subnet.old",
        Family::Ipv4,
    );
    assert_eq!(legacy.verdict, Verdict::Blocked);
    assert_eq!(legacy.drop_kind, Some(DropKind::ReturnRoute));
    assert_eq!(
        legacy.dropped_by.as_deref(),
        Some("aws_ec2_transit_gateway_route_table.legacy")
    );
    assert!(
        legacy.reason.contains("peering_attachment.east_west"),
        "{}",
        legacy.reason
    );
}

/// A VPC attachment accepted in the gateway's account is associated and propagated by its
/// accepter: the accepter is the attachment, and its own settings decide the default-table
/// association and propagation.
#[test]
fn a_cross_account_attachment_is_routed_by_its_accepter() {
    let n = network("tgw-cross-account");
    let app = n
        .after
        .tgw_attachments
        .iter()
        .find(|a| &*a.meta.address == "aws_ec2_transit_gateway_vpc_attachment.app")
        .expect("the workload attachment is modelled");
    assert!(!app.default_association && !app.default_propagation);
    for (from, to) in [
        ("aws_subnet.app", "aws_subnet.svc"),
        ("aws_subnet.svc", "aws_subnet.app"),
    ] {
        let r = answer("tgw-cross-account", from, to, Family::Ipv4);
        assert_eq!(r.verdict, Verdict::Allowed, "{from} -> {to}: {}", r.reason);
        assert!(
            r.path
                .iter()
                .any(|h| &**h == "aws_ec2_transit_gateway_route_table.shared"),
            "{:?}",
            r.path
        );
    }
}

/// AWS Network Firewall endpoints are GWLB endpoints, one per subnet of the firewall: a
/// route to the firewall goes on from its subnet in the route's AZ. Its rules are not
/// evaluated, and the answer says so.
#[test]
fn egress_goes_through_the_network_firewall_endpoint_of_its_az() {
    for (app, fw, nat) in [
        (
            "aws_subnet.app[0]",
            "aws_subnet.firewall[0]",
            "aws_nat_gateway.main[0]",
        ),
        (
            "aws_subnet.app[1]",
            "aws_subnet.firewall[1]",
            "aws_nat_gateway.main[1]",
        ),
    ] {
        let r = answer("network-firewall", app, "internet", Family::Ipv4);
        assert_eq!(r.verdict, Verdict::Allowed, "{}", r.reason);
        let hops: Vec<&str> = r.path.iter().map(|h| &**h).collect();
        let at = |name: &str| {
            hops.iter()
                .position(|h| *h == name)
                .unwrap_or_else(|| panic!("{name} not in {hops:?}"))
        };
        assert!(at("aws_networkfirewall_firewall.egress") < at(fw));
        assert!(at(fw) < at(nat));
        assert!(
            r.reason.contains("whose rules tfvpc does not evaluate"),
            "{}",
            r.reason
        );
    }
}

/// Once a firewall exists, routes name its endpoints by id (`vpce-…`, from
/// `firewall_status`): each id leads to the firewall. The network-firewall plan, with the
/// values an existing firewall and route would have.
#[test]
fn a_route_to_an_existing_firewall_endpoint_id_leads_to_the_firewall() {
    let endpoint = "vpce-0aaa0aaa0aaa0aaa0";
    let status = serde_json::json!([{"sync_states": [
        {"availability_zone": "us-east-1a",
         "attachment": [{"endpoint_id": endpoint, "subnet_id": "subnet-0a", "status": "READY"}]},
        {"availability_zone": "us-east-1b",
         "attachment": [{"endpoint_id": "vpce-0bbb0bbb0bbb0bbb0", "subnet_id": "subnet-0b", "status": "READY"}]}
    ]}]);
    let n = with_known(
        "network-firewall",
        &[
            (
                "aws_networkfirewall_firewall.egress",
                "firewall_status",
                status,
            ),
            (
                "aws_route.app_egress[0]",
                "vpc_endpoint_id",
                endpoint.into(),
            ),
        ],
    );
    let route = n
        .after
        .routes
        .iter()
        .find(|r| &*r.address == "aws_route.app_egress[0]")
        .unwrap();
    let tfvpc::model::Target::Endpoint(tfvpc::model::Link::To(e, how)) = &route.target else {
        panic!("{:?}", route.target);
    };
    assert_eq!(*how, tfvpc::model::LinkHow::Id);
    assert_eq!(
        &*n.after.endpoint(*e).meta.address,
        "aws_networkfirewall_firewall.egress"
    );
    let r = analysis::reachability(&n.after, Scope::External)
        .results
        .into_iter()
        .find(|r| {
            &*r.from == "aws_subnet.app[0]" && &*r.to == "internet" && r.family == Family::Ipv4
        })
        .unwrap();
    assert_eq!(r.verdict, Verdict::Allowed, "{}", r.reason);
}

/// An accepter whose attachment the plan does not hold (another account's plan, or an id
/// written out) says so on the model, rather than being dropped silently.
#[test]
fn an_accepter_of_an_attachment_outside_the_plan_is_a_diagnostic() {
    let accepter = "aws_ec2_transit_gateway_vpc_attachment_accepter.app";
    let outside = "tgw-attach-0123456789abcdef0";
    let n = with_known(
        "tgw-cross-account",
        &[(accepter, "transit_gateway_attachment_id", outside.into())],
    );
    let d = n
        .after
        .diagnostics
        .iter()
        .find(|d| d.address.as_deref() == Some(accepter))
        .unwrap_or_else(|| panic!("{:?}", n.after.diagnostics));
    assert!(
        d.message
            .contains("accepts an attachment this plan does not hold")
            && d.message.contains(outside),
        "{}",
        d.message
    );
}

#[test]
fn a_dynamic_route_block_is_read_and_its_unknown_target_gives_unknown() {
    let out = answer("dynamic-blocks", "aws_subnet.web", "internet", Family::Ipv4);
    assert_eq!(out.verdict, Verdict::Unknown, "{}", out.reason);
    assert!(out.reason.contains("route[0]"), "{}", out.reason);
    assert!(out.reason.contains("`dynamic` blocks"), "{}", out.reason);
    // The NACL's rules written in dynamic blocks are read too.
    let n = network("dynamic-blocks");
    let nacl = n
        .after
        .nacls
        .iter()
        .find(|x| x.meta.address == "aws_network_acl.web")
        .unwrap();
    let ingress: Vec<(u32, bool)> = nacl
        .ingress
        .iter()
        .map(|r| (r.rule_number, r.allow))
        .collect();
    assert_eq!(ingress, [(100, false), (200, true)]);
    assert_eq!(nacl.egress.len(), 1);
}

#[test]
fn prefix_list_entries_that_are_resources_are_routed() {
    let out = answer(
        "dynamic-blocks",
        "aws_subnet.app",
        "vpn:aws_vpn_connection.head_office",
        Family::Ipv4,
    );
    assert_eq!(out.verdict, Verdict::Allowed, "{}", out.reason);
    assert!(out.path.iter().any(|h| &**h == "aws_vpn_gateway.office"));
}

#[test]
fn a_prefix_list_whose_entries_are_unknown_makes_its_routes_unknown() {
    for to in ["vpn:aws_vpn_connection.head_office", "internet"] {
        let out = answer("dynamic-blocks", "aws_subnet.batch", to, Family::Ipv4);
        assert_eq!(out.verdict, Verdict::Unknown, "{to}: {}", out.reason);
        assert!(
            out.reason
                .contains("entries of prefix list `aws_ec2_managed_prefix_list.partners`"),
            "{}",
            out.reason
        );
    }
}

#[test]
fn rules_and_entries_deleted_as_resources_are_gone_from_the_planned_network() {
    let n = network("separate-rules");
    let ports = |m: &tfvpc::model::Model| {
        analysis::reachability(m, Scope::All)
            .results
            .into_iter()
            .find(|r| {
                &*r.from == "internet" && &*r.to == "aws_subnet.web" && r.family == Family::Ipv4
            })
            .unwrap()
            .ports
    };
    assert_eq!(ports(&n.before), "tcp:22,tcp:443,tcp:1024-65535");
    assert_eq!(ports(&n.after), "tcp:443,tcp:1024-65535");
    // Each rule once, from its resource: the parents' own attributes (AWS's view, which
    // repeats them and still lists the deleted ones) are not read.
    for (m, ssh) in [(&n.before, true), (&n.after, false)] {
        let nacl = m
            .nacls
            .iter()
            .find(|x| x.meta.address == "aws_network_acl.web")
            .unwrap();
        let mut rules: Vec<&str> = nacl
            .ingress
            .iter()
            .chain(&nacl.egress)
            .map(|r| r.address.as_str())
            .collect();
        rules.sort_unstable();
        let mut want = vec![
            "aws_network_acl_rule.in_https",
            "aws_network_acl_rule.in_replies",
            "aws_network_acl_rule.out_all",
        ];
        if ssh {
            want.push("aws_network_acl_rule.in_ssh");
            want.sort_unstable();
        }
        assert_eq!(rules, want);
        let sg = m
            .security_groups
            .iter()
            .find(|x| x.meta.address == "aws_security_group.web")
            .unwrap();
        assert!(sg
            .ingress
            .iter()
            .all(|r| !r.address.starts_with("aws_security_group.web ")));
        assert_eq!(
            sg.ingress
                .iter()
                .any(|r| r.address == "aws_security_group_rule.ssh"),
            ssh
        );
        let list = m
            .prefix_lists
            .iter()
            .find(|x| x.meta.address == "aws_ec2_managed_prefix_list.shared")
            .unwrap();
        assert!(list.entries.is_empty());
        assert_eq!(list.entry_resources.len(), if ssh { 2 } else { 1 });
    }
}

#[test]
fn a_deleted_prefix_list_entry_closes_the_path_it_routed() {
    let n = network("separate-rules");
    let before = analysis::reachability(&n.before, Scope::All);
    let after = analysis::reachability(&n.after, Scope::All);
    let all = analysis::changes(&n, &before, &after);
    let verdicts: Vec<(&str, &str)> = all
        .iter()
        .filter(|c| c.verdict_changes())
        .map(|c| (c.from.as_str(), c.to.as_str()))
        .collect();
    assert_eq!(
        verdicts,
        [
            ("aws_subnet.app", "aws_subnet.shared_b"),
            ("aws_subnet.shared_b", "aws_subnet.app"),
        ]
    );
    // The deleted NACL rule (TCP 22 from anywhere) narrows what reaches `web`: a change of
    // ports, not of verdict, for the internet and for `app`.
    type Shift<'c> = (&'c str, &'c str, Option<(String, String)>);
    let ports: Vec<Shift<'_>> = all
        .iter()
        .filter(|c| !c.verdict_changes())
        .map(|c| (c.from.as_str(), c.to.as_str(), c.port_shift()))
        .collect();
    let no_longer_22 = Some((String::new(), "tcp:22".to_string()));
    assert_eq!(
        ports,
        [
            ("aws_subnet.app", "aws_subnet.web", no_longer_22.clone()),
            ("internet", "aws_subnet.web", no_longer_22),
        ]
    );
}

#[test]
fn association_resources_decide_over_the_parents_listed_associations() {
    let n = network("move-associations");
    let hops = |m: &tfvpc::model::Model, from: &str, to: &str| {
        let r = analysis::reachability(m, Scope::All)
            .results
            .into_iter()
            .find(|r| &*r.from == from && &*r.to == to && r.family == Family::Ipv4)
            .unwrap();
        (
            r.path.iter().map(|h| h.to_string()).collect::<Vec<_>>(),
            r.ports,
        )
    };
    let (path, ports) = hops(&n.before, "internet", "aws_subnet.web");
    assert!(
        path.contains(&"aws_network_acl.open".to_string()),
        "{path:?}"
    );
    assert_eq!(ports, "all");
    let (path, ports) = hops(&n.after, "internet", "aws_subnet.web");
    assert!(
        path.contains(&"aws_network_acl.strict".to_string()),
        "{path:?}"
    );
    assert_eq!(ports, "tcp:443,tcp:1024-65535");
    let (path, _) = hops(&n.before, "aws_subnet.web", "service:s3");
    assert!(
        path.contains(&"aws_vpc_endpoint.s3".to_string()),
        "{path:?}"
    );
    let (path, _) = hops(&n.after, "aws_subnet.web", "service:s3");
    assert!(
        path.contains(&"aws_internet_gateway.igw".to_string()),
        "{path:?}"
    );
    let s3 = n
        .after
        .endpoints
        .iter()
        .find(|e| e.meta.address == "aws_vpc_endpoint.s3")
        .unwrap();
    assert!(s3.route_tables.is_empty(), "{:?}", s3.route_tables);
}

/// The verdict of one answer of a model, with the hop that drops it.
fn verdict_of(
    m: &tfvpc::model::Model,
    from: &str,
    to: &str,
    family: Family,
) -> (Verdict, Option<String>, String) {
    let r = analysis::reachability(m, Scope::All)
        .results
        .into_iter()
        .find(|r| &*r.from == from && &*r.to == to && r.family == family)
        .unwrap_or_else(|| panic!("no result {from} -> {to} {family}"));
    (r.verdict, r.dropped_by.map(|d| d.to_string()), r.reason)
}

#[test]
fn block_public_access_blocks_the_internet_except_where_an_exclusion_allows() {
    let n = network("block-public-access");
    let bpa = Some("aws_vpc_block_public_access_options.this".to_string());
    let v4 = Family::Ipv4;
    let cases: &[(&str, &str, Family, Verdict, &Option<String>)] = &[
        // allow-bidirectional: both ways.
        ("aws_subnet.public", "internet", v4, Verdict::Allowed, &None),
        ("internet", "aws_subnet.public", v4, Verdict::Allowed, &None),
        // allow-egress: out only.
        ("aws_subnet.web", "internet", v4, Verdict::Allowed, &None),
        ("internet", "aws_subnet.web", v4, Verdict::Blocked, &bpa),
        // No exclusion: routed to the internet gateway, blocked both ways, S3 too.
        ("aws_subnet.legacy", "internet", v4, Verdict::Blocked, &bpa),
        ("internet", "aws_subnet.legacy", v4, Verdict::Blocked, &bpa),
        (
            "aws_subnet.legacy",
            "service:s3",
            v4,
            Verdict::Blocked,
            &bpa,
        ),
        // Through the NAT gateway, whose subnet is exempt for egress.
        ("aws_subnet.app", "internet", v4, Verdict::Allowed, &None),
        // Through the egress-only internet gateway, from a subnet no exclusion names.
        (
            "aws_subnet.app",
            "internet",
            Family::Ipv6,
            Verdict::Blocked,
            &bpa,
        ),
        // A gateway endpoint is not the internet.
        ("aws_subnet.app", "service:s3", v4, Verdict::Allowed, &None),
        // Another Region's VPC.
        (
            "aws_subnet.west_public",
            "internet",
            v4,
            Verdict::Allowed,
            &None,
        ),
        (
            "internet",
            "aws_subnet.west_public",
            v4,
            Verdict::Allowed,
            &None,
        ),
    ];
    for (from, to, family, verdict, by) in cases {
        let (v, dropped, reason) = verdict_of(&n.after, from, to, *family);
        assert_eq!(
            (v, &dropped),
            (*verdict, *by),
            "{from} -> {to} {family}: {reason}"
        );
    }
    let (_, _, reason) = verdict_of(&n.after, "internet", "aws_subnet.web", v4);
    assert!(
        reason.contains("`aws_vpc_block_public_access_exclusion.web` allows egress only"),
        "{reason}"
    );
    let (_, _, reason) = verdict_of(&n.after, "aws_subnet.app", "internet", v4);
    assert!(
        reason.contains(
            "exempt from Block Public Access by `aws_vpc_block_public_access_exclusion.nat`"
        ),
        "{reason}"
    );
    // The same Region through another provider configuration: perhaps another account.
    for (from, to) in [
        ("aws_subnet.shared_public", "internet"),
        ("internet", "aws_subnet.shared_public"),
    ] {
        let (v, _, reason) = verdict_of(&n.after, from, to, v4);
        assert_eq!(v, Verdict::Unknown, "{from} -> {to}: {reason}");
        assert!(
            reason.contains("(provider `aws.shared`): they may be in other accounts or Regions"),
            "{reason}"
        );
    }
}

#[test]
fn block_public_access_is_placed_by_known_region_and_account() {
    // As in a state or a plan over existing objects: the options' Region and account and
    // the VPCs' ARNs are known, and decide over the provider configurations.
    let n = with_known(
        "block-public-access",
        &[
            (
                "aws_vpc_block_public_access_options.this",
                "aws_region",
                serde_json::json!("us-east-1"),
            ),
            (
                "aws_vpc_block_public_access_options.this",
                "aws_account_id",
                serde_json::json!("111111111111"),
            ),
            (
                "aws_vpc.main",
                "arn",
                serde_json::json!("arn:aws:ec2:us-east-1:222222222222:vpc/vpc-0main"),
            ),
            (
                "aws_vpc.shared",
                "arn",
                serde_json::json!("arn:aws:ec2:us-east-1:111111111111:vpc/vpc-0shared"),
            ),
        ],
    );
    let v4 = Family::Ipv4;
    // `main` is in another account: not governed.
    let (v, _, reason) = verdict_of(&n.after, "internet", "aws_subnet.legacy", v4);
    assert_eq!(v, Verdict::Allowed, "{reason}");
    // `shared` is in the options' account and Region: governed, and nothing exempts it.
    let (v, by, reason) = verdict_of(&n.after, "aws_subnet.shared_public", "internet", v4);
    assert_eq!(v, Verdict::Blocked, "{reason}");
    assert_eq!(
        by.as_deref(),
        Some("aws_vpc_block_public_access_options.this")
    );
}

/// hashicorp/aws 6 gives every resource a `region` (its provider's unless it names one),
/// so one provider configuration may manage several Regions. The plans here come from
/// version 5.100, so the test writes in the `region` that version 6 would plan: the
/// options and `aws_vpc.main` in us-east-1, `aws_vpc.shared` in eu-west-1, and then
/// `aws_vpc.main`'s known only after apply.
#[test]
fn block_public_access_is_placed_by_each_resources_own_region() {
    let with_regions = |main_known: bool| {
        patched("block-public-access", |plan| {
            for r in plan["planned_values"]["root_module"]["resources"]
                .as_array_mut()
                .unwrap()
            {
                let region = match r["address"].as_str().unwrap() {
                    "aws_vpc.main" if !main_known => continue,
                    "aws_vpc_block_public_access_options.this" | "aws_vpc.main" => "us-east-1",
                    "aws_vpc.shared" => "eu-west-1",
                    _ => continue,
                };
                r["values"]["region"] = region.into();
            }
            for r in plan["resource_changes"].as_array_mut().unwrap() {
                if r["address"] == "aws_vpc.main" && !main_known {
                    r["change"]["after_unknown"]["region"] = true.into();
                }
            }
        })
    };
    let v4 = Family::Ipv4;
    let n = with_regions(true);
    // Another Region than the options': not governed (before: unknown, another provider).
    for (from, to) in [
        ("aws_subnet.shared_public", "internet"),
        ("internet", "aws_subnet.shared_public"),
    ] {
        let (v, _, reason) = verdict_of(&n.after, from, to, v4);
        assert_eq!(v, Verdict::Allowed, "{from} -> {to}: {reason}");
    }
    // The options' Region: governed, as through the one provider configuration.
    let (v, by, reason) = verdict_of(&n.after, "aws_subnet.legacy", "internet", v4);
    assert_eq!(v, Verdict::Blocked, "{reason}");
    assert_eq!(
        by.as_deref(),
        Some("aws_vpc_block_public_access_options.this")
    );
    // A Region known only after apply may be the options' or not.
    let n = with_regions(false);
    let (v, _, reason) = verdict_of(&n.after, "aws_subnet.legacy", "internet", v4);
    assert_eq!(v, Verdict::Unknown, "{reason}");
    assert!(
        reason.contains("may be in other accounts or Regions"),
        "{reason}"
    );
}

#[test]
fn an_unknown_block_mode_gives_unknown_where_it_could_block() {
    let options = "aws_vpc_block_public_access_options.this";
    let n = patched("block-public-access", |plan| {
        for r in plan["planned_values"]["root_module"]["resources"]
            .as_array_mut()
            .unwrap()
        {
            if r["address"] == options {
                r["values"]
                    .as_object_mut()
                    .unwrap()
                    .remove("internet_gateway_block_mode");
            }
        }
        for r in plan["resource_changes"].as_array_mut().unwrap() {
            if r["address"] == options {
                r["change"]["after"]
                    .as_object_mut()
                    .unwrap()
                    .remove("internet_gateway_block_mode");
                r["change"]["after_unknown"]["internet_gateway_block_mode"] = true.into();
            }
        }
    });
    let v4 = Family::Ipv4;
    // Blocked under some mode: unknown, naming the attribute.
    for (from, to) in [
        ("aws_subnet.legacy", "internet"),
        ("internet", "aws_subnet.web"),
    ] {
        let (v, _, reason) = verdict_of(&n.after, from, to, v4);
        assert_eq!(v, Verdict::Unknown, "{from} -> {to}: {reason}");
        assert!(
            reason.contains("internet_gateway_block_mode` is known only after apply"),
            "{reason}"
        );
    }
    // Passing under every mode: an allow-bidirectional exclusion.
    let (v, _, reason) = verdict_of(&n.after, "internet", "aws_subnet.public", v4);
    assert_eq!(v, Verdict::Allowed, "{reason}");
}

#[test]
fn turning_block_public_access_on_closes_paths_and_names_it() {
    let n = network("enable-bpa");
    let before = analysis::reachability(&n.before, Scope::All);
    let after = analysis::reachability(&n.after, Scope::All);
    let changes = analysis::changes(&n, &before, &after);
    let closed: Vec<(&str, &str, Verdict, Verdict)> = changes
        .iter()
        .filter(|c| c.family == Family::Ipv4 && c.verdict_changes())
        .filter(|c| c.to == "internet" || c.from == "internet")
        .map(|c| (c.from.as_str(), c.to.as_str(), c.before, c.after))
        .collect();
    assert_eq!(
        closed,
        [
            (
                "aws_subnet.nat",
                "internet",
                Verdict::Unknown,
                Verdict::Blocked
            ),
            (
                "aws_subnet.web",
                "internet",
                Verdict::Allowed,
                Verdict::Blocked
            ),
            (
                "internet",
                "aws_subnet.nat",
                Verdict::Unknown,
                Verdict::Blocked
            ),
            (
                "internet",
                "aws_subnet.web",
                Verdict::Allowed,
                Verdict::Blocked
            ),
        ]
    );
    for c in &changes {
        assert!(
            c.causes
                .contains(&"aws_vpc_block_public_access_options.this".to_string()),
            "{c:?}"
        );
    }
    // block-ingress lets NAT gateway traffic out, and the bastion's exclusion keeps it open.
    let v4 = Family::Ipv4;
    for (from, to) in [
        ("aws_subnet.app", "internet"),
        ("aws_subnet.bastion", "internet"),
        ("internet", "aws_subnet.bastion"),
    ] {
        let (v, _, reason) = verdict_of(&n.after, from, to, v4);
        assert_eq!(v, Verdict::Allowed, "{from} -> {to}: {reason}");
    }
    // allow-egress exempts nothing under block-ingress.
    let (_, _, reason) = verdict_of(&n.after, "aws_subnet.web", "internet", v4);
    assert!(
        reason.contains("applies only under `block-bidirectional`"),
        "{reason}"
    );
}

/// Whether the internet reaches `aws_instance.web` on TCP `port`, in model `m`.
fn internet_to_web(m: &tfvpc::model::Model, port: u16) -> Verdict {
    let q = Query {
        from: "internet".to_string(),
        to: "aws_instance.web".to_string(),
        family: Some(Family::Ipv4),
        protocol: QueryProtocol::Tcp,
        ports: vec![PortRange::single(port)],
    };
    let r = analysis::query(m, &q).expect("query answers");
    assert_eq!(r.len(), 1, "{r:?}");
    r[0].verdict
}

#[test]
fn groups_attached_to_an_instance_add_to_the_default_group() {
    let n = network("sg-attachments");
    let attached = |m: &tfvpc::model::Model| -> Vec<String> {
        let w = m
            .workloads
            .iter()
            .find(|w| w.meta.address == "aws_instance.web")
            .unwrap();
        // The instance names no group of its own: the VPC's default group applies.
        assert!(w.security_groups.is_empty());
        w.attached_security_groups
            .iter()
            .map(|(a, l)| {
                let g = &m.security_groups[l.id().expect("resolved").index()];
                format!("{a} -> {}", g.meta.address)
            })
            .collect()
    };
    // Resolved by the ID of the instance's primary network interface, in the prior state.
    assert_eq!(
        attached(&n.before),
        [
            "aws_network_interface_sg_attachment.web_https -> aws_security_group.https",
            "aws_network_interface_sg_attachment.web_ssh -> aws_security_group.ssh",
        ]
    );
    assert_eq!(
        attached(&n.after),
        ["aws_network_interface_sg_attachment.web_https -> aws_security_group.https"]
    );
    assert_eq!(internet_to_web(&n.before, 22), Verdict::Allowed);
    assert_eq!(internet_to_web(&n.after, 22), Verdict::Blocked);
    assert_eq!(internet_to_web(&n.after, 443), Verdict::Allowed);
}

#[test]
fn an_instances_group_list_that_repeats_its_attachments_is_aws_view() {
    // After a refresh against AWS, an instance whose configuration names no group lists
    // the default group and every attached one, and the planned value still does so for
    // an attachment the plan deletes. (moto leaves the list empty: patched here as AWS
    // fills it.)
    let text = std::fs::read_to_string("testdata/sg-attachments/plan.json").unwrap();
    let mut plan: serde_json::Value = serde_json::from_str(&text).unwrap();
    let id_of = |plan: &serde_json::Value, address: &str| -> serde_json::Value {
        plan["prior_state"]["values"]["root_module"]["resources"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["address"] == address)
            .map(|r| r["values"]["id"].clone())
            .unwrap()
    };
    let view = serde_json::json!([
        id_of(&plan, "aws_security_group.https"),
        id_of(&plan, "aws_security_group.ssh"),
    ]);
    for section in ["prior_state", "planned_values"] {
        let root = if section == "prior_state" {
            &mut plan[section]["values"]["root_module"]
        } else {
            &mut plan[section]["root_module"]
        };
        for r in root["resources"].as_array_mut().unwrap() {
            if r["address"] == "aws_instance.web" {
                r["values"]["vpc_security_group_ids"] = view.clone();
            }
        }
    }
    let dir = std::env::temp_dir().join(format!("tfvpc-sg-view-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("plan.json");
    std::fs::write(&file, serde_json::to_vec(&plan).unwrap()).unwrap();
    let n = tfvpc::plan::load(&file).expect("patched plan loads");
    std::fs::remove_dir_all(&dir).unwrap();
    for m in [&n.before, &n.after] {
        let w = m
            .workloads
            .iter()
            .find(|w| w.meta.address == "aws_instance.web")
            .unwrap();
        assert!(w.security_groups.is_empty(), "{:?}", w.security_groups);
    }
    // The deleted attachment's group is gone after apply, whatever the view says.
    assert_eq!(internet_to_web(&n.after, 22), Verdict::Blocked);
    assert_eq!(internet_to_web(&n.after, 443), Verdict::Allowed);
}

#[test]
fn a_group_associated_with_an_endpoint_replaces_or_joins_the_default_group() {
    let ask = |n: &Network, port: u16| {
        let q = Query {
            from: "aws_instance.app".to_string(),
            to: "aws_vpc_endpoint.ssm".to_string(),
            family: Some(Family::Ipv4),
            protocol: QueryProtocol::Tcp,
            ports: vec![PortRange::single(port)],
        };
        let r = analysis::query(&n.after, &q).expect("query answers");
        (r[0].verdict, r[0].reason.clone())
    };
    let n = network("endpoint-sg-association");
    let ep = n
        .after
        .endpoints
        .iter()
        .find(|e| e.meta.address == "aws_vpc_endpoint.ssm")
        .unwrap();
    assert!(ep.security_groups.is_empty() && ep.replaces_default_group);
    assert_eq!(ep.attached_security_groups.len(), 1);
    assert_eq!(ask(&n, 443).0, Verdict::Allowed);
    // The default group is replaced: the associated group alone answers for the rest.
    let (v, reason) = ask(&n, 8443);
    assert_eq!(v, Verdict::Blocked);
    assert!(!reason.contains("default security group"), "{reason}");
    // Without `replace_default_association`, the default group stays beside it.
    let n = with_known(
        "endpoint-sg-association",
        &[(
            "aws_vpc_endpoint_security_group_association.ssm",
            "replace_default_association",
            serde_json::json!(false),
        )],
    );
    assert_eq!(ask(&n, 443).0, Verdict::Allowed);
    let (v, reason) = ask(&n, 8443);
    assert_eq!(v, Verdict::Blocked);
    assert!(
        reason
            .contains("(`aws_vpc.main (default security group)`, `aws_security_group.endpoints`)"),
        "{reason}"
    );
}

#[test]
fn a_security_group_rule_that_opens_a_port_changes_the_instances_exposure() {
    let n = network("open-db-port");
    let (before, after) = (analysis::exposure(&n.before), analysis::exposure(&n.after));
    let changes = analysis::exposure_changes(&n, &before, &after);
    type Shift<'c> = (&'c str, &'c str, Option<(String, String)>);
    let got: Vec<Shift<'_>> = changes
        .iter()
        .map(|c| (c.from.as_str(), c.to.as_str(), c.port_shift()))
        .collect();
    assert_eq!(
        got,
        [(
            "internet",
            "aws_instance.db",
            Some(("tcp:3306".to_string(), String::new()))
        )]
    );
    assert_eq!(
        changes[0].causes,
        ["aws_vpc_security_group_ingress_rule.mysql"]
    );
    // The subnet itself does not change: its NACL lets everything in, before and after.
    let reach = |m| analysis::reachability(m, Scope::All);
    assert!(analysis::changes(&n, &reach(&n.before), &reach(&n.after)).is_empty());
}

#[test]
fn workloads_in_subnets_outside_the_plan_are_compared_between_the_states() {
    let n = network("outside-subnets-existing");
    for m in [&n.before, &n.after] {
        assert!(m.subnets.is_empty());
        // AWS's view lists the groups by name as well as by ID: the same groups, no
        // group outside the plan.
        for w in &m.workloads {
            assert!(
                w.security_groups
                    .iter()
                    .all(|l| matches!(l, tfvpc::model::Link::To(..))),
                "{}: {:?}",
                w.meta.address,
                w.security_groups
            );
        }
    }
    let (before, after) = (analysis::exposure(&n.before), analysis::exposure(&n.after));
    let changes = analysis::exposure_changes(&n, &before, &after);
    let got: Vec<(&str, Family, Verdict, Verdict)> = changes
        .iter()
        .map(|c| (c.to.as_str(), c.family, c.before, c.after))
        .collect();
    assert_eq!(
        got,
        [
            (
                "aws_instance.app",
                Family::Ipv4,
                Verdict::Blocked,
                Verdict::Unknown
            ),
            (
                "aws_instance.ops",
                Family::Ipv4,
                Verdict::Unknown,
                Verdict::Blocked
            ),
        ]
    );
    assert_eq!(
        changes[0].causes,
        ["aws_vpc_security_group_ingress_rule.app_http"]
    );
    let app = after
        .iter()
        .find(|r| &*r.to == "aws_instance.app")
        .expect("app is asked");
    assert!(
        app.reason.contains("a subnet outside this plan"),
        "{}",
        app.reason
    );
}

fn tcp_query(m: &tfvpc::model::Model, from: &str, to: &str, port: u16) -> PathResult {
    tcp_query_in(m, from, to, Family::Ipv4, port)
}

/// `tfvpc query` over TCP on one port, in one family: its one answer.
fn tcp_query_in(
    m: &tfvpc::model::Model,
    from: &str,
    to: &str,
    family: Family,
    port: u16,
) -> PathResult {
    let q = Query {
        from: from.to_string(),
        to: to.to_string(),
        family: Some(family),
        protocol: QueryProtocol::Tcp,
        ports: vec![PortRange::single(port)],
    };
    let mut r = analysis::query(m, &q).expect("query answers");
    assert_eq!(r.len(), 1, "{r:?}");
    r.remove(0)
}

#[test]
fn routes_and_rules_named_through_the_vpc_land_on_its_main_table_and_default_nacl() {
    // `route_table_id = aws_vpc.main.main_route_table_id` (a known rtb- ID in this plan),
    // and the same for the endpoint and `default_network_acl_id`.
    let n = network("main-route-table");
    let main = "aws_vpc.main (main route table)";
    let table = n
        .after
        .route_tables
        .iter()
        .find(|t| t.meta.address == main)
        .unwrap();
    let mut routes: Vec<&str> = table
        .routes
        .iter()
        .map(|r| n.after.route(*r).address.as_str())
        .collect();
    routes.sort();
    assert_eq!(
        routes,
        [
            "aws_route.internet",
            "aws_vpc.main (main route table) local 10.60.0.0/16",
            "aws_vpc.main (main route table) service:s3 via aws_vpc_endpoint.s3",
        ]
    );
    let (v, _, _) = verdict_of(&n.before, "internet", "aws_subnet.web", Family::Ipv4);
    assert_eq!(v, Verdict::Blocked);
    let (v, _, _) = verdict_of(&n.after, "internet", "aws_subnet.web", Family::Ipv4);
    assert_eq!(v, Verdict::Allowed);
    let r = answer(
        "main-route-table",
        "aws_subnet.web",
        "service:s3",
        Family::Ipv4,
    );
    assert!(
        r.path.iter().any(|h| &**h == "aws_vpc_endpoint.s3"),
        "{r:?}"
    );
    // The rule added to the default NACL drops SSH, and the NACL is a hop of its own.
    let ssh = tcp_query(&n.after, "internet", "aws_subnet.web", 22);
    assert_eq!(ssh.verdict, Verdict::Blocked);
    assert_eq!(
        ssh.dropped_by.as_deref(),
        Some("aws_network_acl_rule.deny_ssh")
    );
    assert!(ssh
        .path
        .iter()
        .any(|h| &**h == "aws_vpc.main (default network ACL)"));
    assert_eq!(
        tcp_query(&n.after, "internet", "aws_subnet.web", 443).verdict,
        Verdict::Allowed
    );
    // A path that opens is not caused by the deny rule added beside the route.
    let reach = |m| analysis::reachability(m, Scope::All);
    let changes = analysis::changes(&n, &reach(&n.before), &reach(&n.after));
    let opened = changes
        .iter()
        .find(|c| c.from == "internet" && c.to == "aws_subnet.web")
        .unwrap();
    assert_eq!(opened.causes, ["aws_route.internet"]);
}

#[test]
fn a_default_vpc_comes_with_its_internet_gateway_and_default_route() {
    let n = network("default-vpc");
    let m = &n.after;
    for s in &m.subnets {
        assert_eq!(
            s.vpc,
            tfvpc::model::Link::To(tfvpc::model::VpcId(0), tfvpc::model::LinkHow::Inferred),
            "{}",
            s.meta.address
        );
        assert!(s.map_public_ip_on_launch);
    }
    let web = tcp_query(m, "internet", "aws_instance.web", 22);
    assert_eq!(web.verdict, Verdict::Allowed, "{web:?}");
    assert!(web
        .path
        .iter()
        .any(|h| &**h == "aws_default_vpc.default (internet gateway)"));
    // Telnet meets the rule added to the default NACL.
    let telnet = tcp_query(m, "internet", "aws_instance.web", 23);
    assert_eq!(telnet.verdict, Verdict::Blocked);
    assert_eq!(
        telnet.dropped_by.as_deref(),
        Some("aws_network_acl_rule.deny_telnet")
    );
    // Two subnets of a VPC whose CIDR is not known yet: the local route, not 0.0.0.0/0.
    let r = answer(
        "default-vpc",
        "aws_default_subnet.a",
        "aws_default_subnet.b",
        Family::Ipv4,
    );
    assert_eq!(r.verdict, Verdict::Allowed, "{r:?}");
    assert!(r.reason.contains("local route"), "{}", r.reason);
}

#[test]
fn a_subnet_in_a_vpc_outside_the_plan_is_unknown_to_the_internet() {
    let n = network("existing-vpc");
    let (v, _, reason) = verdict_of(&n.after, "internet", "aws_subnet.web", Family::Ipv4);
    assert_eq!(v, Verdict::Unknown);
    assert!(
        reason.contains("`vpc-0a1b2c3d4e5f60718`") && reason.contains("outside this plan"),
        "{reason}"
    );
    let (v, _, reason) = verdict_of(&n.after, "internet", "aws_default_subnet.c", Family::Ipv4);
    assert_eq!(v, Verdict::Unknown);
    assert!(reason.contains("default VPC"), "{reason}");
    assert_eq!(
        tcp_query(&n.after, "internet", "aws_instance.web", 22).verdict,
        Verdict::Unknown
    );
}

#[test]
fn rules_added_to_the_default_group_guard_instances_that_name_no_group() {
    // By reference (create-only plan) and by known ID (moto-applied base).
    for (scenario, vpc, instance) in [
        (
            "default-vpc",
            "aws_default_vpc.default",
            "aws_instance.legacy",
        ),
        ("main-route-table", "aws_vpc.main", "aws_instance.web"),
    ] {
        let n = network(scenario);
        let m = &n.after;
        let group = format!("{vpc} (default security group)");
        let g = m
            .security_groups
            .iter()
            .find(|g| g.meta.address == group)
            .unwrap_or_else(|| panic!("{scenario}: no {group}"));
        assert!(g.synthesized && g.is_default);
        assert!(
            g.ingress
                .iter()
                .any(|r| r.address == "aws_vpc_security_group_ingress_rule.rdp"),
            "{scenario}: {:?}",
            g.ingress
        );
        let rdp = tcp_query(m, "internet", instance, 3389);
        assert_eq!(rdp.verdict, Verdict::Allowed, "{scenario}: {rdp:?}");
        assert!(rdp.path.iter().any(|h| **h == *group), "{rdp:?}");
        // Nothing else is open in AWS's default group: only its members get in.
        let https = tcp_query(m, "internet", instance, 443);
        assert_eq!(https.verdict, Verdict::Blocked, "{scenario}: {https:?}");
        assert_eq!(https.dropped_by.as_deref(), Some(group.as_str()));
    }
}

#[test]
fn objects_that_leave_the_state_but_not_aws_stay_in_the_planned_network() {
    let n = network("forget-defaults");
    let reach = |m| analysis::reachability(m, Scope::All);
    assert!(analysis::changes(&n, &reach(&n.before), &reach(&n.after)).is_empty());
    for kept in [
        "aws_default_network_acl.main",
        "aws_default_route_table.main",
        "aws_default_security_group.main",
        "aws_internet_gateway.igw",
    ] {
        assert!(
            n.after
                .diagnostics
                .iter()
                .any(|d| d.address.as_deref() == Some(kept)),
            "{kept}: {:?}",
            n.after.diagnostics
        );
    }
    // The default NACL keeps its rules; the default group its HTTPS rule.
    let ssh = tcp_query(&n.after, "internet", "aws_instance.web", 22);
    assert_eq!(ssh.verdict, Verdict::Blocked);
    assert!(ssh.reason.contains("rule 50"), "{}", ssh.reason);
    let https = tcp_query(&n.after, "internet", "aws_instance.web", 443);
    assert_eq!(https.verdict, Verdict::Allowed, "{https:?}");
    assert!(https
        .path
        .iter()
        .any(|h| &**h == "aws_internet_gateway.igw"));
    // Forgotten objects are no deleted IDs: routes to them are not blackholes.
    assert!(n.after.deleted_ids.is_empty(), "{:?}", n.after.deleted_ids);
}

#[test]
fn a_prefix_list_reference_routes_each_entry_of_a_transit_gateway_table() {
    let n = network("tgw-prefix-lists");
    let (app, shared, quarantine) = (
        "aws_subnet.this[\"app\"]",
        "aws_subnet.this[\"shared\"]",
        "aws_subnet.this[\"quarantine\"]",
    );
    let r = answer("tgw-prefix-lists", app, shared, Family::Ipv4);
    assert_eq!(r.verdict, Verdict::Allowed, "{r:?}");
    let r = answer("tgw-prefix-lists", app, quarantine, Family::Ipv4);
    assert_eq!(r.verdict, Verdict::Blocked);
    assert_eq!(
        r.dropped_by.as_deref(),
        Some("aws_ec2_transit_gateway_prefix_list_reference.quarantine 10.30.0.0/16")
    );
    let spokes = n
        .after
        .tgw_route_tables
        .iter()
        .find(|t| t.meta.address == "aws_ec2_transit_gateway_route_table.spokes")
        .unwrap();
    let routes: Vec<(&str, bool)> = spokes
        .routes
        .iter()
        .map(|r| (r.address.as_str(), r.attachment.is_none()))
        .collect();
    assert_eq!(
        routes,
        [
            (
                "aws_ec2_transit_gateway_prefix_list_reference.quarantine 10.30.0.0/16",
                true
            ),
            (
                "aws_ec2_transit_gateway_prefix_list_reference.shared 10.20.0.0/16",
                false
            ),
        ]
    );
}

#[test]
fn groups_outside_the_plan_match_by_id_and_leave_the_rest_unknown() {
    let n = network("outside-groups");
    let to_db = |from: &str| tcp_query(&n.after, from, "aws_instance.db", 5432);
    let app = to_db("aws_instance.app");
    assert_eq!(app.verdict, Verdict::Unknown, "{app:?}");
    assert!(
        app.reason.contains("`sg-0123456789abcdef0`") && app.reason.contains("outside this plan"),
        "{}",
        app.reason
    );
    let batch = to_db("aws_instance.batch");
    assert_eq!(batch.verdict, Verdict::Blocked);
    assert_eq!(batch.dropped_by.as_deref(), Some("aws_security_group.db"));
    let worker = to_db("aws_instance.worker");
    assert_eq!(worker.verdict, Verdict::Unknown, "{worker:?}");
    assert!(
        worker.reason.contains("var.extra_sg_ids"),
        "{}",
        worker.reason
    );
}

/// The prior state of a scenario's plan as a state document (`terraform show -json` of
/// a state: no configuration, every value as AWS reads it back).
fn prior_state_of(scenario: &str) -> Network {
    let text = std::fs::read_to_string(format!("testdata/{scenario}/plan.json")).unwrap();
    let plan: serde_json::Value = serde_json::from_str(&text).unwrap();
    let state = serde_json::json!({
        "format_version": "1.0",
        "terraform_version": plan["terraform_version"],
        "values": plan["prior_state"]["values"],
    });
    let bytes = serde_json::to_vec(&state).unwrap();
    tfvpc::plan::build(&tfvpc::plan::parse(&bytes, "state.json").unwrap())
}

/// A state lists in a group's `ingress` and `egress` the rules its rule resources add: one
/// rule each, the resource's (testdata/separate-rules' base: TFVPC203 named the SSH rule
/// twice, inline and as `aws_security_group_rule.ssh`).
#[test]
fn a_state_keeps_one_rule_per_rule_resource() {
    let n = prior_state_of("separate-rules");
    let web = n
        .after
        .security_groups
        .iter()
        .find(|g| g.meta.address == "aws_security_group.web")
        .expect("the web group");
    let names = |rules: &[tfvpc::model::SgRule]| -> Vec<String> {
        rules.iter().map(|r| r.address.to_string()).collect()
    };
    assert_eq!(
        names(&web.ingress),
        [
            "aws_security_group_rule.ssh",
            "aws_vpc_security_group_ingress_rule.https"
        ]
    );
    assert_eq!(
        names(&web.egress),
        ["aws_vpc_security_group_egress_rule.all"]
    );
}

/// A state reads back a peering's `peer_region` (the Region of the peer even when the
/// configuration left it out) and has no provider configuration: the requester VPC's ARN
/// gives the connection's own Region, so a peering in one Region is not `unknown`.
#[test]
fn a_states_peering_in_one_region_is_not_cross_region() {
    let n = prior_state_of("open-ssh");
    let p = &n.after.peerings[0];
    assert_eq!(p.meta.address, "aws_vpc_peering_connection.shared");
    assert_eq!(p.cross_region, tfvpc::model::Val::Known(false));
}

/// A state (no configuration) lists in a table's `route` attribute the routes `aws_route`
/// resources add, prefix-list routes too: one route each, the resource's, and no TFVPC107
/// "two routes to one destination" (the state of testdata/open-ssh's base).
#[test]
fn a_state_keeps_one_route_per_prefix_list_destination() {
    let n = prior_state_of("open-ssh");
    let m = &n.after;
    let to_list: Vec<&str> = m
        .routes
        .iter()
        .filter(|r| matches!(r.destination, tfvpc::model::Destination::PrefixList(_)))
        .map(|r| r.address.as_str())
        .collect();
    assert_eq!(to_list, ["aws_route.app_shared"]);
    let reach = analysis::reachability(m, Scope::All);
    let findings = tfvpc::rules::check(&n, &reach, &Default::default(), tfvpc::cli::today());
    assert!(
        !findings.iter().any(|f| f.rule_id == "TFVPC107"),
        "{findings:#?}"
    );
}

#[test]
fn an_adopted_default_vpc_is_linked_by_known_ids() {
    let n = network("default-vpc-existing");
    for m in [&n.before, &n.after] {
        let s = &m.subnets[0];
        assert_eq!(s.meta.address, "aws_default_subnet.a");
        assert_eq!(
            s.vpc,
            tfvpc::model::Link::To(tfvpc::model::VpcId(0), tfvpc::model::LinkHow::Id)
        );
    }
    assert_eq!(
        tcp_query(&n.before, "internet", "aws_instance.web", 22).verdict,
        Verdict::Blocked
    );
    let after = tcp_query(&n.after, "internet", "aws_instance.web", 22);
    assert_eq!(after.verdict, Verdict::Allowed, "{after:?}");
    assert!(after
        .path
        .iter()
        .any(|h| &**h == "aws_default_vpc.default (internet gateway)"));
}

#[test]
fn fleets_are_workloads_in_each_of_their_subnets() {
    let n = network("fleets");
    let m = &n.after;
    let web: Vec<&tfvpc::model::Workload> = m
        .workloads
        .iter()
        .filter(|w| w.meta.address.starts_with("aws_autoscaling_group.web ("))
        .collect();
    let names: Vec<&str> = web.iter().map(|w| w.meta.address.as_str()).collect();
    assert_eq!(
        names,
        [
            "aws_autoscaling_group.web (aws_subnet.public[0])",
            "aws_autoscaling_group.web (aws_subnet.public[1])"
        ]
    );
    for w in &web {
        // Groups and the public address come from the launch template's network interface.
        let groups: Vec<&str> = m
            .workload_groups(w)
            .into_iter()
            .map(|g| m.security_group(g).meta.address.as_str())
            .collect();
        assert_eq!(groups, ["aws_security_group.web"]);
        assert_eq!(w.public_ipv4, tfvpc::model::PublicIpv4::Auto);
    }
    // A mixed instances policy's template, a launch configuration, an ECS service's network
    // configuration and a DB subnet group's subnets.
    for (name, groups) in [
        (
            "aws_autoscaling_group.worker (aws_subnet.private[1])",
            "aws_security_group.web",
        ),
        (
            "aws_autoscaling_group.legacy (aws_subnet.public[1])",
            "aws_security_group.web",
        ),
        (
            "aws_ecs_service.api (aws_subnet.public[0])",
            "aws_security_group.api",
        ),
        (
            "aws_db_instance.orders (aws_subnet.public[1])",
            "aws_security_group.db",
        ),
    ] {
        let w = m
            .workloads
            .iter()
            .find(|w| w.meta.address == name)
            .unwrap_or_else(|| panic!("no workload {name}"));
        let g: Vec<&str> = m
            .workload_groups(w)
            .into_iter()
            .map(|g| m.security_group(g).meta.address.as_str())
            .collect();
        assert_eq!(g, [groups], "{name}");
    }
}

#[test]
fn lambda_cache_mount_target_and_node_group_workloads() {
    use tfvpc::model::{PublicIpv4, WorkloadKind};
    let n = network("fleets");
    let m = &n.after;
    let kind_of = |name: &str| {
        let w = m
            .workloads
            .iter()
            .find(|w| w.meta.address == name)
            .unwrap_or_else(|| panic!("no workload {name}"));
        (w.kind, matches!(w.public_ipv4, PublicIpv4::Never(_)))
    };
    assert_eq!(
        kind_of("aws_lambda_function.worker (aws_subnet.private[1])"),
        (WorkloadKind::LambdaFunction, true)
    );
    assert_eq!(
        kind_of("aws_elasticache_replication_group.sessions (aws_subnet.private[0])"),
        (WorkloadKind::CacheCluster, true)
    );
    assert_eq!(
        kind_of("aws_efs_mount_target.shared[1]"),
        (WorkloadKind::EfsMountTarget, true)
    );
    assert_eq!(
        kind_of("aws_eks_node_group.general (aws_subnet.public[0])"),
        (WorkloadKind::EksNodeGroup, false)
    );
    let r = tcp_query(
        m,
        "aws_lambda_function.worker (aws_subnet.private[0])",
        "aws_elasticache_replication_group.sessions (aws_subnet.private[1])",
        6379,
    );
    assert_eq!(r.verdict, Verdict::Allowed, "{r:?}");
    // Nodes sit in the cluster security group EKS creates for `aws_eks_cluster.main`,
    // which lets everything out.
    let r = tcp_query(
        m,
        "aws_eks_node_group.general (aws_subnet.public[0])",
        "aws_elasticache_replication_group.sessions (aws_subnet.private[0])",
        6379,
    );
    assert_eq!(r.verdict, Verdict::Allowed, "{r:?}");
    // That group takes nothing from the internet (only from its own members), though
    // another workload's address makes their subnet public.
    let r = tcp_query(
        m,
        "internet",
        "aws_eks_node_group.general (aws_subnet.public[0])",
        443,
    );
    assert_eq!(r.verdict, Verdict::Blocked, "{r:?}");
    assert!(
        r.reason
            .contains("`aws_eks_cluster.main (cluster security group)`"),
        "{}",
        r.reason
    );
    // `remote_access` without source groups: EKS's own group opens SSH to the world.
    let g = m
        .security_groups
        .iter()
        .find(|g| g.meta.address == "aws_eks_node_group.ssh (remote access security group)")
        .expect("the remote access group");
    assert!(g.synthesized);
    assert_eq!(g.ingress.len(), 1);
    assert_eq!(g.ingress[0].address, "aws_eks_node_group.ssh remote_access");
    assert_eq!(
        g.ingress[0].ports,
        tfvpc::model::PortRange { from: 22, to: 22 }
    );
}

#[test]
fn a_workload_without_a_public_ipv4_is_not_reached_from_the_internet() {
    let n = network("fleets");
    let m = &n.after;
    // Same subnet, same group; one database is publicly accessible, the other is not.
    let public = tcp_query(
        m,
        "internet",
        "aws_db_instance.reporting (aws_subnet.public[0])",
        5432,
    );
    assert_eq!(public.verdict, Verdict::Allowed, "{public:?}");
    let private = tcp_query(
        m,
        "internet",
        "aws_db_instance.orders (aws_subnet.public[0])",
        5432,
    );
    assert_eq!(private.verdict, Verdict::Blocked, "{private:?}");
    assert_eq!(private.drop_kind, Some(DropKind::NoPublicIp));
    assert_eq!(
        private.dropped_by.as_deref(),
        Some("aws_db_instance.orders (aws_subnet.public[0])")
    );
    assert!(
        private.reason.contains("publicly_accessible = false"),
        "{}",
        private.reason
    );
    // Its own traffic cannot use the internet gateway either.
    let out = tcp_query(m, "aws_autoscaling_group.legacy", "internet", 443);
    assert_eq!(out.verdict, Verdict::Blocked, "{out:?}");
    assert_eq!(out.drop_kind, Some(DropKind::NoPublicIp));
    assert!(
        out.reason.contains("aws_launch_configuration.legacy"),
        "{}",
        out.reason
    );
}

#[test]
fn a_fleet_in_several_subnets_is_asked_about_one_subnet_at_a_time() {
    let n = network("fleets");
    let q = Query {
        from: "internet".to_string(),
        to: "aws_autoscaling_group.web".to_string(),
        family: Some(Family::Ipv4),
        protocol: QueryProtocol::Tcp,
        ports: vec![PortRange::single(22)],
    };
    let err = analysis::query(&n.after, &q).unwrap_err().to_string();
    assert!(
        err.contains("runs in 2 subnets")
            && err.contains("`aws_autoscaling_group.web (aws_subnet.public[1])`"),
        "{err}"
    );
    // One subnet only: its bare address is enough.
    let one = tcp_query(&n.after, "internet", "aws_autoscaling_group.legacy", 22);
    assert_eq!(one.verdict, Verdict::Blocked);
}

#[test]
fn a_launch_template_outside_the_plan_leaves_the_fleet_unknown() {
    // The template named by a literal ID, as if another stack made it.
    let text = std::fs::read_to_string("testdata/fleets/plan.json").unwrap();
    let mut plan: serde_json::Value = serde_json::from_str(&text).unwrap();
    for r in plan["planned_values"]["root_module"]["resources"]
        .as_array_mut()
        .unwrap()
    {
        if r["address"] == "aws_autoscaling_group.web" {
            r["values"]["launch_template"] = serde_json::json!([{"id": "lt-0123456789abcdef0", "name": "", "version": "$Latest"}]);
        }
    }
    for r in plan["resource_changes"].as_array_mut().unwrap() {
        if r["address"] == "aws_autoscaling_group.web" {
            r["change"]["after_unknown"]["launch_template"] = serde_json::json!([{}]);
        }
    }
    let dir = std::env::temp_dir().join(format!("tfvpc-fleets-lt-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("plan.json");
    std::fs::write(&file, serde_json::to_vec(&plan).unwrap()).unwrap();
    let n = tfvpc::plan::load(&file).expect("patched plan loads");
    std::fs::remove_dir_all(&dir).unwrap();
    let r = tcp_query(
        &n.after,
        "internet",
        "aws_autoscaling_group.web (aws_subnet.public[0])",
        22,
    );
    assert_eq!(r.verdict, Verdict::Unknown, "{r:?}");
    assert!(
        r.reason.contains("lt-0123456789abcdef0") && r.reason.contains("outside this plan"),
        "{}",
        r.reason
    );
}

#[test]
fn an_instance_launched_without_a_public_ipv4_is_not_reached_in_a_subnet_that_maps_them() {
    // Default subnets map public IPv4 addresses on launch; `associate_public_ip_address =
    // false` overrides that for the instance.
    let open = tcp_query(
        &network("default-vpc").after,
        "internet",
        "aws_instance.web",
        22,
    );
    assert_eq!(open.verdict, Verdict::Allowed, "{open:?}");
    let n = with_known(
        "default-vpc",
        &[(
            "aws_instance.web",
            "associate_public_ip_address",
            serde_json::json!(false),
        )],
    );
    let r = tcp_query(&n.after, "internet", "aws_instance.web", 22);
    assert_eq!(r.verdict, Verdict::Blocked, "{r:?}");
    assert_eq!(r.drop_kind, Some(DropKind::NoPublicIp));
    assert_eq!(r.dropped_by.as_deref(), Some("aws_instance.web"));
    // And TFVPC203 no longer names it over IPv4.
    let report = tfvpc::pipeline::run(
        &n,
        &tfvpc::rules::Policy::default(),
        Scope::External,
        tfvpc::rules::Date::new(2026, 12, 5),
    );
    assert!(
        !report
            .findings
            .iter()
            .any(|f| f.rule_id == "TFVPC203" && f.resources.iter().any(|r| r == "aws_instance.web")),
        "{:?}",
        report.findings
    );
}

#[test]
fn a_launch_template_or_database_change_opens_its_fleet() {
    let n = network("fleets-existing");
    for (w, cause) in [
        (
            "aws_autoscaling_group.web (aws_subnet.a)",
            "aws_launch_template.web",
        ),
        ("aws_db_instance.app (aws_subnet.b)", "aws_db_instance.app"),
    ] {
        let before = tcp_query(
            &n.before,
            "internet",
            w,
            if cause.contains("db") { 5432 } else { 22 },
        );
        assert_eq!(before.verdict, Verdict::Blocked, "{before:?}");
        assert_eq!(before.drop_kind, Some(DropKind::NoPublicIp));
        let after = tcp_query(
            &n.after,
            "internet",
            w,
            if cause.contains("db") { 5432 } else { 22 },
        );
        assert_eq!(after.verdict, Verdict::Allowed, "{after:?}");
        let b = analysis::exposure(&n.before);
        let a = analysis::exposure(&n.after);
        let changes = analysis::exposure_changes(&n, &b, &a);
        let c = changes
            .iter()
            .find(|c| &*c.to == w && c.family == Family::Ipv4)
            .unwrap_or_else(|| panic!("no exposure change for {w}: {changes:?}"));
        assert!(c.causes.iter().any(|x| x == cause), "{w}: {:?}", c.causes);
    }
    // A fleet moved from a private subnet to a public one: its new workload is compared
    // with the most open answer of its workloads before.
    let b = analysis::exposure(&n.before);
    let a = analysis::exposure(&n.after);
    let changes = analysis::exposure_changes(&n, &b, &a);
    let moved = changes
        .iter()
        .find(|c| c.to == "aws_autoscaling_group.batch (aws_subnet.a)")
        .unwrap_or_else(|| panic!("{changes:?}"));
    assert_eq!(
        (moved.before, moved.after),
        (Verdict::Blocked, Verdict::Allowed)
    );
    assert_eq!(moved.causes, ["aws_autoscaling_group.batch"]);
    assert!(
        !changes.iter().any(|c| c.to.contains("aws_subnet.c")),
        "{changes:?}"
    );
    // Moved the other way, from a public subnet to the private one: it closes, under the
    // name of the workload that is gone.
    let left = changes
        .iter()
        .find(|c| c.to == "aws_autoscaling_group.retired (aws_subnet.a)")
        .unwrap_or_else(|| panic!("{changes:?}"));
    assert_eq!(
        (left.before, left.after),
        (Verdict::Allowed, Verdict::Blocked)
    );
    assert_eq!(left.causes, ["aws_autoscaling_group.retired"]);
}

#[test]
fn an_interface_endpoint_without_private_dns_makes_its_service_unknown_not_blocked() {
    let s3 = answer(
        "interface-endpoint-dns",
        "aws_subnet.other",
        "service:s3",
        Family::Ipv4,
    );
    assert_eq!(s3.verdict, Verdict::Unknown, "{s3:?}");
    assert!(
        s3.reason.contains("`aws_vpc_endpoint.s3`") && s3.reason.contains("private DNS is off"),
        "{}",
        s3.reason
    );
    assert!(s3.path.iter().any(|h| &**h == "aws_vpc_endpoint.s3"));
    let ssm = answer(
        "interface-endpoint-dns",
        "aws_subnet.other",
        "service:ssm",
        Family::Ipv4,
    );
    assert_eq!(ssm.verdict, Verdict::Allowed, "{ssm:?}");
    let ddb = answer(
        "interface-endpoint-dns",
        "aws_subnet.other",
        "service:dynamodb",
        Family::Ipv4,
    );
    assert_eq!(ddb.verdict, Verdict::Blocked, "{ddb:?}");
}

#[test]
fn an_instance_without_an_ipv6_address_is_not_reached_over_ipv6() {
    let n = network("instance-ipv6");
    let m = &n.after;
    let ask = |to: &str| {
        analysis::query(
            m,
            &Query {
                from: "internet".to_string(),
                to: to.to_string(),
                family: Some(Family::Ipv6),
                protocol: QueryProtocol::Tcp,
                ports: vec![PortRange::single(22)],
            },
        )
    };
    let dual = ask("aws_instance.dual").expect("answers");
    assert_eq!(dual[0].verdict, Verdict::Allowed, "{dual:?}");
    let err = ask("aws_instance.v4only").unwrap_err().to_string();
    assert!(err.contains("do not both have ipv6"), "{err}");
    // Its exposure is IPv4 only.
    let exposure = analysis::exposure(m);
    let families: Vec<Family> = exposure
        .iter()
        .filter(|r| &*r.to == "aws_instance.v4only")
        .map(|r| r.family)
        .collect();
    assert_eq!(families, [Family::Ipv4]);
}

/// A workload whose subnet the plan does not show (an ID from a variable, or no subnet at
/// all) is still a `query` end: what the network does is `unknown`, with why, and its
/// security groups and public address decide where they certainly drop.
#[test]
fn a_workload_in_a_subnet_outside_the_plan_is_a_query_end() {
    let n = network("outside-subnets");
    let m = &n.after;
    // The bastion's group admits SSH from anywhere: the network to it decides.
    let ssh = tcp_query(m, "internet", "aws_instance.bastion", 22);
    assert_eq!(ssh.verdict, Verdict::Unknown, "{ssh:?}");
    assert!(
        ssh.reason.contains("`subnet-0123456789abcdef0`")
            && ssh.reason.contains("outside this plan"),
        "{}",
        ssh.reason
    );
    assert_eq!(
        ssh.path.iter().map(|h| &**h).collect::<Vec<_>>(),
        ["internet", "aws_security_group.ssh", "aws_instance.bastion"]
    );
    // ... but not HTTPS, nor SSH over IPv6 (its rule names 0.0.0.0/0 only), wherever it is.
    for (port, family) in [(443, Family::Ipv4), (22, Family::Ipv6)] {
        let r = tcp_query_in(m, "internet", "aws_instance.bastion", family, port);
        assert_eq!(r.verdict, Verdict::Blocked, "{port} {family}: {r:?}");
        assert_eq!(r.drop_kind, Some(DropKind::SecurityGroup));
        assert_eq!(r.dropped_by.as_deref(), Some("aws_security_group.ssh"));
    }
    // A group without egress sends nothing.
    let out = tcp_query(m, "aws_instance.web", "internet", 443);
    assert_eq!(out.verdict, Verdict::Blocked, "{out:?}");
    assert_eq!(out.dropped_by.as_deref(), Some("aws_security_group.web"));
    // No public IPv4 address: the internet cannot open IPv4 connections to it.
    let internal = tcp_query(m, "internet", "aws_instance.internal", 22);
    assert_eq!(internal.verdict, Verdict::Blocked, "{internal:?}");
    assert_eq!(internal.drop_kind, Some(DropKind::NoPublicIp));
    // An instance that names no subnet: EC2's default subnet, which the plan does not show.
    let legacy = tcp_query(m, "internet", "aws_instance.legacy", 22);
    assert_eq!(legacy.verdict, Verdict::Unknown, "{legacy:?}");
    assert!(legacy.reason.contains("default VPC"), "{}", legacy.reason);
    // Between two such workloads: whether rules naming the other's groups match is not
    // known either; the network stays `unknown`.
    let between = tcp_query(m, "aws_instance.bastion", "aws_instance.web", 443);
    assert_eq!(between.verdict, Verdict::Unknown, "{between:?}");
    // With no family asked, IPv4 only: whether it has an IPv6 address depends on the subnet.
    let q = Query {
        from: "internet".to_string(),
        to: "aws_instance.bastion".to_string(),
        family: None,
        protocol: QueryProtocol::Tcp,
        ports: vec![PortRange::single(22)],
    };
    let all = analysis::query(m, &q).expect("query answers");
    assert_eq!(
        all.iter().map(|r| r.family).collect::<Vec<_>>(),
        [Family::Ipv4]
    );
}

fn query_family(m: &tfvpc::model::Model, to: &str, family: Family, port: u16) -> PathResult {
    let q = Query {
        from: "internet".to_string(),
        to: to.to_string(),
        family: Some(family),
        protocol: QueryProtocol::Tcp,
        ports: vec![PortRange::single(port)],
    };
    let mut r = analysis::query(m, &q).expect("query answers");
    assert_eq!(r.len(), 1, "{r:?}");
    r.remove(0)
}

#[test]
fn a_load_balancer_takes_connections_on_its_listeners_ports_only() {
    let n = network("load-balancers");
    let m = &n.after;
    let web = "aws_lb.web (aws_subnet.public[0])";
    let https = tcp_query(m, "internet", web, 443);
    assert_eq!(https.verdict, Verdict::Allowed, "{https:?}");
    assert_eq!(https.path.last().map(|h| &**h), Some(web));
    // Its group admits SSH from anywhere, but no listener takes it.
    let ssh = tcp_query(m, "internet", web, 22);
    assert_eq!(ssh.verdict, Verdict::Blocked, "{ssh:?}");
    assert_eq!(ssh.drop_kind, Some(DropKind::NoListener));
    assert_eq!(ssh.dropped_by.as_deref(), Some("aws_lb_listener.https"));
    assert!(
        ssh.reason
            .contains("only on its listeners (tcp:443), none for tcp:22"),
        "{}",
        ssh.reason
    );
    // Over IPv6 too (dualstack).
    let v6 = query_family(m, web, Family::Ipv6, 443);
    assert_eq!(v6.verdict, Verdict::Allowed, "{v6:?}");
    // Exposure says which ports: the listener's.
    let exposure = analysis::exposure(m);
    let open: Vec<(&str, Family, &str)> = exposure
        .iter()
        .filter(|r| &*r.to == web)
        .map(|r| (&*r.to, r.family, r.ports.as_str()))
        .collect();
    assert_eq!(
        open,
        [
            (web, Family::Ipv4, "tcp:443"),
            (web, Family::Ipv6, "tcp:443")
        ]
    );
}

#[test]
fn a_network_load_balancer_without_security_groups_takes_anything_on_its_listeners() {
    let n = network("load-balancers");
    let m = &n.after;
    let nlb = "aws_lb.bastion (aws_subnet.public[1])";
    let w = m
        .workloads
        .iter()
        .find(|w| w.meta.address == nlb)
        .expect("the NLB's workload");
    // Not the VPC's default group: no group at all.
    assert!(m.workload_groups(w).is_empty());
    let ssh = tcp_query(m, "internet", nlb, 22);
    assert_eq!(ssh.verdict, Verdict::Allowed, "{ssh:?}");
    let other = tcp_query(m, "internet", nlb, 2222);
    assert_eq!(other.verdict, Verdict::Blocked, "{other:?}");
    assert_eq!(other.drop_kind, Some(DropKind::NoListener));
}

#[test]
fn an_internal_load_balancer_is_not_reached_from_the_internet() {
    // `aws_lb.web` sits in the public subnets; made internal, the internet reaches it in
    // neither family.
    let n = with_known(
        "load-balancers",
        &[("aws_lb.web", "internal", serde_json::json!(true))],
    );
    let web = "aws_lb.web (aws_subnet.public[0])";
    for family in [Family::Ipv4, Family::Ipv6] {
        let r = query_family(&n.after, web, family, 443);
        assert_eq!(r.verdict, Verdict::Blocked, "{r:?}");
        assert_eq!(r.drop_kind, Some(DropKind::NoPublicIp));
        assert_eq!(r.dropped_by.as_deref(), Some(web));
        assert!(r.reason.contains("internal load balancer"), "{}", r.reason);
    }
    // Left out, `internal` is AWS's default: internet-facing.
    let r = tcp_query(&network("load-balancers").after, "internet", web, 443);
    assert_eq!(r.verdict, Verdict::Allowed, "{r:?}");
}

#[test]
fn a_load_balancer_with_public_ipv6_only_is_reached_over_ipv6_only() {
    let m = &network("load-balancers").after;
    let lb = "aws_lb.ipv6 (aws_subnet.public[0])";
    let v4 = query_family(m, lb, Family::Ipv4, 443);
    assert_eq!(v4.verdict, Verdict::Blocked, "{v4:?}");
    assert_eq!(v4.drop_kind, Some(DropKind::NoPublicIp));
    assert!(
        v4.reason.contains("dualstack-without-public-ipv4"),
        "{}",
        v4.reason
    );
    let v6 = query_family(m, lb, Family::Ipv6, 443);
    assert_eq!(v6.verdict, Verdict::Allowed, "{v6:?}");
}

#[test]
fn endpoints_in_a_public_subnet_have_no_public_ipv4() {
    // Both sit in public subnets behind a group open to 0.0.0.0/0.
    let m = &network("load-balancers").after;
    for (to, port) in [
        ("aws_vpc_endpoint.ssm", 443),
        ("aws_ec2_instance_connect_endpoint.this", 22),
    ] {
        let r = tcp_query(m, "internet", to, port);
        assert_eq!(r.verdict, Verdict::Blocked, "{to}: {r:?}");
        assert_eq!(r.drop_kind, Some(DropKind::NoPublicIp), "{to}");
        assert!(r.reason.contains("private IPv4 address"), "{}", r.reason);
    }
}

#[test]
fn a_new_listener_or_an_internal_load_balancer_made_public_opens_it() {
    let n = network("load-balancers-existing");
    let b = analysis::exposure(&n.before);
    let a = analysis::exposure(&n.after);
    let changes = analysis::exposure_changes(&n, &b, &a);
    let change = |to: &str| {
        changes
            .iter()
            .find(|c| &*c.to == to && c.family == Family::Ipv4)
            .unwrap_or_else(|| panic!("no exposure change for {to}: {changes:?}"))
    };
    // Internal before: the internet reached it in no family.
    let api = change("aws_lb.api (aws_subnet.public[0])");
    assert_eq!(
        (api.before, api.after),
        (Verdict::Blocked, Verdict::Allowed)
    );
    assert!(
        api.causes.iter().any(|x| x == "aws_lb.api"),
        "{:?}",
        api.causes
    );
    let before = tcp_query(
        &n.before,
        "internet",
        "aws_lb.api (aws_subnet.public[0])",
        443,
    );
    assert!(before.reason.contains("internal"), "{}", before.reason);
    // A new listener: the port it takes opens, and it is the cause.
    for (to, listener, port) in [
        (
            "aws_lb.web (aws_subnet.public[1])",
            "aws_lb_listener.web_alt",
            "tcp:8443",
        ),
        (
            "aws_lb.nlb (aws_subnet.public[0])",
            "aws_lb_listener.nlb_ssh",
            "tcp:22",
        ),
    ] {
        let c = change(to);
        assert_eq!((c.before, c.after), (Verdict::Allowed, Verdict::Allowed));
        assert_eq!(c.causes, [listener], "{to}");
        let (opened, _) = c.port_shift().expect("ports widen");
        assert_eq!(opened, port, "{to}");
    }
}

#[test]
fn an_interface_endpoint_known_to_be_ipv4_only_has_no_ipv6_answer() {
    let families = |n: &Network| -> Vec<Family> {
        analysis::query(
            &n.after,
            &Query {
                from: "aws_subnet.public[1]".to_string(),
                to: "aws_vpc_endpoint.ssm".to_string(),
                family: None,
                protocol: QueryProtocol::Tcp,
                ports: vec![PortRange::single(443)],
            },
        )
        .expect("answers")
        .iter()
        .map(|r| r.family)
        .collect()
    };
    // `ip_address_type` left out is known only after apply: it may have IPv6 addresses.
    assert_eq!(
        families(&network("load-balancers")),
        [Family::Ipv4, Family::Ipv6]
    );
    let n = with_known(
        "load-balancers",
        &[(
            "aws_vpc_endpoint.ssm",
            "ip_address_type",
            serde_json::json!("ipv4"),
        )],
    );
    assert_eq!(families(&n), [Family::Ipv4]);
}

#[test]
fn the_outcome_lists_what_the_internet_reaches_of_the_planned_workloads() {
    let run = |scenario: &str| {
        tfvpc::pipeline::run(
            &network(scenario),
            &tfvpc::rules::Policy::default(),
            Scope::All,
            tfvpc::rules::Date::new(2026, 12, 5),
        )
        .exposure
    };
    // A create-only plan: nothing to compare with, so the list is all there is.
    let e = run("load-balancers");
    let listed: Vec<(&str, Family, Verdict, &str)> = e
        .iter()
        .map(|r| (&*r.to, r.family, r.verdict, r.ports.as_str()))
        .collect();
    assert!(
        listed.contains(&(
            "aws_lb.web (aws_subnet.public[0])",
            Family::Ipv6,
            Verdict::Allowed,
            "tcp:443"
        )),
        "{listed:?}"
    );
    assert!(e
        .iter()
        .all(|r| r.verdict != Verdict::Blocked && &*r.from == "internet"));
    // Internal, misplaced, or IPv4 with public IPv6 only: not reached.
    for gone in ["aws_lb.internal", "aws_lb.misplaced"] {
        assert!(
            !e.iter().any(|r| r.to.starts_with(gone)),
            "{gone}: {listed:?}"
        );
    }
    assert!(!e
        .iter()
        .any(|r| r.to.starts_with("aws_lb.ipv6") && r.family == Family::Ipv4));
    let mut sorted = listed.clone();
    sorted.sort_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)));
    assert_eq!(listed, sorted);
    // For SARIF, which does not show it, a created network's list is not computed; the
    // findings are the same.
    let n = network("load-balancers");
    let policy = tfvpc::rules::Policy::default();
    let today = tfvpc::rules::Date::new(2026, 12, 5);
    let sarif = tfvpc::pipeline::run_without_created_exposure(&n, &policy, Scope::All, today);
    let full = tfvpc::pipeline::run(&n, &policy, Scope::All, today);
    assert!(sarif.exposure.is_empty());
    assert_eq!(sarif.findings, full.findings);
    // Over existing infrastructure: the planned side's answers, the database made public
    // among them.
    let e = run("fleets-existing");
    assert!(
        e.iter().any(
            |r| &*r.to == "aws_db_instance.app (aws_subnet.a)" && r.verdict == Verdict::Allowed
        ),
        "{e:?}"
    );
}

fn hops(r: &PathResult) -> Vec<&str> {
    r.path.iter().map(|h| &**h).collect()
}

#[test]
fn a_load_balancer_forwards_the_internet_to_its_targets_in_private_subnets() {
    let m = &network("lb-targets").after;
    // The Auto Scaling group's instances: 443 on the ALB becomes 8080 on them.
    let app = "aws_autoscaling_group.app (aws_subnet.private[0])";
    let r = tcp_query(m, "internet", app, 8080);
    assert_eq!(r.verdict, Verdict::Allowed, "{r:?}");
    assert_eq!(r.ports, "tcp:8080");
    let path = hops(&r);
    for hop in [
        "aws_lb.web (aws_subnet.public[0])",
        "aws_lb_listener.web",
        "aws_lb_target_group.app",
        "aws_security_group.app",
    ] {
        assert!(path.contains(&hop), "{hop} missing from {path:?}");
    }
    assert_eq!(path.last(), Some(&app));
    assert!(r.reason.contains("through `aws_lb.web`"), "{}", r.reason);
    assert_eq!(analysis::forwarded_through(&r), Some("aws_lb.web"));
    // The load balancer's own answer goes through no load balancer.
    let node = tcp_query(m, "internet", "aws_lb.web (aws_subnet.public[0])", 443);
    assert_eq!(node.verdict, Verdict::Allowed, "{node:?}");
    assert_eq!(analysis::forwarded_through(&node), None, "{}", node.reason);
    // Nothing forwards SSH to them: the direct path decides.
    let ssh = tcp_query(m, "internet", app, 22);
    assert_eq!(ssh.verdict, Verdict::Blocked, "{ssh:?}");
    assert!(!hops(&ssh).contains(&"aws_lb_listener.web"), "{ssh:?}");
    // A Classic Load Balancer's listener block: 80 becomes 8080.
    let legacy = tcp_query(m, "internet", "aws_instance.legacy", 8080);
    assert_eq!(legacy.verdict, Verdict::Allowed, "{legacy:?}");
    assert!(
        hops(&legacy).contains(&"aws_elb.legacy listener"),
        "{legacy:?}"
    );
    // A listener rule forwards to the tools server, whose group does not admit the ALB.
    let tools = tcp_query(m, "internet", "aws_instance.tools", 8443);
    assert_eq!(tools.verdict, Verdict::Blocked, "{tools:?}");
    // What the internet reaches of the workloads lists them, on the target ports.
    let exposure = analysis::exposure(m);
    let open: Vec<(&str, &str)> = exposure
        .iter()
        .filter(|r| {
            r.verdict == Verdict::Allowed
                && !r.to.starts_with("aws_lb")
                && !r.to.starts_with("aws_elb")
        })
        .map(|r| (&*r.to, r.ports.as_str()))
        .collect();
    assert_eq!(
        open,
        [
            (
                "aws_autoscaling_group.app (aws_subnet.private[0])",
                "tcp:8080"
            ),
            (
                "aws_autoscaling_group.app (aws_subnet.private[1])",
                "tcp:8080"
            ),
            ("aws_ecs_service.svc (aws_subnet.private[0])", "tcp:8080"),
            ("aws_ecs_service.svc (aws_subnet.private[1])", "tcp:8080"),
            ("aws_instance.api[0]", "tcp:9000"),
            ("aws_instance.jump", "tcp:22"),
            ("aws_instance.legacy", "tcp:8080"),
            ("aws_network_interface.probe", "tcp:9100"),
        ]
    );
    // An ECS service's tasks take the container port, not the target group's.
    let svc = "aws_ecs_service.svc (aws_subnet.private[1])";
    let r = tcp_query(m, "internet", svc, 80);
    assert_eq!(r.verdict, Verdict::Blocked, "{r:?}");
}

#[test]
fn an_ip_target_is_the_workload_with_that_private_address() {
    // `aws_network_interface.probe`, registered by its private address in a TCP target
    // group of IP targets: the client's address is not kept, so its VPC-only group and
    // network ACL admit the load balancer.
    let ip = serde_json::json!("10.30.11.50");
    let n = with_known(
        "lb-targets",
        &[
            ("aws_network_interface.probe", "private_ip", ip.clone()),
            ("aws_lb_target_group_attachment.probe", "target_id", ip),
        ],
    );
    let r = tcp_query(&n.after, "internet", "aws_network_interface.probe", 9100);
    assert_eq!(r.verdict, Verdict::Allowed, "{r:?}");
    assert!(r.reason.contains("through `aws_lb.edge`"), "{}", r.reason);
    // Another address registers another target.
    let n = with_known(
        "lb-targets",
        &[
            (
                "aws_network_interface.probe",
                "private_ip",
                serde_json::json!("10.30.11.50"),
            ),
            (
                "aws_lb_target_group_attachment.probe",
                "target_id",
                serde_json::json!("10.30.11.51"),
            ),
        ],
    );
    let r = tcp_query(&n.after, "internet", "aws_network_interface.probe", 9100);
    assert_eq!(r.verdict, Verdict::Blocked, "{r:?}");
}

#[test]
fn a_network_load_balancer_that_keeps_the_client_address_is_filtered_as_the_internet() {
    let n = network("lb-targets");
    // `admin` admits SSH from the VPC only, `api[1]`'s network ACL the VPC only: the
    // clients' addresses, which the NLB keeps, do not match.
    for (to, port) in [("aws_instance.admin", 22), ("aws_instance.api[1]", 9000)] {
        let r = tcp_query(&n.after, "internet", to, port);
        assert_eq!(r.verdict, Verdict::Blocked, "{to}: {r:?}");
    }
    let jump = tcp_query(&n.after, "internet", "aws_instance.jump", 22);
    assert_eq!(jump.verdict, Verdict::Allowed, "{jump:?}");
    assert!(hops(&jump).contains(&"aws_lb_listener.jump"), "{jump:?}");
    // Without the client's address, the instances see the load balancer's: in the VPC.
    let off = serde_json::json!("false");
    let n = with_known(
        "lb-targets",
        &[
            (
                "aws_lb_target_group.admin",
                "preserve_client_ip",
                off.clone(),
            ),
            ("aws_lb_target_group.api", "preserve_client_ip", off),
        ],
    );
    for (to, port) in [("aws_instance.admin", 22), ("aws_instance.api[1]", 9000)] {
        let r = tcp_query(&n.after, "internet", to, port);
        assert_eq!(r.verdict, Verdict::Allowed, "{to}: {r:?}");
        assert!(r.reason.contains("through `aws_lb.edge`"), "{}", r.reason);
    }
}

#[test]
fn registering_a_target_opens_it_and_deregistering_closes_it() {
    let n = network("lb-targets-existing");
    let b = analysis::exposure(&n.before);
    let a = analysis::exposure(&n.after);
    let changes = analysis::exposure_changes(&n, &b, &a);
    let change = |to: &str| {
        changes
            .iter()
            .find(|c| &*c.to == to && c.family == Family::Ipv4)
            .unwrap_or_else(|| panic!("no exposure change for {to}: {changes:?}"))
    };
    let reports = change("aws_instance.reports");
    assert_eq!(
        (reports.before, reports.after),
        (Verdict::Blocked, Verdict::Allowed)
    );
    assert!(
        reports
            .causes
            .iter()
            .any(|c| c == "aws_lb_target_group_attachment.reports"),
        "{:?}",
        reports.causes
    );
    let app = change("aws_instance.app");
    assert_eq!(
        (app.before, app.after),
        (Verdict::Allowed, Verdict::Blocked)
    );
    assert!(
        app.causes
            .iter()
            .any(|c| c == "aws_lb_target_group_attachment.app"),
        "{:?}",
        app.causes
    );
}

#[test]
fn a_group_read_back_with_its_account_id_is_the_plans_group() {
    // moto (like AWS for a group the provider takes for another account's) reads the
    // rule's group back as `123456789012/sg-…`.
    let n = network("lb-targets-existing");
    let m = &n.before;
    let app = m
        .security_groups
        .iter()
        .find(|g| g.meta.address == "aws_security_group.app")
        .expect("group");
    let peers: Vec<String> = app
        .ingress
        .iter()
        .map(|r| match &r.peer {
            tfvpc::model::SgPeer::Group(tfvpc::model::Link::To(g, _)) => {
                m.security_group(*g).meta.address.clone()
            }
            other => format!("{other:?}"),
        })
        .collect();
    assert_eq!(peers, ["aws_security_group.lb"]);
}

#[test]
fn an_inline_rule_naming_a_group_is_resolved_through_the_whole_attribute() {
    // terraform writes a group's `ingress` as one list of references once a value in it is
    // unknown: the one rule whose `security_groups` is unknown takes the groups it names.
    let m = &network("three-tier").after;
    let peers = |group: &str| -> Vec<String> {
        let g = m
            .security_groups
            .iter()
            .find(|g| g.meta.address == group)
            .expect("group");
        g.ingress
            .iter()
            .filter_map(|r| match &r.peer {
                tfvpc::model::SgPeer::Group(l) => Some(match l {
                    tfvpc::model::Link::To(g, _) => m.security_group(*g).meta.address.clone(),
                    other => format!("{other:?}"),
                }),
                _ => None,
            })
            .collect()
    };
    assert_eq!(peers("aws_security_group.app"), ["aws_security_group.web"]);
    assert_eq!(peers("aws_security_group.data"), ["aws_security_group.app"]);
}

#[test]
fn a_listener_rule_forwards_only_the_clients_its_source_ip_condition_names() {
    let m = &network("lb-rules").after;
    let server = |s: &str| format!("aws_instance.server[\"{s}\"]");
    // The office's addresses only: blocked at the rule, whose hop ends the path.
    let admin = tcp_query(m, "internet", &server("admin"), 8080);
    assert_eq!(admin.verdict, Verdict::Blocked, "{admin:?}");
    assert_eq!(admin.drop_kind, Some(DropKind::SourceCondition));
    assert_eq!(
        admin.dropped_by.as_deref(),
        Some("aws_lb_listener_rule.admin")
    );
    assert_eq!(hops(&admin).last(), Some(&"aws_lb_listener_rule.admin"));
    assert!(
        admin
            .reason
            .contains("only clients from 198.51.100.7/32, 203.0.113.0/24"),
        "{}",
        admin.reason
    );
    // A path condition does not narrow who reaches it; the rule is a hop of the path.
    let api = tcp_query(m, "internet", &server("api"), 8080);
    assert_eq!(api.verdict, Verdict::Allowed, "{api:?}");
    let path = hops(&api);
    let at = |h: &str| path.iter().position(|p| *p == h);
    assert!(
        at("aws_lb_listener.web") < at("aws_lb_listener_rule.api")
            && at("aws_lb_listener_rule.api").is_some()
            && at("aws_lb_listener_rule.api") < at("aws_lb_target_group.server[\"api\"]"),
        "{path:?}"
    );
    assert_eq!(analysis::forwarded_through(&api), Some("aws_lb.web"));
    // `0.0.0.0/0` with a header: any client.
    let world = tcp_query(m, "internet", &server("world"), 8080);
    assert_eq!(world.verdict, Verdict::Allowed, "{world:?}");
    // An address known only after apply.
    let partner = tcp_query(m, "internet", &server("partner"), 8080);
    assert_eq!(partner.verdict, Verdict::Unknown, "{partner:?}");
    assert!(
        partner.reason.contains(
            "`source_ip` condition of `aws_lb_listener_rule.partner` is known only after apply"
        ),
        "{}",
        partner.reason
    );
    // What the internet reaches of the servers: not the office's, nor the parked one.
    let exposure = analysis::exposure(m);
    let reached: Vec<&str> = exposure
        .iter()
        .filter(|r| r.to.starts_with("aws_instance.") && r.verdict == Verdict::Allowed)
        .map(|r| &*r.to)
        .collect();
    assert_eq!(
        reached,
        [server("api"), server("blue"), server("world")]
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>()
    );
}

#[test]
fn a_weighted_forward_sends_nothing_to_a_target_group_of_weight_zero() {
    // Terraform lists the `forward` block's groups by weight (green first), not in the
    // configuration's order: each keeps its own weight.
    let m = &network("lb-rules").after;
    let registered = |s: &str| {
        m.workloads
            .iter()
            .find(|w| w.meta.address == format!("aws_instance.server[\"{s}\"]"))
            .map(|w| w.behind.len())
    };
    assert_eq!(registered("blue"), Some(1));
    assert_eq!(registered("green"), Some(0));
    let blue = tcp_query(m, "internet", "aws_instance.server[\"blue\"]", 8080);
    assert_eq!(blue.verdict, Verdict::Allowed, "{blue:?}");
    assert!(
        hops(&blue).contains(&"aws_lb_target_group.server[\"blue\"]"),
        "{blue:?}"
    );
    let green = tcp_query(m, "internet", "aws_instance.server[\"green\"]", 8080);
    assert_eq!(green.verdict, Verdict::Blocked, "{green:?}");
    assert!(!hops(&green).contains(&"aws_lb_listener.web"), "{green:?}");
}

#[test]
fn an_instance_launched_on_a_network_interface_takes_its_subnet_groups_and_settings() {
    let m = &network("instance-primary-eni").after;
    let find = |a: &str| {
        m.workloads
            .iter()
            .find(|w| w.meta.address == a)
            .expect("workload")
    };
    let nat = find("aws_instance.nat");
    assert!(!nat.source_dest_check, "{nat:?}");
    assert_eq!(
        nat.subnet.id().map(|s| m.subnet(s).meta.address.as_str()),
        Some("aws_subnet.public")
    );
    let attached = |a: &str| {
        find(a)
            .attached_to
            .id()
            .map(|w| m.workload(w).meta.address.as_str())
    };
    assert_eq!(
        attached("aws_network_interface.nat"),
        Some("aws_instance.nat")
    );
    // A second interface, attached by `aws_network_interface_attachment`: its own subnet.
    assert_eq!(
        attached("aws_network_interface.jump_private"),
        Some("aws_instance.jump")
    );
    // The private subnet's default route names the instance: out through it.
    let out = tcp_query(m, "aws_subnet.private", "internet", 443);
    assert_eq!(out.verdict, Verdict::Allowed, "{out:?}");
    assert!(hops(&out).contains(&"aws_instance.nat"), "{out:?}");
    // The jump host: the interface's group and Elastic IP.
    let jump = tcp_query(m, "internet", "aws_instance.jump", 22);
    assert_eq!(jump.verdict, Verdict::Allowed, "{jump:?}");
    assert!(
        matches!(
            find("aws_instance.jump").public_ipv4,
            tfvpc::model::PublicIpv4::Eip(_)
        ),
        "{:?}",
        find("aws_instance.jump")
    );
    let https = tcp_query(m, "internet", "aws_instance.jump", 443);
    assert_eq!(https.verdict, Verdict::Blocked, "{https:?}");
    assert_eq!(https.drop_kind, Some(DropKind::SecurityGroup));
}

#[test]
fn the_cluster_security_group_eks_creates_guards_the_control_plane_and_default_nodes() {
    let m = &network("eks-cluster").after;
    let plane = "aws_eks_cluster.main (aws_subnet.private[0])";
    let default = "aws_eks_node_group.default (aws_subnet.private[0])";
    let custom = "aws_eks_node_group.custom (aws_subnet.private[1])";
    let group = "aws_eks_cluster.main (cluster security group)";
    let g = m
        .security_groups
        .iter()
        .find(|g| g.meta.address == group)
        .expect("the cluster security group");
    // EKS's own rule, and the plan's rule naming the group through the cluster.
    let ingress: Vec<&str> = g.ingress.iter().map(|r| r.address.as_str()).collect();
    assert!(
        ingress.contains(&"aws_vpc_security_group_ingress_rule.api_from_bastion"),
        "{ingress:?}"
    );
    // Nodes without a launch template are its members: the self rule admits them.
    let api = tcp_query(m, default, plane, 443);
    assert_eq!(api.verdict, Verdict::Allowed, "{api:?}");
    let ssh = tcp_query(m, "aws_instance.bastion", default, 22);
    assert_eq!(ssh.verdict, Verdict::Blocked, "{ssh:?}");
    assert_eq!(ssh.drop_kind, Some(DropKind::SecurityGroup));
    assert!(ssh.reason.contains(group), "{}", ssh.reason);
    // The bastion reaches the API through the rule added to the cluster group.
    let bastion = tcp_query(m, "aws_instance.bastion", plane, 443);
    assert_eq!(bastion.verdict, Verdict::Allowed, "{bastion:?}");
    let other = tcp_query(m, "aws_instance.bastion", plane, 8443);
    assert_eq!(other.verdict, Verdict::Blocked, "{other:?}");
    // A group that names the cluster group as a peer: the kubelet port from the plane.
    let kubelet = tcp_query(m, plane, custom, 10250);
    assert_eq!(kubelet.verdict, Verdict::Allowed, "{kubelet:?}");
    let from_default = tcp_query(m, default, custom, 10250);
    assert_eq!(from_default.verdict, Verdict::Allowed, "{from_default:?}");
    let node_ssh = tcp_query(m, plane, custom, 22);
    assert_eq!(node_ssh.verdict, Verdict::Blocked, "{node_ssh:?}");
    // The control plane has private addresses only.
    let internet = tcp_query(m, "internet", plane, 443);
    assert_eq!(internet.verdict, Verdict::Blocked, "{internet:?}");
    // Fargate pods are members of the cluster group too, without public addresses.
    let pods = "aws_eks_fargate_profile.jobs (aws_subnet.private[1])";
    let w = m
        .workloads
        .iter()
        .find(|w| w.meta.address == pods)
        .expect("the Fargate profile's pods");
    assert_eq!(w.kind, tfvpc::model::WorkloadKind::EksNodeGroup);
    let api = tcp_query(m, pods, plane, 443);
    assert_eq!(api.verdict, Verdict::Allowed, "{api:?}");
    let to_pods = tcp_query(m, "aws_instance.bastion", pods, 8080);
    assert_eq!(to_pods.verdict, Verdict::Blocked, "{to_pods:?}");
    assert!(to_pods.reason.contains(group), "{}", to_pods.reason);
    let from_internet = tcp_query(m, "internet", pods, 8080);
    assert_eq!(from_internet.verdict, Verdict::Blocked, "{from_internet:?}");
}

#[test]
fn managed_caches_file_systems_and_search_domains_are_workloads_behind_their_groups() {
    let m = &network("managed-storage").after;
    let kind = |a: &str| {
        m.workloads
            .iter()
            .find(|w| w.meta.address == a)
            .map(|w| w.kind)
    };
    use tfvpc::model::WorkloadKind;
    for (a, k) in [
        (
            "aws_memorydb_cluster.sessions (aws_subnet.data[1])",
            WorkloadKind::CacheCluster,
        ),
        (
            "aws_dax_cluster.items (aws_subnet.data[0])",
            WorkloadKind::CacheCluster,
        ),
        (
            "aws_fsx_lustre_file_system.scratch (aws_subnet.data[0])",
            WorkloadKind::FileSystem,
        ),
        (
            "aws_fsx_ontap_file_system.shared (aws_subnet.data[1])",
            WorkloadKind::FileSystem,
        ),
        (
            "aws_elasticsearch_domain.logs (aws_subnet.data[1])",
            WorkloadKind::SearchDomain,
        ),
    ] {
        assert_eq!(kind(a), Some(k), "{a}");
    }
    for (to, port) in [
        ("aws_memorydb_cluster.sessions (aws_subnet.data[1])", 6379),
        ("aws_fsx_lustre_file_system.scratch", 988),
        (
            "aws_fsx_ontap_file_system.shared (aws_subnet.data[1])",
            2049,
        ),
        ("aws_elasticsearch_domain.logs", 443),
        ("aws_db_proxy.app (aws_subnet.data[0])", 5432),
        (
            "aws_elasticache_serverless_cache.tokens (aws_subnet.data[1])",
            6379,
        ),
    ] {
        let r = tcp_query(m, "aws_instance.app", to, port);
        assert_eq!(r.verdict, Verdict::Allowed, "{to}: {r:?}");
    }
    // Without a group of its own, DAX is in the VPC's default group.
    let dax = tcp_query(
        m,
        "aws_instance.app",
        "aws_dax_cluster.items (aws_subnet.data[0])",
        8111,
    );
    assert_eq!(dax.verdict, Verdict::Blocked, "{dax:?}");
    assert!(
        dax.reason
            .contains("`aws_vpc.main (default security group)`"),
        "{}",
        dax.reason
    );
    let ssh = tcp_query(
        m,
        "aws_instance.app",
        "aws_fsx_lustre_file_system.scratch",
        22,
    );
    assert_eq!(ssh.verdict, Verdict::Blocked, "{ssh:?}");
}

#[test]
fn blocks_whose_unknown_groups_all_come_from_one_reference_take_that_group() {
    // Five `ingress` blocks of `aws_security_group.data`, each naming
    // `aws_security_group.app`: terraform writes one list of references for the whole
    // attribute. All of them name the same group, so each block's peer is that group.
    let m = &network("managed-storage").after;
    let g = m
        .security_groups
        .iter()
        .find(|g| g.meta.address == "aws_security_group.data")
        .expect("group");
    assert_eq!(g.ingress.len(), 5);
    for r in &g.ingress {
        match &r.peer {
            tfvpc::model::SgPeer::Group(l) => assert_eq!(
                l.id().map(|s| m.security_group(s).meta.address.as_str()),
                Some("aws_security_group.app"),
                "{r:?}"
            ),
            other => panic!("{other:?}"),
        }
    }
}

#[test]
fn managed_services_network_interfaces_are_workloads_behind_their_groups() {
    let m = &network("service-interfaces").after;
    let db = "aws_db_instance.main (aws_subnet.private[1])";
    for from in [
        "aws_codebuild_project.migrate (aws_subnet.private[0])",
        "aws_mwaa_environment.pipelines (aws_subnet.private[1])",
        "aws_apprunner_vpc_connector.app (aws_subnet.private[0])",
    ] {
        let r = tcp_query(m, from, db, 5432);
        assert_eq!(r.verdict, Verdict::Allowed, "{from}: {r:?}");
    }
    for from in [
        "aws_sagemaker_notebook_instance.analysis",
        "aws_glue_connection.warehouse",
    ] {
        let r = tcp_query(m, from, db, 5432);
        assert_eq!(r.verdict, Verdict::Blocked, "{from}: {r:?}");
        assert_eq!(r.drop_kind, Some(DropKind::SecurityGroup));
    }
    let kinds: Vec<tfvpc::model::WorkloadKind> = m
        .workloads
        .iter()
        .filter(|w| !w.meta.address.starts_with("aws_db_instance"))
        .map(|w| w.kind)
        .collect();
    assert_eq!(kinds.len(), 8);
    assert!(kinds
        .iter()
        .all(|k| *k == tfvpc::model::WorkloadKind::ServiceInterface && !k.takes_admin_logins()));
}

/// AWS Network Firewall does not support asymmetric routing: request and replies must pass
/// the same endpoint. Through an inspection VPC whose attachment lacks appliance mode, a
/// flow between spokes in two zones meets one endpoint each way, if each attachment
/// subnet's route names its own zone's endpoint (known only after apply: unknown, saying
/// so); with appliance mode, one endpoint both ways.
#[test]
fn a_flow_between_zones_meets_one_firewall_endpoint_only_in_appliance_mode() {
    let r = answer(
        "tgw-inspection",
        "aws_subnet.spoke[0]",
        "aws_subnet.spoke[1]",
        Family::Ipv4,
    );
    assert_eq!(r.verdict, Verdict::Unknown, "{}", r.reason);
    assert!(
        r.reason.contains("enter `aws_ec2_transit_gateway_vpc_attachment.inspection` in us-east-1b and pass the endpoint of `aws_networkfirewall_firewall.east_west` in `aws_subnet.firewall[1]`, not its endpoint in `aws_subnet.firewall[0]`"),
        "{}",
        r.reason
    );
    assert!(
        r.reason.ends_with("if each route to `aws_networkfirewall_firewall.east_west` names the firewall's endpoint in the route's own zone, as tfvpc assumes (which endpoint a route names is not read from the plan)"),
        "{}",
        r.reason
    );
    // Egress stays in one zone both ways: the NAT gateway of the spoke's zone answers
    // through the same endpoint.
    let out = answer(
        "tgw-inspection",
        "aws_subnet.spoke[1]",
        "internet",
        Family::Ipv4,
    );
    assert_eq!(out.verdict, Verdict::Allowed, "{}", out.reason);

    let r = answer(
        "tgw-inspection-appliance-mode",
        "aws_subnet.spoke[0]",
        "aws_subnet.spoke[1]",
        Family::Ipv4,
    );
    assert_eq!(r.verdict, Verdict::Allowed, "{}", r.reason);
}

/// The replies of a NAT gateway in another VPC (centralized egress) follow its subnet's
/// route table back: without a route to the transit gateway they go to the internet
/// gateway, and nothing reaches the internet.
#[test]
fn centralized_egress_needs_a_way_back_from_the_nat_gateway() {
    let r = answer(
        "tgw-inspection-appliance-mode",
        "aws_subnet.spoke[0]",
        "internet",
        Family::Ipv4,
    );
    assert_eq!(r.verdict, Verdict::Blocked, "{}", r.reason);
    assert_eq!(r.drop_kind, Some(DropKind::ReturnRoute));
    assert_eq!(r.dropped_by.as_deref(), Some("aws_internet_gateway.egress"));
    assert!(r
        .path
        .iter()
        .any(|h| &**h == "aws_route_table.egress_public"));
}

/// A firewall before the NAT gateway whose replies take the VPC's local route straight
/// back: the firewall sees one direction only.
#[test]
fn nat_replies_that_skip_the_firewall_are_blocked() {
    for (app, nat) in [
        ("aws_subnet.app[0]", "aws_nat_gateway.main[0]"),
        ("aws_subnet.app[1]", "aws_nat_gateway.main[1]"),
    ] {
        let r = answer("network-firewall-asymmetric", app, "internet", Family::Ipv4);
        assert_eq!(r.verdict, Verdict::Blocked, "{}", r.reason);
        assert_eq!(r.drop_kind, Some(DropKind::Asymmetric));
        assert!(
            r.reason.starts_with(&format!(
                "replies from `{nat}` do not pass `aws_networkfirewall_firewall.egress`"
            )),
            "{}",
            r.reason
        );
    }
}

/// A rule naming a group of another VPC matches across a transit gateway only where the
/// gateway has security group referencing on (AWS's default is off), and only in inbound
/// rules.
#[test]
fn a_group_of_another_vpc_matches_across_a_transit_gateway_only_with_referencing_on() {
    let n = network("tgw-sg-referencing");
    let m = &n.after;
    // `legacy` keeps AWS's default: db's rule naming app's group does not match.
    let r = tcp_query(m, "aws_instance.app", "aws_instance.db", 5432);
    assert_eq!(r.verdict, Verdict::Blocked, "{}", r.reason);
    assert_eq!(r.drop_kind, Some(DropKind::SecurityGroup));
    assert_eq!(r.dropped_by.as_deref(), Some("aws_security_group.db"));
    assert!(
        r.reason.contains(
            "rule `aws_security_group.db ingress[0]` names a group of `aws_instance.app`, but security group referencing is off for `aws_ec2_transit_gateway.legacy`"
        ),
        "{}",
        r.reason
    );
    // `shared` has it on, and the attachments keep theirs (on).
    let r = tcp_query(m, "aws_instance.app2", "aws_instance.db2", 5432);
    assert_eq!(r.verdict, Verdict::Allowed, "{}", r.reason);
    // An outbound rule naming db2's group never matches across the gateway.
    let r = tcp_query(m, "aws_instance.report", "aws_instance.db2", 5432);
    assert_eq!(r.verdict, Verdict::Blocked, "{}", r.reason);
    assert_eq!(r.dropped_by.as_deref(), Some("aws_security_group.report"));
    assert!(
        r.reason
            .contains("AWS matches a group of a VPC across transit gateway `aws_ec2_transit_gateway.shared` in inbound rules only"),
        "{}",
        r.reason
    );
    // Referencing on for `legacy`: app reaches db. Off for one attachment of `shared`:
    // app2 no longer does.
    let n = with_known(
        "tgw-sg-referencing",
        &[
            (
                "aws_ec2_transit_gateway.legacy",
                "security_group_referencing_support",
                serde_json::json!("enable"),
            ),
            (
                "aws_ec2_transit_gateway_vpc_attachment.db2",
                "security_group_referencing_support",
                serde_json::json!("disable"),
            ),
        ],
    );
    let r = tcp_query(&n.after, "aws_instance.app", "aws_instance.db", 5432);
    assert_eq!(r.verdict, Verdict::Allowed, "{}", r.reason);
    let r = tcp_query(&n.after, "aws_instance.app2", "aws_instance.db2", 5432);
    assert_eq!(r.verdict, Verdict::Blocked, "{}", r.reason);
    assert!(
        r.reason.contains(
            "security group referencing is off for `aws_ec2_transit_gateway_vpc_attachment.db2`"
        ),
        "{}",
        r.reason
    );
}

/// A rule naming a group of a peer VPC matches within one Region, not across Regions.
#[test]
fn a_group_of_a_peer_vpc_matches_only_within_one_region() {
    let n = network("peering-cross-region");
    let m = &n.after;
    let r = tcp_query(m, "aws_instance.app", "aws_instance.db", 5432);
    assert_eq!(r.verdict, Verdict::Allowed, "{}", r.reason);
    let r = tcp_query(m, "aws_instance.app", "aws_instance.reports", 5432);
    assert_eq!(r.verdict, Verdict::Blocked, "{}", r.reason);
    assert_eq!(r.dropped_by.as_deref(), Some("aws_security_group.reports"));
    assert!(
        r.reason
            .contains("peering `aws_vpc_peering_connection.app_reports` joins VPCs in two Regions"),
        "{}",
        r.reason
    );
    let p = m
        .peerings
        .iter()
        .find(|p| p.meta.address == "aws_vpc_peering_connection.app_db")
        .unwrap();
    assert_eq!(p.cross_region, tfvpc::model::Val::Known(false));
}

#[test]
fn data_sources_stand_for_the_objects_they_read() {
    let n = network("data-sources");
    for m in [&n.before, &n.after] {
        let vpc = &m.vpcs[0];
        assert_eq!(vpc.meta.address, "data.aws_vpc.shared");
        assert!(vpc.outside);
        assert!(vpc.default_security_group.is_none());
        let igw = &m.gateways[0];
        assert_eq!(igw.meta.address, "data.aws_internet_gateway.shared");
        assert_eq!(igw.vpc.id(), Some(tfvpc::model::VpcId(0)));
        assert_eq!(
            m.route_table(vpc.main_route_table).meta.address,
            "data.aws_route_table.main"
        );
        // The bastion group is not modelled, but the plan shows that it exists.
        assert!(m
            .read_ids
            .values()
            .any(|a| a == "data.aws_security_group.bastion"));
    }
    let m = &n.after;
    let v4 = Family::Ipv4;
    let cases: &[(&str, &str, Verdict, Option<&str>, &str)] = &[
        // All of it known: the plan's own table, NACL and group, the read gateway.
        ("aws_subnet.web", "internet", Verdict::Allowed, None, ""),
        ("internet", "aws_subnet.web", Verdict::Allowed, None, ""),
        // The read main route table has no route out.
        (
            "aws_subnet.batch",
            "internet",
            Verdict::Blocked,
            Some("data.aws_route_table.main"),
            "no route",
        ),
        // Replies go to the read NAT gateway.
        (
            "internet",
            "aws_subnet.app",
            Verdict::Blocked,
            Some("data.aws_route_table.private"),
            "`data.aws_nat_gateway.shared`",
        ),
        // The NAT gateway's subnet is not read.
        (
            "aws_subnet.app",
            "internet",
            Verdict::Unknown,
            None,
            "the subnet of `data.aws_nat_gateway.shared` is not known",
        ),
        // The VPC's default NACL guards `batch`: its rules are not read.
        (
            "aws_subnet.web",
            "aws_subnet.batch",
            Verdict::Unknown,
            None,
            "the rules of the default network ACL of `data.aws_vpc.shared`",
        ),
    ];
    for (from, to, verdict, by, why) in cases {
        let (v, dropped, reason) = verdict_of(m, from, to, v4);
        assert_eq!(v, *verdict, "{from} -> {to}: {reason}");
        assert_eq!(dropped.as_deref(), *by, "{from} -> {to}: {reason}");
        assert!(reason.contains(why), "{from} -> {to}: {reason}");
    }
    // An instance that names no group is guarded by the default group it cannot see.
    let batch = tcp_query(m, "internet", "aws_instance.batch", 443);
    assert_eq!(batch.verdict, Verdict::Unknown, "{batch:?}");
    assert!(
        batch
            .reason
            .contains("the default security group of `data.aws_vpc.shared`"),
        "{}",
        batch.reason
    );
    assert_eq!(
        tcp_query(m, "internet", "aws_instance.web", 443).verdict,
        Verdict::Allowed
    );
    // Prefix lists read by data sources: a customer-managed one with its entries, and S3's
    // own list, which is S3 and no other service.
    let office = m
        .prefix_lists
        .iter()
        .find(|p| p.meta.address == "data.aws_ec2_managed_prefix_list.office")
        .unwrap();
    assert_eq!(
        office.entries,
        vec![tfvpc::model::AnyBlock::V4(tfvpc::model::Block::Known(
            "203.0.113.0/24".parse().unwrap()
        ))]
    );
    let s3 = m
        .prefix_lists
        .iter()
        .find(|p| p.meta.address == "data.aws_prefix_list.s3")
        .unwrap();
    assert_eq!(s3.service(), Some("s3"));
    let dynamodb = tcp_query(m, "aws_instance.app", "service:dynamodb", 443);
    assert_eq!(dynamodb.verdict, Verdict::Blocked, "{dynamodb:?}");
    assert_eq!(
        dynamodb.dropped_by.as_deref(),
        Some("aws_security_group.app")
    );
    let to_s3 = tcp_query(m, "aws_instance.app", "service:s3", 443);
    assert_eq!(to_s3.verdict, Verdict::Unknown, "{to_s3:?}");
    assert!(to_s3
        .reason
        .contains("the subnet of `data.aws_nat_gateway.shared`"));
}

#[test]
fn what_only_data_sources_read_is_not_this_plans_to_fix() {
    // The same plan without `data.aws_nat_gateway.shared`: the read private table's route
    // names a NAT gateway ID nothing in the plan reads. It is still a NAT gateway (no
    // connection from the internet completes through it), and the read route is not
    // reported as a blackhole: another configuration manages it.
    let text = std::fs::read_to_string("testdata/data-sources/plan.json").unwrap();
    let mut plan: serde_json::Value = serde_json::from_str(&text).unwrap();
    plan["prior_state"]["values"]["root_module"]["resources"]
        .as_array_mut()
        .unwrap()
        .retain(|r| r["address"] != "data.aws_nat_gateway.shared");
    let bytes = serde_json::to_vec(&plan).unwrap();
    let n = tfvpc::plan::build(&tfvpc::plan::parse(&bytes, "plan.json").unwrap());
    assert!(n.after.nat_gateways.is_empty());
    let (v, by, reason) = verdict_of(&n.after, "internet", "aws_subnet.app", Family::Ipv4);
    assert_eq!(v, Verdict::Blocked, "{reason}");
    assert_eq!(by.as_deref(), Some("data.aws_route_table.private"));
    assert!(reason.contains("leave through `nat-"), "{reason}");
    let (v, _, reason) = verdict_of(&n.after, "aws_subnet.app", "internet", Family::Ipv4);
    assert_eq!(v, Verdict::Unknown, "{reason}");
    let report = tfvpc::pipeline::run(
        &n,
        &tfvpc::rules::Policy::default(),
        Scope::All,
        tfvpc::rules::Date::new(2026, 12, 6),
    );
    assert!(report.findings.is_empty(), "{:?}", report.findings);
}

#[test]
fn a_gateway_endpoints_prefix_list_is_its_service_and_no_other() {
    // By reference (`aws_vpc_endpoint.s3.prefix_list_id`, unknown at plan time) and, once
    // the endpoint exists, by its known ID.
    let egress = serde_json::json!([{
        "cidr_blocks": [], "description": "", "from_port": 443, "ipv6_cidr_blocks": [],
        "prefix_list_ids": ["pl-63a5400a"], "protocol": "tcp", "security_groups": [],
        "self": false, "to_port": 443
    }]);
    let by_id = with_known(
        "endpoint-prefix-list",
        &[
            (
                "aws_vpc_endpoint.s3",
                "prefix_list_id",
                serde_json::json!("pl-63a5400a"),
            ),
            ("aws_security_group.app", "egress", egress),
        ],
    );
    for n in [network("endpoint-prefix-list"), by_id] {
        let m = &n.after;
        let cases = [
            ("aws_instance.app", "service:s3", Verdict::Allowed),
            ("aws_instance.app", "service:dynamodb", Verdict::Blocked),
            ("aws_instance.app", "internet", Verdict::Blocked),
            ("aws_instance.worker", "service:dynamodb", Verdict::Allowed),
            ("aws_instance.worker", "service:s3", Verdict::Blocked),
        ];
        for (from, to, verdict) in cases {
            let r = tcp_query(m, from, to, 443);
            assert_eq!(r.verdict, verdict, "{from} -> {to}: {}", r.reason);
            if verdict == Verdict::Blocked {
                assert!(
                    r.dropped_by
                        .as_deref()
                        .is_some_and(|d| d.starts_with("aws_security_group.")),
                    "{r:?}"
                );
            }
        }
    }
}

#[test]
fn subnets_read_by_data_sources_are_placed_with_their_read_route_tables() {
    let n = network("read-subnets");
    let m = &n.after;
    let public_a = r#"data.aws_subnet.public["subnet-2361d02475fdb315f"]"#;
    let public_b = r#"data.aws_subnet.public["subnet-ea459bae136308bdc"]"#;
    let subnet = |a: &str| {
        m.subnets
            .iter()
            .find(|s| s.meta.address == a)
            .unwrap_or_else(|| panic!("{a} is modelled"))
    };
    // Zones and blocks come from the data sources.
    assert_eq!(
        subnet("data.aws_subnet.app_a").availability_zone,
        tfvpc::model::Val::Known("us-east-1a".to_string())
    );
    assert_eq!(
        subnet(public_b).availability_zone,
        tfvpc::model::Val::Known("us-east-1b".to_string())
    );
    // Both public subnets use the one table the two `for_each` reads found: the first read.
    let table = |a: &str| {
        let t = subnet(a).route_table.link.id().expect("table known");
        m.route_table(t).meta.address.clone()
    };
    let first = r#"data.aws_route_table.public["subnet-2361d02475fdb315f"]"#;
    assert_eq!(table(public_a), first);
    assert_eq!(table(public_b), first);
    assert_eq!(
        m.route_tables
            .iter()
            .filter(|t| t.meta.address.starts_with("data.aws_route_table.public"))
            .count(),
        1
    );
    assert_eq!(table("data.aws_subnet.app_a"), "data.aws_route_table.app_a");
    // The read table's default route goes to a gateway no data source reads: `unknown`,
    // saying which data source would read it.
    let r = answer("read-subnets", public_a, "internet", Family::Ipv4);
    assert_eq!(r.verdict, Verdict::Unknown, "{r:?}");
    assert!(
        r.reason
            .contains("which no data source of this plan reads (a `data \"aws_internet_gateway\"` would read it)"),
        "{}",
        r.reason
    );
}

#[test]
fn a_subnet_whose_nacl_is_not_read_passes_nothing_for_sure() {
    // Between two read subnets: the local route is known, their ACLs are not.
    let r = answer(
        "read-subnets",
        "data.aws_subnet.app_a",
        r#"data.aws_subnet.public["subnet-2361d02475fdb315f"]"#,
        Family::Ipv4,
    );
    assert_eq!(r.verdict, Verdict::Unknown, "{r:?}");
    assert!(
        r.reason.contains(
            "the network ACL of `data.aws_subnet.app_a` (read by a data source) is not in the plan"
        ),
        "{}",
        r.reason
    );
    // Within one subnet no ACL is crossed: the endpoint there is reached.
    let r = answer(
        "read-subnets",
        "data.aws_subnet.app_a",
        "service:ssm",
        Family::Ipv4,
    );
    assert_eq!(r.verdict, Verdict::Allowed, "{r:?}");
    // From another read subnet, its ACL decides: unknown.
    let r = answer(
        "read-subnets",
        r#"data.aws_subnet.public["subnet-ea459bae136308bdc"]"#,
        "service:ssm",
        Family::Ipv4,
    );
    assert_eq!(r.verdict, Verdict::Unknown, "{r:?}");
}

#[test]
fn a_propagation_from_an_attachment_outside_the_plan_makes_an_unmatched_lookup_unknown() {
    let r = answer(
        "tgw-outside-propagation",
        "aws_subnet.app",
        "internet",
        Family::Ipv4,
    );
    assert_eq!(r.verdict, Verdict::Unknown, "{r:?}");
    assert!(
        r.reason.contains(
            "the routes `aws_ec2_transit_gateway_route_table_propagation.egress` propagates are not known"
        ),
        "{}",
        r.reason
    );
}

/// Rules whose ports or CIDR are known only after apply decide nothing for sure, and a CIDR
/// that names only a VPC's block is never the internet; once the ports are known (as after
/// apply) the same path has a sure answer.
#[test]
fn rules_known_only_after_apply_decide_nothing_until_they_are_known() {
    let scenario = "unknown-rule-fields";
    let r = answer(scenario, "aws_subnet.app", "aws_subnet.db[0]", Family::Ipv4);
    assert_eq!(r.verdict, Verdict::Unknown, "{r:?}");
    assert!(
        r.reason
            .contains("come from `aws_db_instance.db.port`, known only after apply"),
        "{}",
        r.reason
    );
    // The peer's IPv6 block (not known yet) is routed, and nothing else: the database
    // subnets do not reach the internet over IPv6.
    let r = answer(scenario, "aws_subnet.db[0]", "internet", Family::Ipv6);
    assert_eq!(r.verdict, Verdict::Blocked, "{r:?}");
    // Nor is it a route to the VPC's own subnets (a peer's blocks never overlap them): the
    // local route decides, and the database NACL lets no IPv6 out.
    for to in ["aws_subnet.db[1]", "aws_subnet.public"] {
        let r = answer(scenario, "aws_subnet.db[0]", to, Family::Ipv6);
        assert_eq!(r.verdict, Verdict::Blocked, "{to}: {r:?}");
        assert_eq!(
            r.path.last().map(|h| &**h),
            Some("aws_network_acl.db"),
            "{r:?}"
        );
    }
    // The public subnet's NACL denies the VPC's own IPv6 block first: not the internet.
    let r = answer(scenario, "aws_subnet.public", "internet", Family::Ipv6);
    assert_eq!(r.verdict, Verdict::Allowed, "{r:?}");
    // The web server's group admits 443 from anywhere and everything from the VPC's IPv6
    // block: the internet gets 443 only.
    let n = network(scenario);
    let web =
        |port: u16| tcp_query_in(&n.after, "internet", "aws_instance.web", Family::Ipv6, port);
    assert_eq!(web(443).verdict, Verdict::Allowed);
    assert_eq!(web(22).verdict, Verdict::Blocked);
    // Once the database's port is known, the NACL rule decides.
    let known = with_known(
        scenario,
        &[
            (
                "aws_network_acl_rule.db_in",
                "from_port",
                serde_json::json!(5432),
            ),
            (
                "aws_network_acl_rule.db_in",
                "to_port",
                serde_json::json!(5432),
            ),
        ],
    );
    let r = analysis::reachability(&known.after, Scope::All)
        .results
        .into_iter()
        .find(|r| {
            &*r.from == "aws_subnet.app" && &*r.to == "aws_subnet.db[0]" && r.family == Family::Ipv4
        })
        .expect("a result");
    assert_eq!(r.verdict, Verdict::Allowed, "{r:?}");
    assert_eq!(r.ports, "tcp:5432");
}

/// Rule and NACL CIDRs that are module outputs or module inputs set from one, passing on
/// the VPC's IPv6 block (known only after apply): inside the VPC, never the internet. An
/// output that passes on an address of something else (an EIP) may be anyone's.
#[test]
fn module_outputs_of_a_vpc_block_lie_inside_it() {
    let scenario = "module-cidr-outputs";
    let n = network(scenario);
    let ask =
        |to: &str, family: Family, port: u16| tcp_query_in(&n.after, "internet", to, family, port);
    // `module.web_sg` admits everything from `var.trusted_ipv6_cidr_blocks`, set to
    // `[module.net.vpc_ipv6_cidr_block]`; `aws_security_group.api` from
    // `module.net.public_subnet_ipv6_cidr_block`. Both admit 443 from `::/0`.
    for to in ["aws_instance.web", "aws_instance.api"] {
        let r = ask(to, Family::Ipv6, 443);
        assert_eq!(r.verdict, Verdict::Allowed, "{to}: {r:?}");
        let r = ask(to, Family::Ipv6, 22);
        assert_eq!(r.verdict, Verdict::Blocked, "{to}: {r:?}");
    }
    // The NACL denies `module.net.vpc_ipv6_cidr_block` first: not the internet.
    let public = "module.net.aws_subnet.public";
    for (from, to) in [(public, "internet"), ("internet", public)] {
        let r = answer(scenario, from, to, Family::Ipv6);
        assert_eq!(r.verdict, Verdict::Allowed, "{r:?}");
    }
    // From inside the VPC, whether the block covers the source is not known; the reason
    // names what the group's `ingress` blocks come from (Terraform gives the inline
    // blocks no expression of their own).
    let r = tcp_query_in(&n.after, public, "aws_instance.web", Family::Ipv6, 22);
    assert_eq!(r.verdict, Verdict::Unknown, "{r:?}");
    assert!(
        r.reason
            .ends_with("(the `ingress` blocks name `var.trusted_ipv6_cidr_blocks`)"),
        "{}",
        r.reason
    );
    // SSH from `module.net.bastion_cidr` ("${aws_eip.bastion.public_ip}/32"): undecided.
    let r = ask("aws_instance.admin", Family::Ipv4, 22);
    assert_eq!(r.verdict, Verdict::Unknown, "{r:?}");
    assert!(
        r.reason.contains("comes from `module.net.bastion_cidr`"),
        "{}",
        r.reason
    );
}

/// A splat module output (`compact(aws_subnet.private[*].ipv6_cidr_block)`, whose
/// reference names only `aws_subnet.private`) lies inside those subnets; subnets of one VPC
/// never overlap, so a rule or NACL entry of it never covers another subnet's block. An
/// output that is a `for` over EIPs may be anyone's.
#[test]
fn splat_module_outputs_of_subnet_blocks_lie_inside_them() {
    let scenario = "module-cidr-outputs";
    let n = network(scenario);
    let ask_to = |to: &str, from: &str, family: Family, port: u16| {
        tcp_query_in(&n.after, from, to, family, port)
    };
    let ask = |from: &str, family: Family, port: u16| ask_to("aws_instance.db", from, family, port);
    let public = "module.net.aws_subnet.public";
    // `aws_security_group.db` admits everything from the private subnets' blocks, and
    // `aws_security_group.cache` from a prefix list whose entries are those blocks: neither
    // the internet nor the public subnet (where both instances are).
    for from in ["internet", public] {
        let r = ask(from, Family::Ipv6, 22);
        assert_eq!(r.verdict, Verdict::Blocked, "{from}: {r:?}");
        let r = ask_to("aws_instance.cache", from, Family::Ipv6, 6379);
        assert_eq!(r.verdict, Verdict::Blocked, "{from}: {r:?}");
    }
    // SSH from `module.net.nat_cidrs` (`[for e in aws_eip.nat : "${e.public_ip}/32"]`).
    let r = ask("internet", Family::Ipv4, 22);
    assert_eq!(r.verdict, Verdict::Unknown, "{r:?}");
    assert!(
        r.reason.contains("comes from `module.net.nat_cidrs`"),
        "{}",
        r.reason
    );
    // `aws_network_acl.private` admits IPv6 only from elements of that output: the public
    // subnet's traffic meets its implicit deny, both ways (the replies too); between the
    // two private subnets it stays undecided.
    for (from, to) in [
        (public, "module.net.aws_subnet.private[0]"),
        ("module.net.aws_subnet.private[1]", public),
    ] {
        let r = answer(scenario, from, to, Family::Ipv6);
        assert_eq!(r.verdict, Verdict::Blocked, "{from} -> {to}: {r:?}");
        assert!(
            r.reason.contains("`aws_network_acl.private`"),
            "{}",
            r.reason
        );
    }
    let r = answer(
        scenario,
        "module.net.aws_subnet.private[0]",
        "module.net.aws_subnet.private[1]",
        Family::Ipv6,
    );
    assert_eq!(r.verdict, Verdict::Unknown, "{r:?}");
    assert!(
        r.reason
            .contains("comes from `module.net.private_subnets_ipv6_cidr_blocks`"),
        "{}",
        r.reason
    );
}

/// A peer's block from an IPAM pool (known only after apply) never covers this VPC's
/// addresses, known ones included: AWS refuses a peering between overlapping VPCs.
#[test]
fn an_ipam_peers_block_never_covers_this_vpcs_known_subnets() {
    let scenario = "ipam-peer";
    for (from, to) in [
        ("aws_subnet.a[0]", "aws_subnet.a[1]"),
        ("aws_subnet.a[1]", "aws_subnet.a[0]"),
    ] {
        let r = answer(scenario, from, to, Family::Ipv4);
        assert_eq!(r.verdict, Verdict::Allowed, "{from} -> {to}: {r:?}");
    }
    let r = answer(scenario, "aws_subnet.a[0]", "aws_subnet.b", Family::Ipv4);
    assert_eq!(r.verdict, Verdict::Unknown, "{r:?}");
    assert!(r.reason.contains("`aws_route.a_to_b`"), "{}", r.reason);
}

/// Two spokes' Amazon-provided IPv6 blocks never overlap: `a`'s route to `b`'s block and
/// `a[1]`'s NACL deny of it leave `a`'s own IPv6 pairs to the local route. Whether that
/// route (or the deny) covers `b`'s subnets is not in the plan (Terraform writes references,
/// not the functions applied to them), so `a` ↔ `b` stays undecided.
#[test]
fn amazon_ipv6_blocks_of_two_spokes_never_overlap() {
    let scenario = "amazon-ipv6-spokes";
    for (from, to) in [
        ("aws_subnet.a[0]", "aws_subnet.a[1]"),
        ("aws_subnet.a[1]", "aws_subnet.a[0]"),
    ] {
        let r = answer(scenario, from, to, Family::Ipv6);
        assert_eq!(r.verdict, Verdict::Allowed, "{from} -> {to}: {r:?}");
    }
    let r = answer(scenario, "aws_subnet.a[0]", "aws_subnet.b", Family::Ipv6);
    assert_eq!(r.verdict, Verdict::Unknown, "{r:?}");
    assert!(r.reason.contains("`aws_route.a_to_b_v6`"), "{}", r.reason);
    let n = network(scenario);
    let amazon: Vec<bool> = n
        .after
        .vpcs
        .iter()
        .map(|v| {
            v.ipv6
                .iter()
                .all(|b| matches!(&b.block, Block::Unknown(u) if u.amazon_ipv6))
        })
        .collect();
    assert_eq!(amazon, [true, true]);
}

/// Spokes associated through `module.spoke[each.key].attachment_id` reach each other (the
/// link is inferred); an attachment whose association names an attachment not known at plan
/// time is not "associated with no route table": paths through it are unknown, both ways.
#[test]
fn tgw_associations_through_a_module_indexed_by_each_key() {
    let spoke = |k: &str| format!("module.spoke[\"{k}\"].aws_subnet.private[0]");
    let edge = "module.edge[\"edge\"].aws_subnet.edge";
    let scenario = "tgw-module-for-each";
    let ok = answer(scenario, &spoke("app"), &spoke("data"), Family::Ipv4);
    assert_eq!(ok.verdict, Verdict::Allowed, "{}", ok.reason);
    assert!(
        ok.path
            .iter()
            .any(|h| &**h == "aws_ec2_transit_gateway_route_table.spokes"),
        "{:?}",
        ok.path
    );
    // `shared` is associated but does not propagate: no route to it.
    let no_route = answer(scenario, &spoke("app"), &spoke("shared"), Family::Ipv4);
    assert_eq!(no_route.verdict, Verdict::Blocked, "{}", no_route.reason);
    assert_eq!(
        no_route.dropped_by.as_deref(),
        Some("aws_ec2_transit_gateway_route_table.spokes")
    );
    let out = answer(scenario, edge, &spoke("data"), Family::Ipv4);
    assert_eq!(out.verdict, Verdict::Unknown, "{}", out.reason);
    assert!(
        out.reason
            .contains("aws_ec2_transit_gateway_route_table_association.edge[\"edge\"]"),
        "{}",
        out.reason
    );
    let back = answer(scenario, &spoke("app"), edge, Family::Ipv4);
    assert_eq!(back.verdict, Verdict::Unknown, "{}", back.reason);
    assert!(
        back.reason.contains("replies may not return"),
        "{}",
        back.reason
    );
}

/// A subnet associated through `module.edge[each.key].subnet_id` (the module's one subnet
/// output) takes the public table; one that an association naming a subnet not known at
/// plan time may cover has no sure table: its internet paths are unknown, not blocked by
/// the main table's missing route.
#[test]
fn associations_through_a_module_indexed_by_each_key() {
    let scenario = "association-module-for-each";
    let dmz = answer(
        scenario,
        "module.edge[\"dmz\"].aws_subnet.this",
        "internet",
        Family::Ipv4,
    );
    assert_eq!(dmz.verdict, Verdict::Allowed, "{}", dmz.reason);
    assert!(
        dmz.path.iter().any(|h| &**h == "aws_route_table.public"),
        "{:?}",
        dmz.path
    );
    for subnet in [
        "module.tier[\"web\"].aws_subnet.this",
        "module.tier[\"app\"].aws_subnet.spare",
    ] {
        let r = answer(scenario, subnet, "internet", Family::Ipv4);
        assert_eq!(r.verdict, Verdict::Unknown, "{subnet}: {}", r.reason);
        assert!(
            r.reason
                .contains("associates a subnet not known at plan time with a route table"),
            "{}",
            r.reason
        );
    }
}

/// `aws_route.private_default` names its table through `module.net[each.key]`, whose two
/// route table outputs name different tables: the route may be in either table of the
/// module's VPC (its target, the NAT gateway, is there). The private table, with no route
/// of its own to the internet, is unknown; the public table's own default route stands;
/// another VPC's table is not concerned. So for the S3 gateway endpoint's route.
#[test]
fn a_route_whose_table_is_not_known_may_be_in_any_table_of_its_vpc() {
    let scenario = "route-module-for-each";
    let private = answer(
        scenario,
        "module.net[\"a\"].aws_subnet.private",
        "internet",
        Family::Ipv4,
    );
    assert_eq!(private.verdict, Verdict::Unknown, "{}", private.reason);
    assert!(
        private.reason.contains(
            "route `aws_route.private_default[\"a\"]` may be in `module.net[\"a\"].aws_route_table.private`"
        ),
        "{}",
        private.reason
    );
    let public = answer(
        scenario,
        "module.net[\"a\"].aws_subnet.public",
        "internet",
        Family::Ipv4,
    );
    assert_eq!(public.verdict, Verdict::Allowed, "{}", public.reason);
    let other = answer(scenario, "aws_subnet.other", "internet", Family::Ipv4);
    assert_eq!(other.verdict, Verdict::Blocked, "{}", other.reason);
    // The S3 gateway endpoint's route, whose table is not known either, may take the
    // public subnet's S3 traffic instead of its internet gateway: unknown which way.
    let s3 = answer(
        scenario,
        "module.net[\"a\"].aws_subnet.public",
        "service:s3",
        Family::Ipv4,
    );
    assert_eq!(s3.verdict, Verdict::Unknown, "{}", s3.reason);
    assert!(
        s3.reason.contains(
            "route `aws_vpc_endpoint.s3[\"a\"] service:s3` may be in `module.net[\"a\"].aws_route_table.public`"
        ),
        "{}",
        s3.reason
    );
    let other_s3 = answer(scenario, "aws_subnet.other", "service:s3", Family::Ipv4);
    assert_eq!(other_s3.verdict, Verdict::Blocked, "{}", other_s3.reason);
    // Replies from `other` cannot come back, whatever the request's way: blocked, but not
    // an asymmetric path (TFVPC109), since the request is not sure to get through.
    let across = answer(
        scenario,
        "module.net[\"a\"].aws_subnet.private",
        "aws_subnet.other",
        Family::Ipv4,
    );
    assert_eq!(across.verdict, Verdict::Blocked, "{}", across.reason);
    assert_ne!(across.drop_kind, Some(DropKind::ReturnRoute));
}

/// testdata/route-table-candidates: each `aws_route.to_peer[k]` names its table through
/// `module.spoke[each.key]`, whose two route table outputs name different tables. The
/// route's table is not known, but it is one of the two tables of the spoke with its key:
/// never the root VPC's table, nor the other spoke's. Its target, the transit gateway,
/// places it in no VPC, so before its candidates were kept it was taken to be anywhere.
#[test]
fn a_route_whose_table_is_one_of_a_module_instances_outputs_stays_there() {
    let scenario = "route-table-candidates";
    let a_app = "module.spoke[\"a\"].aws_subnet.app";
    let b_app = "module.spoke[\"b\"].aws_subnet.app";
    // Where the route may be: unknown, naming it and the table.
    let across = answer(scenario, a_app, b_app, Family::Ipv4);
    assert_eq!(across.verdict, Verdict::Unknown, "{}", across.reason);
    assert!(
        across.reason.contains(
            "route `aws_route.to_peer[\"a\"]` may be in `module.spoke[\"a\"].aws_route_table.app`"
        ),
        "{}",
        across.reason
    );
    let isolated = answer(
        scenario,
        "module.spoke[\"a\"].aws_subnet.isolated",
        b_app,
        Family::Ipv4,
    );
    assert_eq!(isolated.verdict, Verdict::Unknown, "{}", isolated.reason);
    // The shared VPC's table is not one of them: it has no route to spoke b, decided.
    let shared = answer(scenario, "aws_subnet.shared", b_app, Family::Ipv4);
    assert_eq!(shared.verdict, Verdict::Blocked, "{}", shared.reason);
    assert_eq!(
        shared.reason,
        "`aws_route_table.shared` has no route that matches `module.spoke[\"b\"].aws_subnet.app`'s CIDR"
    );
    // Spoke b's requests to the shared VPC get there (its table's own route), and the
    // replies cannot come back: an asymmetric path, no longer hidden as unknown.
    let back = answer(scenario, b_app, "aws_subnet.shared", Family::Ipv4);
    assert_eq!(back.verdict, Verdict::Blocked, "{}", back.reason);
    assert_eq!(
        back.drop_kind,
        Some(DropKind::ReturnRoute),
        "{}",
        back.reason
    );
    // Where a route's own table decides, the candidates change nothing.
    let to_a = answer(scenario, "aws_subnet.shared", a_app, Family::Ipv4);
    assert_eq!(to_a.verdict, Verdict::Allowed, "{}", to_a.reason);
}

/// testdata/links-module-for-each: an internet gateway, a TGW attachment, a NACL rule and a
/// security group rule name their VPC, subnets, NACL and group through module outputs the
/// plan does not name. What those links decide is unknown; what they cannot change stays
/// decided.
#[test]
fn links_through_unnamed_module_outputs_give_unknown() {
    let scenario = "links-module-for-each";
    let public = "module.net[\"a\"].aws_subnet.public";
    let private = "module.net[\"a\"].aws_subnet.private";
    let unknown = |from: &str, to: &str, why: &str| {
        let r = answer(scenario, from, to, Family::Ipv4);
        assert_eq!(r.verdict, Verdict::Unknown, "{from} -> {to}: {}", r.reason);
        assert!(r.reason.contains(why), "{from} -> {to}: {}", r.reason);
    };
    let blocked = |from: &str, to: &str| {
        let r = answer(scenario, from, to, Family::Ipv4);
        assert_eq!(r.verdict, Verdict::Blocked, "{from} -> {to}: {}", r.reason);
    };
    // The internet gateway's VPC is not known.
    let igw = "which VPC `aws_internet_gateway.igw[\"a\"]` is attached to is not known";
    unknown(public, "internet", igw);
    unknown("internet", public, igw);
    unknown(public, "service:s3", igw);
    // ... but it reaches only the internet, and the private subnet's replies do not go
    // to it.
    blocked(public, "aws_subnet.other");
    blocked("internet", private);
    // The spoke attachment's VPC and subnets are not known.
    unknown(
        private,
        "aws_subnet.other",
        "`aws_ec2_transit_gateway_vpc_attachment.spoke[\"a\"]` may be that attachment",
    );
    unknown("aws_subnet.other", private, "spoke[\"a\"]");
    // The module's NACL has no rules of its own; the rule resources may be its.
    unknown(
        private,
        public,
        "`aws_network_acl_rule.allow_out[\"a\"]` may be this NACL's rule",
    );
    // Nothing unsure on these.
    blocked(private, "internet");
    blocked("aws_subnet.other", "internet");
    // A route table whose VPC is not known is in the VPC of the subnets associated with
    // it: it has that VPC's local route.
    let extra = answer(
        scenario,
        "aws_subnet.extra[\"b\"]",
        "aws_subnet.extra[\"c\"]",
        Family::Ipv4,
    );
    assert_eq!(extra.verdict, Verdict::Allowed, "{}", extra.reason);
    // The peering's accepter VPC is not known: across it, unknown both ways.
    let pcx = "which VPCs peering `aws_vpc_peering_connection.peer[\"a\"]` connects is not known";
    unknown("aws_subnet.peer", private, pcx);
    unknown(private, "aws_subnet.peer", pcx);
    blocked("aws_subnet.peer", "internet");
    // A subnet without an association of its own, in a VPC whose main table association
    // names its VPC through such an output: its table is not known.
    unknown(
        "aws_subnet.implicit",
        "internet",
        "`aws_main_route_table_association.main[\"a\"]` sets the main route table of a VPC",
    );
    let n = network(scenario);
    let m = &n.after;
    assert_eq!(m.unplaced_nacl_rules.len(), 2);
    assert_eq!(m.unplaced_group_rules.len(), 1);
    // The app instance's group has no ingress rules: HTTPS is blocked there, whatever the
    // NACL; SSH, which the rule whose group is not known admits, is not.
    let app = "module.net[\"a\"].aws_instance.app";
    let https = tcp_query(m, private, app, 443);
    assert_eq!(https.verdict, Verdict::Blocked, "{https:?}");
    assert_eq!(
        https.dropped_by.as_deref(),
        Some("module.net[\"a\"].aws_security_group.app")
    );
    let ssh = tcp_query(m, private, app, 22);
    assert_eq!(ssh.verdict, Verdict::Unknown, "{ssh:?}");
}

/// testdata/default-nacl-module-for-each: an `aws_default_network_acl` (no rules: deny all)
/// names its VPC through a module output the plan does not name. The default NACL of
/// every VPC without a managed one of its own may be it: traffic through them is unknown,
/// not allowed by AWS's allow-all default. The VPC whose default NACL is managed by
/// reference keeps its rules.
#[test]
fn a_default_nacl_of_unknown_vpc_may_be_any_vpcs() {
    let scenario = "default-nacl-module-for-each";
    for (from, to) in [
        ("aws_subnet.root[\"a\"]", "aws_subnet.root[\"b\"]"),
        (
            "module.net[\"a\"].aws_subnet.a",
            "module.net[\"a\"].aws_subnet.b",
        ),
    ] {
        let r = answer(scenario, from, to, Family::Ipv4);
        assert_eq!(r.verdict, Verdict::Unknown, "{from} -> {to}: {}", r.reason);
        assert!(
            r.reason
                .contains("`aws_default_network_acl.lockdown[\"a\"]` sets the rules of the default network ACL of a VPC not known"),
            "{}",
            r.reason
        );
    }
    let managed = answer(
        scenario,
        "aws_subnet.managed[\"a\"]",
        "aws_subnet.managed[\"b\"]",
        Family::Ipv4,
    );
    assert_eq!(managed.verdict, Verdict::Allowed, "{}", managed.reason);
}

/// Transit gateway associations, propagations and routes whose route table is a module
/// output terraform leaves unnamed (`module.tables[each.key].id`, with two outputs naming
/// route tables): each may be in either table of the module instance with its key.
#[test]
fn tgw_items_of_an_unknown_route_table_give_unknown() {
    let scenario = "tgw-table-module-for-each";
    let (a, b, b5, c) = (
        "aws_subnet.s[\"a\"]",
        "aws_subnet.s[\"b\"]",
        "aws_subnet.b5",
        "aws_subnet.s[\"c\"]",
    );
    let get = |from: &str, to: &str| answer(scenario, from, to, Family::Ipv4);
    let unknown = |from: &str, to: &str, why: &str| {
        let r = get(from, to);
        assert_eq!(r.verdict, Verdict::Unknown, "{from} -> {to}: {}", r.reason);
        assert!(r.reason.contains(why), "{from} -> {to}: {}", r.reason);
    };
    // a's attachment is associated with a table not known: it was "associated with no
    // transit gateway route table" (blocked), both ways.
    let a_assoc = "whether `aws_ec2_transit_gateway_vpc_attachment.att[\"a\"]` is associated with a route table of `aws_ec2_transit_gateway.hub` is not known: `aws_ec2_transit_gateway_route_table_association.ab[\"a\"]` associates it with a route table not known at plan time";
    unknown(a, c, a_assoc);
    unknown(c, a, a_assoc);
    // b propagates into a table not known, but one of the two `module.tables["b"]` names:
    // never c's, which has no route for b (decided).
    let r = get(c, b);
    assert_eq!(r.verdict, Verdict::Blocked, "{}", r.reason);
    assert_eq!(
        r.reason,
        "`aws_ec2_transit_gateway_route_table.c` has no route that matches `aws_subnet.s[\"b\"]`'s CIDR"
    );
    let r = get(b, c);
    assert_eq!(r.verdict, Verdict::Blocked, "{}", r.reason);
    assert!(
        r.reason
            .starts_with("replies cannot return: `aws_ec2_transit_gateway_route_table.c`"),
        "{}",
        r.reason
    );
    // c's own blackhole route for 10.2.5.0/24 is longer than b's block: it decides.
    let r = get(c, b5);
    assert_eq!(r.verdict, Verdict::Blocked, "{}", r.reason);
    assert!(r
        .reason
        .contains("blackhole route `aws_ec2_transit_gateway_route.c_drop`"));
    // ... and the replies of b5 to c are dropped there whatever b's association.
    assert_eq!(get(b5, c).verdict, Verdict::Blocked);
    // Nothing unsure within a VPC.
    assert_eq!(get(b, b5).verdict, Verdict::Allowed);
}

/// An `aws_default_security_group` whose VPC is a module output terraform leaves unnamed
/// may be the default group of any VPC whose default group the plan does not manage: what
/// AWS's rules or its own admit is unknown there, what neither admits stays blocked, and a
/// default group managed by reference stays decided.
#[test]
fn a_default_security_group_of_an_unknown_vpc_leaves_default_groups_undecided() {
    let n = network("default-sg-module-for-each");
    let m = &n.after;
    let why = "`aws_default_security_group.lockdown[\"a\"]` sets the rules of the default security group of a VPC not known at plan time, which may be this one";
    let (a, b) = ("aws_instance.root[\"a\"]", "aws_instance.root[\"b\"]");
    // Members of AWS's default group reach each other; lockdown lets nothing out.
    for port in [22, 443] {
        let r = tcp_query(m, a, b, port);
        assert_eq!(r.verdict, Verdict::Unknown, "{port}: {}", r.reason);
        assert!(r.reason.contains(why), "{}", r.reason);
    }
    // From a group of its own: AWS's default group admits members only; lockdown admits
    // SSH from 10.0.0.0/8.
    let ssh = tcp_query(m, "aws_instance.web", a, 22);
    assert_eq!(ssh.verdict, Verdict::Unknown, "{}", ssh.reason);
    let https = tcp_query(m, "aws_instance.web", a, 443);
    assert_eq!(https.verdict, Verdict::Blocked, "{}", https.reason);
    // The managed VPC's default group is its own resource's.
    for port in [22, 443] {
        let r = tcp_query(
            m,
            "aws_instance.managed[\"a\"]",
            "aws_instance.managed[\"b\"]",
            port,
        );
        assert_eq!(r.verdict, Verdict::Allowed, "{port}: {}", r.reason);
    }
}

/// An `aws_vpc_endpoint_route_table_association` whose endpoint is a module output
/// terraform leaves unnamed may give its table a gateway endpoint's route for S3 or
/// DynamoDB: the table's way to those services is unknown, not the NAT gateway for sure,
/// and neither TFVPC401 (via NAT) nor TFVPC402 (endpoint without route tables) fires.
#[test]
fn an_endpoint_association_of_an_unknown_endpoint_leaves_service_paths_unknown() {
    let scenario = "endpoint-association-module-for-each";
    for svc in ["s3", "dynamodb"] {
        let to = format!("service:{svc}");
        let r = answer(scenario, "aws_subnet.private", &to, Family::Ipv4);
        assert_eq!(r.verdict, Verdict::Unknown, "{svc}: {}", r.reason);
        assert!(
            r.reason.contains(&format!(
                "`aws_vpc_endpoint_route_table_association.private[\"main\"]` may give `aws_route_table.private` a gateway endpoint's route for {svc}: its endpoint is not known"
            )),
            "{}",
            r.reason
        );
        // The public table is not concerned.
        let r = answer(scenario, "aws_subnet.public", &to, Family::Ipv4);
        assert_eq!(r.verdict, Verdict::Allowed, "{svc}: {}", r.reason);
    }
}

/// An `aws_vpc_peering_connection_accepter` (with `auto_accept`) whose connection is a
/// module output terraform leaves unnamed may accept any connection the plan does not
/// accept otherwise: paths over those are unknown, not "not accepted".
#[test]
fn an_accepter_of_an_unknown_peering_leaves_unaccepted_peerings_unknown() {
    let scenario = "peering-accepter-module-for-each";
    let s = |k: &str| format!("module.peers[\"a\"].aws_subnet.s[\"{k}\"]");
    for spoke in ["x", "y"] {
        for (from, to) in [(s("hub"), s(spoke)), (s(spoke), s("hub"))] {
            let r = answer(scenario, &from, &to, Family::Ipv4);
            assert_eq!(r.verdict, Verdict::Unknown, "{from} -> {to}: {}", r.reason);
            assert!(
                r.reason.contains(&format!(
                    "whether peering `module.peers[\"a\"].aws_vpc_peering_connection.p[\"{spoke}\"]` is accepted is not known: `aws_vpc_peering_connection_accepter.x[\"a\"]` accepts a peering connection not known at plan time"
                )),
                "{}",
                r.reason
            );
        }
    }
    // Peering is not transitive, accepted or not.
    assert_eq!(
        answer(scenario, &s("x"), &s("y"), Family::Ipv4).verdict,
        Verdict::Blocked
    );
}

/// VGW route propagations named through module outputs terraform leaves unnamed: one whose
/// route table is not known may be any table of its gateway's VPC (paths to the VPN that
/// it would carry are unknown, not "no route"); one whose gateway is not known propagates
/// the gateway attached to its table's VPC (inferred: AWS propagates no other's routes).
#[test]
fn vgw_propagations_of_unknown_tables_and_gateways() {
    let scenario = "vpn-module-for-each";
    let private = "module.tables[\"a\"].aws_subnet.private";
    let r = answer(
        scenario,
        private,
        "vpn:aws_vpn_connection.main",
        Family::Ipv4,
    );
    assert_eq!(r.verdict, Verdict::Unknown, "{}", r.reason);
    assert!(
        r.reason.contains("`aws_vpn_gateway_route_propagation.main[\"a\"]` may propagate routes of `aws_vpn_gateway.main` into `module.tables[\"a\"].aws_route_table.private`: its route table is not known"),
        "{}",
        r.reason
    );
    // Not into a table of another VPC.
    let r = answer(
        scenario,
        "aws_subnet.other",
        "vpn:aws_vpn_connection.main",
        Family::Ipv4,
    );
    assert_eq!(r.verdict, Verdict::Blocked, "{}", r.reason);
    let r = answer(
        scenario,
        "aws_subnet.other",
        "vpn:aws_vpn_connection.other",
        Family::Ipv4,
    );
    assert_eq!(r.verdict, Verdict::Allowed, "{}", r.reason);
    let n = network(scenario);
    let t = n
        .after
        .route_tables
        .iter()
        .find(|t| &*t.meta.address == "aws_route_table.other")
        .unwrap();
    assert!(
        matches!(
            t.propagating_vgws.as_slice(),
            [(
                _,
                tfvpc::model::Link::To(_, tfvpc::model::LinkHow::Inferred)
            )]
        ),
        "{:?}",
        t.propagating_vgws
    );
}

/// VPN links named through module outputs terraform leaves unnamed: a connection whose
/// virtual private gateway is not known may terminate on any gateway whose routes a table
/// gets, and a connection route whose connection is not known may declare its CIDR for any
/// static connection. Paths they would carry are unknown (they were blocked); paths no
/// gateway of theirs could carry stay blocked.
#[test]
fn vpn_connections_of_unknown_gateways_and_routes_of_unknown_connections() {
    let scenario = "vpn-connection-module-for-each";
    let conn_a = "vpn:aws_vpn_connection.a[\"a\"]";
    let primary = "vpn:module.vpn[\"a\"].aws_vpn_connection.primary";
    let backup = "vpn:module.vpn[\"a\"].aws_vpn_connection.backup";
    // The connection's gateway may be the one whose routes the subnet's table propagates.
    let r = answer(scenario, "aws_subnet.a", conn_a, Family::Ipv4);
    assert_eq!(r.verdict, Verdict::Unknown, "{}", r.reason);
    assert!(
        r.reason.contains("which virtual private gateway `aws_vpn_connection.a[\"a\"]` terminates on is not known")
            && r.reason.contains("it may be `module.gw[\"a\"].aws_vpn_gateway.this`, whose routes `aws_route_table.a` propagates"),
        "{}",
        r.reason
    );
    // Any gateway may be it: also the one of VPC b.
    let r = answer(scenario, "aws_subnet.b", conn_a, Family::Ipv4);
    assert_eq!(r.verdict, Verdict::Unknown, "{}", r.reason);
    assert!(
        r.reason.contains("it may be `aws_vpn_gateway.b`"),
        "{}",
        r.reason
    );
    // The route may declare 172.20.0.0/16 for either connection of the module.
    for to in [primary, backup] {
        let r = answer(scenario, "aws_subnet.b", to, Family::Ipv4);
        assert_eq!(r.verdict, Verdict::Unknown, "{to}: {}", r.reason);
        assert!(
            r.reason.contains("`aws_vpn_connection_route.b[\"a\"]` may declare on-premises CIDR 172.20.0.0/16 for"),
            "{}",
            r.reason
        );
        // VPC a's table gets only its own gateway's routes: not those of VPC b's.
        let r = answer(scenario, "aws_subnet.a", to, Family::Ipv4);
        assert_eq!(r.verdict, Verdict::Blocked, "{to}: {}", r.reason);
    }
    // No route to any gateway: blocked, whatever the links are.
    for to in [conn_a, primary, backup] {
        let r = answer(scenario, "aws_subnet.c", to, Family::Ipv4);
        assert_eq!(r.verdict, Verdict::Blocked, "{to}: {}", r.reason);
        assert!(
            r.reason.contains("has no route that matches"),
            "{}",
            r.reason
        );
    }
    let n = network(scenario);
    assert_eq!(n.after.unplaced_vpn_routes.len(), 1);
    assert!(n
        .after
        .vpn_connections
        .iter()
        .all(|c| c.static_routes.len()
            == usize::from(&*c.meta.address == "aws_vpn_connection.a[\"a\"]")));
}

/// Interface endpoints named through module outputs terraform leaves unnamed: one whose
/// subnets are not known may take its VPC's traffic to the service (private DNS on), so
/// those paths are unknown; one whose VPC is not known is in its known subnet's VPC. A VPC
/// without an endpoint is unchanged.
#[test]
fn interface_endpoints_of_unknown_subnets_and_vpcs() {
    let scenario = "interface-endpoint-module-for-each";
    for from in [
        "module.edge_a.aws_subnet.public",
        "module.net[\"a\"].aws_subnet.app",
        "module.net[\"a\"].aws_subnet.spare",
    ] {
        let r = answer(scenario, from, "service:ssm", Family::Ipv4);
        assert_eq!(r.verdict, Verdict::Unknown, "{from}: {}", r.reason);
        assert!(
            r.reason.contains("may reach ssm through interface endpoint `aws_vpc_endpoint.a[\"a\"]` instead (private DNS on")
                && r.reason.contains("which subnets `aws_vpc_endpoint.a[\"a\"]` has network interfaces in is not known"),
            "{}",
            r.reason
        );
    }
    let r = answer(
        scenario,
        "module.edge_b.aws_subnet.public",
        "service:ssm",
        Family::Ipv4,
    );
    assert_eq!(r.verdict, Verdict::Allowed, "{}", r.reason);
    assert!(
        r.path.iter().any(|h| &**h == "aws_vpc_endpoint.b[\"b\"]")
            && !r.path.iter().any(|h| h.contains("aws_internet_gateway")),
        "{:?}",
        r.path
    );
    let r = answer(
        scenario,
        "module.edge_c.aws_subnet.public",
        "service:ssm",
        Family::Ipv4,
    );
    assert_eq!(r.verdict, Verdict::Allowed, "{}", r.reason);
    assert!(
        r.path
            .iter()
            .any(|h| &**h == "module.edge_c.aws_internet_gateway.this"),
        "{:?}",
        r.path
    );
}

/// A load balancer listener whose load balancer is a module output terraform leaves
/// unnamed may be any load balancer's: a request on its port is unknown where no known
/// listener takes it (it was blocked); other ports stay as the known listeners decide.
#[test]
fn a_listener_of_an_unknown_load_balancer_may_take_its_port() {
    let n = network("lb-listener-module-for-each");
    let m = &n.after;
    let lb = "module.lb[\"a\"].aws_lb.this (aws_subnet.public[0])";
    let r = query_family(m, lb, Family::Ipv4, 80);
    assert_eq!(r.verdict, Verdict::Unknown, "{r:?}");
    assert!(
        r.reason.contains("`aws_lb_listener.http[\"a\"]` may be its listener: its load balancer is not known at plan time"),
        "{}",
        r.reason
    );
    assert_eq!(
        query_family(m, lb, Family::Ipv4, 8080).verdict,
        Verdict::Allowed
    );
    let ssh = query_family(m, lb, Family::Ipv4, 22);
    assert_eq!(ssh.verdict, Verdict::Blocked, "{ssh:?}");
    assert_eq!(ssh.drop_kind, Some(DropKind::NoListener));
    // An HTTP listener is no Network Load Balancer's: port 80 stays blocked there.
    let nlb = query_family(m, "aws_lb.nlb (aws_subnet.public[0])", Family::Ipv4, 80);
    assert_eq!(nlb.verdict, Verdict::Blocked, "{nlb:?}");
    assert_eq!(nlb.drop_kind, Some(DropKind::NoListener));
    // Both load balancers of the module may have it.
    for w in m
        .workloads
        .iter()
        .filter(|w| w.meta.address.starts_with("module.lb"))
    {
        let l = w.listeners.as_ref().unwrap();
        assert_eq!(l.maybe.len(), 1, "{}", w.meta.address);
        assert_eq!(l.maybe[0].0.port, 80);
    }
}

/// Load balancer targets through target groups named by module outputs terraform leaves
/// unnamed: an attachment whose group is not known may register its target in any group,
/// and a listener whose group is not known may forward to any; what they would carry is
/// unknown (it was blocked), and a target registered nowhere stays blocked.
#[test]
fn targets_of_unknown_target_groups_may_be_behind_a_listener() {
    let n = network("lb-target-module-for-each");
    let m = &n.after;
    // A listener whose load balancer the outputs of `module.lb["a"]` name may be only
    // theirs, not the root's load balancer's; an attachment whose Classic Load Balancer
    // the outputs of `module.classic["a"]` name, only theirs.
    for w in m.workloads.iter().filter(|w| w.listeners.is_some()) {
        let maybe = &w.listeners.as_ref().unwrap().maybe;
        let of_module = w.meta.address.starts_with("module.lb[\"a\"].");
        assert_eq!(!maybe.is_empty(), of_module, "{}", w.meta.address);
    }
    let legacy = m
        .workloads
        .iter()
        .find(|w| w.meta.address == "aws_instance.legacy")
        .unwrap();
    assert!(!legacy.behind.is_empty());
    for f in &legacy.behind {
        assert!(
            f.load_balancer.starts_with("module.classic[\"a\"]."),
            "{}",
            f.load_balancer
        );
    }
    let ask = |to: &str, port: u16| tcp_query(m, "internet", to, port);
    let app = ask("aws_instance.app", 8080);
    assert_eq!(app.verdict, Verdict::Unknown, "{app:?}");
    assert!(
        app.reason.contains("`aws_lb_target_group_attachment.app[\"a\"]` may name `module.tg[\"a\"].aws_lb_target_group.web`: its target group is not known at plan time"),
        "{}",
        app.reason
    );
    let worker = ask("aws_instance.worker", 9090);
    assert_eq!(worker.verdict, Verdict::Unknown, "{worker:?}");
    assert!(
        worker.reason.contains("`aws_lb_listener.workers[\"a\"]` may name `module.tg[\"a\"].aws_lb_target_group.workers`"),
        "{}",
        worker.reason
    );
    for port in [8080, 9090] {
        assert_eq!(ask("aws_instance.db", port).verdict, Verdict::Blocked);
    }
    // A listener whose load balancer is not known, and a rule whose listener is not.
    let ops = ask("aws_instance.ops", 7070);
    assert_eq!(ops.verdict, Verdict::Unknown, "{ops:?}");
    assert!(
        ops.reason.contains("may be its listener") || ops.reason.contains("may be a listener of"),
        "{}",
        ops.reason
    );
    // A target group of another VPC takes none of these targets, and no load balancer of
    // this VPC forwards to it.
    assert!(m
        .workloads
        .iter()
        .flat_map(|w| &w.behind)
        .all(|f| f.target_group != "aws_lb_target_group.other"));
    // A Classic Load Balancer not known; one named by its name, known at plan time.
    let legacy = ask("aws_instance.legacy", 6060);
    assert_eq!(legacy.verdict, Verdict::Unknown, "{legacy:?}");
    assert!(
        legacy.reason.contains(
            "`aws_elb_attachment.legacy[\"a\"]` may name `module.classic[\"a\"].aws_elb."
        ) || legacy
            .reason
            .contains("`aws_elb_attachment.legacy[\"a\"]` may name `aws_elb.named`"),
        "{}",
        legacy.reason
    );
    let named = ask("aws_instance.named", 6060);
    assert_eq!(named.verdict, Verdict::Allowed, "{named:?}");
    assert!(
        named.path.iter().any(|h| h.starts_with("aws_elb.named")),
        "{:?}",
        named.path
    );
    // An Auto Scaling group attached by its name, known at plan time.
    let asg = ask("aws_autoscaling_group.workers (aws_subnet.private)", 8080);
    assert_eq!(asg.verdict, Verdict::Allowed, "{asg:?}");
    let w = m
        .workloads
        .iter()
        .find(|w| w.meta.address == "aws_instance.ops")
        .unwrap();
    assert!(
        w.behind.iter().any(
            |f| f.rule.as_deref() == Some("aws_lb_listener_rule.ops[\"a\"]")
                && f.listener == "module.lb[\"a\"].aws_lb_listener.ops"
                && f.unsure
                    .as_deref()
                    .is_some_and(|u| u.contains("may be a rule of"))
        ),
        "{:?}",
        w.behind
    );
    // The worker's sure way (listener 80 forwards to the web group, not its own) is none:
    // only ways that may be there reach it.
    let w = m
        .workloads
        .iter()
        .find(|w| w.meta.address == "aws_instance.worker")
        .unwrap();
    assert!(
        !w.behind.is_empty() && w.behind.iter().all(|f| f.unsure.is_some()),
        "{:?}",
        w.behind
    );
}

#[test]
fn listeners_known_only_through_locals_are_one_way_per_target() {
    let n = network("lb-listeners-via-locals");
    let m = &n.after;
    for app in ["a", "b", "c"] {
        let own = format!("module.app[\"{app}\"].");
        let web = m
            .workloads
            .iter()
            .find(|w| w.meta.address == format!("{own}aws_instance.web"))
            .unwrap();
        // Only its own VPC's load balancers and target groups: a target group's load
        // balancers and targets are in its VPC.
        assert!(!web.behind.is_empty());
        for f in &web.behind {
            assert!(f.load_balancer.starts_with(&own), "{f:?}");
            assert!(f.target_group.starts_with(&own), "{f:?}");
            assert!(f.unsure.is_some(), "{f:?}");
        }
        // The three listeners (and the three rules) differ only in their names: one way
        // each per load balancer and target group, the reason counting the others.
        let mut ways: Vec<_> = web
            .behind
            .iter()
            .map(|f| (&f.load_balancer, &f.target_group, f.rule.is_some()))
            .collect();
        let all = ways.len();
        ways.sort();
        ways.dedup();
        assert_eq!(ways.len(), all, "{:?}", web.behind);
        assert_eq!(
            all, 8,
            "2 load balancers x 2 target groups x (listener, rule)"
        );
        for f in &web.behind {
            let others = if f.rule.is_some() {
                "as may 2 other listener rules like it"
            } else {
                "as may 2 other listeners like it"
            };
            assert!(f.unsure.as_ref().unwrap().contains(others), "{f:?}");
        }
        // What the internet reaches of a load balancer: any of the three listeners may be
        // its, on port 80 only.
        let node = format!("{own}aws_lb.this ({own}aws_subnet.a)");
        let http = tcp_query(m, "internet", &node, 80);
        assert_eq!(http.verdict, Verdict::Unknown, "{http:?}");
        assert!(
            http.reason.contains("may be its listener")
                && http.reason.contains("as may 2 other listeners like it"),
            "{}",
            http.reason
        );
        assert_eq!(
            tcp_query(m, "internet", &node, 443).verdict,
            Verdict::Blocked
        );
    }
}

/// A VPN connection whose transit gateway is a module output terraform leaves unnamed:
/// its attachment may be associated with and propagate into any gateway's default route
/// table, so the BGP routes it would carry are unknown there (it was "no route").
#[test]
fn a_vpn_attachment_to_an_unknown_transit_gateway_may_propagate() {
    let scenario = "vpn-tgw-module-for-each";
    let to = "vpn:aws_vpn_connection.office[\"a\"]";
    let r = answer(scenario, "aws_subnet.a", to, Family::Ipv4);
    assert_eq!(r.verdict, Verdict::Unknown, "{}", r.reason);
    assert!(
        r.reason
            .contains("learns on-premises routes over BGP, and its propagation")
            && r.reason
                .contains("its transit gateway is not known at plan time"),
        "{}",
        r.reason
    );
    let r = answer(scenario, "aws_subnet.b", to, Family::Ipv4);
    assert_eq!(r.verdict, Verdict::Blocked, "{}", r.reason);
    let n = network(scenario);
    assert_eq!(n.after.unplaced_tgw.len(), 2);
}

/// Security groups named by their names (an instance's `security_groups`, a rule's
/// `security_groups`, in a default VPC), known at plan time when the IDs are not: each is
/// the group its reference names, not a group outside the plan.
#[test]
fn security_groups_named_by_name_are_the_plan_s() {
    let n = network("sg-by-name");
    let m = &n.after;
    let ssh = tcp_query(m, "internet", "aws_instance.web", 22);
    assert_eq!(ssh.verdict, Verdict::Allowed, "{ssh:?}");
    let app = tcp_query(m, "aws_instance.web", "aws_instance.app", 8080);
    assert_eq!(app.verdict, Verdict::Allowed, "{app:?}");
    let back = tcp_query(m, "aws_instance.app", "aws_instance.web", 8080);
    assert_eq!(back.verdict, Verdict::Blocked, "{back:?}");
    let web = m
        .workloads
        .iter()
        .find(|w| w.meta.address == "aws_instance.web")
        .unwrap();
    assert!(
        matches!(web.security_groups.as_slice(), [tfvpc::model::Link::To(..)]),
        "{:?}",
        web.security_groups
    );
    // A name that is not the referenced group's stays a group outside the plan.
    let n = with_known(
        "sg-by-name",
        &[(
            "aws_instance.web",
            "security_groups",
            serde_json::json!(["other"]),
        )],
    );
    let web = n
        .after
        .workloads
        .iter()
        .find(|w| w.meta.address == "aws_instance.web")
        .unwrap();
    assert!(
        matches!(web.security_groups.as_slice(), [tfvpc::model::Link::External(id)] if id == "other"),
        "{:?}",
        web.security_groups
    );
}

/// An `aws_network_interface_sg_attachment` whose network interface is a module output
/// terraform leaves unnamed may add its group to any workload of the group's VPC that the
/// module instance's outputs name: what that group admits is unknown there (it was
/// blocked), the rest is unchanged.
#[test]
fn a_group_attachment_of_an_unknown_interface_may_guard_any_workload() {
    let n = network("sg-attachment-module-for-each");
    let m = &n.after;
    for to in ["web", "worker"] {
        let to = format!("module.app[\"a\"].aws_instance.{to}");
        let ssh = tcp_query(m, "aws_instance.client", &to, 22);
        assert_eq!(ssh.verdict, Verdict::Unknown, "{}", ssh.reason);
        assert!(
            ssh.reason.contains("`aws_network_interface_sg_attachment.admin[\"a\"]` attaches a group to a network interface not known at plan time"),
            "{}",
            ssh.reason
        );
        assert_eq!(
            tcp_query(m, "aws_instance.client", &to, 443).verdict,
            Verdict::Allowed
        );
        assert_eq!(
            tcp_query(m, "aws_instance.client", &to, 3389).verdict,
            Verdict::Blocked
        );
        // `aws_security_group.bastion`, attached the same way, admits SSH from anywhere.
        let ssh = tcp_query(m, "internet", &to, 22);
        assert_eq!(ssh.verdict, Verdict::Unknown, "{}", ssh.reason);
        assert_eq!(tcp_query(m, "internet", &to, 443).verdict, Verdict::Blocked);
    }
    // Its interface is one the module instance's outputs name: the root's own instance,
    // in the same VPC, is not one, and the bastion group does not guard it.
    assert_eq!(
        tcp_query(m, "internet", "aws_instance.client", 22).verdict,
        Verdict::Blocked
    );
    // The admin group on an endpoint not known: either interface endpoint of the module.
    for ep in ["ssm", "ec2messages"] {
        let to = format!("module.app[\"a\"].aws_vpc_endpoint.{ep}");
        let ssh = tcp_query(m, "aws_instance.client", &to, 22);
        assert_eq!(ssh.verdict, Verdict::Unknown, "{}", ssh.reason);
        assert!(
            ssh.reason.contains("`aws_vpc_endpoint_security_group_association.admin[\"a\"]` attaches a group to a VPC endpoint not known at plan time"),
            "{}",
            ssh.reason
        );
        assert_eq!(
            tcp_query(m, "aws_instance.client", &to, 3389).verdict,
            Verdict::Blocked
        );
    }
}

/// An edge association whose gateway is a module output terraform leaves unnamed: in a
/// VPC with one gateway it can name, that one (inferred), so inbound traffic passes the
/// appliance; in a VPC with an internet and a virtual private gateway, inbound traffic the
/// edge table would send elsewhere than its local route is unknown, not direct.
#[test]
fn edge_associations_of_unknown_gateways() {
    let scenario = "edge-association-module-for-each";
    let s = |net: &str, sub: &str| format!("module.net[\"{net}\"].aws_subnet.{sub}");
    let r = answer(
        scenario,
        "internet",
        &s("inspected", "public"),
        Family::Ipv4,
    );
    assert_eq!(r.verdict, Verdict::Unknown, "{}", r.reason);
    assert!(
        r.reason.contains("`aws_route_table_association.edge[\"inspected\"]` edge-associates `module.net[\"inspected\"].aws_route_table.edge` with a gateway not known at plan time"),
        "{}",
        r.reason
    );
    // The edge table's local route: nothing changes.
    let r = answer(
        scenario,
        "internet",
        &s("inspected", "appliance"),
        Family::Ipv4,
    );
    assert_eq!(r.verdict, Verdict::Allowed, "{}", r.reason);
    // Inferred: the path goes through the edge table and the appliance.
    let r = answer(scenario, "internet", &s("single", "public"), Family::Ipv4);
    assert!(
        r.path
            .iter()
            .any(|h| &**h == "module.net[\"single\"].aws_network_interface.appliance"),
        "{:?}",
        r.path
    );
}

#[test]
fn an_instance_that_loses_its_elastic_ip_keeps_a_public_address_only_if_launched_with_one() {
    let n = network("eip-released-existing");
    // Before: each has an Elastic IP (two through `instance`, one through an association).
    for w in &n.before.workloads {
        assert!(
            matches!(w.public_ipv4, tfvpc::model::PublicIpv4::Eip(_)),
            "{}: {:?}",
            w.meta.address,
            w.public_ipv4
        );
    }
    // After: the association the plan deletes no longer ties `aws_eip.api` (kept) to its
    // instance, though AWS's read-back of the address still names it.
    let api_eip = n
        .after
        .eips
        .iter()
        .find(|e| e.meta.address == "aws_eip.api")
        .expect("the address stays");
    assert_eq!(api_eip.workload, tfvpc::model::Link::None);
    let (before, after) = (analysis::exposure(&n.before), analysis::exposure(&n.after));
    let changes = analysis::exposure_changes(&n, &before, &after);
    let got: Vec<(&str, Family, Verdict, Verdict)> = changes
        .iter()
        .map(|c| (c.to.as_str(), c.family, c.before, c.after))
        .collect();
    // `pinned` is launched with associate_public_ip_address = true: AWS gives it a new
    // public address. The other two say nothing, and AWS reads back `true` for any
    // instance with a public address: how they were launched is not known.
    assert_eq!(
        got,
        [
            (
                "aws_instance.api",
                Family::Ipv4,
                Verdict::Allowed,
                Verdict::Unknown
            ),
            (
                "aws_instance.web",
                Family::Ipv4,
                Verdict::Allowed,
                Verdict::Unknown
            ),
        ]
    );
    for (instance, eip) in [
        ("aws_instance.api", "aws_eip.api"),
        ("aws_instance.web", "aws_eip.web"),
    ] {
        let r = after.iter().find(|r| &*r.to == instance).expect("asked");
        assert!(
            r.reason.contains(&format!("loses `{eip}`")) && r.reason.contains("launched with one"),
            "{}",
            r.reason
        );
    }
    let pinned = after
        .iter()
        .find(|r| &*r.to == "aws_instance.pinned")
        .expect("asked");
    assert_eq!(pinned.verdict, Verdict::Allowed);
}

#[test]
fn a_static_vpn_on_a_transit_gateway_has_the_networks_the_gateway_routes_to_it() {
    // `aws_ec2_transit_gateway_route.branch_static` sends 172.20.0.0/16 to the connection's
    // attachment: on a transit gateway that is how a static VPN declares what is on
    // premises (`aws_vpn_connection_route` is for a virtual private gateway).
    let n = network("vpn");
    let conn = n
        .after
        .vpn_connections
        .iter()
        .find(|c| c.meta.address == "aws_vpn_connection.branch_static")
        .expect("in the model");
    assert_eq!(conn.gateway_routes.len(), 1);
    let out = answer(
        "vpn",
        "aws_subnet.spoke",
        "vpn:aws_vpn_connection.branch_static",
        Family::Ipv4,
    );
    assert_eq!(out.verdict, Verdict::Allowed, "{}", out.reason);
    assert!(out
        .path
        .iter()
        .any(|h| &**h == "aws_ec2_transit_gateway.hub (default route table)"));
    // A subnet of the VGW's VPC has no way to it: no route to the transit gateway.
    let vgw_side = answer(
        "vpn",
        "aws_subnet.private_b",
        "vpn:aws_vpn_connection.branch_static",
        Family::Ipv4,
    );
    assert_eq!(vgw_side.verdict, Verdict::Blocked, "{}", vgw_side.reason);
    assert!(
        vgw_side.reason.contains("172.20.0.0/16"),
        "{}",
        vgw_side.reason
    );
}

#[test]
fn an_association_that_replaces_the_default_one_leaves_one_table() {
    let n = network("tgw-replace-association");
    let att = n
        .after
        .tgw_attachments
        .iter()
        .position(|a| a.meta.address == "aws_ec2_transit_gateway_vpc_attachment.a[\"app\"]")
        .expect("attached");
    let tables: Vec<&str> = n
        .after
        .tgw_route_tables
        .iter()
        .filter(|t| {
            t.associations
                .iter()
                .any(|(_, l)| l.id().map(|a| a.index()) == Some(att))
        })
        .map(|t| t.meta.address.as_str())
        .collect();
    assert_eq!(tables, ["aws_ec2_transit_gateway_route_table.isolated"]);
    let out = answer(
        "tgw-replace-association",
        "aws_subnet.s[\"app\"]",
        "aws_subnet.s[\"other\"]",
        Family::Ipv4,
    );
    assert_eq!(out.verdict, Verdict::Blocked, "{}", out.reason);
    assert!(
        out.reason
            .contains("aws_ec2_transit_gateway_route_table.isolated"),
        "{}",
        out.reason
    );
}

#[test]
fn a_bgp_vpn_is_out_of_reach_of_tables_it_neither_propagates_into_nor_is_routed_to() {
    let to = "vpn:aws_vpn_connection.office";
    let open = answer(
        "vpn-bgp-no-route",
        "aws_subnet.propagated",
        to,
        Family::Ipv4,
    );
    assert_eq!(open.verdict, Verdict::Unknown, "{}", open.reason);
    for (from, table) in [
        ("aws_subnet.isolated", "aws_route_table.isolated"),
        ("aws_subnet.other", "aws_route_table.other"),
    ] {
        let r = answer("vpn-bgp-no-route", from, to, Family::Ipv4);
        assert_eq!(r.verdict, Verdict::Blocked, "{from}: {}", r.reason);
        assert_eq!(r.dropped_by.as_deref(), Some(table), "{from}");
        assert!(r.reason.contains("aws_vpn_gateway.vgw"), "{}", r.reason);
    }
}
