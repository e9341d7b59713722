//! What the CLI test files share: running the `telnums` binary and keeping what it did.

use std::time::Duration;

use assert_cmd::Command;

/// How one run of `telnums` ended.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Runs `command` to its end, or fails the test after 60 s so that a hang fails one
    /// test rather than stalling the suite.
    pub fn of(command: &mut Command) -> Self {
        let output = command
            .timeout(Duration::from_secs(60))
            .output()
            .expect("runs");
        Self {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }
}
