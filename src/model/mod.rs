//! The network model: AWS networking objects as the prior state and the planned state
//! describe them, linked to each other by typed ids.
//!
//! This module owns pure data. It never reads files, never knows Terraform's JSON shape
//! (that is `plan/`), never decides reachability (that is `analysis/`) and never prints.
//! Every object keeps its Terraform address and the change the plan makes to it.
//!
//! Values the plan does not know yet are explicit: [`Block::Unknown`], [`Link::Unresolved`],
//! [`Val::Unknown`], each with the reason, so later verdicts can say `unknown` instead of
//! guessing.

use std::collections::BTreeMap;
use std::fmt;

pub use ipnet::{IpNet, Ipv4Net, Ipv6Net};

mod unplaced;
pub use unplaced::{FirstWhere, UnplacedRoutes};

/// A Terraform resource address, e.g. `module.net.aws_subnet.private["a"]`.
pub type Address = String;

macro_rules! ids {
    ($($(#[$doc:meta])* $name:ident),* $(,)?) => {$(
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(pub u32);
        impl $name {
            /// The position of the object in its `Model` vector.
            pub fn index(self) -> usize { self.0 as usize }
        }
    )*};
}

ids!(
    VpcId,
    SubnetId,
    RouteTableId,
    RouteId,
    GatewayId,
    NatGatewayId,
    EipId,
    WorkloadId,
    CustomerGatewayId,
    VpnConnectionId,
    TransitGatewayId,
    TgwAttachmentId,
    TgwRouteTableId,
    PeeringId,
    EndpointId,
    InstanceConnectEndpointId,
    NaclId,
    SecurityGroupId,
    PrefixListId,
    ApiStageId,
    BpaId,
);

/// What the plan does to an object. Objects of a state file (no plan) are `NoOp`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Action {
    NoOp,
    Create,
    Update,
    Delete,
    /// Delete then create, or create then delete (`create_before_destroy`).
    Replace,
    Read,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Action::NoOp => "no-op",
            Action::Create => "create",
            Action::Update => "update",
            Action::Delete => "delete",
            Action::Replace => "replace",
            Action::Read => "read",
        }
    }
}

/// IPv4 or IPv6.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Family {
    Ipv4,
    Ipv6,
}

impl Family {
    pub fn as_str(self) -> &'static str {
        match self {
            Family::Ipv4 => "ipv4",
            Family::Ipv6 => "ipv6",
        }
    }
}

impl fmt::Display for Family {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A scalar that may be unknown until apply.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Val<T> {
    Known(T),
    /// Known after apply; the reason names the attribute, e.g.
    /// "`aws_subnet.a.availability_zone` is known only after apply".
    Unknown(String),
}

impl<T> Val<T> {
    pub fn known(&self) -> Option<&T> {
        match self {
            Val::Known(v) => Some(v),
            Val::Unknown(_) => None,
        }
    }
}

/// An address block (a CIDR) that may be unknown at plan time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Block<N> {
    Known(N),
    Unknown(UnknownBlock),
}

/// What is known about a CIDR the plan does not know yet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownBlock {
    /// Why it is unknown, naming the attribute.
    pub reason: String,
    /// The VPC whose block (of the same family) this one lies inside, when structure says so:
    /// a subnet's IPv6 block always lies inside its VPC's IPv6 block. On a VPC's own block
    /// this is `None`.
    pub inside_vpc: Option<VpcId>,
    /// The subnets of `inside_vpc` one of whose blocks (of the same family) this one lies
    /// inside, when structure says so: a rule naming `aws_subnet.app.ipv6_cidr_block`.
    /// Subnets of one VPC never overlap, so such a block never covers another subnet of
    /// that VPC. Empty when not known.
    pub inside_subnets: Vec<SubnetId>,
    /// The prefix length when known (`/56` for an Amazon-provided VPC IPv6 block, `/64` for
    /// a subnet's).
    pub prefix_len: Option<u8>,
    /// A VPC's Amazon-provided IPv6 block (`assign_generated_ipv6_cidr_block`): taken from
    /// Amazon's own pool, it never overlaps another VPC's.
    pub amazon_ipv6: bool,
}

impl<N> Block<N> {
    pub fn known(&self) -> Option<&N> {
        match self {
            Block::Known(n) => Some(n),
            Block::Unknown(_) => None,
        }
    }
}

/// How a link between two objects was established.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum LinkHow {
    /// Through a `configuration` reference (`aws_vpc.main.id`, module inputs and outputs).
    Reference,
    /// Through a known ID value (prior state, constants).
    Id,
    /// Through structure only (the only VPC in the module instance, a matching index):
    /// likely, not certain. Locals never appear in plan JSON, so `local.vpc_id` links land here.
    Inferred,
}

/// A link from one object to another.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Link<I> {
    /// The attribute is not set (null, absent, empty string).
    None,
    /// Resolved to an object of this model.
    To(I, LinkHow),
    /// A known ID of an object this model does not hold: created outside this
    /// configuration, or deleted by this plan (in the planned model).
    External(String),
    /// Set, but neither a reference nor an ID could be resolved; the reason says why.
    Unresolved(String),
}

impl<I: Copy> Link<I> {
    pub fn id(&self) -> Option<I> {
        match self {
            Link::To(id, _) => Some(*id),
            _ => None,
        }
    }
    pub fn is_none(&self) -> bool {
        matches!(self, Link::None)
    }
}

/// IP protocol of a NACL or security-group rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Protocol {
    /// `-1` / `all`.
    All,
    Tcp,
    Udp,
    Icmp,
    Icmpv6,
    /// Any other IP protocol number.
    Number(u8),
}

/// An inclusive port range. ICMP rules carry type/code in [`IcmpMatch`] instead.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PortRange {
    pub from: u16,
    pub to: u16,
}

impl PortRange {
    pub const ALL: PortRange = PortRange { from: 0, to: 65535 };
    pub const EPHEMERAL: PortRange = PortRange {
        from: 1024,
        to: 65535,
    };
    /// One port.
    pub const fn single(port: u16) -> PortRange {
        PortRange {
            from: port,
            to: port,
        }
    }
    pub fn contains(&self, port: u16) -> bool {
        self.from <= port && port <= self.to
    }
}

/// ICMP type and code; `-1` in Terraform means any and is `None` here.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct IcmpMatch {
    pub icmp_type: Option<u8>,
    pub icmp_code: Option<u8>,
}

/// A CIDR of either family.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AnyBlock {
    V4(Block<Ipv4Net>),
    V6(Block<Ipv6Net>),
}

impl AnyBlock {
    pub fn family(&self) -> Family {
        match self {
            AnyBlock::V4(_) => Family::Ipv4,
            AnyBlock::V6(_) => Family::Ipv6,
        }
    }
}

/// Tags as written (`tags_all` is ignored: provider defaults add noise, not meaning),
/// sorted by key. Objects carry a few tags each, and there can be hundreds of thousands of
/// objects: a sorted vector costs a fraction of a `BTreeMap` (whose smallest node holds
/// room for eleven entries).
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Tags(Vec<(String, String)>);

impl Tags {
    pub fn new() -> Self {
        Tags(Vec::new())
    }
    pub fn get(&self, key: &str) -> Option<&String> {
        self.0
            .binary_search_by(|(k, _)| k.as_str().cmp(key))
            .ok()
            .and_then(|i| self.0.get(i))
            .map(|(_, v)| v)
    }
    /// Sets a tag, returning its previous value.
    pub fn insert(&mut self, key: String, value: String) -> Option<String> {
        match self.0.binary_search_by(|(k, _)| k.cmp(&key)) {
            Ok(i) => self
                .0
                .get_mut(i)
                .map(|slot| std::mem::replace(&mut slot.1, value)),
            Err(i) => {
                self.0.insert(i, (key, value));
                None
            }
        }
    }
    /// The tags in key order.
    pub fn iter(&self) -> impl Iterator<Item = (&String, &String)> {
        self.0.iter().map(|(k, v)| (k, v))
    }
    pub fn len(&self) -> usize {
        self.0.len()
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl FromIterator<(String, String)> for Tags {
    fn from_iter<I: IntoIterator<Item = (String, String)>>(iter: I) -> Self {
        let mut t = Tags::new();
        for (k, v) in iter {
            t.insert(k, v);
        }
        t.0.shrink_to_fit();
        t
    }
}

impl<'a> IntoIterator for &'a Tags {
    type Item = (&'a String, &'a String);
    type IntoIter = std::iter::Map<
        std::slice::Iter<'a, (String, String)>,
        fn(&'a (String, String)) -> (&'a String, &'a String),
    >;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter().map(|(k, v)| (k, v))
    }
}

/// What every modelled object carries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Meta {
    /// Full Terraform address, e.g. `module.net.aws_subnet.this["a"]`.
    pub address: Address,
    pub action: Action,
    /// The AWS ID when known (prior state, imported, constants).
    pub id: Option<String>,
    pub tags: Tags,
}

impl Meta {
    /// The `Name` tag, if any.
    pub fn name(&self) -> Option<&str> {
        self.tags.get("Name").map(String::as_str)
    }
}

// ---------------------------------------------------------------------------------------
// VPCs and subnets

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Vpc {
    pub meta: Meta,
    /// Primary first, then `aws_vpc_ipv4_cidr_block_association` blocks.
    pub ipv4: Vec<VpcBlock<Ipv4Net>>,
    /// Amazon-provided or BYOIP IPv6 blocks (`assign_generated_ipv6_cidr_block`,
    /// `ipv6_cidr_block`, `aws_vpc_ipv6_cidr_block_association`).
    pub ipv6: Vec<VpcBlock<Ipv6Net>>,
    /// The VPC's main route table: the one `aws_main_route_table_association` or
    /// `aws_default_route_table` names, else a synthesized table with only local routes.
    pub main_route_table: RouteTableId,
    /// The VPC's default NACL: `aws_default_network_acl` when managed, else a synthesized
    /// allow-all one.
    pub default_nacl: NaclId,
    /// The VPC's default security group when `aws_default_security_group` manages it.
    pub default_security_group: Option<SecurityGroupId>,
    /// The Block Public Access options of its account and Region.
    pub block_public_access: BpaScope,
    /// Read by a data source (`data.aws_vpc`): it exists, but what it holds beyond what the
    /// plan shows (its internet gateway, main route table, default NACL) is not known.
    pub outside: bool,
}

/// One CIDR block of a VPC, and where it came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VpcBlock<N> {
    pub block: Block<N>,
    /// The address that declares it: the VPC itself or a `*_cidr_block_association`.
    pub source: Address,
    pub action: Action,
}

/// How a subnet got its route table or NACL.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AssocVia {
    /// An explicit association (`aws_route_table_association`, `aws_network_acl_association`,
    /// `aws_network_acl.subnet_ids`), at this address.
    Explicit(Address),
    /// Nothing explicit: the VPC's main route table / default NACL.
    Implicit,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Assoc<I> {
    pub link: Link<I>,
    pub via: AssocVia,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Subnet {
    pub meta: Meta,
    pub vpc: Link<VpcId>,
    pub availability_zone: Val<String>,
    pub ipv4: Option<Block<Ipv4Net>>,
    pub ipv6: Option<Block<Ipv6Net>>,
    pub map_public_ip_on_launch: bool,
    pub assign_ipv6_address_on_creation: bool,
    /// `enable_dns64`: the VPC's resolver answers names with IPv4 addresses only with
    /// addresses in `64:ff9b::/96`, which only a NAT64 route carries.
    pub dns64: bool,
    /// The table the subnet uses: explicit, else the VPC's main table.
    pub route_table: Assoc<RouteTableId>,
    /// The NACL the subnet uses: explicit, else the VPC's default NACL.
    pub nacl: Assoc<NaclId>,
}

// ---------------------------------------------------------------------------------------
// Route tables and routes

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RouteTable {
    pub meta: Meta,
    pub vpc: Link<VpcId>,
    /// Synthesized for a VPC whose main table Terraform does not manage.
    pub synthesized: bool,
    /// Every route of the table, including the implicit local routes, inline `route`
    /// blocks, `aws_route` resources, VGW-propagated routes and gateway-endpoint routes.
    pub routes: Vec<RouteId>,
    /// VGWs that propagate into this table (`propagating_vgws`,
    /// `aws_vpn_gateway_route_propagation`), with the declaring address.
    pub propagating_vgws: Vec<(Address, Link<GatewayId>)>,
    /// Gateways this table is edge-associated with (`aws_route_table_association.gateway_id`),
    /// with the association's address.
    pub edge_associations: Vec<(Address, Link<GatewayId>)>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Route {
    /// `aws_route.x`, or for inline routes the table's address plus ` route[N]`, or for
    /// implicit routes the table's address plus a description (e.g. ` local`).
    pub address: Address,
    pub action: Action,
    pub table: Link<RouteTableId>,
    /// When `table` is not resolved: the tables it may be, where the references name them
    /// all (a module instance's two route table outputs, say). Empty: it may be any table.
    pub table_among: Vec<RouteTableId>,
    pub destination: Destination,
    pub target: Target,
    pub origin: RouteOrigin,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Destination {
    Cidr(AnyBlock),
    /// `destination_prefix_list_id` naming a customer-managed prefix list.
    PrefixList(Link<PrefixListId>),
    /// The AWS-managed prefix list of a service, added by a gateway endpoint
    /// (`service:s3`, `service:dynamodb`). The string is the short service name.
    Service(String),
    /// A destination whose value is unknown and whose family cannot be told.
    Unknown(String),
}

/// Where a route's target points.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// The implicit route to the VPC's own CIDR.
    Local,
    /// `gateway_id` naming an IGW, or a VGW; `egress_only_gateway_id`.
    Gateway(Link<GatewayId>),
    NatGateway(Link<NatGatewayId>),
    TransitGateway(Link<TransitGatewayId>),
    Peering(Link<PeeringId>),
    /// `vpc_endpoint_id` (GWLB endpoint), or the gateway endpoint of a `Service` route.
    Endpoint(Link<EndpointId>),
    /// `network_interface_id` or `instance_id` (NAT instances, appliances).
    Workload(Link<WorkloadId>),
    /// `carrier_gateway_id`, `local_gateway_id`, `core_network_arn`: modelled as opaque.
    Other {
        attribute: String,
        value: String,
    },
    /// The target attribute is set but its kind cannot be told (an unresolved
    /// `gateway_id` could be an IGW or a VGW).
    Unresolved {
        attribute: String,
        reason: String,
    },
    /// No target attribute at all (invalid; apply would fail).
    Missing,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RouteOrigin {
    /// The implicit `local` route of a VPC CIDR.
    Local,
    /// An inline `route` block of `aws_route_table` / `aws_default_route_table`.
    Inline,
    /// An `aws_route` resource.
    Resource,
    /// Propagated by this VGW (lower priority than static routes of the same prefix).
    Propagated(GatewayId),
    /// Added by a gateway endpoint's route-table association at this address.
    Endpoint(Address),
    /// Created by AWS with a default VPC: 0.0.0.0/0 to its internet gateway, in its main
    /// route table.
    DefaultVpc,
}

// ---------------------------------------------------------------------------------------
// Gateways

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum GatewayKind {
    /// `aws_internet_gateway`
    Internet,
    /// `aws_egress_only_internet_gateway`
    EgressOnly,
    /// `aws_vpn_gateway` (virtual private gateway)
    Vpn,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Gateway {
    pub meta: Meta,
    pub kind: GatewayKind,
    /// The VPC it is attached to (`vpc_id`, or `aws_internet_gateway_attachment` /
    /// `aws_vpn_gateway_attachment`).
    pub vpc: Link<VpcId>,
    /// The attachment resource, when the attachment is a separate resource.
    pub attachment: Option<Address>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum NatConnectivity {
    Public,
    Private,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NatGateway {
    pub meta: Meta,
    pub subnet: Link<SubnetId>,
    pub connectivity: NatConnectivity,
    /// `allocation_id`: the Elastic IP of a public NAT gateway.
    pub allocation: Link<EipId>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Eip {
    pub meta: Meta,
    pub public_ip: Option<Val<String>>,
    /// Instance or network interface it is associated with (`instance`, `network_interface`,
    /// or `aws_eip_association`).
    pub workload: Link<WorkloadId>,
    pub association: Option<Address>,
}

// ---------------------------------------------------------------------------------------
// Workloads: instances and network interfaces, and what AWS launches in a subnet for an
// Auto Scaling group, an ECS service or a database

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum WorkloadKind {
    Instance,
    NetworkInterface,
    /// The instances of an `aws_autoscaling_group` in one of its subnets, with the groups
    /// and public IPv4 setting of its launch template or launch configuration.
    AutoScalingGroup,
    /// The tasks of an `aws_ecs_service` (`awsvpc` network mode) in one of its subnets.
    EcsService,
    /// An `aws_db_instance` or `aws_rds_cluster_instance`, in one of the subnets of its DB
    /// subnet group (AWS picks one).
    DbInstance,
    /// The nodes of an `aws_eks_node_group` in one of its subnets, or the pods of an
    /// `aws_eks_fargate_profile`.
    EksNodeGroup,
    /// The network interfaces of an `aws_lambda_function` in a VPC, in one of its subnets.
    LambdaFunction,
    /// An `aws_elasticache_replication_group` or `aws_elasticache_cluster`, a MemoryDB
    /// cluster (`aws_memorydb_cluster`) or a DAX cluster (`aws_dax_cluster`), in one of the
    /// subnets of its subnet group.
    CacheCluster,
    /// An `aws_efs_mount_target`: one network interface in one subnet.
    EfsMountTarget,
    /// The nodes of an Elastic Load Balancing load balancer (`aws_lb`, `aws_alb`,
    /// `aws_elb`) in one of its subnets.
    LoadBalancer,
    /// An Amazon MQ broker (`aws_mq_broker`) or the brokers of an MSK cluster
    /// (`aws_msk_cluster`) in one of its subnets.
    MessageBroker,
    /// The nodes of an OpenSearch domain in a VPC (`aws_opensearch_domain`, or the older
    /// `aws_elasticsearch_domain`) in one of its subnets.
    SearchDomain,
    /// The file servers of an FSx file system (`aws_fsx_lustre_file_system`,
    /// `aws_fsx_windows_file_system`, `aws_fsx_ontap_file_system`,
    /// `aws_fsx_openzfs_file_system`) in one of its subnets.
    FileSystem,
    /// The network interfaces a managed service places in one of its subnets for its own
    /// work, with private addresses only: a CodeBuild project's builds, a SageMaker
    /// notebook instance, an MWAA environment, an App Runner VPC connector, a Glue
    /// connection, a Route 53 Resolver endpoint.
    ServiceInterface,
    /// The network interfaces an EKS cluster's control plane (`aws_eks_cluster`) places
    /// in one of its subnets: the Kubernetes API's private endpoint.
    EksCluster,
    /// The users of an `aws_ec2_client_vpn_endpoint`, as they arrive in one of the subnets
    /// it is associated with (`aws_ec2_client_vpn_network_association`): the endpoint
    /// translates their addresses to its network interface's there, behind its security
    /// groups. They open connections; nothing in the VPC can open one to them.
    ClientVpn,
    /// The EC2 instances or Fargate tasks that run the jobs of an
    /// `aws_batch_compute_environment` (`compute_resources`) in one of its subnets.
    BatchCompute,
}

impl WorkloadKind {
    /// Whether one resource is a workload in each of several subnets, addressed
    /// `<address> (<subnet>)`.
    pub fn spreads(self) -> bool {
        !matches!(
            self,
            WorkloadKind::Instance | WorkloadKind::NetworkInterface | WorkloadKind::EfsMountTarget
        )
    }

    /// Whether it is a managed data service: a database, cache, message broker, search
    /// domain or file system, which listens on its service's ports only.
    pub fn is_data_service(self) -> bool {
        matches!(
            self,
            WorkloadKind::DbInstance
                | WorkloadKind::CacheCluster
                | WorkloadKind::MessageBroker
                | WorkloadKind::SearchDomain
                | WorkloadKind::EfsMountTarget
                | WorkloadKind::FileSystem
        )
    }

    /// Whether it may run an SSH or RDP server: not a managed data service, nor a Lambda
    /// function.
    pub fn takes_admin_logins(self) -> bool {
        !self.is_data_service()
            && !matches!(
                self,
                WorkloadKind::LambdaFunction
                    | WorkloadKind::EksCluster
                    | WorkloadKind::ServiceInterface
                    | WorkloadKind::ClientVpn
            )
    }

    /// Whether it is EC2 instances (what an EC2 Instance Connect Endpoint connects to).
    pub fn is_ec2_instance(self) -> bool {
        matches!(
            self,
            WorkloadKind::Instance | WorkloadKind::AutoScalingGroup | WorkloadKind::EksNodeGroup
        )
    }
}

/// How a workload gets a public IPv4 address.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PublicIpv4 {
    /// None assigned by the plan (the subnet's `map_public_ip_on_launch` may still apply).
    None,
    /// `associate_public_ip_address = true`.
    Auto,
    /// An Elastic IP at this address.
    Eip(EipId),
    /// Decided by a value unknown at plan time.
    Unknown(String),
    /// Never one, whatever the subnet says, for this reason (`associate_public_ip_address
    /// = false`, `publicly_accessible = false`, `assign_public_ip = false`).
    Never(String),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Workload {
    pub meta: Meta,
    pub kind: WorkloadKind,
    pub subnet: Link<SubnetId>,
    pub security_groups: Vec<Link<SecurityGroupId>>,
    pub source_dest_check: bool,
    pub public_ipv4: PublicIpv4,
    /// For a network interface, the instance it is attached to; for an instance, its
    /// attached interfaces are the ones pointing at it.
    pub attached_to: Link<WorkloadId>,
    pub private_ips: Vec<String>,
    /// `None`: not set in the plan, so AWS gives it one at launch when its subnet's
    /// `assign_ipv6_address_on_creation` says so ([`Workload::has_ipv6`]).
    pub ipv6_address_count: Option<u32>,
    /// Groups `aws_network_interface_sg_attachment` resources add to its network interface
    /// (the instance's primary one), by the attachment's address. They add to
    /// `security_groups`, or to the VPC's default group when that list is empty.
    pub attached_security_groups: Vec<(Address, Link<SecurityGroupId>)>,
    /// The resources whose settings it takes: the launch template or configuration of an
    /// Auto Scaling group, the cluster of an RDS cluster instance. A change to them is a
    /// change to it.
    pub settings_from: Vec<Address>,
    /// Why the internet reaches it in neither family: an internal load balancer, whose
    /// nodes have private addresses only and which takes requests only from clients with
    /// access to its VPC.
    pub internal: Option<String>,
    /// Why no security group filters its traffic, not even its VPC's default group: a
    /// Network Load Balancer created without any.
    pub without_groups: Option<String>,
    /// What it accepts connections on: a load balancer's listeners. `None`: any port.
    pub listeners: Option<Listeners>,
    /// The load balancer listeners that forward to it, as a registered target; sorted.
    pub behind: Vec<Forwarder>,
    /// For Client VPN users ([`WorkloadKind::ClientVpn`]): what the endpoint lets them
    /// reach through this subnet.
    pub client_vpn: Option<ClientVpnAccess>,
}

/// What a Client VPN endpoint lets its users reach through one associated subnet. A
/// destination needs both an authorization rule and a route: the endpoint denies what no
/// rule authorizes, and sends through this subnet only what its routes here cover.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ClientVpnAccess {
    /// The endpoint (`aws_ec2_client_vpn_endpoint`).
    pub endpoint: Address,
    /// The association (`aws_ec2_client_vpn_network_association`) that puts the users in
    /// this subnet; AWS adds a route for the VPC with it.
    pub association: Address,
    /// The endpoint's authorization rules (`aws_ec2_client_vpn_authorization_rule`): the
    /// network each lets some of its users reach, or why it is not known. Sorted.
    pub authorizations: Vec<(Address, Result<IpNet, String>)>,
    /// The endpoint's routes through this subnet (`aws_ec2_client_vpn_route`), beside the
    /// one AWS adds for the VPC with the association: each destination, or why the route's
    /// destination or subnet is not known. Sorted.
    pub routes: Vec<(Address, Result<IpNet, String>)>,
}

/// A load balancer listener's way to a workload registered as its target: the listener
/// takes a connection, the load balancer opens one of its own to the workload (or, keeping
/// the client's address, passes it on).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Forwarder {
    /// The load balancer; its nodes are the workloads `<address> (<subnet>)`.
    pub load_balancer: Address,
    /// The listener (resource, or a Classic Load Balancer's `listener` block).
    pub listener: Address,
    /// The listener rule that forwards, when it is not the listener's default action.
    pub rule: Option<Address>,
    /// The rule's `source_ip` conditions: the client's address must lie in one CIDR of
    /// each (or why a condition's CIDRs are not known). Empty: any client.
    pub sources: Vec<Result<Vec<IpNet>, String>>,
    pub listener_protocol: Protocol,
    /// `None`: not known at plan time (the listener's own reason applies).
    pub listener_port: Option<u16>,
    /// The target group, or the Classic Load Balancer itself.
    pub target_group: Address,
    pub protocol: Protocol,
    /// The port the workload takes the connections on, or why it is not known.
    pub port: Result<u16, String>,
    /// Why the workload sees the client's own address (a Network Load Balancer that keeps
    /// it): its groups and network ACL must then admit the client, not the load balancer.
    pub client_address: Option<String>,
    /// What registers the workload as a target (an attachment, an Auto Scaling group's
    /// `target_group_arns`, an ECS service's `load_balancer` block, ...).
    pub registered_by: Address,
    /// Whether each node forwards to targets in every enabled Availability Zone, not only
    /// in its own.
    pub cross_zone: bool,
    /// The family the load balancer reaches the target in (the target group's
    /// `ip_address_type`), whatever the client's: a client of the other family is passed
    /// on from the load balancer's own address.
    pub target_family: Family,
    /// The TCP port the load balancer's health checks connect to (HTTP, HTTPS and TCP
    /// checks all open a TCP connection, also for a UDP target group), or why it is not
    /// known; `None` when health checks are off.
    pub health_check_port: Option<Result<u16, String>>,
    /// Why this way may not be there: a link of it is not known at plan time (an
    /// attachment's target group, a listener action's), so it is one of several that may.
    pub unsure: Option<String>,
}

/// The listeners of a load balancer: the only ports it accepts connections on.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Listeners {
    /// Sorted by address, then port.
    pub ports: Vec<Listener>,
    /// Why some listener's port is not known, or why there may be listeners the plan does
    /// not show: then any port may be one.
    pub unknown: Vec<String>,
    /// Listeners that may be its: their load balancer is not known at plan time (why).
    /// Shared: such a listener may be that of thousands of load balancers.
    pub maybe: Vec<std::sync::Arc<(Listener, String)>>,
}

/// One port a load balancer listens on, and the resource (or `listener` block) that
/// declares it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Listener {
    pub address: Address,
    /// [`Protocol::Tcp`] or [`Protocol::Udp`] (a `TCP_UDP` listener is one of each).
    pub protocol: Protocol,
    pub port: u16,
}

impl Workload {
    /// Whether it has an IPv6 address: its own count, else what its subnet assigns on
    /// creation (and only in a subnet with an IPv6 block).
    pub fn has_ipv6(&self, m: &Model) -> bool {
        let Some(subnet) = self.subnet.id().and_then(|s| m.subnets.get(s.index())) else {
            return false;
        };
        subnet.ipv6.is_some()
            && self
                .ipv6_address_count
                .map_or(subnet.assign_ipv6_address_on_creation, |n| n > 0)
    }

    /// Why it never has a public IPv4 address ([`PublicIpv4::Never`]).
    pub fn no_public_ipv4(&self) -> Option<&str> {
        match &self.public_ipv4 {
            PublicIpv4::Never(why) => Some(why),
            _ => None,
        }
    }

    /// When it asks for no public IPv4 address in a subnet that assigns none on launch (the
    /// subnet may still be public for another workload's address), why whether it has one
    /// is not known: only an address attached later, outside the plan, would give it one.
    pub fn public_ipv4_unsure(&self, m: &Model) -> Option<String> {
        if self.public_ipv4 != PublicIpv4::None {
            return None;
        }
        let subnet = self.subnet.id().and_then(|s| m.subnets.get(s.index()))?;
        (!subnet.map_public_ip_on_launch).then(|| {
            format!(
                "`{}` asks for no public IPv4 address and `{}` assigns none on launch: only one attached outside the plan would let it use this route",
                self.meta.address, subnet.meta.address
            )
        })
    }

    /// Its own groups, then the attached ones.
    pub fn all_security_groups(&self) -> impl Iterator<Item = &Link<SecurityGroupId>> {
        self.security_groups
            .iter()
            .chain(self.attached_security_groups.iter().map(|(_, l)| l))
    }
}

// ---------------------------------------------------------------------------------------
// VPN

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CustomerGateway {
    pub meta: Meta,
    pub ip_address: Option<Val<String>>,
    pub bgp_asn: Option<Val<String>>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VpnConnection {
    pub meta: Meta,
    pub customer_gateway: Link<CustomerGatewayId>,
    pub vpn_gateway: Link<GatewayId>,
    pub transit_gateway: Link<TransitGatewayId>,
    pub static_routes_only: bool,
    /// `aws_vpn_connection_route` blocks (only meaningful with `static_routes_only`):
    /// the on-premises CIDRs, with the declaring address.
    pub static_routes: Vec<(Address, Block<Ipv4Net>)>,
    /// `remote_ipv4_network_cidr` / `remote_ipv6_network_cidr`, when set.
    pub remote_networks: Vec<AnyBlock>,
    /// On a transit gateway: the gateway's static routes to this connection's attachment
    /// (`aws_ec2_transit_gateway_route`), with their address. There they declare what is on
    /// premises, as `aws_vpn_connection_route` does on a virtual private gateway.
    pub gateway_routes: Vec<(Address, AnyBlock)>,
}

// ---------------------------------------------------------------------------------------
// Transit gateways

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TransitGateway {
    pub meta: Meta,
    /// `default_route_table_association = "enable"` (the AWS default).
    pub default_association: bool,
    /// `default_route_table_propagation = "enable"` (the AWS default).
    pub default_propagation: bool,
    pub vpn_ecmp_support: bool,
    pub multicast_support: bool,
    /// `security_group_referencing_support = "enable"` (AWS's default for a transit
    /// gateway is `disable`): with it, and on both VPCs' attachments, an inbound rule may
    /// name a group of another VPC attached to this gateway.
    pub sg_referencing: Val<bool>,
    /// The TGW's default route table (synthesized; AWS creates it), when either default is on.
    pub default_route_table: Option<TgwRouteTableId>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TgwAttachmentKind {
    Vpc {
        vpc: Link<VpcId>,
        /// One subnet per AZ: the AZs the attachment serves.
        subnets: Vec<Link<SubnetId>>,
        ipv6_support: bool,
        appliance_mode: bool,
        /// `security_group_referencing_support` (AWS's default for a VPC attachment is
        /// `enable`); unknown when set from a value known only after apply.
        sg_referencing: Val<bool>,
    },
    /// Created implicitly by an `aws_vpn_connection` with `transit_gateway_id`.
    Vpn { connection: VpnConnectionId },
    Peering {
        peer_transit_gateway: Link<TransitGatewayId>,
    },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TgwAttachment {
    pub meta: Meta,
    pub transit_gateway: Link<TransitGatewayId>,
    pub kind: TgwAttachmentKind,
    /// `transit_gateway_default_route_table_association` (default true).
    pub default_association: bool,
    /// `transit_gateway_default_route_table_propagation` (default true).
    pub default_propagation: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TgwRouteTable {
    pub meta: Meta,
    pub transit_gateway: Link<TransitGatewayId>,
    /// The TGW's default table (synthesized when Terraform does not manage it).
    pub is_default: bool,
    pub synthesized: bool,
    /// Attachments associated with this table (each attachment with at most one table),
    /// with the association's address (or the attachment's, for default association).
    pub associations: Vec<(Address, Link<TgwAttachmentId>)>,
    /// Attachments propagating their CIDRs into this table.
    pub propagations: Vec<(Address, Link<TgwAttachmentId>)>,
    pub routes: Vec<TgwRoute>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TgwRoute {
    pub address: Address,
    pub action: Action,
    pub destination: AnyBlock,
    /// `None` when `blackhole = true`.
    pub attachment: Option<Link<TgwAttachmentId>>,
}

/// An `aws_vpn_gateway_route_propagation` whose route table is not known at plan time: it
/// may be any table of its gateway's VPC (of any VPC, when the gateway is not known
/// either).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnplacedVgwPropagation {
    pub address: Address,
    pub gateway: Link<GatewayId>,
    /// Why its route table is not known.
    pub why: String,
    /// The route tables it may be of, when its references name them all (a module
    /// instance's outputs); empty: any table of the gateway's VPC.
    pub among: Vec<RouteTableId>,
}

/// An `aws_vpn_connection_route` whose VPN connection is not known at plan time: it may
/// declare its on-premises CIDR for any connection that uses static routes only.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnplacedVpnRoute {
    pub address: Address,
    pub block: Block<Ipv4Net>,
    /// Why its connection is not known.
    pub why: String,
    /// The VPN connections it may be of, when its references name them all (a module
    /// instance's outputs); empty: any connection that uses static routes only.
    pub among: Vec<VpnConnectionId>,
}

/// An `aws_vpc_endpoint_route_table_association` whose endpoint is not known at plan time:
/// it may give its table (any table, when that is not known either) a gateway endpoint's
/// route, for S3 or DynamoDB.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnresolvedEndpointRoute {
    pub address: Address,
    pub table: Link<RouteTableId>,
    /// Why its endpoint is not known.
    pub why: String,
    /// The endpoints it may be of, when its references name them all (a module instance's
    /// outputs); empty: any gateway endpoint.
    pub among: Vec<EndpointId>,
}

impl UnresolvedEndpointRoute {
    /// Whether it may give its table a gateway endpoint's route for `service` (`s3`,
    /// `dynamodb`): one of its candidates is a gateway endpoint of that service (or of a
    /// service not known), or it may be any endpoint.
    pub fn may_serve(&self, m: &Model, service: &str) -> bool {
        self.among.is_empty()
            || self.among.iter().any(|e| {
                let ep = m.endpoint(*e);
                ep.kind == EndpointKind::Gateway
                    && ep.service.as_deref().map_or(true, |s| s == service)
            })
    }
}

/// A transit gateway route, propagation or association whose route table is not known at
/// plan time (its `transit_gateway_route_table_id` is a module output terraform leaves
/// unnamed, say): it may be in any route table of its attachment's gateway (of any gateway,
/// when the attachment is not known either).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnplacedTgw {
    /// The declaring address (a route, a prefix list reference, a propagation or an
    /// association resource).
    pub address: Address,
    /// Why its route table is not known.
    pub why: String,
    pub kind: UnplacedTgwKind,
    /// The route tables it may be in, where its references name them all (a module
    /// instance's two route table outputs, say). Empty: any table of its gateway.
    pub among: Vec<TgwRouteTableId>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UnplacedTgwKind {
    /// A static route, or a route of a prefix list reference (one per entry).
    Route(TgwRoute),
    Propagation(Link<TgwAttachmentId>),
    Association(Link<TgwAttachmentId>),
}

impl UnplacedTgwKind {
    /// The attachment it names, if any (none for a blackhole route).
    pub fn attachment(&self) -> Option<&Link<TgwAttachmentId>> {
        match self {
            UnplacedTgwKind::Route(r) => r.attachment.as_ref(),
            UnplacedTgwKind::Propagation(l) | UnplacedTgwKind::Association(l) => Some(l),
        }
    }
}

// ---------------------------------------------------------------------------------------
// Peering

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Peering {
    pub meta: Meta,
    pub requester: Link<VpcId>,
    pub accepter: Link<VpcId>,
    /// `auto_accept`, or an `aws_vpc_peering_connection_accepter` with `auto_accept`.
    pub accepted: bool,
    pub accepter_resource: Option<Address>,
    /// Why a connection not accepted may be accepted after all: an
    /// `aws_vpc_peering_connection_accepter` with `auto_accept` names a connection not known
    /// at plan time, which may be this one.
    pub accept_unknown: Option<String>,
    /// The peer VPC is in another Region (`peer_region` differs from the Region of the
    /// connection's provider): AWS lets no security group rule name a group of the peer.
    pub cross_region: Val<bool>,
}

// ---------------------------------------------------------------------------------------
// Endpoints

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum EndpointKind {
    Gateway,
    Interface,
    GatewayLoadBalancer,
    /// VPC Lattice: network interfaces through which the VPC reaches one resource
    /// configuration (`resource_configuration_arn`), e.g. a database behind a resource
    /// gateway.
    Resource,
    /// VPC Lattice: network interfaces through which the VPC reaches the services and
    /// resources of a service network (`service_network_arn`).
    ServiceNetwork,
}

impl EndpointKind {
    /// Whether the endpoint is network interfaces in its subnets, guarded by its security
    /// groups, that clients in the VPC connect to (not a route target).
    pub fn has_interfaces(self) -> bool {
        matches!(
            self,
            Self::Interface | Self::Resource | Self::ServiceNetwork
        )
    }

    /// How reasons and messages name the kind: "an {label} endpoint".
    pub fn label(self) -> &'static str {
        match self {
            Self::Gateway => "gateway",
            Self::Interface => "interface",
            Self::GatewayLoadBalancer => "Gateway Load Balancer",
            Self::Resource => "resource",
            Self::ServiceNetwork => "service network",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VpcEndpoint {
    pub meta: Meta,
    pub vpc: Link<VpcId>,
    pub kind: EndpointKind,
    /// Full `service_name`, e.g. `com.amazonaws.us-east-1.s3`; for a resource or service
    /// network endpoint, which has none, the ARN of what it reaches.
    pub service_name: Val<String>,
    /// The short name after the region, e.g. `s3`, `dynamodb`, `ssm`.
    pub service: Option<String>,
    /// Gateway endpoints: route tables (`route_table_ids`,
    /// `aws_vpc_endpoint_route_table_association`) with the declaring address.
    pub route_tables: Vec<(Address, Link<RouteTableId>)>,
    /// Interface, GWLB, resource and service network endpoints: subnets (`subnet_ids`,
    /// `aws_vpc_endpoint_subnet_association`).
    pub subnets: Vec<(Address, Link<SubnetId>)>,
    pub security_groups: Vec<Link<SecurityGroupId>>,
    pub private_dns_enabled: bool,
    /// Groups `aws_vpc_endpoint_security_group_association` resources add, by the
    /// association's address. They add to `security_groups`, or to the VPC's default group
    /// when that list is empty, unless one of them replaces the default association.
    pub attached_security_groups: Vec<(Address, Link<SecurityGroupId>)>,
    /// An association with `replace_default_association`: the default group is not applied.
    pub replaces_default_group: bool,
    /// An interface endpoint's `ip_address_type` when known (`ipv4`, `dualstack`, `ipv6`):
    /// whether its network interfaces have IPv6 addresses.
    pub ip_address_type: Option<String>,
}

/// An `aws_vpc_endpoint_service` (PrivateLink): load balancers that other accounts' VPCs
/// reach through interface (or GWLB) endpoints of their own.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EndpointService {
    pub meta: Meta,
    /// `acceptance_required`: whether each endpoint's connection waits for the owner.
    pub acceptance_required: Val<bool>,
    /// The principals allowed to create endpoints (`allowed_principals`, and the
    /// `aws_vpc_endpoint_service_allowed_principal` resources), with the declaring address.
    pub allowed_principals: Vec<(Address, Val<String>)>,
    /// The Network and Gateway Load Balancers behind it: addresses, else known ARNs.
    pub load_balancers: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InstanceConnectEndpoint {
    pub meta: Meta,
    pub subnet: Link<SubnetId>,
    pub security_groups: Vec<Link<SecurityGroupId>>,
    pub preserve_client_ip: bool,
}

// ---------------------------------------------------------------------------------------
// Filters

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Nacl {
    pub meta: Meta,
    pub vpc: Link<VpcId>,
    /// The VPC's default NACL (`aws_default_network_acl`, or synthesized).
    pub is_default: bool,
    /// Synthesized allow-all default NACL of a VPC Terraform does not manage it for
    /// (`aws_network_acl_rule` resources may still add rules to it).
    pub synthesized: bool,
    /// Sorted by rule number.
    pub ingress: Vec<NaclRule>,
    /// Sorted by rule number.
    pub egress: Vec<NaclRule>,
}

/// An `aws_network_acl_rule` whose `network_acl_id` cannot be resolved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnplacedNaclRule {
    pub egress: bool,
    pub rule: NaclRule,
    /// The NACLs it may be of, by address, where its references name them all (a module
    /// instance's two NACL outputs, say). Empty: any NACL.
    pub among: Vec<Address>,
}

impl Nacl {
    /// Whether this is a VPC's default NACL as AWS makes it (allow all) with nothing
    /// added: paths through it name no hop.
    pub fn untouched_default(&self) -> bool {
        self.synthesized
            && self.ingress.iter().chain(&self.egress).all(|r| {
                r.address.starts_with(self.meta.address.as_str())
                    && !matches!(
                        r.cidr,
                        AnyBlock::V4(Block::Unknown(_)) | AnyBlock::V6(Block::Unknown(_))
                    )
            })
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NaclRule {
    /// `aws_network_acl_rule.x`, or the NACL's address plus ` ingress[N]` for inline rules.
    pub address: Address,
    pub action: Action,
    pub rule_number: u32,
    pub allow: bool,
    pub protocol: Protocol,
    pub ports: PortRange,
    pub icmp: IcmpMatch,
    pub cidr: AnyBlock,
    /// Why its protocol, ports, ICMP type or code, action or number is known only after
    /// apply, if one is. The fields hold the widest value then (all protocols, all ports,
    /// any type, rule number 0), and the engine takes whatever such a rule may match as
    /// undecided.
    pub unknown: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SecurityGroup {
    pub meta: Meta,
    pub vpc: Link<VpcId>,
    pub name: Option<String>,
    pub is_default: bool,
    /// A group AWS makes that is not in the plan: the default group of a VPC whose
    /// `aws_default_security_group` is not in the plan, with AWS's default rules (rule
    /// resources may add to them), or the one EKS makes for a node group's `remote_access`.
    pub synthesized: bool,
    pub ingress: Vec<SgRule>,
    pub egress: Vec<SgRule>,
    /// Whether the configuration declares any egress. Terraform's `aws_security_group`
    /// removes AWS's default allow-all egress rule; without declared egress the group
    /// allows no outbound traffic.
    pub egress_declared: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SgRule {
    /// The declaring address: the group (inline) plus ` ingress[N]`, or a rule resource.
    pub address: Address,
    pub action: Action,
    pub protocol: Protocol,
    pub ports: PortRange,
    pub icmp: IcmpMatch,
    pub peer: SgPeer,
    pub description: Option<String>,
    /// Why its protocol or ports are known only after apply, if they are. The fields hold
    /// the widest value then (all protocols, all ports), and the engine takes whatever such
    /// a rule may admit as undecided.
    pub unknown: Option<String>,
}

/// A rule resource whose `security_group_id` cannot be resolved (a module output terraform
/// leaves unnamed, say). Its `unknown` gives the reason, so whatever it may admit is
/// undecided for each group.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnplacedGroupRule {
    pub egress: bool,
    pub rule: SgRule,
    /// The groups it may be of, where its references name them all (a module instance's
    /// two group outputs, say). Empty: any group.
    pub among: Vec<SecurityGroupId>,
}

impl UnplacedGroupRule {
    /// Whether it may be a rule of group `g`.
    pub fn may_be_of(&self, g: SecurityGroupId) -> bool {
        self.among.is_empty() || self.among.contains(&g)
    }
}

/// An `aws_network_interface_sg_attachment` whose network interface is not known at plan
/// time (its group may guard any workload of the group's VPC), or an
/// `aws_vpc_endpoint_security_group_association` whose endpoint is not known (its group
/// may guard any interface endpoint of the group's VPC).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnplacedGroupAttachment {
    pub address: Address,
    pub group: Link<SecurityGroupId>,
    /// An endpoint's association, not a network interface's attachment.
    pub to_endpoint: bool,
    /// Why its network interface or endpoint is not known.
    pub why: String,
    /// The network interfaces (or endpoints) it may be of, by address, when its
    /// references name them all (a module instance's outputs); empty: any of the group's
    /// VPC.
    pub among: Vec<Address>,
}

/// A rule resource (`aws_security_group_rule`, `aws_vpc_security_group_ingress_rule`, ...)
/// of a security group this plan does not hold.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutsideGroupRule {
    /// The group's AWS ID.
    pub group: String,
    pub egress: bool,
    pub rule: SgRule,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SgPeer {
    Cidr(AnyBlock),
    PrefixList(Link<PrefixListId>),
    Group(Link<SecurityGroupId>),
    /// `self = true`: members of the same group.
    SelfGroup,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PrefixList {
    pub meta: Meta,
    pub name: Option<String>,
    pub family: Family,
    /// Its own `entry` blocks.
    pub entries: Vec<AnyBlock>,
    /// `aws_ec2_managed_prefix_list_entry` resources that add an entry to it: address and
    /// CIDR.
    pub entry_resources: Vec<(Address, AnyBlock)>,
    /// Why it may hold entries that neither list shows (its `entry` attribute is known only
    /// after apply), if it may.
    pub unknown: Option<String>,
}

impl PrefixList {
    /// The AWS service whose public ranges it is, by short name, for an AWS-managed list
    /// named `com.amazonaws.REGION.SERVICE` (`s3`, `dynamodb`, ...).
    pub fn service(&self) -> Option<&str> {
        let name = self.name.as_deref()?.strip_prefix("com.amazonaws.")?;
        let (_, service) = name.split_once('.')?;
        // `com.amazonaws.REGION.ipv6.s3`: the service's IPv6 ranges.
        let service = service.strip_prefix("ipv6.").unwrap_or(service);
        (!service.is_empty() && !service.contains('.')).then_some(service)
    }

    /// Every entry: its own blocks, then those its entry resources add.
    pub fn blocks(&self) -> impl Iterator<Item = &AnyBlock> {
        self.entries
            .iter()
            .chain(self.entry_resources.iter().map(|(_, b)| b))
    }
}

// ---------------------------------------------------------------------------------------
// VPC Block Public Access

/// The VPC Block Public Access (BPA) mode of an account in one Region
/// (`aws_vpc_block_public_access_options`). Where the plan holds none, BPA is taken as off:
/// the plan does not show settings made outside it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BlockPublicAccess {
    pub meta: Meta,
    /// `internet_gateway_block_mode`.
    pub mode: Val<BpaMode>,
}

/// `internet_gateway_block_mode`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum BpaMode {
    Off,
    /// `block-bidirectional`: all traffic to and from internet gateways and egress-only
    /// internet gateways is blocked, except for excluded VPCs and subnets.
    Bidirectional,
    /// `block-ingress`: internet traffic to the VPCs is blocked, except for excluded VPCs and
    /// subnets; only traffic through NAT gateways and egress-only internet gateways passes.
    Ingress,
}

impl BpaMode {
    pub fn as_str(self) -> &'static str {
        match self {
            BpaMode::Off => "off",
            BpaMode::Bidirectional => "block-bidirectional",
            BpaMode::Ingress => "block-ingress",
        }
    }
}

/// Which BPA options govern a VPC: those of its account and Region.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum BpaScope {
    /// The plan holds none for the VPC's account and Region.
    #[default]
    None,
    Applies(BpaId),
    /// Options the plan cannot place inside or outside the VPC's account and Region; the
    /// reason says why.
    Unsure(BpaId, String),
}

/// The public endpoint of an EKS cluster's Kubernetes API (`vpc_config`
/// `endpoint_public_access`, on unless turned off): an AWS-managed address outside the VPC,
/// open to the clients `public_access_cidrs` names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EksPublicEndpoint {
    pub meta: Meta,
    /// Whether it is on: `Err` with why it is not known.
    pub enabled: Result<bool, String>,
    /// `public_access_cidrs` (AWS's default `0.0.0.0/0` when the configuration sets none),
    /// or why it is not known.
    pub cidrs: Result<Vec<IpNet>, String>,
}

/// A VPC or subnet exempt from the BPA mode (`aws_vpc_block_public_access_exclusion`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BpaExclusion {
    pub meta: Meta,
    /// `vpc_id`: every subnet of the VPC.
    pub vpc: Link<VpcId>,
    /// `subnet_id`.
    pub subnet: Link<SubnetId>,
    /// `internet_gateway_exclusion_mode`.
    pub mode: Val<BpaExclusionMode>,
}

/// `internet_gateway_exclusion_mode`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum BpaExclusionMode {
    /// `allow-bidirectional`: all internet traffic to and from it passes.
    Bidirectional,
    /// `allow-egress`: its outbound internet traffic passes, inbound is blocked. Applies only
    /// under `block-bidirectional`.
    Egress,
}

impl BpaExclusionMode {
    pub fn as_str(self) -> &'static str {
        match self {
            BpaExclusionMode::Bidirectional => "allow-bidirectional",
            BpaExclusionMode::Egress => "allow-egress",
        }
    }
}

// ---------------------------------------------------------------------------------------
// API Gateway (rule TFVPC404 reads stage and method cache settings)

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiStage {
    pub meta: Meta,
    pub stage_name: Option<String>,
    pub cache_cluster_enabled: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiMethodSettings {
    pub meta: Meta,
    pub stage: Link<ApiStageId>,
    pub method_path: Option<String>,
    pub caching_enabled: Option<bool>,
    pub cache_ttl_in_seconds: Option<Val<i64>>,
}

// ---------------------------------------------------------------------------------------
// The whole model

/// A problem found while building the model: not fatal, carried with the result.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Diagnostic {
    /// The address concerned, when there is one.
    pub address: Option<Address>,
    pub message: String,
}

/// One side of the plan: the prior state, or the planned state.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Model {
    pub vpcs: Vec<Vpc>,
    pub subnets: Vec<Subnet>,
    pub route_tables: Vec<RouteTable>,
    /// VGW route propagations whose route table is not known at plan time.
    pub unplaced_vgw_propagations: Vec<UnplacedVgwPropagation>,
    pub routes: Vec<Route>,
    pub gateways: Vec<Gateway>,
    pub nat_gateways: Vec<NatGateway>,
    pub eips: Vec<Eip>,
    pub workloads: Vec<Workload>,
    pub customer_gateways: Vec<CustomerGateway>,
    pub vpn_connections: Vec<VpnConnection>,
    /// VPN connection routes whose connection is not known at plan time.
    pub unplaced_vpn_routes: Vec<UnplacedVpnRoute>,
    pub transit_gateways: Vec<TransitGateway>,
    pub tgw_attachments: Vec<TgwAttachment>,
    pub tgw_route_tables: Vec<TgwRouteTable>,
    /// Transit gateway routes, propagations and associations whose route table is not
    /// known at plan time ([`Model::unplaced_tgw_by_table`]).
    pub unplaced_tgw: Vec<UnplacedTgw>,
    pub peerings: Vec<Peering>,
    pub endpoints: Vec<VpcEndpoint>,
    /// Gateway endpoint route table associations whose endpoint is not known at plan time.
    pub unresolved_endpoint_routes: Vec<UnresolvedEndpointRoute>,
    pub instance_connect_endpoints: Vec<InstanceConnectEndpoint>,
    pub endpoint_services: Vec<EndpointService>,
    /// Rules this plan adds to security groups it does not hold (a rule resource naming
    /// a group by ID): what such a group guards is not in the plan.
    pub outside_group_rules: Vec<OutsideGroupRule>,
    /// Rule resources whose security group is not known at plan time: each may be any
    /// group's. [`Model::group_rules`] gives them with every group's own rules.
    pub unplaced_group_rules: Vec<UnplacedGroupRule>,
    /// Security group attachments whose network interface is not known at plan time.
    pub unplaced_group_attachments: Vec<UnplacedGroupAttachment>,
    pub nacls: Vec<Nacl>,
    /// `aws_network_acl_rule`s whose NACL is not known at plan time: each may be any
    /// NACL's, and its `unknown` says so.
    pub unplaced_nacl_rules: Vec<UnplacedNaclRule>,
    pub security_groups: Vec<SecurityGroup>,
    pub prefix_lists: Vec<PrefixList>,
    pub api_stages: Vec<ApiStage>,
    pub api_method_settings: Vec<ApiMethodSettings>,
    pub block_public_access: Vec<BlockPublicAccess>,
    pub bpa_exclusions: Vec<BpaExclusion>,
    /// The EKS clusters whose Kubernetes API has a public endpoint, or may have one.
    pub eks_public_endpoints: Vec<EksPublicEndpoint>,
    /// Resource types outside the model, by type, with their count (other providers too).
    pub skipped: BTreeMap<String, u32>,
    /// Links that did not resolve, unsupported constructs, and the like.
    pub diagnostics: Vec<Diagnostic>,
    /// In the planned model: AWS IDs of objects the prior state holds and this plan deletes
    /// (or replaces, so the ID goes away), with their addresses. A route still naming one
    /// of these IDs is a blackhole after apply.
    pub deleted_ids: BTreeMap<String, Address>,
    /// AWS IDs that the plan's data sources read (`data.aws_internet_gateway.x.id`): objects
    /// that exist outside this configuration, with the data source's address. The prior
    /// state's data sources were read for this plan, so the planned model holds them too.
    pub read_ids: BTreeMap<String, Address>,
}

impl Model {
    /// The routes whose route table is not known at plan time (`aws_route` whose
    /// `route_table_id` is not resolved), by the tables each may be in: those its
    /// references name ([`Route::table_among`]), else any table of the VPC its target
    /// places it in when it does (an internet gateway, a NAT gateway or an endpoint is in
    /// one VPC, and so is a table that routes to it), else any table. A route table ID
    /// outside the plan is not one of the plan's tables, and is left alone.
    pub fn unplaced_routes(&self) -> UnplacedRoutes<'_> {
        UnplacedRoutes::new(self)
    }

    /// The unplaced transit gateway items ([`Model::unplaced_tgw`]) that may be in each
    /// transit gateway route table, by table, in their order: those its references name
    /// ([`UnplacedTgw::among`]), else those whose attachment is on the table's gateway
    /// (either side of a peering attachment), and those whose attachment is not known, or
    /// that name none. By position in [`Model::unplaced_tgw`]. One pass over the items and
    /// the tables, not one per table.
    pub fn unplaced_tgw_by_table(&self) -> Vec<Vec<usize>> {
        let mut out: Vec<Vec<usize>> = vec![Vec::new(); self.tgw_route_tables.len()];
        if self.unplaced_tgw.is_empty() {
            return out;
        }
        // The tables of each gateway, and those whose gateway is not known.
        let mut by_gateway: BTreeMap<Option<TransitGatewayId>, Vec<usize>> = BTreeMap::new();
        for (i, t) in self.tgw_route_tables.iter().enumerate() {
            by_gateway
                .entry(t.transit_gateway.id())
                .or_default()
                .push(i);
        }
        let unknown_gateway = by_gateway.get(&None).cloned().unwrap_or_default();
        for (n, u) in self.unplaced_tgw.iter().enumerate() {
            if !u.among.is_empty() {
                for t in &u.among {
                    if let Some(list) = out.get_mut(t.index()) {
                        list.push(n);
                    }
                }
                continue;
            }
            let att = u
                .kind
                .attachment()
                .and_then(Link::id)
                .and_then(|a| self.tgw_attachments.get(a.index()));
            let gateways = att.and_then(|att| {
                let own = att.transit_gateway.id()?;
                let peer = match &att.kind {
                    TgwAttachmentKind::Peering {
                        peer_transit_gateway,
                    } => peer_transit_gateway.id(),
                    _ => None,
                };
                Some([Some(own), peer])
            });
            let tables: Vec<usize> = match gateways {
                // Its gateway's tables (and the peer's), and those of no known gateway.
                Some(gs) => {
                    let mut ts: Vec<usize> = gs
                        .into_iter()
                        .flatten()
                        .filter_map(|g| by_gateway.get(&Some(g)))
                        .flatten()
                        .copied()
                        .chain(unknown_gateway.iter().copied())
                        .collect();
                    ts.sort_unstable();
                    ts.dedup();
                    ts
                }
                None => (0..out.len()).collect(),
            };
            for t in tables {
                if let Some(list) = out.get_mut(t) {
                    list.push(n);
                }
            }
        }
        out
    }

    /// An ID of an object this model does not hold, in backticks, with the data source
    /// that read it when one did: "`igw-1` (read by `data.aws_internet_gateway.main`)".
    pub fn outside_id(&self, id: &str) -> String {
        match self.read_ids.get(id) {
            Some(by) => format!("`{id}` (read by `{by}`)"),
            None => format!("`{id}`"),
        }
    }
}

macro_rules! getters {
    ($($fn:ident: $id:ident => $field:ident: $ty:ty),* $(,)?) => {
        impl Model {$(
            /// Look an object up by id. Ids are only ever created by the builder of this
            /// same model, so they are always in range.
            // The one permitted exception to `indexing_slicing`: ids are only created by
            // the builder of the same model (one per pushed object), so this cannot fail.
            #[allow(clippy::indexing_slicing)]
            pub fn $fn(&self, id: $id) -> &$ty { &self.$field[id.index()] }
        )*}
    };
}

getters!(
    vpc: VpcId => vpcs: Vpc,
    subnet: SubnetId => subnets: Subnet,
    route_table: RouteTableId => route_tables: RouteTable,
    route: RouteId => routes: Route,
    gateway: GatewayId => gateways: Gateway,
    nat_gateway: NatGatewayId => nat_gateways: NatGateway,
    eip: EipId => eips: Eip,
    workload: WorkloadId => workloads: Workload,
    customer_gateway: CustomerGatewayId => customer_gateways: CustomerGateway,
    vpn_connection: VpnConnectionId => vpn_connections: VpnConnection,
    transit_gateway: TransitGatewayId => transit_gateways: TransitGateway,
    tgw_attachment: TgwAttachmentId => tgw_attachments: TgwAttachment,
    tgw_route_table: TgwRouteTableId => tgw_route_tables: TgwRouteTable,
    peering: PeeringId => peerings: Peering,
    endpoint: EndpointId => endpoints: VpcEndpoint,
    instance_connect_endpoint: InstanceConnectEndpointId => instance_connect_endpoints: InstanceConnectEndpoint,
    nacl: NaclId => nacls: Nacl,
    security_group: SecurityGroupId => security_groups: SecurityGroup,
    prefix_list: PrefixListId => prefix_lists: PrefixList,
    api_stage: ApiStageId => api_stages: ApiStage,
    block_public_access: BpaId => block_public_access: BlockPublicAccess,
);

impl Model {
    /// The nodes of load balancer `lb`: its workloads `<lb> (<subnet>)` (workloads are
    /// sorted by address).
    pub fn load_balancer_nodes(&self, lb: &str) -> &[Workload] {
        let prefix = format!("{lb} (");
        let start = self
            .workloads
            .partition_point(|w| w.meta.address.as_str() < prefix.as_str());
        let rest = self.workloads.get(start..).unwrap_or(&[]);
        let n = rest
            .iter()
            .take_while(|w| w.meta.address.starts_with(&prefix))
            .count();
        rest.get(..n).unwrap_or(&[])
    }

    /// The ingress (or egress) rules of group `g`: its own, then the rules whose group is
    /// not known ([`Model::unplaced_group_rules`]) that may be its.
    pub fn group_rules(&self, g: SecurityGroupId, egress: bool) -> impl Iterator<Item = &SgRule> {
        let own = self.security_groups.get(g.index()).map_or(&[][..], |sg| {
            if egress {
                &sg.egress[..]
            } else {
                &sg.ingress[..]
            }
        });
        own.iter().chain(
            self.unplaced_group_rules
                .iter()
                .filter(move |u| u.egress == egress && u.may_be_of(g))
                .map(|u| &u.rule),
        )
    }

    /// The security groups that guard a workload: its own, or, when it names none, its
    /// VPC's default group (as AWS attaches it); then the groups attached as resources.
    /// None for a workload no group filters ([`Workload::without_groups`]).
    pub fn workload_groups(&self, w: &Workload) -> Vec<SecurityGroupId> {
        if w.without_groups.is_some() {
            return Vec::new();
        }
        let mut out: Vec<SecurityGroupId> = w.security_groups.iter().filter_map(Link::id).collect();
        if w.security_groups.is_empty() {
            let default = w
                .subnet
                .id()
                .and_then(|s| self.subnets.get(s.index()))
                .and_then(|s| s.vpc.id())
                .and_then(|v| self.vpcs.get(v.index()))
                .and_then(|v| v.default_security_group);
            out.extend(default);
        }
        for g in w
            .attached_security_groups
            .iter()
            .filter_map(|(_, l)| l.id())
        {
            if !out.contains(&g) {
                out.push(g);
            }
        }
        out
    }

    /// Gives back the spare capacity of the object lists (grown by doubling while the model
    /// was built: up to half of a large model).
    pub fn shrink_to_fit(&mut self) {
        self.vpcs.shrink_to_fit();
        self.subnets.shrink_to_fit();
        self.route_tables.shrink_to_fit();
        self.routes.shrink_to_fit();
        self.gateways.shrink_to_fit();
        self.nat_gateways.shrink_to_fit();
        self.eips.shrink_to_fit();
        self.workloads.shrink_to_fit();
        self.customer_gateways.shrink_to_fit();
        self.vpn_connections.shrink_to_fit();
        self.unplaced_vpn_routes.shrink_to_fit();
        self.transit_gateways.shrink_to_fit();
        self.tgw_attachments.shrink_to_fit();
        self.tgw_route_tables.shrink_to_fit();
        self.unplaced_tgw.shrink_to_fit();
        self.peerings.shrink_to_fit();
        self.endpoints.shrink_to_fit();
        self.unresolved_endpoint_routes.shrink_to_fit();
        self.unplaced_vgw_propagations.shrink_to_fit();
        self.instance_connect_endpoints.shrink_to_fit();
        self.nacls.shrink_to_fit();
        self.security_groups.shrink_to_fit();
        self.outside_group_rules.shrink_to_fit();
        self.unplaced_group_rules.shrink_to_fit();
        self.unplaced_group_attachments.shrink_to_fit();
        self.unplaced_nacl_rules.shrink_to_fit();
        self.prefix_lists.shrink_to_fit();
        self.api_stages.shrink_to_fit();
        self.api_method_settings.shrink_to_fit();
        self.block_public_access.shrink_to_fit();
        self.bpa_exclusions.shrink_to_fit();
        self.diagnostics.shrink_to_fit();
    }

    /// Calls `f` with the metadata of every Terraform-managed object of the model.
    pub fn for_each_meta(&self, mut f: impl FnMut(&Meta)) {
        self.vpcs.iter().for_each(|o| f(&o.meta));
        self.subnets.iter().for_each(|o| f(&o.meta));
        self.route_tables.iter().for_each(|o| f(&o.meta));
        self.gateways.iter().for_each(|o| f(&o.meta));
        self.nat_gateways.iter().for_each(|o| f(&o.meta));
        self.eips.iter().for_each(|o| f(&o.meta));
        self.workloads.iter().for_each(|o| f(&o.meta));
        self.customer_gateways.iter().for_each(|o| f(&o.meta));
        self.vpn_connections.iter().for_each(|o| f(&o.meta));
        self.transit_gateways.iter().for_each(|o| f(&o.meta));
        self.tgw_attachments.iter().for_each(|o| f(&o.meta));
        self.tgw_route_tables.iter().for_each(|o| f(&o.meta));
        self.peerings.iter().for_each(|o| f(&o.meta));
        self.endpoints.iter().for_each(|o| f(&o.meta));
        self.instance_connect_endpoints
            .iter()
            .for_each(|o| f(&o.meta));
        self.nacls.iter().for_each(|o| f(&o.meta));
        self.security_groups.iter().for_each(|o| f(&o.meta));
        self.prefix_lists.iter().for_each(|o| f(&o.meta));
        self.api_stages.iter().for_each(|o| f(&o.meta));
        self.api_method_settings.iter().for_each(|o| f(&o.meta));
        self.block_public_access.iter().for_each(|o| f(&o.meta));
        self.bpa_exclusions.iter().for_each(|o| f(&o.meta));
    }
}

/// Whether the input was a plan or a state.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InputKind {
    Plan,
    State,
}

/// Facts about the input file, for reports.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InputInfo {
    pub kind: InputKind,
    pub format_version: String,
    pub terraform_version: Option<String>,
    /// `errored: true` plans: the plan is incomplete.
    pub errored: bool,
}

/// The two networks a plan holds. For a state file, `before` and `after` are equal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Network {
    pub input: InputInfo,
    /// The prior state (empty for a plan that creates everything).
    pub before: Model,
    /// The planned state.
    pub after: Model,
    /// The resource addresses the plan changes (create, update, delete, replace), sorted.
    pub changed: Vec<(Address, Action)>,
    /// Every module call of the configuration, for mapping addresses to `.tf` files.
    pub module_calls: Vec<ModuleCall>,
    /// The resources the plan replaces by deleting the old object first (`["delete",
    /// "create"]`: no `create_before_destroy`), sorted. What still uses the old object
    /// when it is deleted makes AWS refuse (TFVPC115).
    pub destroy_first: Vec<Address>,
}

/// A `module` block of the configuration.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ModuleCall {
    /// The module path without instance keys, e.g. `module.net.module.routing`.
    pub path: String,
    /// `source` as written: a local path (`./modules/net`), or a registry/remote source.
    pub source: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_aws_managed_prefix_list_names_its_service() {
        let list = |name: &str| PrefixList {
            meta: Meta {
                address: "data.aws_prefix_list.x".into(),
                action: Action::NoOp,
                id: None,
                tags: Tags::new(),
            },
            name: Some(name.to_string()),
            family: Family::Ipv4,
            entries: Vec::new(),
            entry_resources: Vec::new(),
            unknown: None,
        };
        assert_eq!(list("com.amazonaws.us-east-1.s3").service(), Some("s3"));
        assert_eq!(
            list("com.amazonaws.eu-west-1.dynamodb").service(),
            Some("dynamodb")
        );
        assert_eq!(
            list("com.amazonaws.us-east-1.ipv6.s3").service(),
            Some("s3")
        );
        for other in [
            "office",
            "com.amazonaws.us-east-1",
            "com.amazonaws.global.cloudfront.origin-facing.x",
        ] {
            assert_eq!(list(other).service(), None, "{other}");
        }
    }
}
