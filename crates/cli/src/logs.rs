//! `-v`/`-vv` and `RUST_LOG`: the runtime's `tracing` spans and events, printed on stderr.
//!
//! Nothing is installed without `-v` or `RUST_LOG`, so a quiet run pays only for the
//! disabled callsites. What the runtime logs never holds a credential: headers are not
//! logged, query values that may carry a token or cursor are redacted
//! (`telnums_core::hooks::is_sensitive`), and the token endpoint is logged without its
//! query or user info.

use tracing::level_filters::LevelFilter;
use tracing_subscriber::filter::Targets;
use tracing_subscriber::fmt::time::Uptime;
use tracing_subscriber::layer::SubscriberExt as _;

/// The filter for `-v` repeated `verbose` times: `telnums*` crates only, at debug (one
/// line per attempt) or trace (also each request as it is sent). `None` for 0.
fn verbosity(verbose: u8) -> Option<Targets> {
    let level = match verbose {
        0 => return None,
        1 => LevelFilter::DEBUG,
        _ => LevelFilter::TRACE,
    };
    // A prefix: telnums_core, telnums_cli, telnums_webex_calling, …
    Some(Targets::new().with_target("telnums", level))
}

/// Installs the stderr logger for `-v` × `verbose`, unless `RUST_LOG` is set, which then
/// decides (a `Targets` list, `target=level,…` or a bare level). A `RUST_LOG` that does
/// not parse is reported and `-v` applies. Returns whether logs go to stderr.
pub fn init(verbose: u8) -> bool {
    let from_env = std::env::var("RUST_LOG")
        .ok()
        .filter(|v| !v.trim().is_empty())
        .and_then(|spec| match spec.parse::<Targets>() {
            Ok(targets) => Some(targets),
            Err(e) => {
                eprintln!("telnums: ignoring RUST_LOG ({e})");
                None
            }
        });
    let Some(filter) = from_env.or_else(|| verbosity(verbose)) else {
        return false;
    };
    let subscriber = tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .with_target(false)
        .with_timer(Uptime::default())
        .with_max_level(LevelFilter::TRACE)
        .finish()
        .with(filter);
    // Only fails when a subscriber is already set, which is then kept.
    let _ = tracing::subscriber::set_global_default(subscriber);
    true
}
