//! A source's `columns`: inputs mapped to the source's own column names, per source and for
//! every kind (CSV, long tables, SQLite), winning over the definitions' `column`; unknown
//! inputs and missing columns located in `kpi.toml`; warnings about a column placed where the
//! team wrote it.

use rusqlite::Connection;

use crate::support::{Project, churn_kpi};

/// `kpi eval --period PERIOD --format json`: the first metric's value.
fn value(project: &Project, period: &str) -> serde_json::Value {
    let run = project
        .run(&["eval", "--period", period, "--format", "json"])
        .code(0);
    run.json()["metrics"][0]["value"].clone()
}

#[test]
fn each_source_maps_its_own_columns() {
    // The churn KPI reads `customers_lost / customers_start * 100`. January comes from the
    // French export, February from the English one: each spells the inputs its own way.
    let project = Project::new()
        .file("metrics.d/churn.toml", &churn_kpi())
        .file(
            "janvier.csv",
            "period;Clients au 1er du mois;Résiliations\n2026-01;200;5\n",
        )
        .file("february.csv", "period,start,customers_lost\n2026-02,300,12\n")
        .file(
            "kpi.toml",
            "[[sources]]\ncsv = \"janvier.csv\"\n\
             columns = { customers_start = \"Clients au 1er du mois\", customers_lost = \"Résiliations\" }\n\n\
             [[sources]]\ncsv = \"february.csv\"\ncolumns = { customers_start = \"start\" }\n",
        );
    // 5 / 200 * 100 and 12 / 300 * 100.
    assert_eq!(value(&project, "2026-01"), 2.5);
    assert_eq!(value(&project, "2026-02"), 4.0);
    let run = project.run(&["check"]).code(0);
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
}

#[test]
fn a_mapping_wins_over_the_definitions_column() {
    // The definition reads `customers_start` from `old`; the source maps it to `Clients`, so
    // `old` is left unread (and said so) and `Clients` is read.
    let definition = churn_kpi().replace(
        "[inputs.customers_start]\nunit = \"count\"\n",
        "[inputs.customers_start]\nunit = \"count\"\ncolumn = \"old\"\n",
    );
    let project = Project::new()
        .file("metrics.d/churn.toml", &definition)
        .file(
            "data.csv",
            "period,old,clients,customers_lost\n2026-01,1000,400,10\n",
        )
        // Written by hand in another case than the header's: found as `period` would be.
        .file(
            "kpi.toml",
            "[[sources]]\ncsv = \"data.csv\"\ncolumns = { customers_start = \"Clients\" }\n",
        );
    // 10 / 400 * 100, not 10 / 1000 * 100.
    assert_eq!(value(&project, "2026-01"), 2.5);
    let run = project.run(&["check"]).code(0);
    assert!(
        run.stderr
            .contains("warning: data.csv:1:8: `data.csv` has a column that no definition reads, ignored: `old`"),
        "{}",
        run.stderr
    );
    // Without the mapping, the definition's column is read again: 10 / 1000 * 100.
    let plain = project.file("kpi.toml", "[[sources]]\ncsv = \"data.csv\"\n");
    assert_eq!(value(&plain, "2026-01"), 1.0);
}

#[test]
fn a_long_table_maps_its_name_cells() {
    let project = Project::new()
        .file("metrics.d/churn.toml", &churn_kpi())
        .file(
            "long.csv",
            "mois,indicateur,valeur\n2026-03,Clients,250\n2026-03,Pertes,5\n",
        )
        .file(
            "kpi.toml",
            "[[sources]]\ncsv = \"long.csv\"\nname = \"indicateur\"\nvalue = \"valeur\"\n\
             columns = { customers_start = \"Clients\", customers_lost = \"Pertes\" }\n",
        );
    // 5 / 250 * 100.
    assert_eq!(value(&project, "2026-03"), 2.0);
    // A name no row has is an error at the mapping, with the nearest name the table has.
    let project = project.file(
        "kpi.toml",
        "[[sources]]\ncsv = \"long.csv\"\nname = \"indicateur\"\nvalue = \"valeur\"\n\
         columns = { customers_start = \"Clients\", customers_lost = \"Perte totale\" }\n",
    );
    let run = project.run(&["check"]).code(1);
    assert_eq!(
        run.stderr,
        "error: kpi.toml:5:59: `long.csv` has no name `Perte totale` for input `customers_lost` (mapped in `columns`)\n  \
         |\n\
         5 | columns = { customers_start = \"Clients\", customers_lost = \"Perte totale\" }\n  \
         |                                                           ^^^^^^^^^^^^^^\n  \
         = help: the nearest name is `Pertes`: write the name as its name cells spell it, `customers_lost = \"Pertes\"`\n"
    );
}

#[test]
fn a_query_maps_its_columns_and_counts_what_it_counts() {
    // `orders` is counted: the mapped column of order references holds text, which a count
    // reads as any other cell.
    let definitions = "name = \"Basket\"\ncategory = \"business\"\nkind = \"metric\"\nunit = \"currency\"\n\
        formula = \"revenue / orders\"\n\n\
        [inputs.revenue]\nunit = \"currency\"\naggregate = \"sum\"\n\n\
        [inputs.orders]\nunit = \"count\"\naggregate = \"count\"\n";
    let project = Project::new()
        .file("metrics.d/basket.toml", definitions)
        .file(
            "kpi.toml",
            "[[sources]]\nsqlite = \"ventes.db\"\n\
             query = \"select jour, reference, montant from commandes\"\n\
             columns = { revenue = \"montant\", orders = \"reference\" }\n",
        );
    let db = Connection::open(project.join("ventes.db")).unwrap();
    db.execute_batch(
        "create table commandes (jour text, reference text, montant real);
         insert into commandes values
           ('2026-10-01', 'A1', 10),
           ('2026-10-09', 'A2', 25),
           ('2026-10-20', 'A3', 15);",
    )
    .unwrap();
    // (10 + 25 + 15) / 3 orders.
    assert_eq!(value(&project, "2026-10"), 50.0 / 3.0);
    // A query's columns are found as spelt: `Montant` is not `montant`.
    let project = project.file(
        "kpi.toml",
        "[[sources]]\nsqlite = \"ventes.db\"\n\
         query = \"select jour, reference, montant from commandes\"\n\
         columns = { revenue = \"Montant\", orders = \"reference\" }\n",
    );
    let run = project.run(&["check"]).code(1);
    assert!(
        run.stderr.starts_with(
            "error: kpi.toml:4:23: the SQLite source `ventes.db` has no column `Montant` for input `revenue` (mapped in `columns`)\n"
        ),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(
            "help: the nearest column is `montant`: write the column as its header spells it, `revenue = \"montant\"`"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn data_pull_writes_the_inputs_by_name() {
    let project = Project::new()
        .file("metrics.d/churn.toml", &churn_kpi())
        .file(
            "data.csv",
            "Mois;Clients;Pertes\n2026-01;200;5\n2026-02;210;4\n",
        )
        .file(
            "kpi.toml",
            "[[sources]]\ncsv = \"data.csv\"\n\
             columns = { customers_start = \"Clients\", customers_lost = \"Pertes\" }\n",
        );
    let run = project.run(&["data", "pull"]).code(0);
    assert_eq!(
        run.stdout,
        "period,customers_lost,customers_start\n2026-01,5,200\n2026-02,4,210\n"
    );
    assert_eq!(run.stderr, "");
}

#[test]
fn an_unknown_input_is_located_with_the_closest_one() {
    let project = Project::new()
        .file("metrics.d/churn.toml", &churn_kpi())
        .file("data.csv", "period,customers_start,lost\n2026-01,100,5\n")
        .file(
            "kpi.toml",
            "[[sources]]\ncsv = \"data.csv\"\ncolumns = { customer_lost = \"lost\" }\n",
        );
    let run = project.run(&["eval"]).code(1);
    assert_eq!(run.stdout, "");
    assert_eq!(
        run.stderr,
        "error: kpi.toml:3:13: `columns` maps `customer_lost`, which is not an input of the definitions\n  \
         |\n\
         3 | columns = { customer_lost = \"lost\" }\n  \
         |             ^^^^^^^^^^^^^\n  \
         = help: did you mean `customers_lost`?\n"
    );
}

#[test]
fn a_missing_column_names_the_source_and_the_nearest_column() {
    let project = Project::new()
        .file("metrics.d/churn.toml", &churn_kpi())
        .file(
            "export.csv",
            "period,Clients début de mois,customers_lost\n2026-01,100,5\n",
        )
        .file(
            "kpi.toml",
            "[[sources]]\ncsv = \"export.csv\"\n\
             columns = { customers_start = \"Clients au 1er du mois\" }\n",
        );
    let run = project.run(&["eval"]).code(1);
    assert_eq!(run.stdout, "");
    assert_eq!(
        run.stderr,
        "error: kpi.toml:3:31: `export.csv` has no column `Clients au 1er du mois` for input `customers_start` (mapped in `columns`)\n  \
         |\n\
         3 | columns = { customers_start = \"Clients au 1er du mois\" }\n  \
         |                               ^^^^^^^^^^^^^^^^^^^^^^^^\n  \
         = help: the nearest column is `Clients début de mois`: write the column as its header spells it, `customers_start = \"Clients début de mois\"`\n"
    );
}

#[test]
fn a_column_warning_points_where_the_team_wrote_the_column() {
    // The standard `churn_rate`, its `customers_lost` column changed in the team's file: the
    // warning about that column points at the team's line, not at the built-in definition.
    let project = Project::new()
        .file(
            "team/churn_rate.toml",
            "[inputs.customers_lost]\nunit = \"count\"\ncolumn = \"lots\"\n",
        )
        .file("data.csv", "period,customers_start,lost\n2026-01,100,5\n")
        .file(
            "kpi.toml",
            "library = [\"churn_rate\"]\nmetrics = [\"team\"]\ndata = [\"data.csv\"]\n",
        );
    let run = project.run(&["check"]).code(0);
    assert!(
        run.stderr.contains(
            "warning: team/churn_rate.toml:3:10: no data column `lots` for input `customers_lost`\n  \
             |\n\
             3 | column = \"lots\"\n  \
             |          ^^^^^^\n  \
             = help: did you mean `lost`?\n"
        ),
        "{}",
        run.stderr
    );
    assert!(
        !run.stderr.contains("library:churn_rate.toml:37"),
        "{}",
        run.stderr
    );
    // Mapped in `kpi.toml` instead, the column is read (5 / 100 * 100) and nothing is said
    // about the built-in definition; a mapped column the export lacks is an error at the
    // mapping.
    let project = project.file(
        "kpi.toml",
        "library = [\"churn_rate\"]\n\n[[sources]]\ncsv = \"data.csv\"\n\
             columns = { customers_lost = \"lost\" }\n",
    );
    assert_eq!(value(&project, "2026-01"), 5.0);
    let run = project.run(&["check"]).code(0);
    assert!(!run.stderr.contains("library:"), "{}", run.stderr);
    let project = project.file(
        "kpi.toml",
        "library = [\"churn_rate\"]\n\n[[sources]]\ncsv = \"data.csv\"\n\
         columns = { customers_lost = \"lots\" }\n",
    );
    let run = project.run(&["check"]).code(1);
    assert!(
        run.stderr.starts_with(
            "error: kpi.toml:5:30: `data.csv` has no column `lots` for input `customers_lost` (mapped in `columns`)\n"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn a_blank_column_name_is_refused() {
    let project = Project::new()
        .file("metrics.d/churn.toml", &churn_kpi())
        .file(
            "data.csv",
            "period,customers_start,customers_lost\n2026-01,100,5\n",
        )
        .file(
            "kpi.toml",
            "[[sources]]\ncsv = \"data.csv\"\ncolumns = { customers_lost = \" \" }\n",
        );
    let run = project.run(&["check"]).code(1);
    assert!(
        run.stderr.starts_with(
            "error: kpi.toml:3:30: `columns` maps input `customers_lost` to an empty column name\n"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn two_columns_for_one_input_are_placed_at_the_column_lines() {
    let declare = |id: &str, column: &str| {
        format!(
            "name = \"{id}\"\ncategory = \"business\"\nkind = \"metric\"\nunit = \"count\"\n\
             formula = \"customers\"\n\n[inputs.customers]\nunit = \"count\"\n\
             description = \"Paying customers\"\ncolumn = \"{column}\"\n"
        )
    };
    let project = Project::new()
        .file("metrics.d/a.toml", &declare("a", "Clients"))
        .file("metrics.d/b.toml", &declare("b", "Customers"));
    let run = project.run(&["check"]).code(1);
    assert!(
        run.stderr.starts_with(
            "error: metrics.d/b.toml:10:10: input `customers` has `column` `Customers` here and `Clients` in `metrics.d/a.toml`\n"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn a_long_query_maps_its_input_names() {
    // A query whose columns are `period`, `input` and `value` is long: `columns` maps the
    // names it gives, as spelt.
    let project = Project::new()
        .file("metrics.d/churn.toml", &churn_kpi())
        .file(
            "kpi.toml",
            "[[sources]]\nsqlite = \"kpi.db\"\n\
             query = \"select period, input, value from mesures\"\n\
             columns = { customers_start = \"clients\", customers_lost = \"pertes\" }\n",
        );
    let db = Connection::open(project.join("kpi.db")).unwrap();
    db.execute_batch(
        "create table mesures (period text, input text, value real);
         insert into mesures values ('2026-05', 'clients', 80), ('2026-05', 'pertes', 2);",
    )
    .unwrap();
    // 2 / 80 * 100.
    assert_eq!(value(&project, "2026-05"), 2.5);
}
