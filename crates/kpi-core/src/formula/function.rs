//! The functions a formula may call, in one table ([`FUNCTIONS`]): name, arity, the names
//! spreadsheets give them, doc and how each applies.
//!
//! Everything else reads this table: the scanner's rewrite of a spreadsheet formula, the
//! parser (names, arities, `if` and `prev` as special forms), the compiler and both
//! evaluators (through [`Func`]), the messages for an unknown function or a wrong number of
//! arguments, and the lists of functions in `kpi new`'s template and in the schema's docs
//! ([`summary`]). Adding a function is one row here plus its tests; a test checks that the
//! README lists exactly the functions of the table. This module imports nothing of the crate,
//! so that the scanner and the parser both sit above it.

use std::fmt;

/// One function a formula may call.
#[derive(Debug)]
pub struct FunctionSpec {
    /// Its name in a formula, lowercase.
    pub name: &'static str,
    /// How lists of functions (`kpi new`'s template, the schema's docs) write it: the name,
    /// or a call when the name alone does not say what the arguments are.
    pub usage: &'static str,
    /// How many arguments it takes.
    pub arity: Arity,
    /// Lowercase names spreadsheets give it in other languages (French `si`, German `wenn`…),
    /// turned into [`Self::name`] by the hint for a formula copied from a spreadsheet. The
    /// name itself in capitals (`IF`) needs no alias.
    pub aliases: &'static [&'static str],
    /// What it gives, in a few words.
    pub doc: &'static str,
    /// How it applies to its arguments.
    pub apply: Apply,
}

/// How many arguments a function takes: from `min` to `max`, or any number from `min`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Arity {
    /// The fewest.
    pub min: usize,
    /// The most, if there is a limit.
    pub max: Option<usize>,
}

impl Arity {
    /// Exactly `n` arguments.
    pub const fn exactly(n: usize) -> Self {
        Self {
            min: n,
            max: Some(n),
        }
    }

    /// From `min` to `max` arguments.
    pub const fn between(min: usize, max: usize) -> Self {
        Self {
            min,
            max: Some(max),
        }
    }

    /// `min` arguments or more.
    pub const fn at_least(min: usize) -> Self {
        Self { min, max: None }
    }

    /// Whether a call may give `n` arguments.
    pub fn accepts(self, n: usize) -> bool {
        n >= self.min && self.max.is_none_or(|max| n <= max)
    }
}

/// In words, as the message for a wrong number of arguments says it: "one argument", "one or
/// two arguments", "two or more arguments".
impl fmt::Display for Arity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let plural = if self.max == Some(1) { "" } else { "s" };
        match self.max {
            Some(max) if max == self.min => write!(f, "{}", in_words(max)),
            Some(max) => write!(f, "{} or {}", in_words(self.min), in_words(max)),
            None => write!(f, "{} or more", in_words(self.min)),
        }?;
        write!(f, " argument{plural}")
    }
}

/// A small count in words, as messages write it.
fn in_words(n: usize) -> String {
    const WORDS: [&str; 11] = [
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    ];
    WORDS
        .get(n)
        .map_or_else(|| n.to_string(), |w| (*w).to_string())
}

/// How a function applies to its arguments.
#[derive(Debug, Clone, Copy)]
pub enum Apply {
    /// A function of numbers, compiled and evaluated through [`Func`].
    Numeric(Numeric),
    /// `if(condition, a, b)`: a special form with an expression of its own, which evaluates
    /// only the branch it takes and whose condition is true/false.
    If,
    /// `prev(name, k)`: a special form with an expression of its own, which reads a name `k`
    /// months earlier; its arguments are a name and a whole number, not values.
    Prev,
}

/// A function of numbers: how its arguments, all present, give its value.
#[derive(Debug, Clone, Copy)]
pub enum Numeric {
    /// Of one number; a non-finite result (`sqrt(-1)`) is no value.
    Map(fn(f64) -> f64),
    /// Of two or more numbers, folded left to right (`min(a, b, c)` is `min(min(a, b), c)`);
    /// it gives a finite result for finite arguments.
    Fold(fn(f64, f64) -> f64),
}

const fn map(f: fn(f64) -> f64) -> Apply {
    Apply::Numeric(Numeric::Map(f))
}

const fn fold(f: fn(f64, f64) -> f64) -> Apply {
    Apply::Numeric(Numeric::Fold(f))
}

/// Every function a formula may call, in the order messages and docs list them.
pub static FUNCTIONS: &[FunctionSpec] = &[
    FunctionSpec {
        name: "if",
        usage: "if(condition, a, b)",
        arity: Arity::exactly(3),
        // French, Spanish `si`; German `wenn`; Italian, Portuguese `se`.
        aliases: &["si", "wenn", "se"],
        doc: "`a` when the condition holds, else `b`; only the branch taken is evaluated",
        apply: Apply::If,
    },
    FunctionSpec {
        name: "min",
        usage: "min",
        arity: Arity::at_least(2),
        aliases: &[],
        doc: "the smallest argument",
        apply: fold(f64::min),
    },
    FunctionSpec {
        name: "max",
        usage: "max",
        arity: Arity::at_least(2),
        aliases: &[],
        doc: "the largest argument",
        apply: fold(f64::max),
    },
    FunctionSpec {
        name: "abs",
        usage: "abs",
        arity: Arity::exactly(1),
        aliases: &[],
        doc: "the absolute value",
        apply: map(f64::abs),
    },
    FunctionSpec {
        name: "floor",
        usage: "floor",
        arity: Arity::exactly(1),
        aliases: &["plancher", "untergrenze"],
        doc: "rounded down",
        apply: map(f64::floor),
    },
    FunctionSpec {
        name: "ceil",
        usage: "ceil",
        arity: Arity::exactly(1),
        aliases: &["plafond", "obergrenze"],
        doc: "rounded up",
        apply: map(f64::ceil),
    },
    FunctionSpec {
        name: "round",
        usage: "round",
        arity: Arity::exactly(1),
        aliases: &["arrondi", "runden", "redondear", "arredonda", "arrotonda"],
        doc: "rounded half away from zero",
        apply: map(f64::round),
    },
    FunctionSpec {
        name: "sqrt",
        usage: "sqrt",
        arity: Arity::exactly(1),
        aliases: &["racine", "wurzel", "raiz", "radq"],
        doc: "the square root",
        apply: map(f64::sqrt),
    },
    FunctionSpec {
        name: "ln",
        usage: "ln",
        arity: Arity::exactly(1),
        aliases: &[],
        doc: "the natural logarithm",
        apply: map(f64::ln),
    },
    FunctionSpec {
        name: "exp",
        usage: "exp",
        arity: Arity::exactly(1),
        aliases: &[],
        doc: "e to the power of the argument",
        apply: map(f64::exp),
    },
    FunctionSpec {
        name: "prev",
        usage: "prev(name) and prev(name, k)",
        arity: Arity::between(1, 2),
        aliases: &[],
        doc: "an input or metric one month earlier, or `k` months earlier (1 to 120)",
        apply: Apply::Prev,
    },
];

/// The function called `name` in a formula, if there is one.
pub fn get(name: &str) -> Option<&'static FunctionSpec> {
    FUNCTIONS.iter().find(|f| f.name == name)
}

/// Every function's name, in the table's order.
pub fn names() -> impl Iterator<Item = &'static str> + Clone {
    FUNCTIONS.iter().map(|f| f.name)
}

/// The function a spreadsheet's name stands for: the same name in other capitals (`IF`), or
/// one of its [aliases](FunctionSpec::aliases) in any capitals (`SI`, `ARRONDI`).
pub fn spreadsheet(name: &str) -> Option<&'static FunctionSpec> {
    let lower = name.to_lowercase();
    get(&lower).or_else(|| {
        FUNCTIONS
            .iter()
            .find(|f| f.aliases.contains(&lower.as_str()))
    })
}

/// The functions as lists of what a formula may hold write them:
/// `if(condition, a, b), min, …, exp, prev(name) and prev(name, k)`.
pub fn summary() -> String {
    FUNCTIONS
        .iter()
        .map(|f| f.usage)
        .collect::<Vec<_>>()
        .join(", ")
}

/// A function of numbers (`min`, `round`…) as a formula calls it: a row of [`FUNCTIONS`]
/// whose [`Apply`] is [`Apply::Numeric`].
#[derive(Clone, Copy)]
pub struct Func {
    name: &'static str,
    numeric: Numeric,
}

impl Func {
    /// The function of numbers of the row named `name`, which applies as `numeric`.
    pub(super) fn new(name: &'static str, numeric: Numeric) -> Self {
        Self { name, numeric }
    }

    /// Its name, as messages (and reasons for a missing value) give it.
    pub fn name(self) -> &'static str {
        self.name
    }

    /// How it applies to its arguments.
    pub fn numeric(self) -> Numeric {
        self.numeric
    }
}

/// Names are unique in the table, so a function is its name.
impl PartialEq for Func {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
    }
}

impl Eq for Func {}

impl fmt::Debug for Func {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    #[test]
    fn rows_are_consistent() {
        let mut seen = BTreeSet::new();
        for f in FUNCTIONS {
            assert!(seen.insert(f.name), "`{}` twice", f.name);
            assert!(
                f.name
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_'),
                "`{}` is not a lowercase name",
                f.name
            );
            assert!(f.usage.starts_with(f.name), "`{}`: {}", f.name, f.usage);
            assert!(!f.doc.is_empty(), "`{}` has no doc", f.name);
            // The compiler and both evaluators apply a map to one argument and fold the
            // others pairwise.
            match f.apply {
                Apply::Numeric(Numeric::Map(_)) => assert_eq!(f.arity, Arity::exactly(1)),
                Apply::Numeric(Numeric::Fold(_)) => assert_eq!(f.arity, Arity::at_least(2)),
                Apply::If | Apply::Prev => {}
            }
        }
        // An alias is no function's name and stands for one function only.
        for f in FUNCTIONS {
            for alias in f.aliases {
                assert!(get(alias).is_none(), "alias `{alias}` is a function");
                assert!(seen.insert(alias), "alias `{alias}` twice");
                assert_eq!(
                    alias.to_lowercase(),
                    *alias,
                    "alias `{alias}` is not lowercase"
                );
            }
        }
    }

    #[test]
    fn arity_in_words() {
        assert_eq!(Arity::exactly(1).to_string(), "one argument");
        assert_eq!(Arity::exactly(3).to_string(), "three arguments");
        assert_eq!(Arity::between(1, 2).to_string(), "one or two arguments");
        assert_eq!(Arity::at_least(2).to_string(), "two or more arguments");
        assert!(Arity::between(1, 2).accepts(2) && !Arity::between(1, 2).accepts(3));
        assert!(Arity::at_least(2).accepts(200) && !Arity::at_least(2).accepts(1));
    }

    #[test]
    fn spreadsheet_names() {
        let meant = |name| spreadsheet(name).map(|f| f.name);
        assert_eq!(meant("IF"), Some("if"));
        assert_eq!(meant("SI"), Some("if"));
        assert_eq!(meant("Arrondi"), Some("round"));
        assert_eq!(meant("RAIZ"), Some("sqrt"));
        assert_eq!(meant("SOMME"), None);
    }

    /// The README's section on formulas lists every function of the table and no other: each
    /// code span of its first paragraph that is a name, or a call (`prev(name, k)`), names a
    /// function, except the arguments of the calls it shows (`k`).
    #[test]
    fn readme_lists_every_function() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../README.md");
        let readme = std::fs::read_to_string(path).unwrap();
        let section = readme
            .split_once("\n### Formulas\n")
            .expect("the README has a section `### Formulas`")
            .1;
        let paragraph = section.trim_start().split("\n\n").next().unwrap();
        let spans: Vec<&str> = paragraph.split('`').skip(1).step_by(2).collect();
        let is_name = |s: &str| {
            s.starts_with(|c: char| c.is_ascii_lowercase())
                && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        };
        let mut calls = BTreeSet::new();
        let mut arguments = BTreeSet::new();
        let mut bare = BTreeSet::new();
        for span in spans {
            if let Some((name, args)) = span.split_once('(').filter(|(name, _)| is_name(name)) {
                calls.insert(name);
                let args = args.trim_end_matches(')').split(',').map(str::trim);
                arguments.extend(args.filter(|a| is_name(a)));
            } else if is_name(span) {
                bare.insert(span);
            }
        }
        let listed: BTreeSet<&str> = calls
            .into_iter()
            .chain(bare.into_iter().filter(|s| !arguments.contains(s)))
            .collect();
        let table: BTreeSet<&str> = names().collect();
        let missing: Vec<_> = table.difference(&listed).collect();
        let extra: Vec<_> = listed.difference(&table).collect();
        assert!(
            missing.is_empty() && extra.is_empty(),
            "README, section \"Formulas\": functions of the table not listed: {missing:?}; \
             listed but not in the table: {extra:?}"
        );
    }
}
