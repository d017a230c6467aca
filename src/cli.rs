//! The command line, as clap types: one variant per subcommand.

use std::path::PathBuf;

use clap::builder::{PossibleValue, TypedValueParser};
use clap::{Args, Parser, Subcommand, ValueEnum, ValueHint};
use clap_complete::Shell;
use kpi_core::data::rollup::Grain;
use kpi_core::library::Selection;
use kpi_core::{Kind, Period};
use kpi_report::Locale;

/// Product KPIs as code: TOML definitions, evaluated over monthly data.
#[derive(Debug, Parser)]
#[command(
    name = "kpi",
    version,
    about,
    max_term_width = 100,
    after_help = "Examples:
  kpi init acme && cd acme     start a project, then fill in data/monthly.csv
  kpi report --output reports/kpi.md
  kpi help check               what one command does"
)]
pub struct Cli {
    /// Project defaults file [default: ./kpi.toml when it exists]. `kpi schema --config`,
    /// without a file, prints the schema of kpi.toml.
    // The value is optional only so that `kpi schema --config` reads as the issue words it;
    // every other command refuses `--config` without a file (`cmd::run`).
    #[arg(
        long,
        global = true,
        value_name = "FILE",
        value_hint = ValueHint::FilePath,
        num_args = 0..=1,
        default_missing_value = "",
        // `PathBuf`'s own parser refuses the empty value that marks a missing one.
        value_parser = TypedValueParser::map(clap::builder::OsStringValueParser::new(), PathBuf::from)
    )]
    pub config: Option<PathBuf>,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Start a project: kpi.toml, a team folder with an example, and a data template.
    #[command(after_help = "Examples:
  kpi init acme --locale fr --currency EUR  in ./acme: reports in French, amounts in euros
  kpi init --library churn_rate,nps,arpu    only these (and the metrics they use)")]
    Init(InitArgs),
    /// Load and validate every definition; print every problem found.
    #[command(after_help = "Examples:
  kpi check                              definitions, and the data of kpi.toml
  kpi check --strict                     in CI: any warning fails the run")]
    Check(CheckArgs),
    /// List the definitions in force.
    #[command(after_help = "Examples:
  kpi list --library all                 every standard definition
  kpi list --format markdown > docs/metrics.md")]
    List(ListArgs),
    /// Evaluate every metric for one month.
    #[command(after_help = "Examples:
  kpi eval                               the latest month with a value from data
  kpi eval --period 2026-10 --format json > 2026-10.json")]
    Eval(EvalArgs),
    /// Show how one metric's value is computed for one month.
    #[command(after_help = "Examples:
  kpi explain churn_rate
  kpi explain ltv_cac_ratio --period 2026-09")]
    Explain(ExplainArgs),
    /// Check every definition's examples: the value its formula gives for inputs set by hand.
    #[command(after_help = "Examples:
  kpi test                               every example of the definitions in force
  kpi test --metrics team                the team's folder only")]
    Test(TestArgs),
    /// Show what the definitions changed since a git revision do to one month's values and
    /// statuses (for a pull request).
    #[command(after_help = "Examples:
  kpi diff --base origin/main            in a pull request, against its base branch
  kpi diff --base HEAD~1 --period 2026-08 --format json")]
    Diff(DiffArgs),
    /// Write a commented template definition to fill in.
    #[command(after_help = "Examples:
  kpi new weekly_trials                  a KPI template in the project's own folder
  kpi new churn_rate                     a file that changes the standard churn target")]
    New(NewArgs),
    /// Render the monthly report as one HTML page or as Markdown.
    #[command(after_help = "Examples:
  kpi report --output reports/kpi.md     Markdown, to commit
  kpi report --period 2026-10 --output reports/2026-10.html")]
    Report(ReportArgs),
    /// Render the month's report and send it: by email and to Slack, as `[delivery]` in
    /// kpi.toml says.
    #[command(after_help = "Examples:
  kpi send --dry-run                     what would be sent, and to whom; sends nothing
  kpi send --to me@example.com           a test: only to this address")]
    Send(SendArgs),
    /// Work with the data sources.
    #[command(subcommand)]
    #[command(after_help = "Examples:
  kpi data pull --output data/monthly.csv")]
    Data(DataCommand),
    /// Print the JSON Schema of definition files (with `--config`: of kpi.toml; with
    /// `--objective`: of objective files) for editors.
    #[command(after_help = "Examples:
  kpi schema --config > kpi.schema.json
  kpi schema --objective > objective.schema.json")]
    Schema(SchemaArgs),
    /// Print a shell completion script (it completes metric ids from the project too).
    #[command(after_help = "Examples:
  kpi completions bash > ~/.local/share/bash-completion/completions/kpi
  kpi completions fish > ~/.config/fish/completions/kpi.fish")]
    Completions(CompletionsArgs),
    /// Print the man page (roff), or write one page per command into a folder.
    #[command(after_help = "Examples:
  kpi man | man -l -
  kpi man --dir ~/.local/share/man/man1")]
    Man(ManArgs),
}

/// `kpi schema`: `--config` (the global flag, given without a file) picks the schema of
/// `kpi.toml`, `--objective` that of an objective file.
#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// Print the schema of objective files (`objectives/<id>.toml`).
    #[arg(long)]
    pub objective: bool,
}

/// `kpi completions`
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete in.
    #[arg(value_enum)]
    pub shell: Shell,
}

/// `kpi man`
#[derive(Debug, Args)]
pub struct ManArgs {
    /// Write `kpi.1` and one `kpi-<command>.1` per command into this folder, instead of
    /// printing `kpi.1`.
    #[arg(long, value_name = "DIR", value_hint = ValueHint::DirPath)]
    pub dir: Option<PathBuf>,
}

/// `kpi data ...`
#[derive(Debug, Subcommand)]
pub enum DataCommand {
    /// Run every source and write the monthly table that evaluation sees, as CSV.
    #[command(after_help = "Examples:
  kpi data pull --output data/monthly.csv
  kpi data pull --data export.csv --data -  a file and standard input, merged")]
    Pull(PullArgs),
}

/// `kpi data pull`
#[derive(Debug, Args)]
pub struct PullArgs {
    /// A quarter (`2026-Q3`) or a year (`2026`): write the table rolled up into quarters (or
    /// years), each input by its `aggregate`, through that period [default: the monthly table].
    #[arg(long, value_name = "YYYY-Qn|YYYY", value_parser = parse_period)]
    pub period: Option<PeriodArg>,
    /// CSV data file (`-` for standard input); repeat to merge several; replaces every
    /// source of kpi.toml [default: `data` and `[[sources]]` in kpi.toml].
    #[arg(long = "data", value_name = "FILE", value_hint = ValueHint::FilePath)]
    pub data: Vec<PathBuf>,
    #[command(flatten)]
    pub metrics: MetricsArgs,
    /// File to write, replaced atomically [default: stdout].
    #[arg(long, value_name = "PATH", value_hint = ValueHint::FilePath)]
    pub output: Option<PathBuf>,
}

/// Where definitions come from.
#[derive(Debug, Args)]
pub struct MetricsArgs {
    /// The standard definitions built into kpi to load first: `all`, or ids separated by
    /// commas (the metrics they use come with them) [default: `library` in kpi.toml].
    #[arg(long, value_name = "all|ID,ID", value_parser = parse_library)]
    pub library: Option<Selection>,
    /// Definitions directory, layered over the standard library; repeat to layer several
    /// [default: `metrics` in kpi.toml, else ./metrics.d when no library is used].
    #[arg(long = "metrics", value_name = "DIR", value_hint = ValueHint::DirPath)]
    pub metrics: Vec<PathBuf>,
}

/// `kpi init`
#[derive(Debug, Args)]
pub struct InitArgs {
    /// The project's folder, created if needed [default: the current folder].
    #[arg(value_name = "DIR", default_value = ".", hide_default_value = true, value_hint = ValueHint::DirPath)]
    pub dir: PathBuf,
    /// The standard definitions the project uses: `all`, or ids separated by commas.
    #[arg(long, value_name = "all|ID,ID", value_parser = parse_library, default_value = "all")]
    pub library: Selection,
    /// The reports' language, written as `locale` in kpi.toml: `en` or `fr`.
    #[arg(long, value_name = "LOCALE", value_parser = parse_locale)]
    pub locale: Option<Locale>,
    /// The ISO 4217 code of every amount, written as `currency` in kpi.toml (`EUR`).
    #[arg(long, value_name = "CODE", value_parser = parse_currency)]
    pub currency: Option<String>,
}

/// Where definitions and data come from, and for which month.
#[derive(Debug, Args)]
pub struct DataArgs {
    /// The month to evaluate (`2026-10`), a quarter (`2026-Q3`) or a year (`2026`), each
    /// input rolled up by its `aggregate`; or `latest`: the latest month with a value computed
    /// from data (months holding only target series, such as a budget, do not count)
    /// [default: latest].
    #[arg(long, value_name = "YYYY-MM|YYYY-Qn|YYYY|latest", value_parser = parse_period)]
    pub period: Option<PeriodArg>,
    /// CSV data file (`-` for standard input); repeat to merge several; replaces every
    /// source of kpi.toml [default: `data` and `[[sources]]` in kpi.toml].
    #[arg(long = "data", value_name = "FILE", value_hint = ValueHint::FilePath)]
    pub data: Vec<PathBuf>,
    #[command(flatten)]
    pub metrics: MetricsArgs,
}

/// `kpi check`
#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub metrics: MetricsArgs,
    /// Also check these data files (`-` for standard input) [default: `data` and
    /// `[[sources]]` in kpi.toml, if any].
    #[arg(long = "data", value_name = "FILE", value_hint = ValueHint::FilePath)]
    pub data: Vec<PathBuf>,
    /// Fail (exit 1) on any warning, for CI; also check the month reported: every KPI has a
    /// value, and its notes name known metrics [default: `strict` in kpi.toml, else off].
    #[arg(long)]
    pub strict: bool,
}

/// `kpi test`
#[derive(Debug, Args)]
pub struct TestArgs {
    #[command(flatten)]
    pub metrics: MetricsArgs,
}

/// `kpi diff`
#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The git revision to compare with: a branch, a tag or a commit (`origin/main`).
    #[arg(long, value_name = "REV")]
    pub base: String,
    #[command(flatten)]
    pub data: DataArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = DiffFormat::Markdown)]
    pub format: DiffFormat,
    /// The Markdown's language and numbers: `en` or `fr`; JSON never changes
    /// [default: `locale` in kpi.toml, else en].
    #[arg(long, value_name = "LOCALE", value_parser = parse_locale)]
    pub locale: Option<Locale>,
}

/// Formats of `kpi diff`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    /// A table for a pull-request comment or a job summary, in the project's locale.
    Markdown,
    /// `{"period": ..., "base": ..., "changes": [...]}`
    Json,
}

/// `kpi list`
#[derive(Debug, Args)]
pub struct ListArgs {
    #[command(flatten)]
    pub metrics: MetricsArgs,
    /// List the objectives (`objectives` in kpi.toml) and their KPIs instead.
    #[arg(long)]
    pub objectives: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ListFormat::Table)]
    pub format: ListFormat,
}

/// Formats of `kpi list`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    /// Aligned columns for the terminal.
    Table,
    /// A JSON array, one object per definition.
    Json,
    /// A Markdown catalogue, grouped by family (`docs/metrics.md` is this output).
    Markdown,
}

/// `kpi eval`
#[derive(Debug, Args)]
pub struct EvalArgs {
    #[command(flatten)]
    pub data: DataArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = EvalFormat::Table)]
    pub format: EvalFormat,
    /// How the table writes numbers: `en` or `fr`; JSON and CSV never change
    /// [default: `locale` in kpi.toml, else en].
    #[arg(long, value_name = "LOCALE", value_parser = LocaleParser, hide_possible_values = true)]
    pub locale: Option<Locale>,
}

/// Formats of `kpi eval`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum EvalFormat {
    /// Aligned columns for the terminal.
    Table,
    /// `{"period": ..., "metrics": [...]}`
    Json,
    /// One metric a row, under a header.
    Csv,
}

/// `kpi explain`
#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// The metric id.
    pub id: String,
    #[command(flatten)]
    pub data: DataArgs,
    /// Why it moved: its change split among what its formula reads, exactly, down the metric
    /// tree.
    #[arg(long)]
    pub why: bool,
    /// `--why`: the month compared with: the previous month, or the same month a year earlier.
    #[arg(long, value_enum, value_name = "MONTH", default_value_t = Versus::Previous, requires = "why")]
    pub vs: Versus,
    /// `--why`: how many levels of the metric tree to split.
    #[arg(long, value_name = "N", default_value_t = 3, value_parser = clap::value_parser!(u32).range(1..=12), requires = "why")]
    pub depth: u32,
    /// `--why`: the language numbers are written in: `en` or `fr` [default: `locale` in
    /// kpi.toml, else en].
    #[arg(long, value_name = "LOCALE", value_parser = LocaleParser, hide_possible_values = true)]
    pub locale: Option<Locale>,
}

/// The month `kpi explain --why` compares with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Versus {
    /// The month before.
    Previous,
    /// The same month a year earlier.
    #[value(name = "year_ago")]
    YearAgo,
}

/// `kpi new`
#[derive(Debug, Args)]
pub struct NewArgs {
    /// The new metric's id (`^[a-z][a-z0-9_]*$`).
    #[arg(required_unless_present = "objective")]
    pub id: Option<String>,
    /// Write a commented objective file `<ID>.toml` instead of a metric [folder: `objectives`
    /// in kpi.toml].
    #[arg(long, value_name = "ID", conflicts_with_all = ["id", "kind"])]
    pub objective: Option<String>,
    /// KPI (with a target) or plain metric.
    #[arg(long, value_enum, default_value_t = NewKind::Kpi)]
    pub kind: NewKind,
    /// Directory to write `<ID>.toml` into [default: the last `metrics` folder of kpi.toml].
    #[arg(long, value_name = "DIR", value_hint = ValueHint::DirPath)]
    pub dir: Option<PathBuf>,
}

/// `kpi report`
#[derive(Debug, Args)]
pub struct ReportArgs {
    #[command(flatten)]
    pub data: DataArgs,
    /// Output format [default: from the extension of `--output`: `.html`, `.htm` or `.md`].
    #[arg(long, value_enum)]
    pub format: Option<ReportFormat>,
    /// File to write, replaced atomically: a failure leaves an existing file untouched
    /// [default: stdout].
    #[arg(long, value_name = "PATH", value_hint = ValueHint::FilePath)]
    pub output: Option<PathBuf>,
    /// Folder of templates that replace the built-in ones by file name
    /// [default: `templates` in kpi.toml].
    #[arg(long, value_name = "DIR", value_hint = ValueHint::DirPath)]
    pub templates: Option<PathBuf>,
    /// The report's title [default: `title` in kpi.toml, else "KPI report" in the report's
    /// language].
    #[arg(long, value_name = "TEXT")]
    pub title: Option<String>,
    /// The report's language: `en` or `fr` [default: `locale` in kpi.toml, else en].
    #[arg(long, value_name = "LOCALE", value_parser = LocaleParser, hide_possible_values = true)]
    pub locale: Option<Locale>,
    /// `--format email`: a recipient, repeated for several [default: `to` in `[delivery]`].
    #[arg(long, value_name = "ADDRESS")]
    pub to: Vec<String>,
    /// `--format email`: the `Date` header: `month`, 08:00 UTC on the day after the month
    /// reported, so that the message is the same bytes each time; or `now`.
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = EmailDate::Month)]
    pub date: EmailDate,
    /// Put each definition's description (how to read it, when to act) in the Markdown
    /// report too; the HTML report always has it, folded under its summary.
    #[arg(long)]
    pub with_descriptions: bool,
}

/// When an email report says it was sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum EmailDate {
    /// 08:00 UTC on the first day after the month reported.
    Month,
    /// The time it is rendered.
    Now,
}

/// `kpi send`
#[derive(Debug, Args)]
pub struct SendArgs {
    #[command(flatten)]
    pub data: DataArgs,
    /// Folder of templates that replace the built-in ones by file name
    /// [default: `templates` in kpi.toml].
    #[arg(long, value_name = "DIR", value_hint = ValueHint::DirPath)]
    pub templates: Option<PathBuf>,
    /// The report's title [default: `title` in kpi.toml, else "KPI report" in the report's
    /// language].
    #[arg(long, value_name = "TEXT")]
    pub title: Option<String>,
    /// The report's language: `en` or `fr` [default: `locale` in kpi.toml, else en].
    #[arg(long, value_name = "LOCALE", value_parser = LocaleParser, hide_possible_values = true)]
    pub locale: Option<Locale>,
    /// Mail only these addresses (repeat the flag, or separate them with commas), instead of
    /// `to` and `cc` of `[delivery]`.
    #[arg(long, value_name = "ADDRESS", value_delimiter = ',')]
    pub to: Vec<String>,
    /// Print what would be sent and to whom (recipients, subject, the Slack message); send
    /// nothing.
    #[arg(long)]
    pub dry_run: bool,
}

/// Formats of `kpi report`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// One self-contained HTML page.
    Html,
    /// GitHub-flavoured Markdown.
    Md,
    /// One email message (RFC 5322, `.eml`): the Markdown report as text, and HTML for mail
    /// clients with its charts as PNG images.
    Email,
}

/// The kinds `kpi new` can write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum NewKind {
    /// Tied to an objective: has a target and a direction.
    Kpi,
    /// A supporting measure.
    Metric,
}

impl From<NewKind> for Kind {
    fn from(kind: NewKind) -> Self {
        match kind {
            NewKind::Kpi => Kind::Kpi,
            NewKind::Metric => Kind::Metric,
        }
    }
}

/// `--locale`: [`parse_locale`], with the languages listed so that completion offers them
/// (help already names them).
#[derive(Debug, Clone, Copy)]
struct LocaleParser;

impl TypedValueParser for LocaleParser {
    type Value = Locale;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<Locale, clap::Error> {
        parse_locale.parse_ref(cmd, arg, value)
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new(
            Locale::ALL.iter().map(|l| PossibleValue::new(l.code())),
        ))
    }
}

fn parse_locale(text: &str) -> Result<Locale, String> {
    Locale::from_code(text).ok_or_else(|| {
        let known: Vec<&str> = Locale::ALL.iter().map(|l| l.code()).collect();
        format!("reports are written in {}", known.join(" or "))
    })
}

/// An ISO 4217 code, checked as `kpi.toml`'s `currency` is.
fn parse_currency(text: &str) -> Result<String, String> {
    kpi_core::config::check_currency(text)
        .map(|()| text.to_string())
        .map_err(|problem| match problem.help() {
            Some(help) => format!("{problem}; {help}"),
            None => problem.to_string(),
        })
}

/// `all` or standard ids; an unknown id is refused with the closest one.
fn parse_library(text: &str) -> Result<Selection, String> {
    if text.split(',').all(|id| id.trim().is_empty()) {
        return Err("give `all`, or standard ids separated by commas".into());
    }
    text.parse()
        .map_err(|problem: kpi_core::Problem| match problem.help() {
            Some(help) => format!("{problem}; {help}"),
            None => problem.to_string(),
        })
}

/// `--period`: a month, or `latest` for the month taken without the flag, said explicitly.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PeriodArg {
    /// `latest`: the month reported by default.
    Latest,
    /// A month, `YYYY-MM`.
    Month(Period),
    /// A quarter, `YYYY-Qn`, or a year, `YYYY`: its grain and its last month.
    Longer(Grain, Period),
}

impl PeriodArg {
    /// The month named, if one is (`latest` names none: the default rule picks it).
    pub fn month(self) -> Option<Period> {
        match self {
            PeriodArg::Latest | PeriodArg::Longer(..) => None,
            PeriodArg::Month(period) => Some(period),
        }
    }
}

fn parse_period(text: &str) -> Result<PeriodArg, String> {
    if text == "latest" {
        return Ok(PeriodArg::Latest);
    }
    let longer = |year: &str, grain: Grain, last: u32| {
        let year: i32 = year.parse().ok().filter(|_| year.len() == 4)?;
        Period::new(year, last).map(|end| PeriodArg::Longer(grain, end))
    };
    if let Some((year, quarter)) = text
        .split_once(['Q', 'q'])
        .map(|(y, q)| (y.trim_end_matches('-'), q))
    {
        let found = match quarter {
            "1" | "2" | "3" | "4" => longer(
                year,
                Grain::Quarter,
                quarter.parse::<u32>().unwrap_or(1) * 3,
            ),
            _ => None,
        };
        return found.ok_or_else(|| format!("`{text}` is not a quarter: write `2026-Q3`"));
    }
    if text.len() == 4 && text.bytes().all(|b| b.is_ascii_digit()) {
        return longer(text, Grain::Year, 12).ok_or_else(|| format!("`{text}` is not a year"));
    }
    text.parse()
        .map(PeriodArg::Month)
        .map_err(|e: kpi_core::period::PeriodError| {
            format!("{e}; or a quarter (`2026-Q3`), a year (`2026`), or `latest` (the default)")
        })
}

#[cfg(test)]
mod tests {
    use super::Cli;
    use clap::CommandFactory;

    #[test]
    fn verify_cli() {
        Cli::command().debug_assert();
    }
}
