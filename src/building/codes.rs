//! Code tables of building records (*rakennustietojen koodistot*), section (c) of the building
//! format reference.
//!
//! These are the legacy VTJ/RHR codes, the ones a legacy change file carries (not the newer
//! Ryhti codes of section (c6)). Every table keeps unknown values: a code field is
//! [`Code::Known`](crate::field::Code) or `Code::Unknown(bytes)`; closed tables warn about
//! unknown values.
//!
//! Attribute tables have a blank entry, "not known" (*ei tiedossa*): the register lacks many
//! attributes for old buildings, and KRYSP lists "ei tiedossa" for the same concepts. The
//! blank entry is as wide as the field (two spaces for two-character codes).

pub use crate::record::{ChangeAttribute, ChangeType};

crate::code_table! {
    /// Kind of object a record is about (*kohteen laji*), header offset 10.
    pub enum ObjectType: "object_type", closed {
        /// *rakennus*: a building.
        Building = b"R" => "building", "rakennus";
        /// *rakennushanke*: a building project (permit granted, not yet completed).
        Project = b"P" => "building project", "rakennushanke";
    }

    /// Event code (*tapahtuma*), header offsets 11–13. These codes are the project's design
    /// (section (d2)), not DVV's; the table is open, so other codes are kept without a warning.
    pub enum Event: "building_event", open {
        /// Base delivery, as in the person file (*perustieto*).
        Base = b"XXX" => "base delivery", "perustieto";
        /// A new building or building project (*uusi rakennus tai rakennushanke*).
        New = b"RU1" => "new building or project", "uusi rakennus tai rakennushanke";
        /// Attributes changed (*ominaisuustietojen muutos*).
        Changed = b"RM1" => "attributes changed", "ominaisuustietojen muutos";
        /// Building completed (*rakennus valmistunut*).
        Completed = b"RV1" => "building completed", "rakennus valmistunut";
        /// Building removed or demolished (*rakennus poistettu tai purettu*).
        Removed = b"RP1" => "building removed or demolished", "rakennus poistettu tai purettu";
        /// Old building id changed after a property division (*rakennustunnuksen muutos*).
        OldIdChanged = b"RT1" => "old building id changed", "rakennustunnuksen muutos";
        /// Apartment data changed (*huoneistotietojen muutos*).
        ApartmentChanged = b"RH1" => "apartment data changed", "huoneistotietojen muutos";
    }

    /// Validity of the building id (*rakennustunnuksen voimassaolo*), group 601.
    pub enum IdValidity: "building_id_validity", closed {
        /// *aktiivinen*.
        Active = b"1" => "active", "aktiivinen";
        /// *passiivinen*.
        Passive = b"2" => "passive", "passiivinen";
        /// *virheellinen*.
        Erroneous = b"3" => "erroneous", "virheellinen";
        /// *keinotekoinen*.
        Artificial = b"4" => "artificial", "keinotekoinen";
        /// *vanha tieto*.
        OldData = b"5" => "old data", "vanha tieto";
    }

    /// Uncertainty of the building's coordinates (*sijaintiepävarmuus*), group 602.
    pub enum CoordinateUncertainty: "coordinate_uncertainty", closed {
        /// 1 m.
        M1 = b"1" => "1 m", "1 m";
        /// 2 m.
        M2 = b"2" => "2 m", "2 m";
        /// 5 m.
        M5 = b"3" => "5 m", "5 m";
        /// 10 m.
        M10 = b"4" => "10 m", "10 m";
        /// 20 m.
        M20 = b"5" => "20 m", "20 m";
        /// 50 m.
        M50 = b"6" => "50 m", "50 m";
        /// 100 m.
        M100 = b"7" => "100 m", "100 m";
        /// 100 m (second code of the list).
        M100b = b"8" => "100 m", "100 m";
        /// 100 m (third code of the list).
        M100c = b"9" => "100 m", "100 m";
        /// The point hits the building (*piste osuu rakennukseen*).
        InBuilding = b"A" => "point is in the building", "piste osuu rakennukseen";
        /// The point is on the property (*piste on kiinteistöllä*).
        OnProperty = b"B" => "point is on the property", "piste on kiinteistöllä";
        /// Not known.
        Blank = b" " => "not known", "ei tiedossa";
    }

    /// Use class, Statistics Finland classification 1994 (*käyttötarkoitus*), group 604.
    pub enum UseClass1994: "use_class_1994", closed {
        /// *yhden asunnon talot*.
        OneDwellingHouses = b"011" => "one-dwelling houses", "yhden asunnon talot";
        /// *kahden asunnon talot*.
        TwoDwellingHouses = b"012" => "two-dwelling houses", "kahden asunnon talot";
        /// *muut erilliset pientalot*.
        OtherDetachedHouses = b"013" => "other detached houses", "muut erilliset pientalot";
        /// *rivitalot*.
        RowHouses = b"021" => "row houses", "rivitalot";
        /// *ketjutalot*.
        ChainHouses = b"022" => "chain houses", "ketjutalot";
        /// *luhtitalot*.
        GalleryAccessBlocks = b"032" => "gallery-access blocks of flats", "luhtitalot";
        /// *muut asuinkerrostalot*.
        OtherBlocksOfFlats = b"039" => "other blocks of flats", "muut asuinkerrostalot";
        /// *vapaa-ajan asuinrakennukset*.
        LeisureHousing = b"041" => "free-time residential buildings", "vapaa-ajan asuinrakennukset";
        /// *myymälähallit*.
        ShopHalls = b"111" => "shop halls", "myymälähallit";
        /// *liike- ja tavaratalot, kauppakeskukset*.
        DepartmentStores = b"112" => "department stores and shopping centres", "liike- ja tavaratalot, kauppakeskukset";
        /// *muut myymälärakennukset*.
        OtherShops = b"119" => "other shop buildings", "muut myymälärakennukset";
        /// *hotellit yms.*
        Hotels = b"121" => "hotels", "hotellit yms.";
        /// *loma-, lepo- ja virkistyskodit*.
        HolidayHomes = b"123" => "holiday, rest and recreation homes", "loma-, lepo- ja virkistyskodit";
        /// *vuokrattavat lomamökit ja -osakkeet*.
        RentalCottages = b"124" => "rental holiday cottages", "vuokrattavat lomamökit ja -osakkeet";
        /// *muut majoitusliikerakennukset*.
        OtherAccommodation = b"129" => "other accommodation buildings", "muut majoitusliikerakennukset";
        /// *asuntolat yms.*
        Dormitories = b"131" => "dormitories", "asuntolat yms.";
        /// *muut asuntolarakennukset*.
        OtherDormitories = b"139" => "other residential halls", "muut asuntolarakennukset";
        /// *ravintolat yms.*
        Restaurants = b"141" => "restaurants", "ravintolat yms.";
        /// *toimistorakennukset*.
        Offices = b"151" => "office buildings", "toimistorakennukset";
        /// *rautatie- ja linja-autoasemat, lento- ja satamaterminaalit*.
        Stations = b"161" => "stations and terminals", "rautatie- ja linja-autoasemat, lento- ja satamaterminaalit";
        /// *kulkuneuvojen suoja- ja huoltorakennukset*.
        VehicleShelters = b"162" => "vehicle shelter and service buildings", "kulkuneuvojen suoja- ja huoltorakennukset";
        /// *pysäköintitalot*.
        ParkingGarages = b"163" => "parking garages", "pysäköintitalot";
        /// *tietoliikenteen rakennukset*.
        Telecommunications = b"164" => "telecommunications buildings", "tietoliikenteen rakennukset";
        /// *muut liikenteen rakennukset*.
        OtherTransport = b"169" => "other transport buildings", "muut liikenteen rakennukset";
        /// *keskussairaalat*.
        CentralHospitals = b"211" => "central hospitals", "keskussairaalat";
        /// *muut sairaalat*.
        OtherHospitals = b"213" => "other hospitals", "muut sairaalat";
        /// *terveyskeskukset*.
        HealthCentres = b"214" => "health centres", "terveyskeskukset";
        /// *terveydenhuollon erityislaitokset*.
        SpecialHealthCare = b"215" => "special health-care institutions", "terveydenhuollon erityislaitokset";
        /// *muut terveydenhuoltorakennukset*.
        OtherHealthCare = b"219" => "other health-care buildings", "muut terveydenhuoltorakennukset";
        /// *vanhainkodit*.
        OldPeoplesHomes = b"221" => "old people's homes", "vanhainkodit";
        /// *lasten- ja koulukodit*.
        ChildrensHomes = b"222" => "children's homes and reform schools", "lasten- ja koulukodit";
        /// *kehitysvammaisten hoitolaitokset*.
        DisabilityCare = b"223" => "care institutions for people with intellectual disabilities", "kehitysvammaisten hoitolaitokset";
        /// *muut huoltolaitosrakennukset*.
        OtherCareInstitutions = b"229" => "other care institutions", "muut huoltolaitosrakennukset";
        /// *lasten päiväkodit*.
        DayCareCentres = b"231" => "day-care centres", "lasten päiväkodit";
        /// *muualla luokittelemattomat sosiaalitoimen rakennukset*.
        OtherSocialServices = b"239" => "other social-service buildings", "muualla luokittelemattomat sosiaalitoimen rakennukset";
        /// *vankilat*.
        Prisons = b"241" => "prisons", "vankilat";
        /// *teatterit, ooppera-, konsertti- ja kongressitalot*.
        Theatres = b"311" => "theatres, opera, concert and congress halls", "teatterit, ooppera-, konsertti- ja kongressitalot";
        /// *elokuvateatterit*.
        Cinemas = b"312" => "cinemas", "elokuvateatterit";
        /// *kirjastot ja arkistot*.
        Libraries = b"322" => "libraries and archives", "kirjastot ja arkistot";
        /// *museot ja taidegalleriat*.
        Museums = b"323" => "museums and art galleries", "museot ja taidegalleriat";
        /// *näyttelyhallit*.
        ExhibitionHalls = b"324" => "exhibition halls", "näyttelyhallit";
        /// *seura- ja kerhorakennukset yms.*
        ClubBuildings = b"331" => "association and club buildings", "seura- ja kerhorakennukset yms.";
        /// *kirkot, kappelit, luostarit ja rukoushuoneet*.
        Churches = b"341" => "churches, chapels, monasteries and prayer houses", "kirkot, kappelit, luostarit ja rukoushuoneet";
        /// *seurakuntatalot*.
        ParishHalls = b"342" => "parish halls", "seurakuntatalot";
        /// *muut uskonnollisten yhteisöjen rakennukset*.
        OtherReligious = b"349" => "other buildings of religious communities", "muut uskonnollisten yhteisöjen rakennukset";
        /// *jäähallit*.
        IceHalls = b"351" => "ice halls", "jäähallit";
        /// *uimahallit*.
        SwimmingHalls = b"352" => "swimming halls", "uimahallit";
        /// *tennis-, squash- ja sulkapallohallit*.
        RacketHalls = b"353" => "tennis, squash and badminton halls", "tennis-, squash- ja sulkapallohallit";
        /// *monitoimihallit ja muut urheiluhallit*.
        SportsHalls = b"354" => "multi-purpose and other sports halls", "monitoimihallit ja muut urheiluhallit";
        /// *muut urheilu- ja kuntoilurakennukset*.
        OtherSports = b"359" => "other sports and fitness buildings", "muut urheilu- ja kuntoilurakennukset";
        /// *muut kokoontumisrakennukset*.
        OtherAssembly = b"369" => "other assembly buildings", "muut kokoontumisrakennukset";
        /// *yleissivistävien oppilaitosten rakennukset*.
        GeneralEducation = b"511" => "general education buildings", "yleissivistävien oppilaitosten rakennukset";
        /// *ammatillisten oppilaitosten rakennukset*.
        VocationalEducation = b"521" => "vocational education buildings", "ammatillisten oppilaitosten rakennukset";
        /// *korkeakoulurakennukset*.
        HigherEducation = b"531" => "higher education buildings", "korkeakoulurakennukset";
        /// *tutkimuslaitosrakennukset*.
        Research = b"532" => "research institute buildings", "tutkimuslaitosrakennukset";
        /// *järjestöjen, liittojen, työnantajien yms. opetusrakennukset*.
        OrganisationTraining = b"541" => "training buildings of organisations and employers", "järjestöjen, liittojen, työnantajien yms. opetusrakennukset";
        /// *muualla luokittelemattomat opetusrakennukset*.
        OtherEducation = b"549" => "other education buildings", "muualla luokittelemattomat opetusrakennukset";
        /// *voimalaitosrakennukset*.
        PowerPlants = b"611" => "power plant buildings", "voimalaitosrakennukset";
        /// *yhdyskuntatekniikan rakennukset*.
        Utilities = b"613" => "utility buildings", "yhdyskuntatekniikan rakennukset";
        /// *teollisuushallit*.
        IndustrialHalls = b"691" => "industrial halls", "teollisuushallit";
        /// *teollisuus- ja pienteollisuustalot*.
        IndustrialBuildings = b"692" => "industrial and small-industry buildings", "teollisuus- ja pienteollisuustalot";
        /// *muut teollisuuden tuotantorakennukset*.
        OtherIndustry = b"699" => "other industrial production buildings", "muut teollisuuden tuotantorakennukset";
        /// *teollisuusvarastot*.
        IndustrialWarehouses = b"711" => "industrial warehouses", "teollisuusvarastot";
        /// *kauppavarastot*.
        CommercialWarehouses = b"712" => "commercial warehouses", "kauppavarastot";
        /// *muut varastorakennukset*.
        OtherStorage = b"719" => "other storage buildings", "muut varastorakennukset";
        /// *paloasemat*.
        FireStations = b"721" => "fire stations", "paloasemat";
        /// *väestönsuojat*.
        Shelters = b"722" => "civil-defence shelters", "väestönsuojat";
        /// *muut palo- ja pelastustoimen rakennukset*.
        OtherRescue = b"729" => "other fire and rescue buildings", "muut palo- ja pelastustoimen rakennukset";
        /// *navetat, sikalat, kanalat yms.*
        LivestockBuildings = b"811" => "cowsheds, piggeries, henhouses etc.", "navetat, sikalat, kanalat yms.";
        /// *eläinsuojat, ravihevostallit, maneesit yms.*
        AnimalShelters = b"819" => "animal shelters, stables, riding halls etc.", "eläinsuojat, ravihevostallit, maneesit yms.";
        /// *viljankuivaamot ja viljan säilytysrakennukset*.
        GrainBuildings = b"891" => "grain dryers and grain stores", "viljankuivaamot ja viljan säilytysrakennukset";
        /// *kasvihuoneet*.
        Greenhouses = b"892" => "greenhouses", "kasvihuoneet";
        /// *turkistarhat*.
        FurFarms = b"893" => "fur farms", "turkistarhat";
        /// *muut maa-, metsä- ja kalatalouden rakennukset*.
        OtherAgriculture = b"899" => "other agricultural, forestry and fishery buildings", "muut maa-, metsä- ja kalatalouden rakennukset";
        /// *saunarakennukset*.
        Saunas = b"931" => "sauna buildings", "saunarakennukset";
        /// *talousrakennukset*.
        Outbuildings = b"941" => "outbuildings", "talousrakennukset";
        /// *muualla luokittelemattomat rakennukset*.
        Other = b"999" => "other buildings", "muualla luokittelemattomat rakennukset";
        /// Not known (e.g. a building classified only in the 2018 classification).
        Blank = b"   " => "not known", "ei tiedossa";
    }

    /// Building class, Statistics Finland classification 2018 (*rakennusluokka*), group 604.
    pub enum BuildingClass2018: "building_class_2018", closed {
        /// *omakotitalot*.
        DetachedHouses = b"0110" => "detached houses", "omakotitalot";
        /// *paritalot*.
        SemiDetachedHouses = b"0111" => "semi-detached houses", "paritalot";
        /// *rivitalot*.
        RowHouses = b"0112" => "row houses", "rivitalot";
        /// *pienkerrostalot*.
        SmallBlocksOfFlats = b"0120" => "small blocks of flats", "pienkerrostalot";
        /// *asuinkerrostalot*.
        BlocksOfFlats = b"0121" => "blocks of flats", "asuinkerrostalot";
        /// *asuntolarakennukset*.
        ResidentialHalls = b"0130" => "residential halls", "asuntolarakennukset";
        /// *erityisryhmien asuinrakennukset*.
        SpecialGroupHousing = b"0140" => "housing for special groups", "erityisryhmien asuinrakennukset";
        /// *ympärivuotiseen käyttöön soveltuvat vapaa-ajan asuinrakennukset*.
        YearRoundLeisure = b"0210" => "free-time residences for year-round use", "ympärivuotiseen käyttöön soveltuvat vapaa-ajan asuinrakennukset";
        /// *osavuotiseen käyttöön soveltuvat vapaa-ajan asuinrakennukset*.
        SeasonalLeisure = b"0211" => "free-time residences for seasonal use", "osavuotiseen käyttöön soveltuvat vapaa-ajan asuinrakennukset";
        /// *tukku- ja vähittäiskaupan myymälähallit*.
        ShopHalls = b"0310" => "wholesale and retail halls", "tukku- ja vähittäiskaupan myymälähallit";
        /// *kauppakeskukset ja liike- ja tavaratalot*.
        ShoppingCentres = b"0311" => "shopping centres and department stores", "kauppakeskukset ja liike- ja tavaratalot";
        /// *muut myymälärakennukset*.
        OtherShops = b"0319" => "other shop buildings", "muut myymälärakennukset";
        /// *hotellit*.
        Hotels = b"0320" => "hotels", "hotellit";
        /// *motellit, hostellit ja vastaavat majoitusliikerakennukset*.
        Motels = b"0321" => "motels, hostels and similar", "motellit, hostellit ja vastaavat majoitusliikerakennukset";
        /// *loma-, lepo- ja virkistyskodit*.
        HolidayHomes = b"0322" => "holiday, rest and recreation homes", "loma-, lepo- ja virkistyskodit";
        /// *muut majoitusliikerakennukset*.
        OtherAccommodation = b"0329" => "other accommodation buildings", "muut majoitusliikerakennukset";
        /// *ravintolarakennukset ja vastaavat liikerakennukset*.
        Restaurants = b"0330" => "restaurant buildings", "ravintolarakennukset ja vastaavat liikerakennukset";
        /// *toimistorakennukset*.
        Offices = b"0400" => "office buildings", "toimistorakennukset";
        /// *asemarakennukset ja terminaalit*.
        Stations = b"0510" => "stations and terminals", "asemarakennukset ja terminaalit";
        /// *ammattiliikenteen kaluston suojarakennukset*.
        FleetShelters = b"0511" => "shelters for professional transport fleets", "ammattiliikenteen kaluston suojarakennukset";
        /// *ammattiliikenteen kaluston huoltorakennukset*.
        FleetService = b"0512" => "service buildings for professional transport fleets", "ammattiliikenteen kaluston huoltorakennukset";
        /// *pysäköintitalot ja -hallit*.
        ParkingGarages = b"0513" => "parking garages and halls", "pysäköintitalot ja -hallit";
        /// *kulkuneuvojen katokset*.
        VehicleCanopies = b"0514" => "vehicle canopies", "kulkuneuvojen katokset";
        /// *datakeskukset ja laitetilat*.
        DataCentres = b"0520" => "data centres and equipment rooms", "datakeskukset ja laitetilat";
        /// *tietoliikenteen rakennukset*.
        Telecommunications = b"0521" => "telecommunications buildings", "tietoliikenteen rakennukset";
        /// *muut liikenteen rakennukset*.
        OtherTransport = b"0590" => "other transport buildings", "muut liikenteen rakennukset";
        /// *terveys- ja hyvinvointikeskukset*.
        HealthCentres = b"0610" => "health and welfare centres", "terveys- ja hyvinvointikeskukset";
        /// *keskussairaalat*.
        CentralHospitals = b"0611" => "central hospitals", "keskussairaalat";
        /// *erikoissairaalat ja laboratoriorakennukset*.
        SpecialistHospitals = b"0612" => "specialist hospitals and laboratories", "erikoissairaalat ja laboratoriorakennukset";
        /// *muut sairaalat*.
        OtherHospitals = b"0613" => "other hospitals", "muut sairaalat";
        /// *kuntoutuslaitokset*.
        Rehabilitation = b"0614" => "rehabilitation institutions", "kuntoutuslaitokset";
        /// *muut terveydenhuoltorakennukset*.
        OtherHealthCare = b"0619" => "other health-care buildings", "muut terveydenhuoltorakennukset";
        /// *laitospalvelujen rakennukset*.
        InstitutionalCare = b"0620" => "institutional care buildings", "laitospalvelujen rakennukset";
        /// *avopalvelujen rakennukset*.
        OpenCare = b"0621" => "open-care buildings", "avopalvelujen rakennukset";
        /// *vankilarakennukset*.
        Prisons = b"0630" => "prison buildings", "vankilarakennukset";
        /// *teatterit, musiikki- ja kongressitalot*.
        Theatres = b"0710" => "theatres, music and congress halls", "teatterit, musiikki- ja kongressitalot";
        /// *elokuvateatterit*.
        Cinemas = b"0711" => "cinemas", "elokuvateatterit";
        /// *kirjastot ja arkistot*.
        Libraries = b"0712" => "libraries and archives", "kirjastot ja arkistot";
        /// *museot ja taidegalleriat*.
        Museums = b"0713" => "museums and art galleries", "museot ja taidegalleriat";
        /// *näyttely- ja messuhallit*.
        ExhibitionHalls = b"0714" => "exhibition and trade-fair halls", "näyttely- ja messuhallit";
        /// *seura- ja kerhorakennukset*.
        ClubBuildings = b"0720" => "association and club buildings", "seura- ja kerhorakennukset";
        /// *uskonnonharjoittamisrakennukset*.
        PlacesOfWorship = b"0730" => "places of worship", "uskonnonharjoittamisrakennukset";
        /// *seurakuntatalot*.
        ParishHalls = b"0731" => "parish halls", "seurakuntatalot";
        /// *muut uskonnollisten yhteisöjen rakennukset*.
        OtherReligious = b"0739" => "other buildings of religious communities", "muut uskonnollisten yhteisöjen rakennukset";
        /// *jäähallit*.
        IceHalls = b"0740" => "ice halls", "jäähallit";
        /// *uimahallit*.
        SwimmingHalls = b"0741" => "swimming halls", "uimahallit";
        /// *monitoimihallit*.
        MultiPurposeHalls = b"0742" => "multi-purpose halls", "monitoimihallit";
        /// *urheilu- ja palloiluhallit*.
        SportsHalls = b"0743" => "sports and ball-game halls", "urheilu- ja palloiluhallit";
        /// *stadion- ja katsomorakennukset*.
        Stadiums = b"0744" => "stadiums and grandstands", "stadion- ja katsomorakennukset";
        /// *muut urheilu- ja liikuntarakennukset*.
        OtherSports = b"0749" => "other sports buildings", "muut urheilu- ja liikuntarakennukset";
        /// *muut kokoontumisrakennukset*.
        OtherAssembly = b"0790" => "other assembly buildings", "muut kokoontumisrakennukset";
        /// *lasten päiväkodit*.
        DayCareCentres = b"0810" => "day-care centres", "lasten päiväkodit";
        /// *yleissivistävien oppilaitosten rakennukset*.
        GeneralEducation = b"0820" => "general education buildings", "yleissivistävien oppilaitosten rakennukset";
        /// *ammatillisten oppilaitosten rakennukset*.
        VocationalEducation = b"0830" => "vocational education buildings", "ammatillisten oppilaitosten rakennukset";
        /// *korkeakoulurakennukset*.
        HigherEducation = b"0840" => "higher education buildings", "korkeakoulurakennukset";
        /// *tutkimuslaitosrakennukset*.
        Research = b"0841" => "research institute buildings", "tutkimuslaitosrakennukset";
        /// *vapaan sivistystyön opetusrakennukset*.
        LiberalAdultEducation = b"0890" => "liberal adult education buildings", "vapaan sivistystyön opetusrakennukset";
        /// *järjestöjen, liittojen, työnantajien ja vastaavien opetusrakennukset*.
        OrganisationTraining = b"0891" => "training buildings of organisations and employers", "järjestöjen, liittojen, työnantajien ja vastaavien opetusrakennukset";
        /// *yleiskäyttöiset teollisuushallit*.
        IndustrialHalls = b"0910" => "general-purpose industrial halls", "yleiskäyttöiset teollisuushallit";
        /// *raskaan teollisuuden tehdasrakennukset*.
        HeavyIndustry = b"0911" => "heavy-industry factories", "raskaan teollisuuden tehdasrakennukset";
        /// *elintarviketeollisuuden tuotantorakennukset*.
        FoodIndustry = b"0912" => "food-industry production buildings", "elintarviketeollisuuden tuotantorakennukset";
        /// *muut teollisuuden tuotantorakennukset*.
        OtherIndustry = b"0919" => "other industrial production buildings", "muut teollisuuden tuotantorakennukset";
        /// *teollisuus- ja pienteollisuustalot*.
        IndustrialBuildings = b"0920" => "industrial and small-industry buildings", "teollisuus- ja pienteollisuustalot";
        /// *metallimalmien käsittelyrakennukset*.
        MetalOre = b"0930" => "metal-ore processing buildings", "metallimalmien käsittelyrakennukset";
        /// *muut kaivannaistoiminnan rakennukset*.
        OtherMining = b"0939" => "other mining and quarrying buildings", "muut kaivannaistoiminnan rakennukset";
        /// *sähköenergian tuotantorakennukset*.
        ElectricityGeneration = b"1010" => "electricity generation buildings", "sähköenergian tuotantorakennukset";
        /// *lämpö- ja kylmäenergian tuotantorakennukset*.
        HeatGeneration = b"1011" => "heat and cooling generation buildings", "lämpö- ja kylmäenergian tuotantorakennukset";
        /// *energiansiirtorakennukset*.
        EnergyTransmission = b"1090" => "energy transmission buildings", "energiansiirtorakennukset";
        /// *energianvarastointirakennukset*.
        EnergyStorage = b"1091" => "energy storage buildings", "energianvarastointirakennukset";
        /// *vedenotto-, vedenpuhdistus- ja vedenjakelurakennukset*.
        WaterSupply = b"1110" => "water intake, treatment and distribution buildings", "vedenotto-, vedenpuhdistus- ja vedenjakelurakennukset";
        /// *jätteenkeruu-, jätteenkäsittely- ja jätteenvarastointirakennukset*.
        Waste = b"1120" => "waste collection, treatment and storage buildings", "jätteenkeruu-, jätteenkäsittely- ja jätteenvarastointirakennukset";
        /// *materiaalien kierrätysrakennukset*.
        Recycling = b"1130" => "material recycling buildings", "materiaalien kierrätysrakennukset";
        /// *lämmittämättömät varastot*.
        UnheatedStorage = b"1210" => "unheated storage", "lämmittämättömät varastot";
        /// *lämpimät varastot*.
        HeatedStorage = b"1211" => "heated storage", "lämpimät varastot";
        /// *kylmä- ja pakastevarastot*.
        ColdStorage = b"1212" => "cold and freezer storage", "kylmä- ja pakastevarastot";
        /// *muut olosuhteiltaan säädellyt varastot*.
        ConditionedStorage = b"1213" => "other climate-controlled storage", "muut olosuhteiltaan säädellyt varastot";
        /// *logistiikkakeskukset ja muut monikäyttöiset varastorakennukset*.
        Logistics = b"1214" => "logistics centres and other multi-purpose storage", "logistiikkakeskukset ja muut monikäyttöiset varastorakennukset";
        /// *varastokatokset*.
        StorageCanopies = b"1215" => "storage canopies", "varastokatokset";
        /// *paloasemat*.
        FireStations = b"1310" => "fire stations", "paloasemat";
        /// *väestönsuojat*.
        Shelters = b"1311" => "civil-defence shelters", "väestönsuojat";
        /// *muut pelastustoimen rakennukset*.
        OtherRescue = b"1319" => "other rescue buildings", "muut pelastustoimen rakennukset";
        /// *lypsykarjarakennukset*.
        DairyCattle = b"1410" => "dairy-cattle buildings", "lypsykarjarakennukset";
        /// *lihakarjarakennukset*.
        BeefCattle = b"1411" => "beef-cattle buildings", "lihakarjarakennukset";
        /// *sikalat*.
        Piggeries = b"1412" => "piggeries", "sikalat";
        /// *lampolat ja vuohinavetat*.
        SheepAndGoats = b"1413" => "sheep and goat houses", "lampolat ja vuohinavetat";
        /// *hevostallit*.
        Stables = b"1414" => "stables", "hevostallit";
        /// *siipikarjarakennukset*.
        Poultry = b"1415" => "poultry buildings", "siipikarjarakennukset";
        /// *turkiseläinrakennukset*.
        FurAnimals = b"1416" => "fur-animal buildings", "turkiseläinrakennukset";
        /// *muut eläinsuojat*.
        OtherAnimalShelters = b"1419" => "other animal shelters", "muut eläinsuojat";
        /// *kasvihuoneet*.
        Greenhouses = b"1490" => "greenhouses", "kasvihuoneet";
        /// *viljankuivaamot ja viljansäilytysrakennukset*.
        GrainBuildings = b"1491" => "grain dryers and grain stores", "viljankuivaamot ja viljansäilytysrakennukset";
        /// *maatalouden varastorakennukset*.
        FarmStorage = b"1492" => "farm storage buildings", "maatalouden varastorakennukset";
        /// *lantalat*.
        ManureStores = b"1493" => "manure stores", "lantalat";
        /// *muut maa-, metsä- ja kalatalouden rakennukset*.
        OtherAgriculture = b"1499" => "other agricultural, forestry and fishery buildings", "muut maa-, metsä- ja kalatalouden rakennukset";
        /// *saunarakennukset*.
        Saunas = b"1910" => "sauna buildings", "saunarakennukset";
        /// *talousrakennukset*.
        Outbuildings = b"1911" => "outbuildings", "talousrakennukset";
        /// *majat ja tuvat*.
        Huts = b"1912" => "huts and cabins", "majat ja tuvat";
        /// *muualla luokittelemattomat rakennukset*.
        Other = b"1919" => "other buildings", "muualla luokittelemattomat rakennukset";
        /// Not known (e.g. a building classified only in the 1994 classification).
        Blank = b"    " => "not known", "ei tiedossa";
    }

    /// Usage status (*käytössäolotilanne*), group 604: two digits.
    pub enum UsageStatus: "usage_status", closed {
        /// *vakinaisessa asumiskäytössä*.
        PermanentHousing = b"01" => "permanent housing", "vakinaisessa asumiskäytössä";
        /// *toimitila- tai tuotantokäytössä*.
        BusinessUse = b"02" => "business or production use", "toimitila- tai tuotantokäytössä";
        /// *loma-asumiskäytössä*.
        HolidayHousing = b"03" => "holiday housing", "loma-asumiskäytössä";
        /// *muussa erityisessä asumiskäytössä*.
        OtherTemporaryHousing = b"04" => "other temporary housing", "muussa erityisessä asumiskäytössä";
        /// *tyhjillään*.
        Vacant = b"05" => "vacant", "tyhjillään";
        /// *purettu uudisrakentamisen vuoksi*.
        DemolishedForNew = b"06" => "demolished for new construction", "purettu uudisrakentamisen vuoksi";
        /// *purettu muusta syystä*.
        DemolishedOther = b"07" => "demolished for another reason", "purettu muusta syystä";
        /// *tuhoutunut*.
        Destroyed = b"08" => "destroyed", "tuhoutunut";
        /// *ränsistymisen vuoksi hylätty*.
        Abandoned = b"09" => "abandoned as dilapidated", "ränsistymisen vuoksi hylätty";
        /// *käytöstä ei ole tietoa*.
        UseUnknown = b"10" => "use unknown", "käytöstä ei ole tietoa";
        /// *muu (sauna, liiteri, kellotapuli, yms.)*.
        Other = b"11" => "other (sauna, shed, bell tower …)", "muu";
        /// *tuntematon* (MML list only).
        Unknown = b"12" => "unknown", "tuntematon";
        /// Not known.
        Blank = b"  " => "not known", "ei tiedossa";
    }

    /// Tenure of the building site (*rakennuspaikan hallintaperuste*), group 604.
    pub enum SiteTenure: "site_tenure", closed {
        /// *oma*.
        Own = b"1" => "own", "oma";
        /// *vuokrattu*.
        Leased = b"2" => "leased", "vuokrattu";
        /// Not known.
        Blank = b" " => "not known", "ei tiedossa";
    }

    /// Reason for an exception permit (*poikkeusluvan syy*), group 604; blank = none.
    pub enum ExceptionPermitReason: "exception_permit_reason", closed {
        /// *rakennuskielto*.
        BuildingBan = b"1" => "building ban", "rakennuskielto";
        /// *muu syy*.
        Other = b"2" => "other reason", "muu syy";
        /// No exception permit, or not known.
        Blank = b" " => "none or not known", "ei poikkeuslupaa";
    }

    /// Construction method (*rakentamistapa*), group 606.
    pub enum ConstructionMethod: "construction_method", closed {
        /// *elementtirakenteinen*.
        Prefabricated = b"1" => "prefabricated elements", "elementti";
        /// *paikalla rakennettu*.
        OnSite = b"2" => "built on site", "paikalla";
        /// Not known.
        Blank = b" " => "not known", "ei tiedossa";
    }

    /// Material of the load-bearing structures (*kantavien rakenteiden rakennusaine*), group 606.
    pub enum LoadBearingMaterial: "load_bearing_material", closed {
        /// *betoni* (also light concrete).
        Concrete = b"1" => "concrete", "betoni";
        /// *tiili*.
        Brick = b"2" => "brick", "tiili";
        /// *teräs*.
        Steel = b"3" => "steel", "teräs";
        /// *puu*.
        Wood = b"4" => "wood", "puu";
        /// *muu*.
        Other = b"5" => "other", "muu";
        /// Not known.
        Blank = b" " => "not known", "ei tiedossa";
    }

    /// Facade material (*julkisivumateriaali*), group 606.
    pub enum FacadeMaterial: "facade_material", closed {
        /// *betoni*.
        Concrete = b"1" => "concrete", "betoni";
        /// *tiili*.
        Brick = b"2" => "brick", "tiili";
        /// *metallilevy*.
        SheetMetal = b"3" => "sheet metal", "metallilevy";
        /// *kivi*.
        Stone = b"4" => "stone", "kivi";
        /// *puu*.
        Wood = b"5" => "wood", "puu";
        /// *lasi*.
        Glass = b"6" => "glass", "lasi";
        /// *muu*.
        Other = b"7" => "other", "muu";
        /// Not known.
        Blank = b" " => "not known", "ei tiedossa";
    }

    /// Heating method (*lämmitystapa*), group 606.
    pub enum HeatingMethod: "heating_method", closed {
        /// *vesikeskuslämmitys*.
        WaterCentral = b"1" => "water central heating", "vesikeskuslämmitys";
        /// *ilmakeskuslämmitys*.
        AirCentral = b"2" => "air central heating", "ilmakeskuslämmitys";
        /// *suora sähkölämmitys*.
        DirectElectric = b"3" => "direct electric heating", "suora sähkölämmitys";
        /// *uunilämmitys*.
        Stove = b"4" => "stove or oven heating", "uunilämmitys";
        /// *ei kiinteää lämmityslaitetta*.
        NoFixedHeating = b"5" => "no fixed heating device", "ei kiinteää lämmityslaitetta";
        /// Not known.
        Blank = b" " => "not known", "ei tiedossa";
    }

    /// Heat source or fuel (*lämmönlähde / polttoaine*), group 606: two characters `01`–`10`.
    ///
    /// The legacy list numbers the sources 1–10; the field is two characters wide (section (d3))
    /// and, as in the MML mapper, the codes are written zero-padded.
    pub enum HeatSource: "heat_source", closed {
        /// *kauko- tai aluelämpö*.
        DistrictHeat = b"01" => "district or block heating", "kauko- tai aluelämpö";
        /// *kevyt polttoöljy*.
        LightFuelOil = b"02" => "light fuel oil", "kevyt polttoöljy";
        /// *raskas polttoöljy*.
        HeavyFuelOil = b"03" => "heavy fuel oil", "raskas polttoöljy";
        /// *sähkö*.
        Electricity = b"04" => "electricity", "sähkö";
        /// *kaasu*.
        Gas = b"05" => "gas", "kaasu";
        /// *kivihiili, koksi tms.*
        Coal = b"06" => "coal, coke etc.", "kivihiili, koksi tms.";
        /// *puu*.
        Wood = b"07" => "wood", "puu";
        /// *turve*.
        Peat = b"08" => "peat", "turve";
        /// *maalämpö tms.*
        GroundHeat = b"09" => "ground heat etc.", "maalämpö tms.";
        /// *muu*.
        Other = b"10" => "other", "muu";
        /// Not known (or no fixed heating).
        Blank = b"  " => "not known", "ei tiedossa";
    }

    /// A fitting, connection or other yes/no attribute (*varuste / liittymä*): `1` yes, `0` no,
    /// blank not known (groups 604, 607, 608, 701). Not [`crate::field::Flag`], which is
    /// `1`/`2`/blank.
    pub enum YesNo: "yes_no", closed {
        /// *kyllä*.
        Yes = b"1" => "yes", "kyllä";
        /// *ei*.
        No = b"0" => "no", "ei";
        /// Not known.
        Unknown = b" " => "not known", "ei tiedossa";
    }

    /// Apartment type (*huoneistotyyppi*), group 701. The values follow KRYSP (which matches
    /// VRK's); the numbers are the project's choice.
    pub enum ApartmentType: "apartment_type", closed {
        /// *asuinhuoneisto*.
        Dwelling = b"1" => "dwelling", "asuinhuoneisto";
        /// *toimitila*.
        BusinessPremises = b"2" => "business premises", "toimitila";
        /// Not known.
        Blank = b" " => "not known", "ei tiedossa";
    }

    /// Kitchen type (*keittiötyyppi*), group 701.
    pub enum KitchenType: "kitchen_type", closed {
        /// *keittiö*.
        Kitchen = b"1" => "kitchen", "keittiö";
        /// *keittokomero*.
        Kitchenette = b"2" => "kitchenette", "keittokomero";
        /// *keittotila*.
        KitchenSpace = b"3" => "kitchen space", "keittotila";
        /// *tupakeittiö*.
        FarmhouseKitchen = b"4" => "farmhouse kitchen", "tupakeittiö";
        /// Not known.
        Blank = b" " => "not known", "ei tiedossa";
    }
}

/// Every code table of building records, as data (for layout files and documentation).
pub fn tables() -> Vec<crate::layout::CodeTableDef> {
    use crate::layout::CodeTableDef;
    vec![
        CodeTableDef::of::<ChangeAttribute>(),
        CodeTableDef::of::<ChangeType>(),
        CodeTableDef::of::<ObjectType>(),
        CodeTableDef::of::<Event>(),
        CodeTableDef::of::<IdValidity>(),
        CodeTableDef::of::<CoordinateUncertainty>(),
        CodeTableDef::of::<UseClass1994>(),
        CodeTableDef::of::<BuildingClass2018>(),
        CodeTableDef::of::<UsageStatus>(),
        CodeTableDef::of::<SiteTenure>(),
        CodeTableDef::of::<ExceptionPermitReason>(),
        CodeTableDef::of::<ConstructionMethod>(),
        CodeTableDef::of::<LoadBearingMaterial>(),
        CodeTableDef::of::<FacadeMaterial>(),
        CodeTableDef::of::<HeatingMethod>(),
        CodeTableDef::of::<HeatSource>(),
        CodeTableDef::of::<YesNo>(),
        CodeTableDef::of::<ApartmentType>(),
        CodeTableDef::of::<KitchenType>(),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::field::CodeTable;
    use std::collections::BTreeSet;

    fn check<T: CodeTable>(width: usize, count: usize) {
        let codes: BTreeSet<&[u8]> = T::ENTRIES.iter().map(|e| e.0).collect();
        assert_eq!(
            codes.len(),
            T::ENTRIES.len(),
            "{}: duplicate codes",
            T::NAME
        );
        assert_eq!(T::ENTRIES.len(), count, "{}", T::NAME);
        for (code, value, en, fi) in T::ENTRIES {
            assert_eq!(code.len(), width, "{}: {:?}", T::NAME, value);
            assert_eq!(T::from_code(code), Some(*value));
            assert!(!en.is_empty() && !fi.is_empty());
        }
    }

    #[test]
    fn tables_have_the_field_width_and_every_value() {
        check::<ObjectType>(1, 2);
        check::<Event>(3, 7);
        check::<IdValidity>(1, 5);
        check::<CoordinateUncertainty>(1, 12);
        // 77 use classes of section (c1), 98 building classes of section (c2), plus blank.
        check::<UseClass1994>(3, 78);
        check::<BuildingClass2018>(4, 99);
        check::<UsageStatus>(2, 13);
        check::<SiteTenure>(1, 3);
        check::<ExceptionPermitReason>(1, 3);
        check::<ConstructionMethod>(1, 3);
        check::<LoadBearingMaterial>(1, 6);
        check::<FacadeMaterial>(1, 8);
        check::<HeatingMethod>(1, 6);
        check::<HeatSource>(2, 11);
        check::<YesNo>(1, 3);
        check::<ApartmentType>(1, 3);
        check::<KitchenType>(1, 5);
    }
}
