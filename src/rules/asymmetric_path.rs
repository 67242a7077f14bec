//! TFVPC109 `asymmetric-path`: A reaches B but the reply cannot route back. Read from the
//! reachability engine's `DropKind::ReturnRoute` verdicts, and its `DropKind::Asymmetric`
//! ones: replies that take another way than the request past AWS Network Firewall.
//! Documentation: [`HELP`].

use std::collections::{BTreeMap, BTreeSet};

use crate::analysis::{DropKind, PathResult, Verdict};
use crate::model::{EndpointKind, Link, Model, SubnetId, TgwAttachmentKind};
use crate::rules::{Ctx, Finding, RuleMeta, Severity};

pub const HELP: &str = r#"## What it checks
Every pair the reachability engine finds *blocked on the way back*: the request from A
reaches B (routes, NACLs and gateways all let it through), but B's side has no route for
the reply towards A — typically the peer VPC's or the transit gateway's route table lacks the
return route. Findings are grouped by the hop where the reply is dropped.

It also reports the pairs whose replies do route back, but not past the AWS Network Firewall
endpoint the request passed: around the firewall (a NAT gateway's subnet whose local route
takes the replies straight back, a subnet behind an internet gateway's ingress route that
sends its replies straight to the gateway), or through a firewall the request did not
pass. (Two endpoints of one firewall, each route taken to its own zone's endpoint, are an
assumption: those answers are `unknown`, not reported here.) The replies of a NAT gateway in another VPC (centralized egress)
are followed back to the source too. The case of an inspection VPC's attachment without
appliance mode is TFVPC307's.

## Why it matters
Connections hang instead of failing fast: SYNs arrive, replies vanish. It is the classic
half-configured peering or TGW: one side's route tables were updated and the other's were
not, or a TGW route table associated with the far attachment has no route back.

## Example (HCL)
```hcl
# Only the requester side routes to the peer:
resource "aws_route" "a_to_b" {
  route_table_id            = aws_route_table.a.id
  destination_cidr_block    = aws_vpc.b.cidr_block
  vpc_peering_connection_id = aws_vpc_peering_connection.ab.id
}

# Add the return route on the accepter side:
resource "aws_route" "b_to_a" {
  route_table_id            = aws_route_table.b.id
  destination_cidr_block    = aws_vpc.a.cidr_block
  vpc_peering_connection_id = aws_vpc_peering_connection.ab.id
}
```

## How to fix
Add the missing route on the return side: the peer VPC's route tables for a peering, the
TGW route table associated with the destination's attachment (and that VPC's tables) for a
transit gateway, the VGW propagation or static route for a VPN, the egress VPC's public
route table (the spokes' CIDRs to the transit gateway) for centralized egress. For a
firewall, route both directions through the inspection VPC's attachment.

## AWS fact
Both directions need routes: VPC table → TGW, TGW table → attachment, and the same back;
peering requires routes in both VPCs (aws-network-semantics.md, "A connection from A to B").
AWS Network Firewall does not support asymmetric routing: request and response must be
routed to the same firewall endpoint (Network Firewall Developer Guide, "Avoiding asymmetric
routing").
"#;

pub static META: RuleMeta = RuleMeta {
    id: "TFVPC109",
    name: "asymmetric-path",
    severity: Severity::Warning,
    summary: "A reaches B but the reply cannot route back (missing return route)",
    help: HELP,
    tags: &["routing", "reachability"],
};

/// The pairs whose reply is dropped at one hop, for one reason.
pub struct Evidence<'r> {
    pub hop: String,
    pub paths: Vec<&'r PathResult>,
    /// [`DropKind::ReturnRoute`] (no route back) or [`DropKind::Asymmetric`] (the replies
    /// take another way past a stateful firewall).
    pub kind: DropKind,
}

/// The drop kinds this rule reports.
pub const KINDS: [DropKind; 2] = [DropKind::ReturnRoute, DropKind::Asymmetric];

/// Groups the engine's blocked results of one drop kind by the hop that drops.
pub fn group<'r>(ctx: &Ctx<'r>, kind: DropKind) -> Vec<(String, Vec<&'r PathResult>)> {
    let mut by_hop: BTreeMap<String, Vec<&PathResult>> = BTreeMap::new();
    for r in ctx
        .reach
        .results
        .iter()
        .filter(|r| r.verdict == Verdict::Blocked && r.drop_kind == Some(kind))
    {
        let hop = r
            .dropped_by
            .as_deref()
            .or_else(|| r.path.last().map(|h| &**h))
            .unwrap_or(&r.to)
            .to_string();
        by_hop.entry(hop).or_default().push(r);
    }
    by_hop.into_iter().collect()
}

/// `a → b (IPv4)`, for lists of pairs.
pub fn pairs_text(paths: &[&PathResult]) -> String {
    const SHOWN: usize = 5;
    let mut parts: Vec<String> = paths
        .iter()
        .take(SHOWN)
        .map(|r| format!("`{}` → `{}` ({})", r.from, r.to, r.family))
        .collect();
    if paths.len() > SHOWN {
        parts.push(format!("and {} more", paths.len() - SHOWN));
    }
    parts.join(", ")
}

pub fn find<'r>(ctx: &Ctx<'r>) -> Vec<Evidence<'r>> {
    let plumbing = plumbing_subnets(ctx.model);
    KINDS
        .into_iter()
        .flat_map(|kind| group(ctx, kind).into_iter().map(move |g| (kind, g)))
        .filter_map(|(kind, (hop, mut paths))| {
            if kind == DropKind::Asymmetric {
                paths.retain(|r| !plumbing.contains(&*r.from) && !plumbing.contains(&*r.to));
            }
            (!paths.is_empty()).then_some(Evidence { hop, paths, kind })
        })
        .collect()
}

/// Subnets that hold only network plumbing: a transit gateway attachment's, a firewall
/// (or GWLB) endpoint's or a NAT gateway's subnets without a workload. A request to one is
/// delivered there without passing the firewall whose endpoint the replies route to (or
/// the other way round); no application talks from or to them, so their one-way pairs are
/// not reported.
fn plumbing_subnets(m: &Model) -> BTreeSet<&str> {
    let mut ids: BTreeSet<SubnetId> = BTreeSet::new();
    for a in &m.tgw_attachments {
        if let TgwAttachmentKind::Vpc { subnets, .. } = &a.kind {
            ids.extend(subnets.iter().filter_map(Link::id));
        }
    }
    for ep in &m.endpoints {
        if ep.kind == EndpointKind::GatewayLoadBalancer {
            ids.extend(ep.subnets.iter().filter_map(|(_, l)| l.id()));
        }
    }
    ids.extend(m.nat_gateways.iter().filter_map(|n| n.subnet.id()));
    for w in &m.workloads {
        if let Some(s) = w.subnet.id() {
            ids.remove(&s);
        }
    }
    ids.into_iter()
        .map(|s| &*m.subnet(s).meta.address)
        .collect()
}

pub fn message(e: &Evidence<'_>) -> String {
    let reason = e
        .paths
        .first()
        .map(|r| r.reason.trim_end_matches('.'))
        .unwrap_or_default();
    if e.kind == DropKind::Asymmetric {
        return format!(
            "Requests get through but their replies take another way past the stateful \
             firewall `{}` ({reason}): {}. It sees one direction of each connection and drops \
             it. Route both directions through the same firewall endpoint.",
            e.hop,
            pairs_text(&e.paths)
        );
    }
    format!(
        "Requests get through but replies cannot route back at `{}` ({reason}): {}. \
         Connections hang after the first packet. Add the return route on that side.",
        e.hop,
        pairs_text(&e.paths)
    )
}

pub fn check(ctx: &Ctx<'_>) -> Vec<Finding> {
    find(ctx)
        .iter()
        .map(|e| {
            let mut resources = vec![e.hop.clone()];
            resources.extend(
                e.paths
                    .iter()
                    .flat_map(|r| [&r.from, &r.to])
                    .filter(|n| n.contains('.') && !n.contains(':'))
                    .map(|n| n.to_string()),
            );
            resources.dedup();
            Finding::new(&META, message(e), resources)
                .with_path(
                    e.paths
                        .first()
                        .map(|r| crate::analysis::to_strings(&r.path))
                        .unwrap_or_default(),
                )
                .with_fix(if e.kind == DropKind::Asymmetric {
                    "route the replies through the firewall endpoint the requests pass"
                } else {
                    "add the return route on the far side"
                })
        })
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::model::{Family, Model};
    use crate::rules::testkit::{network, path_result, reach};
    use crate::rules::Policy;

    fn run(kind: Option<DropKind>, verdict: Verdict) -> Vec<Finding> {
        let mut p = path_result(
            "aws_subnet.a",
            "aws_subnet.b",
            Family::Ipv4,
            verdict,
            &[
                "aws_subnet.a",
                "aws_route_table.a",
                "aws_vpc_peering_connection.ab",
                "aws_route_table.b",
            ],
        );
        p.drop_kind = kind;
        p.dropped_by = Some("aws_route_table.b".into());
        p.reason = "aws_route_table.b has no route back to 10.0.0.0/16".into();
        let r = reach(vec![p]);
        let net = network(Model::default());
        check(&Ctx::new(&net, &r, &Policy::default()))
    }

    #[test]
    fn fires_on_missing_return_route() {
        let f = run(Some(DropKind::ReturnRoute), Verdict::Blocked);
        assert_eq!(f.len(), 1);
        assert_eq!(
            f[0].resources,
            ["aws_route_table.b", "aws_subnet.a", "aws_subnet.b"]
        );
        assert_eq!(f[0].path.len(), 4);
        assert!(f[0].message.contains("no route back"));
    }

    #[test]
    fn silent_on_other_drops_and_allowed_paths() {
        assert!(run(Some(DropKind::Route), Verdict::Blocked).is_empty());
        assert!(run(None, Verdict::Allowed).is_empty());
    }
}
