//! Why a report could not be rendered: its templates or the month's notes.

use std::path::PathBuf;

/// Why a report could not be rendered. Each message names the file or template at fault.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ReportError {
    /// The `--templates` folder does not exist.
    #[error("templates folder `{}` does not exist (or is not a folder)", path.display())]
    MissingTemplates {
        /// The folder given.
        path: PathBuf,
    },
    /// A template file could not be read.
    #[error("cannot read template `{}`: {error}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// What the system said.
        error: String,
    },
    /// A template file is a symbolic link to a file outside the templates folder.
    #[error("template `{}` links outside the templates folder; copy the file in instead", path.display())]
    OutsideFolder {
        /// The link.
        path: PathBuf,
    },
    /// A template file is larger than any template should be.
    #[error("template `{}` is {size} bytes, more than the {limit} allowed", path.display())]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// Its size.
        size: u64,
        /// The limit.
        limit: u64,
    },
    /// A template file is not UTF-8 text.
    #[error("{}:{line}:{column}: template `{}` is not UTF-8 text: byte `0x{byte:02X}` here is not part of a UTF-8 character", path.display(), path.display())]
    NotUtf8 {
        /// The file.
        path: PathBuf,
        /// The line of the first byte that is not UTF-8, from 1.
        line: usize,
        /// Its column, in characters from 1.
        column: usize,
        /// The byte.
        byte: u8,
    },
    /// The `notes` path is not a folder (a missing folder only means no notes).
    #[error("notes folder `{}` is not a folder", path.display())]
    NotesNotAFolder {
        /// The folder given.
        path: PathBuf,
    },
    /// A notes file could not be read.
    #[error("cannot read notes `{}`: {error}", path.display())]
    NotesIo {
        /// The file.
        path: PathBuf,
        /// What the system said.
        error: String,
    },
    /// A notes file is larger than any month's commentary should be.
    #[error("notes `{}` are {size} bytes, more than the {limit} allowed", path.display())]
    NotesTooLarge {
        /// The file.
        path: PathBuf,
        /// Its size.
        size: u64,
        /// The limit.
        limit: u64,
    },
    /// A notes file is not UTF-8 text.
    #[error("notes `{}` are not UTF-8 text; save the file as UTF-8", path.display())]
    NotesNotUtf8 {
        /// The file.
        path: PathBuf,
    },
    /// A template does not parse.
    #[error("{}: invalid template: {message}", place(template, *line, *column))]
    Syntax {
        /// The template's file (a path for an override, the file name for a built-in one).
        template: String,
        /// The line, from 1.
        line: Option<usize>,
        /// The column, from 1.
        column: Option<usize>,
        /// What is wrong.
        message: String,
    },
    /// An email's address does not parse.
    #[error(
        "`{address}` in `{field}` is not an email address: {message}; write `Name <name@example.com>` or `name@example.com`"
    )]
    Address {
        /// The header it was for: `from`, `to` or `cc`.
        field: &'static str,
        /// The text given.
        address: String,
        /// What is wrong with it.
        message: String,
    },
    /// An email template names an image the report cannot draw.
    #[error("email image `cid:{cid}`: {message}")]
    Image {
        /// The image's `Content-ID`, as the template names it.
        cid: String,
        /// What is wrong.
        message: String,
    },
    /// The email message could not be assembled.
    #[error("cannot assemble the email: {0}")]
    Message(String),
    /// The output could not be written while the report was rendered into it.
    #[error("cannot write the report: {0}")]
    Write(std::io::Error),
    /// Rendering failed, for example because a template names a field the model lacks.
    #[error("{}: {message}", place(template, *line, *column))]
    Render {
        /// The template's file (a path for an override, the file name for a built-in one).
        template: String,
        /// The line, from 1.
        line: Option<usize>,
        /// The column, from 1.
        column: Option<usize>,
        /// What is wrong.
        message: String,
    },
}

/// `template:line:column`, with as much as is known.
fn place(template: &str, line: Option<usize>, column: Option<usize>) -> String {
    match (line, column) {
        (Some(l), Some(c)) => format!("{template}:{l}:{c}"),
        (Some(l), None) => format!("{template}:{l}"),
        _ => template.to_string(),
    }
}
