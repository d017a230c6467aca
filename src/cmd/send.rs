//! `kpi send`: renders the month's report and sends it as `[delivery]` in `kpi.toml` says:
//! by email (SMTP) and to Slack (an incoming webhook), or, with `--dry-run`, prints what would
//! be sent and to whom and sends nothing. The URLs, which hold secrets, come from the
//! environment variables `[delivery]` names and never reach the output.

use crate::console::Console;
use crate::error::CliError;
use crate::settings;

/// Runs `kpi send`.
#[cfg(not(feature = "send"))]
pub fn run(settings: settings::Send, _console: &mut Console) -> Result<(), CliError> {
    use crate::error::{Failure, SendError};
    let _ = settings;
    Err(Failure::Send(vec![SendError::NotBuilt]).into())
}

/// Runs `kpi send`.
#[cfg(feature = "send")]
pub fn run(settings: settings::Send, console: &mut Console) -> Result<(), CliError> {
    deliver::run(settings, console)
}

#[cfg(feature = "send")]
mod deliver;
