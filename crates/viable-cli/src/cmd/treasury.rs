//! `viable treasury …`: deposits, budget lines and allocations (System 3).
//!
//! Amounts are read in the asset's units (`1.5 ether`, `250 USDC` with the token's
//! own decimals, `0.5` in the asset's unit, `1000 wei`); negative amounts are
//! refused. The SDK checks caps, remainders, states and windows before sending and
//! names the contract's own error. The JSON builders for the treasury's values are
//! here, next to their only user.

use std::time::Duration;

use alloy::primitives::{Address, B256, U256};
use clap::{Args, Subcommand};
use serde_json::{Value, json};
use viable::{
    display,
    treasury::{
        Allocation, AllocationId, AssetEpoch, AssetInfo, CapUse, Epoch, Line, LineId, NewLine,
        format_amount,
    },
    work::PacketId,
};

use crate::{
    fail::Fail,
    json as j,
    opts::{ChainOpts, parse_address, parse_duration},
    out::Output,
};

/// Deposit, run budget lines, allocate to accepted work, execute and claim.
#[derive(Debug, Args)]
pub(crate) struct TreasuryArgs {
    #[command(subcommand)]
    command: TreasuryCommand,
    #[command(flatten)]
    chain: ChainOpts,
    #[command(flatten)]
    pub(crate) out: Output,
}

#[derive(Debug, Subcommand)]
enum TreasuryCommand {
    /// Deposit ETH (`1.5 ether`) or a token (`--asset TOKEN 250 USDC`; approved first).
    Deposit {
        /// The amount, e.g. `1.5 ether`, `250 USDC`, `0.5` (in the asset's unit).
        #[arg(allow_hyphen_values = true)]
        amount: String,
        /// Its unit, if not in AMOUNT: `ether`, `gwei`, `wei`, the token's symbol.
        unit: Option<String>,
        /// The token (default: ETH).
        #[arg(long, value_parser = parse_address)]
        asset: Option<Address>,
    },
    /// Budget lines: create, update, close (as a STEWARD account).
    Line {
        #[command(subcommand)]
        command: LineCommand,
    },
    /// Budget lines with this epoch's cap, use and remainder.
    Lines {
        /// First line id.
        #[arg(long, default_value_t = 1)]
        first: u64,
        /// At most this many.
        #[arg(long, default_value_t = 50)]
        limit: usize,
    },
    /// Allocate from a line to an accepted packet's contributor (as the line's steward).
    Allocate {
        /// Line id.
        line: LineId,
        /// Packet id.
        packet: PacketId,
        /// The amount in the line's asset, e.g. `0.5 ether`, `250 USDC`.
        #[arg(allow_hyphen_values = true)]
        amount: String,
        /// Its unit, if not in AMOUNT: `ether`, `gwei`, `wei`, the token's symbol.
        unit: Option<String>,
        /// Stream it over this long (`30d`, `1h`) instead of one transfer.
        #[arg(long, value_parser = parse_duration)]
        stream: Option<Duration>,
    },
    /// Cancel a pending allocation before its deadline (as its line's steward).
    Cancel {
        /// Allocation id (hex or decimal).
        id: AllocationId,
    },
    /// Execute an allocation whose veto window has passed (anyone may).
    Execute {
        /// Allocation id.
        id: AllocationId,
    },
    /// Claim what has vested of a stream or a refused transfer (as its recipient).
    Claim {
        /// Allocation id.
        id: AllocationId,
    },
    /// Claim a line's bounty for an accepted packet of its schema (anyone may).
    Bounty {
        /// Line id.
        line: LineId,
        /// Packet id.
        packet: PacketId,
    },
    /// One allocation: state, deadline, vested and claimed.
    Show {
        /// Allocation id.
        id: AllocationId,
    },
    /// The current epoch and an asset's books (budget, spent, remainder, free).
    Epoch {
        /// The token (default: ETH).
        #[arg(long, value_parser = parse_address)]
        asset: Option<Address>,
        /// Also this recipient's cap, use and remainder.
        #[arg(long, value_parser = parse_address)]
        recipient: Option<Address>,
    },
}

#[derive(Debug, Subcommand)]
enum LineCommand {
    /// Open a line: a share of an asset's epoch budget, run by a steward.
    Create {
        /// Share of the epoch budget, in bps (1-10000).
        #[arg(long)]
        share: u64,
        /// The token (default: ETH).
        #[arg(long, value_parser = parse_address)]
        asset: Option<Address>,
        /// Who allocates from it (default: the sender).
        #[arg(long, value_parser = parse_address)]
        steward: Option<Address>,
        /// Fund only packets of this schema.
        #[arg(long)]
        schema: Option<B256>,
        /// A fixed bounty per accepted packet, e.g. `0.1 ether` (needs --schema).
        #[arg(long, allow_hyphen_values = true)]
        bounty: Option<String>,
        /// Streams vest nothing before this share of their duration, in bps.
        #[arg(long, default_value_t = 0)]
        cliff: u64,
        /// The Ready Strategy proposal the line adopts.
        #[arg(long)]
        strategy_proposal: Option<U256>,
    },
    /// Change a line's steward, share, bounty or cliff (the rest stays).
    Update {
        /// Line id.
        id: LineId,
        /// New steward.
        #[arg(long, value_parser = parse_address)]
        steward: Option<Address>,
        /// New share, in bps.
        #[arg(long)]
        share: Option<u64>,
        /// New bounty, e.g. `0.1 ether` (`0` for none).
        #[arg(long, allow_hyphen_values = true)]
        bounty: Option<String>,
        /// New cliff, in bps.
        #[arg(long)]
        cliff: Option<u64>,
    },
    /// Close a line; its share returns to the asset.
    Close {
        /// Line id.
        id: LineId,
    },
}

impl TreasuryCommand {
    fn writes(&self) -> bool {
        !matches!(self, Self::Lines { .. } | Self::Show { .. } | Self::Epoch { .. })
    }
}

/// `1.5` and `ether`, or `1.5 ether` alone.
fn with_unit(amount: &str, unit: Option<&str>) -> String {
    unit.map_or_else(|| amount.to_string(), |u| format!("{amount} {u}"))
}

type Handle = viable::treasury::Treasury<alloy::providers::DynProvider>;

impl TreasuryArgs {
    pub(crate) async fn run(self) -> eyre::Result<()> {
        let out = self.out;
        let (conn, viable) = if self.command.writes() {
            self.chain.write_client().await?
        } else {
            self.chain.read_client().await?
        };
        let t = viable.treasury();
        match self.command {
            TreasuryCommand::Deposit { amount, unit, asset } => {
                let asset = asset.unwrap_or(Address::ZERO);
                let info = t.asset(asset).await?;
                let value = t.parse_amount(asset, &with_unit(&amount, unit.as_deref())).await?;
                let sent = conn.send(t.deposit(asset, value)).await?;
                let line = sent.value.map_or_else(String::new, |got| {
                    format!(
                        "deposited {} (credited {})",
                        format_amount(value, &info),
                        format_amount(got, &info)
                    )
                });
                out.sent(
                    "deposit",
                    &sent,
                    json!({ "asset": j::addr(asset), "amount": j::uint(value),
                            "received": sent.value.map(j::uint) }),
                    &line,
                );
            }
            TreasuryCommand::Line { command } => line_command(&out, &conn, &t, command).await?,
            TreasuryCommand::Lines { first, limit } => {
                let lines = t.lines(LineId::from(first), limit).await?;
                let mut rows = Vec::new();
                for l in lines {
                    let (info, use_) = tokio::try_join!(t.asset(l.asset), t.line_epoch(l.id))?;
                    rows.push((l, info, use_));
                }
                out.show(
                    || rows.iter().map(|(l, i, u)| line_json(l, i, u)).collect(),
                    || {
                        if rows.is_empty() {
                            return "no lines\n".into();
                        }
                        rows.iter().map(|(l, i, u)| line_text(l, i, u)).collect()
                    },
                );
            }
            TreasuryCommand::Allocate { line, packet, amount, unit, stream } => {
                let l = t.line(line).await?;
                let info = t.asset(l.asset).await?;
                let value = t.parse_amount(l.asset, &with_unit(&amount, unit.as_deref())).await?;
                let secs = stream.map_or(0, |d| d.as_secs());
                let sent = conn.send(t.allocate(line, packet, value, secs)).await?;
                allocation_written(&out, &t, "allocate", sent, &info).await?;
            }
            TreasuryCommand::Bounty { line, packet } => {
                let l = t.line(line).await?;
                let info = t.asset(l.asset).await?;
                let sent = conn.send(t.claim_bounty(line, packet)).await?;
                allocation_written(&out, &t, "claimBounty", sent, &info).await?;
            }
            TreasuryCommand::Cancel { id } => {
                let sent = conn.send(t.cancel(id)).await?;
                let state =
                    if sent.value.is_some() { Some(t.allocation(id).await?.state) } else { None };
                out.sent(
                    "cancel",
                    &sent,
                    json!({ "allocationId": j::text(id), "state": state.map(j::text) }),
                    &format!("cancelled allocation {id}"),
                );
            }
            TreasuryCommand::Execute { id } => {
                let sent = conn.send(t.execute(id)).await?;
                let line = sent
                    .value
                    .map_or_else(String::new, |s| format!("executed allocation {id} (now {s})"));
                out.sent(
                    "execute",
                    &sent,
                    json!({ "allocationId": j::text(id), "state": sent.value.map(j::text) }),
                    &line,
                );
            }
            TreasuryCommand::Claim { id } => {
                let a = t.allocation(id).await?;
                let info = t.asset(a.asset).await?;
                let sent = conn.send(t.claim(id)).await?;
                let line = sent.value.map_or_else(String::new, |v| {
                    format!("claimed {} from allocation {id}", format_amount(v, &info))
                });
                out.sent(
                    "claim",
                    &sent,
                    json!({ "allocationId": j::text(id), "amount": sent.value.map(j::uint) }),
                    &line,
                );
            }
            TreasuryCommand::Show { id } => {
                let a = t.allocation(id).await?;
                let (info, now) = tokio::try_join!(
                    async { Ok::<_, eyre::Report>(t.asset(a.asset).await?) },
                    conn.now()
                )?;
                out.show(|| allocation_json(&a), || allocation_text(&a, &info, now));
            }
            TreasuryCommand::Epoch { asset, recipient } => {
                let asset = asset.unwrap_or(Address::ZERO);
                let (e, books, info, now) = tokio::try_join!(
                    async { Ok::<_, eyre::Report>(t.epoch().await?) },
                    async { Ok::<_, eyre::Report>(t.asset_epoch(asset).await?) },
                    async { Ok::<_, eyre::Report>(t.asset(asset).await?) },
                    conn.now(),
                )?;
                let rec = match recipient {
                    Some(r) => Some((r, t.recipient_epoch(asset, r).await?)),
                    None => None,
                };
                out.show(
                    || epoch_json(&e, &info, &books, rec.as_ref()),
                    || epoch_text(&e, &info, &books, rec.as_ref(), now),
                );
            }
        }
        Ok(())
    }
}

async fn line_command(
    out: &Output,
    conn: &crate::opts::Conn,
    t: &Handle,
    command: LineCommand,
) -> eyre::Result<()> {
    match command {
        LineCommand::Create { share, asset, steward, schema, bounty, cliff, strategy_proposal } => {
            let asset = asset.unwrap_or(Address::ZERO);
            let steward = steward.or(conn.sender).ok_or_else(|| {
                Fail::usage("who runs the line? give --steward, or --from / ETH_FROM")
            })?;
            let mut new = NewLine::new(asset, steward, share).cliff_bps(cliff);
            if let Some(s) = schema {
                new = new.schema(s);
            }
            if let Some(b) = bounty {
                new = new.bounty(t.parse_amount(asset, &b).await?);
            }
            if let Some(p) = strategy_proposal {
                new = new.strategy_proposal(p);
            }
            let sent = conn.send(t.create_line(&new)).await?;
            let line = sent.value.map_or_else(String::new, |id| {
                format!("created line {id} ({share} bps of {asset}, steward {steward})")
            });
            out.sent("createLine", &sent, json!({ "lineId": sent.value.map(j::text) }), &line);
        }
        LineCommand::Update { id, steward, share, bounty, cliff } => {
            let l = t.line(id).await?;
            let bounty = match bounty {
                Some(b) => t.parse_amount(l.asset, &b).await?,
                None => l.bounty,
            };
            let steward = steward.unwrap_or(l.steward);
            let share = share.unwrap_or(l.share_bps);
            let cliff = cliff.unwrap_or(l.cliff_bps);
            let sent = conn.send(t.update_line(id, steward, share, bounty, cliff)).await?;
            out.sent(
                "updateLine",
                &sent,
                json!({ "lineId": j::text(id) }),
                &format!("updated line {id} ({share} bps, steward {steward})"),
            );
        }
        LineCommand::Close { id } => {
            let sent = conn.send(t.close_line(id)).await?;
            out.sent(
                "closeLine",
                &sent,
                json!({ "lineId": j::text(id), "status": "Closed" }),
                &format!("closed line {id}"),
            );
        }
    }
    Ok(())
}

/// After an allocation is made: its id, state, amount and deadline.
async fn allocation_written(
    out: &Output,
    t: &Handle,
    action: &str,
    sent: crate::opts::Sent<AllocationId>,
    info: &AssetInfo,
) -> eyre::Result<()> {
    let Some(id) = sent.value else {
        out.sent(action, &sent, json!({}), "");
        return Ok(());
    };
    let a = t.allocation(id).await?;
    out.sent(
        action,
        &sent,
        json!({ "allocationId": j::text(id), "state": j::text(a.state),
                "amount": j::uint(a.amount), "deadline": a.deadline }),
        &format!(
            "allocated {} to {} for packet {} (allocation {id}, {} until {})",
            format_amount(a.amount, info),
            a.recipient,
            a.packet_id,
            a.state,
            display::timestamp(a.deadline)
        ),
    );
    Ok(())
}

pub(crate) fn cap_json(c: &CapUse) -> Value {
    json!({ "epoch": c.epoch, "cap": j::uint(c.cap), "used": j::uint(c.used),
            "remainder": j::uint(c.remainder) })
}

pub(crate) fn line_json(l: &Line, info: &AssetInfo, u: &CapUse) -> Value {
    json!({
        "lineId": j::text(l.id), "asset": j::addr(l.asset), "symbol": info.symbol,
        "decimals": info.decimals, "steward": j::addr(l.steward), "shareBps": l.share_bps,
        "status": j::text(l.status), "schemaId": j::hex(l.schema_id), "bounty": j::uint(l.bounty),
        "cliffBps": l.cliff_bps, "strategyProposalId": j::uint(l.strategy_proposal_id),
        "thisEpoch": cap_json(u),
    })
}

fn line_text(l: &Line, info: &AssetInfo, u: &CapUse) -> String {
    let mut s = format!(
        "line {}  {}  {} bps of {}  steward {}\n  this epoch: cap {}, used {}, remainder {}\n",
        l.id,
        l.status,
        l.share_bps,
        info.symbol,
        l.steward,
        format_amount(u.cap, info),
        format_amount(u.used, info),
        format_amount(u.remainder, info),
    );
    if !l.schema_id.is_zero() {
        s += &format!("  schema {}\n", l.schema_id);
    }
    if !l.bounty.is_zero() {
        s += &format!("  bounty {}\n", format_amount(l.bounty, info));
    }
    if l.cliff_bps != 0 {
        s += &format!("  cliff {} bps of a stream\n", l.cliff_bps);
    }
    s
}

fn allocation_json(a: &Allocation) -> Value {
    json!({
        "allocationId": j::text(a.id), "asset": j::addr(a.asset), "lineId": j::text(a.line_id),
        "packetId": j::text(a.packet_id), "recipient": j::addr(a.recipient),
        "amount": j::uint(a.amount), "state": j::text(a.state), "epoch": a.epoch,
        "deadline": a.deadline, "streamDuration": a.stream_duration, "cliff": a.cliff,
        "vested": j::uint(a.vested), "claimed": j::uint(a.claimed),
        "claimable": j::uint(a.claimable()),
    })
}

fn allocation_text(a: &Allocation, info: &AssetInfo, now: u64) -> String {
    let mut s = format!(
        "allocation {}\n  state      {}\n  amount     {}\n  recipient  {}\n  line       {}\n  packet     {}\n  epoch      {}\n  deadline   {}\n",
        a.id,
        a.state,
        format_amount(a.amount, info),
        a.recipient,
        a.line_id,
        a.packet_id,
        a.epoch,
        display::time(a.deadline, Some(now)),
    );
    if a.stream_duration != 0 {
        s += &format!(
            "  stream     {} s ({}), cliff {} s\n",
            a.stream_duration,
            display::span(a.stream_duration),
            a.cliff
        );
    }
    s += &format!(
        "  vested     {}\n  claimed    {}\n",
        format_amount(a.vested, info),
        format_amount(a.claimed, info)
    );
    s
}

fn epoch_json(
    e: &Epoch,
    info: &AssetInfo,
    b: &AssetEpoch,
    rec: Option<&(Address, CapUse)>,
) -> Value {
    let mut v = json!({
        "epoch": e.index, "start": e.start, "end": e.end, "asset": j::addr(info.address),
        "symbol": info.symbol, "decimals": info.decimals, "budget": j::uint(b.budget),
        "spent": j::uint(b.spent), "remainder": j::uint(b.remainder), "free": j::uint(b.free),
        "shareBps": b.share_bps,
    });
    if let Some((r, c)) = rec {
        v["recipient"] = json!({ "address": j::addr(*r), "cap": cap_json(c) });
    }
    v
}

fn epoch_text(
    e: &Epoch,
    info: &AssetInfo,
    b: &AssetEpoch,
    rec: Option<&(Address, CapUse)>,
    now: u64,
) -> String {
    let f = |v| format_amount(v, info);
    let mut s = format!(
        "epoch {}  {} to {}\n{}: budget {}, spent {}, remainder {}, free {}; lines hold {} bps\n",
        e.index,
        display::timestamp(e.start),
        display::time(e.end, Some(now)),
        info.symbol,
        f(b.budget),
        f(b.spent),
        f(b.remainder),
        f(b.free),
        b.share_bps,
    );
    if let Some((r, c)) = rec {
        s += &format!(
            "recipient {r}: cap {}, used {}, remainder {}\n",
            f(c.cap),
            f(c.used),
            f(c.remainder)
        );
    }
    s
}
