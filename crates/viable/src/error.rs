//! The SDK's one error type, and decoding of contract reverts.
//!
//! [`Error`] has one variant per failure class: a revert (decoded with the
//! contract's error name and arguments by the generated errors enums of every
//! contract, see [`crate::suite`]), a client-side check of a module (typed, kept as
//! the module's own error), a precondition about the deployment, a transaction that
//! failed or timed out, and the transport (with its source and whether a retry may
//! succeed). A new module's errors need no change here: its reverts decode through
//! [`SuiteError`], and its client-side checks travel in [`Error::Check`].

use std::{fmt, time::Duration};

use alloy::{
    dyn_abi::{DynSolValue, JsonAbiExt},
    json_abi::InternalType,
    primitives::{Address, Bytes, TxHash, U256},
    sol_types::{ContractError, GenericRevertReason, PanicKind, RevertReason, SolError},
    transports::{
        TransportError,
        layers::{RateLimitRetryPolicy, RetryPolicy},
    },
};

use crate::{
    deployment::Module,
    display,
    genesis::GenesisError,
    keys::{self, ParamKey},
    suite::SuiteError,
};

/// Result alias for the SDK.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything the SDK can fail with.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A contract reverted (in simulation or on chain) with revert data: decoded.
    #[error("{0}")]
    Revert(Box<Revert>),
    /// A client-side check of one module refused the input; nothing was sent.
    #[error("{0}")]
    Check(Box<CheckError>),
    /// The genesis configuration is invalid; nothing was sent.
    #[error(transparent)]
    Genesis(Box<GenesisError>),
    /// The deployment or the chain is not in a state the call needs.
    #[error("{0}")]
    Precondition(Precondition),
    /// A transaction was mined but reverted, without revert data to decode.
    #[error("transaction {tx} reverted on chain")]
    Reverted {
        /// The transaction hash.
        tx: TxHash,
    },
    /// A sent transaction was not confirmed in time. It may still be mined: look it
    /// up by hash before sending it again.
    #[error("transaction {tx} was not confirmed within {after:?}")]
    Timeout {
        /// The transaction hash.
        tx: TxHash,
        /// How long the SDK waited.
        after: Duration,
    },
    /// The node or the transport failed.
    #[error("rpc: {source}")]
    Transport {
        /// What the transport reported.
        #[source]
        source: Box<TransportError>,
        /// Whether the same request may succeed later (rate limit, unavailable).
        retryable: bool,
    },
    /// The chain answered with something this SDK cannot read (an enum value it does
    /// not know, an event missing from a receipt or from the logs): the deployment is
    /// probably newer than the SDK.
    #[error("unexpected answer from the chain: {0}")]
    Unexpected(String),
    /// Reading or writing a deployment file failed.
    #[error("deployment file {path}: {message}")]
    DeploymentFile {
        /// The file.
        path: String,
        /// What went wrong.
        message: String,
    },
}

/// A state of the deployment or the chain that makes a call impossible.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Precondition {
    /// The deployment file is for another chain than the RPC serves.
    #[error("the deployment is for chain {deployment} but the RPC serves chain {rpc}")]
    WrongChain {
        /// The deployment's chain.
        deployment: u64,
        /// The RPC's chain.
        rpc: u64,
    },
    /// No contract at an address the deployment names.
    #[error("no contract code at {address} ({what}); is the deployment file for this chain?")]
    NoCode {
        /// What was expected there.
        what: &'static str,
        /// The address.
        address: Address,
    },
    /// The constitution's directory has no address in this slot.
    #[error("this deployment has no {0} (its directory slot is empty)")]
    ModuleNotDeployed(Module),
    /// An existing token that does not implement the ERC-6372 clock.
    #[error(
        "genesis token.address {0} does not implement ERC-6372 clock(); the Token House needs an IVotes token"
    )]
    NotIVotes(Address),
    /// No amendment with this id was proposed on this deployment.
    #[error("no amendment {0:#066x} on this deployment")]
    UnknownAmendment(U256),
    /// The genesis opens budget lines, which only a STEWARD may, and the deploying
    /// account is not one of the genesis's stewards.
    #[error(
        "the genesis opens treasury budget lines, which only a STEWARD may open, and the \
         deployer {0} is not in [bootstrap] stewards: add it there or remove [bootstrap.treasury] lines"
    )]
    DeployerNotSteward(Address),
}

/// A module's client-side check refused the input. The module's own typed error is
/// kept as the source: reach it with [`Error::check`] (e.g. `PacketError`).
#[derive(Debug)]
pub struct CheckError {
    module: &'static str,
    source: Box<dyn std::error::Error + Send + Sync + 'static>,
}

impl CheckError {
    /// Wrap a module's check error (`module` names the SDK module: `"work"`).
    pub fn new(
        module: &'static str,
        source: impl std::error::Error + Send + Sync + 'static,
    ) -> Self {
        Self { module, source: Box::new(source) }
    }

    /// The SDK module whose check failed (`"constitution"`, `"work"`, …).
    pub fn module(&self) -> &'static str {
        self.module
    }

    /// The module's typed error, if it is a `T`.
    pub fn downcast_ref<T: std::error::Error + 'static>(&self) -> Option<&T> {
        self.source.downcast_ref()
    }
}

impl fmt::Display for CheckError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.source.fmt(f)
    }
}

impl std::error::Error for CheckError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&*self.source)
    }
}

impl From<GenesisError> for Error {
    fn from(e: GenesisError) -> Self {
        Self::Genesis(Box::new(e))
    }
}

impl From<Precondition> for Error {
    fn from(e: Precondition) -> Self {
        Self::Precondition(e)
    }
}

impl From<CheckError> for Error {
    fn from(e: CheckError) -> Self {
        Self::Check(Box::new(e))
    }
}

impl From<alloy::contract::Error> for Error {
    fn from(e: alloy::contract::Error) -> Self {
        if let Some(data) = e.as_revert_data() {
            return Self::Revert(Box::new(Revert::decode(&data)));
        }
        match e {
            alloy::contract::Error::TransportError(t) => t.into(),
            alloy::contract::Error::PendingTransactionError(p) => p.into(),
            other => Self::Unexpected(other.to_string()),
        }
    }
}

impl From<TransportError> for Error {
    fn from(e: TransportError) -> Self {
        if let Some(data) = e.as_error_resp().and_then(|r| r.as_revert_data()) {
            return Self::Revert(Box::new(Revert::decode(&data)));
        }
        let retryable = RateLimitRetryPolicy::default().should_retry(&e);
        Self::Transport { source: Box::new(e), retryable }
    }
}

impl From<alloy::providers::PendingTransactionError> for Error {
    fn from(e: alloy::providers::PendingTransactionError) -> Self {
        use alloy::providers::PendingTransactionError as P;
        match e {
            P::TransportError(t) => t.into(),
            other => Self::Unexpected(other.to_string()),
        }
    }
}

impl Error {
    /// The decoded revert, if this error is one.
    pub fn revert(&self) -> Option<&Revert> {
        match self {
            Self::Revert(r) => Some(r),
            _ => None,
        }
    }

    /// Whether this is a revert with the named error (e.g. `"WorkRegistryUnknownSchema"`).
    pub fn is_revert(&self, name: &str) -> bool {
        self.revert().is_some_and(|r| r.name == name)
    }

    /// A module's typed client-side error, if this is one of type `T`
    /// (`err.check::<viable::work::PacketError>()`).
    pub fn check<T: std::error::Error + 'static>(&self) -> Option<&T> {
        match self {
            Self::Check(c) => c.downcast_ref(),
            _ => None,
        }
    }

    /// Whether the same call may succeed if retried (a rate limit, a node that is
    /// temporarily unavailable, a confirmation that timed out).
    pub fn is_retryable(&self) -> bool {
        match self {
            Self::Transport { retryable, .. } => *retryable,
            Self::Timeout { .. } => true,
            _ => false,
        }
    }
}

/// What kind of revert it was.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum RevertKind {
    /// One of the suite's custom errors, typed.
    Custom(SuiteError),
    /// Solidity's `Error(string)` (a `require` with a message), or a raw string.
    Reason(String),
    /// Solidity's `Panic(uint256)`: the code, and its kind when it is a known one.
    Panic(U256, Option<PanicKind>),
    /// Data that nothing decodes (including no data at all).
    Unknown,
}

/// A revert decoded against every contract of the suite.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Revert {
    /// The error's name (`LegitimacyConstitutionParamOutOfBounds`), or `Error`/`Panic`
    /// for Solidity's built-ins, or `Unknown`.
    pub name: String,
    /// The contract whose ABI declares the error (`None` for built-ins and unknown).
    pub contract: Option<&'static str>,
    /// Argument names and their values rendered for people, in order.
    pub args: Vec<(String, String)>,
    /// The raw revert data.
    pub data: Bytes,
    /// The typed revert.
    pub kind: RevertKind,
}

impl Revert {
    /// Decode raw revert data: the suite's custom errors first (each contract's
    /// generated errors enum), then Solidity's `Error(string)` and `Panic(uint256)`.
    pub fn decode(data: &[u8]) -> Self {
        let raw = Bytes::copy_from_slice(data);
        if let Some(error) = SuiteError::decode(data) {
            let name = error.name().to_string();
            let args = named_args(&error, data);
            return Self {
                contract: Some(error.contract()),
                name,
                args,
                data: raw,
                kind: RevertKind::Custom(error),
            };
        }
        let builtin = if data.is_empty() { None } else { GenericRevertReason::decode(data) };
        let (name, args, kind) = match builtin {
            Some(RevertReason::ContractError(ContractError::Revert(r))) => (
                "Error",
                vec![("reason".to_string(), r.reason.clone())],
                RevertKind::Reason(r.reason),
            ),
            Some(RevertReason::ContractError(ContractError::Panic(p))) => {
                let kind = p.kind();
                let shown = match kind {
                    Some(k) => format!("{:#x} ({k})", p.code),
                    None => format!("{:#x}", p.code),
                };
                ("Panic", vec![("code".to_string(), shown)], RevertKind::Panic(p.code, kind))
            }
            Some(RevertReason::RawString(s)) if !s.is_empty() && !s.contains('\0') => {
                ("Error", vec![("reason".to_string(), s.clone())], RevertKind::Reason(s))
            }
            _ => ("Unknown", vec![], RevertKind::Unknown),
        };
        Self { name: name.into(), contract: None, args, data: raw, kind }
    }

    /// The value of argument `name`, as rendered.
    pub fn arg(&self, name: &str) -> Option<&str> {
        self.args.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }

    /// The revert as the generated error type `E`, if it is one
    /// (`revert.as_error::<WorkRegistry::WorkRegistryNotAttester>()`).
    pub fn as_error<E: SolError>(&self) -> Option<E> {
        E::abi_decode(&self.data).ok()
    }

    /// The typed suite error, if it is one.
    pub fn suite_error(&self) -> Option<&SuiteError> {
        match &self.kind {
            RevertKind::Custom(e) => Some(e),
            _ => None,
        }
    }
}

/// The error's arguments with their names from the declaring contract's ABI, rendered
/// for people (see [`render_arg`]). A trailing underscore that Solidity needs to avoid
/// a keyword (`now_`) is dropped from the name.
fn named_args(error: &SuiteError, data: &[u8]) -> Vec<(String, String)> {
    let selector = &data[..4];
    let Some(abi) = error.abi_errors().iter().find(|e| e.selector().as_slice() == selector) else {
        return vec![];
    };
    let Ok(values) = abi.abi_decode_input(&data[4..]) else { return vec![] };
    let names: Vec<String> =
        abi.inputs.iter().map(|p| p.name.trim_end_matches('_').to_string()).collect();
    let find = |wanted: &str| names.iter().position(|n| n == wanted).map(|i| &values[i]);
    let context = ArgContext {
        now: find("now").and_then(as_u64),
        key: find("key").and_then(|v| match v {
            DynSolValue::FixedBytes(word, 32) => ParamKey::from_word(word),
            _ => None,
        }),
    };
    abi.inputs
        .iter()
        .zip(names)
        .zip(values.iter())
        .map(|((p, name), v)| {
            let shown = render_arg(&name, p.internal_type.as_ref(), v, &context);
            (name, shown)
        })
        .collect()
}

/// What the other arguments of the same error say about one argument.
struct ArgContext {
    /// The chain time the error reports (its `now` argument).
    now: Option<u64>,
    /// The parameter the error names (its `key` argument), for the unit of its values.
    key: Option<ParamKey>,
}

/// What an argument measures, from its name: the suite names its error arguments so
/// that times, durations and token amounts can be shown in their units.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ArgKind {
    /// A Unix timestamp: `deadline`, `eta`, `now`, `timepoint`, `expiry`, `leaseEnd`,
    /// `holdEnd`, `latest`, `…At`.
    Time,
    /// Seconds: `…window`, `…Window`, `…period`, `…Period`, `…delay`, `…Delay`, `…ttl`, `…Ttl`.
    Duration,
    /// A token amount in base units (18 decimals): `tokenVotes`, `…Threshold` of tokens,
    /// `balance`, `needed`, `allowance`, `amount`, `…Amount`, `bond`, `…Bond`, `cap`.
    Amount,
    /// A parameter's value or bound, shown in the unit of the error's `key`.
    ParamValue,
    /// Anything else.
    Plain,
}

fn arg_kind(name: &str, context: &ArgContext) -> ArgKind {
    let ends = |suffixes: &[&str]| suffixes.iter().any(|s| name.ends_with(s));
    match name {
        "deadline" | "eta" | "now" | "timepoint" | "expiry" | "clock" | "notBefore"
        | "voteStart" | "voteEnd" | "leaseEnd" | "holdEnd" | "latest" => ArgKind::Time,
        _ if name.len() > 2 && ends(&["At"]) => ArgKind::Time,
        _ if ends(&["window", "Window", "period", "Period", "delay", "Delay", "ttl", "Ttl"]) => {
            ArgKind::Duration
        }
        "tokenVotes" | "tokenThreshold" | "balance" | "needed" | "allowance" | "amount"
        | "bond" | "cap" | "increasedSupply" => ArgKind::Amount,
        _ if ends(&["Amount", "Bond", "Balance"]) => ArgKind::Amount,
        "value" | "min" | "max" | "floor" | "ceiling" if context.key.is_some() => {
            ArgKind::ParamValue
        }
        _ => ArgKind::Plain,
    }
}

/// One argument for people: an enum by its variant's name (the ABI's `internalType`
/// names the enum), a time as a date (with "in 45 s" against the error's own `now`),
/// a duration with its span, a token amount in whole tokens, a parameter value in its
/// unit; anything else as [`render`] shows it.
fn render_arg(
    name: &str,
    internal: Option<&InternalType>,
    v: &DynSolValue,
    context: &ArgContext,
) -> String {
    if let Some(InternalType::Enum { contract, ty }) = internal {
        let index = as_u64(v).and_then(|i| u8::try_from(i).ok());
        return match index.and_then(|i| enum_variant(ty, i)) {
            Some(variant) => variant,
            None => {
                let qualified = contract.as_ref().map_or(ty.clone(), |c| format!("{c}.{ty}"));
                format!("{} (not a {qualified} this SDK knows)", render(v))
            }
        };
    }
    let Some(n) = v.as_uint().map(|(n, _)| n) else { return render(v) };
    match (arg_kind(name, context), u64::try_from(n).ok()) {
        (ArgKind::Time, Some(t)) if name == "now" => display::timestamp(t),
        (ArgKind::Time, Some(t)) => display::time(t, context.now),
        (ArgKind::Duration, Some(s)) => format!("{s} s ({})", display::span(s)),
        (ArgKind::Amount, _) => format!("{} ether", keys::ether(n)),
        (ArgKind::ParamValue, _) => {
            keys::display_value(context.key.expect("checked by arg_kind").as_str(), n)
        }
        // A uint256 id too large for a counter is a hash (an amendment id): hex, as ids
        // print everywhere.
        (_, None) if name == "id" || name.ends_with("Id") => format!("{n:#066x}"),
        _ => render(v),
    }
}

/// The name of variant `index` of the suite's enum `ty` (`AmendmentState`, `Status`,
/// `FieldType`, `Module`, `Mode`, `RequestState`): the SDK's own enums know the names, the ABI does not.
/// A module whose errors carry a new enum adds it here.
pub(crate) fn enum_variant(ty: &str, index: u8) -> Option<String> {
    use crate::{
        constitution::AmendmentState,
        locks::{Mode, RequestState},
        strategy::{Adopter, ProposalState, QuestionState, Target},
        work::{FieldType, PacketStatus},
    };
    match ty {
        "AmendmentState" => AmendmentState::try_from(index).ok().map(|s| s.to_string()),
        "Status" => PacketStatus::try_from(index).ok().map(|s| s.to_string()),
        "FieldType" => FieldType::try_from(index).ok().map(|t| t.to_string()),
        "Module" => Module::try_from(index).ok().map(|m| format!("{m:?}")),
        "AllocationState" => {
            crate::treasury::AllocationState::try_from(index).ok().map(|s| s.to_string())
        }
        "LineStatus" => crate::treasury::LineStatus::try_from(index).ok().map(|s| s.to_string()),
        "ProposalState" => ProposalState::try_from(index).ok().map(|s| s.to_string()),
        "QuestionState" => QuestionState::try_from(index).ok().map(|s| s.to_string()),
        "Target" => Target::try_from(index).ok().map(|t| t.to_string()),
        "Adopter" => Adopter::try_from(index).ok().map(|a| a.to_string()),
        "Mode" => Mode::try_from(index).ok().map(|m| m.to_string()),
        "RequestState" => RequestState::try_from(index).ok().map(|s| s.to_string()),
        _ => None,
    }
}

fn as_u64(v: &DynSolValue) -> Option<u64> {
    v.as_uint().and_then(|(n, _)| u64::try_from(n).ok())
}

impl fmt::Display for Revert {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.kind == RevertKind::Unknown {
            if self.data.is_empty() {
                return f.write_str("reverted without data");
            }
            return write!(f, "reverted with undecodable data {}", self.data);
        }
        write!(f, "reverted: {}(", self.name)?;
        for (i, (n, v)) in self.args.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            if n.is_empty() { write!(f, "{v}")? } else { write!(f, "{n}: {v}")? }
        }
        f.write_str(")")
    }
}

/// Render a decoded value for people: bytes32 that hold ASCII text (parameter keys) as
/// text, numbers in decimal, everything else as alloy prints it.
pub(crate) fn render(v: &DynSolValue) -> String {
    match v {
        DynSolValue::FixedBytes(word, 32) => crate::keys::bytes32_to_text(word)
            .map(|s| format!("\"{s}\""))
            .unwrap_or_else(|| word.to_string()),
        DynSolValue::Uint(u, _) => u.to_string(),
        DynSolValue::Int(i, _) => i.to_string(),
        DynSolValue::Address(a) => a.to_checksum(None),
        DynSolValue::Bool(b) => b.to_string(),
        DynSolValue::String(s) => format!("{s:?}"),
        DynSolValue::Bytes(b) => Bytes::copy_from_slice(b).to_string(),
        DynSolValue::Array(items) | DynSolValue::FixedArray(items) | DynSolValue::Tuple(items) => {
            format!("[{}]", items.iter().map(render).collect::<Vec<_>>().join(", "))
        }
        other => format!("{other:?}"),
    }
}

#[cfg(test)]
mod tests {
    use alloy::sol_types::{Panic, SolError};

    use super::*;
    use crate::bindings::{ViableToken, WorkRegistry};

    #[test]
    fn custom_errors_of_every_contract_decode_with_names() {
        let e = WorkRegistry::WorkRegistryFieldOutOfRange {
            field: U256::from(0),
            value: U256::from(5000),
            min: U256::from(1),
            max: U256::from(1000),
        };
        let r = Revert::decode(&e.abi_encode());
        assert_eq!(r.name, "WorkRegistryFieldOutOfRange");
        assert_eq!(r.contract, Some("WorkRegistry"));
        assert_eq!(r.arg("value"), Some("5000"));
        assert_eq!(r.as_error::<WorkRegistry::WorkRegistryFieldOutOfRange>(), Some(e));
        assert!(matches!(r.suite_error(), Some(SuiteError::Work(_))));
        // The token's OpenZeppelin errors decode too.
        let e = ViableToken::ERC20InsufficientBalance {
            sender: Address::repeat_byte(1),
            balance: U256::from(1),
            needed: U256::from(2),
        };
        let r = Revert::decode(&e.abi_encode());
        assert_eq!(
            (r.name.as_str(), r.contract),
            ("ERC20InsufficientBalance", Some("ViableToken"))
        );
    }

    #[test]
    fn arguments_render_enums_by_name_times_as_dates_and_amounts_in_units() {
        use crate::bindings::LegitimacyConstitution as C;
        let id = U256::from_be_bytes([0x83; 32]);
        let r = Revert::decode(
            &C::LegitimacyConstitutionWrongState { id, current: 0, required: 1 }.abi_encode(),
        );
        assert_eq!(r.arg("current"), Some("Pending"));
        assert_eq!(r.arg("required"), Some("Active"));
        assert_eq!(r.arg("id"), Some(format!("0x{}", "83".repeat(32)).as_str()));
        let r = Revert::decode(
            &C::LegitimacyConstitutionTimelocked {
                id,
                eta: alloy::primitives::Uint::from(1_700_000_045u64),
                now_: alloy::primitives::Uint::from(1_700_000_000u64),
            }
            .abi_encode(),
        );
        assert_eq!(r.arg("now"), Some("2023-11-14 22:13:20 UTC"), "now_ shows as now");
        assert_eq!(r.arg("eta"), Some("2023-11-14 22:14:05 UTC (in 45 s)"));
        assert!(r.arg("now_").is_none());
        let ether = U256::from(10u64).pow(U256::from(18));
        let r = Revert::decode(
            &C::LegitimacyConstitutionBelowThreshold {
                proposer: Address::repeat_byte(1),
                tokenVotes: U256::ZERO,
                tokenThreshold: ether * U256::from(1000),
                workPower: U256::ZERO,
                workThreshold: U256::from(1),
            }
            .abi_encode(),
        );
        assert_eq!(r.arg("tokenThreshold"), Some("1000 ether"));
        assert_eq!(r.arg("workThreshold"), Some("1"));
        let r = Revert::decode(
            &C::LegitimacyConstitutionParamOutOfBounds {
                key: ParamKey::LegitVotingPeriod.word(),
                value: U256::from(10),
                min: U256::from(60),
                max: U256::from(2_592_000),
            }
            .abi_encode(),
        );
        assert_eq!(r.arg("value"), Some("10 s (10s)"));
        assert_eq!(r.arg("max"), Some("2592000 s (30d)"));
        let r = Revert::decode(
            &WorkRegistry::WorkRegistryWrongStatus { packetId: U256::from(7), status: 2 }
                .abi_encode(),
        );
        assert_eq!(
            r.to_string(),
            "reverted: WorkRegistryWrongStatus(packetId: 7, status: Accepted)"
        );
        let r = Revert::decode(&C::LegitimacyConstitutionModuleUnset { module: 1 }.abi_encode());
        assert_eq!(r.arg("module"), Some("Coordination"));
    }

    /// A value of `ty` for a test: small, non-zero, and a valid variant for an enum.
    fn sample(ty: &alloy::dyn_abi::DynSolType) -> DynSolValue {
        use alloy::dyn_abi::DynSolType as T;
        match ty {
            T::Bool => DynSolValue::Bool(true),
            T::Int(n) => DynSolValue::Int(alloy::primitives::I256::try_from(-3).unwrap(), *n),
            T::Uint(n) => DynSolValue::Uint(U256::from(1), *n),
            T::FixedBytes(n) => {
                DynSolValue::FixedBytes(alloy::primitives::B256::repeat_byte(0xab), *n)
            }
            T::Address => DynSolValue::Address(Address::repeat_byte(0x11)),
            T::Function => DynSolValue::Function(Default::default()),
            T::Bytes => DynSolValue::Bytes(vec![1, 2, 3]),
            T::String => DynSolValue::String("x".into()),
            T::Array(t) => DynSolValue::Array(vec![sample(t)]),
            T::FixedArray(t, n) => DynSolValue::FixedArray(vec![sample(t); *n]),
            T::Tuple(ts) => DynSolValue::Tuple(ts.iter().map(sample).collect()),
        }
    }

    /// Every error of every artifact (the committed ABIs the bindings come from).
    fn artifact_errors() -> Vec<(String, alloy::json_abi::Error)> {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/artifacts");
        let mut out = Vec::new();
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let contract = path.file_stem().unwrap().to_string_lossy().into_owned();
            let v: serde_json::Value =
                serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
            let abi: alloy::json_abi::JsonAbi = serde_json::from_value(v["abi"].clone()).unwrap();
            out.extend(abi.errors().cloned().map(|e| (contract.clone(), e)));
        }
        out
    }

    #[test]
    fn every_custom_error_of_the_suite_decodes_with_its_name_and_arguments() {
        use alloy::dyn_abi::{DynSolType, JsonAbiExt};
        let errors = artifact_errors();
        let mut seen = std::collections::HashSet::new();
        for (contract, e) in &errors {
            // An error declared by two artifacts (an interface both import) is one selector.
            if !seen.insert(e.selector()) {
                continue;
            }
            let values: Vec<DynSolValue> = e
                .inputs
                .iter()
                .map(|p| sample(&DynSolType::parse(&p.selector_type()).unwrap()))
                .collect();
            let data = e.abi_encode_input(&values).unwrap();
            let r = Revert::decode(&data);
            let what = format!("{contract}.{}", e.name);
            assert_eq!(r.name, e.name, "{what}");
            assert!(r.contract.is_some(), "{what}: decoded as a suite error");
            assert!(matches!(r.kind, RevertKind::Custom(_)), "{what}");
            let names: Vec<String> =
                e.inputs.iter().map(|p| p.name.trim_end_matches('_').to_string()).collect();
            let got: Vec<String> = r.args.iter().map(|(n, _)| n.clone()).collect();
            assert_eq!(got, names, "{what}: every argument, by its name");
            for ((n, shown), p) in r.args.iter().zip(&e.inputs) {
                assert!(!shown.is_empty(), "{what}.{n} shows nothing");
                if let Some(InternalType::Enum { ty, .. }) = &p.internal_type {
                    // Variant 1 of every enum: shown by its name, never as a number.
                    assert_eq!(Some(shown.clone()), enum_variant(ty, 1), "{what}.{n}: {ty}");
                }
            }
            let text = r.to_string();
            assert!(text.starts_with(&format!("reverted: {}(", e.name)), "{text}");
            assert!(!text.contains('\n'), "one line: {text}");
        }
        // The suite declares well over a hundred errors; all of them were tried.
        assert!(seen.len() > 100, "{} errors", seen.len());
    }

    /// The enums declared in `contracts/interfaces/*.sol`: name and variants in order.
    fn declared_enums() -> Vec<(String, Vec<String>)> {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../contracts/interfaces");
        let mut out = Vec::new();
        for entry in std::fs::read_dir(dir).unwrap() {
            let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
            let mut rest = text.as_str();
            while let Some(at) = rest.find("\n    enum ") {
                let body = &rest[at + "\n    enum ".len()..];
                let open = body.find('{').unwrap();
                let close = body.find('}').unwrap();
                let name = body[..open].trim().to_string();
                let variants = body[open + 1..close]
                    .lines()
                    .map(|l| l.trim())
                    .filter(|l| !l.is_empty() && !l.starts_with("//"))
                    .map(|l| l.trim_end_matches(',').to_string())
                    .collect();
                out.push((name, variants));
                rest = &body[close..];
            }
        }
        out
    }

    /// The variant names are not in the ABI (it has only `uint8` and the enum's name),
    /// so `enum_variant` cannot be generated from the bindings; this keeps it equal to
    /// the Solidity declarations instead, for every enum an error argument carries.
    #[test]
    fn enum_names_match_the_contracts_declarations() {
        let declared = declared_enums();
        assert!(declared.len() >= 10, "{declared:?}");
        let carried: std::collections::HashSet<String> = artifact_errors()
            .iter()
            .flat_map(|(_, e)| e.inputs.clone())
            .filter_map(|p| match p.internal_type {
                Some(InternalType::Enum { ty, .. }) => Some(ty),
                _ => None,
            })
            .collect();
        assert!(!carried.is_empty());
        for (name, variants) in &declared {
            if !carried.contains(name) && enum_variant(name, 0).is_none() {
                continue;
            }
            for (i, v) in variants.iter().enumerate() {
                let shown = enum_variant(name, i as u8).unwrap_or_default();
                // FieldType shows as the Solidity type it stands for (`Bytes32Array` as
                // `bytes32[]`); every other enum by the declared name itself.
                let same = if name == "FieldType" {
                    shown.replace("[]", "array").eq_ignore_ascii_case(v)
                } else {
                    shown == *v
                };
                assert!(same, "{name}[{i}]: declared {v}, shown {shown}");
            }
            assert_eq!(enum_variant(name, variants.len() as u8), None, "{name} has no more");
        }
        for ty in &carried {
            assert!(declared.iter().any(|(n, _)| n == ty), "{ty} is declared in an interface");
        }
    }

    #[test]
    fn builtins_decode_with_panic_kinds() {
        let r = Revert::decode(&Panic::from(PanicKind::UnderOverflow).abi_encode());
        assert_eq!(r.kind, RevertKind::Panic(U256::from(0x11), Some(PanicKind::UnderOverflow)));
        assert!(r.to_string().starts_with("reverted: Panic(code: 0x11"), "{r}");
        let reason = alloy::sol_types::Revert::from("nope").abi_encode();
        assert_eq!(Revert::decode(&reason).kind, RevertKind::Reason("nope".into()));
        assert_eq!(Revert::decode(&[]).kind, RevertKind::Unknown);
        assert_eq!(Revert::decode(&[0xde, 0xad, 0xbe, 0xef, 0xff]).kind, RevertKind::Unknown);
    }
}
