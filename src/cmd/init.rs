//! `kpi init`: starts a project in a folder (`kpi.toml`, a team folder with an example, a data
//! template with its explanation), never over an existing file. It makes no empty folder: git
//! would not keep it, and a fresh clone must run as the original does (a missing `notes`
//! folder means no notes; the report's folder is made by the first report written).

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use kpi_core::Catalog;
use kpi_core::library::Selection;

use crate::cli::InitArgs;
use crate::console::Console;
use crate::error::{CliError, Failure};
use crate::{scaffold, write};

/// The team's folder of definitions.
const TEAM: &str = "team";
/// The data template.
const DATA: &str = "data/monthly.csv";
/// What the data template holds.
const DATA_README: &str = "data/README.md";
/// Where the next steps write the report: made by the first report.
const REPORTS: &str = "reports";
/// The folder of the month's commentary, `notes/YYYY-MM.md`: made by the team with the first.
const NOTES: &str = "notes";

/// Runs `kpi init`.
pub fn run(args: &InitArgs, console: &mut Console) -> Result<(), CliError> {
    let dir = &args.dir;
    let selected = Catalog::load_with_library(&args.library, &[])?;
    let everything = Catalog::load_with_library(&Selection::All, &[])?;
    let example = scaffold::example(&selected).expect("a selection holds a metric");
    let example_path = format!("{TEAM}/{}.toml", example.id);
    let inputs = scaffold::inputs(&selected);

    // Everything is checked before anything is written, so that a refusal leaves the folder
    // as it was.
    let files = ["kpi.toml", &example_path, DATA, DATA_README];
    check_free(dir, &files)?;
    for folder in [TEAM, "data"] {
        let path = dir.join(folder);
        fs::create_dir_all(&path).map_err(|e| Failure::CreateFolder(path, e))?;
    }

    let title = project_name(dir).map_or_else(
        || "Product KPIs".to_string(),
        |name| format!("{name} — product KPIs"),
    );
    let texts = [
        scaffold::config(
            &args.library,
            &everything,
            (TEAM, DATA),
            &title,
            (args.locale.map(|l| l.code()), args.currency.as_deref()),
        ),
        scaffold::changes(example),
        scaffold::data_template(&inputs),
        scaffold::data_readme(&selected, "monthly.csv", &inputs),
    ];
    write_all(dir, &files, &texts)?;
    console.say(&next_steps(
        dir,
        &example_path,
        &example.id,
        inputs.len() + 1,
    ));
    Ok(())
}

/// A file of the project, named as the user wrote the folder: `kpi.toml` in the current
/// one, `acme/kpi.toml`.
fn shown(dir: &Path, file: &str) -> PathBuf {
    if dir == Path::new(".") {
        PathBuf::from(file)
    } else {
        dir.join(file)
    }
}

/// Refuses when any of `files` exists in `dir`, or a folder the project uses is a file.
fn check_free(dir: &Path, files: &[&str]) -> Result<(), CliError> {
    let taken: Vec<PathBuf> = files
        .iter()
        .filter(|f| fs::symlink_metadata(dir.join(f)).is_ok())
        .map(|f| shown(dir, f))
        .collect();
    if !taken.is_empty() {
        return Err(Failure::InitTaken(taken).into());
    }
    for folder in ["", TEAM, "data", NOTES, REPORTS] {
        let path = dir.join(folder);
        if path.exists() && !path.is_dir() {
            return Err(Failure::InitNotAFolder(shown(dir, folder)).into());
        }
    }
    Ok(())
}

/// Writes each of `files` in `dir` with its text; on a failure, removes those written, to
/// leave no half project behind.
fn write_all(dir: &Path, files: &[&str], texts: &[String]) -> Result<(), CliError> {
    let mut written: Vec<PathBuf> = Vec::new();
    for (file, text) in files.iter().zip(texts) {
        let path = dir.join(file);
        if let Err(error) = write::create_new(&path, text.as_bytes()) {
            for done in &written {
                let _ = fs::remove_file(done);
            }
            return Err(Failure::Write {
                path,
                error,
                kept: false,
            }
            .into());
        }
        written.push(path);
    }
    Ok(())
}

/// What was written and what to do next; `columns`: the data template's.
fn next_steps(dir: &Path, example_path: &str, example: &str, columns: usize) -> String {
    let here = dir == Path::new(".");
    let place = if here {
        "this folder".to_string()
    } else {
        format!("`{}`", dir.display())
    };
    let mut next = format!(
        "started a project in {place}: kpi.toml, {example_path} (changes the standard `{example}` for the team), {DATA} and {DATA_README} (what each of its {columns} columns holds)\n\
         \n\
         next: fill {DATA} with one row per month, then run:\n",
    );
    if !here {
        next.push_str(&format!("  cd {}\n", dir.display()));
    }
    next.push_str(
        "  kpi check                                 # definitions and data\n\
         \x20 kpi eval                                  # the latest month, metric by metric\n\
         \x20 kpi report --output reports/report.html   # the monthly report\n",
    );
    let _ = write!(
        next,
        "\nthe month's commentary goes in {NOTES}/YYYY-MM.md (make the folder with the first note); {REPORTS}/ is made by the first report"
    );
    next
}

/// The project's name: its folder's.
fn project_name(dir: &Path) -> Option<String> {
    fs::canonicalize(dir)
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
}
