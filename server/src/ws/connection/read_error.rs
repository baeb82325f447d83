//! What a failed read from the socket means for the connection.

use domain::protocol::close;

use super::End;

/// A frame beyond the socket's hard size limit is refused with "too big"; any other read error
/// means the peer is gone. axum wraps tungstenite's error, so it is matched by its type, never
/// by its text (which changes between versions).
pub(super) fn classify(error: &axum::Error) -> End {
    let too_big = std::error::Error::source(error)
        .and_then(|inner| inner.downcast_ref::<tungstenite::Error>())
        .is_some_and(|inner| matches!(inner, tungstenite::Error::Capacity(_)));
    if too_big {
        End::Close(close::TOO_BIG, "Frame too large.")
    } else {
        End::Gone
    }
}

#[cfg(test)]
mod tests {
    use tungstenite::error::{CapacityError, ProtocolError};

    use super::*;

    #[test]
    fn a_frame_beyond_the_size_limit_closes_with_too_big() {
        let error = axum::Error::new(tungstenite::Error::Capacity(
            CapacityError::MessageTooLong {
                size: 200 * 1024,
                max_size: 64 * 1024,
            },
        ));

        assert!(matches!(classify(&error), End::Close(close::TOO_BIG, _)));
    }

    #[test]
    fn any_other_read_error_means_the_peer_is_gone() {
        for error in [
            tungstenite::Error::ConnectionClosed,
            tungstenite::Error::Protocol(ProtocolError::ResetWithoutClosingHandshake),
        ] {
            assert!(matches!(classify(&axum::Error::new(error)), End::Gone));
        }
        let not_tungstenite = axum::Error::new(std::io::Error::other("too long"));
        assert!(matches!(classify(&not_tungstenite), End::Gone));
    }
}
