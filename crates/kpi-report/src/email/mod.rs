//! The report as one email (RFC 5322) that survives a mailbox: a `text/plain` part (the
//! Markdown report) and an HTML part laid out with tables and inline styles only, whose charts
//! are PNG images attached by `Content-ID` (Gmail and Outlook show no inline SVG, drop CSS
//! variables, grid and flex, and clip HTML over 102 KB).
//!
//! The message is the same bytes for the same report: boundaries and the `Message-ID` are
//! derived from the content, and the `Date` is the first day after the month reported unless
//! the caller gives one.

mod message;
mod palette;
mod png;

use std::time::SystemTime;

use serde::Serialize;

use crate::error::ReportError;
use crate::model::Report;
use crate::render::{Format, Renderer};
use crate::templates::Templates;

pub use message::Addresses;

/// Who an email is from and to, and what it is called, before the report is known.
#[derive(Debug, Clone)]
pub struct Envelope {
    /// The subject, as the reader sees it (the binary fills `[delivery] subject`).
    pub subject: String,
    /// The sender, `Name <address>` or an address; `kpi <kpi@localhost>` without one.
    pub from: Option<String>,
    /// The recipients.
    pub to: Vec<String>,
    /// The recipients in copy.
    pub cc: Vec<String>,
    /// The `Date` header; without one, 08:00 UTC on the first day after the month reported.
    pub date: Option<SystemTime>,
}

/// A rendered email.
#[derive(Debug, Clone)]
pub struct Email {
    /// The subject, as the reader sees it.
    pub subject: String,
    /// The sender and recipients, parsed.
    pub addresses: Addresses,
    /// The size of the HTML part before transfer encoding, in bytes: what Gmail measures
    /// against its 102 KB clip.
    pub html_bytes: usize,
    /// How many images are attached.
    pub images: usize,
    /// The whole message, with CRLF line ends.
    pub message: Vec<u8>,
}

/// The templates of an email, parsed: the HTML part's (`email.html.hbs`) and the text
/// part's (the Markdown report's).
pub struct EmailRenderer<'t> {
    html: Renderer<'t>,
    text: Renderer<'t>,
    painter: png::Painter,
}

/// What the email template reads: the report, and `email`, the sizes and colours it needs.
#[derive(Serialize)]
struct View<'r> {
    #[serde(flatten)]
    report: &'r Report,
    email: Extras,
}

#[derive(Serialize)]
struct Extras {
    #[serde(flatten)]
    palette: palette::Palette,
    /// The size of a row's trend image, in CSS pixels.
    trend: Size,
    /// The size of a details chart image, in CSS pixels.
    chart: Size,
}

#[derive(Debug, Clone, Copy, Serialize)]
struct Size {
    width: u32,
    height: u32,
}

/// A row's sparkline in the email: three fifths of the HTML report's, so that a table of
/// four columns fits a phone 390 pixels wide with a long French name and amount in a row.
const TREND: Size = Size {
    width: crate::chart::SPARK_WIDTH * 3 / 5,
    height: crate::chart::SPARK_HEIGHT * 3 / 5,
};
/// A details chart in the email: as in the HTML report (it shrinks to a phone's width).
const CHART: Size = Size {
    width: crate::chart::LINE_WIDTH,
    height: crate::chart::LINE_HEIGHT,
};

impl<'t> EmailRenderer<'t> {
    /// Parses the templates an email uses, and every override.
    pub fn new(templates: &'t Templates) -> Result<EmailRenderer<'t>, ReportError> {
        Ok(EmailRenderer {
            html: Renderer::new(Format::Email, templates)?,
            text: Renderer::new(Format::Markdown, templates)?,
            painter: png::Painter::new(),
        })
    }

    /// Renders `report` as one message from and to `envelope`'s addresses.
    pub fn render(&self, report: &Report, envelope: &Envelope) -> Result<Email, ReportError> {
        let addresses = Addresses::parse(envelope)?;
        // A header is one line: a line break in a company name must not start a new header.
        let subject: String = envelope
            .subject
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        let view = View {
            report,
            email: Extras {
                palette: palette::Palette::new(),
                trend: TREND,
                chart: CHART,
            },
        };
        let html = self.html.render_model(&view, report)?;
        let text = self.text.render(report)?;
        let images = self.images(report, &html)?;
        let date = envelope
            .date
            .unwrap_or_else(|| message::after_month(&report.period));
        let bytes = message::compose(&message::Parts {
            addresses: &addresses,
            subject: &subject,
            period: &report.period,
            date,
            text: &text,
            html: &html,
            images: &images,
        })?;
        Ok(Email {
            subject,
            addresses,
            html_bytes: html.len(),
            images: images.len(),
            message: bytes,
        })
    }

    /// The images the HTML refers to by `cid:`, in the order it first names them, drawn.
    fn images(&self, report: &Report, html: &str) -> Result<Vec<message::Image>, ReportError> {
        let mut images: Vec<message::Image> = Vec::new();
        for cid in cids(html) {
            if images.iter().any(|i| i.cid == cid) {
                continue;
            }
            let (svg, css, size) = image_source(report, cid)?;
            let png = self
                .painter
                .png(&svg, &css, (size.width, size.height))
                .map_err(|message| ReportError::Image {
                    cid: cid.to_string(),
                    message,
                })?;
            images.push(message::Image {
                cid: cid.to_string(),
                png,
            });
        }
        Ok(images)
    }
}

/// Every `cid:` the HTML names in a `src` attribute, in order, repeats included.
fn cids(html: &str) -> impl Iterator<Item = &str> {
    html.split("src=\"cid:")
        .skip(1)
        .filter_map(|rest| rest.split_once('"').map(|(cid, _)| cid))
}

/// The SVG and style sheet of the image `cid` names: `trend.<id>@kpi`, a row's sparkline,
/// or `chart.<id>@kpi`, its details chart.
fn image_source(report: &Report, cid: &str) -> Result<(String, String, Size), ReportError> {
    let unknown = |why: &str| ReportError::Image {
        cid: cid.to_string(),
        message: why.to_string(),
    };
    let name = cid
        .strip_suffix("@kpi")
        .ok_or_else(|| unknown("images are named `trend.<id>@kpi` or `chart.<id>@kpi`"))?;
    let (kind, id) = name
        .split_once('.')
        .ok_or_else(|| unknown("images are named `trend.<id>@kpi` or `chart.<id>@kpi`"))?;
    let row = report
        .rows()
        .find(|r| r.id == id)
        .ok_or_else(|| unknown(&format!("the report has no metric `{id}`")))?;
    match kind {
        "trend" => Ok((
            row.trend.svg.clone(),
            palette::spark_css(row.status.key),
            TREND,
        )),
        "chart" => match &row.details.chart {
            Some(svg) => Ok((svg.clone(), palette::chart_css(), CHART)),
            None => Err(unknown(&format!(
                "`{id}` has no chart this month; wrap the image in `{{{{#if details.chart}}}}`"
            ))),
        },
        _ => Err(unknown(
            "images are named `trend.<id>@kpi` or `chart.<id>@kpi`",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::cids;

    #[test]
    fn finds_every_cid_in_order() {
        let html =
            r#"<img src="cid:trend.a@kpi" width="1"><p>cid:x</p><img src="cid:chart.b@kpi">"#;
        assert_eq!(
            cids(html).collect::<Vec<_>>(),
            ["trend.a@kpi", "chart.b@kpi"]
        );
    }
}
