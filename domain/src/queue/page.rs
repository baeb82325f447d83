//! A queue's total order and its pages.
//!
//! The order is the filter's `ORDER BY` fields, then newest first, then the work item's id, so
//! no two items tie and a keyset cursor (the last item's [`SortKey`]) says exactly where the
//! next page starts. Build the keys from the facts *as the viewer sees them*
//! ([`WorkItemFacts::as_seen`]), so a cursor, like the order, holds nothing hidden.

use std::cmp::Ordering;

use serde::{Deserialize, Serialize};

use super::{Field, OrderBy, QueueFilter, WorkItemFacts};
use crate::paging::{BadCursor, decode_cursor, encode_cursor};

/// One ORDER BY field's value for one item.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(untagged)]
enum Part {
    /// `created`, in unix milliseconds.
    Time(i64),
    /// A text field, lowercased; `None` when unset (no assignee, no visible customer).
    Text(Option<String>),
}

/// Where one work item stands in a filter's order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SortKey {
    #[serde(rename = "p")]
    parts: Vec<Part>,
    #[serde(rename = "c")]
    created: i64,
    #[serde(rename = "i")]
    id: String,
}

impl SortKey {
    /// The opaque cursor for the page after this item.
    pub fn encode(&self) -> String {
        encode_cursor(self)
    }
}

/// One page of a queue: the items, and the cursor of the next page when there is one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next: Option<SortKey>,
}

impl QueueFilter {
    /// The ORDER BY fields that can decide anything: a field repeated later never breaks a
    /// tie its first mention left, so only first mentions count.
    fn deciding_order(&self) -> Vec<OrderBy> {
        let mut seen = Vec::new();
        self.order
            .iter()
            .filter(|o| {
                let first = !seen.contains(&o.field);
                seen.push(o.field);
                first
            })
            .copied()
            .collect()
    }

    /// The item's place in this filter's order.
    pub fn sort_key(&self, facts: &WorkItemFacts, id: &str) -> SortKey {
        let text = |s: &str| Part::Text(Some(s.to_lowercase()));
        let parts = self
            .deciding_order()
            .iter()
            .map(|o| match o.field {
                Field::Created => Part::Time(facts.created),
                Field::Type => text(&facts.work_type),
                Field::Status => text(&facts.status),
                Field::Space => text(&facts.space),
                Field::Assignee => Part::Text(facts.assignee.as_ref().map(|p| p.0.to_lowercase())),
                Field::Customer => Part::Text(facts.customer.as_ref().map(|p| p.0.to_lowercase())),
            })
            .collect();
        SortKey {
            parts,
            created: facts.created,
            id: id.to_string(),
        }
    }

    /// The total order: the ORDER BY fields, then newest first, then by id.
    pub fn compare_keys(&self, a: &SortKey, b: &SortKey) -> Ordering {
        for ((order, x), y) in self.deciding_order().iter().zip(&a.parts).zip(&b.parts) {
            let by = x.cmp(y);
            let by = if order.descending { by.reverse() } else { by };
            if by != Ordering::Equal {
                return by;
            }
        }
        b.created.cmp(&a.created).then_with(|| a.id.cmp(&b.id))
    }

    /// Reads a cursor made by [`SortKey::encode`] for this filter's order; one made for another
    /// order (or not by Baton) is refused.
    pub fn decode_cursor(&self, cursor: &str) -> Result<SortKey, BadCursor> {
        let key: SortKey = decode_cursor(cursor)?;
        let order = self.deciding_order();
        let fits = key.parts.len() == order.len()
            && order.iter().zip(&key.parts).all(|(o, p)| match p {
                Part::Time(_) => o.field == Field::Created,
                Part::Text(_) => o.field != Field::Created,
            });
        if fits { Ok(key) } else { Err(BadCursor) }
    }

    /// The page of `items` (each with its key) that starts right after `after` (or at the
    /// top), at most `size` long, in this filter's order.
    pub fn page<T>(
        &self,
        items: Vec<(SortKey, T)>,
        after: Option<&SortKey>,
        size: usize,
    ) -> Page<T> {
        let mut items: Vec<(SortKey, T)> = items
            .into_iter()
            .filter(|(key, _)| after.is_none_or(|a| self.compare_keys(key, a) == Ordering::Greater))
            .collect();
        items.sort_by(|(a, _), (b, _)| self.compare_keys(a, b));
        let more = items.len() > size;
        items.truncate(size);
        let next = if more {
            items.last().map(|(key, _)| key.clone())
        } else {
            None
        };
        Page {
            items: items.into_iter().map(|(_, item)| item).collect(),
            next,
        }
    }
}
