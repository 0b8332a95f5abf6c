//! `$ref`s: where a document may hold one, and which file and JSON pointer it names.
//!
//! A `$ref` is followed only where the format allows one: in the structure of the document
//! (schemas, parameters, responses, path items, and the `x-ms-paths` and
//! `x-ms-parameterized-host` extensions that carry such structure). Values that are data —
//! `example`, `examples`, `x-ms-examples`, `enum`, `default`, and other vendor extensions —
//! may contain an object with a `$ref` key that is not a reference, and are not searched.

use std::borrow::Cow;
use std::cell::RefCell;
use std::path::{Component, Path, PathBuf};

use serde_json::Value;

use crate::diagnostics::{Location, pointer_token};

/// Keys whose values are data, never searched for references.
const DATA_KEYS: &[&str] = &[
    "example",
    "examples",
    "x-ms-examples",
    "x-example",
    "enum",
    "default",
    "const",
];

/// Keys whose value is a map from names (property names, definition names, status codes,
/// paths, media types) to structure: a child named `example` there is a name, not data.
const NAME_MAP_KEYS: &[&str] = &[
    "properties",
    "patternProperties",
    "definitions",
    "parameters",
    "responses",
    "paths",
    "x-ms-paths",
    "headers",
    "securityDefinitions",
    "schemas",
    "requestBodies",
    "securitySchemes",
    "callbacks",
    "content",
    "encoding",
];

/// Vendor extensions that hold spec structure, searched like the rest of the document.
const STRUCTURAL_EXTENSIONS: &[&str] = &["x-ms-paths", "x-ms-parameterized-host"];

/// Every `$ref` in `document` where the format allows one: (pointer of the `$ref` member,
/// reference). Walks with an explicit stack, so nesting depth cannot overflow the stack.
pub fn collect_refs(document: &Value) -> Vec<(String, String)> {
    let mut out = Vec::new();
    // Each node visited, as its parent's entry and its own key or index: a pointer is spelled
    // only for the few members that are a `$ref`, not for every node of the document.
    let mut steps: Vec<Step<'_>> = Vec::new();
    // (value, its entry in `steps` (none for the document), whether its keys are names
    // rather than keywords)
    let mut stack: Vec<(&Value, Option<usize>, bool)> = vec![(document, None, false)];
    while let Some((value, at, names)) = stack.pop() {
        match value {
            Value::Object(map) => {
                for (key, child) in map.iter().rev() {
                    let is_extension =
                        key.starts_with("x-") && !STRUCTURAL_EXTENSIONS.contains(&key.as_str());
                    let is_name_map = if names {
                        if is_extension {
                            continue;
                        }
                        false
                    } else if key == "$ref" {
                        if let Value::String(reference) = child {
                            let pointer = format!("{}/{}", pointer(&steps, at), pointer_token(key));
                            out.push((pointer, reference.clone()));
                        }
                        continue;
                    } else if DATA_KEYS.contains(&key.as_str()) || is_extension {
                        continue;
                    } else {
                        NAME_MAP_KEYS.contains(&key.as_str()) && child.is_object()
                    };
                    steps.push(Step {
                        parent: at,
                        key: Key::Name(key),
                    });
                    stack.push((child, Some(steps.len() - 1), is_name_map));
                }
            }
            Value::Array(items) => {
                for (index, child) in items.iter().enumerate().rev() {
                    steps.push(Step {
                        parent: at,
                        key: Key::Index(index),
                    });
                    stack.push((child, Some(steps.len() - 1), false));
                }
            }
            _ => {}
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// A node [`collect_refs`] visited: its parent's entry, and its key in the parent.
struct Step<'a> {
    parent: Option<usize>,
    key: Key<'a>,
}

enum Key<'a> {
    Name(&'a str),
    Index(usize),
}

/// The JSON pointer of the node at entry `at` of `steps` (the document's: empty).
fn pointer(steps: &[Step<'_>], mut at: Option<usize>) -> String {
    let mut keys = Vec::new();
    while let Some(step) = at.and_then(|index| steps.get(index)) {
        keys.push(&step.key);
        at = step.parent;
    }
    let mut pointer = String::new();
    for key in keys.into_iter().rev() {
        pointer.push('/');
        match key {
            Key::Name(name) => pointer.push_str(&pointer_token(name)),
            Key::Index(index) => pointer.push_str(&index.to_string()),
        }
    }
    pointer
}

/// The file and pointer a reference names, resolved against the referring file.
pub fn ref_target(from: &Path, reference: &str) -> Location {
    let (file, pointer) = reference.split_once('#').unwrap_or((reference, ""));
    let file = if file.is_empty() {
        from.to_path_buf()
    } else {
        referenced_file(from, file)
    };
    Location::new(&file, percent_decode(pointer))
}

thread_local! {
    /// Referenced files by referring file and file part: a spec names the same few files
    /// (`../../../common-types/…/types.json`) in hundreds of `$ref`s, and normalising a
    /// path component by component costs ≈ 5,000 instructions each time. A short list
    /// compared by length and bytes, not a hash map: hashing a `Path` walks its components
    /// too. One per thread, so threads never wait; at most [`REMEMBERED`] pairs.
    static REFERENCED: RefCell<Vec<(PathBuf, String, PathBuf)>> = const { RefCell::new(Vec::new()) };
}

/// How many (referring file, file part) pairs a thread remembers; the rest are normalised
/// each time.
const REMEMBERED: usize = 64;

/// `normalize(from.parent().join(file))`, remembered.
fn referenced_file(from: &Path, file: &str) -> PathBuf {
    let from_bytes = from.as_os_str().as_encoded_bytes();
    let known = REFERENCED.with_borrow(|memo| {
        memo.iter()
            .find(|(known_from, known_file, _)| {
                known_file == file && known_from.as_os_str().as_encoded_bytes() == from_bytes
            })
            .map(|(_, _, target)| target.clone())
    });
    if let Some(known) = known {
        return known;
    }
    let target = normalize(&from.parent().unwrap_or(Path::new("")).join(file));
    REFERENCED.with_borrow_mut(|memo| {
        if memo.len() < REMEMBERED {
            memo.push((from.to_path_buf(), file.to_owned(), target.clone()));
        }
    });
    target
}

/// Whether the file part of a reference is a URL (`https://…`), which is never fetched.
pub fn is_remote(reference: &str) -> bool {
    let file = reference.split('#').next().unwrap_or("");
    file.split_once("://").is_some_and(|(scheme, _)| {
        !scheme.is_empty() && scheme.chars().all(|c| c.is_ascii_alphabetic())
    })
}

/// Removes `.` and `..` components so one file has one key, without touching the file system
/// (canonicalize would fail for missing files, whose errors we want to report ourselves).
pub fn normalize(path: &Path) -> PathBuf {
    // Components are kept in a list and the path built once: popping and inspecting a
    // `PathBuf` re-reads it (`../../../../common-types/…` is in most specs' references).
    let mut parts: Vec<Component<'_>> = Vec::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => match parts.last() {
                Some(Component::Normal(_)) => {
                    parts.pop();
                }
                // `/..` is `/`.
                Some(Component::RootDir | Component::Prefix(_)) => {}
                // Leading `..` steps stay: `../../x` is not `../x`.
                Some(Component::ParentDir | Component::CurDir) | None => {
                    parts.push(Component::ParentDir);
                }
            },
            other => parts.push(other),
        }
    }
    parts.into_iter().collect()
}

/// JSON pointers inside URI fragments may be percent-encoded (`%24ref`, `%20`).
fn percent_decode(text: &str) -> String {
    // Nearly every pointer has no escape: it is its own text.
    if !text.contains('%') {
        return text.to_owned();
    }
    percent_encoding::percent_decode_str(text)
        .decode_utf8_lossy()
        .into_owned()
}

/// The value at a JSON pointer, as `serde_json::Value::pointer` finds it, without copying
/// each token first: the lowering looks up thousands of pointers, and only tokens with a
/// `~` escape need one.
pub fn value_at<'a>(value: &'a Value, pointer: &str) -> Option<&'a Value> {
    if pointer.is_empty() {
        return Some(value);
    }
    pointer
        .strip_prefix('/')?
        .split('/')
        .try_fold(value, |target, token| {
            let token = unescape_token(token);
            match target {
                Value::Object(map) => member(map, &token),
                Value::Array(items) => array_index(&token).and_then(|index| items.get(index)),
                _ => None,
            }
        })
}

/// Up to this many members [`member`] searches an object in order.
const SCANNED: usize = 8;

/// `object.get(key)`, searching a small object in order rather than hashing the key:
/// serde_json's ordered map hashes every key looked up (SipHash, ≈ 300 instructions), and
/// the loader and the lowering look up tens of thousands of keys, mostly in objects of a
/// few members (schemas, operations, examples' values).
pub fn member<'a>(object: &'a serde_json::Map<String, Value>, key: &str) -> Option<&'a Value> {
    if object.len() <= SCANNED {
        object
            .iter()
            .find(|(name, _)| name.as_str() == key)
            .map(|(_, value)| value)
    } else {
        object.get(key)
    }
}

/// A JSON pointer token's text (RFC 6901): `~1` is `/` and `~0` is `~`, read left to right
/// in one pass (as `replace("~1", "/").replace("~0", "~")` would, without its two searches
/// and copies: the lowering reads thousands of pointers through `/paths/~1subscriptions…`).
/// Borrowed when there is nothing to unescape.
pub fn unescape_token(token: &str) -> Cow<'_, str> {
    let Some(first) = token.find('~') else {
        return Cow::Borrowed(token);
    };
    let mut out = String::with_capacity(token.len());
    let mut rest = token;
    let mut at = Some(first);
    while let Some(tilde) = at {
        out.push_str(&rest[..tilde]);
        let after = &rest[tilde + 1..];
        rest = match after.as_bytes().first() {
            Some(b'1') => {
                out.push('/');
                &after[1..]
            }
            Some(b'0') => {
                out.push('~');
                &after[1..]
            }
            _ => {
                out.push('~');
                after
            }
        };
        at = rest.find('~');
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// An array index token as RFC 6901 (and serde_json) read it: digits, no sign, no leading
/// zero.
fn array_index(token: &str) -> Option<usize> {
    if token.starts_with('+') || (token.starts_with('0') && token.len() != 1) {
        return None;
    }
    token.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The remembered target is the one normalising gives, asked once or many times, from
    /// different files with the same file part, and after other pairs.
    #[test]
    fn referenced_files_are_remembered_as_normalised() {
        let froms = [
            "specs/a/b/c.json",
            "specs/a/d.json",
            "/abs/x/y.json",
            "c.json",
            "",
        ];
        let files = [
            "../common/types.json",
            "./same.json",
            "../../../../up.json",
            "x//y.json",
            "..",
        ];
        for _ in 0..2 {
            for from in froms {
                for file in files {
                    let from = Path::new(from);
                    let expected = normalize(&from.parent().unwrap_or(Path::new("")).join(file));
                    assert_eq!(
                        referenced_file(from, file),
                        expected,
                        "{} {file}",
                        from.display()
                    );
                    let reference = format!("{file}#/definitions/A");
                    assert_eq!(ref_target(from, &reference).file, expected);
                }
            }
        }
        // Past the list's length: still normalised, each time.
        for n in 0..2 * REMEMBERED {
            let file = format!("../many/{n}.json");
            let expected = normalize(&Path::new("specs/a").join(&file));
            assert_eq!(
                referenced_file(Path::new("specs/a/b.json"), &file),
                expected
            );
        }
    }

    #[test]
    fn value_at_finds_what_serde_json_pointer_finds() {
        let value = serde_json::json!({
            "a/b": {"c~d": [1, {"e": 2}]},
            "": {"": 3},
            "list": [10, 11],
        });
        for pointer in [
            "",
            "/",
            "//",
            "/a~1b",
            "/a~1b/c~0d",
            "/a~1b/c~0d/1/e",
            "/a~1b/c~0d/01",
            "/a~1b/c~0d/+1",
            "/a~1b/c~0d/2",
            "/list/0",
            "/list/-",
            "/missing",
            "nope",
            "/a~1b/c~0d/1/e/f",
            "/a~01b",
        ] {
            assert_eq!(
                value_at(&value, pointer),
                value.pointer(pointer),
                "{pointer}"
            );
        }
    }
    #[test]
    fn tokens_unescape_as_the_two_replacements_do() {
        for token in [
            "", "a", "~", "~~", "~0", "~1", "~01", "~10", "~~1", "~~0", "a~1b~0c", "~2", "é~1ü~",
            "x~",
        ] {
            let replaced = token.replace("~1", "/").replace("~0", "~");
            assert_eq!(unescape_token(token), replaced, "{token}");
        }
        assert!(matches!(unescape_token("plain"), Cow::Borrowed("plain")));
    }

    use serde_json::json;

    #[test]
    fn references_resolve_relative_to_the_referring_file() {
        let target = ref_target(
            Path::new("specs/a/doc.json"),
            "../common.json#/components/schemas/X",
        );
        assert_eq!(target.file, PathBuf::from("specs/common.json"));
        assert_eq!(target.pointer, "/components/schemas/X");
        let local = ref_target(Path::new("specs/doc.json"), "#/components/schemas/A%20B");
        assert_eq!(local.file, PathBuf::from("specs/doc.json"));
        assert_eq!(local.pointer, "/components/schemas/A B");
    }

    #[test]
    fn normalizing_keeps_leading_parent_steps() {
        assert_eq!(
            normalize(Path::new("../../specs/./a/../b.json")),
            PathBuf::from("../../specs/b.json")
        );
        assert_eq!(normalize(Path::new("/../a")), PathBuf::from("/a"));
        assert_eq!(normalize(Path::new("a/../../b")), PathBuf::from("../b"));
        for (path, normal) in [
            ("a/./b/../../c", "c"),
            ("/a/b/../../..", "/"),
            ("./x", "x"),
            ("a//b/", "a/b"),
            ("../a/../../b", "../../b"),
            (
                "/s/DiskRP/stable/v/../../../../common/types.json",
                "/common/types.json",
            ),
        ] {
            assert_eq!(normalize(Path::new(path)).as_os_str(), normal, "{path}");
        }
    }

    #[test]
    fn percent_decoding_leaves_broken_escapes_alone() {
        assert_eq!(percent_decode("%2"), "%2");
        assert_eq!(percent_decode("a%zz"), "a%zz");
        assert_eq!(percent_decode("%7e"), "~");
    }

    /// A `$ref`'s pointer is spelled with RFC 6901's escapes: `~` as `~0`, `/` as `~1`.
    #[test]
    fn a_reference_pointer_escapes_tilde_and_slash() {
        let document =
            json!({"paths": {"/x~y": {"get": {"parameters": [{"$ref": "#/parameters/R"}]}}}});
        assert_eq!(
            collect_refs(&document),
            [(
                "/paths/~1x~0y/get/parameters/0/$ref".to_owned(),
                "#/parameters/R".to_owned()
            )]
        );
    }

    #[test]
    fn references_in_examples_and_data_are_not_followed() {
        let document = json!({
            "paths": {"/a": {"post": {
                "parameters": [{"$ref": "p.json#/parameters/P"}],
                "x-ms-examples": {"Create": {"$ref": "./examples/Create.json"}},
                "responses": {"200": {"schema": {"$ref": "#/definitions/A"}}}
            }}},
            "x-ms-paths": {"/a?b": {"get": {"parameters": [{"$ref": "#/parameters/Q"}]}}},
            "x-other": {"$ref": "/dev/zero"},
            "definitions": {
                "A": {
                    "example": {"$ref": "/dev/zero"},
                    "default": {"$ref": "/dev/zero"},
                    "enum": [{"$ref": "/dev/zero"}],
                    "properties": {
                        "example": {"$ref": "#/definitions/B"},
                        "examples": {"items": {"$ref": "#/definitions/C"}}
                    }
                }
            },
            "components": {"examples": {"E": {"$ref": "e.json"}}}
        });
        let found = collect_refs(&document);
        let pointers: Vec<&str> = found.iter().map(|(pointer, _)| pointer.as_str()).collect();
        assert_eq!(
            pointers,
            [
                "/definitions/A/properties/example/$ref",
                "/definitions/A/properties/examples/items/$ref",
                "/paths/~1a/post/parameters/0/$ref",
                "/paths/~1a/post/responses/200/schema/$ref",
                "/x-ms-paths/~1a?b/get/parameters/0/$ref",
            ]
        );
        let refs: Vec<String> = found.into_iter().map(|(_, r)| r).collect();
        assert_eq!(
            refs,
            [
                "#/definitions/B",
                "#/definitions/C",
                "p.json#/parameters/P",
                "#/definitions/A",
                "#/parameters/Q",
            ]
        );
    }

    #[test]
    fn the_deepest_nesting_the_parsers_accept_is_walked() {
        // serde_json and serde_yaml refuse nesting deeper than 128.
        let mut value = json!({"$ref": "#/x"});
        for _ in 0..127 {
            value = json!({ "items": value });
        }
        assert_eq!(collect_refs(&value).len(), 1);
    }

    #[test]
    fn remote_references_are_recognised() {
        assert!(is_remote("https://example.com/a.json#/x"));
        assert!(!is_remote("../a.json#/x"));
        assert!(!is_remote("#/definitions/a://b"));
    }
}
