//! Objectives: the goals a team's KPIs serve, one file each (`objectives/<id>.toml`), read
//! and checked against the catalog by [`check`]; how far each one is in a month is
//! [`progress`].

use std::collections::BTreeMap;
use std::path::Path;

use crate::catalog::Catalog;
use crate::diagnostic::Diagnostics;
use crate::index::MetricIndex;
use crate::period::Period;
use crate::source::{Location, SourceFile};
use crate::translation::Translation;

pub(crate) mod check;
pub mod progress;

pub use progress::{KpiProgress, ObjectiveStatus, Progress};

/// A goal of the team, measured by the KPIs it lists.
#[derive(Debug, Clone, PartialEq)]
pub struct Objective {
    /// Its id: the file's name without `.toml`.
    pub id: String,
    /// How the leadership review names it (`Retain customers`).
    pub name: String,
    /// What it is for, when said.
    pub description: Option<String>,
    /// Who answers for it.
    pub owner: Option<String>,
    /// The month it is due: past it, an objective whose KPIs are not all met is missed.
    pub due: Option<Period>,
    /// Its name and description in other languages, by locale code.
    pub translations: BTreeMap<String, Translation>,
    /// The KPIs it is measured by, in the file's order.
    pub kpis: Vec<Member>,
    /// Its file, as a whole.
    pub location: Location,
}

/// One KPI of an objective, and how much it counts in the objective's progress.
#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    /// The KPI's id.
    pub id: String,
    /// Where it is in the catalog.
    pub metric: MetricIndex,
    /// Its weight in the objective's progress (1 unless the file says otherwise).
    pub weight: f64,
}

impl Objective {
    /// Its name in `locale`: the `[locale.<code>]` name when there is one, else the base name.
    pub fn name_in(&self, locale: &str) -> &str {
        self.translations
            .get(locale)
            .and_then(|t| t.name.as_deref())
            .unwrap_or(&self.name)
    }

    /// Its description in `locale`, falling back to the base description.
    pub fn description_in(&self, locale: &str) -> Option<&str> {
        self.translations
            .get(locale)
            .and_then(|t| t.description.as_deref())
            .or(self.description.as_deref())
    }
}

/// Every objective of a project, in the order of their ids.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Objectives {
    list: Vec<Objective>,
}

impl Objectives {
    /// Reads every `*.toml` file of `dir` and checks it against `catalog`. A missing folder is
    /// an error: `objectives = "..."` in `kpi.toml` names a folder the project keeps. Every
    /// problem of every file is returned, not just the first.
    pub fn load(dir: &Path, catalog: &Catalog) -> Result<Objectives, Diagnostics> {
        let files = check::read_folder(dir)?;
        Self::from_files(files, catalog)
    }

    /// Checks objective files already in memory against `catalog`.
    pub fn from_files(
        files: Vec<SourceFile>,
        catalog: &Catalog,
    ) -> Result<Objectives, Diagnostics> {
        let mut diagnostics = Diagnostics::default();
        let mut list = Vec::with_capacity(files.len());
        for file in files {
            match check::read(file, catalog) {
                Ok(objective) => list.push(objective),
                Err(problems) => diagnostics.0.extend(problems),
            }
        }
        if diagnostics.has_errors() {
            return Err(diagnostics);
        }
        list.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(Objectives { list })
    }

    /// The objectives, by id.
    pub fn iter(&self) -> std::slice::Iter<'_, Objective> {
        self.list.iter()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// How many.
    pub fn len(&self) -> usize {
        self.list.len()
    }

    /// The objectives that KPI `m` serves, by id.
    pub fn serving(&self, m: MetricIndex) -> impl Iterator<Item = &Objective> {
        self.list
            .iter()
            .filter(move |o| o.kpis.iter().any(|k| k.metric == m))
    }
}

impl<'a> IntoIterator for &'a Objectives {
    type Item = &'a Objective;
    type IntoIter = std::slice::Iter<'a, Objective>;

    fn into_iter(self) -> Self::IntoIter {
        self.list.iter()
    }
}
