//! The suite's contracts in one list: which contract sits where, and the generated
//! events and errors enums that decode its logs and reverts.
//!
//! Adding a module to the SDK adds one group to the `suite!` invocation below;
//! [`SuiteEvent`], [`SuiteError`], the event stream's address set and the revert
//! decoder all follow from it (see `docs/sdk.md`).

use std::sync::OnceLock;

use alloy::{
    json_abi,
    primitives::B256,
    sol_types::{SolEventInterface, SolInterface},
};

use crate::{
    bindings::{
        CoordinationLocks, LegitimacyConstitution, OptimizationTreasury, StrategyProposals,
        ViableToken, WorkRegistry,
    },
    deployment::Module,
};

/// Where a contract of the suite is found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Source {
    /// The constitution: the deployment's root address, fixed for its lifetime.
    Root,
    /// A slot of the constitution's module directory (amendments can re-point it).
    Directory(Module),
}

/// Generates [`SuiteEvent`], [`SuiteError`] and [`CONTRACTS`] from the list of the
/// suite's contracts. Each module group is `Variant(Binding: EventsEnum, ErrorsEnum)
/// at Source;`; `others` are contracts that are not modules (their errors decode,
/// their events are not part of the suite's stream).
macro_rules! suite {
    (
        modules {
            $(
                $(#[$doc:meta])*
                $variant:ident($contract:ident: $events:ident, $errors:ident) at $source:expr;
            )*
        }
        others {
            $(
                $(#[$odoc:meta])*
                $ovariant:ident($ocontract:ident: $oerrors:ident);
            )*
        }
    ) => {
        /// One event of any module of the suite, decoded by the module's generated
        /// events enum.
        #[derive(Debug, Clone, PartialEq, Eq)]
        #[non_exhaustive]
        pub enum SuiteEvent {
            $( $(#[$doc])* $variant($contract::$events), )*
        }

        impl SuiteEvent {
            /// Whether the SDK decodes logs from the contract at `source`.
            pub(crate) fn knows(source: Source) -> bool {
                $( if source == $source { return true; } )*
                false
            }

            /// Decode a log emitted by the contract at `source` (`None`: not a
            /// source the SDK knows).
            pub(crate) fn decode(
                source: Source,
                topics: &[B256],
                data: &[u8],
            ) -> Option<Result<Self, alloy::sol_types::Error>> {
                $(
                    if source == $source {
                        return Some(
                            <$contract::$events as SolEventInterface>::decode_raw_log(topics, data)
                                .map(Self::$variant),
                        );
                    }
                )*
                None
            }

            /// The name of the contract that emitted it (`WorkRegistry`, …).
            pub fn contract(&self) -> &'static str {
                match self {
                    $( Self::$variant(_) => stringify!($contract), )*
                }
            }
        }

        /// A custom error of any contract of the suite, decoded by the contract's
        /// generated errors enum.
        #[derive(Debug, Clone, PartialEq, Eq)]
        #[non_exhaustive]
        pub enum SuiteError {
            $( $(#[$doc])* $variant($contract::$errors), )*
            $( $(#[$odoc])* $ovariant($ocontract::$oerrors), )*
        }

        impl SuiteError {
            /// Decode revert data against every contract's errors.
            pub fn decode(data: &[u8]) -> Option<Self> {
                let selector: [u8; 4] = data.get(..4)?.try_into().ok()?;
                $(
                    if <$contract::$errors as SolInterface>::valid_selector(selector)
                        && let Ok(e) = <$contract::$errors as SolInterface>::abi_decode(data)
                    {
                        return Some(Self::$variant(e));
                    }
                )*
                $(
                    if <$ocontract::$oerrors as SolInterface>::valid_selector(selector)
                        && let Ok(e) = <$ocontract::$oerrors as SolInterface>::abi_decode(data)
                    {
                        return Some(Self::$ovariant(e));
                    }
                )*
                None
            }

            /// The error's name (`WorkRegistryNotAttester`, …).
            pub fn name(&self) -> &'static str {
                match self {
                    $( Self::$variant(e) => $contract::$errors::name_by_selector(e.selector()), )*
                    $( Self::$ovariant(e) => $ocontract::$oerrors::name_by_selector(e.selector()), )*
                }
                .unwrap_or("?")
            }

            /// The contract whose ABI declares it.
            pub fn contract(&self) -> &'static str {
                match self {
                    $( Self::$variant(_) => stringify!($contract), )*
                    $( Self::$ovariant(_) => stringify!($ocontract), )*
                }
            }

            /// The declaring contract's ABI entries for errors, for argument names
            /// (read once from the artifact the binding was generated from).
            pub(crate) fn abi_errors(&self) -> &'static [json_abi::Error] {
                match self {
                    $(
                        Self::$variant(_) => {
                            static ERRORS: OnceLock<Vec<json_abi::Error>> = OnceLock::new();
                            ERRORS.get_or_init(|| abi_errors(include_str!(concat!(
                                "../artifacts/", stringify!($contract), ".json"
                            ))))
                        }
                    )*
                    $(
                        Self::$ovariant(_) => {
                            static ERRORS: OnceLock<Vec<json_abi::Error>> = OnceLock::new();
                            ERRORS.get_or_init(|| abi_errors(include_str!(concat!(
                                "../artifacts/", stringify!($ocontract), ".json"
                            ))))
                        }
                    )*
                }
            }
        }

        /// Every contract the SDK binds, by name (a test checks this against `artifacts/`).
        pub const CONTRACTS: &[&str] = &[ $( stringify!($contract), )* $( stringify!($ocontract), )* ];
    };
}

/// The error entries of an artifact's ABI (`{"abi": [...], …}`).
fn abi_errors(artifact: &str) -> Vec<json_abi::Error> {
    #[derive(serde::Deserialize)]
    struct Artifact {
        abi: json_abi::JsonAbi,
    }
    let a: Artifact = serde_json::from_str(artifact).expect("committed artifacts are valid JSON");
    a.abi.errors().cloned().collect()
}

suite! {
    modules {
        /// System 5, the LegitimacyConstitution.
        Constitution(LegitimacyConstitution: LegitimacyConstitutionEvents, LegitimacyConstitutionErrors)
            at Source::Root;
        /// System 1, the WorkRegistry.
        Work(WorkRegistry: WorkRegistryEvents, WorkRegistryErrors)
            at Source::Directory(Module::Work);
        /// System 2, the CoordinationLocks.
        Locks(CoordinationLocks: CoordinationLocksEvents, CoordinationLocksErrors)
            at Source::Directory(Module::Coordination);
        /// System 3, the OptimizationTreasury.
        Treasury(OptimizationTreasury: OptimizationTreasuryEvents, OptimizationTreasuryErrors)
            at Source::Directory(Module::Optimization);
        /// System 4, the StrategyProposals.
        Strategy(StrategyProposals: StrategyProposalsEvents, StrategyProposalsErrors)
            at Source::Directory(Module::Strategy);
    }
    others {
        /// The dev token (`ViableToken`, an OpenZeppelin ERC20Votes).
        Token(ViableToken: ViableTokenErrors);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_artifact_is_bound() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/artifacts");
        let mut files: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().trim_end_matches(".json").to_string())
            .collect();
        files.sort();
        let mut bound: Vec<String> = CONTRACTS.iter().map(|n| n.to_string()).collect();
        bound.sort();
        assert_eq!(files, bound, "src/suite.rs must list every contract in artifacts/");
    }

    #[test]
    fn only_known_sources_decode() {
        assert!(SuiteEvent::knows(Source::Root));
        assert!(SuiteEvent::knows(Source::Directory(Module::Work)));
        for m in [Module::Coordination, Module::Optimization, Module::Strategy] {
            assert!(SuiteEvent::knows(Source::Directory(m)));
        }
        // A log with no topics decodes to an error, not to `None`: the source is known.
        assert!(SuiteEvent::decode(Source::Directory(Module::Coordination), &[], &[]).is_some());
    }
}
