//! The viable CLI.
fn main() {}
