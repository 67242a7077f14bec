//! TFVPC404 `api-gateway-cache-ttl-out-of-range`: an API Gateway method's cache TTL is above
//! 3600 s or below 0; a note when caching is on with TTL 0. Documentation: [`HELP`].

use crate::model::{ApiMethodSettings, Val};
use crate::rules::{Ctx, Finding, RuleMeta, Severity};

pub const HELP: &str = r#"## What it checks
Every `aws_api_gateway_method_settings` whose `settings.cache_ttl_in_seconds` is above 3600
or below 0 (an error), or is 0 while `caching_enabled = true` (a note: caching is then
effectively off). A TTL known only after apply is not checked.

## Why it matters
API Gateway accepts TTLs from 0 to 3600 seconds; outside that range the `UpdateStage` call
fails and apply stops. A TTL of 0 with caching enabled pays for the cache cluster without
caching anything.

## Example (HCL)
```hcl
resource "aws_api_gateway_method_settings" "all" {
  rest_api_id = aws_api_gateway_rest_api.api.id
  stage_name  = aws_api_gateway_stage.prod.stage_name
  method_path = "*/*"
  settings {
    caching_enabled      = true
    cache_ttl_in_seconds = 300     # default; maximum 3600 (7200 in the wrong version)
  }
}
```

## How to fix
Use a TTL between 1 and 3600 seconds; to disable caching, set `caching_enabled = false`
(and `cache_cluster_enabled = false` on the stage to stop paying for the cluster).

## AWS fact
API Gateway stage caching: default TTL 300 s, maximum 3600 s, 0 disables caching (seed 003).
"#;

pub static META: RuleMeta = RuleMeta {
    id: "TFVPC404",
    name: "api-gateway-cache-ttl-out-of-range",
    severity: Severity::Error,
    summary:
        "An API Gateway cache TTL is above 3600 s or below 0 (note when caching is on with TTL 0)",
    help: HELP,
    tags: &["api-gateway", "apply-failure"],
};

pub struct Evidence<'m> {
    pub settings: &'m ApiMethodSettings,
    pub ttl: i64,
}

pub fn find<'m>(ctx: &Ctx<'m>) -> Vec<Evidence<'m>> {
    ctx.model
        .api_method_settings
        .iter()
        .filter_map(|s| match &s.cache_ttl_in_seconds {
            Some(Val::Known(ttl)) if !(0..=3600).contains(ttl) => Some(Evidence {
                settings: s,
                ttl: *ttl,
            }),
            Some(Val::Known(0)) if s.caching_enabled == Some(true) => Some(Evidence {
                settings: s,
                ttl: 0,
            }),
            _ => None,
        })
        .collect()
}

pub fn message(e: &Evidence<'_>) -> String {
    let at = e
        .settings
        .method_path
        .as_deref()
        .map(|p| format!(" for `{p}`"))
        .unwrap_or_default();
    if e.ttl == 0 {
        format!(
            "`{}` enables caching{at} with `cache_ttl_in_seconds = 0`, which disables caching: \
             the stage pays for a cache it never uses. Set a TTL (default 300 s) or \
             `caching_enabled = false`.",
            e.settings.meta.address
        )
    } else {
        format!(
            "`{}` sets `cache_ttl_in_seconds = {}`{at}, outside API Gateway's 0–3600 s range: \
             apply fails. Use at most 3600 (the default is 300).",
            e.settings.meta.address, e.ttl
        )
    }
}

pub fn check(ctx: &Ctx<'_>) -> Vec<Finding> {
    find(ctx)
        .iter()
        .map(|e| {
            let f = Finding::new(&META, message(e), vec![e.settings.meta.address.clone()])
                .with_fix("use a TTL between 1 and 3600 seconds");
            if e.ttl == 0 {
                f.with_severity(Severity::Note)
            } else {
                f
            }
        })
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::analysis::Reachability;
    use crate::model::{Action, Link, Meta};
    use crate::rules::testkit::{network, Builder};
    use crate::rules::Policy;

    fn run(ttl: Val<i64>, caching: bool) -> Vec<Finding> {
        let mut b = Builder::new();
        b.m.api_method_settings.push(ApiMethodSettings {
            meta: Meta {
                address: "aws_api_gateway_method_settings.all".into(),
                action: Action::Create,
                id: None,
                tags: Default::default(),
            },
            stage: Link::None,
            method_path: Some("*/*".into()),
            caching_enabled: Some(caching),
            cache_ttl_in_seconds: Some(ttl),
        });
        let net = network(b.build());
        check(&Ctx::new(
            &net,
            &Reachability::default(),
            &Policy::default(),
        ))
    }

    #[test]
    fn fires_above_3600_and_below_0() {
        let f = run(Val::Known(7200), true);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].severity, Severity::Error);
        assert!(f[0].message.contains("7200"));
        assert_eq!(run(Val::Known(-1), true).len(), 1);
    }

    #[test]
    fn ttl_zero_with_caching_is_a_note() {
        let f = run(Val::Known(0), true);
        assert_eq!(f[0].severity, Severity::Note);
        assert!(run(Val::Known(0), false).is_empty());
    }

    #[test]
    fn silent_in_range_or_unknown() {
        assert!(run(Val::Known(3600), true).is_empty());
        assert!(run(Val::Unknown("known after apply".into()), true).is_empty());
    }
}
