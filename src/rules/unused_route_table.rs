//! TFVPC405 `unused-route-table`: a route table is associated with no subnet or gateway.
//! Documentation: [`HELP`].

use crate::model::{Link, RouteTable, RouteTableId};
use crate::rules::{Ctx, Finding, RuleMeta, Severity};

pub const HELP: &str = r#"## What it checks
Every route table Terraform manages that no subnet uses (explicitly or as its VPC's main
table) and that has no gateway (edge) association. A VPC with a subnet whose association
cannot be resolved at plan time is skipped.

## Why it matters
Routes in an unassociated table affect nothing. Usually this means an association was
forgotten — the subnets meant to use it fall back to the main route table, with different
(often more open, or no) internet access — or the table is a leftover.

## Example (HCL)
```hcl
resource "aws_route_table" "private" {
  vpc_id = aws_vpc.main.id
}
# Missing:
resource "aws_route_table_association" "private" {
  count          = length(aws_subnet.private)
  subnet_id      = aws_subnet.private[count.index].id
  route_table_id = aws_route_table.private.id
}
```

## How to fix
Associate the table with its subnets (`aws_route_table_association`), make it the main
table (`aws_main_route_table_association`), or delete it.

## AWS fact
Every subnet uses exactly one route table: its explicit association, else the VPC's main
table (aws-network-semantics.md, "Which table, which rules").
"#;

pub static META: RuleMeta = RuleMeta {
    id: "TFVPC405",
    name: "unused-route-table",
    severity: Severity::Note,
    summary: "A route table is associated with no subnet or gateway",
    help: HELP,
    tags: &["hygiene", "routing"],
};

pub struct Evidence<'m> {
    pub table: &'m RouteTable,
}

pub fn find<'m>(ctx: &Ctx<'m>) -> Vec<Evidence<'m>> {
    let m = ctx.model;
    // One pass over the VPCs and subnets instead of one per table.
    let main: std::collections::BTreeSet<RouteTableId> =
        m.vpcs.iter().map(|v| v.main_route_table).collect();
    // Tables a subnet uses, by the subnet's VPC (`None`: a subnet whose VPC is unresolved,
    // which may be in any VPC); VPCs (or `None`) with a subnet whose table is unresolved.
    let mut uses = std::collections::BTreeSet::new();
    let mut unresolved = std::collections::BTreeSet::new();
    for s in &m.subnets {
        match &s.route_table.link {
            Link::To(x, _) => {
                uses.insert((s.vpc.id(), *x));
            }
            Link::Unresolved(_) => {
                unresolved.insert(s.vpc.id());
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    for (i, t) in m.route_tables.iter().enumerate() {
        let id = RouteTableId(i as u32);
        if t.synthesized || !t.edge_associations.is_empty() {
            continue;
        }
        if main.contains(&id) {
            continue;
        }
        let Some(vpc) = t.vpc.id() else { continue };
        let used = [Some(vpc), None]
            .iter()
            .any(|v| uses.contains(&(*v, id)) || unresolved.contains(v));
        if !used {
            out.push(Evidence { table: t });
        }
    }
    out
}

pub fn message(e: &Evidence<'_>) -> String {
    format!(
        "`{}` is associated with no subnet or gateway, so its routes affect nothing; subnets \
         meant to use it fall back to the VPC's main route table. Add an \
         `aws_route_table_association`, or delete the table.",
        e.table.meta.address
    )
}

pub fn check(ctx: &Ctx<'_>) -> Vec<Finding> {
    find(ctx)
        .iter()
        .map(|e| {
            Finding::new(&META, message(e), vec![e.table.meta.address.clone()])
                .with_fix("associate the table or delete it")
        })
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::analysis::Reachability;
    use crate::rules::testkit::{network, Builder};
    use crate::rules::Policy;

    fn run(associate: bool) -> Vec<Finding> {
        let mut b = Builder::new();
        let vpc = b.vpc("aws_vpc.main", "10.0.0.0/16");
        let s = b.subnet("aws_subnet.private", vpc, "az-a", "10.0.1.0/24");
        let rt = b.route_table("aws_route_table.private", vpc);
        if associate {
            b.associate(s, rt);
        }
        let net = network(b.build());
        check(&Ctx::new(
            &net,
            &Reachability::default(),
            &Policy::default(),
        ))
    }

    #[test]
    fn fires_on_a_table_nobody_uses() {
        let f = run(false);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].resources, ["aws_route_table.private"]);
    }

    #[test]
    fn silent_when_associated_and_for_the_synthesized_main_table() {
        assert!(run(true).is_empty());
    }
}
