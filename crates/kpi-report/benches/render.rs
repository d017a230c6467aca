//! Rendering benchmarks: the report model and both formats for 200 metrics with 24 months of
//! history (`render_200x24`), and whole reports of 10 000 and 100 000 metrics × 120 months
//! (`report`), generated in-process. Run with `cargo bench -p kpi-report --bench render`.

use std::hint::black_box;

use criterion::{
    BenchmarkId, Criterion, SamplingMode, Throughput, criterion_group, criterion_main,
};
use kpi_core::{Catalog, Dataset, Diagnostics, SourceFile, evaluate};
use kpi_report::{Format, Options, Renderer, Report, Templates, render};

#[path = "../../kpi-core/benches/synth/mod.rs"]
#[allow(dead_code)] // The engine's benchmarks use all of it; these, its workload only.
mod synth;

/// The allocator of the `kpi` binary (its `mimalloc` feature, on by default).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const METRICS: usize = 200;
const MONTHS: usize = 24;
const INPUTS: usize = 10;

/// Half KPIs, half metrics, five families, every fifth derived from the one before, with
/// baselines and deadlines on some targets so that pace lines are drawn.
fn definitions() -> Vec<SourceFile> {
    (0..METRICS)
        .map(|i| {
            let formula = if i % 5 == 4 {
                format!("m{} * 1.1", i - 1)
            } else {
                format!("in_{} / max(in_{}, 1) * 100", i % INPUTS, (i + 3) % INPUTS)
            };
            let kind = if i % 2 == 0 { "kpi" } else { "metric" };
            let mut text = format!(
                "name = \"Metric {i} & co\"\ndescription = \"What metric {i} measures.\"\n\
                 category = \"family{}\"\nkind = \"{kind}\"\nunit = \"percent\"\n\
                 direction = \"higher_is_better\"\nformula = \"{formula}\"\n\
                 [target]\nvalue = 120\nwarning = 80\n",
                i % 5
            );
            if i % 4 == 0 {
                text.push_str(
                    "baseline = 50\nbaseline_period = \"2025-01\"\ndeadline = \"2026-12\"\n",
                );
            }
            if i == 0 {
                for k in 0..INPUTS {
                    text.push_str(&format!("[inputs.in_{k}]\nunit = \"count\"\n"));
                }
            }
            SourceFile::new(format!("m{i}.toml"), text)
        })
        .collect()
}

fn data() -> SourceFile {
    let mut text = String::from("period");
    for k in 0..INPUTS {
        text.push_str(&format!(",in_{k}"));
    }
    text.push('\n');
    for t in 0..MONTHS {
        text.push_str(&format!("{}-{:02}", 2025 + t / 12, t % 12 + 1));
        for k in 0..INPUTS {
            text.push_str(&format!(",{}", 100 + (t * 7 + k * 13) % 50));
        }
        text.push('\n');
    }
    SourceFile::new("data.csv", text)
}

fn bench(c: &mut Criterion) {
    let catalog = Catalog::from_layers(vec![definitions()], Diagnostics::default()).expect("valid");
    let data = Dataset::from_files(&[data()]).expect("valid");
    let evaluation = evaluate(&catalog, &data);
    let t = kpi_core::MonthIndex::new(MONTHS - 1);
    let templates = Templates::builtin();
    let report = Report::build(&evaluation, t, "Bench");
    let mut group = c.benchmark_group("render_200x24");
    group.sample_size(20);
    group.bench_function("model", |b| {
        b.iter(|| Report::build(black_box(&evaluation), t, "Bench"))
    });
    group.bench_function("html", |b| {
        b.iter(|| render(black_box(&report), Format::Html, &templates).expect("renders"))
    });
    group.bench_function("markdown", |b| {
        b.iter(|| render(black_box(&report), Format::Markdown, &templates).expect("renders"))
    });
    group.finish();
}

/// What `kpi report` does once the data is read, at 10 000 and 100 000 metrics × 120 months
/// (the engine benchmark's workload, `synth`): build the report's outline, then render it as
/// `kpi report --output` does, each row built as it is reached and the text streamed into a
/// writer (here one that keeps nothing), in each format. `KPI_BENCH_SCALE=10000` runs one size only.
fn at_scale(c: &mut Criterion) {
    let only: Option<usize> = std::env::var("KPI_BENCH_SCALE")
        .ok()
        .and_then(|n| n.parse().ok());
    let templates = Templates::builtin();
    let mut group = c.benchmark_group("report");
    group.sample_size(10);
    group.sampling_mode(SamplingMode::Flat);
    for m in [10_000, 100_000] {
        if only.is_some_and(|n| n != m) {
            continue;
        }
        let catalog = Catalog::from_layers(vec![synth::definitions(m)], Diagnostics::default())
            .expect("valid");
        let data = Dataset::from_files(&[synth::data(120)]).expect("valid");
        let evaluation = evaluate(&catalog, &data);
        let t = kpi_core::MonthIndex::new(119);
        group.throughput(Throughput::Elements(m as u64));
        for (name, format) in [("html", Format::Html), ("markdown", Format::Markdown)] {
            let renderer = Renderer::new(format, &templates).expect("built-in templates");
            group.bench_function(BenchmarkId::new(name, format!("{m}x120")), |b| {
                b.iter(|| {
                    let options = Options {
                        title: Some("Bench".into()),
                        ..Options::default()
                    };
                    let report = Report::stream(black_box(&evaluation), t, &options);
                    renderer
                        .render_streamed_to(&report, &mut std::io::sink())
                        .expect("renders");
                })
            });
        }
    }
    group.finish();
}

criterion_group!(benches, bench, at_scale);
criterion_main!(benches);
