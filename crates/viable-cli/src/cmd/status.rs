//! `viable status`: one screen of all five modules — packets by status, held and queued
//! locks, the epoch's budget and spend per line, proposals with conviction against the
//! threshold and their predicted Ready time, amendments with tallies per house and
//! deadlines, and how far behind a keeper is.
//!
//! Every read is bounded: counters and the newest `--limit` items through the SDK's
//! list reads (view calls with a bounded number in flight, logs in bounded pages).
//! Lock resources are found from the `LockQueued`/`LockGranted` logs; under `--watch`
//! only the new blocks are scanned at each refresh, and only resources that were in
//! use or had a lock event since are read again.

use std::{
    collections::HashSet,
    io::{IsTerminal, Write},
    path::PathBuf,
    time::Duration,
};

use alloy::{
    primitives::U256,
    providers::{DynProvider, Provider},
    transports::http::reqwest::{self, Url},
};
use clap::Args;
use serde_json::{Value, json};
use viable::{
    Checkpoint, Viable,
    constitution::{AmendmentState, AmendmentStatus},
    display, keys,
    locks::{Resource, ResourceInfo},
    strategy::{ProposalInfo, ProposalState},
    treasury::{Books, LineStatus, format_amount},
    work::{PacketStatus, PacketTally},
};

use crate::{
    cmd::{strategy, treasury},
    json as j,
    opts::{ChainOpts, Conn, parse_duration},
    out::Output,
};

/// The keeper's defaults (`viable keeper` without flags): where its `/health` is
/// served and where it saves its state.
const KEEPER_URL: &str = "http://127.0.0.1:9464";
const KEEPER_STATE: &str = "viable-keeper-state.json";
/// How long a keeper's `/health` may take to answer before it counts as not seen.
const KEEPER_TIMEOUT: Duration = Duration::from_millis(800);

/// One screen of all five modules (`--watch` refreshes it as blocks arrive).
#[derive(Debug, Args)]
pub(crate) struct StatusArgs {
    #[command(flatten)]
    chain: ChainOpts,
    #[command(flatten)]
    pub(crate) out: Output,
    /// Refresh as blocks arrive, until Ctrl-C (under --json: one JSON document per line).
    #[arg(long)]
    watch: bool,
    /// With --watch: look for a new block this often (`500ms`, `2s`).
    #[arg(long, default_value = "1s", value_parser = parse_duration_ms)]
    interval: Duration,
    /// With --watch: stop after this many screens.
    #[arg(long, value_name = "N")]
    count: Option<u64>,
    /// Show at most this many amendments, proposals, budget lines and lock resources
    /// (the newest).
    #[arg(long, default_value_t = 20)]
    limit: usize,
    /// Count the statuses of at most this many packets (the newest).
    #[arg(long, default_value_t = 1000)]
    packets: u64,
    /// The keeper's metrics address, whose `/health` says its cursor (`--metrics-addr`
    /// of `viable keeper`). Default: the keeper's own default, if it answers there.
    #[arg(long, env = "VIABLE_KEEPER_URL", value_parser = crate::opts::parse_rpc_url)]
    keeper_url: Option<Url>,
    /// The keeper's state file (`--state-file` of `viable keeper`). Default: the keeper's
    /// own default, `viable-keeper-state.json` in the current folder, if it is there.
    #[arg(long)]
    keeper_state: Option<PathBuf>,
}

/// `500ms` as well as the durations `parse_duration` reads.
fn parse_duration_ms(text: &str) -> Result<Duration, String> {
    let d = parse_duration(text)?;
    if d.is_zero() {
        return Err("the interval must be above zero".into());
    }
    Ok(d)
}

/// Everything one screen shows, read at one block.
struct Snapshot {
    chain_id: u64,
    block: u64,
    now: u64,
    tally: PacketTally,
    /// Resources with holders or a queue (all of them; the screen shows `--limit`).
    locks: Vec<ResourceInfo>,
    books: Books,
    proposal_count: u64,
    threshold: U256,
    proposals: Vec<ProposalInfo>,
    amendments: Vec<AmendmentStatus>,
    keeper: KeeperView,
}

/// What was learnt about a keeper.
enum KeeperView {
    /// Nothing answered where it looked.
    NotSeen { looked: Vec<String> },
    /// A keeper's position: from its `/health` or its state file.
    Seen {
        source: String,
        /// `ok`, `stale`, `starting` (from `/health`); `None` from a state file.
        health: Option<String>,
        /// The last block it processed an event of.
        cursor: u64,
        /// The oldest suite event after its cursor (`None`: it has seen every event).
        first_unprocessed: Option<u64>,
        /// Blocks from that event to the head (0 when it has seen every event).
        lag_blocks: u64,
        /// Seconds since its last head (`/health`) or since it saved the file.
        age_secs: Option<u64>,
    },
    /// Something is there but cannot be used (a state file of another deployment, an
    /// endpoint that does not answer as a keeper does).
    Unreadable { source: String, message: String },
}

/// What `--watch` carries from one screen to the next, so each refresh reads only
/// what may have changed.
struct Watcher {
    /// Blocks up to this one have been scanned for lock resources.
    scanned_to: Option<u64>,
    /// Resources in use at the last screen.
    in_use: Vec<Resource>,
}

impl StatusArgs {
    pub(crate) async fn run(self) -> eyre::Result<()> {
        let (conn, viable) = self.chain.read_client().await?;
        let mut watcher = Watcher { scanned_to: None, in_use: Vec::new() };
        let mut shown = 0u64;
        let mut last_block = None;
        loop {
            let block = conn.provider.get_block_number().await?;
            if last_block != Some(block) {
                last_block = Some(block);
                let snap = self.snapshot(&conn, &viable, &mut watcher, block).await?;
                self.print(&snap, shown);
                shown += 1;
            }
            if !self.watch || self.count.is_some_and(|c| shown >= c) {
                return Ok(());
            }
            tokio::time::sleep(self.interval).await;
        }
    }

    async fn snapshot(
        &self,
        conn: &Conn,
        viable: &Viable<DynProvider>,
        watcher: &mut Watcher,
        block: u64,
    ) -> eyre::Result<Snapshot> {
        let (now, tally, locks, books, (proposal_count, threshold, proposals), amendments) = tokio::try_join!(
            conn.now(),
            async { Ok(viable.work().tally(self.packets).await?) },
            self.locks(viable, watcher, block),
            async { Ok(viable.treasury().books(self.limit).await?) },
            async {
                let s = viable.strategy();
                Ok::<_, eyre::Report>(tokio::try_join!(
                    s.proposal_count(),
                    s.threshold(),
                    s.proposals(self.limit)
                )?)
            },
            async { Ok(viable.constitution().recent_amendments(self.limit).await?) },
        )?;
        let keeper = self.keeper(viable, block).await;
        Ok(Snapshot {
            chain_id: conn.chain_id,
            block,
            now,
            tally,
            locks,
            books,
            proposal_count,
            threshold,
            proposals,
            amendments,
            keeper,
        })
    }

    /// The resources with holders or a queue: the first time, every resource a lock
    /// was queued or granted on since the deployment; then those in use last time and
    /// those with a lock event in the new blocks.
    async fn locks(
        &self,
        viable: &Viable<DynProvider>,
        watcher: &mut Watcher,
        block: u64,
    ) -> eyre::Result<Vec<ResourceInfo>> {
        let l = viable.locks();
        let from = match watcher.scanned_to {
            Some(b) => b + 1,
            None => viable.deployment().deploy_block,
        };
        let mut candidates = watcher.in_use.clone();
        if from <= block {
            let mut known: HashSet<Resource> = candidates.iter().copied().collect();
            for r in l.resources_seen(from, block).await? {
                if known.insert(r) {
                    candidates.push(r);
                }
            }
        }
        let infos = l.resources(&candidates).await?;
        let in_use: Vec<ResourceInfo> =
            infos.into_iter().filter(|r| r.holders > 0 || r.queue_length > 0).collect();
        watcher.scanned_to = Some(block);
        watcher.in_use = in_use.iter().map(|r| r.resource).collect();
        Ok(in_use)
    }

    /// The keeper's position, from `--keeper-url` / `--keeper-state`, or else the
    /// keeper's defaults when something is there. Never fails the command: what could
    /// not be read is shown as such.
    async fn keeper(&self, viable: &Viable<DynProvider>, head: u64) -> KeeperView {
        let explicit = self.keeper_url.is_some() || self.keeper_state.is_some();
        let mut looked = Vec::new();
        let url = match &self.keeper_url {
            Some(u) => Some(u.clone()),
            None if !explicit => Url::parse(KEEPER_URL).ok(),
            None => None,
        };
        if let Some(url) = url {
            let health = url.join("health").unwrap_or_else(|_| url.clone());
            looked.push(health.to_string());
            match keeper_health(&health).await {
                Ok(Some((status, cursor, age))) => {
                    return seen(viable, head, health.to_string(), Some(status), cursor, age).await;
                }
                Ok(None) if self.keeper_url.is_none() => {}
                Ok(None) => {
                    return KeeperView::Unreadable {
                        source: health.to_string(),
                        message: "no keeper answers there".into(),
                    };
                }
                Err(message) => {
                    return KeeperView::Unreadable { source: health.to_string(), message };
                }
            }
        }
        let file = match &self.keeper_state {
            Some(f) => Some(f.clone()),
            None if !explicit => Some(PathBuf::from(KEEPER_STATE)),
            None => None,
        };
        if let Some(file) = file {
            let source = file.display().to_string();
            looked.push(source.clone());
            if file.is_file() || self.keeper_state.is_some() {
                let scope = viable_keeper::chain::scope(viable.deployment());
                return match viable_keeper::StateFile::new(&file).load(&scope) {
                    Ok(Some(cp)) => {
                        let age = std::fs::metadata(&file)
                            .and_then(|m| m.modified())
                            .ok()
                            .and_then(|t| t.elapsed().ok())
                            .map(|d| d.as_secs());
                        let at =
                            Checkpoint { block: cp.cursor.block, log_index: cp.cursor.log_index };
                        seen(viable, head, source, None, at, age).await
                    }
                    Ok(None) => KeeperView::Unreadable { source, message: "no such file".into() },
                    Err(e) => KeeperView::Unreadable { source, message: e.to_string() },
                };
            }
        }
        KeeperView::NotSeen { looked }
    }

    fn print(&self, s: &Snapshot, shown: u64) {
        if self.out.json {
            let v = snapshot_json(s, self.limit);
            let text = if self.watch {
                serde_json::to_string(&v)
            } else {
                serde_json::to_string_pretty(&v)
            };
            println!("{}", text.expect("values serialize"));
        } else {
            let body = snapshot_text(s, self.limit);
            if self.watch && std::io::stdout().is_terminal() {
                // Clear the screen and draw from the top.
                print!("\x1b[H\x1b[2J{body}");
            } else if self.watch && shown > 0 {
                print!("\n{body}");
            } else {
                print!("{body}");
            }
        }
        let _ = std::io::stdout().flush();
    }
}

/// `GET /health` of a keeper: its status, cursor block and seconds since its last
/// head. `Ok(None)`: nothing listens there; `Err`: something answered, not a keeper.
async fn keeper_health(url: &Url) -> Result<Option<(String, Checkpoint, Option<u64>)>, String> {
    let client =
        reqwest::Client::builder().timeout(KEEPER_TIMEOUT).build().map_err(|e| e.to_string())?;
    let body = match client.get(url.clone()).send().await {
        Ok(r) => r.text().await.map_err(|e| e.to_string())?,
        Err(e) if e.is_connect() || e.is_timeout() => return Ok(None),
        Err(e) => return Err(e.to_string()),
    };
    let v: Value = serde_json::from_str(&body)
        .map_err(|_| "the answer is not a keeper's /health (not JSON)".to_string())?;
    let (Some(status), Some(cursor)) = (v["status"].as_str(), v["cursor"].as_u64()) else {
        return Err("the answer is not a keeper's /health (no status and cursor)".into());
    };
    // `/health` gives the block of the last event processed, not its index: count that
    // block as done.
    let at = Checkpoint { block: cursor, log_index: Some(u64::MAX) };
    Ok(Some((status.to_string(), at, v["seconds_since_head"].as_u64())))
}

/// A keeper at `cursor`: find the oldest suite event after it (reading pages of the
/// event stream until one turns up, or the head).
async fn seen(
    viable: &Viable<DynProvider>,
    head: u64,
    source: String,
    health: Option<String>,
    cursor: Checkpoint,
    age_secs: Option<u64>,
) -> KeeperView {
    let mut stream = viable.events(cursor).confirmations(0);
    match stream.next_log().await {
        Ok(next) => {
            let first_unprocessed = next.map(|l| l.block_number);
            KeeperView::Seen {
                source,
                health,
                cursor: cursor.block,
                first_unprocessed,
                lag_blocks: first_unprocessed.map_or(0, |b| head.saturating_sub(b)),
                age_secs,
            }
        }
        Err(e) => KeeperView::Unreadable {
            source,
            message: format!("cannot read the events after its cursor: {e}"),
        },
    }
}

const STATUSES: [PacketStatus; 4] =
    [PacketStatus::Pending, PacketStatus::Accepted, PacketStatus::Expired, PacketStatus::Retracted];

const IN_FLIGHT: [AmendmentState; 4] = [
    AmendmentState::Pending,
    AmendmentState::Active,
    AmendmentState::Succeeded,
    AmendmentState::Queued,
];

fn snapshot_json(s: &Snapshot, limit: usize) -> Value {
    let by_status: serde_json::Map<String, Value> =
        STATUSES.iter().map(|st| (st.to_string(), json!(s.tally.count(*st)))).collect();
    let held = s.locks.iter().filter(|r| r.holders > 0).count();
    let holders: u64 = s.locks.iter().map(|r| r.holders).sum();
    let queued: u64 = s.locks.iter().map(|r| r.queue_length).sum();
    let b = &s.books;
    let assets: Vec<Value> = b
        .assets
        .iter()
        .map(|a| {
            json!({
                "asset": j::addr(a.asset.address), "symbol": a.asset.symbol,
                "decimals": a.asset.decimals, "balance": j::uint(a.balance),
                "budget": j::uint(a.books.budget), "spent": j::uint(a.books.spent),
                "remainder": j::uint(a.books.remainder), "free": j::uint(a.books.free),
                "shareBps": a.books.share_bps,
            })
        })
        .collect();
    let lines: Vec<Value> = b
        .lines
        .iter()
        .map(|l| {
            let info = b
                .assets
                .iter()
                .find(|a| a.asset.address == l.line.asset)
                .map(|a| a.asset.clone())
                .unwrap_or_else(viable::treasury::AssetInfo::eth);
            treasury::line_json(&l.line, &info, &l.this_epoch)
        })
        .collect();
    let mut proposals_by_state = serde_json::Map::new();
    for p in &s.proposals {
        let n = proposals_by_state.entry(p.record.state.to_string()).or_insert(json!(0));
        *n = json!(n.as_u64().unwrap_or(0) + 1);
    }
    let mut amendments_by_state = serde_json::Map::new();
    for a in &s.amendments {
        let n = amendments_by_state.entry(a.state.to_string()).or_insert(json!(0));
        *n = json!(n.as_u64().unwrap_or(0) + 1);
    }
    json!({
        "chainId": s.chain_id,
        "block": s.block,
        "time": s.now,
        "work": {
            "packetCount": s.tally.total,
            "scanned": s.tally.scanned,
            "byStatus": by_status,
        },
        "locks": {
            "resourcesInUse": s.locks.len(),
            "held": held,
            "holders": holders,
            "queued": queued,
            "resources": s.locks.iter().take(limit).map(|r| j::lock_resource(r, None)).collect::<Vec<_>>(),
        },
        "treasury": {
            "epoch": { "index": b.epoch.index, "start": b.epoch.start, "end": b.epoch.end },
            "lineCount": b.line_count,
            "assets": assets,
            "lines": lines,
        },
        "strategy": {
            "proposalCount": s.proposal_count,
            "threshold": j::uint(s.threshold),
            "byState": proposals_by_state,
            "proposals": s.proposals.iter().map(strategy::proposal_json).collect::<Vec<_>>(),
        },
        "constitution": {
            "byState": amendments_by_state,
            "amendments": s.amendments.iter().map(amendment_json).collect::<Vec<_>>(),
        },
        "keeper": keeper_json(&s.keeper),
    })
}

/// An amendment's state, deadlines and tallies (without its actions: `constitution
/// show ID` has them).
fn amendment_json(a: &AmendmentStatus) -> Value {
    let mut v = j::amendment(a);
    if let Value::Object(o) = &mut v {
        o.remove("actions");
    }
    v
}

fn keeper_json(k: &KeeperView) -> Value {
    match k {
        KeeperView::NotSeen { looked } => json!({ "seen": false, "looked": looked }),
        KeeperView::Seen { source, health, cursor, first_unprocessed, lag_blocks, age_secs } => {
            json!({
                "seen": true,
                "source": source,
                "health": health,
                "cursorBlock": cursor,
                "firstUnprocessedBlock": first_unprocessed,
                "lagBlocks": lag_blocks,
                "ageSeconds": age_secs,
            })
        }
        KeeperView::Unreadable { source, message } => {
            json!({ "seen": false, "source": source, "error": message })
        }
    }
}

fn snapshot_text(s: &Snapshot, limit: usize) -> String {
    use std::fmt::Write;
    let now = Some(s.now);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Viable on chain {} at block {}, {}",
        s.chain_id,
        s.block,
        display::timestamp(s.now)
    );

    // System 1.
    let t = &s.tally;
    let counts: Vec<String> = STATUSES.iter().map(|st| format!("{} {st}", t.count(*st))).collect();
    let of = if t.scanned < t.total {
        format!(" (the newest {} of {})", t.scanned, t.total)
    } else {
        String::new()
    };
    let _ = writeln!(
        out,
        "\nWork (System 1): {}{of}: {}",
        plural(t.total, "packet"),
        counts.join(", ")
    );

    // System 2.
    let held = s.locks.iter().filter(|r| r.holders > 0).count();
    let queued: u64 = s.locks.iter().map(|r| r.queue_length).sum();
    let _ = writeln!(
        out,
        "\nCoordination (System 2): {} held, {} queued",
        plural(held as u64, "resource"),
        plural(queued, "request")
    );
    for r in s.locks.iter().take(limit) {
        let holding = if r.holders == 0 {
            "free".to_string()
        } else {
            let until = r.expires_by.map(|t| display::time(t, now)).unwrap_or_default();
            format!("{} {} holder(s) until {until}", r.holders, r.mode)
        };
        let queue = match r.head {
            Some(h) => format!("; {} waiting, next packet {h}", r.queue_length),
            None => String::new(),
        };
        let _ = writeln!(out, "  {}  {holding}{queue}", r.resource);
    }
    more(&mut out, s.locks.len(), limit);

    // System 3.
    let b = &s.books;
    let _ = writeln!(
        out,
        "\nOptimization (System 3): epoch {} ends {}",
        b.epoch.index,
        display::time(b.epoch.end, now)
    );
    let _ = writeln!(
        out,
        "  {:<8} {:>16} {:>16} {:>16} {:>16} {:>16}",
        "asset", "balance", "budget", "spent", "remainder", "free"
    );
    for a in &b.assets {
        let f = |v| format_amount(v, &a.asset);
        let _ = writeln!(
            out,
            "  {:<8} {:>16} {:>16} {:>16} {:>16} {:>16}",
            a.asset.symbol,
            f(a.balance),
            f(a.books.budget),
            f(a.books.spent),
            f(a.books.remainder),
            f(a.books.free)
        );
    }
    let active: Vec<_> = b.lines.iter().filter(|l| l.line.status == LineStatus::Active).collect();
    if active.is_empty() {
        let _ = writeln!(out, "  no active budget line");
    } else {
        let _ = writeln!(
            out,
            "  {:<6} {:>6} {:>16} {:>16} {:>16}  steward",
            "line", "share", "cap", "spent", "remainder"
        );
    }
    for l in &active {
        let info = b
            .assets
            .iter()
            .find(|a| a.asset.address == l.line.asset)
            .map(|a| a.asset.clone())
            .unwrap_or_else(viable::treasury::AssetInfo::eth);
        let f = |v| format_amount(v, &info);
        let _ = writeln!(
            out,
            "  {:<6} {:>5}% {:>16} {:>16} {:>16}  {}",
            l.line.id,
            format!("{}", l.line.share_bps as f64 / 100.0),
            f(l.this_epoch.cap),
            f(l.this_epoch.used),
            f(l.this_epoch.remainder),
            l.line.steward
        );
    }

    // System 4.
    let open = s.proposals.iter().filter(|p| p.record.state == ProposalState::Open).count();
    let ready = s.proposals.iter().filter(|p| p.record.state == ProposalState::Ready).count();
    let _ = writeln!(
        out,
        "\nStrategy (System 4): {}, {open} open, {ready} ready; threshold {}",
        plural(s.proposal_count, "proposal"),
        strategy::tokens(s.threshold)
    );
    for p in s
        .proposals
        .iter()
        .filter(|p| matches!(p.record.state, ProposalState::Open | ProposalState::Ready))
    {
        let _ = writeln!(
            out,
            "  {:>4}  {:<5}  conviction {} of {}  support {}  ready {}",
            p.record.id,
            p.record.state,
            keys::ether(p.conviction_now),
            strategy::tokens(p.threshold),
            strategy::tokens(p.record.support),
            strategy::crossing_text(p, s.now),
        );
    }

    // System 5.
    let flying: Vec<_> = s.amendments.iter().filter(|a| IN_FLIGHT.contains(&a.state)).collect();
    let _ = writeln!(
        out,
        "\nLegitimacy (System 5): {} in flight (of the newest {})",
        plural(flying.len() as u64, "amendment"),
        s.amendments.len()
    );
    for a in flying {
        let when =
            a.next_at.map(|t| format!(" ({})", display::relative(t, s.now))).unwrap_or_default();
        let _ = writeln!(out, "  {}  {:<9} next: {}{when}", a.proposal.id, a.state, a.next);
        let _ = writeln!(
            out,
            "      Token House  for {}  against {}  abstain {}  quorum {} tokens",
            keys::ether(a.token[0]),
            keys::ether(a.token[1]),
            keys::ether(a.token[2]),
            keys::ether(a.quorums[0])
        );
        let _ = writeln!(
            out,
            "      Work House   for {}  against {}  abstain {}  quorum {} power",
            a.work[0], a.work[1], a.work[2], a.quorums[1]
        );
    }

    // The keeper.
    let _ = writeln!(out, "\nKeeper: {}", keeper_text(&s.keeper));
    out
}

/// `1 packet`, `2 packets`.
fn plural(n: u64, noun: &str) -> String {
    if n == 1 { format!("1 {noun}") } else { format!("{n} {noun}s") }
}

fn more(out: &mut String, total: usize, limit: usize) {
    if total > limit {
        out.push_str(&format!("  … and {} more (--limit)\n", total - limit));
    }
}

fn keeper_text(k: &KeeperView) -> String {
    match k {
        KeeperView::NotSeen { looked } => {
            format!(
                "no keeper seen (looked at {}; see --keeper-url, --keeper-state)",
                looked.join(" and ")
            )
        }
        KeeperView::Seen { source, health, cursor, first_unprocessed, lag_blocks, age_secs } => {
            let state = health.as_deref().map(|h| format!("{h}, ")).unwrap_or_default();
            let age = match (health, age_secs) {
                (Some(_), Some(a)) => format!(", last head seen {a} s ago"),
                (None, Some(a)) => format!(", saved {a} s ago"),
                _ => String::new(),
            };
            let behind = match first_unprocessed {
                None => "caught up: no suite event after its cursor".to_string(),
                Some(b) => {
                    format!("{lag_blocks} blocks behind (first unprocessed event in block {b})")
                }
            };
            format!("{state}{behind}; cursor at block {cursor}{age} (from {source})")
        }
        KeeperView::Unreadable { source, message } => format!("{source}: {message}"),
    }
}
