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
use std::sync::Arc;

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
    /// How many other routes that may be there are the same but for the names of their
    /// listeners and rules ([`Routes::add`]).
    like: usize,
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

/// Instances (or positions in a list of them) by VPC (`None`: not known).
type ByVpc = HashMap<Option<usize>, Vec<usize>>;

/// The VPCs of target groups, load balancers and workloads, each looked up once.
struct Vpcs<'s, 'b, 'p> {
    b: &'s B<'b, 'p>,
    memo: HashMap<usize, Option<usize>>,
    /// Instances of some types by VPC ([`Vpcs::all_in`]).
    by_vpc: Vec<(&'static [&'static str], ByVpc)>,
}

impl<'s, 'b, 'p> Vpcs<'s, 'b, 'p> {
    fn new(b: &'s B<'b, 'p>) -> Self {
        Vpcs {
            b,
            memo: HashMap::default(),
            by_vpc: Vec::new(),
        }
    }

    /// The VPC (instance index) of `o`, when known.
    fn of(&mut self, o: usize) -> Option<usize> {
        let b = self.b;
        *self.memo.entry(o).or_insert_with(|| b.vpc_of(o))
    }

    /// The instances of `types` (target groups, or Classic Load Balancers) in VPC `vpc`
    /// or in a VPC not known, in index order; the instances indexed by VPC once.
    fn all_in(&mut self, types: &'static [&'static str], vpc: usize) -> Vec<usize> {
        let b = self.b;
        if !self.by_vpc.iter().any(|(t, _)| *t == types) {
            let all: Vec<usize> = types.iter().flat_map(|t| b.insts(t)).collect();
            let mut map = ByVpc::default();
            for i in all {
                map.entry(self.of(i)).or_default().push(i);
            }
            self.by_vpc.push((types, map));
        }
        let Some((_, map)) = self.by_vpc.iter().find(|(t, _)| *t == types) else {
            return Vec::new();
        };
        in_vpc(map, vpc)
    }
}

/// What `map` holds for VPC `vpc` and for a VPC not known, in order.
fn in_vpc(map: &ByVpc, vpc: usize) -> Vec<usize> {
    let mut out: Vec<usize> = [Some(vpc), None]
        .iter()
        .filter_map(|k| map.get(k))
        .flatten()
        .copied()
        .collect();
    out.sort_unstable();
    out
}

/// The load balancers a listener may be of: its own, or (its own not known) those that
/// take its protocol, among those its references name or else of the whole plan. Shared
/// by the listeners that may be of the same ones.
#[derive(Clone)]
struct Lbs {
    idx: Arc<Vec<usize>>,
    /// When the load balancer is not known: the positions in `idx` by VPC (`None`: not
    /// known), so that those a target group may pair with are found without trying each.
    by_vpc: Option<Arc<ByVpc>>,
}

/// A listener: the load balancers it may be of.
#[derive(Clone)]
struct On {
    listener: usize,
    lbs: Lbs,
    /// Why it may not be of them: its load balancer is not known (`None`: it is).
    maybe: Option<Maybe>,
    /// How many other listeners it stands for: those whose load balancer is not known
    /// that may be the same ([`B::routes_by_group`]).
    like: usize,
}

impl On {
    /// The load balancers target group `g` (one it may not forward to when `g_unsure`)
    /// may be paired with through this listener (one it may not be when `unsure`): where
    /// a link is not sure, only those of `g`'s VPC (or of a VPC not known) are, for a
    /// target group's load balancers are in its VPC.
    fn paired(
        &self,
        vpcs: &mut Vpcs<'_, '_, '_>,
        g: usize,
        g_unsure: bool,
        unsure: bool,
    ) -> Vec<usize> {
        let Some(vpc) = vpcs.of(g) else {
            return self.lbs.idx.to_vec();
        };
        match &self.lbs.by_vpc {
            Some(map) => in_vpc(map, vpc)
                .into_iter()
                .filter_map(|p| self.lbs.idx.get(p).copied())
                .collect(),
            None => self
                .lbs
                .idx
                .iter()
                .copied()
                .filter(|&lb| {
                    (!g_unsure && !unsure && self.maybe.is_none())
                        || vpcs.of(lb).map_or(true, |w| w == vpc)
                })
                .collect(),
        }
    }
}

/// A listener's routes before they are made: the load balancers it may be of, and the
/// target groups of its default actions, each with why it may not be the one.
struct Shape {
    on: On,
    groups: Candidates,
}

/// The routes to each target group, those that may be there merged where they differ only
/// in the names of their listeners and rules ([`Routes::add`]).
#[derive(Default)]
struct Routes {
    by_group: HashMap<usize, Vec<Route>>,
    /// Where each route that may be there is in its group's list, by what it is.
    at: HashMap<RouteKey, usize>,
}

/// A route that may be there, but for the names: target group, load balancer, protocol,
/// port, kind of load balancer, cross-zone, whether a rule's, and the rule's source
/// conditions (`None`: not known).
type RouteKey = (
    usize,
    usize,
    Protocol,
    Option<u16>,
    bool,
    bool,
    bool,
    Vec<Option<Vec<IpNet>>>,
);

impl Routes {
    /// Adds `route` to target group `g`. A route that may be there (`unsure` says why,
    /// asked only when it is kept) is kept once: the same one again, through another
    /// listener or rule, counts in its `like`.
    fn add(&mut self, g: usize, route: Route, unsure: Option<&dyn Fn() -> String>) {
        let list = self.by_group.entry(g).or_default();
        let Some(unsure) = unsure else {
            list.push(route);
            return;
        };
        let key = (
            g,
            route.load_balancer,
            route.protocol,
            route.port,
            route.network,
            route.cross_zone,
            route.rule.is_some(),
            route
                .sources
                .iter()
                .map(|s| s.as_ref().ok().cloned())
                .collect(),
        );
        if let Some(kept) = self.at.get(&key).and_then(|&k| list.get_mut(k)) {
            kept.like += route.like + 1;
            return;
        }
        self.at.insert(key, list.len());
        list.push(Route {
            unsure: Some(unsure()),
            ..route
        });
    }

    /// The routes by target group, each merged route's reason counting the others.
    fn finish(self) -> HashMap<usize, Vec<Route>> {
        let mut out = self.by_group;
        for route in out.values_mut().flatten() {
            if let (Some(text), n @ 1..) = (&mut route.unsure, route.like) {
                let others = match (route.rule.is_some(), n) {
                    (false, 1) => "1 other listener".to_string(),
                    (false, n) => format!("{n} other listeners"),
                    (true, 1) => "1 other listener rule".to_string(),
                    (true, n) => format!("{n} other listener rules"),
                };
                text.push_str(&format!(
                    "; as may {others} like it (the same load balancer, port and target group)"
                ));
            }
        }
        out
    }
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
                like: 0,
            })
            .collect()
    }

    /// The load balancers listener `li` may be of, and why it may not be (its own not
    /// known: any Application or Network Load Balancer that takes its protocol, among
    /// those its references name). `None` when its load balancer is outside the plan.
    /// Listeners that may be of the same ones share them (`memo`).
    fn listener_on<'m>(
        &'m self,
        vpcs: &mut Vpcs<'_, '_, '_>,
        memo: &mut HashMap<(Option<&'m str>, Vec<usize>), Lbs>,
        li: usize,
    ) -> Option<On> {
        let (lbs, maybe) = match self.link(li, "load_balancer_arn", LOAD_BALANCER) {
            LinkA::To(lb, _) => (
                Lbs {
                    idx: Arc::new(vec![lb]),
                    by_vpc: None,
                },
                None,
            ),
            LinkA::Unresolved(why) => {
                let inst = self.inst(li);
                let protocol = inst.str("protocol");
                let among = self.among(li, "load_balancer_arn", LOAD_BALANCER);
                let lbs = match memo.get(&(protocol, among.clone())) {
                    Some(lbs) => lbs.clone(),
                    None => {
                        let all: Vec<usize> = if among.is_empty() {
                            LOAD_BALANCER.iter().flat_map(|t| self.insts(t)).collect()
                        } else {
                            among.clone()
                        };
                        let idx: Vec<usize> = all
                            .into_iter()
                            .filter(|&lb| {
                                let lb_inst = self.inst(lb);
                                let kind = lb_inst.str("load_balancer_type");
                                LOAD_BALANCER.contains(&lb_inst.rtype)
                                    && kind != Some("gateway")
                                    && listener_fits(protocol, kind == Some("network"))
                            })
                            .collect();
                        let mut by_vpc = ByVpc::default();
                        for (pos, lb) in idx.iter().enumerate() {
                            by_vpc.entry(vpcs.of(*lb)).or_default().push(pos);
                        }
                        let lbs = Lbs {
                            idx: Arc::new(idx),
                            by_vpc: Some(Arc::new(by_vpc)),
                        };
                        memo.insert((protocol, among), lbs.clone());
                        lbs
                    }
                };
                (
                    lbs,
                    Some(Maybe::new(inst.address, MaybeKind::ListenerOf, &why)),
                )
            }
            _ => return None,
        };
        Some(On {
            listener: li,
            lbs,
            maybe,
            like: 0,
        })
    }

    /// Listener routes by target group.
    ///
    /// A listener whose load balancer is not known may be any Application or Network Load
    /// Balancer's, and a listener rule whose listener is not known any listener's: each
    /// such route comes with why it may not be there. Listeners whose load balancer is not
    /// known that may be the same (the same candidates, protocol, port and target groups)
    /// are taken once, and routes that may be there merged where they differ only in the
    /// names of their listeners and rules, the reason counting the others: a thousand such
    /// listeners are not a thousand ways to each target.
    fn routes_by_group(&self) -> HashMap<usize, Vec<Route>> {
        let mut routes = Routes::default();
        let mut vpcs = Vpcs::new(self);
        let mut memo = HashMap::default();
        let mut shapes: Vec<Shape> = Vec::new();
        type Same<'k> = (Option<&'k str>, Option<i64>, usize, Vec<(usize, bool)>);
        let mut same_listener: HashMap<Same<'_>, usize> = HashMap::default();
        for t in LB_LISTENER {
            for li in self.insts(t) {
                let Some(on) = self.listener_on(&mut vpcs, &mut memo, li) else {
                    continue;
                };
                let groups: Candidates = block_objects(self.inst(li), "default_action")
                    .iter()
                    .flat_map(|block| self.action_groups(li, block))
                    .collect();
                if on.maybe.is_none() {
                    shapes.push(Shape { on, groups });
                    continue;
                }
                let inst = self.inst(li);
                let key = (
                    inst.str("protocol"),
                    inst.i64("port"),
                    Arc::as_ptr(&on.lbs.idx) as usize,
                    groups.iter().map(|(g, m)| (*g, m.is_some())).collect(),
                );
                match same_listener.get(&key).and_then(|&k| shapes.get_mut(k)) {
                    Some(first) => first.on.like += 1,
                    None => {
                        same_listener.insert(key, shapes.len());
                        shapes.push(Shape { on, groups });
                    }
                }
            }
        }
        drop(same_listener);
        for Shape { on, groups } in &shapes {
            for (g, maybe_g) in groups {
                for lb in on.paired(&mut vpcs, *g, maybe_g.is_some(), false) {
                    let why = || {
                        on.maybe
                            .as_ref()
                            .map(|m| m.text(self.inst(lb).address))
                            .or_else(|| maybe_g.as_ref().map(|m| m.text(self.inst(*g).address)))
                            .unwrap_or_default()
                    };
                    let unsure = on.maybe.is_some() || maybe_g.is_some();
                    for r in self.listener_routes(on.listener, lb) {
                        let r = Route { like: on.like, ..r };
                        routes.add(*g, r, unsure.then_some(&why as &dyn Fn() -> String));
                    }
                }
            }
        }
        // Listener rules, taken once where alike: rules whose listeners may be of the
        // same load balancers (not known), with the same port, target groups and source
        // conditions, differ only in their names.
        struct Rule {
            rule: usize,
            of: Vec<(On, Option<Maybe>)>,
            groups: Candidates,
            sources: Vec<Result<Vec<IpNet>, String>>,
            like: usize,
        }
        type SameRule<'k> = (
            Vec<(usize, Option<&'k str>, Option<i64>, bool)>,
            Vec<(usize, bool)>,
            Vec<Option<Vec<IpNet>>>,
        );
        let mut rules: Vec<Rule> = Vec::new();
        let mut same: HashMap<SameRule<'_>, usize> = HashMap::default();
        for t in ["aws_lb_listener_rule", "aws_alb_listener_rule"] {
            for ri in self.insts(t) {
                // The listeners it may be a rule of: its own, those its references name,
                // or any (taken once where alike).
                let of: Vec<(On, Option<Maybe>)> = match self.link(ri, "listener_arn", LB_LISTENER)
                {
                    LinkA::To(li, _) => self
                        .listener_on(&mut vpcs, &mut memo, li)
                        .map(|on| (on, None))
                        .into_iter()
                        .collect(),
                    LinkA::Unresolved(why) => {
                        let maybe = Maybe::new(self.inst(ri).address, MaybeKind::RuleOf, &why);
                        let among = self.among(ri, "listener_arn", LB_LISTENER);
                        if among.is_empty() {
                            shapes
                                .iter()
                                .map(|s| (s.on.clone(), Some(maybe.clone())))
                                .collect()
                        } else {
                            among
                                .into_iter()
                                .filter(|&li| LB_LISTENER.contains(&self.inst(li).rtype))
                                .filter_map(|li| self.listener_on(&mut vpcs, &mut memo, li))
                                .map(|on| (on, Some(maybe.clone())))
                                .collect()
                        }
                    }
                    _ => continue,
                };
                let groups: Candidates = block_objects(self.inst(ri), "action")
                    .iter()
                    .flat_map(|block| self.action_groups(ri, block))
                    .collect();
                if groups.is_empty() {
                    continue;
                }
                let sources = self.rule_sources(ri);
                let unsure =
                    |(on, maybe_li): &(On, Option<Maybe>)| on.maybe.is_some() || maybe_li.is_some();
                if of.is_empty() || !of.iter().all(unsure) {
                    rules.push(Rule {
                        rule: ri,
                        of,
                        groups,
                        sources,
                        like: 0,
                    });
                    continue;
                }
                let key = (
                    of.iter()
                        .map(|(on, maybe_li)| {
                            let l = self.inst(on.listener);
                            (
                                Arc::as_ptr(&on.lbs.idx) as usize,
                                l.str("protocol"),
                                l.i64("port"),
                                maybe_li.is_some(),
                            )
                        })
                        .collect(),
                    groups.iter().map(|(g, m)| (*g, m.is_some())).collect(),
                    sources.iter().map(|s| s.as_ref().ok().cloned()).collect(),
                );
                match same.get(&key).and_then(|&k| rules.get_mut(k)) {
                    Some(first) => first.like += 1,
                    None => {
                        same.insert(key, rules.len());
                        rules.push(Rule {
                            rule: ri,
                            of,
                            groups,
                            sources,
                            like: 0,
                        });
                    }
                }
            }
        }
        drop(same);
        for Rule {
            rule,
            of,
            groups,
            sources,
            like,
        } in &rules
        {
            for (g, maybe_g) in groups {
                for (on, maybe_li) in of {
                    let unsure = maybe_li.is_some() || on.maybe.is_some() || maybe_g.is_some();
                    for lb in on.paired(&mut vpcs, *g, maybe_g.is_some(), maybe_li.is_some()) {
                        let why = || {
                            maybe_li
                                .as_ref()
                                .map(|m| m.text(self.inst(on.listener).address))
                                .or_else(|| {
                                    on.maybe.as_ref().map(|m| m.text(self.inst(lb).address))
                                })
                                .or_else(|| maybe_g.as_ref().map(|m| m.text(self.inst(*g).address)))
                                .unwrap_or_default()
                        };
                        for r in self.listener_routes(on.listener, lb) {
                            let r = Route {
                                rule: Some(self.inst(*rule).address.to_string()),
                                sources: sources.clone(),
                                like: *like,
                                ..r
                            };
                            routes.add(*g, r, unsure.then_some(&why as &dyn Fn() -> String));
                        }
                    }
                }
            }
        }
        routes.finish()
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
        let mut vpcs = Vpcs::new(self);
        let mut push = |target: &LinkA,
                        group: &LinkA,
                        among: Vec<usize>,
                        group_kind: &'static [&'static str],
                        by: &str,
                        port: Option<u16>| {
            let LinkA::To(target, _) = target else {
                return;
            };
            let what = if group_kind == CLASSIC_LB {
                "load balancer"
            } else {
                "target group"
            };
            let groups = match group {
                LinkA::To(group, _) => vec![(*group, None)],
                // A target group (or Classic Load Balancer) not known at plan time may be
                // any of the plan's in the target's VPC (when that is known), or those the
                // references name.
                LinkA::Unresolved(why) => match vpcs.of(*target) {
                    Some(v) if among.is_empty() => {
                        let maybe = Maybe::new(by, MaybeKind::Names(what), why);
                        vpcs.all_in(group_kind, v)
                            .into_iter()
                            .map(|g| (g, Some(maybe.clone())))
                            .collect()
                    }
                    _ => self.maybe_of(group_kind, what, by, why, &among),
                },
                _ => Vec::new(),
            };
            for (group, maybe) in groups {
                // A registration that may be there only where AWS allows it, and only
                // those are made: a target group's targets are in its VPC.
                if maybe.is_some() {
                    if let (Some(a), Some(b)) = (vpcs.of(group), vpcs.of(*target)) {
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
        let mut vpcs = Vpcs::new(self);
        let mut same_vpc = |objs: &[usize]| {
            let mut seen = None;
            for &o in objs {
                let v = vpcs.of(o);
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
                    // Both the registration and the listener may not be there: each says why.
                    unsure: match (&r.unsure, &route.unsure) {
                        (Some(a), Some(b)) => Some(format!("{a}; {b}")),
                        (a, b) => a.clone().or_else(|| b.clone()),
                    },
                });
            }
        }
        for list in out.values_mut() {
            list.sort();
            list.dedup();
            // A way that may be there is no news beside the same one that is. (`unsure`
            // is compared last: the sure ways are in order without it.)
            let sure: Vec<Forwarder> = list
                .iter()
                .filter(|f| f.unsure.is_none())
                .cloned()
                .collect();
            if !sure.is_empty() {
                list.retain(|f| {
                    f.unsure.is_none() || {
                        let bare = Forwarder {
                            unsure: None,
                            ..f.clone()
                        };
                        sure.binary_search(&bare).is_err()
                    }
                });
            }
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
