//! A typed builder for the caller-ID `ql` filter: clauses `field<op>value` joined by `;`.

use std::fmt;

/// A field the caller-ID query language can filter on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum QlField {
    /// `id`
    Id,
    /// `state`
    State,
    /// `createdDate`
    CreatedDate,
    /// `updatedDate`
    UpdatedDate,
    /// `callerIdDetails.phoneNumber` (E.164 with the leading `+`)
    PhoneNumber,
    /// `callerIdDetails.department`
    Department,
}

impl QlField {
    /// Every field, in the spec's order.
    pub const ALL: [QlField; 6] = [
        QlField::Id,
        QlField::State,
        QlField::CreatedDate,
        QlField::UpdatedDate,
        QlField::PhoneNumber,
        QlField::Department,
    ];

    /// The name on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            QlField::Id => "id",
            QlField::State => "state",
            QlField::CreatedDate => "createdDate",
            QlField::UpdatedDate => "updatedDate",
            QlField::PhoneNumber => "callerIdDetails.phoneNumber",
            QlField::Department => "callerIdDetails.department",
        }
    }
}

/// A comparison operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum QlOp {
    /// `==`
    Eq,
    /// `=gt=`
    Gt,
    /// `=ge=`
    Ge,
    /// `=lt=`
    Lt,
    /// `=le=`
    Le,
}

impl QlOp {
    /// Every operator.
    pub const ALL: [QlOp; 5] = [QlOp::Eq, QlOp::Gt, QlOp::Ge, QlOp::Lt, QlOp::Le];

    /// The operator on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            QlOp::Eq => "==",
            QlOp::Gt => "=gt=",
            QlOp::Ge => "=ge=",
            QlOp::Lt => "=lt=",
            QlOp::Le => "=le=",
        }
    }
}

impl std::str::FromStr for QlField {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        QlField::ALL
            .into_iter()
            .find(|f| f.as_str() == s)
            .ok_or_else(|| {
                let names: Vec<_> = QlField::ALL.iter().map(|f| f.as_str()).collect();
                format!("unknown ql field `{s}` (fields: {})", names.join(", "))
            })
    }
}

/// The operators, for messages.
fn op_names() -> String {
    let names: Vec<_> = QlOp::ALL.iter().map(|o| o.as_str()).collect();
    names.join(" ")
}

/// Parses one clause, `field<op>value` (e.g. `state==PUBLISHED`), checking the field and
/// operator against the ones the API documents.
fn parse_clause(clause: &str) -> Result<(QlField, QlOp, String), String> {
    let clause = clause.trim();
    let Some(at) = clause.find('=') else {
        return Err(format!(
            "ql clause `{clause}` has no operator (operators: {})",
            op_names()
        ));
    };
    let field: QlField = clause[..at].trim().parse()?;
    let rest = &clause[at..];
    let op = QlOp::ALL
        .into_iter()
        .find(|op| rest.starts_with(op.as_str()))
        .ok_or_else(|| {
            format!(
                "ql clause `{clause}` has no known operator (operators: {})",
                op_names()
            )
        })?;
    let value = &rest[op.as_str().len()..];
    let ql = Ql::new().clause(field, op, value);
    ql.validate()?;
    Ok((field, op, value.to_owned()))
}

/// Checks one clause as [`Ql`]'s parser does; the generated filter table uses it for the
/// `ql` filter.
pub fn check_clause(clause: &str) -> Result<(), String> {
    parse_clause(clause).map(drop)
}

/// A `ql` filter. Clauses are ANDed (joined by `;`). The value is sent as given; the
/// client percent-encodes the whole parameter, so a `+` reaches the server as `%2B`.
///
/// ```
/// use telnums_apple_business::{Ql, QlField, QlOp};
/// let q = Ql::new()
///     .eq(QlField::PhoneNumber, "+18005555555")
///     .clause(QlField::CreatedDate, QlOp::Gt, "2024-10-30T00:00:00Z");
/// assert_eq!(q.to_string(), "callerIdDetails.phoneNumber==+18005555555;createdDate=gt=2024-10-30T00:00:00Z");
/// assert!(q.validate().is_ok());
/// assert!(Ql::new().eq(QlField::Id, "a;b").validate().is_err());
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Ql {
    clauses: Vec<(QlField, QlOp, String)>,
}

impl Ql {
    /// An empty filter.
    pub fn new() -> Self {
        Self::default()
    }
    /// Adds `field op value`.
    pub fn clause(mut self, field: QlField, op: QlOp, value: impl fmt::Display) -> Self {
        self.clauses.push((field, op, value.to_string()));
        self
    }
    /// Adds `field==value`.
    pub fn eq(self, field: QlField, value: impl fmt::Display) -> Self {
        self.clause(field, QlOp::Eq, value)
    }
    /// Adds every clause of `other`.
    pub fn and(mut self, other: Ql) -> Self {
        self.clauses.extend(other.clauses);
        self
    }
    /// True when there are no clauses.
    pub fn is_empty(&self) -> bool {
        self.clauses.is_empty()
    }
    /// Checks that every value can be expressed: not empty, and without `;` (which would
    /// start a new clause).
    pub fn validate(&self) -> Result<(), String> {
        for (field, _, value) in &self.clauses {
            if value.is_empty() {
                return Err(format!("ql: empty value for `{}`", field.as_str()));
            }
            if value.contains(';') {
                return Err(format!("ql: value for `{}` contains `;`", field.as_str()));
            }
        }
        Ok(())
    }
}

/// Parses clauses joined by `;`, each checked against the documented fields and
/// operators.
///
/// ```
/// use telnums_apple_business::{Ql, QlField, QlOp};
/// let q: Ql = "state==PUBLISHED;createdDate=gt=2024-10-30T00:00:00Z".parse().unwrap();
/// assert_eq!(q, Ql::new().eq(QlField::State, "PUBLISHED")
///     .clause(QlField::CreatedDate, QlOp::Gt, "2024-10-30T00:00:00Z"));
/// assert!("colour==red".parse::<Ql>().unwrap_err().contains("callerIdDetails.phoneNumber"));
/// assert!("state=PUBLISHED".parse::<Ql>().unwrap_err().contains("=gt="));
/// ```
impl std::str::FromStr for Ql {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let mut ql = Ql::new();
        for clause in s.split(';') {
            let (field, op, value) = parse_clause(clause)?;
            ql = ql.clause(field, op, value);
        }
        Ok(ql)
    }
}

impl fmt::Display for Ql {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, (field, op, value)) in self.clauses.iter().enumerate() {
            if i > 0 {
                f.write_str(";")?;
            }
            write!(f, "{}{}{}", field.as_str(), op.as_str(), value)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_and_operator_parses_back() {
        for field in QlField::ALL {
            for op in QlOp::ALL {
                let text = format!("{}{}v=1", field.as_str(), op.as_str());
                let parsed: Ql = text.parse().expect(&text);
                assert_eq!(parsed, Ql::new().clause(field, op, "v=1"), "{text}");
                assert_eq!(parsed.to_string(), text);
            }
        }
    }

    #[test]
    fn refusals_name_the_choices() {
        for (text, expected) in [
            ("colour==red", "fields: id, state, createdDate"),
            ("state=PUBLISHED", "operators: == =gt= =ge= =lt= =le="),
            ("state", "has no operator"),
            ("state==", "empty value"),
            ("state==A;", "has no operator"),
            ("", "has no operator"),
        ] {
            let err = text.parse::<Ql>().expect_err(text);
            assert!(err.contains(expected), "{text}: {err}");
        }
    }

    #[test]
    fn every_field_and_operator_on_the_wire() {
        let fields = [
            (QlField::Id, "id"),
            (QlField::State, "state"),
            (QlField::CreatedDate, "createdDate"),
            (QlField::UpdatedDate, "updatedDate"),
            (QlField::PhoneNumber, "callerIdDetails.phoneNumber"),
            (QlField::Department, "callerIdDetails.department"),
        ];
        let ops = [
            (QlOp::Eq, "=="),
            (QlOp::Gt, "=gt="),
            (QlOp::Ge, "=ge="),
            (QlOp::Lt, "=lt="),
            (QlOp::Le, "=le="),
        ];
        for (field, name) in fields {
            assert_eq!(field.as_str(), name);
            for (op, text) in ops {
                assert_eq!(op.as_str(), text);
                let q = Ql::new().clause(field, op, "v");
                assert_eq!(q.to_string(), format!("{name}{text}v"));
            }
        }
    }

    #[test]
    fn clauses_join_with_semicolons_and_bad_values_are_refused() {
        let q = Ql::new();
        assert!(q.is_empty());
        assert_eq!(q.to_string(), "");
        assert_eq!(q.validate(), Ok(()));
        let q = q
            .eq(QlField::State, "PUBLISHED")
            .clause(QlField::CreatedDate, QlOp::Ge, 2024)
            .eq(QlField::Id, "9");
        assert!(!q.is_empty());
        assert_eq!(q.to_string(), "state==PUBLISHED;createdDate=ge=2024;id==9");
        assert_eq!(q.validate(), Ok(()));
        assert_eq!(
            Ql::new().eq(QlField::Id, "").validate(),
            Err("ql: empty value for `id`".to_owned())
        );
        assert_eq!(
            Ql::new()
                .eq(QlField::State, "A")
                .eq(QlField::Department, "x;y")
                .validate(),
            Err("ql: value for `callerIdDetails.department` contains `;`".to_owned())
        );
    }

    #[test]
    fn check_clause_is_the_parser_and_and_joins() {
        assert_eq!(check_clause("state==PUBLISHED"), Ok(()));
        assert_eq!(check_clause(" createdDate=ge=2024-01-01 "), Ok(()));
        let err = check_clause("colour==red").expect_err("unknown field");
        assert!(err.contains("colour"), "{err}");
        assert!(check_clause("state==").is_err());
        assert!(check_clause("state=~x").is_err());
        let q = Ql::new().eq(QlField::State, "PUBLISHED").and(
            Ql::new()
                .eq(QlField::Id, "7")
                .eq(QlField::Department, "Sales"),
        );
        assert_eq!(
            q.to_string(),
            "state==PUBLISHED;id==7;callerIdDetails.department==Sales"
        );
        assert_eq!(Ql::new().and(Ql::new()), Ql::new());
    }
}
