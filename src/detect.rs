//! Telling the record family of a change file from its first record line (*tiedostotyypin
//! tunnistus*).
//!
//! Person and building records share their framing (a 26-character header, groups separated by
//! `|`) but not their keys: a person record starts with a personal identity code, a building
//! record with a permanent building id and an object type. The shapes cannot be confused: the
//! seventh character is a century sign in a person id and a digit in a building id.
//!
//! | family   | characters | shape |
//! |----------|------------|-------|
//! | person   | 0–10       | `DDMMYY`, century sign (`+ - A B C D E F U V W X Y`), 3 digits, check character |
//! | building | 0–9, 10    | 9 digits starting with `1`, check character; object type `R` (building) or `P` (building project) |
//!
//! Only the shape is looked at: check characters are not verified (test files often carry
//! made-up ids), and dates are not checked.
//!
//! ```
//! use muutostieto::detect::{detect, detect_in, FileKind};
//!
//! assert_eq!(detect(b"010101-900RXBX201702081101|00312|"), Some(FileKind::Person));
//! assert_eq!(detect(b"122334455RRRM1201702081101|"), Some(FileKind::Building));
//! assert_eq!(detect(b"something else"), None);
//!
//! // In a whole file, envelope lines (`'''`) and blank lines come first and are skipped.
//! let file = b"'''ENVELOPE\r\n\r\n122334455RPRU1201702081101|";
//! assert_eq!(detect_in(file), Some(FileKind::Building));
//! ```

use std::fmt;

/// The record family of a change file, as told by its first record line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FileKind {
    /// Person records (*henkilötiedot*): `.PTT` and `.MTT` files.
    Person,
    /// Building and apartment records (*rakennustiedot*).
    Building,
}

impl FileKind {
    /// `person` or `building`.
    pub fn name(self) -> &'static str {
        match self {
            FileKind::Person => "person",
            FileKind::Building => "building",
        }
    }
}

impl fmt::Display for FileKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The prefix of envelope lines (*kehystietue*).
const ENVELOPE: &[u8] = b"'''";

/// A check character's shape: a digit or an upper-case ASCII letter.
fn is_check(b: u8) -> bool {
    b.is_ascii_digit() || b.is_ascii_uppercase()
}

/// True when `line` starts with the shape of a personal identity code.
fn is_person(line: &[u8]) -> bool {
    let Some(id) = line.first_chunk::<11>() else {
        return false;
    };
    id[..6].iter().all(u8::is_ascii_digit)
        && crate::hetu::Century::from_sign(id[6]).is_some()
        && id[7..10].iter().all(u8::is_ascii_digit)
        && is_check(id[10])
}

/// True when `line` starts with the shape of a permanent building id and an object type.
fn is_building(line: &[u8]) -> bool {
    let Some(id) = line.first_chunk::<11>() else {
        return false;
    };
    id[0] == b'1'
        && id[..9].iter().all(u8::is_ascii_digit)
        && is_check(id[9])
        && matches!(id[10], b'R' | b'P')
}

/// The family of a record line (without envelope lines before it; the line ending may be
/// included). `None` when the line has neither shape.
pub fn detect(first_record_line: &[u8]) -> Option<FileKind> {
    if is_person(first_record_line) {
        Some(FileKind::Person)
    } else if is_building(first_record_line) {
        Some(FileKind::Building)
    } else {
        None
    }
}

/// The first line of `input` that is neither an envelope line nor blank (without its line
/// ending; possibly cut short when `input` is only the start of a file). `None` when there is
/// no such line.
pub fn first_record_line(input: &[u8]) -> Option<&[u8]> {
    input
        .split(|&b| b == b'\n' || b == b'\r')
        .find(|line| !line.is_empty() && !line.starts_with(ENVELOPE))
}

/// The family of a file (or of its first bytes): [`detect`] on its first line that is neither
/// an envelope line nor blank.
pub fn detect_in(input: &[u8]) -> Option<FileKind> {
    detect(first_record_line(input)?)
}

/// True when `prefix` (the start of a file) looks like a person-id list (`.HTT`, *hetulista*):
/// an envelope header naming the list type `MUTPHT`, or a first line that is an identity code
/// followed by `L` (add) or `P` (remove) and nothing else. Such a file is no change file.
///
/// ```
/// use muutostieto::detect::looks_like_id_list;
/// assert!(looks_like_id_list(b"'''ED2'''VRK:1:OVT'TYP:MUTPHT'NRQ:0'''\n010101A900RL\n"));
/// assert!(looks_like_id_list(b"010101A900RL\r\n"));
/// assert!(!looks_like_id_list(b"010101A900RXBX201702081101|00312|\r\n"));
/// ```
pub fn looks_like_id_list(prefix: &[u8]) -> bool {
    let first = prefix.split(|&b| b == b'\n').next().unwrap_or_default();
    if first.starts_with(ENVELOPE) {
        return first.windows(10).any(|w| w == b"TYP:MUTPHT");
    }
    let line = first.strip_suffix(b"\r").unwrap_or(first);
    line.len() == 12 && is_person(line) && matches!(line[11], b'L' | b'P')
}

/// True when `prefix` (the start of a file) is UTF-8 with at least one multi-byte character
/// and no byte that cannot be UTF-8: a re-encoded file, not ISO-8859-1 (whose letters above
/// 0x7F seldom form valid UTF-8 sequences). A sequence cut by the end of `prefix` is allowed.
///
/// ```
/// use muutostieto::detect::looks_like_utf8;
/// assert!(looks_like_utf8("Pälömäki".as_bytes()));
/// assert!(!looks_like_utf8(b"P\xe4l\xf6m\xe4ki"));
/// assert!(!looks_like_utf8(b"plain ASCII"));
/// ```
pub fn looks_like_utf8(prefix: &[u8]) -> bool {
    if prefix.is_ascii() {
        return false;
    }
    match std::str::from_utf8(prefix) {
        Ok(_) => true,
        // Valid but for a sequence cut by the end of the prefix.
        Err(e) => e.error_len().is_none() && !prefix[..e.valid_up_to()].is_ascii(),
    }
}

/// The field kinds the built-in record families bring (building ids), for loading layout files
/// ([`crate::layout::LayoutFile::load_with_kinds`]).
pub fn field_kinds() -> Vec<&'static crate::field::CustomKind> {
    use crate::record::Family as _;
    [
        crate::person::Person.field_kinds(),
        crate::building::Building.field_kinds(),
    ]
    .concat()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn person_ids_of_every_century_sign() {
        for sign in b"+-ABCDEFUVWXY" {
            let mut line = b"010101-900RXXX201702081101|".to_vec();
            line[6] = *sign;
            assert_eq!(detect(&line), Some(FileKind::Person), "{}", *sign as char);
        }
        // A wrong check character is still a person id's shape.
        assert_eq!(detect(b"010101-900S"), Some(FileKind::Person));
        assert_eq!(detect(b"010101-9000"), Some(FileKind::Person));
        // Bad shapes.
        assert_eq!(detect(b"010101G900R"), None);
        assert_eq!(detect(b"0101x1-900R"), None);
        assert_eq!(detect(b"010101-9x0R"), None);
        assert_eq!(detect(b"010101-900r"), None);
        assert_eq!(detect(b"010101-900"), None);
    }

    #[test]
    fn building_ids_with_object_type() {
        assert_eq!(detect(b"122334455RR"), Some(FileKind::Building));
        assert_eq!(detect(b"1019191118P"), Some(FileKind::Building));
        assert_eq!(
            detect(b"122334455RRRM1201702081101|00"),
            Some(FileKind::Building)
        );
        // Not starting with 1, no object type, a wrong object type, too short.
        assert_eq!(detect(b"222334455RR"), None);
        assert_eq!(detect(b"122334455R "), None);
        assert_eq!(detect(b"122334455RX"), None);
        assert_eq!(detect(b"12233445RR"), None);
        assert_eq!(detect(b"1223344x5RR"), None);
    }

    #[test]
    fn envelope_and_blank_lines_are_skipped() {
        let person = b"'''ENVELOPE'''\r\n\r\n\n010101A900RXBX201702080101|00312|\r\n";
        assert_eq!(detect_in(person), Some(FileKind::Person));
        assert_eq!(
            first_record_line(person),
            Some(&b"010101A900RXBX201702080101|00312|"[..])
        );
        assert_eq!(
            detect_in(b"'''A\n'''B\r122334455RR"),
            Some(FileKind::Building)
        );
        assert_eq!(detect_in(b""), None);
        assert_eq!(detect_in(b"'''ONLY AN ENVELOPE\r\n"), None);
        assert_eq!(detect_in(b"short\r\n010101A900R"), None);
    }

    #[test]
    fn names() {
        assert_eq!(FileKind::Person.to_string(), "person");
        assert_eq!(FileKind::Building.name(), "building");
    }
}
