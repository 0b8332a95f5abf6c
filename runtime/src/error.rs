//! Errors of failed requests and failed operations: building them so that their message is
//! short and safe, and recovering the service's error body from them.
//!
//! Every HTTP failure this crate reports is an `azure_core::Error` of kind
//! [`ErrorKind::HttpResponse`] whose `raw_response` holds the response (status, headers and
//! body): [`error_body`] turns that body into the generated `CloudError`, and
//! [`http_error_details`] reads the status, error code and request ids.
//!
//! Everything this module takes from a response is service text, and is made safe before it
//! is shown: the message (what `Display` prints) never contains the response body. It names what
//! failed, the status, the error code and the service's error message, each passed through
//! [`redact`] (SAS signatures, tokens, URL queries; see its docs) with control characters made
//! spaces, and each bounded: only the first [`MAX_INSPECTED_BYTES`] of a text are looked at, and
//! at most 300 characters of a message (128 of a code or id) are kept. The same applies to the
//! error code stored in the error's kind and to what [`http_error_details`] returns; the headers
//! that azure_core's `Debug` shows are redacted too. The body stays in the error, unchanged, for
//! whoever reads it on purpose: azure_core's `Debug` never prints a body, and the typed body
//! from [`error_body`] keeps the service's words (generated error types redact their `Debug`). The bearer token is never part of a
//! response, so it cannot appear either.

use crate::{limits::ResponseTooLarge, redact::redact};
use azure_core::{
    Error,
    error::ErrorKind,
    http::{
        DEFAULT_ALLOWED_HEADER_NAMES, RawResponse, StatusCode,
        headers::{HeaderName, HeaderValue, Headers},
    },
};
use serde::{Deserialize, de::DeserializeOwned};
use std::borrow::Cow;

pub(crate) const ERROR_CODE: HeaderName = HeaderName::from_static("x-ms-error-code");
const REQUEST_ID: HeaderName = HeaderName::from_static("x-ms-request-id");
const CORRELATION_REQUEST_ID: HeaderName = HeaderName::from_static("x-ms-correlation-request-id");

/// The longest service error message (in characters) quoted in an error's `Display`.
const MAX_MESSAGE_CHARS: usize = 300;
/// The longest error code or request id (in characters) kept from a response.
const MAX_CODE_CHARS: usize = 128;
/// How much of one service text (message, code, id) is looked at: 16 KiB, far more than the
/// 300 characters shown, and small enough that cleaning it costs nothing whatever the service
/// sends (a message of megabytes is cut before it is scanned).
pub const MAX_INSPECTED_BYTES: usize = 16 * 1024;

/// The service's error body of a failed request or failed/canceled operation, typed.
///
/// Returns `None` when `error` is not an HTTP error, carries no response, or the body does not
/// deserialize as `T`. The status-monitor body of a failed operation
/// (`{"status": "Failed", "error": {...}}`) has the shape of `CloudError` (`{"error": {...}}`),
/// so the same call recovers it.
///
/// The body is the service's own words, unchanged (a message may quote a SAS): generated error
/// types print their fields through [`Redacted`](crate::Redacted) in `Debug`.
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
            .map(|value| sanitize(value, MAX_CODE_CHARS))
    };
    // The kind's own code may come from azure_core's success check rather than this crate.
    let error_code = error_code
        .as_deref()
        .map(|code| sanitize(code, MAX_CODE_CHARS))
        .or_else(|| header(&ERROR_CODE))
        .or_else(|| {
            raw.and_then(|raw| body_error(raw.body()).code)
                .map(|code| sanitize(&code, MAX_CODE_CHARS))
        });
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
    let raw = redact_shown_headers(raw);
    let status = raw.status();
    let fields = body_error(raw.body());
    let error_code = raw
        .headers()
        .get_optional_str(&ERROR_CODE)
        .map(str::to_owned)
        .or(fields.code)
        .map(|code| sanitize(&code, MAX_CODE_CHARS));
    let mut message = summary;
    if let Some(code) = &error_code {
        message.push_str(" (");
        message.push_str(code);
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

/// Makes an HTTP error from anywhere safe to show: an [`ErrorKind::HttpResponse`] error that
/// carries its response (such as one from azure_core's own success check, whose message is the
/// service's message or even the whole body) becomes this crate's error for that response,
/// whose message starts with `what`. Any other error is returned unchanged.
pub fn redact_http_error(error: Error, what: &str) -> Error {
    match error.kind() {
        ErrorKind::HttpResponse {
            raw_response: Some(raw),
            ..
        } => http_error(what, (**raw).clone()),
        _ => error,
    }
}

/// azure_core's retry policy wraps every error that is not a transport error in one that says
/// only "non-transport error occurred which will not be retried". This returns the refusal of
/// this crate's transport inside such an error ([`ResponseTooLarge`], [`RedirectRefused`]) as
/// the error itself, so that its message is what the caller reads; any other error unchanged.
pub(crate) fn surface_refusal(error: Error) -> Error {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(&error);
    while let Some(current) = source {
        if let Some(too_large) = current.downcast_ref::<ResponseTooLarge>() {
            return too_large.into_error();
        }
        #[cfg(feature = "reqwest")]
        if let Some(refused) = current.downcast_ref::<crate::RedirectRefused>() {
            return Error::new(ErrorKind::Other, refused.clone());
        }
        source = current.source();
    }
    error
}

/// `raw` with [`redact`] applied to the headers whose values azure_core's `Debug` of a response
/// prints (its allow-list: `etag`, `server`, `x-ms-request-id`, …). Others print as `REDACTED`.
fn redact_shown_headers(raw: RawResponse) -> RawResponse {
    let shown = |name: &HeaderName, value: &HeaderValue| {
        DEFAULT_ALLOWED_HEADER_NAMES.contains(name.as_str())
            && matches!(redact(value.as_str()), Cow::Owned(_))
    };
    if !raw.headers().iter().any(|(name, value)| shown(name, value)) {
        return raw;
    }
    let (status, headers, body) = raw.deconstruct();
    let mut clean = Headers::new();
    for (name, value) in headers {
        let value = if DEFAULT_ALLOWED_HEADER_NAMES.contains(name.as_str()) {
            HeaderValue::from(redact(value.as_str()).into_owned())
        } else {
            value
        };
        clean.insert(name, value);
    }
    RawResponse::from_bytes(status, clean, body)
}

/// Makes service-provided text safe to print: looks at its first [`MAX_INSPECTED_BYTES`] only,
/// [`redact`]s them (SAS signatures, tokens, URL queries), makes control characters spaces, and
/// cuts the result after `max_chars` characters. Linear in the bytes looked at.
///
/// Cutting before redacting cannot reveal a secret: what is shown comes from the inspected
/// prefix only, and a secret cut at its end is redacted as far as it goes.
pub(crate) fn sanitize(text: &str, max_chars: usize) -> String {
    let mut end = text.len().min(MAX_INSPECTED_BYTES);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let redacted = redact(&text[..end]);
    let mut cut = String::with_capacity(redacted.len().min(max_chars.saturating_mul(4)));
    for (count, c) in redacted.chars().enumerate() {
        if count == max_chars {
            cut.push('…');
            return cut;
        }
        cut.push(if c.is_control() { ' ' } else { c });
    }
    if end < text.len() {
        cut.push('…');
    }
    cut
}
