//! Data in: the exports teams have (dated and daily CSV, long tables, spreadsheet encodings and
//! dialects, standard input), aggregation to months, `kpi data pull`, and errors that stay
//! short. Every expected value is worked out by hand in the test.

use std::fs;

use crate::support::{Project, Run};

/// A plain metric `id` equal to input `input`, declared with the extra TOML lines `decl`.
fn passthrough(id: &str, input: &str, decl: &str) -> String {
    format!(
        "id = \"{id}\"\nname = \"{id}\"\ncategory = \"business\"\nkind = \"metric\"\nunit = \"number\"\n\
         formula = \"{input}\"\n\n[inputs.{input}]\nunit = \"number\"\n{decl}"
    )
}

/// Asserts that stderr holds `text`, showing it otherwise.
fn stderr_contains(run: &Run, text: &str) {
    assert!(run.stderr.contains(text), "{}", run.stderr);
}

/// Asserts that stderr starts with `text`, showing it otherwise.
fn stderr_starts_with(run: &Run, text: &str) {
    assert!(run.stderr.starts_with(text), "{}", run.stderr);
}

/// Asserts that stderr ends with `text`, showing it otherwise.
fn stderr_ends_with(run: &Run, text: &str) {
    assert!(run.stderr.ends_with(text), "{}", run.stderr);
}

/// `kpi data pull` to stdout: the monthly table evaluation sees.
fn pull(project: &Project, args: &[&str]) -> String {
    let mut all = vec!["data", "pull"];
    all.extend_from_slice(args);
    project.run(&all).code(0).stdout
}

/// The value of metric `id` in `kpi eval --format json` output, `None` when it has none.
fn value(run: &Run, id: &str) -> Option<f64> {
    let json = run.json();
    let metric = json["metrics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["id"] == id)
        .unwrap_or_else(|| panic!("no metric {id} in {json}"))
        .clone();
    metric["value"].as_f64()
}

fn eval_json(project: &Project, period: &str) -> Run {
    project
        .run(&["eval", "--period", period, "--format", "json"])
        .code(0)
}

#[test]
fn every_period_form_stands_for_its_month() {
    let project = Project::new()
        .file("metrics.d/x.toml", &passthrough("x_metric", "x", ""))
        .file(
            "data.csv",
            "Date,x\n\
             2026-01,1\n\
             2026-02-15,2\n\
             2026-03-31T23:59:59Z,3\n\
             2026-04-01 00:30:00+02:00,4\n\
             2026/05/10,5\n\
             2026/06,6\n\
             2026-07-01T10:00,7\n\
             2026-08-31T23:00:00.123456-05:00,8\n\
             2026-09-30 08:15:00,9\n",
        );
    // Each date stands for the month it is written in, without time-zone conversion: the
    // first of April at 00:30 in UTC+2 is still April.
    assert_eq!(
        pull(&project, &["--data", "data.csv"]),
        "period,x\n2026-01,1\n2026-02,2\n2026-03,3\n2026-04,4\n2026-05,5\n2026-06,6\n2026-07,7\n2026-08,8\n2026-09,9\n"
    );
}

#[test]
fn the_period_column_is_named_period_or_set_or_first() {
    let metrics = passthrough("x_metric", "x", "");
    // `Period` in any case, even when it is not the first column.
    let project = Project::new()
        .file("metrics.d/x.toml", &metrics)
        .file("data.csv", "x,PERIOD\n4,2026-10\n");
    assert_eq!(
        pull(&project, &["--data", "data.csv"]),
        "period,x\n2026-10,4\n"
    );
    // Named in kpi.toml.
    let project = Project::new()
        .file("metrics.d/x.toml", &metrics)
        .file("data.csv", "x,when,Jour\n4,nope,2026-10-02\n")
        .file(
            "kpi.toml",
            "[[sources]]\ncsv = \"data.csv\"\nperiod = \"Jour\"\nignore = [\"when\"]\n",
        );
    let run = project.run(&["data", "pull"]).code(0);
    assert_eq!(run.stdout, "period,x\n2026-10,4\n");
    assert_eq!(run.stderr, "");
    // A misspelt period column is an error with a suggestion.
    let project = Project::new()
        .file("metrics.d/x.toml", &metrics)
        .file("data.csv", "x,Jour\n4,2026-10-02\n")
        .file(
            "kpi.toml",
            "[[sources]]\ncsv = \"data.csv\"\nperiod = \"Jours\"\n",
        );
    let run = project.run(&["data", "pull"]).code(1);
    stderr_starts_with(
        &run,
        "error: data.csv:1:1: no period column `Jours` in the data\n",
    );
    stderr_contains(&run, "did you mean `Jour`?");
}

#[test]
fn slashed_dates_follow_date_order_or_the_file_itself() {
    let metrics = passthrough("x_metric", "x", "aggregate = \"sum\"\n");
    let csv = "day,x\n01/10/2026,1\n02/10/2026,2\n13/10/2026,3\n";
    let project = Project::new()
        .file("metrics.d/x.toml", &metrics)
        .file("data.csv", csv);
    // Without date_order: 13/10 can only be day first, so the file is read day first, with
    // a note naming that cell. October: 1 + 2 + 3 = 6.
    let run = project.run(&["data", "pull", "--data", "data.csv"]).code(0);
    assert_eq!(run.stdout, "period,x\n2026-10,6\n");
    assert_eq!(
        run.stderr,
        "note: data.csv:4:1: slashed dates are read day first, as `13/10/2026` (line 4) can only be\n  |\n4 | 13/10/2026,3\n  | ^^^^^^^^^^\n  = help: to say so, set `date_order = \"dmy\"` on the source in `kpi.toml`\n"
    );
    // Every cell fits both orders: one error for the file, naming the key and the cells.
    let ambiguous = Project::new()
        .file("metrics.d/x.toml", &metrics)
        .file("data.csv", "day,x\n01/10/2026,1\n02/10/2026,2\n");
    let run = ambiguous
        .run(&["data", "pull", "--data", "data.csv"])
        .code(1);
    assert_eq!(
        run.stderr,
        "error: data.csv:2:1: date `01/10/2026` can be read day first or month first, and so can every slashed date of the file (2 dates, lines 2 to 3)\n  |\n2 | 01/10/2026,1\n  | ^^^^^^^^^^\n  = help: say how to read it: `date_order = \"dmy\"` (day first) or `\"mdy\"` (month first) on the source in `kpi.toml`\n"
    );
    let dmy = project.file(
        "kpi.toml",
        "[[sources]]\ncsv = \"data.csv\"\ndate_order = \"dmy\"\n",
    );
    let run = dmy.run(&["data", "pull"]).code(0);
    assert_eq!(
        (run.stdout.as_str(), run.stderr.as_str()),
        ("period,x\n2026-10,6\n", "")
    );
    let mdy = Project::new()
        .file("metrics.d/x.toml", &metrics)
        .file("data.csv", "day,x\n10/1/2026,1\n1/10/2026,2\n")
        .file(
            "kpi.toml",
            "[[sources]]\ncsv = \"data.csv\"\ndate_order = \"mdy\"\n",
        );
    // 10/1 is October the first; 1/10 is January the tenth.
    // Months no source holds are not rows of the table.
    assert_eq!(pull(&mdy, &[]), "period,x\n2026-01,2\n2026-10,1\n");
}

#[test]
fn each_aggregate_combines_the_rows_of_a_month() {
    // All seven inputs read the same column `v`; rows are out of date order on purpose.
    let mut project = Project::new();
    for aggregate in ["sum", "mean", "min", "max", "first", "last", "count"] {
        project = project.file(
            &format!("metrics.d/{aggregate}_v.toml"),
            &passthrough(
                &format!("{aggregate}_v"),
                &format!("v_{aggregate}"),
                &format!("column = \"v\"\naggregate = \"{aggregate}\"\n"),
            ),
        );
    }
    let project = project.file(
        "data.csv",
        "date,v\n\
         2026-10-20,5\n\
         2026-10-03T12:00,2\n\
         2026-10-31,7\n\
         2026-10-03T12:00,4\n\
         2026-10-15,\n\
         2026-10-31,9\n\
         2026-10-01T08:00,\n\
         2026-11-01,1\n\
         2026-12-05,\n",
    );
    let project = project.file("kpi.toml", "data = [\"data.csv\"]\n");
    let run = eval_json(&project, "2026-10");
    // October: 5, 2, 7, 4, 9 (two empty cells skipped). Sum 27, mean 27 / 5 = 5.4, min 2,
    // max 9. First by date: the 3rd at noon holds 2 then 4, so 2 (file order breaks ties).
    // Last: the 31st holds 7 then 9, so 9. Count: five non-empty cells.
    let expected = [
        ("sum_v", 27.0),
        ("mean_v", 5.4),
        ("min_v", 2.0),
        ("max_v", 9.0),
        ("first_v", 2.0),
        ("last_v", 9.0),
        ("count_v", 5.0),
    ];
    for (id, v) in expected {
        assert_eq!(value(&run, id), Some(v), "{id}");
    }
    let run = eval_json(&project, "2026-11");
    for (id, _) in expected {
        assert_eq!(value(&run, id), Some(1.0), "{id} in November");
    }
    // December has a row but no non-empty cell: no value, count included.
    let run = eval_json(&project, "2026-12");
    let json = run.json();
    for metric in json["metrics"].as_array().unwrap() {
        assert_eq!(metric["value"], serde_json::Value::Null, "{metric}");
        assert!(
            metric["reason"]
                .as_str()
                .unwrap()
                .ends_with("has no value for 2026-12"),
            "{metric}"
        );
    }
}

#[test]
fn count_counts_cells_that_are_not_numbers() {
    let project = Project::new()
        .file(
            "metrics.d/orders.toml",
            &passthrough(
                "order_count",
                "orders",
                "column = \"Order\"\naggregate = \"count\"\n",
            ),
        )
        .file(
            "data.csv",
            "Date,Order\n2026-10-01,A-17\n2026-10-02,A-18\n2026-10-02,\n2026-11-05,B-1\n",
        );
    assert_eq!(
        pull(&project, &["--data", "data.csv"]),
        "period,orders\n2026-10,2\n2026-11,1\n"
    );
}

#[test]
fn two_values_in_a_month_without_aggregate_is_one_error_per_input() {
    let project = Project::new()
        .file("metrics.d/x.toml", &passthrough("x_metric", "x", ""))
        .file(
            "data.csv",
            "date,x\n2026-10-01,1\n2026-10-02,2\n2026-11-01,3\n2026-11-02,4\n2026-11-03,5\n",
        );
    let run = project.run(&["eval", "--data", "data.csv"]).code(1);
    assert_eq!(
        run.stderr,
        "error: data.csv:3:12: input `x` has two values for 2026-10 (lines 2 and 3)\n  |\n3 | 2026-10-02,2\n  |            ^\n  = help: to combine the rows of a month, add `aggregate = \"sum\"` (or `mean`, `min`, `max`, `first`, `last`, `count`) under `[inputs.x]`\n… and 1 more month like it (line 5)\n"
    );
}

/// A source read alone keeps no place for a month's lone cell (see `Table::keep_places`):
/// when a second value comes, the first is placed at its row. A row whose quoted note spans
/// lines before the value must still name the value's own line.
#[test]
fn two_values_name_the_first_values_line_when_its_row_spans_lines() {
    let project = Project::new()
        .file("metrics.d/x.toml", &passthrough("x_metric", "x", ""))
        .file(
            "data.csv",
            "date,note,x\n2026-10-01,\"two\nlines\",1\n2026-10-02,,2\n",
        );
    let run = project.run(&["eval", "--data", "data.csv"]).code(1);
    assert!(
        run.stderr.starts_with(
            "error: data.csv:4:13: input `x` has two values for 2026-10 (lines 3 and 4)\n"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn column_maps_an_input_to_a_column_spelt_otherwise() {
    let project = Project::new()
        .file(
            "metrics.d/basket.toml",
            "name = \"Basket\"\ncategory = \"business\"\nkind = \"metric\"\nunit = \"currency\"\n\
             formula = \"revenue / orders\"\n\n\
             [inputs.revenue]\nunit = \"currency\"\ncolumn = \"Chiffre d'affaires (€)\"\naggregate = \"sum\"\n\n\
             [inputs.orders]\nunit = \"count\"\ncolumn = \"Chiffre d'affaires (€)\"\naggregate = \"count\"\n",
        )
        .file(
            "data.csv",
            "date,Chiffre d'affaires (€)\n2026-10-01,30\n2026-10-09,50\n2026-10-20,20\n",
        );
    // (30 + 50 + 20) / 3 orders.
    let run = project
        .run(&["eval", "--data", "data.csv", "--format", "json"])
        .code(0);
    assert_eq!(value(&run, "basket"), Some(100.0 / 3.0));
    assert_eq!(
        run.stderr,
        "note: evaluating 2026-10, the latest month in the data\n"
    );
}

#[test]
fn a_misspelt_column_gets_a_suggestion_and_a_reason() {
    let project = Project::new()
        .file(
            "metrics.d/x.toml",
            &passthrough("x_metric", "x", "column = \"Chiffre d'affaire\"\n"),
        )
        .file("data.csv", "period,Chiffre d'affaires\n2026-10,3\n");
    let run = project
        .run(&["eval", "--data", "data.csv", "--format", "json"])
        .code(0);
    assert_eq!(
        run.json()["metrics"][0]["reason"],
        "no data column for input `x`"
    );
    stderr_contains(
        &run,
        // At the `column` line, where the name is written.
        "warning: metrics.d/x.toml:10:10: no data column `Chiffre d'affaire` for input `x`\n",
    );
    stderr_contains(&run, "did you mean `Chiffre d'affaires`?");
}

#[test]
fn an_input_no_source_has_is_said_once_by_check_and_is_the_reason() {
    let project = Project::new()
        .file(
            "metrics.d/x.toml",
            &(passthrough("x", "a", "") + "\n[inputs.zeta]\nunit = \"count\"\n"),
        )
        .file("metrics.d/y.toml", &passthrough("y", "omega", ""))
        .file("data.csv", "period,a\n2026-10,3\n");
    let run = project.run(&["check", "--data", "data.csv"]).code(0);
    assert_eq!(
        run.stderr,
        "warning: no data column for inputs `omega`, `zeta`: metrics that use them have no value\n  = help: add the column to the data, or name the column that holds it: `columns = { <input> = \"...\" }` on the source, or `column = \"...\"` under `[inputs.<name>]`\nok: 0 KPIs, 2 metrics and 3 inputs from 1 directory; data: 1 month\n"
    );
    let run = project
        .run(&["eval", "--data", "data.csv", "--format", "json"])
        .code(0);
    assert_eq!(value(&run, "x"), Some(3.0));
    assert_eq!(
        run.json()["metrics"][1]["reason"],
        "no data column for input `omega`"
    );
}

#[test]
fn unread_columns_are_one_warning_per_file_and_ignore_silences_them() {
    let mut header = String::from("period,x");
    let mut row = String::from("2026-10,1");
    for i in 0..22 {
        header.push_str(&format!(",extra {i}"));
        row.push_str(",not a number");
    }
    let project = Project::new()
        .file("metrics.d/x.toml", &passthrough("x_metric", "x", ""))
        .file("data.csv", &format!("{header}\n{row}\n"));
    let run = project.run(&["eval", "--data", "data.csv"]).code(0);
    let warnings: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.starts_with("warning:"))
        .collect();
    assert_eq!(warnings.len(), 1, "{}", run.stderr);
    assert!(
        warnings[0].starts_with(
            "warning: data.csv:1:10: `data.csv` has columns that no definition reads, ignored: `extra 0`, `extra 1`,"
        ),
        "{}",
        warnings[0]
    );
    assert!(warnings[0].ends_with("`extra 21`"), "{}", warnings[0]);
    assert!(run.stderr.lines().count() <= 6, "{}", run.stderr);
    let ignored: Vec<String> = (0..22).map(|i| format!("\"extra {i}\"")).collect();
    let project = project.file(
        "kpi.toml",
        &format!(
            "[[sources]]\ncsv = \"data.csv\"\nignore = [{}]\n",
            ignored.join(", ")
        ),
    );
    let run = project.run(&["eval"]).code(0);
    assert_eq!(
        run.stderr,
        "note: evaluating 2026-10, the latest month in the data\n"
    );
}

#[test]
fn long_tables_hold_one_value_per_row() {
    let project = Project::new()
        .file(
            "metrics.d/ratio.toml",
            "name = \"Ratio\"\ncategory = \"business\"\nkind = \"metric\"\nunit = \"number\"\n\
             formula = \"signups / visits\"\n\n\
             [inputs.signups]\nunit = \"count\"\naggregate = \"sum\"\n\n\
             [inputs.visits]\nunit = \"count\"\ncolumn = \"Site visits\"\naggregate = \"sum\"\n",
        )
        .file(
            "long.csv",
            "day,series,count,notes\n\
             2026-10-01,signups,3,a\n\
             2026-10-01,Site visits,40,b\n\
             2026-10-02,signups,2,\n\
             2026-10-02,Site visits,60,\n\
             2026-10-02,refunds,oops,c\n\
             2026-11-01,signups,1,\n\
             2026-11-01,Site visits,10,\n",
        )
        .file(
            "kpi.toml",
            "[[sources]]\ncsv = \"long.csv\"\nname = \"series\"\nvalue = \"count\"\n",
        );
    // October: (3 + 2) / (40 + 60); November: 1 / 10. The `refunds` row is ignored, with a
    // warning, and its value `oops` is no error.
    let run = eval_json(&project, "2026-10");
    assert_eq!(value(&run, "ratio"), Some(0.05));
    assert_eq!(
        run.stderr,
        "warning: long.csv:6:12: `long.csv` has a column that no definition reads, ignored: `refunds`\n  |\n6 | 2026-10-02,refunds,oops,c\n  |            ^^^^^^^\n  = help: to read one, map it to its input on the source, `columns = { <input> = \"...\" }`, or name it in `column = \"...\"` under `[inputs.<name>]`; to silence this, list them in `ignore = [...]` on the source\n"
    );
    assert_eq!(value(&eval_json(&project, "2026-11"), "ratio"), Some(0.1));
}

/// A French Excel export, "CSV (séparateur: point-virgule)", as the bytes Excel writes.
fn french_export() -> Vec<u8> {
    let text = "Mois;Chiffre d'affaires;Employés;Remarque;;\r\n\
                01/10/2026;1234,5;12;élevé;;\r\n\
                15/10/2026;765,5;;;;\r\n\
                ;;;;;\r\n\
                03/11/2026;100;13;;;\r\n\
                ;;;;;\r\n";
    // Windows-1252: every character here is in it; é is 0xE9.
    text.chars()
        .map(|c| u8::try_from(u32::from(c)).expect("Latin-1 character"))
        .collect()
}

#[test]
fn a_french_excel_export_is_read_as_it_is() {
    let project = Project::new()
        .file(
            "metrics.d/revenue.toml",
            &passthrough(
                "revenue_total",
                "revenue",
                "column = \"Chiffre d'affaires\"\naggregate = \"sum\"\n",
            ),
        )
        .file(
            "metrics.d/staff.toml",
            &passthrough(
                "headcount",
                "staff",
                "column = \"Employés\"\naggregate = \"last\"\n",
            ),
        )
        .bytes("export.csv", &french_export())
        .file(
            "kpi.toml",
            "[[sources]]\ncsv = \"export.csv\"\nignore = [\"Remarque\"]\n",
        );
    // Windows-1252, `;`, decimal comma, day-first dates (the French dialect's default),
    // empty trailing columns and rows of empty cells. October: 1234.5 + 765.5 = 2000.
    let run = eval_json(&project, "2026-10");
    assert_eq!(value(&run, "revenue_total"), Some(2000.0));
    assert_eq!(value(&run, "headcount"), Some(12.0));
    assert_eq!(run.stderr, "");
    assert_eq!(
        value(&eval_json(&project, "2026-11"), "headcount"),
        Some(13.0)
    );
}

#[test]
fn utf16_and_byte_order_marks_are_read_with_exact_positions() {
    let text = "period,x\n2026-10,1\n2026-11,oops\n";
    let utf16: Vec<u8> = [0xff, 0xfe]
        .into_iter()
        .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    let bom: Vec<u8> = b"\xef\xbb\xbf"
        .iter()
        .copied()
        .chain(text.bytes())
        .collect();
    for (name, bytes) in [("utf16.csv", utf16), ("bom.csv", bom)] {
        let project = Project::new()
            .file("metrics.d/x.toml", &passthrough("x_metric", "x", ""))
            .bytes(name, &bytes);
        let run = project.run(&["eval", "--data", name]).code(1);
        assert!(
            run.stderr.starts_with(&format!(
                "error: {name}:3:9: cell `oops` for input `x` is not a number\n  |\n3 | 2026-11,oops\n  |         ^^^^\n"
            )),
            "{name}: {}",
            run.stderr
        );
    }
    // A byte-order mark before the header does not shift the first column.
    let bom_header: Vec<u8> = b"\xef\xbb\xbfperiod,x\nOct,1\n".to_vec();
    let project = Project::new()
        .file("metrics.d/x.toml", &passthrough("x_metric", "x", ""))
        .bytes("bom.csv", &bom_header);
    let run = project.run(&["eval", "--data", "bom.csv"]).code(1);
    stderr_starts_with(
        &run,
        "error: bom.csv:2:1: period `Oct` is not a month nor a date",
    );
}

#[test]
fn a_file_in_no_known_encoding_says_to_save_as_csv_utf8() {
    let utf16_without_bom: Vec<u8> = "period,x\n2026-10,1\n"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    let project = Project::new()
        .file("metrics.d/x.toml", &passthrough("x_metric", "x", ""))
        .bytes("data.csv", &utf16_without_bom);
    let run = project.run(&["eval", "--data", "data.csv"]).code(1);
    assert_eq!(
        run.stderr,
        "error: `data.csv` is not text in UTF-8, UTF-16 or Windows-1252\n  = help: save it from the spreadsheet as \"CSV UTF-8\"\n"
    );
}

#[test]
fn tab_separated_files_are_read() {
    let project = Project::new()
        .file(
            "metrics.d/x.toml",
            &passthrough("x_metric", "x", "aggregate = \"mean\"\n"),
        )
        .file(
            "data.tsv",
            "period\tx\tnote, with comma\n2026-10-01\t1.5\ta\n2026-10-02\t2.5\tb\n",
        )
        .file(
            "kpi.toml",
            "[[sources]]\ncsv = \"data.tsv\"\nignore = [\"note, with comma\"]\n",
        );
    assert_eq!(pull(&project, &[]), "period,x\n2026-10,2\n");
}

#[test]
fn decimal_comma_files_refuse_a_dot_and_name_symbols() {
    let project = Project::new()
        .file("metrics.d/x.toml", &passthrough("x_metric", "x", ""))
        .file("metrics.d/y.toml", &passthrough("y_metric", "y", ""))
        .file("data.csv", "Mois;x;y\n2026-10;1.555;93,00 €\n");
    let run = project.run(&["eval", "--data", "data.csv"]).code(1);
    stderr_starts_with(
        &run,
        "error: data.csv:2:9: cell `1.555` for input `x` is not a number\n  |\n2 | 2026-10;1.555;93,00 €\n  |         ^^^^^\n  = help: this file has `;` between fields, so its decimal mark is `,`: write `1,555` if `.` marks decimals, or remove the `.` if it separates thousands\n",
    );
    stderr_contains(
        &run,
        "error: data.csv:2:15: cell `93,00 €` for input `y` is not a number\n  |\n2 | 2026-10;1.555;93,00 €\n  |               ^^^^^^^\n  = help: remove the `€`: write the amount as a plain number, `93,00`\n",
    );
}

#[test]
fn standard_input_is_a_source() {
    let project = Project::new().file(
        "metrics.d/x.toml",
        &passthrough("x_metric", "x", "aggregate = \"max\"\n"),
    );
    let run = project.run_with(
        &["data", "pull", "--data", "-"],
        &[],
        Some(b"period,x\n2026-10-01,4\n2026-10-02,9\n2026-10-03,2\n"),
    );
    let run = run.code(0);
    assert_eq!(run.stdout, "period,x\n2026-10,9\n");
    let run = project
        .run_with(
            &["eval", "--data", "-"],
            &[],
            Some(b"period,x\n2026-10,oops\n"),
        )
        .code(1);
    stderr_starts_with(
        &run,
        "error: <stdin>:2:9: cell `oops` for input `x` is not a number",
    );
}

#[test]
fn pull_writes_the_table_that_evaluates_to_the_same_values() {
    let project = Project::new()
        .file(
            "metrics.d/basket.toml",
            "name = \"Basket\"\ncategory = \"business\"\nkind = \"metric\"\nunit = \"currency\"\n\
             formula = \"revenue / orders\"\n\n\
             [inputs.revenue]\nunit = \"currency\"\ncolumn = \"Amount\"\naggregate = \"sum\"\n\n\
             [inputs.orders]\nunit = \"count\"\ncolumn = \"Order\"\naggregate = \"count\"\n",
        )
        .file(
            "metrics.d/growth.toml",
            &passthrough("growth", "visits", "aggregate = \"mean\"\n"),
        )
        .file(
            "orders.csv",
            "Date,Order,Amount\n\
             2026-09-03,A1,0.1\n\
             2026-09-04,A2,0.2\n\
             2026-10-01,A3,10\n\
             2026-10-31T23:59:59,A4,20.5\n\
             2026-10-31T12:00:00,A5,\n",
        )
        .file("visits.csv", "period,visits\n2026-09,1\n2026-09,2\n2026-10,7\n")
        .file(
            "kpi.toml",
            "metrics = [\"metrics.d\"]\n[[sources]]\ncsv = \"orders.csv\"\n[[sources]]\ncsv = \"visits.csv\"\n",
        );
    let run = project
        .run(&["data", "pull", "--output", "pulled/2026-10.csv"])
        .code(0);
    assert_eq!(run.stderr, "wrote pulled/2026-10.csv\n");
    let pulled = std::fs::read_to_string(project.join("pulled/2026-10.csv")).unwrap();
    // September: 0.1 + 0.2 (written as the double it is), 2 orders, mean of 1 and 2.
    // October: 10 + 20.5, 3 orders (A5 has no amount but is an order), 7 visits.
    assert_eq!(
        pulled,
        "period,orders,revenue,visits\n2026-09,2,0.30000000000000004,1.5\n2026-10,3,30.5,7\n"
    );
    // To stdout, streamed as it is made: the same bytes, and nothing said on stderr.
    let streamed = project.run(&["data", "pull"]).code(0);
    assert_eq!(
        (streamed.stdout.as_str(), streamed.stderr.as_str()),
        (pulled.as_str(), "")
    );
    for period in ["2026-09", "2026-10"] {
        let from_sources = project
            .run(&["eval", "--period", period, "--format", "json"])
            .code(0);
        let from_pulled = project
            .run(&[
                "eval",
                "--period",
                period,
                "--format",
                "json",
                "--data",
                "pulled/2026-10.csv",
            ])
            .code(0);
        assert_eq!(from_sources.stdout, from_pulled.stdout, "{period}");
    }
}

#[test]
fn the_same_input_in_two_sources_is_an_error() {
    let project = Project::new()
        .file(
            "metrics.d/x.toml",
            &passthrough("x_metric", "x", "aggregate = \"sum\"\n"),
        )
        .file("a.csv", "date,x\n2026-10-01,1\n2026-10-02,1\n")
        .file("b.csv", "period,x\n2026-10,5\n")
        .file(
            "kpi.toml",
            "[[sources]]\ncsv = \"a.csv\"\n[[sources]]\ncsv = \"b.csv\"\n",
        );
    let run = project.run(&["eval"]).code(1);
    assert_eq!(
        run.stderr,
        "error: b.csv:2:9: input `x` for 2026-10 is also given in `a.csv`\n  |\n2 | 2026-10,5\n  |         ^\n  = help: give each input of a month in one source only\n"
    );
}

#[test]
fn a_wall_of_bad_cells_gives_a_short_error() {
    // 20 000 bad cells: 2 000 rows of 10 columns, and a bad period on every tenth row.
    let mut csv = String::from("period");
    for i in 0..10 {
        csv.push_str(&format!(",c{i}"));
    }
    csv.push('\n');
    for r in 0..2000 {
        if r % 10 == 9 {
            csv.push_str("someday");
        } else {
            csv.push_str(&format!("2026-{:02}-01", r % 12 + 1));
        }
        for c in 0..10 {
            csv.push_str(if c % 2 == 0 { ",N/A" } else { ",12 %" });
        }
        csv.push('\n');
    }
    let mut project = Project::new();
    for i in 0..10 {
        project = project.file(
            &format!("metrics.d/m{i}.toml"),
            &passthrough(&format!("m{i}"), &format!("c{i}"), "aggregate = \"sum\"\n"),
        );
    }
    let project = project.file("junk.csv", &csv);
    let run = project.run(&["eval", "--data", "junk.csv"]).code(1);
    let lines = run.stderr.lines().count();
    assert!(lines <= 30, "{lines} lines:\n{}", run.stderr);
    // Rows 2 to 2001; the bad periods are on lines 11, 21, ... 1991 (199 rows), and their
    // cells are not read; the last row's `someday`, after the last dated row, is skipped as
    // a total would be. The other 1 800 rows hold 9 000 `N/A` and 9 000 `12 %` cells.
    stderr_contains(&run, "… and 198 more rows like it (lines 21–1991)\n");
    stderr_contains(&run, "… and 8999 more cells like it (lines 2–2000)\n");
    stderr_ends_with(&run, "error: 3 problems found\n");
}

#[test]
fn count_of_a_column_named_by_column_counts_rows_even_monthly() {
    // Order ids in a table with one row per month: `count` counts them, numbers or not.
    for (csv, expected) in [
        (
            "period,order_id\n2026-09,17\n2026-10,42\n",
            "period,orders\n2026-09,1\n2026-10,1\n",
        ),
        (
            "period,order_id\n2026-09,A1\n2026-10,A2\n",
            "period,orders\n2026-09,1\n2026-10,1\n",
        ),
        (
            "period,order_id\n2026-09,A1\n2026-10,A2\n2026-10,A3\n",
            "period,orders\n2026-09,1\n2026-10,2\n",
        ),
    ] {
        let project = Project::new()
            .file(
                "metrics.d/orders.toml",
                &passthrough(
                    "order_count",
                    "orders",
                    "column = \"order_id\"\naggregate = \"count\"\n",
                ),
            )
            .file("data.csv", csv);
        assert_eq!(pull(&project, &["--data", "data.csv"]), expected, "{csv}");
        // The pulled table, read by the input's own name, keeps its counts.
        let project = project.file("pulled.csv", expected);
        assert_eq!(pull(&project, &["--data", "pulled.csv"]), expected, "{csv}");
    }
}

/// Issue 23, item 1: a period cell holding a character of several bytes made the date parser
/// slice inside it (exit 101). It is an invalid period, located, like any other.
#[test]
fn a_non_ascii_period_cell_is_an_error_not_a_panic() {
    for cell in [
        "2026-1é",
        "2026/1é",
        "2026-10-01 12:0é",
        "2026-10-01 12:00:0é",
    ] {
        let project = Project::new()
            .file("metrics.d/x.toml", &passthrough("x_metric", "x", ""))
            .file("data.csv", &format!("period,x\n2026-09,1\n{cell},2\n"));
        let run = project.run(&["data", "pull", "--data", "data.csv"]).code(1);
        stderr_contains(&run, "data.csv:3:1");
        assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    }
}

/// Issue 23, item 9: `kpi data pull` wrote 1e300 as 301 digits and `kpi explain` -1e-300 in
/// 313 characters; both are short now, and the pulled file still reads back exactly.
#[test]
fn huge_and_tiny_numbers_are_written_short_and_read_back_exactly() {
    let project = Project::new()
        .file("metrics.d/x.toml", &passthrough("x_metric", "x", ""))
        .file(
            "data.csv",
            "period,x\n2026-01,1e300\n2026-02,-1e-300\n2026-03,0.1\n",
        );
    let pulled = pull(&project, &["--data", "data.csv"]);
    assert_eq!(
        pulled,
        "period,x\n2026-01,1e300\n2026-02,-1e-300\n2026-03,0.1\n"
    );
    fs::write(project.join("pulled.csv"), &pulled).unwrap();
    assert_eq!(pull(&project, &["--data", "pulled.csv"]), pulled);
    let run = project
        .run(&[
            "explain", "x_metric", "--data", "data.csv", "--period", "2026-02",
        ])
        .code(0);
    assert!(run.stdout.contains("result:   -1e-300\n"), "{}", run.stdout);
}
