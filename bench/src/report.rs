//! bench/RESULTS.md and bench/gas.svg from the forge bench's snapshots and the
//! throughput run. Everything in the gas tables is read from bench/snapshots/*.json as
//! forge wrote it; nothing is typed in by hand but the job names and the targets.

use std::{collections::BTreeMap, fmt::Write as _, path::Path};

use eyre::{Result, WrapErr, eyre};
use serde_json::Value as Json;

use crate::chart::{self, Bar};

type Figures = BTreeMap<String, u64>;

fn load(path: &Path) -> Result<Figures> {
    let text =
        std::fs::read_to_string(path).wrap_err_with(|| format!("read {}", path.display()))?;
    let json: BTreeMap<String, Json> = serde_json::from_str(&text)?;
    json.into_iter()
        .map(|(k, v)| {
            let n = match &v {
                Json::String(s) => s.parse::<u64>().ok(),
                Json::Number(n) => n.as_u64(),
                _ => None,
            };
            n.map(|n| (k.clone(), n))
                .ok_or_else(|| eyre!("{}: {k} is not a number", path.display()))
        })
        .collect()
}

/// 1234567 -> "1,234,567".
pub(crate) fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn sum(f: &Figures, keys: &[&str]) -> Result<u64> {
    keys.iter().map(|k| f.get(*k).copied().ok_or_else(|| eyre!("missing figure {k}"))).sum()
}

fn ratio(a: u64, b: u64) -> String {
    format!("{:.2}", a as f64 / b as f64)
}

/// A job done on both sides: Viable's calls and the peer's.
struct Job {
    name: &'static str,
    viable: &'static str,
    viable_keys: &'static [&'static str],
    peer: &'static str,
    peer_keys: &'static [&'static str],
}

const JOBS: &[Job] = &[
    Job {
        name: "Record a unit of work (the same 160 data bytes)",
        viable: "WorkRegistry.submit",
        viable_keys: &["record.viable.submit"],
        peer: "EAS.attest",
        peer_keys: &["record.eas.attest"],
    },
    Job {
        name: "Define a kind of work (3 fields)",
        viable: "WorkRegistry.registerSchema",
        viable_keys: &["record.viable.registerSchema"],
        peer: "SchemaRegistry.register",
        peer_keys: &["record.eas.register"],
    },
    Job {
        name: "Pay 1,000 USDC for accepted work",
        viable: "allocate + execute",
        viable_keys: &["pay.viable.allocate", "pay.viable.execute"],
        peer: "Governor propose + castVote + queue + execute",
        peer_keys: &[
            "pay.governor.propose",
            "pay.governor.castVote",
            "pay.governor.queue",
            "pay.governor.execute",
        ],
    },
    Job {
        name: "Claim from a stream (first claim)",
        viable: "OptimizationTreasury.claim",
        viable_keys: &["stream.viable.claimFirst"],
        peer: "VestingWallet.release",
        peer_keys: &["stream.vesting.releaseFirst"],
    },
    Job {
        name: "Claim from a stream (later claim)",
        viable: "OptimizationTreasury.claim",
        viable_keys: &["stream.viable.claimLater"],
        peer: "VestingWallet.release",
        peer_keys: &["stream.vesting.releaseLater"],
    },
    Job {
        name: "Ratify a rule change (one parameter)",
        viable: "propose + castVote (both houses) + queue + execute",
        viable_keys: &[
            "rule.viable.propose",
            "rule.viable.castVote",
            "rule.viable.queue",
            "rule.viable.execute",
        ],
        peer: "Governor propose + castVote + queue + execute",
        peer_keys: &[
            "rule.governor.propose",
            "rule.governor.castVote",
            "rule.governor.queue",
            "rule.governor.execute",
        ],
    },
];

/// Operations measured against their floor, in table order, with a plain name.
const FLOORS: &[(&str, &str)] = &[
    ("locks.request", "CoordinationLocks.request: granted, never-used resource"),
    ("locks.requestQueued", "CoordinationLocks.request: queued, second in line"),
    ("locks.renew", "CoordinationLocks.renew"),
    ("locks.release", "CoordinationLocks.release: no one waiting"),
    ("strategy.openQuestion", "StrategyProposals.openQuestion"),
    ("strategy.propose", "StrategyProposals.propose (bond paid)"),
    ("strategy.stake", "StrategyProposals.stake: returning staker"),
    ("strategy.support", "StrategyProposals.support: new position"),
];

const SCALING: &[(&str, &str)] = &[
    ("work.submit", "WorkRegistry.submit"),
    ("work.registerSchema", "WorkRegistry.registerSchema"),
    ("locks.request", "CoordinationLocks.request"),
    ("locks.release", "CoordinationLocks.release"),
    ("treasury.allocate", "OptimizationTreasury.allocate"),
    ("strategy.stake", "StrategyProposals.stake"),
    ("strategy.support", "StrategyProposals.support"),
];

/// A module target (per transaction, from the module issues as docs/gas.md and the
/// module notes restate them): which figures add up to it, and why it is missed when
/// it is (the measured cause, from those notes).
struct Target {
    what: &'static str,
    file: &'static str,
    keys: &'static [&'static str],
    target: u64,
    why: &'static str,
}

const TARGETS: &[Target] = &[
    Target {
        what: "WorkRegistry.submit, 3 fields, steady state",
        file: "peers",
        keys: &["record.viable.submit"],
        target: 92_000,
        why: "",
    },
    Target {
        what: "WorkRegistry.registerSchema, 3 fields",
        file: "peers",
        keys: &["record.viable.registerSchema"],
        target: 116_000,
        why: "",
    },
    Target {
        what: "LegitimacyConstitution.propose, one action",
        file: "peers",
        keys: &["rule.viable.propose"],
        target: 85_000,
        why: "",
    },
    Target {
        what: "castVote, first vote (both houses)",
        file: "peers",
        keys: &["rule.viable.castVote"],
        target: 95_500,
        why: "",
    },
    Target {
        what: "castVote, later vote",
        file: "peers",
        keys: &["rule.viable.castVoteLater"],
        target: 76_000,
        why: "",
    },
    Target {
        what: "queue + execute, one SetParam",
        file: "peers",
        keys: &["rule.viable.queue", "rule.viable.execute"],
        target: 105_000,
        why: "",
    },
    Target {
        what: "CoordinationLocks.request, granted on a never-used resource",
        file: "floor",
        keys: &["locks.request.tx"],
        target: 85_000,
        why: "two fresh slots (the resource and the request, 44,200) and the reads of other modules: the directory lookup, and `WorkRegistry.packet`, which reads six slots where the lock needs two or three fields (docs/coordination-locks.md, docs/gas.md)",
    },
    Target {
        what: "CoordinationLocks.request, queued (second in line)",
        file: "floor",
        keys: &["locks.requestQueued.tx"],
        target: 90_000,
        why: "a fresh slot for the request and one for the link from the request ahead, and the same reads of other modules as a granted request (docs/coordination-locks.md)",
    },
    Target {
        what: "CoordinationLocks.release, no one waiting",
        file: "floor",
        keys: &["locks.release.tx"],
        target: 40_000,
        why: "",
    },
    Target {
        what: "OptimizationTreasury.allocate",
        file: "peers",
        keys: &["pay.viable.allocate"],
        target: 110_000,
        why: "the cross-module reads the spec requires (packet, role, recognition, directory, three parameters: about 40,000) and the two-slot record already come to about 106,000; a recipient never paid adds its cap slot (22,100) (docs/optimization-treasury.md)",
    },
    Target {
        what: "allocate + execute of an ERC20 payment",
        file: "peers",
        keys: &["pay.viable.allocate", "pay.viable.execute"],
        target: 164_000,
        why: "the allocate excess above; still well under the Governor's path (table above)",
    },
    Target {
        what: "StrategyProposals.propose, bond included",
        file: "floor",
        keys: &["strategy.propose.tx"],
        target: 150_000,
        why: "",
    },
    Target {
        what: "StrategyProposals.stake, self-delegated holder, steady",
        file: "scaling",
        keys: &["strategy.stake.10000"],
        target: 80_000,
        why: "the token's own vote checkpoint (ERC20Votes moves the holder's votes: about 32,700 in a new second) is paid inside `stake`; an undelegated holder's stake is far under (snapshots/StrategyProposals.json)",
    },
    Target {
        what: "StrategyProposals.support, adding to a position, steady",
        file: "scaling",
        keys: &["strategy.support.10000"],
        target: 90_000,
        why: "",
    },
];

/// The keeper section, from `results/keeper.json` (the keeper's benchmark,
/// `crates/viable-keeper/examples/bench.rs`, run by bench/run.sh).
fn keeper(w: &mut String, dir: &Path) -> Result<()> {
    writeln!(w, "## Keeper\n")?;
    let path = dir.join("results/keeper.json");
    let Ok(text) = std::fs::read_to_string(&path) else {
        writeln!(
            w,
            "Not run (`BENCH_KEEPER_ITEMS=0`). Latency and gas per duty from the integration tests are in [docs/keeper.md](../docs/keeper.md#measured).\n"
        )?;
        return Ok(());
    };
    let k: Json = serde_json::from_str(&text).wrap_err("results/keeper.json")?;
    let num = |key: &str| k[key].as_f64().ok_or_else(|| eyre!("keeper.json: no {key}"));
    let items = num("items")?;
    let cleared = num("clearedSecs")?;
    writeln!(
        w,
        "One keeper (`crates/viable-keeper/examples/bench.rs`, {} build, up to {} actions in flight) \
         and {items} due items across the modules: 40 % attested packets to expire, 20 % leases to \
         expire, 20 % allocations to execute, 20 % proposals to expire. The items are made by \
         pipelined transactions ({} s), nothing is due while they are made; then the chain's clock \
         jumps past every deadline and anvil mines a block a second.\n",
        k["build"].as_str().unwrap_or("?"),
        num("maxInFlight")?,
        num("createdSecs")?,
    )?;
    writeln!(w, "| what | figure |")?;
    writeln!(w, "|---|---|")?;
    writeln!(
        w,
        "| time to clear {items} due items | {cleared} s ({:.1} a second, {} blocks) |",
        items / cleared.max(1.0),
        num("clearedBlocks")?
    )?;
    writeln!(
        w,
        "| RPC requests per block while nothing is due ({} blocks, {} ms polling) | {} with {} open items, {} with {items} |",
        num("idleBlocks")?,
        num("pollMs")?,
        num("idleRequestsPerBlockSmall")?,
        num("idleSmallItems")?,
        num("idleRequestsPerBlockLarge")?,
    )?;
    let duties = k["duties"].as_object().ok_or_else(|| eyre!("keeper.json: no duties"))?;
    for (name, d) in duties {
        writeln!(
            w,
            "| {name}: mean gas of the keeper's receipts | {} ({} transactions, {} reverted) |",
            d["meanGas"], d["transactions"], d["reverted"]
        )?;
    }
    writeln!(
        w,
        "\nThe idle figure is the keeper's own head and log polling: it never polls items, so it \
         does not grow with them. Latency per duty, faults and restarts: \
         [docs/keeper.md](../docs/keeper.md#measured).\n"
    )?;
    Ok(())
}

pub(crate) fn write(dir: &Path) -> Result<()> {
    let peers = load(&dir.join("snapshots/peers.json"))?;
    let floor = load(&dir.join("snapshots/floor.json"))?;
    let scaling = load(&dir.join("snapshots/scaling.json"))?;
    let tp: Json = serde_json::from_str(
        &std::fs::read_to_string(dir.join("results/throughput.json"))
            .wrap_err("read results/throughput.json")?,
    )?;
    let versions = std::fs::read_to_string(dir.join("results/versions.txt")).unwrap_or_default();

    let mut md = String::new();
    let w = &mut md;
    writeln!(w, "# Benchmark results\n")?;
    writeln!(
        w,
        "Written by `make bench` (bench/run.sh), which reproduces every figure below from a \
         clean clone; do not edit by hand. Gas is deterministic: a fresh run gives the same \
         tables to the unit. Timings are not: they are compared as ratios measured in the \
         same run.\n"
    )?;
    writeln!(
        w,
        "Gas is per transaction, as a receipt shows it: 21,000 + calldata + execution, refunds applied. Each call is its own transaction (forge's isolation mode), after earlier activity of the same kind, on the dev genesis (`crates/viable/genesis/dev.toml`).\n"
    )?;
    writeln!(w, "## Versions\n")?;
    for line in versions.lines().filter(|l| !l.trim().is_empty()) {
        writeln!(w, "- {line}")?;
    }
    writeln!(w)?;

    // Jobs beside the peers.
    writeln!(w, "## Gas per job, Viable beside its peer\n")?;
    writeln!(w, "![gas per job](gas.svg)\n")?;
    writeln!(w, "| job | Viable | gas | peer | gas | Viable ÷ peer |")?;
    writeln!(w, "|---|---|---:|---|---:|---:|")?;
    let mut bars = Vec::new();
    for j in JOBS {
        let v = sum(&peers, j.viable_keys)?;
        let p = sum(&peers, j.peer_keys)?;
        writeln!(
            w,
            "| {} | {} | {} | {} | {} | {} |",
            j.name,
            j.viable,
            thousands(v),
            j.peer,
            thousands(p),
            ratio(v, p)
        )?;
        bars.push(Bar {
            job: j.name.to_string(),
            viable: v,
            other_name: j.peer.to_string(),
            other: p,
        });
    }
    writeln!(w)?;
    writeln!(
        w,
        "What each side does. EAS is deployed from the bytecode its npm package ships \
         (compiled by its authors); the OpenZeppelin contracts are compiled here with the \
         project's settings. The Governor (GovernorSettings, GovernorCountingSimple, \
         GovernorVotes, GovernorVotesQuorumFraction, GovernorTimelockControl with a \
         TimelockController holding the funds) uses the same token, with the dev genesis \
         numbers: 60 s delay, 300 s vote, 4% quorum, 120 s timelock. The same description \
         is used on both sides. Viable pays against an accepted, recognized packet that \
         already exists (its submission and its reviewer's attestation are not counted \
         in the row); the Governor pays without one. \
         Viable's vote counts in two houses (token and Work); the Governor's in one. EAS \
         keeps each attestation, its data included, in storage where contracts can read \
         it; Viable keeps a packet's data in its event only, and stores a two-slot record \
         (docs/work-registry.md).\n"
    )?;
    writeln!(w, "Every step:\n")?;
    writeln!(w, "| step | gas |")?;
    writeln!(w, "|---|---:|")?;
    for (k, v) in &peers {
        if k != "record.dataBytes" {
            writeln!(w, "| `{k}` | {} |", thousands(*v))?;
        }
    }
    writeln!(w)?;

    // Floors.
    writeln!(w, "## Coordination and strategy operations against their physical floor\n")?;
    writeln!(
        w,
        "floor = 21,000 + calldata (4 gas a zero byte, 16 another) + 22,100 per slot that \
         must go from zero to non-zero + 5,000 per slot that must change or be cleared − \
         the refund of a cleared slot (4,800, at most a fifth) + the logs the call emits \
         (375 + 375 a topic + 8 a byte). The slots are the least the operation must write \
         (named in bench/test/Floor.t.sol); reads, cold accounts and checks are what Viable \
         spends above the floor.\n"
    )?;
    writeln!(
        w,
        "| operation | measured | floor | calldata | fresh slots | changed | cleared | logs | Viable ÷ floor |"
    )?;
    writeln!(w, "|---|---:|---:|---:|---:|---:|---:|---:|---:|")?;
    for (k, name) in FLOORS {
        let g = |s: &str| {
            floor.get(&format!("{k}.{s}")).copied().ok_or_else(|| eyre!("missing {k}.{s}"))
        };
        let (tx, fl) = (g("tx")?, g("floor")?);
        writeln!(
            w,
            "| {name} | {} | {} | {} | {} | {} | {} | {} | {} |",
            thousands(tx),
            thousands(fl),
            thousands(g("calldata")?),
            g("fresh")?,
            g("changed")?,
            g("cleared")?,
            thousands(g("logs")?),
            ratio(tx, fl)
        )?;
        bars.push(Bar {
            job: name.to_string(),
            viable: tx,
            other_name: "physical floor".into(),
            other: fl,
        });
    }
    writeln!(w)?;

    // Scaling.
    writeln!(w, "## Scaling: the 1st, 100th, 1,000th and 10,000th operation\n")?;
    writeln!(
        w,
        "The measured operation is made by the same account, in the same shape, one second \
         after the one before; the operations in between are real, made by a contract many \
         per transaction (bench/test/Scaling.t.sol). The last column is the execution gas \
         (less 21,000 and calldata, which grows by a few bytes as ids grow) of the \
         10,000th minus the 100th. The 1st can cost more: it also pays one-time writes \
         from zero (the first packet ever sets the packet counter; a staker's first stake \
         or first position creates their record).\n"
    )?;
    writeln!(w, "| operation | 1st | 100th | 1,000th | 10,000th | execution, 10,000th − 100th |")?;
    writeln!(w, "|---|---:|---:|---:|---:|---:|")?;
    let mut growth = Vec::new();
    for (k, name) in SCALING {
        let g = |n: u64, s: &str| {
            scaling.get(&format!("{k}.{n}{s}")).copied().ok_or_else(|| eyre!("missing {k}.{n}{s}"))
        };
        let d = g(10_000, ".exec")? as i64 - g(100, ".exec")? as i64;
        growth.push((*name, d));
        writeln!(
            w,
            "| {name} | {} | {} | {} | {} | {d:+} |",
            thousands(g(1, "")?),
            thousands(g(100, "")?),
            thousands(g(1000, "")?),
            thousands(g(10_000, "")?)
        )?;
    }
    writeln!(w)?;

    // Cross-check.
    writeln!(w, "## Cross-check with anvil receipts\n")?;
    writeln!(
        w,
        "The same calls sent to a real anvil (through the SDK for Viable, raw for EAS deployed from the same bytecode), their receipts' `gasUsed` beside forge's figure:\n"
    )?;
    writeln!(w, "| call | forge | anvil receipt | same |")?;
    writeln!(w, "|---|---:|---:|---|")?;
    let cc = tp["crosscheck"].as_object().ok_or_else(|| eyre!("throughput.json: no crosscheck"))?;
    for (k, v) in cc {
        let a = v.as_u64().ok_or_else(|| eyre!("crosscheck {k}"))?;
        let f = peers.get(k).copied().ok_or_else(|| eyre!("missing {k}"))?;
        writeln!(
            w,
            "| `{k}` | {} | {} | {} |",
            thousands(f),
            thousands(a),
            if a == f { "yes" } else { "NO" }
        )?;
    }
    writeln!(w)?;

    // Throughput.
    let t = &tp["throughput"];
    let num = |k: &str| t[k].as_f64().ok_or_else(|| eyre!("throughput.json: no {k}"));
    let (n, cast_n) = (num("packets")?, num("cast_packets")?);
    let (sdk, raw, cast) = (n / num("sdk_secs")?, n / num("raw_secs")?, cast_n / num("cast_secs")?);
    writeln!(w, "## SDK throughput on anvil\n")?;
    writeln!(
        w,
        "Packets (the 3-field task data) submitted by one account to a local anvil that \
         mines each transaction as it arrives. The SDK's `Work::submit_pipelined` checks \
         every packet client-side, simulates one per data length, and keeps {} \
         transactions in flight with consecutive nonces; the ceiling sends the same \
         transactions, signed before the clock starts, with `eth_sendRawTransaction`, \
         {} in flight (the SDK signs the same way, inside its timing). The two run in the \
         order raw, SDK, SDK, raw, half the packets each, so that both meet the same \
         share of a growing chain; the cast loop runs `cast send` once per packet, as a user scripting \
         by hand would. Each run ends when every receipt is in. Timings depend on the \
         machine (and on what else runs on it); the ratios are from the same run.\n",
        t["in_flight"], t["in_flight"]
    )?;
    writeln!(
        w,
        "Load average (1 min) on the machine when the run started: {}.\n",
        t["load_average_1min"].as_str().unwrap_or("unknown")
    )?;
    writeln!(w, "| path | packets | seconds | packets/s |")?;
    writeln!(w, "|---|---:|---:|---:|")?;
    writeln!(w, "| SDK, nonce pipelining | {n} | {:.2} | {sdk:.0} |", num("sdk_secs")?)?;
    writeln!(w, "| pre-signed, raw (ceiling) | {n} | {:.2} | {raw:.0} |", num("raw_secs")?)?;
    writeln!(w, "| `cast send` loop | {cast_n} | {:.2} | {cast:.1} |", num("cast_secs")?)?;
    writeln!(w)?;
    let (of_raw, of_cast) = (sdk / raw, sdk / cast);
    writeln!(
        w,
        "SDK ÷ raw: **{:.0}%** (goal ≥ 70%: {}). SDK ÷ cast loop: **{of_cast:.1}×** (goal ≥ 20×: {}). \
         Raw ÷ cast loop: {:.1}×.\n",
        of_raw * 100.0,
        if of_raw >= 0.7 { "met" } else { "missed" },
        if of_cast >= 20.0 { "met" } else { "missed" },
        raw / cast
    )?;
    if of_cast < 20.0 {
        writeln!(
            w,
            "Why the cast goal is missed in this run: SDK ÷ cast is at most raw ÷ cast \
             ({:.1}× here), which is set by how fast this anvil mines a block per \
             transaction on this machine at this load. A `cast send` costs a process start \
             and a few round trips whatever the node's speed, while each of anvil's blocks \
             costs more when the cores are shared, which narrows the gap.\n",
            raw / cast
        )?;
    }
    if of_raw < 0.7 {
        writeln!(
            w,
            "Why the raw goal is missed in this run: the SDK's own work per packet \
             (encoding, the client-side check, signing, the filler stack) is not hidden \
             behind the node's; the raw sends were signed before the clock started.\n"
        )?;
    }

    keeper(w, dir)?;

    // Targets.
    writeln!(w, "## Against the module targets\n")?;
    writeln!(w, "| operation | measured | target | |")?;
    writeln!(w, "|---|---:|---:|---|")?;
    let mut missed = Vec::new();
    for t in TARGETS {
        let f = match t.file {
            "peers" => &peers,
            "floor" => &floor,
            _ => &scaling,
        };
        let v = sum(f, t.keys)?;
        let ok = v <= t.target;
        writeln!(
            w,
            "| {} | {} | ≤ {} | {} |",
            t.what,
            thousands(v),
            thousands(t.target),
            if ok { "met" } else { "**missed**" }
        )?;
        if !ok {
            missed.push((t, v));
        }
    }
    for (name, d) in &growth {
        // O(1): the 10,000th within 2% of the 100th (execution gas).
        let base = scaling
            .get(&format!(
                "{}.100.exec",
                SCALING.iter().find(|s| s.1 == *name).map(|s| s.0).unwrap_or("")
            ))
            .copied()
            .unwrap_or(1);
        let ok = (d.unsigned_abs() * 100) <= 2 * base;
        writeln!(
            w,
            "| {name}: 10,000th against the 100th | {d:+} | within 2% | {} |",
            if ok { "met" } else { "**missed**" }
        )?;
    }
    writeln!(w)?;
    if missed.is_empty() {
        writeln!(w, "Every target is met.\n")?;
    } else {
        writeln!(w, "Missed, and why:\n")?;
        for (t, v) in missed {
            let why = if t.why.is_empty() { "not analysed yet" } else { t.why };
            writeln!(w, "- {}: {} against {} — {why}.", t.what, thousands(v), thousands(t.target))?;
        }
        writeln!(w)?;
    }

    std::fs::write(dir.join("RESULTS.md"), md)?;
    chart::draw(
        &dir.join("gas.svg"),
        "Gas per transaction or job: Viable beside its peer or its physical floor",
        &bars,
    )?;
    Ok(())
}
