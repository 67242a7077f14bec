//! Every testdata scenario reports exactly the findings its README names — rule and primary
//! resource — and none of its near misses, with the scenario's own `tfvpc.toml` when it has
//! one. (The full messages are pinned by the snapshots.)
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::path::Path;

use tfvpc::analysis::Scope;
use tfvpc::rules::{Date, Policy};

/// (scenario, [(rule, first resource)]) — sorted as the report sorts them.
const EXPECTED: &[(&str, &[(&str, &str)])] = &[
    ("add-nacl-deny", &[]),
    ("amazon-ipv6-spokes", &[]),
    (
        "api-gateway-cache",
        &[
            ("TFVPC404", "aws_api_gateway_method_settings.health"),
            ("TFVPC404", "aws_api_gateway_method_settings.items"),
        ],
    ),
    ("association-module-for-each", &[]),
    ("attached-ssh", &[("TFVPC203", "aws_security_group.ssh")]),
    ("batch-compute", &[("TFVPC203", "aws_security_group.gpu")]),
    ("block-public-access", &[("TFVPC401", "aws_subnet.app")]),
    (
        "change-eigw-to-igw",
        &[
            ("TFVPC201", "aws_subnet.app"),
            ("TFVPC206", "aws_subnet.app"),
            ("TFVPC401", "aws_subnet.app"),
            ("TFVPC401", "aws_subnet.app"),
        ],
    ),
    (
        "client-vpn",
        &[
            ("TFVPC301", "aws_subnet.app[\"b\"]"),
            ("TFVPC302", "aws_nat_gateway.main"),
            ("TFVPC401", "aws_subnet.app[\"a\"]"),
            ("TFVPC401", "aws_subnet.app[\"a\"]"),
            ("VPN-NOT-DB", "aws_instance.db"),
            ("VPN-NOT-DB", "aws_instance.db"),
        ],
    ),
    ("close-nat-path", &[]),
    (
        "dangling-target",
        &[("TFVPC102", "aws_route_table.app route[0]")],
    ),
    (
        "data-services",
        &[
            ("TFVPC208", "aws_msk_cluster.stream"),
            ("TFVPC208", "aws_redshift_cluster.warehouse"),
        ],
    ),
    ("data-sources", &[]),
    ("default-nacl-module-for-each", &[]),
    ("default-sg-module-for-each", &[]),
    (
        "default-vpc",
        &[
            ("TFVPC203", "aws_security_group.admin"),
            ("TFVPC203", "aws_vpc_security_group_ingress_rule.rdp"),
        ],
    ),
    (
        "default-vpc-existing",
        &[
            ("TFVPC203", "aws_vpc_security_group_ingress_rule.ssh"),
            ("TFVPC206", "aws_instance.web"),
        ],
    ),
    ("delete-eigw", &[("TFVPC102", "aws_route.app_ipv6_egress")]),
    (
        "dns64-nat64",
        &[
            ("TFVPC116", "aws_subnet.jobs"),
            ("TFVPC116", "aws_subnet.public"),
        ],
    ),
    (
        "drop-read-association",
        &[("TFVPC405", "aws_route_table.public")],
    ),
    ("dynamic-blocks", &[]),
    ("edge-association-module-for-each", &[]),
    ("eigw-ipv4-route", &[("TFVPC101", "aws_route.ipv4_to_eigw")]),
    ("eip-released-existing", &[]),
    (
        "eks-cluster",
        &[
            ("TFVPC301", "aws_subnet.private[1]"),
            ("TFVPC302", "aws_nat_gateway.main"),
            ("TFVPC401", "aws_subnet.private[0]"),
            ("TFVPC401", "aws_subnet.private[0]"),
        ],
    ),
    (
        "enable-bpa",
        &[
            ("TFVPC401", "aws_subnet.app"),
            ("TFVPC401", "aws_subnet.app"),
        ],
    ),
    ("endpoint-association-module-for-each", &[]),
    ("endpoint-prefix-list", &[]),
    (
        "endpoint-services",
        &[
            ("TFVPC210", "aws_vpc_endpoint_service.api"),
            ("TFVPC210", "aws_vpc_endpoint_service.reports"),
        ],
    ),
    ("endpoint-sg-association", &[]),
    (
        "existing-vpc",
        &[
            ("TFVPC102", "aws_route_table.web route[0]"),
            ("TFVPC203", "aws_security_group.ssh"),
        ],
    ),
    (
        "fleet-module-for-each",
        &[("TFVPC203", "aws_security_group.bastion")],
    ),
    (
        "fleets",
        &[
            ("TFVPC203", "aws_eks_node_group.ssh remote_access"),
            ("TFVPC203", "aws_security_group.api"),
            ("TFVPC203", "aws_security_group.web"),
            ("TFVPC208", "aws_db_instance.reporting"),
            ("TFVPC209", "aws_eks_cluster.main"),
        ],
    ),
    (
        "fleets-existing",
        &[
            ("TFVPC203", "aws_security_group.web"),
            ("TFVPC206", "aws_autoscaling_group.batch (aws_subnet.a)"),
            ("TFVPC206", "aws_autoscaling_group.web (aws_subnet.a)"),
            ("TFVPC206", "aws_autoscaling_group.web (aws_subnet.b)"),
            ("TFVPC206", "aws_db_instance.app (aws_subnet.a)"),
            ("TFVPC206", "aws_db_instance.app (aws_subnet.b)"),
            ("TFVPC208", "aws_db_instance.app"),
        ],
    ),
    ("forget-defaults", &[]),
    ("icmp-types", &[]),
    ("inline-route-unknown-cidr", &[]),
    (
        "instance-connect-endpoint",
        &[("TFVPC205", "aws_ec2_instance_connect_endpoint.bad")],
    ),
    ("instance-ipv6", &[("TFVPC203", "aws_security_group.ssh6")]),
    (
        "instance-primary-eni",
        &[("TFVPC203", "aws_security_group.ssh")],
    ),
    (
        "interface-endpoint-dns",
        &[
            ("TFVPC305", "aws_vpc_endpoint.s3"),
            ("TFVPC305", "aws_vpc_endpoint.ssm"),
        ],
    ),
    (
        "interface-endpoint-module-for-each",
        &[("TFVPC305", "aws_vpc_endpoint.b[\"b\"]")],
    ),
    (
        "internet-in-parts",
        &[
            ("TFVPC203", "aws_security_group.global"),
            ("TFVPC203", "aws_security_group.halves"),
            ("TFVPC203", "aws_security_group.listed"),
        ],
    ),
    ("ipam-peer", &[]),
    (
        "ipv6-addresses-listed",
        &[("TFVPC203", "aws_security_group.ssh6")],
    ),
    ("ipv6-only-egress", &[]),
    (
        "lattice-endpoints",
        &[
            ("BATCH-ORDERS", "aws_vpc_endpoint.orders_db"),
            ("TFVPC305", "aws_vpc_endpoint.services"),
        ],
    ),
    (
        "lb-health-checks",
        &[
            ("TFVPC112", "aws_elb.legacy"),
            ("TFVPC112", "aws_lb_target_group_attachment.dns"),
            ("TFVPC112", "aws_lb_target_group_attachment.web"),
        ],
    ),
    (
        "lb-listener-module-for-each",
        &[("TFVPC203", "aws_security_group.lb")],
    ),
    ("lb-listeners-via-locals", &[]),
    (
        "lb-rules",
        &[("LB-CANARY", "aws_instance.server[\"world\"]")],
    ),
    ("lb-target-module-for-each", &[]),
    (
        "lb-targets",
        &[
            ("TFVPC112", "aws_lb_target_group_attachment.tools"),
            ("TFVPC203", "aws_lb_listener.admin"),
            ("TFVPC203", "aws_security_group.jump"),
            ("TFVPC306", "aws_elb_attachment.stray"),
        ],
    ),
    (
        "lb-targets-existing",
        &[("TFVPC206", "aws_instance.reports")],
    ),
    (
        "links-module-for-each",
        &[("TFVPC203", "aws_vpc_security_group_ingress_rule.ssh[\"a\"]")],
    ),
    (
        "load-balancers",
        &[
            ("TFVPC111", "aws_lb.misplaced"),
            ("TFVPC111", "aws_lb.misplaced"),
            ("TFVPC203", "aws_lb_listener.ssh"),
            ("TFVPC203", "aws_security_group.rdp_lb"),
            ("TFVPC305", "aws_vpc_endpoint.ssm"),
        ],
    ),
    (
        "load-balancers-existing",
        &[
            ("TFVPC203", "aws_lb_listener.nlb_ssh"),
            ("TFVPC206", "aws_lb.api (aws_subnet.public[0])"),
            ("TFVPC206", "aws_lb.api (aws_subnet.public[1])"),
            ("TFVPC206", "aws_lb.nlb (aws_subnet.public[0])"),
            ("TFVPC206", "aws_lb.nlb (aws_subnet.public[1])"),
            ("TFVPC206", "aws_lb.web (aws_subnet.public[0])"),
            ("TFVPC206", "aws_lb.web (aws_subnet.public[1])"),
        ],
    ),
    (
        "main-route-table",
        &[
            ("TFVPC203", "aws_vpc_security_group_ingress_rule.rdp"),
            ("TFVPC206", "aws_subnet.web"),
        ],
    ),
    (
        "managed-storage",
        &[("TFVPC208", "aws_redshiftserverless_workgroup.analytics")],
    ),
    (
        "mixed-update-replace-delete",
        &[
            ("TFVPC206", "aws_subnet.public"),
            ("TFVPC207", "aws_subnet.app"),
            ("TFVPC207", "aws_subnet.public"),
        ],
    ),
    ("module-cidr-outputs", &[]),
    (
        "modules",
        &[
            ("TFVPC301", "module.network[\"dev\"].aws_subnet.private[1]"),
            (
                "TFVPC302",
                "module.network[\"dev\"].module.routing.aws_nat_gateway.this[0]",
            ),
        ],
    ),
    ("move-associations", &[("TFVPC402", "aws_vpc_endpoint.s3")]),
    (
        "nacl-rules",
        &[
            ("TFVPC110", "aws_network_acl.no_return"),
            ("TFVPC113", "aws_network_acl.shadowed ingress[1]"),
        ],
    ),
    (
        "nat-gateway-placement",
        &[
            ("TFVPC104", "aws_nat_gateway.no_eip"),
            ("TFVPC105", "aws_nat_gateway.misplaced"),
            ("TFVPC202", "aws_subnet.private"),
        ],
    ),
    ("nat-instance", &[("TFVPC204", "aws_instance.nat_a")]),
    ("nat-per-az", &[]),
    (
        "nat-route-module-for-each",
        &[
            ("TFVPC201", "module.tables[\"a\"].aws_subnet.app"),
            ("TFVPC405", "module.tables[\"a\"].aws_route_table.spare"),
        ],
    ),
    (
        "network-firewall",
        &[
            ("TFVPC401", "aws_subnet.app[0]"),
            ("TFVPC401", "aws_subnet.app[0]"),
            ("TFVPC401", "aws_subnet.app[1]"),
            ("TFVPC401", "aws_subnet.app[1]"),
        ],
    ),
    (
        "network-firewall-asymmetric",
        &[
            ("TFVPC109", "aws_networkfirewall_firewall.egress"),
            ("TFVPC401", "aws_subnet.firewall[0]"),
            ("TFVPC401", "aws_subnet.firewall[0]"),
            ("TFVPC401", "aws_subnet.firewall[1]"),
            ("TFVPC401", "aws_subnet.firewall[1]"),
        ],
    ),
    ("open-db-port", &[("TFVPC206", "aws_instance.db")]),
    (
        "open-ssh",
        &[
            ("TFVPC109", "aws_internet_gateway.igw"),
            ("TFVPC203", "aws_security_group.web"),
            ("TFVPC206", "aws_subnet.web"),
        ],
    ),
    ("outside-groups", &[]),
    (
        "outside-subnets",
        &[
            ("TFVPC203", "aws_security_group.ssh"),
            ("TFVPC203", "aws_security_group_rule.debug_ssh"),
            ("TFVPC203", "aws_vpc_security_group_ingress_rule.rdp"),
            ("TFVPC208", "aws_db_instance.public"),
        ],
    ),
    (
        "outside-subnets-existing",
        &[("TFVPC206", "aws_instance.app")],
    ),
    (
        "peering",
        &[
            ("TFVPC108", "aws_vpc_peering_connection.a_d"),
            ("TFVPC109", "aws_route_table.this[\"e\"]"),
        ],
    ),
    ("peering-accepter-module-for-each", &[]),
    (
        "peering-cross-region",
        &[("TFVPC114", "aws_security_group.reports ingress[0]")],
    ),
    ("port-zero", &[("TFVPC110", "aws_network_acl.web")]),
    (
        "read-subnets",
        &[
            ("TFVPC203", "aws_security_group.bastion"),
            ("TFVPC305", "aws_vpc_endpoint.ssm"),
        ],
    ),
    (
        "reassociate-subnet",
        &[
            ("TFVPC202", "aws_subnet.app"),
            ("TFVPC202", "aws_subnet.app"),
            ("TFVPC206", "aws_subnet.app"),
            ("TFVPC206", "aws_subnet.app"),
            ("TFVPC405", "aws_route_table.isolated"),
        ],
    ),
    (
        "replace-nat-gateway",
        &[
            ("TFVPC401", "aws_subnet.private_b"),
            ("TFVPC401", "aws_subnet.private_b"),
        ],
    ),
    (
        "resolver-endpoints",
        &[(
            "DNS-FORWARDS-TO-OFFICE",
            "aws_route53_resolver_endpoint.outbound (aws_subnet.dns[\"b\"])",
        )],
    ),
    ("route-module-for-each", &[]),
    (
        "route-table-candidates",
        &[
            ("TFVPC109", "aws_route_table.shared"),
            ("TFVPC109", "module.spoke[\"a\"].aws_route_table.isolated"),
        ],
    ),
    (
        "route-tables",
        &[
            ("TFVPC103", "aws_route_table.wrong_igw route[0]"),
            ("TFVPC107", "aws_route.dup_via_appliance"),
            ("TFVPC405", "aws_route_table.orphan"),
        ],
    ),
    (
        "security-groups",
        &[
            ("TFVPC203", "aws_security_group.admin_open"),
            ("TFVPC203", "aws_security_group.admin_open"),
        ],
    ),
    (
        "separate-rules",
        &[
            ("TFVPC109", "aws_internet_gateway.igw"),
            ("TFVPC109", "aws_route_table.app"),
        ],
    ),
    (
        "service-interfaces",
        &[
            (
                "GLUE-REACHES-DB",
                "aws_db_instance.main (aws_subnet.private[0])",
            ),
            (
                "GLUE-REACHES-DB",
                "aws_db_instance.main (aws_subnet.private[1])",
            ),
        ],
    ),
    (
        "sg-attachment-module-for-each",
        &[
            ("TFVPC203", "aws_security_group.bastion"),
            ("TFVPC305", "module.app[\"a\"].aws_vpc_endpoint.ec2messages"),
            ("TFVPC305", "module.app[\"a\"].aws_vpc_endpoint.ssm"),
        ],
    ),
    ("sg-attachments", &[]),
    ("sg-by-name", &[("TFVPC203", "aws_security_group.ssh")]),
    (
        "sg-replaced-in-use",
        &[("TFVPC115", "aws_security_group.db")],
    ),
    (
        "single-nat-multi-az",
        &[
            ("TFVPC301", "aws_subnet.private[\"us-east-1b\"]"),
            ("TFVPC301", "aws_subnet.private[\"us-east-1c\"]"),
            ("TFVPC302", "aws_nat_gateway.shared"),
        ],
    ),
    ("state", &[("TFVPC401", "aws_subnet.private")]),
    (
        "tgw-blackhole-module-for-each",
        &[("TFVPC102", "aws_ec2_transit_gateway_route.drop[\"a\"]")],
    ),
    ("tgw-cross-account", &[]),
    (
        "tgw-inspection",
        &[
            (
                "TFVPC307",
                "aws_ec2_transit_gateway_vpc_attachment.inspection",
            ),
            ("TFVPC401", "aws_subnet.egress_tgw[0]"),
            ("TFVPC401", "aws_subnet.egress_tgw[0]"),
            ("TFVPC401", "aws_subnet.egress_tgw[1]"),
            ("TFVPC401", "aws_subnet.egress_tgw[1]"),
        ],
    ),
    (
        "tgw-inspection-appliance-mode",
        &[
            ("TFVPC109", "aws_internet_gateway.egress"),
            ("TFVPC401", "aws_subnet.egress_tgw[0]"),
            ("TFVPC401", "aws_subnet.egress_tgw[0]"),
            ("TFVPC401", "aws_subnet.egress_tgw[1]"),
            ("TFVPC401", "aws_subnet.egress_tgw[1]"),
            ("TFVPC403", "aws_ec2_transit_gateway_vpc_attachment.egress"),
        ],
    ),
    (
        "tgw-module-for-each",
        &[("TFVPC109", "aws_ec2_transit_gateway_route_table.spokes")],
    ),
    ("tgw-nacl", &[("TFVPC110", "aws_network_acl.tgw")]),
    ("tgw-outside-propagation", &[]),
    (
        "tgw-peering",
        &[("TFVPC109", "aws_ec2_transit_gateway_route_table.legacy")],
    ),
    (
        "tgw-prefix-lists",
        &[
            (
                "TFVPC102",
                "aws_ec2_transit_gateway_prefix_list_reference.quarantine 10.30.0.0/16",
            ),
            ("TFVPC109", "aws_ec2_transit_gateway_route_table.shared"),
        ],
    ),
    (
        "tgw-replace-association",
        &[("TFVPC109", "aws_ec2_transit_gateway_route_table.isolated")],
    ),
    (
        "tgw-sg-referencing",
        &[
            ("APP-DB", "aws_instance.db"),
            ("REPORT-DB2", "aws_instance.db2"),
            ("TFVPC114", "aws_security_group.db ingress[0]"),
            ("TFVPC114", "aws_security_group.report egress[0]"),
        ],
    ),
    (
        "tgw-table-module-for-each",
        &[("TFVPC102", "aws_ec2_transit_gateway_route.c_drop")],
    ),
    (
        "three-tier",
        &[
            ("TFVPC201", "aws_subnet.data[0]"),
            ("TFVPC201", "aws_subnet.data[1]"),
            ("TFVPC201", "aws_subnet.data[2]"),
        ],
    ),
    (
        "transit-gateway",
        &[
            ("TFVPC102", "aws_ec2_transit_gateway_route.legacy_blackhole"),
            ("TFVPC109", "aws_ec2_transit_gateway_vpc_attachment.spoke2"),
            ("TFVPC109", "aws_route_table.spoke[\"spoke3\"]"),
            ("TFVPC303", "aws_ec2_transit_gateway_vpc_attachment.spoke2"),
            ("TFVPC403", "aws_ec2_transit_gateway_vpc_attachment.spoke3"),
        ],
    ),
    (
        "unknown-rule-fields",
        &[("TFVPC203", "aws_security_group.proxy")],
    ),
    (
        "vpc-endpoints",
        &[
            ("TFVPC106", "aws_vpc_endpoint.sqs_gateway"),
            ("TFVPC305", "aws_vpc_endpoint.ssm"),
            ("TFVPC401", "aws_subnet.via_nat"),
            ("TFVPC401", "aws_subnet.via_nat"),
            ("TFVPC402", "aws_vpc_endpoint.s3_unused"),
        ],
    ),
    ("vpn", &[("TFVPC304", "aws_vpn_connection.branch_static")]),
    (
        "vpn-bgp-no-route",
        &[
            ("TFVPC109", "aws_route_table.isolated"),
            ("TFVPC109", "aws_route_table.propagated"),
        ],
    ),
    ("vpn-connection-module-for-each", &[]),
    (
        "vpn-module-for-each",
        &[("TFVPC405", "module.tables[\"a\"].aws_route_table.spare")],
    ),
    ("vpn-tgw-module-for-each", &[]),
];

#[test]
fn every_scenario_reports_exactly_its_expected_findings() {
    let mut seen = Vec::new();
    for (scenario, expected) in EXPECTED {
        let dir = Path::new("testdata").join(scenario);
        let file = if dir.join("plan.json").is_file() {
            dir.join("plan.json")
        } else {
            dir.join("state.json")
        };
        let network = tfvpc::plan::load(&file).expect("fixture loads");
        // A scenario may carry its own policy (segments, private marks).
        let policy = match dir.join("tfvpc.toml") {
            p if p.is_file() => tfvpc::rules::policy::load(&p).expect("policy loads"),
            _ => Policy::default(),
        };
        let outcome = tfvpc::pipeline::run(&network, &policy, Scope::All, Date::new(2026, 11, 22));
        let mut got: Vec<(&str, &str)> = outcome
            .findings
            .iter()
            .map(|f| (f.rule_id.as_str(), f.resources[0].as_str()))
            .collect();
        got.sort_unstable();
        assert_eq!(&got, expected, "{scenario}");
        seen.push(*scenario);
    }
    // A new scenario must be added to the table.
    let mut all: Vec<String> = std::fs::read_dir("testdata")
        .expect("testdata")
        .filter_map(|e| e.ok())
        .filter(|e| e.path().join("plan.json").is_file() || e.path().join("state.json").is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    all.sort();
    assert_eq!(all, seen);
}
