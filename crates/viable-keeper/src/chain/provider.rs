//! One provider per signer, shared by cloning, and the RPC client under it.
//!
//! Fees come from alloy's gas filler; nonces from the keeper's own manager
//! ([`Nonces`]), which the provider's nonce filler also uses. It hands out nonces from
//! a local counter like alloy's cached manager (so actions in flight at once never
//! collide), and the executor reports back on each send: a nonce whose send failed
//! without the node taking it is handed out again first, so a lost request does not
//! leave a gap every later transaction waits behind; a node that says the counter is
//! behind makes it ask again. That is why there must be exactly one provider per
//! signer: two counters for one key collide.

use std::{
    borrow::Cow,
    collections::{BTreeSet, HashMap},
    sync::{
        Arc,
        atomic::{AtomicU64, Ordering},
    },
    task::{Context, Poll},
};

use alloy::{
    network::{EthereumWallet, Network},
    primitives::Address,
    providers::{DynProvider, Provider, ProviderBuilder, fillers::NonceManager},
    rpc::{
        client::RpcClient,
        json_rpc::{Id, RequestPacket, ResponsePacket},
    },
    signers::local::PrivateKeySigner,
    transports::{TransportError, TransportFut, TransportResult},
};

use crate::metrics;

/// Who signs the keeper's transactions.
#[derive(Debug, Clone)]
pub enum Signer {
    /// A private key held by the keeper: transactions are signed here and sent raw.
    Key(PrivateKeySigner),
    /// An account the node signs for (anvil's dev accounts): transactions are sent
    /// with `eth_sendTransaction`.
    Node(Address),
}

impl Signer {
    /// The signing account.
    pub fn address(&self) -> Address {
        match self {
            Self::Key(k) => k.address(),
            Self::Node(a) => *a,
        }
    }
}

/// The keeper's nonce manager: a local counter per account, fetched from the node's
/// pending count when unknown, and the nonces whose sends failed, handed out again
/// first (see the module docs).
#[derive(Debug, Clone, Default)]
pub struct Nonces {
    accounts: Arc<tokio::sync::Mutex<HashMap<Address, Account>>>,
}

#[derive(Debug, Default)]
struct Account {
    /// The next fresh nonce (`None`: ask the node).
    next: Option<u64>,
    /// Nonces taken by sends that failed, lowest first.
    free: BTreeSet<u64>,
}

impl Nonces {
    /// The nonce for `address`'s next transaction: a released one if any, else the
    /// next fresh one.
    pub async fn next<P, N>(&self, provider: &P, address: Address) -> TransportResult<u64>
    where
        P: Provider<N>,
        N: Network,
    {
        // Held across the fetch, so two first sends do not both fetch the same nonce.
        let mut accounts = self.accounts.lock().await;
        let account = accounts.entry(address).or_default();
        if let Some(n) = account.free.pop_first() {
            return Ok(n);
        }
        let nonce = match account.next {
            Some(n) => n,
            None => provider.get_transaction_count(address).pending().await?,
        };
        account.next = Some(nonce + 1);
        Ok(nonce)
    }

    /// The send that took `nonce` failed and, as far as the keeper can tell, the node
    /// did not take it: hand it out again before any fresh one. (If the node did take
    /// it after all, the next send with it is refused as a replacement and the nonce
    /// is dropped.)
    pub async fn release(&self, address: Address, nonce: u64) {
        let mut accounts = self.accounts.lock().await;
        if let Some(account) = accounts.get_mut(&address)
            && account.next.is_some_and(|next| nonce < next)
        {
            account.free.insert(nonce);
        }
    }

    /// Take `nonce` out of the released ones (it is being used another way).
    pub async fn claim(&self, address: Address, nonce: u64) {
        if let Some(account) = self.accounts.lock().await.get_mut(&address) {
            account.free.remove(&nonce);
        }
    }

    /// The node says `address`'s nonces are behind (`nonce too low`): forget the
    /// counter and the released nonces; the next transaction asks the node.
    pub async fn resync(&self, address: Address) {
        self.accounts.lock().await.remove(&address);
    }
}

#[async_trait::async_trait]
impl NonceManager for Nonces {
    async fn get_next_nonce<P, N>(&self, provider: &P, address: Address) -> TransportResult<u64>
    where
        P: Provider<N>,
        N: Network,
    {
        self.next(provider, address).await
    }
}

/// The keeper's one provider for one signer. Clone it to share it; never build a
/// second one for the same key.
#[derive(Debug, Clone)]
pub struct SignerProvider {
    provider: DynProvider,
    from: Address,
    nonces: Nonces,
}

impl SignerProvider {
    /// A provider over `client` sending as `signer`: gas and fees by alloy's gas
    /// filler, nonces by [`Nonces`], the chain id fetched once.
    pub fn new(client: RpcClient, signer: Signer) -> Self {
        let nonces = Nonces::default();
        let from = signer.address();
        let builder = ProviderBuilder::new()
            .disable_recommended_fillers()
            .with_gas_estimation()
            .with_nonce_management(nonces.clone())
            .fetch_chain_id();
        let provider = match signer {
            Signer::Key(key) => {
                builder.wallet(EthereumWallet::from(key)).connect_client(client).erased()
            }
            Signer::Node(_) => builder.connect_client(client).erased(),
        };
        Self { provider, from, nonces }
    }

    /// The provider (also for reads: the keeper reads through the same client).
    pub fn provider(&self) -> &DynProvider {
        &self.provider
    }

    /// The signing account.
    pub fn from(&self) -> Address {
        self.from
    }

    /// The nonce manager.
    pub fn nonces(&self) -> &Nonces {
        &self.nonces
    }
}

/// Counts of the requests that went through an [`RpcMetrics`] layer.
#[derive(Debug, Default)]
pub struct RpcCounts {
    requests: AtomicU64,
    errors: AtomicU64,
}

impl RpcCounts {
    /// JSON-RPC requests sent (each request of a batch counts).
    pub fn requests(&self) -> u64 {
        self.requests.load(Ordering::Relaxed)
    }

    /// Requests that failed: no answer, or an error answer.
    pub fn errors(&self) -> u64 {
        self.errors.load(Ordering::Relaxed)
    }
}

/// A tower layer for the RPC client that counts every request by method, in the
/// keeper's metrics (`viable_keeper_rpc_requests_total`, `…_rpc_errors_total`) and in
/// its own [`RpcCounts`].
#[derive(Debug, Clone, Default)]
pub struct RpcMetrics {
    counts: Arc<RpcCounts>,
}

impl RpcMetrics {
    /// A layer with fresh counts.
    pub fn new() -> Self {
        Self::default()
    }

    /// The counts, shared with every client built with this layer.
    pub fn counts(&self) -> Arc<RpcCounts> {
        self.counts.clone()
    }
}

impl<S> tower::Layer<S> for RpcMetrics {
    type Service = Counted<S>;

    fn layer(&self, inner: S) -> Counted<S> {
        Counted { inner, counts: self.counts.clone() }
    }
}

/// The service [`RpcMetrics`] wraps around a transport.
#[derive(Debug, Clone)]
pub struct Counted<S> {
    inner: S,
    counts: Arc<RpcCounts>,
}

/// A method name as a metrics label: alloy names its methods with static strings.
fn label(method: Cow<'static, str>) -> &'static str {
    match method {
        Cow::Borrowed(m) => m,
        Cow::Owned(_) => "other",
    }
}

impl<S> tower::Service<RequestPacket> for Counted<S>
where
    S: tower::Service<RequestPacket, Response = ResponsePacket, Error = TransportError>
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
        let methods: Vec<(Id, &'static str)> =
            req.requests().iter().map(|r| (r.id().clone(), label(r.method_clone()))).collect();
        for (_, m) in &methods {
            metrics::rpc_request(m);
        }
        let counts = self.counts.clone();
        counts.requests.fetch_add(methods.len() as u64, Ordering::Relaxed);
        let fut = self.inner.call(req);
        Box::pin(async move {
            let out = fut.await;
            let failed: Vec<&'static str> = match &out {
                Err(_) => methods.iter().map(|(_, m)| *m).collect(),
                Ok(response) => response
                    .responses()
                    .iter()
                    .filter(|r| r.is_error())
                    .map(|r| {
                        methods.iter().find(|(id, _)| *id == r.id).map_or("other", |(_, m)| *m)
                    })
                    .collect(),
            };
            for m in &failed {
                metrics::rpc_error(m);
            }
            counts.errors.fetch_add(failed.len() as u64, Ordering::Relaxed);
            out
        })
    }
}

#[cfg(test)]
mod tests {
    use alloy::{primitives::U64, transports::mock::Asserter};

    use super::*;

    #[tokio::test]
    async fn released_nonces_come_back_first_and_resync_asks_the_node() {
        let asserter = Asserter::new();
        let provider = ProviderBuilder::new().connect_mocked_client(asserter.clone());
        let nonces = Nonces::default();
        let a = Address::repeat_byte(1);
        asserter.push_success(&U64::from(7));
        for want in [7, 8, 9] {
            assert_eq!(nonces.next(&provider, a).await.unwrap(), want);
        }
        nonces.release(a, 8).await;
        nonces.release(a, 20).await; // never handed out: ignored
        assert_eq!(nonces.next(&provider, a).await.unwrap(), 8);
        assert_eq!(nonces.next(&provider, a).await.unwrap(), 10);
        nonces.release(a, 9).await;
        nonces.claim(a, 9).await; // filled another way
        assert_eq!(nonces.next(&provider, a).await.unwrap(), 11);
        nonces.release(a, 10).await;
        nonces.resync(a).await;
        asserter.push_success(&U64::from(30));
        assert_eq!(nonces.next(&provider, a).await.unwrap(), 30, "asked the node again");
    }
}
