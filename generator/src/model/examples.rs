//! The model of the spec's `x-ms-examples`: what a replaying test needs of each example
//! file (see `lower::examples` and `emit::example_tests`).

use serde::Serialize;

use super::{Docs, HttpMethod};

/// One `x-ms-examples` file of an operation, checked against the operation and lowered to
/// what a replaying test needs: the call's arguments, the request it must send, the
/// responses to answer with and the JSON the result must re-serialize to.
#[derive(Clone, Debug, Serialize)]
pub struct Example {
    /// The example's title.
    pub title: String,
    /// The title as doc text.
    pub title_docs: Docs,
    /// The file, relative to the spec root (`/`-separated).
    pub file: String,
    /// The test function's name, unique in the api-version's test file.
    pub test_name: String,
    /// The group (index into [`Api::groups`](super::Api::groups)) and operation (index into its operations).
    pub group: usize,
    pub operation: usize,
    /// Values of the client's constructor arguments, in [`ClientDef::params`](super::ClientDef::params) order (the
    /// api-version excluded).
    pub client_args: Vec<ExampleValue>,
    /// Values of the method's required arguments, in method order.
    pub args: Vec<ExampleValue>,
    /// The request body as the example gives it (JSON text): the test reads the body type
    /// from it.
    pub body: Option<String>,
    /// What the client must send.
    pub request: ExampleRequest,
    /// The responses, in the order the transport answers with them.
    pub responses: Vec<ExampleResponse>,
    /// The JSON (text) the call's result must serialize to: the result body without what
    /// the model never serializes (read-only and undeclared fields). `None`: no body.
    pub result: Option<String>,
    /// The result's read-only strings: never serialized, so the test reads each from the
    /// deserialized model by its field path instead.
    pub result_read_only: Vec<ReadOnlyValue>,
    /// How much of the operation the example shows, and so how far the test replays it.
    pub replay: ExampleReplay,
}

/// How far an example's test replays its operation.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum ExampleReplay {
    /// To the end: the call's result is [`Example::result`].
    Complete,
    /// A long-running operation whose example never shows its end (no status monitor, every
    /// response non-terminal): only the service's first answer is replayed, streamed as the
    /// poller's first status, which must be this non-terminal `provisioningState`; its body is
    /// [`Example::result`].
    FirstStatus { state: String },
    /// A list whose next link the client refuses to follow (off the endpoint): the first page
    /// is [`Example::result`], and asking for the next one fails without sending a request.
    FirstPageThenRefusedLink,
}

/// A read-only string of an example's result and where the model keeps it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ReadOnlyValue {
    /// From the result down to the string.
    pub path: Vec<AccessStep>,
    pub value: String,
}

/// One step from a model value into a part of it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum AccessStep {
    /// A struct field (`Option` unless its [`Presence`](super::Presence) is required).
    Field { rust_name: String, required: bool },
    /// An item of a list.
    Index(usize),
}

/// A parameter value from an example.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum ExampleValue {
    String(String),
    Int(i64),
    Bool(bool),
}

/// The request an example's call must send.
#[derive(Clone, Debug, Serialize)]
pub struct ExampleRequest {
    pub method: HttpMethod,
    /// The URL path, each segment percent-encoded as the runtime encodes it.
    pub path: String,
    pub api_version: String,
    /// The body JSON (text) as the model serializes it.
    pub body: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct ExampleResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    /// JSON text.
    pub body: Option<String>,
}
