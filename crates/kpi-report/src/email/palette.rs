//! The email's colours, written out: mail clients drop CSS variables, so the HTML report's
//! palette (`templates/style.css.hbs`) is repeated here as inline styles and as the charts'
//! style sheet. One table per use, keyed as the report model keys statuses.

use std::collections::BTreeMap;

use serde::Serialize;

/// Secondary text.
const MUTED: &str = "#59636e";
/// Rules and grid lines.
const LINE: &str = "#d1d9e0";
/// The value line of a chart, and a sparkline without status.
const ACCENT: &str = "#0b57d0";
const GOOD: &str = "#1a7f37";
const GOOD_BG: &str = "#dafbe1";
const WARN: &str = "#7d4e00";
const WARN_BG: &str = "#fff1c2";
const BAD: &str = "#b3261e";
const BAD_BG: &str = "#ffe2e0";
const NONE: &str = "#59636e";
const NONE_BG: &str = "#eef1f4";

/// A status' text colour and background, by the status key of the report model.
const STATUS: &[(&str, &str, &str)] = &[
    ("on_target", GOOD, GOOD_BG),
    ("at_risk", WARN, WARN_BG),
    ("off_target", BAD, BAD_BG),
    ("no_data", NONE, NONE_BG),
    ("no_target", NONE, NONE_BG),
    // An objective past its month without every KPI met.
    ("missed", "#ffffff", BAD),
];

/// The colour of a status' sparkline: the status' own, or the accent without one.
pub(crate) fn spark(status: &str) -> &'static str {
    match status {
        "on_target" | "at_risk" | "off_target" => STATUS
            .iter()
            .find(|s| s.0 == status)
            .map_or(ACCENT, |s| s.1),
        _ => ACCENT,
    }
}

/// A status' colours, for the summary's cells.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Colours {
    color: &'static str,
    background: &'static str,
}

/// What the email template reads as `email.*`: every inline style that depends on a key of
/// the model, so that the template holds no colour of its own beyond the neutral ones.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Palette {
    /// `email.status.<key>.color` and `.background`.
    status: BTreeMap<&'static str, Colours>,
    /// `email.pill.<key>`: the style of a status label.
    pill: BTreeMap<&'static str, String>,
    /// `email.bar.<key>`: the colour of the bar beside an item that needs attention.
    bar: BTreeMap<&'static str, &'static str>,
    /// `email.verdict.<better|worse|unchanged>`: the style of a change's arrow.
    verdict: BTreeMap<&'static str, String>,
    /// `email.legend.<key>`: the style of a chart legend's key.
    legend: BTreeMap<&'static str, String>,
}

impl Palette {
    pub(crate) fn new() -> Palette {
        let status = STATUS
            .iter()
            .map(|&(key, color, background)| (key, Colours { color, background }))
            .collect();
        let pill = STATUS
            .iter()
            .map(|&(key, color, background)| {
                (
                    key,
                    format!(
                        "display:inline-block;padding:0 6px;border:1px solid {color};color:{color};background-color:{background};font-size:13px;"
                    ),
                )
            })
            .collect();
        // The missed objective's bar is its background, the red of the others' text.
        let bar = STATUS
            .iter()
            .map(|&(key, color, background)| {
                (key, if key == "missed" { background } else { color })
            })
            .collect();
        let verdict = [("better", GOOD), ("worse", BAD), ("unchanged", MUTED)]
            .into_iter()
            .map(|(key, color)| (key, format!("color:{color};")))
            .collect();
        let legend = [
            ("target", GOOD),
            ("target band", GOOD),
            ("warning", WARN),
            ("warning band", WARN),
            ("pace", MUTED),
            ("year-ago", MUTED),
        ]
        .into_iter()
        .map(|(key, color)| (key, format!("color:{color};")))
        .collect();
        Palette {
            status,
            pill,
            bar,
            verdict,
            legend,
        }
    }
}

/// The style sheet of a details chart drawn as an image: `templates/style.css.hbs`' chart
/// rules with the colours written out.
pub(crate) fn chart_css() -> String {
    format!(
        "text {{ fill: {MUTED}; }}
.grid line {{ stroke: {LINE}; stroke-width: 1; }}
.axis {{ font-weight: bold; }}
.values polyline {{ fill: none; stroke: {ACCENT}; stroke-width: 2; }}
.values circle {{ fill: {ACCENT}; }}
.target line, .target polyline {{ fill: none; stroke: {GOOD}; stroke-width: 1.5; }}
.warning line, .warning polyline {{ fill: none; stroke: {WARN}; stroke-width: 1.5; stroke-dasharray: 2 3; }}
.band polygon {{ stroke: none; }}
.target.band polygon {{ fill: {GOOD}; fill-opacity: 0.2; }}
.warning.band polygon {{ fill: {WARN}; fill-opacity: 0.14; }}
.pace line {{ stroke: {MUTED}; stroke-width: 1.5; stroke-dasharray: 6 4; }}
.year-ago polyline {{ fill: none; stroke: {MUTED}; stroke-width: 1.5; stroke-opacity: 0.45; }}
.strip .met {{ fill: {GOOD}; }}
.strip .not-met {{ fill: {BAD}; fill-opacity: 0.25; stroke: {BAD}; stroke-width: 1; }}
.strip .none {{ fill: none; stroke: {LINE}; stroke-width: 1; stroke-dasharray: 3 3; }}
"
    )
}

/// The style sheet of a sparkline drawn as an image, in the colour of its row's status.
pub(crate) fn spark_css(status: &str) -> String {
    let colour = spark(status);
    format!(
        "svg {{ fill: none; stroke: {colour}; stroke-width: 1.5; }}
circle {{ fill: {colour}; stroke: none; }}
"
    )
}
