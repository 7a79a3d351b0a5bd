//! Packets: typed values, encoding from values or JSON, and the client-side checks
//! that mirror the registry's `submit` — same rule order, same error names and
//! facts — so a user learns what is wrong before paying gas.

// Packet errors carry the offending values for callers to match on; cold path.
#![allow(clippy::result_large_err)]

use std::{fmt, str::FromStr};

use alloy::{
    dyn_abi::DynSolValue,
    primitives::{Address, B256, Bytes, I256, U256},
};

use super::schema::{FieldType, Schema, SchemaError};
use crate::error::{CheckError, Error};

/// A typed packet value.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
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
#[non_exhaustive]
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
    /// A typed value that does not match its field (caught while encoding). The
    /// field shows as `field 0 (issue)` when the schema's labels are known, `field 0`
    /// otherwise.
    #[error("field {} is {expected}, got {got}", field_name(*field, label))]
    TypeMismatch {
        /// Field index.
        field: usize,
        /// Label (empty when the schema came from the chain without its file).
        label: String,
        /// Field type.
        expected: FieldType,
        /// Value's text or type.
        got: String,
    },
    /// An object of values with a key that is not one of the schema's labels (a
    /// misspelling would otherwise leave the field empty).
    #[error("`{label}` is not a field of this schema (its fields: {})", known.join(", "))]
    UnknownLabel {
        /// The key given.
        label: String,
        /// The schema's labels, in field order.
        known: Vec<String>,
    },
    /// An object of values for a schema whose labels are not known (read from the
    /// chain, which keeps only types).
    #[error(
        "values keyed by field name need the schema's file for its names (--schema-file); or give an array in field order"
    )]
    NoLabels,
    /// A field type index the SDK does not know (a newer registry?).
    #[error("field {field} has type index {value}, which this SDK does not know")]
    UnknownFieldType {
        /// Field index.
        field: usize,
        /// The index.
        value: u8,
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
            Self::TypeMismatch { .. }
            | Self::Arity { .. }
            | Self::UnknownFieldType { .. }
            | Self::UnknownLabel { .. }
            | Self::NoLabels => {
                return None;
            }
        })
    }

    /// The error's arguments rendered as the SDK renders a decoded revert, for
    /// comparing a client-side verdict with the chain's.
    pub fn contract_args(&self) -> Vec<String> {
        let u = |v: &U256| v.to_string();
        match self {
            Self::ZeroContentHash
            | Self::TypeMismatch { .. }
            | Self::Arity { .. }
            | Self::UnknownFieldType { .. }
            | Self::UnknownLabel { .. }
            | Self::NoLabels => vec![],
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

/// `field 0 (issue)`, or `field 0` when the label is not known.
fn field_name(field: usize, label: &str) -> String {
    if label.is_empty() { format!("{field}") } else { format!("{field} ({label})") }
}

/// The schema's field types, or the packet error for a type the SDK does not know.
fn field_types(schema: &Schema) -> Result<Vec<FieldType>, PacketError> {
    schema.types().map_err(|e| match e {
        SchemaError::UnknownFieldType { field, value } => {
            PacketError::UnknownFieldType { field, value }
        }
        other => unreachable!("types() fails only on an unknown type: {other}"),
    })
}

impl Schema {
    /// ABI-encode `values` as the schema's field tuple, checking each value's type.
    /// The result is what `submit` expects; run [`validate_packet`] to check the rules.
    pub fn encode(&self, values: &[Value]) -> Result<Bytes, PacketError> {
        let types = field_types(self)?;
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
        let types = field_types(self)?;
        let items: Vec<&serde_json::Value> = match json {
            serde_json::Value::Array(a) => a.iter().collect(),
            serde_json::Value::Object(o) => {
                if self.labels.iter().all(String::is_empty) {
                    return Err(PacketError::NoLabels);
                }
                if let Some(unknown) = o.keys().find(|k| !self.labels.contains(k)) {
                    return Err(PacketError::UnknownLabel {
                        label: unknown.clone(),
                        known: self.labels.clone(),
                    });
                }
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
                parse_json_value(v, *t).ok_or_else(|| {
                    // Say why an address was refused: a wrong checksum looks right.
                    let why = match (t, v.as_str()) {
                        (FieldType::Address, Some(text)) => {
                            crate::display::parse_address(text).err().map(|e| e.to_string())
                        }
                        _ => None,
                    };
                    PacketError::TypeMismatch {
                        field: i,
                        label: self.labels.get(i).cloned().unwrap_or_default(),
                        expected: *t,
                        got: why.unwrap_or_else(|| v.to_string()),
                    }
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
        // Mixed case must be the EIP-55 checksum, as everywhere the SDK reads addresses.
        FieldType::Address => Value::Address(crate::display::parse_address(v.as_str()?).ok()?),
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

impl From<PacketError> for Error {
    fn from(e: PacketError) -> Self {
        CheckError::new("work", e).into()
    }
}

impl From<SchemaError> for Error {
    fn from(e: SchemaError) -> Self {
        CheckError::new("work", e).into()
    }
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
    let types = field_types(schema)?;
    for (i, (f, t)) in schema.fields.iter().zip(types).enumerate() {
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
            // In uint256 arithmetic, so a length word from a schema that skipped
            // `check()` can neither overflow nor panic a conversion.
            let thirty_two = U256::from(32);
            let body = if t == FieldType::Bytes32Array {
                len.saturating_mul(thirty_two)
            } else {
                len.div_ceil(thirty_two).saturating_mul(thirty_two)
            };
            let end = n(start + 32).saturating_add(body);
            if n(length) < end {
                return Err(PacketError::DataLength { length: n(length), expected: end });
            }
            // `end <= length` now, so both fit in usize.
            let end: usize = end.to();
            let rem = (len % thirty_two).to::<usize>();
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
        .ok()?
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
    use crate::work::schema::tests::three_field;

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
    fn object_values_refuse_unknown_labels_and_messages_name_known_ones() {
        let s = three_field();
        let json = serde_json::json!({"issue": 1, "comit": format!("{}", B256::repeat_byte(1))});
        let err = s.values_from_json(&json).unwrap_err();
        assert!(
            matches!(&err, PacketError::UnknownLabel { label, .. } if label == "comit"),
            "{err}"
        );
        assert!(err.to_string().contains("issue, commit, summary"), "{err}");
        let err = s.values_from_json(&serde_json::json!(["x", "0x00", "s"])).unwrap_err();
        assert_eq!(err.to_string(), "field 0 (issue) is uint256, got \"x\"");
        let mut unlabeled = three_field();
        // As read from the chain: one empty label per field.
        unlabeled.labels = vec![String::new(); 3];
        let err = unlabeled.values_from_json(&serde_json::json!(["x", "0x00", "s"])).unwrap_err();
        assert_eq!(err.to_string(), "field 0 is uint256, got \"x\"");
        assert_eq!(unlabeled.values_from_json(&json).unwrap_err(), PacketError::NoLabels);
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
    fn huge_length_words_are_refused_without_panicking() {
        // A schema that skipped `check()`: max_len unbounded.
        let mut s = three_field();
        s.fields[2].maxLen = U256::MAX;
        let good = s
            .encode(&[
                Value::Uint(U256::from(7)),
                Value::Bytes32(B256::repeat_byte(1)),
                Value::String("hello".into()),
            ])
            .unwrap();
        for len in [U256::MAX, U256::MAX >> 1, U256::from(u64::MAX), U256::from(1u128 << 64)] {
            let mut bad = good.to_vec();
            bad[96..128].copy_from_slice(&len.to_be_bytes::<32>());
            let err = validate_packet(&s, B256::repeat_byte(9), &bad, 4096).unwrap_err();
            assert!(matches!(err, PacketError::DataLength { .. }), "{len}: {err}");
        }
        let mut s = three_field();
        s.fields[0].fieldType = 42;
        assert_eq!(
            validate_packet(&s, B256::repeat_byte(9), &good, 4096),
            Err(PacketError::UnknownFieldType { field: 0, value: 42 })
        );
    }
}
