//! CSV files: the tokenizer and the reader that turns a file into a [`Table`].
//!
//! Written for this one job so that every problem has an exact line and column, and so that a
//! large daily export is read in one pass without a copy of each field. It accepts what
//! spreadsheets export: `,`, `;` or tab between fields (recognised from the header), quoted
//! fields, CRLF line endings, empty trailing columns and rows of empty cells. The period column
//! is the one named `period` (any case), or the one the source names, or else the first.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::Arc;

use crate::data::date::{DateError, DateOrder, parse_stamp};
use crate::data::number::{Dialect, parse_number};
use crate::data::table::{Need, Origin, Table};
use crate::diagnostic::{Diagnostic, Problem};
use crate::problems::Problems;
use crate::source::SourceFile;
use crate::suggest::closest;

/// How to read one CSV source, from its `[[sources]]` entry.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct CsvOptions<'a> {
    /// The period column's name, when it is not `period` nor the first.
    pub period: Option<&'a str>,
    /// How to read slashed dates with the year last.
    pub date_order: Option<DateOrder>,
    /// A long table: the columns holding each row's input name and value.
    pub long: Option<(&'a str, &'a str)>,
    /// Columns (or long-table names) known to be unused, not to be warned about.
    pub ignore: &'a [String],
}

/// One field of a record, as byte offsets into the text.
#[derive(Debug, Clone, Copy)]
struct Field {
    /// Where the field starts, and where its raw text ends (after a closing quote).
    at: usize,
    end: usize,
    /// The field's content (inside the quotes, if quoted).
    content: (usize, usize),
    quoted: bool,
    /// A quoted field with `""` inside, to be unescaped.
    escaped: bool,
}

impl Field {
    fn text<'t>(&self, text: &'t str) -> Cow<'t, str> {
        let raw = &text[self.content.0..self.content.1];
        if self.escaped {
            Cow::Owned(raw.replace("\"\"", "\""))
        } else {
            Cow::Borrowed(raw)
        }
    }

    fn len(&self) -> u32 {
        (self.end - self.at).max(1) as u32
    }
}

/// Splits the text into records, one at a time, reusing the caller's field buffer.
struct Records<'t> {
    text: &'t str,
    pos: usize,
    sep: u8,
}

impl Records<'_> {
    /// The next record's fields and where it starts; `None` at the end of the text.
    fn next(
        &mut self,
        fields: &mut Vec<Field>,
        file: &SourceFile,
    ) -> Option<Result<usize, Diagnostic>> {
        let bytes = self.text.as_bytes();
        loop {
            if self.pos >= bytes.len() {
                return None;
            }
            fields.clear();
            let start = self.pos;
            let mut i = self.pos;
            loop {
                let at = i;
                let mut j = i;
                while j < bytes.len() && bytes[j] == b' ' {
                    j += 1;
                }
                if j < bytes.len() && bytes[j] == b'"' {
                    // Spaces before an opening quote are allowed, as spreadsheets sometimes write.
                    let open = j;
                    let mut k = j + 1;
                    let mut escaped = false;
                    loop {
                        match bytes[k..].iter().position(|&b| b == b'"') {
                            None => {
                                self.pos = bytes.len();
                                return Some(Err(Diagnostic::error(
                                    Problem::Csv {
                                        message: "quoted field is never closed".into(),
                                        hint: "close the field with `\"`, and double any `\"` inside it".into(),
                                    },
                                    Some(file.locate(open, open + 1)),
                                )));
                            }
                            Some(q) if bytes.get(k + q + 1) == Some(&b'"') => {
                                escaped = true;
                                k += q + 2;
                            }
                            Some(q) => {
                                k += q;
                                break;
                            }
                        }
                    }
                    let content = (open + 1, k);
                    let end = k + 1;
                    i = end;
                    while i < bytes.len() && bytes[i] == b' ' {
                        i += 1;
                    }
                    if i < bytes.len() && !matches!(bytes[i], b'\r' | b'\n') && bytes[i] != self.sep
                    {
                        self.pos = bytes.len();
                        return Some(Err(Diagnostic::error(
                            Problem::Csv {
                                message: "text after a closing quote".into(),
                                hint: "put the whole field inside the quotes".into(),
                            },
                            Some(file.locate(i, i + 1)),
                        )));
                    }
                    fields.push(Field {
                        at,
                        end,
                        content,
                        quoted: true,
                        escaped,
                    });
                } else {
                    let sep = self.sep;
                    let stop = bytes[i..]
                        .iter()
                        .position(|&b| b == sep || b == b'\n' || b == b'\r')
                        .map_or(bytes.len(), |k| i + k);
                    fields.push(Field {
                        at,
                        end: stop,
                        content: (i, stop),
                        quoted: false,
                        escaped: false,
                    });
                    i = stop;
                }
                if i < bytes.len() && bytes[i] == self.sep {
                    i += 1;
                    continue;
                }
                if i < bytes.len() && bytes[i] == b'\r' {
                    i += 1;
                }
                if i < bytes.len() && bytes[i] == b'\n' {
                    i += 1;
                }
                break;
            }
            self.pos = i;
            let blank = fields.len() == 1
                && !fields[0].quoted
                && self.text[fields[0].content.0..fields[0].content.1]
                    .trim()
                    .is_empty();
            if !blank {
                return Some(Ok(start));
            }
        }
    }
}

/// The separator: whichever of `,`, `;` and tab the header line holds most (outside quotes);
/// `,` when it holds none.
fn detect_separator(text: &str) -> u8 {
    let header = text.lines().next().unwrap_or("");
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for b in header.bytes() {
        match b {
            b'"' => quoted = !quoted,
            b',' if !quoted => counts[0] += 1,
            b';' if !quoted => counts[1] += 1,
            b'\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let seps = [b',', b';', b'\t'];
    let best = (0..3).max_by_key(|&i| (counts[i], 3 - i)).unwrap_or(0);
    if counts[best] == 0 { b',' } else { seps[best] }
}

/// Reads a CSV file into a table holding the cells of the columns `wanted` says some input
/// reads. Problems go to `problems`; `None` when the file cannot be read at all.
pub(crate) fn read_csv(
    file: Arc<SourceFile>,
    options: &CsvOptions<'_>,
    wanted: &dyn Fn(&str) -> Option<Need>,
    problems: &mut Problems,
) -> Option<Table> {
    let text = file.text();
    let sep = detect_separator(text);
    let dialect = if sep == b';' {
        Dialect::DecimalComma
    } else {
        Dialect::DecimalPoint
    };
    // The French dialect writes dates day first; elsewhere a slashed date must be told.
    let date_order = options
        .date_order
        .or((dialect == Dialect::DecimalComma).then_some(DateOrder::Dmy));
    let mut records = Records { text, pos: 0, sep };
    let mut fields = Vec::new();
    let header: Vec<Field> = match records.next(&mut fields, &file) {
        None => {
            problems.push(Diagnostic::error(
                Problem::Csv {
                    message: "the file is empty".into(),
                    hint: "start with a header line: `period,<input>,<input>...`".into(),
                },
                Some(file.locate(0, 0)),
            ));
            return None;
        }
        Some(Err(d)) => {
            problems.push(d);
            return None;
        }
        Some(Ok(_)) => fields.clone(),
    };
    let names: Vec<String> = header
        .iter()
        .map(|f| f.text(text).trim().to_string())
        .collect();
    // Empty trailing columns (`a;b;;`) are not columns.
    let width = names
        .iter()
        .rposition(|n| !n.is_empty())
        .map_or(0, |i| i + 1);
    let header_at = |i: usize| file.locate(header[i].at, header[i].end.max(header[i].at + 1));
    let find = |wanted_name: &str, what: &str, key: &str, problems: &mut Problems| {
        let exact = names[..width].iter().position(|n| n == wanted_name);
        let found = exact.or_else(|| {
            names[..width]
                .iter()
                .position(|n| n.eq_ignore_ascii_case(wanted_name))
        });
        if found.is_none() {
            problems.push(Diagnostic::error(
                Problem::MissingSourceColumn {
                    what: what.into(),
                    key: key.into(),
                    column: wanted_name.into(),
                    suggestion: closest(wanted_name, names[..width].iter().map(String::as_str)),
                },
                Some(header_at(0)),
            ));
        }
        found
    };
    let period_column = match options.period {
        Some(name) => find(name, "period", "period", problems)?,
        None => names[..width]
            .iter()
            .position(|n| n.eq_ignore_ascii_case("period"))
            .unwrap_or(0),
    };

    let mut table = Table::new(Origin::File(file.clone()));
    table.ignored_at = Some(header_at(0));
    // Which name (index into `table.names`) each column's cells go to, for a wide table.
    let mut column_name: Vec<Option<(u32, Need)>> = vec![None; header.len()];
    let long = match options.long {
        Some((name, value)) => {
            let n = find(name, "input name", "name", problems);
            let v = find(value, "value", "value", problems);
            Some((n?, v?))
        }
        None => {
            // The names read so far: a set, so that a header of many columns costs linear time.
            let mut read = std::collections::HashSet::new();
            for (i, name) in names[..width].iter().enumerate() {
                if i == period_column || name.is_empty() {
                    continue;
                }
                let Some(need) = wanted(name) else {
                    if !options.ignore.iter().any(|x| x == name) {
                        if table.ignored.is_empty() {
                            table.ignored_at = Some(header_at(i));
                        }
                        table.ignored.push(name.clone());
                    }
                    continue;
                };
                if !read.insert(name.as_str()) {
                    problems.push(Diagnostic::error(
                        Problem::Csv {
                            message: format!("column `{name}` appears twice"),
                            hint: "rename one of them, so that each input reads one column".into(),
                        },
                        Some(header_at(i)),
                    ));
                    continue;
                }
                column_name[i] = Some((table.add_name(name.clone()), need));
            }
            None
        }
    };

    // Long tables: names met so far, and whether each is read.
    let mut long_names: HashMap<String, Option<(u32, Need)>> = HashMap::new();
    let mut needs_order: Option<usize> = None;
    let mut last_stamp: Option<(Cow<'_, str>, crate::data::date::Stamp)> = None;
    while let Some(record) = records.next(&mut fields, &file) {
        let start = match record {
            Ok(start) => start,
            Err(d) => {
                problems.push(d);
                return None;
            }
        };
        let line = || file.line_of(start);
        if fields
            .iter()
            .all(|f| text[f.content.0..f.content.1].trim().is_empty())
        {
            continue;
        }
        let beyond = fields.get(width..).unwrap_or(&[]);
        if fields.len() < width
            || beyond
                .iter()
                .any(|f| !text[f.content.0..f.content.1].trim().is_empty())
        {
            let last = fields.last().expect("records have a field");
            let n = fields.len();
            problems.repeat("row length", line(), "row", "line", || {
                Diagnostic::error(
                    Problem::Csv {
                        message: format!("this row has {n} fields, the header has {width}"),
                        hint:
                            "give every row one cell per header column (empty for a missing value)"
                                .into(),
                    },
                    Some(file.locate(last.at, last.end.max(last.at + 1))),
                )
            });
            continue;
        }
        let cell = fields[period_column];
        let period_text = cell.text(text);
        // Daily exports repeat a date on many rows: a date read once is not read again.
        let parsed = match &last_stamp {
            Some((previous, stamp)) if *previous == *period_text => Ok(*stamp),
            _ => parse_stamp(&period_text, date_order),
        };
        let stamp = match parsed {
            Ok(stamp) => {
                if last_stamp.as_ref().is_none_or(|(p, _)| *p != *period_text) {
                    // Borrowed from the text unless the cell had escaped quotes: no copy.
                    last_stamp = Some((period_text.clone(), stamp));
                }
                stamp
            }
            Err(DateError::NeedsOrder) => {
                if needs_order.is_none() {
                    needs_order = Some(start);
                    problems.push(Diagnostic::error(
                        Problem::DateOrderNeeded {
                            cell: period_text.trim().to_string(),
                        },
                        Some(file.locate(cell.at, cell.end.max(cell.at + 1))),
                    ));
                }
                continue;
            }
            Err(DateError::Invalid) => {
                problems.repeat("period", line(), "row", "line", || {
                    Diagnostic::error(
                        Problem::BadDataPeriod {
                            text: period_text.trim().to_string(),
                        },
                        Some(file.locate(cell.at, cell.end.max(cell.at + 1))),
                    )
                });
                continue;
            }
        };
        let Some(row) = table.add_row(stamp, start as u32) else {
            // Too far from the other months: said once, when the tables are merged.
            continue;
        };
        let push = |name: u32,
                    need: Need,
                    input: &str,
                    field: &Field,
                    problems: &mut Problems,
                    table: &mut Table| {
            let cell_text = field.text(text);
            let mut add = |value| table.add(name, &row, value, field.at as u32, field.len());
            match parse_number(&cell_text, dialect) {
                Ok(Some(value)) => add(value),
                Ok(None) => {}
                // A column only counted may hold anything: order ids, names.
                Err(_) if need == Need::Presence => add(f64::NAN),
                Err(e) => {
                    let key = format!("number {}", e.kind);
                    problems.repeat(&key, file.line_of(field.at), "cell", "line", || {
                        Diagnostic::error(
                            Problem::BadNumber {
                                input: input.to_string(),
                                cell: cell_text.to_string(),
                                hint: e.hint.clone(),
                            },
                            Some(file.locate(field.at, field.end.max(field.at + 1))),
                        )
                    });
                }
            }
        };
        match long {
            Some((name_column, value_column)) => {
                let name_text = fields[name_column].text(text);
                let name_text = name_text.trim();
                let index = match long_names.get(name_text) {
                    Some(&index) => index,
                    None => {
                        let index = if let Some(need) = wanted(name_text) {
                            Some((table.add_name(name_text.to_string()), need))
                        } else {
                            if !name_text.is_empty()
                                && !options.ignore.iter().any(|x| x == name_text)
                            {
                                if table.ignored.is_empty() {
                                    let f = fields[name_column];
                                    table.ignored_at = Some(file.locate(f.at, f.end.max(f.at + 1)));
                                }
                                table.ignored.push(name_text.to_string());
                            }
                            None
                        };
                        long_names.insert(name_text.to_string(), index);
                        index
                    }
                };
                if let Some((index, need)) = index {
                    let field = fields[value_column];
                    push(index, need, name_text, &field, problems, &mut table);
                }
            }
            None => {
                for (i, field) in fields[..width].iter().enumerate() {
                    if let Some((index, need)) = column_name[i] {
                        push(index, need, &names[i], field, problems, &mut table);
                    }
                }
            }
        }
    }
    Some(table)
}
