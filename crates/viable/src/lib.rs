//! Viable SDK.
