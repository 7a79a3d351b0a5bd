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

    /// The node at `url` did not answer `eth_chainId`, or answered with something that
    /// is not a JSON-RPC reply, or refused it.
    pub(crate) fn unreachable(url: &Url, e: &TransportError) -> Self {
        use alloy::transports::{RpcError, TransportErrorKind};
        let why = one_line(&root_cause(e));
        let shown = url.as_str().trim_end_matches('/');
        let endpoint = "is --rpc-url the node's JSON-RPC endpoint? (ETH_RPC_URL sets it too)";
        let failed = match e {
            RpcError::ErrorResp(p) => Self::new(
                "rpc",
                format!("the node at {shown} refused eth_chainId: {}", one_line(&p.message)),
            )
            .hint(endpoint),
            RpcError::DeserError { text, .. } => {
                let head: String = text.chars().take(40).collect();
                Self::new(
                    "rpc",
                    format!(
                        "the node at {shown} answered eth_chainId with something that is not a valid JSON-RPC reply ({why}; it began {:?})",
                        one_line(&head)
                    ),
                )
                .hint(endpoint)
            }
            RpcError::Transport(TransportErrorKind::HttpError(h)) => {
                Self::new("rpc", format!("the node at {shown} answered HTTP {}", h.status))
                    .hint(endpoint)
            }
            _ => Self::new("unreachable", format!("cannot reach the node at {shown} ({why})"))
                .hint("is `make dev` running? Otherwise pass --rpc-url URL or set ETH_RPC_URL"),
        };
        failed.details(causes(e))
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

    /// The one line people read (message and hint), as `print` writes it.
    #[cfg(test)]
    pub(crate) fn line(&self) -> String {
        match &self.hint {
            Some(h) => format!("error: {}; {h}", self.message),
            None => format!("error: {}", self.message),
        }
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

/// Print clap's refusal of the command line as one line (`error: …; see `viable work
/// --help``), or as JSON under `--json`; help and `--version` print as clap prints them.
/// Exit code 2, as clap's own (0 for help and version).
pub(crate) fn command_line(e: &clap::Error) -> std::process::ExitCode {
    use clap::error::ErrorKind;
    if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) {
        let _ = e.print();
        return std::process::ExitCode::SUCCESS;
    }
    if e.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand {
        let _ = e.print();
        return std::process::ExitCode::from(2);
    }
    let (message, hint) = command_line_text(&e.render().to_string());
    let report = Report { kind: "usage", message, hint: Some(hint), details: vec![], revert: None };
    report.print(std::env::args().any(|a| a == "--json"), 0);
    std::process::ExitCode::from(2)
}

/// clap's rendered error as (one line, a hint naming the command's `--help`).
pub(crate) fn command_line_text(rendered: &str) -> (String, String) {
    let mut message = String::new();
    let mut tips = Vec::new();
    let mut command = "viable".to_string();
    for line in rendered.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if let Some(m) = line.strip_prefix("error: ") {
            message = m.to_string();
        } else if let Some(t) = line.strip_prefix("tip: ") {
            tips.push(t.to_string());
        } else if let Some(u) = line.strip_prefix("Usage: ") {
            command = u
                .split_whitespace()
                .take_while(|w| !w.starts_with(['<', '[', '-']) && *w != "COMMAND")
                .collect::<Vec<_>>()
                .join(" ");
        } else if message.is_empty() {
            message = line.to_string();
        } else if !line.starts_with("For more information") {
            // A multi-line message (a list of what was expected): keep it on the line.
            message = format!("{message} {line}");
        }
    }
    if !tips.is_empty() {
        message = format!("{message} ({})", tips.join("; "));
    }
    (one_line(&message), format!("see `{command} --help`"))
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
