//! Reachability over generated models: 5,000 and 20,000 subnets for the external questions
//! (subnet ↔ internet, services, VPN), and every subnet pair of a 500-subnet model, held
//! (`reachability`) and streamed (`analysis::streamed`, what `analyze` does above 256
//! subnets: batches computed, diffed and dropped) — 1,000 subnets streamed too, which held
//! would be 2 million answers in memory.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use tfvpc::analysis::testkit;
use tfvpc::analysis::{behaviour_classes, reachability, Scope};

fn main() {
    divan::main();
}

#[divan::bench(args = [5_000, 20_000], sample_count = 3)]
fn external(bencher: divan::Bencher, subnets: usize) {
    let m = testkit::hub_and_spokes(subnets / 100, 100);
    bencher.bench(|| {
        reachability(divan::black_box(&m), Scope::External)
            .results
            .len()
    });
}

#[divan::bench(args = [500], sample_count = 3)]
fn all_pairs(bencher: divan::Bencher, subnets: usize) {
    let m = testkit::hub_and_spokes(subnets / 100, 100);
    bencher.bench(|| reachability(divan::black_box(&m), Scope::All).results.len());
}

/// Every pair of both models of a plan that adds one spoke, streamed in batches, as
/// `analyze --reachability all` runs above 256 subnets (no rules: only the diff and the
/// answers kept for them).
#[divan::bench(args = [500, 1_000], sample_count = 3)]
fn all_pairs_streamed(bencher: divan::Bencher, subnets: usize) {
    let vpcs = subnets / 100;
    let network = tfvpc::rules::testkit::network_from(
        testkit::hub_and_spokes(vpcs - 1, 100),
        testkit::hub_and_spokes(vpcs, 100),
    );
    bencher.bench(|| {
        tfvpc::analysis::streamed(divan::black_box(&network), &mut |_: &_| false, 1 << 17)
            .0
            .results
            .len()
    });
}

#[divan::bench(args = [5_000, 20_000], sample_count = 3)]
fn classes(bencher: divan::Bencher, subnets: usize) {
    let m = testkit::hub_and_spokes(subnets / 100, 100);
    bencher.bench(|| behaviour_classes(divan::black_box(&m)));
}

/// Every pair of the largest fixture (`testdata/modules`: 10 subnets in two VPCs over nested
/// modules), before and after, as `analyze` computes them.
#[divan::bench(sample_count = 20)]
fn largest_fixture_all_pairs(bencher: divan::Bencher) {
    let Ok(network) = tfvpc::plan::load(std::path::Path::new("testdata/modules/plan.json")) else {
        return;
    };
    bencher.bench(|| {
        reachability(divan::black_box(&network.after), Scope::All)
            .results
            .len()
    });
}

/// The rules and two intents between every pair of subnets (a `deny` and a `require`) over
/// every pair of a 500-subnet model: the intents look each pair's answers up (a scan per
/// pair was quadratic).
#[divan::bench(args = [500], sample_count = 3)]
fn intents_over_all_pairs(bencher: divan::Bencher, subnets: usize) {
    let network = tfvpc::rules::testkit::network(testkit::hub_and_spokes(subnets / 100, 100));
    let reach = reachability(&network.after, Scope::All);
    let policy = tfvpc::rules::policy::parse(
        r#"
[[deny]]
id = "NO-LATERAL"
from = "*"
to = "*"

[[require]]
id = "MESH"
from = "*"
to = "*"
"#,
        std::path::Path::new("tfvpc.toml"),
    )
    .unwrap();
    let today = tfvpc::rules::Date::new(2026, 1, 1);
    bencher.bench(|| {
        tfvpc::rules::check_plan(divan::black_box(&network), &reach, &[], &policy, today).len()
    });
}
