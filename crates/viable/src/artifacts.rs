//! The compiled contracts, embedded so an app using the SDK needs neither node nor solc.

use std::sync::OnceLock;

use alloy::{json_abi::JsonAbi, primitives::Bytes};
use serde::Deserialize;

/// Raw artifact JSON by contract name. Keep in step with `artifacts/`
/// (a unit test fails when a file is missing from this list).
pub(crate) const RAW: &[(&str, &str)] = &[
    ("LegitimacyConstitution", include_str!("../artifacts/LegitimacyConstitution.json")),
    ("ViableToken", include_str!("../artifacts/ViableToken.json")),
    ("WorkRegistry", include_str!("../artifacts/WorkRegistry.json")),
];

/// One compiled contract.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Artifact {
    /// Contract name.
    pub contract_name: String,
    /// Source path relative to the project root.
    pub source_path: String,
    /// The ABI.
    pub abi: JsonAbi,
    /// Creation bytecode.
    pub bytecode: Bytes,
    /// Runtime bytecode.
    pub deployed_bytecode: Bytes,
}

/// Every embedded artifact, parsed once.
pub fn all() -> &'static [Artifact] {
    static ALL: OnceLock<Vec<Artifact>> = OnceLock::new();
    ALL.get_or_init(|| {
        RAW.iter()
            .map(|(name, text)| {
                serde_json::from_str(text)
                    .unwrap_or_else(|e| panic!("embedded artifact {name} is not valid JSON: {e}"))
            })
            .collect()
    })
}

/// The artifact of `name`, if embedded.
pub fn get(name: &str) -> Option<&'static Artifact> {
    all().iter().find(|a| a.contract_name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_artifact_file_is_embedded() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/artifacts");
        let mut files: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().trim_end_matches(".json").to_string())
            .collect();
        files.sort();
        let mut embedded: Vec<String> = RAW.iter().map(|(n, _)| n.to_string()).collect();
        embedded.sort();
        assert_eq!(files, embedded, "src/artifacts.rs RAW must list every file in artifacts/");
        for a in all() {
            assert!(!a.bytecode.is_empty(), "{} has no bytecode", a.contract_name);
        }
    }
}
