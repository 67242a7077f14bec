//! What an AWS network engineer checks first, on hand-built models: each test states the
//! AWS behaviour and checks the engine's verdict, path and dropping hop.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use tfvpc::analysis::testkit::{self, Net};
use tfvpc::analysis::{
    query, reachability, PathResult, Query, QueryError, QueryProtocol, Scope, Verdict,
    NO_PUBLIC_IPV4,
};
use tfvpc::model::{
    AnyBlock, Block, Family, Model, PortRange, Protocol, SgPeer, UnknownBlock, VpcId,
};

fn find<'a>(rs: &'a [PathResult], from: &str, to: &str, family: Family) -> &'a PathResult {
    rs.iter()
        .find(|r| *r.from == *from && *r.to == *to && r.family == family)
        .unwrap_or_else(|| panic!("no result {from} -> {to} {family}"))
}

fn all(m: &Model) -> Vec<PathResult> {
    reachability(m, Scope::All).results
}

#[test]
fn eigw_allows_outbound_ipv6_and_blocks_inbound() {
    let mut n = Net::new();
    let v = n.vpc("main", "10.0.0.0/16");
    n.vpc_ipv6(v, Some("2600:1f18::/56"));
    let eigw = n.eigw("eigw", v);
    let t = n.table("private", v);
    n.route(t, "::/0", testkit::gw(eigw));
    let s = n.subnet("private", v, "10.0.1.0/24", "us-east-1a");
    n.subnet_ipv6(s, Some("2600:1f18::/64"));
    n.associate(s, t);
    let m = n.model();
    let rs = all(&m);
    let out = find(&rs, "aws_subnet.private", "internet", Family::Ipv6);
    assert_eq!(out.verdict, Verdict::Allowed, "{out:?}");
    assert_eq!(
        out.path.iter().map(|h| &**h).collect::<Vec<_>>(),
        [
            "aws_subnet.private",
            "aws_route_table.private",
            "aws_egress_only_internet_gateway.eigw",
            "internet"
        ]
    );
    assert_eq!(out.ports, "all");
    let inb = find(&rs, "internet", "aws_subnet.private", Family::Ipv6);
    assert_eq!(inb.verdict, Verdict::Blocked, "{inb:?}");
    assert_eq!(
        inb.dropped_by.as_deref(),
        Some("aws_egress_only_internet_gateway.eigw")
    );
    // IPv4 has no route out at all.
    let out4 = find(&rs, "aws_subnet.private", "internet", Family::Ipv4);
    assert_eq!(out4.verdict, Verdict::Blocked);
    assert_eq!(out4.dropped_by.as_deref(), Some("aws_route_table.private"));
}

/// A VPC's own IPv6 block, known only after apply (Amazon-provided), is the destination of
/// its local route: that route is never the internet's, so a table without a default route
/// sends nothing to the internet, for sure.
#[test]
fn the_local_route_of_an_unknown_vpc_block_is_not_the_internets() {
    let run = |default_route: bool| {
        let mut n = Net::new();
        let v = n.vpc("main", "10.0.0.0/16");
        n.vpc_ipv6(v, None);
        let s = n.subnet("private", v, "10.0.1.0/24", "us-east-1a");
        n.subnet_ipv6(s, None);
        if default_route {
            let eigw = n.eigw("eigw", v);
            let main = n.m.vpc(v).main_route_table;
            n.route(main, "::/0", testkit::gw(eigw));
        }
        all(&n.model())
    };
    let rs = run(false);
    let out = find(&rs, "aws_subnet.private", "internet", Family::Ipv6);
    assert_eq!(out.verdict, Verdict::Blocked, "{out:?}");
    assert!(
        out.reason
            .ends_with("has no route that matches the internet"),
        "{}",
        out.reason
    );
    let rs = run(true);
    let out = find(&rs, "aws_subnet.private", "internet", Family::Ipv6);
    assert_eq!(out.verdict, Verdict::Allowed, "{out:?}");
}

fn three_peered_vpcs() -> Net {
    let mut n = Net::new();
    let a = n.vpc("a", "10.1.0.0/16");
    let b = n.vpc("b", "10.2.0.0/16");
    let c = n.vpc("c", "10.3.0.0/16");
    let ab = n.peering("ab", a, b, true);
    let bc = n.peering("bc", b, c, true);
    let ta = n.table("a", a);
    let tb = n.table("b", b);
    let tc = n.table("c", c);
    n.route(ta, "10.2.0.0/16", testkit::pcx(ab));
    // A routes C's CIDR into the A–B peering, hoping B forwards it.
    n.route(ta, "10.3.0.0/16", testkit::pcx(ab));
    n.route(tb, "10.1.0.0/16", testkit::pcx(ab));
    n.route(tb, "10.3.0.0/16", testkit::pcx(bc));
    n.route(tc, "10.2.0.0/16", testkit::pcx(bc));
    n.route(tc, "10.1.0.0/16", testkit::pcx(bc));
    for (name, v, t, cidr) in [
        ("a", a, ta, "10.1.1.0/24"),
        ("b", b, tb, "10.2.1.0/24"),
        ("c", c, tc, "10.3.1.0/24"),
    ] {
        let s = n.subnet(name, v, cidr, "us-east-1a");
        n.associate(s, t);
    }
    n
}

#[test]
fn peering_is_not_transitive() {
    let m = three_peered_vpcs().model();
    let rs = all(&m);
    let ab = find(&rs, "aws_subnet.a", "aws_subnet.b", Family::Ipv4);
    assert_eq!(ab.verdict, Verdict::Allowed, "{ab:?}");
    assert!(ab
        .path
        .iter()
        .any(|h| &**h == "aws_vpc_peering_connection.ab"));
    let ac = find(&rs, "aws_subnet.a", "aws_subnet.c", Family::Ipv4);
    assert_eq!(ac.verdict, Verdict::Blocked, "{ac:?}");
    assert_eq!(
        ac.dropped_by.as_deref(),
        Some("aws_vpc_peering_connection.ab")
    );
    assert!(ac.reason.contains("not transitive"), "{}", ac.reason);
    // No edge-to-edge routing either: nothing reaches the internet through a peer.
    let out = find(&rs, "aws_subnet.a", "internet", Family::Ipv4);
    assert_eq!(out.verdict, Verdict::Blocked);
}

#[test]
fn unaccepted_peering_blocks() {
    let mut n = Net::new();
    let a = n.vpc("a", "10.1.0.0/16");
    let b = n.vpc("b", "10.2.0.0/16");
    let p = n.peering("ab", a, b, false);
    let ta = n.table("a", a);
    let tb = n.table("b", b);
    n.route(ta, "10.2.0.0/16", testkit::pcx(p));
    n.route(tb, "10.1.0.0/16", testkit::pcx(p));
    let sa = n.subnet("a", a, "10.1.1.0/24", "us-east-1a");
    let sb = n.subnet("b", b, "10.2.1.0/24", "us-east-1a");
    n.associate(sa, ta);
    n.associate(sb, tb);
    let rs = all(&n.model());
    let r = find(&rs, "aws_subnet.a", "aws_subnet.b", Family::Ipv4);
    assert_eq!(r.verdict, Verdict::Blocked);
    assert!(r.reason.contains("not accepted"));
}

fn two_subnets_with_nacl(egress_ports: (u16, u16)) -> Model {
    let mut n = Net::new();
    let v = n.vpc("main", "10.0.0.0/16");
    let _a = n.subnet("a", v, "10.0.1.0/24", "us-east-1a");
    let b = n.subnet("b", v, "10.0.2.0/24", "us-east-1a");
    let acl = n.nacl("b", v, &[b]);
    n.nacl_rule(
        acl,
        false,
        100,
        true,
        Protocol::All,
        (0, 65535),
        "10.0.0.0/16",
    );
    n.nacl_rule(
        acl,
        true,
        100,
        true,
        Protocol::Tcp,
        egress_ports,
        "10.0.0.0/16",
    );
    n.model()
}

#[test]
fn nacl_without_ephemeral_egress_breaks_replies() {
    let m = two_subnets_with_nacl((443, 443));
    let rs = all(&m);
    let r = find(&rs, "aws_subnet.a", "aws_subnet.b", Family::Ipv4);
    assert_eq!(r.verdict, Verdict::Blocked, "{r:?}");
    assert_eq!(r.dropped_by.as_deref(), Some("aws_network_acl.b"));
    assert!(r.reason.contains("replies"), "{}", r.reason);
    assert!(r.reason.contains("implicit deny"), "{}", r.reason);
    assert_eq!(r.ports, "");
}

#[test]
fn nacl_with_ephemeral_egress_passes_tcp_only() {
    let m = two_subnets_with_nacl((1024, 65535));
    let rs = all(&m);
    let r = find(&rs, "aws_subnet.a", "aws_subnet.b", Family::Ipv4);
    assert_eq!(r.verdict, Verdict::Allowed, "{r:?}");
    assert_eq!(r.ports, "tcp:all");
    assert!(r.path.iter().any(|h| &**h == "aws_network_acl.b"));
    // b initiating towards a: b's egress lets only TCP 1024-65535 out.
    let back = find(&rs, "aws_subnet.b", "aws_subnet.a", Family::Ipv4);
    assert_eq!(back.verdict, Verdict::Allowed, "{back:?}");
    assert_eq!(back.ports, "tcp:1024-65535");
}

/// A NACL rule whose ports (or action) are known only after apply decides nothing for
/// sure: what it may match is `unknown`, with its reason; a deny of unknown ports in front
/// of an allow-all leaves the rest unknown too, never allowed.
#[test]
fn a_nacl_rule_known_only_after_apply_makes_what_it_may_match_unknown() {
    let why = "`aws_network_acl_rule.b_ingress_50` from_port and to_port come from \
               `aws_db_instance.db.port`, known only after apply";
    let run = |allow: bool| {
        let mut n = Net::new();
        let v = n.vpc("main", "10.0.0.0/16");
        n.subnet("a", v, "10.0.1.0/24", "us-east-1a");
        let b = n.subnet("b", v, "10.0.2.0/24", "us-east-1a");
        n.subnet("c", v, "10.0.3.0/24", "us-east-1a");
        let acl = n.nacl("b", v, &[b]);
        n.nacl_rule(
            acl,
            false,
            50,
            allow,
            Protocol::Tcp,
            (0, 65535),
            "10.0.1.0/24",
        );
        n.nacl_rule(acl, true, 100, true, Protocol::All, (0, 65535), "0.0.0.0/0");
        let mut m = n.model();
        m.nacls[acl.index()].ingress[0].unknown = Some(why.to_string());
        all(&m)
    };
    for allow in [true, false] {
        let rs = run(allow);
        let r = find(&rs, "aws_subnet.a", "aws_subnet.b", Family::Ipv4);
        assert_eq!(r.verdict, Verdict::Unknown, "{r:?}");
        assert_eq!(r.reason, why);
        // Another source is not covered by the rule's CIDR: the implicit deny, for sure.
        let r = find(&rs, "aws_subnet.c", "aws_subnet.b", Family::Ipv4);
        assert_eq!(r.verdict, Verdict::Blocked, "{r:?}");
        assert_eq!(r.dropped_by.as_deref(), Some("aws_network_acl.b"));
    }
}

/// `client` and `server` in one VPC; the server's NACL admits HTTPS from the VPC and, when
/// `reply_rule`, lets out TCP 1024-65535 to it (its replies).
fn server_nacl(reply_rule: bool) -> (Net, tfvpc::model::NaclId) {
    let mut n = Net::new();
    let v = n.vpc("main", "10.0.0.0/16");
    n.subnet("client", v, "10.0.1.0/24", "us-east-1a");
    let server = n.subnet("server", v, "10.0.2.0/24", "us-east-1a");
    let acl = n.nacl("server", v, &[server]);
    let vpc = "10.0.0.0/16";
    n.nacl_rule(acl, false, 100, true, Protocol::Tcp, (443, 443), vpc);
    if reply_rule {
        n.nacl_rule(acl, true, 100, true, Protocol::Tcp, (1024, 65535), vpc);
    }
    (n, acl)
}

/// A server's NACL: HTTPS in, its replies out on the ephemeral ports. The server's own
/// connections to a peer's high ports get out through that reply rule and lose their
/// replies: blocked, but as a request no rule lets through, not as a reply problem
/// (TFVPC110 reads `NaclReturn`).
#[test]
fn requests_out_only_through_a_servers_reply_rule_are_not_a_reply_drop() {
    let (n, _) = server_nacl(true);
    let rs = all(&n.model());
    let r = find(&rs, "aws_subnet.client", "aws_subnet.server", Family::Ipv4);
    assert_eq!(r.verdict, Verdict::Allowed, "{r:?}");
    assert_eq!(r.ports, "tcp:443");
    let r = find(&rs, "aws_subnet.server", "aws_subnet.client", Family::Ipv4);
    assert_eq!(r.verdict, Verdict::Blocked, "{r:?}");
    assert_eq!(r.drop_kind, Some(tfvpc::analysis::DropKind::Nacl), "{r:?}");
    assert!(r.reason.contains("drops replies"), "{}", r.reason);
}

/// A request that only perhaps passes (an allow of a CIDR known only after apply) and
/// whose replies surely die is blocked, but not for sure a reply problem.
#[test]
fn a_request_that_only_perhaps_passes_is_not_a_reply_drop() {
    let (n, acl) = server_nacl(false);
    let mut m = n.model();
    m.nacls[acl.index()].ingress[0].cidr = AnyBlock::V4(Block::Unknown(UnknownBlock {
        reason: "`aws_network_acl_rule.x.cidr_block` is known only after apply".to_string(),
        inside_vpc: None,
        inside_subnets: Vec::new(),
        prefix_len: None,
        amazon_ipv6: false,
    }));
    let rs = all(&m);
    let r = find(&rs, "aws_subnet.client", "aws_subnet.server", Family::Ipv4);
    assert_eq!(r.verdict, Verdict::Blocked, "{r:?}");
    assert_eq!(r.drop_kind, Some(tfvpc::analysis::DropKind::Nacl), "{r:?}");
}

#[test]
fn nacl_deny_rule_is_named() {
    let mut n = Net::new();
    let v = n.vpc("main", "10.0.0.0/16");
    n.subnet("a", v, "10.0.1.0/24", "us-east-1a");
    let b = n.subnet("b", v, "10.0.2.0/24", "us-east-1a");
    let acl = n.nacl("b", v, &[b]);
    n.nacl_rule(
        acl,
        false,
        50,
        false,
        Protocol::All,
        (0, 65535),
        "10.0.1.0/24",
    );
    n.nacl_rule(
        acl,
        false,
        100,
        true,
        Protocol::All,
        (0, 65535),
        "0.0.0.0/0",
    );
    n.nacl_rule(acl, true, 100, true, Protocol::All, (0, 65535), "0.0.0.0/0");
    let rs = all(&n.model());
    let r = find(&rs, "aws_subnet.a", "aws_subnet.b", Family::Ipv4);
    assert_eq!(r.verdict, Verdict::Blocked);
    assert_eq!(
        r.dropped_by.as_deref(),
        Some("aws_network_acl_rule.b_ingress_50")
    );
    assert_eq!(r.path.last().map(|h| &**h), Some("aws_network_acl.b"));
    // The rule denies every protocol: all traffic, not an example flow.
    assert_eq!(
        r.reason,
        "`aws_network_acl.b` drops all traffic inbound: rule 50 denies it"
    );
}

/// A deny of TCP only leaves the rest to the implicit deny: the reason gives the example
/// flow the rule denies, not "all traffic".
#[test]
fn a_partial_nacl_deny_names_an_example_flow() {
    let mut n = Net::new();
    let v = n.vpc("main", "10.0.0.0/16");
    n.subnet("a", v, "10.0.1.0/24", "us-east-1a");
    let b = n.subnet("b", v, "10.0.2.0/24", "us-east-1a");
    let acl = n.nacl("b", v, &[b]);
    n.nacl_rule(
        acl,
        false,
        50,
        false,
        Protocol::Tcp,
        (0, 65535),
        "10.0.1.0/24",
    );
    n.nacl_rule(acl, true, 100, true, Protocol::All, (0, 65535), "0.0.0.0/0");
    let rs = all(&n.model());
    let r = find(&rs, "aws_subnet.a", "aws_subnet.b", Family::Ipv4);
    assert_eq!(r.verdict, Verdict::Blocked, "{r:?}");
    assert_eq!(
        r.reason,
        "`aws_network_acl.b` drops TCP port 0 inbound: rule 50 denies it"
    );
}

#[test]
fn subnet_inherits_the_main_route_table() {
    let mut n = Net::new();
    let v = n.vpc("main", "10.0.0.0/16");
    let igw = n.igw("igw", v);
    let t = n.table("main", v);
    n.route(t, "0.0.0.0/0", testkit::gw(igw));
    n.set_main(v, t);
    let s = n.subnet("web", v, "10.0.1.0/24", "us-east-1a");
    n.public_ip_on_launch(s);
    let rs = all(&n.model());
    let r = find(&rs, "aws_subnet.web", "internet", Family::Ipv4);
    assert_eq!(r.verdict, Verdict::Allowed, "{r:?}");
    assert_eq!(
        r.path.iter().map(|h| &**h).collect::<Vec<_>>(),
        [
            "aws_subnet.web",
            "aws_route_table.main",
            "aws_internet_gateway.igw",
            "internet"
        ]
    );
    let inb = find(&rs, "internet", "aws_subnet.web", Family::Ipv4);
    assert_eq!(inb.verdict, Verdict::Allowed, "{inb:?}");
}

#[test]
fn igw_ipv4_without_public_ip_is_unknown() {
    let mut n = Net::new();
    let v = n.vpc("main", "10.0.0.0/16");
    let igw = n.igw("igw", v);
    let t = n.table("public", v);
    n.route(t, "0.0.0.0/0", testkit::gw(igw));
    let s = n.subnet("web", v, "10.0.1.0/24", "us-east-1a");
    n.associate(s, t);
    let m = n.model();
    let rs = all(&m);
    let r = find(&rs, "aws_subnet.web", "internet", Family::Ipv4);
    assert_eq!(r.verdict, Verdict::Unknown);
    assert_eq!(r.reason, NO_PUBLIC_IPV4);
    let inb = find(&rs, "internet", "aws_subnet.web", Family::Ipv4);
    assert_eq!(inb.verdict, Verdict::Unknown);
    assert_eq!(inb.reason, NO_PUBLIC_IPV4);
    // A workload with a public IPv4 in the subnet settles it.
    let mut n2 = Net { m };
    let i = n2.instance("web", s, &[]);
    n2.public_ipv4(i);
    let rs = all(&n2.model());
    assert_eq!(
        find(&rs, "aws_subnet.web", "internet", Family::Ipv4).verdict,
        Verdict::Allowed
    );
}

fn nat_setup(nat_in_public: bool) -> Model {
    let mut n = Net::new();
    let v = n.vpc("main", "10.0.0.0/16");
    let igw = n.igw("igw", v);
    let public = n.table("public", v);
    n.route(public, "0.0.0.0/0", testkit::gw(igw));
    let private = n.table("private", v);
    let pub_s = n.subnet("public", v, "10.0.0.0/24", "us-east-1a");
    n.associate(pub_s, public);
    n.public_ip_on_launch(pub_s);
    let app = n.subnet("app", v, "10.0.1.0/24", "us-east-1a");
    n.associate(app, private);
    let other = n.subnet("other_private", v, "10.0.2.0/24", "us-east-1a");
    n.associate(other, private);
    let nat_subnet = if nat_in_public { pub_s } else { other };
    let ngw = n.nat_gateway("ngw", nat_subnet, true);
    n.route(private, "0.0.0.0/0", testkit::nat(ngw));
    n.model()
}

#[test]
fn nat_gateway_in_public_subnet_gives_internet() {
    let m = nat_setup(true);
    let rs = all(&m);
    let r = find(&rs, "aws_subnet.app", "internet", Family::Ipv4);
    assert_eq!(r.verdict, Verdict::Allowed, "{r:?}");
    assert_eq!(
        r.path.iter().map(|h| &**h).collect::<Vec<_>>(),
        [
            "aws_subnet.app",
            "aws_route_table.private",
            "aws_nat_gateway.ngw",
            "aws_subnet.public",
            "aws_route_table.public",
            "aws_internet_gateway.igw",
            "internet"
        ]
    );
    // Nobody on the internet can open a connection to the private subnet.
    let inb = find(&rs, "internet", "aws_subnet.app", Family::Ipv4);
    assert_eq!(inb.verdict, Verdict::Blocked, "{inb:?}");
}

#[test]
fn nat_gateway_in_private_subnet_gives_no_internet() {
    let m = nat_setup(false);
    let rs = all(&m);
    let r = find(&rs, "aws_subnet.app", "internet", Family::Ipv4);
    assert_eq!(r.verdict, Verdict::Blocked, "{r:?}");
    assert!(r.path.iter().any(|h| &**h == "aws_nat_gateway.ngw"));
    assert_eq!(
        r.dropped_by.as_deref(),
        Some("aws_subnet.other_private"),
        "{r:?}"
    );
}

#[test]
fn private_nat_gateway_never_reaches_the_internet() {
    let mut n = Net::new();
    let v = n.vpc("main", "10.0.0.0/16");
    let t = n.table("private", v);
    let s = n.subnet("app", v, "10.0.1.0/24", "us-east-1a");
    let ns = n.subnet("nat", v, "10.0.2.0/24", "us-east-1a");
    n.associate(s, t);
    let ngw = n.nat_gateway("private", ns, false);
    n.route(t, "0.0.0.0/0", testkit::nat(ngw));
    let rs = all(&n.model());
    let r = find(&rs, "aws_subnet.app", "internet", Family::Ipv4);
    assert_eq!(r.verdict, Verdict::Blocked);
    assert_eq!(r.dropped_by.as_deref(), Some("aws_nat_gateway.private"));
}

fn hub_and_spokes(return_route: bool) -> Model {
    let mut n = Net::new();
    let t = n.tgw("hub");
    let a = n.vpc("a", "10.1.0.0/16");
    let b = n.vpc("b", "10.2.0.0/16");
    let ta = n.table("a", a);
    let tb = n.table("b", b);
    let sa = n.subnet("a", a, "10.1.1.0/24", "us-east-1a");
    let sb = n.subnet("b", b, "10.2.1.0/24", "us-east-1a");
    n.associate(sa, ta);
    n.associate(sb, tb);
    n.tgw_attach("a", t, a, &[sa], true);
    n.tgw_attach("b", t, b, &[sb], true);
    n.route(ta, "10.2.0.0/16", testkit::tgw(t));
    if return_route {
        n.route(tb, "10.1.0.0/16", testkit::tgw(t));
    }
    n.model()
}

#[test]
fn tgw_spoke_without_return_route_cannot_be_reached() {
    let rs = all(&hub_and_spokes(false));
    let r = find(&rs, "aws_subnet.a", "aws_subnet.b", Family::Ipv4);
    assert_eq!(r.verdict, Verdict::Blocked, "{r:?}");
    assert!(
        r.reason.starts_with("replies cannot return"),
        "{}",
        r.reason
    );
    assert_eq!(r.dropped_by.as_deref(), Some("aws_route_table.b"));
    let rs = all(&hub_and_spokes(true));
    let r = find(&rs, "aws_subnet.a", "aws_subnet.b", Family::Ipv4);
    assert_eq!(r.verdict, Verdict::Allowed, "{r:?}");
    assert!(r.path.iter().any(|h| &**h == "aws_ec2_transit_gateway.hub"));
    assert!(r
        .path
        .iter()
        .any(|h| &**h == "aws_ec2_transit_gateway_vpc_attachment.b"));
}

#[test]
fn tgw_blackhole_and_missing_association() {
    let mut n = Net::new();
    let t = n.tgw("hub");
    let rt = n.tgw_table("spokes", t);
    let a = n.vpc("a", "10.1.0.0/16");
    let b = n.vpc("b", "10.2.0.0/16");
    let ta = n.table("a", a);
    let tb = n.table("b", b);
    let sa = n.subnet("a", a, "10.1.1.0/24", "us-east-1a");
    let sb = n.subnet("b", b, "10.2.1.0/24", "us-east-1a");
    n.associate(sa, ta);
    n.associate(sb, tb);
    let aa = n.tgw_attach("a", t, a, &[sa], false);
    let ab = n.tgw_attach("b", t, b, &[sb], false);
    n.tgw_associate(rt, aa);
    n.tgw_associate(rt, ab);
    n.tgw_propagate(rt, aa);
    n.tgw_propagate(rt, ab);
    n.tgw_route(rt, "10.2.1.0/24", None);
    n.route(ta, "10.2.0.0/16", testkit::tgw(t));
    n.route(tb, "10.1.0.0/16", testkit::tgw(t));
    let rs = all(&n.model());
    let r = find(&rs, "aws_subnet.a", "aws_subnet.b", Family::Ipv4);
    assert_eq!(r.verdict, Verdict::Blocked, "{r:?}");
    assert!(r.reason.contains("blackhole"), "{}", r.reason);
    // The other way, propagation carries it to a, but a's replies hit the blackhole.
    let r = find(&rs, "aws_subnet.b", "aws_subnet.a", Family::Ipv4);
    assert_eq!(r.verdict, Verdict::Blocked, "{r:?}");
    assert!(
        r.reason.starts_with("replies cannot return: blackhole"),
        "{}",
        r.reason
    );
    assert_eq!(
        r.dropped_by.as_deref(),
        Some("aws_ec2_transit_gateway_route.r1_0")
    );
}

/// AWS evaluates TGW routes of the same destination in this order: static, prefix list
/// reference, propagated ("Route evaluation order").
#[test]
fn tgw_prefix_list_routes_lose_to_static_and_win_over_propagated() {
    let setup = |static_route: bool| {
        let mut n = Net::new();
        let t = n.tgw("hub");
        let rt = n.tgw_table("spokes", t);
        let a = n.vpc("a", "10.1.0.0/16");
        let b = n.vpc("b", "10.2.0.0/16");
        let ta = n.table("a", a);
        let tb = n.table("b", b);
        let sa = n.subnet("a", a, "10.1.1.0/24", "us-east-1a");
        let sb = n.subnet("b", b, "10.2.1.0/24", "us-east-1a");
        n.associate(sa, ta);
        n.associate(sb, tb);
        let aa = n.tgw_attach("a", t, a, &[sa], false);
        let ab = n.tgw_attach("b", t, b, &[sb], false);
        n.tgw_associate(rt, aa);
        n.tgw_associate(rt, ab);
        n.tgw_propagate(rt, aa);
        n.tgw_propagate(rt, ab);
        // Declared first, so that only the rank can put it after a static route.
        n.tgw_route_at(
            rt,
            "aws_ec2_transit_gateway_prefix_list_reference.quarantine 10.2.0.0/16",
            "10.2.0.0/16",
            None,
        );
        if static_route {
            n.tgw_route(rt, "10.2.0.0/16", Some(ab));
        }
        n.route(ta, "10.2.0.0/16", testkit::tgw(t));
        n.route(tb, "10.1.0.0/16", testkit::tgw(t));
        all(&n.model())
    };
    // Against the propagated route of b's CIDR, the prefix list's blackhole wins.
    let rs = setup(false);
    let r = find(&rs, "aws_subnet.a", "aws_subnet.b", Family::Ipv4);
    assert_eq!(r.verdict, Verdict::Blocked, "{r:?}");
    assert_eq!(
        r.dropped_by.as_deref(),
        Some("aws_ec2_transit_gateway_prefix_list_reference.quarantine 10.2.0.0/16")
    );
    // A static route of the same CIDR wins over it.
    let rs = setup(true);
    let r = find(&rs, "aws_subnet.a", "aws_subnet.b", Family::Ipv4);
    assert_eq!(r.verdict, Verdict::Allowed, "{r:?}");
}

#[test]
fn tgw_attachment_without_subnet_in_source_az() {
    let mut n = Net::new();
    let t = n.tgw("hub");
    let a = n.vpc("a", "10.1.0.0/16");
    let b = n.vpc("b", "10.2.0.0/16");
    let ta = n.table("a", a);
    let tb = n.table("b", b);
    let sa = n.subnet("a", a, "10.1.1.0/24", "us-east-1b");
    let att_a = n.subnet("a_tgw", a, "10.1.2.0/28", "us-east-1a");
    let sb = n.subnet("b", b, "10.2.1.0/24", "us-east-1a");
    n.associate(sa, ta);
    n.associate(sb, tb);
    n.tgw_attach("a", t, a, &[att_a], true);
    n.tgw_attach("b", t, b, &[sb], true);
    n.route(ta, "10.2.0.0/16", testkit::tgw(t));
    n.route(tb, "10.1.0.0/16", testkit::tgw(t));
    let rs = all(&n.model());
    let r = find(&rs, "aws_subnet.a", "aws_subnet.b", Family::Ipv4);
    assert_eq!(r.verdict, Verdict::Blocked, "{r:?}");
    assert!(r.reason.contains("us-east-1b"), "{}", r.reason);
}

#[test]
fn unknown_subnet_ipv6_inside_vpc_still_routes_locally() {
    for vpc_block in [Some("2600:1f18::/56"), None] {
        let mut n = Net::new();
        let v = n.vpc("main", "10.0.0.0/16");
        n.vpc_ipv6(v, vpc_block);
        let a = n.subnet("a", v, "10.0.1.0/24", "us-east-1a");
        let b = n.subnet("b", v, "10.0.2.0/24", "us-east-1a");
        n.subnet_ipv6(a, None);
        n.subnet_ipv6(b, None);
        let rs = all(&n.model());
        let r = find(&rs, "aws_subnet.a", "aws_subnet.b", Family::Ipv6);
        assert_eq!(r.verdict, Verdict::Allowed, "{vpc_block:?}: {r:?}");
    }
}

/// VPC `a` (subnets `x` and `y`, IPv6 blocks not known yet) routes a block inside VPC `b`
/// to the target `setup` makes (after giving both VPCs their IPv6 blocks), and `y`'s NACL
/// denies that block (rule 50) before it admits all IPv6; both blocks are known only after
/// apply. The answer `x` → `y` over IPv6.
fn own_pair_beside_other_vpcs_block(
    setup: impl FnOnce(&mut Net, VpcId, VpcId) -> tfvpc::model::Target,
) -> PathResult {
    let mut n = Net::new();
    let a = n.vpc("a", "10.1.0.0/16");
    let b = n.vpc("b", "10.2.0.0/16");
    let target = setup(&mut n, a, b);
    let t = n.table("a", a);
    let x = n.subnet("x", a, "10.1.1.0/24", "us-east-1a");
    let y = n.subnet("y", a, "10.1.2.0/24", "us-east-1a");
    for s in [x, y] {
        n.subnet_ipv6(s, None);
        n.associate(s, t);
    }
    let route = n.route_unknown_dest(t, Family::Ipv6, target);
    let acl = n.nacl("y", a, &[y]);
    n.nacl_rule(acl, false, 100, true, Protocol::All, (0, 65535), "::/0");
    n.nacl_rule(acl, true, 100, true, Protocol::All, (0, 65535), "::/0");
    let mut m = n.model();
    let inside_b = |what: &str| UnknownBlock {
        reason: format!("`{what}` is `aws_vpc.b.ipv6_cidr_block`, known only after apply"),
        inside_vpc: Some(b),
        inside_subnets: Vec::new(),
        prefix_len: None,
        amazon_ipv6: false,
    };
    m.routes[route.index()].destination =
        tfvpc::model::Destination::Cidr(AnyBlock::V6(Block::Unknown(inside_b("route"))));
    let mut deny = m.nacls[acl.index()].ingress[0].clone();
    deny.rule_number = 50;
    deny.allow = false;
    deny.cidr = AnyBlock::V6(Block::Unknown(inside_b("rule 50")));
    m.nacls[acl.index()].ingress.insert(0, deny);
    find(&all(&m), "aws_subnet.x", "aws_subnet.y", Family::Ipv6).clone()
}

/// A route to a peer VPC's IPv6 block and a NACL deny of it, both known only after apply:
/// AWS refuses (or fails) a peering between VPCs with overlapping blocks, so neither
/// covers an address of this VPC. Without the peering they may.
#[test]
fn a_peer_vpcs_unknown_block_never_covers_this_vpcs_addresses() {
    for peered in [true, false] {
        let r = own_pair_beside_other_vpcs_block(|n, a, b| {
            n.vpc_ipv6(a, None);
            n.vpc_ipv6(b, None);
            if peered {
                testkit::pcx(n.peering("ab", a, b, true))
            } else {
                let vgw = n.vgw("vgw", a);
                testkit::gw(vgw)
            }
        });
        if peered {
            assert_eq!(r.verdict, Verdict::Allowed, "{r:?}");
        } else {
            assert_eq!(r.verdict, Verdict::Unknown, "{r:?}");
            assert!(r.reason.contains("route"), "{}", r.reason);
        }
    }
}

/// Two VPCs' Amazon-provided IPv6 blocks (both known only after apply) never overlap: a
/// route to the other's block and a NACL deny of it leave this VPC's own pairs alone. A
/// block from an IPAM pool may be anything, so with one the pair stays undecided.
#[test]
fn amazon_ipv6_blocks_of_two_vpcs_never_overlap() {
    for amazon_b in [true, false] {
        let r = own_pair_beside_other_vpcs_block(|n, a, b| {
            n.vpc_amazon_ipv6(a);
            if amazon_b {
                n.vpc_amazon_ipv6(b);
            } else {
                n.vpc_ipv6(b, None);
            }
            testkit::tgw(n.tgw("hub"))
        });
        let want = if amazon_b {
            Verdict::Allowed
        } else {
            Verdict::Unknown
        };
        assert_eq!(r.verdict, want, "{amazon_b}: {r:?}");
    }
}

/// VPC `a` (its IPv6 block Amazon's) with the named subnets (IPv6 blocks not known yet)
/// on one table, whose one route (to a VPN gateway) has an IPv6 destination not known yet.
fn one_table_vpc<const N: usize>(
    names: [&str; N],
) -> (
    Net,
    VpcId,
    [tfvpc::model::SubnetId; N],
    tfvpc::model::RouteId,
) {
    let mut n = Net::new();
    let a = n.vpc("a", "10.1.0.0/16");
    n.vpc_amazon_ipv6(a);
    let vgw = n.vgw("vgw", a);
    let t = n.table("a", a);
    let mut third = 0;
    let subnets = names.map(|name| {
        third += 1;
        let s = n.subnet(name, a, &format!("10.1.{third}.0/24"), "us-east-1a");
        n.subnet_ipv6(s, None);
        n.associate(s, t);
        s
    });
    let route = n.route_unknown_dest(t, Family::Ipv6, testkit::gw(vgw));
    (n, a, subnets, route)
}

/// Subnets of one VPC never overlap: a NACL rule and a route whose blocks (known only after
/// apply) lie inside subnet `x`, or `y`, never cover another subnet's block. `w` is `x`'s
/// twin (same table, same NACL) but not named, so the answers of the two differ: the
/// engine must not answer for one as for the other.
#[test]
fn a_block_inside_other_subnets_never_covers_this_subnets_addresses() {
    let (mut n, a, [x, y, w, z], route) = one_table_vpc(["x", "y", "w", "z"]);
    let open = n.nacl("open", a, &[x, y, w]);
    let db = n.nacl("db", a, &[z]);
    for acl in [open, db] {
        n.nacl_rule(acl, false, 100, true, Protocol::All, (0, 65535), "::/0");
        n.nacl_rule(acl, true, 100, true, Protocol::All, (0, 65535), "::/0");
    }
    let mut m = n.model();
    let inside = |what: &str, s: tfvpc::model::SubnetId| UnknownBlock {
        reason: format!("`{what}` is known only after apply"),
        inside_vpc: Some(a),
        inside_subnets: vec![s],
        prefix_len: None,
        amazon_ipv6: false,
    };
    m.routes[route.index()].destination =
        tfvpc::model::Destination::Cidr(AnyBlock::V6(Block::Unknown(inside("route", y))));
    m.nacls[db.index()].ingress[0].cidr = AnyBlock::V6(Block::Unknown(inside("rule 100", x)));
    let rs = all(&m);
    let verdict = |from: &str, to: &str| {
        find(
            &rs,
            &format!("aws_subnet.{from}"),
            &format!("aws_subnet.{to}"),
            Family::Ipv6,
        )
        .verdict
    };
    // The NACL rule may cover `x`, and covers neither `y` nor `w`.
    assert_eq!(verdict("x", "z"), Verdict::Unknown);
    assert_eq!(verdict("y", "z"), Verdict::Blocked);
    assert_eq!(verdict("w", "z"), Verdict::Blocked);
    // The route may take `y`'s traffic, and takes neither `x`'s nor `w`'s.
    assert_eq!(verdict("x", "y"), Verdict::Unknown);
    assert_eq!(verdict("x", "w"), Verdict::Allowed);
    assert_eq!(verdict("w", "x"), Verdict::Allowed);
    let r = find(&rs, "aws_subnet.w", "aws_subnet.z", Family::Ipv6);
    assert!(r.path.iter().any(|h| &**h == "aws_network_acl.db"), "{r:?}");
}

/// Known subnet blocks too: a NACL rule whose block (known only after apply) lies inside
/// subnet `x` never covers `w`'s known block.
#[test]
fn a_block_inside_another_subnet_never_covers_a_known_subnet_block() {
    let (mut n, a, [x, w, z], _) = one_table_vpc(["x", "w", "z"]);
    let open = n.nacl("open", a, &[x, w]);
    let db = n.nacl("db", a, &[z]);
    for acl in [open, db] {
        n.nacl_rule(
            acl,
            false,
            100,
            true,
            Protocol::All,
            (0, 65535),
            "0.0.0.0/0",
        );
        n.nacl_rule(acl, true, 100, true, Protocol::All, (0, 65535), "0.0.0.0/0");
    }
    let mut m = n.model();
    m.nacls[db.index()].ingress[0].cidr = AnyBlock::V4(Block::Unknown(UnknownBlock {
        reason: "`rule 100` is known only after apply".into(),
        inside_vpc: Some(a),
        inside_subnets: vec![x],
        prefix_len: None,
        amazon_ipv6: false,
    }));
    let rs = all(&m);
    let verdict = |from: &str| {
        find(
            &rs,
            &format!("aws_subnet.{from}"),
            "aws_subnet.z",
            Family::Ipv4,
        )
        .verdict
    };
    assert_eq!(verdict("x"), Verdict::Unknown);
    assert_eq!(verdict("w"), Verdict::Blocked);
}

/// A route to a prefix list whose one entry (known only after apply) lies inside subnet
/// `y` takes only `y`'s traffic among the VPC's subnets.
#[test]
fn a_prefix_list_entry_inside_a_subnet_routes_no_other_subnet() {
    let (n, a, [x, y, w], route) = one_table_vpc(["x", "y", "w"]);
    let mut m = n.model();
    m.prefix_lists.push(tfvpc::model::PrefixList {
        meta: tfvpc::model::Meta {
            address: "aws_ec2_managed_prefix_list.y".into(),
            action: tfvpc::model::Action::Create,
            id: None,
            tags: Default::default(),
        },
        name: None,
        family: Family::Ipv6,
        entries: vec![AnyBlock::V6(Block::Unknown(UnknownBlock {
            reason: "`aws_ec2_managed_prefix_list.y` entry is known only after apply".into(),
            inside_vpc: Some(a),
            inside_subnets: vec![y],
            prefix_len: None,
            amazon_ipv6: false,
        }))],
        entry_resources: Vec::new(),
        unknown: None,
    });
    m.routes[route.index()].destination =
        tfvpc::model::Destination::PrefixList(tfvpc::model::Link::To(
            tfvpc::model::PrefixListId(0),
            tfvpc::model::LinkHow::Reference,
        ));
    let rs = all(&m);
    let addr = |s: tfvpc::model::SubnetId| m.subnet(s).meta.address.clone();
    let verdict = |from, to| find(&rs, &addr(from), &addr(to), Family::Ipv6).verdict;
    assert_eq!(verdict(x, y), Verdict::Unknown);
    assert_eq!(verdict(x, w), Verdict::Allowed);
    assert_eq!(verdict(w, x), Verdict::Allowed);
}

#[test]
fn unknown_route_destination_that_decides_is_unknown() {
    let mut n = Net::new();
    let v = n.vpc("main", "10.0.0.0/16");
    let igw = n.igw("igw", v);
    let t = n.table("public", v);
    n.route_unknown_dest(t, Family::Ipv4, testkit::gw(igw));
    let s = n.subnet("web", v, "10.0.1.0/24", "us-east-1a");
    n.public_ip_on_launch(s);
    n.associate(s, t);
    let rs = all(&n.model());
    let r = find(&rs, "aws_subnet.web", "internet", Family::Ipv4);
    assert_eq!(r.verdict, Verdict::Unknown, "{r:?}");
    assert!(r.reason.contains("aws_route.public_1"), "{}", r.reason);
}

#[test]
fn static_route_beats_propagated_route_of_same_prefix() {
    let mut n = Net::new();
    let a = n.vpc("a", "10.1.0.0/16");
    let b = n.vpc("b", "10.2.0.0/16");
    let vgw = n.vgw("vgw", a);
    let p = n.peering("ab", a, b, true);
    let ta = n.table("a", a);
    let tb = n.table("b", b);
    n.propagated_route(ta, "10.2.0.0/16", vgw);
    n.route(ta, "10.2.0.0/16", testkit::pcx(p));
    n.route(tb, "10.1.0.0/16", testkit::pcx(p));
    let sa = n.subnet("a", a, "10.1.1.0/24", "us-east-1a");
    let sb = n.subnet("b", b, "10.2.1.0/24", "us-east-1a");
    n.associate(sa, ta);
    n.associate(sb, tb);
    let rs = all(&n.model());
    let r = find(&rs, "aws_subnet.a", "aws_subnet.b", Family::Ipv4);
    assert_eq!(r.verdict, Verdict::Allowed, "{r:?}");
    assert!(r
        .path
        .iter()
        .any(|h| &**h == "aws_vpc_peering_connection.ab"));
    assert!(!r.path.iter().any(|h| &**h == "aws_vpn_gateway.vgw"));
}

/// `a` routes `b` through an instance in `fw`; `both`: `b` routes `a` through it too.
fn appliance_ways(check: bool, both: bool) -> Model {
    let mut n = Net::new();
    let v = n.vpc("main", "10.0.0.0/16");
    let ta = n.table("a", v);
    let a = n.subnet("a", v, "10.0.1.0/24", "us-east-1a");
    let b = n.subnet("b", v, "10.0.2.0/24", "us-east-1a");
    let fw = n.subnet("fw", v, "10.0.3.0/24", "us-east-1a");
    n.associate(a, ta);
    let box_ = n.instance("firewall", fw, &[]);
    n.source_dest_check(box_, check);
    // More specific than the local route: a's traffic to b goes through the firewall.
    n.route(ta, "10.0.2.0/24", testkit::eni(box_));
    if both {
        let tb = n.table("b", v);
        n.associate(b, tb);
        n.route(tb, "10.0.1.0/24", testkit::eni(box_));
    }
    n.model()
}

fn appliance(check: bool) -> Model {
    appliance_ways(check, false)
}

#[test]
fn more_specific_than_local_route_goes_through_the_appliance() {
    let rs = all(&appliance_ways(false, true));
    let r = find(&rs, "aws_subnet.a", "aws_subnet.b", Family::Ipv4);
    assert_eq!(r.verdict, Verdict::Allowed, "{r:?}");
    assert_eq!(
        r.path.iter().map(|h| &**h).collect::<Vec<_>>(),
        [
            "aws_subnet.a",
            "aws_route_table.a",
            "aws_instance.firewall",
            "aws_subnet.fw",
            "aws_vpc.main main route table",
            "aws_subnet.b"
        ]
    );
    // Replies that skip the appliance: whether it passes half a connection (a plain
    // router) or drops it (a stateful firewall) is not in the plan.
    let rs = all(&appliance(false));
    let r = find(&rs, "aws_subnet.a", "aws_subnet.b", Family::Ipv4);
    assert_eq!(r.verdict, Verdict::Unknown, "{r:?}");
    assert!(
        r.reason.starts_with(
            "replies from `aws_subnet.b` do not pass `aws_instance.firewall` in `aws_subnet.fw`, which the request passed"
        ),
        "{}",
        r.reason
    );
    assert_eq!(
        r.path.iter().map(|h| &**h).collect::<Vec<_>>(),
        [
            "aws_subnet.a",
            "aws_route_table.a",
            "aws_instance.firewall",
            "aws_subnet.fw",
            "aws_vpc.main main route table",
            "aws_subnet.b"
        ]
    );
    // b reaches a directly over the local route, and a's replies go through the
    // appliance, which saw no request: unknown the other way too.
    let back = find(&rs, "aws_subnet.b", "aws_subnet.a", Family::Ipv4);
    assert_eq!(back.verdict, Verdict::Unknown, "{back:?}");
    assert!(
        back.reason.starts_with(
            "replies from `aws_subnet.a` pass `aws_instance.firewall` in `aws_subnet.fw`, which the request did not"
        ),
        "{}",
        back.reason
    );
    let rs = all(&appliance(true));
    let r = find(&rs, "aws_subnet.a", "aws_subnet.b", Family::Ipv4);
    assert_eq!(r.verdict, Verdict::Blocked);
    assert_eq!(r.dropped_by.as_deref(), Some("aws_instance.firewall"));
}

#[test]
fn gateway_endpoint_reaches_s3_without_internet() {
    let mut n = Net::new();
    let v = n.vpc("main", "10.0.0.0/16");
    let t = n.table("private", v);
    let s = n.subnet("app", v, "10.0.1.0/24", "us-east-1a");
    n.associate(s, t);
    n.gateway_endpoint("s3", v, "s3", &[t]);
    let rs = reachability(&n.model(), Scope::External).results;
    let r = find(&rs, "aws_subnet.app", "service:s3", Family::Ipv4);
    assert_eq!(r.verdict, Verdict::Allowed, "{r:?}");
    assert_eq!(
        r.path.iter().map(|h| &**h).collect::<Vec<_>>(),
        [
            "aws_subnet.app",
            "aws_route_table.private",
            "aws_vpc_endpoint.s3",
            "service:s3"
        ]
    );
    let d = find(&rs, "aws_subnet.app", "service:dynamodb", Family::Ipv4);
    assert_eq!(d.verdict, Verdict::Blocked);
    assert!(rs
        .iter()
        .all(|r| &*r.from == "internet" || &*r.to != "aws_subnet.app" || r.from != r.to));
}

/// An endpoint route table association whose endpoint is not known may give its table a
/// gateway endpoint's route for S3 or DynamoDB; when its references name the endpoints it
/// may be (a module instance's outputs), only for their services.
#[test]
fn endpoint_associations_whose_endpoint_is_not_known() {
    let mut n = Net::new();
    let v = n.vpc("main", "10.0.0.0/16");
    let t = n.table("private", v);
    let other = n.table("other", v);
    let s = n.subnet("app", v, "10.0.1.0/24", "us-east-1a");
    n.associate(s, t);
    n.gateway_endpoint("dynamodb", v, "dynamodb", &[other]);
    n.interface_endpoint("sqs", v, "sqs", &[], &[]);
    let mut m = n.model();
    let table = tfvpc::model::RouteTableId(
        m.route_tables
            .iter()
            .position(|x| x.meta.address == "aws_route_table.private")
            .unwrap() as u32,
    );
    let association =
        |among: Vec<tfvpc::model::EndpointId>| tfvpc::model::UnresolvedEndpointRoute {
            address: "aws_vpc_endpoint_route_table_association.x".to_string(),
            table: tfvpc::model::Link::To(table, tfvpc::model::LinkHow::Reference),
            why: "not known".to_string(),
            among,
        };
    let verdicts = |m: &Model| {
        let rs = reachability(m, Scope::External).results;
        ["service:s3", "service:dynamodb"]
            .map(|to| find(&rs, "aws_subnet.app", to, Family::Ipv4).clone())
    };
    for r in verdicts(&m) {
        assert_eq!(r.verdict, Verdict::Blocked, "{r:?}");
    }
    // Any endpoint: either service.
    m.unresolved_endpoint_routes = vec![association(Vec::new())];
    for r in verdicts(&m) {
        assert_eq!(r.verdict, Verdict::Unknown, "{r:?}");
        assert!(
            r.reason
                .contains("may give `aws_route_table.private` a gateway endpoint's route"),
            "{r:?}"
        );
    }
    // The DynamoDB gateway endpoint or an interface endpoint: DynamoDB only.
    let ids = |m: &Model, names: &[&str]| {
        names
            .iter()
            .map(|x| {
                tfvpc::model::EndpointId(
                    m.endpoints
                        .iter()
                        .position(|e| e.meta.address == format!("aws_vpc_endpoint.{x}"))
                        .unwrap() as u32,
                )
            })
            .collect::<Vec<_>>()
    };
    m.unresolved_endpoint_routes = vec![association(ids(&m, &["dynamodb", "sqs"]))];
    let [s3, ddb] = verdicts(&m);
    assert_eq!(s3.verdict, Verdict::Blocked, "{s3:?}");
    assert_eq!(ddb.verdict, Verdict::Unknown, "{ddb:?}");
}

#[test]
fn vpn_static_routes_and_bgp() {
    let mut n = Net::new();
    let v = n.vpc("main", "10.0.0.0/16");
    let vgw = n.vgw("vgw", v);
    let t = n.table("private", v);
    let s = n.subnet("app", v, "10.0.1.0/24", "us-east-1a");
    n.associate(s, t);
    n.route(t, "192.168.0.0/16", testkit::gw(vgw));
    n.vpn("office", Some(vgw), true, &["192.168.0.0/16"]);
    n.vpn("dc", Some(vgw), false, &[]);
    let rs = reachability(&n.model(), Scope::External).results;
    let r = find(
        &rs,
        "aws_subnet.app",
        "vpn:aws_vpn_connection.office",
        Family::Ipv4,
    );
    assert_eq!(r.verdict, Verdict::Allowed, "{r:?}");
    let r = find(
        &rs,
        "aws_subnet.app",
        "vpn:aws_vpn_connection.dc",
        Family::Ipv4,
    );
    assert_eq!(r.verdict, Verdict::Unknown, "{r:?}");
    assert!(r.reason.contains("BGP"));
}

/// An `aws_vpn_connection_route` whose connection is not known may declare its CIDR for
/// any static connection: a path to that CIDR the tables would carry is unknown, one they
/// would not stays blocked; a BGP connection is not concerned.
#[test]
fn vpn_routes_of_unknown_connections() {
    let mut n = Net::new();
    let v = n.vpc("main", "10.0.0.0/16");
    let vgw = n.vgw("vgw", v);
    let t = n.table("private", v);
    let s = n.subnet("app", v, "10.0.1.0/24", "us-east-1a");
    n.associate(s, t);
    n.route(t, "172.16.0.0/12", testkit::gw(vgw));
    n.vpn("office", Some(vgw), true, &["192.168.0.0/16"]);
    n.vpn("empty", Some(vgw), true, &[]);
    n.vpn("dc", Some(vgw), false, &[]);
    let mut m = n.model();
    let plain = reachability(&m, Scope::External).results;
    let r = find(
        &plain,
        "aws_subnet.app",
        "vpn:aws_vpn_connection.office",
        Family::Ipv4,
    );
    assert_eq!(r.verdict, Verdict::Blocked, "{r:?}");
    let r = find(
        &plain,
        "aws_subnet.app",
        "vpn:aws_vpn_connection.empty",
        Family::Ipv4,
    );
    assert_eq!(r.verdict, Verdict::Blocked, "{r:?}");
    assert!(r.reason.contains("declares no on-premises CIDR"), "{r:?}");

    let unplaced = |cidr: &str, address: &str| tfvpc::model::UnplacedVpnRoute {
        address: address.to_string(),
        block: Block::Known(cidr.parse().unwrap()),
        why: "not known".to_string(),
        among: Vec::new(),
    };
    // One the table routes to the gateway.
    m.unplaced_vpn_routes
        .push(unplaced("172.20.0.0/16", "aws_vpn_connection_route.x"));
    let rs = reachability(&m, Scope::External).results;
    for to in [
        "vpn:aws_vpn_connection.office",
        "vpn:aws_vpn_connection.empty",
    ] {
        let r = find(&rs, "aws_subnet.app", to, Family::Ipv4);
        assert_eq!(r.verdict, Verdict::Unknown, "{r:?}");
        assert!(
            r.reason.contains(
                "`aws_vpn_connection_route.x` may declare on-premises CIDR 172.20.0.0/16 for"
            ),
            "{r:?}"
        );
    }
    let r = find(
        &rs,
        "aws_subnet.app",
        "vpn:aws_vpn_connection.dc",
        Family::Ipv4,
    );
    assert!(r.reason.contains("BGP"), "{r:?}");

    // One whose references name the connections it may be of (a module instance's
    // outputs): only those may have its CIDR.
    let office = tfvpc::model::VpnConnectionId(
        m.vpn_connections
            .iter()
            .position(|c| c.meta.address == "aws_vpn_connection.office")
            .unwrap() as u32,
    );
    m.unplaced_vpn_routes = vec![tfvpc::model::UnplacedVpnRoute {
        among: vec![office],
        ..unplaced("172.20.0.0/16", "aws_vpn_connection_route.x")
    }];
    let rs = reachability(&m, Scope::External).results;
    let r = find(
        &rs,
        "aws_subnet.app",
        "vpn:aws_vpn_connection.office",
        Family::Ipv4,
    );
    assert_eq!(r.verdict, Verdict::Unknown, "{r:?}");
    let r = find(
        &rs,
        "aws_subnet.app",
        "vpn:aws_vpn_connection.empty",
        Family::Ipv4,
    );
    assert_eq!(r.verdict, Verdict::Blocked, "{r:?}");
    assert!(r.reason.contains("declares no on-premises CIDR"), "{r:?}");

    // Many to the same CIDR that the table does not route: each walked once, blocked.
    m.unplaced_vpn_routes = (0..1000)
        .map(|i| {
            unplaced(
                "198.51.100.0/24",
                &format!("aws_vpn_connection_route.z[{i}]"),
            )
        })
        .collect();
    let rs = reachability(&m, Scope::External).results;
    let r = find(
        &rs,
        "aws_subnet.app",
        "vpn:aws_vpn_connection.empty",
        Family::Ipv4,
    );
    assert_eq!(r.verdict, Verdict::Blocked, "{r:?}");

    // One the table does not route anywhere: still blocked, for want of a route.
    m.unplaced_vpn_routes = vec![unplaced("198.51.100.0/24", "aws_vpn_connection_route.y")];
    let rs = reachability(&m, Scope::External).results;
    let r = find(
        &rs,
        "aws_subnet.app",
        "vpn:aws_vpn_connection.empty",
        Family::Ipv4,
    );
    assert_eq!(r.verdict, Verdict::Blocked, "{r:?}");
    assert!(
        r.reason
            .contains("has no route that matches 198.51.100.0/24"),
        "{r:?}"
    );
}

/// A VGW route propagation whose route table is not known may be any table of its
/// gateway's VPC, or only those its references name (a module instance's outputs): a
/// subnet whose table it cannot be does not reach the office through it.
#[test]
fn vgw_propagations_whose_table_is_not_known() {
    let mut n = Net::new();
    let v = n.vpc("main", "10.0.0.0/16");
    let vgw = n.vgw("vgw", v);
    let a = n.table("a", v);
    let b = n.table("b", v);
    let sa = n.subnet("sa", v, "10.0.1.0/24", "us-east-1a");
    let sb = n.subnet("sb", v, "10.0.2.0/24", "us-east-1a");
    n.associate(sa, a);
    n.associate(sb, b);
    n.vpn("office", Some(vgw), true, &["192.168.0.0/16"]);
    let mut m = n.model();
    let table = |m: &Model, name: &str| {
        tfvpc::model::RouteTableId(
            m.route_tables
                .iter()
                .position(|t| t.meta.address == format!("aws_route_table.{name}"))
                .unwrap() as u32,
        )
    };
    let gw = tfvpc::model::GatewayId(
        m.gateways
            .iter()
            .position(|g| g.meta.address == "aws_vpn_gateway.vgw")
            .unwrap() as u32,
    );
    let verdicts = |m: &Model| {
        let rs = reachability(m, Scope::External).results;
        ["aws_subnet.sa", "aws_subnet.sb"]
            .map(|s| find(&rs, s, "vpn:aws_vpn_connection.office", Family::Ipv4).clone())
    };
    for r in verdicts(&m) {
        assert_eq!(r.verdict, Verdict::Blocked, "{r:?}");
    }
    let unplaced = |among: Vec<tfvpc::model::RouteTableId>| tfvpc::model::UnplacedVgwPropagation {
        address: "aws_vpn_gateway_route_propagation.p".to_string(),
        gateway: tfvpc::model::Link::To(gw, tfvpc::model::LinkHow::Reference),
        why: "not known".to_string(),
        among,
    };
    // Any table of the VPC.
    m.unplaced_vgw_propagations = vec![unplaced(Vec::new())];
    for r in verdicts(&m) {
        assert_eq!(r.verdict, Verdict::Unknown, "{r:?}");
        assert!(
            r.reason
                .contains("`aws_vpn_gateway_route_propagation.p` may propagate routes of `aws_vpn_gateway.vgw`"),
            "{r:?}"
        );
    }
    // Only table a.
    m.unplaced_vgw_propagations = vec![unplaced(vec![table(&m, "a")])];
    let [ra, rb] = verdicts(&m);
    assert_eq!(ra.verdict, Verdict::Unknown, "{ra:?}");
    assert!(ra.reason.contains("into `aws_route_table.a`"), "{ra:?}");
    assert_eq!(rb.verdict, Verdict::Blocked, "{rb:?}");
}

/// An interface endpoint whose subnets and VPC are not known may be in any VPC: with
/// private DNS it may take every subnet's traffic to its service; without, only a path
/// that is otherwise blocked may go through it. Other services are not concerned.
#[test]
fn interface_endpoints_whose_subnets_are_not_known() {
    let mut n = Net::new();
    let v = n.vpc("main", "10.0.0.0/16");
    let igw = n.igw("igw", v);
    let public = n.table("public", v);
    n.route(public, "0.0.0.0/0", testkit::gw(igw));
    let web = n.subnet("web", v, "10.0.1.0/24", "us-east-1a");
    n.public_ip_on_launch(web);
    n.associate(web, public);
    let db = n.subnet("db", v, "10.0.2.0/24", "us-east-1a");
    let ep = n.interface_endpoint("ssm", v, "ssm", &[], &[]);
    n.interface_endpoint("sqs", v, "sqs", &[db], &[]);
    let unknown = || tfvpc::model::Link::Unresolved("not known".to_string());
    let mut m = n.model();
    let e = &mut m.endpoints[ep.index()];
    e.subnets = vec![(e.meta.address.clone(), unknown())];
    e.vpc = tfvpc::model::Link::Unresolved("not known".to_string());
    let verdicts = |m: &Model| {
        let rs = reachability(m, Scope::External).results;
        ["aws_subnet.web", "aws_subnet.db"]
            .map(|s| find(&rs, s, "service:ssm", Family::Ipv4).clone())
    };
    for r in verdicts(&m) {
        assert_eq!(r.verdict, Verdict::Unknown, "{r:?}");
        assert!(
            r.reason.contains(
                "through interface endpoint `aws_vpc_endpoint.ssm` instead (private DNS on"
            ) && r.reason.contains("nor its VPC (not known)"),
            "{r:?}"
        );
    }
    m.endpoints[ep.index()].private_dns_enabled = false;
    let [web, db] = verdicts(&m);
    assert_eq!(web.verdict, Verdict::Allowed, "{web:?}");
    assert_eq!(db.verdict, Verdict::Unknown, "{db:?}");
    assert!(db.reason.contains("private DNS off"), "{db:?}");
    // SQS has its endpoint in `db`: through it, not concerned.
    let rs = reachability(&m, Scope::External).results;
    let r = find(&rs, "aws_subnet.web", "service:sqs", Family::Ipv4);
    assert_eq!(r.verdict, Verdict::Allowed, "{r:?}");
    assert!(
        r.path.iter().any(|h| &**h == "aws_vpc_endpoint.sqs"),
        "{r:?}"
    );
}

fn sg_model(egress_declared: bool) -> Model {
    let mut n = Net::new();
    let v = n.vpc("main", "10.0.0.0/16");
    let a = n.subnet("a", v, "10.0.1.0/24", "us-east-1a");
    let b = n.subnet("b", v, "10.0.2.0/24", "us-east-1a");
    let client = n.sg("client", v, egress_declared);
    if egress_declared {
        n.sg_rule(
            client,
            true,
            Protocol::All,
            (0, 65535),
            SgPeer::Cidr(testkit::block("0.0.0.0/0")),
        );
    }
    let server = n.sg("server", v, true);
    n.sg_rule(
        server,
        false,
        Protocol::Tcp,
        (443, 443),
        SgPeer::Group(tfvpc::model::Link::To(
            client,
            tfvpc::model::LinkHow::Reference,
        )),
    );
    n.instance("client", a, &[client]);
    n.instance("server", b, &[server]);
    n.model()
}

fn q(from: &str, to: &str, protocol: QueryProtocol, port: Option<u16>) -> Query {
    Query {
        from: from.to_string(),
        to: to.to_string(),
        family: None,
        protocol,
        ports: port.map(PortRange::single).into_iter().collect(),
    }
}

#[test]
fn security_group_without_egress_stops_everything() {
    let m = sg_model(false);
    let rs = query(
        &m,
        &q(
            "aws_instance.client",
            "aws_instance.server",
            QueryProtocol::Tcp,
            Some(443),
        ),
    )
    .unwrap();
    assert_eq!(rs.len(), 1);
    let r = &rs[0];
    assert_eq!(r.verdict, Verdict::Blocked, "{r:?}");
    assert_eq!(r.dropped_by.as_deref(), Some("aws_security_group.client"));
    assert!(r.reason.contains("declares no egress"), "{}", r.reason);
    assert_eq!(
        r.path.iter().map(|h| &**h).collect::<Vec<_>>(),
        ["aws_instance.client", "aws_security_group.client"]
    );
    let rs = query(
        &m,
        &q("aws_instance.client", "internet", QueryProtocol::All, None),
    )
    .unwrap();
    assert_eq!(rs[0].verdict, Verdict::Blocked);
}

#[test]
fn security_groups_narrow_the_ports() {
    let m = sg_model(true);
    let ok = query(
        &m,
        &q(
            "aws_instance.client",
            "aws_instance.server",
            QueryProtocol::Tcp,
            Some(443),
        ),
    )
    .unwrap();
    assert_eq!(ok[0].verdict, Verdict::Allowed, "{:?}", ok[0]);
    assert_eq!(ok[0].ports, "tcp:443");
    assert_eq!(
        ok[0].path.first().map(|h| &**h),
        Some("aws_instance.client")
    );
    assert_eq!(ok[0].path.last().map(|h| &**h), Some("aws_instance.server"));
    let any = query(
        &m,
        &q(
            "aws_instance.client",
            "aws_instance.server",
            QueryProtocol::All,
            None,
        ),
    )
    .unwrap();
    assert_eq!(any[0].verdict, Verdict::Allowed);
    assert_eq!(any[0].ports, "tcp:443");
    let ssh = query(
        &m,
        &q(
            "aws_instance.client",
            "aws_instance.server",
            QueryProtocol::Tcp,
            Some(22),
        ),
    )
    .unwrap();
    assert_eq!(ssh[0].verdict, Verdict::Blocked);
    assert_eq!(
        ssh[0].dropped_by.as_deref(),
        Some("aws_security_group.server")
    );
    // The server's group allows nothing back the other way.
    let back = query(
        &m,
        &q(
            "aws_instance.server",
            "aws_instance.client",
            QueryProtocol::Tcp,
            Some(443),
        ),
    )
    .unwrap();
    assert_eq!(back[0].verdict, Verdict::Blocked);
}

#[test]
fn query_names_close_matches_for_unknown_endpoints() {
    let m = sg_model(true);
    let e = query(
        &m,
        &q("aws_instance.clinet", "internet", QueryProtocol::All, None),
    )
    .unwrap_err();
    match e {
        QueryError::UnknownEndpoint { name, hint } => {
            assert_eq!(name, "aws_instance.clinet");
            assert!(hint.contains("aws_instance.client"), "{hint}");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn query_between_subnets_ignores_security_groups_and_checks_nacls() {
    let m = two_subnets_with_nacl((443, 443));
    let rs = query(
        &m,
        &q(
            "aws_subnet.a",
            "aws_subnet.b",
            QueryProtocol::Tcp,
            Some(443),
        ),
    )
    .unwrap();
    assert_eq!(rs[0].verdict, Verdict::Blocked);
    assert_eq!(rs[0].dropped_by.as_deref(), Some("aws_network_acl.b"));
}

#[test]
fn scopes() {
    let m = nat_setup(true);
    assert!(reachability(&m, Scope::None).results.is_empty());
    let ext = reachability(&m, Scope::External).results;
    assert!(ext
        .iter()
        .all(|r| !(r.from.starts_with("aws_subnet") && r.to.starts_with("aws_subnet"))));
    let every = reachability(&m, Scope::All).results;
    // 3 subnets: 6 ordered pairs (IPv4 only), plus external questions.
    let pairs = every
        .iter()
        .filter(|r| r.from.starts_with("aws_subnet") && r.to.starts_with("aws_subnet"))
        .count();
    assert_eq!(pairs, 6);
    assert!(every.iter().all(|r| r.from != r.to));
    let mut sorted = every.clone();
    sorted.sort_by(|a, b| (&a.from, &a.to, a.family).cmp(&(&b.from, &b.to, b.family)));
    assert_eq!(sorted, every);
}

/// A model with many subnets in few behaviour classes, checked member by member against a
/// model where every subnet is alone in its class would be ideal; here members of one
/// class must get the same verdict and their own names.
#[test]
fn class_members_get_their_own_names() {
    let mut n = Net::new();
    let v = n.vpc("main", "10.0.0.0/16");
    let igw = n.igw("igw", v);
    let t = n.table("public", v);
    n.route(t, "0.0.0.0/0", testkit::gw(igw));
    for i in 0..5 {
        let s = n.subnet(&format!("s{i}"), v, &format!("10.0.{i}.0/24"), "us-east-1a");
        n.associate(s, t);
    }
    let m = n.model();
    assert_eq!(tfvpc::analysis::behaviour_classes(&m), 1);
    let rs = all(&m);
    for i in 0..5 {
        for j in 0..5 {
            if i == j {
                continue;
            }
            let (a, b) = (format!("aws_subnet.s{i}"), format!("aws_subnet.s{j}"));
            let r = find(&rs, &a, &b, Family::Ipv4);
            assert_eq!(r.verdict, Verdict::Allowed);
            assert_eq!(r.path.first().map(|h| &**h), Some(a.as_str()));
            assert_eq!(r.path.last().map(|h| &**h), Some(b.as_str()));
            assert!(
                r.reason.contains(&format!("`{a}`")) && r.reason.contains(&format!("`{b}`")),
                "{}",
                r.reason
            );
        }
        let r = find(&rs, &format!("aws_subnet.s{i}"), "internet", Family::Ipv4);
        assert_eq!(r.verdict, Verdict::Unknown);
        assert_eq!(&*r.path[0], format!("aws_subnet.s{i}"));
    }
}

#[test]
fn results_do_not_depend_on_thread_count() {
    let mut n = Net::new();
    let t = n.tgw("hub");
    for v in 0..4 {
        let vpc = n.vpc(&format!("v{v}"), &format!("10.{v}.0.0/16"));
        let igw = n.igw(&format!("v{v}"), vpc);
        let pt = n.table(&format!("v{v}_public"), vpc);
        n.route(pt, "0.0.0.0/0", testkit::gw(igw));
        n.route(pt, "10.0.0.0/8", testkit::tgw(t));
        let mut subnets = Vec::new();
        for s in 0..6 {
            let sub = n.subnet(
                &format!("v{v}_{s}"),
                vpc,
                &format!("10.{v}.{s}.0/24"),
                ["us-east-1a", "us-east-1b"][s % 2],
            );
            if s % 3 != 0 {
                n.associate(sub, pt);
            }
            subnets.push(sub);
        }
        n.tgw_attach(&format!("v{v}"), t, vpc, &subnets[..2], true);
        let acl = n.nacl(&format!("v{v}"), vpc, &subnets[3..]);
        n.nacl_rule(
            acl,
            false,
            100,
            true,
            Protocol::Tcp,
            (22, 443),
            "10.0.0.0/8",
        );
        n.nacl_rule(acl, true, 100, true, Protocol::All, (0, 65535), "0.0.0.0/0");
    }
    let m = n.model();
    let run = |threads: usize| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
            .install(|| reachability(&m, Scope::All).results)
    };
    let one = run(1);
    let four = run(4);
    assert!(one.len() > 24 * 23);
    assert_eq!(one, four);
}

#[test]
fn ipv4_nacl_rules_never_match_ipv6_traffic() {
    let mut n = Net::new();
    let v = n.vpc("main", "10.0.0.0/16");
    n.vpc_ipv6(v, Some("2600:1f18::/56"));
    let a = n.subnet("a", v, "10.0.1.0/24", "us-east-1a");
    let b = n.subnet("b", v, "10.0.2.0/24", "us-east-1a");
    n.subnet_ipv6(a, Some("2600:1f18:0:1::/64"));
    n.subnet_ipv6(b, Some("2600:1f18:0:2::/64"));
    let acl = n.nacl("b", v, &[b]);
    n.nacl_rule(
        acl,
        false,
        100,
        true,
        Protocol::All,
        (0, 65535),
        "0.0.0.0/0",
    );
    n.nacl_rule(acl, true, 100, true, Protocol::All, (0, 65535), "0.0.0.0/0");
    let rs = all(&n.model());
    assert_eq!(
        find(&rs, "aws_subnet.a", "aws_subnet.b", Family::Ipv4).verdict,
        Verdict::Allowed
    );
    let r6 = find(&rs, "aws_subnet.a", "aws_subnet.b", Family::Ipv6);
    assert_eq!(r6.verdict, Verdict::Blocked);
    assert_eq!(r6.dropped_by.as_deref(), Some("aws_network_acl.b"));
    let _ = AnyBlock::V4(tfvpc::model::Block::Known("10.0.0.0/8".parse().unwrap()));
}

/// A transit gateway delivers into a VPC through its attachment's subnet in the AZ the
/// packet comes from. When the attachment has no subnet there, which one it uses is not
/// known: the answer is unknown if its subnets differ in what applies (here their NACLs),
/// and unchanged if they behave alike.
#[test]
fn tgw_entry_subnet_outside_the_source_az_is_unknown_when_it_matters() {
    let build = |different_nacls: bool| {
        let mut n = Net::new();
        let t = n.tgw("hub");
        let a = n.vpc("a", "10.1.0.0/16");
        let b = n.vpc("b", "10.2.0.0/16");
        let ta = n.table("a", a);
        let tb = n.table("b", b);
        let sa = n.subnet("a", a, "10.1.1.0/24", "us-east-1c");
        let b1 = n.subnet("b1", b, "10.2.1.0/24", "us-east-1a");
        let b2 = n.subnet("b2", b, "10.2.2.0/24", "us-east-1b");
        let sb = n.subnet("b", b, "10.2.3.0/24", "us-east-1a");
        for (s, table) in [(sa, ta), (b1, tb), (b2, tb), (sb, tb)] {
            n.associate(s, table);
        }
        n.tgw_attach("a", t, a, &[sa], true);
        n.tgw_attach("b", t, b, &[b1, b2], true);
        n.route(ta, "10.2.0.0/16", testkit::tgw(t));
        n.route(tb, "10.1.0.0/16", testkit::tgw(t));
        let (x, y) = if different_nacls {
            (n.nacl("b1", b, &[b1]), n.nacl("b2", b, &[b2]))
        } else {
            let both = n.nacl("both", b, &[b1, b2]);
            (both, both)
        };
        for nacl in [x, y] {
            for egress in [false, true] {
                n.nacl_rule(
                    nacl,
                    egress,
                    100,
                    true,
                    Protocol::All,
                    (0, 65535),
                    "0.0.0.0/0",
                );
            }
        }
        all(&n.model())
    };
    let rs = build(true);
    let r = find(&rs, "aws_subnet.a", "aws_subnet.b", Family::Ipv4);
    assert_eq!(r.verdict, Verdict::Unknown, "{r:?}");
    assert!(
        r.reason.contains("none of its subnets is in us-east-1c"),
        "{}",
        r.reason
    );
    let rs = build(false);
    let r = find(&rs, "aws_subnet.a", "aws_subnet.b", Family::Ipv4);
    assert_eq!(r.verdict, Verdict::Allowed, "{r:?}");
}

/// A GWLB endpoint whose subnet is known only after apply (or lies outside the plan) is an
/// unknown hop, not a missing one.
#[test]
fn a_gwlb_endpoint_with_an_unknown_subnet_is_unknown_not_blocked() {
    let mut n = Net::new();
    let v = n.vpc("main", "10.0.0.0/16");
    let t = n.table("app", v);
    let s = n.subnet("app", v, "10.0.1.0/24", "us-east-1a");
    n.associate(s, t);
    let e = n.interface_endpoint("inspect", v, "inspection", &[], &[]);
    n.route(t, "0.0.0.0/0", testkit::vpce(e));
    let mut m = n.model();
    let ep = &mut m.endpoints[e.index()];
    ep.kind = tfvpc::model::EndpointKind::GatewayLoadBalancer;
    ep.subnets = vec![(
        "aws_vpc_endpoint.inspect".to_string(),
        tfvpc::model::Link::Unresolved("`aws_subnet.inspect` is not modelled here".to_string()),
    )];
    let rs = all(&m);
    let r = find(&rs, "aws_subnet.app", "internet", Family::Ipv4);
    assert_eq!(r.verdict, Verdict::Unknown, "{r:?}");
    assert!(
        r.reason
            .contains("the subnet of `aws_vpc_endpoint.inspect` is not known"),
        "{}",
        r.reason
    );
}

/// Two public subnets (us-east-1a, us-east-1b) with an NLB node each, and a private subnet
/// in `target_az` holding `aws_instance.app` (TCP 8080 open to anyone), registered behind
/// the NLB's 443. The node in us-east-1a cannot send to the private subnet (its NACL
/// denies it).
fn nlb_with_target(target_az: &str, cross_zone: bool) -> Model {
    let mut n = Net::new();
    let v = n.vpc("main", "10.0.0.0/16");
    let igw = n.igw("main", v);
    let public = n.table("public", v);
    n.route(public, "0.0.0.0/0", testkit::gw(igw));
    let pa = n.subnet("pa", v, "10.0.1.0/24", "us-east-1a");
    let pb = n.subnet("pb", v, "10.0.2.0/24", "us-east-1b");
    n.associate(pa, public);
    n.associate(pb, public);
    let private = n.subnet("private", v, "10.0.11.0/24", target_az);
    let acl = n.nacl("pa", v, &[pa]);
    n.nacl_rule(acl, false, 100, true, Protocol::All, (0, 0), "0.0.0.0/0");
    n.nacl_rule(acl, true, 10, false, Protocol::All, (0, 0), "10.0.11.0/24");
    n.nacl_rule(acl, true, 100, true, Protocol::All, (0, 0), "0.0.0.0/0");
    let g = n.sg("app", v, true);
    n.sg_rule(
        g,
        false,
        Protocol::Tcp,
        (8080, 8080),
        SgPeer::Cidr(testkit::block("0.0.0.0/0")),
    );
    let app = n.instance("app", private, &[g]);
    n.target(app, "nlb", 443, 8080, true, cross_zone);
    n.network_load_balancer("nlb", &[pa, pb], 443);
    n.model()
}

fn internet_to_app(m: &Model) -> PathResult {
    let q = Query {
        from: "internet".to_string(),
        to: "aws_instance.app".to_string(),
        family: Some(Family::Ipv4),
        protocol: QueryProtocol::Tcp,
        ports: vec![PortRange::single(8080)],
    };
    query(m, &q).unwrap().remove(0)
}

#[test]
fn a_load_balancer_node_forwards_across_zones_only_with_cross_zone_load_balancing() {
    // The target is in us-east-1a: without cross-zone load balancing only that zone's
    // node forwards to it, and its NACL drops the connection.
    let off = internet_to_app(&nlb_with_target("us-east-1a", false));
    assert_eq!(off.verdict, Verdict::Blocked, "{off:?}");
    // With it, the node in us-east-1b forwards too.
    let on = internet_to_app(&nlb_with_target("us-east-1a", true));
    assert_eq!(on.verdict, Verdict::Allowed, "{on:?}");
    let hops: Vec<&str> = on.path.iter().map(|h| &**h).collect();
    assert!(hops.contains(&"aws_lb.nlb (aws_subnet.pb)"), "{hops:?}");
    assert!(hops.contains(&"aws_lb_listener.nlb"), "{hops:?}");
    assert_eq!(hops.last(), Some(&"aws_instance.app"));
}

#[test]
fn a_target_in_a_zone_the_load_balancer_does_not_enable_receives_nothing() {
    // No node in us-east-1c: not even cross-zone load balancing reaches it. Blocked at
    // the load balancer, and not in the exposure.
    let m = nlb_with_target("us-east-1c", true);
    let r = internet_to_app(&m);
    assert_eq!(r.verdict, Verdict::Blocked, "{r:?}");
    assert_eq!(r.dropped_by.as_deref(), Some("aws_lb.nlb"), "{r:?}");
    assert!(r.reason.contains("no subnet in us-east-1c"), "{}", r.reason);
    let exposed: Vec<PathResult> = tfvpc::analysis::exposure(&m)
        .into_iter()
        .filter(|r| &*r.to == "aws_instance.app" && r.verdict != Verdict::Blocked)
        .collect();
    assert!(exposed.is_empty(), "{exposed:?}");
}

#[test]
fn a_target_group_rule_naming_the_load_balancers_group_admits_it_with_the_client_address() {
    // AWS: a target's rule that names its Network Load Balancer's security group accepts
    // traffic from it even when the client's address is kept. A CIDR rule sees the client.
    let build = |by_group: bool| {
        let mut n = Net::new();
        let v = n.vpc("main", "10.0.0.0/16");
        let igw = n.igw("main", v);
        let public = n.table("public", v);
        n.route(public, "0.0.0.0/0", testkit::gw(igw));
        let pa = n.subnet("pa", v, "10.0.1.0/24", "us-east-1a");
        n.associate(pa, public);
        let private = n.subnet("private", v, "10.0.11.0/24", "us-east-1a");
        let lb_group = n.sg("nlb", v, true);
        n.sg_rule(
            lb_group,
            false,
            Protocol::Tcp,
            (443, 443),
            SgPeer::Cidr(testkit::block("0.0.0.0/0")),
        );
        n.sg_rule(
            lb_group,
            true,
            Protocol::All,
            (0, 65535),
            SgPeer::Cidr(testkit::block("10.0.0.0/16")),
        );
        let app_group = n.sg("app", v, true);
        let peer = if by_group {
            SgPeer::Group(tfvpc::model::Link::To(
                lb_group,
                tfvpc::model::LinkHow::Reference,
            ))
        } else {
            SgPeer::Cidr(testkit::block("10.0.0.0/16"))
        };
        n.sg_rule(app_group, false, Protocol::Tcp, (8080, 8080), peer);
        let app = n.instance("app", private, &[app_group]);
        n.target(app, "nlb", 443, 8080, true, true);
        n.network_load_balancer("nlb", &[pa], 443);
        let node = n.m.workloads.len() - 1;
        n.m.workloads[node].without_groups = None;
        n.m.workloads[node].security_groups = vec![tfvpc::model::Link::To(
            lb_group,
            tfvpc::model::LinkHow::Reference,
        )];
        n.model()
    };
    let by_group = internet_to_app(&build(true));
    assert_eq!(by_group.verdict, Verdict::Allowed, "{by_group:?}");
    // The VPC's CIDR does not hold the client's address.
    let by_cidr = internet_to_app(&build(false));
    assert_eq!(by_cidr.verdict, Verdict::Blocked, "{by_cidr:?}");
    assert!(
        by_cidr.reason.contains("the client's address is kept"),
        "{}",
        by_cidr.reason
    );
}

#[test]
fn an_ipv6_client_reaches_an_ipv4_target_group_from_the_load_balancers_address() {
    // AWS: an instance target group (IPv4) behind a dual-stack NLB sees IPv4 clients'
    // own addresses but the load balancer's IPv4 address for IPv6 clients.
    let mut n = Net::new();
    let v = n.vpc("main", "10.0.0.0/16");
    n.vpc_ipv6(v, Some("2600:1f18::/56"));
    let igw = n.igw("main", v);
    let public = n.table("public", v);
    n.route(public, "0.0.0.0/0", testkit::gw(igw));
    n.route(public, "::/0", testkit::gw(igw));
    let pa = n.subnet("pa", v, "10.0.1.0/24", "us-east-1a");
    n.subnet_ipv6(pa, Some("2600:1f18::/64"));
    n.associate(pa, public);
    let private = n.subnet("private", v, "10.0.11.0/24", "us-east-1a");
    n.subnet_ipv6(private, Some("2600:1f18:0:11::/64"));
    let g = n.sg("app", v, true);
    n.sg_rule(
        g,
        false,
        Protocol::Tcp,
        (8080, 8080),
        SgPeer::Cidr(testkit::block("10.0.0.0/16")),
    );
    let app = n.instance("app", private, &[g]);
    n.target(app, "nlb", 443, 8080, true, true);
    n.network_load_balancer("nlb", &[pa], 443);
    let node = n.m.workloads.len() - 1;
    n.m.workloads[node].ipv6_address_count = Some(1);
    let m = n.model();
    let ask = |family: Family| {
        let q = Query {
            from: "internet".to_string(),
            to: "aws_instance.app".to_string(),
            family: Some(family),
            protocol: QueryProtocol::Tcp,
            ports: vec![PortRange::single(8080)],
        };
        query(&m, &q).unwrap().remove(0)
    };
    // IPv4 clients keep their address: the VPC-only rule does not admit them.
    let v4 = ask(Family::Ipv4);
    assert_eq!(v4.verdict, Verdict::Blocked, "{v4:?}");
    // IPv6 clients arrive from the load balancer's IPv4 address, in the VPC.
    let v6 = ask(Family::Ipv6);
    assert_eq!(v6.verdict, Verdict::Allowed, "{v6:?}");
    assert_eq!(v6.family, Family::Ipv6);
}

/// TFVPC112's findings on a model (no policy).
fn lb_cannot_reach(m: Model) -> Vec<tfvpc::rules::Finding> {
    let n = tfvpc::rules::testkit::network(m);
    let today = tfvpc::rules::Date {
        year: 2026,
        month: 1,
        day: 1,
    };
    let out = tfvpc::pipeline::run(
        &n,
        &tfvpc::rules::Policy::default(),
        tfvpc::analysis::Scope::External,
        today,
    );
    out.findings
        .into_iter()
        .filter(|f| f.rule_id == "TFVPC112")
        .collect()
}

#[test]
fn a_load_balancer_that_no_node_can_reach_its_target_from_is_a_finding() {
    // The target in us-east-1a: without cross-zone load balancing only that zone's node
    // forwards to it, and its NACL drops the connection.
    let f = lb_cannot_reach(nlb_with_target("us-east-1a", false));
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(
        f[0].resources,
        [
            "aws_lb_target_group_attachment.nlb",
            "aws_instance.app",
            "aws_network_acl_rule.pa_egress_10"
        ]
    );
    assert!(f[0].message.contains("port 8080"), "{}", f[0].message);
    // With cross-zone load balancing, the node in us-east-1b reaches it.
    assert!(lb_cannot_reach(nlb_with_target("us-east-1a", true)).is_empty());
}

/// A way to a target that may not be there (its attachment's target group is not known)
/// is no evidence that the load balancer cannot reach it.
#[test]
fn an_unsure_target_registration_is_no_tfvpc112() {
    let mut m = nlb_with_target("us-east-1a", false);
    for w in &mut m.workloads {
        for f in &mut w.behind {
            f.unsure = Some("its target group is not known".to_string());
        }
    }
    assert!(lb_cannot_reach(m).is_empty());
}

/// [`nlb_with_target`], with the target group's health checks on `port` (`None`: off).
fn with_health_checks(mut m: Model, port: Option<u16>) -> Model {
    for w in &mut m.workloads {
        for f in &mut w.behind {
            f.health_check_port = port.map(Ok);
        }
    }
    m
}

#[test]
fn health_checks_on_a_port_the_target_does_not_admit_are_a_finding() {
    // The node in the target's zone reaches it on 8080; its group admits nothing else.
    let f = lb_cannot_reach(with_health_checks(
        nlb_with_target("us-east-1b", false),
        Some(8081),
    ));
    assert_eq!(f.len(), 1, "{f:?}");
    assert!(
        f[0].message
            .contains("health checks connect to it on TCP port 8081"),
        "{}",
        f[0].message
    );
    assert_eq!(
        f[0].resources,
        [
            "aws_lb_target_group_attachment.nlb",
            "aws_instance.app",
            "aws_security_group.app"
        ]
    );
    // On the traffic port, or off: nothing more to ask.
    for port in [Some(8080), None] {
        let f = lb_cannot_reach(with_health_checks(
            nlb_with_target("us-east-1b", false),
            port,
        ));
        assert!(f.is_empty(), "{port:?}: {f:?}");
    }
    // A target the nodes cannot reach at all gets one finding, for the traffic port.
    let f = lb_cannot_reach(with_health_checks(
        nlb_with_target("us-east-1a", false),
        Some(8081),
    ));
    assert_eq!(f.len(), 1, "{f:?}");
    assert!(f[0].message.contains("on port 8080"), "{}", f[0].message);
}

#[test]
fn a_listener_rule_source_condition_admits_the_internet_only_with_a_zero_length_cidr_of_its_family()
{
    let verdict = |sources: &[Result<&[&str], &str>]| {
        let mut n = Net::new();
        let v = n.vpc("main", "10.0.0.0/16");
        let igw = n.igw("main", v);
        let public = n.table("public", v);
        n.route(public, "0.0.0.0/0", testkit::gw(igw));
        let pa = n.subnet("pa", v, "10.0.1.0/24", "us-east-1a");
        n.associate(pa, public);
        let private = n.subnet("private", v, "10.0.11.0/24", "us-east-1a");
        let g = n.sg("app", v, true);
        n.sg_rule(
            g,
            false,
            Protocol::Tcp,
            (8080, 8080),
            SgPeer::Cidr(testkit::block("10.0.0.0/16")),
        );
        let app = n.instance("app", private, &[g]);
        n.target(app, "nlb", 443, 8080, false, true);
        n.rule_sources(app, "app", sources);
        n.network_load_balancer("nlb", &[pa], 443);
        let r = internet_to_app(&n.model());
        (r.verdict, r.dropped_by.map(|d| d.to_string()))
    };
    let rule = Some("aws_lb_listener_rule.app".to_string());
    assert_eq!(verdict(&[]), (Verdict::Allowed, None));
    assert_eq!(verdict(&[Ok(&["0.0.0.0/0"])]), (Verdict::Allowed, None));
    // An IPv4 client is not in `::/0`, nor is the whole internet in a /8.
    assert_eq!(verdict(&[Ok(&["::/0"])]), (Verdict::Blocked, rule.clone()));
    assert_eq!(
        verdict(&[Ok(&["0.0.0.0/1", "128.0.0.0/1"])]),
        (Verdict::Blocked, rule.clone())
    );
    // Conditions must all match: one that cannot decides, whatever another's unknown.
    assert_eq!(
        verdict(&[Err("not known"), Ok(&["10.0.0.0/8"])]),
        (Verdict::Blocked, rule)
    );
    assert_eq!(
        verdict(&[Ok(&["0.0.0.0/0"]), Err("not known")]).0,
        Verdict::Unknown
    );
}

/// Client VPN users in subnet `vpn` (10.0.1.0/24) of a VPC 10.0.0.0/16 with a secondary
/// block 100.64.0.0/16, with these authorization rules and routes, towards an instance
/// admitting their group on TCP 22 in subnet `app` at `app_cidr`: the verdict, the dropping
/// hop, and the path.
fn client_vpn_to_app(
    app_cidr: &str,
    authorizations: &[Result<&str, &str>],
    routes: &[Result<&str, &str>],
) -> (Verdict, Option<String>, Vec<String>) {
    let mut n = Net::new();
    let v = n.vpc("main", "10.0.0.0/16");
    n.vpc_ipv4(v, "extra", "100.64.0.0/16");
    let vpn = n.subnet("vpn", v, "10.0.1.0/24", "us-east-1a");
    let app = n.subnet("app", v, app_cidr, "us-east-1a");
    let users = n.sg("users", v, true);
    n.sg_rule(
        users,
        true,
        Protocol::All,
        (0, 65535),
        SgPeer::Cidr(testkit::block("0.0.0.0/0")),
    );
    let g = n.sg("app", v, true);
    n.sg_rule(
        g,
        false,
        Protocol::Tcp,
        (22, 22),
        SgPeer::Group(tfvpc::model::Link::To(
            users,
            tfvpc::model::LinkHow::Reference,
        )),
    );
    n.client_vpn("corp", vpn, &[users], (authorizations, routes));
    n.instance("app", app, &[g]);
    let q = Query {
        from: "aws_ec2_client_vpn_endpoint.corp (aws_subnet.vpn)".to_string(),
        to: "aws_instance.app".to_string(),
        family: Some(Family::Ipv4),
        protocol: QueryProtocol::Tcp,
        ports: vec![PortRange::single(22)],
    };
    let r = query(&n.model(), &q).unwrap().remove(0);
    (
        r.verdict,
        r.dropped_by.map(|d| d.to_string()),
        r.path.iter().map(|h| h.to_string()).collect(),
    )
}

#[test]
fn client_vpn_users_reach_only_what_an_authorization_rule_and_a_route_through_their_subnet_cover() {
    let users = Some("aws_ec2_client_vpn_endpoint.corp (aws_subnet.vpn)".to_string());
    // A rule for the app subnet, and the route AWS adds for the VPC with the association:
    // both are hops of the path, right after the users.
    let (verdict, _, path) = client_vpn_to_app("10.0.2.0/24", &[Ok("10.0.2.0/24")], &[]);
    assert_eq!(verdict, Verdict::Allowed);
    assert_eq!(
        path[..4],
        [
            "aws_ec2_client_vpn_endpoint.corp (aws_subnet.vpn)",
            "aws_ec2_client_vpn_authorization_rule.corp[0]",
            "aws_ec2_client_vpn_network_association.corp",
            "aws_security_group.users",
        ]
    );
    // The most specific rule is the one that applies.
    let (_, _, path) = client_vpn_to_app(
        "10.0.2.0/24",
        &[Ok("0.0.0.0/0"), Ok("10.0.0.0/16"), Ok("10.0.2.0/23")],
        &[],
    );
    assert_eq!(path[1], "aws_ec2_client_vpn_authorization_rule.corp[2]");
    // No rule: Client VPN denies by default, even where security groups admit.
    let (verdict, by, _) = client_vpn_to_app("10.0.2.0/24", &[Ok("10.0.3.0/24")], &[]);
    assert_eq!((verdict, by), (Verdict::Blocked, users.clone()));
    // A rule for part of the subnet: the instance may or may not get an address in it.
    let (verdict, _, _) = client_vpn_to_app("10.0.2.0/24", &[Ok("10.0.2.0/25")], &[]);
    assert_eq!(verdict, Verdict::Unknown);
    // A rule whose CIDR is known only after apply.
    let (verdict, _, _) = client_vpn_to_app("10.0.2.0/24", &[Err("not known")], &[]);
    assert_eq!(verdict, Verdict::Unknown);
    // In the secondary block: the route AWS adds is documented for the VPC, so without a
    // route of the endpoint's own it is not known; with one, it passes through that route.
    let (verdict, _, _) = client_vpn_to_app("100.64.2.0/24", &[Ok("0.0.0.0/0")], &[]);
    assert_eq!(verdict, Verdict::Unknown);
    let (verdict, _, path) =
        client_vpn_to_app("100.64.2.0/24", &[Ok("0.0.0.0/0")], &[Ok("100.64.0.0/16")]);
    assert_eq!(verdict, Verdict::Allowed);
    assert_eq!(path[2], "aws_ec2_client_vpn_route.corp[0]");
    // A route elsewhere does not help.
    let (verdict, by, _) =
        client_vpn_to_app("100.64.2.0/24", &[Ok("0.0.0.0/0")], &[Ok("192.168.0.0/16")]);
    assert_eq!(verdict, Verdict::Unknown, "{by:?}");
}

#[test]
fn nothing_opens_a_connection_to_client_vpn_users() {
    let mut n = Net::new();
    let v = n.vpc("main", "10.0.0.0/16");
    let vpn = n.subnet("vpn", v, "10.0.1.0/24", "us-east-1a");
    let users = n.sg("users", v, true);
    n.sg_rule(
        users,
        false,
        Protocol::All,
        (0, 65535),
        SgPeer::Cidr(testkit::block("0.0.0.0/0")),
    );
    n.client_vpn("corp", vpn, &[users], (&[Ok("0.0.0.0/0")], &[]));
    n.instance("app", vpn, &[]);
    let m = n.model();
    let q = Query {
        from: "aws_instance.app".to_string(),
        to: "aws_ec2_client_vpn_endpoint.corp (aws_subnet.vpn)".to_string(),
        family: Some(Family::Ipv4),
        protocol: QueryProtocol::All,
        ports: Vec::new(),
    };
    let r = query(&m, &q).unwrap().remove(0);
    assert_eq!(r.verdict, Verdict::Blocked);
    assert_eq!(
        r.dropped_by.as_deref(),
        Some("aws_ec2_client_vpn_endpoint.corp (aws_subnet.vpn)")
    );
    // Nor are they listed among what the internet reaches.
    assert!(tfvpc::analysis::exposure(&m)
        .iter()
        .all(|r| !r.to.starts_with("aws_ec2_client_vpn_endpoint")));
}

/// Inspection at the edge with AWS Network Firewall: the internet gateway's edge table sends
/// traffic for the public subnet to the firewall endpoint (`ingress`), and the public subnet
/// sends everything to it (`egress`); the firewall subnet routes to the internet gateway.
fn edge_firewall(ingress: bool, egress: bool) -> Model {
    let mut n = Net::new();
    let v = n.vpc("main", "10.0.0.0/16");
    let igw = n.igw("igw", v);
    let fws = n.subnet("fw", v, "10.0.0.0/28", "us-east-1a");
    let public = n.subnet("public", v, "10.0.1.0/24", "us-east-1a");
    n.public_ip_on_launch(public);
    let fw = n.network_firewall("edge", v, &[fws]);
    let tfw = n.table("fw", v);
    n.associate(fws, tfw);
    n.route(tfw, "0.0.0.0/0", testkit::gw(igw));
    let tp = n.table("public", v);
    n.associate(public, tp);
    let out = if egress {
        testkit::vpce(fw)
    } else {
        testkit::gw(igw)
    };
    n.route(tp, "0.0.0.0/0", out);
    if ingress {
        let te = n.table("edge", v);
        n.route(te, "10.0.1.0/24", testkit::vpce(fw));
        n.edge_associate(te, igw);
    }
    n.model()
}

#[test]
fn edge_inspection_needs_the_firewall_both_ways() {
    let both = reachability(&edge_firewall(true, true), Scope::External).results;
    for (from, to) in [
        ("internet", "aws_subnet.public"),
        ("aws_subnet.public", "internet"),
    ] {
        let r = find(&both, from, to, Family::Ipv4);
        assert_eq!(r.verdict, Verdict::Allowed, "{from} -> {to}: {r:?}");
        assert!(r
            .path
            .iter()
            .any(|h| &**h == "aws_networkfirewall_firewall.edge"));
    }
    // The subnet's replies skip the firewall (no `egress`), or the internet's do (no edge
    // table): the firewall sees one direction of each connection, and drops it.
    for (model, from, to, why) in [
        (
            edge_firewall(true, false),
            "internet",
            "aws_subnet.public",
            "replies from `aws_subnet.public` do not pass",
        ),
        (
            edge_firewall(true, false),
            "aws_subnet.public",
            "internet",
            "replies from `internet` pass",
        ),
        (
            edge_firewall(false, true),
            "internet",
            "aws_subnet.public",
            "replies from `aws_subnet.public` pass",
        ),
        (
            edge_firewall(false, true),
            "aws_subnet.public",
            "internet",
            "replies from `internet` do not pass",
        ),
    ] {
        let rs = reachability(&model, Scope::External).results;
        let r = find(&rs, from, to, Family::Ipv4);
        assert_eq!(r.verdict, Verdict::Blocked, "{from} -> {to}: {r:?}");
        assert_eq!(r.drop_kind, Some(tfvpc::analysis::DropKind::Asymmetric));
        assert_eq!(
            r.dropped_by.as_deref(),
            Some("aws_networkfirewall_firewall.edge")
        );
        assert!(r.reason.starts_with(why), "{}", r.reason);
    }
}

/// Centralized inspection behind Gateway Load Balancer endpoints, one per zone (two
/// `aws_vpc_endpoint`s), for two spokes in two zones.
fn gwlb_inspection(appliance_mode: bool) -> Model {
    let mut n = Net::new();
    let t = n.tgw("hub");
    let spokes = n.tgw_table("spokes", t);
    let inspected = n.tgw_table("inspection", t);
    let azs = ["us-east-1a", "us-east-1b"];
    for (i, az) in azs.iter().enumerate() {
        let v = n.vpc(&format!("spoke{i}"), &format!("10.{}.0.0/16", i + 1));
        let s = n.subnet(&format!("spoke{i}"), v, &format!("10.{}.0.0/24", i + 1), az);
        let rt = n.table(&format!("spoke{i}"), v);
        n.associate(s, rt);
        n.route(rt, "0.0.0.0/0", testkit::tgw(t));
        let a = n.tgw_attach(&format!("spoke{i}"), t, v, &[s], false);
        n.tgw_associate(spokes, a);
        n.tgw_propagate(inspected, a);
    }
    let iv = n.vpc("inspection", "10.100.0.0/16");
    let mut attachment_subnets = Vec::new();
    for (i, az) in azs.iter().enumerate() {
        let ts = n.subnet(&format!("tgw{i}"), iv, &format!("10.100.{i}.0/28"), az);
        let es = n.subnet(&format!("gwlbe{i}"), iv, &format!("10.100.1{i}.0/28"), az);
        let ep = n.gwlb_endpoint(&format!("inspect{i}"), iv, es);
        let tr = n.table(&format!("tgw{i}"), iv);
        n.associate(ts, tr);
        n.route(tr, "0.0.0.0/0", testkit::vpce(ep));
        let er = n.table(&format!("gwlbe{i}"), iv);
        n.associate(es, er);
        n.route(er, "0.0.0.0/0", testkit::tgw(t));
        attachment_subnets.push(ts);
    }
    let ia = n.tgw_attach("inspection", t, iv, &attachment_subnets, false);
    if appliance_mode {
        n.appliance_mode(ia);
    }
    n.tgw_associate(inspected, ia);
    n.tgw_route(spokes, "0.0.0.0/0", Some(ia));
    n.model()
}

#[test]
fn appliance_mode_keeps_a_flow_on_one_gwlb_endpoint() {
    // Without appliance mode the replies pass the other zone's endpoint: whether the
    // appliances behind the load balancer pass half a connection is not in the plan.
    let rs = all(&gwlb_inspection(false));
    let r = find(&rs, "aws_subnet.spoke0", "aws_subnet.spoke1", Family::Ipv4);
    assert_eq!(r.verdict, Verdict::Unknown, "{r:?}");
    assert!(
        r.reason.starts_with(
            "replies from `aws_subnet.spoke1` enter `aws_ec2_transit_gateway_vpc_attachment.inspection` in us-east-1b and pass `aws_vpc_endpoint.inspect1` in `aws_subnet.gwlbe1`, not `aws_vpc_endpoint.inspect0` in `aws_subnet.gwlbe0` that passed the request"
        ),
        "{}",
        r.reason
    );
    // In appliance mode the transit gateway keeps both directions in one attachment
    // subnet, so on one endpoint; the walks show the forward one.
    let rs = all(&gwlb_inspection(true));
    let r = find(&rs, "aws_subnet.spoke0", "aws_subnet.spoke1", Family::Ipv4);
    assert_eq!(r.verdict, Verdict::Allowed, "{r:?}");
    assert!(r.path.iter().any(|h| &**h == "aws_vpc_endpoint.inspect0"));
}

/// `app` (VPC a) reaches `db` (VPC b) through a private NAT gateway in its own VPC and a
/// transit gateway with security group referencing on; `db` admits 5432 from `peer`.
fn through_private_nat(peer: SgPeer) -> Model {
    let mut n = Net::new();
    let a = n.vpc("a", "10.1.0.0/16");
    let b = n.vpc("b", "10.2.0.0/16");
    let app_sn = n.subnet("app", a, "10.1.1.0/24", "us-east-1a");
    let nat_sn = n.subnet("nat", a, "10.1.2.0/24", "us-east-1a");
    let db_sn = n.subnet("db", b, "10.2.1.0/24", "us-east-1a");
    let t = n.tgw("hub");
    n.tgw_sg_referencing(t);
    n.tgw_attach("a", t, a, &[nat_sn], true);
    n.tgw_attach("b", t, b, &[db_sn], true);
    let nat = n.nat_gateway("private", nat_sn, false);
    let app_rt = n.table("app", a);
    n.associate(app_sn, app_rt);
    n.route(app_rt, "10.2.0.0/16", testkit::nat(nat));
    let nat_rt = n.table("nat", a);
    n.associate(nat_sn, nat_rt);
    n.route(nat_rt, "10.2.0.0/16", testkit::tgw(t));
    let db_rt = n.table("db", b);
    n.associate(db_sn, db_rt);
    n.route(db_rt, "10.1.0.0/16", testkit::tgw(t));
    let app = n.sg("app", a, true);
    n.sg_rule(
        app,
        true,
        Protocol::All,
        (0, 65535),
        SgPeer::Cidr(testkit::block("0.0.0.0/0")),
    );
    let db = n.sg("db", b, true);
    let peer = match peer {
        SgPeer::SelfGroup => SgPeer::Group(tfvpc::model::Link::To(
            app,
            tfvpc::model::LinkHow::Reference,
        )),
        p => p,
    };
    n.sg_rule(db, false, Protocol::Tcp, (5432, 5432), peer);
    n.instance("app", app_sn, &[app]);
    n.instance("db", db_sn, &[db]);
    n.model()
}

/// Behind a NAT, the destination's groups see the NAT's address: neither a rule naming
/// the source's group nor one for the source's subnet admits it; one for the NAT's subnet
/// does.
#[test]
fn a_nat_on_the_way_is_the_source_the_destination_groups_see() {
    let ask = |m: &Model| {
        query(
            m,
            &q(
                "aws_instance.app",
                "aws_instance.db",
                QueryProtocol::Tcp,
                Some(5432),
            ),
        )
        .unwrap()
        .remove(0)
    };
    // `SelfGroup` stands for app's group here (see `through_private_nat`).
    let r = ask(&through_private_nat(SgPeer::SelfGroup));
    assert_eq!(r.verdict, Verdict::Blocked, "{r:?}");
    assert_eq!(r.dropped_by.as_deref(), Some("aws_security_group.db"));
    assert!(
        r.reason.contains(
            "names a group of `aws_instance.app`, but `aws_instance.db` sees `aws_instance.app`'s traffic from the address of NAT `aws_nat_gateway.private`"
        ),
        "{}",
        r.reason
    );
    let r = ask(&through_private_nat(SgPeer::Cidr(testkit::block(
        "10.1.1.0/24",
    ))));
    assert_eq!(r.verdict, Verdict::Blocked, "{r:?}");
    let r = ask(&through_private_nat(SgPeer::Cidr(testkit::block(
        "10.1.2.0/24",
    ))));
    assert_eq!(r.verdict, Verdict::Allowed, "{r:?}");
}

/// `app` (VPC a, on gateway `east`) and `db` (VPC b, on `west`), the gateways peered, both
/// with security group referencing on; `db` admits 5432 from app's group.
#[test]
fn a_group_of_a_vpc_behind_a_peered_transit_gateway_never_matches() {
    let mut n = Net::new();
    let a = n.vpc("a", "10.1.0.0/16");
    let b = n.vpc("b", "10.2.0.0/16");
    let sa = n.subnet("app", a, "10.1.1.0/24", "us-east-1a");
    let sb = n.subnet("db", b, "10.2.1.0/24", "us-east-1a");
    let east = n.tgw("east");
    let west = n.tgw("west");
    n.tgw_sg_referencing(east);
    n.tgw_sg_referencing(west);
    n.tgw_attach("a", east, a, &[sa], true);
    n.tgw_attach("b", west, b, &[sb], true);
    let p = n.tgw_peering("east_west", east, west);
    let te = n.tgw_default_table(east).unwrap();
    let tw = n.tgw_default_table(west).unwrap();
    n.tgw_associate(te, p);
    n.tgw_associate(tw, p);
    n.tgw_route(te, "10.2.0.0/16", Some(p));
    n.tgw_route(tw, "10.1.0.0/16", Some(p));
    let rta = n.table("a", a);
    n.associate(sa, rta);
    n.route(rta, "10.2.0.0/16", testkit::tgw(east));
    let rtb = n.table("b", b);
    n.associate(sb, rtb);
    n.route(rtb, "10.1.0.0/16", testkit::tgw(west));
    let app = n.sg("app", a, true);
    n.sg_rule(
        app,
        true,
        Protocol::All,
        (0, 65535),
        SgPeer::Cidr(testkit::block("0.0.0.0/0")),
    );
    let db = n.sg("db", b, true);
    n.sg_rule(
        db,
        false,
        Protocol::Tcp,
        (5432, 5432),
        SgPeer::Group(tfvpc::model::Link::To(
            app,
            tfvpc::model::LinkHow::Reference,
        )),
    );
    n.instance("app", sa, &[app]);
    n.instance("db", sb, &[db]);
    let m = n.model();
    // The subnets reach each other over the peering.
    let net = query(
        &m,
        &q(
            "aws_subnet.app",
            "aws_subnet.db",
            QueryProtocol::Tcp,
            Some(5432),
        ),
    )
    .unwrap()
    .remove(0);
    assert_eq!(net.verdict, Verdict::Allowed, "{net:?}");
    let r = query(
        &m,
        &q(
            "aws_instance.app",
            "aws_instance.db",
            QueryProtocol::Tcp,
            Some(5432),
        ),
    )
    .unwrap()
    .remove(0);
    assert_eq!(r.verdict, Verdict::Blocked, "{r:?}");
    assert!(
        r.reason.contains(
            "the path crosses from transit gateway `aws_ec2_transit_gateway.east` to `aws_ec2_transit_gateway.west` over their peering"
        ),
        "{}",
        r.reason
    );
}

#[test]
fn a_vpc_read_by_a_data_source_may_have_an_internet_gateway_the_plan_does_not_show() {
    // A VPC the plan holds with no internet gateway has none: blocked. One a data source
    // read may have one that no data source reads: unknown, never blocked.
    for outside in [false, true] {
        let mut n = Net::new();
        let v = n.vpc("shared", "10.20.0.0/16");
        if outside {
            n.outside(v);
        }
        let t = n.table("web", v);
        let s = n.subnet("web", v, "10.20.10.0/24", "us-east-1a");
        n.public_ip_on_launch(s);
        n.associate(s, t);
        let m = n.model();
        let rs = all(&m);
        let r = find(&rs, "internet", "aws_subnet.web", Family::Ipv4);
        if outside {
            assert_eq!(r.verdict, Verdict::Unknown, "{r:?}");
            assert!(
                r.reason
                    .contains("whether an internet gateway is attached to `aws_vpc.shared`"),
                "{}",
                r.reason
            );
        } else {
            assert_eq!(r.verdict, Verdict::Blocked, "{r:?}");
            assert!(r.reason.contains("has no internet gateway"), "{}", r.reason);
        }
    }
}

#[test]
fn replies_sent_to_a_nat_gateway_never_answer_the_internet_wherever_it_sits() {
    // The NAT gateway's subnet is outside the model: where its traffic goes next is not
    // known, but replies handed to it are translated, so a connection from the internet
    // to the private subnet never completes.
    let mut n = Net::new();
    let v = n.vpc("shared", "10.20.0.0/16");
    n.igw("shared", v);
    let public = n.subnet("public", v, "10.20.0.0/24", "us-east-1a");
    let nat = n.nat_gateway("shared", public, true);
    n.nat_subnet_outside(nat, "subnet-0a1b2c3d");
    let t = n.table("private", v);
    n.route(t, "0.0.0.0/0", testkit::nat(nat));
    let s = n.subnet("app", v, "10.20.20.0/24", "us-east-1a");
    n.public_ip_on_launch(s);
    n.associate(s, t);
    let m = n.model();
    let rs = all(&m);
    let inb = find(&rs, "internet", "aws_subnet.app", Family::Ipv4);
    assert_eq!(inb.verdict, Verdict::Blocked, "{inb:?}");
    assert_eq!(inb.dropped_by.as_deref(), Some("aws_route_table.private"));
    assert!(
        inb.reason
            .contains("`aws_nat_gateway.shared`, which accepts no connections"),
        "{}",
        inb.reason
    );
    let out = find(&rs, "aws_subnet.app", "internet", Family::Ipv4);
    assert_eq!(out.verdict, Verdict::Unknown, "{out:?}");
    assert!(
        out.reason
            .contains("the subnet of `aws_nat_gateway.shared` is not known: `subnet-0a1b2c3d`"),
        "{}",
        out.reason
    );
}

/// A route whose table is not known at plan time may be in any table of its target's VPC.
/// Where its destination covers the address and is longer than the table's own match, the
/// answer is unknown; where the table's own route is at least as long (a table holds one
/// route per destination), or the destination does not cover the address, the table's
/// own answer stands; a table of another VPC is not concerned.
#[test]
fn a_route_whose_table_is_not_known_decides_only_what_it_may_cover() {
    let mut n = Net::new();
    let v = n.vpc("main", "10.0.0.0/16");
    let igw = n.igw("igw", v);
    let nat_subnet = n.subnet("nat", v, "10.0.0.0/24", "us-east-1a");
    let nat = n.nat_gateway("nat", nat_subnet, true);
    let public = n.table("public", v);
    n.route(public, "0.0.0.0/0", testkit::gw(igw));
    n.associate(nat_subnet, public);
    n.public_ip_on_launch(nat_subnet);
    let private = n.table("private", v);
    let app = n.subnet("app", v, "10.0.1.0/24", "us-east-1a");
    n.associate(app, private);
    let other_vpc = n.vpc("other", "10.9.0.0/16");
    n.subnet("lone", other_vpc, "10.9.0.0/24", "us-east-1a");
    n.unplaced_route("maybe_default", "0.0.0.0/0", testkit::nat(nat), "not known");
    let m = n.model();
    let rs = all(&m);
    let app_out = find(&rs, "aws_subnet.app", "internet", Family::Ipv4);
    assert_eq!(app_out.verdict, Verdict::Unknown, "{}", app_out.reason);
    assert!(
        app_out
            .reason
            .contains("route `aws_route.maybe_default` may be in `aws_route_table.private`"),
        "{}",
        app_out.reason
    );
    // The public table has a default route of its own: the unplaced one cannot be there.
    let nat_out = find(&rs, "aws_subnet.nat", "internet", Family::Ipv4);
    assert_eq!(nat_out.verdict, Verdict::Allowed, "{}", nat_out.reason);
    // Its target is in `main`: the other VPC's table is not concerned.
    let lone_out = find(&rs, "aws_subnet.lone", "internet", Family::Ipv4);
    assert_eq!(lone_out.verdict, Verdict::Blocked, "{}", lone_out.reason);
    // Inside the VPC, the local route (/16) is longer than the unplaced default route.
    let inside = find(&rs, "aws_subnet.app", "aws_subnet.nat", Family::Ipv4);
    assert_eq!(inside.verdict, Verdict::Allowed, "{}", inside.reason);
}

/// Routes whose table is not known and whose target places them in no VPC (a transit
/// gateway) may be in any table; routes whose references name a few tables may be only in
/// those. A table is told of each destination once, however many such routes share it (a
/// module called with `for_each` adds one per instance): the first, and how many others.
#[test]
fn routes_whose_table_is_not_known_are_told_once_per_destination() {
    let mut n = Net::new();
    let hub = n.tgw("hub");
    // Two VPCs on the hub whose tables send everything in 10.0.0.0/8 back through it.
    for (name, cidr) in [("shared", "10.200.0.0/16"), ("edge", "10.201.0.0/16")] {
        let v = n.vpc(name, cidr);
        let s = n.subnet(name, v, &cidr.replace("0.0/16", "0.0/24"), "us-east-1a");
        let t = n.table(name, v);
        n.route(t, "10.0.0.0/8", testkit::tgw(hub));
        n.associate(s, t);
        n.tgw_attach(name, hub, v, &[s], true);
    }
    let mut tables = Vec::new();
    for i in 0..30 {
        let v = n.vpc(&format!("spoke{i}"), &format!("10.{i}.0.0/16"));
        let s = n.subnet(
            &format!("app{i}"),
            v,
            &format!("10.{i}.0.0/24"),
            "us-east-1a",
        );
        let t = n.table(&format!("app{i}"), v);
        n.associate(s, t);
        n.tgw_attach(&format!("spoke{i}"), hub, v, &[s], true);
        tables.push(t);
        n.unplaced_route(
            &format!("to_shared{i:02}"),
            "10.200.0.0/16",
            testkit::tgw(hub),
            "not known",
        );
    }
    let to_edge = n.unplaced_route("to_edge", "10.201.0.0/16", testkit::tgw(hub), "not known");
    let mut m = n.model();
    m.routes[to_edge.index()].table_among = vec![tables[3], tables[4]];
    let rs = all(&m);
    for i in [0, 17, 29] {
        let r = find(
            &rs,
            &format!("aws_subnet.app{i}"),
            "aws_subnet.shared",
            Family::Ipv4,
        );
        assert_eq!(r.verdict, Verdict::Unknown, "{}", r.reason);
        assert!(
            r.reason.contains(&format!(
                "route `aws_route.to_shared00` (or any of 29 other routes to the same destination) may be in `aws_route_table.app{i}`"
            )),
            "{}",
            r.reason
        );
    }
    // The route to the edge VPC may be only in the two tables its references name.
    for i in [3, 4] {
        let r = find(
            &rs,
            &format!("aws_subnet.app{i}"),
            "aws_subnet.edge",
            Family::Ipv4,
        );
        assert_eq!(r.verdict, Verdict::Unknown, "{}", r.reason);
        assert!(
            r.reason.contains(&format!(
                "route `aws_route.to_edge` may be in `aws_route_table.app{i}`"
            )),
            "{}",
            r.reason
        );
    }
    for i in [0, 5, 29] {
        let r = find(
            &rs,
            &format!("aws_subnet.app{i}"),
            "aws_subnet.edge",
            Family::Ipv4,
        );
        assert_eq!(r.verdict, Verdict::Blocked, "{}", r.reason);
    }
    // The index: one entry per destination and scope.
    let unplaced = m.unplaced_routes();
    assert_eq!(unplaced.all.len(), 31);
    assert_eq!(unplaced.in_table(tables[3], None).len(), 31);
    assert_eq!(unplaced.in_table(tables[5], None).len(), 30);
    let distinct = unplaced.distinct_in(tables[3], None);
    assert_eq!(distinct.len(), 2, "{distinct:?}");
    assert_eq!(distinct[0].2, 29);
    assert_eq!(distinct[1].2, 0);
}

// ---- Links the plan does not resolve (a module output terraform leaves unnamed)

const NOT_KNOWN: &str = "fabricated for a test: not known";

/// A security group rule resource whose group is not known may be any group's: what it
/// would admit is unknown for each group, never blocked for sure.
#[test]
fn a_rule_whose_group_is_not_known_may_admit_for_every_group() {
    use tfvpc::model::{Action, IcmpMatch, PortRange, SgRule, UnplacedGroupRule};
    let rule =
        |egress: bool, protocol: Protocol, ports: (u16, u16), cidr: &str| UnplacedGroupRule {
            egress,
            rule: SgRule {
                address: format!(
                    "aws_security_group_rule.loose_{}",
                    if egress { "out" } else { "in" }
                ),
                action: Action::Create,
                protocol,
                ports: PortRange {
                    from: ports.0,
                    to: ports.1,
                },
                icmp: IcmpMatch::default(),
                peer: SgPeer::Cidr(testkit::block(cidr)),
                description: None,
                unknown: Some(NOT_KNOWN.to_string()),
            },
            among: Vec::new(),
        };
    let ask = |m: &Model, port: u16| {
        let rs = query(
            m,
            &q(
                "aws_instance.client",
                "aws_instance.server",
                QueryProtocol::Tcp,
                Some(port),
            ),
        )
        .unwrap();
        rs[0].clone()
    };
    // The server's group admits 443 from the client's group; the client's declares no
    // egress, but an unplaced egress rule may be its.
    let mut m = sg_model(false);
    m.unplaced_group_rules
        .push(rule(true, Protocol::All, (0, 65535), "0.0.0.0/0"));
    let r = ask(&m, 443);
    assert_eq!(r.verdict, Verdict::Unknown, "{r:?}");
    assert!(r.reason.contains(NOT_KNOWN), "{}", r.reason);
    // An unplaced ingress rule may admit SSH into the server's group: unknown, where the
    // server's own rules block it.
    let mut m = sg_model(true);
    assert_eq!(ask(&m, 22).verdict, Verdict::Blocked);
    m.unplaced_group_rules
        .push(rule(false, Protocol::Tcp, (22, 22), "10.0.0.0/16"));
    let r = ask(&m, 22);
    assert_eq!(r.verdict, Verdict::Unknown, "{r:?}");
    assert!(r.reason.contains(NOT_KNOWN), "{}", r.reason);
    // What the group's own rules allow stays allowed, and what the rule cannot cover
    // (another port, another source) stays blocked.
    assert_eq!(ask(&m, 443).verdict, Verdict::Allowed);
    assert_eq!(ask(&m, 3389).verdict, Verdict::Blocked);
    // A rule whose references name the groups it may be of (a module instance's two group
    // outputs): only those.
    let group = |m: &Model, name: &str| {
        let at = m
            .security_groups
            .iter()
            .position(|g| g.meta.address == format!("aws_security_group.{name}"))
            .unwrap();
        tfvpc::model::SecurityGroupId(at as u32)
    };
    m.unplaced_group_rules[0].among = vec![group(&m, "client")];
    assert_eq!(ask(&m, 22).verdict, Verdict::Blocked);
    m.unplaced_group_rules[0].among = vec![group(&m, "client"), group(&m, "server")];
    assert_eq!(ask(&m, 22).verdict, Verdict::Unknown);
    m.unplaced_group_rules[0] = rule(false, Protocol::Tcp, (22, 22), "192.168.0.0/16");
    assert_eq!(ask(&m, 22).verdict, Verdict::Blocked);
}

/// An `aws_network_acl_rule` whose NACL is not known may be any NACL's rule, at its
/// number: the flows it would decide are undecided.
#[test]
fn a_nacl_rule_whose_nacl_is_not_known_leaves_its_flows_undecided() {
    use tfvpc::model::{Action, IcmpMatch, NaclRule, PortRange, UnplacedNaclRule};
    let rule = |egress: bool, number: u32, allow: bool, cidr: &str| UnplacedNaclRule {
        egress,
        rule: NaclRule {
            address: format!("aws_network_acl_rule.loose_{number}"),
            action: Action::Create,
            rule_number: number,
            allow,
            protocol: Protocol::All,
            ports: PortRange::ALL,
            icmp: IcmpMatch::default(),
            cidr: testkit::block(cidr),
            unknown: Some(NOT_KNOWN.to_string()),
        },
        among: Vec::new(),
    };
    let ab = |m: &Model| find(&all(m), "aws_subnet.a", "aws_subnet.b", Family::Ipv4).clone();
    // `b`'s NACL allows only TCP 443 out: replies to `a` are dropped.
    let mut m = two_subnets_with_nacl((443, 443));
    assert_eq!(ab(&m).verdict, Verdict::Blocked);
    // A rule before it that may allow all out: undecided.
    m.unplaced_nacl_rules
        .push(rule(true, 50, true, "10.0.0.0/16"));
    let r = ab(&m);
    assert_eq!(r.verdict, Verdict::Unknown, "{r:?}");
    assert!(r.reason.contains(NOT_KNOWN), "{}", r.reason);
    // One whose references name the NACLs it may be of: only those.
    m.unplaced_nacl_rules[0].among = vec!["aws_network_acl.other".to_string()];
    assert_eq!(ab(&m).verdict, Verdict::Blocked);
    m.unplaced_nacl_rules[0].among = vec![
        "aws_network_acl.other".to_string(),
        "aws_network_acl.b".to_string(),
    ];
    assert_eq!(ab(&m).verdict, Verdict::Unknown);
    // One that cannot match (another CIDR) changes nothing.
    m.unplaced_nacl_rules[0] = rule(true, 50, true, "192.168.0.0/16");
    assert_eq!(ab(&m).verdict, Verdict::Blocked);
    // One after the NACL's own allow of all ingress cannot undo it: `b` ← `a` in is
    // decided by rule 100 first.
    let mut m = two_subnets_with_nacl((0, 65535));
    m.unplaced_nacl_rules
        .push(rule(false, 200, false, "10.0.0.0/16"));
    assert_eq!(ab(&m).verdict, Verdict::Allowed);
}

/// An internet gateway whose VPC is not known: where a route sends traffic to it, the
/// answer is unknown, unless it would be blocked anyway; and the internet may reach a
/// subnet whose replies go to it.
#[test]
fn an_internet_gateway_whose_vpc_is_not_known_gives_unknown_not_a_blackhole() {
    let mut n = Net::new();
    let v = n.vpc("main", "10.0.0.0/16");
    let w = n.vpc("other", "10.1.0.0/16");
    let s = n.subnet("public", v, "10.0.1.0/24", "us-east-1a");
    n.subnet("other", w, "10.1.1.0/24", "us-east-1a");
    n.public_ip_on_launch(s);
    let t = n.table("public", v);
    n.associate(s, t);
    let g = n.igw("igw", v);
    n.route(t, "0.0.0.0/0", testkit::gw(g));
    n.m.gateways[g.index()].vpc = tfvpc::model::Link::Unresolved(NOT_KNOWN.to_string());
    let m = n.model();
    let rs = all(&m);
    for (from, to) in [
        ("aws_subnet.public", "internet"),
        ("internet", "aws_subnet.public"),
    ] {
        let r = find(&rs, from, to, Family::Ipv4);
        assert_eq!(r.verdict, Verdict::Unknown, "{from} -> {to}: {r:?}");
        assert!(r.reason.contains(NOT_KNOWN), "{}", r.reason);
    }
    // The gateway reaches only the internet, wherever it is attached.
    let r = find(&rs, "aws_subnet.public", "aws_subnet.other", Family::Ipv4);
    assert_eq!(r.verdict, Verdict::Blocked, "{r:?}");
    // A subnet whose replies cannot reach the gateway: no internet gateway, for sure.
    let r = find(&rs, "internet", "aws_subnet.other", Family::Ipv4);
    assert_eq!(r.verdict, Verdict::Blocked, "{r:?}");
}

/// A transit gateway attachment whose VPC is not known may be the one a VPC routes
/// through: unknown, not "the VPC has no attachment".
#[test]
fn an_attachment_whose_vpc_is_not_known_may_be_the_vpcs() {
    let build = |unsure: bool| {
        let mut n = Net::new();
        let v = n.vpc("a", "10.1.0.0/16");
        let w = n.vpc("b", "10.2.0.0/16");
        let a = n.subnet("a", v, "10.1.1.0/24", "us-east-1a");
        let b = n.subnet("b", w, "10.2.1.0/24", "us-east-1a");
        let t = n.tgw("hub");
        let ta = n.table("a", v);
        n.associate(a, ta);
        n.route(ta, "10.2.0.0/16", testkit::tgw(t));
        let tb = n.table("b", w);
        n.associate(b, tb);
        n.route(tb, "10.1.0.0/16", testkit::tgw(t));
        n.tgw_attach("b", t, w, &[b], true);
        if unsure {
            let x = n.tgw_attach("a", t, v, &[a], true);
            if let tfvpc::model::TgwAttachmentKind::Vpc { vpc, subnets, .. } =
                &mut n.m.tgw_attachments[x.index()].kind
            {
                *vpc = tfvpc::model::Link::Unresolved(NOT_KNOWN.to_string());
                *subnets = vec![tfvpc::model::Link::Unresolved(NOT_KNOWN.to_string())];
            }
        }
        n.model()
    };
    let m = build(false);
    let r = find(&all(&m), "aws_subnet.a", "aws_subnet.b", Family::Ipv4).clone();
    assert_eq!(r.verdict, Verdict::Blocked, "{r:?}");
    assert!(r.reason.contains("has no attachment"), "{}", r.reason);
    let m = build(true);
    let rs = all(&m);
    for (from, to) in [
        ("aws_subnet.a", "aws_subnet.b"),
        ("aws_subnet.b", "aws_subnet.a"),
    ] {
        let r = find(&rs, from, to, Family::Ipv4);
        assert_eq!(r.verdict, Verdict::Unknown, "{from} -> {to}: {r:?}");
        assert!(r.reason.contains(NOT_KNOWN), "{}", r.reason);
    }
}

/// A security group rule naming a prefix list the plan does not hold (by ID) or cannot
/// resolve may admit a private address: unknown, not blocked.
#[test]
fn a_prefix_list_the_plan_does_not_show_may_hold_a_private_address() {
    for list in [
        tfvpc::model::Link::External("pl-0123456789abcdef0".to_string()),
        tfvpc::model::Link::Unresolved(NOT_KNOWN.to_string()),
    ] {
        let mut m = sg_model(true);
        let server = m.security_groups.len() - 1;
        m.security_groups[server].ingress[0].peer = SgPeer::PrefixList(list);
        let rs = query(
            &m,
            &q(
                "aws_instance.client",
                "aws_instance.server",
                QueryProtocol::Tcp,
                Some(443),
            ),
        )
        .unwrap();
        assert_eq!(rs[0].verdict, Verdict::Unknown, "{:?}", rs[0]);
        assert!(rs[0].reason.contains("prefix list"), "{}", rs[0].reason);
    }
}

/// A peering whose accepter VPC is not known: a subnet across it is unknown, not "does not
/// connect" or "not transitive"; the internet is never reached over a peering.
#[test]
fn a_peering_whose_vpc_is_not_known_gives_unknown() {
    let mut n = Net::new();
    let v = n.vpc("a", "10.1.0.0/16");
    let w = n.vpc("b", "10.2.0.0/16");
    let a = n.subnet("a", v, "10.1.1.0/24", "us-east-1a");
    let b = n.subnet("b", w, "10.2.1.0/24", "us-east-1a");
    let p = n.peering("ab", v, w, true);
    let ta = n.table("a", v);
    n.associate(a, ta);
    n.route(ta, "10.2.0.0/16", testkit::pcx(p));
    n.route(ta, "0.0.0.0/0", testkit::pcx(p));
    let tb = n.table("b", w);
    n.associate(b, tb);
    n.route(tb, "10.1.0.0/16", testkit::pcx(p));
    n.m.peerings[p.index()].accepter = tfvpc::model::Link::Unresolved(NOT_KNOWN.to_string());
    let m = n.model();
    let rs = all(&m);
    for (from, to) in [
        ("aws_subnet.a", "aws_subnet.b"),
        ("aws_subnet.b", "aws_subnet.a"),
    ] {
        let r = find(&rs, from, to, Family::Ipv4);
        assert_eq!(r.verdict, Verdict::Unknown, "{from} -> {to}: {r:?}");
        assert!(r.reason.contains(NOT_KNOWN), "{}", r.reason);
    }
    let r = find(&rs, "aws_subnet.a", "internet", Family::Ipv4);
    assert_eq!(r.verdict, Verdict::Blocked, "{r:?}");
}

/// A transit gateway route whose route table is not known may be in any table of its
/// attachment's gateway: where its destination covers the address and is longer than the
/// table's own match, or as long but of a kind AWS prefers (static over propagated), the
/// answer is unknown; a static route of the table's own with that destination, or a longer
/// one, decides; a table of another gateway is not concerned. An association whose table
/// is not known leaves its attachment's association unknown, not missing.
#[test]
fn a_tgw_route_whose_table_is_not_known_decides_only_what_it_may_cover() {
    use tfvpc::model::{Action, Link, LinkHow, TgwRoute, UnplacedTgw, UnplacedTgwKind};
    let setup = |dest: &str, own_static: bool, on_other_gateway: bool| {
        let mut n = Net::new();
        let t = n.tgw("hub");
        let t2 = n.tgw("other");
        let rt = n.tgw_table("spokes", t);
        let a = n.vpc("a", "10.1.0.0/16");
        let b = n.vpc("b", "10.2.0.0/16");
        let c = n.vpc("c", "10.3.0.0/16");
        let ta = n.table("a", a);
        let tb = n.table("b", b);
        let sa = n.subnet("a", a, "10.1.1.0/24", "us-east-1a");
        let sb = n.subnet("b", b, "10.2.1.0/24", "us-east-1a");
        let sc = n.subnet("c", c, "10.3.1.0/24", "us-east-1a");
        n.associate(sa, ta);
        n.associate(sb, tb);
        let aa = n.tgw_attach("a", t, a, &[sa], false);
        let ab = n.tgw_attach("b", t, b, &[sb], false);
        let ac = n.tgw_attach("c", t2, c, &[sc], true);
        n.tgw_associate(rt, aa);
        n.tgw_associate(rt, ab);
        n.tgw_propagate(rt, aa);
        n.tgw_propagate(rt, ab);
        if own_static {
            n.tgw_route(rt, "10.2.0.0/16", Some(ab));
        }
        n.route(ta, "10.2.0.0/16", testkit::tgw(t));
        n.route(tb, "10.1.0.0/16", testkit::tgw(t));
        n.m.unplaced_tgw.push(UnplacedTgw {
            address: "aws_ec2_transit_gateway_route.maybe".into(),
            why: NOT_KNOWN.into(),
            kind: UnplacedTgwKind::Route(TgwRoute {
                address: "aws_ec2_transit_gateway_route.maybe".into(),
                action: Action::Create,
                destination: testkit::block(dest),
                attachment: Some(Link::To(
                    if on_other_gateway { ac } else { ab },
                    LinkHow::Reference,
                )),
            }),
            among: Vec::new(),
        });
        (n, ab)
    };
    let verdict = |n: &Net| {
        let rs = all(&n.m);
        find(&rs, "aws_subnet.a", "aws_subnet.b", Family::Ipv4).clone()
    };
    // Longer than the propagated /16: it may decide.
    let r = verdict(&setup("10.2.1.0/24", false, false).0);
    assert_eq!(r.verdict, Verdict::Unknown, "{}", r.reason);
    assert!(
        r.reason.contains(
            "`aws_ec2_transit_gateway_route.maybe` may be in `aws_ec2_transit_gateway_route_table.spokes`"
        ),
        "{}",
        r.reason
    );
    // As long as the propagated route: a static route wins over it.
    assert_eq!(
        verdict(&setup("10.2.0.0/16", false, false).0).verdict,
        Verdict::Unknown
    );
    // The table's own static route of that destination: the unplaced one cannot be there.
    assert_eq!(
        verdict(&setup("10.2.0.0/16", true, false).0).verdict,
        Verdict::Allowed
    );
    // Shorter than what the table matches, or not covering b: no say.
    assert_eq!(
        verdict(&setup("10.0.0.0/8", false, false).0).verdict,
        Verdict::Allowed
    );
    assert_eq!(
        verdict(&setup("10.9.0.0/16", false, false).0).verdict,
        Verdict::Allowed
    );
    // Its attachment is on another gateway: not in this gateway's tables.
    assert_eq!(
        verdict(&setup("10.2.1.0/24", false, true).0).verdict,
        Verdict::Allowed
    );

    // b's attachment is associated with no table of the hub, but an association whose
    // table is not known names it.
    let (mut n, ab) = setup("10.9.0.0/16", false, false);
    n.m.tgw_route_tables[2]
        .associations
        .retain(|(_, l)| l.id() != Some(ab));
    assert_eq!(verdict(&n).verdict, Verdict::Blocked);
    n.m.unplaced_tgw.push(UnplacedTgw {
        address: "aws_ec2_transit_gateway_route_table_association.b".into(),
        why: NOT_KNOWN.into(),
        kind: UnplacedTgwKind::Association(Link::To(ab, LinkHow::Reference)),
        among: Vec::new(),
    });
    let r = verdict(&n);
    assert_eq!(r.verdict, Verdict::Unknown, "{}", r.reason);
    assert!(
        r.reason.contains("`aws_ec2_transit_gateway_route_table_association.b` associates it with a route table not known at plan time"),
        "{}",
        r.reason
    );
}
