//! Where a command's answer goes: text for people, or exactly one JSON document on
//! stdout under `--json` (errors go to stderr either way; see [`crate::fail`]).

use alloy::primitives::TxHash;
use clap::Args;
use serde_json::{Value, json};

use crate::{json as j, opts::Sent};

/// Flags every command takes.
#[derive(Debug, Clone, Copy, Args)]
pub(crate) struct Output {
    /// Print one JSON document on stdout (and errors as JSON on stderr); see docs/cli.md.
    #[arg(long, global = true)]
    pub(crate) json: bool,
    /// Show details: the causes of an error, debug logs (-vv: every library's).
    #[arg(short, long, action = clap::ArgAction::Count, global = true)]
    pub(crate) verbose: u8,
}

impl Output {
    /// Print `json()` under `--json`, else `text()`.
    pub(crate) fn show(&self, json: impl FnOnce() -> Value, text: impl FnOnce() -> String) {
        if self.json {
            println!("{}", serde_json::to_string_pretty(&json()).expect("values serialize"));
        } else {
            print!("{}", text());
        }
    }

    /// Report a write: under `--json` an object with `action`, `tx` (the last
    /// transaction's hash), `mined` (false under `--async`), the fields in `created`
    /// (the ids it made and the new state), and `transactions` when it sent more than
    /// one; as text, `line` and the hash.
    pub(crate) fn sent<T>(&self, action: &str, sent: &Sent<T>, created: Value, line: &str) {
        let mined = sent.value.is_some();
        let tx: Option<&TxHash> = sent.txs.last();
        if self.json {
            let mut v = json!({ "action": action, "tx": tx.map(j::hex), "mined": mined });
            if sent.txs.len() > 1 {
                v["transactions"] = sent.txs.iter().map(j::hex).collect();
            }
            if let (Value::Object(o), Value::Object(c)) = (&mut v, created) {
                o.extend(c);
            }
            println!("{}", serde_json::to_string_pretty(&v).expect("values serialize"));
            return;
        }
        match (mined, tx) {
            (true, Some(tx)) => println!("{line}\n  tx {tx}"),
            (true, None) => println!("{line}"),
            (false, Some(tx)) => {
                println!("sent {action}: tx {tx}\n  not waiting for its receipt (--async)")
            }
            (false, None) => println!("sent {action}"),
        }
    }
}
