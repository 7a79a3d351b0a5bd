//! Viable's benchmark driver (run by `make bench`, i.e. bench/run.sh):
//!
//! - `viable-bench throughput OUT.json [PACKETS] [CAST_PACKETS]`: on a fresh anvil,
//!   the receipts of the calls the forge bench measures, then packets per second by
//!   the SDK (nonce pipelining), by the same transactions pre-signed and sent raw, and
//!   by a loop of `cast send`.
//! - `viable-bench report DIR`: reads DIR/snapshots/*.json (the forge bench),
//!   DIR/results/throughput.json and DIR/results/versions.txt, and writes
//!   DIR/RESULTS.md and DIR/gas.svg.

mod chart;
mod report;
mod throughput;

use std::path::PathBuf;

use eyre::{Result, bail};

#[tokio::main]
async fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        ["throughput", out, rest @ ..] => {
            let packets = rest.first().map(|s| s.parse()).transpose()?.unwrap_or(1000);
            let cast = rest.get(1).map(|s| s.parse()).transpose()?.unwrap_or(50);
            let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
            let json = throughput::run(&repo, packets, cast).await?;
            std::fs::write(out, serde_json::to_string_pretty(&json)? + "\n")?;
            println!("{}", serde_json::to_string_pretty(&json)?);
            Ok(())
        }
        ["report", dir] => report::write(&PathBuf::from(dir)),
        _ => bail!(
            "usage: viable-bench throughput OUT.json [PACKETS] [CAST_PACKETS] | viable-bench report BENCH_DIR"
        ),
    }
}
