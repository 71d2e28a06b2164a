//! Finnish personal identity code (*henkilötunnus*, "hetu").
//!
//! An identity code is 11 ASCII characters `DDMMYYCNNNQ`:
//!
//! | bytes | meaning |
//! | ----- | ------- |
//! | 0–5   | birth date `DDMMYY` (*syntymäaika*) |
//! | 6     | century sign (*välimerkki*): `+` = 1800s; `-`, `Y`, `X`, `W`, `V`, `U` = 1900s; `A`, `B`, `C`, `D`, `E`, `F` = 2000s |
//! | 7–9   | individual number (*yksilönumero*) `002`–`899`, `900`–`999` for test ids; odd = male, even = female |
//! | 10    | check character (*tarkistusmerkki*): `0123456789ABCDEFHJKLMNPRSTUVWXY` indexed by `DDMMYYNNN mod 31` |
//!
//! Identity codes are personal data. Nothing in this module prints one by
//! accident: [`Hetu`]'s `Debug` output is redacted and [`HetuError`] only
//! reports a column and what is wrong, never a value from the input.
//!
//! # Example
//!
//! ```
//! use muutostieto::hetu::{Century, Hetu, HetuError, Sex};
//!
//! let id = Hetu::parse(b"131052-308T")?;
//! assert_eq!(id.birth_date(), chrono::NaiveDate::from_ymd_opt(1952, 10, 13).unwrap());
//! assert_eq!(id.century(), Century::Years1900(b'-'));
//! assert_eq!(id.individual_number(), 308);
//! assert_eq!(id.sex(), Sex::Female);
//! assert!(!id.is_test_id());
//! assert_eq!(format!("{id:?}"), "Hetu(..)");
//!
//! // Errors tell where and what, never the value.
//! let err = Hetu::parse(b"131052-308U").unwrap_err();
//! assert_eq!(err, HetuError::CheckCharacter { column: 10 });
//! assert_eq!(err.to_string(), "check character does not match at column 10");
//!
//! // Build a valid test id (individual number 900–999).
//! let date = chrono::NaiveDate::from_ymd_opt(2001, 1, 1).unwrap();
//! let bytes = Hetu::make(date, 900, false).unwrap();
//! assert_eq!(&bytes, b"010101A900R");
//! assert!(Hetu::parse(&bytes)?.is_test_id());
//! # Ok::<(), HetuError>(())
//! ```

use std::fmt;

use chrono::{Datelike, NaiveDate};

/// Length of an identity code in bytes.
pub const HETU_LEN: usize = 11;

/// The check character alphabet (*tarkistusmerkki*), indexed by
/// `DDMMYYNNN mod 31`.
pub const CHECK_CHARACTERS: &[u8; 31] = b"0123456789ABCDEFHJKLMNPRSTUVWXY";

/// Base year by century sign byte (0: not a sign), the table behind [`Hetu::is_valid`]; the
/// same signs as [`Century::from_sign`] (a test keeps the two alike).
const CENTURY_BASE: [u16; 256] = {
    let mut t = [0u16; 256];
    t[b'+' as usize] = 1800;
    let mut i = 0;
    while i < 6 {
        t[b"-YXWVU"[i] as usize] = 1900;
        t[b"ABCDEF"[i] as usize] = 2000;
        i += 1;
    }
    t
};

/// Column of the century sign.
const SIGN_COLUMN: usize = 6;
/// Column of the first digit of the individual number.
const INDIVIDUAL_COLUMN: usize = 7;
/// Column of the check character.
const CHECK_COLUMN: usize = 10;

/// Why a byte string is not a valid identity code.
///
/// Every variant carries the 0-based `column` (byte offset inside the
/// 11 bytes) of the first offending character. The `Display` text never
/// contains any value from the input (identity codes are personal data).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
pub enum HetuError {
    /// Not exactly 11 bytes. `column` is where the input ends early
    /// (its length) or 11 when it is too long.
    #[error("identity code must be exactly 11 bytes, problem at column {column}")]
    Length {
        /// 0-based byte offset.
        column: usize,
    },
    /// A byte outside ASCII.
    #[error("non-ASCII byte at column {column}")]
    NotAscii {
        /// 0-based byte offset.
        column: usize,
    },
    /// The birth date (*syntymäaika*) has a non-digit or is not a real
    /// calendar date in the century given by the sign.
    #[error("invalid birth date at column {column}")]
    BirthDate {
        /// 0-based byte offset (0 = day, 2 = month, or the non-digit).
        column: usize,
    },
    /// The century sign (*välimerkki*) is not one of `+ - Y X W V U A B C D E F`.
    #[error("invalid century sign at column {column}")]
    CenturySign {
        /// 0-based byte offset (always 6).
        column: usize,
    },
    /// The individual number (*yksilönumero*) has a non-digit or is 000/001
    /// (never issued).
    #[error("invalid individual number at column {column}")]
    IndividualNumber {
        /// 0-based byte offset.
        column: usize,
    },
    /// The check character (*tarkistusmerkki*) does not match the rest.
    #[error("check character does not match at column {column}")]
    CheckCharacter {
        /// 0-based byte offset (always 10).
        column: usize,
    },
}

impl HetuError {
    /// 0-based byte offset of the first offending character.
    pub fn column(&self) -> usize {
        match *self {
            HetuError::Length { column }
            | HetuError::NotAscii { column }
            | HetuError::BirthDate { column }
            | HetuError::CenturySign { column }
            | HetuError::IndividualNumber { column }
            | HetuError::CheckCharacter { column } => column,
        }
    }

    /// What is wrong, without the column (for embedding in other messages).
    pub fn reason(&self) -> &'static str {
        match self {
            HetuError::Length { .. } => "identity code must be exactly 11 bytes",
            HetuError::NotAscii { .. } => "non-ASCII byte",
            HetuError::BirthDate { .. } => "invalid birth date",
            HetuError::CenturySign { .. } => "invalid century sign",
            HetuError::IndividualNumber { .. } => "invalid individual number",
            HetuError::CheckCharacter { .. } => "check character does not match",
        }
    }

    /// The same error with its column moved by `offset` (useful when the
    /// identity code sits inside a longer line).
    pub fn shifted(self, offset: usize) -> HetuError {
        let c = |column: usize| column.saturating_add(offset);
        match self {
            HetuError::Length { column } => HetuError::Length { column: c(column) },
            HetuError::NotAscii { column } => HetuError::NotAscii { column: c(column) },
            HetuError::BirthDate { column } => HetuError::BirthDate { column: c(column) },
            HetuError::CenturySign { column } => HetuError::CenturySign { column: c(column) },
            HetuError::IndividualNumber { column } => {
                HetuError::IndividualNumber { column: c(column) }
            }
            HetuError::CheckCharacter { column } => HetuError::CheckCharacter { column: c(column) },
        }
    }
}

/// Century of birth given by the century sign (*välimerkki*); the sign
/// byte itself is kept because several signs mean the same century.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Century {
    /// Born 1800–1899; sign `+`.
    Years1800(u8),
    /// Born 1900–1999; sign `-`, or since 2023 also `Y`, `X`, `W`, `V`, `U`.
    Years1900(u8),
    /// Born 2000–2099; sign `A`, or since 2023 also `B`, `C`, `D`, `E`, `F`.
    Years2000(u8),
}

impl Century {
    /// Interprets a century sign byte; `None` if it is not a valid sign.
    pub fn from_sign(sign: u8) -> Option<Century> {
        match sign {
            b'+' => Some(Century::Years1800(sign)),
            b'-' | b'Y' | b'X' | b'W' | b'V' | b'U' => Some(Century::Years1900(sign)),
            b'A' | b'B' | b'C' | b'D' | b'E' | b'F' => Some(Century::Years2000(sign)),
            _ => None,
        }
    }

    /// The sign byte as written in the identity code.
    pub fn sign(&self) -> u8 {
        match *self {
            Century::Years1800(s) | Century::Years1900(s) | Century::Years2000(s) => s,
        }
    }

    /// First year of the century: 1800, 1900 or 2000.
    pub fn base_year(&self) -> i32 {
        match self {
            Century::Years1800(_) => 1800,
            Century::Years1900(_) => 1900,
            Century::Years2000(_) => 2000,
        }
    }

    /// Whether the sign is one of the signs introduced in 2023
    /// (`Y X W V U B C D E F`).
    pub fn is_modern_sign(&self) -> bool {
        !matches!(self.sign(), b'+' | b'-' | b'A')
    }
}

/// Legal sex (*sukupuoli*) as encoded by the parity of the individual number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Sex {
    /// Odd individual number (*mies*).
    Male,
    /// Even individual number (*nainen*).
    Female,
}

/// A validated personal identity code (*henkilötunnus*), borrowed from
/// the input bytes.
///
/// `Debug` prints `Hetu(..)` only; use [`Hetu::as_str`] when the value is
/// really needed.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Hetu<'a> {
    bytes: &'a [u8; HETU_LEN],
    /// Year, month and day of birth (checked to be a calendar date).
    ymd: (u16, u8, u8),
    century: Century,
    individual: u16,
    check: u8,
}

impl fmt::Debug for Hetu<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Hetu(..)")
    }
}

impl<'a> TryFrom<&'a [u8]> for Hetu<'a> {
    type Error = HetuError;

    fn try_from(value: &'a [u8]) -> Result<Self, Self::Error> {
        Hetu::parse(value)
    }
}

/// Value of two ASCII digits, or the column of the first non-digit.
fn two_digits(a: u8, b: u8, column: usize) -> Result<u32, usize> {
    let d = |x: u8, col: usize| {
        if x.is_ascii_digit() {
            Ok(u32::from(x - b'0'))
        } else {
            Err(col)
        }
    };
    Ok(d(a, column)? * 10 + d(b, column + 1)?)
}

impl<'a> Hetu<'a> {
    /// Validates exactly 11 bytes (no trimming) as an identity code.
    ///
    /// Errors report the first offending column; see [`HetuError`].
    pub fn parse(bytes: &'a [u8]) -> Result<Hetu<'a>, HetuError> {
        let b: &'a [u8; HETU_LEN] = bytes.try_into().map_err(|_| HetuError::Length {
            column: bytes.len().min(HETU_LEN),
        })?;
        if let Some(column) = b.iter().position(|x| !x.is_ascii()) {
            return Err(HetuError::NotAscii { column });
        }
        let bad_date = |column| HetuError::BirthDate { column };
        let day = two_digits(b[0], b[1], 0).map_err(bad_date)?;
        let month = two_digits(b[2], b[3], 2).map_err(bad_date)?;
        let yy = two_digits(b[4], b[5], 4).map_err(bad_date)?;
        if !(1..=12).contains(&month) {
            return Err(bad_date(2));
        }
        // Leap year 2000 has every possible (day, month) pair.
        if !is_valid_ymd(2000, month, day) {
            return Err(bad_date(0));
        }
        let century = Century::from_sign(b[SIGN_COLUMN]).ok_or(HetuError::CenturySign {
            column: SIGN_COLUMN,
        })?;
        // yy <= 99, so the cast cannot truncate.
        let year = century.base_year() + yy as i32;
        if year < 0 || !is_valid_ymd(year as u32, month, day) {
            return Err(bad_date(0));
        }

        let mut individual: u16 = 0;
        for (i, &x) in b[INDIVIDUAL_COLUMN..CHECK_COLUMN].iter().enumerate() {
            if !x.is_ascii_digit() {
                return Err(HetuError::IndividualNumber {
                    column: INDIVIDUAL_COLUMN + i,
                });
            }
            individual = individual * 10 + u16::from(x - b'0');
        }
        if individual < 2 {
            return Err(HetuError::IndividualNumber {
                column: INDIVIDUAL_COLUMN,
            });
        }
        let ddmmyy = day * 10_000 + month * 100 + yy;
        let check = b[CHECK_COLUMN];
        if check != check_character_for(ddmmyy, individual) {
            return Err(HetuError::CheckCharacter {
                column: CHECK_COLUMN,
            });
        }
        Ok(Hetu {
            bytes: b,
            ymd: (year as u16, month as u8, day as u8),
            century,
            individual,
            check,
        })
    }

    /// True when `bytes` is a valid identity code: the same answer as [`Hetu::parse`]`.is_ok()`,
    /// without building the value or the error (the check every record's header needs).
    ///
    /// ```
    /// use muutostieto::hetu::Hetu;
    /// assert!(Hetu::is_valid(b"131052-308T"));
    /// assert!(!Hetu::is_valid(b"131052-308U"));
    /// ```
    #[inline]
    pub fn is_valid(bytes: &[u8]) -> bool {
        let Ok(b) = <&[u8; HETU_LEN]>::try_from(bytes) else {
            return false;
        };
        // Digits at 0..6 and 7..10: all ten bytes minus '0' below 10.
        let mut bad = 0u8;
        let mut d = [0u32; HETU_LEN];
        for i in [0, 1, 2, 3, 4, 5, 7, 8, 9] {
            let v = b[i].wrapping_sub(b'0');
            bad |= u8::from(v > 9);
            d[i] = u32::from(v);
        }
        let base = match CENTURY_BASE[usize::from(b[SIGN_COLUMN])] {
            0 => return false,
            y => u32::from(y),
        };
        if bad != 0 {
            return false;
        }
        let day = d[0] * 10 + d[1];
        let month = d[2] * 10 + d[3];
        let yy = d[4] * 10 + d[5];
        let individual = d[7] * 100 + d[8] * 10 + d[9];
        individual >= 2
            && is_valid_ymd(base + yy, month, day)
            && b[CHECK_COLUMN]
                == check_character_for(day * 10_000 + month * 100 + yy, individual as u16)
    }

    /// The 11 bytes as given.
    pub fn as_bytes(&self) -> &'a [u8] {
        self.bytes
    }

    /// The identity code as text (it is ASCII once valid).
    pub fn as_str(&self) -> &'a str {
        // Every byte was checked to be ASCII when parsed.
        std::str::from_utf8(self.bytes).unwrap_or_default()
    }

    /// Birth date (*syntymäaika*), with the century from the sign.
    pub fn birth_date(&self) -> NaiveDate {
        let (y, m, d) = self.ymd;
        // Checked to be a calendar date when parsed.
        NaiveDate::from_ymd_opt(i32::from(y), u32::from(m), u32::from(d)).unwrap_or_default()
    }

    /// Century of birth, with the sign as written.
    pub fn century(&self) -> Century {
        self.century
    }

    /// Individual number (*yksilönumero*), 2–999.
    pub fn individual_number(&self) -> u16 {
        self.individual
    }

    /// Check character (*tarkistusmerkki*) byte.
    pub fn check_character(&self) -> u8 {
        self.check
    }

    /// Whether this is a test id (individual number 900–999).
    pub fn is_test_id(&self) -> bool {
        self.individual >= 900
    }

    /// Sex from the parity of the individual number (odd = male).
    pub fn sex(&self) -> Sex {
        if self.individual % 2 == 1 {
            Sex::Male
        } else {
            Sex::Female
        }
    }

    /// Builds a valid identity code for a birth date and individual number.
    ///
    /// The century sign is chosen from the year: `+` for 1800–1899, `-`
    /// (or `Y` when `modern_sign`) for 1900–1999, `A` (or `B` when
    /// `modern_sign`) for 2000–2099. Returns `None` for years outside
    /// 1800–2099 or an individual number outside 2–999.
    ///
    /// ```
    /// use muutostieto::hetu::Hetu;
    /// let d = chrono::NaiveDate::from_ymd_opt(1952, 10, 13).unwrap();
    /// assert_eq!(&Hetu::make(d, 308, false).unwrap(), b"131052-308T");
    /// assert_eq!(&Hetu::make(d, 308, true).unwrap(), b"131052Y308T");
    /// ```
    pub fn make(date: NaiveDate, individual: u16, modern_sign: bool) -> Option<[u8; HETU_LEN]> {
        if !(2..=999).contains(&individual) {
            return None;
        }
        let year = date.year();
        let sign = match year {
            1800..=1899 => b'+',
            1900..=1999 if modern_sign => b'Y',
            1900..=1999 => b'-',
            2000..=2099 if modern_sign => b'B',
            2000..=2099 => b'A',
            _ => return None,
        };
        let yy = year.rem_euclid(100).unsigned_abs();
        let ddmmyy = date.day() * 10_000 + date.month() * 100 + yy;
        let mut out = [0u8; HETU_LEN];
        let digit = |v: u32| b'0' + (v % 10) as u8;
        out[0] = digit(date.day() / 10);
        out[1] = digit(date.day());
        out[2] = digit(date.month() / 10);
        out[3] = digit(date.month());
        out[4] = digit(yy / 10);
        out[5] = digit(yy);
        out[6] = sign;
        let ind = u32::from(individual);
        out[7] = digit(ind / 100);
        out[8] = digit(ind / 10);
        out[9] = digit(ind);
        out[10] = check_character_for(ddmmyy, individual);
        Some(out)
    }
}

/// Check character (*tarkistusmerkki*) for a birth date given as the number
/// `DDMMYY` (e.g. `131052`) and an individual number (e.g. `308`).
///
/// ```
/// assert_eq!(muutostieto::hetu::check_character_for(131052, 308), b'T');
/// ```
pub fn check_character_for(birth_ddmmyy: u32, individual: u16) -> u8 {
    // At most 999_999 * 1000 + 999 < 2^32 for the six digits and three of a real code; larger
    // arguments take the 64-bit way.
    let n = u64::from(birth_ddmmyy) * 1000 + u64::from(individual);
    let rem = match u32::try_from(n) {
        Ok(n) => n % 31,
        Err(_) => (n % 31) as u32,
    };
    // rem < 31 = CHECK_CHARACTERS.len(), so the index is always in range.
    CHECK_CHARACTERS[rem as usize]
}

/// True when year/month/day form a calendar date (proleptic Gregorian), without building one.
#[inline]
pub fn is_valid_ymd(year: u32, month: u32, day: u32) -> bool {
    // Days in each month of a leap year; index 0 and 13.. are no month.
    const MAX_DAY: [u8; 16] = [0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31, 0, 0, 0];
    let max = MAX_DAY.get(month as usize).map_or(0, |&d| u32::from(d));
    // Only 29 February asks whether the year is a leap year.
    (1..=max).contains(&day)
        && (month != 2 || day != 29 || (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("test date")
    }

    #[test]
    fn known_valid_ids() {
        let h = Hetu::parse(b"131052-308T").expect("valid");
        assert_eq!(h.birth_date(), date(1952, 10, 13));
        assert_eq!(h.century(), Century::Years1900(b'-'));
        assert_eq!(h.individual_number(), 308);
        assert_eq!(h.check_character(), b'T');
        assert_eq!(h.sex(), Sex::Female);
        assert!(!h.is_test_id());
        assert_eq!(h.as_str(), "131052-308T");
        assert_eq!(h.as_bytes(), b"131052-308T");

        let h = Hetu::parse(b"010101A900R").expect("valid");
        assert_eq!(h.birth_date(), date(2001, 1, 1));
        assert!(h.is_test_id());
        assert_eq!(h.sex(), Sex::Female);

        let h = Hetu::parse(b"311299-999E").expect("valid");
        assert_eq!(h.birth_date(), date(1999, 12, 31));
        assert_eq!(h.sex(), Sex::Male);
        assert!(h.is_test_id());

        // 29 February in a leap year (2000).
        let h = Hetu::parse(b"290200A002C").expect("valid");
        assert_eq!(h.birth_date(), date(2000, 2, 29));

        // The check character may be a digit.
        let h = Hetu::parse(b"010180-0025").expect("valid");
        assert_eq!(h.check_character(), b'5');

        // From the sample list.
        assert!(Hetu::parse(b"150755-8929").is_ok());
        assert!(Hetu::parse(b"241150-6518").is_ok());
        assert!(Hetu::parse(b"060371-807M").is_ok());
    }

    #[test]
    fn all_century_signs() {
        let cases: &[(u8, i32)] = &[
            (b'+', 1800),
            (b'-', 1900),
            (b'Y', 1900),
            (b'X', 1900),
            (b'W', 1900),
            (b'V', 1900),
            (b'U', 1900),
            (b'A', 2000),
            (b'B', 2000),
            (b'C', 2000),
            (b'D', 2000),
            (b'E', 2000),
            (b'F', 2000),
        ];
        for &(sign, base) in cases {
            let mut id = *b"131052-308T";
            id[6] = sign;
            let h = Hetu::parse(&id).expect("valid with every sign");
            assert_eq!(h.century().sign(), sign);
            assert_eq!(h.century().base_year(), base);
            assert_eq!(h.birth_date(), date(base + 52, 10, 13));
            assert_eq!(
                h.century().is_modern_sign(),
                !matches!(sign, b'+' | b'-' | b'A')
            );
        }
        for sign in [b'Z', b'G', b'a', b'y', b' ', b'*', b'0'] {
            let mut id = *b"131052-308T";
            id[6] = sign;
            assert_eq!(Hetu::parse(&id), Err(HetuError::CenturySign { column: 6 }));
        }
    }

    #[test]
    fn bad_check_character() {
        assert_eq!(
            Hetu::parse(b"131052-308U"),
            Err(HetuError::CheckCharacter { column: 10 })
        );
        // Lower case is not accepted.
        assert_eq!(
            Hetu::parse(b"131052-308t"),
            Err(HetuError::CheckCharacter { column: 10 })
        );
    }

    #[test]
    fn bad_dates() {
        // 31 February.
        assert_eq!(
            Hetu::parse(b"310299-999E"),
            Err(HetuError::BirthDate { column: 0 })
        );
        // 29 February 1900 is not a leap day, 2000 is.
        let id = Hetu::make(date(2000, 2, 29), 2, false).expect("make");
        let mut id1900 = id;
        id1900[6] = b'-';
        id1900[10] = check_character_for(290200, 2);
        assert!(Hetu::parse(&id).is_ok());
        assert_eq!(
            Hetu::parse(&id1900),
            Err(HetuError::BirthDate { column: 0 })
        );
        assert_eq!(
            Hetu::parse(b"001052-308T"),
            Err(HetuError::BirthDate { column: 0 })
        );
        assert_eq!(
            Hetu::parse(b"131352-308T"),
            Err(HetuError::BirthDate { column: 2 })
        );
        assert_eq!(
            Hetu::parse(b"13105x-308T"),
            Err(HetuError::BirthDate { column: 5 })
        );
    }

    #[test]
    fn unissued_individual_numbers() {
        for ind in [0u16, 1] {
            let mut id = *b"131052-000T";
            id[9] = b'0' + ind as u8;
            id[10] = check_character_for(131052, ind);
            assert_eq!(
                Hetu::parse(&id),
                Err(HetuError::IndividualNumber { column: 7 })
            );
        }
        assert_eq!(
            Hetu::parse(b"131052-3x8T"),
            Err(HetuError::IndividualNumber { column: 8 })
        );
    }

    #[test]
    fn wrong_length_and_non_ascii() {
        assert_eq!(Hetu::parse(b""), Err(HetuError::Length { column: 0 }));
        assert_eq!(
            Hetu::parse(b"131052-308"),
            Err(HetuError::Length { column: 10 })
        );
        assert_eq!(
            Hetu::parse(b"131052-308T "),
            Err(HetuError::Length { column: 11 })
        );
        assert_eq!(
            Hetu::parse(b" 131052-308T"),
            Err(HetuError::Length { column: 11 })
        );
        assert_eq!(
            Hetu::parse(b"131052\xc3\xa4308"),
            Err(HetuError::NotAscii { column: 6 })
        );
    }

    #[test]
    fn messages_and_debug_contain_no_values() {
        let h = Hetu::parse(b"131052-308T").expect("valid");
        assert_eq!(format!("{h:?}"), "Hetu(..)");
        let errors = [
            Hetu::parse(b"131052-308U").unwrap_err(),
            Hetu::parse(b"131052Z308T").unwrap_err(),
            Hetu::parse(b"131052-3").unwrap_err(),
        ];
        for e in errors {
            for text in [e.to_string(), format!("{e:?}")] {
                assert!(!text.contains("131052"), "{text}");
                assert!(!text.contains("308"), "{text}");
            }
        }
        assert_eq!(
            HetuError::CenturySign { column: 6 }.to_string(),
            "invalid century sign at column 6"
        );
        assert_eq!(
            HetuError::CheckCharacter { column: 10 }.shifted(2).column(),
            12
        );
    }

    #[test]
    fn make_limits() {
        assert_eq!(Hetu::make(date(1799, 12, 31), 900, false), None);
        assert_eq!(Hetu::make(date(2100, 1, 1), 900, false), None);
        assert_eq!(Hetu::make(date(2000, 1, 1), 1, false), None);
        assert_eq!(Hetu::make(date(2000, 1, 1), 1000, false), None);
        assert_eq!(
            &Hetu::make(date(1800, 1, 1), 2, true).expect("make")[6..7],
            b"+"
        );
        assert_eq!(
            &Hetu::make(date(2099, 12, 31), 999, true).expect("make")[6..7],
            b"B"
        );
        assert_eq!(
            &Hetu::make(date(1952, 10, 13), 308, false).expect("make"),
            b"131052-308T"
        );
    }

    #[test]
    fn calendar_check_agrees_with_chrono() {
        for year in (0..=2400).chain([9999]) {
            for month in 0..=16 {
                for day in 0..=33 {
                    let chrono = chrono::NaiveDate::from_ymd_opt(year as i32, month, day).is_some();
                    assert_eq!(
                        is_valid_ymd(year, month, day),
                        chrono,
                        "{year}-{month}-{day}"
                    );
                }
            }
        }
    }

    #[test]
    fn century_table_matches_signs() {
        for b in 0..=255u8 {
            let base = Century::from_sign(b).map_or(0, |c| c.base_year() as u16);
            assert_eq!(CENTURY_BASE[usize::from(b)], base, "{b}");
        }
    }

    proptest! {
        #[test]
        fn make_parse_round_trip(
            days in 0i64..(200 * 366),
            individual in 2u16..=999,
            modern in any::<bool>(),
        ) {
            let d = date(1800, 1, 1) + chrono::Duration::days(days);
            prop_assume!(d.year() <= 2099);
            let bytes = Hetu::make(d, individual, modern).expect("in range");
            let h = Hetu::parse(&bytes).expect("made ids are valid");
            prop_assert_eq!(h.birth_date(), d);
            prop_assert_eq!(h.individual_number(), individual);
            prop_assert_eq!(h.is_test_id(), individual >= 900);
            prop_assert_eq!(h.century().is_modern_sign(), modern && d.year() >= 1900);
            prop_assert_eq!(h.as_bytes(), &bytes[..]);
        }

        #[test]
        fn parse_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..=20)) {
            match Hetu::parse(&bytes) {
                Ok(h) => prop_assert_eq!(h.as_bytes(), &bytes[..]),
                Err(e) => prop_assert!(e.column() <= HETU_LEN),
            }
        }

        #[test]
        fn is_valid_agrees_with_parse(bytes in proptest::collection::vec(
            prop_oneof![Just(b'0'), Just(b'1'), Just(b'2'), Just(b'3'), Just(b'9'), Just(b'-'),
                Just(b'A'), Just(b'+'), Just(b'Y'), any::<u8>()], 10..=12)) {
            prop_assert_eq!(Hetu::is_valid(&bytes), Hetu::parse(&bytes).is_ok());
        }

        #[test]
        fn is_valid_agrees_on_valid_ids(day in 1u32..=31, month in 1u32..=12, yy in 0u32..100,
            sign in proptest::sample::select(&b"+-YXWVUABCDEF"[..]), individual in 0u16..1000,
            wrong in 0usize..2) {
            let ddmmyy = day * 10_000 + month * 100 + yy;
            let mut check = check_character_for(ddmmyy, individual);
            if wrong == 1 { check = if check == b'0' { b'1' } else { b'0' }; }
            let id = format!("{day:02}{month:02}{yy:02}{}{individual:03}{}", sign as char, check as char);
            prop_assert_eq!(Hetu::is_valid(id.as_bytes()), Hetu::parse(id.as_bytes()).is_ok(), "{}", id);
        }

        #[test]
        fn parse_never_panics_on_near_ids(
            bytes in proptest::collection::vec(
                prop_oneof![Just(b'0'), Just(b'1'), Just(b'9'), Just(b'-'), Just(b'A'), Just(b'+'), any::<u8>()],
                11,
            )
        ) {
            let _ = Hetu::parse(&bytes);
        }
    }
}
