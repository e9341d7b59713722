//! A string that never shows itself in `Debug`, `Display`, errors or logs.

use std::fmt;

use secrecy::{ExposeSecret, SecretString};

/// A credential (token, password, client secret).
///
/// `Debug` and `Display` print `[redacted]`; the value is only reachable through
/// [`Secret::expose`], which the runtime calls when it builds an `Authorization` header
/// (marked sensitive, so `reqwest` keeps it out of its own debug output too).
///
/// ```
/// let token = telnums_core::Secret::new("not-a-real-token");
/// assert_eq!(format!("{token} {token:?}"), "[redacted] Secret([redacted])");
/// ```
#[derive(Clone)]
pub struct Secret(SecretString);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        Self(SecretString::from(value.into()))
    }

    /// The secret itself. Do not log the result.
    pub fn expose(&self) -> &str {
        self.0.expose_secret()
    }

    /// True when the secret is the empty string.
    pub fn is_empty(&self) -> bool {
        self.expose().is_empty()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret([redacted])")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Self::new(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Self::new(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_shows_itself_but_can_be_used() {
        let secret = Secret::new("hunter2-not-a-real-secret");
        assert_eq!(format!("{secret}"), "[redacted]");
        assert_eq!(format!("{secret:?}"), "Secret([redacted])");
        // Inside other values' derived Debug, too.
        assert_eq!(format!("{:?}", Some(&secret)), "Some(Secret([redacted]))");
        assert_eq!(secret.expose(), "hunter2-not-a-real-secret");
        assert!(!secret.is_empty());
        assert_eq!(Secret::from("a").expose(), "a");
        assert_eq!(Secret::from(String::from("b")).expose(), "b");
        assert!(Secret::from("").is_empty());
        assert_eq!(secret.clone().expose(), secret.expose());
    }
}
