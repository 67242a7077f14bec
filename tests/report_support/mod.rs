//! Shared helpers for the report tests: a hand-built network and analysis, rendering in
//! every format, SARIF schema validation, and `render_all` for testdata scenarios.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    dead_code,
    clippy::print_stdout,
    clippy::print_stderr
)]

use std::path::Path;

use tfvpc::analysis::{Change, PathResult, Reachability, Scope, Verdict};
use tfvpc::model::*;
use tfvpc::report::source::SourceLocator;
use tfvpc::report::{self, Analysis, Format, LocatedFinding, Location, RenderOptions};
use tfvpc::rules::{self, Finding, Severity};

pub const SOURCES: &str = "tests/fixtures/sources";

pub fn meta(address: &str, action: Action, name: Option<&str>) -> Meta {
    Meta {
        address: address.to_string(),
        action,
        id: None,
        tags: name
            .map(|n| [("Name".to_string(), n.to_string())].into_iter().collect())
            .unwrap_or_default(),
    }
}

fn to<I>(id: I) -> Link<I> {
    Link::To(id, LinkHow::Reference)
}

/// A small builder: one VPC, subnets, gateways and routes, enough for reports.
#[derive(Default)]
pub struct NetBuilder {
    pub model: Model,
    pub changed: Vec<(Address, Action)>,
}

impl NetBuilder {
    pub fn vpc(&mut self, address: &str, name: Option<&str>) -> VpcId {
        let id = VpcId(self.model.vpcs.len() as u32);
        let rt = self.route_table(&format!("{address} main"), id);
        self.model.vpcs.push(Vpc {
            meta: meta(address, Action::NoOp, name),
            ipv4: Vec::new(),
            ipv6: Vec::new(),
            main_route_table: rt,
            default_nacl: NaclId(0),
            default_security_group: None,
            block_public_access: Default::default(),
            outside: false,
        });
        id
    }

    pub fn route_table(&mut self, address: &str, vpc: VpcId) -> RouteTableId {
        let id = RouteTableId(self.model.route_tables.len() as u32);
        self.model.route_tables.push(RouteTable {
            meta: meta(address, Action::NoOp, None),
            vpc: to(vpc),
            synthesized: false,
            routes: Vec::new(),
            propagating_vgws: Vec::new(),
            edge_associations: Vec::new(),
        });
        id
    }

    pub fn subnet(
        &mut self,
        address: &str,
        name: Option<&str>,
        vpc: VpcId,
        rt: RouteTableId,
    ) -> SubnetId {
        let id = SubnetId(self.model.subnets.len() as u32);
        self.model.subnets.push(Subnet {
            meta: meta(address, Action::NoOp, name),
            vpc: to(vpc),
            availability_zone: Val::Known("us-east-1a".to_string()),
            ipv4: None,
            ipv6: None,
            map_public_ip_on_launch: false,
            assign_ipv6_address_on_creation: false,
            dns64: false,
            route_table: Assoc {
                link: to(rt),
                via: AssocVia::Implicit,
            },
            nacl: Assoc {
                link: Link::None,
                via: AssocVia::Implicit,
            },
        });
        id
    }

    pub fn gateway(&mut self, address: &str, kind: GatewayKind, vpc: VpcId) -> GatewayId {
        let id = GatewayId(self.model.gateways.len() as u32);
        self.model.gateways.push(Gateway {
            meta: meta(address, Action::NoOp, None),
            kind,
            vpc: to(vpc),
            attachment: None,
        });
        id
    }

    pub fn nat(&mut self, address: &str, subnet: SubnetId) -> NatGatewayId {
        let id = NatGatewayId(self.model.nat_gateways.len() as u32);
        self.model.nat_gateways.push(NatGateway {
            meta: meta(address, Action::NoOp, None),
            subnet: to(subnet),
            connectivity: NatConnectivity::Public,
            allocation: Link::None,
        });
        id
    }

    pub fn route(
        &mut self,
        address: &str,
        rt: RouteTableId,
        v6: bool,
        target: Target,
        action: Action,
    ) {
        let id = RouteId(self.model.routes.len() as u32);
        let destination = if v6 {
            Destination::Cidr(AnyBlock::V6(Block::Known("::/0".parse().unwrap())))
        } else {
            Destination::Cidr(AnyBlock::V4(Block::Known("0.0.0.0/0".parse().unwrap())))
        };
        self.model.routes.push(Route {
            address: address.to_string(),
            action,
            table: to(rt),
            table_among: Vec::new(),
            destination,
            target,
            origin: RouteOrigin::Resource,
        });
        self.model.route_tables[rt.index()].routes.push(id);
        if action != Action::NoOp {
            self.changed.push((address.to_string(), action));
        }
    }

    pub fn network(self) -> Network {
        let mut changed = self.changed;
        changed.sort();
        Network {
            input: InputInfo {
                kind: InputKind::Plan,
                format_version: "1.2".to_string(),
                terraform_version: Some("1.11.4".to_string()),
                errored: false,
            },
            before: Model::default(),
            after: self.model,
            changed,
            module_calls: vec![
                ModuleCall {
                    path: "module.net".to_string(),
                    source: "./modules/net".to_string(),
                },
                ModuleCall {
                    path: "module.net.module.routing".to_string(),
                    source: "../routing".to_string(),
                },
                ModuleCall {
                    path: "module.vpc_remote".to_string(),
                    source: "terraform-aws-modules/vpc/aws".to_string(),
                },
            ],
            destroy_first: Vec::new(),
        }
    }
}

/// The sample: a VPC with a public subnet (IGW), two data subnets that route IPv4 through
/// a NAT gateway and — newly — IPv6 straight to the IGW, and a module subnet.
pub fn sample_network() -> Network {
    let mut b = NetBuilder::default();
    let vpc = b.vpc("aws_vpc.main", Some("main"));
    let rt_public = b.route_table("aws_route_table.public", vpc);
    let rt_data = b.route_table("aws_route_table.data", vpc);
    let rt_app = b.route_table("module.net.aws_route_table.app", vpc);
    let public = b.subnet("aws_subnet.public", Some("public-a"), vpc, rt_public);
    b.subnet("aws_subnet.data[0]", Some("data-a"), vpc, rt_data);
    b.subnet("aws_subnet.data[1]", Some("data-b"), vpc, rt_data);
    b.subnet("module.net.aws_subnet.app", None, vpc, rt_app);
    let igw = b.gateway("aws_internet_gateway.igw", GatewayKind::Internet, vpc);
    let nat = b.nat("aws_nat_gateway.nat", public);
    b.route(
        "aws_route_table.public route[0]",
        rt_public,
        false,
        Target::Gateway(to(igw)),
        Action::NoOp,
    );
    b.route(
        "aws_route.data_v4",
        rt_data,
        false,
        Target::NatGateway(to(nat)),
        Action::NoOp,
    );
    b.route(
        "aws_route.data_v6",
        rt_data,
        true,
        Target::Gateway(to(igw)),
        Action::Create,
    );
    b.route(
        "module.net.module.routing.aws_route.default[0]",
        rt_app,
        false,
        Target::NatGateway(to(nat)),
        Action::Update,
    );
    b.network()
}

pub fn finding(
    rule: &str,
    severity: Severity,
    message: &str,
    resources: &[&str],
    path: &[&str],
) -> Finding {
    Finding {
        rule_id: rule.to_string(),
        severity,
        message: message.to_string(),
        resources: resources.iter().map(|s| s.to_string()).collect(),
        path: path.iter().map(|s| s.to_string()).collect(),
        fix: None,
        baseline: None,
    }
}

pub fn sample_findings() -> Vec<Finding> {
    let mut v = vec![
        finding(
            "TFVPC201",
            Severity::Error,
            "`aws_subnet.data[0]` routes `::/0` to internet gateway `aws_internet_gateway.igw` through `aws_route.data_v6`: anything with an IPv6 address in it is reachable from the internet.",
            &["aws_route.data_v6", "aws_subnet.data[0]"],
            &["internet", "aws_internet_gateway.igw", "aws_route_table.data", "aws_subnet.data[0]"],
        ),
        finding(
            "TFVPC201",
            Severity::Error,
            "`aws_subnet.data[1]` routes `::/0` to internet gateway `aws_internet_gateway.igw` through `aws_route.data_v6`: anything with an IPv6 address in it is reachable from the internet.",
            &["aws_route.data_v6", "aws_subnet.data[1]"],
            &["internet", "aws_internet_gateway.igw", "aws_route_table.data", "aws_subnet.data[1]"],
        ),
        finding(
            "no-internet-to-data",
            Severity::Error,
            "Intent `no-internet-to-data`: `internet` reaches `aws_subnet.data[0]` over IPv6.",
            &["aws_subnet.data[0]"],
            &["internet", "aws_internet_gateway.igw", "aws_route_table.data", "aws_subnet.data[0]"],
        ),
        finding(
            "TFVPC302",
            Severity::Warning,
            "Subnets in 2 AZs share NAT gateway `aws_nat_gateway.nat`.",
            &["module.net.module.routing.aws_route.default[0]", "aws_nat_gateway.nat"],
            &[],
        ),
        finding(
            "TFVPC405",
            Severity::Note,
            "Route table `module.vpc_remote.aws_route_table.spare` is associated with no subnet.",
            &["module.vpc_remote.aws_route_table.spare"],
            &[],
        ),
    ];
    v[0].fix = Some("Route `::/0` to an egress-only internet gateway instead.".to_string());
    v
}

fn result(from: &str, to: &str, family: Family, verdict: Verdict, path: &[&str]) -> PathResult {
    PathResult {
        from: from.into(),
        to: to.into(),
        family,
        verdict,
        path: path.iter().map(|&s| s.into()).collect(),
        reason: format!("{} by the sample", verdict.as_str()),
        ports: if verdict == Verdict::Allowed {
            "all".to_string()
        } else {
            String::new()
        },
        dropped_by: None,
        drop_kind: None,
    }
}

pub fn sample_reachability() -> Reachability {
    use Family::*;
    use Verdict::*;
    let subnets = [
        "aws_subnet.data[0]",
        "aws_subnet.data[1]",
        "aws_subnet.public",
        "module.net.aws_subnet.app",
    ];
    let mut results = Vec::new();
    for s in subnets {
        let public = s == "aws_subnet.public";
        let data = s.starts_with("aws_subnet.data");
        results.push(result(
            "internet",
            s,
            Ipv4,
            if public { Allowed } else { Blocked },
            &["internet", s],
        ));
        results.push(result(
            "internet",
            s,
            Ipv6,
            if data { Allowed } else { Blocked },
            &["internet", s],
        ));
        results.push(result(s, "internet", Ipv4, Allowed, &[s, "internet"]));
        results.push(result(
            s,
            "internet",
            Ipv6,
            if data { Allowed } else { Unknown },
            &[s, "internet"],
        ));
        results.push(result(
            s,
            "service:s3",
            Ipv4,
            Allowed,
            &[s, "aws_nat_gateway.nat", "service:s3"],
        ));
        for t in subnets {
            if s != t {
                results.push(result(s, t, Ipv4, Allowed, &[s, "local", t]));
            }
        }
    }
    results.sort_by(|a, b| (&a.from, &a.to, a.family).cmp(&(&b.from, &b.to, b.family)));
    Reachability {
        results,
        streamed: None,
        none_asked: false,
    }
}

pub fn sample_changes() -> Vec<Change> {
    let c = |from: &str, to: &str, family, before, after, causes: &[&str]| Change {
        from: from.to_string(),
        to: to.to_string(),
        family,
        before,
        after,
        ports: None,
        causes: causes.iter().map(|s| s.to_string()).collect(),
    };
    vec![
        c(
            "module.net.aws_subnet.app",
            "internet",
            Family::Ipv4,
            Verdict::Allowed,
            Verdict::Unknown,
            &["module.net.module.routing.aws_route.default[0]"],
        ),
        c(
            "internet",
            "aws_subnet.data[0]",
            Family::Ipv6,
            Verdict::Blocked,
            Verdict::Allowed,
            &["aws_route.data_v6"],
        ),
        c(
            "internet",
            "aws_subnet.data[1]",
            Family::Ipv6,
            Verdict::Blocked,
            Verdict::Allowed,
            &["aws_route.data_v6"],
        ),
        c(
            "aws_subnet.public",
            "aws_subnet.data[0]",
            Family::Ipv4,
            Verdict::Allowed,
            Verdict::Blocked,
            &[],
        ),
    ]
}

/// Locates findings in `sources` and builds the analysis.
pub fn analysis<'a>(network: &'a Network, findings: Vec<Finding>, sources: &Path) -> Analysis<'a> {
    let mut locator = SourceLocator::new(sources, &network.module_calls);
    let (findings, hop_locations) = report::locate(findings, &mut locator);
    Analysis {
        network,
        findings,
        reachability: sample_reachability(),
        changes: sample_changes(),
        exposure_changes: Vec::new(),
        exposure: Vec::new(),
        hop_locations,
        notes: locator.notes().to_vec(),
        left_out: 0,
    }
}

pub fn options() -> RenderOptions {
    RenderOptions {
        tool_version: env!("CARGO_PKG_VERSION").to_string(),
        source_prefix: "tests/fixtures/sources/".to_string(),
        fallback_location: Location {
            file: "main.tf".to_string(),
            line: 1,
        },
    }
}

pub fn render(format: Format, a: &Analysis<'_>, o: &RenderOptions) -> String {
    let mut buf = Vec::new();
    report::render(format, a, o, &mut buf).unwrap();
    String::from_utf8(buf).unwrap()
}

/// Validates a SARIF document against the vendored official 2.1.0 schema (offline: the
/// draft-07 meta-schema ships inside the `jsonschema` crate).
pub fn assert_valid_sarif(sarif: &str) {
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string("testdata/schemas/sarif-schema-2.1.0.json").unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).expect("the SARIF schema compiles offline");
    let instance: serde_json::Value = serde_json::from_str(sarif).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&instance)
        .map(|e| format!("{} at {}", e, e.instance_path))
        .collect();
    assert!(
        errors.is_empty(),
        "SARIF is not valid against the 2.1.0 schema:\n{}",
        errors.join("\n")
    );
}

/// The tool version replaced by `[version]`, for snapshots.
pub fn redact_version(s: &str) -> String {
    let v = env!("CARGO_PKG_VERSION");
    s.replace(
        &format!("\"version\": \"{v}\""),
        "\"version\": \"[version]\"",
    )
    .replace(
        &format!("\"semanticVersion\": \"{v}\""),
        "\"semanticVersion\": \"[version]\"",
    )
    .replace(
        &format!("<sub>tfvpc {v}</sub>"),
        "<sub>tfvpc [version]</sub>",
    )
}

pub fn insta_settings() -> insta::Settings {
    let mut s = insta::Settings::clone_current();
    s.set_snapshot_path(concat!(env!("CARGO_MANIFEST_DIR"), "/snapshots"));
    s.set_prepend_module_to_snapshot(false);
    s
}

/// The `tfvpc.toml` beside a scenario, when it has one.
fn scenario_policy(dir: &str) -> rules::Policy {
    let p = Path::new(dir).join("tfvpc.toml");
    if p.is_file() {
        rules::policy::load(&p).expect("policy loads")
    } else {
        rules::Policy::default()
    }
}

/// The whole `analyze` pipeline on a plan file, rendered in all three formats (tool version
/// redacted): `(json, sarif, markdown)`. The SARIF is validated against the schema.
pub fn render_all(plan_path: &str, source_dir: &str) -> (String, String, String) {
    let network = tfvpc::plan::load(Path::new(plan_path)).expect("plan loads");
    let tfvpc::pipeline::Outcome {
        after,
        changes,
        exposure_changes,
        exposure,
        findings,
        notes,
    } = tfvpc::pipeline::run(
        &network,
        &scenario_policy(source_dir),
        Scope::All,
        rules::Date::from_unix_seconds(1_800_000_000),
    );
    let mut locator = SourceLocator::new(Path::new(source_dir), &network.module_calls);
    let (findings, hop_locations): (Vec<LocatedFinding>, _) =
        report::locate(findings, &mut locator);
    let options = RenderOptions {
        tool_version: env!("CARGO_PKG_VERSION").to_string(),
        source_prefix: format!("{}/", source_dir.trim_end_matches('/')),
        fallback_location: locator.first_file("").unwrap_or(Location {
            file: "main.tf".to_string(),
            line: 1,
        }),
    };
    let a = Analysis {
        network: &network,
        findings,
        reachability: after,
        changes,
        exposure_changes,
        exposure,
        hop_locations,
        notes: notes
            .into_iter()
            .chain(locator.notes().iter().cloned())
            .collect(),
        left_out: 0,
    };
    let json = redact_version(&render(Format::Json, &a, &options));
    let sarif = redact_version(&render(Format::Sarif, &a, &options));
    assert_valid_sarif(&sarif);
    let md = redact_version(&render(Format::Markdown, &a, &options));
    (json, sarif, md)
}

/// One line per testdata scenario: snapshots `<name>.json`, `<name>.sarif`, `<name>.md`.
pub fn snapshot_scenario(name: &str, plan_path: &str, source_dir: &str) {
    let (json, sarif, md) = render_all(plan_path, source_dir);
    // GitHub rejects comments over 65,536 characters.
    assert!(md.chars().count() < 65_536, "{name}: markdown too long");
    insta_settings().bind(|| {
        insta::assert_snapshot!(format!("{name}.json"), json);
        insta::assert_snapshot!(format!("{name}.sarif"), sarif);
        insta::assert_snapshot!(format!("{name}.md"), md);
    });
}
