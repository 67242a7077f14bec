//! Every rule ID, in one table: the catalog's order, the IDs users suppress and filter by,
//! and the IDs that were retired (never to be reused).
//!
//! Adding a rule: one file in `src/rules/`, one row here (and in `ADDED` below until the
//! shared `rules.md` has it); `docs/rules.md` is regenerated from them.

use super::{
    admin_ports_open_to_internet as r203, api_gateway_cache_ttl_out_of_range as r404,
    asymmetric_path as r109, blackhole_route as r102, data_service_open_to_internet as r208,
    dns64_without_nat64_route as r116, duplicate_route as r107, eice_cannot_reach_targets as r205,
    eigw_ipv4_destination as r101, eks_api_open_to_internet as r209,
    endpoint_service_open_to_any_account as r210, gateway_endpoint_unsupported_service as r106,
    gateway_endpoint_without_route_tables as r402, gateway_in_other_vpc as r103,
    interface_endpoint_single_az as r305, ipv6_subnet_exposed_to_internet as r201,
    lb_cannot_reach_targets as r112, lb_in_private_subnet as r111,
    lb_target_zone_not_enabled as r306, nacl_blocks_return_traffic as r110,
    nacl_rule_shadowed as r113, nat_gateway_cross_az as r301,
    nat_gateway_in_private_subnet as r105, nat_gateway_without_eip as r104,
    nat_instance_as_open_bastion as r204, peering_overlapping_cidrs as r108,
    plan_opens_cross_segment_path as r207, plan_opens_internet_ingress as r206, policy_checks,
    private_subnet_internet_ingress as r202, s3_or_dynamodb_via_nat as r401,
    sg_deleted_while_in_use as r115, sg_reference_not_matched as r114,
    single_nat_gateway_for_many_azs as r302, tgw_appliance_mode_off as r307,
    tgw_attachment_single_az as r303, tgw_attachment_unused as r403, unused_route_table as r405,
    vpn_ecmp_needs_dynamic_routing as r304,
};
use super::{Ctx, Finding, RuleMeta};

/// One catalog rule: its metadata and its check.
pub struct Rule {
    pub meta: &'static RuleMeta,
    pub check: fn(&Ctx<'_>) -> Vec<Finding>,
}

/// Rules that check the model and reachability, sorted by ID.
pub static RULES: &[Rule] = &[
    Rule {
        meta: &policy_checks::EXPIRED_SUPPRESSION,
        check: no_check,
    },
    Rule {
        meta: &policy_checks::UNKNOWN_RULE_ID,
        check: no_check,
    },
    Rule {
        meta: &policy_checks::UNUSED_SUPPRESSION,
        check: no_check,
    },
    Rule {
        meta: &policy_checks::INTENT_SELECTS_NOTHING,
        check: policy_checks::intents_selecting_nothing,
    },
    Rule {
        meta: &r101::META,
        check: r101::check,
    },
    Rule {
        meta: &r102::META,
        check: r102::check,
    },
    Rule {
        meta: &r103::META,
        check: r103::check,
    },
    Rule {
        meta: &r104::META,
        check: r104::check,
    },
    Rule {
        meta: &r105::META,
        check: r105::check,
    },
    Rule {
        meta: &r106::META,
        check: r106::check,
    },
    Rule {
        meta: &r107::META,
        check: r107::check,
    },
    Rule {
        meta: &r108::META,
        check: r108::check,
    },
    Rule {
        meta: &r109::META,
        check: r109::check,
    },
    Rule {
        meta: &r110::META,
        check: r110::check,
    },
    Rule {
        meta: &r111::META,
        check: r111::check,
    },
    Rule {
        meta: &r112::META,
        check: r112::check,
    },
    Rule {
        meta: &r113::META,
        check: r113::check,
    },
    Rule {
        meta: &r114::META,
        check: r114::check,
    },
    Rule {
        meta: &r115::META,
        check: r115::check,
    },
    Rule {
        meta: &r116::META,
        check: r116::check,
    },
    Rule {
        meta: &r201::META,
        check: r201::check,
    },
    Rule {
        meta: &r202::META,
        check: r202::check,
    },
    Rule {
        meta: &r203::META,
        check: r203::check,
    },
    Rule {
        meta: &r204::META,
        check: r204::check,
    },
    Rule {
        meta: &r205::META,
        check: r205::check,
    },
    Rule {
        meta: &r206::META,
        check: r206::check,
    },
    Rule {
        meta: &r207::META,
        check: r207::check,
    },
    Rule {
        meta: &r208::META,
        check: r208::check,
    },
    Rule {
        meta: &r209::META,
        check: r209::check,
    },
    Rule {
        meta: &r210::META,
        check: r210::check,
    },
    Rule {
        meta: &r301::META,
        check: r301::check,
    },
    Rule {
        meta: &r302::META,
        check: r302::check,
    },
    Rule {
        meta: &r303::META,
        check: r303::check,
    },
    Rule {
        meta: &r304::META,
        check: r304::check,
    },
    Rule {
        meta: &r305::META,
        check: r305::check,
    },
    Rule {
        meta: &r306::META,
        check: r306::check,
    },
    Rule {
        meta: &r307::META,
        check: r307::check,
    },
    Rule {
        meta: &r401::META,
        check: r401::check,
    },
    Rule {
        meta: &r402::META,
        check: r402::check,
    },
    Rule {
        meta: &r403::META,
        check: r403::check,
    },
    Rule {
        meta: &r404::META,
        check: r404::check,
    },
    Rule {
        meta: &r405::META,
        check: r405::check,
    },
];

/// IDs that once named a rule and were removed. They are never reused: a user's
/// suppression of a retired ID must not silently start hiding a different rule.
pub static RETIRED: &[&str] = &[];

/// The 0xx rules concern tfvpc's own policy file; they run in [`policy_checks`], after
/// suppressions are applied, not here.
fn no_check(_ctx: &Ctx<'_>) -> Vec<Finding> {
    Vec::new()
}

/// The catalog as one markdown page (`docs/rules.md`): a table of every rule, then each
/// rule's documentation, its headings one level down.
pub fn catalog_markdown() -> String {
    let mut s = String::from(
        "# Rules\n\n\
         Every built-in rule of tfvpc, as `tfvpc rules` lists them and `tfvpc explain ID` shows \
         them. IDs are stable: a retired ID is never reused. Severities are the defaults; \
         `tfvpc.toml` can change them, suppress a finding or turn a rule off, and a \
         `# tfvpc:ignore:ID reason` comment on a block hides its findings \
         ([policy.md](policy.md)).\n\n\
         This page is generated from the rules' own documentation: \
         `TFVPC_BLESS=1 cargo test --test rules_cli docs_rules_page` rewrites it.\n\n\
         | ID | Name | Severity | Finds |\n|---|---|---|---|\n",
    );
    for r in RULES {
        let m = r.meta;
        s.push_str(&format!(
            "| [`{}`](#{}) | `{}` | {} | {} |\n",
            m.id,
            m.id.to_ascii_lowercase(),
            m.name,
            m.severity.as_str(),
            m.summary.replace('|', "\\|")
        ));
    }
    for r in RULES {
        let m = r.meta;
        s.push_str(&format!(
            "\n## {}\n\n`{}` · default severity **{}**",
            m.id,
            m.name,
            m.severity.as_str()
        ));
        if !m.tags.is_empty() {
            s.push_str(&format!(" · tags: {}", m.tags.join(", ")));
        }
        s.push_str(&format!("\n\n{}\n", m.summary));
        let mut in_code = false;
        for line in m.help.lines() {
            if line.starts_with("```") {
                in_code = !in_code;
            }
            s.push('\n');
            match line.strip_prefix("## ") {
                Some(h) if !in_code => {
                    s.push_str("### ");
                    s.push_str(h);
                }
                _ => s.push_str(line),
            }
        }
        s.push('\n');
    }
    s
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::rules::Severity;

    /// The catalog of `rules.md` (id, name, default severity), copied here so the test runs
    /// without the shared docs; when `rules.md` is reachable it is compared as well.
    const RULES_MD: &[(&str, &str, &str)] = &[
        ("TFVPC101", "eigw-ipv4-destination", "error"),
        ("TFVPC102", "blackhole-route", "error"),
        ("TFVPC103", "gateway-in-other-vpc", "error"),
        ("TFVPC104", "nat-gateway-without-eip", "error"),
        ("TFVPC105", "nat-gateway-in-private-subnet", "error"),
        ("TFVPC106", "gateway-endpoint-unsupported-service", "error"),
        ("TFVPC107", "duplicate-route", "error"),
        ("TFVPC108", "peering-overlapping-cidrs", "error"),
        ("TFVPC109", "asymmetric-path", "warning"),
        ("TFVPC110", "nacl-blocks-return-traffic", "warning"),
        ("TFVPC201", "ipv6-subnet-exposed-to-internet", "error"),
        ("TFVPC202", "private-subnet-internet-ingress", "error"),
        ("TFVPC203", "admin-ports-open-to-internet", "error"),
        ("TFVPC204", "nat-instance-as-open-bastion", "warning"),
        ("TFVPC205", "eice-cannot-reach-targets", "warning"),
        ("TFVPC301", "nat-gateway-cross-az", "warning"),
        ("TFVPC302", "single-nat-gateway-for-many-azs", "warning"),
        ("TFVPC303", "tgw-attachment-single-az", "warning"),
        ("TFVPC304", "vpn-ecmp-needs-dynamic-routing", "warning"),
        ("TFVPC305", "interface-endpoint-single-az", "note"),
        ("TFVPC401", "s3-or-dynamodb-via-nat", "warning"),
        (
            "TFVPC402",
            "gateway-endpoint-without-route-tables",
            "warning",
        ),
        ("TFVPC403", "tgw-attachment-unused", "note"),
        ("TFVPC404", "api-gateway-cache-ttl-out-of-range", "error"),
        ("TFVPC405", "unused-route-table", "note"),
    ];

    /// Rules tfvpc added beyond the shared catalog in rules.md (to be added there too).
    const ADDED: &[(&str, &str, &str)] = &[
        (
            "TFVPC111",
            "internet-facing-load-balancer-in-private-subnet",
            "error",
        ),
        ("TFVPC112", "load-balancer-cannot-reach-targets", "warning"),
        ("TFVPC113", "nacl-rule-shadowed", "warning"),
        ("TFVPC114", "sg-reference-not-matched", "warning"),
        ("TFVPC115", "sg-deleted-while-in-use", "error"),
        ("TFVPC116", "dns64-without-nat64-route", "warning"),
        ("TFVPC206", "plan-opens-internet-ingress", "error"),
        ("TFVPC207", "plan-opens-cross-segment-path", "warning"),
        ("TFVPC208", "data-service-open-to-internet", "error"),
        ("TFVPC209", "eks-api-open-to-internet", "warning"),
        (
            "TFVPC210",
            "endpoint-service-open-to-any-account",
            "warning",
        ),
        ("TFVPC306", "lb-target-in-zone-not-enabled", "warning"),
        ("TFVPC307", "tgw-appliance-mode-off", "warning"),
    ];

    #[test]
    fn ids_are_unique_sorted_and_well_formed() {
        let ids: Vec<&str> = RULES.iter().map(|r| r.meta.id).collect();
        let mut sorted = ids.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(ids, sorted, "rule IDs must be unique and sorted");
        for id in &ids {
            assert!(id.starts_with("TFVPC") && id.len() == 8, "{id}");
            assert!(id[5..].chars().all(|c| c.is_ascii_digit()), "{id}");
        }
        let names: std::collections::BTreeSet<&str> = RULES.iter().map(|r| r.meta.name).collect();
        assert_eq!(names.len(), RULES.len(), "rule names must be unique");
    }

    #[test]
    fn retired_ids_are_never_reused() {
        for id in RETIRED {
            assert!(RULES.iter().all(|r| r.meta.id != *id), "{id} is retired");
        }
    }

    #[test]
    fn catalog_matches_rules_md() {
        let ours: Vec<(&str, &str, &str)> = RULES
            .iter()
            .filter(|r| r.meta.id >= "TFVPC100")
            .map(|r| (r.meta.id, r.meta.name, r.meta.severity.as_str()))
            .collect();
        let mut expected_all: Vec<(&str, &str, &str)> =
            RULES_MD.iter().chain(ADDED).copied().collect();
        expected_all.sort_unstable();
        assert_eq!(ours, expected_all);
        // When the shared catalog is reachable, compare with it too.
        // (`docs/rules.md` is this project's own page, generated: see `catalog_markdown`.)
        for candidate in ["../shared/rules.md", "../../shared/rules.md"] {
            let Ok(text) = std::fs::read_to_string(candidate) else {
                continue;
            };
            let rows: Vec<(String, String, String)> = text
                .lines()
                .filter(|l| l.starts_with("| TFVPC"))
                .map(|l| {
                    let cells: Vec<&str> = l.split('|').map(str::trim).collect();
                    (
                        cells[1].to_string(),
                        cells[2].to_string(),
                        cells[3].to_string(),
                    )
                })
                .collect();
            let expected: Vec<(String, String, String)> = RULES_MD
                .iter()
                .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
                .collect();
            assert_eq!(rows, expected, "{candidate} differs from the catalog");
        }
    }

    #[test]
    fn every_rule_has_documentation_with_the_fixed_headings() {
        for r in RULES {
            let m = r.meta;
            assert!(
                !m.summary.is_empty() && !m.summary.ends_with('.'),
                "{}",
                m.id
            );
            for heading in [
                "## What it checks",
                "## Why it matters",
                "## Example",
                "## How to fix",
                "## AWS fact",
            ] {
                assert!(m.help.contains(heading), "{} lacks {heading}", m.id);
            }
            assert!(matches!(
                m.severity,
                Severity::Error | Severity::Warning | Severity::Note
            ));
        }
    }
}
