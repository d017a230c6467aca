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

/// The candidate nearest to `word`, so that a message can always name one: the closest
/// spelling when one is a likely typo, else the one fewest edits away in any case (the first
/// 1 000 candidates are compared, to keep the cost bounded).
pub fn nearest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<String> {
    let candidates: Vec<&str> = candidates.into_iter().take(1_000).collect();
    closest(word, candidates.iter().copied()).or_else(|| {
        let lower = word.to_lowercase();
        candidates
            .iter()
            .filter(|c| !c.trim().is_empty())
            .min_by_key(|c| strsim::damerau_levenshtein(&lower, &c.to_lowercase()))
            .map(|c| (*c).to_string())
    })
}

/// The allowed value meant by `value`, one of `expected`: the same in other capitals
/// (`"KPI"` → `"kpi"`), a word people use for it (`"up"` → `"higher_is_better"`, `"euro"` →
/// `"currency"`), or the closest spelling.
pub fn value<'a>(
    value: &str,
    expected: impl IntoIterator<Item = &'a str> + Clone,
) -> Option<String> {
    let lower = value.trim().to_lowercase();
    if let Some(same) = expected.clone().into_iter().find(|e| *e == lower) {
        return Some(same.to_string());
    }
    let meant = match lower.as_str() {
        "up" | "higher" | "high" | "increase" | "increasing" | "ascending" | "more" | "max"
        | "maximize" | "maximise" | "bigger_is_better" | "higher_better" => "higher_is_better",
        "down" | "lower" | "low" | "decrease" | "decreasing" | "descending" | "less" | "min"
        | "minimize" | "minimise" | "smaller_is_better" | "lower_better" => "lower_is_better",
        "range" | "between" | "inside" | "band" => "within",
        "euro" | "euros" | "eur" | "€" | "usd" | "dollar" | "dollars" | "$" | "gbp" | "money"
        | "amount" | "price" => "currency",
        "%" | "pct" | "percentage" | "rate" | "ratio_percent" => "percent",
        "integer" | "int" | "quantity" | "number_of" | "units" | "users" | "customers" => "count",
        "float" | "decimal" | "ratio" | "real" => "number",
        "second" | "s" | "sec" | "secs" | "duration" | "time" => "seconds",
        "rating" | "points" | "nps" | "csat" => "score",
        "total" | "add" => "sum",
        "average" | "avg" => "mean",
        "kpis" | "objective" => "kpi",
        "metrics" | "measure" => "metric",
        _ => "",
    };
    if let Some(found) = expected.clone().into_iter().find(|e| *e == meant) {
        return Some(found.to_string());
    }
    closest(value, expected)
}

#[cfg(test)]
mod tests {
    use super::{closest, nearest, value};

    #[test]
    fn the_nearest_is_named_even_when_no_typo_is_likely() {
        let header = ["period", "Clients", "Résiliations"];
        // Too far for a "did you mean", but still the nearest.
        assert_eq!(closest("Nombre de clients", header), None);
        assert_eq!(nearest("Nombre de clients", header), Some("Clients".into()));
        assert_eq!(nearest("Resiliation", header), Some("Résiliations".into()));
        assert_eq!(nearest("x", []), None);
    }

    #[test]
    fn suggests_the_value_meant() {
        let kinds = ["kpi", "metric"];
        assert_eq!(value("KPI", kinds), Some("kpi".into()));
        assert_eq!(value("Metric", kinds), Some("metric".into()));
        let directions = ["higher_is_better", "lower_is_better", "within"];
        assert_eq!(value("up", directions), Some("higher_is_better".into()));
        assert_eq!(value("down", directions), Some("lower_is_better".into()));
        assert_eq!(
            value("higher_is_beter", directions),
            Some("higher_is_better".into())
        );
        let units = ["percent", "currency", "count", "number", "seconds", "score"];
        assert_eq!(value("euro", units), Some("currency".into()));
        assert_eq!(value("%", units), Some("percent".into()));
        // A word meant for another key suggests nothing here.
        assert_eq!(value("up", units), None);
        assert_eq!(value("zzz", units), None);
    }

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
