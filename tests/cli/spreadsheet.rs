//! French and Excel exports read as they are written (issue 20): grouped thousands, a decimal
//! mark per source, spreadsheet months, the date order taken from the file itself, total rows,
//! and binary files named for what they are. Every expected value is worked out by hand.

use crate::support::{Project, Run};

/// A plain metric `id` equal to input `input`, declared with the extra TOML lines `decl`.
fn passthrough(id: &str, input: &str, decl: &str) -> String {
    format!(
        "id = \"{id}\"\nname = \"{id}\"\ncategory = \"business\"\nkind = \"metric\"\nunit = \"number\"\n\
         formula = \"{input}\"\n\n[inputs.{input}]\nunit = \"number\"\n{decl}"
    )
}

/// A project whose metric `x_metric` is input `x`, summed over a month's rows.
fn summing_x() -> Project {
    Project::new().file(
        "metrics.d/x.toml",
        &passthrough("x_metric", "x", "aggregate = \"sum\"\n"),
    )
}

/// `kpi data pull` to stdout: the monthly table evaluation sees; the run must succeed.
fn pull(project: &Project, args: &[&str]) -> Run {
    let mut all = vec!["data", "pull"];
    all.extend_from_slice(args);
    project.run(&all).code(0)
}

/// Asserts that stderr holds `text`, showing it otherwise.
fn stderr_contains(run: &Run, text: &str) {
    assert!(run.stderr.contains(text), "{}", run.stderr);
}

#[test]
fn thousands_grouped_by_three_are_one_number() {
    // `;` dialect: a space, a no-break space and a narrow no-break space between groups.
    // October: 1 234 567,89 + 175 329,11 = 1 409 897; November: -1 000 + 12 = -988.
    let project = summing_x().file(
        "fr.csv",
        "period;x\n2026-10-01;1 234 567,89\n2026-10-02;175\u{a0}329,11\n\
         2026-11-01;-1\u{202f}000\n2026-11-02;12\n",
    );
    let run = pull(&project, &["--data", "fr.csv"]);
    assert_eq!(run.stdout, "period,x\n2026-10,1409897\n2026-11,-988\n");
    // `,` dialect: a quoted "1,234,567.89" is one number; 1 234 567.89 + 0.11 = 1 234 568.
    let project = summing_x().file(
        "en.csv",
        "period,x\n2026-10-01,\"1,234,567.89\"\n2026-10-02,0.11\n",
    );
    let run = pull(&project, &["--data", "en.csv"]);
    assert_eq!(run.stdout, "period,x\n2026-10,1234568\n");
}

#[test]
fn separators_that_do_not_split_digits_in_threes_are_an_error_with_a_hint() {
    let project = summing_x().file("fr.csv", "period;x\n2026-10;12 34,5\n");
    let run = project.run(&["eval", "--data", "fr.csv"]).code(1);
    assert_eq!(
        run.stderr,
        "error: fr.csv:2:9: cell `12 34,5` for input `x` is not a number\n  |\n2 | 2026-10;12 34,5\n  |         ^^^^^^^\n  = help: thousands separators split the digits in threes, `1 234 567,89`: group them so, or remove them, `1234567,89`\n"
    );
    let project = summing_x().file("en.csv", "period,x\n2026-10,\"12,34,567\"\n");
    let run = project.run(&["eval", "--data", "en.csv"]).code(1);
    stderr_contains(
        &run,
        "= help: thousands separators split the digits in threes, `1,234,567.89`: group them so, or remove them, `1234567.89`\n",
    );
}

#[test]
fn months_as_spreadsheets_display_them_are_read_in_english_and_french() {
    // One row per form; each month's sum worked out by hand from the cells below.
    let project = summing_x().file(
        "months.csv",
        "Mois;x\n\
         janv.-25;1\njanv-25;2\njanvier 2025;4\nJan-25;8\nJan 2025;16\nJanuary 2025;32\n\
         01/2025;64\n1/2025;128\n\
         FÉVR.-25;1\nfevr 2025;2\nfévr.-25;4\n\
         mai-25;1\njuin 2025;1\njuil.-25;1\naoût-25;1\naout 2025;2\nsept.-25;1\n\
         oct. 2024;10\nOct-24;20\noct.-24;40\ndéc.-24;5\nDEC 2024;6\n",
    );
    let run = pull(&project, &["--data", "months.csv"]);
    assert_eq!(
        run.stdout,
        "period,x\n2024-10,70\n2024-12,11\n2025-01,255\n2025-02,7\n\
         2025-05,1\n2025-06,1\n2025-07,1\n2025-08,3\n2025-09,1\n"
    );
    assert_eq!(run.stderr, "");
}

/// The bytes of a committed binary fixture (see `tests/fixtures/binary/README.md`).
fn fixture(name: &str) -> Vec<u8> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/binary/");
    std::fs::read(format!("{dir}{name}")).unwrap()
}

#[test]
fn a_workbook_a_pdf_or_an_archive_given_as_csv_is_named_for_what_it_is() {
    let ole2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\0\0\0\0\0\0\0\0".to_vec();
    let cases: [(&str, Vec<u8>, &str); 6] = [
        (
            "suivi.xlsx",
            fixture("suivi.xlsx"),
            "error: `suivi.xlsx` is an Excel workbook: use `excel = \"suivi.xlsx\"`\n  = help: give the workbook its own `[[sources]]` entry in `kpi.toml`, `excel = \"suivi.xlsx\"` (with `sheet = \"...\"` for another sheet than the first), or save the sheet as \"CSV UTF-8\"\n",
        ),
        (
            "old.xls",
            ole2,
            "error: `old.xls` is an Excel 97–2003 workbook: use `excel = \"old.xls\"`\n",
        ),
        (
            "suivi.ods",
            fixture("suivi.ods"),
            "error: `suivi.ods` is a LibreOffice spreadsheet: use `excel = \"suivi.ods\"`\n",
        ),
        (
            "rapport.pdf",
            fixture("rapport.pdf"),
            "error: `rapport.pdf` is a PDF document, not a table of data\n  = help: export the table as \"CSV UTF-8\" from the application that made the PDF\n",
        ),
        (
            "exports.zip",
            fixture("exports.zip"),
            "error: `exports.zip` is a zip archive, not a table of data\n  = help: extract the CSV file from the archive and give that file\n",
        ),
        (
            "data.csv.gz",
            vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0],
            "error: `data.csv.gz` is a gzip-compressed file, not a table of data\n  = help: decompress it (`gunzip`) and give the CSV file\n",
        ),
    ];
    for (name, bytes, expected) in cases {
        let project = summing_x()
            .bytes(name, &bytes)
            .file("kpi.toml", &format!("[[sources]]\ncsv = \"{name}\"\n"));
        let run = project.run(&["eval"]).code(1);
        assert!(run.stderr.starts_with(expected), "{name}: {}", run.stderr);
        assert_eq!(run.stderr.lines().count(), 2, "{name}: {}", run.stderr);
    }
}

/// `text` in UTF-16 LE with a byte-order mark, as Excel's "Texte Unicode" writes it.
fn utf16le(text: &str) -> Vec<u8> {
    [0xff, 0xfe]
        .into_iter()
        .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
        .collect()
}

/// `text` in Windows-1252 (every character here is in Latin-1, which it extends).
fn windows_1252(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| u8::try_from(u32::from(c)).expect("Latin-1 character"))
        .collect()
}

#[test]
fn decimal_sets_a_sources_mark_and_a_tab_file_of_commas_reads_them() {
    // `decimal = ","` on a `,` file (the cells quoted), `decimal = "."` on a `;` file.
    let project = summing_x()
        .file("a.csv", "period,x\n2026-10,\"1234,5\"\n2026-10,\"0,25\"\n")
        .file("b.csv", "period;x\n2026-11;1234.5\n")
        .file(
            "kpi.toml",
            "[[sources]]\ncsv = \"a.csv\"\ndecimal = \",\"\n\n[[sources]]\ncsv = \"b.csv\"\ndecimal = \".\"\n",
        );
    let run = pull(&project, &[]);
    assert_eq!(run.stdout, "period,x\n2026-10,1234.75\n2026-11,1234.5\n");
    assert_eq!(run.stderr, "");
    // A tab-separated UTF-8 file whose numbers all have a comma: 12,5 + 0,5 = 13; one note.
    let project = summing_x().file(
        "t.tsv",
        "period\tx\n2026-10\t12,5\n2026-10\t0,5\n2026-11\t3\n",
    );
    let run = pull(&project, &["--data", "t.tsv"]);
    assert_eq!(run.stdout, "period,x\n2026-10,13\n2026-11,3\n");
    assert_eq!(
        run.stderr,
        "note: t.tsv:2:9: numbers are read with a decimal comma: this tab-separated file writes `12,5` (line 2) and no number with a decimal point\n  |\n2 | 2026-10 12,5\n  |         ^^^^\n  = help: to say so, set `decimal = \",\"` on the source in `kpi.toml`; set `decimal = \".\"` if the commas separate thousands\n"
    );
    // Both marks: an error naming both lines; `decimal` on the source settles it.
    let mixed = "period\tx\n2026-10\t12,5\n2026-11\t3.5\n";
    let project = summing_x().file("m.tsv", mixed);
    let run = project.run(&["eval", "--data", "m.tsv"]).code(1);
    assert!(
        run.stderr.starts_with(
            "error: m.tsv:3:9: numbers with a decimal comma (`12,5`, line 2) and with a decimal point (`3.5`, line 3) in one file\n"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn the_date_order_is_taken_from_a_cell_that_fits_one_order_only() {
    // Month first: 10/31 can only be October the 31st. October: 1 + 2 = 3; January: 4.
    let project = summing_x().file("us.csv", "day,x\n10/1/2026,1\n10/31/2026,2\n1/10/2026,4\n");
    let run = pull(&project, &["--data", "us.csv"]);
    assert_eq!(run.stdout, "period,x\n2026-01,4\n2026-10,3\n");
    assert!(
        run.stderr.starts_with(
            "note: us.csv:3:1: slashed dates are read month first, as `10/31/2026` (line 3) can only be\n"
        ),
        "{}",
        run.stderr
    );
    // The period column need not be the first: 31/10 tells, two rows on. October: 1 + 2 = 3.
    let project = summing_x().file("late.csv", "x,Period\n1,01/10/2026\n2,31/10/2026\n");
    let run = pull(&project, &["--data", "late.csv"]);
    assert_eq!(run.stdout, "period,x\n2026-10,3\n");
    assert!(
        run.stderr.starts_with(
            "note: late.csv:3:3: slashed dates are read day first, as `31/10/2026` (line 3) can only be\n"
        ),
        "{}",
        run.stderr
    );
    // One cell only day first, another only month first: an error naming both.
    let project = summing_x().file("both.csv", "day,x\n31/10/2026,1\n10/31/2026,2\n");
    let run = project.run(&["eval", "--data", "both.csv"]).code(1);
    assert!(
        run.stderr.starts_with(
            "error: both.csv:3:1: dates `31/10/2026` (line 2) and `10/31/2026` (line 3) are in different orders: the first is day first, the second month first\n"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn date_order_given_always_wins_and_names_the_other_order_when_it_would_read_the_file() {
    let project = summing_x()
        .file("fr.csv", "day,x\n01/10/2026,1\n31/10/2026,2\n")
        .file(
            "kpi.toml",
            "[[sources]]\ncsv = \"fr.csv\"\ndate_order = \"mdy\"\n",
        );
    let run = project.run(&["eval"]).code(1);
    insta::assert_snapshot!("date_not_in_the_given_order", run.stderr);
    assert!(
        run.stderr.contains(
            "= help: every slashed date of this file reads day first: set `date_order = \"dmy\"`\n"
        ),
        "{}",
        run.stderr
    );
    // When the other order would not read the file either, the hint says to check the cell.
    let project = summing_x()
        .file("x.csv", "day,x\n31/10/2026,1\n10/31/2026,2\n")
        .file(
            "kpi.toml",
            "[[sources]]\ncsv = \"x.csv\"\ndate_order = \"dmy\"\n",
        );
    let run = project.run(&["eval"]).code(1);
    assert_eq!(
        run.stderr,
        "error: x.csv:3:1: date `10/31/2026` cannot be read with `date_order = \"dmy\"`\n  |\n3 | 10/31/2026,2\n  | ^^^^^^^^^^\n  = help: write it day first, as `date_order` says, or as `2026-10-31`; check the day and the month\n"
    );
}

#[test]
fn total_and_comment_rows_after_the_last_dated_row_are_skipped_with_one_note() {
    // 10 + 20 = 30 in October, 5 in November; the rows below are not data.
    let csv = "period,x\n2026-10-01,10\n2026-10-02,20\n2026-11-01,5\nTotal,35\nMoyenne,11.67\nAverage,x\n";
    let project = summing_x().file("t.csv", csv);
    let run = pull(&project, &["--data", "t.csv"]);
    assert_eq!(run.stdout, "period,x\n2026-10,30\n2026-11,5\n");
    assert_eq!(
        run.stderr,
        "note: t.csv:5:1: skipped 3 rows after the last dated row, whose period cell is no date: line 5 (`Total`), line 6 (`Moyenne`), line 7 (`Average`)\n  |\n5 | Total,35\n  | ^^^^^\n  = help: totals and comments below the data are left out; a row between dated rows needs a date, or its period cell in `skip = [...]` on the source\n"
    );
    // A comment below the data need not fill its row.
    let csv = "period;x;y\n2026-10;1;2\nSource : export du 3 novembre\n";
    let project = summing_x().file("c.csv", csv);
    let run = pull(&project, &["--data", "c.csv"]);
    assert_eq!(run.stdout, "period,x\n2026-10,1\n");
    assert!(
        run.stderr.starts_with("note: c.csv:3:1: skipped a row after the last dated row, whose period cell is no date: line 3 (`Source : export du 3 novembre`)\n"),
        "{}",
        run.stderr
    );
    // Between dated rows, a word is still an error...
    let csv = "period,x\n2026-10,10\nSous-total,10\n2026-11,5\nTOTAL,15\n";
    let project = summing_x().file("s.csv", csv);
    let run = project.run(&["eval", "--data", "s.csv"]).code(1);
    assert!(
        run.stderr.starts_with("error: s.csv:3:1: period `Sous-total` is not a month nor a date, and dated rows follow it\n"),
        "{}",
        run.stderr
    );
    stderr_contains(
        &run,
        "= help: write the row's month; if the row is not data (a subtotal), list its period cell on the source in `kpi.toml`: `skip = [\"Sous-total\"]`\n",
    );
    // ...unless the source lists it in `skip` (any case): 10 in October, 5 in November.
    let project = project.file(
        "kpi.toml",
        "[[sources]]\ncsv = \"s.csv\"\nskip = [\"sous-TOTAL\"]\n",
    );
    let run = pull(&project, &[]);
    assert_eq!(run.stdout, "period,x\n2026-10,10\n2026-11,5\n");
    assert!(run.stderr.starts_with("note: s.csv:5:1: skipped a row after the last dated row, whose period cell is no date: line 5 (`TOTAL`)\n"), "{}", run.stderr);
}

/// Revenue summed over a month's rows from `Chiffre d'affaires`, and customers, the month's
/// last value of `Clients`.
fn french_project() -> Project {
    Project::new()
        .file(
            "metrics.d/revenue.toml",
            &passthrough(
                "revenue_total",
                "revenue",
                "column = \"Chiffre d'affaires\"\naggregate = \"sum\"\n",
            ),
        )
        .file(
            "metrics.d/customers.toml",
            &passthrough(
                "customers",
                "clients",
                "column = \"Clients\"\naggregate = \"last\"\n",
            ),
        )
}

#[test]
fn the_french_excel_export_is_read_with_no_setting() {
    // "CSV (séparateur: point-virgule)" as Excel writes it: Windows-1252, `;`, "mmm-aa"
    // months, thousands grouped with a space or a no-break space (0xA0), a total row.
    let text = "Mois;Chiffre d'affaires;Clients\r\n\
                janv.-25;175 329,11;1 204\r\n\
                févr.-25;180\u{a0}000,50;1\u{a0}250\r\n\
                mars-25;1 234 567,89;1 300\r\n\
                Total;1 589 897,50;\r\n";
    let project = french_project().bytes("suivi.csv", &windows_1252(text));
    let run = pull(&project, &["--data", "suivi.csv"]);
    assert_eq!(
        run.stdout,
        "period,clients,revenue\n2025-01,1204,175329.11\n2025-02,1250,180000.5\n2025-03,1300,1234567.89\n"
    );
    assert_eq!(
        run.stderr,
        "note: suivi.csv:5:1: skipped a row after the last dated row, whose period cell is no date: line 5 (`Total`)\n  |\n5 | Total;1 589 897,50;\n  | ^^^^^\n  = help: totals and comments below the data are left out; a row between dated rows needs a date, or its period cell in `skip = [...]` on the source\n"
    );
}

#[test]
fn a_windows_1252_file_reads_the_same_whatever_its_accents() {
    // Accents in the header, in an unread column of every row and a euro sign (0x80, three
    // bytes once decoded): the values, the names and the columns messages give are those of
    // the characters. October: 10,5 + 2,25 = 12.75, last customers 4.
    let text = "Période;Libellé;Chiffre d'affaires;Clients\r\n\
                01/10/2025;Café crème;10,5;3\r\n\
                02/10/2025;Thé à 2 EUR;2,25;4\r\n";
    let mut bytes = windows_1252(text);
    bytes.extend(b"03/11/2025;\x80\xe9;1,x;5\r\n");
    let project = french_project().bytes("suivi.csv", &bytes);
    let run = project
        .run(&["data", "pull", "--data", "suivi.csv"])
        .code(1);
    assert_eq!(run.stdout, "", "{}", run.stderr);
    // The bad number is the 4th line's third cell: `03/11/2025;€é;` is 14 characters.
    assert!(
        run.stderr.starts_with("error: suivi.csv:4:15: "),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("4 | 03/11/2025;€é;1,x;5"),
        "{}",
        run.stderr
    );
    // Without the bad row: read, and the unread column named with its accent.
    let project = french_project().bytes("suivi.csv", &windows_1252(text));
    let run = pull(&project, &["--data", "suivi.csv"]);
    assert_eq!(run.stdout, "period,clients,revenue\n2025-10,4,12.75\n");
    assert!(run.stderr.contains("`Libellé`"), "{}", run.stderr);
}

#[test]
fn excels_unicode_text_export_is_read_with_no_setting() {
    // "Texte Unicode": UTF-16 LE with a byte-order mark, tabs, decimal commas, day-first
    // dates. October: 765,25 + 100 = 865.25, last customers 12; September: 1 234,5 and 10.
    let text = "Date\tChiffre d'affaires\tClients\r\n\
                01/09/2024\t1 234,5\t10\r\n\
                31/10/2024\t765,25\t12\r\n\
                15/10/2024\t100\t\r\n";
    let project = french_project().bytes("export.txt", &utf16le(text));
    let run = pull(&project, &["--data", "export.txt"]);
    assert_eq!(
        run.stdout,
        "period,clients,revenue\n2024-09,10,1234.5\n2024-10,12,865.25\n"
    );
    assert!(
        run.stderr.contains("note: export.txt:2:12: numbers are read with a decimal comma: this tab-separated file writes `1 234,5` (line 2)"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("note: export.txt:3:1: slashed dates are read day first, as `31/10/2024` (line 3) can only be\n"),
        "{}",
        run.stderr
    );
    assert_eq!(run.stderr.matches("note:").count(), 2, "{}", run.stderr);
}

#[test]
fn skip_and_decimal_apply_to_a_database_source_too() {
    // A SQLite table as a spreadsheet was pasted into it: text amounts with decimal commas and
    // a subtotal row. October: 10,5 + 1 234,5 = 1245; November: 2.
    let project = summing_x().file(
        "kpi.toml",
        "[[sources]]\nsqlite = \"w.db\"\nquery = \"select period, x from t\"\ndecimal = \",\"\nskip = [\"Sous-total\"]\n",
    );
    let db = rusqlite::Connection::open(project.join("w.db")).unwrap();
    db.execute_batch(
        "create table t (period text, x text);
         insert into t values ('2026-10-01', '10,5'), ('2026-10-02', '1 234,5'),
           ('sous-total', '1245'), ('2026-11-01', '2');",
    )
    .unwrap();
    let run = pull(&project, &[]);
    assert_eq!(run.stdout, "period,x\n2026-10,1245\n2026-11,2\n");
}
