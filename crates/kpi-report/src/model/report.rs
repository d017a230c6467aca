//! Builds a [`Report`]: the month, the summary of the KPIs' states, the sections of rows
//! grouped by family, and what needs attention.

use std::collections::BTreeMap;

use kpi_core::config::Comparison;
use kpi_core::data::rollup::Grain;
use kpi_core::{Evaluation, Kind, Metric, MetricIndex, MonthIndex, Status, evaluate};

use super::attention;
use super::objectives;
use super::options::Options;
use super::row::{YearToDate, row};
use super::view::{CompareColumns, Family, Report, Row, Section, Summary};
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
        let grain = e.data().grain();
        let options = &Options {
            style: Style {
                grain,
                ..options.style
            },
            ..options.clone()
        };
        let style = options.style;
        let words = style.words();
        let period = e.data().month(t);
        let previous_period = period
            .add_months(-i64::from(grain.months()))
            .unwrap_or(period);
        let mut summary = Summary::default();
        // The year to date, in a monthly report: each input rolled up from January by its
        // `aggregate`. A quarter's or a year's report compares with the same period a year
        // earlier only.
        let to_date = (grain == Grain::Month).then(|| e.data().year_to_date(e.catalog().inputs()));
        // Each metric's two values of it, taken before the rows are built, so that the
        // evaluation (every metric in every month) is freed first: a large report's peak.
        let ytd: Option<Vec<YearToDate>> = to_date.map(|data| {
            let ytd = evaluate(e.catalog(), &data);
            let year_before = t.back(12);
            e.catalog()
                .metric_indexes()
                .map(|m| YearToDate {
                    now: ytd.value(m, t),
                    year_before: year_before.and_then(|p| ytd.value(m, p)),
                })
                .collect()
        });
        let mut compare = CompareColumns::default();
        let mut kpis: BTreeMap<&str, Vec<Row>> = BTreeMap::new();
        let mut metrics_by_family: BTreeMap<&str, Vec<Row>> = BTreeMap::new();
        // Each family's rows counted first, so that its list is allocated once at its size:
        // a row is over a kilobyte, and a list grown by doubling copies itself at each step
        // with the old and new lists alive together (20 to 40 MB more at the peak of a
        // 100 000-metric report).
        let mut sizes: BTreeMap<(bool, &str), usize> = BTreeMap::new();
        for metric in e.catalog().metrics() {
            *sizes
                .entry((metric.kind == Kind::Kpi, metric.category.as_str()))
                .or_default() += 1;
        }
        let family = |kpi: bool, category: &str| Vec::with_capacity(sizes[&(kpi, category)]);
        let metrics: Vec<(MetricIndex, &Metric)> = e
            .catalog()
            .metric_indexes()
            .zip(e.catalog().metrics())
            .collect();
        let build = |part: &[(MetricIndex, &Metric)]| -> Vec<Row> {
            part.iter()
                .map(|&(m, _)| row(e, ytd.as_ref().map(|list| list[m.get()]), m, t, options))
                .collect()
        };
        for (row, &(_, metric)) in in_order(&metrics, CHUNK, build).flatten().zip(&metrics) {
            compare.year_ago |= row.year_ago.is_some();
            compare.year_to_date |= row.year_to_date.is_some();
            if metric.kind == Kind::Kpi {
                summary.kpis += 1;
                match row.status.status {
                    Status::OnTarget => summary.on_target += 1,
                    Status::AtRisk => summary.at_risk += 1,
                    Status::OffTarget => summary.off_target += 1,
                    Status::NoData => summary.no_data += 1,
                    Status::NoTarget => {}
                }
                kpis.entry(&metric.category)
                    .or_insert_with(|| family(true, &metric.category))
                    .push(row);
            } else {
                summary.metrics += 1;
                metrics_by_family
                    .entry(&metric.category)
                    .or_insert_with(|| family(false, &metric.category))
                    .push(row);
            }
        }
        (summary.kpis_label, summary.metrics_label) = (words.counts)(summary.kpis, summary.metrics);
        let section = |kind, title, families: BTreeMap<&str, Vec<Row>>| {
            let progress_column = families.values().flatten().any(|r| r.progress.is_some());
            Section {
                kind,
                title,
                families: families
                    .into_iter()
                    .map(|(name, mut rows)| {
                        let in_family = rows.iter().any(|r| r.progress.is_some());
                        for row in &mut rows {
                            row.progress_column = progress_column;
                            row.family_progress_column = in_family;
                        }
                        Family {
                            name: name.to_string(),
                            label: words.family(name).to_string(),
                            rows,
                            progress_column: in_family,
                        }
                    })
                    .collect(),
                progress_column,
            }
        };
        let mut sections: Vec<Section> = [
            section(Kind::Kpi, words.labels.kpis, kpis),
            section(Kind::Metric, words.labels.metrics, metrics_by_family),
        ]
        .into_iter()
        .filter(|s| !s.families.is_empty())
        .collect();
        let rows = sections
            .iter_mut()
            .flat_map(|s| &mut s.families)
            .flat_map(|f| &mut f.rows);
        for (number, row) in rows.enumerate() {
            row.number = number;
        }
        let previous_label = style.period(previous_period);
        let mut attention = attention::list(&sections);
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
        Report {
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
        }
    }
}

/// Rows built at a time by each thread: enough to outweigh starting a thread (tens of
/// microseconds, a few rows), few enough that the rows waiting to be placed stay a small
/// fraction of the report.
const CHUNK: usize = 256;
