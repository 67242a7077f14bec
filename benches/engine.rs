//! Reachability over generated models: 5,000 and 20,000 subnets for the external questions
//! (subnet ↔ internet, services, VPN), and every subnet pair of a 500-subnet model (the
//! all-pairs answer is n² results: 25 million per family at 5,000 subnets would not fit in
//! memory as `PathResult`s, whatever the engine's speed).
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
