//! Request parameters: the constraints the generator compiles from the spec, their
//! validation, and how they become URL path segments and query pairs.
//!
//! Why this exists: building a URL by string replacement and `set_path` lets a resource name
//! such as `..`, `a/b` or `%2e%2e` change which resource a request addresses. Here every path
//! parameter becomes exactly one percent-encoded segment, and the dot segments are rejected
//! outright (some HTTP stacks normalise them even when encoded).

use azure_core::{Error, Result, error::ErrorKind, http::Url};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use std::borrow::Cow;

/// One piece of a request path, as [`ArmPipeline::request`](crate::ArmPipeline::request) reads
/// its template.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum PathSegment<'a> {
    /// Fixed text from the path template (`subscriptions`, `providers`, `Microsoft.Compute`).
    ///
    /// A literal may contain `/`; it is then split into several segments. Literals come from
    /// the spec, never from callers, so they are not validated against rules, but `.`/`..`
    /// pieces are still refused.
    Literal(&'static str),
    /// A value supplied by the caller: validated against its rules and encoded as exactly one
    /// path segment.
    Param(Param<'a>),
}

impl<'a> PathSegment<'a> {
    /// A parameter segment: shorthand for `PathSegment::Param(Param::new(..))`.
    pub(crate) fn param(name: &'static str, value: &'a str, rules: &'static ParamRules) -> Self {
        Self::Param(Param::new(name, value, rules))
    }
}

/// A named parameter value together with the spec's constraints on it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Param<'a> {
    /// The parameter's name in the spec (`resourceGroupName`), used in error messages.
    pub name: &'static str,
    /// The value to send: borrowed for strings, owned for numbers, booleans, enums and lists
    /// formatted by the generated code.
    pub value: Cow<'a, str>,
    /// The constraints the value must satisfy.
    pub rules: &'static ParamRules,
}

impl<'a> Param<'a> {
    /// A parameter with the given name, value and rules.
    pub(crate) fn new(
        name: &'static str,
        value: impl Into<Cow<'a, str>>,
        rules: &'static ParamRules,
    ) -> Self {
        Self {
            name,
            value: value.into(),
            rules,
        }
    }
}

/// A path parameter's value and rules, for [`ArmPipeline::request`](crate::ArmPipeline::request):
/// the `n`th value fills the path template's `n`th `{name}`.
pub type PathValue<'a> = (&'a str, &'static ParamRules);

/// A query or header parameter for [`ArmPipeline::request`](crate::ArmPipeline::request): its
/// name in the spec, its value (`None`: an optional parameter the caller left out, not sent)
/// and its rules.
pub type NamedValue<'a> = (&'static str, Option<&'a str>, &'static ParamRules);

/// A list parameter's value (`collectionFormat: csv`, the default): the items joined by commas.
pub fn csv<T: std::fmt::Display>(items: &[T]) -> String {
    let joined: Vec<String> = items.iter().map(ToString::to_string).collect();
    joined.join(",")
}

/// Constraints from the spec, compiled by the generator (no regex engine at run time).
///
/// Every parameter is required and must be non-empty; lengths are counted in Unicode scalar
/// values (characters), as the service counts them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct ParamRules {
    /// Minimum length in characters (`minLength`).
    pub min_length: Option<usize>,
    /// Maximum length in characters (`maxLength`).
    pub max_length: Option<usize>,
    /// The spec's `pattern`, when it is a single anchored character class.
    pub pattern: Option<Pattern>,
    /// The smallest number allowed (`minimum`, `exclusiveMinimum`).
    pub minimum: Option<Bound>,
    /// The largest number allowed (`maximum`, `exclusiveMaximum`).
    pub maximum: Option<Bound>,
}

impl ParamRules {
    /// No constraint from the spec: the value need only be non-empty, which every parameter
    /// sent must be. The rules of a parameter whose spec sets no `minLength`, `maxLength`,
    /// `pattern`, `minimum` or `maximum`, and the base that generated rules fill in from
    /// (`..ParamRules::NON_EMPTY`).
    pub const NON_EMPTY: ParamRules = ParamRules {
        min_length: None,
        max_length: None,
        pattern: None,
        minimum: None,
        maximum: None,
    };
}

/// A numeric bound of a number or integer parameter.
#[derive(Clone, Copy, Debug)]
pub struct Bound {
    /// The number.
    pub value: f64,
    /// The bound itself is not allowed.
    pub exclusive: bool,
}

/// Bounds are equal when they are the same bits: a generated constant is never NaN.
impl PartialEq for Bound {
    fn eq(&self, other: &Self) -> bool {
        self.value.to_bits() == other.value.to_bits() && self.exclusive == other.exclusive
    }
}

impl Eq for Bound {}

impl Bound {
    /// How `value` (a parameter as sent) compares with the bound. Integers compare exactly
    /// (an `i64` beyond 2^53 is not rounded first); `None` when `value` is not a number.
    fn compare(&self, value: &str) -> Option<std::cmp::Ordering> {
        let exact_bound = self.value.fract() == 0.0 && self.value.abs() < 9.3e18;
        match value.parse::<i64>() {
            #[allow(clippy::cast_possible_truncation)] // integral and in range: exact
            Ok(int) if exact_bound => Some(int.cmp(&(self.value as i64))),
            _ => value
                .parse::<f64>()
                .ok()
                .filter(|v| v.is_finite())
                .and_then(|v| v.partial_cmp(&self.value)),
        }
    }
}

/// An anchored single character class `^[...]+$` (or `*`): every char of the value must be in
/// one of `allowed`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pattern {
    /// The pattern as written in the spec, quoted in error messages.
    pub source: &'static str,
    /// The character sets that make up the class.
    pub allowed: &'static [CharSet],
}

impl Pattern {
    /// Whether `c` belongs to one of the allowed sets.
    pub fn allows(&self, c: char) -> bool {
        self.allowed.iter().any(|set| set.contains(c))
    }
}

/// One member of a character class.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CharSet {
    /// `\w`: Unicode alphanumerics and `_` (what Azure and Python's `re` accept).
    Word,
    /// `\d`: Unicode numeric characters. This is slightly wider than the decimal digits a
    /// regex engine would accept; the service has the final word, and refusing a value the
    /// service accepts would be worse than letting it answer.
    Digit,
    /// `\s`: Unicode white space.
    Space,
    /// Literal characters.
    Chars(&'static str),
    /// An inclusive range such as `a-z`.
    Range(char, char),
}

impl CharSet {
    /// Whether `c` belongs to this set.
    pub fn contains(&self, c: char) -> bool {
        match *self {
            CharSet::Word => c == '_' || c.is_alphanumeric(),
            CharSet::Digit => c.is_numeric(),
            CharSet::Space => c.is_whitespace(),
            CharSet::Chars(chars) => chars.contains(c),
            CharSet::Range(low, high) => low <= c && c <= high,
        }
    }
}

fn invalid(name: &str, rule: String) -> Error {
    Error::with_message(
        ErrorKind::DataConversion,
        format!("parameter `{name}`: {rule}"),
    )
}

/// Checks `param` against its rules. `in_path` adds the dot-segment rule.
pub(crate) fn validate(param: &Param<'_>, in_path: bool) -> Result<()> {
    let Param { name, value, rules } = param;
    let value: &str = value;
    if value.is_empty() {
        return Err(invalid(name, "must not be empty".to_owned()));
    }
    if in_path && (value == "." || value == "..") {
        return Err(invalid(
            name,
            format!("`{value}` is not allowed as a path segment"),
        ));
    }
    let length = value.chars().count();
    if let Some(min) = rules.min_length
        && length < min
    {
        return Err(invalid(
            name,
            format!("length {length} is below the minimum of {min}"),
        ));
    }
    if let Some(max) = rules.max_length
        && length > max
    {
        return Err(invalid(
            name,
            format!("length {length} exceeds the maximum of {max}"),
        ));
    }
    check_bounds(name, value, rules)?;
    if let Some(pattern) = &rules.pattern
        && let Some((position, c)) = value.chars().enumerate().find(|(_, c)| !pattern.allows(*c))
    {
        return Err(invalid(
            name,
            format!(
                "character {c:?} at position {} does not match the pattern `{}`",
                position.saturating_add(1),
                pattern.source
            ),
        ));
    }
    Ok(())
}

/// `minimum` and `maximum`, inclusive or exclusive, of a number as sent.
fn check_bounds(name: &str, value: &str, rules: &ParamRules) -> Result<()> {
    use std::cmp::Ordering::{Equal, Greater, Less};
    let bounds = [
        (rules.minimum, Less, "at least"),
        (rules.maximum, Greater, "at most"),
    ];
    for (bound, outside, limit) in bounds {
        let Some(bound) = bound else { continue };
        let Some(order) = bound.compare(value) else {
            return Err(invalid(name, format!("`{value}` is not a number")));
        };
        if order == outside || (bound.exclusive && order == Equal) {
            let (limit, than) = match (bound.exclusive, outside) {
                (true, Less) => ("greater", " than"),
                (true, _) => ("less", " than"),
                (false, _) => (limit, ""),
            };
            return Err(invalid(
                name,
                format!(
                    "{value} is out of range: it must be {limit}{than} {}",
                    bound.value
                ),
            ));
        }
    }
    Ok(())
}

/// The parameters of `values` that were given, in order.
pub(crate) fn present<'a>(values: &[NamedValue<'a>]) -> Vec<Param<'a>> {
    values
        .iter()
        .filter_map(|&(name, value, rules)| Some(Param::new(name, value?, rules)))
        .collect()
}

/// [`build_url`] from a path template (`/subscriptions/{subscriptionId}/…`), its `{name}`
/// pieces filled by `values` in order, and the query parameters that were given.
pub(crate) fn template_url(
    endpoint: &Url,
    template: &'static str,
    values: &[PathValue<'_>],
    query: &[NamedValue<'_>],
) -> Result<Url> {
    let mut values = values.iter();
    let mut path = Vec::new();
    for piece in template.split('/').filter(|piece| !piece.is_empty()) {
        let segment = match piece.strip_prefix('{').and_then(|p| p.strip_suffix('}')) {
            Some(name) => match values.next() {
                Some(&(value, rules)) => PathSegment::param(name, value, rules),
                None => {
                    return Err(template_mismatch(
                        template,
                        &format!("no value for `{name}`"),
                    ));
                }
            },
            None => PathSegment::Literal(piece),
        };
        path.push(segment);
    }
    if values.next().is_some() {
        return Err(template_mismatch(template, "more values than parameters"));
    }
    build_url(endpoint, &path, &present(query))
}

/// Generated code passes one value per `{name}`; anything else is a bug in it, refused
/// before anything is sent rather than a request to another path.
/// The message quotes the template (spec text, no caller's value).
fn template_mismatch(template: &str, what: &str) -> Error {
    Error::with_message(
        ErrorKind::DataConversion,
        format!("path `{template}`: {what}; the generated call does not match its template"),
    )
}

/// Endpoint + one percent-encoded segment per path piece + the query pairs, each once.
pub(crate) fn build_url(
    endpoint: &Url,
    path: &[PathSegment<'_>],
    query: &[Param<'_>],
) -> Result<Url> {
    // Validate everything before building anything.
    for segment in path {
        match segment {
            PathSegment::Param(param) => validate(param, true)?,
            PathSegment::Literal(literal) => {
                if literal
                    .split('/')
                    .any(|piece| piece == "." || piece == "..")
                {
                    return Err(Error::with_message(
                        ErrorKind::DataConversion,
                        format!("path literal `{literal}` contains a `.` or `..` segment"),
                    ));
                }
            }
        }
    }
    for (index, param) in query.iter().enumerate() {
        validate(param, false)?;
        if query[..index]
            .iter()
            .any(|earlier| earlier.name == param.name)
        {
            return Err(Error::with_message(
                ErrorKind::DataConversion,
                format!("query parameter `{}` is given more than once", param.name),
            ));
        }
    }

    // The path is assembled from segments this module encoded itself rather than through
    // `PathSegmentsMut::push`: the URL parser silently drops tabs and newlines from what it is
    // given, which would turn `a\tb` into `ab`, another resource.
    let mut new_path = endpoint.path().trim_end_matches('/').to_owned();
    for segment in path {
        match segment {
            PathSegment::Literal(literal) => {
                for piece in literal.split('/').filter(|piece| !piece.is_empty()) {
                    new_path.push('/');
                    encode_segment(piece, &mut new_path);
                }
            }
            PathSegment::Param(param) => {
                new_path.push('/');
                encode_segment(&param.value, &mut new_path);
            }
        }
    }
    let mut url = endpoint.clone();
    url.set_query(None);
    url.set_fragment(None);
    url.set_path(&new_path);
    if !query.is_empty() {
        let mut pairs = url.query_pairs_mut();
        for param in query {
            pairs.append_pair(param.name, &param.value);
        }
    }
    Ok(url)
}

/// Percent-encodes `value` as one path segment: everything but the RFC 3986 unreserved
/// characters (`A-Z a-z 0-9 - . _ ~`) becomes `%XX` of its UTF-8 bytes, so `/`, `%`, `?`, `#`,
/// `\\`, spaces, control characters and non-ASCII all stay inside the segment. Since `%` itself
/// is encoded, an encoded dot (`%2e`) can never be produced, and plain `.`/`..` are rejected by
/// [`validate`] before this runs.
fn encode_segment(value: &str, out: &mut String) {
    out.extend(utf8_percent_encode(value, SEGMENT));
}

/// What [`encode_segment`] encodes: every byte but the RFC 3986 unreserved characters.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');
