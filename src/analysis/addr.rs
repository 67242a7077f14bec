//! What the engine knows about an address a packet carries: a known block, a block the
//! plan does not know yet (with whatever structure says about it), or "any public address".
//!
//! This module decides only containment — whether a rule's or a route's CIDR certainly,
//! never, or perhaps covers such an address; it does not know routes or filters.

use std::sync::Arc;

use ipnet::IpNet;

use crate::model::{AnyBlock, Block, Family, SubnetId, VpcId};

/// One end of a packet, as filters and routes see it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Addr {
    /// A known block (a subnet's CIDR, an on-premises CIDR), with the subnet whose block it
    /// is, if it is one.
    Net(IpNet, Option<Owner>),
    /// A block unknown at plan time. `inside` lists the blocks it certainly lies in (its
    /// VPC's blocks of the family, when known); `len` its prefix length when known.
    Within {
        inside: Arc<[IpNet]>,
        len: Option<u8>,
        /// The VPC whose block it lies in, when structure says so.
        vpc: Option<VpcId>,
        /// The subnet whose block it is: a block inside other subnets of its VPC never
        /// covers it.
        subnet: Option<SubnetId>,
        /// VPCs whose blocks never overlap it: those its VPC is peered with (AWS refuses,
        /// or fails, a peering between VPCs with overlapping IPv4 or IPv6 blocks).
        apart: Arc<[VpcId]>,
        /// For an address inside a VPC whose IPv6 blocks are all Amazon-provided: per VPC,
        /// whether its IPv6 blocks are too. Amazon's blocks of two VPCs never overlap.
        amazon: Option<Arc<[bool]>>,
        reason: Arc<str>,
    },
    /// Any public address: the internet, or an AWS service's public ranges.
    Public,
}

/// The subnet a known block is the block of.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Owner {
    pub vpc: VpcId,
    pub subnet: SubnetId,
    /// VPCs whose blocks never overlap it: those its VPC is peered with.
    pub apart: Arc<[VpcId]>,
}

/// Whether a CIDR covers an address.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Cover {
    Yes,
    No,
    /// Depends on a value unknown at plan time; the reason names it (shared: a walk asks
    /// about the same unknown address once per route and rule it meets).
    Maybe(Arc<str>),
}

pub fn overlaps(a: &IpNet, b: &IpNet) -> bool {
    a.contains(b) || b.contains(a)
}

impl Addr {
    /// Whether `cidr` covers the whole address. A CIDR strictly inside a known block covers
    /// only part of it and counts as not covering it (subnet-level verdicts speak for the
    /// whole block).
    pub fn covered_by(&self, cidr: &IpNet) -> Cover {
        match self {
            Addr::Net(n, _) => {
                if cidr.contains(n) {
                    Cover::Yes
                } else {
                    Cover::No
                }
            }
            Addr::Public => {
                if covers_internet(cidr) {
                    Cover::Yes
                } else {
                    Cover::No
                }
            }
            Addr::Within {
                inside,
                len,
                reason,
                ..
            } => {
                if cidr.prefix_len() == 0 {
                    return Cover::Yes;
                }
                if let Some(l) = len {
                    if cidr.prefix_len() > *l {
                        return Cover::No;
                    }
                }
                if !inside.is_empty() {
                    if inside.iter().all(|b| cidr.contains(b)) {
                        return Cover::Yes;
                    }
                    if inside.iter().all(|b| !overlaps(b, cidr)) {
                        return Cover::No;
                    }
                }
                Cover::Maybe(reason.clone())
            }
        }
    }

    /// Whether the address certainly lies outside every block of VPC `v` (see
    /// [`Addr::Within`]'s `apart` and `amazon`).
    pub fn apart_from(&self, v: VpcId) -> bool {
        match self {
            Addr::Net(_, Some(o)) => o.apart.contains(&v),
            Addr::Within {
                apart, amazon, vpc, ..
            } => {
                apart.contains(&v)
                    || (*vpc != Some(v)
                        && amazon
                            .as_ref()
                            .is_some_and(|a| a.get(v.index()) == Some(&true)))
            }
            _ => false,
        }
    }

    /// Whether the address certainly lies outside a block that structure places inside
    /// subnets `inside` of VPC `vpc`: the address is another subnet's of that VPC (subnets
    /// of one VPC never overlap).
    pub fn apart_from_subnets(&self, vpc: Option<VpcId>, inside: &[SubnetId]) -> bool {
        let (v, s) = match self {
            Addr::Within {
                vpc: Some(v),
                subnet: Some(s),
                ..
            } => (*v, *s),
            Addr::Net(_, Some(o)) => (o.vpc, o.subnet),
            _ => return false,
        };
        !inside.is_empty() && vpc == Some(v) && !inside.contains(&s)
    }

    /// Whether a model block (perhaps unknown) of the given family covers the address.
    pub fn covered_by_block(&self, block: &AnyBlock, family: Family) -> Cover {
        if block.family() != family {
            return Cover::No;
        }
        match known_net(block) {
            Some(n) => self.covered_by(&n),
            None => match block {
                // A block inside a VPC's never covers the whole internet (only `/0` does).
                AnyBlock::V4(Block::Unknown(u)) | AnyBlock::V6(Block::Unknown(u))
                    if u.inside_vpc.is_some() && *self == Addr::Public =>
                {
                    Cover::No
                }
                // A block inside a VPC peered with the address's never covers it, nor one
                // inside other subnets of the address's VPC.
                AnyBlock::V4(Block::Unknown(u)) | AnyBlock::V6(Block::Unknown(u))
                    if u.inside_vpc.is_some_and(|v| self.apart_from(v))
                        || self.apart_from_subnets(u.inside_vpc, &u.inside_subnets) =>
                {
                    Cover::No
                }
                AnyBlock::V4(Block::Unknown(u)) | AnyBlock::V6(Block::Unknown(u)) => {
                    Cover::Maybe(Arc::from(u.reason.as_str()))
                }
                _ => Cover::Maybe(Arc::from("a CIDR is known only after apply")),
            },
        }
    }
}

/// IPv6's global unicast block, where every public IPv6 address is (RFC 4291, IANA).
const GLOBAL_UNICAST: ipnet::Ipv6Net =
    match ipnet::Ipv6Net::new(std::net::Ipv6Addr::new(0x2000, 0, 0, 0, 0, 0, 0, 0), 3) {
        Ok(n) => n,
        Err(_) => panic!("a valid prefix length"),
    };

/// IPv4 blocks that are never an internet host's address (RFC 6890: "this network",
/// private, shared, loopback, link-local, multicast and reserved). Sorted.
const NOT_INTERNET_V4: &[(u32, u32)] = &[
    (0x0000_0000, 0x00ff_ffff), // 0.0.0.0/8
    (0x0a00_0000, 0x0aff_ffff), // 10.0.0.0/8
    (0x6440_0000, 0x647f_ffff), // 100.64.0.0/10
    (0x7f00_0000, 0x7fff_ffff), // 127.0.0.0/8
    (0xa9fe_0000, 0xa9fe_ffff), // 169.254.0.0/16
    (0xac10_0000, 0xac1f_ffff), // 172.16.0.0/12
    (0xc0a8_0000, 0xc0a8_ffff), // 192.168.0.0/16
    (0xe000_0000, 0xffff_ffff), // 224.0.0.0/3
];

/// Whether one CIDR covers every internet address: `0.0.0.0/0`, or an IPv6 block holding
/// all of global unicast (`::/0`, `2000::/3`).
pub fn covers_internet(cidr: &IpNet) -> bool {
    match cidr {
        IpNet::V4(n) => n.prefix_len() == 0,
        IpNet::V6(n) => n.contains(&GLOBAL_UNICAST),
    }
}

/// Whether CIDRs of one family cover every internet address together (`0.0.0.0/1` and
/// `128.0.0.0/1`; every public range but the private ones; `2000::/4` and `3000::/4`).
pub fn together_cover_internet(nets: &[IpNet]) -> bool {
    if nets.iter().any(covers_internet) {
        return true;
    }
    let mut v4: Vec<(u32, u32)> = Vec::new();
    let mut v6: Vec<(u128, u128)> = Vec::new();
    for n in nets {
        match n {
            IpNet::V4(n) => v4.push((u32::from(n.network()), u32::from(n.broadcast()))),
            IpNet::V6(n) => v6.push((u128::from(n.network()), u128::from(n.broadcast()))),
        }
    }
    let g = (
        u128::from(GLOBAL_UNICAST.network()),
        u128::from(GLOBAL_UNICAST.broadcast()),
    );
    // The internet: IPv4 but the blocks above; IPv6's global unicast.
    let mut want4: Vec<(u32, u32)> = Vec::new();
    let mut next: u32 = 0;
    for &(lo, hi) in NOT_INTERNET_V4 {
        if lo > next {
            want4.push((next, lo - 1));
        }
        next = hi.saturating_add(1);
    }
    (!v4.is_empty() && covered(&mut v4, &want4)) || (!v6.is_empty() && covered(&mut v6, &[g]))
}

/// Whether the union of closed intervals `have` covers every interval of `want`.
fn covered<T: Copy + Ord + Next>(have: &mut [(T, T)], want: &[(T, T)]) -> bool {
    have.sort_unstable();
    want.iter().all(|&(lo, hi)| {
        // The first point of [lo, hi] not covered yet.
        let mut at = lo;
        for &(a, b) in have.iter() {
            if b < at {
                continue;
            }
            if a > at {
                return false;
            }
            if b >= hi {
                return true;
            }
            at = b.next();
        }
        false
    })
}

/// The next integer (a caller never asks past the largest: it stops there).
trait Next {
    fn next(self) -> Self;
}

impl Next for u32 {
    fn next(self) -> Self {
        self.saturating_add(1)
    }
}

impl Next for u128 {
    fn next(self) -> Self {
        self.saturating_add(1)
    }
}

/// The known CIDR of a block, as an `IpNet`.
pub fn known_net(block: &AnyBlock) -> Option<IpNet> {
    match block {
        AnyBlock::V4(Block::Known(n)) => Some(IpNet::V4(*n)),
        AnyBlock::V6(Block::Known(n)) => Some(IpNet::V6(*n)),
        _ => None,
    }
}

/// The family of an `IpNet`.
pub fn family_of(n: &IpNet) -> Family {
    match n {
        IpNet::V4(_) => Family::Ipv4,
        IpNet::V6(_) => Family::Ipv6,
    }
}

/// Private and link-local space, for telling "the internet" from internal ranges.
pub fn is_private(n: &IpNet) -> bool {
    const V4: [&str; 5] = [
        "10.0.0.0/8",
        "172.16.0.0/12",
        "192.168.0.0/16",
        "100.64.0.0/10",
        "169.254.0.0/16",
    ];
    const V6: [&str; 2] = ["fc00::/7", "fe80::/10"];
    let list: &[&str] = match n {
        IpNet::V4(_) => &V4,
        IpNet::V6(_) => &V6,
    };
    list.iter()
        .filter_map(|s| s.parse::<IpNet>().ok())
        .any(|p| p.contains(n))
}

#[cfg(test)]
mod internet_tests {
    #![allow(clippy::expect_used)]
    use super::*;

    fn nets(list: &[&str]) -> Vec<IpNet> {
        list.iter().map(|s| s.parse().expect("a CIDR")).collect()
    }

    #[test]
    fn the_internet_is_covered_by_its_parts_together() {
        assert!(covers_internet(&"0.0.0.0/0".parse().expect("CIDR")));
        assert!(covers_internet(&"2000::/3".parse().expect("CIDR")));
        assert!(covers_internet(&"::/0".parse().expect("CIDR")));
        assert!(!covers_internet(&"2600::/12".parse().expect("CIDR")));
        assert!(!covers_internet(&"0.0.0.0/1".parse().expect("CIDR")));
        assert!(together_cover_internet(&nets(&[
            "0.0.0.0/1",
            "128.0.0.0/1"
        ])));
        assert!(!together_cover_internet(&nets(&[
            "0.0.0.0/1",
            "128.0.0.0/2"
        ])));
        assert!(together_cover_internet(&nets(&["2000::/4", "3000::/4"])));
        assert!(!together_cover_internet(&nets(&["2000::/4", "3000::/5"])));
        // Every public range, the private ones left out.
        assert!(together_cover_internet(&nets(&[
            "1.0.0.0/8",
            "2.0.0.0/7",
            "4.0.0.0/6",
            "8.0.0.0/7",
            "11.0.0.0/8",
            "12.0.0.0/6",
            "16.0.0.0/4",
            "32.0.0.0/3",
            "64.0.0.0/3",
            "96.0.0.0/6",
            "100.0.0.0/10",
            "100.128.0.0/9",
            "101.0.0.0/8",
            "102.0.0.0/7",
            "104.0.0.0/5",
            "112.0.0.0/5",
            "120.0.0.0/6",
            "124.0.0.0/7",
            "126.0.0.0/8",
            "128.0.0.0/3",
            "160.0.0.0/5",
            "168.0.0.0/8",
            "169.0.0.0/9",
            "169.128.0.0/10",
            "169.192.0.0/11",
            "169.224.0.0/12",
            "169.240.0.0/13",
            "169.248.0.0/14",
            "169.252.0.0/15",
            "169.255.0.0/16",
            "170.0.0.0/7",
            "172.0.0.0/12",
            "172.32.0.0/11",
            "172.64.0.0/10",
            "172.128.0.0/9",
            "173.0.0.0/8",
            "174.0.0.0/7",
            "176.0.0.0/4",
            "192.0.0.0/9",
            "192.128.0.0/11",
            "192.160.0.0/13",
            "192.169.0.0/16",
            "192.170.0.0/15",
            "192.172.0.0/14",
            "192.176.0.0/12",
            "192.192.0.0/10",
            "193.0.0.0/8",
            "194.0.0.0/7",
            "196.0.0.0/6",
            "200.0.0.0/5",
            "208.0.0.0/4",
        ])));
        // One family's parts say nothing of the other's.
        assert!(!together_cover_internet(&nets(&["0.0.0.0/1", "2000::/4"])));
    }
}
