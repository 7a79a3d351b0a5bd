//! Schemas: built in Rust or loaded from TOML/JSON, content-addressed, and checked
//! client-side by the registry's registration rules (same order, same error names).

// Schema errors carry the offending values for callers to match on; cold path.
#![allow(clippy::result_large_err)]

use std::fmt;

use alloy::{
    primitives::{Address, B256, U256, keccak256},
    sol_types::SolValue,
};
use serde::{Deserialize, Serialize};

use crate::{bindings::IWorkRegistry as IWork, genesis::Quantity};

/// Longest schema name the registry accepts (its `MAX_NAME_LENGTH`).
pub const MAX_NAME_LENGTH: usize = 512;
/// Most attesters a schema may list (its `MAX_ATTESTERS`).
pub const MAX_ATTESTERS: usize = 32;
/// Highest `max_len` of a dynamic field.
pub const MAX_LEN_LIMIT: u64 = u32::MAX as u64;

/// A field's ABI type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub enum FieldType {
    /// `uint256`
    #[serde(rename = "uint256")]
    Uint256,
    /// `int256`
    #[serde(rename = "int256")]
    Int256,
    /// `address`
    #[serde(rename = "address")]
    Address,
    /// `bool`
    #[serde(rename = "bool")]
    Bool,
    /// `bytes32`
    #[serde(rename = "bytes32")]
    Bytes32,
    /// `string`
    #[serde(rename = "string")]
    String,
    /// `bytes`
    #[serde(rename = "bytes")]
    Bytes,
    /// `bytes32[]`
    #[serde(rename = "bytes32[]")]
    Bytes32Array,
}

impl FieldType {
    /// Whether the head word is an offset to a tail.
    pub fn is_dynamic(self) -> bool {
        matches!(self, Self::String | Self::Bytes | Self::Bytes32Array)
    }
}

impl TryFrom<u8> for FieldType {
    type Error = u8;
    /// The type with this index in the contract's `FieldType`; the index back when
    /// there is none.
    fn try_from(v: u8) -> Result<Self, u8> {
        Ok(match v {
            0 => Self::Uint256,
            1 => Self::Int256,
            2 => Self::Address,
            3 => Self::Bool,
            4 => Self::Bytes32,
            5 => Self::String,
            6 => Self::Bytes,
            7 => Self::Bytes32Array,
            other => return Err(other),
        })
    }
}

impl fmt::Display for FieldType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = serde_json::to_value(self).ok().and_then(|v| v.as_str().map(str::to_owned));
        f.pad(&s.unwrap_or_default())
    }
}

/// One field of a schema. `name` is a local label (for JSON packets and display);
/// the chain stores only the rules.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldDef {
    /// Local label.
    #[serde(default)]
    pub name: String,
    /// ABI type.
    #[serde(rename = "type")]
    pub field_type: FieldType,
    /// Must be non-zero / non-empty.
    #[serde(default)]
    pub required: bool,
    /// `uint256` only: lowest value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<Quantity>,
    /// `uint256` only: highest value (absent = unbounded).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<Quantity>,
    /// Dynamic types only: longest length (bytes, or elements for `bytes32[]`). Required.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_len: Option<u64>,
}

/// How packets become Accepted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "mode", rename_all = "lowercase", deny_unknown_fields)]
pub enum AcceptanceDef {
    /// Accepted in the submitting transaction.
    Immediate,
    /// Pending until `quorum` of `attesters` attest within `window`.
    Attested {
        /// Attestations needed.
        quorum: u64,
        /// Who may attest.
        attesters: Vec<String>,
        /// Seconds from submission (`"2 days"`).
        window: Quantity,
    },
}

/// A schema definition, as written in a file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SchemaDef {
    /// Name (1..=64 bytes).
    pub name: String,
    /// Ordered fields.
    pub fields: Vec<FieldDef>,
    /// Acceptance rule.
    pub acceptance: AcceptanceDef,
    /// Optional `IWorkValidator` contract.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub validator: Option<String>,
}

/// A schema as the chain sees it: the exact arguments of `registerSchema`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Schema {
    /// Name.
    pub name: String,
    /// Fields.
    pub fields: Vec<IWork::Field>,
    /// Acceptance.
    pub acceptance: IWork::Acceptance,
    /// Validator (zero = none).
    pub validator: Address,
    /// Local field labels, index-aligned with `fields` (may be empty strings).
    pub labels: Vec<String>,
}

/// Why a schema definition is refused. Names mirror the contract's errors.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SchemaError {
    /// The file does not parse.
    #[error("schema {source_name}: {message}")]
    Parse {
        /// File.
        source_name: String,
        /// Message.
        message: String,
    },
    /// A value in the definition does not parse.
    #[error("schema: `{field}`: {message}")]
    BadValue {
        /// Dotted path.
        field: String,
        /// Message.
        message: String,
    },
    /// `WorkRegistryInvalidName`.
    #[error("WorkRegistryInvalidName: the name is {length} bytes; it must be 1 to {max} bytes")]
    InvalidName {
        /// Length.
        length: usize,
        /// Max.
        max: usize,
    },
    /// `WorkRegistryTooManyFields`.
    #[error("WorkRegistryTooManyFields: {count} fields, at most {max} (work.maxFields)")]
    TooManyFields {
        /// Count.
        count: usize,
        /// Max.
        max: u64,
    },
    /// `WorkRegistryInvalidBounds`.
    #[error("WorkRegistryInvalidBounds: field {field}: min {min} > max {max}")]
    InvalidBounds {
        /// Field index.
        field: usize,
        /// Min.
        min: U256,
        /// Max.
        max: U256,
    },
    /// `WorkRegistryBoundsNotAllowed`.
    #[error(
        "WorkRegistryBoundsNotAllowed: field {field} is {field_type}; only uint256 fields take min/max"
    )]
    BoundsNotAllowed {
        /// Field index.
        field: usize,
        /// Its type.
        field_type: FieldType,
    },
    /// `WorkRegistryMaxLenNotAllowed`.
    #[error(
        "WorkRegistryMaxLenNotAllowed: field {field} is {field_type}; only string, bytes and bytes32[] take max_len"
    )]
    MaxLenNotAllowed {
        /// Field index.
        field: usize,
        /// Its type.
        field_type: FieldType,
    },
    /// `WorkRegistryInvalidMaxLen`.
    #[error("WorkRegistryInvalidMaxLen: field {field}: max_len {max_len} must be 1 to {limit}")]
    InvalidMaxLen {
        /// Field index.
        field: usize,
        /// Given.
        max_len: u64,
        /// Limit.
        limit: u64,
    },
    /// A field type index the SDK does not know (a newer registry?).
    #[error("field {field} has type index {value}, which this SDK does not know")]
    UnknownFieldType {
        /// Field index.
        field: usize,
        /// The index.
        value: u8,
    },
    /// `WorkRegistryUnexpectedAttestation`, `WorkRegistryTooManyAttesters`,
    /// `WorkRegistryInvalidQuorum`, `WorkRegistryInvalidAttester`, `WorkRegistryInvalidWindow`.
    #[error("{0}")]
    Acceptance(String),
}

impl SchemaDef {
    /// Parse TOML.
    pub fn from_toml_str(text: &str, source_name: &str) -> Result<Self, SchemaError> {
        crate::config::from_toml(text)
            .map_err(|message| SchemaError::Parse { source_name: source_name.into(), message })
    }

    /// Parse JSON.
    pub fn from_json_str(text: &str, source_name: &str) -> Result<Self, SchemaError> {
        crate::config::from_json(text)
            .map_err(|message| SchemaError::Parse { source_name: source_name.into(), message })
    }

    /// Load a `.toml` or `.json` file.
    pub fn load(path: &std::path::Path) -> Result<Self, SchemaError> {
        crate::config::load(path)
            .map_err(|(source_name, message)| SchemaError::Parse { source_name, message })
    }

    /// Resolve to the chain's form and check every registration rule that needs no
    /// chain (`max_fields` and `max_window` are the constitution's `work.maxFields`
    /// and `work.maxAttestWindow`).
    pub fn resolve(&self, max_fields: u64, max_window: u64) -> Result<Schema, SchemaError> {
        let bad = |field: String, message: String| SchemaError::BadValue { field, message };
        let mut fields = Vec::new();
        for (i, f) in self.fields.iter().enumerate() {
            let q = |q: &Option<Quantity>, part: &str| -> Result<U256, SchemaError> {
                match q {
                    None => Ok(U256::ZERO),
                    Some(q) => q.to_u256().map_err(|m| bad(format!("fields[{i}].{part}"), m)),
                }
            };
            fields.push(IWork::Field {
                fieldType: f.field_type as u8,
                required: f.required,
                min: q(&f.min, "min")?,
                max: q(&f.max, "max")?,
                maxLen: U256::from(f.max_len.unwrap_or(0)),
            });
        }
        let acceptance =
            match &self.acceptance {
                AcceptanceDef::Immediate => IWork::Acceptance {
                    mode: 0,
                    quorum: U256::ZERO,
                    attesters: vec![],
                    window: U256::ZERO,
                },
                AcceptanceDef::Attested { quorum, attesters, window } => {
                    let mut list = Vec::new();
                    for (i, a) in attesters.iter().enumerate() {
                        list.push(crate::display::parse_address(a).map_err(|e| {
                            bad(format!("acceptance.attesters[{i}]"), e.to_string())
                        })?);
                    }
                    IWork::Acceptance {
                        mode: 1,
                        quorum: U256::from(*quorum),
                        attesters: list,
                        window: window.to_u256().map_err(|m| bad("acceptance.window".into(), m))?,
                    }
                }
            };
        let validator = match &self.validator {
            None => Address::ZERO,
            Some(v) => crate::display::parse_address(v)
                .map_err(|e| bad("validator".into(), e.to_string()))?,
        };
        let schema = Schema {
            name: self.name.clone(),
            fields,
            acceptance,
            validator,
            labels: self.fields.iter().map(|f| f.name.clone()).collect(),
        };
        schema.check(max_fields, max_window)?;
        Ok(schema)
    }
}

impl Schema {
    /// The content-addressed id: `keccak256(abi.encode(name, fields, acceptance, validator))`.
    pub fn id(&self) -> B256 {
        let encoded =
            (self.name.clone(), self.fields.clone(), self.acceptance.clone(), self.validator)
                .abi_encode_params();
        keccak256(encoded)
    }

    /// The field types; a type index this SDK does not know is an error, never
    /// guessed.
    pub fn types(&self) -> Result<Vec<FieldType>, SchemaError> {
        self.fields
            .iter()
            .enumerate()
            .map(|(i, f)| {
                FieldType::try_from(f.fieldType)
                    .map_err(|value| SchemaError::UnknownFieldType { field: i, value })
            })
            .collect()
    }

    /// Build from the chain's `schema(id)` view.
    pub fn from_chain(s: IWork::Schema) -> Self {
        let labels = vec![String::new(); s.fields.len()];
        Self {
            name: s.name,
            fields: s.fields,
            acceptance: s.acceptance,
            validator: s.validator,
            labels,
        }
    }

    /// Registration rules, in the contract's order.
    pub fn check(&self, max_fields: u64, max_window: u64) -> Result<(), SchemaError> {
        if self.name.is_empty() || self.name.len() > MAX_NAME_LENGTH {
            return Err(SchemaError::InvalidName { length: self.name.len(), max: MAX_NAME_LENGTH });
        }
        if self.fields.len() as u64 > max_fields {
            return Err(SchemaError::TooManyFields { count: self.fields.len(), max: max_fields });
        }
        for (i, (f, t)) in self.fields.iter().zip(self.types()?).enumerate() {
            if t == FieldType::Uint256 {
                if !f.max.is_zero() && f.min > f.max {
                    return Err(SchemaError::InvalidBounds { field: i, min: f.min, max: f.max });
                }
            } else if !f.min.is_zero() || !f.max.is_zero() {
                return Err(SchemaError::BoundsNotAllowed { field: i, field_type: t });
            }
            if t.is_dynamic() {
                let ml: u64 = f.maxLen.saturating_to();
                if ml == 0 || f.maxLen > U256::from(MAX_LEN_LIMIT) {
                    return Err(SchemaError::InvalidMaxLen {
                        field: i,
                        max_len: ml,
                        limit: MAX_LEN_LIMIT,
                    });
                }
            } else if !f.maxLen.is_zero() {
                return Err(SchemaError::MaxLenNotAllowed { field: i, field_type: t });
            }
        }
        let a = &self.acceptance;
        if a.mode == 0 {
            if !a.quorum.is_zero() || !a.attesters.is_empty() || !a.window.is_zero() {
                return Err(SchemaError::Acceptance(format!(
                    "WorkRegistryUnexpectedAttestation: an immediate schema has no quorum ({}), attesters ({}) or window ({})",
                    a.quorum,
                    a.attesters.len(),
                    a.window
                )));
            }
        } else {
            if a.attesters.len() > MAX_ATTESTERS {
                return Err(SchemaError::Acceptance(format!(
                    "WorkRegistryTooManyAttesters: {} attesters, at most {MAX_ATTESTERS}",
                    a.attesters.len()
                )));
            }
            if a.quorum.is_zero() || a.quorum > U256::from(a.attesters.len()) {
                return Err(SchemaError::Acceptance(format!(
                    "WorkRegistryInvalidQuorum: quorum {} must be 1 to the {} attesters",
                    a.quorum,
                    a.attesters.len()
                )));
            }
            for (i, who) in a.attesters.iter().enumerate() {
                if who.is_zero() || a.attesters[..i].contains(who) {
                    return Err(SchemaError::Acceptance(format!(
                        "WorkRegistryInvalidAttester: attester {i} ({who}) is zero or listed twice"
                    )));
                }
            }
            if a.window.is_zero() || a.window > U256::from(max_window) {
                return Err(SchemaError::Acceptance(format!(
                    "WorkRegistryInvalidWindow: window {} s must be 1 to {max_window} s (work.maxAttestWindow)",
                    a.window
                )));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn three_field() -> Schema {
        SchemaDef::from_toml_str(
            r#"
name = "bugfix"
acceptance = { mode = "immediate" }
[[fields]]
name = "issue"
type = "uint256"
required = true
min = 1
max = 1000000
[[fields]]
name = "commit"
type = "bytes32"
required = true
[[fields]]
name = "summary"
type = "string"
max_len = 64
"#,
            "t",
        )
        .unwrap()
        .resolve(16, 600)
        .unwrap()
    }

    #[test]
    fn unknown_field_types_are_refused_not_read_as_bytes() {
        assert_eq!(FieldType::try_from(7), Ok(FieldType::Bytes32Array));
        assert_eq!(FieldType::try_from(8), Err(8));
        let mut s = three_field();
        s.fields[1].fieldType = 9;
        assert_eq!(s.types(), Err(SchemaError::UnknownFieldType { field: 1, value: 9 }));
        assert_eq!(s.check(16, 600), Err(SchemaError::UnknownFieldType { field: 1, value: 9 }));
    }

    #[test]
    fn definition_rules_mirror_registration() {
        let mut s = three_field();
        s.fields[1].maxLen = U256::from(3);
        assert!(matches!(s.check(16, 600), Err(SchemaError::MaxLenNotAllowed { field: 1, .. })));
        let mut s = three_field();
        s.fields[2].maxLen = U256::ZERO;
        assert!(matches!(s.check(16, 600), Err(SchemaError::InvalidMaxLen { field: 2, .. })));
        assert!(matches!(three_field().check(2, 600), Err(SchemaError::TooManyFields { .. })));
    }
}
