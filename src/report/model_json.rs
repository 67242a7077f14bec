//! `tfvpc model`: the network model (before and after) as JSON, for a human debugging a
//! plan. Ids are rendered as the linked object's address, with how the link was made.
//! Formats only; never decides. Deterministic: every vector is already sorted by address.

use std::io::Write;

use serde_json::{json, Map, Value};

use crate::model::*;

/// Writes `{"before": …, "after": …, "diagnostics": …}`.
pub fn write(network: &Network, out: &mut dyn Write) -> std::io::Result<()> {
    let v = to_value(network);
    serde_json::to_writer_pretty(&mut *out, &v)?;
    out.write_all(b"\n")
}

/// The JSON value `write` prints.
pub fn to_value(n: &Network) -> Value {
    let mut diagnostics = Vec::new();
    for (side, m) in [("before", &n.before), ("after", &n.after)] {
        for d in &m.diagnostics {
            diagnostics.push(json!({"side": side, "address": d.address, "message": d.message}));
        }
    }
    json!({
        "input": {
            "kind": match n.input.kind { InputKind::Plan => "plan", InputKind::State => "state" },
            "format_version": n.input.format_version,
            "terraform_version": n.input.terraform_version,
            "errored": n.input.errored,
        },
        "before": model(&n.before),
        "after": model(&n.after),
        "changed": n.changed.iter().map(|(a, act)| json!({"address": a, "action": act.as_str()})).collect::<Vec<_>>(),
        "module_calls": n.module_calls.iter().map(|c| json!({"path": c.path, "source": c.source})).collect::<Vec<_>>(),
        "diagnostics": diagnostics,
    })
}

fn how(h: LinkHow) -> &'static str {
    match h {
        LinkHow::Reference => "reference",
        LinkHow::Id => "id",
        LinkHow::Inferred => "inferred",
    }
}

fn link<I: Copy>(l: &Link<I>, name: impl Fn(I) -> String) -> Value {
    match l {
        Link::None => Value::Null,
        Link::To(i, h) => json!({"to": name(*i), "how": how(*h)}),
        Link::External(id) => json!({"external": id}),
        Link::Unresolved(r) => json!({"unresolved": r}),
    }
}

fn block<N: std::fmt::Display>(b: &Block<N>, m: &Model) -> Value {
    match b {
        Block::Known(n) => Value::String(n.to_string()),
        Block::Unknown(u) => {
            let mut v = json!({
                "unknown": u.reason,
                "inside_vpc": u.inside_vpc.map(|v| m.vpc(v).meta.address.clone()),
                "prefix_len": u.prefix_len,
            });
            // Written only on the blocks it marks (a VPC's Amazon-provided IPv6 block).
            if let (true, Some(o)) = (u.amazon_ipv6, v.as_object_mut()) {
                o.insert("amazon_ipv6".to_string(), Value::Bool(true));
            }
            // Written only where structure places the block inside subnets.
            if let (false, Some(o)) = (u.inside_subnets.is_empty(), v.as_object_mut()) {
                let subnets = u
                    .inside_subnets
                    .iter()
                    .map(|s| Value::String(m.subnet(*s).meta.address.clone()))
                    .collect();
                o.insert("inside_subnets".to_string(), Value::Array(subnets));
            }
            v
        }
    }
}

fn any_block(b: &AnyBlock, m: &Model) -> Value {
    match b {
        AnyBlock::V4(b) => block(b, m),
        AnyBlock::V6(b) => block(b, m),
    }
}

fn addr_links<I: Copy>(v: &[(Address, Link<I>)], name: impl Fn(I) -> String + Copy) -> Value {
    Value::Array(
        v.iter()
            .map(|(a, l)| json!({"declared_by": a, "link": link(l, name)}))
            .collect(),
    )
}

fn meta(x: &Meta) -> Map<String, Value> {
    let mut o = Map::new();
    o.insert("address".into(), json!(x.address));
    o.insert("action".into(), json!(x.action.as_str()));
    if let Some(id) = &x.id {
        o.insert("id".into(), json!(id));
    }
    if !x.tags.is_empty() {
        let tags: serde_json::Map<String, serde_json::Value> =
            x.tags.iter().map(|(k, v)| (k.clone(), json!(v))).collect();
        o.insert("tags".into(), serde_json::Value::Object(tags));
    }
    o
}

fn with(mut o: Map<String, Value>, extra: Value) -> Value {
    if let Value::Object(e) = extra {
        o.extend(e);
    }
    Value::Object(o)
}

/// A value known at plan time, or `{"unknown": reason}`.
fn val<T: serde::Serialize>(v: &Val<T>) -> Value {
    match v {
        Val::Known(x) => json!(x),
        Val::Unknown(r) => json!({ "unknown": r }),
    }
}

fn protocol(p: Protocol) -> String {
    match p {
        Protocol::All => "all".into(),
        Protocol::Tcp => "tcp".into(),
        Protocol::Udp => "udp".into(),
        Protocol::Icmp => "icmp".into(),
        Protocol::Icmpv6 => "icmpv6".into(),
        Protocol::Number(n) => n.to_string(),
    }
}

fn ports(p: PortRange) -> String {
    if p == PortRange::ALL {
        "all".into()
    } else if p.from == p.to {
        p.from.to_string()
    } else {
        format!("{}-{}", p.from, p.to)
    }
}

fn icmp(i: IcmpMatch) -> Value {
    if i == IcmpMatch::default() {
        Value::Null
    } else {
        json!({"type": i.icmp_type, "code": i.icmp_code})
    }
}

fn model(m: &Model) -> Value {
    let vpc = |i: VpcId| m.vpc(i).meta.address.clone();
    let subnet = |i: SubnetId| m.subnet(i).meta.address.clone();
    let rtb = |i: RouteTableId| m.route_table(i).meta.address.clone();
    let gw = |i: GatewayId| m.gateway(i).meta.address.clone();
    let nat = |i: NatGatewayId| m.nat_gateway(i).meta.address.clone();
    let eip = |i: EipId| m.eip(i).meta.address.clone();
    let wl = |i: WorkloadId| m.workload(i).meta.address.clone();
    let cgw = |i: CustomerGatewayId| m.customer_gateway(i).meta.address.clone();
    let tgw = |i: TransitGatewayId| m.transit_gateway(i).meta.address.clone();
    let att = |i: TgwAttachmentId| m.tgw_attachment(i).meta.address.clone();
    let pcx = |i: PeeringId| m.peering(i).meta.address.clone();
    let vpce = |i: EndpointId| m.endpoint(i).meta.address.clone();
    let nacl = |i: NaclId| m.nacl(i).meta.address.clone();
    let sg = |i: SecurityGroupId| m.security_group(i).meta.address.clone();
    let pl = |i: PrefixListId| m.prefix_list(i).meta.address.clone();
    let stage = |i: ApiStageId| m.api_stage(i).meta.address.clone();
    let via = |v: &AssocVia| match v {
        AssocVia::Explicit(a) => json!({"explicit": a}),
        AssocVia::Implicit => json!("implicit"),
    };
    let target = |t: &Target| -> Value {
        match t {
            Target::Local => json!("local"),
            Target::Gateway(l) => json!({"gateway": link(l, gw)}),
            Target::NatGateway(l) => json!({"nat_gateway": link(l, nat)}),
            Target::TransitGateway(l) => json!({"transit_gateway": link(l, tgw)}),
            Target::Peering(l) => json!({"peering": link(l, pcx)}),
            Target::Endpoint(l) => json!({"endpoint": link(l, vpce)}),
            Target::Workload(l) => json!({"workload": link(l, wl)}),
            Target::Other { attribute, value } => {
                json!({"other": {"attribute": attribute, "value": value}})
            }
            Target::Unresolved { attribute, reason } => {
                json!({"unresolved": {"attribute": attribute, "reason": reason}})
            }
            Target::Missing => json!("missing"),
        }
    };
    let sg_rule = |r: &SgRule| -> Value {
        let peer = match &r.peer {
            SgPeer::Cidr(b) => json!({"cidr": any_block(b, m)}),
            SgPeer::PrefixList(l) => json!({"prefix_list": link(l, pl)}),
            SgPeer::Group(l) => json!({"group": link(l, sg)}),
            SgPeer::SelfGroup => json!("self"),
        };
        let mut v = json!({"address": r.address, "action": r.action.as_str(), "protocol": protocol(r.protocol),
               "ports": ports(r.ports), "icmp": icmp(r.icmp), "peer": peer, "description": r.description});
        if let (Some(why), Value::Object(o)) = (&r.unknown, &mut v) {
            o.insert("unknown".to_string(), json!(why));
        }
        v
    };
    let nacl_rule = |r: &NaclRule| -> Value {
        let mut v = json!({"address": r.address, "action": r.action.as_str(), "rule_number": r.rule_number,
               "allow": r.allow, "protocol": protocol(r.protocol), "ports": ports(r.ports),
               "icmp": icmp(r.icmp), "cidr": any_block(&r.cidr, m)});
        if let (Some(why), Value::Object(o)) = (&r.unknown, &mut v) {
            o.insert("unknown".to_string(), json!(why));
        }
        v
    };
    let vpc_blocks = |v: &[VpcBlock<Ipv4Net>]| -> Value {
        Value::Array(v.iter().map(|b| json!({"block": block(&b.block, m), "source": b.source, "action": b.action.as_str()})).collect())
    };
    let vpc_blocks6 = |v: &[VpcBlock<Ipv6Net>]| -> Value {
        Value::Array(v.iter().map(|b| json!({"block": block(&b.block, m), "source": b.source, "action": b.action.as_str()})).collect())
    };
    let bpa = |b: BpaId| m.block_public_access(b).meta.address.clone();
    let mut out = json!({
        "vpcs": m.vpcs.iter().map(|v| {
            let mut o = with(meta(&v.meta), json!({
                "ipv4": vpc_blocks(&v.ipv4),
                "ipv6": vpc_blocks6(&v.ipv6),
                "main_route_table": rtb(v.main_route_table),
                "default_nacl": nacl(v.default_nacl),
                "default_security_group": v.default_security_group.map(sg),
            }));
            if let (true, Value::Object(o)) = (v.outside, &mut o) {
                o.insert("outside".into(), json!(true));
            }
            // Only where options may govern it: dumps of models without BPA stay as they were.
            let scope = match &v.block_public_access {
                BpaScope::None => None,
                BpaScope::Applies(b) => Some(json!({"applies": bpa(*b)})),
                BpaScope::Unsure(b, r) => Some(json!({"unsure": bpa(*b), "reason": r})),
            };
            if let (Some(scope), Value::Object(o)) = (scope, &mut o) {
                o.insert("block_public_access".into(), scope);
            }
            o
        }).collect::<Vec<_>>(),
        "subnets": m.subnets.iter().map(|s| { let mut o = with(meta(&s.meta), json!({
            "vpc": link(&s.vpc, vpc),
            "availability_zone": match &s.availability_zone { Val::Known(a) => json!(a), Val::Unknown(r) => json!({"unknown": r}) },
            "ipv4": s.ipv4.as_ref().map(|b| block(b, m)),
            "ipv6": s.ipv6.as_ref().map(|b| block(b, m)),
            "map_public_ip_on_launch": s.map_public_ip_on_launch,
            "assign_ipv6_address_on_creation": s.assign_ipv6_address_on_creation,
            "route_table": {"link": link(&s.route_table.link, rtb), "via": via(&s.route_table.via)},
            "nacl": {"link": link(&s.nacl.link, nacl), "via": via(&s.nacl.via)},
        }));
            // Only when on: dumps of subnets without DNS64 stay as they were.
            if let (true, Value::Object(o)) = (s.dns64, &mut o) {
                o.insert("dns64".into(), json!(true));
            }
            o
        }).collect::<Vec<_>>(),
        "route_tables": m.route_tables.iter().map(|t| with(meta(&t.meta), json!({
            "vpc": link(&t.vpc, vpc),
            "synthesized": t.synthesized,
            "routes": t.routes.iter().map(|r| m.route(*r).address.clone()).collect::<Vec<_>>(),
            "propagating_vgws": addr_links(&t.propagating_vgws, gw),
            "edge_associations": addr_links(&t.edge_associations, gw),
        }))).collect::<Vec<_>>(),
        "routes": m.routes.iter().map(|r| { let mut v = json!({
            "address": r.address,
            "action": r.action.as_str(),
            "table": link(&r.table, rtb),
            "destination": match &r.destination {
                Destination::Cidr(b) => json!({"cidr": any_block(b, m)}),
                Destination::PrefixList(l) => json!({"prefix_list": link(l, pl)}),
                Destination::Service(s) => json!({"service": s}),
                Destination::Unknown(r) => json!({"unknown": r}),
            },
            "target": target(&r.target),
            "origin": match &r.origin {
                RouteOrigin::Local => json!("local"),
                RouteOrigin::Inline => json!("inline"),
                RouteOrigin::Resource => json!("resource"),
                RouteOrigin::Propagated(g) => json!({"propagated": gw(*g)}),
                RouteOrigin::Endpoint(a) => json!({"endpoint": a}),
                RouteOrigin::DefaultVpc => json!("default_vpc"),
            },
        });
        // Where a route whose table is not known may be, when its references say.
        if let (false, Some(o)) = (r.table_among.is_empty(), v.as_object_mut()) {
            o.insert("table_among".into(), json!(r.table_among.iter().map(|t| rtb(*t)).collect::<Vec<_>>()));
        }
        v }).collect::<Vec<_>>(),
        "gateways": m.gateways.iter().map(|g| with(meta(&g.meta), json!({
            "kind": match g.kind { GatewayKind::Internet => "internet", GatewayKind::EgressOnly => "egress-only", GatewayKind::Vpn => "vpn" },
            "vpc": link(&g.vpc, vpc),
            "attachment": g.attachment,
        }))).collect::<Vec<_>>(),
        "nat_gateways": m.nat_gateways.iter().map(|g| with(meta(&g.meta), json!({
            "subnet": link(&g.subnet, subnet),
            "connectivity": match g.connectivity { NatConnectivity::Public => "public", NatConnectivity::Private => "private" },
            "allocation": link(&g.allocation, eip),
        }))).collect::<Vec<_>>(),
        "eips": m.eips.iter().map(|e| with(meta(&e.meta), json!({
            "public_ip": e.public_ip.as_ref().map(|v| match v { Val::Known(s) => json!(s), Val::Unknown(r) => json!({"unknown": r}) }),
            "workload": link(&e.workload, wl),
            "association": e.association,
        }))).collect::<Vec<_>>(),
        "workloads": m.workloads.iter().map(|w| {
            let mut o = with(meta(&w.meta), json!({
            "kind": match w.kind {
                WorkloadKind::Instance => "instance",
                WorkloadKind::NetworkInterface => "network_interface",
                WorkloadKind::AutoScalingGroup => "autoscaling_group",
                WorkloadKind::EcsService => "ecs_service",
                WorkloadKind::DbInstance => "db_instance",
                WorkloadKind::EksNodeGroup => "eks_node_group",
                WorkloadKind::LambdaFunction => "lambda_function",
                WorkloadKind::CacheCluster => "cache_cluster",
                WorkloadKind::EfsMountTarget => "efs_mount_target",
                WorkloadKind::FileSystem => "file_system",
                WorkloadKind::LoadBalancer => "load_balancer",
                WorkloadKind::MessageBroker => "message_broker",
                WorkloadKind::SearchDomain => "search_domain",
                WorkloadKind::EksCluster => "eks_cluster",
                WorkloadKind::ServiceInterface => "service_interface",
                WorkloadKind::ClientVpn => "client_vpn",
                WorkloadKind::BatchCompute => "batch_compute",
            },
            "subnet": link(&w.subnet, subnet),
            "security_groups": w.security_groups.iter().map(|l| link(l, sg)).collect::<Vec<_>>(),
            "source_dest_check": w.source_dest_check,
            "public_ipv4": match &w.public_ipv4 {
                PublicIpv4::None => json!(null),
                PublicIpv4::Auto => json!("auto"),
                PublicIpv4::Eip(e) => json!({"eip": eip(*e)}),
                PublicIpv4::Unknown(r) => json!({"unknown": r}),
                PublicIpv4::Never(r) => json!({"never": r}),
            },
            "attached_to": link(&w.attached_to, wl),
            "private_ips": w.private_ips,
            "ipv6_address_count": w.ipv6_address_count,
            }));
            // Only when there are some: dumps without attachments stay as they were.
            if let (false, Value::Object(o)) = (w.attached_security_groups.is_empty(), &mut o) {
                o.insert("attached_security_groups".into(), addr_links(&w.attached_security_groups, sg));
            }
            if let (false, Value::Object(o)) = (w.settings_from.is_empty(), &mut o) {
                o.insert("settings_from".into(), json!(w.settings_from));
            }
            // Load balancers only.
            if let (Some(why), Value::Object(o)) = (&w.internal, &mut o) {
                o.insert("internal".into(), json!(why));
            }
            if let (Some(why), Value::Object(o)) = (&w.without_groups, &mut o) {
                o.insert("without_groups".into(), json!(why));
            }
            if let (Some(l), Value::Object(o)) = (&w.listeners, &mut o) {
                o.insert("listeners".into(), json!({
                    "ports": l.ports.iter().map(|p| json!({
                        "address": p.address,
                        "protocol": match p.protocol { Protocol::Udp => "udp", _ => "tcp" },
                        "port": p.port,
                    })).collect::<Vec<_>>(),
                    "unknown": l.unknown,
                }));
                if !l.maybe.is_empty() {
                    if let Some(Value::Object(lo)) = o.get_mut("listeners") {
                        lo.insert("maybe".into(), l.maybe.iter().map(|m| (&m.0, &m.1)).map(|(p, why)| json!({
                            "address": p.address,
                            "protocol": match p.protocol { Protocol::Udp => "udp", _ => "tcp" },
                            "port": p.port,
                            "why": why,
                        })).collect::<Vec<_>>().into());
                    }
                }
            }
            // Load balancer targets only.
            if let (false, Value::Object(o)) = (w.behind.is_empty(), &mut o) {
                let proto = |p: Protocol| match p { Protocol::Udp => "udp", _ => "tcp" };
                o.insert("behind".into(), json!(w.behind.iter().map(|f| json!({
                    "load_balancer": f.load_balancer,
                    "listener": f.listener,
                    "rule": f.rule,
                    "source_ip": f.sources.iter().map(|c| match c {
                        Ok(nets) => json!(nets.iter().map(ToString::to_string).collect::<Vec<_>>()),
                        Err(why) => json!({"unknown": why}),
                    }).collect::<Vec<_>>(),
                    "listener_protocol": proto(f.listener_protocol),
                    "listener_port": f.listener_port,
                    "target_group": f.target_group,
                    "protocol": proto(f.protocol),
                    "port": match &f.port { Ok(p) => json!(p), Err(r) => json!({"unknown": r}) },
                    "client_address": f.client_address,
                    "registered_by": f.registered_by,
                    "cross_zone": f.cross_zone,
                    "target_family": f.target_family.to_string(),
                    "health_check_port": match &f.health_check_port {
                        None => json!(null),
                        Some(Ok(p)) => json!(p),
                        Some(Err(r)) => json!({"unknown": r}),
                    },
                })).zip(&w.behind).map(|(mut v, f)| {
                    if let (Some(why), Value::Object(o)) = (&f.unsure, &mut v) {
                        o.insert("unsure".into(), json!(why));
                    }
                    v
                }).collect::<Vec<_>>()));
            }
            // Client VPN users only.
            if let (Some(c), Value::Object(o)) = (&w.client_vpn, &mut o) {
                let nets = |v: &[(String, Result<ipnet::IpNet, String>)]| json!(v.iter().map(|(a, n)| json!({
                    "declared_by": a,
                    "cidr": match n { Ok(n) => json!(n.to_string()), Err(r) => json!({"unknown": r}) },
                })).collect::<Vec<_>>());
                o.insert("client_vpn".into(), json!({
                    "endpoint": c.endpoint,
                    "association": c.association,
                    "authorizations": nets(&c.authorizations),
                    "routes": nets(&c.routes),
                }));
            }
            o
        }).collect::<Vec<_>>(),
        "customer_gateways": m.customer_gateways.iter().map(|c| with(meta(&c.meta), json!({
            "ip_address": c.ip_address.as_ref().map(|v| match v { Val::Known(s) => json!(s), Val::Unknown(r) => json!({"unknown": r}) }),
            "bgp_asn": c.bgp_asn.as_ref().map(|v| match v { Val::Known(s) => json!(s), Val::Unknown(r) => json!({"unknown": r}) }),
        }))).collect::<Vec<_>>(),
        "vpn_connections": m.vpn_connections.iter().map(|c| with(meta(&c.meta), json!({
            "customer_gateway": link(&c.customer_gateway, cgw),
            "vpn_gateway": link(&c.vpn_gateway, gw),
            "transit_gateway": link(&c.transit_gateway, tgw),
            "static_routes_only": c.static_routes_only,
            "static_routes": c.static_routes.iter().map(|(a, b)| json!({"declared_by": a, "cidr": block(b, m)})).collect::<Vec<_>>(),
            "gateway_routes": c.gateway_routes.iter().map(|(a, b)| json!({"declared_by": a, "cidr": any_block(b, m)})).collect::<Vec<_>>(),
            "remote_networks": c.remote_networks.iter().map(|b| any_block(b, m)).collect::<Vec<_>>(),
        }))).collect::<Vec<_>>(),
        "transit_gateways": m.transit_gateways.iter().map(|t| with(meta(&t.meta), json!({
            "default_association": t.default_association,
            "default_propagation": t.default_propagation,
            "vpn_ecmp_support": t.vpn_ecmp_support,
            "multicast_support": t.multicast_support,
            "security_group_referencing": val(&t.sg_referencing),
            "default_route_table": t.default_route_table.map(|r| m.tgw_route_table(r).meta.address.clone()),
        }))).collect::<Vec<_>>(),
        "tgw_attachments": m.tgw_attachments.iter().map(|a| with(meta(&a.meta), json!({
            "transit_gateway": link(&a.transit_gateway, tgw),
            "kind": match &a.kind {
                TgwAttachmentKind::Vpc { vpc: v, subnets, ipv6_support, appliance_mode, sg_referencing } => json!({"vpc": {
                    "vpc": link(v, vpc), "subnets": subnets.iter().map(|l| link(l, subnet)).collect::<Vec<_>>(),
                    "ipv6_support": ipv6_support, "appliance_mode": appliance_mode,
                    "security_group_referencing": val(sg_referencing)}}),
                TgwAttachmentKind::Vpn { connection } => json!({"vpn": m.vpn_connection(*connection).meta.address}),
                TgwAttachmentKind::Peering { peer_transit_gateway } => json!({"peering": link(peer_transit_gateway, tgw)}),
            },
            "default_association": a.default_association,
            "default_propagation": a.default_propagation,
        }))).collect::<Vec<_>>(),
        "tgw_route_tables": m.tgw_route_tables.iter().map(|t| with(meta(&t.meta), json!({
            "transit_gateway": link(&t.transit_gateway, tgw),
            "is_default": t.is_default,
            "synthesized": t.synthesized,
            "associations": addr_links(&t.associations, att),
            "propagations": addr_links(&t.propagations, att),
            "routes": t.routes.iter().map(|r| json!({"address": r.address, "action": r.action.as_str(),
                "destination": any_block(&r.destination, m),
                "attachment": match &r.attachment { None => json!("blackhole"), Some(l) => link(l, att) }})).collect::<Vec<_>>(),
        }))).collect::<Vec<_>>(),
        "peerings": m.peerings.iter().map(|p| with(meta(&p.meta), json!({
            "requester": link(&p.requester, vpc),
            "accepter": link(&p.accepter, vpc),
            "accepted": match &p.accept_unknown { Some(why) => json!({"unknown": why}), None => json!(p.accepted) },
            "accepter_resource": p.accepter_resource,
            "cross_region": val(&p.cross_region),
        }))).collect::<Vec<_>>(),
        "endpoints": m.endpoints.iter().map(|e| {
            let mut o = with(meta(&e.meta), json!({
            "vpc": link(&e.vpc, vpc),
            "kind": match e.kind { EndpointKind::Gateway => "gateway", EndpointKind::Interface => "interface", EndpointKind::GatewayLoadBalancer => "gateway_load_balancer", EndpointKind::Resource => "resource", EndpointKind::ServiceNetwork => "service_network" },
            "service_name": match &e.service_name { Val::Known(s) => json!(s), Val::Unknown(r) => json!({"unknown": r}) },
            "service": e.service,
            "route_tables": addr_links(&e.route_tables, rtb),
            "subnets": addr_links(&e.subnets, subnet),
            "security_groups": e.security_groups.iter().map(|l| link(l, sg)).collect::<Vec<_>>(),
            "private_dns_enabled": e.private_dns_enabled,
            }));
            // Only when there are some: dumps without associations stay as they were.
            if let (false, Value::Object(o)) = (e.attached_security_groups.is_empty(), &mut o) {
                o.insert("attached_security_groups".into(), addr_links(&e.attached_security_groups, sg));
                o.insert("replaces_default_group".into(), json!(e.replaces_default_group));
            }
            if let (Some(t), Value::Object(o)) = (&e.ip_address_type, &mut o) {
                o.insert("ip_address_type".into(), json!(t));
            }
            o
        }).collect::<Vec<_>>(),
        "instance_connect_endpoints": m.instance_connect_endpoints.iter().map(|e| with(meta(&e.meta), json!({
            "subnet": link(&e.subnet, subnet),
            "security_groups": e.security_groups.iter().map(|l| link(l, sg)).collect::<Vec<_>>(),
            "preserve_client_ip": e.preserve_client_ip,
        }))).collect::<Vec<_>>(),
        "nacls": m.nacls.iter().map(|n| with(meta(&n.meta), json!({
            "vpc": link(&n.vpc, vpc),
            "is_default": n.is_default,
            "synthesized": n.synthesized,
            "ingress": n.ingress.iter().map(nacl_rule).collect::<Vec<_>>(),
            "egress": n.egress.iter().map(nacl_rule).collect::<Vec<_>>(),
        }))).collect::<Vec<_>>(),
        "security_groups": m.security_groups.iter().map(|g| with(meta(&g.meta), json!({
            "vpc": link(&g.vpc, vpc),
            "name": g.name,
            "is_default": g.is_default,
            "synthesized": g.synthesized,
            "egress_declared": g.egress_declared,
            "ingress": g.ingress.iter().map(sg_rule).collect::<Vec<_>>(),
            "egress": g.egress.iter().map(sg_rule).collect::<Vec<_>>(),
        }))).collect::<Vec<_>>(),
        "prefix_lists": m.prefix_lists.iter().map(|p| with(meta(&p.meta), json!({
            "name": p.name,
            "family": p.family.as_str(),
            "entries": p.entries.iter().map(|b| any_block(b, m)).collect::<Vec<_>>(),
            "entry_resources": p.entry_resources.iter().map(|(a, b)| json!({
                "address": a,
                "cidr": any_block(b, m),
            })).collect::<Vec<_>>(),
            "unknown": p.unknown,
        }))).collect::<Vec<_>>(),
        "api_stages": m.api_stages.iter().map(|s| with(meta(&s.meta), json!({
            "stage_name": s.stage_name,
            "cache_cluster_enabled": s.cache_cluster_enabled,
        }))).collect::<Vec<_>>(),
        "api_method_settings": m.api_method_settings.iter().map(|s| with(meta(&s.meta), json!({
            "stage": link(&s.stage, stage),
            "method_path": s.method_path,
            "caching_enabled": s.caching_enabled,
            "cache_ttl_in_seconds": s.cache_ttl_in_seconds.as_ref().map(|v| match v { Val::Known(n) => json!(n), Val::Unknown(r) => json!({"unknown": r}) }),
        }))).collect::<Vec<_>>(),
        "skipped": m.skipped,
    });
    if let Value::Object(o) = &mut out {
        if !m.block_public_access.is_empty() {
            o.insert("block_public_access".into(), Value::Array(m.block_public_access.iter().map(|b| with(meta(&b.meta), json!({
                "mode": match &b.mode { Val::Known(x) => json!(x.as_str()), Val::Unknown(r) => json!({"unknown": r}) },
            }))).collect()));
        }
        if !m.endpoint_services.is_empty() {
            o.insert("endpoint_services".into(), Value::Array(m.endpoint_services.iter().map(|e| with(meta(&e.meta), json!({
                "acceptance_required": val(&e.acceptance_required),
                "allowed_principals": e.allowed_principals.iter().map(|(by, p)| json!({"by": by, "principal": val(p)})).collect::<Vec<_>>(),
                "load_balancers": e.load_balancers,
            }))).collect()));
        }
        if !m.outside_group_rules.is_empty() {
            o.insert(
                "outside_group_rules".into(),
                Value::Array(
                    m.outside_group_rules
                        .iter()
                        .map(|r| {
                            json!({
                                "group": r.group,
                                "direction": if r.egress { "egress" } else { "ingress" },
                                "rule": sg_rule(&r.rule),
                            })
                        })
                        .collect(),
                ),
            );
        }
        if !m.unplaced_nacl_rules.is_empty() {
            o.insert(
                "unplaced_nacl_rules".into(),
                Value::Array(
                    m.unplaced_nacl_rules
                        .iter()
                        .map(|r| {
                            let mut v = json!({
                                "direction": if r.egress { "egress" } else { "ingress" },
                                "rule": nacl_rule(&r.rule),
                            });
                            // The NACLs it may be of, when its references say.
                            if let (false, Some(o)) = (r.among.is_empty(), v.as_object_mut()) {
                                o.insert("among".into(), json!(r.among));
                            }
                            v
                        })
                        .collect(),
                ),
            );
        }
        if !m.unplaced_group_attachments.is_empty() {
            o.insert(
                "unplaced_group_attachments".into(),
                Value::Array(
                    m.unplaced_group_attachments
                        .iter()
                        .map(|u| {
                            let mut v = json!({"address": u.address, "security_group": link(&u.group, sg), if u.to_endpoint { "endpoint" } else { "network_interface" }: {"unknown": u.why}});
                            // What it may be of, when its references say.
                            if let (false, Some(o)) = (u.among.is_empty(), v.as_object_mut()) {
                                o.insert("among".into(), json!(u.among));
                            }
                            v
                        })
                        .collect(),
                ),
            );
        }
        if !m.unplaced_vpn_routes.is_empty() {
            o.insert(
                "unplaced_vpn_routes".into(),
                Value::Array(
                    m.unplaced_vpn_routes
                        .iter()
                        .map(|u| {
                            let mut v = json!({"address": u.address, "cidr": block(&u.block, m), "vpn_connection": {"unknown": u.why}});
                            // The connections it may be of, when its references say.
                            if let (false, Some(o)) = (u.among.is_empty(), v.as_object_mut()) {
                                o.insert("among".into(), json!(u.among.iter().map(|c| &m.vpn_connection(*c).meta.address).collect::<Vec<_>>()));
                            }
                            v
                        })
                        .collect(),
                ),
            );
        }
        if !m.unplaced_vgw_propagations.is_empty() {
            o.insert(
                "unplaced_vgw_propagations".into(),
                Value::Array(
                    m.unplaced_vgw_propagations
                        .iter()
                        .map(|u| {
                            let mut v = json!({"address": u.address, "gateway": link(&u.gateway, gw), "route_table": {"unknown": u.why}});
                            // The tables it may be of, when its references say.
                            if let (false, Some(o)) = (u.among.is_empty(), v.as_object_mut()) {
                                o.insert("among".into(), json!(u.among.iter().map(|t| &m.route_table(*t).meta.address).collect::<Vec<_>>()));
                            }
                            v
                        })
                        .collect(),
                ),
            );
        }
        if !m.unresolved_endpoint_routes.is_empty() {
            o.insert(
                "unresolved_endpoint_routes".into(),
                Value::Array(
                    m.unresolved_endpoint_routes
                        .iter()
                        .map(|u| {
                            let mut v = json!({"address": u.address, "route_table": link(&u.table, rtb), "endpoint": {"unknown": u.why}});
                            // The endpoints it may be of, when its references say.
                            if let (false, Some(o)) = (u.among.is_empty(), v.as_object_mut()) {
                                o.insert("among".into(), json!(u.among.iter().map(|e| &m.endpoint(*e).meta.address).collect::<Vec<_>>()));
                            }
                            v
                        })
                        .collect(),
                ),
            );
        }
        if !m.unplaced_tgw.is_empty() {
            o.insert(
                "unplaced_tgw".into(),
                Value::Array(
                    m.unplaced_tgw
                        .iter()
                        .map(|u| {
                            let what = match &u.kind {
                                UnplacedTgwKind::Route(r) => json!({"route": {
                                    "action": r.action.as_str(),
                                    "destination": any_block(&r.destination, m),
                                    "attachment": match &r.attachment { None => json!("blackhole"), Some(l) => link(l, att) }}}),
                                UnplacedTgwKind::Propagation(l) => json!({"propagation": link(l, att)}),
                                UnplacedTgwKind::Association(l) => json!({"association": link(l, att)}),
                            };
                            let mut v = json!({"address": u.address, "route_table": {"unknown": u.why}, "kind": what});
                            // The tables it may be in, when its references say.
                            if let (false, Some(o)) = (u.among.is_empty(), v.as_object_mut()) {
                                o.insert("among".into(), json!(u.among.iter().map(|t| m.tgw_route_table(*t).meta.address.clone()).collect::<Vec<_>>()));
                            }
                            v
                        })
                        .collect(),
                ),
            );
        }
        if !m.unplaced_group_rules.is_empty() {
            o.insert(
                "unplaced_group_rules".into(),
                Value::Array(
                    m.unplaced_group_rules
                        .iter()
                        .map(|r| {
                            let mut v = json!({
                                "direction": if r.egress { "egress" } else { "ingress" },
                                "rule": sg_rule(&r.rule),
                            });
                            // The groups it may be of, when its references say.
                            if let (false, Some(o)) = (r.among.is_empty(), v.as_object_mut()) {
                                o.insert(
                                    "among".into(),
                                    json!(r
                                        .among
                                        .iter()
                                        .map(|g| m.security_group(*g).meta.address.clone())
                                        .collect::<Vec<_>>()),
                                );
                            }
                            v
                        })
                        .collect(),
                ),
            );
        }
        if !m.eks_public_endpoints.is_empty() {
            o.insert("eks_public_endpoints".into(), Value::Array(m.eks_public_endpoints.iter().map(|e| with(meta(&e.meta), json!({
                "enabled": match &e.enabled { Ok(b) => json!(b), Err(r) => json!({"unknown": r}) },
                "public_access_cidrs": match &e.cidrs {
                    Ok(v) => json!(v.iter().map(ToString::to_string).collect::<Vec<_>>()),
                    Err(r) => json!({"unknown": r}),
                },
            }))).collect()));
        }
        if !m.bpa_exclusions.is_empty() {
            o.insert("bpa_exclusions".into(), Value::Array(m.bpa_exclusions.iter().map(|e| with(meta(&e.meta), json!({
                "vpc": link(&e.vpc, vpc),
                "subnet": link(&e.subnet, subnet),
                "mode": match &e.mode { Val::Known(x) => json!(x.as_str()), Val::Unknown(r) => json!({"unknown": r}) },
            }))).collect()));
        }
    }
    out
}
