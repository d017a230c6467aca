//! Workbook sources: one sheet of an `.xlsx`, `.xlsm`, `.xls` or `.ods` file, read with
//! calamine, its typed cells turned into the [`Value`]s that database answers give, so that
//! the same rules (layout, periods, numbers, aggregates) apply.
//!
//! A date cell gives its month whatever its display format (Excel stores a serial number);
//! a number cell is its value, never the text shown; a formula cell is the value Excel last
//! computed and saved; an error cell (`#DIV/0!`) is a missing value, said in one warning that
//! names its cells. Every message names the workbook, the sheet and the cell (`KPI!D14`).

use std::io::Cursor;
use std::path::Path;
use std::sync::Arc;

use calamine::{
    Data, DataRef, ExcelDateTime, Ods, Reader, SheetType, Xls, Xlsx, open_workbook_from_rs,
};
use chrono::{NaiveDate, NaiveDateTime};

use crate::data::date::Stamp;
use crate::data::layout::Mapped;
use crate::data::query::{QueryTable, Value};
use crate::data::spec::{CellRange, SourceSpec};
use crate::data::table::{Need, Sheet, Table};
use crate::diagnostic::{Diagnostic, Problem, WorkbookProblem};
use crate::limits::MAX_DATA_BYTES;
use crate::problems::Problems;
use crate::read::read_bytes;
use crate::source::Location;
use crate::suggest::closest;

/// One cell: its row and column (from 0, in the sheet) and value.
type Cell = (u32, u32, Value);

/// Reads the sheet `sheet` (the first worksheet when `None`) of the workbook at `path`,
/// within `range` when given.
pub(crate) fn read(
    source: &SourceSpec,
    path: &Path,
    sheet: Option<&str>,
    range: Option<CellRange>,
    wanted: &dyn Fn(&str) -> Option<Need>,
    mapped: &[Mapped<'_>],
    problems: &mut Problems,
) -> Option<Table> {
    // Located at the source's entry in `kpi.toml`, as a CSV file's are.
    let bytes = read_bytes(path, MAX_DATA_BYTES)
        .map_err(|mut d| {
            if d.location.is_none() {
                d.location = source.location.clone().map(Box::new);
            }
            problems.push(d);
        })
        .ok()?;
    let fail = |problems: &mut Problems, problem: WorkbookProblem| {
        problems.push(Diagnostic::error(
            Problem::Workbook(problem),
            Some(Location::bare(path, 1, 1)),
        ));
    };
    let (name, mut cells) = match cells(path, bytes, sheet) {
        Ok(found) => found,
        Err(problem) => {
            fail(problems, problem);
            return None;
        }
    };
    if let Some(range) = range {
        cells.retain(|&(r, c, _)| {
            (range.start.0..=range.end.0).contains(&r) && (range.start.1..=range.end.1).contains(&c)
        });
    }
    // Cells arrive row by row in every format written by a spreadsheet; sorting costs
    // little and makes the reading independent of the writer.
    cells.sort_by_key(|&(r, c, _)| (r, c));
    let (first_row, first_column, last_column) = match range {
        Some(range) => (range.start.0, range.start.1, range.end.1),
        None => {
            let Some(&(first_row, _, _)) = cells.first() else {
                fail(problems, WorkbookProblem::EmptySheet { sheet: name });
                return None;
            };
            let first = cells.iter().map(|c| c.1).min().unwrap_or(0);
            let last = cells.iter().map(|c| c.1).max().unwrap_or(0);
            (first_row, first, last)
        }
    };
    let sheet = Arc::new(Sheet {
        path: path.to_path_buf(),
        name,
        first_column,
    });
    let width = (last_column - first_column + 1) as usize;
    let mut rows = cells.into_iter().peekable();
    let mut header = vec![String::new(); width];
    while let Some((_, c, value)) = rows.next_if(|&(r, _, _)| r == first_row) {
        header[(c - first_column) as usize] = header_name(&value);
    }
    let mut table = QueryTable::sheet(
        source,
        Arc::clone(&sheet),
        first_row + 1,
        header,
        wanted,
        mapped,
        problems,
    )?;
    let mut values = vec![Value::Null; width];
    while let Some(&(row, _, _)) = rows.peek() {
        values.iter_mut().for_each(|v| *v = Value::Null);
        let mut empty = true;
        while let Some((_, c, value)) = rows.next_if(|&(r, _, _)| r == row) {
            empty &= matches!(value, Value::Null);
            values[(c - first_column) as usize] = value;
        }
        if !empty {
            table.row(row + 1, &values, problems);
        }
    }
    Some(table.finish(problems))
}

/// The name of the sheet read and its non-empty cells, from the workbook's bytes.
fn cells(
    path: &Path,
    bytes: Vec<u8>,
    sheet: Option<&str>,
) -> Result<(String, Vec<Cell>), WorkbookProblem> {
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    let cursor = Cursor::new(bytes);
    match extension.as_str() {
        "xls" => whole::<Xls<_>>(path, cursor, sheet),
        "ods" => whole::<Ods<_>>(path, cursor, sheet),
        _ => {
            let mut book: Xlsx<_> =
                open_workbook_from_rs(cursor).map_err(|e| unreadable(path, &e))?;
            let name = pick(path, book.sheets_metadata(), sheet)?;
            // Streamed cell by cell: memory follows the cells written, not the rectangle
            // they span (two cells at opposite corners of a sheet are two cells).
            let mut reader = book
                .worksheet_cells_reader(&name)
                .map_err(|e| unreadable(path, &e))?;
            let mut cells = Vec::new();
            while let Some(cell) = reader.next_cell().map_err(|e| unreadable(path, &e))? {
                let (r, c) = cell.get_position();
                let value = value_ref(cell.get_value());
                if !matches!(value, Value::Null) {
                    cells.push((r, c, value));
                }
            }
            Ok((name, cells))
        }
    }
}

/// The sheet's cells of a workbook read whole (`.xls`, `.ods`: calamine reads their sheets
/// only so).
fn whole<R: Reader<Cursor<Vec<u8>>>>(
    path: &Path,
    cursor: Cursor<Vec<u8>>,
    sheet: Option<&str>,
) -> Result<(String, Vec<Cell>), WorkbookProblem>
where
    R::Error: std::fmt::Display,
{
    let mut book: R = open_workbook_from_rs(cursor).map_err(|e| unreadable(path, &e))?;
    let name = pick(path, book.sheets_metadata(), sheet)?;
    let range = book
        .worksheet_range(&name)
        .map_err(|e| unreadable(path, &e))?;
    Ok((name, from_range(&range)))
}

/// The sheet to read: `wanted`, else the first worksheet; an unknown name is an error with
/// the closest sheet and the list of them.
fn pick(
    path: &Path,
    sheets: &[calamine::Sheet],
    wanted: Option<&str>,
) -> Result<String, WorkbookProblem> {
    let worksheets: Vec<&str> = sheets
        .iter()
        .filter(|s| s.typ == SheetType::WorkSheet)
        .map(|s| s.name.as_str())
        .collect();
    match wanted {
        Some(name) if worksheets.contains(&name) => Ok(name.to_string()),
        Some(name) => {
            let other_case = worksheets
                .iter()
                .find(|s| s.to_lowercase() == name.to_lowercase())
                .map(|s| s.to_string());
            Err(WorkbookProblem::NoSuchSheet {
                path: path.to_path_buf(),
                sheet: name.to_string(),
                closest: other_case.or_else(|| closest(name, worksheets.iter().copied())),
                sheets: worksheets.iter().map(|s| s.to_string()).collect(),
            })
        }
        None => {
            worksheets
                .first()
                .map(|s| s.to_string())
                .ok_or_else(|| WorkbookProblem::NoWorksheet {
                    path: path.to_path_buf(),
                })
        }
    }
}

/// A workbook calamine cannot open or read: password-protected, corrupt, or not a workbook.
fn unreadable(path: &Path, e: &dyn std::fmt::Display) -> WorkbookProblem {
    let reason = e.to_string();
    let path = path.to_path_buf();
    if reason.to_ascii_lowercase().contains("password") {
        WorkbookProblem::Password { path }
    } else {
        WorkbookProblem::Unreadable { path, reason }
    }
}

/// The non-empty cells of a sheet read whole (`.xls`, `.ods`), at their sheet positions.
fn from_range(range: &calamine::Range<Data>) -> Vec<Cell> {
    let (top, left) = range.start().unwrap_or((0, 0));
    range
        .used_cells()
        .map(|(r, c, data)| (top + r as u32, left + c as u32, value(data)))
        .filter(|(_, _, v)| !matches!(v, Value::Null))
        .collect()
}

/// A cell's value, as the period and number rules read it.
fn value(data: &Data) -> Value {
    match data {
        Data::Int(v) => Value::Number(*v as f64),
        Data::Float(v) => Value::Number(*v),
        Data::String(s) => text(s),
        Data::Bool(b) => Value::Bool(*b),
        Data::DateTime(d) => date_time(d),
        Data::DateTimeIso(s) => iso(s),
        Data::DurationIso(_) => Value::Other("duration".into()),
        Data::Error(e) => Value::Error(e.to_string()),
        Data::Empty => Value::Null,
    }
}

/// [`value`] of a streamed cell.
fn value_ref(data: &DataRef<'_>) -> Value {
    match data {
        DataRef::Int(v) => Value::Number(*v as f64),
        DataRef::Float(v) => Value::Number(*v),
        DataRef::String(s) => text(s),
        DataRef::SharedString(s) => text(s),
        DataRef::Bool(b) => Value::Bool(*b),
        DataRef::DateTime(d) => date_time(d),
        DataRef::DateTimeIso(s) => iso(s),
        DataRef::DurationIso(_) => Value::Other("duration".into()),
        DataRef::Error(e) => Value::Error(e.to_string()),
        DataRef::Empty => Value::Null,
    }
}

/// Text, or nothing for a cell of spaces only. An error written as text is an error cell:
/// OpenDocument files keep a formula's error as its text (`#DIV/0!`, LibreOffice's
/// `Err:502`).
fn text(s: &str) -> Value {
    let trimmed = s.trim();
    if trimmed.is_empty() {
        Value::Null
    } else if is_error_text(trimmed) {
        Value::Error(trimmed.to_string())
    } else {
        Value::Text(s.to_string())
    }
}

/// The errors a spreadsheet shows in a cell: Excel's (`#DIV/0!`) and LibreOffice's
/// (`Err:502`).
fn is_error_text(text: &str) -> bool {
    const EXCEL: [&str; 9] = [
        "#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!", "#DATA!", "#SPILL!",
    ];
    EXCEL.contains(&text)
        || text
            .strip_prefix("Err:")
            .is_some_and(|n| n.len() == 3 && n.bytes().all(|b| b.is_ascii_digit()))
}

/// A date cell: its stamp (a serial date, in the workbook's 1900 or 1904 system); a duration
/// (`[h]:mm`) is no date.
fn date_time(d: &ExcelDateTime) -> Value {
    if d.is_duration() {
        return Value::Other("duration".into());
    }
    let (y, m, day, h, min, s, ms) = d.to_ymd_hms_milli();
    NaiveDate::from_ymd_opt(i32::from(y), u32::from(m), u32::from(day))
        .and_then(|date| {
            date.and_hms_milli_opt(u32::from(h), u32::from(min), u32::from(s), u32::from(ms))
        })
        .and_then(Stamp::at)
        .map_or_else(
            || Value::Other("date outside the calendar".into()),
            Value::Stamp,
        )
}

/// An OpenDocument date (`2025-01-15` or `2025-01-15T10:30:00`).
fn iso(s: &str) -> Value {
    let stamp = NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f")
        .ok()
        .or_else(|| {
            NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .ok()
                .map(|d| d.and_time(Default::default()))
        })
        .and_then(Stamp::at);
    stamp.map_or_else(|| Value::Text(s.to_string()), Value::Stamp)
}

/// A header cell's text: a name as written (a number or date header as shown).
fn header_name(value: &Value) -> String {
    match value {
        Value::Text(t) => t.trim().to_string(),
        Value::Number(v) => crate::numbers::short(*v),
        Value::Stamp(s) => s.period.to_string(),
        Value::Other(t) | Value::Error(t) => t.clone(),
        Value::Bool(b) => if *b { "TRUE" } else { "FALSE" }.into(),
        Value::Null => String::new(),
    }
}
