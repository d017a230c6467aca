//! Number cells: plain decimal numbers only, in the file's dialect, with a hint that says
//! exactly what to change when a cell is anything else. Nothing is guessed.

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

/// The value of a plain number in the dialect; `None` if the text is not one, `Err` if it
/// is one but not finite.
fn plain(text: &str, dialect: Dialect) -> Option<Result<f64, ()>> {
    let mark = match dialect {
        Dialect::DecimalPoint => b'.',
        Dialect::DecimalComma => b',',
    };
    if !is_plain_number(text.as_bytes(), mark) {
        return None;
    }
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
    Some(value.ok().filter(|v| v.is_finite()).ok_or(()))
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

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    proptest! {
        /// Any text never panics the number parser (nor its hints), in either dialect.
        #[test]
        fn any_unicode_number_cell_is_read_or_refused(
            head in "(1|1,5|1\\.555|93,00|12|-|)",
            tail in "\\PC{0,12}",
        ) {
            let cell = format!("{head}{tail}");
            for dialect in [super::Dialect::DecimalPoint, super::Dialect::DecimalComma] {
                let _ = super::parse_number(&cell, dialect);
            }
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
