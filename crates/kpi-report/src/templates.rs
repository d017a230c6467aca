//! The templates: built-in defaults compiled into the binary from the top-level `templates/`
//! folder, each replaceable by a file of the same name in a user's folder.
//!
//! Only regular files directly in that folder whose names end in `.hbs` are read; a symbolic
//! link is followed only when it stays inside the folder. Names come from the folder listing,
//! never from user text, so no path can climb out of it.

use std::fs;
use std::path::{Path, PathBuf};

use kpi_core::diagnostic::os_reason;
use kpi_core::read::{ReadError, read_file};

use crate::error::ReportError;

/// The largest template file read.
pub const MAX_TEMPLATE_BYTES: u64 = 1024 * 1024;

/// The built-in templates, by file name.
pub const BUILTIN: &[(&str, &str)] = &[
    (
        "report.html.hbs",
        include_str!("../../../templates/report.html.hbs"),
    ),
    (
        "row.html.hbs",
        include_str!("../../../templates/row.html.hbs"),
    ),
    (
        "details.html.hbs",
        include_str!("../../../templates/details.html.hbs"),
    ),
    (
        "style.css.hbs",
        include_str!("../../../templates/style.css.hbs"),
    ),
    (
        "email.html.hbs",
        include_str!("../../../templates/email.html.hbs"),
    ),
    (
        "report.md.hbs",
        include_str!("../../../templates/report.md.hbs"),
    ),
    ("row.md.hbs", include_str!("../../../templates/row.md.hbs")),
    (
        "details.md.hbs",
        include_str!("../../../templates/details.md.hbs"),
    ),
];

/// The built-in templates of each format as `direct.rs` translates them, so that a report
/// with them parses none (see `Direct::builtin`). It is here because this module is the one
/// that embeds files in the binary.
pub(crate) const BUILTIN_TRANSLATED: &str = include_str!("direct/builtin.json");

/// A fingerprint of the built-in templates (FNV-1a of their names and texts), which
/// `direct/builtin.json` records: a translation made from other templates is not used.
pub(crate) fn builtin_fingerprint() -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for (name, source) in BUILTIN {
        for byte in name.bytes().chain([0]).chain(source.bytes()).chain([0]) {
            hash = (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{hash:016x}")
}

/// One template: its file name, its text, and the file it was read from (none for a
/// built-in one).
#[derive(Debug, Clone)]
pub struct Template {
    /// The file name, such as `report.md.hbs`.
    pub name: String,
    /// The Handlebars source.
    pub source: String,
    /// The override file it was read from.
    pub path: Option<PathBuf>,
}

impl Template {
    /// The name it is registered under and called by as a partial: the file name without
    /// `.hbs` (`{{> row.md}}`).
    pub fn registered_name(&self) -> &str {
        self.name.strip_suffix(".hbs").unwrap_or(&self.name)
    }

    /// Whether it is an override that holds a field, a condition or a call (`{{`): one that
    /// only Handlebars renders. An override of plain text (a style sheet) is rendered as its
    /// text.
    pub(crate) fn is_override_with_fields(&self) -> bool {
        self.path.is_some() && self.source.contains("{{")
    }

    /// How error messages name it: its path when overridden, else its file name.
    pub fn origin(&self) -> String {
        match &self.path {
            Some(path) => path.display().to_string(),
            None => self.name.clone(),
        }
    }
}

/// The set of templates in force, sorted by name.
#[derive(Debug, Clone)]
pub struct Templates {
    // Crate-visible so that a test can build the set an override folder gives.
    pub(crate) templates: Vec<Template>,
}

impl Templates {
    /// The built-in templates.
    pub fn builtin() -> Templates {
        Templates {
            templates: BUILTIN
                .iter()
                .map(|(name, source)| Template {
                    name: (*name).to_string(),
                    source: (*source).to_string(),
                    path: None,
                })
                .collect(),
        }
    }

    /// The built-in templates, each replaced by the file of the same name in `dir` when there
    /// is one; other `*.hbs` files of `dir` are added, as partials the others may call.
    pub fn load(dir: &Path) -> Result<Templates, ReportError> {
        if !dir.is_dir() {
            return Err(ReportError::MissingTemplates {
                path: dir.to_path_buf(),
            });
        }
        let io = |path: &Path| {
            let path = path.to_path_buf();
            move |e: std::io::Error| ReportError::Io {
                path,
                error: os_reason(&e),
            }
        };
        let root = dir.canonicalize().map_err(io(dir))?;
        let mut templates = Self::builtin();
        let mut entries: Vec<_> = fs::read_dir(dir)
            .map_err(io(dir))?
            .collect::<Result<_, _>>()
            .map_err(io(dir))?;
        entries.sort_by_key(|e| e.file_name());
        for entry in entries {
            let path = entry.path();
            let Some(name) = entry.file_name().to_str().map(str::to_string) else {
                continue;
            };
            if !name.ends_with(".hbs") || name.starts_with('.') {
                continue;
            }
            let kind = entry.file_type().map_err(io(&path))?;
            if kind.is_symlink() {
                let target = path.canonicalize().map_err(io(&path))?;
                if !target.starts_with(&root) {
                    return Err(ReportError::OutsideFolder { path });
                }
            }
            if !path.is_file() {
                continue;
            }
            let source = read(&path)?;
            let template = Template {
                name: name.clone(),
                source,
                path: Some(path),
            };
            match templates.templates.iter_mut().find(|t| t.name == name) {
                Some(slot) => *slot = template,
                None => templates.templates.push(template),
            }
        }
        templates.templates.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(templates)
    }

    /// Every template.
    pub fn iter(&self) -> impl Iterator<Item = &Template> {
        self.templates.iter()
    }

    /// The template with this file name.
    pub fn get(&self, name: &str) -> Option<&Template> {
        self.templates.iter().find(|t| t.name == name)
    }
}

/// Reads a template file through the core's bounded reader (never more than the limit + 1
/// bytes, whatever the file claims to hold) and checks that it is UTF-8.
fn read(path: &Path) -> Result<String, ReportError> {
    let bytes = read_file(path, MAX_TEMPLATE_BYTES).map_err(|e| match e {
        ReadError::TooLarge { path, size, limit } => ReportError::TooLarge { path, size, limit },
        ReadError::Io { path, error } => ReportError::Io {
            path,
            error: os_reason(&error),
        },
        // The reader may learn new ways to fail: they are input errors about this file.
        other => ReportError::Io {
            path: path.to_path_buf(),
            error: other.to_string(),
        },
    })?;
    String::from_utf8(bytes).map_err(|e| {
        // The bytes before the first invalid one are valid: count lines and characters there.
        let at = e.utf8_error().valid_up_to();
        let bytes = e.as_bytes();
        let valid = std::str::from_utf8(&bytes[..at]).expect("valid up to `at`");
        let line_start = valid.rfind('\n').map_or(0, |i| i + 1);
        ReportError::NotUtf8 {
            path: path.to_path_buf(),
            line: valid.matches('\n').count() + 1,
            column: valid[line_start..].chars().count() + 1,
            byte: bytes[at],
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A file that claims a size of 0 and never ends is cut at the limit, not read whole.
    #[cfg(unix)]
    #[test]
    fn an_endless_file_is_too_large() {
        let e = read(Path::new("/dev/zero")).unwrap_err();
        assert!(
            matches!(e, ReportError::TooLarge { size, limit: MAX_TEMPLATE_BYTES, .. } if size == MAX_TEMPLATE_BYTES + 1),
            "{e:?}"
        );
    }
}
