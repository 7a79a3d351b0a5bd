//! `viable dev --scenario --exit-after-scenario` end to end: the narrated scenario runs
//! against an anvil this test owns (`--rpc-url`), so that once the command has exited
//! the test reads back, through the SDK and the deployment file, what every system
//! holds on chain. Nothing here reads the narration.

use alloy::{
    primitives::{Address, U256},
    providers::{Provider, ProviderBuilder},
};
use viable::{
    AmendmentId, AmendmentState, Deployment, ParamKey, Viable,
    locks::{RequestState, Resource},
    strategy::{ProposalId, ProposalState},
    treasury::{AllocationId, AllocationState, LineId},
    work::{PacketId, PacketStatus},
};

use crate::{Session, text, viable_in};

fn u256(v: &serde_json::Value) -> U256 {
    v.as_str().unwrap().parse().unwrap()
}

#[test]
fn dev_scenario_leaves_every_system_in_its_expected_state() {
    let chain = Session::new("dev-scenario");
    let rpc = chain.rpc();
    let dir = chain.dir.to_str().unwrap().to_string();
    let out = viable_in(
        &chain.dir,
        &[
            "dev",
            "--rpc-url",
            &rpc,
            "--scenario",
            "--exit-after-scenario",
            "--deployments",
            &dir,
            "--json",
        ],
        &[],
    );
    let (stdout, stderr) = text(&out);
    assert!(out.status.success(), "{stderr}");
    // The ids the scenario made, to look them up on chain.
    let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let ids = &v["scenario"];

    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let deployment = Deployment::read(&chain.file).unwrap();
        assert_eq!(deployment.chain_id, 31337);
        let provider = ProviderBuilder::new().connect_http(rpc.parse().unwrap()).erased();
        let viable = Viable::connect(provider.clone(), deployment).await.unwrap();
        let a = chain.anvil.addresses();

        // Genesis (local preset): the "review" schema recognized, two funded lines.
        let c = viable.constitution();
        let recognized = c.recognitions().await.unwrap();
        assert_eq!(recognized.len(), 1);
        assert_eq!(recognized[0].1, U256::from(10));
        let t = viable.treasury();
        assert_eq!(t.line_count().await.unwrap(), U256::from(2));
        assert_eq!(t.line(LineId(U256::from(1))).await.unwrap().steward, a[1]);

        // System 1: the registered schema exists; three review packets Accepted, one Expired.
        let w = viable.work();
        let schema: alloy::primitives::B256 = ids["schemaId"].as_str().unwrap().parse().unwrap();
        assert_eq!(w.schema(schema).await.unwrap().name, "bugfix");
        let reviews: Vec<PacketId> =
            ids["reviewPackets"].as_array().unwrap().iter().map(|p| PacketId(u256(p))).collect();
        assert_eq!(reviews.len(), 3);
        for p in &reviews {
            let info = w.packet(*p).await.unwrap();
            assert_eq!(info.status, PacketStatus::Accepted, "packet {p}");
            assert_eq!(info.schema_id, recognized[0].0);
        }
        let expired = PacketId(u256(&ids["expiredPacket"]));
        assert_eq!(w.packet(expired).await.unwrap().status, PacketStatus::Expired);

        // System 2: the second contender holds the resource; the first lease is over.
        let l = viable.locks();
        let oracle = Resource::named("interface:oracle");
        let (first, second) =
            (PacketId(u256(&ids["lock"]["first"])), PacketId(u256(&ids["lock"]["second"])));
        // The second was granted when the first lease ended; by the end of the scenario
        // its own lease has run out too and the keeper may have expired it: either way
        // it no longer waits.
        let second_state = l.request_info(oracle, second).await.unwrap().state;
        assert!(
            matches!(second_state, RequestState::Held | RequestState::None),
            "the second request still waits: {second_state}"
        );
        assert_ne!(l.request_info(oracle, first).await.unwrap().state, RequestState::Held);

        // System 3: paid, vetoed, and a stream claimed in full by its recipient.
        let al = &ids["allocations"];
        let get = |k: &str| AllocationId(u256(&al[k]));
        let ether = U256::from(10u64).pow(U256::from(18));
        let paid = t.allocation(get("paid")).await.unwrap();
        assert_eq!((paid.state, paid.amount, paid.recipient), (AllocationState::Paid, ether, a[3]));
        assert_eq!(t.allocation(get("vetoed")).await.unwrap().state, AllocationState::Vetoed);
        let s = t.allocation(get("stream")).await.unwrap();
        assert_eq!(s.state, AllocationState::Claimable);
        assert_eq!((s.claimed, s.recipient), (s.amount, a[5]));
        assert!(s.stream_duration > 0);
        assert_eq!(
            t.balance(Address::ZERO).await.unwrap(),
            ether * U256::from(100) - paid.amount - s.amount
        );

        // System 4: one option Ready and then Adopted by the amendment; the other Open.
        let st = viable.strategy();
        let ready = ProposalId(u256(&ids["strategy"]["ready"]));
        let other = ProposalId(u256(&ids["strategy"]["other"]));
        assert_eq!(st.record(ready).await.unwrap().state, ProposalState::Adopted);
        assert_eq!(st.record(other).await.unwrap().state, ProposalState::Open);

        // System 5: the amendment executed and the parameter changed (5 -> 10 minutes).
        let id = AmendmentId(u256(&ids["amendment"]));
        assert_eq!(c.amendment_state(id).await.unwrap(), AmendmentState::Executed);
        assert_eq!(c.param(ParamKey::LocksMaxTtl).await.unwrap(), U256::from(600));

        // The in-process keeper (account 9) sent transactions: the duties it has adapters
        // for (the packet's expiry, the amendment's queue and execute).
        assert!(provider.get_transaction_count(a[9]).await.unwrap() >= 3);
    });
}
