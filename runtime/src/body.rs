//! Request bodies as JSON.
//!
//! Errors here never quote the body: a response body may carry SAS URLs, and serde_json's own
//! messages echo offending values (`invalid type: string "https://…?sig=…"`). Only the error's
//! category and position are kept.

use azure_core::{Bytes, Error, Result, error::ErrorKind};
use serde::Serialize;

/// Serialises a request body to JSON bytes.
pub fn json_body<T: Serialize + ?Sized>(value: &T) -> Result<Bytes> {
    serde_json::to_vec(value)
        .map(Bytes::from)
        .map_err(|error| json_error("failed to serialize the request body as JSON", &error))
}

/// A JSON error described by category and position only, never by content.
pub(crate) fn json_error(what: &str, error: &serde_json::Error) -> Error {
    use serde_json::error::Category;
    let category = match error.classify() {
        Category::Io => "I/O error",
        Category::Syntax => "invalid JSON",
        Category::Data => {
            // These two name a field of the model, never a value from the body.
            let text = error.to_string();
            if text.starts_with("missing field `") || text.starts_with("duplicate field `") {
                return Error::with_message(ErrorKind::DataConversion, format!("{what}: {text}"));
            }
            "JSON that does not match the expected shape"
        }
        Category::Eof => "truncated JSON",
    };
    let message = if error.line() == 0 {
        format!("{what}: {category}")
    } else {
        format!(
            "{what}: {category} at line {} column {}",
            error.line(),
            error.column()
        )
    };
    Error::with_message(ErrorKind::DataConversion, message)
}
