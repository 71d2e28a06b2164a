//! Building and apartment identifiers (*rakennus- ja huoneistotunnukset*), section (b) of the
//! building format reference.
//!
//! | identifier | form | here |
//! |---|---|---|
//! | permanent building id (*pysyvä rakennustunnus*, VTJ-PRT) | 9 digits starting with `1`, then a check character: the number mod 31 in `0123456789ABCDEFHJKLMNPRSTUVWXY` | [`BuildingId`] (field type, checked) |
//! | old building id (*kiinteistöön perustuva rakennustunnus*) | property id 3+3+4+4 digits, a check letter, a 3-digit building number (18 characters; `KKK-SSS-RRRR-YYYY-T-nnn` when written) | [`OldBuildingId`] (field type; the letter's algorithm is unknown, any `A`–`Z` is accepted) |
//! | apartment id (*huoneistotunnus*) | staircase letter `A`–`Ö`, number `000`–`999`, division letter `a`–`ö`; each part may be empty | [`ApartmentId`] |
//! | residence code (*asuinpaikantunnus*) | PRT 10 + address ordinal 1 + staircase 1 + number 3 + division 1 = 16 characters, a space for an empty part | [`residence_code`] |
//! | permanent apartment id (VTJ-PHT) | 10 characters, form unpublished | kept as text |
//!
//! Building ids are not personal data, but validation messages still never contain the value
//! (like every diagnostic of this crate).
//!
//! ```
//! use muutostieto::building::ids::{residence_code, BuildingId, OldBuildingId};
//!
//! assert!(BuildingId::new("122334455R").is_valid());
//! assert!(!BuildingId::new("123456789A").is_valid());
//! let made = BuildingId::make(100_840_657).unwrap();
//! assert_eq!(&made, b"100840657D");
//!
//! let old = OldBuildingId::new("09100400120005A001");
//! assert_eq!(old.formatted().as_deref(), Some("091-004-0012-0005-A-001"));
//!
//! let code = residence_code(b"122334455R", Some(1), Some('B'), Some(33), None).unwrap();
//! assert_eq!(&code, b"122334455R1B033 ");
//! ```

use std::borrow::Cow;
use std::fmt;

use serde::{Serialize, Serializer};

use crate::diag::DiagnosticKind;
use crate::encoding::Encoding;
use crate::field::{CustomKind, FieldKind};
use crate::field::{Digits, FieldValue, FieldWriteError, Text};
use crate::hetu::CHECK_CHARACTERS;

/// Length of a permanent building id (VTJ-PRT).
pub const BUILDING_ID_LEN: usize = 10;

/// Length of an old building id without separators.
pub const OLD_BUILDING_ID_LEN: usize = 18;

/// Length of a residence code (*asuinpaikantunnus*).
pub const RESIDENCE_CODE_LEN: usize = 16;

/// Why a building id is not valid. No variant holds a value from the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
pub enum BuildingIdError {
    /// A VTJ-PRT that is not 10 ASCII characters (trailing spaces ignored).
    #[error("VTJ-PRT must be 10 characters")]
    Length,
    /// A VTJ-PRT whose first digit is not `1`.
    #[error("VTJ-PRT must start with 1")]
    FirstDigit,
    /// A VTJ-PRT with a non-digit among its first 9 characters.
    #[error("VTJ-PRT must have 9 digits before the check character (column {column})")]
    NotDigit {
        /// 0-based position of the first offending character inside the id.
        column: usize,
    },
    /// A VTJ-PRT whose check character does not match its number.
    #[error("VTJ-PRT check character does not match")]
    CheckCharacter,
    /// An old building id that is not 18 ASCII characters (trailing spaces ignored).
    #[error("old building id must be 18 characters")]
    OldLength,
    /// An old building id with a non-digit in its property id or building number.
    #[error(
        "old building id must have digits in its property id and building number (column {column})"
    )]
    OldNotDigit {
        /// 0-based position of the first offending character inside the id.
        column: usize,
    },
    /// An old building id whose check character (position 14) is not a capital `A`–`Z`.
    #[error("old building id check character must be a capital letter A-Z")]
    OldCheckLetter,
}

impl BuildingIdError {
    /// 0-based position of the problem inside the id.
    pub fn column(&self) -> usize {
        match *self {
            BuildingIdError::Length | BuildingIdError::OldLength | BuildingIdError::FirstDigit => 0,
            BuildingIdError::NotDigit { column } | BuildingIdError::OldNotDigit { column } => {
                column
            }
            BuildingIdError::CheckCharacter => 9,
            BuildingIdError::OldCheckLetter => 14,
        }
    }

    /// What is wrong, as a fixed text (for [`DiagnosticKind::InvalidValue`]).
    pub fn reason(&self) -> &'static str {
        match self {
            BuildingIdError::Length => "VTJ-PRT must be 10 characters",
            BuildingIdError::FirstDigit => "VTJ-PRT must start with 1",
            BuildingIdError::NotDigit { .. } => {
                "VTJ-PRT must have 9 digits before the check character"
            }
            BuildingIdError::CheckCharacter => "VTJ-PRT check character does not match",
            BuildingIdError::OldLength => "old building id must be 18 characters",
            BuildingIdError::OldNotDigit { .. } => {
                "old building id must have digits in its property id and building number"
            }
            BuildingIdError::OldCheckLetter => {
                "old building id check character must be a capital letter A-Z"
            }
        }
    }
}

fn serialize_id<S: Serializer>(raw: &[u8], enc: Encoding, s: S) -> Result<S::Ok, S::Error> {
    let t = raw.trim_ascii_end();
    if t.is_empty() {
        s.serialize_none()
    } else {
        s.serialize_str(&enc.decode(t))
    }
}

fn write_id_json(raw: &[u8], enc: Encoding, out: &mut Vec<u8>) {
    let t = raw.trim_ascii_end();
    if t.is_empty() {
        crate::field::json::write_null(out);
    } else {
        crate::field::json::write_str_in(t, enc, out);
    }
}

impl crate::field::json::WriteJson for BuildingId<'_> {
    fn write_json(&self, enc: Encoding, out: &mut Vec<u8>) {
        write_id_json(self.raw, enc, out)
    }
}

impl crate::field::json::WriteJson for OldBuildingId<'_> {
    fn write_json(&self, enc: Encoding, out: &mut Vec<u8>) {
        write_id_json(self.raw, enc, out)
    }
}

impl crate::field::SerializeIn for BuildingId<'_> {
    fn serialize_in<S: Serializer>(&self, enc: Encoding, s: S) -> Result<S::Ok, S::Error> {
        serialize_id(self.raw, enc, s)
    }
}

impl crate::field::SerializeIn for OldBuildingId<'_> {
    fn serialize_in<S: Serializer>(&self, enc: Encoding, s: S) -> Result<S::Ok, S::Error> {
        serialize_id(self.raw, enc, s)
    }
}

// ---------------------------------------------------------------------------------------------
// VTJ-PRT

/// A permanent building id field (*pysyvä rakennustunnus*, VTJ-PRT): 10 characters, or blank.
///
/// The value is kept as it stands; [`BuildingId::validate`] checks it (9 digits starting with
/// `1`, then the check character `number mod 31` from [`CHECK_CHARACTERS`], the table shared
/// with the personal identity code). An invalid id read from a file gives a
/// [`DiagnosticKind::InvalidValue`] warning and is written back unchanged.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct BuildingId<'a> {
    raw: &'a [u8],
}

impl<'a> BuildingId<'a> {
    /// An id as it stands in a file (not checked).
    pub fn from_bytes(raw: &'a [u8]) -> Self {
        BuildingId { raw }
    }

    /// An id given as text (not checked).
    pub fn new(id: &'a str) -> Self {
        BuildingId::from_bytes(id.as_bytes())
    }

    /// A blank id.
    pub fn blank() -> BuildingId<'static> {
        BuildingId { raw: b"" }
    }

    /// The bytes as stored.
    pub fn raw(&self) -> &'a [u8] {
        self.raw
    }

    /// True when all spaces.
    pub fn is_blank(&self) -> bool {
        self.raw.trim_ascii_end().is_empty()
    }

    /// The id as text (trailing spaces removed).
    pub fn as_str(&self) -> Cow<'a, str> {
        encoding_rs::mem::decode_latin1(self.raw.trim_ascii_end())
    }

    /// `None` when blank, otherwise whether the id is valid.
    pub fn validate(&self) -> Option<Result<(), BuildingIdError>> {
        (!self.is_blank()).then(|| BuildingId::check(self.raw.trim_ascii_end()))
    }

    /// True for a valid, non-blank id.
    pub fn is_valid(&self) -> bool {
        matches!(self.validate(), Some(Ok(())))
    }

    /// The 10 bytes of a valid id.
    pub fn bytes(&self) -> Option<&'a [u8; BUILDING_ID_LEN]> {
        if self.is_valid() {
            self.raw.trim_ascii_end().try_into().ok()
        } else {
            None
        }
    }

    /// The 9-digit number of a valid id.
    pub fn number(&self) -> Option<u32> {
        self.bytes().map(|b| digits_value(&b[..9]))
    }

    /// Checks exactly the bytes of an id (no padding).
    pub fn check(id: &[u8]) -> Result<(), BuildingIdError> {
        let Ok(b) = <&[u8; BUILDING_ID_LEN]>::try_from(id) else {
            return Err(BuildingIdError::Length);
        };
        if let Some(column) = b[..9].iter().position(|c| !c.is_ascii_digit()) {
            return Err(BuildingIdError::NotDigit { column });
        }
        if b[0] != b'1' {
            return Err(BuildingIdError::FirstDigit);
        }
        if b[9] != BuildingId::check_character(digits_value(&b[..9])) {
            return Err(BuildingIdError::CheckCharacter);
        }
        Ok(())
    }

    /// The check character of a 9-digit number: `number mod 31` in [`CHECK_CHARACTERS`].
    pub fn check_character(number: u32) -> u8 {
        CHECK_CHARACTERS[(number % 31) as usize]
    }

    /// A valid id for a 9-digit number starting with `1` (100000000–199999999), for test data
    /// and generators; `None` for other numbers.
    pub fn make(number: u32) -> Option<[u8; BUILDING_ID_LEN]> {
        if !(100_000_000..=199_999_999).contains(&number) {
            return None;
        }
        let mut out = [0u8; BUILDING_ID_LEN];
        let mut n = number;
        for d in out[..9].iter_mut().rev() {
            *d = b'0' + (n % 10) as u8;
            n /= 10;
        }
        out[9] = BuildingId::check_character(number);
        Some(out)
    }
}

fn digits_value(digits: &[u8]) -> u32 {
    digits.iter().fold(0u32, |n, &d| {
        n.wrapping_mul(10).wrapping_add(u32::from(d - b'0'))
    })
}

impl fmt::Debug for BuildingId<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "BuildingId({:?})", self.as_str())
    }
}

impl Serialize for BuildingId<'_> {
    /// The id as a string, `null` when blank.
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        serialize_id(self.raw, Encoding::Latin1, s)
    }
}

impl<'a> FieldValue<'a> for BuildingId<'a> {
    const KIND: FieldKind = FieldKind::Custom(&BUILDING_ID_KIND);

    #[inline]
    fn parse_field(raw: &'a [u8], _enc: Encoding) -> (Self, Option<DiagnosticKind>) {
        let id = BuildingId::from_bytes(raw);
        let problem = match id.validate() {
            Some(Err(e)) => Some(invalid("building_id", e.reason())),
            _ => None,
        };
        (id, problem)
    }

    fn write_field(
        &self,
        width: usize,
        enc: Encoding,
        out: &mut Vec<u8>,
    ) -> Result<(), FieldWriteError> {
        crate::field::write_left(self.raw, width, enc, out)
    }
}

fn invalid(check: &'static str, reason: &'static str) -> DiagnosticKind {
    DiagnosticKind::InvalidValue { check, reason }
}

/// The field kind `building_id` (VTJ-PRT) for layout files.
pub static BUILDING_ID_KIND: CustomKind = CustomKind {
    name: "building_id",
    description: "permanent building id (pysyvä rakennustunnus, VTJ-PRT): 9 digits and a check character, or blank",
    check: |raw, enc| BuildingId::parse_field(raw, enc).1,
};

/// The field kind `old_building_id` for layout files.
pub static OLD_BUILDING_ID_KIND: CustomKind = CustomKind {
    name: "old_building_id",
    description: "old, property-based building id (kiinteistöön perustuva rakennustunnus): 14-digit property id, check letter, 3-digit building number, or blank",
    check: |raw, enc| OldBuildingId::parse_field(raw, enc).1,
};

// ---------------------------------------------------------------------------------------------
// Old building id

/// An old, property-based building id field (*kiinteistöön perustuva rakennustunnus*):
/// 18 characters without separators, or blank.
///
/// | positions | part |
/// |---|---|
/// | 0–2 | municipality (*kunta*) |
/// | 3–5 | area (*sijaintialue*, village or district) |
/// | 6–9 | group (*ryhmä*, block or house) |
/// | 10–13 | unit (*yksikkö*, plot or parcel) |
/// | 14 | check letter (*tarkistusmerkki*) |
/// | 15–17 | building number (*rakennusnumero*) |
///
/// Positions 0–13 are the property id (*kiinteistötunnus*). The check letter's algorithm is
/// unpublished, so any capital `A`–`Z` is accepted. The parts are available only for a valid id.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct OldBuildingId<'a> {
    raw: &'a [u8],
}

impl<'a> OldBuildingId<'a> {
    /// An id as it stands in a file (not checked).
    pub fn from_bytes(raw: &'a [u8]) -> Self {
        OldBuildingId { raw }
    }

    /// An id given as text, without separators (not checked).
    pub fn new(id: &'a str) -> Self {
        OldBuildingId::from_bytes(id.as_bytes())
    }

    /// A blank id.
    pub fn blank() -> OldBuildingId<'static> {
        OldBuildingId { raw: b"" }
    }

    /// The bytes as stored.
    pub fn raw(&self) -> &'a [u8] {
        self.raw
    }

    /// True when all spaces.
    pub fn is_blank(&self) -> bool {
        self.raw.trim_ascii_end().is_empty()
    }

    /// The id as text (trailing spaces removed).
    pub fn as_str(&self) -> Cow<'a, str> {
        encoding_rs::mem::decode_latin1(self.raw.trim_ascii_end())
    }

    /// `None` when blank, otherwise whether the id is valid.
    pub fn validate(&self) -> Option<Result<(), BuildingIdError>> {
        (!self.is_blank()).then(|| OldBuildingId::check(self.raw.trim_ascii_end()))
    }

    /// True for a valid, non-blank id.
    pub fn is_valid(&self) -> bool {
        matches!(self.validate(), Some(Ok(())))
    }

    /// Checks exactly the bytes of an id (no padding).
    pub fn check(id: &[u8]) -> Result<(), BuildingIdError> {
        let Ok(b) = <&[u8; OLD_BUILDING_ID_LEN]>::try_from(id) else {
            return Err(BuildingIdError::OldLength);
        };
        if let Some(column) = (0..14).chain(15..18).find(|&i| !b[i].is_ascii_digit()) {
            return Err(BuildingIdError::OldNotDigit { column });
        }
        if !b[14].is_ascii_uppercase() {
            return Err(BuildingIdError::OldCheckLetter);
        }
        Ok(())
    }

    /// The text of a valid id (18 ASCII characters).
    fn valid(&self) -> Option<&'a str> {
        let t = self.raw.trim_ascii_end();
        if OldBuildingId::check(t).is_ok() {
            std::str::from_utf8(t).ok()
        } else {
            None
        }
    }

    fn part(&self, from: usize, to: usize) -> Option<&'a str> {
        self.valid().map(|s| &s[from..to])
    }

    /// The 14-digit property id (*kiinteistötunnus*).
    pub fn property_id(&self) -> Option<&'a str> {
        self.part(0, 14)
    }

    /// The municipality number (*kunta*), 3 digits.
    pub fn municipality(&self) -> Option<&'a str> {
        self.part(0, 3)
    }

    /// The area (*sijaintialue*), 3 digits.
    pub fn area(&self) -> Option<&'a str> {
        self.part(3, 6)
    }

    /// The group (*ryhmä*), 4 digits.
    pub fn group(&self) -> Option<&'a str> {
        self.part(6, 10)
    }

    /// The unit (*yksikkö*), 4 digits.
    pub fn unit(&self) -> Option<&'a str> {
        self.part(10, 14)
    }

    /// The check letter (*tarkistusmerkki*).
    pub fn check_letter(&self) -> Option<char> {
        self.valid().and_then(|s| s[14..].chars().next())
    }

    /// The building number (*rakennusnumero*), 3 digits.
    pub fn building_number(&self) -> Option<&'a str> {
        self.part(15, 18)
    }

    /// The written form `KKK-SSS-RRRR-YYYY-T-nnn` of a valid id.
    pub fn formatted(&self) -> Option<String> {
        let s = self.valid()?;
        Some(format!(
            "{}-{}-{}-{}-{}-{}",
            &s[0..3],
            &s[3..6],
            &s[6..10],
            &s[10..14],
            &s[14..15],
            &s[15..18]
        ))
    }

    /// The 18 bytes of an id from its parts; `None` when a part does not fit (municipality and
    /// area above 999, group and unit above 9999, building number above 999, check not `A`–`Z`).
    pub fn make(
        municipality: u16,
        area: u16,
        group: u16,
        unit: u16,
        check: u8,
        building: u16,
    ) -> Option<[u8; OLD_BUILDING_ID_LEN]> {
        if municipality > 999
            || area > 999
            || group > 9999
            || unit > 9999
            || building > 999
            || !check.is_ascii_uppercase()
        {
            return None;
        }
        let s = format!(
            "{municipality:03}{area:03}{group:04}{unit:04}{}{building:03}",
            check as char
        );
        s.as_bytes().try_into().ok()
    }
}

impl fmt::Debug for OldBuildingId<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "OldBuildingId({:?})", self.as_str())
    }
}

impl Serialize for OldBuildingId<'_> {
    /// The id as stored (18 characters, no separators), `null` when blank.
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        serialize_id(self.raw, Encoding::Latin1, s)
    }
}

impl<'a> FieldValue<'a> for OldBuildingId<'a> {
    const KIND: FieldKind = FieldKind::Custom(&OLD_BUILDING_ID_KIND);

    #[inline]
    fn parse_field(raw: &'a [u8], _enc: Encoding) -> (Self, Option<DiagnosticKind>) {
        let id = OldBuildingId::from_bytes(raw);
        let problem = match id.validate() {
            Some(Err(e)) => Some(invalid("old_building_id", e.reason())),
            _ => None,
        };
        (id, problem)
    }

    fn write_field(
        &self,
        width: usize,
        enc: Encoding,
        out: &mut Vec<u8>,
    ) -> Result<(), FieldWriteError> {
        crate::field::write_left(self.raw, width, enc, out)
    }
}

// ---------------------------------------------------------------------------------------------
// Apartment ids and residence codes

/// True for a staircase letter (*porraskirjain*): a capital `A`–`Z`, `Å`, `Ä` or `Ö`.
pub fn is_staircase_letter(c: char) -> bool {
    c.is_ascii_uppercase() || matches!(c, 'Å' | 'Ä' | 'Ö')
}

/// True for a division letter (*jakokirjain*): a small `a`–`z`, `å`, `ä` or `ö`.
pub fn is_division_letter(c: char) -> bool {
    c.is_ascii_lowercase() || matches!(c, 'å' | 'ä' | 'ö')
}

/// Why apartment id parts are not valid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
pub enum ApartmentIdError {
    /// The staircase is not one capital letter `A`–`Ö`.
    #[error("staircase must be one capital letter A-Ö")]
    Staircase,
    /// The number is not 0–999.
    #[error("apartment number must be 000-999")]
    Number,
    /// The division letter is not one small letter `a`–`ö`.
    #[error("division letter must be one small letter a-ö")]
    Division,
}

/// An address-based apartment id (*huoneistotunnus*): staircase letter, number and division
/// letter, each optional (a detached house has none of them).
///
/// ```
/// use muutostieto::building::ids::ApartmentId;
/// let id = ApartmentId::new(Some('B'), Some(33), None).unwrap();
/// assert_eq!(id.to_string(), "B 33");
/// assert_eq!(ApartmentId::new(Some('A'), Some(5), Some('a')).unwrap().to_string(), "A 5 a");
/// assert!(ApartmentId::new(Some('b'), None, None).is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
pub struct ApartmentId {
    staircase: Option<char>,
    number: Option<u16>,
    division: Option<char>,
}

impl ApartmentId {
    /// Checks and builds an apartment id.
    pub fn new(
        staircase: Option<char>,
        number: Option<u16>,
        division: Option<char>,
    ) -> Result<ApartmentId, ApartmentIdError> {
        if staircase.is_some_and(|c| !is_staircase_letter(c)) {
            return Err(ApartmentIdError::Staircase);
        }
        if number.is_some_and(|n| n > 999) {
            return Err(ApartmentIdError::Number);
        }
        if division.is_some_and(|c| !is_division_letter(c)) {
            return Err(ApartmentIdError::Division);
        }
        Ok(ApartmentId {
            staircase,
            number,
            division,
        })
    }

    /// The id from the fixed-width fields of a group (staircase 1, number 3, division 1); a
    /// blank field is an empty part.
    pub fn from_fields(
        staircase: &Text<'_>,
        number: &Digits<'_>,
        division: &Text<'_>,
    ) -> Result<ApartmentId, ApartmentIdError> {
        fn letter(t: &Text<'_>, err: ApartmentIdError) -> Result<Option<char>, ApartmentIdError> {
            let s = t.decode();
            let mut chars = s.trim().chars();
            match (chars.next(), chars.next()) {
                (None, _) => Ok(None),
                (Some(c), None) => Ok(Some(c)),
                _ => Err(err),
            }
        }
        let number = if number.is_blank() {
            None
        } else {
            let n = number.value().ok_or(ApartmentIdError::Number)?;
            Some(u16::try_from(n).map_err(|_| ApartmentIdError::Number)?)
        };
        ApartmentId::new(
            letter(staircase, ApartmentIdError::Staircase)?,
            number,
            letter(division, ApartmentIdError::Division)?,
        )
    }

    /// The staircase letter (*porraskirjain*).
    pub fn staircase(&self) -> Option<char> {
        self.staircase
    }

    /// The apartment number (*huoneistonumero*).
    pub fn number(&self) -> Option<u16> {
        self.number
    }

    /// The division letter (*jakokirjain*).
    pub fn division(&self) -> Option<char> {
        self.division
    }

    /// True when no part is given.
    pub fn is_empty(&self) -> bool {
        self.staircase.is_none() && self.number.is_none() && self.division.is_none()
    }

    /// The residence code of this apartment in building `prt` at address `address_ordinal`
    /// (see [`residence_code`]).
    pub fn residence_code(
        &self,
        prt: &[u8; BUILDING_ID_LEN],
        address_ordinal: Option<u8>,
    ) -> Option<[u8; RESIDENCE_CODE_LEN]> {
        residence_code(
            prt,
            address_ordinal,
            self.staircase,
            self.number,
            self.division,
        )
    }
}

impl fmt::Display for ApartmentId {
    /// The written form used in addresses: `B 33`, `A 5 a`, `12` (parts separated by spaces,
    /// no leading zeros).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts: Vec<String> = Vec::with_capacity(3);
        parts.extend(self.staircase.map(String::from));
        parts.extend(self.number.map(|n| n.to_string()));
        parts.extend(self.division.map(String::from));
        f.write_str(&parts.join(" "))
    }
}

/// The residence code (*asuinpaikantunnus*) that joins persons to apartments: building id (10),
/// address ordinal (1), staircase letter (1), apartment number (3, zero-padded) and division
/// letter (1), with a space for each empty part; 16 characters as ISO-8859-1 bytes (`Ä` is one
/// byte, 0xC4).
///
/// `None` when a part cannot stand in its place: a building id that is not 10 ASCII letters and
/// digits (its check character is not verified here), an ordinal outside 1–9, a staircase that
/// is not `A`–`Ö`, a number above 999, or a division letter that is not `a`–`ö`.
///
/// ```
/// use muutostieto::building::ids::residence_code;
/// let code = residence_code(b"1019191118", Some(2), Some('Ä'), Some(5), Some('ä')).unwrap();
/// assert_eq!(&code, b"10191911182\xc4005\xe4");
/// assert_eq!(residence_code(b"1019191118", Some(1), None, None, None).unwrap(), *b"10191911181     ");
/// assert!(residence_code(b"1019191118", Some(1), Some('x'), None, None).is_none());
/// ```
pub fn residence_code(
    prt: &[u8; BUILDING_ID_LEN],
    address_ordinal: Option<u8>,
    staircase: Option<char>,
    number: Option<u16>,
    division: Option<char>,
) -> Option<[u8; RESIDENCE_CODE_LEN]> {
    if !prt.iter().all(u8::is_ascii_alphanumeric) {
        return None;
    }
    let id = ApartmentId::new(staircase, number, division).ok()?;
    let mut out = [b' '; RESIDENCE_CODE_LEN];
    out[..10].copy_from_slice(prt);
    if let Some(o) = address_ordinal {
        if !(1..=9).contains(&o) {
            return None;
        }
        out[10] = b'0' + o;
    }
    // Staircase and division letters are in U+0000–U+00FF: one ISO-8859-1 byte each.
    if let Some(c) = id.staircase {
        out[11] = u8::try_from(u32::from(c)).ok()?;
    }
    if let Some(n) = id.number {
        out[12] = b'0' + (n / 100) as u8;
        out[13] = b'0' + (n / 10 % 10) as u8;
        out[14] = b'0' + (n % 10) as u8;
    }
    if let Some(c) = id.division {
        out[15] = u8::try_from(u32::from(c)).ok()?;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prt_vectors() {
        for ok in ["122334455R", "199887766E", "100840657D", "1019191118"] {
            assert_eq!(BuildingId::new(ok).validate(), Some(Ok(())), "{ok}");
            let number: u32 = ok[..9].parse().unwrap();
            assert_eq!(BuildingId::make(number).unwrap(), ok.as_bytes());
            assert_eq!(BuildingId::new(ok).number(), Some(number));
        }
        for bad in ["100012345A", "123456789A", "123456789V", "1234567880"] {
            assert_eq!(
                BuildingId::new(bad).validate(),
                Some(Err(BuildingIdError::CheckCharacter)),
                "{bad}"
            );
        }
        assert_eq!(BuildingId::new("          ").validate(), None);
        assert_eq!(BuildingId::blank().validate(), None);
        assert_eq!(
            BuildingId::new("12233445R").validate(),
            Some(Err(BuildingIdError::Length))
        );
        assert_eq!(
            BuildingId::new("222334455R").validate(),
            Some(Err(BuildingIdError::FirstDigit))
        );
        assert_eq!(
            BuildingId::new("1223x4455R").validate(),
            Some(Err(BuildingIdError::NotDigit { column: 4 }))
        );
        assert_eq!(BuildingId::make(99_999_999), None);
        assert_eq!(BuildingId::make(200_000_000), None);
    }

    #[test]
    fn prt_field_keeps_invalid_values() {
        let (id, p) = BuildingId::parse_field(b"123456789A", Encoding::Latin1);
        assert_eq!(
            p,
            Some(DiagnosticKind::InvalidValue {
                check: "building_id",
                reason: "VTJ-PRT check character does not match"
            })
        );
        let msg = p.unwrap().to_string();
        assert!(!msg.contains("123456789A"), "{msg}");
        let mut out = Vec::new();
        id.write_field(10, Encoding::Latin1, &mut out).unwrap();
        assert_eq!(out, b"123456789A");
        assert_eq!(
            BuildingId::parse_field(b"          ", Encoding::Latin1).1,
            None
        );
        assert_eq!(serde_json::to_string(&id).unwrap(), r#""123456789A""#);
        assert_eq!(
            serde_json::to_string(&BuildingId::new("          ")).unwrap(),
            "null"
        );
    }

    #[test]
    fn old_ids() {
        let id = OldBuildingId::new("09100400120005A001");
        assert!(id.is_valid());
        assert_eq!(id.property_id(), Some("09100400120005"));
        assert_eq!(id.municipality(), Some("091"));
        assert_eq!(id.area(), Some("004"));
        assert_eq!(id.group(), Some("0012"));
        assert_eq!(id.unit(), Some("0005"));
        assert_eq!(id.check_letter(), Some('A'));
        assert_eq!(id.building_number(), Some("001"));
        assert_eq!(id.formatted().unwrap(), "091-004-0012-0005-A-001");
        assert_eq!(
            OldBuildingId::make(91, 4, 12, 5, b'A', 1).unwrap(),
            *b"09100400120005A001"
        );
        assert_eq!(OldBuildingId::make(1000, 4, 12, 5, b'A', 1), None);
        assert_eq!(OldBuildingId::make(91, 4, 12, 5, b'a', 1), None);
        for (bad, err) in [
            ("09100400120005a001", BuildingIdError::OldCheckLetter),
            (
                "0910040012000X5001",
                BuildingIdError::OldNotDigit { column: 13 },
            ),
            ("09100400120005A00", BuildingIdError::OldLength),
            ("091-004-0012-0005-A-001", BuildingIdError::OldLength),
        ] {
            let id = OldBuildingId::new(bad);
            assert_eq!(id.validate(), Some(Err(err)), "{bad}");
            assert_eq!(id.formatted(), None);
            assert_eq!(id.property_id(), None);
        }
        assert_eq!(OldBuildingId::blank().validate(), None);
        let (_, p) = OldBuildingId::parse_field(b"09100400120005a001", Encoding::Latin1);
        assert!(matches!(p, Some(DiagnosticKind::InvalidValue { .. })));
    }

    #[test]
    fn residence_codes() {
        assert_eq!(
            &residence_code(b"122334455R", Some(1), Some('B'), Some(33), None).unwrap(),
            b"122334455R1B033 "
        );
        assert_eq!(
            &residence_code(b"122334455R", None, None, Some(7), Some('b')).unwrap(),
            b"122334455R  007b"
        );
        assert!(residence_code(b"122334455R", Some(0), None, None, None).is_none());
        assert!(residence_code(b"122334455R", Some(10), None, None, None).is_none());
        assert!(residence_code(b"122334455R", None, None, Some(1000), None).is_none());
        assert!(residence_code(b"122334455R", None, None, None, Some('B')).is_none());
        assert!(residence_code(b"1223344 5R", None, None, None, None).is_none());
    }

    #[test]
    fn apartment_ids_from_fields() {
        let id = ApartmentId::from_fields(
            &Text::from_bytes(b"\xc4", Encoding::Latin1),
            &Digits::from_bytes(b"012"),
            &Text::from_bytes(b"\xf6", Encoding::Latin1),
        )
        .unwrap();
        assert_eq!(id.staircase(), Some('Ä'));
        assert_eq!(id.number(), Some(12));
        assert_eq!(id.division(), Some('ö'));
        assert_eq!(id.to_string(), "Ä 12 ö");
        let empty = ApartmentId::from_fields(
            &Text::from_bytes(b" ", Encoding::Latin1),
            &Digits::from_bytes(b"   "),
            &Text::from_bytes(b" ", Encoding::Latin1),
        )
        .unwrap();
        assert!(empty.is_empty());
        assert_eq!(
            ApartmentId::from_fields(
                &Text::from_bytes(b"1", Encoding::Latin1),
                &Digits::from_bytes(b"   "),
                &Text::blank(),
            ),
            Err(ApartmentIdError::Staircase)
        );
        assert_eq!(
            ApartmentId::from_fields(&Text::blank(), &Digits::from_bytes(b"1x3"), &Text::blank()),
            Err(ApartmentIdError::Number)
        );
    }
}
