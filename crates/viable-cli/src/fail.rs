//! Errors for people: one line saying what failed, one hint saying what to do, and
//! the details (the error's causes, raw revert data) only under `-v`. Under `--json`
//! the same facts go to stderr as one JSON object (docs/cli.md).

use std::fmt;

use alloy::transports::{TransportError, http::reqwest::Url};
use serde_json::{Value, json};
use viable::{Error, Revert, error::Precondition};

use crate::json as j;

/// A failure the CLI has already put into words.
#[derive(Debug)]
pub(crate) struct Fail {
    /// A stable class for programs: `usage`, `signer`, `unreachable`, `deployment`, …
    pub(crate) kind: &'static str,
    /// What failed, in one line.
    pub(crate) message: String,
    /// What to do about it.
    pub(crate) hint: Option<String>,
    /// What only `-v` shows (the underlying error in full).
    pub(crate) details: Vec<String>,
}

impl Fail {
    pub(crate) fn new(kind: &'static str, message: impl Into<String>) -> Self {
        Self { kind, message: message.into(), hint: None, details: vec![] }
    }

    pub(crate) fn details(mut self, details: Vec<String>) -> Self {
        self.details.extend(details);
        self
    }

    /// A command line or input the CLI cannot use.
    pub(crate) fn usage(message: impl Into<String>) -> Self {
        Self::new("usage", message)
    }

    pub(crate) fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// The node at `url` did not answer.
    pub(crate) fn unreachable(url: &Url, e: &TransportError) -> Self {
        let why = root_cause(e);
        let shown = url.as_str().trim_end_matches('/');
        Self::new("unreachable", format!("cannot reach the node at {shown} ({why})"))
            .hint("is `make dev` running? Otherwise pass --rpc-url URL or set ETH_RPC_URL")
            .details(causes(e))
    }
}

impl fmt::Display for Fail {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Fail {}

/// The innermost cause's text, without the layers' prefixes: `Connection refused (os
/// error 111)`.
fn root_cause(e: &(dyn std::error::Error + 'static)) -> String {
    let mut last = e.to_string();
    let mut cur = e.source();
    while let Some(c) = cur {
        last = c.to_string();
        cur = c.source();
    }
    last
}

/// An error and its causes, one text each.
pub(crate) fn causes(e: &(dyn std::error::Error + 'static)) -> Vec<String> {
    let mut out = vec![e.to_string()];
    let mut cur = e.source();
    while let Some(c) = cur {
        let text = c.to_string();
        if out.last() != Some(&text) {
            out.push(text);
        }
        cur = c.source();
    }
    out
}

/// An error as the CLI reports it.
#[derive(Debug)]
pub(crate) struct Report {
    kind: &'static str,
    message: String,
    hint: Option<String>,
    details: Vec<String>,
    revert: Option<Value>,
}

impl Report {
    /// Put any error from a command into words.
    pub(crate) fn of(err: &eyre::Report) -> Self {
        let details: Vec<String> = err.chain().skip(1).map(|c| c.to_string()).collect();
        if let Some(f) = err.downcast_ref::<Fail>() {
            return Self {
                kind: f.kind,
                message: f.message.clone(),
                hint: f.hint.clone(),
                details: f.details.iter().cloned().chain(details).collect(),
                revert: None,
            };
        }
        if let Some(e) = err.downcast_ref::<Error>() {
            return Self::sdk(e, details);
        }
        if let Some(e) = err.downcast_ref::<viable::GenesisError>() {
            return Self::plain("genesis", e.to_string(), details);
        }
        // Context added with wrap_err: the outermost text is the message, the causes
        // are details.
        Self::plain("error", err.to_string(), details)
    }

    fn plain(kind: &'static str, message: String, details: Vec<String>) -> Self {
        Self { kind, message: one_line(&message), hint: None, details, revert: None }
    }

    fn sdk(e: &Error, mut details: Vec<String>) -> Self {
        let mut r = Self::plain("error", e.to_string(), vec![]);
        match e {
            Error::Revert(revert) => {
                r.kind = "revert";
                r.hint = revert_hint(revert);
                r.revert = Some(revert_json(revert));
                details.push(format!("revert data {}", revert.data));
            }
            Error::Check(c) => {
                r.kind = "check";
                r.message = format!("refused before sending: {}", one_line(&c.to_string()));
            }
            Error::Genesis(_) => r.kind = "genesis",
            Error::Precondition(p) => {
                r.kind = "deployment";
                r.hint = match p {
                    Precondition::NoCode { .. } => Some(
                        "was the chain restarted since the deployment was recorded? `make dev` deploys again"
                            .into(),
                    ),
                    Precondition::WrongChain { .. } => Some(
                        "pass --deployment for this chain's file, or --rpc-url for the deployment's chain"
                            .into(),
                    ),
                    _ => None,
                };
            }
            Error::Timeout { tx, .. } => {
                r.kind = "timeout";
                r.hint = Some(format!(
                    "it may still be mined: look it up (`cast receipt {tx}`) before sending again, or raise --timeout"
                ));
            }
            Error::Reverted { .. } => r.kind = "reverted",
            Error::Transport { source, .. } => {
                r.kind = "rpc";
                r.message = format!("the node failed: {}", one_line(&root_cause(source.as_ref())));
                details.push(source.to_string());
            }
            Error::DeploymentFile { .. } => r.kind = "deployment",
            _ => {}
        }
        r.details = details;
        r
    }

    /// Print to stderr: one line and a hint (and the details under `-v`), or one JSON
    /// object under `--json`.
    pub(crate) fn print(&self, json: bool, verbose: u8) {
        if json {
            let mut e = json!({ "kind": self.kind, "message": self.message });
            if let Some(h) = &self.hint {
                e["hint"] = json!(h);
            }
            if let Some(r) = &self.revert {
                e["revert"] = r.clone();
            }
            if verbose > 0 && !self.details.is_empty() {
                e["details"] = json!(self.details);
            }
            eprintln!("{}", json!({ "error": e }));
            return;
        }
        match &self.hint {
            Some(h) => eprintln!("error: {}; {h}", self.message),
            None => eprintln!("error: {}", self.message),
        }
        if verbose > 0 {
            for d in &self.details {
                for line in d.lines() {
                    eprintln!("  {line}");
                }
            }
        }
    }
}

/// What to do about reverts that only mean "not yet".
fn revert_hint(r: &Revert) -> Option<String> {
    let not_yet = matches!(
        r.name.as_str(),
        "LegitimacyConstitutionTimelocked" | "WorkRegistryDeadlineNotReached"
    ) || (r.name == "LegitimacyConstitutionWrongState"
        && matches!(
            (r.arg("current"), r.arg("required")),
            (Some("Pending"), Some("Active")) | (Some("Active"), Some("Succeeded"))
        ));
    not_yet.then(|| {
        "not yet due: `viable constitution show ID` says when; on a dev chain `viable dev warp <duration>` moves the clock"
            .to_string()
    })
}

fn revert_json(r: &Revert) -> Value {
    let args: serde_json::Map<String, Value> =
        r.args.iter().map(|(n, v)| (n.clone(), json!(v))).collect();
    json!({
        "name": r.name,
        "contract": r.contract,
        "args": args,
        "data": j::hex(&r.data),
    })
}

fn one_line(text: &str) -> String {
    text.lines().map(str::trim).filter(|l| !l.is_empty()).collect::<Vec<_>>().join("; ")
}
