//! The building and apartment data groups (*tietoryhmät*), sections (d3)–(d5) of the building
//! format reference: one definition each.
//!
//! These layouts are the project's reconstruction, not DVV's published layout (which is not
//! available): they follow the person file's framing and use only real VTJ fields and code
//! lists. As for person groups, the [`layout_struct!`](crate::layout_struct) macro derives from
//! each definition the struct, its layout table (offsets follow from the widths), its parser,
//! writer and serde names. Where section (d) leaves a choice open, the decision is documented
//! on the group:
//!
//! * 601: the old building id is one [`OldBuildingId`] field of 18
//!   characters (property id 14 + check letter 1 + building number 3).
//! * 602: the 18-character *määräala* field holds the parcel's own part (type letter and number,
//!   e.g. `M601`), left-aligned; the property it belongs to is the `property_id` before it. (The
//!   full parcel id without separators, 14 + 1 + 4 = 19 characters, would not fit.)
//! * 603: a building has up to four addresses, one 603 each, told apart by their ordinal.
//! * 607: saunas and pools are counts; the shelter size is a number of shelter places (KRYSP
//!   gives the shelter as a count).
//! * 801: the owner's personal identity code (11) and business id (9) are two fields, one of them
//!   blank, as in person group 307 (trustee): so a group has one fixed length.
//! * Attributes whose code values are unknown (building state, apartment tenure and occupancy,
//!   owner type) are text, kept as they stand.

use super::codes::*;
use super::ids::{BuildingId, OldBuildingId};
use crate::field::{Code, Digits, MunicipalityCode, PersonId, Text, VtjDate};

crate::record::group_structs! {
    /// 601 identifiers (*rakennuksen tunnistetiedot*).
    Identifiers {
        /// The permanent building id, the same as the header's (*pysyvä rakennustunnus*).
        building_id: BuildingId [10] "pysyvä rakennustunnus",
        /// The old building id: property id, check letter, building number (*kiinteistöön
        /// perustuva rakennustunnus*).
        old_building_id: OldBuildingId [18] "kiinteistöön perustuva rakennustunnus",
        /// Validity of the building id (*rakennustunnuksen voimassaolo*).
        id_validity: Code<IdValidity> [1] "rakennustunnuksen voimassaolo",
        /// Municipality where the building stands (*sijaintikunta*).
        municipality: MunicipalityCode [3] "sijaintikunta",
        /// Start (*alkupäivä*).
        start: VtjDate [8] "alkupäivä",
        /// End (*loppupäivä*).
        end: VtjDate [8] "loppupäivä",
    }

    /// 602 location (*sijaintitiedot*).
    Location {
        /// The property the building stands on, 14 digits (*sijaintikiinteistön tunnus*).
        property_id: Digits [14] "sijaintikiinteistön tunnus",
        /// The unregistered parcel's own part, type letter and number such as `M601`, blank when
        /// the building is not on one (*määräalan tunnus*).
        parcel: Text [18] "määräalan tunnus",
        /// Name of the property unit (*kiinteistöyksikön nimi*).
        property_name: Text [50] "kiinteistöyksikön nimi",
        /// North coordinate, ETRS-TM35FIN, whole metres (*pohjoiskoordinaatti*).
        north: Digits [7] "pohjoiskoordinaatti",
        /// East coordinate, ETRS-TM35FIN, whole metres (*itäkoordinaatti*).
        east: Digits [7] "itäkoordinaatti",
        /// Uncertainty of the coordinates (*sijaintiepävarmuus*).
        coordinate_uncertainty: Code<CoordinateUncertainty> [1] "sijaintiepävarmuus",
        /// Municipal sub-area `STTPPP`; `999999` unknown (*kunnan osa-alue*).
        sub_area: Digits [6] "kunnan osa-alue",
        /// Voting district, digits with an optional letter (*äänestysalue*).
        voting_district: Text [4] "äänestysalue",
        /// Postal code (*postinumero*).
        postal_code: Digits [5] "postinumero",
    }

    /// 603 address (*rakennuksen osoite*); a building has up to four.
    Address {
        /// Ordinal of the address within the building, 1–4 (*osoitteen järjestysnumero*).
        address_ordinal: Digits [1] "osoitteen järjestysnumero",
        /// Street name in Finnish (*kadunnimi suomeksi*).
        street_fi: Text [100] "kadunnimi suomeksi",
        /// Street name in Swedish (*kadunnimi ruotsiksi*).
        street_sv: Text [100] "kadunnimi ruotsiksi",
        /// House number, text such as `12`, `8b`, `13-15` (*katunumero*).
        house_number: Text [7] "katunumero",
        /// Postal code (*postinumero*).
        postal_code: Digits [5] "postinumero",
        /// Start (*alkupäivä*).
        start: VtjDate [8] "alkupäivä",
        /// End (*loppupäivä*).
        end: VtjDate [8] "loppupäivä",
    }

    /// 604 basic data (*perustiedot*).
    BasicData {
        /// Use class, 1994 classification (*käyttötarkoitus*).
        use_class: Code<UseClass1994> [3] "käyttötarkoitus",
        /// Building class, 2018 classification (*rakennusluokka*).
        building_class: Code<BuildingClass2018> [4] "rakennusluokka",
        /// Completion date (*valmistumispäivä*).
        completed: VtjDate [8] "valmistumispäivä",
        /// Usage status (*käytössäolotilanne*).
        usage_status: Code<UsageStatus> [2] "käytössäolotilanne",
        /// When the usage status changed (*käytössäolotilanteen muutospäivä*).
        usage_status_changed: VtjDate [8] "käytössäolotilanteen muutospäivä",
        /// Tenure of the building site (*rakennuspaikan hallintaperuste*).
        site_tenure: Code<SiteTenure> [1] "rakennuspaikan hallintaperuste",
        /// State of the building, two characters such as `20`; meanings unpublished
        /// (*rakennuksen tila*).
        building_state: Text [2] "rakennuksen tila",
        /// Exception permit and its reason, blank for none (*poikkeuslupa*).
        exception_permit: Code<ExceptionPermitReason> [1] "poikkeuslupa",
        /// Has had a major renovation (*perusparannus*).
        major_renovation: Code<YesNo> [1] "perusparannus",
        /// Date of the major renovation (*perusparannuspäivä*).
        major_renovation_date: VtjDate [8] "perusparannuspäivä",
    }

    /// 605 dimensions (*mitat*); areas in whole square metres, volume in cubic metres.
    Dimensions {
        /// Number of floors (*kerrosluku*).
        floors: Digits [3] "kerrosluku",
        /// Floor area, m² (*kerrosala*).
        floor_area: Digits [7] "kerrosala",
        /// Total area, m² (*kokonaisala*).
        total_area: Digits [7] "kokonaisala",
        /// Volume, m³ (*tilavuus*).
        volume: Digits [7] "tilavuus",
        /// Basement area, m² (*kellariala*).
        basement_area: Digits [7] "kellariala",
        /// Number of dwellings (*asuntojen lukumäärä*).
        dwellings: Digits [4] "asuntojen lukumäärä",
        /// Total area of the dwellings, m² (*asuntojen yhteenlaskettu huoneistoala*).
        dwelling_area: Digits [7] "asuntojen yhteenlaskettu huoneistoala",
    }

    /// 606 structure and heating (*rakenne ja lämmitys*).
    StructureAndHeating {
        /// Construction method (*rakentamistapa*).
        construction_method: Code<ConstructionMethod> [1] "rakentamistapa",
        /// Material of the load-bearing structures (*kantavien rakenteiden rakennusaine*).
        load_bearing_material: Code<LoadBearingMaterial> [1] "kantavien rakenteiden rakennusaine",
        /// Facade material (*julkisivumateriaali*).
        facade_material: Code<FacadeMaterial> [1] "julkisivumateriaali",
        /// Heating method (*lämmitystapa*).
        heating_method: Code<HeatingMethod> [1] "lämmitystapa",
        /// Heat source or fuel, `01`–`10` (*lämmönlähde*).
        heat_source: Code<HeatSource> [2] "lämmönlähde",
    }

    /// 607 fittings (*varusteet*).
    Fittings {
        /// Electricity (*sähkö*).
        electricity: Code<YesNo> [1] "sähkö",
        /// Gas (*kaasu*).
        gas: Code<YesNo> [1] "kaasu",
        /// Sewer (*viemäri*).
        sewer: Code<YesNo> [1] "viemäri",
        /// Water mains (*vesijohto*).
        water: Code<YesNo> [1] "vesijohto",
        /// Hot water (*lämmin vesi*).
        hot_water: Code<YesNo> [1] "lämmin vesi",
        /// Solar panel (*aurinkopaneeli*).
        solar_panel: Code<YesNo> [1] "aurinkopaneeli",
        /// Lift (*hissi*).
        lift: Code<YesNo> [1] "hissi",
        /// Mechanical ventilation (*ilmastointi*).
        ventilation: Code<YesNo> [1] "ilmastointi",
        /// Number of saunas (*saunojen lukumäärä*).
        saunas: Digits [2] "saunojen lukumäärä",
        /// Number of swimming pools (*uima-altaiden lukumäärä*).
        pools: Digits [2] "uima-altaiden lukumäärä",
        /// Civil-defence shelter size, in shelter places (*väestönsuojan koko*).
        shelter_size: Digits [4] "väestönsuojan koko",
    }

    /// 608 network connections (*verkostoliittymät*).
    NetworkConnections {
        /// Sewer connection (*viemäriliittymä*).
        sewer: Code<YesNo> [1] "viemäriliittymä",
        /// Water connection (*vesijohtoliittymä*).
        water: Code<YesNo> [1] "vesijohtoliittymä",
        /// Electricity connection (*sähköliittymä*).
        electricity: Code<YesNo> [1] "sähköliittymä",
        /// Gas connection (*kaasuliittymä*).
        gas: Code<YesNo> [1] "kaasuliittymä",
        /// Cable connection (*kaapeliliittymä*).
        cable: Code<YesNo> [1] "kaapeliliittymä",
    }

    /// 701 apartment (*huoneisto*), one group per apartment, self-contained.
    Apartment {
        /// Ordinal of the building address the apartment is reached from (*osoitenumero*).
        address_ordinal: Digits [1] "osoitenumero",
        /// Staircase letter `A`–`Ö` (*porraskirjain*).
        staircase: Text [1] "porraskirjain",
        /// Apartment number, zero-padded (*huoneistonumero*).
        apartment_number: Digits [3] "huoneistonumero",
        /// Division letter `a`–`ö` of a split apartment (*jakokirjain*).
        division_letter: Text [1] "jakokirjain",
        /// Permanent apartment id, VTJ-PHT (*pysyvä huoneistotunnus*).
        permanent_apartment_id: Text [10] "pysyvä huoneistotunnus",
        /// Dwelling or business premises (*huoneistotyyppi*).
        apartment_type: Code<ApartmentType> [1] "huoneistotyyppi",
        /// Number of rooms (*huoneluku*).
        rooms: Digits [2] "huoneluku",
        /// Kitchen type (*keittiötyyppi*).
        kitchen_type: Code<KitchenType> [1] "keittiötyyppi",
        /// Apartment area, whole m² (*huoneistoala*).
        area: Digits [5] "huoneistoala",
        /// WC (*wc*).
        wc: Code<YesNo> [1] "wc",
        /// Bath or shower (*kylpyhuone tai suihku*).
        bath: Code<YesNo> [1] "kylpyhuone tai suihku",
        /// Sauna (*sauna*).
        sauna: Code<YesNo> [1] "sauna",
        /// Balcony or terrace (*parveke tai terassi*).
        balcony: Code<YesNo> [1] "parveke tai terassi",
        /// Hot water (*lämmin vesi*).
        hot_water: Code<YesNo> [1] "lämmin vesi",
        /// Tenure basis; code values unpublished (*hallintaperuste*).
        tenure: Text [1] "hallintaperuste",
        /// Occupancy status; code values unpublished (*käytössäolotilanne*).
        occupancy: Text [2] "käytössäolotilanne",
        /// Start (*alkupäivä*).
        start: VtjDate [8] "alkupäivä",
    }

    /// 801 owner (*omistaja*): personal data; mirrors DVV extract sheet "R4 omistaja".
    Owner {
        /// Kind of owner, two characters (`02`, `03` seen); meanings unpublished
        /// (*omistajalaji*).
        owner_type: Text [2] "omistajalaji",
        /// The owner's personal identity code, blank for an organisation (*henkilötunnus*).
        person_id: PersonId [11] "henkilötunnus",
        /// The owner's business id, blank for a person (*y-tunnus*).
        business_id: Text [9] "y-tunnus",
        /// The owner's name (*omistajan nimi*).
        name: Text [100] "omistajan nimi",
        /// Start of the ownership (*omistuksen alkupäivä*).
        start: VtjDate [8] "omistuksen alkupäivä",
    }
}

crate::record::group_catalogue! {
    /// 601 *rakennuksen tunnistetiedot*.
    b"601" Identifiers(Identifiers), "identifiers", "rakennuksen tunnistetiedot",
        "Building identifiers: VTJ-PRT, old building id, id validity, municipality.", qualifying false;
    /// 602 *sijaintitiedot*.
    b"602" Location(Location), "location", "sijaintitiedot",
        "Location: property, parcel, coordinates, sub-area, voting district, postal code.", qualifying false;
    /// 603 *rakennuksen osoite*.
    b"603" Address(Address), "address", "rakennuksen osoite",
        "Address of the building; up to four, told apart by their ordinal.", qualifying false;
    /// 604 *perustiedot*.
    b"604" BasicData(BasicData), "basic_data", "perustiedot",
        "Basic data: use class, building class, completion, usage status, site tenure.", qualifying false;
    /// 605 *mitat*.
    b"605" Dimensions(Dimensions), "dimensions", "mitat",
        "Dimensions: floors, areas, volume, dwellings.", qualifying false;
    /// 606 *rakenne ja lämmitys*.
    b"606" StructureAndHeating(StructureAndHeating), "structure_and_heating", "rakenne ja lämmitys",
        "Construction method, materials, heating method and heat source.", qualifying false;
    /// 607 *varusteet*.
    b"607" Fittings(Fittings), "fittings", "varusteet",
        "Fittings: electricity, gas, sewer, water, lift, saunas, pools, shelter.", qualifying false;
    /// 608 *verkostoliittymät*.
    b"608" NetworkConnections(NetworkConnections), "network_connections", "verkostoliittymät",
        "Network connections: sewer, water, electricity, gas, cable.", qualifying false;
    /// 701 *huoneisto*.
    b"701" Apartment(Apartment), "apartment", "huoneisto",
        "An apartment: id parts, VTJ-PHT, type, rooms, kitchen, area, fittings.", qualifying false;
    /// 801 *omistaja*.
    b"801" Owner(Owner), "owner", "omistaja",
        "An owner: person or organisation, name, start of ownership (personal data).", qualifying false;
}
