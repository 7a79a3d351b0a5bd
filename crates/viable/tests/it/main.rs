//! Integration tests: a real anvil, the real contracts, through the SDK.

mod amendment;
mod constitution;
mod directory;
mod events;
mod examples;
mod gas;
mod locks;
mod node;
mod send;
mod strategy;
mod treasury;
mod work;

use std::path::PathBuf;

use alloy::{
    network::EthereumWallet,
    node_bindings::{Anvil, AnvilInstance},
    primitives::U256,
    providers::{DynProvider, Provider, ProviderBuilder, ext::AnvilApi},
    signers::local::PrivateKeySigner,
};
use viable::{Amendment, AmendmentId, AmendmentState, DeployOptions, Genesis, Support, Viable};

/// The project's anvil: `$ANVIL_BIN`, else the npm install under the repository
/// (`node_modules/@foundry-rs/anvil-<platform>/bin/anvil`), else `anvil` on PATH.
pub(crate) fn anvil_bin() -> PathBuf {
    if let Some(p) = std::env::var_os("ANVIL_BIN") {
        return p.into();
    }
    let platform = match (std::env::consts::OS, std::env::consts::ARCH) {
        ("macos", "aarch64") => "darwin-arm64",
        ("macos", _) => "darwin-amd64",
        (_, "aarch64") => "linux-arm64",
        _ => "linux-amd64",
    };
    let here = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    here.ancestors()
        .map(|d| d.join(format!("node_modules/@foundry-rs/anvil-{platform}/bin/anvil")))
        .find(|p| p.is_file())
        .unwrap_or_else(|| "anvil".into())
}

/// A running anvil and a provider signing with its first account.
pub(crate) struct Chain {
    pub(crate) anvil: AnvilInstance,
    pub(crate) provider: DynProvider,
}

impl Chain {
    pub(crate) fn spawn() -> Self {
        let anvil = Anvil::new().path(anvil_bin()).try_spawn().expect("anvil starts");
        let provider = Self::provider_for(&anvil, 0);
        Self { anvil, provider }
    }

    /// A provider signing as anvil account `index`.
    pub(crate) fn provider_for(anvil: &AnvilInstance, index: usize) -> DynProvider {
        let signer: PrivateKeySigner = anvil.keys()[index].clone().into();
        ProviderBuilder::new()
            .wallet(EthereumWallet::from(signer))
            .connect_http(anvil.endpoint_url())
            .erased()
    }

    /// The dev genesis deployed by account 0.
    pub(crate) async fn deploy_dev(&self) -> Viable<DynProvider> {
        Viable::deploy(self.provider.clone(), &Genesis::dev(), DeployOptions::default())
            .await
            .expect("the dev genesis deploys")
    }

    /// A client for `viable`'s deployment signing as account `index`.
    pub(crate) fn as_account(
        &self,
        viable: &Viable<DynProvider>,
        index: usize,
    ) -> Viable<DynProvider> {
        Viable::new(Self::provider_for(&self.anvil, index), viable.deployment().clone())
    }

    /// Move the clock `seconds` on and mine a block.
    pub(crate) async fn advance(&self, seconds: u64) {
        self.provider.anvil_increase_time(seconds).await.unwrap();
        self.provider.evm_mine(None).await.unwrap();
    }

    /// Carry `amendment` through both houses and the timelock of the dev genesis
    /// (accounts 0-2 vote for it) and execute it.
    pub(crate) async fn pass(
        &self,
        viable: &Viable<DynProvider>,
        amendment: &Amendment,
    ) -> AmendmentId {
        // Snapshots are taken one second before the proposal: let balances settle.
        self.advance(2).await;
        let id = viable.constitution().propose(amendment).await.unwrap();
        self.advance(61).await;
        for i in 0..3 {
            // Account 0 votes through `viable` itself: one provider per key keeps nonces right.
            let voter = if i == 0 { viable.clone() } else { self.as_account(viable, i) };
            voter.constitution().vote(id, Support::For, None).await.unwrap();
        }
        self.advance(300).await;
        viable.constitution().queue(id).await.unwrap();
        let timelock = viable.constitution().param(viable::ParamKey::LegitTimelock).await.unwrap();
        self.advance(timelock.to::<u64>() + 1).await;
        viable.constitution().execute(id).await.unwrap();
        assert_eq!(
            viable.constitution().amendment_state(id).await.unwrap(),
            AmendmentState::Executed
        );
        id
    }
}

/// 10^18.
pub(crate) fn ether() -> U256 {
    U256::from(10u64).pow(U256::from(18))
}

/// Mine `n` empty blocks.
pub(crate) async fn mine<P: Provider>(p: &P, n: u64) {
    p.anvil_mine(Some(n), None).await.unwrap();
}
