//! Mutations of a valid spec as proptest strategies: what a case is, how it is drawn (so that
//! it shrinks toward fewer, simpler edits nearer a document's start) and how it is applied.

use proptest::prelude::*;
use proptest::sample::Index;
use serde_json::Value;

const WEIRD_STRINGS: &[&str] = &[
    "",
    " ",
    "type",
    "self",
    "Self",
    "None",
    "1st",
    "9",
    "-",
    "a/b",
    "..",
    "{x}",
    "{",
    "}",
    "#/components/schemas/StartResult",
    "#/components/schemas/Nope",
    "#/paths",
    "#",
    "other.json#/components/schemas/X",
    "../../etc/passwd",
    "SystemAssigned, UserAssigned",
    "größe²",
    "\u{0}",
    "\r",
    "a\nb",
    "[x](y) <b>",
    "https://example.com/x?sig=1",
    "^[-\\w\\._\\(\\)]+$",
    "^[a-z",
    "^[z-a]+$",
    "int64",
    "date-time",
    "3.1.0",
    "2.0",
    "location",
    "azure-async-operation",
    "header",
    "cookie",
    "query",
    "path",
    "object",
    "array",
    "string",
    "integer",
    "number",
    "boolean",
    "application/json",
    "text/plain",
    // Names generated code binds, and files it writes.
    "pipeline",
    "options",
    "credential",
    "api_version",
    "apiVersion",
    "query",
    "url",
    "context",
    "request",
    "response",
    "body",
    "method_options",
    "Mod_Start",
    "Client_Go",
    "Lib_Go",
    "models",
    // Text that must stay text.
    "```\nstd::process::exit(3);\n```",
    "  ~~~rust\nfn main() {}\n~~~",
    "*/ #![no_std] #[test] </code>",
    "\"); panic!(\"",
];

/// Bytes a textual mutation may insert where it cuts.
const STRAY: [&[u8]; 6] = [b"{", b"]", b"\"", b",", b"\xff", b"\\u12"];

/// One mutant: a seed spec (the smallest first, so shrinking moves toward small ones) and
/// what is done to it.
#[derive(Clone, Debug)]
pub struct Case {
    pub seed: Index,
    pub mutation: Mutation,
}

#[derive(Clone, Debug)]
pub enum Mutation {
    /// Edits of the parsed document, applied in order.
    Structural(Vec<Edit>),
    /// The text cut at a byte, then either ended there or given a stray byte sequence.
    Textual { cut: Index, stray: Option<Index> },
}

/// One edit. Each `Index` picks among the nodes of the right kind that the document holds
/// when the edit is made, so every edit applies to any document, and a smaller index (which
/// shrinking tries) is a node nearer the document's start.
#[derive(Clone, Debug)]
pub enum Edit {
    /// Any node replaced by a new value.
    Replace { node: Index, with: NewValue },
    /// One key of an object removed.
    RemoveKey { object: Index, key: Index },
    /// A key (from `WEIRD_STRINGS`) set in an object.
    InsertKey {
        object: Index,
        key: Index,
        value: NewValue,
    },
    /// A node replaced by a copy of another subtree: duplicate ids, names, cycles.
    Copy { node: Index, from: Index },
    /// A string replaced by one of `WEIRD_STRINGS`.
    SetString { string: Index, to: Index },
    /// An item of an array appended again.
    DuplicateItem { array: Index, item: Index },
    /// An array emptied.
    ClearArray { array: Index },
}

/// A value an edit puts in; `Index`es pick a string of `WEIRD_STRINGS` or a node to refer to.
#[derive(Clone, Debug)]
pub enum NewValue {
    Null,
    Bool(bool),
    Int(i64),
    String(Index),
    EmptyArray,
    EmptyObject,
    Ref(Index),
    EmptyEnum(Index),
    AllOfRef(Index),
}

fn new_value() -> impl Strategy<Value = NewValue> {
    prop_oneof![
        Just(NewValue::Null),
        any::<bool>().prop_map(NewValue::Bool),
        (-500i64..500).prop_map(NewValue::Int),
        any::<Index>().prop_map(NewValue::String),
        Just(NewValue::EmptyArray),
        Just(NewValue::EmptyObject),
        any::<Index>().prop_map(NewValue::Ref),
        any::<Index>().prop_map(NewValue::EmptyEnum),
        any::<Index>().prop_map(NewValue::AllOfRef),
    ]
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (any::<Index>(), new_value()).prop_map(|(node, with)| Edit::Replace { node, with }),
        (any::<Index>(), any::<Index>()).prop_map(|(object, key)| Edit::RemoveKey { object, key }),
        (any::<Index>(), any::<Index>(), new_value())
            .prop_map(|(object, key, value)| { Edit::InsertKey { object, key, value } }),
        (any::<Index>(), any::<Index>()).prop_map(|(node, from)| Edit::Copy { node, from }),
        (any::<Index>(), any::<Index>()).prop_map(|(string, to)| Edit::SetString { string, to }),
        (any::<Index>(), any::<Index>())
            .prop_map(|(array, item)| Edit::DuplicateItem { array, item }),
        any::<Index>().prop_map(|array| Edit::ClearArray { array }),
    ]
}

/// Four in five mutants are one to four structural edits, the rest textual.
pub fn case() -> impl Strategy<Value = Case> {
    let mutation = prop_oneof![
        4 => prop::collection::vec(edit(), 1..=4).prop_map(Mutation::Structural),
        1 => (any::<Index>(), prop::option::of(any::<Index>()))
            .prop_map(|(cut, stray)| Mutation::Textual { cut, stray }),
    ];
    (any::<Index>(), mutation).prop_map(|(seed, mutation)| Case { seed, mutation })
}

// ---- applying a case -------------------------------------------------------------------------

/// The JSON pointer of every node, in document order.
fn all_pointers(value: &Value, pointer: String, out: &mut Vec<String>) {
    out.push(pointer.clone());
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                let token = azure_arm_codegen::diagnostics::pointer_token(key);
                all_pointers(child, format!("{pointer}/{token}"), out);
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                all_pointers(child, format!("{pointer}/{index}"), out);
            }
        }
        _ => {}
    }
}

/// The pointer `index` picks among the nodes that `kind` accepts; `None` when there is none.
fn pick(
    document: &Value,
    pointers: &[String],
    index: Index,
    kind: fn(&Value) -> bool,
) -> Option<String> {
    let candidates: Vec<&String> = pointers
        .iter()
        .filter(|p| document.pointer(p).is_some_and(kind))
        .collect();
    (!candidates.is_empty()).then(|| index.get(&candidates).to_string())
}

fn weird(index: Index) -> &'static str {
    WEIRD_STRINGS[index.index(WEIRD_STRINGS.len())]
}

fn new_json(value: &NewValue, pointers: &[String]) -> Value {
    match value {
        NewValue::Null => Value::Null,
        NewValue::Bool(b) => Value::Bool(*b),
        NewValue::Int(i) => Value::from(*i),
        NewValue::String(s) => Value::String(weird(*s).to_owned()),
        NewValue::EmptyArray => serde_json::json!([]),
        NewValue::EmptyObject => serde_json::json!({}),
        NewValue::Ref(to) => serde_json::json!({"$ref": format!("#{}", to.get(pointers))}),
        NewValue::EmptyEnum(t) => serde_json::json!({"type": weird(*t), "enum": []}),
        NewValue::AllOfRef(to) => serde_json::json!({
            "allOf": [{"$ref": format!("#{}", to.get(pointers))}],
            "description": "x",
        }),
    }
}

/// Applies `edit` to `document` and says what it did, with JSON pointers, for the report of a
/// failing case.
pub fn apply(edit: &Edit, document: &mut Value) -> String {
    let mut pointers = Vec::new();
    all_pointers(document, String::new(), &mut pointers);
    let any = |_: &Value| true;
    let (kind, at): (fn(&Value) -> bool, Index) = match edit {
        Edit::Replace { node, .. } | Edit::Copy { node, .. } => (any, *node),
        Edit::RemoveKey { object, .. } => (
            |v: &Value| v.as_object().is_some_and(|o| !o.is_empty()),
            *object,
        ),
        Edit::InsertKey { object, .. } => (Value::is_object, *object),
        Edit::SetString { string, .. } => (Value::is_string, *string),
        Edit::DuplicateItem { array, .. } | Edit::ClearArray { array } => (
            |v: &Value| v.as_array().is_some_and(|a| !a.is_empty()),
            *array,
        ),
    };
    let Some(pointer) = pick(document, &pointers, at, kind) else {
        return format!("nothing ({edit:?} found no node of its kind)");
    };
    let copied = match edit {
        Edit::Copy { from, .. } if pointers.len() < 20_000 => document
            .pointer(&pointers[from.index(pointers.len())])
            .cloned(),
        _ => None,
    };
    // As a URI fragment, so that the document's root shows as `#`.
    let at = format!("#{pointer}");
    let Some(node) = document.pointer_mut(&pointer) else {
        return format!("nothing ({at} is gone)");
    };
    let show = |value: &Value| value.to_string();
    match (edit, node) {
        (Edit::Replace { with, .. }, node) => {
            *node = new_json(with, &pointers);
            format!("{at} replaced with {}", show(node))
        }
        (Edit::RemoveKey { key, .. }, Value::Object(map)) => {
            let keys: Vec<String> = map.keys().cloned().collect();
            let key = key.get(&keys);
            map.remove(key.as_str());
            format!("key {key:?} removed from {at}")
        }
        (Edit::InsertKey { key, value, .. }, Value::Object(map)) => {
            let value = new_json(value, &pointers);
            let text = show(&value);
            map.insert(weird(*key).to_owned(), value);
            format!("key {:?} set to {text} in {at}", weird(*key))
        }
        (Edit::Copy { from, .. }, node) => match copied {
            Some(copy) => {
                *node = copy;
                format!("{at} replaced with a copy of #{}", from.get(&pointers))
            }
            None => "nothing (the document is too large to copy into)".to_owned(),
        },
        (Edit::SetString { to, .. }, node) => {
            *node = Value::String(weird(*to).to_owned());
            format!("{at} set to {}", show(node))
        }
        (Edit::DuplicateItem { item, .. }, Value::Array(items)) => {
            let index = item.index(items.len());
            items.push(items[index].clone());
            format!("item {index} of {at} appended again")
        }
        (Edit::ClearArray { .. }, Value::Array(items)) => {
            items.clear();
            format!("{at} emptied")
        }
        (edit, _) => unreachable!("pick() found a node of the wrong kind for {edit:?}"),
    }
}

/// The text cut at a byte (which may split a character: the result is read lossily), then
/// either ended there or given a stray byte sequence; and what was done, for the report of a
/// failing case.
pub fn cut(text: &str, cut: Index, stray: Option<Index>) -> (String, String) {
    let bytes = text.as_bytes();
    let at = cut.index(bytes.len());
    let mut mutated = bytes[..at].to_vec();
    let edit = match stray {
        Some(stray) => {
            let inserted = stray.get(&STRAY);
            mutated.extend_from_slice(inserted);
            mutated.extend_from_slice(&bytes[at..]);
            format!(
                "{:?} inserted at byte {at}",
                String::from_utf8_lossy(inserted)
            )
        }
        None => format!("cut at byte {at} of {}", bytes.len()),
    };
    (String::from_utf8_lossy(&mutated).into_owned(), edit)
}
