//! Workloads AWS launches for another resource, one per subnet it may launch them in: the
//! instances of an Auto Scaling group (groups and public IPv4 from its launch template or
//! launch configuration) or an EKS managed node group, the tasks of an ECS service in
//! `awsvpc` mode, the network interfaces of a Lambda function in a VPC, an RDS instance or
//! ElastiCache cluster in the subnets of its subnet group. Each is addressed `<address>
//! (<subnet>)`, so the workloads of one resource stay distinct and sorted. An EFS mount
//! target, in one subnet, keeps its address.

use std::borrow::Cow;

use ipnet::IpNet;

use rustc_hash::FxHashMap as HashMap;

use super::{
    block_objects, expression_blocks, expression_refs, obj_bool, obj_i64, obj_str, obj_strs,
    unknown_reason, Attrs, BlockObject, Ids, LinkA, LinkHow, Refs, B, CACHE_SUBNET_GROUP,
    CLIENT_VPN_ENDPOINT, DAX_SUBNET_GROUP, DB_SUBNET_GROUP, DOCDB_CLUSTER, DOCDB_SUBNET_GROUP,
    EKS_CLUSTER, FSX, LAUNCH_CONFIGURATION, LAUNCH_TEMPLATE, LOAD_BALANCER, MEMORYDB_SUBNET_GROUP,
    NEPTUNE_CLUSTER, NEPTUNE_SUBNET_GROUP, RDS_CLUSTER, REDSHIFT_SUBNET_GROUP, SG_REF, SUBNET, VPC,
};
use crate::model::{
    AnyBlock, Block, ClientVpnAccess, EksPublicEndpoint, IcmpMatch, Ipv4Net, Ipv6Net, Listener,
    Listeners, Meta, PortRange, Protocol, PublicIpv4, SecurityGroup, SecurityGroupId, SgPeer,
    SgRule, VpcId, WorkloadKind,
};
use crate::plan::json::{Map, Value};

/// One workload of a fleet, before ids.
pub(super) struct FleetA {
    /// `<address> (<subnet address or ID>)`.
    pub name: String,
    /// The resource's instance index.
    pub inst: usize,
    pub kind: WorkloadKind,
    pub subnet: LinkA,
    pub groups: Vec<LinkA>,
    pub public_ipv4: PublicIpv4,
    pub ipv6_address_count: Option<u32>,
    /// The launch template or configuration, the RDS cluster: where its settings come from.
    pub settings_from: Vec<String>,
    pub internal: Option<String>,
    pub without_groups: Option<String>,
    pub listeners: Option<Listeners>,
    pub client_vpn: Option<ClientVpnAccess>,
}

/// What a fleet's workloads share: everything but the subnet.
struct Spec {
    kind: WorkloadKind,
    subnets: Vec<LinkA>,
    groups: Vec<LinkA>,
    public_ipv4: PublicIpv4,
    ipv6_address_count: Option<u32>,
    settings_from: Vec<String>,
    internal: Option<String>,
    without_groups: Option<String>,
    listeners: Option<Listeners>,
    client_vpn: Option<ClientVpnA>,
    /// The subnet group outside the plan it is in, by name: one workload whose subnet is
    /// not known (`Unresolved`), named after it.
    outside_group: Option<String>,
}

/// A Client VPN endpoint's authorization rules and routes, before the routes are sorted by
/// the subnet they go through.
struct ClientVpnA {
    endpoint: String,
    /// Each association's subnet, and address.
    associations: Vec<(LinkA, String)>,
    authorizations: Vec<(String, Result<IpNet, String>)>,
    /// Each route's subnet, and destination.
    routes: Vec<(String, LinkA, Result<IpNet, String>)>,
}

/// Whether two links name the same object; `None` when one is not known.
fn same_link(a: &LinkA, b: &LinkA) -> Option<bool> {
    match (a, b) {
        (LinkA::Unresolved(_), _) | (_, LinkA::Unresolved(_)) => None,
        (LinkA::To(x, _), LinkA::To(y, _)) => Some(x == y),
        (LinkA::ToAddr(x, _), LinkA::ToAddr(y, _)) | (LinkA::External(x), LinkA::External(y)) => {
            Some(x == y)
        }
        _ => Some(false),
    }
}

impl ClientVpnA {
    /// What it lets its users reach through `subnet`.
    fn through(&self, subnet: &LinkA) -> ClientVpnAccess {
        let mut routes: Vec<(String, Result<IpNet, String>)> = self
            .routes
            .iter()
            .filter_map(|(address, via, dest)| match same_link(via, subnet) {
                Some(true) => Some((address.clone(), dest.clone())),
                Some(false) => None,
                None => Some((
                    address.clone(),
                    Err(format!(
                        "the subnet `{address}` routes through is known only after apply"
                    )),
                )),
            })
            .collect();
        routes.sort();
        ClientVpnAccess {
            endpoint: self.endpoint.clone(),
            association: self
                .associations
                .iter()
                .find(|(s, _)| same_link(s, subnet) == Some(true))
                .map(|(_, a)| a.clone())
                .unwrap_or_default(),
            authorizations: self.authorizations.clone(),
            routes,
        }
    }
}

impl Spec {
    /// A fleet's shared settings, with nothing of a load balancer's and no settings taken
    /// from another resource.
    fn new(
        kind: WorkloadKind,
        subnets: Vec<LinkA>,
        groups: Vec<LinkA>,
        public_ipv4: PublicIpv4,
        ipv6_address_count: Option<u32>,
    ) -> Spec {
        Spec {
            kind,
            subnets,
            groups,
            public_ipv4,
            ipv6_address_count,
            settings_from: Vec::new(),
            internal: None,
            without_groups: None,
            listeners: None,
            client_vpn: None,
            outside_group: None,
        }
    }
}

/// The blocks `attr` nested in block `parent` (owned: few resources have them), with the
/// configuration's constants standing in for a list unknown as a whole.
pub(super) fn sub_blocks<'v>(parent: &BlockObject<'v>, attr: &str) -> Vec<BlockObject<'v>> {
    let (obj, unk, expr) = parent;
    let exprs: Vec<&'v Map<'v>> = expr
        .and_then(|e| e.get(attr))
        .map(expression_blocks)
        .unwrap_or_default();
    let (obj, unk): (&Value<'v>, &Value<'v>) = (obj.as_ref(), unk.as_ref());
    let unknown = unk.get(attr);
    match obj.get(attr) {
        Some(Value::Array(items)) if !items.is_empty() => items
            .iter()
            .enumerate()
            .map(|(i, item)| {
                let u = unknown
                    .and_then(Value::as_array)
                    .and_then(|u| u.get(i))
                    .cloned()
                    .unwrap_or(Value::Null);
                let e = if exprs.len() == items.len() {
                    same_block(item, &exprs, i)
                } else {
                    None
                };
                (Cow::Owned(item.clone()), Cow::Owned(u), e)
            })
            .collect(),
        _ => exprs
            .iter()
            .map(|e| {
                let mut o = Map::new();
                let mut u = Map::new();
                for (k, v) in e.iter() {
                    match v.get("constant_value") {
                        Some(c) => o.insert(k.clone(), c.clone()),
                        None => u.insert(k.clone(), Value::Bool(true)),
                    }
                }
                (
                    Cow::Owned(Value::Object(o)),
                    Cow::Owned(Value::Object(u)),
                    Some(*e),
                )
            })
            .collect(),
    }
}

/// The configuration block item `i` of a nested block came from, the counts agreeing: the
/// one at its position, unless a constant of that one differs from the item's value and
/// exactly one other agrees (terraform sorts a set's elements, e.g. a `forward` block's
/// `target_group`s by weight).
fn same_block<'v>(item: &Value<'_>, exprs: &[&'v Map<'v>], i: usize) -> Option<&'v Map<'v>> {
    let agrees = |e: &Map<'_>| {
        e.iter()
            .all(|(k, x)| match (x.get("constant_value"), item.get(k)) {
                (Some(c @ (Value::String(_) | Value::Number(_) | Value::Bool(_))), Some(v))
                    if !v.is_null() =>
                {
                    c == v
                }
                _ => true,
            })
    };
    let at = exprs.get(i).copied()?;
    if agrees(at) {
        return Some(at);
    }
    let mut others = exprs.iter().filter(|e| agrees(e));
    match (others.next(), others.next()) {
        (Some(e), None) => Some(*e),
        _ => Some(at),
    }
}

/// Whether a block's attribute is unknown until apply, as a whole or in part.
pub(super) fn block_unknown(unk: &dyn Attrs, attr: &str) -> bool {
    unk.attr(attr).is_some_and(|u| {
        u.as_bool() == Some(true)
            || u.as_array()
                .is_some_and(|a| a.iter().any(|x| x.as_bool() == Some(true)))
    })
}

impl B<'_, '_> {
    /// A list-valued link attribute inside a nested block (`network_configuration.subnets`,
    /// a rule's `security_groups`): the known IDs, else the configuration's references.
    pub(super) fn link_list_in_block(
        &self,
        idx: usize,
        block: &BlockObject<'_>,
        attr: &str,
        want: &[&str],
    ) -> Vec<LinkA> {
        let (obj, unk, expr) = block;
        let inst = self.inst(idx);
        let mut links: Vec<LinkA> = obj_strs(obj, attr)
            .into_iter()
            .map(|s| match self.side.by_id(&s, want) {
                Some(i) => LinkA::To(i, LinkHow::Id),
                None => LinkA::External(s),
            })
            .collect();
        if !block_unknown(unk, attr) {
            return links;
        }
        let refs: Refs<'_> = expr
            .and_then(|e| e.get(attr))
            .map(expression_refs)
            .unwrap_or_default();
        if refs.is_empty() {
            let reason = unknown_reason(inst.address, attr);
            self.diag(inst.address, reason.clone());
            links.push(LinkA::Unresolved(reason));
            return links;
        }
        let res = self.resolve_refs_of(inst, &refs, want);
        if res.hits.is_empty() || !res.reasons.is_empty() {
            let why = if res.reasons.is_empty() {
                "no reference names its elements".to_string()
            } else {
                res.reasons.join("; ")
            };
            let reason = format!("`{}` {attr}: {why}", inst.address);
            self.diag(inst.address, reason.clone());
            links.push(LinkA::Unresolved(reason));
        }
        for (i, how) in res.hits {
            if !links
                .iter()
                .any(|l| matches!(l, LinkA::To(j, _) if *j == i))
            {
                links.push(LinkA::To(i, how));
            }
        }
        links.extend(res.external.into_iter().map(LinkA::External));
        links
    }

    /// The security groups a list attribute names.
    fn groups_of(&self, idx: usize, attr: &str) -> Vec<LinkA> {
        self.link_list(idx, attr, SG_REF)
            .into_iter()
            .map(|l| self.group(l))
            .collect()
    }

    /// The security groups a list attribute of a nested block names.
    fn groups_in_block(&self, idx: usize, block: &BlockObject<'_>, attr: &str) -> Vec<LinkA> {
        self.link_list_in_block(idx, block, attr, SG_REF)
            .into_iter()
            .map(|l| self.group(l))
            .collect()
    }

    /// `publicly_accessible`: a public IPv4 address only when `true`.
    fn publicly_accessible(&self, idx: usize) -> PublicIpv4 {
        let inst = self.inst(idx);
        let (address, attr) = (inst.address, "publicly_accessible");
        match inst.bool(attr) {
            Some(true) => PublicIpv4::Auto,
            None if inst.is_unknown(attr) => PublicIpv4::Unknown(unknown_reason(address, attr)),
            _ => PublicIpv4::Never(format!(
                "`{address}` is not publicly accessible (publicly_accessible = false)"
            )),
        }
    }

    /// Every fleet workload of this side, sorted by name, without repeats.
    pub(super) fn fleets(&self) -> Vec<FleetA> {
        let mut out: Vec<FleetA> = Vec::new();
        let types = [
            "aws_autoscaling_group",
            "aws_eks_node_group",
            "aws_eks_fargate_profile",
            "aws_ecs_service",
            "aws_db_instance",
            "aws_rds_cluster_instance",
            "aws_lambda_function",
            "aws_elasticache_cluster",
            "aws_elasticache_replication_group",
            "aws_efs_mount_target",
            "aws_lb",
            "aws_alb",
            "aws_elb",
            "aws_docdb_cluster_instance",
            "aws_neptune_cluster_instance",
            "aws_redshift_cluster",
            "aws_mq_broker",
            "aws_msk_cluster",
            "aws_opensearch_domain",
            "aws_elasticsearch_domain",
            "aws_memorydb_cluster",
            "aws_dax_cluster",
            "aws_fsx_lustre_file_system",
            "aws_fsx_windows_file_system",
            "aws_fsx_ontap_file_system",
            "aws_fsx_openzfs_file_system",
            "aws_db_proxy",
            "aws_elasticache_serverless_cache",
            "aws_redshiftserverless_workgroup",
            "aws_codebuild_project",
            "aws_sagemaker_notebook_instance",
            "aws_mwaa_environment",
            "aws_apprunner_vpc_connector",
            "aws_glue_connection",
            "aws_eks_cluster",
            "aws_ec2_client_vpn_endpoint",
            "aws_batch_compute_environment",
            "aws_route53_resolver_endpoint",
        ];
        let (listeners, unplaced_listeners) = self.lb_listeners();
        for t in types {
            for i in self.insts(t) {
                let spec = match t {
                    "aws_autoscaling_group" => self.auto_scaling_group(i),
                    "aws_eks_node_group" => self.eks_node_group(i),
                    "aws_eks_fargate_profile" => self.fargate_profile(i),
                    "aws_ecs_service" => self.ecs_service(i),
                    "aws_lambda_function" => self.lambda_function(i),
                    "aws_elasticache_cluster" | "aws_elasticache_replication_group" => {
                        self.cache(i)
                    }
                    "aws_efs_mount_target" => self.efs_mount_target(i),
                    "aws_lb" | "aws_alb" | "aws_elb" => {
                        self.load_balancer(i, &listeners, &unplaced_listeners)
                    }
                    "aws_mq_broker" => self.mq_broker(i),
                    "aws_msk_cluster" => self.msk_cluster(i),
                    "aws_opensearch_domain" | "aws_elasticsearch_domain" => self.search_domain(i),
                    "aws_memorydb_cluster" | "aws_dax_cluster" => self.memory_cache(i),
                    t if FSX.contains(&t) => self.fsx(i),
                    "aws_eks_cluster" => self.eks_cluster(i),
                    "aws_ec2_client_vpn_endpoint" => self.client_vpn(i),
                    "aws_batch_compute_environment" => self.batch_compute(i),
                    "aws_route53_resolver_endpoint" => self.resolver_endpoint(i),
                    "aws_db_proxy" => self.placed(
                        i,
                        (None, "vpc_subnet_ids", "vpc_security_group_ids"),
                        WorkloadKind::DbInstance,
                        "an RDS proxy",
                    ),
                    "aws_elasticache_serverless_cache" => self.placed(
                        i,
                        (None, "subnet_ids", "security_group_ids"),
                        WorkloadKind::CacheCluster,
                        "an ElastiCache serverless cache",
                    ),
                    "aws_redshiftserverless_workgroup" => self
                        .placed(
                            i,
                            (None, "subnet_ids", "security_group_ids"),
                            WorkloadKind::DbInstance,
                            "",
                        )
                        .map(|s| Spec {
                            public_ipv4: self.publicly_accessible(i),
                            ..s
                        }),
                    "aws_codebuild_project" => self.placed(
                        i,
                        (Some("vpc_config"), "subnets", "security_group_ids"),
                        WorkloadKind::ServiceInterface,
                        "a CodeBuild project",
                    ),
                    "aws_sagemaker_notebook_instance" => self.placed(
                        i,
                        (None, "subnet_id", "security_groups"),
                        WorkloadKind::ServiceInterface,
                        "a SageMaker notebook instance's network interface",
                    ),
                    "aws_mwaa_environment" => self.placed(
                        i,
                        (
                            Some("network_configuration"),
                            "subnet_ids",
                            "security_group_ids",
                        ),
                        WorkloadKind::ServiceInterface,
                        "an MWAA environment",
                    ),
                    "aws_glue_connection" => self.placed(
                        i,
                        (
                            Some("physical_connection_requirements"),
                            "subnet_id",
                            "security_group_id_list",
                        ),
                        WorkloadKind::ServiceInterface,
                        "a Glue connection's network interface",
                    ),
                    "aws_apprunner_vpc_connector" => self.placed(
                        i,
                        (None, "subnets", "security_groups"),
                        WorkloadKind::ServiceInterface,
                        "an App Runner VPC connector",
                    ),
                    _ => self.db_instance(i),
                };
                let Some(spec) = spec else { continue };
                let address = self.inst(i).address;
                for subnet in spec.subnets {
                    let at = match (&subnet, self.target_addr(&subnet), &spec.outside_group) {
                        (_, Some(a), _) => a,
                        (LinkA::External(id), None, _) => id.clone(),
                        (LinkA::Unresolved(_), None, Some(group)) => {
                            format!("subnet group {group}")
                        }
                        // Kept, not placed: its groups still guard it wherever it is.
                        (LinkA::Unresolved(_), None, None) => "subnet not known".to_string(),
                        _ => continue,
                    };
                    out.push(FleetA {
                        name: if spec.kind.spreads() {
                            format!("{address} ({at})")
                        } else {
                            address.to_string()
                        },
                        inst: i,
                        kind: spec.kind,
                        groups: spec.groups.clone(),
                        public_ipv4: spec.public_ipv4.clone(),
                        ipv6_address_count: spec.ipv6_address_count,
                        settings_from: spec.settings_from.clone(),
                        internal: spec.internal.clone(),
                        without_groups: spec.without_groups.clone(),
                        listeners: spec.listeners.clone(),
                        client_vpn: spec.client_vpn.as_ref().map(|c| c.through(&subnet)),
                        subnet,
                    });
                }
            }
        }
        out.sort_by(|a, b| a.name.cmp(&b.name));
        out.dedup_by(|a, b| a.name == b.name);
        out
    }

    /// `aws_autoscaling_group`: the subnets of `vpc_zone_identifier`; groups and public
    /// IPv4 from the launch template (`launch_template`, or `mixed_instances_policy`'s) or
    /// the launch configuration.
    fn auto_scaling_group(&self, i: usize) -> Option<Spec> {
        let subnets = self.link_list(i, "vpc_zone_identifier", SUBNET);
        let inst = self.inst(i);
        let address = inst.address;
        if subnets.is_empty() {
            self.diag(
                address,
                "Auto Scaling group without `vpc_zone_identifier`: it launches in the default VPC, not modelled".to_string(),
            );
            return None;
        }
        let mut template = LinkA::None;
        for b in block_objects(inst, "launch_template") {
            template = self.template_link(i, &b, "id", "name");
        }
        if matches!(template, LinkA::None) {
            for policy in block_objects(inst, "mixed_instances_policy") {
                for lt in sub_blocks(&policy, "launch_template") {
                    for spec in sub_blocks(&lt, "launch_template_specification") {
                        template = self.template_link(
                            i,
                            &spec,
                            "launch_template_id",
                            "launch_template_name",
                        );
                    }
                }
            }
        }
        let mut settings_from = Vec::new();
        let (groups, public_ipv4, ipv6_address_count) = match template {
            LinkA::To(t, _) => {
                settings_from.push(self.inst(t).address.to_string());
                self.launch_template(t)
            }
            LinkA::None => {
                let lc = self.link(i, "launch_configuration", LAUNCH_CONFIGURATION);
                match lc {
                    LinkA::To(c, _) => {
                        settings_from.push(self.inst(c).address.to_string());
                        self.launch_configuration(c)
                    }
                    LinkA::None => {
                        self.diag(
                            address,
                            "Auto Scaling group names no launch template or launch configuration"
                                .to_string(),
                        );
                        return None;
                    }
                    other => unknown_template(address, &other, "launch configuration"),
                }
            }
            other => unknown_template(address, &other, "launch template"),
        };
        Some(Spec {
            settings_from,
            ..Spec::new(
                WorkloadKind::AutoScalingGroup,
                subnets,
                groups,
                public_ipv4,
                ipv6_address_count,
            )
        })
    }

    /// The launch template a block names, by ID or else by name.
    fn template_link(&self, i: usize, b: &BlockObject<'_>, id: &str, name: &str) -> LinkA {
        let (obj, unk, expr) = b;
        // The one the configuration sets: the other is read back after apply.
        let set =
            |k: &str| obj_str(obj.as_ref(), k).is_some() || expr.and_then(|e| e.get(k)).is_some();
        let key = if !set(id) && set(name) { name } else { id };
        self.link_in_block(i, obj.as_ref(), unk.as_ref(), *expr, key, LAUNCH_TEMPLATE)
    }

    /// A launch template's groups (its first network interface's, and
    /// `vpc_security_group_ids`), public IPv4 and IPv6 address count.
    fn launch_template(&self, t: usize) -> (Vec<LinkA>, PublicIpv4, Option<u32>) {
        let inst = self.inst(t);
        let mut groups = self.link_list(t, "vpc_security_group_ids", SG_REF);
        let mut public_ipv4 = PublicIpv4::None;
        let mut ipv6 = None;
        let nics = block_objects(inst, "network_interfaces");
        let primary = nics
            .iter()
            .find(|(o, _, _)| obj_i64(o.as_ref(), "device_index").unwrap_or(0) == 0);
        if let Some(nic) = primary {
            let (obj, unk, _) = nic;
            for l in self.link_list_in_block(t, nic, "security_groups", SG_REF) {
                groups.push(l);
            }
            // A string in the provider's schema: true, false, or empty when not set.
            let value = obj
                .attr("associate_public_ip_address")
                .and_then(|v| match v {
                    Value::Bool(b) => Some(*b),
                    Value::String(s) => s.parse::<bool>().ok(),
                    _ => None,
                });
            public_ipv4 = match value {
                Some(true) => PublicIpv4::Auto,
                Some(false) => PublicIpv4::Never(format!(
                    "its launch template `{}` sets associate_public_ip_address = false",
                    inst.address
                )),
                None if block_unknown(unk.as_ref(), "associate_public_ip_address") => {
                    PublicIpv4::Unknown(format!(
                        "`{}` network_interfaces associate_public_ip_address is known only after apply",
                        inst.address
                    ))
                }
                None => PublicIpv4::None,
            };
            // Zero is how AWS reads back a count the template does not set: the subnet
            // decides then.
            // Addresses listed (`ipv6_addresses`) or delegated prefixes give instances IPv6
            // as a count does.
            let listed = ["ipv6_addresses", "ipv6_prefixes"].iter().any(|a| {
                obj.as_ref()
                    .attr(a)
                    .and_then(Value::as_array)
                    .is_some_and(|l| !l.is_empty())
            }) || obj_i64(obj.as_ref(), "ipv6_prefix_count").is_some_and(|n| n > 0);
            ipv6 = obj_i64(obj.as_ref(), "ipv6_address_count")
                .and_then(|n| u32::try_from(n).ok())
                .filter(|n| *n > 0)
                .or(listed.then_some(1));
        }
        (
            groups.into_iter().map(|l| self.group(l)).collect(),
            public_ipv4,
            ipv6,
        )
    }

    /// A launch configuration's groups and public IPv4.
    fn launch_configuration(&self, c: usize) -> (Vec<LinkA>, PublicIpv4, Option<u32>) {
        let groups = self.groups_of(c, "security_groups");
        let inst = self.inst(c);
        let attr = "associate_public_ip_address";
        // Left out, the provider still reads `false` back: only the configuration's own
        // `false` says the instances get none.
        let public_ipv4 = match inst.bool(attr) {
            Some(true) => PublicIpv4::Auto,
            Some(false) if inst.expr(attr).is_some() => PublicIpv4::Never(format!(
                "its launch configuration `{}` sets associate_public_ip_address = false",
                inst.address
            )),
            None if inst.is_unknown(attr) && inst.expr(attr).is_some() => {
                PublicIpv4::Unknown(unknown_reason(inst.address, attr))
            }
            _ => PublicIpv4::None,
        };
        (groups, public_ipv4, None)
    }

    /// `aws_ecs_service` with a `network_configuration` (`awsvpc`): its subnets and groups;
    /// a public IPv4 only with `assign_public_ip = true`.
    fn ecs_service(&self, i: usize) -> Option<Spec> {
        let inst = self.inst(i);
        let block = block_objects(inst, "network_configuration")
            .into_iter()
            .next()?;
        let subnets = self.link_list_in_block(i, &block, "subnets", SUBNET);
        let groups = self.groups_in_block(i, &block, "security_groups");
        let (obj, unk, _) = &block;
        let public_ipv4 = match obj_bool(obj.as_ref(), "assign_public_ip") {
            Some(true) => PublicIpv4::Auto,
            None if block_unknown(unk.as_ref(), "assign_public_ip") => PublicIpv4::Unknown(
                format!("`{}` assign_public_ip is known only after apply", inst.address),
            ),
            _ => PublicIpv4::Never(format!(
                "`{}` does not assign public IPv4 addresses to its tasks (assign_public_ip = false)",
                inst.address
            )),
        };
        Some(Spec::new(
            WorkloadKind::EcsService,
            subnets,
            groups,
            public_ipv4,
            None,
        ))
    }

    /// A database instance (`aws_db_instance`, `aws_rds_cluster_instance`,
    /// `aws_docdb_cluster_instance`, `aws_neptune_cluster_instance`) or an
    /// `aws_redshift_cluster`: the subnets of its subnet group (a cluster instance falls
    /// back on its cluster's group and takes its cluster's security groups); a public IPv4
    /// only with `publicly_accessible = true`, and never for DocumentDB.
    fn db_instance(&self, i: usize) -> Option<Spec> {
        let inst = self.inst(i);
        let address = inst.address;
        let fam = DbFamily::of(inst.rtype)?;
        let cluster = if fam.cluster.is_empty() {
            None
        } else {
            match self.link(i, "cluster_identifier", fam.cluster) {
                LinkA::To(c, _) => Some(c),
                _ => None,
            }
        };
        let mut group_of = self.link(i, fam.subnet_group_attr, fam.subnet_groups);
        if matches!(group_of, LinkA::None | LinkA::Unresolved(_)) {
            if let Some(c) = cluster {
                group_of = self.link(c, fam.subnet_group_attr, fam.subnet_groups);
            }
        }
        let mut outside_group = None;
        let subnets = match group_of {
            LinkA::To(g, _) => self.link_list(g, "subnet_ids", SUBNET),
            LinkA::None => {
                self.diag(
                    address,
                    format!(
                        "{} without a subnet group: it launches in the default VPC, not modelled",
                        fam.what
                    ),
                );
                return None;
            }
            // A group another configuration manages: one workload whose subnet is not
            // known, for what its address and groups say.
            LinkA::External(name) => {
                let why = format!(
                    "its subnet group `{name}` is outside this plan: its subnets are not known"
                );
                outside_group = Some(name);
                vec![LinkA::Unresolved(why)]
            }
            LinkA::Unresolved(_) | LinkA::ToAddr(..) => return None,
        };
        let groups_from = cluster.unwrap_or(i);
        let groups = self.groups_of(groups_from, "vpc_security_group_ids");
        let inst = self.inst(i);
        let public_ipv4 = match fam.never_public {
            Some(why) => PublicIpv4::Never(format!("`{address}` {why}")),
            None => self.publicly_accessible(i),
        };
        let network_type = inst
            .str("network_type")
            .or_else(|| cluster.and_then(|c| self.inst(c).str("network_type")));
        Some(Spec {
            settings_from: cluster
                .map(|c| self.inst(c).address.to_string())
                .into_iter()
                .collect(),
            outside_group,
            ..Spec::new(
                WorkloadKind::DbInstance,
                subnets,
                groups,
                public_ipv4,
                Some(u32::from(network_type == Some("DUAL"))),
            )
        })
    }

    /// `aws_mq_broker`: its `subnet_ids` and `security_groups`; a public IPv4 only with
    /// `publicly_accessible = true`.
    fn mq_broker(&self, i: usize) -> Option<Spec> {
        let subnets = self.link_list(i, "subnet_ids", SUBNET);
        let groups = self.groups_of(i, "security_groups");
        let public_ipv4 = self.publicly_accessible(i);
        Some(Spec::new(
            WorkloadKind::MessageBroker,
            subnets,
            groups,
            public_ipv4,
            Some(0),
        ))
    }

    /// `aws_msk_cluster`: the brokers in `broker_node_group_info`'s `client_subnets`,
    /// behind its `security_groups`; public IPv4 addresses only with
    /// `connectivity_info.public_access.type = "SERVICE_PROVIDED_EIPS"`.
    fn msk_cluster(&self, i: usize) -> Option<Spec> {
        let inst = self.inst(i);
        let address = inst.address;
        let block = block_objects(inst, "broker_node_group_info")
            .into_iter()
            .next()?;
        let subnets = self.link_list_in_block(i, &block, "client_subnets", SUBNET);
        let groups = self.groups_in_block(i, &block, "security_groups");
        let mut access: Option<String> = None;
        for conn in sub_blocks(&block, "connectivity_info") {
            for public in sub_blocks(&conn, "public_access") {
                access = obj_str(public.0.as_ref(), "type").map(str::to_string);
            }
        }
        let public_ipv4 = match access.as_deref() {
            Some("SERVICE_PROVIDED_EIPS") => PublicIpv4::Auto,
            _ => PublicIpv4::Never(format!(
                "the brokers of `{address}` have no public access (connectivity_info.public_access.type is not SERVICE_PROVIDED_EIPS)"
            )),
        };
        Some(Spec::new(
            WorkloadKind::MessageBroker,
            subnets,
            groups,
            public_ipv4,
            Some(0),
        ))
    }

    /// `aws_eks_cluster`: the control plane's network interfaces in the subnets of
    /// `vpc_config`, behind its `security_group_ids` and the cluster security group EKS
    /// creates; private addresses only (the public endpoint is not in the VPC).
    fn eks_cluster(&self, i: usize) -> Option<Spec> {
        let inst = self.inst(i);
        let address = inst.address;
        let spec = self.placed(
            i,
            (Some("vpc_config"), "subnet_ids", "security_group_ids"),
            WorkloadKind::EksCluster,
            "",
        )?;
        let mut groups = spec.groups;
        groups.push(LinkA::ToAddr(
            cluster_group_name(address),
            LinkHow::Reference,
        ));
        Some(Spec {
            groups,
            public_ipv4: PublicIpv4::Never(format!(
                "the control plane of `{address}` has private addresses only in its subnets (its public endpoint is outside the VPC)"
            )),
            ipv6_address_count: (!eks_ipv6(inst)).then_some(0),
            ..spec
        })
    }

    /// The public endpoint of each EKS cluster's Kubernetes API that has one or may: on
    /// unless `endpoint_public_access = false`; open to `public_access_cidrs`, which AWS
    /// sets to `0.0.0.0/0` when the configuration names none (the plan shows it unknown).
    pub(super) fn eks_public_endpoints(&self) -> Vec<EksPublicEndpoint> {
        let mut out = Vec::new();
        for i in self.insts("aws_eks_cluster") {
            let inst = self.inst(i);
            let address = inst.address;
            let Some((obj, unk, expr)) = block_objects(inst, "vpc_config").into_iter().next()
            else {
                continue;
            };
            let (o, u) = (obj.as_ref(), unk.as_ref());
            let unknown = |k: &str| u.get(k).and_then(Value::as_bool) == Some(true);
            let why = |k: &str| format!("`{address}.vpc_config[0].{k}` is known only after apply");
            let enabled = match obj_bool(o, "endpoint_public_access") {
                Some(b) => Ok(b),
                None if unknown("endpoint_public_access") => Err(why("endpoint_public_access")),
                None => Ok(true),
            };
            if enabled == Ok(false) {
                continue;
            }
            let set = expr.is_some_and(|e| e.get("public_access_cidrs").is_some());
            let cidrs = match o.get("public_access_cidrs") {
                Some(Value::Array(_)) => {
                    let mut v: Vec<IpNet> = obj_strs(o, "public_access_cidrs")
                        .iter()
                        .filter_map(|c| c.trim().parse::<IpNet>().ok())
                        .map(|n| n.trunc())
                        .collect();
                    v.sort_unstable();
                    v.dedup();
                    Ok(v)
                }
                _ if set => Err(why("public_access_cidrs")),
                _ => Ok(vec![IpNet::V4(Ipv4Net::default())]),
            };
            out.push(EksPublicEndpoint {
                meta: super::meta(inst),
                enabled,
                cidrs,
            });
        }
        out.sort_by(|a, b| a.meta.address.cmp(&b.meta.address));
        out
    }

    /// `aws_memorydb_cluster` or `aws_dax_cluster`: its nodes in the subnets of its subnet
    /// group, behind `security_group_ids` (else the VPC's default group); never a public
    /// address.
    fn memory_cache(&self, i: usize) -> Option<Spec> {
        let inst = self.inst(i);
        let address = inst.address;
        let (groups_of, what) = if inst.rtype == "aws_dax_cluster" {
            (DAX_SUBNET_GROUP, "DAX")
        } else {
            (MEMORYDB_SUBNET_GROUP, "MemoryDB")
        };
        let subnets = self.subnet_group(i, "subnet_group_name", groups_of, what)?;
        let groups = self.groups_of(i, "security_group_ids");
        Some(Spec::new(
            WorkloadKind::CacheCluster,
            subnets,
            groups,
            PublicIpv4::Never(format!(
                "`{address}` is a {what} cluster: its nodes never get public IPv4 addresses"
            )),
            Some(0),
        ))
    }

    /// A service with its network interfaces in the subnets of attribute `subnets` (of
    /// nested block `block` when one is named), behind the groups of `groups` (else the
    /// VPC's default group), with private addresses only (`what` says what it is, for the
    /// reason); `None` without subnets (AWS then picks the default VPC's, which the plan
    /// does not show).
    fn placed(
        &self,
        i: usize,
        (block, subnets, groups): (Option<&str>, &str, &str),
        kind: WorkloadKind,
        what: &str,
    ) -> Option<Spec> {
        let inst = self.inst(i);
        let address = inst.address;
        let (subnets, groups) = match block {
            Some(b) => {
                let blk = block_objects(inst, b).into_iter().next()?;
                (
                    self.link_list_in_block(i, &blk, subnets, SUBNET),
                    self.groups_in_block(i, &blk, groups),
                )
            }
            // One subnet.
            None if subnets == "subnet_id" => (
                match self.link(i, subnets, SUBNET) {
                    LinkA::None => Vec::new(),
                    l => vec![l],
                },
                self.groups_of(i, groups),
            ),
            None => (
                self.link_list(i, subnets, SUBNET),
                self.groups_of(i, groups),
            ),
        };
        if subnets.is_empty() {
            return None;
        }
        Some(Spec::new(
            kind,
            subnets,
            groups,
            PublicIpv4::Never(format!(
                "`{address}` is {what}: it never gets a public IPv4 address"
            )),
            Some(0),
        ))
    }

    /// `aws_route53_resolver_endpoint`: its network interfaces, one in the subnet of each
    /// `ip_address` block, behind `security_group_ids`, with private addresses only. An
    /// inbound endpoint takes DNS queries from the VPC and what is connected to it; an
    /// outbound one sends them on to other resolvers.
    fn resolver_endpoint(&self, i: usize) -> Option<Spec> {
        let inst = self.inst(i);
        let address = inst.address;
        let mut subnets = Vec::new();
        for (obj, unk, expr) in block_objects(inst, "ip_address") {
            let s = self.link_in_block(i, obj.as_ref(), unk.as_ref(), expr, "subnet_id", SUBNET);
            if !matches!(s, LinkA::None) {
                subnets.push(s);
            }
        }
        if subnets.is_empty() {
            return None;
        }
        let groups = self.groups_of(i, "security_group_ids");
        Some(Spec::new(
            WorkloadKind::ServiceInterface,
            subnets,
            groups,
            PublicIpv4::Never(format!(
                "`{address}` is a Route 53 Resolver endpoint: its network interfaces have private IPv4 addresses only"
            )),
            None,
        ))
    }

    /// `aws_batch_compute_environment` with `compute_resources` (a managed one): the EC2
    /// instances or Fargate tasks that run its jobs, in each of its `subnets`. Their groups
    /// are `security_group_ids`; without them, EC2 instances take their launch template's,
    /// else the VPC's default group. EC2 instances get a public IPv4 address as their
    /// template or subnet says; Fargate jobs as each job definition's `assignPublicIp`
    /// says, which is outside the compute environment.
    fn batch_compute(&self, i: usize) -> Option<Spec> {
        let inst = self.inst(i);
        let address = inst.address;
        let block = block_objects(inst, "compute_resources")
            .into_iter()
            .next()?;
        let subnets = self.link_list_in_block(i, &block, "subnets", SUBNET);
        if subnets.is_empty() {
            return None;
        }
        let mut groups = self.groups_in_block(i, &block, "security_group_ids");
        let mut settings_from = Vec::new();
        let mut public_ipv4 = PublicIpv4::None;
        let mut ipv6_address_count = None;
        let fargate = obj_str(block.0.as_ref(), "type").is_some_and(|t| t.starts_with("FARGATE"));
        if fargate {
            public_ipv4 = PublicIpv4::Unknown(format!(
                "whether the Fargate jobs of `{address}` get a public IPv4 address is set by each job definition (`assignPublicIp`)"
            ));
        } else if groups.is_empty() {
            for lt in sub_blocks(&block, "launch_template") {
                let (g, p, v) = match self.template_link(
                    i,
                    &lt,
                    "launch_template_id",
                    "launch_template_name",
                ) {
                    LinkA::To(t, _) => {
                        settings_from.push(self.inst(t).address.to_string());
                        self.launch_template(t)
                    }
                    other => unknown_template(address, &other, "launch template"),
                };
                (groups, public_ipv4, ipv6_address_count) = (g, p, v);
            }
        }
        Some(Spec {
            settings_from,
            ..Spec::new(
                WorkloadKind::BatchCompute,
                subnets,
                groups,
                public_ipv4,
                ipv6_address_count,
            )
        })
    }

    /// `aws_ec2_client_vpn_endpoint`: its users, in each subnet an
    /// `aws_ec2_client_vpn_network_association` associates it with. Their traffic leaves
    /// from the endpoint's network interface there, behind its `security_group_ids` (else
    /// the VPC's default group, which AWS applies), with private addresses only; the
    /// endpoint's authorization rules and its routes through that subnet say where to.
    fn client_vpn(&self, i: usize) -> Option<Spec> {
        let address = self.inst(i).address;
        let of_this = |types: &str| -> Vec<usize> {
            self.insts(types)
                .into_iter()
                .filter(|&j| {
                    matches!(self.link(j, "client_vpn_endpoint_id", CLIENT_VPN_ENDPOINT), LinkA::To(e, _) if e == i)
                })
                .collect()
        };
        let cidr = |j: usize, attr: &str| -> Result<IpNet, String> {
            let inst = self.inst(j);
            match inst.str(attr) {
                Some(v) => v
                    .trim()
                    .parse::<IpNet>()
                    .map(|n| n.trunc())
                    .map_err(|_| format!("`{}.{attr}` is not a CIDR: {v:?}", inst.address)),
                None => Err(unknown_reason(inst.address, attr)),
            }
        };
        let mut subnets = Vec::new();
        let mut associations = Vec::new();
        let mut settings_from = Vec::new();
        for a in of_this("aws_ec2_client_vpn_network_association") {
            let s = self.link(a, "subnet_id", SUBNET);
            if !matches!(s, LinkA::None) {
                let address = self.inst(a).address.to_string();
                subnets.push(s.clone());
                associations.push((s, address.clone()));
                settings_from.push(address);
            }
        }
        if subnets.is_empty() {
            return None;
        }
        let mut authorizations = Vec::new();
        for r in of_this("aws_ec2_client_vpn_authorization_rule") {
            let a = self.inst(r).address.to_string();
            authorizations.push((a.clone(), cidr(r, "target_network_cidr")));
            settings_from.push(a);
        }
        authorizations.sort();
        let mut routes = Vec::new();
        for r in of_this("aws_ec2_client_vpn_route") {
            let a = self.inst(r).address.to_string();
            routes.push((
                a.clone(),
                self.link(r, "target_vpc_subnet_id", SUBNET),
                cidr(r, "destination_cidr_block"),
            ));
            settings_from.push(a);
        }
        settings_from.sort();
        settings_from.dedup();
        let groups = self.groups_of(i, "security_group_ids");
        Some(Spec {
            settings_from,
            client_vpn: Some(ClientVpnA {
                endpoint: address.to_string(),
                associations,
                authorizations,
                routes,
            }),
            ..Spec::new(
                WorkloadKind::ClientVpn,
                subnets,
                groups,
                PublicIpv4::Never(format!(
                    "`{address}` is a Client VPN endpoint: its network interfaces have private IPv4 addresses only"
                )),
                Some(0),
            )
        })
    }

    /// An FSx file system: its file servers in `subnet_ids` (two for a Multi-AZ one),
    /// behind `security_group_ids` (else the VPC's default group); never a public address.
    fn fsx(&self, i: usize) -> Option<Spec> {
        let address = self.inst(i).address;
        let subnets = self.link_list(i, "subnet_ids", SUBNET);
        let groups = self.groups_of(i, "security_group_ids");
        Some(Spec::new(
            WorkloadKind::FileSystem,
            subnets,
            groups,
            PublicIpv4::Never(format!(
                "`{address}` is an FSx file system: it never gets a public IPv4 address"
            )),
            None,
        ))
    }

    /// The subnets of the subnet group a resource names (`attr`, one of `types`); `None`,
    /// with a diagnostic, when the group is outside the plan or not known.
    fn subnet_group(&self, i: usize, attr: &str, types: &[&str], what: &str) -> Option<Vec<LinkA>> {
        let address = self.inst(i).address;
        match self.link(i, attr, types) {
            LinkA::To(g, _) => Some(self.link_list(g, "subnet_ids", SUBNET)),
            LinkA::External(name) => {
                self.diag(
                    address,
                    format!(
                        "{what} subnet group `{name}` is outside this plan: its subnets are not known"
                    ),
                );
                None
            }
            _ => {
                self.diag(
                    address,
                    format!("{what} cluster without a known subnet group: not modelled"),
                );
                None
            }
        }
    }

    /// `aws_opensearch_domain` with `vpc_options`: its nodes in those subnets, behind those
    /// groups, never with a public IPv4 address (a domain outside a VPC is not modelled).
    fn search_domain(&self, i: usize) -> Option<Spec> {
        let inst = self.inst(i);
        let address = inst.address;
        let block = block_objects(inst, "vpc_options").into_iter().next()?;
        let subnets = self.link_list_in_block(i, &block, "subnet_ids", SUBNET);
        if subnets.is_empty() {
            return None;
        }
        let groups = self.groups_in_block(i, &block, "security_group_ids");
        let public_ipv4 = PublicIpv4::Never(format!(
            "`{address}` is an OpenSearch domain in a VPC: its nodes have private addresses only"
        ));
        Some(Spec::new(
            WorkloadKind::SearchDomain,
            subnets,
            groups,
            public_ipv4,
            None,
        ))
    }
}

/// How one kind of database finds its subnets, groups and public address.
struct DbFamily {
    /// The cluster types an instance names by `cluster_identifier` (none: it is the cluster).
    cluster: &'static [&'static str],
    subnet_group_attr: &'static str,
    subnet_groups: &'static [&'static str],
    /// Why it never has a public address, for a service that gives none.
    never_public: Option<&'static str>,
    what: &'static str,
}

impl DbFamily {
    fn of(rtype: &str) -> Option<DbFamily> {
        Some(match rtype {
            "aws_db_instance" | "aws_rds_cluster_instance" => DbFamily {
                cluster: if rtype == "aws_rds_cluster_instance" {
                    RDS_CLUSTER
                } else {
                    &[]
                },
                subnet_group_attr: "db_subnet_group_name",
                subnet_groups: DB_SUBNET_GROUP,
                never_public: None,
                what: "DB instance",
            },
            "aws_docdb_cluster_instance" => DbFamily {
                cluster: DOCDB_CLUSTER,
                subnet_group_attr: "db_subnet_group_name",
                subnet_groups: DOCDB_SUBNET_GROUP,
                never_public: Some(
                    "is a DocumentDB instance: DocumentDB gives its instances no public address",
                ),
                what: "DocumentDB instance",
            },
            "aws_neptune_cluster_instance" => DbFamily {
                cluster: NEPTUNE_CLUSTER,
                subnet_group_attr: "neptune_subnet_group_name",
                subnet_groups: NEPTUNE_SUBNET_GROUP,
                never_public: None,
                what: "Neptune instance",
            },
            "aws_redshift_cluster" => DbFamily {
                cluster: &[],
                subnet_group_attr: "cluster_subnet_group_name",
                subnet_groups: REDSHIFT_SUBNET_GROUP,
                never_public: None,
                what: "Redshift cluster",
            },
            _ => return None,
        })
    }
}

impl B<'_, '_> {
    /// `aws_eks_node_group`: the subnets of `subnet_ids`. With a launch template, its groups
    /// and public IPv4 setting; without one, EKS puts the nodes in the cluster security
    /// group it creates, which the plan does not hold.
    fn eks_node_group(&self, i: usize) -> Option<Spec> {
        let subnets = self.link_list(i, "subnet_ids", SUBNET);
        let inst = self.inst(i);
        let address = inst.address;
        let mut template = LinkA::None;
        for b in block_objects(inst, "launch_template") {
            template = self.template_link(i, &b, "id", "name");
        }
        let mut settings_from = Vec::new();
        let (mut groups, public_ipv4, ipv6_address_count) = match template {
            LinkA::To(t, _) => {
                settings_from.push(self.inst(t).address.to_string());
                let (g, p, v) = self.launch_template(t);
                if g.is_empty() {
                    (self.cluster_group(i), p, v)
                } else {
                    (g, p, v)
                }
            }
            LinkA::None => (self.cluster_group(i), PublicIpv4::None, None),
            other => unknown_template(address, &other, "launch template"),
        };
        if has_remote_access(inst) {
            groups.push(LinkA::ToAddr(
                remote_access_name(address),
                LinkHow::Reference,
            ));
        }
        Some(Spec {
            settings_from,
            ..Spec::new(
                WorkloadKind::EksNodeGroup,
                subnets,
                groups,
                public_ipv4,
                ipv6_address_count,
            )
        })
    }

    /// `aws_lambda_function` with a `vpc_config`: its network interfaces in each subnet,
    /// never with a public IPv4 address.
    fn lambda_function(&self, i: usize) -> Option<Spec> {
        let inst = self.inst(i);
        let block = block_objects(inst, "vpc_config").into_iter().next()?;
        let subnets = self.link_list_in_block(i, &block, "subnet_ids", SUBNET);
        if subnets.is_empty() {
            return None;
        }
        let groups = self.groups_in_block(i, &block, "security_group_ids");
        // IPv6 only with `ipv6_allowed_for_dual_stack` (then as the subnet assigns).
        let allow_ipv6 = obj_bool(block.0.as_ref(), "ipv6_allowed_for_dual_stack") == Some(true);
        Some(Spec::new(
            WorkloadKind::LambdaFunction,
            subnets,
            groups,
            PublicIpv4::Never(format!(
                "`{}` is a Lambda function: its network interfaces never get public IPv4 addresses",
                inst.address
            )),
            (!allow_ipv6).then_some(0),
        ))
    }

    /// `aws_elasticache_replication_group`, or an `aws_elasticache_cluster` of its own: the
    /// subnets of its cache subnet group; never a public IPv4 address.
    fn cache(&self, i: usize) -> Option<Spec> {
        let inst = self.inst(i);
        let address = inst.address;
        // A cluster in a replication group: the group is the workload (for the group itself,
        // `replication_group_id` is its own name).
        let member = inst.rtype == "aws_elasticache_cluster"
            && (inst.str("replication_group_id").is_some()
                || inst.expr("replication_group_id").is_some());
        if member {
            return None;
        }
        let subnets = match self.link(i, "subnet_group_name", CACHE_SUBNET_GROUP) {
            LinkA::To(g, _) => self.link_list(g, "subnet_ids", SUBNET),
            LinkA::External(name) => {
                self.diag(
                    address,
                    format!("cache subnet group `{name}` is outside this plan: its subnets are not known"),
                );
                return None;
            }
            _ => {
                self.diag(
                    address,
                    "cache cluster without a known cache subnet group: not modelled".to_string(),
                );
                return None;
            }
        };
        let groups = self.groups_of(i, "security_group_ids");
        Some(Spec::new(
            WorkloadKind::CacheCluster,
            subnets,
            groups,
            PublicIpv4::Never(format!(
                "`{address}` is an ElastiCache cluster: its nodes never get public IPv4 addresses"
            )),
            Some(u32::from(matches!(
                self.inst(i).str("network_type"),
                Some("dual_stack" | "ipv6")
            ))),
        ))
    }

    /// `aws_efs_mount_target`: a network interface in one subnet, never with a public IPv4
    /// address.
    fn efs_mount_target(&self, i: usize) -> Option<Spec> {
        let subnet = self.link(i, "subnet_id", SUBNET);
        let groups = self.groups_of(i, "security_groups");
        let address = self.inst(i).address;
        Some(Spec::new(
            WorkloadKind::EfsMountTarget,
            vec![subnet],
            groups,
            PublicIpv4::Never(format!(
                "`{address}` is an EFS mount target: it never gets a public IPv4 address"
            )),
            None,
        ))
    }
}

/// The protocols a listener's `protocol` (or a Classic Load Balancer's `lb_protocol`)
/// takes connections over: UDP for `UDP`, both for `TCP_UDP`, none for a Gateway Load
/// Balancer's `GENEVE`, TCP for the rest (HTTP, HTTPS, TCP, TLS, SSL, and the HTTP an
/// Application Load Balancer's listener defaults to).
pub(super) fn listener_protocols(p: Option<&str>) -> &'static [Protocol] {
    match p.map(str::to_ascii_uppercase).as_deref() {
        Some("UDP") => &[Protocol::Udp],
        Some("TCP_UDP") => &[Protocol::Tcp, Protocol::Udp],
        Some("GENEVE") => &[],
        _ => &[Protocol::Tcp],
    }
}

impl B<'_, '_> {
    /// The listeners of each load balancer of the plan, by the load balancer's instance
    /// index (`aws_lb_listener`, `aws_alb_listener`; a Classic Load Balancer's are its
    /// own `listener` blocks).
    ///
    /// The listeners whose load balancer is not known at plan time are given apart, as
    /// listeners that may be any Application or Network Load Balancer's
    /// ([`Listeners::maybe`], and [`Listeners::unknown`] for one whose port is not known).
    fn lb_listeners(&self) -> (HashMap<usize, Listeners>, Unplaced<'_>) {
        let mut out: HashMap<usize, Listeners> = HashMap::default();
        // Those whose load balancer is not known: the first of each protocol, port and
        // candidates, with why, and how many others are like it.
        type Key<'k> = (Option<&'k str>, Option<i64>, bool, Vec<usize>);
        let mut firsts: Vec<(usize, String, Key<'_>, usize)> = Vec::new();
        let mut same: HashMap<Key<'_>, usize> = HashMap::default();
        for t in ["aws_lb_listener", "aws_alb_listener"] {
            for li in self.insts(t) {
                let lb = match self.link(li, "load_balancer_arn", LOAD_BALANCER) {
                    LinkA::To(lb, _) => lb,
                    LinkA::Unresolved(why) => {
                        let inst = self.inst(li);
                        // The load balancers it may be of, when its references name them all.
                        let key = (
                            inst.str("protocol"),
                            inst.i64("port"),
                            inst.is_unknown("port"),
                            self.among(li, "load_balancer_arn", LOAD_BALANCER),
                        );
                        match same.get(&key).and_then(|&k| firsts.get_mut(k)) {
                            Some(first) => first.3 += 1,
                            None => {
                                same.insert(key.clone(), firsts.len());
                                firsts.push((li, why, key, 0));
                            }
                        }
                        continue;
                    }
                    _ => continue,
                };
                let inst = self.inst(li);
                let entry = out.entry(lb).or_default();
                match inst.i64("port").and_then(|p| u16::try_from(p).ok()) {
                    Some(port) => {
                        for &protocol in listener_protocols(inst.str("protocol")) {
                            entry.ports.push(Listener {
                                address: inst.address.to_string(),
                                protocol,
                                port,
                            });
                        }
                    }
                    None if inst.is_unknown("port") => {
                        entry.unknown.push(unknown_reason(inst.address, "port"));
                    }
                    // A Gateway Load Balancer's listener has no port.
                    None => {}
                }
            }
        }
        for l in out.values_mut() {
            l.ports
                .sort_by(|a, b| (&a.address, a.port).cmp(&(&b.address, b.port)));
            l.ports.dedup();
        }
        // Each with its `protocol`, which only some kinds of load balancer take.
        let unplaced_all = firsts
            .into_iter()
            .map(|(li, why, (protocol, port, port_unknown, among), like)| {
                let inst = self.inst(li);
                let mut unplaced = Listeners::default();
                let others = match like {
                    0 => String::new(),
                    1 => "; as may 1 other listener like it (same protocol, port and candidates)"
                        .to_string(),
                    n => format!(
                        "; as may {n} other listeners like it (same protocol, port and candidates)"
                    ),
                };
                let may = format!(
                    "`{}` may be its listener: its load balancer is not known at plan time ({why})",
                    inst.address
                );
                match port.and_then(|p| u16::try_from(p).ok()) {
                    Some(port) => {
                        for &protocol in listener_protocols(protocol) {
                            let l = Listener {
                                address: inst.address.to_string(),
                                protocol,
                                port,
                            };
                            unplaced
                                .maybe
                                .push(std::sync::Arc::new((l, format!("{may}{others}"))));
                        }
                    }
                    None if port_unknown => unplaced
                        .unknown
                        .push(format!("{may}, on a port known only after apply{others}")),
                    None => {}
                }
                (protocol, among, unplaced)
            })
            .collect();
        (out, unplaced_all)
    }

    /// `aws_lb` / `aws_alb` (Application and Network Load Balancers) and `aws_elb`
    /// (Classic): its nodes in each of its subnets. Internet-facing unless `internal`
    /// (AWS's default); the nodes of an internal one have private addresses only. Its
    /// groups are `security_groups`; an Application or Classic Load Balancer created
    /// without any gets its VPC's default group, a Network Load Balancer none at all. It
    /// accepts connections on its listeners' ports only.
    fn load_balancer(
        &self,
        i: usize,
        listeners: &HashMap<usize, Listeners>,
        unplaced: &[(Option<&str>, Vec<usize>, Listeners)],
    ) -> Option<Spec> {
        let inst = self.inst(i);
        let address = inst.address;
        let classic = inst.rtype == "aws_elb";
        let network = match inst.str("load_balancer_type") {
            Some("gateway") => return None,
            Some("network") => true,
            _ => false,
        };
        let mut subnets = self.link_list(i, "subnets", SUBNET);
        for (obj, unk, expr) in block_objects(inst, "subnet_mapping") {
            // A subnet named twice is one workload: `fleets` drops repeated names.
            subnets.push(self.link_in_block(
                i,
                obj.as_ref(),
                unk.as_ref(),
                expr,
                "subnet_id",
                SUBNET,
            ));
        }
        subnets.retain(|l| !matches!(l, LinkA::None));
        if subnets.is_empty() {
            self.diag(
                address,
                "load balancer without subnets: it launches in the default VPC, not modelled"
                    .to_string(),
            );
            return None;
        }
        // Not set: AWS's default VPC group for an Application or Classic Load Balancer,
        // no group for a Network Load Balancer.
        let set =
            inst.expr("security_groups").is_some() || !inst.list("security_groups").is_empty();
        let groups: Vec<LinkA> = if set {
            self.groups_of(i, "security_groups")
        } else {
            Vec::new()
        };
        let without_groups = (network && !set).then(|| {
            format!("Network Load Balancer `{address}` has no security groups: nothing filters what reaches it")
        });
        let internal = match inst.bool("internal") {
            Some(true) => Some(Ok(())),
            Some(false) => None,
            None if inst.expr("internal").is_some() => {
                Some(Err(unknown_reason(address, "internal")))
            }
            None => None,
        };
        let ip_type = inst.str("ip_address_type");
        let (public_ipv4, internal) = match internal {
            Some(Ok(())) => {
                let why = format!(
                    "`{address}` is an internal load balancer (internal = true): its nodes have private addresses only and take requests only from clients with access to its VPC"
                );
                (PublicIpv4::Never(why.clone()), Some(why))
            }
            Some(Err(why)) => (PublicIpv4::Unknown(why), None),
            None if ip_type == Some("dualstack-without-public-ipv4") => (
                PublicIpv4::Never(format!(
                    "`{address}` has public IPv6 addresses only (ip_address_type = \"dualstack-without-public-ipv4\")"
                )),
                None,
            ),
            None => (PublicIpv4::Auto, None),
        };
        let ipv6 = match ip_type {
            Some(t) if t.starts_with("dualstack") => Some(1),
            None if !classic && inst.expr("ip_address_type").is_some() => None,
            _ => Some(0),
        };
        let own: Listeners = if classic {
            let mut l = Listeners::default();
            for (obj, _, _) in block_objects(inst, "listener") {
                match obj_i64(obj.as_ref(), "lb_port").and_then(|p| u16::try_from(p).ok()) {
                    Some(port) => {
                        for &protocol in listener_protocols(obj_str(obj.as_ref(), "lb_protocol")) {
                            l.ports.push(Listener {
                                address: format!("{address} listener"),
                                protocol,
                                port,
                            });
                        }
                    }
                    None => l.unknown.push(format!(
                        "a `listener` port of `{address}` is known only after apply"
                    )),
                }
            }
            l.ports.sort_by_key(|x| x.port);
            l.ports.dedup();
            l
        } else {
            let mut l = listeners.get(&i).cloned().unwrap_or_else(|| Listeners {
                ports: Vec::new(),
                unknown: vec![format!(
                    "no listener of `{address}` is in this plan: the ports it accepts are not known"
                )],
                maybe: Vec::new(),
            });
            for (_, _, u) in unplaced.iter().filter(|(p, among, _)| {
                listener_fits(*p, network) && (among.is_empty() || among.contains(&i))
            }) {
                l.unknown.extend(u.unknown.iter().cloned());
                l.maybe.extend(u.maybe.iter().cloned());
            }
            l
        };
        Some(Spec {
            internal,
            without_groups,
            listeners: Some(own),
            ..Spec::new(
                WorkloadKind::LoadBalancer,
                subnets,
                groups,
                public_ipv4,
                ipv6,
            )
        })
    }
}

/// Listeners whose load balancer is not known, each with its `protocol`.
type Unplaced<'a> = Vec<(Option<&'a str>, Vec<usize>, Listeners)>;

/// Whether a listener of `protocol` may be on an Application (`network` false) or a
/// Network Load Balancer: HTTP and HTTPS listeners are an Application Load Balancer's,
/// TCP, UDP, TCP_UDP and TLS ones a Network Load Balancer's, GENEVE ones a Gateway Load
/// Balancer's. A protocol not known fits either.
pub(super) fn listener_fits(protocol: Option<&str>, network: bool) -> bool {
    match protocol.map(str::to_ascii_uppercase).as_deref() {
        Some("HTTP" | "HTTPS") => !network,
        Some("TCP" | "UDP" | "TCP_UDP" | "TLS") => network,
        Some("GENEVE") => false,
        _ => true,
    }
}

/// Whether a node group asks for SSH access (`remote_access`).
fn has_remote_access(inst: &crate::plan::refs::Inst<'_>) -> bool {
    !block_objects(inst, "remote_access").is_empty()
}

/// The security group EKS creates for a node group's `remote_access`.
fn remote_access_name(address: &str) -> String {
    format!("{address} (remote access security group)")
}

impl B<'_, '_> {
    /// The node groups with `remote_access`, each with the name of the group EKS makes for
    /// it (for ids, like the other synthesized groups).
    pub(super) fn eks_remote_access(&self) -> Vec<(String, usize)> {
        self.insts("aws_eks_node_group")
            .into_iter()
            .filter(|&i| has_remote_access(self.inst(i)))
            .map(|i| (remote_access_name(self.inst(i).address), i))
            .collect()
    }

    /// The group EKS creates for a node group's `remote_access`: SSH (TCP 22) from
    /// `source_security_group_ids`, or from anywhere (`0.0.0.0/0`) when it names none (AWS,
    /// "Managed node groups": "port 22 on the worker nodes is opened to the internet").
    pub(super) fn eks_remote_access_group(
        &self,
        name: &str,
        ng: usize,
        vpc_ids: &Ids,
        sg_ids: &Ids,
    ) -> SecurityGroup {
        let inst = self.inst(ng);
        let address = inst.address;
        let vpc = self
            .link_list(ng, "subnet_ids", SUBNET)
            .into_iter()
            .find_map(|s| match s {
                LinkA::To(s, _) => Some(self.link(s, "vpc_id", VPC)),
                _ => None,
            })
            .unwrap_or(LinkA::None);
        let rule = |peer: SgPeer| SgRule {
            address: format!("{address} remote_access"),
            action: inst.action,
            protocol: Protocol::Tcp,
            ports: PortRange { from: 22, to: 22 },
            icmp: IcmpMatch::default(),
            peer,
            description: None,
            unknown: None,
        };
        let mut ingress = Vec::new();
        for b in block_objects(inst, "remote_access") {
            let sources = self.link_list_in_block(ng, &b, "source_security_group_ids", SG_REF);
            if sources.is_empty() {
                ingress.push(rule(SgPeer::Cidr(AnyBlock::V4(Block::Known(
                    Ipv4Net::default(),
                )))));
            }
            for l in sources {
                ingress.push(rule(SgPeer::Group(self.conv(
                    &self.group(l),
                    sg_ids,
                    SecurityGroupId,
                ))));
            }
        }
        SecurityGroup {
            meta: Meta {
                address: name.to_string(),
                action: inst.action,
                id: None,
                tags: Default::default(),
            },
            vpc: self.conv(&vpc, vpc_ids, VpcId),
            name: None,
            is_default: false,
            synthesized: true,
            ingress,
            egress: Vec::new(),
            egress_declared: true,
        }
    }
}

/// The name of the cluster security group EKS creates for cluster `address`.
pub(super) fn cluster_group_name(address: &str) -> String {
    format!("{address} (cluster security group)")
}

/// Whether an EKS cluster assigns IPv6 addresses (`kubernetes_network_config.ip_family`).
fn eks_ipv6(inst: &crate::plan::refs::Inst<'_>) -> bool {
    block_objects(inst, "kubernetes_network_config")
        .iter()
        .any(|(o, _, _)| obj_str(o.as_ref(), "ip_family") == Some("ipv6"))
}

impl B<'_, '_> {
    /// The groups of the nodes of node group `ng` launched without a template that names
    /// some (or of the pods of a Fargate profile): the cluster security group EKS creates
    /// for its cluster (`cluster_name`).
    fn cluster_group(&self, ng: usize) -> Vec<LinkA> {
        match self.link(ng, "cluster_name", EKS_CLUSTER) {
            LinkA::To(c, how) => vec![LinkA::ToAddr(cluster_group_name(self.inst(c).address), how)],
            other => {
                let address = self.inst(ng).address;
                let why = match other {
                    LinkA::External(name) => format!("the cluster `{name}` is not in the plan"),
                    LinkA::Unresolved(why) => why,
                    _ => "its cluster is not known".to_string(),
                };
                vec![LinkA::Unresolved(format!(
                    "the nodes of `{address}` are in the cluster security group EKS creates for their cluster: {why}"
                ))]
            }
        }
    }

    /// `aws_eks_fargate_profile`: the pods Fargate runs for the profile's selectors, in its
    /// `subnet_ids` (AWS takes private subnets only), in the cluster security group EKS
    /// creates for their cluster; no public IPv4 address, and an IPv6 address in an IPv6
    /// cluster.
    fn fargate_profile(&self, i: usize) -> Option<Spec> {
        let subnets = self.link_list(i, "subnet_ids", SUBNET);
        if subnets.is_empty() {
            return None;
        }
        let address = self.inst(i).address;
        let ipv6 = match self.link(i, "cluster_name", EKS_CLUSTER) {
            LinkA::To(c, _) => Some(u32::from(eks_ipv6(self.inst(c)))),
            _ => None,
        };
        Some(Spec::new(
            WorkloadKind::EksNodeGroup,
            subnets,
            self.cluster_group(i),
            PublicIpv4::Never(format!(
                "the pods of `{address}` run on Fargate, which gives EKS pods no public IPv4 address"
            )),
            ipv6,
        ))
    }

    /// Each EKS cluster, with the name of the cluster security group EKS creates for it
    /// (for ids, like the other synthesized groups).
    pub(super) fn eks_cluster_groups(&self) -> Vec<(String, usize)> {
        self.insts("aws_eks_cluster")
            .into_iter()
            .map(|i| (cluster_group_name(self.inst(i).address), i))
            .collect()
    }

    /// The cluster security group EKS creates with a cluster, with its default rules (AWS,
    /// "View Amazon EKS security group requirements for clusters"): everything in from its
    /// own members; everything out to `0.0.0.0/0` (`::/0` for an IPv6 cluster) and to its
    /// own members. Its ID, once known, is `vpc_config[0].cluster_security_group_id`.
    pub(super) fn eks_cluster_group(&self, name: &str, c: usize, vpc_ids: &Ids) -> SecurityGroup {
        let inst = self.inst(c);
        let block = block_objects(inst, "vpc_config").into_iter().next();
        let vpc = block
            .as_ref()
            .map(|b| self.link_list_in_block(c, b, "subnet_ids", SUBNET))
            .unwrap_or_default()
            .into_iter()
            .find_map(|s| match s {
                LinkA::To(s, _) => Some(self.link(s, "vpc_id", VPC)),
                _ => None,
            })
            .unwrap_or(LinkA::None);
        let id = block
            .as_ref()
            .and_then(|(o, _, _)| obj_str(o.as_ref(), "cluster_security_group_id"))
            .map(str::to_string);
        let rule = |dir: &str, n: usize, peer: SgPeer| SgRule {
            address: format!("{name} {dir}[{n}]"),
            action: inst.action,
            protocol: Protocol::All,
            ports: PortRange::ALL,
            icmp: IcmpMatch::default(),
            peer,
            description: None,
            unknown: None,
        };
        let world = if eks_ipv6(inst) {
            AnyBlock::V6(Block::Known(Ipv6Net::default()))
        } else {
            AnyBlock::V4(Block::Known(Ipv4Net::default()))
        };
        SecurityGroup {
            meta: Meta {
                address: name.to_string(),
                action: inst.action,
                id,
                tags: Default::default(),
            },
            vpc: self.conv(&vpc, vpc_ids, VpcId),
            name: None,
            is_default: false,
            synthesized: true,
            ingress: vec![rule("ingress", 0, SgPeer::SelfGroup)],
            egress: vec![
                rule("egress", 0, SgPeer::Cidr(world)),
                rule("egress", 1, SgPeer::SelfGroup),
            ],
            egress_declared: true,
        }
    }
}

/// Groups and public IPv4 of instances whose launch template or configuration is not in
/// the plan, or not known: unknown, saying why.
fn unknown_template(address: &str, l: &LinkA, what: &str) -> (Vec<LinkA>, PublicIpv4, Option<u32>) {
    let reason = match l {
        LinkA::External(id) => format!(
            "the {what} `{id}` of `{address}` is outside this plan: its security groups and public IPv4 setting are not known"
        ),
        LinkA::Unresolved(why) => format!("the {what} of `{address}` is not known: {why}"),
        _ => format!("the {what} of `{address}` is not known"),
    };
    (
        vec![LinkA::Unresolved(reason.clone())],
        PublicIpv4::Unknown(reason),
        None,
    )
}
