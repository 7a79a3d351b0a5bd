//! # Viable SDK
//!
//! Typed access to a Viable deployment — five separated DAO modules after Stafford
//! Beer's Viable System Model — over any alloy provider: deploy the suite from a
//! genesis configuration, read the constitution's parameters, roles, recognitions,
//! articles and directory, and decode every revert into the module's named error.
//!
//! ```no_run
//! # async fn demo() -> viable::Result<()> {
//! use alloy::providers::ProviderBuilder;
//! use viable::{Genesis, Viable};
//!
//! let provider = ProviderBuilder::new().connect_anvil_with_wallet();
//! let viable = Viable::deploy(provider, &Genesis::dev(), Default::default()).await?;
//! let state = viable.constitution_state().await?;
//! println!("{} parameters, stewards {:?}", state.params.len(), state.stewards);
//! # Ok(()) }
//! ```

pub mod amendment;
pub mod artifacts;
pub mod bindings;
mod client;
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
