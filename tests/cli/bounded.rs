//! Bounded reading, end to end: every file `kpi` reads is cut one byte past its limit,
//! whatever it claims to be. A big file, a symbolic link to `/dev/zero` (whose size reads as
//! 0) and a FIFO fed without end give the same "too large" error, quickly; a kind of file that
//! a reader never opens (a device or FIFO as `kpi.toml` or as a template) is refused or
//! skipped, quickly too. `SECURITY.md` names these tests.

use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::support::{Project, Run};

/// The definition of `m`, which reads input `a`.
const METRIC: &str = "name = \"M\"\ncategory = \"c\"\nkind = \"metric\"\nunit = \"count\"\nformula = \"a\"\n[inputs.a]\nunit = \"count\"\n";

/// A project whose data and definitions are valid.
fn valid() -> Project {
    Project::new()
        .file("data.csv", "period,a\n2026-01,1\n")
        .file("metrics.d/m.toml", METRIC)
}

/// What stands at a path the project reads.
#[derive(Debug, Clone, Copy)]
enum Endless {
    /// A regular file one byte over the limit (sparse: no disk is used).
    Big(u64),
    /// A symbolic link to `/dev/zero`.
    ZeroLink,
    /// A FIFO that a thread feeds with zeros for as long as it is read.
    Fifo,
}

/// The three ways to be too large for a limit.
fn all(limit: u64) -> [Endless; 3] {
    [Endless::Big(limit + 1), Endless::ZeroLink, Endless::Fifo]
}

impl Endless {
    /// Puts this at `path` (replacing a file there).
    fn place(self, path: &Path) {
        let _ = fs::remove_file(path);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        match self {
            Endless::Big(size) => fs::File::create(path).unwrap().set_len(size).unwrap(),
            Endless::ZeroLink => std::os::unix::fs::symlink("/dev/zero", path).unwrap(),
            Endless::Fifo => feed(path.to_path_buf()),
        }
    }
}

/// Makes a FIFO at `path` and feeds it from a thread: each time a reader opens it, zeros
/// until the reader closes it. The thread ends when the FIFO is gone (the project removed).
fn feed(path: PathBuf) {
    let status = std::process::Command::new("mkfifo")
        .arg(&path)
        .status()
        .unwrap();
    assert!(status.success(), "mkfifo {}", path.display());
    std::thread::spawn(move || {
        let zeros = vec![0u8; 64 * 1024];
        // Opening for writing waits for a reader; it fails once the folder is removed.
        while let Ok(mut pipe) = fs::OpenOptions::new().write(true).open(&path) {
            // A write fails when the reader has closed its end (Rust ignores SIGPIPE).
            while pipe.write_all(&zeros).is_ok() {}
        }
    });
}

/// Runs `kpi` and checks that it ends with `code` within a few seconds (an endless file read
/// whole would take until memory runs out).
fn run_quickly(project: &Project, args: &[&str], code: i32) -> Run {
    let started = Instant::now();
    let run = project.run(args).code(code);
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "kpi {args:?} took {:?}",
        started.elapsed()
    );
    run
}

fn assert_says(run: &Run, expected: &str, what: Endless) {
    assert!(
        run.stderr.contains(expected),
        "{what:?}: expected `{expected}` in:\n{}",
        run.stderr
    );
}

#[test]
fn data_files_are_cut_at_the_limit() {
    for what in all(64 * 1024 * 1024) {
        let project = valid();
        what.place(&project.join("data.csv"));
        let run = run_quickly(&project, &["check", "--data", "data.csv"], 1);
        assert_says(
            &run,
            "`data.csv` is 67108865 bytes, more than the limit of 67108864 bytes",
            what,
        );
    }
}

#[test]
fn definition_files_are_cut_at_the_limit() {
    for what in all(64 * 1024) {
        let project = valid();
        what.place(&project.join("metrics.d/zero.toml"));
        let run = run_quickly(&project, &["check", "--data", "data.csv"], 1);
        assert_says(
            &run,
            "`metrics.d/zero.toml` is 65537 bytes, more than the limit of 65536 bytes",
            what,
        );
    }
}

/// A big `kpi.toml` is too large; the binary opens `kpi.toml` only when it is a regular file,
/// so a link to a device or a FIFO is refused before any read (`--config`) or not read at all
/// (found in the folder). The core's reader cuts it anyway: `config.rs`
/// `an_endless_config_is_too_large`.
#[test]
fn kpi_toml_is_cut_at_the_limit_or_never_opened() {
    let project = valid();
    Endless::Big(64 * 1024 + 1).place(&project.join("kpi.toml"));
    let run = run_quickly(&project, &["check", "--data", "data.csv"], 1);
    assert_says(
        &run,
        "`kpi.toml` is 65537 bytes, more than the limit of 65536 bytes",
        Endless::Big(0),
    );
    for what in [Endless::ZeroLink, Endless::Fifo] {
        let project = valid();
        what.place(&project.join("kpi.toml"));
        let run = run_quickly(&project, &["check", "--config", "kpi.toml"], 2);
        assert_says(&run, "config file `kpi.toml` does not exist", what);
        run_quickly(&project, &["check", "--data", "data.csv"], 0);
    }
}

#[test]
fn notes_are_cut_at_the_limit() {
    for what in all(1024 * 1024) {
        let project = valid().file("kpi.toml", "notes = \"notes\"\n");
        what.place(&project.join("notes/2026-01.md"));
        let args = ["report", "--data", "data.csv", "--format", "md"];
        let run = run_quickly(&project, &args, 1);
        assert_says(
            &run,
            "notes `notes/2026-01.md` are 1048577 bytes, more than the 1048576 allowed",
            what,
        );
    }
}

/// A big template is too large. Only regular files of the folder are read as templates, and
/// a link only when it stays inside the folder: a link to `/dev/zero` is refused, a FIFO
/// skipped. The reader cuts an endless file anyway: `templates.rs`
/// `an_endless_file_is_too_large`.
#[test]
fn templates_are_cut_at_the_limit_or_never_opened() {
    let args = [
        "report",
        "--data",
        "data.csv",
        "--format",
        "md",
        "--templates",
        "look",
    ];
    let project = valid();
    Endless::Big(1024 * 1024 + 1).place(&project.join("look/report.md.hbs"));
    let run = run_quickly(&project, &args, 1);
    assert_says(
        &run,
        "template `look/report.md.hbs` is 1048577 bytes, more than the 1048576 allowed",
        Endless::Big(0),
    );
    let project = valid();
    Endless::ZeroLink.place(&project.join("look/report.md.hbs"));
    let run = run_quickly(&project, &args, 1);
    assert_says(
        &run,
        "template `look/report.md.hbs` links outside the templates folder",
        Endless::ZeroLink,
    );
    let project = valid();
    Endless::Fifo.place(&project.join("look/report.md.hbs"));
    run_quickly(&project, &args, 0);
}
