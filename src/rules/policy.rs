//! The user's policy file, `tfvpc.toml`: segments, intents, rule settings and suppressions.
//!
//! This module loads and validates the file into a [`Policy`] and answers questions about
//! it (is a rule off, which severity, which subnets a segment holds, is a finding
//! suppressed). It never evaluates intents (that is [`super::intents`]) and never prints.
//! Errors name the file, line and column: `tfvpc.toml:12:7: unknown field `form``.
//!
//! # Schema
//!
//! ```toml
//! # Turn a rule off, or change its severity ("error", "warning", "note", "off").
//! [rules]
//! TFVPC305 = "off"
//! TFVPC301 = "error"
//!
//! # Segments: named sets of subnets. Every selector given must match (AND); a list
//! # matches when any of its items does. At least one selector is required.
//! [segments.private]
//! description = "application subnets, never reachable from the internet"
//! subnets = ["aws_subnet.private[*]", "module.net.aws_subnet.app*"]  # address globs
//! tags = { Tier = "private" }          # every tag must equal (a value "*" only needs the key)
//! vpc = "aws_vpc.main"                 # the subnet's VPC, by address glob
//! cidr = ["10.0.0.0/16"]               # the subnet's block lies inside one of these
//! az = ["us-east-1a", "us-east-1b"]    # its availability zone is one of these
//! private = true                       # TFVPC202: internet ingress here is an error
//!
//! # "This must never be reachable": a violation is an allowed path.
//! [[deny]]
//! id = "NET-001"                       # your ID; must not start with TFVPC
//! from = "internet"                    # internet | segment:NAME | service:NAME | vpn:GLOB | subnet address glob
//! to = "segment:private"
//! family = "any"                       # ipv4 | ipv6 | any (default)
//! protocol = "tcp"                     # tcp | udp | icmp | all (default)
//! ports = [22, 3389, "8000-8999"]      # default: all ports
//! severity = "error"                   # default: error
//! message = "Nothing on the internet may open a connection to the private tier."
//!
//! # "This must be reachable" (optionally only `via` something): a violation is a path
//! # that is blocked, or allowed without passing through what `via` names.
//! [[require]]
//! id = "NET-002"
//! from = "segment:private"
//! to = "service:s3"
//! via = "gateway-endpoint"   # gateway-endpoint | nat-gateway | nat-gateway-same-az |
//!                            # gwlb-endpoint | transit-gateway | peering |
//!                            # segment:NAME | an address glob; a list means any of them
//! severity = "warning"
//!
//! # Hide findings, with a reason; an expired suppression is itself a finding (TFVPC001).
//! [[suppress]]
//! rule = "TFVPC201"                    # a catalog ID or one of your intent IDs
//! resources = ["aws_subnet.legacy*"]   # address globs; omitted = everywhere
//! reason = "legacy subnet, replaced in Q3 (JIRA NET-42)"
//! expires = 2026-12-31                 # a TOML date; optional
//! ```

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

use crate::model::{Family, Model, PortRange, SubnetId};

use super::glob::Glob;
use super::{Finding, Severity};

/// The name the policy file has in the working directory.
pub const FILE_NAME: &str = "tfvpc.toml";

/// A calendar date (no time zone: suppressions expire at the end of their day).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: u16,
    pub month: u8,
    pub day: u8,
}

impl Date {
    pub fn new(year: u16, month: u8, day: u8) -> Date {
        Date { year, month, day }
    }

    /// The UTC date of a point in time given as seconds since the Unix epoch.
    pub fn from_unix_seconds(secs: u64) -> Date {
        // Howard Hinnant's civil-from-days.
        let z = (secs / 86_400) as i64 + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as u16;
        Date { year, month, day }
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// A bad policy file: `file:line:column: what is wrong`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PolicyError {
    #[error("{}: cannot read the policy file: {message}", path.display())]
    Io { path: PathBuf, message: String },
    #[error("{}:{line}:{column}: {message}", path.display())]
    Invalid {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
}

/// What the user said about one rule in `[rules]`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RuleSetting {
    Off,
    Severity(Severity),
}

/// A named set of subnets.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Segment {
    pub name: String,
    pub description: Option<String>,
    pub subnets: Vec<Glob>,
    pub tags: BTreeMap<String, String>,
    pub vpc: Option<Glob>,
    pub cidr_v4: Vec<ipnet::Ipv4Net>,
    pub cidr_v6: Vec<ipnet::Ipv6Net>,
    pub az: Vec<String>,
    /// Marks the segment's subnets private for TFVPC202.
    pub private: bool,
}

/// One side of an intent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EndpointSel {
    Internet,
    Segment(String),
    Service(String),
    Vpn(Glob),
    /// Subnets by address glob.
    Subnet(Glob),
    /// Workloads by address glob (`workload:aws_db_instance.*`): instances, network
    /// interfaces, interface endpoints, EC2 Instance Connect Endpoints, and the per-subnet
    /// workloads of Auto Scaling groups, EKS node groups, ECS services, Lambda functions,
    /// RDS and ElastiCache, and EFS mount targets.
    Workload(Glob),
}

impl EndpointSel {
    /// As `tfvpc.toml` writes it.
    pub fn as_written(&self) -> String {
        match self {
            EndpointSel::Internet => "internet".to_string(),
            EndpointSel::Segment(s) => format!("segment:{s}"),
            EndpointSel::Service(s) => format!("service:{s}"),
            EndpointSel::Vpn(g) => format!("vpn:{}", g.as_str()),
            EndpointSel::Subnet(g) => g.as_str().to_string(),
            EndpointSel::Workload(g) => format!("workload:{}", g.as_str()),
        }
    }
}

/// What a `require` intent's path must pass through.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Via {
    GatewayEndpoint,
    NatGateway,
    NatGatewaySameAz,
    GwlbEndpoint,
    TransitGateway,
    Peering,
    Segment(String),
    Address(Glob),
}

impl Via {
    pub fn describe(&self) -> String {
        match self {
            Via::GatewayEndpoint => "a gateway VPC endpoint".into(),
            Via::NatGateway => "a NAT gateway".into(),
            Via::NatGatewaySameAz => "the NAT gateway in the same AZ".into(),
            Via::GwlbEndpoint => "a Gateway Load Balancer endpoint".into(),
            Via::TransitGateway => "a transit gateway".into(),
            Via::Peering => "a VPC peering connection".into(),
            Via::Segment(s) => format!("segment `{s}`"),
            Via::Address(g) => format!("`{}`", g.as_str()),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IntentKind {
    Deny,
    Require,
}

/// IP protocol an intent is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum IntentProtocol {
    Tcp,
    Udp,
    Icmp,
    #[default]
    All,
}

/// A user intent: "no path from A to B", "A reaches B (via C)".
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Intent {
    pub id: String,
    pub kind: IntentKind,
    pub from: EndpointSel,
    pub to: EndpointSel,
    /// `None`: both families.
    pub family: Option<Family>,
    pub protocol: IntentProtocol,
    /// Empty: all ports.
    pub ports: Vec<PortRange>,
    /// `require` only: any of these must be on the path.
    pub via: Vec<Via>,
    pub severity: Severity,
    pub message: Option<String>,
    /// `file:line:column` of its `from` and its `to`, for findings about them.
    pub locations: [String; 2],
}

/// A suppression of a rule's findings on some resources.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Suppression {
    pub rule: String,
    /// Empty: every resource.
    pub resources: Vec<Glob>,
    pub reason: String,
    pub expires: Option<Date>,
    /// `file:line` of the `[[suppress]]` entry, for findings about it.
    pub location: String,
}

/// A rule ID the file names that is neither in the catalog nor one of its intents.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownId {
    pub id: String,
    /// `file:line:column`.
    pub location: String,
    /// Close catalog IDs, for the message.
    pub suggestions: Vec<String>,
}

/// A loaded, validated policy. `Policy::default()` is the empty policy (no file).
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Policy {
    /// The file it came from.
    pub path: Option<PathBuf>,
    pub rules: BTreeMap<String, RuleSetting>,
    pub segments: Vec<Segment>,
    pub intents: Vec<Intent>,
    pub suppressions: Vec<Suppression>,
    pub unknown_ids: Vec<UnknownId>,
    /// `inline_ignores = false`: `tfvpc:ignore` comments in the `.tf` sources hide nothing
    /// (the file alone decides what is suppressed).
    pub inline_ignores_off: bool,
}

/// Findings after suppressions, and which suppressions were used (same order as
/// `Policy::suppressions`).
pub struct Suppressed {
    pub kept: Vec<Finding>,
    pub used: Vec<bool>,
}

impl Policy {
    /// Whether the user turned this rule off.
    pub fn is_off(&self, id: &str) -> bool {
        self.rules.get(id) == Some(&RuleSetting::Off)
    }

    /// The severity the user set for this rule, if any.
    pub fn severity_override(&self, id: &str) -> Option<Severity> {
        match self.rules.get(id) {
            Some(RuleSetting::Severity(s)) => Some(*s),
            _ => None,
        }
    }

    pub fn segment(&self, name: &str) -> Option<&Segment> {
        self.segments.iter().find(|s| s.name == name)
    }

    /// The subnets of the model a segment selects, in model order.
    pub fn segment_subnets(&self, m: &Model, name: &str) -> Vec<SubnetId> {
        let Some(seg) = self.segment(name) else {
            return Vec::new();
        };
        (0..m.subnets.len() as u32)
            .map(SubnetId)
            .filter(|s| seg.selects(m, *s))
            .collect()
    }

    /// Subnets some segment marks `private = true`.
    pub fn private_subnets(&self, m: &Model) -> BTreeSet<SubnetId> {
        self.segments
            .iter()
            .filter(|s| s.private)
            .flat_map(|s| self.segment_subnets(m, &s.name))
            .collect()
    }

    /// Drops the findings an unexpired suppression covers. A suppression covers a finding
    /// of its rule when any of the finding's resources matches one of its globs (or it has
    /// no globs). Expired suppressions hide nothing.
    pub fn apply_suppressions(&self, findings: Vec<Finding>, today: Date) -> Suppressed {
        let mut used = vec![false; self.suppressions.len()];
        let kept = findings
            .into_iter()
            .filter(|f| {
                let mut hidden = false;
                for (s, hit) in self.suppressions.iter().zip(used.iter_mut()) {
                    if s.rule != f.rule_id || s.expires.is_some_and(|d| d < today) {
                        continue;
                    }
                    let covers = s.resources.is_empty()
                        || f.resources
                            .iter()
                            .any(|r| s.resources.iter().any(|g| g.matches(r)));
                    if covers {
                        *hit = true;
                        hidden = true;
                    }
                }
                !hidden
            })
            .collect();
        Suppressed { kept, used }
    }
}

impl Segment {
    /// Whether every selector this segment gives matches the subnet.
    pub fn selects(&self, m: &Model, id: SubnetId) -> bool {
        let s = m.subnet(id);
        if !self.subnets.is_empty() && !self.subnets.iter().any(|g| g.matches(&s.meta.address)) {
            return false;
        }
        for (k, v) in &self.tags {
            match s.meta.tags.get(k) {
                Some(actual) if v == "*" || actual == v => {}
                _ => return false,
            }
        }
        if let Some(g) = &self.vpc {
            match s.vpc.id() {
                Some(v) if g.matches(&m.vpc(v).meta.address) => {}
                _ => return false,
            }
        }
        if !self.cidr_v4.is_empty() || !self.cidr_v6.is_empty() {
            let v4 = s
                .ipv4
                .as_ref()
                .and_then(|b| b.known())
                .is_some_and(|n| self.cidr_v4.iter().any(|c| c.contains(n)));
            let v6 = s
                .ipv6
                .as_ref()
                .and_then(|b| b.known())
                .is_some_and(|n| self.cidr_v6.iter().any(|c| c.contains(n)));
            if !v4 && !v6 {
                return false;
            }
        }
        if !self.az.is_empty() {
            match s.availability_zone.known() {
                Some(az) if self.az.contains(az) => {}
                _ => return false,
            }
        }
        true
    }
}

/// `tfvpc.toml` in `cwd`, when present.
pub fn discover(cwd: &Path) -> Option<PathBuf> {
    let p = cwd.join(FILE_NAME);
    p.is_file().then_some(p)
}

/// Reads and validates a policy file.
pub fn load(path: &Path) -> Result<Policy, PolicyError> {
    let text = std::fs::read_to_string(path).map_err(|e| PolicyError::Io {
        path: path.to_path_buf(),
        message: e.to_string(),
    })?;
    parse(&text, path)
}

/// Parses policy text; `path` is only used in messages.
pub fn parse(text: &str, path: &Path) -> Result<Policy, PolicyError> {
    let err = |span: Option<Range<usize>>, message: String| {
        let (line, column) = line_col(text, span.map_or(0, |s| s.start));
        PolicyError::Invalid {
            path: path.to_path_buf(),
            line,
            column,
            message,
        }
    };
    let file: dto::File =
        toml::from_str(text).map_err(|e| err(e.span(), e.message().trim().to_string()))?;
    let loc = |span: Range<usize>| {
        let (l, c) = line_col(text, span.start);
        format!("{}:{l}:{c}", path.display())
    };

    let mut policy = Policy {
        path: Some(path.to_path_buf()),
        inline_ignores_off: file.inline_ignores == Some(false),
        ..Policy::default()
    };

    // Segments.
    for (name, seg) in &file.segments {
        let span = seg.span();
        let seg = seg.get_ref();
        let mut out = Segment {
            name: name.clone(),
            description: seg.description.clone(),
            subnets: seg.subnets.iter().map(|g| Glob::new(g)).collect(),
            tags: seg.tags.clone(),
            vpc: seg.vpc.as_deref().map(Glob::new),
            az: seg.az.clone(),
            private: seg.private,
            ..Segment::default()
        };
        for c in &seg.cidr {
            let text_c = c.get_ref();
            if let Ok(n) = text_c.parse::<ipnet::Ipv4Net>() {
                out.cidr_v4.push(n);
            } else if let Ok(n) = text_c.parse::<ipnet::Ipv6Net>() {
                out.cidr_v6.push(n);
            } else {
                return Err(err(
                    Some(c.span()),
                    format!("`{text_c}` is not a CIDR block (e.g. `10.0.0.0/16`)"),
                ));
            }
        }
        if out.subnets.is_empty()
            && out.tags.is_empty()
            && out.vpc.is_none()
            && out.cidr_v4.is_empty()
            && out.cidr_v6.is_empty()
            && out.az.is_empty()
        {
            return Err(err(
                Some(span),
                format!(
                    "segment `{name}` selects nothing: give at least one of `subnets`, `tags`, \
                     `vpc`, `cidr` or `az`"
                ),
            ));
        }
        policy.segments.push(out);
    }

    // Intents.
    let mut intent_ids: BTreeSet<String> = BTreeSet::new();
    let intents = file
        .deny
        .iter()
        .map(|i| (IntentKind::Deny, i))
        .chain(file.require.iter().map(|i| (IntentKind::Require, i)));
    for (kind, spanned) in intents {
        let i = spanned.get_ref();
        let id = i.id.get_ref().trim().to_string();
        if id.is_empty() {
            return Err(err(
                Some(i.id.span()),
                "an intent `id` cannot be empty".into(),
            ));
        }
        if id.to_ascii_uppercase().starts_with("TFVPC") {
            return Err(err(
                Some(i.id.span()),
                format!(
                    "intent id `{id}`: IDs starting with TFVPC are reserved for built-in rules"
                ),
            ));
        }
        if !intent_ids.insert(id.clone()) {
            return Err(err(
                Some(i.id.span()),
                format!("intent id `{id}` is used twice"),
            ));
        }
        let from = endpoint(&i.from, &policy, &err)?;
        let to = endpoint(&i.to, &policy, &err)?;
        let family = match i.family.as_ref() {
            None => None,
            Some(f) => match f.get_ref().as_str() {
                "any" => None,
                "ipv4" => Some(Family::Ipv4),
                "ipv6" => Some(Family::Ipv6),
                other => {
                    return Err(err(
                        Some(f.span()),
                        format!("family `{other}`: expected `ipv4`, `ipv6` or `any`"),
                    ))
                }
            },
        };
        let protocol = match i.protocol.as_ref() {
            None => IntentProtocol::All,
            Some(p) => match p.get_ref().as_str() {
                "tcp" => IntentProtocol::Tcp,
                "udp" => IntentProtocol::Udp,
                "icmp" => IntentProtocol::Icmp,
                "all" | "-1" => IntentProtocol::All,
                other => {
                    return Err(err(
                        Some(p.span()),
                        format!("protocol `{other}`: expected `tcp`, `udp`, `icmp` or `all`"),
                    ))
                }
            },
        };
        let mut ports = Vec::new();
        for p in &i.ports {
            ports.push(port_range(p).map_err(|m| err(Some(p.span()), m))?);
        }
        if !ports.is_empty() && !matches!(protocol, IntentProtocol::Tcp | IntentProtocol::Udp) {
            return Err(err(
                Some(spanned.span()),
                format!("intent `{id}`: `ports` needs `protocol = \"tcp\"` or `\"udp\"`"),
            ));
        }
        let mut via = Vec::new();
        if let Some(v) = &i.via {
            if kind == IntentKind::Deny {
                return Err(err(
                    Some(v.span()),
                    format!("intent `{id}`: `via` only applies to `[[require]]` intents"),
                ));
            }
            for item in v.get_ref().items() {
                via.push(parse_via(item, &policy).map_err(|m| err(Some(v.span()), m))?);
            }
        }
        let severity = match &i.severity {
            None => Severity::Error,
            Some(s) => Severity::parse(s.get_ref()).ok_or_else(|| {
                err(
                    Some(s.span()),
                    format!(
                        "severity `{}`: expected `error`, `warning` or `note`",
                        s.get_ref()
                    ),
                )
            })?,
        };
        policy.intents.push(Intent {
            id,
            kind,
            from,
            to,
            family,
            protocol,
            ports,
            via,
            severity,
            message: i.message.clone(),
            locations: [loc(i.from.span()), loc(i.to.span())],
        });
    }

    // Rule settings and suppressions: IDs must name a rule or an intent.
    let known = |id: &str| super::rule(id).is_some() || intent_ids.contains(id);
    for (id, setting) in &file.rules {
        let value = setting.get_ref().as_str();
        let parsed = match value {
            "off" => RuleSetting::Off,
            other => RuleSetting::Severity(Severity::parse(other).ok_or_else(|| {
                err(
                    Some(setting.span()),
                    format!("`{id} = \"{other}\"`: expected `off`, `error`, `warning` or `note`"),
                )
            })?),
        };
        let canonical = canonical_id(id, &intent_ids);
        if !known(&canonical) {
            policy.unknown_ids.push(unknown(id, loc(setting.span())));
            continue;
        }
        policy.rules.insert(canonical, parsed);
    }
    for s in &file.suppress {
        let span = s.span();
        let s = s.get_ref();
        let reason = s
            .reason
            .as_ref()
            .map(|r| r.get_ref().trim().to_string())
            .unwrap_or_default();
        if reason.is_empty() {
            return Err(err(
                Some(s.reason.as_ref().map_or(span.clone(), |r| r.span())),
                format!(
                    "suppression of `{}` needs a `reason` saying why it is acceptable",
                    s.rule.get_ref()
                ),
            ));
        }
        let expires = match &s.expires {
            None => None,
            Some(d) => {
                let dt = d.get_ref();
                match (dt.date, dt.time) {
                    (Some(date), None) => Some(Date::new(date.year, date.month, date.day)),
                    _ => {
                        return Err(err(
                            Some(d.span()),
                            format!("`expires = {dt}`: expected a date such as 2026-12-31"),
                        ))
                    }
                }
            }
        };
        let rule = canonical_id(s.rule.get_ref(), &intent_ids);
        if !known(&rule) {
            policy
                .unknown_ids
                .push(unknown(s.rule.get_ref(), loc(s.rule.span())));
        }
        policy.suppressions.push(Suppression {
            rule,
            resources: s.resources.iter().map(|g| Glob::new(g)).collect(),
            reason,
            expires,
            location: {
                let (l, _) = line_col(text, span.start);
                format!("{}:{l}", path.display())
            },
        });
    }
    Ok(policy)
}

/// Catalog IDs are matched case-insensitively and stored upper-case; intent IDs as written.
fn canonical_id(id: &str, intents: &BTreeSet<String>) -> String {
    if intents.contains(id) {
        id.to_string()
    } else {
        id.trim().to_ascii_uppercase()
    }
}

fn unknown(id: &str, location: String) -> UnknownId {
    UnknownId {
        id: id.to_string(),
        location,
        suggestions: close_ids(id),
    }
}

/// Catalog IDs close to `id` (one edit away, or the same digits in another order), for
/// messages.
pub fn close_ids(id: &str) -> Vec<String> {
    let up = id.trim().to_ascii_uppercase();
    let sorted_digits = |s: &str| {
        let mut d: Vec<char> = s.chars().filter(char::is_ascii_digit).collect();
        d.sort_unstable();
        d
    };
    let ours = sorted_digits(&up);
    super::codes::RULES
        .iter()
        .map(|r| r.meta.id)
        .filter(|c| edit_distance(&up, c) <= 1 || (!ours.is_empty() && sorted_digits(c) == ours))
        .map(str::to_string)
        .collect()
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut left = i + 1;
        let mut cur = vec![left];
        // `diag` is prev[j], `up` is prev[j + 1], `left` is cur[j].
        for ((cb, &diag), &up) in b.iter().zip(&prev).zip(prev.iter().skip(1)) {
            left = (diag + usize::from(ca != *cb)).min(up + 1).min(left + 1);
            cur.push(left);
        }
        prev = cur;
    }
    prev.last().copied().unwrap_or(0)
}

fn endpoint<E>(
    s: &toml::Spanned<String>,
    policy: &Policy,
    err: &impl Fn(Option<Range<usize>>, String) -> E,
) -> Result<EndpointSel, E> {
    let v = s.get_ref().trim();
    if v == "internet" {
        return Ok(EndpointSel::Internet);
    }
    if let Some(name) = v.strip_prefix("segment:") {
        if policy.segment(name).is_none() {
            let names: Vec<&str> = policy.segments.iter().map(|s| s.name.as_str()).collect();
            return Err(err(
                Some(s.span()),
                format!(
                    "no segment named `{name}` (defined: {})",
                    if names.is_empty() {
                        "none".to_string()
                    } else {
                        names.join(", ")
                    }
                ),
            ));
        }
        return Ok(EndpointSel::Segment(name.to_string()));
    }
    if let Some(name) = v.strip_prefix("service:") {
        return Ok(EndpointSel::Service(name.to_string()));
    }
    if let Some(g) = v.strip_prefix("vpn:") {
        return Ok(EndpointSel::Vpn(Glob::new(g)));
    }
    if let Some(g) = v.strip_prefix("workload:") {
        if g.trim().is_empty() {
            return Err(err(
                Some(s.span()),
                "`workload:` needs an address glob, e.g. `workload:aws_db_instance.*`".to_string(),
            ));
        }
        return Ok(EndpointSel::Workload(Glob::new(g.trim())));
    }
    if v.is_empty() || v.contains(' ') {
        return Err(err(
            Some(s.span()),
            format!(
                "`{v}` is not an endpoint: use `internet`, `segment:NAME`, `service:NAME`, \
                 `vpn:ADDRESS`, `workload:ADDRESS` or a subnet address glob"
            ),
        ));
    }
    Ok(EndpointSel::Subnet(Glob::new(v)))
}

fn parse_via(v: &str, policy: &Policy) -> Result<Via, String> {
    Ok(match v {
        "gateway-endpoint" => Via::GatewayEndpoint,
        "nat-gateway" => Via::NatGateway,
        "nat-gateway-same-az" => Via::NatGatewaySameAz,
        "gwlb-endpoint" => Via::GwlbEndpoint,
        "transit-gateway" => Via::TransitGateway,
        "peering" => Via::Peering,
        _ => {
            if let Some(name) = v.strip_prefix("segment:") {
                if policy.segment(name).is_none() {
                    return Err(format!("`via`: no segment named `{name}`"));
                }
                Via::Segment(name.to_string())
            } else if v.contains('.') {
                Via::Address(Glob::new(v))
            } else {
                return Err(format!(
                    "`via = \"{v}\"`: expected gateway-endpoint, nat-gateway, nat-gateway-same-az, \
                     gwlb-endpoint, transit-gateway, peering, segment:NAME or an address glob"
                ));
            }
        }
    })
}

fn port_range(p: &toml::Spanned<dto::Port>) -> Result<PortRange, String> {
    match p.get_ref() {
        dto::Port::Number(n) => u16::try_from(*n)
            .map(|n| PortRange { from: n, to: n })
            .map_err(|_| format!("port {n} is out of range (0-65535)")),
        dto::Port::Range(s) => {
            let (a, b) = s.split_once('-').unwrap_or((s, s));
            match (a.trim().parse::<u16>(), b.trim().parse::<u16>()) {
                (Ok(a), Ok(b)) if a <= b => Ok(PortRange { from: a, to: b }),
                _ => Err(format!(
                    "`{s}` is not a port or a range such as \"1024-65535\""
                )),
            }
        }
    }
}

/// 1-based line and column (in characters) of a byte offset.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

/// The file's shape, for serde only. Private: the rest of tfvpc sees [`Policy`].
mod dto {
    use std::collections::BTreeMap;

    use serde::Deserialize;
    use toml::Spanned;

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct File {
        #[serde(default)]
        pub rules: BTreeMap<String, Spanned<String>>,
        #[serde(default)]
        pub segments: BTreeMap<String, Spanned<Segment>>,
        #[serde(default)]
        pub deny: Vec<Spanned<Intent>>,
        #[serde(default)]
        pub require: Vec<Spanned<Intent>>,
        #[serde(default)]
        pub suppress: Vec<Spanned<Suppress>>,
        pub inline_ignores: Option<bool>,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct Segment {
        pub description: Option<String>,
        #[serde(default)]
        pub subnets: Vec<String>,
        #[serde(default)]
        pub tags: BTreeMap<String, String>,
        pub vpc: Option<String>,
        #[serde(default)]
        pub cidr: Vec<Spanned<String>>,
        #[serde(default)]
        pub az: Vec<String>,
        #[serde(default)]
        pub private: bool,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct Intent {
        pub id: Spanned<String>,
        pub from: Spanned<String>,
        pub to: Spanned<String>,
        pub family: Option<Spanned<String>>,
        pub protocol: Option<Spanned<String>>,
        #[serde(default)]
        pub ports: Vec<Spanned<Port>>,
        pub via: Option<Spanned<OneOrMany>>,
        pub severity: Option<Spanned<String>>,
        pub message: Option<String>,
        #[allow(dead_code)]
        pub description: Option<String>,
    }

    #[derive(Deserialize)]
    #[serde(untagged)]
    pub enum Port {
        Number(i64),
        Range(String),
    }

    #[derive(Deserialize)]
    #[serde(untagged)]
    pub enum OneOrMany {
        One(String),
        Many(Vec<String>),
    }

    impl OneOrMany {
        pub fn items(&self) -> Vec<&str> {
            match self {
                OneOrMany::One(s) => vec![s.as_str()],
                OneOrMany::Many(v) => v.iter().map(String::as_str).collect(),
            }
        }
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct Suppress {
        pub rule: Spanned<String>,
        #[serde(default)]
        pub resources: Vec<String>,
        pub reason: Option<Spanned<String>>,
        pub expires: Option<Spanned<toml::value::Datetime>>,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn dates_from_unix_seconds() {
        assert_eq!(Date::from_unix_seconds(0), Date::new(1970, 1, 1));
        assert_eq!(Date::from_unix_seconds(951_782_400), Date::new(2000, 2, 29));
        assert_eq!(
            Date::from_unix_seconds(1_798_761_599),
            Date::new(2026, 12, 31)
        );
        assert!(Date::new(2026, 12, 31) < Date::new(2027, 1, 1));
    }

    #[test]
    fn line_and_column_are_one_based() {
        assert_eq!(line_col("ab\ncd", 0), (1, 1));
        assert_eq!(line_col("ab\ncd", 4), (2, 2));
    }

    #[test]
    fn close_ids_suggest_neighbours() {
        assert!(close_ids("TFVPC210").contains(&"TFVPC201".to_string()));
        assert!(
            close_ids("tfvpc20").contains(&"TFVPC201".to_string())
                || !close_ids("tfvpc20").is_empty()
        );
    }
}
