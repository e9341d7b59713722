//! Building provider sources from flags, the environment and `telnums.toml`.
//!
//! Secrets come only from the environment: `TELNUMS_TOKEN` (or the variable a config
//! section names in `token_env`), `TELNUMS_ACCOUNT_SID` for Fone Dynamics, or the OAuth2
//! client-credential variables `TELNUMS_CLIENT_ID`, `TELNUMS_CLIENT_SECRET` and
//! `TELNUMS_TOKEN_URL`. They are never printed.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;
use telnums::core::{ClientBuilder, Provider as ClientProvider};
use telnums::{ClientCredentials, Provider, Secret, Source};

use crate::{Failure, ListArgs};

/// Credentials and ids read from the environment.
pub struct Env {
    vars: BTreeMap<String, String>,
}

impl Env {
    /// The process environment.
    pub fn from_process() -> Self {
        Self {
            vars: std::env::vars()
                .filter(|(k, _)| k.starts_with("TELNUMS_") || k.ends_with("_TOKEN"))
                .collect(),
        }
    }

    fn get(&self, name: &str) -> Option<&str> {
        self.vars
            .get(name)
            .map(String::as_str)
            .filter(|v| !v.trim().is_empty())
    }
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
}

impl Settings {
    fn from_args(args: &ListArgs) -> Self {
        Self {
            base_url: args.base_url.clone(),
            region: args.region.clone(),
            org_id: args.org_id.clone(),
            brand_id: args.brand_id.clone(),
            account_sid: args.account_sid.clone(),
            property_sid: args.property_sid.clone(),
            token_env: None,
        }
    }
}

/// The source for `provider` configured by the command-line flags.
pub fn source_from_args(provider: Provider, args: &ListArgs, env: &Env) -> Result<Source, Failure> {
    build(provider, &Settings::from_args(args), env)
}

/// Every source configured in the TOML file at `path`: one table per provider key.
pub fn sources_from_file(path: &Path, args: &ListArgs) -> Result<Vec<Source>, Failure> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Failure::usage(format!("cannot read {}: {e}", path.display())))?;
    let tables: BTreeMap<String, Settings> = toml::from_str(&text)
        .map_err(|e| Failure::usage(format!("{}: {}", path.display(), e.message())))?;
    if tables.is_empty() {
        return Err(Failure::usage(format!(
            "{} configures no provider",
            path.display()
        )));
    }
    let env = Env::from_process();
    let mut sources = Vec::new();
    for (key, mut settings) in tables {
        let provider: Provider = key
            .parse()
            .map_err(|e: String| Failure::usage(format!("{}: {e}", path.display())))?;
        // A --base-url on the command line overrides every section (handy for mocks).
        if args.base_url.is_some() {
            settings.base_url = args.base_url.clone();
        }
        sources.push(build(provider, &settings, &env)?);
    }
    Ok(sources)
}

fn credentials(provider: Provider, s: &Settings, env: &Env) -> Result<Credential, Failure> {
    if let (Some(id), Some(secret), Some(url)) = (
        env.get("TELNUMS_CLIENT_ID"),
        env.get("TELNUMS_CLIENT_SECRET"),
        env.get("TELNUMS_TOKEN_URL"),
    ) {
        let mut cc = ClientCredentials::new(url, id, Secret::new(secret));
        if provider == Provider::ZoomPhone {
            if let Some(account) = env.get("TELNUMS_ZOOM_ACCOUNT_ID") {
                cc = cc
                    .grant_type("account_credentials")
                    .param("account_id", account);
            }
        }
        return Ok(Credential::OAuth(Box::new(cc)));
    }
    let var = s.token_env.as_deref().unwrap_or("TELNUMS_TOKEN");
    let token = env.get(var).ok_or_else(|| {
        Failure::usage(format!(
            "{provider}: set {var} (or TELNUMS_CLIENT_ID, TELNUMS_CLIENT_SECRET and TELNUMS_TOKEN_URL)"
        ))
    })?;
    Ok(Credential::Token(Secret::new(token)))
}

enum Credential {
    Token(Secret),
    OAuth(Box<ClientCredentials>),
}

fn configure<P: ClientProvider>(
    mut builder: ClientBuilder<P>,
    base_url: Option<&str>,
    credential: Credential,
) -> Result<P, Failure> {
    if let Some(url) = base_url {
        builder = builder.base_url(url);
    }
    builder = match credential {
        Credential::Token(token) => builder.bearer_token(token),
        Credential::OAuth(cc) => builder.credentials(*cc),
    };
    builder.build().map_err(|e| Failure::usage(e.to_string()))
}

fn require<'a>(provider: Provider, value: Option<&'a str>, flag: &str) -> Result<&'a str, Failure> {
    value.ok_or_else(|| Failure::usage(format!("{provider}: {flag} is required")))
}

fn build(provider: Provider, s: &Settings, env: &Env) -> Result<Source, Failure> {
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
                url,
                credentials(provider, s, env)?,
            )?;
            Source::VonageCc(client)
        }
        Provider::WebexCalling => {
            let client = configure(
                webex_calling::WebexClient::builder(),
                base,
                credentials(provider, s, env)?,
            )?;
            Source::webex_calling(client, s.org_id.clone())
        }
        Provider::FoneDynamics => {
            let account = s.account_sid.as_deref().or(env.get("TELNUMS_ACCOUNT_SID"));
            let account = require(provider, account, "--account-sid or TELNUMS_ACCOUNT_SID")?;
            let token_var = s.token_env.as_deref().unwrap_or("TELNUMS_TOKEN");
            let token = require(provider, env.get(token_var), token_var)?;
            let mut builder = fone_dynamics::FoneDynamicsClient::builder()
                .basic_auth(account, Secret::new(token));
            if let Some(url) = base {
                builder = builder.base_url(url);
            }
            let client = builder.build().map_err(|e| Failure::usage(e.to_string()))?;
            let scope = match &s.property_sid {
                Some(p) => fone_dynamics::Scope::Property(p.clone()),
                None => fone_dynamics::Scope::Account(account.to_owned()),
            };
            Source::FoneDynamics { client, scope }
        }
        Provider::AppleBusiness => {
            let org_id = require(provider, s.org_id.as_deref(), "--org-id")?.to_owned();
            let brand_id = require(provider, s.brand_id.as_deref(), "--brand-id")?.to_owned();
            let client = configure(
                apple_business::AppleBusinessClient::builder(),
                base,
                credentials(provider, s, env)?,
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
                base,
                credentials(provider, s, env)?,
            )?;
            Source::ZoomPhone(client)
        }
    })
}
