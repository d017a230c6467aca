//! `kpi.toml`: a project's defaults for the command line (definition folders, data files and
//! data sources, and how reports read: title, templates, locale, currency, notes), with paths
//! relative to the file itself. `[delivery]` (how `kpi send` sends the report) is read by
//! `delivery`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use schemars::JsonSchema;
use serde::Deserialize;
use toml::Spanned;
use toml::de::DeValue;

use crate::data::{
    CellRange, ColumnMapping, DateOrder, DecimalMark, SourceKind, SourceSpec, Timeout,
};
use crate::delivery::{self, Delivery, RawDelivery};
use crate::diagnostic::{ConfigProblem, Diagnostic, Diagnostics, Problem};
use crate::library::{self, Selection};
use crate::limits::MAX_CONFIG_BYTES;
use crate::read::read_text;
use crate::source::{Location, SourceFile};
use crate::toml_error::from_toml;
use crate::translation::is_valid_locale_code;

/// The contents of a `kpi.toml`, with paths resolved against its directory.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ProjectConfig {
    /// The standard definitions used, loaded before the folders; `None`: none.
    pub library: Option<Selection>,
    /// Definition folders, in override order.
    pub metrics: Option<Vec<PathBuf>>,
    /// Data files (`data = [...]`), as CSV sources located at their entry.
    pub data: Option<Vec<SourceSpec>>,
    /// Data sources (`[[sources]]`), read after the `data` files.
    pub sources: Vec<SourceSpec>,
    /// Report title.
    pub title: Option<String>,
    /// Folder of report templates that replace the built-in ones.
    pub templates: Option<PathBuf>,
    /// The language of reports (`en`, `fr`), and where it is written; which codes a report
    /// knows is the report's business, so only the shape is checked here.
    pub locale: Option<(String, Location)>,
    /// The ISO 4217 code of the currency of every `currency` metric (`EUR`).
    pub currency: Option<String>,
    /// Folder of the monthly commentary, `YYYY-MM.md` files.
    pub notes: Option<PathBuf>,
    /// Folder of the objectives, one `<id>.toml` file each; none by default.
    pub objectives: Option<PathBuf>,
    /// Whether `kpi check` fails on any warning, as with `--strict`.
    pub strict: bool,
    /// The company's name, for the email's subject (`{{company}}`).
    pub company: Option<String>,
    /// How `kpi send` delivers the report, when `[delivery]` is there.
    pub delivery: Option<Delivery>,
    /// `[report] compare`: the comparisons each row of a report shows; `None`: all that the
    /// data spans.
    pub compare: Option<Vec<Comparison>>,
    /// `[report] chart_year_ago`; `None`: when the data has 13 months or more.
    pub chart_year_ago: Option<bool>,
}

/// A comparison a report's rows show beside the value (`[report] compare`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Comparison {
    /// The month before, and the change since.
    Previous,
    /// The same month a year earlier, and the change since.
    YearAgo,
    /// The year to date, against the same span a year earlier.
    YearToDate,
}

/// The `[report]` table of `kpi.toml`.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawReport {
    /// The comparisons each row shows beside the value, among "previous", "year_ago" and
    /// "year_to_date" (default: all three, each where the data has it).
    compare: Option<Vec<Comparison>>,
    /// Whether the charts of a monthly report draw last year's line faintly behind this
    /// year's (default: when the data has 13 months or more).
    chart_year_ago: Option<bool>,
}

// `kpi.toml` as serde reads it. Its doc comments are what editors show (`kpi schema
// --config`); the `schemars` attributes change no serde behaviour.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawConfig {
    // Read by [`library`] from the document, where each id has its position.
    #[serde(rename = "library")]
    #[schemars(with = "Option<crate::library::SelectionSchema>")]
    _library: Option<serde::de::IgnoredAny>,
    /// The team's definition folders, read after the standard library, in order: a later
    /// folder changes or replaces the definitions of an earlier one.
    metrics: Option<Vec<PathBuf>>,
    /// CSV files of monthly data.
    #[schemars(with = "Option<Vec<PathBuf>>")]
    data: Option<Vec<Spanned<PathBuf>>>,
    /// Data sources: CSV files with settings, SQLite files, PostgreSQL queries.
    #[serde(default)]
    #[schemars(with = "Vec<RawSource>")]
    sources: Vec<Spanned<RawSource>>,
    /// The report's title.
    title: Option<String>,
    /// A folder of templates that replace the built-in ones by file name.
    templates: Option<PathBuf>,
    /// The language of reports: "en" (the default) or "fr".
    #[schemars(with = "Option<String>", extend("enum" = ["en", "fr"]))]
    locale: Option<Spanned<String>>,
    /// The ISO 4217 code of the currency of `currency` metrics: "EUR", "USD", "GBP", "CHF"...
    #[schemars(with = "Option<String>", regex(pattern = r"^[A-Z]{3}$"))]
    currency: Option<Spanned<String>>,
    /// Folder of the monthly commentary.
    notes: Option<PathBuf>,
    /// Folder of the objectives the KPIs serve, one `<id>.toml` file each (none by default).
    objectives: Option<PathBuf>,
    /// Whether `kpi check` fails (exit 1) on any warning, as with `--strict`: for CI.
    strict: Option<bool>,
    /// The company's name, as the email's subject names it (`{{company}}` in `[delivery]
    /// subject`).
    company: Option<String>,
    /// How `kpi send` delivers the monthly report: by email (SMTP) and to Slack.
    #[schemars(with = "Option<RawDelivery>")]
    delivery: Option<Spanned<RawDelivery>>,
    /// How the monthly report reads.
    report: Option<RawReport>,
}

// Its doc comment is the schema's description (what editors show); the keys' one list is
// [`Kind`], from which the `oneOf` rule is derived.
/// One `[[sources]]` entry, as written: exactly one of `csv`, `excel`, `sqlite` and
/// `postgres`.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(transform = one_kind)]
struct RawSource {
    /// A CSV file, relative to `kpi.toml`; `-` for standard input.
    #[schemars(with = "Option<String>")]
    csv: Option<Spanned<String>>,
    /// A workbook (`.xlsx`, `.xlsm`, `.xls` or `.ods`), relative to `kpi.toml`.
    #[schemars(with = "Option<String>")]
    excel: Option<Spanned<String>>,
    /// The sheet of a workbook to read, by name (default: the first).
    #[schemars(with = "Option<String>")]
    sheet: Option<Spanned<String>>,
    /// The cells of the sheet to read, such as `B3:K40` (default: the cells in use); the
    /// first row is the header.
    #[schemars(
        with = "Option<String>",
        regex(pattern = r"^\$?[A-Za-z]{1,3}\$?[0-9]+(:\$?[A-Za-z]{1,3}\$?[0-9]+)?$")
    )]
    range: Option<Spanned<String>>,
    /// A SQLite database file, relative to `kpi.toml`.
    #[schemars(with = "Option<String>")]
    sqlite: Option<Spanned<String>>,
    /// The name of the environment variable holding a PostgreSQL connection URL (never the
    /// URL itself).
    #[schemars(with = "Option<String>")]
    postgres: Option<Spanned<String>>,
    /// The query of a database source: one row per period (or per date), one column per
    /// input.
    #[schemars(with = "Option<String>")]
    query: Option<Spanned<String>>,
    /// The period column, when it is not `period` nor the first.
    period: Option<String>,
    /// How to read slashed dates with the year last.
    date_order: Option<DateOrder>,
    /// The decimal mark of numbers written as text: `","` or `"."` (by default `,` in a file
    /// with `;` between fields, or in a tab-separated file whose numbers all have a comma).
    decimal: Option<DecimalMark>,
    /// Rows to skip, by their period cell (`"Sous-total"`), matched in any case.
    #[serde(default)]
    skip: Vec<String>,
    /// A long CSV table: the column of input names (with `value`).
    #[schemars(with = "Option<String>")]
    name: Option<Spanned<String>>,
    /// A long CSV table: the column of values (with `name`).
    #[schemars(with = "Option<String>")]
    value: Option<Spanned<String>>,
    /// Columns no input reads, not to be warned about.
    #[serde(default)]
    ignore: Vec<String>,
    /// Seconds a database query (SQLite or PostgreSQL) may run (default 60).
    #[schemars(with = "Option<u32>", range(min = 1, max = 86400))]
    timeout: Option<Spanned<i64>>,
    /// The source's own column names for inputs, by input: `{ revenue = "CA (€)" }`. Each
    /// wins, in this source only, over the definitions' `column`; in a long table, the name
    /// cell.
    #[serde(default)]
    #[schemars(with = "std::collections::BTreeMap<String, String>")]
    columns: BTreeMap<Spanned<String>, Spanned<String>>,
}

impl ProjectConfig {
    /// Reads `path`, resolving relative paths against its directory.
    pub fn load(path: &Path) -> Result<ProjectConfig, Diagnostics> {
        let text = read_text(path, MAX_CONFIG_BYTES).map_err(|d| Diagnostics(vec![d]))?;
        let file = SourceFile::new(path, text);
        let raw: RawConfig = from_toml(&file).map_err(|d| Diagnostics(vec![d]))?;
        let base = path.parent().unwrap_or(Path::new(""));
        let resolve = |paths: Option<Vec<PathBuf>>| {
            paths.map(|ps| ps.into_iter().map(|p| join(base, &p)).collect::<Vec<_>>())
        };
        let mut diagnostics = Diagnostics::default();
        let library = library(&file, &mut diagnostics);
        let sources = raw
            .sources
            .into_iter()
            .filter_map(|s| source(&file, base, s, &mut diagnostics))
            .collect();
        let locale = raw.locale.and_then(|l| {
            let location = file.locate(l.span().start, l.span().end);
            match check_locale(l.get_ref()) {
                Ok(()) => Some((l.into_inner(), location)),
                Err(problem) => {
                    diagnostics.push(Diagnostic::error(problem, Some(location)));
                    None
                }
            }
        });
        let currency = raw
            .currency
            .and_then(|c| match check_currency(c.get_ref()) {
                Ok(()) => Some(c.into_inner()),
                Err(problem) => {
                    let location = file.locate(c.span().start, c.span().end);
                    diagnostics.push(Diagnostic::error(problem, Some(location)));
                    None
                }
            });
        let delivery = raw
            .delivery
            .map(|d| delivery::check(&file, d, &mut diagnostics));
        if diagnostics.has_errors() {
            return Err(diagnostics);
        }
        Ok(ProjectConfig {
            library,
            metrics: resolve(raw.metrics),
            data: raw.data.map(|files| {
                files
                    .into_iter()
                    .map(|f| {
                        let location = file.locate(f.span().start, f.span().end);
                        let mut spec = SourceSpec::csv(join(base, f.get_ref()));
                        spec.location = Some(location);
                        spec
                    })
                    .collect()
            }),
            sources,
            title: raw.title,
            templates: raw.templates.map(|p| join(base, &p)),
            locale,
            currency,
            notes: raw.notes.map(|p| join(base, &p)),
            objectives: raw.objectives.map(|p| join(base, &p)),
            strict: raw.strict.unwrap_or(false),
            company: raw.company,
            delivery,
            chart_year_ago: raw.report.as_ref().and_then(|r| r.chart_year_ago),
            compare: raw.report.and_then(|r| r.compare),
        })
    }
}

/// Checks `locale = "..."` as `kpi.toml` reads it (and `kpi init --locale` writes it): a
/// lowercase language code. Which languages reports are written in is the report's business.
pub fn check_locale(code: &str) -> Result<(), Problem> {
    if is_valid_locale_code(code) {
        return Ok(());
    }
    Err(Problem::Config(ConfigProblem::NotLocale {
        code: code.to_string(),
    }))
}

/// Checks `currency = "..."` as `kpi.toml` reads it (and `kpi init --currency` writes it): an
/// ISO 4217 code, in capitals.
pub fn check_currency(code: &str) -> Result<(), Problem> {
    if is_currency_code(code) {
        return Ok(());
    }
    let upper = code.trim().to_ascii_uppercase();
    Err(Problem::Config(ConfigProblem::NotCurrency {
        code: code.to_string(),
        upper: is_currency_code(&upper).then_some(upper),
    }))
}

/// Whether `code` has the shape of an ISO 4217 currency code: three capital letters.
fn is_currency_code(code: &str) -> bool {
    code.len() == 3 && code.bytes().all(|b| b.is_ascii_uppercase())
}

/// The `library` key: `"all"`, or a list of standard ids, each unknown one an error located
/// in the file, with the closest id.
fn library(file: &SourceFile, diagnostics: &mut Diagnostics) -> Option<Selection> {
    let table = crate::layers::parse(file).ok()?;
    let value = table.get_ref().get("library")?;
    let at = |span: std::ops::Range<usize>| Some(file.locate(span.start, span.end));
    match value.get_ref() {
        DeValue::String(word) if word == "all" => Some(Selection::All),
        DeValue::Array(items) => {
            let mut ids = Vec::new();
            for item in items.iter() {
                match item.get_ref().as_str() {
                    Some(id) if library::contains(id) => ids.push(id.to_string()),
                    Some(id) => {
                        diagnostics.push(Diagnostic::error(library::unknown(id), at(item.span())));
                    }
                    None => diagnostics.push(Diagnostic::error(
                        Problem::Config(ConfigProblem::LibraryItem),
                        at(item.span()),
                    )),
                }
            }
            Some(Selection::Ids(ids))
        }
        DeValue::String(id) if library::contains(id) => {
            diagnostics.push(Diagnostic::error(
                Problem::Config(ConfigProblem::LibraryOneId { id: id.to_string() }),
                at(value.span()),
            ));
            None
        }
        _ => {
            diagnostics.push(Diagnostic::error(
                Problem::Config(ConfigProblem::LibraryShape),
                at(value.span()),
            ));
            None
        }
    }
}

use crate::delivery::is_variable_name;

/// The kinds of `[[sources]]` entry, each named by its key: the one list from which the
/// entry's checks, its messages and its JSON Schema derive. A new kind of source is one more
/// variant here (with its field in [`RawSource`]) and one arm in [`source_kind`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Csv,
    Workbook,
    Sqlite,
    Postgres,
}

impl Kind {
    /// Every kind, in the order messages list them.
    const ALL: [Kind; 4] = [Kind::Csv, Kind::Workbook, Kind::Sqlite, Kind::Postgres];

    /// The key that names this kind of source.
    fn key(self) -> &'static str {
        match self {
            Kind::Csv => "csv",
            Kind::Workbook => "excel",
            Kind::Sqlite => "sqlite",
            Kind::Postgres => "postgres",
        }
    }

    /// The key with an example value, for hints.
    fn example(self) -> &'static str {
        match self {
            Kind::Csv => "csv = \"data.csv\"",
            Kind::Workbook => "excel = \"data.xlsx\"",
            Kind::Sqlite => "sqlite = \"file.db\"",
            Kind::Postgres => "postgres = \"VARIABLE\"",
        }
    }

    /// Whether the source is a database, read with a `query`.
    fn is_database(self) -> bool {
        matches!(self, Kind::Sqlite | Kind::Postgres)
    }

    /// The entry's value for this kind's key, if given.
    fn given(self, raw: &RawSource) -> Option<&Spanned<String>> {
        match self {
            Kind::Csv => raw.csv.as_ref(),
            Kind::Workbook => raw.excel.as_ref(),
            Kind::Sqlite => raw.sqlite.as_ref(),
            Kind::Postgres => raw.postgres.as_ref(),
        }
    }
}

/// The schema's rule that an entry gives exactly one kind (and a database kind its query).
fn one_kind(schema: &mut schemars::Schema) {
    let one_of = Kind::ALL
        .iter()
        .map(|&k| {
            let required = if k.is_database() {
                serde_json::json!([k.key(), "query"])
            } else {
                serde_json::json!([k.key()])
            };
            serde_json::json!({ "required": required })
        })
        .collect();
    schema.insert("oneOf".into(), serde_json::Value::Array(one_of));
}

/// A problem with a `[[sources]]` entry's keys.
fn invalid(problem: ConfigProblem) -> Problem {
    Problem::Config(problem)
}

/// Checks one `[[sources]]` entry.
fn source(
    file: &SourceFile,
    base: &Path,
    raw: Spanned<RawSource>,
    diagnostics: &mut Diagnostics,
) -> Option<SourceSpec> {
    let entry = raw.span();
    let raw = raw.into_inner();
    let (kind, location) = kind(file, entry, &raw, diagnostics)?;
    let before = diagnostics.0.len();
    check_keys(file, &raw, kind, &location, diagnostics);
    let source_kind = source_kind(file, kind, &raw, base, &location, diagnostics);
    let columns = columns(file, raw.columns, diagnostics);
    if diagnostics.0.len() > before {
        return None;
    }
    Some(SourceSpec {
        kind: source_kind,
        period: raw.period,
        date_order: raw.date_order,
        decimal: raw.decimal,
        skip: raw.skip,
        long: raw
            .name
            .zip(raw.value)
            .map(|(n, v)| (n.into_inner(), v.into_inner())),
        ignore: raw.ignore,
        columns,
        location: Some(location),
    })
}

/// The entry's `columns`, each located in the file; a blank column name is reported (an
/// input's name is checked against the definitions when the data is read).
fn columns(
    file: &SourceFile,
    raw: BTreeMap<Spanned<String>, Spanned<String>>,
    diagnostics: &mut Diagnostics,
) -> Vec<ColumnMapping> {
    let at = |span: std::ops::Range<usize>| file.locate(span.start, span.end);
    let mut columns = Vec::with_capacity(raw.len());
    for (input, column) in raw {
        let (input_at, column_at) = (at(input.span()), at(column.span()));
        let column = column.into_inner().trim().to_string();
        let input = input.into_inner();
        if column.is_empty() {
            diagnostics.push(Diagnostic::error(
                invalid(ConfigProblem::EmptyColumn {
                    input: input.clone(),
                }),
                Some(column_at),
            ));
            continue;
        }
        columns.push(ColumnMapping {
            input,
            column,
            input_at,
            column_at,
        });
    }
    // In the order of the file, so that messages follow it.
    columns.sort_by_key(|c| (c.input_at.line, c.input_at.column));
    columns
}

/// The entry's kind, and where its problems point; `None` when it gives no kind or several
/// (reported).
fn kind(
    file: &SourceFile,
    entry: std::ops::Range<usize>,
    raw: &RawSource,
    diagnostics: &mut Diagnostics,
) -> Option<(Kind, Location)> {
    let given: Vec<(Kind, &Spanned<String>)> = Kind::ALL
        .iter()
        .filter_map(|&k| Some((k, k.given(raw)?)))
        .collect();
    let Some(&(kind, value)) = given.first() else {
        diagnostics.push(Diagnostic::error(
            invalid(ConfigProblem::SourceWithoutKind {
                kinds: Kind::ALL.iter().map(|k| k.key()).collect(),
                examples: Kind::ALL.iter().map(|k| k.example()).collect(),
            }),
            Some(file.locate(entry.start, entry.start + "[[sources]]".len())),
        ));
        return None;
    };
    // A `postgres` line may hold a URL written by mistake: never show it.
    let location = match &raw.postgres {
        Some(p) => {
            let l = file.locate(p.span().start, p.span().end);
            Location::bare(l.path, l.line, l.column)
        }
        None => file.locate(value.span().start, value.span().end),
    };
    if given.len() > 1 {
        diagnostics.push(Diagnostic::error(
            invalid(ConfigProblem::SourceOfSeveralKinds {
                kinds: Kind::ALL.iter().map(|k| k.key()).collect(),
            }),
            Some(location),
        ));
        return None;
    }
    Some((kind, location))
}

/// Checks the keys that only some kinds take: `query`, `name` and `value`, `timeout`.
fn check_keys(
    file: &SourceFile,
    raw: &RawSource,
    kind: Kind,
    location: &Location,
    diagnostics: &mut Diagnostics,
) {
    let at = |span: std::ops::Range<usize>| Some(file.locate(span.start, span.end));
    let mut error = |problem: Problem, location: Option<Location>| {
        diagnostics.push(Diagnostic::error(problem, location));
    };
    for (name, key) in [("sheet", &raw.sheet), ("range", &raw.range)] {
        if let Some(key) = key
            && kind != Kind::Workbook
        {
            error(
                invalid(ConfigProblem::WorkbookKey { key: name }),
                at(key.span()),
            );
        }
    }
    if let Some(range) = &raw.range
        && kind == Kind::Workbook
        && CellRange::parse(range.get_ref()).is_none()
    {
        error(
            invalid(ConfigProblem::NotARange {
                text: range.get_ref().clone(),
            }),
            at(range.span()),
        );
    }
    let database = kind.is_database();
    match (&raw.query, database) {
        (None, true) => error(invalid(ConfigProblem::QueryMissing), Some(location.clone())),
        (Some(q), false) => error(
            invalid(ConfigProblem::QueryNotTaken { kind: kind.key() }),
            at(q.span()),
        ),
        _ => {}
    }
    match (&raw.name, &raw.value) {
        (Some(n), _) | (_, Some(n)) if database => {
            error(invalid(ConfigProblem::LongKeysOnDatabase), at(n.span()))
        }
        (Some(n), None) | (None, Some(n)) => {
            error(invalid(ConfigProblem::LongKeyAlone), at(n.span()))
        }
        _ => {}
    }
    if let Some(t) = &raw.timeout {
        if !database {
            error(invalid(ConfigProblem::TimeoutNotTaken), at(t.span()));
        } else if !(1..=86_400).contains(t.get_ref()) {
            error(invalid(ConfigProblem::TimeoutRange), at(t.span()));
        }
    }
}

/// Where the entry's data is, its paths resolved against `base`; a `postgres` value that is
/// no variable name (a URL, by mistake) is reported.
fn source_kind(
    file: &SourceFile,
    kind: Kind,
    raw: &RawSource,
    base: &Path,
    location: &Location,
    diagnostics: &mut Diagnostics,
) -> SourceKind {
    let value = kind
        .given(raw)
        .expect("the entry's kind is given")
        .get_ref();
    let query = || {
        raw.query
            .as_ref()
            .map(|q| q.get_ref().clone())
            .unwrap_or_default()
    };
    match kind {
        Kind::Csv if value == "-" => SourceKind::Stdin,
        Kind::Csv => SourceKind::Csv(join(base, Path::new(value))),
        Kind::Workbook => SourceKind::Workbook {
            path: join(base, Path::new(value)),
            sheet: raw.sheet.as_ref().map(|s| s.get_ref().clone()),
            range: raw
                .range
                .as_ref()
                .and_then(|r| CellRange::parse(r.get_ref())),
        },
        Kind::Sqlite => SourceKind::Sqlite {
            path: join(base, Path::new(value)),
            query: query(),
            timeout: timeout(file, raw),
        },
        Kind::Postgres => {
            if !is_variable_name(value) {
                diagnostics.push(Diagnostic::error(
                    Problem::UrlInConfig,
                    Some(location.clone()),
                ));
            }
            SourceKind::Postgres {
                variable: value.clone(),
                query: query(),
                timeout: timeout(file, raw),
            }
        }
    }
}

/// The source's `timeout`, and where it is written.
fn timeout(file: &SourceFile, raw: &RawSource) -> Timeout {
    match &raw.timeout {
        Some(t) => Timeout {
            limit: Duration::from_secs((*t.get_ref()).clamp(1, 86_400) as u64),
            location: Some(file.locate(t.span().start, t.span().end)),
        },
        None => Timeout {
            limit: Timeout::DEFAULT,
            location: None,
        },
    }
}

/// `base` joined with `path`, with `dir/..` pairs removed so that messages show
/// `metrics.d/x.toml` rather than `examples/saas/../../metrics.d/x.toml`. Lexical only: a
/// `..` that cannot be removed (at the start, or after another `..`) is kept.
fn join(base: &Path, path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for component in base.join(path).components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir
                if matches!(out.components().next_back(), Some(Component::Normal(_))) =>
            {
                out.pop();
            }
            other => out.push(other),
        }
    }
    if out.as_os_str().is_empty() {
        out.push(".");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{ProjectConfig, join};
    use std::path::Path;

    /// A `kpi.toml` that claims a size of 0 and never ends is cut at the limit by the bounded
    /// reader, not read whole.
    #[cfg(unix)]
    #[test]
    fn an_endless_config_is_too_large() {
        let e = ProjectConfig::load(Path::new("/dev/zero")).unwrap_err();
        assert_eq!(
            e.0[0].to_string(),
            "`/dev/zero` is 65537 bytes, more than the limit of 65536 bytes"
        );
    }

    #[test]
    fn database_sources_time_out_after_60_seconds_by_default() {
        use crate::data::SourceKind;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("kpi.toml");
        std::fs::write(
            &path,
            "[[sources]]\nsqlite = \"a.db\"\nquery = \"select 1\"\n\n\
             [[sources]]\nsqlite = \"b.db\"\nquery = \"select 1\"\ntimeout = 5\n\n\
             [[sources]]\npostgres = \"URL\"\nquery = \"select 1\"\n",
        )
        .unwrap();
        let config = ProjectConfig::load(&path).unwrap();
        let timeouts: Vec<_> = config
            .sources
            .iter()
            .map(|s| match &s.kind {
                SourceKind::Sqlite { timeout, .. } | SourceKind::Postgres { timeout, .. } => (
                    timeout.limit.as_secs(),
                    timeout.location.as_ref().map(|l| (l.line, l.column)),
                ),
                _ => unreachable!(),
            })
            .collect();
        assert_eq!(timeouts, [(60, None), (5, Some((8, 11))), (60, None)]);
    }

    #[test]
    fn joins_lexically() {
        let j = |a: &str, b: &str| join(Path::new(a), Path::new(b)).display().to_string();
        assert_eq!(j("examples/saas", "../../metrics.d"), "metrics.d");
        assert_eq!(j("examples/saas", "data.csv"), "examples/saas/data.csv");
        assert_eq!(j("", "metrics.d"), "metrics.d");
        assert_eq!(j("", "../x"), "../x");
        assert_eq!(j("a", "../.."), "..");
        assert_eq!(j("/srv/kpi", "/abs/data.csv"), "/abs/data.csv");
        assert_eq!(j("a", ".."), ".");
    }
}
