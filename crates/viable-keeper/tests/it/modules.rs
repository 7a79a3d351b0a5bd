//! The Locks, Treasury and Strategy duties on a real chain, each due item performed
//! within two blocks of the first block whose timestamp allows it (blocks mined by
//! hand, the keeper acting only on heads, as in `duties.rs`), once, and nothing else
//! sent. Each test prints the gas of the keeper's transactions (docs/keeper.md).

use std::{collections::HashMap, path::Path};

use alloy::{
    primitives::{Address, B256, U256},
    providers::Provider,
};
use viable::{
    Amendment, ParamKey, SuiteEvent,
    bindings::{
        CoordinationLocks::CoordinationLocksEvents,
        OptimizationTreasury::OptimizationTreasuryEvents,
        StrategyProposals::StrategyProposalsEvents,
    },
    locks::{Mode, RequestState, Resource},
    strategy::{Crossing, ProposalId, Target, encode_suggested_actions},
    treasury::NewLine,
    work::{PacketId, SchemaDef, Value},
};
use viable_keeper::KeeperConfig;

use crate::{CONTRIBUTOR, Chain, KEEPER, Running};

fn config(state_file: &Path) -> KeeperConfig {
    KeeperConfig { clock_extrapolation_secs: 0, ..crate::config(state_file) }
}

/// 10^18.
pub(crate) fn ether() -> U256 {
    U256::from(10u64).pow(U256::from(18))
}

/// An Immediate schema (packets Accepted at once).
pub(crate) async fn immediate_schema(chain: &Chain, name: &str) -> B256 {
    let text = format!(
        "name = \"{name}\"\nacceptance = {{ mode = \"immediate\" }}\n[[fields]]\ntype = \"uint256\"\n"
    );
    let schema = SchemaDef::from_toml_str(&text, "t").unwrap().resolve(16, 600).unwrap();
    chain.viable.work().register_schema(&schema).await.unwrap()
}

/// `n` Accepted packets of `schema` by `who`.
pub(crate) async fn accepted(chain: &Chain, schema: B256, who: usize, n: usize) -> Vec<PacketId> {
    let work = chain.as_account(who).work();
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        static SALT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1 << 40);
        let s = SALT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let salt = alloy::primitives::keccak256(s.to_be_bytes());
        let value = if attested_fields(chain, schema).await {
            Value::Bytes32(salt)
        } else {
            Value::Uint(U256::from(s))
        };
        out.push(work.submit_values(schema, salt, &[value]).await.unwrap());
    }
    out
}

/// Whether `schema` is the Attested test schema (one bytes32 field) rather than
/// [`immediate_schema`] (one uint256).
async fn attested_fields(chain: &Chain, schema: B256) -> bool {
    let s = chain.viable.work().contract().await.unwrap().schema(schema).call().await.unwrap();
    s.acceptance.mode == 1
}

/// One packet of Attested `schema` by `who`, attested by accounts 2 and 3 (Accepted).
pub(crate) async fn attested(chain: &Chain, schema: B256, who: usize) -> PacketId {
    let p = accepted(chain, schema, who, 1).await[0];
    for i in [2, 3] {
        // Under load a send occasionally reverts without data; the setup retries it.
        let work = chain.as_account(i).work();
        for tries in 0.. {
            match work.attest(p).await {
                Ok(_) => break,
                Err(e) if tries < 3 => eprintln!("setup: attest failed ({e}); again"),
                Err(e) => panic!("attest: {e}"),
            }
        }
    }
    p
}

/// Propose, vote, queue and execute `amendment` as the driver (accounts 0-2), with
/// no keeper running.
pub(crate) async fn pass(chain: &Chain, amendment: &Amendment) {
    let c = chain.viable.constitution();
    chain.advance(2).await;
    let id = c.propose(amendment).await.unwrap();
    chain.advance(61).await;
    for i in 0..3 {
        let v = chain.as_account(i).constitution();
        v.vote(id, viable::Support::For, None).await.unwrap();
    }
    chain.advance(300).await;
    c.queue(id).await.unwrap();
    let timelock = c.param(ParamKey::LegitTimelock).await.unwrap();
    chain.advance(timelock.to::<u64>() + 1).await;
    c.execute(id).await.unwrap();
}

/// For each id the event names: how many times, and the last block.
async fn seen(
    chain: &Chain,
    pick: impl Fn(&SuiteEvent) -> Option<U256>,
) -> HashMap<U256, (usize, u64)> {
    let mut out: HashMap<U256, (usize, u64)> = HashMap::new();
    for log in chain.events().await {
        if let Some(id) = pick(&log.event) {
            let e = out.entry(id).or_default();
            *e = (e.0 + 1, log.block_number);
        }
    }
    out
}

/// Lock expiries by packet.
pub(crate) async fn lock_expiries(chain: &Chain) -> HashMap<U256, (usize, u64)> {
    seen(chain, |e| match e {
        SuiteEvent::Locks(CoordinationLocksEvents::LockExpired(e)) => Some(e.packetId),
        _ => None,
    })
    .await
}

/// Lock grants by packet.
pub(crate) async fn lock_grants(chain: &Chain) -> HashMap<U256, (usize, u64)> {
    seen(chain, |e| match e {
        SuiteEvent::Locks(CoordinationLocksEvents::LockGranted(e)) => Some(e.packetId),
        _ => None,
    })
    .await
}

/// The gas of every transaction anvil account `index` had mined, in order.
pub(crate) async fn gas_of(chain: &Chain, index: usize) -> Vec<(Option<Address>, u64)> {
    let who = chain.address(index);
    let mut out = Vec::new();
    for n in chain.viable.deployment().deploy_block..=chain.block_number().await {
        let receipts = chain.provider.get_block_receipts(n.into()).await.unwrap();
        for r in receipts.unwrap_or_default().iter().filter(|r| r.from == who) {
            out.push((r.to, r.gas_used));
        }
    }
    out
}

/// Mine until `check` holds, at most `blocks` blocks (each after the keeper's
/// transactions reached the pool, or 15 s).
async fn mine_until<F, Fut>(chain: &Chain, txs: u64, blocks: usize, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    for _ in 0..blocks {
        chain.step(txs).await;
        if check().await {
            return;
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn locks_expires_ended_leases_and_grants_a_head_whose_not_before_came() {
    let chain = Chain::spawn().await;
    let dir = tempfile::tempdir().unwrap();
    let schema = immediate_schema(&chain, "lock work").await;
    let p = accepted(&chain, schema, CONTRIBUTOR, 3).await;
    let locks = chain.as_account(CONTRIBUTOR).locks().sender(chain.address(CONTRIBUTOR));
    let oracle = Resource::parse("interface:oracle").unwrap();
    let index = Resource::parse("interface:index").unwrap();
    // The oracle: p0 holds it for 60 s, p1 waits behind. The index: p2 asks for it
    // from 90 s on; nobody holds it, so it waits at the head until then.
    let held = locks.request(oracle, p[0], Mode::Exclusive, 60, None).await.unwrap();
    assert_eq!(held.state, RequestState::Held);
    let lease_end = held.lease_end.unwrap();
    let waits = locks.request(oracle, p[1], Mode::Exclusive, 60, None).await.unwrap();
    assert_eq!(waits.state, RequestState::Queued);
    let not_before = chain.timestamp().await + 90;
    let later = locks.request(index, p[2], Mode::Shared, 60, Some(not_before)).await.unwrap();
    assert_eq!((later.state, later.position), (RequestState::Queued, Some(1)));
    let last_event = chain.block_number().await;

    let keeper = Running::start(&chain, KEEPER, config(&dir.path().join("k.json")));
    chain.advance(1).await;
    keeper.caught_up(last_event).await;
    chain.manual_mining().await;

    // p0's lease ends: the keeper expires it, which grants p1.
    let due = chain.warp_to(lease_end).await;
    mine_until(&chain, 1, 2, || async { lock_expiries(&chain).await.contains_key(&p[0].0) }).await;
    let (n, block) = lock_expiries(&chain).await.get(&p[0].0).copied().unwrap_or_default();
    assert_eq!(n, 1, "p0's lease expired once");
    assert!(block <= due + 2, "expired in block {block}, allowed from block {due}");
    println!("locks: expire mined {} block(s) after the lease end's block", block - due);
    let p1_end = chain.viable.locks().lease_end(oracle, p[1]).await.unwrap().expect("p1 holds");

    // The index's head may be granted from notBefore: grantNext.
    let due = chain.warp_to(not_before).await;
    mine_until(&chain, 1, 2, || async { lock_grants(&chain).await.contains_key(&p[2].0) }).await;
    let (n, block) = lock_grants(&chain).await.get(&p[2].0).copied().unwrap_or_default();
    assert_eq!(n, 1, "p2 granted once");
    assert!(block <= due + 2, "granted in block {block}, allowed from block {due}");
    println!("locks: grantNext mined {} block(s) after notBefore's block", block - due);
    chain.step(0).await;

    // The grant's lease, and p1's, end: both expired.
    let p2_end = chain.viable.locks().lease_end(index, p[2]).await.unwrap().expect("p2 holds");
    let last_end = p1_end.max(p2_end);
    let due = chain.warp_to(last_end).await;
    mine_until(&chain, 1, 2, || async {
        let e = lock_expiries(&chain).await;
        e.contains_key(&p[1].0) && e.contains_key(&p[2].0)
    })
    .await;
    let e = lock_expiries(&chain).await;
    for id in &p[1..] {
        let (n, block) = e.get(&id.0).copied().unwrap_or_default();
        assert_eq!(n, 1, "{id}'s lease expired once");
        assert!(block <= due + 2, "expired in block {block}, allowed from block {due}");
    }
    let gas = gas_of(&chain, KEEPER).await;
    println!("locks: keeper gas {gas:?} (expire+grant, grantNext, expire, expire)");
    assert_eq!(gas.len(), 4, "expire, grantNext and two expiries, nothing else");

    chain.step(0).await;
    keeper.caught_up(chain.block_number().await - 1).await;
    let summary = keeper.stop().await;
    assert_eq!((summary.done, summary.reverted, summary.pending), (4, 0, 0), "{summary:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn treasury_executes_allocations_within_two_blocks_of_their_veto_window() {
    let chain = Chain::spawn().await;
    let dir = tempfile::tempdir().unwrap();
    // The constitution recognizes only attested work.
    let schema = chain.attested_schema(300).await;
    pass(&chain, &Amendment::new().recognize(schema, 10).description("pay for work")).await;
    let t = chain.viable.treasury();
    t.deposit(Address::ZERO, ether() * U256::from(100)).await.unwrap();
    let steward = chain.as_account(1).treasury();
    let line = steward
        .create_line(&NewLine::new(Address::ZERO, chain.address(1), 10_000).schema(schema))
        .await
        .unwrap();
    let mut ids = Vec::new();
    for (i, who) in [CONTRIBUTOR, 5, 6].into_iter().enumerate() {
        let p = attested(&chain, schema, who).await;
        let stream = if i == 2 { 100 } else { 0 };
        ids.push(steward.allocate(line, p, ether(), stream).await.unwrap());
    }
    // One is cancelled by its steward: the keeper leaves it alone.
    steward.cancel(ids[2]).await.unwrap();
    let deadline = t.allocation(ids[0]).await.unwrap().deadline;
    let last_event = chain.block_number().await;

    let keeper = Running::start(&chain, KEEPER, config(&dir.path().join("k.json")));
    chain.advance(1).await;
    keeper.caught_up(last_event).await;
    chain.manual_mining().await;

    let executed = || async {
        seen(&chain, |e| match e {
            SuiteEvent::Treasury(OptimizationTreasuryEvents::AllocationExecuted(e)) => {
                Some(e.allocationId)
            }
            _ => None,
        })
        .await
    };
    let due = chain.warp_to(deadline.max(t.allocation(ids[1]).await.unwrap().deadline)).await;
    mine_until(&chain, 2, 2, || async { executed().await.len() >= 2 }).await;
    let e = executed().await;
    for id in &ids[..2] {
        let (n, block) = e.get(&id.0).copied().unwrap_or_default();
        assert_eq!(n, 1, "allocation {} executed once: {e:?}", id.0);
        assert!(block <= due + 2, "executed in block {block}, allowed from block {due}");
        println!("treasury: execute mined {} block(s) after the deadline's block", block - due);
    }
    assert!(!e.contains_key(&ids[2].0), "the cancelled allocation is left alone");
    let gas = gas_of(&chain, KEEPER).await;
    println!("treasury: keeper gas {gas:?} (execute, execute)");
    assert_eq!(gas.len(), 2);

    chain.step(0).await;
    keeper.caught_up(chain.block_number().await - 1).await;
    let summary = keeper.stop().await;
    assert_eq!((summary.done, summary.reverted, summary.pending), (2, 0, 0), "{summary:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn strategy_promotes_at_the_crossing_second_and_expires_old_proposals() {
    let chain = Chain::spawn().await;
    let dir = tempfile::tempdir().unwrap();
    let s = chain.viable.strategy();
    let q = s.open_question(B256::repeat_byte(1), "ipfs://question").await.unwrap();
    let suggested = Amendment::new()
        .set_param(ParamKey::LegitTimelock, U256::from(180u64))
        .description("suggested");
    let propose = |n: u8| {
        let s = s.clone();
        let actions = encode_suggested_actions(&suggested);
        async move {
            s.propose(q, Target::Legitimacy, B256::repeat_byte(n), "ipfs://option", actions)
                .await
                .unwrap()
        }
    };
    let (backed, ignored) = (propose(2).await, propose(3).await);
    let keeper = Running::start(&chain, KEEPER, config(&dir.path().join("k.json")));
    // Two supporters at different times (the clock carries a remainder).
    let staker1 = chain.as_account(1).strategy();
    let staker2 = chain.as_account(2).strategy();
    staker1.stake(U256::from(1000u64) * ether()).await.unwrap();
    staker1.support(backed, U256::from(1000u64) * ether()).await.unwrap();
    chain.advance(37).await;
    staker2.stake(U256::from(500u64) * ether()).await.unwrap();
    staker2.support(backed, U256::from(500u64) * ether()).await.unwrap();
    let last_event = chain.block_number().await;
    chain.advance(1).await;
    keeper.caught_up(last_event).await;
    chain.manual_mining().await;

    let Crossing::At(ready) = s.ready_at(backed).await.unwrap() else {
        panic!("the backed proposal crosses later")
    };
    let ready_blocks = || async {
        seen(&chain, |e| match e {
            SuiteEvent::Strategy(StrategyProposalsEvents::ProposalReady(e)) => Some(e.proposalId),
            _ => None,
        })
        .await
    };
    // One second before: nothing.
    chain.warp_to(ready - 1).await;
    chain.step(0).await; // the block at `ready`, mined without waiting for anything
    assert!(ready_blocks().await.is_empty(), "not promoted before its crossing second");
    let due = chain.block_number().await; // its timestamp is `ready`
    assert_eq!(chain.timestamp().await, ready);
    mine_until(&chain, 1, 2, || async { !ready_blocks().await.is_empty() }).await;
    let (n, block) = ready_blocks().await.get(&backed.0).copied().unwrap_or_default();
    assert_eq!(n, 1, "promoted once");
    assert!(block <= due + 2, "promoted in block {block}, crossing in block {due}");
    println!("strategy: promote mined {} block(s) after the crossing's block", block - due);

    // The unsupported proposal reaches the maximum age: expired.
    chain.step(0).await;
    let expires_at = s.expires_at(ignored).await.unwrap();
    let expired = || async {
        seen(&chain, |e| match e {
            SuiteEvent::Strategy(StrategyProposalsEvents::ProposalExpired(e)) => Some(e.proposalId),
            _ => None,
        })
        .await
    };
    let due = chain.warp_to(expires_at).await;
    mine_until(&chain, 1, 2, || async { !expired().await.is_empty() }).await;
    let e = expired().await;
    let (n, block) = e.get(&ignored.0).copied().unwrap_or_default();
    assert_eq!(n, 1, "expired once: {e:?}");
    assert!(block <= due + 2, "expired in block {block}, allowed from block {due}");
    assert!(!e.contains_key(&backed.0), "the promoted proposal is not expired");
    println!("strategy: expire mined {} block(s) after maxAge's block", block - due);
    let gas = gas_of(&chain, KEEPER).await;
    println!("strategy: keeper gas {gas:?} (promote, expire)");
    assert_eq!(gas.len(), 2);

    chain.step(0).await;
    keeper.caught_up(chain.block_number().await - 1).await;
    let summary = keeper.stop().await;
    assert_eq!((summary.done, summary.reverted, summary.pending), (2, 0, 0), "{summary:?}");
    let _: ProposalId = backed;
}
