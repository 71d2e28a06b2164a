//! The change codes every record family shares: the change attribute of a group
//! (*muutosattribuutti*) and the change type of a record (*muutostyyppi*).

crate::code_table! {
    /// Change attribute of a group (*muutosattribuutti*, Java `Muutostapa`), offset 3 of every group.
    pub enum ChangeAttribute: "change_attribute", closed {
        /// *lisätieto*: context for another group (e.g. the other current citizenships).
        AdditionalInfo = b"0" => "additional information", "lisätieto";
        /// *lisätty*: added.
        Added = b"1" => "added", "lisätty";
        /// *muutettu*: changed (the group after the change).
        Changed = b"3" => "changed", "muutettu";
        /// *poistettu*: removed.
        Removed = b"4" => "removed", "poistettu";
        /// *korjattavaa*: the erroneous group that is being corrected.
        ToBeCorrected = b"5" => "to be corrected", "korjattavaa";
        /// *korjattu*: the corrected group, after its attribute-5 group.
        Corrected = b"6" => "corrected", "korjattu";
    }

    /// Change type of a record (*muutostyyppi*), header offset 22.
    pub enum ChangeType: "change_type", closed {
        /// *vanha*: an existing person or building was changed.
        Existing = b"0" => "existing", "vanha";
        /// *uusi*: new to the customer (for persons: birth, first registration, moving in).
        New = b"1" => "new", "uusi";
        /// *jatkettu*: the line continues the record before it.
        Continuation = b"J" => "continuation line", "jatkettu";
    }
}
