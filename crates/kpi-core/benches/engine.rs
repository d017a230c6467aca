//! Benchmarks of the engine on synthetic workloads generated in-process:
//!
//! 1. `load/N`: parse and validate N definition files (realistic formulas, chains of derived
//!    metrics);
//! 2. `eval/MxP`: evaluate M metrics over P months, with `prev` and derived chains of depth 10,
//!    throughput in metric-month values (up to 100 000 metrics × 120 months);
//! 3. `attribution/MxP`: the change of every one of M metrics between the last two of P
//!    months split by Shapley values (`kpi eval`'s `attribution`), beside `eval/MxP`, which
//!    it must stay within twice of;
//! 4. `evalexpr_baseline`: `evalexpr`'s own evaluation of the same kind of precompiled formula
//!    with a `HashMapContext`, one value per evaluation, side by side with `eval/formula4`.
//!
//! Run with `cargo bench -p kpi-core --bench engine`; figures are in `docs/performance.md`.

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use evalexpr::{ContextWithMutableVariables, HashMapContext, Value};
use kpi_core::attribution::attribute;
use kpi_core::{Catalog, Dataset, Diagnostics, MetricIndex, MonthIndex, SourceFile, evaluate};

mod synth;

use synth::{INPUTS, data, definitions};

fn catalog(n: usize) -> Catalog {
    Catalog::from_layers(vec![definitions(n)], Diagnostics::default()).expect("valid")
}

fn load(c: &mut Criterion) {
    let mut group = c.benchmark_group("load");
    group.sample_size(10);
    for n in [18, 1_000, 10_000] {
        let files = definitions(n);
        group.throughput(Throughput::Elements(n as u64));
        group.bench_with_input(BenchmarkId::from_parameter(n), &files, |b, files| {
            b.iter(|| {
                Catalog::from_layers(vec![black_box(files.clone())], Diagnostics::default())
                    .expect("valid")
            })
        });
    }
    group.finish();
}

fn eval(c: &mut Criterion) {
    let mut group = c.benchmark_group("eval");
    group.sample_size(10);
    for (m, p) in [
        (18, 24),
        (100, 120),
        (1_000, 24),
        (1_000, 120),
        (10_000, 24),
        (10_000, 120),
        (100_000, 120),
    ] {
        let catalog = catalog(m);
        let data = Dataset::from_files(&[data(p)]).expect("valid");
        group.throughput(Throughput::Elements((m * p) as u64));
        group.bench_function(BenchmarkId::from_parameter(format!("{m}x{p}")), |b| {
            b.iter(|| {
                evaluate(black_box(&catalog), black_box(&data)).column(MetricIndex::new(0))[0]
            })
        });
    }
    group.finish();
}

fn attribution(c: &mut Criterion) {
    let mut group = c.benchmark_group("attribution");
    group.sample_size(10);
    for (m, p) in [(1_000, 24), (10_000, 24), (10_000, 120)] {
        let catalog = catalog(m);
        let data = Dataset::from_files(&[data(p)]).expect("valid");
        let e = evaluate(&catalog, &data);
        let last = MonthIndex::new(p - 1);
        let before = MonthIndex::new(p - 2);
        group.throughput(Throughput::Elements(m as u64));
        group.bench_function(BenchmarkId::from_parameter(format!("{m}x{p}")), |b| {
            b.iter(|| split_all(black_box(&e), &catalog, last, before))
        });
    }
    group.finish();
    // What `kpi eval` does with the definitions and data (read them, check them, evaluate),
    // without and with every metric's attribution against the month before.
    let mut group = c.benchmark_group("eval_work");
    group.sample_size(10);
    let (m, p) = (10_000, 24);
    let files = definitions(m);
    let table = data(p);
    let work = |attributed: bool| {
        let catalog =
            Catalog::from_layers(vec![files.clone()], Diagnostics::default()).expect("valid");
        let data = Dataset::from_files(std::slice::from_ref(&table)).expect("valid");
        let e = evaluate(&catalog, &data);
        let last = MonthIndex::new(p - 1);
        let before = MonthIndex::new(p - 2);
        let split = if attributed {
            split_all(&e, &catalog, last, before)
        } else {
            0
        };
        e.column(MetricIndex::new(0))[0] + split as f64
    };
    group.bench_function(format!("{m}x{p}"), |b| b.iter(|| work(black_box(false))));
    group.bench_function(format!("{m}x{p}_with_attribution"), |b| {
        b.iter(|| work(black_box(true)))
    });
    group.finish();
}

/// Splits the change of every metric from `before` to `last`; how many could be split.
fn split_all(
    e: &kpi_core::Evaluation<'_>,
    catalog: &Catalog,
    last: MonthIndex,
    before: MonthIndex,
) -> usize {
    catalog
        .metric_indexes()
        .filter(|&metric| attribute(e, metric, last, before).is_ok())
        .count()
}

/// One four-operator formula, `a + b * c - d`, in 1 000 metrics over 120 months, against
/// evalexpr evaluating the same precompiled formula with its variables set before each call.
fn versus_evalexpr(c: &mut Criterion) {
    let mut group = c.benchmark_group("formula4");
    let (m, p) = (1_000, 120);
    let files: Vec<SourceFile> = (0..m)
        .map(|i| {
            let mut text = String::from(
                "name = \"F\"\ncategory = \"c\"\nkind = \"metric\"\nunit = \"number\"\nformula = \"in_0 + in_1 * in_2 - in_3\"\n",
            );
            if i == 0 {
                for k in 0..INPUTS {
                    text.push_str(&format!("[inputs.in_{k}]\nunit = \"count\"\n"));
                }
            }
            SourceFile::new(format!("f/m{i}.toml"), text)
        })
        .collect();
    let catalog = Catalog::from_layers(vec![files], Diagnostics::default()).expect("valid");
    let data = Dataset::from_files(&[data(p)]).expect("valid");
    group.throughput(Throughput::Elements((m * p) as u64));
    group.bench_function("kpi", |b| {
        b.iter(|| evaluate(black_box(&catalog), black_box(&data)).column(MetricIndex::new(0))[0])
    });

    let tree = evalexpr::build_operator_tree("a + b * c - d").expect("parses");
    let columns: Vec<&[f64]> = (0..4)
        .map(|k| data.column(&format!("in_{k}")).expect("column"))
        .collect();
    group.throughput(Throughput::Elements(p as u64));
    group.bench_function("evalexpr_hashmap", |b| {
        let mut context = HashMapContext::new();
        b.iter(|| {
            let mut sum = 0.0;
            for t in 0..p {
                for (name, column) in ["a", "b", "c", "d"].iter().zip(&columns) {
                    context
                        .set_value((*name).into(), Value::Float(column[t]))
                        .expect("same type every time");
                }
                sum += tree.eval_float_with_context(&context).unwrap_or(0.0);
            }
            sum
        })
    });
    group.finish();
}

criterion_group!(benches, load, eval, attribution, versus_evalexpr);
criterion_main!(benches);
