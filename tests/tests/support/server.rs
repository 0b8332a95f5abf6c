//! A scripted HTTPS server on `127.0.0.1`: HTTP/1.1 over tokio-rustls, one request per
//! connection.
//!
//! Each test pushes the requests it expects, in order, each with its canned reply. The server
//! checks every request it receives against the next expectation (method, exact request target
//! with its percent-encoding, `api-version` exactly once, `Authorization: Bearer <token>`,
//! `Accept`, `Content-Type` and the exact JSON body) and records it with its arrival time and the
//! time its reply was written. A request that does not match gets `418` with the reasons (so the
//! client fails at once) and the reasons are kept for [`TestServer::finish`]. The server stops
//! when dropped.

use super::tls::TestCa;
use serde_json::Value;
use std::{
    collections::VecDeque,
    fmt::Write as _,
    net::SocketAddr,
    sync::{Arc, Mutex, MutexGuard},
    time::{Duration, Instant, SystemTime},
};
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::{TcpListener, TcpStream},
    task::{JoinHandle, JoinSet},
    time::timeout,
};
use tokio_rustls::TlsAcceptor;

/// Longest a connection may take for its handshake, its request or its reply.
const IO_LIMIT: Duration = Duration::from_secs(5);
const MAX_HEAD: usize = 64 * 1024;
const MAX_BODY: usize = 1024 * 1024;

/// What the next request must be.
#[derive(Clone, Debug)]
pub struct Expect {
    method: &'static str,
    target: String,
    body: ExpectBody,
}

#[derive(Clone, Debug)]
enum ExpectBody {
    /// No body and no `Content-Type`. POST requests must say `Content-Length: 0`.
    Empty,
    /// `Content-Type: application/json` and a body equal to this JSON.
    Json(Value),
}

impl Expect {
    /// `POST target` with this JSON body.
    pub fn post_json(target: impl Into<String>, body: Value) -> Self {
        Self::request("POST", target, Some(body))
    }

    /// `POST target` without a body.
    pub fn post_empty(target: impl Into<String>) -> Self {
        Self::request("POST", target, None)
    }

    /// Any method: with this JSON body, or none.
    pub fn request(method: &'static str, target: impl Into<String>, body: Option<Value>) -> Self {
        Self {
            method,
            target: target.into(),
            body: body.map_or(ExpectBody::Empty, ExpectBody::Json),
        }
    }

    /// `GET target` (a poll or the final GET): no body, no `Content-Type`.
    pub fn get(target: impl Into<String>) -> Self {
        Self::request("GET", target, None)
    }

    fn check(&self, request: &Received, problems: &mut Vec<String>) {
        if request.method != self.method || request.target != self.target {
            problems.push(format!(
                "expected {} {}, got {} {}",
                self.method, self.target, request.method, request.target
            ));
        }
        match &self.body {
            ExpectBody::Empty => {
                if !request.body.is_empty() {
                    problems.push(format!(
                        "expected no body, got {} bytes",
                        request.body.len()
                    ));
                }
                if let Some(content_type) = request.header("content-type") {
                    problems.push(format!("expected no Content-Type, got {content_type}"));
                }
                if request.method == "POST" && request.header("content-length") != Some("0") {
                    problems.push(format!(
                        "a POST without body must say Content-Length: 0, got {:?}",
                        request.header("content-length")
                    ));
                }
            }
            ExpectBody::Json(expected) => {
                if request.header("content-type") != Some("application/json") {
                    problems.push(format!(
                        "expected Content-Type: application/json, got {:?}",
                        request.header("content-type")
                    ));
                }
                match serde_json::from_slice::<Value>(&request.body) {
                    Ok(body) if &body == expected => {}
                    Ok(body) => problems.push(format!("expected body {expected}, got {body}")),
                    Err(error) => problems.push(format!("the body is not JSON: {error}")),
                }
            }
        }
    }
}

/// A canned reply. `{base}` in a header value becomes `https://127.0.0.1:<port>`.
#[derive(Clone, Debug)]
pub struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    hang_up: bool,
}

impl Reply {
    pub fn status(status: u16) -> Self {
        Self {
            status,
            headers: Vec::new(),
            body: Vec::new(),
            hang_up: false,
        }
    }

    /// `202 Accepted` without body.
    pub fn accepted() -> Self {
        Self::status(202)
    }

    /// `status` with a JSON body.
    pub fn json(status: u16, body: Value) -> Self {
        Self::status(status)
            .header("content-type", "application/json; charset=utf-8")
            .raw_body(body.to_string().into_bytes())
    }

    /// Closes the connection without answering (a connection reset, as the client sees it).
    pub fn hang_up() -> Self {
        Self {
            hang_up: true,
            ..Self::status(0)
        }
    }

    pub fn header(mut self, name: &str, value: impl Into<String>) -> Self {
        self.headers.push((name.to_owned(), value.into()));
        self
    }

    pub fn raw_body(mut self, body: Vec<u8>) -> Self {
        self.body = body;
        self
    }

    fn bytes(&self, base: &str) -> Vec<u8> {
        let mut head = format!(
            "HTTP/1.1 {} Scripted\r\ncontent-length: {}\r\nconnection: close\r\n",
            self.status,
            self.body.len()
        );
        for (name, value) in &self.headers {
            let _ = write!(head, "{name}: {}\r\n", value.replace("{base}", base));
        }
        head.push_str("\r\n");
        let mut bytes = head.into_bytes();
        bytes.extend_from_slice(&self.body);
        bytes
    }
}

/// A request as the server received it.
#[derive(Clone, Debug)]
pub struct Received {
    pub method: String,
    /// The request target exactly as sent: percent-encoded path and query.
    pub target: String,
    /// Lower-case names, values as sent.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    pub arrived: Instant,
    pub arrived_wall: SystemTime,
    /// When the reply had been written (`None` for hang-ups and requests still being answered).
    pub answered: Option<Instant>,
}

impl Received {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn path(&self) -> &str {
        self.target.split('?').next().unwrap_or_default()
    }

    pub fn query(&self) -> Option<&str> {
        self.target.split_once('?').map(|(_, query)| query)
    }
}

struct Step {
    expect: Expect,
    reply: Reply,
}

#[derive(Default)]
struct State {
    script: VecDeque<Step>,
    received: Vec<Received>,
    problems: Vec<String>,
    connections: usize,
}

struct Shared {
    base: String,
    api_version: String,
    token: String,
    state: Mutex<State>,
}

impl Shared {
    fn state(&self) -> MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Checks the request, records it, and picks the reply. Returns the request's index.
    fn answer(&self, request: Received) -> (usize, Reply) {
        let mut problems = Vec::new();
        let expected_auth = format!("Bearer {}", self.token);
        if request.header("authorization") != Some(expected_auth.as_str()) {
            problems.push(format!(
                "expected Authorization: Bearer <the test token>, got {}",
                if request.header("authorization").is_some() {
                    "another value"
                } else {
                    "none"
                }
            ));
        }
        if request.header("accept") != Some("application/json") {
            problems.push(format!(
                "expected Accept: application/json, got {:?}",
                request.header("accept")
            ));
        }
        let api_versions: Vec<&str> = request
            .query()
            .unwrap_or_default()
            .split('&')
            .filter_map(|pair| pair.strip_prefix("api-version="))
            .collect();
        if api_versions != [self.api_version.as_str()] {
            problems.push(format!(
                "expected api-version={} exactly once, got {api_versions:?}",
                self.api_version
            ));
        }
        let mut state = self.state();
        let reply = match state.script.pop_front() {
            Some(step) => {
                step.expect.check(&request, &mut problems);
                step.reply
            }
            None => {
                problems.push(format!(
                    "unexpected request {} {}",
                    request.method, request.target
                ));
                Reply::status(418)
            }
        };
        let reply = if problems.is_empty() {
            reply
        } else {
            let message = problems.join("; ");
            let number = state.received.len() + 1;
            state.problems.push(format!("request #{number}: {message}"));
            Reply::json(
                418,
                serde_json::json!({"error": {"code": "TestServerMismatch", "message": message}}),
            )
        };
        state.received.push(request);
        (state.received.len() - 1, reply)
    }
}

/// A scripted HTTPS server on `127.0.0.1:<free port>`; stops when dropped.
pub struct TestServer {
    addr: SocketAddr,
    shared: Arc<Shared>,
    task: JoinHandle<()>,
    finished: bool,
}

impl TestServer {
    /// Starts a server presenting a certificate of `ca`, expecting `api-version=<api_version>`
    /// and `Authorization: Bearer <token>` on every request.
    pub async fn start(ca: &TestCa, api_version: &str, token: &str) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1");
        let addr = listener.local_addr().expect("local address");
        let shared = Arc::new(Shared {
            base: format!("https://{addr}"),
            api_version: api_version.to_owned(),
            token: token.to_owned(),
            state: Mutex::default(),
        });
        let acceptor = TlsAcceptor::from(ca.server_config());
        let task = tokio::spawn(serve(listener, acceptor, shared.clone()));
        Self {
            addr,
            shared,
            task,
            finished: false,
        }
    }

    /// `https://127.0.0.1:<port>`
    pub fn base(&self) -> &str {
        &self.shared.base
    }

    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// Adds a request to expect, after those already pushed, and its reply.
    pub fn expect(&self, expect: Expect, reply: Reply) {
        self.shared.state().script.push_back(Step { expect, reply });
    }

    pub fn received(&self) -> Vec<Received> {
        self.shared.state().received.clone()
    }

    /// How long after answering request `index - 1` request `index` arrived (the delay the
    /// client kept between the two).
    pub fn waited_before(&self, index: usize) -> Duration {
        let received = self.received();
        let answered = received[index - 1]
            .answered
            .expect("the earlier request was answered");
        received[index].arrived.duration_since(answered)
    }

    /// TCP connections accepted so far (a connection counts even if it never sends a request).
    pub fn connections(&self) -> usize {
        self.shared.state().connections
    }

    /// The mismatches seen so far, which [`finish`](Self::finish) would fail on; clears them.
    pub fn take_problems(&self) -> Vec<String> {
        std::mem::take(&mut self.shared.state().problems)
    }

    /// Fails the test if a request did not match or an expected request never came.
    pub fn finish(&mut self) {
        self.finished = true;
        let state = self.shared.state();
        assert!(
            state.problems.is_empty(),
            "the server saw requests it did not expect:\n{}",
            state.problems.join("\n")
        );
        let missing: Vec<String> = state
            .script
            .iter()
            .map(|step| format!("{} {}", step.expect.method, step.expect.target))
            .collect();
        assert!(
            missing.is_empty(),
            "expected requests never came: {missing:#?}"
        );
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.task.abort();
        if !self.finished && !std::thread::panicking() {
            self.finish();
        }
    }
}

async fn serve(listener: TcpListener, acceptor: TlsAcceptor, shared: Arc<Shared>) {
    // Dropped (and with it every connection task) when the server task is aborted.
    let mut connections = JoinSet::new();
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        shared.state().connections += 1;
        connections.spawn(connection(stream, acceptor.clone(), shared.clone()));
        while connections.try_join_next().is_some() {}
    }
}

async fn connection(stream: TcpStream, acceptor: TlsAcceptor, shared: Arc<Shared>) {
    if let Err(problem) = exchange(stream, acceptor, &shared).await {
        shared.state().problems.push(problem);
    }
}

async fn exchange(stream: TcpStream, acceptor: TlsAcceptor, shared: &Shared) -> Result<(), String> {
    let mut tls = timeout(IO_LIMIT, acceptor.accept(stream))
        .await
        .map_err(|_| "TLS handshake timed out".to_owned())?
        .map_err(|error| format!("TLS handshake failed: {error}"))?;
    let request = timeout(IO_LIMIT, read_request(&mut tls))
        .await
        .map_err(|_| "reading the request timed out".to_owned())??;
    let (index, reply) = shared.answer(request);
    if reply.hang_up {
        return Ok(());
    }
    timeout(IO_LIMIT, async {
        tls.write_all(&reply.bytes(&shared.base)).await?;
        tls.flush().await
    })
    .await
    .map_err(|_| "writing the reply timed out".to_owned())?
    .map_err(|error| format!("writing the reply failed: {error}"))?;
    shared.state().received[index].answered = Some(Instant::now());
    // Best effort: the client may already have closed its side.
    let _ = timeout(IO_LIMIT, tls.shutdown()).await;
    Ok(())
}

async fn read_request<S: AsyncReadExt + Unpin>(stream: &mut S) -> Result<Received, String> {
    let mut buffer = Vec::new();
    let mut chunk = [0_u8; 4096];
    let head_end = loop {
        let read = stream
            .read(&mut chunk)
            .await
            .map_err(|error| format!("reading the request failed: {error}"))?;
        if read == 0 {
            return Err("the connection closed before a whole request head".to_owned());
        }
        buffer.extend_from_slice(&chunk[..read]);
        if let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break end;
        }
        if buffer.len() > MAX_HEAD {
            return Err("the request head is too long".to_owned());
        }
    };
    let arrived = Instant::now();
    let arrived_wall = SystemTime::now();
    let head = std::str::from_utf8(&buffer[..head_end])
        .map_err(|_| "the request head is not UTF-8".to_owned())?;
    let mut lines = head.split("\r\n");
    let request_line = lines.next().unwrap_or_default();
    let mut parts = request_line.split(' ');
    let (Some(method), Some(target), Some("HTTP/1.1"), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(format!("bad request line {request_line:?}"));
    };
    let mut headers = Vec::new();
    for line in lines {
        let (name, value) = line
            .split_once(':')
            .ok_or_else(|| format!("bad header line {line:?}"))?;
        headers.push((name.trim().to_ascii_lowercase(), value.trim().to_owned()));
    }
    let mut request = Received {
        method: method.to_owned(),
        target: target.to_owned(),
        headers,
        body: buffer[head_end + 4..].to_vec(),
        arrived,
        arrived_wall,
        answered: None,
    };
    if request.header("transfer-encoding").is_some() {
        return Err("chunked request bodies are not expected".to_owned());
    }
    let length: usize = match request.header("content-length") {
        Some(value) => value
            .parse()
            .map_err(|_| format!("bad Content-Length {value:?}"))?,
        None => 0,
    };
    if length > MAX_BODY {
        return Err("the request body is too long".to_owned());
    }
    while request.body.len() < length {
        let read = stream
            .read(&mut chunk)
            .await
            .map_err(|error| format!("reading the request body failed: {error}"))?;
        if read == 0 {
            return Err("the connection closed in the middle of the body".to_owned());
        }
        request.body.extend_from_slice(&chunk[..read]);
    }
    if request.body.len() != length {
        return Err("more body than Content-Length says".to_owned());
    }
    Ok(request)
}
