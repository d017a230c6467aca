//! The two streams `main` opens and lends to the command that runs: the command's output on
//! stdout, what it says about the run (notes, warnings, diagnostics) on stderr. Nothing else
//! in the binary writes to the terminal.

use std::io::Write;

use kpi_core::Diagnostic;

use crate::diag;
use crate::error::{CliError, Failure};
use crate::load::Warned;
use crate::terminal;

/// The buffer [`Console::print_with`] writes through: a concrete type, so that a serialiser's
/// many small writes are inlined copies rather than calls through a trait object.
pub type Buffered<'a> = std::io::BufWriter<&'a mut Box<dyn Write>>;

/// Stdout and stderr, as `main` opened them.
pub struct Console {
    out: Box<dyn Write>,
    err: Box<dyn Write>,
}

impl Console {
    /// A console writing the output to `out` and everything else to `err`.
    pub fn new(out: impl Write + 'static, err: impl Write + 'static) -> Console {
        Console {
            out: Box::new(out),
            err: Box::new(err),
        }
    }

    /// Writes the command's output, failing cleanly on a closed pipe or a full disk.
    pub fn print(&mut self, text: &str) -> Result<(), CliError> {
        self.out
            .write_all(text.as_bytes())
            .and_then(|()| self.out.flush())
            .map_err(|e| CliError::Failed(Failure::Output(e)))
    }

    /// Writes the command's output as `write` produces it, through a buffer: output too large
    /// to hold whole (a 100 000-metric evaluation's JSON) goes out as it is made. Fails as
    /// [`Console::print`] does.
    pub fn print_with(
        &mut self,
        write: impl FnOnce(&mut Buffered<'_>) -> std::io::Result<()>,
    ) -> Result<(), CliError> {
        let mut buffered = std::io::BufWriter::with_capacity(1 << 16, &mut self.out);
        write(&mut buffered)
            .and_then(|()| buffered.flush())
            .map_err(|e| CliError::Failed(Failure::Output(e)))
    }

    /// Writes `text` and a line break to stderr. A closed or full stderr is ignored rather
    /// than fatal: `eprintln!` would panic (exit 101) where the command itself succeeded.
    pub fn say(&mut self, text: &str) {
        // Each line through the guard: whatever user text it holds, it cannot end the line
        // early, drive the terminal, or read as a CI workflow command.
        for line in text.split('\n') {
            let _ = writeln!(self.err, "{}", terminal::guard(line));
        }
    }

    /// Writes every diagnostic on stderr, each with its source line and caret.
    pub fn show(&mut self, diagnostics: &[Diagnostic]) {
        for d in diagnostics {
            self.say(diag::render(d).trim_end_matches('\n'));
        }
    }

    /// Shows the warnings a value was loaded with, and returns the value.
    pub fn shown<T>(&mut self, loaded: Warned<T>) -> T {
        self.show(&loaded.warnings);
        loaded.value
    }
}

#[cfg(test)]
mod tests {
    use std::io;

    use super::*;

    /// A stream whose reader is gone, as a closed pipe.
    struct Closed;

    impl Write for Closed {
        fn write(&mut self, _: &[u8]) -> io::Result<usize> {
            Err(io::ErrorKind::BrokenPipe.into())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_closed_stdout_is_an_error_and_a_closed_stderr_is_not() {
        let mut console = Console::new(Closed, Closed);
        console.say("note: nobody reads this");
        console.show(&[]);
        assert!(matches!(
            console.print("output"),
            Err(CliError::Failed(Failure::Output(e))) if e.kind() == io::ErrorKind::BrokenPipe
        ));
    }
}
