//! French: CLDR's number formats (decimal comma, digits grouped by a narrow no-break space,
//! `55,0 %` with a no-break space, `1 234,50 €`) and the words product teams use.

use kpi_core::data::rollup::Grain;
use kpi_core::{Period, Reason};

use super::{
    AttributionWords, Caption, CaptionTarget, DiffWords, Labels, LevelKind, ObjectiveWords,
    PeriodWords, Symbols, TargetChange, TargetSource, Words,
};

/// The French words.
pub(super) const WORDS: Words = Words {
    code: "fr",
    numbers: Symbols {
        decimal: ",",
        group: "\u{202f}",
        // CLDR fr: a no-break space (U+00A0) before `%`, not the narrow one of groups.
        percent: "\u{a0}%",
        currency_first: false,
        unit_space: "\u{a0}",
    },
    months: [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ],
    quarter: "T",
    period: PeriodWords {
        this: "ce mois-ci",
        by: "mois par mois",
        each: "chaque mois",
        earlier: |name, k| match k {
            1 => format!("{name}, le mois précédent"),
            k => format!("{name}, {k} mois plus tôt"),
        },
        chart_label: |n| format!("valeurs des {n} derniers mois"),
    },
    months_short: [
        "janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.",
        "déc.",
    ],
    currencies: &[
        ("EUR", "€"),
        ("USD", "$US"),
        ("GBP", "£GB"),
        ("CHF", "CHF"),
        ("JPY", "JPY"),
        ("CAD", "$CA"),
        ("AUD", "$AU"),
    ],
    families: &[
        ("business", "Business"),
        ("customer", "Clients"),
        ("engagement", "Engagement"),
        ("marketing", "Marketing"),
        ("quality", "Qualité"),
    ],
    labels: Labels {
        kpis_by_status: "KPI par statut",
        on_target: "dans la cible",
        at_risk: "à risque",
        off_target: "hors cible",
        no_target: "sans cible",
        no_data: "sans données",
        without_data: "sans données",
        kpis: "KPI",
        metrics: "Autres indicateurs",
        name: "Indicateur",
        value: "Valeur",
        value_word: "valeur",
        previous: "Mois précédent",
        change: "Évolution",
        target: "Cible",
        target_word: "cible",
        status: "Statut",
        progress: "Progression",
        trend: "Tendance",
        details: "Détails",
        needs_attention: "Points d'attention",
        nothing_needs_attention: "Aucun point d'attention : chaque KPI mesuré est dans la cible.",
        owner: "Responsable",
        comment: "Commentaire",
        description: "Description",
        formula: "Formule",
        this_month: "Ce mois-ci",
        missing_values: "Valeurs manquantes",
        warning: "seuil d'alerte",
        warning_at: "seuil d'alerte à",
        by: "d'ici",
        from: "depuis",
        in_month: "en",
        of_the_way: "du chemin entre la référence et la cible",
        expected: "attendu",
        higher_is_better: "plus c'est haut, mieux c'est",
        lower_is_better: "plus c'est bas, mieux c'est",
        inside_is_better: "dans la plage, c'est mieux",
        outside_range: "hors de la plage",
        better: "en amélioration",
        worse: "en dégradation",
        unchanged: "stable",
        ahead_of_pace: "en avance sur le rythme",
        behind_pace: "en retard sur le rythme",
        pace: "rythme de la référence à l'échéance",
        month_by_month: "mois par mois",
        generated_by: "Produit par",
        for_month: "pour",
        changes_compare_with: "Évolutions par rapport à",
        of: "sur",
        to: "à",
        colon: "\u{a0}:",
        semicolon: "\u{a0};",
        axis_amount: "montant",
        axis_count: "nombre",
        axis_score: "score",
        note: "Note",
        target_each_month: "cible en vigueur chaque mois",
        warning_each_month: "seuil d'alerte en vigueur chaque mois",
        target_range: "plage cible",
        warning_range: "plage d'alerte",
        objectives: "Objectifs",
        due: "échéance",
        missed: "manqué",
        serves: "Sert",
        weight: "poids",
        why: "Pourquoi il a bougé",
        year_ago: "Il y a un an",
        year_to_date: "Depuis janvier",
        met: "atteint",
        not_met: "non atteint",
    },
    default_title: "Rapport KPI",
    default_subject: "Indicateurs {{company}} — {{month}}",
    read_report: "Lire le rapport complet",
    counts: |kpis, metrics| {
        // French puts 0 and 1 in the singular.
        let plural =
            |n: usize, one: &str, many: &str| format!("{n} {}", if n <= 1 { one } else { many });
        (
            plural(kpis, "KPI", "KPI"),
            plural(metrics, "autre indicateur", "autres indicateurs"),
        )
    },
    compared: |previous| format!("par rapport à {previous}"),
    // « 1,5 point », « 2 points »: the plural from two on.
    points: |delta| if delta.abs() >= 2.0 { "pts" } else { "pt" },
    reason,
    quote: |title| format!("«\u{a0}{title}\u{a0}»"),
    target_source: |source| match source {
        TargetSource::Series(series) => format!("d'après {series}"),
        TargetSource::Schedule(from) => format!("palier du calendrier depuis {from}"),
        TargetSource::ScheduleSeries(from, series) => {
            format!("palier du calendrier depuis {from}, d'après {series}")
        }
        TargetSource::BeforeSchedule(first) => {
            format!("avant le premier palier du calendrier ({first})")
        }
    },
    target_change,
    chart_caption,
    // « indicateur » is masculine.
    diff: DiffWords {
        heading: |base, month| format!("Changements des KPI par rapport à {base}, {month}"),
        no_change: "Aucun changement de définition, de valeur ni de statut.",
        metric: "Indicateur",
        change: "Changement",
        definition: "Définition",
        added: "ajouté",
        removed: "supprimé",
        changed: "modifié",
        affected: "affecté",
        schedule_entry: |from, value, warning| match warning {
            Some(warning) => format!("depuis {from}\u{a0}: {value} (seuil d'alerte {warning})"),
            None => format!("depuis {from}\u{a0}: {value}"),
        },
    },
    objectives: ObjectiveWords {
        yes: "Oui",
        no: "Non",
        of_total: |done, total| format!("{done} sur {total}"),
        strip_caption: |name, period| {
            format!(
                "{name} {} : une case pleine quand la cible est atteinte, pâle quand elle ne l'est pas, aucune sans valeur.",
                period.by
            )
        },
        without_value: |n| match n {
            1 => "1 KPI sans valeur".into(),
            n => format!("{n} KPI sans valeur"),
        },
    },
    attribution: AttributionWords {
        part: |arrow, contribution, name, change| {
            format!("{arrow} {contribution} avec {name} ({change})")
        },
    },
};

/// The French words of a quarterly report (« trimestre » is masculine).
pub(super) const QUARTER: Words = Words {
    period: PeriodWords {
        this: "ce trimestre",
        by: "trimestre par trimestre",
        each: "chaque trimestre",
        earlier: |name, k| match k {
            1 => format!("{name}, le trimestre précédent"),
            k => format!("{name}, {k} trimestres plus tôt"),
        },
        chart_label: |n| format!("valeurs des {n} derniers trimestres"),
    },
    labels: Labels {
        previous: "Trimestre précédent",
        this_month: "Ce trimestre",
        month_by_month: "trimestre par trimestre",
        target_each_month: "cible en vigueur chaque trimestre",
        warning_each_month: "seuil d'alerte en vigueur chaque trimestre",
        ..WORDS.labels
    },
    default_title: "Rapport KPI trimestriel",
    ..WORDS
};

/// The French words of an annual report (« année » is feminine).
pub(super) const YEAR: Words = Words {
    period: PeriodWords {
        this: "cette année",
        by: "année par année",
        each: "chaque année",
        earlier: |name, k| match k {
            1 => format!("{name}, l'année précédente"),
            k => format!("{name}, {k} ans plus tôt"),
        },
        chart_label: |n| format!("valeurs des {n} dernières années"),
    },
    labels: Labels {
        previous: "Année précédente",
        this_month: "Cette année",
        month_by_month: "année par année",
        target_each_month: "cible en vigueur chaque année",
        warning_each_month: "seuil d'alerte en vigueur chaque année",
        ..WORDS.labels
    },
    default_title: "Rapport KPI annuel",
    ..WORDS
};

fn target_change(change: &TargetChange, period: &PeriodWords) -> String {
    let this = period.this;
    // « la cible » is feminine, « le seuil d'alerte » masculine.
    let word = |kind: &LevelKind| match kind {
        LevelKind::Target => ("cible", "e"),
        LevelKind::Warning => ("seuil d'alerte", ""),
    };
    let moved = |kind: &LevelKind, verb: &str, from: &str, to: &str| {
        let (what, e) = word(kind);
        format!("{what} {verb}{e} de {from} à {to} {this}")
    };
    match change {
        TargetChange::TargetSet(to) => format!("cible fixée à {to} {this}"),
        TargetChange::Raised(kind, from, to) => moved(kind, "relevé", from, to),
        TargetChange::Lowered(kind, from, to) => moved(kind, "abaissé", from, to),
        TargetChange::Changed(kind, from, to) => moved(kind, "modifié", from, to),
        TargetChange::WarningRemoved => format!("seuil d'alerte supprimé {this}"),
        TargetChange::WarningSet(to) => format!("seuil d'alerte fixé à {to} {this}"),
    }
}

fn chart_caption(caption: &Caption<'_>) -> String {
    let mut text = format!("{} {}", caption.name, caption.period.by);
    if let Some(target) = caption.target {
        text.push_str(" par rapport à ");
        text.push_str(&match target {
            CaptionTarget::Range => "la plage cible (bande verte)".to_string(),
            CaptionTarget::Series(series) => {
                format!("la cible d'après {series} (trait plein)")
            }
            CaptionTarget::Steps => {
                format!("la cible en vigueur {} (trait plein)", caption.period.each)
            }
            CaptionTarget::Fixed => "la cible (trait plein)".to_string(),
        });
        match caption.warning_band {
            Some(true) => text.push_str(" et à la plage d'alerte (bande orange)"),
            Some(false) => text.push_str(" et au seuil d'alerte (pointillés)"),
            None => {}
        }
    }
    if caption.pace {
        text.push_str(", avec le rythme de la référence à l'échéance (tirets)");
    }
    text.push('.');
    text
}

fn reason(
    reason: &Reason,
    month: &dyn Fn(Period) -> String,
    name: &dyn Fn(&str) -> String,
) -> String {
    // A quarter or a year is named as the report names it: `Q3 2026`.
    let when = |period: Period, grain: Grain| match grain {
        Grain::Month => month(period),
        _ => WORDS.period(period, grain),
    };
    match reason {
        Reason::NoData { period, grain } => format!("aucune donnée pour {}", when(*period, *grain)),
        Reason::NoColumn { input } => format!("aucune colonne de données pour {}", name(input)),
        // The name is no subject: input names are often plural (`les réponses à l'enquête`).
        Reason::MissingInput { input, period } => {
            format!("pas de valeur pour {} en {}", name(input), month(*period))
        }
        Reason::ErrorCell {
            input,
            period,
            cell,
        } => format!(
            "pas de valeur pour {} en {}\u{a0}: la cellule {cell}",
            name(input),
            month(*period),
            // The cell is written for terminals, its error in backticks: not for readers.
            cell = cell.replace('`', ""),
        ),
        Reason::Dependency {
            metric,
            period,
            grain,
        } => {
            format!(
                "pas de valeur pour {} en {}",
                name(metric),
                when(*period, *grain)
            )
        }
        Reason::NotGiven { name: given } => format!("non donné\u{a0}: {}", name(given)),
        Reason::NoAggregate { input } => format!(
            "{} n'a pas de règle pour combiner les mois (`aggregate`)",
            name(input)
        ),
        Reason::MonthMissing { input, month: m } => {
            format!("pas de valeur pour {} en {}", name(input), month(*m))
        }
        Reason::DivisionByZero => "division par zéro".into(),
        // The operation is formula text, ids and all: readers get what went wrong.
        Reason::NotFinite { .. } => "un calcul n'a pas de résultat fini".into(),
    }
}
