//! The source locator on a small tree with local, nested, registry and escaping modules.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod report_support;

use std::path::Path;

use report_support::SOURCES;
use tfvpc::model::ModuleCall;
use tfvpc::report::source::SourceLocator;
use tfvpc::report::Location;

fn loc(file: &str, line: u32) -> Option<Location> {
    Some(Location {
        file: file.to_string(),
        line,
    })
}

fn calls() -> Vec<ModuleCall> {
    vec![
        ModuleCall {
            path: "module.net".into(),
            source: "./modules/net".into(),
        },
        ModuleCall {
            path: "module.net.module.routing".into(),
            source: "../routing".into(),
        },
        ModuleCall {
            path: "module.vpc_remote".into(),
            source: "terraform-aws-modules/vpc/aws".into(),
        },
        ModuleCall {
            path: "module.escape".into(),
            source: "../../outside".into(),
        },
    ]
}

#[test]
fn root_resources_and_data_sources() {
    let mut l = SourceLocator::new(Path::new(SOURCES), &calls());
    // The block line, not its leading comment.
    assert_eq!(l.locate("aws_vpc.main"), loc("main.tf", 2));
    assert_eq!(l.locate("aws_subnet.data[1]"), loc("main.tf", 12));
    assert_eq!(l.locate("aws_route.data_v6"), loc("network.tf", 27));
    assert_eq!(l.locate("data.aws_region.current"), loc("network.tf", 33));
    // Inline sub-addresses map to the table's block.
    assert_eq!(
        l.locate("aws_route_table.public route[0]"),
        loc("network.tf", 9)
    );
    assert_eq!(l.locate("vpn:aws_nat_gateway.nat"), loc("network.tf", 5));
}

#[test]
fn local_modules_nested_with_keys() {
    let mut l = SourceLocator::new(Path::new(SOURCES), &calls());
    assert_eq!(
        l.locate("module.net.aws_subnet.app"),
        loc("modules/net/main.tf", 3)
    );
    assert_eq!(
        l.locate(r#"module.net["a.b"].module.routing[0].aws_route.default[2]"#),
        loc("modules/routing/main.tf", 3)
    );
    // Missing in the module: the module call's block.
    assert_eq!(
        l.locate("module.net.aws_route_table.gone"),
        loc("main.tf", 18)
    );
}

#[test]
fn module_sources_from_hcl_when_the_plan_has_none() {
    let mut l = SourceLocator::new(Path::new(SOURCES), &[]);
    assert_eq!(
        l.locate("module.net.module.routing.aws_route.default[0]"),
        loc("modules/routing/main.tf", 3)
    );
}

#[test]
fn registry_and_escaping_modules_point_at_the_call() {
    let mut l = SourceLocator::new(Path::new(SOURCES), &calls());
    assert_eq!(
        l.locate("module.vpc_remote.aws_subnet.private[0]"),
        loc("main.tf", 23)
    );
    assert_eq!(l.locate("module.escape.aws_vpc.x"), loc("main.tf", 28));
}

#[test]
fn unknown_resources_fall_back_to_the_first_root_file() {
    let mut l = SourceLocator::new(Path::new(SOURCES), &calls());
    assert_eq!(l.locate("aws_vpc.nowhere"), loc("main.tf", 1));
    assert_eq!(l.locate("module.unknown.aws_vpc.x"), loc("main.tf", 1));
    assert_eq!(l.locate("internet"), None);
    let empty = tempfile::tempdir().unwrap();
    let mut l = SourceLocator::new(empty.path(), &[]);
    assert_eq!(l.locate("aws_vpc.main"), None);
}

#[test]
fn bad_hcl_is_noted_never_fatal() {
    let mut l = SourceLocator::new(Path::new("tests/fixtures/broken"), &[]);
    assert_eq!(l.locate("aws_subnet.ok"), loc("b_good.tf", 2));
    // The resource in the broken file falls back to the first file.
    assert_eq!(l.locate("aws_vpc.main"), loc("a_broken.tf", 1));
    assert_eq!(l.notes().len(), 1, "{:?}", l.notes());
    assert!(l.notes()[0].contains("a_broken.tf"));
}
