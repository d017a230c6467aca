//! A large generated project through the binary: the 10 000-metric workload of the
//! benchmarks (`crates/kpi-core/benches/synth`), 24 months, reported in HTML and Markdown and
//! evaluated to JSON. Its outputs are pinned by their hashes, taken with the build before the
//! reports were streamed (`59d3e1b`): work on speed and memory must not change a byte.

use std::path::Path;
use std::process::Command;

#[path = "../../crates/kpi-core/benches/synth/mod.rs"]
#[allow(dead_code)] // The benchmarks use more of it.
mod synth;

/// FNV-1a, 64 bits: stable across builds and platforms, enough to tell two texts apart.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}

fn write_project(dir: &Path) {
    std::fs::create_dir(dir.join("metrics.d")).unwrap();
    for file in synth::definitions(10_000) {
        let name = file.path().file_name().expect("generated names have one");
        std::fs::write(dir.join("metrics.d").join(name), file.text()).unwrap();
    }
    std::fs::write(dir.join("data.csv"), synth::data(24).text()).unwrap();
}

#[test]
fn ten_thousand_metrics_report_byte_for_byte_as_before() {
    let dir = tempfile::tempdir().unwrap();
    write_project(dir.path());
    for (format, size, hash) in [
        ("html", 47_878_088, 0x8af2_557d_dcad_46ac_u64),
        ("md", 7_259_599, 0xbcc3_2376_5196_a335),
    ] {
        let output = dir.path().join(format!("report.{format}"));
        let run = Command::new(env!("CARGO_BIN_EXE_kpi"))
            .current_dir(dir.path())
            .args(["report", "--metrics", "metrics.d", "--data", "data.csv"])
            .arg("--output")
            .arg(&output)
            .output()
            .expect("the kpi binary runs");
        assert!(
            run.status.success(),
            "{}",
            String::from_utf8_lossy(&run.stderr)
        );
        let text = std::fs::read(&output).unwrap();
        assert_eq!((text.len(), fnv1a(&text)), (size, hash), "{format}");
    }
}

#[test]
fn ten_thousand_metrics_evaluate_byte_for_byte_as_before() {
    let dir = tempfile::tempdir().unwrap();
    write_project(dir.path());
    let run = Command::new(env!("CARGO_BIN_EXE_kpi"))
        .current_dir(dir.path())
        .args(["eval", "--metrics", "metrics.d", "--data", "data.csv"])
        .args(["--format", "json"])
        .output()
        .expect("the kpi binary runs");
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert_eq!(
        (run.stdout.len(), fnv1a(&run.stdout)),
        (11_863_029, 0xe84c_70ba_4702_a130)
    );
}
