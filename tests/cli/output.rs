//! `--output` of `kpi report` and `kpi data pull` on what a shared CI runner has: devices and
//! FIFOs (written into, never replaced), symbolic links (followed), long names, permissions,
//! what a killed run left, and a folder on the way that is a file. Devices are made with
//! `mknod` in a scratch folder, never on the real `/dev` (CI runs as root, so `mknod` works;
//! elsewhere those checks are skipped with a note).

#![cfg(unix)]

use std::fs;
use std::io::Read;
use std::os::unix::fs::{FileTypeExt, MetadataExt, PermissionsExt};
use std::process::Command;

use crate::support::{Project, listing};

fn project() -> Project {
    Project::new()
        .file(
            "metrics.d/m.toml",
            "name = \"M\"\ncategory = \"c\"\nkind = \"metric\"\nunit = \"count\"\nformula = \"a\"\n[inputs.a]\nunit = \"count\"\n",
        )
        .file("data.csv", "period,a\n2026-01,1\n2026-02,2\n")
}

const REPORT: &[&str] = &["report", "--metrics", "metrics.d", "--data", "data.csv"];
const PULL: &[&str] = &[
    "data",
    "pull",
    "--metrics",
    "metrics.d",
    "--data",
    "data.csv",
];

/// Runs `args` with `--output output` (and `--format md` for a report).
fn to(project: &Project, args: &[&str], output: &str) -> crate::support::Run {
    let mut all = args.to_vec();
    if args[0] == "report" {
        all.extend(["--format", "md", "--period", "2026-02"]);
    }
    all.extend(["--output", output]);
    project.run(&all)
}

/// What `args` prints to stdout without `--output`.
fn expected(project: &Project, args: &[&str]) -> String {
    let mut all = args.to_vec();
    if args[0] == "report" {
        all.extend(["--format", "md", "--period", "2026-02"]);
    }
    project.run(&all).code(0).stdout
}

/// Makes `path` with `mknod`/`mkfifo`; false when this user may not (not root).
fn make_node(args: &[&str]) -> bool {
    let status = Command::new(args[0]).args(&args[1..]).status().unwrap();
    if !status.success() {
        eprintln!(
            "note: `{}` failed (not root?): check skipped",
            args.join(" ")
        );
    }
    status.success()
}

#[test]
fn output_onto_a_device_writes_into_it_and_never_replaces_it() {
    let project = project();
    let null = project.join("dev-null");
    if !make_node(&["mknod", null.to_str().unwrap(), "c", "1", "3"]) {
        return;
    }
    let device = fs::metadata(&null).unwrap().rdev();
    std::os::unix::fs::symlink("dev-null", project.join("link")).unwrap();
    for args in [REPORT, PULL] {
        for output in ["dev-null", "link"] {
            let run = to(&project, args, output).code(0);
            assert_eq!(run.stderr, format!("wrote {output}\n"));
            let meta = fs::metadata(&null).unwrap();
            assert!(meta.file_type().is_char_device(), "{output}: replaced");
            assert_eq!(meta.rdev(), device);
            assert!(
                fs::symlink_metadata(project.join("link"))
                    .unwrap()
                    .file_type()
                    .is_symlink()
            );
        }
    }
    // Nothing else was made beside it.
    assert_eq!(
        listing(&project.join("")),
        ["data.csv", "dev-null", "link", "metrics.d"]
    );
}

#[test]
fn output_onto_a_fifo_writes_into_it() {
    let project = project();
    let fifo = project.join("pipe");
    if !make_node(&["mkfifo", fifo.to_str().unwrap()]) {
        return;
    }
    std::os::unix::fs::symlink("pipe", project.join("link")).unwrap();
    for args in [REPORT, PULL] {
        for output in ["pipe", "link"] {
            // Opening a FIFO for writing waits for a reader.
            let path = fifo.clone();
            let reader = std::thread::spawn(move || {
                let mut text = String::new();
                fs::File::open(path)
                    .unwrap()
                    .read_to_string(&mut text)
                    .unwrap();
                text
            });
            to(&project, args, output).code(0);
            assert_eq!(reader.join().unwrap(), expected(&project, args), "{output}");
            assert!(fs::metadata(&fifo).unwrap().file_type().is_fifo());
        }
    }
    assert_eq!(
        listing(&project.join("")),
        ["data.csv", "link", "metrics.d", "pipe"]
    );
}

#[test]
fn dev_stdout_and_dev_null_work_as_expected() {
    let project = project();
    for args in [REPORT, PULL] {
        let run = to(&project, args, "/dev/stdout").code(0);
        assert_eq!(run.stdout, expected(&project, args));
        assert_eq!(run.stderr, "");
        let run = to(&project, args, "/dev/null").code(0);
        assert_eq!(run.stdout, "");
        assert!(
            fs::metadata("/dev/null")
                .unwrap()
                .file_type()
                .is_char_device()
        );
    }
}

#[test]
fn a_link_to_a_file_is_followed_and_the_file_replaced() {
    let project = project()
        .file("reports/real.md", "old\n")
        .file("reports/other.md", "kept\n");
    std::os::unix::fs::symlink("reports/real.md", project.join("latest.md")).unwrap();
    to(&project, REPORT, "latest.md").code(0);
    assert!(
        fs::symlink_metadata(project.join("latest.md"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(
        fs::read_to_string(project.join("reports/real.md")).unwrap(),
        expected(&project, REPORT)
    );
    assert_eq!(listing(&project.join("reports")), ["other.md", "real.md"]);
    // A link to nothing is refused, not replaced, and its target not made.
    std::os::unix::fs::symlink("nowhere.md", project.join("dangling.md")).unwrap();
    let run = to(&project, REPORT, "dangling.md").code(1);
    assert_eq!(
        run.stderr,
        "error: cannot write `dangling.md`: it is a symbolic link to `nowhere.md`, which does not exist\n"
    );
    assert!(!project.join("nowhere.md").exists());
}

/// FNV-1a, 64 bits, written from its definition: the hash in temporary files' names.
fn fnv1a(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf29ce484222325;
    for b in bytes {
        hash ^= u64::from(*b);
        hash = hash.wrapping_mul(0x100000001b3);
    }
    hash
}

#[test]
fn temporary_files_are_short_lived_and_cleaned_up_after_a_killed_run() {
    let project = project();
    // A 250-character name: the temporary file's name must not be longer.
    let long = format!("{}.md", "r".repeat(247));
    to(&project, REPORT, &long).code(0);
    assert_eq!(
        fs::read_to_string(project.join(&long)).unwrap(),
        expected(&project, REPORT)
    );
    // What a run killed half way leaves for `out.md`, and what is not ours to remove.
    let stale = format!(".kpi-{:016x}-aB3dE9.tmp", fnv1a(b"out.md"));
    let others = [
        format!(".kpi-{:016x}-aB3dE9.tmp", fnv1a(b"other.md")),
        ".out.md.1234-0.tmp".to_string(),
    ];
    let project = project
        .file(&stale, "half a report")
        .file(&others[0], "x")
        .file(&others[1], "x");
    to(&project, REPORT, "out.md").code(0);
    let mut names = vec![
        "data.csv",
        "metrics.d",
        "out.md",
        &long,
        &others[0],
        &others[1],
    ];
    names.sort();
    assert_eq!(listing(&project.join("")), names);
}

#[test]
fn outputs_get_the_permissions_of_a_file_the_user_creates() {
    let project = project();
    // What the umask gives a file created the ordinary way, in the same folder.
    fs::write(project.join("plain"), "").unwrap();
    let plain = fs::metadata(project.join("plain"))
        .unwrap()
        .permissions()
        .mode()
        & 0o7777;
    to(&project, REPORT, "new.md").code(0);
    let mode = fs::metadata(project.join("new.md"))
        .unwrap()
        .permissions()
        .mode()
        & 0o7777;
    assert_eq!(mode, plain);
    // A file replaced keeps its mode.
    let project = project.file("kept.md", "old\n");
    fs::set_permissions(project.join("kept.md"), fs::Permissions::from_mode(0o640)).unwrap();
    to(&project, PULL, "kept.md").code(0);
    let mode = fs::metadata(project.join("kept.md"))
        .unwrap()
        .permissions()
        .mode()
        & 0o7777;
    assert_eq!(mode, 0o640);
}

/// Issue 23, item 8: a folder of the output that is a link to nothing (`reports` in a project
/// whose folder was moved) said "File exists (os error 17)"; it is named, and nothing is
/// written.
#[test]
fn a_folder_that_links_to_nothing_is_named() {
    for args in [REPORT, PULL] {
        let project = project();
        std::os::unix::fs::symlink("gone", project.join("reports")).unwrap();
        for output in ["reports/r.md", "reports/sub/r.md"] {
            let run = to(&project, args, output).code(1);
            assert_eq!(
                run.stderr,
                format!(
                    "error: cannot write `{output}`: `reports` is a symbolic link to `gone`, which does not exist: make the folder it points to, or remove the link\n"
                ),
                "{args:?}"
            );
        }
        assert!(!project.join("gone").exists());
    }
}

#[test]
fn a_file_where_a_folder_should_be_is_named() {
    let project = project().file("taken", "a file\n");
    for output in ["taken/r.md", "taken/sub/r.md"] {
        let run = to(&project, REPORT, output).code(1);
        assert_eq!(
            run.stderr,
            format!(
                "error: cannot write `{output}`: `taken` is a file, not a folder: choose another output folder\n"
            )
        );
    }
    let run = to(&project, REPORT, "metrics.d").code(1);
    assert_eq!(
        run.stderr,
        "error: cannot write `metrics.d`: it is a folder: give the path of a file; it is left as it was\n"
    );
}
