//! JSON Schemas (draft 2020-12) of a definition file and of `kpi.toml`, for editors.
//!
//! Both are derived with `schemars` from the serde types that read the files
//! (`RawDefinition` and the types it holds, `RawConfig`), so that a key added to a type is in
//! the schema without another edit. What serde cannot say is added here by hand: the shapes
//! of values that serde reads as any TOML value (target levels, `expect`, `library`), and the
//! rules that tie keys together (a whole definition needs `name`... `unit`; a KPI needs
//! `direction` and `[target]`). A file without `formula` changes keys of a definition of an
//! earlier layer, so it may give any subset of the keys: the "whole definition" rules apply
//! only when `formula` is given.

use schemars::generate::SchemaSettings;
use schemars::{Schema, SchemaGenerator};
use serde_json::{Value, json};

/// The schema of a definition file, as pretty-printed JSON ending in a line break.
pub fn definition() -> String {
    let mut schema = generator().into_root_schema_for::<crate::definition::check::RawDefinition>();
    let object = schema.ensure_object();
    object.insert("title".into(), json!("kpi metric definition"));
    object.insert(
        "description".into(),
        json!(
            "One metric per file, `<folder>/<id>.toml`. A file with a `formula` is a whole \
             definition; a file without one changes the keys it gives of the standard (or \
             earlier) definition of the same id."
        ),
    );
    object.insert(
        "allOf".into(),
        json!([
            {
                // A whole definition.
                "if": {"required": ["formula"]},
                "then": {"required": ["name", "category", "kind", "formula", "unit"]}
            },
            {
                // A KPI tracks an objective.
                "if": {
                    "required": ["formula", "kind"],
                    "properties": {"kind": {"const": "kpi"}}
                },
                "then": {"required": ["target"]}
            },
            {
                // A target is judged in a direction; a yes/no target says its own.
                "if": {
                    "anyOf": [
                        {"required": ["formula", "target"]},
                        {
                            "required": ["formula", "kind"],
                            "properties": {"kind": {"const": "kpi"}}
                        }
                    ],
                    "not": {
                        "required": ["unit"],
                        "properties": {"unit": {"const": "boolean"}}
                    }
                },
                "then": {"required": ["direction"]}
            }
        ]),
    );
    object.remove("required");
    if let Some(Value::Object(formula)) = object
        .get_mut("properties")
        .and_then(|properties| properties.get_mut("formula"))
    {
        formula.insert("description".into(), json!(formula_description()));
    }
    to_text(&schema)
}

/// The docs of `formula`, with the functions of the formula function table (rather than the
/// field's doc comment, which would be one more list to keep in step).
fn formula_description() -> String {
    format!(
        "An expression over declared inputs and other metric ids: + - * / % ^, comparisons, \
         && || !, {}. A file without formula changes the keys it gives of the definition of \
         the same id in an earlier layer (the standard library).",
        crate::formula::function::summary()
    )
}

/// The schema of an objective file, as pretty-printed JSON ending in a line break.
pub fn objective() -> String {
    let mut schema = generator().into_root_schema_for::<crate::objective::check::RawObjective>();
    let object = schema.ensure_object();
    object.insert("title".into(), json!("kpi objective"));
    object.insert(
        "description".into(),
        json!(
            "One objective per file, `objectives/<id>.toml`: a goal of the team and the KPIs \
             it is measured by; its progress is the weighted mean of theirs."
        ),
    );
    to_text(&schema)
}

/// The schema of `kpi.toml`, as pretty-printed JSON ending in a line break.
pub fn config() -> String {
    let mut schema = generator().into_root_schema_for::<crate::config::RawConfig>();
    let object = schema.ensure_object();
    object.insert(
        "title".into(),
        json!("kpi project configuration (kpi.toml)"),
    );
    object.insert(
        "description".into(),
        json!("A project's defaults for the command line; paths are relative to this file."),
    );
    to_text(&schema)
}

fn generator() -> SchemaGenerator {
    SchemaSettings::draft2020_12()
        .with_transform(Tidy)
        .into_generator()
}

fn to_text(schema: &Schema) -> String {
    let mut text = serde_json::to_string_pretty(schema).expect("a schema is JSON");
    text.push('\n');
    text
}

/// Removes `null` from the types of optional keys: TOML has no null, so an editor should not
/// offer it. Joins the lines of descriptions, which come from doc comments wrapped at 100
/// columns, so that editors wrap them to their own width.
#[derive(Debug, Clone)]
struct Tidy;

impl schemars::transform::Transform for Tidy {
    fn transform(&mut self, schema: &mut Schema) {
        if let Some(Value::String(text)) = schema.get_mut("description") {
            *text = text
                .split("\n\n")
                .map(|paragraph| paragraph.split_whitespace().collect::<Vec<_>>().join(" "))
                .collect::<Vec<_>>()
                .join("\n\n");
        }
        if let Some(Value::Array(types)) = schema.get_mut("type") {
            types.retain(|t| t != "null");
            if types.len() == 1 {
                let only = types.remove(0);
                schema.insert("type".into(), only);
            }
        }
        // `Option<T>` of a type defined elsewhere is `anyOf: [{$ref}, {type: null}]`.
        if let Some(Value::Array(alternatives)) = schema.get_mut("anyOf") {
            alternatives.retain(|a| a.get("type") != Some(&json!("null")));
            if alternatives.len() == 1 {
                let only = alternatives.remove(0);
                schema.remove("anyOf");
                if let Value::Object(only) = only {
                    for (key, value) in only {
                        schema.insert(key, value);
                    }
                }
            }
        }
        schemars::transform::transform_subschemas(self, schema);
    }
}
