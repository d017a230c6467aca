//! Every shape problem of a definition at once: unknown keys, wrong types, bad values and
//! missing keys, where serde stops at the first.
//!
//! serde is still the one judge of the shape (so that what is accepted cannot drift from the
//! types): after each error, the entry it points at is removed from the spanned table and the
//! table is read again, until it reads or a required top-level key is missing. A key missing
//! only because its bad value was removed is not reported twice.

use std::ops::Range;

use serde::de::DeserializeOwned;
use toml::Spanned;
use toml::de::{DeArray, DeTable, DeValue};

use crate::diagnostic::{Diagnostic, Problem};
use crate::layers::Layers;

/// Most problems collected from one table; the catalog caps what it shows anyway.
const MAX_PROBLEMS: usize = 100;

/// What reading a table gave: the value when it read, and every problem met on the way.
pub(crate) struct Shape<'i, T> {
    /// The value, when the table read (after removing the entries with problems).
    pub(crate) value: Option<T>,
    /// Every shape problem, in the order serde met them.
    pub(crate) problems: Vec<Diagnostic>,
    /// The table as it read, without the entries that had problems.
    pub(crate) table: Spanned<DeTable<'i>>,
}

/// Reads `table` as a `T`, collecting every problem. `required`: the top-level keys `T`
/// needs, all reported at once when missing.
pub(crate) fn read<'i, T: DeserializeOwned>(
    layers: &Layers,
    mut table: Spanned<DeTable<'i>>,
    required: &[&str],
) -> Shape<'i, T> {
    let mut problems = Vec::new();
    // Keys removed for a bad value, with the span of the table that held them.
    let mut removed: Vec<(Range<usize>, String)> = Vec::new();
    let top = table.span();
    while problems.len() < MAX_PROBLEMS {
        let error = match T::deserialize(toml::de::Deserializer::from(table.clone())) {
            Ok(value) => {
                return Shape {
                    value: Some(value),
                    problems,
                    table,
                };
            }
            Err(error) => error,
        };
        let span = error.span().unwrap_or(0..0);
        let diagnostic = layers.error(&error);
        let missing = match &*diagnostic.problem {
            Problem::MissingKey { key } => Some(key.clone()),
            _ => None,
        };
        let consequence = missing
            .as_ref()
            .is_some_and(|key| removed.contains(&(span.clone(), key.clone())));
        let inner = table.get_mut();
        // A key missing from the top-level table is said at the table's span, or none.
        let at_top = missing.is_some() && (span.is_empty() || span == top);
        let gone = if at_top {
            None
        } else {
            remove_in_table(inner, &top, &span)
        };
        match gone {
            Some(gone) => {
                if !consequence {
                    problems.push(diagnostic);
                }
                if missing.is_none() {
                    removed.extend(gone.key.map(|key| (gone.parent, key)));
                }
            }
            // A required top-level key is missing: say every one that is, not only the first
            // serde names, leaving out those removed for a bad value (already said).
            None if missing.is_some() => {
                for key in required {
                    let was_removed = removed.iter().any(|(parent, k)| parent == &top && k == key);
                    if !inner.contains_key(*key) && !was_removed {
                        problems.push(Diagnostic::error(
                            Problem::MissingKey {
                                key: (*key).to_string(),
                            },
                            Some(layers.whole()),
                        ));
                    }
                }
                break;
            }
            None => {
                problems.push(diagnostic);
                break;
            }
        }
    }
    Shape {
        value: None,
        problems,
        table,
    }
}

/// What [`remove_in_table`] removed: from which table or array, and the key (none for an
/// array item).
struct Removed {
    parent: Range<usize>,
    key: Option<String>,
}

fn holds(outer: &Range<usize>, inner: &Range<usize>) -> bool {
    outer.start <= inner.start && inner.end <= outer.end
}

/// Removes the innermost entry of `table` (spanning `table_span`) whose key and value hold
/// `span`; a table that is itself the problem (a key missing in it) goes whole. Every
/// entry is searched, not only those whose span holds `span`: the span of an item of
/// `[[examples]]` is its header alone, not the keys under it.
fn remove_in_table(
    table: &mut DeTable<'_>,
    table_span: &Range<usize>,
    span: &Range<usize>,
) -> Option<Removed> {
    for (_, value) in table.iter_mut() {
        let value_span = value.span();
        if let Some(removed) = remove_in_value(value.get_mut(), &value_span, span) {
            return Some(removed);
        }
    }
    let key = table
        .iter()
        .find(|(k, v)| {
            let (k, v) = (k.span(), v.span());
            holds(&(k.start.min(v.start)..k.end.max(v.end)), span)
        })
        .map(|(k, _)| k.get_ref().to_string())?;
    table.remove(key.as_str());
    Some(Removed {
        parent: table_span.clone(),
        key: Some(key),
    })
}

/// Removes what holds `span` inside `value` (an entry of a table, an item of an array).
fn remove_in_value(
    value: &mut DeValue<'_>,
    value_span: &Range<usize>,
    span: &Range<usize>,
) -> Option<Removed> {
    match value {
        DeValue::Table(table) => remove_in_table(table, value_span, span),
        DeValue::Array(array) => {
            let mut items: Vec<Spanned<DeValue<'_>>> = std::mem::replace(array, DeArray::new())
                .into_iter()
                .collect();
            let mut removed = None;
            for item in &mut items {
                let item_span = item.span();
                removed = remove_in_value(item.get_mut(), &item_span, span);
                if removed.is_some() {
                    break;
                }
            }
            if removed.is_none()
                && let Some(i) = items.iter().position(|item| holds(&item.span(), span))
            {
                items.remove(i);
                removed = Some(Removed {
                    parent: value_span.clone(),
                    key: None,
                });
            }
            for item in items {
                array.push(item);
            }
            removed
        }
        _ => None,
    }
}
