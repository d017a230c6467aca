//! Handlebars helpers, one file each. They only escape or wrap text: every number is
//! formatted in the model already.

mod code;

pub(crate) use code::Code;
