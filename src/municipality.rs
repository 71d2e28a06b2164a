//! Finnish municipality numbers (*kuntanumero*, *kuntakoodi*) as data.
//!
//! The table is Statistics Finland's municipality classification (*kuntaluokitus*, the
//! numbers themselves are the register's *kuntanumerot*), as it stands for **2025**: 309
//! municipalities, 16 of them in Åland, with their official Finnish and Swedish names. The list
//! has not changed since the start of 2021 (Honkajoki merged into Kankaanpää), so it is also the
//! 2021–2024 list. It is a public code table, shipped here as data; nothing is fetched.
//!
//! Change files from the 2000s and 2010s still carry numbers of municipalities that were merged
//! away, so the table also holds the 153 municipalities abolished from 2001 on (the mergers of
//! 1 January 2001 to 1 January 2021), each with [`Municipality::until`] set to its *last* year of
//! existence (a merger on 1 January 2009 gives `until: Some(2008)`). A few numbers name more than
//! one thing over time, and the table gives the newest:
//!
//! * `445` was *Länsi-Turunmaa – Väståboland* in 2009–2011 and is *Parainen – Pargas* since 2012;
//!   the Parainen of before 2009 is `573`.
//! * `946` is the Vöyri of 2011 on; `945` was Vöyri-Maksamaa (2007–2010) and `944` the Vöyri of
//!   before 2007.
//! * `020` Akaa (2007) took over from `864` Toijala and `928` Viiala; `640` Pieksänmaa
//!   (2004–2006) from `184` Jäppilä, `594` Pieksämäen maalaiskunta and `937` Virtasalmi.
//!
//! Åland municipalities have no separate Finnish names: their Finnish name is the Swedish one,
//! except Maarianhamina – Mariehamn. Where a municipality has no official Swedish name the
//! Swedish field repeats the Finnish one. Names are written as the classification writes them
//! (`Koski Tl`, `Pedersören kunta`).
//!
//! Besides municipalities the register uses a few artificial numbers for the home municipality
//! (*keinotekoiset kuntanumerot*) of a person with no home municipality in Finland: `198` no
//! home municipality in Finland, `199` home municipality unknown and `200` abroad. `000` is not
//! in any classification; it has been seen in change files with a placeholder address and is
//! read here as "no municipality". These four are [`Municipality::is_special`]; their Swedish
//! field repeats the Finnish text (no official Swedish wording is shipped).
//!
//! Less certain entries, kept because old files may carry them but worth checking against an
//! official list before relying on them: the meaning of `000` (observed, not documented);
//! the meanings of `198`–`200`, taken from the register's published list of artificial numbers
//! (some descriptions call `198` "abroad"; that list gives it as no home municipality in
//! Finland and `200` as abroad); the Swedish names of the abolished `567` Oulunsalo (*Uleåsalo*), `492` Mikkelin
//! maalaiskunta, `594` Pieksämäen maalaiskunta, `699` Rovaniemen maalaiskunta, `180`
//! Jyväskylän maalaiskunta and `431` Loimaan kunta, and `696` Ristiina, given without a Swedish
//! name.
//!
//! A code not in the table (a number never assigned, a typo, blanks) is not an error: [`lookup`]
//! returns `None` and the caller keeps the raw code as it stands, like every other code field of
//! the crate.
//!
//! ```
//! use muutostieto::municipality::lookup;
//!
//! let helsinki = lookup(b"091").unwrap();
//! assert_eq!((helsinki.finnish, helsinki.swedish), ("Helsinki", "Helsingfors"));
//! assert_eq!(lookup(b"164").unwrap().until, Some(2015)); // Jalasjärvi, merged into Kurikka
//! assert!(lookup(b"999").is_none());
//! ```

use serde::Serialize;

/// One municipality number and its names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct Municipality {
    /// The three-digit number, zeros kept (`"091"`).
    pub code: &'static str,
    /// The Finnish name (for Åland, the Swedish name).
    pub finnish: &'static str,
    /// The Swedish name; the same as [`finnish`](Self::finnish) when there is no official one.
    pub swedish: &'static str,
    /// The last year the municipality existed, for one merged away; `None` for a current one.
    pub until: Option<u16>,
}

impl Municipality {
    /// An artificial number of the register (`000`, `198`, `199`, `200`), not a municipality.
    pub fn is_special(&self) -> bool {
        matches!(self.code, "000" | "198" | "199" | "200")
    }

    /// A municipality that exists now (not merged away, not an artificial number).
    pub fn is_current(&self) -> bool {
        self.until.is_none() && !self.is_special()
    }
}

/// Every known number, sorted by code: current municipalities, municipalities abolished since
/// 2001 and the register's artificial numbers (see the [module documentation](self)).
pub const MUNICIPALITIES: &[Municipality] = &[
    // observed in change files with a placeholder address; not in the classification
    special("000", "Ei kuntaa"),
    gone_same("004", "Alahärmä", 2008),
    same("005", "Alajärvi"),
    gone_same("006", "Alastaro", 2008),
    same("009", "Alavieska"),
    both("010", "Alavus", "Alavo"),
    gone_same("014", "Anttola", 2000),
    gone("015", "Artjärvi", "Artsjö", 2010),
    same("016", "Asikkala"),
    gone("017", "Askainen", "Villnäs", 2008),
    same("018", "Askola"),
    same("019", "Aura"),
    both("020", "Akaa", "Akas"),
    same("035", "Brändö"),
    gone_same("040", "Dragsfjärd", 2008),
    same("043", "Eckerö"),
    gone("044", "Elimäki", "Elimä", 2008),
    gone_same("045", "Eno", 2008),
    same("046", "Enonkoski"),
    both("047", "Enontekiö", "Enontekis"),
    both("049", "Espoo", "Esbo"),
    same("050", "Eura"),
    both("051", "Eurajoki", "Euraåminne"),
    same("052", "Evijärvi"),
    same("060", "Finström"),
    same("061", "Forssa"),
    same("062", "Föglö"),
    same("065", "Geta"),
    same("069", "Haapajärvi"),
    same("071", "Haapavesi"),
    both("072", "Hailuoto", "Karlö"),
    gone_same("073", "Halikko", 2008),
    both("074", "Halsua", "Halso"),
    both("075", "Hamina", "Fredrikshamn"),
    same("076", "Hammarland"),
    same("077", "Hankasalmi"),
    both("078", "Hanko", "Hangö"),
    same("079", "Harjavalta"),
    both("081", "Hartola", "Gustav Adolfs"),
    same("082", "Hattula"),
    gone_same("083", "Hauho", 2008),
    gone_same("084", "Haukipudas", 2012),
    gone_same("085", "Haukivuori", 2006),
    same("086", "Hausjärvi"),
    same("090", "Heinävesi"),
    both("091", "Helsinki", "Helsingfors"),
    both("092", "Vantaa", "Vanda"),
    gone_same("095", "Himanka", 2009),
    same("097", "Hirvensalmi"),
    same("098", "Hollola"),
    gone_same("099", "Honkajoki", 2020),
    gone("101", "Houtskari", "Houtskär", 2008),
    both("102", "Huittinen", "Vittis"),
    same("103", "Humppila"),
    same("105", "Hyrynsalmi"),
    both("106", "Hyvinkää", "Hyvinge"),
    both("108", "Hämeenkyrö", "Tavastkyro"),
    both("109", "Hämeenlinna", "Tavastehus"),
    same("111", "Heinola"),
    both("139", "Ii", "Ijo"),
    both("140", "Iisalmi", "Idensalmi"),
    both("142", "Iitti", "Itis"),
    both("143", "Ikaalinen", "Ikalis"),
    both("145", "Ilmajoki", "Ilmola"),
    both("146", "Ilomantsi", "Ilomants"),
    both("148", "Inari", "Enare"),
    both("149", "Inkoo", "Ingå"),
    gone_same("150", "Iniö", 2008),
    both("151", "Isojoki", "Storå"),
    both("152", "Isokyrö", "Storkyro"),
    same("153", "Imatra"),
    gone_same("163", "Jaala", 2008),
    gone_same("164", "Jalasjärvi", 2015),
    same("165", "Janakkala"),
    same("167", "Joensuu"),
    both("169", "Jokioinen", "Jockis"),
    same("170", "Jomala"),
    both("171", "Joroinen", "Jorois"),
    same("172", "Joutsa"),
    gone_same("173", "Joutseno", 2008),
    gone_same("174", "Juankoski", 2016),
    gone_same("175", "Jurva", 2008),
    both("176", "Juuka", "Juga"),
    same("177", "Juupajoki"),
    same("178", "Juva"),
    same("179", "Jyväskylä"),
    gone(
        "180",
        "Jyväskylän maalaiskunta",
        "Jyväskylä landskommun",
        2008,
    ),
    same("181", "Jämijärvi"),
    same("182", "Jämsä"),
    gone_same("183", "Jämsänkoski", 2008),
    gone_same("184", "Jäppilä", 2003),
    both("186", "Järvenpää", "Träskända"),
    // no home municipality in Finland
    special("198", "Ei kotikuntaa Suomessa"),
    // home municipality unknown
    special("199", "Kotikunta tuntematon"),
    // home municipality abroad
    special("200", "Ulkomaat"),
    both("202", "Kaarina", "S:t Karins"),
    same("204", "Kaavi"),
    both("205", "Kajaani", "Kajana"),
    same("208", "Kalajoki"),
    gone_same("210", "Kalvola", 2008),
    same("211", "Kangasala"),
    gone_same("212", "Kangaslampi", 2004),
    same("213", "Kangasniemi"),
    same("214", "Kankaanpää"),
    same("216", "Kannonkoski"),
    same("217", "Kannus"),
    both("218", "Karijoki", "Bötom"),
    gone("219", "Karinainen", "Karinais", 2004),
    gone("220", "Karjaa", "Karis", 2008),
    gone("223", "Karjalohja", "Karislojo", 2012),
    both("224", "Karkkila", "Högfors"),
    same("226", "Karstula"),
    gone_same("227", "Karttula", 2010),
    same("230", "Karvia"),
    both("231", "Kaskinen", "Kaskö"),
    same("232", "Kauhajoki"),
    same("233", "Kauhava"),
    both("235", "Kauniainen", "Grankulla"),
    both("236", "Kaustinen", "Kaustby"),
    same("239", "Keitele"),
    same("240", "Kemi"),
    same("241", "Keminmaa"),
    gone("243", "Kemiö", "Kimito", 2008),
    same("244", "Kempele"),
    both("245", "Kerava", "Kervo"),
    gone_same("246", "Kerimäki", 2012),
    gone_same("247", "Kestilä", 2008),
    gone("248", "Kesälahti", "Kesälax", 2012),
    both("249", "Keuruu", "Keuru"),
    same("250", "Kihniö"),
    gone_same("251", "Kiihtelysvaara", 2004),
    gone_same("252", "Kiikala", 2008),
    gone("254", "Kiikoinen", "Kikois", 2012),
    gone("255", "Kiiminki", "Kiminge", 2012),
    same("256", "Kinnula"),
    both("257", "Kirkkonummi", "Kyrkslätt"),
    gone_same("259", "Kisko", 2008),
    both("260", "Kitee", "Kides"),
    same("261", "Kittilä"),
    gone("262", "Kiukainen", "Kiukais", 2008),
    same("263", "Kiuruvesi"),
    same("265", "Kivijärvi"),
    gone_same("266", "Kodisjoki", 2006),
    both("271", "Kokemäki", "Kumo"),
    both("272", "Kokkola", "Karleby"),
    same("273", "Kolari"),
    same("275", "Konnevesi"),
    both("276", "Kontiolahti", "Kontiolax"),
    gone_same("277", "Korpilahti", 2008),
    gone("279", "Korppoo", "Korpo", 2008),
    same("280", "Korsnäs"),
    gone_same("281", "Kortesjärvi", 2008),
    gone_same("283", "Hämeenkoski", 2015),
    both("284", "Koski Tl", "Koskis"),
    same("285", "Kotka"),
    same("286", "Kouvola"),
    both("287", "Kristiinankaupunki", "Kristinestad"),
    both("288", "Kruunupyy", "Kronoby"),
    gone_same("289", "Kuhmalahti", 2010),
    same("290", "Kuhmo"),
    both("291", "Kuhmoinen", "Kuhmois"),
    gone_same("292", "Kuivaniemi", 2006),
    gone("293", "Kullaa", "Kulla", 2004),
    same("295", "Kumlinge"),
    same("297", "Kuopio"),
    gone_same("299", "Kuorevesi", 2000),
    same("300", "Kuortane"),
    same("301", "Kurikka"),
    gone_same("303", "Kuru", 2008),
    both("304", "Kustavi", "Gustavs"),
    same("305", "Kuusamo"),
    gone_same("306", "Kuusankoski", 2008),
    gone_same("308", "Kuusjoki", 2008),
    same("309", "Outokumpu"),
    gone_same("310", "Kylmäkoski", 2010),
    same("312", "Kyyjärvi"),
    gone("315", "Kälviä", "Kelviå", 2008),
    same("316", "Kärkölä"),
    same("317", "Kärsämäki"),
    same("318", "Kökar"),
    gone("319", "Köyliö", "Kjulo", 2015),
    same("320", "Kemijärvi"),
    both("322", "Kemiönsaari", "Kimitoön"),
    both("398", "Lahti", "Lahtis"),
    both("399", "Laihia", "Laihela"),
    both("400", "Laitila", "Letala"),
    gone("401", "Lammi", "Lampis", 2008),
    same("402", "Lapinlahti"),
    same("403", "Lappajärvi"),
    both("405", "Lappeenranta", "Villmanstrand"),
    gone_same("406", "Lappi", 2008),
    both("407", "Lapinjärvi", "Lappträsk"),
    both("408", "Lapua", "Lappo"),
    both("410", "Laukaa", "Laukas"),
    gone_same("413", "Lavia", 2014),
    gone_same("414", "Lehtimäki", 2008),
    gone_same("415", "Leivonmäki", 2007),
    same("416", "Lemi"),
    same("417", "Lemland"),
    same("418", "Lempäälä"),
    gone("419", "Lemu", "Lemo", 2008),
    same("420", "Leppävirta"),
    same("421", "Lestijärvi"),
    same("422", "Lieksa"),
    both("423", "Lieto", "Lundo"),
    gone_same("424", "Liljendal", 2009),
    both("425", "Liminka", "Limingo"),
    both("426", "Liperi", "Libelits"),
    gone("429", "Lohtaja", "Lochteå", 2008),
    same("430", "Loimaa"),
    gone("431", "Loimaan kunta", "Loimaa kommun", 2004),
    same("433", "Loppi"),
    both("434", "Loviisa", "Lovisa"),
    same("435", "Luhanka"),
    same("436", "Lumijoki"),
    same("438", "Lumparland"),
    gone("439", "Luopioinen", "Luopiois", 2006),
    both("440", "Luoto", "Larsmo"),
    same("441", "Luumäki"),
    gone_same("442", "Luvia", 2016),
    gone_same("443", "Längelmäki", 2006),
    both("444", "Lohja", "Lojo"),
    both("445", "Parainen", "Pargas"),
    both("475", "Maalahti", "Malax"),
    gone_same("476", "Maaninka", 2014),
    both("478", "Maarianhamina", "Mariehamn"),
    gone("479", "Maksamaa", "Maxmo", 2006),
    both("480", "Marttila", "S:t Mårtens"),
    same("481", "Masku"),
    gone_same("482", "Mellilä", 2008),
    same("483", "Merijärvi"),
    both("484", "Merikarvia", "Sastmola"),
    gone_same("485", "Merimasku", 2008),
    same("489", "Miehikkälä"),
    gone("490", "Mietoinen", "Mietois", 2006),
    both("491", "Mikkeli", "S:t Michel"),
    gone(
        "492",
        "Mikkelin maalaiskunta",
        "S:t Michels landskommun",
        2000,
    ),
    gone_same("493", "Mouhijärvi", 2008),
    same("494", "Muhos"),
    same("495", "Multia"),
    same("498", "Muonio"),
    both("499", "Mustasaari", "Korsholm"),
    same("500", "Muurame"),
    gone_same("501", "Muurla", 2008),
    both("503", "Mynämäki", "Virmo"),
    both("504", "Myrskylä", "Mörskom"),
    same("505", "Mäntsälä"),
    gone_same("506", "Mänttä", 2008),
    same("507", "Mäntyharju"),
    same("508", "Mänttä-Vilppula"),
    both("529", "Naantali", "Nådendal"),
    same("531", "Nakkila"),
    gone_same("532", "Nastola", 2015),
    gone("533", "Nauvo", "Nagu", 2008),
    gone_same("534", "Nilsiä", 2012),
    same("535", "Nivala"),
    same("536", "Nokia"),
    gone("537", "Noormarkku", "Norrmark", 2009),
    both("538", "Nousiainen", "Nousis"),
    gone_same("540", "Nummi-Pusula", 2012),
    same("541", "Nurmes"),
    same("543", "Nurmijärvi"),
    gone_same("544", "Nurmo", 2008),
    both("545", "Närpiö", "Närpes"),
    gone("559", "Oravainen", "Oravais", 2010),
    same("560", "Orimattila"),
    same("561", "Oripää"),
    same("562", "Orivesi"),
    same("563", "Oulainen"),
    both("564", "Oulu", "Uleåborg"),
    gone("567", "Oulunsalo", "Uleåsalo", 2012),
    gone("573", "Parainen", "Pargas", 2008),
    same("576", "Padasjoki"),
    both("577", "Paimio", "Pemar"),
    same("578", "Paltamo"),
    same("580", "Parikkala"),
    same("581", "Parkano"),
    gone_same("582", "Pattijoki", 2002),
    same("583", "Pelkosenniemi"),
    same("584", "Perho"),
    gone("585", "Pernaja", "Pernå", 2009),
    gone("586", "Perniö", "Bjärnå", 2008),
    gone("587", "Pertteli", "S:t Bertils", 2008),
    same("588", "Pertunmaa"),
    gone_same("589", "Peräseinäjoki", 2004),
    same("592", "Petäjävesi"),
    same("593", "Pieksämäki"),
    gone(
        "594",
        "Pieksämäen maalaiskunta",
        "Pieksämäki landskommun",
        2003,
    ),
    same("595", "Pielavesi"),
    both("598", "Pietarsaari", "Jakobstad"),
    both("599", "Pedersören kunta", "Pedersöre"),
    same("601", "Pihtipudas"),
    gone("602", "Piikkiö", "Pikis", 2008),
    gone_same("603", "Piippola", 2008),
    both("604", "Pirkkala", "Birkala"),
    gone("606", "Pohja", "Pojo", 2008),
    same("607", "Polvijärvi"),
    both("608", "Pomarkku", "Påmark"),
    both("609", "Pori", "Björneborg"),
    both("611", "Pornainen", "Borgnäs"),
    same("614", "Posio"),
    same("615", "Pudasjärvi"),
    same("616", "Pukkila"),
    gone_same("617", "Pulkkila", 2008),
    gone_same("618", "Punkaharju", 2012),
    same("619", "Punkalaidun"),
    same("620", "Puolanka"),
    same("623", "Puumala"),
    both("624", "Pyhtää", "Pyttis"),
    same("625", "Pyhäjoki"),
    same("626", "Pyhäjärvi"),
    same("630", "Pyhäntä"),
    same("631", "Pyhäranta"),
    gone_same("632", "Pyhäselkä", 2008),
    gone_same("633", "Pylkönmäki", 2008),
    same("635", "Pälkäne"),
    same("636", "Pöytyä"),
    both("638", "Porvoo", "Borgå"),
    gone_same("640", "Pieksänmaa", 2006),
    both("678", "Raahe", "Brahestad"),
    both("680", "Raisio", "Reso"),
    same("681", "Rantasalmi"),
    gone_same("682", "Rantsila", 2008),
    same("683", "Ranua"),
    both("684", "Rauma", "Raumo"),
    same("686", "Rautalampi"),
    same("687", "Rautavaara"),
    same("689", "Rautjärvi"),
    same("691", "Reisjärvi"),
    gone("692", "Renko", "Rengo", 2008),
    same("694", "Riihimäki"),
    gone_same("696", "Ristiina", 2012),
    same("697", "Ristijärvi"),
    same("698", "Rovaniemi"),
    gone(
        "699",
        "Rovaniemen maalaiskunta",
        "Rovaniemi landskommun",
        2005,
    ),
    both("700", "Ruokolahti", "Ruokolax"),
    gone("701", "Ruotsinpyhtää", "Strömfors", 2009),
    same("702", "Ruovesi"),
    same("704", "Rusko"),
    gone("705", "Rymättylä", "Rimito", 2008),
    same("707", "Rääkkylä"),
    gone_same("708", "Ruukki", 2006),
    both("710", "Raasepori", "Raseborg"),
    gone_same("728", "Saari", 2004),
    same("729", "Saarijärvi"),
    gone_same("730", "Sahalahti", 2004),
    same("732", "Salla"),
    same("734", "Salo"),
    same("736", "Saltvik"),
    gone_same("737", "Sammatti", 2008),
    both("738", "Sauvo", "Sagu"),
    same("739", "Savitaipale"),
    both("740", "Savonlinna", "Nyslott"),
    gone_same("741", "Savonranta", 2008),
    same("742", "Savukoski"),
    same("743", "Seinäjoki"),
    same("746", "Sievi"),
    both("747", "Siikainen", "Siikais"),
    same("748", "Siikajoki"),
    same("749", "Siilinjärvi"),
    same("751", "Simo"),
    both("753", "Sipoo", "Sibbo"),
    gone_same("754", "Anjalankoski", 2008),
    both("755", "Siuntio", "Sjundeå"),
    same("758", "Sodankylä"),
    same("759", "Soini"),
    same("761", "Somero"),
    same("762", "Sonkajärvi"),
    same("765", "Sotkamo"),
    same("766", "Sottunga"),
    same("768", "Sulkava"),
    gone_same("770", "Sumiainen", 2006),
    same("771", "Sund"),
    gone_same("772", "Suodenniemi", 2006),
    gone_same("774", "Suolahti", 2006),
    gone_same("775", "Suomenniemi", 2012),
    gone_same("776", "Suomusjärvi", 2008),
    same("777", "Suomussalmi"),
    same("778", "Suonenjoki"),
    same("781", "Sysmä"),
    same("783", "Säkylä"),
    gone("784", "Särkisalo", "Finby", 2008),
    same("785", "Vaala"),
    same("790", "Sastamala"),
    same("791", "Siikalatva"),
    same("831", "Taipalsaari"),
    same("832", "Taivalkoski"),
    both("833", "Taivassalo", "Tövsala"),
    same("834", "Tammela"),
    gone("835", "Tammisaari", "Ekenäs", 2008),
    both("837", "Tampere", "Tammerfors"),
    gone_same("838", "Tarvasjoki", 2014),
    gone_same("841", "Temmes", 2000),
    same("844", "Tervo"),
    same("845", "Tervola"),
    both("846", "Teuva", "Östermark"),
    same("848", "Tohmajärvi"),
    same("849", "Toholampi"),
    same("850", "Toivakka"),
    both("851", "Tornio", "Torneå"),
    both("853", "Turku", "Åbo"),
    same("854", "Pello"),
    gone("855", "Tuulos", "Tulois", 2008),
    gone_same("856", "Tuupovaara", 2004),
    same("857", "Tuusniemi"),
    both("858", "Tuusula", "Tusby"),
    same("859", "Tyrnävä"),
    gone_same("863", "Töysä", 2012),
    gone_same("864", "Toijala", 2006),
    gone_same("885", "Ullava", 2008),
    both("886", "Ulvila", "Ulvsby"),
    same("887", "Urjala"),
    same("889", "Utajärvi"),
    same("890", "Utsjoki"),
    gone_same("891", "Uukuniemi", 2004),
    same("892", "Uurainen"),
    both("893", "Uusikaarlepyy", "Nykarleby"),
    both("895", "Uusikaupunki", "Nystad"),
    both("905", "Vaasa", "Vasa"),
    gone_same("906", "Vahto", 2008),
    same("908", "Valkeakoski"),
    gone_same("909", "Valkeala", 2008),
    gone_same("911", "Valtimo", 2019),
    gone_same("912", "Vammala", 2008),
    gone_same("913", "Vampula", 2008),
    same("915", "Varkaus"),
    gone_same("916", "Varpaisjärvi", 2010),
    gone("917", "Vehkalahti", "Veckelax", 2002),
    both("918", "Vehmaa", "Vemo"),
    gone_same("919", "Vehmersalmi", 2004),
    gone_same("920", "Velkua", 2008),
    same("921", "Vesanto"),
    same("922", "Vesilahti"),
    gone_same("923", "Västanfjärd", 2008),
    both("924", "Veteli", "Vetil"),
    same("925", "Vieremä"),
    gone_same("926", "Vihanti", 2012),
    both("927", "Vihti", "Vichtis"),
    gone_same("928", "Viiala", 2006),
    same("931", "Viitasaari"),
    gone_same("932", "Viljakkala", 2006),
    gone("933", "Vilppula", "Filpula", 2008),
    both("934", "Vimpeli", "Vindala"),
    both("935", "Virolahti", "Vederlax"),
    both("936", "Virrat", "Virdois"),
    gone_same("937", "Virtasalmi", 2003),
    gone_same("940", "Vuolijoki", 2006),
    same("941", "Vårdö"),
    gone("942", "Vähäkyrö", "Lillkyro", 2012),
    gone_same("943", "Värtsilä", 2004),
    gone("944", "Vöyri", "Vörå", 2006),
    gone("945", "Vöyri-Maksamaa", "Vörå-Maxmo", 2010),
    both("946", "Vöyri", "Vörå"),
    gone_same("971", "Ylihärmä", 2008),
    gone_same("972", "Yli-Ii", 2012),
    gone("973", "Ylikiiminki", "Överkiminge", 2008),
    gone_same("975", "Ylistaro", 2008),
    both("976", "Ylitornio", "Övertorneå"),
    same("977", "Ylivieska"),
    gone_same("978", "Ylämaa", 2009),
    gone_same("979", "Yläne", 2008),
    same("980", "Ylöjärvi"),
    same("981", "Ypäjä"),
    gone_same("988", "Äetsä", 2008),
    both("989", "Ähtäri", "Etseri"),
    same("992", "Äänekoski"),
];

/// The entry for a municipality number as it stands in a file (three ASCII digits).
///
/// Returns `None` for anything else (wrong length, blanks, non-digits) and for numbers not in the
/// table; the caller then keeps the raw code. One look-up in an index of all 1 000 numbers, no
/// allocation.
pub fn lookup(code: &[u8]) -> Option<&'static Municipality> {
    MUNICIPALITIES.get(position(code)?)
}

/// The place of a number's entry in [`MUNICIPALITIES`] (what [`lookup`] finds).
#[inline]
pub(crate) fn position(code: &[u8]) -> Option<usize> {
    match INDEX[index_of(code)?] {
        0 => None,
        at => Some(usize::from(at) - 1),
    }
}

/// The number of three ASCII digits (0 to 999).
#[inline]
fn index_of(code: &[u8]) -> Option<usize> {
    match *code {
        [a @ b'0'..=b'9', b @ b'0'..=b'9', c @ b'0'..=b'9'] => {
            Some(usize::from(a - b'0') * 100 + usize::from(b - b'0') * 10 + usize::from(c - b'0'))
        }
        _ => None,
    }
}

/// For each number 000–999, its place in [`MUNICIPALITIES`] plus one (0: not in the table),
/// made from the table when the crate is compiled.
static INDEX: [u16; 1000] = {
    let mut index = [0u16; 1000];
    let mut i = 0;
    while i < MUNICIPALITIES.len() {
        let c = MUNICIPALITIES[i].code.as_bytes();
        let n = (c[0] - b'0') as usize * 100 + (c[1] - b'0') as usize * 10 + (c[2] - b'0') as usize;
        index[n] = (i + 1) as u16;
        i += 1;
    }
    index
};

/// A current municipality with a Swedish name of its own.
const fn both(code: &'static str, finnish: &'static str, swedish: &'static str) -> Municipality {
    Municipality {
        code,
        finnish,
        swedish,
        until: None,
    }
}

/// A current municipality with one name.
const fn same(code: &'static str, name: &'static str) -> Municipality {
    both(code, name, name)
}

/// An artificial number of the register.
const fn special(code: &'static str, text: &'static str) -> Municipality {
    both(code, text, text)
}

/// A municipality merged away after `until`, with a Swedish name of its own.
const fn gone(
    code: &'static str,
    finnish: &'static str,
    swedish: &'static str,
    until: u16,
) -> Municipality {
    Municipality {
        code,
        finnish,
        swedish,
        until: Some(until),
    }
}

/// A municipality merged away after `until`, with one name.
const fn gone_same(code: &'static str, name: &'static str, until: u16) -> Municipality {
    gone(code, name, name, until)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorted_unique_three_digits() {
        for pair in MUNICIPALITIES.windows(2) {
            assert!(
                pair[0].code < pair[1].code,
                "{} before {}",
                pair[0].code,
                pair[1].code
            );
        }
        for m in MUNICIPALITIES {
            assert_eq!(m.code.len(), 3, "{}", m.code);
            assert!(m.code.bytes().all(|b| b.is_ascii_digit()), "{}", m.code);
            assert!(!m.finnish.is_empty() && !m.swedish.is_empty(), "{}", m.code);
            assert_eq!(m.finnish.trim(), m.finnish, "{}", m.code);
            assert_eq!(m.swedish.trim(), m.swedish, "{}", m.code);
        }
    }

    #[test]
    fn every_entry_is_found() {
        for m in MUNICIPALITIES {
            assert_eq!(lookup(m.code.as_bytes()), Some(m));
        }
    }

    #[test]
    fn the_index_finds_what_a_search_finds() {
        let search = |code: &[u8]| MUNICIPALITIES.iter().find(|m| m.code.as_bytes() == code);
        let mut codes: Vec<Vec<u8>> = (0..1000).map(|n| format!("{n:03}").into_bytes()).collect();
        codes.extend(
            [
                &b""[..],
                b"09",
                b"0910",
                b" 91",
                b"09 ",
                b"9\x0091",
                b"a91",
                b"/91",
                b":91",
            ]
            .map(Vec::from),
        );
        for code in &codes {
            assert_eq!(lookup(code), search(code), "{code:?}");
            let place = MUNICIPALITIES
                .iter()
                .position(|m| m.code.as_bytes() == code);
            assert_eq!(position(code), place, "{code:?}");
        }
    }

    #[test]
    fn well_known_codes() {
        let cases = [
            ("091", "Helsinki", "Helsingfors"),
            ("049", "Espoo", "Esbo"),
            ("092", "Vantaa", "Vanda"),
            ("837", "Tampere", "Tammerfors"),
            ("853", "Turku", "Åbo"),
            ("564", "Oulu", "Uleåborg"),
            ("478", "Maarianhamina", "Mariehamn"),
            ("905", "Vaasa", "Vasa"),
            ("297", "Kuopio", "Kuopio"),
            ("179", "Jyväskylä", "Jyväskylä"),
            ("405", "Lappeenranta", "Villmanstrand"),
            ("698", "Rovaniemi", "Rovaniemi"),
            ("398", "Lahti", "Lahtis"),
            ("609", "Pori", "Björneborg"),
        ];
        for (code, finnish, swedish) in cases {
            let m = lookup(code.as_bytes()).unwrap_or_else(|| panic!("{code} missing"));
            assert_eq!((m.finnish, m.swedish), (finnish, swedish), "{code}");
            assert!(m.is_current(), "{code}");
        }
    }

    #[test]
    fn current_count_2025() {
        // 2025 (unchanged since 2021): 309 municipalities, 293 on the mainland and 16 in Åland.
        let current: Vec<_> = MUNICIPALITIES.iter().filter(|m| m.is_current()).collect();
        assert_eq!(current.len(), 309);
        let aland = [
            "035", "043", "060", "062", "065", "076", "170", "295", "318", "417", "438", "478",
            "736", "766", "771", "941",
        ];
        for code in aland {
            assert!(lookup(code.as_bytes()).unwrap().is_current(), "{code}");
        }
    }

    #[test]
    fn abolished() {
        let gone: Vec<_> = MUNICIPALITIES
            .iter()
            .filter(|m| m.until.is_some())
            .collect();
        assert_eq!(gone.len(), 153);
        assert!(gone
            .iter()
            .all(|m| (2000..=2020).contains(&m.until.unwrap())));
        // Mergers of 1 January 2009: 73 municipalities had 2008 as their last year.
        assert_eq!(gone.iter().filter(|m| m.until == Some(2008)).count(), 73);
        let check = [
            ("164", "Jalasjärvi", 2015),
            ("099", "Honkajoki", 2020),
            ("911", "Valtimo", 2019),
            ("942", "Vähäkyrö", 2012),
            ("180", "Jyväskylän maalaiskunta", 2008),
            ("573", "Parainen", 2008),
            ("945", "Vöyri-Maksamaa", 2010),
        ];
        for (code, finnish, until) in check {
            let m = lookup(code.as_bytes()).unwrap();
            assert_eq!((m.finnish, m.until), (finnish, Some(until)), "{code}");
            assert!(!m.is_current() && !m.is_special(), "{code}");
        }
    }

    #[test]
    fn special_numbers() {
        for code in ["000", "198", "199", "200"] {
            let m = lookup(code.as_bytes()).unwrap();
            assert!(
                m.is_special() && !m.is_current() && m.until.is_none(),
                "{code}"
            );
        }
        assert_eq!(MUNICIPALITIES.iter().filter(|m| m.is_special()).count(), 4);
    }

    #[test]
    fn not_digits_or_unknown() {
        for raw in [
            &b""[..],
            b"  ",
            b"   ",
            b"91",
            b"0091",
            b"09 ",
            b" 91",
            b"09a",
            b"abc",
            b"\xff\xff\xff",
        ] {
            assert_eq!(lookup(raw), None, "{raw:?}");
        }
        assert_eq!(lookup(b"999"), None);
        assert_eq!(lookup(b"001"), None);
    }
}
