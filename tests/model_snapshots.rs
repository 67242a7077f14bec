//! Snapshots of `tfvpc model` JSON for every `testdata/<scenario>/plan.json` (and
//! `state.json`), stored in `snapshots/` and named after the scenario.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::path::Path;

use tfvpc::plan;
use tfvpc::report::model_json;

#[test]
fn model_json_snapshots() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata");
    let Ok(entries) = std::fs::read_dir(&root) else {
        return;
    };
    let mut dirs: Vec<_> = entries
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(concat!(env!("CARGO_MANIFEST_DIR"), "/snapshots"));
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| {
        for dir in dirs {
            let scenario = dir.file_name().unwrap().to_string_lossy().to_string();
            for (file, suffix) in [("plan.json", ""), ("state.json", "-state")] {
                let p = dir.join(file);
                if !p.exists() {
                    continue;
                }
                let network = plan::load(&p).unwrap();
                let mut out = Vec::new();
                model_json::write(&network, &mut out).unwrap();
                let text = String::from_utf8(out).unwrap();
                insta::assert_snapshot!(format!("model-{scenario}{suffix}"), text);
            }
        }
    });
}
