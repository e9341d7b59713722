//! The fuzz targets by name. What each checks and the executions it needs are in
//! `fuzz/targets.toml` (read by `cargo xtask fuzz`); a test holds the two lists together.

/// One fuzz target.
#[derive(Debug)]
pub struct Target {
    /// The cargo-fuzz target name (`fuzz/fuzz_targets/<name>.rs`).
    pub name: &'static str,
    /// The check the target runs on each input.
    pub check: fn(&[u8]),
}

/// Every target, in the order FUZZING.md lists them.
pub const TARGETS: &[Target] = &[
    Target {
        name: "link_header",
        check: crate::link_header,
    },
    Target {
        name: "retry_after",
        check: crate::retry_after,
    },
    Target {
        name: "e164",
        check: crate::e164,
    },
    Target {
        name: "apple_ql",
        check: crate::apple_ql,
    },
    Target {
        name: "cursors",
        check: crate::cursors,
    },
    Target {
        name: "fone_envelope",
        check: crate::fone_envelope,
    },
    Target {
        name: "wire_text",
        check: crate::wire_text,
    },
    Target {
        name: "oauth_token",
        check: crate::oauth_token,
    },
    Target {
        name: "cli_config",
        check: crate::cli_config,
    },
    Target {
        name: "page_vonage",
        check: crate::page_vonage,
    },
    Target {
        name: "page_webex",
        check: crate::page_webex,
    },
    Target {
        name: "page_fone",
        check: crate::page_fone,
    },
    Target {
        name: "page_apple",
        check: crate::page_apple,
    },
    Target {
        name: "page_zoom",
        check: crate::page_zoom,
    },
];
