//! TFVPC114 `sg-reference-not-matched`: a security group rule names a group of another VPC
//! that AWS does not match from the rule's VPC. Documentation: [`HELP`].

use crate::model::{
    Link, Model, SecurityGroup, SgRule, TgwAttachmentKind, TransitGateway, TransitGatewayId, Val,
    VpcId,
};
use crate::rules::{Ctx, Finding, RuleMeta, Severity};

pub const HELP: &str = r#"## What it checks
Every rule of every security group in the planned network that names a group of another
VPC (`security_groups`, `source_security_group_id`, `referenced_security_group_id`):
whether AWS matches that group from the rule's VPC. It does across a VPC peering between
the two VPCs within one Region, and, for inbound rules only, across a transit gateway both
VPCs are attached to, when security group referencing is on for the gateway and for both
attachments. A rule whose VPCs, peering Region or referencing settings are known only after
apply is not judged.

## Why it matters
A rule that names a group matches the network interfaces in that group, by their
addresses. Between VPCs, AWS resolves those members only where the connection between the
VPCs supports it. Teams moving from VPC peering to a transit gateway keep their group
references, and `security_group_referencing_support` is off by default on a transit
gateway: the rule stays in the plan, looks right on review, and admits nothing (or, for an
outbound rule, lets nothing out), so the connection it was written for fails after apply.

## Example (HCL)
```hcl
# Wrong: the database VPC reaches the app VPC over `hub`, which leaves referencing off
resource "aws_ec2_transit_gateway" "hub" {}

resource "aws_security_group" "db" {
  vpc_id = aws_vpc.db.id
  ingress {
    from_port       = 5432
    to_port         = 5432
    protocol        = "tcp"
    security_groups = [aws_security_group.app.id] # a group of the app VPC
  }
}

# Right: referencing on for the gateway (the attachments' default is on)
resource "aws_ec2_transit_gateway" "hub" {
  security_group_referencing_support = "enable"
}
```

## How to fix
Turn on `security_group_referencing_support` for the transit gateway (and keep it on for
both VPCs' attachments), or name the other VPC's CIDR or a prefix list instead of its
group. An outbound rule cannot name a group across a transit gateway at all: name the
destination's CIDR.

## AWS fact
Security group referencing across a transit gateway is off by default for the gateway and
on by default for a VPC attachment, and applies to inbound rules only; a VPC peering lets
rules of either direction name groups of the peer VPC, unless the peer is in another Region
(AWS Transit Gateways Guide, "Security group referencing"; Amazon VPC Peering Guide,
"Update your security groups to reference peer security groups").
"#;

pub static META: RuleMeta = RuleMeta {
    id: "TFVPC114",
    name: "sg-reference-not-matched",
    severity: Severity::Warning,
    summary:
        "A security group rule names a group of another VPC that AWS does not match from there",
    help: HELP,
    tags: &["security-group", "dead-rule", "transit-gateway"],
};

/// Why a rule naming a group of another VPC matches nothing.
pub enum Why<'m> {
    /// An outbound rule, across these gateways (AWS matches inbound rules only there).
    Outbound(Vec<&'m TransitGateway>),
    /// Referencing is off for these (a gateway or attachment addresses) on each gateway
    /// both VPCs are attached to.
    Off(Vec<String>),
    /// The VPCs are peered only across Regions, by these connections.
    CrossRegion(Vec<&'m str>),
    /// The VPCs are neither peered nor attached to one transit gateway.
    NotConnected,
}

pub struct Evidence<'m> {
    pub group: &'m SecurityGroup,
    pub rule: &'m SgRule,
    pub egress: bool,
    pub other: &'m SecurityGroup,
    pub why: Why<'m>,
}

/// The attachment of VPC `v` to gateway `t`, with its referencing setting.
fn attachment(m: &Model, v: VpcId, t: TransitGatewayId) -> Option<(&str, &Val<bool>)> {
    m.tgw_attachments.iter().find_map(|a| match &a.kind {
        TgwAttachmentKind::Vpc {
            vpc,
            sg_referencing,
            ..
        } if vpc.id() == Some(v) && a.transit_gateway.id() == Some(t) => {
            Some((a.meta.address.as_str(), sg_referencing))
        }
        _ => None,
    })
}

/// Why AWS does not match a group of VPC `theirs` in a rule of VPC `ours`; `None` where it
/// does, or may (a setting known only after apply).
fn why<'m>(m: &'m Model, ours: VpcId, theirs: VpcId, egress: bool) -> Option<Why<'m>> {
    let mut cross_region = Vec::new();
    for p in &m.peerings {
        let (r, a) = (p.requester.id(), p.accepter.id());
        if !((r == Some(ours) && a == Some(theirs)) || (r == Some(theirs) && a == Some(ours))) {
            continue;
        }
        match p.cross_region {
            Val::Known(true) => cross_region.push(p.meta.address.as_str()),
            // Within a Region, or perhaps.
            _ => return None,
        }
    }
    let mut shared = Vec::new();
    let mut off = Vec::new();
    for (i, t) in m.transit_gateways.iter().enumerate() {
        let id = TransitGatewayId(u32::try_from(i).ok()?);
        let (Some(a), Some(b)) = (attachment(m, ours, id), attachment(m, theirs, id)) else {
            continue;
        };
        shared.push(t);
        let mut unknown = false;
        let mut this_off = Vec::new();
        for (name, v) in [(t.meta.address.as_str(), &t.sg_referencing), a, b] {
            match v {
                Val::Known(true) => {}
                Val::Known(false) => this_off.push(format!("`{name}`")),
                Val::Unknown(_) => unknown = true,
            }
        }
        if !egress && !unknown && this_off.is_empty() {
            return None;
        }
        if unknown && !egress {
            return None;
        }
        off.extend(this_off);
    }
    Some(match (shared.is_empty(), egress) {
        (true, _) if !cross_region.is_empty() => Why::CrossRegion(cross_region),
        (true, _) => Why::NotConnected,
        (false, true) => Why::Outbound(shared),
        (false, false) => Why::Off(off),
    })
}

pub fn find<'m>(ctx: &Ctx<'m>) -> Vec<Evidence<'m>> {
    let m = ctx.model;
    let mut out = Vec::new();
    for group in &m.security_groups {
        let Some(ours) = group.vpc.id() else {
            continue;
        };
        for (egress, rules) in [(false, &group.ingress), (true, &group.egress)] {
            for rule in rules {
                let crate::model::SgPeer::Group(Link::To(g, _)) = &rule.peer else {
                    continue;
                };
                let other = m.security_group(*g);
                let Some(theirs) = other.vpc.id().filter(|v| *v != ours) else {
                    continue;
                };
                if let Some(why) = why(m, ours, theirs, egress) {
                    out.push(Evidence {
                        group,
                        rule,
                        egress,
                        other,
                        why,
                    });
                }
            }
        }
    }
    out
}

pub fn message(m: &Model, e: &Evidence<'_>) -> String {
    let vpc_of = |g: &SecurityGroup| {
        g.vpc
            .id()
            .map_or_else(String::new, |v| m.vpc(v).meta.address.clone())
    };
    let because = match &e.why {
        Why::Outbound(ts) => format!(
            "the VPCs meet only across {}, where AWS matches groups of another VPC in inbound rules only",
            ts.iter()
                .map(|t| format!("transit gateway `{}`", t.meta.address))
                .collect::<Vec<_>>()
                .join(" and ")
        ),
        Why::Off(names) => format!(
            "the VPCs meet only across a transit gateway, and security group referencing is off for {} (`security_group_referencing_support`; AWS's default is `disable` for a transit gateway)",
            names.join(" and ")
        ),
        Why::CrossRegion(ps) => format!(
            "the VPCs are peered only across Regions ({}), and AWS lets no rule name a group of a peer VPC in another Region",
            ps.iter()
                .map(|p| format!("`{p}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Why::NotConnected => {
            "the two VPCs are neither peered nor attached to one transit gateway".to_string()
        }
    };
    format!(
        "`{}` ({} rule of `{}`, in `{}`) names `{}`, a group of `{}`, but {because}: the rule \
         matches nothing, so it {} nothing. Name the other VPC's CIDR or a prefix list, or \
         connect the VPCs so that AWS matches the group.",
        e.rule.address,
        if e.egress {
            "an outbound"
        } else {
            "an inbound"
        },
        e.group.meta.address,
        vpc_of(e.group),
        e.other.meta.address,
        vpc_of(e.other),
        if e.egress { "lets out" } else { "admits" },
    )
}

pub fn check(ctx: &Ctx<'_>) -> Vec<Finding> {
    find(ctx)
        .iter()
        .map(|e| {
            let mut resources = vec![e.rule.address.clone()];
            if e.group.meta.address != e.rule.address {
                resources.push(e.group.meta.address.clone());
            }
            resources.push(e.other.meta.address.clone());
            let fix = match &e.why {
                Why::Off(names) => format!(
                    "set security_group_referencing_support = \"enable\" on {}",
                    names.join(" and ")
                ),
                Why::Outbound(_) => "name the destination's CIDR instead of its group".to_string(),
                Why::CrossRegion(_) | Why::NotConnected => {
                    "name the other VPC's CIDR or a prefix list".to_string()
                }
            };
            Finding::new(&META, message(ctx.model, e), resources).with_fix(fix)
        })
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::analysis::testkit::Net;
    use crate::model::{LinkHow, Protocol, SgPeer};
    use crate::rules::Policy;

    /// `app` (VPC a) and `db` (VPC b), joined by `how`: db admits 5432 from app's group,
    /// or (`egress`) app lets 5432 out to db's group.
    fn run(how: &str, egress: bool) -> Vec<Finding> {
        let mut n = Net::new();
        let a = n.vpc("a", "10.1.0.0/16");
        let b = n.vpc("b", "10.2.0.0/16");
        let sa = n.subnet("a", a, "10.1.1.0/24", "us-east-1a");
        let sb = n.subnet("b", b, "10.2.1.0/24", "us-east-1a");
        match how {
            "peering" => {
                n.peering("ab", a, b, true);
            }
            "peering-cross-region" => {
                let p = n.peering("ab", a, b, true);
                n.cross_region(p);
            }
            "tgw-off" | "tgw-on" => {
                let t = n.tgw("hub");
                if how == "tgw-on" {
                    n.tgw_sg_referencing(t);
                }
                n.tgw_attach("a", t, a, &[sa], true);
                n.tgw_attach("b", t, b, &[sb], true);
            }
            _ => {}
        }
        let app = n.sg("app", a, true);
        let db = n.sg("db", b, true);
        let (owner, named) = if egress { (app, db) } else { (db, app) };
        n.sg_rule(
            owner,
            egress,
            Protocol::Tcp,
            (5432, 5432),
            SgPeer::Group(Link::To(named, LinkHow::Reference)),
        );
        let net = crate::rules::testkit::network(n.model());
        let reach = crate::analysis::Reachability::default();
        let policy = Policy::default();
        check(&Ctx::new(&net, &reach, &policy))
    }

    #[test]
    fn fires_where_aws_does_not_match_the_group() {
        let f = run("tgw-off", false);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].resources[0], "aws_security_group.db ingress[0]");
        assert_eq!(
            f[0].fix.as_deref(),
            Some(
                "set security_group_referencing_support = \"enable\" on `aws_ec2_transit_gateway.hub`"
            )
        );
        assert!(
            f[0].message
                .contains("security group referencing is off for `aws_ec2_transit_gateway.hub`"),
            "{}",
            f[0].message
        );
        let f = run("tgw-on", true);
        assert_eq!(f.len(), 1);
        assert!(
            f[0].message.contains("in inbound rules only"),
            "{}",
            f[0].message
        );
        let f = run("peering-cross-region", false);
        assert_eq!(f.len(), 1);
        assert!(
            f[0].message
                .contains("peered only across Regions (`aws_vpc_peering_connection.ab`)"),
            "{}",
            f[0].message
        );
        let f = run("none", false);
        assert_eq!(f.len(), 1);
        assert!(
            f[0].message.contains("neither peered nor attached"),
            "{}",
            f[0].message
        );
    }

    #[test]
    fn silent_across_a_peering_or_a_gateway_with_referencing_on() {
        assert!(run("peering", false).is_empty());
        assert!(run("peering", true).is_empty());
        assert!(run("tgw-on", false).is_empty());
    }
}
