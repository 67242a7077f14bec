//! Checks action.yml's shape, which actionlint does not lint: the required keys, every input
//! reaching a script through `env:` only, every `run:` a bare call of a script in scripts/
//! (no `${{ }}` in shell: script injection), and outputs wired to what run.sh writes.
//! A line-based reading: action.yml keeps one key per line, two-space indents.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read(path: &str) -> String {
    std::fs::read_to_string(root().join(path)).unwrap()
}

fn indent(line: &str) -> usize {
    line.len() - line.trim_start().len()
}

/// `key: value` at exactly `depth` spaces, if the line is one.
fn key_at(line: &str, depth: usize) -> Option<(&str, &str)> {
    if indent(line) != depth || line.trim_start().starts_with('#') {
        return None;
    }
    let (key, value) = line.trim_start().split_once(':')?;
    key.chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        .then_some((key, value.trim()))
}

/// The lines of a top-level section, e.g. `inputs:`.
fn section<'a>(lines: &[&'a str], name: &str) -> Vec<&'a str> {
    let start = lines
        .iter()
        .position(|l| key_at(l, 0).is_some_and(|(k, _)| k == name))
        .unwrap_or_else(|| panic!("action.yml has no `{name}:`"));
    lines[start + 1..]
        .iter()
        .take_while(|l| l.trim().is_empty() || indent(l) > 0)
        .copied()
        .collect()
}

#[derive(Default, Debug)]
struct Step {
    keys: BTreeMap<String, String>,
    env: BTreeMap<String, String>,
}

fn steps(lines: &[&str]) -> Vec<Step> {
    let mut steps: Vec<Step> = Vec::new();
    let mut in_env = false;
    for line in section(lines, "runs") {
        let t = line.trim_start();
        if indent(line) == 4 && t.starts_with("- ") {
            steps.push(Step::default());
            in_env = false;
        }
        let Some(step) = steps.last_mut() else {
            continue;
        };
        let body = t.trim_start_matches("- ");
        if indent(line) == 6 || (indent(line) == 4 && t.starts_with("- ")) {
            let (k, v) = body.split_once(':').unwrap();
            in_env = k == "env";
            step.keys.insert(k.to_string(), v.trim().to_string());
        } else if in_env && indent(line) == 8 {
            let (k, v) = body.split_once(':').unwrap();
            step.env.insert(k.to_string(), v.trim().to_string());
        }
    }
    steps
}

#[test]
fn action_yml_has_the_required_keys() {
    let text = read("action.yml");
    let lines: Vec<&str> = text.lines().collect();
    let top: BTreeSet<&str> = lines
        .iter()
        .filter_map(|l| key_at(l, 0))
        .map(|(k, _)| k)
        .collect();
    for key in ["name", "description", "inputs", "outputs", "runs"] {
        assert!(top.contains(key), "action.yml lacks `{key}:`");
    }
    let runs = section(&lines, "runs");
    assert!(
        runs.iter().any(|l| l.trim() == "using: composite"),
        "not a composite action"
    );
    for l in section(&lines, "inputs").iter().filter(|l| indent(l) == 2) {
        let (name, _) = key_at(l, 2).unwrap();
        let block = section(&lines, "inputs");
        let at = block.iter().position(|x| x == l).unwrap();
        let own: Vec<&&str> = block[at + 1..]
            .iter()
            .take_while(|x| indent(x) > 2)
            .collect();
        assert!(
            own.iter()
                .any(|x| x.trim_start().starts_with("description:")),
            "input {name} has no description"
        );
    }
}

#[test]
fn inputs_reach_scripts_through_env_only() {
    let text = read("action.yml");
    let lines: Vec<&str> = text.lines().collect();
    let inputs: BTreeSet<String> = section(&lines, "inputs")
        .iter()
        .filter_map(|l| key_at(l, 2))
        .map(|(k, _)| k.to_string())
        .collect();
    let steps = steps(&lines);
    assert!(!steps.is_empty());

    let mut used = BTreeSet::new();
    for step in &steps {
        // First the run: line, which must only call a script of ours ...
        let script = step.keys.get("run").map(|run| {
            assert!(
                !run.contains("${{"),
                "a run: line interpolates an expression: {run}"
            );
            let script = run
                .strip_prefix("'\"$GITHUB_ACTION_PATH/")
                .and_then(|r| r.strip_suffix("\"'"))
                .unwrap_or_else(|| panic!("run: must only call a script: {run}"));
            assert!(
                script.starts_with("scripts/") && !script.contains(".."),
                "{script}"
            );
            let meta = std::fs::metadata(root().join(script)).unwrap();
            assert!(meta.is_file());
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                assert!(
                    meta.permissions().mode() & 0o111 != 0,
                    "{script} is not executable"
                );
            }
            let shell = step.keys.get("shell").map(String::as_str);
            assert_eq!(shell, Some("bash"), "{run}");
            script.to_string()
        });
        // ... then its env:, which carries the inputs, each read by that script.
        for (var, value) in &step.env {
            if let Some(input) = value
                .strip_prefix("${{ inputs.")
                .and_then(|v| v.strip_suffix(" }}"))
            {
                assert!(
                    inputs.contains(input),
                    "env {var} uses undeclared input {input}"
                );
                used.insert(input.to_string());
            }
            if let Some(script) = &script {
                let source = read(script) + &read("scripts/lib.sh");
                assert!(source.contains(var.as_str()), "{script} never reads {var}");
            }
        }
    }
    assert_eq!(
        used, inputs,
        "every input is passed to a script through env:"
    );

    // Nowhere else: no `inputs.` outside an env entry of a step.
    let env_lines = text
        .lines()
        .filter(|l| l.contains("inputs."))
        .filter(|l| indent(l) != 8 || !l.trim_start().starts_with("TFVPC_"))
        .count();
    assert_eq!(env_lines, 0, "`inputs.` used outside a step's env:");
}

#[test]
fn outputs_are_written_by_the_main_step() {
    let text = read("action.yml");
    let lines: Vec<&str> = text.lines().collect();
    let steps = steps(&lines);
    let run = read("scripts/run.sh");
    let outputs: Vec<(String, String)> = {
        let block = section(&lines, "outputs");
        let mut names = Vec::new();
        let mut current = None;
        for l in block {
            if let Some((k, _)) = key_at(l, 2) {
                current = Some(k.to_string());
            } else if let (Some(name), Some(("value", v))) = (&current, key_at(l, 4)) {
                names.push((name.clone(), v.to_string()));
            }
        }
        names
    };
    for key in [
        "sarif-file",
        "markdown-file",
        "findings",
        "errors",
        "exit-code",
    ] {
        assert!(
            outputs.iter().any(|(n, _)| n == key),
            "output {key} missing"
        );
    }
    for (name, value) in &outputs {
        let rest = value
            .strip_prefix("${{ steps.")
            .and_then(|v| v.strip_suffix(" }}"))
            .unwrap_or_else(|| panic!("output {name}: {value}"));
        let (id, out) = rest.split_once(".outputs.").unwrap();
        assert_eq!(out, name, "output {name} is renamed from {out}");
        assert!(
            steps
                .iter()
                .any(|s| s.keys.get("id").map(String::as_str) == Some(id)),
            "output {name} names a missing step {id}"
        );
        assert!(
            run.contains(&format!("set_output {name} ")),
            "run.sh never writes {name}"
        );
    }
    // The main step exits with tfvpc's code, so it must come last.
    let last = steps.last().unwrap();
    assert_eq!(
        last.keys.get("id").map(String::as_str),
        Some("run"),
        "the analysis step is last"
    );
}

#[test]
fn the_guide_uses_only_declared_inputs() {
    let text = read("action.yml");
    let lines: Vec<&str> = text.lines().collect();
    let inputs: BTreeSet<&str> = section(&lines, "inputs")
        .iter()
        .filter_map(|l| key_at(l, 2))
        .map(|(k, _)| k)
        .collect();
    let guide = read("docs/github-action.md");
    let guide: Vec<&str> = guide.lines().collect();
    let mut seen = 0;
    for (i, line) in guide.iter().enumerate() {
        if !line.trim_start().starts_with("uses: tfvpc/tfvpc@") {
            continue;
        }
        let with = &guide[i + 1];
        assert_eq!(with.trim(), "with:", "line {}", i + 2);
        for l in guide[i + 2..]
            .iter()
            .take_while(|l| indent(l) > indent(with))
        {
            let key = l.trim().split(':').next().unwrap();
            assert!(
                inputs.contains(key),
                "the guide uses an unknown input {key}"
            );
            seen += 1;
        }
    }
    assert!(seen > 0, "the guide shows the action with inputs");
}
