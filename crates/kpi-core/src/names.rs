//! The rules of names: metric ids, input names, and how the standard library's files are
//! named. At the bottom of the crate, so that definitions, targets, the library and the
//! schemas share one spelling of each rule.

/// How the standard definitions are named in messages: `library:churn_rate.toml`.
pub const LIBRARY_PREFIX: &str = "library:";

/// The pattern of a metric id (the rule of [`is_valid_id`], for the editor schemas).
pub(crate) const ID: &str = "^[a-z][a-z0-9_]*$";

/// The pattern of an input name, or of the metric or input a target series reads (the rule
/// of [`is_valid_input_name`], for the editor schemas).
pub(crate) const NAME: &str = "^[A-Za-z_][A-Za-z0-9_]*$";

/// Whether `id` matches `^[a-z][a-z0-9_]*$`.
pub fn is_valid_id(id: &str) -> bool {
    let mut chars = id.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// Input names follow the same rule as formula names: a letter or `_`, then letters,
/// digits and `_`. A target series names an input or a metric by the same rule.
pub fn is_valid_input_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Words a formula reads as a value, not a name (any case): evalexpr's booleans, and what
/// Rust's number parser accepts as infinite or not a number. A metric or input so named could
/// be declared but never read.
const RESERVED: [&str; 5] = ["true", "false", "inf", "infinity", "nan"];

/// Whether `name` is a word formulas reserve (`true`, `false`, `inf`, `infinity`, `nan`, in
/// any case), so that it cannot name a metric or an input.
pub fn is_reserved(name: &str) -> bool {
    RESERVED.iter().any(|word| word.eq_ignore_ascii_case(name))
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    #[test]
    fn reserved_words_in_any_case() {
        for name in ["true", "FALSE", "Inf", "infinity", "NaN"] {
            assert!(super::is_reserved(name), "{name}");
        }
        for name in ["nan_rate", "info", "truth", "x"] {
            assert!(!super::is_reserved(name), "{name}");
        }
    }

    proptest! {
        /// Any text is either a valid name or not, without a panic; a valid one is ASCII.
        #[test]
        fn any_unicode_name_is_judged(name in "\\PC{0,16}") {
            if is_valid_id(&name) || is_valid_input_name(&name) {
                prop_assert!(name.is_ascii());
            }
        }
    }

    use super::{is_valid_id, is_valid_input_name};

    #[test]
    fn ids_are_lowercase_names() {
        assert!(is_valid_id("churn_rate2"));
        assert!(!is_valid_id("Churn"));
        assert!(!is_valid_id("_x"));
        assert!(is_valid_input_name("_x"));
        assert!(is_valid_input_name("New_MRR"));
        assert!(!is_valid_input_name("2x"));
        assert!(!is_valid_input_name(""));
    }
}
