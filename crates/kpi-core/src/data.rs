//! Monthly input data from CSV files: one row per month, a `period` column (`YYYY-MM`) and
//! one column per input.
//!
//! The reader is written for this one job so that every error has an exact line and column.
//! It accepts what spreadsheets export: a UTF-8 byte-order mark, CRLF line endings, quoted
//! fields, spaces around numbers, and the French dialect (`;` between fields and a decimal
//! comma), recognised from the header line.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use crate::catalog::{Catalog, read_text, sort_diagnostics};
use crate::diagnostic::{Diagnostic, Diagnostics, Problem};
use crate::limits::{MAX_DATA_BYTES, MAX_DATA_MONTHS};
use crate::period::Period;
use crate::source::{Location, SourceFile};
use crate::suggest::closest;

/// Input data over a run of consecutive calendar months.
///
/// Months between the first and the last that no file holds are kept as absent: they have
/// no values at all, so that `prev` counts months, not rows.
#[derive(Debug, Clone)]
pub struct Dataset {
    months: Vec<Period>,
    present: Vec<bool>,
    columns: BTreeMap<String, Vec<f64>>,
    /// Where each column's header is (its first occurrence).
    column_sources: BTreeMap<String, Location>,
}

/// One parsed CSV file.
struct Table {
    header: Vec<String>,
    /// Where each header name is, for warnings about unused columns.
    header_at: Vec<Location>,
    rows: Vec<Row>,
}

/// One data row: its month, line, cells, and each cell's byte range for error messages.
struct Row {
    period: Period,
    cells: Vec<Option<f64>>,
    spans: Vec<(usize, usize)>,
}

impl Dataset {
    /// Reads and merges the data files. Returns every problem found, not just the first.
    pub fn load(paths: &[PathBuf]) -> Result<Dataset, Diagnostics> {
        let mut diagnostics = Diagnostics::default();
        let mut files = Vec::new();
        for path in paths {
            match read_text(path, MAX_DATA_BYTES) {
                Ok(text) => files.push(SourceFile::new(path, text)),
                Err(d) => diagnostics.push(d),
            }
        }
        if diagnostics.has_errors() {
            // Report what could be read too, so that one run shows every problem.
            if !files.is_empty() {
                if let Err(more) = Self::from_files(&files) {
                    diagnostics.0.extend(more.0);
                }
            }
            return Err(diagnostics);
        }
        Self::from_files(&files)
    }

    /// Parses and merges CSV texts already in memory.
    pub fn from_files(files: &[SourceFile]) -> Result<Dataset, Diagnostics> {
        let mut diagnostics = Diagnostics::default();
        if files.is_empty() {
            diagnostics.push(Diagnostic::error(Problem::NoData, None));
            return Err(diagnostics);
        }
        let mut tables = Vec::new();
        for file in files {
            match parse_csv(file) {
                Ok(table) => tables.push((file, table)),
                Err(errors) => diagnostics.0.extend(errors),
            }
        }
        if diagnostics.has_errors() {
            sort_diagnostics(&mut diagnostics.0);
            return Err(diagnostics);
        }
        let periods = tables
            .iter()
            .flat_map(|(_, t)| t.rows.iter().map(|r| r.period));
        let (Some(first), Some(last)) = (periods.clone().min(), periods.max()) else {
            diagnostics.push(Diagnostic::error(Problem::EmptyData, None));
            return Err(diagnostics);
        };
        let len = usize::try_from(last.months_since(first)).unwrap_or(0) + 1;
        // Every column spans every month from the first to the last: bound that span before
        // allocating, so that two far-apart rows cannot exhaust memory.
        if len > MAX_DATA_MONTHS {
            diagnostics.push(Diagnostic::error(
                Problem::DataSpan {
                    first,
                    last,
                    months: len,
                    limit: MAX_DATA_MONTHS,
                },
                None,
            ));
            return Err(diagnostics);
        }
        let months: Vec<Period> = (0..len)
            .filter_map(|i| first.add_months(i as i64))
            .collect();
        let mut present = vec![false; len];
        let mut columns: BTreeMap<String, Vec<f64>> = BTreeMap::new();
        let mut column_sources = BTreeMap::new();
        let mut given: HashMap<(String, usize), &Path> = HashMap::new();
        for (file, table) in &tables {
            for (name, at) in table.header.iter().zip(&table.header_at) {
                columns
                    .entry(name.clone())
                    .or_insert_with(|| vec![f64::NAN; len]);
                column_sources
                    .entry(name.clone())
                    .or_insert_with(|| at.clone());
            }
            for row in &table.rows {
                let t = usize::try_from(row.period.months_since(first)).unwrap_or(0);
                present[t] = true;
                for ((name, cell), &(start, end)) in
                    table.header.iter().zip(&row.cells).zip(&row.spans)
                {
                    let Some(value) = cell else { continue };
                    if let Some(other) = given.insert((name.clone(), t), file.path()) {
                        diagnostics.push(Diagnostic::error(
                            Problem::DuplicateCell {
                                input: name.clone(),
                                period: row.period,
                                other: other.to_path_buf(),
                            },
                            Some(file.locate(start, end)),
                        ));
                    }
                    columns.get_mut(name).expect("inserted above")[t] = *value;
                }
            }
        }
        if diagnostics.has_errors() {
            sort_diagnostics(&mut diagnostics.0);
            return Err(diagnostics);
        }
        Ok(Dataset {
            months,
            present,
            columns,
            column_sources,
        })
    }

    /// Every calendar month from the first to the last in the data.
    pub fn months(&self) -> &[Period] {
        &self.months
    }

    /// Whether some data file holds a row for month `t`.
    pub fn is_present(&self, t: usize) -> bool {
        self.present[t]
    }

    /// Rows present, per month.
    pub fn present(&self) -> &[bool] {
        &self.present
    }

    /// The index of `period` among [`Dataset::months`].
    pub fn month_index(&self, period: Period) -> Option<usize> {
        let t = usize::try_from(period.months_since(*self.months.first()?)).ok()?;
        (t < self.months.len()).then_some(t)
    }

    /// The latest month that a file holds.
    pub fn latest(&self) -> Option<Period> {
        let t = self.present.iter().rposition(|&p| p)?;
        Some(self.months[t])
    }

    /// Checks that `period` is a month some file holds.
    pub fn require(&self, period: Period) -> Result<usize, Diagnostic> {
        let (first, last) = (
            self.months[0],
            *self.months.last().expect("data is never empty"),
        );
        match self.month_index(period) {
            Some(t) if self.present[t] => Ok(t),
            Some(_) => Err(Diagnostic::error(
                Problem::PeriodInGap {
                    period,
                    first,
                    last,
                },
                None,
            )),
            None => Err(Diagnostic::error(
                Problem::PeriodNotInData {
                    period,
                    first,
                    last,
                },
                None,
            )),
        }
    }

    /// The values of an input column (NaN where missing), if the data has that column.
    pub fn column(&self, name: &str) -> Option<&[f64]> {
        self.columns.get(name).map(Vec::as_slice)
    }

    /// Warnings for columns that no definition declares (likely typos).
    pub fn unused_columns(&self, catalog: &Catalog) -> Vec<Diagnostic> {
        let declared = || catalog.inputs().iter().map(|(n, _)| n.as_str());
        self.columns
            .keys()
            .filter(|name| !declared().any(|d| d == name.as_str()))
            .map(|name| {
                Diagnostic::warning(
                    Problem::UnusedColumn {
                        column: name.clone(),
                        suggestion: closest(name, declared()),
                    },
                    Some(self.column_sources[name].clone()),
                )
            })
            .collect()
    }
}

/// A field of a CSV record: its text (unquoted) and the byte offset where it starts.
struct Field {
    text: String,
    at: usize,
    /// Where the field's raw text ends (after a closing quote).
    end: usize,
    quoted: bool,
}

/// Splits the text into records of fields, tracking the line and byte offset of each.
fn records(file: &SourceFile, sep: u8) -> Result<Vec<(usize, Vec<Field>)>, Diagnostic> {
    let text = file.text();
    let bytes = text.as_bytes();
    let mut records = Vec::new();
    let mut i = usize::from(text.starts_with('\u{feff}')) * 3;
    let mut line = 1;
    while i < bytes.len() {
        let record_line = line;
        let mut fields = Vec::new();
        loop {
            let at = i;
            let mut value = String::new();
            let mut quoted = false;
            let end;
            // Spaces before an opening quote are allowed, as spreadsheets sometimes write.
            let mut j = i;
            while j < bytes.len() && bytes[j] == b' ' {
                j += 1;
            }
            if j < bytes.len() && bytes[j] == b'"' {
                quoted = true;
                i = j + 1;
                loop {
                    match text[i..].find('"') {
                        None => {
                            return Err(Diagnostic::error(
                                Problem::Csv {
                                    message: "quoted field is never closed".into(),
                                    hint:
                                        "close the field with `\"`, and double any `\"` inside it"
                                            .into(),
                                },
                                Some(file.locate(j, j + 1)),
                            ));
                        }
                        Some(k) => {
                            let chunk = &text[i..i + k];
                            line += chunk.matches('\n').count();
                            value.push_str(chunk);
                            i += k + 1;
                            if bytes.get(i) == Some(&b'"') {
                                value.push('"');
                                i += 1;
                            } else {
                                break;
                            }
                        }
                    }
                }
                end = i;
                while i < bytes.len() && bytes[i] == b' ' {
                    i += 1;
                }
                if i < bytes.len() && !matches!(bytes[i], b'\r' | b'\n') && bytes[i] != sep {
                    return Err(Diagnostic::error(
                        Problem::Csv {
                            message: "text after a closing quote".into(),
                            hint: "put the whole field inside the quotes".into(),
                        },
                        Some(file.locate(i, i + 1)),
                    ));
                }
            } else {
                let stop = text[i..]
                    .find([sep as char, '\n', '\r'])
                    .map_or(text.len(), |k| i + k);
                value.push_str(&text[i..stop]);
                i = stop;
                end = stop;
            }
            fields.push(Field {
                text: value,
                at,
                end,
                quoted,
            });
            if i < bytes.len() && bytes[i] == sep {
                i += 1;
                continue;
            }
            if i < bytes.len() && bytes[i] == b'\r' {
                i += 1;
            }
            if i < bytes.len() && bytes[i] == b'\n' {
                i += 1;
            }
            line += 1;
            break;
        }
        let blank = fields.len() == 1 && !fields[0].quoted && fields[0].text.trim().is_empty();
        if !blank {
            records.push((record_line, fields));
        }
    }
    Ok(records)
}

/// The separator: `;` when the header has one and no `,` (the French Excel dialect, whose
/// numbers use a decimal comma), else `,`.
fn detect_separator(text: &str) -> u8 {
    let header = text.lines().next().unwrap_or("");
    if header.contains(';') && !header.contains(',') {
        b';'
    } else {
        b','
    }
}

fn parse_csv(file: &SourceFile) -> Result<Table, Vec<Diagnostic>> {
    let sep = detect_separator(file.text());
    let records = records(file, sep).map_err(|d| vec![d])?;
    let mut errors = Vec::new();
    let at = |f: &Field| Some(file.locate(f.at, f.end.max(f.at + 1)));
    let Some((_, header_fields)) = records.first() else {
        return Err(vec![Diagnostic::error(
            Problem::Csv {
                message: "the file is empty".into(),
                hint: "start with a header line: `period,<input>,<input>...`".into(),
            },
            Some(file.locate(0, 0)),
        )]);
    };
    if header_fields[0].text.trim() != "period" {
        errors.push(Diagnostic::error(
            Problem::Csv {
                message: format!(
                    "the first column is `{}`, not `period`",
                    header_fields[0].text.trim()
                ),
                hint: "start the header line with `period`, the column of months (`YYYY-MM`)"
                    .into(),
            },
            at(&header_fields[0]),
        ));
    }
    let mut header = Vec::new();
    let mut header_at = Vec::new();
    for field in &header_fields[1..] {
        header_at.push(file.locate(field.at, field.end.max(field.at + 1)));
        let name = field.text.trim().to_string();
        if !crate::definition::is_valid_input_name(&name) {
            errors.push(Diagnostic::error(
                Problem::Csv {
                    message: format!("column name `{name}` is not an input name"),
                    hint:
                        "name columns after inputs: letters, digits and `_`, starting with a letter"
                            .into(),
                },
                at(field),
            ));
        } else if header.contains(&name) {
            errors.push(Diagnostic::error(
                Problem::Csv {
                    message: format!("column `{name}` appears twice"),
                    hint: "keep one column per input".into(),
                },
                at(field),
            ));
        }
        header.push(name);
    }
    let mut rows = Vec::new();
    let mut seen: HashMap<Period, usize> = HashMap::new();
    for (line, fields) in &records[1..] {
        let line = *line;
        if fields.len() != header_fields.len() {
            let last = fields.last().expect("records have a field");
            errors.push(Diagnostic::error(
                Problem::Csv {
                    message: format!(
                        "this row has {} fields, the header has {}",
                        fields.len(),
                        header_fields.len()
                    ),
                    hint: "give every row one cell per header column (empty for a missing value)"
                        .into(),
                },
                at(last),
            ));
            continue;
        }
        let text = fields[0].text.trim();
        let period = match text.parse::<Period>() {
            Ok(p) => p,
            Err(_) => {
                errors.push(Diagnostic::error(
                    Problem::BadDataPeriod {
                        text: text.to_string(),
                    },
                    at(&fields[0]),
                ));
                continue;
            }
        };
        if let Some(first_line) = seen.insert(period, line) {
            errors.push(Diagnostic::error(
                Problem::RepeatedPeriod { period, first_line },
                at(&fields[0]),
            ));
            continue;
        }
        let mut cells = Vec::with_capacity(header.len());
        for (name, field) in header.iter().zip(&fields[1..]) {
            match parse_number(&field.text, sep == b';') {
                Ok(v) => cells.push(v),
                Err(hint) => {
                    errors.push(Diagnostic::error(
                        Problem::BadNumber {
                            input: name.clone(),
                            cell: field.text.clone(),
                            hint,
                        },
                        at(field),
                    ));
                    cells.push(None);
                }
            }
        }
        let spans = fields[1..].iter().map(|f| (f.at, f.end)).collect();
        rows.push(Row {
            period,
            cells,
            spans,
        });
    }
    if errors.is_empty() {
        Ok(Table {
            header,
            header_at,
            rows,
        })
    } else {
        Err(errors)
    }
}

/// A cell's number: `None` for an empty cell, an error hint for anything that is not a plain
/// finite decimal number. Nothing is guessed.
fn parse_number(cell: &str, decimal_comma: bool) -> Result<Option<f64>, String> {
    let text = cell.trim_matches(|c: char| c == ' ' || c == '\t');
    if text.is_empty() {
        return Ok(None);
    }
    let normalised;
    let text = if decimal_comma && text.matches(',').count() == 1 && !text.contains('.') {
        normalised = text.replace(',', ".");
        normalised.as_str()
    } else {
        text
    };
    if is_plain_number(text) {
        return match text.parse::<f64>() {
            Ok(v) if v.is_finite() => Ok(Some(v)),
            _ => Err("the number is too large; write it in full, or check the cell".into()),
        };
    }
    let lower = text.to_ascii_lowercase();
    Err(if text.contains('%') {
        "write percentages as plain numbers, `12` for 12 %".into()
    } else if [
        "nan", "n/a", "na", "null", "none", "-", "inf", "-inf", "+inf", "infinity", "#div/0!",
    ]
    .contains(&lower.as_str())
    {
        "leave the cell empty for a missing value".into()
    } else if lower.starts_with("0x") {
        "write numbers in decimal".into()
    } else if text.contains([' ', '\u{a0}', '\u{202f}', '\'']) {
        "remove the thousands separators: `1234`, not `1 234`".into()
    } else if decimal_comma && text.contains('.') && text.contains(',') {
        "remove the thousands separators: `1234,5`, not `1.234,5`".into()
    } else if text.contains(',') && !decimal_comma {
        "use `.` for decimals and no thousands separator, or save the file with `;` between fields and decimal commas".into()
    } else {
        "write a plain number such as `1234.5`, or leave the cell empty for a missing value".into()
    })
}

/// `[+-]digits[.digits][e[+-]digits]`, or `.digits`, and nothing else.
fn is_plain_number(text: &str) -> bool {
    let b = text.as_bytes();
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
    if i < b.len() && b[i] == b'.' {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str) -> Result<Dataset, Vec<String>> {
        Dataset::from_files(&[SourceFile::new("d.csv", text)]).map_err(|d| {
            d.0.iter()
                .map(|d| format!("{d} ({})", d.problem.help().unwrap_or_default()))
                .collect()
        })
    }

    #[test]
    fn reads_plain_csv() {
        let d = load("period,a,b\n2026-01,3,4\n2026-03,,5.5\n").unwrap();
        assert_eq!(d.months().len(), 3);
        assert_eq!(d.present(), [true, false, true]);
        assert_eq!(d.column("a").unwrap()[0], 3.0);
        assert!(d.column("a").unwrap()[2].is_nan());
        assert_eq!(d.column("b").unwrap()[2], 5.5);
        assert_eq!(d.latest(), Some("2026-03".parse().unwrap()));
    }

    #[test]
    fn reads_spreadsheet_exports() {
        let d = load("\u{feff}period;a;b\r\n2026-01; 1234,5 ;\"7\"\r\n").unwrap();
        assert_eq!(d.column("a").unwrap()[0], 1234.5);
        assert_eq!(d.column("b").unwrap()[0], 7.0);
        let d = load("period,a\n\"2026-01\",\"  \"\n").unwrap();
        assert!(d.column("a").unwrap()[0].is_nan());
    }

    #[test]
    fn bad_cells_are_located() {
        let errs = load("period,a,b\n2026-01,1,12 %\n").unwrap_err();
        assert_eq!(
            errs,
            [
                "d.csv:2:11: cell `12 %` for input `b` is not a number (write percentages as plain numbers, `12` for 12 %)"
            ]
        );
        for bad in [
            "N/A", "NaN", "inf", "1e999", "0x10", "1 234", "1,5", "abc", "1.2.3", "--1", "1e",
        ] {
            assert!(
                load(&format!("period,a\n2026-01,{bad}\n")).is_err(),
                "{bad}"
            );
        }
    }

    #[test]
    fn bad_and_repeated_periods() {
        let errs = load("period,a\nOct 2026,1\n2026-13,2\n2026-01,1\n2026-01,2\n").unwrap_err();
        assert!(
            errs[0].starts_with("d.csv:2:1: period `Oct 2026` is not a month"),
            "{errs:?}"
        );
        assert!(
            errs[1].starts_with("d.csv:3:1: period `2026-13` is not a month"),
            "{errs:?}"
        );
        assert!(
            errs[2].starts_with("d.csv:5:1: period 2026-01 appears twice (first on line 4)"),
            "{errs:?}"
        );
    }

    #[test]
    fn merges_files_and_rejects_conflicts() {
        let a = SourceFile::new("a.csv", "period,x\n2026-01,1\n");
        let b = SourceFile::new("b.csv", "period,y\n2026-01,2\n2026-02,3\n");
        let d = Dataset::from_files(&[a.clone(), b]).unwrap();
        assert_eq!(d.column("y").unwrap(), [2.0, 3.0]);
        let c = SourceFile::new("c.csv", "period,x\n2026-01,5\n");
        let errs = Dataset::from_files(&[a, c]).unwrap_err();
        assert_eq!(
            errs.0[0].to_string(),
            "c.csv:2:9: input `x` for 2026-01 is also given in `a.csv`"
        );
    }

    #[test]
    fn far_apart_months_are_refused_before_allocating() {
        let errs = load("period,a\n1000-01,1\n9999-12,2\n").unwrap_err();
        assert_eq!(
            errs,
            [
                "the data spans 108000 months, from 1000-01 to 9999-12, more than the limit of 1200 (keep one file per period of up to 100 years; check the periods for typos)"
            ]
        );
    }

    #[test]
    fn positions_point_at_the_cell() {
        let errs = load("period,a\n2026-01,\"1,5\"\n").unwrap_err();
        assert!(errs[0].starts_with("d.csv:2:9: cell `1,5`"), "{errs:?}");
        let a = SourceFile::new("a.csv", "period,x,y\n2026-01,1,2\n");
        let b = SourceFile::new("b.csv", "period,y\n2026-01,5\n");
        let errs = Dataset::from_files(&[a, b]).unwrap_err();
        assert_eq!(errs.0[0].location.as_ref().unwrap().column, 9);
    }

    #[test]
    fn missing_period_names_the_range() {
        let d = load("period,a\n2026-01,1\n2026-03,1\n").unwrap();
        let err = d.require("2026-02".parse().unwrap()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "no data file has a row for 2026-02, a gap in the data from 2026-01 to 2026-03"
        );
        let err = d.require("2027-01".parse().unwrap()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "period 2027-01 is not in the data, which covers 2026-01 to 2026-03"
        );
        assert!(d.require("2027-01".parse().unwrap()).is_err());
        assert_eq!(d.require("2026-03".parse().unwrap()).unwrap(), 2);
    }
}
