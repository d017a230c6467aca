//! Benchmark of reading data: a daily CSV export (one row per order batch, many rows a day,
//! ten years of days, 10 numeric inputs) read from a file and aggregated to months through the
//! public API, `Dataset::load` with the inputs that definitions loaded by `Catalog::load`
//! declare (each with an `aggregate`). Throughput is in bytes of the file (MB/s, 10^6 bytes).
//!
//! 1. `read/iso/<size>`: ISO dates (`2026-10-31`), `,` and decimal points, at 5, 12.5, 25 and
//!    50 MB, to show that the cost is linear in the size;
//! 2. `read/iso_time/50MB`: the same with date-times (`2026-10-31T14:05:09`);
//! 3. `read/fr/50MB`: the French spreadsheet dialect, `;`, decimal commas and `31/10/2026`
//!    (with `date_order = "dmy"`);
//! 4. `read/fr_1252/50MB`: the French file as Excel writes it, in Windows-1252, whose only
//!    byte that is not ASCII is the `é` of its header's `Période`;
//! 5. `wide/1200x5500` and `wide/120x55000`: a monthly table (one row a month, `YYYY-MM`) of
//!    5 500 and 55 000 numeric columns, about 58 MB each, every column an input (declared 200
//!    to a definition), one value per month and column;
//! 6. `workbook/xlsx/100k_rows`: a workbook's sheet of 100 000 rows, a date cell and the 10
//!    inputs as number cells (written by `rust_xlsxwriter`), read with `excel = ...`.
//!
//! Every file is generated in-process, deterministically, and written once to a temporary
//! folder. Run with `cargo bench -p kpi-core --bench data`; figures are in
//! `docs/performance.md`.
//!
//! With `KPI_BENCH_WRITE=<dir>` set, the benchmark runs nothing and writes the 50 MB workload
//! to `<dir>` instead, to time the whole process: `kpi.toml` (ISO file), `kpi-fr.toml` (French
//! file) and `kpi-1252.toml` (the French file in Windows-1252), `metrics.d/`, `daily.csv`,
//! `daily-fr.csv` and `daily-1252.csv`; the long file `long.csv` (`kpi-long.toml`), the ISO
//! file's values a row each; and the wide files, each in a folder of its own with
//! its definitions: `wide-1200x5500/` and `wide-120x55000/` (`kpi.toml`, `metrics.d/`,
//! `wide.csv`).

use std::fmt::Write as _;
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, SamplingMode, Throughput, criterion_group};
use kpi_core::data::{DateOrder, Inputs, SourceSpec};
use kpi_core::{Catalog, Dataset};

/// How the file writes dates, numbers and separators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Style {
    /// `2026-10-31`, `,` between fields, `12.5`.
    Iso,
    /// `2026-10-31T14:05:09`, otherwise as `Iso`.
    IsoTime,
    /// `31/10/2026`, `;` between fields, `12,5`.
    French,
    /// `French`, in Windows-1252 as Excel saves it, its period column named `Période`.
    French1252,
}

/// The inputs: column name, aggregate, unit.
const INPUTS: [(&str, &str, &str); 10] = [
    ("orders", "sum", "count"),
    ("revenue", "sum", "currency"),
    ("refunds", "sum", "currency"),
    ("sessions", "sum", "count"),
    ("signups", "sum", "count"),
    ("basket", "mean", "currency"),
    ("latency_ms", "max", "number"),
    ("nps", "mean", "score"),
    ("stock", "last", "count"),
    ("list_price", "first", "currency"),
];

/// Days from 2016-01-01: ten years, 120 months (the span limit is 1 200).
const DAYS: u32 = 3_653;

/// A 64-bit linear congruential generator (Knuth's MMIX constants): deterministic, no crate.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u32 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) as u32
    }

    /// Uniform in `0..n`.
    fn below(&mut self, n: u32) -> u32 {
        self.next() % n
    }
}

/// The civil date of day `n` from 2016-01-01.
fn date(n: u32) -> (u32, u32, u32) {
    let mut days = n;
    let mut year = 2016;
    loop {
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
        let len = if leap { 366 } else { 365 };
        if days < len {
            let lengths = [
                31,
                if leap { 29 } else { 28 },
                31,
                30,
                31,
                30,
                31,
                31,
                30,
                31,
                30,
                31,
            ];
            let mut month = 0;
            while days >= lengths[month] {
                days -= lengths[month];
                month += 1;
            }
            return (year, month as u32 + 1, days + 1);
        }
        days -= len;
        year += 1;
    }
}

/// Appends a fixed-point number with `decimals` decimals (`value` in units of 10^-decimals).
fn fixed(out: &mut String, value: i64, decimals: u32, mark: char) {
    let scale = 10i64.pow(decimals);
    let sign = if value < 0 { "-" } else { "" };
    let (int, frac) = (value.abs() / scale, value.abs() % scale);
    let _ = write!(
        out,
        "{sign}{int}{mark}{frac:0width$}",
        width = decimals as usize
    );
}

/// One row's cells after the date, realistic values with a few empty cells.
fn row(out: &mut String, rng: &mut Lcg, sep: char, mark: char, day: u32) {
    let orders = 1 + rng.below(40);
    let r = [
        rng.below(100_000),
        rng.below(1000),
        rng.below(5000),
        rng.below(1000),
        rng.below(20_000),
        rng.below(50_000),
        rng.below(201),
        rng.below(10_000),
    ];
    let mut cell = |out: &mut String, empty_in_1000: u32, write: &dyn Fn(&mut String)| {
        out.push(sep);
        if rng.below(1000) >= empty_in_1000 {
            write(out);
        }
    };
    cell(out, 0, &|o| {
        let _ = write!(o, "{orders}");
    });
    // Revenue in cents, about 25 per order.
    cell(out, 2, &|o| {
        fixed(o, i64::from(orders) * 2_500 + i64::from(r[0]), 2, mark)
    });
    // Refunds: mostly 0.
    cell(out, 30, &|o| {
        if r[1] < 900 {
            o.push('0');
        } else {
            fixed(o, i64::from(r[1]) * 31, 2, mark);
        }
    });
    cell(out, 5, &|o| {
        let _ = write!(o, "{}", orders * 12 + r[2] % 400);
    });
    cell(out, 5, &|o| {
        let _ = write!(o, "{}", r[3] % 9);
    });
    cell(out, 10, &|o| fixed(o, 1_500 + i64::from(r[4]), 2, mark));
    cell(out, 20, &|o| {
        fixed(o, 400 + i64::from(r[5]) % 3_000, 1, mark)
    });
    cell(out, 50, &|o| {
        let _ = write!(o, "{}", i64::from(r[6]) - 100);
    });
    cell(out, 0, &|o| {
        let _ = write!(o, "{}", 10_000 - (day * 2) % 9_000 + r[7] % 50);
    });
    cell(out, 0, &|o| {
        fixed(o, 2_990 + i64::from(day / 365) * 100, 2, mark)
    });
    out.push('\n');
}

/// A daily CSV of about `bytes` bytes: every day of ten years, the same number of rows each
/// day (as many as the size needs), ordered by date.
fn daily_csv(bytes: usize, style: Style) -> String {
    let (sep, mark) = match style {
        Style::Iso | Style::IsoTime => (',', '.'),
        Style::French | Style::French1252 => (';', ','),
    };
    // The average row length, from a sample, sets how many rows a day.
    let mut sample = String::new();
    let mut rng = Lcg(7);
    for _ in 0..1_000 {
        row(&mut sample, &mut rng, sep, mark, 1_000);
    }
    let date_len = match style {
        Style::Iso | Style::French | Style::French1252 => 10,
        Style::IsoTime => 19,
    };
    let per_row = sample.len() as f64 / 1_000.0 + date_len as f64;
    let per_day = ((bytes as f64 / per_row / f64::from(DAYS)).round() as u32).max(1);

    let mut out = String::with_capacity(bytes + bytes / 50);
    out.push_str(match style {
        Style::Iso | Style::IsoTime => "date",
        Style::French => "Date",
        Style::French1252 => "Période",
    });
    for (name, _, _) in INPUTS {
        out.push(sep);
        out.push_str(name);
    }
    out.push('\n');
    let mut rng = Lcg(42);
    for n in 0..DAYS {
        let (y, m, d) = date(n);
        for k in 0..per_day {
            match style {
                Style::Iso => {
                    let _ = write!(out, "{y}-{m:02}-{d:02}");
                }
                Style::IsoTime => {
                    // Spread over the day, in order.
                    let s = k * 86_399 / per_day;
                    let _ = write!(
                        out,
                        "{y}-{m:02}-{d:02}T{:02}:{:02}:{:02}",
                        s / 3600,
                        s / 60 % 60,
                        s % 60
                    );
                }
                Style::French | Style::French1252 => {
                    let _ = write!(out, "{d:02}/{m:02}/{y}");
                }
            }
            row(&mut out, &mut rng, sep, mark, n);
        }
    }
    out
}

/// A long CSV of about `bytes` bytes: the daily ISO file's rows unpivoted, a row per day,
/// input and value (`date,name,value`), its empty cells left out, in the order of the daily
/// file.
fn long_csv(bytes: usize) -> String {
    // A daily row becomes about 4.1 times as many bytes: a date and a name for each value.
    let daily = daily_csv(bytes * 10 / 41, Style::Iso);
    let mut out = String::with_capacity(bytes + bytes / 20);
    out.push_str("date,name,value\n");
    for line in daily.lines().skip(1) {
        let mut cells = line.split(',');
        let date = cells.next().expect("a date");
        for ((name, _, _), value) in INPUTS.iter().zip(cells) {
            if !value.is_empty() {
                let _ = writeln!(out, "{date},{name},{value}");
            }
        }
    }
    out
}

/// The file's bytes: UTF-8, or Windows-1252 for `French1252` (whose only character that is not
/// ASCII is the header's `é`, 0xE9 in Windows-1252).
fn encoded(text: String, style: Style) -> Vec<u8> {
    if style != Style::French1252 {
        return text.into_bytes();
    }
    assert!(text.chars().all(|c| c.is_ascii() || c == 'é'));
    let mut bytes = Vec::with_capacity(text.len());
    for c in text.chars() {
        bytes.push(if c == 'é' { 0xe9 } else { c as u8 });
    }
    bytes
}

/// A wide monthly table: a `period` column of `rows` months up to 2025-12, then `columns`
/// columns `w00000`, `w00001`..., numbers with two decimals (0 to 99 999.99), 1 % of cells
/// empty. About 9 bytes a cell.
fn wide_csv(rows: u32, columns: u32) -> String {
    let mut out = String::with_capacity(rows as usize * columns as usize * 9 + 1_000_000);
    out.push_str("period");
    for c in 0..columns {
        let _ = write!(out, ",w{c:05}");
    }
    out.push('\n');
    let mut rng = Lcg(11);
    // The last month is 2025-12: ordinal 2025 * 12 + 11.
    let last = 2025 * 12 + 11;
    for r in 0..rows {
        let ordinal = last + 1 - rows + r;
        let _ = write!(out, "{}-{:02}", ordinal / 12, ordinal % 12 + 1);
        for _ in 0..columns {
            out.push(',');
            if rng.below(100) != 0 {
                fixed(&mut out, i64::from(rng.below(10_000_000)), 2, '.');
            }
        }
        out.push('\n');
    }
    out
}

/// Definitions that declare the `columns` inputs of a wide table, 200 to a file (the most
/// operands a formula has), each file's metric the sum of its first two inputs.
fn write_wide_definitions(dir: &Path, columns: u32) -> PathBuf {
    let metrics = dir.join("metrics.d");
    std::fs::create_dir_all(&metrics).expect("create metrics.d");
    for (k, first) in (0..columns).step_by(200).enumerate() {
        let last = (first + 200).min(columns);
        let formula = if last - first > 1 {
            format!("w{first:05} + w{:05}", first + 1)
        } else {
            format!("w{first:05}")
        };
        let mut text = format!(
            "name = \"wide {k}\"\ncategory = \"bench\"\nkind = \"metric\"\nunit = \"number\"\n\
             formula = \"{formula}\"\n"
        );
        for c in first..last {
            let _ = write!(text, "\n[inputs.w{c:05}]\nunit = \"number\"\n");
        }
        std::fs::write(metrics.join(format!("wide_{k:03}.toml")), text)
            .expect("write a definition");
    }
    metrics
}

/// Definition files that declare the ten inputs, each with its aggregate.
fn write_definitions(dir: &Path) -> PathBuf {
    let metrics = dir.join("metrics.d");
    std::fs::create_dir_all(&metrics).expect("create metrics.d");
    let inputs = |names: &[&str]| {
        let mut text = String::new();
        for name in names {
            let (_, aggregate, unit) = INPUTS.iter().find(|(n, _, _)| n == name).expect("an input");
            let _ = write!(
                text,
                "\n[inputs.{name}]\nunit = \"{unit}\"\naggregate = \"{aggregate}\"\n"
            );
        }
        text
    };
    let definitions: [(&str, &str, &str, &[&str]); 5] = [
        (
            "net_revenue",
            "currency",
            "revenue - refunds",
            &["revenue", "refunds"],
        ),
        (
            "conversion",
            "percent",
            "signups / max(sessions, 1) * 100",
            &["signups", "sessions"],
        ),
        (
            "basket_vs_price",
            "number",
            "basket / list_price",
            &["basket", "list_price"],
        ),
        (
            "orders_per_stock",
            "number",
            "orders / max(stock, 1)",
            &["orders", "stock"],
        ),
        (
            "service",
            "number",
            "nps - latency_ms / 100",
            &["nps", "latency_ms"],
        ),
    ];
    for (id, unit, formula, names) in definitions {
        let text = format!(
            "name = \"{id}\"\ncategory = \"bench\"\nkind = \"metric\"\nunit = \"{unit}\"\n\
             formula = \"{formula}\"\n{}",
            inputs(names)
        );
        std::fs::write(metrics.join(format!("{id}.toml")), text).expect("write a definition");
    }
    metrics
}

fn source(path: PathBuf, style: Style) -> SourceSpec {
    let mut spec = SourceSpec::csv(path);
    if matches!(style, Style::French | Style::French1252) {
        spec.date_order = Some(DateOrder::Dmy);
    }
    spec
}

fn read(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temporary folder");
    let catalog = Catalog::load(&[write_definitions(dir.path())]).expect("valid definitions");
    assert_eq!(catalog.inputs().len(), INPUTS.len());

    let mut group = c.benchmark_group("read");
    group.sample_size(10);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(12));
    group.sampling_mode(SamplingMode::Flat);
    let runs: [(&str, Style, f64); 7] = [
        ("iso", Style::Iso, 5.0),
        ("iso", Style::Iso, 12.5),
        ("iso", Style::Iso, 25.0),
        ("iso", Style::Iso, 50.0),
        ("iso_time", Style::IsoTime, 50.0),
        ("fr", Style::French, 50.0),
        ("fr_1252", Style::French1252, 50.0),
    ];
    for (name, style, megabytes) in runs {
        let path = dir.path().join(format!("{name}-{megabytes}.csv"));
        let text = encoded(daily_csv((megabytes * 1e6) as usize, style), style);
        std::fs::write(&path, &text).expect("write the data");
        let bytes = text.len() as u64;
        drop(text);
        let sources = [source(path.clone(), style)];
        // Checked once: every month present, no error.
        let data = Dataset::load(&sources, Inputs::Declared(catalog.inputs())).expect("valid");
        assert_eq!(data.months().len(), 120);
        assert_eq!(data.column("orders").map(<[f64]>::len), Some(120));
        group.throughput(Throughput::BytesDecimal(bytes));
        group.bench_function(BenchmarkId::new(name, format!("{megabytes}MB")), |b| {
            b.iter(|| {
                Dataset::load(black_box(&sources), Inputs::Declared(catalog.inputs()))
                    .expect("valid")
                    .months()
                    .len()
            })
        });
        std::fs::remove_file(&path).expect("remove the data");
    }
    group.finish();
}

/// Writes the 50 MB workload to `dir`, for timing the whole process.
fn write_workload(dir: &Path) {
    write_definitions(dir);
    let dmy = "date_order = \"dmy\"\n";
    for (style, csv, config, extra) in [
        (Style::Iso, "daily.csv", "kpi.toml", ""),
        (Style::French, "daily-fr.csv", "kpi-fr.toml", dmy),
        (Style::French1252, "daily-1252.csv", "kpi-1252.toml", dmy),
    ] {
        let bytes = encoded(daily_csv(50_000_000, style), style);
        std::fs::write(dir.join(csv), bytes).expect("write the data");
        let text = format!("metrics = [\"metrics.d\"]\n\n[[sources]]\ncsv = \"{csv}\"\n{extra}");
        std::fs::write(dir.join(config), text).expect("write kpi.toml");
    }
    // The long table: the same days, one row per day, input and value.
    std::fs::write(dir.join("long.csv"), long_csv(50_000_000)).expect("write the data");
    let text = "metrics = [\"metrics.d\"]\n\n[[sources]]\ncsv = \"long.csv\"\nname = \"name\"\nvalue = \"value\"\n";
    std::fs::write(dir.join("kpi-long.toml"), text).expect("write kpi.toml");
    for (rows, columns) in WIDE {
        let wide = dir.join(format!("wide-{rows}x{columns}"));
        write_wide_definitions(&wide, columns);
        std::fs::write(wide.join("wide.csv"), wide_csv(rows, columns)).expect("write the data");
        let text = "metrics = [\"metrics.d\"]\n\n[[sources]]\ncsv = \"wide.csv\"\n";
        std::fs::write(wide.join("kpi.toml"), text).expect("write kpi.toml");
    }
}

/// The wide tables' shapes: rows (months) and columns.
const WIDE: [(u32, u32); 2] = [(1_200, 5_500), (120, 55_000)];

/// Reads each wide table, every column an input.
fn read_wide(c: &mut Criterion) {
    let mut group = c.benchmark_group("wide");
    group.sample_size(10);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(20));
    group.sampling_mode(SamplingMode::Flat);
    for (rows, columns) in WIDE {
        let dir = tempfile::tempdir().expect("temporary folder");
        let catalog = Catalog::load(&[write_wide_definitions(dir.path(), columns)])
            .expect("valid definitions");
        assert_eq!(catalog.inputs().len(), columns as usize);
        let path = dir.path().join("wide.csv");
        let text = wide_csv(rows, columns);
        std::fs::write(&path, &text).expect("write the data");
        let bytes = text.len() as u64;
        drop(text);
        let sources = [SourceSpec::csv(path.clone())];
        // Checked once: every month and column present, no error.
        let data = Dataset::load(&sources, Inputs::Declared(catalog.inputs())).expect("valid");
        assert_eq!(data.months().len(), rows as usize);
        assert_eq!(data.column("w00000").map(<[f64]>::len), Some(rows as usize));
        drop(data);
        group.throughput(Throughput::BytesDecimal(bytes));
        group.bench_function(
            BenchmarkId::from_parameter(format!("{rows}x{columns}")),
            |b| {
                b.iter(|| {
                    Dataset::load(black_box(&sources), Inputs::Declared(catalog.inputs()))
                        .expect("valid")
                        .months()
                        .len()
                })
            },
        );
        std::fs::remove_file(&path).expect("remove the data");
    }
    group.finish();
}

/// A workbook of `rows` rows: a header, then a date cell (days of the ten years, in order)
/// and the ten inputs as numbers, as `Iso` rows have them.
fn workbook(rows: u32) -> Vec<u8> {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let date_format = Format::new().set_num_format("dd/mm/yyyy");
    sheet.write_string(0, 0, "date").expect("header");
    for (c, (name, _, _)) in INPUTS.iter().enumerate() {
        sheet.write_string(0, c as u16 + 1, *name).expect("header");
    }
    let mut rng = Lcg(42);
    for r in 1..=rows {
        let day = (u64::from(r - 1) * u64::from(DAYS) / u64::from(rows)) as u32;
        let (y, m, d) = date(day);
        let when = ExcelDateTime::from_ymd(y as u16, m as u8, d as u8).expect("a real day");
        sheet
            .write_datetime_with_format(r, 0, when, &date_format)
            .expect("date");
        for c in 0..INPUTS.len() {
            let value = f64::from(rng.below(100_000)) / 100.0;
            sheet.write_number(r, c as u16 + 1, value).expect("number");
        }
    }
    book.save_to_buffer().expect("the workbook is saved")
}

fn read_workbook(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temporary folder");
    let catalog = Catalog::load(&[write_definitions(dir.path())]).expect("valid definitions");
    let path = dir.path().join("export.xlsx");
    let bytes = workbook(100_000);
    std::fs::write(&path, &bytes).expect("write the workbook");
    let sources = [SourceSpec::csv(path)];
    let data = Dataset::load(&sources, Inputs::Declared(catalog.inputs())).expect("valid");
    assert_eq!(data.months().len(), 120);
    let mut group = c.benchmark_group("workbook");
    group.sample_size(10);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(12));
    group.sampling_mode(SamplingMode::Flat);
    group.throughput(Throughput::Elements(100_000));
    group.bench_function(BenchmarkId::new("xlsx", "100k_rows"), |b| {
        b.iter(|| {
            Dataset::load(black_box(&sources), Inputs::Declared(catalog.inputs()))
                .expect("valid")
                .months()
                .len()
        })
    });
    group.finish();
}

criterion_group!(benches, read, read_wide, read_workbook);

fn main() {
    if let Some(dir) = std::env::var_os("KPI_BENCH_WRITE") {
        write_workload(Path::new(&dir));
        return;
    }
    benches();
    Criterion::default().configure_from_args().final_summary();
}
