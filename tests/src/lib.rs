//! Helpers shared by the workspace tests in `tests/tests/`.
//!
//! The repository README is included below, and the pages of `docs/` in a module that exists
//! only when doctests are collected, so that their examples compile as doctests of this crate.
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

/// The pages of `docs/`, one item each, so that `cargo test --doc` compiles their `rust`
/// blocks as it does the README's.
#[cfg(doctest)]
pub mod docs {
    #[doc = include_str!("../../docs/api-changes.md")]
    pub struct ApiChanges;
    #[doc = include_str!("../../docs/behaviour.md")]
    pub struct Behaviour;
    #[doc = include_str!("../../docs/ci.md")]
    pub struct Ci;
    #[doc = include_str!("../../docs/cli.md")]
    pub struct Cli;
    #[doc = include_str!("../../docs/DEPENDENCIES.md")]
    pub struct Dependencies;
    #[doc = include_str!("../../docs/development.md")]
    pub struct Development;
    #[doc = include_str!("../../docs/filters.md")]
    pub struct Filters;
    #[doc = include_str!("../../docs/generation.md")]
    pub struct Generation;
    #[doc = include_str!("../../docs/library.md")]
    pub struct Library;
    #[doc = include_str!("../../docs/specs.md")]
    pub struct Specs;
}
