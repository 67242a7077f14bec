//! Escaping of untrusted strings (names, tags, addresses, messages quoting them) for
//! markdown text, markdown code spans and mermaid labels.
//!
//! The goal is that nothing from a plan can add markup, HTML, a link, a mention, a new
//! table cell or row, or close a code fence or a mermaid label. This module only escapes;
//! it never decides what to show.

/// Plain markdown text: every ASCII punctuation character that can start markup is
/// backslash-escaped (CommonMark makes any escaped ASCII punctuation literal), `<`/`>`/`&`
/// become entities so no HTML can open, `@` and `#` get a zero-width space so GitHub makes
/// no mention or issue link, `://` and `www.` are broken so no autolink forms, and line
/// breaks become spaces so no new block or table row starts.
pub(crate) fn md_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '@' => out.push_str("@\u{200b}"),
            '#' => out.push_str("\\#\u{200b}"),
            '\n' | '\r' | '\t' | '\u{2028}' | '\u{2029}' => out.push(' '),
            '\\' | '`' | '*' | '_' | '{' | '}' | '[' | ']' | '(' | ')' | '+' | '-' | '!' | '|'
            | '~' | '=' | '"' | '\'' | '$' | '^' => {
                out.push('\\');
                out.push(c);
            }
            ':' if s_starts(&mut chars.clone(), "//") => out.push_str(":\u{200b}"),
            '.' if out.ends_with("www") || out.ends_with("WWW") => out.push_str("\u{200b}."),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

fn s_starts(it: &mut impl Iterator<Item = char>, prefix: &str) -> bool {
    prefix.chars().all(|p| it.next() == Some(p))
}

/// A code span: a fence of backticks longer than any run inside, padded with spaces, so
/// the content cannot close it. In a table cell, `|` is escaped as `\|` (GitHub's table
/// parser splits cells before it sees code spans). Line breaks become spaces.
pub(crate) fn code(s: &str, in_table: bool) -> String {
    let mut longest = 0;
    let mut run = 0;
    for c in s.chars() {
        if c == '`' {
            run += 1;
            longest = longest.max(run);
        } else {
            run = 0;
        }
    }
    let fence = "`".repeat(longest + 1);
    let mut body = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '|' if in_table => body.push_str("\\|"),
            '\n' | '\r' | '\u{2028}' | '\u{2029}' => body.push(' '),
            c if c.is_control() => body.push(' '),
            c => body.push(c),
        }
    }
    let pad = body.starts_with('`') || body.ends_with('`') || body.starts_with(' ');
    if body.is_empty() {
        return format!("{fence} {fence}");
    }
    if pad {
        format!("{fence} {body} {fence}")
    } else {
        format!("{fence}{body}{fence}")
    }
}

/// A message from a rule: its `` `quoted` `` parts (addresses, names) become safe code
/// spans, the rest plain escaped text. With an odd number of backticks the whole message
/// is plain text.
pub(crate) fn md_message(s: &str, in_table: bool) -> String {
    let parts: Vec<&str> = s.split('`').collect();
    if parts.len() % 2 == 0 {
        return md_text(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for (i, part) in parts.iter().enumerate() {
        if i % 2 == 1 {
            out.push_str(&code(part, in_table));
        } else {
            out.push_str(&md_text(part));
        }
    }
    out
}

/// A mermaid node label (inside `["..."]`): quotes, brackets, `#`, `<`, `>`, `&`,
/// backticks and line breaks become mermaid entity codes, so a label cannot close itself,
/// inject HTML or close the code fence around the diagram.
pub(crate) fn mermaid_label(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '"' => out.push_str("#quot;"),
            '#' => out.push_str("#35;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '&' => out.push_str("#amp;"),
            '`' => out.push_str("#96;"),
            '[' => out.push_str("#91;"),
            ']' => out.push_str("#93;"),
            '{' => out.push_str("#123;"),
            '}' => out.push_str("#125;"),
            '|' => out.push_str("#124;"),
            '@' => out.push_str("#64;"),
            '\\' => out.push_str("#92;"),
            ';' => out.push_str("#59;"),
            '\n' | '\r' | '\u{2028}' | '\u{2029}' => out.push(' '),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    // No URL a renderer might turn into a link.
    out.replace("://", ":\u{200b}//")
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn text_escapes_markup() {
        assert_eq!(md_text("a*b*"), "a\\*b\\*");
        assert_eq!(md_text("<img src=x>"), "&lt;img src\\=x&gt;");
        assert_eq!(md_text("@octocat"), "@\u{200b}octocat");
        assert_eq!(md_text("a|b\nc"), "a\\|b c");
        assert!(!md_text("see https://evil.example").contains("://"));
        assert!(!md_text("www.evil.example").contains("www."));
    }

    #[test]
    fn code_span_cannot_be_closed() {
        assert_eq!(code("a`b", false), "``a`b``");
        assert_eq!(code("`x`", false), "`` `x` ``");
        assert_eq!(code("a|b", true), "`a\\|b`");
        assert_eq!(code("a|b", false), "`a|b`");
    }

    #[test]
    fn message_quotes_become_code() {
        assert_eq!(
            md_message("route `aws_route.x` is *dead*", false),
            "route `aws_route.x` is \\*dead\\*"
        );
        assert_eq!(md_message("odd ` tick", false), "odd \\` tick");
    }

    #[test]
    fn mermaid_label_cannot_close() {
        let l = mermaid_label("x\"]; click A call evil() ```");
        assert!(!l.contains('"') && !l.contains(']') && !l.contains('`'));
    }
}
