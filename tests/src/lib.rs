//! Helpers shared by the workspace tests in `tests/tests/`.
//!
//! The repository README is included below so that its examples compile as doctests of
//! this crate.
#![doc = ""]
#![doc = include_str!("../../README.md")]

pub mod api;
pub mod examples;
pub mod raw;
pub mod scenarios;

use std::path::PathBuf;

/// Workspace root.
pub fn root() -> PathBuf {
    xtask::workspace_root()
}
