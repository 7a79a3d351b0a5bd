//! Options shared by every command that talks to a chain, and the connection they
//! make. A new command group flattens [`ChainOpts`] and calls
//! [`ChainOpts::reader`] for reads or [`ChainOpts::writer`] for transactions; a write
//! goes through [`Conn::send`] and is printed with [`crate::out::Output::sent`].

use std::{future::Future, path::PathBuf, time::Duration};

use alloy::{
    network::{EthereumWallet, Network, TransactionBuilder},
    primitives::{Address, TxHash},
    providers::{
        DynProvider, Provider, ProviderBuilder, SendableTx,
        ext::AnvilApi,
        fillers::{FillerControlFlow, TxFiller},
    },
    rpc::client::ClientBuilder,
    signers::local::PrivateKeySigner,
    transports::{TransportResult, http::reqwest::Url},
};
use clap::Args;
use viable::{Deployment, SendOptions, Viable};

use crate::{fail::Fail, sent::Recorder, tools};

/// Where the chain is, where the deployment is recorded, who signs and how sends wait.
#[derive(Debug, Clone, Args)]
pub(crate) struct ChainOpts {
    /// JSON-RPC endpoint; `localhost:8545` means `http://localhost:8545`.
    #[arg(
        short = 'r',
        long,
        env = "ETH_RPC_URL",
        default_value = "http://127.0.0.1:8545",
        value_parser = parse_rpc_url,
        global = true
    )]
    pub(crate) rpc_url: Url,
    /// Deployment file. Default: deployments/<chainId>.json in the current folder or
    /// the nearest parent folder that has one.
    #[arg(long, env = "VIABLE_DEPLOYMENT", global = true)]
    pub(crate) deployment: Option<PathBuf>,
    #[command(flatten)]
    pub(crate) signer: SignerOpts,
    #[command(flatten)]
    pub(crate) send: SendOpts,
}

/// Who signs: a raw key, a keystore file, a Foundry keystore account, or an account the
/// node holds (`--from` alone, on anvil).
#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Signer (transactions only)")]
pub(crate) struct SignerOpts {
    /// Hex private key (never logged).
    #[arg(long, env = "VIABLE_PRIVATE_KEY", hide_env_values = true, global = true)]
    pub(crate) private_key: Option<String>,
    /// Encrypted JSON keystore: a file, or a folder holding the --account file.
    #[arg(long, env = "ETH_KEYSTORE", global = true)]
    pub(crate) keystore: Option<PathBuf>,
    /// Keystore name under ~/.foundry/keystores (as `cast wallet import` makes).
    #[arg(long, env = "ETH_KEYSTORE_ACCOUNT", global = true)]
    pub(crate) account: Option<String>,
    /// Keystore password (asked on the terminal when not given).
    #[arg(long, env = "ETH_PASSWORD", hide_env_values = true, global = true)]
    pub(crate) password: Option<String>,
    /// File holding the keystore password.
    #[arg(long, global = true)]
    pub(crate) password_file: Option<PathBuf>,
    /// The sending account. With a key, it must be the key's; alone, the node signs
    /// (anvil's dev accounts, or any account anvil impersonates).
    #[arg(long, env = "ETH_FROM", global = true, value_parser = parse_address)]
    pub(crate) from: Option<Address>,
}

/// How transactions are awaited.
#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Sending (transactions only)")]
pub(crate) struct SendOpts {
    /// Give up waiting for a receipt after this long (`90s`, `5m`; plain numbers are seconds).
    #[arg(long, default_value = "120s", value_parser = parse_duration, global = true)]
    pub(crate) timeout: Duration,
    /// Blocks that must include the transaction before it counts (1 = mined).
    #[arg(long, default_value_t = 1, global = true)]
    pub(crate) confirmations: u64,
    /// Return once the node has accepted the transaction: print its hash, do not wait
    /// for the receipt (created ids are then unknown).
    #[arg(long = "async", global = true)]
    pub(crate) no_wait: bool,
}

impl Default for SendOpts {
    /// The flags' defaults: 120 s, 1 confirmation, waiting for the receipt.
    fn default() -> Self {
        Self { timeout: Duration::from_secs(120), confirmations: 1, no_wait: false }
    }
}

/// `localhost:8545` (as cast accepts it) or a full URL.
pub(crate) fn parse_rpc_url(text: &str) -> Result<Url, String> {
    let full = if text.contains("://") { text.to_string() } else { format!("http://{text}") };
    Url::parse(&full).map_err(|e| format!("`{text}` is not a URL ({e})"))
}

/// `90s`, `1h30m`, `2d`, or a plain number of seconds.
pub(crate) fn parse_duration(text: &str) -> Result<Duration, String> {
    if let Ok(secs) = text.trim().parse::<u64>() {
        return Ok(Duration::from_secs(secs));
    }
    humantime::parse_duration(text.trim())
        .map_err(|e| format!("`{text}` is not a duration like 90s, 5m, 1h30m or 2d ({e})"))
}

/// An address; mixed case must be its EIP-55 checksum.
pub(crate) fn parse_address(text: &str) -> Result<Address, String> {
    viable::display::parse_address(text).map_err(|e| e.to_string())
}

/// A connection to the chain, with who signs (if anyone) and what was sent.
#[derive(Debug, Clone)]
pub(crate) struct Conn {
    pub(crate) provider: DynProvider,
    pub(crate) chain_id: u64,
    /// The sending account (writers only).
    pub(crate) sender: Option<Address>,
    recorder: Recorder,
    no_wait: bool,
}

/// What a write sent: the value the SDK returned (none under `--async`) and the
/// transaction hashes, in order.
#[derive(Debug)]
pub(crate) struct Sent<T> {
    pub(crate) value: Option<T>,
    pub(crate) txs: Vec<TxHash>,
}

/// Who signs a connection.
enum Signer {
    None,
    Key(PrivateKeySigner),
    Node(Address),
}

impl ChainOpts {
    /// A connection for reads (no signer is resolved, so no password is asked).
    pub(crate) async fn reader(&self) -> eyre::Result<Conn> {
        self.connect(match self.signer.from {
            Some(from) => Signer::Node(from),
            None => Signer::None,
        })
        .await
    }

    /// A connection that signs, or the one-line reason there is no signer.
    pub(crate) async fn writer(&self) -> eyre::Result<Conn> {
        let s = &self.signer;
        let key = match (&s.private_key, &s.keystore, &s.account) {
            (Some(_), Some(_), _) | (Some(_), _, Some(_)) => {
                return Err(Fail::usage(
                    "give one signer: --private-key or a keystore (--keystore / --account), not both",
                )
                .into());
            }
            (Some(k), None, None) => Some(
                k.trim()
                    .parse::<PrivateKeySigner>()
                    .map_err(|_| Fail::usage("--private-key is not a 32-byte hex private key"))?,
            ),
            (None, path, name) if path.is_some() || name.is_some() => {
                Some(self.keystore(path.as_ref(), name.as_deref())?)
            }
            _ => None,
        };
        let signer = match (key, s.from) {
            (Some(k), Some(from)) if k.address() != from => {
                return Err(Fail::usage(format!(
                    "--from {from} is not the signer's address ({}); drop --from or use its key",
                    k.address()
                ))
                .into());
            }
            (Some(k), _) => Signer::Key(k),
            (None, Some(from)) => Signer::Node(from),
            (None, None) => {
                return Err(Fail::new(
                    "signer",
                    "no signer: pass --private-key, --keystore or --account, or set ETH_FROM / VIABLE_PRIVATE_KEY",
                )
                .hint("`viable dev` prints the dev chain's accounts and keys")
                .into());
            }
        };
        let conn = self.connect(signer).await?;
        if let Some(from) = conn.sender
            && s.private_key.is_none()
            && s.keystore.is_none()
            && s.account.is_none()
        {
            conn.unlock(from).await?;
        }
        Ok(conn)
    }

    /// A client for the deployment on this chain, reading.
    pub(crate) async fn read_client(&self) -> eyre::Result<(Conn, Viable<DynProvider>)> {
        let conn = self.reader().await?;
        let viable = self.viable(&conn).await?;
        Ok((conn, viable))
    }

    /// A client for the deployment on this chain, signing and sending as the options say.
    pub(crate) async fn write_client(&self) -> eyre::Result<(Conn, Viable<DynProvider>)> {
        let conn = self.writer().await?;
        let viable = self.viable(&conn).await?.with_send_options(
            SendOptions::default()
                .timeout(self.send.timeout)
                .confirmations(self.send.confirmations),
        );
        Ok((conn, viable))
    }

    async fn viable(&self, conn: &Conn) -> eyre::Result<Viable<DynProvider>> {
        let path = self.find_deployment(conn.chain_id)?;
        let deployment = Deployment::read(&path)?;
        Ok(Viable::connect(conn.provider.clone(), deployment).await?)
    }

    /// The deployment file for `chain_id`: `--deployment`, else
    /// `deployments/<chainId>.json` in the current folder or the nearest parent that
    /// has one. The error lists where it looked.
    pub(crate) fn find_deployment(&self, chain_id: u64) -> eyre::Result<PathBuf> {
        if let Some(p) = &self.deployment {
            if !p.is_file() {
                return Err(Fail::new(
                    "deployment",
                    format!("--deployment {}: no such file", p.display()),
                )
                .into());
            }
            return Ok(p.clone());
        }
        let cwd = std::env::current_dir()?;
        let name = format!("deployments/{chain_id}.json");
        if let Some(found) = cwd.ancestors().map(|d| d.join(&name)).find(|p| p.is_file()) {
            return Ok(found);
        }
        Err(Fail::new(
            "deployment",
            format!(
                "no deployment recorded for chain {chain_id}: looked for {name} in {} and every parent folder",
                cwd.display()
            ),
        )
        .hint("deploy first (`make dev`, or `viable deploy`), run from the project, or pass --deployment FILE")
        .into())
    }

    /// Where a new deployment file for `chain_id` goes: `--deployment`, else the
    /// project's `deployments/` folder.
    pub(crate) fn deployment_target(&self, chain_id: u64) -> eyre::Result<PathBuf> {
        Ok(match &self.deployment {
            Some(p) => p.clone(),
            None => Deployment::path_in(&tools::project_root()?.join("deployments"), chain_id),
        })
    }

    pub(crate) fn keystore(
        &self,
        path: Option<&PathBuf>,
        account: Option<&str>,
    ) -> eyre::Result<PrivateKeySigner> {
        let file = match (path, account) {
            (Some(p), Some(name)) if p.is_dir() => p.join(name),
            (Some(p), _) if p.is_dir() => {
                return Err(Fail::usage(format!(
                    "--keystore {} is a folder: name the key in it with --account",
                    p.display()
                ))
                .into());
            }
            (Some(p), _) => p.clone(),
            (None, Some(name)) => {
                let home = std::env::var_os("HOME").ok_or_else(|| {
                    Fail::usage("--account needs $HOME to find ~/.foundry/keystores")
                })?;
                PathBuf::from(home).join(".foundry/keystores").join(name)
            }
            (None, None) => unreachable!("called with a path or a name"),
        };
        if !file.is_file() {
            return Err(Fail::usage(format!("keystore {} not found", file.display()))
                .hint("`cast wallet list` shows your keystores; `cast wallet import NAME --interactive` makes one")
                .into());
        }
        let password = match (&self.signer.password, &self.signer.password_file) {
            (Some(p), _) => p.clone(),
            (None, Some(f)) => std::fs::read_to_string(f)
                .map_err(|e| Fail::usage(format!("--password-file {}: {e}", f.display())))?
                .trim_end_matches(['\n', '\r'])
                .to_string(),
            (None, None) if std::io::IsTerminal::is_terminal(&std::io::stdin()) => {
                rpassword::prompt_password(format!("password for {}: ", file.display()))?
            }
            (None, None) => {
                return Err(Fail::usage(format!(
                    "keystore {} needs its password: pass --password-file FILE or set ETH_PASSWORD",
                    file.display()
                ))
                .into());
            }
        };
        PrivateKeySigner::decrypt_keystore(&file, password).map_err(|e| {
            Fail::usage(format!(
                "keystore {}: cannot decrypt ({e}); wrong password?",
                file.display()
            ))
            .into()
        })
    }

    async fn connect(&self, signer: Signer) -> eyre::Result<Conn> {
        let recorder = Recorder::new();
        let client = ClientBuilder::default().layer(recorder.clone()).http(self.rpc_url.clone());
        let builder = ProviderBuilder::new();
        let (provider, sender) = match signer {
            Signer::None => (builder.connect_client(client).erased(), None),
            Signer::Key(k) => {
                let address = k.address();
                (
                    builder.wallet(EthereumWallet::from(k)).connect_client(client).erased(),
                    Some(address),
                )
            }
            Signer::Node(from) => {
                (builder.filler(FromFiller(from)).connect_client(client).erased(), Some(from))
            }
        };
        let chain_id =
            provider.get_chain_id().await.map_err(|e| Fail::unreachable(&self.rpc_url, &e))?;
        Ok(Conn { provider, chain_id, sender, recorder, no_wait: self.send.no_wait })
    }
}

impl Conn {
    /// The chain's time: the latest block's timestamp (on anvil it moves with
    /// `viable dev warp`, so it is the "now" every relative time is shown against).
    pub(crate) async fn now(&self) -> eyre::Result<u64> {
        let block = self
            .provider
            .get_block_by_number(alloy::eips::BlockNumberOrTag::Latest)
            .await?
            .ok_or_else(|| eyre::eyre!("the node has no latest block"))?;
        Ok(block.header.timestamp)
    }

    /// Run one write (an SDK call that sends transactions). The hashes it sent are
    /// recorded; under `--async` it returns as soon as the node accepted the first one.
    pub(crate) async fn send<T>(
        &self,
        write: impl Future<Output = viable::Result<T>>,
    ) -> eyre::Result<Sent<T>> {
        let before = self.recorder.count();
        if self.no_wait {
            // The node's acceptance first: on a node that mines at once the write may
            // also be done by the time this is polled, and `--async` still means "not
            // waited for".
            tokio::select! {
                biased;
                tx = self.recorder.next_after(before) => Ok(Sent { value: None, txs: vec![tx] }),
                done = write => {
                    let value = done?;
                    Ok(Sent { value: Some(value), txs: self.sent_since(before) })
                }
            }
        } else {
            let value = write.await?;
            Ok(Sent { value: Some(value), txs: self.sent_since(before) })
        }
    }

    fn sent_since(&self, before: usize) -> Vec<TxHash> {
        self.recorder.hashes().split_off(before)
    }

    /// `--from` without a key: the node must hold the account, or (anvil) impersonate it.
    async fn unlock(&self, from: Address) -> eyre::Result<()> {
        let held = self.provider.get_accounts().await.unwrap_or_default();
        if held.contains(&from) {
            return Ok(());
        }
        match self.provider.anvil_impersonate_account(from).await {
            Ok(()) => {
                tracing::info!(target: "viable::cli", %from, "anvil impersonates the sender");
                Ok(())
            }
            Err(_) => Err(Fail::new(
                "signer",
                format!("no key for --from {from}: the node does not hold it"),
            )
            .hint("pass --private-key, --keystore or --account (only anvil can impersonate an account)")
            .into()),
        }
    }
}

/// Sets `from` on transactions and calls, and lets the node sign
/// (`eth_sendTransaction`): anvil's unlocked or impersonated accounts.
#[derive(Debug, Clone, Copy)]
struct FromFiller(Address);

impl<N: Network> TxFiller<N> for FromFiller {
    type Fillable = ();

    fn status(&self, tx: &N::TransactionRequest) -> FillerControlFlow {
        if tx.from().is_some() { FillerControlFlow::Finished } else { FillerControlFlow::Ready }
    }

    fn fill_sync(&self, tx: &mut SendableTx<N>) {
        if let Some(b) = tx.as_mut_builder()
            && b.from().is_none()
        {
            b.set_from(self.0);
        }
    }

    async fn prepare<P: Provider<N>>(
        &self,
        _provider: &P,
        _tx: &N::TransactionRequest,
    ) -> TransportResult<()> {
        Ok(())
    }

    async fn fill(&self, _: (), tx: SendableTx<N>) -> TransportResult<SendableTx<N>> {
        Ok(tx)
    }

    fn prepare_call_sync(&self, tx: &mut N::TransactionRequest) -> TransportResult<()> {
        if tx.from().is_none() {
            tx.set_from(self.0);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_without_a_scheme_are_http_and_durations_read_like_people_write_them() {
        assert_eq!(parse_rpc_url("localhost:8545").unwrap().as_str(), "http://localhost:8545/");
        assert_eq!(parse_rpc_url("https://x.example/rpc").unwrap().scheme(), "https");
        assert_eq!(parse_duration("90").unwrap(), Duration::from_secs(90));
        assert_eq!(parse_duration("1h30m").unwrap(), Duration::from_secs(5_400));
        assert_eq!(parse_duration("2d").unwrap(), Duration::from_secs(172_800));
        assert!(parse_duration("soon").unwrap_err().contains("90s"));
    }
}
