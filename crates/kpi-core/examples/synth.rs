//! Writes the benchmarks' synthetic workload to disk, to time the whole `kpi` process:
//!
//! ```sh
//! cargo run --release -p kpi-core --example synth -- /tmp/w 1000 120
//! hyperfine 'target/release/kpi report --metrics /tmp/w/metrics.d --data /tmp/w/data.csv --format html'
//! ```

#[path = "../benches/synth/mod.rs"]
mod synth;

use std::path::PathBuf;

fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [dir, metrics, months] = args.as_slice() else {
        eprintln!("usage: synth DIR METRICS MONTHS");
        std::process::exit(2);
    };
    let dir = PathBuf::from(dir);
    let (Ok(metrics), Ok(months)) = (metrics.parse(), months.parse()) else {
        eprintln!("METRICS and MONTHS are whole numbers");
        std::process::exit(2);
    };
    std::fs::create_dir_all(dir.join("metrics.d"))?;
    for file in synth::definitions(metrics) {
        let name = file.path().file_name().expect("generated names have one");
        std::fs::write(dir.join("metrics.d").join(name), file.text())?;
    }
    let data = synth::data(months);
    std::fs::write(dir.join("data.csv"), data.text())?;
    eprintln!(
        "wrote {metrics} definitions over {} inputs and {months} months to {}",
        synth::INPUTS,
        dir.display()
    );
    Ok(())
}
