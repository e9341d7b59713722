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
}
