//! Line:column of JSON pointers in YAML source text. serde_yaml, which loads YAML specs and
//! the codegen config, keeps no positions of values; saphyr-parser's events carry their
//! start marks, so this walks the events of the first document, tracking the JSON pointer of
//! each node, and records where the wanted ones start: for a mapping member where its key
//! starts, for a sequence item where the item starts. Block and flow styles alike. On
//! anything unexpected (a syntax error, a key that is not a scalar) the walk stops with what
//! it found so far: positions are a convenience, never a reason to fail.

use std::collections::{BTreeMap, BTreeSet};

use saphyr_parser::{Event, Parser, Span};

/// The 1-based line and column (in characters) where each of `pointers` starts in `text`, in
/// the order of `pointers`; `None` for a pointer not found.
pub fn locate_all(text: &str, pointers: &[&str]) -> Vec<Option<(usize, usize)>> {
    // serde_yaml skips a byte-order mark; the columns are the editor's, without it.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let wanted: BTreeSet<&str> = pointers.iter().copied().collect();
    let found = walk(text, &wanted);
    pointers
        .iter()
        .map(|pointer| found.get(*pointer).copied())
        .collect()
}

/// One open collection: a mapping with the key whose value comes next (if a key was read),
/// or a sequence with the index of its next item. `length` is the length of the pointer of
/// the collection itself, to cut the pointer back to when a child ends.
enum Frame {
    Mapping { key: Option<usize>, length: usize },
    Sequence { next: usize, length: usize },
}

fn walk(text: &str, wanted: &BTreeSet<&str>) -> BTreeMap<String, (usize, usize)> {
    let mut found = BTreeMap::new();
    let mut stack: Vec<Frame> = Vec::new();
    let mut pointer = String::new();
    let mut started = false;
    for event in Parser::new_from_str(text) {
        let Ok((event, span)) = event else {
            break;
        };
        let opens = matches!(event, Event::MappingStart(..) | Event::SequenceStart(..));
        match event {
            Event::StreamStart | Event::Nothing => continue,
            // serde_yaml reads one document: the first.
            Event::DocumentStart(_) if !started => {
                started = true;
                continue;
            }
            Event::DocumentStart(_) | Event::DocumentEnd | Event::StreamEnd => break,
            Event::MappingEnd | Event::SequenceEnd => {
                stack.pop();
                end_child(&mut stack, &mut pointer);
                continue;
            }
            Event::Scalar(ref value, ..) => {
                if let Some(Frame::Mapping {
                    key: key @ None, ..
                }) = stack.last_mut()
                {
                    // A key: the member's pointer, positioned at the key.
                    pointer.push('/');
                    pointer.push_str(&crate::diagnostics::pointer_token(value));
                    *key = Some(pointer.len());
                    record(wanted, &pointer, span, &mut found);
                    continue;
                }
            }
            Event::Alias(_) | Event::MappingStart(..) | Event::SequenceStart(..) => {}
        }
        // A node that is a value: a mapping member's (its pointer and position were set by
        // the key), a sequence item, or the document's root.
        match stack.last_mut() {
            Some(Frame::Mapping { key: None, .. }) => break, // A key that is not a scalar.
            Some(Frame::Mapping { .. }) => {}
            Some(Frame::Sequence { next, .. }) => {
                pointer.push('/');
                pointer.push_str(&next.to_string());
                *next += 1;
                record(wanted, &pointer, span, &mut found);
            }
            None => record(wanted, &pointer, span, &mut found),
        }
        if opens {
            let length = pointer.len();
            stack.push(if matches!(event, Event::MappingStart(..)) {
                Frame::Mapping { key: None, length }
            } else {
                Frame::Sequence { next: 0, length }
            });
        } else {
            end_child(&mut stack, &mut pointer);
        }
    }
    found
}

/// A child of the innermost collection ended: its pointer is cut back to the collection's,
/// and a mapping waits for its next key.
fn end_child(stack: &mut [Frame], pointer: &mut String) {
    match stack.last_mut() {
        Some(Frame::Mapping { key, length }) => {
            *key = None;
            pointer.truncate(*length);
        }
        Some(Frame::Sequence { length, .. }) => pointer.truncate(*length),
        None => {}
    }
}

fn record(
    wanted: &BTreeSet<&str>,
    pointer: &str,
    span: Span,
    found: &mut BTreeMap<String, (usize, usize)>,
) {
    if wanted.contains(pointer) {
        found
            .entry(pointer.to_owned())
            .or_insert((span.start.line(), span.start.col() + 1));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn locate(text: &str, pointer: &str) -> Option<(usize, usize)> {
        locate_all(text, &[pointer])[0]
    }

    #[test]
    fn finds_block_members_and_items() {
        let text = "\
swagger: '2.0'
paths:
  /disks/{name}:
    get:
      parameters:
        - name: a
          in: path
        - $ref: '#/p'
        -   plain
definitions:
  é: {type: object}
  b~c:
    type: string
";
        assert_eq!(locate(text, ""), Some((1, 1)));
        assert_eq!(locate(text, "/swagger"), Some((1, 1)));
        assert_eq!(locate(text, "/paths"), Some((2, 1)));
        assert_eq!(locate(text, "/paths/~1disks~1{name}"), Some((3, 3)));
        assert_eq!(
            locate(text, "/paths/~1disks~1{name}/get/parameters/0"),
            Some((6, 11))
        );
        assert_eq!(
            locate(text, "/paths/~1disks~1{name}/get/parameters/0/in"),
            Some((7, 11))
        );
        assert_eq!(
            locate(text, "/paths/~1disks~1{name}/get/parameters/1/$ref"),
            Some((8, 11))
        );
        assert_eq!(
            locate(text, "/paths/~1disks~1{name}/get/parameters/2"),
            Some((9, 13))
        );
        assert_eq!(locate(text, "/definitions/b~0c/type"), Some((13, 5)));
        // After a flow mapping the block mapping goes on; columns count characters.
        assert_eq!(locate(text, "/definitions/é/type"), Some((11, 7)));
        assert_eq!(
            locate(text, "/paths/~1disks~1{name}/get/parameters/3"),
            None
        );
        assert_eq!(locate(text, "/missing"), None);
    }

    #[test]
    fn finds_flow_members_and_items() {
        let text = "{a: [1, {b: x}, [2, 3]], 'c': {\"d\": [ ]}}\n";
        assert_eq!(locate(text, ""), Some((1, 1)));
        assert_eq!(locate(text, "/a"), Some((1, 2)));
        assert_eq!(locate(text, "/a/0"), Some((1, 6)));
        assert_eq!(locate(text, "/a/1"), Some((1, 9)));
        assert_eq!(locate(text, "/a/1/b"), Some((1, 10)));
        assert_eq!(locate(text, "/a/2/1"), Some((1, 21)));
        assert_eq!(locate(text, "/c/d"), Some((1, 32)));
        assert_eq!(locate(text, "/c/d/0"), None);
        let many = ["/c/d", "/nope", "/a/2/1", "/a"];
        assert_eq!(
            locate_all(text, &many),
            many.iter().map(|p| locate(text, p)).collect::<Vec<_>>()
        );
    }

    #[test]
    fn gives_up_quietly_on_unexpected_input() {
        // A syntax error: what came before it is found, nothing after.
        let broken = "a: 1\nb: [1,\nc: 2\n";
        assert_eq!(locate(broken, "/a"), Some((1, 1)));
        assert_eq!(locate(broken, "/c"), None);
        // A key that is not a scalar stops the walk.
        let complex = "a: 1\n? [x]\n: 2\nb: 3\n";
        assert_eq!(locate(complex, "/a"), Some((1, 1)));
        assert_eq!(locate(complex, "/b"), None);
        // Only the first document is read, as serde_yaml does; a byte-order mark is skipped.
        assert_eq!(locate("\u{feff}a: 1\n---\nb: 2\n", "/b"), None);
        assert_eq!(locate("\u{feff}x: {a: 1}\n", "/x/a"), Some((1, 5)));
        assert_eq!(locate("", "/a"), None);
        // An alias to no anchor is an error after its key.
        assert_eq!(locate("a: *x\nb: 1\n", "/a"), Some((1, 1)));
        assert_eq!(locate("a: *x\nb: 1\n", "/b"), None);
        // Aliases are nodes: the items after one keep their indices.
        let aliases = "a: &x [1]\nb: [*x, 2]\n";
        assert_eq!(locate(aliases, "/b/1"), Some((2, 9)));
    }

    #[test]
    fn deep_nesting_is_walked_without_recursion() {
        // Nesting the parser accepts (as serde_yaml, it limits flow nesting) is walked on a
        // heap stack; deeper nesting is a syntax error, so what follows is not found.
        let nested =
            |depth: usize| format!("a: {}1{}\nb: 2\n", "[".repeat(depth), "]".repeat(depth));
        assert_eq!(locate(&nested(200), "/b"), Some((2, 1)));
        assert_eq!(
            locate(&nested(200), &format!("/a{}", "/0".repeat(200))),
            Some((1, 204))
        );
        assert_eq!(locate(&nested(100_000), "/a"), Some((1, 1)));
        assert_eq!(locate(&nested(100_000), "/b"), None);
    }
}
