//! TFVPC113 `nacl-rule-shadowed`: a network ACL rule never applies, because a rule with a
//! lower number matches all of its traffic with the opposite action. Documentation:
//! [`HELP`].

use crate::model::{AnyBlock, Block, IcmpMatch, Nacl, NaclRule, PortRange, Protocol};
use crate::rules::{Ctx, Finding, RuleMeta, Severity};

pub const HELP: &str = r#"## What it checks
Every rule of every network ACL in the planned network, inbound and outbound: whether a
rule with a lower number covers all the traffic it matches — the same family, a CIDR that
contains its CIDR, its protocol (or all), its ports or ICMP type and code — with the
opposite action. Rules whose CIDR is known only after apply are not compared.

## Why it matters
A network ACL applies the lowest-numbered rule that matches and stops there. A `deny` for
an attacker's range numbered after an `allow` for `0.0.0.0/0` never blocks anything; an
`allow` for a partner numbered after a broad `deny` never lets anything in. The plan
applies cleanly and the rule looks right on review, which is why it is worth a finding.
AWS's own default network ACL allows everything at rule 100, so a `deny` added to it with a
higher number is dead too.

## Example (HCL)
```hcl
# Wrong: rule 100 allows everything first; the deny never applies
resource "aws_network_acl_rule" "block_scanner" {
  network_acl_id = aws_network_acl.public.id
  rule_number    = 200
  egress         = false
  protocol       = "-1"
  rule_action    = "deny"
  cidr_block     = "198.51.100.0/24"
}

# Right: a number below the allow
resource "aws_network_acl_rule" "block_scanner" {
  network_acl_id = aws_network_acl.public.id
  rule_number    = 90
  egress         = false
  protocol       = "-1"
  rule_action    = "deny"
  cidr_block     = "198.51.100.0/24"
}
```

## How to fix
Number the rule below the one that shadows it, or narrow the earlier rule; if the rule is
not wanted, delete it.

## AWS fact
Network ACL rules are evaluated in order, lowest number first; the first rule that
matches decides, and the rest are not evaluated (aws-network-semantics.md, "Filters").
"#;

pub static META: RuleMeta = RuleMeta {
    id: "TFVPC113",
    name: "nacl-rule-shadowed",
    severity: Severity::Warning,
    summary: "A network ACL rule never applies: a lower-numbered rule matches all its traffic with the opposite action",
    help: HELP,
    tags: &["nacl", "dead-rule"],
};

pub struct Evidence<'m> {
    pub nacl: &'m Nacl,
    pub egress: bool,
    pub rule: &'m NaclRule,
    pub by: &'m NaclRule,
}

fn ports_cover(outer: PortRange, inner: PortRange) -> bool {
    outer.from <= inner.from && inner.to <= outer.to
}

fn icmp_covers(outer: IcmpMatch, inner: IcmpMatch) -> bool {
    let field = |o: Option<u8>, i: Option<u8>| o.is_none() || o == i;
    field(outer.icmp_type, inner.icmp_type)
        && (outer.icmp_type.is_none() || field(outer.icmp_code, inner.icmp_code))
}

/// Whether every packet `inner` matches, `outer` matches too.
fn covers(outer: &NaclRule, inner: &NaclRule) -> bool {
    let cidr = match (&outer.cidr, &inner.cidr) {
        (AnyBlock::V4(Block::Known(o)), AnyBlock::V4(Block::Known(i))) => o.contains(i),
        (AnyBlock::V6(Block::Known(o)), AnyBlock::V6(Block::Known(i))) => o.contains(i),
        _ => false,
    };
    cidr && match (outer.protocol, inner.protocol) {
        (Protocol::All, _) => true,
        (_, Protocol::All) => false,
        (Protocol::Tcp, Protocol::Tcp) | (Protocol::Udp, Protocol::Udp) => {
            ports_cover(outer.ports, inner.ports)
        }
        (Protocol::Icmp, Protocol::Icmp) | (Protocol::Icmpv6, Protocol::Icmpv6) => {
            icmp_covers(outer.icmp, inner.icmp)
        }
        (Protocol::Number(a), Protocol::Number(b)) => a == b,
        _ => false,
    }
}

pub fn find<'m>(ctx: &Ctx<'m>) -> Vec<Evidence<'m>> {
    let mut out = Vec::new();
    for nacl in &ctx.model.nacls {
        for (egress, rules) in [(false, &nacl.ingress), (true, &nacl.egress)] {
            for (i, rule) in rules.iter().enumerate() {
                // A rule whose match, action or number is known only after apply neither
                // shadows nor is shadowed for sure.
                if rule.unknown.is_some() {
                    continue;
                }
                let by = rules.iter().take(i).find(|e| {
                    e.unknown.is_none()
                        && e.rule_number < rule.rule_number
                        && e.allow != rule.allow
                        && covers(e, rule)
                });
                if let Some(by) = by {
                    out.push(Evidence {
                        nacl,
                        egress,
                        rule,
                        by,
                    });
                }
            }
        }
    }
    out
}

/// "deny TCP 22 from 198.51.100.0/24", as the rule says it.
fn describe(r: &NaclRule, egress: bool) -> String {
    let what = match r.protocol {
        Protocol::All => "all traffic".to_string(),
        Protocol::Tcp | Protocol::Udp => {
            let p = if r.protocol == Protocol::Tcp {
                "TCP"
            } else {
                "UDP"
            };
            if r.ports == PortRange::ALL {
                format!("{p} on every port")
            } else if r.ports.from == r.ports.to {
                format!("{p} {}", r.ports.from)
            } else {
                format!("{p} {}-{}", r.ports.from, r.ports.to)
            }
        }
        Protocol::Icmp | Protocol::Icmpv6 => {
            let p = if r.protocol == Protocol::Icmp {
                "ICMP"
            } else {
                "ICMPv6"
            };
            match r.icmp.icmp_type {
                Some(t) => format!("{p} type {t}"),
                None => p.to_string(),
            }
        }
        Protocol::Number(n) => format!("IP protocol {n}"),
    };
    let cidr = match &r.cidr {
        AnyBlock::V4(Block::Known(n)) => n.to_string(),
        AnyBlock::V6(Block::Known(n)) => n.to_string(),
        _ => "a CIDR known only after apply".to_string(),
    };
    format!(
        "{} {what} {} {cidr}",
        if r.allow { "allow" } else { "deny" },
        if egress { "to" } else { "from" }
    )
}

pub fn message(e: &Evidence<'_>) -> String {
    format!(
        "`{}` ({} rule {}: {}) never applies: `{}` (rule {}: {}) matches all of its traffic \
         first, and a network ACL stops at the lowest-numbered rule that matches. Give it a \
         number below {}, or narrow the earlier rule.",
        e.rule.address,
        if e.egress { "outbound" } else { "inbound" },
        e.rule.rule_number,
        describe(e.rule, e.egress),
        e.by.address,
        e.by.rule_number,
        describe(e.by, e.egress),
        e.by.rule_number,
    )
}

pub fn check(ctx: &Ctx<'_>) -> Vec<Finding> {
    find(ctx)
        .iter()
        .map(|e| {
            let mut resources = vec![e.rule.address.clone()];
            if e.by.address != e.rule.address {
                resources.push(e.by.address.clone());
            }
            if !resources.contains(&e.nacl.meta.address) {
                resources.push(e.nacl.meta.address.clone());
            }
            Finding::new(&META, message(e), resources)
                .with_fix("number the rule below the one that shadows it")
        })
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::model::Action;
    use crate::rules::Ctx;

    fn rule(n: u32, allow: bool, protocol: Protocol, ports: (u16, u16), cidr: &str) -> NaclRule {
        NaclRule {
            address: format!("aws_network_acl_rule.r{n}"),
            action: Action::Create,
            rule_number: n,
            allow,
            protocol,
            ports: PortRange {
                from: ports.0,
                to: ports.1,
            },
            icmp: IcmpMatch::default(),
            cidr: match cidr.parse::<ipnet::IpNet>().unwrap() {
                ipnet::IpNet::V4(n) => AnyBlock::V4(Block::Known(n)),
                ipnet::IpNet::V6(n) => AnyBlock::V6(Block::Known(n)),
            },
            unknown: None,
        }
    }

    #[test]
    fn a_rule_covers_another_only_for_all_of_its_traffic() {
        let all = rule(100, true, Protocol::All, (0, 0), "0.0.0.0/0");
        let deny_ssh = rule(200, false, Protocol::Tcp, (22, 22), "198.51.100.0/24");
        assert!(covers(&all, &deny_ssh));
        // A narrower CIDR, port range or protocol does not cover it.
        assert!(!covers(
            &rule(100, true, Protocol::All, (0, 0), "198.51.100.0/25"),
            &deny_ssh
        ));
        assert!(!covers(
            &rule(100, true, Protocol::Tcp, (80, 443), "0.0.0.0/0"),
            &deny_ssh
        ));
        assert!(covers(
            &rule(100, true, Protocol::Tcp, (0, 1023), "0.0.0.0/0"),
            &deny_ssh
        ));
        assert!(!covers(
            &rule(100, true, Protocol::Udp, (0, 65535), "0.0.0.0/0"),
            &deny_ssh
        ));
        // Nor does the other family.
        assert!(!covers(
            &rule(100, true, Protocol::All, (0, 0), "::/0"),
            &deny_ssh
        ));
        // A rule for one protocol never covers all traffic.
        assert!(!covers(
            &rule(100, true, Protocol::Tcp, (0, 65535), "0.0.0.0/0"),
            &rule(200, false, Protocol::All, (0, 0), "198.51.100.0/24")
        ));
        // ICMP: any type covers one type; one type covers only itself.
        let mut echo = rule(200, false, Protocol::Icmp, (0, 0), "0.0.0.0/0");
        echo.icmp.icmp_type = Some(8);
        assert!(covers(
            &rule(100, true, Protocol::Icmp, (0, 0), "0.0.0.0/0"),
            &echo
        ));
        let mut reply = rule(100, true, Protocol::Icmp, (0, 0), "0.0.0.0/0");
        reply.icmp.icmp_type = Some(0);
        assert!(!covers(&reply, &echo));
    }

    /// A deny added to a VPC's default network ACL, which AWS made with an allow-all rule
    /// 100; and the same deny numbered below it.
    #[test]
    fn a_deny_after_the_default_allow_all_rule_is_a_finding() {
        let run = |number: u32| {
            let mut n = crate::analysis::testkit::Net::new();
            let v = n.vpc("main", "10.0.0.0/16");
            let default = n.default_nacl(v);
            n.nacl_rule(
                default,
                false,
                number,
                false,
                Protocol::All,
                (0, 0),
                "198.51.100.0/24",
            );
            let net = crate::rules::testkit::network(n.model());
            check(&Ctx::new(
                &net,
                &crate::analysis::Reachability::default(),
                &crate::rules::Policy::default(),
            ))
        };
        let f = run(200);
        assert_eq!(f.len(), 1, "{f:?}");
        assert!(
            f[0].resources[0].ends_with("_ingress_200"),
            "{:?}",
            f[0].resources
        );
        assert!(
            f[0].message
                .contains("rule 100: allow all traffic from 0.0.0.0/0"),
            "{}",
            f[0].message
        );
        assert!(run(90).is_empty());
    }

    /// A rule whose ports, action or number is known only after apply neither shadows a
    /// later rule nor is shadowed by an earlier one for sure.
    #[test]
    fn a_rule_known_only_after_apply_shadows_nothing_and_is_not_shadowed() {
        let run = |unknown_at: Option<u32>| {
            let mut n = crate::analysis::testkit::Net::new();
            let v = n.vpc("main", "10.0.0.0/16");
            let nacl = n.nacl("guard", v, &[]);
            n.nacl_rule(nacl, false, 100, false, Protocol::All, (0, 0), "0.0.0.0/0");
            n.nacl_rule(
                nacl,
                false,
                200,
                true,
                Protocol::Tcp,
                (443, 443),
                "198.51.100.0/24",
            );
            let mut m = n.model();
            for r in &mut m.nacls[nacl.index()].ingress {
                if Some(r.rule_number) == unknown_at {
                    r.unknown = Some("`x.from_port` is known only after apply".to_string());
                }
            }
            let net = crate::rules::testkit::network(m);
            check(&Ctx::new(
                &net,
                &crate::analysis::Reachability::default(),
                &crate::rules::Policy::default(),
            ))
            .len()
        };
        assert_eq!(run(None), 1);
        assert_eq!(run(Some(100)), 0);
        assert_eq!(run(Some(200)), 0);
    }

    #[test]
    fn describes_the_rule_as_written() {
        assert_eq!(
            describe(
                &rule(200, false, Protocol::Tcp, (22, 22), "198.51.100.0/24"),
                false
            ),
            "deny TCP 22 from 198.51.100.0/24"
        );
        assert_eq!(
            describe(&rule(100, true, Protocol::All, (0, 0), "0.0.0.0/0"), true),
            "allow all traffic to 0.0.0.0/0"
        );
    }
}
