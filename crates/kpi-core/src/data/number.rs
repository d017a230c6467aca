//! Number cells: plain decimal numbers in the file's dialect, thousands grouped by three as
//! spreadsheets write them (`1 234 567,89`, `1,234,567.89`), with a hint that says exactly what
//! to change when a cell is anything else. Nothing is guessed.

/// A source's decimal mark, as `decimal = ","` or `"."` on its `[[sources]]` entry gives it.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, serde::Serialize, schemars::JsonSchema,
)]
pub enum DecimalMark {
    /// `1234,5`: a decimal comma (thousands may be grouped with spaces).
    #[serde(rename = ",")]
    Comma,
    /// `1234.5`: a decimal point (thousands may be grouped with commas).
    #[serde(rename = ".")]
    Point,
}

impl DecimalMark {
    /// The dialect of numbers with this mark.
    pub(crate) fn dialect(self) -> Dialect {
        match self {
            DecimalMark::Comma => Dialect::DecimalComma,
            DecimalMark::Point => Dialect::DecimalPoint,
        }
    }
}

/// How a file writes decimals.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Dialect {
    /// `1234.5`, with `,` or tab between fields.
    DecimalPoint,
    /// `1234,5`, with `;` between fields (the French spreadsheet export).
    DecimalComma,
}

/// Why a cell is not a number: the hint that tells how to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct NumberError {
    /// What kind of mistake it is, the same for every cell with the same mistake (so that
    /// they are reported together).
    pub(crate) kind: &'static str,
    /// What to write instead.
    pub(crate) hint: String,
}

/// How to write a yes/no cell, for messages.
pub(crate) const YES_NO_HINT: &str =
    "write yes or no: `true`/`false`, `yes`/`no`, `oui`/`non`, `1`/`0`, or `x` for yes";

/// A yes/no cell: `None` when empty (in a checklist column, one marked `x`, the dataset reads
/// it as a no), 1 for
/// `true`, `yes`, `oui`, `vrai`, `1`, `x`; 0 for `false`, `no`, `non`, `faux`, `0`; any case.
pub(crate) fn parse_yes_no(cell: &str) -> Result<Option<f64>, NumberError> {
    let text = cell.trim_matches(|c: char| c == ' ' || c == '\t');
    const YES: [&str; 6] = ["true", "yes", "oui", "vrai", "1", "x"];
    const NO: [&str; 5] = ["false", "no", "non", "faux", "0"];
    if text.is_empty() {
        Ok(None)
    } else if YES.iter().any(|w| w.eq_ignore_ascii_case(text)) {
        Ok(Some(1.0))
    } else if NO.iter().any(|w| w.eq_ignore_ascii_case(text)) {
        Ok(Some(0.0))
    } else {
        Err(NumberError {
            kind: "not yes or no",
            hint: YES_NO_HINT.into(),
        })
    }
}

/// A cell's number: `None` for an empty cell, an error for anything that is not a plain
/// finite decimal number in the dialect.
pub(crate) fn parse_number(cell: &str, dialect: Dialect) -> Result<Option<f64>, NumberError> {
    let text = cell.trim_matches(|c: char| c == ' ' || c == '\t');
    if text.is_empty() {
        return Ok(None);
    }
    match plain(text, dialect) {
        Some(Ok(v)) => Ok(Some(v)),
        Some(Err(())) => Err(NumberError {
            kind: "too large",
            hint: "the number is too large; write it in full, or check the cell".into(),
        }),
        None => {
            let (kind, hint) = hint(text, dialect);
            Err(NumberError { kind, hint })
        }
    }
}

/// The decimal mark a number cell shows: `1234,5` (or `1 234,5`, `1,234`) a comma, `1234.5`
/// (or `1,234.5`) a point; `None` for a cell with no mark, or that is no number.
pub(crate) fn decimal_mark(cell: &str) -> Option<DecimalMark> {
    let text = cell.trim_matches(|c: char| c == ' ' || c == '\t');
    match (text.contains(','), text.contains('.')) {
        (true, false) if plain(text, Dialect::DecimalComma).is_some() => Some(DecimalMark::Comma),
        (_, true) if plain(text, Dialect::DecimalPoint).is_some() => Some(DecimalMark::Point),
        _ => None,
    }
}

/// The value of a plain number in the dialect; `None` if the text is not one, `Err` if it
/// is one but not finite.
fn plain(text: &str, dialect: Dialect) -> Option<Result<f64, ()>> {
    let mark = match dialect {
        Dialect::DecimalPoint => b'.',
        Dialect::DecimalComma => b',',
    };
    if let Some(value) = short_decimal(text.as_bytes(), mark) {
        return Some(Ok(value));
    }
    if is_plain_number(text.as_bytes(), mark) {
        return Some(value(text, mark));
    }
    // Grouped thousands are the exception: the plain form is tried first, without a copy.
    match ungrouped(text, dialect) {
        Some(Ok(digits)) if is_plain_number(digits.as_bytes(), mark) => Some(value(&digits, mark)),
        _ => None,
    }
}

/// The value of a plain number whose decimal mark is `mark`; `Err` when it is not finite.
fn value(text: &str, mark: u8) -> Result<f64, ()> {
    let value = if mark == b',' && text.contains(',') {
        // A copy with the decimal mark Rust reads (plain numbers have no other comma), on the
        // stack: a French export has one in almost every cell.
        let mut buffer = [0u8; 64];
        match buffer.get_mut(..text.len()) {
            Some(copy) => {
                copy.copy_from_slice(text.as_bytes());
                copy.iter_mut()
                    .filter(|b| **b == b',')
                    .for_each(|b| *b = b'.');
                std::str::from_utf8(copy)
                    .expect("ASCII digits and signs")
                    .parse::<f64>()
            }
            None => text.replacen(',', ".", 1).parse::<f64>(),
        }
    } else {
        text.parse::<f64>()
    };
    value.ok().filter(|v| v.is_finite()).ok_or(())
}

/// The thousands separators of a dialect: a space, a no-break space or a narrow no-break
/// space where the decimal mark is a comma (what French spreadsheets write), a comma where it
/// is a point.
fn separators(dialect: Dialect) -> &'static [char] {
    match dialect {
        Dialect::DecimalComma => &[' ', '\u{a0}', '\u{202f}'],
        Dialect::DecimalPoint => &[','],
    }
}

/// A number whose integer part has thousands separators, without them: `Ok` when they split
/// its digits in threes (`1 234 567,89`), `Err` when they do not (`12 34,5`); `None` when the
/// integer part has no separator, or holds something else than digits and separators.
pub(crate) fn ungrouped(text: &str, dialect: Dialect) -> Option<Result<String, ()>> {
    let seps = separators(dialect);
    let mark = match dialect {
        Dialect::DecimalComma => ',',
        Dialect::DecimalPoint => '.',
    };
    let body = text.strip_prefix(['+', '-']).unwrap_or(text);
    let sign = &text[..text.len() - body.len()];
    let end = body.find([mark, 'e', 'E']).unwrap_or(body.len());
    let (int, rest) = body.split_at(end);
    if !int.contains(seps)
        || rest.contains(seps)
        || !int.chars().all(|c| c.is_ascii_digit() || seps.contains(&c))
    {
        return None;
    }
    let mut groups = int.split(seps);
    let first = groups.next().unwrap_or_default();
    if !(1..=3).contains(&first.len()) || !groups.all(|g| g.len() == 3) {
        return Some(Err(()));
    }
    let mut plain = String::with_capacity(text.len());
    plain.push_str(sign);
    plain.extend(int.chars().filter(char::is_ascii_digit));
    plain.push_str(rest);
    Some(Ok(plain))
}

/// The value of `[+-]digits[<mark>digits]` with at most 15 digits in all, read in one pass;
/// `None` for any other text, which the general path reads.
///
/// Most cells of an export are such numbers. Their digits make a whole number under 10¹⁵,
/// exact in a double, as is 10^k for their k decimals, so one correctly rounded division
/// gives the double nearest the decimal: what Rust's parser gives (Clinger's fast path).
fn short_decimal(b: &[u8], mark: u8) -> Option<f64> {
    const POW10: [f64; 16] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
    ];
    let (negative, body) = match b.split_first() {
        Some((b'-', rest)) => (true, rest),
        Some((b'+', rest)) => (false, rest),
        _ => (false, b),
    };
    let mut mantissa = 0u64;
    let mut digits = 0usize;
    let mut decimals = None;
    for (i, &byte) in body.iter().enumerate() {
        if byte.is_ascii_digit() {
            mantissa = mantissa * 10 + u64::from(byte - b'0');
            digits += 1;
            if digits > 15 {
                return None;
            }
        } else if byte == mark && decimals.is_none() {
            decimals = Some(body.len() - i - 1);
        } else {
            return None;
        }
    }
    if digits == 0 {
        return None;
    }
    // Under 10¹⁵: exact in a double.
    #[allow(clippy::cast_precision_loss)]
    let value = mantissa as f64 / POW10[decimals.unwrap_or(0)];
    Some(if negative { -value } else { value })
}

/// `[+-]digits[<mark>digits][e[+-]digits]`, or `<mark>digits`, and nothing else.
fn is_plain_number(b: &[u8], mark: u8) -> bool {
    let mut i = usize::from(matches!(b.first(), Some(b'+' | b'-')));
    let digits = |i: &mut usize| {
        let start = *i;
        while *i < b.len() && b[*i].is_ascii_digit() {
            *i += 1;
        }
        *i - start
    };
    let int = digits(&mut i);
    let mut frac = 0;
    if i < b.len() && b[i] == mark {
        i += 1;
        frac = digits(&mut i);
    }
    if int + frac == 0 {
        return false;
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        i += 1;
        if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}

/// Symbols that spreadsheets put beside numbers, which a cell must not hold.
const SYMBOLS: &[&str] = &["€", "$", "£", "¥", "%", "CHF", "EUR", "USD", "GBP"];

fn hint(text: &str, dialect: Dialect) -> (&'static str, String) {
    let comma = dialect == Dialect::DecimalComma;
    // A number with a unit or currency sign: name the sign to remove.
    for symbol in SYMBOLS {
        if let Some(rest) = text
            .strip_suffix(symbol)
            .or_else(|| text.strip_prefix(symbol))
        {
            let rest = rest.trim_matches([' ', '\u{a0}', '\u{202f}']);
            if plain(rest, dialect).is_some() {
                return if *symbol == "%" {
                    (
                        "percent sign",
                        format!("remove the `%`: write the percentage as a plain number, `{rest}`"),
                    )
                } else {
                    (
                        "currency sign",
                        format!(
                            "remove the `{symbol}`: write the amount as a plain number, `{rest}`"
                        ),
                    )
                };
            }
        }
    }
    let lower = text.to_ascii_lowercase();
    let (kind, hint): (&str, String) = if text.contains('%') {
        (
            "percent",
            "write percentages as plain numbers, `12` for 12 %".into(),
        )
    } else if [
        "nan", "n/a", "na", "null", "none", "-", "inf", "-inf", "+inf", "infinity", "#div/0!",
        "#n/a", "#value!",
    ]
    .contains(&lower.as_str())
    {
        ("missing", "leave the cell empty for a missing value".into())
    } else if lower.starts_with("0x") {
        ("hexadecimal", "write numbers in decimal".into())
    } else if misgrouped(text, dialect) {
        let (grouped, bare) = if comma {
            ("1 234 567,89", "1234567,89")
        } else {
            ("1,234,567.89", "1234567.89")
        };
        (
            "grouping",
            format!(
                "thousands separators split the digits in threes, `{grouped}`: group them so, or remove them, `{bare}`"
            ),
        )
    } else if text.contains([' ', '\u{a0}', '\u{202f}', '\'']) {
        if comma {
            (
                "thousands",
                "remove the thousands separators: `1234,5`, not `1 234,5`".into(),
            )
        } else {
            (
                "thousands",
                "remove the thousands separators: `1234`, not `1 234`".into(),
            )
        }
    } else if comma && text.contains('.') && text.contains(',') {
        (
            "thousands",
            "remove the thousands separators: `1234,5`, not `1.234,5`".into(),
        )
    } else if comma && text.contains('.') && plain(text, Dialect::DecimalPoint).is_some() {
        (
            "decimal point",
            format!(
                "this file has `;` between fields, so its decimal mark is `,`: write `{}` if `.` marks decimals, or remove the `.` if it separates thousands",
                text.replacen('.', ",", 1)
            ),
        )
    } else if text.contains(',') && !comma {
        ("decimal comma", "use `.` for decimals and no thousands separator, or save the file with `;` between fields and decimal commas".into())
    } else {
        (
            "not a number",
            "write a plain number such as `1234.5`, or leave the cell empty for a missing value"
                .into(),
        )
    };
    (kind, hint)
}

/// Whether a cell is a number whose thousands separators do not split its digits in threes;
/// in the `.` dialect, a lone comma is more likely a decimal comma, with a hint of its own.
fn misgrouped(text: &str, dialect: Dialect) -> bool {
    let decimal_comma =
        dialect == Dialect::DecimalPoint && text.matches(',').count() == 1 && !text.contains('.');
    !decimal_comma && ungrouped(text, dialect) == Some(Err(()))
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    proptest! {
        /// Any text never panics the number parser (nor its hints, nor the decimal mark's guess),
        /// in either dialect.
        #[test]
        fn any_unicode_number_cell_is_read_or_refused(
            head in "(1|1,5|1\\.555|93,00|12|-|1 234|1\u{a0}23|-12\u{202f}345,|1,234,|12,34\\.|)",
            tail in "\\PC{0,12}",
        ) {
            let cell = format!("{head}{tail}");
            for dialect in [super::Dialect::DecimalPoint, super::Dialect::DecimalComma] {
                let _ = super::parse_number(&cell, dialect);
            }
            let _ = super::decimal_mark(&cell);
        }
    }

    proptest! {
        /// The one-pass reading of a short decimal gives what Rust's parser gives, in both
        /// dialects, and declines anything with more than 15 digits or another character.
        #[test]
        fn short_decimals_read_as_rust_reads_them(
            cell in "[+-]?[0-9]{0,9}(\\.[0-9]{0,9})?|[0-9]{14,17}|[0-9]{1,8}\\.[0-9]{6,10}e?",
        ) {
            let rust = cell.parse::<f64>().ok();
            let digits = cell.bytes().filter(u8::is_ascii_digit).count();
            match super::short_decimal(cell.as_bytes(), b'.') {
                Some(value) => {
                    prop_assert!(digits <= 15);
                    prop_assert_eq!(Some(value.to_bits()), rust.map(f64::to_bits), "{}", cell);
                }
                None => prop_assert!(digits == 0 || digits > 15 || cell.ends_with('e')),
            }
            let comma = cell.replace('.', ",");
            prop_assert_eq!(
                super::short_decimal(comma.as_bytes(), b',').map(f64::to_bits),
                super::short_decimal(cell.as_bytes(), b'.').map(f64::to_bits)
            );
        }
    }

    use super::*;

    const POINT: Dialect = Dialect::DecimalPoint;
    const COMMA: Dialect = Dialect::DecimalComma;

    #[test]
    fn reads_plain_numbers() {
        assert_eq!(parse_number(" 12.5 ", POINT), Ok(Some(12.5)));
        assert_eq!(parse_number("-3e2", POINT), Ok(Some(-300.0)));
        assert_eq!(parse_number(".5", POINT), Ok(Some(0.5)));
        assert_eq!(parse_number("1234,5", COMMA), Ok(Some(1234.5)));
        assert_eq!(parse_number("7", COMMA), Ok(Some(7.0)));
        assert_eq!(parse_number("", COMMA), Ok(None));
        assert_eq!(parse_number("  ", POINT), Ok(None));
    }

    #[test]
    fn reads_thousands_grouped_by_three() {
        assert_eq!(parse_number("1 234 567,89", COMMA), Ok(Some(1_234_567.89)));
        assert_eq!(parse_number("175\u{a0}329,11", COMMA), Ok(Some(175_329.11)));
        assert_eq!(parse_number("-1\u{202f}000", COMMA), Ok(Some(-1000.0)));
        assert_eq!(parse_number("1,234,567.89", POINT), Ok(Some(1_234_567.89)));
        assert_eq!(parse_number("+12,345", POINT), Ok(Some(12_345.0)));
        // Separators of the other dialect stay errors.
        assert!(parse_number("1 234.5", POINT).is_err());
        assert!(parse_number("1.234,5", COMMA).is_err());
    }

    #[test]
    fn separators_that_do_not_split_in_threes_are_refused_with_a_hint() {
        for (cell, dialect, grouped) in [
            ("12 34,5", COMMA, "`1 234 567,89`"),
            ("1 2345", COMMA, "`1 234 567,89`"),
            ("1234 567", COMMA, "`1 234 567,89`"),
            ("12,34,567.5", POINT, "`1,234,567.89`"),
            ("1,23.5", POINT, "`1,234,567.89`"),
        ] {
            let e = parse_number(cell, dialect).unwrap_err();
            assert_eq!(e.kind, "grouping", "{cell}");
            assert!(e.hint.contains(grouped), "{cell}: {}", e.hint);
        }
        // A lone comma in the `.` dialect keeps the decimal comma's hint.
        assert_eq!(
            parse_number("1,5", POINT).unwrap_err().kind,
            "decimal comma"
        );
    }

    #[test]
    fn a_dot_in_a_decimal_comma_file_is_never_read_silently() {
        let e = parse_number("1.555", COMMA).unwrap_err();
        assert!(e.hint.contains("write `1,555`"), "{}", e.hint);
        assert!(
            parse_number("1.234,5", COMMA)
                .unwrap_err()
                .hint
                .contains("thousands")
        );
    }

    #[test]
    fn hints_name_the_symbol() {
        assert_eq!(
            parse_number("93,00 €", COMMA).unwrap_err().hint,
            "remove the `€`: write the amount as a plain number, `93,00`"
        );
        assert_eq!(
            parse_number("12 %", POINT).unwrap_err().hint,
            "remove the `%`: write the percentage as a plain number, `12`"
        );
        assert!(
            parse_number("$6.00", POINT)
                .unwrap_err()
                .hint
                .contains("`$`")
        );
        for bad in [
            "N/A", "NaN", "inf", "1e999", "0x10", "1 234", "1,5", "abc", "1.2.3", "--1", "1e",
        ] {
            assert!(parse_number(bad, POINT).is_err(), "{bad}");
        }
    }
}
