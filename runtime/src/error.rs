//! Errors of failed requests and failed operations: building them so that their message is
//! short and safe, and recovering the service's error body from them.
//!
//! Every HTTP failure this crate reports is an `azure_core::Error` of kind
//! [`ErrorKind::HttpResponse`] whose `raw_response` holds the response (status, headers and
//! body): [`error_body`] turns that body into the generated `CloudError`, and
//! [`http_error_details`] reads the status, error code and request ids.
//!
//! The message (what `Display` prints) never contains the response body. It names what failed,
//! the status, the error code and the service's error message with any URL query stripped (a
//! SAS signature lives in the query) and cut to a bounded length. The bearer token is never
//! part of a response, so it cannot appear either.

use azure_core::{
    Error,
    error::ErrorKind,
    http::{RawResponse, StatusCode, headers::HeaderName},
};
use serde::{Deserialize, de::DeserializeOwned};

pub(crate) const ERROR_CODE: HeaderName = HeaderName::from_static("x-ms-error-code");
const REQUEST_ID: HeaderName = HeaderName::from_static("x-ms-request-id");
const CORRELATION_REQUEST_ID: HeaderName = HeaderName::from_static("x-ms-correlation-request-id");

/// The longest service error message (in characters) quoted in an error's `Display`.
const MAX_MESSAGE_CHARS: usize = 300;

/// The service's error body of a failed request or failed/canceled operation, typed.
///
/// Returns `None` when `error` is not an HTTP error, carries no response, or the body does not
/// deserialize as `T`. The status-monitor body of a failed operation
/// (`{"status": "Failed", "error": {...}}`) has the shape of `CloudError` (`{"error": {...}}`),
/// so the same call recovers it.
pub fn error_body<T: DeserializeOwned>(error: &Error) -> Option<T> {
    match error.kind() {
        ErrorKind::HttpResponse {
            raw_response: Some(raw),
            ..
        } => serde_json::from_slice(raw.body()).ok(),
        _ => None,
    }
}

/// What an HTTP error says about the failed request, for logs and support tickets.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HttpErrorDetails {
    /// The HTTP status of the response that failed the request or the operation.
    pub status: StatusCode,
    /// The service's error code: the error's own code, else `x-ms-error-code`, else the body's
    /// `error.code`.
    pub error_code: Option<String>,
    /// `x-ms-request-id` of the response.
    pub request_id: Option<String>,
    /// `x-ms-correlation-request-id` of the response.
    pub correlation_request_id: Option<String>,
}

/// Status, error code and request ids of an HTTP error; `None` for any other kind of error.
pub fn http_error_details(error: &Error) -> Option<HttpErrorDetails> {
    let ErrorKind::HttpResponse {
        status,
        error_code,
        raw_response,
    } = error.kind()
    else {
        return None;
    };
    let raw = raw_response.as_deref();
    let header = |name: &HeaderName| {
        raw.and_then(|raw| raw.headers().get_optional_str(name))
            .map(str::to_owned)
    };
    let error_code = error_code
        .clone()
        .or_else(|| header(&ERROR_CODE))
        .or_else(|| raw.and_then(|raw| body_error(raw.body()).code));
    Some(HttpErrorDetails {
        status: *status,
        error_code,
        request_id: header(&REQUEST_ID),
        correlation_request_id: header(&CORRELATION_REQUEST_ID),
    })
}

/// `{"error": {"code", "message"}}`, read leniently: anything else yields empty fields.
#[derive(Default, Deserialize)]
struct ErrorEnvelope {
    #[serde(default)]
    error: Option<ErrorFields>,
}

#[derive(Default, Deserialize)]
pub(crate) struct ErrorFields {
    #[serde(default)]
    pub(crate) code: Option<String>,
    #[serde(default)]
    pub(crate) message: Option<String>,
}

pub(crate) fn body_error(body: &[u8]) -> ErrorFields {
    serde_json::from_slice::<ErrorEnvelope>(body)
        .ok()
        .and_then(|envelope| envelope.error)
        .unwrap_or_default()
}

/// An [`ErrorKind::HttpResponse`] error for `raw`, with a message that starts with `what`.
pub(crate) fn http_error(what: &str, raw: RawResponse) -> Error {
    let summary = format!("{what}: HTTP {}", raw.status());
    service_error(summary, raw)
}

/// An [`ErrorKind::HttpResponse`] error carrying `raw` (so [`error_body`] can read the
/// service's error), whose message is `summary` followed by the service's error code and
/// message, both sanitized: never a response body, a SAS or a token.
pub(crate) fn service_error(summary: String, raw: RawResponse) -> Error {
    let status = raw.status();
    let fields = body_error(raw.body());
    let error_code = raw
        .headers()
        .get_optional_str(&ERROR_CODE)
        .map(str::to_owned)
        .or(fields.code);
    let mut message = summary;
    if let Some(code) = &error_code {
        message.push_str(" (");
        message.push_str(&sanitize(code, 100));
        message.push(')');
    }
    if let Some(service_message) = fields.message.filter(|m| !m.trim().is_empty()) {
        message.push_str(": ");
        message.push_str(&sanitize(&service_message, MAX_MESSAGE_CHARS));
    }
    Error::with_message(
        ErrorKind::HttpResponse {
            status,
            error_code,
            raw_response: Some(Box::new(raw)),
        },
        message,
    )
}

/// Makes service-provided text safe to print: the query of every URL in it is replaced by
/// `?<redacted>` (a SAS token is a query), control characters become spaces, and the text is
/// cut after `max_chars` characters.
pub(crate) fn sanitize(text: &str, max_chars: usize) -> String {
    let mut out = String::with_capacity(text.len().min(max_chars.saturating_add(8)));
    let mut rest = text;
    while let Some(start) = find_url_start(rest) {
        out.push_str(&rest[..start]);
        let url_and_more = &rest[start..];
        let end = url_and_more
            .find(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '<' | '>' | '`'))
            .unwrap_or(url_and_more.len());
        let url = &url_and_more[..end];
        match url.find('?') {
            Some(query) => {
                out.push_str(&url[..query]);
                out.push_str("?<redacted>");
            }
            None => out.push_str(url),
        }
        rest = &url_and_more[end..];
    }
    out.push_str(rest);

    let mut cut = String::with_capacity(out.len().min(max_chars.saturating_add(4)));
    for (count, c) in out.chars().enumerate() {
        if count == max_chars {
            cut.push('…');
            break;
        }
        cut.push(if c.is_control() { ' ' } else { c });
    }
    cut
}

/// Byte offset of the next `http://` or `https://` (any case) in `text`.
fn find_url_start(text: &str) -> Option<usize> {
    let lower = text.to_ascii_lowercase();
    match (lower.find("https://"), lower.find("http://")) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}
