//! Workbook sources (`excel = ...`, `--data suivi.xlsx`): typed cells read as a spreadsheet
//! shows them, every message at its sheet and cell. The workbooks are written by
//! `rust_xlsxwriter`, a writer independent of the reader (calamine); `.xls` and `.ods` files
//! are committed, saved by LibreOffice (see `tests/workbooks/README.md`). Every
//! expected value is worked out by hand.

use rust_xlsxwriter::{ExcelDateTime, Format, Formula, Workbook, Worksheet};

use crate::support::{Project, Run};

/// A plain metric `id` equal to input `input`.
fn passthrough(id: &str, input: &str) -> String {
    format!(
        "id = \"{id}\"\nname = \"{id}\"\ncategory = \"business\"\nkind = \"metric\"\nunit = \"number\"\n\
         formula = \"{input}\"\n\n[inputs.{input}]\nunit = \"number\"\n"
    )
}

/// A project reading inputs `revenue`, `customers` and `ratio`.
fn project() -> Project {
    Project::new()
        .file(
            "metrics.d/revenue.toml",
            &passthrough("revenue_m", "revenue"),
        )
        .file(
            "metrics.d/customers.toml",
            &passthrough("customers_m", "customers"),
        )
        .file("metrics.d/ratio.toml", &passthrough("ratio_m", "ratio"))
}

/// The bytes of a workbook whose sheets `build` writes.
fn workbook(
    build: impl FnOnce(&mut Workbook) -> Result<(), rust_xlsxwriter::XlsxError>,
) -> Vec<u8> {
    let mut book = Workbook::new();
    build(&mut book).expect("the workbook is written");
    book.save_to_buffer().expect("the workbook is saved")
}

fn date(y: u16, m: u8, d: u8) -> ExcelDateTime {
    ExcelDateTime::from_ymd(y, m, d).expect("a real date")
}

/// The sheet of the monthly follow-up, as a product manager keeps it: dates in three display
/// formats and one written as text, a number written as text, a formula per row (one
/// dividing by zero), and a total row at the bottom.
fn follow_up(sheet: &mut Worksheet) -> Result<(), rust_xlsxwriter::XlsxError> {
    sheet.set_name("KPI")?;
    for (c, name) in ["Mois", "revenue", "customers", "ratio"].iter().enumerate() {
        sheet.write_string(0, c as u16, *name)?;
    }
    sheet.write_datetime_with_format(
        1,
        0,
        date(2025, 1, 15),
        &Format::new().set_num_format("mmm-yy"),
    )?;
    sheet.write_number(1, 1, 1200.5)?;
    sheet.write_number(1, 2, 10)?;
    sheet.write_formula(1, 3, Formula::new("=B2/C2").set_result("120.05"))?;
    sheet.write_datetime_with_format(
        2,
        0,
        date(2025, 2, 1),
        &Format::new().set_num_format("dd/mm/yyyy"),
    )?;
    sheet.write_number(2, 1, 1300)?;
    sheet.write_number(2, 2, 13)?;
    sheet.write_formula(2, 3, Formula::new("=B3/C3").set_result("100"))?;
    let stamp = ExcelDateTime::parse_from_str("2025-03-31 23:30:00")?;
    sheet.write_datetime_with_format(
        3,
        0,
        stamp,
        &Format::new().set_num_format("yyyy-mm-dd hh:mm"),
    )?;
    sheet.write_string(3, 1, "1400")?;
    sheet.write_number(3, 2, 0)?;
    sheet.write_formula(3, 3, Formula::new("=B4/C4").set_result("#DIV/0!"))?;
    sheet.write_string(4, 0, "2025-04")?;
    sheet.write_number(4, 1, 1500)?;
    sheet.write_number(4, 2, 15)?;
    sheet.write_formula(4, 3, Formula::new("=B5/C5").set_result("100"))?;
    sheet.write_string(5, 0, "Total")?;
    sheet.write_formula(5, 1, Formula::new("=SUM(B2:B5)").set_result("5400.5"))?;
    Ok(())
}

/// A workbook whose first sheet holds notes and whose second is the follow-up.
fn suivi() -> Vec<u8> {
    workbook(|book| {
        book.add_worksheet()
            .set_name("Notes")?
            .write_string(0, 0, "Suivi mensuel")?;
        follow_up(book.add_worksheet())
    })
}

/// The monthly table of the follow-up sheet, worked out by hand: dates whatever their format
/// (15 January, 1 February, 31 March at 23:30), a month written as text; `1400` written as
/// text is a number; the formula values are those saved with the file; `#DIV/0!` is a missing
/// value; the total row is not a month.
const FOLLOW_UP: &str = "period,customers,ratio,revenue\n\
                         2025-01,10,120.05,1200.5\n\
                         2025-02,13,100,1300\n\
                         2025-03,0,,1400\n\
                         2025-04,15,100,1500\n";

const KPI_SHEET: &str = "[[sources]]\nexcel = \"suivi.xlsx\"\nsheet = \"KPI\"\n";

fn pull(project: &Project, args: &[&str]) -> Run {
    let mut all = vec!["data", "pull"];
    all.extend_from_slice(args);
    project.run(&all)
}

#[test]
fn a_sheet_gives_dates_numbers_and_cached_formula_values() {
    let project = project()
        .bytes("suivi.xlsx", &suivi())
        .file("kpi.toml", KPI_SHEET);
    let run = pull(&project, &[]).code(0);
    assert_eq!(run.stdout, FOLLOW_UP);
    assert!(
        run.stderr.contains(
            "warning: suivi.xlsx:KPI!D4: 1 error cell read as a missing value: KPI!D4 `#DIV/0!`"
        ),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(
            "note: suivi.xlsx:KPI!A6: skipped a row after the last dated row, whose period cell is no date: row 6 (`Total`)"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn data_flag_reads_the_first_sheet() {
    let book = workbook(|book| follow_up(book.add_worksheet()));
    let project = project().bytes("export.XLSX", &book);
    let run = project
        .run(&[
            "eval",
            "--data",
            "export.XLSX",
            "--period",
            "2025-02",
            "--format",
            "json",
        ])
        .code(0);
    let json = run.json();
    let value = |id: &str| {
        json["metrics"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["id"] == id)
            .unwrap()["value"]
            .as_f64()
    };
    assert_eq!(value("revenue_m"), Some(1300.0));
    assert_eq!(value("ratio_m"), Some(100.0));
}

#[test]
fn a_range_picks_the_table_and_a_blank_header_names_nothing() {
    // A title and a merged header above the table; the table itself starts at B3, and its
    // header cell over `customers` is part of a merge (blank): that column is read by no one.
    let book = workbook(|book| {
        let sheet = book.add_worksheet();
        sheet.write_string(0, 0, "Suivi 2025")?;
        sheet.merge_range(1, 2, 1, 3, "Clients", &Format::new())?;
        sheet.write_string(2, 1, "period")?;
        sheet.write_string(2, 2, "revenue")?;
        sheet.write_string(2, 3, "")?;
        for (i, (month, revenue, customers)) in [("2025-01", 7.0, 1.0), ("2025-02", 8.0, 2.0)]
            .iter()
            .enumerate()
        {
            let row = 3 + i as u32;
            sheet.write_string(row, 1, *month)?;
            sheet.write_number(row, 2, *revenue)?;
            sheet.write_number(row, 3, *customers)?;
        }
        // Outside the range: never read.
        sheet.write_string(10, 1, "not a month")?;
        Ok(())
    });
    let project = project().bytes("book.xlsx", &book).file(
        "kpi.toml",
        "[[sources]]\nexcel = \"book.xlsx\"\nrange = \"B3:D5\"\n",
    );
    let run = pull(&project, &[]).code(0);
    assert_eq!(run.stdout, "period,revenue\n2025-01,7\n2025-02,8\n");
}

#[test]
fn boolean_cells_and_checklist_marks_are_yes_and_no() {
    // A checklist sheet: TRUE/FALSE cells in one column, `x` marks in another (an empty cell
    // there is a no).
    let book = workbook(|book| {
        let sheet = book.add_worksheet().set_name("Checklist")?;
        sheet.write_string(0, 0, "period")?;
        sheet.write_string(0, 1, "audited")?;
        sheet.write_string(0, 2, "shipped")?;
        sheet.write_string(1, 0, "2025-01")?;
        sheet.write_boolean(1, 1, false)?;
        sheet.write_string(2, 0, "2025-02")?;
        sheet.write_boolean(2, 1, true)?;
        sheet.write_string(2, 2, "X")?;
        Ok(())
    });
    let yes_no = |id: &str, input: &str| {
        format!(
            "name = \"{id}\"\ncategory = \"c\"\nkind = \"kpi\"\nunit = \"boolean\"\nformula = \"{input}\"\n\n\
             [target]\nvalue = true\n\n[inputs.{input}]\nunit = \"boolean\"\n"
        )
    };
    let project = Project::new()
        .file(
            "metrics.d/audit_passed.toml",
            &yes_no("audit_passed", "audited"),
        )
        .file("metrics.d/page_live.toml", &yes_no("page_live", "shipped"))
        .bytes("book.xlsx", &book);
    let run = pull(&project, &["--data", "book.xlsx", "--metrics", "metrics.d"]).code(0);
    assert_eq!(
        run.stdout,
        "period,audited,shipped\n2025-01,0,0\n2025-02,1,1\n"
    );
}

#[test]
fn a_text_cell_that_is_no_number_is_named_by_its_cell() {
    let book = workbook(|book| {
        let sheet = book.add_worksheet().set_name("Suivi 2025")?;
        sheet.write_string(0, 0, "period")?;
        sheet.write_string(0, 1, "revenue")?;
        sheet.write_string(1, 0, "2025-01")?;
        sheet.write_string(1, 1, "beaucoup")?;
        Ok(())
    });
    let project = project().bytes("book.xlsx", &book);
    let run = pull(&project, &["--data", "book.xlsx"]).code(1);
    assert!(
        run.stderr.starts_with(
            "error: book.xlsx:'Suivi 2025'!B2: column `revenue`: `beaucoup` is not a number"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn an_unknown_sheet_names_the_closest() {
    let project = project().bytes("suivi.xlsx", &suivi()).file(
        "kpi.toml",
        "[[sources]]\nexcel = \"suivi.xlsx\"\nsheet = \"kpi\"\n",
    );
    let run = pull(&project, &[]).code(1);
    assert!(
        run.stderr
            .starts_with("error: suivi.xlsx:1:1: `suivi.xlsx` has no sheet named `kpi`"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("help: did you mean `sheet = \"KPI\"`? Its sheets: `Notes`, `KPI`"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_corrupt_workbook_is_one_error_not_a_panic() {
    for bytes in [
        &b"PK\x03\x04 not really a zip"[..],
        &[0u8; 64][..],
        &b""[..],
    ] {
        let project = project().bytes("broken.xlsx", bytes);
        let run = pull(&project, &["--data", "broken.xlsx"]).code(1);
        assert!(
            run.stderr.starts_with(
                "error: broken.xlsx:1:1: `broken.xlsx` cannot be read as a workbook ("
            ),
            "{}",
            run.stderr
        );
        let errors = run
            .stderr
            .lines()
            .filter(|l| l.starts_with("error:"))
            .count();
        assert_eq!(errors, 1, "{}", run.stderr);
    }
}

#[test]
fn workbook_keys_are_checked_where_they_are_written() {
    let project = project().bytes("suivi.xlsx", &suivi()).file(
        "kpi.toml",
        "[[sources]]\ncsv = \"data.csv\"\nsheet = \"KPI\"\n\n[[sources]]\nexcel = \"suivi.xlsx\"\nrange = \"B3-K40\"\nquery = \"select 1\"\n",
    );
    let run = project.run(&["check"]).code(1);
    for expected in [
        "kpi.toml:3:9: `sheet` is for workbook sources (`excel = ...`)",
        "kpi.toml:7:9: `B3-K40` is not a range of cells",
        "kpi.toml:8:9: a workbook source takes no `query`",
    ] {
        assert!(run.stderr.contains(expected), "{expected}\n{}", run.stderr);
    }
}

#[test]
fn xls_and_ods_saved_by_libreoffice_read_as_the_xlsx() {
    for name in ["suivi.xls", "suivi.ods"] {
        let bytes = std::fs::read(format!(
            "{}/tests/workbooks/{name}",
            env!("CARGO_MANIFEST_DIR")
        ))
        .expect("the committed workbook");
        let project = project().bytes(name, &bytes).file(
            "kpi.toml",
            &format!("[[sources]]\nexcel = \"{name}\"\nsheet = \"KPI\"\n"),
        );
        let run = pull(&project, &[]).code(0);
        assert_eq!(run.stdout, FOLLOW_UP, "{name}");
        let warning = format!(
            "warning: {name}:KPI!D4: 1 error cell read as a missing value: KPI!D4 `#DIV/0!`"
        );
        assert!(run.stderr.contains(&warning), "{}", run.stderr);
    }
}

#[test]
fn an_error_cell_is_named_in_the_reason_of_the_missing_value() {
    let project = project()
        .bytes("suivi.xlsx", &suivi())
        .file("kpi.toml", KPI_SHEET);
    let run = project
        .run(&["explain", "ratio_m", "--period", "2025-03"])
        .code(0);
    assert!(
        run.stdout.contains(
            "result:   no value (input `ratio` has no value for 2025-03: the cell suivi.xlsx:KPI!D4 `#DIV/0!`)"
        ),
        "{}",
        run.stdout
    );
    // The same reason in eval's JSON; a month without an error cell keeps the plain reason.
    let json = project
        .run(&["eval", "--period", "2025-03", "--format", "json"])
        .code(0)
        .json();
    let ratio = json["metrics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["id"] == "ratio_m")
        .unwrap()
        .clone();
    assert_eq!(
        ratio["reason"],
        "input `ratio` has no value for 2025-03: the cell suivi.xlsx:KPI!D4 `#DIV/0!`"
    );
    let report = project
        .run(&[
            "report", "--period", "2025-03", "--format", "md", "--locale", "fr",
        ])
        .code(0)
        .stdout;
    assert!(report.contains("la cellule suivi.xlsx:KPI!D4"), "{report}");
    // For readers: the input by its humanised id, the cell's error without backticks.
    assert!(
        report.contains(
            "pas de valeur pour «\u{a0}ratio\u{a0}» en mars 2025\u{a0}: la cellule suivi.xlsx:KPI!D4 \\#DIV/0!"
        ),
        "{report}"
    );
}

#[test]
fn a_workbook_protected_by_a_password_is_one_clear_error() {
    let bytes = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/workbooks/protected.xlsx"
    ))
    .expect("the committed workbook");
    let project = project().bytes("protected.xlsx", &bytes);
    let run = pull(&project, &["--data", "protected.xlsx"]).code(1);
    assert_eq!(
        run.stderr,
        "error: protected.xlsx:1:1: `protected.xlsx` is protected by a password\n  \
         = help: save a copy without a password (File › Info › Protect Workbook), and read that\n"
    );
    assert_eq!(run.stdout, "");
}

#[test]
fn a_long_sheet_of_daily_rows_is_aggregated_by_each_inputs_rule() {
    // Daily rows, one per input and day, in a long table (`name` and `value`): revenue is
    // summed (10 + 5 = 15 in January, 7 in February), customers take the month's last value
    // by date (12 on the 20th, not 11 on the 3rd, whatever the row order).
    let book = workbook(|book| {
        let sheet = book.add_worksheet();
        for (c, name) in ["Jour", "Indicateur", "Valeur"].iter().enumerate() {
            sheet.write_string(0, c as u16, *name)?;
        }
        let format = Format::new().set_num_format("dd/mm/yyyy");
        let rows = [
            (date(2025, 1, 20), "customers", 12.0),
            (date(2025, 1, 3), "revenue", 10.0),
            (date(2025, 1, 3), "customers", 11.0),
            (date(2025, 1, 28), "revenue", 5.0),
            (date(2025, 2, 14), "revenue", 7.0),
            (date(2025, 2, 14), "customers", 13.0),
        ];
        for (i, (day, name, value)) in rows.into_iter().enumerate() {
            let r = i as u32 + 1;
            sheet.write_datetime_with_format(r, 0, day, &format)?;
            sheet.write_string(r, 1, name)?;
            sheet.write_number(r, 2, value)?;
        }
        Ok(())
    });
    let aggregated = |id: &str, input: &str, aggregate: &str| {
        format!("{}aggregate = \"{aggregate}\"\n", passthrough(id, input))
    };
    let project = Project::new()
        .file(
            "metrics.d/revenue.toml",
            &aggregated("revenue_m", "revenue", "sum"),
        )
        .file(
            "metrics.d/customers.toml",
            &aggregated("customers_m", "customers", "last"),
        )
        .bytes("daily.xlsx", &book)
        .file(
            "kpi.toml",
            "[[sources]]\nexcel = \"daily.xlsx\"\nname = \"Indicateur\"\nvalue = \"Valeur\"\n",
        );
    let run = pull(&project, &[]).code(0);
    assert_eq!(
        run.stdout,
        "period,customers,revenue\n2025-01,12,15\n2025-02,13,7\n"
    );
}
