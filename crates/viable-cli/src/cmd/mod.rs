//! One module per subcommand.

pub(crate) mod build_contracts;
pub(crate) mod constitution;
pub(crate) mod deploy;
pub(crate) mod dev;
pub(crate) mod genesis;
pub(crate) mod keeper;
pub(crate) mod locks;
pub(crate) mod scenario;
pub(crate) mod status;
pub(crate) mod strategy;
pub(crate) mod treasury;
pub(crate) mod work;
