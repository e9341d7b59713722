//! The `xtask` binary's exit status: a command that fails exits non-zero with its error.

use std::process::Command;

#[test]
fn an_unknown_provider_fails_with_the_known_ones_named() {
    let out = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["generate", "--only", "no-such-provider"])
        .output()
        .expect("xtask runs");
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.starts_with("xtask: unknown provider `no-such-provider`; known: vonage-cc"),
        "{stderr}"
    );
    assert!(
        out.stdout.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}
