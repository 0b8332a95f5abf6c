//! The names a method's parameters take. Required parameters (and the body) become arguments,
//! beside the names the method binds itself; optional ones become fields of the options
//! struct, beside its own fields. Each is a namespace of its own.

use crate::diagnostics::{Diagnostic, Location};
use crate::lower::reserving;
use crate::naming::{Claimed, Namespace, bound, unraw};

pub(super) struct MethodNames {
    arguments: Namespace,
    option_fields: Namespace,
}

impl MethodNames {
    pub(super) fn new() -> Self {
        MethodNames {
            arguments: reserving(bound::METHOD),
            option_fields: reserving(bound::OPTIONS_FIELDS),
        }
    }

    /// A method parameter's name: an argument's when `argument`, else an option field's.
    pub(super) fn claim_param(&mut self, wanted: String, argument: bool) -> Claimed {
        let names = if argument {
            &mut self.arguments
        } else {
            &mut self.option_fields
        };
        names.claim(wanted)
    }

    /// The body argument's name, renamed if a parameter already has it.
    pub(super) fn claim_body(&mut self, wanted: String) -> String {
        self.arguments.claim(wanted).name
    }
}

/// What to tell the spec's author when parameter `wire_name` could not have the name it
/// wanted: an error when its `x-ms-client-name` asked for it (`explicit`), else a warning.
pub(super) fn name_clash(
    claimed: &Claimed,
    wire_name: &str,
    explicit: bool,
    at: &Location,
) -> Option<Diagnostic> {
    // A clash with a name the method binds itself is the generator's business: the argument
    // is renamed without troubling the spec's author.
    let own_binding = |collided: &str| {
        let collided = unraw(collided);
        bound::METHOD.contains(&collided) || bound::OPTIONS_FIELDS.contains(&collided)
    };
    let collided = claimed
        .collided_with
        .as_deref()
        .filter(|collided| !own_binding(collided))?;
    let diagnostic = if explicit {
        Diagnostic::error(
            at.join("x-ms-client-name"),
            format!("`x-ms-client-name` asks for argument name `{collided}`, which another parameter already has"),
        )
        .help("give the parameter a different `x-ms-client-name`")
    } else {
        Diagnostic::warning(
            at.clone(),
            format!(
                "argument name `{collided}` is already taken; parameter `{wire_name}` becomes `{}`",
                claimed.name
            ),
        )
        .help("set `x-ms-client-name` on one of the parameters")
    };
    Some(diagnostic)
}
