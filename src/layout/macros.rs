//! The macros that turn one layout definition into a struct, its layout table, parser,
//! writer, serde entries and test-data generator.

/// Defines a fixed-width struct once: the borrowed struct, its `FIELDS` layout table (offsets
/// computed from the widths), its field parser, writer and serde entries.
///
/// Each field is `name: Type [width] "Finnish term"` with an optional doc comment; `Type` is a
/// [`FieldValue`](crate::field::FieldValue) with a lifetime (`Text`, `Digits`, `VtjDate`,
/// `PersonId`, `Code<Table>`).
#[macro_export]
macro_rules! layout_struct {
    (
        $(#[$meta:meta])*
        $vis:vis struct $Name:ident at $start:literal {
            $( $(#[$fmeta:meta])* $field:ident : $Ty:ident $(<$Arg:ty>)? [$len:literal] $fi:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
        $vis struct $Name<'a> {
            $( $(#[$fmeta])* pub $field: $crate::field::$Ty<'a $(, $Arg)?>, )+
        }

        impl<'a> $Name<'a> {
            /// The layout of this struct's fields, in order, with offsets.
            pub const FIELDS: &'static [$crate::layout::FieldDef] = &$crate::layout::place($start, [
                $( $crate::layout::FieldDef::new(
                    stringify!($field),
                    $fi,
                    $len,
                    <$crate::field::$Ty<'static $(, $Arg)?> as $crate::field::FieldValue<'static>>::KIND,
                    <$crate::field::$Ty<'static $(, $Arg)?> as $crate::field::FieldValue<'static>>::CODE_TABLE,
                ), )+
            ]);

            /// Length in characters from the start of the group or line to the end of the last field.
            pub const END: usize = $crate::layout::end_of(Self::FIELDS);

            /// Reads every field in order.
            #[inline]
            pub fn parse_fields(cur: &mut $crate::field::FieldCursor<'a, '_, '_>) -> Self {
                $Name { $( $field: cur.field(stringify!($field), $len), )+ }
            }

            /// Writes every field in order at its width.
            pub fn write_fields(
                &self,
                enc: $crate::Encoding,
                out: &mut Vec<u8>,
            ) -> Result<(), (&'static str, $crate::field::FieldWriteError)> {
                use $crate::field::FieldValue as _;
                $( self.$field.write_field($len, enc, out).map_err(|e| (stringify!($field), e))?; )+
                Ok(())
            }

            /// A synthetic value for every field (test data; see [`crate::testdata`]).
            pub fn synthesize(rng: &mut $crate::testdata::Rng) -> $Name<'static> {
                use $crate::testdata::Synth as _;
                $Name { $( $field: <$crate::field::$Ty<'static $(, $Arg)?>>::synth(rng, stringify!($field), $len), )+ }
            }

            /// Serialises every field as a map entry (for embedding in a larger map).
            pub fn serialize_entries<M: serde::ser::SerializeMap>(&self, map: &mut M) -> Result<(), M::Error> {
                $( map.serialize_entry(stringify!($field), &self.$field)?; )+
                Ok(())
            }
        }
    };
}

/// Defines the group structs: every group starts with its change attribute at offset 3.
#[doc(hidden)]
#[macro_export]
macro_rules! group_structs {
    ($( $(#[$meta:meta])* $Name:ident { $($body:tt)* } )+) => {$(
        $crate::layout_struct! {
            $(#[$meta])*
            pub struct $Name at 3 {
                /// Change attribute (*muutosattribuutti*).
                change: Code<$crate::codes::ChangeAttribute> [1] "muutosattribuutti",
                $($body)*
            }
        }
    )+};
}

/// Defines the group catalogue: code → struct, names, and the `Group` enum with its dispatch.
#[doc(hidden)]
#[macro_export]
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

            /// The layout kind, `None` for raw groups.
            pub fn kind(&self) -> Option<GroupKind> {
                match self {
                    $( Group::$Variant(_) => Some(GroupKind::$Variant), )+
                    Group::Raw(_) => None,
                }
            }

            /// The change attribute, `None` for raw groups.
            pub fn change(&self) -> Option<$crate::field::Code<'a, $crate::codes::ChangeAttribute>> {
                match self {
                    $( Group::$Variant(g) => Some(g.change), )+
                    Group::Raw(_) => None,
                }
            }

            /// Sets the change attribute (no effect on raw groups).
            pub fn set_change(&mut self, change: $crate::field::Code<'a, $crate::codes::ChangeAttribute>) {
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

            /// Serialises the group's fields as map entries.
            pub fn serialize_fields<M: serde::ser::SerializeMap>(&self, map: &mut M) -> Result<(), M::Error> {
                match self {
                    $( Group::$Variant(g) => g.serialize_entries(map), )+
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

    fn serialize_head<M: serde::ser::SerializeMap>(&self, m: &mut M) -> Result<(), M::Error> {
        match self {
            Group::Raw(r) => r.serialize_head(m),
            typed => {
                m.serialize_entry("code", &$crate::diag::GroupCode(typed.code()))?;
                m.serialize_entry("group", typed.name())?;
                typed.serialize_fields(m)
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
        self.serialize_head(&mut m)?;
        m.end()
    }
}

    };
}

/// Implements the record traits of a family's header struct: writing (`WritePart`) and the
/// common facts (`HeaderPart`), given the field that holds the record's key and the fields
/// named `event`, `registered` and `change_type`.
#[doc(hidden)]
#[macro_export]
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
        }
    };
}
