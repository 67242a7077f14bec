//! Sets of flows (protocol and destination port) that a filter lets through, with the
//! set algebra the engine needs and the `ports` rendering of the output contract.
//!
//! This module knows nothing of NACLs or security groups; it only counts ports. ICMP is
//! ICMP for IPv4 and ICMPv6 for IPv6, by type and code ([`icmp_key`]: the same range sets
//! as ports), and every IP protocol other than TCP, UDP and ICMP is one flag, `other`.

use crate::model::{Family, IcmpMatch, PortRange, Protocol};

/// An ICMP type and code as one number, `type << 8 | code`: a type with any code is a
/// range of 256, every ICMP message the full range.
pub fn icmp_key(icmp_type: u8, code: u8) -> u16 {
    u16::from(icmp_type) << 8 | u16::from(code)
}

/// Every message of one ICMP type, whatever its code.
fn icmp_type_range(t: u8) -> Ranges {
    Ranges::range(PortRange {
        from: icmp_key(t, 0),
        to: icmp_key(t, u8::MAX),
    })
}

/// The ICMP messages a rule's type and code match.
fn icmp_ranges(m: IcmpMatch) -> Ranges {
    match (m.icmp_type, m.icmp_code) {
        (None, _) => Ranges::full(),
        (Some(t), None) => icmp_type_range(t),
        (Some(t), Some(c)) => Ranges::range(PortRange {
            from: icmp_key(t, c),
            to: icmp_key(t, c),
        }),
    }
}

/// The reply to an ICMP query message of `family` (echo, timestamp, information, address
/// mask), else the message itself: what a stateless filter on the way back must let
/// through.
pub fn icmp_reply(family: Family, icmp_type: u8) -> u8 {
    match (family, icmp_type) {
        (Family::Ipv4, 8) => 0,
        (Family::Ipv4, 13) => 14,
        (Family::Ipv4, 15) => 16,
        (Family::Ipv4, 17) => 18,
        (Family::Ipv6, 128) => 129,
        (_, t) => t,
    }
}

/// Disjoint, sorted, non-adjacent inclusive port ranges.
///
/// Every port is `Full` (no allocation: it is the common case, and copying it is free);
/// any other set is `Parts`, never `[(0, 65535)]`, so equal sets compare equal.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Ranges(Set);

/// The representation of [`Ranges`], private so that only canonical forms exist.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Set {
    Full,
    Parts(Parts),
}

/// Disjoint sorted ranges: rules name a few ports each, kept inline (a walk intersects
/// and subtracts these sets at every hop of hundreds of thousands of paths).
type Parts = smallvec::SmallVec<[(u16, u16); 4]>;

impl Default for Ranges {
    fn default() -> Ranges {
        Ranges::empty()
    }
}

const ALL_PORTS: &[(u16, u16)] = &[(0, 65535)];

impl Ranges {
    pub fn empty() -> Ranges {
        Ranges(Set::Parts(Parts::new()))
    }
    pub fn full() -> Ranges {
        Ranges(Set::Full)
    }
    pub fn range(r: PortRange) -> Ranges {
        if r.from > r.to {
            return Ranges::empty();
        }
        Ranges::from_sorted(smallvec::smallvec![(r.from, r.to)])
    }
    /// The canonical form of disjoint, sorted, non-adjacent ranges.
    fn from_sorted(v: Parts) -> Ranges {
        if v.as_slice() == ALL_PORTS {
            Ranges(Set::Full)
        } else {
            Ranges(Set::Parts(v))
        }
    }
    pub fn is_empty(&self) -> bool {
        matches!(&self.0, Set::Parts(v) if v.is_empty())
    }
    pub fn is_full(&self) -> bool {
        matches!(self.0, Set::Full)
    }
    pub fn parts(&self) -> &[(u16, u16)] {
        match &self.0 {
            Set::Full => ALL_PORTS,
            Set::Parts(v) => v,
        }
    }
    pub fn contains(&self, port: u16) -> bool {
        self.parts().iter().any(|&(a, b)| a <= port && port <= b)
    }
    /// Whether every port of `r` is in the set.
    pub fn covers(&self, r: PortRange) -> bool {
        self.parts().iter().any(|&(a, b)| a <= r.from && r.to <= b)
    }
    pub fn first(&self) -> Option<u16> {
        self.parts().first().map(|p| p.0)
    }
    fn normalize(mut v: Parts) -> Ranges {
        v.sort_unstable();
        let mut n: usize = 0;
        for i in 0..v.len() {
            let Some(&(a, b)) = v.get(i) else { break };
            match n.checked_sub(1).and_then(|l| v.get_mut(l)) {
                Some(last) if u32::from(a) <= u32::from(last.1) + 1 => {
                    last.1 = last.1.max(b);
                }
                _ => {
                    if let Some(slot) = v.get_mut(n) {
                        *slot = (a, b);
                    }
                    n += 1;
                }
            }
        }
        v.truncate(n);
        Ranges::from_sorted(v)
    }
    pub fn union(&self, other: &Ranges) -> Ranges {
        if self.is_full() || other.is_empty() {
            return self.clone();
        }
        if other.is_full() || self.is_empty() {
            return other.clone();
        }
        let mut v: Parts = self.parts().iter().copied().collect();
        v.extend_from_slice(other.parts());
        Ranges::normalize(v)
    }
    pub fn intersect(&self, other: &Ranges) -> Ranges {
        if other.is_full() || self.is_empty() {
            return self.clone();
        }
        if self.is_full() || other.is_empty() {
            return other.clone();
        }
        let mut out = Parts::new();
        for &(a, b) in self.parts() {
            for &(c, d) in other.parts() {
                let lo = a.max(c);
                let hi = b.min(d);
                if lo <= hi {
                    out.push((lo, hi));
                }
            }
        }
        Ranges::normalize(out)
    }
    /// Whether the two sets share a port.
    pub fn meets(&self, other: &Ranges) -> bool {
        self.parts()
            .iter()
            .any(|&(a, b)| other.parts().iter().any(|&(c, d)| a.max(c) <= b.min(d)))
    }
    pub fn subtract(&self, other: &Ranges) -> Ranges {
        if other.is_empty() {
            return self.clone();
        }
        if other.is_full() || self.is_empty() {
            return Ranges::empty();
        }
        let mut cur: Parts = self.parts().iter().copied().collect();
        for &(c, d) in other.parts() {
            let mut next = Parts::with_capacity(cur.len() + 1);
            for (a, b) in cur {
                if d < a || c > b {
                    next.push((a, b));
                    continue;
                }
                if c > a {
                    next.push((a, c - 1));
                }
                if d < b {
                    next.push((d + 1, b));
                }
            }
            cur = next;
        }
        Ranges::from_sorted(cur)
    }
}

/// The flows of one address family: TCP and UDP destination ports, ICMP of the family, and
/// every other IP protocol.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Flows {
    pub tcp: Ranges,
    pub udp: Ranges,
    /// ICMP messages of the family, by [`icmp_key`].
    pub icmp: Ranges,
    pub other: bool,
}

impl Flows {
    pub fn none() -> Flows {
        Flows::default()
    }
    pub fn all() -> Flows {
        Flows {
            tcp: Ranges::full(),
            udp: Ranges::full(),
            icmp: Ranges::full(),
            other: true,
        }
    }
    /// The flows a rule with this protocol, port range and ICMP type and code matches, for
    /// traffic of `family`.
    pub fn of_rule(protocol: Protocol, ports: PortRange, icmp: IcmpMatch, family: Family) -> Flows {
        let mut f = Flows::none();
        match protocol {
            Protocol::All => return Flows::all(),
            Protocol::Tcp | Protocol::Number(6) => f.tcp = Ranges::range(ports),
            Protocol::Udp | Protocol::Number(17) => f.udp = Ranges::range(ports),
            Protocol::Icmp | Protocol::Number(1) if family == Family::Ipv4 => {
                f.icmp = icmp_ranges(icmp)
            }
            Protocol::Icmpv6 | Protocol::Number(58) if family == Family::Ipv6 => {
                f.icmp = icmp_ranges(icmp)
            }
            Protocol::Icmp | Protocol::Icmpv6 | Protocol::Number(1 | 58) => {}
            // Another single protocol: `other` stands for all of them together, so one
            // protocol number covers only part of it; it is left out (documented).
            Protocol::Number(_) => {}
        }
        f
    }
    pub fn tcp(ports: PortRange) -> Flows {
        Flows {
            tcp: Ranges::range(ports),
            ..Flows::none()
        }
    }
    pub fn is_empty(&self) -> bool {
        self.tcp.is_empty() && self.udp.is_empty() && self.icmp.is_empty() && !self.other
    }
    /// Every flow a connection may start with (ICMP replies aside: [`icmp_initiated`]).
    pub fn is_all(&self) -> bool {
        self.tcp.is_full() && self.udp.is_full() && self.other && icmp_complete(&self.icmp)
    }
    /// The flows that may open a connection: ICMP reply messages (echo reply, …) are only
    /// ever answers. All of ICMP stays whole: it is written `icmp` either way.
    pub fn initiated(self) -> Flows {
        if self.icmp.is_empty() || self.icmp.is_full() {
            return self;
        }
        Flows {
            icmp: self.icmp.intersect(icmp_initiated()),
            ..self
        }
    }
    pub fn union(&self, o: &Flows) -> Flows {
        Flows {
            tcp: self.tcp.union(&o.tcp),
            udp: self.udp.union(&o.udp),
            icmp: self.icmp.union(&o.icmp),
            other: self.other || o.other,
        }
    }
    pub fn intersect(&self, o: &Flows) -> Flows {
        Flows {
            tcp: self.tcp.intersect(&o.tcp),
            udp: self.udp.intersect(&o.udp),
            icmp: self.icmp.intersect(&o.icmp),
            other: self.other && o.other,
        }
    }
    /// Whether the two sets share a flow.
    pub fn meets(&self, o: &Flows) -> bool {
        self.icmp.meets(&o.icmp)
            || (self.other && o.other)
            || self.tcp.meets(&o.tcp)
            || self.udp.meets(&o.udp)
    }
    pub fn subtract(&self, o: &Flows) -> Flows {
        Flows {
            tcp: self.tcp.subtract(&o.tcp),
            udp: self.udp.subtract(&o.udp),
            icmp: self.icmp.subtract(&o.icmp),
            other: self.other && !o.other,
        }
    }
    /// One flow of the set, for explaining which rule drops it.
    pub fn sample(&self) -> Option<Flow> {
        if let Some(p) = self.tcp.first() {
            return Some(Flow::Tcp(p));
        }
        if let Some(p) = self.udp.first() {
            return Some(Flow::Udp(p));
        }
        if let Some(k) = self.icmp.first() {
            return Some(Flow::Icmp(k));
        }
        if self.other {
            return Some(Flow::Other);
        }
        None
    }
    pub fn contains(&self, flow: Flow) -> bool {
        match flow {
            Flow::Tcp(p) => self.tcp.contains(p),
            Flow::Udp(p) => self.udp.contains(p),
            Flow::Icmp(k) => self.icmp.contains(k),
            Flow::Other => self.other,
        }
    }
    /// The flows a [`Self::render`]ed string stands for; `None` for a string it does not
    /// write.
    pub fn parse(text: &str, family: Family) -> Option<Flows> {
        if text == "all" {
            return Some(Flows::all());
        }
        let icmp = match family {
            Family::Ipv4 => "icmp",
            Family::Ipv6 => "icmpv6",
        };
        let mut f = Flows::none();
        for token in text.split(',').filter(|t| !t.is_empty()) {
            if token == icmp {
                f.icmp = Ranges::full();
                continue;
            }
            if let Some(spec) = token.strip_prefix(icmp).and_then(|t| t.strip_prefix(':')) {
                f.icmp = f.icmp.union(&parse_icmp(spec)?);
                continue;
            }
            if token == "other-protocols" {
                f.other = true;
                continue;
            }
            let (proto, ports) = token.split_once(':')?;
            let range = if ports == "all" {
                PortRange::ALL
            } else {
                let (a, b) = ports.split_once('-').unwrap_or((ports, ports));
                PortRange {
                    from: a.parse().ok()?,
                    to: b.parse().ok()?,
                }
            };
            let r = Ranges::range(range);
            match proto {
                "tcp" => f.tcp = f.tcp.union(&r),
                "udp" => f.udp = f.udp.union(&r),
                _ => return None,
            }
        }
        Some(f)
    }

    /// The contract's `ports` string: `all`, or e.g. `tcp:443,tcp:1024-65535,icmp`; empty
    /// when nothing passes.
    pub fn render(&self, family: Family) -> String {
        use std::fmt::Write as _;
        if self.is_all() {
            return "all".to_string();
        }
        // Written into one string: rendered for every answer.
        let mut out = String::new();
        let sep = |out: &mut String| {
            if !out.is_empty() {
                out.push(',');
            }
        };
        for (name, r) in [("tcp", &self.tcp), ("udp", &self.udp)] {
            if r.is_full() {
                sep(&mut out);
                let _ = write!(out, "{name}:all");
                continue;
            }
            for &(a, b) in r.parts() {
                sep(&mut out);
                let _ = if a == b {
                    write!(out, "{name}:{a}")
                } else {
                    write!(out, "{name}:{a}-{b}")
                };
            }
        }
        let icmp = match family {
            Family::Ipv4 => "icmp",
            Family::Ipv6 => "icmpv6",
        };
        if icmp_complete(&self.icmp) {
            sep(&mut out);
            out.push_str(icmp);
        } else {
            for &(a, b) in self.icmp.parts() {
                for (t1, t2, codes) in icmp_pieces(a, b) {
                    sep(&mut out);
                    let _ = write!(out, "{icmp}:{t1}");
                    if t2 != t1 {
                        let _ = write!(out, "-{t2}");
                    }
                    match codes {
                        Some((c1, c2)) if c1 == c2 => {
                            let _ = write!(out, "/{c1}");
                        }
                        Some((c1, c2)) => {
                            let _ = write!(out, "/{c1}-{c2}");
                        }
                        None => {}
                    }
                }
            }
        }
        if self.other {
            sep(&mut out);
            out.push_str("other-protocols");
        }
        out
    }
}

/// The ICMP reply types of both families (echo, timestamp, information and address mask
/// replies; ICMPv6 echo reply), which no host sends to open anything: each is unassigned in
/// the other family, so one set serves both.
const ICMP_REPLY_TYPES: [u8; 5] = [0, 14, 16, 18, 129];

/// Every ICMP message but the reply types: what a connection may start with (made once:
/// every walk narrows to it).
pub fn icmp_initiated() -> &'static Ranges {
    static INITIATED: std::sync::OnceLock<Ranges> = std::sync::OnceLock::new();
    INITIATED.get_or_init(|| {
        ICMP_REPLY_TYPES
            .iter()
            .fold(Ranges::full(), |r, &t| r.subtract(&icmp_type_range(t)))
    })
}

/// Whether an ICMP set holds every message a connection may start with (it is written
/// `icmp`, and counts as all of ICMP).
fn icmp_complete(r: &Ranges) -> bool {
    r.is_full() || icmp_initiated().subtract(r).is_empty()
}

/// The ICMP messages of `fwd` whose replies ([`icmp_reply`], same code) are in `rev`: what
/// passes a stateless filter both ways.
pub fn icmp_with_replies(fwd: &Ranges, rev: &Ranges, family: Family) -> Ranges {
    if rev.is_full() || fwd.is_empty() {
        return fwd.clone();
    }
    if rev.is_empty() {
        return Ranges::empty();
    }
    // The messages whose reply is in `rev`: `rev` itself, with each query type's codes
    // taken from its reply type's.
    let mut ok = rev.clone();
    let queries: &[u8] = match family {
        Family::Ipv4 => &[8, 13, 15, 17],
        Family::Ipv6 => &[128],
    };
    for &q in queries {
        let r = icmp_reply(family, q);
        ok = ok.subtract(&icmp_type_range(q));
        for &(a, b) in rev.intersect(&icmp_type_range(r)).parts() {
            let shift = |k: u16| icmp_key(q, u8::try_from(k & 0xff).unwrap_or(u8::MAX));
            ok = ok.union(&Ranges::range(PortRange {
                from: shift(a),
                to: shift(b),
            }));
        }
    }
    fwd.intersect(&ok)
}

/// A piece of an ICMP range as written: a run of whole types `(first, last, None)`, or
/// codes of one type `(type, type, Some((first, last)))`.
type IcmpPiece = (u8, u8, Option<(u8, u8)>);

/// An ICMP range of [`icmp_key`]s as the contract writes it, in [`IcmpPiece`]s.
fn icmp_pieces(a: u16, b: u16) -> Vec<IcmpPiece> {
    let (mut cur, end) = (u32::from(a), u32::from(b));
    let mut out = Vec::new();
    while cur <= end {
        let t = cur >> 8;
        let type_end = t << 8 | 0xff;
        let byte = |v: u32| u8::try_from(v & 0xff).unwrap_or(u8::MAX);
        if cur & 0xff == 0 && end >= type_end {
            // Whole types, up to the last one `end` covers to its last code.
            let last = if end & 0xff == 0xff {
                end >> 8
            } else {
                (end >> 8) - 1
            };
            out.push((byte(t), byte(last), None));
            cur = (last + 1) << 8;
        } else {
            let stop = end.min(type_end);
            out.push((byte(t), byte(t), Some((byte(cur), byte(stop)))));
            cur = stop + 1;
        }
    }
    out
}

/// `T`, `T-T2`, `T/C` or `T/C-C2`, as [`icmp_pieces`] writes them.
fn parse_icmp(spec: &str) -> Option<Ranges> {
    let span = |t: &str| -> Option<(u8, u8)> {
        let (a, b) = t.split_once('-').unwrap_or((t, t));
        Some((a.parse().ok()?, b.parse().ok()?))
    };
    let range = match spec.split_once('/') {
        None => {
            let (t1, t2) = span(spec)?;
            PortRange {
                from: icmp_key(t1, 0),
                to: icmp_key(t2, u8::MAX),
            }
        }
        Some((t, codes)) => {
            let t: u8 = t.parse().ok()?;
            let (c1, c2) = span(codes)?;
            PortRange {
                from: icmp_key(t, c1),
                to: icmp_key(t, c2),
            }
        }
    };
    Some(Ranges::range(range))
}

/// One concrete flow: a protocol and, for TCP/UDP, a destination port.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Flow {
    Tcp(u16),
    Udp(u16),
    /// An ICMP message by [`icmp_key`].
    Icmp(u16),
    Other,
}

impl Flow {
    /// Whether a rule with this protocol, port range and ICMP match matches the flow.
    pub fn matches(
        self,
        protocol: Protocol,
        ports: PortRange,
        icmp: IcmpMatch,
        family: Family,
    ) -> bool {
        Flows::of_rule(protocol, ports, icmp, family).contains(self)
    }
    pub fn describe(self, family: Family) -> String {
        match self {
            Flow::Tcp(p) => format!("TCP port {p}"),
            Flow::Udp(p) => format!("UDP port {p}"),
            Flow::Icmp(k) => {
                let name = match family {
                    Family::Ipv4 => "ICMP",
                    Family::Ipv6 => "ICMPv6",
                };
                format!("{name} type {} code {}", k >> 8, k & 0xff)
            }
            Flow::Other => "other IP protocols".to_string(),
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    fn r(v: &[(u16, u16)]) -> Ranges {
        Ranges::normalize(v.iter().copied().collect())
    }

    #[test]
    fn range_algebra() {
        let a = r(&[(0, 100), (200, 300)]);
        let b = r(&[(50, 250)]);
        assert_eq!(a.intersect(&b), r(&[(50, 100), (200, 250)]));
        assert_eq!(a.subtract(&b), r(&[(0, 49), (251, 300)]));
        assert_eq!(a.union(&b), r(&[(0, 300)]));
        assert_eq!(r(&[(0, 5), (6, 9)]), r(&[(0, 9)]));
        assert!(Ranges::full().subtract(&Ranges::full()).is_empty());
    }

    fn icmp(t: u8, c: Option<u8>) -> Flows {
        Flows::of_rule(
            Protocol::Icmp,
            PortRange::ALL,
            IcmpMatch {
                icmp_type: Some(t),
                icmp_code: c,
            },
            Family::Ipv4,
        )
    }

    #[test]
    fn icmp_types_and_codes_render_and_parse_back() {
        let all = Flows::of_rule(
            Protocol::Icmp,
            PortRange::ALL,
            IcmpMatch::default(),
            Family::Ipv4,
        );
        assert_eq!(all.render(Family::Ipv4), "icmp");
        // An ICMP rule matches nothing of the other family.
        assert!(Flows::of_rule(
            Protocol::Icmp,
            PortRange::ALL,
            IcmpMatch::default(),
            Family::Ipv6
        )
        .is_empty());
        let cases = [
            (icmp(8, None), "icmp:8"),
            (icmp(3, Some(4)), "icmp:3/4"),
            (icmp(0, None).union(&icmp(8, None)), "icmp:0,icmp:8"),
            (
                (0..=8).fold(Flows::none(), |f, t| f.union(&icmp(t, None))),
                "icmp:0-8",
            ),
            (
                icmp(3, Some(4))
                    .union(&icmp(3, Some(5)))
                    .union(&icmp(4, None)),
                "icmp:3/4-5,icmp:4",
            ),
            // Codes 250-255 of type 3, then all of type 4: two pieces.
            (
                (250..=255)
                    .fold(Flows::none(), |f, c| f.union(&icmp(3, Some(c))))
                    .union(&icmp(4, None)),
                "icmp:3/250-255,icmp:4",
            ),
            (icmp(255, None), "icmp:255"),
        ];
        for (flows, text) in cases {
            assert_eq!(flows.render(Family::Ipv4), text);
            assert_eq!(Flows::parse(text, Family::Ipv4), Some(flows), "{text}");
        }
        // ICMPv6 is named so in IPv6 answers.
        let echo6 = Flows::of_rule(
            Protocol::Icmpv6,
            PortRange::ALL,
            IcmpMatch {
                icmp_type: Some(128),
                icmp_code: None,
            },
            Family::Ipv6,
        );
        assert_eq!(echo6.render(Family::Ipv6), "icmpv6:128");
        assert!(Flow::Icmp(icmp_key(8, 0)).matches(
            Protocol::Number(1),
            PortRange::ALL,
            IcmpMatch {
                icmp_type: Some(8),
                icmp_code: Some(0),
            },
            Family::Ipv4
        ));
    }

    #[test]
    fn icmp_replies_open_nothing_and_all_but_them_is_written_icmp() {
        // All of ICMP stays whole (written `icmp` either way); part of it loses its replies.
        assert_eq!(Flows::all().initiated(), Flows::all());
        let part = icmp(0, None).union(&icmp(8, None)).initiated();
        assert!(!part.icmp.contains(icmp_key(0, 0)));
        assert!(part.icmp.contains(icmp_key(8, 0)));
        let init = Flows {
            icmp: icmp_initiated().clone(),
            ..Flows::all()
        };
        assert!(init.is_all());
        assert_eq!(init.render(Family::Ipv4), "all");
        let icmp_only = Flows {
            icmp: icmp_initiated().clone(),
            ..Flows::none()
        };
        assert_eq!(icmp_only.render(Family::Ipv6), "icmpv6");
        // An echo reply alone is nothing a connection starts with.
        assert!(icmp(0, None).initiated().is_empty());
    }

    #[test]
    fn icmp_queries_need_their_reply_type_back() {
        let echo = icmp(8, None).icmp;
        let reply = icmp(0, None).icmp;
        let unreachable = icmp(3, None).icmp;
        // Echo request out, echo reply back: pings pass.
        assert_eq!(icmp_with_replies(&echo, &reply, Family::Ipv4), echo);
        // Echo request both ways is not a reply.
        assert!(icmp_with_replies(&echo, &echo, Family::Ipv4).is_empty());
        // An echo reply sent unasked needs an echo reply back (it is no query).
        assert!(icmp_with_replies(&reply, &echo, Family::Ipv4).is_empty());
        // Other messages pass back as themselves.
        assert_eq!(
            icmp_with_replies(&unreachable, &unreachable, Family::Ipv4),
            unreachable
        );
        let all = Ranges::full();
        assert_eq!(icmp_with_replies(&all, &all, Family::Ipv4), all);
        assert!(icmp_with_replies(&all, &Ranges::empty(), Family::Ipv4).is_empty());
        // ICMPv6: echo request 128, echo reply 129; only the codes the reply passes.
        let key = |t, c| {
            Ranges::range(PortRange {
                from: icmp_key(t, c),
                to: icmp_key(t, c),
            })
        };
        let v6 = icmp_with_replies(
            &Ranges::range(PortRange {
                from: icmp_key(128, 0),
                to: icmp_key(128, 255),
            }),
            &key(129, 0),
            Family::Ipv6,
        );
        assert_eq!(v6, key(128, 0));
    }

    #[test]
    fn render_ports() {
        let mut f = Flows::tcp(PortRange { from: 443, to: 443 });
        f = f.union(&Flows::tcp(PortRange::EPHEMERAL));
        assert_eq!(f.render(Family::Ipv4), "tcp:443,tcp:1024-65535");
        assert_eq!(Flows::all().render(Family::Ipv6), "all");
        assert_eq!(Flows::none().render(Family::Ipv6), "");
    }
}
