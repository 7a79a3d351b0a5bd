//! `deployments/<chainId>.json`: where a deployment lives and what it was built from.

use std::path::{Path, PathBuf};

use alloy::primitives::{Address, B256};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// The addresses and provenance of one deployment of the suite.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Deployment {
    /// Chain id.
    pub chain_id: u64,
    /// The LegitimacyConstitution (the root; everything else is found from it).
    pub constitution: Address,
    /// The Token House's IVotes token.
    pub token: Address,
    /// The module directory as deployed (the constitution's directory is authoritative).
    #[serde(default)]
    pub modules: Modules,
    /// Block of the first deployment transaction (where event scans start).
    pub deploy_block: u64,
    /// keccak256 of the genesis configuration's canonical JSON.
    pub genesis_hash: B256,
    /// Git commit of the source the deployer ran, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub git_commit: Option<String>,
    /// The account that deployed and bootstrapped.
    pub deployer: Address,
}

/// The four modules' addresses (zero when not deployed).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Modules {
    /// WorkRegistry (System 1).
    pub work_registry: Address,
    /// CoordinationLocks (System 2).
    pub coordination_locks: Address,
    /// OptimizationTreasury (System 3).
    pub optimization_treasury: Address,
    /// StrategyProposals (System 4).
    pub strategy_proposals: Address,
}

impl Modules {
    /// In the constitution's `Module` order.
    pub fn as_array(&self) -> [Address; 4] {
        [
            self.work_registry,
            self.coordination_locks,
            self.optimization_treasury,
            self.strategy_proposals,
        ]
    }

    /// From the constitution's `Module` order.
    pub fn from_array(a: [Address; 4]) -> Self {
        Self {
            work_registry: a[0],
            coordination_locks: a[1],
            optimization_treasury: a[2],
            strategy_proposals: a[3],
        }
    }
}

impl Deployment {
    /// `<dir>/<chainId>.json`.
    pub fn path_in(dir: &Path, chain_id: u64) -> PathBuf {
        dir.join(format!("{chain_id}.json"))
    }

    /// Read a deployment file.
    pub fn read(path: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::DeploymentFile {
            path: path.display().to_string(),
            message: if e.kind() == std::io::ErrorKind::NotFound {
                "not found; deploy first (`viable deploy`) or pass --deployment".into()
            } else {
                e.to_string()
            },
        })?;
        serde_json::from_str(&text).map_err(|e| Error::DeploymentFile {
            path: path.display().to_string(),
            message: e.to_string(),
        })
    }

    /// Write this deployment to `path` (creating the folder), atomically.
    pub fn write(&self, path: &Path) -> Result<()> {
        let err = |e: std::io::Error| Error::DeploymentFile {
            path: path.display().to_string(),
            message: e.to_string(),
        };
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(err)?;
        }
        let text = serde_json::to_string_pretty(self).expect("deployment serializes") + "\n";
        let tmp = path.with_extension("json.tmp");
        std::fs::write(&tmp, text).map_err(err)?;
        std::fs::rename(&tmp, path).map_err(err)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_through_a_file() {
        let d = Deployment {
            chain_id: 31337,
            constitution: Address::repeat_byte(1),
            token: Address::repeat_byte(2),
            modules: Modules { work_registry: Address::repeat_byte(3), ..Default::default() },
            deploy_block: 7,
            genesis_hash: B256::repeat_byte(9),
            git_commit: Some("abc".into()),
            deployer: Address::repeat_byte(4),
        };
        let dir = std::env::temp_dir().join(format!("viable-dep-{}", std::process::id()));
        let path = Deployment::path_in(&dir, d.chain_id);
        d.write(&path).unwrap();
        assert_eq!(Deployment::read(&path).unwrap(), d);
        let missing = Deployment::read(&dir.join("1.json")).unwrap_err();
        assert!(missing.to_string().contains("not found"));
        std::fs::remove_dir_all(dir).unwrap();
    }
}
