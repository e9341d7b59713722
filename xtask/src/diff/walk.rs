//! The two-document walker of `cargo xtask diff`: a place in both specs ([`At`]), and
//! the entries of a section matched between them ([`pairs`]) as removed, added or kept
//! ([`Pair`]). Every rule in [`super::spec`] and [`super::api`] is written against it.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::Side;
use crate::spec::{child, entries, Used};

/// The same place in both documents: its pointer in the old spec and in the new.
#[derive(Debug, Clone)]
pub struct At {
    pub old: String,
    pub new: String,
}

/// Which spec a change points into, and where.
pub type Loc = (Side, String);

impl At {
    /// A place given by its pointer in the old document and in the new.
    pub fn new(old: impl Into<String>, new: impl Into<String>) -> At {
        At {
            old: old.into(),
            new: new.into(),
        }
    }

    /// A place with the same pointer in both documents.
    pub fn same(pointer: &str) -> At {
        At::new(pointer, pointer)
    }

    /// `token` below this place, in both documents.
    pub fn child(&self, token: &str) -> At {
        At::new(child(&self.old, token), child(&self.new, token))
    }

    /// This place in the old document.
    pub fn in_old(&self) -> Loc {
        (Side::Old, self.old.clone())
    }

    /// This place in the new document.
    pub fn in_new(&self) -> Loc {
        (Side::New, self.new.clone())
    }

    /// `token` below this place, in the old document.
    pub fn old_at(&self, token: &str) -> Loc {
        (Side::Old, child(&self.old, token))
    }

    /// `token` below this place, in the new document.
    pub fn new_at(&self, token: &str) -> Loc {
        (Side::New, child(&self.new, token))
    }

    /// Where a changed value is pointed at: in the new document, unless it is gone there.
    pub fn kept(&self, in_new: bool) -> Loc {
        if in_new {
            self.in_new()
        } else {
            self.in_old()
        }
    }
}

/// One entry of a section, matched between the two documents.
#[derive(Debug)]
pub enum Pair<T> {
    /// Only in the old document.
    Removed(T),
    /// Only in the new document.
    Added(T),
    /// In both.
    Both(T, T),
}

impl<T> Pair<T> {
    /// Two optional values as a pair; `None` when both are absent.
    pub fn of(old: Option<T>, new: Option<T>) -> Option<Pair<T>> {
        match (old, new) {
            (Some(a), Some(b)) => Some(Pair::Both(a, b)),
            (Some(a), None) => Some(Pair::Removed(a)),
            (None, Some(b)) => Some(Pair::Added(b)),
            (None, None) => None,
        }
    }

    /// The same pair with `f` applied to each entry.
    pub fn map<U>(self, f: impl Fn(T) -> U) -> Pair<U> {
        match self {
            Pair::Removed(a) => Pair::Removed(f(a)),
            Pair::Added(b) => Pair::Added(f(b)),
            Pair::Both(a, b) => Pair::Both(f(a), f(b)),
        }
    }
}

/// Matches the entries of a section by key: the old document's in key order (removed or
/// kept), then the added ones. Where one side holds a key twice, its later entry counts.
pub fn pairs<K: Ord, T>(
    old: impl IntoIterator<Item = (K, T)>,
    new: impl IntoIterator<Item = (K, T)>,
) -> Vec<(K, Pair<T>)> {
    let mut new: BTreeMap<K, T> = new.into_iter().collect();
    let mut out: Vec<(K, Pair<T>)> = BTreeMap::from_iter(old)
        .into_iter()
        .map(|(k, a)| match new.remove(&k) {
            Some(b) => (k, Pair::Both(a, b)),
            None => (k, Pair::Removed(a)),
        })
        .collect();
    out.extend(new.into_iter().map(|(k, b)| (k, Pair::Added(b))));
    out
}

/// The members of an object in both documents, by name.
pub type Members<'v> = Vec<(String, Pair<Used<'v>>)>;

/// The members of the object `a[key]` and `b[key]` (at `at`), matched by name.
pub fn members<'v>(a: &'v Value, b: &'v Value, at: &At, key: &str) -> Members<'v> {
    let at = at.child(key);
    let side = |v: &'v Value, base: &str| {
        let used = |(k, value): (&String, &'v Value)| (k.clone(), Used::at(value, child(base, k)));
        entries(v.get(key)).map(used).collect::<Vec<_>>()
    };
    pairs(side(a, &at.old), side(b, &at.new))
}

/// The keys of `a` and `b` (objects) whose values differ, in key order.
pub fn changed_keys<'v>(
    a: &'v Value,
    b: &'v Value,
) -> Vec<(&'v str, Option<&'v Value>, Option<&'v Value>)> {
    let keys: BTreeSet<&str> = entries(Some(a))
        .chain(entries(Some(b)))
        .map(|(k, _)| k.as_str())
        .collect();
    keys.into_iter()
        .map(|k| (k, a.get(k), b.get(k)))
        .filter(|(_, x, y)| x != y)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn pairs_match_by_key_old_entries_first() {
        let got: Vec<String> = pairs([("b", 1), ("a", 2), ("a", 3)], [("c", 4), ("a", 5)])
            .into_iter()
            .map(|(k, p)| format!("{k}:{p:?}"))
            .collect();
        assert_eq!(got, ["a:Both(3, 5)", "b:Removed(1)", "c:Added(4)"]);
        let got: Vec<String> = pairs([("b", 1)], [("a", 2)])
            .into_iter()
            .map(|(k, p)| format!("{k}:{p:?}"))
            .collect();
        assert_eq!(got, ["b:Removed(1)", "a:Added(2)"], "removals first");
    }

    #[test]
    fn members_carry_their_pointers() {
        let (a, b) = (json!({"p": {"x/y": 1}}), json!({"p": {"x/y": 2, "z": 3}}));
        let got: Vec<String> = members(&a, &b, &At::new("/o", "/n"), "p")
            .into_iter()
            .map(|(k, p)| match p {
                Pair::Both(o, n) => format!("{k} {} {}", o.pointer, n.pointer),
                Pair::Added(n) => format!("{k} +{}", n.pointer),
                Pair::Removed(o) => format!("{k} -{}", o.pointer),
            })
            .collect();
        assert_eq!(got, ["x/y /o/p/x~1y /n/p/x~1y", "z +/n/p/z"]);
        assert_eq!(changed_keys(&a["p"], &b["p"]).len(), 2);
        assert!(changed_keys(&a, &a).is_empty());
    }
}
