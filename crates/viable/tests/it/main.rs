//! Integration tests: a real anvil, the real contracts, through the SDK.

mod amendment;
mod constitution;
mod gas;
mod work;

use alloy::{
    network::EthereumWallet,
    node_bindings::{Anvil, AnvilInstance},
    providers::{DynProvider, Provider, ProviderBuilder},
    signers::local::PrivateKeySigner,
};

/// A running anvil and a provider signing with its first account.
pub(crate) struct Chain {
    pub(crate) anvil: AnvilInstance,
    pub(crate) provider: DynProvider,
}

impl Chain {
    pub(crate) fn spawn() -> Self {
        let here = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let bin = viable::tools::find_foundry_tool("anvil", here).expect("anvil is installed");
        let anvil = Anvil::new().path(bin).try_spawn().expect("anvil starts");
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
}
