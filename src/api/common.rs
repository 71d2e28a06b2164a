//! The shapes shared by many groups: date ([`Paivamaara`]), multilingual text
//! ([`Monikielinen`]), nested person reference ([`HenkiloViite`]), change attribute
//! ([`Muutosattribuutti`]) and the small enums used everywhere ([`Sex`], [`Validity`]).

use chrono::NaiveDate;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value};

open_enum! {
    /// What happened to a group in a change (*muutosattribuutti*). Table 1.4 of the mapping:
    /// each value has a legacy change digit (the fourth character of a legacy group), except
    /// that digit 2 is unused.
    pub enum Muutosattribuutti "muutosattribuutti" {
        /// Extra context only (*lisätieto*), e.g. other still-valid citizenships. Legacy digit 0.
        AdditionalInfo = "LISATIETO",
        /// Added (*lisätty*): a new group, or a person new to the client. Legacy digit 1.
        Added = "LISATTY",
        /// Changed (*muutettu*): the group after a change, usually the old row with its end date
        /// set. Legacy digit 3.
        Changed = "MUUTETTU",
        /// Removed (*poistettu*). Legacy digit 4.
        Removed = "POISTETTU",
        /// The old, wrong content being corrected (*korjattava*; legacy `KORJATTAVAA`). Directly
        /// followed by its `KORJATTU` replacement. Legacy digit 5.
        BeingCorrected = "KORJATTAVA",
        /// The corrected content (*korjattu*), following the `KORJATTAVA` group. Legacy digit 6.
        Corrected = "KORJATTU",
    }
}

impl Muutosattribuutti {
    /// The value for a legacy change digit (0, 1, 3, 4, 5, 6; `None` for 2 and anything else).
    ///
    /// ```
    /// use muutostieto::api::Muutosattribuutti;
    /// assert_eq!(Muutosattribuutti::from_legacy_digit(5), Some(Muutosattribuutti::BeingCorrected));
    /// assert_eq!(Muutosattribuutti::from_legacy_digit(2), None);
    /// ```
    pub fn from_legacy_digit(digit: u8) -> Option<Self> {
        Some(match digit {
            0 => Muutosattribuutti::AdditionalInfo,
            1 => Muutosattribuutti::Added,
            3 => Muutosattribuutti::Changed,
            4 => Muutosattribuutti::Removed,
            5 => Muutosattribuutti::BeingCorrected,
            6 => Muutosattribuutti::Corrected,
            _ => return None,
        })
    }

    /// The legacy change digit of this value (`None` for `Other`).
    pub fn legacy_digit(&self) -> Option<u8> {
        Some(match self {
            Muutosattribuutti::AdditionalInfo => 0,
            Muutosattribuutti::Added => 1,
            Muutosattribuutti::Changed => 3,
            Muutosattribuutti::Removed => 4,
            Muutosattribuutti::BeingCorrected => 5,
            Muutosattribuutti::Corrected => 6,
            Muutosattribuutti::Other(_) => return None,
        })
    }
}

open_enum! {
    /// How exact a date is (*tarkkuus*). Only `PAIVA` appears in public samples; the others are
    /// inferred from the legacy format's partial dates (month or day `00`).
    pub enum Precision "tarkkuus" {
        /// Exact to the day (*päivä*).
        Day = "PAIVA",
        /// Only year and month are known (*kuukausi*).
        Month = "KUUKAUSI",
        /// Only the year is known (*vuosi*).
        Year = "VUOSI",
    }
}

/// A date (*päivämäärä*): `{"arvo": "YYYY-MM-DD", "tarkkuus": "PAIVA"}`.
///
/// `arvo` is kept as the text sent. For a partial date (`KUUKAUSI`, `VUOSI`) the API's filler
/// for the unknown parts is not documented; this type stores whatever it is given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Paivamaara {
    /// The date as ISO text, `YYYY-MM-DD` (*arvo*).
    ///
    /// JSON: `arvo`.
    #[serde(rename = "arvo")]
    pub value: String,
    /// How exact the date is (*tarkkuus*).
    ///
    /// JSON: `tarkkuus`.
    #[serde(rename = "tarkkuus")]
    pub precision: Precision,
    /// Fields this crate does not know, kept as sent and written back unchanged.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Paivamaara {
    /// A date from its ISO text and precision.
    pub fn new(value: impl Into<String>, precision: Precision) -> Self {
        Paivamaara {
            value: value.into(),
            precision,
            extra: Map::new(),
        }
    }

    /// An exact date (`PAIVA`).
    pub fn day(date: NaiveDate) -> Self {
        Paivamaara::new(date.format("%Y-%m-%d").to_string(), Precision::Day)
    }

    /// The value parsed as a calendar date (`None` if it is not a valid `YYYY-MM-DD`).
    pub fn date(&self) -> Option<NaiveDate> {
        NaiveDate::parse_from_str(&self.value, "%Y-%m-%d").ok()
    }
}

/// Multilingual text (*monikielinen teksti*): `{"fi": str, "sv": str}`.
///
/// Either key may be missing, and a key may be `null` (`sv` in public samples). Both forms
/// are kept apart so that a document is written back as it came: each field is `None` when
/// the key is absent, `Some(None)` when it is `null`, and `Some(Some(text))` otherwise. Read
/// the text with [`finnish`](Self::finnish) and [`swedish`](Self::swedish).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Monikielinen {
    /// Finnish text (*suomeksi*): absent, `null` or text.
    ///
    /// JSON: `fi`.
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub fi: Option<Option<String>>,
    /// Swedish text (*ruotsiksi*): absent, `null` or text.
    ///
    /// JSON: `sv`.
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub sv: Option<Option<String>>,
    /// Fields this crate does not know (other languages), kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A key that is present: `null` becomes `Some(None)` (absent keys get `None` from `default`).
fn present<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Option<String>>, D::Error> {
    Option::<String>::deserialize(d).map(Some)
}

impl Monikielinen {
    /// Text in the given languages; a `None` language is left out of the JSON.
    pub fn new(fi: Option<&str>, sv: Option<&str>) -> Self {
        Monikielinen {
            fi: fi.map(|t| Some(t.to_owned())),
            sv: sv.map(|t| Some(t.to_owned())),
            extra: Map::new(),
        }
    }

    /// The Finnish text, if any (absent and `null` both give `None`).
    pub fn finnish(&self) -> Option<&str> {
        self.fi.as_ref().and_then(|t| t.as_deref())
    }

    /// The Swedish text, if any (absent and `null` both give `None`).
    pub fn swedish(&self) -> Option<&str> {
        self.sv.as_ref().and_then(|t| t.as_deref())
    }
}

open_enum! {
    /// Sex (*sukupuoli*).
    pub enum Sex "sukupuoli" {
        /// Male (*mies*); legacy code 1.
        Male = "MIES",
        /// Female (*nainen*); legacy code 2.
        Female = "NAINEN",
        /// Not recorded (*puuttuu*); legacy blank.
        Missing = "PUUTTUU",
    }
}

open_enum! {
    /// Whether an identity code, citizenship or relation is in force (*voimassaolo*).
    pub enum Validity "voimassaolo" {
        /// In force (*aktiivi*).
        Active = "AKTIIVI",
        /// No longer in force (*passiivi*).
        Passive = "PASSIIVI",
    }
}

api_object! {
    /// A nested reference to another person (*henkilöviite*): a guardian, custodian, ward or
    /// attorney. `henkilotunnus` is left out when the person has none; then the names, birth
    /// date, sex and citizenship identify the person (this replaces the legacy 451 group).
    pub struct HenkiloViite {
        /// Personal identity code (*henkilötunnus*), absent for a person without one.
        person_id: String = "henkilotunnus",
        /// First names (*etunimet*).
        first_names: String = "etunimet",
        /// Last name (*sukunimi*).
        last_name: String = "sukunimi",
        /// Birth date (*syntymäpäivä*).
        birth_date: Paivamaara = "syntymapv",
        /// Sex (*sukupuoli*).
        sex: Sex = "sukupuoli",
        /// Citizenship, ISO 3166 numeric country code (*kansalaisuuskoodi*).
        citizenship_code: String = "kansalaisuuskoodi",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn exact_dates_format_as_iso() {
        let d = Paivamaara::day(NaiveDate::from_ymd_opt(2001, 2, 3).unwrap());
        assert_eq!(
            serde_json::to_value(&d).unwrap(),
            json!({"arvo": "2001-02-03", "tarkkuus": "PAIVA"})
        );
        assert_eq!(d.date(), NaiveDate::from_ymd_opt(2001, 2, 3));
    }

    #[test]
    fn open_enum_from_string_never_keeps_a_known_token_in_other() {
        assert_eq!(Validity::from("AKTIIVI".to_string()), Validity::Active);
        assert_eq!(Validity::from("aktiivi"), Validity::Other("aktiivi".into()));
        assert_eq!(Validity::KNOWN, &["AKTIIVI", "PASSIIVI"]);
    }

    #[test]
    fn person_reference_without_id_leaves_it_out() {
        let p = HenkiloViite {
            last_name: Some("Essai".into()),
            sex: Some(Sex::Female),
            ..Default::default()
        };
        assert_eq!(
            serde_json::to_value(&p).unwrap(),
            json!({"sukunimi": "Essai", "sukupuoli": "NAINEN"})
        );
    }
}
