//! Matching and ordering work items with a parsed filter.

use std::cmp::Ordering;

use super::{Expr, Field, QueueFilter};

/// What a filter can see of a work item. Names and emails both identify people, so a query
/// can say `assignee = ada@example.com` or `assignee = "Ada Lovelace"`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WorkItemFacts {
    pub work_type: String,
    pub status: String,
    /// The assignee's display name and email, when there is one.
    pub assignee: Option<(String, String)>,
    /// Unix milliseconds.
    pub created: i64,
    pub space: String,
    /// The customer's display name and email, when there is one.
    pub customer: Option<(String, Option<String>)>,
}

impl QueueFilter {
    pub fn matches(&self, item: &WorkItemFacts) -> bool {
        self.condition.as_ref().is_none_or(|c| holds(c, item))
    }

    /// Sorts by the ORDER BY fields; items equal on all of them keep their order.
    pub fn sort<T>(&self, items: &mut [T], facts: impl Fn(&T) -> &WorkItemFacts) {
        items.sort_by(|a, b| {
            let (a, b) = (facts(a), facts(b));
            for order in &self.order {
                let by = compare(order.field, a, b);
                let by = if order.descending { by.reverse() } else { by };
                if by != Ordering::Equal {
                    return by;
                }
            }
            Ordering::Equal
        });
    }
}

fn holds(expr: &Expr, item: &WorkItemFacts) -> bool {
    match expr {
        Expr::And(a, b) => holds(a, item) && holds(b, item),
        Expr::Or(a, b) => holds(a, item) || holds(b, item),
        Expr::Not(inner) => !holds(inner, item),
        Expr::Compare {
            field,
            negated,
            values,
        } => values.iter().any(|v| field_is(*field, item, v)) != *negated,
    }
}

fn same(a: &str, b: &str) -> bool {
    a.trim().eq_ignore_ascii_case(b.trim())
}

fn field_is(field: Field, item: &WorkItemFacts, value: &str) -> bool {
    let empty = same(value, "EMPTY");
    match field {
        Field::Type => same(&item.work_type, value),
        Field::Status => same(&item.status, value),
        Field::Space => same(&item.space, value),
        Field::Assignee => match &item.assignee {
            None => empty,
            Some((name, email)) => same(name, value) || same(email, value),
        },
        Field::Customer => match &item.customer {
            None => empty,
            Some((name, email)) => {
                same(name, value) || email.as_deref().is_some_and(|e| same(e, value))
            }
        },
        Field::Created => {
            parse_day(value).is_some_and(|day| day == item.created.div_euclid(DAY_MS))
        }
    }
}

const DAY_MS: i64 = 86_400_000;

fn compare(field: Field, a: &WorkItemFacts, b: &WorkItemFacts) -> Ordering {
    let text = |s: &str| s.to_lowercase();
    match field {
        Field::Created => a.created.cmp(&b.created),
        Field::Type => text(&a.work_type).cmp(&text(&b.work_type)),
        Field::Status => text(&a.status).cmp(&text(&b.status)),
        Field::Space => text(&a.space).cmp(&text(&b.space)),
        Field::Assignee => a
            .assignee
            .as_ref()
            .map(|p| text(&p.0))
            .cmp(&b.assignee.as_ref().map(|p| text(&p.0))),
        Field::Customer => a
            .customer
            .as_ref()
            .map(|p| text(&p.0))
            .cmp(&b.customer.as_ref().map(|p| text(&p.0))),
    }
}

/// `YYYY-MM-DD` → days since 1970-01-01 (UTC), by the civil-calendar formula.
pub(super) fn parse_day(value: &str) -> Option<i64> {
    let mut parts = value.trim().split('-');
    let year: i64 = parts.next()?.parse().ok()?;
    let month: i64 = parts.next()?.parse().ok()?;
    let day: i64 = parts.next()?.parse().ok()?;
    if parts.next().is_some() || !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}
