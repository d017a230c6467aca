//! Reading one objective file and checking it against the catalog: every mistake located
//! (an unknown or repeated id, a plain metric, an empty list, a weight of 0, a `due` that is
//! no month), all of them in one run.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use schemars::JsonSchema;
use serde::Deserialize;
use toml::Spanned;

use super::{Member, Objective};
use crate::catalog::{Catalog, definition_files};
use crate::definition::Kind;
use crate::diagnostic::{Diagnostic, Diagnostics, ObjectiveProblem, Problem};
use crate::layers::Layers;
use crate::limits::{MAX_DEFINITION_BYTES, MAX_DEFINITIONS};
use crate::names::is_valid_id;
use crate::period::Period;
use crate::read::read_text;
use crate::source::SourceFile;
use crate::suggest::closest;
use crate::target::check::MonthSchema;
use crate::toml_error::from_toml;
use crate::translation::{self, RawTranslation};

// An objective file as serde reads it. Its doc comments are what editors show (`kpi schema
// --objective`); the `schemars` attributes change no serde behaviour.
/// An objective: a goal of the team, measured by the KPIs it lists. Its id is the file's name.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawObjective {
    /// How the leadership review names it: "Retain customers".
    #[schemars(with = "String")]
    name: Spanned<String>,
    /// What it is for, in a sentence or two.
    description: Option<String>,
    /// The person or team that answers for it.
    owner: Option<String>,
    /// The month it is due, `YYYY-MM`: past it, an objective whose KPIs are not all met is
    /// missed.
    #[schemars(with = "Option<MonthSchema>")]
    due: Option<Spanned<String>>,
    /// Its name and description in other languages: `[locale.fr] name = "Fidéliser"`.
    #[schemars(with = "Option<BTreeMap<String, ObjectiveTranslationSchema>>")]
    locale: Option<Spanned<BTreeMap<String, RawTranslation>>>,
    /// The KPIs it is measured by: `kpis = ["churn_rate", "nps"]`, or one `[[kpis]]` table
    /// per KPI with `id` and `weight` (a KPI without weight counts 1).
    #[schemars(with = "Vec<EntrySchema>")]
    kpis: Spanned<Vec<Spanned<toml::Value>>>,
}

/// The schema of one `[locale.<code>]` table of an objective.
#[derive(JsonSchema)]
#[allow(dead_code)] // Only a schema.
struct ObjectiveTranslationSchema {
    /// The name in that language.
    name: Option<String>,
    /// The description in that language.
    description: Option<String>,
}

/// The schema of one entry of `kpis`.
#[derive(JsonSchema)]
#[serde(untagged)]
#[allow(dead_code)] // Only a schema.
enum EntrySchema {
    /// A KPI's id.
    Id(#[schemars(regex(pattern = crate::names::ID))] String),
    /// A KPI and its weight.
    Weighted {
        /// The KPI's id.
        #[schemars(regex(pattern = crate::names::ID))]
        id: String,
        /// How much it counts in the objective's progress, above 0 (default 1).
        #[schemars(extend("exclusiveMinimum" = 0))]
        weight: Option<f64>,
    },
}

/// The objective files of `dir`, read: its `*.toml` files, by name.
pub(crate) fn read_folder(dir: &Path) -> Result<Vec<SourceFile>, Diagnostics> {
    if !dir.exists() {
        let problem = ObjectiveProblem::MissingFolder {
            path: dir.to_path_buf(),
        };
        return Err(Diagnostics(vec![Diagnostic::error(
            Problem::Objective(problem),
            None,
        )]));
    }
    let paths = definition_files(dir).map_err(|d| Diagnostics(vec![d]))?;
    if paths.len() > MAX_DEFINITIONS {
        return Err(Diagnostics(vec![Diagnostic::error(
            Problem::TooManyDefinitions {
                count: paths.len(),
                limit: MAX_DEFINITIONS,
            },
            None,
        )]));
    }
    let mut diagnostics = Diagnostics::default();
    let mut files = Vec::with_capacity(paths.len());
    for path in paths {
        match read_text(&path, MAX_DEFINITION_BYTES) {
            Ok(text) => files.push(SourceFile::new(path, text)),
            Err(d) => diagnostics.push(d),
        }
    }
    if diagnostics.has_errors() {
        return Err(diagnostics);
    }
    Ok(files)
}

/// Reads and checks one objective file: the objective, or every problem found in it.
pub(crate) fn read(file: SourceFile, catalog: &Catalog) -> Result<Objective, Vec<Diagnostic>> {
    let raw: RawObjective = from_toml(&file).map_err(|d| vec![d])?;
    let file = Arc::new(file);
    let mut errors = Vec::new();
    let error = |errors: &mut Vec<Diagnostic>, problem: ObjectiveProblem, span: Range<usize>| {
        errors.push(Diagnostic::error(
            Problem::Objective(problem),
            Some(file.locate(span.start, span.end)),
        ));
    };
    let id = file
        .path()
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    if !is_valid_id(&id) {
        errors.push(Diagnostic::error(
            Problem::Objective(ObjectiveProblem::BadId { id: id.clone() }),
            Some(file.whole()),
        ));
    }
    let name = raw.name.get_ref().trim().to_string();
    if name.is_empty() {
        error(&mut errors, ObjectiveProblem::EmptyName, raw.name.span());
    }
    let due = raw
        .due
        .and_then(|due| match due.get_ref().parse::<Period>() {
            Ok(period) => Some(period),
            Err(_) => {
                let span = due.span();
                errors.push(Diagnostic::error(
                    Problem::BadPeriod {
                        text: due.into_inner(),
                    },
                    Some(file.locate(span.start, span.end)),
                ));
                None
            }
        });
    let translations = translation::check(&Layers::new(file.clone()), raw.locale, &mut errors);
    let list_span = raw.kpis.span();
    let entries = raw.kpis.into_inner();
    if entries.is_empty() {
        error(&mut errors, ObjectiveProblem::NoKpis, list_span);
    }
    let mut kpis: Vec<Member> = Vec::with_capacity(entries.len());
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for entry in entries {
        let span = entry.span();
        let Some((id, id_span, weight)) = entry_parts(&file, entry, &mut errors) else {
            continue;
        };
        if let Some(&first) = seen.get(&id) {
            let problem = ObjectiveProblem::Repeated {
                id,
                first_line: file.line_of(first),
            };
            error(&mut errors, problem, id_span);
            continue;
        }
        seen.insert(id.clone(), id_span.start);
        let Some(metric) = catalog.metric_index(&id) else {
            let kpi_ids = catalog
                .metrics()
                .iter()
                .filter(|m| m.kind == Kind::Kpi)
                .map(|m| m.id.as_str());
            let suggestion = closest(&id, kpi_ids);
            error(
                &mut errors,
                ObjectiveProblem::UnknownKpi { id, suggestion },
                id_span,
            );
            continue;
        };
        if catalog.metric_at(metric).kind != Kind::Kpi {
            error(&mut errors, ObjectiveProblem::NotAKpi { id }, id_span);
            continue;
        }
        let _ = span;
        kpis.push(Member { id, metric, weight });
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Objective {
        id,
        name,
        description: clean(raw.description),
        owner: clean(raw.owner),
        due,
        translations,
        kpis,
        location: file.whole(),
    })
}

/// Trimmed text, or nothing when it is empty.
fn clean(text: Option<String>) -> Option<String> {
    text.map(|t| t.trim().to_string()).filter(|t| !t.is_empty())
}

/// An entry of `kpis`: its id, where the id is written, and its weight; `None` (with the
/// problem pushed) when it is of the wrong shape.
fn entry_parts(
    file: &SourceFile,
    entry: Spanned<toml::Value>,
    errors: &mut Vec<Diagnostic>,
) -> Option<(String, Range<usize>, f64)> {
    let span = entry.span();
    let mut problem = |p: ObjectiveProblem, at: Range<usize>| {
        errors.push(Diagnostic::error(
            Problem::Objective(p),
            Some(file.locate(at.start, at.end)),
        ));
    };
    // Where `key` is written inside the entry, to point at it rather than at the whole table:
    // an inline table is its span; a `[[kpis]]` table runs from its header to the next one.
    let key_at = |key: &str| -> Range<usize> {
        let rest = &file.text()[span.start..];
        let end = if rest.starts_with("[[") {
            rest[1..].find("\n[").map_or(rest.len(), |i| i + 1)
        } else {
            span.len()
        };
        rest[..end]
            .find(key)
            .map(|i| span.start + i..span.start + i + key.len())
            .unwrap_or_else(|| span.clone())
    };
    match entry.into_inner() {
        toml::Value::String(id) => Some((id, span, 1.0)),
        toml::Value::Table(table) => {
            let mut shape_ok = true;
            for key in table.keys().filter(|k| *k != "id" && *k != "weight") {
                problem(ObjectiveProblem::EntryKey { key: key.clone() }, key_at(key));
                shape_ok = false;
            }
            let id = match table.get("id") {
                Some(toml::Value::String(id)) => Some(id.clone()),
                Some(_) => {
                    problem(ObjectiveProblem::BadEntry, key_at("id"));
                    None
                }
                None => {
                    problem(ObjectiveProblem::EntryWithoutId, span.clone());
                    None
                }
            };
            let weight = match table.get("weight") {
                None => Some(1.0),
                Some(toml::Value::Integer(w)) if *w > 0 => Some(*w as f64),
                Some(toml::Value::Float(w)) if w.is_finite() && *w > 0.0 => Some(*w),
                Some(other) => {
                    let weight = match other {
                        toml::Value::String(s) => format!("\"{s}\""),
                        other => other.to_string(),
                    };
                    let kpi = id.clone().unwrap_or_default();
                    problem(
                        ObjectiveProblem::BadWeight { id: kpi, weight },
                        key_at("weight"),
                    );
                    None
                }
            };
            let id_span = id
                .as_ref()
                .map(|id| key_at(&format!("\"{id}\"")))
                .unwrap_or(span);
            match (id, weight, shape_ok) {
                (Some(id), Some(weight), true) => Some((id, id_span, weight)),
                _ => None,
            }
        }
        _ => {
            problem(ObjectiveProblem::BadEntry, span);
            None
        }
    }
}
