//! Text encodings of data files: UTF-8 (with or without a byte-order mark), UTF-16 with a
//! byte-order mark, and Windows-1252, which is what Excel's "CSV (séparateur: point-virgule)"
//! writes. Anything else is refused rather than read as mojibake.

use encoding_rs::{UTF_16BE, UTF_16LE, WINDOWS_1252};

/// Bytes that Windows-1252 leaves undefined, and control characters no text file holds:
/// their presence means the file is in some other encoding (or not text).
fn foreign_to_windows_1252(b: u8) -> bool {
    matches!(b, 0x81 | 0x8d | 0x8f | 0x90 | 0x9d)
        || (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r'))
}

/// The file's text, without its byte-order mark, or `None` when it is in none of the
/// encodings read.
pub(crate) fn decode(bytes: Vec<u8>) -> Option<String> {
    // No text file holds a NUL byte: it is UTF-16 without a byte-order mark, or binary.
    decode_any(bytes).filter(|text| !text.contains('\0'))
}

fn decode_any(bytes: Vec<u8>) -> Option<String> {
    if let Some(rest) = bytes.strip_prefix(b"\xef\xbb\xbf") {
        return String::from_utf8(rest.to_vec()).ok();
    }
    for (bom, encoding) in [(b"\xff\xfe", UTF_16LE), (b"\xfe\xff", UTF_16BE)] {
        if let Some(rest) = bytes.strip_prefix(bom) {
            return encoding
                .decode_without_bom_handling_and_without_replacement(rest)
                .map(|text| text.into_owned());
        }
    }
    match String::from_utf8(bytes) {
        Ok(text) => Some(text),
        Err(e) => {
            let bytes = e.into_bytes();
            if bytes.iter().any(|&b| foreign_to_windows_1252(b)) {
                return None;
            }
            let (text, _) = WINDOWS_1252.decode_without_bom_handling(&bytes);
            Some(text.into_owned())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::decode;

    #[test]
    fn reads_the_encodings_spreadsheets_write() {
        assert_eq!(
            decode(b"\xef\xbb\xbfMois;a\n".to_vec()).unwrap(),
            "Mois;a\n"
        );
        assert_eq!(
            decode("Montant € é\n".as_bytes().to_vec()).unwrap(),
            "Montant € é\n"
        );
        // Windows-1252: é is 0xE9, € is 0x80.
        assert_eq!(decode(b"Ann\xe9e;\x80\n".to_vec()).unwrap(), "Année;€\n");
        let utf16: Vec<u8> = [0xff, 0xfe]
            .into_iter()
            .chain("é;1\n".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        assert_eq!(decode(utf16).unwrap(), "é;1\n");
        let utf16be: Vec<u8> = [0xfe, 0xff]
            .into_iter()
            .chain("a\n".encode_utf16().flat_map(u16::to_be_bytes))
            .collect();
        assert_eq!(decode(utf16be).unwrap(), "a\n");
    }

    #[test]
    fn refuses_other_bytes() {
        // UTF-16 without a byte-order mark, and binary data.
        let utf16: Vec<u8> = "é;1\n".encode_utf16().flat_map(u16::to_le_bytes).collect();
        assert_eq!(decode(utf16), None);
        assert_eq!(decode(b"\x89PNG\r\n\x1a\n\x00\x00".to_vec()), None);
        assert_eq!(decode(b"a\x81b".to_vec()), None);
    }
}
