//! The three macros that define the API model: open string enums, nested objects and data
//! groups. Private to [`crate::api`].

/// An open string enum (*avoin koodisto*): one variant per known JSON token, plus `Other(String)`
/// that keeps any other token so that it is written back unchanged.
///
/// ```text
/// open_enum! {
///     /// Doc.
///     pub enum Sex "sukupuoli" {
///         /// Doc.
///         Male = "MIES",
///     }
/// }
/// ```
/// The string after the name is the Finnish field name, used in error messages.
macro_rules! open_enum {
    (
        $(#[$meta:meta])*
        pub enum $Name:ident $fi:literal {
            $( $(#[$vmeta:meta])* $Variant:ident = $token:literal, )+
        }
    ) => {
        $(#[$meta])*
        ///
        /// An open enum: tokens this crate does not know are kept in `Other` and written back
        /// unchanged. Build values with [`from_token`](Self::from_token) (or `From<&str>`), which
        /// never puts a known token into `Other`.
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum $Name {
            $(
                $(#[$vmeta])*
                #[doc = ""]
                #[doc = concat!("JSON: `\"", $token, "\"`.")]
                $Variant,
            )+
            /// A token this crate does not know, kept exactly as sent.
            Other(String),
        }

        impl $Name {
            /// Every JSON token this crate knows, in declaration order.
            pub const KNOWN: &'static [&'static str] = &[$($token),+];

            /// The JSON token.
            pub fn as_str(&self) -> &str {
                match self {
                    $( $Name::$Variant => $token, )+
                    $Name::Other(other) => other,
                }
            }

            /// The value for a JSON token: a known variant, or `Other` for anything else.
            pub fn from_token(token: &str) -> Self {
                match token {
                    $( $token => $Name::$Variant, )+
                    other => $Name::Other(other.to_owned()),
                }
            }

            /// Whether this is a token this crate knows (not `Other`).
            pub fn is_known(&self) -> bool {
                !matches!(self, $Name::Other(_))
            }
        }

        impl From<&str> for $Name {
            fn from(token: &str) -> Self {
                $Name::from_token(token)
            }
        }

        impl From<String> for $Name {
            fn from(token: String) -> Self {
                match token.as_str() {
                    $( $token => $Name::$Variant, )+
                    _ => $Name::Other(token),
                }
            }
        }

        impl std::str::FromStr for $Name {
            type Err = std::convert::Infallible;
            fn from_str(token: &str) -> Result<Self, Self::Err> {
                Ok($Name::from_token(token))
            }
        }

        impl std::fmt::Display for $Name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $Name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $Name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct TokenVisitor;
                impl serde::de::Visitor<'_> for TokenVisitor {
                    type Value = $Name;
                    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        f.write_str(concat!("a ", $fi, " token (a JSON string)"))
                    }
                    fn visit_str<E: serde::de::Error>(self, token: &str) -> Result<$Name, E> {
                        Ok($Name::from_token(token))
                    }
                    fn visit_string<E: serde::de::Error>(self, token: String) -> Result<$Name, E> {
                        Ok($Name::from(token))
                    }
                }
                deserializer.deserialize_str(TokenVisitor)
            }
        }
    };
}

/// A nested JSON object (not a group): every field optional (absent when `None`), plus `extra`
/// for fields this crate does not know. Each field is `name: Type = "jsonName",` with a doc.
macro_rules! api_object {
    (
        $(#[$meta:meta])*
        pub struct $Name:ident {
            $( $(#[$fmeta:meta])* $field:ident : $Ty:ty = $json:literal, )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
        pub struct $Name {
            $(
                $(#[$fmeta])*
                #[doc = ""]
                #[doc = concat!("JSON: `", $json, "`.")]
                #[serde(rename = $json, default, skip_serializing_if = "Option::is_none")]
                pub $field: Option<$Ty>,
            )*
            /// Fields this crate does not know, kept as sent and written back unchanged.
            #[serde(flatten)]
            pub extra: serde_json::Map<String, serde_json::Value>,
        }
    };
}

/// A data group's body (*tietoryhmä*, without its `"tietoryhma"` tag, which
/// [`Tietoryhma`](crate::api::Tietoryhma) adds): the fields every group may have
/// (`muutosattribuutti`, `turvakiellonAlaisetKentat`, `voimassaolevatTiedot`), the group's own
/// fields (all optional: a security ban may remove any of them) and `extra`.
macro_rules! api_group {
    (
        $(#[$meta:meta])*
        pub struct $Name:ident {
            $( $(#[$fmeta:meta])* $field:ident : $Ty:ty = $json:literal, )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
        pub struct $Name {
            /// What happened to the group (*muutosattribuutti*); absent in base data
            /// (*perustiedot*).
            ///
            /// JSON: `muutosattribuutti`.
            #[serde(rename = "muutosattribuutti", default, skip_serializing_if = "Option::is_none")]
            pub change: Option<$crate::api::Muutosattribuutti>,
            $(
                $(#[$fmeta])*
                #[doc = ""]
                #[doc = concat!("JSON: `", $json, "`.")]
                #[serde(rename = $json, default, skip_serializing_if = "Option::is_none")]
                pub $field: Option<$Ty>,
            )*
            /// The fields (or groups) removed because of a security ban (*turvakiellon alaiset
            /// kentät*): field names such as `katunimi`, or group names such as
            /// `VAKINAINEN_KOTIMAINEN_OSOITE`, as the API sends them.
            ///
            /// JSON: `turvakiellonAlaisetKentat`.
            #[serde(rename = "turvakiellonAlaisetKentat", default, skip_serializing_if = "Option::is_none")]
            pub protected_fields: Option<Vec<String>>,
            /// The data valid now (*voimassa olevat tiedot*), sent with `POISTETTU` and some
            /// `MUUTETTU` groups.
            ///
            /// JSON: `voimassaolevatTiedot`.
            #[serde(rename = "voimassaolevatTiedot", default, skip_serializing_if = "Option::is_none")]
            pub current_data: Option<Vec<$crate::api::Tietoryhma>>,
            /// Fields this crate does not know, kept as sent and written back unchanged.
            #[serde(flatten)]
            pub extra: serde_json::Map<String, serde_json::Value>,
        }
    };
}
