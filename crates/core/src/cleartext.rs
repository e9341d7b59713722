//! Credentials never travel in cleartext: a credential is sent over plain `http://` only
//! to this machine (`localhost`, `127.0.0.0/8`, `[::1]`, where tests and local mocks
//! run) or when the caller opted in. OAuth 2.0 requires TLS for the token endpoint and
//! for client authentication (RFC 6749 §2.3.1, §3.2.1); bearer tokens and Basic
//! credentials are as good as passwords to whoever reads them on the way.

use std::net::IpAddr;

use url::{Host, Url};

/// True when `url` is `http://` to a host outside this machine.
pub(crate) fn leaves_the_machine_in_cleartext(url: &Url) -> bool {
    url.scheme() == "http" && !is_loopback(url)
}

/// True when `url`'s host is this machine: `localhost` (or a name under it),
/// `127.0.0.0/8` or `[::1]`.
pub(crate) fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(Host::Domain(name)) => {
            let name = name.trim_end_matches('.').to_ascii_lowercase();
            name == "localhost" || name.ends_with(".localhost")
        }
        Some(Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => false,
    }
}

/// Why a credential is not sent to `url` (`what` names it: "the base URL", "the token
/// URL"), unless `allowed`.
pub(crate) fn refusal(url: &Url, what: &str, allowed: bool) -> Option<String> {
    (!allowed && leaves_the_machine_in_cleartext(url)).then(|| {
        format!(
            "refusing to send credentials to {} ({what}) over plain HTTP, where anyone on \
             the way can read them: use https, or opt in with `allow_insecure_http()` \
             (telnums: --allow-insecure-http, or `allow_insecure_http = true` in the \
             config section)",
            url.origin().ascii_serialization()
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(s: &str) -> Url {
        Url::parse(s).expect("url")
    }

    #[test]
    fn loopback_hosts_are_this_machine() {
        for s in [
            "http://localhost:8080/v2",
            "http://LOCALHOST./x",
            "http://api.localhost/x",
            "http://127.0.0.1:9",
            "http://127.1.2.3",
            "http://[::1]:443/",
        ] {
            assert!(is_loopback(&url(s)), "{s}");
            assert!(!leaves_the_machine_in_cleartext(&url(s)), "{s}");
            assert_eq!(refusal(&url(s), "the base URL", false), None, "{s}");
        }
        for s in [
            "http://api.zoom.us/v2",
            "http://10.0.0.1",
            "http://128.0.0.1",
            "http://[::2]",
            "http://localhost.example.com",
            "http://notlocalhost",
        ] {
            assert!(!is_loopback(&url(s)), "{s}");
            assert!(leaves_the_machine_in_cleartext(&url(s)), "{s}");
        }
        assert!(!leaves_the_machine_in_cleartext(&url(
            "https://api.zoom.us/v2"
        )));
    }

    #[test]
    fn the_refusal_names_the_origin_and_the_way_to_opt_in() {
        let refusal = refusal(
            &url("http://api.zoom.us/v2?secret=1"),
            "the base URL",
            false,
        )
        .expect("refused");
        assert!(
            refusal
                .starts_with("refusing to send credentials to http://api.zoom.us (the base URL)"),
            "{refusal}"
        );
        assert!(refusal.contains("allow_insecure_http()"), "{refusal}");
        assert!(refusal.contains("--allow-insecure-http"), "{refusal}");
        assert!(!refusal.contains("secret"), "no path or query: {refusal}");
        assert_eq!(
            super::refusal(&url("http://api.zoom.us/v2"), "the base URL", true),
            None
        );
    }
}
