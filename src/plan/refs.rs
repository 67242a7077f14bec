//! Links that survive "known after apply": the resource instances of one side of the plan,
//! indexed by address, by resource and by ID, and the resolution of an attribute to the
//! instances it points at — by known ID first, else through `configuration` references
//! (resources, `count.index`/`each.key`, splats, module inputs and outputs), else by
//! structure for `local.*` (marked [`LinkHow::Inferred`]).
//!
//! Everything is hash lookups: no reference scans all resources. This module does not know
//! the model types; it returns instance indexes.

use std::borrow::Cow;
use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;

use rayon::prelude::*;

use rustc_hash::FxHashMap as HashMap;
use smallvec::SmallVec;

use super::json::Value;

use super::address::{config_path, parse_traversal, split_modules, Key, ModPath, Step};
use super::dto::{
    expression_refs, Attributes, ConfigModuleDto, ConfigResourceDto, ModuleCallDto,
    ProviderConfigDto, UnknownValue,
};
use crate::model::{Action, LinkHow};

/// One resource instance of one side (prior state or planned values).
pub struct Inst<'a> {
    pub address: &'a str,
    /// The module instance, shared by all the instances in it.
    pub module: Arc<ModPath>,
    /// `type.name` (`data.type.name` for a data source), shared by the instances of one
    /// resource.
    pub rname: Arc<str>,
    pub data: bool,
    pub rtype: &'a str,
    pub key: Option<Key>,
    pub values: &'a Attributes<'a>,
    /// `after_unknown` of the planned side; nothing unknown otherwise.
    pub unknown: &'a UnknownValue<'a>,
    pub action: Action,
    pub config: Option<&'a ConfigResourceDto<'a>>,
}

impl<'a> Inst<'a> {
    pub fn get(&self, attr: &str) -> Option<&'a Value<'a>> {
        self.values.get(attr).filter(|v| !v.is_null())
    }
    /// Whether the attribute (or part of it) is known only after apply.
    pub fn is_unknown(&self, attr: &str) -> bool {
        match self.unknown.get(attr) {
            Some(Value::Bool(b)) => *b,
            Some(Value::Array(a)) => a.iter().any(|v| v.as_bool() == Some(true)),
            _ => false,
        }
    }
    /// A known, non-empty string.
    pub fn str(&self, attr: &str) -> Option<&'a str> {
        self.get(attr)
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
    }
    pub fn bool(&self, attr: &str) -> Option<bool> {
        self.get(attr).and_then(Value::as_bool)
    }
    pub fn i64(&self, attr: &str) -> Option<i64> {
        match self.get(attr)? {
            Value::Number(n) => n.as_i64(),
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        }
    }
    pub fn list(&self, attr: &str) -> &'a [Value<'a>] {
        self.get(attr)
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }
    /// The raw configuration expression of an attribute.
    pub fn expr(&self, attr: &str) -> Option<&'a Value<'a>> {
        self.config.and_then(|c| c.expressions.get(attr))
    }
    /// The references of the resource's `for_each` expression (what `each.value` is).
    pub fn for_each_refs(&self) -> Vec<&'a str> {
        self.config
            .and_then(|c| c.for_each_expression.as_ref())
            .map(|e| e.references.iter().map(String::as_str).collect())
            .unwrap_or_default()
    }
    pub fn tags(&self) -> crate::model::Tags {
        let mut tags = crate::model::Tags::new();
        if let Some(Value::Object(m)) = self.get("tags") {
            for (k, v) in m {
                if let Some(s) = v.as_str() {
                    tags.insert(k.to_string(), s.to_string());
                }
            }
        }
        tags
    }
}

/// The configuration, indexed by module path.
#[derive(Default)]
pub struct ConfigIndex<'a> {
    pub resources: HashMap<(String, String), &'a ConfigResourceDto<'a>>,
    pub modules: HashMap<String, &'a ConfigModuleDto<'a>>,
    pub calls: HashMap<String, &'a ModuleCallDto<'a>>,
    /// The configuration's `provider_config`, when it has one.
    pub providers: Option<&'a std::collections::BTreeMap<String, ProviderConfigDto<'a>>>,
}

impl<'a> ConfigIndex<'a> {
    pub fn new(root: Option<&'a ConfigModuleDto<'a>>) -> Self {
        let mut idx = ConfigIndex::default();
        if let Some(root) = root {
            idx.add(String::new(), root, 0);
        }
        idx
    }
    fn add(&mut self, path: String, module: &'a ConfigModuleDto, depth: u32) {
        if depth > 64 {
            return;
        }
        for r in &module.resources {
            let mut name = format!("{}.{}", r.type_, r.name);
            if r.mode.as_deref() == Some("data") {
                name = format!("data.{name}");
            }
            self.resources.insert((path.clone(), name), r);
        }
        for (call_name, call) in &module.module_calls {
            let child = if path.is_empty() {
                call_name.clone()
            } else {
                format!("{path}.{call_name}")
            };
            self.calls.insert(child.clone(), call);
            if let Some(m) = &call.module {
                self.add(child, m, depth + 1);
            }
        }
        self.modules.insert(path, module);
    }
}

/// One side's instances and their indexes.
pub struct Side<'a> {
    pub insts: Vec<Inst<'a>>,
    pub by_address: HashMap<&'a str, usize>,
    /// Module instance → `type.name` → instances, sorted by `count`/`for_each` key (`x[k]`
    /// for each of thousands of instances is a binary search, not a scan). Two levels so
    /// that a lookup borrows its key instead of building a `(ModPath, String)` for every
    /// reference resolved.
    by_resource: HashMap<ModPath, HashMap<String, Vec<usize>>>,
    /// Module instance → type → managed instances.
    by_type: HashMap<ModPath, HashMap<String, Vec<usize>>>,
    /// Borrowing the IDs from the attributes, with room for one instance inline: a plan
    /// over existing infrastructure has an ID for nearly every instance.
    by_id: HashMap<&'a str, SmallVec<[usize; 1]>>,
    children: HashMap<(ModPath, String), Vec<ModPath>>,
    /// Positions in `children` by the child's key.
    children_by_key: HashMap<(ModPath, String), HashMap<Key, Vec<usize>>>,
}

/// A reference text's steps, or `None` when it does not parse.
type Parsed = Option<Rc<[Step]>>;

thread_local! {
    /// Parsed reference texts ([`traversal`]): the configuration has few distinct ones, and
    /// every instance of a resource resolves the same texts again. One memo per thread, not
    /// one behind a lock: the builder resolves links on all threads, and a shared lock's
    /// counter went back and forth between the cores on every lookup. The parse depends on
    /// the text alone, so the memo holds for any plan.
    static TRAVERSALS: RefCell<HashMap<Box<str>, Parsed>> =
        RefCell::default();
}

/// [`parse_traversal`], remembered ([`TRAVERSALS`]).
fn traversal(text: &str) -> Parsed {
    TRAVERSALS.with(|memo| {
        if let Some(hit) = memo.borrow().get(text) {
            return hit.clone();
        }
        let parsed: Parsed = parse_traversal(text).map(Rc::from);
        memo.borrow_mut().insert(text.into(), parsed.clone());
        parsed
    })
}

/// Module instance → name → instances, for the instances `keep` accepts, named by `name`.
/// `insts` is sorted by address, so the instances sharing a module instance come in runs
/// (the module's map is looked up once per run, not once per resource), and within them
/// the instances sharing a name (each list is built locally and stored with one lookup).
/// The endpoint ids of an AWS Network Firewall, by which routes name it once it exists
/// (`firewall_status[0].sync_states[*].attachment[0].endpoint_id`).
fn firewall_endpoint_ids<'v>(inst: &Inst<'v>) -> impl Iterator<Item = &'v str> {
    inst.get("firewall_status")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|status| status.get("sync_states")?.as_array())
        .flatten()
        .filter_map(|state| state.get("attachment")?.as_array())
        .flatten()
        .filter_map(|a| a.get("endpoint_id")?.as_str())
        .filter(|id| !id.is_empty())
}

fn index_runs<'a>(
    insts: &[Inst<'a>],
    keep: fn(&Inst<'a>) -> bool,
    name: for<'x> fn(&'x Inst<'a>) -> &'x str,
) -> HashMap<ModPath, HashMap<String, Vec<usize>>> {
    type Names = HashMap<String, Vec<usize>>;
    let mut out: HashMap<ModPath, Names> = HashMap::default();
    // The module instance being read and its names so far.
    let mut module: Option<(&Arc<ModPath>, Names)> = None;
    let mut flush_module = |m: Option<(&Arc<ModPath>, Names)>| {
        if let Some((path, names)) = m {
            // A module instance seen for the first time (all but interleaved ones) keeps
            // the map built for it.
            match out.entry((**path).clone()) {
                std::collections::hash_map::Entry::Vacant(v) => {
                    v.insert(names);
                }
                std::collections::hash_map::Entry::Occupied(mut o) => {
                    let all = o.get_mut();
                    for (n, list) in names {
                        all.entry(n).or_default().extend(list);
                    }
                }
            }
        }
    };
    // The current run of one name: its first instance and the instances.
    let mut run: Option<(usize, Vec<usize>)> = None;
    let flush_run = |run: Option<(usize, Vec<usize>)>, names: &mut Names| {
        if let Some((f, list)) = run.and_then(|(first, l)| Some((insts.get(first)?, l))) {
            // Most names come in one run: the run's list is stored as it is.
            match names.entry(name(f).to_string()) {
                std::collections::hash_map::Entry::Vacant(v) => {
                    v.insert(list);
                }
                std::collections::hash_map::Entry::Occupied(mut o) => o.get_mut().extend(list),
            }
        }
    };
    for (i, inst) in insts.iter().enumerate().filter(|(_, x)| keep(x)) {
        let same_module = module
            .as_ref()
            .is_some_and(|(m, _)| Arc::ptr_eq(m, &inst.module));
        if !same_module {
            let mut prev = module.replace((&inst.module, Names::default()));
            if let Some((_, names)) = prev.as_mut() {
                flush_run(run.take(), names);
            }
            flush_module(prev);
        }
        let same_name = run.as_ref().is_some_and(|(first, _)| {
            insts
                .get(*first)
                .is_some_and(|f| Arc::ptr_eq(&f.module, &inst.module) && name(f) == name(inst))
        });
        match (&mut run, same_name) {
            (Some((_, list)), true) => list.push(i),
            _ => {
                let prev = run.replace((i, vec![i]));
                if let Some((_, names)) = module.as_mut() {
                    flush_run(prev, names);
                }
            }
        }
    }
    if let Some((_, names)) = module.as_mut() {
        flush_run(run.take(), names);
    }
    flush_module(module);
    out
}

/// Instances an attribute resolved to, in expression order, with how.
#[derive(Default, Debug)]
pub struct Resolution {
    /// Inline up to two: most links resolve to one instance.
    pub hits: smallvec::SmallVec<[(usize, LinkHow); 2]>,
    /// Known IDs that matched no instance.
    pub external: Vec<String>,
    pub reasons: Vec<String>,
    /// What the link may be when it is not resolved but the references name every object
    /// it may be (two outputs of a module instance referenced without the output's name):
    /// those instances. They count only while every reason came with them
    /// ([`Resolution::among`]).
    pub maybe: Vec<usize>,
    /// How many of `reasons` came with `maybe`.
    pub maybe_reasons: usize,
}

impl Resolution {
    /// The instances an unresolved link may be, when the references name them all: the
    /// hits when there are several and nothing else, or `maybe` when there are none and
    /// every reason came with it. Empty when it may be anything (or is resolved).
    pub fn among(&self) -> Vec<usize> {
        if !self.external.is_empty() || self.reasons.len() != self.maybe_reasons {
            return Vec::new();
        }
        match self.hits.len() {
            0 => self.maybe.clone(),
            1 => Vec::new(),
            _ => {
                let mut all: Vec<usize> = self.hits.iter().map(|h| h.0).collect();
                all.extend(&self.maybe);
                all.sort_unstable();
                all.dedup();
                all
            }
        }
    }

    fn push(&mut self, idx: usize, how: LinkHow) {
        if let Some(h) = self.hits.iter_mut().find(|(i, _)| *i == idx) {
            h.1 = weaker(h.1, how);
        } else {
            self.hits.push((idx, how));
        }
    }
    fn merge(&mut self, other: Resolution, how: LinkHow) {
        // Most resolutions merge into an empty one: the lists move, nothing is copied
        // (`other`'s hits hold each instance once already).
        if self.hits.is_empty() {
            self.hits = other.hits;
            for h in &mut self.hits {
                h.1 = weaker(h.1, how);
            }
        } else {
            for (i, h) in other.hits {
                self.push(i, weaker(h, how));
            }
        }
        append(&mut self.reasons, other.reasons);
        append(&mut self.external, other.external);
        self.maybe.extend(other.maybe);
        self.maybe_reasons += other.maybe_reasons;
    }
}

/// `to` followed by `more`, reusing `more`'s allocation when `to` is empty.
fn append(to: &mut Vec<String>, more: Vec<String>) {
    if to.is_empty() {
        *to = more;
    } else {
        to.extend(more);
    }
}

fn weaker(a: LinkHow, b: LinkHow) -> LinkHow {
    if a == LinkHow::Inferred || b == LinkHow::Inferred {
        LinkHow::Inferred
    } else if a == LinkHow::Id || b == LinkHow::Id {
        LinkHow::Id
    } else {
        LinkHow::Reference
    }
}

const MAX_DEPTH: u8 = 24;

impl<'a> Side<'a> {
    /// Frees the side on all threads: a large plan's instances and indexes are 100,000s
    /// of small allocations, a stretch of tens of milliseconds on one core.
    pub fn free(self) {
        let Side {
            insts,
            by_address,
            by_resource,
            by_type,
            by_id,
            children,
            children_by_key,
        } = self;
        rayon::join(
            || insts.into_par_iter().with_min_len(1024).for_each(drop),
            || {
                rayon::join(
                    || drop((by_address, by_id)),
                    || drop((by_resource, by_type, children, children_by_key)),
                )
            },
        );
    }

    pub fn new(mut insts: Vec<Inst<'a>>) -> Self {
        insts.sort_by(|a, b| a.address.cmp(b.address));
        insts.dedup_by(|a, b| a.address == b.address);
        let mut side = Side {
            by_address: HashMap::with_capacity_and_hasher(insts.len(), Default::default()),
            by_resource: HashMap::default(),
            by_type: HashMap::default(),
            by_id: HashMap::default(),
            children: HashMap::default(),
            children_by_key: HashMap::default(),
            insts: Vec::new(),
        };
        // The indexes are independent: built on all threads.
        let addresses = || {
            let mut by_address: HashMap<&'a str, usize> =
                HashMap::with_capacity_and_hasher(insts.len(), Default::default());
            let mut by_id: HashMap<&'a str, SmallVec<[usize; 1]>> = HashMap::default();
            // Sets while collecting: thousands of instances of one module call would make
            // a `Vec::contains` per instance quadratic.
            let mut children: HashMap<(ModPath, String), std::collections::BTreeSet<ModPath>> =
                HashMap::default();
            let mut last_module: Option<&Arc<ModPath>> = None;
            for (i, inst) in insts.iter().enumerate() {
                by_address.insert(inst.address, i);
                // A data source the model holds is the object it read, for what names that
                // object by ID; other data sources stay outside ([`Model::read_ids`]).
                if inst.data && !super::build::DATA_MODELLED.contains(&inst.rtype) {
                    continue;
                }
                if let Some(id) = inst.str("id") {
                    by_id.entry(id).or_default().push(i);
                }
                // An instance's primary network interface is the instance, for what names
                // it by ID (`aws_network_interface_sg_attachment.network_interface_id`).
                if inst.rtype == "aws_instance" {
                    if let Some(eni) = inst.str("primary_network_interface_id") {
                        by_id.entry(eni).or_default().push(i);
                    }
                }
                // A gateway endpoint is its service's prefix list, for a rule that names it
                // by ID (`prefix_list_ids = ["pl-63a5400a"]`).
                if inst.rtype == "aws_vpc_endpoint" {
                    if let Some(id) = inst.str("prefix_list_id") {
                        by_id.entry(id).or_default().push(i);
                    }
                }
                // A VPC is its main route table, default NACL and default security group,
                // for what names them by ID (`aws_route.route_table_id`, ...).
                if inst.rtype == "aws_vpc" || inst.rtype == "aws_default_vpc" {
                    for attr in [
                        "main_route_table_id",
                        "default_route_table_id",
                        "default_network_acl_id",
                        "default_security_group_id",
                    ] {
                        if let Some(id) = inst.str(attr) {
                            let ids = by_id.entry(id).or_default();
                            if !ids.contains(&i) {
                                ids.push(i);
                            }
                        }
                    }
                }
                // What AWS names by name: a launch template or configuration, a DB subnet
                // group, an RDS cluster, an EKS cluster (`launch_template { name = ... }`,
                // `db_subnet_group_name`, `cluster_identifier`, `cluster_name`), a Classic
                // Load Balancer and an Auto Scaling group, whose IDs are their names
                // (`aws_elb_attachment.elb`, `aws_autoscaling_attachment`). The name is known
                // at plan time when the ID is not.
                let name_attr = match inst.rtype {
                    "aws_launch_template"
                    | "aws_launch_configuration"
                    | "aws_elb"
                    | "aws_autoscaling_group"
                    | "aws_db_subnet_group"
                    | "aws_docdb_subnet_group"
                    | "aws_neptune_subnet_group"
                    | "aws_redshift_subnet_group"
                    | "aws_elasticache_subnet_group"
                    | "aws_memorydb_subnet_group"
                    | "aws_dax_subnet_group"
                    | "aws_eks_cluster" => Some("name"),
                    "aws_rds_cluster" | "aws_docdb_cluster" | "aws_neptune_cluster" => {
                        Some("cluster_identifier")
                    }
                    _ => None,
                };
                if let Some(name) = name_attr.and_then(|a| inst.str(a)) {
                    let ids = by_id.entry(name).or_default();
                    if !ids.contains(&i) {
                        ids.push(i);
                    }
                }
                // An EKS cluster is the cluster security group EKS creates for it, for what
                // names that group by ID.
                if inst.rtype == "aws_eks_cluster" {
                    let group = inst
                        .list("vpc_config")
                        .first()
                        .and_then(|c| c.get("cluster_security_group_id"))
                        .and_then(|v| v.as_str())
                        .filter(|id| !id.is_empty());
                    if let Some(id) = group {
                        by_id.entry(id).or_default().push(i);
                    }
                }
                if inst.rtype == "aws_networkfirewall_firewall" {
                    for id in firewall_endpoint_ids(inst) {
                        by_id.entry(id).or_default().push(i);
                    }
                }
                if last_module.is_some_and(|m| Arc::ptr_eq(m, &inst.module)) {
                    continue;
                }
                last_module = Some(&inst.module);
                for depth in 1..=inst.module.len() {
                    let parent: ModPath = inst.module.iter().take(depth - 1).cloned().collect();
                    let child: ModPath = inst.module.iter().take(depth).cloned().collect();
                    if let Some((name, _)) = child.last() {
                        children
                            .entry((parent, name.clone()))
                            .or_default()
                            .insert(child);
                    }
                }
            }
            (by_address, by_id, children)
        };
        // Instances are sorted by address, so the instances of one resource (and mostly of
        // one type) in one module instance are adjacent.
        let ((by_resource, by_type), (by_address, by_id, children)) = rayon::join(
            || {
                rayon::join(
                    || index_runs(&insts, |_| true, |x| &x.rname),
                    || index_runs(&insts, |x| !x.data, |x| x.rtype),
                )
            },
            addresses,
        );
        side.by_resource = by_resource;
        side.by_type = by_type;
        side.by_address = by_address;
        side.by_id = by_id;
        // Each resource's instances sorted by key (stable: by address among equal keys),
        // one module instance per task: `x[k]` is a binary search, no index of its own.
        side.by_resource.par_iter_mut().for_each(|(_, names)| {
            for list in names.values_mut() {
                list.sort_by(|a, b| key_cmp(&insts, *a, *b));
            }
        });
        side.children = children
            .into_iter()
            .map(|(k, set)| (k, set.into_iter().collect::<Vec<ModPath>>()))
            .collect();
        for (k, list) in &side.children {
            let mut keyed: HashMap<Key, Vec<usize>> = HashMap::default();
            for (pos, child) in list.iter().enumerate() {
                if let Some(key) = child.last().and_then(|(_, key)| key.as_ref()) {
                    keyed.entry(key.clone()).or_default().push(pos);
                }
            }
            side.children_by_key.insert(k.clone(), keyed);
        }
        side.insts = insts;
        side
    }

    /// The instances with this known ID, of any type.
    pub fn by_id_all(&self, id: &str) -> &[usize] {
        self.by_id.get(id).map_or(&[], |v| v.as_slice())
    }

    /// Instances with this known ID, of one of the wanted types.
    pub fn by_id(&self, id: &str, want: &[&str]) -> Option<usize> {
        self.by_id
            .get(id)?
            .iter()
            .copied()
            .find(|i| self.insts.get(*i).is_some_and(|x| want.contains(&x.rtype)))
    }

    /// The object a known value `v` of attribute `attr` of instance `idx` names by its
    /// name, when that is no ID: the one a `….name` reference of the attribute's expression
    /// resolves to whose `name` is `v` (`security_groups = [aws_security_group.ssh.name]`,
    /// which takes names in a default VPC).
    pub fn by_name_reference(
        &self,
        cfg: &ConfigIndex<'a>,
        idx: usize,
        attr: &str,
        v: &str,
        want: &[&str],
    ) -> Option<usize> {
        let inst = self.insts.get(idx)?;
        let refs = expression_refs(inst.expr(attr)?);
        self.by_name_in(cfg, idx, &refs, v, want)
    }

    /// [`Self::by_name_reference`], for the references `refs` of an expression of instance
    /// `idx` (a nested block's attribute).
    pub fn by_name_in(
        &self,
        cfg: &ConfigIndex<'a>,
        idx: usize,
        refs: &[&str],
        v: &str,
        want: &[&str],
    ) -> Option<usize> {
        if !refs.iter().any(|r| r.ends_with(".name")) {
            return None;
        }
        let inst = self.insts.get(idx)?;
        let fe = inst.for_each_refs();
        let res = self.resolve_refs(cfg, &inst.module, inst.key.as_ref(), refs, &fe, want, 0);
        res.hits
            .iter()
            .map(|(i, _)| *i)
            .find(|&i| self.insts.get(i).and_then(|x| x.str("name")) == Some(v))
    }

    /// Resolves attribute `attr` of instance `idx`: a known string value by ID, else the
    /// configuration references. Nested-block attributes pass their own expression.
    pub fn resolve_attr(
        &self,
        cfg: &ConfigIndex<'a>,
        idx: usize,
        attr: &str,
        want: &[&str],
        depth: u8,
    ) -> Resolution {
        let mut res = Resolution::default();
        let Some(inst) = self.insts.get(idx) else {
            return res;
        };
        if let Some(v) = inst.str(attr) {
            match self.by_id(v, want) {
                Some(i) => res.push(i, LinkHow::Id),
                None => match self.by_name_reference(cfg, idx, attr, v, want) {
                    Some(i) => res.push(i, LinkHow::Reference),
                    None => res.external.push(v.to_string()),
                },
            }
            return res;
        }
        match inst.expr(attr) {
            Some(expr) => {
                let refs = expression_refs(expr);
                let fe = inst.for_each_refs();
                self.resolve_refs(
                    cfg,
                    &inst.module,
                    inst.key.as_ref(),
                    &refs,
                    &fe,
                    want,
                    depth,
                )
            }
            None => res,
        }
    }

    /// Resolves an expression's references evaluated in module instance `m`, where
    /// `count.index`/`each.key` is `self_key` and `each.value` iterates `for_each`.
    #[allow(clippy::too_many_arguments)]
    pub fn resolve_refs(
        &self,
        cfg: &ConfigIndex<'a>,
        m: &ModPath,
        self_key: Option<&Key>,
        refs: &[&str],
        for_each: &[&str],
        want: &[&str],
        depth: u8,
    ) -> Resolution {
        let mut res = Resolution::default();
        if depth > MAX_DEPTH {
            res.reasons
                .push("reference chain too deep to follow".to_string());
            return res;
        }
        let uses_self = refs
            .iter()
            .any(|r| *r == "count.index" || r.starts_with("each."));
        let select_key = if uses_self { self_key } else { None };
        // Keep only the longest form of each reference (`aws_vpc.a.id` over `aws_vpc.a`).
        let longest;
        let maximal: &[&str] = if refs.len() < 2 {
            refs
        } else {
            longest = longest_forms(refs);
            &longest
        };
        if let (Some(call_name), Some(k)) = (self_indexed_module(maximal), self_key) {
            return self.self_indexed_output(cfg, m, call_name, k, want, depth);
        }
        let only_each = !maximal.is_empty()
            && maximal
                .iter()
                .all(|r| r.starts_with("each.") || r.starts_with("count."));
        if only_each {
            if let Some(k) = self_key {
                for r in maximal.iter() {
                    if let Some(rest) = r.strip_prefix("each.value") {
                        let sub = self.each_value(cfg, m, k, rest, for_each, want, depth);
                        res.merge(sub, LinkHow::Reference);
                    }
                }
            }
            return res;
        }
        for &r in maximal.iter() {
            let Some(steps) = traversal(r) else {
                res.reasons.push(format!("cannot parse reference `{r}`"));
                continue;
            };
            let sub = self.resolve_one(cfg, m, self_key, select_key, r, &steps, want, depth);
            res.merge(sub, LinkHow::Reference);
        }
        res
    }

    #[allow(clippy::too_many_arguments)]
    fn resolve_one(
        &self,
        cfg: &ConfigIndex<'a>,
        m: &ModPath,
        self_key: Option<&Key>,
        select_key: Option<&Key>,
        text: &str,
        steps: &[Step],
        want: &[&str],
        depth: u8,
    ) -> Resolution {
        let mut res = Resolution::default();
        let first = match steps.first() {
            Some(Step::Attr(a)) => a.as_str(),
            _ => return res,
        };
        match first {
            "count" | "each" | "path" | "terraform" | "self" => res,
            "data" => {
                res.reasons
                    .push(format!("`{text}` is a data source, outside the model"));
                res
            }
            "local" => {
                let name = match steps.get(1) {
                    Some(Step::Attr(n)) => n.as_str(),
                    _ => "",
                };
                self.structural(m, self_key, want, &format!("local.{name}"))
            }
            "var" => {
                let Some(Step::Attr(name)) = steps.get(1) else {
                    return res;
                };
                let Some(((_, call_key), parent)) = m.split_last() else {
                    res.reasons.push(format!(
                        "`var.{name}` is a root variable, set outside the configuration"
                    ));
                    return res;
                };
                let call = cfg.calls.get(&config_path(m));
                let Some(expr) = call.and_then(|c| c.expressions.get(name.as_str())) else {
                    res.reasons.push(format!(
                        "`var.{name}` is not set by the module call (default value)"
                    ));
                    return res;
                };
                let refs = expression_refs(expr);
                let fe: Vec<&str> = call
                    .and_then(|c| c.for_each_expression.as_ref())
                    .map(|e| e.references.iter().map(String::as_str).collect())
                    .unwrap_or_default();
                let parent: ModPath = parent.to_vec();
                let inner =
                    self.resolve_refs(cfg, &parent, call_key.as_ref(), &refs, &fe, want, depth + 1);
                self.select(inner, steps.get(2..).unwrap_or(&[]), select_key)
            }
            "module" => {
                let (path, rest) = split_modules(steps);
                let Some((call_name, key)) = path.first() else {
                    return res;
                };
                let Some(Step::Attr(output)) = rest.first() else {
                    res.reasons
                        .push(format!("`{text}` names a whole module, not one output"));
                    return res;
                };
                let (children, selected) = self.module_instances(m, call_name, key.as_ref());
                let mut inner = Resolution::default();
                for child in selected {
                    let module_cfg = cfg.modules.get(&config_path(child));
                    let expr = module_cfg
                        .and_then(|mc| mc.outputs.get(output.as_str()))
                        .and_then(|o| o.expression.as_ref());
                    match expr {
                        Some(e) => {
                            let refs: Vec<&str> = e.references.iter().map(String::as_str).collect();
                            let sub =
                                self.resolve_refs(cfg, child, None, &refs, &[], want, depth + 1);
                            inner.merge(sub, LinkHow::Reference);
                        }
                        None => inner
                            .reasons
                            .push(format!("module output `{text}` has no expression")),
                    }
                }
                if children.is_empty() {
                    inner.reasons.push(format!(
                        "`{text}`: the module has no resources on this side"
                    ));
                }
                self.select(inner, rest.get(1..).unwrap_or(&[]), select_key)
            }
            _ => self.resolve_resource(cfg, m, select_key, text, steps, want, depth),
        }
    }

    /// `module.x[each.key].out` (or `module.x[count.index].out`): terraform's plan lists
    /// its references as `module.x` and `each.key` only, without the output, because the
    /// index is not a constant. The module instance indexed is the one with the referrer's
    /// own key. Of its outputs, the one that names an object of a wanted type is taken
    /// (`Inferred`) when it is the only one, and every other output is known to name
    /// something else: an `id` (or the whole object) of another type, or an attribute that
    /// holds no ID (`cidr_block`, `arn`). An output whose chain ends outside the plan's
    /// resources (a root variable, a local, a constant), an attribute that may hold an ID
    /// ([`LeafKind::MaybeId`]) but names no wanted object of the plan, or two outputs naming
    /// different objects leave the link unresolved, with the reason.
    fn self_indexed_output(
        &self,
        cfg: &ConfigIndex<'a>,
        m: &ModPath,
        call_name: &str,
        key: &Key,
        want: &[&str],
        depth: u8,
    ) -> Resolution {
        let mut res = Resolution::default();
        let whole = format!("`module.{call_name}{key}`");
        let unsure = |why: String| {
            format!("{whole} is referenced without its output's name (terraform leaves it out of the plan for an index that is not a constant), and {why}")
        };
        let (_, selected) = self.module_instances(m, call_name, Some(key));
        let [child] = selected.as_slice() else {
            res.reasons.push(unsure(format!(
                "the module has {} instances with that key on this side",
                selected.len()
            )));
            return res;
        };
        let Some(outputs) = cfg.modules.get(&config_path(child)).map(|mc| &mc.outputs) else {
            res.reasons.push(unsure(
                "the module's configuration is not in the plan".to_string(),
            ));
            return res;
        };
        let wanted = want.first().copied().unwrap_or("matching resource");
        let mut chosen: Option<(&str, Resolution)> = None;
        // Two outputs naming different objects: why, and every object they name. The
        // link may be any of those only if no later output may name something else.
        let mut differ: Option<(String, Vec<usize>, bool)> = None;
        let mut first_closed = true;
        for (name, output) in outputs {
            let refs: Vec<&str> = output
                .expression
                .as_ref()
                .map(|e| e.references.iter().map(String::as_str).collect())
                .unwrap_or_default();
            let leaves = if refs.is_empty() {
                None
            } else {
                self.leaf_refs(cfg, child, &refs, depth + 1)
            };
            let Some(leaves) = leaves else {
                res.reasons.push(differ.map_or_else(
                    || unsure(format!(
                        "its output `{name}` may be the one: it does not end at a resource of the plan"
                    )),
                    |d| d.0,
                ));
                return res;
            };
            let mut names_wanted = false;
            for leaf in &leaves {
                match leaf_kind(leaf, want) {
                    LeafKind::Wanted | LeafKind::MaybeId => names_wanted = true,
                    LeafKind::Other => {}
                }
            }
            if !names_wanted {
                continue;
            }
            let sub = self.resolve_refs(cfg, child, None, &refs, &[], want, depth + 1);
            if sub.hits.is_empty() {
                res.reasons.push(differ.map_or_else(
                    || {
                        unsure(format!(
                            "its output `{name}` may be the one, but names no {wanted} of the plan"
                        ))
                    },
                    |d| d.0,
                ));
                return res;
            }
            // An output that names something besides its hits (an ID outside the plan, a
            // reference not followed) may name anything.
            let closed = sub.external.is_empty() && sub.reasons.is_empty();
            match (&chosen, &mut differ) {
                (None, _) => {
                    first_closed = closed;
                    chosen = Some((name, sub));
                }
                (Some((_, first)), None) if same_hits(first, &sub) => {
                    first_closed &= closed;
                }
                (Some((first, first_sub)), None) => {
                    let mut all: Vec<usize> = first_sub.hits.iter().map(|h| h.0).collect();
                    all.extend(sub.hits.iter().map(|h| h.0));
                    differ = Some((
                        unsure(format!(
                            "its outputs `{first}` and `{name}` name different objects"
                        )),
                        all,
                        first_closed && closed,
                    ));
                }
                (Some(_), Some((_, all, all_closed))) => {
                    all.extend(sub.hits.iter().map(|h| h.0));
                    *all_closed &= closed;
                }
            }
        }
        if let Some((why, mut all, closed)) = differ {
            res.reasons.push(why);
            if closed {
                all.sort_unstable();
                all.dedup();
                res.maybe = all;
                res.maybe_reasons = 1;
            }
            return res;
        }
        match chosen {
            Some((_, sub)) => res.merge(sub, LinkHow::Inferred),
            None => res.reasons.push(unsure(format!(
                "none of the module's outputs names a {wanted}"
            ))),
        }
        res
    }

    /// The instances of module call `call_name` in module instance `m`, and those a
    /// reference selects: `module.x[k]` the one with key k, `module.x` all of them.
    fn module_instances(
        &self,
        m: &ModPath,
        call_name: &str,
        key: Option<&Key>,
    ) -> (&[ModPath], Vec<&ModPath>) {
        let call = (m.clone(), call_name.to_string());
        let children = self.children.get(&call).map(Vec::as_slice).unwrap_or(&[]);
        let selected = match key {
            Some(k) => self
                .children_by_key
                .get(&call)
                .and_then(|keyed| keyed.get(k))
                .map(|ps| ps.iter().filter_map(|p| children.get(*p)).collect())
                .unwrap_or_default(),
            None => children.iter().collect(),
        };
        (children, selected)
    }

    /// What an expression's references name once module outputs (`module.x.out`) and
    /// module inputs (`var.x`) are followed to the expressions that set them: the resource
    /// references at the end of each chain, by their text (`aws_vpc.this[0].cidr_block`),
    /// `count.*`/`each.*` left out. `None` when a chain ends anywhere else (a root
    /// variable, an input the call does not set, a local value, an output with no
    /// expression, a module with no instance on this side), or is too deep.
    pub fn leaf_refs(
        &self,
        cfg: &ConfigIndex<'a>,
        m: &ModPath,
        refs: &[&str],
        depth: u8,
    ) -> Option<Vec<String>> {
        if depth > MAX_DEPTH {
            return None;
        }
        let mut out = Vec::new();
        for r in longest_forms(refs) {
            if r.starts_with("count.") || r.starts_with("each.") {
                continue;
            }
            let steps = traversal(r)?;
            match steps.first() {
                Some(Step::Attr(a)) if a == "module" => {
                    let (path, rest) = split_modules(&steps);
                    // `module.x.out`, or a part of it (`module.x.out[0]`): the part's leaves
                    // are among the output's.
                    let ([(call_name, key)], [Step::Attr(output), ..]) = (path.as_slice(), rest)
                    else {
                        return None;
                    };
                    let (_, selected) = self.module_instances(m, call_name, key.as_ref());
                    if selected.is_empty() {
                        return None;
                    }
                    for child in selected {
                        let e = cfg
                            .modules
                            .get(&config_path(child))
                            .and_then(|mc| mc.outputs.get(output.as_str()))
                            .and_then(|o| o.expression.as_ref())?;
                        let inner: Vec<&str> = e.references.iter().map(String::as_str).collect();
                        out.extend(self.leaf_refs(cfg, child, &inner, depth + 1)?);
                    }
                }
                Some(Step::Attr(a)) if a == "var" => {
                    let Some(Step::Attr(name)) = steps.get(1) else {
                        return None;
                    };
                    let (_, parent) = m.split_last()?;
                    let expr = cfg
                        .calls
                        .get(&config_path(m))
                        .and_then(|c| c.expressions.get(name.as_str()))?;
                    let inner = expression_refs(expr);
                    out.extend(self.leaf_refs(cfg, &parent.to_vec(), &inner, depth + 1)?);
                }
                Some(Step::Attr(a)) if a == "local" || a == "path" || a == "terraform" => {
                    return None
                }
                _ => out.push(r.to_string()),
            }
        }
        Some(out)
    }

    #[allow(clippy::too_many_arguments)]
    fn resolve_resource(
        &self,
        cfg: &ConfigIndex<'a>,
        m: &ModPath,
        select_key: Option<&Key>,
        text: &str,
        steps: &[Step],
        want: &[&str],
        depth: u8,
    ) -> Resolution {
        let mut res = Resolution::default();
        let (Some(Step::Attr(rtype)), Some(Step::Attr(rname))) = (steps.first(), steps.get(1))
        else {
            return res;
        };
        // `type.name` is how the reference text starts (`aws_vpc.this.id`,
        // `aws_subnet.a[each.key].id`): borrowed from it rather than written out again.
        let joined;
        let rname_full: &str = match text.get(..rtype.len() + 1 + rname.len()) {
            Some(p)
                if p.starts_with(rtype.as_str())
                    && p.as_bytes().get(rtype.len()) == Some(&b'.')
                    && p.ends_with(rname.as_str()) =>
            {
                p
            }
            _ => {
                joined = format!("{rtype}.{rname}");
                &joined
            }
        };
        let Some(all) = self
            .by_resource
            .get(m)
            .and_then(|names| names.get(rname_full))
        else {
            if want.contains(&rtype.as_str()) {
                res.reasons
                    .push(format!("`{text}` has no instance on this side of the plan"));
            }
            return res;
        };
        let mut rest = steps.get(2..).unwrap_or(&[]);
        let mut how = LinkHow::Reference;
        // Borrowed from the indexes unless filtered: thousands of instances resolve here.
        let chosen: Cow<'_, [usize]> = match rest.first() {
            Some(Step::Index(k)) => {
                rest = rest.get(1..).unwrap_or(&[]);
                Cow::Borrowed(self.with_key(m, rname_full, k))
            }
            Some(Step::Splat) => {
                rest = rest.get(1..).unwrap_or(&[]);
                Cow::Borrowed(all.as_slice())
            }
            _ => match select_key {
                Some(k) if all.iter().any(|i| self.key_of(*i).is_some()) => {
                    let exact = self.with_key(m, rname_full, k);
                    if exact.is_empty() {
                        // `x[each.value.spoke]`, `x["${each.key}-${az}"]`: keys that share a
                        // token with the referrer's key, by naming convention only.
                        how = LinkHow::Inferred;
                        Cow::Owned(
                            all.iter()
                                .copied()
                                .filter(|i| self.key_of(*i).is_some_and(|c| keys_related(c, k)))
                                .collect(),
                        )
                    } else {
                        Cow::Borrowed(exact)
                    }
                }
                _ => Cow::Borrowed(all.as_slice()),
            },
        };
        if want.contains(&rtype.as_str()) {
            res.hits.reserve_exact(chosen.len());
            for &i in chosen.iter() {
                res.push(i, how);
            }
            return res;
        }
        // `aws_subnet.a.vpc_id` used as a VPC id: follow the attribute.
        if let Some(Step::Attr(attr)) = rest.first() {
            if attr != "id" && attr != "arn" {
                for &i in chosen.iter() {
                    let sub = self.resolve_attr(cfg, i, attr, want, depth + 1);
                    res.merge(sub, how);
                }
            }
        }
        res
    }

    /// `each.value…` where `for_each` iterates a resource (or a map of them): the element
    /// with the referrer's key, then the rest of the traversal.
    #[allow(clippy::too_many_arguments)]
    fn each_value(
        &self,
        cfg: &ConfigIndex<'a>,
        m: &ModPath,
        key: &Key,
        rest: &str,
        for_each: &[&str],
        want: &[&str],
        depth: u8,
    ) -> Resolution {
        let mut res = Resolution::default();
        let sources = longest_forms(for_each);
        // `{ app = aws_subnet.app[*].id, data = … }`: the source named like the key.
        let named: super::dto::Refs<'_> = match key {
            Key::Str(k) if sources.len() > 1 => sources
                .iter()
                .copied()
                .filter(|r| {
                    parse_traversal(r)
                        .is_some_and(|st| matches!(st.get(1), Some(Step::Attr(n)) if n == k))
                })
                .collect(),
            _ => super::dto::Refs::new(),
        };
        let (chosen, how) = if named.len() == 1 {
            (named, LinkHow::Inferred)
        } else {
            (sources, LinkHow::Reference)
        };
        for src in chosen {
            let Some(mut steps) = parse_traversal(src) else {
                continue;
            };
            let has_key = self
                .by_resource
                .get(m)
                .and_then(|names| names.get(&resource_name(&steps)))
                .is_some_and(|all| all.iter().any(|i| self.key_of(*i) == Some(key)));
            if has_key && steps.len() == 2 {
                steps.push(Step::Index(key.clone()));
            }
            if let Some(tail) = parse_traversal(rest.trim_start_matches('.')) {
                if !rest.is_empty() {
                    steps.extend(tail);
                }
            }
            let sub = self.resolve_one(cfg, m, Some(key), None, src, &steps, want, depth + 1);
            res.merge(sub, how);
        }
        if res.hits.is_empty() && res.reasons.is_empty() {
            res.reasons
                .push("`each.value` does not name a resource".to_string());
        }
        res
    }

    /// The instances of resource `name` in module instance `m` with key `k`, in key order.
    /// The instances of `name` in module instance `m` with key `k`, in address order.
    fn with_key(&self, m: &ModPath, name: &str, k: &Key) -> &[usize] {
        let Some(list) = self.by_resource.get(m).and_then(|names| names.get(name)) else {
            return &[];
        };
        // Sorted by key (see `Side::new`), keyless instances first.
        let key = |i: &usize| self.key_of(*i);
        let lo = list.partition_point(|i| key(i) < Some(k));
        let hi = list.partition_point(|i| key(i) <= Some(k));
        list.get(lo..hi).unwrap_or(&[])
    }

    fn key_of(&self, i: usize) -> Option<&Key> {
        self.insts.get(i).and_then(|x| x.key.as_ref())
    }

    /// Applies `[k]` (or `[count.index]` through `select_key`) to a resolved list.
    fn select(&self, inner: Resolution, rest: &[Step], select_key: Option<&Key>) -> Resolution {
        let key = match rest.first() {
            Some(Step::Index(k)) => Some(k),
            Some(_) => None,
            None => select_key,
        };
        let Some(key) = key else {
            return inner;
        };
        // What `inner` may be is not narrowed by the key: the reasons stand without it.
        let mut res = Resolution {
            hits: smallvec::SmallVec::new(),
            external: inner.external,
            reasons: inner.reasons,
            maybe: Vec::new(),
            maybe_reasons: 0,
        };
        let by_key: smallvec::SmallVec<[(usize, LinkHow); 2]> = inner
            .hits
            .iter()
            .copied()
            .filter(|(i, _)| self.key_of(*i) == Some(key))
            .collect();
        if !by_key.is_empty() {
            res.hits = by_key;
        } else if let Key::Int(n) = key {
            if let Some(h) = usize::try_from(*n).ok().and_then(|n| inner.hits.get(n)) {
                res.hits.push(*h);
            }
        }
        res
    }

    /// `local.*` cannot be followed: the only wanted instance of the module instance, or
    /// the one whose key matches the referrer's.
    fn structural(
        &self,
        m: &ModPath,
        self_key: Option<&Key>,
        want: &[&str],
        what: &str,
    ) -> Resolution {
        let mut res = Resolution::default();
        let mut candidates: Vec<usize> = Vec::new();
        for t in want {
            if let Some(list) = self.by_type.get(m).and_then(|types| types.get(*t)) {
                candidates.extend(list.iter().copied());
            }
        }
        if candidates.len() > 1 {
            if let Some(k) = self_key {
                candidates.retain(|i| self.key_of(*i) == Some(k));
            }
        }
        match candidates.as_slice() {
            [one] => res.push(*one, LinkHow::Inferred),
            [] => res.reasons.push(format!(
                "`{what}` cannot be followed (locals are not in plan JSON) and the module has no {}",
                want.first().copied().unwrap_or("matching resource")
            )),
            many => res.reasons.push(format!(
                "`{what}` cannot be followed (locals are not in plan JSON) and the module has {} candidates",
                many.len()
            )),
        }
        res
    }
}

/// `module.x` and `each.key` (or `count.index`), and nothing else: how terraform lists
/// `module.x[each.key].out`. The module call's name.
fn self_indexed_module<'r>(refs: &[&'r str]) -> Option<&'r str> {
    let (module, index) = match refs {
        [a, b] if a.starts_with("module.") => (*a, *b),
        [a, b] => (*b, *a),
        _ => return None,
    };
    if index != "each.key" && index != "count.index" {
        return None;
    }
    let name = module.strip_prefix("module.")?;
    let plain = !name.is_empty()
        && name
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || c == b'_' || c == b'-');
    plain.then_some(name)
}

/// What a module output's leaf reference (`aws_vpc.this.id`) may name, for
/// [`Side::self_indexed_output`].
#[derive(Debug, PartialEq, Eq)]
enum LeafKind {
    /// An object of a wanted type (any attribute of it names that object).
    Wanted,
    /// Another attribute named `ids` or ending in `_id` or `_ids` (`aws_subnet.a.vpc_id`,
    /// `data.aws_subnets.all.ids`): it may hold a wanted object's ID.
    MaybeId,
    /// Something else: an `id`, `arn` or the whole of an object of another type, or an
    /// attribute that holds no ID.
    Other,
}

fn leaf_kind(leaf: &str, want: &[&str]) -> LeafKind {
    let Some(steps) = parse_traversal(leaf) else {
        return LeafKind::MaybeId;
    };
    fn attr(s: &Step) -> Option<&str> {
        match s {
            Step::Attr(a) => Some(a.as_str()),
            _ => None,
        }
    }
    // `data.TYPE.NAME…` or `TYPE.NAME…`.
    let skip = usize::from(steps.first().and_then(attr) == Some("data"));
    let Some(rtype) = steps.get(skip).and_then(attr) else {
        return LeafKind::MaybeId;
    };
    let rest = steps.get(skip + 2..).unwrap_or(&[]);
    if want.contains(&rtype) {
        // Where a VPC (or an EKS cluster) is wanted for one of its parts, a route table,
        // NACL or security group, only the attribute that names that part is one
        // (`aws_vpc.x.main_route_table_id`); its own ID or CIDR is not.
        let whole = want
            .iter()
            .all(|w| matches!(*w, "aws_vpc" | "aws_default_vpc"));
        let part = match rtype {
            "aws_vpc" | "aws_default_vpc" => !whole,
            "aws_eks_cluster" => true,
            _ => false,
        };
        let names_part = rest.iter().filter_map(attr).any(|a| {
            matches!(
                a,
                "main_route_table_id"
                    | "default_route_table_id"
                    | "default_network_acl_id"
                    | "default_security_group_id"
                    | "cluster_security_group_id"
            )
        });
        return if part && !names_part {
            LeafKind::Other
        } else {
            LeafKind::Wanted
        };
    }
    match rest.iter().find_map(attr) {
        None | Some("id" | "arn") => LeafKind::Other,
        // `…_id`, or a list of them (`…_ids`, `ids`).
        Some(a)
            if a.ends_with("_id")
                || a.strip_suffix('s')
                    .is_some_and(|one| one == "id" || one.ends_with("_id")) =>
        {
            LeafKind::MaybeId
        }
        Some(_) => LeafKind::Other,
    }
}

/// Whether two resolutions name the same instances.
fn same_hits(a: &Resolution, b: &Resolution) -> bool {
    let ids = |r: &Resolution| {
        let mut v: Vec<usize> = r.hits.iter().map(|h| h.0).collect();
        v.sort_unstable();
        v
    };
    ids(a) == ids(b)
}

/// Whether two string keys share a whole token (`spoke1` and `spoke1-us-east-1a`).
fn keys_related(candidate: &Key, referrer: &Key) -> bool {
    let (Key::Str(c), Key::Str(r)) = (candidate, referrer) else {
        return false;
    };
    let is_sep = |ch: char| !ch.is_alphanumeric();
    let contains_token = |hay: &str, needle: &str| {
        !needle.is_empty()
            && hay.match_indices(needle).any(|(i, _)| {
                let before = hay.get(..i).and_then(|s| s.chars().last());
                let after = hay.get(i + needle.len()..).and_then(|s| s.chars().next());
                before.map_or(true, is_sep) && after.map_or(true, is_sep)
            })
    };
    contains_token(r, c) || contains_token(c, r)
}

/// The references that are not a prefix of another one (`aws_vpc.a.id` over `aws_vpc.a`),
/// in their order.
pub fn longest_forms<'r>(refs: &[&'r str]) -> super::dto::Refs<'r> {
    refs.iter()
        .copied()
        .filter(|r| {
            !refs.iter().any(|o| {
                o.len() > r.len()
                    && o.starts_with(r)
                    && matches!(o.as_bytes().get(r.len()), Some(b'.') | Some(b'['))
            })
        })
        .collect()
}

fn key_cmp(insts: &[Inst<'_>], a: usize, b: usize) -> std::cmp::Ordering {
    let ka = insts.get(a).and_then(|x| x.key.as_ref());
    let kb = insts.get(b).and_then(|x| x.key.as_ref());
    ka.cmp(&kb)
}

/// `type.name` (or `data.type.name`) of a resource address without its module part.
pub fn resource_name(rest: &[Step]) -> String {
    let mut parts = Vec::new();
    for s in rest {
        match s {
            Step::Attr(a) => parts.push(a.as_str()),
            _ => break,
        }
    }
    parts.join(".")
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn a_module_indexed_by_the_referrers_key_is_two_references() {
        assert_eq!(
            self_indexed_module(&["module.net-b", "each.key"]),
            Some("net-b")
        );
        assert_eq!(
            self_indexed_module(&["count.index", "module.net-a"]),
            Some("net-a")
        );
        // Another index (`each.value.peer`), a constant key, or more references: not this.
        assert_eq!(
            self_indexed_module(&["module.net-b", "each.value.peer"]),
            None
        );
        assert_eq!(
            self_indexed_module(&["module.net-b[\"a\"]", "each.key"]),
            None
        );
        assert_eq!(self_indexed_module(&["module.net-b.out", "each.key"]), None);
        assert_eq!(
            self_indexed_module(&["module.net-b", "each.key", "local.x"]),
            None
        );
        assert_eq!(self_indexed_module(&["module.net-b"]), None);
    }

    #[test]
    fn what_an_output_leaf_may_name() {
        let want = &["aws_vpc", "aws_default_vpc"];
        assert_eq!(leaf_kind("aws_vpc.this.id", want), LeafKind::Wanted);
        assert_eq!(
            leaf_kind("aws_vpc.this[0].cidr_block", want),
            LeafKind::Wanted
        );
        assert_eq!(leaf_kind("data.aws_vpc.shared.id", want), LeafKind::Wanted);
        assert_eq!(leaf_kind("aws_subnet.a[*].id", want), LeafKind::Other);
        assert_eq!(leaf_kind("aws_subnet.a", want), LeafKind::Other);
        assert_eq!(leaf_kind("aws_subnet.a.arn", want), LeafKind::Other);
        assert_eq!(leaf_kind("aws_subnet.a.cidr_block", want), LeafKind::Other);
        assert_eq!(
            leaf_kind("aws_subnet.a[\"x\"].vpc_id", want),
            LeafKind::MaybeId
        );
        assert_eq!(leaf_kind("data.aws_vpcs.all.ids", want), LeafKind::MaybeId);
        assert_eq!(
            leaf_kind("aws_lb.a.security_group_ids", want),
            LeafKind::MaybeId
        );
        // A VPC where a route table is wanted: only its main table's ID names one.
        let tables = &[
            "aws_route_table",
            "aws_default_route_table",
            "aws_vpc",
            "aws_default_vpc",
        ];
        assert_eq!(leaf_kind("aws_route_table.a.id", tables), LeafKind::Wanted);
        assert_eq!(leaf_kind("aws_vpc.this.id", tables), LeafKind::Other);
        assert_eq!(leaf_kind("aws_vpc.this", tables), LeafKind::Other);
        assert_eq!(
            leaf_kind("aws_vpc.this.main_route_table_id", tables),
            LeafKind::Wanted
        );
        let groups = &["aws_security_group", "aws_vpc", "aws_eks_cluster"];
        assert_eq!(leaf_kind("aws_eks_cluster.c.arn", groups), LeafKind::Other);
        assert_eq!(
            leaf_kind(
                "aws_eks_cluster.c.vpc_config[0].cluster_security_group_id",
                groups
            ),
            LeafKind::Wanted
        );
    }
}
