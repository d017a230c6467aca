//! One definition: the model of a metric as loaded (its keys, inputs, target, examples and
//! the files it is made of). Reading and checking a file is [`check`]; checks that need
//! every file (names resolve, units agree, no cycles) live in [`crate::catalog`].

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::direction::Direction;
use crate::example::Example;
use crate::formula::Formula;
use crate::input::InputDecl;
use crate::layers::Layers;
use crate::period::Period;
use crate::source::{Location, SameMeaning, SourceFile};
use crate::target::{Rule, Target};
use crate::translation::Translation;
use crate::unit::Unit;

/// Whether a definition is a KPI (tied to an objective) or a plain metric.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// Tracks an objective: must have a target and a direction.
    Kpi,
    /// Supporting measure: target and direction optional.
    Metric,
}

impl Kind {
    /// `kpi` or `metric`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Kpi => "kpi",
            Self::Metric => "metric",
        }
    }
}

/// A validated definition, as loaded from one file (and the files that change its keys).
#[derive(Debug, Clone)]
pub struct Definition {
    /// The metric id.
    pub id: String,
    /// Human name.
    pub name: String,
    /// One sentence saying what it measures, for readers of reports; trimmed, never empty.
    pub summary: Option<String>,
    /// How to read it, when to act, and why its default target.
    pub description: Option<String>,
    /// Family, such as `customer`.
    pub category: String,
    /// KPI or metric.
    pub kind: Kind,
    /// The formula.
    pub formula: Formula,
    /// Unit of the values.
    pub unit: Unit,
    /// Digits shown in reports.
    pub decimals: u8,
    /// Which way is better.
    pub direction: Option<Direction>,
    /// Free tags.
    pub tags: Vec<String>,
    /// Who answers for it: a person or a team.
    pub owner: Option<String>,
    /// Its name and description in other languages, by locale code (`fr`).
    pub translations: BTreeMap<String, Translation>,
    /// The objective.
    pub target: Option<Target>,
    /// Inputs declared in this file.
    pub inputs: BTreeMap<String, Arc<InputDecl>>,
    /// Examples of values the formula must give (`[[examples]]`), checked by `kpi test`.
    pub examples: Vec<Example>,
    /// The file it came from (the one that gives its formula).
    pub file: Arc<SourceFile>,
    /// The files it is made of: `file`, then the files of later layers that change its keys.
    layers: Layers,
    /// Where the formula text starts in the file, and whether offsets map one to one (a
    /// string without escapes) or only to the start of the string.
    formula_at: (usize, bool),
    id_span: Range<usize>,
}

impl Definition {
    /// Its name in `locale` (a code such as `fr`): the `[locale.<code>]` name when there is
    /// one, else the base name.
    pub fn name_in(&self, locale: &str) -> &str {
        self.translations
            .get(locale)
            .and_then(|t| t.name.as_deref())
            .unwrap_or(&self.name)
    }

    /// Its summary in `locale`: the `[locale.<code>]` summary when there is one, else the
    /// base summary.
    pub fn summary_in(&self, locale: &str) -> Option<&str> {
        self.translations
            .get(locale)
            .and_then(|t| t.summary.as_deref())
            .or(self.summary.as_deref())
    }

    /// Its description in `locale`: the `[locale.<code>]` description when there is one,
    /// else the base description.
    pub fn description_in(&self, locale: &str) -> Option<&str> {
        self.translations
            .get(locale)
            .and_then(|t| t.description.as_deref())
            .or(self.description.as_deref())
    }

    /// The file it came from (the one that gives its formula).
    pub fn source(&self) -> &Path {
        self.file.path()
    }

    /// The files of later layers that change some of its keys, in order.
    pub fn changed_by(&self) -> impl Iterator<Item = &Path> {
        self.layers.changes()
    }

    /// The location of a byte range of the formula text, in the definition file.
    pub fn formula_location(&self, span: &Range<usize>) -> Location {
        formula_location(&self.layers, self.formula_at, span)
    }

    /// The line of a span of the formula, found by the file's line index (cheaper than a
    /// whole [`Location`], for problems only counted).
    pub(crate) fn formula_line(&self, span: &Range<usize>) -> usize {
        let (at, exact) = self.formula_at;
        self.layers
            .line_of(if exact { at + span.start } else { at })
    }

    /// The target rule in force in `period` (none for a metric without target), and why.
    pub fn target_at(&self, period: Period) -> Option<Rule<'_>> {
        self.target.as_ref()?.at(period, self.direction?)
    }

    /// The location of the id (or of the start of the newest file when the id is the file
    /// stem).
    pub fn id_location(&self) -> Location {
        if self.id_span.is_empty() {
            self.layers.whole()
        } else {
            self.layers.locate(self.id_span.start, self.id_span.end)
        }
    }
}

impl Definition {
    /// The top-level keys whose values differ between two definitions of a metric, in the
    /// order of the README's table (`kpi diff`), compared by [`SameMeaning`]: where a key is
    /// written does not count.
    pub fn differing_keys(&self, other: &Definition) -> Vec<&'static str> {
        [
            ("id", self.id == other.id),
            ("name", self.name == other.name),
            ("summary", self.summary == other.summary),
            ("description", self.description == other.description),
            ("category", self.category == other.category),
            ("kind", self.kind == other.kind),
            ("formula", self.formula.text == other.formula.text),
            ("unit", self.unit == other.unit),
            ("decimals", self.decimals == other.decimals),
            ("direction", self.direction == other.direction),
            ("tags", self.tags == other.tags),
            ("owner", self.owner == other.owner),
            ("target", self.target.same_meaning(&other.target)),
            ("examples", self.examples.same_meaning(&other.examples)),
            ("inputs", self.inputs.same_meaning(&other.inputs)),
            ("locale", self.translations == other.translations),
        ]
        .into_iter()
        .filter(|(_, same)| !same)
        .map(|(key, _)| key)
        .collect()
    }
}

impl SameMeaning for Definition {
    /// No key differs (see [`Definition::differing_keys`]).
    fn same_meaning(&self, other: &Self) -> bool {
        self.differing_keys(other).is_empty()
    }
}

fn formula_location(layers: &Layers, (at, exact): (usize, bool), span: &Range<usize>) -> Location {
    if exact {
        layers.locate(at + span.start, at + span.end)
    } else {
        layers.locate(at, at + 1)
    }
}

pub(crate) mod check;
