//! Names as readers see them: a report never shows an internal id. A metric is named by its
//! name in the report's language, in quotes (`“Customer churn rate”`); an input by the
//! phrase its declaration gives (`finance's MRR budget`, `[locale.fr] inputs` in French),
//! else by its id with spaces for underscores, in quotes.

use kpi_core::catalog::ReaderName;
use kpi_core::{Evaluation, Period, Reason};

use crate::locale::Words;

/// How `name`, a metric id or an input, reads in a sentence of the report.
pub(super) fn reader_name(e: &Evaluation<'_>, name: &str, words: &Words) -> String {
    match e.catalog().reader_name(name, words.code) {
        Some(ReaderName::Metric(title)) => (words.quote)(title),
        Some(ReaderName::Input(phrase)) => phrase.to_string(),
        None => (words.quote)(&name.replace('_', " ")),
    }
}

/// Why a value is missing, in the report's words, with months and names as readers see them.
pub(super) fn reason(
    e: &Evaluation<'_>,
    reason: &Reason,
    words: &Words,
    month: &dyn Fn(Period) -> String,
) -> String {
    (words.reason)(reason, month, &|name| reader_name(e, name, words))
}
