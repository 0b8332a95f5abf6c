//! The operations' `x-ms-examples`, checked against the lowered operations and turned into
//! [`Example`]s: plain data from which `emit/example_tests.rs` writes one replaying test each.
//!
//! An example that cannot be replayed (a file that cannot be read, an api-version other than
//! the spec's, a parameter the method does not take or a required one it lacks, a response
//! status the operation does not declare, a body that does not match its schema) is a
//! warning naming the file and the reason, and no test is written for it.

use std::path::Path;

use serde_json::{Map, Value};

use super::example_json::Shapes;
use super::operations::SpecOperation;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load::{ExampleFile, SpecSet};
use crate::model::{
    Api, ClientParamRole, Example, ExampleReplay, ExampleRequest, ExampleResponse, ExampleValue,
    HttpMethod, Operation, ParamLocation, ParamScope, PathPart, TypeRef,
};
use crate::naming::{Namespace, snake, unraw};

/// Lowers the examples of every generated operation of `api` into `api.examples`; each one
/// that cannot be replayed is a warning and counted in `api.skipped_examples`.
pub fn lower_examples(
    specs: &SpecSet,
    spec_root: &Path,
    api: &mut Api,
    found: &[SpecOperation<'_>],
    diagnostics: &mut Diagnostics,
) {
    let shapes = Shapes::new(&api.types);
    let mut names = Namespace::new();
    // The helpers every test file declares beside the tests.
    names.reserve("options");
    names.reserve("support");
    let mut examples = Vec::new();
    let mut skipped = 0;
    for (group_index, group) in api.groups.iter().enumerate() {
        for (op_index, op) in group.operations.iter().enumerate() {
            let Some(site) = found
                .iter()
                .find(|f| f.operation.operation_id.as_deref() == Some(op.id.as_str()))
            else {
                continue;
            };
            let replay = Replay {
                api,
                op,
                shapes: &shapes,
                body_name: site
                    .operation
                    .extensions
                    .get("x-ms-requestBody-name")
                    .and_then(Value::as_str)
                    .unwrap_or("body"),
            };
            for file in specs.examples(&site.location) {
                let shown = relative(&file.file, spec_root);
                match replay.lower_file(file) {
                    Ok(mut example) => {
                        let stem = file.file.file_stem().and_then(|s| s.to_str());
                        let wanted =
                            snake(&format!("{}_{}", group.module, stem.unwrap_or("example")));
                        let wanted = unraw(&wanted).to_string();
                        example.test_name = names.claim(wanted).name;
                        example.file = shown;
                        example.group = group_index;
                        example.operation = op_index;
                        examples.push(example);
                    }
                    Err(reason) => {
                        skipped += 1;
                        let at = site.location.join("x-ms-examples").join(&file.name);
                        let message = format!(
                            "example {shown} (`{}` of {}) is not replayed: {reason}",
                            file.name, op.id
                        );
                        diagnostics.push(Diagnostic::warning(at, message).help(
                            "the test for this example is not written; correct the example file to replay it",
                        ));
                    }
                }
            }
        }
    }
    api.examples = examples;
    api.skipped_examples = skipped;
}

/// `file` relative to the spec root, `/`-separated, for doc comments and warnings: control
/// characters (which a `$ref` may hold) and backticks (which would end the code span the docs
/// show it in) are replaced.
fn relative(file: &Path, spec_root: &Path) -> String {
    let shown = file.strip_prefix(spec_root).unwrap_or(file);
    shown
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
        .chars()
        .map(|c| {
            if c.is_control() || c == '`' {
                '\u{FFFD}'
            } else {
                c
            }
        })
        .collect()
}

/// The responses of an example, as the test answers with them and checks the result.
struct Answers {
    responses: Vec<ExampleResponse>,
    result: Option<String>,
    result_read_only: Vec<crate::model::ReadOnlyValue>,
    replay: ExampleReplay,
}

/// One operation, against which its examples are checked.
struct Replay<'a> {
    api: &'a Api,
    op: &'a Operation,
    shapes: &'a Shapes<'a>,
    /// The body parameter's name in the example's `parameters`.
    body_name: &'a str,
}

impl Replay<'_> {
    /// The example of `file`, or why it cannot be replayed.
    fn lower_file(&self, file: &ExampleFile) -> Result<Example, String> {
        let content = file
            .content
            .as_ref()
            .map_err(|reason| format!("the file {reason}"))?;
        let mut example = self.lower(content)?;
        example.title = file.name.clone();
        example.title_docs = super::docs::docs(Some(&file.name));
        Ok(example)
    }

    fn lower(&self, content: &Value) -> Result<Example, String> {
        let parameters = content
            .get("parameters")
            .and_then(Value::as_object)
            .ok_or("it has no `parameters` object")?;
        self.check_parameters(parameters)?;
        let client_args = self.client_args(parameters)?;
        let args = self
            .method_params()
            .map(|p| value_of(parameters, &p.wire_name, &p.ty))
            .collect::<Result<Vec<_>, _>>()?;
        let (body, request_body) = self.body(parameters)?;
        let responses = content
            .get("responses")
            .and_then(Value::as_object)
            .ok_or("it has no `responses` object")?;
        let Answers {
            responses,
            result,
            result_read_only,
            replay,
        } = self.responses(responses)?;
        Ok(Example {
            title: String::new(),
            title_docs: Default::default(),
            file: String::new(),
            test_name: String::new(),
            group: 0,
            operation: 0,
            client_args,
            args,
            body,
            request: ExampleRequest {
                method: self.op.method,
                path: self.path(parameters)?,
                api_version: self.api.version.clone(),
                body: request_body,
            },
            responses,
            result,
            result_read_only,
            replay,
        })
    }

    /// The method's required arguments, in the order the method takes them.
    fn method_params(&self) -> impl Iterator<Item = &crate::model::Parameter> {
        self.op
            .params
            .iter()
            .filter(|p| p.scope == ParamScope::Method && p.required)
    }

    /// Every parameter the example gives must be one the operation takes; the api-version
    /// must be the spec's.
    fn check_parameters(&self, parameters: &Map<String, Value>) -> Result<(), String> {
        for (name, value) in parameters {
            if name == self.body_name && self.op.body.is_some() {
                continue;
            }
            let Some(param) = self.op.params.iter().find(|p| &p.wire_name == name) else {
                return Err(format!(
                    "it gives the parameter `{name}`, which the operation does not take"
                ));
            };
            let is_api_version =
                self.api.client.params.iter().any(|c| {
                    c.wire_name == param.wire_name && c.role == ClientParamRole::ApiVersion
                });
            if is_api_version && value.as_str() != Some(self.api.version.as_str()) {
                return Err(format!(
                    "its `{name}` is {value}, but the spec is api-version {}",
                    self.api.version
                ));
            }
            if param.scope == ParamScope::Method && !param.required {
                return Err(format!(
                    "it gives the optional parameter `{name}`, which replayed tests do not pass yet"
                ));
            }
        }
        Ok(())
    }

    fn client_args(&self, parameters: &Map<String, Value>) -> Result<Vec<ExampleValue>, String> {
        self.api
            .client
            .params
            .iter()
            .filter(|c| c.role == ClientParamRole::Value)
            .map(|c| {
                let ty = self
                    .op
                    .params
                    .iter()
                    .find(|p| p.wire_name == c.wire_name)
                    .map_or(TypeRef::String, |p| p.ty.clone());
                value_of(parameters, &c.wire_name, &ty)
            })
            .collect()
    }

    /// The body as given (for the test to read) and as the model serializes it.
    fn body(
        &self,
        parameters: &Map<String, Value>,
    ) -> Result<(Option<String>, Option<String>), String> {
        let Some(body) = &self.op.body else {
            return Ok((None, None));
        };
        let Some(value) = parameters.get(self.body_name) else {
            return match body.required {
                true => Err(format!(
                    "it does not give the body parameter `{}`",
                    self.body_name
                )),
                false => Ok((None, None)),
            };
        };
        let at = format!(
            "/parameters/{}",
            crate::diagnostics::pointer_token(self.body_name)
        );
        let projected = self
            .shapes
            .project(value, &body.ty, &at)?
            .ok_or_else(|| format!("{at}: the body is null"))?;
        Ok((Some(value.to_string()), Some(projected.to_string())))
    }

    /// The URL path the client must build: each piece encoded as the runtime encodes it.
    fn path(&self, parameters: &Map<String, Value>) -> Result<String, String> {
        let mut path = String::new();
        for part in &self.op.path {
            match part {
                PathPart::Literal(literal) => {
                    for piece in literal.split('/').filter(|p| !p.is_empty()) {
                        path.push('/');
                        encode_segment(piece, &mut path);
                    }
                }
                PathPart::Param(name) => {
                    let ty = self
                        .op
                        .params
                        .iter()
                        .find(|p| &p.wire_name == name && p.location == ParamLocation::Path)
                        .map_or(TypeRef::String, |p| p.ty.clone());
                    path.push('/');
                    encode_segment(&value_of(parameters, name, &ty)?.to_string(), &mut path);
                }
            }
        }
        Ok(path)
    }

    /// The responses in the order the transport answers, and the result's expected JSON.
    fn responses(&self, responses: &Map<String, Value>) -> Result<Answers, String> {
        let mut lowered = Vec::new();
        for (status, response) in responses {
            if status == "default" {
                continue;
            }
            let code: u16 = status
                .parse()
                .map_err(|_| format!("its response `{status}` is not a status code"))?;
            if !self.op.responses.iter().any(|r| r.status == code) {
                return Err(format!(
                    "it answers with status {code}, which the operation does not declare"
                ));
            }
            lowered.push(lower_response(code, response)?);
        }
        lowered.sort_by_key(|r| r.status);
        let all = lowered.clone();
        let ordered = match self.op.long_running {
            // The acceptance (201/202, with its headers) first, then the final response.
            Some(_) => {
                let initial = lowered
                    .iter()
                    .position(|r| r.status == 201 || r.status == 202);
                let initial = initial.map(|i| lowered.remove(i));
                let last = lowered.first().cloned();
                initial.into_iter().chain(last).collect::<Vec<_>>()
            }
            None => lowered.into_iter().take(1).collect(),
        };
        if ordered.is_empty() {
            return Err("it has no success response".into());
        }
        let (ordered, mut replay) = match self.op.long_running {
            Some(_) => self.unfinished(&all, ordered)?,
            None => (ordered, ExampleReplay::Complete),
        };
        let Some(last) = ordered.last() else {
            return Err("it has no success response".into());
        };
        self.shapes.take_read_only();
        let result = match &self.op.result {
            None => None,
            Some(ty) => {
                let at = format!("/responses/{}/body", last.status);
                let body = last.body.as_deref().ok_or_else(|| {
                    format!("{at}: the response has no body, but the operation returns one")
                })?;
                let body: Value = serde_json::from_str(body).map_err(|e| e.to_string())?;
                if self.refused_next_link(&body, &at)? {
                    replay = ExampleReplay::FirstPageThenRefusedLink;
                }
                let projected = self
                    .shapes
                    .project(&body, ty, &at)?
                    .ok_or_else(|| format!("{at}: the body is null"))?;
                Some(projected.to_string())
            }
        };
        Ok(Answers {
            responses: ordered,
            result,
            result_read_only: self.shapes.take_read_only(),
            replay,
        })
    }

    /// A long-running example that never shows its end (see [`check_terminal`]) is replayed
    /// up to the service's first answer, when the example holds one a client can stream: for
    /// a PUT or PATCH without a status monitor, ARM answers at once with the resource and its
    /// non-terminal `provisioningState` (201 Created, else 200 OK), and the client then polls
    /// the resource. A 202 is never that first answer: without a `Location` or
    /// `Azure-AsyncOperation` header it says nowhere to poll.
    fn unfinished(
        &self,
        all: &[ExampleResponse],
        ordered: Vec<ExampleResponse>,
    ) -> Result<(Vec<ExampleResponse>, ExampleReplay), String> {
        let Err(never_ends) = check_terminal(&ordered) else {
            return Ok((ordered, ExampleReplay::Complete));
        };
        let puts = matches!(self.op.method, HttpMethod::Put | HttpMethod::Patch);
        if !puts || self.op.result.is_none() {
            return Err(never_ends);
        }
        let first = [201, 200]
            .iter()
            .find_map(|status| all.iter().find(|r| r.status == *status));
        let Some((first, state)) =
            first.and_then(|r| provisioning_state(r).map(|state| (r.clone(), state)))
        else {
            return Err(never_ends);
        };
        if is_terminal(&state) {
            return Err(never_ends);
        }
        Ok((vec![first], ExampleReplay::FirstStatus { state }))
    }
}

impl Replay<'_> {
    /// Whether a page's next link is one the client refuses (not https on the endpoint's
    /// host): the test then shows that refusal. A link that is not even an absolute http(s)
    /// URL is reported instead.
    fn refused_next_link(&self, page: &Value, at: &str) -> Result<bool, String> {
        let Some(name) = self
            .op
            .pageable
            .as_ref()
            .and_then(|p| p.next_link_name.as_deref())
        else {
            return Ok(false);
        };
        let Some(link) = page.get(name).and_then(Value::as_str) else {
            return Ok(false);
        };
        let endpoint = self
            .api
            .server
            .as_deref()
            .unwrap_or(ARM_ENDPOINT)
            .trim_end_matches('/');
        // On the endpoint, or relative to it (which the client resolves against it).
        let relative = link.starts_with('/') && !link.starts_with("//");
        if relative || link.starts_with(&format!("{endpoint}/")) {
            return Ok(false);
        }
        let host = link
            .strip_prefix("https://")
            .or_else(|| link.strip_prefix("http://"))
            .and_then(|rest| rest.split_once('/'))
            .map(|(authority, _)| authority);
        let plain = |c: char| c.is_ascii_alphanumeric() || "-.:".contains(c);
        match host {
            Some(host) if !host.is_empty() && host.chars().all(plain) => Ok(true),
            _ => Err(format!(
                "{at}/{name}: the next page's URL {link} is not an absolute http(s) URL"
            )),
        }
    }
}

/// The public cloud's Resource Manager endpoint (the default of the generated clients).
const ARM_ENDPOINT: &str = "https://management.azure.com";

/// The `properties.provisioningState` of a response's body.
fn provisioning_state(response: &ExampleResponse) -> Option<String> {
    let body: Value = serde_json::from_str(response.body.as_deref()?).ok()?;
    let state = body.pointer("/properties/provisioningState")?.as_str()?;
    Some(state.to_string())
}

/// ARM's terminal states, in any case.
fn is_terminal(state: &str) -> bool {
    ["succeeded", "failed", "canceled"].contains(&state.to_ascii_lowercase().as_str())
}

/// A long-running operation without a status monitor (no `Location`, `Azure-AsyncOperation`
/// or `Operation-Location` header) ends when the resource's `provisioningState` is terminal:
/// an example whose last response is still in progress never shows the end.
fn check_terminal(responses: &[ExampleResponse]) -> Result<(), String> {
    const MONITORS: &[&str] = &["location", "azure-asyncoperation", "operation-location"];
    let monitored = responses.iter().any(|r| {
        r.headers
            .iter()
            .any(|(name, _)| MONITORS.contains(&name.to_ascii_lowercase().as_str()))
    });
    let Some(last) = responses.last().filter(|_| !monitored) else {
        return Ok(());
    };
    match provisioning_state(last) {
        Some(state) if !is_terminal(&state) => Err(format!(
            "/responses/{}/body/properties/provisioningState: its last response is still `{state}`, and without a status monitor the operation only ends at a terminal state (Succeeded, Failed, Canceled), which the example never reaches",
            last.status
        )),
        _ => Ok(()),
    }
}

fn lower_response(status: u16, response: &Value) -> Result<ExampleResponse, String> {
    let mut headers = Vec::new();
    let given = response.get("headers").and_then(Value::as_object);
    for (name, value) in given.into_iter().flatten() {
        let at = format!(
            "/responses/{status}/headers/{}",
            crate::diagnostics::pointer_token(name)
        );
        let text = match value {
            Value::String(text) => text.clone(),
            Value::Number(number) => number.to_string(),
            _ => return Err(format!("{at}: not a string")),
        };
        // RFC 9110: a header name is a token; a value has no control characters.
        let token = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c);
        if name.is_empty() || !name.chars().all(token) {
            return Err(format!("{at}: `{name}` is not an HTTP header name"));
        }
        if text.chars().any(|c| c.is_control() && c != '\t') {
            return Err(format!("{at}: the value holds control characters"));
        }
        headers.push((name.clone(), text));
    }
    Ok(ExampleResponse {
        status,
        headers,
        body: response
            .get("body")
            .filter(|b| !b.is_null())
            .map(Value::to_string),
    })
}

/// A required parameter's value from the example.
fn value_of(
    parameters: &Map<String, Value>,
    name: &str,
    ty: &TypeRef,
) -> Result<ExampleValue, String> {
    let value = parameters
        .get(name)
        .ok_or_else(|| format!("it does not give the required parameter `{name}`"))?;
    let wrong = || format!("/parameters/{name}: {value} is not a value of the parameter's type");
    match (ty, value) {
        (TypeRef::String, Value::String(text)) => Ok(ExampleValue::String(text.clone())),
        (TypeRef::Int32 | TypeRef::Int64, value) => {
            value.as_i64().map(ExampleValue::Int).ok_or_else(wrong)
        }
        (TypeRef::Bool, Value::Bool(flag)) => Ok(ExampleValue::Bool(*flag)),
        (TypeRef::String | TypeRef::Bool, _) => Err(wrong()),
        _ => Err(format!(
            "the parameter `{name}` has a type replayed tests do not pass yet"
        )),
    }
}

impl std::fmt::Display for ExampleValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ExampleValue::String(text) => f.write_str(text),
            ExampleValue::Int(number) => write!(f, "{number}"),
            ExampleValue::Bool(flag) => write!(f, "{flag}"),
        }
    }
}

/// The runtime's rule (`runtime/src/params.rs`): everything but the RFC 3986 unreserved
/// characters becomes `%XX` of its UTF-8 bytes.
fn encode_segment(value: &str, out: &mut String) {
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
}
