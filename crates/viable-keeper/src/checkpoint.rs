//! The state file: the cursor (last processed block and log index) together with the
//! duties' open items, written atomically.
//!
//! The cursor alone would not be enough: an item opened before the cursor (a packet
//! whose window is still running) would be lost on restart. So the file holds the
//! cursor and the inputs that rebuild every open item ([`crate::Duties::snapshot`]),
//! written together: a restarted keeper restores the items, then resumes the event
//! stream right after the cursor, missing nothing and replaying nothing.
//!
//! Writes go to a temporary file in the same directory, are flushed to disk, then
//! renamed over the old file (and the directory flushed), so a crash leaves either the
//! old or the new file, never a torn one.

use std::{
    fs::{self, File, OpenOptions},
    io::{self, Write},
    path::{Path, PathBuf},
};

use alloy_primitives::B256;
use serde::{Deserialize, Serialize};

use crate::{
    error::{KeeperError, Result},
    observed::{Cursor, Observed},
};

/// What the state file holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Checkpoint {
    /// Format version ([`Checkpoint::VERSION`]).
    pub version: u32,
    /// What deployment this is for (e.g. `"<chain id>:<constitution address>"`), so a
    /// file is never applied to another one.
    pub scope: String,
    /// Everything up to and including this position has been applied.
    pub cursor: Cursor,
    /// The hash of the cursor's block when it was applied, if known: a restarted keeper
    /// checks it against the chain before trusting the rest.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cursor_hash: Option<B256>,
    /// Inputs that rebuild the open items.
    pub state: Vec<Observed>,
}

impl Checkpoint {
    /// The current format version.
    pub const VERSION: u32 = 1;

    /// A checkpoint of the current version.
    pub fn new(scope: impl Into<String>, cursor: Cursor, state: Vec<Observed>) -> Self {
        Self { version: Self::VERSION, scope: scope.into(), cursor, cursor_hash: None, state }
    }

    /// The same, with the hash of the cursor's block.
    pub fn with_cursor_hash(mut self, hash: Option<B256>) -> Self {
        self.cursor_hash = hash;
        self
    }

    /// Encode as the file's bytes (JSON).
    pub fn to_bytes(&self) -> Result<Vec<u8>> {
        serde_json::to_vec(self).map_err(|e| KeeperError::StateFormat {
            path: PathBuf::new(),
            message: format!("cannot encode: {e}"),
        })
    }
}

/// The state file at one path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StateFile {
    path: PathBuf,
}

impl StateFile {
    /// The state file at `path`.
    pub fn new(path: impl Into<PathBuf>) -> Self {
        Self { path: path.into() }
    }

    /// Its path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The saved checkpoint for `scope`, or `None` if there is no file yet. A file of
    /// another version or another scope is an error, not silently ignored.
    pub fn load(&self, scope: &str) -> Result<Option<Checkpoint>> {
        let bytes = match fs::read(&self.path) {
            Ok(b) => b,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(source) => return Err(KeeperError::StateFile { path: self.path.clone(), source }),
        };
        let format =
            |message: String| KeeperError::StateFormat { path: self.path.clone(), message };
        let cp: Checkpoint = serde_json::from_slice(&bytes).map_err(|e| format(e.to_string()))?;
        if cp.version != Checkpoint::VERSION {
            return Err(format(format!(
                "version {} (this keeper reads {})",
                cp.version,
                Checkpoint::VERSION
            )));
        }
        if cp.scope != scope {
            return Err(format(format!(
                "written for {:?}, not {scope:?}; move it away to start afresh",
                cp.scope
            )));
        }
        Ok(Some(cp))
    }

    /// Write `bytes` ([`Checkpoint::to_bytes`]) atomically. Blocking: call it through
    /// `tokio::task::spawn_blocking` from async code (as the run loop does).
    pub fn write(&self, bytes: &[u8]) -> Result<()> {
        let err = |source| KeeperError::StateFile { path: self.path.clone(), source };
        let dir = match self.path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let mut name = self.path.file_name().map(|n| n.to_os_string()).unwrap_or_default();
        name.push(format!(".tmp-{}", std::process::id()));
        let tmp = dir.join(name);
        let result = (|| {
            let mut f = OpenOptions::new().write(true).create(true).truncate(true).open(&tmp)?;
            f.write_all(bytes)?;
            f.sync_all()?;
            drop(f);
            fs::rename(&tmp, &self.path)?;
            // Make the rename itself durable.
            File::open(&dir)?.sync_all()
        })();
        if result.is_err() {
            // Best effort: do not leave the temporary file behind.
            let _ = fs::remove_file(&tmp);
        }
        result.map_err(err)
    }

    /// Encode and write `checkpoint` (blocking).
    pub fn save(&self, checkpoint: &Checkpoint) -> Result<()> {
        self.write(&checkpoint.to_bytes()?)
    }

    /// Move the file aside to `<file>.rewound-<block>` (kept for inspection, never read
    /// again), so the next start rebuilds from the deployment block. Used when the
    /// chain went back below the saved cursor ([`KeeperError::ChainRewound`]). Returns
    /// the new path, or `None` if there was no file.
    pub fn set_aside(&self, block: u64) -> Result<Option<PathBuf>> {
        let name = self.path.file_name().map(|n| n.to_os_string()).unwrap_or_default();
        let aside = |n: u32| {
            let mut name = name.clone();
            name.push(format!(".rewound-{block}"));
            if n > 1 {
                name.push(format!("-{n}"));
            }
            self.path.with_file_name(name)
        };
        // Never over an earlier one.
        let to = (1..).map(aside).find(|p| !p.exists()).unwrap_or_else(|| aside(1));
        match fs::rename(&self.path, &to) {
            Ok(()) => Ok(Some(to)),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(source) => Err(KeeperError::StateFile { path: self.path.clone(), source }),
        }
    }
}

#[cfg(test)]
mod tests {
    use alloy_primitives::U256;

    use super::*;
    use crate::observed::WorkObserved;

    fn cp(block: u64) -> Checkpoint {
        Checkpoint::new(
            "31337:0x0000000000000000000000000000000000000001",
            Cursor::at(block, 3),
            vec![Observed::Work(WorkObserved::PacketPending {
                packet_id: U256::from(9),
                deadline: 77,
            })],
        )
    }

    #[test]
    fn save_then_load_round_trips_and_replaces() {
        let dir = tempfile::tempdir().unwrap();
        let file = StateFile::new(dir.path().join("keeper.json"));
        let scope = cp(0).scope;
        assert_eq!(file.load(&scope).unwrap(), None);
        file.save(&cp(10)).unwrap();
        file.save(&cp(11)).unwrap();
        assert_eq!(file.load(&scope).unwrap(), Some(cp(11)));
        // No temporary file left behind.
        let names: Vec<_> =
            fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names, vec![std::ffi::OsString::from("keeper.json")]);
    }

    #[test]
    fn refuses_another_scope_or_version_or_garbage() {
        let dir = tempfile::tempdir().unwrap();
        let file = StateFile::new(dir.path().join("keeper.json"));
        file.save(&cp(1)).unwrap();
        assert!(matches!(file.load("1:0xother"), Err(KeeperError::StateFormat { .. })));
        let mut old = cp(1);
        old.version = 0;
        file.save(&old).unwrap();
        assert!(matches!(file.load(&old.scope), Err(KeeperError::StateFormat { .. })));
        fs::write(file.path(), b"{not json").unwrap();
        assert!(matches!(file.load(&old.scope), Err(KeeperError::StateFormat { .. })));
    }

    #[test]
    fn file_format_is_camel_case_json() {
        let text = String::from_utf8(cp(12).to_bytes().unwrap()).unwrap();
        assert!(text.contains(r#""cursor":{"block":12,"logIndex":3}"#), "{text}");
        assert!(
            text.contains(r#"{"work":{"packetPending":{"packetId":"0x9","deadline":77}}}"#),
            "{text}"
        );
    }

    #[test]
    fn set_aside_moves_the_file_so_the_next_load_starts_afresh() {
        let dir = tempfile::tempdir().unwrap();
        let file = StateFile::new(dir.path().join("keeper.json"));
        assert_eq!(file.set_aside(5).unwrap(), None, "no file: nothing to move");
        file.save(&cp(12)).unwrap();
        let moved = file.set_aside(12).unwrap().unwrap();
        assert_eq!(moved, dir.path().join("keeper.json.rewound-12"));
        assert_eq!(file.load(&cp(12).scope).unwrap(), None);
        assert_eq!(StateFile::new(&moved).load(&cp(12).scope).unwrap(), Some(cp(12)));
        file.save(&cp(12)).unwrap();
        let again = file.set_aside(12).unwrap().unwrap();
        assert_eq!(again, dir.path().join("keeper.json.rewound-12-2"), "the first one is kept");
    }

    #[test]
    fn write_failure_is_reported() {
        let dir = tempfile::tempdir().unwrap();
        let file = StateFile::new(dir.path().join("missing-dir").join("keeper.json"));
        assert!(matches!(file.save(&cp(1)), Err(KeeperError::StateFile { .. })));
    }
}
