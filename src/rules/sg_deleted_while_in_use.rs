//! TFVPC115 `sg-deleted-while-in-use`: the plan deletes a security group (or replaces it,
//! deleting the old one first) while something that stays still uses it. Documentation:
//! [`HELP`].

use std::cell::OnceCell;

use rustc_hash::FxHashMap as HashMap;

use crate::model::{Action, Link, Model, SecurityGroup, SecurityGroupId, SgPeer};
use crate::rules::{Ctx, Finding, RuleMeta, Severity};

pub const HELP: &str = r#"## What it checks
A security group the plan deletes, or replaces by deleting the old group first (the plan's
actions are `["delete", "create"]`: no `create_before_destroy`), while, at that moment,
something the plan keeps still uses the old group:
- a rule of another security group names it (`security_groups`, `source_security_group_id`,
  `referenced_security_group_id`), and that rule is neither deleted nor replaced first;
- an instance, network interface, load balancer, Auto Scaling group, interface endpoint or
  EC2 Instance Connect Endpoint is guarded by it, and is not deleted or replaced first.

Terraform deletes the old group before it creates the new one, and only then updates what
referred to the old one: at the delete, those users still hold it.

## Why it matters
AWS refuses to delete a security group that a network interface uses or another group's
rule references (`DependencyViolation: resource sg-… has a dependent object`). The AWS
provider retries the delete for up to 15 minutes, then the apply fails half done: the
group is still there, the new one is not created, and what was to move to it has not.
Renaming a group (`name` forces a new one) or changing its `description` is the usual
cause.

## Example (HCL)
```hcl
resource "aws_security_group" "db" {
  name   = "db-v2" # was "db": replaced, the old group deleted first
  vpc_id = aws_vpc.main.id
}
resource "aws_security_group" "app" {
  vpc_id = aws_vpc.main.id
  egress {
    from_port       = 5432
    to_port         = 5432
    protocol        = "tcp"
    security_groups = [aws_security_group.db.id] # still names the old group at the delete
  }
}
```

## How to fix
Give the group `lifecycle { create_before_destroy = true }` together with `name_prefix`
(two groups cannot share a name in a VPC), so the new group exists and the users move to it
before the old one is deleted; or avoid the replacement (keep `name` and `description`).
A group the plan deletes must first lose its users in an earlier apply.

## AWS fact
A security group cannot be deleted while it is associated with a network interface or
referenced by a rule of another security group; the API answers `DependencyViolation`
(Amazon VPC User Guide, "Delete a security group"). Terraform replaces a resource by
deleting it first unless `create_before_destroy` is set, and updates the resources that
refer to it after the new one exists.
"#;

pub static META: RuleMeta = RuleMeta {
    id: "TFVPC115",
    name: "sg-deleted-while-in-use",
    severity: Severity::Error,
    summary: "A security group is deleted (or replaced, deleting it first) while a rule or a network interface the plan keeps still uses it",
    help: HELP,
    tags: &["security-groups", "apply-failure"],
};

pub struct Evidence<'m> {
    /// The group, as the prior state has it.
    pub group: &'m SecurityGroup,
    /// Replaced (deleted first) rather than deleted.
    pub replaced: bool,
    /// What still uses it when it is deleted, by address (a rule: the rule's own address).
    pub users: Vec<String>,
}

/// The resource part of an address (`aws_security_group.app ingress[0]`,
/// `aws_autoscaling_group.web (aws_subnet.a)` → their resource).
fn resource_of(address: &str) -> &str {
    address.split_once(' ').map_or(address, |(r, _)| r)
}

pub fn find<'m>(ctx: &Ctx<'m>) -> Vec<Evidence<'m>> {
    let (before, after) = (ctx.before, ctx.model);
    let action = |address: &str| -> Action {
        ctx.changed
            .binary_search_by(|(a, _)| a.as_str().cmp(address))
            .ok()
            .and_then(|i| ctx.changed.get(i))
            .map_or(Action::NoOp, |(_, a)| *a)
    };
    let destroy_first = |address: &str| {
        ctx.destroy_first
            .binary_search_by(|a| a.as_str().cmp(address))
            .is_ok()
    };
    // Gone before the group is: deleted, or replaced by deleting it first (Terraform deletes
    // what depends on a group before the group).
    let gone_first = |address: &str| {
        let r = resource_of(address);
        action(r) == Action::Delete || destroy_first(r)
    };
    // Indexed once, and only when a group is deleted or replaced.
    let (prior_uses, planned_uses) = (OnceCell::new(), OnceCell::new());
    let after_groups: HashMap<&str, usize> = after
        .security_groups
        .iter()
        .enumerate()
        .map(|(j, g)| (g.meta.address.as_str(), j))
        .rev()
        .collect();
    let mut out = Vec::new();
    for (i, g) in before.security_groups.iter().enumerate() {
        if g.synthesized {
            continue;
        }
        let address = g.meta.address.as_str();
        let replaced = destroy_first(address);
        let users: Vec<String> = if replaced {
            // What used the old group and uses the new one: updated only once the new one
            // exists, so still holding the old one when it is deleted. (What stops using it
            // is updated first.)
            let Some(&new) = after_groups.get(address) else {
                continue;
            };
            let old_users =
                prior_uses
                    .get_or_init(|| Uses::of(before))
                    .users(Some(i), false, None, Some(i));
            // By resource: an inline rule's index may differ between the two sides. A group
            // link unknown at plan time may be the new group (the usual case: only the
            // group changed).
            let new_users: std::collections::BTreeSet<String> = planned_uses
                .get_or_init(|| Uses::of(after))
                .users(Some(new), true, None, Some(new))
                .iter()
                .map(|u| resource_of(u).to_string())
                .collect();
            old_users
                .into_iter()
                .filter(|u| new_users.contains(resource_of(u)))
                .collect()
        } else if action(address) == Action::Delete {
            // Deleted: what still names its ID after the plan.
            let Some(id) = g.meta.id.as_deref() else {
                continue;
            };
            planned_uses
                .get_or_init(|| Uses::of(after))
                .users(None, false, Some(id), None)
        } else {
            continue;
        };
        let users: Vec<String> = users
            .into_iter()
            .filter(|u| resource_of(u) != address && !gone_first(u))
            .collect();
        if !users.is_empty() {
            out.push(Evidence {
                group: g,
                replaced,
                users,
            });
        }
    }
    out
}

/// One use of a security group: a rule of group `owner` naming it, or a workload, an
/// attachment or an endpoint it guards (`owner` `None`), by address (a rule: its own).
struct Use<'m> {
    owner: Option<usize>,
    user: &'m str,
}

/// What uses which group in one model, gathered in one pass (a pass per group would be
/// quadratic in a plan that replaces every group): by the group a link resolves to, by the
/// ID an outside link names, and the links that resolve to nothing.
#[derive(Default)]
struct Uses<'m> {
    by_group: HashMap<usize, Vec<Use<'m>>>,
    by_external: HashMap<&'m str, Vec<Use<'m>>>,
    unresolved: Vec<Use<'m>>,
}

impl<'m> Uses<'m> {
    fn of(m: &'m Model) -> Uses<'m> {
        let mut uses = Uses::default();
        for (j, g) in m.security_groups.iter().enumerate() {
            for r in g.ingress.iter().chain(&g.egress) {
                if let SgPeer::Group(l) = &r.peer {
                    uses.add(l, Some(j), &r.address);
                }
            }
        }
        for w in &m.workloads {
            for l in &w.security_groups {
                uses.add(l, None, resource_of(&w.meta.address));
            }
            for (a, l) in &w.attached_security_groups {
                uses.add(l, None, a);
            }
        }
        for e in &m.endpoints {
            for l in &e.security_groups {
                uses.add(l, None, &e.meta.address);
            }
        }
        for e in &m.instance_connect_endpoints {
            for l in &e.security_groups {
                uses.add(l, None, &e.meta.address);
            }
        }
        uses
    }

    fn add(&mut self, l: &'m Link<SecurityGroupId>, owner: Option<usize>, user: &'m str) {
        let u = Use { owner, user };
        match l {
            Link::To(g, _) => self.by_group.entry(g.index()).or_default().push(u),
            Link::External(id) => self.by_external.entry(id).or_default().push(u),
            Link::Unresolved(_) => self.unresolved.push(u),
            Link::None => {}
        }
    }

    /// The users of group `g` (resolved links to it), `unresolved` ones too when asked, or
    /// of the outside ID `external`; not group `own`'s own rules. Sorted, once each.
    fn users(
        &self,
        g: Option<usize>,
        unresolved: bool,
        external: Option<&str>,
        own: Option<usize>,
    ) -> Vec<String> {
        let mut out: Vec<String> = g
            .and_then(|g| self.by_group.get(&g))
            .into_iter()
            .flatten()
            .chain(unresolved.then_some(&self.unresolved).into_iter().flatten())
            .chain(
                external
                    .and_then(|x| self.by_external.get(x))
                    .into_iter()
                    .flatten(),
            )
            .filter(|u| own.is_none() || u.owner != own)
            .map(|u| u.user.to_string())
            .collect();
        out.sort();
        out.dedup();
        out
    }
}

pub fn message(e: &Evidence<'_>) -> String {
    const SHOWN: usize = 3;
    let mut named: Vec<String> = e
        .users
        .iter()
        .take(SHOWN)
        .map(|u| format!("`{u}`"))
        .collect();
    if e.users.len() > SHOWN {
        named.push(format!("{} more", e.users.len() - SHOWN));
    }
    let id = e
        .group
        .meta
        .id
        .as_deref()
        .map(|i| format!(" ({i})"))
        .unwrap_or_default();
    format!(
        "`{}`{id} is {} while {} still use{} it: AWS refuses to delete a security group that \
         a network interface or another group's rule uses (DependencyViolation), so the apply \
         fails after the provider's retries. {}",
        e.group.meta.address,
        if e.replaced {
            "replaced, the old group deleted before the new one exists,"
        } else {
            "deleted"
        },
        named.join(", "),
        if e.users.len() == 1 { "s" } else { "" },
        if e.replaced {
            "Set `lifecycle { create_before_destroy = true }` with `name_prefix`, or avoid the replacement."
        } else {
            "Remove those uses first, in an earlier apply."
        }
    )
}

pub fn check(ctx: &Ctx<'_>) -> Vec<Finding> {
    find(ctx)
        .iter()
        .map(|e| {
            let mut resources = vec![e.group.meta.address.clone()];
            resources.extend(e.users.iter().map(|u| resource_of(u).to_string()));
            resources.dedup();
            Finding::new(&META, message(e), resources).with_fix(if e.replaced {
                "create_before_destroy = true with name_prefix"
            } else {
                "remove the group's uses first"
            })
        })
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::model::{Network, SecurityGroupId};
    use crate::rules::testkit::{network_from, to, Builder};

    /// Before: `aws_security_group.db` (sg-db) named by the app group's egress rule and
    /// guarding `aws_instance.db`. After: as `after` makes it.
    fn plan(after: impl Fn(&mut Builder, SecurityGroupId, SecurityGroupId)) -> Network {
        let side = |planned: bool| {
            let mut b = Builder::new();
            let v = b.vpc("aws_vpc.main", "10.0.0.0/16");
            let s = b.subnet("aws_subnet.a", v, "us-east-1a", "10.0.1.0/24");
            let db = b.security_group("aws_security_group.db", v);
            let app = b.security_group("aws_security_group.app", v);
            if planned {
                after(&mut b, db, app);
            } else {
                b.sg_rule(app, false, 5432, 5432, SgPeer::Group(to(db)));
                b.instance("aws_instance.db", s, &[db]);
            }
            let mut m = b.build();
            if !planned {
                m.security_groups[db.index()].meta.id = Some("sg-db".to_string());
            }
            m
        };
        network_from(side(false), side(true))
    }

    fn found(n: &Network) -> Vec<(String, bool, Vec<String>)> {
        let reach = crate::analysis::Reachability::default();
        let policy = crate::rules::Policy::default();
        let ctx = Ctx::new(n, &reach, &policy);
        find(&ctx)
            .into_iter()
            .map(|e| (e.group.meta.address.clone(), e.replaced, e.users))
            .collect()
    }

    #[test]
    fn a_group_replaced_first_while_its_users_stay_fires() {
        let mut n = plan(|b, db, app| {
            b.sg_rule(app, false, 5432, 5432, SgPeer::Group(to(db)));
            let s = crate::model::SubnetId(0);
            b.instance("aws_instance.db", s, &[db]);
        });
        n.destroy_first = vec!["aws_security_group.db".to_string()];
        n.changed = vec![
            ("aws_instance.db".to_string(), Action::Update),
            ("aws_security_group.app".to_string(), Action::Update),
            ("aws_security_group.db".to_string(), Action::Replace),
        ];
        let f = found(&n);
        assert_eq!(
            f,
            vec![(
                "aws_security_group.db".to_string(),
                true,
                vec![
                    "aws_instance.db".to_string(),
                    "aws_security_group.app egress[0]".to_string()
                ]
            )]
        );
        let msg = message(
            &find(&Ctx::new(
                &n,
                &crate::analysis::Reachability::default(),
                &crate::rules::Policy::default(),
            ))[0],
        );
        assert!(msg.contains("DependencyViolation") && msg.contains("create_before_destroy"));
        // Created first (`create_before_destroy`): the users move before the old group goes.
        n.destroy_first.clear();
        assert!(found(&n).is_empty());
        // The users go first (deleted, or replaced deleting first): nothing holds it.
        n.destroy_first = vec![
            "aws_instance.db".to_string(),
            "aws_security_group.db".to_string(),
        ];
        n.changed[1].1 = Action::Delete;
        assert!(found(&n).is_empty());
    }

    #[test]
    fn a_replaced_group_its_users_stop_using_does_not_fire() {
        let mut n = plan(|b, _, _| {
            let s = crate::model::SubnetId(0);
            b.instance("aws_instance.db", s, &[]);
        });
        n.destroy_first = vec!["aws_security_group.db".to_string()];
        assert!(found(&n).is_empty());
    }

    #[test]
    fn a_deleted_group_still_named_by_its_id_fires() {
        let mut n = plan(|b, _, app| {
            b.sg_rule(
                app,
                false,
                5432,
                5432,
                SgPeer::Group(Link::External("sg-db".to_string())),
            );
        });
        // The planned model has no `aws_security_group.db`.
        n.after
            .security_groups
            .retain(|g| g.meta.address != "aws_security_group.db");
        n.changed = vec![("aws_security_group.db".to_string(), Action::Delete)];
        let f = found(&n);
        assert_eq!(f.len(), 1, "{f:?}");
        assert!(!f[0].1);
        assert_eq!(f[0].2, vec!["aws_security_group.app egress[0]".to_string()]);
    }
}
