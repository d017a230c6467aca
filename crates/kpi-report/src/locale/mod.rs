//! The languages a report is written in. Every fixed text of both reports and of the charts,
//! and the way numbers and months are written, live in one table per locale ([`Words`]):
//! `en.rs`, `fr.rs`. A new locale is one more file and one more line in [`Locale::ALL`].

mod en;
mod fr;

use kpi_core::data::rollup::Grain;
use kpi_core::{Period, Reason, Status};
use serde::Serialize;

/// A language a report can be written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Locale {
    /// English, the default.
    #[default]
    En,
    /// French.
    Fr,
}

impl Locale {
    /// Every locale, in the order help texts list them.
    pub const ALL: [Locale; 2] = [Locale::En, Locale::Fr];

    /// The locale's code, as `--locale` and `kpi.toml` take it and as `[locale.<code>]`
    /// tables of definitions are named: `en`, `fr`.
    pub fn code(self) -> &'static str {
        self.words().code
    }

    /// The locale of a code, if there is one.
    pub fn from_code(code: &str) -> Option<Locale> {
        Self::ALL.into_iter().find(|l| l.code() == code)
    }

    /// The locale's words, for a monthly report.
    pub fn words(self) -> &'static Words {
        self.words_for(Grain::Month)
    }

    /// The locale's words for a report of periods of `grain`: `This quarter`, `year by year`.
    pub fn words_for(self, grain: Grain) -> &'static Words {
        match (self, grain) {
            (Locale::En, Grain::Month) => &en::WORDS,
            (Locale::En, Grain::Quarter) => &en::QUARTER,
            (Locale::En, Grain::Year) => &en::YEAR,
            (Locale::Fr, Grain::Month) => &fr::WORDS,
            (Locale::Fr, Grain::Quarter) => &fr::QUARTER,
            (Locale::Fr, Grain::Year) => &fr::YEAR,
        }
    }
}

/// How a locale's words write a month (`March 2026`).
pub type MonthWords<'a> = dyn Fn(Period) -> String + 'a;

/// How a report names a metric or input for readers (see `model/names.rs`).
pub type NameWords<'a> = dyn Fn(&str) -> String + 'a;

/// Everything a locale writes differently.
#[derive(Debug)]
pub struct Words {
    /// `en`, `fr`.
    pub code: &'static str,
    /// How numbers are written.
    pub numbers: Symbols,
    /// Month names, January first, as written inside a sentence (`août`).
    pub months: [&'static str; 12],
    /// Abbreviated month names for chart axes (`Aug`, `août`).
    pub months_short: [&'static str; 12],
    /// The letter before a quarter's number: `Q3 2026`, `T3 2026`.
    pub quarter: &'static str,
    /// How the report names its periods (a month, a quarter or a year) in sentences.
    pub period: PeriodWords,
    /// Currency symbols by ISO 4217 code; a code not listed is written as it is (`SEK`).
    pub currencies: &'static [(&'static str, &'static str)],
    /// Names of the standard families (definitions' `category`); others are shown as written.
    pub families: &'static [(&'static str, &'static str)],
    /// The labels templates use.
    pub labels: Labels,
    /// The title when none is given.
    pub default_title: &'static str,
    /// The email's subject when `[delivery]` gives none (`kpi send`): a template with
    /// `{{company}}` and `{{month}}`.
    pub default_subject: &'static str,
    /// The text of the link to the published report in the Slack message (`kpi send`).
    pub read_report: &'static str,
    /// `13 KPIs` and `7 other metrics`, for these counts.
    pub counts: fn(kpis: usize, metrics: usize) -> (String, String),
    /// `compared with September 2026`, from the month's name.
    pub compared: fn(previous: &str) -> String,
    /// The unit of a difference of percentages for this (absolute) difference: `pp`, `pt`.
    pub points: fn(f64) -> &'static str,
    /// Why a value is missing, with months written by `month` and the names of metrics and
    /// inputs by `name` (never an id: `name` gives what readers know them by).
    pub reason: fn(&Reason, &MonthWords<'_>, &NameWords<'_>) -> String,
    /// A title quoted inside a sentence: `“Churn”`, `« Attrition »`.
    pub quote: fn(&str) -> String,
    /// Where the target in force comes from, when it is not one fixed value.
    pub target_source: fn(&TargetSource<'_>) -> String,
    /// The change of target that takes effect this month (or this quarter, as `period`
    /// says).
    pub target_change: fn(&TargetChange, period: &PeriodWords) -> String,
    /// What a chart draws, in words (its accessible name and `details.chart_caption`).
    pub chart_caption: fn(&Caption<'_>) -> String,
    /// The words of `kpi diff`'s Markdown.
    pub diff: DiffWords,
    /// The words of objectives and yes/no values.
    pub objectives: ObjectiveWords,
    /// The words of why a metric moved.
    pub attribution: AttributionWords,
}

/// How a report names its periods in sentences, by their length: the words of a monthly
/// report, a quarterly one, an annual one.
#[derive(Debug)]
pub struct PeriodWords {
    /// When a change of target takes effect: `this month`, `ce trimestre`.
    pub this: &'static str,
    /// Period after period: `month by month`, `year by year`.
    pub by: &'static str,
    /// In force in each period: `each month`.
    pub each: &'static str,
    /// An operand read `k` periods earlier: `MRR, the month before`.
    pub earlier: fn(name: &str, k: u32) -> String,
    /// The accessible name of a chart of `n` periods.
    pub chart_label: fn(n: usize) -> String,
}

/// The words of why a metric moved.
#[derive(Debug)]
pub struct AttributionWords {
    /// One contribution: `▲ +0.4 pp from customers lost (+12)`.
    pub part: fn(arrow: &str, contribution: &str, name: &str, change: &str) -> String,
}

/// The words of objectives and of yes/no values.
#[derive(Debug)]
pub struct ObjectiveWords {
    /// A yes/no value that is true: `Yes`.
    pub yes: &'static str,
    /// A yes/no value that is false: `No`.
    pub no: &'static str,
    /// Done out of a total: `7 of 12`.
    pub of_total: fn(done: &str, total: &str) -> String,
    /// The caption of a yes/no metric's strip of months (or quarters, as `period` says).
    pub strip_caption: fn(name: &str, period: &PeriodWords) -> String,
    /// How many KPIs have no value (and no progress): `1 KPI without a value`.
    pub without_value: fn(n: usize) -> String,
}

/// The words of `kpi diff`'s Markdown: what the definitions changed since a git revision do
/// to one month's values and statuses. Statuses and the `Value` and `Status` headers are the
/// report's own [`Labels`].
#[derive(Debug)]
pub struct DiffWords {
    /// The heading, from the revision (already a code span) and the month in words.
    pub heading: fn(base: &str, month: &str) -> String,
    /// The sentence when nothing differs.
    pub no_change: &'static str,
    /// The header of the column of metric ids.
    pub metric: &'static str,
    /// The header of the column of how each metric differs.
    pub change: &'static str,
    /// The header of the column of the definition's keys, each with before and after.
    pub definition: &'static str,
    /// Defined now, not at the revision.
    pub added: &'static str,
    /// Defined at the revision, not now.
    pub removed: &'static str,
    /// Its definition differs.
    pub changed: &'static str,
    /// Its definition is the same, its value or status is not (through what it uses).
    pub affected: &'static str,
    /// One entry of a target schedule: the month it starts (in words), its target and its
    /// warning level (already written).
    pub schedule_entry: fn(from: &str, value: &str, warning: Option<&str>) -> String,
}

/// Where the target in force comes from (months and series already in words: a series is
/// named as readers see it).
#[derive(Debug, Clone)]
pub enum TargetSource<'a> {
    /// It follows a series (an input or a metric).
    Series(&'a str),
    /// The schedule entry in force from this month.
    Schedule(String),
    /// The schedule entry in force from this month, following a series.
    ScheduleSeries(String, &'a str),
    /// The table's own value, before the schedule's first entry (this month).
    BeforeSchedule(String),
}

/// Which level of a target changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LevelKind {
    /// The target.
    Target,
    /// The warning level.
    Warning,
}

/// How the target rule changed this month; levels already written as the definition's
/// author wrote them, in the locale's numbers (`19,5`, `3 – 5`).
#[derive(Debug, Clone)]
pub enum TargetChange {
    /// The first schedule entry starts this month, with no target before it.
    TargetSet(String),
    /// A number went up.
    Raised(LevelKind, String, String),
    /// A number went down.
    Lowered(LevelKind, String, String),
    /// A range or a series replaced another level.
    Changed(LevelKind, String, String),
    /// The warning level is gone.
    WarningRemoved,
    /// A warning level appears.
    WarningSet(String),
}

/// What a chart draws, for its caption.
#[derive(Debug, Clone, Copy)]
pub struct Caption<'a> {
    /// The metric's name.
    pub name: &'a str,
    /// How the target is drawn, if there is one.
    pub target: Option<CaptionTarget<'a>>,
    /// How the warning level is drawn, if there is one: `true` for a band.
    pub warning_band: Option<bool>,
    /// Whether the pace line is drawn.
    pub pace: bool,
    /// The report's periods.
    pub period: &'a PeriodWords,
}

/// How the target of a chart is drawn.
#[derive(Debug, Clone, Copy)]
pub enum CaptionTarget<'a> {
    /// One line, the same every month.
    Fixed,
    /// Steps: the target in force each month.
    Steps,
    /// A line through the values of a series (named as readers see it).
    Series(&'a str),
    /// A band.
    Range,
}

/// How a locale writes numbers, after CLDR.
#[derive(Debug)]
pub struct Symbols {
    /// The decimal separator.
    pub decimal: &'static str,
    /// The separator between groups of three digits (never a breakable space).
    pub group: &'static str,
    /// What follows a percentage: `%`, or a no-break space and `%` (CLDR fr).
    pub percent: &'static str,
    /// Whether a currency symbol comes before the number (`€1.50`) or after (`1,50 €`).
    pub currency_first: bool,
    /// What separates a number from a unit written after it (`3 min`): a no-break space.
    pub unit_space: &'static str,
}

/// The fixed words of the reports, as templates read them (`{{@root.labels.value}}`).
#[derive(Debug, Clone, Serialize)]
#[allow(missing_docs)] // each field is the word it is named after
pub struct Labels {
    pub kpis_by_status: &'static str,
    pub on_target: &'static str,
    pub at_risk: &'static str,
    pub off_target: &'static str,
    pub no_target: &'static str,
    pub no_data: &'static str,
    pub without_data: &'static str,
    pub kpis: &'static str,
    pub metrics: &'static str,
    pub name: &'static str,
    pub value: &'static str,
    pub value_word: &'static str,
    pub previous: &'static str,
    pub change: &'static str,
    pub target: &'static str,
    pub target_word: &'static str,
    pub status: &'static str,
    pub progress: &'static str,
    pub trend: &'static str,
    pub details: &'static str,
    pub needs_attention: &'static str,
    pub nothing_needs_attention: &'static str,
    pub owner: &'static str,
    pub comment: &'static str,
    pub description: &'static str,
    pub formula: &'static str,
    pub this_month: &'static str,
    pub missing_values: &'static str,
    pub warning: &'static str,
    pub warning_at: &'static str,
    pub by: &'static str,
    pub from: &'static str,
    pub in_month: &'static str,
    pub of_the_way: &'static str,
    pub expected: &'static str,
    pub higher_is_better: &'static str,
    pub lower_is_better: &'static str,
    pub inside_is_better: &'static str,
    /// Said of a value kept within a range when it is outside the range in force, instead of
    /// `inside_is_better`, which would read as if it were inside.
    pub outside_range: &'static str,
    pub better: &'static str,
    pub worse: &'static str,
    pub unchanged: &'static str,
    pub ahead_of_pace: &'static str,
    pub behind_pace: &'static str,
    pub pace: &'static str,
    pub month_by_month: &'static str,
    pub generated_by: &'static str,
    pub for_month: &'static str,
    pub changes_compare_with: &'static str,
    pub of: &'static str,
    pub to: &'static str,
    pub colon: &'static str,
    pub semicolon: &'static str,
    pub axis_amount: &'static str,
    pub axis_count: &'static str,
    pub axis_score: &'static str,
    pub note: &'static str,
    pub target_each_month: &'static str,
    pub warning_each_month: &'static str,
    pub target_range: &'static str,
    pub warning_range: &'static str,
    /// The heading of the objectives: `Objectives`.
    pub objectives: &'static str,
    /// Before the month an objective is due: `due`.
    pub due: &'static str,
    /// An objective past its month without every KPI met: `missed`.
    pub missed: &'static str,
    /// The objectives a KPI serves, in the needs-attention list: `Serves`.
    pub serves: &'static str,
    /// A KPI's weight in its objective: `weight`.
    pub weight: &'static str,
    /// Before the largest contributions to a metric's change: `Why it moved`.
    pub why: &'static str,
    /// The column of the same month a year earlier: `Year ago`.
    pub year_ago: &'static str,
    /// The column of the year to date: `Year to date`.
    pub year_to_date: &'static str,
    /// A yes/no target met: `met`.
    pub met: &'static str,
    /// A yes/no target not met: `not met`.
    pub not_met: &'static str,
}

impl Labels {
    /// A status in words: `on target`, `à risque`.
    pub fn status(&self, status: Status) -> &'static str {
        match status {
            Status::OnTarget => self.on_target,
            Status::AtRisk => self.at_risk,
            Status::OffTarget => self.off_target,
            Status::NoTarget => self.no_target,
            Status::NoData => self.no_data,
        }
    }
}

impl Words {
    /// The period of `grain` ending in month `end`, in words: `October 2026`, `Q3 2026`,
    /// `T3 2026`, `2026`.
    pub fn period(&self, end: Period, grain: Grain) -> String {
        match grain {
            Grain::Month => self.month(end),
            Grain::Quarter => format!("{}{} {}", self.quarter, end.month().div_ceil(3), end.year()),
            Grain::Year => end.year().to_string(),
        }
    }

    /// `month` in words: `October 2026`, `octobre 2026`.
    pub fn month(&self, month: Period) -> String {
        format!(
            "{} {}",
            self.months[month.month() as usize - 1],
            month.year()
        )
    }

    /// The symbol of a currency code in this locale.
    pub fn currency_symbol<'a>(&self, code: &'a str) -> &'a str
    where
        'static: 'a,
    {
        look_up(self.currencies, code)
    }

    /// The name of a family (a definition's `category`) in this locale.
    pub fn family<'a>(&self, category: &'a str) -> &'a str
    where
        'static: 'a,
    {
        look_up(self.families, category)
    }
}

/// The word for `key` in a table of (key, word) pairs, or `key` itself when the table has none.
fn look_up<'a>(table: &[(&str, &'static str)], key: &'a str) -> &'a str {
    table
        .iter()
        .find(|(k, _)| *k == key)
        .map_or(key, |(_, word)| word)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for locale in Locale::ALL {
            assert_eq!(Locale::from_code(locale.code()), Some(locale));
        }
        assert_eq!(Locale::from_code("de"), None);
        assert_eq!(Locale::default(), Locale::En);
    }

    #[test]
    fn months_and_symbols() {
        let p: Period = "2026-08".parse().unwrap();
        assert_eq!(Locale::En.words().month(p), "August 2026");
        assert_eq!(Locale::Fr.words().month(p), "août 2026");
        assert_eq!(Locale::En.words().currency_symbol("USD"), "$");
        assert_eq!(Locale::Fr.words().currency_symbol("USD"), "$US");
        assert_eq!(Locale::Fr.words().currency_symbol("SEK"), "SEK");
        assert_eq!(Locale::Fr.words().family("quality"), "Qualité");
        assert_eq!(Locale::Fr.words().family("ops"), "ops");
    }
}
