//! Each `list` subcommand takes only the flags its provider uses: another provider's
//! flag is a usage error (exit 2) that names the subcommands taking it, and `--help`
//! shows the subcommand's own flags and its provider's filters, nothing else.

use std::collections::BTreeSet;

use assert_cmd::Command;
use telnums::Provider;

mod common;
use common::Run;

/// The flags of every `list` subcommand (`verbose` is global, `help` clap's).
const COMMON: [&str; 10] = [
    "base-url",
    "phone-number",
    "format",
    "max-items",
    "page-size",
    "timeout",
    "allow-insecure-http",
    "output",
    "verbose",
    "help",
];

/// Each subcommand's flags beyond [`COMMON`] and its provider's filters:
/// `--concurrency` where pages are asked for by offset, `--strict` where the provider
/// reports a total.
const OWN: [(&str, &[&str]); 6] = [
    ("vonage-cc", &["region", "concurrency", "strict"]),
    ("webex-calling", &["org-id", "concurrency", "strict"]),
    (
        "fone-dynamics",
        &["account-sid", "property-sid", "concurrency"],
    ),
    ("apple-business", &["org-id", "brand-id", "strict"]),
    ("zoom-phone", &["strict"]),
    ("all", &["config", "concurrency", "strict"]),
];

fn telnums(args: &[&str]) -> Run {
    Run::of(
        Command::cargo_bin("telnums")
            .expect("binary")
            .args(args)
            .env_remove("RUST_LOG"),
    )
}

/// The long flags a help text lists: its lines that start with a flag (the
/// descriptions and possible values under them are indented further).
fn listed_flags(help: &str) -> BTreeSet<String> {
    help.lines()
        .filter(|line| line.len() - line.trim_start().len() <= 6)
        .filter_map(|line| {
            let line = line.trim_start();
            let line = match line.split_once(", ") {
                Some((short, rest)) if short.len() == 2 && short.starts_with('-') => rest,
                _ => line,
            };
            let name = line.strip_prefix("--")?;
            let end = name
                .find(|c: char| !c.is_ascii_alphanumeric() && c != '-')
                .unwrap_or(name.len());
            Some(name[..end].to_owned())
        })
        .collect()
}

/// What a subcommand needs on its command line before a flag can be tried on it.
fn required(sub: &str) -> &'static [&'static str] {
    match sub {
        "apple-business" => &["--org-id", "o", "--brand-id", "b"],
        "all" => &["--config", "telnums.toml"],
        _ => &[],
    }
}

/// A provider of the facade's registry without a `list` subcommand of its own (or with
/// one these tests do not know) fails here, not only when the CLI starts.
#[test]
fn every_provider_of_the_registry_has_its_subcommand() {
    let known: BTreeSet<&str> = OWN.iter().map(|(sub, _)| *sub).collect();
    for provider in Provider::ALL {
        assert!(known.contains(provider.key()), "{provider}: add it to OWN");
        let run = telnums(&["list", provider.key(), "--help"]);
        assert_eq!(run.code, 0, "{provider}: {}", run.stderr);
    }
    assert_eq!(
        known.len(),
        Provider::ALL.len() + 1,
        "the providers and `all`"
    );
}

#[test]
fn help_of_each_subcommand_lists_only_its_flags() {
    for (sub, own) in OWN {
        let run = telnums(&["list", sub, "--help"]);
        assert_eq!(run.code, 0, "{sub}: {}", run.stderr);
        let filters = match sub.parse::<Provider>() {
            Ok(provider) => provider.filters().params.iter().map(|p| p.flag).collect(),
            Err(_) => Vec::new(),
        };
        let expected: BTreeSet<String> = COMMON
            .iter()
            .chain(own)
            .chain(&filters)
            .map(|f| (*f).to_owned())
            .collect();
        assert_eq!(
            listed_flags(&run.stdout),
            expected,
            "{sub}:\n{}",
            run.stdout
        );
    }
}

#[test]
fn a_flag_of_another_subcommand_is_a_usage_error_naming_its_owners() {
    let every: BTreeSet<&str> = OWN
        .iter()
        .flat_map(|(_, own)| own.iter().copied())
        .collect();
    for (sub, own) in OWN {
        for flag in every.iter().filter(|f| !own.contains(f)) {
            let owners: Vec<&str> = OWN
                .iter()
                .filter(|(_, o)| o.contains(flag))
                .map(|(s, _)| *s)
                .collect();
            let mut args = vec!["list", sub];
            args.extend(required(sub));
            let given = format!("--{flag}");
            args.push(&given);
            if *flag != "strict" {
                args.push("x");
            }
            let stderr = refused(&args);
            assert!(
                stderr.contains(&format!("unexpected argument '--{flag}' found")),
                "{args:?}: {stderr}"
            );
            let tip = stderr
                .lines()
                .find(|l| l.contains(&format!("tip: --{flag} is a flag of ")))
                .unwrap_or_else(|| panic!("{args:?}: no tip in {stderr}"));
            for owner in &owners {
                assert!(tip.contains(&format!("`telnums list {owner}`")), "{tip}");
            }
            assert!(!tip.contains(&format!("`telnums list {sub}`")), "{tip}");
        }
    }
}

/// The usage error (exit 2, nothing on stdout) that `args` make; its message.
fn refused(args: &[&str]) -> String {
    let run = telnums(args);
    assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
    assert!(run.stdout.is_empty(), "{args:?}: {}", run.stdout);
    run.stderr
}

/// `--flag=value`, and another provider's filter, get the same tip.
#[test]
fn joined_values_and_other_providers_filters_are_named_too() {
    for (args, tip) in [
        (
            ["list", "zoom-phone", "--region=nam"].as_slice(),
            "tip: --region is a flag of `telnums list vonage-cc` only",
        ),
        (
            &["list", "fone-dynamics", "--owner-type", "PEOPLE"],
            "tip: --owner-type is a flag of `telnums list webex-calling` only",
        ),
    ] {
        let stderr = refused(args);
        assert!(stderr.contains(tip), "{args:?}: {stderr}");
    }
    // A flag no subcommand takes gets clap's message alone.
    let stderr = refused(&["list", "zoom-phone", "--nonsense"]);
    assert!(!stderr.contains("is a flag of"), "{stderr}");
}

/// A filter flag's value name says what it takes: a query clause, free text, or one of
/// the documented values.
#[test]
fn filter_flags_name_what_they_take() {
    let help = |sub: &str| telnums(&["list", sub, "--help"]).stdout;
    assert!(
        help("apple-business").contains("--ql <CLAUSE>"),
        "{}",
        help("apple-business")
    );
    let zoom = help("zoom-phone");
    assert!(zoom.contains("--type <VALUE>"), "{zoom}");
    let text = Provider::ALL
        .iter()
        .flat_map(|p| p.filters().params.iter().map(move |f| (*p, f)))
        .find(|(_, f)| {
            matches!(f.ty, telnums::ParamType::String) && f.check.is_none() && f.values.is_empty()
        })
        .expect("a free-text filter");
    let shown = help(text.0.key());
    assert!(
        shown.contains(&format!("--{} <TEXT>", text.1.flag)),
        "{}: {shown}",
        text.1.flag
    );
}

/// The tip lists the providers in the project's order, then `all`.
#[test]
fn a_tip_names_the_providers_first_and_all_last() {
    let stderr = refused(&["list", "zoom-phone", "--concurrency", "2"]);
    assert!(
        stderr.contains(
            "tip: --concurrency is a flag of `telnums list vonage-cc`, `telnums list \
             webex-calling`, `telnums list fone-dynamics` and `telnums list all` only"
        ),
        "{stderr}"
    );
}
