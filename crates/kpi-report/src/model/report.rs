//! Builds a [`Report`]: the month, the summary of the KPIs' states, the sections of rows
//! grouped by family, and what needs attention; with its rows, or with its rows to be built
//! as they are rendered ([`Streamed`]), from one outline of every row.

use std::collections::BTreeMap;

use kpi_core::config::Comparison;
use kpi_core::{Evaluation, Kind, Metric, MetricIndex, MonthIndex, Status};

use super::attention;
use super::objectives;
use super::options::Options;
use super::row::{Parts, row};
use super::view::{Attention, CompareColumns, Family, Report, Row, Section, Summary};
use super::years_to_date::{YearToDate, YearsToDate};
use crate::format::Style;
use crate::notes::Notes;
use kpi_core::in_order::in_order;

impl Report {
    /// Every row, KPIs then metrics, family by family: in their `number` order.
    pub fn rows(&self) -> impl Iterator<Item = &Row> {
        self.sections
            .iter()
            .flat_map(|s| &s.families)
            .flat_map(|f| &f.rows)
    }

    /// Builds the report of month `t` of the evaluation's data, in English, titled `title`.
    pub fn build(e: &Evaluation<'_>, t: MonthIndex, title: &str) -> Report {
        Self::build_with(
            e,
            t,
            &Options {
                title: Some(title.to_string()),
                ..Options::default()
            },
        )
    }

    /// Builds the report of month `t` of the evaluation's data as `options` say.
    ///
    /// The evaluation's data may be rolled up into quarters or years
    /// ([`kpi_core::Dataset::rolled_up`]): the report is then of the quarter or the year
    /// ending with period `t`, in the words of such a report (`Q3 2026`, `This quarter`),
    /// compared with the period before and the same period a year earlier.
    pub fn build_with(e: &Evaluation<'_>, t: MonthIndex, options: &Options<'_>) -> Report {
        let options = with_grain(e, options);
        let ytd = year_to_date(e, t, &options);
        outline(e, ytd.as_deref(), t, &options, Parts::ALL).0
    }

    /// The same report as [`Report::build_with`], whose rows are built as a renderer reaches
    /// them ([`crate::Renderer::render_streamed_to`]), each with the parts its loop shows,
    /// rather than all before: beyond the evaluation, which it keeps until the report is
    /// rendered, it holds its outline (a few words per row: its metric and columns, the list
    /// of what needs attention) and the rows being rendered, not every row's text and
    /// drawings. Its `report`'s families hold no rows ([`Report::rows`] gives none): they
    /// name them by number.
    pub fn stream<'a>(e: &'a Evaluation<'a>, t: MonthIndex, options: &Options<'a>) -> Streamed<'a> {
        let options = with_grain(e, options);
        let ytd = year_to_date(e, t, &options);
        // The summary, columns and what needs attention read every row: each is built
        // first without its trend and details (its drawings), and dropped.
        let (report, places) = outline(e, ytd.as_deref(), t, &options, Parts::NONE);
        Streamed {
            report,
            e,
            ytd,
            t,
            options,
            places,
        }
    }
}

/// A report whose rows are built as they are rendered ([`Report::stream`]).
pub struct Streamed<'a> {
    /// The report, its families naming by number the rows they hold.
    pub report: Report,
    e: &'a Evaluation<'a>,
    ytd: Option<Vec<YearToDate>>,
    t: MonthIndex,
    options: Options<'a>,
    /// Each row's metric and columns, by number.
    places: Vec<Place>,
}

impl Streamed<'_> {
    /// Row `n` of the report, with `parts` built; `None` past the last row.
    pub(crate) fn row(&self, n: usize, parts: Parts) -> Option<Row> {
        let place = self.places.get(n)?;
        let ytd = self.ytd.as_ref().map(|list| list[place.metric.get()]);
        let mut row = row(self.e, ytd, place.metric, self.t, &self.options, parts);
        place.set(&mut row, n);
        Some(row)
    }
}

/// Where a row stands in the report: its metric, and the columns of its tables.
#[derive(Debug, Clone, Copy)]
struct Place {
    metric: MetricIndex,
    progress_column: bool,
    family_progress_column: bool,
}

impl Place {
    /// Gives `row` its number and its tables' columns.
    fn set(self, row: &mut Row, number: usize) {
        row.number = number;
        row.progress_column = self.progress_column;
        row.family_progress_column = self.family_progress_column;
    }
}

/// `options`, their style in the grain of the evaluation's data.
fn with_grain<'a>(e: &Evaluation<'_>, options: &Options<'a>) -> Options<'a> {
    Options {
        style: Style {
            grain: e.data().grain(),
            ..options.style
        },
        ..options.clone()
    }
}

/// The years to date of period `t`: those `options` hold when they are of `t`, else taken now.
fn year_to_date(
    e: &Evaluation<'_>,
    t: MonthIndex,
    options: &Options<'_>,
) -> Option<Vec<YearToDate>> {
    match options.year_to_date {
        Some(given) if given.t == t => given.values.clone(),
        _ => YearsToDate::of(e.catalog(), e.data(), t).values,
    }
}

/// What the report reads of a row while it is put together: its metric, status, whether it
/// has a progress, and its entry in the list of what needs attention.
///
/// A few words with the entry boxed: a report of 100 000 metrics made as it is rendered holds
/// every line at once (the lines' lists were 170 MB with the row and the entry in place).
struct Line {
    metric: MetricIndex,
    status: Status,
    progress: bool,
    attention: Option<Box<(u8, Attention)>>,
}

/// A family's lines, and its rows when they are kept, in the same order.
#[derive(Default)]
struct Lines {
    lines: Vec<Line>,
    rows: Vec<Row>,
}

/// The families of the KPIs and of the other metrics, by name, with what the summary and the
/// columns count of every row.
struct Families<'c> {
    kpis: BTreeMap<&'c str, Lines>,
    metrics: BTreeMap<&'c str, Lines>,
    summary: Summary,
    compare: CompareColumns,
}

/// Every row of period `t` built with `parts` (on every core, in the metrics' order), read and
/// placed in its family: kept when every part is built, else dropped once read.
fn families<'c>(
    e: &'c Evaluation<'_>,
    ytd: Option<&[YearToDate]>,
    t: MonthIndex,
    options: &Options<'_>,
    parts: Parts,
) -> Families<'c> {
    let keep = parts == Parts::ALL;
    let mut summary = Summary::default();
    let mut compare = CompareColumns::default();
    // Each family's lists counted first, so that they are allocated once at their size: a
    // row is over a kilobyte, and a list grown by doubling copies itself at each step with the
    // old and new lists alive together (20 to 40 MB more at the peak of a 100 000-metric
    // report built whole).
    let mut sizes: BTreeMap<(bool, &str), usize> = BTreeMap::new();
    for metric in e.catalog().metrics() {
        *sizes
            .entry((metric.kind == Kind::Kpi, metric.category.as_str()))
            .or_default() += 1;
    }
    let family = |kpi: bool, category: &str| {
        let size = sizes[&(kpi, category)];
        Lines {
            lines: Vec::with_capacity(size),
            rows: Vec::with_capacity(if keep { size } else { 0 }),
        }
    };
    let mut kpis: BTreeMap<&str, Lines> = BTreeMap::new();
    let mut metrics_by_family: BTreeMap<&str, Lines> = BTreeMap::new();
    let metrics: Vec<(MetricIndex, &Metric)> = e
        .catalog()
        .metric_indexes()
        .zip(e.catalog().metrics())
        .collect();
    let build = |part: &[(MetricIndex, &Metric)]| -> Vec<(Row, Option<(u8, Attention)>)> {
        part.iter()
            .map(|&(m, _)| {
                let built = |parts| row(e, ytd.map(|list| list[m.get()]), m, t, options, parts);
                let row = built(parts);
                // Without its attribution and missing months, a row says whether it needs
                // attention; the few that do are built again with them.
                let entry = match attention::rank(&row) {
                    Some(_) if parts == Parts::NONE => attention::entry(&built(Parts::ATTENTION)),
                    Some(_) => attention::entry(&row),
                    None => None,
                };
                (row, entry)
            })
            .collect()
    };
    let built = in_order(&metrics, CHUNK, build).flatten();
    for ((row, entry), &(m, metric)) in built.zip(&metrics) {
        compare.year_ago |= row.year_ago.is_some();
        compare.year_to_date |= row.year_to_date.is_some();
        let line = Line {
            metric: m,
            status: row.status.status,
            progress: row.progress.is_some(),
            attention: entry.map(Box::new),
        };
        let kpi = metric.kind == Kind::Kpi;
        if kpi {
            summary.kpis += 1;
            match line.status {
                Status::OnTarget => summary.on_target += 1,
                Status::AtRisk => summary.at_risk += 1,
                Status::OffTarget => summary.off_target += 1,
                Status::NoData => summary.no_data += 1,
                Status::NoTarget => {}
            }
        } else {
            summary.metrics += 1;
        }
        let lists = if kpi {
            &mut kpis
        } else {
            &mut metrics_by_family
        };
        let lines = lists
            .entry(&metric.category)
            .or_insert_with(|| family(kpi, &metric.category));
        lines.lines.push(line);
        if keep {
            lines.rows.push(row);
        }
    }
    Families {
        kpis,
        metrics: metrics_by_family,
        summary,
        compare,
    }
}

/// A section of `families`: each family's rows numbered from `places.len()` on, their places
/// added to `places` and their entries in the list of what needs attention to `ranked`.
fn section(
    (kind, title): (Kind, &'static str),
    families: BTreeMap<&str, Lines>,
    words: &crate::locale::Words,
    places: &mut Vec<Place>,
    ranked: &mut Vec<(u8, Attention)>,
) -> Section {
    let progress_column = families.values().flat_map(|f| &f.lines).any(|l| l.progress);
    Section {
        kind,
        title,
        families: families
            .into_iter()
            .map(|(name, Lines { lines, mut rows })| {
                let in_family = lines.iter().any(|l| l.progress);
                let first = places.len();
                for line in lines {
                    places.push(Place {
                        metric: line.metric,
                        progress_column,
                        family_progress_column: in_family,
                    });
                    ranked.extend(line.attention.map(|entry| *entry));
                }
                // Rows kept are numbered in place; rows not kept are built when rendered.
                for (row, n) in rows.iter_mut().zip(first..) {
                    places[n].set(row, n);
                }
                Family {
                    name: name.to_string(),
                    label: words.family(name).to_string(),
                    later: if rows.is_empty() {
                        first..places.len()
                    } else {
                        0..0
                    },
                    rows,
                    progress_column: in_family,
                }
            })
            .collect(),
        progress_column,
    }
}

/// The report of period `t`, with each row built with `parts`: kept in its family when every
/// part is built, else dropped once read; and each row's place, by number.
fn outline(
    e: &Evaluation<'_>,
    ytd: Option<&[YearToDate]>,
    t: MonthIndex,
    options: &Options<'_>,
    parts: Parts,
) -> (Report, Vec<Place>) {
    let grain = e.data().grain();
    let style = options.style;
    let words = style.words();
    let period = e.data().month(t);
    let previous_period = period
        .add_months(-i64::from(grain.months()))
        .unwrap_or(period);
    let Families {
        kpis,
        metrics,
        mut summary,
        compare,
    } = families(e, ytd, t, options, parts);
    (summary.kpis_label, summary.metrics_label) = (words.counts)(summary.kpis, summary.metrics);
    let mut places = Vec::with_capacity(e.catalog().metrics().len());
    let mut ranked = Vec::new();
    let sections: Vec<Section> = [
        section(
            (Kind::Kpi, words.labels.kpis),
            kpis,
            words,
            &mut places,
            &mut ranked,
        ),
        section(
            (Kind::Metric, words.labels.metrics),
            metrics,
            words,
            &mut places,
            &mut ranked,
        ),
    ]
    .into_iter()
    .filter(|s| !s.families.is_empty())
    .collect();
    let previous_label = style.period(previous_period);
    let mut attention = attention::list(ranked);
    if let Some(objectives) = options.objectives {
        for entry in &mut attention {
            if let Some(m) = e.catalog().metric_index(&entry.id) {
                entry.objectives = objectives
                    .serving(m)
                    .map(|o| o.name_in(words.code).to_string())
                    .collect();
            }
        }
    }
    let report = Report {
        title: options
            .title
            .clone()
            .unwrap_or_else(|| words.default_title.to_string()),
        lang: words.code,
        period: grain.label(period),
        period_label: style.period(period),
        previous_period: grain.label(previous_period),
        compared: (words.compared)(&previous_label),
        previous_period_label: previous_label,
        labels: &words.labels,
        summary,
        notes: options.notes.and_then(Notes::summary),
        compare: {
            let asked = |c: Comparison| options.compare.is_none_or(|list| list.contains(&c));
            CompareColumns {
                previous: asked(Comparison::Previous),
                year_ago: compare.year_ago && asked(Comparison::YearAgo),
                year_to_date: compare.year_to_date && asked(Comparison::YearToDate),
            }
        },
        objectives: options
            .objectives
            .map(|o| objectives::objectives(e, o, t, &style))
            .unwrap_or_default(),
        attention,
        sections,
        with_descriptions: options.with_descriptions,
    };
    (report, places)
}

/// Rows built at a time by each thread: enough to outweigh starting a thread (tens of
/// microseconds, a few rows), few enough that the rows waiting to be placed stay a small
/// fraction of the report.
const CHUNK: usize = 256;
