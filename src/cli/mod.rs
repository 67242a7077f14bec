//! The command line: clap flags, validation into a `Command`, the pipeline, exit codes.
//! The only place that prints. Exit codes: 0 no finding at or above `--fail-on`, 1 findings
//! at or above it (for `query`: `blocked`), 2 bad input or arguments (stderr only).
#![allow(clippy::print_stdout, clippy::print_stderr)]

mod progress;

use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use crate::analysis::{self, Scope};
use crate::model::{Family, PortRange};
use crate::rules::Severity;

#[derive(Parser, Debug)]
#[command(
    name = "tfvpc",
    version,
    about = "What a Terraform plan does to your AWS network: reachability, rule checks and plan diffs, before apply",
    propagate_version = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Commands,
}

#[derive(Subcommand, Debug)]
pub enum Commands {
    /// Analyse a plan: findings, reachability and what the plan changes.
    Analyze(AnalyzeArgs),
    /// Answer one reachability question, hop by hop.
    Query(QueryArgs),
    /// List the built-in rules.
    Rules(RulesArgs),
    /// Show one rule's long help.
    Explain(ExplainArgs),
    /// Print the network model (before and after) as JSON, for debugging a plan.
    Model(ModelArgs),
}

#[derive(clap::Args, Debug)]
pub struct AnalyzeArgs {
    /// `terraform show -json` output of a plan or a state; `-` reads standard input.
    pub plan: PathBuf,
    /// Output format (default: markdown).
    #[arg(long, value_enum)]
    pub format: Option<ReportFormat>,
    /// Write the report to FILE (atomically) instead of standard output (`-` is standard
    /// output).
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Policy file with intents and suppressions (default: ./tfvpc.toml when present).
    #[arg(long, value_name = "FILE")]
    pub policy: Option<PathBuf>,
    /// Lowest severity that makes the exit code 1.
    #[arg(long, value_enum, default_value_t = FailOn::Error)]
    pub fail_on: FailOn,
    /// Where the `.tf` files are (default: the plan file's directory, then the working directory).
    #[arg(long, value_name = "DIR")]
    pub source_dir: Option<PathBuf>,
    /// Which pairs to compute (default: all; for markdown and SARIF above 500 subnets,
    /// external, and the report says so).
    #[arg(long, value_enum)]
    pub reachability: Option<ReachabilityArg>,
    /// Refuse an input larger than this (bytes; K, M and G suffixes are powers of 1024).
    #[arg(long, value_name = "SIZE", default_value = "2G", value_parser = parse_size)]
    pub max_input_size: u64,
    /// Report (and fail on) only what this plan brings: leave out findings its prior state
    /// already has, on the same resources. A plan with no prior state keeps them all.
    #[arg(long)]
    pub only_new: bool,
}

#[derive(clap::Args, Debug)]
pub struct QueryArgs {
    pub plan: PathBuf,
    /// Source endpoint, the side that opens the connection: a subnet address, `internet`, or a
    /// workload address.
    #[arg(long)]
    pub from: String,
    /// Destination endpoint: a subnet address, `internet`, `service:NAME`, `vpn:ADDRESS`, or a
    /// workload address.
    #[arg(long)]
    pub to: String,
    #[arg(long, value_enum)]
    pub family: Option<FamilyArg>,
    #[arg(long, value_enum, default_value_t = ProtocolArg::All)]
    pub protocol: ProtocolArg,
    #[arg(long)]
    pub port: Option<u16>,
    #[arg(long, value_enum, default_value_t = TextOrJson::Text)]
    pub format: TextOrJson,
    /// Refuse an input larger than this (bytes; K, M and G suffixes are powers of 1024).
    #[arg(long, value_name = "SIZE", default_value = "2G", value_parser = parse_size)]
    pub max_input_size: u64,
}

#[derive(clap::Args, Debug)]
pub struct RulesArgs {
    #[arg(long, value_enum, default_value_t = TextOrJson::Text)]
    pub format: TextOrJson,
}

#[derive(clap::Args, Debug)]
pub struct ExplainArgs {
    /// A rule ID, e.g. TFVPC201.
    pub rule_id: String,
}

#[derive(clap::Args, Debug)]
pub struct ModelArgs {
    pub plan: PathBuf,
    /// Refuse an input larger than this (bytes; K, M and G suffixes are powers of 1024).
    #[arg(long, value_name = "SIZE", default_value = "2G", value_parser = parse_size)]
    pub max_input_size: u64,
}

/// A byte count: digits with an optional K, M or G suffix (powers of 1024).
fn parse_size(s: &str) -> Result<u64, String> {
    let t = s.trim();
    let units: [(&[char], u64); 3] = [
        (&['K', 'k'], 1 << 10),
        (&['M', 'm'], 1 << 20),
        (&['G', 'g'], 1 << 30),
    ];
    let (digits, unit) = units
        .iter()
        .find_map(|(suffix, unit)| t.strip_suffix(*suffix).map(|d| (d, *unit)))
        .unwrap_or((t, 1));
    digits
        .parse::<u64>()
        .ok()
        .and_then(|n| n.checked_mul(unit))
        .ok_or_else(|| format!("`{s}` is not a size (e.g. 500M, 2G, 1048576)"))
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReportFormat {
    Markdown,
    Sarif,
    Json,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum FailOn {
    Error,
    Warning,
    Note,
    Never,
}

impl FailOn {
    /// Whether a finding of this severity fails the run.
    pub fn fails(self, severity: Severity) -> bool {
        match self {
            FailOn::Error => severity == Severity::Error,
            FailOn::Warning => severity <= Severity::Warning,
            FailOn::Note => true,
            FailOn::Never => false,
        }
    }
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReachabilityArg {
    All,
    External,
    None,
}

impl From<ReachabilityArg> for Scope {
    fn from(r: ReachabilityArg) -> Scope {
        match r {
            ReachabilityArg::All => Scope::All,
            ReachabilityArg::External => Scope::External,
            ReachabilityArg::None => Scope::None,
        }
    }
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum FamilyArg {
    Ipv4,
    Ipv6,
}

impl From<FamilyArg> for Family {
    fn from(f: FamilyArg) -> Family {
        match f {
            FamilyArg::Ipv4 => Family::Ipv4,
            FamilyArg::Ipv6 => Family::Ipv6,
        }
    }
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProtocolArg {
    Tcp,
    Udp,
    Icmp,
    All,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum TextOrJson {
    Text,
    Json,
}

/// A failure that exits 2 with a message on stderr.
#[derive(Debug)]
pub struct UsageError(pub String);

impl<E: std::fmt::Display> From<E> for UsageError {
    fn from(e: E) -> Self {
        UsageError(e.to_string())
    }
}

/// Entry point of the binary.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    let stdout = io::stdout();
    let mut out = stdout.lock();
    match run(cli, &mut out) {
        Ok(code) => match out.flush() {
            Ok(()) => ExitCode::from(code),
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("tfvpc: {e}");
                ExitCode::from(2)
            }
        },
        Err(UsageError(msg)) => {
            if msg.contains("Broken pipe") {
                return ExitCode::SUCCESS;
            }
            eprintln!("tfvpc: {msg}");
            ExitCode::from(2)
        }
    }
}

/// Runs one command, writing its output to `out`; returns the exit code (0 or 1).
pub fn run(cli: Cli, out: &mut dyn Write) -> Result<u8, UsageError> {
    match cli.command {
        Commands::Analyze(args) => analyze(args, out),
        Commands::Query(args) => query(args, out),
        Commands::Rules(args) => rules(args, out),
        Commands::Explain(args) => explain(args, out),
        Commands::Model(args) => model(args, out),
    }
}

fn analyze(args: AnalyzeArgs, out: &mut dyn Write) -> Result<u8, UsageError> {
    use crate::report::{self, source::SourceLocator, Analysis, Format, RenderOptions};

    let policy = load_policy(args.policy.as_deref())?;
    let progress = progress::Progress::for_plan(&args.plan);
    progress.phase("parsing the plan");
    let file = args.plan.display().to_string();
    let bytes = crate::plan::read_limited(&args.plan, args.max_input_size)?;
    let plan = crate::plan::parse(&bytes, &file)?;
    // The input is as large as everything kept from it: freed before building, on a
    // thread of its own (unmapping a large file's pages is tens of milliseconds).
    drop_later(bytes);
    progress.phase("building the network models");
    let network = crate::plan::build(&plan);
    // The parsed plan is as large as both models: freed now, on a thread of its own (on a
    // large plan, a tenth of a second on one core; the analysis does not use both cores
    // all the time).
    drop_later(plan);
    progress.phase("computing reachability and checking rules");
    let report_format = args.format.unwrap_or(ReportFormat::Markdown);
    if let Some(w) = crate::pipeline::all_pairs_warning(
        &network,
        args.reachability.is_some(),
        report_format == ReportFormat::Json,
    ) {
        progress.suspend(|| eprintln!("tfvpc: note: {w}"));
    }
    let (scope, scope_note) = match args.reachability {
        Some(r) => (Scope::from(r), None),
        None => crate::pipeline::default_scope(&network, report_format == ReportFormat::Json),
    };
    let crate::pipeline::Outcome {
        after,
        changes,
        exposure_changes,
        exposure,
        findings,
        notes: input_notes,
    } = if report_format == ReportFormat::Sarif {
        crate::pipeline::run_without_created_exposure(&network, &policy, scope, today())
    } else {
        crate::pipeline::run(&network, &policy, scope, today())
    };
    // Sources: --source-dir, else the plan's directory when it holds `.tf` files, else `.`.
    let mut source_dir = default_source_dir(&args.plan, args.source_dir.as_deref());
    if args.source_dir.is_none() && !has_tf_files(&source_dir) {
        source_dir = PathBuf::from(".");
    }
    let mut locator = SourceLocator::new(&source_dir, &network.module_calls);
    // `tfvpc:ignore` comments in the sources hide findings; one that hides nothing is a
    // finding itself (TFVPC003), as an unused suppression of the policy file is.
    let (mut findings, ignored) = if policy.inline_ignores_off {
        (findings, report::Ignored::default())
    } else {
        report::apply_ignores(findings, &mut locator)
    };
    findings.extend(
        crate::rules::policy_checks::unused_ignores(&ignored.unused)
            .into_iter()
            .filter(|f| !policy.is_off(&f.rule_id))
            .map(|mut f| {
                if let Some(sev) = policy.severity_override(&f.rule_id) {
                    f.severity = sev;
                }
                f
            }),
    );
    crate::rules::sort_dedup(&mut findings);
    let mut only_new_note = None;
    let mut left_out = 0;
    if args.only_new {
        let before = findings.len();
        findings.retain(|f| f.baseline != Some(crate::rules::Baseline::Unchanged));
        let hidden = before - findings.len();
        left_out = hidden;
        if hidden > 0 {
            only_new_note = Some(format!(
                "--only-new: {hidden} finding{} the prior state already has {} not shown",
                if hidden == 1 { "" } else { "s" },
                if hidden == 1 { "is" } else { "are" },
            ));
        }
    }
    let ignore_notes = ignored.used.iter().map(|(i, n)| {
        format!(
            "{}:{}: `tfvpc:ignore:{}` hid {n} finding{}{}",
            i.at.file,
            i.at.line,
            i.rule,
            if *n == 1 { "" } else { "s" },
            i.reason
                .as_deref()
                .map(|r| format!(" ({r})"))
                .unwrap_or_default()
        )
    });
    let mut ignore_notes: Vec<String> = ignore_notes.collect();
    if policy.inline_ignores_off {
        let n = locator.all_ignores().len();
        if n > 0 {
            ignore_notes.push(format!(
                "{n} `tfvpc:ignore` comment rule{} in the sources hid nothing: the policy file sets `inline_ignores = false`",
                if n == 1 { "" } else { "s" }
            ));
        }
    }
    let fails = findings.iter().any(|f| args.fail_on.fails(f.severity));
    let (findings, hop_locations) = report::locate(findings, &mut locator);
    let options = RenderOptions {
        tool_version: env!("CARGO_PKG_VERSION").to_string(),
        source_prefix: source_prefix(&source_dir),
        fallback_location: locator.first_file("").unwrap_or_else(|| report::Location {
            file: "main.tf".to_string(),
            line: 1,
        }),
    };
    let analysis = Analysis {
        network: &network,
        findings,
        reachability: after,
        changes,
        exposure_changes,
        exposure,
        hop_locations,
        notes: scope_note
            .into_iter()
            .chain(input_notes)
            .chain(locator.notes().iter().cloned())
            .chain(ignore_notes)
            .chain(only_new_note)
            .collect(),
        left_out,
    };
    let format = match report_format {
        ReportFormat::Markdown => Format::Markdown,
        ReportFormat::Sarif => Format::Sarif,
        ReportFormat::Json => Format::Json,
    };
    progress.phase("writing the report");
    // Rendered straight into the file (or stdout), not into memory first: an all-pairs
    // JSON report of a large network is gigabytes.
    // `--output -` is standard output, as `-` is standard input for the plan.
    let to_file = args.output.as_deref().filter(|p| *p != Path::new("-"));
    match to_file {
        Some(path) => {
            report::output::write_atomic_with(path, |w| {
                report::render(format, &analysis, &options, w)
            })
            .map_err(|e| UsageError(format!("{}: {e}", path.display())))?;
            drop(progress);
        }
        None => {
            // The progress line (stderr) is cleared before the report takes the terminal;
            // a report redirected to a file (an all-pairs JSON can take minutes) keeps it.
            let progress = (!io::stdout().is_terminal()).then_some(progress);
            let mut w = std::io::BufWriter::new(&mut *out);
            report::render(format, &analysis, &options, &mut w)?;
            w.flush()?;
            drop(progress);
        }
    }
    // GitHub reads workflow commands from both streams: stdout when the report went to a
    // file, stderr when stdout carries the report (so the report stays clean).
    if std::env::var("GITHUB_ACTIONS").as_deref() == Ok("true") {
        let lines = report::annotations::lines(&analysis, &options);
        if to_file.is_some() {
            for l in lines {
                writeln!(out, "{l}")?;
            }
        } else {
            for l in lines {
                eprintln!("{l}");
            }
        }
    }
    let Analysis {
        findings,
        reachability,
        changes,
        hop_locations,
        ..
    } = analysis;
    drop_later((network, findings, reachability, changes, hop_locations));
    Ok(u8::from(fails))
}

/// Frees `value` on a thread nobody waits for. Freeing the models and results of a large
/// run (millions of small allocations) takes a tenth of its time, just before the process
/// exits and the system reclaims everything anyway; in a process that goes on (tests), the
/// memory is still freed. If no thread can be started, it is freed here.
fn drop_later<T: Send + 'static>(value: T) {
    let _ = std::thread::Builder::new()
        .name("tfvpc-free".into())
        .spawn(move || drop(value));
}

fn has_tf_files(dir: &Path) -> bool {
    std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(Result::ok)
                .any(|e| e.file_name().to_string_lossy().ends_with(".tf"))
        })
        .unwrap_or(false)
}

/// The source directory as GitHub sees it: relative to the working directory (the
/// repository root in Actions), `/`-separated with a trailing `/`; empty for `.` or when
/// the directory is not under the working directory.
fn source_prefix(dir: &Path) -> String {
    let rel = if dir.is_absolute() {
        match std::env::current_dir()
            .ok()
            .and_then(|cwd| dir.strip_prefix(cwd).ok().map(Path::to_path_buf))
        {
            Some(r) => r,
            None => return String::new(),
        }
    } else {
        dir.to_path_buf()
    };
    let mut parts: Vec<String> = Vec::new();
    for c in rel.components() {
        match c {
            std::path::Component::Normal(p) => parts.push(p.to_string_lossy().into_owned()),
            std::path::Component::CurDir => {}
            _ => return String::new(),
        }
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!("{}/", parts.join("/"))
    }
}

fn query(args: QueryArgs, out: &mut dyn Write) -> Result<u8, UsageError> {
    let network = crate::plan::load_limited(&args.plan, args.max_input_size)?;
    let q = analysis::Query {
        from: args.from,
        to: args.to,
        family: args.family.map(Family::from),
        protocol: match args.protocol {
            ProtocolArg::Tcp => analysis::QueryProtocol::Tcp,
            ProtocolArg::Udp => analysis::QueryProtocol::Udp,
            ProtocolArg::Icmp => analysis::QueryProtocol::Icmp,
            ProtocolArg::All => analysis::QueryProtocol::All,
        },
        ports: args.port.map(PortRange::single).into_iter().collect(),
    };
    if !q.ports.is_empty() && q.protocol == analysis::QueryProtocol::Icmp {
        return Err(UsageError(
            "--port does not apply to --protocol icmp".to_string(),
        ));
    }
    let results = analysis::query(&network.after, &q)?;
    match args.format {
        TextOrJson::Text => write_query_text(&results, out)?,
        TextOrJson::Json => {
            let arr: Vec<serde_json::Value> = results.iter().map(query_json).collect();
            serde_json::to_writer_pretty(&mut *out, &arr)?;
            writeln!(out)?;
        }
    }
    let blocked = results
        .iter()
        .any(|r| r.verdict == analysis::Verdict::Blocked);
    Ok(u8::from(blocked))
}

/// One answer as the contract's reachability entry (plus `dropped_by` for `blocked`).
fn query_json(r: &analysis::PathResult) -> serde_json::Value {
    let mut v = serde_json::json!({
        "from": r.from,
        "to": r.to,
        "family": r.family.as_str(),
        "verdict": r.verdict.as_str(),
        "path": r.path,
        "reason": r.reason,
        "ports": r.ports,
    });
    if let (Some(d), Some(obj)) = (&r.dropped_by, v.as_object_mut()) {
        obj.insert("dropped_by".to_string(), serde_json::Value::from(&**d));
    }
    v
}

fn write_query_text(results: &[analysis::PathResult], out: &mut dyn Write) -> io::Result<()> {
    for (i, r) in results.iter().enumerate() {
        if i > 0 {
            writeln!(out)?;
        }
        writeln!(
            out,
            "{} -> {} ({}): {}",
            r.from,
            r.to,
            r.family,
            r.verdict.as_str()
        )?;
        writeln!(out, "  {}", r.reason)?;
        if !r.ports.is_empty() {
            writeln!(out, "  ports: {}", r.ports)?;
        }
        for (n, hop) in r.path.iter().enumerate() {
            let mark = match &r.dropped_by {
                Some(d) if n + 1 == r.path.len() => format!("   <- dropped by {d}"),
                _ => String::new(),
            };
            writeln!(out, "  {:>2}. {hop}{mark}", n + 1)?;
        }
        if r.path.is_empty() {
            if let Some(d) = &r.dropped_by {
                writeln!(out, "  dropped by {d}")?;
            }
        }
    }
    Ok(())
}

fn rules(args: RulesArgs, out: &mut dyn Write) -> Result<u8, UsageError> {
    let catalog = crate::rules::catalog();
    match args.format {
        TextOrJson::Json => {
            let items: Vec<serde_json::Value> = catalog
                .iter()
                .map(|r| {
                    serde_json::json!({
                        "id": r.id,
                        "name": r.name,
                        "severity": r.severity.as_str(),
                        "summary": r.summary,
                        "tags": r.tags,
                        "help": r.help,
                    })
                })
                .collect();
            serde_json::to_writer_pretty(&mut *out, &items)?;
            writeln!(out)?;
        }
        TextOrJson::Text => {
            let name_w = catalog.iter().map(|r| r.name.len()).max().unwrap_or(4);
            writeln!(
                out,
                "{:<8}  {:<name_w$}  {:<8}  SUMMARY",
                "ID", "NAME", "SEVERITY"
            )?;
            for r in &catalog {
                writeln!(
                    out,
                    "{:<8}  {:<name_w$}  {:<8}  {}",
                    r.id,
                    r.name,
                    r.severity.as_str(),
                    r.summary
                )?;
            }
            writeln!(out)?;
            writeln!(out, "`tfvpc explain ID` shows a rule's documentation.")?;
        }
    }
    Ok(0)
}

fn explain(args: ExplainArgs, out: &mut dyn Write) -> Result<u8, UsageError> {
    let Some(rule) = crate::rules::rule(args.rule_id.trim()) else {
        let close = crate::rules::policy::close_ids(&args.rule_id);
        let hint = if close.is_empty() {
            "run `tfvpc rules` for the list".to_string()
        } else {
            format!("close IDs: {}", close.join(", "))
        };
        return Err(UsageError(format!(
            "no rule with ID `{}`; {hint}",
            args.rule_id
        )));
    };
    out.write_all(render_help(rule).as_bytes())?;
    Ok(0)
}

/// A rule's long help as terminal text: a title, then the markdown with its headings
/// underlined and code blocks indented.
pub fn render_help(rule: &crate::rules::RuleMeta) -> String {
    let title = format!("{} {}", rule.id, rule.name);
    let mut s = format!(
        "{title}\n{}\n{}\nDefault severity: {}\n",
        "=".repeat(title.chars().count()),
        rule.summary,
        rule.severity.as_str()
    );
    let mut in_code = false;
    for line in rule.help.lines() {
        if line.starts_with("```") {
            in_code = !in_code;
            continue;
        }
        if in_code {
            if !line.is_empty() {
                s.push_str("    ");
                s.push_str(line);
            }
        } else if let Some(h) = line.strip_prefix("## ") {
            if !s.ends_with("\n\n") {
                s.push('\n');
            }
            s.push_str(h);
            s.push('\n');
            s.push_str(&"-".repeat(h.chars().count()));
        } else {
            s.push_str(line);
        }
        s.push('\n');
    }
    s
}

/// The policy for `analyze`: `--policy FILE`, else `./tfvpc.toml` when present, else none.
pub fn load_policy(explicit: Option<&Path>) -> Result<crate::rules::Policy, UsageError> {
    let path = match explicit {
        Some(p) => Some(p.to_path_buf()),
        None => crate::rules::policy::discover(Path::new(".")),
    };
    match path {
        Some(p) => Ok(crate::rules::policy::load(&p)?),
        None => Ok(crate::rules::Policy::default()),
    }
}

/// Today's UTC date, the date suppressions expire against.
pub fn today() -> crate::rules::Date {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    crate::rules::Date::from_unix_seconds(secs)
}

fn model(args: ModelArgs, out: &mut dyn Write) -> Result<u8, UsageError> {
    let network = crate::plan::load_limited(&args.plan, args.max_input_size)?;
    crate::report::model_json::write(&network, out)?;
    Ok(0)
}

/// The directory `.tf` sources are looked up in: `--source-dir`, else the plan's directory.
pub fn default_source_dir(plan: &Path, explicit: Option<&Path>) -> PathBuf {
    if let Some(dir) = explicit {
        return dir.to_path_buf();
    }
    match plan.parent() {
        Some(p) if !p.as_os_str().is_empty() && plan != Path::new("-") => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}
