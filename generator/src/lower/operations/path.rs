//! An operation's path template: parsed into literal segments and parameters, and checked
//! against the path parameters (each placeholder declared, each path parameter used).

use std::collections::BTreeSet;

use super::OperationContext;
use super::params::LoweredParams;
use crate::diagnostics::Diagnostic;
use crate::model::{ParamLocation, PathPart, path_param_names};

/// The parsed template, or `None` when it does not parse (reported).
pub(super) fn lower_path(
    context: &OperationContext<'_>,
    lowered: &LoweredParams,
) -> Option<Vec<PathPart>> {
    let path = parse_path(context.found.path)
        .map_err(|(message, help)| {
            let path_item = context.path_item_location();
            context.report(Diagnostic::error(path_item, message).help(help));
        })
        .ok();
    // Which parameters a template that did not parse uses is not known: no more to say.
    let placeholders: BTreeSet<&str> = path.iter().flatten().filter_map(PathPart::param).collect();
    let path_params: BTreeSet<&str> = path_param_names(&lowered.params).collect();
    for placeholder in &placeholders {
        if !path_params.contains(placeholder)
            && !lowered.rejected_path_params.contains(*placeholder)
        {
            context.report(Diagnostic::error(context.found.location.clone(), format!("path template has `{{{placeholder}}}` but no path parameter `{placeholder}` is declared"))
                    .help(format!("add a parameter with `name: {placeholder}` and `in: path`")),
            );
        }
    }
    for (param, param_at) in lowered.params.iter().zip(&lowered.locations) {
        if param.location == ParamLocation::Path
            && path.is_some()
            && !placeholders.contains(param.wire_name.as_str())
        {
            let name = &param.wire_name;
            context.report(
                Diagnostic::error(
                    param_at.clone(),
                    format!("path parameter `{name}` does not appear in the path template"),
                )
                .help(format!(
                    "add `{{{name}}}` to the path or change the parameter's `in`"
                )),
            );
        }
    }
    path
}

/// `/a/{b}/c` → [Literal(a), Param(b), Literal(c)]. Errors are (message, help).
///
/// A template is the path and nothing else: a `.` or `..` segment would address another
/// resource (or be refused by the client at every call), and `?` or `#` would be sent
/// percent-encoded as part of a segment, never as the query or fragment the author meant.
fn parse_path(template: &str) -> Result<Vec<PathPart>, (String, String)> {
    let Some(rest) = template.strip_prefix('/') else {
        return Err((
            format!("path `{template}` does not start with `/`"),
            "write the path from its first `/`".into(),
        ));
    };
    if let Some(c) = template.chars().find(|c| matches!(c, '?' | '#')) {
        return Err((
            format!(
                "path `{template}` contains `{c}`, which would be sent as part of a path segment"
            ),
            "declare query parameters as `in: query` parameters, and remove fragments".into(),
        ));
    }
    rest.split('/')
        .filter(|segment| !segment.is_empty())
        .map(
            |segment| match segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                Some(name) if !name.contains(['{', '}']) => Ok(PathPart::Param(name.to_string())),
                _ if segment.contains(['{', '}']) => Err((
                    format!(
                        "path segment `{segment}` mixes a parameter with text, which is not supported"
                    ),
                    "write each `{parameter}` as a whole path segment".into(),
                )),
                _ if segment == "." || segment == ".." => Err((
                    format!("path `{template}` has a `{segment}` segment, which would address another resource"),
                    "write the path without `.` and `..` segments".into(),
                )),
                _ => Ok(PathPart::Literal(segment.to_string())),
            },
        )
        .collect()
}
