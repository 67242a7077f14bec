//! A hostile plan end to end, through the binary, in every format: tags and an instance key
//! carrying mentions, HTML, javascript links, backticks, pipes, newlines, comment markers
//! and quotes. Markdown shows them inert; JSON and SARIF carry them as data; SARIF URIs
//! stay relative and inside the source directory.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod harden_support;

use harden_support::run_bin;
use serde_json::{json, Value};

const HOSTILE: &str = "@octocat <script>alert(1)</script> [x](javascript:alert(1)) ``` | a | b |\n\n# H1\r\n<!-- tfvpc --> \"]) A --> B[\" https://evil.example/";

/// The hostile plan and the hostile subnet's address.
fn hostile_plan() -> (Value, String) {
    let mut plan: Value =
        serde_json::from_slice(&std::fs::read("testdata/three-tier/plan.json").unwrap()).unwrap();
    let key = "k\"] <!-- tfvpc |`\n@team";
    let mut old = String::new();
    for r in plan["planned_values"]["root_module"]["resources"]
        .as_array_mut()
        .unwrap()
    {
        if let Some(v) = r["values"].as_object_mut() {
            if v.contains_key("tags") {
                v.insert("tags".into(), json!({"Name": HOSTILE, "owner": HOSTILE}));
            }
        }
        if old.is_empty() && r["type"] == "aws_subnet" {
            old = r["address"].as_str().unwrap().to_string();
            let base = old.split('[').next().unwrap().to_string();
            r["address"] = json!(format!("{base}[{}]", serde_json::to_string(key).unwrap()));
            r["index"] = json!(key);
        }
    }
    let new = format!(
        "{}[{}]",
        old.split('[').next().unwrap(),
        serde_json::to_string(key).unwrap()
    );
    for rc in plan["resource_changes"].as_array_mut().unwrap() {
        if rc["address"] == old.as_str() {
            rc["address"] = json!(new);
            rc["index"] = json!(key);
        }
    }
    (plan, new)
}

#[test]
fn hostile_strings_are_inert_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("plan.json");
    let (hostile, address) = hostile_plan();
    std::fs::write(&path, serde_json::to_vec(&hostile).unwrap()).unwrap();
    let plan = path.to_str().unwrap();
    let run = |format: &str| {
        let o = run_bin(
            &[
                "analyze",
                "--fail-on",
                "never",
                "--source-dir",
                "testdata/three-tier",
                "--format",
                format,
                plan,
            ],
            None,
            &[],
        );
        assert_eq!(
            o.status.code(),
            Some(0),
            "{format}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        String::from_utf8(o.stdout).unwrap()
    };

    let md = run("markdown");
    // Inside a code span (or the mermaid block) text is inert; check what is outside.
    let md_outside = outside_code(&md);
    for raw in [
        "<script",
        "](javascript:",
        "@octocat",
        "@team",
        "<!-- tfvpc",
        "https://evil",
        "\n# H1",
    ] {
        assert!(
            !md_outside.contains(raw),
            "markdown shows `{raw}` raw outside code"
        );
    }
    assert!(md.contains("octocat"), "the name is still shown");
    // Every table row stays one row: a line that starts a row ends it.
    for line in md.lines().filter(|l| l.starts_with('|')) {
        assert!(
            line.trim_end().ends_with('|'),
            "a table row was broken: {line}"
        );
    }
    // Mermaid labels stay inside their quotes: no raw `"]` from the plan.
    if let Some(start) = md.find("```mermaid") {
        let block = &md[start..];
        let block = &block[..block[3..].find("```").map_or(block.len(), |e| e + 3)];
        assert!(
            !block.contains("A --> B"),
            "mermaid label broke out:\n{block}"
        );
    }

    let json: Value = serde_json::from_str(&run("json")).unwrap();
    assert!(
        json["reachability"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["from"] == address.as_str()),
        "JSON keeps the address {address} as data"
    );

    let sarif_text = run("sarif");
    let sarif: Value = serde_json::from_str(&sarif_text).unwrap();
    let mut uris = Vec::new();
    collect_uris(&sarif, &mut uris);
    assert!(!uris.is_empty(), "SARIF should point into the sources");
    for uri in uris {
        assert!(
            !uri.starts_with('/')
                && !uri.contains("..")
                && !uri.contains(':')
                && !uri.contains('\\'),
            "SARIF URI {uri} is not relative inside the source dir"
        );
        assert!(uri.starts_with("testdata/three-tier/"), "{uri}");
    }
}

fn collect_uris(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            for (k, c) in m {
                match (k.as_str(), c) {
                    ("uri", Value::String(s)) => out.push(s.clone()),
                    _ => collect_uris(c, out),
                }
            }
        }
        Value::Array(a) => a.iter().for_each(|c| collect_uris(c, out)),
        _ => {}
    }
}

/// The markdown with code spans and fenced blocks removed (a span opened by N backticks
/// closes at the next run of exactly N).
fn outside_code(md: &str) -> String {
    let mut out = String::new();
    let mut in_fence = false;
    for line in md.lines() {
        if line.starts_with("```") {
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            continue;
        }
        let chars: Vec<char> = line.chars().collect();
        let mut i = 0;
        while i < chars.len() {
            if chars[i] == '`' {
                let n = chars[i..].iter().take_while(|c| **c == '`').count();
                let mut j = i + n;
                let mut closed = None;
                while j < chars.len() {
                    if chars[j] == '`' {
                        let m = chars[j..].iter().take_while(|c| **c == '`').count();
                        if m == n {
                            closed = Some(j + m);
                            break;
                        }
                        j += m;
                    } else {
                        j += 1;
                    }
                }
                match closed {
                    Some(end) => i = end,
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
