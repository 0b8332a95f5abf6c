//! The naming fixture: awkward spec names (keywords, digits, collisions, punctuation) and
//! what they become. The fixture's output is committed in `fixtures/naming/out/` and compiled
//! by this crate's library, so these tests use the generated types directly.

#[allow(dead_code)]
mod fixture;

use codegen_tests::naming_fixture::models::{
    ApiVersionName, CreatedByType, CreatedByType2, ResourceIdentityType, TreeNode, Widget,
};
use serde_json::json;

fixture::committed_fixture!("fixtures/naming/codegen.yaml");

#[test]
fn collisions_are_resolved_deterministically_with_warnings() {
    let warnings = fixture::generated(FIXTURE).warnings;
    insta::assert_snapshot!("naming_warnings", warnings.to_string());
}

#[test]
fn awkward_property_names_keep_their_wire_names() {
    let mut widget = Widget::new(
        "a-type".into(),
        7,
        ResourceIdentityType::SystemAssignedUserAssigned,
    );
    widget.self_ = Some("me".into());
    widget.foo_bar = Some("camel".into());
    widget.foo_bar_2 = Some("snake".into());
    widget.created_by = Some(CreatedByType::Application);
    widget.creator = Some(CreatedByType2 {
        name: Some("n".into()),
    });
    widget.version = Some(ApiVersionName::V20190101);
    assert_eq!(
        serde_json::to_value(&widget).unwrap(),
        json!({
            "type": "a-type",
            "self": "me",
            "1stValue": 7,
            "fooBar": "camel",
            "foo_bar": "snake",
            "identity": "SystemAssigned, UserAssigned",
            "version": "2019-01-01",
            "createdBy": "Application",
            "creator": {"name": "n"}
        })
    );
}

#[test]
fn enum_values_that_are_not_identifiers_round_trip() {
    let none: ResourceIdentityType = serde_json::from_value(json!("None")).unwrap();
    assert_eq!(none, ResourceIdentityType::None);
    let both: ResourceIdentityType =
        serde_json::from_value(json!("SystemAssigned, UserAssigned")).unwrap();
    assert_eq!(both, ResourceIdentityType::SystemAssignedUserAssigned);
    assert_eq!(
        serde_json::to_value(&both).unwrap(),
        json!("SystemAssigned, UserAssigned")
    );
    assert_eq!(ApiVersionName::V20200601.as_str(), "2020-06-01");
    // A closed enum (modelAsString: false) rejects values it does not list.
    assert!(serde_json::from_value::<ApiVersionName>(json!("2021-01-01")).is_err());
}

#[test]
fn read_only_date_times_are_read_but_never_sent() {
    let widget: Widget = serde_json::from_value(json!({
        "type": "t", "1stValue": 1, "identity": "None",
        "LastOwnershipUpdateTime": "2024-05-01T10:00:00Z"
    }))
    .unwrap();
    let time = widget.last_ownership_update_time.expect("parsed");
    assert_eq!(time.unix_timestamp(), 1_714_557_600);
    let sent = serde_json::to_value(&widget).unwrap();
    assert!(sent.get("LastOwnershipUpdateTime").is_none(), "{sent}");
}

#[test]
fn recursive_types_are_boxed_only_where_needed() {
    let leaf = TreeNode::default();
    let node = TreeNode {
        parent: Some(Box::new(leaf.clone())),
        children: Some(vec![leaf]),
    };
    let value = serde_json::to_value(&node).unwrap();
    assert_eq!(value, json!({"parent": {}, "children": [{}]}));
}
