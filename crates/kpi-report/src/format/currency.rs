//! Amounts of money with their currency symbol, placed as the locale places it (CLDR):
//! `€1,234.50`, `CHF 1,234.50`, `1 234,50 €`.

use super::grouped;
use crate::locale::Symbols;

/// `value` with `decimals` digits and the currency `symbol`. A symbol written before the
/// number is separated from it by a no-break space when it ends in a letter (`CHF 12.00`,
/// CLDR's currency spacing); after the number it always is (`12,00 €`). The sign comes
/// first: `-€6.00`, `-6,00 €`.
pub fn money(value: f64, decimals: u8, symbol: &str, symbols: &Symbols) -> String {
    let text = grouped(value, decimals, symbols);
    let (sign, digits) = match text.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", text.as_str()),
    };
    if symbols.currency_first {
        let space = if symbol.chars().last().is_some_and(char::is_alphabetic) {
            symbols.unit_space
        } else {
            ""
        };
        format!("{sign}{symbol}{space}{digits}")
    } else {
        format!("{sign}{digits}{}{symbol}", symbols.unit_space)
    }
}

#[cfg(test)]
mod tests {
    use super::money;
    use crate::locale::Locale;

    #[test]
    fn english_puts_the_symbol_first() {
        let en = &Locale::En.words().numbers;
        assert_eq!(money(1_234_567.5, 2, "€", en), "€1,234,567.50");
        assert_eq!(money(6.0, 2, "$", en), "$6.00");
        assert_eq!(money(-6.0, 2, "$", en), "-$6.00");
        assert_eq!(money(12.0, 2, "CHF", en), "CHF\u{a0}12.00");
    }

    #[test]
    fn french_puts_it_last_after_a_no_break_space() {
        let fr = &Locale::Fr.words().numbers;
        assert_eq!(
            money(1_234_567.5, 2, "€", fr),
            "1\u{202f}234\u{202f}567,50\u{a0}€"
        );
        assert_eq!(money(-6.0, 2, "$US", fr), "-6,00\u{a0}$US");
    }
}
