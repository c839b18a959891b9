//! Robustness: arbitrary rule files and formulas produce errors, never panics.

use std::path::PathBuf;

use proptest::prelude::*;
use samlet_rules::load_rule_set_from_files;

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, .. ProptestConfig::default() })]

    #[test]
    fn arbitrary_formulas_do_not_panic(formula in "[a-z0-9_ ()+*/<>=!.,\"'%#æøå-]{0,40}") {
        let text = format!(
            "inputs:\n  x: {{ entity: household, type: money, source: none }}\nrules:\n  r:\n    reference: r\n    formula: {formula:?}\n"
        );
        let _ = load_rule_set_from_files("m", &[(PathBuf::from("m/r.yaml"), text)]);
    }

    #[test]
    fn arbitrary_yaml_does_not_panic(text in "[a-z:{}\\[\\],\\- \n|>'\"#0-9]{0,120}") {
        let _ = load_rule_set_from_files("m", &[(PathBuf::from("m/r.yaml"), text)]);
    }
}
