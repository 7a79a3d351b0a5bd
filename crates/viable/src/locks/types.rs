//! What the CoordinationLocks returns, typed.

use std::{fmt, str::FromStr};

use alloy::primitives::{Address, B256, keccak256};
use serde::{Serialize, Serializer};

use crate::work::PacketId;

/// A resource key: any `bytes32`. A resource named by text is `keccak256` of the
/// text's UTF-8 bytes (`keccak256(bytes("interface:oracle"))`), as the contract's
/// docs say; [`Resource::parse`] reads either form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Resource(pub B256);

impl Resource {
    /// The key of a resource named by text: `keccak256` of its UTF-8 bytes.
    pub fn named(text: &str) -> Self {
        Self(keccak256(text.as_bytes()))
    }

    /// `0x` and 64 hex digits as the key itself; anything else is a name, hashed
    /// as [`Resource::named`] does. A `0x` text of another length is refused rather
    /// than hashed, since it is almost certainly a mistyped key.
    pub fn parse(text: &str) -> Result<Self, String> {
        let t = text.trim();
        if t.is_empty() {
            return Err("a resource key must not be empty".into());
        }
        if let Some(hex) = t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
            if hex.len() == 64 && hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                return t.parse::<B256>().map(Self).map_err(|e| e.to_string());
            }
            return Err(format!(
                "`{t}` is neither a 32-byte hex key (0x and 64 hex digits) nor a name; \
                 names do not start with 0x"
            ));
        }
        Ok(Self::named(t))
    }
}

impl FromStr for Resource {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Self::parse(s)
    }
}

impl fmt::Display for Resource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl From<B256> for Resource {
    fn from(v: B256) -> Self {
        Self(v)
    }
}

impl Serialize for Resource {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(s)
    }
}

/// How a lock is held, in the contract's `Mode` order (passed as a `uint8`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Default)]
#[non_exhaustive]
pub enum Mode {
    /// Alone: granted only when nobody holds the resource.
    #[default]
    Exclusive,
    /// With other Shared holders, never beside an Exclusive one.
    Shared,
}

impl Mode {
    /// The contract's `uint8`.
    pub fn as_u8(self) -> u8 {
        match self {
            Self::Exclusive => 0,
            Self::Shared => 1,
        }
    }
}

impl TryFrom<u8> for Mode {
    type Error = u8;
    /// The mode with this index; the index back when there is none.
    fn try_from(v: u8) -> Result<Self, u8> {
        Ok(match v {
            0 => Self::Exclusive,
            1 => Self::Shared,
            other => return Err(other),
        })
    }
}

impl FromStr for Mode {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.to_ascii_lowercase().as_str() {
            "exclusive" | "x" => Ok(Self::Exclusive),
            "shared" | "s" => Ok(Self::Shared),
            _ => Err(format!("`{s}` is not a mode: exclusive or shared")),
        }
    }
}

impl fmt::Display for Mode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(match self {
            Self::Exclusive => "Exclusive",
            Self::Shared => "Shared",
        })
    }
}

/// A request's state, in the contract's `RequestState` order. A request that ended
/// is deleted, so it reads `None` again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[non_exhaustive]
pub enum RequestState {
    /// No live request.
    None,
    /// Waiting in the resource's queue.
    Queued,
    /// Granted: the lock is held.
    Held,
}

impl TryFrom<u8> for RequestState {
    type Error = u8;
    /// The state with this index; the index back when there is none.
    fn try_from(v: u8) -> Result<Self, u8> {
        Ok(match v {
            0 => Self::None,
            1 => Self::Queued,
            2 => Self::Held,
            other => return Err(other),
        })
    }
}

impl fmt::Display for RequestState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(match self {
            Self::None => "None",
            Self::Queued => "Queued",
            Self::Held => "Held",
        })
    }
}

/// A resource: its holders, their mode, the queue's ends and length, and the time
/// by which every current lease has ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ResourceInfo {
    /// The key.
    pub resource: Resource,
    /// How many hold it now.
    pub holders: u64,
    /// The holders' mode (meaningful only while `holders > 0`).
    pub mode: Mode,
    /// How many wait.
    pub queue_length: u64,
    /// The first waiting packet (none when the queue is empty).
    pub head: Option<PacketId>,
    /// The last waiting packet.
    pub tail: Option<PacketId>,
    /// When every current lease has ended (exact for an Exclusive holder, an upper
    /// bound for Shared ones); `None` when nobody holds it.
    pub expires_by: Option<u64>,
}

/// One request, `(resource, packet)`. Fields that do not apply to its state are `None`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct RequestInfo {
    /// The resource.
    pub resource: Resource,
    /// The packet the request is made under.
    pub packet_id: PacketId,
    /// None, Queued or Held.
    pub state: RequestState,
    /// The mode asked for.
    pub mode: Mode,
    /// Who made it (the holder once granted); the zero address for `None`.
    pub requester: Address,
    /// Queued: the lease asked for, in seconds.
    pub ttl: Option<u64>,
    /// Queued: the earliest grant time (`None` when it may be granted now).
    pub not_before: Option<u64>,
    /// Queued: the packet behind it (`None` at the tail).
    pub next: Option<PacketId>,
    /// Queued: its place, 1 for the head.
    pub position: Option<u64>,
    /// Held: when the lease ends (from then on anyone may expire it).
    pub lease_end: Option<u64>,
    /// Held: when it was granted (`locks.maxHold` counts from here).
    pub granted_at: Option<u64>,
}

/// What a `request` did: held at once (with its lease end) or queued (at a position).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Requested {
    /// The resource.
    pub resource: Resource,
    /// The packet.
    pub packet_id: PacketId,
    /// `Held` or `Queued`.
    pub state: RequestState,
    /// Held: the lease end.
    pub lease_end: Option<u64>,
    /// Queued: the place in the queue, 1 for the head.
    pub position: Option<u64>,
}

/// One lock granted by a grant step (`release`, `expire`, `withdraw`, `grantNext`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Grant {
    /// The packet granted.
    pub packet_id: PacketId,
    /// Its holder.
    pub holder: Address,
    /// Its mode.
    pub mode: Mode,
    /// Its lease end.
    pub lease_end: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_keys_hash_their_utf8_and_hex_keys_are_taken_as_is() {
        let k = Resource::parse("interface:oracle").unwrap();
        assert_eq!(k.0, keccak256(b"interface:oracle"));
        let hex = format!("{}", k.0);
        assert_eq!(Resource::parse(&hex).unwrap(), k);
        assert!(Resource::parse("0x1234").unwrap_err().contains("64 hex digits"));
        assert!(Resource::parse("  ").is_err());
    }

    #[test]
    fn modes_and_states_follow_the_contract_order_and_refuse_unknown_values() {
        assert_eq!(Mode::try_from(1), Ok(Mode::Shared));
        assert_eq!(Mode::try_from(2), Err(2));
        assert_eq!(RequestState::try_from(2), Ok(RequestState::Held));
        assert_eq!(RequestState::try_from(3), Err(3));
        assert_eq!("shared".parse::<Mode>(), Ok(Mode::Shared));
        assert_eq!(serde_json::to_value(RequestState::Queued).unwrap(), "Queued");
    }
}
