//! SQLite sources: a query on a database file, opened read-only, through `rusqlite` (which
//! compiles SQLite itself, so no system library is needed), stopped at its `timeout`.

use std::path::Path;
use std::time::Instant;

use rusqlite::types::ValueRef;
use rusqlite::{Connection, ErrorCode, OpenFlags};

use crate::data::layout::Mapped;
use crate::data::query::{QueryTable, Value, database_error, timed_out};
use crate::data::spec::{SourceSpec, Timeout};
use crate::data::table::{Need, Table};
use crate::problems::Problems;

/// How many virtual machine steps SQLite takes between two looks at the clock: a few
/// well under a millisecond of work, so that the query stops close to its time.
const STEPS_BETWEEN_CHECKS: i32 = 10_000;

/// Opens the database read-only, so that a query can change nothing, whatever it says, and
/// so that reading creates nothing beside the file: a read-only connection to a database in
/// WAL mode would otherwise leave `-wal` and `-shm` files behind. Without a `-wal` or
/// `-journal` file beside it, everything is in the file itself, and it is opened
/// `immutable` (no lock, no side file); with one, another program is writing it (or
/// stopped while writing), and it is opened `mode=ro`, reading the data that file holds
/// through the side files that are already there.
fn open(path: &Path) -> rusqlite::Result<Connection> {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let Some(text) = path.to_str().filter(|_| cfg!(unix)) else {
        // Not UTF-8 (or a Windows path, whose URI form differs): opened as a plain
        // read-only file.
        return Connection::open_with_flags(path, flags);
    };
    let beside = |suffix: &str| {
        let mut name = path.as_os_str().to_owned();
        name.push(suffix);
        Path::new(&name).exists()
    };
    let mode = if beside("-wal") || beside("-journal") {
        "mode=ro"
    } else {
        "immutable=1"
    };
    Connection::open_with_flags(
        format!("file:{}?{mode}", uri_path(text)),
        flags | OpenFlags::SQLITE_OPEN_URI,
    )
}

/// A path as the path of a `file:` URI: every byte but unreserved ones and `/`
/// percent-encoded (`?`, `#` and `%` in a file name would otherwise end or change it).
fn uri_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'/' | b'.' | b'-' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Runs the source's query and reads its answer.
pub(crate) fn read(
    source: &SourceSpec,
    path: &Path,
    query: &str,
    timeout: &Timeout,
    wanted: &dyn Fn(&str) -> Option<Need>,
    mapped: &[Mapped<'_>],
    problems: &mut Problems,
) -> Option<Table> {
    let fail = |problems: &mut Problems, e: rusqlite::Error| {
        problems.push(match e.sqlite_error_code() {
            Some(ErrorCode::OperationInterrupted) => timed_out(source, timeout),
            _ => database_error(source, e.to_string()),
        });
    };
    if !path.is_file() {
        problems.push(database_error(
            source,
            format!("the database file `{}` does not exist", path.display()),
        ));
        return None;
    }
    let connection = open(path).map_err(|e| fail(problems, e)).ok()?;
    // SQLite has no statement timeout: the progress handler, called every few thousand
    // steps of its virtual machine, interrupts the query once the time is up (a recursive
    // query can otherwise run for ever).
    let deadline = Instant::now() + timeout.limit;
    connection.progress_handler(
        STEPS_BETWEEN_CHECKS,
        Some(move || Instant::now() >= deadline),
    );
    let mut statement = connection
        .prepare(query)
        .map_err(|e| fail(problems, e))
        .ok()?;
    let columns: Vec<String> = statement
        .column_names()
        .into_iter()
        .map(str::to_string)
        .collect();
    let count = columns.len();
    let mut table = QueryTable::new(source, columns, wanted, mapped, problems)?;
    let mut rows = statement.query([]).map_err(|e| fail(problems, e)).ok()?;
    let mut values = Vec::with_capacity(count);
    let mut n = 0u32;
    loop {
        let row = match rows.next() {
            Ok(Some(row)) => row,
            Ok(None) => break,
            Err(e) => {
                fail(problems, e);
                return None;
            }
        };
        n += 1;
        values.clear();
        for i in 0..count {
            let value = match row.get_ref(i) {
                Ok(ValueRef::Null) => Value::Null,
                Ok(ValueRef::Integer(v)) => Value::Number(v as f64),
                Ok(ValueRef::Real(v)) => Value::Number(v),
                // SQLite has no date type: dates are text, read by the period rules.
                Ok(ValueRef::Text(t)) => Value::Text(String::from_utf8_lossy(t).into_owned()),
                Ok(ValueRef::Blob(_)) => Value::Other("blob".into()),
                Err(e) => {
                    fail(problems, e);
                    return None;
                }
            };
            values.push(value);
        }
        table.row(n, &values, problems);
    }
    Some(table.finish(problems))
}

#[cfg(test)]
mod tests {
    use super::uri_path;

    #[test]
    fn paths_are_percent_encoded_in_uris() {
        assert_eq!(uri_path("/srv/kpi/data.db"), "/srv/kpi/data.db");
        assert_eq!(uri_path("a b?#%é.db"), "a%20b%3F%23%25%C3%A9.db");
    }
}
