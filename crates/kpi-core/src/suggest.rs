//! "Did you mean" suggestions for misspelt keys, names and values.

/// The candidate closest to `word`, if it is close enough to be a likely typo.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<String> {
    // The distance is at least the difference in length: a candidate too long or too short
    // to pass the test below is skipped before the quadratic comparison.
    let chars = word.chars().count();
    let near = |c: &str| {
        let bound = (word.len().max(c.len()) / 3).max(1);
        chars.abs_diff(c.chars().count()) <= bound || (word.len() >= 3 && c.starts_with(word))
    };
    candidates
        .into_iter()
        .filter(|c| *c != word && near(c))
        .map(|c| (strsim::damerau_levenshtein(word, c), c))
        // Close in spelling, or an abbreviation (`warn` for `warning`).
        .filter(|&(d, c)| {
            d <= (word.len().max(c.len()) / 3).max(1) || (word.len() >= 3 && c.starts_with(word))
        })
        .min()
        .map(|(_, c)| c.to_string())
}

#[cfg(test)]
mod tests {
    use super::closest;

    #[test]
    fn suggests_near_misses_only() {
        let keys = ["formula", "name", "unit"];
        assert_eq!(closest("formul", keys), Some("formula".into()));
        assert_eq!(closest("nmae", keys), Some("name".into()));
        assert_eq!(closest("zzzzzz", keys), None);
        assert_eq!(
            closest("warn", ["value", "warning"]),
            Some("warning".into())
        );
        assert_eq!(closest("fo", keys), None);
    }
}
