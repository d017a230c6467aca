//! Escaping user-supplied text for each output: Markdown (inline text and code spans) and
//! XML (the text inside generated SVG). HTML text is escaped by Handlebars itself.

mod markdown;
mod xml;

pub(crate) use markdown::{JOINER, is_reference};
pub use markdown::{markdown, markdown_cell_code, markdown_code};
pub use xml::xml;
