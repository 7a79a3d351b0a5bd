//! One module per subcommand.

pub(crate) mod build_contracts;
