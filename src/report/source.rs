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

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use rustc_hash::FxHashMap as HashMap;

use hcl_edit::structure::{Block, Body};
use hcl_edit::Span;

use super::Location;
use crate::model::ModuleCall;

/// What one module directory declares.
#[derive(Default)]
struct DirIndex {
    /// `.tf` files, sorted, relative to the source directory.
    files: Vec<String>,
    /// `(resource|data, type, name)` → where the block starts.
    blocks: BTreeMap<(String, String, String), Location>,
    /// `module "name"` → where the block starts, and its `source` when a plain string.
    modules: BTreeMap<String, (Location, Option<String>)>,
}

/// Finds `.tf` locations for addresses; caches one index per module directory.
pub struct SourceLocator {
    root: PathBuf,
    /// Module path without keys (`module.a.module.b`) → `source` from the plan.
    sources: BTreeMap<String, String>,
    /// Directory (relative, `/`-separated, `""` for the root) → its index.
    dirs: BTreeMap<String, DirIndex>,
    /// [`Self::locate`]'s answers by address skeleton.
    located: HashMap<String, Option<Location>>,
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
        let address = address.strip_prefix("vpn:").unwrap_or(address);
        // Thousands of instances share a skeleton (and a location): look each up once.
        let skeleton = skeleton(address);
        if let Some(hit) = self.located.get(&skeleton) {
            return hit.clone();
        }
        let found = self.locate_skeleton(&skeleton);
        self.located.insert(skeleton, found.clone());
        found
    }

    fn locate_skeleton(&mut self, skeleton: &str) -> Option<Location> {
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
                None => return call.or_else(|| self.first_file("")),
            }
        }
        let key = (
            parsed.kind.to_string(),
            parsed.rtype.clone(),
            parsed.name.clone(),
        );
        if let Some(l) = self.index(&dir).blocks.get(&key) {
            return Some(l.clone());
        }
        call.or_else(|| self.first_file(""))
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
            for block in body.blocks() {
                index_block(&mut idx, block, &rel, &text);
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
