//! TFVPC109 `asymmetric-path`: A reaches B but the reply cannot route back. Read from the
//! reachability engine's `DropKind::ReturnRoute` verdicts, and its `DropKind::Asymmetric`
//! ones: replies that take another way than the request past AWS Network Firewall.
//! Documentation: [`HELP`].

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use crate::analysis::{DropGroup, DropKind, Name, PathResult, Tallies, Tally, Verdict};
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
    /// The first [`SHOWN`] of them.
    pub paths: Vec<&'r PathResult>,
    /// How many in all.
    pub count: usize,
    /// Their ends that are resources, each once.
    pub ends: Vec<String>,
    /// [`DropKind::ReturnRoute`] (no route back) or [`DropKind::Asymmetric`] (the replies
    /// take another way past a stateful firewall).
    pub kind: DropKind,
}

/// The drop kinds this rule reports.
pub const KINDS: [DropKind; 2] = [DropKind::ReturnRoute, DropKind::Asymmetric];

/// How many pairs of a group a finding names; the others it counts.
pub const SHOWN: usize = 5;

/// Counts `blocked` answers of some drop kinds into groups by the hop that drops them, as
/// they come: the answers of TFVPC109 and TFVPC110 findings. The pairs of plumbing
/// subnets past a firewall (`plumbing_subnets`) are left out of [`DropKind::Asymmetric`].
pub struct Tallier<'m> {
    kinds: Vec<DropKind>,
    plumbing: BTreeSet<&'m str>,
    tallies: Tallies,
    seen: HashMap<DropGroup, HashSet<Name>>,
}

impl<'m> Tallier<'m> {
    pub fn new(m: &'m Model, kinds: Vec<DropKind>) -> Tallier<'m> {
        let plumbing = if kinds.contains(&DropKind::Asymmetric) {
            plumbing_subnets(m)
        } else {
            BTreeSet::new()
        };
        Tallier {
            kinds,
            plumbing,
            tallies: Tallies::new(),
            seen: HashMap::new(),
        }
    }

    /// The group of `r`, if it has one.
    fn group_of(&self, r: &PathResult) -> Option<DropGroup> {
        let kind = r.drop_kind.filter(|k| self.kinds.contains(k))?;
        if r.verdict != Verdict::Blocked
            || (kind == DropKind::Asymmetric
                && (self.plumbing.contains(&*r.from) || self.plumbing.contains(&*r.to)))
        {
            return None;
        }
        let hop = r
            .dropped_by
            .as_ref()
            .or_else(|| r.path.last())
            .unwrap_or(&r.to)
            .clone();
        Some((kind, hop))
    }

    /// Counts `r` in its group, if it has one: the group, and how many it has counted
    /// there (`r` included).
    pub fn add(&mut self, r: &PathResult) -> Option<(DropGroup, usize)> {
        let g = self.group_of(r)?;
        let t = self.tallies.entry(g.clone()).or_default();
        t.count += 1;
        let seen = self.seen.entry(g.clone()).or_default();
        for end in [&r.from, &r.to] {
            if end.contains('.') && !end.contains(':') && seen.insert(end.clone()) {
                t.ends.push(end.clone());
            }
        }
        let n = t.count;
        Some((g, n))
    }

    /// What it has counted; it starts again from nothing.
    pub fn finish(&mut self) -> Tallies {
        self.seen.clear();
        std::mem::take(&mut self.tallies)
    }
}

/// The groups of one drop kind, in hop order, each with its first [`SHOWN`] answers, how
/// many it has and their ends. A streamed reachability holds only the first answers of
/// each group and counted the rest ([`crate::analysis::Streamed::tallies`]).
pub fn group<'r>(ctx: &Ctx<'r>, kind: DropKind) -> Vec<(DropGroup, Vec<&'r PathResult>, Tally)> {
    let mut tallier = Tallier::new(ctx.model, vec![kind]);
    let mut shown: BTreeMap<DropGroup, Vec<&PathResult>> = BTreeMap::new();
    for r in &ctx.reach.results {
        if let Some((g, _)) = tallier.add(r) {
            let list = shown.entry(g).or_default();
            if list.len() < SHOWN {
                list.push(r);
            }
        }
    }
    let here = tallier.finish();
    let counted = ctx.reach.streamed.as_ref().map(|s| &s.tallies);
    shown
        .into_iter()
        .map(|(g, paths)| {
            let t = counted
                .and_then(|c| c.get(&g))
                .or_else(|| here.get(&g))
                .cloned()
                .unwrap_or_default();
            (g, paths, t)
        })
        .collect()
}

/// `a → b (IPv4)`, for lists of pairs: those given, and how many more of `count` there are.
pub fn pairs_text(paths: &[&PathResult], count: usize) -> String {
    let mut parts: Vec<String> = paths
        .iter()
        .take(SHOWN)
        .map(|r| format!("`{}` → `{}` ({})", r.from, r.to, r.family))
        .collect();
    let named = parts.len();
    if count > named {
        parts.push(format!("and {} more", count - named));
    }
    parts.join(", ")
}

pub fn find<'r>(ctx: &Ctx<'r>) -> Vec<Evidence<'r>> {
    KINDS
        .into_iter()
        .flat_map(|kind| {
            group(ctx, kind)
                .into_iter()
                .map(move |((_, hop), paths, t)| Evidence {
                    hop: hop.to_string(),
                    paths,
                    count: t.count,
                    ends: crate::analysis::to_strings(&t.ends),
                    kind,
                })
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
            pairs_text(&e.paths, e.count)
        );
    }
    format!(
        "Requests get through but replies cannot route back at `{}` ({reason}): {}. \
         Connections hang after the first packet. Add the return route on that side.",
        e.hop,
        pairs_text(&e.paths, e.count)
    )
}

pub fn check(ctx: &Ctx<'_>) -> Vec<Finding> {
    find(ctx)
        .iter()
        .map(|e| {
            let mut resources = vec![e.hop.clone()];
            resources.extend(e.ends.iter().cloned());
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

    /// Seven pairs dropped at one table, over four subnets: one finding naming five pairs
    /// and counting two, each subnet once among its resources. Streamed, with only the
    /// first five pairs held and the rest counted, it is the same finding.
    #[test]
    fn names_each_subnet_once_and_counts_the_pairs_it_does_not_show() {
        let pairs = [
            ("a", "b"),
            ("a", "c"),
            ("a", "d"),
            ("b", "c"),
            ("b", "d"),
            ("c", "d"),
            ("d", "a"),
        ];
        let results: Vec<PathResult> = pairs
            .iter()
            .map(|(f, t)| {
                let (f, t) = (format!("aws_subnet.{f}"), format!("aws_subnet.{t}"));
                let mut p = path_result(&f, &t, Family::Ipv4, Verdict::Blocked, &[&f, "x"]);
                p.drop_kind = Some(DropKind::ReturnRoute);
                p.dropped_by = Some("aws_route_table.b".into());
                p
            })
            .collect();
        let net = network(Model::default());
        let all = reach(results.clone());
        let f = check(&Ctx::new(&net, &all, &Policy::default()));
        assert_eq!(f.len(), 1);
        assert_eq!(
            f[0].resources,
            [
                "aws_route_table.b",
                "aws_subnet.a",
                "aws_subnet.b",
                "aws_subnet.c",
                "aws_subnet.d"
            ]
        );
        assert!(f[0]
            .message
            .contains("`aws_subnet.b` → `aws_subnet.d` (ipv4), and 2 more."));

        let mut tallier = Tallier::new(&net.after, KINDS.to_vec());
        let mut held = reach(Vec::new());
        for r in &all.results {
            if tallier.add(r).is_some_and(|(_, n)| n <= SHOWN) {
                held.results.push(r.clone());
            }
        }
        assert_eq!(held.results.len(), SHOWN);
        held.streamed = Some(crate::analysis::Streamed {
            allowed_pairs: 0,
            tallies: tallier.finish(),
        });
        assert_eq!(check(&Ctx::new(&net, &held, &Policy::default())), f);
    }

    #[test]
    fn silent_on_other_drops_and_allowed_paths() {
        assert!(run(Some(DropKind::Route), Verdict::Blocked).is_empty());
        assert!(run(None, Verdict::Allowed).is_empty());
    }
}
