//! `telnums completions <shell>` and `telnums man`: generated from the same command
//! definition as the parser, provider filters included.

use assert_cmd::Command;

fn telnums(args: &[&str]) -> (i32, String, String) {
    let output = Command::cargo_bin("telnums")
        .expect("binary")
        .args(args)
        .env_remove("RUST_LOG")
        .output()
        .expect("runs");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn completion_scripts_know_providers_and_their_filters() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let (code, script, stderr) = telnums(&["completions", shell]);
        assert_eq!(code, 0, "{shell}: {stderr}");
        for word in [
            "webex-calling",
            "zoom-phone",
            "apple-business",
            "owner-type",
            "included-telephony-types",
            "pending-numbers",
            "capabilities",
            "ql",
        ] {
            assert!(script.contains(word), "{shell}: no {word}");
        }
    }
    // Shells that complete values know each closed list, from the spec.
    let (_, zsh, _) = telnums(&["completions", "zsh"]);
    for value in [
        "PSTN_NUMBER",
        "MOBILE_NUMBER",
        "lastName",
        "callQueue",
        "tollfree",
    ] {
        assert!(zsh.contains(value), "zsh: no {value}");
    }
    let (code, _, stderr) = telnums(&["completions", "tcsh"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("bash"), "names the shells: {stderr}");
}

#[test]
fn man_pages_document_commands_and_filters() {
    let (code, page, stderr) = telnums(&["man"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(page.contains(".TH telnums 1"), "{page}");
    for word in ["list", "demo", "completions", "\\-\\-verbose"] {
        assert!(page.contains(word), "telnums.1: no {word}");
    }

    let (code, page, stderr) = telnums(&["man", "list", "webex-calling"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(page.contains(".TH telnums-list-webex-calling 1"), "{page}");
    for word in [
        "\\-\\-owner\\-type",
        "\\-\\-included\\-telephony\\-types",
        "PSTN_NUMBER",
        "lastName",
    ] {
        assert!(page.contains(word), "webex page: no {word}");
    }

    let (code, _, stderr) = telnums(&["man", "list", "nope"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("no command `list nope`"), "{stderr}");

    let dir = std::env::temp_dir().join(format!("telnums-man-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("dir");
    let (code, _, stderr) = telnums(&["man", "--dir", &dir.display().to_string()]);
    assert_eq!(code, 0, "{stderr}");
    assert!(dir.join("telnums.1").is_file(), "top-level page");
    for key in [
        "vonage-cc",
        "webex-calling",
        "fone-dynamics",
        "apple-business",
        "zoom-phone",
        "all",
    ] {
        assert!(
            dir.join(format!("telnums-list-{key}.1")).is_file(),
            "{key} page"
        );
    }
    let zoom = std::fs::read_to_string(dir.join("telnums-list-zoom-phone.1")).expect("zoom page");
    let _ = std::fs::remove_dir_all(&dir);
    assert!(zoom.contains("\\-\\-pending\\-numbers"), "{zoom}");
}
