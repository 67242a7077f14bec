// Test support only: indexes literal, hand-made inputs, so a panic is a test bug.
#![allow(clippy::indexing_slicing)]
//! A small builder of hand-made models and fabricated reachability, for the rules' tests
//! (unit tests here and `tests/rules_*.rs`). Not part of tfvpc's interface.
//!
//! It panics on malformed literals (a CIDR that does not parse): it only ever runs on the
//! literals of a test.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use crate::analysis::{PathResult, Reachability, Verdict};
use crate::model::*;

/// Builds a [`Model`] one object at a time; fields stay public for tweaks (`b.m.subnets[0]…`).
#[derive(Default)]
pub struct Builder {
    pub m: Model,
}

fn meta(address: &str) -> Meta {
    Meta {
        address: address.to_string(),
        action: Action::Create,
        id: None,
        tags: Tags::new(),
    }
}

/// A reference link.
pub fn to<I>(id: I) -> Link<I> {
    Link::To(id, LinkHow::Reference)
}

/// A known CIDR of either family.
pub fn cidr(s: &str) -> AnyBlock {
    if s.contains(':') {
        AnyBlock::V6(Block::Known(s.parse().expect("IPv6 CIDR")))
    } else {
        AnyBlock::V4(Block::Known(s.parse().expect("IPv4 CIDR")))
    }
}

impl Builder {
    pub fn new() -> Builder {
        Builder::default()
    }

    /// A VPC with a synthesized main route table (local routes only) and an allow-all
    /// synthesized default NACL.
    pub fn vpc(&mut self, address: &str, v4: &str) -> VpcId {
        let id = VpcId(self.m.vpcs.len() as u32);
        let main = RouteTableId(self.m.route_tables.len() as u32);
        self.m.route_tables.push(RouteTable {
            meta: meta(&format!("{address} main route table")),
            vpc: to(id),
            synthesized: true,
            routes: Vec::new(),
            propagating_vgws: Vec::new(),
            edge_associations: Vec::new(),
        });
        let nacl = NaclId(self.m.nacls.len() as u32);
        self.m.nacls.push(Nacl {
            meta: meta(&format!("{address} default network ACL")),
            vpc: to(id),
            is_default: true,
            synthesized: true,
            ingress: Vec::new(),
            egress: Vec::new(),
        });
        self.m.vpcs.push(Vpc {
            meta: meta(address),
            ipv4: vec![VpcBlock {
                block: Block::Known(v4.parse().expect("IPv4 CIDR")),
                source: address.to_string(),
                action: Action::Create,
            }],
            ipv6: Vec::new(),
            main_route_table: main,
            default_nacl: nacl,
            default_security_group: None,
            block_public_access: Default::default(),
            outside: false,
        });
        id
    }

    /// Gives the VPC an IPv6 block.
    pub fn vpc_ipv6(&mut self, vpc: VpcId, v6: &str) {
        let address = self.m.vpcs[vpc.index()].meta.address.clone();
        self.m.vpcs[vpc.index()].ipv6.push(VpcBlock {
            block: Block::Known(v6.parse().expect("IPv6 CIDR")),
            source: address,
            action: Action::Create,
        });
    }

    pub fn route_table(&mut self, address: &str, vpc: VpcId) -> RouteTableId {
        let id = RouteTableId(self.m.route_tables.len() as u32);
        self.m.route_tables.push(RouteTable {
            meta: meta(address),
            vpc: to(vpc),
            synthesized: false,
            routes: Vec::new(),
            propagating_vgws: Vec::new(),
            edge_associations: Vec::new(),
        });
        id
    }

    /// An inline route `TABLE route[N]` to a CIDR.
    pub fn route(&mut self, table: RouteTableId, dest: &str, target: Target) -> RouteId {
        let n = self.m.route_tables[table.index()].routes.len();
        let address = format!(
            "{} route[{n}]",
            self.m.route_tables[table.index()].meta.address
        );
        self.route_at(table, &address, Destination::Cidr(cidr(dest)), target)
    }

    /// A route with an explicit address and destination.
    pub fn route_at(
        &mut self,
        table: RouteTableId,
        address: &str,
        destination: Destination,
        target: Target,
    ) -> RouteId {
        let id = RouteId(self.m.routes.len() as u32);
        let origin = if address.starts_with("aws_route.") || address.contains(".aws_route.") {
            RouteOrigin::Resource
        } else {
            RouteOrigin::Inline
        };
        self.m.routes.push(Route {
            address: address.to_string(),
            action: Action::Create,
            table: to(table),
            table_among: Vec::new(),
            destination,
            target,
            origin,
        });
        self.m.route_tables[table.index()].routes.push(id);
        id
    }

    /// A subnet using the VPC's main table and default NACL until associated.
    pub fn subnet(&mut self, address: &str, vpc: VpcId, az: &str, v4: &str) -> SubnetId {
        let id = SubnetId(self.m.subnets.len() as u32);
        self.m.subnets.push(Subnet {
            meta: meta(address),
            vpc: to(vpc),
            availability_zone: Val::Known(az.to_string()),
            ipv4: Some(Block::Known(v4.parse().expect("IPv4 CIDR"))),
            ipv6: None,
            map_public_ip_on_launch: false,
            assign_ipv6_address_on_creation: false,
            dns64: false,
            route_table: Assoc {
                link: to(self.m.vpcs[vpc.index()].main_route_table),
                via: AssocVia::Implicit,
            },
            nacl: Assoc {
                link: to(self.m.vpcs[vpc.index()].default_nacl),
                via: AssocVia::Implicit,
            },
        });
        id
    }

    pub fn subnet_ipv6(&mut self, s: SubnetId, v6: &str) {
        self.m.subnets[s.index()].ipv6 = Some(Block::Known(v6.parse().expect("IPv6 CIDR")));
    }

    /// Associates a subnet with a table (`aws_route_table_association.<subnet name>`).
    pub fn associate(&mut self, s: SubnetId, t: RouteTableId) {
        let name = self.m.subnets[s.index()]
            .meta
            .address
            .replace("aws_subnet.", "");
        self.m.subnets[s.index()].route_table = Assoc {
            link: to(t),
            via: AssocVia::Explicit(format!("aws_route_table_association.{name}")),
        };
    }

    pub fn gateway(&mut self, address: &str, kind: GatewayKind, vpc: VpcId) -> GatewayId {
        let id = GatewayId(self.m.gateways.len() as u32);
        self.m.gateways.push(Gateway {
            meta: meta(address),
            kind,
            vpc: to(vpc),
            attachment: None,
        });
        id
    }

    pub fn eip(&mut self, address: &str) -> EipId {
        let id = EipId(self.m.eips.len() as u32);
        self.m.eips.push(Eip {
            meta: meta(address),
            public_ip: None,
            workload: Link::None,
            association: None,
        });
        id
    }

    /// A public NAT gateway in a subnet, with an Elastic IP when `eip` is given.
    pub fn nat(&mut self, address: &str, subnet: SubnetId, eip: Option<EipId>) -> NatGatewayId {
        let id = NatGatewayId(self.m.nat_gateways.len() as u32);
        self.m.nat_gateways.push(NatGateway {
            meta: meta(address),
            subnet: to(subnet),
            connectivity: NatConnectivity::Public,
            allocation: eip.map_or(Link::None, to),
        });
        id
    }

    pub fn security_group(&mut self, address: &str, vpc: VpcId) -> SecurityGroupId {
        let id = SecurityGroupId(self.m.security_groups.len() as u32);
        self.m.security_groups.push(SecurityGroup {
            meta: meta(address),
            vpc: to(vpc),
            name: None,
            is_default: false,
            synthesized: false,
            ingress: Vec::new(),
            egress: Vec::new(),
            egress_declared: false,
        });
        id
    }

    /// Adds a TCP rule (`ingress` or `egress`) for a port range and peer.
    pub fn sg_rule(
        &mut self,
        sg: SecurityGroupId,
        ingress: bool,
        from: u16,
        to_port: u16,
        peer: SgPeer,
    ) {
        let g = &mut self.m.security_groups[sg.index()];
        let list = if ingress {
            &mut g.ingress
        } else {
            &mut g.egress
        };
        let address = format!(
            "{} {}[{}]",
            g.meta.address,
            if ingress { "ingress" } else { "egress" },
            list.len()
        );
        list.push(SgRule {
            address,
            action: Action::Create,
            protocol: Protocol::Tcp,
            ports: PortRange { from, to: to_port },
            icmp: IcmpMatch::default(),
            peer,
            description: None,
            unknown: None,
        });
        if !ingress {
            g.egress_declared = true;
        }
    }

    pub fn instance(
        &mut self,
        address: &str,
        subnet: SubnetId,
        sgs: &[SecurityGroupId],
    ) -> WorkloadId {
        let id = WorkloadId(self.m.workloads.len() as u32);
        self.m.workloads.push(Workload {
            meta: meta(address),
            kind: WorkloadKind::Instance,
            subnet: to(subnet),
            security_groups: sgs.iter().map(|s| to(*s)).collect(),
            source_dest_check: true,
            public_ipv4: PublicIpv4::None,
            attached_to: Link::None,
            private_ips: Vec::new(),
            ipv6_address_count: Some(1),
            attached_security_groups: Vec::new(),
            settings_from: Vec::new(),
            internal: None,
            without_groups: None,
            listeners: None,
            behind: Vec::new(),
            client_vpn: None,
        });
        id
    }

    pub fn endpoint(
        &mut self,
        address: &str,
        vpc: VpcId,
        kind: EndpointKind,
        service: &str,
    ) -> EndpointId {
        let id = EndpointId(self.m.endpoints.len() as u32);
        self.m.endpoints.push(VpcEndpoint {
            meta: meta(address),
            vpc: to(vpc),
            kind,
            service_name: Val::Known(format!("com.amazonaws.us-east-1.{service}")),
            service: Some(service.to_string()),
            route_tables: Vec::new(),
            subnets: Vec::new(),
            security_groups: Vec::new(),
            private_dns_enabled: false,
            attached_security_groups: Vec::new(),
            replaces_default_group: false,
            ip_address_type: None,
        });
        id
    }

    pub fn transit_gateway(&mut self, address: &str) -> TransitGatewayId {
        let id = TransitGatewayId(self.m.transit_gateways.len() as u32);
        self.m.transit_gateways.push(TransitGateway {
            meta: meta(address),
            default_association: true,
            default_propagation: true,
            vpn_ecmp_support: true,
            multicast_support: false,
            sg_referencing: Val::Known(false),
            default_route_table: None,
        });
        id
    }

    pub fn tgw_vpc_attachment(
        &mut self,
        address: &str,
        tgw: TransitGatewayId,
        vpc: VpcId,
        subnets: &[SubnetId],
    ) -> TgwAttachmentId {
        let id = TgwAttachmentId(self.m.tgw_attachments.len() as u32);
        self.m.tgw_attachments.push(TgwAttachment {
            meta: meta(address),
            transit_gateway: to(tgw),
            kind: TgwAttachmentKind::Vpc {
                vpc: to(vpc),
                subnets: subnets.iter().map(|s| to(*s)).collect(),
                ipv6_support: false,
                appliance_mode: false,
                sg_referencing: Val::Known(true),
            },
            default_association: true,
            default_propagation: true,
        });
        id
    }

    pub fn build(self) -> Model {
        self.m
    }
}

/// A plan that creates everything in `after` (the prior state is empty).
pub fn network(after: Model) -> Network {
    network_from(Model::default(), after)
}

/// A plan from `before` to `after`.
pub fn network_from(before: Model, after: Model) -> Network {
    Network {
        input: InputInfo {
            kind: InputKind::Plan,
            format_version: "1.2".to_string(),
            terraform_version: Some("1.11.4".to_string()),
            errored: false,
        },
        before,
        after,
        changed: Vec::new(),
        module_calls: Vec::new(),
        destroy_first: Vec::new(),
    }
}

/// A fabricated reachability answer.
pub fn path_result(
    from: &str,
    to: &str,
    family: Family,
    verdict: Verdict,
    path: &[&str],
) -> PathResult {
    PathResult {
        from: crate::analysis::Name::from(from),
        to: crate::analysis::Name::from(to),
        family,
        verdict,
        path: path
            .iter()
            .map(|&s| crate::analysis::Name::from(s))
            .collect(),
        reason: format!("fabricated for a test: {}", verdict.as_str()),
        ports: if verdict == Verdict::Allowed {
            "all".to_string()
        } else {
            String::new()
        },
        dropped_by: None,
        drop_kind: None,
    }
}

/// Reachability holding these answers, sorted as the engine sorts them.
pub fn reach(mut results: Vec<PathResult>) -> Reachability {
    results.sort_by(|a, b| (&a.from, &a.to, a.family).cmp(&(&b.from, &b.to, b.family)));
    Reachability {
        results,
        streamed: None,
        none_asked: false,
    }
}

/// Tags from pairs.
pub fn tags(pairs: &[(&str, &str)]) -> Tags {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}
