//! Configuration: defaults, then a TOML file, then environment variables, then flags.
//!
//! [`KeeperConfig`] is the whole configuration (serde, TOML); [`KeeperArgs`] are the
//! flags (each with its `VIABLE_KEEPER_*` environment variable) that the CLI flattens
//! into `viable keeper`. The RPC URL, the signer and the deployment file are the CLI's
//! shared options, not repeated here.

use std::{
    net::{Ipv4Addr, SocketAddr},
    path::{Path, PathBuf},
};

use serde::{Deserialize, Serialize};

use crate::{
    duty::DutyConfig,
    error::{KeeperError, Result},
    ledger::RetryPolicy,
    shard::{Shard, Sharding},
};

/// Everything the keeper can be told.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "snake_case")]
pub struct KeeperConfig {
    /// This keeper's shard, `"i/n"` (0-based).
    pub shard: Shard,
    /// Seconds past a deadline after which this keeper also performs other shards'
    /// duties (unset: never).
    pub shard_takeover_secs: Option<u64>,
    /// Blocks a log must be buried under before it is processed.
    pub confirmations: u64,
    /// The state file (cursor and open items).
    pub state_file: PathBuf,
    /// First block to read when there is no state file (unset: the deployment block).
    pub start_block: Option<u64>,
    /// Serve `/metrics` and `/health`.
    pub metrics: bool,
    /// Where to serve them.
    pub metrics_addr: SocketAddr,
    /// Write the state file at most this often while events arrive, seconds.
    pub checkpoint_every_secs: u64,
    /// Actions executed at once.
    pub max_in_flight: usize,
    /// How far past the last head's timestamp the keeper's clock may run when no new
    /// block arrives, seconds (about one block time).
    pub clock_extrapolation_secs: u64,
    /// `/health` fails when no head was seen for this long, seconds.
    pub health_stale_secs: u64,
    /// On shutdown, wait this long for actions in flight, seconds.
    pub shutdown_grace_secs: u64,
    /// Finished items each duty remembers (to ignore replayed creation events).
    pub memory: usize,
    /// How often the chain adapter asks the node for new blocks and logs,
    /// milliseconds (unset: the RPC client's default, 250 ms for a local node and 7 s
    /// otherwise).
    pub poll_interval_ms: Option<u64>,
    /// One wait for a transaction's receipt gives up after this long, seconds (and is
    /// retried up to `retry.receipt_retries` times).
    pub receipt_timeout_secs: u64,
    /// Retries, settling and backoff.
    pub retry: RetryPolicy,
}

impl Default for KeeperConfig {
    fn default() -> Self {
        Self {
            shard: Shard::ALL,
            shard_takeover_secs: None,
            confirmations: 2,
            state_file: PathBuf::from("viable-keeper-state.json"),
            start_block: None,
            metrics: true,
            metrics_addr: SocketAddr::from((Ipv4Addr::LOCALHOST, 9464)),
            checkpoint_every_secs: 5,
            max_in_flight: 16,
            clock_extrapolation_secs: 12,
            health_stale_secs: 120,
            shutdown_grace_secs: 30,
            memory: DutyConfig::DEFAULT_MEMORY,
            poll_interval_ms: None,
            receipt_timeout_secs: 60,
            retry: RetryPolicy::default(),
        }
    }
}

impl KeeperConfig {
    /// Parse a TOML document (`origin` names it in errors).
    pub fn from_toml(text: &str, origin: &str) -> Result<Self> {
        let config: Self = toml::from_str(text).map_err(|e| KeeperError::Config {
            origin: origin.to_owned(),
            message: e.to_string(),
        })?;
        config.validate(origin)?;
        Ok(config)
    }

    /// Read a TOML file.
    pub fn load(path: &Path) -> Result<Self> {
        let origin = path.display().to_string();
        let text = std::fs::read_to_string(path)
            .map_err(|e| KeeperError::Config { origin: origin.clone(), message: e.to_string() })?;
        Self::from_toml(&text, &origin)
    }

    /// Reject values the keeper cannot run with.
    pub fn validate(&self, origin: &str) -> Result<()> {
        let bad = |message: &str| {
            Err(KeeperError::Config { origin: origin.to_owned(), message: message.to_owned() })
        };
        if self.max_in_flight == 0 {
            return bad("max_in_flight must be at least 1");
        }
        if self.retry.max_delay_secs < self.retry.min_delay_secs {
            return bad("retry.max_delay_secs must be at least retry.min_delay_secs");
        }
        if self.retry.factor.is_nan() || self.retry.factor < 1.0 {
            return bad("retry.factor must be at least 1");
        }
        if self.poll_interval_ms == Some(0) {
            return bad("poll_interval_ms must be at least 1");
        }
        if self.receipt_timeout_secs == 0 {
            return bad("receipt_timeout_secs must be at least 1");
        }
        if self.retry.max_settle_checks == 0 {
            return bad("retry.max_settle_checks must be at least 1");
        }
        Ok(())
    }

    /// The part the duties need.
    pub fn duty_config(&self) -> DutyConfig {
        DutyConfig {
            sharding: Sharding { shard: self.shard, takeover_after: self.shard_takeover_secs },
            retry: self.retry.clone(),
            memory: self.memory,
        }
    }
}

/// The keeper's flags, each also read from its environment variable. Flatten into the
/// CLI's `viable keeper` subcommand and call [`KeeperArgs::resolve`].
#[derive(Debug, Clone, Default, PartialEq, clap::Args)]
pub struct KeeperArgs {
    /// TOML configuration file (flags and environment override it).
    #[arg(long = "keeper-config", env = "VIABLE_KEEPER_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Perform only shard I of N (0-based), e.g. `--shard 1/3`.
    #[arg(long, env = "VIABLE_KEEPER_SHARD", value_name = "I/N")]
    pub shard: Option<Shard>,
    /// Also perform other shards' duties once they are this many seconds late.
    #[arg(long, env = "VIABLE_KEEPER_SHARD_TAKEOVER_SECS", value_name = "SECS")]
    pub shard_takeover_secs: Option<u64>,
    /// Blocks a log must be buried under before it is processed.
    #[arg(long, env = "VIABLE_KEEPER_CONFIRMATIONS", value_name = "BLOCKS")]
    pub confirmations: Option<u64>,
    /// The state file (cursor and open items).
    #[arg(long, env = "VIABLE_KEEPER_STATE_FILE", value_name = "FILE")]
    pub state_file: Option<PathBuf>,
    /// First block to read when there is no state file.
    #[arg(long, env = "VIABLE_KEEPER_START_BLOCK", value_name = "BLOCK")]
    pub start_block: Option<u64>,
    /// Address for `/metrics` and `/health`, e.g. `0.0.0.0:9464`.
    #[arg(long, env = "VIABLE_KEEPER_METRICS_ADDR", value_name = "HOST:PORT")]
    pub metrics_addr: Option<SocketAddr>,
    /// Do not serve metrics and health.
    #[arg(long, env = "VIABLE_KEEPER_NO_METRICS")]
    pub no_metrics: bool,
    /// Actions executed at once.
    #[arg(long, env = "VIABLE_KEEPER_MAX_IN_FLIGHT", value_name = "N")]
    pub max_in_flight: Option<usize>,
    /// Ask the node for new blocks and logs this often, milliseconds.
    #[arg(long, env = "VIABLE_KEEPER_POLL_INTERVAL_MS", value_name = "MS")]
    pub poll_interval_ms: Option<u64>,
}

impl KeeperArgs {
    /// Defaults, overridden by the file (if any), overridden by flags and environment.
    pub fn resolve(&self) -> Result<KeeperConfig> {
        let mut c = match &self.config {
            Some(path) => KeeperConfig::load(path)?,
            None => KeeperConfig::default(),
        };
        if let Some(v) = self.shard {
            c.shard = v;
        }
        if let Some(v) = self.shard_takeover_secs {
            c.shard_takeover_secs = Some(v);
        }
        if let Some(v) = self.confirmations {
            c.confirmations = v;
        }
        if let Some(v) = &self.state_file {
            c.state_file = v.clone();
        }
        if let Some(v) = self.start_block {
            c.start_block = Some(v);
        }
        if let Some(v) = self.metrics_addr {
            c.metrics_addr = v;
        }
        if self.no_metrics {
            c.metrics = false;
        }
        if let Some(v) = self.max_in_flight {
            c.max_in_flight = v;
        }
        if let Some(v) = self.poll_interval_ms {
            c.poll_interval_ms = Some(v);
        }
        c.validate("flags")?;
        Ok(c)
    }
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;

    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        keeper: KeeperArgs,
    }

    const FILE: &str = r#"
shard = "1/4"
shard_takeover_secs = 300
confirmations = 3
state_file = "/var/lib/viable/keeper.json"
metrics_addr = "0.0.0.0:9100"
max_in_flight = 4

[retry]
min_delay_secs = 1
max_delay_secs = 60
settle_secs = 30
"#;

    #[test]
    fn toml_file_sets_what_it_names_and_defaults_the_rest() {
        let c = KeeperConfig::from_toml(FILE, "test").unwrap();
        assert_eq!(c.shard, Shard::new(1, 4).unwrap());
        assert_eq!(c.shard_takeover_secs, Some(300));
        assert_eq!(c.confirmations, 3);
        assert_eq!(c.metrics_addr, "0.0.0.0:9100".parse().unwrap());
        assert_eq!(c.max_in_flight, 4);
        assert_eq!(c.retry.settle_secs, 30);
        assert_eq!(c.retry.not_yet_secs, RetryPolicy::default().not_yet_secs);
        assert_eq!(c.checkpoint_every_secs, KeeperConfig::default().checkpoint_every_secs);
        let d = c.duty_config();
        assert_eq!(d.sharding.takeover_after, Some(300));
    }

    #[test]
    fn toml_errors_name_the_problem() {
        let e = KeeperConfig::from_toml("shards = \"1/4\"", "k.toml").unwrap_err().to_string();
        assert!(e.contains("k.toml") && e.contains("shards"), "{e}");
        let e = KeeperConfig::from_toml("shard = \"4/4\"", "k.toml").unwrap_err().to_string();
        assert!(e.contains("4/4"), "{e}");
        let e = KeeperConfig::from_toml("max_in_flight = 0", "k.toml").unwrap_err().to_string();
        assert!(e.contains("max_in_flight"), "{e}");
    }

    #[test]
    fn flags_override_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("keeper.toml");
        std::fs::write(&path, FILE).unwrap();
        let cli = Cli::try_parse_from([
            "keeper",
            "--keeper-config",
            path.to_str().unwrap(),
            "--shard",
            "2/4",
            "--no-metrics",
        ])
        .unwrap();
        let c = cli.keeper.resolve().unwrap();
        assert_eq!(c.shard, Shard::new(2, 4).unwrap());
        assert!(!c.metrics);
        assert_eq!(c.confirmations, 3, "from the file");
        assert!(Cli::try_parse_from(["keeper", "--shard", "5/4"]).is_err());
    }

    #[test]
    fn default_config_round_trips_through_toml() {
        let text = toml::to_string(&KeeperConfig::default()).unwrap();
        assert_eq!(KeeperConfig::from_toml(&text, "default").unwrap(), KeeperConfig::default());
    }
}
