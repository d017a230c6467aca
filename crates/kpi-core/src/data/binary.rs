//! What a data file that is not text is — a workbook, a PDF, an archive — told from its first
//! bytes and, for a zip, from the names of its entries, so that the error names it for what it
//! is rather than "not text".

use crate::diagnostic::FileKind;

/// The entries of a zip's central directory looked at, at most: enough for any workbook.
const MAX_ENTRIES: usize = 1_000;

/// What `bytes` are, when they start as a known kind of binary file.
pub(crate) fn sniff(bytes: &[u8]) -> Option<FileKind> {
    if bytes.starts_with(b"PK\x03\x04") {
        return Some(zip_kind(bytes));
    }
    if bytes.starts_with(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1") {
        return Some(FileKind::Excel97);
    }
    if bytes.starts_with(b"%PDF") {
        return Some(FileKind::Pdf);
    }
    if bytes.starts_with(b"\x1f\x8b") {
        return Some(FileKind::Gzip);
    }
    None
}

/// A zip's kind: an Excel workbook holds `xl/workbook.xml` (or `.bin`), an OpenDocument
/// spreadsheet starts with an uncompressed `mimetype` entry naming itself.
fn zip_kind(bytes: &[u8]) -> FileKind {
    let head = bytes.get(..100).unwrap_or(bytes);
    if bytes.get(30..38) == Some(b"mimetype") && contains(head, b"opendocument.spreadsheet") {
        return FileKind::Ods;
    }
    let excel = entry_names(bytes)
        .into_iter()
        .flatten()
        .any(|name| name.starts_with(b"xl/workbook."));
    if excel {
        FileKind::Excel
    } else {
        FileKind::Zip
    }
}

/// The names of a zip's entries, from its central directory (found from the end record);
/// `None` when the directory cannot be found or read.
fn entry_names(bytes: &[u8]) -> Option<Vec<&[u8]>> {
    let u16_at = |i: usize| Some(u16::from_le_bytes(bytes.get(i..i + 2)?.try_into().ok()?));
    let u32_at = |i: usize| Some(u32::from_le_bytes(bytes.get(i..i + 4)?.try_into().ok()?));
    // The end record is in the last 22 bytes, or before a comment of up to 65 535 bytes.
    let tail = bytes.len().saturating_sub(22 + 65_535);
    let end = (tail..bytes.len().saturating_sub(21))
        .rev()
        .find(|&i| bytes[i..].starts_with(b"PK\x05\x06"))?;
    let count = usize::from(u16_at(end + 10)?).min(MAX_ENTRIES);
    let mut at = usize::try_from(u32_at(end + 16)?).ok()?;
    let mut names = Vec::with_capacity(count);
    for _ in 0..count {
        if !bytes.get(at..)?.starts_with(b"PK\x01\x02") {
            return None;
        }
        let name_len = usize::from(u16_at(at + 28)?);
        let extra = usize::from(u16_at(at + 30)?) + usize::from(u16_at(at + 32)?);
        names.push(bytes.get(at + 46..at + 46 + name_len)?);
        at += 46 + name_len + extra;
    }
    Some(names)
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A zip with stored (uncompressed) entries of these names and contents, as a zip
    /// writer lays it out: local headers, then the central directory, then the end record.
    fn zip(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut out = Vec::new();
        let mut directory = Vec::new();
        for (name, data) in entries {
            let offset = out.len() as u32;
            out.extend(b"PK\x03\x04");
            out.extend([20, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
            out.extend([0; 4]);
            out.extend((data.len() as u32).to_le_bytes());
            out.extend((data.len() as u32).to_le_bytes());
            out.extend((name.len() as u16).to_le_bytes());
            out.extend([0, 0]);
            out.extend(name.as_bytes());
            out.extend(*data);
            directory.extend(b"PK\x01\x02");
            directory.extend([20, 0, 20, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
            directory.extend([0; 4]);
            directory.extend((data.len() as u32).to_le_bytes());
            directory.extend((data.len() as u32).to_le_bytes());
            directory.extend((name.len() as u16).to_le_bytes());
            directory.extend([0; 12]);
            directory.extend(offset.to_le_bytes());
            directory.extend(name.as_bytes());
        }
        let start = out.len() as u32;
        out.extend(&directory);
        out.extend(b"PK\x05\x06");
        out.extend([0; 4]);
        out.extend((entries.len() as u16).to_le_bytes());
        out.extend((entries.len() as u16).to_le_bytes());
        out.extend((directory.len() as u32).to_le_bytes());
        out.extend(start.to_le_bytes());
        out.extend([0, 0]);
        out
    }

    #[test]
    fn tells_workbooks_documents_and_archives_apart() {
        let xlsx = zip(&[
            ("[Content_Types].xml", b"<x/>"),
            ("xl/workbook.xml", b"<w/>"),
        ]);
        assert_eq!(sniff(&xlsx), Some(FileKind::Excel));
        let ods = zip(&[(
            "mimetype",
            b"application/vnd.oasis.opendocument.spreadsheet",
        )]);
        assert_eq!(sniff(&ods), Some(FileKind::Ods));
        assert_eq!(sniff(&zip(&[("a.csv", b"period\n")])), Some(FileKind::Zip));
        assert_eq!(
            sniff(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\0\0"),
            Some(FileKind::Excel97)
        );
        assert_eq!(sniff(b"%PDF-1.7\n"), Some(FileKind::Pdf));
        assert_eq!(sniff(b"\x1f\x8b\x08\0"), Some(FileKind::Gzip));
        assert_eq!(sniff(b"period,x\n"), None);
    }

    #[test]
    fn a_broken_zip_is_still_a_zip_and_never_a_panic() {
        let mut xlsx = zip(&[("xl/workbook.xml", b"<w/>")]);
        let n = xlsx.len();
        xlsx[n - 6] = 0xff; // the directory's offset points past the end
        assert_eq!(sniff(&xlsx), Some(FileKind::Zip));
        for len in 0..40 {
            let _ = sniff(&zip(&[("xl/workbook.xml", b"<w/>")])[..len]);
        }
        assert_eq!(sniff(b"PK\x03\x04"), Some(FileKind::Zip));
    }
}
