//! Query filters of the list operations: the table each provider crate generates from its
//! spec (`crates/<key>/src/filters.rs`, written by `cargo xtask generate`), and
//! [`Filters`], a set of values checked against such a table.
//!
//! The table is data, so that a command line, a config file or any other front end can
//! offer every documented filter without a hand-written list per provider. The values
//! reach the wire through the generated client's own typed setters (each provider crate's
//! generated `apply_*` functions), so they are encoded exactly as a typed call would be.

use std::fmt;

use crate::{Error, ErrorKind};

/// The kind of value a query parameter takes (per item, for lists).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParamType {
    /// Text; when [`QueryParam::values`] is not empty, one of those values (or any text
    /// for an [open](QueryParam::open) list).
    String,
    /// `true` or `false`.
    Boolean,
    /// A whole number within the documented bounds.
    Integer {
        /// The spec's `minimum`.
        min: Option<i64>,
        /// The spec's `maximum`.
        max: Option<i64>,
    },
}

/// Extra validation of one filter value: `Err` says why it is refused, naming what is
/// allowed.
pub type CheckFn = fn(&str) -> Result<(), String>;

/// One documented query parameter of a provider's list operations, as the spec describes
/// it. The generated tables are `static`s of these.
#[derive(Debug)]
pub struct QueryParam {
    /// The name on the wire, e.g. `ownerType` or `Capabilites`.
    pub name: &'static str,
    /// The kebab-case name front ends use (`owner-type`, `capabilities`); the config
    /// file takes it with `_` for `-`.
    pub flag: &'static str,
    /// The first paragraph of the spec's description, on one line.
    pub summary: &'static str,
    /// The spec's whole description, without the list of values.
    pub description: &'static str,
    /// The kind of value.
    pub ty: ParamType,
    /// The documented values with their descriptions; empty when any value of
    /// [`ty`](Self::ty) is allowed.
    pub values: &'static [(&'static str, &'static str)],
    /// Whether values not in [`values`](Self::values) are accepted too (the spec marks the
    /// parameter `x-open-enum: true` because the provider adds values over time).
    pub open: bool,
    /// For lists: the character joining the items in the one query value (`,` for the
    /// spec's `style: form, explode: false` arrays).
    pub separator: Option<char>,
    /// Extra validation of each item, returning why it is refused (Apple's `ql` clauses).
    pub check: Option<CheckFn>,
}

impl QueryParam {
    /// Whether `name` names this parameter: its wire name, its flag, or the flag with `_`
    /// for `-`.
    pub fn answers_to(&self, name: &str) -> bool {
        name == self.name
            || name == self.flag
            || (name.len() == self.flag.len()
                && name
                    .bytes()
                    .zip(self.flag.bytes())
                    .all(|(a, b)| a == b || (a == b'_' && b == b'-')))
    }

    /// Whether several values may be given (sent joined by [`separator`](Self::separator)).
    pub fn is_list(&self) -> bool {
        self.separator.is_some()
    }

    /// The documented values, comma-separated.
    pub fn value_names(&self) -> String {
        self.values
            .iter()
            .map(|(v, _)| *v)
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Checks one item and returns it as it goes on the wire (a documented value in the
    /// spec's spelling when it matches one ignoring case).
    fn item(&'static self, provider: &'static str, raw: &str) -> Result<String, FilterError> {
        let bad = |reason: String| FilterError::BadValue {
            provider,
            filter: self.flag,
            value: raw.to_owned(),
            reason,
        };
        let value = raw.trim();
        if value.is_empty() {
            return Err(bad("empty value".to_owned()));
        }
        let not = |what: &str| bad(format!("`{value}` is not {what}"));
        let value = match self.ty {
            ParamType::Boolean => match value.to_ascii_lowercase().as_str() {
                v @ ("true" | "false") => v.to_owned(),
                _ => return Err(not("true or false")),
            },
            ParamType::Integer { min, max } => {
                let range = match (min, max) {
                    (Some(a), Some(b)) => format!("a whole number from {a} to {b}"),
                    (Some(a), None) => format!("a whole number of at least {a}"),
                    (None, Some(b)) => format!("a whole number of at most {b}"),
                    (None, None) => "a whole number".to_owned(),
                };
                let n: i64 = value.parse().map_err(|_| not(&range))?;
                if min.is_some_and(|m| n < m) || max.is_some_and(|m| n > m) {
                    return Err(not(&range));
                }
                n.to_string()
            }
            ParamType::String => {
                let known = self
                    .values
                    .iter()
                    .find(|(v, _)| v.eq_ignore_ascii_case(value))
                    .map(|(v, _)| (*v).to_owned());
                match known {
                    Some(v) => v,
                    None if self.values.is_empty() || self.open => value.to_owned(),
                    None => return Err(not(&format!("one of {}", self.value_names()))),
                }
            }
        };
        if let Some(check) = self.check {
            check(&value).map_err(bad)?;
        }
        Ok(value)
    }
}

/// The filterable query parameters of one provider's list operations.
#[derive(Debug)]
pub struct FilterTable {
    /// The provider key.
    pub provider: &'static str,
    /// The parameters, in the spec's order. Paging parameters and the ones the client
    /// sets itself are not here.
    pub params: &'static [QueryParam],
}

impl FilterTable {
    /// The parameter `name` names (see [`QueryParam::answers_to`]).
    pub fn find(&self, name: &str) -> Option<&'static QueryParam> {
        // The tables are `static`, so their rows are too.
        let params: &'static [QueryParam] = self.params;
        params.iter().find(|p| p.answers_to(name))
    }

    /// The flags of every parameter, comma-separated.
    pub fn flag_names(&self) -> String {
        self.params
            .iter()
            .map(|p| p.flag)
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// Filter values checked against one provider's [`FilterTable`]. Hand them to that
/// provider's listing (`.filters(…)`); they apply to every page.
///
/// ```
/// # use telnums_core::filter::{FilterTable, Filters, ParamType, QueryParam};
/// static TABLE: FilterTable = FilterTable {
///     provider: "example",
///     params: &[QueryParam {
///         name: "numberType", flag: "number-type", summary: "", description: "",
///         ty: ParamType::String, values: &[("toll", ""), ("tollfree", "")],
///         open: false, separator: None, check: None,
///     }],
/// };
/// let mut filters = Filters::new(&TABLE);
/// filters.set("number_type", "TOLLFREE")?;
/// assert_eq!(filters.get("numberType"), Some("tollfree"));
/// assert!(filters.set("number-type", "premium").is_err());
/// assert!(filters.set("colour", "red").is_err());
/// # Ok::<(), telnums_core::filter::FilterError>(())
/// ```
#[derive(Clone)]
pub struct Filters {
    table: &'static FilterTable,
    /// `(index into table.params, the value as sent)`, in table order.
    values: Vec<(usize, String)>,
}

impl Filters {
    /// No filters yet, for the provider of `table`.
    pub fn new(table: &'static FilterTable) -> Self {
        Self {
            table,
            values: Vec::new(),
        }
    }

    /// The table the values are checked against.
    pub fn table(&self) -> &'static FilterTable {
        self.table
    }

    /// The provider key.
    pub fn provider(&self) -> &'static str {
        self.table.provider
    }

    /// Sets filter `name` (wire name or flag) to `value`. For a list parameter the value
    /// may hold several items joined by its separator, and repeated calls add items; for
    /// any other, a call replaces the previous value. Nothing changes on error.
    pub fn set(&mut self, name: &str, value: &str) -> Result<&mut Self, FilterError> {
        let table = self.table;
        let Some(index) = table.params.iter().position(|p| p.answers_to(name)) else {
            return Err(FilterError::UnknownName {
                provider: table.provider,
                name: name.to_owned(),
                known: table.flag_names(),
            });
        };
        let param: &'static QueryParam = &table.params[index];
        let checked = match param.separator {
            Some(sep) => {
                let items = value
                    .split(sep)
                    .map(|item| param.item(table.provider, item))
                    .collect::<Result<Vec<_>, _>>()?;
                items.join(&sep.to_string())
            }
            None => param.item(table.provider, value)?,
        };
        match self.values.iter_mut().find(|(i, _)| *i == index) {
            Some((_, existing)) => match param.separator {
                Some(sep) => {
                    existing.push(sep);
                    existing.push_str(&checked);
                }
                None => *existing = checked,
            },
            None => {
                let at = self.values.partition_point(|(i, _)| *i < index);
                self.values.insert(at, (index, checked));
            }
        }
        Ok(self)
    }

    /// The value that will be sent for `name` (wire name or flag), list items joined.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.iter()
            .find(|(p, _)| p.answers_to(name))
            .map(|(_, v)| v)
    }

    /// Every set parameter with the value that will be sent, in the table's order.
    pub fn iter(&self) -> impl Iterator<Item = (&'static QueryParam, &str)> + '_ {
        let params: &'static [QueryParam] = self.table.params;
        self.values
            .iter()
            .map(move |(i, v)| (&params[*i], v.as_str()))
    }

    /// True when no filter is set.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// Fails with [`ErrorKind::InvalidRequest`] unless these filters are `provider`'s
    /// (called by the generated `apply_*` functions, before anything is sent).
    pub fn check_provider(&self, provider: &'static str) -> Result<(), Error> {
        if self.table.provider == provider || self.values.is_empty() {
            Ok(())
        } else {
            Err(
                Error::new(provider, ErrorKind::InvalidRequest).with_message(format!(
                    "filters checked against {}'s parameters cannot be sent to {provider}",
                    self.table.provider
                )),
            )
        }
    }
}

impl fmt::Debug for Filters {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map()
            .entries(self.iter().map(|(p, v)| (p.name, v)))
            .finish()
    }
}

impl PartialEq for Filters {
    fn eq(&self, other: &Self) -> bool {
        self.table.provider == other.table.provider && self.values == other.values
    }
}

impl Eq for Filters {}

/// The text a typed query value is sent as: a string value's text, any other value's JSON
/// (`true`, `12`), nothing for `null`. Generated enums serialise to their wire names, so
/// this is the wire form of known and unknown values alike.
pub fn wire_text<T: serde::Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        Ok(serde_json::Value::Null) | Err(_) => String::new(),
        Ok(other) => other.to_string(),
    }
}

/// `values` in their [wire form](wire_text), each once in the order given, joined by
/// `separator` (a comma-joined query list).
pub fn join_wire<T: serde::Serialize>(values: &[T], separator: char) -> String {
    let mut seen: Vec<String> = Vec::with_capacity(values.len());
    for v in values {
        let text = wire_text(v);
        if !seen.contains(&text) {
            seen.push(text);
        }
    }
    seen.join(&separator.to_string())
}

/// A filter that is not in the table, or a value the table does not allow.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum FilterError {
    /// No parameter of the provider has this name.
    UnknownName {
        /// The provider key.
        provider: &'static str,
        /// The name given.
        name: String,
        /// The provider's filters, comma-separated (empty when it has none).
        known: String,
    },
    /// The value (one item, for a list) is not allowed.
    BadValue {
        /// The provider key.
        provider: &'static str,
        /// The filter's flag name.
        filter: &'static str,
        /// The value given.
        value: String,
        /// Why, naming what is allowed.
        reason: String,
    },
}

impl fmt::Display for FilterError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FilterError::UnknownName {
                provider,
                name,
                known,
            } if known.is_empty() => {
                write!(
                    f,
                    "{provider}: unknown filter `{name}` ({provider} has none)"
                )
            }
            FilterError::UnknownName {
                provider,
                name,
                known,
            } => write!(
                f,
                "{provider}: unknown filter `{name}` (its filters: {known})"
            ),
            FilterError::BadValue {
                provider,
                filter,
                reason,
                ..
            } => write!(f, "{provider}: {filter}: {reason}"),
        }
    }
}

impl std::error::Error for FilterError {}

#[cfg(test)]
mod tests {
    use super::*;

    fn clause(s: &str) -> Result<(), String> {
        if s.contains("==") {
            Ok(())
        } else {
            Err(format!("`{s}` has no =="))
        }
    }

    static TABLE: FilterTable = FilterTable {
        provider: "test",
        params: &[
            QueryParam {
                name: "ownerType",
                flag: "owner-type",
                summary: "",
                description: "",
                ty: ParamType::String,
                values: &[("PEOPLE", ""), ("PLACE", "")],
                open: true,
                separator: None,
                check: None,
            },
            QueryParam {
                name: "state",
                flag: "state",
                summary: "",
                description: "",
                ty: ParamType::String,
                values: &[("ACTIVE", ""), ("INACTIVE", "")],
                open: false,
                separator: None,
                check: None,
            },
            QueryParam {
                name: "Capabilites",
                flag: "capabilities",
                summary: "",
                description: "",
                ty: ParamType::String,
                values: &[("Voice", ""), ("SMS", "")],
                open: false,
                separator: Some(','),
                check: None,
            },
            QueryParam {
                name: "available",
                flag: "available",
                summary: "",
                description: "",
                ty: ParamType::Boolean,
                values: &[],
                open: false,
                separator: None,
                check: None,
            },
            QueryParam {
                name: "size",
                flag: "size",
                summary: "",
                description: "",
                ty: ParamType::Integer {
                    min: Some(1),
                    max: Some(100),
                },
                values: &[],
                open: false,
                separator: None,
                check: None,
            },
            QueryParam {
                name: "ql",
                flag: "ql",
                summary: "",
                description: "",
                ty: ParamType::String,
                values: &[],
                open: false,
                separator: Some(';'),
                check: Some(clause),
            },
        ],
    };

    fn sent(f: &Filters) -> Vec<(&'static str, String)> {
        f.iter().map(|(p, v)| (p.name, v.to_owned())).collect()
    }

    #[test]
    fn names_values_and_order() {
        let mut f = Filters::new(&TABLE);
        f.set("available", "TRUE").expect("bool");
        f.set("owner_type", "people").expect("known, any case");
        f.set("capabilities", "voice,SMS").expect("list");
        f.set("Capabilites", "Voice").expect("wire name; appends");
        f.set("state", "ACTIVE").expect("closed");
        f.set("state", "inactive").expect("replaces");
        f.set("size", "100").expect("in range");
        assert_eq!(
            sent(&f),
            [
                ("ownerType", "PEOPLE".to_owned()),
                ("state", "INACTIVE".to_owned()),
                ("Capabilites", "Voice,SMS,Voice".to_owned()),
                ("available", "true".to_owned()),
                ("size", "100".to_owned()),
            ]
        );
        assert_eq!(f.get("owner-type"), Some("PEOPLE"));
        assert_eq!(f.get("ql"), None);
    }

    #[test]
    fn a_name_is_the_wire_name_the_flag_or_the_flag_with_underscores() {
        let owner = TABLE.find("owner_type").expect("flag with `_`");
        assert_eq!(owner.name, "ownerType");
        assert!(owner.answers_to("ownerType") && owner.answers_to("owner-type"));
        // Same length as the flag but another text: `_` stands only for `-`.
        for other in [
            "owner-typo",
            "owner_typo",
            "ownerXtype",
            "owner-type-",
            "owner",
        ] {
            assert!(!owner.answers_to(other), "{other}");
        }
        let state = TABLE.find("state").expect("wire name");
        assert!(!state.answers_to("st_te"), "`_` for a letter");
        assert!(TABLE.find("colour").is_none());
        assert!(TABLE.find("capabilities").expect("flag").is_list());
        assert!(!state.is_list());
    }

    #[test]
    fn filters_are_equal_when_provider_and_values_are() {
        static TWIN: FilterTable = FilterTable {
            provider: "twin",
            params: TABLE.params,
        };
        let with = |table: &'static FilterTable, state: &str| {
            let mut f = Filters::new(table);
            f.set("state", state).expect("documented");
            f
        };
        assert_eq!(with(&TABLE, "ACTIVE").provider(), "test");
        assert_eq!(with(&TABLE, "ACTIVE"), with(&TABLE, "active"));
        assert_ne!(with(&TABLE, "ACTIVE"), with(&TABLE, "INACTIVE"));
        assert_ne!(with(&TABLE, "ACTIVE"), with(&TWIN, "ACTIVE"));
        assert_eq!(
            format!("{:?}", with(&TWIN, "ACTIVE")),
            r#"{"state": "ACTIVE"}"#
        );
    }

    #[test]
    fn typed_values_are_sent_as_their_wire_text_each_once() {
        assert_eq!(wire_text(&"PEOPLE"), "PEOPLE");
        assert_eq!(wire_text(&true), "true");
        assert_eq!(wire_text(&12), "12");
        assert_eq!(wire_text(&None::<String>), "");
        assert_eq!(
            join_wire(&["Voice", "SMS", "Voice", "MMS"], ','),
            "Voice,SMS,MMS"
        );
        assert_eq!(join_wire::<&str>(&[], ','), "");
    }

    #[test]
    fn integer_bounds_are_inclusive() {
        let mut f = Filters::new(&TABLE);
        f.set("size", "1").expect("the minimum");
        assert_eq!(f.get("size"), Some("1"));
        f.set("size", "100").expect("the maximum");
        assert_eq!(f.get("size"), Some("100"));
    }

    #[test]
    fn open_lists_keep_unknown_values() {
        let mut f = Filters::new(&TABLE);
        f.set("owner-type", "BRAND_NEW").expect("open");
        assert_eq!(f.get("ownerType"), Some("BRAND_NEW"));
    }

    #[test]
    fn refusals_name_what_is_allowed_and_change_nothing() {
        let mut f = Filters::new(&TABLE);
        f.set("capabilities", "Voice").expect("ok");
        let cases = [
            ("state", "GONE", "one of ACTIVE, INACTIVE"),
            ("capabilities", "Voice,Fax", "one of Voice, SMS"),
            ("capabilities", "Voice,,SMS", "empty value"),
            ("available", "yes", "true or false"),
            ("size", "0", "a whole number from 1 to 100"),
            ("size", "101", "a whole number from 1 to 100"),
            ("size", "ten", "a whole number from 1 to 100"),
            ("ql", "state=X", "`state=X` has no =="),
            ("state", " ", "empty value"),
            ("state", "GONE", "`GONE` is not one of"),
        ];
        for (name, value, expected) in cases {
            let err = f.set(name, value).expect_err(value);
            let text = err.to_string();
            assert!(text.contains(expected), "{name}={value}: {text}");
            assert!(text.starts_with("test: "), "{text}");
        }
        assert_eq!(f.get("capabilities"), Some("Voice"), "unchanged");
        let err = f.set("colour", "red").expect_err("unknown");
        assert_eq!(
            err.to_string(),
            "test: unknown filter `colour` (its filters: owner-type, state, capabilities, available, size, ql)"
        );
    }

    #[test]
    fn other_providers_filters_are_refused_before_sending() {
        static OTHER: FilterTable = FilterTable {
            provider: "other",
            params: &[],
        };
        let mut f = Filters::new(&TABLE);
        assert!(
            f.check_provider("other").is_ok(),
            "empty filters are harmless"
        );
        f.set("state", "ACTIVE").expect("ok");
        assert!(f.check_provider("test").is_ok());
        let err = f.check_provider("other").expect_err("mismatch");
        assert_eq!(err.kind(), &ErrorKind::InvalidRequest);
        let err = Filters::new(&OTHER).set("state", "x").expect_err("none");
        assert_eq!(
            err.to_string(),
            "other: unknown filter `state` (other has none)"
        );
    }
}
