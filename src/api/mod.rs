//! The JSON model of DVV's change API (*VTJ-muutosrajapinta*), which replaces the fixed-width
//! file service: serde types for its requests, responses and data groups (*tietoryhmät*).
//!
//! A later conversion fills these types from legacy records, so that historical files and new
//! API responses flow through the same code. This module depends on nothing else in the crate.
//!
//! * Responses: [`KirjausavainResponse`] (`GET /api/v1/kirjausavain/{date}`),
//!   [`MuutoksetResponse`] (`POST /api/v1/muutokset`), [`PerustiedotResponse`]
//!   (`POST /api/v1/perustiedot` and `/perustiedot-vko`); requests [`MuutoksetRequest`],
//!   [`PerustiedotRequest`].
//! * One change: [`Muutos`]; one person's base data: [`Perustieto`]; one group:
//!   [`Tietoryhma`], tagged by `"tietoryhma"`, with a body struct per group (in [`groups`]).
//! * Shared shapes: [`Paivamaara`] (date), [`Monikielinen`] (multilingual text),
//!   [`HenkiloViite`] (nested person), [`Muutosattribuutti`] (change attribute).
//!
//! **Nothing is lost.** Every object keeps the fields this crate does not know in `extra`,
//! enum tokens it does not know in `Other`, and groups it does not know whole in
//! [`Tietoryhma::Unknown`], so an API response reads and writes back to the same JSON value.
//! Two normalisations: `viimeisinKirjausavain` sent as a numeric string is written as a number,
//! and an optional field sent as `null` is written as absent, except in [`Monikielinen`],
//! which keeps `null` apart from absent.
//!
//! Rust names are English; each doc names the Finnish term and the JSON name
//! (`docs/api-model.md` lists them all).
//!
//! ```
//! use muutostieto::api::{Muutos, Muutosattribuutti, Tietoryhma};
//!
//! let json = r#"{
//!     "henkilotunnus": "010101A900R",
//!     "muutospv": "2019-09-24T21:00:00.000Z",
//!     "tietoryhmat": [
//!         {"tietoryhma": "KOTIKUNTA", "muutosattribuutti": "LISATTY", "kuntakoodi": "091",
//!          "kuntaanMuuttopv": {"arvo": "2019-09-01", "tarkkuus": "PAIVA"}},
//!         {"tietoryhma": "JOKU_MUU", "muutosattribuutti": "LISATTY", "mitaVain": [1, 2]}
//!     ]
//! }"#;
//! let change: Muutos = serde_json::from_str(json).unwrap();
//! assert_eq!(change.changed_at_utc().unwrap().timestamp(), 1_569_358_800);
//! match &change.groups[0] {
//!     Tietoryhma::HomeMunicipality(home) => {
//!         assert_eq!(home.change, Some(Muutosattribuutti::Added));
//!         assert_eq!(home.municipality_code.as_deref(), Some("091"));
//!         assert_eq!(home.move_in_date().unwrap().value, "2019-09-01");
//!     }
//!     other => panic!("{other:?}"),
//! }
//! assert!(matches!(change.groups[1], Tietoryhma::Unknown(_)));
//! assert_eq!(change.groups[1].name(), "JOKU_MUU");
//!
//! // Written back, it is the same JSON value.
//! let again = serde_json::to_value(&change).unwrap();
//! assert_eq!(again, serde_json::from_str::<serde_json::Value>(json).unwrap());
//! ```

#[macro_use]
mod macros;
pub mod common;
pub mod groups;
pub mod tietoryhma;

use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

pub use common::{
    HenkiloViite, Monikielinen, Muutosattribuutti, Paivamaara, Precision, Sex, Validity,
};
pub use groups::*;
pub use tietoryhma::{LegacyGroup, Tietoryhma};

/// Response of `GET /api/v1/kirjausavain/{YYYY-MM-DD}` (*kirjausavain*): the first change
/// token for a date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KirjausavainResponse {
    /// The change token (*viimeisin kirjausavain*); read from a JSON number or a numeric
    /// string, written as a number.
    ///
    /// JSON: `viimeisinKirjausavain`.
    #[serde(rename = "viimeisinKirjausavain", with = "token")]
    pub latest_token: i64,
    /// Fields this crate does not know, kept as sent and written back unchanged.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Request body of `POST /api/v1/muutokset` (*muutokset*): changes after a token for a list
/// of identity codes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MuutoksetRequest {
    /// The token returned last (*viimeisin kirjausavain*); read from a number or a numeric
    /// string, written as a number.
    ///
    /// JSON: `viimeisinKirjausavain`.
    #[serde(rename = "viimeisinKirjausavain", with = "token")]
    pub latest_token: i64,
    /// The persons' identity codes (*hetulista*).
    ///
    /// JSON: `hetulista`.
    #[serde(rename = "hetulista")]
    pub person_ids: Vec<String>,
}

/// Response of `POST /api/v1/muutokset` (*muutokset*): one page of changes. Send
/// `latest_token` back and repeat until `up_to_date` is true.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MuutoksetResponse {
    /// The token to send with the next request (*viimeisin kirjausavain*), 64-bit; read from a
    /// JSON number or a numeric string, written as a number.
    ///
    /// JSON: `viimeisinKirjausavain`.
    #[serde(rename = "viimeisinKirjausavain", with = "token")]
    pub latest_token: i64,
    /// The changes, in order (*muutokset*).
    ///
    /// JSON: `muutokset`.
    #[serde(rename = "muutokset")]
    pub changes: Vec<Muutos>,
    /// Whether no more changes are waiting (*ajan tasalla*).
    ///
    /// JSON: `ajanTasalla`.
    #[serde(rename = "ajanTasalla")]
    pub up_to_date: bool,
    /// Fields this crate does not know, kept as sent and written back unchanged.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// One change (*muutos*) to one person: the groups it touched, in order (a `KORJATTAVA` group
/// is directly followed by its `KORJATTU` replacement).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Muutos {
    /// The person's identity code (*henkilötunnus*).
    ///
    /// JSON: `henkilotunnus`.
    #[serde(rename = "henkilotunnus")]
    pub person_id: String,
    /// When the change was made (*muutospäivä*), an ISO-8601 UTC instant such as
    /// `2019-09-24T21:00:00.000Z`, kept as the text sent so that it is written back exactly.
    /// Parse it with [`changed_at_utc`](Self::changed_at_utc); format one with
    /// [`format_instant`](Self::format_instant).
    ///
    /// JSON: `muutospv`.
    #[serde(rename = "muutospv")]
    pub changed_at: String,
    /// The groups (*tietoryhmät*), in order.
    ///
    /// JSON: `tietoryhmat`.
    #[serde(rename = "tietoryhmat")]
    pub groups: Vec<Tietoryhma>,
    /// Fields this crate does not know, kept as sent and written back unchanged.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Muutos {
    /// `changed_at` as an instant (any RFC 3339 text is accepted).
    pub fn changed_at_utc(&self) -> Result<DateTime<Utc>, chrono::ParseError> {
        DateTime::parse_from_rfc3339(&self.changed_at).map(|t| t.with_timezone(&Utc))
    }

    /// An instant in the API's form, milliseconds and `Z`: `2019-09-24T21:00:00.000Z`.
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// let t = Utc.with_ymd_and_hms(2019, 9, 24, 21, 0, 0).unwrap();
    /// assert_eq!(muutostieto::api::Muutos::format_instant(t), "2019-09-24T21:00:00.000Z");
    /// ```
    pub fn format_instant(instant: DateTime<Utc>) -> String {
        instant.to_rfc3339_opts(SecondsFormat::Millis, true)
    }
}

/// Request body of `POST /api/v1/perustiedot` and `/perustiedot-vko` (*perustiedot*): base
/// data for a list of identity codes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PerustiedotRequest {
    /// The persons' identity codes (*hetulista*).
    ///
    /// JSON: `hetulista`.
    #[serde(rename = "hetulista")]
    pub person_ids: Vec<String>,
    /// Only these group names, e.g. `KOTIKUNTA` (*tietoryhmät*); all groups when absent.
    ///
    /// JSON: `tietoryhmat`.
    #[serde(
        rename = "tietoryhmat",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub groups: Option<Vec<String>>,
}

/// Response of `POST /api/v1/perustiedot` and `/perustiedot-vko` (*perustiedot*): the base
/// data of each person found. A person not found is missing from the list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PerustiedotResponse {
    /// Whether the data is up to date (*ajan tasalla*).
    ///
    /// JSON: `ajanTasalla`.
    #[serde(rename = "ajanTasalla")]
    pub up_to_date: bool,
    /// The persons found (*perustiedot*). `None` when the key is absent, which, like an empty
    /// list, means that nobody was found; see [`persons`](Self::persons).
    ///
    /// JSON: `perustiedot`.
    #[serde(
        rename = "perustiedot",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub base_data: Option<Vec<Perustieto>>,
    /// The extraction date of the weekly snapshot (*poimintapäivä*; `/perustiedot-vko` only),
    /// as sent.
    ///
    /// JSON: `poimintapv`.
    #[serde(
        rename = "poimintapv",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub extraction_date: Option<String>,
    /// Fields this crate does not know, kept as sent and written back unchanged.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl PerustiedotResponse {
    /// The persons found (empty when `perustiedot` is absent).
    pub fn persons(&self) -> &[Perustieto] {
        self.base_data.as_deref().unwrap_or_default()
    }
}

/// One person's base data (*perustieto*): the person's groups, without `muutosattribuutti`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Perustieto {
    /// The person's identity code (*henkilötunnus*).
    ///
    /// JSON: `henkilotunnus`.
    #[serde(rename = "henkilotunnus")]
    pub person_id: String,
    /// The groups (*tietoryhmät*).
    ///
    /// JSON: `tietoryhmat`.
    #[serde(rename = "tietoryhmat")]
    pub groups: Vec<Tietoryhma>,
    /// Fields this crate does not know, kept as sent and written back unchanged.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `viimeisinKirjausavain`: a 64-bit integer, read from a JSON number or a numeric string
/// (evaka reads it as a string), always written as a number.
mod token {
    use std::fmt;

    use serde::de::{self, Visitor};
    use serde::{Deserializer, Serializer};

    pub fn serialize<S: Serializer>(token: &i64, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_i64(*token)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<i64, D::Error> {
        deserializer.deserialize_any(TokenVisitor)
    }

    struct TokenVisitor;

    impl Visitor<'_> for TokenVisitor {
        type Value = i64;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a kirjausavain: a 64-bit integer, as a JSON number or a numeric string")
        }

        fn visit_i64<E: de::Error>(self, v: i64) -> Result<i64, E> {
            Ok(v)
        }

        fn visit_u64<E: de::Error>(self, v: u64) -> Result<i64, E> {
            i64::try_from(v).map_err(|_| E::invalid_value(de::Unexpected::Unsigned(v), &self))
        }

        fn visit_str<E: de::Error>(self, v: &str) -> Result<i64, E> {
            v.parse()
                .map_err(|_| E::invalid_value(de::Unexpected::Str(v), &self))
        }
    }
}
