//! Text rendering of chain state for people (the `--json` flag prints the same data as JSON).

use std::fmt::Write;

use alloy::primitives::Address;
use viable::{
    Param,
    constitution::{AmendmentStatus, ConstitutionState},
    keys,
    work::{PacketInfo, Schema, Value},
};

/// Print `value` as pretty JSON on stdout.
pub(crate) fn json<T: serde::Serialize>(value: &T) -> eyre::Result<()> {
    println!("{}", serde_json::to_string_pretty(value)?);
    Ok(())
}

/// The whole constitution.
pub(crate) fn constitution(s: &ConstitutionState) -> String {
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
    out.push_str(&articles(s));
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

/// Articles.
pub(crate) fn articles(s: &ConstitutionState) -> String {
    let mut out = String::from("Articles\n");
    if s.articles.is_empty() {
        out.push_str("  (none)\n");
    }
    for a in &s.articles {
        if a.content_hash.is_zero() {
            let _ = writeln!(out, "  {:>3}. (repealed)", a.index + 1);
        } else {
            let _ = writeln!(out, "  {:>3}. {}  {}", a.index + 1, a.content_hash, a.uri);
        }
    }
    out
}

/// One amendment with its tallies per house.
pub(crate) fn amendment(s: &AmendmentStatus) -> String {
    let mut out = String::new();
    let p = &s.proposal;
    let _ = writeln!(out, "Amendment {}", p.id);
    let _ = writeln!(out, "  state      {}  ({})", s.state, s.next);
    let _ = writeln!(out, "  proposer   {}", p.proposer);
    let _ = writeln!(out, "  voting     {} .. {}", s.vote_start, s.vote_end);
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
        "  {:<12} {:>28} {:>28} {:>28} {:>28}",
        "house", "for", "against", "abstain", "quorum"
    );
    let _ = writeln!(
        out,
        "  {:<12} {:>28} {:>28} {:>28} {:>28}",
        "Token",
        keys::ether(s.token[0]),
        keys::ether(s.token[1]),
        keys::ether(s.token[2]),
        keys::ether(s.quorums[0])
    );
    let _ = writeln!(
        out,
        "  {:<12} {:>28} {:>28} {:>28} {:>28}",
        "Work", s.work[0], s.work[1], s.work[2], s.quorums[1]
    );
    out
}

/// A registered schema.
pub(crate) fn schema(
    s: &Schema,
    id: alloy::primitives::B256,
    weight: alloy::primitives::U256,
) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "Schema {id}");
    let _ = writeln!(out, "  name         {}", s.name);
    let recognized =
        if weight.is_zero() { "not recognized".to_string() } else { format!("weight {weight}") };
    let _ = writeln!(out, "  recognition  {recognized}");
    if s.acceptance.mode == 0 {
        let _ = writeln!(out, "  acceptance   immediate");
    } else {
        let _ = writeln!(
            out,
            "  acceptance   {} of {} attesters within {} s",
            s.acceptance.quorum,
            s.acceptance.attesters.len(),
            s.acceptance.window
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

/// A packet with its decoded values.
pub(crate) fn packet(p: &PacketInfo, s: &Schema, values: &[Value]) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "Packet {}", p.id);
    let _ = writeln!(out, "  status        {}", p.status);
    let _ = writeln!(out, "  contributor   {}", p.contributor);
    let _ = writeln!(out, "  schema        {} ({})", p.schema_id, s.name);
    let _ = writeln!(out, "  content hash  {}", p.content_hash);
    let _ = writeln!(out, "  submitted at  {}", p.submitted_at);
    if p.deadline != 0 {
        let _ = writeln!(out, "  deadline      {} ({} attestations)", p.deadline, p.attestations);
    }
    let _ = writeln!(out, "  data");
    for (i, v) in values.iter().enumerate() {
        let _ = writeln!(out, "    {i:>2}. {v}");
    }
    out
}
