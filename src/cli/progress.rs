//! A progress line on stderr for long `analyze` runs: it names the phase (parse, model,
//! analysis, report) and the time so far, and while every subnet pair is streamed (minutes
//! on thousands of subnets) it becomes a bar of the batches of answers done, with the time
//! left. Cleared when the run ends. Shown only when stderr is a terminal and the plan is
//! large, so tests, CI logs and pipes never see it.

use std::io::IsTerminal;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};

use crate::analysis::meter::{Meter, METER};

/// Plans smaller than this are analysed in well under a second: no spinner.
const MIN_BYTES: u64 = 16 * 1024 * 1024;

/// How often the line redraws, and reads the meter.
const TICK: Duration = Duration::from_millis(120);

/// The progress line, or nothing.
pub struct Progress(Option<Line>);

struct Line {
    bar: ProgressBar,
    stop: Arc<AtomicBool>,
    watcher: Option<JoinHandle<()>>,
}

/// The spinner's look, and the bar's while batches are counted.
const SPINNER: &str = "{spinner} tfvpc: {msg} ({elapsed})";
const BAR: &str =
    "{spinner} tfvpc: {msg} [{bar:30}] {pos}/{len} batches of answers ({elapsed}, about {eta} left)";

/// Follows `meter` on `bar` until `stop`: a bar while it counts, the spinner otherwise.
fn watch(bar: &ProgressBar, meter: &Meter, stop: &AtomicBool) {
    let mut counting = false;
    while !stop.load(Ordering::Relaxed) {
        match meter.read() {
            Some((done, total)) => {
                if !counting {
                    bar.reset_eta();
                    set_style(bar, BAR);
                    counting = true;
                }
                bar.set_length(total);
                bar.set_position(done);
            }
            None if counting => {
                set_style(bar, SPINNER);
                counting = false;
            }
            None => {}
        }
        std::thread::sleep(TICK);
    }
}

fn set_style(bar: &ProgressBar, template: &str) {
    if let Ok(style) = ProgressStyle::with_template(template) {
        bar.set_style(style.progress_chars("=> "));
    }
}

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
        set_style(&bar, SPINNER);
        bar.enable_steady_tick(TICK);
        let stop = Arc::new(AtomicBool::new(false));
        // A thread the system refuses to start only costs the bar: the spinner stays.
        let watcher = std::thread::Builder::new()
            .name("tfvpc-progress".into())
            .spawn({
                let (bar, stop) = (bar.clone(), stop.clone());
                move || watch(&bar, &METER, &stop)
            })
            .ok();
        Progress(Some(Line { bar, stop, watcher }))
    }

    /// Runs `f` (which writes to stderr) with the progress line out of the way.
    pub fn suspend<R>(&self, f: impl FnOnce() -> R) -> R {
        match &self.0 {
            Some(line) => line.bar.suspend(f),
            None => f(),
        }
    }

    /// Names the phase now running.
    pub fn phase(&self, what: &'static str) {
        if let Some(line) = &self.0 {
            line.bar.set_message(what);
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        if let Some(line) = &mut self.0 {
            line.stop.store(true, Ordering::Relaxed);
            if let Some(w) = line.watcher.take() {
                let _ = w.join();
            }
            line.bar.finish_and_clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bar_follows_the_meter_and_stops_when_told() {
        let bar = ProgressBar::hidden();
        let meter = Arc::new(Meter::new());
        let stop = Arc::new(AtomicBool::new(false));
        let watcher = std::thread::spawn({
            let (bar, meter, stop) = (bar.clone(), meter.clone(), stop.clone());
            move || watch(&bar, &meter, &stop)
        });
        meter.begin(10);
        for _ in 0..4 {
            meter.advance();
        }
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        while bar.position() != 4 || bar.length() != Some(10) {
            assert!(
                std::time::Instant::now() < deadline,
                "the bar never showed 4/10"
            );
            std::thread::sleep(Duration::from_millis(10));
        }
        stop.store(true, Ordering::Relaxed);
        assert!(watcher.join().is_ok());
    }
}
