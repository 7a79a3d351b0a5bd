//! Integration tests: the keeper on a real anvil with the real contracts, run
//! in-process through the same `ChainKeeper` the `viable keeper` command runs.
//!
//! Set `RUST_LOG=viable=debug` to see what the keepers do.

mod chaos;
mod concurrent;
mod crowd;
mod duties;
mod faults;
mod idle;
mod modules;
mod restart;

use std::{
    collections::HashMap,
    path::{Path, PathBuf},
    sync::Arc,
    time::Duration,
};

use alloy::{
    network::EthereumWallet,
    node_bindings::{Anvil, AnvilInstance},
    primitives::{Address, B256, U256},
    providers::{DynProvider, Provider, ProviderBuilder, ext::AnvilApi},
    rpc::client::ClientBuilder,
    signers::local::PrivateKeySigner,
};
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;
use viable::{
    Amendment, AmendmentId, DeployOptions, Genesis, ParamKey, SuiteEvent, Support, Viable,
    bindings::{
        LegitimacyConstitution::LegitimacyConstitutionEvents, WorkRegistry::WorkRegistryEvents,
    },
    work::{PacketId, SchemaDef, Value},
};
use viable_keeper::{
    KeeperConfig, RetryPolicy, Summary,
    chain::{ChainKeeper, RpcCounts, RpcMetrics, Signer, SignerProvider},
    metrics::Health,
};

/// The project's anvil: `$ANVIL_BIN`, else the npm install under the repository
/// (`node_modules/@foundry-rs/anvil-<platform>/bin/anvil`), else `anvil` on PATH.
pub(crate) fn anvil_bin() -> PathBuf {
    if let Some(p) = std::env::var_os("ANVIL_BIN") {
        return p.into();
    }
    let platform = match (std::env::consts::OS, std::env::consts::ARCH) {
        ("macos", "aarch64") => "darwin-arm64",
        ("macos", _) => "darwin-amd64",
        (_, "aarch64") => "linux-arm64",
        _ => "linux-amd64",
    };
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    here.ancestors()
        .map(|d| d.join(format!("node_modules/@foundry-rs/anvil-{platform}/bin/anvil")))
        .find(|p| p.is_file())
        .unwrap_or_else(|| "anvil".into())
}

/// Logs to the test output when `RUST_LOG` is set.
pub(crate) fn init_logs() {
    if std::env::var_os("RUST_LOG").is_some() {
        let _ = tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
            .with_test_writer()
            .try_init();
    }
}

/// Anvil accounts the keepers sign with (never used by the test driver).
pub(crate) const KEEPER: usize = 9;
pub(crate) const OTHER_KEEPER: usize = 8;
/// The account that submits packets.
pub(crate) const CONTRIBUTOR: usize = 4;

/// A running anvil with the dev genesis deployed by account 0.
pub(crate) struct Chain {
    pub(crate) anvil: AnvilInstance,
    pub(crate) provider: DynProvider,
    pub(crate) viable: Viable<DynProvider>,
}

impl Chain {
    pub(crate) async fn spawn() -> Self {
        init_logs();
        let anvil = Anvil::new().path(anvil_bin()).try_spawn().expect("anvil starts");
        let provider = provider_for(&anvil, 0);
        let viable = Viable::deploy(provider.clone(), &Genesis::dev(), DeployOptions::default())
            .await
            .expect("the dev genesis deploys");
        Self { anvil, provider, viable }
    }

    /// The deployment as anvil account `index` sees it (account 0: the deployer's own
    /// client, since two providers for one key would hand out the same nonces).
    pub(crate) fn as_account(&self, index: usize) -> Viable<DynProvider> {
        if index == 0 {
            return self.viable.clone();
        }
        Viable::new(provider_for(&self.anvil, index), self.viable.deployment().clone())
    }

    pub(crate) fn address(&self, index: usize) -> Address {
        self.anvil.addresses()[index]
    }

    /// Kill anvil, wait `down`, and start a fresh one on `port` (same URL, empty chain).
    pub(crate) async fn restart_anvil(&mut self, port: u16, down: Duration) {
        // A placeholder instance on a free port while the old one is dropped (killed).
        let placeholder = Anvil::new().path(anvil_bin()).try_spawn().expect("anvil starts");
        drop(std::mem::replace(&mut self.anvil, placeholder));
        tokio::time::sleep(down).await;
        let fresh = Anvil::new().path(anvil_bin()).port(port).try_spawn().expect("anvil restarts");
        self.anvil = fresh;
    }

    /// Move the clock `seconds` on and mine a block.
    pub(crate) async fn advance(&self, seconds: u64) {
        self.provider.anvil_increase_time(seconds).await.unwrap();
        self.provider.evm_mine(None).await.unwrap();
    }

    pub(crate) async fn block_number(&self) -> u64 {
        self.provider.get_block_number().await.unwrap()
    }

    pub(crate) async fn timestamp(&self) -> u64 {
        let b = self.provider.get_block_by_number(Default::default()).await.unwrap().unwrap();
        b.header.timestamp
    }

    /// Stop mining on every transaction, and stop the clock following the wall
    /// clock: blocks come only from [`Chain::warp_to`] and [`Chain::step`] from now
    /// on, each one second after the last unless warped.
    pub(crate) async fn manual_mining(&self) {
        self.provider.anvil_set_auto_mine(false).await.unwrap();
        self.provider.anvil_set_block_timestamp_interval(1).await.unwrap();
    }

    /// Mine one block with timestamp `ts`; its number.
    pub(crate) async fn warp_to(&self, ts: u64) -> u64 {
        self.provider.anvil_set_next_block_timestamp(ts).await.unwrap();
        self.provider.evm_mine(None).await.unwrap();
        self.block_number().await
    }

    /// Transactions waiting in the pool.
    pub(crate) async fn pool_pending(&self) -> u64 {
        let status: serde_json::Value =
            self.provider.raw_request("txpool_status".into(), ()).await.unwrap();
        let hex = status["pending"].as_str().unwrap_or("0x0");
        u64::from_str_radix(hex.trim_start_matches("0x"), 16).unwrap()
    }

    /// Under manual mining: wait (at most 15 s) until at least `txs` transactions are
    /// waiting, then mine one block; its number.
    pub(crate) async fn step(&self, txs: u64) -> u64 {
        for _ in 0..150 {
            if self.pool_pending().await >= txs {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        self.provider.evm_mine(None).await.unwrap();
        self.block_number().await
    }

    /// The mined transactions of anvil account `index`: (succeeded, reverted, empty
    /// transfers to itself, i.e. nonce gaps filled).
    pub(crate) async fn sent_by(&self, index: usize) -> (u64, u64, u64) {
        let who = self.address(index);
        let (mut ok, mut reverted, mut fills) = (0, 0, 0);
        for n in self.viable.deployment().deploy_block..=self.block_number().await {
            let receipts = self.provider.get_block_receipts(n.into()).await.unwrap();
            for r in receipts.unwrap_or_default().iter().filter(|r| r.from == who) {
                match (r.to == Some(who), r.status()) {
                    (true, _) => fills += 1,
                    (false, true) => ok += 1,
                    (false, false) => reverted += 1,
                }
            }
        }
        (ok, reverted, fills)
    }

    /// Transactions sent by anvil account `index` so far.
    pub(crate) async fn nonce(&self, index: usize) -> u64 {
        self.provider.get_transaction_count(self.address(index)).await.unwrap()
    }

    /// An Attested schema (quorum 2 of accounts 1-3) whose window is `window` seconds.
    pub(crate) async fn attested_schema(&self, window: u64) -> B256 {
        let text = format!(
            r#"
name = "review {window}"
acceptance = {{ mode = "attested", quorum = 2, attesters = ["{}", "{}", "{}"], window = {window} }}
[[fields]]
type = "bytes32"
required = true
"#,
            self.address(1),
            self.address(2),
            self.address(3),
        );
        let schema = SchemaDef::from_toml_str(&text, "t").unwrap().resolve(16, 600).unwrap();
        self.viable.work().register_schema(&schema).await.unwrap()
    }

    /// `n` packets of `schema` by the contributor, in order.
    pub(crate) async fn submit(&self, schema: B256, n: usize) -> Vec<PacketId> {
        let work = self.as_account(CONTRIBUTOR).work();
        let mut out = Vec::with_capacity(n);
        for _ in 0..n {
            static SALT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
            let n = SALT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let salt = alloy::primitives::keccak256(n.to_be_bytes());
            out.push(work.submit_values(schema, salt, &[Value::Bytes32(salt)]).await.unwrap());
        }
        out
    }

    /// The latest attestation deadline of `packets`.
    pub(crate) async fn deadline(&self, packets: &[PacketId]) -> u64 {
        let mut out = 0;
        for p in packets {
            out = out.max(self.viable.work().packet(*p).await.unwrap().deadline);
        }
        out
    }

    /// Propose `amendment` as account 0 and vote for it with accounts 0-2 (`votes`
    /// false: nobody votes, so it is Defeated). Leaves the clock inside the voting
    /// period.
    pub(crate) async fn propose(&self, amendments: &[(Amendment, bool)]) -> Vec<AmendmentId> {
        // Snapshots are taken one second before the proposal: let balances settle.
        self.advance(2).await;
        let mut ids = Vec::new();
        for (a, _) in amendments {
            ids.push(self.viable.constitution().propose(a).await.unwrap());
        }
        self.advance(61).await;
        for (id, (_, votes)) in ids.iter().zip(amendments) {
            if *votes {
                for i in 0..3 {
                    let c = self.as_account(i).constitution();
                    c.vote(*id, Support::For, None).await.unwrap();
                }
            }
        }
        ids
    }

    /// Every event of the suite so far.
    pub(crate) async fn events(&self) -> Vec<viable::SuiteLog> {
        let from = self.viable.deployment().deploy_block;
        self.viable.events(from).confirmations(0).backfill().await.unwrap()
    }

    /// The block of the last event the keeper acts on (work and amendment lifecycle).
    pub(crate) async fn last_event_block(&self) -> u64 {
        let relevant = |e: &SuiteEvent| match e {
            SuiteEvent::Work(w) => !matches!(
                w,
                WorkRegistryEvents::PacketAttested(_)
                    | WorkRegistryEvents::ContributionCredited(_)
                    | WorkRegistryEvents::SchemaRegistered(_)
            ),
            SuiteEvent::Constitution(c) => matches!(
                c,
                LegitimacyConstitutionEvents::AmendmentProposed(_)
                    | LegitimacyConstitutionEvents::AmendmentQueued(_)
                    | LegitimacyConstitutionEvents::AmendmentExecuted(_)
                    | LegitimacyConstitutionEvents::AmendmentCancelled(_)
            ),
            _ => false,
        };
        let events = self.events().await;
        events.iter().filter(|l| relevant(&l.event)).map(|l| l.block_number).max().unwrap_or(0)
    }

    /// For each expired packet: how many `PacketExpired` events, and the last one's block.
    pub(crate) async fn expiries(&self) -> HashMap<U256, (usize, u64)> {
        let mut out: HashMap<U256, (usize, u64)> = HashMap::new();
        for log in self.events().await {
            if let SuiteEvent::Work(WorkRegistryEvents::PacketExpired(e)) = &log.event {
                let entry = out.entry(e.packetId).or_default();
                *entry = (entry.0 + 1, log.block_number);
            }
        }
        out
    }

    /// For each amendment: blocks of its `AmendmentQueued` and `AmendmentExecuted` events.
    pub(crate) async fn amendment_events(&self) -> HashMap<U256, (Vec<u64>, Vec<u64>)> {
        let mut out: HashMap<U256, (Vec<u64>, Vec<u64>)> = HashMap::new();
        for log in self.events().await {
            match &log.event {
                SuiteEvent::Constitution(LegitimacyConstitutionEvents::AmendmentQueued(e)) => {
                    out.entry(e.id).or_default().0.push(log.block_number);
                }
                SuiteEvent::Constitution(LegitimacyConstitutionEvents::AmendmentExecuted(e)) => {
                    out.entry(e.id).or_default().1.push(log.block_number);
                }
                _ => {}
            }
        }
        out
    }

    /// Poll `done` every 200 ms until it holds; panics after `secs` seconds.
    pub(crate) async fn until<F, Fut>(&self, secs: u64, what: &str, mut done: F)
    where
        F: FnMut() -> Fut,
        Fut: std::future::Future<Output = bool>,
    {
        for _ in 0..secs * 5 {
            if done().await {
                return;
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        panic!("{what}: not within {secs} s");
    }
}

/// A provider signing as anvil account `index` (for the test driver).
pub(crate) fn provider_for(anvil: &AnvilInstance, index: usize) -> DynProvider {
    let signer: PrivateKeySigner = anvil.keys()[index].clone().into();
    ProviderBuilder::new()
        .wallet(EthereumWallet::from(signer))
        .connect_http(anvil.endpoint_url())
        .erased()
}

/// A parameter change, told apart by its description.
pub(crate) fn amendment(description: &str) -> Amendment {
    Amendment::new().set_param(ParamKey::LocksMaxTtl, U256::from(600u64)).description(description)
}

/// The keeper's configuration for tests: short polls, retries and waits; one
/// confirmation; no metrics server (its recorder is process-wide).
pub(crate) fn config(state_file: &Path) -> KeeperConfig {
    KeeperConfig {
        state_file: state_file.to_path_buf(),
        confirmations: 1,
        metrics: false,
        poll_interval_ms: Some(100),
        checkpoint_every_secs: 1,
        shutdown_grace_secs: 10,
        receipt_timeout_secs: 10,
        retry: RetryPolicy {
            min_delay_secs: 1,
            max_delay_secs: 4,
            settle_secs: 30,
            ..RetryPolicy::default()
        },
        ..KeeperConfig::default()
    }
}

/// A keeper running in the test's runtime.
pub(crate) struct Running {
    pub(crate) health: Arc<Health>,
    pub(crate) rpc: Arc<RpcCounts>,
    pub(crate) signer: SignerProvider,
    cancel: CancellationToken,
    task: JoinHandle<viable_keeper::Result<Summary>>,
}

impl Running {
    /// Start a keeper signing as anvil account `index` over `client`.
    pub(crate) fn start_with(
        chain: &Chain,
        index: usize,
        config: KeeperConfig,
        client: alloy::rpc::client::RpcClient,
        rpc: Arc<RpcCounts>,
    ) -> Self {
        let key: PrivateKeySigner = chain.anvil.keys()[index].clone().into();
        let signer = SignerProvider::new(client, Signer::Key(key));
        let viable = Viable::new(signer.provider().clone(), chain.viable.deployment().clone());
        let keeper = ChainKeeper::new(viable, signer.clone(), config).expect("valid config");
        let health = keeper.health();
        let cancel = CancellationToken::new();
        let task = tokio::spawn(keeper.run(None, cancel.clone()));
        Self { health, rpc, signer, cancel, task }
    }

    /// Start a keeper signing as anvil account `index`, straight to anvil.
    pub(crate) fn start(chain: &Chain, index: usize, config: KeeperConfig) -> Self {
        let layer = RpcMetrics::new();
        let rpc = layer.counts();
        let client = ClientBuilder::default().layer(layer).http(chain.anvil.endpoint_url());
        Self::start_with(chain, index, config, client, rpc)
    }

    /// Wait until the keeper has applied the events up to `block`.
    pub(crate) async fn caught_up(&self, block: u64) {
        for _ in 0..300 {
            if self.health.report().cursor >= block {
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("the keeper did not reach block {block} within 30 s: {:?}", self.health.report());
    }

    /// Shut it down gracefully; what it did.
    pub(crate) async fn stop(self) -> Summary {
        self.cancel.cancel();
        self.task.await.expect("the keeper task ends").expect("the keeper stops cleanly")
    }
}
