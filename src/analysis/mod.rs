//! Reachability: for every pair of endpoints, can a connection that `from` initiates reach
//! `to`, and do its replies come back — hop by hop, per address family.
//!
//! This module reads a [`Model`] and returns sorted, deterministic results. It never reads
//! files, never knows Terraform's JSON and never prints; rayon is used only through
//! order-preserving collects.
//!
//! Layout: `addr` (what an address is known to be), `ports` (flow sets), `lpm` (route
//! tables), `nacl` (network ACLs), `walk` (following a packet), `engine` (questions,
//! behaviour classes, all pairs), `query` (one question, with security groups), `testkit`
//! (a builder of hand-made models for tests and benchmarks).

pub mod addr;
mod bpa;
mod engine;
pub mod lpm;
pub mod meter;
pub mod nacl;
pub mod ports;
mod query;
pub mod testkit;
mod walk;

pub use engine::{Batch, Stream};
pub use walk::NO_PUBLIC_IPV4;

use std::collections::{HashMap, HashSet};

use crate::model::{Action, Family, Model, Network};

/// One end of a reachability question, named as `output-contract.md` says.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Endpoint {
    /// A subnet, by its Terraform address.
    Subnet(String),
    /// The public internet.
    Internet,
    /// `service:NAME` (`s3`, `dynamodb`, or another endpoint service).
    Service(String),
    /// `vpn:ADDRESS`: the on-premises side of a VPN connection.
    Vpn(String),
    /// `query` only: an instance, network interface, interface, resource or service network
    /// endpoint or EICE address.
    Workload(String),
}

impl Endpoint {
    /// The name used in reports and on the command line.
    pub fn name(&self) -> String {
        match self {
            Endpoint::Subnet(a) | Endpoint::Workload(a) => a.clone(),
            Endpoint::Internet => "internet".to_string(),
            Endpoint::Service(s) => format!("service:{s}"),
            Endpoint::Vpn(a) => format!("vpn:{a}"),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Verdict {
    Allowed,
    Blocked,
    Unknown,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Allowed => "allowed",
            Verdict::Blocked => "blocked",
            Verdict::Unknown => "unknown",
        }
    }
}

/// An endpoint or hop name in an answer: shared by every answer that names it (a large
/// network has hundreds of thousands of answers, most of them through the same gateways).
pub type Name = std::sync::Arc<str>;

/// Names as owned strings (a finding's path).
pub fn to_strings(names: &[Name]) -> Vec<String> {
    names.iter().map(|n| n.to_string()).collect()
}

/// The answer to one question.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PathResult {
    pub from: Name,
    pub to: Name,
    pub family: Family,
    pub verdict: Verdict,
    /// Hops by Terraform address, from `from` to `to`; for `blocked`, up to and including
    /// the hop that drops.
    pub path: Vec<Name>,
    /// One sentence.
    pub reason: String,
    /// What passes: `all`, or e.g. `tcp:443,tcp:1024-65535`; empty when nothing does.
    pub ports: String,
    /// For `blocked`: the address of the hop (or rule) that drops.
    pub dropped_by: Option<Name>,
    /// For `blocked`: what kind of check drops, for rules that act on it (TFVPC109, 110).
    pub drop_kind: Option<DropKind>,
}

/// Why a `blocked` path is blocked, machine-readable (the `reason` says it in words).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DropKind {
    /// No route to the destination on the forward path.
    Route,
    /// A route whose target does not exist (blackhole).
    Blackhole,
    /// A NACL denies the request.
    Nacl,
    /// A security group does not admit the request.
    SecurityGroup,
    /// The request arrives but the reply has no route back (asymmetric path).
    ReturnRoute,
    /// A NACL allows the request but denies the reply (e.g. no ephemeral-port rule).
    NaclReturn,
    /// A gateway will not carry it: an EIGW refusing inbound-initiated traffic, a peering
    /// that is not accepted, a gateway that cannot be used transitively.
    Gateway,
    /// IPv4 through an internet gateway without a public IPv4 address, or from the
    /// internet to an internal load balancer.
    NoPublicIp,
    /// A load balancer has no listener for the request's protocol and port.
    NoListener,
    /// A load balancer has no node that forwards to the target: none in the target's
    /// Availability Zone.
    NotForwarded,
    /// A listener rule forwards only the clients its `source_ip` condition names.
    SourceCondition,
    /// A Client VPN endpoint has no authorization rule for the destination, or no route to
    /// it through the users' subnet.
    ClientVpn,
    /// A transit gateway attachment without appliance mode sends the replies through
    /// another stateful firewall than the request (another zone's).
    ApplianceMode,
    /// The replies take another way than the request past a stateful firewall: around it,
    /// or through another firewall.
    Asymmetric,
}

/// Which pairs `analyze` computes (`--reachability`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Scope {
    /// Every subnet pair plus every external endpoint.
    #[default]
    All,
    /// Only subnet ↔ internet, services and VPN.
    External,
    None,
}

/// Every answer for one model, sorted by `(from, to, family)`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Reachability {
    /// Every answer of the scope; when [`streamed`](Self::streamed) is set, only the
    /// external ones (subnet ↔ internet, services, VPN) and the subnet pairs the rules read.
    pub results: Vec<PathResult>,
    /// Set when the subnet pairs were computed batch by batch and not kept (every pair of
    /// a large network): a report that lists them computes them again
    /// ([`Stream`]), in the same order.
    pub streamed: Option<Streamed>,
    /// Set when no path was asked (`--reachability none`), so that the rules asking
    /// questions of their own (intents with a workload end) ask none either. Not the same
    /// as no answer: a plan without subnets has none, and its workloads are still asked
    /// about.
    pub none_asked: bool,
}

/// What is known of the subnet pairs that [`Reachability::results`] does not hold.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Streamed {
    /// How many subnet-to-subnet answers are `allowed`.
    pub allowed_pairs: usize,
    /// The `blocked` answers the rules group by drop kind and dropping hop, counted: of
    /// each group, `results` holds only the first few.
    pub tallies: Tallies,
}

/// `blocked` answers of one drop kind, by the hop that drops them (the group a rule
/// reports as one finding).
pub type DropGroup = (DropKind, Name);

/// What is counted of each [`DropGroup`].
pub type Tallies = std::collections::BTreeMap<DropGroup, Tally>;

/// The answers of one [`DropGroup`]: how many, and their ends.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    /// How many answers.
    pub count: usize,
    /// Their ends that are resources (subnets, not `internet`, a service or a VPN), each
    /// once, in the order the answers come.
    pub ends: Vec<Name>,
}

/// Whether an answer has an end outside the subnets (internet, a service, a VPN).
pub fn is_external(r: &PathResult) -> bool {
    let ext = |e: &str| e == "internet" || e.starts_with("service:") || e.starts_with("vpn:");
    ext(&r.from) || ext(&r.to)
}

/// A pair whose verdict differs between the prior and the planned network, or that is
/// allowed on both sides on different ports.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    pub from: String,
    pub to: String,
    pub family: Family,
    pub before: Verdict,
    pub after: Verdict,
    /// For a pair allowed on both sides: what passes before and after (`ports` strings),
    /// which differ.
    pub ports: Option<(String, String)>,
    /// The changed resources that cause it.
    pub causes: Vec<String>,
}

impl Change {
    /// Whether the verdict changes (not only the ports).
    pub fn verdict_changes(&self) -> bool {
        self.before != self.after
    }
    /// For a pair allowed on both sides: the flows the plan lets through that did not pass
    /// before, and those that no longer pass, as `ports` strings (empty when none).
    pub fn port_shift(&self) -> Option<(String, String)> {
        let (before, after) = self.ports.as_ref()?;
        let b = ports::Flows::parse(before, self.family)?;
        let a = ports::Flows::parse(after, self.family)?;
        Some((
            a.subtract(&b).render(self.family),
            b.subtract(&a).render(self.family),
        ))
    }
}

/// A `query`: one question, optionally narrowed to a protocol and ports.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Query {
    pub from: String,
    pub to: String,
    pub family: Option<Family>,
    pub protocol: QueryProtocol,
    /// The TCP or UDP ports asked about (`--port`, or an intent's ranges); empty: every
    /// port. Not with ICMP. The answer is `allowed` when some of them pass.
    pub ports: Vec<crate::model::PortRange>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum QueryProtocol {
    Tcp,
    Udp,
    Icmp,
    #[default]
    All,
}

/// Errors of a `query` the user can fix (an endpoint name that names nothing).
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum QueryError {
    #[error("no endpoint named `{name}` in the planned network{hint}")]
    UnknownEndpoint { name: String, hint: String },
    #[error("{0}")]
    Invalid(String),
}

/// Computes reachability over one model.
pub fn reachability(model: &Model, scope: Scope) -> Reachability {
    let results = match scope {
        Scope::None => Vec::new(),
        Scope::External => engine::all_pairs(model, false),
        Scope::All => engine::all_pairs(model, true),
    };
    Reachability {
        results,
        streamed: None,
        none_asked: scope == Scope::None,
    }
}

/// How many behaviour classes the model's subnets fall into (each question is evaluated
/// once per class or class pair), for benchmarks and progress reporting.
pub fn behaviour_classes(model: &Model) -> usize {
    engine::classes(&walk::Engine::new(model)).len()
}

/// Many [`query`]s on one engine, on all threads (`query::run_many`).
pub fn query_many(model: &Model, queries: &[Query]) -> Vec<PathResult> {
    query::run_many(model, queries)
}

/// The load balancer an `internet → workload` answer goes through, if any.
pub fn forwarded_through(r: &PathResult) -> Option<&str> {
    query::forwarded_through(r)
}

/// Answers many questions over one model, on all threads: each query's first answer, in
/// the order of the queries (`None` for a query without one).
pub fn query_each(model: &Model, queries: &[Query]) -> Vec<Option<PathResult>> {
    query::run_each(model, queries)
}

/// Answers one question over the planned model.
pub fn query(model: &Model, query: &Query) -> Result<Vec<PathResult>, QueryError> {
    query::run(model, query)
}

/// The pairs whose verdict changes between the prior and the planned network, and those
/// allowed on both sides whose ports change.
///
/// Only pairs present on both sides are compared: a subnet the plan creates or deletes has
/// no "before" or "after" to differ from. `causes` lists the changed resources named on
/// either side's path or as the dropping hop.
pub fn changes(network: &Network, before: &Reachability, after: &Reachability) -> Vec<Change> {
    // A create-only or destroy-only plan has one side empty: nothing to compare.
    if before.results.is_empty() || after.results.is_empty() {
        return Vec::new();
    }
    let mut causes = Causes::new(network);
    let mut out = Vec::new();
    diff(before.results.iter(), after.results.iter(), |a, b| {
        if let Some(b) = b {
            out.push(causes.change(b, a));
        }
    });
    out
}

/// What the internet reaches of each instance and network interface, security groups
/// included ([`query`] for every workload): `internet → workload` answers, sorted.
pub fn exposure(model: &Model) -> Vec<PathResult> {
    query::exposure(model)
}

/// The workloads whose exposure to the internet ([`exposure`]) changes: the verdict, or the
/// ports of one reached before and after. As with [`changes`], only workloads on both
/// sides are compared; the causes add the workload's security groups, their rules and its
/// group attachments.
///
/// A fleet (an Auto Scaling group, ...: workloads named `<address> (<subnet>)`) present on
/// both sides whose subnets change has workloads on one side only. Each of its new ones is
/// compared with the most open answer its workloads had before, and listed where it is
/// more open: an Auto Scaling group moved from private subnets to public ones opens. Each
/// of its workloads gone is compared with the most open answer its workloads have after,
/// and listed, under its own name, where the fleet is less open now: moved the other way,
/// it closes.
pub fn exposure_changes(
    network: &Network,
    before: &[PathResult],
    after: &[PathResult],
) -> Vec<Change> {
    if before.is_empty() || after.is_empty() {
        return Vec::new();
    }
    let mut causes = Causes::new(network);
    let mut out = Vec::new();
    diff(before.iter(), after.iter(), |a, b| {
        if let Some(b) = b {
            out.push(causes.change(b, a));
        }
    });
    fn fleet(name: &str) -> Option<&str> {
        name.split_once(" (").map(|(resource, _)| resource)
    }
    let mut most_open: HashMap<(&str, Family), &PathResult> = HashMap::new();
    for b in before {
        if let Some(f) = fleet(&b.to) {
            let slot = most_open.entry((f, b.family)).or_insert(b);
            if rank(b.verdict) > rank(slot.verdict) {
                *slot = b;
            }
        }
    }
    let had: HashSet<(&str, Family)> = before.iter().map(|b| (&*b.to, b.family)).collect();
    let mut added = false;
    for a in after.iter().filter(|a| !had.contains(&(&*a.to, a.family))) {
        let Some(b) = fleet(&a.to).and_then(|f| most_open.get(&(f, a.family))) else {
            continue;
        };
        if !differ(b, a) || rank(a.verdict) < rank(b.verdict) {
            continue;
        }
        let c = causes.change(b, a);
        let opens = rank(a.verdict) > rank(b.verdict)
            || c.port_shift().is_some_and(|(opened, _)| !opened.is_empty());
        if opens {
            out.push(c);
            added = true;
        }
    }
    // A fleet's workload gone from a subnet, compared with the most open answer of the
    // fleet's workloads after: listed (under its own name) when the fleet is less open now.
    let mut most_open_after: HashMap<(&str, Family), &PathResult> = HashMap::new();
    for a in after {
        if let Some(f) = fleet(&a.to) {
            let slot = most_open_after.entry((f, a.family)).or_insert(a);
            if rank(a.verdict) > rank(slot.verdict) {
                *slot = a;
            }
        }
    }
    let has: HashSet<(&str, Family)> = after.iter().map(|a| (&*a.to, a.family)).collect();
    for b in before.iter().filter(|b| !has.contains(&(&*b.to, b.family))) {
        let Some(a) = fleet(&b.to).and_then(|f| most_open_after.get(&(f, b.family))) else {
            continue;
        };
        if !differ(b, a) || rank(a.verdict) > rank(b.verdict) {
            continue;
        }
        let mut c = causes.change(b, a);
        let closes = rank(a.verdict) < rank(b.verdict)
            || c.port_shift().is_some_and(|(_, closed)| !closed.is_empty());
        if closes {
            c.to = b.to.to_string();
            out.push(c);
            added = true;
        }
    }
    if added {
        out.sort_by(|x, y| (&x.from, &x.to, x.family).cmp(&(&y.from, &y.to, y.family)));
    }
    out
}

/// Verdicts from closed to open.
fn rank(v: Verdict) -> u8 {
    match v {
        Verdict::Blocked => 0,
        Verdict::Unknown => 1,
        Verdict::Allowed => 2,
    }
}

/// An answer's pair, the order answers are sorted in.
fn key(r: &PathResult) -> (&str, &str, Family) {
    (&r.from, &r.to, r.family)
}

/// Whether the plan changes a pair's answer: its verdict, or the ports of a pair allowed
/// on both sides.
fn differ(b: &PathResult, a: &PathResult) -> bool {
    b.verdict != a.verdict
        || (b.verdict == Verdict::Allowed && a.verdict == Verdict::Allowed && b.ports != a.ports)
}

/// Walks two sorted lists of answers together: calls `each` with every answer of `after`,
/// in order, and with the `before` answer of its pair when they differ ([`differ`]). Where a
/// pair is listed twice on a side, its last answer is the one compared (and only once).
fn diff<B, A>(
    before: impl Iterator<Item = B>,
    after: impl Iterator<Item = A>,
    mut each: impl FnMut(A, Option<B>),
) where
    B: std::borrow::Borrow<PathResult>,
    A: std::borrow::Borrow<PathResult>,
{
    let mut before = before.peekable();
    let mut after = after.peekable();
    while let Some(a) = after.next() {
        let ka = key(a.borrow());
        let last = after.peek().map_or(true, |n| key(n.borrow()) != ka);
        let mut differs = None;
        if last {
            while before.next_if(|b| key(b.borrow()) < ka).is_some() {}
            let mut same = None;
            while let Some(b) = before.next_if(|b| key(b.borrow()) == ka) {
                same = Some(b);
            }
            differs = same.filter(|b| differ(b.borrow(), a.borrow()));
        }
        each(a, differs);
    }
}

/// Names the changed resources behind a pair whose verdict changes; its indexes are built
/// when the first such pair comes.
struct Causes<'n> {
    network: &'n Network,
    index: Option<CauseIndex<'n>>,
}

struct CauseIndex<'n> {
    changed: HashSet<&'n str>,
    /// Each model's subnets by address, in model order.
    subnets: [(&'n Model, HashMap<&'n str, Vec<&'n crate::model::Subnet>>); 2],
}

impl<'n> Causes<'n> {
    fn new(network: &'n Network) -> Causes<'n> {
        Causes {
            network,
            index: None,
        }
    }

    fn change(&mut self, b: &PathResult, a: &PathResult) -> Change {
        let network = self.network;
        let ix = self.index.get_or_insert_with(|| {
            fn by_address(model: &Model) -> HashMap<&str, Vec<&crate::model::Subnet>> {
                let mut map: HashMap<&str, Vec<&crate::model::Subnet>> = HashMap::new();
                for s in &model.subnets {
                    map.entry(s.meta.address.as_str()).or_default().push(s);
                }
                map
            }
            CauseIndex {
                changed: network.changed.iter().map(|(a, _)| a.as_str()).collect(),
                subnets: [
                    (&network.before, by_address(&network.before)),
                    (&network.after, by_address(&network.after)),
                ],
            }
        });
        let k = key(a);
        // Which way the answer moved: a rule that can only move it the other way (a new
        // NACL deny, a deleted security group rule, ... for a path that opens) is no cause.
        let opened = match rank(a.verdict).cmp(&rank(b.verdict)) {
            std::cmp::Ordering::Greater => Some(true),
            std::cmp::Ordering::Less => Some(false),
            std::cmp::Ordering::Equal => None,
        };
        let nacl_rule_may = |r: &crate::model::NaclRule| {
            !matches!(
                (opened, r.action, r.allow),
                (Some(true), Action::Create, false)
                    | (Some(true), Action::Delete, true)
                    | (Some(false), Action::Create, true)
                    | (Some(false), Action::Delete, false)
            )
        };
        let sg_rule_may = |r: &crate::model::SgRule| {
            !matches!(
                (opened, r.action),
                (Some(true), Action::Delete) | (Some(false), Action::Create)
            )
        };
        let mut causes: Vec<String> = Vec::new();
        let mut add = |addr: &str| {
            // A hop may be a part of a resource (`aws_route_table.t route[0]`): the
            // resource is what the plan changes.
            let resource = addr.split(' ').next().unwrap_or(addr);
            if ix.changed.contains(resource) && !causes.iter().any(|c| c == resource) {
                causes.push(resource.to_string());
            }
        };
        for r in [b, a] {
            for hop in r.path.iter().chain(r.dropped_by.iter()) {
                add(hop);
            }
        }
        // What decides a subnet's routing and filtering without being a hop: its
        // associations, and the routes of its table. A workload's are its subnet's, and its
        // security groups with their rules and attachments.
        for (model, by_addr) in &ix.subnets {
            for end in [k.0, k.1] {
                let mut subnets: Vec<&crate::model::Subnet> =
                    by_addr.get(end).into_iter().flatten().copied().collect();
                if subnets.is_empty() && end != "internet" {
                    if let Some(w) = model
                        .workloads
                        .binary_search_by(|w| w.meta.address.as_str().cmp(end))
                        .ok()
                        .and_then(|w| model.workloads.get(w))
                    {
                        add(&w.meta.address);
                        for (attachment, _) in &w.attached_security_groups {
                            add(attachment);
                        }
                        for from in &w.settings_from {
                            add(from);
                        }
                        // A load balancer's listeners decide what it takes.
                        for l in w.listeners.iter().flat_map(|l| &l.ports) {
                            add(&l.address);
                        }
                        // What registers it as a load balancer's target.
                        for f in &w.behind {
                            add(&f.registered_by);
                            if let Some(rule) = &f.rule {
                                add(rule);
                            }
                        }
                        for g in model.workload_groups(w) {
                            add(&model.security_group(g).meta.address);
                            let rules = model
                                .group_rules(g, false)
                                .chain(model.group_rules(g, true));
                            for r in rules.filter(|r| sg_rule_may(r)) {
                                add(&r.address);
                            }
                        }
                        subnets.extend(w.subnet.id().map(|s| model.subnet(s)));
                    }
                }
                for s in subnets {
                    add(&s.meta.address);
                    for via in [&s.route_table.via, &s.nacl.via] {
                        if let crate::model::AssocVia::Explicit(assoc) = via {
                            add(assoc);
                        }
                    }
                    if let Some(t) = s.route_table.link.id() {
                        for rid in &model.route_table(t).routes {
                            let route = model.route(*rid);
                            add(&route.address);
                            // A prefix list's entries may be resources of their own.
                            if let crate::model::Destination::PrefixList(l) = &route.destination {
                                if let Some(p) =
                                    l.id().and_then(|p| model.prefix_lists.get(p.index()))
                                {
                                    add(&p.meta.address);
                                    for (entry, _) in &p.entry_resources {
                                        add(entry);
                                    }
                                }
                            }
                        }
                    }
                    // VPC Block Public Access: the options that govern its VPC, and the
                    // exclusions of the subnet or its VPC.
                    if let Some(v) = s.vpc.id().and_then(|v| model.vpcs.get(v.index())) {
                        if let crate::model::BpaScope::Applies(b)
                        | crate::model::BpaScope::Unsure(b, _) = &v.block_public_access
                        {
                            add(&model.block_public_access(*b).meta.address);
                        }
                    }
                    for e in &model.bpa_exclusions {
                        let names_it = e
                            .subnet
                            .id()
                            .is_some_and(|x| model.subnet(x).meta.address == s.meta.address)
                            || e.vpc.id().is_some() && e.vpc.id() == s.vpc.id();
                        if names_it {
                            add(&e.meta.address);
                        }
                    }
                    // Its NACL's rules (`aws_network_acl_rule`s are resources of their own).
                    if let Some(n) = s.nacl.link.id().and_then(|n| model.nacls.get(n.index())) {
                        for r in n
                            .ingress
                            .iter()
                            .chain(&n.egress)
                            .filter(|r| nacl_rule_may(r))
                        {
                            add(&r.address);
                        }
                    }
                }
            }
        }
        causes.sort();
        let ports = (b.verdict == Verdict::Allowed && a.verdict == Verdict::Allowed)
            .then(|| (b.ports.clone(), a.ports.clone()));
        Change {
            from: k.0.to_string(),
            to: k.1.to_string(),
            family: k.2,
            before: b.verdict,
            after: a.verdict,
            ports,
            causes,
        }
    }
}

/// Answers of one model per batch of about this many, when they are streamed.
pub const BATCH_ANSWERS: usize = 1 << 17;

/// What a streamed run keeps of the subnet pairs it does not hold all of, and counts of
/// the rest: the rules' part ([`crate::rules::PairInterest`]).
pub trait Keep {
    /// Sees every answer of its model, in order, external ones too: whether to keep it
    /// (external answers are kept anyway).
    fn keep(&mut self, r: &PathResult) -> bool;
    /// What it counted of the answers it saw.
    fn tallies(&mut self) -> Tallies;
}

/// A plain filter counts nothing.
impl<F: FnMut(&PathResult) -> bool> Keep for F {
    fn keep(&mut self, r: &PathResult) -> bool {
        self(r)
    }
    fn tallies(&mut self) -> Tallies {
        Tallies::new()
    }
}

/// Every pair of both models, computed batch by batch and never all held: the pairs whose
/// verdict the plan changes, and the planned model's answers that are external or that
/// `keep` selects (the ones the rules read), with the count of its allowed subnet pairs
/// and what `keep` counted.
///
/// The same answers, changes and order as [`reachability`] with [`Scope::All`] and
/// [`changes`] give, in memory that grows with a batch (`batch` answers) and with what
/// `keep` keeps, not with the square of the subnets.
pub fn streamed(
    network: &Network,
    keep: &mut dyn Keep,
    batch: usize,
) -> (Reachability, Vec<Change>) {
    let (after, changes, _) = streamed_with_prior(network, keep, None, batch);
    (after, changes)
}

/// [`streamed`], also keeping the prior model's answers that are external or that
/// `keep_prior` selects (what the rules read of the prior state, to tell the plan's
/// findings from those it had already). The third value is that prior reachability,
/// empty without `keep_prior`; when the plan has no prior subnets, it is that model's
/// (empty) answers.
pub fn streamed_with_prior(
    network: &Network,
    keep: &mut dyn Keep,
    mut keep_prior: Option<&mut dyn Keep>,
    batch: usize,
) -> (Reachability, Vec<Change>, Reachability) {
    let (before, after) = rayon::join(
        || Stream::new(&network.before, true),
        || Stream::new(&network.after, true),
    );
    fn answers<'s>(
        s: &'s Stream<'_>,
        batches: Vec<Batch>,
    ) -> impl Iterator<Item = PathResult> + 's {
        batches.into_iter().flat_map(|b| {
            let answers = s.batch(b);
            meter::METER.advance();
            answers
        })
    }
    // Like `changes`: nothing to compare when a side has no subnets. The prior answers are
    // still all read when they are wanted.
    let compare = !network.before.subnets.is_empty() && !network.after.subnets.is_empty();
    let before_batches = if compare || (keep_prior.is_some() && !network.before.subnets.is_empty())
    {
        before.batches(batch)
    } else {
        Vec::new()
    };
    let after_batches = after.batches(batch);
    meter::METER.begin(before_batches.len() + after_batches.len());
    let mut kept_prior = Vec::new();
    let mut prior_allowed = 0usize;
    let mut before_answers = answers(&before, before_batches).inspect(|b| {
        if let Some(k) = keep_prior.as_deref_mut() {
            // Every answer is shown to `keep`, to be counted.
            let wanted = k.keep(b);
            if !is_external(b) && b.verdict == Verdict::Allowed {
                prior_allowed += 1;
            }
            if wanted || is_external(b) {
                kept_prior.push(b.clone());
            }
        }
    });
    let mut causes = Causes::new(network);
    let mut out = Vec::new();
    let mut kept = Vec::new();
    let mut allowed_pairs = 0usize;
    let mut nothing = std::iter::empty();
    let compared: &mut dyn Iterator<Item = PathResult> = if compare {
        &mut before_answers
    } else {
        &mut nothing
    };
    diff(compared, answers(&after, after_batches), |a, b| {
        let external = is_external(&a);
        if !external && a.verdict == Verdict::Allowed {
            allowed_pairs += 1;
        }
        let changed = b.map(|b| causes.change(&b, &a));
        // Every answer is shown to `keep`, to be counted.
        let wanted = keep.keep(&a);
        if external || changed.is_some() || wanted {
            kept.push(a);
        }
        out.extend(changed);
    });
    // The prior answers after the planned model's last pair.
    before_answers.for_each(drop);
    meter::METER.end();
    kept.shrink_to_fit();
    kept_prior.shrink_to_fit();
    let prior = keep_prior.map(|k| Streamed {
        allowed_pairs: prior_allowed,
        tallies: k.tallies(),
    });
    (
        Reachability {
            results: kept,
            streamed: Some(Streamed {
                allowed_pairs,
                tallies: keep.tallies(),
            }),
            none_asked: false,
        },
        out,
        Reachability {
            results: kept_prior,
            streamed: prior,
            none_asked: false,
        },
    )
}
