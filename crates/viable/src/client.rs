//! The `Viable` client: deploy the suite and read it back.

use alloy::{
    network::{Ethereum, TransactionBuilder},
    primitives::{Address, B256, Bytes, U256},
    providers::Provider,
    rpc::types::TransactionRequest,
    sol_types::SolConstructor,
};
use serde::Serialize;
use tracing::info;

use crate::{
    bindings::{
        ILegitimacyConstitution as IConst,
        LegitimacyConstitution::{self, LegitimacyConstitutionInstance},
        ViableToken, WorkRegistry,
    },
    deployment::{Deployment, Modules},
    error::{Error, Result},
    genesis::{Genesis, ResolvedGenesis, ResolvedToken},
    keys,
};

/// Options for [`Viable::deploy`].
#[derive(Debug, Clone, Default)]
pub struct DeployOptions {
    /// Git commit to record in the deployment file.
    pub git_commit: Option<String>,
}

/// A client for one deployment of the suite, over any alloy provider.
#[derive(Debug, Clone)]
pub struct Viable<P> {
    provider: P,
    deployment: Deployment,
}

/// One parameter as read from the chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Param {
    /// Name (`work.maxFields`), or the hex key if it is not text.
    pub key: String,
    /// Current value.
    pub value: U256,
    /// Hard lower bound.
    pub min: U256,
    /// Hard upper bound.
    pub max: U256,
}

/// One article as read from the chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Article {
    /// Position (stable; repealed articles keep their number).
    pub index: u64,
    /// Hash of the text; zero when repealed.
    pub content_hash: B256,
    /// Where the text lives.
    pub uri: String,
}

/// Everything the constitution holds, read in one go.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ConstitutionState {
    /// The constitution's address.
    pub address: Address,
    /// The Token House token.
    pub token: Address,
    /// Whether bootstrap has happened.
    pub bootstrapped: bool,
    /// The module directory.
    pub modules: Modules,
    /// Every parameter in genesis order.
    pub params: Vec<Param>,
    /// STEWARD holders.
    pub stewards: Vec<Address>,
    /// GUARDIAN holders.
    pub guardians: Vec<Address>,
    /// Recognized schemas and weights.
    pub recognitions: Vec<(B256, U256)>,
    /// The articles.
    pub articles: Vec<Article>,
}

impl<P: Provider + Clone> Viable<P> {
    /// A client for an existing deployment.
    pub fn new(provider: P, deployment: Deployment) -> Self {
        Self { provider, deployment }
    }

    /// Connect to the deployment recorded in `deployment`, checking that its
    /// constitution has code on this provider's chain.
    pub async fn connect(provider: P, deployment: Deployment) -> Result<Self> {
        let chain_id = provider.get_chain_id().await?;
        if chain_id != deployment.chain_id {
            return Err(Error::Precondition(format!(
                "the deployment is for chain {} but the RPC serves chain {chain_id}",
                deployment.chain_id
            )));
        }
        let code = provider.get_code_at(deployment.constitution).await?;
        if code.is_empty() {
            return Err(Error::NoCode { what: "constitution", address: deployment.constitution });
        }
        Ok(Self::new(provider, deployment))
    }

    /// Deploy the suite from `genesis` with the provider's default signer:
    /// the token (unless the genesis names one), the constitution, then `bootstrap`.
    /// The whole genesis is checked before the first transaction.
    pub async fn deploy(provider: P, genesis: &Genesis, opts: DeployOptions) -> Result<Self> {
        let resolved = genesis.resolve()?;
        Self::deploy_resolved(provider, &resolved, opts).await
    }

    /// [`Viable::deploy`] for an already-resolved genesis.
    pub async fn deploy_resolved(
        provider: P,
        genesis: &ResolvedGenesis,
        opts: DeployOptions,
    ) -> Result<Self> {
        let chain_id = provider.get_chain_id().await?;
        let deployer =
            provider.get_accounts().await.ok().and_then(|a| a.first().copied()).unwrap_or_default();
        let deploy_block = provider.get_block_number().await?;

        let token = match &genesis.token {
            ResolvedToken::Existing(addr) => {
                check_token(&provider, *addr).await?;
                *addr
            }
            ResolvedToken::Deploy { name, symbol, holders } => {
                let (who, amounts): (Vec<Address>, Vec<U256>) = holders.iter().copied().unzip();
                let code = ViableToken::constructorCall {
                    name_: name.clone(),
                    symbol_: symbol.clone(),
                    holders: who,
                    amounts,
                }
                .abi_encode();
                let addr =
                    deploy_code(&provider, &ViableToken::BYTECODE, code, "ViableToken").await?;
                info!(target: "viable::deploy", %addr, "token deployed");
                addr
            }
        };

        let params: Vec<IConst::ParamInit> = genesis
            .params
            .iter()
            .map(|p| IConst::ParamInit {
                key: keys::text_to_bytes32(&p.key).expect("protocol keys fit in bytes32"),
                value: p.value,
                min: p.min,
                max: p.max,
            })
            .collect();
        let args =
            LegitimacyConstitution::constructorCall { genesis: params, token_: token }.abi_encode();
        let constitution = deploy_code(
            &provider,
            &LegitimacyConstitution::BYTECODE,
            args,
            "LegitimacyConstitution",
        )
        .await?;
        info!(target: "viable::deploy", %constitution, "constitution deployed");

        let args = WorkRegistry::constructorCall { constitution_: constitution }.abi_encode();
        let work_registry =
            deploy_code(&provider, &WorkRegistry::BYTECODE, args, "WorkRegistry").await?;
        info!(target: "viable::deploy", %work_registry, "work registry deployed");
        let modules = Modules { work_registry, ..Default::default() };

        let c = LegitimacyConstitution::new(constitution, provider.clone());
        let steward = c.STEWARD_ROLE().call().await?;
        let guardian = c.GUARDIAN_ROLE().call().await?;
        let mut roles = Vec::new();
        roles.extend(
            genesis.stewards.iter().map(|a| IConst::RoleInit { role: steward, account: *a }),
        );
        roles.extend(
            genesis.guardians.iter().map(|a| IConst::RoleInit { role: guardian, account: *a }),
        );
        let config = IConst::BootstrapConfig {
            modules: modules.as_array(),
            roles,
            recognitions: genesis
                .recognitions
                .iter()
                .map(|(id, w)| IConst::RecognitionInit { schemaId: *id, weight: *w })
                .collect(),
            articles: genesis
                .articles
                .iter()
                .map(|(h, uri)| IConst::Article { contentHash: *h, uri: uri.clone() })
                .collect(),
            seeds: genesis
                .seeds
                .iter()
                .map(|(a, p)| IConst::SeedInit { contributor: *a, points: *p })
                .collect(),
        };
        // Simulate first so a bad config surfaces as the contract's named error.
        c.bootstrap(config.clone()).call().await?;
        let receipt = c.bootstrap(config).send().await?.get_receipt().await?;
        if !receipt.status() {
            return Err(Error::Reverted { tx: receipt.transaction_hash });
        }
        info!(target: "viable::deploy", "bootstrapped");

        let deployment = Deployment {
            chain_id,
            constitution,
            token,
            modules,
            deploy_block,
            genesis_hash: genesis.hash,
            git_commit: opts.git_commit,
            deployer,
        };
        Ok(Self::new(provider, deployment))
    }

    /// The deployment this client talks to.
    pub fn deployment(&self) -> &Deployment {
        &self.deployment
    }

    /// The provider.
    pub fn provider(&self) -> &P {
        &self.provider
    }

    /// The constitution's typed binding.
    pub fn constitution(&self) -> LegitimacyConstitutionInstance<P, Ethereum> {
        LegitimacyConstitution::new(self.deployment.constitution, self.provider.clone())
    }

    /// Current value of parameter `key` (e.g. `"legit.votingPeriod"`).
    pub async fn param(&self, key: &str) -> Result<U256> {
        let word = keys::text_to_bytes32(key).ok_or_else(|| {
            Error::Precondition(format!(
                "`{key}` cannot be a parameter key (1-32 ASCII characters)"
            ))
        })?;
        Ok(self.constitution().param(word).call().await?)
    }

    /// Every parameter with its bounds.
    pub async fn params(&self) -> Result<Vec<Param>> {
        let list = self.constitution().params().call().await?;
        Ok(list
            .into_iter()
            .map(|p| Param {
                key: keys::bytes32_to_text(&p.key).unwrap_or_else(|| p.key.to_string()),
                value: p.value,
                min: p.min,
                max: p.max,
            })
            .collect())
    }

    /// Holders of STEWARD and of GUARDIAN.
    pub async fn roles(&self) -> Result<(Vec<Address>, Vec<Address>)> {
        let c = self.constitution();
        let steward = c.STEWARD_ROLE().call().await?;
        let guardian = c.GUARDIAN_ROLE().call().await?;
        Ok((c.roleMembers(steward).call().await?, c.roleMembers(guardian).call().await?))
    }

    /// Recognized schemas and their weights.
    pub async fn recognitions(&self) -> Result<Vec<(B256, U256)>> {
        let r = self.constitution().recognizedSchemas().call().await?;
        Ok(r.schemaIds.into_iter().zip(r.weights).collect())
    }

    /// The recognition weight of one schema (0 = not recognized).
    pub async fn recognition(&self, schema_id: B256) -> Result<U256> {
        Ok(self.constitution().recognition(schema_id).call().await?)
    }

    /// The articles, in order.
    pub async fn articles(&self) -> Result<Vec<Article>> {
        let list = self.constitution().articles().call().await?;
        Ok(list
            .into_iter()
            .enumerate()
            .map(|(i, a)| Article { index: i as u64, content_hash: a.contentHash, uri: a.uri })
            .collect())
    }

    /// The module directory as the constitution holds it.
    pub async fn directory(&self) -> Result<Modules> {
        Ok(Modules::from_array(self.constitution().modules().call().await?))
    }

    /// Everything the constitution holds.
    pub async fn constitution_state(&self) -> Result<ConstitutionState> {
        let c = self.constitution();
        let (stewards, guardians) = self.roles().await?;
        Ok(ConstitutionState {
            address: self.deployment.constitution,
            token: c.token().call().await?,
            bootstrapped: c.bootstrapped().call().await?,
            modules: self.directory().await?,
            params: self.params().await?,
            stewards,
            guardians,
            recognitions: self.recognitions().await?,
            articles: self.articles().await?,
        })
    }
}

/// Deploy `bytecode ++ args`, simulating first so a constructor revert is decoded.
async fn deploy_code<P: Provider>(
    provider: &P,
    bytecode: &Bytes,
    args: Vec<u8>,
    what: &'static str,
) -> Result<Address> {
    let mut code = bytecode.to_vec();
    code.extend_from_slice(&args);
    let tx = TransactionRequest::default().with_deploy_code(code);
    provider.call(tx.clone()).await?;
    let receipt = provider.send_transaction(tx).await?.get_receipt().await?;
    if !receipt.status() {
        return Err(Error::Reverted { tx: receipt.transaction_hash });
    }
    receipt
        .contract_address
        .ok_or_else(|| Error::Rpc(format!("{what}: receipt has no contract address")))
}

/// An existing token must have code and answer the ERC-6372 clock.
async fn check_token<P: Provider + Clone>(provider: &P, token: Address) -> Result<()> {
    if provider.get_code_at(token).await?.is_empty() {
        return Err(Error::NoCode { what: "genesis token.address", address: token });
    }
    let t = ViableToken::new(token, provider.clone());
    t.clock().call().await.map_err(|_| {
        Error::Precondition(format!(
            "genesis token.address {token} does not implement ERC-6372 clock(); the Token House needs an IVotes token"
        ))
    })?;
    Ok(())
}
