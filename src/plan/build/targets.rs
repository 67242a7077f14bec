//! Load balancer targets: which workloads a listener's connections are forwarded to.
//!
//! A listener (`aws_lb_listener`, or an `aws_lb_listener_rule` of it) forwards to target
//! groups (`default_action`/`action` blocks: `target_group_arn`, or the groups of a
//! `forward` block). A target group's targets are registered by
//! `aws_lb_target_group_attachment` (an instance by ID), by an Auto Scaling group
//! (`target_group_arns`, `aws_autoscaling_attachment`) or by an ECS service (its
//! `load_balancer` blocks, on their `container_port`). A Classic Load Balancer forwards each
//! of its `listener` blocks to its instances (`instances`, `aws_elb_attachment`, an Auto
//! Scaling group's `load_balancers`) on the block's `instance_port`.

use rustc_hash::FxHashMap as HashMap;

use super::fleets::{listener_fits, listener_protocols};
use super::{
    block_objects, obj_bool, obj_i64, obj_str, obj_strs, unknown_reason, BlockObject, Inst, LinkA,
    ASG, B, CLASSIC_LB, INSTANCE, LB_LISTENER, LOAD_BALANCER, SUBNET, TARGET_GROUP, VPC, WORKLOAD,
};
use crate::model::{Family, Forwarder, IpNet, Protocol};
use crate::plan::json::Value;

/// Instances a link may name, each with why it may not be the one (`None`: it is).
type Candidates = Vec<(usize, Option<Maybe>)>;

/// Why a link whose target is not known at plan time may name an instance: said in words
/// ([`Maybe::text`]) only for the ways that are kept, so that a link that may name any of
/// thousands of instances costs no sentence for each.
#[derive(Clone)]
struct Maybe(std::sync::Arc<MaybeOf>);

struct MaybeOf {
    /// The address whose link is not known.
    by: String,
    kind: MaybeKind,
    /// Why the link is not known.
    why: String,
}

enum MaybeKind {
    /// `by`'s `what` (target group, load balancer) may be the instance.
    Names(&'static str),
    /// Listener `by` may be the instance's (a load balancer).
    ListenerOf,
    /// Listener rule `by` may be the instance's (a listener).
    RuleOf,
}

impl Maybe {
    fn new(by: &str, kind: MaybeKind, why: &str) -> Maybe {
        Maybe(std::sync::Arc::new(MaybeOf {
            by: by.to_string(),
            kind,
            why: why.to_string(),
        }))
    }

    /// Why it may be `name` (the instance's address), in a sentence.
    fn text(&self, name: &str) -> String {
        let MaybeOf { by, kind, why } = &*self.0;
        match kind {
            MaybeKind::Names(what) => format!(
                "`{by}` may name `{name}`: its {what} is not known at plan time ({why})"
            ),
            MaybeKind::ListenerOf => format!(
                "`{by}` may be a listener of `{name}`: its load balancer is not known at plan time ({why})"
            ),
            MaybeKind::RuleOf => format!(
                "`{by}` may be a rule of `{name}`: its listener is not known at plan time ({why})"
            ),
        }
    }
}

/// One listener port that forwards to a target group.
struct Route {
    load_balancer: usize,
    listener: String,
    protocol: Protocol,
    port: Option<u16>,
    /// A Network Load Balancer.
    network: bool,
    /// The load balancer's own cross-zone setting: always on for an Application Load
    /// Balancer, `enable_cross_zone_load_balancing` (off by default) for a Network one.
    cross_zone: bool,
    /// The listener rule, when not the default action.
    rule: Option<String>,
    /// The rule's `source_ip` conditions.
    sources: Vec<Result<Vec<IpNet>, String>>,
    /// Why it may not forward to this group: its action's group is not known.
    unsure: Option<String>,
}

/// One registration of a target in a target group (or a Classic Load Balancer).
struct Registration {
    /// The registered resource: an instance, an Auto Scaling group, an ECS service.
    target: usize,
    /// The target group, or the Classic Load Balancer.
    group: usize,
    by: String,
    /// The port of the registration (an attachment's `port`, a service's container port).
    port: Option<u16>,
    /// Why that port is not known.
    port_unknown: Option<String>,
    /// Why it may not be in this group: its target group is not known.
    unsure: Option<String>,
}

fn port_of(v: Option<i64>) -> Option<u16> {
    v.and_then(|p| u16::try_from(p).ok()).filter(|p| *p > 0)
}

impl B<'_, '_> {
    /// The target groups an action block forwards to: its `target_group_arn`, and the
    /// groups of its `forward` block. Other action types (redirect, fixed response,
    /// authentication) forward nowhere.
    ///
    /// A group not known at plan time may be any target group of the plan: each comes
    /// with why it may not be the one (`Some`).
    fn action_groups(&self, idx: usize, block: &BlockObject<'_>) -> Candidates {
        let (obj, unk, expr) = block;
        let kind = obj_str(obj.as_ref(), "type");
        if kind.is_some_and(|k| k != "forward") {
            return Vec::new();
        }
        let mut out = Vec::new();
        // A group not known may be those the references name, when they name them all.
        let add = |l: LinkA, among: &dyn Fn() -> Vec<usize>, out: &mut Candidates| match l {
            LinkA::To(g, _) => out.push((g, None)),
            LinkA::Unresolved(why) => {
                out.extend(self.maybe_groups(self.inst(idx).address, &why, &among()));
            }
            _ => {}
        };
        add(
            self.link_in_block(
                idx,
                obj.as_ref(),
                unk.as_ref(),
                *expr,
                "target_group_arn",
                TARGET_GROUP,
            ),
            &|| self.among_in_block(idx, obj.as_ref(), *expr, "target_group_arn", TARGET_GROUP),
            &mut out,
        );
        for fwd in super::fleets::sub_blocks(block, "forward") {
            let groups = super::fleets::sub_blocks(&fwd, "target_group");
            // Of several weighted groups, one of weight 0 receives nothing (the way a
            // blue/green switch-over parks the idle one); a lone group's weight is ignored.
            let weighted = groups.len() > 1
                && groups
                    .iter()
                    .any(|(o, _, _)| obj_i64(o.as_ref(), "weight").is_some_and(|w| w > 0));
            for tg in &groups {
                let (o, u, e) = tg;
                if weighted && obj_i64(o.as_ref(), "weight") == Some(0) {
                    continue;
                }
                add(
                    self.link_in_block(idx, o.as_ref(), u.as_ref(), *e, "arn", TARGET_GROUP),
                    &|| self.among_in_block(idx, o.as_ref(), *e, "arn", TARGET_GROUP),
                    &mut out,
                );
            }
        }
        // A group named for sure wins over the same one named perhaps.
        out.sort_by_key(|(g, maybe)| (*g, maybe.is_some()));
        out.dedup_by_key(|(g, _)| *g);
        out
    }

    /// The VPC (instance index) of a target group (`vpc_id`), a load balancer (its first
    /// subnet's) or a workload (its subnet's), when known.
    fn vpc_of(&self, i: usize) -> Option<usize> {
        let vpc = |l: LinkA| match l {
            LinkA::To(v, _) => Some(v),
            _ => None,
        };
        let subnet_vpc = |l: LinkA| match l {
            LinkA::To(s, _) => vpc(self.link(s, "vpc_id", VPC)),
            _ => None,
        };
        match self.inst(i).rtype {
            "aws_lb_target_group" | "aws_alb_target_group" => vpc(self.link(i, "vpc_id", VPC)),
            "aws_lb" | "aws_alb" | "aws_elb" => self
                .link_list(i, "subnets", SUBNET)
                .into_iter()
                .find_map(subnet_vpc),
            _ => subnet_vpc(self.link(i, "subnet_id", SUBNET)),
        }
    }

    /// The target groups of the plan that `by`, whose target group is not known at plan
    /// time (`why`), may name: those its references name (`among`), else all of them,
    /// each with why it may not be the one.
    fn maybe_groups(&self, by: &str, why: &str, among: &[usize]) -> Candidates {
        self.maybe_of(TARGET_GROUP, "target group", by, why, among)
    }

    /// The instances of `types` that `by`, whose `what` is not known at plan time (`why`),
    /// may name: those of `among` (what its references name, when they name them all),
    /// else all of them, each with why it may not be the one.
    fn maybe_of(
        &self,
        types: &[&str],
        what: &'static str,
        by: &str,
        why: &str,
        among: &[usize],
    ) -> Candidates {
        let all: Vec<usize> = if among.is_empty() {
            types.iter().flat_map(|t| self.insts(t)).collect()
        } else {
            among
                .iter()
                .copied()
                .filter(|&g| types.contains(&self.inst(g).rtype))
                .collect()
        };
        let maybe = Maybe::new(by, MaybeKind::Names(what), why);
        all.into_iter().map(|g| (g, Some(maybe.clone()))).collect()
    }

    /// The `source_ip` conditions of listener rule `ri`: the CIDRs of each, or why they
    /// are not known. A rule's other conditions (host, path, headers, ...) are the
    /// client's to choose and do not narrow who reaches its targets.
    fn rule_sources(&self, ri: usize) -> Vec<Result<Vec<IpNet>, String>> {
        let inst = self.inst(ri);
        let mut out = Vec::new();
        for cond in block_objects(inst, "condition") {
            for src in super::fleets::sub_blocks(&cond, "source_ip") {
                let (obj, unk, _) = &src;
                let unknown = match unk.as_ref().get("values") {
                    Some(Value::Bool(b)) => *b,
                    Some(Value::Array(a)) => a.iter().any(|v| v.as_bool() == Some(true)),
                    _ => false,
                };
                out.push(if unknown {
                    Err(format!(
                        "the `source_ip` condition of `{}` is known only after apply",
                        inst.address
                    ))
                } else {
                    let mut nets: Vec<IpNet> = obj_strs(obj.as_ref(), "values")
                        .iter()
                        .filter_map(|v| v.trim().parse::<IpNet>().ok())
                        .map(|n| n.trunc())
                        .collect();
                    nets.sort_unstable();
                    nets.dedup();
                    Ok(nets)
                });
            }
        }
        out
    }

    /// The listener ports of `aws_lb_listener` `li`, on load balancer `lb`.
    fn listener_routes(&self, li: usize, lb: usize) -> Vec<Route> {
        let inst = self.inst(li);
        let lb_inst = self.inst(lb);
        let network = lb_inst.str("load_balancer_type") == Some("network");
        let cross_zone = !network || lb_inst.bool("enable_cross_zone_load_balancing") == Some(true);
        let port = port_of(inst.i64("port"));
        listener_protocols(inst.str("protocol"))
            .iter()
            .map(|&protocol| Route {
                load_balancer: lb,
                listener: inst.address.to_string(),
                protocol,
                port,
                network,
                cross_zone,
                rule: None,
                sources: Vec::new(),
                unsure: None,
            })
            .collect()
    }

    /// Listener routes by target group.
    ///
    /// A listener whose load balancer is not known may be any Application or Network Load
    /// Balancer's, and a listener rule whose listener is not known any listener's: each
    /// such route comes with why it may not be there.
    fn routes_by_group(&self) -> HashMap<usize, Vec<Route>> {
        let mut out: HashMap<usize, Vec<Route>> = HashMap::default();
        // A way that may be there only where AWS allows it, and only those are made: a
        // target group's load balancers are in its VPC (where both are known).
        let mut vpcs: HashMap<usize, Option<usize>> = HashMap::default();
        let may_pair = |vpcs: &mut HashMap<usize, Option<usize>>,
                        g: usize,
                        g_unsure: bool,
                        lb: usize,
                        lb_unsure: bool| {
            if !g_unsure && !lb_unsure {
                return true;
            }
            let mut of = |o: usize| *vpcs.entry(o).or_insert_with(|| self.vpc_of(o));
            match (of(g), of(lb)) {
                (Some(a), Some(b)) => a == b,
                _ => true,
            }
        };
        // Each listener's load balancers, each with why it may not be the one.
        let mut listeners: Vec<(usize, Candidates)> = Vec::new();
        for t in LB_LISTENER {
            for li in self.insts(t) {
                let lbs = match self.link(li, "load_balancer_arn", LOAD_BALANCER) {
                    LinkA::To(lb, _) => vec![(lb, None)],
                    LinkA::Unresolved(why) => self
                        .among_or_all(li, "load_balancer_arn", LOAD_BALANCER)
                        .into_iter()
                        .filter(|&lb| {
                            let kind = self.inst(lb).str("load_balancer_type");
                            kind != Some("gateway")
                                && listener_fits(
                                    self.inst(li).str("protocol"),
                                    kind == Some("network"),
                                )
                        })
                        .map({
                            let maybe =
                                Maybe::new(self.inst(li).address, MaybeKind::ListenerOf, &why);
                            move |lb| (lb, Some(maybe.clone()))
                        })
                        .collect(),
                    _ => continue,
                };
                for block in block_objects(self.inst(li), "default_action") {
                    for (g, maybe_g) in self.action_groups(li, &block) {
                        for (lb, maybe_lb) in &lbs {
                            if !may_pair(&mut vpcs, g, maybe_g.is_some(), *lb, maybe_lb.is_some()) {
                                continue;
                            }
                            let unsure = maybe_lb
                                .as_ref()
                                .map(|m| m.text(self.inst(*lb).address))
                                .or_else(|| maybe_g.as_ref().map(|m| m.text(self.inst(g).address)));
                            out.entry(g).or_default().extend(
                                self.listener_routes(li, *lb).into_iter().map(|r| Route {
                                    unsure: unsure.clone(),
                                    ..r
                                }),
                            );
                        }
                    }
                }
                listeners.push((li, lbs));
            }
        }
        listeners.sort_by_key(|(li, _)| *li);
        for t in ["aws_lb_listener_rule", "aws_alb_listener_rule"] {
            for ri in self.insts(t) {
                type Of<'l> = Vec<(&'l (usize, Candidates), Option<Maybe>)>;
                let of: Of<'_> = match self.link(ri, "listener_arn", LB_LISTENER) {
                    LinkA::To(li, _) => listeners
                        .binary_search_by_key(&li, |(l, _)| *l)
                        .ok()
                        .and_then(|k| listeners.get(k))
                        .map(|l| (l, None))
                        .into_iter()
                        .collect(),
                    LinkA::Unresolved(why) => {
                        let among = self.among(ri, "listener_arn", LB_LISTENER);
                        listeners
                            .iter()
                            .filter(|(l, _)| among.is_empty() || among.contains(l))
                            .map({
                                let maybe =
                                    Maybe::new(self.inst(ri).address, MaybeKind::RuleOf, &why);
                                move |l| (l, Some(maybe.clone()))
                            })
                            .collect()
                    }
                    _ => continue,
                };
                let mut sources = None;
                for block in block_objects(self.inst(ri), "action") {
                    for (g, maybe_g) in self.action_groups(ri, &block) {
                        let sources = sources.get_or_insert_with(|| self.rule_sources(ri));
                        for ((li, lbs), maybe_li) in &of {
                            for (lb, maybe_lb) in lbs {
                                let unsure_lb = maybe_li.is_some() || maybe_lb.is_some();
                                if !may_pair(&mut vpcs, g, maybe_g.is_some(), *lb, unsure_lb) {
                                    continue;
                                }
                                let unsure = maybe_li
                                    .as_ref()
                                    .map(|m| m.text(self.inst(*li).address))
                                    .or_else(|| {
                                        maybe_lb.as_ref().map(|m| m.text(self.inst(*lb).address))
                                    })
                                    .or_else(|| {
                                        maybe_g.as_ref().map(|m| m.text(self.inst(g).address))
                                    });
                                out.entry(g).or_default().extend(
                                    self.listener_routes(*li, *lb).into_iter().map(|r| Route {
                                        rule: Some(self.inst(ri).address.to_string()),
                                        sources: sources.clone(),
                                        unsure: unsure.clone(),
                                        ..r
                                    }),
                                );
                            }
                        }
                    }
                }
            }
        }
        out
    }

    /// The instances and network interfaces by their known private IP addresses.
    fn private_ips(&self) -> HashMap<String, usize> {
        let mut out = HashMap::default();
        for t in ["aws_instance", "aws_network_interface"] {
            for i in self.insts(t) {
                let inst = self.inst(i);
                let listed = ["private_ips", "secondary_private_ips"]
                    .into_iter()
                    .flat_map(|a| inst.list(a))
                    .filter_map(|v| v.as_str().map(str::to_string));
                for ip in inst
                    .str("private_ip")
                    .map(str::to_string)
                    .into_iter()
                    .chain(listed)
                {
                    out.entry(ip).or_insert(i);
                }
            }
        }
        out
    }

    /// Every registration of a target, in a target group or a Classic Load Balancer.
    fn registrations(&self) -> Vec<Registration> {
        let mut out = Vec::new();
        let mut vpcs: HashMap<usize, Option<usize>> = HashMap::default();
        let mut push = |target: &LinkA,
                        group: &LinkA,
                        among: Vec<usize>,
                        group_kind: &[&str],
                        by: &str,
                        port: Option<u16>| {
            let LinkA::To(target, _) = target else {
                return;
            };
            let groups = match group {
                LinkA::To(group, _) => vec![(*group, None)],
                // A target group (or Classic Load Balancer) not known at plan time may be
                // any of the plan's.
                LinkA::Unresolved(why) if group_kind == CLASSIC_LB => {
                    self.maybe_of(CLASSIC_LB, "load balancer", by, why, &among)
                }
                LinkA::Unresolved(why) => self.maybe_groups(by, why, &among),
                _ => Vec::new(),
            };
            for (group, maybe) in groups {
                // A registration that may be there only where AWS allows it, and only
                // those are made: a target group's targets are in its VPC.
                if maybe.is_some() {
                    let mut of = |o: usize| *vpcs.entry(o).or_insert_with(|| self.vpc_of(o));
                    if let (Some(a), Some(b)) = (of(group), of(*target)) {
                        if a != b {
                            continue;
                        }
                    }
                }
                out.push(Registration {
                    target: *target,
                    group,
                    by: by.to_string(),
                    port,
                    port_unknown: None,
                    unsure: maybe.map(|m| m.text(self.inst(group).address)),
                });
            }
        };
        let mut by_ip: Option<HashMap<String, usize>> = None;
        for t in [
            "aws_lb_target_group_attachment",
            "aws_alb_target_group_attachment",
        ] {
            for a in self.insts(t) {
                let group = self.link(a, "target_group_arn", TARGET_GROUP);
                // An instance by ID, or an instance or network interface by one of its
                // private addresses (an `ip` target group); a Lambda function or a load
                // balancer is no workload.
                let mut target = self.link(a, "target_id", WORKLOAD);
                if let LinkA::External(v) = &target {
                    if v.parse::<std::net::IpAddr>().is_ok() {
                        let ips = by_ip.get_or_insert_with(|| self.private_ips());
                        if let Some(&i) = ips.get(v.as_str()) {
                            target = LinkA::To(i, super::LinkHow::Id);
                        }
                    }
                }
                let inst = self.inst(a);
                let among = match group {
                    LinkA::Unresolved(_) => self.among(a, "target_group_arn", TARGET_GROUP),
                    _ => Vec::new(),
                };
                push(
                    &target,
                    &group,
                    among,
                    TARGET_GROUP,
                    inst.address,
                    port_of(inst.i64("port")),
                );
            }
        }
        for a in self.insts("aws_elb_attachment") {
            let group = self.link(a, "elb", CLASSIC_LB);
            let target = self.link(a, "instance", INSTANCE);
            let among = match group {
                LinkA::Unresolved(_) => self.among(a, "elb", CLASSIC_LB),
                _ => Vec::new(),
            };
            push(
                &target,
                &group,
                among,
                CLASSIC_LB,
                self.inst(a).address,
                None,
            );
        }
        for a in self.insts("aws_autoscaling_attachment") {
            let target = self.link(a, "autoscaling_group_name", ASG);
            let by = self.inst(a).address;
            push(
                &target,
                &self.link(a, "lb_target_group_arn", TARGET_GROUP),
                Vec::new(),
                TARGET_GROUP,
                by,
                None,
            );
            push(
                &target,
                &self.link(a, "elb", CLASSIC_LB),
                Vec::new(),
                CLASSIC_LB,
                by,
                None,
            );
        }
        for g in self.insts("aws_autoscaling_group") {
            let by = self.inst(g).address;
            let me = LinkA::To(g, super::LinkHow::Id);
            for tg in self.link_list(g, "target_group_arns", TARGET_GROUP) {
                push(&me, &tg, Vec::new(), TARGET_GROUP, by, None);
            }
            for elb in self.link_list(g, "load_balancers", CLASSIC_LB) {
                push(&me, &elb, Vec::new(), CLASSIC_LB, by, None);
            }
        }
        for e in self.insts("aws_elb") {
            let by = self.inst(e).address;
            let me = LinkA::To(e, super::LinkHow::Id);
            for i in self.link_list_own(e, "instances", INSTANCE) {
                push(&i, &me, Vec::new(), CLASSIC_LB, by, None);
            }
        }
        for s in self.insts("aws_ecs_service") {
            let address = self.inst(s).address;
            for block in block_objects(self.inst(s), "load_balancer") {
                let (obj, unk, expr) = &block;
                let (port, port_unknown) = match port_of(obj_i64(obj.as_ref(), "container_port")) {
                    Some(p) => (Some(p), None),
                    None => (
                        None,
                        Some(format!(
                            "`{address}` load_balancer container_port is known only after apply"
                        )),
                    ),
                };
                for (attr, want) in [("target_group_arn", TARGET_GROUP), ("elb_name", CLASSIC_LB)] {
                    if let LinkA::To(group, _) =
                        self.link_in_block(s, obj.as_ref(), unk.as_ref(), *expr, attr, want)
                    {
                        out.push(Registration {
                            target: s,
                            group,
                            by: address.to_string(),
                            port,
                            port_unknown: port_unknown.clone(),
                            unsure: None,
                        });
                    }
                }
            }
        }
        out
    }

    /// The forwarders of each registered resource (an instance, an Auto Scaling group, an
    /// ECS service), by its instance index; each list sorted.
    pub(super) fn lb_targets(&self) -> HashMap<usize, Vec<Forwarder>> {
        let mut out: HashMap<usize, Vec<Forwarder>> = HashMap::default();
        let regs = self.registrations();
        if regs.is_empty() {
            return out;
        }
        let routes = self.routes_by_group();
        // A way that may be there only where AWS allows it: a target group's targets and
        // its load balancers are in its VPC (a Classic Load Balancer's instances in its).
        let mut vpcs: HashMap<usize, Option<usize>> = HashMap::default();
        let mut same_vpc = |objs: &[usize]| {
            let mut seen = None;
            for &o in objs {
                let v = *vpcs.entry(o).or_insert_with(|| self.vpc_of(o));
                match (seen, v) {
                    (Some(a), Some(b)) if a != b => return false,
                    (None, Some(b)) => seen = Some(b),
                    _ => {}
                }
            }
            true
        };
        for r in regs {
            let group = self.inst(r.group);
            let group_addr = group.address;
            if r.unsure.is_some() && !same_vpc(&[r.group, r.target]) {
                continue;
            }
            let list = out.entry(r.target).or_default();
            if group.rtype == "aws_elb" {
                for (obj, _, _) in block_objects(group, "listener") {
                    let o = obj.as_ref();
                    let listener_port = port_of(obj_i64(o, "lb_port"));
                    let port = port_of(obj_i64(o, "instance_port")).ok_or_else(|| {
                        format!("a `listener` instance_port of `{group_addr}` is known only after apply")
                    });
                    let target_protocol = listener_protocols(obj_str(o, "instance_protocol"))
                        .first()
                        .copied()
                        .unwrap_or(Protocol::Tcp);
                    let health_check_port = Some(classic_health_port(group));
                    for &protocol in listener_protocols(obj_str(o, "lb_protocol")) {
                        list.push(Forwarder {
                            load_balancer: group_addr.to_string(),
                            listener: format!("{group_addr} listener"),
                            rule: None,
                            sources: Vec::new(),
                            listener_protocol: protocol,
                            listener_port,
                            target_group: group_addr.to_string(),
                            protocol: target_protocol,
                            port: port.clone(),
                            client_address: None,
                            registered_by: r.by.clone(),
                            // Terraform's default.
                            cross_zone: group.bool("cross_zone_load_balancing") != Some(false),
                            target_family: Family::Ipv4,
                            health_check_port: health_check_port.clone(),
                            unsure: r.unsure.clone(),
                        });
                    }
                }
                continue;
            }
            // A Lambda function or a load balancer as the target type: not a workload.
            let target_type = group.str("target_type").unwrap_or("instance");
            if !matches!(target_type, "instance" | "ip") {
                continue;
            }
            let port = match (r.port, &r.port_unknown, port_of(group.i64("port"))) {
                (Some(p), _, _) => Ok(p),
                (None, Some(why), _) => Err(why.clone()),
                (None, None, Some(p)) => Ok(p),
                (None, None, None) => Err(unknown_reason(group_addr, "port")),
            };
            let protocols = listener_protocols(group.str("protocol"));
            let preserve = match group.str("preserve_client_ip") {
                Some("true") => Some(format!(
                    "`{group_addr}` keeps the client's address (preserve_client_ip = true), which the target's groups and network ACL see"
                )),
                Some(_) => None,
                // AWS's default: on for instance targets, and for UDP and TCP_UDP.
                None if target_type == "instance" || protocols.contains(&Protocol::Udp) => {
                    Some(format!(
                        "`{group_addr}` keeps the client's address (AWS's default for its {} targets), which the target's groups and network ACL see",
                        if target_type == "instance" { "instance" } else { "UDP" }
                    ))
                }
                None => None,
            };
            let target_family = match group.str("ip_address_type") {
                Some("ipv6") => Family::Ipv6,
                _ => Family::Ipv4,
            };
            let health_check_port = health_port(group, &port);
            // The target group's own cross-zone setting overrides the load balancer's.
            let group_cross_zone = match group.str("load_balancing_cross_zone_enabled") {
                Some("true") => Some(true),
                Some("false") => Some(false),
                _ => None,
            };
            for route in routes.get(&r.group).map(Vec::as_slice).unwrap_or(&[]) {
                if route.unsure.is_some() && !same_vpc(&[route.load_balancer, r.group, r.target]) {
                    continue;
                }
                let protocol = if protocols.contains(&route.protocol) {
                    route.protocol
                } else {
                    protocols.first().copied().unwrap_or(Protocol::Tcp)
                };
                list.push(Forwarder {
                    load_balancer: self.inst(route.load_balancer).address.to_string(),
                    listener: route.listener.clone(),
                    rule: route.rule.clone(),
                    sources: route.sources.clone(),
                    listener_protocol: route.protocol,
                    listener_port: route.port,
                    target_group: group_addr.to_string(),
                    protocol,
                    port: port.clone(),
                    client_address: if route.network {
                        preserve.clone()
                    } else {
                        None
                    },
                    registered_by: r.by.clone(),
                    cross_zone: group_cross_zone.unwrap_or(route.cross_zone),
                    target_family,
                    health_check_port: health_check_port.clone(),
                    unsure: r.unsure.clone().or_else(|| route.unsure.clone()),
                });
            }
        }
        for list in out.values_mut() {
            list.sort();
            list.dedup();
            // A way that may be there is no news beside the same one that is.
            let sure: Vec<Forwarder> = list
                .iter()
                .filter(|f| f.unsure.is_none())
                .cloned()
                .collect();
            list.retain(|f| {
                f.unsure.is_none()
                    || !sure.iter().any(|s| {
                        *s == Forwarder {
                            unsure: None,
                            ..f.clone()
                        }
                    })
            });
        }
        out.retain(|_, l| !l.is_empty());
        out
    }
}

/// The port of a target group's health checks: its `health_check` block's `port`, where
/// `traffic-port` (the default) is the port targets take traffic on; `None` when the block
/// turns them off (`enabled = false`).
fn health_port(group: &Inst<'_>, traffic: &Result<u16, String>) -> Option<Result<u16, String>> {
    let Some((obj, unk, _)) = block_objects(group, "health_check").into_iter().next() else {
        return Some(traffic.clone());
    };
    let (o, u) = (obj.as_ref(), unk.as_ref());
    if obj_bool(o, "enabled") == Some(false) {
        return None;
    }
    Some(match obj_str(o, "port") {
        None | Some("traffic-port") if u.get("port").and_then(Value::as_bool) != Some(true) => {
            traffic.clone()
        }
        Some(p) => p.parse::<u16>().map_err(|_| {
            format!(
                "the health check port of `{}` is not a port: {p:?}",
                group.address
            )
        }),
        None => Err(format!(
            "the health check port of `{}` is known only after apply",
            group.address
        )),
    })
}

/// The port of a Classic Load Balancer's health checks: its `health_check` `target`
/// (`PROTOCOL:PORT[/PATH]`).
fn classic_health_port(elb: &Inst<'_>) -> Result<u16, String> {
    let target = block_objects(elb, "health_check")
        .into_iter()
        .next()
        .and_then(|(obj, _, _)| obj_str(obj.as_ref(), "target").map(str::to_string));
    match target {
        Some(t) => t
            .split_once(':')
            .and_then(|(_, rest)| rest.split('/').next())
            .and_then(|p| p.parse::<u16>().ok())
            .ok_or_else(|| {
                format!(
                    "the health check target of `{}` names no port: {t:?}",
                    elb.address
                )
            }),
        None => Err(format!(
            "the health check target of `{}` is known only after apply",
            elb.address
        )),
    }
}
