//! Helpers shared by the workspace tests in `tests/tests/`.

pub mod api;
pub mod examples;
pub mod scenarios;

use std::path::PathBuf;

/// Workspace root.
pub fn root() -> PathBuf {
    xtask::workspace_root()
}
