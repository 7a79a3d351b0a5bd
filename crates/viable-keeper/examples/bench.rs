//! The keeper's benchmark (not a test): N due items across the modules (40 % attested
//! packets to expire, 20 % lock leases to expire, 20 % treasury allocations to execute,
//! 20 % strategy proposals to expire), one keeper, a block a second.
//!
//! Measures the RPC requests per block while nothing is due, with 100 and with N open
//! items; the time from "everything is due" to "everything done"; and the gas of each
//! kind of duty (mean of the keeper's receipts).
//!
//! ```sh
//! cargo run --release -p viable-keeper --example bench            # N = 10000
//! BENCH_ITEMS=1000 cargo run -p viable-keeper --example bench     # smaller
//! ```
//!
//! Needs anvil (`$ANVIL_BIN`, else `anvil` on PATH; `source tools/env.sh` sets it).

use std::{collections::HashMap, time::Duration};

use alloy::{
    network::EthereumWallet,
    node_bindings::{Anvil, AnvilInstance},
    primitives::{Address, B256, Bytes, U256, keccak256},
    providers::{DynProvider, Provider, ProviderBuilder, ext::AnvilApi},
    rpc::{client::ClientBuilder, types::TransactionReceipt},
    signers::local::PrivateKeySigner,
    sol_types::SolCall,
};
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;
use viable::{
    Amendment, DeployOptions, Genesis, ParamKey, Support, Viable,
    bindings::{CoordinationLocks, OptimizationTreasury, StrategyProposals, WorkRegistry},
    locks::{Mode, Resource},
    strategy::{Target, encode_suggested_actions},
    treasury::NewLine,
    work::{PacketId, SchemaDef, Value},
};
use viable_keeper::{
    KeeperConfig, RetryPolicy,
    chain::{ChainKeeper, RpcMetrics, Signer, SignerProvider},
};

const KEEPER: usize = 9;
const CONTRIBUTOR: usize = 4;
/// How long a chunk of pipelined transactions may take to be mined.
const BENCH_RECEIPT_SECS: u64 = 300;

fn provider(anvil: &AnvilInstance, i: usize) -> DynProvider {
    let key: PrivateKeySigner = anvil.keys()[i].clone().into();
    ProviderBuilder::new()
        .wallet(EthereumWallet::from(key))
        .connect_http(anvil.endpoint_url())
        .erased()
}

struct Bench {
    anvil: AnvilInstance,
    p: DynProvider,
    v: Viable<DynProvider>,
    accounts: HashMap<usize, Viable<DynProvider>>,
    salt: u64,
}

impl Bench {
    fn as_account(&mut self, i: usize) -> Viable<DynProvider> {
        if i == 0 {
            return self.v.clone();
        }
        let (anvil, d) = (&self.anvil, self.v.deployment().clone());
        self.accounts.entry(i).or_insert_with(|| Viable::new(provider(anvil, i), d)).clone()
    }

    async fn advance(&self, secs: u64) {
        self.p.anvil_increase_time(secs).await.unwrap();
        self.p.evm_mine(None).await.unwrap();
    }

    async fn schema(&self, toml: &str) -> B256 {
        let s = SchemaDef::from_toml_str(toml, "bench").unwrap().resolve(16, 7 * 86_400).unwrap();
        self.v.work().register_schema(&s).await.unwrap()
    }

    /// Requests the keeper made over `blocks` blocks mined a second apart.
    async fn idle(&self, counts: &viable_keeper::chain::RpcCounts, blocks: u64) -> f64 {
        let before = counts.requests();
        for _ in 0..blocks {
            tokio::time::sleep(Duration::from_secs(1)).await;
            self.p.evm_mine(None).await.unwrap();
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
        (counts.requests() - before) as f64 / blocks as f64
    }
}

/// Send `calls` (target, calldata) from account `i` with consecutive nonces, many on
/// the wire at once (`eth_sendRawTransaction`, as the SDK's `submit_pipelined` does),
/// and wait for every receipt; each must succeed.
async fn pipeline(b: &Bench, i: usize, calls: Vec<(Address, Bytes)>) -> Vec<TransactionReceipt> {
    let mut all = Vec::with_capacity(calls.len());
    for chunk in calls.chunks(500) {
        all.extend(pipeline_chunk(b, i, chunk.to_vec()).await);
        eprintln!("account {i}: {} of {} mined", all.len(), calls.len());
    }
    all
}

async fn pipeline_chunk(
    b: &Bench,
    i: usize,
    calls: Vec<(Address, Bytes)>,
) -> Vec<TransactionReceipt> {
    let wallet = EthereumWallet::from(PrivateKeySigner::from(b.anvil.keys()[i].clone()));
    // A fixed limit: an attestation cannot be simulated before its packet is mined.
    let raw =
        viable::work::sign_batch(&b.p, &wallet, &calls, viable::work::BatchGas::Fixed(1_000_000))
            .await
            .unwrap();
    let hashes = viable::work::send_raw(&b.p, &raw).await.unwrap();
    viable::work::receipts(&b.p, &hashes, Duration::from_secs(BENCH_RECEIPT_SECS)).await.unwrap()
}

/// Create `n` items across the modules, pipelined per account: packets, then the
/// attestations of the paid ones, then the leases, allocations and proposals. Nothing
/// comes due for days.
async fn create(b: &mut Bench, n: usize, s: &Setup) -> usize {
    let kinds: Vec<usize> = (0..n).map(|i| i % 5).collect();
    let count = |k: &[usize]| kinds.iter().filter(|x| k.contains(x)).count();
    let work = b.as_account(CONTRIBUTOR).work();
    let wallet = EthereumWallet::from(PrivateKeySigner::from(b.anvil.keys()[CONTRIBUTOR].clone()));
    let mut data = |schema_value: fn(u64) -> Value, schema: &viable::work::Schema, m: usize| {
        (0..m)
            .map(|_| {
                b.salt += 1;
                let hash = keccak256(b.salt.to_be_bytes());
                (hash, schema.encode(&[schema_value(b.salt)]).unwrap())
            })
            .collect::<Vec<_>>()
    };
    let bytes32 = |x: u64| Value::Bytes32(keccak256(x.to_be_bytes()));
    let uint = |x: u64| Value::Uint(U256::from(x));
    let (review, paid, immediate) = (
        work.schema(s.review).await.unwrap(),
        work.schema(s.paid).await.unwrap(),
        work.schema(s.immediate).await.unwrap(),
    );
    let reviewed = data(bytes32, &review, count(&[0, 1]));
    let paid_data = data(bytes32, &paid, count(&[3]));
    let lock_data = data(uint, &immediate, count(&[2]));
    // In chunks: the SDK's receipt timeout counts from the first send of a call.
    let submit = async |schema: B256, packets: &[(B256, Bytes)]| {
        let mut ids = Vec::with_capacity(packets.len());
        for chunk in packets.chunks(500) {
            ids.extend(work.submit_pipelined(&wallet, schema, chunk).await.unwrap());
        }
        ids
    };
    submit(s.review, &reviewed).await;
    let paid_ids = submit(s.paid, &paid_data).await;
    let lock_ids = submit(s.immediate, &lock_data).await;
    eprintln!("packets: {}", reviewed.len() + paid_ids.len() + lock_ids.len());

    let registry = *work.contract().await.unwrap().address();
    let attest =
        |id: &PacketId| (registry, WorkRegistry::attestCall { packetId: id.0 }.abi_encode().into());
    let (a2, a3) = tokio::join!(
        pipeline(b, 2, paid_ids.iter().map(attest).collect()),
        pipeline(b, 3, paid_ids.iter().map(attest).collect()),
    );
    eprintln!("attestations: {}", a2.len() + a3.len());

    let locks = *b.v.locks().contract().await.unwrap().address();
    let lease = 6 * 86_400u64;
    let requests = lock_ids
        .iter()
        .map(|id| {
            b.salt += 1;
            let r = Resource::parse(&format!("bench:{}", b.salt)).unwrap();
            let call = CoordinationLocks::requestCall {
                resource: r.0,
                packetId: id.0,
                mode: Mode::Exclusive.as_u8(),
                ttl: U256::from(lease),
                notBefore: U256::ZERO,
            };
            (locks, call.abi_encode().into())
        })
        .collect();
    let treasury = *b.v.treasury().contract().await.unwrap().address();
    let allocations = paid_ids
        .iter()
        .map(|id| {
            let call = OptimizationTreasury::allocateCall {
                lineId: s.line.0,
                packetId: id.0,
                amount: U256::from(1_000u64),
                streamDuration: U256::ZERO,
            };
            (treasury, call.abi_encode().into())
        })
        .collect();
    let strategy = *b.v.strategy().contract().await.unwrap().address();
    let proposals = (0..count(&[4]))
        .map(|_| {
            b.salt += 1;
            let call = StrategyProposals::proposeCall {
                questionId: s.question.0,
                target: Target::Legitimacy.index(),
                contentHash: keccak256(b.salt.to_be_bytes()),
                uri: "ipfs://o".into(),
                suggestedActions: s.actions.clone(),
            };
            (strategy, call.abi_encode().into())
        })
        .collect();
    // One account at a time: three at once stalled a 10,000-item run (a chunk never
    // mined within 30 minutes).
    let l = pipeline(b, CONTRIBUTOR, requests).await;
    let t = pipeline(b, 1, allocations).await;
    let p = pipeline(b, 0, proposals).await;
    eprintln!("leases {}, allocations {}, proposals {}", l.len(), t.len(), p.len());
    n
}

struct Setup {
    review: B256,
    immediate: B256,
    paid: B256,
    line: viable::treasury::LineId,
    question: viable::strategy::QuestionId,
    actions: Bytes,
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let n: usize = std::env::var("BENCH_ITEMS").ok().and_then(|v| v.parse().ok()).unwrap_or(10_000);
    let bin = std::env::var_os("ANVIL_BIN").unwrap_or_else(|| "anvil".into());
    // A long window, lease, veto window and maximum age: nothing comes due while the
    // items are made, however long that takes.
    let anvil = Anvil::new().path(bin).args(["--gas-limit", "100000000"]).try_spawn().unwrap();
    let p = provider(&anvil, 0);
    let mut genesis = Genesis::dev();
    genesis.set_param("strategy.maxAge", 30 * 86_400u64).unwrap();
    genesis.set_param("treasury.vetoWindow", 7 * 86_400u64).unwrap();
    genesis.set_param("treasury.epochLength", 30 * 86_400u64).unwrap();
    genesis.set_param("locks.maxTtl", 7 * 86_400u64).unwrap();
    genesis.set_param("locks.maxHold", 7 * 86_400u64).unwrap();
    genesis.set_param("work.maxAttestWindow", 7 * 86_400u64).unwrap();
    let v = Viable::deploy(p.clone(), &genesis, DeployOptions::default()).await.unwrap();
    let mut b = Bench { anvil, p, v, accounts: HashMap::new(), salt: 0 };
    let a = |i: usize| b.anvil.addresses()[i];
    let attesters = (a(1), a(2), a(3));
    let steward_addr = a(1);
    let window = 7 * 86_400u64;
    let attested = |name: &str| {
        format!(
            "name = \"{name}\"\nacceptance = {{ mode = \"attested\", quorum = 2, attesters = \
             [\"{}\", \"{}\", \"{}\"], window = {window} }}\n[[fields]]\ntype = \"bytes32\"\n",
            attesters.0, attesters.1, attesters.2
        )
    };
    let review = b.schema(&attested("review")).await;
    let paid = b.schema(&attested("paid")).await;
    let immediate = b
        .schema("name = \"lock\"\nacceptance = { mode = \"immediate\" }\n[[fields]]\ntype = \"uint256\"\n")
        .await;
    // Recognize the paid schema (propose, vote, queue, execute).
    let c = b.v.constitution();
    b.advance(2).await;
    let id = c.propose(&Amendment::new().recognize(paid, 10).description("pay")).await.unwrap();
    b.advance(61).await;
    for i in 0..3 {
        b.as_account(i).constitution().vote(id, Support::For, None).await.unwrap();
    }
    b.advance(300).await;
    c.queue(id).await.unwrap();
    let timelock = c.param(ParamKey::LegitTimelock).await.unwrap().to::<u64>();
    b.advance(timelock + 1).await;
    c.execute(id).await.unwrap();
    b.v.treasury().deposit(Address::ZERO, U256::from(10u64).pow(U256::from(21))).await.unwrap();
    let line = b
        .as_account(1)
        .treasury()
        .create_line(&NewLine::new(Address::ZERO, steward_addr, 10_000).schema(paid))
        .await
        .unwrap();
    let question = b.v.strategy().open_question(B256::repeat_byte(1), "ipfs://q").await.unwrap();
    let actions = encode_suggested_actions(&Amendment::new().description("x"));
    // One allowance for every proposal's bond.
    b.v.strategy().approve(U256::MAX).await.unwrap();
    let s = Setup { review, immediate, paid, line, question, actions };

    // One keeper, its requests counted.
    let layer = RpcMetrics::new();
    let counts = layer.counts();
    let client = ClientBuilder::default().layer(layer).http(b.anvil.endpoint_url());
    let key: PrivateKeySigner = b.anvil.keys()[KEEPER].clone().into();
    let signer = SignerProvider::new(client, Signer::Key(key));
    let viable = Viable::new(signer.provider().clone(), b.v.deployment().clone());
    let dir = std::env::temp_dir().join(format!("viable-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let config = KeeperConfig {
        state_file: dir.join("state.json"),
        confirmations: 1,
        metrics: false,
        poll_interval_ms: Some(1000),
        clock_extrapolation_secs: 1,
        max_in_flight: 64,
        receipt_timeout_secs: 60,
        retry: RetryPolicy { min_delay_secs: 1, max_delay_secs: 8, ..RetryPolicy::default() },
        ..KeeperConfig::default()
    };
    let keeper = ChainKeeper::new(viable, signer, config).unwrap();
    let health = keeper.health();
    let cancel = CancellationToken::new();
    let task = tokio::spawn(keeper.run(None, cancel.clone()));

    let small = 100.min(n);
    let t = Instant::now();
    create(&mut b, small, &s).await;
    let made_small = t.elapsed();
    b.advance(1).await;
    let head = b.p.get_block_number().await.unwrap();
    while health.report().cursor + 1 < head {
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let idle_small = b.idle(&counts, 20).await;
    // With no more items to make (n <= 100) there is no second measurement: the idle
    // blocks hold no events, so the keeper's cursor would never reach the head.
    let (made, idle_large) = if n > small {
        create(&mut b, n - small, &s).await;
        let made = t.elapsed();
        b.advance(1).await;
        let head = b.p.get_block_number().await.unwrap();
        while health.report().cursor + 1 < head {
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        (made, Some(b.idle(&counts, 20).await))
    } else {
        (made_small, None)
    };

    // Everything due: a block a second until the keeper is done.
    let start_block = b.p.get_block_number().await.unwrap();
    b.p.anvil_increase_time(31 * 86_400).await.unwrap();
    b.p.anvil_set_interval_mining(1).await.unwrap();
    let t = Instant::now();
    let keeper_addr = b.anvil.addresses()[KEEPER];
    let done_at = loop {
        tokio::time::sleep(Duration::from_secs(2)).await;
        let sent = b.p.get_transaction_count(keeper_addr).await.unwrap();
        let pending = b.p.get_transaction_count(keeper_addr).pending().await.unwrap();
        if sent as usize >= n && sent == pending {
            break t.elapsed();
        }
        if t.elapsed() > Duration::from_secs(3_600) {
            eprintln!("gave up after an hour with {sent} of {n} done");
            break t.elapsed();
        }
    };
    cancel.cancel();
    let summary = task.await.unwrap().unwrap();

    // Gas per kind of duty: the keeper's receipts by target contract.
    let c = b.v.constitution();
    let names = [
        (c.module(viable::Module::Work).await.unwrap(), "work expire"),
        (c.module(viable::Module::Coordination).await.unwrap(), "locks expire"),
        (c.module(viable::Module::Optimization).await.unwrap(), "treasury execute"),
        (c.module(viable::Module::Strategy).await.unwrap(), "strategy expire"),
    ];
    let mut gas: HashMap<&str, (u64, u64, u64)> = HashMap::new();
    let end = b.p.get_block_number().await.unwrap();
    for blk in start_block..=end {
        for r in b.p.get_block_receipts(blk.into()).await.unwrap().unwrap_or_default() {
            if r.from != keeper_addr {
                continue;
            }
            let name = names.iter().find(|(a, _)| Some(*a) == r.to).map_or("other", |x| x.1);
            let e = gas.entry(name).or_default();
            if r.status() {
                e.0 += 1;
                e.1 += r.gas_used;
            } else {
                e.2 += 1;
            }
        }
    }
    println!("items: {n} (created in {:.0} s)", made.as_secs_f64());
    let idle_large = idle_large.unwrap_or(idle_small);
    println!(
        "idle RPC requests per block (1 s blocks, 1 s polling): {idle_small:.1} with {small} open items, {idle_large:.1} with {n}"
    );
    println!(
        "cleared {n} due items in {:.0} s ({:.1} per second); {} blocks",
        done_at.as_secs_f64(),
        n as f64 / done_at.as_secs_f64(),
        end - start_block
    );
    let mut duties = serde_json::Map::new();
    for (name, (ok, total, reverted)) in &gas {
        let mean = total / (*ok).max(1);
        println!("{name}: {ok} transactions, mean gas {mean}, {reverted} reverted");
        duties.insert(
            name.to_string(),
            serde_json::json!({ "transactions": ok, "meanGas": mean, "reverted": reverted }),
        );
    }
    println!("{summary:?}");
    // `make bench` (bench/run.sh) sets this and puts the figures in bench/RESULTS.md.
    if let Some(out) = std::env::var_os("BENCH_KEEPER_OUT") {
        let json = serde_json::json!({
            "items": n,
            "createdSecs": made.as_secs_f64().round(),
            "idleBlocks": 20,
            "pollMs": 1000,
            "idleSmallItems": small,
            "idleRequestsPerBlockSmall": (idle_small * 10.0).round() / 10.0,
            "idleRequestsPerBlockLarge": (idle_large * 10.0).round() / 10.0,
            "clearedSecs": done_at.as_secs_f64().round(),
            "clearedBlocks": end - start_block,
            "maxInFlight": 64,
            "duties": duties,
            "done": summary.done,
            "reverted": summary.reverted,
            "build": if cfg!(debug_assertions) { "debug" } else { "release" },
        });
        std::fs::write(&out, serde_json::to_string_pretty(&json).unwrap() + "\n").unwrap();
        eprintln!("wrote {}", std::path::Path::new(&out).display());
    }
}
