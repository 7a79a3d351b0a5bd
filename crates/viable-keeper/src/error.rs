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
    /// The chain's head is below the block of the last event the keeper applied: the
    /// node went back (restarted from older state, or a reorg deeper than the
    /// confirmations), so events the state depends on may no longer exist. The caller
    /// sets the state file aside ([`crate::StateFile::set_aside`]) and rebuilds from
    /// the deployment block.
    #[error("the chain went back to block {head}, below the keeper's cursor at block {cursor}")]
    ChainRewound {
        /// The head seen.
        head: u64,
        /// The cursor's block.
        cursor: u64,
    },
    /// A background task of the keeper ended abnormally.
    #[error("keeper task: {0}")]
    Task(String),
}
