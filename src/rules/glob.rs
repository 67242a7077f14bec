//! Address globs for policy files: `*` matches any run of characters (dots and brackets
//! included), `?` one character, everything else is literal — so `aws_subnet.private[*]`,
//! `module.net.*` and `aws_subnet.app["a"]` mean what they look like. (Shell-style globs
//! would read `[*]` as a character class.)

/// A compiled address glob.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Glob {
    text: String,
}

impl Glob {
    pub fn new(text: &str) -> Glob {
        Glob {
            text: text.to_string(),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Whether the whole of `s` matches.
    pub fn matches(&self, s: &str) -> bool {
        let p: Vec<char> = self.text.chars().collect();
        let t: Vec<char> = s.chars().collect();
        // Iterative wildcard matching with backtracking to the last `*`.
        let (mut pi, mut ti) = (0usize, 0usize);
        let mut star: Option<(usize, usize)> = None;
        while ti < t.len() {
            match p.get(pi) {
                Some('*') => {
                    star = Some((pi, ti));
                    pi += 1;
                }
                Some(c) if *c == '?' || Some(c) == t.get(ti) => {
                    pi += 1;
                    ti += 1;
                }
                _ => match star {
                    Some((sp, st)) => {
                        pi = sp + 1;
                        ti = st + 1;
                        star = Some((sp, st + 1));
                    }
                    None => return false,
                },
            }
        }
        p.get(pi..)
            .is_some_and(|rest| rest.iter().all(|c| *c == '*'))
    }
}

#[cfg(test)]
mod tests {
    use super::Glob;

    #[test]
    fn star_spans_dots_and_brackets_which_are_literal() {
        assert!(Glob::new("aws_subnet.private[*]").matches("aws_subnet.private[0]"));
        assert!(Glob::new("aws_subnet.private[*]").matches(r#"aws_subnet.private["a"]"#));
        assert!(!Glob::new("aws_subnet.private[*]").matches("aws_subnet.private"));
        assert!(Glob::new("module.net.*").matches("module.net.aws_subnet.a[1]"));
        assert!(Glob::new("*").matches(""));
        assert!(Glob::new("aws_subnet.?").matches("aws_subnet.a"));
        assert!(!Glob::new("aws_subnet.a").matches("aws_subnet.ab"));
        assert!(Glob::new("*.a*b").matches("x.a_then_b"));
        assert!(!Glob::new("*.a*b").matches("x.a_then_c"));
    }
}
