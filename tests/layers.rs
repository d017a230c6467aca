//! Layering: a crate's modules import only from their own layer or the layers below, and
//! never in a circle. The layers are the ordered lists of ARCHITECTURE.md's "Layers" section,
//! so the document and the code cannot drift apart (as rust-analyzer's tidy tests keep its
//! invariants).
//!
//! The check reads every `.rs` file of a crate's `src/` (the part before `#[cfg(test)]`,
//! comments left out) for `crate::…` and `super::…` paths, `use` groups included, resolves
//! each to the deepest module file that exists, and fails on an import that goes up a layer
//! or that closes a circle between files of one layer, naming both files and the line. It
//! runs over every crate of the workspace ([`CRATES`]).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

/// Every crate of the workspace: the name its "Layers" heading gives in backticks, and its
/// sources. A new crate is one row.
const CRATES: &[(&str, &str)] = &[
    ("crates/kpi-core", "crates/kpi-core/src"),
    ("crates/kpi-report", "crates/kpi-report/src"),
    ("src", "src"),
];

#[test]
fn every_crate_imports_go_down_its_layers() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut problems = Vec::new();
    for &(krate, src_dir) in CRATES {
        let layers = layers_of(&root.join("ARCHITECTURE.md"), krate);
        if layers.is_empty() {
            problems.push(format!("ARCHITECTURE.md lists no layers for `{krate}`"));
            continue;
        }
        problems.extend(check(root, src_dir, &layers));
    }
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
}

/// A crate's layers, bottom-up, each a list of top-level module names (`data` stands for
/// `data/mod.rs` and every file under `data/`), read from the "Layers" section of
/// ARCHITECTURE.md: under a heading naming the crate (`crate`, in backticks), lines
/// `1. **name**: `module`, `module`…`, wrapped onto indented lines if long (the lines
/// that follow, up to the first `- ` item, which says a module's job).
fn layers_of(architecture: &Path, krate: &str) -> Vec<(String, Vec<String>)> {
    let text = fs::read_to_string(architecture).expect("ARCHITECTURE.md is readable");
    let heading = format!("`{krate}`");
    let mut layers: Vec<(String, Vec<String>)> = Vec::new();
    let mut inside = false;
    // Whether the line continues the list of modules of the last layer (a wrapped line).
    let mut continued = false;
    let backticked = |text: &str| -> Vec<String> {
        text.split('`')
            .skip(1)
            .step_by(2)
            .map(str::to_string)
            .collect()
    };
    for line in text.lines() {
        if line.starts_with('#') {
            inside = line.contains("Layers") && line.contains(&heading);
            continued = false;
            continue;
        }
        if !inside {
            continue;
        }
        let trimmed = line.trim_start();
        if continued && line.starts_with(' ') && !trimmed.starts_with('-') && !trimmed.is_empty() {
            let last = layers.last_mut().expect("a layer before its wrapped line");
            last.1.extend(backticked(trimmed));
            continue;
        }
        continued = false;
        let Some((number, rest)) = line.split_once(". **") else {
            continue;
        };
        if number.is_empty() || !number.chars().all(|c| c.is_ascii_digit()) {
            continue;
        }
        let (name, modules) = rest.split_once("**").expect("`**name**` closed");
        layers.push((name.to_string(), backticked(modules)));
        continued = true;
    }
    assert!(
        !layers.is_empty(),
        "ARCHITECTURE.md has no list of layers under a heading with `Layers` and {heading}"
    );
    layers
}

/// One import: where it is written and the module file it reaches.
struct Import {
    line: usize,
    path: String,
    to: PathBuf,
}

/// Every problem of the crate at `root/src_dir`: modules in no layer, layers naming no
/// module, imports up a layer, circles inside a layer.
fn check(root: &Path, src_dir: &str, layers: &[(String, Vec<String>)]) -> Vec<String> {
    let src = root.join(src_dir);
    let files = rust_files(&src);
    let modules: BTreeMap<Vec<String>, PathBuf> = files
        .iter()
        .map(|f| (module_path(f), f.strip_prefix(&src).unwrap().to_path_buf()))
        .collect();
    let layer_of = |file: &Path| -> Option<usize> {
        let top = module_path(file).into_iter().next()?;
        layers.iter().position(|(_, ms)| ms.contains(&top))
    };
    let mut problems = Vec::new();
    for (name, listed) in layers {
        for module in listed {
            if !modules.contains_key(&vec![module.clone()]) {
                problems.push(format!(
                    "ARCHITECTURE.md: layer `{name}` lists `{module}`, which is no module of {src_dir}"
                ));
            }
        }
    }
    // Imports inside one layer, by file, for the circles.
    let mut within: BTreeMap<PathBuf, Vec<Import>> = BTreeMap::new();
    for file in &files {
        let rel = file.strip_prefix(&src).unwrap().to_path_buf();
        if module_path(&rel).is_empty() {
            // The crate root declares every module: it is no layering step.
            continue;
        }
        let Some(from) = layer_of(&rel) else {
            problems.push(format!(
                "{src_dir}/{}: module in no layer of ARCHITECTURE.md",
                rel.display()
            ));
            continue;
        };
        let text = fs::read_to_string(file).expect("a source file is readable");
        for import in imports(&text, &rel, &modules) {
            if import.to == rel || module_path(&import.to).is_empty() {
                continue;
            }
            // A module in no layer is reported once, as such, when its own file is read.
            let Some(to) = layer_of(&import.to) else {
                continue;
            };
            if to > from {
                problems.push(format!(
                    "{src_dir}/{}:{}: imports `{}` ({src_dir}/{}), up from layer `{}` to layer `{}`",
                    rel.display(),
                    import.line,
                    import.path,
                    import.to.display(),
                    layers[from].0,
                    layers[to].0,
                ));
            } else if to == from {
                within.entry(rel.clone()).or_default().push(import);
            }
        }
    }
    problems.extend(circles(src_dir, &within));
    problems
}

/// The circles between files of one layer: for each group of files that reach each other,
/// every import inside the group, with its line.
fn circles(src_dir: &str, within: &BTreeMap<PathBuf, Vec<Import>>) -> Vec<String> {
    let reach = |start: &PathBuf| {
        let mut seen = BTreeSet::new();
        let mut todo = vec![start.clone()];
        while let Some(f) = todo.pop() {
            for i in within.get(&f).into_iter().flatten() {
                if seen.insert(i.to.clone()) {
                    todo.push(i.to.clone());
                }
            }
        }
        seen
    };
    let reachable: BTreeMap<&PathBuf, BTreeSet<PathBuf>> =
        within.keys().map(|f| (f, reach(f))).collect();
    let mut reported = BTreeSet::new();
    let mut problems = Vec::new();
    for (file, reached) in &reachable {
        if !reached.contains(*file) || reported.contains(*file) {
            continue;
        }
        // The group: the files that `file` reaches and that reach it back.
        let group: BTreeSet<&PathBuf> = reachable
            .iter()
            .filter(|(other, r)| reached.contains(**other) && r.contains(*file))
            .map(|(other, _)| *other)
            .collect();
        let mut message = format!(
            "a circle of {} files inside one layer (an import must go down a layer, or stay in \
             the layer without coming back):",
            group.len()
        );
        for member in &group {
            reported.insert((*member).clone());
            for i in &within[*member] {
                if group.contains(&i.to) {
                    let _ = write!(
                        message,
                        "\n  {src_dir}/{}:{}: imports `{}` ({src_dir}/{})",
                        member.display(),
                        i.line,
                        i.path,
                        i.to.display()
                    );
                }
            }
        }
        problems.push(message);
    }
    problems
}

/// Every `.rs` file under `dir`, sorted.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for entry in fs::read_dir(&d).expect("a source folder is readable") {
            let path = entry.expect("a folder entry").path();
            if path.is_dir() {
                todo.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// The module a file is, as path segments: `data/csv.rs` is `[data, csv]`, `data/mod.rs` is
/// `[data]`, `lib.rs` and `main.rs` are the crate root, `[]`.
fn module_path(file: &Path) -> Vec<String> {
    let mut parts: Vec<String> = file
        .with_extension("")
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    // Only the part under `src/` counts (absolute paths are cut at their last `src`).
    if let Some(i) = parts.iter().rposition(|p| p == "src") {
        parts.drain(..=i);
    }
    if parts.last().is_some_and(|p| p == "mod") {
        parts.pop();
    }
    if parts == ["lib"] || parts == ["main"] {
        parts.clear();
    }
    parts
}

/// The imports of one file (`rel`, relative to `src/`), each resolved to the deepest module
/// file of `modules` that its path names.
fn imports(text: &str, rel: &Path, modules: &BTreeMap<Vec<String>, PathBuf>) -> Vec<Import> {
    let code = text.split("#[cfg(test)]").next().unwrap_or_default();
    let code = without_comments(code);
    let here = module_path(rel);
    // `super` is the parent of the module a file is (`data/mod.rs`'s `super` is the root).
    let mut found = Vec::new();
    let bytes = code.as_bytes();
    let mut at = 0;
    while let Some(i) = next_path_start(&code, at) {
        at = i + 1;
        let rest = &code[i..];
        let (mut base, tail) = if let Some(t) = rest.strip_prefix("crate::") {
            (Vec::new(), t)
        } else {
            let mut t = rest;
            let mut ups = 0;
            while let Some(next) = t.strip_prefix("super::") {
                ups += 1;
                t = next;
            }
            let mut base = here.clone();
            for _ in 0..ups {
                base.pop();
            }
            (base, t)
        };
        let line = bytes[..i].iter().filter(|&&b| b == b'\n').count() + 1;
        let start = base.len();
        for path in use_tree(tail) {
            base.truncate(start);
            base.extend(path.iter().filter(|s| *s != "self").cloned());
            let mut target = base.clone();
            while !target.is_empty() && !modules.contains_key(&target) {
                target.pop();
            }
            if let Some(to) = modules.get(&target) {
                let spelt = if rest.starts_with("crate::") {
                    format!("crate::{}", path.join("::"))
                } else {
                    format!("{}{}", &rest[..rest.len() - tail.len()], path.join("::"))
                };
                found.push(Import {
                    line,
                    path: spelt,
                    to: to.clone(),
                });
            }
        }
    }
    found
}

/// Where the next `crate::` or `super::` path starts at or after `from` (not inside a longer
/// word such as `my_crate::`).
fn next_path_start(code: &str, from: usize) -> Option<usize> {
    let mut at = from;
    loop {
        let rest = &code[at..];
        let i = [rest.find("crate::"), rest.find("super::")]
            .into_iter()
            .flatten()
            .min()?;
        let start = at + i;
        let before = code[..start].chars().next_back();
        // `super::super::` is one path, found at its first `super`.
        let after_super = code[..start].ends_with("super::");
        if !before.is_some_and(|c| c.is_alphanumeric() || c == '_') && !after_super {
            return Some(start);
        }
        at = start + 1;
    }
}

/// The paths of a use tree at the start of `text`: `a::b` is one, `a::{b, c::{d, e}}` three.
fn use_tree(text: &str) -> Vec<Vec<String>> {
    fn tree(text: &str, mut i: usize, prefix: &[String], out: &mut Vec<Vec<String>>) -> usize {
        let b = text.as_bytes();
        let mut path = prefix.to_vec();
        loop {
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
            if i < b.len() && b[i] == b'{' {
                i += 1;
                loop {
                    i = tree(text, i, &path, out);
                    while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b',') {
                        i += 1;
                    }
                    if i >= b.len() || b[i] == b'}' {
                        return i + 1;
                    }
                }
            }
            let start = i;
            while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
                i += 1;
            }
            if i > start {
                path.push(text[start..i].to_string());
            }
            if text[i..].starts_with("::") {
                i += 2;
                continue;
            }
            if path.len() > prefix.len() {
                out.push(path);
            }
            // Skip an `as name` rename, stop at what ends the tree.
            while i < b.len() && !matches!(b[i], b',' | b'}' | b';' | b'(' | b')' | b'\n') {
                i += 1;
            }
            return i;
        }
    }
    let mut out = Vec::new();
    tree(text, 0, &[], &mut out);
    out
}

/// `code` with `//` comments blanked (line breaks kept, so that lines still count), and
/// string literals left as they are.
fn without_comments(code: &str) -> String {
    let mut out = String::with_capacity(code.len());
    let mut in_string = false;
    let mut chars = code.chars().peekable();
    while let Some(c) = chars.next() {
        if in_string {
            out.push(c);
            if c == '\\' {
                if let Some(n) = chars.next() {
                    out.push(n);
                }
            } else if c == '"' {
                in_string = false;
            }
        } else if c == '"' {
            in_string = true;
            out.push(c);
        } else if c == '\'' {
            // A character literal (`'"'`, `'\\''`) is copied whole, so that a quote inside it
            // starts no string; a lifetime (`'a`) has no closing quote and is copied as is.
            out.push(c);
            let mut ahead = chars.clone();
            let length = match (ahead.next(), ahead.next()) {
                // `'\''`, `'\n'`, `'\u{..}'`: the escape, then up to the closing quote.
                (Some('\\'), Some(_)) => 2 + ahead.position(|n| n == '\'').map_or(0, |p| p + 1),
                (Some(_), Some('\'')) => 2,
                _ => 0,
            };
            out.extend(chars.by_ref().take(length));
        } else if c == '/' && chars.peek() == Some(&'/') {
            for n in chars.by_ref() {
                if n == '\n' {
                    out.push('\n');
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[test]
fn use_trees_expand() {
    assert_eq!(
        use_tree("a::{b, c::{self, d as e}};"),
        [vec!["a", "b"], vec!["a", "c", "self"], vec!["a", "c", "d"]]
    );
    assert_eq!(use_tree("x::y(1)"), [vec!["x", "y"]]);
}
