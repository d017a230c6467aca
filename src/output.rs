//! Small helpers shared by the subcommands' outputs: numbers, tables, CSV fields.

use crate::terminal;

/// A number written out exactly (the shortest text that reads back as the same double:
/// `0.30000000000000004`), for `kpi explain` and `kpi list`; a huge one in scientific
/// notation, never `-0`.
pub fn exact(v: f64) -> String {
    kpi_core::numbers::short(v)
}

/// Aligns rows of cells into columns; the first row is the header.
pub fn table(rows: &[Vec<String>]) -> String {
    // Cells hold user text (names, categories): escaped, a cell stays one cell of one line.
    let rows: Vec<Vec<_>> = rows
        .iter()
        .map(|row| row.iter().map(|cell| terminal::escape(cell)).collect())
        .collect();
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..columns)
        .map(|c| {
            rows.iter()
                .filter_map(|r| r.get(c))
                .map(|s| s.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for row in &rows {
        let mut line = String::new();
        for (c, cell) in row.iter().enumerate() {
            if c > 0 {
                line.push_str("  ");
            }
            line.push_str(cell);
            line.extend(std::iter::repeat_n(' ', widths[c] - cell.chars().count()));
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// Quotes a CSV field when it needs it.
pub fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}
