//! Reachability over generated models: 5,000 and 20,000 subnets for the external questions
//! (subnet ↔ internet, services, VPN), and every subnet pair of a 500-subnet model (the
//! all-pairs answer is n² results: 25 million per family at 5,000 subnets would not fit in
//! memory as `PathResult`s, whatever the engine's speed).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use tfvpc::analysis::testkit::{self, Net};
use tfvpc::analysis::{behaviour_classes, reachability, Scope};
use tfvpc::model::{Model, Protocol};

fn main() {
    divan::main();
}

/// `vpcs` VPCs of `per_vpc` subnets each: half public (IGW), half private (a NAT gateway per
/// AZ), a NACL on the private half, all VPCs on one transit gateway, one VPN.
fn generate(vpcs: usize, per_vpc: usize) -> Model {
    let mut n = Net::new();
    let t = n.tgw("hub");
    let azs = ["us-east-1a", "us-east-1b", "us-east-1c"];
    let mut first_vgw = None;
    for v in 0..vpcs {
        let vpc = n.vpc(&format!("v{v}"), &format!("10.{}.0.0/16", v % 256));
        let igw = n.igw(&format!("v{v}"), vpc);
        let public = n.table(&format!("v{v}_public"), vpc);
        n.route(public, "0.0.0.0/0", testkit::gw(igw));
        let mut pubs = Vec::new();
        let mut privs = Vec::new();
        for s in 0..per_vpc {
            let az = azs[s % azs.len()];
            let sub = n.subnet(
                &format!("v{v}_s{s}"),
                vpc,
                &format!("10.{}.{}.0/24", v % 256, s % 256),
                az,
            );
            if s % 2 == 0 {
                n.associate(sub, public);
                n.public_ip_on_launch(sub);
                pubs.push(sub);
            } else {
                privs.push(sub);
            }
        }
        let att = n.tgw_attach(
            &format!("v{v}"),
            t,
            vpc,
            &pubs[..azs.len().min(pubs.len())],
            true,
        );
        let _ = att;
        let nacl = n.nacl(&format!("v{v}_private"), vpc, &privs);
        n.nacl_rule(
            nacl,
            false,
            100,
            true,
            Protocol::All,
            (0, 65535),
            "10.0.0.0/8",
        );
        n.nacl_rule(
            nacl,
            false,
            200,
            true,
            Protocol::Tcp,
            (1024, 65535),
            "0.0.0.0/0",
        );
        n.nacl_rule(
            nacl,
            true,
            100,
            true,
            Protocol::All,
            (0, 65535),
            "0.0.0.0/0",
        );
        for (i, az) in azs.iter().enumerate() {
            let Some(&nat_subnet) = pubs.get(i) else {
                continue;
            };
            let nat = n.nat_gateway(&format!("v{v}_{i}"), nat_subnet, true);
            let private = n.table(&format!("v{v}_private_{i}"), vpc);
            n.route(private, "0.0.0.0/0", testkit::nat(nat));
            n.route(private, "10.0.0.0/8", testkit::tgw(t));
            for &s in &privs {
                if n.m.subnet(s).availability_zone.known().map(String::as_str) == Some(*az) {
                    n.associate(s, private);
                }
            }
        }
        if v == 0 {
            first_vgw = Some(n.vgw("v0", vpc));
        }
    }
    n.vpn("office", first_vgw, true, &["192.168.0.0/16"]);
    n.model()
}

#[divan::bench(args = [5_000, 20_000], sample_count = 3)]
fn external(bencher: divan::Bencher, subnets: usize) {
    let m = generate(subnets / 100, 100);
    bencher.bench(|| {
        reachability(divan::black_box(&m), Scope::External)
            .results
            .len()
    });
}

#[divan::bench(args = [500], sample_count = 3)]
fn all_pairs(bencher: divan::Bencher, subnets: usize) {
    let m = generate(subnets / 100, 100);
    bencher.bench(|| reachability(divan::black_box(&m), Scope::All).results.len());
}

#[divan::bench(args = [5_000, 20_000], sample_count = 3)]
fn classes(bencher: divan::Bencher, subnets: usize) {
    let m = generate(subnets / 100, 100);
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
