//! What the single-provider examples share: reading the environment, and turning the
//! outcome into an exit code.

use std::process::ExitCode;

/// The value of an environment variable that must be set; the message points `example`'s
/// reader at the variables its top comment lists.
pub fn required(example: &str, name: &str) -> Result<String, String> {
    std::env::var(name).map_err(|_| format!("set {name} (see the top of examples/{example}.rs)"))
}

/// Exit 0 on success; otherwise print the error on one line and exit 1. `telnums` errors
/// name the provider, the HTTP status, the request id and the provider's own message;
/// they never contain a token or secret.
pub fn exit(example: &str, outcome: Result<(), Box<dyn std::error::Error>>) -> ExitCode {
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{example}: {e}");
            ExitCode::FAILURE
        }
    }
}
