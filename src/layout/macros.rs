//! The macro that turns one layout definition into a struct, its layout table, parser, writer,
//! serde entries and a constructor from any source of field values.

/// Defines a fixed-width struct once: the borrowed struct, its `FIELDS` layout table (offsets
/// computed from the widths), its field parser, writer and serde entries.
///
/// Each field is `name: Type [width] "Finnish term"` with an optional doc comment; `Type` is a
/// [`FieldValue`](crate::field::FieldValue) with a lifetime (`Text`, `Digits`, `VtjDate`,
/// `PersonId`, `Code<Table>`, or a family's own), named as it is in scope where the macro is used.
#[macro_export]
macro_rules! layout_struct {
    (
        $(#[$meta:meta])*
        $vis:vis struct $Name:ident at $start:literal {
            $( $(#[$fmeta:meta])* $field:ident : $Ty:ident $(<$Arg:ty>)? [$len:literal] $fi:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        $vis struct $Name<'a> {
            $( $(#[$fmeta])* pub $field: $Ty<'a $(, $Arg)?>, )+
        }

        impl<'a> $Name<'a> {
            /// The layout of this struct's fields, in order, with offsets.
            pub const FIELDS: &'static [$crate::layout::FieldDef] = &$crate::layout::place($start, [
                $( $crate::layout::FieldDef::new(
                    stringify!($field),
                    $fi,
                    $len,
                    <$Ty<'static $(, $Arg)?> as $crate::field::FieldValue<'static>>::KIND,
                    <$Ty<'static $(, $Arg)?> as $crate::field::FieldValue<'static>>::CODE_TABLE,
                ), )+
            ]);

            /// Length in characters from the start of the group or line to the end of the last field.
            pub const END: usize = $crate::layout::end_of(Self::FIELDS);

            /// Reads every field in order.
            #[inline]
            pub fn parse_fields(cur: &mut $crate::field::FieldCursor<'a, '_, '_>) -> Self {
                $Name { $( $field: cur.field(stringify!($field), $len), )+ }
            }

            /// Checks every field in order, reporting what [`parse_fields`](Self::parse_fields)
            /// would, without building the values (the checking pass of every reader).
            #[inline]
            pub fn check_fields(cur: &mut $crate::field::FieldCursor<'a, '_, '_>) {
                const LEN: usize = $Name::END - $start;
                if let Some(bytes) = cur.whole(LEN) {
                    // A single-byte encoding and the whole width: every field at its offset.
                    let mut at = 0;
                    $(
                        cur.check_at::<$Ty<'a $(, $Arg)?>>(stringify!($field), &bytes[at..at + $len], at);
                        at += $len;
                    )+
                    cur.skip(at);
                } else {
                    $( cur.check::<$Ty<'a $(, $Arg)?>>(stringify!($field), $len); )+
                }
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

            /// Builds every field from `source`, in order (a test-data generator, for one): the
            /// struct's layout drives any producer of field values.
            pub fn from_source<S>(source: &mut S) -> Self
            where
                $( $Ty<'a $(, $Arg)?>: $crate::field::FromSource<S>, )+
            {
                $Name { $( $field: <$Ty<'a $(, $Arg)?> as $crate::field::FromSource<S>>::from_source(source, stringify!($field), $len), )+ }
            }

            /// Serialises every field as a map entry (for embedding in a larger map), bytes read
            /// in `enc` (the record's encoding; see [`SerializeIn`](crate::field::SerializeIn)).
            pub fn serialize_entries_in<M: serde::ser::SerializeMap>(
                &self,
                enc: $crate::Encoding,
                map: &mut M,
            ) -> Result<(), M::Error> {
                $( map.serialize_entry(stringify!($field), &$crate::field::In(&self.$field, enc))?; )+
                Ok(())
            }
        }

        impl<'a> $Name<'a> {
            /// Writes every field as a JSON map entry, each with a comma before it, bytes read
            /// in `enc`: the same text as [`serialize_entries_in`](Self::serialize_entries_in)
            /// through serde_json (keys pre-escaped at compile time).
            #[inline]
            pub fn write_json_entries(&self, enc: $crate::Encoding, out: &mut Vec<u8>) {
                $(
                    out.extend_from_slice(concat!(",\"", stringify!($field), "\":").as_bytes());
                    $crate::field::json::WriteJson::write_json(&self.$field, enc, out);
                )+
            }
        }

        impl<'a> $Name<'a> {
            /// Writes the JSON entries of the fields straight from the struct's bytes (the
            /// group after its code, or the header), as
            /// [`write_json_entries`](Self::write_json_entries) of the parsed struct would, with
            /// no struct in between: each field is read at its offset and written.
            #[inline]
            pub fn write_json_entries_from(bytes: &'a [u8], enc: $crate::Encoding, out: &mut Vec<u8>) {
                const LEN: usize = $Name::END - $start;
                if enc.is_single_byte() && bytes.len() == LEN {
                    let mut at = 0;
                    $(
                        out.extend_from_slice(concat!(",\"", stringify!($field), "\":").as_bytes());
                        <$Ty<'a $(, $Arg)?> as $crate::field::FieldValue<'a>>::write_json_from(&bytes[at..at + $len], enc, out);
                        at += $len;
                    )+
                    let _ = at;
                } else {
                    Self::parse_fields(&mut $crate::field::FieldCursor::quiet(bytes, enc))
                        .write_json_entries(enc, out);
                }
            }
        }

        impl $crate::field::json::WriteJson for $Name<'_> {
            /// The fields as one JSON map.
            fn write_json(&self, enc: $crate::Encoding, out: &mut Vec<u8>) {
                let at = out.len();
                self.write_json_entries(enc, out);
                // The first entry's comma opens the map.
                out[at] = b'{';
                out.push(b'}');
            }
        }

        impl serde::Serialize for $Name<'_> {
            /// Every field as a map entry; bytes of ids and codes read as ISO-8859-1 (a record
            /// serializes its fields in its own encoding).
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                $crate::field::SerializeIn::serialize_in(self, $crate::Encoding::Latin1, s)
            }
        }

        impl $crate::field::SerializeIn for $Name<'_> {
            fn serialize_in<S: serde::Serializer>(&self, enc: $crate::Encoding, s: S) -> Result<S::Ok, S::Error> {
                use serde::ser::SerializeMap as _;
                let mut m = s.serialize_map(None)?;
                self.serialize_entries_in(enc, &mut m)?;
                m.end()
            }
        }
    };
}
