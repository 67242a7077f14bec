// Test support only: indexes literal, hand-made inputs, so a panic is a test bug.
#![allow(clippy::indexing_slicing)]
//! A builder of hand-made [`Model`]s, for tests and benchmarks only: it makes VPCs, subnets,
//! route tables, routes, gateways, NACLs, security groups, transit gateways, peerings and
//! VPNs in a line each, materializing what the plan parser materializes (local routes,
//! synthesized main tables and allow-all default NACLs, implicit associations).
//!
//! Addresses follow Terraform's shape (`aws_subnet.NAME`, `aws_route.TABLE_N`, ...). Invalid
//! CIDR strings panic: this is test code with literal inputs, never fed user data.
#![allow(clippy::expect_used)]

use crate::model::*;

/// CIDRs, or why one is not known.
pub type Cidrs<'a> = &'a [Result<&'a str, &'a str>];

fn meta(address: String) -> Meta {
    Meta {
        address,
        action: Action::Create,
        id: None,
        tags: Tags::new(),
    }
}

fn to<I>(id: I) -> Link<I> {
    Link::To(id, LinkHow::Reference)
}

/// Parses a CIDR of either family into a known block.
pub fn block(cidr: &str) -> AnyBlock {
    if cidr.contains(':') {
        AnyBlock::V6(Block::Known(cidr.parse().expect("IPv6 CIDR")))
    } else {
        AnyBlock::V4(Block::Known(cidr.parse().expect("IPv4 CIDR")))
    }
}

/// Route targets, in one call each.
pub fn gw(g: GatewayId) -> Target {
    Target::Gateway(to(g))
}
pub fn nat(n: NatGatewayId) -> Target {
    Target::NatGateway(to(n))
}
pub fn tgw(t: TransitGatewayId) -> Target {
    Target::TransitGateway(to(t))
}
pub fn pcx(p: PeeringId) -> Target {
    Target::Peering(to(p))
}
pub fn eni(w: WorkloadId) -> Target {
    Target::Workload(to(w))
}
pub fn vpce(e: EndpointId) -> Target {
    Target::Endpoint(to(e))
}

/// The model under construction.
#[derive(Default)]
pub struct Net {
    pub m: Model,
}

impl Net {
    pub fn new() -> Net {
        Net::default()
    }

    pub fn model(self) -> Model {
        self.m
    }

    fn vpc_name(&self, v: VpcId) -> String {
        self.m.vpc(v).meta.address.clone()
    }

    fn local_routes(&mut self, t: RouteTableId, v: VpcId) {
        let blocks: Vec<AnyBlock> = {
            let vpc = self.m.vpc(v);
            vpc.ipv4
                .iter()
                .map(|b| AnyBlock::V4(b.block.clone()))
                .chain(vpc.ipv6.iter().map(|b| AnyBlock::V6(b.block.clone())))
                .collect()
        };
        for (i, b) in blocks.into_iter().enumerate() {
            let address = format!("{} local[{i}]", self.m.route_table(t).meta.address);
            self.push_route(
                t,
                address,
                Destination::Cidr(b),
                Target::Local,
                RouteOrigin::Local,
            );
        }
    }

    fn push_route(
        &mut self,
        t: RouteTableId,
        address: String,
        destination: Destination,
        target: Target,
        origin: RouteOrigin,
    ) -> RouteId {
        let id = RouteId(self.m.routes.len() as u32);
        self.m.routes.push(Route {
            address,
            action: Action::Create,
            table: to(t),
            table_among: Vec::new(),
            destination,
            target,
            origin,
        });
        self.m.route_tables[t.index()].routes.push(id);
        id
    }

    /// A VPC `aws_vpc.NAME` with an IPv4 block, a synthesized main table (local routes only)
    /// and a synthesized allow-all default NACL.
    pub fn vpc(&mut self, name: &str, cidr: &str) -> VpcId {
        let id = VpcId(self.m.vpcs.len() as u32);
        let address = format!("aws_vpc.{name}");
        let main = RouteTableId(self.m.route_tables.len() as u32);
        let nacl = NaclId(self.m.nacls.len() as u32);
        self.m.vpcs.push(Vpc {
            meta: meta(address.clone()),
            ipv4: vec![VpcBlock {
                block: Block::Known(cidr.parse().expect("IPv4 CIDR")),
                source: address.clone(),
                action: Action::Create,
            }],
            ipv6: Vec::new(),
            main_route_table: main,
            default_nacl: nacl,
            default_security_group: None,
            block_public_access: Default::default(),
            outside: false,
        });
        self.m.route_tables.push(RouteTable {
            meta: meta(format!("{address} main route table")),
            vpc: to(id),
            synthesized: true,
            routes: Vec::new(),
            propagating_vgws: Vec::new(),
            edge_associations: Vec::new(),
        });
        let all = |n: u32, cidr: &str| NaclRule {
            address: format!("{address} default network ACL rule {n}"),
            action: Action::Create,
            rule_number: 100,
            allow: true,
            protocol: Protocol::All,
            ports: PortRange::ALL,
            icmp: IcmpMatch::default(),
            cidr: block(cidr),
            unknown: None,
        };
        self.m.nacls.push(Nacl {
            meta: meta(format!("{address} default network ACL")),
            vpc: to(id),
            is_default: true,
            synthesized: true,
            ingress: vec![all(100, "0.0.0.0/0"), all(101, "::/0")],
            egress: vec![all(100, "0.0.0.0/0"), all(101, "::/0")],
        });
        self.local_routes(main, id);
        id
    }

    /// Adds an IPv6 block (known, or unknown with `None`, from an IPAM pool say) to a VPC;
    /// call before making its tables (the main table gets the local route now).
    pub fn vpc_ipv6(&mut self, v: VpcId, cidr: Option<&str>) {
        self.vpc_ipv6_of(v, cidr, false);
    }

    /// Adds an Amazon-provided IPv6 block (not known until apply) to a VPC.
    pub fn vpc_amazon_ipv6(&mut self, v: VpcId) {
        self.vpc_ipv6_of(v, None, true);
    }

    fn vpc_ipv6_of(&mut self, v: VpcId, cidr: Option<&str>, amazon_ipv6: bool) {
        let address = self.vpc_name(v);
        let b = match cidr {
            Some(c) => Block::Known(c.parse().expect("IPv6 CIDR")),
            None => Block::Unknown(UnknownBlock {
                reason: format!("`{address}.ipv6_cidr_block` is known only after apply"),
                inside_vpc: None,
                inside_subnets: Vec::new(),
                prefix_len: Some(56),
                amazon_ipv6,
            }),
        };
        self.m.vpcs[v.index()].ipv6.push(VpcBlock {
            block: b.clone(),
            source: address,
            action: Action::Create,
        });
        self.main_local_route(v, AnyBlock::V6(b));
    }

    /// The local route of a block just added to VPC `v`, in its main route table.
    fn main_local_route(&mut self, v: VpcId, block: AnyBlock) {
        let main = self.m.vpc(v).main_route_table;
        let n = self.m.route_table(main).routes.len();
        let raddr = format!("{} local[{n}]", self.m.route_table(main).meta.address);
        self.push_route(
            main,
            raddr,
            Destination::Cidr(block),
            Target::Local,
            RouteOrigin::Local,
        );
    }

    /// Adds a secondary IPv4 block (`aws_vpc_ipv4_cidr_block_association.NAME`) to a VPC;
    /// call before making its tables (the main table gets the local route now).
    pub fn vpc_ipv4(&mut self, v: VpcId, name: &str, cidr: &str) {
        let b = Block::Known(cidr.parse().expect("IPv4 CIDR"));
        self.m.vpcs[v.index()].ipv4.push(VpcBlock {
            block: b.clone(),
            source: format!("aws_vpc_ipv4_cidr_block_association.{name}"),
            action: Action::Create,
        });
        self.main_local_route(v, AnyBlock::V4(b));
    }

    /// A route table `aws_route_table.NAME` with the VPC's local routes.
    pub fn table(&mut self, name: &str, v: VpcId) -> RouteTableId {
        let id = RouteTableId(self.m.route_tables.len() as u32);
        self.m.route_tables.push(RouteTable {
            meta: meta(format!("aws_route_table.{name}")),
            vpc: to(v),
            synthesized: false,
            routes: Vec::new(),
            propagating_vgws: Vec::new(),
            edge_associations: Vec::new(),
        });
        self.local_routes(id, v);
        id
    }

    /// Makes `t` the VPC's main table (as `aws_main_route_table_association` does); subnets
    /// without an explicit association made afterwards use it.
    pub fn set_main(&mut self, v: VpcId, t: RouteTableId) {
        self.m.vpcs[v.index()].main_route_table = t;
    }

    /// A subnet `aws_subnet.NAME` on the VPC's main table and default NACL.
    pub fn subnet(&mut self, name: &str, v: VpcId, cidr: &str, az: &str) -> SubnetId {
        let id = SubnetId(self.m.subnets.len() as u32);
        let vpc = self.m.vpc(v);
        let (main, nacl) = (vpc.main_route_table, vpc.default_nacl);
        self.m.subnets.push(Subnet {
            meta: meta(format!("aws_subnet.{name}")),
            vpc: to(v),
            availability_zone: Val::Known(az.to_string()),
            ipv4: Some(Block::Known(cidr.parse().expect("IPv4 CIDR"))),
            ipv6: None,
            map_public_ip_on_launch: false,
            assign_ipv6_address_on_creation: false,
            dns64: false,
            route_table: Assoc {
                link: to(main),
                via: AssocVia::Implicit,
            },
            nacl: Assoc {
                link: to(nacl),
                via: AssocVia::Implicit,
            },
        });
        id
    }

    /// Gives a subnet an IPv6 block: known, or (`None`) unknown but inside its VPC's block.
    pub fn subnet_ipv6(&mut self, s: SubnetId, cidr: Option<&str>) {
        let address = self.m.subnet(s).meta.address.clone();
        let vpc = self.m.subnet(s).vpc.id();
        self.m.subnets[s.index()].ipv6 = Some(match cidr {
            Some(c) => Block::Known(c.parse().expect("IPv6 CIDR")),
            None => Block::Unknown(UnknownBlock {
                reason: format!("`{address}.ipv6_cidr_block` is known only after apply"),
                inside_vpc: vpc,
                inside_subnets: Vec::new(),
                prefix_len: Some(64),
                amazon_ipv6: false,
            }),
        });
    }

    pub fn public_ip_on_launch(&mut self, s: SubnetId) {
        self.m.subnets[s.index()].map_public_ip_on_launch = true;
    }

    /// `aws_route_table_association.SUBNET`.
    pub fn associate(&mut self, s: SubnetId, t: RouteTableId) {
        let sub = &mut self.m.subnets[s.index()];
        let name = sub
            .meta
            .address
            .trim_start_matches("aws_subnet.")
            .to_string();
        sub.route_table = Assoc {
            link: to(t),
            via: AssocVia::Explicit(format!("aws_route_table_association.{name}")),
        };
    }

    /// An `aws_route` (static) in `t`.
    pub fn route(&mut self, t: RouteTableId, dest: &str, target: Target) -> RouteId {
        let tname = self
            .m
            .route_table(t)
            .meta
            .address
            .trim_start_matches("aws_route_table.")
            .to_string();
        let n = self.m.route_table(t).routes.len();
        self.push_route(
            t,
            format!("aws_route.{tname}_{n}"),
            Destination::Cidr(block(dest)),
            target,
            RouteOrigin::Resource,
        )
    }

    /// An `aws_route` whose route table is not known at plan time (`why`): in no table.
    pub fn unplaced_route(&mut self, name: &str, dest: &str, target: Target, why: &str) -> RouteId {
        let id = RouteId(self.m.routes.len() as u32);
        self.m.routes.push(Route {
            address: format!("aws_route.{name}"),
            action: Action::Create,
            table: Link::Unresolved(why.to_string()),
            table_among: Vec::new(),
            destination: Destination::Cidr(block(dest)),
            target,
            origin: RouteOrigin::Resource,
        });
        id
    }

    /// A VGW-propagated route in `t`.
    pub fn propagated_route(&mut self, t: RouteTableId, dest: &str, vgw: GatewayId) -> RouteId {
        let address = format!("{} propagated {dest}", self.m.route_table(t).meta.address);
        self.push_route(
            t,
            address,
            Destination::Cidr(block(dest)),
            gw(vgw),
            RouteOrigin::Propagated(vgw),
        )
    }

    /// A route whose destination is unknown at plan time.
    pub fn route_unknown_dest(
        &mut self,
        t: RouteTableId,
        family: Family,
        target: Target,
    ) -> RouteId {
        let tname = self
            .m
            .route_table(t)
            .meta
            .address
            .trim_start_matches("aws_route_table.")
            .to_string();
        let n = self.m.route_table(t).routes.len();
        let address = format!("aws_route.{tname}_{n}");
        let u = UnknownBlock {
            reason: format!("`{address}.destination_cidr_block` is known only after apply"),
            inside_vpc: None,
            inside_subnets: Vec::new(),
            prefix_len: None,
            amazon_ipv6: false,
        };
        let b = match family {
            Family::Ipv4 => AnyBlock::V4(Block::Unknown(u)),
            Family::Ipv6 => AnyBlock::V6(Block::Unknown(u)),
        };
        self.push_route(
            t,
            address,
            Destination::Cidr(b),
            target,
            RouteOrigin::Resource,
        )
    }

    fn gateway(&mut self, ty: &str, name: &str, kind: GatewayKind, v: Option<VpcId>) -> GatewayId {
        let id = GatewayId(self.m.gateways.len() as u32);
        self.m.gateways.push(Gateway {
            meta: meta(format!("{ty}.{name}")),
            kind,
            vpc: v.map_or(Link::None, to),
            attachment: None,
        });
        id
    }
    pub fn igw(&mut self, name: &str, v: VpcId) -> GatewayId {
        self.gateway("aws_internet_gateway", name, GatewayKind::Internet, Some(v))
    }
    pub fn eigw(&mut self, name: &str, v: VpcId) -> GatewayId {
        self.gateway(
            "aws_egress_only_internet_gateway",
            name,
            GatewayKind::EgressOnly,
            Some(v),
        )
    }
    pub fn vgw(&mut self, name: &str, v: VpcId) -> GatewayId {
        self.gateway("aws_vpn_gateway", name, GatewayKind::Vpn, Some(v))
    }

    /// `aws_route_table_association` with `gateway_id`: `t` decides where traffic entering
    /// through gateway `g` goes first.
    pub fn edge_associate(&mut self, t: RouteTableId, g: GatewayId) {
        let a = format!("aws_route_table_association.edge_{}", t.index());
        self.m.route_tables[t.index()]
            .edge_associations
            .push((a, to(g)));
    }

    /// An AWS Network Firewall with an endpoint in each of these subnets (held, as the
    /// builder does, as a Gateway Load Balancer endpoint named after the firewall).
    pub fn network_firewall(&mut self, name: &str, v: VpcId, subnets: &[SubnetId]) -> EndpointId {
        self.gwlb_endpoint_at(format!("aws_networkfirewall_firewall.{name}"), v, subnets)
    }

    /// A Gateway Load Balancer endpoint (`aws_vpc_endpoint`) in subnet `s`.
    pub fn gwlb_endpoint(&mut self, name: &str, v: VpcId, s: SubnetId) -> EndpointId {
        self.gwlb_endpoint_at(format!("aws_vpc_endpoint.{name}"), v, &[s])
    }

    fn gwlb_endpoint_at(&mut self, address: String, v: VpcId, subnets: &[SubnetId]) -> EndpointId {
        let id = EndpointId(self.m.endpoints.len() as u32);
        self.m.endpoints.push(VpcEndpoint {
            meta: meta(address.clone()),
            vpc: to(v),
            kind: EndpointKind::GatewayLoadBalancer,
            service_name: Val::Unknown("known after apply".to_string()),
            service: None,
            route_tables: Vec::new(),
            subnets: subnets.iter().map(|s| (address.clone(), to(*s))).collect(),
            security_groups: Vec::new(),
            private_dns_enabled: false,
            attached_security_groups: Vec::new(),
            replaces_default_group: false,
            ip_address_type: None,
        });
        id
    }

    /// `propagating_vgws` on a table.
    pub fn propagate(&mut self, t: RouteTableId, g: GatewayId) {
        let a = self.m.route_table(t).meta.address.clone();
        self.m.route_tables[t.index()]
            .propagating_vgws
            .push((a, to(g)));
    }

    pub fn nat_gateway(&mut self, name: &str, s: SubnetId, public: bool) -> NatGatewayId {
        let id = NatGatewayId(self.m.nat_gateways.len() as u32);
        self.m.nat_gateways.push(NatGateway {
            meta: meta(format!("aws_nat_gateway.{name}")),
            subnet: to(s),
            connectivity: if public {
                NatConnectivity::Public
            } else {
                NatConnectivity::Private
            },
            allocation: Link::None,
        });
        id
    }

    /// Marks a VPC as read by a data source ([`Vpc::outside`]).
    pub fn outside(&mut self, v: VpcId) {
        self.m.vpcs[v.index()].outside = true;
    }

    /// Places a NAT gateway in a subnet this model does not hold, by ID.
    pub fn nat_subnet_outside(&mut self, n: NatGatewayId, subnet_id: &str) {
        self.m.nat_gateways[n.index()].subnet = Link::External(subnet_id.to_string());
    }

    /// A network ACL `aws_network_acl.NAME` (no rules yet) for these subnets.
    pub fn nacl(&mut self, name: &str, v: VpcId, subnets: &[SubnetId]) -> NaclId {
        let id = NaclId(self.m.nacls.len() as u32);
        let address = format!("aws_network_acl.{name}");
        self.m.nacls.push(Nacl {
            meta: meta(address.clone()),
            vpc: to(v),
            is_default: false,
            synthesized: false,
            ingress: Vec::new(),
            egress: Vec::new(),
        });
        for s in subnets {
            self.m.subnets[s.index()].nacl = Assoc {
                link: to(id),
                via: AssocVia::Explicit(address.clone()),
            };
        }
        id
    }

    /// The VPC's default network ACL (synthesized, allowing everything at rule 100).
    pub fn default_nacl(&self, v: VpcId) -> NaclId {
        self.m.vpc(v).default_nacl
    }

    /// A NACL rule; `ports` is `(from, to)`.
    #[allow(clippy::too_many_arguments)]
    pub fn nacl_rule(
        &mut self,
        n: NaclId,
        egress: bool,
        number: u32,
        allow: bool,
        protocol: Protocol,
        ports: (u16, u16),
        cidr: &str,
    ) {
        let nacl = &mut self.m.nacls[n.index()];
        let name = nacl
            .meta
            .address
            .trim_start_matches("aws_network_acl.")
            .to_string();
        let dir = if egress { "egress" } else { "ingress" };
        let rule = NaclRule {
            address: format!("aws_network_acl_rule.{name}_{dir}_{number}"),
            action: Action::Create,
            rule_number: number,
            allow,
            protocol,
            ports: PortRange {
                from: ports.0,
                to: ports.1,
            },
            icmp: IcmpMatch::default(),
            cidr: block(cidr),
            unknown: None,
        };
        let list = if egress {
            &mut nacl.egress
        } else {
            &mut nacl.ingress
        };
        list.push(rule);
        list.sort_by_key(|r| r.rule_number);
    }

    /// A transit gateway with a synthesized default route table (association and
    /// propagation enabled).
    pub fn tgw(&mut self, name: &str) -> TransitGatewayId {
        let id = TransitGatewayId(self.m.transit_gateways.len() as u32);
        let table = TgwRouteTableId(self.m.tgw_route_tables.len() as u32);
        let address = format!("aws_ec2_transit_gateway.{name}");
        self.m.transit_gateways.push(TransitGateway {
            meta: meta(address.clone()),
            default_association: true,
            default_propagation: true,
            vpn_ecmp_support: true,
            multicast_support: false,
            sg_referencing: Val::Known(false),
            default_route_table: Some(table),
        });
        self.m.tgw_route_tables.push(TgwRouteTable {
            meta: meta(format!("{address} default route table")),
            transit_gateway: to(id),
            is_default: true,
            synthesized: true,
            associations: Vec::new(),
            propagations: Vec::new(),
            routes: Vec::new(),
        });
        id
    }

    /// A TGW route table `aws_ec2_transit_gateway_route_table.NAME`.
    pub fn tgw_table(&mut self, name: &str, t: TransitGatewayId) -> TgwRouteTableId {
        let id = TgwRouteTableId(self.m.tgw_route_tables.len() as u32);
        self.m.tgw_route_tables.push(TgwRouteTable {
            meta: meta(format!("aws_ec2_transit_gateway_route_table.{name}")),
            transit_gateway: to(t),
            is_default: false,
            synthesized: false,
            associations: Vec::new(),
            propagations: Vec::new(),
            routes: Vec::new(),
        });
        id
    }

    /// A VPC attachment; with `default_table`, associated with and propagating into the
    /// TGW's default table.
    pub fn tgw_attach(
        &mut self,
        name: &str,
        t: TransitGatewayId,
        v: VpcId,
        subnets: &[SubnetId],
        default_table: bool,
    ) -> TgwAttachmentId {
        let id = TgwAttachmentId(self.m.tgw_attachments.len() as u32);
        let address = format!("aws_ec2_transit_gateway_vpc_attachment.{name}");
        self.m.tgw_attachments.push(TgwAttachment {
            meta: meta(address.clone()),
            transit_gateway: to(t),
            kind: TgwAttachmentKind::Vpc {
                vpc: to(v),
                subnets: subnets.iter().map(|s| to(*s)).collect(),
                ipv6_support: false,
                appliance_mode: false,
                sg_referencing: Val::Known(true),
            },
            default_association: default_table,
            default_propagation: default_table,
        });
        if default_table {
            if let Some(dt) = self.m.transit_gateway(t).default_route_table {
                let tt = &mut self.m.tgw_route_tables[dt.index()];
                tt.associations.push((address.clone(), to(id)));
                tt.propagations.push((address, to(id)));
            }
        }
        id
    }

    /// A peering whose peer VPC is in another Region (`peer_region`).
    pub fn cross_region(&mut self, p: PeeringId) {
        self.m.peerings[p.index()].cross_region = Val::Known(true);
    }

    /// `security_group_referencing_support = "enable"` on a transit gateway.
    pub fn tgw_sg_referencing(&mut self, t: TransitGatewayId) {
        self.m.transit_gateways[t.index()].sg_referencing = Val::Known(true);
    }

    /// `appliance_mode_support = "enable"` on a VPC attachment.
    pub fn appliance_mode(&mut self, a: TgwAttachmentId) {
        if let TgwAttachmentKind::Vpc { appliance_mode, .. } =
            &mut self.m.tgw_attachments[a.index()].kind
        {
            *appliance_mode = true;
        }
    }

    /// A peering attachment `aws_ec2_transit_gateway_peering_attachment.NAME` from `t` to
    /// `peer`, associated with no table yet (associate it on each gateway).
    pub fn tgw_peering(
        &mut self,
        name: &str,
        t: TransitGatewayId,
        peer: TransitGatewayId,
    ) -> TgwAttachmentId {
        let id = TgwAttachmentId(self.m.tgw_attachments.len() as u32);
        self.m.tgw_attachments.push(TgwAttachment {
            meta: meta(format!("aws_ec2_transit_gateway_peering_attachment.{name}")),
            transit_gateway: to(t),
            kind: TgwAttachmentKind::Peering {
                peer_transit_gateway: to(peer),
            },
            default_association: false,
            default_propagation: false,
        });
        id
    }

    /// The default route table of gateway `t`.
    pub fn tgw_default_table(&self, t: TransitGatewayId) -> Option<TgwRouteTableId> {
        self.m.transit_gateway(t).default_route_table
    }

    pub fn tgw_associate(&mut self, tt: TgwRouteTableId, a: TgwAttachmentId) {
        let address = self.m.tgw_attachment(a).meta.address.clone();
        self.m.tgw_route_tables[tt.index()]
            .associations
            .push((address, to(a)));
    }

    pub fn tgw_propagate(&mut self, tt: TgwRouteTableId, a: TgwAttachmentId) {
        let address = self.m.tgw_attachment(a).meta.address.clone();
        self.m.tgw_route_tables[tt.index()]
            .propagations
            .push((address, to(a)));
    }

    /// A static TGW route; `None` is a blackhole.
    pub fn tgw_route(&mut self, tt: TgwRouteTableId, dest: &str, a: Option<TgwAttachmentId>) {
        let n = self.m.tgw_route_table(tt).routes.len();
        self.m.tgw_route_tables[tt.index()].routes.push(TgwRoute {
            address: format!("aws_ec2_transit_gateway_route.r{tt}_{n}", tt = tt.0),
            action: Action::Create,
            destination: block(dest),
            attachment: a.map(to),
        });
    }

    /// A TGW route declared by `address` (e.g. a prefix list reference's entry).
    pub fn tgw_route_at(
        &mut self,
        tt: TgwRouteTableId,
        address: &str,
        dest: &str,
        a: Option<TgwAttachmentId>,
    ) {
        self.m.tgw_route_tables[tt.index()].routes.push(TgwRoute {
            address: address.to_string(),
            action: Action::Create,
            destination: block(dest),
            attachment: a.map(to),
        });
    }

    pub fn peering(
        &mut self,
        name: &str,
        requester: VpcId,
        accepter: VpcId,
        accepted: bool,
    ) -> PeeringId {
        let id = PeeringId(self.m.peerings.len() as u32);
        self.m.peerings.push(Peering {
            meta: meta(format!("aws_vpc_peering_connection.{name}")),
            requester: to(requester),
            accepter: to(accepter),
            accepted,
            accepter_resource: None,
            accept_unknown: None,
            cross_region: Val::Known(false),
        });
        id
    }

    /// A security group `aws_security_group.NAME`; `egress_declared` as Terraform sees it.
    pub fn sg(&mut self, name: &str, v: VpcId, egress_declared: bool) -> SecurityGroupId {
        let id = SecurityGroupId(self.m.security_groups.len() as u32);
        self.m.security_groups.push(SecurityGroup {
            meta: meta(format!("aws_security_group.{name}")),
            vpc: to(v),
            name: Some(name.to_string()),
            is_default: false,
            synthesized: false,
            ingress: Vec::new(),
            egress: Vec::new(),
            egress_declared,
        });
        id
    }

    pub fn sg_rule(
        &mut self,
        g: SecurityGroupId,
        egress: bool,
        protocol: Protocol,
        ports: (u16, u16),
        peer: SgPeer,
    ) {
        let sg = &mut self.m.security_groups[g.index()];
        let dir = if egress { "egress" } else { "ingress" };
        let list = if egress {
            &mut sg.egress
        } else {
            &mut sg.ingress
        };
        let address = format!("{} {dir}[{}]", sg.meta.address, list.len());
        list.push(SgRule {
            address,
            action: Action::Create,
            protocol,
            ports: PortRange {
                from: ports.0,
                to: ports.1,
            },
            icmp: IcmpMatch::default(),
            peer,
            description: None,
            unknown: None,
        });
        if egress {
            sg.egress_declared = true;
        }
    }

    /// An instance `aws_instance.NAME`.
    pub fn instance(&mut self, name: &str, s: SubnetId, groups: &[SecurityGroupId]) -> WorkloadId {
        let id = WorkloadId(self.m.workloads.len() as u32);
        self.m.workloads.push(Workload {
            meta: meta(format!("aws_instance.{name}")),
            kind: WorkloadKind::Instance,
            subnet: to(s),
            security_groups: groups.iter().map(|g| to(*g)).collect(),
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

    /// The users of Client VPN endpoint `aws_ec2_client_vpn_endpoint.NAME` in subnet `s`
    /// (`aws_ec2_client_vpn_endpoint.NAME (<subnet>)`, associated by
    /// `aws_ec2_client_vpn_network_association.NAME`), behind `groups`, with authorization
    /// rules `aws_ec2_client_vpn_authorization_rule.NAME[i]` and routes through `s`
    /// `aws_ec2_client_vpn_route.NAME[i]` for these CIDRs (or why one is not known).
    /// Workloads are looked up by address: add them in address order.
    pub fn client_vpn(
        &mut self,
        name: &str,
        s: SubnetId,
        groups: &[SecurityGroupId],
        (authorizations, routes): (Cidrs<'_>, Cidrs<'_>),
    ) -> WorkloadId {
        let id = WorkloadId(self.m.workloads.len() as u32);
        let subnet = self.m.subnets[s.index()].meta.address.clone();
        let endpoint = format!("aws_ec2_client_vpn_endpoint.{name}");
        let nets = |kind: &str, v: &[Result<&str, &str>]| {
            v.iter()
                .enumerate()
                .map(|(i, n)| {
                    (
                        format!("aws_ec2_client_vpn_{kind}.{name}[{i}]"),
                        n.map(|c| c.parse().expect("CIDR")).map_err(str::to_string),
                    )
                })
                .collect()
        };
        self.m.workloads.push(Workload {
            meta: meta(format!("{endpoint} ({subnet})")),
            kind: WorkloadKind::ClientVpn,
            subnet: to(s),
            security_groups: groups.iter().map(|g| to(*g)).collect(),
            source_dest_check: true,
            public_ipv4: PublicIpv4::Never("a Client VPN endpoint".to_string()),
            attached_to: Link::None,
            private_ips: Vec::new(),
            ipv6_address_count: Some(0),
            attached_security_groups: Vec::new(),
            settings_from: Vec::new(),
            internal: None,
            without_groups: None,
            listeners: None,
            behind: Vec::new(),
            client_vpn: Some(ClientVpnAccess {
                endpoint,
                association: format!("aws_ec2_client_vpn_network_association.{name}"),
                authorizations: nets("authorization_rule", authorizations),
                routes: nets("route", routes),
            }),
        });
        id
    }

    /// An internet-facing Network Load Balancer `aws_lb.NAME` without security groups, one
    /// node in each subnet (`aws_lb.NAME (aws_subnet.X)`), with a TCP listener
    /// `aws_lb_listener.NAME` on `port`. Workloads are looked up by address: add them in
    /// address order.
    pub fn network_load_balancer(&mut self, name: &str, subnets: &[SubnetId], port: u16) {
        for s in subnets {
            let subnet = self.m.subnets[s.index()].meta.address.clone();
            self.m.workloads.push(Workload {
                meta: meta(format!("aws_lb.{name} ({subnet})")),
                kind: WorkloadKind::LoadBalancer,
                subnet: to(*s),
                security_groups: Vec::new(),
                source_dest_check: true,
                public_ipv4: PublicIpv4::Auto,
                attached_to: Link::None,
                private_ips: Vec::new(),
                ipv6_address_count: Some(0),
                attached_security_groups: Vec::new(),
                settings_from: Vec::new(),
                internal: None,
                without_groups: Some("no security groups".to_string()),
                listeners: Some(Listeners {
                    ports: vec![Listener {
                        address: format!("aws_lb_listener.{name}"),
                        protocol: Protocol::Tcp,
                        port,
                    }],
                    unknown: Vec::new(),
                    maybe: Vec::new(),
                }),
                behind: Vec::new(),
                client_vpn: None,
            });
        }
    }

    /// Registers workload `w` as a target of `aws_lb.LB`'s listener (on `listener_port`),
    /// on TCP `port`, keeping the client's address or not.
    pub fn target(
        &mut self,
        w: WorkloadId,
        lb: &str,
        listener_port: u16,
        port: u16,
        client_address: bool,
        cross_zone: bool,
    ) {
        self.m.workloads[w.index()].behind.push(Forwarder {
            load_balancer: format!("aws_lb.{lb}"),
            listener: format!("aws_lb_listener.{lb}"),
            rule: None,
            sources: Vec::new(),
            listener_protocol: Protocol::Tcp,
            listener_port: Some(listener_port),
            target_group: format!("aws_lb_target_group.{lb}"),
            protocol: Protocol::Tcp,
            port: Ok(port),
            client_address: client_address.then(|| "the client's address is kept".to_string()),
            registered_by: format!("aws_lb_target_group_attachment.{lb}"),
            cross_zone,
            target_family: Family::Ipv4,
            health_check_port: Some(Ok(port)),
            unsure: None,
        });
    }

    /// Makes the last [`target`](Self::target) registration of `w` a listener rule's,
    /// with `source_ip` conditions (`Err`: not known at plan time).
    pub fn rule_sources(&mut self, w: WorkloadId, rule: &str, sources: &[Result<&[&str], &str>]) {
        if let Some(f) = self.m.workloads[w.index()].behind.last_mut() {
            f.rule = Some(format!("aws_lb_listener_rule.{rule}"));
            f.sources = sources
                .iter()
                .map(|s| match s {
                    Ok(nets) => Ok(nets.iter().map(|n| n.parse().expect("CIDR")).collect()),
                    Err(why) => Err(why.to_string()),
                })
                .collect();
        }
    }

    pub fn source_dest_check(&mut self, w: WorkloadId, on: bool) {
        self.m.workloads[w.index()].source_dest_check = on;
    }

    pub fn public_ipv4(&mut self, w: WorkloadId) {
        self.m.workloads[w.index()].public_ipv4 = PublicIpv4::Auto;
    }

    /// A VPN connection `aws_vpn_connection.NAME` on a VGW, with static routes (or BGP
    /// when `cidrs` is empty and `static_only` is false).
    pub fn vpn(
        &mut self,
        name: &str,
        vgw: Option<GatewayId>,
        static_only: bool,
        cidrs: &[&str],
    ) -> VpnConnectionId {
        let id = VpnConnectionId(self.m.vpn_connections.len() as u32);
        self.m.vpn_connections.push(VpnConnection {
            meta: meta(format!("aws_vpn_connection.{name}")),
            customer_gateway: Link::None,
            vpn_gateway: vgw.map_or(Link::None, to),
            transit_gateway: Link::None,
            static_routes_only: static_only,
            static_routes: cidrs
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    (
                        format!("aws_vpn_connection_route.{name}_{i}"),
                        Block::Known(c.parse().expect("IPv4 CIDR")),
                    )
                })
                .collect(),
            remote_networks: Vec::new(),
            gateway_routes: Vec::new(),
        });
        id
    }

    /// A gateway endpoint for `service` with its prefix-list route in each table.
    pub fn gateway_endpoint(
        &mut self,
        name: &str,
        v: VpcId,
        service: &str,
        tables: &[RouteTableId],
    ) -> EndpointId {
        let id = EndpointId(self.m.endpoints.len() as u32);
        let address = format!("aws_vpc_endpoint.{name}");
        self.m.endpoints.push(VpcEndpoint {
            meta: meta(address.clone()),
            vpc: to(v),
            kind: EndpointKind::Gateway,
            service_name: Val::Known(format!("com.amazonaws.us-east-1.{service}")),
            service: Some(service.to_string()),
            route_tables: tables.iter().map(|t| (address.clone(), to(*t))).collect(),
            subnets: Vec::new(),
            security_groups: Vec::new(),
            private_dns_enabled: false,
            attached_security_groups: Vec::new(),
            replaces_default_group: false,
            ip_address_type: None,
        });
        for t in tables {
            let raddr = format!(
                "{} {service} endpoint route",
                self.m.route_table(*t).meta.address
            );
            self.push_route(
                *t,
                raddr,
                Destination::Service(service.to_string()),
                vpce(id),
                RouteOrigin::Endpoint(address.clone()),
            );
        }
        id
    }

    /// An interface endpoint for `service` in these subnets, with private DNS.
    pub fn interface_endpoint(
        &mut self,
        name: &str,
        v: VpcId,
        service: &str,
        subnets: &[SubnetId],
        groups: &[SecurityGroupId],
    ) -> EndpointId {
        let id = EndpointId(self.m.endpoints.len() as u32);
        let address = format!("aws_vpc_endpoint.{name}");
        self.m.endpoints.push(VpcEndpoint {
            meta: meta(address.clone()),
            vpc: to(v),
            kind: EndpointKind::Interface,
            service_name: Val::Known(format!("com.amazonaws.us-east-1.{service}")),
            service: Some(service.to_string()),
            route_tables: Vec::new(),
            subnets: subnets.iter().map(|s| (address.clone(), to(*s))).collect(),
            security_groups: groups.iter().map(|g| to(*g)).collect(),
            private_dns_enabled: true,
            attached_security_groups: Vec::new(),
            replaces_default_group: false,
            ip_address_type: None,
        });
        id
    }
}

/// A generated network for benchmarks and tests: `vpcs` VPCs of `per_vpc` subnets each: half public (IGW), half private (a NAT gateway per
/// AZ), a NACL on the private half, all VPCs on one transit gateway, one VPN.
pub fn hub_and_spokes(vpcs: usize, per_vpc: usize) -> Model {
    let mut n = Net::new();
    let t = n.tgw("hub");
    let azs = ["us-east-1a", "us-east-1b", "us-east-1c"];
    let mut first_vgw = None;
    for v in 0..vpcs {
        let vpc = n.vpc(&format!("v{v}"), &format!("10.{}.0.0/16", v % 256));
        let igw = n.igw(&format!("v{v}"), vpc);
        let public = n.table(&format!("v{v}_public"), vpc);
        n.route(public, "0.0.0.0/0", gw(igw));
        let mut pubs = Vec::new();
        let mut privs = Vec::new();
        for s in 0..per_vpc {
            let az = azs[s % azs.len()];
            let sub = n.subnet(
                &format!("v{v}_s{s}"),
                vpc,
                &format!("10.{}.{}.0/24", v % 256, s % 256),
                az,
            );
            if s % 2 == 0 {
                n.associate(sub, public);
                n.public_ip_on_launch(sub);
                pubs.push(sub);
            } else {
                privs.push(sub);
            }
        }
        let att = n.tgw_attach(
            &format!("v{v}"),
            t,
            vpc,
            &pubs[..azs.len().min(pubs.len())],
            true,
        );
        let _ = att;
        let nacl = n.nacl(&format!("v{v}_private"), vpc, &privs);
        n.nacl_rule(
            nacl,
            false,
            100,
            true,
            Protocol::All,
            (0, 65535),
            "10.0.0.0/8",
        );
        n.nacl_rule(
            nacl,
            false,
            200,
            true,
            Protocol::Tcp,
            (1024, 65535),
            "0.0.0.0/0",
        );
        n.nacl_rule(
            nacl,
            true,
            100,
            true,
            Protocol::All,
            (0, 65535),
            "0.0.0.0/0",
        );
        for (i, az) in azs.iter().enumerate() {
            let Some(&nat_subnet) = pubs.get(i) else {
                continue;
            };
            let ngw = n.nat_gateway(&format!("v{v}_{i}"), nat_subnet, true);
            let private = n.table(&format!("v{v}_private_{i}"), vpc);
            n.route(private, "0.0.0.0/0", nat(ngw));
            n.route(private, "10.0.0.0/8", tgw(t));
            for &s in &privs {
                if n.m.subnet(s).availability_zone.known().map(String::as_str) == Some(*az) {
                    n.associate(s, private);
                }
            }
        }
        if v == 0 {
            first_vgw = Some(n.vgw("v0", vpc));
        }
    }
    n.vpn("office", first_vgw, true, &["192.168.0.0/16"]);
    n.model()
}
