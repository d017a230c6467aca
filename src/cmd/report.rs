//! `kpi report`: the monthly report as HTML or Markdown, in English or French, with the
//! month's notes, on stdout or written atomically to a file. The whole report is rendered in
//! memory first, so a failing template never touches an existing file.

use kpi_core::evaluate;
use kpi_report::{Notes, Options, Renderer, Report};

use crate::console::Console;
use crate::error::CliError;
use crate::month;
use crate::settings;
use crate::write;

/// Runs `kpi report`.
pub fn run(settings: settings::Report, console: &mut Console) -> Result<(), CliError> {
    // Templates are parsed first: a broken override is reported before any data is read.
    let renderer = Renderer::new(settings.format, &settings.templates)?;
    let loaded = month::load(&settings.month, console)?;
    let notes = match &settings.notes {
        Some(dir) => {
            console.show(Notes::no_folder(dir, loaded.period).as_slice());
            Notes::load(dir, loaded.period)?
        }
        None => None,
    };
    if let Some(notes) = &notes {
        console.show(&notes.check(&loaded.catalog));
    }
    let evaluation = evaluate(&loaded.catalog, &loaded.data);
    let options = Options {
        title: settings.title,
        style: settings.style,
        notes: notes.as_ref(),
        with_descriptions: settings.with_descriptions,
    };
    let report = Report::build_with(&evaluation, loaded.t, &options);
    let text = renderer.render(&report)?;
    write::output(settings.output.as_deref(), &text, console)
}
