//! The path walker: follows one packet from a subnet through route tables and targets
//! (gateways, NAT, appliances, transit gateways, peerings, endpoints) to its destination,
//! recording the hops and the NACL crossings; then evaluates the crossings both ways.
//!
//! It reads precomputed indexes ([`Engine`]) and produces strings only for the hops of the
//! paths it walks. It never looks at security groups (see `sg.rs`) and never decides which
//! pairs to ask about (see `engine.rs`).

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::{Arc, Mutex, OnceLock};

use ipnet::IpNet;
use rayon::prelude::*;

use super::bpa::{Gate, Way};
use crate::analysis::addr::{known_net, Addr, Cover, Owner};
use crate::analysis::lpm::{Lookup, TableIndex};
use crate::analysis::nacl::{self, Decision, Direction};
use crate::analysis::ports::{Flow, Flows};
use crate::analysis::{DropKind, Name};
use crate::model::{
    AnyBlock, Block, EndpointId, EndpointKind, Family, GatewayId, GatewayKind, Link, Model, NaclId,
    NatConnectivity, PublicIpv4, RouteTableId, SubnetId, Target, TgwAttachmentId,
    TgwAttachmentKind, TgwRouteTableId, TransitGatewayId, UnplacedTgw, UnplacedTgwKind, Val, VpcId,
    VpnConnectionId,
};

/// Notes on the last notable hop (the internet gateway) that the Block Public Access
/// exclusion `e` lets the traffic through.
pub fn exempt(via: &mut [String], e: &str) {
    if let Some(last) = via.last_mut() {
        last.push_str(&format!(
            " (exempt from Block Public Access by {})",
            tick(e)
        ));
    }
}

/// The reason AWS gives for IPv4 over an internet gateway without a public address.
pub const NO_PUBLIC_IPV4: &str =
    "only instances launched with a public IPv4 can use this route; none is auto-assigned";

const MAX_STEPS: usize = 12;

/// Where a packet is going.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Dest {
    Subnet(SubnetId),
    Internet,
    Service(String),
    Onprem(VpnConnectionId, IpNet),
}

/// One NACL a packet crosses, with the far end as the rules see it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Crossing {
    pub nacl: NaclId,
    /// The direction of the request; replies cross the other way.
    pub dir: Direction,
    pub remote: Addr,
    /// Index of the hop (in `Walk::hops`) that names this NACL or its subnet.
    pub hop: usize,
    pub legs: Legs,
}

/// Which ways a NACL crossing filters. Most filter the request and, the other way, its
/// replies. At the subnet of a transit gateway attachment, AWS evaluates some rules one way
/// only: traffic from instances to the transit gateway in that same subnet meets both of
/// the subnet's rule lists, traffic from the transit gateway to them meets neither.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Legs {
    Both,
    /// The request only: replies do not meet these rules.
    Request,
    /// The replies only (evaluated in the direction opposite to `dir`).
    Reply,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum End {
    Arrived,
    Blocked {
        by: String,
        reason: String,
        kind: DropKind,
    },
    Unknown {
        reason: String,
    },
}

/// The hops of a walk.
pub type Hops = smallvec::SmallVec<[Name; 8]>;

/// One walk from a subnet to a destination.
#[derive(Clone, Debug)]
pub struct Walk {
    /// Inline up to a typical walk's length: most walks then allocate nothing for their
    /// hops (a return walk's hops are read only when it is blocked).
    pub hops: Hops,
    pub crossings: Vec<Crossing>,
    pub end: End,
    /// The subnet the destination sees as the source (the NAT's subnet after NAT).
    pub src: SubnetId,
    /// The NAT (gateway or instance) on the way, by address.
    pub nat: Option<Name>,
    /// The last internet-facing gateway used, with its kind and VPC.
    pub exit: Option<(GatewayKind, GatewayId)>,
    /// Notable hops for the one-sentence reason.
    pub via: Vec<String>,
    /// The middleboxes passed, in order: a stateful one must see the replies too.
    pub passed: Vec<Passed>,
    /// Each transit gateway crossed, in order: the gateway, the attachment the packet
    /// entered it by and the one it left by.
    pub tgw: Vec<(TransitGatewayId, TgwAttachmentId, TgwAttachmentId)>,
    /// The VPC peering connection crossed.
    pub peering: Option<crate::model::PeeringId>,
    /// A NAT gateway the walk reached whose subnet is not known: the walk ends `unknown`
    /// there, but what it sends is translated all the same (replies to the internet that
    /// go there never complete a connection from it).
    pub nat_unplaced: Option<Name>,
}

impl Walk {
    /// A walk that starts at `from`, has gone nowhere yet, and has arrived.
    pub fn new(from: SubnetId) -> Walk {
        Walk {
            hops: Hops::new(),
            crossings: Vec::new(),
            end: End::Arrived,
            src: from,
            nat: None,
            exit: None,
            via: Vec::new(),
            passed: Vec::new(),
            tgw: Vec::new(),
            peering: None,
            nat_unplaced: None,
        }
    }
}

/// A middlebox a walk passed through: an AWS Network Firewall endpoint, a Gateway Load
/// Balancer endpoint, or an instance forwarding traffic (source/destination check off).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Passed {
    pub boxed: Middlebox,
    /// The firewall, endpoint or instance, as its hop names it.
    pub name: Name,
    /// The subnet it sits in (an endpoint's, per Availability Zone).
    pub subnet: SubnetId,
    /// An AWS Network Firewall endpoint: stateful, and documented not to support
    /// asymmetric routing.
    pub network_firewall: bool,
    /// The transit gateway attachment by which the walk entered the middlebox's VPC.
    pub entered: Option<TgwAttachmentId>,
    /// Passed after a NAT on the way (so on the part of the path the NAT's replies take).
    pub after_nat: bool,
}

/// Which middlebox: an endpoint in one of its subnets, or an instance.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Middlebox {
    Endpoint(EndpointId, SubnetId),
    Workload(crate::model::WorkloadId),
}

/// Per-model indexes, built once.
pub struct Engine<'m> {
    pub m: &'m Model,
    pub tables: Vec<TableIndex>,
    pub tgw_tables: Vec<TgwIndex>,
    pub subnet_public: Vec<bool>,
    /// Per attachment: the TGW route table it is associated with.
    pub tgw_assoc: Vec<Option<TgwRouteTableId>>,
    /// The table of its peer gateway each peering attachment is associated with there.
    pub tgw_peer_assoc: Vec<Option<TgwRouteTableId>>,
    /// Per transit gateway: why an attachment associated with none of its tables may still
    /// be, when an association with one of them names an attachment not known at plan time
    /// (the first such association, in model order).
    pub tgw_unsure_assoc: Vec<Option<String>>,
    /// Per attachment: why it may be associated with a route table after all, when an
    /// association whose table is not known names it ([`Model::unplaced_tgw`]).
    tgw_att_unsure_assoc: Vec<Option<String>>,
    /// Per VPN connection: its TGW attachment.
    pub vpn_attachment: Vec<Option<TgwAttachmentId>>,
    /// Per VPC: its first internet gateway, in model order.
    pub internet_gateway: Vec<Option<GatewayId>>,
    /// Per VPC: its first egress-only internet gateway, in model order.
    pub egress_gateway: Vec<Option<GatewayId>>,
    /// Why a VPC without a known internet gateway may still have one: an internet gateway
    /// whose VPC is not known (the first, in model order).
    pub unsure_internet_gateway: Option<String>,
    /// TGW VPC attachments whose VPC or transit gateway is not known.
    unsure_vpc_attachments: Vec<UnsureAttachment>,
    /// Per gateway: the first route table edge-associated with it.
    pub edge_table: Vec<Option<RouteTableId>>,
    /// Per gateway without an edge table: a table that may be edge-associated with it (an
    /// edge association of a table of its VPC names a gateway not known at plan time), and
    /// why.
    pub unsure_edge: Vec<Option<(RouteTableId, String)>>,
    /// Per VPC: its interface endpoints with at least one subnet, in model order (an
    /// endpoint whose VPC is not known is in its subnets' VPC).
    pub interface_endpoints: Vec<Vec<EndpointId>>,
    /// Interface endpoints with no known subnet, one of which is not known at plan time:
    /// the VPC they are in (`None`: that is not known either, any VPC), and why.
    pub unsure_interface_endpoints: Vec<(EndpointId, Option<VpcId>, String)>,
    /// The first VPC attachment of a VPC to a transit gateway.
    vpc_attachments: HashMap<(VpcId, TransitGatewayId), TgwAttachmentId>,
    /// Per NACL: evaluations already made, by direction, family and known remote address.
    nacl_cache: Vec<Mutex<NaclCache>>,
    /// Per NACL, direction and family: the evaluation for a public remote address.
    nacl_public: Vec<[OnceLock<Arc<NaclEval>>; 4]>,
    /// Per subnet: its IPv4 and IPv6 blocks as addresses, made once.
    subnet_blocks: Vec<[Option<Addr>; 2]>,
    /// The names a walk records as hops, made once and shared by every answer.
    pub names: Names<'m>,
    /// Per subnet: what VPC Block Public Access lets through; empty when the model has no
    /// BPA options.
    bpa: Vec<super::bpa::SubnetGates>,
    /// The VGW propagations whose route table is not known
    /// ([`Model::unplaced_vgw_propagations`], by position), by gateway (`None`: not known),
    /// in model order.
    vgw_maybe: HashMap<Option<GatewayId>, Vec<usize>>,
    /// The connection routes whose connection is not known ([`Model::unplaced_vpn_routes`],
    /// by position) that may be each connection's: those naming it, and (under `None`)
    /// those that may be any static connection's; in model order, the first of each CIDR
    /// only (all to the same CIDR lead the same way).
    vpn_maybe: HashMap<Option<VpnConnectionId>, Vec<usize>>,
}

/// [`Engine::vgw_maybe`].
fn vgw_maybe(m: &Model) -> HashMap<Option<GatewayId>, Vec<usize>> {
    let mut out: HashMap<Option<GatewayId>, Vec<usize>> = HashMap::new();
    for (k, u) in m.unplaced_vgw_propagations.iter().enumerate() {
        match &u.gateway {
            Link::To(g, _) => out.entry(Some(*g)).or_default().push(k),
            Link::Unresolved(_) => out.entry(None).or_default().push(k),
            Link::External(_) | Link::None => {}
        }
    }
    out
}

/// [`Engine::vpn_maybe`].
fn vpn_maybe(m: &Model) -> HashMap<Option<VpnConnectionId>, Vec<usize>> {
    let mut out: HashMap<Option<VpnConnectionId>, Vec<usize>> = HashMap::new();
    let mut seen: std::collections::HashSet<(
        Option<VpnConnectionId>,
        Option<crate::model::Ipv4Net>,
    )> = std::collections::HashSet::new();
    for (k, u) in m.unplaced_vpn_routes.iter().enumerate() {
        let net = match &u.block {
            Block::Known(n) => Some(*n),
            Block::Unknown(_) => None,
        };
        let of: Vec<Option<VpnConnectionId>> = if u.among.is_empty() {
            vec![None]
        } else {
            u.among.iter().copied().map(Some).collect()
        };
        for v in of {
            if seen.insert((v, net)) {
                out.entry(v).or_default().push(k);
            }
        }
    }
    out
}

/// Per VPC, the VPCs it is peered with, whose blocks never overlap its own: AWS refuses (or
/// fails) a peering between VPCs with overlapping IPv4 or IPv6 blocks.
fn peered_vpcs(m: &Model) -> Vec<Arc<[VpcId]>> {
    let mut peers: Vec<Vec<VpcId>> = vec![Vec::new(); m.vpcs.len()];
    for p in &m.peerings {
        if let (Some(a), Some(b)) = (p.requester.id(), p.accepter.id()) {
            if a == b {
                continue;
            }
            for (x, y) in [(a, b), (b, a)] {
                if let Some(list) = peers.get_mut(x.index()) {
                    list.push(y);
                }
            }
        }
    }
    peers
        .into_iter()
        .map(|mut l| {
            l.sort_unstable();
            l.dedup();
            Arc::from(l)
        })
        .collect()
}

/// Per VPC, whether all its IPv6 blocks are Amazon-provided (and not known yet: known ones
/// are compared as they are); `None` when no VPC's are.
fn amazon_ipv6_vpcs(m: &Model) -> Option<Arc<[bool]>> {
    let flags: Vec<bool> = m
        .vpcs
        .iter()
        .map(|v| {
            !v.ipv6.is_empty()
                && v.ipv6
                    .iter()
                    .all(|b| matches!(&b.block, Block::Unknown(u) if u.amazon_ipv6))
        })
        .collect();
    flags.contains(&true).then(|| Arc::from(flags))
}

/// What tells VPCs' blocks apart: per VPC, those peered with it ([`peered_vpcs`]); which
/// VPCs' IPv6 blocks are Amazon's ([`amazon_ipv6_vpcs`]).
struct Apart {
    peers: Vec<Arc<[VpcId]>>,
    amazon: Option<Arc<[bool]>>,
}

/// The block of a subnet as an address, when it has the family ([`Engine::subnet_block`]
/// keeps them).
fn block_addr(
    m: &Model,
    id: SubnetId,
    sub: &crate::model::Subnet,
    family: Family,
    Apart { peers, amazon }: &Apart,
) -> Option<Addr> {
    let vpc_blocks = |f: Family| -> Vec<IpNet> {
        let Some(v) = sub.vpc.id() else {
            return Vec::new();
        };
        let vpc = m.vpc(v);
        let mut out = Vec::new();
        match f {
            Family::Ipv4 => {
                for b in &vpc.ipv4 {
                    match &b.block {
                        Block::Known(n) => out.push(IpNet::V4(*n)),
                        Block::Unknown(_) => return Vec::new(),
                    }
                }
            }
            Family::Ipv6 => {
                for b in &vpc.ipv6 {
                    match &b.block {
                        Block::Known(n) => out.push(IpNet::V6(*n)),
                        Block::Unknown(_) => return Vec::new(),
                    }
                }
            }
        }
        out
    };
    let owner = || {
        sub.vpc.id().map(|v| Owner {
            vpc: v,
            subnet: id,
            apart: peers
                .get(v.index())
                .cloned()
                .unwrap_or_else(|| Arc::from([])),
        })
    };
    let u = match family {
        Family::Ipv4 => match sub.ipv4.as_ref()? {
            Block::Known(n) => return Some(Addr::Net(IpNet::V4(*n), owner())),
            Block::Unknown(u) => u,
        },
        Family::Ipv6 => match sub.ipv6.as_ref()? {
            Block::Known(n) => return Some(Addr::Net(IpNet::V6(*n), owner())),
            Block::Unknown(u) => u,
        },
    };
    Some(Addr::Within {
        inside: if u.inside_vpc.is_some() {
            vpc_blocks(family).into()
        } else {
            Arc::from([])
        },
        len: u.prefix_len,
        vpc: u.inside_vpc,
        subnet: Some(id),
        apart: u
            .inside_vpc
            .and_then(|v| peers.get(v.index()).cloned())
            .unwrap_or_else(|| Arc::from([])),
        amazon: match (family, u.inside_vpc, amazon) {
            (Family::Ipv6, Some(v), Some(a)) if a.get(v.index()) == Some(&true) => Some(a.clone()),
            _ => None,
        },
        reason: Arc::from(u.reason.as_str()),
    })
}

/// The endpoint name of the internet.
pub const INTERNET: &str = "internet";

/// The name of every object of a model a walk can pass, by id, and of the internet; and
/// all of them by address, for names a walk has only as text (the hop that drops).
pub struct Names<'m> {
    pub subnets: Vec<Name>,
    pub route_tables: Vec<Name>,
    pub gateways: Vec<Name>,
    pub nat_gateways: Vec<Name>,
    pub workloads: Vec<Name>,
    pub transit_gateways: Vec<Name>,
    pub tgw_attachments: Vec<Name>,
    pub tgw_route_tables: Vec<Name>,
    pub peerings: Vec<Name>,
    pub endpoints: Vec<Name>,
    pub nacls: Vec<Name>,
    pub internet: Name,
    by_address: HashMap<&'m str, Name, BuildHasherDefault<FxHasher>>,
}

impl<'m> Names<'m> {
    fn new(m: &'m Model) -> Names<'m> {
        fn of<T>(items: &[T], meta: fn(&T) -> &crate::model::Meta) -> Vec<Name> {
            items
                .iter()
                .map(|x| Name::from(meta(x).address.as_str()))
                .collect()
        }
        let mut n = Names {
            subnets: of(&m.subnets, |x| &x.meta),
            route_tables: of(&m.route_tables, |x| &x.meta),
            gateways: of(&m.gateways, |x| &x.meta),
            nat_gateways: of(&m.nat_gateways, |x| &x.meta),
            workloads: of(&m.workloads, |x| &x.meta),
            transit_gateways: of(&m.transit_gateways, |x| &x.meta),
            tgw_attachments: of(&m.tgw_attachments, |x| &x.meta),
            tgw_route_tables: of(&m.tgw_route_tables, |x| &x.meta),
            peerings: of(&m.peerings, |x| &x.meta),
            endpoints: of(&m.endpoints, |x| &x.meta),
            nacls: of(&m.nacls, |x| &x.meta),
            internet: Name::from(INTERNET),
            by_address: HashMap::default(),
        };
        let all = [
            &n.subnets,
            &n.route_tables,
            &n.gateways,
            &n.nat_gateways,
            &n.workloads,
            &n.transit_gateways,
            &n.tgw_attachments,
            &n.tgw_route_tables,
            &n.peerings,
            &n.endpoints,
            &n.nacls,
        ];
        let mut by_address: HashMap<&'m str, Name, BuildHasherDefault<FxHasher>> =
            HashMap::default();
        by_address.reserve(all.iter().map(|v| v.len()).sum::<usize>() + 1);
        let metas = (m.subnets.iter().map(|x| &x.meta))
            .chain(m.route_tables.iter().map(|x| &x.meta))
            .chain(m.gateways.iter().map(|x| &x.meta))
            .chain(m.nat_gateways.iter().map(|x| &x.meta))
            .chain(m.workloads.iter().map(|x| &x.meta))
            .chain(m.transit_gateways.iter().map(|x| &x.meta))
            .chain(m.tgw_attachments.iter().map(|x| &x.meta))
            .chain(m.tgw_route_tables.iter().map(|x| &x.meta))
            .chain(m.peerings.iter().map(|x| &x.meta))
            .chain(m.endpoints.iter().map(|x| &x.meta))
            .chain(m.nacls.iter().map(|x| &x.meta));
        for (meta, name) in metas.zip(all.into_iter().flatten()) {
            by_address
                .entry(meta.address.as_str())
                .or_insert_with(|| name.clone());
        }
        by_address.insert(INTERNET, n.internet.clone());
        n.by_address = by_address;
        n
    }
}

/// `Engine` methods giving the shared name of an object a walk passes, by its id.
macro_rules! names_by_id {
    ($($f:ident: $id:ty => $list:ident, $get:ident;)*) => {$(
        pub fn $f(&self, x: $id) -> Name {
            at(&self.names.$list, x.index(), &self.m.$get(x).meta.address)
        }
    )*};
}

/// The name at `i` of a list of [`Names`] (a new one if the id is out of range, which a
/// model never makes).
fn at(list: &[Name], i: usize, fallback: &str) -> Name {
    match list.get(i) {
        Some(n) => n.clone(),
        None => Name::from(fallback),
    }
}

/// One NACL's evaluations by direction, family and remote address.
/// By direction, family, the remote block and the subnet whose block it is (a rule's block
/// known only after apply may be apart from one subnet's and not another's of the same
/// CIDR).
type NaclCache = HashMap<
    (Direction, Family, IpNet, Option<SubnetId>),
    Arc<NaclEval>,
    BuildHasherDefault<FxHasher>,
>;

/// The multiply-rotate hash of rustc (`FxHasher`): the cache keys are a few small integers,
/// for which SipHash's strength is wasted time.
#[derive(Default)]
pub struct FxHasher(u64);

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            for (d, b) in word.iter_mut().zip(chunk) {
                *d = *b;
            }
            self.write_u64(u64::from_le_bytes(word));
        }
    }
    fn write_u8(&mut self, i: u8) {
        self.write_u64(u64::from(i));
    }
    fn write_u32(&mut self, i: u32) {
        self.write_u64(u64::from(i));
    }
    fn write_u64(&mut self, i: u64) {
        self.0 = (self.0.rotate_left(5) ^ i).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
    fn write_usize(&mut self, i: usize) {
        self.write_u64(i as u64);
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

/// A NACL's verdict for one direction, family and remote address, with the flows that may
/// pass (allowed or undecided).
#[derive(Debug)]
pub struct NaclEval {
    pub verdict: nacl::NaclVerdict,
    pub maybe: Flows,
}

/// A TGW route table ready for lookups.
#[derive(Clone, Debug, Default)]
pub struct TgwIndex {
    /// (net, rank, target, declaring address), sorted longest first, then by rank: static
    /// routes before prefix list references before propagated routes, as AWS evaluates
    /// routes of the same destination ("Route evaluation order"); of each kind, the
    /// table's own before one that may be in it ([`Model::unplaced_tgw`]: two static
    /// routes of one destination cannot be in one table).
    entries: Vec<(IpNet, u8, TgwHop, String)>,
    /// VPN attachments propagating BGP-learned routes into the table.
    bgp: Vec<TgwAttachmentId>,
    /// VPN attachments that may propagate such routes into it (their propagation's table
    /// is not known), with why.
    bgp_unsure: Vec<(TgwAttachmentId, String)>,
    /// Why a destination no known route matches may still have one: the first reason
    /// (only it is told; the others are not even written).
    unknown: Option<String>,
    /// The same, for routes that cannot be a default route (a VPC's blocks, which a VPC
    /// attachment propagates): they leave the internet's lookup alone.
    unknown_specific: Option<String>,
}

/// Where a transit gateway route sends what it matches.
#[derive(Clone, Debug)]
enum TgwHop {
    Attach(TgwAttachmentId),
    Blackhole,
    /// A route whose attachment is not known, or that may not be in the table at all.
    Unknown(String),
}

enum TgwLookup {
    Attach(TgwAttachmentId),
    Blackhole(String),
    NoRoute,
    Unknown(String),
}

/// An address in backticks, as reasons quote it; formats in place, without allocating.
#[derive(Clone, Copy, Debug)]
pub struct Tick<'a>(&'a str);

impl std::fmt::Display for Tick<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("`")?;
        f.write_str(self.0)?;
        f.write_str("`")
    }
}

/// The services a gateway endpoint can serve (AWS: S3 and DynamoDB), by the names of
/// `Dest::Service`.
const GATEWAY_SERVICES: [&str; 2] = ["s3", "dynamodb"];

/// A TGW VPC attachment whose VPC or gateway is not known (`None` where not known).
struct UnsureAttachment {
    vpc: Option<VpcId>,
    tgw: Option<TransitGatewayId>,
    reason: String,
}

/// The reason of the first unresolved link in `links`.
fn unresolved_reason<I>(links: &[Link<I>]) -> Option<&str> {
    links.iter().find_map(|l| match l {
        Link::Unresolved(why) => Some(why.as_str()),
        _ => None,
    })
}

pub fn tick(a: &str) -> Tick<'_> {
    Tick(a)
}

/// [`tick`] as an owned string, allocated once at its length (`to_string` grows it piece
/// by piece; some are made once per answer).
pub fn ticked(a: &str) -> String {
    let mut s = String::with_capacity(a.len() + 2);
    s.push('`');
    s.push_str(a);
    s.push('`');
    s
}

fn blocked(by: &str, reason: String) -> End {
    End::Blocked {
        by: by.to_string(),
        kind: drop_kind_of(by, &reason),
        reason,
    }
}

/// The resource type of a Terraform address (`module.x.aws_subnet.a["k"]` → `aws_subnet`).
fn resource_type(address: &str) -> &str {
    let resource = address.rsplit("module.").next().unwrap_or(address);
    resource
        .split(['.', ' '])
        .find(|t| t.starts_with("aws_"))
        .unwrap_or("")
}

/// Whether `address` is an AWS Network Firewall (whose endpoints the model holds as GWLB
/// endpoints).
pub(crate) fn is_network_firewall(address: &str) -> bool {
    resource_type(address) == "aws_networkfirewall_firewall"
}

/// What kind of hop drops, told by the dropping object's resource type: route tables and
/// routes drop for want of a route (or into a blackhole), a transit gateway's replies for
/// want of a route back; anything else is a gateway, endpoint or attachment refusing to
/// carry the traffic.
fn drop_kind_of(by: &str, reason: &str) -> DropKind {
    let ty = resource_type(by);
    if reason.contains("blackhole") {
        DropKind::Blackhole
    } else if reason.starts_with("replies cannot return") {
        DropKind::ReturnRoute
    } else if by.ends_with("(main route table)")
        || matches!(
            ty,
            "aws_route_table"
                | "aws_default_route_table"
                | "aws_route"
                | "aws_ec2_transit_gateway_route_table"
                | "aws_ec2_transit_gateway_route"
        )
    {
        DropKind::Route
    } else {
        DropKind::Gateway
    }
}

impl<'m> Engine<'m> {
    pub fn new(m: &'m Model) -> Engine<'m> {
        // The large indexes (one per route table and per subnet, and the names) made on all
        // threads, beside the small ones below.
        let ((tables, subnet_blocks), names) = rayon::join(
            || {
                rayon::join(
                    || {
                        let unplaced = m.unplaced_routes();
                        // Endpoint associations whose endpoint is not known: per service, the
                        // first that may be in any table, and the first of each table.
                        type First = [Option<usize>; GATEWAY_SERVICES.len()];
                        let mut any_table: First = [None; GATEWAY_SERVICES.len()];
                        let mut by_table: HashMap<usize, First> = HashMap::default();
                        for (n, u) in m.unresolved_endpoint_routes.iter().enumerate() {
                            let first = match &u.table {
                                Link::To(id, _) => by_table.entry(id.index()).or_default(),
                                Link::Unresolved(_) => &mut any_table,
                                Link::External(_) | Link::None => continue,
                            };
                            for (f, svc) in first.iter_mut().zip(GATEWAY_SERVICES) {
                                if f.is_none() && u.may_serve(m, svc) {
                                    *f = Some(n);
                                }
                            }
                        }
                        m.route_tables
                            .par_iter()
                            .enumerate()
                            .map(|(this, t)| {
                                let mut index = TableIndex::build(m, &t.routes);
                                let vpc = t.vpc.id();
                                let here = unplaced.distinct_in(RouteTableId(this as u32), vpc);
                                index.add_unplaced(m, &t.meta.address, &here);
                                // Only the first that may be in this table is ever told.
                                let own = by_table.get(&this);
                                for (k, svc) in GATEWAY_SERVICES.iter().enumerate() {
                                    let first = [any_table.get(k), own.and_then(|o| o.get(k))]
                                        .into_iter()
                                        .flatten()
                                        .flatten()
                                        .min()
                                        .and_then(|u| m.unresolved_endpoint_routes.get(*u));
                                    if let Some(u) = first {
                                        index.add_unplaced_service(
                                            svc,
                                            format!(
                                                "{} may give {} a gateway endpoint's route for {svc}: its endpoint is not known ({})",
                                                tick(&u.address),
                                                tick(&t.meta.address),
                                                u.why
                                            ),
                                        );
                                    }
                                }
                                index
                            })
                            .collect()
                    },
                    || {
                        let apart = Apart {
                            peers: peered_vpcs(m),
                            amazon: amazon_ipv6_vpcs(m),
                        };
                        m.subnets
                            .par_iter()
                            .enumerate()
                            .map(|(i, s)| {
                                let id = SubnetId(i as u32);
                                [
                                    block_addr(m, id, s, Family::Ipv4, &apart),
                                    block_addr(m, id, s, Family::Ipv6, &apart),
                                ]
                            })
                            .collect()
                    },
                )
            },
            || Names::new(m),
        );
        let mut subnet_public: Vec<bool> = m
            .subnets
            .iter()
            .map(|s| s.map_public_ip_on_launch)
            .collect();
        for w in &m.workloads {
            if matches!(w.public_ipv4, PublicIpv4::Auto | PublicIpv4::Eip(_)) {
                if let Some(s) = w.subnet.id() {
                    if let Some(p) = subnet_public.get_mut(s.index()) {
                        *p = true;
                    }
                }
            }
        }
        for e in &m.eips {
            if let Some(w) = e.workload.id().and_then(|w| m.workloads.get(w.index())) {
                if let Some(s) = w.subnet.id() {
                    if let Some(p) = subnet_public.get_mut(s.index()) {
                        *p = true;
                    }
                }
            }
        }
        let mut tgw_assoc = vec![None; m.tgw_attachments.len()];
        let mut tgw_peer_assoc = vec![None; m.tgw_attachments.len()];
        for (i, t) in m.tgw_route_tables.iter().enumerate() {
            for (_, link) in &t.associations {
                if let Some(a) = link.id() {
                    // A peering attachment's association on its peer gateway.
                    let peer_side = m.tgw_attachments.get(a.index()).is_some_and(|att| {
                        matches!(&att.kind, TgwAttachmentKind::Peering { peer_transit_gateway }
                            if peer_transit_gateway.id().is_some()
                                && peer_transit_gateway.id() == t.transit_gateway.id()
                                && att.transit_gateway.id() != t.transit_gateway.id())
                    });
                    let slots = if peer_side {
                        &mut tgw_peer_assoc
                    } else {
                        &mut tgw_assoc
                    };
                    if let Some(slot) = slots.get_mut(a.index()) {
                        slot.get_or_insert(TgwRouteTableId(i as u32));
                    }
                }
            }
        }
        let mut tgw_unsure_assoc: Vec<Option<String>> = vec![None; m.transit_gateways.len()];
        for t in &m.tgw_route_tables {
            let Some(slot) = t
                .transit_gateway
                .id()
                .and_then(|g| tgw_unsure_assoc.get_mut(g.index()))
            else {
                continue;
            };
            if slot.is_some() {
                continue;
            }
            if let Some((address, link)) = t
                .associations
                .iter()
                .find(|(_, l)| matches!(l, Link::Unresolved(_)))
            {
                *slot = Some(format!(
                    "{} associates an attachment not known at plan time with {}: {}",
                    tick(address),
                    tick(&t.meta.address),
                    link_reason(m, link)
                ));
            }
        }
        // An association whose table is not known: its attachment (any, when that is not
        // known either) may be associated with a table of its gateway.
        let mut tgw_att_unsure_assoc: Vec<Option<String>> = vec![None; m.tgw_attachments.len()];
        for u in &m.unplaced_tgw {
            let UnplacedTgwKind::Association(link) = &u.kind else {
                continue;
            };
            let why = format!(
                "{} associates it with a route table not known at plan time ({})",
                tick(&u.address),
                u.why
            );
            match link {
                Link::To(a, _) => {
                    if let Some(slot @ None) = tgw_att_unsure_assoc.get_mut(a.index()) {
                        *slot = Some(why);
                    }
                }
                Link::Unresolved(r) => {
                    for slot in tgw_unsure_assoc.iter_mut().filter(|s| s.is_none()) {
                        *slot = Some(format!(
                            "{} associates an attachment not known at plan time ({r}) with a route table not known either ({})",
                            tick(&u.address),
                            u.why
                        ));
                    }
                }
                Link::External(_) | Link::None => {}
            }
        }
        let mut vpn_attachment = vec![None; m.vpn_connections.len()];
        for (i, a) in m.tgw_attachments.iter().enumerate() {
            if let TgwAttachmentKind::Vpn { connection } = a.kind {
                if let Some(slot) = vpn_attachment.get_mut(connection.index()) {
                    *slot = Some(TgwAttachmentId(i as u32));
                }
            }
        }
        let unplaced_tgw = m.unplaced_tgw_by_table();
        let tgw_tables = m
            .tgw_route_tables
            .iter()
            .zip(&unplaced_tgw)
            .map(|(t, unplaced)| {
                let unplaced: Vec<&UnplacedTgw> = unplaced
                    .iter()
                    .filter_map(|&n| m.unplaced_tgw.get(n))
                    .collect();
                build_tgw_index(m, t, &unplaced)
            })
            .collect();
        let mut internet_gateway = vec![None; m.vpcs.len()];
        let mut egress_gateway = vec![None; m.vpcs.len()];
        for (i, g) in m.gateways.iter().enumerate() {
            let per_vpc = match g.kind {
                GatewayKind::Internet => &mut internet_gateway,
                GatewayKind::EgressOnly => &mut egress_gateway,
                _ => continue,
            };
            if let Some(slot) = g.vpc.id().and_then(|v| per_vpc.get_mut(v.index())) {
                slot.get_or_insert(GatewayId(i as u32));
            }
        }
        let unsure_internet_gateway = m.gateways.iter().find_map(|g| match &g.vpc {
            Link::Unresolved(why) if g.kind == GatewayKind::Internet => Some(format!(
                "which VPC {} is attached to is not known ({why})",
                tick(&g.meta.address)
            )),
            _ => None,
        });
        let mut edge_table = vec![None; m.gateways.len()];
        for (i, t) in m.route_tables.iter().enumerate() {
            for (_, l) in &t.edge_associations {
                if let Some(slot) = l.id().and_then(|g| edge_table.get_mut(g.index())) {
                    slot.get_or_insert(RouteTableId(i as u32));
                }
            }
        }
        let mut unsure_edge: Vec<Option<(RouteTableId, String)>> = vec![None; m.gateways.len()];
        for (ti, t) in m.route_tables.iter().enumerate() {
            for (addr, l) in &t.edge_associations {
                let Link::Unresolved(why) = l else {
                    continue;
                };
                let vpc = t.vpc.id();
                for (g, slot) in m.gateways.iter().zip(unsure_edge.iter_mut()) {
                    let here = matches!(g.kind, GatewayKind::Internet | GatewayKind::Vpn)
                        && (vpc.is_none() || g.vpc.id().map_or(true, |v| Some(v) == vpc));
                    if here && slot.is_none() {
                        *slot = Some((RouteTableId(ti as u32), format!(
                            "{} edge-associates {} with a gateway not known at plan time, which may be {} ({why})",
                            tick(addr),
                            tick(&t.meta.address),
                            tick(&g.meta.address)
                        )));
                    }
                }
            }
        }
        let mut interface_endpoints = vec![Vec::new(); m.vpcs.len()];
        let mut unsure_interface_endpoints = Vec::new();
        for (i, ep) in m.endpoints.iter().enumerate() {
            if ep.kind != EndpointKind::Interface {
                continue;
            }
            // AWS places an endpoint's network interfaces in subnets of its VPC.
            let subnet = ep.subnets.iter().find_map(|(_, l)| l.id());
            let vpc = ep
                .vpc
                .id()
                .or_else(|| subnet.and_then(|s| m.subnet(s).vpc.id()));
            if subnet.is_some() {
                if let Some(list) = vpc.and_then(|v| interface_endpoints.get_mut(v.index())) {
                    list.push(EndpointId(i as u32));
                }
                continue;
            }
            let Some(why) = ep.subnets.iter().find_map(|(_, l)| match l {
                Link::Unresolved(why) => Some(why),
                _ => None,
            }) else {
                continue;
            };
            let mut why = format!(
                "which subnets {} has network interfaces in is not known ({why})",
                tick(&ep.meta.address)
            );
            match &ep.vpc {
                Link::To(..) => {}
                Link::Unresolved(v) => why.push_str(&format!(", nor its VPC ({v})")),
                Link::None | Link::External(_) => continue,
            }
            unsure_interface_endpoints.push((EndpointId(i as u32), vpc, why));
        }
        // VPC attachments whose VPC or gateway is not known: each may be the one a VPC
        // has on a gateway.
        let unsure_vpc_attachments = m
            .tgw_attachments
            .iter()
            .filter_map(|a| {
                let TgwAttachmentKind::Vpc { vpc, .. } = &a.kind else {
                    return None;
                };
                let why = match (vpc, &a.transit_gateway) {
                    (Link::Unresolved(why), Link::To(..) | Link::Unresolved(_))
                    | (Link::To(..), Link::Unresolved(why)) => why,
                    _ => return None,
                };
                Some(UnsureAttachment {
                    vpc: vpc.id(),
                    tgw: a.transit_gateway.id(),
                    reason: format!("{} may be that attachment: {why}", tick(&a.meta.address)),
                })
            })
            .collect();
        let mut vpc_attachments = HashMap::new();
        for (i, a) in m.tgw_attachments.iter().enumerate() {
            if let (Some(t), TgwAttachmentKind::Vpc { vpc, .. }) = (a.transit_gateway.id(), &a.kind)
            {
                if let Some(v) = vpc.id() {
                    vpc_attachments
                        .entry((v, t))
                        .or_insert(TgwAttachmentId(i as u32));
                }
            }
        }
        Engine {
            vgw_maybe: vgw_maybe(m),
            vpn_maybe: vpn_maybe(m),
            m,
            tables,
            tgw_tables,
            subnet_public,
            tgw_assoc,
            tgw_peer_assoc,
            tgw_unsure_assoc,
            tgw_att_unsure_assoc,
            vpn_attachment,
            internet_gateway,
            egress_gateway,
            unsure_internet_gateway,
            unsure_vpc_attachments,
            edge_table,
            unsure_edge,
            interface_endpoints,
            unsure_interface_endpoints,
            vpc_attachments,
            nacl_cache: m.nacls.iter().map(|_| Mutex::default()).collect(),
            nacl_public: m.nacls.iter().map(|_| Default::default()).collect(),
            names,
            subnet_blocks,
            bpa: super::bpa::gates(m),
        }
    }

    /// What VPC Block Public Access does to `way` traffic of subnet `s`.
    pub fn bpa_gate(&self, s: SubnetId, way: Way) -> Gate {
        self.bpa
            .get(s.index())
            .and_then(|g| g.get(way as usize))
            .cloned()
            .unwrap_or(Gate::Open(None))
    }

    /// Applies the gate to a walk at its internet-facing gateway: `false` when it ends
    /// there (blocked or unknown), with the hops and the end recorded.
    fn bpa_exit(&self, w: &mut Walk, way: Way, dest: &Dest) -> bool {
        match self.bpa_gate(w.src, way) {
            Gate::Open(None) => true,
            Gate::Open(Some(e)) => {
                exempt(&mut w.via, &e);
                true
            }
            Gate::Closed { by, reason } => {
                w.hops.push(self.name(&by));
                w.end = blocked(&by, reason);
                false
            }
            Gate::Unsure(reason) => {
                w.hops.push(self.dest_name(dest));
                w.end = End::Unknown { reason };
                false
            }
        }
    }

    /// What NACL `n` lets through in `dir` for `remote` (cached for known remotes).
    pub fn nacl_eval(
        &self,
        n: NaclId,
        dir: Direction,
        family: Family,
        remote: &Addr,
    ) -> Arc<NaclEval> {
        let compute = || {
            let verdict = nacl::evaluate(
                self.m.nacl(n),
                &self.m.unplaced_nacl_rules,
                dir,
                family,
                remote,
            );
            let maybe = verdict.allowed.union(&verdict.undecided);
            Arc::new(NaclEval { verdict, maybe })
        };
        let net = match remote {
            Addr::Public => {
                let slot =
                    usize::from(dir == Direction::Egress) * 2 + usize::from(family == Family::Ipv6);
                return match self.nacl_public.get(n.index()).and_then(|s| s.get(slot)) {
                    Some(cell) => cell.get_or_init(compute).clone(),
                    None => compute(),
                };
            }
            Addr::Net(net, owner) => (*net, owner.as_ref().map(|o| o.subnet)),
            Addr::Within { .. } => return compute(),
        };
        let Some(cache) = self.nacl_cache.get(n.index()) else {
            return compute();
        };
        if let Some(hit) = cache
            .lock()
            .ok()
            .and_then(|c| c.get(&(dir, family, net.0, net.1)).cloned())
        {
            return hit;
        }
        let v = compute();
        if let Ok(mut c) = cache.lock() {
            c.entry((dir, family, net.0, net.1))
                .or_insert_with(|| v.clone());
        }
        v
    }

    /// Forgets the NACL evaluations made so far. The cache holds one per NACL and remote
    /// subnet block: asking every pair of a large network fills it with the square of the
    /// subnets. A batch of answers ([`super::engine::Stream::batch`]) starts from nothing,
    /// as it seldom asks again what an earlier batch asked (other "from" subnets).
    pub fn forget_nacl_evals(&self) {
        for c in &self.nacl_cache {
            if let Ok(mut c) = c.lock() {
                // A new map, not `clear`, which would keep the old one's memory.
                *c = NaclCache::default();
            }
        }
    }

    pub fn subnet_addr(&self, s: SubnetId) -> &'m str {
        &self.m.subnet(s).meta.address
    }

    /// The block of a subnet as an address, when it has the family.
    pub fn subnet_block(&self, s: SubnetId, family: Family) -> Option<Addr> {
        let i = match family {
            Family::Ipv4 => 0,
            Family::Ipv6 => 1,
        };
        self.subnet_blocks.get(s.index())?.get(i)?.clone()
    }

    fn dest_addr(&self, dest: &Dest, family: Family) -> Addr {
        match dest {
            Dest::Subnet(b) => self.subnet_block(*b, family).unwrap_or(Addr::Public),
            Dest::Internet | Dest::Service(_) => Addr::Public,
            Dest::Onprem(_, n) => Addr::Net(*n, None),
        }
    }

    pub fn dest_name(&self, dest: &Dest) -> Name {
        match dest {
            Dest::Subnet(b) => self.subnet_name(*b),
            Dest::Internet => self.names.internet.clone(),
            Dest::Service(s) => Name::from(format!("service:{s}")),
            Dest::Onprem(v, _) => {
                Name::from(format!("vpn:{}", self.m.vpn_connection(*v).meta.address))
            }
        }
    }

    /// The shared name of an address of the model (or a new one for any other text).
    pub fn name(&self, address: &str) -> Name {
        match self.names.by_address.get(address) {
            Some(n) => n.clone(),
            None => Name::from(address),
        }
    }

    names_by_id!(
        table_name: RouteTableId => route_tables, route_table;
        nacl_name: NaclId => nacls, nacl;
        gateway_name: GatewayId => gateways, gateway;
        nat_name: crate::model::NatGatewayId => nat_gateways, nat_gateway;
        workload_name: crate::model::WorkloadId => workloads, workload;
        endpoint_name: EndpointId => endpoints, endpoint;
        tgw_name: TransitGatewayId => transit_gateways, transit_gateway;
        attachment_name: TgwAttachmentId => tgw_attachments, tgw_attachment;
        tgw_table_name: TgwRouteTableId => tgw_route_tables, tgw_route_table;
        peering_name: crate::model::PeeringId => peerings, peering;
    );

    /// The shared name of a subnet.
    pub fn subnet_name(&self, s: SubnetId) -> Name {
        at(&self.names.subnets, s.index(), self.subnet_addr(s))
    }

    fn dest_phrase(&self, dest: &Dest) -> String {
        match dest {
            Dest::Subnet(b) => format!("{}'s CIDR", tick(self.subnet_addr(*b))),
            Dest::Internet => "the internet".to_string(),
            Dest::Service(s) => format!("service {s}"),
            Dest::Onprem(v, n) => format!(
                "{n} (on-premises behind {})",
                tick(&self.m.vpn_connection(*v).meta.address)
            ),
        }
    }

    /// Records a NACL crossing at `subnet` (and its hop, unless the NACL is a synthesized
    /// allow-all default).
    fn cross(&self, w: &mut Walk, subnet: SubnetId, dir: Direction, remote: Addr) {
        self.cross_legs(w, subnet, &[(dir, remote, Legs::Both)]);
    }

    /// Records crossings of the NACL of `subnet`, each a direction, a far end and its legs,
    /// under one hop naming the NACL (none for a synthesized allow-all default).
    fn cross_legs(&self, w: &mut Walk, subnet: SubnetId, ways: &[(Direction, Addr, Legs)]) {
        let Some(n) = self.m.subnet(subnet).nacl.link.id() else {
            return;
        };
        let nacl = self.m.nacl(n);
        let hop = if nacl.untouched_default() {
            w.hops.len().saturating_sub(1)
        } else {
            w.hops.push(self.nacl_name(n));
            w.hops.len() - 1
        };
        for (dir, remote, legs) in ways {
            w.crossings.push(Crossing {
                nacl: n,
                dir: *dir,
                remote: remote.clone(),
                hop,
                legs: *legs,
            });
        }
    }

    fn arrive_subnet(&self, w: &mut Walk, b: SubnetId, family: Family) {
        let src = self.subnet_block(w.src, family).unwrap_or(Addr::Public);
        self.cross(w, b, Direction::Ingress, src);
        w.hops.push(self.subnet_name(b));
        w.end = End::Arrived;
    }

    fn vpc_attachment(&self, vpc: VpcId, tgw: TransitGatewayId) -> Option<TgwAttachmentId> {
        self.vpc_attachments.get(&(vpc, tgw)).copied()
    }

    /// Why VPC `vpc` may have an attachment to gateway `tgw` that the model cannot place:
    /// one whose VPC or gateway is not known and may be these.
    fn unsure_vpc_attachment(&self, vpc: Option<VpcId>, tgw: TransitGatewayId) -> Option<&str> {
        self.unsure_vpc_attachments
            .iter()
            .find(|u| {
                u.tgw.map_or(true, |t| t == tgw)
                    && (u.vpc.is_none() || vpc.is_none() || u.vpc == vpc)
            })
            .map(|u| u.reason.as_str())
    }

    /// The route table of gateway `tgw` that attachment `a` is associated with: a peering
    /// attachment has one on each of its two gateways.
    fn assoc_on(&self, a: TgwAttachmentId, tgw: TransitGatewayId) -> Option<TgwRouteTableId> {
        let att = self.m.tgw_attachment(a);
        let peer_side = match &att.kind {
            TgwAttachmentKind::Peering {
                peer_transit_gateway,
            } => peer_transit_gateway.id() == Some(tgw) && att.transit_gateway.id() != Some(tgw),
            _ => false,
        };
        let slots = if peer_side {
            &self.tgw_peer_assoc
        } else {
            &self.tgw_assoc
        };
        slots.get(a.index()).copied().flatten()
    }

    /// Where attachment `attachment`, associated with no route table of `tgw`, may still be
    /// associated with one ([`Engine::tgw_unsure_assoc`]): the walk's `unknown` end, its
    /// reason after `lead` (what depends on it, if more than the walk).
    fn unsure_assoc(&self, att: TgwAttachmentId, tgw: TransitGatewayId, lead: &str) -> Option<End> {
        let why = match self.tgw_att_unsure_assoc.get(att.index()) {
            Some(Some(why)) => why.as_str(),
            _ => self.tgw_unsure_assoc.get(tgw.index())?.as_deref()?,
        };
        Some(End::Unknown {
            reason: format!(
                "{lead}whether {} is associated with a route table of {} is not known: {why}",
                tick(&self.m.tgw_attachment(att).meta.address),
                tick(&self.m.transit_gateway(tgw).meta.address)
            ),
        })
    }

    /// Why the subnet traffic enters by (of a transit gateway attachment, or of a firewall's
    /// endpoints) is not known, when it matters: `entry` (of `subnets`) was picked for the AZ
    /// of `near`, the packet's last subnet, but none of them is in that AZ (or an AZ is
    /// unknown), and they differ in what applies to the packet (route table, NACL, or being
    /// the destination, where no NACL applies after a transit gateway).
    fn unsure_entry(
        &self,
        subnets: &[SubnetId],
        entry: SubnetId,
        near: SubnetId,
        dest: &Dest,
    ) -> Option<String> {
        if subnets.len() < 2 || (self.az(near).is_some() && self.az(entry) == self.az(near)) {
            return None;
        }
        let e = self.m.subnet(entry);
        let differ = subnets.iter().any(|&s| {
            let x = self.m.subnet(s);
            x.nacl.link.id() != e.nacl.link.id()
                || x.route_table.link.id() != e.route_table.link.id()
                || *dest == Dest::Subnet(s)
        });
        differ.then(|| {
            let here = self.az(near).unwrap_or("an AZ not known at plan time");
            format!(
                "none of its subnets is in {here}, and they differ in route table or NACL: which one the traffic goes through is not known"
            )
        })
    }

    /// The attachment transit gateway table `tt` sends `dest` to; `None` when the walk ends
    /// there (`w.end` says how).
    fn tgw_next(
        &self,
        w: &mut Walk,
        tt: TgwRouteTableId,
        family: Family,
        dest: &Dest,
        dest_addr: &Addr,
        internet: bool,
    ) -> Option<TgwAttachmentId> {
        let ttable = self.m.tgw_route_table(tt);
        match self.tgw_lookup(tt, family, dest_addr, internet) {
            TgwLookup::Attach(y) => Some(y),
            TgwLookup::Blackhole(a) => {
                w.hops.push(self.name(&a));
                w.end = blocked(
                    &a,
                    format!(
                        "blackhole route {} drops {}",
                        tick(&a),
                        self.dest_phrase(dest)
                    ),
                );
                None
            }
            TgwLookup::NoRoute => {
                if let Dest::Onprem(v, _) = dest {
                    if let Some(r) = self.bgp_reason(tt, *v) {
                        w.end = End::Unknown { reason: r };
                        return None;
                    }
                }
                w.end = blocked(
                    &ttable.meta.address,
                    format!(
                        "{} has no route that matches {}",
                        tick(&ttable.meta.address),
                        self.dest_phrase(dest)
                    ),
                );
                None
            }
            TgwLookup::Unknown(reason) => {
                w.end = End::Unknown { reason };
                None
            }
        }
    }

    fn az(&self, s: SubnetId) -> Option<&'m str> {
        match &self.m.subnet(s).availability_zone {
            Val::Known(a) => Some(a.as_str()),
            Val::Unknown(_) => None,
        }
    }

    /// Picks the subnet of `subnets` in the AZ of `near`, else the first.
    pub(crate) fn pick_subnet(&self, subnets: &[SubnetId], near: SubnetId) -> Option<SubnetId> {
        let az = self.az(near);
        subnets
            .iter()
            .copied()
            .find(|s| az.is_some() && self.az(*s) == az)
            .or_else(|| subnets.first().copied())
    }

    fn tgw_lookup(
        &self,
        t: TgwRouteTableId,
        family: Family,
        addr: &Addr,
        internet: bool,
    ) -> TgwLookup {
        let Some(idx) = self.tgw_tables.get(t.index()) else {
            return TgwLookup::NoRoute;
        };
        let mut hit = None;
        for (net, _, target, address) in &idx.entries {
            if crate::analysis::addr::family_of(net) != family {
                continue;
            }
            let cover = if internet {
                if net.prefix_len() == 0 {
                    Cover::Yes
                } else {
                    Cover::No
                }
            } else {
                addr.covered_by(net)
            };
            match cover {
                Cover::Yes => {
                    hit = Some((target, address));
                    break;
                }
                Cover::Maybe(r) => return TgwLookup::Unknown(r.to_string()),
                Cover::No => {}
            }
        }
        if let Some((TgwHop::Unknown(why), _)) = hit {
            return TgwLookup::Unknown(why.clone());
        }
        if hit.is_none() {
            let specific = if internet {
                None
            } else {
                idx.unknown_specific.as_ref()
            };
            if let Some(r) = idx.unknown.as_ref().or(specific) {
                return TgwLookup::Unknown(r.clone());
            }
        }
        match hit {
            Some((TgwHop::Attach(a), _)) => TgwLookup::Attach(*a),
            Some((TgwHop::Blackhole, address)) => TgwLookup::Blackhole(address.clone()),
            Some((TgwHop::Unknown(why), _)) => TgwLookup::Unknown(why.clone()),
            None => TgwLookup::NoRoute,
        }
    }

    /// Follows a packet from subnet `from` to `dest`.
    pub fn walk(&self, from: SubnetId, dest: &Dest, family: Family) -> Walk {
        let mut w = Walk {
            hops: smallvec::smallvec![self.subnet_name(from)],
            crossings: Vec::with_capacity(4),
            ..Walk::new(from)
        };
        let mut public = self
            .subnet_public
            .get(from.index())
            .copied()
            .unwrap_or(false);
        let mut pos = from;
        // `pos` is the subnet of a transit gateway attachment, entered from the gateway.
        let mut from_tgw = false;
        // The VPC the walk last entered from a transit gateway, and by which attachment.
        let mut entered: Option<(VpcId, TgwAttachmentId)> = None;
        let mut visited: Vec<SubnetId> = Vec::new();
        let dest_addr = self.dest_addr(dest, family);
        for _ in 0..MAX_STEPS {
            if visited.contains(&pos) {
                w.end = blocked(
                    self.subnet_addr(pos),
                    format!(
                        "the route for {} loops back to {}",
                        self.dest_phrase(dest),
                        tick(self.subnet_addr(pos))
                    ),
                );
                return w;
            }
            visited.push(pos);
            let subnet = self.m.subnet(pos);
            // Traffic from a transit gateway to its attachment's own subnet meets no NACL
            // (it is delivered below, at the local route).
            let exit_at = w.crossings.len();
            if !(from_tgw && *dest == Dest::Subnet(pos)) {
                self.cross(&mut w, pos, Direction::Egress, dest_addr.clone());
            }
            let exit_crossing = (w.crossings.len() > exit_at).then_some(exit_at);
            let table_id: RouteTableId = match &subnet.route_table.link {
                Link::To(t, _) => *t,
                other => {
                    w.end = End::Unknown {
                        reason: format!(
                            "the route table of {} is not known: {}",
                            tick(&subnet.meta.address),
                            link_reason(self.m, other)
                        ),
                    };
                    return w;
                }
            };
            let table = self.m.route_table(table_id);
            w.hops.push(self.table_name(table_id));
            let Some(idx) = self.tables.get(table_id.index()) else {
                return w;
            };
            let vpc = subnet.vpc.id();
            let lookup = match dest {
                Dest::Subnet(_) => idx.lookup(Some(self.m), family, &dest_addr),
                Dest::Internet => idx.lookup_internet(Some(self.m), family),
                Dest::Service(s) => match (idx.service_route(s), idx.unplaced_service(s)) {
                    (Some(r), _) if family == Family::Ipv4 => Lookup::Route(r),
                    // A gateway endpoint's route that may be in this table would take the
                    // traffic instead of the table's way to the internet.
                    (None, Some(why)) if family == Family::Ipv4 => Lookup::Unknown(why.to_string()),
                    _ => idx.lookup_internet(Some(self.m), family),
                },
                Dest::Onprem(v, net) => {
                    let l = idx.lookup(Some(self.m), family, &dest_addr);
                    match self.vgw_propagation(table_id, *v, *net, &l) {
                        Some(Ok(g)) => {
                            let gw = self.m.gateway(g);
                            w.hops.push(self.gateway_name(g));
                            w.hops.push(self.dest_name(dest));
                            w.via.push(format!(
                                "{} (routes propagated from {})",
                                tick(&gw.meta.address),
                                tick(&gw.meta.address)
                            ));
                            w.end = End::Arrived;
                            return w;
                        }
                        Some(Err(reason)) => {
                            w.end = End::Unknown { reason };
                            return w;
                        }
                        None => l,
                    }
                }
            };
            let rid = match lookup {
                Lookup::Route(r) => r,
                Lookup::NoRoute => {
                    w.end = blocked(
                        &table.meta.address,
                        format!(
                            "{} has no route that matches {}",
                            tick(&table.meta.address),
                            self.dest_phrase(dest)
                        ),
                    );
                    return w;
                }
                Lookup::Unknown(reason) => {
                    w.end = End::Unknown { reason };
                    return w;
                }
            };
            let route = self.m.route(rid);
            let raddr = &route.address;
            macro_rules! resolve {
                ($link:expr) => {
                    match $link {
                        Link::To(id, _) => *id,
                        Link::None => {
                            w.end = blocked(raddr, format!("route {} has no target", tick(raddr)));
                            return w;
                        }
                        Link::External(id) if self.m.deleted_ids.contains_key(id) => {
                            let gone = self.m.deleted_ids.get(id).map(String::as_str).unwrap_or("");
                            w.end = End::Blocked {
                                by: raddr.to_string(),
                                reason: format!(
                                    "route {} targets `{id}`, which this plan deletes ({}): the route is a blackhole",
                                    tick(raddr),
                                    tick(gone)
                                ),
                                kind: DropKind::Blackhole,
                            };
                            return w;
                        }
                        Link::External(id) if self.m.read_ids.contains_key(id) => {
                            w.end = End::Unknown {
                                reason: format!(
                                    "route {} targets {}, which exists outside this plan: what lies beyond it is not in the plan",
                                    tick(raddr),
                                    self.m.outside_id(id)
                                ),
                            };
                            return w;
                        }
                        Link::External(id) if crate::plan::address::is_data_source(raddr) => {
                            // A route of a table a data source read: its target exists in
                            // AWS (the data source saw the route), unread.
                            let read_with = [
                                ("igw-", "aws_internet_gateway"),
                                ("nat-", "aws_nat_gateway"),
                            ]
                            .iter()
                            .find(|(p, _)| id.starts_with(p))
                            .map(|(_, t)| format!(" (a `data \"{t}\"` would read it)"))
                            .unwrap_or_default();
                            w.end = End::Unknown {
                                reason: format!(
                                    "route {} targets `{id}`, which no data source of this plan reads{read_with}: what lies beyond it is not in the plan",
                                    tick(raddr)
                                ),
                            };
                            return w;
                        }
                        Link::External(id) => {
                            w.end = End::Unknown {
                                reason: format!(
                                    "route {} targets `{id}`, which this plan does not hold (created elsewhere, or deleted by this plan)",
                                    tick(raddr)
                                ),
                            };
                            return w;
                        }
                        Link::Unresolved(r) => {
                            w.end = End::Unknown {
                                reason: format!("the target of route {} is unknown: {r}", tick(raddr)),
                            };
                            return w;
                        }
                    }
                };
            }
            match &route.target {
                Target::Local => {
                    match dest {
                        Dest::Subnet(b) => {
                            let bsub = self.m.subnet(*b);
                            if bsub.vpc.id() == vpc && vpc.is_some() && from_tgw && *b == pos {
                                // From the transit gateway to instances in its attachment's
                                // subnet: no rule is evaluated. Their replies to the gateway
                                // meet the subnet's outbound rules (by destination) and its
                                // inbound rules (by their own, source address).
                                let src = self.subnet_block(w.src, family).unwrap_or(Addr::Public);
                                let own = self.subnet_block(*b, family).unwrap_or(Addr::Public);
                                self.cross_legs(
                                    &mut w,
                                    *b,
                                    &[
                                        (Direction::Ingress, src, Legs::Reply),
                                        (Direction::Egress, own, Legs::Reply),
                                    ],
                                );
                                w.hops.push(self.subnet_name(*b));
                                w.end = End::Arrived;
                            } else if bsub.vpc.id() == vpc && vpc.is_some() {
                                self.arrive_subnet(&mut w, *b, family);
                            } else {
                                w.end = blocked(
                                    raddr,
                                    format!(
                                        "the local route of {} covers {}'s CIDR, but that subnet is in another VPC",
                                        tick(&table.meta.address),
                                        tick(&bsub.meta.address)
                                    ),
                                );
                            }
                        }
                        _ => {
                            w.end = blocked(
                                raddr,
                                format!(
                                    "the local route {} keeps {} inside the VPC",
                                    tick(raddr),
                                    self.dest_phrase(dest)
                                ),
                            );
                        }
                    }
                    return w;
                }
                Target::Gateway(link) => {
                    let g = resolve!(link);
                    let gw = self.m.gateway(g);
                    let gaddr = self.gateway_name(g);
                    w.hops.push(gaddr.clone());
                    // A gateway whose VPC is not known: what it would do if it were this
                    // VPC's, where that does not block the traffic anyway, is not known.
                    let unsure_vpc = match &gw.vpc {
                        Link::Unresolved(why) => Some(format!(
                            "which VPC {} is attached to is not known ({why})",
                            tick(&gaddr)
                        )),
                        _ => None,
                    };
                    if unsure_vpc.is_none() && (gw.vpc.id().is_none() || gw.vpc.id() != vpc) {
                        w.end = blocked(
                            &gaddr,
                            format!(
                                "{} is not attached to the VPC of {}, so the route is a blackhole",
                                tick(&gaddr),
                                tick(&table.meta.address)
                            ),
                        );
                        return w;
                    }
                    w.via.push(ticked(&gaddr));
                    match (gw.kind, dest) {
                        (GatewayKind::Internet, Dest::Internet | Dest::Service(_)) => {
                            w.exit = Some((gw.kind, g));
                            let nat_gateway = w
                                .nat
                                .as_deref()
                                .is_some_and(|n| resource_type(n) == "aws_nat_gateway");
                            let way = if nat_gateway { Way::OutNat } else { Way::Out };
                            if !self.bpa_exit(&mut w, way, dest) {
                                return w;
                            }
                            w.hops.push(self.dest_name(dest));
                            if family == Family::Ipv4 && !public {
                                w.end = End::Unknown {
                                    reason: NO_PUBLIC_IPV4.to_string(),
                                };
                            } else {
                                w.end = End::Arrived;
                            }
                        }
                        (GatewayKind::EgressOnly, Dest::Internet | Dest::Service(_)) => {
                            w.exit = Some((gw.kind, g));
                            if family == Family::Ipv4 {
                                w.end = blocked(
                                    &gaddr,
                                    format!(
                                        "{} carries IPv6 only; an IPv4 route to it is invalid",
                                        tick(&gaddr)
                                    ),
                                );
                            } else if self.bpa_exit(&mut w, Way::OutNat, dest) {
                                w.hops.push(self.dest_name(dest));
                                w.end = End::Arrived;
                            }
                        }
                        (GatewayKind::Vpn, Dest::Onprem(v, _)) => {
                            let conn = self.m.vpn_connection(*v);
                            if conn.vpn_gateway.id() == Some(g) {
                                w.hops.push(self.dest_name(dest));
                                w.end = End::Arrived;
                            } else if let Link::Unresolved(why) = &conn.vpn_gateway {
                                w.hops.push(self.dest_name(dest));
                                w.end = End::Unknown {
                                    reason: unsure_vgw(conn, &gaddr, why),
                                };
                            } else {
                                w.end = blocked(
                                    &gaddr,
                                    format!(
                                        "{} is not the VPN gateway of {}",
                                        tick(&gaddr),
                                        tick(&conn.meta.address)
                                    ),
                                );
                            }
                        }
                        (GatewayKind::Vpn, _) => {
                            w.end = End::Unknown {
                                reason: format!(
                                    "{} sends {} to on-premises networks, whose routing the plan does not show",
                                    tick(&gaddr),
                                    self.dest_phrase(dest)
                                ),
                            };
                        }
                        (_, _) => {
                            w.end = blocked(
                                &gaddr,
                                format!(
                                    "{} reaches only the internet, not {}",
                                    tick(&gaddr),
                                    self.dest_phrase(dest)
                                ),
                            );
                        }
                    }
                    if let Some(reason) = unsure_vpc {
                        if !matches!(w.end, End::Blocked { .. }) {
                            w.end = End::Unknown { reason };
                        }
                    }
                    return w;
                }
                Target::NatGateway(link) => {
                    // Wherever a NAT gateway the model does not hold leads, what it sends
                    // on is translated.
                    if let Link::External(id) = link {
                        if !self.m.deleted_ids.contains_key(id) {
                            w.nat_unplaced = Some(Name::from(id.as_str()));
                        }
                    }
                    let n = resolve!(link);
                    let nat = self.m.nat_gateway(n);
                    let naddr = self.nat_name(n);
                    w.hops.push(naddr.clone());
                    if family == Family::Ipv6 {
                        w.end = blocked(&naddr, format!("{} translates IPv4 only", tick(&naddr)));
                        return w;
                    }
                    let internet = matches!(dest, Dest::Internet | Dest::Service(_));
                    if nat.connectivity == NatConnectivity::Private && internet {
                        w.end = blocked(
                            &naddr,
                            format!("{} is a private NAT gateway: it reaches other networks, never the internet", tick(&naddr)),
                        );
                        return w;
                    }
                    let ns = match &nat.subnet {
                        Link::To(ns, _) => *ns,
                        other => {
                            w.end = End::Unknown {
                                reason: format!(
                                    "the subnet of {} is not known: {}",
                                    tick(&naddr),
                                    link_reason(self.m, other)
                                ),
                            };
                            w.nat_unplaced = Some(naddr);
                            return w;
                        }
                    };
                    let src_addr = self.subnet_block(w.src, family).unwrap_or(Addr::Public);
                    self.cross(&mut w, ns, Direction::Ingress, src_addr);
                    w.hops.push(self.subnet_name(ns));
                    w.via.push(format!("NAT gateway {}", tick(&naddr)));
                    w.src = ns;
                    w.nat = Some(naddr);
                    public = nat.connectivity == NatConnectivity::Public;
                    pos = ns;
                    from_tgw = false;
                }
                Target::Workload(link) => {
                    let wid = resolve!(link);
                    let wl = self.m.workload(wid);
                    let waddr = self.workload_name(wid);
                    w.hops.push(waddr.clone());
                    if wl.source_dest_check {
                        w.end = blocked(
                            &waddr,
                            format!(
                                "{} has source/destination check on, so it drops traffic not addressed to itself",
                                tick(&waddr)
                            ),
                        );
                        return w;
                    }
                    let ws = resolve!(&wl.subnet);
                    let src_addr = self.subnet_block(w.src, family).unwrap_or(Addr::Public);
                    self.cross(&mut w, ws, Direction::Ingress, src_addr);
                    w.hops.push(self.subnet_name(ws));
                    if matches!(dest, Dest::Internet | Dest::Service(_)) && family == Family::Ipv4 {
                        w.via.push(format!("NAT instance {}", tick(&waddr)));
                        w.src = ws;
                        w.nat = Some(waddr);
                        public = matches!(wl.public_ipv4, PublicIpv4::Auto | PublicIpv4::Eip(_))
                            || self.subnet_public.get(ws.index()).copied().unwrap_or(false);
                    } else {
                        w.via.push(format!("appliance {}", tick(&waddr)));
                        w.passed.push(Passed {
                            boxed: Middlebox::Workload(wid),
                            name: waddr.clone(),
                            subnet: ws,
                            network_firewall: false,
                            entered: entered.filter(|(v, _)| Some(*v) == vpc).map(|(_, a)| a),
                            after_nat: w.nat.is_some(),
                        });
                    }
                    pos = ws;
                    from_tgw = false;
                }
                Target::Endpoint(link) => {
                    let e = resolve!(link);
                    let ep = self.m.endpoint(e);
                    let eaddr = self.endpoint_name(e);
                    w.hops.push(eaddr.clone());
                    match ep.kind {
                        EndpointKind::Gateway => {
                            if let Dest::Service(s) = dest {
                                if ep.service.as_deref() == Some(s.as_str()) {
                                    w.via.push(format!("gateway endpoint {}", tick(&eaddr)));
                                    w.hops.push(self.dest_name(dest));
                                    w.end = End::Arrived;
                                    return w;
                                }
                            }
                            w.end = blocked(
                                &eaddr,
                                format!("{} reaches only its own service", tick(&eaddr)),
                            );
                            return w;
                        }
                        EndpointKind::Interface
                        | EndpointKind::Resource
                        | EndpointKind::ServiceNetwork => {
                            w.end = blocked(
                                &eaddr,
                                format!(
                                    "{} is {} {} endpoint, not a route target",
                                    tick(&eaddr),
                                    if ep.kind == EndpointKind::Interface {
                                        "an"
                                    } else {
                                        "a"
                                    },
                                    ep.kind.label()
                                ),
                            );
                            return w;
                        }
                        EndpointKind::GatewayLoadBalancer => {
                            let subnets: Vec<SubnetId> =
                                ep.subnets.iter().filter_map(|(_, l)| l.id()).collect();
                            let Some(es) = self.pick_subnet(&subnets, pos) else {
                                // A subnet that is only unknown is not a missing one.
                                if let Some((_, l)) = ep.subnets.first() {
                                    w.end = End::Unknown {
                                        reason: format!(
                                            "the subnet of {} is not known: {}",
                                            tick(&eaddr),
                                            link_reason(self.m, l)
                                        ),
                                    };
                                    return w;
                                }
                                w.end = blocked(&eaddr, format!("{} has no subnet", tick(&eaddr)));
                                return w;
                            };
                            if let Some(reason) = self.unsure_entry(&subnets, es, pos, dest) {
                                w.end = End::Unknown {
                                    reason: format!("{}: {reason}", tick(&eaddr)),
                                };
                                return w;
                            }
                            let network_firewall = is_network_firewall(&eaddr);
                            if network_firewall {
                                w.via.push(format!(
                                    "Network Firewall {} (whose rules tfvpc does not evaluate)",
                                    tick(&eaddr)
                                ));
                            } else {
                                w.via.push(format!("GWLB endpoint {}", tick(&eaddr)));
                            }
                            w.passed.push(Passed {
                                boxed: Middlebox::Endpoint(e, es),
                                name: eaddr.clone(),
                                subnet: es,
                                network_firewall,
                                entered: entered.filter(|(v, _)| Some(*v) == vpc).map(|(_, a)| a),
                                after_nat: w.nat.is_some(),
                            });
                            w.hops.push(self.subnet_name(es));
                            pos = es;
                            from_tgw = false;
                        }
                    }
                }
                Target::TransitGateway(link) => {
                    let t = resolve!(link);
                    let tgw = self.m.transit_gateway(t);
                    w.hops.push(self.tgw_name(t));
                    w.via
                        .push(format!("transit gateway {}", tick(&tgw.meta.address)));
                    let Some(att) = vpc.and_then(|v| self.vpc_attachment(v, t)) else {
                        if let Some(why) = self.unsure_vpc_attachment(vpc, t) {
                            w.end = End::Unknown {
                                reason: format!(
                                    "whether the VPC of {} has an attachment to {} is not known: {why}",
                                    tick(&table.meta.address),
                                    tick(&tgw.meta.address)
                                ),
                            };
                            return w;
                        }
                        w.end = blocked(
                            &tgw.meta.address,
                            format!(
                                "the VPC of {} has no attachment to {}",
                                tick(&table.meta.address),
                                tick(&tgw.meta.address)
                            ),
                        );
                        return w;
                    };
                    let attachment = self.m.tgw_attachment(att);
                    w.hops.push(self.attachment_name(att));
                    if let TgwAttachmentKind::Vpc { subnets, .. } = &attachment.kind {
                        let ids: Vec<SubnetId> = subnets.iter().filter_map(Link::id).collect();
                        let azs: Vec<Option<&str>> = ids.iter().map(|s| self.az(*s)).collect();
                        if let Some(here) = self.az(pos) {
                            if !azs.is_empty()
                                && azs.iter().all(Option::is_some)
                                && !azs.contains(&Some(here))
                            {
                                if let Some(why) = unresolved_reason(subnets) {
                                    w.end = End::Unknown {
                                        reason: format!(
                                            "whether {} has a subnet in {here} is not known: {why}",
                                            tick(&attachment.meta.address)
                                        ),
                                    };
                                    return w;
                                }
                                w.end = blocked(
                                    &attachment.meta.address,
                                    format!(
                                        "{} has no subnet in {here}, so resources there cannot reach the transit gateway",
                                        tick(&attachment.meta.address)
                                    ),
                                );
                                return w;
                            }
                        }
                        // The attachment's subnet in this AZ: traffic to the gateway meets
                        // its inbound rules, by source address. In that same subnet it has
                        // met the outbound rules too, and replies meet neither.
                        if let Some(at) = self.pick_subnet(&ids, pos) {
                            let src = self.subnet_block(w.src, family).unwrap_or(Addr::Public);
                            let own = exit_crossing.and_then(|i| w.crossings.get_mut(i));
                            match own {
                                Some(c) if at == pos => {
                                    c.legs = Legs::Request;
                                    let (nacl, hop) = (c.nacl, c.hop);
                                    w.crossings.push(Crossing {
                                        nacl,
                                        dir: Direction::Ingress,
                                        remote: src,
                                        hop,
                                        legs: Legs::Request,
                                    });
                                }
                                _ if at == pos => self.cross_legs(
                                    &mut w,
                                    at,
                                    &[(Direction::Ingress, src, Legs::Request)],
                                ),
                                _ => self.cross(&mut w, at, Direction::Ingress, src),
                            }
                        }
                    }
                    let Some(tt) = self.assoc_on(att, t) else {
                        if let Some(end) = self.unsure_assoc(att, t, "") {
                            w.end = end;
                            return w;
                        }
                        w.end = blocked(
                            &attachment.meta.address,
                            format!(
                                "{} is associated with no transit gateway route table",
                                tick(&attachment.meta.address)
                            ),
                        );
                        return w;
                    };
                    let ttable = self.m.tgw_route_table(tt);
                    w.hops.push(self.tgw_table_name(tt));
                    let internet = matches!(dest, Dest::Internet | Dest::Service(_));
                    let Some(mut y) = self.tgw_next(&mut w, tt, family, dest, &dest_addr, internet)
                    else {
                        return w;
                    };
                    // Each gateway crossed: the gateway, the attachment the packet entered
                    // it by, and the one it leaves by. A peering attachment leads on to the
                    // peer gateway, whose table it is associated with there decides next.
                    let mut crossed = vec![(t, att, y)];
                    let mut last_table = ttable;
                    if let TgwAttachmentKind::Peering {
                        peer_transit_gateway,
                    } = &self.m.tgw_attachment(y).kind
                    {
                        let peering = self.m.tgw_attachment(y);
                        let other = if peering.transit_gateway.id() == Some(t) {
                            peer_transit_gateway.id()
                        } else {
                            peering.transit_gateway.id()
                        };
                        let Some(t2) = other.filter(|&t2| t2 != t) else {
                            w.end = End::Unknown {
                                reason: format!(
                                    "{} continues over transit gateway peering {}, whose peer transit gateway this plan does not hold",
                                    self.dest_phrase(dest),
                                    tick(&peering.meta.address)
                                ),
                            };
                            return w;
                        };
                        w.hops.push(self.attachment_name(y));
                        w.hops.push(self.tgw_name(t2));
                        w.via.push(format!(
                            "transit gateway peering {}",
                            tick(&peering.meta.address)
                        ));
                        let Some(tt2) = self.assoc_on(y, t2) else {
                            if let Some(end) = self.unsure_assoc(y, t2, "") {
                                w.end = end;
                                return w;
                            }
                            w.end = blocked(
                                &peering.meta.address,
                                format!(
                                    "{} is associated with no route table of {}",
                                    tick(&peering.meta.address),
                                    tick(&self.m.transit_gateway(t2).meta.address)
                                ),
                            );
                            return w;
                        };
                        w.hops.push(self.tgw_table_name(tt2));
                        let Some(y2) =
                            self.tgw_next(&mut w, tt2, family, dest, &dest_addr, internet)
                        else {
                            return w;
                        };
                        if let TgwAttachmentKind::Peering { .. } = self.m.tgw_attachment(y2).kind {
                            w.end = End::Unknown {
                                reason: format!(
                                    "{} continues over a second transit gateway peering, {}, which tfvpc does not follow",
                                    self.dest_phrase(dest),
                                    tick(&self.m.tgw_attachment(y2).meta.address)
                                ),
                            };
                            return w;
                        }
                        crossed.push((t2, y, y2));
                        last_table = self.m.tgw_route_table(tt2);
                        y = y2;
                    }
                    // The return route, gateway by gateway from the far end: the table
                    // associated with the attachment a reply enters by must send the
                    // source's CIDR back to the attachment the request came in by (on the
                    // first gateway, an attachment of the VPC this crossing started from:
                    // the source's, or the one a walk reached first, such as an inspection
                    // VPC whose appliances send traffic on to the transit gateway, whose
                    // own way back was checked when it was entered).
                    let src_addr = self.subnet_block(w.src, family).unwrap_or(Addr::Public);
                    let src_vpc = vpc;
                    for (k, &(gw, came_in, left_by)) in crossed.iter().enumerate().rev() {
                        let out = self.m.tgw_attachment(left_by);
                        let back_ok = |z: TgwAttachmentId| {
                            if k == 0 {
                                src_vpc.is_some_and(|sv| self.vpc_attachment(sv, gw) == Some(z))
                            } else {
                                z == came_in
                            }
                        };
                        let entered = self.m.tgw_attachment(came_in);
                        match self.assoc_on(left_by, gw) {
                            None => {
                                w.hops.push(self.attachment_name(left_by));
                                if let Some(end) =
                                    self.unsure_assoc(left_by, gw, "replies may not return: ")
                                {
                                    w.end = end;
                                    return w;
                                }
                                w.end = blocked(
                                    &out.meta.address,
                                    format!(
                                        "replies cannot return: {} is associated with no route table",
                                        tick(&out.meta.address)
                                    ),
                                );
                                return w;
                            }
                            Some(back) => match self.tgw_lookup(back, family, &src_addr, false) {
                                TgwLookup::Attach(z) if back_ok(z) => {}
                                TgwLookup::Unknown(reason) => {
                                    w.end = End::Unknown { reason };
                                    return w;
                                }
                                TgwLookup::Blackhole(a) => {
                                    w.hops.push(self.attachment_name(left_by));
                                    w.hops.push(self.name(&a));
                                    w.end = blocked(
                                        &a,
                                        format!(
                                            "replies cannot return: blackhole route {} drops traffic back to {}",
                                            tick(&a),
                                            tick(self.subnet_addr(w.src))
                                        ),
                                    );
                                    return w;
                                }
                                _ => {
                                    let baddr = &self.m.tgw_route_table(back).meta.address;
                                    w.hops.push(self.attachment_name(left_by));
                                    w.hops.push(self.tgw_table_name(back));
                                    w.end = blocked(
                                        baddr,
                                        format!(
                                            "replies cannot return: {} has no route back to {} through {}",
                                            tick(baddr),
                                            tick(self.subnet_addr(w.src)),
                                            tick(&entered.meta.address)
                                        ),
                                    );
                                    return w;
                                }
                            },
                        }
                    }
                    w.tgw.extend_from_slice(&crossed);
                    let far = self.m.tgw_attachment(y);
                    w.hops.push(self.attachment_name(y));
                    match &far.kind {
                        TgwAttachmentKind::Vpc { subnets, .. } => {
                            let ids: Vec<SubnetId> = subnets.iter().filter_map(Link::id).collect();
                            let Some(entry) = self.pick_subnet(&ids, pos) else {
                                if let Some(why) = unresolved_reason(subnets) {
                                    w.end = End::Unknown {
                                        reason: format!(
                                            "the subnets of {} are not known: {why}",
                                            tick(&far.meta.address)
                                        ),
                                    };
                                    return w;
                                }
                                w.end = blocked(
                                    &far.meta.address,
                                    format!("{} has no subnets", tick(&far.meta.address)),
                                );
                                return w;
                            };
                            if let Some(reason) = self.unsure_entry(&ids, entry, pos, dest) {
                                w.end = End::Unknown {
                                    reason: format!("{}: {reason}", tick(&far.meta.address)),
                                };
                                return w;
                            }
                            pos = entry;
                            from_tgw = true;
                            entered = self.m.subnet(entry).vpc.id().map(|v| (v, y));
                        }
                        TgwAttachmentKind::Vpn { connection } => {
                            if let Dest::Onprem(v, _) = dest {
                                if v == connection {
                                    w.hops.push(self.dest_name(dest));
                                    w.end = End::Arrived;
                                    return w;
                                }
                            }
                            w.end = End::Unknown {
                                reason: format!(
                                    "{} sends {} to on-premises networks behind {}, whose routing the plan does not show",
                                    tick(&last_table.meta.address),
                                    self.dest_phrase(dest),
                                    tick(&self.m.vpn_connection(*connection).meta.address)
                                ),
                            };
                            return w;
                        }
                        TgwAttachmentKind::Peering { .. } => {
                            // Not reached: a peering attachment leads on to the peer
                            // gateway above, and a second one ends the walk there.
                            w.end = End::Unknown {
                                reason: format!(
                                    "{} continues over transit gateway peering {}, which tfvpc does not follow",
                                    self.dest_phrase(dest),
                                    tick(&far.meta.address)
                                ),
                            };
                            return w;
                        }
                    }
                }
                Target::Peering(link) => {
                    let p = resolve!(link);
                    let peering = self.m.peering(p);
                    let paddr = self.peering_name(p);
                    w.hops.push(paddr.clone());
                    if !peering.accepted {
                        w.end = match &peering.accept_unknown {
                            Some(why) => End::Unknown {
                                reason: format!(
                                    "whether peering {} is accepted is not known: {why}",
                                    tick(&paddr)
                                ),
                            },
                            None => {
                                blocked(&paddr, format!("peering {} is not accepted", tick(&paddr)))
                            }
                        };
                        return w;
                    }
                    let (r, a) = (peering.requester.id(), peering.accepter.id());
                    // A side whose VPC is not known: the peer, when the other side is this
                    // VPC; else perhaps this VPC. Only a subnet can be reached over it.
                    let (rl, al) = (&peering.requester, &peering.accepter);
                    let far = if r == vpc && vpc.is_some() {
                        Some(al)
                    } else if a == vpc && vpc.is_some() {
                        Some(rl)
                    } else {
                        None
                    };
                    let unsure = match far {
                        Some(l) => unresolved_reason(std::slice::from_ref(l)),
                        None => unresolved_reason(std::slice::from_ref(rl))
                            .or_else(|| unresolved_reason(std::slice::from_ref(al))),
                    };
                    if let (Some(why), Dest::Subnet(_)) = (unsure, dest) {
                        w.end = End::Unknown {
                            reason: format!(
                                "which VPCs peering {} connects is not known ({why})",
                                tick(&paddr)
                            ),
                        };
                        return w;
                    }
                    let peer = if r == vpc && vpc.is_some() {
                        a
                    } else if a == vpc && vpc.is_some() {
                        r
                    } else {
                        w.end = blocked(
                            &paddr,
                            format!(
                                "peering {} does not connect the VPC of {}",
                                tick(&paddr),
                                tick(&table.meta.address)
                            ),
                        );
                        return w;
                    };
                    match dest {
                        Dest::Subnet(b) if self.m.subnet(*b).vpc.id() == peer && peer.is_some() => {
                            w.via.push(format!("peering {}", tick(&paddr)));
                            w.peering = Some(p);
                            self.arrive_subnet(&mut w, *b, family);
                        }
                        Dest::Subnet(b) => {
                            w.end = blocked(
                                &paddr,
                                format!(
                                    "peering is not transitive: {} is not in the VPC {} connects to",
                                    tick(self.subnet_addr(*b)),
                                    tick(&paddr)
                                ),
                            );
                        }
                        _ => {
                            w.end = blocked(
                                &paddr,
                                format!(
                                    "a peered VPC's gateways cannot carry {} (no edge-to-edge routing over {})",
                                    self.dest_phrase(dest),
                                    tick(&paddr)
                                ),
                            );
                        }
                    }
                    return w;
                }
                Target::Other { attribute, value } => {
                    w.end = End::Unknown {
                        reason: format!(
                            "route {} targets {attribute} `{value}`, which tfvpc does not model",
                            tick(raddr)
                        ),
                    };
                    return w;
                }
                Target::Unresolved { attribute, reason } => {
                    w.end = End::Unknown {
                        reason: format!(
                            "the target of route {} ({attribute}) is unknown: {reason}",
                            tick(raddr)
                        ),
                    };
                    return w;
                }
                Target::Missing => {
                    w.end = blocked(raddr, format!("route {} has no target", tick(raddr)));
                    return w;
                }
            }
        }
        w.end = blocked(
            self.subnet_addr(pos),
            format!(
                "the path to {} is longer than {MAX_STEPS} hops",
                self.dest_phrase(dest)
            ),
        );
        w
    }

    /// VGW route propagation for an on-premises CIDR: `Some(Ok(vgw))` when a propagated route
    /// wins over the table's best static match, `Some(Err(reason))` when BGP decides it.
    fn vgw_propagation(
        &self,
        table: RouteTableId,
        v: VpnConnectionId,
        net: IpNet,
        found: &Lookup,
    ) -> Option<Result<GatewayId, String>> {
        let conn = self.m.vpn_connection(v);
        let t = self.m.route_table(table);
        let g = match &conn.vpn_gateway {
            Link::To(g, _) => *g,
            Link::Unresolved(why) => {
                // The connection may terminate on any gateway whose routes the table
                // gets: where one's would decide, the answer is not known.
                return t.propagating_vgws.iter().find_map(|(_, l)| {
                    let g = l.id()?;
                    self.vgw_propagation_decides(table, v, g, net, found)
                        .map(|_| {
                            Err(format!(
                                "{}, whose routes {} propagates",
                                unsure_vgw(conn, &self.m.gateway(g).meta.address, why),
                                tick(&t.meta.address)
                            ))
                        })
                });
            }
            Link::None | Link::External(_) => return None,
        };
        if !t.propagating_vgws.iter().any(|(_, l)| l.id() == Some(g)) {
            // A propagation whose gateway or table is not known may be this one: where it
            // would decide, the answer is not known.
            let why = self.maybe_propagating(table, g)?;
            return self
                .vgw_propagation_decides(table, v, g, net, found)
                .map(|_| Err(why));
        }
        self.vgw_propagation_decides(table, v, g, net, found)
    }

    /// Why gateway `g` may propagate routes into `table` although no propagation of the
    /// table names it: one names a gateway not known at plan time, or one's table is not
    /// known and may be this one (a table of the gateway's VPC).
    /// The connection routes whose connection is not known that may be connection `v`'s
    /// ([`Engine::vpn_maybe`]), in model order.
    fn maybe_vpn_routes(
        &self,
        v: VpnConnectionId,
    ) -> impl Iterator<Item = &'m crate::model::UnplacedVpnRoute> + '_ {
        let mut at: Vec<usize> = [Some(v), None]
            .iter()
            .filter_map(|k| self.vpn_maybe.get(k))
            .flatten()
            .copied()
            .collect();
        at.sort_unstable();
        at.dedup();
        let m = self.m;
        at.into_iter()
            .filter_map(move |k| m.unplaced_vpn_routes.get(k))
    }

    fn maybe_propagating(&self, table: RouteTableId, g: GatewayId) -> Option<String> {
        let t = self.m.route_table(table);
        if let Some((addr, l)) = t
            .propagating_vgws
            .iter()
            .find(|(_, l)| matches!(l, Link::Unresolved(_)))
        {
            return Some(format!(
                "{} propagates routes of a virtual private gateway not known at plan time into {}, which may be {} ({})",
                tick(addr),
                tick(&t.meta.address),
                tick(&self.m.gateway(g).meta.address),
                link_reason(self.m, l)
            ));
        }
        let gvpc = self.m.gateway(g).vpc.id();
        let vpc = t.vpc.id();
        // Those of this gateway or of one not known; the first in model order.
        [Some(g), None]
            .iter()
            .filter_map(|k| self.vgw_maybe.get(k))
            .flatten()
            .copied()
            .filter(|&k| {
                self.m.unplaced_vgw_propagations.get(k).is_some_and(|u| {
                    (u.among.is_empty() || u.among.contains(&table))
                        && (gvpc.is_none() || vpc.is_none() || gvpc == vpc)
                })
            })
            .min()
            .and_then(|k| self.m.unplaced_vgw_propagations.get(k))
            .map(|u| {
                format!(
                    "{} may propagate routes of {} into {}: its route table is not known ({})",
                    tick(&u.address),
                    tick(&self.m.gateway(g).meta.address),
                    tick(&t.meta.address),
                    u.why
                )
            })
    }

    /// What propagation of gateway `g`'s routes into `table` makes of on-premises `net` of
    /// connection `v`, against what the table's own routes found.
    fn vgw_propagation_decides(
        &self,
        table: RouteTableId,
        v: VpnConnectionId,
        g: GatewayId,
        net: IpNet,
        found: &Lookup,
    ) -> Option<Result<GatewayId, String>> {
        let conn = self.m.vpn_connection(v);
        let t = self.m.route_table(table);
        let found_len = match found {
            Lookup::Route(r) => match &self.m.route(*r).destination {
                crate::model::Destination::Cidr(b) => known_net(b).map(|n| n.prefix_len()),
                _ => None,
            },
            _ => None,
        };
        if conn.static_routes_only {
            let declared = conn
                .static_routes
                .iter()
                .any(|(_, b)| matches!(b, Block::Known(n) if IpNet::V4(*n) == net));
            if !declared {
                // A connection route whose connection is not known may declare it, and
                // its propagated route would win where the table has none as long.
                let u = self.maybe_vpn_routes(v).find(|u| match &u.block {
                    Block::Known(n) => IpNet::V4(*n) == net,
                    Block::Unknown(_) => true,
                })?;
                return match found_len {
                    Some(l) if l >= net.prefix_len() => None,
                    _ => Some(Err(maybe_declares(u, conn))),
                };
            }
            match found_len {
                Some(l) if l > net.prefix_len() => None,
                Some(l) if l == net.prefix_len() => None,
                _ => Some(Ok(g)),
            }
        } else {
            match found_len {
                Some(l) if l >= net.prefix_len() => None,
                _ => Some(Err(format!(
                    "{} learns on-premises routes over BGP and {} propagates them; the plan does not show them",
                    tick(&conn.meta.address),
                    tick(&t.meta.address)
                ))),
            }
        }
    }

    fn bgp_reason(&self, tt: TgwRouteTableId, v: VpnConnectionId) -> Option<String> {
        let conn = self.m.vpn_connection(v);
        let att = self.vpn_attachment.get(v.index()).copied().flatten()?;
        let idx = self.tgw_tables.get(tt.index())?;
        if conn.static_routes_only {
            return None;
        }
        if !idx.bgp.contains(&att) {
            return idx
                .bgp_unsure
                .iter()
                .find(|(a, _)| *a == att)
                .map(|(_, why)| {
                    format!(
                        "{} learns on-premises routes over BGP, and its propagation {why}",
                        tick(&conn.meta.address)
                    )
                });
        }
        Some(format!(
            "{} learns on-premises routes over BGP and propagates them into {}; the plan does not show them",
            tick(&conn.meta.address),
            tick(&self.m.tgw_route_table(tt).meta.address)
        ))
    }
}

fn link_reason<I>(m: &Model, l: &Link<I>) -> String {
    match l {
        Link::To(..) => String::new(),
        Link::None => "not set".to_string(),
        Link::External(id) => format!("{} is outside this plan", m.outside_id(id)),
        Link::Unresolved(r) => r.clone(),
    }
}

/// The lookup index of transit gateway route table `t`, with what may be in it:
/// `unplaced`, the routes and propagations whose table is not known
/// ([`Model::unplaced_tgw_by_table`]).
fn build_tgw_index(
    m: &Model,
    t: &crate::model::TgwRouteTable,
    unplaced: &[&UnplacedTgw],
) -> TgwIndex {
    let mut idx = TgwIndex::default();
    let table = &t.meta.address;
    let may_be = |u: &UnplacedTgw| {
        format!(
            "{} may be in {}: its route table is not known ({})",
            tick(&u.address),
            tick(table),
            u.why
        )
    };
    let routes = t
        .routes
        .iter()
        .map(|r| (r, None))
        .chain(unplaced.iter().filter_map(|u| match &u.kind {
            UnplacedTgwKind::Route(r) => Some((r, Some(may_be(u)))),
            _ => None,
        }));
    for (r, maybe) in routes {
        let hop = match (&r.attachment, maybe) {
            (_, Some(why)) => TgwHop::Unknown(why),
            (None, None) => TgwHop::Blackhole,
            (Some(Link::To(a, _)), None) => TgwHop::Attach(*a),
            (Some(l), None) => TgwHop::Unknown(format!(
                "the attachment of transit gateway route {} is not known: {}",
                tick(&r.address),
                link_reason(m, l)
            )),
        };
        match known_net(&r.destination) {
            Some(n) => {
                let mut rank = if resource_type(&r.address)
                    == "aws_ec2_transit_gateway_prefix_list_reference"
                {
                    2
                } else {
                    0
                };
                if matches!(hop, TgwHop::Unknown(_)) {
                    rank += 1;
                }
                idx.entries.push((n, rank, hop, r.address.clone()));
            }
            None => first(&mut idx.unknown, || match hop {
                TgwHop::Unknown(why) => why,
                _ => format!(
                    "the destination of transit gateway route {} is known only after apply",
                    tick(&r.address)
                ),
            }),
        }
    }
    // A propagation whose attachment, VPC or block is not known may add a route: where no
    // known route matches, the lookup is `unknown`, not "no route" (a VPC's blocks are never
    // a default route; an attachment not known may be a VPN's, whose BGP routes may be).
    // One whose table is not known adds its routes as undecided ones.
    let propagations = t
        .propagations
        .iter()
        .map(|(address, link)| (address, link, None))
        .chain(unplaced.iter().filter_map(|u| match &u.kind {
            UnplacedTgwKind::Propagation(l) => Some((&u.address, l, Some(may_be(u)))),
            _ => None,
        }));
    for (address, link, maybe) in propagations {
        let Some(att) = link.id().and_then(|a| m.tgw_attachments.get(a.index())) else {
            first(&mut idx.unknown, || {
                maybe.clone().unwrap_or_else(|| {
                    format!(
                        "the routes {} propagates are not known: its attachment: {}",
                        tick(address),
                        link_reason(m, link)
                    )
                })
            });
            continue;
        };
        let a = match link {
            Link::To(a, _) => *a,
            _ => continue,
        };
        match &att.kind {
            TgwAttachmentKind::Vpc {
                vpc, ipv6_support, ..
            } => {
                let Some(v) = vpc.id().and_then(|v| m.vpcs.get(v.index())) else {
                    first(&mut idx.unknown_specific, || {
                        format!(
                            "the routes {} propagates are not known: the VPC of {}: {}",
                            tick(address),
                            tick(&att.meta.address),
                            link_reason(m, vpc)
                        )
                    });
                    continue;
                };
                let v4 = v.ipv4.iter().map(|b| match &b.block {
                    Block::Known(n) => Ok(IpNet::V4(*n)),
                    Block::Unknown(u) => Err(&u.reason),
                });
                let v6 = v.ipv6.iter().map(|b| match &b.block {
                    Block::Known(n) => Ok(IpNet::V6(*n)),
                    Block::Unknown(u) => Err(&u.reason),
                });
                let blocks: Vec<Result<IpNet, &String>> = if *ipv6_support {
                    v4.chain(v6).collect()
                } else {
                    v4.collect()
                };
                for b in blocks {
                    match (b, &maybe) {
                        (Ok(n), None) => {
                            idx.entries.push((n, 4, TgwHop::Attach(a), address.clone()))
                        }
                        (Ok(n), Some(why)) => {
                            idx.entries
                                .push((n, 5, TgwHop::Unknown(why.clone()), address.clone()))
                        }
                        (Err(why), _) => first(&mut idx.unknown_specific, || {
                            format!("a block {} propagates is not known: {why}", tick(address))
                        }),
                    }
                }
            }
            TgwAttachmentKind::Vpn { connection } => {
                let static_only = m
                    .vpn_connections
                    .get(connection.index())
                    .is_some_and(|c| c.static_routes_only);
                if !static_only {
                    match &maybe {
                        None => idx.bgp.push(a),
                        Some(why) => idx.bgp_unsure.push((a, why.clone())),
                    }
                }
            }
            TgwAttachmentKind::Peering { .. } => {}
        }
    }
    idx.entries.sort_by(|a, b| {
        b.0.prefix_len()
            .cmp(&a.0.prefix_len())
            .then(a.1.cmp(&b.1))
            .then(a.0.cmp(&b.0))
    });
    idx
}

/// Sets `slot` to `why()` unless it holds a reason already.
fn first(slot: &mut Option<String>, why: impl FnOnce() -> String) {
    if slot.is_none() {
        *slot = Some(why());
    }
}

/// What the NACLs along a walk let through, both ways.
#[derive(Clone, Debug)]
pub struct Filtered {
    /// Flows that certainly pass, both ways.
    pub sure: Flows,
    /// Flows that may pass (superset of `sure`).
    pub maybe: Flows,
    pub unknown_reason: Option<String>,
    /// When nothing passes: the hop index to cut the path after (None: keep it whole), the
    /// dropping rule or NACL, and the sentence.
    pub drop: Option<(Option<usize>, String, String, DropKind)>,
}

/// Evaluates the NACL crossings of a walk for the `wanted` flows.
pub fn filter(e: &Engine<'_>, crossings: &[Crossing], family: Family, wanted: &Flows) -> Filtered {
    let mut sure = wanted.clone();
    let mut maybe = wanted.clone();
    let mut unknown_reason = None;
    let mut drop = None;
    let mut rev_sure = Flows::all();
    let mut rev_maybe = Flows::all();
    let mut rev_evals = Vec::with_capacity(crossings.len());
    for c in crossings {
        if c.legs != Legs::Reply {
            let v = e.nacl_eval(c.nacl, c.dir, family, &c.remote);
            let before = maybe.clone();
            sure = sure.intersect(&v.verdict.allowed);
            maybe = maybe.intersect(&v.maybe);
            if unknown_reason.is_none() && before.meets(&v.verdict.undecided) {
                unknown_reason = v.verdict.reason.clone();
            }
            if drop.is_none() && maybe.is_empty() && !before.is_empty() {
                if let Some(flow) = before.sample() {
                    drop = Some(explain(e, c, family, flow, Some(&before)));
                }
            }
        }
        if c.legs == Legs::Request {
            rev_evals.push(None);
            continue;
        }
        let r = e.nacl_eval(c.nacl, c.dir.opposite(), family, &c.remote);
        rev_sure = rev_sure.intersect(&r.verdict.allowed);
        rev_maybe = rev_maybe.intersect(&r.maybe);
        if unknown_reason.is_none() && !r.verdict.undecided.is_empty() {
            unknown_reason = r.verdict.reason.clone();
        }
        rev_evals.push(Some(r));
    }
    // An ICMP reply opens nothing: what passes is what may start a connection (all of ICMP
    // both ways stays whole, and is written `icmp`).
    let sure_both = with_replies(&sure, &rev_sure, family).initiated();
    let maybe_both = with_replies(&maybe, &rev_maybe, family).initiated();
    let opening = if drop.is_none() && maybe_both.is_empty() {
        maybe.clone().initiated()
    } else {
        Flows::none()
    };
    if drop.is_none() && maybe_both.is_empty() && opening.is_empty() && !maybe.is_empty() {
        // Only ICMP replies get through: the request dies where the last flow that could
        // open a connection does.
        let mut left = wanted.clone();
        left.icmp = left
            .icmp
            .intersect(crate::analysis::ports::icmp_initiated());
        for c in crossings.iter().filter(|c| c.legs != Legs::Reply) {
            let v = e.nacl_eval(c.nacl, c.dir, family, &c.remote);
            let before = left.clone();
            left = left.intersect(&v.maybe);
            if left.is_empty() {
                drop = before
                    .sample()
                    .map(|flow| explain(e, c, family, flow, Some(&before)));
                break;
            }
        }
    }
    if drop.is_none() && maybe_both.is_empty() && !opening.is_empty() {
        // Replies die: find the first crossing on the way back that drops them.
        if let Some(flow) = opening.sample() {
            let reply = reply_flow(flow, family);
            for (c, r) in crossings.iter().zip(&rev_evals).rev() {
                let Some(r) = r else { continue };
                let r = &r.verdict;
                let ok = match flow {
                    Flow::Tcp(_) => r.allowed.tcp.covers(crate::model::PortRange::EPHEMERAL),
                    Flow::Udp(_) => r.allowed.udp.covers(crate::model::PortRange::EPHEMERAL),
                    Flow::Icmp(_) => r.allowed.contains(reply),
                    Flow::Other => r.allowed.other,
                };
                if !ok {
                    let missing = match flow {
                        Flow::Tcp(_) => Flows::tcp(crate::model::PortRange::EPHEMERAL)
                            .subtract(&r.allowed)
                            .sample()
                            .unwrap_or(reply),
                        Flow::Udp(_) => Flows {
                            udp: crate::analysis::ports::Ranges::range(
                                crate::model::PortRange::EPHEMERAL,
                            ),
                            ..Flows::none()
                        }
                        .subtract(&r.allowed)
                        .sample()
                        .unwrap_or(reply),
                        _ => reply,
                    };
                    let mut d = explain(e, c, family, missing, None);
                    d.0 = None;
                    // Requests that pass only on ephemeral ports go out through the rule a
                    // server's NACL has for its replies: no request anyone meant, so not a
                    // reply problem (TFVPC110) but a NACL that lets no request through. Nor
                    // is it one when no request passes for sure (a rule of a CIDR known
                    // only after apply may drop them first).
                    if only_ephemeral(&opening) || sure.clone().initiated().is_empty() {
                        d.3 = DropKind::Nacl;
                    }
                    drop = Some(d);
                    break;
                }
            }
        }
    }
    Filtered {
        sure: sure_both,
        maybe: maybe_both,
        unknown_reason,
        drop,
    }
}

/// Whether flows are TCP or UDP to ports of the ephemeral range (1024-65535) only.
fn only_ephemeral(f: &Flows) -> bool {
    let eph = crate::analysis::ports::Ranges::range(crate::model::PortRange::EPHEMERAL);
    !f.is_empty()
        && f.icmp.is_empty()
        && !f.other
        && f.tcp.subtract(&eph).is_empty()
        && f.udp.subtract(&eph).is_empty()
}

fn reply_flow(f: Flow, family: Family) -> Flow {
    match f {
        Flow::Tcp(_) => Flow::Tcp(1024),
        Flow::Udp(_) => Flow::Udp(1024),
        Flow::Icmp(k) => Flow::Icmp(crate::analysis::ports::icmp_key(
            crate::analysis::ports::icmp_reply(family, u8::try_from(k >> 8).unwrap_or(u8::MAX)),
            u8::try_from(k & 0xff).unwrap_or(u8::MAX),
        )),
        other => other,
    }
}

/// Forward flows whose replies pass too: TCP/UDP replies need the whole ephemeral range,
/// an ICMP query its reply type (echo request, echo reply), other ICMP messages their own.
fn with_replies(fwd: &Flows, rev: &Flows, family: Family) -> Flows {
    let eph = crate::model::PortRange::EPHEMERAL;
    Flows {
        tcp: if rev.tcp.covers(eph) {
            fwd.tcp.clone()
        } else {
            crate::analysis::ports::Ranges::empty()
        },
        udp: if rev.udp.covers(eph) {
            fwd.udp.clone()
        } else {
            crate::analysis::ports::Ranges::empty()
        },
        icmp: crate::analysis::ports::icmp_with_replies(&fwd.icmp, &rev.icmp, family),
        other: fwd.other && rev.other,
    }
}

/// Why a NACL crossing drops: `flow` as the example, of `dropped` (the whole request that
/// dies there), or of the replies when `dropped` is `None`. A request of every flow whose
/// drop one reason explains is said as "all traffic", not by its first flow (TCP port 0).
fn explain(
    e: &Engine<'_>,
    c: &Crossing,
    family: Family,
    flow: Flow,
    dropped: Option<&Flows>,
) -> (Option<usize>, String, String, DropKind) {
    let nacl = e.m.nacl(c.nacl);
    let reply = dropped.is_none();
    let dir = if reply { c.dir.opposite() } else { c.dir };
    let decision = nacl::decide(nacl, &e.m.unplaced_nacl_rules, dir, family, &c.remote, flow);
    let list = match dir {
        Direction::Ingress => &nacl.ingress,
        Direction::Egress => &nacl.egress,
    };
    let whole = dropped.is_some_and(Flows::is_all)
        && match &decision {
            // A rule of every protocol denies every flow it meets.
            Decision::Deny(rule) => rule.protocol == crate::model::Protocol::All,
            // Nothing passes and nothing is denied: no rule allows any of it.
            _ => !list.iter().any(|r| !r.allow && r.cidr.family() == family),
        };
    let what = match (reply, flow) {
        (true, Flow::Tcp(_) | Flow::Udp(_)) => format!(
            "replies ({} and the rest of 1024-65535)",
            flow.describe(family)
        ),
        (true, _) => format!("replies ({})", flow.describe(family)),
        (false, _) if whole => "all traffic".to_string(),
        (false, _) => flow.describe(family),
    };
    let (by, how) = match decision {
        Decision::Deny(rule) => (
            rule.address.clone(),
            format!("rule {} denies it", rule.rule_number),
        ),
        Decision::ImplicitDeny | Decision::Allow(_) | Decision::Undecided(..) => (
            nacl.meta.address.clone(),
            "no rule allows it (implicit deny)".to_string(),
        ),
    };
    let reason = format!(
        "{} drops {what} {}: {how}",
        tick(&nacl.meta.address),
        dir.as_str()
    );
    let kind = if reply {
        DropKind::NaclReturn
    } else {
        DropKind::Nacl
    };
    (Some(c.hop), by, reason, kind)
}

/// Whether a subnet's block of `family` exists.
pub fn has_family(m: &Model, s: SubnetId, family: Family) -> bool {
    let sub = m.subnet(s);
    match family {
        Family::Ipv4 => sub.ipv4.is_some(),
        Family::Ipv6 => sub.ipv6.is_some(),
    }
}

/// Why VPN connection `conn`, whose virtual private gateway is not known (`why`), may
/// terminate on gateway `gaddr`.
fn unsure_vgw(conn: &crate::model::VpnConnection, gaddr: &str, why: &str) -> String {
    format!(
        "which virtual private gateway {} terminates on is not known ({why}); it may be {}",
        tick(&conn.meta.address),
        tick(gaddr)
    )
}

/// Why connection route `u`, whose connection is not known, may declare its CIDR for
/// `conn`.
pub fn maybe_declares(
    u: &crate::model::UnplacedVpnRoute,
    conn: &crate::model::VpnConnection,
) -> String {
    let what = match &u.block {
        Block::Known(n) => format!("on-premises CIDR {n}"),
        Block::Unknown(_) => "an on-premises CIDR not known at plan time".to_string(),
    };
    format!(
        "{} may declare {what} for {}: its VPN connection is not known ({})",
        tick(&u.address),
        tick(&conn.meta.address),
        u.why
    )
}

/// The on-premises CIDRs that connection routes whose connection is not known may declare
/// for static connection `v`, beside its own (`None`: a CIDR not known at plan time).
pub fn maybe_onprem<'m>(
    e: &Engine<'m>,
    v: VpnConnectionId,
    family: Family,
) -> Vec<(Option<IpNet>, &'m crate::model::UnplacedVpnRoute)> {
    let conn = e.m.vpn_connection(v);
    if family != Family::Ipv4 || !conn.static_routes_only {
        return Vec::new();
    }
    let mut seen = std::collections::HashSet::new();
    e.maybe_vpn_routes(v)
        // Those naming it and those of any connection may have the same CIDR.
        .filter(|u| {
            seen.insert(match &u.block {
                Block::Known(n) => Some(*n),
                Block::Unknown(_) => None,
            })
        })
        .filter_map(|u| match &u.block {
            Block::Known(n) => {
                let own = conn
                    .static_routes
                    .iter()
                    .any(|(_, b)| matches!(b, Block::Known(x) if x == n));
                (!own).then_some((Some(IpNet::V4(*n)), u))
            }
            Block::Unknown(_) => Some((None, u)),
        })
        .collect()
}

/// Known CIDRs of a VPN connection's on-premises side, per family; and the reasons of
/// unknown ones.
pub fn onprem_cidrs(m: &Model, v: VpnConnectionId, family: Family) -> (Vec<IpNet>, Vec<String>) {
    let conn = m.vpn_connection(v);
    let mut nets = Vec::new();
    let mut unknown = Vec::new();
    if family == Family::Ipv4 {
        for (_, b) in &conn.static_routes {
            match b {
                Block::Known(n) => nets.push(IpNet::V4(*n)),
                Block::Unknown(u) => unknown.push(u.reason.clone()),
            }
        }
    }
    for b in conn
        .remote_networks
        .iter()
        .chain(conn.gateway_routes.iter().map(|(_, b)| b))
    {
        if b.family() != family {
            continue;
        }
        match known_net(b) {
            Some(n) => nets.push(n),
            None => {
                if let AnyBlock::V4(Block::Unknown(u)) | AnyBlock::V6(Block::Unknown(u)) = b {
                    unknown.push(u.reason.clone());
                }
            }
        }
    }
    nets.sort();
    nets.dedup();
    // 0.0.0.0/0 as a "remote network" means "anything": not a useful destination.
    nets.retain(|n| n.prefix_len() > 0);
    (nets, unknown)
}
