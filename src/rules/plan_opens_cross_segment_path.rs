//! TFVPC207 `plan-opens-cross-segment-path`: the plan opens a path between subnets of two
//! different user-defined segments. Reads the plan diff and the policy's segments.
//! Documentation: [`HELP`].

use std::collections::BTreeSet;

use crate::analysis::{Change, Verdict};
use crate::model::SubnetId;
use crate::rules::{Ctx, Finding, RuleMeta, Severity};

pub const HELP: &str = r#"## What it checks
Every pair of subnets whose verdict is `blocked` in the prior state and `allowed` or
`unknown` in the planned state, or that is `allowed` in both and passes traffic after apply
that it did not before (a wider set of ports), where the two subnets belong to different
segments of `tfvpc.toml` (and neither segment also contains the other subnet). Without
segments in the policy the rule has nothing to compare and stays silent.

## Why it matters
Segments are how you say which parts of the network are meant to be apart: prod and dev,
the card-data zone and the rest. A new path between them is the kind of change that should
be decided on purpose, in review — not discovered after a route table, peering or transit
gateway change quietly connected them. For paths that must never exist, write a `deny`
intent; this rule flags every *new* cross-segment path, intended or not.

## Example (HCL)
```toml
# tfvpc.toml
[segments.prod]
vpc = "module.prod.*"
[segments.dev]
vpc = "module.dev.*"
```
```hcl
# This plan adds the peering route that connects them:
resource "aws_route" "dev_to_prod" {
  route_table_id            = module.dev.private_route_table_id
  destination_cidr_block    = "10.10.0.0/16"
  vpc_peering_connection_id = aws_vpc_peering_connection.dev_prod.id
}
```

## How to fix
Remove the route, peering or transit gateway propagation that connects the segments, or, if
the path is intended, record it: a suppression with the reason, or a `require` intent.

## AWS fact
Traffic between VPCs needs routes on both sides (peering is non-transitive; a transit
gateway routes by the table its attachment is associated with), so a single added route or
propagation is often what opens such a path (aws-network-semantics.md).
"#;

pub static META: RuleMeta = RuleMeta {
    id: "TFVPC207",
    name: "plan-opens-cross-segment-path",
    severity: Severity::Warning,
    summary: "The plan opens a path between subnets of two different policy segments",
    help: HELP,
    tags: &["security", "segmentation", "plan-diff"],
};

pub struct Evidence<'c> {
    pub change: &'c Change,
    pub from_segments: Vec<String>,
    pub to_segments: Vec<String>,
}

fn segments_of(ctx: &Ctx<'_>, address: &str) -> BTreeSet<String> {
    let m = ctx.model;
    let Some(i) = m.subnets.iter().position(|s| s.meta.address == address) else {
        return BTreeSet::new();
    };
    let id = SubnetId(i as u32);
    ctx.policy
        .segments
        .iter()
        .filter(|seg| seg.selects(m, id))
        .map(|seg| seg.name.clone())
        .collect()
}

pub fn find<'c>(ctx: &Ctx<'c>) -> Vec<Evidence<'c>> {
    if ctx.policy.segments.is_empty() {
        return Vec::new();
    }
    let mut out = Vec::new();
    for c in ctx.changes {
        let opened =
            c.before == Verdict::Blocked && matches!(c.after, Verdict::Allowed | Verdict::Unknown);
        if !opened && widened(c).is_none() {
            continue;
        }
        let from = segments_of(ctx, &c.from);
        let to = segments_of(ctx, &c.to);
        // Apart means: both are in some segment, and they share none.
        if from.is_empty() || to.is_empty() || from.intersection(&to).next().is_some() {
            continue;
        }
        out.push(Evidence {
            change: c,
            from_segments: from.into_iter().collect(),
            to_segments: to.into_iter().collect(),
        });
    }
    out
}

/// For a pair allowed before and after: what passes after apply that did not before.
fn widened(c: &Change) -> Option<String> {
    c.port_shift()
        .map(|(opened, _)| opened)
        .filter(|o| !o.is_empty())
}

pub fn message(e: &Evidence<'_>) -> String {
    let c = e.change;
    let verdict = if c.after == Verdict::Allowed {
        "can initiate connections to"
    } else {
        "may be able to initiate connections to (unknown at plan time)"
    };
    let before = match (&c.ports, widened(c)) {
        (Some((before, after)), Some(_)) if after == "all" => {
            format!("allowed before on `{before}` only, now on every port and protocol")
        }
        (Some((before, _)), Some(newly)) => {
            format!("allowed before on `{before}` only, now also on `{newly}`")
        }
        _ => "blocked before".to_string(),
    };
    format!(
        "This plan opens a path across segments: `{}` (segment {}) {verdict} `{}` (segment {}) \
         over {}, {before}{}. Remove what connects them, or record the path as intended.",
        c.from,
        e.from_segments.join(", "),
        c.to,
        e.to_segments.join(", "),
        c.family.as_str().replace("ip", "IP"),
        if c.causes.is_empty() {
            String::new()
        } else {
            format!(
                "; caused by {}",
                c.causes
                    .iter()
                    .map(|a| format!("`{a}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        }
    )
}

pub fn check(ctx: &Ctx<'_>) -> Vec<Finding> {
    find(ctx)
        .iter()
        .map(|e| {
            let mut resources = vec![e.change.from.clone(), e.change.to.clone()];
            resources.extend(e.change.causes.iter().cloned());
            let mut f = Finding::new(&META, message(e), resources)
                .with_fix("remove the route or propagation that connects the segments");
            if let Some(r) =
                super::helpers::path(ctx.reach, &e.change.from, &e.change.to, e.change.family)
            {
                f.path = crate::analysis::to_strings(&r.path);
            }
            f
        })
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::analysis::Reachability;
    use crate::model::Family;
    use crate::rules::testkit::{network, Builder};

    const POLICY: &str = r#"
[segments.prod]
subnets = ["aws_subnet.prod*"]
[segments.dev]
subnets = ["aws_subnet.dev*"]
"#;

    fn run(policy: &str, before: Verdict, after: Verdict) -> Vec<Finding> {
        let mut b = Builder::new();
        let p = b.vpc("aws_vpc.prod", "10.0.0.0/16");
        let d = b.vpc("aws_vpc.dev", "10.1.0.0/16");
        b.subnet("aws_subnet.prod", p, "az-a", "10.0.1.0/24");
        b.subnet("aws_subnet.dev", d, "az-a", "10.1.1.0/24");
        let net = network(b.build());
        let policy = crate::rules::policy::parse(policy, std::path::Path::new("tfvpc.toml"))
            .expect("policy parses");
        let changes = [Change {
            from: "aws_subnet.dev".to_string(),
            to: "aws_subnet.prod".to_string(),
            family: Family::Ipv4,
            before,
            after,
            ports: None,
            causes: vec!["aws_route.dev_to_prod".to_string()],
        }];
        let reach = Reachability::default();
        check(&Ctx::new(&net, &reach, &policy).with_changes(&changes))
    }

    #[test]
    fn fires_when_the_plan_connects_two_segments() {
        let f = run(POLICY, Verdict::Blocked, Verdict::Allowed);
        assert_eq!(f.len(), 1, "{f:?}");
        assert!(f[0].message.contains("segment dev"), "{}", f[0].message);
        assert!(f[0].message.contains("segment prod"), "{}", f[0].message);
    }

    #[test]
    fn silent_without_segments_or_when_the_path_closes() {
        assert!(run("", Verdict::Blocked, Verdict::Allowed).is_empty());
        assert!(run(POLICY, Verdict::Allowed, Verdict::Blocked).is_empty());
    }

    #[test]
    fn fires_when_the_plan_widens_a_path_between_segments() {
        let mut b = Builder::new();
        let p = b.vpc("aws_vpc.prod", "10.0.0.0/16");
        let d = b.vpc("aws_vpc.dev", "10.1.0.0/16");
        b.subnet("aws_subnet.prod", p, "az-a", "10.0.1.0/24");
        b.subnet("aws_subnet.dev", d, "az-a", "10.1.1.0/24");
        let net = network(b.build());
        let policy = crate::rules::policy::parse(POLICY, std::path::Path::new("tfvpc.toml"))
            .expect("policy parses");
        let reach = Reachability::default();
        let shift = |before: &str, after: &str| {
            [Change {
                from: "aws_subnet.dev".to_string(),
                to: "aws_subnet.prod".to_string(),
                family: Family::Ipv4,
                before: Verdict::Allowed,
                after: Verdict::Allowed,
                ports: Some((before.to_string(), after.to_string())),
                causes: vec![],
            }]
        };
        let wider = shift("tcp:443", "tcp:22,tcp:443");
        let f = check(&Ctx::new(&net, &reach, &policy).with_changes(&wider));
        assert_eq!(f.len(), 1, "{f:?}");
        assert!(
            f[0].message
                .contains("allowed before on `tcp:443` only, now also on `tcp:22`"),
            "{}",
            f[0].message
        );
        let narrower = shift("tcp:22,tcp:443", "tcp:443");
        assert!(check(&Ctx::new(&net, &reach, &policy).with_changes(&narrower)).is_empty());
    }

    #[test]
    fn silent_within_one_segment() {
        let one = "[segments.all]\nsubnets = [\"aws_subnet.*\"]\n";
        assert!(run(one, Verdict::Blocked, Verdict::Allowed).is_empty());
    }
}
