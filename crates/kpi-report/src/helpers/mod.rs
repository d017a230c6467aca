//! Handlebars helpers, one file each. They only escape, wrap or choose text: every number is
//! formatted in the model already.

mod code;
mod each;
mod strict_if;

pub(crate) use code::Code;
pub(crate) use each::{Each, RowJson, rows_of, run_of_stubs, stubs};
pub(crate) use strict_if::StrictIf;
