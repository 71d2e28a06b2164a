//! Code tables of person records (*koodistot*), section 8 of the format reference.
//!
//! Every table keeps unknown values: a code field is [`Code::Known`](crate::field::Code) or
//! `Code::Unknown(bytes)`. Closed tables (the format lists every value) warn about unknown
//! values; open tables (countries, languages) only name the special values.

pub use crate::field::Flag;
pub use crate::record::{ChangeAttribute, ChangeType};

crate::code_table! {
    /// Sex (*sukupuoli*): groups 003, 422, 451.
    pub enum Sex: "sex", closed {
        /// *mies*.
        Male = b"1" => "male", "mies";
        /// *nainen*.
        Female = b"2" => "female", "nainen";
        /// *puuttuu*: not given.
        Missing = b" " => "missing", "puuttuu";
    }

    /// Validity of an id (*voimassaolo*), group 001.
    pub enum IdValidity: "id_validity", closed {
        /// *aktiivinen*: the id in use.
        Active = b"1" => "active", "aktiivinen";
        /// *passivoitu*: an id no longer in use.
        Passive = b"2" => "passivated", "passivoitu";
    }

    /// Validity flag (*voimassa*): 007, 305 (before 2019-12), 422.
    pub enum Validity: "validity", closed {
        /// *voimassa*.
        Valid = b"1" => "valid", "voimassa";
        /// *ei voimassa*.
        NotValid = b"2" => "not valid", "ei voimassa";
        /// Not given.
        Blank = b" " => "not given", "tyhjä";
    }

    /// Where the current name has non-standard characters (*lisätieto*, 004 offset 212).
    pub enum SpecialCharacters: "special_characters", closed {
        /// None.
        None = b" " => "none", "ei erikoismerkkejä";
        /// In the last name.
        LastName = b"1" => "in the last name", "sukunimessä";
        /// In the first names.
        FirstNames = b"2" => "in the first names", "etunimissä";
        /// In both.
        Both = b"3" => "in the last and first names", "molemmissa";
    }

    /// Kind of name (*nimilaji*), groups 005 and 423, table 8.1.
    pub enum NameKind: "name_kind", closed {
        /// *nykyinen sukunimi*.
        CurrentLastName = b"01" => "current last name", "nykyinen sukunimi";
        /// *nykyiset etunimet*.
        CurrentFirstNames = b"02" => "current first names", "nykyiset etunimet";
        /// *nykyinen välinimi*.
        CurrentMiddleName = b"03" => "current middle name", "nykyinen välinimi";
        /// *nykyinen kutsumanimi*.
        CurrentCallName = b"04" => "current call name", "nykyinen kutsumanimi";
        /// *entinen sukunimi*.
        FormerLastName = b"05" => "former last name", "entinen sukunimi";
        /// *entiset etunimet*.
        FormerFirstNames = b"06" => "former first names", "entiset etunimet";
        /// *viimeisin sukunimi naimattomana*.
        LastUnmarriedName = b"07" => "last name while last unmarried", "viimeisin sukunimi naimattomana";
        /// *entinen välinimi*.
        FormerMiddleName = b"08" => "former middle name", "entinen välinimi";
        /// *entinen kutsumanimi*.
        FormerCallName = b"09" => "former call name", "entinen kutsumanimi";
        /// *korjattu sukunimi*.
        CorrectedLastName = b"10" => "corrected last name", "korjattu sukunimi";
        /// *korjatut etunimet*.
        CorrectedFirstNames = b"11" => "corrected first names", "korjatut etunimet";
        /// *korjattu välinimi*.
        CorrectedMiddleName = b"12" => "corrected middle name", "korjattu välinimi";
        /// *korjattu kutsumanimi*.
        CorrectedCallName = b"13" => "corrected call name", "korjattu kutsumanimi";
        /// *patronyymi*.
        Patronymic = b"14" => "patronymic", "patronyymi";
        /// *juridisen henkilön nimi*.
        LegalPersonName = b"15" => "name of a legal person", "juridisen henkilön nimi";
    }

    /// Language (*kieli*, ISO 639-1), group 002. Open: only the common and special values are named.
    pub enum Language: "language", open {
        /// *suomi*.
        Finnish = b"fi" => "Finnish", "suomi";
        /// *ruotsi*.
        Swedish = b"sv" => "Swedish", "ruotsi";
        /// *saame* (Northern Sami).
        Sami = b"se" => "Northern Sami", "saame";
        /// *englanti*.
        English = b"en" => "English", "englanti";
        /// *venäjä*.
        Russian = b"ru" => "Russian", "venäjä";
        /// *viro*.
        Estonian = b"et" => "Estonian", "viro";
        /// Given as plain text in a following 452 group (e.g. a sign language).
        GivenAsText = b"98" => "given as text in a 452 group", "selväkielisenä";
    }

    /// Event code of a record (*tapahtuma*, header offset 11), three letters naming the form
    /// of the registration (*lomaketunnus*). Open: DVV has not published the meanings of the
    /// change events (XBX, XBL, XSS, … are seen), so only the base delivery's code is named;
    /// others are `{"code": "XBX"}`.
    pub enum EventCode: "event", open {
        /// *perustieto*: every record of a base delivery (`.PTT`).
        BaseDelivery = b"XXX" => "base delivery record", "perustieto";
    }

    /// Role of the person in the event (*rooli*, header offset 23). Open and empty: the values
    /// `1 2 5 6` are seen (`5` with guardian groups, `2` with names), but DVV has not published
    /// what they mean, so every role is `{"code": "1"}` with no meaning.
    pub enum Role: "role", open {}

    /// Country (*valtio*, ISO 3166 numeric): 007, 009, 104/105, 422, 451. Open.
    pub enum Country: "country", open {
        /// *Suomi*.
        Finland = b"246" => "Finland", "Suomi";
        /// *Ruotsi*.
        Sweden = b"752" => "Sweden", "Ruotsi";
        /// Given as plain text in a following 452 group.
        GivenAsText = b"998" => "given as text in a 452 group", "selväkielisenä";
        /// Seen in citizenship groups; the format reference gives no meaning.
        Code997 = b"997" => "unexplained code 997", "selittämätön koodi 997";
        /// Seen in 009 and 451; no meaning is given.
        Code000 = b"000" => "unexplained code 000", "selittämätön koodi 000";
    }

    /// Kind of guardian before 2019-12 (*henkilösuhteen laji*, 305 of 43 characters, offset 15).
    pub enum LegacyGuardianKind: "legacy_guardian_kind", closed {
        /// Parent as guardian.
        Parent = b"03" => "parent as guardian", "vanhempi huoltajana";
        /// Other guardian.
        Other = b"06" => "other guardian", "muu huoltaja";
        /// Parent as guardian by decision (*määräyksenvarainen*).
        ParentByDecision = b"36" => "parent as guardian by decision", "määräyksenvarainen huoltaja";
    }

    /// Custody division before 2019-12 (*huollonjako*, 305 of 43 characters, offset 17).
    pub enum CustodyDivision: "custody_division", closed {
        /// *suoritettu*: carried out.
        CarriedOut = b"1" => "carried out", "suoritettu";
        /// *suorittamatta*: not carried out.
        NotCarriedOut = b" " => "not carried out", "suorittamatta";
        /// *sisällöstä sovittu*: content agreed.
        ContentAgreed = b"2" => "content agreed", "sisällöstä sovittu";
    }

    /// Kind of guardian from 2019-12 (*huoltajan laji*, 305 of 50 characters, offset 15).
    pub enum GuardianKind: "guardian_kind", closed {
        /// *vanhempi*.
        Parent = b"1" => "parent", "vanhempi";
        /// Appointed, additional or other guardian.
        Appointed = b"2" => "appointed, additional or other guardian", "määrätty, lisä- tai muu huoltaja";
        /// Entitled to information, not an official guardian.
        InformationOnly = b"3" => "entitled to information only", "tiedonsaantioikeutettu";
    }

    /// Role of a guardian from 2019-12 (*rooli*, 305 of 50 characters, offset 16).
    pub enum GuardianRole: "guardian_role", closed {
        /// Not an actual guardian (an information or decision right holder).
        Other = b" " => "other party", "muu";
        /// *isä*.
        Father = b"1" => "father", "isä";
        /// *äiti*.
        Mother = b"2" => "mother", "äiti";
        /// *adoptioisä*.
        AdoptiveFather = b"3" => "adoptive father", "adoptioisä";
        /// *adoptioäiti*.
        AdoptiveMother = b"4" => "adoptive mother", "adoptioäiti";
        /// *vahvistettu äiti*.
        ConfirmedMother = b"6" => "confirmed mother", "vahvistettu äiti";
    }

    /// The child's residence arrangement (*asuminen*, 305 of 50 characters, offset 33), table 8.3.
    pub enum ResidenceArrangement: "residence_arrangement", closed {
        /// No decision on alternating residence.
        None = b" " => "no decision", "ei päätöstä";
        /// With the parents.
        Parents = b"1" => "with the parents", "vanhempien luona";
        /// With the mother.
        Mother = b"2" => "with the mother", "äidin luona";
        /// With the father.
        Father = b"3" => "with the father", "isän luona";
        /// Alternating between the parents.
        AlternatingParents = b"4" => "alternating between the parents", "vuoroasuminen vanhempien luona";
        /// Alternating between the mother and an additional guardian.
        AlternatingMother = b"5" => "alternating between the mother and an additional guardian", "vuoroasuminen äidin ja lisähuoltajan luona";
        /// Alternating between the father and an additional guardian.
        AlternatingFather = b"6" => "alternating between the father and an additional guardian", "vuoroasuminen isän ja lisähuoltajan luona";
        /// Alternating between the parents and an additional guardian.
        AlternatingAll = b"7" => "alternating between the parents and an additional guardian", "vuoroasuminen vanhempien ja lisähuoltajan luona";
        /// With the additional guardian(s), by court decision.
        AdditionalGuardian = b"8" => "with the additional guardian(s)", "lisähuoltajan luona";
    }

    /// Legal capacity (*toimintakelpoisuus*), group 306 offset 21.
    pub enum LegalCapacity: "legal_capacity", closed {
        /// *rajoittamaton*.
        NotRestricted = b"1" => "not restricted", "rajoittamaton";
        /// *rajoitettu osittain*.
        PartiallyRestricted = b"2" => "partially restricted", "rajoitettu osittain";
        /// *vajaavaltainen*.
        Incompetent = b"3" => "declared legally incompetent", "vajaavaltainen";
    }

    /// Kind of e-mail address (*lajikoodi*), group 421 offset 4.
    pub enum EmailKind: "email_kind", closed {
        /// Given by the person.
        Personal = b"99" => "given by the person", "henkilön ilmoittama";
        /// The register office's address.
        RegisterOffice = b"11" => "register office address", "maistraatin osoite";
        /// The election authority's address.
        ElectionAuthority = b"12" => "election authority address", "vaaliviranomaisen osoite";
        /// Blank (the address is blank too).
        Blank = b"  " => "not given", "tyhjä";
    }

    /// Source of a foreign id (*tietolähde*), group 422 offset 38.
    pub enum ForeignIdSource: "foreign_id_source", closed {
        /// Foreign registration authority.
        ForeignAuthority = b"1" => "foreign registration authority", "ulkomainen rekisteriviranomainen";
        /// The person (maintenance events).
        Person = b"2" => "the person", "henkilö itse";
        /// Identification run.
        Identification = b"3" => "identification run", "tunnistusajo";
        /// Not given.
        Blank = b" " => "not given", "tyhjä";
    }

    /// Kind of a guardian's right, by the letter of the 320 right code (*oikeuskoodi*).
    pub enum RightKind: "right_kind", closed {
        /// *päätösoikeus*.
        Decision = b"P" => "decision-making right", "päätösoikeus";
        /// *tiedonsaantioikeus*.
        Information = b"T" => "right to information", "tiedonsaantioikeus";
        /// Decision or agreement on alternating residence.
        AlternatingResidence = b"A" => "decision or agreement on alternating residence", "vuoroasumispäätös";
    }
}

/// Every code table of person records, as data (for layout files and documentation).
pub fn tables() -> Vec<crate::layout::CodeTableDef> {
    use crate::layout::CodeTableDef;
    vec![
        CodeTableDef::of::<ChangeAttribute>(),
        CodeTableDef::of::<ChangeType>(),
        CodeTableDef::of::<EventCode>(),
        CodeTableDef::of::<Role>(),
        CodeTableDef::of::<Flag>(),
        CodeTableDef::of::<Sex>(),
        CodeTableDef::of::<IdValidity>(),
        CodeTableDef::of::<Validity>(),
        CodeTableDef::of::<SpecialCharacters>(),
        CodeTableDef::of::<NameKind>(),
        CodeTableDef::of::<Language>(),
        CodeTableDef::of::<Country>(),
        CodeTableDef::of::<LegacyGuardianKind>(),
        CodeTableDef::of::<CustodyDivision>(),
        CodeTableDef::of::<GuardianKind>(),
        CodeTableDef::of::<GuardianRole>(),
        CodeTableDef::of::<ResidenceArrangement>(),
        CodeTableDef::of::<LegalCapacity>(),
        CodeTableDef::of::<EmailKind>(),
        CodeTableDef::of::<ForeignIdSource>(),
        CodeTableDef::of::<RightKind>(),
    ]
}
