//! Rendering a [`Report`] with Handlebars, in strict mode: a template that names a field the
//! model lacks fails, naming the template, line and column.
//!
//! HTML output escapes every `{{value}}` for HTML (Handlebars' default); Markdown output
//! escapes it for inline Markdown instead ([`crate::escape::markdown`]), so `&` stays `&` and
//! a `|` never breaks a table.

use handlebars::{Handlebars, RenderError, RenderErrorReason, TemplateError};

use crate::error::ReportError;
use crate::escape;
use crate::helpers;
use crate::model::Report;
use crate::partials;
use crate::templates::{Template, Templates};

/// The output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// One self-contained HTML page.
    Html,
    /// GitHub-flavoured Markdown.
    Markdown,
}

impl Format {
    /// The format a file name's extension calls for: `.html`/`.htm` or `.md`.
    pub fn from_extension(path: &std::path::Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "html" | "htm" => Some(Format::Html),
            "md" | "markdown" => Some(Format::Markdown),
            _ => None,
        }
    }

    /// The template the report starts from.
    pub fn entry(self) -> &'static str {
        match self {
            Format::Html => "report.html.hbs",
            Format::Markdown => "report.md.hbs",
        }
    }

    /// The template-name suffix of the other format, whose templates are not registered.
    fn other_suffix(self) -> &'static str {
        match self {
            Format::Html => ".md.hbs",
            Format::Markdown => ".html.hbs",
        }
    }
}

/// Templates of one format, parsed and ready to render: building one checks every template's
/// syntax, so that a broken override is reported before any data is read.
pub struct Renderer<'t> {
    hbs: Handlebars<'static>,
    used: Vec<&'t Template>,
    entry: &'t Template,
}

impl<'t> Renderer<'t> {
    /// Parses the templates of `format`.
    pub fn new(format: Format, templates: &'t Templates) -> Result<Renderer<'t>, ReportError> {
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
        let used: Vec<&Template> = templates
            .iter()
            .filter(|t| !t.name.ends_with(format.other_suffix()))
            .collect();
        for template in &used {
            hbs.register_template_string(template.registered_name(), &template.source)
                .map_err(|e| syntax_error(e, template))?;
        }
        partials::check(&used, |name| hbs.get_template(name))?;
        let entry = templates
            .get(format.entry())
            .expect("the built-in templates are always there");
        Ok(Renderer { hbs, used, entry })
    }

    /// Renders `report`.
    pub fn render(&self, report: &Report) -> Result<String, ReportError> {
        self.hbs
            .render(self.entry.registered_name(), report)
            .map_err(|e| render_error(&e, &self.used))
    }
}

/// Renders `report` in `format` with `templates`.
pub fn render(
    report: &Report,
    format: Format,
    templates: &Templates,
) -> Result<String, ReportError> {
    Renderer::new(format, templates)?.render(report)
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

fn render_error(e: &RenderError, used: &[&Template]) -> ReportError {
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
