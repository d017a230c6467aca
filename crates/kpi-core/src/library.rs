//! The standard library: the definitions of `metrics.d/`, built into the binary so that a
//! team picks from them in any folder. Selected definitions load as a first layer, named
//! `library:<id>.toml`, and go through the same checks as files read from a folder.

use std::borrow::Cow;
use std::collections::BTreeSet;
use std::str::FromStr;
use std::sync::Arc;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};

use crate::definition::check::parse_definition;
use crate::diagnostic::{Diagnostic, Problem};
use crate::names::LIBRARY_PREFIX;
use crate::source::SourceFile;
use crate::suggest::closest;

/// Every standard definition, file name and text, embedded from `metrics.d/` (the source of
/// truth; a test checks that this list names every file there).
const FILES: [(&str, &str); 18] = [
    (
        "actions_per_session.toml",
        include_str!("../../../metrics.d/actions_per_session.toml"),
    ),
    ("arpu.toml", include_str!("../../../metrics.d/arpu.toml")),
    (
        "avg_session_duration.toml",
        include_str!("../../../metrics.d/avg_session_duration.toml"),
    ),
    (
        "churn_rate.toml",
        include_str!("../../../metrics.d/churn_rate.toml"),
    ),
    (
        "customer_acquisition_cost.toml",
        include_str!("../../../metrics.d/customer_acquisition_cost.toml"),
    ),
    (
        "customer_lifetime_value.toml",
        include_str!("../../../metrics.d/customer_lifetime_value.toml"),
    ),
    (
        "customer_satisfaction.toml",
        include_str!("../../../metrics.d/customer_satisfaction.toml"),
    ),
    (
        "dau_mau_ratio.toml",
        include_str!("../../../metrics.d/dau_mau_ratio.toml"),
    ),
    (
        "defect_detection_efficiency.toml",
        include_str!("../../../metrics.d/defect_detection_efficiency.toml"),
    ),
    ("mrr.toml", include_str!("../../../metrics.d/mrr.toml")),
    (
        "new_product_revenue_share.toml",
        include_str!("../../../metrics.d/new_product_revenue_share.toml"),
    ),
    ("nps.toml", include_str!("../../../metrics.d/nps.toml")),
    (
        "retention_rate.toml",
        include_str!("../../../metrics.d/retention_rate.toml"),
    ),
    ("romi.toml", include_str!("../../../metrics.d/romi.toml")),
    (
        "sales_conversion_rate.toml",
        include_str!("../../../metrics.d/sales_conversion_rate.toml"),
    ),
    (
        "support_escalation_rate.toml",
        include_str!("../../../metrics.d/support_escalation_rate.toml"),
    ),
    (
        "test_velocity.toml",
        include_str!("../../../metrics.d/test_velocity.toml"),
    ),
    (
        "trial_conversion_rate.toml",
        include_str!("../../../metrics.d/trial_conversion_rate.toml"),
    ),
];

/// Which standard definitions a project uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Selection {
    /// Every one.
    All,
    /// These ids, and the standard metrics they use.
    Ids(Vec<String>),
}

/// The ids of the standard definitions, sorted.
pub fn ids() -> impl Iterator<Item = &'static str> {
    FILES
        .iter()
        .map(|(name, _)| name.strip_suffix(".toml").expect("named `<id>.toml`"))
}

/// Whether `id` is the id of a standard definition.
pub fn contains(id: &str) -> bool {
    ids().any(|known| known == id)
}

/// `id` is not a standard definition: the problem, with the closest id.
pub fn unknown(id: &str) -> Problem {
    Problem::UnknownStandardId {
        id: id.to_string(),
        suggestion: closest(id, ids()),
    }
}

impl FromStr for Selection {
    type Err = Problem;

    /// `all`, or ids separated by commas (`churn_rate,nps`), as `--library` takes them.
    fn from_str(text: &str) -> Result<Self, Problem> {
        if text.trim() == "all" {
            return Ok(Selection::All);
        }
        let mut ids = Vec::new();
        for id in text.split(',').map(str::trim).filter(|id| !id.is_empty()) {
            if !contains(id) {
                return Err(unknown(id));
            }
            ids.push(id.to_string());
        }
        Ok(Selection::Ids(ids))
    }
}

fn file(name: &str, text: &str) -> SourceFile {
    SourceFile::new(format!("{LIBRARY_PREFIX}{name}"), text)
}

/// The files `selection` loads, sorted by id, and a note for each standard metric loaded
/// because a selected one uses it (a derived metric needs the metrics in its formula).
pub fn select(selection: &Selection) -> (Vec<SourceFile>, Vec<Diagnostic>) {
    let wanted = match selection {
        Selection::All => return (FILES.iter().map(|(n, t)| file(n, t)).collect(), Vec::new()),
        Selection::Ids(ids) => ids,
    };
    let mut chosen: BTreeSet<&str> = BTreeSet::new();
    let mut notes = Vec::new();
    // (id, the selected metric that needs it, if it was not selected itself)
    let mut queue: Vec<(String, Option<String>)> =
        wanted.iter().map(|id| (id.clone(), None)).collect();
    queue.reverse();
    let selected: BTreeSet<&str> = wanted.iter().map(String::as_str).collect();
    while let Some((id, by)) = queue.pop() {
        let Some((name, text)) = FILES
            .iter()
            .find(|(n, _)| n.strip_suffix(".toml") == Some(&id))
        else {
            continue;
        };
        let id = name.strip_suffix(".toml").expect("named `<id>.toml`");
        if !chosen.insert(id) {
            continue;
        }
        if let Some(by) = by
            && !selected.contains(id)
        {
            notes.push(Diagnostic::note(
                Problem::StandardDependency {
                    id: id.to_string(),
                    by,
                },
                None,
            ));
        }
        // The standard definitions are valid (tested); one that is not is reported when the
        // catalog loads it.
        if let Ok(definition) = parse_definition(Arc::new(file(name, text))) {
            for reference in &definition.formula.references {
                if contains(&reference.name) && !chosen.contains(reference.name.as_str()) {
                    queue.push((reference.name.clone(), Some(id.to_string())));
                }
            }
        }
    }
    let files = FILES
        .iter()
        .filter(|(n, _)| chosen.contains(n.strip_suffix(".toml").unwrap_or(n)))
        .map(|(n, t)| file(n, t))
        .collect();
    (files, notes)
}

/// The `library` key of `kpi.toml`: `"all"` or a list of standard ids, listed from the
/// library built into this `kpi`.
pub(crate) struct SelectionSchema;

impl JsonSchema for SelectionSchema {
    fn schema_name() -> Cow<'static, str> {
        "LibrarySelection".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        let ids: Vec<&str> = ids().collect();
        json_schema!({
            "description": "The standard definitions used, loaded before the folders: \"all\", \
                or a list of standard ids (the standard metrics they use come with them).",
            "anyOf": [
                {"const": "all"},
                {"type": "array", "items": {"enum": ids}, "uniqueItems": true}
            ]
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embeds_every_file_of_metrics_d() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../metrics.d");
        let mut on_disk: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".toml"))
            .collect();
        on_disk.sort();
        let embedded: Vec<&str> = FILES.iter().map(|(n, _)| *n).collect();
        assert_eq!(on_disk, embedded, "add the new file to `FILES`");
        for (name, text) in FILES {
            let path = format!("{dir}/{name}");
            assert_eq!(std::fs::read_to_string(path).unwrap(), text, "{name}");
        }
    }

    #[test]
    fn a_selection_brings_the_metrics_it_uses() {
        let selection: Selection = "customer_lifetime_value, nps".parse().unwrap();
        let (files, notes) = select(&selection);
        let names: Vec<String> = files
            .iter()
            .map(|f| f.path().display().to_string())
            .collect();
        assert_eq!(
            names,
            [
                "library:arpu.toml",
                "library:customer_lifetime_value.toml",
                "library:nps.toml"
            ]
        );
        assert_eq!(notes.len(), 1);
        assert_eq!(
            notes[0].to_string(),
            "standard metric `arpu` is loaded too: `customer_lifetime_value` uses it"
        );
        let (files, notes) = select(&"arpu,customer_lifetime_value".parse().unwrap());
        assert_eq!((files.len(), notes.len()), (2, 0));
    }

    #[test]
    fn unknown_ids_are_refused_with_a_suggestion() {
        assert_eq!("all".parse::<Selection>().unwrap(), Selection::All);
        let problem = "churn_rate,churn_rat".parse::<Selection>().unwrap_err();
        assert_eq!(
            problem.to_string(),
            "no standard metric has the id `churn_rat`"
        );
        assert_eq!(problem.help().unwrap(), "did you mean `churn_rate`?");
    }
}
