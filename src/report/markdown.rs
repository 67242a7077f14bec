//! The markdown report (`--format markdown`): a pull-request comment a reviewer can read
//! at a glance. A one-line verdict, counts, the findings table (most severe first), what
//! the plan changes (opened paths first), internet exposure per subnet, a subnet matrix
//! (or a collapsed section for large networks) and a mermaid topology with changed and
//! offending parts highlighted.
//!
//! The whole output stays under GitHub's comment limit ([`MAX_BYTES`]): sections are added
//! most important first and whatever does not fit is named as left out. Every string from
//! the plan goes through `escape` (text, code span or mermaid label). This module formats
//! only; it never decides.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::io::{self, Write};

use super::escape::{code, md_message, md_text, mermaid_label};
use super::{counts, sorted_findings, Analysis, Location, RenderOptions};
use crate::analysis::{Change, PathResult, Verdict};
use crate::model::{Action, Family, GatewayKind, Model, Target};
use crate::rules::{Baseline, Finding, Severity};

/// GitHub's limit is 65,536 characters per comment; bytes are never fewer than
/// characters, and a margin leaves room for a wrapper (e.g. a sticky-comment marker).
pub const MAX_BYTES: usize = 64_000;
/// Subnets up to which the subnet × subnet matrix is shown open.
const MATRIX_MAX: usize = 12;
/// Nodes above which the diagram is left out (it stops being readable).
const DIAGRAM_MAX_NODES: usize = 120;
/// Room kept for the notes about what was left out and the footer.
const RESERVE: usize = 3_000;
/// Longest note shown (notes quote file names and parser errors).
const NOTE_MAX_CHARS: usize = 200;

fn severity_icon(s: Severity) -> &'static str {
    match s {
        Severity::Error => "❌ error",
        Severity::Warning => "⚠️ warning",
        Severity::Note => "ℹ️ note",
    }
}

fn verdict_icon(v: Verdict) -> &'static str {
    match v {
        Verdict::Allowed => "✅",
        Verdict::Blocked => "⛔",
        Verdict::Unknown => "❔",
    }
}

fn family_label(f: Family) -> &'static str {
    match f {
        Family::Ipv4 => "IPv4",
        Family::Ipv6 => "IPv6",
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("{n} {one}")
    } else {
        format!("{n} {many}")
    }
}

fn opened(c: &Change) -> bool {
    c.after == Verdict::Allowed && c.before != Verdict::Allowed
}

fn closed(c: &Change) -> bool {
    c.before == Verdict::Allowed && c.after != Verdict::Allowed
}

/// The first line: an icon, the counts, and the most striking thing the plan does.
fn verdict_line(analysis: &Analysis<'_>) -> String {
    let (e, w, n) = counts(analysis);
    let icon = if e > 0 {
        "❌"
    } else if w > 0 {
        "⚠️"
    } else if n > 0 {
        "ℹ️"
    } else {
        "✅"
    };
    let mut parts = Vec::new();
    if e > 0 {
        parts.push(plural(e, "error", "errors"));
    }
    if w > 0 {
        parts.push(plural(w, "warning", "warnings"));
    }
    if n > 0 {
        parts.push(plural(n, "note", "notes"));
    }
    let counted = if parts.is_empty() && analysis.left_out > 0 {
        "no new findings".to_string()
    } else if parts.is_empty() {
        "no findings".to_string()
    } else {
        parts.join(", ")
    };
    let mut line = format!("{icon} **tfvpc: {counted}**");

    // Internet → subnet paths this plan opens, by subnet, with their families.
    let mut exposed: BTreeMap<&str, BTreeSet<Family>> = BTreeMap::new();
    for c in analysis
        .changes
        .iter()
        .filter(|c| opened(c) && c.from == "internet")
    {
        exposed.entry(&*c.to).or_default().insert(c.family);
    }
    if let Some((first, fams)) = exposed.iter().next() {
        let fams: Vec<&str> = fams.iter().map(|f| family_label(*f)).collect();
        let more = if exposed.len() > 1 {
            format!(
                " and {}",
                plural(exposed.len() - 1, "more subnet", "more subnets")
            )
        } else {
            String::new()
        };
        let _ = write!(
            line,
            " — this plan opens the internet to {}{more} over {}",
            code(first, false),
            fams.join(" and ")
        );
    } else if let Some((f, _)) = review_order(analysis).first() {
        let on = f
            .resources
            .first()
            .map(|r| format!(" on {}", code(r, false)))
            .unwrap_or_default();
        let _ = write!(line, " — most severe: {}{on}", code(&f.rule_id, false));
    } else if !analysis.changes.is_empty() {
        let _ = write!(
            line,
            " — {} between the prior and the planned network",
            plural(analysis.changes.len(), "path changes", "paths change")
        );
    }
    line
}

/// Whether the prior network holds nothing but what data sources read: the plan builds
/// everything it manages (onto an existing network, maybe), with no prior state to compare
/// with.
fn creates_everything(analysis: &Analysis<'_>) -> bool {
    !crate::pipeline::starts_from_prior_state(analysis.network)
}

fn summary_line(analysis: &Analysis<'_>) -> String {
    let (e, w, n) = counts(analysis);
    let net = analysis.network;
    if creates_everything(analysis) {
        return format!(
            "**{}** · **{}** · **{}** — {} in {}, all {} created by this plan",
            plural(e, "error", "errors"),
            plural(w, "warning", "warnings"),
            plural(n, "note", "notes"),
            plural(net.after.subnets.len(), "subnet", "subnets"),
            plural(net.after.vpcs.len(), "VPC", "VPCs"),
            plural(net.changed.len(), "resource", "resources"),
        );
    }
    let opened_n = analysis.changes.iter().filter(|c| opened(c)).count();
    let closed_n = analysis.changes.iter().filter(|c| closed(c)).count();
    let ports_n = analysis
        .changes
        .iter()
        .filter(|c| !c.verdict_changes())
        .count();
    let mut line = format!(
        "**{}** · **{}** · **{}**{} — {} in {}, {} changed by the plan, {} opened, {} closed",
        plural(e, "error", "errors"),
        plural(w, "warning", "warnings"),
        plural(n, "note", "notes"),
        baseline_counts(analysis),
        plural(net.after.subnets.len(), "subnet", "subnets"),
        plural(net.after.vpcs.len(), "VPC", "VPCs"),
        plural(net.changed.len(), "resource", "resources"),
        plural(opened_n, "path", "paths"),
        plural(closed_n, "path", "paths"),
    );
    if ports_n > 0 {
        let _ = write!(
            line,
            ", {} on other ports",
            plural(ports_n, "path", "paths")
        );
    }
    let workloads: BTreeSet<&str> = analysis
        .exposure_changes
        .iter()
        .map(|c| c.to.as_str())
        .collect();
    if !workloads.is_empty() {
        let _ = write!(
            line,
            ", internet exposure of {} changed",
            plural(workloads.len(), "workload", "workloads")
        );
    }
    line
}

/// The findings in the order a reviewer reads them: most severe first and, within a
/// severity, what this plan brings (new, updated) before what the prior state had already.
fn review_order<'x>(analysis: &'x Analysis<'_>) -> Vec<&'x (Finding, Option<Location>)> {
    let mut v = sorted_findings(analysis);
    v.sort_by_key(|(f, _)| (f.severity, f.baseline == Some(Baseline::Unchanged)));
    v
}

/// What the summary says of findings against the prior state: `(1 new, 2 already in the
/// prior state)`, and what `--only-new` left out (`(1 new; 2 already in the prior state
/// left out)`); empty when no finding is marked (no prior state) and none was left out.
fn baseline_counts(analysis: &Analysis<'_>) -> String {
    let n = |b: Baseline| {
        analysis
            .findings
            .iter()
            .filter(|(f, _)| f.baseline == Some(b))
            .count()
    };
    let (new, updated, unchanged) = (
        n(Baseline::New),
        n(Baseline::Updated),
        n(Baseline::Unchanged),
    );
    let mut parts = Vec::new();
    if new > 0 {
        parts.push(format!("{new} new"));
    }
    if updated > 0 {
        parts.push(format!("{updated} updated by this plan"));
    }
    if unchanged > 0 {
        parts.push(format!("{unchanged} already in the prior state"));
    }
    let mut said = parts.join(", ");
    if analysis.left_out > 0 {
        let left_out = format!("{} already in the prior state left out", analysis.left_out);
        said = if said.is_empty() {
            left_out
        } else {
            format!("{said}; {left_out}")
        };
    }
    if said.is_empty() {
        String::new()
    } else {
        format!(" ({said})")
    }
}

/// Findings table rows, most severe first ([`review_order`]).
fn finding_rows(analysis: &Analysis<'_>) -> Vec<String> {
    review_order(analysis)
        .into_iter()
        .map(|(f, loc)| {
            let mut resource = f
                .resources
                .first()
                .map(|r| code(r, true))
                .unwrap_or_default();
            if f.resources.len() > 1 {
                let _ = write!(resource, " (+{} more)", f.resources.len() - 1);
            }
            if let Some(l) = loc {
                let _ = write!(
                    resource,
                    "<br>{}",
                    code(&format!("{}:{}", l.file, l.line), true)
                );
            }
            let mut rule = code(&f.rule_id, true);
            match f.baseline {
                Some(Baseline::New) => rule.push_str("<br><sub>new</sub>"),
                Some(Baseline::Updated) => rule.push_str("<br><sub>updated by this plan</sub>"),
                Some(Baseline::Unchanged) => {
                    rule.push_str("<br><sub>already in the prior state</sub>");
                }
                None => {}
            }
            format!(
                "| {} | {} | {} | {} | {} |",
                severity_icon(f.severity),
                rule,
                resource,
                md_message(&f.message, true),
                f.fix
                    .as_deref()
                    .map(|x| md_message(x, true))
                    .unwrap_or_default(),
            )
        })
        .collect()
}

fn change_line(c: &Change) -> String {
    let shift = c.port_shift();
    let icon = match &shift {
        Some((newly, gone)) if gone.is_empty() && !newly.is_empty() => "🔓",
        Some((newly, gone)) if newly.is_empty() && !gone.is_empty() => "🔒",
        Some(_) => "🔁",
        None if opened(c) => "🔓",
        None if closed(c) => "🔒",
        None => "🔁",
    };
    let mut s = format!(
        "- {icon} {} → {} ({}): ",
        code(&c.from, false),
        code(&c.to, false),
        family_label(c.family),
    );
    match (&c.ports, &shift) {
        (Some((before, after)), Some((newly, gone))) => {
            let _ = write!(
                s,
                "{} allowed on {} → {}",
                verdict_icon(c.after),
                code(before, false),
                code(after, false)
            );
            // What starts or stops passing, unless one side is everything (then the other
            // side says it, and the difference is a long complement).
            let mut parts = Vec::new();
            if !newly.is_empty() && after != "all" {
                parts.push(format!("newly {}", code(newly, false)));
            }
            if !gone.is_empty() && before != "all" {
                parts.push(format!("no longer {}", code(gone, false)));
            }
            if !parts.is_empty() {
                let _ = write!(s, " ({})", parts.join("; "));
            }
        }
        _ => {
            let _ = write!(
                s,
                "{} {} → {} {}",
                verdict_icon(c.before),
                c.before.as_str(),
                verdict_icon(c.after),
                c.after.as_str(),
            );
        }
    }
    if !c.causes.is_empty() {
        let causes: Vec<String> = c.causes.iter().take(5).map(|a| code(a, false)).collect();
        let _ = write!(s, " — because of {}", causes.join(", "));
        if c.causes.len() > 5 {
            let _ = write!(s, " and {} more", c.causes.len() - 5);
        }
    }
    s
}

/// Change lines: opened first, then closed, then other transitions (to/from unknown),
/// then the pairs allowed on both sides whose ports change.
fn change_lines(analysis: &Analysis<'_>) -> Vec<String> {
    ordered_lines(&analysis.changes)
}

/// [`change_lines`] of the `internet → workload` answers.
fn exposure_lines(analysis: &Analysis<'_>) -> Vec<String> {
    ordered_lines(&analysis.exposure_changes)
}

fn ordered_lines(changes: &[Change]) -> Vec<String> {
    let mut v: Vec<&Change> = changes.iter().collect();
    let rank = |c: &Change| {
        if opened(c) {
            0
        } else if closed(c) {
            1
        } else if c.verdict_changes() {
            2
        } else {
            3
        }
    };
    v.sort_by(|a, b| (rank(a), &a.from, &a.to, a.family).cmp(&(rank(b), &b.from, &b.to, b.family)));
    v.into_iter().map(change_line).collect()
}

/// [`reached_lines`] of the workloads the plan adds to a network that had some (a fleet
/// present before is compared in the exposure changes instead).
fn new_reached_lines(analysis: &Analysis<'_>) -> Vec<String> {
    let before = &analysis.network.before.workloads;
    if before.is_empty() {
        return Vec::new();
    }
    let existed = |name: &str| {
        before
            .binary_search_by(|w| w.meta.address.as_str().cmp(name))
            .is_ok()
    };
    let fleet_existed = |name: &str| {
        name.split_once(" (").is_some_and(|(resource, _)| {
            let prefix = format!("{resource} (");
            before.iter().any(|w| w.meta.address.starts_with(&prefix))
        })
    };
    let added: Vec<&PathResult> = analysis
        .exposure
        .iter()
        .filter(|r| !existed(&r.to) && !fleet_existed(&r.to))
        .collect();
    lines_of(added)
}

/// What the internet reaches (or may reach) of the workloads, one line per answer: allowed
/// ones first, then unknown ones with their reason.
fn reached_lines(analysis: &Analysis<'_>) -> Vec<String> {
    lines_of(analysis.exposure.iter().collect())
}

fn lines_of(mut v: Vec<&PathResult>) -> Vec<String> {
    v.sort_by(|a, b| {
        (a.verdict != Verdict::Allowed, &a.to, a.family).cmp(&(
            b.verdict != Verdict::Allowed,
            &b.to,
            b.family,
        ))
    });
    v.into_iter()
        .map(|r| {
            let head = format!(
                "- {} {} → {} ({}): ",
                verdict_icon(r.verdict),
                code(&r.from, false),
                code(&r.to, false),
                family_label(r.family)
            );
            if r.verdict == Verdict::Allowed {
                let through = crate::analysis::forwarded_through(r)
                    .map(|lb| format!(" through {}", code(lb, false)))
                    .unwrap_or_default();
                format!("{head}allowed on {}{through}", code(&r.ports, false))
            } else {
                format!("{head}unknown — {}", md_message(&r.reason, false))
            }
        })
        .collect()
}

/// Adds lines to `out` while they fit in `budget`; returns how many were left out.
fn push_lines(out: &mut String, lines: &[String], budget: usize) -> usize {
    for (i, l) in lines.iter().enumerate() {
        if out.len() + l.len() + 1 > budget {
            return lines.len() - i;
        }
        out.push_str(l);
        out.push('\n');
    }
    0
}

type Cell<'a> = BTreeMap<Family, &'a PathResult>;

fn cell(c: Option<&Cell<'_>>) -> String {
    let Some(c) = c else {
        return "—".to_string();
    };
    let verdicts: BTreeSet<Verdict> = c.values().map(|r| r.verdict).collect();
    if verdicts.len() == 1 && c.len() == 2 {
        return verdicts
            .iter()
            .map(|v| verdict_icon(*v).to_string())
            .collect();
    }
    c.iter()
        .map(|(f, r)| {
            let n = if *f == Family::Ipv4 { "4" } else { "6" };
            format!("{n}{}", verdict_icon(r.verdict))
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn reachability_section(analysis: &Analysis<'_>) -> String {
    let results = &analysis.reachability.results;
    let mut out = String::from("### Reachability\n\n");
    if results.is_empty() {
        out.push_str("_No reachability computed (`--reachability none`, or no subnets)._\n");
        return out;
    }
    let mut by_pair: BTreeMap<(&str, &str), Cell<'_>> = BTreeMap::new();
    for r in results {
        by_pair
            .entry((&*r.from, &*r.to))
            .or_default()
            .insert(r.family, r);
    }
    let names: BTreeMap<&str, &str> = analysis
        .network
        .after
        .subnets
        .iter()
        .filter_map(|s| s.meta.name().map(|n| (s.meta.address.as_str(), n)))
        .collect();
    let subnets: BTreeSet<&str> = results
        .iter()
        .flat_map(|r| [&*r.from, &*r.to])
        .filter(|e| !is_external(e))
        .collect();

    let mut exposure = String::from(
        "Internet exposure per subnet (✅ allowed · ⛔ blocked · ❔ unknown · — not applicable; \
         `4` or `6` before a mark: that verdict is for IPv4 or IPv6 alone):\n\n\
         | Subnet | Name | internet → subnet | subnet → internet |\n|---|---|---|---|\n",
    );
    for s in &subnets {
        let _ = writeln!(
            exposure,
            "| {} | {} | {} | {} |",
            code(s, true),
            names.get(s).map(|n| md_text(n)).unwrap_or_default(),
            cell(by_pair.get(&("internet", *s))),
            cell(by_pair.get(&(*s, "internet"))),
        );
    }
    let others: Vec<_> = by_pair
        .iter()
        .filter(|((f, t), _)| {
            (is_external(f) || is_external(t)) && *f != "internet" && *t != "internet"
        })
        .collect();
    if !others.is_empty() {
        exposure.push_str("\nServices and VPN:\n\n| From | To | Verdict |\n|---|---|---|\n");
        for ((f, t), c) in others {
            let _ = writeln!(
                exposure,
                "| {} | {} | {} |",
                code(f, true),
                code(t, true),
                cell(Some(c))
            );
        }
    }

    let list: Vec<&str> = subnets.iter().copied().collect();
    let has_pairs = by_pair
        .keys()
        .any(|(f, t)| !is_external(f) && !is_external(t));
    // Streamed: the pairs were not kept (a large network), only counted.
    let streamed = analysis.reachability.streamed.as_ref();
    if list.len() <= MATRIX_MAX && streamed.is_none() {
        out.push_str(&exposure);
        if has_pairs {
            out.push_str("\nSubnet to subnet (row initiates, column answers):\n\n| from \\ to |");
            for i in 1..=list.len() {
                let _ = write!(out, " S{i} |");
            }
            out.push_str("\n|---|");
            out.push_str(&"---|".repeat(list.len()));
            out.push('\n');
            for (i, from) in list.iter().enumerate() {
                let _ = write!(out, "| S{} {} |", i + 1, code(from, true));
                for to in &list {
                    let c = if from == to {
                        "·".to_string()
                    } else {
                        cell(by_pair.get(&(*from, *to)))
                    };
                    let _ = write!(out, " {c} |");
                }
                out.push('\n');
            }
        }
    } else {
        let allowed = match streamed {
            Some(s) => s.allowed_pairs,
            None => results
                .iter()
                .filter(|r| !is_external(&r.from) && !is_external(&r.to))
                .filter(|r| r.verdict == Verdict::Allowed)
                .count(),
        };
        let _ = write!(
            out,
            "{} subnets: the subnet matrix is left out above {MATRIX_MAX} subnets \
             ({allowed} subnet-to-subnet paths allowed; `--format json` lists every pair).\n\n\
             <details><summary>Internet exposure of {} subnets</summary>\n\n{exposure}\n</details>\n",
            list.len(),
            list.len()
        );
    }
    out
}

fn is_external(e: &str) -> bool {
    e == "internet" || e.starts_with("service:") || e.starts_with("vpn:")
}

/// The mermaid topology; `None` when the network is too large to draw readably.
fn diagram(analysis: &Analysis<'_>) -> Option<String> {
    let m: &Model = &analysis.network.after;
    let offending: BTreeSet<&str> = analysis
        .findings
        .iter()
        .flat_map(|(f, _)| f.resources.iter().chain(f.path.iter()))
        .map(String::as_str)
        .collect();
    // When everything is new, "changed" would paint the whole diagram: highlight findings only.
    let everything_new = creates_everything(analysis);
    let changed: BTreeSet<&str> = analysis
        .network
        .changed
        .iter()
        .filter(|_| !everything_new)
        .filter(|(_, a)| *a != Action::NoOp && *a != Action::Read)
        .map(|(a, _)| a.as_str())
        .collect();
    let nodes = m.subnets.len()
        + m.gateways.len()
        + m.nat_gateways.len()
        + m.transit_gateways.len()
        + m.peerings.len()
        + m.endpoints.len();
    if m.vpcs.is_empty() || nodes > DIAGRAM_MAX_NODES {
        return None;
    }
    let mut out = String::from("```mermaid\nflowchart LR\n");
    // mermaid numbers links in the order they are written; `linkStyle` refers to them.
    let mut links = 0usize;
    let mut classes: BTreeMap<&'static str, Vec<String>> = BTreeMap::new();
    let mut mark = |id: String, address: &str| {
        if offending.contains(address) {
            classes.entry("offending").or_default().push(id);
        } else if changed.contains(address) {
            classes.entry("changed").or_default().push(id);
        }
    };
    let label = |kind: &str, meta: &crate::model::Meta| {
        let mut l = format!("{kind}{}", mermaid_label(&meta.address));
        if let Some(n) = meta.name() {
            let _ = write!(l, "<br/>{}", mermaid_label(n));
        }
        l
    };
    let needs_internet = m
        .gateways
        .iter()
        .any(|g| matches!(g.kind, GatewayKind::Internet | GatewayKind::EgressOnly));
    if needs_internet {
        out.push_str("  internet((internet))\n");
    }
    for (vi, v) in m.vpcs.iter().enumerate() {
        let _ = writeln!(out, "  subgraph vpc{vi}[\"{}\"]", label("", &v.meta));
        for (si, s) in m.subnets.iter().enumerate() {
            if s.vpc.id().map(|x| x.index()) == Some(vi) {
                let _ = writeln!(out, "    subnet{si}[\"{}\"]", label("", &s.meta));
                mark(format!("subnet{si}"), &s.meta.address);
            }
        }
        for (ei, e) in m.endpoints.iter().enumerate() {
            if e.vpc.id().map(|x| x.index()) == Some(vi) {
                let svc = e.service.as_deref().unwrap_or("endpoint");
                let _ = writeln!(
                    out,
                    "    endpoint{ei}[/\"{}\"/]",
                    label(&format!("{} ", mermaid_label(svc)), &e.meta)
                );
                mark(format!("endpoint{ei}"), &e.meta.address);
            }
        }
        out.push_str("  end\n");
        mark(format!("vpc{vi}"), &v.meta.address);
    }
    for (gi, g) in m.gateways.iter().enumerate() {
        let kind = match g.kind {
            GatewayKind::Internet => "IGW ",
            GatewayKind::EgressOnly => "EIGW ",
            GatewayKind::Vpn => "VGW ",
        };
        let _ = writeln!(out, "  gw{gi}([\"{}\"])", label(kind, &g.meta));
        mark(format!("gw{gi}"), &g.meta.address);
        if matches!(g.kind, GatewayKind::Internet | GatewayKind::EgressOnly) {
            let _ = writeln!(out, "  gw{gi} --- internet");
            links += 1;
        }
        if let Some(v) = g.vpc.id() {
            let _ = writeln!(out, "  vpc{} -.- gw{gi}", v.index());
            links += 1;
        }
    }
    for (ni, n) in m.nat_gateways.iter().enumerate() {
        let _ = writeln!(out, "  nat{ni}[\"{}\"]", label("NAT ", &n.meta));
        mark(format!("nat{ni}"), &n.meta.address);
        if let Some(s) = n.subnet.id() {
            let _ = writeln!(out, "  subnet{} -.- nat{ni}", s.index());
            links += 1;
        }
    }
    for (ti, t) in m.transit_gateways.iter().enumerate() {
        let _ = writeln!(out, "  tgw{ti}{{{{\"{}\"}}}}", label("TGW ", &t.meta));
        mark(format!("tgw{ti}"), &t.meta.address);
    }
    for a in &m.tgw_attachments {
        match (a.transit_gateway.id(), &a.kind) {
            (Some(t), crate::model::TgwAttachmentKind::Vpc { vpc, .. }) => {
                if let Some(v) = vpc.id() {
                    let _ = writeln!(out, "  vpc{} === tgw{}", v.index(), t.index());
                    links += 1;
                }
            }
            (
                Some(t),
                crate::model::TgwAttachmentKind::Peering {
                    peer_transit_gateway,
                },
            ) => {
                if let Some(p) = peer_transit_gateway.id().filter(|&p| p != t) {
                    let _ = writeln!(out, "  tgw{} == peering === tgw{}", t.index(), p.index());
                    links += 1;
                }
            }
            _ => {}
        }
    }
    for (pi, p) in m.peerings.iter().enumerate() {
        let _ = writeln!(out, "  pcx{pi}[\"{}\"]", label("peering ", &p.meta));
        mark(format!("pcx{pi}"), &p.meta.address);
        for side in [&p.requester, &p.accepter] {
            if let Some(v) = side.id() {
                let _ = writeln!(out, "  vpc{} === pcx{pi}", v.index());
                links += 1;
            }
        }
    }
    // Routes: subnet → the targets its route table sends traffic to. An edge is styled
    // like the most notable route behind it (named by a finding, else changed).
    let mut edges: BTreeMap<(usize, String), u8> = BTreeMap::new();
    for (si, s) in m.subnets.iter().enumerate() {
        let Some(rt) = s.route_table.link.id() else {
            continue;
        };
        let Some(table) = m.route_tables.get(rt.index()) else {
            continue;
        };
        for rid in &table.routes {
            let Some(r) = m.routes.get(rid.index()) else {
                continue;
            };
            let target = match &r.target {
                Target::Gateway(l) => l.id().map(|g| format!("gw{}", g.index())),
                Target::NatGateway(l) => l.id().map(|g| format!("nat{}", g.index())),
                Target::TransitGateway(l) => l.id().map(|g| format!("tgw{}", g.index())),
                Target::Peering(l) => l.id().map(|g| format!("pcx{}", g.index())),
                Target::Endpoint(l) => l.id().map(|g| format!("endpoint{}", g.index())),
                _ => None,
            };
            let style = if offending.contains(r.address.as_str()) {
                2
            } else if (!everything_new && r.action != Action::NoOp)
                || changed.contains(r.address.as_str())
            {
                1
            } else {
                0
            };
            if let Some(t) = target {
                let e = edges.entry((si, t)).or_insert(0);
                *e = (*e).max(style);
            }
        }
    }
    let mut link_styles = String::new();
    for ((si, t), style) in &edges {
        match style {
            2 => {
                let _ = writeln!(
                    link_styles,
                    "  linkStyle {links} stroke:#d1242f,stroke-width:3px"
                );
            }
            1 => {
                let _ = writeln!(
                    link_styles,
                    "  linkStyle {links} stroke:#bf8700,stroke-width:3px,stroke-dasharray:4 2"
                );
            }
            _ => {}
        }
        links += 1;
        let _ = writeln!(out, "  subnet{si} --> {t}");
    }
    out.push_str(&link_styles);
    out.push_str("  classDef offending fill:#fde2e1,stroke:#d1242f,stroke-width:3px\n");
    out.push_str("  classDef changed stroke:#bf8700,stroke-width:3px,stroke-dasharray:4 2\n");
    for (class, ids) in classes {
        let _ = writeln!(out, "  class {} {class}", ids.join(","));
    }
    out.push_str("```\n\nRed: resources named by a finding. Dashed amber: changed by this plan (not shown when the plan creates everything).\n");
    Some(out)
}

/// Writes the markdown report, within [`MAX_BYTES`].
pub fn write(
    analysis: &Analysis<'_>,
    options: &RenderOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    let mut s = String::new();
    let mut left_out: Vec<String> = Vec::new();
    s.push_str(&verdict_line(analysis));
    s.push_str("\n\n");
    s.push_str(&summary_line(analysis));
    s.push_str("\n\n");

    let budget = MAX_BYTES - RESERVE;
    let rows = finding_rows(analysis);
    if !rows.is_empty() {
        s.push_str("### Findings\n\n| Severity | Rule | Resource | Message | Fix |\n|---|---|---|---|---|\n");
        let n = push_lines(&mut s, &rows, budget);
        if n > 0 {
            left_out.push(format!(
                "{} (the least severe)",
                plural(n, "finding", "findings")
            ));
        }
        s.push('\n');
    }

    s.push_str("### What this plan changes\n\n");
    let changes = change_lines(analysis);
    let exposure = exposure_lines(analysis);
    let new_reached = new_reached_lines(analysis);
    if changes.is_empty() && creates_everything(analysis) {
        let mut read = false;
        analysis.network.before.for_each_meta(|_| read = true);
        s.push_str(if read {
            "This plan creates all it manages, onto what its data sources read: there is no \
             prior state of it to compare with, so every path below is new.\n"
        } else {
            "This plan creates the network: there is no prior state to compare with, so every \
             path below is new.\n"
        });
        let reached = reached_lines(analysis);
        if !reached.is_empty() {
            s.push_str(
                "\nWhat the internet reaches of its workloads, security groups included:\n\n",
            );
            let n = push_lines(&mut s, &reached, budget);
            if n > 0 {
                left_out.push(plural(n, "workload answer", "workload answers"));
            }
        }
    } else if changes.is_empty() && exposure.is_empty() && new_reached.is_empty() {
        s.push_str(
            "No path changes its verdict or its ports between the prior and the planned network.\n",
        );
    } else {
        let mut n = push_lines(&mut s, &changes, budget);
        if !exposure.is_empty() {
            if !changes.is_empty() {
                s.push('\n');
            }
            s.push_str(
                "What the internet reaches of workloads (instances, network interfaces, Auto \
                 Scaling groups, ECS services, databases, load balancers), security groups included:\n\n",
            );
            n += push_lines(&mut s, &exposure, budget);
        }
        if !new_reached.is_empty() {
            if !changes.is_empty() || !exposure.is_empty() {
                s.push('\n');
            }
            s.push_str("What the internet reaches of the workloads this plan adds:\n\n");
            n += push_lines(&mut s, &new_reached, budget);
        }
        if n > 0 {
            left_out.push(plural(n, "path change", "path changes"));
        }
    }
    s.push('\n');

    let reach = reachability_section(analysis);
    if s.len() + reach.len() < budget {
        s.push_str(&reach);
        s.push('\n');
    } else {
        left_out.push("the reachability summary".to_string());
    }

    if let Some(d) = diagram(analysis) {
        if s.len() + d.len() + 30 <= budget {
            s.push_str("### Topology\n\n");
            s.push_str(&d);
            s.push('\n');
        } else {
            left_out.push("the topology diagram".to_string());
        }
    }

    if !left_out.is_empty() {
        let _ = writeln!(
            s,
            "> [!NOTE]\n> Left out to stay within GitHub's comment size: {}. \
             `tfvpc analyze --format json` has everything.\n",
            left_out.join(", ")
        );
    }
    let notes: Vec<&String> = analysis.notes.iter().take(10).collect();
    if !notes.is_empty() {
        s.push_str("<details><summary>Notes</summary>\n\n");
        for n in &notes {
            let short: String = n.chars().take(NOTE_MAX_CHARS).collect();
            let _ = writeln!(s, "- {}", md_text(&short));
        }
        if analysis.notes.len() > notes.len() {
            let _ = writeln!(s, "- and {} more", analysis.notes.len() - notes.len());
        }
        s.push_str("\n</details>\n\n");
    }
    let _ = writeln!(s, "<sub>tfvpc {}</sub>", md_text(&options.tool_version));
    out.write_all(s.as_bytes())
}
