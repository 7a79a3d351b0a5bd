//! The run loop: collectors → duties → executor.
//!
//! One task owns the duties and the cursor. It waits for whichever comes first — an
//! event, a new head, an action's outcome, the next deadline, the next checkpoint, or
//! cancellation — handles it, hands every due action to the executor (at most
//! `max_in_flight` at once, each in its own task), and writes the state file now and
//! then. Nothing in the loop unwraps or panics: a failed action comes back as a
//! classified [`Outcome`], a panicking executor task as a transient failure, a closed
//! input ends the loop with [`KeeperError::InputClosed`] after saving the state.

use std::{
    collections::{HashMap, VecDeque},
    sync::Arc,
    time::Duration,
};

use tokio::{
    sync::{mpsc, watch},
    task::JoinSet,
    time::Instant,
};
use tokio_util::sync::CancellationToken;

use crate::{
    action::Action,
    checkpoint::{Checkpoint, StateFile},
    config::KeeperConfig,
    duty::Duties,
    error::{KeeperError, Result},
    executor::{ExecError, Executor, FailureKind, Outcome, execute},
    ledger::Disposition,
    metrics::{self, Health},
    observed::{Cursor, Event, Head, Timestamp},
};

/// How long a check of the cursor's block may take before it counts as unknown.
const CHECK_TIMEOUT_SECS: u64 = 10;
/// Checks in a row that find no block at the cursor's height before the chain counts as
/// gone back (one such answer may come from a lagging node behind a load balancer).
const MISSING_CHECKS: u32 = 3;

/// What became of the cursor's block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CursorBlock {
    /// Still on the chain (or nothing applied yet).
    There,
    /// Another block at its height, or none for several checks in a row.
    Gone,
    /// Could not be told this time.
    Unknown,
}

/// The run loop's inputs, fed by the collectors ([`crate::collector`]).
#[derive(Debug)]
pub struct Inputs {
    /// Events in chain order (bounded: back-pressure, never dropped).
    pub events: mpsc::Receiver<Event>,
    /// The latest head (only the newest matters).
    pub heads: watch::Receiver<Option<Head>>,
}

/// What a run did, returned when it ends.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// The cursor saved last.
    pub cursor: Cursor,
    /// Actions done (transactions succeeded, reads answered).
    pub done: u64,
    /// Our transactions that reverted on chain.
    pub reverted: u64,
    /// Actions skipped (already done, not yet, lapsed).
    pub skipped: u64,
    /// Transient failures (retried).
    pub failed: u64,
    /// Items given up on.
    pub gave_up: u64,
    /// Items still tracked at the end.
    pub pending: usize,
    /// Actions still in flight or queued when the loop stopped (done again after a
    /// restart if still due).
    pub abandoned: usize,
}

/// The keeper's clock: the latest head's timestamp, run forward by the local clock
/// for at most `extrapolate` seconds until the next head arrives.
#[derive(Debug)]
struct Clock {
    head: Option<Head>,
    seen: Instant,
    extrapolate: u64,
}

impl Clock {
    fn set(&mut self, head: Head) {
        self.head = Some(head);
        self.seen = Instant::now();
    }

    fn now(&self) -> Option<Timestamp> {
        let h = self.head?;
        Some(h.timestamp.saturating_add(self.seen.elapsed().as_secs().min(self.extrapolate)))
    }

    /// When chain time `t` is reached by this clock (`None`: only a new head can tell).
    fn instant_for(&self, t: Timestamp) -> Option<Instant> {
        let h = self.head?;
        let ahead = t.saturating_sub(h.timestamp);
        (ahead <= self.extrapolate).then(|| self.seen + Duration::from_secs(ahead))
    }
}

async fn sleep_until(at: Option<Instant>) {
    match at {
        Some(at) => tokio::time::sleep_until(at).await,
        None => std::future::pending().await,
    }
}

/// The keeper: duties, cursor, state file and executor.
#[derive(Debug)]
pub struct Keeper<E> {
    config: KeeperConfig,
    scope: String,
    executor: Arc<E>,
    duties: Duties,
    cursor: Cursor,
    /// The hash of the cursor's block, when the events carry it.
    cursor_hash: Option<alloy_primitives::B256>,
    /// The head collector's counts last checked ([`Head::breaks`], [`Head::reconnects`]).
    breaks_checked: u64,
    reconnects_checked: u64,
    /// Consecutive checks that found no block at the cursor's height.
    missing: u32,
    state_file: StateFile,
    health: Arc<Health>,
    summary: Summary,
}

impl<E: Executor> Keeper<E> {
    /// A keeper for the deployment named `scope` (see [`Checkpoint::scope`]). Restores
    /// the state file if there is one; otherwise starts at `config.start_block`, or at
    /// `start` (the deployment block) if that is unset. Reads the file: call it before
    /// the loop, not inside async code that must not block.
    pub fn new(
        config: KeeperConfig,
        scope: impl Into<String>,
        executor: Arc<E>,
        start: Cursor,
    ) -> Result<Self> {
        config.validate("config")?;
        let scope = scope.into();
        let state_file = StateFile::new(&config.state_file);
        let duty_config = config.duty_config();
        let (duties, cursor, cursor_hash) = match state_file.load(&scope)? {
            Some(cp) => {
                tracing::info!(
                    target: "viable::keeper",
                    file = %state_file.path().display(),
                    block = cp.cursor.block,
                    items = cp.state.len(),
                    "restored state"
                );
                (Duties::restore(&duty_config, cp.state), cp.cursor, cp.cursor_hash)
            }
            None => (
                Duties::new(&duty_config),
                config.start_block.map_or(start, Cursor::start_of),
                None,
            ),
        };
        let health = Arc::new(Health::new(Duration::from_secs(config.health_stale_secs)));
        health.set_cursor(cursor.block);
        Ok(Self {
            config,
            scope,
            executor,
            duties,
            cursor,
            cursor_hash,
            breaks_checked: 0,
            reconnects_checked: 0,
            missing: 0,
            state_file,
            health,
            summary: Summary::default(),
        })
    }

    /// Where the event collector must resume: every event after this position.
    pub fn cursor(&self) -> Cursor {
        self.cursor
    }

    /// The duties (to inspect state).
    pub fn duties(&self) -> &Duties {
        &self.duties
    }

    /// The health the `/health` endpoint reports.
    pub fn health(&self) -> Arc<Health> {
        self.health.clone()
    }

    /// Report to `health` instead of a health of its own, so a caller that restarts
    /// the keeper (after [`KeeperError::InputClosed`]) serves one `/health` throughout.
    pub fn with_health(mut self, health: Arc<Health>) -> Self {
        health.set_cursor(self.cursor.block);
        self.health = health;
        self
    }

    /// Apply one event unless it is at or before the cursor.
    fn apply(&mut self, event: Event) -> bool {
        if event.cursor <= self.cursor {
            metrics::replayed();
            tracing::debug!(target: "viable::keeper", at = ?event.cursor, "event already processed");
            return false;
        }
        metrics::event(event.observed.module());
        tracing::debug!(target: "viable::keeper", at = ?event.cursor, observed = ?event.observed, also = ?event.also, "event");
        self.duties.apply(event.observed);
        for also in event.also {
            self.duties.apply(also);
        }
        self.cursor = event.cursor;
        self.cursor_hash = event.block_hash;
        self.health.set_cursor(self.cursor.block);
        true
    }

    /// Is the cursor's block still on the chain? Asked after a break or a reconnect
    /// in the heads, and before each periodic save.
    async fn cursor_block(&mut self, head: u64) -> CursorBlock {
        if self.cursor.log_index.is_none() {
            // Nothing applied yet (a fresh start): nothing to lose; a chain that has
            // not reached the start block is simply waited for.
            return CursorBlock::There;
        }
        let Some(expected) = self.cursor_hash else {
            // A state file from before hashes were kept: only the height can tell.
            return if head < self.cursor.block { CursorBlock::Gone } else { CursorBlock::There };
        };
        let lookup = tokio::time::timeout(
            Duration::from_secs(CHECK_TIMEOUT_SECS),
            self.executor.block_hash(self.cursor.block),
        )
        .await;
        match lookup {
            Ok(Ok(Some(hash))) if hash == expected => {
                self.missing = 0;
                CursorBlock::There
            }
            Ok(Ok(Some(found))) => {
                tracing::warn!(target: "viable::keeper", block = self.cursor.block, ?expected, ?found, "the cursor's block is no longer on the chain");
                CursorBlock::Gone
            }
            Ok(Ok(None)) => {
                // No block at that height: the chain went back, or a lagging node
                // behind a load balancer answered. Only a repeated answer counts.
                self.missing += 1;
                if self.missing >= MISSING_CHECKS {
                    tracing::warn!(target: "viable::keeper", block = self.cursor.block, checks = self.missing, "the cursor's block is missing from the chain");
                    CursorBlock::Gone
                } else {
                    CursorBlock::Unknown
                }
            }
            Ok(Err(e)) => {
                tracing::warn!(target: "viable::keeper", error = %e.reason, "cannot check the cursor's block; will check at the next head");
                CursorBlock::Unknown
            }
            Err(_) => {
                tracing::warn!(target: "viable::keeper", "checking the cursor's block timed out; will check at the next head");
                CursorBlock::Unknown
            }
        }
    }

    /// A new head: after a break or a reconnect, check the cursor's block. `Err` ends
    /// the run: [`KeeperError::ChainRewound`] if the block is gone,
    /// [`KeeperError::ChainChanged`] after a break that kept it (the event stream must
    /// read again from the cursor).
    async fn on_head(&mut self, head: &Head) -> Result<()> {
        let broke = head.breaks > self.breaks_checked;
        if !broke && head.reconnects <= self.reconnects_checked {
            return Ok(());
        }
        match self.cursor_block(head.number).await {
            CursorBlock::Gone => {
                Err(KeeperError::ChainRewound { head: head.number, cursor: self.cursor.block })
            }
            // Checked again at the next head: the counters stay.
            CursorBlock::Unknown => Ok(()),
            CursorBlock::There => {
                (self.breaks_checked, self.reconnects_checked) = (head.breaks, head.reconnects);
                if broke { Err(KeeperError::ChainChanged { head: head.number }) } else { Ok(()) }
            }
        }
    }

    /// Report an outcome to the duties; `true` if the saved state should change.
    fn settle(&mut self, action: &Action, outcome: Outcome, now: Timestamp) -> bool {
        metrics::outcome(action, &outcome);
        let d = self.duties.on_outcome(action, &outcome, now);
        match &outcome {
            Outcome::Confirmed { tx, gas_used, .. } => {
                self.summary.done += 1;
                tracing::info!(target: "viable::keeper", %action, %tx, gas_used, "done");
            }
            Outcome::Observed(o) => {
                self.summary.done += 1;
                tracing::debug!(target: "viable::keeper", %action, answer = ?o, "read");
            }
            Outcome::Reverted { tx, .. } => {
                self.summary.reverted += 1;
                tracing::warn!(target: "viable::keeper", %action, %tx, next = ?d, "transaction reverted on chain");
            }
            Outcome::Failed(e) => match e.kind {
                FailureKind::AlreadyDone => {
                    self.summary.skipped += 1;
                    tracing::info!(target: "viable::keeper", %action, reason = %e.reason, "skipped: already done");
                }
                FailureKind::NotYet { .. } => {
                    self.summary.skipped += 1;
                    tracing::info!(target: "viable::keeper", %action, reason = %e.reason, next = ?d, "skipped: not yet");
                }
                FailureKind::Transient => {
                    self.summary.failed += 1;
                    tracing::warn!(target: "viable::keeper", %action, reason = %e.reason, next = ?d, "failed; will retry");
                }
                FailureKind::Permanent => {
                    tracing::error!(target: "viable::keeper", %action, reason = %e.reason, "failed for good; giving up");
                }
            },
        }
        if d == Disposition::GaveUp {
            self.summary.gave_up += 1;
        }
        matches!(d, Disposition::GaveUp | Disposition::Forgotten | Disposition::Answered)
    }

    /// Write the state file (off the async threads).
    async fn save(&self) -> Result<()> {
        let cp = Checkpoint::new(self.scope.clone(), self.cursor, self.duties.snapshot())
            .with_cursor_hash(self.cursor_hash);
        let bytes = cp.to_bytes()?;
        let file = self.state_file.clone();
        tokio::task::spawn_blocking(move || file.write(&bytes))
            .await
            .map_err(|e| KeeperError::Task(e.to_string()))?
    }

    /// Run until `cancel` fires (then finish in-flight actions for up to
    /// `shutdown_grace_secs`, save, and return the summary) or an input closes (same,
    /// then [`KeeperError::InputClosed`]). After a break or a reconnect in the heads
    /// ([`Head::breaks`], [`Head::reconnects`]) and before each periodic save, the
    /// cursor's block is looked up: another block at its height (or none, three times
    /// in a row) ends the run with [`KeeperError::ChainRewound`] without saving, since
    /// the state describes a chain that is gone; a break that kept it ends the run with
    /// [`KeeperError::ChainChanged`] after saving, so the caller restarts the event
    /// stream from the cursor.
    pub async fn run(mut self, mut inputs: Inputs, cancel: CancellationToken) -> Result<Summary> {
        let mut clock = Clock {
            head: None,
            seen: Instant::now(),
            extrapolate: self.config.clock_extrapolation_secs,
        };
        let initial = *inputs.heads.borrow_and_update();
        if let Some(h) = initial {
            self.on_head(&h).await?;
            clock.set(h);
            self.health.saw_head(h.number);
        }
        let max_in_flight = self.config.max_in_flight.max(1);
        let save_every = Duration::from_secs(self.config.checkpoint_every_secs);
        let mut flights: JoinSet<(Action, Outcome)> = JoinSet::new();
        let mut flying: HashMap<tokio::task::Id, Action> = HashMap::new();
        let mut backlog: VecDeque<Action> = VecDeque::new();
        let mut dirty = false;
        let mut last_save = Instant::now();
        tracing::info!(
            target: "viable::keeper",
            cursor = ?self.cursor,
            shard = %self.config.shard,
            pending = ?self.duties.pending(),
            "keeper running"
        );

        let ended: Result<()> = loop {
            // Hand out what is due.
            if let Some(now) = clock.now() {
                backlog.extend(self.duties.due(now));
                for s in self.duties.take_skipped() {
                    metrics::skipped(&s);
                    self.summary.skipped += 1;
                    dirty = true;
                    tracing::info!(target: "viable::keeper", action = s.action, id = %s.id, reason = s.reason, "skipped");
                }
            }
            while flights.len() < max_in_flight {
                let Some(action) = backlog.pop_front() else { break };
                metrics::due(&action);
                tracing::debug!(target: "viable::keeper", %action, "due");
                let executor = self.executor.clone();
                let policy = self.config.retry.clone();
                let token = cancel.clone();
                let owned = action.clone();
                let handle = flights.spawn(async move {
                    let outcome = execute(&*executor, &owned, &policy, &token).await;
                    (owned, outcome)
                });
                flying.insert(handle.id(), action);
            }
            metrics::in_flight(flights.len() + backlog.len());
            metrics::pending(&self.duties.pending());

            if dirty && last_save.elapsed() >= save_every {
                // Never save a state whose last event is no longer on the chain (a deep
                // reorg that regrew past the old head between two polls shows no break).
                if self.cursor_block(clock.head.map_or(u64::MAX, |h| h.number)).await
                    == CursorBlock::Gone
                {
                    break Err(KeeperError::ChainRewound {
                        head: clock.head.map_or(0, |h| h.number),
                        cursor: self.cursor.block,
                    });
                }
                match self.save().await {
                    Ok(()) => dirty = false,
                    Err(e) => {
                        tracing::error!(target: "viable::keeper", error = %e, "cannot save state; will retry")
                    }
                }
                last_save = Instant::now();
            }

            let wake = self.duties.next_wakeup().and_then(|t| clock.instant_for(t));
            let save_at = dirty.then(|| last_save + save_every);
            tokio::select! {
                biased;
                _ = cancel.cancelled() => break Ok(()),
                joined = flights.join_next_with_id(), if !flights.is_empty() => {
                    let now = clock.now().unwrap_or_default();
                    match joined {
                        Some(Ok((id, (action, outcome)))) => {
                            flying.remove(&id);
                            dirty |= self.settle(&action, outcome, now);
                        }
                        Some(Err(e)) => {
                            // The executor task panicked or was aborted.
                            if let Some(action) = flying.remove(&e.id()) {
                                let failure = ExecError::transient(format!("executor task failed: {e}"));
                                dirty |= self.settle(&action, Outcome::Failed(failure), now);
                            }
                        }
                        None => {}
                    }
                }
                changed = inputs.heads.changed() => match changed {
                    Ok(()) => {
                        let head = *inputs.heads.borrow_and_update();
                        if let Some(h) = head {
                            // After a break, events already applied may be gone from
                            // the chain; then the state built on them cannot be trusted.
                            if let Err(e) = self.on_head(&h).await {
                                break Err(e);
                            }
                            self.health.saw_head(h.number);
                            // A lower head on the same chain (a lagging node behind a
                            // load balancer) does not turn the clock back.
                            if clock.head.is_none_or(|c| h.number >= c.number) {
                                clock.set(h);
                            }
                            metrics::positions(Some(h.number), self.cursor.block);
                        }
                    }
                    Err(_) => break Err(KeeperError::InputClosed("heads")),
                },
                event = inputs.events.recv() => match event {
                    Some(event) => {
                        dirty |= self.apply(event);
                        // Take everything already waiting, so a transaction's events
                        // are all applied before anything is judged due.
                        for _ in 0..4096 {
                            match inputs.events.try_recv() {
                                Ok(event) => dirty |= self.apply(event),
                                Err(_) => break,
                            }
                        }
                        metrics::positions(clock.head.map(|h| h.number), self.cursor.block);
                    }
                    None => break Err(KeeperError::InputClosed("events")),
                },
                _ = sleep_until(wake) => {}
                _ = sleep_until(save_at) => {}
            }
        };

        // Shutdown: let actions in flight finish for a while, then save.
        if !flights.is_empty() {
            tracing::info!(target: "viable::keeper", in_flight = flights.len(), "waiting for actions in flight");
        }
        let deadline = Instant::now() + Duration::from_secs(self.config.shutdown_grace_secs);
        while !flights.is_empty() {
            tokio::select! {
                joined = flights.join_next_with_id() => {
                    let now = clock.now().unwrap_or_default();
                    if let Some(Ok((id, (action, outcome)))) = joined {
                        flying.remove(&id);
                        self.settle(&action, outcome, now);
                    }
                }
                _ = tokio::time::sleep_until(deadline) => {
                    flights.abort_all();
                    break;
                }
            }
        }
        self.summary.abandoned = flights.len() + backlog.len();
        flights.shutdown().await;
        if !matches!(ended, Err(KeeperError::ChainRewound { .. })) {
            self.save().await?;
        }
        self.summary.cursor = self.cursor;
        self.summary.pending = self.duties.pending().iter().map(|(_, n)| n).sum();
        tracing::info!(target: "viable::keeper", summary = ?self.summary, "keeper stopped");
        ended.map(|()| self.summary)
    }
}

#[cfg(test)]
mod tests {
    use std::{
        collections::HashSet,
        sync::{Arc, Mutex},
    };

    use alloy_primitives::{B256, TxHash, U256};

    use super::*;
    use crate::{
        duty::Duty,
        executor::Receipt,
        observed::{Observed, PacketResolution, WorkObserved},
    };

    /// A chain stand-in: an action can be done once; a second simulation says so.
    /// Records every send with the head timestamp at that moment.
    struct Chain {
        done: Mutex<HashSet<U256>>,
        sends: Mutex<Vec<(Action, Timestamp)>>,
        heads: watch::Receiver<Option<Head>>,
        sent: mpsc::UnboundedSender<Action>,
        panic_once: Mutex<bool>,
        /// Block hashes changed by a test (`None`: no such block).
        blocks: Mutex<HashMap<u64, Option<B256>>>,
    }

    fn id_of(action: &Action) -> U256 {
        match action {
            Action::ExpirePacket { packet_id } => *packet_id,
            _ => U256::MAX,
        }
    }

    impl Executor for Chain {
        async fn read(&self, _action: &Action) -> Result<Observed, ExecError> {
            Err(ExecError::new(FailureKind::Permanent, "no reads here"))
        }

        async fn simulate(&self, action: &Action) -> Result<(), ExecError> {
            let panic_now = std::mem::take(&mut *self.panic_once.lock().unwrap());
            if panic_now {
                panic!("executor bug");
            }
            if self.done.lock().unwrap().contains(&id_of(action)) {
                return Err(ExecError::new(FailureKind::AlreadyDone, "not pending"));
            }
            Ok(())
        }

        async fn send(&self, action: &Action) -> Result<TxHash, ExecError> {
            let ts = self.heads.borrow().map(|h| h.timestamp).unwrap_or_default();
            self.sends.lock().unwrap().push((action.clone(), ts));
            self.done.lock().unwrap().insert(id_of(action));
            let _ = self.sent.send(action.clone());
            Ok(TxHash::repeat_byte(7))
        }

        async fn wait(&self, tx: TxHash) -> Result<Receipt, ExecError> {
            Ok(Receipt { tx, block: 1, success: true, gas_used: 50_000, effective_gas_price: 1 })
        }

        async fn block_hash(&self, number: u64) -> Result<Option<B256>, ExecError> {
            // Unless a test changed it, block n's hash is the one `pending` and `expired`
            // give their events.
            Ok(self
                .blocks
                .lock()
                .unwrap()
                .get(&number)
                .copied()
                .unwrap_or(Some(block_hash(number))))
        }
    }

    struct Rig {
        events: mpsc::Sender<Event>,
        heads: watch::Sender<Option<Head>>,
        sent: mpsc::UnboundedReceiver<Action>,
        chain: Arc<Chain>,
        health: Arc<Health>,
        cancel: CancellationToken,
        task: tokio::task::JoinHandle<Result<Summary>>,
    }

    fn config(dir: &std::path::Path) -> KeeperConfig {
        KeeperConfig {
            state_file: dir.join("state.json"),
            clock_extrapolation_secs: 0,
            checkpoint_every_secs: 0,
            shutdown_grace_secs: 5,
            ..KeeperConfig::default()
        }
    }

    fn start(dir: &std::path::Path, panic_once: bool) -> Rig {
        let (heads, heads_rx) = watch::channel(None);
        let (events, events_rx) = mpsc::channel(64);
        let (sent_tx, sent) = mpsc::unbounded_channel();
        let chain = Arc::new(Chain {
            done: Mutex::new(HashSet::new()),
            sends: Mutex::new(Vec::new()),
            heads: heads_rx.clone(),
            sent: sent_tx,
            panic_once: Mutex::new(panic_once),
            blocks: Mutex::new(HashMap::new()),
        });
        let keeper = Keeper::new(config(dir), "test", chain.clone(), Cursor::start_of(0)).unwrap();
        let health = keeper.health();
        let cancel = CancellationToken::new();
        let inputs = Inputs { events: events_rx, heads: heads_rx };
        let task = tokio::spawn(keeper.run(inputs, cancel.clone()));
        Rig { events, heads, sent, chain, health, cancel, task }
    }

    /// Wait until the loop has applied the events up to `block`.
    async fn processed(rig: &Rig, block: u64) {
        for _ in 0..1000 {
            if rig.health.report().cursor >= block {
                return;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        panic!("events up to block {block} not processed within 10 s");
    }

    fn pending(block: u64, id: u64, deadline: Timestamp) -> Event {
        Event {
            cursor: Cursor::at(block, 0),
            tx_hash: None,
            block_hash: Some(block_hash(block)),
            observed: Observed::Work(WorkObserved::PacketPending {
                packet_id: U256::from(id),
                deadline,
            }),
            also: Vec::new(),
        }
    }

    fn expired(block: u64, id: u64) -> Event {
        Event {
            cursor: Cursor::at(block, 0),
            tx_hash: None,
            block_hash: Some(block_hash(block)),
            observed: Observed::Work(WorkObserved::PacketResolved {
                packet_id: U256::from(id),
                resolution: PacketResolution::Expired,
            }),
            also: Vec::new(),
        }
    }

    fn head(number: u64, timestamp: Timestamp) -> Option<Head> {
        Some(Head { number, timestamp, ..Head::default() })
    }

    /// A head after the collector's `breaks`-th break and `reconnects`-th reconnect.
    fn head_with(number: u64, timestamp: Timestamp, breaks: u64, reconnects: u64) -> Option<Head> {
        Some(Head { number, timestamp, breaks, reconnects, ..Head::default() })
    }

    fn block_hash(number: u64) -> B256 {
        B256::repeat_byte(number as u8)
    }

    async fn next_sent(rig: &mut Rig) -> Action {
        tokio::time::timeout(Duration::from_secs(10), rig.sent.recv())
            .await
            .expect("an action within 10 s")
            .expect("channel open")
    }

    #[tokio::test]
    async fn performs_each_due_duty_once_at_its_deadline_and_saves_state() {
        let dir = tempfile::tempdir().unwrap();
        let mut rig = start(dir.path(), false);
        rig.heads.send(head(1, 50)).unwrap();
        rig.events.send(pending(1, 1, 100)).await.unwrap();
        rig.events.send(pending(2, 2, 200)).await.unwrap();
        rig.events.send(pending(2, 2, 200)).await.unwrap(); // same position again
        rig.heads.send(head(2, 100)).unwrap();
        rig.heads.send(head(3, 101)).unwrap();
        assert_eq!(next_sent(&mut rig).await, Action::ExpirePacket { packet_id: U256::from(1) });
        rig.events.send(expired(3, 1)).await.unwrap();
        rig.heads.send(head(4, 201)).unwrap();
        assert_eq!(next_sent(&mut rig).await, Action::ExpirePacket { packet_id: U256::from(2) });
        rig.events.send(expired(4, 2)).await.unwrap();
        rig.heads.send(head(5, 10_000)).unwrap();
        processed(&rig, 4).await;
        rig.cancel.cancel();
        let summary = rig.task.await.unwrap().unwrap();
        assert_eq!(summary.done, 2);
        assert_eq!(summary.pending, 0);
        assert_eq!(summary.cursor, Cursor::at(4, 0));
        let sends = rig.chain.sends.lock().unwrap().clone();
        assert_eq!(sends.len(), 2, "each once: {sends:?}");
        // Sent only once the chain's clock passed each deadline.
        assert!(sends[0].1 >= 101 && sends[1].1 >= 201, "{sends:?}");
        let saved = StateFile::new(dir.path().join("state.json")).load("test").unwrap().unwrap();
        assert_eq!(saved.cursor, Cursor::at(4, 0));
        assert!(saved.state.is_empty());
    }

    #[tokio::test]
    async fn restart_restores_open_items_and_cursor() {
        let dir = tempfile::tempdir().unwrap();
        let rig = start(dir.path(), false);
        rig.events.send(pending(7, 1, 1_000)).await.unwrap();
        rig.heads.send(head(7, 500)).unwrap();
        processed(&rig, 7).await;
        rig.cancel.cancel();
        let summary = rig.task.await.unwrap().unwrap();
        assert_eq!((summary.cursor, summary.pending), (Cursor::at(7, 0), 1));

        let mut rig = start(dir.path(), false);
        // The event stream resumes after the cursor; a replay of block 7 is ignored.
        rig.events.send(pending(7, 1, 1_000)).await.unwrap();
        rig.heads.send(head(8, 1_001)).unwrap();
        assert_eq!(next_sent(&mut rig).await, Action::ExpirePacket { packet_id: U256::from(1) });
        rig.cancel.cancel();
        let summary = rig.task.await.unwrap().unwrap();
        assert_eq!(summary.done, 1);
        assert_eq!(rig.chain.sends.lock().unwrap().len(), 1);
    }

    #[tokio::test]
    async fn executor_panic_is_a_transient_failure_not_a_crash() {
        let dir = tempfile::tempdir().unwrap();
        let mut rig = start(dir.path(), true);
        rig.events.send(pending(1, 1, 10)).await.unwrap();
        rig.heads.send(head(1, 11)).unwrap();
        // The first attempt panics inside the executor; the retry (after the backoff,
        // counted in chain seconds) goes through once the clock passes it.
        for (n, ts) in (2..).zip([15u64, 20, 40, 80, 200]) {
            rig.heads.send(head(n, ts)).unwrap();
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        assert_eq!(next_sent(&mut rig).await, Action::ExpirePacket { packet_id: U256::from(1) });
        rig.cancel.cancel();
        let summary = rig.task.await.unwrap().unwrap();
        assert_eq!((summary.failed, summary.done), (1, 1));
    }

    #[tokio::test]
    async fn closed_input_ends_the_loop_with_an_error_after_saving() {
        let dir = tempfile::tempdir().unwrap();
        let rig = start(dir.path(), false);
        rig.events.send(pending(3, 1, 1_000)).await.unwrap();
        drop(rig.events);
        let err = rig.task.await.unwrap().unwrap_err();
        assert!(matches!(err, KeeperError::InputClosed("events")), "{err}");
        let saved = StateFile::new(dir.path().join("state.json")).load("test").unwrap().unwrap();
        assert_eq!(saved.cursor, Cursor::at(3, 0));
        assert_eq!(saved.state.len(), 1);
    }

    async fn ended(rig: Rig) -> Result<Summary> {
        tokio::time::timeout(Duration::from_secs(10), rig.task)
            .await
            .expect("the run ends")
            .unwrap()
    }

    /// A rig with one pending packet applied at block 9 (deadline 1,000).
    async fn at_block_nine(dir: &std::path::Path) -> Rig {
        let rig = start(dir, false);
        rig.heads.send(head(9, 500)).unwrap();
        rig.events.send(pending(9, 1, 1_000)).await.unwrap();
        processed(&rig, 9).await;
        rig
    }

    /// Send `h` and give the loop time to take it (the watch keeps only the newest).
    async fn show(rig: &Rig, h: Option<Head>) {
        rig.heads.send(h).unwrap();
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    #[tokio::test]
    async fn a_cursor_block_missing_three_times_in_a_row_ends_the_run() {
        let dir = tempfile::tempdir().unwrap();
        let rig = at_block_nine(dir.path()).await;
        // The node comes back from older state: no block 9 any more. One answer could
        // be a lagging node, so the run goes on until the third.
        rig.chain.blocks.lock().unwrap().insert(9, None);
        show(&rig, head_with(8, 400, 1, 0)).await;
        show(&rig, head_with(8, 400, 1, 0)).await;
        assert!(!rig.task.is_finished(), "two answers are not enough");
        show(&rig, head_with(8, 400, 1, 0)).await;
        let err = ended(rig).await.unwrap_err();
        assert!(matches!(err, KeeperError::ChainRewound { head: 8, cursor: 9 }), "{err}");
    }

    #[tokio::test]
    async fn another_block_at_the_cursors_height_ends_the_run_unsaved() {
        let dir = tempfile::tempdir().unwrap();
        let rig = at_block_nine(dir.path()).await;
        // Saved with the packet of block 9 before the chain changes.
        let file = StateFile::new(dir.path().join("state.json"));
        assert_eq!(file.load("test").unwrap().map(|cp| cp.state.len()), Some(1));
        std::fs::remove_file(file.path()).unwrap();
        // The chain was replaced and grew past the cursor again after a reconnect, but
        // block 9 is another block: its pending packet may not exist.
        rig.chain.blocks.lock().unwrap().insert(9, Some(B256::repeat_byte(0xee)));
        rig.heads.send(head_with(12, 560, 0, 1)).unwrap();
        let err = ended(rig).await.unwrap_err();
        assert!(matches!(err, KeeperError::ChainRewound { head: 12, cursor: 9 }), "{err}");
        assert_eq!(file.load("test").unwrap(), None, "nothing saved from the lost chain");
    }

    #[tokio::test]
    async fn a_break_that_kept_the_cursors_block_restarts_from_the_cursor_after_saving() {
        let dir = tempfile::tempdir().unwrap();
        let rig = at_block_nine(dir.path()).await;
        // A reorg above the cursor: block 9 stands, but blocks the event stream read
        // past it may have changed.
        rig.heads.send(head_with(11, 990, 1, 0)).unwrap();
        let err = ended(rig).await.unwrap_err();
        assert!(matches!(err, KeeperError::ChainChanged { head: 11 }), "{err}");
        let saved = StateFile::new(dir.path().join("state.json")).load("test").unwrap().unwrap();
        assert_eq!((saved.cursor, saved.cursor_hash), (Cursor::at(9, 0), Some(block_hash(9))));
    }

    #[tokio::test]
    async fn a_reconnect_that_kept_the_cursors_block_changes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let mut rig = at_block_nine(dir.path()).await;
        // A lower head after a reconnect (a lagging node): block 9 is still there.
        show(&rig, head_with(8, 400, 0, 1)).await;
        assert!(!rig.task.is_finished());
        rig.heads.send(head_with(12, 1_001, 0, 1)).unwrap();
        assert_eq!(next_sent(&mut rig).await, Action::ExpirePacket { packet_id: U256::from(1) });
        rig.cancel.cancel();
        let summary = ended(rig).await.unwrap();
        assert_eq!(summary.done, 1);
    }

    #[test]
    fn events_at_or_before_the_cursor_are_ignored() {
        let dir = tempfile::tempdir().unwrap();
        let (_heads, heads_rx) = watch::channel(None);
        let (sent, _rx) = mpsc::unbounded_channel();
        let chain = Arc::new(Chain {
            done: Mutex::new(HashSet::new()),
            sends: Mutex::new(Vec::new()),
            heads: heads_rx,
            sent,
            panic_once: Mutex::new(false),
            blocks: Mutex::new(HashMap::new()),
        });
        // No memory of finished items: only the cursor stands between a replay and a
        // second expiry.
        let config = KeeperConfig { memory: 0, ..config(dir.path()) };
        let mut keeper = Keeper::new(config, "test", chain, Cursor::start_of(5)).unwrap();
        assert!(!keeper.apply(pending(4, 1, 100)), "before the start");
        assert!(keeper.apply(pending(5, 1, 100)));
        assert!(keeper.apply(expired(6, 1)));
        assert!(!keeper.apply(pending(5, 1, 100)), "replayed");
        assert!(!keeper.apply(expired(6, 1)), "replayed");
        assert_eq!(keeper.duties().work.pending(), 0);
        assert_eq!(keeper.cursor(), Cursor::at(6, 0));
    }

    #[test]
    fn clock_runs_ahead_of_the_head_only_within_the_bound() {
        let mut c = Clock { head: None, seen: Instant::now(), extrapolate: 12 };
        assert_eq!(c.now(), None);
        c.set(Head { number: 1, timestamp: 1_000, ..Head::default() });
        assert_eq!(c.now(), Some(1_000));
        assert!(c.instant_for(1_012).is_some());
        assert_eq!(c.instant_for(1_013), None, "beyond the bound only a new head tells");
        assert!(c.instant_for(900).is_some_and(|i| i <= Instant::now()));
    }
}
