//! TFVPC001–004: problems in the user's own `tfvpc.toml` (an expired suppression, an
//! unknown rule ID, a suppression that hides nothing, an intent whose end selects nothing).
//! The first three run after suppressions are applied; their documentation is in the
//! `HELP_*` constants.

use super::policy::{Date, EndpointSel, Policy};
use super::{Ctx, Finding, RuleMeta, Severity};

pub const HELP_EXPIRED: &str = r#"## What it checks
Every `[[suppress]]` entry of `tfvpc.toml` whose `expires` date is before today.

## Why it matters
A suppression is a promise to fix something by a date. Once the date has passed, the
suppression stops hiding findings and this finding says so, so the promise cannot be forgotten
silently.

## Example (TOML)
```toml
[[suppress]]
rule = "TFVPC201"
resources = ["aws_subnet.legacy*"]
reason = "legacy subnets, removed with the Q3 migration"
expires = 2026-12-31
```

## How to fix
Fix what the suppressed rule reports, then delete the entry; or, if the exception still
holds, move `expires` to a new date and update `reason`.

## AWS fact
None: this is about tfvpc's policy file. Dates compare by calendar day (UTC).
"#;

pub static EXPIRED_SUPPRESSION: RuleMeta = RuleMeta {
    id: "TFVPC001",
    name: "expired-suppression",
    severity: Severity::Warning,
    summary: "A suppression in tfvpc.toml has passed its expiry date and no longer hides findings",
    help: HELP_EXPIRED,
    tags: &["policy"],
};

pub const HELP_UNKNOWN: &str = r#"## What it checks
Every rule ID in `tfvpc.toml` (`[rules]` keys, `[[suppress]] rule`) that is neither a
built-in rule (`tfvpc rules`) nor the `id` of one of the file's own intents.

## Why it matters
A typo such as `TFVPC210` for `TFVPC201` would otherwise turn off or suppress nothing, and
nobody would notice that the rule still runs — or that the intended exception is missing.

## Example (TOML)
```toml
[rules]
TFVPC305 = "off"      # right
TFVPC350 = "off"      # reported: no such rule
```

## How to fix
Use an ID from `tfvpc rules`; the message lists close IDs.

## AWS fact
None: this is about tfvpc's policy file.
"#;

pub static UNKNOWN_RULE_ID: RuleMeta = RuleMeta {
    id: "TFVPC002",
    name: "unknown-rule-id",
    severity: Severity::Warning,
    summary: "tfvpc.toml names a rule ID that is neither a built-in rule nor one of its intents",
    help: HELP_UNKNOWN,
    tags: &["policy"],
};

pub const HELP_UNUSED: &str = r#"## What it checks
Every unexpired `[[suppress]]` entry that hid no finding in this run, and every rule of a
`tfvpc:ignore:RULE` comment in the `.tf` sources that hid no finding of its block (the
finding points at the comment).

## Why it matters
A suppression that matches nothing is either stale (the problem was fixed: delete it) or
wrong (its `resources` glob does not match the address it was meant for, or the comment
names a rule ID with a typo, so the finding it was meant to hide would show up — or a
future one would be hidden unexpectedly).

## Example (TOML, then HCL)
```toml
[[suppress]]
rule = "TFVPC301"
resources = ["aws_subnet.privat*"]   # typo: matches nothing
reason = "cost: one NAT gateway in dev"
```

```hcl
# tfvpc:ignore:TFVPC230 bastion, reviewed   <- no such rule: TFVPC203 was meant
resource "aws_security_group" "bastion" {
```

## How to fix
Delete the entry (or the comment), or correct its `resources` globs (`*` matches any run of
characters, everything else is literal) or the comment's rule ID.

## AWS fact
None: this is about tfvpc's policy file.
"#;

pub static UNUSED_SUPPRESSION: RuleMeta = RuleMeta {
    id: "TFVPC003",
    name: "unused-suppression",
    severity: Severity::Note,
    summary: "A suppression in tfvpc.toml, or a tfvpc:ignore comment, hid no finding",
    help: HELP_UNUSED,
    tags: &["policy"],
};

pub const HELP_SELECTS_NOTHING: &str = r#"## What it checks
Every intent of `tfvpc.toml` whose `from` or `to` selects nothing in the planned network:
a workload or subnet glob that matches no address, a segment whose selectors match no
subnet, a `vpn:` glob that matches no VPN connection. Also an intent whose `from` is a VPN
connection or a service: tfvpc answers connections that subnets, workloads and the internet
open, not those opened on premises or by a service, so such an intent asks nothing either.

## Why it matters
Such an intent asks no question, so it always holds: a `require` that names its workload
with a typo never fails, and a `deny` guards nothing. It is either stale (what it named was
renamed or removed) or wrong.

## Example (TOML)
```toml
[[require]]
id   = "MIGRATIONS-REACH-DB"
from = "workload:aws_codebuild_project.migrations*"   # the project is `migrate`
to   = "workload:aws_db_instance.main*"
```

## How to fix
Correct the glob (`*` matches any run of characters, everything else is literal; a
workload launched in several subnets is named `ADDRESS (SUBNET)`), or delete the intent.
For a `vpn:` or `service:` `from`, ask the other way round (`from` the subnets or
workloads, `to` the VPN or service): what they can open.

## AWS fact
None: this is about tfvpc's policy file.
"#;

pub static INTENT_SELECTS_NOTHING: RuleMeta = RuleMeta {
    id: "TFVPC004",
    name: "intent-selects-nothing",
    severity: Severity::Note,
    summary: "An intent in tfvpc.toml selects nothing at one of its ends, so it is not checked",
    help: HELP_SELECTS_NOTHING,
    tags: &["policy"],
};

/// TFVPC004: each end of an intent that selects nothing in the planned network.
pub fn intents_selecting_nothing(ctx: &Ctx<'_>) -> Vec<Finding> {
    let file = ctx
        .policy
        .path
        .as_ref()
        .map_or_else(|| "tfvpc.toml".to_string(), |p| p.display().to_string());
    let mut out = Vec::new();
    for i in ctx
        .policy
        .intents
        .iter()
        .filter(|i| !ctx.policy.is_off(&i.id))
    {
        for (end, sel, at) in [
            ("from", &i.from, &i.locations[0]),
            ("to", &i.to, &i.locations[1]),
        ] {
            let opener = matches!(sel, EndpointSel::Vpn(_) | EndpointSel::Service(_));
            if end == "from" && opener {
                out.push(Finding::new(
                    &INTENT_SELECTS_NOTHING,
                    format!(
                        "{at}: intent `{}`: `from = \"{}\"`: tfvpc answers connections that \
                         subnets, workloads and the internet open, not those opened on \
                         premises or by a service, so the intent asks nothing and is not \
                         checked. Ask it the other way round (`to = \"{}\"`), or delete it.",
                        i.id,
                        sel.as_written(),
                        sel.as_written()
                    ),
                    vec![file.clone()],
                ));
                continue;
            }
            if super::intents::endpoint_names(ctx.model, ctx.policy, sel).is_empty() {
                out.push(Finding::new(
                    &INTENT_SELECTS_NOTHING,
                    format!(
                        "{at}: intent `{}`: `{end} = \"{}\"` selects nothing in the planned \
                         network, so the intent asks nothing and is not checked. Correct the \
                         glob or delete the intent.",
                        i.id,
                        sel.as_written()
                    ),
                    vec![file.clone()],
                ));
            }
        }
    }
    out
}

/// TFVPC003 for each `tfvpc:ignore` comment (one rule of it) that hid no finding. Its
/// resource is the comment's place, `FILE.tf:LINE`, which reports point at.
pub fn unused_ignores(unused: &[crate::report::source::Ignore]) -> Vec<Finding> {
    unused
        .iter()
        .map(|i| {
            let at = format!("{}:{}", i.at.file, i.at.line);
            Finding::new(
                &UNUSED_SUPPRESSION,
                format!(
                    "{at}: `tfvpc:ignore:{}` hid no finding in this run: the finding it was                      for is gone, or the rule ID is wrong. Delete the comment, or correct the                      ID.",
                    i.rule
                ),
                vec![at],
            )
        })
        .collect()
}

/// The policy file's own findings. `used[i]` says whether suppression `i` hid a finding.
pub fn check(policy: &Policy, today: Date, used: &[bool]) -> Vec<Finding> {
    let file = policy
        .path
        .as_ref()
        .map_or_else(|| "tfvpc.toml".to_string(), |p| p.display().to_string());
    let mut out = Vec::new();
    for u in &policy.unknown_ids {
        let hint = if u.suggestions.is_empty() {
            "run `tfvpc rules` for the list".to_string()
        } else {
            format!("did you mean {}?", u.suggestions.join(", "))
        };
        out.push(Finding::new(
            &UNKNOWN_RULE_ID,
            format!(
                "{}: `{}` is not a tfvpc rule or an intent of this file, so this setting has no \
                 effect; {hint}",
                u.location, u.id
            ),
            vec![file.clone()],
        ));
    }
    for (i, s) in policy.suppressions.iter().enumerate() {
        match s.expires {
            Some(d) if d < today => out.push(
                Finding::new(
                    &EXPIRED_SUPPRESSION,
                    format!(
                        "{}: the suppression of {} expired on {d} (reason given: \"{}\"); its \
                         findings are reported again. Fix them and delete the entry, or set a \
                         new `expires` date.",
                        s.location, s.rule, s.reason
                    ),
                    vec![file.clone()],
                )
                .with_fix("fix the findings, or extend `expires`"),
            ),
            _ if !used.get(i).copied().unwrap_or(false) => out.push(Finding::new(
                &UNUSED_SUPPRESSION,
                format!(
                    "{}: the suppression of {}{} hid no finding; delete it or correct its \
                     `resources` globs.",
                    s.location,
                    s.rule,
                    if s.resources.is_empty() {
                        String::new()
                    } else {
                        format!(
                            " on {}",
                            s.resources
                                .iter()
                                .map(|g| format!("`{}`", g.as_str()))
                                .collect::<Vec<_>>()
                                .join(", ")
                        )
                    }
                ),
                vec![file.clone()],
            )),
            _ => {}
        }
    }
    out
}
