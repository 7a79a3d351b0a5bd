//! `viable dev --scenario`: a narrated walk through all five systems on the dev chain,
//! each step naming the VSM system it exercises. Time moves with anvil's RPC
//! (`evm_increaseTime` + `evm_mine`), never by waiting. Where a step is a keeper duty,
//! the scenario mines a bounded number of blocks for the in-process keeper to do it;
//! if the keeper does not (`--no-keeper`, or it is slow), the scenario does it
//! itself and says so in one line. What matters is the outcome on chain.

use std::{future::Future, io::Write, time::Duration};

use alloy::{
    eips::BlockNumberOrTag,
    network::EthereumWallet,
    primitives::{Address, B256, U256, keccak256},
    providers::{DynProvider, Provider, ProviderBuilder, ext::AnvilApi},
    signers::local::PrivateKeySigner,
    transports::http::reqwest::Url,
};
use eyre::{WrapErr, bail, eyre};
use serde_json::json;
use viable::{
    Amendment, AmendmentId, AmendmentState, ParamKey, Support, Viable, display,
    locks::{Mode, RequestState, Resource},
    strategy::{Crossing, ProposalId, ProposalState, Target, encode_suggested_actions},
    treasury::{AllocationId, AllocationState, AssetInfo, LineId, format_amount},
    work::{PacketId, PacketStatus, SchemaDef, Value},
};

/// Blocks the scenario mines while it waits for the keeper to perform a duty.
pub(crate) const KEEPER_BLOCKS: u64 = 12;
/// Wall-clock time per mined block while waiting for the keeper: a few of its polls.
const KEEPER_BLOCK_WAIT: Duration = Duration::from_millis(300);

/// The anvil accounts' roles in the dev genesis and the scenario.
pub(crate) mod who {
    /// Deployer, founding contributor (Work power 10), proposer.
    pub(crate) const FOUNDER: usize = 0;
    /// STEWARD: runs the treasury's budget lines; founding contributor (power 8).
    pub(crate) const STEWARD: usize = 1;
    /// GUARDIAN: may veto allocations; founding contributor (power 6).
    pub(crate) const GUARDIAN: usize = 2;
    /// Contributors.
    pub(crate) const CONTRIBUTORS: [usize; 3] = [3, 4, 5];
    /// The dev genesis's "review" attesters (quorum 2).
    pub(crate) const ATTESTERS: [usize; 3] = [6, 7, 8];
    /// The in-process keeper signs as this account.
    pub(crate) const KEEPER: usize = 9;
}

/// The schema contributors register in step 1: accepted at once.
const BUGFIX: &str = r#"name = "bugfix"
acceptance = { mode = "immediate" }
[[fields]]
name = "issue"
type = "uint256"
required = true
min = 1
[[fields]]
name = "summary"
type = "string"
max_len = 120
"#;

/// Who performed a keeper duty.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum By {
    /// The in-process keeper.
    Keeper,
    /// The scenario itself (no keeper, or it did not act within [`KEEPER_BLOCKS`]).
    Scenario,
}

impl By {
    fn name(self) -> &'static str {
        match self {
            Self::Keeper => "keeper",
            Self::Scenario => "scenario",
        }
    }
}

/// What the scenario left on chain (ids to look up), and who did each keeper duty.
#[derive(Debug, Clone)]
pub(crate) struct Outcome {
    pub(crate) schema_id: B256,
    pub(crate) review_packets: Vec<PacketId>,
    pub(crate) expired_packet: PacketId,
    pub(crate) resource: Resource,
    pub(crate) lock_first: PacketId,
    pub(crate) lock_second: PacketId,
    pub(crate) paid: AllocationId,
    pub(crate) vetoed: AllocationId,
    pub(crate) stream: AllocationId,
    pub(crate) claimed: U256,
    pub(crate) ready: ProposalId,
    pub(crate) other: ProposalId,
    pub(crate) amendment: AmendmentId,
    pub(crate) max_ttl: (U256, U256),
    pub(crate) duties: Vec<(&'static str, By)>,
}

impl Outcome {
    pub(crate) fn to_json(&self) -> serde_json::Value {
        json!({
            "schemaId": self.schema_id.to_string(),
            "reviewPackets": self.review_packets.iter().map(|p| p.0.to_string()).collect::<Vec<_>>(),
            "expiredPacket": self.expired_packet.0.to_string(),
            "resource": self.resource.0.to_string(),
            "lock": { "first": self.lock_first.0.to_string(), "second": self.lock_second.0.to_string() },
            "allocations": {
                "paid": self.paid.0.to_string(),
                "vetoed": self.vetoed.0.to_string(),
                "stream": self.stream.0.to_string(),
                "claimed": self.claimed.to_string(),
            },
            "strategy": { "ready": self.ready.0.to_string(), "other": self.other.0.to_string() },
            "amendment": self.amendment.0.to_string(),
            "locksMaxTtl": { "before": self.max_ttl.0.to_string(), "after": self.max_ttl.1.to_string() },
            "duties": self.duties.iter().map(|(d, by)| json!({ "duty": d, "by": by.name() })).collect::<Vec<_>>(),
        })
    }
}

/// The scenario's clients, one per anvil account, and how it narrates.
pub(crate) struct Scenario {
    /// Account i's client (its own provider, so nonces stay right).
    actors: Vec<Viable<DynProvider>>,
    addresses: Vec<Address>,
    /// A provider for the clock.
    clock: DynProvider,
    keeper: bool,
    /// Narration goes to stdout unless the answer is JSON (then stderr).
    quiet: bool,
    duties: Vec<(&'static str, By)>,
}

impl Scenario {
    /// Clients for `keys` (anvil's accounts) on `url`, for the deployment `viable` made.
    pub(crate) fn new(
        viable: &Viable<DynProvider>,
        url: &Url,
        keys: &[PrivateKeySigner],
        keeper: bool,
        quiet: bool,
    ) -> Self {
        let actors = keys
            .iter()
            .enumerate()
            .map(|(i, k)| {
                if i == who::FOUNDER {
                    return viable.clone();
                }
                let p = ProviderBuilder::new()
                    .wallet(EthereumWallet::from(k.clone()))
                    .connect_http(url.clone())
                    .erased();
                Viable::new(p, viable.deployment().clone())
            })
            .collect();
        let clock = ProviderBuilder::new().connect_http(url.clone()).erased();
        Self {
            actors,
            addresses: keys.iter().map(|k| k.address()).collect(),
            clock,
            keeper,
            quiet,
            duties: Vec::new(),
        }
    }

    fn say(&self, text: impl AsRef<str>) {
        if self.quiet {
            eprintln!("{}", text.as_ref());
        } else {
            println!("{}", text.as_ref());
        }
    }

    fn step(&self, system: &str, what: &str) {
        self.say(format!("\n[{system}] {what}"));
    }

    fn actor(&self, i: usize) -> &Viable<DynProvider> {
        &self.actors[i]
    }

    fn founder(&self) -> &Viable<DynProvider> {
        self.actor(who::FOUNDER)
    }

    /// The latest block's timestamp.
    async fn now(&self) -> eyre::Result<u64> {
        let b = self.clock.get_block_by_number(BlockNumberOrTag::Latest).await?;
        Ok(b.ok_or_else(|| eyre!("the node has no latest block"))?.header.timestamp)
    }

    /// Move the clock `seconds` on, in up to ten mined steps with a progress bar when
    /// it is long (each step is a new head for the keeper).
    async fn advance(&self, seconds: u64, why: &str) -> eyre::Result<()> {
        let steps = if seconds >= 60 { 10 } else { 1 };
        let tty = std::io::IsTerminal::is_terminal(&std::io::stderr());
        let mut done = 0;
        for i in 1..=steps {
            let to = seconds * i / steps;
            self.clock.anvil_increase_time(to - done).await?;
            self.clock.evm_mine(None).await?;
            done = to;
            if steps > 1 && tty {
                let bar = format!(
                    "{}{}",
                    "#".repeat(i as usize * 2),
                    ".".repeat((steps - i) as usize * 2)
                );
                eprint!(
                    "\r  [{bar}] {} of {} ({why})",
                    display::span(done),
                    display::span(seconds)
                );
                let _ = std::io::stderr().flush();
            }
        }
        if steps > 1 && tty {
            eprintln!();
        }
        self.say(format!("  ... clock moved {} ({why})", display::span(seconds)));
        Ok(())
    }

    /// Move the clock to just past `t` (Unix seconds).
    async fn advance_past(&self, t: u64, why: &str) -> eyre::Result<()> {
        let now = self.now().await?;
        if t >= now {
            self.advance(t - now + 1, why).await?;
        }
        Ok(())
    }

    /// A keeper duty: give the keeper up to [`KEEPER_BLOCKS`] blocks to make `done`
    /// true; otherwise perform `act` and say so. If `act` fails but `done` has become
    /// true meanwhile, the keeper got there first.
    async fn duty<D, DF, A, AF>(&mut self, name: &'static str, done: D, act: A) -> eyre::Result<By>
    where
        D: Fn() -> DF,
        DF: Future<Output = eyre::Result<bool>>,
        A: FnOnce() -> AF,
        AF: Future<Output = eyre::Result<()>>,
    {
        if self.keeper {
            for _ in 0..KEEPER_BLOCKS {
                if done().await? {
                    self.say(format!("  keeper: {name} (seen on chain)"));
                    self.duties.push((name, By::Keeper));
                    return Ok(By::Keeper);
                }
                tokio::time::sleep(KEEPER_BLOCK_WAIT).await;
                self.clock.evm_mine(None).await?;
            }
        }
        if done().await? {
            self.say(format!("  keeper: {name} (seen on chain)"));
            self.duties.push((name, By::Keeper));
            return Ok(By::Keeper);
        }
        let why = if self.keeper {
            format!("the keeper did not act within {KEEPER_BLOCKS} blocks")
        } else {
            "no keeper runs".to_string()
        };
        match act().await {
            Ok(()) => {}
            Err(e) if done().await.unwrap_or(false) => {
                tracing::debug!(target: "viable::dev", error = %e, "the keeper acted first");
                self.duties.push((name, By::Keeper));
                return Ok(By::Keeper);
            }
            Err(e) => return Err(e.wrap_err(format!("the scenario could not {name}"))),
        }
        if !done().await? {
            bail!("{name}: done, yet the chain does not show it");
        }
        self.say(format!("  scenario: {name} itself ({why})"));
        self.duties.push((name, By::Scenario));
        Ok(By::Scenario)
    }

    /// Run every step; the on-chain outcome.
    pub(crate) async fn run(mut self) -> eyre::Result<Outcome> {
        self.say("Scenario: one pass through the five systems of the Viable System Model.");
        let (schema_id, review_packets, pending) = self.work().await?;
        let (resource, lock_first, lock_second) =
            self.coordination(review_packets[0], review_packets[1]).await?;
        let (paid, vetoed, stream, claimed) = self.optimization(&review_packets).await?;
        let expired_packet = self.expiry(pending).await?;
        let (ready, other) = self.strategy().await?;
        let (amendment, max_ttl) = self.legitimacy(ready).await?;
        self.say(
            "\nScenario complete: every system acted, and the constitution changed a parameter.",
        );
        Ok(Outcome {
            schema_id,
            review_packets,
            expired_packet,
            resource,
            lock_first,
            lock_second,
            paid,
            vetoed,
            stream,
            claimed,
            ready,
            other,
            amendment,
            max_ttl,
            duties: self.duties,
        })
    }

    /// System 1: a schema is registered; packets are submitted; attesters accept.
    async fn work(&mut self) -> eyre::Result<(B256, Vec<PacketId>, PacketId)> {
        self.step(
            "System 1 · Work",
            "contributors register a schema and submit packets; attesters accept them",
        );
        let c3 = self.actor(who::CONTRIBUTORS[0]).work();
        let c = self.founder().constitution();
        let max_fields: u64 = c.param(ParamKey::WorkMaxFields).await?.saturating_to();
        let max_window: u64 = c.param(ParamKey::WorkMaxAttestWindow).await?.saturating_to();
        let schema = SchemaDef::from_toml_str(BUGFIX, "bugfix")?.resolve(max_fields, max_window)?;
        let schema_id = c3.register_schema(&schema).await?;
        let p = c3
            .submit_values(
                schema_id,
                keccak256("fix: the oracle's off-by-one"),
                &[Value::Uint(U256::from(7)), Value::String("off-by-one in the oracle".into())],
            )
            .await?;
        let status = c3.packet(p).await?.status;
        self.say(format!(
            "  account 3 registered schema \"bugfix\" {schema_id}; its packet {p} is {status} at once (immediate acceptance)"
        ));

        // The dev genesis's recognized "review" schema: two of accounts 6-8 must attest.
        let review = recognized_review(self.founder()).await?;
        let mut packets = Vec::new();
        for (n, &i) in who::CONTRIBUTORS.iter().enumerate() {
            let id = self
                .actor(i)
                .work()
                .submit_values(
                    review,
                    keccak256(format!("review {n}")),
                    &[
                        Value::Uint(U256::from(100 + n as u64)),
                        Value::Bytes32(B256::repeat_byte(n as u8 + 1)),
                        Value::String(format!("review of module {n}")),
                    ],
                )
                .await?;
            for &a in &who::ATTESTERS[..2] {
                self.actor(a).work().attest(id).await?;
            }
            let status = self.founder().work().packet(id).await?.status;
            if status != PacketStatus::Accepted {
                bail!("review packet {id} is {status} after two attestations");
            }
            packets.push(id);
        }
        self.say(format!(
            "  accounts 3, 4, 5 submitted \"review\" packets {}; accounts 6 and 7 attested each: Accepted (quorum 2)",
            packets.iter().map(|p| p.to_string()).collect::<Vec<_>>().join(", ")
        ));
        let pending = self
            .actor(who::CONTRIBUTORS[2])
            .work()
            .submit_values(
                review,
                keccak256("an unreviewed change"),
                &[
                    Value::Uint(U256::from(999)),
                    Value::Bytes32(B256::repeat_byte(9)),
                    Value::String("nobody looks".into()),
                ],
            )
            .await?;
        self.say(format!(
            "  account 5 submitted packet {pending}, which nobody attests: it expires when its window ends"
        ));
        Ok((schema_id, packets, pending))
    }

    /// System 2: two packets contend for one resource; the second waits for the lease.
    async fn coordination(
        &mut self,
        first: PacketId,
        second: PacketId,
    ) -> eyre::Result<(Resource, PacketId, PacketId)> {
        self.step(
            "System 2 · Coordination",
            "two packets contend for one resource; the second waits until the first lease ends",
        );
        let oracle = Resource::named("interface:oracle");
        let (a, b) = (who::CONTRIBUTORS[0], who::CONTRIBUTORS[1]);
        let la = self.actor(a).locks().sender(self.addresses[a]);
        let lb = self.actor(b).locks().sender(self.addresses[b]);
        let held = la.request(oracle, first, Mode::Exclusive, 60, None).await?;
        let lease_end = held.lease_end.ok_or_else(|| eyre!("the first request was not granted"))?;
        let queued = lb.request(oracle, second, Mode::Exclusive, 60, None).await?;
        self.say(format!(
            "  packet {first} holds \"interface:oracle\" until {}; packet {second} is {} (position {})",
            display::timestamp(lease_end),
            queued.state,
            queued.position.unwrap_or_default()
        ));
        if queued.state != RequestState::Queued {
            bail!("the second request was not queued but {}", queued.state);
        }
        self.advance_past(lease_end, "the first lease runs out").await?;
        let reader = self.founder().locks();
        let expirer = self.founder().locks();
        self.duty(
            "expire the ended lease, granting the next in queue",
            move || {
                let reader = reader.clone();
                async move { Ok(reader.request_info(oracle, second).await?.state == RequestState::Held) }
            },
            move || async move {
                expirer.expire(oracle, first).await?;
                Ok(())
            },
        )
        .await?;
        self.say(format!("  packet {second} now holds \"interface:oracle\""));
        Ok((oracle, first, second))
    }

    /// System 3: a steward funds work, a guardian vetoes one allocation, the rest are
    /// executed after the veto window, and a stream is claimed.
    async fn optimization(
        &mut self,
        packets: &[PacketId],
    ) -> eyre::Result<(AllocationId, AllocationId, AllocationId, U256)> {
        self.step(
            "System 3 · Optimization",
            "a steward funds work; a guardian vetoes one allocation; the rest execute after the veto window; a stream is claimed",
        );
        let st = self.actor(who::STEWARD).treasury();
        let line = LineId(U256::from(1));
        let ether = U256::from(10u64).pow(U256::from(18));
        let stream_secs = 120;
        let paid = st.allocate(line, packets[0], ether, 0).await?;
        let vetoed = st.allocate(line, packets[1], ether, 0).await?;
        let stream = st
            .allocate(line, packets[2], ether * U256::from(12) / U256::from(10), stream_secs)
            .await?;
        self.say(format!(
            "  steward (account 1) allocated from line 1: 1 ether to packet {} ({}), 1 ether to packet {} ({}), 1.2 ether streamed over 2 min to packet {} ({})",
            packets[0],
            short(paid),
            packets[1],
            short(vetoed),
            packets[2],
            short(stream)
        ));
        self.actor(who::GUARDIAN)
            .constitution()
            .veto_allocation(vetoed.0, "duplicate of the first review")
            .await?;
        self.say(format!(
            "  guardian (account 2) vetoed {} through the constitution",
            short(vetoed)
        ));
        let t = self.founder().treasury();
        let deadline = t.allocation(paid).await?.deadline.max(t.allocation(stream).await?.deadline);
        self.advance_past(deadline, "the veto window closes").await?;
        for (id, want) in [(paid, AllocationState::Paid), (stream, AllocationState::Claimable)] {
            let (reader, executor) = (self.founder().treasury(), self.founder().treasury());
            self.duty(
                if want == AllocationState::Paid {
                    "execute the transfer allocation"
                } else {
                    "execute the stream allocation"
                },
                move || {
                    let reader = reader.clone();
                    async move { Ok(reader.allocation(id).await?.state == want) }
                },
                move || async move {
                    executor.execute(id).await?;
                    Ok(())
                },
            )
            .await?;
        }
        let state = t.allocation(vetoed).await?.state;
        self.say(format!(
            "  {} is Paid, {} is Claimable, {} stays {state}",
            short(paid),
            short(stream),
            short(vetoed)
        ));
        let s = t.allocation(stream).await?;
        self.advance_past(s.deadline + s.stream_duration, "the stream vests").await?;
        let claimed = self.actor(who::CONTRIBUTORS[2]).treasury().claim(stream).await?;
        self.say(format!(
            "  account 5 claimed {} from the stream ({}): all of it",
            format_amount(claimed, &AssetInfo::eth()),
            short(stream)
        ));
        Ok((paid, vetoed, stream, claimed))
    }

    /// System 1 again: the unattested packet's window ends and it is expired.
    async fn expiry(&mut self, pending: PacketId) -> eyre::Result<PacketId> {
        self.step("System 1 · Work", "the unattested packet's window ends; it is expired");
        let w = self.founder().work();
        let deadline = w.packet(pending).await?.deadline;
        self.advance_past(deadline, "the attestation window ends").await?;
        let (reader, expirer) = (self.founder().work(), self.founder().work());
        self.duty(
            "expire the unattested packet",
            move || {
                let reader = reader.clone();
                async move { Ok(reader.packet(pending).await?.status == PacketStatus::Expired) }
            },
            move || async move {
                expirer.expire(pending).await?;
                Ok(())
            },
        )
        .await?;
        self.say(format!("  packet {pending} is Expired"));
        Ok(pending)
    }

    /// System 4: a question, two options; conviction grows and one becomes Ready.
    async fn strategy(&mut self) -> eyre::Result<(ProposalId, ProposalId)> {
        self.step(
            "System 4 · Strategy",
            "a question gets two options; conviction grows and one becomes Ready",
        );
        let s = self.founder().strategy();
        let current: u64 =
            self.founder().constitution().param(ParamKey::LocksMaxTtl).await?.saturating_to();
        let q = s
            .open_question(
                keccak256("How long may one lease last?"),
                "viable://dev/questions/lease",
            )
            .await?;
        let longer = Amendment::new().set_param(ParamKey::LocksMaxTtl, U256::from(current * 2));
        let shorter = Amendment::new().set_param(ParamKey::LocksMaxTtl, U256::from(current / 2));
        let a = s
            .propose(
                q,
                Target::Legitimacy,
                keccak256("longer leases"),
                "viable://dev/options/longer",
                encode_suggested_actions(&longer),
            )
            .await?;
        let b = self
            .actor(who::CONTRIBUTORS[0])
            .strategy()
            .propose(
                q,
                Target::Legitimacy,
                keccak256("shorter leases"),
                "viable://dev/options/shorter",
                encode_suggested_actions(&shorter),
            )
            .await?;
        self.say(format!(
            "  account 0 opened question {q}; option {a}: locks.maxTtl {} -> {}; option {b}: -> {}",
            display::span(current),
            display::span(current * 2),
            display::span(current / 2)
        ));
        let ether = U256::from(10u64).pow(U256::from(18));
        let (big, small) = (U256::from(3000u64) * ether, U256::from(500u64) * ether);
        let sa = self.actor(who::CONTRIBUTORS[1]).strategy();
        sa.stake(big).await?;
        sa.support(a, big).await?;
        let sb = self.actor(who::CONTRIBUTORS[2]).strategy();
        sb.stake(small).await?;
        sb.support(b, small).await?;
        let threshold = s.threshold().await?;
        self.say(format!(
            "  account 4 stakes 3000 VIA for option {a}, account 5 stakes 500 VIA for option {b}; threshold {} VIA",
            threshold / ether
        ));
        let at = match s.ready_at(a).await? {
            Crossing::At(t) => t,
            Crossing::Reached => self.now().await?,
            Crossing::Never => bail!("option {a} would never reach the threshold"),
        };
        if s.ready_at(b).await? != Crossing::Never {
            bail!("option {b} was expected never to reach the threshold");
        }
        self.say(format!(
            "  option {a} is predicted Ready at {}; option {b} never (500 VIA of support stays below the threshold)",
            display::timestamp(at)
        ));
        self.advance_past(at, "conviction grows").await?;
        let (reader, promoter) = (self.founder().strategy(), self.founder().strategy());
        self.duty(
            "promote the option whose conviction crossed the threshold",
            move || {
                let reader = reader.clone();
                async move { Ok(reader.record(a).await?.state == ProposalState::Ready) }
            },
            move || async move {
                promoter.promote(a).await?;
                Ok(())
            },
        )
        .await?;
        let other = s.record(b).await?.state;
        self.say(format!("  option {a} is Ready; option {b} stays {other}"));
        Ok((a, b))
    }

    /// System 5: an amendment adopting the Ready option passes both houses, the keeper
    /// queues and executes it after the timelock, and the parameter changes.
    async fn legitimacy(&mut self, ready: ProposalId) -> eyre::Result<(AmendmentId, (U256, U256))> {
        self.step(
            "System 5 · Legitimacy",
            "an amendment adopting the Ready option passes both houses; after the timelock it is executed and the parameter changes",
        );
        let c = self.founder().constitution();
        let before = c.param(ParamKey::LocksMaxTtl).await?;
        let file = self.founder().strategy().adoption(ready, None).await?;
        let amendment = Amendment::from_file(&file)?;
        // Votes count as they stood one second before the proposal.
        self.advance(2, "let the latest balances settle").await?;
        let id = c.propose(&amendment).await?;
        self.say(format!(
            "  account 0 proposed amendment {id}: \"{}\"",
            amendment.description_text()
        ));
        let delay: u64 = c.param(ParamKey::LegitVotingDelay).await?.saturating_to();
        self.advance(delay + 1, "the voting delay").await?;
        for i in [who::FOUNDER, who::STEWARD, who::GUARDIAN] {
            self.actor(i)
                .constitution()
                .vote(id, Support::For, Some("adopt the ready option"))
                .await?;
        }
        self.say("  accounts 0, 1, 2 voted For: 3,000,000 of 10,000,000 VIA (Token House) and all 24 Work House power");
        let period: u64 = c.param(ParamKey::LegitVotingPeriod).await?.saturating_to();
        self.advance(period, "the voting period").await?;
        let state = c.amendment_state(id).await?;
        if !matches!(state, AmendmentState::Succeeded | AmendmentState::Queued) {
            bail!("amendment {id} is {state} after the vote");
        }
        self.say(format!("  voting closed: {state} in both houses"));
        let (reader, queuer) = (self.founder().constitution(), self.founder().constitution());
        self.duty(
            "queue the succeeded amendment",
            move || {
                let reader = reader.clone();
                async move { Ok(reader.amendment_state(id).await? != AmendmentState::Succeeded) }
            },
            move || async move {
                queuer.queue(id).await?;
                Ok(())
            },
        )
        .await?;
        let timelock: u64 = c.param(ParamKey::LegitTimelock).await?.saturating_to();
        self.advance(timelock + 1, "the timelock").await?;
        let (reader, executor) = (self.founder().constitution(), self.founder().constitution());
        self.duty(
            "execute the amendment after its timelock",
            move || {
                let reader = reader.clone();
                async move { Ok(reader.amendment_state(id).await? == AmendmentState::Executed) }
            },
            move || async move {
                executor.execute(id).await?;
                Ok(())
            },
        )
        .await?;
        let after = c.param(ParamKey::LocksMaxTtl).await?;
        let adopted = self.founder().strategy().record(ready).await?.state;
        self.say(format!(
            "  amendment {id} Executed: locks.maxTtl {} -> {}; option {ready} is {adopted}",
            display::span(before.saturating_to()),
            display::span(after.saturating_to())
        ));
        Ok((id, (before, after)))
    }
}

/// An allocation as people read it: its line and packet (the id is `line << 64 | packet`).
fn short(id: AllocationId) -> String {
    let packet = id.0 & U256::from(u64::MAX);
    format!("allocation {}/{packet}", id.0 >> 64)
}

/// The dev genesis's recognized schema (the first recognition).
async fn recognized_review(viable: &Viable<DynProvider>) -> eyre::Result<B256> {
    let recognized = viable.constitution().recognitions().await?;
    recognized
        .first()
        .map(|(id, _)| *id)
        .ok_or_else(|| {
            eyre!("the deployment recognizes no schema: the scenario needs the dev genesis")
        })
        .wrap_err("scenario")
}
