//! TFVPC203 `admin-ports-open-to-internet`: a security group admits SSH (22) or RDP (3389)
//! from `0.0.0.0/0` or `::/0` for a workload the internet can reach. Documentation: [`HELP`].

use std::collections::BTreeMap;

use crate::analysis::{self, Query, QueryProtocol, Verdict};
use crate::model::{
    Family, Link, Model, PortRange, Protocol, SecurityGroupId, Subnet, Workload, WorkloadKind,
};
use crate::rules::helpers::{
    outside_group_open_to_world, path, ports_include_tcp, rule_maybe_open_to_world,
    rule_open_to_world, sg_open_to_world,
};
use crate::rules::{Ctx, Finding, RuleMeta, Severity};

pub const HELP: &str = r#"## What it checks
Every security group rule that admits TCP 22 (SSH) or 3389 (RDP) — or all traffic — from
`0.0.0.0/0` or `::/0`, on a group that guards a workload whose subnet the internet can reach
over that family: the reachability engine finds `internet → subnet` allowed and the subnet's
NACLs let the port through. Workloads are instances, network interfaces, and what Auto
Scaling groups, EKS node groups, ECS services, Lambda functions, RDS and ElastiCache launch
in each of their subnets, and load balancers. A load balancer takes connections on its
listeners' ports only, so its group's rule counts when a listener takes the port; an
internal one is not reached from the internet; a Network Load Balancer without security
groups takes whatever its listeners take, so an SSH or RDP listener on one the internet
reaches is the finding itself. A workload behind a Network Load Balancer that forwards SSH
or RDP to it keeping the client's address (`preserve_client_ip`, AWS's default for instance
targets) sees the internet itself, wherever its subnet is: a world-open rule of its groups
counts when `tfvpc query --from internet --to WORKLOAD` on the port answers through the load
balancer. One that never gets a public IPv4 address
(`associate_public_ip_address = false`, `publicly_accessible = false`,
`assign_public_ip = false`, Lambda, ElastiCache) is not reached over IPv4; one without an
IPv6 address (none asked for, in a subnet that does not assign them on creation) is not
reached over IPv6. The group EKS
makes for a node group's `remote_access` without `source_security_group_ids` admits SSH
from `0.0.0.0/0`, so it counts too: give it source groups. When that
reachability is `unknown` (whether the instance gets a public IPv4 is decided at launch, or
its VPC is outside the plan) the finding is a warning and says why. So is one for a workload
whose subnet the plan does not show (given by an ID, as application stacks do), and for an
instance that names no subnet, which EC2 launches in a default subnet of the default VPC:
what matters there is the world-open rule and the public address. A rule resource that
opens SSH or RDP to the world on a group the plan does not hold (named by ID) is a warning
too: what that group guards is not in the plan, and the message names the plan's own
workloads that list it. A world-open rule whose ports are known only after apply (`from_port
= aws_db_instance.db.port` on a database that sets no port) may or may not admit SSH or RDP:
one warning says so and names where the ports come from. NAT instances are left to
TFVPC204.

## Why it matters
Internet-wide scanners find an open SSH or RDP port within minutes; credential stuffing and
exploits of the daemon follow. A bastion host with a world-open port is the classic entry
point of a breach, and it is no longer needed.

## Example (HCL)
```hcl
# Wrong
resource "aws_security_group_rule" "ssh" {
  type              = "ingress"
  security_group_id = aws_security_group.app.id
  protocol          = "tcp"
  from_port         = 22
  to_port           = 22
  cidr_blocks       = ["0.0.0.0/0"]
}

# Right: an EC2 Instance Connect Endpoint in a private subnet; admit SSH only from it
resource "aws_ec2_instance_connect_endpoint" "this" {
  subnet_id          = aws_subnet.private[0].id
  security_group_ids = [aws_security_group.eice.id]
}
resource "aws_security_group_rule" "ssh_from_eice" {
  type                     = "ingress"
  security_group_id        = aws_security_group.app.id
  protocol                 = "tcp"
  from_port                = 22
  to_port                  = 22
  source_security_group_id = aws_security_group.eice.id
}
```

## How to fix
Remove the world-open rule. Reach instances through an EC2 Instance Connect Endpoint (an
identity-aware, IAM-authorized TCP proxy: no public IP, no bastion), or Session Manager; if a
public port is unavoidable, restrict it to known CIDRs.

## AWS fact
EC2 Instance Connect Endpoint lets you connect to instances over SSH or RDP without public
IPv4 addresses or a bastion host (seed 004; aws-network-semantics.md, "Gateways and
endpoints").
"#;

pub static META: RuleMeta = RuleMeta {
    id: "TFVPC203",
    name: "admin-ports-open-to-internet",
    severity: Severity::Error,
    summary: "A security group (or a load balancer without one) admits SSH or RDP from 0.0.0.0/0 or ::/0 on an internet-reachable workload",
    help: HELP,
    tags: &["exposure", "security-group"],
};

/// What opens an admin port to the whole internet: a security group, or the listener of a
/// load balancer no security group filters.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Opener {
    Group(SecurityGroupId),
    /// A security group this plan does not hold, by ID, that a rule of the plan opens.
    OutsideGroup(String),
    /// (listener address, load balancer address)
    Listener(String, String),
    /// A rule resource whose security group is not known at plan time, by address: it may
    /// be the rule of any group.
    Unplaced(String),
}

/// The admin ports.
pub const ADMIN: [u16; 2] = [22, 3389];

/// The `port` of evidence whose rules' protocol or ports are known only after apply: they
/// may admit 22 or 3389.
pub const UNSURE_PORT: u16 = 0;

/// One opener, one admin port (or [`UNSURE_PORT`]), and the reachable workloads it opens.
pub struct Evidence {
    pub opener: Opener,
    pub port: u16,
    pub rules: Vec<String>,
    pub exposed: Vec<Exposed>,
    /// Why the rules' ports are not known, for [`UNSURE_PORT`].
    pub unsure: Option<String>,
}

/// A workload the internet reaches on the port, over one family.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Exposed {
    pub workload: String,
    /// Its subnet's address or ID; empty when not known.
    pub subnet: String,
    pub family: Family,
    pub verdict: Verdict,
    pub path: Vec<String>,
    /// Why an `unknown` is one.
    pub why: String,
    /// The load balancer that forwards the port to it, keeping the client's address.
    pub through: Option<String>,
}

/// Where a workload is, for what the internet reaches of it.
enum Place<'m> {
    /// A subnet of the model: its reachability decides.
    Subnet(&'m Subnet),
    /// A subnet the plan does not show (its ID, empty when not known): whether the
    /// internet reaches it is `unknown`, for this reason.
    Outside { subnet: String, why: String },
}

/// Where workload `w` is; `None` for one in no subnet that EC2 would not place itself.
fn place<'m>(m: &'m Model, w: &Workload) -> Option<Place<'m>> {
    Some(match &w.subnet {
        Link::To(s, _) => Place::Subnet(m.subnet(*s)),
        Link::External(id) => Place::Outside {
            subnet: id.clone(),
            why: format!(
                "its subnet {} is outside this plan: whether the internet reaches it is not known",
                m.outside_id(id)
            ),
        },
        Link::Unresolved(why) => Place::Outside {
            subnet: String::new(),
            why: format!("its subnet is not known: {why}"),
        },
        // EC2 launches an instance that names no subnet in a default subnet of the Region's
        // default VPC (which gives it a public IPv4 address unless it asks for none).
        Link::None if w.kind == WorkloadKind::Instance => Place::Outside {
            subnet: String::new(),
            why: "it names no subnet: EC2 launches it in a default subnet of the Region's \
                  default VPC, which this plan does not show"
                .to_string(),
        },
        Link::None => return None,
    })
}

/// Whether a workload takes connections on TCP `port` (on either admin port for
/// [`UNSURE_PORT`]): always, unless it is a load balancer, which takes them on its
/// listeners' ports only. `Err` with the reason when its listeners are not all known.
fn listens(w: &Workload, port: u16) -> Result<bool, String> {
    let Some(l) = &w.listeners else {
        return Ok(true);
    };
    if l.ports.iter().any(|p| {
        p.protocol == Protocol::Tcp
            && (p.port == port || (port == UNSURE_PORT && ADMIN.contains(&p.port)))
    }) {
        return Ok(true);
    }
    // A listener whose load balancer is not known may take it.
    let maybe = l.maybe.iter().map(|m| &**m).find(|(p, _)| {
        p.protocol == Protocol::Tcp
            && (p.port == port || (port == UNSURE_PORT && ADMIN.contains(&p.port)))
    });
    maybe
        .map(|(_, why)| why)
        .or(l.unknown.first())
        .map_or(Ok(false), |why| Err(why.clone()))
}

pub fn find(ctx: &Ctx<'_>) -> Vec<Evidence> {
    let m = ctx.model;
    let mut by_key: BTreeMap<(Opener, u16), Evidence> = BTreeMap::new();
    // Managed data services and Lambda functions run no SSH or RDP server (TFVPC208 names
    // the data services the internet reaches).
    for w in m
        .workloads
        .iter()
        .filter(|w| w.source_dest_check && w.kind.takes_admin_logins())
    {
        let Some(place) = place(m, w) else {
            continue;
        };
        // An internal load balancer takes no request from the internet.
        if w.internal.is_some() {
            continue;
        }
        let no_public_ipv4 = w.no_public_ipv4().is_some();
        let unsure = w.public_ipv4_unsure(m);
        // What admits the port from anywhere: the rules of its groups, or, for a load
        // balancer no group filters, its listeners themselves.
        // The last field: why the opener may not guard the workload at all (a group an
        // attachment whose network interface is not known may add).
        #[allow(clippy::type_complexity)]
        let mut openers: Vec<(
            Opener,
            String,
            Family,
            u16,
            Option<String>,
            Option<String>,
        )> = Vec::new();
        for port in ADMIN {
            if w.without_groups.is_some() {
                for l in w.listeners.iter().flat_map(|l| &l.ports) {
                    if l.protocol == Protocol::Tcp && l.port == port {
                        for family in [Family::Ipv4, Family::Ipv6] {
                            openers.push((
                                Opener::Listener(
                                    l.address.clone(),
                                    w.meta
                                        .address
                                        .split(" (")
                                        .next()
                                        .unwrap_or_default()
                                        .to_string(),
                                ),
                                l.address.clone(),
                                family,
                                port,
                                None,
                                None,
                            ));
                        }
                    }
                }
            }
            for sg in m.workload_groups(w) {
                for (rule, family) in sg_open_to_world(m, m.security_group(sg), port) {
                    openers.push((
                        Opener::Group(sg),
                        rule.address.clone(),
                        family,
                        port,
                        None,
                        None,
                    ));
                }
            }
            for l in w.all_security_groups() {
                if let Link::External(id) = l {
                    for (rule, family) in outside_group_open_to_world(m, id, port) {
                        openers.push((
                            Opener::OutsideGroup(id.clone()),
                            rule.address.clone(),
                            family,
                            port,
                            None,
                            None,
                        ));
                    }
                }
            }
        }
        // Rules whose protocol or ports are known only after apply, which may admit either
        // admin port: one piece of evidence for both.
        for sg in m.workload_groups(w) {
            for r in &m.security_group(sg).ingress {
                if let Some(family) = rule_maybe_open_to_world(r, &ADMIN) {
                    let why = r.unknown.clone();
                    openers.push((
                        Opener::Group(sg),
                        r.address.clone(),
                        family,
                        UNSURE_PORT,
                        why,
                        None,
                    ));
                }
            }
        }
        // Rules whose group is not known may be one of this workload's groups.
        let groups = m.workload_groups(w);
        if !groups.is_empty() {
            for u in m
                .unplaced_group_rules
                .iter()
                .filter(|u| !u.egress && groups.iter().any(|g| u.may_be_of(*g)))
            {
                for port in ADMIN {
                    if let Some(family) = rule_maybe_open_to_world(&u.rule, &[port]) {
                        openers.push((
                            Opener::Unplaced(u.rule.address.clone()),
                            u.rule.address.clone(),
                            family,
                            port,
                            u.rule.unknown.clone(),
                            None,
                        ));
                    }
                }
            }
        }
        // Groups that an attachment whose network interface is not known may add to it (a
        // group attaches to interfaces of its own VPC only).
        let own = m.workload_groups(w);
        let wvpc = w.subnet.id().and_then(|s| m.subnet(s).vpc.id());
        let mut maybe_added: Vec<SecurityGroupId> = Vec::new();
        for u in m
            .unplaced_group_attachments
            .iter()
            .filter(|u| !u.to_endpoint && (u.among.is_empty() || u.among.contains(&w.meta.address)))
        {
            let Link::To(sg, _) = u.group else {
                continue;
            };
            let gvpc = m.security_group(sg).vpc.id();
            if own.contains(&sg)
                || maybe_added.contains(&sg)
                || (gvpc.is_some() && wvpc.is_some() && gvpc != wvpc)
            {
                continue;
            }
            maybe_added.push(sg);
            let why = format!(
                "`{}` attaches `{}` to a network interface not known at plan time, which may be this one's ({})",
                u.address,
                m.security_group(sg).meta.address,
                u.why
            );
            for port in ADMIN {
                for (rule, family) in sg_open_to_world(m, m.security_group(sg), port) {
                    openers.push((
                        Opener::Group(sg),
                        rule.address.clone(),
                        family,
                        port,
                        None,
                        Some(why.clone()),
                    ));
                }
            }
        }
        for l in w.all_security_groups() {
            if let Link::External(id) = l {
                for o in m
                    .outside_group_rules
                    .iter()
                    .filter(|o| !o.egress && &o.group == id)
                {
                    if let Some(family) = rule_maybe_open_to_world(&o.rule, &ADMIN) {
                        openers.push((
                            Opener::OutsideGroup(id.clone()),
                            o.rule.address.clone(),
                            family,
                            UNSURE_PORT,
                            o.rule.unknown.clone(),
                            None,
                        ));
                    }
                }
            }
        }
        for (opener, rule, family, port, rule_why, maybe) in openers {
            // No public IPv4 address, whatever its subnet gives others.
            if family == Family::Ipv4 && no_public_ipv4 {
                continue;
            }
            // No IPv6 address: the subnet's IPv6 route does not reach it.
            if family == Family::Ipv6 && !w.has_ipv6(m) {
                continue;
            }
            // A load balancer without a listener on the port does not take it.
            let listening = listens(w, port);
            if listening == Ok(false) {
                continue;
            }
            let (subnet, verdict, reason, ports, hops) = match &place {
                Place::Subnet(subnet) => {
                    let Some(r) = path(ctx.reach, "internet", &subnet.meta.address, family) else {
                        continue;
                    };
                    (
                        subnet.meta.address.clone(),
                        r.verdict,
                        r.reason.clone(),
                        r.ports.as_str(),
                        crate::analysis::to_strings(&r.path),
                    )
                }
                Place::Outside { subnet, why } => (
                    subnet.clone(),
                    Verdict::Unknown,
                    why.clone(),
                    "",
                    Vec::new(),
                ),
            };
            // Its subnet is public for another workload's address, maybe not its; or its
            // listeners are not all known.
            // Or the group may not guard it at all.
            let (shown, why) = match (&unsure, family, verdict, listening, maybe) {
                (_, _, Verdict::Allowed, Err(why), _) => (Verdict::Unknown, why),
                (Some(why), Family::Ipv4, Verdict::Allowed, _, _) => {
                    (Verdict::Unknown, why.clone())
                }
                (_, _, Verdict::Allowed, _, Some(why)) => (Verdict::Unknown, why),
                _ => (verdict, reason),
            };
            let on_port = |p: u16| ports_include_tcp(ports, p);
            let passes = verdict == Verdict::Unknown
                || (verdict == Verdict::Allowed
                    && (ports.is_empty()
                        || match port {
                            UNSURE_PORT => ADMIN.into_iter().any(on_port),
                            p => on_port(p),
                        }));
            if !passes {
                continue;
            }
            let item = Exposed {
                workload: w.meta.address.clone(),
                subnet,
                family,
                verdict: shown,
                path: hops,
                why: if shown == Verdict::Unknown {
                    why
                } else {
                    String::new()
                },
                through: None,
            };
            record(&mut by_key, opener, port, rule, item, rule_why);
        }
    }
    forwarded(ctx, &mut by_key);
    // A rule this plan adds to a group it does not hold: what the group guards is outside
    // the plan, and may be reachable.
    for o in m.outside_group_rules.iter().filter(|o| !o.egress) {
        for port in ADMIN.into_iter().chain([UNSURE_PORT]) {
            let opens = match port {
                UNSURE_PORT => rule_maybe_open_to_world(&o.rule, &ADMIN),
                p => rule_open_to_world(&o.rule, p),
            };
            if opens.is_none() {
                continue;
            }
            let e = by_key
                .entry((Opener::OutsideGroup(o.group.clone()), port))
                .or_insert_with(|| Evidence {
                    opener: Opener::OutsideGroup(o.group.clone()),
                    port,
                    rules: Vec::new(),
                    exposed: Vec::new(),
                    unsure: o.rule.unknown.clone(),
                });
            if !e.rules.contains(&o.rule.address) {
                e.rules.push(o.rule.address.clone());
            }
        }
    }
    by_key.into_values().collect()
}

/// Adds a rule and an exposed workload to the opener's evidence for the port.
fn record(
    by_key: &mut BTreeMap<(Opener, u16), Evidence>,
    opener: Opener,
    port: u16,
    rule: String,
    item: Exposed,
    unsure: Option<String>,
) {
    let e = by_key
        .entry((opener.clone(), port))
        .or_insert_with(|| Evidence {
            opener,
            port,
            rules: Vec::new(),
            exposed: Vec::new(),
            unsure: None,
        });
    if e.unsure.is_none() {
        e.unsure = unsure;
    }
    if !e.rules.contains(&rule) {
        e.rules.push(rule);
    }
    if !e.exposed.contains(&item) {
        e.exposed.push(item);
    }
}

/// Workloads behind a Network Load Balancer that forwards SSH or RDP to them keeping the
/// client's address: their own groups see the internet, so a world-open rule admits
/// whoever reaches the listener, wherever the workload's subnet is.
fn forwarded(ctx: &Ctx<'_>, by_key: &mut BTreeMap<(Opener, u16), Evidence>) {
    let m = ctx.model;
    // (opener, port, rule, workload, subnet, family, load balancer), one question each,
    // all answered on one engine.
    let mut asks: Vec<(Opener, u16, String, &str, &str, Family, &str)> = Vec::new();
    let mut queries: Vec<Query> = Vec::new();
    for w in m
        .workloads
        .iter()
        .filter(|w| !w.behind.is_empty() && w.source_dest_check && w.kind.takes_admin_logins())
    {
        let Some(subnet) = w.subnet.id().map(|s| m.subnet(s)) else {
            continue;
        };
        for port in [22u16, 3389] {
            let Some(lb) = w
                .behind
                .iter()
                .find(|f| {
                    f.port == Ok(port) && f.protocol == Protocol::Tcp && f.client_address.is_some()
                })
                .map(|f| f.load_balancer.as_str())
            else {
                continue;
            };
            for sg in m.workload_groups(w) {
                for (rule, family) in sg_open_to_world(m, m.security_group(sg), port) {
                    let opener = Opener::Group(sg);
                    let known = by_key.get(&(opener.clone(), port)).is_some_and(|e| {
                        e.exposed
                            .iter()
                            .any(|x| x.workload == w.meta.address && x.family == family)
                    });
                    if known {
                        continue;
                    }
                    queries.push(Query {
                        from: "internet".to_string(),
                        to: w.meta.address.clone(),
                        family: Some(family),
                        protocol: QueryProtocol::Tcp,
                        ports: vec![PortRange::single(port)],
                    });
                    asks.push((
                        opener,
                        port,
                        rule.address.clone(),
                        &w.meta.address,
                        &subnet.meta.address,
                        family,
                        lb,
                    ));
                }
            }
        }
    }
    let answers = analysis::query_each(m, &queries);
    for ((opener, port, rule, workload, subnet, family, lb), r) in asks.into_iter().zip(answers) {
        let Some(r) = r.filter(|r| r.verdict != Verdict::Blocked) else {
            continue;
        };
        let item = Exposed {
            workload: workload.to_string(),
            subnet: subnet.to_string(),
            family,
            verdict: r.verdict,
            path: analysis::to_strings(&r.path),
            why: if r.verdict == Verdict::Unknown {
                r.reason.clone()
            } else {
                String::new()
            },
            through: Some(lb.to_string()),
        };
        record(by_key, opener, port, rule, item, None);
    }
}

fn port_name(port: u16) -> &'static str {
    if port == 22 {
        "SSH"
    } else {
        "RDP"
    }
}

pub fn message(m: &Model, e: &Evidence) -> String {
    let who: Vec<String> = e
        .exposed
        .iter()
        .map(|x| {
            let (w, s, why) = (&x.workload, &x.subnet, &x.why);
            let fam = if x.family == Family::Ipv4 {
                "IPv4"
            } else {
                "IPv6"
            };
            // The workloads of an Auto Scaling group, ... are named by their subnet; a
            // subnet that is not known is not named.
            let mut at = if s.is_empty() || w.ends_with(&format!(" ({s})")) {
                format!("`{w}`")
            } else {
                format!("`{w}` in `{s}`")
            };
            if let Some(lb) = &x.through {
                at = format!("{at} through `{lb}`, which keeps the client's address");
            }
            if x.verdict == Verdict::Unknown {
                format!("{at} (over {fam}: unknown, {why})")
            } else {
                format!("{at} (over {fam})")
            }
        })
        .collect();
    let reach = if e.exposed.iter().any(|x| x.verdict == Verdict::Allowed) {
        "can reach"
    } else {
        "may reach"
    };
    // What the rules admit, and what follows.
    let (what, follows) = match (e.port, &e.unsure) {
        (UNSURE_PORT, why) => (
            format!(
                "TCP on a port not known at plan time ({})",
                why.as_deref().unwrap_or("it is known only after apply")
            ),
            "if it is 22 (SSH) or 3389 (RDP), anyone can attempt logins",
        ),
        (port, _) => (
            format!("TCP {port} ({})", port_name(port)),
            "anyone can attempt logins",
        ),
    };
    let rules = e
        .rules
        .iter()
        .map(|r| format!("`{r}`"))
        .collect::<Vec<_>>()
        .join(", ");
    match &e.opener {
        Opener::OutsideGroup(id) if who.is_empty() => format!(
            "{rules} admits {what} from the whole internet into {}, a \
             security group this plan does not hold: what it guards is not in the plan, and \
             the internet may reach it (unknown): {}. Remove the rule \
             and connect through an EC2 Instance Connect Endpoint \
             (`aws_ec2_instance_connect_endpoint`) or Session Manager, or restrict the source \
             to known CIDRs.",
            m.outside_id(id),
            follows.replace("anyone can", "anyone may")
        ),
        Opener::OutsideGroup(id) => format!(
            "{rules} admits {what} from the whole internet into {}, a \
             security group this plan does not hold, and the internet {reach} {}: {follows}. \
             Remove the rule and connect through an EC2 Instance Connect \
             Endpoint (`aws_ec2_instance_connect_endpoint`) or Session Manager, or restrict \
             the source to known CIDRs.",
            m.outside_id(id),
            who.join(", ")
        ),
        // The reason of an unsure port names the rule.
        Opener::Group(g) if e.port == UNSURE_PORT => format!(
            "`{}` admits {what} from the whole internet, and the internet {reach} {}: \
             {follows}. Remove the rule and connect through an EC2 Instance Connect Endpoint \
             (`aws_ec2_instance_connect_endpoint`) or Session Manager, or restrict the source \
             to known CIDRs.",
            m.security_group(*g).meta.address,
            who.join(", ")
        ),
        Opener::Group(g) => format!(
            "`{}` admits {what} from the whole internet ({rules}), and the internet \
             {reach} {}: {follows}. Remove the rule and connect through an EC2 \
             Instance Connect Endpoint (`aws_ec2_instance_connect_endpoint`) or Session \
             Manager, or restrict the source to known CIDRs.",
            m.security_group(*g).meta.address,
            who.join(", ")
        ),
        Opener::Unplaced(_) => format!(
            "{rules} admits TCP {} ({}) from the whole internet into a group the plan does \
             not show ({}), and the internet {reach} {}, whose groups it may be in: if it is, \
             anyone can attempt logins. Name the group so that the plan shows it, and \
             restrict the source to known CIDRs or connect through an EC2 Instance Connect \
             Endpoint (`aws_ec2_instance_connect_endpoint`).",
            e.port,
            port_name(e.port),
            e.unsure
                .as_deref()
                .unwrap_or("its `security_group_id` is not known"),
            who.join(", ")
        ),
        Opener::Listener(listener, lb) => format!(
            "`{listener}` takes {what} on `{lb}`, which has no security group, so \
             it takes it from the whole internet, and the internet {reach} {}: {follows} \
             through it. Remove the listener and connect through an EC2 \
             Instance Connect Endpoint (`aws_ec2_instance_connect_endpoint`) or Session \
             Manager, or give the load balancer a security group that admits known CIDRs only.",
            who.join(", ")
        ),
    }
}

pub fn check(ctx: &Ctx<'_>) -> Vec<Finding> {
    find(ctx)
        .iter()
        .map(|e| {
            let mut resources: Vec<String> = Vec::new();
            match &e.opener {
                Opener::Group(g) => {
                    let group = ctx.model.security_group(*g);
                    // AWS's default group is not in the configuration: the rule that opens
                    // it is where the finding points.
                    if group.synthesized {
                        resources.extend(
                            e.rules
                                .iter()
                                .filter(|r| !r.starts_with(&group.meta.address))
                                .cloned(),
                        );
                    }
                    resources.push(group.meta.address.clone());
                }
                Opener::Listener(listener, _) => resources.push(listener.clone()),
                Opener::OutsideGroup(_) | Opener::Unplaced(_) => {
                    resources.extend(e.rules.iter().cloned())
                }
            }
            resources.extend(e.exposed.iter().map(|x| x.workload.clone()));
            resources.dedup();
            let definite = e.port != UNSURE_PORT
                && !matches!(e.opener, Opener::Unplaced(_))
                && e.exposed.iter().any(|x| x.verdict == Verdict::Allowed);
            let f = Finding::new(&META, message(ctx.model, e), resources)
                .with_path(
                    e.exposed
                        .first()
                        .map(|x| x.path.clone())
                        .unwrap_or_default(),
                )
                .with_fix(
                    "use an EC2 Instance Connect Endpoint instead of a world-open admin port",
                );
            if definite {
                f
            } else {
                f.with_severity(Severity::Warning)
            }
        })
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::model::SgPeer;
    use crate::rules::testkit::{cidr, network, path_result, reach, Builder};
    use crate::rules::Policy;

    /// The internet reaches `aws_subnet.public` over IPv4, on every port.
    fn public_reach() -> crate::analysis::Reachability {
        let mut p = path_result(
            "internet",
            "aws_subnet.public",
            Family::Ipv4,
            Verdict::Allowed,
            &["internet", "aws_internet_gateway.main", "aws_subnet.public"],
        );
        p.ports = "all".to_string();
        reach(vec![p])
    }

    fn run(source: &str, port: u16, verdict: Verdict, ports: &str) -> Vec<Finding> {
        let mut b = Builder::new();
        let vpc = b.vpc("aws_vpc.main", "10.0.0.0/16");
        let s = b.subnet("aws_subnet.public", vpc, "az1", "10.0.0.0/24");
        if source.contains(':') {
            b.subnet_ipv6(s, "2600:1f18:1:1::/64");
        }
        let sg = b.security_group("aws_security_group.bastion", vpc);
        b.sg_rule(sg, true, port, port, SgPeer::Cidr(cidr(source)));
        b.instance("aws_instance.bastion", s, &[sg]);
        let net = network(b.build());
        let family = if source.contains(':') {
            Family::Ipv6
        } else {
            Family::Ipv4
        };
        let mut p = path_result(
            "internet",
            "aws_subnet.public",
            family,
            verdict,
            &["internet", "aws_internet_gateway.main", "aws_subnet.public"],
        );
        p.ports = ports.to_string();
        let r = reach(vec![p]);
        check(&Ctx::new(&net, &r, &Policy::default()))
    }

    #[test]
    fn fires_on_world_open_ssh_and_rdp_and_suggests_eice() {
        let f = run("0.0.0.0/0", 22, Verdict::Allowed, "all");
        assert_eq!(f.len(), 1);
        assert_eq!(
            f[0].resources,
            ["aws_security_group.bastion", "aws_instance.bastion"]
        );
        assert!(f[0].message.contains("EC2 Instance Connect Endpoint"));
        assert_eq!(run("::/0", 3389, Verdict::Allowed, "tcp:3389").len(), 1);
    }

    #[test]
    fn unknown_reach_is_a_warning_with_its_reason() {
        let f = run("0.0.0.0/0", 22, Verdict::Unknown, "");
        assert_eq!(f[0].severity, Severity::Warning);
        // The unknown's own reason, not a guess at it.
        assert!(
            f[0].message.contains(
                "the internet may reach `aws_instance.bastion` in `aws_subnet.public` \
                 (over IPv4: unknown, fabricated for a test: unknown)"
            ),
            "{}",
            f[0].message
        );
    }

    /// A world-open rule whose ports are known only after apply (`from_port =
    /// aws_db_instance.x.port`) may or may not admit SSH or RDP: one warning that says so,
    /// not an error per port.
    #[test]
    fn a_rule_of_unknown_ports_is_one_warning_not_two_errors() {
        let run = |source: &str| {
            let mut b = Builder::new();
            let vpc = b.vpc("aws_vpc.main", "10.0.0.0/16");
            let s = b.subnet("aws_subnet.public", vpc, "az1", "10.0.0.0/24");
            let sg = b.security_group("aws_security_group.proxy", vpc);
            b.sg_rule(sg, true, 0, 65535, SgPeer::Cidr(cidr(source)));
            b.m.security_groups[sg.index()].ingress[0].unknown = Some(
                "`aws_security_group.proxy ingress[0]` from_port and to_port come from \
                 `aws_db_instance.db.port`, known only after apply"
                    .to_string(),
            );
            let w = b.instance("aws_instance.proxy", s, &[sg]);
            b.m.workloads[w.index()].public_ipv4 = crate::model::PublicIpv4::Auto;
            let net = network(b.build());
            check(&Ctx::new(&net, &public_reach(), &Policy::default()))
        };
        let f = run("0.0.0.0/0");
        assert_eq!(f.len(), 1, "{f:#?}");
        assert_eq!(f[0].severity, Severity::Warning);
        assert!(
            f[0].message.starts_with(
                "`aws_security_group.proxy` admits TCP on a port not known at plan time \
                 (`aws_security_group.proxy ingress[0]` from_port and to_port come from \
                 `aws_db_instance.db.port`, known only after apply) from the whole internet, \
                 and the internet can reach `aws_instance.proxy` in `aws_subnet.public` (over \
                 IPv4): if it is 22 (SSH) or 3389 (RDP), anyone can attempt logins."
            ),
            "{}",
            f[0].message
        );
        // Not from the whole internet: nothing to say.
        assert!(run("10.0.0.0/8").is_empty());
    }

    /// A subnet public for one instance's address is not public for another that asks for
    /// none, in a subnet that assigns none on launch: that one may be reached (a warning).
    #[test]
    fn an_instance_without_an_address_in_a_subnet_public_for_another_is_a_maybe() {
        // `aws_instance.quiet` asks for no address; `aws_instance.public`, if there, has one.
        let run = |with_public: bool| {
            let mut b = Builder::new();
            let vpc = b.vpc("aws_vpc.main", "10.0.0.0/16");
            let s = b.subnet("aws_subnet.public", vpc, "az1", "10.0.0.0/24");
            let sg = b.security_group("aws_security_group.bastion", vpc);
            b.sg_rule(sg, true, 22, 22, SgPeer::Cidr(cidr("0.0.0.0/0")));
            if with_public {
                let public = b.instance("aws_instance.public", s, &[sg]);
                b.m.workloads[public.index()].public_ipv4 = crate::model::PublicIpv4::Auto;
            }
            b.instance("aws_instance.quiet", s, &[sg]);
            let net = network(b.build());
            check(&Ctx::new(&net, &public_reach(), &Policy::default()))
        };
        let f = run(true);
        assert_eq!(f.len(), 1, "{f:#?}");
        assert_eq!(f[0].severity, Severity::Error);
        assert!(
            f[0].message.contains("`aws_instance.public` in `aws_subnet.public` (over IPv4)")
                && f[0].message.contains(
                    "`aws_instance.quiet` in `aws_subnet.public` (over IPv4: unknown, `aws_instance.quiet` asks for no public IPv4 address"
                ),
            "{}",
            f[0].message
        );
        // Alone, it is only a warning.
        let f = run(false);
        assert_eq!(f.len(), 1, "{f:#?}");
        assert_eq!(f[0].severity, Severity::Warning);
    }

    /// A load balancer in the public subnet: `listeners` of TCP ports, some unknown; no
    /// security group at all when `groups` is false (and then an SSH listener opens it).
    fn run_lb(listeners: &[u16], unknown: bool, groups: bool, internal: bool) -> Vec<Finding> {
        run_lb_model(lb_model(listeners, unknown, groups, internal))
    }

    fn run_lb_model(m: crate::model::Model) -> Vec<Finding> {
        let net = network(m);
        check(&Ctx::new(&net, &public_reach(), &Policy::default()))
    }

    fn lb_model(
        listeners: &[u16],
        unknown: bool,
        groups: bool,
        internal: bool,
    ) -> crate::model::Model {
        let mut b = Builder::new();
        let vpc = b.vpc("aws_vpc.main", "10.0.0.0/16");
        let s = b.subnet("aws_subnet.public", vpc, "az1", "10.0.0.0/24");
        let sg = b.security_group("aws_security_group.lb", vpc);
        b.sg_rule(sg, true, 22, 22, SgPeer::Cidr(cidr("0.0.0.0/0")));
        let lb = b.instance("aws_lb.front (aws_subnet.public)", s, &[sg]);
        let w = &mut b.m.workloads[lb.index()];
        w.kind = crate::model::WorkloadKind::LoadBalancer;
        w.public_ipv4 = crate::model::PublicIpv4::Auto;
        if !groups {
            w.security_groups.clear();
            w.without_groups = Some("no groups, for a test".to_string());
        }
        if internal {
            w.internal = Some("internal, for a test".to_string());
        }
        w.listeners = Some(crate::model::Listeners {
            ports: listeners
                .iter()
                .map(|&port| crate::model::Listener {
                    address: format!("aws_lb_listener.p{port}"),
                    protocol: Protocol::Tcp,
                    port,
                })
                .collect(),
            unknown: if unknown {
                vec!["`aws_lb_listener.x.port` is known only after apply".to_string()]
            } else {
                Vec::new()
            },
            maybe: Vec::new(),
        });
        b.build()
    }

    #[test]
    fn a_listener_whose_load_balancer_is_not_known_may_take_ssh() {
        let maybe = |port: u16| {
            let mut m = lb_model(&[443], false, true, false);
            let l = m.workloads[0].listeners.as_mut().unwrap();
            l.maybe.push(std::sync::Arc::new((
                crate::model::Listener {
                    address: "aws_lb_listener.maybe".to_string(),
                    protocol: Protocol::Tcp,
                    port,
                },
                "`aws_lb_listener.maybe` may be its listener".to_string(),
            )));
            run_lb_model(m)
        };
        let f = maybe(22);
        assert_eq!(f.len(), 1, "{f:#?}");
        assert_eq!(f[0].severity, Severity::Warning);
        assert!(
            f[0].message
                .contains("`aws_lb_listener.maybe` may be its listener"),
            "{}",
            f[0].message
        );
        assert!(maybe(80).is_empty());
    }

    #[test]
    fn a_load_balancer_counts_only_on_a_listener_of_the_port() {
        // The group admits SSH from anywhere; only a listener on 22 lets it through.
        assert!(run_lb(&[443], false, true, false).is_empty());
        let f = run_lb(&[22, 443], false, true, false);
        assert_eq!(f.len(), 1, "{f:#?}");
        assert_eq!(f[0].severity, Severity::Error);
        assert_eq!(
            f[0].resources,
            ["aws_security_group.lb", "aws_lb.front (aws_subnet.public)"]
        );
        // Listeners not all known: a warning, with the reason.
        let f = run_lb(&[443], true, true, false);
        assert_eq!(f.len(), 1, "{f:#?}");
        assert_eq!(f[0].severity, Severity::Warning);
        assert!(
            f[0].message.contains("port` is known only after apply"),
            "{}",
            f[0].message
        );
        // Internal: the internet does not reach it.
        assert!(run_lb(&[22], false, true, true).is_empty());
    }

    #[test]
    fn a_load_balancer_without_groups_is_opened_by_its_listener() {
        let f = run_lb(&[22], false, false, false);
        assert_eq!(f.len(), 1, "{f:#?}");
        assert_eq!(
            f[0].resources,
            ["aws_lb_listener.p22", "aws_lb.front (aws_subnet.public)"]
        );
        assert!(
            f[0].message.starts_with(
                "`aws_lb_listener.p22` takes TCP 22 (SSH) on `aws_lb.front`, which has no security group"
            ),
            "{}",
            f[0].message
        );
        assert!(run_lb(&[443], false, false, false).is_empty());
    }

    #[test]
    fn silent_when_not_reachable_restricted_or_nacl_closes_the_port() {
        assert!(run("0.0.0.0/0", 22, Verdict::Blocked, "").is_empty());
        assert!(run("203.0.113.0/24", 22, Verdict::Allowed, "all").is_empty());
        assert!(run("0.0.0.0/0", 22, Verdict::Allowed, "tcp:443").is_empty());
        assert!(run("0.0.0.0/0", 443, Verdict::Allowed, "all").is_empty());
    }
}
