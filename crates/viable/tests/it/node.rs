//! A hosted node's limits in front of anvil: `eth_getLogs` over more than a few
//! blocks is refused (as public RPCs do), and every request takes a little time, so
//! the tests can see whether the SDK reads in bounded pages and in parallel.

use std::{
    sync::{
        Arc,
        atomic::{AtomicUsize, Ordering},
    },
    task::{Context, Poll},
    time::Duration,
};

use alloy::{
    network::EthereumWallet,
    node_bindings::AnvilInstance,
    primitives::{B256, U256},
    providers::{DynProvider, Provider, ProviderBuilder},
    rpc::{
        client::ClientBuilder,
        json_rpc::{ErrorPayload, RequestPacket, Response, ResponsePacket, ResponsePayload},
    },
    signers::local::PrivateKeySigner,
    transports::{TransportError, TransportFut},
};
use viable::{
    Amendment, ParamKey, Viable,
    work::{SchemaDef, Value},
};

use crate::Chain;

/// What the limited node saw.
#[derive(Debug, Default)]
pub(crate) struct Seen {
    in_flight: AtomicUsize,
    /// Most requests in flight at once.
    pub(crate) peak: AtomicUsize,
    /// `eth_getLogs` requests refused for their range.
    pub(crate) refused: AtomicUsize,
    /// Widest `eth_getLogs` range answered.
    pub(crate) widest: AtomicUsize,
}

#[derive(Clone)]
struct Limits {
    max_log_blocks: u64,
    latency: Duration,
    seen: Arc<Seen>,
}

impl<S> tower::Layer<S> for Limits {
    type Service = Limited<S>;
    fn layer(&self, inner: S) -> Limited<S> {
        Limited { inner, limits: self.clone() }
    }
}

#[derive(Clone)]
struct Limited<S> {
    inner: S,
    limits: Limits,
}

/// The block range of an `eth_getLogs` request (`None`: unbounded, e.g. up to "latest").
fn log_range(req: &alloy::rpc::json_rpc::SerializedRequest) -> Option<Option<u64>> {
    if req.method() != "eth_getLogs" {
        return None;
    }
    let params: serde_json::Value = serde_json::from_str(req.params()?.get()).ok()?;
    let f = &params[0];
    let num = |v: &serde_json::Value| {
        v.as_str().and_then(|s| u64::from_str_radix(s.trim_start_matches("0x"), 16).ok())
    };
    Some(match (num(&f["fromBlock"]), num(&f["toBlock"])) {
        (Some(a), Some(b)) => Some(b.saturating_sub(a) + 1),
        _ => None,
    })
}

impl<S> tower::Service<RequestPacket> for Limited<S>
where
    S: tower::Service<RequestPacket, Response = ResponsePacket, Error = TransportError>
        + Clone
        + Send
        + 'static,
    S::Future: Send + 'static,
{
    type Response = ResponsePacket;
    type Error = TransportError;
    type Future = TransportFut<'static>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, req: RequestPacket) -> Self::Future {
        let limits = self.limits.clone();
        let mut inner = self.inner.clone();
        Box::pin(async move {
            let seen = &limits.seen;
            let now = seen.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
            seen.peak.fetch_max(now, Ordering::SeqCst);
            tokio::time::sleep(limits.latency).await;
            let refuse = match &req {
                RequestPacket::Single(r) => match log_range(r) {
                    Some(Some(n)) if n <= limits.max_log_blocks => {
                        seen.widest.fetch_max(n as usize, Ordering::SeqCst);
                        None
                    }
                    Some(_) => Some(r.id().clone()),
                    None => None,
                },
                RequestPacket::Batch(_) => None,
            };
            let out = match refuse {
                Some(id) => {
                    seen.refused.fetch_add(1, Ordering::SeqCst);
                    let error: ErrorPayload = serde_json::from_value(serde_json::json!({
                        "code": -32005,
                        "message": format!("block range too large (at most {})", limits.max_log_blocks),
                    }))
                    .unwrap();
                    Ok(ResponsePacket::Single(Response {
                        id,
                        payload: ResponsePayload::Failure(error),
                    }))
                }
                None => inner.call(req).await,
            };
            seen.in_flight.fetch_sub(1, Ordering::SeqCst);
            out
        })
    }
}

/// A provider for `anvil` signing as account `index`, through a node that answers
/// `eth_getLogs` over at most `max_log_blocks` blocks and takes `latency` per request.
pub(crate) fn limited(
    anvil: &AnvilInstance,
    index: usize,
    max_log_blocks: u64,
    latency: Duration,
) -> (DynProvider, Arc<Seen>) {
    let seen = Arc::new(Seen::default());
    let client = ClientBuilder::default()
        .layer(Limits { max_log_blocks, latency, seen: seen.clone() })
        .http(anvil.endpoint_url());
    let signer: PrivateKeySigner = anvil.keys()[index].clone().into();
    let provider =
        ProviderBuilder::new().wallet(EthereumWallet::from(signer)).connect_client(client).erased();
    (provider, seen)
}

#[tokio::test]
async fn every_log_scan_reads_bounded_pages_from_a_node_that_refuses_wide_ranges() {
    let chain = Chain::spawn();
    let viable = chain.deploy_dev().await;
    let schema = SchemaDef::from_toml_str(
        "name = \"t\"\nacceptance = { mode = \"immediate\" }\n[[fields]]\ntype = \"uint256\"\n",
        "t",
    )
    .unwrap()
    .resolve(16, 600)
    .unwrap();
    let id = viable.work().register_schema(&schema).await.unwrap();
    let packet = viable
        .work()
        .submit_values(id, B256::repeat_byte(1), &[Value::Uint(U256::from(1))])
        .await
        .unwrap();
    // A long history: 150 blocks between the deployment and now.
    crate::mine(&chain.provider, 150).await;
    let amendment =
        Amendment::new().set_param(ParamKey::LocksMaxTtl, U256::from(600)).description("t");
    chain.pass(&viable, &amendment).await;
    crate::mine(&chain.provider, 150).await;

    let (provider, seen) = limited(&chain.anvil, 0, 16, Duration::ZERO);
    let limited = Viable::new(provider, viable.deployment().clone());
    let c = limited.constitution();
    let proposals = c.amendments().await.unwrap();
    assert_eq!(proposals.len(), 1);
    assert_eq!(c.proposed(proposals[0].id).await.unwrap(), proposals[0]);
    assert_eq!(limited.work().packet(packet).await.unwrap().id, packet);
    assert_eq!(limited.work().packets(None, None, 10).await.unwrap().len(), 1);
    let events = limited
        .events(limited.deployment().deploy_block)
        .confirmations(0)
        .backfill()
        .await
        .unwrap();
    let direct =
        viable.events(viable.deployment().deploy_block).confirmations(0).backfill().await.unwrap();
    assert_eq!(events, direct);
    assert!(seen.refused.load(Ordering::SeqCst) > 0, "the default pages are wider than 16 blocks");
    assert!(seen.widest.load(Ordering::SeqCst) <= 16);
}

#[tokio::test]
async fn reads_of_many_values_go_out_together() {
    let chain = Chain::spawn();
    let viable = chain.deploy_dev().await;
    let (provider, seen) = limited(&chain.anvil, 0, 1_000, Duration::from_millis(40));
    let slow = Viable::new(provider, viable.deployment().clone());
    let state = slow.constitution().state().await.unwrap();
    assert_eq!(state, viable.constitution().state().await.unwrap());
    let peak = seen.peak.load(Ordering::SeqCst);
    assert!(peak >= 5, "the constitution's state is read in parallel (peak {peak} in flight)");
}
