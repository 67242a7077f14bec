//! Reports: JSON, SARIF and markdown renderings of an analysis. Reporters format; they
//! never decide. They write to `&mut dyn Write` and never print.

pub mod model_json;

use crate::analysis::{Change, Reachability};
use crate::model::Network;
use crate::rules::Finding;

/// A resource's place in the `.tf` sources, relative to the source directory.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Location {
    /// Relative path with `/` separators; never absolute, never `..`.
    pub file: String,
    pub line: u32,
}

/// Everything a report shows.
pub struct Analysis<'a> {
    pub network: &'a Network,
    pub findings: Vec<(Finding, Option<Location>)>,
    pub reachability: Reachability,
    pub changes: Vec<Change>,
}
