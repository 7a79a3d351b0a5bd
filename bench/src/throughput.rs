//! On a real anvil: receipts of the calls the forge bench measures (the cross-check),
//! then packets per second by the SDK with nonce pipelining, by the same transactions
//! pre-signed and sent raw (the node's ceiling), and by a loop of `cast send`.

use std::{path::Path, process::Command, time::Instant};

use alloy::{
    eips::BlockId,
    network::{EthereumWallet, TransactionBuilder},
    node_bindings::Anvil,
    primitives::{Address, B256, Bytes, U256, keccak256},
    providers::{Provider, ProviderBuilder},
    rpc::types::TransactionRequest,
    signers::local::PrivateKeySigner,
    sol,
    sol_types::{SolCall, SolValue},
};
use eyre::{Result, WrapErr, bail, eyre};
use serde_json::{Value as Json, json};
use viable::{
    DeployOptions, Genesis, Viable,
    bindings::WorkRegistry,
    work::{BatchGas, IN_FLIGHT, SchemaDef, receipts, send_raw, sign_batch},
};

sol! {
    struct AttestationRequestData {
        address recipient;
        uint64 expirationTime;
        bool revocable;
        bytes32 refUID;
        bytes data;
        uint256 value;
    }
    struct AttestationRequest {
        bytes32 schema;
        AttestationRequestData data;
    }
    function register(string schema, address resolver, bool revocable) returns (bytes32);
    function attest(AttestationRequest request) returns (bytes32);
}

/// The schema the forge bench records work against (bench/test/Peers.t.sol).
const TASK_SCHEMA: &str = r#"name = "bench.task"
acceptance = { mode = "immediate" }
[[fields]]
type = "uint256"
[[fields]]
type = "bytes32"
required = true
[[fields]]
type = "string"
max_len = 64
"#;

/// The EAS schema with the same three fields.
const EAS_SCHEMA: &str = "uint256 amount,bytes32 commit,string note";

/// The 3-field data both registries record: abi.encode(42, keccak256("commit"), "fixed the oracle").
fn task_data() -> Bytes {
    (U256::from(42), keccak256("commit"), String::from("fixed the oracle"))
        .abi_encode_params()
        .into()
}

/// What one run measured, as JSON for the report.
pub(crate) async fn run(repo: &Path, packets: usize, cast_packets: usize) -> Result<Json> {
    let anvil_bin = std::env::var_os("ANVIL_BIN")
        .ok_or_else(|| eyre!("ANVIL_BIN is not set (bench/run.sh sets it)"))?;
    let cast_bin = std::env::var_os("CAST_BIN")
        .ok_or_else(|| eyre!("CAST_BIN is not set (bench/run.sh sets it)"))?;
    // What else the machine is doing matters for timings (not for gas): keep it.
    let load = std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|s| s.split_whitespace().next().map(str::to_string))
        .unwrap_or_else(|| "unknown".into());
    // `--prune-history`: anvil keeps no past states. The bench reads only the latest, and
    // without it anvil slows down as thousands of one-transaction blocks pile up (in one
    // run here, raw sends fell from 79 to 32 a second). BENCH_ANVIL_ARGS replaces it.
    let extra = std::env::var("BENCH_ANVIL_ARGS").unwrap_or_else(|_| "--prune-history".into());
    let anvil = Anvil::new()
        .path(anvil_bin)
        .args(extra.split_whitespace())
        .try_spawn()
        .wrap_err("start anvil")?;
    let key = anvil.keys()[0].clone();
    let signer: PrivateKeySigner = key.clone().into();
    let wallet = EthereumWallet::from(signer);
    let p = ProviderBuilder::new().wallet(wallet.clone()).connect_http(anvil.endpoint_url());
    let viable = Viable::deploy(p.clone(), &Genesis::dev(), DeployOptions::default()).await?;
    let work = viable.work();

    // Cross-check: the same calls as the forge bench, their receipts' gasUsed.
    let last_gas = || async { last_block_gas(&p).await };
    let warmup = SchemaDef::from_toml_str(
        "name = \"bench.warmup\"\nacceptance = { mode = \"immediate\" }\nfields = []\n",
        "bench",
    )?
    .resolve(16, 600)?;
    work.register_schema(&warmup).await?;
    let schema = SchemaDef::from_toml_str(TASK_SCHEMA, "bench")?.resolve(16, 600)?;
    let schema_id = work.register_schema(&schema).await?;
    let register_gas = last_gas().await?;
    let hash = keccak256("the work");
    work.submit(schema_id, hash, task_data()).await?;
    work.submit(schema_id, hash, task_data()).await?;
    let submit_gas = last_gas().await?;
    let (eas_register, eas_attest) = eas(repo, &p).await?;

    // Throughput. A short pipelined run first, so both timed runs start warm.
    let data = task_data();
    let batch = |salt: u64, n: usize| -> Vec<(B256, Bytes)> {
        (0..n).map(|i| (keccak256((salt, i as u64).abi_encode()), data.clone())).collect()
    };
    work.submit_pipelined(&wallet, schema_id, &batch(0, 16)).await?;

    // Raw, SDK, SDK, raw, half of the packets each: anvil gets slower as its state
    // grows, and this order gives both paths the same share of early and late blocks.
    let registry = work.address().await?;
    let half = packets / 2;
    let (mut sdk_secs, mut raw_secs) = (0.0, 0.0);
    for (round, is_sdk) in [false, true, true, false].into_iter().enumerate() {
        let packets = batch(1 + round as u64, half);
        if is_sdk {
            let t = Instant::now();
            let ids = work.submit_pipelined(&wallet, schema_id, &packets).await?;
            sdk_secs += t.elapsed().as_secs_f64();
            if ids.len() != half {
                bail!("the SDK returned {} packet ids for {half} packets", ids.len());
            }
        } else {
            raw_secs += raw_round(&p, &wallet, registry, schema_id, packets).await?;
        }
    }
    let packets = 2 * half;

    // What a user scripting by hand does: one `cast send` per packet (each waits for
    // its receipt).
    let key_hex = format!("0x{}", alloy::hex::encode(key.to_bytes()));
    let url = anvil.endpoint();
    let t = Instant::now();
    for (h, d) in batch(9, cast_packets) {
        let out = Command::new(&cast_bin)
            .args(["send", "--rpc-url", &url, "--private-key", &key_hex])
            .arg(registry.to_string())
            .arg("submit(bytes32,bytes32,bytes)")
            .arg(schema_id.to_string())
            .arg(h.to_string())
            .arg(d.to_string())
            .output()
            .wrap_err("run cast send")?;
        if !out.status.success() {
            bail!("cast send failed: {}", String::from_utf8_lossy(&out.stderr));
        }
    }
    let cast_secs = t.elapsed().as_secs_f64();
    let total = viable.work().contract().await?.packetCount().call().await?;

    Ok(json!({
        "crosscheck": {
            "record.viable.registerSchema": register_gas,
            "record.viable.submit": submit_gas,
            "record.eas.register": eas_register,
            "record.eas.attest": eas_attest,
        },
        "throughput": {
            "in_flight": IN_FLIGHT,
            "load_average_1min": load,
            "packets": packets,
            "sdk_secs": sdk_secs,
            "raw_secs": raw_secs,
            "cast_packets": cast_packets,
            "cast_secs": cast_secs,
            "packets_on_chain": total.to_string(),
        }
    }))
}

/// The same transactions as the SDK sends, signed before the clock starts and sent raw
/// with the same number in flight; returns the seconds from the first send to the last
/// receipt.
async fn raw_round<P: Provider>(
    p: &P,
    wallet: &EthereumWallet,
    registry: Address,
    schema_id: B256,
    packets: Vec<(B256, Bytes)>,
) -> Result<f64> {
    let calls: Vec<(Address, Bytes)> = packets
        .into_iter()
        .map(|(h, d)| {
            let call = WorkRegistry::submitCall { schemaId: schema_id, contentHash: h, data: d };
            (registry, Bytes::from(call.abi_encode()))
        })
        .collect();
    let raw = sign_batch(p, wallet, &calls, BatchGas::ByLength).await?;
    let t = Instant::now();
    let hashes = send_raw(p, &raw).await?;
    receipts(p, &hashes, std::time::Duration::from_secs(600)).await?;
    Ok(t.elapsed().as_secs_f64())
}

/// gasUsed of the one transaction in the latest block (anvil mines one per block).
async fn last_block_gas<P: Provider>(p: &P) -> Result<u64> {
    let receipts =
        p.get_block_receipts(BlockId::latest()).await?.ok_or_else(|| eyre!("no latest block"))?;
    match receipts.as_slice() {
        [r] if r.status() => Ok(r.gas_used),
        _ => bail!("expected one successful transaction in the latest block"),
    }
}

/// Deploys EAS from the bytecode its npm package ships and measures `register` and a
/// second `attest` of the task data (the same steps as the forge bench).
async fn eas<P: Provider>(repo: &Path, p: &P) -> Result<(u64, u64)> {
    let dir = repo
        .join("bench/node_modules/@ethereum-attestation-service/eas-contracts/artifacts/contracts");
    let code = |rel: &str| -> Result<Bytes> {
        let text = std::fs::read_to_string(dir.join(rel))
            .wrap_err_with(|| format!("read {rel} (run bench/run.sh)"))?;
        let v: Json = serde_json::from_str(&text)?;
        let hex = v["bytecode"].as_str().ok_or_else(|| eyre!("{rel}: no bytecode"))?;
        Ok(hex.parse()?)
    };
    let deploy = |code: Bytes| async move {
        let r = p
            .send_transaction(TransactionRequest::default().with_deploy_code(code))
            .await?
            .get_receipt()
            .await?;
        r.contract_address.ok_or_else(|| eyre!("no contract created"))
    };
    let registry: Address = deploy(code("SchemaRegistry.sol/SchemaRegistry.json")?).await?;
    let mut eas_code = code("EAS.sol/EAS.json")?.to_vec();
    eas_code.extend_from_slice(&registry.abi_encode());
    let eas: Address = deploy(eas_code.into()).await?;

    let send = |to: Address, input: Vec<u8>| async move {
        let r = p
            .send_transaction(TransactionRequest::default().with_to(to).with_input(input))
            .await?
            .get_receipt()
            .await?;
        if !r.status() {
            bail!("EAS call reverted");
        }
        Ok::<_, eyre::Report>(r.gas_used)
    };
    let register = |s: &str| {
        registerCall { schema: s.into(), resolver: Address::ZERO, revocable: true }.abi_encode()
    };
    send(registry, register("uint256 warmup")).await?;
    let register_gas = send(registry, register(EAS_SCHEMA)).await?;
    // The schema id: keccak256(abi.encodePacked(schema, resolver, revocable)).
    let mut packed = EAS_SCHEMA.as_bytes().to_vec();
    packed.extend_from_slice(Address::ZERO.as_slice());
    packed.push(1);
    let schema = keccak256(&packed);
    let attest = attestCall {
        request: AttestationRequest {
            schema,
            data: AttestationRequestData {
                recipient: Address::ZERO,
                expirationTime: 0,
                revocable: true,
                refUID: B256::ZERO,
                data: task_data(),
                value: U256::ZERO,
            },
        },
    }
    .abi_encode();
    send(eas, attest.clone()).await?;
    let attest_gas = send(eas, attest).await?;
    Ok((register_gas, attest_gas))
}
