//! Terraform addresses and reference strings: `module.net["a"].aws_subnet.x[0]`,
//! `aws_vpc.main.id`, `var.ids[*]`. Parsing only; no lookup.

use std::fmt;

/// An instance key: `count` index or `for_each` key.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Key {
    Int(i64),
    Str(String),
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Key::Int(i) => write!(f, "[{i}]"),
            Key::Str(s) => write!(f, "[{s:?}]"),
        }
    }
}

impl Key {
    /// The key of a resource's JSON `index` field.
    pub fn from_json(v: &super::json::Value<'_>) -> Option<Key> {
        match v {
            super::json::Value::Number(n) => n.as_i64().map(Key::Int),
            super::json::Value::String(s) => Some(Key::Str(s.to_string())),
            _ => None,
        }
    }
}

/// One step of a traversal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    Attr(String),
    Index(Key),
    Splat,
}

/// Parses `a.b[0]["k"][*].c`; `None` when malformed.
pub fn parse_traversal(s: &str) -> Option<Vec<Step>> {
    let chars: Vec<char> = s.chars().collect();
    let mut steps = Vec::new();
    let mut i = 0;
    let n = chars.len();
    while i < n {
        let c = chars.get(i).copied()?;
        if c == '.' {
            i += 1;
            continue;
        }
        if c == '[' {
            i += 1;
            match chars.get(i).copied()? {
                '*' => {
                    steps.push(Step::Splat);
                    i += 1;
                }
                '"' => {
                    i += 1;
                    let mut key = String::new();
                    loop {
                        let ch = chars.get(i).copied()?;
                        i += 1;
                        match ch {
                            '\\' => {
                                key.push(chars.get(i).copied()?);
                                i += 1;
                            }
                            '"' => break,
                            other => key.push(other),
                        }
                    }
                    steps.push(Step::Index(Key::Str(key)));
                }
                _ => {
                    let start = i;
                    while chars.get(i).is_some_and(|c| *c != ']') {
                        i += 1;
                    }
                    let num: String = chars.get(start..i)?.iter().collect();
                    steps.push(Step::Index(Key::Int(num.trim().parse().ok()?)));
                }
            }
            if chars.get(i).copied()? != ']' {
                return None;
            }
            i += 1;
            continue;
        }
        let start = i;
        while chars
            .get(i)
            .is_some_and(|c| c.is_alphanumeric() || *c == '_' || *c == '-')
        {
            i += 1;
        }
        if i == start {
            return None;
        }
        steps.push(Step::Attr(chars.get(start..i)?.iter().collect()));
    }
    Some(steps)
}

/// A module instance path: `module.a["x"].module.b` is `[("a", Some("x")), ("b", None)]`.
pub type ModPath = Vec<(String, Option<Key>)>;

/// The module instance part of a parsed traversal, and the rest.
pub fn split_modules(steps: &[Step]) -> (ModPath, &[Step]) {
    let mut path = Vec::new();
    let mut rest = steps;
    loop {
        match rest {
            [Step::Attr(m), Step::Attr(name), Step::Index(k), tail @ ..] if m == "module" => {
                path.push((name.clone(), Some(k.clone())));
                rest = tail;
            }
            [Step::Attr(m), Step::Attr(name), tail @ ..] if m == "module" => {
                path.push((name.clone(), None));
                rest = tail;
            }
            _ => return (path, rest),
        }
    }
}

/// Whether a model object's address names a data source (`data.aws_vpc.x`,
/// `module.net.data.aws_vpc.x`), or something made for one (`data.aws_vpc.x (main route
/// table)`).
pub fn is_data_source(address: &str) -> bool {
    // The resource's own address: what follows a space is a part of it (` routes[0]`,
    // ` (main route table)`). A key holding a space cannot be parsed: not a data source.
    let own = address.split_once(' ').map_or(address, |(a, _)| a);
    // A data source's step `data` is followed by its type: without `data.` anywhere, no
    // step is (most addresses, checked without parsing them).
    if !own.contains("data.") {
        return false;
    }
    parse_traversal(own).is_some_and(
        |steps| matches!(split_modules(&steps).1.first(), Some(Step::Attr(d)) if d == "data"),
    )
}

/// Parses a module instance address (`module.a["x"].module.b`; empty for the root).
pub fn parse_module_path(s: &str) -> ModPath {
    match parse_traversal(s) {
        Some(steps) => split_modules(&steps).0,
        None => Vec::new(),
    }
}

/// The configuration path of a module instance: call names joined by `.` (root: empty).
pub fn config_path(m: &ModPath) -> String {
    let names: Vec<&str> = m.iter().map(|(n, _)| n.as_str()).collect();
    names.join(".")
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn parses_addresses_with_keys() {
        let steps = parse_traversal(r#"module.net["a.b"].aws_subnet.x[3].id"#).unwrap();
        let (m, rest) = split_modules(&steps);
        assert_eq!(m, vec![("net".to_string(), Some(Key::Str("a.b".into())))]);
        assert_eq!(
            rest,
            &[
                Step::Attr("aws_subnet".into()),
                Step::Attr("x".into()),
                Step::Index(Key::Int(3)),
                Step::Attr("id".into())
            ]
        );
        assert!(parse_traversal("a[").is_none());
        assert_eq!(
            parse_traversal("x[*].id").unwrap(),
            vec![Step::Attr("x".into()), Step::Splat, Step::Attr("id".into())]
        );
    }

    #[test]
    fn data_source_addresses_are_told_apart() {
        assert!(is_data_source("data.aws_vpc.shared"));
        assert!(is_data_source("data.aws_vpc.shared (main route table)"));
        assert!(is_data_source("data.aws_route_table.private routes[0]"));
        assert!(is_data_source(r#"module.net["data.x"].data.aws_vpc.this"#));
        assert!(!is_data_source("aws_vpc.data"));
        assert!(!is_data_source(r#"module.data["data"].aws_vpc.this"#));
        assert!(!is_data_source("aws_vpc.main (default network ACL)"));
    }
}
