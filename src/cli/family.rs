//! Record families on the command line: `--kind`, `--layout`, and detection from each file's
//! first record line.
//!
//! Verbs are written once, generically over [`Family`], and instantiated per family by
//! [`with_family!`]: adding a family is one arm there, one variant of [`Kind`] and [`KindArg`],
//! and one [`CliFamily`] impl.

use std::cell::Cell;
use std::io::{self, BufRead, Read};
use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};
use muutostieto::building::Building;
use muutostieto::detect::{self, FileKind};
use muutostieto::dynamic::Dynamic;
use muutostieto::layout::{FieldKind, LayoutFile, Schema};
use muutostieto::person::Person;
use muutostieto::record::{Family, HeaderPart};
use muutostieto::{Encoding, ParseOptions};

use super::io::{display_name, open, open_mapped, read_all, Input};
use super::report::Report;

/// Bytes read ahead to find the first record line of an input.
const PEEK_LIMIT: usize = 64 * 1024;

/// The `--kind` choices: the built-in record families.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum KindArg {
    /// Person records (.PTT, .MTT).
    Person,
    /// Building and apartment records (the built-in layout is a reconstruction).
    Building,
}

impl KindArg {
    /// The built-in layouts of the family.
    pub fn schema(self) -> &'static Schema {
        match self {
            KindArg::Person => muutostieto::person::schema(),
            KindArg::Building => muutostieto::building::schema(),
        }
    }
}

/// `--kind` and `--layout`, shared by the reading verbs.
#[derive(Debug, Clone, Args)]
pub struct FamilyArgs {
    /// Record family of the inputs. Without --kind and --layout it is told per file from the
    /// first record line (person when it cannot be told).
    #[arg(long, value_enum, conflicts_with = "layout")]
    pub kind: Option<KindArg>,
    /// Read the records with the layouts of this layout file (TOML; start from `muutostieto
    /// layout show person`).
    #[arg(long, value_name = "FILE")]
    pub layout: Option<PathBuf>,
    /// Read regular files through a memory map instead of read calls (the output is the
    /// same; a file truncated by another program while it is read ends the process).
    #[arg(long)]
    pub mmap: bool,
}

/// The family a file is read as.
#[derive(Debug, Clone, Copy)]
pub enum Kind<'s> {
    /// Built-in person layouts.
    Person,
    /// Built-in building layouts.
    Building,
    /// Layouts loaded from a layout file.
    Layout(&'s Schema),
}

impl Kind<'_> {
    /// `person`, `building` or `layout`.
    pub fn name(&self) -> &'static str {
        match self {
            Kind::Person => "person",
            Kind::Building => "building",
            Kind::Layout(_) => "layout",
        }
    }

    /// The layouts.
    pub fn schema(&self) -> &Schema {
        match self {
            Kind::Person => muutostieto::person::schema(),
            Kind::Building => muutostieto::building::schema(),
            Kind::Layout(s) => s,
        }
    }
}

/// Runs `$body` with `$family` bound to the [`Family`] value of a [`Kind`]: the body is
/// compiled once per family.
macro_rules! with_family {
    ($kind:expr, |$family:ident| $body:expr) => {
        match $kind {
            $crate::cli::family::Kind::Person => {
                let $family = muutostieto::person::Person;
                $body
            }
            $crate::cli::family::Kind::Building => {
                let $family = muutostieto::building::Building;
                $body
            }
            $crate::cli::family::Kind::Layout(schema) => {
                let $family = muutostieto::dynamic::Dynamic::new(schema);
                $body
            }
        }
    };
}
pub(crate) use with_family;

/// What the verbs need of a family beyond [`Family`].
pub trait CliFamily: Family {
    /// The header's facts (key, event, registration date, change type), when the family's
    /// header tells them.
    fn header_part<'h>(header: &'h Self::Header<'_>) -> Option<&'h dyn HeaderPart>;
}

impl CliFamily for Person {
    fn header_part<'h>(header: &'h Self::Header<'_>) -> Option<&'h dyn HeaderPart> {
        Some(header)
    }
}

impl CliFamily for Building {
    fn header_part<'h>(header: &'h Self::Header<'_>) -> Option<&'h dyn HeaderPart> {
        Some(header)
    }
}

impl CliFamily for Dynamic<'_> {
    fn header_part<'h>(header: &'h Self::Header<'_>) -> Option<&'h dyn HeaderPart> {
        Some(header)
    }
}

/// What a schema's record keys are, by the kind of the first header field: `("person",
/// "persons")`, `("building", "buildings")` or `("key", "keys")`.
pub fn key_noun(schema: &Schema) -> (&'static str, &'static str) {
    match schema.header.fields.first().map(|f| f.kind) {
        Some(FieldKind::PersonId) => ("person", "persons"),
        Some(FieldKind::Custom(k)) if k.name.contains("building") => ("building", "buildings"),
        _ => ("key", "keys"),
    }
}

/// How the family of every input is chosen: fixed by `--kind` or `--layout`, or detected.
pub struct Families {
    mmap: bool,
    kind: Option<KindArg>,
    layout: Option<Schema>,
    quiet: bool,
    noted: Cell<bool>,
}

impl Families {
    /// Loads the layout file, if one is given. The error is the message to print
    /// (`FILE:LINE: message`).
    pub fn new(args: &FamilyArgs, quiet: bool) -> Result<Families, String> {
        let layout = match &args.layout {
            Some(path) => Some(load_layout(path).map_err(|e| e.to_string())?),
            None => None,
        };
        Ok(Families {
            mmap: args.mmap,
            kind: args.kind,
            layout,
            quiet,
            noted: Cell::new(false),
        })
    }

    /// The family when it does not depend on the file (`--kind`, `--layout`).
    pub fn fixed(&self) -> Option<Kind<'_>> {
        if let Some(schema) = &self.layout {
            return Some(Kind::Layout(schema));
        }
        self.kind.map(|k| match k {
            KindArg::Person => Kind::Person,
            KindArg::Building => Kind::Building,
        })
    }

    /// Opens an input for a verb that reads it with `read`'s options: the options for the file
    /// (their encoding set as [`Families::open`] finds it), the input and its family.
    pub fn open_read(
        &self,
        path: &Path,
        read: &super::args::ReadArgs,
        report: &mut Report,
    ) -> io::Result<(ParseOptions, Input, Kind<'_>)> {
        let mut opts = read.options(path);
        let auto = read.encoding == super::args::EncodingArg::Auto;
        let (input, kind) = self.open(path, report, &mut opts, auto)?;
        Ok((opts, input, kind))
    }

    /// Opens an input and tells its family, detecting it from the first record line when no
    /// family was given (the bytes read ahead are read again). A file whose family cannot be
    /// told is read as person records, with a note on stderr (once, and not with `-q`). A
    /// person-id list (`.HTT`) is refused with a pointer to `idlist check`. With
    /// `auto_encoding`, a file that is valid UTF-8 with non-ASCII letters is read as UTF-8
    /// (`opts.encoding` is set), with a note.
    pub fn open(
        &self,
        path: &Path,
        report: &mut Report,
        opts: &mut ParseOptions,
        auto_encoding: bool,
    ) -> io::Result<(Input, Kind<'_>)> {
        let mut input = if self.mmap {
            open_mapped(path)?
        } else {
            open(path)?
        };
        let fixed = self.fixed();
        if let (Some(kind), false) = (fixed, auto_encoding) {
            return Ok((input, kind));
        }
        let name = display_name(path);
        let peeked =
            peek_kind(&mut input).map_err(|e| io::Error::new(e.kind(), format!("{name}: {e}")))?;
        if auto_encoding && opts.encoding != Encoding::Utf8 && peeked.utf8 {
            opts.encoding = Encoding::Utf8;
            if !self.quiet {
                report.line(format_args!(
                    "muutostieto: note: {name}: reading as UTF-8 (its start is valid UTF-8 with \
                     letters beyond ASCII; --encoding latin1 reads it as ISO-8859-1)"
                ));
            }
        }
        if let Some(kind) = fixed {
            return Ok((input, kind));
        }
        if peeked.id_list {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!(
                    "{name}: a person-id list (.HTT), not a change file; check it with \
                     `muutostieto idlist check {name}`"
                ),
            ));
        }
        let kind = match peeked.detected {
            Detected::Kind(FileKind::Person) | Detected::NoRecord => Kind::Person,
            Detected::Kind(FileKind::Building) => Kind::Building,
            Detected::Unknown => {
                self.note(
                    report,
                    format_args!(
                        "{name}: the first record line is neither a person nor a building \
                         record; reading as person records (give --kind or --layout)"
                    ),
                );
                Kind::Person
            }
        };
        Ok((input, kind))
    }

    fn note(&self, report: &mut Report, msg: std::fmt::Arguments<'_>) {
        if !self.quiet && !self.noted.replace(true) {
            report.line(format_args!("muutostieto: note: {msg}"));
        }
    }
}

/// What the start of an input tells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Detected {
    /// A record line of this family.
    Kind(FileKind),
    /// A record line of neither shape.
    Unknown,
    /// No record line (an empty file, envelope lines only).
    NoRecord,
}

/// Reads the start of an input up to its first record line (at most 64 KiB) and tells its
/// family; the bytes read are put back in front of the reader.
/// What the start of an input tells: its family, and whether it is UTF-8 or an id list.
struct Peeked {
    detected: Detected,
    utf8: bool,
    id_list: bool,
}

/// Bytes read ahead at least (when the input has them), to tell UTF-8 from ISO-8859-1.
const SNIFF_BYTES: usize = 8 * 1024;

fn peek_kind(input: &mut Input) -> io::Result<Peeked> {
    let mut prefix = Vec::new();
    loop {
        let chunk = match input.reader.fill_buf() {
            Ok(c) => c,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if chunk.is_empty() {
            break;
        }
        let take = chunk.len().min(PEEK_LIMIT - prefix.len());
        prefix.extend_from_slice(&chunk[..take]);
        input.reader.consume(take);
        if prefix.len() >= PEEK_LIMIT
            || (prefix.len() >= SNIFF_BYTES && first_line_complete(&prefix))
        {
            break;
        }
    }
    let detected = match detect::first_record_line(&prefix) {
        None => Detected::NoRecord,
        Some(line) => detect::detect(line).map_or(Detected::Unknown, Detected::Kind),
    };
    let utf8 = detect::looks_like_utf8(&prefix);
    let id_list = detect::looks_like_id_list(&prefix);
    let rest = std::mem::replace(&mut input.reader, Box::new(io::empty()));
    input.reader = Box::new(io::Cursor::new(prefix).chain(rest));
    Ok(Peeked {
        detected,
        utf8,
        id_list,
    })
}

/// True when `prefix` holds enough of its first record line to tell its family: the whole line,
/// or more than the 11 characters the shapes need.
fn first_line_complete(prefix: &[u8]) -> bool {
    match detect::first_record_line(prefix) {
        None => false,
        Some(line) => {
            let end = line.as_ptr() as usize - prefix.as_ptr() as usize + line.len();
            line.len() > 11 || end < prefix.len()
        }
    }
}

/// A layout file that could not be read or is not valid.
#[derive(Debug)]
pub enum LayoutLoadError {
    /// The file could not be read (the message names it).
    Io(io::Error),
    /// The file is not a valid layout: `FILE:LINE: message` or `FILE: message`.
    Invalid(String),
}

impl std::fmt::Display for LayoutLoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LayoutLoadError::Io(e) => write!(f, "{e}"),
            LayoutLoadError::Invalid(msg) => f.write_str(msg),
        }
    }
}

/// Reads and checks a layout file (`-` is stdin).
pub fn load_layout(path: &Path) -> Result<Schema, LayoutLoadError> {
    let name = display_name(path);
    let bytes = read_all(path).map_err(LayoutLoadError::Io)?;
    let text = std::str::from_utf8(&bytes).map_err(|e| {
        let line = 1 + bytes[..e.valid_up_to()]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        LayoutLoadError::Invalid(format!("{name}:{line}: not UTF-8 text"))
    })?;
    LayoutFile::load_with_kinds(text, &muutostieto::detect::field_kinds()).map_err(|e| {
        LayoutLoadError::Invalid(match e.line {
            Some(line) => format!("{name}:{line}: {}", e.message),
            None => format!("{name}: {}", e.message),
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(bytes: &[u8], chunk: usize) -> Input {
        Input {
            reader: Box::new(io::BufReader::with_capacity(
                chunk,
                io::Cursor::new(bytes.to_vec()),
            )),
            len: None,
        }
    }

    #[test]
    fn peeking_keeps_every_byte() {
        let file = b"'''ENVELOPE'''\r\n010101A900RXBX201702080101|00312|\r\nmore\r\n";
        for chunk in [1, 2, 5, 16, 8192] {
            let mut i = input(file, chunk);
            assert_eq!(
                peek_kind(&mut i).unwrap().detected,
                Detected::Kind(FileKind::Person)
            );
            let mut back = Vec::new();
            i.reader.read_to_end(&mut back).unwrap();
            assert_eq!(back, file, "chunk {chunk}");
        }
        let mut i = input(b"'''ONLY'''\r\n", 4);
        assert_eq!(peek_kind(&mut i).unwrap().detected, Detected::NoRecord);
        let mut i = input(b"short\r\n", 4);
        assert_eq!(peek_kind(&mut i).unwrap().detected, Detected::Unknown);
        let mut i = input(b"122334455RRRM1201702081101|", 3);
        assert_eq!(
            peek_kind(&mut i).unwrap().detected,
            Detected::Kind(FileKind::Building)
        );
    }

    #[test]
    fn key_nouns() {
        assert_eq!(key_noun(muutostieto::person::schema()).1, "persons");
        assert_eq!(key_noun(muutostieto::building::schema()).1, "buildings");
    }
}
