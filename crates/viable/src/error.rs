//! The SDK's error type, and decoding of contract reverts into the modules' named errors.

use std::fmt;

use alloy::{
    dyn_abi::{DynSolValue, JsonAbiExt},
    primitives::{Address, Bytes, U256},
};

use crate::{artifacts, genesis::GenesisError};

/// Result alias for the SDK.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything the SDK can fail with.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A contract reverted with one of the suite's named errors (or another reason).
    #[error("{0}")]
    Revert(DecodedRevert),
    /// The genesis configuration is invalid; nothing was sent.
    #[error(transparent)]
    Genesis(Box<GenesisError>),
    /// A client-side check failed before any transaction was sent.
    #[error("{0}")]
    Precondition(String),
    /// The node or transport failed.
    #[error("rpc: {0}")]
    Rpc(String),
    /// A transaction was mined but reverted, without revert data to decode.
    #[error("transaction {tx} reverted on chain")]
    Reverted {
        /// The transaction hash.
        tx: alloy::primitives::TxHash,
    },
    /// No contract at an address the deployment names.
    #[error("no contract code at {address} ({what}); is the deployment file for this chain?")]
    NoCode {
        /// What was expected there.
        what: &'static str,
        /// The address.
        address: Address,
    },
    /// Reading or writing a deployment file failed.
    #[error("deployment file {path}: {message}")]
    DeploymentFile {
        /// The file.
        path: String,
        /// What went wrong.
        message: String,
    },
}

impl From<GenesisError> for Error {
    fn from(e: GenesisError) -> Self {
        Self::Genesis(Box::new(e))
    }
}

impl From<crate::work::SchemaError> for Error {
    fn from(e: crate::work::SchemaError) -> Self {
        Self::Precondition(e.to_string())
    }
}

impl From<crate::work::PacketError> for Error {
    fn from(e: crate::work::PacketError) -> Self {
        Self::Precondition(e.to_string())
    }
}

impl From<alloy::contract::Error> for Error {
    fn from(e: alloy::contract::Error) -> Self {
        if let Some(data) = e.as_revert_data() {
            return Self::Revert(DecodedRevert::decode(&data));
        }
        Self::Rpc(e.to_string())
    }
}

impl From<alloy::transports::TransportError> for Error {
    fn from(e: alloy::transports::TransportError) -> Self {
        if let Some(data) = e.as_error_resp().and_then(|r| r.as_revert_data()) {
            return Self::Revert(DecodedRevert::decode(&data));
        }
        Self::Rpc(e.to_string())
    }
}

impl From<alloy::providers::PendingTransactionError> for Error {
    fn from(e: alloy::providers::PendingTransactionError) -> Self {
        Self::Rpc(e.to_string())
    }
}

impl Error {
    /// The decoded revert, if this error is one.
    pub fn revert(&self) -> Option<&DecodedRevert> {
        match self {
            Self::Revert(r) => Some(r),
            _ => None,
        }
    }

    /// Whether this is a revert with the named error (e.g. `"WorkRegistryUnknownSchema"`).
    pub fn is_revert(&self, name: &str) -> bool {
        self.revert().is_some_and(|r| r.name == name)
    }
}

/// A revert decoded against every module's ABI.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodedRevert {
    /// The error's name (`LegitimacyConstitutionParamOutOfBounds`), or `Error`/`Panic`
    /// for Solidity's built-ins, or `Unknown`.
    pub name: String,
    /// Argument names and their rendered values, in order.
    pub args: Vec<(String, String)>,
    /// The raw revert data.
    pub data: Bytes,
}

impl DecodedRevert {
    /// Decode raw revert data against all embedded ABIs.
    pub fn decode(data: &[u8]) -> Self {
        let raw = Bytes::copy_from_slice(data);
        if data.len() >= 4 {
            let selector: [u8; 4] = data[..4].try_into().expect("length checked");
            for artifact in artifacts::all() {
                for error in artifact.abi.errors() {
                    if error.selector() != selector {
                        continue;
                    }
                    if let Ok(values) = error.abi_decode_input(&data[4..]) {
                        let args = error
                            .inputs
                            .iter()
                            .zip(values.iter())
                            .map(|(p, v)| (p.name.clone(), render(v)))
                            .collect();
                        return Self { name: error.name.clone(), args, data: raw };
                    }
                }
            }
            // Solidity's built-in Error(string) and Panic(uint256).
            if selector == [0x08, 0xc3, 0x79, 0xa0]
                && let Ok(DynSolValue::String(s)) =
                    alloy::dyn_abi::DynSolType::String.abi_decode(&data[4..])
            {
                return Self { name: "Error".into(), args: vec![("reason".into(), s)], data: raw };
            }
            if selector == [0x4e, 0x48, 0x7b, 0x71] && data.len() == 36 {
                let code = U256::from_be_slice(&data[4..]);
                return Self {
                    name: "Panic".into(),
                    args: vec![("code".into(), format!("{code:#x}"))],
                    data: raw,
                };
            }
        }
        Self { name: "Unknown".into(), args: vec![], data: raw }
    }

    /// The value of argument `name`, as rendered.
    pub fn arg(&self, name: &str) -> Option<&str> {
        self.args.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }
}

impl fmt::Display for DecodedRevert {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.name == "Unknown" {
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
