//! Builds one side's [`Model`] from the indexed resource instances of [`Side`]: every
//! modelled resource type, the implicit objects AWS creates (main route tables, default
//! NACLs, local routes, TGW default route tables and VPN attachments, propagated and
//! gateway-endpoint routes), and the subnet associations.
//!
//! Ids are assigned after sorting by address, so they are deterministic. This module never
//! reads files and never decides reachability.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use super::json::{Map, Value};

use super::dto::{
    expression_blocks, expression_refs, has_references, Attributes, Refs, UnknownValue,
};
use super::refs::{longest_forms, ConfigIndex, Inst, Resolution, Side};
use crate::model::*;

mod fleets;
mod targets;

/// A link before ids exist: to an instance index of the side.
#[derive(Clone, Debug)]
enum LinkA {
    None,
    To(usize, LinkHow),
    /// Synthesized or aliased objects, by model address.
    ToAddr(String, LinkHow),
    External(String),
    Unresolved(String),
}

const VPC: &[&str] = &["aws_vpc", "aws_default_vpc"];
const SUBNET: &[&str] = &["aws_subnet", "aws_default_subnet"];
const RTB: &[&str] = &["aws_route_table", "aws_default_route_table"];
/// What a `route_table_id` may name: a table, or a VPC for its main route table
/// (`aws_vpc.x.main_route_table_id`, `default_route_table_id`; see [`B::implicit_part`]).
const RTB_REF: &[&str] = &[
    "aws_route_table",
    "aws_default_route_table",
    "aws_vpc",
    "aws_default_vpc",
];
const IGW_VGW: &[&str] = &["aws_internet_gateway", "aws_vpn_gateway"];
const EIGW: &[&str] = &["aws_egress_only_internet_gateway"];
const VGW: &[&str] = &["aws_vpn_gateway"];
const NAT: &[&str] = &["aws_nat_gateway"];
const TGW: &[&str] = &["aws_ec2_transit_gateway"];
const PCX: &[&str] = &[
    "aws_vpc_peering_connection",
    "aws_vpc_peering_connection_accepter",
];
/// Route targets by `vpc_endpoint_id`: VPC endpoints, and AWS Network Firewall, whose
/// endpoints are Gateway Load Balancer endpoints, one in each of its subnets.
const VPCE: &[&str] = &["aws_vpc_endpoint", "aws_networkfirewall_firewall"];
const WORKLOAD: &[&str] = &["aws_instance", "aws_network_interface"];
const INSTANCE: &[&str] = &["aws_instance"];
const ENI: &[&str] = &["aws_network_interface"];
const EIP: &[&str] = &["aws_eip"];
const SG: &[&str] = &["aws_security_group", "aws_default_security_group"];
/// What a security group link may name: a group, a VPC for its default group
/// (`aws_vpc.x.default_security_group_id`), or an EKS cluster for the cluster security
/// group EKS creates (`aws_eks_cluster.x.vpc_config[0].cluster_security_group_id`).
const SG_REF: &[&str] = &[
    "aws_security_group",
    "aws_default_security_group",
    "aws_vpc",
    "aws_default_vpc",
    "aws_eks_cluster",
];
const NACL: &[&str] = &["aws_network_acl", "aws_default_network_acl"];
/// What a `network_acl_id` may name: a NACL, or a VPC for its default NACL
/// (`aws_vpc.x.default_network_acl_id`).
const NACL_REF: &[&str] = &[
    "aws_network_acl",
    "aws_default_network_acl",
    "aws_vpc",
    "aws_default_vpc",
];
const CGW: &[&str] = &["aws_customer_gateway"];
const VPN: &[&str] = &["aws_vpn_connection"];
const TGW_ATT: &[&str] = &[
    "aws_ec2_transit_gateway_vpc_attachment",
    "aws_ec2_transit_gateway_peering_attachment",
    "aws_ec2_transit_gateway_peering_attachment_accepter",
    "aws_ec2_transit_gateway_vpc_attachment_accepter",
    "aws_vpn_connection",
];
const TGW_PEERING: &[&str] = &["aws_ec2_transit_gateway_peering_attachment"];
const TGW_VPC_ATT: &[&str] = &["aws_ec2_transit_gateway_vpc_attachment"];
const TGW_RTB: &[&str] = &[
    "aws_ec2_transit_gateway_route_table",
    "aws_ec2_transit_gateway",
];
const PL: &[&str] = &["aws_ec2_managed_prefix_list", "aws_prefix_list"];
/// What a security group rule's prefix list may name: a list, or a gateway endpoint by its
/// `prefix_list_id` (its service's list, `<endpoint> (prefix list)`).
const PL_PEER: &[&str] = &[
    "aws_ec2_managed_prefix_list",
    "aws_prefix_list",
    "aws_vpc_endpoint",
];
const LAUNCH_TEMPLATE: &[&str] = &["aws_launch_template"];
const LAUNCH_CONFIGURATION: &[&str] = &["aws_launch_configuration"];
const DB_SUBNET_GROUP: &[&str] = &["aws_db_subnet_group"];
const RDS_CLUSTER: &[&str] = &["aws_rds_cluster"];
const CACHE_SUBNET_GROUP: &[&str] = &["aws_elasticache_subnet_group"];
const MEMORYDB_SUBNET_GROUP: &[&str] = &["aws_memorydb_subnet_group"];
const DAX_SUBNET_GROUP: &[&str] = &["aws_dax_subnet_group"];
/// FSx file systems: their servers in `subnet_ids`, behind `security_group_ids`.
const FSX: &[&str] = &[
    "aws_fsx_lustre_file_system",
    "aws_fsx_windows_file_system",
    "aws_fsx_ontap_file_system",
    "aws_fsx_openzfs_file_system",
];
const EKS_CLUSTER: &[&str] = &["aws_eks_cluster"];
const CLIENT_VPN_ENDPOINT: &[&str] = &["aws_ec2_client_vpn_endpoint"];
const STAGE: &[&str] = &["aws_api_gateway_stage"];
const LOAD_BALANCER: &[&str] = &["aws_lb", "aws_alb"];
const CLASSIC_LB: &[&str] = &["aws_elb"];
const LB_LISTENER: &[&str] = &["aws_lb_listener", "aws_alb_listener"];
const TARGET_GROUP: &[&str] = &["aws_lb_target_group", "aws_alb_target_group"];
const ASG: &[&str] = &["aws_autoscaling_group"];
const DOCDB_CLUSTER: &[&str] = &["aws_docdb_cluster"];
const DOCDB_SUBNET_GROUP: &[&str] = &["aws_docdb_subnet_group"];
const NEPTUNE_CLUSTER: &[&str] = &["aws_neptune_cluster"];
const NEPTUNE_SUBNET_GROUP: &[&str] = &["aws_neptune_subnet_group"];
const REDSHIFT_SUBNET_GROUP: &[&str] = &["aws_redshift_subnet_group"];

/// Every resource type the model reads.
const MODELLED: &[&str] = &[
    "aws_vpc",
    "aws_default_vpc",
    "aws_vpc_ipv4_cidr_block_association",
    "aws_vpc_ipv6_cidr_block_association",
    "aws_subnet",
    "aws_default_subnet",
    "aws_route_table",
    "aws_default_route_table",
    "aws_route",
    "aws_route_table_association",
    "aws_main_route_table_association",
    "aws_internet_gateway",
    "aws_internet_gateway_attachment",
    "aws_egress_only_internet_gateway",
    "aws_nat_gateway",
    "aws_eip",
    "aws_eip_association",
    "aws_instance",
    "aws_network_interface",
    "aws_vpn_gateway",
    "aws_vpn_gateway_attachment",
    "aws_vpn_gateway_route_propagation",
    "aws_customer_gateway",
    "aws_vpn_connection",
    "aws_vpn_connection_route",
    "aws_ec2_transit_gateway",
    "aws_ec2_transit_gateway_vpc_attachment",
    "aws_ec2_transit_gateway_route_table",
    "aws_ec2_transit_gateway_route",
    "aws_ec2_transit_gateway_route_table_association",
    "aws_ec2_transit_gateway_route_table_propagation",
    "aws_ec2_transit_gateway_prefix_list_reference",
    "aws_ec2_transit_gateway_peering_attachment",
    "aws_ec2_transit_gateway_peering_attachment_accepter",
    "aws_ec2_transit_gateway_vpc_attachment_accepter",
    "aws_vpc_peering_connection",
    "aws_vpc_peering_connection_accepter",
    "aws_vpc_endpoint",
    "aws_networkfirewall_firewall",
    "aws_vpc_endpoint_route_table_association",
    "aws_vpc_endpoint_subnet_association",
    "aws_ec2_instance_connect_endpoint",
    "aws_vpc_endpoint_service",
    "aws_vpc_endpoint_service_allowed_principal",
    "aws_network_acl",
    "aws_default_network_acl",
    "aws_network_acl_rule",
    "aws_network_acl_association",
    "aws_security_group",
    "aws_default_security_group",
    "aws_security_group_rule",
    "aws_vpc_security_group_ingress_rule",
    "aws_vpc_security_group_egress_rule",
    "aws_ec2_managed_prefix_list",
    "aws_ec2_managed_prefix_list_entry",
    "aws_api_gateway_stage",
    "aws_api_gateway_method_settings",
    "aws_vpc_block_public_access_options",
    "aws_vpc_block_public_access_exclusion",
    "aws_network_interface_sg_attachment",
    "aws_network_interface_attachment",
    "aws_vpc_endpoint_security_group_association",
    "aws_autoscaling_group",
    "aws_launch_template",
    "aws_launch_configuration",
    "aws_ecs_service",
    "aws_db_instance",
    "aws_db_subnet_group",
    "aws_rds_cluster",
    "aws_rds_cluster_instance",
    "aws_eks_cluster",
    "aws_eks_node_group",
    "aws_eks_fargate_profile",
    "aws_ec2_client_vpn_endpoint",
    "aws_ec2_client_vpn_network_association",
    "aws_ec2_client_vpn_authorization_rule",
    "aws_ec2_client_vpn_route",
    "aws_batch_compute_environment",
    "aws_route53_resolver_endpoint",
    "aws_lambda_function",
    "aws_memorydb_cluster",
    "aws_memorydb_subnet_group",
    "aws_db_proxy",
    "aws_elasticache_serverless_cache",
    "aws_redshiftserverless_workgroup",
    "aws_codebuild_project",
    "aws_sagemaker_notebook_instance",
    "aws_mwaa_environment",
    "aws_apprunner_vpc_connector",
    "aws_glue_connection",
    "aws_dax_cluster",
    "aws_dax_subnet_group",
    "aws_elasticsearch_domain",
    "aws_fsx_lustre_file_system",
    "aws_fsx_windows_file_system",
    "aws_fsx_ontap_file_system",
    "aws_fsx_openzfs_file_system",
    "aws_elasticache_cluster",
    "aws_elasticache_replication_group",
    "aws_elasticache_subnet_group",
    "aws_efs_mount_target",
    "aws_lb",
    "aws_alb",
    "aws_elb",
    "aws_lb_listener",
    "aws_alb_listener",
    "aws_lb_listener_rule",
    "aws_alb_listener_rule",
    "aws_lb_target_group",
    "aws_alb_target_group",
    "aws_lb_target_group_attachment",
    "aws_alb_target_group_attachment",
    "aws_autoscaling_attachment",
    "aws_elb_attachment",
    "aws_docdb_cluster",
    "aws_docdb_cluster_instance",
    "aws_docdb_subnet_group",
    "aws_neptune_cluster",
    "aws_neptune_cluster_instance",
    "aws_neptune_subnet_group",
    "aws_redshift_cluster",
    "aws_redshift_subnet_group",
    "aws_mq_broker",
    "aws_msk_cluster",
    "aws_opensearch_domain",
];

/// Address → id, per model vector: an object's id is the position of its address in the
/// sorted list of the vector's addresses.
#[derive(Default)]
struct Ids {
    /// Sorted, without repeats.
    addrs: Vec<String>,
    /// Other addresses that name one of the objects (a TGW for its default route table).
    aliases: HashMap<String, u32>,
    /// The same ids by instance index of the side, for the instance types indexed with
    /// [`B::index_ids`]: links point at instances, and finding their addresses (strings
    /// scattered over the parsed plan) once per link took a tenth of the build.
    by_inst: HashMap<usize, u32>,
}

impl Ids {
    fn assign(mut addrs: Vec<String>) -> Ids {
        addrs.sort();
        addrs.dedup();
        Ids {
            addrs,
            ..Ids::default()
        }
    }
    fn get(&self, a: &str) -> Option<u32> {
        match self.addrs.binary_search_by(|x| x.as_str().cmp(a)) {
            Ok(i) => u32::try_from(i).ok(),
            Err(_) => self.aliases.get(a).copied(),
        }
    }
    /// The id of instance `i`, whose address is `a`.
    fn of(&self, i: usize, a: &str) -> Option<u32> {
        match self.by_inst.get(&i) {
            Some(id) => Some(*id),
            None => self.get(a),
        }
    }
    /// The number of objects (aliases not counted).
    fn len(&self) -> usize {
        self.addrs.len()
    }
    /// Gives instance `i` (address `a`) the id `id` as well.
    fn alias(&mut self, i: usize, a: String, id: u32) {
        self.aliases.insert(a, id);
        self.by_inst.insert(i, id);
    }
}

/// What [`B::inst`] answers for an index outside this side (which the builder never makes).
static NO_INST: std::sync::LazyLock<Inst<'static>> = std::sync::LazyLock::new(|| Inst {
    address: "",
    module: Default::default(),
    rname: Arc::from(""),
    data: false,
    rtype: "",
    key: None,
    values: Attributes::none(),
    unknown: UnknownValue::none(),
    action: Action::NoOp,
    config: None,
});

struct B<'s, 'a> {
    side: &'s Side<'a>,
    cfg: &'s ConfigIndex<'a>,
    by_type: BTreeMap<&'a str, Vec<usize>>,
    /// Data sources that read an object another data source of the same type read first:
    /// (this one, the first). Not modelled; their address names the first one's object.
    read_dups: Vec<(usize, usize)>,
    /// Behind a lock so that instances can be converted on several threads; sorted at
    /// the end, so their order does not matter.
    diags: std::sync::Mutex<Vec<Diagnostic>>,
    /// Links resolved ahead on all threads ([`B::prelink`]): attribute → wanted types →
    /// instance → the link and the diagnostics resolving it gave.
    pre: HashMap<&'static str, Vec<(&'static [&'static str], Prelinked)>>,
    /// What [`Built::views`] lists.
    views: std::sync::Mutex<Vec<(String, &'static str)>>,
    /// What [`Built::read_back`] lists.
    read_back: std::sync::Mutex<ReadBack>,
    /// [`Model::outside_group_rules`], in any order (sorted at the end).
    outside_rules: std::sync::Mutex<Vec<OutsideGroupRule>>,
    /// Rule resources whose group cannot be resolved.
    unplaced_rules: std::sync::Mutex<Vec<UnplacedGroupRule>>,
    /// `aws_network_acl_rule`s whose NACL cannot be resolved (in instance order).
    unplaced_nacl_rules: std::sync::Mutex<Vec<UnplacedNaclRule>>,
    /// VPC address → its `aws_default_security_group`, set once those are linked
    /// ([`B::group`]).
    default_groups: std::sync::OnceLock<HashMap<String, String>>,
}

/// A side's model, and what finishing it needs from the other side's.
pub struct Built {
    pub model: Model,
    /// The objects (address, block attribute) whose nested blocks — a route table's
    /// `route`, a NACL's or security group's `ingress`/`egress`, a prefix list's `entry` —
    /// were read from an attribute the configuration has no expression for. Those are
    /// written in `dynamic` blocks (which terraform leaves out of the plan's configuration),
    /// or they are AWS's view of an object whose routes, rules or entries are separate
    /// resources (`aws_route`, `aws_network_acl_rule`, `aws_security_group_rule`,
    /// `aws_vpc_security_group_*_rule`, `aws_ec2_managed_prefix_list_entry`): the provider
    /// fills the attribute from AWS, so it repeats those resources and, in a plan, still
    /// lists what the plan deletes. The provider does not support both on one object, so
    /// an object such resources name on either side is the latter ([`drop_views`]). So is
    /// an instance's or network interface's group list (`security_groups`) that
    /// `aws_network_interface_sg_attachment`s add to.
    pub views: Vec<(String, &'static str)>,
    /// Public addresses that are AWS's read-back of an existing object rather than the
    /// configuration's ([`settle_eips`]).
    pub read_back: ReadBack,
}

/// What a model's public IPv4 addresses of workloads rest on, where AWS's read-back of an
/// existing object stands in for its configuration ([`settle_eips`]).
#[derive(Default)]
pub struct ReadBack {
    /// Existing instances whose `associate_public_ip_address = true` is AWS's read-back, not
    /// the configuration's: AWS reads back `true` for an instance that has any public
    /// address, an Elastic IP included, whatever it was launched with. Sorted.
    pub public: Vec<String>,
    /// Elastic IPs whose instance or network interface is AWS's read-back
    /// (`instance`/`network_interface` with no expression in the configuration, and no
    /// `aws_eip_association` for them in this model): an association resource made it,
    /// or something outside the configuration. Sorted.
    pub eips: Vec<String>,
    /// Workloads that an Elastic IP gives their public address: what they have without
    /// it. Sorted by address.
    pub own: Vec<(String, PublicIpv4)>,
}

/// Where the plan takes an Elastic IP away from an existing instance or interface, what
/// AWS's read-back says of the planned side is not what apply leaves:
/// - an Elastic IP whose `aws_eip_association` the plan deletes still reads back its
///   instance (its own `instance` has no expression): after apply it has none;
/// - the instance then keeps a public IPv4 address only if it was launched with one (AWS
///   gives it a new one), and when its configuration does not say so
///   (`associate_public_ip_address`, whose `true` is AWS's read-back of the Elastic IP),
///   whether it has a public address after apply is not known.
pub fn settle_eips(before: &Model, after: &mut Model, read_back: &ReadBack) {
    if read_back.public.is_empty() && read_back.eips.is_empty() {
        return;
    }
    let associated: HashSet<&str> = before
        .eips
        .iter()
        .filter(|e| e.association.is_some())
        .map(|e| e.meta.address.as_str())
        .collect();
    for (n, e) in after.eips.iter_mut().enumerate() {
        if e.association.is_some() || read_back.eips.binary_search(&e.meta.address).is_err() {
            continue;
        }
        // The association this plan deletes (the planned side has none for it).
        if !associated.contains(e.meta.address.as_str()) {
            continue;
        }
        let Link::To(w, _) = std::mem::replace(&mut e.workload, Link::None) else {
            continue;
        };
        if let Some(wl) = after.workloads.get_mut(w.index()) {
            if wl.public_ipv4 == PublicIpv4::Eip(EipId(u32::try_from(n).unwrap_or(0))) {
                wl.public_ipv4 = read_back
                    .own
                    .binary_search_by(|(a, _)| a.as_str().cmp(&wl.meta.address))
                    .ok()
                    .and_then(|k| read_back.own.get(k))
                    .map_or(PublicIpv4::None, |(_, p)| p.clone());
            }
        }
    }
    let had_eip: HashMap<&str, EipId> = before
        .workloads
        .iter()
        .filter_map(|w| match w.public_ipv4 {
            PublicIpv4::Eip(e) => Some((w.meta.address.as_str(), e)),
            _ => None,
        })
        .collect();
    for wl in &mut after.workloads {
        if wl.public_ipv4 != PublicIpv4::Auto
            || read_back.public.binary_search(&wl.meta.address).is_err()
        {
            continue;
        }
        let Some(e) = had_eip.get(wl.meta.address.as_str()) else {
            continue;
        };
        let eip = before.eips.get(e.index()).map_or_else(
            || "its Elastic IP".to_string(),
            |e| format!("`{}`", e.meta.address),
        );
        wl.public_ipv4 = PublicIpv4::Unknown(format!(
            "`{}` loses {eip} in this plan: AWS gives it a new public IPv4 address only if it was launched with one, and its configuration does not set associate_public_ip_address (AWS reads back true for any instance with a public address)",
            wl.meta.address
        ));
    }
}

/// Removes from both models the blocks read from a view (see [`Built::views`]) of an
/// object that separate resources name in either model: its routes, rules or entries come
/// from those resources.
pub fn drop_views(models: [&mut Model; 2], views: [&[(String, &'static str)]; 2]) {
    if views.iter().all(|v| v.is_empty()) {
        return;
    }
    let [a, b] = models;
    // Each model on its own thread: on a large plan over existing infrastructure, this
    // walks every route and rule of both.
    let strip: [Vec<(String, &'static str)>; 2] = {
        let (mut managed, other) = rayon::join(|| managed_objects(a), || managed_objects(b));
        managed.extend(other);
        views.map(|v| {
            v.iter()
                .filter(|(a, _)| managed.contains(a.as_str()))
                .cloned()
                .collect()
        })
    };
    let [sa, sb] = strip;
    rayon::join(|| strip_views(a, sa), || strip_views(b, sb));
}

/// The objects of `m` that separate resources add to (see [`drop_views`]).
fn managed_objects(m: &Model) -> HashSet<&str> {
    let mut managed: HashSet<&str> = HashSet::default();
    for r in &m.routes {
        if r.origin != RouteOrigin::Resource {
            continue;
        }
        if let Some(t) = r.table.id().and_then(|t| m.route_tables.get(t.index())) {
            managed.insert(t.meta.address.as_str());
        }
    }
    let own = |object: &str, rule: &str| {
        rule.strip_prefix(object)
            .is_some_and(|rest| rest.starts_with(' '))
    };
    for n in &m.nacls {
        if n.ingress
            .iter()
            .chain(&n.egress)
            .any(|r| !own(&n.meta.address, &r.address))
        {
            managed.insert(n.meta.address.as_str());
        }
    }
    for g in &m.security_groups {
        if g.ingress
            .iter()
            .chain(&g.egress)
            .any(|r| !own(&g.meta.address, &r.address))
        {
            managed.insert(g.meta.address.as_str());
        }
    }
    for p in &m.prefix_lists {
        if !p.entry_resources.is_empty() {
            managed.insert(p.meta.address.as_str());
        }
    }
    for w in &m.workloads {
        if !w.attached_security_groups.is_empty() {
            managed.insert(w.meta.address.as_str());
        }
    }
    managed
}

/// Removes from `m` the blocks of `strip`, read from a view of an object that separate
/// resources name ([`drop_views`]).
fn strip_views(m: &mut Model, strip: Vec<(String, &'static str)>) {
    let tables: HashSet<RouteTableId> = strip
        .iter()
        .filter(|(_, attr)| *attr == "route")
        .filter_map(|(address, _)| {
            let k = m
                .route_tables
                .binary_search_by(|t| t.meta.address.as_str().cmp(address))
                .ok()?;
            u32::try_from(k).ok().map(RouteTableId)
        })
        .collect();
    drop_inline_routes(m, &tables);
    for (address, attr) in strip {
        let inline = format!("{address} {attr}[");
        let ingress = attr == "ingress";
        match attr {
            "ingress" | "egress" => {
                if let Some(n) = at_address(&mut m.nacls, &address, |n| &n.meta.address) {
                    let rules = if ingress {
                        &mut n.ingress
                    } else {
                        &mut n.egress
                    };
                    rules.retain(|r| !r.address.starts_with(&inline));
                }
                if let Some(g) = at_address(&mut m.security_groups, &address, |g| &g.meta.address) {
                    let rules = if ingress {
                        &mut g.ingress
                    } else {
                        &mut g.egress
                    };
                    rules.retain(|r| !r.address.starts_with(&inline));
                }
            }
            // The groups are then the VPC's default group and the attached ones.
            "security_groups" => {
                if let Some(w) = at_address(&mut m.workloads, &address, |w| &w.meta.address) {
                    w.security_groups.clear();
                }
            }
            "entry" => {
                if let Some(p) = at_address(&mut m.prefix_lists, &address, |p| &p.meta.address) {
                    p.entries.clear();
                    p.unknown = None;
                }
            }
            _ => {}
        }
    }
}

/// The object of a model vector (sorted by address) at `address`.
fn at_address<'v, T>(v: &'v mut [T], address: &str, key: fn(&T) -> &String) -> Option<&'v mut T> {
    let k = v.binary_search_by(|x| key(x).as_str().cmp(address)).ok()?;
    v.get_mut(k)
}

/// Removes the inline routes of `tables`, and renumbers the others.
fn drop_inline_routes(m: &mut Model, tables: &HashSet<RouteTableId>) {
    if tables.is_empty() {
        return;
    }
    let routes = std::mem::take(&mut m.routes);
    let mut new_id: Vec<Option<RouteId>> = Vec::with_capacity(routes.len());
    for r in routes {
        if r.origin == RouteOrigin::Inline && r.table.id().is_some_and(|t| tables.contains(&t)) {
            new_id.push(None);
        } else {
            new_id.push(u32::try_from(m.routes.len()).ok().map(RouteId));
            m.routes.push(r);
        }
    }
    for t in &mut m.route_tables {
        t.routes = t
            .routes
            .iter()
            .filter_map(|r| new_id.get(r.index()).copied().flatten())
            .collect();
    }
}

/// The largest piece of a conversion that runs beside another one ([`B::run`]'s last
/// part): small enough that a thread done with its own part finds pieces of the other's.
const SHARED_CHUNK: usize = 256;

/// A link resolved ahead and the diagnostics resolving it gave.
type PrelinkEntry = (LinkA, Vec<Diagnostic>);
type Prelinked = HashMap<usize, PrelinkEntry>;

/// The links most instances have, resolved in parallel before the (sequential) build:
/// resolving references is most of the build's time, and reads only the side. A link
/// missing here is resolved when the build asks for it, with the same answer.
const PRELINK: &[(&str, &str, &[&str])] = &[
    ("aws_subnet", "vpc_id", VPC),
    ("aws_route_table", "vpc_id", VPC),
    ("aws_internet_gateway", "vpc_id", VPC),
    ("aws_egress_only_internet_gateway", "vpc_id", VPC),
    ("aws_vpn_gateway", "vpc_id", VPC),
    ("aws_route", "route_table_id", RTB_REF),
    ("aws_route_table_association", "route_table_id", RTB_REF),
    ("aws_route_table_association", "subnet_id", SUBNET),
    ("aws_route_table_association", "gateway_id", IGW_VGW),
    ("aws_nat_gateway", "subnet_id", SUBNET),
    ("aws_nat_gateway", "allocation_id", EIP),
    ("aws_eip", "instance", INSTANCE),
    ("aws_instance", "subnet_id", SUBNET),
    ("aws_network_interface", "subnet_id", SUBNET),
    ("aws_network_acl", "vpc_id", VPC),
    ("aws_network_acl_association", "network_acl_id", NACL_REF),
    ("aws_network_acl_association", "subnet_id", SUBNET),
    ("aws_network_acl_rule", "network_acl_id", NACL_REF),
    ("aws_security_group", "vpc_id", VPC),
    ("aws_security_group_rule", "security_group_id", SG_REF),
    (
        "aws_vpc_security_group_ingress_rule",
        "security_group_id",
        SG_REF,
    ),
    (
        "aws_vpc_security_group_egress_rule",
        "security_group_id",
        SG_REF,
    ),
    ("aws_vpc_endpoint", "vpc_id", VPC),
    (
        "aws_ec2_transit_gateway_vpc_attachment",
        "transit_gateway_id",
        TGW,
    ),
    ("aws_ec2_transit_gateway_vpc_attachment", "vpc_id", VPC),
    (
        "aws_ec2_transit_gateway_route_table_association",
        "transit_gateway_attachment_id",
        TGW_ATT,
    ),
    (
        "aws_ec2_transit_gateway_route_table_association",
        "transit_gateway_route_table_id",
        TGW_RTB,
    ),
    (
        "aws_ec2_transit_gateway_route_table_propagation",
        "transit_gateway_attachment_id",
        TGW_ATT,
    ),
    (
        "aws_ec2_transit_gateway_route_table_propagation",
        "transit_gateway_route_table_id",
        TGW_RTB,
    ),
];

/// What a link is for, as diagnostics name it (`aws_route.r.gateway_id`): written only
/// when a diagnostic needs it, not for each of the hundreds of thousands of links resolved.
#[derive(Clone, Copy)]
struct What<'a>(&'a str, &'a str, &'a str);

impl std::fmt::Display for What<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}{}{}", self.0, self.1, self.2)
    }
}

fn diagnostic(address: &str, message: String) -> Diagnostic {
    Diagnostic {
        address: Some(address.to_string()),
        message,
    }
}

/// Builds the model of one side.
/// Data sources the model holds as the objects they read, unchanged by the plan: a VPC
/// (`Vpc::outside`: what else it holds is not all in the plan), an internet gateway and its
/// attachment, a NAT gateway, a route table with all its routes but the local ones, a
/// prefix list with its entries (`data.aws_prefix_list`: an AWS-managed one's CIDRs).
pub(crate) const DATA_MODELLED: &[&str] = &[
    "aws_ec2_managed_prefix_list",
    "aws_internet_gateway",
    "aws_nat_gateway",
    "aws_prefix_list",
    "aws_route_table",
    "aws_subnet",
    "aws_vpc",
];

/// Data sources whose `id` is the AWS ID of the network object they read: a route, a
/// rule or an attribute naming that ID names an object that exists outside this
/// configuration ([`Model::read_ids`]).
const READ_BY_ID: &[&str] = &[
    "aws_customer_gateway",
    "aws_ec2_managed_prefix_list",
    "aws_ec2_transit_gateway",
    "aws_ec2_transit_gateway_peering_attachment",
    "aws_ec2_transit_gateway_route_table",
    "aws_ec2_transit_gateway_vpc_attachment",
    "aws_ec2_transit_gateway_vpn_attachment",
    "aws_eip",
    "aws_instance",
    "aws_internet_gateway",
    "aws_nat_gateway",
    "aws_network_interface",
    "aws_prefix_list",
    "aws_route_table",
    "aws_security_group",
    "aws_subnet",
    "aws_vpc",
    "aws_vpc_endpoint",
    "aws_vpc_peering_connection",
    "aws_vpn_gateway",
];

pub fn build_model(side: &Side<'_>, cfg: &ConfigIndex<'_>, prelink: bool) -> Built {
    // Instances by mode and type first (a few dozen distinct ones among 100,000s of
    // instances), then each type sorted out once.
    let mut groups: HashMap<(bool, &str), Vec<usize>> = HashMap::default();
    for (i, inst) in side.insts.iter().enumerate() {
        groups.entry((inst.data, inst.rtype)).or_default().push(i);
    }
    let mut by_type: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    let mut skipped: BTreeMap<String, u32> = BTreeMap::new();
    let mut read_ids: BTreeMap<String, String> = BTreeMap::new();
    let mut read_dups: Vec<(usize, usize)> = Vec::new();
    for ((data, rtype), list) in groups {
        let n = u32::try_from(list.len()).unwrap_or(u32::MAX);
        if data && READ_BY_ID.contains(&rtype) {
            for &i in &list {
                if let Some((inst, id)) = side.insts.get(i).and_then(|x| Some((x, x.str("id")?))) {
                    read_ids
                        .entry(id.to_string())
                        .or_insert_with(|| inst.address.to_string());
                }
            }
        }
        if data && DATA_MODELLED.contains(&rtype) {
            // Read at plan time (a read deferred to apply knows nothing yet).
            let mut read: Vec<usize> = list
                .into_iter()
                .filter(|&i| side.insts.get(i).is_some_and(|x| x.action == Action::NoOp))
                .collect();
            read.sort_unstable();
            // Several data sources reading one object (`for_each` over subnets, each reading
            // its route table) are one object: the one the plan manages, else the first by
            // address; the others name it.
            let mut first: HashMap<&str, usize> = HashMap::default();
            read.retain(|&i| {
                let Some(id) = side.insts.get(i).and_then(|x| x.str("id")) else {
                    return true;
                };
                let managed = side.by_id_all(id).iter().copied().find(|&j| {
                    side.insts
                        .get(j)
                        .is_some_and(|x| !x.data && x.rtype == rtype)
                });
                if let Some(m) = managed {
                    read_dups.push((i, m));
                    return false;
                }
                match first.get(id) {
                    Some(&kept) => {
                        read_dups.push((i, kept));
                        false
                    }
                    None => {
                        first.insert(id, i);
                        true
                    }
                }
            });
            let all = by_type.entry(rtype).or_default();
            all.extend(read);
            all.sort_unstable();
        } else if data {
            *skipped.entry(format!("data.{rtype}")).or_default() += n;
        } else if MODELLED.contains(&rtype) {
            let all = by_type.entry(rtype).or_default();
            all.extend(list);
            all.sort_unstable();
        } else {
            *skipped.entry(rtype.to_string()).or_default() += n;
        }
    }
    let mut b = B {
        side,
        cfg,
        by_type,
        read_dups,
        diags: Default::default(),
        pre: HashMap::default(),
        views: Default::default(),
        read_back: Default::default(),
        outside_rules: Default::default(),
        unplaced_rules: Default::default(),
        unplaced_nacl_rules: Default::default(),
        default_groups: Default::default(),
    };
    if prelink {
        b.prelink();
    }
    let mut model = b.run();
    model.skipped = skipped;
    model.read_ids = read_ids;
    model.outside_group_rules = b
        .outside_rules
        .into_inner()
        .unwrap_or_else(|e| e.into_inner());
    model
        .outside_group_rules
        .sort_by(|a, b| (&a.rule.address, &a.group).cmp(&(&b.rule.address, &b.group)));
    model.unplaced_group_rules = b
        .unplaced_rules
        .into_inner()
        .unwrap_or_else(|e| e.into_inner());
    model
        .unplaced_group_rules
        .sort_by(|a, b| a.rule.address.cmp(&b.rule.address));
    model.unplaced_nacl_rules = b
        .unplaced_nacl_rules
        .into_inner()
        .unwrap_or_else(|e| e.into_inner());
    model.diagnostics = b.diags.into_inner().unwrap_or_else(|e| e.into_inner());
    model.diagnostics.sort();
    model.diagnostics.dedup();
    model.shrink_to_fit();
    let mut views = b.views.into_inner().unwrap_or_else(|e| e.into_inner());
    views.sort();
    let mut read_back = b.read_back.into_inner().unwrap_or_else(|e| e.into_inner());
    read_back.public.sort();
    read_back.eips.sort();
    read_back.own.sort_by(|a, b| a.0.cmp(&b.0));
    Built {
        model,
        views,
        read_back,
    }
}

/// Fills [`VpnConnection::gateway_routes`]: each transit gateway static route to a VPN
/// connection's attachment.
fn vpn_gateway_routes(m: &mut Model) {
    let mut found: Vec<(usize, Address, AnyBlock)> = Vec::new();
    for t in &m.tgw_route_tables {
        for r in &t.routes {
            let Some(Link::To(a, _)) = &r.attachment else {
                continue;
            };
            if let Some(TgwAttachmentKind::Vpn { connection }) =
                m.tgw_attachments.get(a.index()).map(|a| &a.kind)
            {
                found.push((connection.index(), r.address.clone(), r.destination.clone()));
            }
        }
    }
    for (c, address, block) in found {
        if let Some(conn) = m.vpn_connections.get_mut(c) {
            conn.gateway_routes.push((address, block));
        }
    }
    for c in &mut m.vpn_connections {
        c.gateway_routes.sort_by(|a, b| a.0.cmp(&b.0));
        c.gateway_routes.dedup_by(|a, b| a.0 == b.0);
    }
}

fn meta(inst: &Inst<'_>) -> Meta {
    Meta {
        address: inst.address.to_string(),
        action: inst.action,
        id: inst.str("id").map(str::to_string),
        tags: inst.tags(),
    }
}

/// An instance's or interface's IPv6 addresses: its count, or its listed addresses; `None`
/// when the plan does not know (not set: the subnet decides at launch).
fn ipv6_count(inst: &Inst<'_>) -> Option<u32> {
    let listed = ["ipv6_addresses", "ipv6_address_list"]
        .iter()
        .map(|a| u32::try_from(inst.list(a).len()).unwrap_or(0))
        .max()
        .unwrap_or(0);
    // Delegated prefixes (`/80`s) are addresses of the interface too.
    let prefixes = inst.i64("ipv6_prefix_count").is_some_and(|n| n > 0)
        || !inst.list("ipv6_prefixes").is_empty();
    // Addresses or prefixes the configuration asks for with a value known only after apply
    // (`[cidrhost(aws_subnet.app.ipv6_cidr_block, 10)]`): which ones is not known, that
    // there are some is what the configuration says.
    let asked = [
        "ipv6_addresses",
        "ipv6_address_list",
        "ipv6_prefixes",
        "ipv6_prefix_count",
    ]
    .iter()
    .any(|a| inst.expr(a).is_some() && inst.is_unknown(a));
    let listed = if listed == 0 && (prefixes || asked) {
        1
    } else {
        listed
    };
    match inst
        .i64("ipv6_address_count")
        .and_then(|n| u32::try_from(n).ok())
    {
        Some(n) => Some(n.max(listed)),
        None if listed > 0 => Some(listed),
        None => None,
    }
}

/// An address in backticks, as reasons write it.
/// Associations (of route tables or NACLs) whose subnet is not known at plan time, by the
/// VPC of their table or NACL (`None`: not known either). A subnet they may cover that has
/// no other association does not have its VPC's main table or default NACL for sure.
#[derive(Default)]
struct Unsure {
    /// `(VPC, association's address, why its subnet is not known, whether it is a main
    /// route table association)`, the first of each VPC.
    first: Vec<(Option<VpcId>, String, String, bool)>,
}

impl Unsure {
    fn add(&mut self, vpc: Option<VpcId>, address: &str, why: &str) {
        self.push(vpc, address, why, false);
    }

    /// An `aws_main_route_table_association` whose VPC or table is not known: the VPC's
    /// subnets without an association of their own may have that table, or the old one.
    fn add_main(&mut self, vpc: Option<VpcId>, address: &str, why: &str) {
        self.push(vpc, address, why, true);
    }

    fn push(&mut self, vpc: Option<VpcId>, address: &str, why: &str, main: bool) {
        if !self.first.iter().any(|(v, ..)| *v == vpc) {
            self.first
                .push((vpc, address.to_string(), why.to_string(), main));
        }
    }

    /// The first association that may cover a subnet of `vpc`.
    fn covers(&self, vpc: Option<VpcId>) -> Option<&(Option<VpcId>, String, String, bool)> {
        self.first
            .iter()
            .find(|(v, ..)| v.is_none() || vpc.is_none() || *v == vpc)
    }

    /// Why `subnet`'s `what` is not known.
    fn reason(&self, vpc: Option<VpcId>, subnet: &str, what: &str) -> String {
        match self.covers(vpc) {
            Some((_, address, why, false)) => format!(
                "{} associates a subnet not known at plan time with a {what}, and it may be {} ({why})",
                tick_addr(address),
                tick_addr(subnet)
            ),
            Some((_, address, why, true)) => format!(
                "{} sets the main route table of a VPC, and which table or VPC is not known at plan time: it may be the table of {} ({why})",
                tick_addr(address),
                tick_addr(subnet)
            ),
            None => format!("the {what} of {} is not known", tick_addr(subnet)),
        }
    }
}

fn tick_addr(a: &str) -> String {
    format!("`{a}`")
}

/// A mode attribute of the BPA resources: known, unknown until apply, or a value tfvpc
/// does not know (unknown too, saying so).
fn bpa_val<T>(inst: &Inst<'_>, attr: &str, parse: fn(&str) -> Option<T>) -> Val<T> {
    match inst.str(attr) {
        Some(s) => match parse(s) {
            Some(v) => Val::Known(v),
            None => Val::Unknown(format!(
                "`{}` sets `{attr}` to `{s}`, which tfvpc does not know",
                inst.address
            )),
        },
        None => Val::Unknown(unknown_reason(inst.address, attr)),
    }
}

/// Gives each subnet whose network ACL the plan does not show (a subnet read by a data
/// source, one in a VPC outside the plan, an association naming an ACL by an ID the plan
/// does not hold) an ACL of its own whose rules are undecided: an allow rule per family
/// from a block not known, with the reason. Traffic through it is `unknown`, where a
/// subnet without an ACL would let everything pass.
fn undecided_nacls(m: &mut Model) {
    for s in &mut m.subnets {
        let why = match &s.nacl.link {
            Link::To(..) => continue,
            Link::Unresolved(r) => r.clone(),
            Link::External(id) => format!(
                "the network ACL `{id}` of {} is outside this plan",
                tick_addr(&s.meta.address)
            ),
            Link::None => format!(
                "the network ACL of {} is not known",
                tick_addr(&s.meta.address)
            ),
        };
        let address = format!("{} (network ACL)", s.meta.address);
        let action = s.meta.action;
        let rules = |dir: &str| {
            let rule = |n: u32, cidr: AnyBlock| NaclRule {
                address: format!("{address} {dir} {n}"),
                action,
                rule_number: n,
                allow: true,
                protocol: Protocol::All,
                ports: PortRange::ALL,
                icmp: IcmpMatch::default(),
                cidr,
                unknown: None,
            };
            vec![
                rule(100, AnyBlock::V4(unknown_block(why.clone(), None, None))),
                rule(101, AnyBlock::V6(unknown_block(why.clone(), None, None))),
            ]
        };
        let nacl = Nacl {
            meta: synth_meta(address.clone(), action),
            vpc: s.vpc.clone(),
            is_default: false,
            synthesized: true,
            ingress: rules("ingress"),
            egress: rules("egress"),
        };
        let id = NaclId(u32::try_from(m.nacls.len()).unwrap_or(u32::MAX));
        m.nacls.push(nacl);
        s.nacl.link = Link::To(id, LinkHow::Reference);
    }
}

fn synth_meta(address: String, action: Action) -> Meta {
    Meta {
        address,
        action,
        id: None,
        tags: Tags::new(),
    }
}

/// `security_group_referencing_support` of a transit gateway or VPC attachment: AWS's
/// default (`default`) where the plan has no value and the configuration sets none (the
/// provider leaves the attachment's computed); unknown where it is set from a value known
/// only after apply.
fn referencing(inst: &Inst<'_>, default: bool) -> Val<bool> {
    const ATTR: &str = "security_group_referencing_support";
    match inst.str(ATTR) {
        Some(s) => Val::Known(s == "enable"),
        None if inst.is_unknown(ATTR) && inst.expr(ATTR).is_some() => {
            Val::Unknown(unknown_reason(inst.address, ATTR))
        }
        None => Val::Known(default),
    }
}

fn unknown_reason(addr: &str, attr: &str) -> String {
    format!("`{addr}.{attr}` is known only after apply")
}

/// Whether an `after_unknown` part marks attribute `k` (or part of it) unknown.
fn unknown_at(unk: &dyn Attrs, k: &str) -> bool {
    match unk.attr(k) {
        Some(Value::Bool(b)) => *b,
        Some(Value::Array(a)) => a.iter().any(|v| v.as_bool() == Some(true)),
        _ => false,
    }
}

/// Why which traffic a rule matches is not known at plan time: those of its `keys` that
/// `unk` marks unknown, and the reference the first of them comes from (`expr`, the rule's
/// configuration). `None` when all are known.
fn unknown_match(
    address: &str,
    keys: &[&str],
    unk: &dyn Attrs,
    expr: Option<&Map<'_>>,
) -> Option<String> {
    let names: Vec<&str> = keys
        .iter()
        .copied()
        .filter(|k| unknown_at(unk, k))
        .collect();
    let from = names
        .iter()
        .filter_map(|k| expr.and_then(|e| e.get(k)))
        .find_map(|e| expression_refs(e).first().map(|r| r.to_string()));
    let (list, plural) = match names.as_slice() {
        [] => return None,
        [one] => (one.to_string(), false),
        [init @ .., last] => (format!("{} and {last}", init.join(", ")), true),
    };
    Some(match (from, plural) {
        (Some(r), true) => format!("`{address}` {list} come from `{r}`, known only after apply"),
        (Some(r), false) => format!("`{address}` {list} comes from `{r}`, known only after apply"),
        (None, true) => format!("`{address}` {list} are known only after apply"),
        (None, false) => format!("`{address}` {list} is known only after apply"),
    })
}

/// What Terraform says of an inline block's values when it gives no expression of the
/// block's own (once a block holds a value known only after apply, it writes only the
/// whole attribute's references): those references, which include the value's source.
/// Added to `reasons`, those of the rules made from such a block; nothing when the block
/// has an expression of its own or the attribute names nothing.
fn name_whole_refs<'r>(
    dir: &str,
    own: Option<&Map<'_>>,
    whole: Option<&Value<'_>>,
    reasons: impl Iterator<Item = &'r mut String>,
) {
    let Some(whole) = whole.filter(|_| own.is_none()) else {
        return;
    };
    let refs = expression_refs(whole);
    let mut named = longest_forms(&refs).to_vec();
    let mut seen = HashSet::default();
    named.retain(|r| seen.insert(*r));
    if named.is_empty() {
        return;
    }
    let shown: Vec<String> = named.iter().take(3).map(|r| format!("`{r}`")).collect();
    let more = if named.len() > 3 { ", …" } else { "" };
    let clause = format!(" (the `{dir}` blocks name {}{more})", shown.join(", "));
    for r in reasons {
        r.push_str(&clause);
    }
}

/// The reasons of what a NACL rule leaves unknown: its match and its CIDR.
fn nacl_reasons(rules: &mut [NaclRule]) -> impl Iterator<Item = &mut String> {
    rules.iter_mut().flat_map(|r| {
        let cidr = match &mut r.cidr {
            AnyBlock::V4(Block::Unknown(u)) | AnyBlock::V6(Block::Unknown(u)) => {
                Some(&mut u.reason)
            }
            _ => None,
        };
        r.unknown.as_mut().into_iter().chain(cidr)
    })
}

/// The reasons of what a security group rule leaves unknown: its match and its CIDR.
fn sg_reasons(rules: &mut [SgRule]) -> impl Iterator<Item = &mut String> {
    rules.iter_mut().flat_map(|r| {
        let cidr = match &mut r.peer {
            SgPeer::Cidr(AnyBlock::V4(Block::Unknown(u)))
            | SgPeer::Cidr(AnyBlock::V6(Block::Unknown(u))) => Some(&mut u.reason),
            _ => None,
        };
        r.unknown.as_mut().into_iter().chain(cidr)
    })
}

fn parse_v4(s: &str) -> Option<Ipv4Net> {
    s.trim().parse::<Ipv4Net>().ok().map(|n| n.trunc())
}
fn parse_v6(s: &str) -> Option<Ipv6Net> {
    s.trim().parse::<Ipv6Net>().ok().map(|n| n.trunc())
}

fn any_block(s: &str, reason_ctx: &str) -> AnyBlock {
    if s.contains(':') {
        match parse_v6(s) {
            Some(n) => AnyBlock::V6(Block::Known(n)),
            None => AnyBlock::V6(Block::Unknown(UnknownBlock {
                reason: format!("{reason_ctx}: `{s}` is not a CIDR"),
                inside_vpc: None,
                inside_subnets: Vec::new(),
                prefix_len: None,
                amazon_ipv6: false,
            })),
        }
    } else {
        match parse_v4(s) {
            Some(n) => AnyBlock::V4(Block::Known(n)),
            None => AnyBlock::V4(Block::Unknown(UnknownBlock {
                reason: format!("{reason_ctx}: `{s}` is not a CIDR"),
                inside_vpc: None,
                inside_subnets: Vec::new(),
                prefix_len: None,
                amazon_ipv6: false,
            })),
        }
    }
}

/// A CIDR attribute the plan gives as a string: known when it parses; otherwise unknown
/// with the reason, so a block that is not a CIDR (`10.0.0.0/33`) is never silently dropped.
fn v4_attr(c: &str, addr: &str, attr: &str, inside: Option<VpcId>) -> Block<Ipv4Net> {
    parse_v4(c).map_or_else(
        || {
            unknown_block(
                format!("`{addr}.{attr}` = `{c}` is not an IPv4 CIDR"),
                inside,
                None,
            )
        },
        Block::Known,
    )
}
fn v6_attr(c: &str, addr: &str, attr: &str, inside: Option<VpcId>) -> Block<Ipv6Net> {
    parse_v6(c).map_or_else(
        || {
            unknown_block(
                format!("`{addr}.{attr}` = `{c}` is not an IPv6 CIDR"),
                inside,
                None,
            )
        },
        Block::Known,
    )
}

/// A prefix list entry's CIDR, `unknown` (of the list's family) when not known at plan time,
/// placed where its expression says ([`B::cidr_place`]).
fn entry_block(
    cidr: Option<&str>,
    family: Family,
    addr: &str,
    attr: &str,
    place: impl FnOnce() -> Option<Place>,
) -> AnyBlock {
    match (cidr, family) {
        (Some(c), _) => any_block(c, addr),
        (None, Family::Ipv4) => AnyBlock::V4(placed_block(unknown_reason(addr, attr), place())),
        (None, Family::Ipv6) => AnyBlock::V6(placed_block(unknown_reason(addr, attr), place())),
    }
}

/// Where a rule's or route's CIDR known only after apply lies ([`B::cidr_place`]).
struct Place {
    vpc: VpcId,
    /// The subnets one of whose blocks it lies in; empty when it names the VPC's blocks.
    subnets: Vec<SubnetId>,
}

/// The ids a [`Place`] is made of.
#[derive(Clone, Copy)]
struct Places<'i> {
    vpcs: &'i Ids,
    subnets: &'i Ids,
}

/// A CIDR known only after apply, with where it lies when structure says so.
fn placed_block<N>(reason: String, place: Option<Place>) -> Block<N> {
    let (inside_vpc, inside_subnets) = match place {
        Some(p) => (Some(p.vpc), p.subnets),
        None => (None, Vec::new()),
    };
    Block::Unknown(UnknownBlock {
        reason,
        inside_vpc,
        inside_subnets,
        prefix_len: None,
        amazon_ipv6: false,
    })
}

fn unknown_block<N>(reason: String, inside_vpc: Option<VpcId>, prefix_len: Option<u8>) -> Block<N> {
    Block::Unknown(UnknownBlock {
        reason,
        inside_vpc,
        inside_subnets: Vec::new(),
        prefix_len,
        amazon_ipv6: false,
    })
}

/// What attributes are read from by name: a nested block (a JSON object), or a resource's
/// own kept attributes read in place (tens of thousands of `aws_route`s: no copy each).
trait Attrs {
    fn attr(&self, k: &str) -> Option<&Value<'_>>;
}

impl Attrs for Value<'_> {
    fn attr(&self, k: &str) -> Option<&Value<'_>> {
        self.get(k)
    }
}

impl Attrs for Cow<'_, Value<'_>> {
    fn attr(&self, k: &str) -> Option<&Value<'_>> {
        self.get(k)
    }
}

impl Attrs for Attributes<'_> {
    fn attr(&self, k: &str) -> Option<&Value<'_>> {
        self.get(k)
    }
}

impl Attrs for UnknownValue<'_> {
    fn attr(&self, k: &str) -> Option<&Value<'_>> {
        self.get(k)
    }
}

fn obj_str<'v>(o: &'v dyn Attrs, k: &str) -> Option<&'v str> {
    o.attr(k).and_then(Value::as_str).filter(|s| !s.is_empty())
}
fn obj_i64(o: &dyn Attrs, k: &str) -> Option<i64> {
    match o.attr(k)? {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}
fn obj_bool(o: &dyn Attrs, k: &str) -> Option<bool> {
    o.attr(k).and_then(Value::as_bool)
}
fn obj_strs(o: &dyn Attrs, k: &str) -> Vec<String> {
    match o.attr(k) {
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(Value::as_str)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect(),
        Some(Value::String(s)) if !s.is_empty() => vec![s.to_string()],
        _ => Vec::new(),
    }
}

fn protocol(p: &str) -> Protocol {
    match p.trim().to_ascii_lowercase().as_str() {
        "-1" | "all" => Protocol::All,
        "tcp" | "6" => Protocol::Tcp,
        "udp" | "17" => Protocol::Udp,
        "icmp" | "1" => Protocol::Icmp,
        "icmpv6" | "icmp6" | "58" => Protocol::Icmpv6,
        other => match other.parse::<u8>() {
            Ok(n) => Protocol::Number(n),
            Err(_) => Protocol::All,
        },
    }
}

fn ports(proto: Protocol, from: Option<i64>, to: Option<i64>) -> PortRange {
    match proto {
        Protocol::Tcp | Protocol::Udp => {
            // `from_port = 0, to_port = 0` is port 0 alone for TCP and UDP (AWS takes the
            // range as written); it means every port only with protocol `-1`.
            let f = from.and_then(|v| u16::try_from(v).ok()).unwrap_or(0);
            let t = to.and_then(|v| u16::try_from(v).ok()).unwrap_or(65535);
            PortRange {
                from: f.min(t),
                to: t.max(f),
            }
        }
        _ => PortRange::ALL,
    }
}

fn icmp_part(v: Option<i64>) -> Option<u8> {
    v.and_then(|n| u8::try_from(n).ok())
}

/// A nested block: its values, its `after_unknown` part, its configuration expressions.
/// A block, its `after_unknown` part, and its configuration. Borrowed from the plan when
/// it is known (most are: thousands of routes, rules and NACL entries).
type BlockObject<'v> = (Cow<'v, Value<'v>>, Cow<'v, Value<'v>>, Option<&'v Map<'v>>);

/// The objects of a nested block attribute: the known list, else the configuration's
/// constant values block by block (when the whole list is unknown).
fn block_objects<'v>(inst: &Inst<'v>, attr: &str) -> Vec<BlockObject<'v>> {
    let exprs: Vec<&Map<'_>> = inst.expr(attr).map(expression_blocks).unwrap_or_default();
    match inst.values.get(attr) {
        Some(Value::Array(items)) => {
            let unknowns = inst.unknown.get(attr).and_then(Value::as_array);
            items
                .iter()
                .enumerate()
                .map(|(i, item)| {
                    let u = unknowns
                        .and_then(|u| u.get(i))
                        .map_or(Cow::Owned(Value::Null), Cow::Borrowed);
                    let e = match_block(item, &exprs, i, items.len());
                    (Cow::Borrowed(item), u, e)
                })
                .collect()
        }
        _ if inst.is_unknown(attr) || inst.values.get(attr).is_none() => exprs
            .iter()
            .map(|e| {
                let mut obj = Map::new();
                let mut unk = Map::new();
                for (k, v) in e.iter() {
                    match v.get("constant_value") {
                        Some(c) => {
                            obj.insert(k.clone(), c.clone());
                        }
                        None => {
                            unk.insert(k.clone(), Value::Bool(true));
                        }
                    }
                }
                (
                    Cow::Owned(Value::Object(obj)),
                    Cow::Owned(Value::Object(unk)),
                    Some(*e),
                )
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// The configuration block an element of a set came from: same destination constant, else
/// the same position when the counts agree.
fn match_block<'v>(
    item: &Value<'_>,
    exprs: &[&'v Map<'v>],
    i: usize,
    n: usize,
) -> Option<&'v Map<'v>> {
    const KEYS: &[&str] = &[
        "cidr_block",
        "ipv6_cidr_block",
        "destination_prefix_list_id",
        "rule_no",
    ];
    for e in exprs {
        let mut matched = false;
        let mut mismatch = false;
        for k in KEYS {
            let c = e.get(k).and_then(|x| x.get("constant_value"));
            let v = item
                .get(k)
                .filter(|v| !v.is_null() && v.as_str() != Some(""));
            match (c, v) {
                (Some(c), Some(v)) if !c.is_null() => {
                    if c == v {
                        matched = true;
                    } else {
                        mismatch = true;
                    }
                }
                _ => {}
            }
        }
        if matched && !mismatch {
            return Some(e);
        }
    }
    if exprs.len() == n {
        return exprs.get(i).copied();
    }
    None
}

/// One route's data before ids.
struct RouteA {
    address: Address,
    action: Action,
    table: LinkA,
    /// What `table` may be when it is not resolved ([`B::among`]); empty: any table.
    table_among: Vec<LinkA>,
    destination: Destination,
    target: TargetA,
    origin: RouteOrigin,
}

enum TargetA {
    Local,
    Link(&'static str, LinkA),
    Other { attribute: String, value: String },
    Unresolved { attribute: String, reason: String },
    Missing,
    Service(LinkA),
}

const ROUTE_TARGETS: &[(&str, &[&str])] = &[
    ("gateway_id", IGW_VGW),
    ("egress_only_gateway_id", EIGW),
    ("nat_gateway_id", NAT),
    ("transit_gateway_id", TGW),
    ("vpc_peering_connection_id", PCX),
    ("vpc_endpoint_id", VPCE),
    ("network_interface_id", WORKLOAD),
    ("instance_id", INSTANCE),
    ("carrier_gateway_id", &[]),
    ("local_gateway_id", &[]),
    ("core_network_arn", &[]),
];

impl<'s, 'a> B<'s, 'a> {
    /// VPC Block Public Access: the options, the exclusions, and which options govern each
    /// VPC (`Vpc::block_public_access`).
    fn block_public_access(
        &self,
        m: &mut Model,
        vpc_insts: &[usize],
        vpc_ids: &Ids,
        subnet_ids: &Ids,
    ) {
        let mut options: Vec<(usize, BlockPublicAccess)> = self
            .insts("aws_vpc_block_public_access_options")
            .into_iter()
            .map(|i| {
                let inst = self.inst(i);
                let mode = bpa_val(inst, "internet_gateway_block_mode", |s| match s {
                    "off" => Some(BpaMode::Off),
                    "block-bidirectional" => Some(BpaMode::Bidirectional),
                    "block-ingress" => Some(BpaMode::Ingress),
                    _ => None,
                });
                (
                    i,
                    BlockPublicAccess {
                        meta: meta(inst),
                        mode,
                    },
                )
            })
            .collect();
        options.sort_by(|a, b| a.1.meta.address.cmp(&b.1.meta.address));
        let mut exclusions: Vec<BpaExclusion> = self
            .insts("aws_vpc_block_public_access_exclusion")
            .into_iter()
            .map(|i| {
                let vpc = self.link(i, "vpc_id", VPC);
                let subnet = self.link(i, "subnet_id", SUBNET);
                let inst = self.inst(i);
                BpaExclusion {
                    meta: meta(inst),
                    vpc: self.conv(&vpc, vpc_ids, VpcId),
                    subnet: self.conv(&subnet, subnet_ids, SubnetId),
                    mode: bpa_val(inst, "internet_gateway_exclusion_mode", |s| match s {
                        "allow-bidirectional" => Some(BpaExclusionMode::Bidirectional),
                        "allow-egress" => Some(BpaExclusionMode::Egress),
                        _ => None,
                    }),
                }
            })
            .collect();
        sort_by_addr(&mut exclusions, |x| &x.meta.address);
        if !options.is_empty() {
            for &v in vpc_insts {
                let Some(vpc) = vpc_ids
                    .of(v, self.inst(v).address)
                    .and_then(|id| m.vpcs.get_mut(id as usize))
                else {
                    continue;
                };
                let mut unsure = None;
                for (n, (o, _)) in options.iter().enumerate() {
                    let id = BpaId(u32::try_from(n).unwrap_or(u32::MAX));
                    match self.same_region(*o, v) {
                        Ok(true) => {
                            vpc.block_public_access = BpaScope::Applies(id);
                            unsure = None;
                            break;
                        }
                        Ok(false) => {}
                        Err(reason) => {
                            unsure.get_or_insert(BpaScope::Unsure(id, reason));
                        }
                    }
                }
                if let Some(u) = unsure {
                    vpc.block_public_access = u;
                }
            }
        }
        m.block_public_access = options.into_iter().map(|(_, o)| o).collect();
        m.bpa_exclusions = exclusions;
    }

    /// Whether the BPA options `o` govern the VPC `v`: both in one account and Region. By
    /// known values first (the options' `aws_region` and `aws_account_id`, the VPC's
    /// `arn`), else by provider configuration; an error says why it cannot be told.
    fn same_region(&self, o: usize, v: usize) -> Result<bool, String> {
        let (oi, vi) = (self.inst(o), self.inst(v));
        if let (Some(region), Some(account), Some(arn)) = (
            oi.str("aws_region"),
            oi.str("aws_account_id"),
            vi.str("arn"),
        ) {
            // arn:<partition>:ec2:<region>:<account>:vpc/<id>
            let parts: Vec<&str> = arn.split(':').collect();
            if let (Some(r), Some(a)) = (parts.get(3), parts.get(4)) {
                return Ok(*r == region && *a == account);
            }
        }
        self.same_provider(o, v).map_err(|(ko, kv)| {
            format!(
                "the plan does not show whether {} (provider {ko}) governs {} (provider {kv}): they may be in other accounts or Regions",
                tick_addr(oi.address),
                tick_addr(vi.address),
            )
        })
    }

    /// The Region of an instance's AWS provider configuration, when it is a constant (the
    /// only AWS configuration's, or the one its `provider_config_key` names).
    fn provider_region(&self, i: usize) -> Option<&str> {
        let aws = self.aws_providers();
        match aws.as_slice() {
            [(_, only)] => *only,
            _ => {
                let key = self.inst(i).config?.provider_config_key.as_deref()?;
                aws.iter().find(|(k, _)| *k == key)?.1
            }
        }
    }

    /// The Region of an instance: its own `region` (hashicorp/aws 6 lets each resource
    /// name one, and writes its provider's when it names none), else the constant Region of
    /// its provider configuration, if any. `Err` with the reason when its own `region` is
    /// known only after apply.
    fn region_of(&self, i: usize) -> Result<Option<&str>, String> {
        let inst = self.inst(i);
        match inst.str("region") {
            Some(r) => Ok(Some(r)),
            None if inst.is_unknown("region") => Err(unknown_reason(inst.address, "region")),
            None => Ok(self.provider_region(i)),
        }
    }

    /// The AWS provider configurations, by key, with their constant Regions.
    fn aws_providers(&self) -> Vec<(&str, Option<&str>)> {
        self.cfg
            .providers
            .iter()
            .flat_map(|p| p.iter())
            .filter(|(_, p)| {
                p.name.as_deref() == Some("aws")
                    || p.full_name
                        .as_deref()
                        .is_some_and(|n| n.ends_with("hashicorp/aws"))
            })
            .map(|(k, p)| {
                let region = p
                    .expressions
                    .get("region")
                    .and_then(|e| e.get("constant_value"))
                    .and_then(Value::as_str);
                (k.as_str(), region)
            })
            .collect()
    }

    /// Whether a VPC peering connection's peer is in another Region: its `peer_region`
    /// (when set) against the Region of its provider configuration, or, where that is not
    /// a constant (a state has no configuration), the Region in the ARN of its requester
    /// VPC (`requester`, when known).
    fn cross_region(&self, i: usize, requester: &LinkA) -> Val<bool> {
        let inst = self.inst(i);
        let own = match self.region_of(i) {
            Ok(None) => Ok(match requester {
                LinkA::To(v, _) => self
                    .inst(*v)
                    .str("arn")
                    .and_then(|arn| arn.split(':').nth(3))
                    .filter(|r| !r.is_empty()),
                _ => None,
            }),
            known => known,
        };
        match (inst.str("peer_region"), own) {
            (Some(peer), Ok(Some(own))) => Val::Known(peer != own),
            (Some(_), Err(reason)) => Val::Unknown(reason),
            (Some(_), Ok(None)) => Val::Unknown(format!(
                "the Region of the provider of {} is not a constant in the configuration",
                tick_addr(inst.address)
            )),
            // Set from a value known only after apply.
            (None, _) if inst.expr("peer_region").is_some() => {
                Val::Unknown(unknown_reason(inst.address, "peer_region"))
            }
            // Not set: the connection's own Region.
            (None, _) => Val::Known(false),
        }
    }

    /// Whether instances `a` and `b` are managed through one AWS provider configuration
    /// (the only one, or the same `provider_config_key`) in one Region: `false` for two
    /// Regions (their own `region`s, or their configurations' constant ones). Otherwise the
    /// plan cannot tell (two aliases may be one account and Region, or not; a `region`
    /// known only after apply may be any): the error names both configurations.
    fn same_provider(&self, a: usize, b: usize) -> Result<bool, (String, String)> {
        let aws = self.aws_providers();
        let regions = (self.region_of(a), self.region_of(b));
        if let (Ok(Some(ra)), Ok(Some(rb))) = regions {
            if ra != rb {
                return Ok(false);
            }
        }
        let unsure = regions.0.is_err() || regions.1.is_err();
        if aws.len() == 1 && !unsure {
            return Ok(true);
        }
        let key = |i: &Inst<'_>| {
            i.config
                .and_then(|c| c.provider_config_key.as_deref())
                .and_then(|k| aws.iter().find(|(a, _)| *a == k).copied())
        };
        match (key(self.inst(a)), key(self.inst(b))) {
            (Some((ka, _)), Some((kb, _))) if ka == kb && !unsure => Ok(true),
            (Some((_, Some(ra))), Some((_, Some(rb)))) if ra != rb => Ok(false),
            (ka, kb) => {
                let name = |k: Option<(&str, Option<&str>)>| {
                    k.map_or_else(|| "unknown".to_string(), |(k, _)| format!("`{k}`"))
                };
                Err((name(ka), name(kb)))
            }
        }
    }

    /// The VPC of an `aws_default_subnet` whose `vpc_id` is not known yet: the
    /// `aws_default_vpc` of its provider configuration (one account and Region have one
    /// default VPC). Unresolved, with the reason, when there is none or the plan cannot
    /// tell which.
    fn default_vpc_of(&self, subnet: usize) -> LinkA {
        let mut found: Vec<usize> = Vec::new();
        let mut unsure: Vec<String> = Vec::new();
        for v in self.insts("aws_default_vpc") {
            match self.same_provider(subnet, v) {
                Ok(true) => found.push(v),
                Ok(false) => {}
                Err((ks, kv)) => unsure.push(format!(
                    "{} (provider {kv}) may be in another account or Region than the subnet (provider {ks})",
                    tick_addr(self.inst(v).address)
                )),
            }
        }
        match (found.as_slice(), unsure.is_empty()) {
            ([v], true) => LinkA::To(*v, LinkHow::Inferred),
            ([], true) => LinkA::Unresolved(format!(
                "{} is in the default VPC of its Region, which this plan does not manage",
                tick_addr(self.inst(subnet).address)
            )),
            _ => {
                let mut why: Vec<String> = found
                    .iter()
                    .map(|v| tick_addr(self.inst(*v).address))
                    .collect();
                why.extend(unsure);
                LinkA::Unresolved(format!(
                    "the default VPC of {} could be any of: {}",
                    tick_addr(self.inst(subnet).address),
                    why.join("; ")
                ))
            }
        }
    }

    fn insts(&self, t: &str) -> Vec<usize> {
        self.by_type.get(t).cloned().unwrap_or_default()
    }
    /// Lets `ids` answer by instance index for the instances of `types`.
    fn index_ids(&self, ids: &mut Ids, types: &[&str]) {
        for t in types {
            for &i in self.by_type.get(t).map(Vec::as_slice).unwrap_or(&[]) {
                if let Some(id) = ids.get(self.inst(i).address) {
                    ids.by_inst.insert(i, id);
                }
            }
        }
    }
    fn inst(&self, i: usize) -> &'s Inst<'a> {
        // Indexes come from this side's own enumeration, so the lookup always succeeds; the
        // inert placeholder (no address, no values) only keeps an impossible miss from
        // panicking.
        self.side.insts.get(i).unwrap_or(&NO_INST)
    }
    fn add_diags(&self, diags: Vec<Diagnostic>) {
        if diags.is_empty() {
            return;
        }
        // A poisoned lock (a panic on another thread) still holds the diagnostics.
        let mut all = self.diags.lock().unwrap_or_else(|e| e.into_inner());
        all.extend(diags);
    }

    fn diag(&self, address: &str, message: String) {
        self.add_diags(vec![diagnostic(address, message)]);
    }

    /// Records that `address`'s `attr` blocks were read without an expression for them in
    /// the configuration ([`Built::views`]).
    fn view(&self, address: &str, attr: &'static str) {
        // A poisoned lock (a panic on another thread) still holds the list.
        let mut views = self.views.lock().unwrap_or_else(|e| e.into_inner());
        views.push((address.to_string(), attr));
    }

    /// Picks one instance out of a resolution for a single-valued attribute.
    fn pick(&self, idx: usize, what: What<'_>, res: Resolution) -> LinkA {
        let mut diags = Vec::new();
        let link = self.pick_into(idx, what, res, &mut diags);
        self.add_diags(diags);
        link
    }

    /// [`Self::pick`], the diagnostics going to `diags`.
    fn pick_into(
        &self,
        idx: usize,
        what: What<'_>,
        res: Resolution,
        diags: &mut Vec<Diagnostic>,
    ) -> LinkA {
        let inst = self.inst(idx);
        match res.hits.as_slice() {
            [(i, how)] => return LinkA::To(*i, *how),
            [] => {}
            many => {
                let same_key: Vec<&(usize, LinkHow)> = many
                    .iter()
                    .filter(|(i, _)| {
                        inst.key.is_some()
                            && self.side.insts.get(*i).and_then(|x| x.key.as_ref())
                                == inst.key.as_ref()
                    })
                    .collect();
                if let [(i, _)] = same_key.as_slice() {
                    return LinkA::To(*i, LinkHow::Inferred);
                }
                let names: Vec<&str> = many
                    .iter()
                    .filter_map(|(i, _)| self.side.insts.get(*i).map(|x| x.address))
                    .collect();
                let reason = format!(
                    "`{what}` could be any of {} (the references do not say which)",
                    names.join(", ")
                );
                diags.push(diagnostic(inst.address, reason.clone()));
                return LinkA::Unresolved(reason);
            }
        }
        if let Some(id) = res.external.first() {
            return LinkA::External(id.clone());
        }
        let reason = if res.reasons.is_empty() {
            format!("`{what}` is known only after apply and no reference names its target")
        } else {
            format!("`{what}`: {}", res.reasons.join("; "))
        };
        diags.push(diagnostic(inst.address, reason.clone()));
        LinkA::Unresolved(reason)
    }

    /// The instances a single-valued link attribute that is not resolved may name, when
    /// its references name them all ([`Resolution::among`]); empty when it may name
    /// anything. Resolved again: only links that did not resolve ask.
    fn among(&self, idx: usize, attr: &str, want: &[&str]) -> Vec<usize> {
        if self.inst(idx).str(attr).is_some() {
            return Vec::new();
        }
        self.side.resolve_attr(self.cfg, idx, attr, want, 0).among()
    }

    /// [`Self::among`], by address: what it may name when its references name them all.
    fn among_addresses(&self, idx: usize, attr: &str, want: &[&str]) -> Vec<Address> {
        let mut out: Vec<Address> = self
            .among(idx, attr, want)
            .into_iter()
            .map(|c| self.inst(c).address.to_string())
            .collect();
        out.sort_unstable();
        out
    }

    /// What the elements of a list link attribute that no reference resolves may name,
    /// when the references name them all (two outputs of a module instance, say); empty
    /// when they may name anything.
    fn list_among(&self, idx: usize, attr: &str, want: &[&str]) -> Vec<usize> {
        let res = self.side.resolve_attr(self.cfg, idx, attr, want, 0);
        if res.external.is_empty() && res.reasons.len() == res.maybe_reasons {
            res.maybe
        } else {
            Vec::new()
        }
    }

    /// The transit gateway route tables that `transit_gateway_route_table_id` of
    /// instance `idx`, not resolved, may name ([`Self::among`]); empty when any.
    fn tgw_table_among(&self, idx: usize, ids: &Ids) -> Vec<TgwRouteTableId> {
        self.among(idx, "transit_gateway_route_table_id", TGW_RTB)
            .into_iter()
            .map(|c| {
                self.conv(&LinkA::To(c, LinkHow::Inferred), ids, TgwRouteTableId)
                    .id()
            })
            .collect::<Option<Vec<_>>>()
            .unwrap_or_default()
    }

    /// [`Self::among`] for a link attribute inside a nested block (`obj`, with the
    /// block's expressions `expr`).
    fn among_in_block(
        &self,
        idx: usize,
        obj: &dyn Attrs,
        expr: Option<&Map<'_>>,
        attr: &str,
        want: &[&str],
    ) -> Vec<usize> {
        if obj_str(obj, attr).is_some() {
            return Vec::new();
        }
        let refs: Refs<'_> = expr
            .and_then(|e| e.get(attr))
            .map(expression_refs)
            .unwrap_or_default();
        if refs.is_empty() {
            return Vec::new();
        }
        self.resolve_refs_of(self.inst(idx), &refs, want).among()
    }

    /// A single-valued link attribute of a resource.
    fn link(&self, idx: usize, attr: &str, want: &[&str]) -> LinkA {
        let ahead = self
            .pre
            .get(attr)
            .and_then(|g| g.iter().find(|(w, _)| *w == want))
            .and_then(|(_, m)| m.get(&idx));
        if let Some((link, diags)) = ahead {
            self.add_diags(diags.clone());
            return link.clone();
        }
        let mut diags = Vec::new();
        let link = self.resolve_link(idx, attr, want, &mut diags);
        self.add_diags(diags);
        link
    }

    /// What [`Self::link`] answers, the diagnostics going to `diags`.
    fn resolve_link(
        &self,
        idx: usize,
        attr: &str,
        want: &[&str],
        diags: &mut Vec<Diagnostic>,
    ) -> LinkA {
        let inst = self.inst(idx);
        if let Some(v) = inst.str(attr) {
            return match self.side.by_id(v, want) {
                Some(i) => LinkA::To(i, LinkHow::Id),
                None => match self.side.by_name_reference(self.cfg, idx, attr, v, want) {
                    Some(i) => LinkA::To(i, LinkHow::Reference),
                    None => LinkA::External(v.to_string()),
                },
            };
        }
        let present = inst.values.get(attr).is_some();
        let expr = inst.expr(attr);
        let has_refs = expr.is_some_and(has_references);
        if !has_refs || (!inst.is_unknown(attr) && present) {
            if inst.is_unknown(attr) && expr.is_some() {
                let reason = unknown_reason(inst.address, attr);
                diags.push(diagnostic(inst.address, reason.clone()));
                return LinkA::Unresolved(reason);
            }
            return LinkA::None;
        }
        let res = self.side.resolve_attr(self.cfg, idx, attr, want, 0);
        self.pick_into(idx, What(inst.address, ".", attr), res, diags)
    }

    /// Resolves the links of [`PRELINK`] on all threads.
    fn prelink(&mut self) {
        let this = &*self;
        // Each entry's links, in one list per entry (no serial pass sorting 100,000s of
        // answers into their maps afterwards); every list on all threads.
        let done: Vec<Vec<(usize, PrelinkEntry)>> = PRELINK
            .iter()
            .map(|&(t, attr, want)| {
                let insts = this.by_type.get(t).map(Vec::as_slice).unwrap_or(&[]);
                insts
                    .par_iter()
                    .with_min_len(256)
                    // Pieces small enough that neither thread ends long before the other.
                    .with_max_len(8 * SHARED_CHUNK)
                    .map(|&i| {
                        let mut diags = Vec::new();
                        let link = this.resolve_link(i, attr, want, &mut diags);
                        (i, (link, diags))
                    })
                    .collect()
            })
            .collect();
        // The entries of PRELINK that share an attribute and wanted types share a map.
        let mut groups: Vec<(&'static str, &'static [&'static str])> = Vec::new();
        let mut parts: Vec<Vec<Vec<(usize, PrelinkEntry)>>> = Vec::new();
        for (&(_, attr, want), list) in PRELINK.iter().zip(done) {
            match groups.iter().position(|&(a, w)| a == attr && w == want) {
                Some(g) => {
                    if let Some(part) = parts.get_mut(g) {
                        part.push(list);
                    }
                }
                None => {
                    groups.push((attr, want));
                    parts.push(vec![list]);
                }
            }
        }
        // Each map made at its full size, on all threads.
        let maps: Vec<Prelinked> = parts
            .into_par_iter()
            .map(|lists| {
                let mut map = Prelinked::with_capacity_and_hasher(
                    lists.iter().map(Vec::len).sum(),
                    Default::default(),
                );
                map.extend(lists.into_iter().flatten());
                map
            })
            .collect();
        for ((attr, want), map) in groups.into_iter().zip(maps) {
            self.pre.entry(attr).or_default().push((want, map));
        }
    }

    /// As [`Self::link_in_block`], with the references of the whole block attribute when
    /// the block itself cannot be matched to its configuration.
    #[allow(clippy::too_many_arguments)]
    fn link_in_block_or(
        &self,
        idx: usize,
        obj: &dyn Attrs,
        unknown: &dyn Attrs,
        expr: Option<&Map<'_>>,
        attr: &str,
        want: &[&str],
        fallback: &[&str],
    ) -> LinkA {
        let has_own = expr.and_then(|e| e.get(attr)).is_some();
        let is_unknown = unknown.attr(attr).and_then(Value::as_bool) == Some(true);
        if has_own || !is_unknown || fallback.is_empty() || obj_str(obj, attr).is_some() {
            return self.link_in_block(idx, obj, unknown, expr, attr, want);
        }
        let inst = self.inst(idx);
        let res = self.resolve_refs_of(inst, fallback, want);
        self.pick(idx, What(inst.address, " ", attr), res)
    }

    /// Resolves references written in instance `inst`'s configuration (with its module,
    /// key and `for_each`), to instances of the `want` types.
    fn resolve_refs_of(&self, inst: &Inst<'_>, refs: &[&str], want: &[&str]) -> Resolution {
        let fe = inst.for_each_refs();
        self.side.resolve_refs(
            self.cfg,
            &inst.module,
            inst.key.as_ref(),
            refs,
            &fe,
            want,
            0,
        )
    }

    /// A link attribute inside a nested block (inline route, rule, attachment).
    fn link_in_block(
        &self,
        idx: usize,
        obj: &dyn Attrs,
        unknown: &dyn Attrs,
        expr: Option<&Map<'_>>,
        attr: &str,
        want: &[&str],
    ) -> LinkA {
        let inst = self.inst(idx);
        if let Some(v) = obj_str(obj, attr) {
            return match self.side.by_id(v, want) {
                Some(i) => LinkA::To(i, LinkHow::Id),
                None => LinkA::External(v.to_string()),
            };
        }
        let refs: Refs<'_> = expr
            .and_then(|e| e.get(attr))
            .map(expression_refs)
            .unwrap_or_default();
        let is_unknown = unknown.attr(attr).and_then(Value::as_bool) == Some(true);
        if refs.is_empty() {
            if is_unknown {
                // Terraform leaves `dynamic` blocks out of the plan's configuration, and
                // older versions (0.12 to 1.0 in the plans we hold) leave out every block of
                // an attribute such as `route` or `ingress`: their references are not there
                // to follow.
                let why = if expr.is_none() && inst.config.is_some() {
                    "its block could not be matched to the configuration (terraform leaves `dynamic` blocks out of it, and older versions every block of this kind)"
                } else {
                    "its block could not be matched to the configuration"
                };
                let reason = format!(
                    "`{}` {attr} is known only after apply and {why}",
                    inst.address
                );
                self.diag(inst.address, reason.clone());
                return LinkA::Unresolved(reason);
            }
            return LinkA::None;
        }
        let res = self.resolve_refs_of(inst, &refs, want);
        self.pick(idx, What(inst.address, " ", attr), res)
    }

    /// The network interfaces of the plan instances launch on (`network_interface` blocks,
    /// or a known `primary_network_interface_id`): each instance's primary one (device
    /// index 0) by instance, and each interface's instance by interface (also for an
    /// `aws_network_interface_attachment`).
    fn launched_interfaces(&self) -> (HashMap<usize, usize>, HashMap<usize, usize>) {
        let mut primary: HashMap<usize, usize> = HashMap::default();
        let mut instance_of: HashMap<usize, usize> = HashMap::default();
        for i in self.insts("aws_instance") {
            let inst = self.inst(i);
            for (obj, unk, expr) in block_objects(inst, "network_interface") {
                let link = self.link_in_block(
                    i,
                    obj.as_ref(),
                    unk.as_ref(),
                    expr,
                    "network_interface_id",
                    ENI,
                );
                if let LinkA::To(e, _) = link {
                    instance_of.entry(e).or_insert(i);
                    if obj_i64(obj.as_ref(), "device_index") == Some(0) {
                        primary.insert(i, e);
                    }
                }
            }
            let known = inst
                .str("primary_network_interface_id")
                .and_then(|id| self.side.by_id(id, ENI));
            if let (Some(e), false) = (known, primary.contains_key(&i)) {
                primary.insert(i, e);
                instance_of.entry(e).or_insert(i);
            }
        }
        // An interface attached after launch (never the primary one).
        for a in self.insts("aws_network_interface_attachment") {
            if let (LinkA::To(e, _), LinkA::To(i, _)) = (
                self.link(a, "network_interface_id", ENI),
                self.link(a, "instance_id", INSTANCE),
            ) {
                instance_of.entry(e).or_insert(i);
            }
        }
        (primary, instance_of)
    }

    /// A list-valued link attribute (`subnet_ids`, `vpc_security_group_ids`, ...).
    fn link_list(&self, idx: usize, attr: &str, want: &[&str]) -> Vec<LinkA> {
        let inst = self.inst(idx);
        let mut out = Vec::new();
        for v in inst.list(attr) {
            if let Some(s) = v.as_str().filter(|s| !s.is_empty()) {
                out.push(match self.side.by_id(s, want) {
                    Some(i) => LinkA::To(i, LinkHow::Id),
                    None => match self.side.by_name_reference(self.cfg, idx, attr, s, want) {
                        Some(i) => LinkA::To(i, LinkHow::Reference),
                        None => LinkA::External(s.to_string()),
                    },
                });
            }
        }
        let absent = inst.values.get(attr).is_none();
        if inst.is_unknown(attr) || (absent && inst.expr(attr).is_some()) {
            let res = self.side.resolve_attr(self.cfg, idx, attr, want, 0);
            // Elements no reference resolves (`concat([aws_x.a.id], var.more)`) may be
            // anything: said beside the ones that resolve.
            if (res.hits.is_empty() && res.external.is_empty()) || !res.reasons.is_empty() {
                let reason = if res.reasons.is_empty() {
                    format!("`{}.{attr}`: no reference names its elements", inst.address)
                } else {
                    format!("`{}.{attr}`: {}", inst.address, res.reasons.join("; "))
                };
                if inst.expr(attr).is_some() {
                    self.diag(inst.address, reason.clone());
                    out.push(LinkA::Unresolved(reason));
                }
            }
            for (i, how) in res.hits {
                if !out.iter().any(|l| matches!(l, LinkA::To(j, _) if *j == i)) {
                    out.push(LinkA::To(i, how));
                }
            }
            for e in res.external {
                out.push(LinkA::External(e));
            }
        }
        out
    }

    /// [`Self::link_list`] of a list that separate association resources fill too (a
    /// NACL's `subnet_ids`, an endpoint's `route_table_ids`, a table's `propagating_vgws`):
    /// without an expression in the configuration, the value is AWS's view of those
    /// associations, which still lists the ones the plan deletes or moves. It is not read
    /// then: the association resources say it.
    fn link_list_own(&self, idx: usize, attr: &str, want: &[&str]) -> Vec<LinkA> {
        let inst = self.inst(idx);
        if inst.config.is_some() && inst.expr(attr).is_none() {
            return Vec::new();
        }
        self.link_list(idx, attr, want)
    }

    fn conv<I>(&self, l: &LinkA, ids: &Ids, mk: fn(u32) -> I) -> Link<I> {
        match l {
            LinkA::None => Link::None,
            LinkA::External(s) => Link::External(s.clone()),
            LinkA::Unresolved(r) => Link::Unresolved(r.clone()),
            LinkA::To(i, how) => {
                let addr = &self.inst(*i).address;
                match ids.of(*i, addr) {
                    Some(id) => Link::To(mk(id), *how),
                    None => Link::Unresolved(format!("`{addr}` is not modelled here")),
                }
            }
            LinkA::ToAddr(addr, how) => match ids.get(addr) {
                Some(id) => Link::To(mk(id), *how),
                None => Link::Unresolved(format!("`{addr}` is not modelled here")),
            },
        }
    }

    fn target_addr(&self, l: &LinkA) -> Option<String> {
        match l {
            LinkA::To(i, _) => Some(self.inst(*i).address.to_string()),
            LinkA::ToAddr(a, _) => Some(a.clone()),
            _ => None,
        }
    }

    /// A link to a VPC where a route table or a NACL is wanted stands for the VPC's main
    /// route table or default NACL (`aws_vpc.x.main_route_table_id`, a known
    /// `default_network_acl_id`): the one Terraform manages (`managed`, by VPC address), or
    /// the synthesized `<vpc> (<what>)`. Other links pass unchanged.
    fn implicit_part(&self, l: LinkA, managed: &HashMap<String, String>, what: &str) -> LinkA {
        match l {
            LinkA::To(i, how) if VPC.contains(&self.inst(i).rtype) => {
                let v = self.inst(i).address;
                let part = managed
                    .get(v)
                    .cloned()
                    .unwrap_or_else(|| format!("{v} ({what})"));
                LinkA::ToAddr(part, how)
            }
            l => l,
        }
    }

    /// The VPC of a synthesized default object (instance `v`), and whether it has an IPv6
    /// block (AWS's default rules then cover `::/0` too).
    fn synth_vpc(&self, v: usize, vpc_ids: &Ids, vpcs: &[Vpc]) -> (Link<VpcId>, bool) {
        let vpc = self.conv(&LinkA::To(v, LinkHow::Reference), vpc_ids, VpcId);
        let has_v6 = vpc
            .id()
            .and_then(|id| vpcs.get(id.index()))
            .is_some_and(|vp| !vp.ipv6.is_empty());
        (vpc, has_v6)
    }

    /// VPC address → the address of the default object (NACL, security group) that names
    /// it, for `(instance, link to its VPC)` pairs.
    fn by_vpc(&self, defaults: &[(usize, LinkA)]) -> HashMap<String, String> {
        defaults
            .iter()
            .filter_map(|(i, l)| {
                self.target_addr(l)
                    .map(|v| (v, self.inst(*i).address.to_string()))
            })
            .collect()
    }

    /// A security group link that names a VPC: its default group ([`Self::implicit_part`]).
    fn group(&self, l: LinkA) -> LinkA {
        // `ACCOUNT/sg-…`: how the provider reads back a group it takes for another
        // account's (it does when it does not know its own account ID). A group of this
        // plan by that ID is that group.
        let l = match l {
            LinkA::External(id) => match id.split_once('/') {
                Some((account, group))
                    if account.len() == 12
                        && account.bytes().all(|b| b.is_ascii_digit())
                        && group.starts_with("sg-") =>
                {
                    match self.side.by_id(group, SG_REF) {
                        Some(i) => LinkA::To(i, LinkHow::Id),
                        None => LinkA::External(id),
                    }
                }
                _ => LinkA::External(id),
            },
            // An EKS cluster: the cluster security group EKS creates for it.
            LinkA::To(i, how) if self.inst(i).rtype == "aws_eks_cluster" => {
                return LinkA::ToAddr(fleets::cluster_group_name(self.inst(i).address), how);
            }
            other => other,
        };
        match self.default_groups.get() {
            Some(managed) => self.implicit_part(l, managed, "default security group"),
            None => self.implicit_part(l, &HashMap::default(), "default security group"),
        }
    }

    /// `aws_ec2_transit_gateway_prefix_list_reference`: each entry of the prefix list is a
    /// route of the transit gateway route table (AWS, "Prefix list references"), to the
    /// attachment or a blackhole. A list outside the plan, or entries not known yet, give
    /// a route whose destination is unknown.
    fn tgw_prefix_list_references(
        &self,
        m: &mut Model,
        pl_ids: &Ids,
        att_ids: &Ids,
        tgw_rtb_ids: &Ids,
    ) {
        for i in self.insts("aws_ec2_transit_gateway_prefix_list_reference") {
            let r = self.link(i, "transit_gateway_route_table_id", TGW_RTB);
            let p = self.link(i, "prefix_list_id", PL);
            let blackhole = self.inst(i).bool("blackhole").unwrap_or(false);
            let att = (!blackhole).then(|| self.link(i, "transit_gateway_attachment_id", TGW_ATT));
            let inst = self.inst(i);
            let addr = inst.address.to_string();
            let attachment = att.map(|a| self.conv(&a, att_ids, TgwAttachmentId));
            let unknown = |reason: String| AnyBlock::V4(unknown_block(reason, None, None));
            let dests: Vec<AnyBlock> = match self.conv(&p, pl_ids, PrefixListId) {
                Link::To(pl, _) => match m.prefix_lists.get(pl.index()) {
                    Some(list) => {
                        let mut d: Vec<AnyBlock> = list.blocks().cloned().collect();
                        if let Some(reason) = &list.unknown {
                            d.push(match list.family {
                                Family::Ipv4 => unknown(reason.clone()),
                                Family::Ipv6 => {
                                    AnyBlock::V6(unknown_block(reason.clone(), None, None))
                                }
                            });
                        }
                        d
                    }
                    None => Vec::new(),
                },
                Link::External(id) => vec![unknown(format!(
                    "the entries of prefix list `{id}` (outside this plan) are not known"
                ))],
                Link::Unresolved(reason) => vec![unknown(reason)],
                Link::None => Vec::new(),
            };
            let table = self.conv(&r, tgw_rtb_ids, TgwRouteTableId);
            if let Link::Unresolved(why) = &table {
                let among = self.tgw_table_among(i, tgw_rtb_ids);
                for d in &dests {
                    let what = cidr_key(d).map_or_else(|| "unknown".to_string(), |n| n.to_string());
                    m.unplaced_tgw.push(UnplacedTgw {
                        address: format!("{addr} {what}"),
                        why: why.clone(),
                        kind: UnplacedTgwKind::Route(TgwRoute {
                            address: format!("{addr} {what}"),
                            action: inst.action,
                            destination: d.clone(),
                            attachment: attachment.clone(),
                        }),
                        among: among.clone(),
                    });
                }
            }
            match table {
                Link::To(rid, _) => {
                    if let Some(rt) = m.tgw_route_tables.get_mut(rid.index()) {
                        for d in dests {
                            let what = cidr_key(&d).map_or_else(|| "unknown".to_string(), |n| n.to_string());
                            rt.routes.push(TgwRoute {
                                address: format!("{addr} {what}"),
                                action: inst.action,
                                destination: d,
                                attachment: attachment.clone(),
                            });
                        }
                        rt.routes.sort_by(|a, b| a.address.cmp(&b.address));
                    }
                }
                _ => self.diag(
                    &addr,
                    "prefix list reference not linked to a transit gateway route table of this plan"
                        .to_string(),
                ),
            }
        }
    }

    /// VPC of a default route table / NACL / SG: via its `default_*_id` or `vpc_id`.
    fn default_vpc(
        &self,
        idx: usize,
        attr: &str,
        vpc_by_default: &HashMap<String, usize>,
    ) -> LinkA {
        let inst = self.inst(idx);
        if let Some(id) = inst.str(attr) {
            if let Some(v) = vpc_by_default.get(id) {
                return LinkA::To(*v, LinkHow::Id);
            }
        }
        if let Some(v) = inst.str("vpc_id") {
            return match self.side.by_id(v, VPC) {
                Some(i) => LinkA::To(i, LinkHow::Id),
                None => LinkA::External(v.to_string()),
            };
        }
        if inst.expr(attr).is_some() {
            let res = self.side.resolve_attr(self.cfg, idx, attr, VPC, 0);
            return self.pick(idx, What(inst.address, ".", attr), res);
        }
        self.link(idx, "vpc_id", VPC)
    }

    fn run(&self) -> Model {
        let mut m = Model::default();

        // ---- VPCs and what decides their main table / default NACL
        let vpc_insts: Vec<usize> = VPC.iter().flat_map(|t| self.insts(t)).collect();
        let mut rtb_by_default = HashMap::default();
        let mut nacl_by_default = HashMap::default();
        let mut sg_by_default = HashMap::default();
        for &v in &vpc_insts {
            let inst = self.inst(v);
            if let Some(id) = inst.str("default_route_table_id") {
                rtb_by_default.insert(id.to_string(), v);
            }
            if let Some(id) = inst.str("default_network_acl_id") {
                nacl_by_default.insert(id.to_string(), v);
            }
            if let Some(id) = inst.str("default_security_group_id") {
                sg_by_default.insert(id.to_string(), v);
            }
        }
        let mut main_rtb: HashMap<String, (String, LinkHow)> = HashMap::default();
        let default_rtbs: Vec<(usize, LinkA)> = self
            .insts("aws_default_route_table")
            .into_iter()
            .map(|i| {
                (
                    i,
                    self.default_vpc(i, "default_route_table_id", &rtb_by_default),
                )
            })
            .collect();
        for (i, l) in &default_rtbs {
            if let Some(vaddr) = self.target_addr(l) {
                main_rtb.insert(
                    vaddr,
                    (self.inst(*i).address.to_string(), LinkHow::Reference),
                );
            }
        }
        // A VPC read by a data source: its main route table is known when a data source
        // reads that table too.
        for &v in &vpc_insts {
            let inst = self.inst(v);
            if !inst.data {
                continue;
            }
            if let Some(t) = inst
                .str("main_route_table_id")
                .and_then(|id| self.side.by_id(id, &["aws_route_table"]))
            {
                main_rtb.insert(
                    inst.address.to_string(),
                    (self.inst(t).address.to_string(), LinkHow::Id),
                );
            }
        }
        let mut main_assocs: Vec<(usize, LinkA, LinkA)> = Vec::new();
        for i in self.insts("aws_main_route_table_association") {
            let vpc = self.link(i, "vpc_id", VPC);
            let rt = self.link(i, "route_table_id", RTB);
            if let (Some(vaddr), Some(raddr)) = (self.target_addr(&vpc), self.target_addr(&rt)) {
                main_rtb.insert(vaddr, (raddr, LinkHow::Reference));
            }
            main_assocs.push((i, vpc, rt));
        }
        let default_nacls: Vec<(usize, LinkA)> = self
            .insts("aws_default_network_acl")
            .into_iter()
            .map(|i| {
                (
                    i,
                    self.default_vpc(i, "default_network_acl_id", &nacl_by_default),
                )
            })
            .collect();
        let default_nacl = self.by_vpc(&default_nacls);
        // What a link to a VPC stands for where a route table or a NACL is wanted.
        let main_addr: HashMap<String, String> = main_rtb
            .iter()
            .map(|(v, (t, _))| (v.clone(), t.clone()))
            .collect();
        let main_table = |l: LinkA| self.implicit_part(l, &main_addr, "main route table");
        let default_acl = |l: LinkA| self.implicit_part(l, &default_nacl, "default network ACL");
        let default_sgs: Vec<(usize, LinkA)> = self
            .insts("aws_default_security_group")
            .into_iter()
            .map(|i| (i, self.default_vpc(i, "vpc_id", &sg_by_default)))
            .collect();
        let default_group = self.by_vpc(&default_sgs);
        let _ = self.default_groups.set(default_group.clone());
        let group = |l: LinkA| self.group(l);
        let fleets = self.fleets();
        let targets = self.lb_targets();
        let synth_wl: Vec<(String, usize)> =
            fleets.iter().map(|f| (f.name.clone(), f.inst)).collect();
        // The groups EKS creates: for a node group's `remote_access`, for each cluster.
        let mut synth_remote = self.eks_remote_access();
        synth_remote.extend(self.eks_cluster_groups());

        // ---- id assignment
        let addrs_of = |b: &Self, types: &[&str]| -> Vec<String> {
            let mut v = Vec::new();
            for t in types {
                for i in b.insts(t) {
                    v.push(b.inst(i).address.to_string());
                }
            }
            v
        };
        // Each VPC whose main route table / default NACL Terraform does not manage gets a
        // synthesized one, addressed `<vpc> (<what>)`.
        let synthesized = |b: &Self, managed: &dyn Fn(&str) -> bool, what: &str| {
            vpc_insts
                .iter()
                .map(|&v| (b.inst(v).address.to_string(), v))
                .filter(|(a, _)| !managed(a))
                .map(|(a, v)| (format!("{a} ({what})"), v))
                .collect::<Vec<(String, usize)>>()
        };
        let synth_rtb = synthesized(self, &|a| main_rtb.contains_key(a), "main route table");
        let synth_nacl = synthesized(
            self,
            &|a| default_nacl.contains_key(a),
            "default network ACL",
        );
        // Not for a VPC read by a data source: its default group may have any rules, and
        // what it guards is `unknown` (`query::groups_of`).
        let read: HashSet<&str> = vpc_insts
            .iter()
            .map(|&v| self.inst(v))
            .filter(|i| i.data)
            .map(|i| i.address)
            .collect();
        let synth_sg = synthesized(
            self,
            &|a| default_group.contains_key(a) || read.contains(a),
            "default security group",
        );
        // A default VPC comes with an internet gateway, and a route 0.0.0.0/0 to it in its
        // main route table: AWS creates both with the VPC. Modelled unless the plan attaches
        // an internet gateway of its own (a VPC has one at most).
        let default_igws: Vec<(String, usize)> = {
            let defaults = self.insts("aws_default_vpc");
            let mut with_igw: HashSet<String> = HashSet::default();
            if !defaults.is_empty() {
                for t in ["aws_internet_gateway", "aws_internet_gateway_attachment"] {
                    for i in self.insts(t) {
                        if let Some(v) = self.target_addr(&self.link(i, "vpc_id", VPC)) {
                            with_igw.insert(v);
                        }
                    }
                }
            }
            defaults
                .into_iter()
                .map(|v| (self.inst(v).address.to_string(), v))
                .filter(|(a, _)| !with_igw.contains(a))
                .map(|(a, v)| (format!("{a} (internet gateway)"), v))
                .collect()
        };
        let synth_sg_all: Vec<(String, usize)> =
            synth_sg.iter().chain(&synth_remote).cloned().collect();
        // A gateway endpoint's `prefix_list_id` is its service's AWS-managed list.
        let endpoint_lists: Vec<(String, usize)> = self
            .insts("aws_vpc_endpoint")
            .into_iter()
            .filter(|&i| {
                let inst = self.inst(i);
                matches!(inst.str("vpc_endpoint_type"), None | Some("Gateway"))
                    && inst.str("service_name").is_some()
            })
            .map(|i| (format!("{} (prefix list)", self.inst(i).address), i))
            .collect();
        // The id sets are independent of each other: made on all threads.
        // The types of each set, and its synthesized members.
        type Kind<'k> = (&'k [&'k str], &'k [(String, usize)]);
        let kinds: [Kind<'_>; 16] = [
            (VPC, &[]),
            (SUBNET, &[]),
            (RTB, &synth_rtb),
            (NACL, &synth_nacl),
            (
                &[
                    "aws_internet_gateway",
                    "aws_egress_only_internet_gateway",
                    "aws_vpn_gateway",
                ],
                &default_igws,
            ),
            (NAT, &[]),
            (EIP, &[]),
            (WORKLOAD, &synth_wl),
            (CGW, &[]),
            (VPN, &[]),
            (TGW, &[]),
            (&["aws_vpc_peering_connection"], &[]),
            (VPCE, &[]),
            (SG, &synth_sg_all),
            (PL, &endpoint_lists),
            (STAGE, &[]),
        ];
        let mut made = kinds
            .par_iter()
            .map(|(types, synth)| {
                let mut addrs = addrs_of(self, types);
                addrs.extend(synth.iter().map(|(s, _)| s.clone()));
                let mut ids = Ids::assign(addrs);
                self.index_ids(&mut ids, types);
                for &(dup, kept) in &self.read_dups {
                    let (d, k) = (self.inst(dup), self.inst(kept));
                    if types.contains(&k.rtype) {
                        if let Some(id) = ids.of(kept, k.address) {
                            ids.alias(dup, d.address.to_string(), id);
                        }
                    }
                }
                ids
            })
            .collect::<Vec<Ids>>()
            .into_iter();
        let mut next = || made.next().unwrap_or_default();
        let vpc_ids = next();
        let subnet_ids = next();
        let rtb_ids = next();
        let nacl_ids = next();
        let gw_ids = next();
        let nat_ids = next();
        let eip_ids = next();
        let wl_ids = next();
        let cgw_ids = next();
        let vpn_ids = next();
        let tgw_ids = next();
        let pcx_ids = next();
        let vpce_ids = next();
        let sg_ids = next();
        let mut pl_ids = next();
        for (a, i) in &endpoint_lists {
            if let Some(id) = pl_ids.get(a) {
                pl_ids.alias(*i, self.inst(*i).address.to_string(), id);
            }
        }
        let stage_ids = next();
        let places = Places {
            vpcs: &vpc_ids,
            subnets: &subnet_ids,
        };

        // TGWs: defaults and synthesized default route tables.
        let mut tgw_defaults: HashMap<String, (bool, bool)> = HashMap::default();
        let mut tgw_rtb_addrs = addrs_of(self, &["aws_ec2_transit_gateway_route_table"]);
        for i in self.insts("aws_ec2_transit_gateway") {
            let inst = self.inst(i);
            let assoc = inst
                .str("default_route_table_association")
                .map_or(true, |s| s == "enable");
            let prop = inst
                .str("default_route_table_propagation")
                .map_or(true, |s| s == "enable");
            tgw_defaults.insert(inst.address.to_string(), (assoc, prop));
            if assoc || prop {
                tgw_rtb_addrs.push(format!("{} (default route table)", inst.address));
            }
        }
        let mut tgw_rtb_ids = Ids::assign(tgw_rtb_addrs);
        self.index_ids(&mut tgw_rtb_ids, &["aws_ec2_transit_gateway_route_table"]);
        for i in self.insts("aws_ec2_transit_gateway") {
            let a = self.inst(i).address.to_string();
            if let Some(id) = tgw_rtb_ids.get(&format!("{a} (default route table)")) {
                tgw_rtb_ids.alias(i, a, id);
            }
        }
        let mut att_addrs = addrs_of(
            self,
            &[
                "aws_ec2_transit_gateway_vpc_attachment",
                "aws_ec2_transit_gateway_peering_attachment",
            ],
        );
        let mut vpn_tgw: Vec<(usize, LinkA)> = Vec::new();
        for i in self.insts("aws_vpn_connection") {
            let tgw = self.link(i, "transit_gateway_id", TGW);
            if !matches!(tgw, LinkA::None) {
                att_addrs.push(format!(
                    "{} (transit gateway attachment)",
                    self.inst(i).address
                ));
            }
            vpn_tgw.push((i, tgw));
        }
        let mut att_ids = Ids::assign(att_addrs);
        self.index_ids(
            &mut att_ids,
            &[
                "aws_ec2_transit_gateway_vpc_attachment",
                "aws_ec2_transit_gateway_peering_attachment",
            ],
        );
        for (i, _) in &vpn_tgw {
            let a = self.inst(*i).address.to_string();
            if let Some(id) = att_ids.get(&format!("{a} (transit gateway attachment)")) {
                att_ids.alias(*i, a, id);
            }
        }
        // An accepter is the attachment it accepts (its id is the attachment's), seen from
        // the other account or region: the associations and routes there name it.
        for (ty, of) in [
            (
                "aws_ec2_transit_gateway_peering_attachment_accepter",
                TGW_PEERING,
            ),
            (
                "aws_ec2_transit_gateway_vpc_attachment_accepter",
                TGW_VPC_ATT,
            ),
        ] {
            for i in self.insts(ty) {
                let l = self.link(i, "transit_gateway_attachment_id", of);
                let which = match self.conv(&l, &att_ids, |x| x) {
                    Link::To(id, _) => {
                        att_ids.alias(i, self.inst(i).address.to_string(), id);
                        continue;
                    }
                    Link::External(id) => format!("`{id}`"),
                    Link::Unresolved(r) => r,
                    Link::None => "no `transit_gateway_attachment_id`".to_string(),
                };
                self.diag(
                    self.inst(i).address,
                    format!(
                        "accepts an attachment this plan does not hold ({which}); the associations and routes that name it are not followed"
                    ),
                );
            }
        }

        // ---- VPCs
        m.vpcs = vpc_ids
            .addrs
            .iter()
            .map(|a| Vpc {
                meta: synth_meta(a.clone(), Action::NoOp),
                ipv4: Vec::new(),
                ipv6: Vec::new(),
                main_route_table: RouteTableId(0),
                default_nacl: NaclId(0),
                default_security_group: None,
                block_public_access: BpaScope::None,
                outside: false,
            })
            .collect();
        for &v in &vpc_insts {
            let inst = self.inst(v);
            let Some(id) = vpc_ids.of(v, inst.address) else {
                continue;
            };
            let vid = VpcId(id);
            let ipv4 = match inst.str("cidr_block") {
                Some(c) => Some(v4_attr(c, inst.address, "cidr_block", None)),
                None if inst.is_unknown("cidr_block")
                    || inst.expr("cidr_block").is_some()
                    || inst.expr("ipv4_ipam_pool_id").is_some() =>
                {
                    Some(unknown_block(
                        unknown_reason(inst.address, "cidr_block"),
                        None,
                        None,
                    ))
                }
                None => None,
            };
            let ipv6 = match inst.str("ipv6_cidr_block") {
                Some(c) => Some(v6_attr(c, inst.address, "ipv6_cidr_block", None)),
                None if inst.bool("assign_generated_ipv6_cidr_block") == Some(true)
                    || inst.expr("ipv6_ipam_pool_id").is_some()
                    || inst.expr("ipv6_cidr_block").is_some() =>
                {
                    let len = inst
                        .i64("ipv6_netmask_length")
                        .and_then(|n| u8::try_from(n).ok())
                        .unwrap_or(56);
                    // From Amazon's pool unless an IPAM pool or a block of the user's
                    // (BYOIP) is named.
                    let amazon = inst.bool("assign_generated_ipv6_cidr_block") == Some(true)
                        && inst.expr("ipv6_ipam_pool_id").is_none()
                        && inst.expr("ipv6_cidr_block").is_none()
                        && !inst.str("ipv6_ipam_pool_id").is_some_and(|p| !p.is_empty());
                    let mut b = unknown_block(
                        unknown_reason(inst.address, "ipv6_cidr_block"),
                        None,
                        Some(len),
                    );
                    if let Block::Unknown(u) = &mut b {
                        u.amazon_ipv6 = amazon;
                    }
                    Some(b)
                }
                None => None,
            };
            let main = main_rtb
                .get(inst.address)
                .map(|(a, _)| a.clone())
                .unwrap_or_else(|| format!("{} (main route table)", inst.address));
            let nacl = default_nacl
                .get(inst.address)
                .cloned()
                .unwrap_or_else(|| format!("{} (default network ACL)", inst.address));
            let Some(vpc) = m.vpcs.get_mut(vid.index()) else {
                continue;
            };
            vpc.meta = meta(inst);
            vpc.outside = inst.data;
            if let Some(b) = ipv4 {
                vpc.ipv4.push(VpcBlock {
                    block: b,
                    source: inst.address.to_string(),
                    action: inst.action,
                });
            }
            if inst.data {
                // `data.aws_vpc`: the secondary blocks are in its `cidr_block_associations`.
                for o in inst.list("cidr_block_associations") {
                    let Some(c) = obj_str(o, "cidr_block") else {
                        continue;
                    };
                    if Some(c) == inst.str("cidr_block") {
                        continue;
                    }
                    vpc.ipv4.push(VpcBlock {
                        block: v4_attr(c, inst.address, "cidr_block_associations", None),
                        source: inst.address.to_string(),
                        action: inst.action,
                    });
                }
            }
            if let Some(b) = ipv6 {
                vpc.ipv6.push(VpcBlock {
                    block: b,
                    source: inst.address.to_string(),
                    action: inst.action,
                });
            }
            vpc.main_route_table = RouteTableId(rtb_ids.get(&main).unwrap_or(0));
            vpc.default_nacl = NaclId(nacl_ids.get(&nacl).unwrap_or(0));
        }
        for (s, v) in &synth_sg {
            if let (Some(vid), Some(sg)) = (vpc_ids.of(*v, self.inst(*v).address), sg_ids.get(s)) {
                if let Some(vpc) = m.vpcs.get_mut(vid as usize) {
                    vpc.default_security_group = Some(SecurityGroupId(sg));
                }
            }
        }
        for (i, l) in &default_sgs {
            if let (Link::To(v, _), Some(sg)) = (
                self.conv(l, &vpc_ids, VpcId),
                sg_ids.of(*i, self.inst(*i).address),
            ) {
                if let Some(vpc) = m.vpcs.get_mut(v.index()) {
                    vpc.default_security_group = Some(SecurityGroupId(sg));
                }
            }
        }
        for i in self.insts("aws_vpc_ipv4_cidr_block_association") {
            let l = self.link(i, "vpc_id", VPC);
            let inst = self.inst(i);
            let block = match inst.str("cidr_block") {
                Some(c) => Some(v4_attr(c, inst.address, "cidr_block", None)),
                None => Some(unknown_block(
                    unknown_reason(inst.address, "cidr_block"),
                    None,
                    None,
                )),
            };
            match (self.conv(&l, &vpc_ids, VpcId), block) {
                (Link::To(v, _), Some(block)) => {
                    if let Some(vpc) = m.vpcs.get_mut(v.index()) {
                        vpc.ipv4.push(VpcBlock {
                            block,
                            source: inst.address.to_string(),
                            action: inst.action,
                        });
                    }
                }
                _ => self.diag(
                    inst.address,
                    "CIDR association not linked to a VPC of this plan".to_string(),
                ),
            }
        }
        for i in self.insts("aws_vpc_ipv6_cidr_block_association") {
            let l = self.link(i, "vpc_id", VPC);
            let inst = self.inst(i);
            let len = inst
                .i64("ipv6_netmask_length")
                .and_then(|n| u8::try_from(n).ok())
                .unwrap_or(56);
            let block = match inst.str("ipv6_cidr_block") {
                Some(c) => Some(v6_attr(c, inst.address, "ipv6_cidr_block", None)),
                None => Some(unknown_block(
                    unknown_reason(inst.address, "ipv6_cidr_block"),
                    None,
                    Some(len),
                )),
            };
            match (self.conv(&l, &vpc_ids, VpcId), block) {
                (Link::To(v, _), Some(block)) => {
                    if let Some(vpc) = m.vpcs.get_mut(v.index()) {
                        vpc.ipv6.push(VpcBlock {
                            block,
                            source: inst.address.to_string(),
                            action: inst.action,
                        });
                    }
                }
                _ => self.diag(
                    inst.address,
                    "CIDR association not linked to a VPC of this plan".to_string(),
                ),
            }
        }

        // ---- Gateways
        m.gateways = Vec::new();
        let mut gws: Vec<Option<Gateway>> = vec![None; gw_ids.len()];
        for (t, kind) in [
            ("aws_internet_gateway", GatewayKind::Internet),
            ("aws_egress_only_internet_gateway", GatewayKind::EgressOnly),
            ("aws_vpn_gateway", GatewayKind::Vpn),
        ] {
            for i in self.insts(t) {
                let inst = self.inst(i);
                let l = if inst.data {
                    // `data.aws_internet_gateway`: the VPC it is attached to.
                    match inst
                        .list("attachments")
                        .iter()
                        .find_map(|o| obj_str(o, "vpc_id"))
                    {
                        Some(v) => match self.side.by_id(v, VPC) {
                            Some(x) => LinkA::To(x, LinkHow::Id),
                            None => LinkA::External(v.to_string()),
                        },
                        None => LinkA::None,
                    }
                } else {
                    self.link(i, "vpc_id", VPC)
                };
                if let Some(id) = gw_ids.of(i, inst.address) {
                    if let Some(slot) = gws.get_mut(id as usize) {
                        *slot = Some(Gateway {
                            meta: meta(inst),
                            kind,
                            vpc: self.conv(&l, &vpc_ids, VpcId),
                            attachment: None,
                        });
                    }
                }
            }
        }
        for (t, gt) in [
            ("aws_internet_gateway_attachment", "internet_gateway_id"),
            ("aws_vpn_gateway_attachment", "vpn_gateway_id"),
        ] {
            let want: &[&str] = if t == "aws_vpn_gateway_attachment" {
                VGW
            } else {
                &["aws_internet_gateway"]
            };
            // Attachments that may attach any detached gateway of their kind.
            let mut loose = Vec::new();
            for i in self.insts(t) {
                let g = self.link(i, gt, want);
                let v = self.link(i, "vpc_id", VPC);
                let addr = self.inst(i).address.to_string();
                match self.conv(&g, &gw_ids, GatewayId) {
                    Link::To(gid, _) => {
                        let vl = self.conv(&v, &vpc_ids, VpcId);
                        if let Some(Some(gw)) = gws.get_mut(gid.index()) {
                            gw.vpc = vl;
                            gw.attachment = Some(addr);
                        }
                    }
                    Link::Unresolved(why) => {
                        self.diag(&addr, why.clone());
                        loose.push(format!(
                            "`{addr}` may attach it: its `{gt}` is not known ({why})"
                        ));
                    }
                    _ => self.diag(
                        &addr,
                        format!("`{gt}` does not name a gateway of this plan"),
                    ),
                }
            }
            // A gateway such an attachment may attach has a VPC that is not known, rather
            // than none.
            if let Some(first) = loose.first() {
                let kind = if t == "aws_vpn_gateway_attachment" {
                    GatewayKind::Vpn
                } else {
                    GatewayKind::Internet
                };
                for gw in gws.iter_mut().flatten() {
                    if gw.kind == kind && gw.vpc.is_none() {
                        gw.vpc = Link::Unresolved(first.clone());
                    }
                }
            }
        }
        for (g, v) in &default_igws {
            if let Some(slot) = gw_ids.get(g).and_then(|id| gws.get_mut(id as usize)) {
                *slot = Some(Gateway {
                    meta: synth_meta(g.clone(), self.inst(*v).action),
                    kind: GatewayKind::Internet,
                    vpc: self.conv(&LinkA::To(*v, LinkHow::Reference), &vpc_ids, VpcId),
                    attachment: None,
                });
            }
        }
        m.gateways = gws.into_iter().flatten().collect();

        self.block_public_access(&mut m, &vpc_insts, &vpc_ids, &subnet_ids);

        // ---- Subnets (associations later)
        let subnet_insts: Vec<usize> = SUBNET.iter().flat_map(|t| self.insts(t)).collect();
        let mut subnets: Vec<Option<Subnet>> = vec![None; subnet_ids.len()];
        // Built on all threads, placed in order after.
        let built: Vec<(Option<u32>, Subnet, bool)> = subnet_insts
            .par_iter()
            .with_min_len(64)
            .map(|&i| {
                let vl = match self.link(i, "vpc_id", VPC) {
                    LinkA::None if self.inst(i).rtype == "aws_default_subnet" => {
                        self.default_vpc_of(i)
                    }
                    l => l,
                };
                let vpc = self.conv(&vl, &vpc_ids, VpcId);
                let inst = self.inst(i);
                let inside = vpc.id();
                let az = match inst.str("availability_zone") {
                    Some(a) => Val::Known(a.to_string()),
                    None => Val::Unknown(unknown_reason(inst.address, "availability_zone")),
                };
                let ipv4 = match inst.str("cidr_block") {
                    Some(c) => Some(v4_attr(c, inst.address, "cidr_block", inside)),
                    None if inst.is_unknown("cidr_block") || inst.expr("cidr_block").is_some() => {
                        Some(unknown_block(
                            unknown_reason(inst.address, "cidr_block"),
                            inside,
                            None,
                        ))
                    }
                    None => None,
                };
                let ipv6 = match inst.str("ipv6_cidr_block") {
                    Some(c) => Some(v6_attr(c, inst.address, "ipv6_cidr_block", inside)),
                    None if inst.expr("ipv6_cidr_block").is_some() => Some(unknown_block(
                        unknown_reason(inst.address, "ipv6_cidr_block"),
                        inside,
                        Some(64),
                    )),
                    None => None,
                };
                let s = Subnet {
                    meta: meta(inst),
                    vpc,
                    availability_zone: az,
                    ipv4,
                    ipv6,
                    map_public_ip_on_launch: inst.bool("map_public_ip_on_launch").unwrap_or(false),
                    assign_ipv6_address_on_creation: inst
                        .bool("assign_ipv6_address_on_creation")
                        .unwrap_or(false),
                    dns64: inst.bool("enable_dns64").unwrap_or(false),
                    route_table: Assoc {
                        link: Link::None,
                        via: AssocVia::Implicit,
                    },
                    nacl: Assoc {
                        link: Link::None,
                        via: AssocVia::Implicit,
                    },
                };
                (subnet_ids.of(i, inst.address), s, inst.data)
            })
            .collect();
        // The subnets read by data sources, by id.
        let mut read_subnet = vec![false; subnet_ids.len()];
        for (id, s, data) in built {
            if let Some(slot) = id.and_then(|id| subnets.get_mut(id as usize)) {
                *slot = Some(s);
            }
            if let Some(flag) = id.and_then(|id| read_subnet.get_mut(id as usize)) {
                *flag = data;
            }
        }
        let mut subnets: Vec<Subnet> = subnets.into_iter().flatten().collect();

        // ---- Route tables
        let mut tables: Vec<Option<RouteTable>> = vec![None; rtb_ids.len()];
        let mut routes: Vec<RouteA> = Vec::new();
        let mut rt_vpc_link: HashMap<String, LinkA> = HashMap::default();
        for (i, l) in &default_rtbs {
            rt_vpc_link.insert(self.inst(*i).address.to_string(), l.clone());
        }
        // Each table and its inline routes, converted on all threads and placed in order.
        let rtb_insts: Vec<usize> = RTB.iter().flat_map(|t| self.insts(t)).collect();
        let converted: Vec<(String, RouteTable, Vec<RouteA>, bool)> = rtb_insts
            .par_iter()
            .with_min_len(64)
            .map(|&i| {
                let addr = self.inst(i).address.to_string();
                let vl = match rt_vpc_link.get(&addr) {
                    Some(l) => l.clone(),
                    None => self.link(i, "vpc_id", VPC),
                };
                let pv = self.link_list_own(i, "propagating_vgws", VGW);
                let inst = self.inst(i);
                let propagating = pv
                    .iter()
                    .map(|l| (inst.address.to_string(), self.conv(l, &gw_ids, GatewayId)))
                    .collect();
                let table = RouteTable {
                    meta: meta(inst),
                    vpc: self.conv(&vl, &vpc_ids, VpcId),
                    synthesized: false,
                    routes: Vec::new(),
                    propagating_vgws: propagating,
                    edge_associations: Vec::new(),
                };
                // Inline routes. `route = [...]` written as one expression has one list of
                // references for all routes: the fallback for targets unknown at plan time.
                let fallback: Refs<'_> =
                    inst.expr("route").map(expression_refs).unwrap_or_default();
                // Without `route` in the configuration, the attribute holds the routes of
                // `dynamic "route"` blocks (left out of the configuration), or AWS's view
                // of a table whose routes are `aws_route` resources: read here, told apart
                // once both sides are built (`drop_route_views`).
                let view = inst.config.is_some() && inst.expr("route").is_none() && !inst.data;
                // `data.aws_route_table` lists every route but the local ones in `routes`.
                let attr = if inst.data { "routes" } else { "route" };
                let inline = block_objects(inst, attr);
                let mut own = Vec::with_capacity(inline.len());
                for (n, (obj, unk, expr)) in inline.into_iter().enumerate() {
                    let destination = self.route_destination(
                        &obj,
                        &unk,
                        &[
                            "cidr_block",
                            "ipv6_cidr_block",
                            "destination_prefix_list_id",
                        ],
                        (&pl_ids, places),
                        i,
                        expr,
                    );
                    let target = self.route_target(i, &obj, &unk, expr, &fallback);
                    own.push(RouteA {
                        address: format!("{addr} {attr}[{n}]"),
                        action: inst.action,
                        table: LinkA::To(i, LinkHow::Reference),
                        table_among: Vec::new(),
                        destination,
                        target,
                        origin: RouteOrigin::Inline,
                    });
                }
                (addr, table, own, view)
            })
            .collect();
        for (addr, table, own, view) in converted {
            if view && !own.is_empty() {
                self.view(&addr, "route");
            }
            if let Some(slot) = rtb_ids
                .get(&addr)
                .and_then(|id| tables.get_mut(id as usize))
            {
                *slot = Some(table);
            }
            routes.extend(own);
        }
        for (s, v) in &synth_rtb {
            let vinst = self.inst(*v);
            if let Some(slot) = rtb_ids.get(s).and_then(|id| tables.get_mut(id as usize)) {
                *slot = Some(RouteTable {
                    meta: synth_meta(s.clone(), vinst.action),
                    vpc: self.conv(&LinkA::To(*v, LinkHow::Reference), &vpc_ids, VpcId),
                    synthesized: true,
                    routes: Vec::new(),
                    propagating_vgws: Vec::new(),
                    edge_associations: Vec::new(),
                });
            }
        }
        // The default VPC's route to its internet gateway, where its main table is AWS's.
        for (g, v) in &default_igws {
            let vinst = self.inst(*v);
            let table = format!("{} (main route table)", vinst.address);
            if !synth_rtb.iter().any(|(t, _)| *t == table) {
                continue;
            }
            routes.push(RouteA {
                address: format!("{table} default route"),
                action: vinst.action,
                table: LinkA::ToAddr(table, LinkHow::Reference),
                table_among: Vec::new(),
                destination: Destination::Cidr(AnyBlock::V4(Block::Known(Ipv4Net::default()))),
                target: TargetA::Link("gateway_id", LinkA::ToAddr(g.clone(), LinkHow::Reference)),
                origin: RouteOrigin::DefaultVpc,
            });
        }
        let mut tables: Vec<RouteTable> = tables.into_iter().flatten().collect();
        // aws_route resources.
        // One `aws_route` per route of a large network: converted on all threads.
        let route_resources: Vec<RouteA> = self
            .insts("aws_route")
            .par_iter()
            .with_min_len(64)
            .map(|&i| {
                let table = main_table(self.link(i, "route_table_id", RTB_REF));
                let table_among = match table {
                    LinkA::Unresolved(_) => self
                        .among(i, "route_table_id", RTB_REF)
                        .into_iter()
                        .map(|c| main_table(LinkA::To(c, LinkHow::Inferred)))
                        .collect(),
                    _ => Vec::new(),
                };
                let inst = self.inst(i);
                let obj = inst.values;
                let unk = inst.unknown;
                let expr = inst.config.map(|c| &c.expressions);
                let destination = self.route_destination(
                    obj,
                    unk,
                    &[
                        "destination_cidr_block",
                        "destination_ipv6_cidr_block",
                        "destination_prefix_list_id",
                    ],
                    (&pl_ids, places),
                    i,
                    expr,
                );
                let target = self.route_target(i, obj, unk, expr, &[]);
                RouteA {
                    address: inst.address.to_string(),
                    action: inst.action,
                    table,
                    table_among,
                    destination,
                    target,
                    origin: RouteOrigin::Resource,
                }
            })
            .collect();
        routes.extend(route_resources);
        for i in self.insts("aws_vpn_gateway_route_propagation") {
            let g = self.link(i, "vpn_gateway_id", VGW);
            let t = main_table(self.link(i, "route_table_id", RTB_REF));
            let addr = self.inst(i).address.to_string();
            let gl = self.conv(&g, &gw_ids, GatewayId);
            match self.conv(&t, &rtb_ids, RouteTableId) {
                Link::To(tid, _) => {
                    if let Some(tb) = tables.get_mut(tid.index()) {
                        let gl = match gl {
                            Link::Unresolved(why) => {
                                attached_gateway_of(&m.gateways, tb.vpc.id(), &[GatewayKind::Vpn])
                                    .unwrap_or(Link::Unresolved(why))
                            }
                            gl => gl,
                        };
                        tb.propagating_vgws.push((addr, gl));
                    }
                }
                table => {
                    if let Link::Unresolved(why) = table {
                        // The tables it may be, when its references name them all.
                        let among = self
                            .among(i, "route_table_id", RTB_REF)
                            .into_iter()
                            .map(|c| {
                                let t = main_table(LinkA::To(c, LinkHow::Inferred));
                                self.conv(&t, &rtb_ids, RouteTableId).id()
                            })
                            .collect::<Option<Vec<RouteTableId>>>()
                            .unwrap_or_default();
                        m.unplaced_vgw_propagations.push(UnplacedVgwPropagation {
                            address: addr.clone(),
                            gateway: gl,
                            why,
                            among,
                        });
                    }
                    self.diag(
                        &addr,
                        "route propagation not linked to a route table of this plan".to_string(),
                    );
                }
            }
        }
        for (i, vpc, rt) in &main_assocs {
            if self.target_addr(vpc).is_none() || self.target_addr(rt).is_none() {
                self.diag(
                    self.inst(*i).address,
                    "main route table association could not be linked".to_string(),
                );
            }
        }

        // ---- Associations
        let mut subnet_rt: HashMap<u32, (String, Link<RouteTableId>)> = HashMap::default();
        // Linked on all threads (one association per subnet of a large network), recorded
        // in order after.
        let rt_assocs: Vec<_> = self
            .insts("aws_route_table_association")
            .par_iter()
            .with_min_len(64)
            .map(|&i| {
                let rt = main_table(self.link(i, "route_table_id", RTB_REF));
                let sn = self.link(i, "subnet_id", SUBNET);
                let gw = self.link(i, "gateway_id", IGW_VGW);
                let addr = self.inst(i).address.to_string();
                let rtl = self.conv(&rt, &rtb_ids, RouteTableId);
                let gl = match gw {
                    LinkA::None => None,
                    gw => Some(self.conv(&gw, &gw_ids, GatewayId)),
                };
                let snl = self.conv(&sn, &subnet_ids, SubnetId);
                (addr, rtl, gl, snl)
            })
            .collect();
        // Associations whose subnet is not known: a subnet of their VPC (any subnet, when
        // that is not known either) with no other association may be one of theirs, so its
        // table is not the main one for sure ([`Unsure`]).
        let mut unsure_rt = Unsure::default();
        for (i, vpc, rt) in &main_assocs {
            let why = match (vpc, rt) {
                (LinkA::Unresolved(why), _) | (_, LinkA::Unresolved(why)) => why,
                _ => continue,
            };
            // A table is the main one of its own VPC only.
            let table_vpc = self
                .conv(rt, &rtb_ids, RouteTableId)
                .id()
                .and_then(|t| tables.get(t.index()))
                .and_then(|t| t.vpc.id());
            let vpc = self.conv(vpc, &vpc_ids, VpcId).id().or(table_vpc);
            unsure_rt.add_main(vpc, self.inst(*i).address, why);
        }
        for (addr, rtl, gl, snl) in rt_assocs {
            let edge = gl.is_some();
            if let Some(gl) = gl {
                if let Link::To(t, _) = rtl {
                    if let Some(tb) = tables.get_mut(t.index()) {
                        // A gateway not known: the internet or virtual private gateway of the
                        // table's VPC, when it has one only.
                        let gl = match gl {
                            Link::Unresolved(why) => attached_gateway_of(
                                &m.gateways,
                                tb.vpc.id(),
                                &[GatewayKind::Internet, GatewayKind::Vpn],
                            )
                            .unwrap_or(Link::Unresolved(why)),
                            gl => gl,
                        };
                        tb.edge_associations.push((addr.clone(), gl));
                    }
                }
            }
            match snl {
                Link::To(s, _) => {
                    if let Some((prev, _)) = subnet_rt.get(&s.0) {
                        self.diag(&addr, format!("the subnet is also associated by `{prev}`"));
                    } else {
                        subnet_rt.insert(s.0, (addr, rtl));
                    }
                }
                Link::None => {}
                other => {
                    if !edge {
                        if let Link::Unresolved(why) = &other {
                            let vpc = rtl
                                .id()
                                .and_then(|t| tables.get(t.index()))
                                .and_then(|t| t.vpc.id());
                            unsure_rt.add(vpc, &addr, why);
                        }
                        let why = match &other {
                            Link::External(id) => format!("`{id}` is outside this plan"),
                            Link::Unresolved(why) => why.clone(),
                            Link::To(..) | Link::None => String::new(),
                        };
                        self.diag(
                            &addr,
                            format!("route table association's subnet is not in the model: {why}"),
                        );
                    }
                }
            }
        }
        // A route table read by a data source lists the subnets explicitly associated with
        // it (`associations`): what the plan does not associate itself uses it.
        let mut read_tables: Vec<usize> = self
            .insts("aws_route_table")
            .into_iter()
            .filter(|&i| self.inst(i).data)
            .chain(self.read_dups.iter().map(|&(d, _)| d))
            .filter(|&i| self.inst(i).data && self.inst(i).rtype == "aws_route_table")
            .collect();
        read_tables.sort_unstable();
        for i in read_tables {
            let inst = self.inst(i);
            let Some(table) = rtb_ids.of(i, inst.address) else {
                continue;
            };
            for o in inst.list("associations") {
                if o.attr("main").and_then(Value::as_bool) == Some(true) {
                    continue;
                }
                let subnet = obj_str(o, "subnet_id")
                    .and_then(|id| self.side.by_id(id, SUBNET))
                    .and_then(|s| subnet_ids.of(s, self.inst(s).address));
                if let Some(s) = subnet {
                    subnet_rt.entry(s).or_insert_with(|| {
                        (
                            inst.address.to_string(),
                            Link::To(RouteTableId(table), LinkHow::Id),
                        )
                    });
                }
            }
        }
        let mut subnet_nacl: HashMap<u32, (String, Link<NaclId>)> = HashMap::default();
        let mut unsure_nacl = Unsure::default();
        // The VPC of a NACL instance, when its `vpc_id` resolves (what the NACL's own
        // link says about it is said where the NACL is built).
        let nacl_vpc = |i: usize| {
            let link = self.resolve_link(i, "vpc_id", VPC, &mut Vec::new());
            match self.conv(&link, &vpc_ids, VpcId) {
                Link::To(v, _) => Some(v),
                _ => None,
            }
        };
        for t in NACL {
            // The lists resolved on all threads, recorded in order after.
            let lists: Vec<(Vec<LinkA>, String, usize)> = self
                .insts(t)
                .par_iter()
                .with_min_len(64)
                .map(|&i| {
                    let links = self.link_list_own(i, "subnet_ids", SUBNET);
                    (links, self.inst(i).address.to_string(), i)
                })
                .collect();
            for (links, addr, i) in lists {
                let nid = nacl_ids.get(&addr).map(NaclId);
                for l in links {
                    match (self.conv(&l, &subnet_ids, SubnetId), nid) {
                        (Link::To(s, how), Some(n)) => {
                            subnet_nacl
                                .entry(s.0)
                                .or_insert((addr.clone(), Link::To(n, how)));
                        }
                        (Link::Unresolved(why), Some(_)) => {
                            unsure_nacl.add(nacl_vpc(i), &addr, &why);
                        }
                        _ => {}
                    }
                }
            }
        }
        for i in self.insts("aws_network_acl_association") {
            let n = default_acl(self.link(i, "network_acl_id", NACL_REF));
            let s = self.link(i, "subnet_id", SUBNET);
            let addr = self.inst(i).address.to_string();
            let nl = self.conv(&n, &nacl_ids, NaclId);
            match self.conv(&s, &subnet_ids, SubnetId) {
                Link::To(s, _) => {
                    subnet_nacl.entry(s.0).or_insert((addr, nl));
                }
                Link::Unresolved(why) => {
                    let vpc = match &n {
                        LinkA::To(acl, _) => nacl_vpc(*acl),
                        _ => None,
                    };
                    unsure_nacl.add(vpc, &addr, &why);
                    self.diag(
                        &addr,
                        "NACL association's subnet is not in the model".to_string(),
                    );
                }
                _ => self.diag(
                    &addr,
                    "NACL association's subnet is not in the model".to_string(),
                ),
            }
        }
        // VPCs whose main route table is synthesized: for one read by a data source, the
        // real one is outside this plan (its default NACL stands undecided, see `nacls`).
        let synth_of = |synth: &[(String, usize)]| -> HashSet<String> {
            synth
                .iter()
                .map(|(_, v)| self.inst(*v).address.to_string())
                .collect()
        };
        let synth_main = synth_of(&synth_rtb);
        for (n, s) in subnets.iter_mut().enumerate() {
            let key = u32::try_from(n).unwrap_or(u32::MAX);
            let vpc = s.vpc.clone();
            let implicit_rt = |main: fn(&Vpc) -> u32, what: &str| -> Link<u32> {
                match &vpc {
                    Link::To(v, how) => match m.vpcs.get(v.index()) {
                        Some(vp)
                            if vp.outside
                                && what == "main route table"
                                && synth_main.contains(&vp.meta.address) =>
                        {
                            Link::Unresolved(format!(
                                "the {what} of {} (read by a data source) is outside this plan",
                                tick_addr(&vp.meta.address)
                            ))
                        }
                        Some(vp) => Link::To(main(vp), *how),
                        None => Link::Unresolved("VPC out of range".into()),
                    },
                    Link::External(id) => {
                        Link::Unresolved(format!("the subnet's VPC `{id}` is outside this plan"))
                    }
                    Link::Unresolved(r) => {
                        Link::Unresolved(format!("the subnet's VPC is unresolved: {r}"))
                    }
                    Link::None => Link::Unresolved("the subnet names no VPC".into()),
                }
            };
            // A subnet read by a data source may have an explicit association made
            // outside this plan: only one the plan or a read route table shows is known.
            let read = read_subnet.get(n).copied().unwrap_or(false);
            let not_read = |what: &str, how: &str| {
                format!(
                    "the {what} of {} (read by a data source) is not in the plan: {how}",
                    tick_addr(&s.meta.address)
                )
            };
            s.route_table = match subnet_rt.remove(&key) {
                Some((a, l)) => Assoc {
                    link: l,
                    via: AssocVia::Explicit(a),
                },
                None if read => Assoc {
                    link: Link::Unresolved(not_read(
                        "route table",
                        "a `data \"aws_route_table\"` with its `subnet_id` would read it",
                    )),
                    via: AssocVia::Implicit,
                },
                None if unsure_rt.covers(s.vpc.id()).is_some() => Assoc {
                    link: Link::Unresolved(unsure_rt.reason(
                        s.vpc.id(),
                        &s.meta.address,
                        "route table",
                    )),
                    via: AssocVia::Implicit,
                },
                None => Assoc {
                    link: map_link(
                        implicit_rt(|v| v.main_route_table.0, "main route table"),
                        RouteTableId,
                    ),
                    via: AssocVia::Implicit,
                },
            };
            s.nacl = match subnet_nacl.remove(&key) {
                Some((a, l)) => Assoc {
                    link: l,
                    via: AssocVia::Explicit(a),
                },
                None if read => Assoc {
                    link: Link::Unresolved(not_read(
                        "network ACL",
                        "no data source reads a network ACL's rules",
                    )),
                    via: AssocVia::Implicit,
                },
                None if unsure_nacl.covers(s.vpc.id()).is_some() => Assoc {
                    link: Link::Unresolved(unsure_nacl.reason(
                        s.vpc.id(),
                        &s.meta.address,
                        "network ACL",
                    )),
                    via: AssocVia::Implicit,
                },
                None => Assoc {
                    link: map_link(
                        implicit_rt(|v| v.default_nacl.0, "default network ACL"),
                        NaclId,
                    ),
                    via: AssocVia::Implicit,
                },
            };
        }
        m.subnets = subnets;
        infer_table_vpcs(&mut tables, &m.subnets);

        // ---- NAT gateways, EIPs, workloads
        // The per-instance conversions of this section run on all threads (an indexed
        // collect keeps their order).
        let nats: Vec<NatGateway> = self
            .insts("aws_nat_gateway")
            .par_iter()
            .with_min_len(64)
            .map(|&i| {
                let s = self.link(i, "subnet_id", SUBNET);
                let a = self.link(i, "allocation_id", EIP);
                let inst = self.inst(i);
                NatGateway {
                    meta: meta(inst),
                    subnet: self.conv(&s, &subnet_ids, SubnetId),
                    connectivity: if inst.str("connectivity_type") == Some("private") {
                        NatConnectivity::Private
                    } else {
                        NatConnectivity::Public
                    },
                    allocation: self.conv(&a, &eip_ids, EipId),
                }
            })
            .collect();
        m.nat_gateways.extend(nats);
        sort_by_addr(&mut m.nat_gateways, |x| &x.meta.address);
        let eips: Vec<Eip> = self
            .insts("aws_eip")
            .par_iter()
            .with_min_len(64)
            .map(|&i| {
                let mut w = self.link(i, "instance", INSTANCE);
                if matches!(w, LinkA::None) {
                    w = self.link(i, "network_interface", ENI);
                }
                let inst = self.inst(i);
                if inst.config.is_some()
                    && !matches!(w, LinkA::None)
                    && inst.expr("instance").is_none()
                    && inst.expr("network_interface").is_none()
                {
                    self.read_back
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .eips
                        .push(inst.address.to_string());
                }
                let public_ip = match inst.str("public_ip") {
                    Some(ip) => Some(Val::Known(ip.to_string())),
                    None if inst.is_unknown("public_ip") => {
                        Some(Val::Unknown(unknown_reason(inst.address, "public_ip")))
                    }
                    None => None,
                };
                Eip {
                    meta: meta(inst),
                    public_ip,
                    workload: self.conv(&w, &wl_ids, WorkloadId),
                    association: None,
                }
            })
            .collect();
        m.eips.extend(eips);
        sort_by_addr(&mut m.eips, |x| &x.meta.address);
        for i in self.insts("aws_eip_association") {
            let e = self.link(i, "allocation_id", EIP);
            let mut w = self.link(i, "instance_id", INSTANCE);
            if matches!(w, LinkA::None) {
                w = self.link(i, "network_interface_id", ENI);
            }
            let addr = self.inst(i).address.to_string();
            let wl = self.conv(&w, &wl_ids, WorkloadId);
            match self.conv(&e, &eip_ids, EipId) {
                Link::To(eid, _) => {
                    if let Some(eip) = m.eips.get_mut(eid.index()) {
                        eip.workload = wl;
                        eip.association = Some(addr);
                    }
                }
                _ => self.diag(
                    &addr,
                    "EIP association's EIP is not in the model".to_string(),
                ),
            }
        }
        let (primary_eni, eni_instance) = self.launched_interfaces();
        let mut wl_insts = self.insts("aws_instance");
        wl_insts.extend(self.insts("aws_network_interface"));
        let mut wls: Vec<Workload> = wl_insts
            .par_iter()
            .with_min_len(64)
            .map(|&i| {
                let mut s = self.link(i, "subnet_id", SUBNET);
                let inst = self.inst(i);
                let is_instance = inst.rtype == "aws_instance";
                // An instance launched on a network interface of the plan: that interface's
                // subnet and groups are the instance's (its own are known after apply).
                let primary = primary_eni.get(&i).copied();
                let own_subnet = matches!(s, LinkA::To(..) | LinkA::External(_));
                if let (Some(e), false) = (primary, own_subnet) {
                    s = self.link(e, "subnet_id", SUBNET);
                }
                let mut sgs = Vec::new();
                let attrs = if is_instance {
                    &["vpc_security_group_ids", "security_groups"][..]
                } else {
                    &["security_groups"][..]
                };
                let mut by_id: Vec<usize> = Vec::new();
                for attr in attrs {
                    for l in self.link_list(i, attr, SG_REF) {
                        if *attr == "vpc_security_group_ids" {
                            if let LinkA::To(g, _) = l {
                                by_id.push(g);
                            }
                        } else if let LinkA::External(n) = &l {
                            // AWS's view of an instance in a default VPC lists its groups
                            // by name too: a name of a group it has by ID is that group.
                            let named = |g: &usize| self.inst(*g).str("name") == Some(n.as_str());
                            if inst.expr(attr).is_none() && by_id.iter().any(named) {
                                continue;
                            }
                        }
                        sgs.push(self.conv(&group(l), &sg_ids, SecurityGroupId));
                    }
                }
                if let (Some(e), true) = (primary, sgs.is_empty()) {
                    for l in self.link_list(e, "security_groups", SG_REF) {
                        sgs.push(self.conv(&group(l), &sg_ids, SecurityGroupId));
                    }
                }
                // Without an expression, the list is AWS's view, which repeats what
                // `aws_network_interface_sg_attachment`s add ([`drop_views`]).
                if !sgs.is_empty() && attrs.iter().all(|a| inst.expr(a).is_none()) {
                    self.view(inst.address, "security_groups");
                }
                let inst = self.inst(i);
                let attached = if is_instance {
                    LinkA::None
                } else if let Some(&by) = eni_instance.get(&i) {
                    LinkA::To(by, LinkHow::Reference)
                } else {
                    let atts = block_objects(inst, "attachment");
                    match atts.first() {
                        Some((obj, unk, expr)) => {
                            let (obj, unk, expr) = (obj.clone(), unk.clone(), *expr);
                            self.link_in_block(i, &obj, &unk, expr, "instance", INSTANCE)
                        }
                        None => LinkA::None,
                    }
                };
                let inst = self.inst(i);
                let public_ipv4 = if is_instance {
                    match inst.bool("associate_public_ip_address") {
                        Some(true) => {
                            if inst.expr("associate_public_ip_address").is_none()
                                && !matches!(inst.action, Action::Create | Action::Replace)
                            {
                                self.read_back
                                    .lock()
                                    .unwrap_or_else(|e| e.into_inner())
                                    .public
                                    .push(inst.address.to_string());
                            }
                            PublicIpv4::Auto
                        }
                        // Set so, or launched so (the prior state): a subnet that maps
                        // public addresses on launch does not give it one.
                        Some(false) => PublicIpv4::Never(format!(
                            "`{}` is launched with associate_public_ip_address = false",
                            inst.address
                        )),
                        None if inst.expr("associate_public_ip_address").is_some() => {
                            PublicIpv4::Unknown(unknown_reason(
                                inst.address,
                                "associate_public_ip_address",
                            ))
                        }
                        None => PublicIpv4::None,
                    }
                } else {
                    PublicIpv4::None
                };
                let mut private_ips: Vec<String> = Vec::new();
                for from in std::iter::once(inst).chain(primary.map(|e| self.inst(e))) {
                    if let Some(ip) = from.str("private_ip") {
                        if !private_ips.iter().any(|p| p == ip) {
                            private_ips.push(ip.to_string());
                        }
                    }
                    for attr in ["private_ips", "secondary_private_ips"] {
                        for v in from.list(attr) {
                            if let Some(s) = v.as_str() {
                                if !private_ips.iter().any(|p| p == s) {
                                    private_ips.push(s.to_string());
                                }
                            }
                        }
                    }
                }
                // The primary interface's setting, which the instance's own follows.
                let source_dest_check = inst
                    .bool("source_dest_check")
                    .or_else(|| primary.and_then(|e| self.inst(e).bool("source_dest_check")))
                    .unwrap_or(true);
                Workload {
                    meta: meta(inst),
                    kind: if is_instance {
                        WorkloadKind::Instance
                    } else {
                        WorkloadKind::NetworkInterface
                    },
                    subnet: self.conv(&s, &subnet_ids, SubnetId),
                    security_groups: sgs,
                    source_dest_check,
                    public_ipv4,
                    attached_to: self.conv(&attached, &wl_ids, WorkloadId),
                    private_ips,
                    ipv6_address_count: ipv6_count(inst)
                        .or_else(|| primary.and_then(|e| ipv6_count(self.inst(e)))),
                    attached_security_groups: Vec::new(),
                    settings_from: Vec::new(),
                    internal: None,
                    without_groups: None,
                    listeners: None,
                    behind: targets.get(&i).cloned().unwrap_or_default(),
                    client_vpn: None,
                }
            })
            .collect();
        for f in fleets {
            let inst = self.inst(f.inst);
            wls.push(Workload {
                meta: Meta {
                    address: f.name,
                    ..meta(inst)
                },
                kind: f.kind,
                subnet: self.conv(&f.subnet, &subnet_ids, SubnetId),
                security_groups: f
                    .groups
                    .iter()
                    .map(|l| self.conv(l, &sg_ids, SecurityGroupId))
                    .collect(),
                source_dest_check: true,
                public_ipv4: f.public_ipv4,
                attached_to: Link::None,
                private_ips: Vec::new(),
                ipv6_address_count: f.ipv6_address_count,
                attached_security_groups: Vec::new(),
                settings_from: f.settings_from,
                internal: f.internal,
                without_groups: f.without_groups,
                listeners: f.listeners,
                behind: targets.get(&f.inst).cloned().unwrap_or_default(),
                client_vpn: f.client_vpn,
            });
        }
        sort_by_addr(&mut wls, |x| &x.meta.address);
        for i in self.insts("aws_network_interface_sg_attachment") {
            let w = self.link(i, "network_interface_id", WORKLOAD);
            let g = group(self.link(i, "security_group_id", SG_REF));
            let address = self.inst(i).address.to_string();
            match self.conv(&w, &wl_ids, WorkloadId) {
                Link::To(w, _) => {
                    if let Some(wl) = wls.get_mut(w.index()) {
                        wl.attached_security_groups
                            .push((address, self.conv(&g, &sg_ids, SecurityGroupId)));
                    }
                }
                Link::Unresolved(r) => {
                    m.unplaced_group_attachments.push(UnplacedGroupAttachment {
                        address: address.clone(),
                        group: self.conv(&g, &sg_ids, SecurityGroupId),
                        to_endpoint: false,
                        why: r.clone(),
                        among: self.among_addresses(i, "network_interface_id", WORKLOAD),
                    });
                    self.diag(&address, r)
                }
                Link::None | Link::External(_) => {}
            }
        }
        for wl in &mut wls {
            wl.attached_security_groups.sort_by(|a, b| a.0.cmp(&b.0));
        }
        for (n, e) in m.eips.iter().enumerate() {
            if let Link::To(w, _) = &e.workload {
                if let Some(wl) = wls.get_mut(w.index()) {
                    let own = std::mem::replace(
                        &mut wl.public_ipv4,
                        PublicIpv4::Eip(EipId(u32::try_from(n).unwrap_or(0))),
                    );
                    if !matches!(own, PublicIpv4::Eip(_)) {
                        self.read_back
                            .lock()
                            .unwrap_or_else(|e| e.into_inner())
                            .own
                            .push((wl.meta.address.clone(), own));
                    }
                }
            }
        }
        // An instance's public address is its primary network interface's: an Elastic IP
        // there, or what the interface says when the instance says nothing.
        for (&instance, &eni) in &primary_eni {
            let wl = |x: usize| match self.conv(&LinkA::To(x, LinkHow::Id), &wl_ids, WorkloadId) {
                Link::To(w, _) => Some(w.index()),
                _ => None,
            };
            let (Some(w), Some(e)) = (wl(instance), wl(eni)) else {
                continue;
            };
            let Some(from) = wls.get(e).map(|x| x.public_ipv4.clone()) else {
                continue;
            };
            if let Some(x) = wls.get_mut(w) {
                if matches!(from, PublicIpv4::Eip(_)) || x.public_ipv4 == PublicIpv4::None {
                    x.public_ipv4 = from;
                }
            }
        }
        m.workloads = wls;

        // ---- VPN
        for i in self.insts("aws_customer_gateway") {
            let inst = self.inst(i);
            let val = |attr: &str| -> Option<Val<String>> {
                match inst.get(attr) {
                    Some(Value::String(s)) if !s.is_empty() => Some(Val::Known(s.to_string())),
                    Some(Value::Number(n)) => Some(Val::Known(n.to_string())),
                    _ if inst.is_unknown(attr) => {
                        Some(Val::Unknown(unknown_reason(inst.address, attr)))
                    }
                    _ => None,
                }
            };
            m.customer_gateways.push(CustomerGateway {
                meta: meta(inst),
                ip_address: val("ip_address"),
                bgp_asn: val("bgp_asn"),
            });
        }
        sort_by_addr(&mut m.customer_gateways, |x| &x.meta.address);
        let vpn_tgw: HashMap<usize, LinkA> = vpn_tgw.into_iter().collect();
        for i in self.insts("aws_vpn_connection") {
            let c = self.link(i, "customer_gateway_id", CGW);
            let g = self.link(i, "vpn_gateway_id", VGW);
            let t = vpn_tgw.get(&i).cloned().unwrap_or(LinkA::None);
            let inst = self.inst(i);
            let mut remote = Vec::new();
            for attr in ["remote_ipv4_network_cidr", "remote_ipv6_network_cidr"] {
                if let Some(s) = inst.str(attr) {
                    remote.push(any_block(s, &format!("{}.{attr}", inst.address)));
                }
            }
            m.vpn_connections.push(VpnConnection {
                meta: meta(inst),
                customer_gateway: self.conv(&c, &cgw_ids, CustomerGatewayId),
                vpn_gateway: self.conv(&g, &gw_ids, GatewayId),
                transit_gateway: self.conv(&t, &tgw_ids, TransitGatewayId),
                static_routes_only: inst.bool("static_routes_only").unwrap_or(false),
                static_routes: Vec::new(),
                gateway_routes: Vec::new(),
                remote_networks: remote,
            });
        }
        sort_by_addr(&mut m.vpn_connections, |x| &x.meta.address);
        for i in self.insts("aws_vpn_connection_route") {
            let v = self.link(i, "vpn_connection_id", VPN);
            let inst = self.inst(i);
            let block = match inst.str("destination_cidr_block").and_then(parse_v4) {
                Some(n) => Block::Known(n),
                None => unknown_block(
                    unknown_reason(inst.address, "destination_cidr_block"),
                    None,
                    None,
                ),
            };
            let addr = inst.address.to_string();
            match self.conv(&v, &vpn_ids, VpnConnectionId) {
                Link::To(vid, _) => {
                    if let Some(c) = m.vpn_connections.get_mut(vid.index()) {
                        c.static_routes.push((addr, block));
                    }
                }
                other => {
                    self.diag(
                        &addr,
                        "VPN connection route not linked to a VPN connection of this plan"
                            .to_string(),
                    );
                    // It may declare its CIDR for any static connection, or for those
                    // its references name, when they name them all.
                    if let Link::Unresolved(why) = other {
                        let among = self
                            .among(i, "vpn_connection_id", VPN)
                            .into_iter()
                            .map(|c| {
                                self.conv(
                                    &LinkA::To(c, LinkHow::Inferred),
                                    &vpn_ids,
                                    VpnConnectionId,
                                )
                                .id()
                            })
                            .collect::<Option<Vec<VpnConnectionId>>>()
                            .unwrap_or_default();
                        m.unplaced_vpn_routes.push(UnplacedVpnRoute {
                            address: addr,
                            block,
                            why,
                            among,
                        });
                    }
                }
            }
        }
        // VGW-propagated static routes.
        for c in &m.vpn_connections {
            let Link::To(g, _) = c.vpn_gateway else {
                continue;
            };
            for t in tables.iter() {
                if !t.propagating_vgws.iter().any(|(_, l)| l.id() == Some(g)) {
                    continue;
                }
                for (raddr, block) in &c.static_routes {
                    let dest = match block {
                        Block::Known(n) => n.to_string(),
                        Block::Unknown(_) => "unknown".to_string(),
                    };
                    routes.push(RouteA {
                        address: format!("{} propagated {dest} from {raddr}", t.meta.address),
                        action: c.meta.action,
                        table: LinkA::ToAddr(t.meta.address.to_string(), LinkHow::Reference),
                        table_among: Vec::new(),
                        destination: Destination::Cidr(AnyBlock::V4(block.clone())),
                        target: TargetA::Link(
                            "gw-id",
                            LinkA::ToAddr(format!("#gw{}", g.0), LinkHow::Reference),
                        ),
                        origin: RouteOrigin::Propagated(g),
                    });
                }
            }
        }

        // ---- Transit gateways
        for i in self.insts("aws_ec2_transit_gateway") {
            let inst = self.inst(i);
            let (assoc, prop) = tgw_defaults
                .get(inst.address)
                .copied()
                .unwrap_or((true, true));
            m.transit_gateways.push(TransitGateway {
                meta: meta(inst),
                default_association: assoc,
                default_propagation: prop,
                vpn_ecmp_support: inst.str("vpn_ecmp_support").map_or(true, |s| s == "enable"),
                multicast_support: inst.str("multicast_support") == Some("enable"),
                sg_referencing: referencing(inst, false),
                default_route_table: tgw_rtb_ids
                    .get(&format!("{} (default route table)", inst.address))
                    .map(TgwRouteTableId),
            });
        }
        sort_by_addr(&mut m.transit_gateways, |x| &x.meta.address);
        let mut atts: Vec<TgwAttachment> = Vec::new();
        for i in self.insts("aws_ec2_transit_gateway_vpc_attachment") {
            let t = self.link(i, "transit_gateway_id", TGW);
            let v = self.link(i, "vpc_id", VPC);
            let sl = self.link_list(i, "subnet_ids", SUBNET);
            let inst = self.inst(i);
            atts.push(TgwAttachment {
                meta: meta(inst),
                transit_gateway: self.conv(&t, &tgw_ids, TransitGatewayId),
                kind: TgwAttachmentKind::Vpc {
                    vpc: self.conv(&v, &vpc_ids, VpcId),
                    subnets: sl
                        .iter()
                        .map(|l| self.conv(l, &subnet_ids, SubnetId))
                        .collect(),
                    ipv6_support: inst.str("ipv6_support") == Some("enable"),
                    appliance_mode: inst.str("appliance_mode_support") == Some("enable"),
                    sg_referencing: referencing(inst, true),
                },
                default_association: inst
                    .bool("transit_gateway_default_route_table_association")
                    .unwrap_or(true),
                default_propagation: inst
                    .bool("transit_gateway_default_route_table_propagation")
                    .unwrap_or(true),
            });
        }
        for i in self.insts("aws_ec2_transit_gateway_peering_attachment") {
            let t = self.link(i, "transit_gateway_id", TGW);
            let p = self.link(i, "peer_transit_gateway_id", TGW);
            let inst = self.inst(i);
            atts.push(TgwAttachment {
                meta: meta(inst),
                transit_gateway: self.conv(&t, &tgw_ids, TransitGatewayId),
                kind: TgwAttachmentKind::Peering {
                    peer_transit_gateway: self.conv(&p, &tgw_ids, TransitGatewayId),
                },
                default_association: false,
                default_propagation: false,
            });
        }
        for (n, c) in m.vpn_connections.iter().enumerate() {
            if c.transit_gateway.is_none() {
                continue;
            }
            atts.push(TgwAttachment {
                meta: synth_meta(
                    format!("{} (transit gateway attachment)", c.meta.address),
                    c.meta.action,
                ),
                transit_gateway: c.transit_gateway.clone(),
                kind: TgwAttachmentKind::Vpn {
                    connection: VpnConnectionId(u32::try_from(n).unwrap_or(0)),
                },
                default_association: true,
                default_propagation: true,
            });
        }
        sort_by_addr(&mut atts, |x| &x.meta.address);
        // A VPC attachment to a gateway of another account is associated and propagated
        // as its accepter, in the gateway's account, says.
        for i in self.insts("aws_ec2_transit_gateway_vpc_attachment_accepter") {
            let inst = self.inst(i);
            let Some(id) = att_ids.of(i, inst.address) else {
                continue;
            };
            let vpc_attachment =
                |a: &&mut TgwAttachment| matches!(a.kind, TgwAttachmentKind::Vpc { .. });
            if let Some(a) = atts.get_mut(id as usize).filter(vpc_attachment) {
                a.default_association = inst
                    .bool("transit_gateway_default_route_table_association")
                    .unwrap_or(true);
                a.default_propagation = inst
                    .bool("transit_gateway_default_route_table_propagation")
                    .unwrap_or(true);
            }
        }
        let mut trts: Vec<Option<TgwRouteTable>> = vec![None; tgw_rtb_ids.len()];
        for i in self.insts("aws_ec2_transit_gateway_route_table") {
            let t = self.link(i, "transit_gateway_id", TGW);
            let inst = self.inst(i);
            if let Some(slot) = tgw_rtb_ids
                .get(inst.address)
                .and_then(|id| trts.get_mut(id as usize))
            {
                *slot = Some(TgwRouteTable {
                    meta: meta(inst),
                    transit_gateway: self.conv(&t, &tgw_ids, TransitGatewayId),
                    is_default: false,
                    synthesized: false,
                    associations: Vec::new(),
                    propagations: Vec::new(),
                    routes: Vec::new(),
                });
            }
        }
        for (n, tg) in m.transit_gateways.iter().enumerate() {
            let Some(rid) = tg.default_route_table else {
                continue;
            };
            if let Some(slot) = trts.get_mut(rid.index()) {
                *slot = Some(TgwRouteTable {
                    meta: synth_meta(
                        format!("{} (default route table)", tg.meta.address),
                        tg.meta.action,
                    ),
                    transit_gateway: Link::To(
                        TransitGatewayId(u32::try_from(n).unwrap_or(0)),
                        LinkHow::Reference,
                    ),
                    is_default: true,
                    synthesized: true,
                    associations: Vec::new(),
                    propagations: Vec::new(),
                    routes: Vec::new(),
                });
            }
        }
        let mut trts: Vec<TgwRouteTable> = trts.into_iter().flatten().collect();
        // Default association / propagation.
        for (n, a) in atts.iter().enumerate() {
            let aid = TgwAttachmentId(u32::try_from(n).unwrap_or(0));
            let t = match &a.transit_gateway {
                Link::To(t, _) => *t,
                // A VPN connection's attachment to a gateway not known may be associated
                // with and propagate into the default route table of any: kept apart, as
                // an association and a propagation whose table is not known.
                Link::Unresolved(why) if matches!(a.kind, TgwAttachmentKind::Vpn { .. }) => {
                    let why = format!(
                        "its transit gateway is not known at plan time ({why}), and it may be associated with and propagate into that gateway's default route table"
                    );
                    for kind in [UnplacedTgwKind::Association, UnplacedTgwKind::Propagation] {
                        m.unplaced_tgw.push(UnplacedTgw {
                            address: a.meta.address.to_string(),
                            why: why.clone(),
                            kind: kind(Link::To(aid, LinkHow::Reference)),
                            among: Vec::new(),
                        });
                    }
                    continue;
                }
                _ => continue,
            };
            let Some(tg) = m.transit_gateways.get(t.index()) else {
                continue;
            };
            let Some(rid) = tg.default_route_table else {
                continue;
            };
            if let Some(rt) = trts.get_mut(rid.index()) {
                if tg.default_association && a.default_association {
                    rt.associations.push((
                        a.meta.address.to_string(),
                        Link::To(aid, LinkHow::Reference),
                    ));
                }
                if tg.default_propagation && a.default_propagation {
                    rt.propagations.push((
                        a.meta.address.to_string(),
                        Link::To(aid, LinkHow::Reference),
                    ));
                }
            }
        }
        // Associations that take an attachment away from the table it is associated with by
        // default (`replace_existing_association`): the attachment, and the table it goes to.
        let mut replacing: Vec<(TgwAttachmentId, TgwRouteTableId)> = Vec::new();
        for (ty, is_assoc) in [
            ("aws_ec2_transit_gateway_route_table_association", true),
            ("aws_ec2_transit_gateway_route_table_propagation", false),
        ] {
            for i in self.insts(ty) {
                let a = self.link(i, "transit_gateway_attachment_id", TGW_ATT);
                let r = self.link(i, "transit_gateway_route_table_id", TGW_RTB);
                let addr = self.inst(i).address.to_string();
                let al = self.conv(&a, &att_ids, TgwAttachmentId);
                let replace =
                    is_assoc && self.inst(i).bool("replace_existing_association") == Some(true);
                match self.conv(&r, &tgw_rtb_ids, TgwRouteTableId) {
                    Link::To(rid, _) => {
                        if let Some(rt) = trts.get_mut(rid.index()) {
                            if let (true, Link::To(aid, _)) = (replace, &al) {
                                replacing.push((*aid, rid));
                            }
                            if is_assoc {
                                rt.associations.push((addr, al));
                            } else {
                                rt.propagations.push((addr, al));
                            }
                        }
                    }
                    Link::Unresolved(why) => {
                        self.diag(
                            &addr,
                            "not linked to a transit gateway route table of this plan".to_string(),
                        );
                        m.unplaced_tgw.push(UnplacedTgw {
                            address: addr,
                            why,
                            kind: if is_assoc {
                                UnplacedTgwKind::Association(al)
                            } else {
                                UnplacedTgwKind::Propagation(al)
                            },
                            among: self.tgw_table_among(i, &tgw_rtb_ids),
                        });
                    }
                    _ => self.diag(
                        &addr,
                        "not linked to a transit gateway route table of this plan".to_string(),
                    ),
                }
            }
        }
        // AWS associates an attachment with one table: such an association removes the
        // attachment's default association before it associates it elsewhere.
        for (aid, rid) in replacing {
            let Some(att) = atts.get(aid.index()) else {
                continue;
            };
            for (n, rt) in trts.iter_mut().enumerate() {
                if n != rid.index() {
                    rt.associations.retain(|(address, l)| {
                        !(l.id() == Some(aid) && *address == att.meta.address)
                    });
                }
            }
        }
        for i in self.insts("aws_ec2_transit_gateway_route") {
            let r = self.link(i, "transit_gateway_route_table_id", TGW_RTB);
            let blackhole = self.inst(i).bool("blackhole").unwrap_or(false);
            let a = if blackhole {
                None
            } else {
                Some(self.link(i, "transit_gateway_attachment_id", TGW_ATT))
            };
            let inst = self.inst(i);
            let dest = match inst.str("destination_cidr_block") {
                Some(s) => any_block(s, inst.address),
                None => AnyBlock::V4(unknown_block(
                    unknown_reason(inst.address, "destination_cidr_block"),
                    None,
                    None,
                )),
            };
            let route = TgwRoute {
                address: inst.address.to_string(),
                action: inst.action,
                destination: dest,
                attachment: a.map(|a| self.conv(&a, &att_ids, TgwAttachmentId)),
            };
            let addr = inst.address.to_string();
            match self.conv(&r, &tgw_rtb_ids, TgwRouteTableId) {
                Link::To(rid, _) => {
                    if let Some(rt) = trts.get_mut(rid.index()) {
                        rt.routes.push(route);
                    }
                }
                Link::Unresolved(why) => {
                    self.diag(
                        &addr,
                        "TGW route not linked to a route table of this plan".to_string(),
                    );
                    m.unplaced_tgw.push(UnplacedTgw {
                        address: addr,
                        why,
                        kind: UnplacedTgwKind::Route(route),
                        among: self.tgw_table_among(i, &tgw_rtb_ids),
                    });
                }
                _ => self.diag(
                    &addr,
                    "TGW route not linked to a route table of this plan".to_string(),
                ),
            }
        }
        for rt in &mut trts {
            rt.associations.sort_by(|a, b| a.0.cmp(&b.0));
            rt.propagations.sort_by(|a, b| a.0.cmp(&b.0));
            rt.routes.sort_by(|a, b| a.address.cmp(&b.address));
        }
        m.tgw_attachments = atts;
        m.tgw_route_tables = trts;

        // ---- Peering
        for i in self.insts("aws_vpc_peering_connection") {
            let r = self.link(i, "vpc_id", VPC);
            let a = self.link(i, "peer_vpc_id", VPC);
            let inst = self.inst(i);
            m.peerings.push(Peering {
                meta: meta(inst),
                requester: self.conv(&r, &vpc_ids, VpcId),
                accepter: self.conv(&a, &vpc_ids, VpcId),
                accepted: inst.bool("auto_accept").unwrap_or(false)
                    || inst.str("accept_status") == Some("active"),
                accepter_resource: None,
                accept_unknown: None,
                cross_region: self.cross_region(i, &r),
            });
        }
        sort_by_addr(&mut m.peerings, |x| &x.meta.address);
        let mut unsure_accepter: Option<String> = None;
        for i in self.insts("aws_vpc_peering_connection_accepter") {
            let p = self.link(
                i,
                "vpc_peering_connection_id",
                &["aws_vpc_peering_connection"],
            );
            let inst = self.inst(i);
            let auto = inst.bool("auto_accept").unwrap_or(false);
            let addr = inst.address.to_string();
            match self.conv(&p, &pcx_ids, PeeringId) {
                Link::To(pid, _) => {
                    if let Some(pc) = m.peerings.get_mut(pid.index()) {
                        pc.accepted |= auto;
                        pc.accepter_resource = Some(addr);
                    }
                }
                link => {
                    if let (Link::Unresolved(why), true) = (link, auto) {
                        let why = format!(
                            "`{addr}` accepts a peering connection not known at plan time, which may be this one ({why})"
                        );
                        unsure_accepter.get_or_insert(why);
                    }
                    self.diag(
                        &addr,
                        "peering accepter not linked to a peering connection of this plan"
                            .to_string(),
                    )
                }
            }
        }
        if let Some(why) = unsure_accepter {
            for pc in m.peerings.iter_mut().filter(|p| !p.accepted) {
                pc.accept_unknown = Some(why.clone());
            }
        }

        // ---- Endpoints
        // Declaring address, table, endpoint, and the tables a table not known may be.
        let mut endpoint_routes: Vec<(String, LinkA, u32, Vec<LinkA>)> = Vec::new();
        for i in self.insts("aws_vpc_endpoint") {
            let v = self.link(i, "vpc_id", VPC);
            let rts: Vec<LinkA> = self
                .link_list_own(i, "route_table_ids", RTB_REF)
                .into_iter()
                .map(main_table)
                .collect();
            let sns = self.link_list_own(i, "subnet_ids", SUBNET);
            // Without an expression, AWS's view of the default group and the associations.
            let sgs: Vec<LinkA> = self
                .link_list_own(i, "security_group_ids", SG_REF)
                .into_iter()
                .map(group)
                .collect();
            let inst = self.inst(i);
            let kind = match inst.str("vpc_endpoint_type") {
                Some("Interface") => EndpointKind::Interface,
                Some("GatewayLoadBalancer") => EndpointKind::GatewayLoadBalancer,
                Some("Resource") => EndpointKind::Resource,
                Some("ServiceNetwork") => EndpointKind::ServiceNetwork,
                _ => EndpointKind::Gateway,
            };
            // A VPC Lattice endpoint has no service name: it names what it reaches by ARN.
            let name_attr = match kind {
                EndpointKind::Resource => "resource_configuration_arn",
                EndpointKind::ServiceNetwork => "service_network_arn",
                _ => "service_name",
            };
            let service_name = match inst.str(name_attr) {
                Some(s) => Val::Known(s.to_string()),
                None => Val::Unknown(unknown_reason(inst.address, name_attr)),
            };
            let service = service_name
                .known()
                .filter(|_| name_attr == "service_name")
                .map(|s| short_service(s));
            let eid = vpce_ids.of(i, inst.address).unwrap_or(0);
            let addr = inst.address.to_string();
            for l in &rts {
                let among = match l {
                    LinkA::Unresolved(_) => self
                        .list_among(i, "route_table_ids", RTB_REF)
                        .into_iter()
                        .map(|c| main_table(LinkA::To(c, LinkHow::Inferred)))
                        .collect(),
                    _ => Vec::new(),
                };
                endpoint_routes.push((addr.clone(), l.clone(), eid, among));
            }
            m.endpoints.push(VpcEndpoint {
                meta: meta(inst),
                vpc: self.conv(&v, &vpc_ids, VpcId),
                kind,
                service_name,
                service,
                route_tables: rts
                    .iter()
                    .map(|l| (addr.clone(), self.conv(l, &rtb_ids, RouteTableId)))
                    .collect(),
                subnets: sns
                    .iter()
                    .map(|l| (addr.clone(), self.conv(l, &subnet_ids, SubnetId)))
                    .collect(),
                security_groups: sgs
                    .iter()
                    .map(|l| self.conv(l, &sg_ids, SecurityGroupId))
                    .collect(),
                private_dns_enabled: inst.bool("private_dns_enabled").unwrap_or(false),
                attached_security_groups: Vec::new(),
                replaces_default_group: false,
                ip_address_type: inst.str("ip_address_type").map(str::to_string),
            });
        }
        for i in self.insts("aws_networkfirewall_firewall") {
            let v = self.link(i, "vpc_id", VPC);
            let inst = self.inst(i);
            let addr = inst.address.to_string();
            let subnets = block_objects(inst, "subnet_mapping")
                .iter()
                .map(|(obj, unk, expr)| {
                    let l = self.link_in_block(i, obj, unk, *expr, "subnet_id", SUBNET);
                    (addr.clone(), self.conv(&l, &subnet_ids, SubnetId))
                })
                .collect();
            m.endpoints.push(VpcEndpoint {
                meta: meta(inst),
                vpc: self.conv(&v, &vpc_ids, VpcId),
                kind: EndpointKind::GatewayLoadBalancer,
                service_name: Val::Known("AWS Network Firewall".to_string()),
                service: None,
                route_tables: Vec::new(),
                subnets,
                security_groups: Vec::new(),
                private_dns_enabled: false,
                attached_security_groups: Vec::new(),
                replaces_default_group: false,
                ip_address_type: None,
            });
        }
        sort_by_addr(&mut m.endpoints, |x| &x.meta.address);
        for i in self.insts("aws_vpc_endpoint_security_group_association") {
            let e = self.link(i, "vpc_endpoint_id", VPCE);
            let g = group(self.link(i, "security_group_id", SG_REF));
            let inst = self.inst(i);
            let address = inst.address.to_string();
            let replaces = inst.bool("replace_default_association").unwrap_or(false);
            match self.conv(&e, &vpce_ids, EndpointId) {
                Link::To(e, _) => {
                    if let Some(ep) = m.endpoints.get_mut(e.index()) {
                        ep.attached_security_groups
                            .push((address, self.conv(&g, &sg_ids, SecurityGroupId)));
                        ep.replaces_default_group |= replaces;
                    }
                }
                Link::Unresolved(r) => {
                    m.unplaced_group_attachments.push(UnplacedGroupAttachment {
                        address: address.clone(),
                        group: self.conv(&g, &sg_ids, SecurityGroupId),
                        to_endpoint: true,
                        why: r.clone(),
                        among: self.among_addresses(i, "vpc_endpoint_id", VPCE),
                    });
                    self.diag(&address, r)
                }
                Link::None | Link::External(_) => {}
            }
        }
        for ep in &mut m.endpoints {
            ep.attached_security_groups.sort_by(|a, b| a.0.cmp(&b.0));
        }
        for (ty, attr, want) in [
            (
                "aws_vpc_endpoint_route_table_association",
                "route_table_id",
                RTB_REF,
            ),
            ("aws_vpc_endpoint_subnet_association", "subnet_id", SUBNET),
        ] {
            for i in self.insts(ty) {
                let e = self.link(i, "vpc_endpoint_id", VPCE);
                let x = main_table(self.link(i, attr, want));
                let addr = self.inst(i).address.to_string();
                match self.conv(&e, &vpce_ids, EndpointId) {
                    Link::To(eid, _) => {
                        if ty == "aws_vpc_endpoint_route_table_association" {
                            let among = match x {
                                LinkA::Unresolved(_) => self
                                    .among(i, attr, want)
                                    .into_iter()
                                    .map(|c| main_table(LinkA::To(c, LinkHow::Inferred)))
                                    .collect(),
                                _ => Vec::new(),
                            };
                            endpoint_routes.push((addr.clone(), x.clone(), eid.0, among));
                            let l = self.conv(&x, &rtb_ids, RouteTableId);
                            if let Some(ep) = m.endpoints.get_mut(eid.index()) {
                                ep.route_tables.push((addr, l));
                            }
                        } else {
                            let l = self.conv(&x, &subnet_ids, SubnetId);
                            if let Some(ep) = m.endpoints.get_mut(eid.index()) {
                                ep.subnets.push((addr, l));
                            }
                        }
                    }
                    e => {
                        if let (Link::Unresolved(why), "aws_vpc_endpoint_route_table_association") =
                            (e, ty)
                        {
                            // The endpoints it may be of, when its references name them all.
                            let among = self
                                .among(i, "vpc_endpoint_id", VPCE)
                                .into_iter()
                                .map(|c| {
                                    self.conv(
                                        &LinkA::To(c, LinkHow::Inferred),
                                        &vpce_ids,
                                        EndpointId,
                                    )
                                    .id()
                                })
                                .collect::<Option<Vec<EndpointId>>>()
                                .unwrap_or_default();
                            m.unresolved_endpoint_routes.push(UnresolvedEndpointRoute {
                                address: addr.clone(),
                                table: self.conv(&x, &rtb_ids, RouteTableId),
                                why,
                                among,
                            });
                        }
                        self.diag(
                            &addr,
                            "endpoint association not linked to an endpoint of this plan"
                                .to_string(),
                        )
                    }
                }
            }
        }
        for (decl, table, eid, table_among) in endpoint_routes {
            let Some(ep) = m.endpoints.get(eid as usize) else {
                continue;
            };
            if ep.kind != EndpointKind::Gateway {
                continue;
            }
            let svc = ep.service.clone().unwrap_or_else(|| "unknown".to_string());
            // A table not known at plan time: the route is in no table, its own (the
            // engine takes it as maybe in any table of the endpoint's VPC).
            let address = match (self.target_addr(&table), &table) {
                (Some(t), _) => format!("{t} service:{svc} via {decl}"),
                (None, LinkA::Unresolved(_)) => format!("{decl} service:{svc}"),
                (None, _) => continue,
            };
            routes.push(RouteA {
                address,
                action: ep.meta.action,
                table: table.clone(),
                table_among,
                destination: Destination::Service(svc),
                target: TargetA::Service(LinkA::ToAddr(
                    ep.meta.address.to_string(),
                    LinkHow::Reference,
                )),
                origin: RouteOrigin::Endpoint(decl),
            });
        }
        for i in self.insts("aws_ec2_instance_connect_endpoint") {
            let s = self.link(i, "subnet_id", SUBNET);
            let sgs: Vec<LinkA> = self
                .link_list(i, "security_group_ids", SG_REF)
                .into_iter()
                .map(group)
                .collect();
            let inst = self.inst(i);
            m.instance_connect_endpoints.push(InstanceConnectEndpoint {
                meta: meta(inst),
                subnet: self.conv(&s, &subnet_ids, SubnetId),
                security_groups: sgs
                    .iter()
                    .map(|l| self.conv(l, &sg_ids, SecurityGroupId))
                    .collect(),
                preserve_client_ip: inst.bool("preserve_client_ip").unwrap_or(true),
            });
        }
        sort_by_addr(&mut m.instance_connect_endpoints, |x| &x.meta.address);
        self.endpoint_services(&mut m);

        // ---- NACLs and security groups (on another thread), prefix lists, API Gateway
        // Each side's conversions are cut into pieces of at most [`SHARED_CHUNK`]: when one
        // side is done first, its thread takes the other's pieces that are left (rayon
        // splits a conversion begun while the other thread is busy only a few times).
        let vpcs = std::mem::take(&mut m.vpcs);
        let ((nacls, security_groups), mut m) = rayon::join(
            || {
                self.filters(
                    &vpcs,
                    places,
                    &nacl_ids,
                    &default_nacls,
                    &synth_nacl,
                    &sg_ids,
                    &default_sgs,
                    &synth_sg,
                    &synth_remote,
                    &pl_ids,
                )
            },
            || {
                let mut m = m;
                // ---- Prefix lists, API Gateway
                for i in PL.iter().flat_map(|t| self.insts(t)) {
                    let inst = self.inst(i);
                    // `data.aws_prefix_list`: an AWS-managed list's CIDRs, one family.
                    let cidrs = obj_strs(inst.values, "cidr_blocks");
                    let family = if inst.str("address_family") == Some("IPv6")
                        || cidrs.first().is_some_and(|c| c.contains(':'))
                    {
                        Family::Ipv6
                    } else {
                        Family::Ipv4
                    };
                    // `data.aws_ec2_managed_prefix_list` lists its entries in `entries`.
                    let attr = if inst.data { "entries" } else { "entry" };
                    let mut entries: Vec<AnyBlock> = block_objects(inst, attr)
                        .iter()
                        .map(|(o, _, e)| {
                            // The block's own expression, else the whole attribute's
                            // (Terraform gives only that when a block holds an unknown value).
                            let expr = e.and_then(|e| e.get("cidr")).or(inst.expr(attr));
                            entry_block(
                                obj_str(o, "cidr"),
                                family,
                                inst.address,
                                "entry.cidr",
                                || self.cidr_place(i, expr, places),
                            )
                        })
                        .collect();
                    entries.extend(cidrs.iter().map(|c| {
                        entry_block(Some(c), family, inst.address, "cidr_blocks", || None)
                    }));
                    // Without `entry` in the configuration: `dynamic "entry"` blocks, or
                    // AWS's view of a list whose entries are resources (see `Views`).
                    if inst.config.is_some()
                        && !inst.data
                        && inst.expr("entry").is_none()
                        && !entries.is_empty()
                    {
                        self.view(inst.address, "entry");
                    }
                    let unknown = inst.is_unknown("entry").then(|| {
                        format!(
                            "the entries of prefix list `{}` are known only after apply",
                            inst.address
                        )
                    });
                    m.prefix_lists.push(PrefixList {
                        meta: meta(inst),
                        name: inst.str("name").map(str::to_string),
                        family,
                        entries,
                        entry_resources: Vec::new(),
                        unknown,
                    });
                }
                for (a, i) in &endpoint_lists {
                    let inst = self.inst(*i);
                    m.prefix_lists.push(PrefixList {
                        meta: synth_meta(a.clone(), inst.action),
                        name: inst.str("service_name").map(str::to_string),
                        family: Family::Ipv4,
                        entries: Vec::new(),
                        entry_resources: Vec::new(),
                        unknown: None,
                    });
                }
                sort_by_addr(&mut m.prefix_lists, |x| &x.meta.address);
                for i in self.insts("aws_ec2_managed_prefix_list_entry") {
                    let l = self.link(i, "prefix_list_id", PL);
                    let inst = self.inst(i);
                    let addr = inst.address.to_string();
                    match self.conv(&l, &pl_ids, PrefixListId) {
                        Link::To(p, _) => {
                            if let Some(list) = m.prefix_lists.get_mut(p.index()) {
                                let b = entry_block(
                                    inst.str("cidr"),
                                    list.family,
                                    &addr,
                                    "cidr",
                                    || self.cidr_place(i, inst.expr("cidr"), places),
                                );
                                list.entry_resources.push((addr, b));
                                // A list's entries are its blocks or resources, never both:
                                // with resources, its own `entry` attribute is their view.
                                list.unknown = None;
                            }
                        }
                        // A list outside the plan: nothing modelled to add the entry to.
                        Link::External(_) | Link::None => {}
                        Link::Unresolved(r) => self.diag(&addr, r),
                    }
                }
                for list in &mut m.prefix_lists {
                    list.entry_resources.sort_by(|a, b| a.0.cmp(&b.0));
                }
                self.tgw_prefix_list_references(&mut m, &pl_ids, &att_ids, &tgw_rtb_ids);
                m.unplaced_tgw.sort_by(|a, b| a.address.cmp(&b.address));
                let mut stage_by_name: HashMap<(String, String), usize> = HashMap::default();
                for i in self.insts("aws_api_gateway_stage") {
                    let inst = self.inst(i);
                    if let Some(n) = inst.str("stage_name") {
                        stage_by_name.insert(
                            (
                                inst.str("rest_api_id").unwrap_or("").to_string(),
                                n.to_string(),
                            ),
                            i,
                        );
                    }
                    m.api_stages.push(ApiStage {
                        meta: meta(inst),
                        stage_name: inst.str("stage_name").map(str::to_string),
                        cache_cluster_enabled: inst.bool("cache_cluster_enabled").unwrap_or(false),
                    });
                }
                sort_by_addr(&mut m.api_stages, |x| &x.meta.address);
                m.eks_public_endpoints = self.eks_public_endpoints();
                for i in self.insts("aws_api_gateway_method_settings") {
                    let inst = self.inst(i);
                    let stage = match inst.str("stage_name") {
                        Some(n) => {
                            let api = inst.str("rest_api_id").unwrap_or("").to_string();
                            let by_name = stage_by_name.get(&(api, n.to_string())).copied();
                            let by_ref = {
                                let res =
                                    self.side.resolve_attr(self.cfg, i, "stage_name", STAGE, 0);
                                res.hits.first().copied()
                            };
                            match (by_ref, by_name) {
                                (Some((s, how)), _) => LinkA::To(s, how),
                                (None, Some(s)) => LinkA::To(s, LinkHow::Id),
                                (None, None) => LinkA::External(n.to_string()),
                            }
                        }
                        None => self.link(i, "stage_name", STAGE),
                    };
                    let inst = self.inst(i);
                    let settings = block_objects(inst, "settings");
                    let first: &Value = settings.first().map_or(&Value::Null, |(o, _, _)| o);
                    let ttl = match obj_i64(first, "cache_ttl_in_seconds") {
                        Some(n) => Some(Val::Known(n)),
                        None if first.get("cache_ttl_in_seconds").is_none()
                            && settings.first().is_some_and(|(_, u, _)| {
                                u.get("cache_ttl_in_seconds").is_some()
                            }) =>
                        {
                            Some(Val::Unknown(unknown_reason(
                                inst.address,
                                "settings.cache_ttl_in_seconds",
                            )))
                        }
                        None => None,
                    };
                    m.api_method_settings.push(ApiMethodSettings {
                        meta: meta(inst),
                        stage: self.conv(&stage, &stage_ids, ApiStageId),
                        method_path: inst.str("method_path").map(str::to_string),
                        caching_enabled: obj_bool(first, "caching_enabled"),
                        cache_ttl_in_seconds: ttl,
                    });
                }
                sort_by_addr(&mut m.api_method_settings, |x| &x.meta.address);

                // ---- Routes: local routes, then everything sorted and attached to tables.
                let mut final_routes: Vec<Route> = Vec::new();
                for t in &tables {
                    let Link::To(v, _) = t.vpc else { continue };
                    let Some(vpc) = vpcs.get(v.index()) else {
                        continue;
                    };
                    // Looked up by the table's own address (not cut back out of the route's, which
                    // a key containing " local " would cut short).
                    let table = self.conv(
                        &LinkA::ToAddr(t.meta.address.clone(), LinkHow::Reference),
                        &rtb_ids,
                        RouteTableId,
                    );
                    for (n, b) in vpc.ipv4.iter().enumerate() {
                        let name = match &b.block {
                            Block::Known(c) => c.to_string(),
                            Block::Unknown(_) => format!("ipv4[{n}]"),
                        };
                        final_routes.push(Route {
                            address: format!("{} local {name}", t.meta.address),
                            action: t.meta.action,
                            table: table.clone(),
                            table_among: Vec::new(),
                            destination: Destination::Cidr(AnyBlock::V4(b.block.clone())),
                            target: Target::Local,
                            origin: RouteOrigin::Local,
                        });
                    }
                    for (n, b) in vpc.ipv6.iter().enumerate() {
                        let name = match &b.block {
                            Block::Known(c) => c.to_string(),
                            Block::Unknown(_) => format!("ipv6[{n}]"),
                        };
                        final_routes.push(Route {
                            address: format!("{} local {name}", t.meta.address),
                            action: t.meta.action,
                            table: table.clone(),
                            table_among: Vec::new(),
                            destination: Destination::Cidr(AnyBlock::V6(b.block.clone())),
                            target: Target::Local,
                            origin: RouteOrigin::Local,
                        });
                    }
                }
                let converted: Vec<Route> = routes
                    .into_par_iter()
                    .with_min_len(256)
                    .with_max_len(4 * SHARED_CHUNK)
                    .map(|r| {
                        let target = match r.target {
                            TargetA::Local => Target::Local,
                            TargetA::Missing => Target::Missing,
                            TargetA::Other { attribute, value } => {
                                Target::Other { attribute, value }
                            }
                            TargetA::Unresolved { attribute, reason } => {
                                Target::Unresolved { attribute, reason }
                            }
                            TargetA::Service(l) => {
                                Target::Endpoint(self.conv(&l, &vpce_ids, EndpointId))
                            }
                            TargetA::Link("gw-id", LinkA::ToAddr(g, how)) => {
                                let id = g.trim_start_matches("#gw").parse().unwrap_or(0);
                                Target::Gateway(Link::To(GatewayId(id), how))
                            }
                            TargetA::Link(attr, l) => self.make_target(
                                attr, &l, &gw_ids, &nat_ids, &tgw_ids, &pcx_ids, &vpce_ids, &wl_ids,
                            ),
                        };
                        let table = self.conv(&r.table, &rtb_ids, RouteTableId);
                        // Every table it may be, or none when one is not modelled.
                        let table_among = r
                            .table_among
                            .iter()
                            .map(|l| self.conv(l, &rtb_ids, RouteTableId).id())
                            .collect::<Option<Vec<RouteTableId>>>()
                            .unwrap_or_default();
                        Route {
                            address: r.address,
                            action: r.action,
                            table,
                            table_among,
                            destination: r.destination,
                            target,
                            origin: r.origin,
                        }
                    })
                    .collect();
                final_routes.extend(converted);
                drop_repeated_inline_routes(&mut final_routes);
                final_routes.par_sort_by(|a, b| a.address.cmp(&b.address));
                for (n, r) in final_routes.iter().enumerate() {
                    if let Link::To(t, _) = r.table {
                        if let Some(tb) = tables.get_mut(t.index()) {
                            tb.routes.push(RouteId(u32::try_from(n).unwrap_or(0)));
                        }
                    } else if r.origin == RouteOrigin::Resource {
                        self.diag(
                            &r.address.to_string(),
                            "route not linked to a route table of this plan".to_string(),
                        );
                    }
                }
                for t in &mut tables {
                    t.edge_associations.sort_by(|a, b| a.0.cmp(&b.0));
                }
                m.routes = final_routes;
                m.route_tables = tables;
                m
            },
        );
        m.vpcs = vpcs;
        m.nacls = nacls;
        undecided_nacls(&mut m);
        m.security_groups = security_groups;
        vpn_gateway_routes(&mut m);
        m
    }

    /// `aws_vpc_endpoint_service` with its load balancers and allowed principals (its own
    /// `allowed_principals` and `aws_vpc_endpoint_service_allowed_principal` resources).
    fn endpoint_services(&self, m: &mut Model) {
        let services = self.insts("aws_vpc_endpoint_service");
        let mut out: Vec<EndpointService> = services
            .iter()
            .map(|&i| {
                let inst = self.inst(i);
                let load_balancers = ["network_load_balancer_arns", "gateway_load_balancer_arns"]
                    .into_iter()
                    .flat_map(|a| self.link_list(i, a, &["aws_lb"]))
                    .filter_map(|l| match l {
                        LinkA::External(arn) => Some(arn),
                        l => self.target_addr(&l),
                    })
                    .collect();
                let address = inst.address.to_string();
                // Computed when not set: then AWS allows no one.
                let allowed_principals = if inst.is_unknown("allowed_principals")
                    && inst.expr("allowed_principals").is_some()
                {
                    vec![(
                        address.clone(),
                        Val::Unknown(unknown_reason(inst.address, "allowed_principals")),
                    )]
                } else {
                    inst.list("allowed_principals")
                        .iter()
                        .filter_map(Value::as_str)
                        .map(|p| (address.clone(), Val::Known(p.to_string())))
                        .collect()
                };
                EndpointService {
                    meta: meta(inst),
                    acceptance_required: match inst.bool("acceptance_required") {
                        Some(b) => Val::Known(b),
                        None => Val::Unknown(unknown_reason(inst.address, "acceptance_required")),
                    },
                    allowed_principals,
                    load_balancers,
                }
            })
            .collect();
        for i in self.insts("aws_vpc_endpoint_service_allowed_principal") {
            let l = self.link(i, "vpc_endpoint_service_id", &["aws_vpc_endpoint_service"]);
            let inst = self.inst(i);
            let principal = match inst.str("principal_arn") {
                Some(p) => Val::Known(p.to_string()),
                None => Val::Unknown(unknown_reason(inst.address, "principal_arn")),
            };
            let service = match &l {
                LinkA::To(s, _) => services.iter().position(|x| x == s),
                _ => None,
            };
            match service.and_then(|k| out.get_mut(k)) {
                Some(svc) => svc
                    .allowed_principals
                    .push((inst.address.to_string(), principal)),
                None => self.diag(
                    inst.address,
                    "allowed principal not linked to an endpoint service of this plan".to_string(),
                ),
            }
        }
        sort_by_addr(&mut out, |x| &x.meta.address);
        m.endpoint_services = out;
    }

    /// The NACLs and the security groups, with their rules. They read only the VPCs and the
    /// ids, so [`Self::run`] builds them on another thread while it builds the prefix lists
    /// and the routes: the rest of the build is mostly on one thread.
    #[allow(clippy::too_many_arguments)]
    fn filters(
        &self,
        vpcs: &[Vpc],
        places: Places<'_>,
        nacl_ids: &Ids,
        default_nacls: &[(usize, LinkA)],
        synth_nacl: &[(String, usize)],
        sg_ids: &Ids,
        default_sgs: &[(usize, LinkA)],
        synth_sg: &[(String, usize)],
        synth_remote: &[(String, usize)],
        pl_ids: &Ids,
    ) -> (Vec<Nacl>, Vec<SecurityGroup>) {
        let vpc_ids = places.vpcs;
        // ---- NACLs
        let default_nacl_vpc: HashMap<String, LinkA> = default_nacls
            .iter()
            .map(|(i, l)| (self.inst(*i).address.to_string(), l.clone()))
            .collect();
        let managed = self.by_vpc(default_nacls);
        let default_acl = |l: LinkA| self.implicit_part(l, &managed, "default network ACL");
        // Each NACL with its inline rules.
        let mut nacls = self.made_at_ids(NACL, nacl_ids, |t, i, addr| {
            let vl = match default_nacl_vpc.get(addr) {
                Some(l) => l.clone(),
                None => self.link(i, "vpc_id", VPC),
            };
            let inst = self.inst(i);
            let mut ingress = Vec::new();
            let mut egress = Vec::new();
            for (dir, out) in [("ingress", &mut ingress), ("egress", &mut egress)] {
                let blocks = block_objects(inst, dir);
                // Without the attribute in the configuration: `dynamic` blocks, or AWS's
                // view of a NACL whose rules are `aws_network_acl_rule`s (see `Views`).
                if inst.config.is_some() && inst.expr(dir).is_none() && !blocks.is_empty() {
                    self.view(addr, dir);
                }
                for (n, (obj, unk, e)) in blocks.into_iter().enumerate() {
                    let mut rules = nacl_rule(
                        format!("{addr} {dir}[{n}]"),
                        inst.action,
                        &obj,
                        &unk,
                        e,
                        "rule_no",
                        "action",
                        addr,
                        // The block's own expression; Terraform gives only the whole
                        // attribute's references when a block holds an unknown value.
                        &|k| {
                            let own = e.and_then(|e| e.get(k));
                            self.cidr_place(i, own.or(inst.expr(dir)), places)
                        },
                    );
                    name_whole_refs(dir, e, inst.expr(dir), nacl_reasons(&mut rules));
                    out.extend(rules);
                }
            }
            Nacl {
                meta: meta(inst),
                vpc: self.conv(&vl, vpc_ids, VpcId),
                is_default: t == "aws_default_network_acl",
                synthesized: false,
                ingress,
                egress,
            }
        });
        // An `aws_default_network_acl` whose VPC is not known may set the rules of any
        // default NACL it does not otherwise name.
        let unsure_default = default_nacls.iter().find_map(|(i, l)| match l {
            LinkA::Unresolved(why) => Some(format!(
                "`{}` sets the rules of the default network ACL of a VPC not known at plan time, which may be this one ({why})",
                self.inst(*i).address
            )),
            _ => None,
        });
        for (s, v) in synth_nacl {
            let vinst = self.inst(*v);
            let (vpc, has_v6) = self.synth_vpc(*v, vpc_ids, vpcs);
            // The default NACL of a VPC read by a data source may have any rules: one
            // undecided rule per family stands for them.
            let outside = vinst
                .data
                .then(|| {
                    format!(
                        "the rules of the default network ACL of `{}` (read by a data source) are outside this plan",
                        vinst.address
                    )
                })
                .or_else(|| unsure_default.clone());
            let rules = |dir: &str| {
                let mut r = vec![NaclRule {
                    address: format!("{s} {dir} 100"),
                    action: vinst.action,
                    rule_number: 100,
                    allow: true,
                    protocol: Protocol::All,
                    ports: PortRange::ALL,
                    icmp: IcmpMatch::default(),
                    cidr: AnyBlock::V4(match &outside {
                        Some(why) => unknown_block(why.clone(), None, None),
                        None => Block::Known(Ipv4Net::default()),
                    }),
                    unknown: None,
                }];
                let v6 = match &outside {
                    Some(why) => Some(unknown_block(why.clone(), None, None)),
                    None => has_v6.then(|| Block::Known(Ipv6Net::default())),
                };
                if let Some(cidr) = v6 {
                    r.push(NaclRule {
                        address: format!("{s} {dir} 101"),
                        action: vinst.action,
                        rule_number: 101,
                        allow: true,
                        protocol: Protocol::All,
                        ports: PortRange::ALL,
                        icmp: IcmpMatch::default(),
                        cidr: AnyBlock::V6(cidr),
                        unknown: None,
                    });
                }
                r
            };
            let ingress = rules("ingress");
            let egress = rules("egress");
            if let Some(slot) = nacl_ids.get(s).and_then(|id| nacls.get_mut(id as usize)) {
                *slot = Some(Nacl {
                    meta: synth_meta(s.clone(), vinst.action),
                    vpc,
                    is_default: true,
                    synthesized: true,
                    ingress,
                    egress,
                });
            }
        }
        let mut nacls: Vec<Nacl> = nacls.into_iter().flatten().collect();
        for i in self.insts("aws_network_acl_rule") {
            let n = default_acl(self.link(i, "network_acl_id", NACL_REF));
            let inst = self.inst(i);
            let addr = inst.address.to_string();
            let egress = inst.bool("egress").unwrap_or(false);
            let rules = nacl_rule(
                addr.clone(),
                inst.action,
                inst.values,
                inst.unknown,
                inst.config.map(|c| &c.expressions),
                "rule_number",
                "rule_action",
                &addr,
                &|k| self.cidr_place(i, inst.expr(k), places),
            );
            match self.conv(&n, nacl_ids, NaclId) {
                Link::To(nid, _) => {
                    if let Some(nacl) = nacls.get_mut(nid.index()) {
                        if egress {
                            nacl.egress.extend(rules)
                        } else {
                            nacl.ingress.extend(rules)
                        }
                    }
                }
                Link::Unresolved(why) => {
                    self.diag(&addr, why.clone());
                    let unsure = format!(
                        "`{addr}` may be this NACL's rule: its `network_acl_id` is not known ({why})"
                    );
                    // The NACLs it may be of, when the references name them all.
                    let among = self
                        .among(i, "network_acl_id", NACL_REF)
                        .into_iter()
                        .map(|c| {
                            let l = default_acl(LinkA::To(c, LinkHow::Inferred));
                            self.conv(&l, nacl_ids, NaclId)
                                .id()
                                .and_then(|id| nacls.get(id.index()))
                                .map(|n| n.meta.address.clone())
                        })
                        .collect::<Option<Vec<_>>>()
                        .unwrap_or_default();
                    if let Ok(mut out) = self.unplaced_nacl_rules.lock() {
                        out.extend(rules.into_iter().map(|mut rule| {
                            rule.unknown.get_or_insert_with(|| unsure.clone());
                            UnplacedNaclRule {
                                egress,
                                rule,
                                among: among.clone(),
                            }
                        }));
                    }
                }
                _ => self.diag(
                    &addr,
                    "NACL rule not linked to a NACL of this plan".to_string(),
                ),
            }
        }
        for n in &mut nacls {
            n.ingress
                .sort_by(|a, b| (a.rule_number, &a.address).cmp(&(b.rule_number, &b.address)));
            n.egress
                .sort_by(|a, b| (a.rule_number, &a.address).cmp(&(b.rule_number, &b.address)));
        }

        // ---- Security groups
        let default_sg_vpc: HashMap<String, LinkA> = default_sgs
            .iter()
            .map(|(i, l)| (self.inst(*i).address.to_string(), l.clone()))
            .collect();
        // Each group with its inline rules.
        let sgs_out = self.made_at_ids(SG, sg_ids, |t, i, addr| {
            let vl = match default_sg_vpc.get(addr) {
                Some(l) => l.clone(),
                None => self.link(i, "vpc_id", VPC),
            };
            let mut ingress = Vec::new();
            let mut egress = Vec::new();
            let inst = self.inst(i);
            let egress_declared = !block_objects(inst, "egress").is_empty();
            for dir in ["ingress", "egress"] {
                let blocks = block_objects(inst, dir);
                // Without the attribute in the configuration: `dynamic` blocks, or AWS's
                // view of a group whose rules are rule resources (see `Views`).
                if inst.config.is_some() && inst.expr(dir).is_none() && !blocks.is_empty() {
                    self.view(addr, dir);
                }
                let whole = self.whole_attribute_refs(i, dir, &blocks);
                for (n, (obj, unk, expr)) in blocks.into_iter().enumerate() {
                    let mut rules = self.sg_inline_rule(
                        i,
                        format!("{addr} {dir}[{n}]"),
                        &obj,
                        &unk,
                        expr,
                        (sg_ids, pl_ids, places),
                        (&whole, inst.expr(dir)),
                    );
                    name_whole_refs(dir, expr, inst.expr(dir), sg_reasons(&mut rules));
                    if dir == "ingress" {
                        ingress.extend(rules)
                    } else {
                        egress.extend(rules)
                    }
                }
            }
            SecurityGroup {
                meta: meta(inst),
                vpc: self.conv(&vl, vpc_ids, VpcId),
                name: inst.str("name").map(str::to_string),
                is_default: t == "aws_default_security_group",
                synthesized: false,
                ingress,
                egress,
                egress_declared,
            }
        });
        let mut sgs_out = sgs_out;
        // AWS's default group of a VPC whose `aws_default_security_group` is not in the
        // plan, with AWS's rules: everything in from its own members, everything out (IPv6
        // too where the VPC has an IPv6 block).
        for (s, v) in synth_sg {
            let vinst = self.inst(*v);
            let (vpc, has_v6) = self.synth_vpc(*v, vpc_ids, vpcs);
            let rule = |dir: &str, n: usize, peer: SgPeer| SgRule {
                address: format!("{s} {dir}[{n}]"),
                action: vinst.action,
                protocol: Protocol::All,
                ports: PortRange::ALL,
                icmp: IcmpMatch::default(),
                peer,
                description: None,
                unknown: None,
            };
            let mut egress = vec![rule(
                "egress",
                0,
                SgPeer::Cidr(AnyBlock::V4(Block::Known(Ipv4Net::default()))),
            )];
            if has_v6 {
                egress.push(rule(
                    "egress",
                    1,
                    SgPeer::Cidr(AnyBlock::V6(Block::Known(Ipv6Net::default()))),
                ));
            }
            if let Some(slot) = sg_ids.get(s).and_then(|id| sgs_out.get_mut(id as usize)) {
                *slot = Some(SecurityGroup {
                    meta: synth_meta(s.clone(), vinst.action),
                    vpc,
                    name: Some("default".to_string()),
                    is_default: true,
                    synthesized: true,
                    ingress: vec![rule("ingress", 0, SgPeer::SelfGroup)],
                    egress,
                    egress_declared: true,
                });
            }
        }
        for (s, i) in synth_remote {
            if let Some(slot) = sg_ids.get(s).and_then(|id| sgs_out.get_mut(id as usize)) {
                *slot = Some(if self.inst(*i).rtype == "aws_eks_cluster" {
                    self.eks_cluster_group(s, *i, vpc_ids)
                } else {
                    self.eks_remote_access_group(s, *i, vpc_ids, sg_ids)
                });
            }
        }
        let mut sgs_out: Vec<SecurityGroup> = sgs_out.into_iter().flatten().collect();
        self.attach_rules_of(
            &mut sgs_out,
            "aws_security_group_rule",
            sg_ids,
            |i, _, addr| {
                let inst = self.inst(i);
                let egress = inst.str("type") == Some("egress");
                // `source_security_group_id` read as the one entry of an inline rule's
                // `security_groups`.
                let mut obj = inst.values.to_value();
                if let Value::Object(o) = &mut obj {
                    if let Some(s) = o.get("source_security_group_id").cloned() {
                        o.insert("security_groups", Value::Array(vec![s]));
                    }
                }
                let mut expr = inst.config.map(|c| c.expressions.clone());
                if let Some(e) = &mut expr {
                    if let Some(s) = e.get("source_security_group_id").cloned() {
                        e.insert("security_groups", s);
                    }
                }
                // The provider computes it when the configuration leaves it out (a rule of
                // CIDRs, `self` or prefix lists, with which AWS takes no group): unknown in
                // every plan that creates the rule, it names no group then.
                let configured = inst.config.map_or(true, |c| {
                    c.expressions.get("source_security_group_id").is_some()
                });
                let mut unk = inst.unknown.to_value();
                if let (Value::Object(u), true) = (&mut unk, configured) {
                    if let Some(s) = u.get("source_security_group_id").cloned() {
                        u.insert("security_groups", s);
                    }
                }
                let rules = self.sg_inline_rule(
                    i,
                    addr.to_string(),
                    &obj,
                    &unk,
                    expr.as_ref(),
                    (sg_ids, pl_ids, places),
                    (&[None, None], None),
                );
                (egress, rules)
            },
        );
        for (ty, egress) in [
            ("aws_vpc_security_group_ingress_rule", false),
            ("aws_vpc_security_group_egress_rule", true),
        ] {
            self.attach_rules_of(&mut sgs_out, ty, sg_ids, |i, g, addr| {
                let inst = self.inst(i);
                let keys = ["ip_protocol", "from_port", "to_port"];
                let expr = inst.config.map(|c| &c.expressions);
                let unknown = unknown_match(addr, &keys, inst.unknown, expr);
                let [proto, from, to] = keys.map(|k| !inst.is_unknown(k));
                let proto = match proto {
                    true => protocol(inst.str("ip_protocol").unwrap_or("-1")),
                    false => Protocol::All,
                };
                let (ports_r, icmp) = sg_ports(
                    proto,
                    inst.i64("from_port").filter(|_| from && to),
                    inst.i64("to_port").filter(|_| from && to),
                );
                let description = inst.str("description").map(str::to_string);
                let action = inst.action;
                let mut peers = Vec::new();
                if let Some(c) = inst.str("cidr_ipv4") {
                    peers.push(SgPeer::Cidr(any_block(c, addr)));
                }
                if let Some(c) = inst.str("cidr_ipv6") {
                    peers.push(SgPeer::Cidr(any_block(c, addr)));
                }
                let has = |a: &str| inst.str(a).is_some() || inst.expr(a).is_some();
                if has("prefix_list_id") {
                    let l = self.link(i, "prefix_list_id", PL_PEER);
                    peers.push(SgPeer::PrefixList(self.conv(&l, pl_ids, PrefixListId)));
                }
                if has("referenced_security_group_id") {
                    let l = self.group(self.link(i, "referenced_security_group_id", SG_REF));
                    let same = self.target_addr(&l).is_some()
                        && self.target_addr(&l) == self.target_addr(g);
                    peers.push(if same {
                        SgPeer::SelfGroup
                    } else {
                        SgPeer::Group(self.conv(&l, sg_ids, SecurityGroupId))
                    });
                }
                let inst = self.inst(i);
                // A CIDR known only after apply (a reference to a computed block, such as a
                // VPC's Amazon-provided IPv6 block).
                for k in ["cidr_ipv4", "cidr_ipv6"] {
                    let unknown = inst.is_unknown(k)
                        || (peers.is_empty() && inst.str(k).is_none() && inst.expr(k).is_some());
                    if !unknown || inst.str(k).is_some() {
                        continue;
                    }
                    let why = unknown_match(addr, &[k], inst.unknown, expr)
                        .unwrap_or_else(|| unknown_reason(addr, k));
                    let place = self.cidr_place(i, inst.expr(k), places);
                    peers.push(SgPeer::Cidr(if k == "cidr_ipv4" {
                        AnyBlock::V4(placed_block(why, place))
                    } else {
                        AnyBlock::V6(placed_block(why, place))
                    }));
                }
                let rules = peers
                    .into_iter()
                    .map(|peer| SgRule {
                        address: addr.to_string(),
                        action,
                        protocol: proto,
                        ports: ports_r,
                        icmp,
                        peer,
                        description: description.clone(),
                        unknown: unknown.clone(),
                    })
                    .collect();
                (egress, rules)
            });
        }
        // A state (no configuration) lists in a group's `ingress`/`egress` the rules its
        // rule resources add: one rule each, the resource's.
        let read_back: HashSet<&str> = SG
            .iter()
            .flat_map(|t| self.insts(t))
            .map(|i| self.inst(i))
            .filter(|x| x.config.is_none())
            .map(|x| x.address)
            .collect();
        for g in sgs_out
            .iter_mut()
            .filter(|g| read_back.contains(g.meta.address.as_str()))
        {
            drop_repeated_inline_rules(g);
        }
        unsure_default_groups(&mut sgs_out);

        (nacls, sgs_out)
    }

    /// The rules of each instance of `ty`, made on all threads by `make` (given the
    /// instance, the group its `security_group_id` names and its address; giving whether
    /// they are egress rules, and the rules), attached in order to that group.
    fn attach_rules_of(
        &self,
        sgs: &mut [SecurityGroup],
        ty: &str,
        sg_ids: &Ids,
        make: impl Fn(usize, &LinkA, &str) -> (bool, Vec<SgRule>) + Sync,
    ) {
        type Made<'x> = (LinkA, Vec<LinkA>, bool, Vec<SgRule>, &'x str);
        let built: Vec<Made<'_>> = self
            .insts(ty)
            .par_iter()
            .with_min_len(64)
            .with_max_len(SHARED_CHUNK)
            .map(|&i| {
                let g = self.group(self.link(i, "security_group_id", SG_REF));
                // The groups a group not known may be, when the references name them all.
                let among = match g {
                    LinkA::Unresolved(_) => self
                        .among(i, "security_group_id", SG_REF)
                        .into_iter()
                        .map(|c| self.group(LinkA::To(c, LinkHow::Inferred)))
                        .collect(),
                    _ => Vec::new(),
                };
                let addr = self.inst(i).address;
                let (egress, rules) = make(i, &g, addr);
                (g, among, egress, rules, addr)
            })
            .collect();
        for (g, among, egress, rules, addr) in built {
            let among = among
                .iter()
                .map(|l| self.conv(l, sg_ids, SecurityGroupId).id())
                .collect::<Option<Vec<_>>>()
                .unwrap_or_default();
            self.attach_sg_rules(sgs, &g, sg_ids, egress, rules, addr, among);
        }
    }

    /// One object per instance of `types`, made on all threads, each at its id in `ids`
    /// (found by the instance's address; `None` where no instance has the id). `make` gets
    /// the type, the instance and its address. Pieces are of at most [`SHARED_CHUNK`]:
    /// [`Self::filters`] runs beside the route conversion.
    fn made_at_ids<T: Send>(
        &self,
        types: &[&str],
        ids: &Ids,
        make: impl Fn(&str, usize, &str) -> T + Sync,
    ) -> Vec<Option<T>> {
        let mut out: Vec<Option<T>> = std::iter::repeat_with(|| None).take(ids.len()).collect();
        for &t in types {
            let built: Vec<(Option<u32>, T)> = self
                .insts(t)
                .par_iter()
                .with_min_len(64)
                .with_max_len(SHARED_CHUNK)
                .map(|&i| {
                    let addr = self.inst(i).address;
                    (ids.get(addr), make(t, i, addr))
                })
                .collect();
            for (id, x) in built {
                if let Some(slot) = id.and_then(|id| out.get_mut(id as usize)) {
                    *slot = Some(x);
                }
            }
        }
        out
    }

    #[allow(clippy::too_many_arguments)]
    fn make_target(
        &self,
        attr: &str,
        l: &LinkA,
        gw: &Ids,
        nat: &Ids,
        tgw: &Ids,
        pcx: &Ids,
        vpce: &Ids,
        wl: &Ids,
    ) -> Target {
        match attr {
            "gateway_id" | "egress_only_gateway_id" => Target::Gateway(self.conv(l, gw, GatewayId)),
            "nat_gateway_id" => Target::NatGateway(self.conv(l, nat, NatGatewayId)),
            "transit_gateway_id" => Target::TransitGateway(self.conv(l, tgw, TransitGatewayId)),
            "vpc_peering_connection_id" => {
                // An accepter resource names the same connection: follow it.
                if let LinkA::To(i, how) = l {
                    let inst = self.inst(*i);
                    if inst.rtype == "aws_vpc_peering_connection_accepter" {
                        return Target::Peering(
                            match self
                                .side
                                .resolve_attr(
                                    self.cfg,
                                    *i,
                                    "vpc_peering_connection_id",
                                    &["aws_vpc_peering_connection"],
                                    0,
                                )
                                .hits
                                .first()
                            {
                                Some((p, h)) => {
                                    self.conv(&LinkA::To(*p, weaker_how(*how, *h)), pcx, PeeringId)
                                }
                                None => Link::Unresolved(format!(
                                    "`{}` names no peering connection of this plan",
                                    inst.address
                                )),
                            },
                        );
                    }
                }
                Target::Peering(self.conv(l, pcx, PeeringId))
            }
            "vpc_endpoint_id" => Target::Endpoint(self.conv(l, vpce, EndpointId)),
            _ => Target::Workload(self.conv(l, wl, WorkloadId)),
        }
    }

    fn route_destination(
        &self,
        obj: &dyn Attrs,
        unk: &dyn Attrs,
        keys: &[&str; 3],
        (pl_ids, places): (&Ids, Places<'_>),
        idx: usize,
        expr: Option<&Map<'_>>,
    ) -> Destination {
        let addr = self.inst(idx).address.to_string();
        if let Some(c) = obj_str(obj, keys[0]) {
            return Destination::Cidr(any_block(c, &addr));
        }
        if let Some(c) = obj_str(obj, keys[1]) {
            return Destination::Cidr(any_block(c, &addr));
        }
        let is_set =
            |k: &str| obj_str(obj, k).is_some() || expr.is_some_and(|e| e.get(k).is_some());
        if is_set(keys[2]) {
            let l = self.link_in_block(idx, obj, unk, expr, keys[2], PL);
            return Destination::PrefixList(self.conv(&l, pl_ids, PrefixListId));
        }
        // A CIDR known only after apply: where it comes from, and the VPC it lies in when
        // it names only CIDR attributes of one (a peer's block is never the internet).
        // An inline `route` block has no expression of its own (terraform writes one for
        // all of the table's routes): its unknown attribute still says the family.
        let unknown = |k: &str| {
            let e = expr.and_then(|e| e.get(k));
            if e.is_none() && unk.attr(k).and_then(Value::as_bool) != Some(true) {
                return None;
            }
            let why =
                unknown_match(&addr, &[k], unk, expr).unwrap_or_else(|| unknown_reason(&addr, k));
            Some((why, self.cidr_place(idx, e, places)))
        };
        if let Some((why, inside)) = unknown(keys[0]) {
            return Destination::Cidr(AnyBlock::V4(placed_block(why, inside)));
        }
        if let Some((why, inside)) = unknown(keys[1]) {
            return Destination::Cidr(AnyBlock::V6(placed_block(why, inside)));
        }
        Destination::Unknown(format!(
            "`{addr}`: the destination is known only after apply"
        ))
    }

    fn route_target(
        &self,
        idx: usize,
        obj: &dyn Attrs,
        unk: &dyn Attrs,
        expr: Option<&Map<'_>>,
        fallback: &[&str],
    ) -> TargetA {
        let configured = |k: &str| {
            expr.is_some_and(|e| {
                e.get(k).is_some_and(|x| {
                    x.get("constant_value")
                        .map_or(true, |c| !c.is_null() && c.as_str() != Some(""))
                })
            })
        };
        let chosen = ROUTE_TARGETS
            .iter()
            .find(|(k, _)| configured(k))
            .or_else(|| {
                ROUTE_TARGETS
                    .iter()
                    .find(|(k, _)| obj_str(obj, k).is_some())
            })
            .or_else(|| {
                ROUTE_TARGETS
                    .iter()
                    .find(|(k, _)| unk.attr(k).and_then(Value::as_bool) == Some(true))
            });
        let Some((attr, want)) = chosen else {
            return TargetA::Missing;
        };
        if let Some(v) = obj_str(obj, attr) {
            if *attr == "gateway_id" && v == "local" {
                return TargetA::Local;
            }
            if want.is_empty() {
                return TargetA::Other {
                    attribute: attr.to_string(),
                    value: v.to_string(),
                };
            }
        }
        if want.is_empty() {
            return TargetA::Other {
                attribute: attr.to_string(),
                value: "(known after apply)".to_string(),
            };
        }
        let l = self.link_in_block_or(idx, obj, unk, expr, attr, want, fallback);
        match (&l, *attr) {
            (LinkA::Unresolved(r), "gateway_id") => TargetA::Unresolved {
                attribute: attr.to_string(),
                reason: r.clone(),
            },
            (LinkA::External(id), "gateway_id")
                if !(id.starts_with("igw-") || id.starts_with("vgw-")) =>
            {
                TargetA::Unresolved {
                    attribute: attr.to_string(),
                    reason: format!(
                        "`{id}` is neither an internet nor a virtual private gateway of this plan"
                    ),
                }
            }
            _ => TargetA::Link(attr, l),
        }
    }

    /// The references of a group's whole `ingress` or `egress` attribute, for the blocks
    /// whose `security_groups` (or `prefix_list_ids`) is unknown, when the blocks cannot
    /// be told apart in the configuration: terraform writes the attribute's expression as
    /// one list of references once any of its values is unknown. Used for one such block,
    /// or for several when all the references name one object.
    fn whole_attribute_refs<'x>(
        &self,
        idx: usize,
        dir: &str,
        blocks: &[BlockObject<'x>],
    ) -> [Option<Vec<String>>; 2] {
        let inst = self.inst(idx);
        let mut out = [None, None];
        let Some(e) = inst.expr(dir) else {
            return out;
        };
        if blocks.iter().any(|(_, _, expr)| expr.is_some()) {
            return out;
        }
        let refs = expression_refs(e);
        if refs.is_empty() {
            return out;
        }
        for (slot, (k, want)) in out
            .iter_mut()
            .zip([("security_groups", SG_REF), ("prefix_list_ids", PL_PEER)])
        {
            let unknown = blocks
                .iter()
                .filter(|(_, unk, _)| fleets::block_unknown(unk.as_ref(), k))
                .count();
            // One block with an unknown list: the references are its own. Several: they
            // are each block's only when every reference of the attribute names one and
            // the same object of the kind (no other reference could make a list unknown).
            let one_object = || {
                let res = self.resolve_refs_of(inst, &refs, want);
                res.reasons.is_empty() && res.external.is_empty() && res.hits.len() == 1
            };
            if unknown == 1 || (unknown > 1 && one_object()) {
                *slot = Some(refs.iter().map(|r| r.to_string()).collect());
            }
        }
        out
    }

    /// Where a rule's CIDR known only after apply lies, when its expression (`expr`) names
    /// only CIDR attributes of VPCs or subnets that are all in one VPC:
    /// `aws_vpc.main.ipv6_cidr_block`, `cidrsubnet(aws_vpc.main.cidr_block, 8, 1)`,
    /// `aws_subnet.app.ipv6_cidr_block`, `aws_subnet.private[*].ipv6_cidr_block` (whose
    /// reference names the whole `aws_subnet.private`). Such a CIDR never covers the whole
    /// internet. When they are all subnets', it lies in one of theirs, and never covers
    /// another subnet of that VPC.
    fn cidr_place(&self, idx: usize, expr: Option<&Value<'_>>, ids: Places<'_>) -> Option<Place> {
        let refs = expression_refs(expr?);
        let inst = self.inst(idx);
        let named: Vec<&str> = longest_forms(&refs)
            .into_iter()
            .filter(|r| !r.starts_with("count.") && !r.starts_with("each."))
            .collect();
        if named.is_empty() {
            return None;
        }
        let cidr = |r: &String| r.ends_with(".cidr_block") || r.ends_with(".ipv6_cidr_block");
        let of_type = |r: &String, types: &[&str]| {
            types
                .iter()
                .any(|t| r.strip_prefix(t).is_some_and(|x| x.starts_with('.')))
        };
        // A whole VPC or subnet: Terraform's references stop at a splat or a `for`
        // (`aws_subnet.private[*].ipv6_cidr_block` names only `aws_subnet.private`). The
        // value passed on is one of its attributes, and in a rule's CIDR field it can only
        // be one that is a CIDR block: the resource's own blocks.
        let whole = |r: &String, types: &[&str]| {
            types.iter().any(|t| {
                let Some(rest) = r.strip_prefix(t).and_then(|x| x.strip_prefix('.')) else {
                    return false;
                };
                let name_len = rest.find('[').unwrap_or(rest.len());
                let (name, index) = rest.split_at(name_len);
                !name.is_empty()
                    && !name.contains('.')
                    && (index.is_empty()
                        || (index.starts_with('[')
                            && index.ends_with(']')
                            && !index.contains("].")))
            })
        };
        let block_of =
            |l: &String, types: &[&str]| (cidr(l) && of_type(l, types)) || whole(l, types);
        let mut vpcs: Vec<LinkA> = Vec::new();
        // The subnets named, while every name is a subnet's.
        let mut subnets: Option<Vec<usize>> = Some(Vec::new());
        for r in &named {
            // Module outputs and inputs followed to the resource attributes they pass on
            // (`module.vpc.vpc_ipv6_cidr_block` is `aws_vpc.this[0].ipv6_cidr_block`):
            // all of them CIDR blocks of VPCs, or all of subnets.
            let leaves = self.side.leaf_refs(self.cfg, &inst.module, &[r], 0)?;
            if leaves.is_empty() {
                return None;
            }
            if leaves.iter().all(|l| block_of(l, VPC)) {
                let res = self.resolve_refs_of(inst, &[r], VPC);
                if res.hits.is_empty() {
                    return None;
                }
                vpcs.extend(res.hits.iter().map(|(i, how)| LinkA::To(*i, *how)));
                subnets = None;
            } else if leaves.iter().all(|l| block_of(l, SUBNET)) {
                let res = self.resolve_refs_of(inst, &[r], SUBNET);
                if res.hits.is_empty() {
                    return None;
                }
                vpcs.extend(res.hits.iter().map(|(i, _)| self.link(*i, "vpc_id", VPC)));
                if let Some(list) = subnets.as_mut() {
                    list.extend(res.hits.iter().map(|(i, _)| *i));
                }
            } else {
                return None;
            }
        }
        let mut vpc_of = vpcs.iter().map(|l| self.conv(l, ids.vpcs, VpcId).id());
        let vpc = vpc_of.next()??;
        if !vpc_of.all(|v| v == Some(vpc)) {
            return None;
        }
        let mut subnets: Vec<SubnetId> = subnets
            .unwrap_or_default()
            .into_iter()
            .map(|i| ids.subnets.of(i, self.inst(i).address).map(SubnetId))
            .collect::<Option<_>>()
            .unwrap_or_default();
        subnets.sort_unstable();
        subnets.dedup();
        Some(Place { vpc, subnets })
    }

    #[allow(clippy::too_many_arguments)]
    fn sg_inline_rule(
        &self,
        idx: usize,
        address: String,
        obj: &Value,
        unk: &Value,
        expr: Option<&Map<'_>>,
        (sg_ids, pl_ids, places): (&Ids, &Ids, Places<'_>),
        (whole, whole_expr): (&[Option<Vec<String>>; 2], Option<&Value<'_>>),
    ) -> Vec<SgRule> {
        let inst = self.inst(idx);
        let action = inst.action;
        let keys = ["protocol", "from_port", "to_port"];
        let unknown = unknown_match(&address, &keys, unk, expr);
        let [proto, from, to] = keys.map(|k| !unknown_at(unk, k));
        let proto = match proto {
            true => protocol(obj_str(obj, "protocol").unwrap_or("-1")),
            false => Protocol::All,
        };
        let (ports_r, icmp) = sg_ports(
            proto,
            obj_i64(obj, "from_port").filter(|_| from && to),
            obj_i64(obj, "to_port").filter(|_| from && to),
        );
        let description = obj_str(obj, "description").map(str::to_string);
        let mut peers = Vec::new();
        for k in ["cidr_blocks", "ipv6_cidr_blocks"] {
            for c in obj_strs(obj, k) {
                peers.push(SgPeer::Cidr(any_block(&c, &address)));
            }
            let unknown = unk.get(k).is_some_and(|u| {
                u.as_bool() == Some(true)
                    || u.as_array()
                        .is_some_and(|a| a.iter().any(|x| x.as_bool() == Some(true)))
            });
            if unknown {
                // The block's own expression; Terraform gives only the whole attribute's
                // references when a block holds an unknown value.
                let e = expr.and_then(|e| e.get(k));
                let reason = unknown_match(&address, &[k], unk, expr)
                    .unwrap_or_else(|| unknown_reason(&address, k));
                let place = self.cidr_place(idx, e.or(whole_expr), places);
                peers.push(SgPeer::Cidr(if k == "cidr_blocks" {
                    AnyBlock::V4(placed_block(reason, place))
                } else {
                    AnyBlock::V6(placed_block(reason, place))
                }));
            }
        }
        if obj_bool(obj, "self") == Some(true) {
            peers.push(SgPeer::SelfGroup);
        }
        for ((k, want), whole) in [("security_groups", SG_REF), ("prefix_list_ids", PL_PEER)]
            .into_iter()
            .zip(whole)
        {
            let mut refs: Refs<'_> = expr
                .and_then(|e| e.get(k))
                .map(expression_refs)
                .unwrap_or_default();
            let mut links: Vec<LinkA> = Vec::new();
            // A group named by its name (in a default VPC): the one a reference of the
            // block, or of the whole attribute, names (its name is the value).
            let named_by = || -> Refs<'_> {
                match (refs.is_empty(), whole, whole_expr) {
                    (false, _, _) => refs.clone(),
                    (true, Some(w), _) => w.iter().map(String::as_str).collect(),
                    (true, None, Some(e)) => expression_refs(e),
                    (true, None, None) => Refs::default(),
                }
            };
            for s in obj_strs(obj, k) {
                links.push(match self.side.by_id(&s, want) {
                    Some(i) => LinkA::To(i, LinkHow::Id),
                    None => match self.side.by_name_in(self.cfg, idx, &named_by(), &s, want) {
                        Some(i) => LinkA::To(i, LinkHow::Reference),
                        None => LinkA::External(s),
                    },
                });
            }
            let unknown = fleets::block_unknown(unk, k);
            // The only block with an unknown list: the whole attribute's references are
            // its own, less those whose IDs are known (they would be in the list).
            let from_whole = refs.is_empty() && unknown && whole.is_some();
            if let (true, Some(w)) = (from_whole, whole) {
                refs = w.iter().map(String::as_str).collect();
            }
            if unknown && !refs.is_empty() {
                let inst = self.inst(idx);
                let mut res = self.resolve_refs_of(inst, &refs, want);
                if from_whole {
                    res.hits.retain(|(i, _)| self.inst(*i).str("id").is_none());
                    res.reasons.clear();
                }
                if res.hits.is_empty() {
                    let reason = format!("`{address}` {k}: {}", res.reasons.join("; "));
                    self.diag(inst.address, reason.clone());
                    links.push(LinkA::Unresolved(reason));
                }
                for (i, how) in res.hits {
                    links.push(LinkA::To(i, how));
                }
            } else if unknown {
                links.push(LinkA::Unresolved(unknown_reason(&address, k)));
            }
            let me = self.inst(idx).address.to_string();
            for l in links {
                if k == "security_groups" {
                    let l = self.group(l);
                    if self.target_addr(&l).as_deref() == Some(me.as_str()) {
                        peers.push(SgPeer::SelfGroup);
                    } else {
                        peers.push(SgPeer::Group(self.conv(&l, sg_ids, SecurityGroupId)));
                    }
                } else {
                    peers.push(SgPeer::PrefixList(self.conv(&l, pl_ids, PrefixListId)));
                }
            }
        }
        peers
            .into_iter()
            .map(|peer| SgRule {
                address: address.clone(),
                action,
                protocol: proto,
                ports: ports_r,
                icmp,
                peer,
                description: description.clone(),
                unknown: unknown.clone(),
            })
            .collect()
    }

    /// `among`: the groups `g`, not resolved, may be ([`UnplacedGroupRule::among`]).
    #[allow(clippy::too_many_arguments)]
    fn attach_sg_rules(
        &self,
        sgs: &mut [SecurityGroup],
        g: &LinkA,
        sg_ids: &Ids,
        egress: bool,
        rules: Vec<SgRule>,
        addr: &str,
        among: Vec<SecurityGroupId>,
    ) {
        match self.conv(g, sg_ids, SecurityGroupId) {
            Link::To(gid, _) => {
                if let Some(sg) = sgs.get_mut(gid.index()) {
                    if egress {
                        sg.egress_declared = true;
                        sg.egress.extend(rules);
                    } else {
                        sg.ingress.extend(rules);
                    }
                }
            }
            Link::External(id) => {
                if let Ok(mut out) = self.outside_rules.lock() {
                    out.extend(rules.into_iter().map(|rule| OutsideGroupRule {
                        group: id.clone(),
                        egress,
                        rule,
                    }));
                }
            }
            Link::Unresolved(why) => {
                self.diag(addr, why.clone());
                let unsure = format!("the security group of `{addr}` is not known ({why})");
                if let Ok(mut out) = self.unplaced_rules.lock() {
                    out.extend(rules.into_iter().map(|mut rule| {
                        rule.unknown.get_or_insert_with(|| unsure.clone());
                        UnplacedGroupRule {
                            egress,
                            rule,
                            among: among.clone(),
                        }
                    }));
                }
            }
            _ => self.diag(
                addr,
                "security group rule not linked to a security group of this plan".to_string(),
            ),
        }
    }
}

/// A route table whose VPC is not resolved is in the VPC of the subnets explicitly
/// associated with it (AWS associates a subnet only with a table of its own VPC), when they
/// are all in one known VPC: its local routes depend on it.
fn infer_table_vpcs(tables: &mut [RouteTable], subnets: &[Subnet]) {
    let mut seen: HashMap<RouteTableId, Option<VpcId>> = HashMap::default();
    for s in subnets {
        let (Link::To(t, _), AssocVia::Explicit(_)) = (&s.route_table.link, &s.route_table.via)
        else {
            continue;
        };
        let v = s.vpc.id();
        seen.entry(*t)
            .and_modify(|x| {
                if *x != v {
                    *x = None;
                }
            })
            .or_insert(v);
    }
    for (i, t) in tables.iter_mut().enumerate() {
        if !matches!(t.vpc, Link::Unresolved(_)) {
            continue;
        }
        let id = RouteTableId(u32::try_from(i).unwrap_or(u32::MAX));
        if let Some(Some(v)) = seen.get(&id) {
            t.vpc = Link::To(*v, LinkHow::Inferred);
        }
    }
}

fn weaker_how(a: LinkHow, b: LinkHow) -> LinkHow {
    a.max(b)
}

fn sg_ports(proto: Protocol, from: Option<i64>, to: Option<i64>) -> (PortRange, IcmpMatch) {
    match proto {
        Protocol::Icmp | Protocol::Icmpv6 | Protocol::Number(1 | 58) => (
            PortRange::ALL,
            IcmpMatch {
                icmp_type: from.and_then(|v| icmp_part(Some(v))),
                icmp_code: to.and_then(|v| icmp_part(Some(v))),
            },
        ),
        _ => (ports(proto, from, to), IcmpMatch::default()),
    }
}

/// The rules of one NACL entry: an inline block or an `aws_network_acl_rule`, one per CIDR
/// attribute it sets. `unk` is its `after_unknown` part and `expr` its configuration: a
/// CIDR known only after apply gives an unknown block, and an unknown protocol, port, ICMP
/// type or code, action or number makes the rule's match undecided (see
/// [`NaclRule::unknown`]).
#[allow(clippy::too_many_arguments)]
fn nacl_rule(
    address: String,
    action: Action,
    obj: &dyn Attrs,
    unk: &dyn Attrs,
    expr: Option<&Map<'_>>,
    num_key: &str,
    action_key: &str,
    ctx: &str,
    inside: &dyn Fn(&str) -> Option<Place>,
) -> Vec<NaclRule> {
    let unknown = unknown_match(
        &address,
        &[
            "protocol",
            "from_port",
            "to_port",
            "icmp_type",
            "icmp_code",
            action_key,
            num_key,
        ],
        unk,
        expr,
    );
    let unk_at = |k: &str| unknown_at(unk, k);
    let proto = if unk_at("protocol") {
        Protocol::All
    } else {
        protocol(obj_str(obj, "protocol").unwrap_or("-1"))
    };
    let rule_number = if unk_at(num_key) {
        0
    } else {
        obj_i64(obj, num_key)
            .and_then(|n| u32::try_from(n).ok())
            .unwrap_or(0)
    };
    let allow = obj_str(obj, action_key).is_some_and(|a| a.eq_ignore_ascii_case("allow"));
    // The provider sends an ICMP entry's type and code as they are, unset ones as 0: an
    // `aws_network_acl_rule` for ICMP without `icmp_type` matches echo replies only (type
    // 0, code 0), like the inline blocks' defaults. `-1` is any; so is one not known yet.
    let icmp_at = |k: &str| match unk_at(k) {
        true => None,
        false => icmp_part(Some(obj_i64(obj, k).unwrap_or(0))),
    };
    let icmp = match proto {
        Protocol::Icmp | Protocol::Icmpv6 | Protocol::Number(1 | 58) => IcmpMatch {
            icmp_type: icmp_at("icmp_type"),
            icmp_code: icmp_at("icmp_code"),
        },
        _ => IcmpMatch::default(),
    };
    let ports_r = if unk_at("from_port") || unk_at("to_port") {
        PortRange::ALL
    } else {
        ports(proto, obj_i64(obj, "from_port"), obj_i64(obj, "to_port"))
    };
    let mut out = Vec::new();
    for (k, family) in [
        ("cidr_block", Family::Ipv4),
        ("ipv6_cidr_block", Family::Ipv6),
    ] {
        let cidr = match obj_str(obj, k) {
            Some(c) => any_block(c, ctx),
            None if unk_at(k) => {
                let why = unknown_match(&address, &[k], unk, expr)
                    .unwrap_or_else(|| unknown_reason(&address, k));
                match family {
                    Family::Ipv4 => AnyBlock::V4(placed_block(why, inside(k))),
                    Family::Ipv6 => AnyBlock::V6(placed_block(why, inside(k))),
                }
            }
            None => continue,
        };
        out.push(NaclRule {
            address: address.clone(),
            action,
            rule_number,
            allow,
            protocol: proto,
            ports: ports_r,
            icmp,
            cidr,
            unknown: unknown.clone(),
        });
    }
    out
}

fn short_service(name: &str) -> String {
    // com.amazonaws.us-east-1.s3 → s3; com.amazonaws.vpce.… and others keep the tail.
    let parts: Vec<&str> = name.split('.').collect();
    match parts.as_slice() {
        ["com", "amazonaws", _region, rest @ ..] if !rest.is_empty() => rest.join("."),
        _ => parts.last().copied().unwrap_or(name).to_string(),
    }
}

fn map_link<I>(l: Link<u32>, mk: fn(u32) -> I) -> Link<I> {
    match l {
        Link::None => Link::None,
        Link::To(i, h) => Link::To(mk(i), h),
        Link::External(s) => Link::External(s),
        Link::Unresolved(s) => Link::Unresolved(s),
    }
}

/// Drops the inline rules of `g` that a rule resource of the same direction repeats (same
/// protocol, ports, ICMP match and peer).
fn drop_repeated_inline_rules(g: &mut SecurityGroup) {
    let inline = format!("{} ", g.meta.address);
    for rules in [&mut g.ingress, &mut g.egress] {
        let resources: Vec<SgRule> = rules
            .iter()
            .filter(|r| !r.address.starts_with(&inline))
            .cloned()
            .collect();
        rules.retain(|r| {
            !r.address.starts_with(&inline)
                || !resources.iter().any(|q| {
                    (q.protocol, q.ports, q.icmp, &q.peer) == (r.protocol, r.ports, r.icmp, &r.peer)
                })
        });
    }
}

/// An `aws_default_security_group` whose VPC is not known may be the default group of any
/// VPC whose default group the plan does not otherwise manage (those are synthesized with
/// AWS's rules): such a group has AWS's rules or that resource's, which of them is not
/// known. Each synthesized default group gets both, all undecided (a rule's `unknown`):
/// what either admits may pass, what neither admits is blocked.
fn unsure_default_groups(groups: &mut [SecurityGroup]) {
    let unsure: Vec<(String, Vec<SgRule>, Vec<SgRule>)> = groups
        .iter()
        .filter(|g| g.is_default && !g.synthesized)
        .filter_map(|g| match &g.vpc {
            Link::Unresolved(why) => Some((
                format!(
                    "`{}` sets the rules of the default security group of a VPC not known at plan time, which may be this one ({why})",
                    g.meta.address
                ),
                g.ingress.clone(),
                g.egress.clone(),
            )),
            _ => None,
        })
        .collect();
    let Some((first, _, _)) = unsure.first() else {
        return;
    };
    let undecided = |rules: &mut Vec<SgRule>, why: &str| {
        for r in rules.iter_mut().filter(|r| r.unknown.is_none()) {
            r.unknown = Some(why.to_string());
        }
    };
    for g in groups.iter_mut().filter(|g| g.is_default && g.synthesized) {
        undecided(&mut g.ingress, first);
        undecided(&mut g.egress, first);
        for (why, ingress, egress) in &unsure {
            let mut ingress = ingress.clone();
            let mut egress = egress.clone();
            undecided(&mut ingress, why);
            undecided(&mut egress, why);
            g.ingress.extend(ingress);
            g.egress.extend(egress);
        }
    }
}

/// The gateway of one of `kinds` attached to VPC `vpc`, inferred for a link whose gateway
/// is not known but must be attached to that VPC: a route propagation (AWS propagates into
/// a table only the routes of the virtual private gateway attached to its VPC) or an edge
/// association (of the table's VPC's internet or virtual private gateway). A VPC has one of
/// each at most. `None` when no known gateway of those kinds is attached to it, or several
/// are, or one whose VPC is not known may be.
fn attached_gateway_of(
    gateways: &[Gateway],
    vpc: Option<VpcId>,
    kinds: &[GatewayKind],
) -> Option<Link<GatewayId>> {
    let vpc = vpc?;
    let vgws = || {
        gateways
            .iter()
            .enumerate()
            .filter(|(_, g)| kinds.contains(&g.kind))
    };
    if vgws().any(|(_, g)| matches!(g.vpc, Link::Unresolved(_))) {
        return None;
    }
    let mut attached = vgws().filter(|(_, g)| g.vpc.id() == Some(vpc));
    let (i, _) = attached.next()?;
    if attached.next().is_some() {
        return None;
    }
    Some(Link::To(
        GatewayId(u32::try_from(i).ok()?),
        LinkHow::Inferred,
    ))
}

fn sort_by_addr<T: Send>(v: &mut [T], key: fn(&T) -> &String) {
    // Stable, as `sort_by`; on all threads (lists of tens of thousands on a large plan).
    v.par_sort_by(|a, b| key(a).cmp(key(b)));
}

/// A state (which has no configuration) lists in a table's `route` attribute the routes that
/// `aws_route` resources and gateway endpoints create: keep one route each, the resource's.
fn drop_repeated_inline_routes(routes: &mut Vec<Route>) {
    let mut managed: HashSet<(Option<RouteTableId>, ipnet::IpNet)> = HashSet::default();
    let mut managed_lists: HashSet<(Option<RouteTableId>, Result<PrefixListId, String>)> =
        HashSet::default();
    let mut endpoint_targets: HashSet<(Option<RouteTableId>, Option<EndpointId>)> =
        HashSet::default();
    for r in routes.iter() {
        match r.origin {
            RouteOrigin::Resource => match &r.destination {
                Destination::Cidr(b) => {
                    if let Some(key) = cidr_key(b) {
                        managed.insert((r.table.id(), key));
                    }
                }
                Destination::PrefixList(l) => {
                    if let Some(key) = list_key(l) {
                        managed_lists.insert((r.table.id(), key));
                    }
                }
                _ => {}
            },
            RouteOrigin::Endpoint(_) => {
                if let Target::Endpoint(l) = &r.target {
                    endpoint_targets.insert((r.table.id(), l.id()));
                }
            }
            _ => {}
        }
    }
    routes.retain(|r| {
        if r.origin != RouteOrigin::Inline {
            return true;
        }
        if let Target::Endpoint(l) = &r.target {
            if matches!(r.destination, Destination::PrefixList(_))
                && endpoint_targets.contains(&(r.table.id(), l.id()))
            {
                return false;
            }
        }
        match &r.destination {
            Destination::Cidr(b) => {
                cidr_key(b).map_or(true, |k| !managed.contains(&(r.table.id(), k)))
            }
            Destination::PrefixList(l) => {
                list_key(l).map_or(true, |k| !managed_lists.contains(&(r.table.id(), k)))
            }
            _ => true,
        }
    });
}

/// A known prefix list: the plan's, or one outside it by its ID.
fn list_key(l: &Link<PrefixListId>) -> Option<Result<PrefixListId, String>> {
    match l {
        Link::To(id, _) => Some(Ok(*id)),
        Link::External(id) => Some(Err(id.clone())),
        Link::Unresolved(_) | Link::None => None,
    }
}

fn cidr_key(b: &AnyBlock) -> Option<ipnet::IpNet> {
    match b {
        AnyBlock::V4(Block::Known(n)) => Some(ipnet::IpNet::V4(*n)),
        AnyBlock::V6(Block::Known(n)) => Some(ipnet::IpNet::V6(*n)),
        _ => None,
    }
}
