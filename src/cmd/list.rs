//! `kpi list`: the definitions in force, as a table or JSON.

use serde::Serialize;

use kpi_core::{Metric, Target};

use crate::cli::{ListArgs, ListFormat};
use crate::error::CliError;
use crate::output::{print, table};
use crate::project::Project;

/// One definition as `kpi list --format json` prints it.
#[derive(Serialize)]
struct Listed<'a> {
    id: &'a str,
    name: &'a str,
    kind: &'static str,
    category: &'a str,
    unit: &'static str,
    formula: &'a str,
    direction: Option<&'static str>,
    target: Option<&'a Target>,
    source: String,
}

impl<'a> From<&'a Metric> for Listed<'a> {
    fn from(m: &'a Metric) -> Self {
        Listed {
            id: &m.id,
            name: &m.name,
            kind: m.kind.as_str(),
            category: &m.category,
            unit: m.unit.as_str(),
            formula: &m.formula.text,
            direction: m.direction.map(|d| d.as_str()),
            target: m.target.as_ref(),
            source: m.source().display().to_string(),
        }
    }
}

/// Runs `kpi list`.
pub fn run(project: &Project, args: &ListArgs) -> Result<(), CliError> {
    let catalog = project.load_catalog(&args.metrics, false)?;
    let listed: Vec<Listed> = catalog.metrics().iter().map(Listed::from).collect();
    match args.format {
        ListFormat::Json => {
            let json = serde_json::to_string_pretty(&listed).expect("plain data serialises");
            print(&format!("{json}\n"))
        }
        ListFormat::Table => {
            let mut rows = vec![
                ["id", "kind", "category", "unit", "target", "formula"]
                    .map(String::from)
                    .to_vec(),
            ];
            for m in catalog.metrics() {
                let target = m.target.as_ref().map_or_else(String::new, |t| {
                    let dir = match m.direction {
                        Some(kpi_core::Direction::LowerIsBetter) => "≤ ",
                        _ => "≥ ",
                    };
                    format!("{dir}{}", t.value)
                });
                rows.push(vec![
                    m.id.clone(),
                    m.kind.as_str().into(),
                    m.category.clone(),
                    m.unit.as_str().into(),
                    target,
                    m.formula.text.clone(),
                ]);
            }
            print(&table(&rows))
        }
    }
}
