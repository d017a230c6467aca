//! PostgreSQL sources, end to end against a real server: `scripts/test` starts one and sets
//! `KPI_TEST_POSTGRES_URL`. Each test makes its own schema, fills it with the `postgres`
//! client, and runs `kpi` with the URL in `KPI_TEST_DB` (set for that process only); every
//! expected value is worked out by hand from the rows inserted.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use postgres::{Client, NoTls};
use serde_json::{Value, json};

use crate::support::{Project, Run, metric};

/// The variable `kpi.toml` names.
pub(crate) const VAR: &str = "KPI_TEST_DB";

/// The test server's URL. Never skipped: without a server these tests fail.
fn server_url() -> String {
    match std::env::var("KPI_TEST_POSTGRES_URL") {
        Ok(url) if !url.trim().is_empty() => url,
        _ => panic!(
            "KPI_TEST_POSTGRES_URL is not set: run the tests with `scripts/test`, which starts a \
             PostgreSQL server for them (or set it to the URL of a server where tests may create \
             schemas)"
        ),
    }
}

/// A schema of the test server, private to one test, dropped at the end.
struct Db {
    client: Client,
    schema: String,
}

impl Db {
    /// Creates the schema (replacing a stale one) and runs `setup` in it.
    fn new(test: &str, setup: &str) -> Self {
        let mut client = Client::connect(&server_url(), NoTls)
            .unwrap_or_else(|e| panic!("cannot connect to KPI_TEST_POSTGRES_URL: {e}"));
        let schema = format!("kpi_{test}_{}", std::process::id());
        client
            .batch_execute(&format!(
                "DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}; \
                 SET search_path TO {schema}; {setup}"
            ))
            .unwrap_or_else(|e| panic!("setting up `{schema}`: {e}"));
        Self { client, schema }
    }

    /// The URL `kpi` gets: the server's, with this schema as the search path.
    fn url(&self) -> String {
        self.url_with("")
    }

    /// The same, with more session settings (`-c name=value`, URL-encoded).
    fn url_with(&self, settings: &str) -> String {
        let url = server_url();
        let sep = if url.contains('?') { '&' } else { '?' };
        format!(
            "{url}{sep}options=-c%20search_path%3D{}{settings}",
            self.schema
        )
    }

    /// How many rows `table` holds, as this test's own connection sees it.
    fn count(&mut self, table: &str) -> i64 {
        self.client
            .query_one(
                &format!("SELECT count(*) FROM {}.{table}", self.schema),
                &[],
            )
            .unwrap()
            .get(0)
    }
}

impl Drop for Db {
    fn drop(&mut self) {
        let _ = self
            .client
            .batch_execute(&format!("DROP SCHEMA IF EXISTS {} CASCADE", self.schema));
    }
}

/// A project whose `kpi.toml` has one PostgreSQL source (`source`: its `query` and other keys)
/// and, for each `(input, extra)`, an input declared with `extra` and a metric `m_<input>`
/// whose formula is the input alone, so that its value is the input's month value.
pub(crate) fn project(source: &str, inputs: &[(&str, &str)]) -> Project {
    let mut project = Project::new().file(
        "kpi.toml",
        &format!("metrics = [\"metrics.d\"]\n\n[[sources]]\npostgres = \"{VAR}\"\n{source}\n"),
    );
    for (name, extra) in inputs {
        project = project.file(
            &format!("metrics.d/m_{name}.toml"),
            &format!(
                "{}\n[inputs.{name}]\nunit = \"number\"\n{extra}\n",
                metric(name, "")
            ),
        );
    }
    project
}

/// Runs `kpi` with `KPI_TEST_DB` set to `url`.
pub(crate) fn kpi(project: &Project, url: &str, args: &[&str]) -> Run {
    project.run_with(args, &[(VAR, url)], None)
}

/// `kpi eval --period PERIOD --format json`: each metric's `(value, previous, reason)`, by id.
pub(crate) fn eval(
    project: &Project,
    url: &str,
    period: &str,
) -> HashMap<String, (Value, Value, Value)> {
    let run = kpi(
        project,
        url,
        &["eval", "--period", period, "--format", "json"],
    )
    .code(0);
    let json = run.json();
    assert_eq!(json["period"], period);
    json["metrics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["id"].as_str().unwrap().to_string(),
                (
                    m["value"].clone(),
                    m["previous"].clone(),
                    m["reason"].clone(),
                ),
            )
        })
        .collect()
}

/// Runs `kpi eval` expecting the data to be refused; returns stderr.
pub(crate) fn fails(project: &Project, url: &str) -> String {
    let run = kpi(project, url, &["eval", "--format", "json"]).code(1);
    assert_eq!(run.stdout, "");
    run.stderr
}

#[test]
fn wide_columns_of_every_number_type() {
    let db = Db::new(
        "wide",
        "CREATE TABLE t (day date, small int2, whole int4, big int8, single float4, \
             double float8, exact numeric, tiny numeric, groups numeric(12, 4), missing int4);
         INSERT INTO t VALUES
           ('2026-09-03', 1, 2, 3, 0.5, 0.25, 1, 2, 20000, 7),
           ('2026-10-31', -7, 123456, 3000000000, 0.1, 2.75, 1234.5678, -0.00012, 10000.0001, NULL);",
    );
    let names = [
        "small", "whole", "big", "single", "double", "exact", "tiny", "groups", "missing",
    ];
    let inputs: Vec<(&str, &str)> = names.iter().map(|n| (*n, "")).collect();
    // No `period` column and no `period` key: the first column gives the month.
    let project = project(
        &format!("query = \"select day, {} from t\"", names.join(", ")),
        &inputs,
    );
    let got = eval(&project, &db.url(), "2026-10");
    let expected = [
        ("small", json!(-7.0), json!(1.0)),
        ("whole", json!(123456.0), json!(2.0)),
        ("big", json!(3000000000.0), json!(3.0)),
        // A `real` 0.1 is the 0.1 the database shows, not 0.10000000149011612.
        ("single", json!(0.1), json!(0.5)),
        ("double", json!(2.75), json!(0.25)),
        ("exact", json!(1234.5678), json!(1.0)),
        ("tiny", json!(-0.00012), json!(2.0)),
        // numeric(12, 4): 10000.0001 is the groups 1|0000|0001, and 20000.0000 is 2 (then
        // zero groups that are not stored).
        ("groups", json!(10000.0001), json!(20000.0)),
    ];
    for (name, value, previous) in expected {
        let (v, p, reason) = &got[&format!("m_{name}")];
        assert_eq!((v, p, reason), (&value, &previous, &Value::Null), "{name}");
    }
    // NULL is a missing value.
    assert_eq!(
        got["m_missing"],
        (
            Value::Null,
            json!(7.0),
            json!("input `missing` has no value for 2026-10")
        )
    );
}

#[test]
fn timestamp_periods_are_read_as_written() {
    let db = Db::new(
        "timestamp",
        "CREATE TABLE t (at timestamp, v int4);
         INSERT INTO t VALUES ('2026-09-30 23:59:59', 1), ('2026-10-01 00:00:00', 10),
                              ('2026-10-31 23:30:00', 100);",
    );
    let project = project(
        "query = \"select at, v from t\"",
        &[("v", "aggregate = \"sum\"")],
    );
    let got = eval(&project, &db.url(), "2026-10");
    assert_eq!(got["m_v"], (json!(110.0), json!(1.0), Value::Null));
}

#[test]
fn timestamptz_periods_are_months_in_utc() {
    let db = Db::new(
        "timestamptz",
        "CREATE TABLE t (at timestamptz, v int4);
         INSERT INTO t VALUES
           ('2026-10-31 23:30:00-05', 1),   -- 2026-11-01 04:30 UTC: November
           ('2026-10-01 02:00:00+05', 10),  -- 2026-09-30 21:00 UTC: September
           ('2026-10-15 12:00:00+00', 100);",
    );
    let project = project(
        "query = \"select at as period, v from t\"",
        &[("v", "aggregate = \"sum\"")],
    );
    // The session's time zone is New York, where the first row is still in October: the
    // month is taken in UTC all the same.
    let url = db.url_with("%20-c%20TimeZone%3DAmerica%2FNew_York");
    let got = eval(&project, &url, "2026-10");
    assert_eq!(got["m_v"], (json!(100.0), json!(10.0), Value::Null));
    let got = eval(&project, &url, "2026-11");
    assert_eq!(got["m_v"], (json!(1.0), json!(100.0), Value::Null));
}

#[test]
fn months_computed_by_the_query_are_utc_months_too() {
    let db = Db::new(
        "date_trunc",
        "CREATE TABLE t (at timestamptz, v int4);
         INSERT INTO t VALUES ('2026-10-15 12:00:00+00', 5), ('2026-11-20 12:00:00+00', 7);",
    );
    // In a Tokyo session, `date_trunc` would give 2026-10-01 00:00+09, which is
    // 2026-09-30 in UTC: the query runs in UTC, as the months are read.
    let project = project(
        "query = \"select date_trunc('month', at) as period, sum(v) as v from t group by 1\"",
        &[("v", "")],
    );
    let url = db.url_with("%20-c%20TimeZone%3DAsia%2FTokyo");
    let got = eval(&project, &url, "2026-11");
    assert_eq!(got["m_v"], (json!(7.0), json!(5.0), Value::Null));
}

#[test]
fn text_periods_months_and_dates() {
    let db = Db::new(
        "text_period",
        "CREATE TABLE t (v int4, period varchar(10));
         INSERT INTO t VALUES (1, '2026-09'), (2, '2026-10'), (3, '2026-10-15');",
    );
    // The period column is found by its name, though it is not the first.
    let project = project(
        "query = \"select v, period from t\"",
        &[("v", "aggregate = \"sum\"")],
    );
    let got = eval(&project, &db.url(), "2026-10");
    assert_eq!(got["m_v"], (json!(5.0), json!(1.0), Value::Null));
}

#[test]
fn long_shape() {
    let db = Db::new(
        "long",
        "CREATE TABLE facts (month date, name text, amount numeric);
         INSERT INTO facts VALUES
           ('2026-09-01', 'visits', 100), ('2026-09-01', 'trials', 4),
           ('2026-10-01', 'visits', 200), ('2026-10-01', 'trials', 5),
           ('2026-10-01', 'other', 1);",
    );
    // Exactly `period`, `input` and `value`, in any order: one row per month and input.
    let project = project(
        "query = \"select name as input, amount as value, month as period from facts\"",
        &[("visits", ""), ("trials", "")],
    )
    .file(
        "metrics.d/trial_rate.toml",
        &metric("trials / visits * 100", ""),
    );
    let got = eval(&project, &db.url(), "2026-10");
    assert_eq!(got["m_visits"], (json!(200.0), json!(100.0), Value::Null));
    assert_eq!(got["m_trials"], (json!(5.0), json!(4.0), Value::Null));
    // 5 / 200 * 100 and 4 / 100 * 100.
    assert_eq!(got["trial_rate"], (json!(2.5), json!(4.0), Value::Null));
    let run = kpi(&project, &db.url(), &["check"]).code(0);
    assert!(run.stderr.contains("`other`"), "{}", run.stderr);
}

#[test]
fn several_rows_a_month_are_aggregated() {
    let db = Db::new(
        "aggregate",
        "CREATE TABLE orders (day date, amount numeric, customer text);
         INSERT INTO orders VALUES
           ('2026-09-05', 10.5, 'a'),
           ('2026-10-01', 20, 'a'), ('2026-10-15', 30.25, NULL),
           ('2026-10-31', NULL, 'b'), ('2026-10-20', 0.75, 'c');",
    );
    let project = project(
        "query = \"select day, amount, customer from orders\"",
        &[
            ("revenue", "column = \"amount\"\naggregate = \"sum\""),
            ("orders", "column = \"amount\"\naggregate = \"count\""),
            ("basket", "column = \"amount\"\naggregate = \"mean\""),
            ("buyers", "column = \"customer\"\naggregate = \"count\""),
        ],
    );
    let got = eval(&project, &db.url(), "2026-10");
    // October: amounts 20, 30.25 and 0.75 (and a NULL, not counted); customers a, b and c
    // (and a NULL).
    assert_eq!(got["m_revenue"], (json!(51.0), json!(10.5), Value::Null));
    assert_eq!(got["m_orders"], (json!(3.0), json!(1.0), Value::Null));
    assert_eq!(got["m_basket"], (json!(17.0), json!(10.5), Value::Null));
    assert_eq!(got["m_buyers"], (json!(3.0), json!(1.0), Value::Null));
}

#[test]
fn queries_cannot_write() {
    let mut db = Db::new(
        "read_only",
        "CREATE TABLE t (period text, v int4);
         INSERT INTO t VALUES ('2026-09', 1), ('2026-10', 2);",
    );
    for (query, message) in [
        (
            "delete from t returning period, v",
            "the query starts with `delete`: a source runs only a query that returns rows",
        ),
        (
            "update t set v = 0 returning period, v",
            "the query starts with `update`: a source runs only a query that returns rows",
        ),
        // Past the first word, the subquery it runs in refuses it; the read-only
        // transaction is there too.
        (
            "with gone as (delete from t returning period, v) select period, v from gone",
            "WITH clause containing a data-modifying statement must be at the top level",
        ),
        (
            "with x as (select 1) delete from t returning period, v",
            "the query is not one query that returns rows",
        ),
        (
            "select period, v from t; delete from t",
            "cannot insert multiple commands into a prepared statement",
        ),
    ] {
        let project = project(&format!("query = \"{query}\""), &[("v", "")]);
        let stderr = fails(&project, &db.url());
        assert!(
            stderr.starts_with("error: kpi.toml:4:12: the PostgreSQL source `KPI_TEST_DB`: ")
                && stderr.contains(message),
            "{query}: {stderr}"
        );
        assert_eq!(db.count("t"), 2, "{query}");
    }
    let sum: i64 = db
        .client
        .query_one(&format!("SELECT sum(v) FROM {}.t", db.schema), &[])
        .unwrap()
        .get(0);
    assert_eq!(sum, 3);
}

/// A file on the server's machine (this one) that a command run by the server would create.
fn pwned(test: &str) -> std::path::PathBuf {
    std::env::temp_dir().join(format!("kpi-pwned-{test}-{}", std::process::id()))
}

#[test]
fn copy_to_program_ran_on_the_server_under_a_superuser_url() {
    let db = Db::new("copy_program", "CREATE TABLE t (period text, v int4);");
    let superuser = crate::postgres_tls::setting("KPI_TEST_POSTGRES_SUPERUSER_URL");
    let file = pwned("copy");
    let _ = std::fs::remove_file(&file);
    let touch = format!("copy (select 1) to program 'touch {}'", file.display());
    // The command of the issue, and the same hidden after a query: neither reaches the
    // server's shell, whether the role is a superuser or not.
    for url in [superuser.as_str(), &db.url()] {
        for query in [touch.clone(), format!("select period, v from t; {touch}")] {
            let project = project(&format!("query = \"{query}\""), &[("v", "")]);
            let stderr = fails(&project, url);
            assert!(stderr.starts_with("error: kpi.toml:4:12: "), "{stderr}");
            assert!(!file.exists(), "{query} ran: {stderr}");
        }
    }
}

#[test]
fn a_superuser_role_is_refused_with_the_sql_of_a_read_only_one() {
    let _db = Db::new("superuser", "");
    let superuser = crate::postgres_tls::setting("KPI_TEST_POSTGRES_SUPERUSER_URL");
    let project = project(
        "query = \"select '2026-10' as period, 1 as v\"",
        &[("v", "")],
    );
    assert_eq!(
        fails(&project, &superuser),
        "error: kpi.toml:4:12: the PostgreSQL source `KPI_TEST_DB`: `KPI_TEST_DB` connects as a \
         superuser, which can act on the server even from a read-only query\n  = help: connect \
         as a role that may only read, made once by an administrator: `CREATE ROLE kpi_reader \
         LOGIN PASSWORD '...'; GRANT pg_read_all_data TO kpi_reader;` (PostgreSQL 14 or later; \
         docs/data.md gives the grants for one schema)\n"
    );
    // The test role `kpi` is no superuser: the same query runs.
    let url = crate::postgres_tls::setting("KPI_TEST_POSTGRES_URL");
    assert_eq!(eval(&project, &url, "2026-10")["m_v"].0, json!(1.0));
}

#[test]
fn copy_do_call_and_a_second_statement_cannot_run() {
    let mut db = Db::new(
        "commands",
        "CREATE TABLE t (period text, v int4);
         INSERT INTO t VALUES ('2026-09', 1), ('2026-10', 2);
         CREATE PROCEDURE p() LANGUAGE sql AS $$ INSERT INTO t VALUES ('2026-11', 3) $$;",
    );
    for (query, word) in [
        ("copy t to stdout", "copy"),
        ("COPY (select period, v from t) TO STDOUT", "COPY"),
        (
            "do $$ begin insert into t values ('2026-12', 4); end $$",
            "do",
        ),
        ("call p()", "call"),
        ("-- a comment first\ncall p()", "call"),
    ] {
        let project = project(&format!("query = \"\"\"\n{query}\n\"\"\"\n"), &[("v", "")]);
        let stderr = fails(&project, &db.url());
        assert!(
            stderr.starts_with(&format!(
                "error: kpi.toml:4:12: the PostgreSQL source `KPI_TEST_DB`: the query starts \
                 with `{word}`: a source runs only a query that returns rows\n"
            )),
            "{query}: {stderr}"
        );
    }
    // Behind a `select`, the subquery refuses them, and the server says why.
    for query in [
        "select period, v from t; call p()",
        "select period, v from t; copy t to stdout",
        "select period, v from t; do $$ begin insert into t values ('2026-12', 4); end $$",
    ] {
        let project = project(&format!("query = \"\"\"\n{query}\n\"\"\"\n"), &[("v", "")]);
        let stderr = fails(&project, &db.url());
        assert!(
            stderr.contains("cannot insert multiple commands into a prepared statement"),
            "{query}: {stderr}"
        );
    }
    assert_eq!(db.count("t"), 2);
    // A query that ends with `;`, or with a comment, still runs: 2 is October's value.
    for query in [
        "select period, v from t;",
        "select period, v from t -- October is 2",
    ] {
        let project = project(&format!("query = \"\"\"\n{query}\n\"\"\"\n"), &[("v", "")]);
        assert_eq!(
            eval(&project, &db.url(), "2026-10")["m_v"].0,
            json!(2.0),
            "{query}"
        );
    }
}

#[test]
fn slow_queries_time_out() {
    let db = Db::new("timeout", "");
    let project = project(
        "query = \"select '2026-10' as period, 1 as v from pg_sleep(5)\"\ntimeout = 1",
        &[("v", "")],
    );
    let start = Instant::now();
    let stderr = fails(&project, &db.url());
    let took = start.elapsed();
    // Located at the `timeout` line (line 6 of kpi.toml: `metrics`, a blank line,
    // `[[sources]]`, `postgres`, `query`, `timeout`), which it names.
    assert_eq!(
        stderr,
        "error: kpi.toml:6:11: the PostgreSQL source `KPI_TEST_DB`: the query ran longer than \
         its `timeout = 1` (seconds) allows\n  |\n6 | timeout = 1\n  |           ^\n  = help: make \
         the query do less (group by month in the database, filter the rows it needs), or raise \
         `timeout` here (at most 86400)\n"
    );
    assert!(
        took < Duration::from_secs(3),
        "took {took:?} with `timeout = 1`"
    );
}

#[test]
fn a_server_that_never_answers_hung_the_run() {
    // A listener that accepts connections (the kernel does, into its backlog) and never
    // answers: the client's `connect_timeout` covers the TCP connection only.
    let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = silent.local_addr().unwrap().port();
    let project = project("query = \"select 1\"\ntimeout = 1", &[("v", "")]);
    for mode in ["disable", "prefer", "require"] {
        let url = format!("postgresql://kpi:secret-77@127.0.0.1:{port}/kpi?sslmode={mode}");
        let start = Instant::now();
        let stderr = fails(&project, &url);
        let took = start.elapsed();
        assert_eq!(
            stderr,
            "error: kpi.toml:6:11: the PostgreSQL source `KPI_TEST_DB`: the server did not \
             answer within the `timeout = 1` (seconds) of the source\n  |\n6 | timeout = 1\n  \
             |           ^\n  = help: check the host and port of the URL, and that the server \
             (or a proxy on the way) answers; if it is only slow, raise `timeout`\n",
            "{mode}"
        );
        assert!(took < Duration::from_secs(4), "{mode}: took {took:?}");
    }
    drop(silent);
}

#[test]
fn a_password_with_a_reserved_character_is_said_to_be_percent_encoded() {
    let db = Db::new("reserved", "CREATE TABLE t (period text, v int4);");
    let project = project("query = \"select period, v from t\"", &[("v", "")]);
    for password in ["Pa@ss-4e1b", "Pa/ss-4e1b", "Pa:ss@4e1b"] {
        let (url, _) = with_password(&db.url(), password);
        let stderr = fails(&project, &url);
        assert_eq!(
            stderr,
            "error: kpi.toml:4:12: the PostgreSQL source `KPI_TEST_DB`: the user name or \
             password in `KPI_TEST_DB` holds a `@`, `:` or `/` that is not percent-encoded, so \
             the URL cannot be read\n  = help: percent-encode those characters in the user \
             name and password: `@` as `%40`, `:` as `%3A`, `/` as `%2F` \
             (`postgresql://kpi:p%40ss@db.example.com/analytics`)\n",
            "{password}"
        );
        for secret in ["Pa", "4e1b", "ss-"] {
            assert!(!stderr.contains(secret), "{secret:?} in {stderr}");
        }
    }
}

/// `url` with its password replaced.
fn with_password(url: &str, password: &str) -> (String, String) {
    let start = url.find("://").expect("a URL") + 3;
    let at = start + url[start..].find('@').expect("credentials in the URL");
    let colon = start + url[start..at].find(':').expect("a password in the URL");
    let old = url[colon + 1..at].to_string();
    (
        format!("{}{password}{}", &url[..colon + 1], &url[at..]),
        old,
    )
}

#[test]
fn a_wrong_password_is_the_servers_message_without_secrets() {
    let db = Db::new("password", "CREATE TABLE t (period text, v int4);");
    let (url, real) = with_password(&db.url(), "wrong-Pa55word-9f2c");
    let project = project("query = \"select period, v from t\"", &[("v", "")]);
    let stderr = fails(&project, &url);
    assert!(
        stderr.starts_with("error: kpi.toml:4:12: the PostgreSQL source `KPI_TEST_DB`: ")
            && stderr.contains("password authentication failed"),
        "{stderr}"
    );
    for secret in [url.as_str(), "wrong-Pa55word-9f2c", &real, "postgresql://"] {
        assert!(!stderr.contains(secret), "{secret:?} in {stderr}");
    }
    // A password that is an ordinary word does not blank that word out of the message.
    let (url, _) = with_password(&db.url(), "password");
    let stderr = fails(&project, &url);
    assert!(
        stderr.contains("password authentication failed"),
        "{stderr}"
    );
}

#[test]
fn an_unset_variable_is_named() {
    let project = Project::new()
        .file(
            "kpi.toml",
            "metrics = [\"metrics.d\"]\n\n[[sources]]\npostgres = \"KPI_TEST_NEVER_SET\"\nquery = \"select 1\"\n",
        )
        .file(
            "metrics.d/m_v.toml",
            &(metric("v", "") + "\n[inputs.v]\nunit = \"number\"\n"),
        );
    let run = project.run(&["eval", "--format", "json"]).code(1);
    assert_eq!(run.stdout, "");
    assert!(
        run.stderr.starts_with(
            "error: kpi.toml:4:12: environment variable `KPI_TEST_NEVER_SET` is not set"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn a_url_in_kpi_toml_is_refused_and_not_shown() {
    let url = "postgresql://kpi:hunter2-secret@127.0.0.1:5/kpi";
    let project = Project::new()
        .file(
            "kpi.toml",
            &format!("[[sources]]\npostgres = \"{url}\"\nquery = \"select 1\"\n"),
        )
        .file(
            "metrics.d/m_v.toml",
            &(metric("v", "") + "\n[inputs.v]\nunit = \"number\"\n"),
        );
    let run = project.run(&["eval", "--metrics", "metrics.d", "--format", "json"]);
    assert_ne!(run.code, 0);
    assert_eq!(run.stdout, "");
    assert!(
        run.stderr
            .contains("`postgres` takes the name of an environment variable, not a connection URL"),
        "{}",
        run.stderr
    );
    for secret in [url, "hunter2-secret", "postgresql://", "127.0.0.1"] {
        assert!(!run.stderr.contains(secret), "{secret:?} in {}", run.stderr);
    }
}

#[test]
fn a_syntax_error_is_the_servers_message() {
    let db = Db::new("syntax", "CREATE TABLE t (period text, v int4);");
    let project = project("query = \"selec period, v from t\"", &[("v", "")]);
    let stderr = fails(&project, &db.url());
    assert!(
        stderr.starts_with("error: kpi.toml:4:12: the PostgreSQL source `KPI_TEST_DB`: ")
            && stderr.contains("syntax error at or near \"selec\""),
        "{stderr}"
    );
}

#[test]
fn a_column_of_another_type_is_named() {
    let db = Db::new("types", "");
    let project = project(
        "query = \"select '2026-10' as period, true as flag, '{}'::json as doc\"",
        &[("flag", ""), ("doc", "")],
    );
    let stderr = fails(&project, &db.url());
    assert!(
        stderr.contains(
            "the PostgreSQL source `KPI_TEST_DB`, row 1, column `doc`: a value of type `json` is not a number"
        ),
        "{stderr}"
    );
    // A boolean read by a number input says how to read it as yes or no.
    assert!(
        stderr.contains(
            "the PostgreSQL source `KPI_TEST_DB`, row 1, column `flag`: a true/false value is not a number: declare the input `unit = \"boolean\"` to read it as yes or no"
        ),
        "{stderr}"
    );
}

#[test]
fn booleans_are_yes_and_no() {
    let db = Db::new(
        "booleans",
        "CREATE TABLE checks (period text, shipped boolean);
         INSERT INTO checks VALUES ('2026-08', false), ('2026-09', NULL), ('2026-10', true);",
    );
    let project = Project::new()
        .file(
            "kpi.toml",
            &format!(
                "metrics = [\"metrics.d\"]\n\n[[sources]]\npostgres = \"{VAR}\"\nquery = \"select period, shipped from checks\"\n"
            ),
        )
        .file(
            "metrics.d/m_shipped.toml",
            "name = \"Shipped\"\ncategory = \"product\"\nkind = \"kpi\"\nunit = \"boolean\"\n\
             formula = \"shipped\"\n\n[target]\nvalue = true\n\n[inputs.shipped]\nunit = \"boolean\"\n",
        );
    let url = db.url();
    let got = eval(&project, &url, "2026-10");
    // true is yes (1); NULL is a missing value, not a no.
    assert_eq!(got["m_shipped"].0, json!(1.0));
    assert_eq!(got["m_shipped"].1, Value::Null);
    let august = eval(&project, &url, "2026-08");
    assert_eq!(august["m_shipped"].0, json!(0.0));
}

#[test]
fn a_value_the_client_cannot_read_is_named() {
    let db = Db::new("unreadable", "");
    let project = project(
        "query = \"select 'infinity'::date as period, 1 as v\"",
        &[("v", "")],
    );
    let stderr = fails(&project, &db.url());
    assert!(
        stderr.contains(
            "the PostgreSQL source `KPI_TEST_DB`, row 1, column `period`: cannot read this `date` \
             value"
        ),
        "{stderr}"
    );
}

#[test]
fn pulled_data_evaluates_as_the_database_does() {
    let db = Db::new(
        "pull",
        "CREATE TABLE orders (at timestamptz, amount numeric, customer text, refund float8);
         INSERT INTO orders VALUES
           ('2026-08-10 10:00:00+00', 5, 'a', NULL),
           ('2026-09-05 10:00:00+00', 10.5, 'a', 1.5),
           ('2026-10-01 00:30:00+02', 2.25, 'b', NULL),  -- 2026-09-30 22:30 UTC
           ('2026-10-02 10:00:00+00', 20, 'a', NULL),
           ('2026-10-15 10:00:00+00', 30.125, NULL, 0.5);",
    );
    let project = project(
        "query = \"select at as period, amount, customer, refund from orders\"",
        &[
            ("revenue", "column = \"amount\"\naggregate = \"sum\""),
            ("orders", "column = \"amount\"\naggregate = \"count\""),
            ("buyers", "column = \"customer\"\naggregate = \"count\""),
            ("refunds", "column = \"refund\"\naggregate = \"sum\""),
        ],
    )
    .file("metrics.d/net.toml", &metric("revenue - refunds", ""));
    let url = db.url();
    kpi(&project, &url, &["data", "pull", "--output", "pulled.csv"]).code(0);
    // August: 5 from a; no refund. September: 10.5 + 2.25 from a and b; refund 1.5.
    // October: 20 + 30.125 from a (and a NULL customer); refund 0.5.
    assert_eq!(
        std::fs::read_to_string(project.join("pulled.csv")).unwrap(),
        "period,buyers,orders,refunds,revenue\n\
         2026-08,1,1,,5\n\
         2026-09,2,2,1.5,12.75\n\
         2026-10,1,2,0.5,50.125\n"
    );
    for period in ["2026-08", "2026-09", "2026-10"] {
        let args = ["eval", "--period", period, "--format", "json"];
        let from_database = kpi(&project, &url, &args).code(0);
        // No database for this one: the variable is not set.
        let from_file = project
            .run(&[&args[..], &["--data", "pulled.csv"]].concat())
            .code(0);
        assert_eq!(from_file.stdout, from_database.stdout, "{period}");
    }
    let got = eval(&project, &url, "2026-08");
    assert_eq!(
        got["net"],
        (
            Value::Null,
            Value::Null,
            json!("input `refunds` has no value for 2026-08")
        )
    );
    assert_eq!(
        eval(&project, &url, "2026-10")["net"],
        (json!(49.625), json!(11.25), Value::Null)
    );
}

#[test]
fn columns_map_a_querys_own_names() {
    // The query's column names are the warehouse's; `columns` maps them to the inputs, and
    // wins over the definition's `column`.
    let db = Db::new(
        "columns",
        "CREATE TABLE ventes (jour date, \"CA (€)\" numeric, clients int4);
         INSERT INTO ventes VALUES ('2026-10-02', 1200.5, 40), ('2026-10-20', 99.5, 2);",
    );
    let project = project(
        "query = \"select jour, \\\"CA (€)\\\", clients from ventes\"\n\
         columns = { revenue = \"CA (€)\", customers = \"clients\" }",
        &[
            ("revenue", "aggregate = \"sum\"\ncolumn = \"amount\""),
            ("customers", "aggregate = \"max\""),
        ],
    );
    let got = eval(&project, &db.url(), "2026-10");
    // 1200.5 + 99.5, and the larger of 40 and 2.
    assert_eq!(got["m_revenue"].0, json!(1300.0));
    assert_eq!(got["m_customers"].0, json!(40.0));
    // A query's columns are found as spelt: `ca (€)` names none of them.
    let project = project.file(
        "kpi.toml",
        &format!(
            "metrics = [\"metrics.d\"]\n\n[[sources]]\npostgres = \"{VAR}\"\n\
             query = \"select jour, \\\"CA (€)\\\", clients from ventes\"\n\
             columns = {{ revenue = \"ca (€)\" }}\n"
        ),
    );
    let stderr = fails(&project, &db.url());
    assert!(
        stderr.starts_with(
            "error: kpi.toml:6:23: the PostgreSQL source `KPI_TEST_DB` has no column `ca (€)` for input `revenue` (mapped in `columns`)\n"
        ),
        "{stderr}"
    );
}
