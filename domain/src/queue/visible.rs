//! What a filter may see of a work item, per viewer (SPEC R-VIEW-3).
//!
//! A conversation the viewer may not read still "exists in a queue": its type, status,
//! assignee, space and date are everyone's in the space. Its customer is not. If the filter
//! were evaluated on the stored customer, `customer = "casey@example.com"` would tell the
//! viewer that Casey has a conversation, with its status and assignee, and
//! `ORDER BY customer` would place the hidden names among the visible ones. So the filter and
//! the order run on the facts *as the viewer sees them*: a hidden customer is no customer at
//! all, matched only by `EMPTY` and sorted where items without a customer sort. What a query
//! returns then depends only on what the viewer could see anyway.

use super::WorkItemFacts;

impl WorkItemFacts {
    /// The facts the viewer's filter and order may use: unchanged when the viewer may see the
    /// item's details, otherwise without its customer (see the module comment).
    pub fn as_seen(mut self, details_visible: bool) -> WorkItemFacts {
        if !details_visible {
            self.customer = None;
        }
        self
    }
}
