//! `kpi test`: run every definition's examples and say which give the value they expect.

use std::fmt::Write as _;

use kpi_core::example::Expect;
use kpi_core::examples::{self, Outcome};

use crate::console::Console;
use crate::error::CliError;
use crate::load;
use crate::settings::Test;

/// Runs `kpi test`: one line per example, then `N passed, M failed`; exit 1 when any failed.
pub fn run(settings: Test, console: &mut Console) -> Result<(), CliError> {
    let catalog = console.shown(load::catalog(&settings.definitions, false)?);
    let outcomes = examples::run(&catalog);
    let mut out = String::new();
    for outcome in &outcomes {
        out.push_str(&line(outcome));
        out.push('\n');
    }
    let failed = outcomes.iter().filter(|o| !o.passed).count();
    let _ = writeln!(out, "{} passed, {failed} failed", outcomes.len() - failed);
    console.print(&out)?;
    if failed > 0 {
        return Err(CliError::Reported);
    }
    Ok(())
}

/// `ok churn_rate #1`, or on failure where the example is, what it expected, what the
/// formula gave and the formula with the example's values.
fn line(outcome: &Outcome) -> String {
    let name = format!("{} #{}", outcome.metric, outcome.number);
    if outcome.passed {
        return format!("ok {name}");
    }
    let expected = match outcome.expect {
        Expect::Value(v) => v.to_string(),
        Expect::NoValue => "no value".into(),
    };
    let actual = match &outcome.actual {
        Ok(v) => v.to_string(),
        Err(reason) => format!("no value ({reason})"),
    };
    let location = &outcome.location;
    format!(
        "FAILED {name} at {}:{}: expected {expected}, got {actual}: {}",
        location.path.display(),
        location.line,
        outcome.substituted
    )
}
