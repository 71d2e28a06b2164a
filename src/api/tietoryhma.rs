//! One data group (*tietoryhmä*): [`Tietoryhma`], tagged by `"tietoryhma"`, with a typed
//! variant per known group name, [`LegacyGroup`] for legacy groups without an API
//! counterpart, and `Unknown` for any other group, kept whole.

use std::borrow::Cow;

use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

use super::common::Muutosattribuutti;
use super::groups::*;

/// The JSON key that names a group.
pub const TAG: &str = "tietoryhma";

/// The tag prefix of [`LegacyGroup`]s: `LEGACY_` + the 3-digit legacy code.
pub const LEGACY_PREFIX: &str = "LEGACY_";

/// `{"tietoryhma": ..., <body fields>}`: the tag first, then the body's fields.
#[derive(Serialize)]
struct Tagged<'a, T: Serialize> {
    #[serde(rename = "tietoryhma")]
    tag: &'a str,
    #[serde(flatten)]
    body: &'a T,
}

macro_rules! tietoryhmat {
    ( $( $(#[$vmeta:meta])* $Variant:ident($Body:ty) = $tag:literal, )+ ) => {
        /// One data group (*tietoryhmä*): a JSON object tagged by `"tietoryhma": "<NAME>"`.
        ///
        /// Each group name the legacy groups map to has a typed variant (several names share a
        /// body type). A legacy group with no API counterpart is a [`LegacyGroup`]
        /// (`LEGACY_<code>`). Any other group, or a `LEGACY_` group that does not have the
        /// [`LegacyGroup`] shape, is `Unknown`: the whole object (tag included) kept as sent,
        /// so that it is written back identically.
        ///
        /// A known group whose fields have the wrong JSON type is an error, not `Unknown`.
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub enum Tietoryhma {
            $(
                $(#[$vmeta])*
                #[doc = ""]
                #[doc = concat!("Tag `", $tag, "`.")]
                $Variant($Body),
            )+
            /// A legacy group without an API counterpart, tag `LEGACY_<code>`.
            Legacy(LegacyGroup),
            /// A group this crate does not know: the whole object, `"tietoryhma"` included.
            Unknown(Map<String, Value>),
        }

        impl Tietoryhma {
            /// Every group name with a typed variant, in declaration order.
            pub const KNOWN_NAMES: &'static [&'static str] = &[$($tag),+];

            /// The group name (the `"tietoryhma"` value; empty for an `Unknown` object
            /// without a string tag, which can only be built by hand).
            pub fn name(&self) -> Cow<'_, str> {
                match self {
                    $( Tietoryhma::$Variant(_) => Cow::Borrowed($tag), )+
                    Tietoryhma::Legacy(group) => Cow::Owned(group.tag()),
                    Tietoryhma::Unknown(map) => {
                        Cow::Borrowed(map.get(TAG).and_then(Value::as_str).unwrap_or(""))
                    }
                }
            }

            /// The group's change attribute (*muutosattribuutti*), if it has one (an
            /// `Unknown` group's is read from its object).
            pub fn change(&self) -> Option<Muutosattribuutti> {
                match self {
                    $( Tietoryhma::$Variant(body) => body.change.clone(), )+
                    Tietoryhma::Legacy(group) => group.change.clone(),
                    Tietoryhma::Unknown(map) => map
                        .get("muutosattribuutti")
                        .and_then(Value::as_str)
                        .map(Muutosattribuutti::from_token),
                }
            }

            /// The group from its JSON object.
            fn from_map(mut map: Map<String, Value>) -> Result<Self, serde_json::Error> {
                let tag = match map.get(TAG) {
                    Some(Value::String(tag)) => tag.clone(),
                    Some(_) => return Err(serde_json::Error::custom("`tietoryhma` is not a string")),
                    None => return Err(serde_json::Error::missing_field(TAG)),
                };
                let in_group = |e: serde_json::Error| serde_json::Error::custom(format_args!("tietoryhma {tag}: {e}"));
                match tag.as_str() {
                    $(
                        $tag => {
                            map.remove(TAG);
                            serde_json::from_value(Value::Object(map)).map(Tietoryhma::$Variant).map_err(in_group)
                        }
                    )+
                    _ if LegacyGroup::has_shape(&map) => {
                        serde_json::from_value(Value::Object(map)).map(Tietoryhma::Legacy).map_err(in_group)
                    }
                    _ => Ok(Tietoryhma::Unknown(map)),
                }
            }
        }

        impl Serialize for Tietoryhma {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match self {
                    $( Tietoryhma::$Variant(body) => Tagged { tag: $tag, body }.serialize(serializer), )+
                    Tietoryhma::Legacy(group) => group.serialize(serializer),
                    Tietoryhma::Unknown(map) => map.serialize(serializer),
                }
            }
        }
    };
}

tietoryhmat! {
    /// Personal identity code correction (*henkilötunnuksen korjaus*; legacy 001).
    IdCorrection(IdCorrection) = "HENKILOTUNNUS_KORJAUS",
    /// Native language (*äidinkieli*; legacy 002).
    NativeLanguage(NativeLanguage) = "AIDINKIELI",
    /// Sex (*sukupuoli*; legacy 003).
    Sex(SexGroup) = "SUKUPUOLI",
    /// The person's name (*henkilön nimi*; legacy 004).
    PersonName(PersonName) = "HENKILON_NIMI",
    /// Name change (*nimenmuutos*; legacy 005).
    NameChange(NameChange) = "NIMENMUUTOS",
    /// Name change, extended with `nimenmuutostapa` (*nimenmuutos laaja*; legacy 005).
    NameChangeExtended(NameChange) = "NIMENMUUTOS_LAAJA",
    /// Calling name (*kutsumanimi*; legacy 423).
    CallingName(NameChange) = "KUTSUMANIMI",
    /// All citizenships (*kansalaisuus*; legacy 007, one group per citizenship there).
    Citizenship(Citizenship) = "KANSALAISUUS",
    /// Home municipality at birth (*syntymäkotikunta*; legacy 008).
    BirthMunicipality(BirthMunicipality) = "SYNTYMAKOTIKUNTA",
    /// Birthplace abroad (*ulkomainen syntymäpaikka*; legacy 009).
    ForeignBirthplace(ForeignBirthplace) = "ULKOMAINEN_SYNTYMAPAIKKA",
    /// Death (*kuolinpäivä*; legacy 013).
    Death(Death) = "KUOLINPAIVA",
    /// Security ban (*turvakielto*; legacy 015).
    SecurityBan(SecurityBan) = "TURVAKIELTO",
    /// Permanent domestic address (*vakinainen kotimainen osoite*; legacy 101).
    PermanentDomesticAddress(DomesticAddress) = "VAKINAINEN_KOTIMAINEN_OSOITE",
    /// Temporary domestic address (*tilapäinen kotimainen osoite*; legacy 102).
    TemporaryDomesticAddress(DomesticAddress) = "TILAPAINEN_KOTIMAINEN_OSOITE",
    /// Permanent dwelling identifier (*vakinainen kotimainen asuinpaikkatunnus*; with 101).
    PermanentResidenceId(ResidenceId) = "VAKINAINEN_KOTIMAINEN_ASUINPAIKKATUNNUS",
    /// Temporary dwelling identifier (*tilapäinen kotimainen asuinpaikkatunnus*; with 102).
    TemporaryResidenceId(ResidenceId) = "TILAPAINEN_KOTIMAINEN_ASUINPAIKKATUNNUS",
    /// Domestic postal address (*kotimainen postiosoite*; legacy 103).
    DomesticPostalAddress(DomesticPostalAddress) = "KOTIMAINEN_POSTIOSOITE",
    /// Foreign postal address (*ulkomainen postiosoite*; legacy 103 abroad).
    ForeignPostalAddress(ForeignAddress) = "ULKOMAINEN_POSTIOSOITE",
    /// Permanent foreign address (*vakinainen ulkomainen osoite*; legacy 104).
    PermanentForeignAddress(ForeignAddress) = "VAKINAINEN_ULKOMAINEN_OSOITE",
    /// Temporary foreign address (*tilapäinen ulkomainen osoite*; legacy 105).
    TemporaryForeignAddress(ForeignAddress) = "TILAPAINEN_ULKOMAINEN_OSOITE",
    /// Home municipality (*kotikunta*; legacy 204).
    HomeMunicipality(HomeMunicipality) = "KOTIKUNTA",
    /// Previous home municipality (*edellinen kotikunta*; legacy 204 history).
    PreviousHomeMunicipality(HomeMunicipality) = "EDELLINEN_KOTIKUNTA",
    /// The child's custodian (*huoltaja*; legacy 305 + 320).
    Custodian(Custody) = "HUOLTAJA",
    /// The child's custodian, limited data (*huoltaja suppea*; legacy 305 + 320).
    CustodianLimited(Custody) = "HUOLTAJA_SUPPEA",
    /// The custodian's ward (*huollettava*; legacy 305 seen from the custodian).
    Ward(Custody) = "HUOLLETTAVA",
    /// The custodian's ward, limited data (*huollettava suppea*).
    WardLimited(Custody) = "HUOLLETTAVA_SUPPEA",
    /// Guardianship (*edunvalvonta*; legacy 306 + 307).
    Guardianship(Guardianship) = "EDUNVALVONTA",
    /// Continuing power of attorney (*edunvalvontavaltuutus*; legacy 316 + 317).
    ContinuingPowerOfAttorney(ContinuingPowerOfAttorney) = "EDUNVALVONTAVALTUUTUS",
    /// Occupation (*ammatti*; legacy 401).
    Occupation(Occupation) = "AMMATTI",
    /// Email address (*sähköpostiosoite*; legacy 421).
    Email(Email) = "SAHKOPOSTIOSOITE",
    /// Foreign personal identity number (*ulkomainen henkilötunnus*; legacy 422).
    ForeignPersonalId(ForeignPersonalId) = "ULKOMAINEN_HENKILOTUNNUS",
}

impl<'de> Deserialize<'de> for Tietoryhma {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let map = Map::<String, Value>::deserialize(deserializer)?;
        Tietoryhma::from_map(map).map_err(D::Error::custom)
    }
}

/// A legacy group with no API counterpart (*vanha tietoryhmä*), carried through a conversion:
/// `{"tietoryhma": "LEGACY_<code>", "muutosattribuutti": ..., "teksti": "<group text>"}`.
///
/// The tag names the 3-digit legacy group code. This is the crate's own extension, not an API
/// group: a converter builds it for legacy groups it cannot map, so that nothing is lost.
/// Unlike the other group bodies it carries its own tag, so it serializes to the same object
/// alone as inside a [`Tietoryhma`]. An object tagged `LEGACY_...` that lacks this shape (a
/// 3-digit code, a string `teksti`, a string `muutosattribuutti` if any) reads as
/// [`Tietoryhma::Unknown`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LegacyGroup {
    /// The legacy group code, 3 digits such as `"001"` (*ryhmätunnus*), from the tag.
    pub code: String,
    /// The change attribute mapped from the legacy change digit (*muutosattribuutti*); `None`
    /// when the digit has no API value.
    pub change: Option<Muutosattribuutti>,
    /// The group's text as in the file (*teksti*): from the code to the end of the group,
    /// code and change digit included, separator `|` excluded, decoded to Unicode.
    pub text: String,
    /// Fields this crate does not know, kept as sent and written back unchanged.
    pub extra: Map<String, Value>,
}

/// The body of a [`LegacyGroup`] on the wire (everything but the tag), for reading.
#[derive(Deserialize)]
struct LegacyBody {
    #[serde(rename = "muutosattribuutti", default)]
    change: Option<Muutosattribuutti>,
    #[serde(rename = "teksti")]
    text: String,
    #[serde(flatten)]
    extra: Map<String, Value>,
}

/// The body of a [`LegacyGroup`] on the wire, for writing.
#[derive(Serialize)]
struct LegacyBodyRef<'a> {
    #[serde(rename = "muutosattribuutti", skip_serializing_if = "Option::is_none")]
    change: Option<&'a Muutosattribuutti>,
    #[serde(rename = "teksti")]
    text: &'a str,
    #[serde(flatten)]
    extra: &'a Map<String, Value>,
}

impl LegacyGroup {
    /// A legacy group from its code, change attribute and text.
    pub fn new(
        code: impl Into<String>,
        change: Option<Muutosattribuutti>,
        text: impl Into<String>,
    ) -> Self {
        LegacyGroup {
            code: code.into(),
            change,
            text: text.into(),
            extra: Map::new(),
        }
    }

    /// The group's tag, `LEGACY_<code>`.
    pub fn tag(&self) -> String {
        format!("{LEGACY_PREFIX}{}", self.code)
    }

    /// The legacy code in a `LEGACY_<3 digits>` tag.
    pub fn code_of_tag(tag: &str) -> Option<&str> {
        let code = tag.strip_prefix(LEGACY_PREFIX)?;
        (code.len() == 3 && code.bytes().all(|b| b.is_ascii_digit())).then_some(code)
    }

    /// Whether an object tagged `LEGACY_...` reads as a [`LegacyGroup`].
    fn has_shape(map: &Map<String, Value>) -> bool {
        map.get(TAG)
            .and_then(Value::as_str)
            .and_then(LegacyGroup::code_of_tag)
            .is_some()
            && map.get("teksti").is_some_and(Value::is_string)
            && map.get("muutosattribuutti").is_none_or(|v| v.is_string())
    }
}

impl Serialize for LegacyGroup {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let body = LegacyBodyRef {
            change: self.change.as_ref(),
            text: &self.text,
            extra: &self.extra,
        };
        Tagged {
            tag: &self.tag(),
            body: &body,
        }
        .serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for LegacyGroup {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let mut map = Map::<String, Value>::deserialize(deserializer)?;
        let code = match map.remove(TAG) {
            Some(Value::String(tag)) => match LegacyGroup::code_of_tag(&tag) {
                Some(code) => code.to_owned(),
                None => {
                    return Err(D::Error::custom(format_args!(
                        "`{tag}` is not a LEGACY_<3 digits> tag"
                    )))
                }
            },
            Some(_) => return Err(D::Error::custom("`tietoryhma` is not a string")),
            None => return Err(D::Error::missing_field(TAG)),
        };
        let body: LegacyBody =
            serde_json::from_value(Value::Object(map)).map_err(D::Error::custom)?;
        Ok(LegacyGroup {
            code,
            change: body.change,
            text: body.text,
            extra: body.extra,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn every_known_name_reads_as_its_own_typed_variant() {
        let mut seen = std::collections::BTreeSet::new();
        for name in Tietoryhma::KNOWN_NAMES {
            assert!(seen.insert(*name), "{name} twice");
            let bare = json!({ "tietoryhma": name });
            let group: Tietoryhma = serde_json::from_value(bare.clone()).unwrap();
            assert!(!matches!(
                group,
                Tietoryhma::Unknown(_) | Tietoryhma::Legacy(_)
            ));
            assert_eq!(group.name(), *name);
            assert_eq!(group.change(), None);
            assert_eq!(serde_json::to_value(&group).unwrap(), bare);
        }
        assert!(!seen.iter().any(|n| n.starts_with(LEGACY_PREFIX)));
    }

    #[test]
    fn legacy_tags() {
        assert_eq!(LegacyGroup::code_of_tag("LEGACY_001"), Some("001"));
        for bad in [
            "LEGACY_01",
            "LEGACY_0001",
            "LEGACY_00a",
            "legacy_001",
            "001",
        ] {
            assert_eq!(LegacyGroup::code_of_tag(bad), None, "{bad}");
        }
        assert_eq!(LegacyGroup::new("452", None, "4520x").tag(), "LEGACY_452");
    }

    #[test]
    fn unknown_group_built_by_hand_without_tag_has_an_empty_name() {
        assert_eq!(Tietoryhma::Unknown(Map::new()).name(), "");
    }
}
