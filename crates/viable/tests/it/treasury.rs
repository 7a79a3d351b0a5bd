//! The treasury end to end on anvil: a steward funds one packet, a guardian vetoes
//! another through the constitution, the window passes, execute pays the first, and
//! a stream is claimed in two parts. The client-side checks refuse with the
//! contract's own error names before anything is sent.

use alloy::{
    eips::BlockNumberOrTag,
    primitives::{Address, B256, U256},
    providers::Provider,
};
use viable::{
    Amendment, Viable,
    treasury::{AllocationState, LineStatus, NewLine, TreasuryError},
    work::{PacketId, PacketStatus, SchemaDef, Value},
};

use crate::{Chain, ether};

/// Register an Attested schema (account 0 attests alone), have the constitution
/// recognize it, and return its id.
async fn recognized_schema(chain: &Chain, viable: &Viable<alloy::providers::DynProvider>) -> B256 {
    let text = format!(
        r#"
name = "paid work"
acceptance = {{ mode = "attested", quorum = 1, attesters = ["{}"], window = "5 minutes" }}
[[fields]]
type = "bytes32"
required = true
"#,
        chain.anvil.addresses()[0]
    );
    let schema = SchemaDef::from_toml_str(&text, "t").unwrap().resolve(16, 600).unwrap();
    let id = viable.work().register_schema(&schema).await.unwrap();
    chain.pass(viable, &Amendment::new().recognize(id, 10).description("pay for work")).await;
    assert_eq!(viable.constitution().recognition(id).await.unwrap(), U256::from(10));
    id
}

/// Account `who` submits a packet of `schema`; account 0 attests it.
async fn accepted_packet(
    chain: &Chain,
    viable: &Viable<alloy::providers::DynProvider>,
    schema: B256,
    who: usize,
    n: u8,
) -> PacketId {
    let work = chain.as_account(viable, who).work();
    let id = work
        .submit_values(schema, B256::repeat_byte(n), &[Value::Bytes32(B256::repeat_byte(n))])
        .await
        .unwrap();
    viable.work().attest(id).await.unwrap();
    assert_eq!(viable.work().packet(id).await.unwrap().status, PacketStatus::Accepted);
    id
}

fn check_err(err: &viable::Error) -> &TreasuryError {
    err.check::<TreasuryError>().unwrap_or_else(|| panic!("a client-side check, got {err}"))
}

#[tokio::test]
async fn a_steward_funds_a_guardian_vetoes_execute_pays_and_a_stream_is_claimed_in_two_parts() {
    let chain = Chain::spawn();
    let viable = chain.deploy_dev().await;
    let a = chain.anvil.addresses().to_vec();
    let (steward, guardian) = (chain.as_account(&viable, 1), chain.as_account(&viable, 2));
    let schema = recognized_schema(&chain, &viable).await;
    let p1 = accepted_packet(&chain, &viable, schema, 4, 1).await;
    let p2 = accepted_packet(&chain, &viable, schema, 5, 2).await;
    let p3 = accepted_packet(&chain, &viable, schema, 6, 3).await;
    let p4 = accepted_packet(&chain, &viable, schema, 4, 4).await;

    // Deposits: ETH, and the VIA token with its decimals read from the token.
    let t = viable.treasury();
    let hundred = t.parse_amount(Address::ZERO, "100 ether").await.unwrap();
    assert_eq!(hundred, ether() * U256::from(100));
    assert_eq!(t.deposit(Address::ZERO, hundred).await.unwrap(), hundred);
    let via = viable.deployment().token;
    let info = t.asset(via).await.unwrap();
    assert_eq!((info.symbol.as_str(), info.decimals), ("VIA", 18));
    let tokens = t.parse_amount(via, "250 VIA").await.unwrap();
    assert_eq!(t.deposit(via, tokens).await.unwrap(), tokens);
    assert_eq!(t.balance(via).await.unwrap(), tokens);
    let err = t.parse_amount(via, "-1 VIA").await.unwrap_err();
    assert!(matches!(check_err(&err), TreasuryError::NegativeAmount { .. }), "{err}");

    // A steward opens an ETH line with the whole epoch budget (10% of 100 ether).
    let st = steward.treasury();
    let line =
        st.create_line(&NewLine::new(Address::ZERO, a[1], 10_000).schema(schema)).await.unwrap();
    assert_eq!(st.line(line).await.unwrap().status, LineStatus::Active);
    let err = st.create_line(&NewLine::new(Address::ZERO, a[1], 1)).await.unwrap_err();
    assert!(
        matches!(check_err(&err), TreasuryError::ShareSumExceeded { sum_bps: 10_001, .. }),
        "{err}"
    );

    // The steward funds p1 (transfer), p2 (to be vetoed) and p3 (a 100 s stream).
    let two = ether() * U256::from(2);
    let funded = st.allocate(line, p1, two, 0).await.unwrap();
    let vetoed = st.allocate(line, p2, ether(), 0).await.unwrap();
    let stream_amount = ether() * U256::from(12) / U256::from(10);
    let streamed = st.allocate(line, p3, stream_amount, 100).await.unwrap();
    let used = st.line_epoch(line).await.unwrap().used;
    assert_eq!(used, two + ether() + stream_amount);

    // Client-side: the recipient's cap (25% of the budget) holds; the contract's name.
    let err = st.allocate(line, p4, ether(), 0).await.unwrap_err();
    let TreasuryError::RecipientCapExceeded { recipient, amount, .. } = check_err(&err) else {
        panic!("{err}")
    };
    assert_eq!((*recipient, *amount), (a[4], ether()));
    assert!(err.to_string().contains("OptimizationTreasuryRecipientCapExceeded"), "{err}");
    // Nothing executes inside its window.
    let err = t.execute(funded).await.unwrap_err();
    assert!(matches!(check_err(&err), TreasuryError::VetoWindowOpen { .. }), "{err}");

    // A guardian vetoes p2 through the constitution; its amount returns to the line.
    guardian.constitution().veto_allocation(vetoed.0, "duplicate of p1").await.unwrap();
    assert_eq!(t.allocation(vetoed).await.unwrap().state, AllocationState::Vetoed);
    assert_eq!(st.line_epoch(line).await.unwrap().used, two + stream_amount);
    let err = st.allocate(line, p2, ether(), 0).await.unwrap_err();
    assert!(
        matches!(
            check_err(&err),
            TreasuryError::AlreadyAllocated { state: AllocationState::Vetoed, .. }
        ),
        "{err}"
    );

    // The window passes; anyone executes: p1 is paid, p3 becomes a stream.
    let window = viable.constitution().param(viable::ParamKey::TreasuryVetoWindow).await.unwrap();
    chain.advance(window.to::<u64>() + 1).await;
    let before = chain.provider.get_balance(a[4]).await.unwrap();
    assert_eq!(t.execute(funded).await.unwrap(), AllocationState::Paid);
    assert_eq!(chain.provider.get_balance(a[4]).await.unwrap() - before, two);
    let err = t.execute(vetoed).await.unwrap_err();
    assert!(matches!(check_err(&err), TreasuryError::WrongState { .. }), "{err}");
    assert_eq!(t.execute(streamed).await.unwrap(), AllocationState::Claimable);

    // The stream is claimed in two parts by its recipient.
    let recipient = chain.as_account(&viable, 6).treasury();
    let s = t.allocation(streamed).await.unwrap();
    assert_eq!((s.recipient, s.stream_duration), (a[6], 100));
    let now = chain.provider.get_block_by_number(BlockNumberOrTag::Latest).await.unwrap().unwrap();
    chain.advance((s.deadline + 50).saturating_sub(now.header.timestamp)).await;
    let first = recipient.claim(streamed).await.unwrap();
    assert!(first > U256::ZERO && first < stream_amount, "first part {first}");
    assert_eq!(t.allocation(streamed).await.unwrap().claimed, first);
    chain.advance(100).await;
    let second = recipient.claim(streamed).await.unwrap();
    assert_eq!(first + second, stream_amount);
    let done = t.allocation(streamed).await.unwrap();
    assert_eq!(
        (done.vested, done.claimed, done.claimable()),
        (stream_amount, stream_amount, U256::ZERO)
    );
    let err = recipient.claim(streamed).await.unwrap_err();
    assert!(matches!(check_err(&err), TreasuryError::NothingToClaim { .. }), "{err}");

    // The ETH books: what left is exactly what was paid.
    let paid = two + stream_amount;
    assert_eq!(t.balance(Address::ZERO).await.unwrap(), hundred - paid);
}
