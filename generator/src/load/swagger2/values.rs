//! Value-level pieces of the conversion: media types, security schemes and the in-place
//! schema repairs.

use serde_json::{Map, Value, json};

/// Media types of request or response bodies.
pub(super) struct Media<'v> {
    pub(super) consumes: Vec<&'v str>,
    pub(super) produces: Vec<&'v str>,
}

impl<'v> Media<'v> {
    /// The document's media types, `application/json` when it names none.
    pub(super) fn of(object: &'v Value) -> Self {
        let list = |key: &str| -> Vec<&'v str> {
            let listed: Vec<&str> = media_list(object, key).unwrap_or_default();
            if listed.is_empty() {
                vec!["application/json"]
            } else {
                listed
            }
        };
        Media {
            consumes: list("consumes"),
            produces: list("produces"),
        }
    }

    /// An operation's own lists replace the document's.
    pub(super) fn within(&self, operation: &'v Value) -> Self {
        Media {
            consumes: media_list(operation, "consumes").unwrap_or_else(|| self.consumes.clone()),
            produces: media_list(operation, "produces").unwrap_or_else(|| self.produces.clone()),
        }
    }
}

pub(super) fn media_list<'v>(object: &'v Value, key: &str) -> Option<Vec<&'v str>> {
    let list = object.get(key)?.as_array()?;
    Some(list.iter().filter_map(Value::as_str).collect())
}

pub(super) fn is_reference(value: &Value) -> bool {
    value.get("$ref").is_some_and(Value::is_string)
}

/// A Swagger 2.0 `securityDefinitions` entry as an OpenAPI 3 security scheme.
pub(super) fn security_scheme(scheme: &Value) -> Value {
    let mut out = Map::new();
    for (key, value) in scheme.as_object().into_iter().flatten() {
        if key == "description" || key == "name" || key == "in" || key.starts_with("x-") {
            out.insert(key.clone(), value.clone());
        }
    }
    let field = |key: &str| scheme.get(key).cloned().unwrap_or(Value::Null);
    match scheme.get("type").and_then(Value::as_str) {
        Some("basic") => {
            out.insert("type".into(), json!("http"));
            out.insert("scheme".into(), json!("basic"));
        }
        Some("oauth2") => {
            let scopes = scheme.get("scopes").cloned().unwrap_or(json!({}));
            let (flow, urls): (&str, &[&str]) = match scheme.get("flow").and_then(Value::as_str) {
                Some("password") => ("password", &["tokenUrl"]),
                Some("application") => ("clientCredentials", &["tokenUrl"]),
                Some("accessCode") => ("authorizationCode", &["authorizationUrl", "tokenUrl"]),
                _ => ("implicit", &["authorizationUrl"]),
            };
            let mut settings = Map::new();
            for url in urls {
                settings.insert(url.to_string(), field(url));
            }
            settings.insert("scopes".into(), scopes);
            out.insert("type".into(), json!("oauth2"));
            out.insert("flows".into(), json!({ flow: settings }));
        }
        _ => {
            out.insert("type".into(), field("type"));
        }
    }
    Value::Object(out)
}

/// The two in-place repairs a Swagger 2.0 schema needs to read as OpenAPI 3, applied to the
/// schema and every schema nested in it (with an explicit stack: nesting depth is the
/// parser's limit, never the call stack's). Everything else, `$ref` siblings included, stays.
pub(super) fn repair_schema(schema: &mut Value) {
    let mut stack = vec![schema];
    while let Some(value) = stack.pop() {
        let Value::Object(map) = value else {
            continue;
        };
        if let Some(name) = map.get("discriminator").and_then(Value::as_str) {
            let name = name.to_string();
            map.insert("discriminator".into(), json!({ "propertyName": name }));
        }
        if let Some(nullable) = map.get("x-nullable").and_then(Value::as_bool) {
            map.insert("nullable".into(), json!(nullable));
        }
        for (key, child) in map.iter_mut() {
            match key.as_str() {
                "properties" => {
                    if let Value::Object(properties) = child {
                        stack.extend(properties.values_mut());
                    }
                }
                "allOf" | "anyOf" | "oneOf" => {
                    if let Value::Array(items) = child {
                        stack.extend(items.iter_mut());
                    }
                }
                "items" | "additionalProperties" | "not" => stack.push(child),
                _ => {}
            }
        }
    }
}
