//! The bodies of the data groups (*tietoryhmät*) that the legacy groups map to (mapping section
//! 1.8), with their nested objects and enums. Field lists follow the catalogue in section 1.5.
//!
//! Every field is optional: base data leaves out `muutosattribuutti`, and a security ban
//! removes fields. A field sent as `null` reads as `None` and is written back as absent (the
//! API does not give `null` a meaning of its own except in [`Monikielinen`]).

use super::common::{HenkiloViite, Monikielinen, Paivamaara, Sex, Validity};

// --- Person, identity, name -------------------------------------------------------------------

api_group! {
    /// Personal identity code correction (*henkilötunnuksen korjaus*, `HENKILOTUNNUS_KORJAUS`;
    /// legacy 001). One change produces two groups: the new code `AKTIIVI` + `LISATTY` and the
    /// old one `PASSIIVI` + `MUUTETTU`.
    pub struct IdCorrection {
        /// Whether this code is the active or the passivated one (*voimassaolo*).
        validity: Validity = "voimassaolo",
        /// The code this group is about (*muutettu henkilötunnus*).
        changed_id: String = "muutettuHenkilotunnus",
        /// The person's active code (*aktiivinen henkilötunnus*).
        active_id: String = "aktiivinenHenkilotunnus",
        /// The person's earlier codes (*edelliset henkilötunnukset*).
        previous_ids: Vec<String> = "edellisetHenkilotunnukset",
    }
}

api_group! {
    /// Native language (*äidinkieli*, `AIDINKIELI`; legacy 002).
    pub struct NativeLanguage {
        /// Language code (*kielikoodi*), ISO 639-1 style, or `98` for another language named in
        /// `nimi`.
        language_code: String = "kielikoodi",
        /// ISO 639-2 language code (*kielikoodi ISO 639-2*), e.g. `fin`, `swe`, `fse`.
        language_code_iso639_2: String = "kielikoodiISO6392",
        /// The language's name as free text when the code is `98` (*nimi*; legacy 452).
        name: String = "nimi",
        /// Start date (*alkupäivä*).
        start: Paivamaara = "alkupv",
        /// End date (*loppupäivä*).
        end: Paivamaara = "loppupv",
    }
}

api_group! {
    /// Sex (*sukupuoli*, `SUKUPUOLI`; legacy 003).
    pub struct SexGroup {
        /// Sex (*sukupuoli*).
        sex: Sex = "sukupuoli",
    }
}

api_group! {
    /// The person's name (*henkilön nimi*, `HENKILON_NIMI`; legacy 004).
    pub struct PersonName {
        /// First names (*etunimi*; the API uses the singular for all first names).
        first_names: String = "etunimi",
        /// Last name (*sukunimi*).
        last_name: String = "sukunimi",
        /// Start date (*alkupäivä*).
        start: Paivamaara = "alkupv",
        /// Extra information (*lisätieto*; seen in older client code).
        additional_info: String = "lisatieto",
    }
}

open_enum! {
    /// Which name a name group is about (*nimilaji*).
    pub enum NameKind "nimilaji" {
        /// Current first names (*nykyinen etunimi*).
        CurrentFirstNames = "NYKYINEN_ETUNIMI",
        /// Former first names (*edellinen etunimi*).
        FormerFirstNames = "EDELLINEN_ETUNIMI",
        /// Current last name (*nykyinen sukunimi*).
        CurrentLastName = "NYKYINEN_SUKUNIMI",
        /// Former last name (*edellinen sukunimi*).
        FormerLastName = "EDELLINEN_SUKUNIMI",
        /// Current calling name (*nykyinen kutsumanimi*).
        CurrentCallingName = "NYKYINEN_KUTSUMANIMI",
        /// Former calling name (*edellinen kutsumanimi*).
        FormerCallingName = "EDELLINEN_KUTSUMANIMI",
        /// The last name while last unmarried (*viimeksi naimattomana ollessa ollut sukunimi*).
        LastNameWhileUnmarried = "VIIMEKSI_NAIMATTOMANA_OLLESSA_OLLUT_SUKUNIMI",
    }
}

open_enum! {
    /// How a name was changed (*nimenmuutostapa*).
    pub enum NameChangeMethod "nimenmuutostapa" {
        /// First name changed on application (*etunimen muutos hakemuksella*).
        FirstNameChangeOnApplication = "ETUNIMEN_MUUTOS_HAKEMUKSELLA",
        /// Calling name change (*kutsumanimen muutos*).
        CallingNameChange = "KUTSUMANIMEN_MUUTOS",
        /// Name change abroad (*nimenmuutos ulkomailla*).
        NameChangeAbroad = "NIMENMUUTOS_ULKOMAILLA",
    }
}

api_group! {
    /// A name change or calling name (*nimenmuutos*): the body of `NIMENMUUTOS`,
    /// `NIMENMUUTOS_LAAJA` (extended, with `nimenmuutostapa`) and `KUTSUMANIMI` (*kutsumanimi*,
    /// calling name) (legacy 005 and 423).
    pub struct NameChange {
        /// Which name this is (*nimilaji*).
        kind: NameKind = "nimilaji",
        /// The name (*nimi*).
        name: String = "nimi",
        /// Start date (*alkupäivä*).
        start: Paivamaara = "alkupv",
        /// End date (*loppupäivä*).
        end: Paivamaara = "loppupv",
        /// How the name was changed (*nimenmuutostapa*; `NIMENMUUTOS_LAAJA` only).
        method: NameChangeMethod = "nimenmuutostapa",
    }
}

api_object! {
    /// One citizenship (*kansalaisuus*) inside [`Citizenship`].
    pub struct CitizenshipEntry {
        /// Country, ISO 3166 numeric (*kansalaisuuskoodi*); `998` = unknown.
        country_code: String = "kansalaisuuskoodi",
        /// Whether the citizenship is in force (*voimassaolo*).
        validity: Validity = "voimassaolo",
        /// Date acquired (*saamispäivä*).
        acquired: Paivamaara = "saamispv",
        /// Date lost (*menetyspäivä*).
        lost: Paivamaara = "menetyspv",
    }
}

api_group! {
    /// Citizenships (*kansalaisuus*, `KANSALAISUUS`; legacy 007). This one group carries ALL
    /// of the person's citizenships, plus delta lists of what the change did; in the legacy
    /// format each citizenship was a separate group.
    pub struct Citizenship {
        /// All the person's citizenships (*henkilön kansalaisuudet*).
        citizenships: Vec<CitizenshipEntry> = "henkilonKansalaisuudet",
        /// Citizenships added by this change (*lisätyt kansalaisuudet*).
        added: Vec<CitizenshipEntry> = "lisatytKansalaisuudet",
        /// Citizenships changed by this change (*muutetut kansalaisuudet*).
        changed: Vec<CitizenshipEntry> = "muutetutKansalaisuudet",
        /// Citizenships removed by this change (*poistetut kansalaisuudet*).
        removed: Vec<CitizenshipEntry> = "poistetutKansalaisuudet",
        /// Citizenships being corrected: the old content (*korjattavat kansalaisuudet*).
        being_corrected: Vec<CitizenshipEntry> = "korjattavatKansalaisuudet",
        /// Corrected citizenships: the new content (*korjatut kansalaisuudet*).
        corrected: Vec<CitizenshipEntry> = "korjatutKansalaisuudet",
    }
}

api_group! {
    /// Home municipality at birth (*syntymäkotikunta*, `SYNTYMAKOTIKUNTA`; legacy 008).
    pub struct BirthMunicipality {
        /// Municipality code, 3 digits (*kuntakoodi*).
        municipality_code: String = "kuntakoodi",
    }
}

api_group! {
    /// Birthplace abroad (*ulkomainen syntymäpaikka*, `ULKOMAINEN_SYNTYMAPAIKKA`; legacy 009).
    pub struct ForeignBirthplace {
        /// Country code (*valtiokoodi*).
        country_code: String = "valtiokoodi",
        /// The place (*ulkomainen syntymäpaikka*).
        place: String = "ulkomainenSyntymapaikka",
    }
}

api_group! {
    /// Death (*kuolinpäivä*, `KUOLINPAIVA`; legacy 013). A removed death date comes as a
    /// correction with `kuollut: false`.
    pub struct Death {
        /// Whether the person is dead (*kuollut*).
        dead: bool = "kuollut",
        /// Date of death (*kuolinpäivä*).
        date: Paivamaara = "kuolinpv",
    }
}

api_group! {
    /// Security ban (*turvakielto*, `TURVAKIELTO`; legacy 015). The groups it covers come with
    /// their fields removed and `turvakiellonAlaisetKentat` set.
    pub struct SecurityBan {
        /// Whether the ban is in force (*turvakielto aktiivinen*).
        active: bool = "turvakieltoAktiivinen",
        /// End date (*turvakiellon loppupäivä*; note the capital P in the JSON name). Legacy
        /// `99990000` = indefinite.
        end: Paivamaara = "turvaLoppuPv",
    }
}

// --- Addresses --------------------------------------------------------------------------------

api_group! {
    /// A domestic address (*kotimainen osoite*): the body of `VAKINAINEN_KOTIMAINEN_OSOITE`
    /// (permanent; legacy 101) and `TILAPAINEN_KOTIMAINEN_OSOITE` (temporary; legacy 102).
    pub struct DomesticAddress {
        /// Street name (*katunimi*).
        street: Monikielinen = "katunimi",
        /// House number, free form such as `6a-6b` (*katunumero*).
        house_number: String = "katunumero",
        /// Staircase letter (*huoneistokirjain*).
        staircase_letter: String = "huoneistokirjain",
        /// Apartment number, zero-padded such as `003` (*huoneistonumero*).
        apartment_number: String = "huoneistonumero",
        /// Division letter (*jakokirjain*).
        division_letter: String = "jakokirjain",
        /// Postcode, 5 digits (*postinumero*).
        postcode: String = "postinumero",
        /// Post office (*postitoimipaikka*).
        post_office: Monikielinen = "postitoimipaikka",
        /// Permanent building identifier, 10 characters (*rakennustunnus*, VTJ-PRT).
        building_id: String = "rakennustunnus",
        /// Address number of the building (*osoitenumero*).
        address_number: u32 = "osoitenumero",
        /// Municipality code, 3 digits (*kuntakoodi*).
        municipality_code: String = "kuntakoodi",
        /// Start date (*alkupäivä*).
        start: Paivamaara = "alkupv",
        /// End date (*loppupäivä*).
        end: Paivamaara = "loppupv",
    }
}

api_group! {
    /// A dwelling identifier (*asuinpaikkatunnus*): the body of
    /// `VAKINAINEN_KOTIMAINEN_ASUINPAIKKATUNNUS` and `TILAPAINEN_KOTIMAINEN_ASUINPAIKKATUNNUS`
    /// (sent beside the addresses of legacy 101/102).
    pub struct ResidenceId {
        /// Permanent building identifier (*rakennustunnus*).
        building_id: String = "rakennustunnus",
        /// Address number of the building (*osoitenumero*).
        address_number: u32 = "osoitenumero",
        /// Staircase letter (*huoneistokirjain*).
        staircase_letter: String = "huoneistokirjain",
        /// Apartment number (*huoneistonumero*).
        apartment_number: String = "huoneistonumero",
        /// Division letter (*jakokirjain*).
        division_letter: String = "jakokirjain",
        /// Municipality code (*kuntakoodi*).
        municipality_code: String = "kuntakoodi",
        /// Start date (*alkupäivä*).
        start: Paivamaara = "alkupv",
        /// End date (*loppupäivä*).
        end: Paivamaara = "loppupv",
        /// The dwelling identifier, 16 characters (*asuinpaikantunnus*): building id (10),
        /// address number (1), staircase letter (1), apartment number (3), division letter (1,
        /// a space when empty).
        residence_id: String = "asuinpaikantunnus",
    }
}

api_group! {
    /// Domestic postal address (*kotimainen postiosoite*, `KOTIMAINEN_POSTIOSOITE`; legacy 103).
    pub struct DomesticPostalAddress {
        /// The whole street line (*postiosoite*).
        address: Monikielinen = "postiosoite",
        /// Postcode (*postinumero*).
        postcode: String = "postinumero",
        /// Post office (*postitoimipaikka*).
        post_office: Monikielinen = "postitoimipaikka",
        /// Start date (*alkupäivä*).
        start: Paivamaara = "alkupv",
        /// End date (*loppupäivä*).
        end: Paivamaara = "loppupv",
    }
}

api_group! {
    /// A foreign address (*ulkomainen osoite*): the body of `VAKINAINEN_ULKOMAINEN_OSOITE`
    /// (permanent; legacy 104), `TILAPAINEN_ULKOMAINEN_OSOITE` (temporary; legacy 105) and
    /// `ULKOMAINEN_POSTIOSOITE` (foreign postal address; legacy 103 abroad).
    pub struct ForeignAddress {
        /// Street address (*lähiosoite*).
        street_address: String = "lahiosoite",
        /// Locality (*paikkakunta*).
        locality: String = "paikkakunta",
        /// Country code, 3 digits (*valtiokoodi*).
        country_code: String = "valtiokoodi",
        /// Country name as free text when the code is `998` (*valtionimi*; legacy 452).
        country_name: String = "valtionimi",
        /// Start date (*alkupäivä*).
        start: Paivamaara = "alkupv",
        /// End date (*loppupäivä*).
        end: Paivamaara = "loppupv",
    }
}

// --- Residence and municipality ---------------------------------------------------------------

api_group! {
    /// A home municipality (*kotikunta*): the body of `KOTIKUNTA` (legacy 204) and
    /// `EDELLINEN_KOTIKUNTA` (previous home municipality).
    ///
    /// The API sends the move-in date as `kuntaanMuuttopv` and ALSO as `kuntaanMuuttoPv`
    /// (capital P). Each spelling has its own field, so a document is written back with the
    /// spellings it came with; read the date with [`move_in_date`](Self::move_in_date), which
    /// accepts either, and set it with [`set_move_in_date`](Self::set_move_in_date).
    pub struct HomeMunicipality {
        /// Municipality code, 3 digits (*kuntakoodi*).
        municipality_code: String = "kuntakoodi",
        /// Move-in date (*kuntaan muuttopäivä*), documented spelling.
        moved_in: Paivamaara = "kuntaanMuuttopv",
        /// Move-in date (*kuntaan muuttopäivä*), the second spelling with a capital P.
        moved_in_capital_p: Paivamaara = "kuntaanMuuttoPv",
        /// Move-out date (*kunnasta poismuuttopäivä*; `EDELLINEN_KOTIKUNTA`).
        moved_out: Paivamaara = "kunnastaPoisMuuttopv",
    }
}

impl HomeMunicipality {
    /// The move-in date under either spelling (`kuntaanMuuttopv` first).
    pub fn move_in_date(&self) -> Option<&Paivamaara> {
        self.moved_in.as_ref().or(self.moved_in_capital_p.as_ref())
    }

    /// Sets the move-in date under each spelling already present (only `kuntaanMuuttopv`
    /// when neither is).
    pub fn set_move_in_date(&mut self, date: Option<Paivamaara>) {
        let capital_only = self.moved_in.is_none() && self.moved_in_capital_p.is_some();
        if self.moved_in_capital_p.is_some() {
            self.moved_in_capital_p = date.clone();
        }
        if !capital_only {
            self.moved_in = date;
        }
    }
}

// --- Family and guardianship ------------------------------------------------------------------

open_enum! {
    /// Kind of custodian (*huoltajan laji*).
    pub enum CustodianKind "huoltajanLaji" {
        /// Custodian by law (*lakisääteinen huoltaja*); legacy kind 1.
        Statutory = "LAKISAATEINEN_HUOLTAJA",
        /// Appointed custodian (*määrätty huoltaja*); legacy kind 2.
        Appointed = "MAARATTY_HUOLTAJA",
    }
}

open_enum! {
    /// The custodian's role (*huoltajan rooli*).
    pub enum CustodianRole "huoltajanRooli" {
        /// Father (*isä*); legacy 1.
        Father = "ISA",
        /// Mother (*äiti*); legacy 2.
        Mother = "AITI",
        /// Adoptive father (*adoptioisä*); legacy 3.
        AdoptiveFather = "ADOPTIOISA",
        /// Adoptive mother (*adoptioäiti*); legacy 4.
        AdoptiveMother = "ADOPTIOAITI",
        /// Mother by acknowledgement (*tunnustanut äiti*); legacy 6.
        AcknowledgedMother = "TUNNUSTANUT_AITI",
        /// Another custodian (*muu huoltaja*); legacy blank.
        OtherCustodian = "MUU_HUOLTAJA",
    }
}

open_enum! {
    /// Where the child lives (*asuminen*). Only one token is seen in public code; the legacy
    /// format had codes 1–8.
    pub enum LivingArrangement "asuminen" {
        /// With the mother (*äidin luona*).
        WithMother = "AIDIN_LUONA",
    }
}

open_enum! {
    /// A custody right (*oikeus*). Only one token is seen in public code; the legacy 320 codes
    /// were P (decision right), T (information right), A (alternating residence) + 3 digits.
    pub enum CustodyRightKind "oikeus" {
        /// Division of custody described in the content text (*huollon jako kuvattu
        /// sisältötekstissä*).
        DivisionDescribedInText = "HUOLLON_JAKO_KUVATTU_SISALTOTEKSTISSA",
    }
}

api_object! {
    /// A right or duty in custody (*huollon oikeus*; legacy 320) inside [`Custody`].
    pub struct CustodyRight {
        /// The right (*oikeus*).
        right: CustodyRightKind = "oikeus",
        /// Start date (*oikeuden alkupäivä*).
        start: Paivamaara = "oikeudenAlkupv",
        /// End date (*oikeuden loppupäivä*).
        end: Paivamaara = "oikeudenLoppupv",
        /// Free text (*sisältö*).
        content: String = "sisalto",
    }
}

api_group! {
    /// A custody relation (*huoltosuhde*; legacy 305 with its 320 rights): the body of
    /// `HUOLTAJA` (the child's custodian) and `HUOLTAJA_SUPPEA` (limited), and of their mirror
    /// seen from the custodian's side, `HUOLLETTAVA` and `HUOLLETTAVA_SUPPEA` (the ward).
    /// `huoltaja` is set in the first two, `huollettava` in the last two.
    pub struct Custody {
        /// The custodian (*huoltaja*).
        custodian: HenkiloViite = "huoltaja",
        /// The ward (*huollettava*).
        ward: HenkiloViite = "huollettava",
        /// Kind of custodian (*huoltajan laji*).
        kind: CustodianKind = "huoltajanLaji",
        /// The custodian's role (*huoltajan rooli*).
        role: CustodianRole = "huoltajanRooli",
        /// Start of custody (*huoltosuhteen alkupäivä*).
        start: Paivamaara = "huoltosuhteenAlkupv",
        /// End of custody (*huoltosuhteen loppupäivä*).
        end: Paivamaara = "huoltosuhteenLoppupv",
        /// Where the child lives (*asuminen*).
        living: LivingArrangement = "asuminen",
        /// Start of the living arrangement (*asumisen alkupäivä*).
        living_start: Paivamaara = "asumisenAlkupv",
        /// End of the living arrangement (*asumisen loppupäivä*).
        living_end: Paivamaara = "asumisenLoppupv",
        /// Rights and duties (*oikeudet*).
        rights: Vec<CustodyRight> = "oikeudet",
        /// Rights added by this change (*lisätyt oikeudet*).
        added_rights: Vec<CustodyRight> = "lisatytOikeudet",
        /// Rights removed by this change (*poistetut oikeudet*).
        removed_rights: Vec<CustodyRight> = "poistetutOikeudet",
        /// Rights changed by this change (*muutetut oikeudet*).
        changed_rights: Vec<CustodyRight> = "muutetutOikeudet",
        /// Whether the custody relation itself changed (*huoltosuhteen muutos*).
        custody_changed: bool = "huoltosuhteenMuutos",
        /// Whether the rights changed (*huollon oikeuden muutos*).
        rights_changed: bool = "huollonOikeudenMuutos",
        /// Whether the living arrangement changed (*huollon asumisen muutos*).
        living_changed: bool = "huollonAsumisenMuutos",
    }
}

api_object! {
    /// One guardian (*edunvalvoja*; legacy 307) inside [`Guardianship`]. Only `edunvalvoja` is
    /// seen in public code; other fields stay in `extra`.
    pub struct Guardian {
        /// The guardian (*edunvalvoja*); without `henkilotunnus` when the legacy record had a
        /// 451 group instead.
        guardian: HenkiloViite = "edunvalvoja",
    }
}

api_group! {
    /// Guardianship (*edunvalvonta*, `EDUNVALVONTA`; legacy 306 with its 307 guardians nested).
    pub struct Guardianship {
        /// Start date (*alkupäivä*).
        start: Paivamaara = "alkupv",
        /// End date (*päättymispäivä*).
        end: Paivamaara = "paatymispv",
        /// The current guardians (*nykyiset edunvalvojat*).
        guardians: Vec<Guardian> = "nykyisetEdunvalvojat",
    }
}

api_object! {
    /// One attorney (*edunvalvontavaltuutettu*; legacy 317) inside [`ContinuingPowerOfAttorney`].
    pub struct Attorney {
        /// The attorney (*edunvalvontavaltuutettu*).
        attorney: HenkiloViite = "edunvalvontavaltuutettu",
        /// Start of the mandate (*valtuutussuhteen alkupäivä*).
        start: Paivamaara = "valtuutussuhteenAlkupv",
        /// End of the mandate (*valtuutussuhteen loppupäivä*).
        end: Paivamaara = "valtuutussuhteenLoppupv",
    }
}

api_group! {
    /// Continuing power of attorney (*edunvalvontavaltuutus*, `EDUNVALVONTAVALTUUTUS`; legacy
    /// 316 with its 317 attorneys nested).
    pub struct ContinuingPowerOfAttorney {
        /// The current attorneys (*nykyiset edunvalvontavaltuutetut*).
        attorneys: Vec<Attorney> = "nykyisetEdunvalvontavaltuutetut",
    }
}

// --- Other ------------------------------------------------------------------------------------

api_group! {
    /// Occupation (*ammatti*, `AMMATTI`; legacy 401).
    pub struct Occupation {
        /// The occupation (*ammatti*).
        occupation: String = "ammatti",
    }
}

api_group! {
    /// Email address (*sähköpostiosoite*, `SAHKOPOSTIOSOITE`; legacy 421).
    pub struct Email {
        /// The address (*sähköpostiosoite*).
        address: String = "sahkopostiosoite",
        /// Who recorded it (*lajikoodi*), e.g. `MAISTRAATTI`.
        kind_code: String = "lajikoodi",
        /// Start date (*alkupäivä*).
        start: Paivamaara = "alkupv",
        /// End date (*loppupäivä*).
        end: Paivamaara = "loppupv",
    }
}

api_group! {
    /// Foreign personal identity number (*ulkomainen henkilötunnus*, `ULKOMAINEN_HENKILOTUNNUS`;
    /// legacy 422 `ULKOMAINEN_HENKILONUMERO`).
    pub struct ForeignPersonalId {
        /// The number (*ulkomainen henkilötunnus*).
        id: String = "ulkomainenHenkilotunnus",
        /// Issuing country code (*valtiokoodi*).
        country_code: String = "valtiokoodi",
        /// Whether it is in force (*voimassaolo*).
        validity: Validity = "voimassaolo",
    }
}
