//! `--shard i/n`: several keepers split the duties by item id.
//!
//! Every item (packet, amendment, resource, allocation, proposal) belongs to exactly one
//! of `n` shards: the first eight bytes of `keccak256(module tag ‖ id)`, big-endian,
//! modulo `n`. The hash is fixed, so every keeper of every version agrees on the split.
//! A keeper performs its own shard's duties at their deadline; with a takeover delay it
//! also performs the others' once they are that late, so one dead keeper delays its
//! share instead of dropping it.

use std::{fmt, str::FromStr};

use alloy_primitives::{B256, keccak256};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::{action::Module, error::KeeperError};

/// Shard `index` of `count` (0-based: `0/3`, `1/3`, `2/3`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Shard {
    index: u32,
    count: u32,
}

impl Shard {
    /// The whole set: one keeper doing everything.
    pub const ALL: Self = Self { index: 0, count: 1 };

    /// Shard `index` of `count`; `index < count` and `count ≥ 1`.
    pub fn new(index: u32, count: u32) -> Result<Self, KeeperError> {
        if count == 0 || index >= count {
            return Err(KeeperError::Shard(format!(
                "shard {index}/{count}: want i/n with n ≥ 1 and 0 ≤ i < n"
            )));
        }
        Ok(Self { index, count })
    }

    /// This shard's index.
    pub const fn index(self) -> u32 {
        self.index
    }

    /// How many shards there are.
    pub const fn count(self) -> u32 {
        self.count
    }

    /// The shard an item belongs to.
    pub fn of(module: Module, id: B256, count: u32) -> u32 {
        let mut buf = [0u8; 33];
        buf[0] = module.tag();
        buf[1..].copy_from_slice(id.as_slice());
        let h = keccak256(buf);
        let mut first = [0u8; 8];
        first.copy_from_slice(&h[..8]);
        (u64::from_be_bytes(first) % u64::from(count.max(1))) as u32
    }

    /// Whether this shard owns the item.
    pub fn owns(self, module: Module, id: B256) -> bool {
        self.count == 1 || Self::of(module, id, self.count) == self.index
    }
}

impl Default for Shard {
    fn default() -> Self {
        Self::ALL
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

impl FromStr for Shard {
    type Err = KeeperError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || KeeperError::Shard(format!("shard {s:?}: want i/n, e.g. 0/3"));
        let (i, n) = s.split_once('/').ok_or_else(bad)?;
        let i = i.trim().parse().map_err(|_| bad())?;
        let n = n.trim().parse().map_err(|_| bad())?;
        Self::new(i, n)
    }
}

impl Serialize for Shard {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Shard {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// Which items a keeper schedules, and how late it takes over the others'.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Sharding {
    /// This keeper's shard.
    pub shard: Shard,
    /// Seconds past the deadline after which this keeper also performs duties of other
    /// shards (`None`: never).
    pub takeover_after: Option<u64>,
}

impl Sharding {
    /// Extra delay before this keeper performs the item's duties: `Some(0)` for its
    /// own items, `Some(takeover)` for others' when taking over, `None` to ignore it.
    pub fn delay(&self, module: Module, id: B256) -> Option<u64> {
        if self.shard.owns(module, id) { Some(0) } else { self.takeover_after }
    }
}

#[cfg(test)]
mod tests {
    use alloy_primitives::U256;

    use super::*;

    #[test]
    fn every_id_is_owned_by_exactly_one_shard() {
        // 2 000 items per split (keccak is slow in unoptimized test builds).
        for count in [1u32, 2, 3, 7] {
            let shards: Vec<Shard> = (0..count).map(|i| Shard::new(i, count).unwrap()).collect();
            let mut per_shard = vec![0u32; count as usize];
            for module in Module::ALL {
                for id in 0..400u64 {
                    let id = B256::from(U256::from(id));
                    let owners: Vec<_> = shards.iter().filter(|s| s.owns(module, id)).collect();
                    assert_eq!(owners.len(), 1, "{module} {id} in {count} shards: {owners:?}");
                    per_shard[owners[0].index() as usize] += 1;
                }
            }
            // The split is roughly even (each shard within 25 % of its fair share).
            let fair = 2_000 / count;
            for (i, n) in per_shard.iter().enumerate() {
                assert!(n.abs_diff(fair) <= fair / 4, "shard {i}/{count} got {n}, fair {fair}");
            }
        }
    }

    #[test]
    fn parse_and_display() {
        let s: Shard = "1/3".parse().unwrap();
        assert_eq!((s.index(), s.count()), (1, 3));
        assert_eq!(s.to_string(), "1/3");
        assert!("3/3".parse::<Shard>().is_err());
        assert!("0/0".parse::<Shard>().is_err());
        assert!("1".parse::<Shard>().is_err());
        assert!("a/2".parse::<Shard>().is_err());
    }

    #[test]
    fn takeover_delay_applies_only_to_other_shards() {
        let id = B256::from(U256::from(42));
        let own = Shard::of(Module::Work, id, 2);
        let mine = Sharding { shard: Shard::new(own, 2).unwrap(), takeover_after: Some(60) };
        let theirs = Sharding { shard: Shard::new(1 - own, 2).unwrap(), takeover_after: Some(60) };
        assert_eq!(mine.delay(Module::Work, id), Some(0));
        assert_eq!(theirs.delay(Module::Work, id), Some(60));
        let strict = Sharding { takeover_after: None, ..theirs };
        assert_eq!(strict.delay(Module::Work, id), None);
    }
}
