//! TFVPC209 `eks-api-open-to-internet`: an EKS cluster's Kubernetes API has a public
//! endpoint open to the whole internet. Documentation: [`HELP`].

use crate::model::EksPublicEndpoint;
use crate::rules::{Ctx, Finding, RuleMeta, Severity};

pub const HELP: &str = r#"## What it checks
Every `aws_eks_cluster` whose `vpc_config` leaves the public endpoint on
(`endpoint_public_access`, on unless set to `false`) and whose `public_access_cidrs`
contains `0.0.0.0/0` or `::/0` — AWS sets `0.0.0.0/0` when the configuration names none.
A value known only after apply stays silent.

## Why it matters
The public endpoint is an address outside the VPC: no route table, network ACL or
security group of the plan stands before it, only `public_access_cidrs`. Open to the whole
internet, anyone can reach the Kubernetes API server, probe it and try credentials, and a
leaked token or kubeconfig works from anywhere. Nodes and operators inside the VPC can use
the private endpoint instead.

## Example (HCL)
```hcl
# Wrong: the default, the API open to every address
resource "aws_eks_cluster" "main" {
  name     = "main"
  role_arn = aws_iam_role.cluster.arn
  vpc_config {
    subnet_ids = aws_subnet.private[*].id
  }
}

# Right: the private endpoint, and the public one for the office only (or off)
resource "aws_eks_cluster" "main" {
  name     = "main"
  role_arn = aws_iam_role.cluster.arn
  vpc_config {
    subnet_ids              = aws_subnet.private[*].id
    endpoint_private_access = true
    endpoint_public_access  = true
    public_access_cidrs     = ["203.0.113.0/24"]
  }
}
```

## How to fix
Turn on `endpoint_private_access` and reach the API from the VPC (a bastion, a VPN, an EC2
Instance Connect Endpoint), then set `endpoint_public_access = false`, or restrict
`public_access_cidrs` to the networks that need it.

## AWS fact
An EKS cluster's public endpoint is reachable from the internet by default, from
`0.0.0.0/0`; `public_access_cidrs` limits the addresses it accepts, and the private
endpoint serves requests from within the cluster's VPC (Amazon EKS User Guide, "Cluster
API server endpoint").
"#;

pub static META: RuleMeta = RuleMeta {
    id: "TFVPC209",
    name: "eks-api-open-to-internet",
    severity: Severity::Warning,
    summary: "An EKS cluster's Kubernetes API has a public endpoint open to the whole internet",
    help: HELP,
    tags: &["eks", "exposure"],
};

/// Whether its public endpoint is on and open to the whole internet (`0.0.0.0/0` or `::/0`).
pub fn open(e: &EksPublicEndpoint) -> bool {
    e.enabled == Ok(true)
        && e.cidrs
            .as_ref()
            .is_ok_and(|v| v.iter().any(|n| n.prefix_len() == 0))
}

pub fn message(e: &EksPublicEndpoint) -> String {
    format!(
        "The Kubernetes API of `{}` has a public endpoint open to the whole internet \
         (endpoint_public_access on, public_access_cidrs {}): anyone can reach the API \
         server and try credentials, with nothing of the VPC in between. Use the private \
         endpoint from the VPC and turn the public one off, or restrict public_access_cidrs.",
        e.meta.address,
        match &e.cidrs {
            Ok(v) => v
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", "),
            Err(_) => String::new(),
        }
    )
}

pub fn check(ctx: &Ctx<'_>) -> Vec<Finding> {
    ctx.model
        .eks_public_endpoints
        .iter()
        .filter(|e| open(e))
        .map(|e| {
            Finding::new(&META, message(e), vec![e.meta.address.clone()])
                .with_fix("turn off the public endpoint or restrict public_access_cidrs")
        })
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::model::{Action, Meta, Tags};

    fn endpoint(
        enabled: Result<bool, String>,
        cidrs: Result<&[&str], String>,
    ) -> EksPublicEndpoint {
        EksPublicEndpoint {
            meta: Meta {
                address: "aws_eks_cluster.main".to_string(),
                action: Action::Create,
                id: None,
                tags: Tags::new(),
            },
            enabled,
            cidrs: cidrs.map(|v| v.iter().map(|c| c.parse().unwrap()).collect()),
        }
    }

    #[test]
    fn open_only_when_on_and_open_to_every_address() {
        assert!(open(&endpoint(Ok(true), Ok(&["0.0.0.0/0"]))));
        assert!(open(&endpoint(Ok(true), Ok(&["203.0.113.0/24", "::/0"]))));
        assert!(!open(&endpoint(Ok(true), Ok(&["203.0.113.0/24"]))));
        assert!(!open(&endpoint(Ok(false), Ok(&["0.0.0.0/0"]))));
        assert!(!open(&endpoint(Err("unknown".into()), Ok(&["0.0.0.0/0"]))));
        assert!(!open(&endpoint(Ok(true), Err("unknown".into()))));
    }
}
