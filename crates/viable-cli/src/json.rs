//! `--json` values by the CLI's convention (docs/cli.md): uint256 as decimal strings,
//! bytes and hash ids as `0x` hex, addresses checksummed, enums by name, times as
//! Unix seconds (numbers), camelCase keys. Every command builds its JSON from these
//! helpers, never from the SDK types' serde form (which writes numbers in hex and
//! addresses in lower case).

use alloy::primitives::{Address, B256, U256};
use serde_json::{Value, json};
use viable::{
    Deployment, Param,
    constitution::{AmendmentStatus, Article, ConstitutionState, ProposedAmendment},
    locks::{Grant, RequestInfo, RequestState, ResourceInfo},
    work::{Contribution, PacketInfo, Schema, Value as FieldValue},
};

/// A uint256: a decimal string (it may not fit a JSON number's 53 bits).
pub(crate) fn uint(v: U256) -> Value {
    Value::String(v.to_string())
}

/// An address, EIP-55 checksummed (as `cast` prints it).
pub(crate) fn addr(a: Address) -> Value {
    Value::String(a.to_checksum(None))
}

/// A list of addresses.
pub(crate) fn addrs(list: &[Address]) -> Value {
    Value::Array(list.iter().map(|a| addr(*a)).collect())
}

/// Bytes of any length (hashes, ids, data): `0x` and lower-case hex.
pub(crate) fn hex(bytes: impl AsRef<[u8]>) -> Value {
    Value::String(alloy::hex::encode_prefixed(bytes))
}

/// A value shown with `Display` (enum names, ids that display themselves).
pub(crate) fn text(v: impl std::fmt::Display) -> Value {
    Value::String(v.to_string())
}

/// One parameter.
pub(crate) fn param(p: &Param) -> Value {
    json!({ "key": p.key, "value": uint(p.value), "min": uint(p.min), "max": uint(p.max) })
}

/// Every parameter.
pub(crate) fn params(list: &[Param]) -> Value {
    Value::Array(list.iter().map(param).collect())
}

/// One article, with its text when the CLI could read it (see `render::article_text`).
pub(crate) fn article(a: &Article, text: Option<&str>) -> Value {
    json!({
        "index": a.index,
        "contentHash": hex(a.content_hash),
        "uri": a.uri,
        "repealed": a.content_hash.is_zero(),
        "text": text,
    })
}

/// Recognized schemas and their weights.
pub(crate) fn recognitions(list: &[(B256, U256)]) -> Value {
    Value::Array(
        list.iter().map(|(id, w)| json!({ "schemaId": hex(id), "weight": uint(*w) })).collect(),
    )
}

/// The role holders.
pub(crate) fn roles(s: &ConstitutionState) -> Value {
    json!({ "stewards": addrs(&s.stewards), "guardians": addrs(&s.guardians) })
}

/// The module directory, by slot name.
pub(crate) fn modules(m: &viable::Modules) -> Value {
    let map: serde_json::Map<String, Value> =
        m.iter().map(|(slot, a)| (format!("{slot:?}").to_lowercase(), addr(a))).collect();
    Value::Object(map)
}

/// The whole constitution.
pub(crate) fn state(s: &ConstitutionState, texts: &[Option<String>]) -> Value {
    json!({
        "address": addr(s.address),
        "token": addr(s.token),
        "bootstrapped": s.bootstrapped,
        "modules": modules(&s.modules),
        "params": params(&s.params),
        "stewards": addrs(&s.stewards),
        "guardians": addrs(&s.guardians),
        "recognitions": recognitions(&s.recognitions),
        "articles": s.articles.iter().zip(texts).map(|(a, t)| article(a, t.as_deref())).collect::<Vec<_>>(),
    })
}

/// A deployment file's content.
pub(crate) fn deployment(d: &Deployment) -> Value {
    json!({
        "chainId": d.chain_id,
        "constitution": addr(d.constitution),
        "token": addr(d.token),
        "modules": modules(&d.modules),
        "deployBlock": d.deploy_block,
        "genesisHash": hex(d.genesis_hash),
        "gitCommit": d.git_commit,
        "deployer": addr(d.deployer),
    })
}

/// An amendment as proposed.
pub(crate) fn proposed(p: &ProposedAmendment) -> Value {
    json!({
        "id": text(p.id),
        "proposer": addr(p.proposer),
        "actions": p.actions,
        "strategyProposalId": uint(p.strategy_proposal_id),
        "description": p.description,
        "block": p.block,
    })
}

/// An amendment with its state, times and tallies.
pub(crate) fn amendment(s: &AmendmentStatus) -> Value {
    let mut v = proposed(&s.proposal);
    let tally =
        |t: &[U256; 3]| json!({ "for": uint(t[0]), "against": uint(t[1]), "abstain": uint(t[2]) });
    let extra = json!({
        "state": text(s.state),
        "voteStart": s.vote_start,
        "voteEnd": s.vote_end,
        "eta": s.eta,
        "next": s.next,
        "nextAt": s.next_at,
        "tokenHouse": { "votes": tally(&s.token), "quorum": uint(s.quorums[0]) },
        "workHouse": { "votes": tally(&s.work), "quorum": uint(s.quorums[1]) },
    });
    if let (Value::Object(a), Value::Object(b)) = (&mut v, extra) {
        a.extend(b);
    }
    v
}

/// A packet, with its values decoded when the schema allows.
pub(crate) fn packet(p: &PacketInfo, values: Option<&[FieldValue]>) -> Value {
    let mut v = json!({
        "id": text(p.id),
        "status": text(p.status),
        "contributor": addr(p.contributor),
        "schemaId": hex(p.schema_id),
        "contentHash": hex(p.content_hash),
        "submittedAt": p.submitted_at,
        "deadline": p.deadline,
        "attestations": p.attestations,
        "data": hex(&p.data),
    });
    if let Some(values) = values {
        v["values"] = values.iter().map(field_value).collect();
    }
    v
}

/// One decoded field value.
pub(crate) fn field_value(v: &FieldValue) -> Value {
    match v {
        FieldValue::Uint(u) => uint(*u),
        FieldValue::Int(i) => text(i),
        FieldValue::Address(a) => addr(*a),
        FieldValue::Bool(b) => json!(b),
        FieldValue::Bytes32(b) => hex(b),
        FieldValue::String(s) => json!(s),
        FieldValue::Bytes(b) => hex(b),
        FieldValue::Bytes32Array(list) => list.iter().map(hex).collect(),
        other => text(other),
    }
}

/// A registered schema and its recognition weight.
pub(crate) fn schema(s: &Schema, id: B256, weight: U256) -> Value {
    let types = s.types().unwrap_or_default();
    let fields: Vec<Value> = s
        .fields
        .iter()
        .enumerate()
        .map(|(i, f)| {
            json!({
                "type": types.get(i).map(|t| t.to_string()),
                "required": f.required,
                "min": uint(f.min),
                "max": uint(f.max),
                "maxLen": uint(f.maxLen),
            })
        })
        .collect();
    json!({
        "schemaId": hex(id),
        "name": s.name,
        "fields": fields,
        "acceptance": {
            "mode": if s.acceptance.mode == 0 { "immediate" } else { "attested" },
            "quorum": uint(s.acceptance.quorum),
            "attesters": addrs(&s.acceptance.attesters),
            "window": uint(s.acceptance.window),
        },
        "validator": addr(s.validator),
        "recognition": uint(weight),
    })
}

/// An account's standing in the Work House.
pub(crate) fn contribution(account: Address, c: &Contribution) -> Value {
    json!({
        "account": addr(account),
        "points": uint(c.points),
        "power": uint(c.power),
        "totalPower": uint(c.total_power),
    })
}

/// A resource: its key (and the name it was given as, if any), holders, queue, expiry.
pub(crate) fn lock_resource(r: &ResourceInfo, name: Option<&str>) -> Value {
    json!({
        "resource": hex(r.resource.0),
        "name": name,
        "holders": r.holders,
        "mode": (r.holders > 0).then(|| text(r.mode)),
        "queueLength": r.queue_length,
        "head": r.head.map(text),
        "tail": r.tail.map(text),
        "expiresBy": r.expires_by,
    })
}

/// One lock request.
pub(crate) fn lock_request(r: &RequestInfo) -> Value {
    json!({
        "resource": hex(r.resource.0),
        "packetId": text(r.packet_id),
        "state": text(r.state),
        "mode": (r.state != RequestState::None).then(|| text(r.mode)),
        "requester": (r.state != RequestState::None).then(|| addr(r.requester)),
        "ttl": r.ttl,
        "notBefore": r.not_before,
        "next": r.next.map(text),
        "position": r.position,
        "leaseEnd": r.lease_end,
        "grantedAt": r.granted_at,
    })
}

/// Locks a grant step granted.
pub(crate) fn lock_grants(list: &[Grant]) -> Value {
    list.iter()
        .map(|g| {
            json!({
                "packetId": text(g.packet_id),
                "holder": addr(g.holder),
                "mode": text(g.mode),
                "leaseEnd": g.lease_end,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_decimal_strings_addresses_checksummed_bytes_hex() {
        assert_eq!(uint(U256::from(300)), json!("300"));
        assert_eq!(uint(U256::MAX), json!(U256::MAX.to_string()));
        let a: Address = "0x70997970c51812dc3a010c7d01b50e0d17dc79c8".parse().unwrap();
        assert_eq!(addr(a), json!("0x70997970C51812dc3A010C7d01b50e0d17dc79C8"));
        assert_eq!(hex(B256::repeat_byte(0xab)), json!(format!("0x{}", "ab".repeat(32))));
        let id = viable::AmendmentId(U256::from(1));
        assert_eq!(text(id).as_str().unwrap().len(), 66);
    }
}
