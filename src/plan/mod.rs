//! The only code that knows Terraform's JSON: `terraform show -json` of a plan (format
//! 0.1 to 1.2) or of a state, deserialized with plain serde, then turned into the two
//! [`Network`] models, with links resolved through `configuration` references.
//!
//! Loading never panics on input: bad input is a [`LoadError`] naming the file and the JSON
//! path; unresolved links become diagnostics on the model.

pub(crate) mod address;
mod attrs;
mod build;
pub mod dto;
mod json;
mod parallel;
mod refs;
mod scan;

use rustc_hash::FxHashMap as HashMap;
use std::io::Read;
use std::path::Path;
use std::sync::Arc;

use crate::model::{Action, Diagnostic, InputInfo, InputKind, Model, ModuleCall, Network};
use address::{parse_module_path, Key};
use dto::{
    ConfigModuleDto, ConfigResourceDto, ModuleDto, PlanDto, ResourceChangeDto, UnknownValue,
};
use refs::{ConfigIndex, Inst, Side};

/// Why a file could not be read as a plan or a state.
#[derive(Debug, thiserror::Error)]
#[error("{file}: {message}")]
pub struct LoadError {
    /// The file as the user named it (`-` for standard input).
    pub file: String,
    /// The JSON path inside the file, when the problem is at one.
    pub json_path: Option<String>,
    pub message: String,
}

/// A parsed plan or state file. It does not borrow from the bytes it was parsed from:
/// free them before building the model (the input is as large as all the rest).
pub struct Plan {
    dto: PlanDto<'static>,
    kind: InputKind,
}

impl Plan {
    /// Whether the file was a plan or a state.
    pub fn kind(&self) -> InputKind {
        self.kind
    }
}

/// Reads, parses and models a plan or state file (`-` for standard input).
pub fn load(path: &Path) -> Result<Network, LoadError> {
    load_limited(path, u64::MAX)
}

/// Like [`load`], but refuses an input larger than `max_bytes` (see [`read_limited`]).
pub fn load_limited(path: &Path, max_bytes: u64) -> Result<Network, LoadError> {
    let bytes = read_limited(path, max_bytes)?;
    let plan = parse(&bytes, &path.display().to_string())?;
    drop(bytes);
    Ok(build(&plan))
}

/// Reads a plan or state file (`-` for standard input), refusing an input larger than
/// `max_bytes` with a clear error, before reading it (a file) or as soon as it goes past
/// the limit (standard input), rather than running out of memory.
pub fn read_limited(path: &Path, max_bytes: u64) -> Result<Input, LoadError> {
    let file = path.display().to_string();
    let too_big = |size: Option<u64>| {
        LoadError {
        file: file.clone(),
        json_path: None,
        message: match size {
            Some(n) => format!(
                "the input is {n} bytes, more than the limit of {max_bytes} bytes (raise it with --max-input-size)"
            ),
            None => format!(
                "the input is more than the limit of {max_bytes} bytes (raise it with --max-input-size)"
            ),
        },
    }
    };
    let bytes = if file == "-" {
        let mut buf = Vec::new();
        std::io::stdin()
            .take(max_bytes.saturating_add(1))
            .read_to_end(&mut buf)
            .map_err(|e| LoadError {
                file: file.clone(),
                json_path: None,
                message: format!("cannot read standard input: {e}"),
            })?;
        if buf.len() as u64 > max_bytes {
            return Err(too_big(None));
        }
        Input::Heap(buf)
    } else {
        let cannot = |e: std::io::Error| LoadError {
            file: file.clone(),
            json_path: None,
            message: format!("cannot read the file: {e}"),
        };
        let f = std::fs::File::open(path).map_err(cannot)?;
        let size = f.metadata().map_err(cannot)?.len();
        if size > max_bytes {
            return Err(too_big(Some(size)));
        }
        if let Some(map) = read_in_halves(&f, size) {
            return Ok(Input::Mapped(map));
        }
        // Sized up front: growing a 263 MB buffer by doubling copies it several times.
        let mut buf = Vec::with_capacity(usize::try_from(size).unwrap_or(0).saturating_add(1));
        // `take` also bounds a file that grows while it is read (or a FIFO, size 0).
        f.take(max_bytes.saturating_add(1))
            .read_to_end(&mut buf)
            .map_err(cannot)?;
        if buf.len() as u64 > max_bytes {
            return Err(too_big(None));
        }
        Input::Heap(buf)
    };
    Ok(bytes)
}

/// The bytes of an input file, as [`read_limited`] read them.
///
/// A large file is read into memory of its own, mapped from the system rather than taken
/// from the allocator: when it is dropped (after the parse) its pages are returned at
/// once. A heap buffer that large would stay resident for a while after it is freed (the
/// allocator returns memory lazily), just when building the models allocates the most.
pub enum Input {
    Heap(Vec<u8>),
    Mapped(memmap2::MmapMut),
}

impl std::fmt::Debug for Input {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kind = match self {
            Input::Heap(_) => "Heap",
            Input::Mapped(_) => "Mapped",
        };
        write!(f, "Input::{kind}({} bytes)", self.len())
    }
}

impl std::ops::Deref for Input {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        match self {
            Input::Heap(v) => v,
            Input::Mapped(m) => m,
        }
    }
}

/// Files at least this large are read by two threads.
const HALVES_BYTES: u64 = 32 << 20;

/// A large regular file read by two threads, each copying half of it (and taking the page
/// faults of its half) into an anonymous mapping; `None` when the file is small, is not a
/// regular file, changes size while it is read, or anything fails: the caller then reads
/// it the ordinary way.
#[cfg(unix)]
fn read_in_halves(f: &std::fs::File, size: u64) -> Option<memmap2::MmapMut> {
    use std::os::unix::fs::FileExt;
    if size < HALVES_BYTES || !f.metadata().ok()?.is_file() {
        return None;
    }
    let len = usize::try_from(size).ok()?;
    let mut buf = memmap2::MmapOptions::new().len(len).map_anon().ok()?;
    let (front, back) = buf.split_at_mut(len / 2);
    let back_at = front.len() as u64;
    let ok = std::thread::scope(|s| {
        let back_done = std::thread::Builder::new()
            .spawn_scoped(s, move || f.read_exact_at(back, back_at).is_ok());
        let front_done = f.read_exact_at(front, 0).is_ok();
        let back_done = match back_done {
            Ok(h) => h.join().unwrap_or(false),
            Err(_) => false,
        };
        front_done && back_done
    });
    // Grown since its size was taken: the ordinary read applies the size limit.
    let mut probe = [0u8; 1];
    (ok && f.read_at(&mut probe, size).ok()? == 0).then_some(buf)
}

#[cfg(not(unix))]
fn read_in_halves(_: &std::fs::File, _: u64) -> Option<memmap2::MmapMut> {
    None
}

/// The subset read first, to explain a failure of the full parse.
#[derive(serde::Deserialize)]
struct Probe {
    format_version: Option<serde_json::Value>,
}

/// Parses the bytes of a plan or state file; `file` names it in errors.
pub fn parse(bytes: &[u8], file: &str) -> Result<Plan, LoadError> {
    let err = |json_path: Option<String>, message: String| LoadError {
        file: file.to_string(),
        json_path,
        message,
    };
    if bytes.starts_with(b"PK\x03\x04") {
        return Err(err(
            None,
            "this is a binary plan file; run `terraform show -json PLANFILE > plan.json` and pass the JSON".to_string(),
        ));
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(err(
            None,
            "the file is empty; expected `terraform show -json` output".to_string(),
        ));
    }
    // The fast path (large sections on their own threads) does not track where it is in
    // the document; only when it fails is the input parsed again, slower and on one
    // thread, to name the JSON path of the problem.
    let parsed: Result<PlanDto<'static>, _> = match parallel::parse(bytes) {
        Some(dto) => Ok(dto),
        None => {
            let mut de = serde_json::Deserializer::from_slice(bytes);
            let slow = serde_path_to_error::deserialize::<_, PlanDto<'static>>(&mut de);
            if slow.is_ok() {
                if let Err(e) = de.end() {
                    return Err(err(None, format!("not valid JSON: {e}")));
                }
            }
            slow
        }
    };
    let mut dto = match parsed {
        Ok(dto) => dto,
        Err(e) => {
            // An unsupported format explains a shape mismatch better than the mismatch does.
            if let Ok(Probe {
                format_version: Some(serde_json::Value::String(v)),
            }) = serde_json::from_slice::<Probe>(bytes)
            {
                check_version(&v).map_err(|m| err(Some("format_version".into()), m))?;
            }
            let path = e.path().to_string();
            let inner = e.into_inner();
            let what = if inner.is_eof() {
                format!("the JSON ends too early (truncated file?): {inner}")
            } else if inner.is_syntax() {
                format!("not valid JSON: {inner}")
            } else {
                inner.to_string()
            };
            return Err(if path == "." || path.is_empty() {
                err(None, what)
            } else {
                err(Some(path.clone()), format!("at {path}: {what}"))
            });
        }
    };
    let Some(version) = dto.format_version.clone() else {
        return Err(err(
            Some("format_version".into()),
            "not a `terraform show -json` document: `format_version` is missing".to_string(),
        ));
    };
    check_version(&version).map_err(|m| err(Some("format_version".into()), m))?;
    dto.shrink_to_fit();
    let kind = if dto.planned_values.is_some()
        || dto.prior_state.is_some()
        || !dto.resource_changes.is_empty()
        || dto.configuration.is_some()
    {
        InputKind::Plan
    } else if dto.values.is_some() {
        InputKind::State
    } else {
        // `{"format_version": "1.0"}`: an empty state (terraform writes this for no resources).
        InputKind::State
    };
    Ok(Plan { dto, kind })
}

/// For the fuzz target: whether the fast path reads `bytes` as its contract says (the
/// derived parse's answer, or no answer); see `plan/scan.rs`.
#[doc(hidden)]
pub fn fast_path_keeps_its_contract(bytes: &[u8]) -> bool {
    let derived = serde_json::from_slice::<PlanDto<'static>>(bytes)
        .ok()
        .map(|d| format!("{d:?}"));
    match parallel::parse(bytes) {
        Some(fast) => Some(format!("{fast:?}")) == derived,
        None => true,
    }
}

/// A route table read by a data source lists the associations it had when the plan was
/// made: one this plan deletes is gone from the planned network, and the subnet then uses
/// its VPC's main table.
fn forget_deleted_associations(before: &Model, after: &mut Model, changed: &[(String, Action)]) {
    use crate::model::{AssocVia, Link};
    let deleted = |a: &str| {
        changed
            .binary_search_by(|(x, _)| x.as_str().cmp(a))
            .ok()
            .and_then(|i| changed.get(i))
            .is_some_and(|(_, act)| *act == Action::Delete)
    };
    let read: Vec<usize> = after
        .subnets
        .iter()
        .enumerate()
        .filter(|(_, s)| {
            // The cheap test first: tens of thousands of associations, few of them read.
            matches!(&s.route_table.via, AssocVia::Explicit(a)
                if (a.starts_with("data.") || a.contains(".data."))
                    && address::is_data_source(a.as_str()))
        })
        .map(|(i, _)| i)
        .collect();
    if read.is_empty() {
        return;
    }
    // Each VPC's main table, unless it is one the plan does not show.
    let main: Vec<Option<crate::model::RouteTableId>> = after
        .vpcs
        .iter()
        .map(|v| {
            let shown = after
                .route_tables
                .get(v.main_route_table.index())
                .is_some_and(|t| !(v.outside && t.synthesized));
            shown.then_some(v.main_route_table)
        })
        .collect();
    let prior: HashMap<&str, &AssocVia> = before
        .subnets
        .iter()
        .map(|s| (s.meta.address.as_str(), &s.route_table.via))
        .collect();
    for i in read {
        let Some(s) = after.subnets.get_mut(i) else {
            continue;
        };
        if let Some(AssocVia::Explicit(gone)) = prior.get(s.meta.address.as_str()) {
            if deleted(gone) {
                s.route_table.link = match s.vpc.id().and_then(|v| main.get(v.index()).copied().flatten()) {
                    Some(t) => Link::To(t, crate::model::LinkHow::Reference),
                    None => Link::Unresolved(format!(
                        "this plan deletes `{gone}`, its association: it then uses the main route table of its VPC, which the plan does not show"
                    )),
                };
                s.route_table.via = AssocVia::Implicit;
            }
        }
    }
}

fn check_version(v: &str) -> Result<(), String> {
    let major = v
        .split('.')
        .next()
        .and_then(|m| m.trim().parse::<u32>().ok());
    match major {
        Some(0) | Some(1) => Ok(()),
        _ => Err(format!(
            "unsupported format_version \"{v}\": tfvpc reads `terraform show -json` format 0.x and 1.x"
        )),
    }
}

/// The `aws_default_*` objects AWS makes with a VPC: Terraform adopts them, and deleting one
/// only forgets it (`aws_default_vpc` and `aws_default_subnet` unless `force_destroy`).
const DEFAULT_OBJECTS: &[&str] = &[
    "aws_default_vpc",
    "aws_default_subnet",
    "aws_default_route_table",
    "aws_default_network_acl",
    "aws_default_security_group",
];

/// An object the plan removes from the state but not from AWS.
struct Kept {
    address: String,
    /// `removed { lifecycle { destroy = false } }` (else a default object).
    forgotten: bool,
}

/// The prior objects a plan forgets (action `forget`), or deletes while the provider only
/// forgets them ([`DEFAULT_OBJECTS`] without `force_destroy`).
fn kept_objects(
    prior: &ModuleDto<'_>,
    changes: &HashMap<&str, &ResourceChangeDto<'_>>,
) -> Vec<Kept> {
    let candidate = |rc: &ResourceChangeDto<'_>| {
        let a = &rc.change.actions;
        a.forget || (a.delete && !a.create)
    };
    if !changes.values().any(|rc| candidate(rc)) {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut stack = vec![(prior, 0u32)];
    while let Some((m, depth)) = stack.pop() {
        if depth > 64 {
            continue;
        }
        for r in &m.resources {
            let Some(rc) = changes.get(r.address.as_ref()).filter(|rc| candidate(rc)) else {
                continue;
            };
            let forgotten = rc.change.actions.forget;
            let ty = r.type_.as_ref();
            let only_forgets = DEFAULT_OBJECTS.contains(&ty)
                && !(matches!(ty, "aws_default_vpc" | "aws_default_subnet")
                    && r.attributes()
                        .get("force_destroy")
                        .and_then(json::Value::as_bool)
                        == Some(true));
            if forgotten || only_forgets {
                out.push(Kept {
                    address: r.address.to_string(),
                    forgotten,
                });
            }
        }
        stack.extend(m.child_modules.iter().map(|c| (c, depth + 1)));
    }
    out.sort_by(|a, b| a.address.cmp(&b.address));
    out
}

fn action_of(a: &dto::Actions) -> Action {
    if a.create && a.delete {
        Action::Replace
    } else if a.create {
        Action::Create
    } else if a.delete || a.forget {
        Action::Delete
    } else if a.update {
        Action::Update
    } else if a.read {
        Action::Read
    } else {
        Action::NoOp
    }
}

/// The resource [`collect`] saw last: type, name, data source, `rname`, configuration.
type LastResource<'a> = (
    &'a str,
    &'a str,
    bool,
    Arc<str>,
    Option<&'a ConfigResourceDto<'a>>,
);

/// Which instances [`collect`] takes, and from which side.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Pick {
    /// All, from the planned values (with their `after_unknown`).
    Planned,
    /// All, from the prior state.
    Prior,
    /// The data sources the model holds ([`build::DATA_MODELLED`]), from the prior state.
    PriorData,
}

fn collect<'a>(
    module: &'a ModuleDto<'a>,
    module_addr: &str,
    depth: u32,
    changes: &HashMap<&str, &'a ResourceChangeDto<'a>>,
    pick: Pick,
    cfg: &ConfigIndex<'a>,
    out: &mut Vec<Inst<'a>>,
) {
    if depth > 64 {
        return;
    }
    let planned = pick == Pick::Planned;
    let mpath = Arc::new(parse_module_path(module_addr));
    let cpath = address::config_path(&mpath);
    // The instances of one resource are adjacent: name and configuration are looked up
    // once per resource.
    let mut last: Option<LastResource<'a>> = None;
    out.reserve(module.resources.len());
    for r in &module.resources {
        let data = r.mode.as_deref() == Some("data");
        if pick == Pick::PriorData && !(data && build::DATA_MODELLED.contains(&r.type_.as_ref())) {
            continue;
        }
        let change = changes.get(r.address.as_ref());
        let (rname, config) = match &last {
            Some((t, n, d, rname, config)) if *t == r.type_ && *n == r.name && *d == data => {
                (rname.clone(), *config)
            }
            _ => {
                let cname = if data {
                    format!("data.{}.{}", r.type_, r.name)
                } else {
                    format!("{}.{}", r.type_, r.name)
                };
                let config = cfg.resources.get(&(cpath.clone(), cname.clone())).copied();
                let rname: Arc<str> = Arc::from(cname);
                last = Some((&r.type_, &r.name, data, rname.clone(), config));
                (rname, config)
            }
        };
        out.push(Inst {
            address: r.address.as_ref(),
            module: mpath.clone(),
            rname,
            data,
            rtype: r.type_.as_ref(),
            key: r.index.as_ref().and_then(Key::from_json),
            values: r.attributes(),
            unknown: match (planned, change) {
                (true, Some(c)) => &c.change.after_unknown,
                _ => UnknownValue::none(),
            },
            action: change.map_or(Action::NoOp, |c| action_of(&c.change.actions)),
            config,
        });
    }
    if depth == 0 {
        // The root's module calls (thousands in a large plan) collected on all threads,
        // kept in order.
        use rayon::prelude::*;
        let parts: Vec<Vec<Inst<'a>>> = module
            .child_modules
            .par_iter()
            .map(|child| {
                let mut part = Vec::new();
                let addr = child.address.as_deref().unwrap_or_default();
                collect(child, addr, depth + 1, changes, pick, cfg, &mut part);
                part
            })
            .collect();
        out.reserve(parts.iter().map(Vec::len).sum());
        // Part by part: a flattened iterator would be pushed instance by instance.
        for part in parts {
            out.extend(part);
        }
        return;
    }
    for child in &module.child_modules {
        let addr = child.address.as_deref().unwrap_or_default();
        collect(child, addr, depth + 1, changes, pick, cfg, out);
    }
}

fn module_calls(m: &ConfigModuleDto<'_>, prefix: &str, out: &mut Vec<ModuleCall>, depth: u32) {
    if depth > 64 {
        return;
    }
    for (name, call) in &m.module_calls {
        let path = if prefix.is_empty() {
            format!("module.{name}")
        } else {
            format!("{prefix}.module.{name}")
        };
        out.push(ModuleCall {
            path: path.clone(),
            source: call.source.clone().unwrap_or_default(),
        });
        if let Some(child) = &call.module {
            module_calls(child, &path, out, depth + 1);
        }
    }
}

/// Builds the prior and planned network models.
pub fn build(plan: &Plan) -> Network {
    build_with(plan, true)
}

/// [`build`], with links resolved ahead on all threads (`prelink`) or only when asked.
fn build_with(plan: &Plan, prelink: bool) -> Network {
    let dto = &plan.dto;
    let mut cfg = ConfigIndex::new(
        dto.configuration
            .as_ref()
            .and_then(|c| c.root_module.as_ref()),
    );
    cfg.providers = dto.configuration.as_ref().map(|c| &c.provider_config);
    // A deposed object shares its address with the current instance: its `delete` must not
    // become the current instance's action. It is reported as a diagnostic instead.
    let mut changes: HashMap<&str, &ResourceChangeDto<'_>> =
        HashMap::with_capacity_and_hasher(dto.resource_changes.len(), Default::default());
    let mut deposed: Vec<Diagnostic> = Vec::new();
    for rc in &dto.resource_changes {
        let Some(a) = rc.address.as_deref() else {
            continue;
        };
        match &rc.deposed {
            Some(key) => deposed.push(Diagnostic {
                address: Some(a.to_string()),
                message: format!(
                    "deposed object {key} (left by an earlier create_before_destroy replacement) is destroyed by this plan; it is not modelled"
                ),
            }),
            None => {
                changes.insert(a, rc);
            }
        }
    }
    fn side<'a>(
        root: Option<&'a ModuleDto<'a>>,
        planned: bool,
        changes: &HashMap<&str, &'a ResourceChangeDto<'a>>,
        cfg: &ConfigIndex<'a>,
        kept: Option<(&'a ModuleDto<'a>, &[Kept])>,
    ) -> (Side<'a>, Vec<Diagnostic>) {
        let mut insts = Vec::new();
        if let Some(root) = root {
            let pick = if planned { Pick::Planned } else { Pick::Prior };
            collect(root, "", 0, changes, pick, cfg, &mut insts);
        }
        let mut notes = Vec::new();
        if let Some((prior, _)) = kept.filter(|_| planned) {
            // The data sources this plan read are in the prior state only: what they found
            // stands in the planned network too (`Side::new` keeps a planned instance over
            // one of the same address).
            collect(prior, "", 0, changes, Pick::PriorData, cfg, &mut insts);
        }
        if let Some((prior, kept)) = kept.filter(|(_, k)| !k.is_empty()) {
            // `planned_values` lists a forgotten object with no values: the prior one
            // stands for it.
            insts.retain(|i| !kept.iter().any(|k| k.address == i.address));
            let mut old = Vec::new();
            collect(prior, "", 0, changes, Pick::Prior, cfg, &mut old);
            for mut inst in old {
                let Some(k) = kept.iter().find(|k| k.address == inst.address) else {
                    continue;
                };
                notes.push(Diagnostic {
                    address: Some(k.address.clone()),
                    message: if k.forgotten {
                        "leaves Terraform's state without being destroyed (`removed` with `destroy = false`): AWS keeps it as it is, and so does the planned network".to_string()
                    } else {
                        format!(
                            "leaves the configuration, but deleting an `{}` only removes it from the state: AWS keeps it as it is, and so does the planned network",
                            inst.rtype
                        )
                    },
                });
                inst.action = Action::NoOp;
                inst.config = None;
                insts.push(inst);
            }
        }
        (Side::new(insts), notes)
    }
    let (before_root, after_root) = match plan.kind {
        InputKind::State => {
            let r = dto.values.as_ref().and_then(|v| v.root_module.as_ref());
            (r, r)
        }
        InputKind::Plan => (
            dto.prior_state
                .as_ref()
                .and_then(|s| s.values.as_ref())
                .and_then(|v| v.root_module.as_ref()),
            dto.planned_values
                .as_ref()
                .and_then(|v| v.root_module.as_ref()),
        ),
    };
    // Objects that leave the state but not AWS: kept in the planned network as they were.
    let kept = match (plan.kind, before_root) {
        (InputKind::Plan, Some(prior)) => kept_objects(prior, &changes),
        _ => Vec::new(),
    };
    // The two sides are independent: built on two threads (a state has only one), beside
    // the list of changed resources and module calls (a create-only plan's prior side is
    // empty, and most of a side's build is sequential: this fills the other core).
    let one = |root, planned| {
        let keep = if planned {
            before_root.map(|p| (p, kept.as_slice()))
        } else {
            None
        };
        let (s, notes) = side(root, planned, &changes, &cfg, keep);
        let mut built = build::build_model(&s, &cfg, prelink);
        s.free();
        built.model.diagnostics.extend(notes);
        built
    };
    let models = || {
        if plan.kind == InputKind::State {
            // A state has no configuration, so nothing is read from a view (`Built::views`):
            // its tables' `route` attributes are read as they are (`drop_repeated_inline_routes`).
            let before = one(before_root, false).model;
            (before.clone(), before)
        } else {
            let (mut before, mut after) =
                rayon::join(|| one(before_root, false), || one(after_root, true));
            build::drop_views(
                [&mut before.model, &mut after.model],
                [&before.views, &after.views],
            );
            build::settle_eips(&before.model, &mut after.model, &after.read_back);
            (before.model, after.model)
        }
    };
    let listed = || {
        let mut changed: Vec<(String, Action)> = dto
            .resource_changes
            .iter()
            .filter_map(|rc| {
                let a = action_of(&rc.change.actions);
                let addr = rc.address.as_deref()?.to_string();
                matches!(
                    a,
                    Action::Create | Action::Update | Action::Delete | Action::Replace
                )
                .then_some((addr, a))
            })
            .collect();
        changed.sort();
        changed.dedup();
        let mut destroy_first: Vec<String> = dto
            .resource_changes
            .iter()
            .filter(|rc| {
                let a = &rc.change.actions;
                a.create && a.delete && a.delete_first && rc.deposed.is_none()
            })
            .filter_map(|rc| Some(rc.address.as_deref()?.to_string()))
            .collect();
        destroy_first.sort();
        destroy_first.dedup();
        let mut calls = Vec::new();
        if let Some(root) = dto
            .configuration
            .as_ref()
            .and_then(|c| c.root_module.as_ref())
        {
            module_calls(root, "", &mut calls, 0);
        }
        calls.sort_by(|a, b| a.path.cmp(&b.path));
        (changed, calls, destroy_first)
    };
    let ((before, after), (changed, calls, destroy_first)) = rayon::join(models, listed);
    let after = if plan.kind == InputKind::State {
        after
    } else {
        let mut after = after;
        before.for_each_meta(|m| {
            if let (Some(id), Action::Delete | Action::Replace) = (&m.id, m.action) {
                if !kept.iter().any(|k| k.address == m.address) {
                    after.deleted_ids.insert(id.clone(), m.address.clone());
                }
            }
        });
        after
    };
    let mut after = after;
    forget_deleted_associations(&before, &mut after, &changed);
    // The prior state's data sources were read for this plan: what they found exists
    // whatever the plan does (a data source is never in the planned values it fed).
    for (id, by) in &before.read_ids {
        after
            .read_ids
            .entry(id.clone())
            .or_insert_with(|| by.clone());
    }
    after.diagnostics.extend(deposed);
    after.diagnostics.sort();
    Network {
        input: InputInfo {
            kind: plan.kind,
            format_version: dto.format_version.clone().unwrap_or_default(),
            terraform_version: dto.terraform_version.clone(),
            errored: dto.errored,
        },
        before,
        after,
        changed,
        module_calls: calls,
        destroy_first,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn a_large_file_read_in_halves_is_read_whole_and_in_order() {
        let len = usize::try_from(HALVES_BYTES).unwrap() + 12_345;
        // Every byte differs from its neighbours' positions mod 251: a half read at the
        // wrong offset, or twice, does not compare equal.
        let data: Vec<u8> = (0..len).map(|i| (i % 251) as u8).collect();
        let mut f = tempfile::NamedTempFile::new().unwrap();
        f.write_all(&data).unwrap();
        f.flush().unwrap();
        let read = read_limited(f.path(), u64::MAX).unwrap();
        assert!(matches!(read, Input::Mapped(_)));
        assert_eq!(read.len(), len);
        assert!(*read == *data);
        // The limit is checked before reading.
        let err = read_limited(f.path(), HALVES_BYTES).unwrap_err();
        assert!(
            err.message.contains("more than the limit"),
            "{}",
            err.message
        );
    }

    /// Links resolved ahead, in parallel, give the model (links, diagnostics) that
    /// resolving each one when the builder asks gives.
    #[test]
    fn prelinked_models_equal_models_linked_on_demand() {
        let mut plans: Vec<std::path::PathBuf> = std::fs::read_dir("testdata")
            .unwrap()
            .filter_map(|e| Some(e.ok()?.path().join("plan.json")))
            .filter(|p| p.exists())
            .collect();
        plans.push("bench/synth/template.json".into());
        plans.sort();
        assert!(plans.len() > 20, "{plans:?}");
        for path in plans {
            let bytes = std::fs::read(&path).unwrap();
            let plan = parse(&bytes, &path.display().to_string()).unwrap();
            let ahead = build_with(&plan, true);
            let asked = build_with(&plan, false);
            assert!(ahead.after == asked.after, "{}", path.display());
            assert!(ahead.before == asked.before, "{}", path.display());
        }
    }
}
