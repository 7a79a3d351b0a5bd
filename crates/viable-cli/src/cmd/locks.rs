//! `viable locks …`: leases, FIFO queues and not-before times on resource keys
//! (System 2, the CoordinationLocks).

use std::{fmt, str::FromStr, time::Duration};

use clap::{Args, Subcommand};
use serde_json::json;
use viable::{
    locks::{Grant, Locks, Mode, RequestState, Resource},
    work::PacketId,
};

use crate::{
    fail::Fail,
    json as j,
    opts::{ChainOpts, Sent, parse_duration},
    out::Output,
    render,
};

/// Request, renew, release, withdraw and expire locks on resources; read holders and queues.
#[derive(Debug, Args)]
pub(crate) struct LocksArgs {
    #[command(subcommand)]
    command: LocksCommand,
    #[command(flatten)]
    chain: ChainOpts,
    #[command(flatten)]
    pub(crate) out: Output,
}

/// A resource as given: a name (hashed with keccak256 of its UTF-8 bytes, as the
/// contract's docs say) or `0x` and 64 hex digits.
#[derive(Debug, Clone)]
struct Key {
    resource: Resource,
    name: Option<String>,
}

impl FromStr for Key {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let resource = Resource::parse(s)?;
        let name = (resource != Resource(s.trim().parse().unwrap_or_default()))
            .then(|| s.trim().to_string());
        Ok(Self { resource, name })
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.name {
            Some(n) => write!(f, "{n} ({})", self.resource),
            None => write!(f, "{}", self.resource),
        }
    }
}

#[derive(Debug, Subcommand)]
enum LocksCommand {
    /// Request a resource under your Accepted packet: granted at once when free (and
    /// nobody waits), queued otherwise. Checked client-side first.
    Request {
        /// The resource: a name such as `interface:oracle` (keccak256 of its text) or 0x + 64 hex.
        resource: Key,
        /// Your Accepted packet the lock is held under.
        packet: PacketId,
        /// The lease asked for: `90s`, `5m`, `2h` (at most locks.maxTtl).
        #[arg(long, value_parser = parse_duration)]
        ttl: Duration,
        /// exclusive (alone) or shared (with other shared holders).
        #[arg(long, default_value = "exclusive")]
        mode: Mode,
        /// Not granted before this long from the chain's clock (`10m`).
        #[arg(long, value_parser = parse_duration, conflicts_with = "not_before")]
        after: Option<Duration>,
        /// Not granted before this Unix time.
        #[arg(long)]
        not_before: Option<u64>,
    },
    /// Release your held lock; grants the head of the queue if it now fits.
    Release {
        /// The resource.
        resource: Key,
        /// The packet the lock is held under.
        packet: PacketId,
    },
    /// Reset your running lease to end TTL from now (at most locks.maxHold after its grant).
    Renew {
        /// The resource.
        resource: Key,
        /// The packet the lock is held under.
        packet: PacketId,
        /// Seconds from now the lease should last: `90s`, `5m`, `2h`.
        #[arg(long, value_parser = parse_duration)]
        ttl: Duration,
    },
    /// Withdraw your queued request (the request ahead is read from the queue).
    Withdraw {
        /// The resource.
        resource: Key,
        /// The packet of the queued request.
        packet: PacketId,
    },
    /// Expire a lease that has ended (anyone may); grants the head of the queue.
    Expire {
        /// The resource.
        resource: Key,
        /// The packet the lock is held under.
        packet: PacketId,
    },
    /// Grant the head of the queue when it fits (anyone may): one exclusive request or
    /// a run of shared ones.
    GrantNext {
        /// The resource.
        resource: Key,
    },
    /// A resource's holders, queue and expiry; with PACKET, that packet's request there.
    Show {
        /// The resource.
        resource: Key,
        /// A packet whose request to show.
        packet: Option<PacketId>,
    },
    /// The packets waiting on a resource, head first.
    Queue {
        /// The resource.
        resource: Key,
        /// At most this many.
        #[arg(long, default_value_t = 64)]
        limit: usize,
    },
}

impl LocksCommand {
    fn writes(&self) -> bool {
        !matches!(self, Self::Show { .. } | Self::Queue { .. })
    }
}

fn seconds(d: Duration) -> eyre::Result<u64> {
    match d.as_secs() {
        0 => Err(Fail::usage("a lease must last at least 1 s").into()),
        s => Ok(s),
    }
}

impl LocksArgs {
    pub(crate) async fn run(self) -> eyre::Result<()> {
        let out = self.out;
        let (conn, viable) = if self.command.writes() {
            self.chain.write_client().await?
        } else {
            self.chain.read_client().await?
        };
        let locks = match conn.sender {
            Some(s) => viable.locks().sender(s),
            None => viable.locks(),
        };
        match self.command {
            LocksCommand::Request { resource, packet, ttl, mode, after, not_before } => {
                let ttl = seconds(ttl)?;
                let not_before = match (after, not_before) {
                    (Some(d), None) => Some(conn.now().await? + d.as_secs()),
                    (None, t) => t,
                    (Some(_), Some(_)) => unreachable!("clap refuses both"),
                };
                let key = resource.resource;
                let sent = conn.send(locks.request(key, packet, mode, ttl, not_before)).await?;
                let Some(r) = sent.value else {
                    out.sent("request", &sent, json!({}), "");
                    return Ok(());
                };
                let now = conn.now().await.ok();
                let line = match r.state {
                    RequestState::Held => format!(
                        "packet {packet} holds {resource} ({mode}) until {}",
                        r.lease_end.map_or_else(String::new, |t| viable::display::time(t, now))
                    ),
                    _ => format!(
                        "packet {packet} waits for {resource} ({mode}) at position {}",
                        r.position.unwrap_or_default()
                    ),
                };
                out.sent(
                    "request",
                    &sent,
                    json!({
                        "resource": j::hex(key.0),
                        "packetId": j::text(packet),
                        "state": j::text(r.state),
                        "mode": j::text(mode),
                        "leaseEnd": r.lease_end,
                        "position": r.position,
                    }),
                    &line,
                );
            }
            LocksCommand::Release { resource, packet } => {
                let sent = conn.send(locks.release(resource.resource, packet)).await?;
                granted(
                    &out,
                    &conn,
                    "release",
                    sent,
                    format!("released {resource} (packet {packet})"),
                )
                .await;
            }
            LocksCommand::Renew { resource, packet, ttl } => {
                let ttl = seconds(ttl)?;
                let sent = conn.send(locks.renew(resource.resource, packet, ttl)).await?;
                let now = conn.now().await.ok();
                let line = sent
                    .value
                    .map(|end| {
                        format!(
                            "renewed {resource} (packet {packet}) until {}",
                            viable::display::time(end, now)
                        )
                    })
                    .unwrap_or_default();
                out.sent(
                    "renew",
                    &sent,
                    json!({ "resource": j::hex(resource.resource.0), "packetId": j::text(packet), "leaseEnd": sent.value }),
                    &line,
                );
            }
            LocksCommand::Withdraw { resource, packet } => {
                let sent = conn.send(locks.withdraw(resource.resource, packet)).await?;
                granted(
                    &out,
                    &conn,
                    "withdraw",
                    sent,
                    format!("withdrew packet {packet} from {resource}"),
                )
                .await;
            }
            LocksCommand::Expire { resource, packet } => {
                let sent = conn.send(locks.expire(resource.resource, packet)).await?;
                granted(
                    &out,
                    &conn,
                    "expire",
                    sent,
                    format!("expired packet {packet}'s lease on {resource}"),
                )
                .await;
            }
            LocksCommand::GrantNext { resource } => {
                let sent = conn.send(locks.grant_next(resource.resource)).await?;
                granted(&out, &conn, "grantNext", sent, format!("granted from {resource}'s queue"))
                    .await;
            }
            LocksCommand::Show { resource, packet } => {
                show(&out, &conn, &locks, resource, packet).await?;
            }
            LocksCommand::Queue { resource, limit } => {
                let ids = locks.queue(resource.resource, limit).await?;
                out.show(
                    || json!({ "resource": j::hex(resource.resource.0), "queue": ids.iter().map(j::text).collect::<Vec<_>>() }),
                    || {
                        if ids.is_empty() {
                            return format!("nobody waits on {resource}\n");
                        }
                        ids.iter().enumerate().map(|(i, p)| format!("{:>4}  packet {p}\n", i + 1)).collect()
                    },
                );
            }
        }
        Ok(())
    }
}

async fn show(
    out: &Output,
    conn: &crate::opts::Conn,
    locks: &Locks<alloy::providers::DynProvider>,
    resource: Key,
    packet: Option<PacketId>,
) -> eyre::Result<()> {
    let now = conn.now().await.ok();
    let name = resource.name.as_deref();
    match packet {
        None => {
            let r = locks.resource(resource.resource).await?;
            out.show(|| j::lock_resource(&r, name), || render::lock_resource(&r, name, now));
        }
        Some(p) => {
            let r = locks.request_info(resource.resource, p).await?;
            out.show(|| j::lock_request(&r), || render::lock_request(&r, now));
        }
    }
    Ok(())
}

/// After a write whose grant step may have granted queued requests: the tx and the grants.
async fn granted(
    out: &Output,
    conn: &crate::opts::Conn,
    action: &str,
    sent: Sent<Vec<Grant>>,
    line: String,
) {
    let now = conn.now().await.ok();
    let list = sent.value.clone().unwrap_or_default();
    out.sent(
        action,
        &sent,
        json!({ "granted": j::lock_grants(&list) }),
        &format!("{line}{}", render::lock_grants(&list, now)),
    );
}
