//! # Viable SDK
//!
//! Typed access to a Viable deployment — five separated DAO modules after Stafford
//! Beer's Viable System Model — over any alloy provider: deploy the suite from a
//! genesis configuration, read the constitution's parameters, roles, recognitions,
//! articles and directory, and decode every revert into the module's named error.
//!
//! ```no_run
//! # async fn demo() -> viable::Result<()> {
//! use alloy::{primitives::{B256, U256}, providers::ProviderBuilder};
//! use viable::{Amendment, DeployOptions, Genesis, Support, Viable, work::{SchemaDef, Value}};
//!
//! let provider = ProviderBuilder::new().connect_anvil_with_wallet(); // any alloy provider with a signer
//! let viable = Viable::deploy(provider, &Genesis::dev(), DeployOptions::default()).await?;
//! let schema = SchemaDef::load("bugfix.toml".as_ref())?.resolve(16, 600)?; // checked client-side
//! let schema_id = viable.register_schema(&schema).await?;
//! let values = [Value::Uint(U256::from(42)), Value::Bytes32(B256::ZERO), Value::String("fix".into())];
//! let packet = viable.submit_values(schema_id, B256::repeat_byte(1), &values).await?; // same rules as on-chain
//! let amendment = Amendment::new().set_param("legit.timelock", U256::from(180)).description("slower");
//! let id = viable.propose(&amendment).await?;
//! viable.vote(id, Support::For, Some("agreed")).await?; // counts in both houses
//! # let _ = packet;
//! # Ok(()) }
//! ```

pub mod amendment;
pub mod artifacts;
pub mod bindings;
mod client;
mod config;
pub mod deployment;
pub mod error;
pub mod genesis;
pub mod governance;
pub mod keys;
pub mod tools;
pub mod work;
mod work_client;

pub use amendment::{Amendment, Role, Support};
pub use client::{Article, ConstitutionState, DeployOptions, Param, Viable};
pub use deployment::{Deployment, Modules};
pub use error::{DecodedRevert, Error, Result};
pub use genesis::{Genesis, GenesisError, ResolvedGenesis};
pub use governance::{AmendmentStatus, ProposedAmendment};
pub use work_client::{PacketEvent, PacketInfo};
