//! TFVPC210 `endpoint-service-open-to-any-account`: a PrivateLink endpoint service that
//! every AWS account may connect to without acceptance. The rule's documentation is
//! [`HELP`].

use crate::model::{EndpointService, Val};
use crate::rules::{Ctx, Finding, RuleMeta, Severity};

pub const HELP: &str = r#"## What it checks
Every `aws_vpc_endpoint_service` of the planned network that allows the principal `*`
(in `allowed_principals`, or through an `aws_vpc_endpoint_service_allowed_principal` with
`principal_arn = "*"`) and has `acceptance_required = false`.

## Why it matters
An endpoint service puts a Network Load Balancer (or a Gateway Load Balancer) behind
PrivateLink: a consumer creates an interface endpoint in its own VPC and connects to the
load balancer's listeners from there. The allowed principals say who may create such an
endpoint, and acceptance says whether the owner approves each connection. With `*` and no
acceptance, anyone with an AWS account reaches the service from their own VPC, with no
approval and no trace in this configuration: for an internal service this is an exposure
as wide as the internet. Behind a Gateway Load Balancer, strangers can send their traffic
through your appliances.

## Example (HCL)
```hcl
resource "aws_vpc_endpoint_service" "api" {
  acceptance_required        = false
  allowed_principals         = ["*"]   # any AWS account, no approval
  network_load_balancer_arns = [aws_lb.api.arn]
}

# Right: name the consumer accounts (or keep acceptance on)
resource "aws_vpc_endpoint_service" "api" {
  acceptance_required        = false
  allowed_principals         = ["arn:aws:iam::111122223333:root"]
  network_load_balancer_arns = [aws_lb.api.arn]
}
```

## How to fix
List the consumer accounts or roles in `allowed_principals`, or set
`acceptance_required = true` and accept each endpoint
(`aws_vpc_endpoint_connection_accepter`). A service meant for every AWS customer (a
public SaaS offering) can suppress this finding with a reason.

## AWS fact
Service consumers can create an interface endpoint to an endpoint service only when their
principal is allowed; `*` allows all principals. When acceptance is not required, their
endpoint connections are accepted automatically (AWS PrivateLink, "Share your services
through AWS PrivateLink").
"#;

pub static META: RuleMeta = RuleMeta {
    id: "TFVPC210",
    name: "endpoint-service-open-to-any-account",
    severity: Severity::Warning,
    summary: "A PrivateLink endpoint service lets any AWS account connect without acceptance",
    help: HELP,
    tags: &["exposure", "privatelink"],
};

/// An endpoint service open to every account.
pub struct Evidence<'m> {
    pub service: &'m EndpointService,
    /// The address that allows `*` (the service itself, or an allowed-principal resource).
    pub allowed_by: &'m str,
}

pub fn find<'m>(ctx: &Ctx<'m>) -> Vec<Evidence<'m>> {
    ctx.model
        .endpoint_services
        .iter()
        .filter(|s| s.acceptance_required == Val::Known(false))
        .filter_map(|s| {
            s.allowed_principals
                .iter()
                .find(|(_, p)| matches!(p, Val::Known(p) if p == "*"))
                .map(|(by, _)| Evidence {
                    service: s,
                    allowed_by: by,
                })
        })
        .collect()
}

pub fn message(e: &Evidence<'_>) -> String {
    let behind = match e.service.load_balancers.as_slice() {
        [] => "its load balancers".to_string(),
        lbs => lbs
            .iter()
            .map(|l| format!("`{l}`"))
            .collect::<Vec<_>>()
            .join(", "),
    };
    let how = if e.allowed_by == e.service.meta.address {
        "`allowed_principals` holds `*`".to_string()
    } else {
        format!("`{}` allows `*`", e.allowed_by)
    };
    format!(
        "`{}` lets any AWS account connect to {behind} ({how}) without acceptance \
         (`acceptance_required = false`): anyone can create an endpoint in their own VPC and \
         reach its listeners. Name the consumer accounts, or require acceptance.",
        e.service.meta.address
    )
}

pub fn check(ctx: &Ctx<'_>) -> Vec<Finding> {
    find(ctx)
        .iter()
        .map(|e| {
            let mut resources = vec![e.service.meta.address.clone()];
            if e.allowed_by != e.service.meta.address {
                resources.push(e.allowed_by.to_string());
            }
            Finding::new(&META, message(e), resources).with_fix(
                "list the consumer accounts in `allowed_principals`, or set `acceptance_required = true`",
            )
        })
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::analysis::Reachability;
    use crate::model::{Action, Meta, Model};
    use crate::rules::testkit::network;
    use crate::rules::Policy;

    fn service(acceptance: Val<bool>, principals: &[(&str, Val<String>)]) -> EndpointService {
        EndpointService {
            meta: Meta {
                address: "aws_vpc_endpoint_service.api".into(),
                action: Action::Create,
                id: None,
                tags: Default::default(),
            },
            acceptance_required: acceptance,
            allowed_principals: principals
                .iter()
                .map(|(by, p)| (by.to_string(), p.clone()))
                .collect(),
            load_balancers: vec!["aws_lb.api".into()],
        }
    }

    fn run(s: EndpointService) -> Vec<Finding> {
        let m = Model {
            endpoint_services: vec![s],
            ..Model::default()
        };
        let net = network(m);
        check(&Ctx::new(
            &net,
            &Reachability::default(),
            &Policy::default(),
        ))
    }

    const SELF: &str = "aws_vpc_endpoint_service.api";

    #[test]
    fn fires_on_star_without_acceptance() {
        let f = run(service(
            Val::Known(false),
            &[(SELF, Val::Known("*".into()))],
        ));
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].resources, [SELF]);
        assert!(f[0].message.contains("`aws_lb.api`"), "{}", f[0].message);
        // Through an allowed-principal resource: named beside the service.
        let by = "aws_vpc_endpoint_service_allowed_principal.all";
        let f = run(service(Val::Known(false), &[(by, Val::Known("*".into()))]));
        assert_eq!(f[0].resources, [SELF, by]);
    }

    #[test]
    fn silent_with_acceptance_named_principals_or_unknowns() {
        let star = || (SELF, Val::Known("*".to_string()));
        assert!(run(service(Val::Known(true), &[star()])).is_empty());
        assert!(run(service(Val::Unknown("known after apply".into()), &[star()])).is_empty());
        let account = (
            SELF,
            Val::Known("arn:aws:iam::111122223333:root".to_string()),
        );
        assert!(run(service(Val::Known(false), &[account])).is_empty());
        assert!(run(service(
            Val::Known(false),
            &[(SELF, Val::Unknown("x".into()))]
        ))
        .is_empty());
    }
}
