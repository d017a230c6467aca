//! The binary's error type and how each kind maps to an exit code.

use std::process::ExitCode;

use kpi_core::Diagnostic;

use crate::diag;

/// Why a command failed.
#[derive(Debug)]
pub enum CliError {
    /// Definitions or data are invalid (exit 1). Diagnostics are printed when reported.
    Invalid(Vec<Diagnostic>),
    /// Something else went wrong with the input (exit 1), already worded.
    Failed(String),
    /// The command line is wrong (exit 2).
    Usage(String),
    /// The command has already said what went wrong, on stdout (exit 1): `kpi test` when an
    /// example failed.
    Reported,
}

impl CliError {
    /// Prints the error on stderr and returns the exit code.
    pub fn report(self) -> ExitCode {
        match self {
            CliError::Invalid(diagnostics) => {
                let errors = diagnostics.iter().filter(|d| d.is_error()).count();
                diag::print_all(&diagnostics);
                if errors > 1 {
                    crate::output::stderr(&format!("error: {errors} problems found"));
                }
                ExitCode::from(1)
            }
            CliError::Failed(message) => {
                crate::output::stderr(&format!("error: {message}"));
                ExitCode::from(1)
            }
            CliError::Reported => ExitCode::from(1),
            CliError::Usage(message) => {
                crate::output::stderr(&format!("error: {message}"));
                ExitCode::from(2)
            }
        }
    }
}

impl From<kpi_core::Diagnostics> for CliError {
    fn from(d: kpi_core::Diagnostics) -> Self {
        CliError::Invalid(d.0)
    }
}

impl From<Diagnostic> for CliError {
    fn from(d: Diagnostic) -> Self {
        CliError::Invalid(vec![d])
    }
}

/// Writing to stdout failed (a closed pipe, a full disk).
pub fn write_failed(error: std::io::Error) -> CliError {
    CliError::Failed(format!("cannot write the output: {error}"))
}
