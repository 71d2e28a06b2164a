//! Character encodings of change files (*merkistö*).
//!
//! Delivered `.PTT`/`.MTT` files are ISO-8859-1 (one byte a character). Some consumers re-encode
//! them as UTF-8 (the Java consumer's `.PART` files), where field widths still count
//! *characters*. ISO-8859-15 (Latin-9) is accepted on request.
//!
//! Text stays as bytes until a caller asks for a string: [`Encoding::decode`] returns
//! `Cow::Borrowed` for ASCII and UTF-8 input and allocates only when Latin-1/-9 bytes above
//! 0x7F must be turned into UTF-8.
//!
//! ```
//! use muutostieto::Encoding;
//! assert_eq!(Encoding::Latin1.decode(b"P\xe4l\xf6m\xe4ki"), "Pälömäki");
//! assert_eq!(Encoding::Latin9.decode(b"\xa4"), "€");
//! assert_eq!(Encoding::Utf8.width("Pälö".as_bytes()), 4);
//! ```

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

/// The character encoding of an input file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Encoding {
    /// ISO-8859-1 (*Latin-1*), the encoding of DVV's deliveries. Bytes map to U+0000–U+00FF.
    /// (Not the WHATWG `iso-8859-1` label, which means windows-1252.)
    #[default]
    Latin1,
    /// ISO-8859-15 (*Latin-9*): Latin-1 with `€ Š š Ž ž Œ œ Ÿ` in eight places.
    Latin9,
    /// UTF-8, as in re-encoded `.PART` files: field widths count characters, not bytes.
    Utf8,
}

/// A string that cannot be written in the chosen encoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("character at position {position} cannot be written in {encoding}")]
pub struct Unmappable {
    /// 0-based character position of the first character that has no code in the encoding.
    pub position: usize,
    /// The encoding asked for.
    pub encoding: Encoding,
}

impl Encoding {
    /// All encodings, for command-line help and tests.
    pub const ALL: [Encoding; 3] = [Encoding::Latin1, Encoding::Latin9, Encoding::Utf8];

    /// The name used on the command line (`latin1`, `latin9`, `utf8`).
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Latin1 => "latin1",
            Encoding::Latin9 => "latin9",
            Encoding::Utf8 => "utf8",
        }
    }

    /// True when every character is one byte, so byte offsets equal character offsets.
    #[inline]
    pub fn is_single_byte(self) -> bool {
        !matches!(self, Encoding::Utf8)
    }

    /// Decodes bytes to a string. Borrows when no conversion is needed (ASCII, or valid UTF-8
    /// in [`Encoding::Utf8`]); invalid UTF-8 sequences become U+FFFD.
    pub fn decode(self, bytes: &[u8]) -> Cow<'_, str> {
        match self {
            Encoding::Latin1 => encoding_rs::mem::decode_latin1(bytes),
            Encoding::Latin9 => {
                encoding_rs::ISO_8859_15
                    .decode_without_bom_handling(bytes)
                    .0
            }
            Encoding::Utf8 => String::from_utf8_lossy(bytes),
        }
    }

    /// Encodes a string. Borrows for ASCII and for UTF-8 output.
    pub fn encode(self, text: &str) -> Result<Cow<'_, [u8]>, Unmappable> {
        if self == Encoding::Utf8 || text.is_ascii() {
            return Ok(Cow::Borrowed(text.as_bytes()));
        }
        let mut out = Vec::with_capacity(text.len());
        for (position, ch) in text.chars().enumerate() {
            let byte = match self {
                Encoding::Latin1 => u8::try_from(u32::from(ch)).ok(),
                Encoding::Latin9 => latin9_byte(ch),
                Encoding::Utf8 => None,
            };
            match byte {
                Some(b) => out.push(b),
                None => {
                    return Err(Unmappable {
                        position,
                        encoding: self,
                    })
                }
            }
        }
        Ok(Cow::Owned(out))
    }

    /// Appends `bytes`, read in `self`, to `out` in `to`: copied as they are when no conversion
    /// is needed (same encoding, or ASCII), else decoded and encoded again.
    pub fn transcode(
        self,
        bytes: &[u8],
        to: Encoding,
        out: &mut Vec<u8>,
    ) -> Result<(), Unmappable> {
        if self == to || bytes.is_ascii() {
            out.extend_from_slice(bytes);
            return Ok(());
        }
        let text = self.decode(bytes);
        out.extend_from_slice(&to.encode(&text)?);
        Ok(())
    }

    /// Number of characters in `bytes` (for UTF-8: the number of bytes that start a sequence,
    /// so that a stray byte still counts once and widths stay defined on invalid input).
    #[inline]
    pub fn width(self, bytes: &[u8]) -> usize {
        if self.is_single_byte() {
            bytes.len()
        } else {
            bytes.iter().filter(|&&b| !is_continuation(b)).count()
        }
    }

    /// Byte length of the first `chars` characters of `bytes`, or `Err(available)` with the
    /// number of characters there are when `bytes` holds fewer.
    #[inline]
    pub fn advance(self, bytes: &[u8], chars: usize) -> Result<usize, usize> {
        if self.is_single_byte() {
            return if bytes.len() >= chars {
                Ok(chars)
            } else {
                Err(bytes.len())
            };
        }
        let mut seen = 0usize;
        for (i, &b) in bytes.iter().enumerate() {
            if !is_continuation(b) {
                if seen == chars {
                    return Ok(i);
                }
                seen += 1;
            }
        }
        if seen == chars {
            Ok(bytes.len())
        } else {
            Err(seen)
        }
    }

    /// Byte offset of character `chars` in `bytes`, clamped to the length.
    #[inline]
    pub fn byte_offset(self, bytes: &[u8], chars: usize) -> usize {
        self.advance(bytes, chars).unwrap_or(bytes.len())
    }
}

#[inline]
fn is_continuation(b: u8) -> bool {
    b & 0xC0 == 0x80
}

/// The Latin-9 byte for a character, where there is one.
fn latin9_byte(ch: char) -> Option<u8> {
    Some(match ch {
        '€' => 0xA4,
        'Š' => 0xA6,
        'š' => 0xA8,
        'Ž' => 0xB4,
        'ž' => 0xB8,
        'Œ' => 0xBC,
        'œ' => 0xBD,
        'Ÿ' => 0xBE,
        // The eight Latin-1 characters that Latin-9 replaced are not in Latin-9.
        '¤' | '¦' | '¨' | '´' | '¸' | '¼' | '½' | '¾' => return None,
        c => u8::try_from(u32::from(c)).ok()?,
    })
}

impl fmt::Display for Encoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Encoding::Latin1 => "ISO-8859-1",
            Encoding::Latin9 => "ISO-8859-15",
            Encoding::Utf8 => "UTF-8",
        })
    }
}

/// Error for an encoding name that is not known.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown encoding (expected latin1, latin9 or utf8)")]
pub struct UnknownEncoding;

impl FromStr for Encoding {
    type Err = UnknownEncoding;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().replace('_', "-").as_str() {
            "latin1" | "latin-1" | "iso-8859-1" | "iso8859-1" | "l1" => Ok(Encoding::Latin1),
            "latin9" | "latin-9" | "iso-8859-15" | "iso8859-15" | "l9" => Ok(Encoding::Latin9),
            "utf8" | "utf-8" => Ok(Encoding::Utf8),
            _ => Err(UnknownEncoding),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latin1_is_true_latin1_not_windows_1252() {
        // 0x80 is a C1 control in ISO-8859-1, the euro sign in windows-1252.
        assert_eq!(Encoding::Latin1.decode(&[0x80]), "\u{80}");
        assert_eq!(Encoding::Latin1.encode("\u{80}").unwrap().as_ref(), &[0x80]);
    }

    #[test]
    fn latin9_differs_in_eight_places() {
        assert_eq!(Encoding::Latin9.decode(&[0xA4, 0xA6, 0xBE]), "€ŠŸ");
        assert_eq!(Encoding::Latin9.encode("€").unwrap().as_ref(), &[0xA4]);
        assert!(Encoding::Latin9.encode("¤").is_err());
        assert!(Encoding::Latin1.encode("€").is_err());
    }

    #[test]
    fn ascii_borrows() {
        assert!(matches!(Encoding::Latin1.decode(b"abc"), Cow::Borrowed(_)));
        assert!(matches!(
            Encoding::Latin9.encode("abc"),
            Ok(Cow::Borrowed(_))
        ));
    }

    #[test]
    fn utf8_widths_count_characters() {
        let s = "äö|x".as_bytes();
        assert_eq!(Encoding::Utf8.advance(s, 2), Ok(4));
        assert_eq!(Encoding::Utf8.advance(s, 4), Ok(6));
        assert_eq!(Encoding::Utf8.advance(s, 5), Err(4));
        assert_eq!(Encoding::Latin1.advance(s, 7), Err(6));
        assert_eq!(Encoding::Utf8.width(s), 4);
        // A stray continuation byte never splits a sequence and never panics.
        assert_eq!(Encoding::Utf8.advance(&[0x80, 0x80, b'a'], 1), Ok(3));
    }

    #[test]
    fn names_parse() {
        for e in Encoding::ALL {
            assert_eq!(e.name().parse::<Encoding>(), Ok(e));
        }
        assert!("cp1252".parse::<Encoding>().is_err());
    }
}
