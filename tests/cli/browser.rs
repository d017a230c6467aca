//! The example's reports laid out by a real browser (headless Chromium, Debian's `chromium`,
//! which scripts/test installs when it runs as root): the HTML report's tables fit a desktop
//! window of 1024 and 1280 pixels without a horizontal scroll bar, in both languages, and the
//! email's HTML part fits a phone 390 pixels wide, as Gmail shows it (no style sheet).
//!
//! Each page is measured by a script added to a copy of it (the reports themselves hold none),
//! which writes what overflows into the page; `--dump-dom` prints the page after it ran.

use std::process::Command;

/// `html` with `script` run at the end of its body, opened in Chromium at `width` pixels:
/// the text the script wrote into `<pre id="measured">`.
fn measure(html: &str, script: &str, width: u32) -> String {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("page.html");
    let probe = format!(
        "<script>(function(){{var out=[];{script};var p=document.createElement('pre');p.id='measured';p.textContent=out.join(' ')||'fits';document.body.appendChild(p);}})();</script></body>"
    );
    std::fs::write(&page, html.replacen("</body>", &probe, 1)).unwrap();
    let output = Command::new("chromium")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", dir.path().join("profile").display()))
        .arg(format!("--window-size={width},900"))
        .arg("--dump-dom")
        .arg(format!("file://{}", page.display()))
        .output()
        .expect(
            "chromium runs: install Debian's `chromium` package (scripts/test does when run as root)",
        );
    let dom = String::from_utf8_lossy(&output.stdout);
    let start = dom.find("<pre id=\"measured\">").unwrap_or_else(|| {
        panic!(
            "the probe did not run: {}",
            String::from_utf8_lossy(&output.stderr)
        )
    }) + "<pre id=\"measured\">".len();
    dom[start..start + dom[start..].find("</pre>").unwrap()].to_string()
}

#[test]
fn the_html_reports_tables_fit_a_desktop_window_in_both_languages() {
    // Each `.table` is the scroll container of a section's table.
    let script = "document.querySelectorAll('.table').forEach(function(t){if(t.scrollWidth>t.clientWidth)out.push(t.scrollWidth+'>'+t.clientWidth)})";
    for locale in ["en", "fr"] {
        let html = String::from_utf8(crate::email::example_report(&[
            "--format", "html", "--locale", locale,
        ]))
        .unwrap();
        for width in [1024, 1280] {
            assert_eq!(
                measure(&html, script, width),
                "fits",
                "a table of the {locale} report overflows at {width} px (scroll width > box)"
            );
        }
    }
}

/// The width of a phone's screen in CSS pixels (an iPhone 14's).
const PHONE: u32 = 390;

#[test]
fn the_email_fits_a_phone_as_gmail_shows_it() {
    // Headless Chromium lays a page out at least 500 pixels wide whatever the window, so the
    // page itself is made as wide as the phone, and what overflows it is measured.
    let script = format!(
        "document.documentElement.style.width='{PHONE}px';var w=document.body.scrollWidth;if(w>{PHONE})out.push(w+'>{PHONE}')"
    );
    for locale in ["en", "fr"] {
        let message = crate::email::example_report(&["--format", "email", "--locale", locale]);
        let email = crate::email::inspect(&message);
        let html = email["html"].as_str().unwrap();
        // The images are not there (no `cid:` in a browser), but their width and height are.
        assert_eq!(
            measure(html, &script, 800),
            "fits",
            "the {locale} email is wider than a {PHONE} px phone"
        );
    }
}
