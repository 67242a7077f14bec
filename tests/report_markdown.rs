//! The markdown report: the size limit on a large analysis, and one injection test per
//! field that comes from the plan (or the policy file).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod report_support;

use std::path::Path;

use report_support::*;
use tfvpc::analysis::{Change, PathResult, Verdict};
use tfvpc::model::{Family, Network};
use tfvpc::report::{markdown, Analysis, Format};
use tfvpc::rules::Severity;

const PAYLOAD: &str = "x`|@octocat <img src=x onerror=alert(1)> [l](https://evil.example) ```\n## h \"]; click x call evil()";

/// Nothing in `md` can come from the payload as markup.
fn assert_inert(md: &str) {
    // Code spans are inert on GitHub (no mentions, HTML or links inside them).
    let text = strip_code_spans(md);
    assert!(!text.contains("@octocat"), "mention survived:\n{text}");
    assert!(!text.contains("<img"), "HTML survived:\n{text}");
    assert!(!text.contains("](https://"), "link survived:\n{text}");
    assert!(!text.contains("https://evil"), "autolink survived:\n{text}");
    for line in md.lines() {
        assert!(!line.starts_with("## h"), "heading injected:\n{md}");
    }
    let fences = md
        .lines()
        .filter(|l| l.trim_start().starts_with("```"))
        .count();
    assert_eq!(fences % 2, 0, "code fence broken:\n{md}");
    // Every table keeps the column count of its header row.
    let mut cols: Option<usize> = None;
    for line in md.lines() {
        if line.starts_with('|') {
            let n = count_cells(line);
            match cols {
                None => cols = Some(n),
                Some(c) => assert_eq!(c, n, "table broken at: {line}"),
            }
        } else {
            cols = None;
        }
    }
    // Mermaid labels open and close their quotes on the same line.
    let mut in_mermaid = false;
    for line in md.lines() {
        if line == "```mermaid" {
            in_mermaid = true;
        } else if line == "```" {
            in_mermaid = false;
        } else if in_mermaid {
            assert_eq!(
                line.matches('"').count() % 2,
                0,
                "mermaid label broken: {line}"
            );
            assert!(
                !line.contains("\"]; "),
                "mermaid label closed early: {line}"
            );
        }
    }
}

/// Removes code spans the way CommonMark finds them: a run of N backticks up to the next
/// run of exactly N (fenced blocks are lines of their own and are kept).
fn strip_code_spans(md: &str) -> String {
    let mut out = String::new();
    for line in md.lines() {
        if line.trim_start().starts_with("```") {
            out.push_str(line);
            out.push('\n');
            continue;
        }
        let chars: Vec<char> = line.chars().collect();
        let mut i = 0;
        while i < chars.len() {
            if chars[i] == '`' && (i == 0 || chars[i - 1] != '\\') {
                let n = chars[i..].iter().take_while(|&&c| c == '`').count();
                let mut j = i + n;
                let mut close = None;
                while j < chars.len() {
                    if chars[j] == '`' {
                        let m = chars[j..].iter().take_while(|&&c| c == '`').count();
                        if m == n {
                            close = Some(j + m);
                            break;
                        }
                        j += m;
                    } else {
                        j += 1;
                    }
                }
                match close {
                    Some(end) => {
                        out.push_str("<CODE>");
                        i = end;
                    }
                    None => {
                        out.extend(&chars[i..i + n]);
                        i += n;
                    }
                }
            } else {
                out.push(chars[i]);
                i += 1;
            }
        }
        out.push('\n');
    }
    out
}

/// Unescaped pipes, as GitHub's table parser splits cells.
fn count_cells(line: &str) -> usize {
    let mut n = 0;
    let mut prev = ' ';
    for c in line.chars() {
        if c == '|' && prev != '\\' {
            n += 1;
        }
        prev = if prev == '\\' && c == '\\' { ' ' } else { c };
    }
    n
}

fn render_md(net: &Network, edit: impl FnOnce(&mut Analysis<'_>)) -> String {
    let mut a = analysis(net, sample_findings(), Path::new(SOURCES));
    edit(&mut a);
    render(Format::Markdown, &a, &options())
}

#[test]
fn sample_is_inert() {
    assert_inert(&render_md(&sample_network(), |_| {}));
}

#[test]
fn subnet_name_tag_cannot_inject() {
    let mut net = sample_network();
    net.after.subnets[1]
        .meta
        .tags
        .insert("Name".into(), PAYLOAD.into());
    let md = render_md(&net, |_| {});
    assert!(md.contains("octocat"), "the name is still shown");
    assert_inert(&md);
}

#[test]
fn vpc_name_tag_cannot_inject() {
    let mut net = sample_network();
    net.after.vpcs[0]
        .meta
        .tags
        .insert("Name".into(), PAYLOAD.into());
    assert_inert(&render_md(&net, |_| {}));
}

#[test]
fn subnet_address_cannot_inject() {
    let mut net = sample_network();
    let evil = format!("aws_subnet.data[\"{PAYLOAD}\"]");
    net.after.subnets[1].meta.address = evil.clone();
    let md = render_md(&net, |a| {
        for r in &mut a.reachability.results {
            if &*r.to == "aws_subnet.data[0]" {
                r.to = evil.as_str().into();
            }
        }
        a.findings[0].0.resources[0] = evil.clone();
        a.changes[1].to = evil.clone();
    });
    assert_inert(&md);
}

#[test]
fn finding_message_cannot_inject() {
    let md = render_md(&sample_network(), |a| {
        a.findings[0].0.message = PAYLOAD.into()
    });
    assert_inert(&md);
    let md = render_md(&sample_network(), |a| {
        a.findings[0].0.message = format!("quoted `{PAYLOAD}` here")
    });
    assert_inert(&md);
}

#[test]
fn finding_fix_cannot_inject() {
    let md = render_md(&sample_network(), |a| {
        a.findings[0].0.fix = Some(PAYLOAD.into())
    });
    assert_inert(&md);
}

#[test]
fn intent_rule_id_cannot_inject() {
    let md = render_md(&sample_network(), |a| {
        a.findings[2].0.rule_id = PAYLOAD.into()
    });
    assert_inert(&md);
}

#[test]
fn change_cause_cannot_inject() {
    let md = render_md(&sample_network(), |a| {
        a.changes[0].causes = vec![PAYLOAD.into()]
    });
    assert_inert(&md);
}

#[test]
fn service_endpoint_cannot_inject() {
    let md = render_md(&sample_network(), |a| {
        a.reachability.results[0].to = format!("service:{PAYLOAD}").into();
    });
    assert_inert(&md);
}

#[test]
fn location_file_cannot_inject() {
    let md = render_md(&sample_network(), |a| {
        a.findings[0].1 = Some(tfvpc::report::Location {
            file: PAYLOAD.into(),
            line: 3,
        });
    });
    assert_inert(&md);
}

#[test]
fn note_cannot_inject() {
    let md = render_md(&sample_network(), |a| a.notes.push(PAYLOAD.into()));
    assert_inert(&md);
}

#[test]
fn large_analysis_stays_under_the_comment_limit() {
    let mut b = NetBuilder::default();
    let vpc = b.vpc("aws_vpc.big", None);
    let rt = b.route_table("aws_route_table.big", vpc);
    for i in 0..400 {
        b.subnet(
            &format!("aws_subnet.s[{i}]"),
            Some(&format!("subnet-{i}")),
            vpc,
            rt,
        );
    }
    let net = b.network();
    let mut findings = Vec::new();
    for i in 0..3000 {
        let sev = [Severity::Note, Severity::Warning, Severity::Error][i % 3];
        findings.push(finding("TFVPC202", sev, &format!("`aws_subnet.s[{i}]` is reachable from the internet over IPv4 and IPv6 through a long path that this message describes at length"), &[&format!("aws_subnet.s[{i}]")], &[]));
    }
    let mut a = analysis(&net, findings, Path::new(SOURCES));
    a.reachability.results.clear();
    a.changes.clear();
    for i in 0..400 {
        let s = format!("aws_subnet.s[{i}]");
        for (from, to) in [
            ("internet".to_string(), s.clone()),
            (s.clone(), "internet".to_string()),
        ] {
            a.reachability.results.push(PathResult {
                from: from.as_str().into(),
                to: to.as_str().into(),
                family: Family::Ipv4,
                verdict: Verdict::Allowed,
                path: vec![from.as_str().into(), to.as_str().into()],
                reason: "open".into(),
                ports: "all".into(),
                dropped_by: None,
                drop_kind: None,
            });
            a.changes.push(Change {
                from,
                to,
                family: Family::Ipv4,
                before: Verdict::Blocked,
                after: Verdict::Allowed,
                ports: None,
                causes: vec!["aws_route.open".into()],
            });
        }
    }
    let md = render(Format::Markdown, &a, &options());
    assert!(md.len() <= markdown::MAX_BYTES, "{} bytes", md.len());
    assert!(md.chars().count() < 65_536);
    assert!(md.starts_with("❌ **tfvpc: 1000 errors, 1000 warnings, 1000 notes**"));
    assert!(md.contains("Left out to stay within GitHub's comment size"));
    // Most severe first: every error row comes before the first warning row.
    let last_error = md.rfind("| ❌ error |").unwrap();
    if let Some(first_warning) = md.find("| ⚠️ warning |") {
        assert!(last_error < first_warning);
    }
    assert_inert(&md);
}
