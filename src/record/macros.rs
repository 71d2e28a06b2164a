//! The macros that make a record family's group catalogue and header traits from the group
//! structs (each defined once with [`layout_struct!`](crate::layout_struct)).

/// Defines the group structs: every group starts with its change attribute at offset 3.
macro_rules! group_structs {
    ($( $(#[$meta:meta])* $Name:ident { $($body:tt)* } )+) => {$(
        $crate::layout_struct! {
            $(#[$meta])*
            pub struct $Name at 3 {
                /// Change attribute (*muutosattribuutti*).
                change: Code<$crate::record::ChangeAttribute> [1] "muutosattribuutti",
                $($body)*
            }
        }
    )+};
}

/// Defines the group catalogue: code → struct, names, and the `Group` enum with its dispatch.
macro_rules! group_catalogue {
    ($(
        $(#[$meta:meta])*
        $code:literal $Variant:ident($Struct:ident), $name:literal, $fi:literal, $en:literal,
            qualifying $q:literal $(, variant $var:literal)?;
    )+) => {
        /// A typed data group (*tietoryhmä*) of this record family, one variant per layout.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Group<'a> {
            $( $(#[$meta])* $Variant($Struct<'a>), )+
            /// A group kept as raw bytes (unknown code or wrong length), written back unchanged.
            Raw($crate::record::RawGroup<'a>),
        }

        /// Which layout a typed group has: one value per entry of [`LAYOUTS`].
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum GroupKind {
            $( $(#[$meta])* $Variant, )+
        }

        /// The layouts of every group of this record family, in code order (the catalogue).
        pub const LAYOUTS: &[$crate::layout::GroupLayout] = &[
            $( $crate::layout::GroupLayout {
                code: *$code,
                name: ::std::borrow::Cow::Borrowed($name),
                finnish: ::std::borrow::Cow::Borrowed($fi),
                description: ::std::borrow::Cow::Borrowed($en),
                len: $Struct::END,
                qualifying: $q,
                variant: $crate::layout::optional_name(&[$($var)?]),
                fields: ::std::borrow::Cow::Borrowed($Struct::FIELDS),
            }, )+
        ];

        /// [`GroupKind`] for each entry of [`LAYOUTS`].
        pub const KINDS: &[GroupKind] = &[ $( GroupKind::$Variant, )+ ];

        impl GroupKind {
            /// The layout of this kind.
            pub fn layout(self) -> &'static $crate::layout::GroupLayout {
                &LAYOUTS[self as usize]
            }
        }

        impl<'a> Group<'a> {
            /// Reads the fields of a group whose layout framing has matched.
            #[inline]
            pub fn parse_kind(kind: GroupKind, cur: &mut $crate::field::FieldCursor<'a, '_, '_>) -> Group<'a> {
                match kind {
                    $( GroupKind::$Variant => Group::$Variant($Struct::parse_fields(cur)), )+
                }
            }

            /// Checks the fields of a group whose layout framing has matched (no value built).
            #[inline]
            pub fn check_kind(kind: GroupKind, cur: &mut $crate::field::FieldCursor<'a, '_, '_>) {
                match kind {
                    $( GroupKind::$Variant => $Struct::check_fields(cur), )+
                }
            }

            /// The layout kind, `None` for raw groups.
            pub fn kind(&self) -> Option<GroupKind> {
                match self {
                    $( Group::$Variant(_) => Some(GroupKind::$Variant), )+
                    Group::Raw(_) => None,
                }
            }

            /// The change attribute, `None` for raw groups.
            pub fn change(&self) -> Option<$crate::field::Code<'a, $crate::record::ChangeAttribute>> {
                match self {
                    $( Group::$Variant(g) => Some(g.change), )+
                    Group::Raw(_) => None,
                }
            }

            /// Sets the change attribute (no effect on raw groups).
            pub fn set_change(&mut self, change: $crate::field::Code<'a, $crate::record::ChangeAttribute>) {
                match self {
                    $( Group::$Variant(g) => g.change = change, )+
                    Group::Raw(_) => {}
                }
            }

            /// Writes the group's fields (after the code) at their widths.
            pub fn write_fields(
                &self,
                enc: $crate::Encoding,
                out: &mut Vec<u8>,
            ) -> Result<(), (&'static str, $crate::field::FieldWriteError)> {
                match self {
                    $( Group::$Variant(g) => g.write_fields(enc, out), )+
                    Group::Raw(_) => Ok(()),
                }
            }

            /// Writes the group's fields as JSON map entries, each after a comma.
            #[inline]
            pub fn write_json_fields(&self, enc: $crate::Encoding, out: &mut Vec<u8>) {
                match self {
                    $( Group::$Variant(g) => g.write_json_entries(enc, out), )+
                    Group::Raw(_) => {}
                }
            }

            /// Writes the JSON entries of a group's fields straight from its bytes (after the
            /// code), without typing it: see `write_json_entries_from` of the group structs.
            #[inline]
            pub fn write_json_kind(kind: GroupKind, bytes: &'a [u8], enc: $crate::Encoding, out: &mut Vec<u8>) {
                match kind {
                    $( GroupKind::$Variant => $Struct::write_json_entries_from(bytes, enc, out), )+
                }
            }

            /// Serialises the group's fields as map entries, bytes read in `enc`.
            pub fn serialize_fields<M: serde::ser::SerializeMap>(
                &self,
                enc: $crate::Encoding,
                map: &mut M,
            ) -> Result<(), M::Error> {
                match self {
                    $( Group::$Variant(g) => g.serialize_entries_in(enc, map), )+
                    Group::Raw(_) => Ok(()),
                }
            }
        }

impl<'a> Group<'a> {
    /// The layout, `None` for raw groups.
    pub fn layout(&self) -> Option<&'static $crate::layout::GroupLayout> {
        self.kind().map(GroupKind::layout)
    }

    /// The group code.
    pub fn code(&self) -> [u8; 3] {
        match self {
            Group::Raw(r) => r.code(),
            other => other.layout().map_or([b' '; 3], |l| l.code),
        }
    }

    /// The English name of the group (`raw` for raw groups).
    pub fn name(&self) -> &'static str {
        self.layout().map_or("raw", |l| match &l.name {
            std::borrow::Cow::Borrowed(s) => s,
            std::borrow::Cow::Owned(_) => "",
        })
    }

    /// True for qualifying groups (320, 451, 452).
    pub fn is_qualifying(&self) -> bool {
        self.layout().is_some_and(|l| l.qualifying)
    }

    /// Writes the group (code and fields, no `|`).
    pub fn write_to(&self, enc: $crate::Encoding, out: &mut Vec<u8>) -> Result<(), $crate::diag::WriteError> {
        match self {
            Group::Raw(r) => r.write_to(enc, out),
            typed => {
                out.extend_from_slice(&typed.code());
                typed.write_fields(enc, out).map_err(|(field, kind)| $crate::diag::WriteError {
                    group: Some($crate::diag::GroupCode(typed.code())),
                    field,
                    kind,
                })
            }
        }
    }
}

impl $crate::record::WritePart for Group<'_> {
    fn write_part(&self, enc: $crate::Encoding, out: &mut Vec<u8>) -> Result<(), $crate::diag::WriteError> {
        self.write_to(enc, out)
    }
}

impl $crate::record::GroupPart for Group<'_> {
    fn change(&self) -> Option<u8> {
        match self {
            Group::Raw(r) => r.change(),
            typed => typed.change().and_then(|c| c.raw().first().copied()),
        }
    }

    fn code(&self) -> [u8; 3] {
        Group::code(self)
    }

    fn is_qualifying(&self) -> bool {
        Group::is_qualifying(self)
    }

    fn write_json_head(&self, enc: $crate::Encoding, out: &mut Vec<u8>) {
        match self {
            Group::Raw(r) => r.write_json_head(out),
            typed => {
                out.extend_from_slice(b"\"code\":");
                $crate::field::json::write_str_in(&typed.code(), $crate::Encoding::Latin1, out);
                out.extend_from_slice(b",\"group\":");
                $crate::field::json::write_str(typed.name(), out);
                typed.write_json_fields(enc, out)
            }
        }
    }

    fn serialize_head<M: serde::ser::SerializeMap>(&self, enc: $crate::Encoding, m: &mut M) -> Result<(), M::Error> {
        match self {
            Group::Raw(r) => r.serialize_head(m),
            typed => {
                m.serialize_entry("code", &$crate::diag::GroupCode(typed.code()))?;
                m.serialize_entry("group", typed.name())?;
                typed.serialize_fields(enc, m)
            }
        }
    }
}

impl serde::Serialize for Group<'_> {
    /// `{"code": "004", "group": "current_name", "change": {…}, "last_name": …}`; raw groups
    /// carry `"raw"` with their text.
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = serde::Serializer::serialize_map(s, None)?;
        use serde::ser::SerializeMap as _;
        use $crate::record::GroupPart as _;
        self.serialize_head($crate::Encoding::Latin1, &mut m)?;
        m.end()
    }
}

    };
}

/// Implements the record traits of a family's header struct: writing (`WritePart`) and the
/// common facts (`HeaderPart`), given the field that holds the record's key and the fields
/// named `event`, `registered` and `change_type`.
macro_rules! family_header {
    ($Header:ident, key: $key:ident) => {
        impl $crate::record::WritePart for $Header<'_> {
            fn write_part(
                &self,
                enc: $crate::Encoding,
                out: &mut Vec<u8>,
            ) -> Result<(), $crate::diag::WriteError> {
                self.write_fields(enc, out)
                    .map_err(|(field, kind)| $crate::diag::WriteError {
                        group: None,
                        field,
                        kind,
                    })
            }
        }

        impl $crate::record::HeaderPart for $Header<'_> {
            fn key(&self) -> &[u8] {
                self.$key.raw()
            }
            fn event(&self) -> &[u8] {
                self.event.raw()
            }
            fn registered(&self) -> $crate::field::VtjDate<'_> {
                self.registered
            }
            fn change_type(&self) -> &[u8] {
                self.change_type.raw()
            }
            fn event_meaning(&self) -> Option<&'static str> {
                self.event.meaning()
            }
        }
    };
}

/// The [`Family`](crate::record::Family) methods every family of `layout_struct!` groups shares:
/// checking by the generated `check_fields` and JSON straight from the bytes. Expanded inside
/// `impl Family for …` where `Header`, `Group`, `KINDS` and `LAYOUTS` are the family's.
macro_rules! layout_family_methods {
    () => {
        #[inline]
        fn check_header(&self, cur: &mut $crate::field::FieldCursor<'_, '_, '_>) {
            Header::check_fields(cur)
        }

        #[inline]
        fn check_group(&self, layout: usize, cur: &mut $crate::field::FieldCursor<'_, '_, '_>) {
            Group::check_kind(KINDS[layout], cur)
        }

        fn raw_group<'a>(&self, raw: $crate::record::RawGroup<'a>) -> Self::Group<'a> {
            Group::Raw(raw)
        }

        #[inline]
        fn write_group_json(
            &self,
            group: &$crate::frame::FramedGroup<'_>,
            enc: $crate::Encoding,
            out: &mut Vec<u8>,
        ) {
            $crate::record::write_framed_group_json(group, enc, out, LAYOUTS, |i, bytes, out| {
                Group::write_json_kind(KINDS[i], bytes, enc, out)
            })
        }

        #[inline]
        fn write_header_json(&self, header: &[u8], enc: $crate::Encoding, out: &mut Vec<u8>) {
            let at = out.len();
            Header::write_json_entries_from(header, enc, out);
            // The first entry's comma opens the map.
            out[at] = b'{';
            out.push(b'}');
        }
    };
}

pub(crate) use {family_header, group_catalogue, group_structs, layout_family_methods};
