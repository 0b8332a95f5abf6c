//! Secrets out of service text: [`redact`] finds SAS signatures, tokens and URL queries in any
//! text a service sent (error messages, codes, targets, details, headers) and replaces them with
//! `<redacted>`, in one linear pass (the rules are on [`redact`]).

use std::{borrow::Cow, fmt};

/// What every secret is replaced with.
pub const REDACTED: &str = "<redacted>";

/// Parameter names whose values are secrets (compared in ASCII lower case).
const SECRET_PARAMS: &[&str] = &[
    "sig",
    "skoid",
    "sktid",
    "skt",
    "ske",
    "sks",
    "skv",
    "skdutid",
    "sduoid",
    "saoid",
    "suoid",
    "access_token",
    "refresh_token",
    "client_secret",
];

/// How many times a percent sign may itself be percent-encoded in `%3D` (`%253D`, `%25253D`).
const MAX_ENCODING_DEPTH: usize = 3;

/// `text` with every secret replaced by `<redacted>`.
///
/// What is redacted, in any letter case:
///
/// - the query and fragment of every `http://` and `https://` URL (a SAS is a query);
/// - the value of every secret parameter, written `name=value`, wherever it appears: in a URL
///   with or without its scheme, in a bare token such as `sv=…&sig=…`, with the `=`
///   percent-encoded once or twice (`sig%3D…`, `sig%253D…`) or JSON-escaped (`sig\u003d…`).
///   The secret parameters are the SAS signature `sig`, the user-delegation key fields (`skoid`,
///   `sktid`, `skt`, `ske`, `sks`, `skv`, `skdutid`, `sduoid`, `saoid`, `suoid`) and the OAuth
///   `access_token`, `refresh_token` and `client_secret`. The other SAS fields (`sv`, `se`,
///   `st`, `sp`, `sr`, …) are kept: they are not secret and they explain failures ("the SAS
///   expired at `se`");
/// - the credential after `Bearer `, and anything shaped like a JWT (`eyJ…` with two dots).
///
/// A value runs until whitespace, `&`, a quote, a backslash, `<`, `>`, a backtick, `,`, `;`,
/// `|` or a bracket: a secret is base64 or percent-encoded, so it never contains those, and
/// stopping there keeps the text around it readable. A URL runs until whitespace, a quote, a
/// backslash, `<`, `>` or a backtick.
///
/// Borrows when there is nothing to redact. Time is linear in the length of `text`: each byte
/// is looked at a bounded number of times, whatever the input.
///
/// ```
/// use azure_arm_runtime::redact;
///
/// assert_eq!(
///     redact("blob md.blob.core.windows.net/c/b?sv=2022-11-02&SIG=abc%2B&se=2030 is locked"),
///     "blob md.blob.core.windows.net/c/b?sv=2022-11-02&SIG=<redacted>&se=2030 is locked",
/// );
/// assert_eq!(redact("see https://h/p?sv=1&sig=x."), "see https://h/p?<redacted>");
/// ```
pub fn redact(text: &str) -> Cow<'_, str> {
    Redactor::new(text).run()
}

/// Formats `T`'s `Debug` (alternate `{:#?}` too) with [`redact`] applied: for models that hold
/// service text, such as the error bodies of generated clients.
///
/// ```
/// use azure_arm_runtime::Redacted;
///
/// let message = Some("token sig=abc".to_owned());
/// assert_eq!(format!("{:?}", Redacted(&message)), r#"Some("token sig=<redacted>")"#);
/// ```
pub struct Redacted<T>(pub T);

impl<T: fmt::Debug> fmt::Debug for Redacted<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = if f.alternate() {
            format!("{:#?}", self.0)
        } else {
            format!("{:?}", self.0)
        };
        f.write_str(&redact(&text))
    }
}

/// One pass over `text`: `copied` is how far `text` has been copied to `out` (or skipped as
/// redacted); `url_end` and `run_end` remember where the URL or token run already inspected
/// ends, so that no byte is scanned as the start of a new one twice.
struct Redactor<'a> {
    text: &'a str,
    bytes: &'a [u8],
    out: String,
    copied: usize,
    url_end: usize,
    run_end: usize,
}

impl<'a> Redactor<'a> {
    fn new(text: &'a str) -> Self {
        Self {
            text,
            bytes: text.as_bytes(),
            out: String::new(),
            copied: 0,
            url_end: 0,
            run_end: 0,
        }
    }

    fn run(mut self) -> Cow<'a, str> {
        let mut at = 0;
        while at < self.bytes.len() {
            at = match self.secret_at(at) {
                // Keep `text[..keep]`, replace `text[keep..skip]`.
                Some((keep, skip)) => {
                    self.out.push_str(&self.text[self.copied..keep]);
                    self.out.push_str(REDACTED);
                    self.copied = skip;
                    skip.max(at + 1)
                }
                None => at + 1,
            };
        }
        if self.copied == 0 && self.out.is_empty() {
            return Cow::Borrowed(self.text);
        }
        self.out.push_str(&self.text[self.copied..]);
        Cow::Owned(self.out)
    }

    /// The secret starting at `at`, as (end of what is kept, end of what is replaced).
    fn secret_at(&mut self, at: usize) -> Option<(usize, usize)> {
        // A letter before: inside a word (`asks=` is not `sks=`). A digit is allowed, for the
        // `6` of a percent-encoded `&` (`%26sig%3D`).
        if at > 0 && self.bytes[at - 1].is_ascii_alphabetic() {
            return None;
        }
        if at >= self.url_end
            && let Some(found) = self.url_query(at)
        {
            return Some(found);
        }
        let value = self
            .secret_param_value(at)
            .or_else(|| self.bearer_value(at));
        if let Some(start) = value {
            let end = self.value_end(start);
            // An empty value (`sig=&`) has nothing to hide.
            return (end > start).then_some((start, end));
        }
        if at >= self.run_end {
            return self.jwt(at);
        }
        None
    }

    /// `http(s)://…?query`: keeps up to `?`, replaces the query and fragment.
    fn url_query(&mut self, at: usize) -> Option<(usize, usize)> {
        let rest = &self.bytes[at..];
        let scheme = if starts_with_ignore_case(rest, b"https://") {
            8
        } else if starts_with_ignore_case(rest, b"http://") {
            7
        } else {
            return None;
        };
        let end = self.value_end_with(at + scheme, is_url_end);
        self.url_end = end;
        let query = self.bytes[at + scheme..end]
            .iter()
            .position(|&b| b == b'?' || b == b'#')?;
        let keep = at + scheme + query + 1;
        (keep < end).then_some((keep, end))
    }

    /// After `name=` of a secret parameter: where its value starts.
    fn secret_param_value(&self, at: usize) -> Option<usize> {
        let rest = &self.bytes[at..];
        SECRET_PARAMS.iter().find_map(|name| {
            if !starts_with_ignore_case(rest, name.as_bytes()) {
                return None;
            }
            separator_len(&rest[name.len()..]).map(|len| at + name.len() + len)
        })
    }

    /// After `Bearer ` (one or more spaces or tabs): where the credential starts.
    fn bearer_value(&self, at: usize) -> Option<usize> {
        let rest = &self.bytes[at..];
        if !starts_with_ignore_case(rest, b"bearer") {
            return None;
        }
        let spaces = rest[6..]
            .iter()
            .take_while(|&&b| b == b' ' || b == b'\t')
            .count();
        (spaces > 0).then_some(at + 6 + spaces)
    }

    /// `eyJ…` made of base64url characters and at least two dots: a JWT.
    fn jwt(&mut self, at: usize) -> Option<(usize, usize)> {
        if !self.bytes[at..].starts_with(b"eyJ") {
            return None;
        }
        let run = self.bytes[at..]
            .iter()
            .take_while(|&&b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
            .count();
        self.run_end = at + run;
        let dots = self.bytes[at..at + run]
            .iter()
            .filter(|&&b| b == b'.')
            .count();
        (dots >= 2).then_some((at, at + run))
    }

    fn value_end(&self, start: usize) -> usize {
        self.value_end_with(start, is_value_end)
    }

    fn value_end_with(&self, start: usize, is_end: fn(u8) -> bool) -> usize {
        self.bytes[start..]
            .iter()
            .position(|&b| is_end(b))
            .map_or(self.bytes.len(), |offset| start + offset)
    }
}

/// The length of what separates a name from its value at the start of `bytes`: `=`, `%3D`,
/// `%253D`…, `\u003d`, or a JSON key's `": "` (also as Debug escapes it, `\": \"`).
fn separator_len(bytes: &[u8]) -> Option<usize> {
    match bytes.first()? {
        b'=' => Some(1),
        b'"' => json_separator_len(bytes, 0),
        b'\\' if bytes.get(1) == Some(&b'"') => json_separator_len(bytes, 1),
        b'%' => {
            let mut len = 1;
            for _ in 0..MAX_ENCODING_DEPTH {
                if bytes[len..].starts_with(b"25") {
                    len += 2;
                }
            }
            starts_with_ignore_case(&bytes[len..], b"3d").then_some(len + 2)
        }
        b'\\' => starts_with_ignore_case(bytes, b"\\u003d").then_some(6),
        _ => None,
    }
}

/// `"`, up to 4 spaces, `:`, up to 4 spaces, and `"` (each quote after `escaped` backslashes).
fn json_separator_len(bytes: &[u8], escaped: usize) -> Option<usize> {
    let mut len = escaped + 1;
    let spaces = |from: usize| {
        bytes[from..]
            .iter()
            .take(4)
            .take_while(|&&b| b == b' ')
            .count()
    };
    len += spaces(len);
    if bytes.get(len) != Some(&b':') {
        return None;
    }
    len += 1;
    len += spaces(len);
    len += escaped;
    (bytes.get(len) == Some(&b'"') && bytes[len - escaped..len].iter().all(|&b| b == b'\\'))
        .then_some(len + 1)
}

fn starts_with_ignore_case(bytes: &[u8], prefix: &[u8]) -> bool {
    bytes.len() >= prefix.len() && bytes[..prefix.len()].eq_ignore_ascii_case(prefix)
}

/// Where a URL ends in running text.
fn is_url_end(b: u8) -> bool {
    b.is_ascii_whitespace()
        || b.is_ascii_control()
        || matches!(b, b'"' | b'\'' | b'<' | b'>' | b'`' | b'\\')
}

/// Where a secret value ends (see the module docs).
fn is_value_end(b: u8) -> bool {
    is_url_end(b)
        || matches!(
            b,
            b'&' | b',' | b';' | b'|' | b'(' | b')' | b'[' | b']' | b'{' | b'}'
        )
}
