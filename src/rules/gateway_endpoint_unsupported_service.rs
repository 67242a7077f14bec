//! TFVPC106 `gateway-endpoint-unsupported-service`: a `Gateway` VPC endpoint names a
//! service other than S3 or DynamoDB. Documentation: [`HELP`].

use crate::model::{EndpointKind, Val, VpcEndpoint};
use crate::rules::{Ctx, Finding, RuleMeta, Severity};

pub const HELP: &str = r#"## What it checks
Every `aws_vpc_endpoint` with `vpc_endpoint_type = "Gateway"` whose `service_name` is not
`com.amazonaws.<region>.s3` or `com.amazonaws.<region>.dynamodb`. A service name known only
after apply is not checked.

## Why it matters
Only S3 and DynamoDB offer gateway endpoints. AWS rejects any other service at apply; every
other AWS service (SSM, Secrets Manager, ECR, STS, …) is reached privately through an
*interface* endpoint (PrivateLink) instead.

## Example (HCL)
```hcl
# Wrong: SSM has no gateway endpoint
resource "aws_vpc_endpoint" "ssm" {
  vpc_id            = aws_vpc.main.id
  service_name      = "com.amazonaws.us-east-1.ssm"
  vpc_endpoint_type = "Gateway"
}

# Right: an interface endpoint with subnets and a security group
resource "aws_vpc_endpoint" "ssm" {
  vpc_id              = aws_vpc.main.id
  service_name        = "com.amazonaws.us-east-1.ssm"
  vpc_endpoint_type   = "Interface"
  subnet_ids          = [aws_subnet.private_a.id, aws_subnet.private_b.id]
  security_group_ids  = [aws_security_group.endpoints.id]
  private_dns_enabled = true
}
```

## How to fix
Use `vpc_endpoint_type = "Interface"` with `subnet_ids` and `security_group_ids`, or, for
S3 and DynamoDB, keep `Gateway` and fix the service name.

## AWS fact
Gateway endpoints exist only for Amazon S3 and DynamoDB (seeds 002 and 004;
aws-network-semantics.md, "Gateways and endpoints").
"#;

pub static META: RuleMeta = RuleMeta {
    id: "TFVPC106",
    name: "gateway-endpoint-unsupported-service",
    severity: Severity::Error,
    summary: "A Gateway VPC endpoint names a service other than S3 or DynamoDB",
    help: HELP,
    tags: &["endpoints", "apply-failure"],
};

pub struct Evidence<'m> {
    pub endpoint: &'m VpcEndpoint,
    pub service_name: String,
}

pub fn find<'m>(ctx: &Ctx<'m>) -> Vec<Evidence<'m>> {
    ctx.model
        .endpoints
        .iter()
        .filter(|e| e.kind == EndpointKind::Gateway)
        .filter_map(|e| {
            let Val::Known(name) = &e.service_name else {
                return None;
            };
            let short = e
                .service
                .as_deref()
                .unwrap_or_else(|| name.rsplit('.').next().unwrap_or(name));
            (short != "s3" && short != "dynamodb").then(|| Evidence {
                endpoint: e,
                service_name: name.clone(),
            })
        })
        .collect()
}

pub fn message(e: &Evidence<'_>) -> String {
    format!(
        "`{}` is a Gateway endpoint for `{}`, but only S3 and DynamoDB have gateway endpoints: \
         AWS rejects it at apply. Use `vpc_endpoint_type = \"Interface\"` with `subnet_ids` and \
         `security_group_ids`.",
        e.endpoint.meta.address, e.service_name
    )
}

pub fn check(ctx: &Ctx<'_>) -> Vec<Finding> {
    find(ctx)
        .iter()
        .map(|e| {
            Finding::new(&META, message(e), vec![e.endpoint.meta.address.clone()])
                .with_fix("use an Interface endpoint for this service")
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

    fn run(service: &str, kind: EndpointKind) -> Vec<Finding> {
        let mut b = Builder::new();
        let vpc = b.vpc("aws_vpc.main", "10.0.0.0/16");
        b.endpoint("aws_vpc_endpoint.x", vpc, kind, service);
        let net = network(b.build());
        check(&Ctx::new(
            &net,
            &Reachability::default(),
            &Policy::default(),
        ))
    }

    #[test]
    fn fires_on_gateway_endpoint_for_ssm() {
        let f = run("ssm", EndpointKind::Gateway);
        assert_eq!(f.len(), 1);
        assert!(f[0].message.contains("com.amazonaws.us-east-1.ssm"));
    }

    #[test]
    fn silent_for_s3_dynamodb_and_interface_endpoints() {
        assert!(run("s3", EndpointKind::Gateway).is_empty());
        assert!(run("dynamodb", EndpointKind::Gateway).is_empty());
        assert!(run("ssm", EndpointKind::Interface).is_empty());
    }
}
