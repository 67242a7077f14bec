//! Sets of flows (protocol and destination port) that a filter lets through, with the
//! set algebra the engine needs and the `ports` rendering of the output contract.
//!
//! This module knows nothing of NACLs or security groups; it only counts ports. ICMP is one
//! flag per family (ICMP for IPv4, ICMPv6 for IPv6; type and code are not tracked), and
//! every IP protocol other than TCP, UDP and ICMP is one flag, `other`.

use crate::model::{Family, PortRange, Protocol};

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
    pub icmp: bool,
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
            icmp: true,
            other: true,
        }
    }
    /// The flows a rule with this protocol and port range matches, for traffic of `family`.
    pub fn of_rule(protocol: Protocol, ports: PortRange, family: Family) -> Flows {
        let mut f = Flows::none();
        match protocol {
            Protocol::All => return Flows::all(),
            Protocol::Tcp | Protocol::Number(6) => f.tcp = Ranges::range(ports),
            Protocol::Udp | Protocol::Number(17) => f.udp = Ranges::range(ports),
            Protocol::Icmp | Protocol::Number(1) => f.icmp = family == Family::Ipv4,
            Protocol::Icmpv6 | Protocol::Number(58) => f.icmp = family == Family::Ipv6,
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
        self.tcp.is_empty() && self.udp.is_empty() && !self.icmp && !self.other
    }
    pub fn is_all(&self) -> bool {
        self.tcp.is_full() && self.udp.is_full() && self.icmp && self.other
    }
    pub fn union(&self, o: &Flows) -> Flows {
        Flows {
            tcp: self.tcp.union(&o.tcp),
            udp: self.udp.union(&o.udp),
            icmp: self.icmp || o.icmp,
            other: self.other || o.other,
        }
    }
    pub fn intersect(&self, o: &Flows) -> Flows {
        Flows {
            tcp: self.tcp.intersect(&o.tcp),
            udp: self.udp.intersect(&o.udp),
            icmp: self.icmp && o.icmp,
            other: self.other && o.other,
        }
    }
    /// Whether the two sets share a flow.
    pub fn meets(&self, o: &Flows) -> bool {
        (self.icmp && o.icmp)
            || (self.other && o.other)
            || self.tcp.meets(&o.tcp)
            || self.udp.meets(&o.udp)
    }
    pub fn subtract(&self, o: &Flows) -> Flows {
        Flows {
            tcp: self.tcp.subtract(&o.tcp),
            udp: self.udp.subtract(&o.udp),
            icmp: self.icmp && !o.icmp,
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
        if self.icmp {
            return Some(Flow::Icmp);
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
            Flow::Icmp => self.icmp,
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
                f.icmp = true;
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
        if self.icmp {
            sep(&mut out);
            out.push_str(match family {
                Family::Ipv4 => "icmp",
                Family::Ipv6 => "icmpv6",
            });
        }
        if self.other {
            sep(&mut out);
            out.push_str("other-protocols");
        }
        out
    }
}

/// One concrete flow: a protocol and, for TCP/UDP, a destination port.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Flow {
    Tcp(u16),
    Udp(u16),
    Icmp,
    Other,
}

impl Flow {
    /// Whether a rule with this protocol and port range matches the flow.
    pub fn matches(self, protocol: Protocol, ports: PortRange, family: Family) -> bool {
        Flows::of_rule(protocol, ports, family).contains(self)
    }
    pub fn describe(self, family: Family) -> String {
        match self {
            Flow::Tcp(p) => format!("TCP port {p}"),
            Flow::Udp(p) => format!("UDP port {p}"),
            Flow::Icmp => match family {
                Family::Ipv4 => "ICMP".to_string(),
                Family::Ipv6 => "ICMPv6".to_string(),
            },
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

    #[test]
    fn render_ports() {
        let mut f = Flows::tcp(PortRange { from: 443, to: 443 });
        f = f.union(&Flows::tcp(PortRange::EPHEMERAL));
        assert_eq!(f.render(Family::Ipv4), "tcp:443,tcp:1024-65535");
        assert_eq!(Flows::all().render(Family::Ipv6), "all");
        assert_eq!(Flows::none().render(Family::Ipv6), "");
    }
}
