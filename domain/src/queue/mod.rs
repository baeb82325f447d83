//! Queue filters: a JQL-style query language for the space's work items (SPEC R-VIEW-2).
//!
//! `type = Conversation AND status != Closed ORDER BY created DESC`
//!
//! Fields: `type`, `status`, `assignee`, `created`, `space`, `customer`. Operators: `=`, `!=`,
//! `IN (…)`, `NOT IN (…)`, `AND`, `OR`, `NOT`, parentheses, and `ORDER BY field [ASC|DESC], …`.
//! Keywords and field names are case-insensitive; values are bare words or quoted
//! (`status = "Waiting for agent"`); `EMPTY` matches an unset assignee or customer; `created`
//! compares calendar days (`created = 2026-11-22`, UTC). Parsed by a real grammar (winnow, see
//! `parser.rs`); a bad query gets a message that points at the position of the mistake.

mod eval;
mod page;
mod parser;
mod visible;

use std::fmt;

pub use eval::WorkItemFacts;
pub use page::{Page, SortKey};

/// The longest filter read, in characters; longer ones are refused before parsing.
pub const MAX_FILTER_CHARS: usize = 2_000;

/// How deeply `NOT` and parentheses may nest. The parser refuses deeper filters with their
/// position, so no filter can exhaust the stack (one request could otherwise abort the server).
pub const MAX_FILTER_NESTING: usize = 32;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Field {
    Type,
    Status,
    Assignee,
    Created,
    Space,
    Customer,
}

impl Field {
    pub const ALL: [Field; 6] = [
        Field::Type,
        Field::Status,
        Field::Assignee,
        Field::Created,
        Field::Space,
        Field::Customer,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Field::Type => "type",
            Field::Status => "status",
            Field::Assignee => "assignee",
            Field::Created => "created",
            Field::Space => "space",
            Field::Customer => "customer",
        }
    }
}

/// One condition or a combination of them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Expr {
    /// `field = v`, `field != v`, `field IN (v, …)`, `field NOT IN (v, …)`: the field matches
    /// any of `values`, or (when `negated`) none of them.
    Compare {
        field: Field,
        negated: bool,
        values: Vec<String>,
    },
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
    Not(Box<Expr>),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OrderBy {
    pub field: Field,
    pub descending: bool,
}

/// A parsed queue filter.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueueFilter {
    /// `None` matches every work item (a query with only `ORDER BY`, or an empty one).
    pub condition: Option<Expr>,
    pub order: Vec<OrderBy>,
}

/// Why a query could not be read, and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueryError {
    /// The character (not byte) offset of the mistake, from 0.
    pub position: usize,
    pub message: String,
    /// The query, kept to draw the pointer.
    pub query: String,
}

impl QueryError {
    /// The query with a caret under the mistake, for a monospaced error box.
    pub fn pointer(&self) -> String {
        format!("{}\n{}^", self.query, " ".repeat(self.position))
    }
}

impl fmt::Display for QueryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "The filter has a mistake at character {}: {}",
            self.position + 1,
            self.message
        )
    }
}

impl std::error::Error for QueryError {}

impl QueueFilter {
    pub fn parse(query: &str) -> Result<QueueFilter, QueryError> {
        parser::parse(query)
    }
}
