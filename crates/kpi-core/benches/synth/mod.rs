//! Synthetic workloads shared by the benchmarks and the `synth` example: N definitions with
//! realistic formulas and chains of derived metrics, and P months of data.

use kpi_core::SourceFile;

/// How many inputs the workload declares.
pub(crate) const INPUTS: usize = 20;

/// N definitions: every tenth starts a chain, the other nine each use the previous metric
/// (depth-10 chains), with `prev` in every third formula.
pub(crate) fn definitions(n: usize) -> Vec<SourceFile> {
    (0..n)
        .map(|i| {
            let a = format!("in_{}", i % INPUTS);
            let b = format!("in_{}", (i * 7 + 3) % INPUTS);
            let formula = if i % 10 == 0 {
                format!("({a} + {b}) / max({b}, 1) * 100")
            } else if i % 3 == 0 {
                format!(
                    "if(m{} > 0, (m{} - prev(m{}, 1)) / m{} * 100, 0) + {a}",
                    i - 1,
                    i - 1,
                    i - 1,
                    i - 1
                )
            } else {
                format!("m{} * 0.9 + {a} / max({b}, 1)", i - 1)
            };
            let mut text = format!(
                "name = \"Metric {i}\"\ndescription = \"Synthetic metric number {i}.\"\n\
                 category = \"c{}\"\nkind = \"kpi\"\nunit = \"percent\"\n\
                 direction = \"higher_is_better\"\nformula = \"{formula}\"\n\
                 [target]\nvalue = 50\nwarning = 40\n",
                i % 5
            );
            if i == 0 {
                for k in 0..INPUTS {
                    text.push_str(&format!(
                        "[inputs.in_{k}]\nunit = \"count\"\ndescription = \"input {k}\"\n"
                    ));
                }
            }
            SourceFile::new(format!("bench/m{i}.toml"), text)
        })
        .collect()
}

/// P months of data for every input, from 2015-01, with a few empty cells and zeros.
pub(crate) fn data(p: usize) -> SourceFile {
    let mut text = String::from("period");
    for i in 0..INPUTS {
        text.push_str(&format!(",in_{i}"));
    }
    text.push('\n');
    for t in 0..p {
        text.push_str(&format!("{}-{:02}", 2015 + t / 12, t % 12 + 1));
        for i in 0..INPUTS {
            match (t * 31 + i * 17) % 97 {
                0 => text.push(','),
                1 => text.push_str(",0"),
                k => text.push_str(&format!(",{}", k * 13 + t)),
            }
        }
        text.push('\n');
    }
    SourceFile::new("bench/data.csv", text)
}
