//! GitHub Actions workflow commands (`::error file=…,line=…,title=…::message`) for findings
//! that have a location, so they show inline on the pull request's diff.
//!
//! Escaping follows GitHub's runner (`ActionCommand`): in the message, `%`, `\r` and `\n`
//! become `%25`, `%0D`, `%0A`; in property values also `:` and `,` become `%3A`, `%2C`.
//! This module only formats lines; the CLI decides where they go (stdout when the report
//! goes to a file, stderr otherwise — GitHub reads both).

use super::{sorted_findings, Analysis, RenderOptions};
use crate::rules::Severity;

fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// One workflow command per finding with a location, most severe first.
pub fn lines(analysis: &Analysis<'_>, options: &RenderOptions) -> Vec<String> {
    sorted_findings(analysis)
        .into_iter()
        .filter_map(|(f, loc)| {
            let loc = loc.as_ref()?;
            let command = match f.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Note => "notice",
            };
            Some(format!(
                "::{command} file={},line={},title={}::{}",
                escape_property(&format!("{}{}", options.source_prefix, loc.file)),
                loc.line,
                escape_property(&f.rule_id),
                escape_data(&f.message),
            ))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_per_github_rules() {
        assert_eq!(escape_data("50% a\r\nb"), "50%25 a%0D%0Ab");
        assert_eq!(escape_property("a:b,c%"), "a%3Ab%2Cc%25");
    }
}
