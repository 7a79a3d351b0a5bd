//! # Viable SDK
//!
//! Typed access to a Viable deployment — five separated DAO modules after Stafford
//! Beer's Viable System Model — over any alloy provider. One Rust module per system,
//! each with a handle that holds every call for its contract:
//!
//! | system | contract | module | handle |
//! |---|---|---|---|
//! | 5 Legitimacy | `LegitimacyConstitution` | [`constitution`] | [`Viable::constitution`] |
//! | 1 Work | `WorkRegistry` | [`work`] | [`Viable::work`] |
//! | 2 Coordination | `CoordinationLocks` | [`locks`] | [`Viable::locks`] |
//! | 3 Optimization | `OptimizationTreasury` | [`treasury`] | [`Viable::treasury`] |
//! | 4 Strategy | `StrategyProposals` | [`strategy`] | [`Viable::strategy`] |
//!
//! [`Viable`] itself holds what spans the modules: connect, deploy, the deployment,
//! the provider and the handles. [`Viable::events`] is one typed stream of every
//! module's events; [`Error`] is one error type for the whole suite.
//!
//! `examples/quickstart.rs` runs this to the end (queue, timelock, execute) against
//! the project's anvil, and says where each number comes from.
//!
//! ```no_run
//! # async fn demo() -> viable::Result<()> {
//! use alloy::{primitives::{B256, U256}, providers::{ProviderBuilder, ext::AnvilApi}};
//! use viable::{Amendment, DeployOptions, Genesis, ParamKey, Support, Viable, work::{SchemaDef, Value}};
//!
//! let provider = ProviderBuilder::new().connect_anvil_with_wallet(); // any alloy provider with a signer
//! let viable = Viable::deploy(provider, &Genesis::dev(), DeployOptions::default()).await?;
//! let schema = SchemaDef::load("bugfix.toml".as_ref())?.resolve(16, 600)?; // checked client-side
//! let schema_id = viable.work().register_schema(&schema).await?;
//! let values = [Value::Uint(U256::from(42)), Value::Bytes32(B256::ZERO), Value::String("fix".into())];
//! let packet = viable.work().submit_values(schema_id, B256::repeat_byte(1), &values).await?; // same rules as on-chain
//! let amendment = Amendment::new().set_param(ParamKey::LegitTimelock, U256::from(180)).description("slower");
//! let id = viable.constitution().propose(&amendment).await?;
//! // Voting opens after `legit.votingDelay` (60 s in the dev genesis): on anvil, move the clock.
//! viable.provider().anvil_increase_time(61).await?;
//! viable.provider().evm_mine(None).await?;
//! viable.constitution().vote(id, Support::For, Some("agreed")).await?; // counts in both houses
//! # let _ = packet;
//! # Ok(()) }
//! ```

pub mod bindings;
mod config;
pub mod constitution;
pub mod deployment;
pub mod display;
pub mod error;
pub mod events;
pub mod genesis;
pub mod keys;
pub mod locks;
pub mod strategy;
pub mod suite;
pub mod treasury;
pub mod tx;
mod viable;
pub mod work;

pub use constitution::{Amendment, AmendmentId, AmendmentState, Param, Role, Support};
pub use deployment::{Deployment, Module, Modules};
pub use error::{Error, Result, Revert};
pub use events::{Checkpoint, EventStream, SuiteLog};
pub use genesis::{Genesis, GenesisError, ResolvedGenesis};
pub use keys::ParamKey;
pub use suite::{SuiteError, SuiteEvent};
pub use tx::SendOptions;
pub use viable::{DeployOptions, Viable};
pub use work::PacketId;
