//! The chain side: the SDK's suite event stream as [`Observed`](crate::Observed)
//! inputs, new heads by polling, an alloy [`Executor`](crate::Executor), and
//! [`ChainKeeper`], which runs them all with the run loop and the metrics server.
//!
//! One file per module maps that module's events to the keeper's inputs, builds its
//! transactions and says what its named errors mean (`work.rs`, `locks.rs`,
//! `treasury.rs`, `strategy.rs`, `constitution.rs`).
//! A module's support is one more such file plus one match arm each where events are
//! mapped (`events.rs`), where transactions are built and where reverts are classified
//! (`executor.rs`).

mod constitution;
mod directory;
mod events;
mod executor;
mod heads;
mod locks;
mod provider;
mod strategy;
mod treasury;
mod work;

use std::{sync::Arc, time::Duration};

use alloy::providers::{DynProvider, Provider};
use metrics_exporter_prometheus::PrometheusHandle;
use tokio::sync::{mpsc, watch};
use tokio_util::sync::CancellationToken;
use viable::{Deployment, Viable};

pub use self::{
    directory::Directory,
    events::SuiteEvents,
    executor::ChainExecutor,
    heads::PolledHeads,
    provider::{Counted, Nonces, RpcCounts, RpcMetrics, Signer, SignerProvider},
};
use crate::{
    checkpoint::StateFile,
    collector,
    config::KeeperConfig,
    error::{KeeperError, Result},
    metrics::{self, Health},
    observed::Cursor,
    runner::{Inputs, Keeper, Summary},
};

/// Events buffered between the event collector and the run loop.
const EVENT_BUFFER: usize = 1024;

/// The state file's scope for a deployment: `"<chain id>:<constitution address>"`.
pub fn scope(deployment: &Deployment) -> String {
    format!("{}:{}", deployment.chain_id, deployment.constitution)
}

/// A keeper for one deployment, sending as one signer: the run loop with its
/// collectors (the suite event stream, polled heads), the alloy executor, and the
/// `/metrics` + `/health` server.
#[derive(Debug)]
pub struct ChainKeeper {
    viable: Viable<DynProvider>,
    signer: SignerProvider,
    config: KeeperConfig,
    health: Arc<Health>,
}

impl ChainKeeper {
    /// A keeper for `viable`'s deployment sending as `signer`. `viable` must be built
    /// on `signer.provider()`: one provider per signer.
    pub fn new(
        viable: Viable<DynProvider>,
        signer: SignerProvider,
        config: KeeperConfig,
    ) -> Result<Self> {
        config.validate("config")?;
        let health = Arc::new(Health::new(Duration::from_secs(config.health_stale_secs)));
        Ok(Self { viable, signer, config, health })
    }

    /// What `/health` reports (also while the keeper runs).
    pub fn health(&self) -> Arc<Health> {
        self.health.clone()
    }

    /// How often the node is asked for new blocks and logs.
    pub fn poll_interval(&self) -> Duration {
        self.config
            .poll_interval_ms
            .map(Duration::from_millis)
            .unwrap_or_else(|| self.signer.provider().client().poll_interval())
    }

    /// Run until `cancel` fires: restore the state file (or start at the deployment
    /// block), follow the chain, perform what is due, and on cancellation finish the
    /// actions in flight, save the state and return the summary. Serves `/metrics`
    /// (from `metrics`, the installed recorder's handle) and `/health` if the
    /// configuration says so. If an input closes, everything is restarted from the
    /// saved state. If the chain goes back below the cursor (a node restarted from
    /// older state, a reorg deeper than the confirmations), the state file is set aside
    /// and everything is rebuilt from the deployment block.
    pub async fn run(
        self,
        metrics: Option<PrometheusHandle>,
        cancel: CancellationToken,
    ) -> Result<Summary> {
        let poll = self.poll_interval();
        let directory = Directory::default();
        let executor = Arc::new(ChainExecutor::new(
            self.viable.clone(),
            self.signer.clone(),
            directory.clone(),
            Duration::from_secs(self.config.receipt_timeout_secs),
            poll,
        ));
        let scope = scope(self.viable.deployment());
        let start = Cursor::start_of(self.viable.deployment().deploy_block);
        let stop_server = CancellationToken::new();
        let server = if self.config.metrics {
            let addr = self.config.metrics_addr;
            let listener = tokio::net::TcpListener::bind(addr).await.map_err(|e| {
                KeeperError::Server { addr: addr.to_string(), message: e.to_string() }
            })?;
            let serve =
                metrics::serve_on(listener, metrics, self.health.clone(), stop_server.clone());
            Some(tokio::spawn(serve))
        } else {
            None
        };
        tracing::info!(
            target: "viable::keeper",
            signer = %self.signer.from(),
            %scope,
            poll_ms = poll.as_millis() as u64,
            confirmations = self.config.confirmations,
            "starting"
        );

        let result = loop {
            let (config, scope, exec) = (self.config.clone(), scope.clone(), executor.clone());
            let made = tokio::task::spawn_blocking(move || Keeper::new(config, scope, exec, start))
                .await
                .map_err(|e| KeeperError::Task(e.to_string()))?;
            let keeper = match made {
                Ok(k) => k.with_health(self.health.clone()),
                Err(e) => break Err(e),
            };
            let round = cancel.child_token();
            let (events_tx, events) = mpsc::channel(EVENT_BUFFER);
            let (heads_tx, heads) = watch::channel(None);
            let source = SuiteEvents::new(
                self.viable.clone(),
                directory.clone(),
                self.config.confirmations,
                poll,
            );
            let events_task = tokio::spawn(collector::run_events(
                source,
                keeper.cursor(),
                events_tx,
                round.clone(),
            ));
            let head_source = PolledHeads::new(self.signer.provider().clone(), poll);
            let heads_task =
                tokio::spawn(collector::run_heads(head_source, heads_tx, round.clone()));
            let ran = keeper.run(Inputs { events, heads }, round.clone()).await;
            round.cancel();
            let _ = events_task.await;
            let _ = heads_task.await;
            match ran {
                Err(KeeperError::InputClosed(what)) if !cancel.is_cancelled() => {
                    tracing::warn!(target: "viable::keeper", input = what, "an input closed; restarting from the saved state");
                    tokio::select! {
                        _ = cancel.cancelled() => {}
                        _ = tokio::time::sleep(Duration::from_secs(1)) => {}
                    }
                }
                Err(KeeperError::ChainChanged { head }) if !cancel.is_cancelled() => {
                    tracing::info!(target: "viable::keeper", head, "the chain changed above the cursor; reading again from the cursor");
                }
                Err(KeeperError::ChainRewound { head, cursor }) if !cancel.is_cancelled() => {
                    // The saved state was built from events this chain no longer has:
                    // set it aside and rebuild from the deployment block. Items done on
                    // the lost chain and undone on this one come due again.
                    let file = StateFile::new(&self.config.state_file);
                    let moved = tokio::task::spawn_blocking(move || file.set_aside(cursor))
                        .await
                        .map_err(|e| KeeperError::Task(e.to_string()))??;
                    // Module addresses may have changed with the lost blocks.
                    directory.forget();
                    metrics::rewound();
                    tracing::warn!(target: "viable::keeper", head, cursor, set_aside = ?moved, "the chain went back below the cursor; rebuilding from the deployment block");
                    tokio::select! {
                        _ = cancel.cancelled() => {}
                        _ = tokio::time::sleep(Duration::from_secs(1)) => {}
                    }
                }
                other => break other,
            }
        };
        stop_server.cancel();
        if let Some(server) = server {
            match server.await {
                Ok(Err(e)) => {
                    tracing::warn!(target: "viable::keeper", error = %e, "metrics server")
                }
                Err(e) => {
                    tracing::warn!(target: "viable::keeper", error = %e, "metrics server task")
                }
                Ok(Ok(())) => {}
            }
        }
        result
    }
}
