//! Every SARIF result of every testdata scenario points at the `.tf` block of the resource
//! it names: `resource "TYPE" "NAME"` at the reported line, in a file under the scenario,
//! by a relative path.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::process::Command;

/// `module.a["x"].aws_route.r[2] route[0]` → (`aws_route`, `r`).
fn type_and_name(address: &str) -> Option<(String, String)> {
    let resource = address.split(' ').next()?;
    let mut parts: Vec<&str> = Vec::new();
    let mut depth = 0;
    let mut start = 0;
    for (i, c) in resource.char_indices() {
        match c {
            '[' => depth += 1,
            ']' => depth -= 1,
            '.' if depth == 0 => {
                parts.push(&resource[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&resource[start..]);
    let name = parts.pop()?;
    let ty = parts.pop()?;
    let name = name.split('[').next()?;
    ty.starts_with("aws_")
        .then(|| (ty.to_string(), name.to_string()))
}

#[test]
fn sarif_results_point_at_the_resource_block() {
    let mut checked = 0;
    let mut dirs: Vec<_> = std::fs::read_dir("testdata")
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.join("plan.json").is_file())
        .collect();
    dirs.sort();
    for dir in dirs {
        let out = Command::new(env!("CARGO_BIN_EXE_tfvpc"))
            .args([
                "analyze",
                "--format",
                "sarif",
                "--fail-on",
                "never",
                "--source-dir",
            ])
            .arg(&dir)
            .arg(dir.join("plan.json"))
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{}", dir.display());
        let sarif: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        for r in sarif["runs"][0]["results"].as_array().unwrap() {
            let loc = &r["locations"][0];
            let file = loc["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .unwrap();
            assert!(
                !file.starts_with('/') && !file.contains(".."),
                "{file} must be relative"
            );
            assert!(file.starts_with(&format!("{}/", dir.display())), "{file}");
            let line = loc["physicalLocation"]["region"]["startLine"]
                .as_u64()
                .unwrap() as usize;
            let address = loc["logicalLocations"][0]["fullyQualifiedName"]
                .as_str()
                .unwrap();
            let Some((ty, name)) = type_and_name(address) else {
                continue;
            };
            let text = std::fs::read_to_string(file).unwrap();
            let at = text.lines().nth(line - 1).unwrap_or("");
            assert!(
                at.contains(&format!("resource \"{ty}\" \"{name}\"")),
                "{address} -> {file}:{line}: {at}"
            );
            checked += 1;
        }
    }
    assert!(checked >= 40, "only {checked} results checked");
}
