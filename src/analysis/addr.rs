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
                if cidr.prefix_len() == 0 {
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
