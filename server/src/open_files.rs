//! The open-files limit. Every websocket is a file descriptor, and distributions start
//! processes with a soft limit of 1,024 whatever the hard limit allows, so without this a server
//! would refuse its 1,000th live chat. The soft limit is raised to the hard limit at start;
//! only the operator (or the service manager, `LimitNOFILE=`) can raise the hard one.

/// Below this hard limit the operator is told: a busy site needs more sockets than this.
const LOW: u64 = 4096;

/// Raises the soft limit to the hard limit and says what it is now. Returns the new limit.
pub fn raise_to_hard_limit() -> Option<u64> {
    match rlimit::increase_nofile_limit(u64::MAX) {
        Ok(limit) if limit < LOW => {
            tracing::warn!(
                limit,
                "Baton may hold only about {limit} open connections (the open-files hard limit); \
                 raise it (ulimit -Hn, or LimitNOFILE= in the service unit) for more live chats"
            );
            Some(limit)
        }
        Ok(limit) => {
            tracing::info!(limit, "open-files limit raised to the hard limit");
            Some(limit)
        }
        Err(error) => {
            tracing::warn!(%error, "cannot read or raise the open-files limit");
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rlimit::Resource;

    #[test]
    fn a_soft_limit_below_the_hard_limit_is_raised_to_it() {
        let (_, hard) = Resource::NOFILE.get().unwrap();
        Resource::NOFILE.set(hard / 2, hard).unwrap();

        let raised = raise_to_hard_limit();

        let (soft, hard) = Resource::NOFILE.get().unwrap();
        assert_eq!(soft, hard);
        assert_eq!(raised, Some(hard));
    }
}
