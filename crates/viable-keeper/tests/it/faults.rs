//! RPC faults: a keeper whose every request passes a lossy hop that drops or delays
//! about a fifth of them still does every due duty, and each once.
//!
//! The hop is a tower layer in the keeper's RPC client, in front of anvil: of every
//! hundred requests it fails ten without forwarding them (a refused connection), lets
//! five through and loses the answer (a connection dropped after the node acted, so a
//! transaction may be in the pool though its send failed), and holds five for 200 ms
//! to 1 s.

use std::{
    sync::{
        Arc,
        atomic::{AtomicU64, Ordering},
    },
    task::{Context, Poll},
    time::Duration,
};

use alloy::{
    providers::ext::AnvilApi,
    rpc::{
        client::ClientBuilder,
        json_rpc::{RequestPacket, ResponsePacket},
    },
    transports::{TransportError, TransportErrorKind, TransportFut},
};
use viable_keeper::chain::RpcMetrics;

use crate::{Chain, KEEPER, Running, amendment, config};

/// What the lossy hop did.
#[derive(Debug, Default)]
struct Losses {
    dropped: AtomicU64,
    lost_answers: AtomicU64,
    delayed: AtomicU64,
    passed: AtomicU64,
}

#[derive(Clone)]
struct Lossy {
    state: Arc<AtomicU64>,
    losses: Arc<Losses>,
}

impl Lossy {
    fn new(seed: u64) -> Self {
        Self { state: Arc::new(AtomicU64::new(seed)), losses: Arc::default() }
    }

    /// A number in 0..100 (xorshift64, shared by every clone).
    fn roll(&self) -> u64 {
        let mut next = 0;
        let _ = self.state.fetch_update(Ordering::SeqCst, Ordering::SeqCst, |mut x| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            next = x;
            Some(x)
        });
        next % 100
    }
}

impl<S> tower::Layer<S> for Lossy {
    type Service = LossyService<S>;
    fn layer(&self, inner: S) -> LossyService<S> {
        LossyService { inner, lossy: self.clone() }
    }
}

#[derive(Clone)]
struct LossyService<S> {
    inner: S,
    lossy: Lossy,
}

impl<S> tower::Service<RequestPacket> for LossyService<S>
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
        let roll = self.lossy.roll();
        let delay = Duration::from_millis(200 + self.lossy.roll() * 8);
        let losses = self.lossy.losses.clone();
        let mut inner = self.inner.clone();
        Box::pin(async move {
            match roll {
                0..10 => {
                    losses.dropped.fetch_add(1, Ordering::Relaxed);
                    Err(TransportErrorKind::custom_str("lossy hop: connection refused"))
                }
                10..15 => {
                    let _ = inner.call(req).await;
                    losses.lost_answers.fetch_add(1, Ordering::Relaxed);
                    Err(TransportErrorKind::custom_str("lossy hop: connection reset"))
                }
                15..20 => {
                    losses.delayed.fetch_add(1, Ordering::Relaxed);
                    tokio::time::sleep(delay).await;
                    inner.call(req).await
                }
                _ => {
                    losses.passed.fetch_add(1, Ordering::Relaxed);
                    inner.call(req).await
                }
            }
        })
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lossy_rpc_delays_duties_but_every_one_is_done_once() {
    let chain = Chain::spawn().await;
    let dir = tempfile::tempdir().unwrap();
    let ids = chain.propose(&[(amendment("through a lossy rpc"), true)]).await;
    let schema = chain.attested_schema(60).await;
    let packets = chain.submit(schema, 20).await;

    let lossy = Lossy::new(0x5eed_1e53);
    let losses = lossy.losses.clone();
    let metrics = RpcMetrics::new();
    let rpc = metrics.counts();
    let client =
        ClientBuilder::default().layer(metrics).layer(lossy).http(chain.anvil.endpoint_url());
    let keeper =
        Running::start_with(&chain, KEEPER, config(&dir.path().join("k.json")), client, rpc);

    // A block a second, as on a real chain (the keeper's clock runs on heads).
    chain.provider.anvil_set_interval_mining(1).await.unwrap();
    let c = chain.viable.constitution();
    let vote_end = c.amendment(ids[0]).await.unwrap().vote_end;
    chain.warp_to(vote_end.max(chain.deadline(&packets).await) + 1).await;
    let due = std::time::Instant::now();
    chain
        .until(60, "every packet expired and the amendment queued", || async {
            let e = chain.expiries().await;
            let a = chain.amendment_events().await;
            packets.iter().all(|p| e.contains_key(&p.0))
                && a.get(&ids[0].0).is_some_and(|(q, _)| !q.is_empty())
        })
        .await;
    let cleared = due.elapsed();
    let eta = c.amendment(ids[0]).await.unwrap().eta;
    chain.warp_to(eta).await;
    chain
        // As long as the first phase allows: a send whose nonce the node never saw
        // holds later ones until its gap is filled after a receipt timeout (10 s).
        // One run in about 25 took over 30 s here (CI, on a loaded machine).
        .until(60, "the amendment executed", || async {
            chain.amendment_events().await.get(&ids[0].0).is_some_and(|(_, x)| !x.is_empty())
        })
        .await;
    chain.advance(1).await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    let summary = keeper.stop().await;

    let expiries = chain.expiries().await;
    assert_eq!(expiries.len(), packets.len());
    assert!(expiries.values().all(|(n, _)| *n == 1), "each packet expired once");
    let (q, x) = &chain.amendment_events().await[&ids[0].0];
    assert_eq!((q.len(), x.len()), (1, 1), "queued and executed once");
    let dropped = losses.dropped.load(Ordering::Relaxed)
        + losses.lost_answers.load(Ordering::Relaxed)
        + losses.delayed.load(Ordering::Relaxed);
    let total = dropped + losses.passed.load(Ordering::Relaxed);
    assert!(dropped * 100 >= total * 10, "the hop really was lossy: {losses:?}");
    let (ok, reverted, fills) = chain.sent_by(KEEPER).await;
    println!(
        "lossy rpc: {total} requests, {} failed to answer and {} held back; the keeper's \
         transactions: {ok} succeeded (22 duties), {reverted} reverted, {fills} nonce gaps \
         filled; 21 due duties cleared {:.1} s after they came due; {summary:?}",
        losses.dropped.load(Ordering::Relaxed) + losses.lost_answers.load(Ordering::Relaxed),
        losses.delayed.load(Ordering::Relaxed),
        cleared.as_secs_f64(),
    );
    assert_eq!(ok, 22, "each successful transaction is one duty");
    assert_eq!(summary.pending, 0, "{summary:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_nonce_the_node_never_saw_is_filled_so_later_transactions_are_mined() {
    let chain = Chain::spawn().await;
    let dir = tempfile::tempdir().unwrap();
    let schema = chain.attested_schema(60).await;
    let packets = chain.submit(schema, 1).await;
    let keeper = Running::start(&chain, KEEPER, config(&dir.path().join("k.json")));
    chain.advance(1).await;
    keeper.caught_up(chain.last_event_block().await).await;
    // A transaction the node lost: its nonce is taken, nothing with it ever arrives.
    let lost = keeper.signer.nonces().next(keeper.signer.provider(), chain.address(KEEPER)).await;
    assert_eq!(lost.unwrap(), 0);
    chain.warp_to(chain.deadline(&packets).await + 1).await;
    chain.until(20, "the packet expired", || async { chain.expiries().await.len() == 1 }).await;
    let summary = keeper.stop().await;
    assert_eq!(chain.sent_by(KEEPER).await, (1, 0, 1), "one expiry behind one filled gap");
    assert_eq!((summary.done, summary.reverted), (1, 0), "{summary:?}");
}
