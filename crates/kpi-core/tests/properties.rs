//! Property tests: random formulas over random data.
//!
//! - The compiled, column-wise evaluator agrees with a plain tree-walking evaluation of
//!   `evalexpr`'s own operator tree (all values as floats, written here independently of the
//!   engine) on every cell: the same value bit for bit, or no value with the same reason.
//! - No value is ever `inf` or `NaN`.
//! - The formula with values (`kpi explain`, report details) has balanced brackets and one
//!   value per name the formula reads, however the calls to `prev` are bracketed.
//! - A random definition read again from another revision (`HEAD:m/x.toml`), reformatted and
//!   reordered (keys in another order, inline tables for tables, comments, whitespace), has
//!   the same meaning: `kpi diff` lists no change.
//! - Random text given as a formula, definition or CSV file is either accepted or rejected
//!   with a located error; nothing panics.
//! - A random formula over random monthly data rolled up into quarters, years and years to
//!   date, each input by a random `aggregate`, has the value of an independent model: the
//!   months combined here by each rule from the CSV's own cells, the formula walked on them,
//!   `prev` a period back; no value exactly where the model has none.
//!
//! Case counts are modest so the suite stays quick; set `PROPTEST_CASES` to run more.

use evalexpr::{Node, Operator, Value};
use kpi_core::attribution::{NoAttribution, attribute};
use kpi_core::data::rollup::Grain;
use kpi_core::{
    Catalog, Dataset, Diagnostics, Evaluation, MonthIndex, Reason, SourceFile, evaluate,
};
use proptest::prelude::*;

const INPUTS: [&str; 3] = ["a", "b", "c"];

/// A random numeric formula as text, over inputs `a`, `b`, `c` and the metric `base`.
fn num_expr() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        (0u32..5).prop_map(|n| n.to_string()),
        Just("0.5".to_string()),
        prop::sample::select(vec!["a", "b", "c", "base"]).prop_map(str::to_string),
        (prop::sample::select(vec!["a", "b", "base"]), 1u32..4)
            .prop_map(|(n, k)| format!("prev({n}, {k})")),
        // Brackets and spaces inside the call: its span must still end at its own `)`.
        (
            prop::sample::select(vec!["a", "b", "base"]),
            1u32..4,
            0usize..5
        )
            .prop_map(|(n, k, shape)| match shape {
                0 => format!("prev(({n}))"),
                1 => format!("prev({n}, ({k}))"),
                2 => format!("prev( (({n})) , (({k})) )"),
                3 => format!("(prev({n}))"),
                _ => format!("({n})"),
            }),
    ];
    leaf.prop_recursive(5, 40, 3, |inner| {
        let cond = (
            inner.clone(),
            prop::sample::select(vec!["<", "<=", ">", ">=", "==", "!="]),
            inner.clone(),
        )
            .prop_map(|(x, op, y)| format!("{x} {op} {y}"));
        prop_oneof![
            (
                inner.clone(),
                prop::sample::select(vec!["+", "-", "*", "/", "%", "^"]),
                inner.clone()
            )
                .prop_map(|(x, op, y)| format!("({x} {op} {y})")),
            inner.clone().prop_map(|x| format!("-({x})")),
            (
                prop::sample::select(vec!["abs", "floor", "ceil", "round", "sqrt", "ln", "exp"]),
                inner.clone()
            )
                .prop_map(|(f, x)| format!("{f}({x})")),
            (
                prop::sample::select(vec!["min", "max"]),
                inner.clone(),
                inner.clone()
            )
                .prop_map(|(f, x, y)| format!("{f}({x}, {y})")),
            (cond.clone(), inner.clone(), inner.clone())
                .prop_map(|(c, x, y)| format!("if({c}, {x}, {y})")),
            (cond.clone(), cond, inner.clone(), inner)
                .prop_map(|(c, d, x, y)| format!("if(({c}) && !({d}) || false, {x}, {y})")),
        ]
    })
}

/// A data cell: a number (zeros likely), or empty.
fn cell() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => (-5i32..20).prop_map(|n| n.to_string()),
        1 => Just("0".to_string()),
        1 => (-1e6f64..1e6).prop_map(|x| x.to_string()),
        1 => Just(String::new()),
    ]
}

/// CSV over up to 8 months starting 2026-01, some months left out.
fn csv() -> impl Strategy<Value = String> {
    prop::collection::vec((any::<bool>(), cell(), cell(), cell()), 1..8).prop_map(|rows| {
        let mut text = String::from("period,a,b,c\n");
        let mut any = false;
        for (i, (keep, a, b, c)) in rows.iter().enumerate() {
            if *keep || (!any && i + 1 == rows.len()) {
                any = true;
                text.push_str(&format!("2026-{:02},{a},{b},{c}\n", i + 1));
            }
        }
        text
    })
}

fn definition(formula: &str) -> String {
    format!(
        "name = \"N\"\ncategory = \"c\"\nkind = \"metric\"\nunit = \"number\"\nformula = \"{formula}\"\n"
    )
}

/// The metric `base` (`a * 2 - b`) and `formula`, over inputs `a`, `b`, `c` without rules.
fn catalog(formula: &str) -> Result<Catalog, Diagnostics> {
    catalog_with_rules(formula, [None; 3])
}

/// The parts of a random KPI: a fixed target or one following the series `budget`, a
/// schedule, tags, an owner, inputs with or without a column, examples.
#[derive(Debug, Clone)]
struct Parts {
    target: Option<u32>,
    schedule: Vec<(u32, u32)>,
    tags: Vec<String>,
    owner: Option<String>,
    columns: Vec<Option<String>>,
    examples: Vec<(u32, u32)>,
}

fn parts() -> impl Strategy<Value = Parts> {
    (
        proptest::option::of(10u32..100),
        proptest::collection::btree_map(1u32..13, 10u32..100, 0..3),
        proptest::collection::vec("[a-z]{1,6}", 0..3),
        proptest::option::of("[A-Za-z ]{1,10}"),
        proptest::collection::vec(proptest::option::of("[a-z]{1,6}_col"), 3),
        proptest::collection::vec((0u32..50, 0u32..50), 0..3),
    )
        .prop_map(|(target, schedule, tags, owner, columns, examples)| Parts {
            target,
            schedule: schedule.into_iter().collect(),
            tags,
            owner,
            columns,
            examples,
        })
}

/// A KPI over `a` and `b`, written as tables in the usual order.
fn kpi_as_tables(p: &Parts) -> String {
    let mut text = String::from(
        "name = \"N\"\ncategory = \"c\"\nkind = \"kpi\"\nunit = \"count\"\n\
         formula = \"a + b\"\ndirection = \"higher_is_better\"\n",
    );
    text += &format!("tags = {:?}\n", p.tags);
    if let Some(owner) = &p.owner {
        text += &format!("owner = {owner:?}\n");
    }
    match p.target {
        Some(v) => text += &format!("[target]\nvalue = {v}\nwarning = {}\n", v - 5),
        None => text += "[target]\nvalue = \"budget\"\n",
    }
    for (month, v) in &p.schedule {
        text += &format!("[[target.schedule]]\nfrom = \"2026-{month:02}\"\nvalue = {v}\n");
    }
    for (name, column) in ["a", "b", "budget"].iter().zip(&p.columns) {
        text += &format!("[inputs.{name}]\nunit = \"count\"\n");
        if let Some(column) = column {
            text += &format!("column = {column:?}\n");
        }
    }
    for (a, b) in &p.examples {
        text += &format!(
            "[[examples]]\nexpect = {}\n[examples.inputs]\na = {a}\nb = {b}\n",
            a + b
        );
    }
    text
}

/// The same KPI written otherwise: keys in reverse order, inline tables and arrays, comments,
/// blank lines and spaces, other string quotes, floats for integers.
fn kpi_inline(p: &Parts) -> String {
    let mut text = String::from("# written otherwise\n\n");
    let examples: Vec<String> = p
        .examples
        .iter()
        .map(|(a, b)| format!("{{ expect = {}, inputs = {{ b = {b}, a = {a} }} }}", a + b))
        .collect();
    text += &format!("examples = [ {} ]\n", examples.join(",\n  "));
    let inputs: Vec<String> = ["budget", "b", "a"]
        .iter()
        .zip(p.columns.iter().rev())
        .map(|(name, column)| match column {
            Some(column) => format!("{name} = {{ column = {column:?}, unit = 'count' }}"),
            None => format!("{name} = {{ unit = 'count' }}"),
        })
        .collect();
    text += &format!("inputs   =   {{ {} }}\n", inputs.join(", "));
    let schedule: Vec<String> = p
        .schedule
        .iter()
        .map(|(month, v)| format!("{{ value = {v}.0, from = '2026-{month:02}' }}"))
        .collect();
    let value = match p.target {
        Some(v) => format!("warning = {}, value = {v}", v - 5),
        None => "value = 'budget'".to_string(),
    };
    text += &format!(
        "target = {{ schedule = [{}], {value} }}\n",
        schedule.join(", ")
    );
    if let Some(owner) = &p.owner {
        text += &format!("owner='{owner}'\n");
    }
    let tags: Vec<String> = p.tags.iter().map(|t| format!("'{t}'")).collect();
    text += &format!("tags = [ {} ]  # tags\n", tags.join(" , "));
    text += "direction = 'higher_is_better'\nformula = 'a + b'\n\n\
             unit='count'\nkind='kpi'\ncategory='c'\nname='N'\n";
    text
}

/// 256 cases per property, unless `PROPTEST_CASES` says otherwise.
fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(256);
    ProptestConfig::with_cases(cases)
}

/// Evaluates `evalexpr`'s operator tree for month `t` with every value a float: a missing
/// operand or a failing operation gives the reason, the first one in text order; `if`
/// evaluates only the branch it takes.
fn walk(node: &Node, e: &Evaluation<'_>, t: MonthIndex) -> Result<f64, Reason> {
    walk_with(node, &|name, months| e.lookup(name, t, months))
}

/// [`walk`] reading each name (and how many months back, for `prev`) through `lookup`.
fn walk_with(
    node: &Node,
    lookup: &dyn Fn(&str, u32) -> Result<f64, Reason>,
) -> Result<f64, Reason> {
    let children = node.children();
    let arg = |i: usize| walk_with(&children[i], lookup);
    let truth = |b: bool| if b { 1.0 } else { 0.0 };
    match node.operator() {
        Operator::RootNode => arg(0),
        Operator::Const {
            value: Value::Boolean(b),
        } => Ok(truth(*b)),
        Operator::Const { value } => Ok(value.as_number().expect("numbers only")),
        Operator::VariableIdentifierRead { identifier } => match identifier.as_str() {
            "true" => Ok(1.0),
            "false" => Ok(0.0),
            name => lookup(name, 0),
        },
        Operator::Neg => Ok(-arg(0)?),
        Operator::Not => Ok(truth(arg(0)? == 0.0)),
        Operator::FunctionIdentifier { identifier } => call(identifier, &children[0], lookup),
        op => binary(op, arg(0)?, arg(1)?),
    }
}

/// The names a formula reads, each with how many months back: `(name, 0)` for a name,
/// `(name, k)` for `prev(name, k)`; in text order, each once.
fn operands(node: &Node, out: &mut Vec<(String, u32)>) {
    let mut push = |key: (String, u32)| {
        if !out.contains(&key) {
            out.push(key);
        }
    };
    match node.operator() {
        Operator::VariableIdentifierRead { identifier }
            if identifier != "true" && identifier != "false" =>
        {
            push((identifier.clone(), 0));
        }
        Operator::FunctionIdentifier { identifier } if identifier == "prev" => {
            let arguments = &node.children()[0];
            let args: Vec<&Node> = match arguments.children() {
                [tuple] if matches!(tuple.operator(), Operator::Tuple) => {
                    tuple.children().iter().collect()
                }
                _ => vec![arguments],
            };
            let (name, months) = prev_parts(&args);
            push((name, months));
        }
        _ => {
            for child in node.children() {
                operands(child, out);
            }
        }
    }
}

/// The name and the months back of a call to `prev` with these arguments.
fn prev_parts(args: &[&Node]) -> (String, u32) {
    // Brackets around an argument are root nodes of one child each.
    let inner = |mut n: &Node| {
        while let (Operator::RootNode, [only]) = (n.operator(), n.children()) {
            n = only;
        }
        n.operator().clone()
    };
    let name = match inner(args[0]) {
        Operator::VariableIdentifierRead { identifier } => identifier,
        other => panic!("prev of {other:?}"),
    };
    let months = match args.get(1).map(|a| inner(a)).as_ref() {
        Some(Operator::Const {
            value: Value::Int(k),
        }) => *k as u32,
        _ => 1,
    };
    (name, months)
}

/// A call of function `identifier` on the arguments under `arguments` (one, or a tuple).
fn call(
    identifier: &str,
    arguments: &Node,
    lookup: &dyn Fn(&str, u32) -> Result<f64, Reason>,
) -> Result<f64, Reason> {
    let finite = |operation: &'static str, x: f64| {
        if x.is_finite() {
            Ok(x)
        } else {
            Err(Reason::NotFinite { operation })
        }
    };
    let args: Vec<&Node> = match arguments.children() {
        [tuple] if matches!(tuple.operator(), Operator::Tuple) => tuple.children().iter().collect(),
        _ => vec![arguments],
    };
    let value = |n: &Node| walk_with(n, lookup);
    match identifier {
        "prev" => {
            let (name, months) = prev_parts(&args);
            lookup(&name, months)
        }
        "if" => {
            if value(args[0])? != 0.0 {
                value(args[1])
            } else {
                value(args[2])
            }
        }
        "min" | "max" => {
            let mut acc = value(args[0])?;
            for a in &args[1..] {
                let x = value(a)?;
                acc = if identifier == "min" {
                    acc.min(x)
                } else {
                    acc.max(x)
                };
            }
            Ok(acc)
        }
        f => {
            let x = value(args[0])?;
            let (operation, y) = match f {
                "abs" => ("abs", x.abs()),
                "floor" => ("floor", x.floor()),
                "ceil" => ("ceil", x.ceil()),
                "round" => ("round", x.round()),
                "sqrt" => ("sqrt", x.sqrt()),
                "ln" => ("ln", x.ln()),
                "exp" => ("exp", x.exp()),
                other => panic!("function {other}"),
            };
            finite(operation, y)
        }
    }
}

/// Shapley values by brute force: each operand's marginal change averaged over every order
/// of switching the `n` operands from old to new, `value(mask)` giving the formula's value
/// with the operands of `mask` switched.
fn shapley_by_orders(n: usize, value: &dyn Fn(usize) -> f64) -> Vec<f64> {
    fn orders(rest: &[usize], prefix: &mut Vec<usize>, out: &mut Vec<Vec<usize>>) {
        if rest.is_empty() {
            out.push(prefix.clone());
        }
        for (k, &i) in rest.iter().enumerate() {
            let mut left = rest.to_vec();
            left.remove(k);
            prefix.push(i);
            orders(&left, prefix, out);
            prefix.pop();
        }
    }
    let mut all = Vec::new();
    orders(&(0..n).collect::<Vec<_>>(), &mut Vec::new(), &mut all);
    let mut shares = vec![0.0; n];
    for order in &all {
        let mut mask = 0;
        for &i in order {
            shares[i] += value(mask | (1 << i)) - value(mask);
            mask |= 1 << i;
        }
    }
    shares.iter().map(|s| s / all.len() as f64).collect()
}

/// A binary operator on two values; a non-finite result is a reason.
fn binary(op: &Operator, x: f64, y: f64) -> Result<f64, Reason> {
    let truth = |b: bool| if b { 1.0 } else { 0.0 };
    let (operation, result) = match op {
        Operator::Add => ("+", x + y),
        Operator::Sub => ("-", x - y),
        Operator::Mul => ("*", x * y),
        Operator::Div | Operator::Mod if y == 0.0 => return Err(Reason::DivisionByZero),
        Operator::Div => ("/", x / y),
        Operator::Mod => ("%", x % y),
        Operator::Exp => ("^", x.powf(y)),
        Operator::Eq => ("comparison", truth(x == y)),
        Operator::Neq => ("comparison", truth(x != y)),
        Operator::Lt => ("comparison", truth(x < y)),
        Operator::Leq => ("comparison", truth(x <= y)),
        Operator::Gt => ("comparison", truth(x > y)),
        Operator::Geq => ("comparison", truth(x >= y)),
        Operator::And => ("comparison", truth(x != 0.0 && y != 0.0)),
        Operator::Or => ("comparison", truth(x != 0.0 || y != 0.0)),
        other => panic!("operator {other:?}"),
    };
    if result.is_finite() {
        Ok(result)
    } else {
        Err(Reason::NotFinite { operation })
    }
}

/// The rules a random input may combine its months by (`count` adds monthly counts, as `sum`
/// does), or none.
const RULES: [Option<&str>; 7] = [
    None,
    Some("sum"),
    Some("mean"),
    Some("min"),
    Some("max"),
    Some("first"),
    Some("last"),
];

/// The catalog of [`catalog`] with input `INPUTS[i]` declaring `rules[i]`.
fn catalog_with_rules(formula: &str, rules: [Option<&str>; 3]) -> Result<Catalog, Diagnostics> {
    let mut base = definition("a * 2 - b");
    for (name, rule) in INPUTS.iter().zip(rules) {
        base.push_str(&format!("[inputs.{name}]\nunit = \"count\"\n"));
        if let Some(rule) = rule {
            base.push_str(&format!("aggregate = \"{rule}\"\n"));
        }
    }
    Catalog::from_layers(
        vec![vec![
            SourceFile::new("m/base.toml", base),
            SourceFile::new("m/x.toml", definition(formula)),
        ]],
        Diagnostics::default(),
    )
}

/// A month of data: its year, its month and the cells of `a`, `b`, `c` (`None`: empty).
type Row = (i32, u32, [Option<f64>; 3]);

/// Monthly data over 2025-01 to 2026-12, most months kept: the rows as `(year, month, cells)`
/// with a cell `None` when empty, and as CSV.
fn long_csv() -> impl Strategy<Value = (Vec<Row>, String)> {
    let value = prop_oneof![
        4 => (-5i32..20).prop_map(|n| Some(f64::from(n))),
        1 => Just(Some(0.0)),
        1 => (-1e6f64..1e6).prop_map(Some),
        1 => Just(None),
    ];
    let row = (
        prop::bool::weighted(0.85),
        [value.clone(), value.clone(), value],
    );
    prop::collection::vec(row, 1..=24).prop_map(|rows| {
        let mut kept = Vec::new();
        let mut text = String::from("period,a,b,c\n");
        for (i, (keep, cells)) in rows.iter().enumerate() {
            if !(*keep || kept.is_empty() && i + 1 == rows.len()) {
                continue;
            }
            let (year, month) = (2025 + (i / 12) as i32, (i % 12) as u32 + 1);
            let cell = |c: Option<f64>| c.map_or_else(String::new, |v| v.to_string());
            text.push_str(&format!(
                "{year}-{month:02},{},{},{}\n",
                cell(cells[0]),
                cell(cells[1]),
                cell(cells[2])
            ));
            kept.push((year, month, *cells));
        }
        (kept, text)
    })
}

/// The independent model of a rolled-up dataset: for each period, whether the data holds a
/// month of it, and each input's value by its rule (`None`: a month without a value, or no
/// rule).
struct Rolled {
    present: Vec<bool>,
    values: Vec<[Option<f64>; 3]>,
}

/// Rolls `rows` up into `periods` (first and last month, as `year * 12 + month - 1`).
fn roll(rows: &[Row], rules: [Option<&str>; 3], periods: &[(i64, i64)]) -> Rolled {
    let at = |k: i64| {
        rows.iter()
            .find(|(y, m, _)| i64::from(*y) * 12 + i64::from(*m) - 1 == k)
            .map(|r| r.2)
    };
    let mut present = Vec::new();
    let mut values = Vec::new();
    for &(from, to) in periods {
        present.push((from..=to).any(|k| at(k).is_some()));
        let mut row = [None; 3];
        for (i, rule) in rules.iter().enumerate() {
            let Some(rule) = rule else { continue };
            let months: Option<Vec<f64>> = (from..=to).map(|k| at(k).and_then(|c| c[i])).collect();
            row[i] = months.map(|v| match *rule {
                "sum" => v.iter().sum(),
                "mean" => v.iter().sum::<f64>() / v.len() as f64,
                "min" => v.iter().copied().fold(f64::INFINITY, f64::min),
                "max" => v.iter().copied().fold(f64::NEG_INFINITY, f64::max),
                "first" => v[0],
                "last" => v[v.len() - 1],
                other => panic!("rule {other}"),
            });
        }
        values.push(row);
    }
    Rolled { present, values }
}

/// The model's value of `formula` in period `p`: names read from `rolled` `k` periods back
/// for `prev(name, k)`, `base` evaluated the same way; `None` for no value.
fn model_value(tree: &Node, rolled: &Rolled, p: usize) -> Option<f64> {
    if !rolled.present[p] {
        return None;
    }
    let base = evalexpr::build_operator_tree("a * 2 - b").unwrap();
    fn read(name: &str, q: usize, rolled: &Rolled, base: &Node) -> Result<f64, Reason> {
        let no = || Reason::DivisionByZero;
        if !rolled.present[q] {
            return Err(no());
        }
        match name {
            "base" => walk_with(base, &|n, k| {
                let q = q.checked_sub(k as usize).ok_or_else(no)?;
                read(n, q, rolled, base)
            }),
            input => {
                let i = INPUTS.iter().position(|n| *n == input).expect("an input");
                rolled.values[q][i].ok_or_else(no)
            }
        }
    }
    walk_with(tree, &|name, k| {
        let q = p.checked_sub(k as usize).ok_or(Reason::DivisionByZero)?;
        read(name, q, rolled, &base)
    })
    .ok()
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn rolled_up_periods_equal_an_independent_model(
        formula in num_expr(),
        (rows, text) in long_csv(),
        rules in [
            prop::sample::select(RULES.to_vec()),
            prop::sample::select(RULES.to_vec()),
            prop::sample::select(RULES.to_vec()),
        ],
    ) {
        let Ok(catalog) = catalog_with_rules(&formula, rules) else {
            return Ok(());
        };
        let data = Dataset::from_files(&[SourceFile::new("d.csv", text)]).unwrap();
        let month = |p: kpi_core::Period| i64::from(p.year()) * 12 + i64::from(p.month()) - 1;
        let first = month(data.months()[0]);
        let last = month(*data.months().last().unwrap());
        let tree = |m: kpi_core::MetricIndex| {
            evalexpr::build_operator_tree(&catalog.metric_at(m).formula.text).unwrap()
        };
        // Quarters and years: consecutive periods from the one holding the first month.
        for (grain, len) in [(Grain::Quarter, 3), (Grain::Year, 12)] {
            let start = first - first.rem_euclid(len);
            let periods: Vec<(i64, i64)> = (0..)
                .map(|n| (start + n * len, start + n * len + len - 1))
                .take_while(|&(from, _)| from <= last)
                .collect();
            let model = roll(&rows, rules, &periods);
            let rolled = data.rolled_up(catalog.inputs(), grain);
            prop_assert_eq!(rolled.months().len(), periods.len());
            let e = evaluate(&catalog, &rolled);
            for m in catalog.metric_indexes() {
                let tree = tree(m);
                for (p, t) in rolled.month_indexes().enumerate() {
                    let expected = model_value(&tree, &model, p);
                    let got = e.cell(m, t).ok();
                    prop_assert_eq!(
                        got.map(f64::to_bits), expected.map(f64::to_bits),
                        "{} {:?} period {}: {:?} against {:?}", formula, grain, p, got, expected
                    );
                }
            }
        }
        // Years to date: January of each month's year to the month, one row per month.
        let periods: Vec<(i64, i64)> = (first..=last).map(|k| (k - k.rem_euclid(12), k)).collect();
        let model = roll(&rows, rules, &periods);
        let to_date = data.year_to_date(catalog.inputs());
        let e = evaluate(&catalog, &to_date);
        for m in catalog.metric_indexes() {
            let tree = tree(m);
            for (p, t) in to_date.month_indexes().enumerate() {
                // Only the year to date itself is read (`prev` of a year to date is not).
                if formula.contains("prev") {
                    continue;
                }
                let expected = model_value(&tree, &model, p);
                let got = e.cell(m, t).ok();
                prop_assert_eq!(
                    got.map(f64::to_bits), expected.map(f64::to_bits),
                    "{} year to date {}: {:?} against {:?}", formula, p, got, expected
                );
            }
        }
    }

    #[test]
    fn compiled_equals_tree_walk(formula in num_expr(), data in csv()) {
        let catalog = match catalog(&formula) {
            Ok(c) => c,
            // Random trees may exceed the documented limits; those are rejected, not run.
            Err(d) => {
                let text = d.to_string();
                prop_assert!(text.contains("more than"), "{formula}: {text}");
                return Ok(());
            }
        };
        let data = Dataset::from_files(&[SourceFile::new("d.csv", data)]).unwrap();
        let e = evaluate(&catalog, &data);
        for (m, metric) in catalog.metric_indexes().zip(catalog.metrics()) {
            let tree = evalexpr::build_operator_tree(&metric.formula.text).unwrap();
            for t in data.month_indexes() {
                let compiled = e.cell(m, t);
                let reference = if data.is_present(t) {
                    walk(&tree, &e, t)
                } else {
                    Err(Reason::NoData { period: data.month(t), grain: data.grain() })
                };
                match (&compiled, &reference) {
                    (Ok(x), Ok(y)) => prop_assert_eq!(x.to_bits(), y.to_bits(), "{} at {:?}", formula, t),
                    _ => prop_assert_eq!(&compiled, &reference, "{} at {:?}", formula, t),
                }
                if let Ok(x) = compiled {
                    prop_assert!(x.is_finite());
                }
                // The engine's own tree walk, used for reasons, agrees too.
                prop_assert_eq!(e.eval_cell(m, t), reference);
            }
        }
    }

    #[test]
    fn attribution_is_the_shapley_value_by_every_order(formula in num_expr(), data in csv()) {
        let Ok(catalog) = catalog(&formula) else {
            return Ok(()); // beyond a limit: tested above
        };
        let data = Dataset::from_files(&[SourceFile::new("d.csv", data)]).unwrap();
        let e = evaluate(&catalog, &data);
        let m = catalog.metric_index("x").unwrap();
        let tree = evalexpr::build_operator_tree(&formula).unwrap();
        let mut names = Vec::new();
        operands(&tree, &mut names);
        let n = names.len();
        prop_assume!(n <= 6);
        let last = MonthIndex::new(data.months().len() - 1);
        let Some(before) = last.back(1) else { return Ok(()) };
        let got = attribute(&e, m, last, before);
        // Each operand's value in both months, read independently of the attribution.
        let read = |t: MonthIndex| -> Result<Vec<f64>, Reason> {
            names.iter().map(|(name, months)| e.lookup(name, t, *months)).collect()
        };
        let (old, new) = match (read(before), read(last), e.cell(m, before), e.cell(m, last)) {
            (Ok(old), Ok(new), Ok(_), Ok(_)) => (old, new),
            _ => {
                // An operand or the metric without a value: no attribution, with the reason.
                prop_assert!(matches!(got, Err(NoAttribution::Operand { .. } | NoAttribution::NoValue { .. })), "{formula}: {got:?}");
                return Ok(());
            }
        };
        let value = |mask: usize| {
            walk_with(&tree, &|name, months| {
                let i = names.iter().position(|(a, k)| a == name && *k == months).unwrap();
                Ok(if mask & (1 << i) != 0 { new[i] } else { old[i] })
            })
        };
        let values: Result<Vec<f64>, Reason> = (0..1usize << n).map(value).collect();
        let Ok(values) = values else {
            // Some mix of old and new values has none: nor has the attribution.
            prop_assert!(matches!(got, Err(NoAttribution::Mixed { .. })), "{formula}: {got:?}");
            return Ok(());
        };
        let got = got.unwrap();
        let brute = shapley_by_orders(n, &|mask| values[mask]);
        let scale = values.iter().fold(1.0f64, |acc, v| acc.max(v.abs()));
        prop_assert_eq!(got.operands.len(), n);
        for (operand, (expected, (name, months))) in got.operands.iter().zip(brute.iter().zip(&names)) {
            prop_assert_eq!((&operand.name, operand.months), (name, *months));
            prop_assert!((operand.contribution - expected).abs() <= 1e-9 * scale,
                "{formula}: {} {} vs {}", name, operand.contribution, expected);
        }
        // The contributions add up to the metric's own change.
        let sum: f64 = got.operands.iter().map(|o| o.contribution).sum();
        let change = e.value(m, last).unwrap() - e.value(m, before).unwrap();
        prop_assert!((sum - change).abs() <= 1e-9 * scale, "{formula}: {sum} vs {change}");
    }

    #[test]
    fn values_replace_whole_references(formula in num_expr()) {
        let Ok(catalog) = catalog(&formula) else {
            return Ok(()); // beyond a limit: tested above
        };
        let data = Dataset::from_files(&[SourceFile::new("d.csv", "period,a,b,c\n2026-01,1,2,3\n")]).unwrap();
        let e = evaluate(&catalog, &data);
        let m = catalog.metric_index("x").unwrap();
        let shown = e.substitute(m, MonthIndex::new(0), |_, _| "§".to_string());
        // Each name in the text is one reference (`prev` takes exactly one name).
        let names = formula
            .split(|c: char| !c.is_ascii_alphanumeric() && c != '_')
            .filter(|w| ["a", "b", "c", "base"].contains(w))
            .count();
        prop_assert_eq!(shown.matches('§').count(), names, "{} → {}", formula, shown);
        // Balanced: never below zero, zero at the end.
        let mut depth = 0i32;
        for c in shown.chars() {
            depth += match c { '(' => 1, ')' => -1, _ => 0 };
            prop_assert!(depth >= 0, "{} → {}", formula, shown);
        }
        prop_assert_eq!(depth, 0, "{} → {}", formula, shown);
        prop_assert!(!shown.contains("prev"), "{} → {}", formula, shown);
    }

    #[test]
    fn a_definition_written_otherwise_has_the_same_meaning(p in parts()) {
        use kpi_core::SameMeaning as _;
        let load = |path: &str, text: String| {
            Catalog::from_layers(vec![vec![SourceFile::new(path, text)]], Diagnostics::default())
                .map_err(|d| d.to_string())
        };
        let before = load("HEAD:m/x.toml", kpi_as_tables(&p));
        prop_assert!(before.is_ok(), "{:?}\n{}", before.as_ref().err(), kpi_as_tables(&p));
        let after = load("m/x.toml", kpi_inline(&p));
        prop_assert!(after.is_ok(), "{:?}\n{}", after.as_ref().err(), kpi_inline(&p));
        let (before, after) = (before.unwrap(), after.unwrap());
        let (old, new) = (before.metric("x").unwrap(), after.metric("x").unwrap());
        prop_assert_eq!(old.differing_keys(new), Vec::<&str>::new());
        prop_assert!(old.same_meaning(new));
        // Any key changed is one change, named.
        let mut changed = p.clone();
        changed.tags.push("new".into());
        let changed = load("m/x.toml", kpi_inline(&changed)).unwrap();
        prop_assert_eq!(old.differing_keys(changed.metric("x").unwrap()), vec!["tags"]);
    }

    #[test]
    fn random_formula_text_never_panics(text in "[a-c0-9 ()+*/^%<>=!&|,.;\"'_-]{0,60}") {
        let _ = catalog(&text.replace('"', "'"));
    }

    #[test]
    fn random_definition_text_never_panics(text in "[a-z_=\"\\[\\]. 0-9\n{}#,-]{0,200}") {
        let result = Catalog::from_layers(vec![vec![SourceFile::new("m/x.toml", text)]], Diagnostics::default());
        if let Err(d) = result {
            prop_assert!(d.has_errors());
        }
    }

    #[test]
    fn random_csv_never_panics(text in "[a-z0-9,;\"\n\r .\u{feff}-]{0,200}") {
        if let Err(d) = Dataset::from_files(&[SourceFile::new("d.csv", text)]) {
            prop_assert!(d.has_errors());
        }
    }
}
