//! Supply chain: every dependency's licence must be compatible with the project's
//! `MIT OR Apache-2.0`. Reads `cargo metadata` for the locked dependency graph (dev and build
//! dependencies included) and fails naming each package whose licence is not allowed.

use std::process::Command;

/// Licences that may be combined with MIT OR Apache-2.0 in a binary we distribute.
const ALLOWED: &[&str] = &[
    "MIT",
    // MIT without the attribution clause (`borrow-or-share`, a dependency of `jsonschema`).
    "MIT-0",
    "Apache-2.0",
    "Apache-2.0 WITH LLVM-exception",
    "BSD-2-Clause",
    "BSD-3-Clause",
    "ISC",
    "Zlib",
    "0BSD",
    "CC0-1.0",
    "Unicode-3.0",
    "Unicode-DFS-2016",
    "Unlicense",
    "BSL-1.0",
];

/// Exceptions, each with its reason. None so far.
const EXCEPTIONS: &[(&str, &str)] = &[];

/// Whether an SPDX expression allows use under one of [`ALLOWED`]: some `OR` alternative
/// whose `AND` terms are all allowed.
fn compatible(expression: &str) -> bool {
    let expression = expression.replace(['(', ')'], "").replace('/', " OR ");
    expression.split(" OR ").any(|alternative| {
        alternative
            .split(" AND ")
            .all(|term| ALLOWED.contains(&term.trim()))
    })
}

#[test]
fn every_dependency_has_a_compatible_licence() {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let output = Command::new(cargo)
        .args(["metadata", "--format-version", "1", "--locked"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo metadata runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let metadata: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let members: Vec<&str> = metadata["workspace_members"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|m| m.as_str())
        .collect();
    let mut refused = Vec::new();
    let mut checked = 0;
    for package in metadata["packages"].as_array().unwrap() {
        let id = package["id"].as_str().unwrap();
        let name = package["name"].as_str().unwrap();
        let licence = package["license"].as_str().unwrap_or("");
        if members.contains(&id) {
            assert_eq!(licence, "MIT OR Apache-2.0", "workspace member {name}");
            continue;
        }
        checked += 1;
        if !compatible(licence) && !EXCEPTIONS.iter().any(|(n, _)| *n == name) {
            refused.push(format!("{name} {}: `{licence}`", package["version"]));
        }
    }
    assert!(checked > 10, "only {checked} dependencies seen");
    assert!(
        refused.is_empty(),
        "incompatible licences:\n{}",
        refused.join("\n")
    );
}

#[test]
fn the_licence_rule_refuses_copyleft() {
    assert!(compatible("MIT OR Apache-2.0"));
    assert!(compatible(
        "Apache-2.0 WITH LLVM-exception OR Apache-2.0 OR MIT"
    ));
    assert!(compatible("(MIT OR Apache-2.0) AND Unicode-3.0"));
    assert!(compatible("MIT/Apache-2.0"));
    assert!(!compatible("AGPL-3.0-only"));
    assert!(!compatible("GPL-3.0-or-later AND MIT"));
    assert!(!compatible(""));
}
