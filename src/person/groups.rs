//! The person data groups (*tietoryhmät*): one definition each, section 7 of the format reference.
//!
//! Every struct below is written once, as field name, type, width and Finnish term; the
//! [`layout_struct!`](crate::layout_struct) macro derives from it the struct, its layout table
//! (offsets follow from the widths), its parser, writer and serde names. The catalogue at the end
//! maps group codes to structs (101 and 102 share a layout, as do 104/105 and 005/423; 305 has
//! two layouts told apart by length).

use super::codes::*;
use crate::field::{Code, Digits, MunicipalityCode, PersonId, Text, VtjDate};

crate::record::group_structs! {
    /// 001 personal id correction (*henkilötunnuskorjaus*): an id the person has or has had.
    IdCorrection {
        /// The id (*henkilötunnus*).
        person_id: PersonId [11] "henkilötunnus",
        /// Active or passivated (*voimassaolo*).
        validity: Code<IdValidity> [1] "voimassaolo",
    }

    /// 002 mother tongue (*äidinkieli*).
    MotherTongue {
        /// ISO 639-1 language code, `98` = given in a following 452 (*kielikoodi*).
        language: Code<Language> [2] "kielikoodi",
    }

    /// 003 sex (*sukupuoli*).
    SexGroup {
        /// Sex (*sukupuoli*).
        sex: Code<Sex> [1] "sukupuoli",
    }

    /// 004 current name (*henkilön nimi*).
    CurrentName {
        /// Last name (*sukunimi*).
        last_name: Text [100] "sukunimi",
        /// All first names, space-separated (*etunimet*).
        first_names: Text [100] "etunimet",
        /// A date, zero in most records (Java `lastUpdateDate`; *päivityspäivä*).
        updated: VtjDate [8] "päivityspäivä",
        /// Where non-standard characters are (*lisätieto*).
        special_characters: Code<SpecialCharacters> [1] "lisätieto",
    }

    /// 005 name history entry (*nimenmuutos*) and 423 call name (*kutsumanimi*): the same layout.
    NameEntry {
        /// The name (*nimi*).
        name: Text [100] "nimi",
        /// Kind of name (*nimilaji*).
        name_kind: Code<NameKind> [2] "nimilaji",
        /// Start (*alkupäivä*).
        start: VtjDate [8] "alkupäivä",
        /// End (*loppupäivä*).
        end: VtjDate [8] "loppupäivä",
        /// Non-standard characters in the name (*erikoismerkkejä*).
        non_standard_characters: Code<Flag> [1] "erikoismerkkejä",
    }

    /// 007 citizenship (*kansalaisuus*).
    Citizenship {
        /// Country, ISO 3166 numeric; `998` = given in a following 452 (*kansalaisuuskoodi*).
        country: Code<Country> [3] "kansalaisuuskoodi",
        /// Valid or not (*voimassa*).
        validity: Code<Validity> [1] "voimassa",
        /// Acquired (*saamispäivä*).
        start: VtjDate [8] "saamispäivä",
        /// End (*loppupäivä*).
        end: VtjDate [8] "loppupäivä",
    }

    /// 008 municipality at birth (*syntymäkotikunta*); never seen in real data.
    BirthMunicipality {
        /// Municipality number (*kuntakoodi*).
        municipality: MunicipalityCode [3] "kuntakoodi",
    }

    /// 009 foreign place of birth (*ulkomainen syntymäpaikka*).
    ForeignBirthplace {
        /// Country; `998` = given in a following 452 (*valtiokoodi*).
        country: Code<Country> [3] "valtiokoodi",
        /// Place name (*paikkakunta*).
        place: Text [50] "paikkakunta",
    }

    /// 013 date of death (*kuolinpäivä*).
    DateOfDeath {
        /// Date of death (*kuolinpäivä*).
        date: VtjDate [8] "kuolinpäivä",
    }

    /// 015 non-disclosure order for personal safety (*turvakielto*).
    NonDisclosure {
        /// End of the order; `99990000` = until further notice (*päättymispäivä*).
        end: VtjDate [8] "päättymispäivä",
    }

    /// 101 permanent and 102 temporary domestic address (*vakinainen / tilapäinen kotimainen osoite*).
    DomesticAddress {
        /// Street address in Finnish (*lähiosoite suomeksi*).
        street_fi: Text [100] "lähiosoite suomeksi",
        /// Street address in Swedish (*lähiosoite ruotsiksi*).
        street_sv: Text [100] "lähiosoite ruotsiksi",
        /// House number, text such as `12`, `8b`, `13-15` (*katunumero*).
        house_number: Text [7] "katunumero",
        /// Staircase letter (*porraskirjain*).
        staircase: Text [1] "porraskirjain",
        /// Apartment number, zero-padded (*huoneistonumero*).
        apartment: Digits [3] "huoneistonumero",
        /// Apartment division letter (*jakokirjain*).
        division_letter: Text [1] "jakokirjain",
        /// Postal code (*postinumero*).
        postal_code: Digits [5] "postinumero",
        /// Start (*alkupäivä*).
        start: VtjDate [8] "alkupäivä",
        /// End (*loppupäivä*).
        end: VtjDate [8] "loppupäivä",
    }

    /// 103 domestic postal address (*postiosoite*).
    PostalAddress {
        /// Postal address in Finnish (*postiosoite*).
        address_fi: Text [50] "postiosoite",
        /// Postal address in Swedish (*postiosoite ruotsiksi*).
        address_sv: Text [50] "postiosoite ruotsiksi",
        /// Postal code (*postinumero*).
        postal_code: Digits [5] "postinumero",
        /// Start (*alkupäivä*).
        start: VtjDate [8] "alkupäivä",
        /// End (*loppupäivä*).
        end: VtjDate [8] "loppupäivä",
    }

    /// 104 permanent and 105 temporary foreign address (*ulkomainen osoite*).
    ForeignAddress {
        /// Street address (*ulkomainen lähiosoite*).
        street: Text [80] "ulkomainen lähiosoite",
        /// Locality, postal code included (*paikkakunta*).
        locality: Text [80] "paikkakunta",
        /// Country; `998` = given in a following 452 (*valtiokoodi*).
        country: Code<Country> [3] "valtiokoodi",
        /// Start (*alkupäivä*).
        start: VtjDate [8] "alkupäivä",
        /// End (*loppupäivä*).
        end: VtjDate [8] "loppupäivä",
    }

    /// 204 municipality of residence (*kotikunta*).
    HomeMunicipality {
        /// Municipality number (*kuntanumero*).
        municipality: MunicipalityCode [3] "kuntanumero",
        /// Moved in (*kuntaan muuttopäivä*).
        moved_in: VtjDate [8] "kuntaan muuttopäivä",
    }

    /// 305 guardian of a minor (*huoltaja*), layout before 2019-12-01 (43 characters).
    GuardianLegacy {
        /// Guardian's id; blank → a 451 follows (*huoltajan henkilötunnus*).
        guardian_id: PersonId [11] "huoltajan henkilötunnus",
        /// Relationship kind (*henkilösuhteen laji*).
        relationship: Code<LegacyGuardianKind> [2] "henkilösuhteen laji",
        /// Custody division (*huollonjako*).
        custody_division: Code<CustodyDivision> [1] "huollonjako",
        /// In force (*voimassa*).
        validity: Code<Validity> [1] "voimassa",
        /// Start (*alkupäivä*).
        start: VtjDate [8] "alkupäivä",
        /// End (*loppupäivä*).
        end: VtjDate [8] "loppupäivä",
        /// Decision date (*päätöspäivä*).
        decision_date: VtjDate [8] "päätöspäivä",
    }

    /// 305 guardian of a minor (*huoltaja*), layout from 2019-12-01 (50 characters).
    Guardian {
        /// Guardian's id; blank → a 451 follows (*huoltajan henkilötunnus*).
        guardian_id: PersonId [11] "huoltajan henkilötunnus",
        /// Kind of guardian (*huoltajan laji*).
        kind: Code<GuardianKind> [1] "huoltajan laji",
        /// Role (*rooli*).
        role: Code<GuardianRole> [1] "rooli",
        /// Start of custody (*alkupäivä*).
        start: VtjDate [8] "alkupäivä",
        /// End of custody (*loppupäivä*).
        end: VtjDate [8] "loppupäivä",
        /// The child's residence arrangement (*asuminen*).
        residence: Code<ResidenceArrangement> [1] "asuminen",
        /// Start of the residence decision (*asumisen alkupäivä*).
        residence_start: VtjDate [8] "asumisen alkupäivä",
        /// End of the residence decision (*asumisen loppupäivä*).
        residence_end: VtjDate [8] "asumisen loppupäivä",
    }

    /// 306 guardianship of an adult (*edunvalvonta*).
    Guardianship {
        /// Start (*alkupäivä*).
        start: VtjDate [8] "alkupäivä",
        /// End (*loppupäivä*).
        end: VtjDate [8] "loppupäivä",
        /// An order dividing duties has been given (*tehtävien jako*).
        duties_divided: Code<Flag> [1] "tehtävien jako",
        /// Legal capacity (*toimintakelpoisuus*).
        legal_capacity: Code<LegalCapacity> [1] "toimintakelpoisuus",
        /// Number of trustees (307 groups) that follow (*edunvalvojien lukumäärä*).
        trustee_count: Digits [2] "edunvalvojien lukumäärä",
    }

    /// 307 guardian / trustee (*edunvalvoja*).
    Trustee {
        /// Trustee's id; blank → identified otherwise or by a 451 (*henkilötunnus*).
        trustee_id: PersonId [11] "henkilötunnus",
        /// Business id (*y-tunnus*).
        business_id: Text [9] "y-tunnus",
        /// Municipality number (*kuntakoodi*).
        municipality: MunicipalityCode [3] "kuntakoodi",
        /// State legal-aid office unit (*oikeusaputoimiston koodi*).
        legal_aid_office: Digits [6] "oikeusaputoimiston koodi",
        /// Start (*alkupäivä*).
        start: VtjDate [8] "alkupäivä",
        /// End (*loppupäivä*).
        end: VtjDate [8] "loppupäivä",
    }

    /// 316 continuing power of attorney (*edunvalvontavaltuutus*).
    PowerOfAttorney {
        /// Start (*alkupäivä*).
        start: VtjDate [8] "alkupäivä",
        /// End (*loppupäivä*).
        end: VtjDate [8] "loppupäivä",
        /// An order dividing duties has been given (*tehtävien jako*).
        duties_divided: Code<Flag> [1] "tehtävien jako",
        /// Number of attorneys (317 groups) that follow (*valtuutettujen lukumäärä*).
        attorney_count: Digits [2] "valtuutettujen lukumäärä",
    }

    /// 317 attorney named in a power of attorney (*edunvalvontavaltuutettu*).
    Attorney {
        /// Attorney's id; blank → a 451 follows (*henkilötunnus*).
        attorney_id: PersonId [11] "henkilötunnus",
        /// Start (*alkupäivä*).
        start: VtjDate [8] "alkupäivä",
        /// End (*loppupäivä*).
        end: VtjDate [8] "loppupäivä",
    }

    /// 320 a guardian's right (*huoltajan oikeus*), qualifying a 305.
    GuardianRight {
        /// Right code: a letter (`P`, `T`, `A`) and three digits (*oikeuskoodi*).
        right: Text [4] "oikeuskoodi",
        /// Start (*alkupäivä*).
        start: VtjDate [8] "alkupäivä",
        /// End (*loppupäivä*).
        end: VtjDate [8] "loppupäivä",
    }

    /// 401 occupation (*ammatti*).
    Occupation {
        /// Occupation code, blank in practice (*ammattikoodi*). Not named `code`, which is the
        /// JSON key of the group code.
        occupation_code: Text [4] "ammattikoodi",
        /// Occupation title (*ammattinimike*).
        title: Text [35] "ammattinimike",
    }

    /// 421 e-mail address (*sähköpostiosoite*).
    Email {
        /// Kind of address (*lajikoodi*).
        kind: Code<EmailKind> [2] "lajikoodi",
        /// The address (*sähköpostiosoite*).
        address: Text [255] "sähköpostiosoite",
        /// Start (*alkupäivä*).
        start: VtjDate [8] "alkupäivä",
        /// End (*loppupäivä*).
        end: VtjDate [8] "loppupäivä",
    }

    /// 422 foreign personal identification number (*ulkomainen henkilönumero*).
    ForeignPersonId {
        /// The foreign id (*ulkomainen henkilönumero*).
        foreign_id: Text [30] "ulkomainen henkilönumero",
        /// Sex (*sukupuoli*).
        sex: Code<Sex> [1] "sukupuoli",
        /// Issuing country (*valtiokoodi*).
        country: Code<Country> [3] "valtiokoodi",
        /// Source (*tietolähde*).
        source: Code<ForeignIdSource> [1] "tietolähde",
        /// Unexplained type character (Java `type`; *tyyppi*).
        id_type: Text [1] "tyyppi",
        /// Valid (*voimassaolo*).
        validity: Code<Validity> [1] "voimassaolo",
        /// Issue date (*myöntämispäivä*).
        issued: VtjDate [8] "myöntämispäivä",
        /// Passivation date (*passivointipäivä*).
        passivated: VtjDate [8] "passivointipäivä",
        /// Stored in VTJ (*tallennuspäivä VTJ:ssä*).
        stored_in_vtj: VtjDate [8] "tallennuspäivä VTJ:ssä",
        /// Passivated in VTJ (*passivointipäivä VTJ:ssä*).
        passivated_in_vtj: VtjDate [8] "passivointipäivä VTJ:ssä",
        /// VTJ's currently valid id for the country (*voimassa VTJ:ssä*).
        valid_in_vtj: Code<Validity> [1] "voimassa VTJ:ssä",
    }

    /// 451 person without a Finnish id (*henkilötunnukseton henkilö*), qualifying 305/307/317.
    PersonWithoutId {
        /// Date of birth (*syntymäaika*).
        birth_date: VtjDate [8] "syntymäaika",
        /// Sex (*sukupuoli*).
        sex: Code<Sex> [1] "sukupuoli",
        /// Last name (*sukunimi*).
        last_name: Text [100] "sukunimi",
        /// First names (*etunimet*).
        first_names: Text [100] "etunimet",
        /// Citizenship; `998` = given in a following 452 (*kansalaisuus*).
        citizenship: Code<Country> [3] "kansalaisuus",
    }

    /// 452 plain-text additional information (*lisätieto*), qualifying 002/007/009/104/105/451.
    AdditionalInfo {
        /// The text, e.g. a language or country name (*selväkielinen tieto*).
        text: Text [30] "selväkielinen tieto",
    }
}

impl<'a> GuardianRight<'a> {
    /// The kind of right, from the letter of the right code.
    pub fn kind(&self) -> Option<RightKind> {
        use crate::field::CodeTable;
        self.right.raw().get(..1).and_then(RightKind::from_code)
    }
}

crate::record::group_catalogue! {
    /// 001 *henkilötunnuskorjaus*.
    b"001" IdCorrection(IdCorrection), "id_correction", "henkilötunnuskorjaus",
        "Personal id correction: an id the person has or has had.", qualifying false;
    /// 002 *äidinkieli*.
    b"002" MotherTongue(MotherTongue), "mother_tongue", "äidinkieli",
        "Mother tongue.", qualifying false;
    /// 003 *sukupuoli*.
    b"003" Sex(SexGroup), "sex", "sukupuoli", "Sex.", qualifying false;
    /// 004 *henkilön nimi*.
    b"004" CurrentName(CurrentName), "current_name", "henkilön nimi",
        "Current last name and first names.", qualifying false;
    /// 005 *nimenmuutos*.
    b"005" NameHistory(NameEntry), "name_history", "nimenmuutos",
        "Name history entry.", qualifying false;
    /// 007 *kansalaisuus*.
    b"007" Citizenship(Citizenship), "citizenship", "kansalaisuus", "Citizenship.", qualifying false;
    /// 008 *syntymäkotikunta*.
    b"008" BirthMunicipality(BirthMunicipality), "birth_municipality", "syntymäkotikunta",
        "Municipality at birth (layout from the Java consumer only; never seen).", qualifying false;
    /// 009 *ulkomainen syntymäpaikka*.
    b"009" ForeignBirthplace(ForeignBirthplace), "foreign_birthplace", "ulkomainen syntymäpaikka",
        "Foreign place of birth.", qualifying false;
    /// 013 *kuolinpäivä*.
    b"013" DateOfDeath(DateOfDeath), "date_of_death", "kuolinpäivä", "Date of death.", qualifying false;
    /// 015 *turvakielto*.
    b"015" NonDisclosure(NonDisclosure), "non_disclosure", "turvakielto",
        "Non-disclosure order for personal safety.", qualifying false;
    /// 101 *vakinainen kotimainen osoite*.
    b"101" PermanentAddress(DomesticAddress), "permanent_address", "vakinainen kotimainen osoite",
        "Permanent domestic address.", qualifying false;
    /// 102 *tilapäinen kotimainen osoite*.
    b"102" TemporaryAddress(DomesticAddress), "temporary_address", "tilapäinen kotimainen osoite",
        "Temporary domestic address (same layout as 101).", qualifying false;
    /// 103 *postiosoite*.
    b"103" PostalAddress(PostalAddress), "postal_address", "postiosoite",
        "Domestic postal address.", qualifying false;
    /// 104 *ulkomainen osoite*.
    b"104" PermanentForeignAddress(ForeignAddress), "permanent_foreign_address", "ulkomainen osoite",
        "Permanent foreign address.", qualifying false;
    /// 105 *tilapäinen ulkomainen osoite*.
    b"105" TemporaryForeignAddress(ForeignAddress), "temporary_foreign_address",
        "tilapäinen ulkomainen osoite", "Temporary foreign address (same layout as 104).", qualifying false;
    /// 204 *kotikunta*.
    b"204" HomeMunicipality(HomeMunicipality), "home_municipality", "kotikunta",
        "Municipality of residence.", qualifying false;
    /// 305 *huoltaja*, before 2019-12-01.
    b"305" GuardianLegacy(GuardianLegacy), "guardian_legacy", "huoltaja",
        "Guardian of a minor, layout before 2019-12-01.", qualifying false, variant "before 2019-12-01";
    /// 305 *huoltaja*, from 2019-12-01.
    b"305" Guardian(Guardian), "guardian", "huoltaja",
        "Guardian of a minor, layout from 2019-12-01.", qualifying false, variant "from 2019-12-01";
    /// 306 *edunvalvonta*.
    b"306" Guardianship(Guardianship), "guardianship", "edunvalvonta",
        "Guardianship of an adult.", qualifying false;
    /// 307 *edunvalvoja*.
    b"307" Trustee(Trustee), "trustee", "edunvalvoja", "Guardian / trustee of an adult.", qualifying false;
    /// 316 *edunvalvontavaltuutus*.
    b"316" PowerOfAttorney(PowerOfAttorney), "power_of_attorney", "edunvalvontavaltuutus",
        "Continuing power of attorney.", qualifying false;
    /// 317 *edunvalvontavaltuutettu*.
    b"317" Attorney(Attorney), "attorney", "edunvalvontavaltuutettu",
        "Attorney named in a power of attorney.", qualifying false;
    /// 320 *huoltajan oikeus*.
    b"320" GuardianRight(GuardianRight), "guardian_right", "huoltajan oikeus",
        "A guardian's right; qualifies a 305.", qualifying true;
    /// 401 *ammatti*.
    b"401" Occupation(Occupation), "occupation", "ammatti", "Occupation.", qualifying false;
    /// 421 *sähköpostiosoite*.
    b"421" Email(Email), "email", "sähköpostiosoite", "E-mail address.", qualifying false;
    /// 422 *ulkomainen henkilönumero*.
    b"422" ForeignPersonId(ForeignPersonId), "foreign_person_id", "ulkomainen henkilönumero",
        "Foreign personal identification number.", qualifying false;
    /// 423 *kutsumanimi*.
    b"423" CallName(NameEntry), "call_name", "kutsumanimi",
        "Call name (same layout as 005).", qualifying false;
    /// 451 *henkilötunnukseton henkilö*.
    b"451" PersonWithoutId(PersonWithoutId), "person_without_id", "henkilötunnukseton henkilö",
        "Person without a Finnish id; qualifies 305, 307, 317.", qualifying true;
    /// 452 *lisätieto*.
    b"452" AdditionalInfo(AdditionalInfo), "additional_info", "lisätieto",
        "Plain-text additional information; qualifies 002, 007, 009, 104, 105, 451.", qualifying true;
}
