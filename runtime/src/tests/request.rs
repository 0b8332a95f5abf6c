//! `ArmPipeline::request`: the path template filled in order, optional parameters left out,
//! headers, and errors that name the parameter or the template.

use super::{Canned, harness};
use crate::{ArmPipeline, NamedValue, ParamRules, csv};
use azure_core::{error::ErrorKind, http::Method};

static DISK: ParamRules = ParamRules {
    min_length: Some(3),
    max_length: Some(80),
    ..ParamRules::NON_EMPTY
};

const TEMPLATE: &str = "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Compute/disks/{diskName}/beginGetAccess";

fn pipeline() -> ArmPipeline {
    harness(Vec::<Canned>::new()).pipeline
}

fn get_access(pipeline: &ArmPipeline, disk: &str) -> azure_core::Result<crate::ArmRequest> {
    pipeline.request(
        "Microsoft.Compute.Disks.grantAccess",
        Method::Post,
        TEMPLATE,
        &[
            ("sub-1", &ParamRules::NON_EMPTY),
            ("my rg", &ParamRules::NON_EMPTY),
            (disk, &DISK),
        ],
        &[
            ("api-version", Some("2025-01-02"), &ParamRules::NON_EMPTY),
            ("$expand", None, &ParamRules::NON_EMPTY),
            ("$filter", Some("name eq 'a&b'"), &ParamRules::NON_EMPTY),
        ],
        &[
            ("If-Match", None, &ParamRules::NON_EMPTY),
            (
                "x-ms-client-request-id",
                Some("abc"),
                &ParamRules::NON_EMPTY,
            ),
        ],
    )
}

#[test]
fn fills_the_template_in_order_and_leaves_out_what_was_not_given() {
    let request = get_access(&pipeline(), "a/b").unwrap();
    assert_eq!(request.method, Method::Post);
    assert_eq!(
        request.url.as_str(),
        "https://management.azure.com/subscriptions/sub-1/resourceGroups/my%20rg/providers/Microsoft.Compute/disks/a%2Fb/beginGetAccess?api-version=2025-01-02&%24filter=name+eq+%27a%26b%27"
    );
    let headers: Vec<(&str, &str)> = request
        .headers
        .iter()
        .map(|(name, value)| (name.as_str(), value.as_str()))
        .collect();
    assert_eq!(headers, [("x-ms-client-request-id", "abc")]);
    assert_eq!(
        request.api_name,
        Some("Microsoft.Compute.Disks.grantAccess")
    );
    assert!(request.body.is_none());
}

#[test]
fn errors_name_the_parameter() {
    let p = pipeline();
    let error = get_access(&p, "..").unwrap_err();
    assert_eq!(*error.kind(), ErrorKind::DataConversion);
    assert_eq!(
        error.to_string(),
        "parameter `diskName`: `..` is not allowed as a path segment"
    );
    assert_eq!(
        get_access(&p, "ab").unwrap_err().to_string(),
        "parameter `diskName`: length 2 is below the minimum of 3"
    );
    // One query parameter, then one header, that break their rules.
    let cases: [(&[NamedValue<'_>], &[NamedValue<'_>], &str); 2] = [
        (
            &[("api-version", Some(""), &ParamRules::NON_EMPTY)],
            &[],
            "parameter `api-version`: must not be empty",
        ),
        (
            &[],
            &[("x-token", Some("a\r\nb"), &ParamRules::NON_EMPTY)],
            "parameter `x-token`: a header value must not contain control characters",
        ),
    ];
    for (query, headers, message) in cases {
        let error = p
            .request("Test.get", Method::Get, "/things", &[], query, headers)
            .unwrap_err();
        assert_eq!(error.to_string(), message);
    }
}

#[test]
fn a_template_and_values_that_differ_are_refused() {
    let p = pipeline();
    let two = [("a", &ParamRules::NON_EMPTY), ("b", &ParamRules::NON_EMPTY)];
    for (values, what) in [
        (&[][..], "no value for `name`"),
        (&two[..], "more values than parameters"),
    ] {
        let error = p
            .request("Test.get", Method::Get, "/things/{name}", values, &[], &[])
            .unwrap_err();
        assert_eq!(*error.kind(), ErrorKind::DataConversion);
        assert_eq!(
            error.to_string(),
            format!(
                "path `/things/{{name}}`: {what}; the generated call does not match its template"
            )
        );
    }
}

#[test]
fn csv_joins_the_items_display() {
    assert_eq!(csv(&["a", "b c"]), "a,b c");
    assert_eq!(csv(&[1, 2, 3]), "1,2,3");
    assert_eq!(csv::<u8>(&[]), "");
}
