//! Prometheus metrics and the `/metrics` + `/health` endpoints.
//!
//! Counters and gauges go through the `metrics` facade (a no-op until a recorder is
//! installed, so tests and embedders pay nothing); [`install_recorder`] installs
//! `metrics-exporter-prometheus`'s recorder and [`serve`] exposes it with axum next to
//! a health check. Every name the keeper records is a constant here.

use std::{
    net::SocketAddr,
    sync::{
        Arc,
        atomic::{AtomicU64, Ordering},
    },
    time::{Duration, Instant},
};

use axum::{Json, Router, extract::State, http::StatusCode, response::IntoResponse, routing::get};
use metrics::{counter, describe_counter, describe_gauge, gauge};
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};
use serde::Serialize;
use tokio_util::sync::CancellationToken;

use crate::{
    action::{Action, Module},
    duty::Skipped,
    error::{KeeperError, Result},
    executor::{FailureKind, Outcome},
};

/// Actions that became due and were handed to the executor (`module`, `action`).
pub const DUTIES_DUE: &str = "viable_keeper_duties_due_total";
/// Actions whose transaction succeeded, or reads answered (`module`, `action`).
pub const DUTIES_DONE: &str = "viable_keeper_duties_done_total";
/// Actions not sent, by reason: `already_done`, `not_yet`, `expired` (`module`,
/// `action`, `reason`).
pub const DUTIES_SKIPPED: &str = "viable_keeper_duties_skipped_total";
/// Actions that failed: `transient` (retried) or `permanent` (given up) (`module`,
/// `action`, `kind`).
pub const DUTIES_FAILED: &str = "viable_keeper_duties_failed_total";
/// Our transactions mined but reverted (`module`, `action`).
pub const TX_REVERTED: &str = "viable_keeper_tx_reverted_total";
/// Gas used by our transactions, reverted ones included (`module`, `action`).
pub const GAS_SPENT: &str = "viable_keeper_gas_spent_total";
/// Fees paid, gwei (`module`).
pub const FEES_GWEI: &str = "viable_keeper_fees_gwei_total";
/// Items each duty tracks (`module`).
pub const PENDING_ITEMS: &str = "viable_keeper_pending_items";
/// Actions handed to the executor and not yet answered.
pub const IN_FLIGHT: &str = "viable_keeper_in_flight";
/// Latest head block seen.
pub const HEAD_BLOCK: &str = "viable_keeper_head_block";
/// Block of the last processed event.
pub const CURSOR_BLOCK: &str = "viable_keeper_cursor_block";
/// Head block minus cursor block.
pub const LAG_BLOCKS: &str = "viable_keeper_lag_blocks";
/// Events applied (`module`).
pub const EVENTS: &str = "viable_keeper_events_total";
/// Events ignored because they were at or before the cursor.
pub const EVENTS_REPLAYED: &str = "viable_keeper_events_replayed_total";
/// RPC requests made by the chain adapter (`method`).
pub const RPC_REQUESTS: &str = "viable_keeper_rpc_requests_total";
/// RPC requests that failed (`method`).
pub const RPC_ERRORS: &str = "viable_keeper_rpc_errors_total";
/// Times a collector's stream was reopened after ending or failing (`collector`).
pub const COLLECTOR_RESTARTS: &str = "viable_keeper_collector_restarts_total";
/// Nonces the chain adapter filled with an empty transfer because a send was lost on
/// the way and later transactions waited behind it.
pub const NONCE_GAPS_FILLED: &str = "viable_keeper_nonce_gaps_filled_total";
/// Times the chain went back below the cursor, so the state file was set aside and
/// the state rebuilt from the deployment block.
pub const CHAIN_REWINDS: &str = "viable_keeper_chain_rewinds_total";

/// Describe every metric to the installed recorder.
pub fn describe() {
    describe_counter!(DUTIES_DUE, "Actions that became due and were handed to the executor");
    describe_counter!(DUTIES_DONE, "Actions done: transaction succeeded or read answered");
    describe_counter!(DUTIES_SKIPPED, "Actions not sent, by reason");
    describe_counter!(DUTIES_FAILED, "Actions that failed, by kind");
    describe_counter!(TX_REVERTED, "Keeper transactions mined but reverted");
    describe_counter!(GAS_SPENT, "Gas used by keeper transactions");
    describe_counter!(FEES_GWEI, "Fees paid by keeper transactions, gwei");
    describe_gauge!(PENDING_ITEMS, "Items tracked per duty");
    describe_gauge!(IN_FLIGHT, "Actions in flight");
    describe_gauge!(HEAD_BLOCK, "Latest head block");
    describe_gauge!(CURSOR_BLOCK, "Block of the last processed event");
    describe_gauge!(LAG_BLOCKS, "Head block minus cursor block");
    describe_counter!(EVENTS, "Events applied");
    describe_counter!(EVENTS_REPLAYED, "Events ignored as already processed");
    describe_counter!(RPC_REQUESTS, "RPC requests");
    describe_counter!(RPC_ERRORS, "RPC requests that failed");
    describe_counter!(COLLECTOR_RESTARTS, "Collector streams reopened");
    describe_counter!(NONCE_GAPS_FILLED, "Nonce gaps filled with an empty transfer");
    describe_counter!(
        CHAIN_REWINDS,
        "Times the chain went back below the cursor and the state was rebuilt"
    );
}

/// Install the Prometheus recorder process-wide and describe the metrics. Fails if a
/// recorder is already installed.
pub fn install_recorder() -> Result<PrometheusHandle> {
    let handle = PrometheusBuilder::new().install_recorder().map_err(|e| KeeperError::Server {
        addr: String::from("(recorder)"),
        message: e.to_string(),
    })?;
    describe();
    Ok(handle)
}

/// Count one RPC request of `method` (for the chain adapter).
pub fn rpc_request(method: &'static str) {
    counter!(RPC_REQUESTS, "method" => method).increment(1);
}

/// Count one failed RPC request of `method` (for the chain adapter).
pub fn rpc_error(method: &'static str) {
    counter!(RPC_ERRORS, "method" => method).increment(1);
}

pub(crate) fn due(action: &Action) {
    counter!(DUTIES_DUE, "module" => action.module().as_str(), "action" => action.name())
        .increment(1);
}

pub(crate) fn skipped(s: &Skipped) {
    counter!(DUTIES_SKIPPED, "module" => s.module.as_str(), "action" => s.action, "reason" => s.reason)
        .increment(1);
}

pub(crate) fn outcome(action: &Action, outcome: &Outcome) {
    let module = action.module().as_str();
    let name = action.name();
    let spent = |gas_used: u64, fee_wei: u128| {
        counter!(GAS_SPENT, "module" => module, "action" => name).increment(gas_used);
        let gwei = u64::try_from(fee_wei / 1_000_000_000).unwrap_or(u64::MAX);
        counter!(FEES_GWEI, "module" => module).increment(gwei);
    };
    match outcome {
        Outcome::Confirmed { gas_used, fee_wei, .. } => {
            counter!(DUTIES_DONE, "module" => module, "action" => name).increment(1);
            spent(*gas_used, *fee_wei);
        }
        Outcome::Observed(_) => {
            counter!(DUTIES_DONE, "module" => module, "action" => name).increment(1);
        }
        Outcome::Reverted { gas_used, fee_wei, .. } => {
            counter!(TX_REVERTED, "module" => module, "action" => name).increment(1);
            spent(*gas_used, *fee_wei);
        }
        Outcome::Failed(e) => match e.kind {
            FailureKind::AlreadyDone | FailureKind::NotYet { .. } => {
                counter!(DUTIES_SKIPPED, "module" => module, "action" => name, "reason" => e.kind.as_str())
                    .increment(1);
            }
            FailureKind::Transient | FailureKind::Permanent => {
                counter!(DUTIES_FAILED, "module" => module, "action" => name, "kind" => e.kind.as_str())
                    .increment(1);
            }
        },
    }
}

pub(crate) fn pending(per_module: &[(Module, usize)]) {
    for (module, n) in per_module {
        gauge!(PENDING_ITEMS, "module" => module.as_str()).set(*n as f64);
    }
}

pub(crate) fn in_flight(n: usize) {
    gauge!(IN_FLIGHT).set(n as f64);
}

pub(crate) fn event(module: Module) {
    counter!(EVENTS, "module" => module.as_str()).increment(1);
}

pub(crate) fn replayed() {
    counter!(EVENTS_REPLAYED).increment(1);
}

pub(crate) fn nonce_gap_filled() {
    counter!(NONCE_GAPS_FILLED).increment(1);
}

pub(crate) fn rewound() {
    counter!(CHAIN_REWINDS).increment(1);
}

pub(crate) fn collector_restart(collector: &'static str) {
    counter!(COLLECTOR_RESTARTS, "collector" => collector).increment(1);
}

pub(crate) fn positions(head: Option<u64>, cursor: u64) {
    gauge!(CURSOR_BLOCK).set(cursor as f64);
    if let Some(head) = head {
        gauge!(HEAD_BLOCK).set(head as f64);
        gauge!(LAG_BLOCKS).set(head.saturating_sub(cursor) as f64);
    }
}

/// What `/health` reports, updated by the run loop.
#[derive(Debug)]
pub struct Health {
    started: Instant,
    stale_after: Duration,
    /// Milliseconds after `started` when the last head arrived (`u64::MAX`: none yet).
    head_seen_ms: AtomicU64,
    head: AtomicU64,
    cursor: AtomicU64,
}

/// The `/health` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HealthReport {
    /// `ok`, `stale` (no head for too long) or `starting` (no head yet).
    pub status: &'static str,
    /// Latest head block.
    pub head: Option<u64>,
    /// Block of the last processed event.
    pub cursor: u64,
    /// `head − cursor`.
    pub lag_blocks: Option<u64>,
    /// Seconds since the last head arrived.
    pub seconds_since_head: Option<u64>,
}

impl Health {
    /// Healthy while a head arrived within `stale_after`.
    pub fn new(stale_after: Duration) -> Self {
        Self {
            started: Instant::now(),
            stale_after,
            head_seen_ms: AtomicU64::new(u64::MAX),
            head: AtomicU64::new(0),
            cursor: AtomicU64::new(0),
        }
    }

    pub(crate) fn saw_head(&self, number: u64) {
        let ms = u64::try_from(self.started.elapsed().as_millis()).unwrap_or(u64::MAX - 1);
        self.head.store(number, Ordering::Relaxed);
        self.head_seen_ms.store(ms, Ordering::Relaxed);
    }

    pub(crate) fn set_cursor(&self, block: u64) {
        self.cursor.store(block, Ordering::Relaxed);
    }

    /// The current report.
    pub fn report(&self) -> HealthReport {
        let seen = self.head_seen_ms.load(Ordering::Relaxed);
        let cursor = self.cursor.load(Ordering::Relaxed);
        if seen == u64::MAX {
            return HealthReport {
                status: "starting",
                head: None,
                cursor,
                lag_blocks: None,
                seconds_since_head: None,
            };
        }
        let now_ms = u64::try_from(self.started.elapsed().as_millis()).unwrap_or(u64::MAX);
        let age = Duration::from_millis(now_ms.saturating_sub(seen));
        let head = self.head.load(Ordering::Relaxed);
        HealthReport {
            status: if age > self.stale_after { "stale" } else { "ok" },
            head: Some(head),
            cursor,
            lag_blocks: Some(head.saturating_sub(cursor)),
            seconds_since_head: Some(age.as_secs()),
        }
    }
}

#[derive(Clone)]
struct AppState {
    handle: Option<PrometheusHandle>,
    health: Arc<Health>,
}

/// The HTTP routes: `GET /metrics` (Prometheus text; empty without a recorder) and
/// `GET /health` (JSON [`HealthReport`], 200 when ok, 503 otherwise).
pub fn router(handle: Option<PrometheusHandle>, health: Arc<Health>) -> Router {
    Router::new()
        .route("/metrics", get(render_metrics))
        .route("/health", get(render_health))
        .with_state(AppState { handle, health })
}

async fn render_metrics(State(state): State<AppState>) -> impl IntoResponse {
    let body = state.handle.as_ref().map(PrometheusHandle::render).unwrap_or_default();
    ([("content-type", "text/plain; version=0.0.4")], body)
}

async fn render_health(State(state): State<AppState>) -> impl IntoResponse {
    let report = state.health.report();
    let code = if report.status == "ok" { StatusCode::OK } else { StatusCode::SERVICE_UNAVAILABLE };
    (code, Json(report))
}

/// Bind `addr` and serve [`router`] until `cancel` fires. Also runs the recorder's
/// upkeep every few seconds.
pub async fn serve(
    addr: SocketAddr,
    handle: Option<PrometheusHandle>,
    health: Arc<Health>,
    cancel: CancellationToken,
) -> Result<()> {
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| KeeperError::Server { addr: addr.to_string(), message: e.to_string() })?;
    serve_on(listener, handle, health, cancel).await
}

/// Like [`serve`], on a listener already bound (e.g. to port 0 in tests).
pub async fn serve_on(
    listener: tokio::net::TcpListener,
    handle: Option<PrometheusHandle>,
    health: Arc<Health>,
    cancel: CancellationToken,
) -> Result<()> {
    let addr = listener.local_addr().map(|a| a.to_string()).unwrap_or_default();
    tracing::info!(target: "viable::keeper", %addr, "serving /metrics and /health");
    if let Some(h) = handle.clone() {
        let cancel = cancel.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_secs(5));
            loop {
                tokio::select! {
                    _ = cancel.cancelled() => break,
                    _ = tick.tick() => h.run_upkeep(),
                }
            }
        });
    }
    axum::serve(listener, router(handle, health))
        .with_graceful_shutdown(cancel.cancelled_owned())
        .await
        .map_err(|e| KeeperError::Server { addr, message: e.to_string() })
}

#[cfg(test)]
mod tests {
    use alloy_primitives::{TxHash, U256};
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    use super::*;
    use crate::executor::ExecError;

    async fn get(addr: SocketAddr, path: &str) -> String {
        let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
        let req = format!("GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        s.write_all(req.as_bytes()).await.unwrap();
        let mut out = String::new();
        s.read_to_string(&mut out).await.unwrap();
        out
    }

    #[tokio::test]
    async fn serves_metrics_and_health() {
        let recorder = PrometheusBuilder::new().build_recorder();
        let handle = recorder.handle();
        let action = Action::ExpirePacket { packet_id: U256::from(1) };
        metrics::with_local_recorder(&recorder, || {
            due(&action);
            outcome(
                &action,
                &Outcome::Confirmed { tx: TxHash::ZERO, gas_used: 42_000, fee_wei: 0 },
            );
            outcome(&action, &Outcome::Failed(ExecError::new(FailureKind::AlreadyDone, "x")));
            rpc_request("eth_call");
        });
        let health = Arc::new(Health::new(Duration::from_secs(60)));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let cancel = CancellationToken::new();
        let server = tokio::spawn(serve_on(listener, Some(handle), health.clone(), cancel.clone()));

        let body = get(addr, "/metrics").await;
        assert!(body.contains("200 OK"), "{body}");
        assert!(
            body.contains(
                r#"viable_keeper_duties_due_total{module="work",action="expire_packet"} 1"#
            ),
            "{body}"
        );
        assert!(
            body.contains(
                r#"viable_keeper_gas_spent_total{module="work",action="expire_packet"} 42000"#
            ),
            "{body}"
        );
        assert!(body.contains(r#"reason="already_done""#), "{body}");
        assert!(
            body.contains(r#"viable_keeper_rpc_requests_total{method="eth_call"} 1"#),
            "{body}"
        );

        let body = get(addr, "/health").await;
        assert!(body.contains("503") && body.contains(r#""status":"starting""#), "{body}");
        health.saw_head(12);
        health.set_cursor(10);
        let body = get(addr, "/health").await;
        assert!(body.contains("200 OK") && body.contains(r#""lag_blocks":2"#), "{body}");

        cancel.cancel();
        server.await.unwrap().unwrap();
    }

    #[test]
    fn health_goes_stale_without_heads() {
        let h = Health::new(Duration::ZERO);
        h.saw_head(1);
        std::thread::sleep(Duration::from_millis(5));
        assert_eq!(h.report().status, "stale");
    }
}
