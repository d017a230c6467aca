//! Translations of a definition's human text: a `[locale.fr]` table with `name`, `summary`
//! and `description`, used by reports rendered in that locale instead of the base text.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

use crate::diagnostic::{Diagnostic, Problem};
use crate::layers::Layers;

/// A definition's text in one locale; each part left out falls back to the base text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Translation {
    /// The name in that locale.
    pub name: Option<String>,
    /// The one-sentence summary in that locale.
    pub summary: Option<String>,
    /// The description in that locale.
    pub description: Option<String>,
    /// The names of inputs in that locale, as they read in a sentence (`le budget MRR
    /// (finance)`), by input.
    pub inputs: BTreeMap<String, String>,
}

/// One `[locale.<code>]` table, as written.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawTranslation {
    /// The name in that locale.
    #[schemars(with = "Option<String>")]
    name: Option<Spanned<String>>,
    /// The one-sentence summary in that locale.
    summary: Option<String>,
    /// The description in that locale.
    description: Option<String>,
    /// The names of inputs in that locale, as they read in a sentence: `{ mrr_budget = "le
    /// budget MRR (finance)" }`.
    #[serde(default)]
    inputs: BTreeMap<String, String>,
}

/// Whether `code` can name a locale: two or three lowercase ASCII letters (`fr`, `de`).
pub fn is_valid_locale_code(code: &str) -> bool {
    (2..=3).contains(&code.len()) && code.bytes().all(|b| b.is_ascii_lowercase())
}

/// Checks the `[locale.*]` tables of a definition file: codes are language codes, names are
/// not empty. Problems are pushed to `errors`.
pub(crate) fn check(
    file: &Layers,
    raw: Option<Spanned<BTreeMap<String, RawTranslation>>>,
    errors: &mut Vec<Diagnostic>,
) -> BTreeMap<String, Translation> {
    let mut out = BTreeMap::new();
    let Some(raw) = raw else {
        return out;
    };
    // The file that gave the `locale` table (a later layer's replaces it whole).
    let table_at = raw.span().start;
    for (code, raw) in raw.into_inner() {
        if !is_valid_locale_code(&code) {
            let header = format!("[locale.{code}]");
            let location = file.find(table_at, &header).map_or_else(
                || file.locate(table_at, table_at + 1),
                |spot| spot.location(),
            );
            errors.push(Diagnostic::error(
                Problem::BadLocaleCode { code: code.clone() },
                Some(location),
            ));
            continue;
        }
        let name = match raw.name {
            Some(name) if name.get_ref().trim().is_empty() => {
                let span = name.span();
                errors.push(Diagnostic::error(
                    Problem::EmptyTranslatedName { code: code.clone() },
                    Some(file.locate(span.start, span.end)),
                ));
                None
            }
            Some(name) => Some(name.into_inner().trim().to_string()),
            None => None,
        };
        let summary = raw
            .summary
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty());
        let description = raw
            .description
            .map(|d| d.trim().to_string())
            .filter(|d| !d.is_empty());
        out.insert(
            code,
            Translation {
                name,
                summary,
                description,
                inputs: raw
                    .inputs
                    .into_iter()
                    .map(|(k, v)| (k, v.trim().to_string()))
                    .filter(|(_, v)| !v.is_empty())
                    .collect(),
            },
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::is_valid_locale_code;

    #[test]
    fn locale_codes() {
        assert!(is_valid_locale_code("fr"));
        assert!(is_valid_locale_code("haw"));
        for bad in ["Fr", "f", "fr-FR", "fr_fr", "", "fran"] {
            assert!(!is_valid_locale_code(bad), "{bad}");
        }
    }
}
