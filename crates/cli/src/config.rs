//! Building provider sources from flags, the environment and `telnums.toml`.
//!
//! Secrets come only from the environment, never from flags or files. For each provider,
//! in this order:
//!
//! 1. the variable its config section names in `token_env`, when it names one;
//! 2. the provider's own variables: `TELNUMS_<KEY>_TOKEN` (e.g.
//!    `TELNUMS_ZOOM_PHONE_TOKEN`), or an OAuth2 client-credentials grant from
//!    `TELNUMS_<KEY>_CLIENT_ID`, `TELNUMS_<KEY>_CLIENT_SECRET` and `TELNUMS_<KEY>_TOKEN_URL`;
//! 3. only when a single provider is listed: `TELNUMS_TOKEN`, or the grant from
//!    `TELNUMS_CLIENT_ID`, `TELNUMS_CLIENT_SECRET` and `TELNUMS_TOKEN_URL`. `list all`
//!    never hands one provider's credentials to another.
//!
//! Fone Dynamics also needs `TELNUMS_ACCOUNT_SID` (or `--account-sid`). Values are never
//! printed.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use serde::Deserialize;
use telnums::core::{ClientBuilder, ProviderClient};
use telnums::{ClientCredentials, Provider, Query, Secret, Source};

use crate::args::{Common, Ids};
use crate::Failure;

/// Where credentials and ids are read from: the process environment, or a fixed set of
/// variables (tests).
#[derive(Debug)]
pub struct Env {
    fixed: Option<BTreeMap<String, String>>,
}

impl Env {
    /// The process environment, read when a variable is needed.
    pub fn from_process() -> Self {
        Self { fixed: None }
    }

    /// Exactly these variables and no others (tests and fuzzing).
    pub(crate) fn fixed<K: Into<String>, V: Into<String>>(
        vars: impl IntoIterator<Item = (K, V)>,
    ) -> Self {
        Self {
            fixed: Some(
                vars.into_iter()
                    .map(|(k, v)| (k.into(), v.into()))
                    .collect(),
            ),
        }
    }

    /// A set, non-blank variable. A value that is not valid UTF-8 is a usage error
    /// naming the variable (not its value).
    fn get(&self, name: &str) -> Result<Option<String>, Failure> {
        let value = match &self.fixed {
            Some(vars) => vars.get(name).cloned(),
            None => match std::env::var_os(name) {
                None => None,
                Some(raw) => Some(
                    raw.into_string()
                        .map_err(|_| Failure::usage(format!("{name} is not valid UTF-8")))?,
                ),
            },
        };
        Ok(value.filter(|v| !v.trim().is_empty()))
    }
}

/// Whether credentials not scoped to one provider (`TELNUMS_TOKEN`, `TELNUMS_CLIENT_*`)
/// may be used: only when one provider is listed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sharing {
    /// `list <provider>`: the global variables are that provider's.
    OneProvider,
    /// `list all`: each provider needs its own.
    PerProvider,
}

/// Provider settings: from flags for `list <provider>`, from a section for `list all`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    base_url: Option<String>,
    region: Option<String>,
    org_id: Option<String>,
    brand_id: Option<String>,
    account_sid: Option<String>,
    property_sid: Option<String>,
    /// Environment variable holding this provider's token (default `TELNUMS_TOKEN`).
    token_env: Option<String>,
    /// Allow credentials over plain `http://` to another machine (`--allow-insecure-http`).
    #[serde(default)]
    allow_insecure_http: bool,
    /// Per-request timeout from `--timeout` (not a file setting).
    #[serde(skip)]
    timeout: Option<Duration>,
    /// Whether these settings come from a config section (messages then name its keys,
    /// not flags).
    #[serde(skip)]
    in_file: bool,
}

impl Settings {
    fn from_args(ids: &Ids<'_>, common: &Common) -> Self {
        let owned = |id: Option<&str>| id.map(str::to_owned);
        Self {
            base_url: common.base_url.clone(),
            region: owned(ids.region),
            org_id: owned(ids.org_id),
            brand_id: owned(ids.brand_id),
            account_sid: owned(ids.account_sid),
            property_sid: owned(ids.property_sid),
            token_env: None,
            allow_insecure_http: common.allow_insecure_http,
            timeout: common.timeout.map(Duration::from_secs),
            in_file: false,
        }
    }

    /// The keys of the ids this section sets (`region`, `org_id`, …), each one a flag of
    /// some `list <provider>` subcommands only.
    fn ids_given(&self) -> impl Iterator<Item = &'static str> + '_ {
        [
            ("region", &self.region),
            ("org_id", &self.org_id),
            ("brand_id", &self.brand_id),
            ("account_sid", &self.account_sid),
            ("property_sid", &self.property_sid),
        ]
        .into_iter()
        .filter(|(_, value)| value.is_some())
        .map(|(key, _)| key)
    }

    /// The setting whose flag is `flag` (`--org-id`) as the user gave it: the flag, or
    /// in a config section its key (`org_id`).
    fn name(&self, flag: &str) -> String {
        match self.in_file {
            true => format!("`{}`", flag.trim_start_matches("--").replace('-', "_")),
            false => flag.to_owned(),
        }
    }
}

/// The source for `provider` configured by the command-line flags.
pub fn source_from_args(
    provider: Provider,
    ids: &Ids<'_>,
    common: &Common,
    env: &Env,
) -> Result<Source, Failure> {
    build(
        provider,
        &Settings::from_args(ids, common),
        env,
        Sharing::OneProvider,
    )
}

/// Every source configured in the TOML file at `path`: one table per provider key. A
/// table holds [`Settings`] and the provider's filters (by flag, with `_` for `-`:
/// `owner_type = "PEOPLE"`, `included_telephony_types = ["PSTN_NUMBER"]`), which are
/// checked and added to `query`.
pub fn sources_from_file(
    path: &Path,
    args: &Common,
    env: &Env,
    query: Query,
) -> Result<(Vec<Source>, Query), Failure> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Failure::usage(format!("cannot read {}: {e}", path.display())))?;
    sources_from_toml(&text, &path.display().to_string(), args, env, query)
}

/// [`sources_from_file`] for `text`, the contents of the file `name`. Nothing here reads
/// a file or the network: the fuzz target `cli_config` calls it through
/// [`crate::fuzzing::config`].
pub(crate) fn sources_from_toml(
    text: &str,
    name: &str,
    args: &Common,
    env: &Env,
    mut query: Query,
) -> Result<(Vec<Source>, Query), Failure> {
    let tables: BTreeMap<String, toml::Table> =
        toml::from_str(text).map_err(|e| Failure::usage(format!("{name}: {}", e.message())))?;
    if tables.is_empty() {
        return Err(Failure::usage(format!("{name} configures no provider")));
    }
    let sharing = match tables.len() {
        1 => Sharing::OneProvider,
        _ => Sharing::PerProvider,
    };
    let mut sources = Vec::new();
    for (key, table) in tables {
        let provider: Provider = key
            .parse()
            .map_err(|e: String| Failure::usage(format!("{name}: {e}")))?;
        let at = |message: String| Failure::usage(format!("{name} [{key}]: {message}"));
        let (filters, rest): (toml::Table, toml::Table) = table
            .into_iter()
            .partition(|(name, _)| provider.filters().find(name).is_some());
        let mut settings: Settings =
            toml::Value::Table(rest)
                .try_into()
                .map_err(|e: toml::de::Error| {
                    let known = provider.filters().flag_names().replace('-', "_");
                    let filters = match known.is_empty() {
                        true => format!("{provider} has no filters"),
                        false => format!("filters: {known}"),
                    };
                    at(format!("{} ({filters})", e.message().trim_end()))
                })?;
        // An id another provider takes would be ignored here: refuse it, as the flag is.
        for key in settings.ids_given() {
            let owners = crate::args::flag_owners(&key.replace('_', "-"));
            if !owners.iter().any(|owner| owner == provider.key()) {
                let owners: Vec<String> = owners
                    .iter()
                    .filter(|o| o.parse::<Provider>().is_ok())
                    .map(|o| format!("[{o}]"))
                    .collect();
                return Err(at(format!(
                    "`{key}` is not a {provider} setting (tables that take it: {})",
                    owners.join(", ")
                )));
            }
        }
        for (name, value) in filters {
            let list = provider.filters().find(&name).is_some_and(|p| p.is_list());
            for item in filter_values(&name, value, list).map_err(at)? {
                query = query
                    .filter(provider, &name, &item)
                    .map_err(|e| at(e.to_string()))?;
            }
        }
        // A --base-url on the command line overrides every section (handy for mocks).
        if args.base_url.is_some() {
            settings.base_url = args.base_url.clone();
        }
        settings.timeout = args.timeout.map(Duration::from_secs);
        settings.allow_insecure_http |= args.allow_insecure_http;
        settings.in_file = true;
        sources.push(build(provider, &settings, env, sharing)?);
    }
    Ok((sources, query))
}

/// The values of a filter key: a string, boolean or integer, or (for a `list` filter)
/// an array of those.
fn filter_values(name: &str, value: toml::Value, list: bool) -> Result<Vec<String>, String> {
    fn scalar(name: &str, value: toml::Value) -> Result<String, String> {
        match value {
            toml::Value::String(s) => Ok(s),
            toml::Value::Boolean(b) => Ok(b.to_string()),
            toml::Value::Integer(i) => Ok(i.to_string()),
            other => Err(format!(
                "`{name}` must be a string, a boolean or a number, not {}",
                other.type_str()
            )),
        }
    }
    match value {
        toml::Value::Array(items) if list => items.into_iter().map(|v| scalar(name, v)).collect(),
        toml::Value::Array(_) => Err(format!("`{name}` takes one value, not a list")),
        other => Ok(vec![scalar(name, other)?]),
    }
}

/// `TELNUMS_ZOOM_PHONE`, the prefix of a provider's own variables.
fn prefix(provider: Provider) -> String {
    format!(
        "TELNUMS_{}",
        provider.key().to_ascii_uppercase().replace('-', "_")
    )
}

/// An OAuth2 client-credentials grant from `<prefix>_CLIENT_ID`, `_CLIENT_SECRET` and
/// `_TOKEN_URL`, when all three are set.
fn oauth(provider: Provider, prefix: &str, env: &Env) -> Result<Option<Credential>, Failure> {
    let var = |suffix: &str| env.get(&format!("{prefix}_{suffix}"));
    let (Some(id), Some(secret), Some(url)) =
        (var("CLIENT_ID")?, var("CLIENT_SECRET")?, var("TOKEN_URL")?)
    else {
        return Ok(None);
    };
    let mut cc = ClientCredentials::new(url, id, Secret::new(secret));
    if provider == Provider::ZoomPhone {
        if let Some(account) = env.get("TELNUMS_ZOOM_ACCOUNT_ID")? {
            cc = cc
                .grant_type("account_credentials")
                .param("account_id", account);
        }
    }
    Ok(Some(Credential::OAuth(Box::new(cc))))
}

/// The credential of `provider`, in the order the module docs give. `oauth_allowed` is
/// false for Fone Dynamics, which takes a token (its HTTP Basic password) only.
fn credential(
    provider: Provider,
    s: &Settings,
    env: &Env,
    sharing: Sharing,
    oauth_allowed: bool,
) -> Result<Credential, Failure> {
    if let Some(var) = &s.token_env {
        let token = env.get(var)?.ok_or_else(|| {
            Failure::usage(format!(
                "{provider}: token_env names {var}, which is not set"
            ))
        })?;
        return Ok(Credential::Token(Secret::new(token)));
    }
    let own = prefix(provider);
    let mut prefixes = vec![own.as_str()];
    if sharing == Sharing::OneProvider {
        prefixes.push("TELNUMS");
    }
    for prefix in prefixes {
        if oauth_allowed {
            if let Some(credential) = oauth(provider, prefix, env)? {
                return Ok(credential);
            }
        }
        if let Some(token) = env.get(&format!("{prefix}_TOKEN"))? {
            return Ok(Credential::Token(Secret::new(token)));
        }
    }
    let oauth_hint = if oauth_allowed {
        format!(" (or {own}_CLIENT_ID, {own}_CLIENT_SECRET and {own}_TOKEN_URL)")
    } else {
        String::new()
    };
    Err(Failure::usage(match sharing {
        Sharing::OneProvider => {
            format!("{provider}: set {own}_TOKEN or TELNUMS_TOKEN{oauth_hint}")
        }
        Sharing::PerProvider => format!(
            "{provider}: set {own}_TOKEN{oauth_hint}, or token_env in its section; \
             with several providers TELNUMS_TOKEN is not shared between them"
        ),
    }))
}

enum Credential {
    Token(Secret),
    OAuth(Box<ClientCredentials>),
}

fn configure<P: ProviderClient>(
    mut builder: ClientBuilder<P>,
    s: &Settings,
    base_url: Option<&str>,
    credential: Credential,
) -> Result<P, Failure> {
    if let Some(url) = base_url {
        builder = builder.base_url(url);
    }
    if let Some(timeout) = s.timeout {
        builder = builder.timeout(timeout);
    }
    if s.allow_insecure_http {
        builder = builder.allow_insecure_http();
    }
    builder = match credential {
        Credential::Token(token) => builder.bearer_token(token),
        Credential::OAuth(cc) if s.allow_insecure_http => {
            builder.credentials(cc.allow_insecure_http())
        }
        Credential::OAuth(cc) => builder.credentials(*cc),
    };
    builder.build().map_err(|e| Failure::usage(e.to_string()))
}

/// The values of `required` (flag and value), or a usage error naming every one that
/// is missing.
fn require<'a, const N: usize>(
    provider: Provider,
    s: &Settings,
    required: [(&str, Option<&'a str>); N],
) -> Result<[&'a str; N], Failure> {
    let missing: Vec<String> = required
        .iter()
        .filter(|(_, value)| value.is_none())
        .map(|(flag, _)| s.name(flag))
        .collect();
    match missing.as_slice() {
        [] => Ok(required.map(|(_, value)| value.unwrap_or_default())),
        [one] => Err(Failure::usage(format!("{provider}: {one} is required"))),
        [init @ .., last] => Err(Failure::usage(format!(
            "{provider}: {} and {last} are required",
            init.join(", ")
        ))),
    }
}

fn build(provider: Provider, s: &Settings, env: &Env, sharing: Sharing) -> Result<Source, Failure> {
    use telnums::{apple_business, fone_dynamics, vonage_cc, webex_calling, zoom_phone};
    let base = s.base_url.as_deref();
    Ok(match provider {
        Provider::VonageCc => {
            let region = match &s.region {
                Some(r) => Some(r.parse::<vonage_cc::Region>().map_err(Failure::usage)?),
                None => None,
            };
            let url = base.or(region.map(vonage_cc::Region::base_url));
            let client = configure(
                vonage_cc::VonageCcClient::builder(),
                s,
                url,
                credential(provider, s, env, sharing, true)?,
            )?;
            Source::VonageCc(client)
        }
        Provider::WebexCalling => {
            let client = configure(
                webex_calling::WebexClient::builder(),
                s,
                base,
                credential(provider, s, env, sharing, true)?,
            )?;
            Source::webex_calling(client, s.org_id.clone())
        }
        Provider::FoneDynamics => {
            let from_env = env.get("TELNUMS_ACCOUNT_SID")?;
            let account = s.account_sid.as_deref().or(from_env.as_deref());
            let account = account.ok_or_else(|| {
                Failure::usage(format!(
                    "{provider}: {} or TELNUMS_ACCOUNT_SID is required",
                    s.name("--account-sid")
                ))
            })?;
            // Without `oauth_allowed`, `credential` only ever finds a token.
            let Credential::Token(token) = credential(provider, s, env, sharing, false)? else {
                return Err(Failure::usage(format!(
                    "{provider}: takes a token, not OAuth2"
                )));
            };
            let mut builder =
                fone_dynamics::FoneDynamicsClient::builder().basic_auth(account, token);
            if let Some(url) = base {
                builder = builder.base_url(url);
            }
            if let Some(timeout) = s.timeout {
                builder = builder.timeout(timeout);
            }
            if s.allow_insecure_http {
                builder = builder.allow_insecure_http();
            }
            let client = builder.build().map_err(|e| Failure::usage(e.to_string()))?;
            let scope = match &s.property_sid {
                Some(p) => fone_dynamics::Scope::Property(p.clone()),
                None => fone_dynamics::Scope::Account(account.to_owned()),
            };
            Source::FoneDynamics { client, scope }
        }
        Provider::AppleBusiness => {
            let [org_id, brand_id] = require(
                provider,
                s,
                [
                    ("--org-id", s.org_id.as_deref()),
                    ("--brand-id", s.brand_id.as_deref()),
                ],
            )?;
            let (org_id, brand_id) = (org_id.to_owned(), brand_id.to_owned());
            let client = configure(
                apple_business::AppleBusinessClient::builder(),
                s,
                base,
                credential(provider, s, env, sharing, true)?,
            )?;
            Source::AppleBusiness {
                client,
                org_id,
                brand_id,
            }
        }
        Provider::ZoomPhone => {
            let client = configure(
                zoom_phone::ZoomPhoneClient::builder(),
                s,
                base,
                credential(provider, s, env, sharing, true)?,
            )?;
            Source::ZoomPhone(client)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(toml_text: &str) -> Settings {
        toml::from_str(toml_text).expect("settings")
    }

    #[test]
    fn filter_values_from_toml() {
        let value = |text: &str| -> toml::Value {
            let table: toml::Table = toml::from_str(&format!("v = {text}")).expect("toml");
            table["v"].clone()
        };
        let one = |text: &str| filter_values("type", value(text), false);
        let many = |text: &str| filter_values("type", value(text), true);
        assert_eq!(one("\"toll_free\""), Ok(vec!["toll_free".to_owned()]));
        assert_eq!(one("true"), Ok(vec!["true".to_owned()]));
        assert_eq!(one("42"), Ok(vec!["42".to_owned()]));
        assert_eq!(
            one("1.5"),
            Err("`type` must be a string, a boolean or a number, not float".to_owned())
        );
        assert_eq!(
            one("[\"a\", \"b\"]"),
            Err("`type` takes one value, not a list".to_owned())
        );
        assert_eq!(
            many("[\"a\", false, 7]"),
            Ok(vec!["a".to_owned(), "false".to_owned(), "7".to_owned()])
        );
        assert_eq!(many("\"a\""), Ok(vec!["a".to_owned()]));
        assert_eq!(
            many("[\"a\", [1]]"),
            Err("`type` must be a string, a boolean or a number, not array".to_owned())
        );
    }

    /// The token `credential` picks, or the usage error's message.
    fn picked(env: &[(&str, &str)], s: &Settings, sharing: Sharing) -> Result<String, String> {
        let env = Env::fixed(env.iter().copied());
        match credential(Provider::WebexCalling, s, &env, sharing, true) {
            Ok(Credential::Token(token)) => Ok(token.expose().to_owned()),
            Ok(Credential::OAuth(_)) => Ok("oauth".to_owned()),
            Err(failure) => {
                assert_eq!(failure.code, 2);
                Err(failure.message)
            }
        }
    }

    const GLOBAL_OAUTH: [(&str, &str); 3] = [
        ("TELNUMS_CLIENT_ID", "id"),
        ("TELNUMS_CLIENT_SECRET", "secret"),
        ("TELNUMS_TOKEN_URL", "http://127.0.0.1:9/token"),
    ];

    #[test]
    fn token_env_wins_over_everything() {
        let mut env = GLOBAL_OAUTH.to_vec();
        env.extend([
            ("WEBEX_TOKEN", "from-section"),
            ("TELNUMS_WEBEX_CALLING_TOKEN", "own"),
        ]);
        let s = settings("token_env = \"WEBEX_TOKEN\"");
        for sharing in [Sharing::OneProvider, Sharing::PerProvider] {
            assert_eq!(picked(&env, &s, sharing).as_deref(), Ok("from-section"));
        }
        let err = picked(&[], &s, Sharing::OneProvider).expect_err("unset");
        assert!(err.contains("WEBEX_TOKEN"), "{err}");
    }

    #[test]
    fn global_variables_only_for_one_provider() {
        let s = Settings::default();
        let env = [("TELNUMS_TOKEN", "global")];
        assert_eq!(
            picked(&env, &s, Sharing::OneProvider).as_deref(),
            Ok("global")
        );
        let err = picked(&env, &s, Sharing::PerProvider).expect_err("not shared");
        assert!(err.contains("TELNUMS_WEBEX_CALLING_TOKEN"), "{err}");
        assert!(picked(&GLOBAL_OAUTH, &s, Sharing::PerProvider).is_err());
        assert_eq!(
            picked(&GLOBAL_OAUTH, &s, Sharing::OneProvider).as_deref(),
            Ok("oauth")
        );
    }

    #[test]
    fn provider_variables_win_over_global_ones() {
        let s = Settings::default();
        let env = [
            ("TELNUMS_TOKEN", "global"),
            ("TELNUMS_WEBEX_CALLING_TOKEN", "own"),
        ];
        for sharing in [Sharing::OneProvider, Sharing::PerProvider] {
            assert_eq!(picked(&env, &s, sharing).as_deref(), Ok("own"));
        }
        let own_oauth = [
            ("TELNUMS_TOKEN", "global"),
            ("TELNUMS_WEBEX_CALLING_CLIENT_ID", "id"),
            ("TELNUMS_WEBEX_CALLING_CLIENT_SECRET", "secret"),
            (
                "TELNUMS_WEBEX_CALLING_TOKEN_URL",
                "http://127.0.0.1:9/token",
            ),
        ];
        assert_eq!(
            picked(&own_oauth, &s, Sharing::OneProvider).as_deref(),
            Ok("oauth")
        );
    }

    /// `--region` picks Vonage's host; `--base-url` wins over it; an unknown region is a
    /// usage error naming it.
    #[test]
    fn vonage_region_picks_the_host() {
        let env = Env::fixed([("TELNUMS_TOKEN", "t")]);
        let base_url = |s: Settings| match build(Provider::VonageCc, &s, &env, Sharing::OneProvider)
        {
            Ok(Source::VonageCc(client)) => Ok(client.runtime().base_url().to_string()),
            Ok(other) => panic!("{other:?}"),
            Err(failure) => Err((failure.code, failure.message)),
        };
        let region = |r: &str| Settings {
            region: Some(r.to_owned()),
            ..Settings::default()
        };
        assert_eq!(
            base_url(region("nam")).as_deref(),
            Ok("https://nam.api.newvoicemedia.com/")
        );
        assert_eq!(
            base_url(region("APAC")).as_deref(),
            Ok("https://apac.api.newvoicemedia.com/")
        );
        assert_eq!(
            base_url(Settings::default()).as_deref(),
            Ok("https://emea.api.newvoicemedia.com/")
        );
        let both = Settings {
            base_url: Some("http://127.0.0.1:9".to_owned()),
            ..region("nam")
        };
        assert_eq!(base_url(both).as_deref(), Ok("http://127.0.0.1:9/"));
        let (code, message) = base_url(region("mars")).expect_err("unknown");
        assert_eq!(code, 2);
        assert!(message.contains("mars"), "{message}");
    }

    /// `TELNUMS_ZOOM_ACCOUNT_ID` turns Zoom's grant into `account_credentials`, and only
    /// Zoom's.
    #[test]
    fn zoom_account_id_selects_the_account_credentials_grant() {
        let mut vars = GLOBAL_OAUTH.to_vec();
        vars.push(("TELNUMS_ZOOM_ACCOUNT_ID", "acct-1"));
        let env = Env::fixed(vars);
        let grant = |provider| match oauth(provider, "TELNUMS", &env) {
            Ok(Some(Credential::OAuth(cc))) => format!("{cc:?}"),
            _ => panic!("an OAuth2 grant"),
        };
        let zoom = grant(Provider::ZoomPhone);
        assert!(
            zoom.contains("grant_type: \"account_credentials\""),
            "{zoom}"
        );
        let webex = grant(Provider::WebexCalling);
        assert!(
            webex.contains("grant_type: \"client_credentials\""),
            "{webex}"
        );
        let without = Env::fixed(GLOBAL_OAUTH);
        match oauth(Provider::ZoomPhone, "TELNUMS", &without) {
            Ok(Some(Credential::OAuth(cc))) => {
                assert!(format!("{cc:?}").contains("\"client_credentials\""));
            }
            _ => panic!("an OAuth2 grant"),
        }
        // Two of the three variables are not a grant.
        let partial = Env::fixed([
            ("TELNUMS_CLIENT_ID", "id"),
            ("TELNUMS_TOKEN_URL", "http://127.0.0.1:9/token"),
        ]);
        assert!(matches!(
            oauth(Provider::ZoomPhone, "TELNUMS", &partial),
            Ok(None)
        ));
    }

    /// The usage error's message when `provider`'s source cannot be built, else `Ok`.
    fn built(provider: Provider, s: &Settings, env: &[(&str, &str)]) -> Result<(), String> {
        let env = Env::fixed(env.iter().copied());
        build(provider, s, &env, Sharing::OneProvider)
            .map(|_| ())
            .map_err(|f| f.message)
    }

    #[test]
    fn allow_insecure_http_opens_the_token_url_too() {
        let env = [
            ("TELNUMS_CLIENT_ID", "id"),
            ("TELNUMS_CLIENT_SECRET", "secret-not-real"),
            ("TELNUMS_TOKEN_URL", "http://auth.example.test/token"),
        ];
        let https = |allow_insecure_http| Settings {
            base_url: Some("https://webex.example.test".to_owned()),
            allow_insecure_http,
            ..Settings::default()
        };
        let err = built(Provider::WebexCalling, &https(false), &env).expect_err("refused");
        assert!(err.contains("the token URL"), "{err}");
        assert_eq!(built(Provider::WebexCalling, &https(true), &env), Ok(()));
    }

    /// How many sources the config text `text` (the file `t.toml`) gives with a token set
    /// and no flags, or the message it fails with.
    fn sources(text: &str) -> Result<usize, String> {
        let env = Env::fixed([("TELNUMS_TOKEN", "t-not-real")]);
        sources_from_toml(text, "t.toml", &Common::default(), &env, Query::default())
            .map(|(sources, _)| sources.len())
            .map_err(|f| f.message)
    }

    #[test]
    fn a_section_may_allow_plain_http_without_the_flag() {
        let text = "[webex-calling]\nbase_url = \"http://webex.example.test\"\n";
        let err = sources(text).expect_err("plain HTTP to another machine");
        assert!(err.contains("plain HTTP"), "{err}");
        let allowed = format!("{text}allow_insecure_http = true\n");
        assert_eq!(sources(&allowed), Ok(1));
    }

    /// A section refuses an id its provider has no flag for, naming the sections that
    /// take it, and takes its provider's own.
    #[test]
    fn a_section_refuses_another_providers_ids() {
        assert_eq!(
            sources("[zoom-phone]\nregion = \"nam\"\n"),
            Err("t.toml [zoom-phone]: `region` is not a zoom-phone setting (tables that take it: [vonage-cc])".to_owned())
        );
        assert_eq!(
            sources("[vonage-cc]\nproperty_sid = \"PR0\"\norg_id = \"o\"\n"),
            Err("t.toml [vonage-cc]: `org_id` is not a vonage-cc setting (tables that take it: [webex-calling], [apple-business])".to_owned())
        );
        for text in [
            "[vonage-cc]\nregion = \"nam\"\n",
            "[webex-calling]\norg_id = \"o\"\n",
            "[fone-dynamics]\naccount_sid = \"AC0\"\nproperty_sid = \"PR0\"\n",
            "[apple-business]\norg_id = \"o\"\nbrand_id = \"b\"\n",
        ] {
            assert_eq!(sources(text), Ok(1), "{text}");
        }
    }

    /// Apple's ids: every missing one named at once, as flags or as a section's keys.
    #[test]
    fn missing_ids_are_all_named() {
        let env = Env::fixed([("TELNUMS_TOKEN", "t")]);
        let message =
            |s: &Settings| match build(Provider::AppleBusiness, s, &env, Sharing::OneProvider) {
                Ok(_) => panic!("built without ids"),
                Err(failure) => {
                    assert_eq!(failure.code, 2);
                    failure.message
                }
            };
        let mut s = Settings::default();
        assert_eq!(
            message(&s),
            "apple-business: --org-id and --brand-id are required"
        );
        s.org_id = Some("o".to_owned());
        assert_eq!(message(&s), "apple-business: --brand-id is required");
        let s = Settings {
            in_file: true,
            ..Settings::default()
        };
        assert_eq!(
            message(&s),
            "apple-business: `org_id` and `brand_id` are required"
        );
        let fone = match build(Provider::FoneDynamics, &s, &env, Sharing::OneProvider) {
            Ok(_) => panic!("built without an account"),
            Err(failure) => failure.message,
        };
        assert_eq!(
            fone,
            "fone-dynamics: `account_sid` or TELNUMS_ACCOUNT_SID is required"
        );
    }

    #[test]
    fn blank_values_count_as_unset() {
        let env = [
            ("TELNUMS_WEBEX_CALLING_TOKEN", "  "),
            ("TELNUMS_TOKEN", "global"),
        ];
        assert_eq!(
            picked(&env, &Settings::default(), Sharing::OneProvider).as_deref(),
            Ok("global")
        );
    }
}
