//! TFVPC304 `vpn-ecmp-needs-dynamic-routing`: a VPN connection to a transit gateway with
//! `vpn_ecmp_support` uses `static_routes_only = true`. Documentation: [`HELP`].

use crate::model::VpnConnection;
use crate::rules::{Ctx, Finding, RuleMeta, Severity};

pub const HELP: &str = r#"## What it checks
Every `aws_vpn_connection` attached to a transit gateway that has `vpn_ecmp_support`
enabled (the default), with `static_routes_only = true`.

## Why it matters
ECMP spreads traffic over both tunnels (and over several VPN connections) only for routes
learnt through BGP. With static routes, the TGW uses one tunnel at a time, so throughput
stays at a single tunnel's ~1.25 Gbps and the second tunnel is only a standby — the reason
`vpn_ecmp_support` was enabled is lost.

## Example (HCL)
```hcl
# Wrong: ECMP-capable TGW, static VPN
resource "aws_vpn_connection" "onprem" {
  customer_gateway_id = aws_customer_gateway.dc.id
  transit_gateway_id  = aws_ec2_transit_gateway.hub.id
  type                = "ipsec.1"
  static_routes_only  = true
}

# Right: BGP (dynamic routing); the customer gateway needs a BGP ASN
resource "aws_vpn_connection" "onprem" {
  customer_gateway_id = aws_customer_gateway.dc.id
  transit_gateway_id  = aws_ec2_transit_gateway.hub.id
  type                = "ipsec.1"
  static_routes_only  = false
}
```

## How to fix
Set `static_routes_only = false` and configure BGP on the customer gateway device; add more
VPN connections for more aggregate throughput.

## AWS fact
"Each VPN tunnel supports up to 1.25 Gbps"; ECMP across tunnels on a transit gateway needs
dynamic routing and `vpn_ecmp_support` (seed 003).
"#;

pub static META: RuleMeta = RuleMeta {
    id: "TFVPC304",
    name: "vpn-ecmp-needs-dynamic-routing",
    severity: Severity::Warning,
    summary: "A VPN connection to an ECMP-enabled transit gateway uses static routes only",
    help: HELP,
    tags: &["availability", "vpn", "transit-gateway"],
};

pub struct Evidence<'m> {
    pub vpn: &'m VpnConnection,
    pub tgw: String,
}

pub fn find<'m>(ctx: &Ctx<'m>) -> Vec<Evidence<'m>> {
    let m = ctx.model;
    m.vpn_connections
        .iter()
        .filter(|v| v.static_routes_only)
        .filter_map(|v| {
            let t = m.transit_gateway(v.transit_gateway.id()?);
            t.vpn_ecmp_support.then(|| Evidence {
                vpn: v,
                tgw: t.meta.address.clone(),
            })
        })
        .collect()
}

pub fn message(e: &Evidence<'_>) -> String {
    format!(
        "`{}` uses `static_routes_only = true` on `{}`, which has `vpn_ecmp_support`: ECMP \
         works only with BGP, so traffic uses one tunnel at a time and tops out at about \
         1.25 Gbps. Set `static_routes_only = false` and run BGP on the customer gateway.",
        e.vpn.meta.address, e.tgw
    )
}

pub fn check(ctx: &Ctx<'_>) -> Vec<Finding> {
    find(ctx)
        .iter()
        .map(|e| {
            Finding::new(&META, message(e), vec![e.vpn.meta.address.clone()])
                .with_fix("use dynamic (BGP) routing")
        })
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::analysis::Reachability;
    use crate::model::{Action, Link, Meta};
    use crate::rules::testkit::{network, to, Builder};
    use crate::rules::Policy;

    fn run(static_only: bool, ecmp: bool) -> Vec<Finding> {
        let mut b = Builder::new();
        let tgw = b.transit_gateway("aws_ec2_transit_gateway.hub");
        b.m.transit_gateways[tgw.index()].vpn_ecmp_support = ecmp;
        b.m.vpn_connections.push(VpnConnection {
            meta: Meta {
                address: "aws_vpn_connection.dc".into(),
                action: Action::Create,
                id: None,
                tags: Default::default(),
            },
            customer_gateway: Link::None,
            vpn_gateway: Link::None,
            transit_gateway: to(tgw),
            static_routes_only: static_only,
            static_routes: vec![],
            gateway_routes: Vec::new(),
            remote_networks: vec![],
        });
        let net = network(b.build());
        check(&Ctx::new(
            &net,
            &Reachability::default(),
            &Policy::default(),
        ))
    }

    #[test]
    fn fires_on_static_vpn_to_ecmp_tgw() {
        let f = run(true, true);
        assert_eq!(f.len(), 1);
        assert!(f[0].message.contains("1.25 Gbps"));
    }

    #[test]
    fn silent_with_bgp_or_without_ecmp() {
        assert!(run(false, true).is_empty());
        assert!(run(true, false).is_empty());
    }
}
