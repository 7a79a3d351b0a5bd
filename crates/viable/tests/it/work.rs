//! The client-side packet checks and the contract agree on one shared corpus of good
//! and bad packets: for each, the SDK's verdict (error name and facts, or accepted)
//! must equal the chain's. Either one disagreeing fails the test.

use alloy::{
    primitives::{Address, B256, Bytes, I256, U256},
    providers::{Provider, ext::AnvilApi},
};
use viable::{
    Viable,
    work::{PacketError, PacketStatus, Schema, SchemaDef, Value, validate_packet},
};

use crate::Chain;

const THREE_FIELDS: &str = r#"
name = "bugfix"
acceptance = { mode = "immediate" }
[[fields]]
name = "issue"
type = "uint256"
required = true
min = 1
max = 1000000
[[fields]]
name = "commit"
type = "bytes32"
[[fields]]
name = "summary"
type = "string"
max_len = 64
"#;

const EVERY_TYPE: &str = r#"
name = "every type"
acceptance = { mode = "immediate" }
[[fields]]
type = "address"
required = true
[[fields]]
type = "bool"
[[fields]]
type = "int256"
[[fields]]
type = "bytes"
max_len = 40
required = true
[[fields]]
type = "bytes32[]"
max_len = 3
[[fields]]
type = "uint256"
min = 10
[[fields]]
type = "string"
max_len = 5
"#;

fn every_type_values() -> Vec<Value> {
    vec![
        Value::Address(Address::repeat_byte(0x11)),
        Value::Bool(true),
        Value::Int(I256::try_from(-5i64).unwrap()),
        Value::Bytes(Bytes::from(vec![0xab; 33])),
        Value::Bytes32Array(vec![B256::repeat_byte(2), B256::repeat_byte(3)]),
        Value::Uint(U256::from(11)),
        Value::String("abc".into()),
    ]
}

/// Byte-level mutations of a good encoding, each named.
fn mutations(good: &[u8], fields: usize) -> Vec<(String, Vec<u8>)> {
    let mut out = vec![("good".to_string(), good.to_vec())];
    out.push(("truncated by 1".into(), good[..good.len() - 1].to_vec()));
    out.push(("truncated by a word".into(), good[..good.len() - 32].to_vec()));
    out.push(("head only".into(), good[..fields * 32].to_vec()));
    let mut t = good.to_vec();
    t.push(0);
    out.push(("one trailing byte".into(), t));
    let mut t = good.to_vec();
    t.extend([0u8; 32]);
    out.push(("one trailing word".into(), t));
    for w in 0..fields {
        for (name, f) in [
            ("zeroed", (|_: &mut [u8]| {}) as fn(&mut [u8])),
            ("+32", |word: &mut [u8]| word[30] = word[30].wrapping_add(1)),
            ("high byte", |word: &mut [u8]| word[0] = 0x01),
            ("low byte 2", |word: &mut [u8]| word[31] = 2),
            ("max", |word: &mut [u8]| word.fill(0xff)),
        ] {
            let mut m = good.to_vec();
            let word = &mut m[w * 32..w * 32 + 32];
            if name == "zeroed" {
                word.fill(0);
            } else {
                f(word);
            }
            out.push((format!("head word {w} {name}"), m));
        }
    }
    // Flip each tail byte's low bit in the last 40 bytes (lengths, content, padding).
    for k in 1..=40.min(good.len() - fields * 32) {
        let mut m = good.to_vec();
        let at = m.len() - k;
        m[at] ^= 1;
        out.push((format!("tail byte -{k} flipped"), m));
    }
    out
}

async fn chain_verdict<P: alloy::providers::Provider + Clone>(
    viable: &Viable<P>,
    schema_id: B256,
    hash: B256,
    data: &[u8],
) -> Option<(String, Vec<String>)> {
    let w = viable.work().contract().await.unwrap();
    match w.submit(schema_id, hash, Bytes::copy_from_slice(data)).call().await {
        Ok(_) => None,
        Err(e) => {
            let err: viable::Error = e.into();
            let r = err.revert().unwrap_or_else(|| panic!("not a revert: {err}")).clone();
            Some((r.name, r.args.into_iter().map(|(_, v)| v).collect()))
        }
    }
}

#[tokio::test]
async fn client_checks_and_contract_agree_on_a_shared_corpus() {
    let chain = Chain::spawn();
    let viable = chain.deploy_dev().await;
    let max_data = 4096u64;
    let mut checked = 0;
    let mut rejected = 0;
    for (text, values) in [
        (
            THREE_FIELDS,
            vec![
                Value::Uint(U256::from(42)),
                Value::Bytes32(B256::repeat_byte(7)),
                Value::String("fix the oracle".into()),
            ],
        ),
        (EVERY_TYPE, every_type_values()),
    ] {
        let schema: Schema =
            SchemaDef::from_toml_str(text, "corpus").unwrap().resolve(16, 600).unwrap();
        let id = viable.work().register_schema(&schema).await.unwrap();
        assert_eq!(id, schema.id(), "the SDK computes the content-addressed id");
        let good = schema.encode(&values).unwrap();
        let mut corpus = mutations(&good, schema.fields.len());
        corpus.push(("too large".into(), vec![0u8; max_data as usize + 1]));
        for hash in [B256::repeat_byte(9), B256::ZERO] {
            for (name, data) in &corpus {
                let client = validate_packet(&schema, hash, data, max_data)
                    .err()
                    .map(|e| (e.contract_error().unwrap().to_string(), e.contract_args()));
                let chain = chain_verdict(&viable, id, hash, data).await;
                assert_eq!(client, chain, "{} / {name} / hash {hash}", schema.name);
                checked += 1;
                rejected += usize::from(chain.is_some());
            }
        }
    }
    assert!(rejected > checked / 2, "the corpus must mostly be bad packets ({rejected}/{checked})");

    // The good packet lands, and reads back decoded.
    let schema: Schema =
        SchemaDef::from_toml_str(THREE_FIELDS, "t").unwrap().resolve(16, 600).unwrap();
    let values = vec![
        Value::Uint(U256::from(42)),
        Value::Bytes32(B256::repeat_byte(7)),
        Value::String("fix the oracle".into()),
    ];
    let work = viable.work();
    let packet = work.submit_values(schema.id(), B256::repeat_byte(1), &values).await.unwrap();
    let info = work.packet(packet).await.unwrap();
    assert_eq!(info.status, PacketStatus::Accepted);
    assert_eq!(viable::work::decode_packet(&schema, &info.data).unwrap(), values);
    let second = work.submit_values(schema.id(), B256::repeat_byte(2), &values).await.unwrap();
    let listed = work.packets(None, Some(schema.id()), 10).await.unwrap();
    assert_eq!(listed.iter().map(|p| p.id).collect::<Vec<_>>(), [second, packet], "newest first");
    assert_eq!(work.packets(None, Some(schema.id()), 1).await.unwrap()[0].id, second);
    assert!(work.packets(Some(chain.anvil.addresses()[7]), None, 10).await.unwrap().is_empty());

    // A bad packet never reaches the chain: the SDK refuses it first.
    let err = work
        .submit_values(
            schema.id(),
            B256::repeat_byte(1),
            &[Value::Uint(U256::ZERO), Value::Bytes32(B256::ZERO), Value::String(String::new())],
        )
        .await
        .unwrap_err();
    assert!(err.to_string().starts_with("WorkRegistryFieldRequired: field 0"), "{err}");
    assert!(
        matches!(err.check::<PacketError>(), Some(PacketError::FieldRequired { field }) if field.is_zero()),
        "the client-side error stays typed: {err:?}"
    );
}

#[tokio::test]
async fn attested_packets_need_a_quorum_and_expire_otherwise() {
    let chain = Chain::spawn();
    let viable = chain.deploy_dev().await;
    let a = chain.anvil.addresses();
    let text = format!(
        r#"
name = "review"
acceptance = {{ mode = "attested", quorum = 2, attesters = ["{}", "{}", "{}"], window = "5 minutes" }}
[[fields]]
type = "bytes32"
required = true
"#,
        a[1], a[2], a[3]
    );
    let schema = SchemaDef::from_toml_str(&text, "t").unwrap().resolve(16, 600).unwrap();
    let work = viable.work();
    let id = work.register_schema(&schema).await.unwrap();
    let as_ = |i: usize| chain.as_account(&viable, i).work();
    let p1 = as_(4)
        .submit_values(id, B256::repeat_byte(1), &[Value::Bytes32(B256::repeat_byte(5))])
        .await
        .unwrap();
    let info = work.packet(p1).await.unwrap();
    assert_eq!((info.status, info.attestations), (PacketStatus::Pending, 0));
    as_(1).attest(p1).await.unwrap();
    let err = as_(5).attest(p1).await.unwrap_err();
    assert!(err.is_revert("WorkRegistryNotAttester"), "{err}");
    let typed =
        err.revert().unwrap().as_error::<viable::bindings::WorkRegistry::WorkRegistryNotAttester>();
    assert_eq!(typed.map(|e| e.caller), Some(chain.anvil.addresses()[5]));
    assert_eq!(work.packet(p1).await.unwrap().attestations, 1);
    as_(2).attest(p1).await.unwrap();
    assert_eq!(work.packet(p1).await.unwrap().status, PacketStatus::Accepted);

    let p2 = as_(4)
        .submit_values(id, B256::repeat_byte(2), &[Value::Bytes32(B256::repeat_byte(6))])
        .await
        .unwrap();
    let err = work.expire(p2).await.unwrap_err();
    assert!(err.is_revert("WorkRegistryDeadlineNotReached"), "{err}");
    chain.provider.anvil_increase_time(301).await.unwrap();
    chain.provider.evm_mine(None).await.unwrap();
    work.expire(p2).await.unwrap();
    assert_eq!(work.packet(p2).await.unwrap().status, PacketStatus::Expired);

    let p3 = as_(4)
        .submit_values(id, B256::repeat_byte(3), &[Value::Bytes32(B256::repeat_byte(7))])
        .await
        .unwrap();
    as_(4).retract(p3).await.unwrap();
    assert_eq!(work.packet(p3).await.unwrap().status, PacketStatus::Retracted);
    // The schema is not recognized: acceptance earns no points. Seeded accounts have some.
    assert!(work.contribution(chain.anvil.addresses()[4]).await.unwrap().points.is_zero());
    let seeded = work.contribution(chain.anvil.addresses()[0]).await.unwrap();
    assert_eq!((seeded.points, seeded.power), (U256::from(100), U256::from(10)));
}

#[tokio::test]
async fn a_packet_without_its_submission_event_is_an_error_not_empty_data() {
    let chain = Chain::spawn();
    let viable = chain.deploy_dev().await;
    let work = viable.work();
    let schema = SchemaDef::from_toml_str(THREE_FIELDS, "t").unwrap().resolve(16, 600).unwrap();
    let id = work.register_schema(&schema).await.unwrap();
    let values = [
        Value::Uint(U256::from(3)),
        Value::Bytes32(B256::repeat_byte(4)),
        Value::String("s".into()),
    ];
    let packet = work.submit_values(id, B256::repeat_byte(5), &values).await.unwrap();
    // A deployment record whose scan starts after the submission cannot find the event.
    let mut late = viable.deployment().clone();
    late.deploy_block = chain.provider.get_block_number().await.unwrap() + 1;
    crate::mine(&chain.provider, 2).await;
    let err = Viable::new(chain.provider.clone(), late).work().packet(packet).await.unwrap_err();
    assert!(matches!(err, viable::Error::Unexpected(_)), "{err}");
}

/// `submit_pipelined` sends many packets without waiting for each: every one lands, in
/// the order given, with its own data; and a packet that fails the client-side checks
/// stops the whole batch before anything is sent.
#[tokio::test]
async fn pipelined_packets_land_in_order_and_a_bad_one_stops_the_batch_before_sending() {
    let chain = Chain::spawn();
    let viable = chain.deploy_dev().await;
    let work = viable.work();
    let schema = SchemaDef::from_toml_str(THREE_FIELDS, "t").unwrap().resolve(16, 600).unwrap();
    let id = work.register_schema(&schema).await.unwrap();
    let from = chain.anvil.addresses()[0];
    let signer: alloy::signers::local::PrivateKeySigner = chain.anvil.keys()[0].clone().into();
    let wallet = alloy::network::EthereumWallet::from(signer);
    // Encoded directly (not through the SDK's encoder, which would refuse the bad one).
    let packet = |i: u64, summary: &str| -> (B256, Bytes) {
        use alloy::sol_types::SolValue;
        let data = (U256::from(i), B256::repeat_byte(1), summary.to_string()).abi_encode_params();
        (B256::from(U256::from(i + 1)), data.into())
    };
    // Two data lengths, so two simulations; 40 packets, more than in flight at once.
    let batch: Vec<_> = (1..=40u64)
        .map(|i| packet(i, if i % 2 == 0 { "even" } else { "an odd one, longer" }))
        .collect();
    let ids = work.submit_pipelined(&wallet, id, &batch).await.unwrap();
    assert_eq!(ids.len(), 40);
    for (k, pid) in ids.iter().enumerate() {
        let info = work.packet(*pid).await.unwrap();
        assert_eq!(info.content_hash, batch[k].0, "packet {k} is the k-th given");
        assert_eq!(info.data, batch[k].1);
    }
    assert!(ids.windows(2).all(|w| w[0].0 + U256::from(1) == w[1].0), "consecutive ids: {ids:?}");

    // issue = 0 on a required field: refused client-side, nothing sent.
    let nonce = chain.provider.get_transaction_count(from).await.unwrap();
    let bad = vec![packet(41, "fine"), packet(0, "zero issue")];
    let err = work.submit_pipelined(&wallet, id, &bad).await.unwrap_err();
    assert!(err.to_string().contains("WorkRegistryFieldRequired"), "{err}");
    assert_eq!(chain.provider.get_transaction_count(from).await.unwrap(), nonce, "nothing sent");
}
