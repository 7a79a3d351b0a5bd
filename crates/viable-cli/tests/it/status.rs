//! `viable status` through the real binary: state made in each of the five modules,
//! then every number of `status --json` compared with the chain's own views, read here
//! through the generated bindings (not through the code under test). Also the keeper's
//! lag from its state file, and `--watch` printing a new screen when a block arrives.

use std::{
    io::{BufRead, BufReader},
    process::{Command, Stdio},
};

use alloy::{
    primitives::{Address, U256},
    providers::{DynProvider, Provider, ProviderBuilder},
};
use serde_json::Value;
use viable::{
    Deployment, Module,
    bindings::{
        CoordinationLocks, LegitimacyConstitution, OptimizationTreasury, StrategyProposals,
        WorkRegistry,
    },
};
use viable_keeper::{Checkpoint, Cursor, StateFile};

use crate::{Session, text};

/// An attested schema: two of accounts 2 and 3 within a minute.
fn attested(s: &Session) -> String {
    let file = s.file(
        "review.toml",
        &format!(
            "name = \"review\"\nacceptance = {{ mode = \"attested\", quorum = 2, attesters = \
             [\"{}\", \"{}\"], window = 60 }}\n[[fields]]\ntype = \"bytes32\"\n",
            s.address(2),
            s.address(3)
        ),
    );
    s.json(&["work", "schema", "register", &file], 0)["schemaId"].as_str().unwrap().to_string()
}

fn hash(byte: u8) -> String {
    format!("0x{}", format!("{byte:02x}").repeat(32))
}

fn u(v: &Value) -> U256 {
    v.as_str().unwrap_or_else(|| panic!("a decimal string: {v}")).parse().unwrap()
}

/// The chain's own views, through the bindings.
struct Chain {
    rt: tokio::runtime::Runtime,
    provider: DynProvider,
    d: Deployment,
}

impl Chain {
    fn new(s: &Session) -> Self {
        let rt = tokio::runtime::Runtime::new().unwrap();
        let provider = ProviderBuilder::new().connect_http(s.rpc().parse().unwrap()).erased();
        Self { rt, provider, d: Deployment::read(&s.file).unwrap() }
    }

    /// Wait for one read.
    fn get<F: std::future::IntoFuture>(&self, f: F) -> F::Output {
        self.rt.block_on(f.into_future())
    }

    fn at(&self, m: Module) -> Address {
        self.d.modules.get(m)
    }
}

#[test]
fn status_json_matches_the_chain_in_all_five_modules() {
    let s = Session::deployed("status");
    let c = Chain::new(&s);
    let (bugfix, _) = s.bugfix_schema();
    let review = attested(&s);

    // System 5: recognize the attested schema (so the treasury may fund its work),
    // through both houses and the timelock.
    let recognize = s.file(
        "recognize.toml",
        &format!(
            "description = \"Recognize review\"\n[[actions]]\nrecognize = {{ schema = \"{review}\", weight = 1 }}\n"
        ),
    );
    let a1 = s.json(&["constitution", "propose", &recognize], 0)["amendmentId"]
        .as_str()
        .unwrap()
        .to_string();
    s.warp("61s");
    for i in 0..3 {
        s.run(&["constitution", "vote", &a1, "for"], i);
    }
    s.warp("5m");
    s.run(&["constitution", "queue", &a1], 4);
    s.warp("2m");
    s.run(&["constitution", "execute", &a1], 4);

    // System 1: three accepted packets (two at once, one attested), one retracted, one
    // expired, one pending.
    let values =
        r#"[7, "0x0000000000000000000000000000000000000000000000000000000000000001", "x"]"#;
    for (signer, byte) in [(0, 1), (1, 2)] {
        let v = s.json(
            &["work", "submit", &bugfix, "--values", values, "--content-hash", &hash(byte)],
            signer,
        );
        assert_eq!(v["status"], "Accepted");
    }
    let word = format!("[\"{}\"]", hash(0xcd));
    for byte in [3, 4, 5] {
        s.json(&["work", "submit", &review, "--values", &word, "--content-hash", &hash(byte)], 4);
    }
    s.run(&["work", "attest", "3"], 2);
    s.run(&["work", "attest", "3"], 3);
    s.run(&["work", "retract", "4"], 4);
    s.warp("61s");
    s.run(&["work", "expire", "5"], 5);
    s.json(&["work", "submit", &review, "--values", &word, "--content-hash", &hash(6)], 4);

    // System 2: packet 1 holds the oracle, packet 2 waits for it.
    s.json(&["locks", "request", "interface:oracle", "1", "--ttl", "5m"], 0);
    let q = s.json(&["locks", "request", "interface:oracle", "2", "--ttl", "2m"], 1);
    assert_eq!(q["state"], "Queued");

    // System 4: one open proposal with support.
    s.json(&["strategy", "question", "--text", "What next?"], 0);
    s.json(&["strategy", "propose", "1", "--text", "Slower timelock"], 0);
    s.json(&["strategy", "stake", "1000 ether"], 1);
    s.json(&["strategy", "support", "1", "600 ether"], 1);

    // System 5 again: an amendment being voted on, one house split.
    let a2 = s.propose();
    s.warp("61s");
    s.run(&["constitution", "vote", &a2, "for"], 0);
    s.run(&["constitution", "vote", &a2, "against"], 1);

    // System 3: a deposit, a line, and an allocation to the attested packet (Pending in
    // its veto window).
    s.json(&["treasury", "deposit", "1.5", "ether"], 0);
    s.json(&["treasury", "line", "create", "--share", "4000"], 1);
    let alloc = s.json(&["treasury", "allocate", "1", "3", "0.01", "ether"], 1);
    assert_eq!(alloc["action"], "allocate", "{alloc}");

    let v = s.json(&["status", "--keeper-state", "/nonexistent/keeper.json"], 0);
    let head = c.get(c.provider.get_block_number()).unwrap();
    assert_eq!(v["block"].as_u64(), Some(head));
    assert_eq!(v["chainId"].as_u64(), Some(31337));

    // Work.
    let w = WorkRegistry::new(c.at(Module::Work), c.provider.clone());
    let count: u64 = c.get(w.packetCount().call()).unwrap().to();
    assert_eq!(count, 6);
    assert_eq!(v["work"]["packetCount"].as_u64(), Some(count));
    assert_eq!(v["work"]["scanned"].as_u64(), Some(count));
    let mut by_status = [0u64; 5];
    for id in 1..=count {
        let p = c.get(w.packet(U256::from(id)).call()).unwrap();
        by_status[p.status as usize] += 1;
    }
    for (i, name) in ["Pending", "Accepted", "Expired", "Retracted"].iter().enumerate() {
        assert_eq!(v["work"]["byStatus"][name].as_u64(), Some(by_status[i + 1]), "{name}: {v}");
    }
    assert_eq!(by_status, [0, 1, 3, 1, 1]);

    // Locks.
    let l = CoordinationLocks::new(c.at(Module::Coordination), c.provider.clone());
    let key = alloy::primitives::keccak256(b"interface:oracle");
    let info = c.get(l.resourceInfo(key).call()).unwrap();
    let locks = &v["locks"];
    assert_eq!(locks["resourcesInUse"].as_u64(), Some(1), "{locks}");
    assert_eq!(locks["held"].as_u64(), Some(1));
    assert_eq!(locks["holders"].as_u64(), Some(info.holders.to::<u64>()));
    assert_eq!(locks["queued"].as_u64(), Some(info.queueLength.to::<u64>()));
    let r = &locks["resources"][0];
    assert_eq!(r["resource"], key.to_string());
    assert_eq!(r["head"], info.head.to_string());
    assert_eq!(r["expiresBy"].as_u64(), Some(info.expiresBy.to::<u64>()));
    assert_eq!((info.holders.to::<u64>(), info.queueLength.to::<u64>()), (1, 1));

    // Treasury.
    let t = OptimizationTreasury::new(c.at(Module::Optimization), c.provider.clone());
    let books = c.get(t.assetEpoch(Address::ZERO).call()).unwrap();
    let line = c.get(t.lineEpoch(U256::from(1)).call()).unwrap();
    let epoch = c.get(t.epoch().call()).unwrap();
    let tv = &v["treasury"];
    assert_eq!(tv["epoch"]["index"].as_u64(), Some(epoch.index.to::<u64>()));
    assert_eq!(tv["epoch"]["end"].as_u64(), Some(epoch.end.to::<u64>()));
    let eth = &tv["assets"][0];
    assert_eq!(eth["symbol"], "ether");
    assert_eq!(u(&eth["budget"]), books.budget);
    assert_eq!(u(&eth["spent"]), books.spent);
    assert_eq!(u(&eth["remainder"]), books.remainder);
    assert_eq!(u(&eth["free"]), books.free);
    let balance = c.get(c.provider.get_balance(*t.address())).unwrap();
    assert_eq!(u(&eth["balance"]), balance);
    let alloc_id: U256 = alloc["allocationId"].as_str().unwrap().parse().unwrap();
    let allocation = c.get(t.allocation(alloc_id).call()).unwrap();
    if allocation.epoch == epoch.index {
        assert_eq!(books.spent, U256::from(10_000_000_000_000_000u64), "the allocation counts");
    }
    let lv = &tv["lines"][0];
    assert_eq!(lv["lineId"], "1");
    assert_eq!(u(&lv["thisEpoch"]["cap"]), line.cap);
    assert_eq!(u(&lv["thisEpoch"]["used"]), line.used);
    assert_eq!(u(&lv["thisEpoch"]["remainder"]), line.remainder);
    assert_eq!(tv["lineCount"].as_u64(), Some(1));

    // Strategy: conviction and threshold as the contract computes them, and the predicted
    // Ready time as `strategy show` gives it.
    let st = StrategyProposals::new(c.at(Module::Strategy), c.provider.clone());
    let conviction = c.get(st.conviction(U256::from(1)).call()).unwrap();
    let threshold = c.get(st.threshold().call()).unwrap();
    let sv = &v["strategy"];
    assert_eq!(sv["proposalCount"].as_u64(), Some(1));
    assert_eq!(u(&sv["threshold"]), threshold);
    let p = &sv["proposals"][0];
    assert_eq!(p["state"], "Open");
    assert_eq!(u(&p["conviction"]), conviction);
    assert_eq!(u(&p["support"]), U256::from(600) * U256::from(10).pow(U256::from(18)));
    let shown = s.json(&["strategy", "show", "1"], 0);
    assert!(p["readyAt"].is_u64(), "{p}");
    assert_eq!(p["readyAt"], shown["readyAt"]);

    // Constitution: tallies per house and deadlines as the contract holds them.
    let k = LegitimacyConstitution::new(c.d.constitution, c.provider.clone());
    let amendments = v["constitution"]["amendments"].as_array().unwrap();
    assert_eq!(amendments.len(), 2);
    assert_eq!(amendments[0]["id"], a2.as_str(), "newest first");
    assert_eq!(amendments[1]["state"], "Executed");
    assert_eq!(v["constitution"]["byState"]["Active"].as_u64(), Some(1));
    let id: U256 = a2.parse().unwrap();
    let tally = c.get(k.tallies(id).call()).unwrap();
    let when = c.get(k.amendment(id).call()).unwrap();
    let quorums = c.get(k.quorums(id).call()).unwrap();
    let a = &amendments[0];
    assert_eq!(a["state"], "Active");
    assert_eq!(u(&a["tokenHouse"]["votes"]["for"]), tally.tokenFor);
    assert_eq!(u(&a["tokenHouse"]["votes"]["against"]), tally.tokenAgainst);
    assert_eq!(u(&a["workHouse"]["votes"]["for"]), tally.workFor);
    assert_eq!(u(&a["workHouse"]["votes"]["against"]), tally.workAgainst);
    assert_eq!(u(&a["tokenHouse"]["quorum"]), quorums.tokenQuorum);
    assert_eq!(u(&a["workHouse"]["quorum"]), quorums.workQuorum);
    assert_eq!(a["voteEnd"].as_u64(), Some(when.voteEnd.to::<u64>()));
    assert_eq!(a["nextAt"], a["voteEnd"]);
    assert!(!tally.tokenFor.is_zero() && !tally.tokenAgainst.is_zero());

    // The keeper: an explicit state file that does not exist is said, not fatal.
    assert_eq!(v["keeper"]["seen"], false);
    assert!(v["keeper"]["error"].is_string(), "{}", v["keeper"]);

    // The text for people names each system and the numbers.
    let out = s.read(&["status", "--keeper-state", "/nonexistent/keeper.json"]);
    let screen = text(&out).0;
    for part in [
        "Work (System 1): 6 packets: 1 Pending, 3 Accepted, 1 Expired, 1 Retracted",
        "Coordination (System 2): 1 resource held, 1 request queued",
        "next packet 2",
        "Strategy (System 4): 1 proposal, 1 open, 0 ready",
        "Legitimacy (System 5): 1 amendment in flight",
        "Token House",
    ] {
        assert!(screen.contains(part), "{part:?} in:\n{screen}");
    }
}

#[test]
fn keeper_lag_is_read_from_its_state_file() {
    let s = Session::deployed("status-keeper");
    let d = Deployment::read(&s.file).unwrap();
    let c = Chain::new(&s);
    let head = c.get(c.provider.get_block_number()).unwrap();
    let scope = viable_keeper::chain::scope(&d);
    let file = s.dir.join("keeper-state.json");
    let state = file.to_str().unwrap();

    // A keeper that stopped before the deployment's first event: the bootstrap's
    // events are unprocessed, so it is behind by the blocks since.
    StateFile::new(&file)
        .save(&Checkpoint::new(scope.clone(), Cursor::start_of(d.deploy_block), vec![]))
        .unwrap();
    let k = &s.json(&["status", "--keeper-state", state], 0)["keeper"];
    assert_eq!(k["seen"], true, "{k}");
    let first = k["firstUnprocessedBlock"].as_u64().expect("an event after the cursor");
    assert!(first >= d.deploy_block, "{k}");
    assert_eq!(k["lagBlocks"].as_u64(), Some(head - first));
    assert!(head > first, "{k}");

    // One that has processed everything up to the head: no lag.
    StateFile::new(&file)
        .save(&Checkpoint::new(scope, Cursor::at(head, u64::MAX), vec![]))
        .unwrap();
    let k = &s.json(&["status", "--keeper-state", state], 0)["keeper"];
    assert_eq!((k["lagBlocks"].as_u64(), k["cursorBlock"].as_u64()), (Some(0), Some(head)));
    assert!(k["firstUnprocessedBlock"].is_null(), "{k}");
    let screen = text(&s.read(&["status", "--keeper-state", state])).0;
    assert!(screen.contains("Keeper: caught up"), "{screen}");

    // A state file of another deployment is named as such.
    StateFile::new(&file).save(&Checkpoint::new("1:0xother", Cursor::at(head, 0), vec![])).unwrap();
    let k = &s.json(&["status", "--keeper-state", state], 0)["keeper"];
    assert_eq!(k["seen"], false);
    assert!(k["error"].as_str().unwrap().contains("written for"), "{k}");

    // An endpoint where nothing listens.
    let k = &s.json(&["status", "--keeper-url", "127.0.0.1:1"], 0)["keeper"];
    assert_eq!(k["seen"], false);
    assert!(k["error"].as_str().unwrap().contains("no keeper answers"), "{k}");
}

#[test]
fn watch_prints_a_new_screen_when_a_block_arrives() {
    let s = Session::deployed("status-watch");
    let rpc = s.rpc();
    let mut child = Command::new(env!("CARGO_BIN_EXE_viable"))
        .args(["status", "--watch", "--count", "2", "--json", "--interval", "200ms"])
        .args(["--rpc-url", &rpc, "--deployment", s.file.to_str().unwrap()])
        .args(["--keeper-state", "/nonexistent/keeper.json"])
        .current_dir(&s.dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first: Value = serde_json::from_str(&lines.next().unwrap().unwrap()).unwrap();
    s.warp("1s");
    let second: Value = serde_json::from_str(&lines.next().unwrap().unwrap()).unwrap();
    assert_eq!(second["block"].as_u64(), Some(first["block"].as_u64().unwrap() + 1));
    assert!(second["time"].as_u64() > first["time"].as_u64());
    assert!(child.wait().unwrap().success());
}
