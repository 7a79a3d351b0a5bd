//! System 1, the WorkRegistry: schemas (built in Rust or loaded from TOML/JSON),
//! packet encoding from typed values or JSON, and client-side checks that mirror the
//! contract's format rules — same rule order, same error names and facts — so a user
//! learns what is wrong before paying gas.

// Packet errors carry the offending values for callers to match on; cold path.
#![allow(clippy::result_large_err)]

use std::{fmt, str::FromStr};

use alloy::{
    dyn_abi::DynSolValue,
    primitives::{Address, B256, Bytes, I256, U256, keccak256},
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

    fn from_u8(v: u8) -> Option<Self> {
        Some(match v {
            0 => Self::Uint256,
            1 => Self::Int256,
            2 => Self::Address,
            3 => Self::Bool,
            4 => Self::Bytes32,
            5 => Self::String,
            6 => Self::Bytes,
            7 => Self::Bytes32Array,
            _ => return None,
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
    /// `WorkRegistryUnexpectedAttestation`, `WorkRegistryTooManyAttesters`,
    /// `WorkRegistryInvalidQuorum`, `WorkRegistryInvalidAttester`, `WorkRegistryInvalidWindow`.
    #[error("{0}")]
    Acceptance(String),
}

/// A typed packet value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    /// uint256
    Uint(U256),
    /// int256
    Int(I256),
    /// address
    Address(Address),
    /// bool
    Bool(bool),
    /// bytes32
    Bytes32(B256),
    /// string
    String(String),
    /// bytes
    Bytes(Bytes),
    /// bytes32[]
    Bytes32Array(Vec<B256>),
}

impl Value {
    fn to_dyn(&self) -> DynSolValue {
        match self {
            Self::Uint(u) => DynSolValue::Uint(*u, 256),
            Self::Int(i) => DynSolValue::Int(*i, 256),
            Self::Address(a) => DynSolValue::Address(*a),
            Self::Bool(b) => DynSolValue::Bool(*b),
            Self::Bytes32(b) => DynSolValue::FixedBytes(*b, 32),
            Self::String(s) => DynSolValue::String(s.clone()),
            Self::Bytes(b) => DynSolValue::Bytes(b.to_vec()),
            Self::Bytes32Array(v) => {
                DynSolValue::Array(v.iter().map(|b| DynSolValue::FixedBytes(*b, 32)).collect())
            }
        }
    }

    fn type_of(&self) -> FieldType {
        match self {
            Self::Uint(_) => FieldType::Uint256,
            Self::Int(_) => FieldType::Int256,
            Self::Address(_) => FieldType::Address,
            Self::Bool(_) => FieldType::Bool,
            Self::Bytes32(_) => FieldType::Bytes32,
            Self::String(_) => FieldType::String,
            Self::Bytes(_) => FieldType::Bytes,
            Self::Bytes32Array(_) => FieldType::Bytes32Array,
        }
    }
}

/// Why packet data would be refused. Each variant is the contract error of the same
/// name, with the same facts; `Display` prints that name first.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PacketError {
    /// `WorkRegistryZeroContentHash`
    #[error("WorkRegistryZeroContentHash: the content hash must not be zero")]
    ZeroContentHash,
    /// `WorkRegistryDataTooLarge`
    #[error("WorkRegistryDataTooLarge: {length} bytes of data, at most {max} (work.maxDataBytes)")]
    DataTooLarge {
        /// Length.
        length: U256,
        /// Max.
        max: U256,
    },
    /// `WorkRegistryDataLength`
    #[error(
        "WorkRegistryDataLength: data is {length} bytes, the canonical encoding needs {expected}"
    )]
    DataLength {
        /// Length.
        length: U256,
        /// Expected.
        expected: U256,
    },
    /// `WorkRegistryBadOffset`
    #[error("WorkRegistryBadOffset: field {field}: offset {offset}, canonical offset {expected}")]
    BadOffset {
        /// Field.
        field: U256,
        /// Offset found.
        offset: U256,
        /// Canonical.
        expected: U256,
    },
    /// `WorkRegistryFieldTooLong`
    #[error("WorkRegistryFieldTooLong: field {field}: length {len}, max_len {max_len}")]
    FieldTooLong {
        /// Field.
        field: U256,
        /// Length.
        len: U256,
        /// Limit.
        max_len: U256,
    },
    /// `WorkRegistryFieldRequired`
    #[error("WorkRegistryFieldRequired: field {field} is required and is zero/empty")]
    FieldRequired {
        /// Field.
        field: U256,
    },
    /// `WorkRegistryFieldOutOfRange`
    #[error("WorkRegistryFieldOutOfRange: field {field}: {value} is outside [{min}, {max}]")]
    FieldOutOfRange {
        /// Field.
        field: U256,
        /// Value.
        value: U256,
        /// Min.
        min: U256,
        /// Max (0 = unbounded).
        max: U256,
    },
    /// `WorkRegistryDirtyWord`
    #[error("WorkRegistryDirtyWord: field {field}: {word} is not a clean address/bool word")]
    DirtyWord {
        /// Field.
        field: U256,
        /// The word.
        word: B256,
    },
    /// `WorkRegistryBadPadding`
    #[error("WorkRegistryBadPadding: field {field}: non-zero bytes after the content")]
    BadPadding {
        /// Field.
        field: U256,
    },
    /// A typed value that does not match its field (caught while encoding).
    #[error("field {field} ({label}) is {expected}, got {got}")]
    TypeMismatch {
        /// Field index.
        field: usize,
        /// Label.
        label: String,
        /// Field type.
        expected: FieldType,
        /// Value's text or type.
        got: String,
    },
    /// Wrong number of values.
    #[error("the schema has {expected} fields, {got} values were given")]
    Arity {
        /// Fields.
        expected: usize,
        /// Values.
        got: usize,
    },
}

impl PacketError {
    /// The contract error name this mirrors (`None` for encoding-only errors).
    pub fn contract_error(&self) -> Option<&'static str> {
        Some(match self {
            Self::ZeroContentHash => "WorkRegistryZeroContentHash",
            Self::DataTooLarge { .. } => "WorkRegistryDataTooLarge",
            Self::DataLength { .. } => "WorkRegistryDataLength",
            Self::BadOffset { .. } => "WorkRegistryBadOffset",
            Self::FieldTooLong { .. } => "WorkRegistryFieldTooLong",
            Self::FieldRequired { .. } => "WorkRegistryFieldRequired",
            Self::FieldOutOfRange { .. } => "WorkRegistryFieldOutOfRange",
            Self::DirtyWord { .. } => "WorkRegistryDirtyWord",
            Self::BadPadding { .. } => "WorkRegistryBadPadding",
            Self::TypeMismatch { .. } | Self::Arity { .. } => return None,
        })
    }

    /// The error's arguments rendered as the SDK renders a decoded revert, for
    /// comparing a client-side verdict with the chain's.
    pub fn contract_args(&self) -> Vec<String> {
        let u = |v: &U256| v.to_string();
        match self {
            Self::ZeroContentHash | Self::TypeMismatch { .. } | Self::Arity { .. } => vec![],
            Self::DataTooLarge { length, max } => vec![u(length), u(max)],
            Self::DataLength { length, expected } => vec![u(length), u(expected)],
            Self::BadOffset { field, offset, expected } => vec![u(field), u(offset), u(expected)],
            Self::FieldTooLong { field, len, max_len } => vec![u(field), u(len), u(max_len)],
            Self::FieldRequired { field } | Self::BadPadding { field } => vec![u(field)],
            Self::FieldOutOfRange { field, value, min, max } => {
                vec![u(field), u(value), u(min), u(max)]
            }
            Self::DirtyWord { field, word } => {
                vec![u(field), crate::error::render(&DynSolValue::FixedBytes(*word, 32))]
            }
        }
    }
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
        let acceptance = match &self.acceptance {
            AcceptanceDef::Immediate => IWork::Acceptance {
                mode: 0,
                quorum: U256::ZERO,
                attesters: vec![],
                window: U256::ZERO,
            },
            AcceptanceDef::Attested { quorum, attesters, window } => {
                let mut list = Vec::new();
                for (i, a) in attesters.iter().enumerate() {
                    list.push(
                        crate::genesis::parse_address(a, &format!("acceptance.attesters[{i}]"))
                            .map_err(|e| {
                                bad(format!("acceptance.attesters[{i}]"), e.to_string())
                            })?,
                    );
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
            Some(v) => crate::genesis::parse_address(v, "validator")
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

    /// The field types.
    pub fn types(&self) -> Vec<FieldType> {
        self.fields
            .iter()
            .map(|f| FieldType::from_u8(f.fieldType).unwrap_or(FieldType::Bytes))
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
        for (i, (f, t)) in self.fields.iter().zip(self.types()).enumerate() {
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

    /// ABI-encode `values` as the schema's field tuple, checking each value's type.
    /// The result is what `submit` expects; run [`validate_packet`] to check the rules.
    pub fn encode(&self, values: &[Value]) -> Result<Bytes, PacketError> {
        let types = self.types();
        if values.len() != types.len() {
            return Err(PacketError::Arity { expected: types.len(), got: values.len() });
        }
        for (i, (v, t)) in values.iter().zip(&types).enumerate() {
            if v.type_of() != *t {
                return Err(PacketError::TypeMismatch {
                    field: i,
                    label: self.labels.get(i).cloned().unwrap_or_default(),
                    expected: *t,
                    got: v.type_of().to_string(),
                });
            }
        }
        let tuple = DynSolValue::Tuple(values.iter().map(Value::to_dyn).collect());
        Ok(tuple.abi_encode_params().into())
    }

    /// Parse values from JSON: an array (in field order) or an object keyed by the
    /// schema's local labels. Numbers may be JSON numbers or decimal/hex strings.
    pub fn values_from_json(&self, json: &serde_json::Value) -> Result<Vec<Value>, PacketError> {
        let types = self.types();
        let items: Vec<&serde_json::Value> = match json {
            serde_json::Value::Array(a) => a.iter().collect(),
            serde_json::Value::Object(o) => {
                self.labels.iter().map(|l| o.get(l).unwrap_or(&serde_json::Value::Null)).collect()
            }
            _ => vec![json],
        };
        if items.len() != types.len() {
            return Err(PacketError::Arity { expected: types.len(), got: items.len() });
        }
        items
            .iter()
            .zip(&types)
            .enumerate()
            .map(|(i, (v, t))| {
                parse_json_value(v, *t).ok_or_else(|| PacketError::TypeMismatch {
                    field: i,
                    label: self.labels.get(i).cloned().unwrap_or_default(),
                    expected: *t,
                    got: v.to_string(),
                })
            })
            .collect()
    }
}

fn parse_json_value(v: &serde_json::Value, t: FieldType) -> Option<Value> {
    use serde_json::Value as J;
    let text = |v: &J| match v {
        J::String(s) => Some(s.clone()),
        J::Number(n) => Some(n.to_string()),
        _ => None,
    };
    Some(match t {
        FieldType::Uint256 => Value::Uint(U256::from_str(&text(v)?).ok()?),
        FieldType::Int256 => Value::Int(I256::from_dec_str(&text(v)?).ok()?),
        FieldType::Address => Value::Address(Address::from_str(v.as_str()?).ok()?),
        FieldType::Bool => Value::Bool(v.as_bool()?),
        FieldType::Bytes32 => Value::Bytes32(B256::from_str(v.as_str()?).ok()?),
        FieldType::String => Value::String(v.as_str()?.to_string()),
        FieldType::Bytes => Value::Bytes(Bytes::from_str(v.as_str()?).ok()?),
        FieldType::Bytes32Array => Value::Bytes32Array(
            v.as_array()?
                .iter()
                .map(|x| B256::from_str(x.as_str()?).ok())
                .collect::<Option<_>>()?,
        ),
    })
}

/// Check `data` against the schema's rules exactly as the registry's `submit` does:
/// content hash, size, then one pass in field order — for a dynamic field its offset,
/// length word, `max_len`, `required`, content present and zero padding; for a static
/// field a clean word, `required`, then `[min, max]` — and finally the total length.
/// The first failure is returned, with the same error name and facts the contract
/// would revert with.
pub fn validate_packet(
    schema: &Schema,
    content_hash: B256,
    data: &[u8],
    max_data_bytes: u64,
) -> Result<(), PacketError> {
    let n = |v: usize| U256::from(v);
    if content_hash.is_zero() {
        return Err(PacketError::ZeroContentHash);
    }
    let length = data.len();
    if length as u64 > max_data_bytes {
        return Err(PacketError::DataTooLarge {
            length: n(length),
            max: U256::from(max_data_bytes),
        });
    }
    let word = |at: usize| U256::from_be_slice(&data[at..at + 32]);
    let mut expected = schema.fields.len() * 32;
    if length < expected {
        return Err(PacketError::DataLength { length: n(length), expected: n(expected) });
    }
    for (i, (f, t)) in schema.fields.iter().zip(schema.types()).enumerate() {
        let w = word(i * 32);
        if t.is_dynamic() {
            if w != n(expected) {
                return Err(PacketError::BadOffset {
                    field: n(i),
                    offset: w,
                    expected: n(expected),
                });
            }
            let start = expected;
            if length < start + 32 {
                return Err(PacketError::DataLength { length: n(length), expected: n(start + 32) });
            }
            let len = word(start);
            if len > f.maxLen {
                return Err(PacketError::FieldTooLong { field: n(i), len, max_len: f.maxLen });
            }
            if len.is_zero() && f.required {
                return Err(PacketError::FieldRequired { field: n(i) });
            }
            let len: usize = len.to();
            let end = start
                + 32
                + if t == FieldType::Bytes32Array { len * 32 } else { len.div_ceil(32) * 32 };
            if length < end {
                return Err(PacketError::DataLength { length: n(length), expected: n(end) });
            }
            let rem = len % 32;
            if t != FieldType::Bytes32Array
                && rem != 0
                && data[end - 32 + rem..end].iter().any(|&b| b != 0)
            {
                return Err(PacketError::BadPadding { field: n(i) });
            }
            expected = end;
        } else {
            let dirty = match t {
                FieldType::Address => w >> 160 != U256::ZERO,
                FieldType::Bool => w > U256::from(1),
                _ => false,
            };
            if dirty {
                return Err(PacketError::DirtyWord { field: n(i), word: B256::from(w) });
            }
            if w.is_zero() && f.required {
                return Err(PacketError::FieldRequired { field: n(i) });
            }
            let bounded = t == FieldType::Uint256 && (!f.min.is_zero() || !f.max.is_zero());
            if bounded && (w < f.min || (!f.max.is_zero() && w > f.max)) {
                return Err(PacketError::FieldOutOfRange {
                    field: n(i),
                    value: w,
                    min: f.min,
                    max: f.max,
                });
            }
        }
    }
    if length != expected {
        return Err(PacketError::DataLength { length: n(length), expected: n(expected) });
    }
    Ok(())
}

/// Decode packet data into typed values (for display).
pub fn decode_packet(schema: &Schema, data: &[u8]) -> Option<Vec<Value>> {
    use alloy::dyn_abi::DynSolType as T;
    let types: Vec<T> = schema
        .types()
        .iter()
        .map(|t| match t {
            FieldType::Uint256 => T::Uint(256),
            FieldType::Int256 => T::Int(256),
            FieldType::Address => T::Address,
            FieldType::Bool => T::Bool,
            FieldType::Bytes32 => T::FixedBytes(32),
            FieldType::String => T::String,
            FieldType::Bytes => T::Bytes,
            FieldType::Bytes32Array => T::Array(Box::new(T::FixedBytes(32))),
        })
        .collect();
    let decoded = T::Tuple(types).abi_decode_params(data).ok()?;
    let DynSolValue::Tuple(items) = decoded else { return None };
    items
        .into_iter()
        .map(|v| {
            Some(match v {
                DynSolValue::Uint(u, _) => Value::Uint(u),
                DynSolValue::Int(i, _) => Value::Int(i),
                DynSolValue::Address(a) => Value::Address(a),
                DynSolValue::Bool(b) => Value::Bool(b),
                DynSolValue::FixedBytes(b, _) => Value::Bytes32(b),
                DynSolValue::String(s) => Value::String(s),
                DynSolValue::Bytes(b) => Value::Bytes(b.into()),
                DynSolValue::Array(a) => Value::Bytes32Array(
                    a.into_iter()
                        .filter_map(|x| match x {
                            DynSolValue::FixedBytes(b, _) => Some(b),
                            _ => None,
                        })
                        .collect(),
                ),
                _ => return None,
            })
        })
        .collect()
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Uint(u) => write!(f, "{u}"),
            Self::Int(i) => write!(f, "{i}"),
            Self::Address(a) => write!(f, "{a}"),
            Self::Bool(b) => write!(f, "{b}"),
            Self::Bytes32(b) => write!(f, "{b}"),
            Self::String(s) => write!(f, "{s:?}"),
            Self::Bytes(b) => write!(f, "{b}"),
            Self::Bytes32Array(v) => {
                write!(f, "[{}]", v.iter().map(|b| b.to_string()).collect::<Vec<_>>().join(", "))
            }
        }
    }
}

impl Value {
    /// As JSON (numbers as decimal strings).
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::json;
        match self {
            Self::Uint(u) => json!(u.to_string()),
            Self::Int(i) => json!(i.to_string()),
            Self::Address(a) => json!(a),
            Self::Bool(b) => json!(b),
            Self::Bytes32(b) => json!(b),
            Self::String(s) => json!(s),
            Self::Bytes(b) => json!(b),
            Self::Bytes32Array(v) => json!(v),
        }
    }
}

#[cfg(test)]
mod tests {
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
    fn encodes_json_and_validates() {
        let s = three_field();
        let json = serde_json::json!({"issue": 42, "commit": format!("{}", B256::repeat_byte(1)), "summary": "fix"});
        let values = s.values_from_json(&json).unwrap();
        let data = s.encode(&values).unwrap();
        validate_packet(&s, B256::repeat_byte(9), &data, 4096).unwrap();
        assert_eq!(decode_packet(&s, &data).unwrap(), values);
    }

    #[test]
    fn mutations_are_refused_with_the_contract_error() {
        let s = three_field();
        let good = s
            .encode(&[
                Value::Uint(U256::from(7)),
                Value::Bytes32(B256::repeat_byte(1)),
                Value::String("hello".into()),
            ])
            .unwrap();
        let h = B256::repeat_byte(9);
        let check =
            |d: &[u8]| validate_packet(&s, h, d, 4096).unwrap_err().contract_error().unwrap();
        assert_eq!(check(&good[..good.len() - 1]), "WorkRegistryDataLength");
        let mut longer = good.to_vec();
        longer.extend([0u8; 32]);
        assert_eq!(check(&longer), "WorkRegistryDataLength");
        let mut bad = good.to_vec();
        bad[95] = 0x80;
        assert_eq!(check(&bad), "WorkRegistryBadOffset");
        let mut bad = good.to_vec();
        bad[31] = 0;
        assert_eq!(check(&bad), "WorkRegistryFieldRequired");
        let mut bad = good.to_vec();
        bad[28] = 0xff;
        assert_eq!(check(&bad), "WorkRegistryFieldOutOfRange");
        let mut bad = good.to_vec();
        let last = bad.len() - 1;
        bad[last] = 1;
        assert_eq!(check(&bad), "WorkRegistryBadPadding");
        let long = s
            .encode(&[
                Value::Uint(U256::from(7)),
                Value::Bytes32(B256::repeat_byte(1)),
                Value::String("x".repeat(65)),
            ])
            .unwrap();
        assert_eq!(check(&long), "WorkRegistryFieldTooLong");
        assert_eq!(
            validate_packet(&s, B256::ZERO, &good, 4096).unwrap_err(),
            PacketError::ZeroContentHash
        );
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
