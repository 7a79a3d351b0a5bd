//! Which transactions a command sent: a transport layer sees every
//! `eth_sendRawTransaction` / `eth_sendTransaction` answer, so each write reports its
//! transaction hash whatever SDK call made it, and `--async` can return as soon as
//! the node has accepted the transaction.

use std::{
    sync::Arc,
    task::{Context, Poll},
};

use alloy::{
    primitives::TxHash,
    rpc::json_rpc::{RequestPacket, ResponsePacket},
    transports::{TransportError, TransportFut},
};
use tokio::sync::watch;

/// The hashes of the transactions sent through one provider, in order.
#[derive(Debug, Clone)]
pub(crate) struct Recorder {
    sent: Arc<watch::Sender<Vec<TxHash>>>,
}

impl Recorder {
    pub(crate) fn new() -> Self {
        Self { sent: Arc::new(watch::channel(Vec::new()).0) }
    }

    /// Everything sent so far.
    pub(crate) fn hashes(&self) -> Vec<TxHash> {
        self.sent.borrow().clone()
    }

    /// How many were sent so far.
    pub(crate) fn count(&self) -> usize {
        self.sent.borrow().len()
    }

    /// Wait until more than `after` transactions were sent; the newest hash.
    pub(crate) async fn next_after(&self, after: usize) -> TxHash {
        let mut rx = self.sent.subscribe();
        let list = rx.wait_for(|l| l.len() > after).await.expect("the sender lives in self");
        *list.last().expect("non-empty")
    }
}

impl<S> tower::Layer<S> for Recorder {
    type Service = Recording<S>;
    fn layer(&self, inner: S) -> Recording<S> {
        Recording { inner, recorder: self.clone() }
    }
}

/// The transport with a [`Recorder`] listening.
#[derive(Debug, Clone)]
pub(crate) struct Recording<S> {
    inner: S,
    recorder: Recorder,
}

impl<S> tower::Service<RequestPacket> for Recording<S>
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
        let sends = match &req {
            RequestPacket::Single(r) => {
                matches!(r.method(), "eth_sendRawTransaction" | "eth_sendTransaction")
            }
            RequestPacket::Batch(_) => false,
        };
        let recorder = self.recorder.clone();
        let fut = self.inner.call(req);
        Box::pin(async move {
            let resp = fut.await?;
            if sends
                && let ResponsePacket::Single(r) = &resp
                && let Some(Ok(hash)) = r
                    .payload
                    .as_success()
                    .map(|raw| serde_json::from_str::<TxHash>(raw.get()).map_err(|e| e.to_string()))
            {
                recorder.sent.send_modify(|l| l.push(hash));
            }
            Ok(resp)
        })
    }
}
