//! A scratch project in a temporary directory and a builder that runs `kpi` in it.

use std::path::PathBuf;
use std::process::Command;

use tempfile::TempDir;

/// A temporary directory with files written into it.
pub struct Project {
    dir: TempDir,
}

/// What one run of `kpi` did.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// The names of the entries of `dir`, hidden ones included, sorted: to check that no
/// temporary file is left.
pub fn listing(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// `md` rendered to HTML as GitHub renders it (cmark-gfm's extensions: tables,
/// strikethrough, task lists, autolinks), raw HTML let through so that any shows as a tag.
pub fn gfm(md: &str) -> String {
    let mut options = comrak::Options::default();
    options.extension.table = true;
    options.extension.strikethrough = true;
    options.extension.tasklist = true;
    options.extension.autolink = true;
    options.render.r#unsafe = true;
    comrak::markdown_to_html(md, &options)
}

/// Definition of a plain metric with the given formula (and extra TOML lines).
pub fn metric(formula: &str, extra: &str) -> String {
    format!(
        "name = \"Some metric\"\ncategory = \"business\"\nkind = \"metric\"\nunit = \"number\"\nformula = \"{formula}\"\n{extra}"
    )
}

/// Churn as a KPI (lower is better, target 5, warning 7) with its two inputs declared.
pub fn churn_kpi() -> String {
    kpi(
        "customers_lost / customers_start * 100",
        "lower_is_better",
        5.0,
        7.0,
        "",
    ) + &inputs(&["customers_lost", "customers_start"])
}

/// Definition of a KPI with a target.
pub fn kpi(formula: &str, direction: &str, target: f64, warning: f64, extra: &str) -> String {
    format!(
        "name = \"Some KPI\"\ncategory = \"customer\"\nkind = \"kpi\"\nunit = \"percent\"\nformula = \"{formula}\"\ndirection = \"{direction}\"\n\n[target]\nvalue = {target}\nwarning = {warning}\n{extra}"
    )
}

/// Declares inputs of unit `count`.
pub fn inputs(names: &[&str]) -> String {
    names
        .iter()
        .map(|n| format!("\n[inputs.{n}]\nunit = \"count\"\n"))
        .collect()
}

impl Project {
    pub fn new() -> Self {
        Self {
            dir: tempfile::tempdir().expect("temporary directory"),
        }
    }

    /// Writes a file (creating directories), relative to the project.
    pub fn file(self, path: &str, text: &str) -> Self {
        let full = self.dir.path().join(path);
        std::fs::create_dir_all(full.parent().unwrap()).unwrap();
        std::fs::write(full, text).unwrap();
        self
    }

    /// Writes a file of raw bytes (for encodings other than UTF-8), relative to the project.
    pub fn bytes(self, path: &str, bytes: &[u8]) -> Self {
        let full = self.dir.path().join(path);
        std::fs::create_dir_all(full.parent().unwrap()).unwrap();
        std::fs::write(full, bytes).unwrap();
        self
    }

    pub fn join(&self, path: &str) -> PathBuf {
        self.dir.path().join(path)
    }

    /// Runs `kpi` with `args` in the project directory.
    pub fn run(&self, args: &[&str]) -> Run {
        self.run_with(args, &[], None)
    }

    /// Runs `kpi` with `args` in the folder `dir` of the project (a clone, a sub-project).
    pub fn run_in(&self, dir: &str, args: &[&str]) -> Run {
        let output = Command::new(env!("CARGO_BIN_EXE_kpi"))
            .args(args)
            .current_dir(self.join(dir))
            .env_remove("RUST_BACKTRACE")
            .stdin(std::process::Stdio::null())
            .output()
            .expect("kpi runs");
        Run {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8(output.stdout).expect("UTF-8 stdout"),
            stderr: String::from_utf8(output.stderr).expect("UTF-8 stderr"),
        }
    }

    /// Runs `kpi` with `args`, extra environment variables, and `stdin` as its standard input.
    pub fn run_with(&self, args: &[&str], env: &[(&str, &str)], stdin: Option<&[u8]>) -> Run {
        use std::io::Write as _;
        use std::process::Stdio;
        let mut child = Command::new(env!("CARGO_BIN_EXE_kpi"))
            .args(args)
            .current_dir(self.dir.path())
            .env_remove("RUST_BACKTRACE")
            .envs(env.iter().copied())
            .stdin(if stdin.is_some() {
                Stdio::piped()
            } else {
                Stdio::null()
            })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("kpi runs");
        if let Some(bytes) = stdin {
            let mut pipe = child.stdin.take().expect("stdin is piped");
            // A large input is written from a thread, so that kpi's output cannot block it.
            let bytes = bytes.to_vec();
            std::thread::spawn(move || {
                let _ = pipe.write_all(&bytes);
            });
        }
        let output = child.wait_with_output().expect("kpi runs");
        Run {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8(output.stdout).expect("UTF-8 stdout"),
            stderr: String::from_utf8(output.stderr).expect("UTF-8 stderr"),
        }
    }
}

impl Run {
    /// Asserts the exit code, showing the output when it differs.
    pub fn code(self, code: i32) -> Self {
        assert_eq!(
            self.code, code,
            "stdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        self
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout).expect("stdout is JSON")
    }
}

/// Runs `git` in `dir` with a fixed identity and no signing, and asserts it succeeds.
pub fn git(dir: &std::path::Path, args: &[&str]) {
    let output = Command::new("git")
        .args(["-c", "user.name=t", "-c", "user.email=t@example.invalid"])
        .args([
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .current_dir(dir)
        .output()
        .expect("git runs");
    assert!(output.status.success(), "git {args:?}: {output:?}");
}
