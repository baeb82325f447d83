//! Reading an [`AppError`] from the JSON its derived `Serialize` writes
//! (`{"code": "Invalid", "message": "…"}`), as a plain struct: serde's derived reading of an
//! adjacently tagged enum buffers the object first, and that machinery weighed heavily in the
//! widget's WASM.

use serde::Deserialize;
use serde_json::value::RawValue;

use super::AppError;

#[derive(Deserialize)]
pub(super) struct AppErrorWire {
    code: String,
    /// A string, or for `TooMany` an object; absent for the errors without one.
    message: Option<Box<RawValue>>,
}

#[derive(Deserialize)]
struct TooManyWire {
    message: String,
    retry_after_secs: u64,
}

impl TryFrom<AppErrorWire> for AppError {
    type Error = String;

    fn try_from(AppErrorWire { code, message }: AppErrorWire) -> Result<Self, String> {
        let text = || -> Result<String, String> {
            let raw = message.as_deref().ok_or("the error lacks its message")?;
            serde_json::from_str(raw.get()).map_err(|e| e.to_string())
        };
        Ok(match code.as_str() {
            "Invalid" => AppError::Invalid(text()?),
            "Forbidden" => AppError::Forbidden,
            "SessionExpired" => AppError::SessionExpired,
            "NotFound" => AppError::NotFound,
            "Unavailable" => AppError::Unavailable,
            "Internal" => AppError::Internal,
            "Transport" => AppError::Transport(text()?),
            "TooMany" => {
                let raw = message.as_deref().ok_or("the error lacks its message")?;
                let TooManyWire {
                    message,
                    retry_after_secs,
                } = serde_json::from_str(raw.get()).map_err(|e| e.to_string())?;
                AppError::TooMany {
                    message,
                    retry_after_secs,
                }
            }
            other => return Err(format!("unknown error `{other}`")),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::AppError;

    #[test]
    fn every_error_a_server_function_sends_is_read_back_unchanged() {
        for error in [
            AppError::Invalid("Name is required \"now\"".into()),
            AppError::Forbidden,
            AppError::SessionExpired,
            AppError::NotFound,
            AppError::Unavailable,
            AppError::Internal,
            AppError::TooMany {
                message: "Too many sign-ins".into(),
                retry_after_secs: 30,
            },
            AppError::Transport("offline".into()),
        ] {
            let text = serde_json::to_string(&error).unwrap();
            assert_eq!(
                serde_json::from_str::<AppError>(&text).unwrap(),
                error,
                "{text}"
            );
        }
    }

    #[test]
    fn an_unknown_or_incomplete_error_is_refused() {
        assert!(serde_json::from_str::<AppError>(r#"{"code":"Meteor"}"#).is_err());
        assert!(serde_json::from_str::<AppError>(r#"{"code":"Invalid"}"#).is_err());
        assert!(serde_json::from_str::<AppError>(r#"{"code":"TooMany","message":"x"}"#).is_err());
    }
}
