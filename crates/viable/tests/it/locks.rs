//! CoordinationLocks through the SDK on anvil: two contributors contend for one
//! resource, the second waits, the first's lease ends and anyone's `expire` grants the
//! second; a run of Shared requests behind an Exclusive holder is granted together.

use alloy::{
    primitives::{Address, B256, U256},
    providers::DynProvider,
};
use viable::{
    Error, Viable,
    locks::{LocksError, Mode, RequestState, Resource},
    work::{PacketId, PacketStatus, SchemaDef, Value},
};

use crate::Chain;

const SCHEMA: &str = r#"
name = "lock work"
acceptance = { mode = "immediate" }
[[fields]]
type = "uint256"
"#;

/// Account `index`'s client for the deployment, its address, and one Accepted packet of its own.
async fn contributor(
    chain: &Chain,
    viable: &Viable<DynProvider>,
    schema: B256,
    index: usize,
    seed: u8,
) -> (Viable<DynProvider>, Address, PacketId) {
    let v = if index == 0 { viable.clone() } else { chain.as_account(viable, index) };
    let who = chain.anvil.addresses()[index];
    let packet = v
        .work()
        .submit_values(schema, B256::repeat_byte(seed), &[Value::Uint(U256::from(seed))])
        .await
        .unwrap();
    assert_eq!(v.work().packet(packet).await.unwrap().status, PacketStatus::Accepted);
    (v, who, packet)
}

fn revert_name(e: &Error) -> &str {
    match e {
        Error::Revert(r) => &r.name,
        other => panic!("expected a revert, got {other}"),
    }
}

#[tokio::test]
async fn contention_queues_the_second_and_expire_grants_it_then_a_shared_run_is_granted_together() {
    let chain = Chain::spawn();
    let viable = chain.deploy_dev().await;
    let schema = SchemaDef::from_toml_str(SCHEMA, "t").unwrap().resolve(16, 600).unwrap();
    let schema = viable.work().register_schema(&schema).await.unwrap();
    let (a, alice, pa) = contributor(&chain, &viable, schema, 1, 1).await;
    let (b, bob, pb) = contributor(&chain, &viable, schema, 2, 2).await;
    let (c, carol, pc) = contributor(&chain, &viable, schema, 3, 3).await;
    let (la, lb, lc) = (a.locks().sender(alice), b.locks().sender(bob), c.locks().sender(carol));
    let oracle = Resource::parse("interface:oracle").unwrap();

    // Alice is granted at once; Bob waits behind her.
    let held = la.request(oracle, pa, Mode::Exclusive, 120, None).await.unwrap();
    assert_eq!(held.state, RequestState::Held);
    let lease_end = held.lease_end.unwrap();
    assert_eq!(la.lease_end(oracle, pa).await.unwrap(), Some(lease_end));

    // Client-side checks refuse with the contract's error before sending.
    let err = lb.request(oracle, pa, Mode::Exclusive, 120, None).await.unwrap_err();
    assert_eq!(
        err.check::<LocksError>(),
        Some(&LocksError::NotContributor { packet_id: pa, caller: bob })
    );
    let err = lb.request(oracle, pb, Mode::Exclusive, 301, None).await.unwrap_err();
    assert_eq!(err.check::<LocksError>(), Some(&LocksError::InvalidTtl { ttl: 301, max_ttl: 300 }));
    assert!(err.to_string().contains("CoordinationLocksInvalidTtl"), "{err}");

    let queued = lb.request(oracle, pb, Mode::Exclusive, 120, None).await.unwrap();
    assert_eq!((queued.state, queued.position), (RequestState::Queued, Some(1)));
    let r = lb.resource(oracle).await.unwrap();
    assert_eq!((r.holders, r.mode, r.queue_length), (1, Mode::Exclusive, 1));
    assert_eq!((r.head, r.expires_by), (Some(pb), Some(lease_end)));
    assert_eq!(lb.queue(oracle, 10).await.unwrap(), vec![pb]);
    let info = lb.request_info(oracle, pb).await.unwrap();
    assert_eq!((info.state, info.requester, info.position), (RequestState::Queued, bob, Some(1)));

    // Bob can neither release Alice's lock nor expire a running lease.
    let err = lb.release(oracle, pa).await.unwrap_err();
    assert_eq!(err.check::<LocksError>().map(LocksError::name), Some("CoordinationLocksNotHolder"));
    let err = lc.expire(oracle, pa).await.unwrap_err();
    assert_eq!(revert_name(&err), "CoordinationLocksLeaseNotEnded");

    // Alice's lease ends; Carol (anyone) expires it, which grants Bob.
    chain.advance(121).await;
    let granted = lc.expire(oracle, pa).await.unwrap();
    assert_eq!(granted.len(), 1);
    assert_eq!((granted[0].packet_id, granted[0].holder), (pb, bob));
    assert_eq!(la.request_info(oracle, pa).await.unwrap().state, RequestState::None);
    let info = lb.request_info(oracle, pb).await.unwrap();
    assert_eq!((info.state, info.requester), (RequestState::Held, bob));
    assert_eq!(info.lease_end, Some(granted[0].lease_end));
    let r = lb.resource(oracle).await.unwrap();
    assert_eq!((r.holders, r.queue_length, r.head), (1, 0, None));
    assert_eq!(lb.locks_of(pb, &[oracle]).await.unwrap(), vec![RequestState::Held]);

    // A Shared run behind an Exclusive holder: Bob holds `docs` alone; Alice, Carol and a
    // second packet of Bob's wait Shared; Bob's release grants all three in one transaction.
    let docs = Resource::named("docs:shared");
    assert_eq!(
        lb.request(docs, pb, Mode::Exclusive, 120, None).await.unwrap().state,
        RequestState::Held
    );
    // Through Bob's own client: one provider per key keeps nonces right.
    let pb2 = b
        .work()
        .submit_values(schema, B256::repeat_byte(4), &[Value::Uint(U256::from(4))])
        .await
        .unwrap();
    for (l, p, at) in [(&la, pa, 1), (&lc, pc, 2), (&lb, pb2, 3)] {
        let q = l.request(docs, p, Mode::Shared, 200, None).await.unwrap();
        assert_eq!((q.state, q.position), (RequestState::Queued, Some(at)));
    }
    let granted = lb.release(docs, pb).await.unwrap();
    let ids: Vec<_> = granted.iter().map(|g| g.packet_id).collect();
    assert_eq!(ids, vec![pa, pc, pb2]);
    assert!(granted.iter().all(|g| g.mode == Mode::Shared));
    let r = la.resource(docs).await.unwrap();
    assert_eq!((r.holders, r.mode, r.queue_length), (3, Mode::Shared, 0));
    for (p, who) in [(pa, alice), (pc, carol), (pb2, bob)] {
        let info = la.request_info(docs, p).await.unwrap();
        assert_eq!((info.state, info.requester), (RequestState::Held, who));
    }
    // Nothing is left to grant.
    let err = lc.grant_next(docs).await.unwrap_err();
    assert_eq!(revert_name(&err), "CoordinationLocksNothingToGrant");
}

#[tokio::test]
async fn withdraw_finds_its_predecessor_and_renew_moves_the_lease() {
    let chain = Chain::spawn();
    let viable = chain.deploy_dev().await;
    let schema = SchemaDef::from_toml_str(SCHEMA, "t").unwrap().resolve(16, 600).unwrap();
    let schema = viable.work().register_schema(&schema).await.unwrap();
    let (a, alice, pa) = contributor(&chain, &viable, schema, 1, 1).await;
    let (b, bob, pb) = contributor(&chain, &viable, schema, 2, 2).await;
    let (c, carol, pc) = contributor(&chain, &viable, schema, 3, 3).await;
    let (la, lb, lc) = (a.locks().sender(alice), b.locks().sender(bob), c.locks().sender(carol));
    let key = Resource::named("queue:middle");
    la.request(key, pa, Mode::Exclusive, 60, None).await.unwrap();
    lb.request(key, pb, Mode::Exclusive, 60, None).await.unwrap();
    lc.request(key, pc, Mode::Exclusive, 60, None).await.unwrap();
    // Carol withdraws from behind Bob: the SDK names Bob as the one ahead.
    assert!(lc.withdraw(key, pc).await.unwrap().is_empty());
    assert_eq!(lc.queue(key, 10).await.unwrap(), vec![pb]);
    assert_eq!(lc.request_info(key, pc).await.unwrap().state, RequestState::None);
    let end = la.renew(key, pa, 200).await.unwrap();
    assert_eq!(la.lease_end(key, pa).await.unwrap(), Some(end));
    assert_eq!(la.next_expiry(key).await.unwrap(), Some(end));
}
