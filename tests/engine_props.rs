//! Property tests: the sorted-scan longest-prefix match and the set-at-once NACL evaluation
//! agree with deliberately naive versions (every route compared; one flow at a time).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use ipnet::{IpNet, Ipv4Net};
use proptest::prelude::*;
use tfvpc::analysis::addr::Addr;
use tfvpc::analysis::lpm::{Entry, Lookup, TableIndex};
use tfvpc::analysis::nacl::{decide, evaluate, Decision, Direction};
use tfvpc::analysis::ports::{icmp_key, Flow};
use tfvpc::model::{
    Action, AnyBlock, Block, Family, IcmpMatch, Link, Meta, Nacl, NaclRule, PortRange, Protocol,
    RouteId,
};

fn net4(addr: u32, len: u8) -> IpNet {
    IpNet::V4(Ipv4Net::new(addr.into(), len).unwrap().trunc())
}

/// Small address space so prefixes overlap often.
fn arb_net() -> impl Strategy<Value = IpNet> {
    (0u32..16, 0u8..=6).prop_map(|(hi, len)| net4((10 << 24) | (hi << 16), 4 + len * 4))
}

fn arb_entry() -> impl Strategy<Value = (IpNet, bool, bool)> {
    (
        prop_oneof![arb_net(), Just(net4(0, 0))],
        any::<bool>(),
        any::<bool>(),
    )
}

/// Every route that contains the address, the best by (longest, static, CIDR, lowest id).
fn naive_lookup(entries: &[Entry], dest: &IpNet) -> Option<RouteId> {
    entries
        .iter()
        .filter(|e| e.net.contains(dest))
        .max_by(|a, b| {
            (a.net.prefix_len(), !a.propagated, !a.from_list)
                .cmp(&(b.net.prefix_len(), !b.propagated, !b.from_list))
                .then(b.net.cmp(&a.net))
                .then(b.route.cmp(&a.route))
        })
        .map(|e| e.route)
}

proptest! {
    #[test]
    fn lpm_matches_naive(routes in prop::collection::vec(arb_entry(), 0..24), dest in arb_net()) {
        let entries: Vec<Entry> = routes
            .iter()
            .enumerate()
            .map(|(i, (net, propagated, from_list))| Entry { net: *net, route: RouteId(i as u32), propagated: *propagated, from_list: *from_list })
            .collect();
        let idx = TableIndex::from_entries(entries.clone());
        let got = match idx.lookup(None, Family::Ipv4, &Addr::Net(dest, None)) {
            Lookup::Route(r) => Some(r),
            Lookup::NoRoute => None,
            Lookup::Unknown(r) => panic!("unexpected unknown: {r}"),
        };
        let want = naive_lookup(&entries, &dest);
        // Equal-preference duplicates may pick either route; they must share the prefix.
        match (got, want) {
            (Some(g), Some(w)) => {
                let (ge, we) = (&entries[g.index()], &entries[w.index()]);
                prop_assert_eq!((ge.net, ge.propagated, ge.from_list), (we.net, we.propagated, we.from_list));
            }
            (g, w) => prop_assert_eq!(g, w),
        }
    }
}

fn arb_protocol() -> impl Strategy<Value = Protocol> {
    prop_oneof![
        Just(Protocol::All),
        Just(Protocol::Tcp),
        Just(Protocol::Udp),
        Just(Protocol::Icmp),
        Just(Protocol::Icmpv6),
        Just(Protocol::Number(6)),
        Just(Protocol::Number(47)),
    ]
}

fn arb_rule() -> impl Strategy<Value = NaclRule> {
    (
        1u32..50,
        any::<bool>(),
        arb_protocol(),
        0u16..2000,
        0u16..2000,
        arb_net(),
        (arb_icmp_part(), arb_icmp_part(), 0u8..5),
    )
        .prop_map(
            |(n, allow, protocol, a, b, net, (icmp_type, icmp_code, unknown))| NaclRule {
                address: format!("rule{n}"),
                action: Action::Create,
                rule_number: n * 10,
                allow,
                protocol,
                ports: PortRange {
                    from: a.min(b),
                    to: a.max(b),
                },
                icmp: IcmpMatch {
                    icmp_type,
                    icmp_code,
                },
                cidr: match net {
                    IpNet::V4(n) => AnyBlock::V4(Block::Known(n)),
                    IpNet::V6(n) => AnyBlock::V6(Block::Known(n)),
                },
                // One rule in five has a part known only after apply.
                unknown: (unknown == 0).then(|| format!("rule{n}'s ports are unknown")),
            },
        )
}

/// Whether an IPv4 NACL rule matches one flow, written out case by case.
fn naive_matches(r: &NaclRule, flow: Flow) -> bool {
    let port_ok = |p: u16| r.ports.from <= p && p <= r.ports.to;
    match (r.protocol, flow) {
        (Protocol::All, _) => true,
        (Protocol::Tcp | Protocol::Number(6), Flow::Tcp(p)) => port_ok(p),
        (Protocol::Udp | Protocol::Number(17), Flow::Udp(p)) => port_ok(p),
        (Protocol::Icmp | Protocol::Number(1), Flow::Icmp(k)) => {
            let (t, c) = ((k >> 8) as u8, (k & 0xff) as u8);
            // Type -1 is every type, whatever the code says.
            match r.icmp.icmp_type {
                None => true,
                Some(x) => x == t && r.icmp.icmp_code.map_or(true, |y| y == c),
            }
        }
        _ => false,
    }
}

/// An ICMP type or code of a rule: any (`-1`), or one of a few values flows use.
fn arb_icmp_part() -> impl Strategy<Value = Option<u8>> {
    prop_oneof![Just(None), Just(Some(0)), Just(Some(3)), Just(Some(8))]
}

fn arb_flow() -> impl Strategy<Value = Flow> {
    prop_oneof![
        (0u16..2100).prop_map(Flow::Tcp),
        (0u16..2100).prop_map(Flow::Udp),
        (
            prop::sample::select(vec![0u8, 3, 8, 11]),
            prop::sample::select(vec![0u8, 3, 4])
        )
            .prop_map(|(t, c)| Flow::Icmp(icmp_key(t, c))),
        Just(Flow::Other),
    ]
}

proptest! {
    #[test]
    fn nacl_sets_match_first_match_per_flow(
        rules in prop::collection::vec(arb_rule(), 0..12),
        remote in arb_net(),
        flows in prop::collection::vec(arb_flow(), 1..20),
    ) {
        let mut rules = rules;
        rules.sort_by_key(|r| r.rule_number);
        rules.dedup_by_key(|r| r.rule_number);
        let nacl = Nacl {
            meta: Meta { address: "aws_network_acl.x".into(), action: Action::Create, id: None, tags: Default::default() },
            vpc: Link::None,
            is_default: false,
            synthesized: false,
            ingress: rules.clone(),
            egress: Vec::new(),
        };
        let remote = Addr::Net(remote, None);
        let set = evaluate(&nacl, &[], Direction::Ingress, Family::Ipv4, &remote);
        for flow in flows {
            // Naive: walk the rules in order for this one flow. A rule whose match is not
            // known decides it as undecided.
            let first = rules.iter().find(|r| {
                naive_matches(r, flow)
                    && match &r.cidr { AnyBlock::V4(Block::Known(n)) => IpNet::V4(*n).contains(match &remote { Addr::Net(n, _) => n, _ => unreachable!() }), _ => false }
            });
            let naive = first.is_some_and(|r| r.allow && r.unknown.is_none());
            let undecided = first.is_some_and(|r| r.unknown.is_some());
            prop_assert_eq!(set.allowed.contains(flow), naive, "flow {:?}", flow);
            prop_assert_eq!(set.undecided.contains(flow), undecided, "flow {:?}", flow);
            let d = decide(&nacl, &[], Direction::Ingress, Family::Ipv4, &remote, flow);
            prop_assert_eq!(matches!(d, Decision::Allow(_)), naive);
            prop_assert_eq!(matches!(d, Decision::Undecided(..)), undecided);
        }
        // Egress is empty: implicit deny for everything.
        prop_assert!(evaluate(&nacl, &[], Direction::Egress, Family::Ipv4, &remote).allowed.is_empty());
    }
}
