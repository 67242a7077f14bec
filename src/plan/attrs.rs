//! Which top-level resource attributes the model builder reads ([`READ`]): the snake_case
//! string literals of `build.rs`, `build/fleets.rs`, `build/targets.rs` and `refs.rs` that
//! some AWS resource has as a top-level attribute. The parser keeps only these keys of
//! each resource's `values` and `after_unknown`, so a 263 MB plan does not become
//! gigabytes of `serde_json::Value`; nested values of a kept key are kept whole. The other
//! literals (nested keys, resource types, keywords) are in [`OTHER`].
//!
//! A test checks that every literal of those files is listed in one of the two: a new
//! attribute read by the builder fails it until it is added. Each parsed resource holds
//! two bit sets of [`READ`]'s size, so a name that is no top-level attribute goes to
//! [`OTHER`] (another check reads the testdata plans for such a name at the top level).

/// Sorted (a test keeps it so), for readers.
pub const READ: &[&str] = &[
    "accept_status",
    "action",
    "active",
    "address_family",
    "allocation_id",
    "appliance_mode_support",
    "arn",
    "assign_generated_ipv6_cidr_block",
    "assign_ipv6_address_on_creation",
    "associate_public_ip_address",
    "attachment",
    "auto_accept",
    "autoscaling_group_name",
    "availability_zone",
    "aws_account_id",
    "aws_region",
    "bgp_asn",
    "blackhole",
    "broker_node_group_info",
    "cache_cluster_enabled",
    "carrier_gateway_id",
    "cidr",
    "cidr_block",
    "cidr_blocks",
    "cidr_ipv4",
    "cidr_ipv6",
    "client_subnets",
    "client_vpn_endpoint_id",
    "cluster_identifier",
    "cluster_name",
    "cluster_subnet_group_name",
    "compute_resources",
    "condition",
    "connectivity_type",
    "core_network_arn",
    "cross_zone_load_balancing",
    "customer_gateway_id",
    "data",
    "db_subnet_group_name",
    "default",
    "default_action",
    "default_network_acl_id",
    "default_route_table_association",
    "default_route_table_id",
    "default_route_table_propagation",
    "default_security_group_id",
    "description",
    "destination_cidr_block",
    "destination_ipv6_cidr_block",
    "destination_prefix_list_id",
    "device_index",
    "egress",
    "egress_only_gateway_id",
    "elb",
    "enable",
    "enable_cross_zone_load_balancing",
    "enable_dns64",
    "endpoint_id",
    "entry",
    "firewall_status",
    "force_destroy",
    "from_port",
    "gateway_id",
    "health_check",
    "icmp_code",
    "icmp_type",
    "id",
    "ingress",
    "instance",
    "instance_id",
    "instance_port",
    "instances",
    "internal",
    "internet_gateway_block_mode",
    "internet_gateway_exclusion_mode",
    "internet_gateway_id",
    "ip",
    "ip_address",
    "ip_address_type",
    "ip_protocol",
    "ipv4_ipam_pool_id",
    "ipv6_address_count",
    "ipv6_addresses",
    "ipv6_cidr_block",
    "ipv6_cidr_blocks",
    "ipv6_ipam_pool_id",
    "ipv6_netmask_length",
    "ipv6_support",
    "kubernetes_network_config",
    "launch_configuration",
    "launch_template",
    "lb_port",
    "lb_target_group_arn",
    "listener",
    "listener_arn",
    "load_balancer",
    "load_balancer_arn",
    "load_balancer_type",
    "load_balancers",
    "load_balancing_cross_zone_enabled",
    "local_gateway_id",
    "main_route_table_id",
    "map_public_ip_on_launch",
    "method_path",
    "mixed_instances_policy",
    "multicast_support",
    "name",
    "nat_gateway_id",
    "neptune_subnet_group_name",
    "network",
    "network_acl_id",
    "network_configuration",
    "network_interface",
    "network_interface_id",
    "network_interfaces",
    "network_type",
    "path",
    "peer_region",
    "peer_transit_gateway_id",
    "peer_vpc_id",
    "physical_connection_requirements",
    "port",
    "prefix_list_id",
    "prefix_list_ids",
    "preserve_client_ip",
    "primary_network_interface_id",
    "private_dns_enabled",
    "private_ip",
    "private_ips",
    "propagating_vgws",
    "protocol",
    "public_ip",
    "publicly_accessible",
    "referenced_security_group_id",
    "region",
    "remote_access",
    "remote_ipv4_network_cidr",
    "remote_ipv6_network_cidr",
    "replace_default_association",
    "replication_group_id",
    "rest_api_id",
    "route",
    "route_table_id",
    "route_table_ids",
    "rule_action",
    "rule_number",
    "secondary_private_ips",
    "security_group_id",
    "security_group_ids",
    "security_group_referencing_support",
    "security_groups",
    "self",
    "service_name",
    "settings",
    "source_dest_check",
    "source_ip",
    "source_security_group_id",
    "stage_name",
    "static_routes_only",
    "subnet_group_name",
    "subnet_id",
    "subnet_ids",
    "subnet_mapping",
    "subnets",
    "tags",
    "target_group_arn",
    "target_group_arns",
    "target_id",
    "target_network_cidr",
    "target_type",
    "target_vpc_subnet_id",
    "to_port",
    "transit_gateway_attachment_id",
    "transit_gateway_default_route_table_association",
    "transit_gateway_default_route_table_propagation",
    "transit_gateway_id",
    "transit_gateway_route_table_id",
    "type",
    "values",
    "vpc_config",
    "vpc_endpoint_id",
    "vpc_endpoint_type",
    "vpc_id",
    "vpc_options",
    "vpc_peering_connection_id",
    "vpc_security_group_ids",
    "vpc_subnet_ids",
    "vpc_zone_identifier",
    "vpn_connection_id",
    "vpn_ecmp_support",
    "vpn_gateway_id",
];

/// Top-level attributes only a few kinds of resource have, read by the builder (data
/// sources: `data.aws_internet_gateway.attachments`, `data.aws_route_table.routes` and
/// `associations`,
/// `data.aws_vpc.cidr_block_associations`, `data.aws_ec2_managed_prefix_list.entries`; a VPC
/// Lattice endpoint's `resource_configuration_arn` or `service_network_arn`). Kept like [`READ`]'s, but outside the bit sets
/// ([`NameSet`] holds [`READ`] only), among a resource's kept pairs: the sets of every
/// parsed resource stay at three words. Sorted.
pub const READ_RARE: &[&str] = &[
    "acceptance_required",
    "allowed_principals",
    "associations",
    "attachments",
    "cidr_block_associations",
    "entries",
    "gateway_load_balancer_arns",
    "ipv6_address_list",
    "ipv6_prefix_count",
    "ipv6_prefixes",
    "network_load_balancer_arns",
    "principal_arn",
    "replace_existing_association",
    "resource_configuration_arn",
    "routes",
    "service_network_arn",
    "vpc_endpoint_service_id",
];

/// The builder's other snake_case literals: keys it reads only inside a nested block or
/// object, resource types, keywords. No resource type the builder reads has a top-level
/// attribute of one of these names (as the provider's schema says; most are no top-level
/// attribute anywhere, `enabled` and `target` are only elsewhere): the parser keeps none of
/// them as a resource attribute, but stores a string equal to one as the static copy
/// ([`intern`]). Sorted, and disjoint from [`READ`].
pub const OTHER: &[&str] = &[
    "all",
    "allow",
    "amazonaws",
    "assign_public_ip",
    "aws",
    "aws_alb",
    "aws_alb_listener",
    "aws_alb_listener_rule",
    "aws_alb_target_group",
    "aws_alb_target_group_attachment",
    "aws_api_gateway_method_settings",
    "aws_api_gateway_stage",
    "aws_apprunner_vpc_connector",
    "aws_autoscaling_attachment",
    "aws_autoscaling_group",
    "aws_batch_compute_environment",
    "aws_codebuild_project",
    "aws_customer_gateway",
    "aws_dax_cluster",
    "aws_dax_subnet_group",
    "aws_db_instance",
    "aws_db_proxy",
    "aws_db_subnet_group",
    "aws_default_network_acl",
    "aws_default_route_table",
    "aws_default_security_group",
    "aws_default_subnet",
    "aws_default_vpc",
    "aws_docdb_cluster",
    "aws_docdb_cluster_instance",
    "aws_docdb_subnet_group",
    "aws_ec2_client_vpn_authorization_rule",
    "aws_ec2_client_vpn_endpoint",
    "aws_ec2_client_vpn_network_association",
    "aws_ec2_client_vpn_route",
    "aws_ec2_instance_connect_endpoint",
    "aws_ec2_managed_prefix_list",
    "aws_ec2_managed_prefix_list_entry",
    "aws_ec2_transit_gateway",
    "aws_ec2_transit_gateway_peering_attachment",
    "aws_ec2_transit_gateway_peering_attachment_accepter",
    "aws_ec2_transit_gateway_prefix_list_reference",
    "aws_ec2_transit_gateway_route",
    "aws_ec2_transit_gateway_route_table",
    "aws_ec2_transit_gateway_route_table_association",
    "aws_ec2_transit_gateway_route_table_propagation",
    "aws_ec2_transit_gateway_vpc_attachment",
    "aws_ec2_transit_gateway_vpc_attachment_accepter",
    "aws_ec2_transit_gateway_vpn_attachment",
    "aws_ecs_service",
    "aws_efs_mount_target",
    "aws_egress_only_internet_gateway",
    "aws_eip",
    "aws_eip_association",
    "aws_eks_cluster",
    "aws_eks_fargate_profile",
    "aws_eks_node_group",
    "aws_elasticache_cluster",
    "aws_elasticache_replication_group",
    "aws_elasticache_serverless_cache",
    "aws_elasticache_subnet_group",
    "aws_elasticsearch_domain",
    "aws_elb",
    "aws_elb_attachment",
    "aws_fsx_lustre_file_system",
    "aws_fsx_ontap_file_system",
    "aws_fsx_openzfs_file_system",
    "aws_fsx_windows_file_system",
    "aws_glue_connection",
    "aws_instance",
    "aws_internet_gateway",
    "aws_internet_gateway_attachment",
    "aws_lambda_function",
    "aws_launch_configuration",
    "aws_launch_template",
    "aws_lb",
    "aws_lb_listener",
    "aws_lb_listener_rule",
    "aws_lb_target_group",
    "aws_lb_target_group_attachment",
    "aws_main_route_table_association",
    "aws_memorydb_cluster",
    "aws_memorydb_subnet_group",
    "aws_mq_broker",
    "aws_msk_cluster",
    "aws_mwaa_environment",
    "aws_nat_gateway",
    "aws_neptune_cluster",
    "aws_neptune_cluster_instance",
    "aws_neptune_subnet_group",
    "aws_network_acl",
    "aws_network_acl_association",
    "aws_network_acl_rule",
    "aws_network_interface",
    "aws_network_interface_attachment",
    "aws_network_interface_sg_attachment",
    "aws_networkfirewall_firewall",
    "aws_opensearch_domain",
    "aws_prefix_list",
    "aws_rds_cluster",
    "aws_rds_cluster_instance",
    "aws_redshift_cluster",
    "aws_redshift_subnet_group",
    "aws_redshiftserverless_workgroup",
    "aws_route",
    "aws_route53_resolver_endpoint",
    "aws_route_table",
    "aws_route_table_association",
    "aws_sagemaker_notebook_instance",
    "aws_security_group",
    "aws_security_group_rule",
    "aws_subnet",
    "aws_vpc",
    "aws_vpc_block_public_access_exclusion",
    "aws_vpc_block_public_access_options",
    "aws_vpc_endpoint",
    "aws_vpc_endpoint_route_table_association",
    "aws_vpc_endpoint_security_group_association",
    "aws_vpc_endpoint_service",
    "aws_vpc_endpoint_service_allowed_principal",
    "aws_vpc_endpoint_subnet_association",
    "aws_vpc_ipv4_cidr_block_association",
    "aws_vpc_ipv6_cidr_block_association",
    "aws_vpc_peering_connection",
    "aws_vpc_peering_connection_accepter",
    "aws_vpc_security_group_egress_rule",
    "aws_vpc_security_group_ingress_rule",
    "aws_vpn_connection",
    "aws_vpn_connection_route",
    "aws_vpn_gateway",
    "aws_vpn_gateway_attachment",
    "aws_vpn_gateway_route_propagation",
    "cache_ttl_in_seconds",
    "caching_enabled",
    "cluster_security_group_id",
    "com",
    "connectivity_info",
    "constant_value",
    "container_port",
    "count",
    "dual_stack",
    "dualstack",
    "each",
    "elb_name",
    "enabled",
    "endpoint_public_access",
    "false",
    "forward",
    "gateway",
    "icmp",
    "icmp6",
    "icmpv6",
    "instance_protocol",
    "ip_family",
    "ipv6",
    "ipv6_allowed_for_dual_stack",
    "launch_template_id",
    "launch_template_name",
    "launch_template_specification",
    "lb_protocol",
    "local",
    "main",
    "module",
    "off",
    "private",
    "public_access",
    "public_access_cidrs",
    "rule_no",
    "security_group_id_list",
    "source_security_group_ids",
    "sync_states",
    "target",
    "target_group",
    "tcp",
    "terraform",
    "true",
    "udp",
    "unknown",
    "var",
    "weight",
];

/// Whether the model builder may read a top-level attribute of this name.
#[cfg(test)]
pub fn is_read(name: &str) -> bool {
    index(name).is_some()
}

/// The name of [`READ`] or [`OTHER`] equal to `name`, if any: the parser stores kept
/// keys (and other strings that are names the builder reads) as these instead of
/// allocating a copy.
pub fn intern(name: &str) -> Option<&'static str> {
    find(name.as_bytes()).and_then(name_at)
}

/// The name at position `i` of [`READ`], [`READ_RARE`] and [`OTHER`] one after the other.
fn name_at(i: usize) -> Option<&'static str> {
    READ.iter().chain(READ_RARE).chain(OTHER).nth(i).copied()
}

/// The name at a position [`index`] gives.
pub fn read_name(i: usize) -> Option<&'static str> {
    match i.checked_sub(READ.len()) {
        None => READ.get(i).copied(),
        Some(j) => READ_RARE.get(j).copied(),
    }
}

/// [`index`] and [`intern`] at once.
pub fn lookup(name: &str) -> Option<(usize, &'static str)> {
    index(name).and_then(|i| read_name(i).map(|n| (i, n)))
}

/// Whether a position [`index`] gives is one of [`READ_RARE`], outside the bit sets.
pub fn is_rare(i: usize) -> bool {
    i >= READ.len()
}

/// The position of `name` in [`READ`] followed by [`READ_RARE`], if listed.
pub fn index(name: &str) -> Option<usize> {
    index_bytes(name.as_bytes())
}

/// [`index`] of a name as bytes (a key read straight from the input: a listed name is
/// ASCII, so no UTF-8 check is needed to find it).
///
/// Called for every attribute of every resource (tens of millions of times on a large
/// plan): a hash of the length and the first, middle and last bytes picks a bucket of one
/// or two names, so most keys are rejected without comparing a string.
pub fn index_bytes(name: &[u8]) -> Option<usize> {
    find(name).filter(|&i| i < READ.len() + READ_RARE.len())
}

/// The position of `name` in [`READ`], [`READ_RARE`] and [`OTHER`] one after the other,
/// if listed in one.
fn find(name: &[u8]) -> Option<usize> {
    // Every listed name starts with a lowercase letter: most strings that are not names
    // (CIDRs, IDs in upper case, tag keys such as `Name`) are turned away before hashing.
    if !name.first().is_some_and(u8::is_ascii_lowercase) {
        return None;
    }
    /// Per bucket, its names and their positions.
    type Table = Vec<Vec<(&'static [u8], usize)>>;
    static TABLE: std::sync::OnceLock<Table> = std::sync::OnceLock::new();
    let table = TABLE.get_or_init(|| {
        let mut t = vec![Vec::new(); BUCKETS];
        for (i, name) in READ.iter().chain(READ_RARE).chain(OTHER).enumerate() {
            if let Some(b) = t.get_mut(bucket(name.as_bytes())) {
                b.push((name.as_bytes(), i));
            }
        }
        t
    });
    table
        .get(bucket(name))
        .and_then(|b| b.iter().find(|(n, _)| *n == name))
        .map(|(_, i)| *i)
}

/// A set of [`READ`] names, one bit each.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct NameSet([u64; READ.len().div_ceil(64)]);

impl NameSet {
    pub const EMPTY: NameSet = NameSet([0; READ.len().div_ceil(64)]);

    /// Adds a listed name (others cannot be members).
    #[cfg(test)]
    pub fn insert(&mut self, name: &str) {
        if let Some(i) = index(name) {
            self.add(i);
        }
    }
    /// Adds the name at position `i` of [`READ`].
    pub fn add(&mut self, i: usize) {
        if i >= READ.len() {
            return;
        }
        if let Some(w) = self.0.get_mut(i / 64) {
            *w |= 1 << (i % 64);
        }
    }
    /// Removes the name at position `i` of [`READ`].
    pub fn take(&mut self, i: usize) {
        if let Some(w) = self.0.get_mut(i / 64) {
            *w &= !(1 << (i % 64));
        }
    }
    #[cfg(test)]
    pub fn contains(&self, name: &str) -> bool {
        index(name).is_some_and(|i| self.has(i))
    }
    /// Whether the name at position `i` of [`READ`] is a member.
    pub fn has(&self, i: usize) -> bool {
        i < READ.len() && self.0.get(i / 64).is_some_and(|w| w & (1 << (i % 64)) != 0)
    }
    /// The members, in [`READ`] order.
    pub fn iter(&self) -> impl Iterator<Item = &'static str> + '_ {
        READ.iter()
            .enumerate()
            .filter(|(i, _)| self.0.get(i / 64).is_some_and(|w| w & (1 << (i % 64)) != 0))
            .map(|(_, n)| *n)
    }
}

const BUCKETS: usize = 1024;

fn bucket(b: &[u8]) -> usize {
    let first = b.first().copied().unwrap_or(0) as usize;
    let last = b.last().copied().unwrap_or(0) as usize;
    let mid = b.get(b.len() / 2).copied().unwrap_or(0) as usize;
    (b.len().wrapping_mul(31)
        ^ first.wrapping_mul(7)
        ^ last.wrapping_mul(131)
        ^ mid.wrapping_mul(17))
        % BUCKETS
}

#[cfg(test)]
#[allow(clippy::indexing_slicing, clippy::unwrap_used)]
mod tests {
    use super::*;

    fn literals(src: &str) -> Vec<&str> {
        let mut out = Vec::new();
        for (i, part) in src.split('"').enumerate() {
            // Odd parts are inside quotes (good enough for these two files: no `\"` in a
            // snake_case literal).
            if i % 2 == 1
                && part.starts_with(|c: char| c.is_ascii_lowercase())
                && part
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
            {
                out.push(part);
            }
        }
        out
    }

    #[test]
    fn every_literal_the_builder_uses_is_kept() {
        let mut missing: Vec<&str> = literals(include_str!("build.rs"))
            .into_iter()
            .chain(literals(include_str!("refs.rs")))
            .chain(literals(include_str!("build/fleets.rs")))
            .chain(literals(include_str!("build/targets.rs")))
            .filter(|l| !is_read(l) && !OTHER.contains(l))
            .collect();
        missing.sort_unstable();
        missing.dedup();
        assert!(
            missing.is_empty(),
            "add to attrs::READ (a top-level attribute of some resource) or attrs::OTHER: {missing:?}"
        );
    }

    /// The top-level attribute names of every resource in the testdata and external plans
    /// (`values`, `after`, `before`, `after_unknown`), recursively through modules.
    fn top_level_names(doc: &serde_json::Value, out: &mut std::collections::BTreeSet<String>) {
        fn module(m: &serde_json::Value, out: &mut std::collections::BTreeSet<String>) {
            for r in m["resources"].as_array().into_iter().flatten() {
                out.extend(
                    r["values"]
                        .as_object()
                        .into_iter()
                        .flatten()
                        .map(|(k, _)| k.clone()),
                );
            }
            for c in m["child_modules"].as_array().into_iter().flatten() {
                module(c, out);
            }
        }
        for section in [
            &doc["planned_values"],
            &doc["values"],
            &doc["prior_state"]["values"],
        ] {
            module(&section["root_module"], out);
        }
        for rc in doc["resource_changes"].as_array().into_iter().flatten() {
            for side in ["before", "after", "after_unknown"] {
                out.extend(
                    rc["change"][side]
                        .as_object()
                        .into_iter()
                        .flatten()
                        .map(|(k, _)| k.clone()),
                );
            }
        }
    }

    #[test]
    fn no_other_name_is_a_top_level_attribute_in_the_test_plans() {
        let mut files: Vec<std::path::PathBuf> = Vec::new();
        for dir in ["testdata", "tests/fixtures", "../shared/external-plans"] {
            let Ok(entries) = std::fs::read_dir(dir) else {
                continue;
            };
            for e in entries.flatten() {
                let p = e.path();
                files.extend(
                    ["plan.json", "state.json"]
                        .iter()
                        .map(|f| p.join(f))
                        .filter(|f| f.is_file()),
                );
                if p.extension().is_some_and(|x| x == "json") {
                    files.push(p);
                }
            }
        }
        assert!(files.len() > 50, "{files:?}");
        let mut names = std::collections::BTreeSet::new();
        for f in &files {
            let Ok(doc) = serde_json::from_slice::<serde_json::Value>(&std::fs::read(f).unwrap())
            else {
                continue;
            };
            top_level_names(&doc, &mut names);
        }
        let wrong: Vec<&&str> = OTHER.iter().filter(|n| names.contains(**n)).collect();
        assert!(
            wrong.is_empty(),
            "top-level attributes in OTHER, move them to READ: {wrong:?}"
        );
    }

    #[test]
    fn sorted_and_every_name_is_found() {
        assert!(READ.windows(2).all(|w| w[0] < w[1]));
        assert!(READ_RARE.windows(2).all(|w| w[0] < w[1]));
        assert!(OTHER.windows(2).all(|w| w[0] < w[1]));
        assert!(READ
            .iter()
            .chain(READ_RARE)
            .all(|n| is_read(n) && !OTHER.contains(n) && intern(n) == Some(*n)));
        assert!(READ.iter().all(|n| !READ_RARE.contains(n)));
        assert!(READ_RARE
            .iter()
            .all(|n| index(n).is_some_and(is_rare) && !NameSet::EMPTY.has(index(n).unwrap())));
        // Three words per set.
        assert!(
            READ.len() <= 192,
            "{} names in READ: move rare ones to READ_RARE",
            READ.len()
        );
        assert!(OTHER.iter().all(|n| !is_read(n) && intern(n) == Some(*n)));
        for other in [
            "", "x", "ids", "tags_all", "vpc_idx", "arn_", "owner_id", "timeouts",
        ] {
            assert!(!is_read(other), "{other}");
        }
        assert!(READ.iter().enumerate().all(|(i, n)| index(n) == Some(i)));
    }

    #[test]
    fn name_sets_hold_listed_names_only() {
        let mut s = NameSet::EMPTY;
        for n in [
            "vpc_id",
            "id",
            "zone_id_not_listed",
            "vpc_peering_connection_id",
        ] {
            s.insert(n);
        }
        assert!(s.contains("vpc_id") && s.contains("id"));
        assert!(!s.contains("zone_id_not_listed") && !s.contains("subnet_id"));
        s.take(index("id").unwrap());
        assert!(!s.contains("id") && s.has(index("vpc_id").unwrap()));
        assert_eq!(
            s.iter().collect::<Vec<_>>(),
            ["vpc_id", "vpc_peering_connection_id"]
        );
    }
}
