//! The report's view types: everything a template shows, already formatted. Templates
//! receive them as they are (serialised), so this file is also the list of fields a restyled
//! template may use (see `docs/reports.md`).

use kpi_core::{Kind, Status, Unit};
use serde::Serialize;

use crate::locale::Labels;
use crate::notes::Markup;

/// A monthly report.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// The title.
    pub title: String,
    /// The language, `en` or `fr` (for `<html lang>`).
    pub lang: &'static str,
    /// The month reported, `YYYY-MM`.
    pub period: String,
    /// The month reported in words: `October 2026`, `octobre 2026`.
    pub period_label: String,
    /// The month before, `YYYY-MM`, which the changes compare against.
    pub previous_period: String,
    /// The month before in words.
    pub previous_period_label: String,
    /// `compared with September 2026`.
    pub compared: String,
    /// The fixed words of the report in its language (`labels.value`, `labels.on_target`…).
    pub labels: &'static Labels,
    /// How the KPIs stand.
    pub summary: Summary,
    /// The month's summary from the notes (the text before their first `## ` heading), or
    /// null.
    pub notes: Option<Markup>,
    /// The objectives, by id, with their progress: empty when the project has none.
    pub objectives: Vec<ObjectiveView>,
    /// Which comparisons the rows show beside the previous month.
    pub compare: CompareColumns,
    /// The KPIs that need attention: off target, then at risk, then behind pace, then
    /// without data; never one on target.
    pub attention: Vec<Attention>,
    /// KPIs, then metrics; a section without rows is left out.
    pub sections: Vec<Section>,
    /// Whether the Markdown report shows each definition's description
    /// (`--with-descriptions`); the HTML report always has it, folded away.
    pub with_descriptions: bool,
}

/// An objective and how far it is this month.
#[derive(Debug, Clone, Serialize)]
pub struct ObjectiveView {
    /// Its id (for an anchor).
    pub id: String,
    /// Its name in the report's language.
    pub name: String,
    /// What it is for, in the report's language, when said.
    pub description: Option<String>,
    /// Who answers for it.
    pub owner: Option<String>,
    /// The month it is due, in words (`December 2026`).
    pub due: Option<String>,
    /// Its progress, `64%`; null when no KPI has a value.
    pub progress: Option<String>,
    /// Its progress as a whole percentage from 0 to 100, for the width of a bar.
    pub progress_percent: Option<u8>,
    /// Where it stands.
    pub status: ObjectiveStatusView,
    /// `1 KPI without a value`, when some have none.
    pub without_value: Option<String>,
    /// Its KPIs' one-line states, in the file's order.
    pub kpis: Vec<ObjectiveKpi>,
}

/// Where an objective stands.
#[derive(Debug, Clone, Serialize)]
pub struct ObjectiveStatusView {
    /// `on_target`, `at_risk`, `off_target`, `missed` or `no_data`: for CSS classes.
    pub key: &'static str,
    /// The same in the report's language.
    pub label: &'static str,
    /// A coloured mark for the Markdown report.
    pub icon: &'static str,
}

/// One KPI of an objective, in one line.
#[derive(Debug, Clone, Serialize)]
pub struct ObjectiveKpi {
    /// The metric id (for a link to its details).
    pub id: String,
    /// Its name.
    pub name: String,
    /// This month's value, formatted, or `—`; a count towards a total reads `7 of 12`.
    pub value: String,
    /// The target with its side, `≥ 90.0%`.
    pub target: Option<String>,
    /// Its status.
    pub status: StatusView,
    /// Its progress towards its target, `58%`; null without one.
    pub progress: Option<String>,
    /// Its weight when it is not 1: `2`.
    pub weight: Option<String>,
}

/// How many KPIs are in each state.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Summary {
    /// How many KPIs there are.
    pub kpis: usize,
    /// How many metrics that are not KPIs there are.
    pub metrics: usize,
    /// KPIs at or past their target.
    pub on_target: usize,
    /// KPIs short of their target but not past the warning level.
    pub at_risk: usize,
    /// KPIs past the warning level.
    pub off_target: usize,
    /// KPIs without a value this month.
    pub no_data: usize,
    /// `13 KPIs`, `1 KPI` (`13 KPI` in French).
    pub kpis_label: String,
    /// `7 other metrics`, `1 other metric`.
    pub metrics_label: String,
}

/// The KPIs or the metrics.
#[derive(Debug, Clone, Serialize)]
pub struct Section {
    /// `kpi` or `metric`.
    pub kind: Kind,
    /// `KPIs` or `Metrics`, in the report's language.
    pub title: &'static str,
    /// The families, sorted by name.
    pub families: Vec<Family>,
    /// Whether its HTML table (one per section) has a Progress column: only when some row
    /// of the section has a progress, since an empty column squeezes the names.
    pub progress_column: bool,
}

/// The rows of one family (a definition's `category`).
///
/// Serialised, its rows are placeholders that the renderer's `{{#each}}` turns into each
/// row's fields as it reaches them ([`crate::helpers`]), so that a large report is never
/// copied whole into JSON: one per row, or, for rows still to be built (a report built as it
/// is rendered), one for the family's run of rows.
#[derive(Debug, Clone)]
pub struct Family {
    /// The family's name, as written in the definitions (`customer`).
    pub name: String,
    /// The family's name for readers: the locale's name of a standard family (`Clients`),
    /// else as written.
    pub label: String,
    /// Its metrics, sorted by id; empty in a report whose rows are built as they are
    /// rendered ([`Report::stream`]).
    pub rows: Vec<Row>,
    /// Whether its Markdown table (one per family) has a Progress column: only when some
    /// row of the family has a progress.
    pub progress_column: bool,
    /// The numbers of its rows still to be built, in a report whose rows are built as they
    /// are rendered; else none.
    pub(crate) later: std::ops::Range<usize>,
}

impl Serialize for Family {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut family = serializer.serialize_struct("Family", 4)?;
        family.serialize_field("name", &self.name)?;
        family.serialize_field("label", &self.label)?;
        // A family whose rows are all still to be built names them as a run (a few bytes);
        // built rows each have their placeholder (they may have been moved since).
        if self.rows.is_empty() && !self.later.is_empty() {
            family.serialize_field("rows", &Run(self.later.clone()))?;
        } else {
            family.serialize_field("rows", &Stubs(self))?;
        }
        family.serialize_field("progress_column", &self.progress_column)?;
        family.end()
    }
}

/// The placeholder of a family's run of rows still to be built.
struct Run(std::ops::Range<usize>);

impl Serialize for Run {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        crate::helpers::run_of_stubs(self.0.start, self.0.len(), serializer)
    }
}

/// A family's rows as placeholders: each row's own number (rows moved or dropped after the
/// build still stand for themselves), then the numbers of the rows still to be built.
struct Stubs<'a>(&'a Family);

impl Serialize for Stubs<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let Family { rows, later, .. } = self.0;
        let numbers = rows.iter().map(|r| r.number).chain(later.clone());
        crate::helpers::stubs(numbers, rows.len() + later.len(), serializer)
    }
}

/// One metric's line in the report.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    /// Its number in the report, KPIs then metrics, family by family, from 0: what its
    /// placeholder in the template data names (for the renderer; not a field of the model).
    #[serde(skip)]
    pub(crate) number: usize,
    /// The metric id, `[a-z][a-z0-9_]*` (safe in anchors).
    pub id: String,
    /// Whether its HTML row has a Progress cell (its section's `progress_column`).
    pub progress_column: bool,
    /// Whether its Markdown row has a Progress cell (its family's `progress_column`).
    pub family_progress_column: bool,
    /// The human name, in the report's language when the definition has a translation.
    pub name: String,
    /// Who answers for it, or null.
    pub owner: Option<String>,
    /// This month's comment from the notes (their `## <id>` section), or null.
    pub comment: Option<Markup>,
    /// `kpi` or `metric`.
    pub kind: Kind,
    /// The unit, as written in definitions (`percent`, `seconds`…).
    pub unit: Unit,
    /// `higher is better`, `lower is better` (in the report's language), or null.
    pub direction: Option<&'static str>,
    /// This month's value, formatted for its unit, or `—`.
    pub value: String,
    /// A count of things done towards its target's total, in words: `9 of 12`; else null.
    pub of_total: Option<String>,
    /// Why it moved since last month: the two or three largest contributions to its change
    /// (`▲ +0.4 pp from customers lost (+12), …`), or null.
    pub why: Option<String>,
    /// Last month's value, formatted, or `—`.
    pub previous: String,
    /// The same month a year earlier and the change since, when it has a value.
    pub year_ago: Option<Versus>,
    /// The year to date (inputs rolled up from January by their `aggregate`) with the same
    /// span a year earlier and the change, when it has a value.
    pub year_to_date: Option<Versus>,
    /// The change since last month, when both months have a value.
    pub change: Option<Change>,
    /// The objective, when the metric has one.
    pub target: Option<TargetView>,
    /// Where the value stands against the target.
    pub status: StatusView,
    /// Progress from baseline to target, such as `40%`, when the target has a baseline.
    pub progress: Option<String>,
    /// Whether the value keeps pace with a straight line from baseline to deadline.
    pub pace: Option<PaceView>,
    /// The last months' values.
    pub trend: Trend,
    /// The details section.
    pub details: Details,
}

/// A value compared with another: the same month a year earlier, or the year to date against
/// the same span a year earlier.
#[derive(Debug, Clone, Serialize)]
pub struct Versus {
    /// The value, formatted: the year-ago month's, or the year to date's.
    pub value: String,
    /// What it is compared with, formatted (the year to date a year earlier), or null.
    pub before: Option<String>,
    /// The change: this month against a year earlier, or the year to date against its span a
    /// year earlier; null when either has no value.
    pub change: Option<Change>,
}

/// Which comparisons the report shows: those `[report] compare` names (all by default), and of
/// those only the ones some row fills.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct CompareColumns {
    /// The month before and the change since.
    pub previous: bool,
    /// The same month a year earlier.
    pub year_ago: bool,
    /// The year to date.
    pub year_to_date: bool,
}

/// The change since last month.
#[derive(Debug, Clone, Serialize)]
pub struct Change {
    /// `▲` up, `▼` down, `=` unchanged (at the decimals shown).
    pub arrow: &'static str,
    /// The difference in the metric's unit, signed: `+1,200`, `-0.5 pp`.
    pub absolute: String,
    /// The difference relative to last month, `+3.2%`; null when last month was zero.
    pub relative: Option<String>,
    /// `better`, `worse` or `unchanged` by the metric's direction (for CSS classes); null
    /// without direction.
    pub verdict: Option<Verdict>,
    /// The verdict in the report's language (`en amélioration`); null without direction.
    pub verdict_label: Option<&'static str>,
}

/// The target in force in the month reported, formatted.
#[derive(Debug, Clone, Serialize)]
pub struct TargetView {
    /// The target with the side that is good: `≥ 90.0%`, `≤ 2 min`; a range,
    /// `95.0% – 105.0%`; `—` when it follows a series that has no value this month.
    pub value: String,
    /// The warning level (or range), formatted; null when the rule in force has none.
    pub warning: Option<String>,
    /// Where the target comes from when it is not one fixed value: `schedule entry from
    /// 2026-04`, `before the schedule's first entry (2026-04)`, `from the series
    /// budget_mrr`.
    pub source: Option<String>,
    /// Why the target is unknown this month, when it follows a series without value:
    /// ``input `budget_mrr` has no value for 2024-11``.
    pub missing: Option<String>,
    /// The change of target that takes effect this month, only in that month: `target
    /// raised from 19.5 to 21 this month`.
    pub change: Option<String>,
    /// The baseline, formatted.
    pub baseline: Option<String>,
    /// When the baseline was measured, in words (`October 2025`).
    pub baseline_period: Option<String>,
    /// When the target is due, in words (`December 2026`).
    pub deadline: Option<String>,
}

/// How a change reads by the metric's direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// The value moved the good way (`better`).
    Better,
    /// The value moved the bad way (`worse`).
    Worse,
    /// The value did not move at the decimals shown (`unchanged`).
    Unchanged,
}

/// A status, as text (for reading and accessibility) and as a key (for colour).
#[derive(Debug, Clone, Serialize)]
pub struct StatusView {
    /// `on_target`, `at_risk`, `off_target`, `no_target` or `no_data`: for CSS classes.
    pub key: &'static str,
    /// The same status, typed, for the builders that count and rank rows; templates see
    /// `key` (the status is serialised the same way).
    #[serde(skip)]
    pub status: Status,
    /// `on target`, `at risk`, `off target`, `no target`, `no data`, in the report's
    /// language.
    pub label: &'static str,
    /// A coloured mark for the Markdown report: `🟢`, `🟡`, `🔴`, `⚪`, or empty.
    pub icon: &'static str,
}

/// Pace against the straight line from baseline to target.
#[derive(Debug, Clone, Serialize)]
pub struct PaceView {
    /// Whether the value is at or ahead of the line, by the metric's direction.
    pub ahead: bool,
    /// `ahead of pace` or `behind pace`, in the report's language.
    pub label: &'static str,
    /// The value expected this month on the line, formatted.
    pub expected: String,
}

/// The last months' values of a row.
#[derive(Debug, Clone, Serialize)]
pub struct Trend {
    /// The first month shown, `YYYY-MM`.
    pub from: String,
    /// The last month shown (the month reported), `YYYY-MM`.
    pub to: String,
    /// A unicode sparkline, one character per month, `·` for a month without value.
    pub spark: String,
    /// The same as an inline SVG element (trusted markup generated by this crate).
    pub svg: String,
}

/// The details of a metric: how its value is computed, and why values are missing.
#[derive(Debug, Clone, Serialize)]
pub struct Details {
    /// What it measures, in one sentence for readers, in the report's language when the
    /// definition has a translation (`html` with code spans as `<code>`, inline `markdown`);
    /// null when the definition has none.
    pub summary: Option<Markup>,
    /// How to read it and when to act, in the report's language when the definition has a
    /// translation, in the same two forms; null when the definition has none.
    pub description: Option<Markup>,
    /// The formula, as written.
    pub formula: String,
    /// The formula with this month's values in place of its inputs and metrics, written as
    /// the report writes them (`1,601.89 / 432.53`; `?` for a missing one).
    pub substituted: String,
    /// Every month of the trend without a value, and why.
    pub missing: Vec<Missing>,
    /// An inline SVG line chart of up to 24 months with the target and warning level in
    /// force each month (lines, steps or bands) and the pace line when the metric has them
    /// (trusted markup generated by this crate); null when no month of the chart has a value.
    pub chart: Option<String>,
    /// What the chart shows, in words, for its caption; null without chart.
    pub chart_caption: Option<String>,
    /// The legend under the chart: one entry per line or band drawn, each with the CSS class
    /// of its key (`target`, `warning`, `pace`, `target band`, `warning band`) and its label
    /// in the report's language (`target ≥ 21.0%`).
    pub chart_legend: Vec<LegendEntry>,
}

/// An entry of a chart's legend.
#[derive(Debug, Clone, Serialize)]
pub struct LegendEntry {
    /// The CSS class of its key: `target`, `warning`, `pace`, `target band`, `warning band`.
    pub key: LegendKey,
    /// What it shows, in the report's language.
    pub label: String,
}

impl LegendEntry {
    pub(super) fn new(key: LegendKey, label: String) -> Self {
        Self { key, label }
    }
}

/// What a legend entry's key draws; serialised as its CSS class.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum LegendKey {
    /// The target line (`target`).
    #[serde(rename = "target")]
    Target,
    /// The warning line (`warning`).
    #[serde(rename = "warning")]
    Warning,
    /// The pace line (`pace`).
    #[serde(rename = "pace")]
    Pace,
    /// The target range, drawn as a band (`target band`).
    #[serde(rename = "target band")]
    TargetBand,
    /// The warning range, drawn as a band (`warning band`).
    #[serde(rename = "warning band")]
    WarningBand,
    /// Last year's values, a faint line (`year-ago`).
    #[serde(rename = "year-ago")]
    YearAgo,
}

/// A month without a value, and why.
#[derive(Debug, Clone, Serialize)]
pub struct Missing {
    /// The month, `YYYY-MM`.
    pub period: String,
    /// The month in words, `March 2026`.
    pub label: String,
    /// Why there is no value, such as ``input `visits` has no value for March 2026``.
    pub reason: String,
}

/// One KPI that needs attention, with what a reader needs to judge it at a glance.
#[derive(Debug, Clone, Serialize)]
pub struct Attention {
    /// The metric id (for a link to its details).
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its status.
    pub status: StatusView,
    /// This month's value, formatted, or `—`.
    pub value: String,
    /// The target with its side, `≥ 90.0%`.
    pub target: Option<String>,
    /// The change of target that took effect this month (`target raised from 19.5 to 21
    /// this month`), which may be why it needs attention; else null.
    pub target_change: Option<String>,
    /// The change since last month.
    pub change: Option<Change>,
    /// Its pace towards the target, when it has one.
    pub pace: Option<PaceView>,
    /// Who answers for it.
    pub owner: Option<String>,
    /// This month's comment.
    pub comment: Option<Markup>,
    /// Why it has no value this month (for a KPI without data), else null.
    pub reason: Option<String>,
    /// The names of the objectives it serves, in the report's language: empty for none.
    pub objectives: Vec<String>,
    /// Why it moved since last month: its two or three largest contributions, or null.
    pub why: Option<String>,
}
