//! The keeper's error type.

use std::{io, path::PathBuf};

/// Result alias for the keeper.
pub type Result<T, E = KeeperError> = std::result::Result<T, E>;

/// Everything the keeper can fail with outside a single action (actions fail with a
/// classified [`crate::ExecError`] and never stop the keeper).
#[derive(Debug, thiserror::Error)]
pub enum KeeperError {
    /// A `--shard` value is malformed or out of range.
    #[error("{0}")]
    Shard(String),
    /// The configuration is invalid.
    #[error("config {origin}: {message}")]
    Config {
        /// Where the bad value came from (a file path, a flag, an environment variable).
        origin: String,
        /// What is wrong.
        message: String,
    },
    /// Reading or writing the state file failed.
    #[error("state file {path}: {source}")]
    StateFile {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: io::Error,
    },
    /// The state file exists but cannot be understood.
    #[error("state file {path}: {message}")]
    StateFormat {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// The metrics and health server could not start.
    #[error("metrics server on {addr}: {message}")]
    Server {
        /// The listen address.
        addr: String,
        /// What went wrong.
        message: String,
    },
    /// The collectors stopped delivering (their channel closed) while the keeper was
    /// not shutting down. The caller restarts them from the saved cursor.
    #[error("the {0} input closed")]
    InputClosed(&'static str),
    /// The block of the last event the keeper applied is no longer on the chain: the
    /// node went back (restarted from older state, or a reorg deeper than the
    /// confirmations), so events the state depends on may no longer exist. The caller
    /// sets the state file aside ([`crate::StateFile::set_aside`]) and rebuilds from
    /// the deployment block.
    #[error("the chain went back (head {head}): the keeper's cursor block {cursor} is gone")]
    ChainRewound {
        /// The head seen.
        head: u64,
        /// The cursor's block.
        cursor: u64,
    },
    /// The heads broke (a reorg, or a head that went back) but the cursor's block is
    /// still on the chain: the state is saved, and the caller restarts the event
    /// stream from the cursor, since blocks it read past the cursor may have changed.
    #[error("the chain changed at block {head}; reading again from the cursor")]
    ChainChanged {
        /// The head seen.
        head: u64,
    },
    /// A background task of the keeper ended abnormally.
    #[error("keeper task: {0}")]
    Task(String),
}
