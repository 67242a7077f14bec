//! Reachability: for every pair of endpoints, can a connection that `from` initiates reach
//! `to`, and do its replies come back — hop by hop, per address family.
//!
//! This module reads a [`Model`] and returns sorted, deterministic results. It never reads
//! files, never knows Terraform's JSON and never prints; rayon is used only through
//! order-preserving collects.

use crate::model::{Family, Model, Network};

/// One end of a reachability question, named as `output-contract.md` says.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Endpoint {
    /// A subnet, by its Terraform address.
    Subnet(String),
    /// The public internet.
    Internet,
    /// `service:NAME` (`s3`, `dynamodb`, or another endpoint service).
    Service(String),
    /// `vpn:ADDRESS`: the on-premises side of a VPN connection.
    Vpn(String),
    /// `query` only: an instance, network interface, interface endpoint or EICE address.
    Workload(String),
}

impl Endpoint {
    /// The name used in reports and on the command line.
    pub fn name(&self) -> String {
        match self {
            Endpoint::Subnet(a) | Endpoint::Workload(a) => a.clone(),
            Endpoint::Internet => "internet".to_string(),
            Endpoint::Service(s) => format!("service:{s}"),
            Endpoint::Vpn(a) => format!("vpn:{a}"),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Verdict {
    Allowed,
    Blocked,
    Unknown,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Allowed => "allowed",
            Verdict::Blocked => "blocked",
            Verdict::Unknown => "unknown",
        }
    }
}

/// The answer to one question.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PathResult {
    pub from: String,
    pub to: String,
    pub family: Family,
    pub verdict: Verdict,
    /// Hops by Terraform address, from `from` to `to`; for `blocked`, up to and including
    /// the hop that drops.
    pub path: Vec<String>,
    /// One sentence.
    pub reason: String,
    /// What passes: `all`, or e.g. `tcp:443,tcp:1024-65535`; empty when nothing does.
    pub ports: String,
    /// For `blocked`: the address of the hop (or rule) that drops.
    pub dropped_by: Option<String>,
    /// For `blocked`: what kind of check drops, for rules that act on it (TFVPC109, 110).
    pub drop_kind: Option<DropKind>,
}

/// Why a `blocked` path is blocked, machine-readable (the `reason` says it in words).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DropKind {
    /// No route to the destination on the forward path.
    Route,
    /// A route whose target does not exist (blackhole).
    Blackhole,
    /// A NACL denies the request.
    Nacl,
    /// A security group does not admit the request.
    SecurityGroup,
    /// The request arrives but the reply has no route back (asymmetric path).
    ReturnRoute,
    /// A NACL allows the request but denies the reply (e.g. no ephemeral-port rule).
    NaclReturn,
    /// A gateway will not carry it: an EIGW refusing inbound-initiated traffic, a peering
    /// that is not accepted, a gateway that cannot be used transitively.
    Gateway,
    /// IPv4 through an internet gateway without a public IPv4 address.
    NoPublicIp,
}

/// Which pairs `analyze` computes (`--reachability`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Scope {
    /// Every subnet pair plus every external endpoint.
    #[default]
    All,
    /// Only subnet ↔ internet, services and VPN.
    External,
    None,
}

/// Every answer for one model, sorted by `(from, to, family)`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Reachability {
    pub results: Vec<PathResult>,
}

/// A pair whose verdict differs between the prior and the planned network.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    pub from: String,
    pub to: String,
    pub family: Family,
    pub before: Verdict,
    pub after: Verdict,
    /// The changed resources that cause it.
    pub causes: Vec<String>,
}

/// A `query`: one question, optionally narrowed to a protocol and port.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Query {
    pub from: String,
    pub to: String,
    pub family: Option<Family>,
    pub protocol: QueryProtocol,
    pub port: Option<u16>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum QueryProtocol {
    Tcp,
    Udp,
    Icmp,
    #[default]
    All,
}

/// Errors of a `query` the user can fix (an endpoint name that names nothing).
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum QueryError {
    #[error("no endpoint named `{name}` in the planned network{hint}")]
    UnknownEndpoint { name: String, hint: String },
    #[error("{0}")]
    Invalid(String),
}

/// Computes reachability over one model.
pub fn reachability(_model: &Model, _scope: Scope) -> Reachability {
    Reachability::default()
}

/// Answers one question over the planned model.
pub fn query(_model: &Model, _query: &Query) -> Result<Vec<PathResult>, QueryError> {
    Err(QueryError::Invalid(
        "the reachability engine is not built yet".to_string(),
    ))
}

/// The pairs whose verdict changes between the prior and the planned network.
pub fn changes(_network: &Network, _before: &Reachability, _after: &Reachability) -> Vec<Change> {
    Vec::new()
}

/// Whether the engine is available yet (the CLI says so plainly while it is not).
pub const ENGINE_READY: bool = false;
