//! Request and response bodies as JSON.
//!
//! Errors here never quote the body: a response body may carry SAS URLs, and serde_json's own
//! messages echo offending values (`invalid type: string "https://…?sig=…"`). Only the error's
//! category and position are kept.

use azure_core::{Bytes, Error, Result, error::ErrorKind};
use serde::{Serialize, de::DeserializeOwned};

/// How the final response body becomes the result.
pub type Decode<T> = fn(Bytes) -> Result<T>;

/// Serialises a request body to JSON bytes.
pub fn json_body<T: Serialize>(value: &T) -> Result<Bytes> {
    serde_json::to_vec(value)
        .map(Bytes::from)
        .map_err(|error| json_error("failed to serialize the request body as JSON", &error))
}

/// Deserialises the final response body as JSON.
///
/// An empty body is an error that says the final response had no body (a long-running
/// operation that returns a model must end with one).
pub fn decode_json<T: DeserializeOwned>(body: Bytes) -> Result<T> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(Error::with_message(
            ErrorKind::DataConversion,
            "the final response had no body, but a JSON result was expected",
        ));
    }
    serde_json::from_slice(&body)
        .map_err(|error| json_error("failed to deserialize the response body", &error))
}

/// Accepts any final body and returns `()`: for operations without a result.
pub fn decode_empty(body: Bytes) -> Result<()> {
    drop(body);
    Ok(())
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
