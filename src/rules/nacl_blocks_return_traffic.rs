//! TFVPC110 `nacl-blocks-return-traffic`: a NACL allows a request but blocks its reply.
//! Read from the reachability engine's `DropKind::NaclReturn` verdicts. Documentation: [`HELP`].

use crate::analysis::{DropKind, PathResult};
use crate::rules::asymmetric_path::{group, pairs_text};
use crate::rules::{Ctx, Finding, RuleMeta, Severity};

pub const HELP: &str = r#"## What it checks
Every pair the reachability engine finds blocked *on the reply*: the request passes every
NACL, but a NACL on the way back — the destination subnet's outbound rules or the source
subnet's inbound rules — denies the reply, usually because no rule allows the ephemeral
ports (1024–65535). Findings are grouped by the NACL (or NACL rule) that drops the reply.
A request that passes only on ports 1024–65535 is not one: it gets out through the rule a
server's NACL has for its own replies (inbound 443, outbound 1024–65535), and nobody meant
it as a request, so the path is blocked without a finding.

## Why it matters
Network ACLs are stateless: unlike security groups they do not remember the request, so a
reply is just another packet that must match an allow rule. Connections time out even though
every "allow 443" rule looks right.

## Example (HCL)
```hcl
# Wrong: HTTPS comes in, but the replies (to the clients' ephemeral ports) cannot leave
resource "aws_network_acl" "app" {
  vpc_id     = aws_vpc.main.id
  subnet_ids = [aws_subnet.app.id]
  ingress {
    rule_no    = 100
    protocol   = "tcp"
    action     = "allow"
    cidr_block = "10.0.0.0/16"
    from_port  = 443
    to_port    = 443
  }
  egress {
    rule_no    = 100
    protocol   = "tcp"
    action     = "allow"
    cidr_block = "10.0.0.0/16"
    from_port  = 443
    to_port    = 443
  }
}

# Right: the replies leave on the ephemeral ports
  egress {
    rule_no    = 100
    protocol   = "tcp"
    action     = "allow"
    cidr_block = "10.0.0.0/16"
    from_port  = 1024
    to_port    = 65535
  }
```

## How to fix
Allow the reply direction explicitly: TCP/UDP 1024–65535 outbound from the server's subnet
to the clients, and inbound to the client's subnet from the servers (and from `0.0.0.0/0`
for replies from the internet).

## AWS fact
NACLs are stateless; "replies must be allowed explicitly (ephemeral ports 1024–65535 for
TCP/UDP)" (aws-network-semantics.md, "Filters").
"#;

pub static META: RuleMeta = RuleMeta {
    id: "TFVPC110",
    name: "nacl-blocks-return-traffic",
    severity: Severity::Warning,
    summary: "A NACL allows a request but blocks its reply (e.g. no ephemeral-port rule)",
    help: HELP,
    tags: &["nacl", "reachability"],
};

pub struct Evidence<'r> {
    pub nacl: String,
    /// The first few pairs whose replies it drops.
    pub paths: Vec<&'r PathResult>,
    /// How many in all.
    pub count: usize,
}

pub fn find<'r>(ctx: &Ctx<'r>) -> Vec<Evidence<'r>> {
    group(ctx, DropKind::NaclReturn)
        .into_iter()
        .map(|((_, nacl), paths, t)| Evidence {
            nacl: nacl.to_string(),
            paths,
            count: t.count,
        })
        .collect()
}

pub fn message(e: &Evidence<'_>) -> String {
    let reason = e
        .paths
        .first()
        .map(|r| r.reason.trim_end_matches('.'))
        .unwrap_or_default();
    format!(
        "`{}` lets requests through but drops their replies ({reason}): {}. NACLs are \
         stateless, so these connections time out. Allow the reply direction, e.g. TCP \
         1024-65535 (ephemeral ports).",
        e.nacl,
        pairs_text(&e.paths, e.count)
    )
}

pub fn check(ctx: &Ctx<'_>) -> Vec<Finding> {
    find(ctx)
        .iter()
        .map(|e| {
            Finding::new(&META, message(e), vec![e.nacl.clone()])
                .with_path(
                    e.paths
                        .first()
                        .map(|r| crate::analysis::to_strings(&r.path))
                        .unwrap_or_default(),
                )
                .with_fix("add an allow rule for ephemeral ports in the reply direction")
        })
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::analysis::Verdict;
    use crate::model::{Family, Model};
    use crate::rules::testkit::{network, path_result, reach};
    use crate::rules::Policy;

    fn run(kind: DropKind) -> Vec<Finding> {
        let results = ["aws_subnet.a", "aws_subnet.b"]
            .iter()
            .map(|from| {
                let mut p = path_result(
                    from,
                    "internet",
                    Family::Ipv4,
                    Verdict::Blocked,
                    &[from, "aws_network_acl.app"],
                );
                p.drop_kind = Some(kind);
                p.dropped_by = Some("aws_network_acl.app".into());
                p.reason = "aws_network_acl.app denies inbound tcp 1024-65535".into();
                p
            })
            .collect();
        let net = network(Model::default());
        let r = reach(results);
        check(&Ctx::new(&net, &r, &Policy::default()))
    }

    #[test]
    fn fires_once_per_nacl_listing_the_pairs() {
        let f = run(DropKind::NaclReturn);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].resources, ["aws_network_acl.app"]);
        assert!(f[0]
            .message
            .contains("`aws_subnet.a` → `internet` (ipv4), `aws_subnet.b`"));
    }

    #[test]
    fn silent_when_the_nacl_drops_the_request_itself() {
        assert!(run(DropKind::Nacl).is_empty());
    }
}
