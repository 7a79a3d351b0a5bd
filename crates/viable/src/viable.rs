//! [`Viable`]: what spans the modules — connect, deploy, the deployment, the
//! provider, how transactions are sent, and the handles to each module.

use alloy::{
    network::TransactionBuilder,
    primitives::{Address, Bytes, U256},
    providers::Provider,
    rpc::types::{TransactionReceipt, TransactionRequest},
    sol_types::{SolConstructor, SolValue},
};
use tracing::info;

use crate::{
    bindings::{
        CoordinationLocks, ILegitimacyConstitution as IConst, LegitimacyConstitution,
        OptimizationTreasury, StrategyProposals, ViableToken, WorkRegistry,
    },
    deployment::{Deployment, Module, Modules},
    error::{Error, Precondition, Result},
    genesis::{Genesis, ResolvedGenesis, ResolvedToken, ResolvedTreasury},
    treasury::NewLine,
    tx::{self, SendOptions},
};

/// Options for [`Viable::deploy`].
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct DeployOptions {
    /// Git commit to record in the deployment file.
    pub git_commit: Option<String>,
    /// How each deployment transaction waits for its receipt (timeout, confirmations).
    pub send: SendOptions,
}

impl DeployOptions {
    /// Record `commit` in the deployment file.
    pub fn git_commit(mut self, commit: Option<String>) -> Self {
        self.git_commit = commit;
        self
    }

    /// Wait for each deployment transaction as `send` says.
    pub fn send_options(mut self, send: SendOptions) -> Self {
        self.send = send;
        self
    }
}

/// A client for one deployment of the suite, over any alloy provider.
///
/// It holds what spans the modules; each module's calls live on its handle:
/// [`Viable::constitution`] (System 5) and [`Viable::work`] (System 1). The suite's
/// events come from [`Viable::events`]. Cloning is cheap when the provider's is.
#[derive(Debug, Clone)]
pub struct Viable<P> {
    provider: P,
    deployment: Deployment,
    send: SendOptions,
}

impl<P: Provider + Clone> Viable<P> {
    /// A client for an existing deployment (no checks; see [`Viable::connect`]).
    pub fn new(provider: P, deployment: Deployment) -> Self {
        Self { provider, deployment, send: SendOptions::default() }
    }

    /// Connect to the deployment recorded in `deployment`, checking that the RPC
    /// serves its chain and that its constitution has code there.
    pub async fn connect(provider: P, deployment: Deployment) -> Result<Self> {
        let chain_id = provider.get_chain_id().await?;
        if chain_id != deployment.chain_id {
            return Err(Precondition::WrongChain {
                deployment: deployment.chain_id,
                rpc: chain_id,
            }
            .into());
        }
        let code = provider.get_code_at(deployment.constitution).await?;
        if code.is_empty() {
            return Err(Precondition::NoCode {
                what: "constitution",
                address: deployment.constitution,
            }
            .into());
        }
        Ok(Self::new(provider, deployment))
    }

    /// How transactions are awaited from now on (timeout, confirmations).
    pub fn with_send_options(mut self, send: SendOptions) -> Self {
        self.send = send;
        self
    }

    /// How transactions are awaited.
    pub fn send_options(&self) -> SendOptions {
        self.send
    }

    /// Deploy the suite from `genesis` with the provider's default signer: the token
    /// (unless the genesis names one), the constitution, the WorkRegistry, then
    /// `bootstrap`. The whole genesis is checked before the first transaction.
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
        let send = opts.send;
        let chain_id = provider.get_chain_id().await?;
        // The first deployment receipt names the signer and the block scans start at.
        let mut first: Option<TransactionReceipt> = None;
        let record = |first: &mut Option<TransactionReceipt>, r: TransactionReceipt| {
            let address = r.contract_address;
            first.get_or_insert(r);
            address
        };

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
                let r = deploy_code(&provider, &ViableToken::BYTECODE, code, send).await?;
                let addr = created(record(&mut first, r), "ViableToken")?;
                info!(target: "viable::deploy", %addr, "token deployed");
                addr
            }
        };

        let params = genesis.param_inits();
        let args =
            LegitimacyConstitution::constructorCall { genesis: params, token_: token }.abi_encode();
        let r = deploy_code(&provider, &LegitimacyConstitution::BYTECODE, args, send).await?;
        let constitution = created(record(&mut first, r), "LegitimacyConstitution")?;
        info!(target: "viable::deploy", %constitution, "constitution deployed");
        // Lines are opened by the deployer, which needs the STEWARD role: refuse as soon
        // as the signer is known, before the modules and the bootstrap.
        let signer = first.as_ref().map(|r| r.from).unwrap_or_default();
        if genesis.treasury.as_ref().is_some_and(|t| !t.lines.is_empty())
            && !genesis.stewards.contains(&signer)
        {
            return Err(Precondition::DeployerNotSteward(signer).into());
        }

        let args = WorkRegistry::constructorCall { constitution_: constitution }.abi_encode();
        let r = deploy_code(&provider, &WorkRegistry::BYTECODE, args, send).await?;
        let work_registry = created(record(&mut first, r), "WorkRegistry")?;
        info!(target: "viable::deploy", %work_registry, "work registry deployed");
        let mut modules = Modules::default();
        modules.set(Module::Work, work_registry);

        // The other three modules take only the constitution's address.
        let others: [(Module, &str, &Bytes); 3] = [
            (Module::Coordination, "CoordinationLocks", &CoordinationLocks::BYTECODE),
            (Module::Optimization, "OptimizationTreasury", &OptimizationTreasury::BYTECODE),
            (Module::Strategy, "StrategyProposals", &StrategyProposals::BYTECODE),
        ];
        for (module, name, bytecode) in others {
            let args = constitution.abi_encode();
            let r = deploy_code(&provider, bytecode, args, send).await?;
            let addr = created(record(&mut first, r), name)?;
            info!(target: "viable::deploy", %addr, "{name} deployed");
            modules.set(module, addr);
        }

        // The genesis's schemas, registered before `bootstrap` so it can recognize them.
        let registry = WorkRegistry::new(work_registry, provider.clone());
        for schema in &genesis.schemas {
            let call = registry.registerSchema(
                schema.name.clone(),
                schema.fields.clone(),
                schema.acceptance.clone(),
                schema.validator,
            );
            tx::send(call, send).await?;
            info!(target: "viable::deploy", name = %schema.name, id = %schema.id(), "schema registered");
        }

        let c = LegitimacyConstitution::new(constitution, provider.clone());
        let steward = crate::constitution::Role::Steward.id();
        let guardian = crate::constitution::Role::Guardian.id();
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
        tx::send(c.bootstrap(config), send).await?;
        info!(target: "viable::deploy", "bootstrapped");

        let first = first.expect("the constitution was deployed");
        let deployer = first.from;
        let deployment = Deployment {
            chain_id,
            constitution,
            token,
            modules,
            deploy_block: first.block_number.unwrap_or_default(),
            genesis_hash: genesis.hash,
            git_commit: opts.git_commit,
            deployer,
        };
        let viable = Self::new(provider, deployment);
        if let Some(t) = &genesis.treasury {
            viable.start_treasury(t).await?;
        }
        Ok(viable)
    }

    /// The genesis's treasury start, by the deployer after `bootstrap`: the ETH deposit,
    /// then the lines in order.
    async fn start_treasury(&self, t: &ResolvedTreasury) -> Result<()> {
        let treasury = self.treasury();
        if !t.deposit.is_zero() {
            treasury.deposit(Address::ZERO, t.deposit).await?;
            info!(target: "viable::deploy", deposit = %t.deposit, "treasury funded");
        }
        for l in &t.lines {
            let line = NewLine::new(Address::ZERO, l.steward, l.share_bps)
                .schema(l.schema_id)
                .bounty(l.bounty)
                .cliff_bps(l.cliff_bps);
            let id = treasury.create_line(&line).await?;
            info!(target: "viable::deploy", line = %id.0, share_bps = l.share_bps, "budget line opened");
        }
        Ok(())
    }

    /// The deployment this client talks to.
    pub fn deployment(&self) -> &Deployment {
        &self.deployment
    }

    /// The provider.
    pub fn provider(&self) -> &P {
        &self.provider
    }
}

/// Deploy `bytecode ++ args` through the one send path (simulated first, so a
/// constructor revert is decoded).
async fn deploy_code<P: Provider>(
    provider: &P,
    bytecode: &Bytes,
    args: Vec<u8>,
    send: SendOptions,
) -> Result<TransactionReceipt> {
    let mut code = bytecode.to_vec();
    code.extend_from_slice(&args);
    let tx = TransactionRequest::default().with_deploy_code(code);
    tx::send_request(provider, tx, send).await
}

fn created(address: Option<Address>, what: &str) -> Result<Address> {
    address.ok_or_else(|| Error::Unexpected(format!("{what}: receipt has no contract address")))
}

/// An existing token must have code and answer the ERC-6372 clock. A revert or an
/// unreadable answer means it is not an IVotes token; a transport failure is reported
/// as such.
async fn check_token<P: Provider + Clone>(provider: &P, token: Address) -> Result<()> {
    if provider.get_code_at(token).await?.is_empty() {
        return Err(Precondition::NoCode { what: "genesis token.address", address: token }.into());
    }
    let t = ViableToken::new(token, provider.clone());
    match t.clock().call().await.map_err(Error::from) {
        Ok(_) => Ok(()),
        Err(Error::Revert(_) | Error::Unexpected(_)) => Err(Precondition::NotIVotes(token).into()),
        Err(other) => Err(other),
    }
}

#[cfg(test)]
mod tests {
    use alloy::{providers::ProviderBuilder, transports::mock::Asserter};

    use super::*;

    #[tokio::test]
    async fn a_failing_node_is_not_read_as_a_missing_clock() {
        let asserter = Asserter::new();
        let provider = ProviderBuilder::new().connect_mocked_client(asserter.clone());
        let token = Address::repeat_byte(1);
        // Code is there; then the node fails to answer `clock()`.
        asserter.push_success(&Bytes::from_static(&[0x60, 0x00]));
        let err = check_token(&provider, token).await.unwrap_err();
        assert!(matches!(err, Error::Transport { .. }), "{err}");
        // Code is there; `clock()` reverts: not an IVotes token.
        asserter.push_success(&Bytes::from_static(&[0x60, 0x00]));
        let reverted = r#"{"code":3,"message":"execution reverted","data":"0x"}"#;
        asserter.push_failure(serde_json::from_str(reverted).unwrap());
        let err = check_token(&provider, token).await.unwrap_err();
        assert!(matches!(err, Error::Precondition(Precondition::NotIVotes(a)) if a == token));
    }
}
