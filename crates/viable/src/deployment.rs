//! `deployments/<chainId>.json`: where a deployment lives and what it was built from.

use std::path::{Path, PathBuf};

use alloy::primitives::{Address, B256, keccak256};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// The addresses and provenance of one deployment of the suite.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Deployment {
    /// Chain id.
    pub chain_id: u64,
    /// The LegitimacyConstitution (the root; everything else is found from it).
    pub constitution: Address,
    /// The Token House's IVotes token.
    pub token: Address,
    /// The module directory as deployed. The handles never read it: they resolve
    /// addresses from the constitution's directory, which amendments can change.
    #[serde(default)]
    pub modules: Modules,
    /// Block of the first deployment transaction (where event scans start).
    pub deploy_block: u64,
    /// keccak256 of the genesis configuration's canonical JSON.
    pub genesis_hash: B256,
    /// Git commit of the source the deployer ran, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub git_commit: Option<String>,
    /// The account that signed the deployment and the bootstrap.
    pub deployer: Address,
}

/// A slot of the constitution's module directory, in the contract's `Module` order.
///
/// This enum is the one place the SDK defines the order; everything else
/// (directory arrays, `SetModule` actions, rendering) goes through it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Module {
    /// System 1, the WorkRegistry.
    Work = 0,
    /// System 2, the CoordinationLocks.
    Coordination = 1,
    /// System 3, the OptimizationTreasury.
    Optimization = 2,
    /// System 4, the StrategyProposals.
    Strategy = 3,
}

impl Module {
    /// Every slot, in directory order.
    pub const ALL: [Self; 4] = [Self::Work, Self::Coordination, Self::Optimization, Self::Strategy];

    /// The slot's index in the directory (the contract's `uint8(Module)`).
    pub const fn index(self) -> usize {
        self as usize
    }

    /// The contract that fills the slot.
    pub const fn contract_name(self) -> &'static str {
        match self {
            Self::Work => "WorkRegistry",
            Self::Coordination => "CoordinationLocks",
            Self::Optimization => "OptimizationTreasury",
            Self::Strategy => "StrategyProposals",
        }
    }

    /// The id a module in this slot reports from `moduleKind()`
    /// (`keccak256("viable.module.Work")`, …; the contracts' `ModuleKinds`).
    pub fn kind(self) -> B256 {
        let name = match self {
            Self::Work => "Work",
            Self::Coordination => "Coordination",
            Self::Optimization => "Optimization",
            Self::Strategy => "Strategy",
        };
        keccak256(format!("viable.module.{name}"))
    }
}

impl TryFrom<u8> for Module {
    type Error = u8;
    /// The slot with this index; the index back when there is none.
    fn try_from(v: u8) -> std::result::Result<Self, u8> {
        Self::ALL.get(usize::from(v)).copied().ok_or(v)
    }
}

impl std::fmt::Display for Module {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.pad(self.contract_name())
    }
}

/// The four directory slots' addresses (zero when not deployed).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
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
    /// The address in `slot`.
    pub fn get(&self, slot: Module) -> Address {
        match slot {
            Module::Work => self.work_registry,
            Module::Coordination => self.coordination_locks,
            Module::Optimization => self.optimization_treasury,
            Module::Strategy => self.strategy_proposals,
        }
    }

    /// Put `address` in `slot`.
    pub fn set(&mut self, slot: Module, address: Address) -> &mut Self {
        let field = match slot {
            Module::Work => &mut self.work_registry,
            Module::Coordination => &mut self.coordination_locks,
            Module::Optimization => &mut self.optimization_treasury,
            Module::Strategy => &mut self.strategy_proposals,
        };
        *field = address;
        self
    }

    /// Every slot with its address, in directory order.
    pub fn iter(&self) -> impl Iterator<Item = (Module, Address)> + '_ {
        Module::ALL.into_iter().map(|m| (m, self.get(m)))
    }

    /// In the constitution's `Module` order.
    pub fn as_array(&self) -> [Address; 4] {
        Module::ALL.map(|m| self.get(m))
    }

    /// From the constitution's `Module` order.
    pub fn from_array(a: [Address; 4]) -> Self {
        let mut out = Self::default();
        for m in Module::ALL {
            out.set(m, a[m.index()]);
        }
        out
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
            modules: *Modules::default().set(Module::Work, Address::repeat_byte(3)),
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

    #[test]
    fn module_order_is_the_contracts() {
        let a = [1u8, 2, 3, 4].map(Address::repeat_byte);
        let m = Modules::from_array(a);
        assert_eq!(m.get(Module::Optimization), a[2]);
        assert_eq!(m.as_array(), a);
        assert_eq!(Module::try_from(3), Ok(Module::Strategy));
        assert_eq!(Module::try_from(4), Err(4));
        assert_eq!(Module::Work.kind(), keccak256("viable.module.Work"));
    }
}
