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
         oct. 2024;10\nOct-24;20\ndéc.-24;5\nDEC 2024;6\n",
    );
    let run = pull(&project, &["--data", "months.csv"]);
    assert_eq!(
        run.stdout,
        "period,x\n2024-10,30\n2024-12,11\n2025-01,255\n2025-02,7\n\
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
