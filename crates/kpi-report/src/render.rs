//! Rendering a [`Report`] with Handlebars, in strict mode: a template that names a field the
//! model lacks fails, naming the template, line and column.
//!
//! HTML output escapes every `{{value}}` for HTML (Handlebars' default); Markdown output
//! escapes it for inline Markdown instead ([`crate::escape::markdown`]), so `&` stays `&` and
//! a `|` never breaks a table.

use handlebars::template::{Template as Compiled, TemplateElement};
use std::io::Write;

use handlebars::{Context, Handlebars, RenderError, RenderErrorReason, TemplateError};

use crate::direct::{self, Direct};
use crate::error::ReportError;
use crate::escape;
use crate::helpers;
use crate::model::{Parts, Report, Row, Streamed};
use crate::partials;
use crate::templates::{Template, Templates};

/// The output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// One self-contained HTML page.
    Html,
    /// GitHub-flavoured Markdown.
    Markdown,
    /// One email message (`.eml`): a text part and an HTML part for mail clients, with its
    /// charts as PNG images.
    Email,
}

impl Format {
    /// The format a file name's extension calls for: `.html`/`.htm` or `.md`.
    pub fn from_extension(path: &std::path::Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "html" | "htm" => Some(Format::Html),
            "md" | "markdown" => Some(Format::Markdown),
            "eml" => Some(Format::Email),
            _ => None,
        }
    }

    /// The template the report starts from (for an email, its HTML part's).
    pub fn entry(self) -> &'static str {
        match self {
            Format::Html => "report.html.hbs",
            Format::Markdown => "report.md.hbs",
            Format::Email => "email.html.hbs",
        }
    }

    /// The template-name suffix of the other format, whose templates are not registered.
    fn other_suffix(self) -> &'static str {
        match self {
            Format::Html | Format::Email => ".md.hbs",
            Format::Markdown => ".html.hbs",
        }
    }
}

/// Templates of one format, parsed and ready to render: building one checks every override's
/// syntax, so that a broken override is reported before any data is read.
///
/// Only what a report can reach is parsed: Handlebars' parser costs time in the square of a
/// template's length, and every `kpi report` pays it before writing a byte. So a built-in
/// template is parsed only when the entry template (or an override) calls it, and a template
/// without `{{` (the style sheet) is registered as the text it is.
///
/// When no override holds `{{`, a report is rendered by [`Direct`] from the built-in
/// templates' translation (an override of plain text in its template's place), at a
/// fraction of Handlebars' cost and with nothing parsed; otherwise by Handlebars.
pub struct Renderer<'t> {
    hbs: Handlebars<'static>,
    used: Vec<&'t Template>,
    entry: &'t Template,
    direct: Option<Direct>,
}

impl<'t> Renderer<'t> {
    /// Parses the templates of `format` that a report in it uses, and every override; with
    /// the built-in templates (and overrides of plain text), parses none.
    pub fn new(format: Format, templates: &'t Templates) -> Result<Renderer<'t>, ReportError> {
        match Self::built_in(format, templates) {
            Some(renderer) => Ok(renderer),
            None => Self::parsed(format, templates),
        }
    }

    /// The renderer of the built-in templates, translated before (`Direct::builtin`), with
    /// overrides of plain text in their place; `None` when an override holds `{{`.
    fn built_in(format: Format, templates: &'t Templates) -> Option<Renderer<'t>> {
        if templates.iter().any(Template::is_override_with_fields) {
            return None;
        }
        let line = FORMATS.iter().position(|&f| f == format)?;
        // (A translation made from other templates is refused: the parse below renders.)
        let mut direct = Direct::builtin(line)?;
        let files: Vec<String> = direct.files().map(str::to_string).collect();
        let mut used = Vec::with_capacity(files.len());
        for file in files {
            let template = templates.get(&file)?;
            if template.path.is_some() {
                direct.replace_with_text(&file, &template.source, template.origin());
            }
            used.push(template);
        }
        Some(Renderer {
            hbs: Handlebars::new(),
            used,
            entry: templates.get(format.entry())?,
            direct: Some(direct),
        })
    }

    /// Parses the templates of `format` that a report in it uses, and every override.
    fn parsed(format: Format, templates: &'t Templates) -> Result<Renderer<'t>, ReportError> {
        let mut hbs = Handlebars::new();
        hbs.set_strict_mode(true);
        // Partials keep their own layout: a Markdown row must not gain leading spaces.
        hbs.set_prevent_indent(true);
        hbs.register_helper("if", Box::new(helpers::StrictIf { positive: true }));
        hbs.register_helper("unless", Box::new(helpers::StrictIf { positive: false }));
        if format == Format::Markdown {
            hbs.register_escape_fn(escape::markdown);
            hbs.register_helper("code", Box::new(helpers::Code));
        }
        let candidates: Vec<&Template> = templates
            .iter()
            .filter(|t| !t.name.ends_with(format.other_suffix()))
            .collect();
        let registered = register_reached(&mut hbs, &candidates, format.entry())?;
        // In name order, as all of them were checked before, so that the same problem is
        // reported first.
        let used: Vec<&Template> = candidates
            .into_iter()
            .zip(registered)
            .filter_map(|(t, r)| r.then_some(t))
            .collect();
        partials::check(&used, |name| hbs.get_template(name))?;
        let entry = templates
            .get(format.entry())
            .expect("the built-in templates are always there");
        let direct = direct_for(&hbs, &used, entry, format);
        Ok(Renderer {
            hbs,
            used,
            entry,
            direct,
        })
    }

    /// Whether reports are rendered without Handlebars' per-call machinery (the built-in
    /// templates, and overrides of plain text): only then does a loop say which parts of its
    /// rows it reads, so that [`Renderer::render_streamed_to`] builds each row with those
    /// alone; through Handlebars, each row is built whole for each loop.
    pub fn is_direct(&self) -> bool {
        self.direct.is_some()
    }

    /// Renders `report`.
    pub fn render(&self, report: &Report) -> Result<String, ReportError> {
        self.render_model(report, report)
    }

    /// Renders `report` into `out` as it goes: the report's rows are turned into the JSON
    /// Handlebars reads one at a time, and the text is written as it is made, so that
    /// rendering holds one row beyond the model whatever the report's size. On an error, what
    /// was written is incomplete: write into a file that replaces the output only on success.
    pub fn render_to(&self, report: &Report, out: &mut dyn Write) -> Result<(), ReportError> {
        self.render_into(report, rows_by_number(report), out)
    }

    /// Renders a report whose rows are built as they are reached ([`Report::stream`]) into
    /// `out` as it goes: each row is built for each loop that shows it, with the parts that
    /// loop reads, and dropped once written, so that rendering holds a few rows per thread
    /// beyond the report's outline whatever its size. The same bytes as
    /// [`Renderer::render_to`] of [`Report::build_with`]. On an error, what was written is
    /// incomplete: write into a file that replaces the output only on success.
    pub fn render_streamed_to(
        &self,
        report: &Streamed<'_>,
        out: &mut dyn Write,
    ) -> Result<(), ReportError> {
        let rows: Box<helpers::RowJson<'_>> = Box::new(|n, fields| {
            let row = report.row(n, Parts::reading(fields))?;
            Some(row_json(&row, fields))
        });
        self.render_into(&report.report, rows, out)
    }

    /// Renders a model that holds `report` and more (an email's images and colours).
    pub(crate) fn render_model<T: serde::Serialize>(
        &self,
        model: &T,
        report: &Report,
    ) -> Result<String, ReportError> {
        let mut text = Vec::new();
        self.render_into(model, rows_by_number(report), &mut text)?;
        Ok(String::from_utf8(text).expect("templates and the model are text"))
    }

    fn render_into<T: serde::Serialize>(
        &self,
        model: &T,
        rows: Box<helpers::RowJson<'_>>,
        out: &mut dyn Write,
    ) -> Result<(), ReportError> {
        if let Some(direct) = &self.direct {
            let root = serde_json::to_value(model).map_err(|e| ReportError::Render {
                template: self.entry.origin(),
                line: None,
                column: None,
                message: format!("the report model did not serialise: {e}"),
            })?;
            return direct.render(&root, &*rows, out);
        }
        // The `each` that serialises rows on demand borrows this report's rows, so it is
        // registered on a copy of the parsed templates (a few kilobytes), not on the renderer.
        let mut hbs = self.hbs.clone();
        hbs.register_helper("each", Box::new(helpers::Each { rows }));
        let context = Context::wraps(model).map_err(|e| render_error(&e, &self.used))?;
        hbs.render_with_context_to_write(self.entry.registered_name(), &context, out)
            .map_err(|e| render_error(&e, &self.used))
    }
}

/// The built-in templates of every format translated for direct rendering now, from
/// Handlebars' parse: what `src/direct/builtin.json` must hold, the templates' fingerprint
/// then one line of JSON per format in [`FORMATS`] order (a test of `tests/report.rs`
/// compares them, and rewrites the file with `KPI_UPDATE_DIRECT=1`).
#[doc(hidden)]
pub fn builtin_translated() -> String {
    let templates = Templates::builtin();
    let mut text =
        serde_json::to_string(&crate::templates::builtin_fingerprint()).expect("plain data");
    text.push('\n');
    for format in FORMATS {
        let direct = Renderer::parsed(format, &templates)
            .ok()
            .and_then(|r| r.direct)
            .expect("the built-in templates are in the part rendered directly");
        text.push_str(&serde_json::to_string(&direct).expect("plain data"));
        text.push('\n');
    }
    text
}

/// Every format, in the order of the lines of `src/direct/builtin.json`.
const FORMATS: [Format; 3] = [Format::Html, Format::Markdown, Format::Email];

/// A report's rows as JSON by number, whatever order they are in now, made when asked.
fn rows_by_number<'r>(report: &'r Report) -> Box<helpers::RowJson<'r>> {
    let end = report.rows().map(|r| r.number + 1).max().unwrap_or(0);
    let mut rows: Vec<Option<&Row>> = vec![None; end];
    for row in report.rows() {
        if let Some(slot) = rows.get_mut(row.number) {
            *slot = Some(row);
        }
    }
    Box::new(move |n, fields| Some(row_json(rows.get(n).copied().flatten()?, fields)))
}

/// `row` as JSON: only the fields `fields` names, when it names some.
fn row_json(row: &Row, fields: Option<&[String]>) -> Result<serde_json::Value, serde_json::Error> {
    match fields {
        Some(fields) => serde_json::to_value(crate::fields::Only { value: row, fields }),
        None => serde_json::to_value(row),
    }
}

/// The direct renderer of `used`, when each is built in or plain text and in the part of
/// Handlebars it follows.
fn direct_for(
    hbs: &Handlebars<'static>,
    used: &[&Template],
    entry: &Template,
    format: Format,
) -> Option<Direct> {
    if used.iter().any(|t| t.is_override_with_fields()) {
        return None;
    }
    let parsed: Vec<(&str, &Compiled, String)> = used
        .iter()
        .map(|t| {
            let name = t.registered_name();
            hbs.get_template(name).map(|c| (name, c, t.origin()))
        })
        .collect::<Option<_>>()?;
    let escape = match format {
        Format::Markdown => direct::Escape::Markdown,
        Format::Html | Format::Email => direct::Escape::Html,
    };
    Direct::new(&parsed, entry.registered_name(), escape)
}

/// Renders `report` in `format` with `templates`.
pub fn render(
    report: &Report,
    format: Format,
    templates: &Templates,
) -> Result<String, ReportError> {
    Renderer::new(format, templates)?.render(report)
}

/// Registers the entry template, every override (their syntax is checked even when no
/// report calls them, as it always was), then each built-in template they call, and so on;
/// says which of `candidates` were registered. Overrides are parsed first, in name order,
/// so that the first syntax error is the one reported before; built-ins have none.
fn register_reached(
    hbs: &mut Handlebars<'static>,
    candidates: &[&Template],
    entry: &str,
) -> Result<Vec<bool>, ReportError> {
    let mut registered = vec![false; candidates.len()];
    let mut pending = Vec::new();
    for (i, template) in candidates.iter().enumerate() {
        if template.path.is_some() || template.name == entry {
            register(hbs, template)?;
            registered[i] = true;
            pending.push(i);
        }
    }
    // The call graph walked with an explicit list: each template is parsed once.
    while let Some(i) = pending.pop() {
        let Some(compiled) = hbs.get_template(candidates[i].registered_name()) else {
            continue;
        };
        for name in partials::called(compiled) {
            let callee = candidates.iter().position(|t| t.registered_name() == name);
            if let Some(j) = callee.filter(|&j| !registered[j]) {
                register(hbs, candidates[j])?;
                registered[j] = true;
                pending.push(j);
            }
        }
    }
    Ok(registered)
}

/// Registers one template: parsed, or as plain text when it holds no `{{`, which is what
/// parsing it would give (a test checks it) at none of the cost.
fn register(hbs: &mut Handlebars<'static>, template: &Template) -> Result<(), ReportError> {
    let name = template.registered_name();
    if template.source.is_empty() || template.source.contains("{{") {
        return hbs
            .register_template_string(name, &template.source)
            .map_err(|e| syntax_error(e, template));
    }
    hbs.register_template(name, plain(name, &template.source));
    Ok(())
}

/// A template of text only, built as Handlebars' parser builds it: one raw string at line 1,
/// column 1. The position comes from parsing one character, as the mapping type cannot be
/// built outside Handlebars.
fn plain(name: &str, text: &str) -> Compiled {
    let mut compiled = Compiled::compile("-").expect("one character is a template");
    compiled.name = Some(name.to_string());
    compiled.elements = vec![TemplateElement::RawString(text.to_string())];
    compiled
}

fn origin(name: Option<&str>, used: &[&Template]) -> String {
    match name {
        Some(name) => used
            .iter()
            .find(|t| t.registered_name() == name)
            .map_or_else(|| name.to_string(), |t| t.origin()),
        None => "template".to_string(),
    }
}

fn syntax_error(e: TemplateError, template: &Template) -> ReportError {
    let (line, column) = e.pos().map_or((None, None), |(l, c)| (Some(l), Some(c)));
    ReportError::Syntax {
        template: template.origin(),
        line,
        column,
        message: e.reason().to_string(),
    }
}

pub(crate) fn render_error(e: &RenderError, used: &[&Template]) -> ReportError {
    if let RenderErrorReason::IOError(error) = e.reason() {
        return ReportError::Write(std::io::Error::new(error.kind(), error.to_string()));
    }
    let message = match e.reason() {
        RenderErrorReason::MissingVariable(Some(name)) => format!(
            "`{name}` is not a field of the report model here; see the list of fields in docs/reports.md"
        ),
        RenderErrorReason::MissingVariable(None) => {
            "a field this template names is not in the report model".to_string()
        }
        RenderErrorReason::PartialNotFound(name) if name.contains(['/', '\\']) => format!(
            "no template `{name}.hbs` for the partial `{{{{> {name}}}}}`: partials are templates of the folder called by file name, never by path"
        ),
        RenderErrorReason::PartialNotFound(name) => {
            format!("no template `{name}.hbs` for the partial `{{{{> {name}}}}}`")
        }
        other => other.to_string(),
    };
    ReportError::Render {
        template: origin(e.template_name.as_deref(), used),
        line: e.line_no,
        column: e.column_no,
        message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The registered names of what a renderer of `format` parsed, in name order.
    fn registered(format: Format, templates: &Templates) -> Vec<String> {
        let renderer = Renderer::parsed(format, templates).expect("the templates are valid");
        let mut names: Vec<String> = renderer.hbs.get_templates().keys().cloned().collect();
        names.sort();
        names
    }

    /// The built-in templates of every format are rendered directly; an override with
    /// `{{` sends its format through Handlebars, a plain-text one does not.
    #[test]
    fn built_in_templates_are_rendered_directly() {
        let builtin = Templates::builtin();
        for format in [Format::Html, Format::Markdown, Format::Email] {
            let renderer = Renderer::new(format, &builtin).expect("valid");
            assert!(renderer.is_direct(), "{format:?}");
        }
        // As `Templates::load` makes them: the built-in ones, one replaced by a file.
        let replaced = |name: &str, source: &str| {
            let mut templates = Templates::builtin();
            let template = templates
                .templates
                .iter_mut()
                .find(|t| t.name == name)
                .expect("built in");
            template.source = source.to_string();
            template.path = Some(std::path::PathBuf::from("templates").join(name));
            templates
        };
        let plain = replaced("style.css.hbs", "body { color: red }");
        let with_fields = replaced("row.md.hbs", "| {{name}} |");
        assert!(
            Renderer::new(Format::Html, &plain)
                .expect("valid")
                .is_direct()
        );
        assert!(
            !Renderer::new(Format::Markdown, &with_fields)
                .expect("valid")
                .is_direct()
        );
    }

    #[test]
    fn only_the_templates_a_format_reaches_are_parsed() {
        let builtin = Templates::builtin();
        assert_eq!(
            registered(Format::Html, &builtin),
            ["details.html", "report.html", "row.html", "style.css"]
        );
        assert_eq!(
            registered(Format::Markdown, &builtin),
            ["details.md", "report.md", "row.md"]
        );
        // With the built-in templates, `new` parses none, and uses the same ones.
        for (format, files) in [
            (
                Format::Html,
                [
                    "details.html.hbs",
                    "report.html.hbs",
                    "row.html.hbs",
                    "style.css.hbs",
                ]
                .as_slice(),
            ),
            (
                Format::Markdown,
                ["details.md.hbs", "report.md.hbs", "row.md.hbs"].as_slice(),
            ),
        ] {
            let renderer = Renderer::new(format, &builtin).expect("valid");
            assert_eq!(renderer.hbs.get_templates().len(), 0);
            let mut used: Vec<&str> = renderer.used.iter().map(|t| t.name.as_str()).collect();
            used.sort_unstable();
            assert_eq!(used, files);
        }
    }

    /// Text without `{{` registered as text is exactly what Handlebars' parser makes of it,
    /// with the renderer's options, so the output cannot change.
    #[test]
    fn plain_text_is_what_parsing_gives() {
        let css = Templates::builtin();
        let css = css.get("style.css.hbs").expect("built in");
        assert!(!css.source.contains("{{"));
        for text in [
            css.source.as_str(),
            "a",
            "\n  x \\ y\n\n",
            "  lead\r\ntrail  ",
        ] {
            let mut hbs = Handlebars::new();
            hbs.set_prevent_indent(true);
            hbs.register_template_string("t", text)
                .expect("text parses");
            assert_eq!(hbs.get_template("t"), Some(&plain("t", text)), "{text:?}");
        }
    }
}
