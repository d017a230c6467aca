//! Text encodings of data files: UTF-8 (with or without a byte-order mark), UTF-16 with a
//! byte-order mark, and Windows-1252, which is what Excel's "CSV (séparateur: point-virgule)"
//! writes. Anything else is refused rather than read as mojibake.
//!
//! A UTF-8 or Windows-1252 file is decoded in the buffer it was read into, never into a second
//! copy of the file: a French export is ASCII but for a few accented bytes, so only those are
//! rewritten, and memory stays about the file's size.

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

fn decode_any(mut bytes: Vec<u8>) -> Option<String> {
    if bytes.starts_with(b"\xef\xbb\xbf") {
        // Moved down in place rather than copied.
        bytes.drain(..3);
        return String::from_utf8(bytes).ok();
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
            // A block at a time, each byte of it checked without a branch (vector
            // instructions), the blocks stopping at the first foreign one.
            let foreign = bytes.chunks(BLOCK).any(|block| {
                block
                    .iter()
                    .fold(false, |seen, &b| seen | foreign_to_windows_1252(b))
            });
            if foreign {
                return None;
            }
            Some(windows_1252_in_place(bytes))
        }
    }
}

/// How many bytes are looked at together: a block of ASCII is passed over with a few vector
/// instructions.
const BLOCK: usize = 32;

/// Whether every byte of `block` is ASCII.
fn ascii(block: &[u8]) -> bool {
    block.iter().fold(0u8, |high, &b| high | b) < 0x80
}

/// Where the last byte of `bytes` that is not ASCII is, looking a block at a time from the end.
fn last_not_ascii(bytes: &[u8]) -> Option<usize> {
    let mut end = bytes.len();
    while end > 0 {
        let start = end.saturating_sub(BLOCK);
        let block = &bytes[start..end];
        if !ascii(block) {
            return block.iter().rposition(|b| !b.is_ascii()).map(|k| start + k);
        }
        end = start;
    }
    None
}

/// Windows-1252 bytes decoded in their own buffer: ASCII bytes stay as they are, each other
/// byte becomes its character's two or three UTF-8 bytes. The buffer grows once by what those
/// add, and is rewritten from its end so that no byte is overwritten before it is read: each
/// run of ASCII between two other bytes moves as one block (`copy_within`, a `memmove`).
fn windows_1252_in_place(mut bytes: Vec<u8>) -> String {
    // Each byte from 0x80 on, as UTF-8 (encoding_rs's table, which defines every byte: those
    // Windows-1252 leaves undefined were refused before).
    let mut table = [([0u8; 4], 0usize); 128];
    for (high, entry) in (0x80u8..=0xff).zip(table.iter_mut()) {
        let byte = [high];
        let (text, _) = WINDOWS_1252.decode_without_bom_handling(&byte);
        entry.1 = text.len();
        entry.0[..text.len()].copy_from_slice(text.as_bytes());
    }
    let utf8 = |b: u8| table[usize::from(b - 0x80)];
    let read = bytes.len();
    let added: usize = bytes
        .chunks(BLOCK)
        .filter(|block| !ascii(block))
        .flat_map(|block| block.iter().filter(|b| !b.is_ascii()))
        .map(|&b| utf8(b).1 - 1)
        .sum();
    // Exactly what the UTF-8 forms add: a buffer read to its size would otherwise double.
    bytes.reserve_exact(added);
    bytes.resize(read + added, 0);
    // `bytes[..end]` is still as read; `bytes[write..]` is decoded. `write - end` is what the
    // bytes before `end` add, so a run moved to `write` never covers a byte not yet read.
    let mut end = read;
    let mut write = read + added;
    while let Some(at) = last_not_ascii(&bytes[..end]) {
        let (form, len) = utf8(bytes[at]);
        write -= end - (at + 1);
        bytes.copy_within(at + 1..end, write);
        write -= len;
        bytes[write..write + len].copy_from_slice(&form[..len]);
        end = at;
    }
    debug_assert_eq!(write, end);
    String::from_utf8(bytes).expect("Windows-1252 decodes to UTF-8")
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
    fn windows_1252_is_decoded_byte_for_byte() {
        // Every byte Windows-1252 defines, ASCII first then each other byte between two ASCII
        // letters, against encoding_rs decoding the whole text at once.
        let mut bytes: Vec<u8> = (0x20u8..0x7f).collect();
        for b in 0x80u8..=0xff {
            if !matches!(b, 0x81 | 0x8d | 0x8f | 0x90 | 0x9d) {
                bytes.extend([b'a', b, b'z']);
            }
        }
        let (whole, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(&bytes);
        assert_eq!(decode(bytes.clone()).unwrap(), whole);
        // Written by hand: a header's accents, then ASCII rows; a euro sign (0x80, three
        // bytes in UTF-8) and a byte of each length at both ends.
        assert_eq!(
            decode(b"P\xe9riode;x\n2026-10;1\n".to_vec()).unwrap(),
            "Période;x\n2026-10;1\n"
        );
        assert_eq!(decode(b"\x80\xe9a\xa0\x80".to_vec()).unwrap(), "€éa\u{a0}€");
        assert_eq!(decode(b"\xef\xbb\xbf".to_vec()).unwrap(), "");
    }

    #[test]
    fn windows_1252_runs_of_any_length_are_decoded_as_encoding_rs_does() {
        // Texts of 0 to 300 bytes, each byte ASCII or not with a chance that varies from text
        // to text (runs of every length, across the 32-byte blocks), from a 64-bit LCG.
        let mut lcg = crate::lcg::Lcg::new(0x9e37_79b9_7f4a_7c15);
        let mut next = move || lcg.next() >> 33;
        let defined: Vec<u8> = (0x80u8..=0xff)
            .filter(|b| !matches!(b, 0x81 | 0x8d | 0x8f | 0x90 | 0x9d))
            .collect();
        for _ in 0..3_000 {
            let len = usize::try_from(next() % 301).unwrap();
            let per_mille = next() % 1001;
            // `é` then `a`: never UTF-8, which is read as such.
            let mut bytes = vec![0xe9, b'a'];
            bytes.extend((0..len).map(|_| {
                if next() % 1000 < per_mille {
                    defined[usize::try_from(next()).unwrap() % defined.len()]
                } else {
                    [b'a', b';', b'\n', b'0', b' '][usize::try_from(next() % 5).unwrap()]
                }
            }));
            let (whole, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(&bytes);
            assert_eq!(decode(bytes.clone()).unwrap(), whole, "{bytes:x?}");
        }
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
