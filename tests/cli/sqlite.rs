//! SQLite sources: real database files written by the test with `rusqlite`, read through the
//! binary in both shapes, with aggregation, NULLs, and queries that must change nothing.

use rusqlite::Connection;

use crate::support::Project;

/// Definitions of `revenue` (sum of `amount`), `orders` (count of `id`), and `basket`.
const BASKET: &str = "name = \"Basket\"\ncategory = \"business\"\nkind = \"metric\"\nunit = \"currency\"\n\
    formula = \"revenue / orders\"\n\n\
    [inputs.revenue]\nunit = \"currency\"\ncolumn = \"amount\"\naggregate = \"sum\"\n\n\
    [inputs.orders]\nunit = \"count\"\ncolumn = \"id\"\naggregate = \"count\"\n";

/// A project with `warehouse.db` holding order rows, and `kpi.toml` reading it with `query`.
fn project(query: &str) -> Project {
    let project = Project::new().file("metrics.d/basket.toml", BASKET).file(
        "kpi.toml",
        &format!("[[sources]]\nsqlite = \"warehouse.db\"\nquery = \"\"\"\n{query}\n\"\"\"\n"),
    );
    let db = Connection::open(project.join("warehouse.db")).unwrap();
    db.execute_batch(
        "create table orders (id text, placed text, amount real, customer integer);
         insert into orders values
           ('A1', '2026-10-01 09:00:00', 10.5, 1),
           ('A2', '2026-10-15T18:30:00Z', 20, 2),
           ('A3', '2026-10-31', null, 1),
           ('B1', '2026-11-02', 7.25, 3);",
    )
    .unwrap();
    project
}

fn basket(project: &Project, period: &str) -> serde_json::Value {
    let run = project
        .run(&["eval", "--period", period, "--format", "json"])
        .code(0);
    run.json()["metrics"][0].clone()
}

fn rows(project: &Project) -> i64 {
    let db = Connection::open(project.join("warehouse.db")).unwrap();
    db.query_row("select count(*) from orders", [], |r| r.get(0))
        .unwrap()
}

#[test]
fn wide_rows_are_aggregated_to_months() {
    let project = project("select placed, id, amount from orders");
    // October: (10.5 + 20) / 3 orders (A3 has no amount but is an order); November 7.25 / 1.
    assert_eq!(basket(&project, "2026-10")["value"], 30.5 / 3.0);
    assert_eq!(basket(&project, "2026-11")["value"], 7.25);
}

#[test]
fn months_computed_in_sql_and_long_shapes() {
    // The heavy lifting in the query: one row per month, as a data team would write it. The
    // columns are named as the inputs, so that they are read as the months' values: the
    // declared `column`s (`id`, `amount`) are the raw rows, which `aggregate` would count.
    let project = project(
        "select strftime('%Y-%m', placed) as period, count(id) as orders, sum(amount) as revenue \
         from orders group by 1 order by 1",
    );
    assert_eq!(basket(&project, "2026-10")["value"], 30.5 / 3.0);
    let long = project.file(
        "kpi.toml",
        "[[sources]]\nsqlite = \"warehouse.db\"\nquery = \"\"\"\n\
         select strftime('%Y-%m', placed) as period, 'revenue' as input, sum(amount) as value from orders group by 1\n\
         union all\n\
         select strftime('%Y-%m', placed), 'orders', count(*) from orders group by 1\n\"\"\"\n",
    );
    assert_eq!(basket(&long, "2026-11")["value"], 7.25);
    assert_eq!(basket(&long, "2026-10")["value"], 30.5 / 3.0);
}

#[test]
fn null_is_a_missing_value() {
    let project = project("select placed, id, amount from orders where id = 'A3'");
    let metric = basket(&project, "2026-10");
    assert_eq!(metric["value"], serde_json::Value::Null);
    assert_eq!(metric["reason"], "input `revenue` has no value for 2026-10");
}

#[test]
fn a_query_can_change_nothing() {
    let project = project("delete from orders returning placed, id, amount");
    let run = project.run(&["eval"]).code(1);
    assert_eq!(
        run.stderr,
        "error: kpi.toml:2:10: the SQLite source `warehouse.db`: attempt to write a readonly database\n"
    );
    assert_eq!(rows(&project), 4);
    let project = project_with_two_statements();
    project.run(&["eval"]).code(1);
    assert_eq!(rows(&project), 4);
}

fn project_with_two_statements() -> Project {
    project("select placed, id, amount from orders; drop table orders")
}

#[test]
fn database_errors_name_the_source_and_give_sqlite_s_message() {
    let project = project("selec placed from orders");
    let run = project.run(&["eval"]).code(1);
    assert!(
        run.stderr.starts_with(
            "error: kpi.toml:2:10: the SQLite source `warehouse.db`: near \"selec\": syntax error"
        ),
        "{}",
        run.stderr
    );
    let missing = Project::new().file("metrics.d/basket.toml", BASKET).file(
        "kpi.toml",
        "[[sources]]\nsqlite = \"nope.db\"\nquery = \"select 1\"\n",
    );
    let run = missing.run(&["eval"]).code(1);
    assert_eq!(
        run.stderr,
        "error: kpi.toml:2:10: the SQLite source `nope.db`: the database file `nope.db` does not exist\n"
    );
}

#[test]
fn values_that_are_not_numbers_or_periods_are_errors_once() {
    let project = project("select customer * 100000 as period, id, amount from orders");
    let run = project.run(&["eval"]).code(1);
    assert_eq!(
        run.stderr,
        "error: kpi.toml:2:10: the SQLite source `warehouse.db`, row 1, column `period`: a number is not a period: return a date, a timestamp, or text such as `2026-10`\n… and 3 more rows like it (rows 2–4)\n"
    );
    let project = self::project("select placed, id, 'n/a' as amount from orders");
    let run = project.run(&["eval"]).code(1);
    assert!(
        run.stderr.starts_with(
            "error: kpi.toml:2:10: the SQLite source `warehouse.db`, row 1, column `amount`: `n/a` is not a number (leave the cell empty for a missing value)\n… and 3 more rows like it (rows 2–4)\n"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn pull_writes_what_the_database_gives() {
    let project = project("select placed, id, amount from orders");
    let run = project.run(&["data", "pull"]).code(0);
    assert_eq!(
        run.stdout,
        "period,orders,revenue\n2026-10,3,30.5\n2026-11,1,7.25\n"
    );
}

/// The query of issue 23's hang: a recursive query with no end, which used to run for ever.
const ENDLESS: &str = "with recursive c(i) as (select 1 union all select i + 1 from c) \
                       select '2026-10' as period, count(*) as orders from c";

#[test]
fn an_endless_query_is_stopped_at_its_timeout() {
    let project = project("select 1").file(
        "kpi.toml",
        &format!("[[sources]]\nsqlite = \"warehouse.db\"\ntimeout = 1\nquery = \"{ENDLESS}\"\n"),
    );
    let start = std::time::Instant::now();
    let run = project.run(&["eval", "--format", "json"]).code(1);
    let took = start.elapsed();
    assert_eq!(run.stdout, "");
    // The same message as PostgreSQL's, at the `timeout` line (line 3).
    assert_eq!(
        run.stderr,
        "error: kpi.toml:3:11: the SQLite source `warehouse.db`: the query ran longer than its \
         `timeout = 1` (seconds) allows\n  |\n3 | timeout = 1\n  |           ^\n  = help: make \
         the query do less (group by month in the database, filter the rows it needs), or raise \
         `timeout` here (at most 86400)\n"
    );
    assert!(
        took < std::time::Duration::from_secs(5),
        "took {took:?} with `timeout = 1`"
    );
    // A query that ends in time is read as before: 3 orders in October.
    let project = project.file(
        "kpi.toml",
        "[[sources]]\nsqlite = \"warehouse.db\"\ntimeout = 1\nquery = \"select placed, id, \
         amount from orders\"\n",
    );
    assert_eq!(basket(&project, "2026-10")["value"], 30.5 / 3.0);
}

#[test]
fn timeout_is_for_database_sources_only() {
    let project = Project::new()
        .file("metrics.d/basket.toml", BASKET)
        .file("kpi.toml", "[[sources]]\ncsv = \"data.csv\"\ntimeout = 5\n");
    let run = project.run(&["check"]).code(1);
    assert!(
        run.stderr.starts_with(
            "error: kpi.toml:3:11: `timeout` is for database sources\n  |\n3 | timeout = 5\n"
        ),
        "{}",
        run.stderr
    );
}

/// The folder's entries and the database file's bytes.
fn folder(project: &Project) -> (Vec<String>, Vec<u8>) {
    (
        crate::support::listing(&project.join("")),
        std::fs::read(project.join("warehouse.db")).unwrap(),
    )
}

#[test]
fn reading_a_wal_database_left_wal_and_shm_files_beside_it() {
    let project = project("select placed, id, amount from orders");
    {
        let db = Connection::open(project.join("warehouse.db")).unwrap();
        let mode: String = db
            .query_row("pragma journal_mode = wal", [], |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
        // Closing the last connection checkpoints and removes `-wal` and `-shm`.
    }
    let before = folder(&project);
    assert!(
        !before.0.iter().any(|n| n.starts_with("warehouse.db-")),
        "{:?}",
        before.0
    );
    // October: (10.5 + 20) / 3 orders.
    assert_eq!(basket(&project, "2026-10")["value"], 30.5 / 3.0);
    project.run(&["check"]).code(0);
    project.run(&["data", "pull"]).code(0);
    let after = folder(&project);
    assert_eq!(after.0, before.0);
    assert!(after.1 == before.1, "the database file changed");
}

#[test]
fn a_wal_database_being_written_is_read_with_its_latest_rows() {
    let project = project("select placed, id, amount from orders");
    let writer = Connection::open(project.join("warehouse.db")).unwrap();
    writer
        .execute_batch(
            "pragma journal_mode = wal; pragma wal_autocheckpoint = 0;
             insert into orders values ('C1', '2026-11-20', 2.75, 4);",
        )
        .unwrap();
    // The new row is committed in `-wal` only, while the writer is open.
    let (names, _) = folder(&project);
    assert!(names.contains(&"warehouse.db-wal".to_string()), "{names:?}");
    // November: (7.25 + 2.75) / 2 orders.
    assert_eq!(basket(&project, "2026-11")["value"], 5.0);
    assert_eq!(folder(&project).0, names);
    drop(writer);
}
