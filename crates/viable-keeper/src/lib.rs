//! Viable keeper (filled by a later issue).
