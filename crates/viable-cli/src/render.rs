//! Text for people (the `--json` flag prints the same data by the rules in
//! [`crate::json`]). Ids print in full hex, enums by name, times as a date with
//! "in 45 s" against the chain's clock, token amounts in whole tokens.

use std::{fmt::Write, path::Path};

use alloy::primitives::{Address, B256, U256, keccak256};
use viable::{
    Genesis, Param,
    constitution::{AmendmentStatus, Article, ConstitutionState},
    display, keys,
    locks::{Grant, RequestInfo, RequestState, ResourceInfo},
    work::{Contribution, PacketInfo, Schema, Value},
};

/// The whole constitution; `texts[i]` is article i's text when it could be read.
pub(crate) fn constitution(s: &ConstitutionState, texts: &[Option<String>]) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "LegitimacyConstitution  {}", s.address);
    let _ = writeln!(out, "  token (Token House)   {}", s.token);
    let _ = writeln!(out, "  bootstrapped          {}", s.bootstrapped);
    let _ = writeln!(out, "\nDirectory");
    for (module, addr) in s.modules.iter() {
        let name = module.contract_name();
        let shown =
            if addr == Address::ZERO { "(not deployed)".to_string() } else { addr.to_string() };
        let _ = writeln!(out, "  {name:<22}{shown}");
    }
    let _ = writeln!(out, "\nParameters");
    out.push_str(&params(&s.params));
    let _ = writeln!(out);
    out.push_str(&roles(s));
    let _ = writeln!(out);
    out.push_str(&recognitions(s));
    let _ = writeln!(out);
    out.push_str(&articles(&s.articles, texts));
    out
}

/// The parameter table.
pub(crate) fn params(list: &[Param]) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "  {:<31} {:<28} bounds", "key", "value");
    for p in list {
        let _ = writeln!(
            out,
            "  {:<31} {:<28} [{}, {}]",
            p.key,
            keys::display_value(&p.key, p.value),
            keys::display_bound(&p.key, p.min),
            keys::display_bound(&p.key, p.max)
        );
    }
    out
}

/// Role holders.
pub(crate) fn roles(s: &ConstitutionState) -> String {
    let mut out = String::from("Roles\n");
    for (name, list) in [("STEWARD", &s.stewards), ("GUARDIAN", &s.guardians)] {
        if list.is_empty() {
            let _ = writeln!(out, "  {name:<9} (none)");
        }
        for a in list {
            let _ = writeln!(out, "  {name:<9} {a}");
        }
    }
    out
}

/// Recognized schemas.
pub(crate) fn recognitions(s: &ConstitutionState) -> String {
    let mut out = String::from("Recognized schemas\n");
    if s.recognitions.is_empty() {
        out.push_str(
            "  (none yet: work of any schema is accepted, none earns contribution power)\n",
        );
    }
    for (id, w) in &s.recognitions {
        let _ = writeln!(out, "  {id}  weight {w}");
    }
    out
}

/// Articles, with their text when it could be read (else the hash and the URI).
pub(crate) fn articles(list: &[Article], texts: &[Option<String>]) -> String {
    let mut out = String::from("Articles\n");
    if list.is_empty() {
        out.push_str("  (none)\n");
    }
    for (a, text) in list.iter().zip(texts) {
        let n = a.index + 1;
        match text {
            _ if a.content_hash.is_zero() => {
                let _ = writeln!(out, "  {n:>3}. (repealed)");
            }
            Some(t) => {
                let _ = writeln!(out, "  {n:>3}. {}", t.trim());
                let _ = writeln!(out, "       {}  {}", a.uri, a.content_hash);
            }
            None => {
                let _ = writeln!(out, "  {n:>3}. {}  {}", a.content_hash, a.uri);
                let _ = writeln!(
                    out,
                    "       (text not found: the URI is not a local file and no preset has it)"
                );
            }
        }
    }
    out
}

/// An article's text, when its URI is a readable local file (`file://…`, or a path
/// from `root` or the current folder) or it is an article of a genesis preset — and
/// only if the text hashes to the article's content hash.
pub(crate) fn article_text(a: &Article, root: Option<&Path>) -> Option<String> {
    if a.content_hash.is_zero() {
        return None;
    }
    let matches = |t: &str| keccak256(t.as_bytes()) == a.content_hash;
    let path = a.uri.strip_prefix("file://").unwrap_or(&a.uri);
    if !path.is_empty() && !path.contains("://") {
        let candidates = [Some(Path::new(path).to_path_buf()), root.map(|r| r.join(path))];
        for p in candidates.into_iter().flatten() {
            if let Ok(t) = std::fs::read_to_string(&p)
                && matches(&t)
            {
                return Some(t);
            }
        }
    }
    [Genesis::dev(), Genesis::production()]
        .iter()
        .flat_map(|g| g.bootstrap.articles.iter().filter_map(|s| s.text.clone()))
        .find(|t| matches(t))
}

/// One amendment with its times against `now` (the chain's clock) and its tallies
/// per house.
pub(crate) fn amendment(s: &AmendmentStatus, now: Option<u64>) -> String {
    let mut out = String::new();
    let p = &s.proposal;
    let _ = writeln!(out, "Amendment {}", p.id);
    let when = match s.next_at {
        Some(at) => {
            format!("{}; {}", s.next, now.map(|n| display::relative(at, n)).unwrap_or_default())
        }
        None => s.next.clone(),
    };
    let _ = writeln!(out, "  state      {}  ({when})", s.state);
    let _ = writeln!(out, "  proposer   {}", p.proposer);
    let _ = writeln!(out, "  opens      {}", display::time(s.vote_start, now));
    let _ = writeln!(out, "  closes     {}", display::time(s.vote_end, now));
    if s.eta != 0 {
        let _ = writeln!(out, "  eta        {}", display::time(s.eta, now));
    }
    if !p.strategy_proposal_id.is_zero() {
        let _ = writeln!(out, "  adopts     Strategy proposal {}", p.strategy_proposal_id);
    }
    let _ = writeln!(out, "  rationale  {}", p.description);
    let _ = writeln!(out, "  actions");
    for (i, a) in p.actions.iter().enumerate() {
        let _ = writeln!(out, "    {}. {a}", i + 1);
    }
    let _ = writeln!(
        out,
        "  {:<18} {:>16} {:>16} {:>16} {:>16}",
        "house", "for", "against", "abstain", "quorum"
    );
    // Token amounts in whole tokens (18 decimals), power as the registry counts it.
    let tokens = keys::ether;
    let _ = writeln!(
        out,
        "  {:<18} {:>16} {:>16} {:>16} {:>16}",
        "Token (tokens)",
        tokens(s.token[0]),
        tokens(s.token[1]),
        tokens(s.token[2]),
        tokens(s.quorums[0])
    );
    let _ = writeln!(
        out,
        "  {:<18} {:>16} {:>16} {:>16} {:>16}",
        "Work (power)", s.work[0], s.work[1], s.work[2], s.quorums[1]
    );
    out
}

/// A registered schema.
pub(crate) fn schema(s: &Schema, id: B256, weight: U256) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "Schema {id}");
    let _ = writeln!(out, "  name         {}", s.name);
    let recognized =
        if weight.is_zero() { "not recognized".to_string() } else { format!("weight {weight}") };
    let _ = writeln!(out, "  recognition  {recognized}");
    if s.acceptance.mode == 0 {
        let _ = writeln!(out, "  acceptance   immediate");
    } else {
        let window = s.acceptance.window.saturating_to::<u64>();
        let _ = writeln!(
            out,
            "  acceptance   {} of {} attesters within {}",
            s.acceptance.quorum,
            s.acceptance.attesters.len(),
            display::span(window)
        );
        for a in &s.acceptance.attesters {
            let _ = writeln!(out, "               {a}");
        }
    }
    if !s.validator.is_zero() {
        let _ = writeln!(out, "  validator    {}", s.validator);
    }
    let _ = writeln!(out, "  fields");
    let types = s.types().map_err(|e| e.to_string());
    for (i, f) in s.fields.iter().enumerate() {
        let t = match &types {
            Ok(types) => types[i].to_string(),
            Err(_) => format!("type {}", f.fieldType),
        };
        let mut rules = Vec::new();
        if f.required {
            rules.push("required".to_string());
        }
        if !f.min.is_zero() || !f.max.is_zero() {
            let max = if f.max.is_zero() { "∞".to_string() } else { f.max.to_string() };
            rules.push(format!("[{}, {max}]", f.min));
        }
        if !f.maxLen.is_zero() {
            rules.push(format!("max_len {}", f.maxLen));
        }
        let _ = writeln!(out, "    {i:>2}. {t:<10} {}", rules.join(", "));
    }
    out
}

/// A packet with its decoded values, times against `now`.
pub(crate) fn packet(p: &PacketInfo, s: &Schema, values: &[Value], now: Option<u64>) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "Packet {}", p.id);
    let _ = writeln!(out, "  status        {}", p.status);
    let _ = writeln!(out, "  contributor   {}", p.contributor);
    let _ = writeln!(out, "  schema        {} ({})", p.schema_id, s.name);
    let _ = writeln!(out, "  content hash  {}", p.content_hash);
    let _ = writeln!(out, "  submitted     {}", display::time(p.submitted_at, now));
    if p.deadline != 0 {
        let _ = writeln!(
            out,
            "  deadline      {} ({} attestations)",
            display::time(p.deadline, now),
            p.attestations
        );
    }
    let _ = writeln!(out, "  data");
    for (i, v) in values.iter().enumerate() {
        let label = s.labels.get(i).map(|l| format!(" {l}")).unwrap_or_default();
        let _ = writeln!(out, "    {i:>2}.{label} {v}");
    }
    out
}

/// An account's standing in the Work House.
pub(crate) fn contribution(account: Address, c: &Contribution) -> String {
    format!(
        "{account}: {} points, power {} of {} in the Work House\n",
        c.points, c.power, c.total_power
    )
}

/// A resource of the CoordinationLocks, named by `name` when it was given as text.
pub(crate) fn lock_resource(r: &ResourceInfo, name: Option<&str>, now: Option<u64>) -> String {
    let mut out = String::new();
    let named = name.map(|n| format!(" ({n})")).unwrap_or_default();
    let _ = writeln!(out, "Resource {}{named}", r.resource);
    if r.holders == 0 {
        let _ = writeln!(out, "  holders     none");
    } else {
        let _ = writeln!(out, "  holders     {} {}", r.holders, r.mode);
    }
    if let Some(t) = r.expires_by {
        let _ = writeln!(out, "  expires by  {}", display::time(t, now));
    }
    match (r.head, r.tail) {
        (Some(h), Some(t)) => {
            let _ = writeln!(out, "  queue       {} waiting: head {h}, tail {t}", r.queue_length);
        }
        _ => {
            let _ = writeln!(out, "  queue       empty");
        }
    }
    out
}

/// One lock request.
pub(crate) fn lock_request(r: &RequestInfo, now: Option<u64>) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "Request of packet {} on {}", r.packet_id, r.resource);
    let _ = writeln!(out, "  state       {}", r.state);
    if r.state == RequestState::None {
        return out;
    }
    let _ = writeln!(out, "  mode        {}", r.mode);
    let _ = writeln!(out, "  requester   {}", r.requester);
    if let Some(p) = r.position {
        let _ = writeln!(out, "  position    {p}");
    }
    if let Some(t) = r.ttl {
        let _ = writeln!(out, "  ttl         {t} s ({})", display::span(t));
    }
    if let Some(t) = r.not_before {
        let _ = writeln!(out, "  not before  {}", display::time(t, now));
    }
    if let Some(t) = r.granted_at {
        let _ = writeln!(out, "  granted     {}", display::time(t, now));
    }
    if let Some(t) = r.lease_end {
        let _ = writeln!(out, "  lease ends  {}", display::time(t, now));
    }
    out
}

/// Locks a grant step granted, one line each ("" when none).
pub(crate) fn lock_grants(list: &[Grant], now: Option<u64>) -> String {
    list.iter()
        .map(|g| {
            format!(
                "\n  granted packet {} to {} ({}) until {}",
                g.packet_id,
                g.holder,
                g.mode,
                display::time(g.lease_end, now)
            )
        })
        .collect()
}

/// Print `value` as pretty JSON on stdout (its own serde form; `viable genesis` uses
/// it — chain commands build their JSON with [`crate::json`]).
pub(crate) fn json<T: serde::Serialize>(value: &T) -> eyre::Result<()> {
    println!("{}", serde_json::to_string_pretty(value)?);
    Ok(())
}
