//! PostgreSQL sources: a query run in a `READ ONLY` transaction with a `statement_timeout`,
//! through the synchronous `postgres` client. The connection URL comes from an environment
//! variable that the source names, and never appears in a message.

use std::error::Error as _;
use std::time::Duration;

use postgres::error::SqlState;
use postgres::types::{FromSql, Type};
use postgres::{Client, Config, NoTls};

use crate::data::date::Stamp;
use crate::data::layout::Mapped;
use crate::data::query::{QueryTable, Value, database_error, entry, timed_out};
use crate::data::spec::{SourceSpec, Timeout};
use crate::data::table::{Need, Table};
use crate::data::tls;
use crate::diagnostic::{Diagnostic, Problem, TlsProblem, without_os_code};
use crate::problems::Problems;

/// Runs the source's query and reads its answer.
pub(crate) fn read(
    source: &SourceSpec,
    variable: &str,
    query: &str,
    timeout: &Timeout,
    wanted: &dyn Fn(&str) -> Option<Need>,
    mapped: &[Mapped<'_>],
    problems: &mut Problems,
) -> Option<Table> {
    let url = match std::env::var(variable) {
        Ok(url) if !url.trim().is_empty() => url,
        _ => {
            problems.push(Diagnostic::error(
                Problem::EnvVarUnset {
                    variable: variable.to_string(),
                },
                Some(entry(source)),
            ));
            return None;
        }
    };
    // Whatever the client says, the URL and the password are cut out of it.
    let secrets = Secrets::of(&url);
    let say = |e: &postgres::Error| secrets.say(e);
    if let Some(word) = not_a_row_query(query) {
        problems.push(Diagnostic::error(
            Problem::NotARowQuery {
                from: source.label(),
                word,
            },
            Some(entry(source)),
        ));
        return None;
    }
    let mut client = connect(source, variable, &url, timeout, &secrets, problems)?;
    // A superuser can make even a read-only transaction act on the server (`COPY … TO
    // PROGRAM`, server files, other sessions): refused, whatever the query.
    match client.query_one("SELECT current_setting('is_superuser') = 'on'", &[]) {
        Ok(row) if row.get::<_, bool>(0) => {
            problems.push(Diagnostic::error(
                Problem::PostgresSuperuser {
                    from: source.label(),
                    variable: variable.to_string(),
                },
                Some(entry(source)),
            ));
            return None;
        }
        Ok(_) => {}
        Err(e) => {
            problems.push(database_error(source, say(&e)));
            return None;
        }
    }
    let result = run(&mut client, query, timeout.limit);
    let (columns, rows) = match result {
        Ok(answer) => answer,
        Err(Refused::Db(e)) if e.code() == Some(&SqlState::QUERY_CANCELED) => {
            problems.push(timed_out(source, timeout));
            return None;
        }
        Err(Refused::Db(e)) => {
            problems.push(database_error(source, say(&e)));
            return None;
        }
        Err(Refused::NotOneQuery) => {
            problems.push(Diagnostic::error(
                Problem::NotOneRowQuery {
                    from: source.label(),
                },
                Some(entry(source)),
            ));
            return None;
        }
    };
    let names: Vec<String> = columns.iter().map(|c| c.0.clone()).collect();
    let mut table = QueryTable::new(source, names, wanted, mapped, problems)?;
    let mut values = Vec::with_capacity(columns.len());
    for (n, row) in rows.iter().enumerate() {
        values.clear();
        for (i, (name, ty)) in columns.iter().enumerate() {
            match value(row, i, ty) {
                Ok(v) => values.push(v),
                // A value the client cannot decode, such as a date of `infinity`.
                Err(e) => {
                    let cause = e.source().map_or_else(|| say(&e), |c| c.to_string());
                    problems.push(Diagnostic::error(
                        Problem::DatabaseValue {
                            from: source.label(),
                            row: n + 1,
                            column: name.clone(),
                            message: format!("cannot read this `{}` value ({cause})", ty.name()),
                        },
                        Some(entry(source)),
                    ));
                    return None;
                }
            }
        }
        table.row(n as u32 + 1, &values, problems);
    }
    Some(table.finish(problems))
}

/// What a message must never show: the URL and its password.
struct Secrets {
    url: String,
    password: Option<String>,
}

impl Secrets {
    /// The secrets of `url`.
    fn of(url: &str) -> Self {
        let password = tls::split(url)
            .ok()
            .and_then(|(url, _)| url.parse::<Config>().ok())
            .and_then(|c| {
                c.get_password()
                    .map(|p| String::from_utf8_lossy(p).into_owned())
            });
        Self {
            url: url.to_string(),
            password,
        }
    }

    /// The client's message with the secrets cut out. The server's own messages never hold
    /// the password (it is not sent in the clear), and a short one would blank out ordinary
    /// words ("password authentication failed"): only the client's messages have it cut out.
    fn say(&self, e: &postgres::Error) -> String {
        let password = if e.as_db_error().is_some() {
            None
        } else {
            self.password.as_deref()
        };
        redact(&describe(e), &self.url, password)
    }
}

/// A client connected as the URL says, TLS included; `None` when it cannot be (reported).
fn connect(
    source: &SourceSpec,
    variable: &str,
    url: &str,
    timeout: &Timeout,
    secrets: &Secrets,
    problems: &mut Problems,
) -> Option<Client> {
    let tls_error = |problem: TlsProblem| {
        Diagnostic::error(
            Problem::PostgresTls {
                from: source.label(),
                problem,
            },
            Some(entry(source)),
        )
    };
    if reserved_in_credentials(url) {
        problems.push(Diagnostic::error(
            Problem::UrlReservedCharacter {
                from: source.label(),
                variable: variable.to_string(),
            },
            Some(entry(source)),
        ));
        return None;
    }
    let (client_url, settings) = match tls::split(url) {
        Ok(split) => split,
        Err(problem) => {
            problems.push(tls_error(problem));
            return None;
        }
    };
    let mut config: Config = match client_url.parse() {
        Ok(config) => config,
        Err(_) => {
            problems.push(Diagnostic::error(
                Problem::BadPostgresUrl {
                    from: source.label(),
                    variable: variable.to_string(),
                },
                Some(entry(source)),
            ));
            return None;
        }
    };
    config.ssl_mode(settings.mode.client());
    config.connect_timeout(timeout.limit);
    config.application_name("kpi");
    let connector = match tls::connector(&settings) {
        Ok(connector) => connector,
        Err(problem) => {
            problems.push(tls_error(problem));
            return None;
        }
    };
    match within(timeout.limit, config, connector) {
        Some(Ok(client)) => Some(client),
        None => {
            problems.push(Diagnostic::error(
                Problem::ConnectTimeout {
                    from: source.label(),
                    seconds: timeout.limit.as_secs(),
                    set: timeout.location.is_some(),
                },
                Some(timeout.location.clone().unwrap_or_else(|| entry(source))),
            ));
            None
        }
        Some(Err(e)) => {
            problems.push(match tls_failure(&e, settings.mode) {
                Some(problem) => tls_error(problem),
                None => database_error(source, format!("cannot connect: {}", secrets.say(&e))),
            });
            None
        }
    }
}

/// The connection, or `None` when it is not made within `limit`. The client's own
/// `connect_timeout` bounds the TCP connection only: a server (or a proxy) that accepts it
/// and then never answers would hang the run, so the whole handshake runs on a thread of
/// its own, abandoned at the limit (the process ends soon after).
fn within(
    limit: Duration,
    config: Config,
    connector: Option<tls::Connector>,
) -> Option<Result<Client, postgres::Error>> {
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let connected = match connector {
            Some(connector) => config.connect(connector),
            None => config.connect(NoTls),
        };
        // The receiver is gone when the limit passed first: nothing to do then.
        let _ = sender.send(connected);
    });
    receiver.recv_timeout(limit).ok()
}

/// Whether the user name or password of a URL holds a `@` or `/` that is not percent-encoded
/// (a URL reserves them): the client would read a part of the password as the host name, and
/// look it up. In `scheme://userinfo@host/…`, the userinfo ends at the last `@` before the
/// parameters, and may hold neither.
fn reserved_in_credentials(url: &str) -> bool {
    let Some((_, rest)) = url.split_once("://") else {
        return false;
    };
    let rest = rest.split_once('?').map_or(rest, |(before, _)| before);
    rest.rfind('@')
        .is_some_and(|at| rest[..at].contains(['@', '/']))
}

/// The first word of a query that is no query returning rows (`copy`, `do`, `call`,
/// `delete`…), for a message that says so before connecting; `None` for any other (`select`,
/// `with`, `values`, `table`, a bracket, a typo). Comments are skipped. The subquery the
/// query runs in is what enforces it; this only words it.
fn not_a_row_query(query: &str) -> Option<String> {
    let mut rest = query;
    loop {
        rest = rest.trim_start();
        if let Some(after) = rest.strip_prefix("--") {
            rest = after.split_once('\n').map_or("", |(_, next)| next);
        } else if let Some(after) = rest.strip_prefix("/*") {
            rest = after.split_once("*/").map_or("", |(_, next)| next);
        } else {
            break;
        }
    }
    if rest.starts_with('(') {
        return None;
    }
    let word: String = rest
        .chars()
        .take_while(|c| c.is_ascii_alphabetic() || *c == '_')
        .collect();
    // PostgreSQL's commands that are no query; any other word (a typo of `select`, say) is
    // left to the server, whose syntax error points at it.
    const COMMANDS: &[&str] = &[
        "abort",
        "alter",
        "analyze",
        "begin",
        "call",
        "checkpoint",
        "close",
        "cluster",
        "comment",
        "commit",
        "copy",
        "create",
        "deallocate",
        "declare",
        "delete",
        "discard",
        "do",
        "drop",
        "end",
        "execute",
        "explain",
        "fetch",
        "grant",
        "import",
        "insert",
        "listen",
        "load",
        "lock",
        "merge",
        "move",
        "notify",
        "prepare",
        "reassign",
        "refresh",
        "reindex",
        "release",
        "reset",
        "revoke",
        "rollback",
        "savepoint",
        "security",
        "set",
        "show",
        "start",
        "truncate",
        "unlisten",
        "update",
        "vacuum",
    ];
    COMMANDS
        .contains(&word.to_ascii_lowercase().as_str())
        .then_some(word)
}

/// The TLS problem a connection error is, if it is one.
fn tls_failure(e: &postgres::Error, mode: tls::Mode) -> Option<TlsProblem> {
    let mut cause = e.source();
    while let Some(c) = cause {
        if let Some(failure) = c.downcast_ref::<tls::Failure>() {
            return Some(failure.problem());
        }
        // tokio-postgres's words when the server answers the TLS request with "no".
        if c.to_string() == "server does not support TLS" {
            return Some(TlsProblem::NoTlsServer { mode: mode.name() });
        }
        cause = c.source();
    }
    None
}

/// A query's columns (name and type) and rows.
type Answer = (Vec<(String, Type)>, Vec<postgres::Row>);

/// The query's columns (name and type) and rows, read in a read-only transaction that is
/// rolled back.
/// Why a query gave no answer.
enum Refused {
    /// The server's error.
    Db(postgres::Error),
    /// The query parses alone but not as a subquery: it is no single query returning rows.
    NotOneQuery,
}

impl From<postgres::Error> for Refused {
    fn from(e: postgres::Error) -> Self {
        Refused::Db(e)
    }
}

fn run(client: &mut Client, query: &str, timeout: Duration) -> Result<Answer, Refused> {
    let mut transaction = client.build_transaction().read_only(true).start()?;
    // In UTC, the zone `timestamptz` values are read in, so that what the query computes from
    // them (`date_trunc('month', t)`, `t::date`) falls in the same month as kpi reads.
    transaction.batch_execute(&format!(
        "SET LOCAL statement_timeout = {}; SET LOCAL TimeZone = 'UTC'",
        timeout.as_millis().max(1)
    ))?;
    // As a subquery, so that only a query that returns rows can run: `COPY`, `DO`, `CALL`, a
    // data-modifying `WITH` and a second statement are syntax errors there. On lines of its
    // own, so that a `--` comment on the query's last line comments out nothing of ours.
    let query = query.trim_end().trim_end_matches(';');
    // In a savepoint, so that after a syntax error the transaction can still parse the query
    // alone.
    let wrapped = {
        let mut savepoint = transaction.savepoint("kpi_query")?;
        let prepared = savepoint.prepare(&format!("SELECT * FROM (\n{query}\n) AS kpi_query"));
        if prepared.is_ok() {
            savepoint.commit()?;
        }
        prepared
    };
    let statement = match wrapped {
        Ok(statement) => statement,
        // The query's own syntax error reads better than the one the subquery around it
        // gives: the query alone is parsed, never run (no `Execute`), for its own message.
        Err(e) if e.code() == Some(&SqlState::SYNTAX_ERROR) => {
            transaction.prepare(query)?;
            return Err(Refused::NotOneQuery);
        }
        Err(e) => return Err(e.into()),
    };
    let columns = statement
        .columns()
        .iter()
        .map(|c| (c.name().to_string(), c.type_().clone()))
        .collect();
    let rows = transaction.query(&statement, &[])?;
    transaction.rollback()?;
    Ok((columns, rows))
}

/// One value, by its column's type.
fn value(row: &postgres::Row, i: usize, ty: &Type) -> Result<Value, postgres::Error> {
    fn number<'a, T: FromSql<'a> + Into<f64>>(
        row: &'a postgres::Row,
        i: usize,
    ) -> Result<Value, postgres::Error> {
        Ok(row
            .try_get::<_, Option<T>>(i)?
            .map_or(Value::Null, |v| Value::Number(v.into())))
    }
    Ok(match *ty {
        Type::INT2 => number::<i16>(row, i)?,
        Type::INT4 => number::<i32>(row, i)?,
        Type::INT8 => match row.try_get::<_, Option<i64>>(i)? {
            Some(v) => Value::Number(v as f64),
            None => Value::Null,
        },
        // Through its shortest decimal form: a `real` 0.1 is the 0.1 the database shows, not
        // the 0.10000000149011612 that widening the bits gives.
        Type::FLOAT4 => match row.try_get::<_, Option<f32>>(i)? {
            Some(v) => Value::Number(v.to_string().parse().unwrap_or(f64::from(v))),
            None => Value::Null,
        },
        Type::FLOAT8 => number::<f64>(row, i)?,
        Type::NUMERIC => row
            .try_get::<_, Option<Numeric>>(i)?
            .map_or(Value::Null, |n| Value::Number(n.0)),
        Type::BOOL => row
            .try_get::<_, Option<bool>>(i)?
            .map_or(Value::Null, Value::Bool),
        Type::TEXT | Type::VARCHAR | Type::BPCHAR | Type::NAME => row
            .try_get::<_, Option<String>>(i)?
            .map_or(Value::Null, Value::Text),
        Type::DATE => row
            .try_get::<_, Option<chrono::NaiveDate>>(i)?
            .map_or(Value::Null, |d| stamp(d.and_time(chrono::NaiveTime::MIN))),
        Type::TIMESTAMP => row
            .try_get::<_, Option<chrono::NaiveDateTime>>(i)?
            .map_or(Value::Null, stamp),
        // A moment in time: its month in UTC.
        Type::TIMESTAMPTZ => row
            .try_get::<_, Option<chrono::DateTime<chrono::Utc>>>(i)?
            .map_or(Value::Null, |t| stamp(t.naive_utc())),
        _ => Value::Other(ty.name().to_string()),
    })
}

/// A date and time as a period; one outside the years periods have (a year BC, say) is
/// kept as text, so that the message shows it rather than calling it NULL.
fn stamp(date_time: chrono::NaiveDateTime) -> Value {
    Stamp::at(date_time).map_or_else(|| Value::Text(date_time.to_string()), Value::Stamp)
}

/// A `numeric` value, read from PostgreSQL's binary form as the nearest `f64`.
struct Numeric(f64);

impl<'a> FromSql<'a> for Numeric {
    fn from_sql(_: &Type, raw: &'a [u8]) -> Result<Self, Box<dyn std::error::Error + Sync + Send>> {
        let word = |i: usize| -> Result<i16, Box<dyn std::error::Error + Sync + Send>> {
            raw.get(i..i + 2)
                .map(|b| i16::from_be_bytes([b[0], b[1]]))
                .ok_or_else(|| "truncated numeric value".into())
        };
        let ndigits = word(0)?.max(0) as usize;
        let weight = i32::from(word(2)?);
        let sign = word(4)? as u16;
        match sign {
            0x0000 | 0x4000 => {}
            0xc000 => return Ok(Numeric(f64::NAN)),
            0xd000 => return Ok(Numeric(f64::INFINITY)),
            0xf000 => return Ok(Numeric(f64::NEG_INFINITY)),
            _ => return Err("bad sign in numeric value".into()),
        }
        // Each digit is a base-10000 group; weight is the power of 10000 of the first. Written
        // out in decimal and parsed, so that the result is the correctly rounded f64.
        let mut text = String::with_capacity(ndigits * 4 + 8);
        if sign == 0x4000 {
            text.push('-');
        }
        let groups: Vec<i16> = (0..ndigits)
            .map(|k| word(8 + 2 * k))
            .collect::<Result<_, _>>()?;
        if weight < 0 {
            text.push_str("0.");
            for _ in 0..(-weight - 1) {
                text.push_str("0000");
            }
            for g in &groups {
                text.push_str(&format!("{g:04}"));
            }
        } else {
            for k in 0..=weight as usize {
                let g = groups.get(k).copied().unwrap_or(0);
                if k == 0 {
                    text.push_str(&g.to_string());
                } else {
                    text.push_str(&format!("{g:04}"));
                }
            }
            if groups.len() > weight as usize + 1 {
                text.push('.');
                for g in &groups[weight as usize + 1..] {
                    text.push_str(&format!("{g:04}"));
                }
            }
        }
        if ndigits == 0 {
            return Ok(Numeric(0.0));
        }
        Ok(Numeric(text.parse()?))
    }

    fn accepts(ty: &Type) -> bool {
        *ty == Type::NUMERIC
    }
}

/// The client's message, with the database's own wording when it has one.
fn describe(e: &postgres::Error) -> String {
    if let Some(db) = e.as_db_error() {
        let mut message = format!("{}: {}", db.severity(), db.message());
        if let Some(detail) = db.detail() {
            message.push_str(&format!(" ({detail})"));
        }
        if let Some(hint) = db.hint() {
            message.push_str(&format!("; {hint}"));
        }
        return message;
    }
    let mut message = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        message.push_str(&format!(": {c}"));
        cause = c.source();
    }
    // A refused connection says `Connection refused (os error 111)`: the code tells nothing.
    without_os_code(&message)
}

/// `message` with every occurrence of the URL and the password replaced by `***`.
fn redact(message: &str, url: &str, password: Option<&str>) -> String {
    let mut out = message.replace(url, "***");
    if let Some(p) = password.filter(|p| p.len() >= 3) {
        out = out.replace(p, "***");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn numeric(ndigits: i16, weight: i16, sign: u16, digits: &[i16]) -> f64 {
        let mut raw = Vec::new();
        raw.extend(ndigits.to_be_bytes());
        raw.extend(weight.to_be_bytes());
        raw.extend(sign.to_be_bytes());
        raw.extend(0u16.to_be_bytes());
        for d in digits {
            raw.extend(d.to_be_bytes());
        }
        Numeric::from_sql(&Type::NUMERIC, &raw).unwrap().0
    }

    #[test]
    fn reads_numeric_values() {
        // 12345.678 = [1, 2345, 6780] with weight 1.
        assert_eq!(numeric(3, 1, 0, &[1, 2345, 6780]), 12345.678);
        // -0.0012 = [12] with weight -1.
        assert_eq!(numeric(1, -1, 0x4000, &[12]), -0.0012);
        // 0.00001 = [1000] with weight -2.
        assert_eq!(numeric(1, -2, 0, &[1000]), 0.00001);
        // 20000 = [2] with weight 1 (trailing zero groups are not stored).
        assert_eq!(numeric(1, 1, 0, &[2]), 20000.0);
        assert_eq!(numeric(0, 0, 0, &[]), 0.0);
        assert!(numeric(0, 0, 0xc000, &[]).is_nan());
    }

    #[test]
    fn names_what_is_no_row_query() {
        for (query, word) in [
            ("copy (select 1) to program 'touch x'", Some("copy")),
            (
                "  -- a comment\n/* another */ DO $$ begin end $$",
                Some("DO"),
            ),
            ("call p()", Some("call")),
            ("delete from t", Some("delete")),
            ("select 1", None),
            ("-- months\nWITH m AS (select 1) select * from m", None),
            ("(select 1) union (select 2)", None),
            ("values (1)", None),
            ("table t", None),
            ("selec 1", None),
        ] {
            assert_eq!(not_a_row_query(query).as_deref(), word, "{query}");
        }
    }

    #[test]
    fn finds_reserved_characters_in_credentials() {
        for url in [
            "postgresql://kpi:p@ss@127.0.0.1:5432/kpi",
            "postgresql://kpi:pa/ss@127.0.0.1:5432/kpi",
            "postgresql://k@pi:pass@h/db?sslmode=require",
        ] {
            assert!(reserved_in_credentials(url), "{url}");
        }
        for url in [
            "postgresql://kpi:p%40ss%2F@127.0.0.1:5432/kpi",
            "postgresql://kpi:pa:ss@127.0.0.1/kpi",
            "postgresql://h/db?options=a@b/c",
            "postgresql://h/db",
            "host=h user=a@b",
        ] {
            assert!(!reserved_in_credentials(url), "{url}");
        }
    }

    #[test]
    fn redacts_secrets() {
        assert_eq!(
            redact(
                "bad postgres://u:s3cret@h/db and s3cret",
                "postgres://u:s3cret@h/db",
                Some("s3cret")
            ),
            "bad *** and ***"
        );
    }
}
