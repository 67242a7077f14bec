//! A spinner on stderr for long `analyze` runs: one line naming the phase (parse, model,
//! analysis, report) and the time so far, cleared when the run ends. Shown only when stderr
//! is a terminal and the plan is large, so tests, CI logs and pipes never see it.

use std::io::IsTerminal;
use std::path::Path;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};

/// Plans smaller than this are analysed in well under a second: no spinner.
const MIN_BYTES: u64 = 16 * 1024 * 1024;

/// The spinner, or nothing.
pub struct Progress(Option<ProgressBar>);

impl Progress {
    /// A spinner for analysing `plan`, when stderr is a terminal and the plan is large
    /// (standard input counts as large: its size is not known up front).
    pub fn for_plan(plan: &Path) -> Progress {
        if !std::io::stderr().is_terminal() {
            return Progress(None);
        }
        let large =
            plan == Path::new("-") || std::fs::metadata(plan).is_ok_and(|m| m.len() >= MIN_BYTES);
        if !large {
            return Progress(None);
        }
        let bar = ProgressBar::new_spinner();
        if let Ok(style) = ProgressStyle::with_template("{spinner} tfvpc: {msg} ({elapsed})") {
            bar.set_style(style);
        }
        bar.enable_steady_tick(Duration::from_millis(120));
        Progress(Some(bar))
    }

    /// Runs `f` (which writes to stderr) with the spinner's line out of the way.
    pub fn suspend<R>(&self, f: impl FnOnce() -> R) -> R {
        match &self.0 {
            Some(bar) => bar.suspend(f),
            None => f(),
        }
    }

    /// Names the phase now running.
    pub fn phase(&self, what: &'static str) {
        if let Some(bar) = &self.0 {
            bar.set_message(what);
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        if let Some(bar) = &self.0 {
            bar.finish_and_clear();
        }
    }
}
