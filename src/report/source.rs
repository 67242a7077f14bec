//! Where a Terraform address is declared: the `.tf` file and line of its `resource` (or
//! `data`) block. Terraform's JSON has no line numbers, so the `.tf` files under the source
//! directory are parsed with `hcl-edit`, following local module sources.
//!
//! - `module.net.aws_route.x[2]` → the `resource "aws_route" "x"` block in the module's
//!   directory (instance keys and inline sub-addresses like ` route[1]` are ignored);
//! - a registry or remote module, or a local source that escapes the source directory →
//!   the calling `module` block;
//! - nothing found → the module call's block, or the root module's first `.tf` file, line 1.
//!
//! Every location is relative to the source directory (`/`-separated, never absolute,
//! never `..`). Each file is parsed once; a file that does not parse is skipped and noted,
//! never a panic. This module reads files but never prints and never decides findings.
//!
//! It also reads `tfvpc:ignore:RULE[,RULE...] [reason]` comments (`#` or `//`) on the
//! comment lines right above a `resource`, `data` or `module` block, or inside it
//! ([`Ignore`]): [`SourceLocator::ignores_at`] gives those of the block a finding points at.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use rustc_hash::FxHashMap as HashMap;

use hcl_edit::structure::{Block, Body};
use hcl_edit::Span;

use super::Location;
use crate::model::ModuleCall;

/// A `tfvpc:ignore` comment: one rule (a catalog ID or an intent's ID) it hides on its block.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Ignore {
    /// Where the comment is.
    pub at: Location,
    pub rule: String,
    /// The text after the rule IDs, if any.
    pub reason: Option<String>,
}

/// The comment marker; rule IDs follow it, comma-separated, then the reason.
const IGNORE_MARK: &str = "tfvpc:ignore:";

/// What one module directory declares.
#[derive(Default)]
struct DirIndex {
    /// `.tf` files, sorted, relative to the source directory.
    files: Vec<String>,
    /// `(resource|data, type, name)` → where the block starts.
    blocks: BTreeMap<(String, String, String), Location>,
    /// `module "name"` → where the block starts, and its `source` when a plain string.
    modules: BTreeMap<String, (Location, Option<String>)>,
    /// Where a block starts → the `tfvpc:ignore` comments above and in it.
    ignores: BTreeMap<Location, Vec<Ignore>>,
}

/// Finds `.tf` locations for addresses; caches one index per module directory.
pub struct SourceLocator {
    root: PathBuf,
    /// Module path without keys (`module.a.module.b`) → `source` from the plan.
    sources: BTreeMap<String, String>,
    /// Directory (relative, `/`-separated, `""` for the root) → its index.
    dirs: BTreeMap<String, DirIndex>,
    /// [`Self::locate`]'s answers by address skeleton, and whether each is the start of a
    /// block (the address's own, or the module call holding it), not a file's first line.
    located: HashMap<String, Option<(Location, bool)>>,
    notes: Vec<String>,
}

/// An address split into what the locator needs.
#[derive(Debug, PartialEq, Eq)]
struct Parsed {
    modules: Vec<String>,
    kind: &'static str,
    rtype: String,
    name: String,
}

impl SourceLocator {
    pub fn new(root: &Path, module_calls: &[ModuleCall]) -> Self {
        SourceLocator {
            root: root.to_path_buf(),
            sources: module_calls
                .iter()
                .map(|m| (m.path.clone(), m.source.clone()))
                .collect(),
            dirs: BTreeMap::new(),
            located: HashMap::default(),
            notes: Vec::new(),
        }
    }

    /// Problems met while reading sources (files that did not parse), for the report.
    pub fn notes(&self) -> &[String] {
        &self.notes
    }

    /// The location of an address, with the fallbacks the module doc lists; `None` only
    /// when the source directory holds no `.tf` file at all (or the name is no address).
    pub fn locate(&mut self, address: &str) -> Option<Location> {
        self.locate_key(&lookup_key(address))
    }

    /// [`Self::locate`] of the address a [`lookup_key`] was made of (keys of many
    /// addresses can be made on all threads; the lookups, which read and cache the
    /// sources, are made in order).
    pub fn locate_key(&mut self, key: &LookupKey) -> Option<Location> {
        match key {
            LookupKey::Place(l) => Some(l.clone()),
            LookupKey::Skeleton(s) => self.locate_skeleton_cached(s).map(|(l, _)| l),
        }
    }

    /// [`Self::locate`], and whether the location is the start of a block.
    fn locate_block(&mut self, address: &str) -> Option<(Location, bool)> {
        let address = address.strip_prefix("vpn:").unwrap_or(address);
        self.locate_skeleton_cached(&skeleton(address))
    }

    /// Thousands of instances share a skeleton (and a location): each is looked up once.
    fn locate_skeleton_cached(&mut self, skeleton: &str) -> Option<(Location, bool)> {
        if let Some(hit) = self.located.get(skeleton) {
            return hit.clone();
        }
        let found = self.locate_skeleton(skeleton);
        self.located.insert(skeleton.to_string(), found.clone());
        found
    }

    /// The `tfvpc:ignore` comments of the block an address is declared by (or, for a
    /// resource of a remote module, of the module call the address points at).
    pub fn ignores_at(&mut self, address: &str) -> Vec<Ignore> {
        let Some((loc, true)) = self.locate_block(address) else {
            return Vec::new();
        };
        let dir = loc.file.rsplit_once('/').map_or("", |(d, _)| d).to_string();
        self.index(&dir)
            .ignores
            .get(&loc)
            .cloned()
            .unwrap_or_default()
    }

    /// Every `tfvpc:ignore` comment in the root module's directory and the local module
    /// directories the plan's module calls lead to, sorted by place.
    pub fn all_ignores(&mut self) -> Vec<Ignore> {
        let paths: Vec<String> = self.sources.keys().cloned().collect();
        let mut dirs = vec![String::new()];
        for path in paths {
            let names: Vec<String> = path
                .split('.')
                .collect::<Vec<_>>()
                .chunks(2)
                .filter_map(|c| match c {
                    ["module", n] => Some((*n).to_string()),
                    _ => None,
                })
                .collect();
            if let Some(d) = self.module_dir(&names) {
                dirs.push(d);
            }
        }
        dirs.sort();
        dirs.dedup();
        let mut out: Vec<Ignore> = dirs
            .iter()
            .flat_map(|d| {
                self.index(d)
                    .ignores
                    .values()
                    .flatten()
                    .cloned()
                    .collect::<Vec<_>>()
            })
            .collect();
        out.sort();
        out
    }

    /// The directory of a local module, by its module names from the root; `None` for a
    /// registry or remote one (or one whose source is not known).
    fn module_dir(&mut self, modules: &[String]) -> Option<String> {
        let mut dir = String::new();
        let mut path = String::new();
        for m in modules {
            if !path.is_empty() {
                path.push('.');
            }
            path.push_str("module.");
            path.push_str(m);
            let hcl_source = self.index(&dir).modules.get(m).and_then(|(_, s)| s.clone());
            let source = self.sources.get(&path).cloned().or(hcl_source)?;
            dir = local_dir(&dir, &source)?;
        }
        Some(dir)
    }

    fn locate_skeleton(&mut self, skeleton: &str) -> Option<(Location, bool)> {
        let parsed = parse_skeleton(skeleton)?;
        let mut dir = String::new();
        let mut call: Option<Location> = None;
        let mut path = String::new();
        for m in &parsed.modules {
            if !path.is_empty() {
                path.push('.');
            }
            path.push_str("module.");
            path.push_str(m);
            let (block_loc, hcl_source) = match self.index(&dir).modules.get(m) {
                Some((l, s)) => (Some(l.clone()), s.clone()),
                None => (None, None),
            };
            if block_loc.is_some() {
                call = block_loc;
            }
            let source = self.sources.get(&path).cloned().or(hcl_source);
            match source.as_deref().and_then(|s| local_dir(&dir, s)) {
                Some(next) => dir = next,
                // Registry/remote module, unknown source, or a path escaping the root.
                None => return self.or_first_file(call),
            }
        }
        let key = (
            parsed.kind.to_string(),
            parsed.rtype.clone(),
            parsed.name.clone(),
        );
        if let Some(l) = self.index(&dir).blocks.get(&key) {
            return Some((l.clone(), true));
        }
        self.or_first_file(call)
    }

    /// A module call's block, else the root module's first file (not a block).
    fn or_first_file(&mut self, call: Option<Location>) -> Option<(Location, bool)> {
        match call {
            Some(c) => Some((c, true)),
            None => self.first_file("").map(|l| (l, false)),
        }
    }

    /// The first `.tf` file of a directory, line 1.
    pub fn first_file(&mut self, dir: &str) -> Option<Location> {
        self.index(dir).files.first().map(|f| Location {
            file: f.clone(),
            line: 1,
        })
    }

    fn index(&mut self, dir: &str) -> &DirIndex {
        if !self.dirs.contains_key(dir) {
            let idx = self.build_index(dir);
            self.dirs.insert(dir.to_string(), idx);
        }
        // Just inserted when absent.
        static EMPTY: std::sync::OnceLock<DirIndex> = std::sync::OnceLock::new();
        match self.dirs.get(dir) {
            Some(i) => i,
            None => EMPTY.get_or_init(DirIndex::default),
        }
    }

    fn build_index(&mut self, dir: &str) -> DirIndex {
        let mut idx = DirIndex::default();
        let full = if dir.is_empty() {
            self.root.clone()
        } else {
            self.root.join(dir)
        };
        let Ok(entries) = fs::read_dir(&full) else {
            return idx;
        };
        let mut names: Vec<String> = entries
            .filter_map(Result::ok)
            .filter(|e| e.file_type().map(|t| t.is_file()).unwrap_or(false))
            .filter_map(|e| e.file_name().to_str().map(str::to_string))
            .filter(|n| n.ends_with(".tf"))
            .collect();
        names.sort();
        for name in names {
            let rel = if dir.is_empty() {
                name.clone()
            } else {
                format!("{dir}/{name}")
            };
            idx.files.push(rel.clone());
            let text = match fs::read_to_string(full.join(&name)) {
                Ok(t) => t,
                Err(e) => {
                    self.notes.push(format!("could not read {rel}: {e}"));
                    continue;
                }
            };
            let body: Body = match hcl_edit::parser::parse_body(&text) {
                Ok(b) => b,
                Err(e) => {
                    let first = e.to_string().lines().next().unwrap_or("").to_string();
                    self.notes.push(format!(
                        "could not parse {rel} ({first}); findings in it point at the file or the module call"
                    ));
                    continue;
                }
            };
            let lines: Vec<&str> = text.lines().collect();
            for block in body.blocks() {
                index_block(&mut idx, block, &rel, &text);
                index_ignores(&mut idx, block, &rel, &text, &lines);
            }
        }
        idx
    }
}

fn index_block(idx: &mut DirIndex, block: &Block, file: &str, text: &str) {
    let line = block
        .ident
        .span()
        .or_else(|| block.span())
        .map(|s| line_of(text, s.start))
        .unwrap_or(1);
    let loc = Location {
        file: file.to_string(),
        line,
    };
    let labels: Vec<&str> = block.labels.iter().map(|l| l.as_str()).collect();
    match (block.ident.as_str(), labels.as_slice()) {
        (kind @ ("resource" | "data"), [t, n]) => {
            let kind = if kind == "resource" {
                "resource"
            } else {
                "data"
            };
            idx.blocks
                .entry((kind.to_string(), t.to_string(), n.to_string()))
                .or_insert(loc);
        }
        ("module", [n]) => {
            let source = block
                .body
                .get_attribute("source")
                .and_then(|a| a.value.as_str())
                .map(str::to_string);
            idx.modules.entry(n.to_string()).or_insert((loc, source));
        }
        _ => {}
    }
}

/// The `tfvpc:ignore` comments of a `resource`, `data` or `module` block: on the comment
/// lines right above it (up to the first line that is not a comment), and in it.
fn index_ignores(idx: &mut DirIndex, block: &Block, file: &str, text: &str, lines: &[&str]) {
    if !matches!(block.ident.as_str(), "resource" | "data" | "module") {
        return;
    }
    let Some(span) = block.span() else {
        return;
    };
    let start = block
        .ident
        .span()
        .map_or_else(|| line_of(text, span.start), |s| line_of(text, s.start));
    let end = line_of(text, span.end.saturating_sub(1)).max(start);
    let comment = |l: &str| {
        let t = l.trim_start();
        t.starts_with('#') || t.starts_with("//")
    };
    // 1-based line numbers: `lines[n - 1]` is line `n`.
    let mut first = start;
    while first > 1 && lines.get(first as usize - 2).is_some_and(|l| comment(l)) {
        first -= 1;
    }
    let mut found = Vec::new();
    for n in first..=end {
        let Some(line) = lines.get(n as usize - 1) else {
            break;
        };
        // A comment's text: after `#` or `//` (a marker inside a string is not one).
        let Some(at) = line.find(IGNORE_MARK) else {
            continue;
        };
        let before = line.get(..at).unwrap_or("");
        if !(before.contains('#') || before.contains("//")) {
            continue;
        }
        let rest = line.get(at + IGNORE_MARK.len()..).unwrap_or("");
        let (ids, reason) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
        let reason = reason.trim();
        for id in ids.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            found.push(Ignore {
                at: Location {
                    file: file.to_string(),
                    line: n,
                },
                rule: id.to_string(),
                reason: (!reason.is_empty()).then(|| reason.to_string()),
            });
        }
    }
    if !found.is_empty() {
        let key = Location {
            file: file.to_string(),
            line: start,
        };
        idx.ignores.entry(key).or_default().extend(found);
    }
}

/// 1-based line of a byte offset.
fn line_of(text: &str, offset: usize) -> u32 {
    let end = offset.min(text.len());
    let n = text
        .as_bytes()
        .get(..end)
        .map(|b| b.iter().filter(|&&c| c == b'\n').count())
        .unwrap_or(0);
    u32::try_from(n + 1).unwrap_or(u32::MAX)
}

/// The directory a local module source names, relative to the root; `None` for a
/// registry/remote source or one that leaves the root.
fn local_dir(from: &str, source: &str) -> Option<String> {
    if !(source.starts_with("./") || source.starts_with("../")) {
        return None;
    }
    let mut parts: Vec<&str> = from.split('/').filter(|p| !p.is_empty()).collect();
    // `//` separates a package from a subdirectory in go-getter sources; local paths may
    // still use it harmlessly, so empty segments are skipped.
    for seg in source.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

/// Splits `module.a["k"].module.b[0].aws_route.x[2] route[1]` into modules, kind, type and
/// name. Instance keys (which may hold any character) are skipped.
#[cfg(test)]
fn parse_address(address: &str) -> Option<Parsed> {
    parse_skeleton(&skeleton(address))
}

/// An address without its instance keys and inline sub-address:
/// `module.a["k"].module.b[0].aws_route.x[2] route[1]` → `module.a.module.b.aws_route.x`.
/// Every instance of a resource has the same one, and so the same location.
/// What [`SourceLocator::locate`] looks an address up by.
#[derive(Debug)]
pub enum LookupKey {
    /// A place in the sources itself (`FILE.tf:LINE`, a `tfvpc:ignore` comment's).
    Place(Location),
    /// The address without instance keys or inline parts (`module.a.aws_subnet.s`).
    Skeleton(String),
}

/// The key [`SourceLocator::locate_key`] takes for an address: made without the locator.
pub fn lookup_key(address: &str) -> LookupKey {
    if let Some((file, line)) = address.rsplit_once(':') {
        if let (true, Ok(line)) = (file.ends_with(".tf"), line.parse::<u32>()) {
            return LookupKey::Place(Location {
                file: file.to_string(),
                line,
            });
        }
    }
    let address = address.strip_prefix("vpn:").unwrap_or(address);
    LookupKey::Skeleton(skeleton(address))
}

fn skeleton(address: &str) -> String {
    let mut out = String::with_capacity(address.len());
    let mut chars = address.chars();
    let mut depth = 0u32;
    let mut in_str = false;
    while let Some(c) = chars.next() {
        if in_str {
            match c {
                '\\' => {
                    chars.next();
                }
                '"' => in_str = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' if depth > 0 => in_str = true,
            '[' => depth += 1,
            ']' => depth = depth.saturating_sub(1),
            _ if depth > 0 => {}
            // An inline sub-address (` route[1]`) follows a space: the block is the parent's.
            ' ' => break,
            c => out.push(c),
        }
    }
    out
}

/// [`parse_address`] of a [`skeleton`].
fn parse_skeleton(skeleton: &str) -> Option<Parsed> {
    let segs: Vec<&str> = skeleton.split('.').collect();
    let mut modules = Vec::new();
    let mut i = 0;
    while segs.get(i).copied() == Some("module") {
        modules.push(segs.get(i + 1)?.to_string());
        i += 2;
    }
    let (kind, rest) = match segs.get(i).copied() {
        Some("data") => ("data", segs.get(i + 1..)?),
        _ => ("resource", segs.get(i..)?),
    };
    match rest {
        [t, n] if !t.is_empty() && !n.is_empty() && t.contains('_') => Some(Parsed {
            modules,
            kind,
            rtype: t.to_string(),
            name: n.to_string(),
        }),
        _ => None,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn instances_share_a_skeleton() {
        assert_eq!(
            skeleton(r#"module.a["x.y]"].module.b[0].aws_route.r[2] route[1]"#),
            "module.a.module.b.aws_route.r"
        );
        assert_eq!(
            skeleton(r#"module.a["q\"]"].aws_subnet.s["k"]"#),
            skeleton("module.a[1].aws_subnet.s[2]")
        );
        assert_eq!(skeleton("internet"), "internet");
    }

    #[test]
    fn parses_addresses() {
        let p = parse_address(r#"module.a["x.y]"].module.b[0].aws_route.r[2] route[1]"#).unwrap();
        assert_eq!(p.modules, vec!["a", "b"]);
        assert_eq!(
            (p.kind, p.rtype.as_str(), p.name.as_str()),
            ("resource", "aws_route", "r")
        );
        let d = parse_address("data.aws_vpc.main").unwrap();
        assert_eq!((d.kind, d.rtype.as_str()), ("data", "aws_vpc"));
        assert!(parse_address("internet").is_none());
        assert!(parse_address("service:s3").is_none());
    }

    #[test]
    fn local_dirs_stay_inside() {
        assert_eq!(
            local_dir("", "./modules/net").as_deref(),
            Some("modules/net")
        );
        assert_eq!(
            local_dir("modules/net", "../routing").as_deref(),
            Some("modules/routing")
        );
        assert_eq!(local_dir("", "../outside"), None);
        assert_eq!(local_dir("", "terraform-aws-modules/vpc/aws"), None);
    }
}
