//! Which link targets a note may keep: `http`, `https` and `mailto` only.

/// Whether `url` is an `http:`, `https:` or `mailto:` address. Control characters and
/// spaces are ignored, as browsers ignore them (`java\tscript:` is `javascript:`), and case
/// does not matter; anything else (another scheme, a relative path) is refused.
pub(crate) fn allowed(url: &str) -> bool {
    let cleaned: String = url
        .chars()
        .filter(|c| !c.is_control() && !c.is_whitespace())
        .take(8)
        .collect::<String>()
        .to_ascii_lowercase();
    ["http://", "https://", "mailto:"]
        .iter()
        .any(|scheme| cleaned.starts_with(scheme))
}

#[cfg(test)]
mod tests {
    use super::allowed;

    #[test]
    fn only_web_and_mail_addresses() {
        for ok in [
            "https://example.com",
            "HTTP://x",
            "mailto:a@b.example",
            " https://x",
        ] {
            assert!(allowed(ok), "{ok}");
        }
        for bad in [
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            "java\tscript:alert(1)",
            "data:text/html,x",
            "vbscript:x",
            "file:///etc/passwd",
            "report.html",
            "#m-nps",
            "//evil.example",
            "",
        ] {
            assert!(!allowed(bad), "{bad}");
        }
    }
}
