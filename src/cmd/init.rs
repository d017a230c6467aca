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
use crate::error::{CliError, Failure, WriteError};
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

    // Every path it writes is checked before anything is written, so that a refusal leaves
    // the folder as it was; a failure while writing removes what was written.
    let files = ["kpi.toml", &example_path, DATA, DATA_README];
    check_free(dir, &files)?;
    let title = project_name(dir).map_or_else(
        || "Product KPIs".to_string(),
        |name| format!("{name} — product KPIs"),
    );
    let texts = [
        scaffold::config(
            &args.library,
            (&everything, &selected),
            &inputs,
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

/// Refuses when any of `files` exists in `dir` (a symbolic link included, even one to
/// nothing), or when a folder it writes into cannot be one: a file, a link to nothing, or a
/// file on the way to the project's folder. Folders it does not write (`notes`, `reports`)
/// are refused only when they are files, which the project's reports would trip on.
fn check_free(dir: &Path, files: &[&str]) -> Result<(), CliError> {
    let taken: Vec<PathBuf> = files
        .iter()
        .filter(|f| fs::symlink_metadata(dir.join(f)).is_ok())
        .map(|f| shown(dir, f))
        .collect();
    if !taken.is_empty() {
        return Err(Failure::InitTaken(taken).into());
    }
    // The project's folder and the folders on the way to it, deepest last.
    let mut ancestors: Vec<&Path> = dir
        .ancestors()
        .filter(|a| !a.as_os_str().is_empty())
        .collect();
    ancestors.reverse();
    for path in ancestors {
        usable_folder(path, path.to_path_buf())?;
    }
    for folder in [TEAM, "data"] {
        usable_folder(&dir.join(folder), shown(dir, folder))?;
    }
    for folder in [NOTES, REPORTS] {
        let path = dir.join(folder);
        if path.exists() && !path.is_dir() {
            return Err(Failure::InitNotAFolder(shown(dir, folder)).into());
        }
    }
    Ok(())
}

/// Checks that `path` is a folder, or nothing yet (to be made); `shown` names it.
fn usable_folder(path: &Path, shown: PathBuf) -> Result<(), CliError> {
    let Ok(link) = fs::symlink_metadata(path) else {
        return Ok(());
    };
    match fs::metadata(path) {
        Ok(m) if m.is_dir() => Ok(()),
        Ok(_) => Err(Failure::InitNotAFolder(shown).into()),
        // A link to nothing: `create_dir_all` would fail with "File exists".
        Err(_) if link.file_type().is_symlink() => Err(Failure::InitDanglingLink {
            path: shown,
            target: fs::read_link(path).unwrap_or_default(),
        }
        .into()),
        Err(error) => Err(Failure::CreateFolder(shown, error).into()),
    }
}

/// Makes the folders of the project and writes each of `files` in `dir` with its text; on a
/// failure, removes the files written and the folders made, to leave no half project behind.
fn write_all(dir: &Path, files: &[&str], texts: &[String]) -> Result<(), CliError> {
    let mut made: Vec<PathBuf> = Vec::new();
    let mut written: Vec<PathBuf> = Vec::new();
    let result = (|| {
        for folder in [dir.to_path_buf(), dir.join(TEAM), dir.join("data")] {
            make_folder(&folder, &mut made)?;
        }
        for (file, text) in files.iter().zip(texts) {
            let path = dir.join(file);
            write::create_new(&path, text.as_bytes()).map_err(|error| (path.clone(), error))?;
            written.push(path);
        }
        Ok(())
    })();
    result.map_err(|(path, error)| {
        for file in &written {
            let _ = fs::remove_file(file);
        }
        for folder in made.iter().rev() {
            let _ = fs::remove_dir(folder);
        }
        Failure::InitUndone { path, error }.into()
    })
}

/// Makes `folder` and the missing folders on the way to it, noting each one made in `made`.
fn make_folder(folder: &Path, made: &mut Vec<PathBuf>) -> Result<(), (PathBuf, WriteError)> {
    let mut missing: Vec<&Path> = folder
        .ancestors()
        .filter(|a| !a.as_os_str().is_empty())
        .take_while(|a| fs::symlink_metadata(a).is_err())
        .collect();
    missing.reverse();
    for path in missing {
        fs::create_dir(path).map_err(|e| (path.to_path_buf(), WriteError::Io(e)))?;
        made.push(path.to_path_buf());
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

/// The project's name: its folder's (`.` resolved to the current folder's name; a folder
/// still to be made is named as given).
fn project_name(dir: &Path) -> Option<String> {
    let dir = fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    dir.file_name().map(|n| n.to_string_lossy().into_owned())
}
