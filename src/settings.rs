//! Flags and `kpi.toml` merged once into one settings value per command, as ripgrep's
//! `HiArgs`: a flag given on the command line replaces the file's value for its key, and a
//! command reads only its settings, never the flags or the file. Building a value checks
//! what can be checked before anything is loaded, in the order the command always has.

use std::path::{Path, PathBuf};

use kpi_core::data::SourceSpec;
use kpi_core::delivery::{Delivery, Located, uses_company};
use kpi_core::diagnostic::ConfigProblem;
use kpi_core::library::Selection;
use kpi_core::names::is_valid_id;
use kpi_core::{Diagnostic, Kind, Period, Problem};
use kpi_report::{Currency, Format, Locale, Style, Templates};

use crate::cli::{
    CheckArgs, DataArgs, DiffArgs, DiffFormat, EmailDate, EvalArgs, EvalFormat, ExplainArgs,
    ListArgs, ListFormat, MetricsArgs, NewArgs, PeriodArg, PullArgs, ReportArgs, ReportFormat,
    SendArgs, TestArgs, Versus,
};
use crate::error::{CliError, Usage};
use crate::git;
use crate::project::Project;
use kpi_core::config::Comparison;
use kpi_core::data::rollup::Grain;

/// Where definitions come from.
pub struct Definitions {
    /// The standard definitions used: `--library`, else `library` in `kpi.toml`.
    pub library: Option<Selection>,
    /// The definition folders: `--metrics`, else `metrics` in `kpi.toml`, else `./metrics.d`
    /// when no standard definitions are used (with them, a project may have no folder of its
    /// own).
    pub dirs: Vec<PathBuf>,
    /// Nothing says what to load (no `kpi.toml`, no `--metrics`, no library): the default
    /// folder must then exist, or this is most likely a first run in a new folder.
    pub unconfigured: bool,
    /// The folder of objectives, from `objectives` in `kpi.toml`; none by default.
    pub objectives: Option<PathBuf>,
}

impl Definitions {
    fn resolve(project: &Project, args: &MetricsArgs) -> Definitions {
        let library = args
            .library
            .clone()
            .or_else(|| project.config.library.clone());
        let dirs = if args.metrics.is_empty() {
            match &project.config.metrics {
                Some(dirs) => dirs.clone(),
                None if library.is_some() => Vec::new(),
                None => vec![PathBuf::from("metrics.d")],
            }
        } else {
            args.metrics.clone()
        };
        let unconfigured = library.is_none() && project.path.is_none() && args.metrics.is_empty();
        Definitions {
            library,
            dirs,
            unconfigured,
            objectives: project.config.objectives.clone(),
        }
    }
}

/// The data sources: `--data` files (which replace every source of `kpi.toml`), else the
/// `data` files of `kpi.toml` then its `[[sources]]`; possibly none.
pub struct Sources(Vec<SourceSpec>);

impl Sources {
    fn resolve(project: &Project, flags: &[PathBuf]) -> Sources {
        if !flags.is_empty() {
            return Sources(flags.iter().cloned().map(SourceSpec::csv).collect());
        }
        let config = &project.config;
        let files = config.data.iter().flatten().cloned();
        Sources(files.chain(config.sources.iter().cloned()).collect())
    }

    /// Whether no source is given.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The sources, for a command that needs data: none is a usage error, raised when the
    /// command comes to its data.
    pub fn required(&self) -> Result<&[SourceSpec], CliError> {
        if self.0.is_empty() {
            return Err(Usage::NoData.into());
        }
        Ok(&self.0)
    }
}

/// Definitions and data, for one month.
pub struct Month {
    /// The definitions.
    pub definitions: Definitions,
    /// The data.
    pub sources: Sources,
    /// `--period`; without it (or with `latest`), the month reported by default: the latest
    /// with a value computed from data.
    pub period: Option<Period>,
    /// `--period 2026-Q3` or `2026`: a quarter or a year, by its grain and last month.
    pub longer: Option<(Grain, Period)>,
    /// The comparisons reports show (`[report] compare` in `kpi.toml`); `None`: all.
    pub compare: Option<Vec<Comparison>>,
    /// `[report] chart_year_ago` in `kpi.toml`.
    pub chart_year_ago: Option<bool>,
}

impl Month {
    fn resolve(project: &Project, args: &DataArgs) -> Month {
        Month {
            definitions: Definitions::resolve(project, &args.metrics),
            sources: Sources::resolve(project, &args.data),
            period: args.period.and_then(PeriodArg::month),
            longer: match args.period {
                Some(PeriodArg::Longer(grain, end)) => Some((grain, end)),
                _ => None,
            },
            compare: project.config.compare.clone(),
            chart_year_ago: project.config.chart_year_ago,
        }
    }
}

/// `kpi check`.
pub struct Check {
    /// The definitions to check.
    pub definitions: Definitions,
    /// The data to check too, if any.
    pub sources: Sources,
    /// Whether any warning fails the run, and what asked for it.
    pub strict: Option<Strict>,
    /// The folder of the monthly notes from `kpi.toml`, checked in strict mode.
    pub notes: Option<PathBuf>,
}

/// What turned strict mode on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Strict {
    /// `--strict`.
    Flag,
    /// `strict = true` in `kpi.toml`.
    Config,
}

impl Check {
    /// Resolves `kpi check`'s flags against the project: `--strict` or `strict = true`.
    pub fn resolve(project: &Project, args: &CheckArgs) -> Check {
        let strict = if args.strict {
            Some(Strict::Flag)
        } else {
            project.config.strict.then_some(Strict::Config)
        };
        Check {
            definitions: Definitions::resolve(project, &args.metrics),
            sources: Sources::resolve(project, &args.data),
            strict,
            notes: project.config.notes.clone(),
        }
    }
}

/// `kpi list`.
pub struct List {
    /// The definitions to list.
    pub definitions: Definitions,
    /// Whether to list the objectives instead (`--objectives`).
    pub objectives: bool,
    /// How.
    pub format: ListFormat,
}

impl List {
    /// Resolves `kpi list`'s flags against the project.
    pub fn resolve(project: &Project, args: &ListArgs) -> List {
        List {
            definitions: Definitions::resolve(project, &args.metrics),
            objectives: args.objectives,
            format: args.format,
        }
    }
}

/// `kpi test`.
pub struct Test {
    /// The definitions whose examples run.
    pub definitions: Definitions,
}

impl Test {
    /// Resolves `kpi test`'s flags against the project.
    pub fn resolve(project: &Project, args: &TestArgs) -> Test {
        Test {
            definitions: Definitions::resolve(project, &args.metrics),
        }
    }
}

/// `kpi data pull`.
pub struct Pull {
    /// The definitions, whose inputs the data is read for.
    pub definitions: Definitions,
    /// The data.
    pub sources: Sources,
    /// The file to write; stdout without one.
    pub output: Option<PathBuf>,
    /// `--period 2026-Q3` or `2026`: the table rolled up, through that period.
    pub longer: Option<(Grain, Period)>,
}

impl Pull {
    /// Resolves `kpi data pull`'s flags against the project.
    pub fn resolve(project: &Project, args: &PullArgs) -> Pull {
        Pull {
            definitions: Definitions::resolve(project, &args.metrics),
            sources: Sources::resolve(project, &args.data),
            output: args.output.clone(),
            longer: match args.period {
                Some(PeriodArg::Longer(grain, end)) => Some((grain, end)),
                _ => None,
            },
        }
    }
}

/// `kpi eval`.
pub struct Eval {
    /// What to evaluate.
    pub month: Month,
    /// How to write it.
    pub format: EvalFormat,
    /// How the table writes numbers: `--locale`, else `locale` in `kpi.toml`, else English.
    /// An unknown language in `kpi.toml` is reported only when the table is written, after the
    /// data is read: JSON and CSV never read it.
    pub locale: Result<Locale, Diagnostic>,
}

impl Eval {
    /// Resolves `kpi eval`'s flags against the project.
    pub fn resolve(project: &Project, args: &EvalArgs) -> Eval {
        Eval {
            month: Month::resolve(project, &args.data),
            format: args.format,
            locale: locale(project, args.locale),
        }
    }
}

/// `kpi explain`.
pub struct Explain {
    /// Where the metric and its data come from.
    pub month: Month,
    /// The metric's id.
    pub id: String,
    /// `--why`: what to compare with, how deep, and how numbers are written.
    pub why: Option<Why>,
}

/// `kpi explain --why`.
pub struct Why {
    /// The month compared with.
    pub vs: Versus,
    /// How many levels of the metric tree are split.
    pub depth: usize,
    /// How numbers are written.
    pub style: Style,
}

impl Explain {
    /// Resolves `kpi explain`'s flags against the project.
    pub fn resolve(project: &Project, args: &ExplainArgs) -> Result<Explain, CliError> {
        let why = match args.why {
            true => Some(Why {
                vs: args.vs,
                depth: args.depth as usize,
                style: style(project, args.locale)?,
            }),
            false => None,
        };
        Ok(Explain {
            month: Month::resolve(project, &args.data),
            id: args.id.clone(),
            why,
        })
    }
}

/// `kpi report`.
pub struct Report {
    /// What to report on.
    pub month: Month,
    /// HTML or Markdown.
    pub format: Format,
    /// `--templates`, else `templates` in `kpi.toml` (relative to the file's folder), over the
    /// built-in ones.
    pub templates: Templates,
    /// `--title`, else `title` in `kpi.toml`; without either, the locale's.
    pub title: Option<String>,
    /// The language (`--locale`, else `kpi.toml`) and the currency of `kpi.toml`.
    pub style: Style,
    /// The folder of the monthly notes from `kpi.toml`, relative to the file's folder.
    pub notes: Option<PathBuf>,
    /// The file to write; stdout without one.
    pub output: Option<PathBuf>,
    /// For an email: who it is from and to, its subject, and its date (`None`: from the
    /// month reported).
    #[cfg_attr(not(feature = "email"), allow(dead_code))]
    pub mail: Mail,
    /// `--with-descriptions`: the Markdown report carries the descriptions.
    pub with_descriptions: bool,
}

/// Who an email report is from and to, as flags and `kpi.toml` say (read only by builds
/// with the `email` feature).
#[cfg_attr(not(feature = "email"), allow(dead_code))]
#[derive(Debug, Clone, Default)]
pub struct Mail {
    /// The subject template: `[delivery] subject`, else the language's when `kpi.toml` names
    /// a `company`; without either, the subject is the title and the month.
    pub subject: Option<String>,
    /// `company` in `kpi.toml` (`{{company}}`); the title stands in without one.
    pub company: Option<String>,
    /// `[delivery] from`.
    pub from: Option<String>,
    /// `--to`, else `to` in `[delivery]`.
    pub to: Vec<String>,
    /// `cc` in `[delivery]`, unless `--to` is given (as `kpi send`: a trial goes to one
    /// reader, not to the team in copy).
    pub cc: Vec<String>,
    /// `--date now`.
    pub now: bool,
}

#[cfg_attr(not(feature = "email"), allow(dead_code))]
impl Mail {
    /// `[delivery]` and `company` of `kpi.toml`, with `--to` and `--date`.
    fn resolve(project: &Project, args: &ReportArgs, style: Style) -> Mail {
        let config = &project.config;
        let delivery = config.delivery.as_ref();
        let values = |list: &[kpi_core::delivery::Located<String>]| {
            list.iter().map(|l| l.value.clone()).collect::<Vec<_>>()
        };
        let subject = delivery
            .and_then(|d| d.subject.as_ref())
            .map(|s| s.value.clone())
            .or_else(|| {
                config
                    .company
                    .as_ref()
                    .map(|_| style.locale.words().default_subject.to_string())
            });
        let (to, cc) = if args.to.is_empty() {
            (
                delivery.map(|d| values(&d.to)).unwrap_or_default(),
                delivery.map(|d| values(&d.cc)).unwrap_or_default(),
            )
        } else {
            (args.to.clone(), Vec::new())
        };
        Mail {
            subject,
            company: config.company.clone(),
            from: delivery
                .and_then(|d| d.from.as_ref())
                .map(|f| f.value.clone()),
            to,
            cc,
            now: args.date == EmailDate::Now,
        }
    }

    /// The subject of the email of a report titled `title` for `month` (in words).
    pub fn subject(&self, title: &str, month: &str) -> String {
        match &self.subject {
            Some(template) => kpi_core::delivery::fill_subject(
                template,
                self.company.as_deref().unwrap_or(title),
                month,
            ),
            None => format!("{title} — {month}"),
        }
    }
}

impl Report {
    /// Resolves `kpi report`'s flags against the project: the format, then the templates
    /// (read here, so that a missing folder is reported before any data is read), then the
    /// language.
    pub fn resolve(project: &Project, args: &ReportArgs) -> Result<Report, CliError> {
        let format = report_format(args)?;
        let templates = match args
            .templates
            .as_deref()
            .or(project.config.templates.as_deref())
        {
            Some(dir) => Templates::load(dir)?,
            None => Templates::builtin(),
        };
        let title = args.title.clone().or_else(|| project.config.title.clone());
        let style = style(project, args.locale)?;
        Ok(Report {
            month: Month::resolve(project, &args.data),
            format,
            templates,
            title,
            style,
            notes: project.config.notes.clone(),
            output: args.output.clone(),
            mail: Mail::resolve(project, args, style),
            with_descriptions: args.with_descriptions,
        })
    }
}

/// `kpi send`: the report as `kpi report` renders it, and where it goes.
// A build without the `send` feature resolves it (so that its mistakes are still said) and
// reads none of it.
#[cfg_attr(not(feature = "send"), allow(dead_code))]
pub struct Send {
    /// What to report on.
    pub month: Month,
    /// `--templates`, else `templates` in `kpi.toml`, over the built-in ones.
    pub templates: Templates,
    /// `--title`, else `title` in `kpi.toml`; without either, the locale's.
    pub title: Option<String>,
    /// The language and the currency.
    pub style: Style,
    /// The folder of the monthly notes from `kpi.toml`.
    pub notes: Option<PathBuf>,
    /// `[delivery]`, with `--to` in place of its `to` and `cc` when given.
    pub delivery: Delivery,
    /// The subject template: `[delivery] subject`, else the language's.
    pub subject: String,
    /// `company` in `kpi.toml` (`{{company}}` in the subject), empty without one.
    pub company: String,
    /// `--dry-run`: print what would be sent, send nothing.
    pub dry_run: bool,
}

impl Send {
    /// Resolves `kpi send`'s flags against the project: `[delivery]` must say how to send,
    /// and email needs a sender, recipients and a subject it can fill; every such problem is
    /// reported at once, before any data is read.
    pub fn resolve(project: &Project, args: &SendArgs) -> Result<Send, CliError> {
        let Some(mut delivery) = project.config.delivery.clone() else {
            return Err(Usage::NoDelivery(project.path.clone()).into());
        };
        let templates = match args
            .templates
            .as_deref()
            .or(project.config.templates.as_deref())
        {
            Some(dir) => Templates::load(dir)?,
            None => Templates::builtin(),
        };
        let style = style(project, args.locale)?;
        if !args.to.is_empty() {
            // A flag: its problems point at the command line, not at a line of kpi.toml.
            delivery.to = args
                .to
                .iter()
                .map(|a| Located {
                    value: a.trim().to_string(),
                    location: kpi_core::Location::bare("--to", 1, 1),
                })
                .collect();
            delivery.cc.clear();
        }
        let subject = match &delivery.subject {
            Some(subject) => subject.value.clone(),
            None => style.locale.words().default_subject.to_string(),
        };
        let mut problems = Vec::new();
        let mut problem = |p: ConfigProblem, at: &kpi_core::Location| {
            problems.push(Diagnostic::error(Problem::Config(p), Some(at.clone())));
        };
        if delivery.smtp.is_none() && delivery.slack.is_none() {
            problem(ConfigProblem::NothingToSendBy, &delivery.location);
        }
        if delivery.smtp.is_some() {
            if delivery.from.is_none() {
                problem(
                    ConfigProblem::EmailWithout { key: "from" },
                    &delivery.location,
                );
            }
            if delivery.to.is_empty() && delivery.cc.is_empty() {
                problem(
                    ConfigProblem::EmailWithout { key: "to" },
                    &delivery.location,
                );
            }
            if project.config.company.is_none() && uses_company(&subject) {
                let at = delivery.subject.as_ref().map(|s| &s.location);
                problem(
                    ConfigProblem::SubjectWithoutCompany {
                        default: at.is_none(),
                    },
                    at.unwrap_or(&delivery.location),
                );
            }
        }
        if !problems.is_empty() {
            return Err(CliError::Invalid(problems));
        }
        Ok(Send {
            month: Month::resolve(project, &args.data),
            templates,
            title: args.title.clone().or_else(|| project.config.title.clone()),
            style,
            notes: project.config.notes.clone(),
            delivery,
            subject,
            company: project.config.company.clone().unwrap_or_default(),
            dry_run: args.dry_run,
        })
    }
}

/// The report's format: `--format`, else the output file's extension; both must agree.
fn report_format(args: &ReportArgs) -> Result<Format, CliError> {
    let flag = args.format.map(|f| match f {
        ReportFormat::Html => Format::Html,
        ReportFormat::Md => Format::Markdown,
        ReportFormat::Email => Format::Email,
    });
    let output = args.output.as_deref();
    let inferred = output.and_then(Format::from_extension);
    match (flag, inferred, output) {
        (Some(flag), Some(inferred), Some(path)) if flag != inferred => {
            Err(Usage::FormatMismatch {
                flag,
                output: path.to_path_buf(),
            }
            .into())
        }
        (Some(flag), _, _) => Ok(flag),
        (None, Some(inferred), _) => Ok(inferred),
        (None, None, Some(path)) => Err(Usage::FormatUnknown(path.to_path_buf()).into()),
        (None, None, None) => Err(Usage::NoFormat.into()),
    }
}

/// How numbers and words are written: the language (see [`locale`]) and the currency of
/// `kpi.toml`, for `kpi report` and `kpi diff` alike.
fn style(project: &Project, flag: Option<Locale>) -> Result<Style, Diagnostic> {
    Ok(Style {
        locale: locale(project, flag)?,
        currency: project.config.currency.as_deref().and_then(Currency::new),
        grain: Grain::Month,
    })
}

/// The language: `flag`, else `locale` in `kpi.toml` (an error there when reports know no
/// such language), else English.
fn locale(project: &Project, flag: Option<Locale>) -> Result<Locale, Diagnostic> {
    if let Some(locale) = flag {
        return Ok(locale);
    }
    let Some((code, location)) = &project.config.locale else {
        return Ok(Locale::default());
    };
    Locale::from_code(code).ok_or_else(|| {
        Diagnostic::error(
            Problem::Config(ConfigProblem::NoReportLocale {
                code: code.clone(),
                known: Locale::ALL.iter().map(|l| l.code().to_string()).collect(),
            }),
            Some(location.clone()),
        )
    })
}

/// `kpi diff`.
pub struct Diff {
    /// What to compare, as it is now.
    pub month: Month,
    /// The revision as given (`origin/main`), for messages and the output.
    pub base: String,
    /// The commit it names.
    pub commit: String,
    /// How to write the changes.
    pub format: DiffFormat,
    /// How the Markdown writes words and numbers: the language (`--locale`, else `kpi.toml`)
    /// and the currency of `kpi.toml`. An unknown language in `kpi.toml` is reported only
    /// when the Markdown is written: JSON never reads it.
    pub style: Result<Style, Diagnostic>,
}

impl Diff {
    /// Resolves `kpi diff`'s flags against the project; the revision must name a commit.
    pub fn resolve(project: &Project, args: &DiffArgs) -> Result<Diff, CliError> {
        let commit = git::resolve(&args.base)?;
        Ok(Diff {
            month: Month::resolve(project, &args.data),
            base: args.base.clone(),
            commit,
            format: args.format,
            style: style(project, args.locale),
        })
    }
}

/// `kpi new`.
pub struct New {
    /// The new metric's (or objective's) id, valid.
    pub id: String,
    /// What the template is for; `None`: an objective.
    pub kind: Option<Kind>,
    /// The folder to write into: `--dir`, else the last `metrics` folder of `kpi.toml`, the
    /// project's own (the standard library is built in, so it is never written to).
    pub dir: PathBuf,
}

impl New {
    /// Resolves `kpi new`'s flags; `kpi.toml` (`config`, or the current folder's) is read
    /// only without `--dir`, so that a broken one is no reason to refuse a new file.
    pub fn resolve(config: Option<&Path>, args: &NewArgs) -> Result<New, CliError> {
        // clap requires one of the two.
        let id = args
            .objective
            .clone()
            .or(args.id.clone())
            .unwrap_or_default();
        if !is_valid_id(&id) {
            return Err(Usage::InvalidId(id).into());
        }
        let objective = args.objective.is_some();
        let dir = match &args.dir {
            Some(dir) => dir.clone(),
            None if objective => objectives_dir(&Project::open(config)?)?,
            None => own_dir(&Project::open(config)?)?,
        };
        Ok(New {
            id,
            kind: (!objective).then(|| args.kind.into()),
            dir,
        })
    }
}

/// The `objectives` folder of the project's `kpi.toml`.
fn objectives_dir(project: &Project) -> Result<PathBuf, CliError> {
    let Some(path) = &project.path else {
        return Err(Usage::NoProjectForNew.into());
    };
    project
        .config
        .objectives
        .clone()
        .ok_or_else(|| Usage::NoObjectivesFolder(path.clone()).into())
}

/// The last `metrics` folder of the project's `kpi.toml`.
fn own_dir(project: &Project) -> Result<PathBuf, CliError> {
    let Some(path) = &project.path else {
        return Err(Usage::NoProjectForNew.into());
    };
    let dirs = project.config.metrics.as_ref();
    dirs.and_then(|dirs| dirs.last())
        .cloned()
        .ok_or_else(|| Usage::NoOwnFolder(path.clone()).into())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn project(config: ProjectConfigBuilder) -> Project {
        Project {
            path: Some(PathBuf::from("kpi.toml")),
            config: config(kpi_core::ProjectConfig::default()),
        }
    }

    type ProjectConfigBuilder = fn(kpi_core::ProjectConfig) -> kpi_core::ProjectConfig;

    fn flags(library: Option<Selection>, metrics: &[&str]) -> MetricsArgs {
        MetricsArgs {
            library,
            metrics: metrics.iter().map(PathBuf::from).collect(),
        }
    }

    #[test]
    fn a_flag_replaces_the_files_key_and_only_that_one() {
        let project = project(|mut c| {
            c.library = Some(Selection::All);
            c.metrics = Some(vec![PathBuf::from("team")]);
            c
        });
        let both = Definitions::resolve(&project, &flags(None, &["other"]));
        assert_eq!(both.library, Some(Selection::All));
        assert_eq!(both.dirs, [PathBuf::from("other")]);
        let file = Definitions::resolve(&project, &flags(None, &[]));
        assert_eq!(file.dirs, [PathBuf::from("team")]);
        assert!(!file.unconfigured);
    }

    #[test]
    fn without_folders_metrics_d_unless_the_library_is_used() {
        let bare = Project::default();
        let plain = Definitions::resolve(&bare, &flags(None, &[]));
        assert_eq!(plain.dirs, [PathBuf::from("metrics.d")]);
        assert!(plain.unconfigured);
        let library = Definitions::resolve(&bare, &flags(Some(Selection::All), &[]));
        assert!(library.dirs.is_empty());
        assert!(!library.unconfigured);
    }

    #[test]
    fn data_flags_replace_every_source_of_the_file() {
        let project = project(|mut c| {
            c.data = Some(vec![SourceSpec::csv(PathBuf::from("a.csv"))]);
            c
        });
        let flagged = Sources::resolve(&project, &[PathBuf::from("b.csv")]);
        assert_eq!(flagged.0, [SourceSpec::csv(PathBuf::from("b.csv"))]);
        let file = Sources::resolve(&project, &[]);
        assert_eq!(file.0, [SourceSpec::csv(PathBuf::from("a.csv"))]);
        assert!(matches!(
            Sources::resolve(&Project::default(), &[]).required(),
            Err(CliError::Usage(Usage::NoData))
        ));
    }
}
