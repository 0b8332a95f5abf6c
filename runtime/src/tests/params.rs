//! Parameter validation, path encoding, query building, clouds.

use super::{Canned, harness, harness_with};
use crate::params::{Param, PathSegment};
use crate::{ArmPipeline, Bound, CharSet, ParamRules, Pattern, PollingOptions, csv};
use azure_core::{
    error::ErrorKind,
    http::{ClientOptions, Url},
};
use std::sync::Arc;

static RG: ParamRules = ParamRules {
    min_length: Some(1),
    max_length: Some(90),
    pattern: Some(Pattern {
        source: r"^[-\w\._\(\)]+$",
        allowed: &[CharSet::Word, CharSet::Chars("-._()")],
    }),
    ..ParamRules::NON_EMPTY
};

static DISK: ParamRules = ParamRules {
    min_length: Some(3),
    max_length: Some(80),
    ..ParamRules::NON_EMPTY
};

static HEX: ParamRules = ParamRules {
    min_length: None,
    max_length: None,
    pattern: Some(Pattern {
        source: "^[a-f0-9 ]+$",
        allowed: &[CharSet::Range('a', 'f'), CharSet::Digit, CharSet::Space],
    }),
    ..ParamRules::NON_EMPTY
};

fn pipeline() -> ArmPipeline {
    harness(Vec::<Canned>::new()).pipeline
}

fn disk_url(pipeline: &ArmPipeline, rg: &str, disk: &str) -> azure_core::Result<Url> {
    pipeline.url(
        &[
            PathSegment::Literal("subscriptions"),
            PathSegment::Param(Param::new(
                "subscriptionId",
                "sub-1",
                &ParamRules::NON_EMPTY,
            )),
            PathSegment::Literal("resourceGroups"),
            PathSegment::Param(Param::new("resourceGroupName", rg, &RG)),
            PathSegment::Literal("providers"),
            PathSegment::Literal("Microsoft.Compute"),
            PathSegment::Literal("disks"),
            PathSegment::Param(Param::new("diskName", disk, &DISK)),
            PathSegment::Literal("beginGetAccess"),
        ],
        &[Param::new(
            "api-version",
            "2025-01-02",
            &ParamRules::NON_EMPTY,
        )],
    )
}

fn disk_path(pipeline: &ArmPipeline, disk: &str) -> String {
    disk_url(pipeline, "rg", disk).unwrap().path().to_owned()
}

fn disk_error(disk: &str) -> String {
    let error = disk_url(&pipeline(), "rg", disk).unwrap_err();
    assert_eq!(error.kind(), &ErrorKind::DataConversion);
    error.to_string()
}

#[test]
fn builds_the_arm_url() {
    let url = disk_url(&pipeline(), "my-rg", "disk1").unwrap();
    assert_eq!(
        url.as_str(),
        "https://management.azure.com/subscriptions/sub-1/resourceGroups/my-rg/providers/Microsoft.Compute/disks/disk1/beginGetAccess?api-version=2025-01-02"
    );
}

#[test]
fn slash_stays_inside_one_segment() {
    let p = pipeline();
    let path = disk_path(&p, "a/b");
    assert!(path.ends_with("/disks/a%2Fb/beginGetAccess"), "{path}");
    let path = disk_path(&p, "../../other");
    assert!(
        path.ends_with("/disks/..%2F..%2Fother/beginGetAccess"),
        "{path}"
    );
    let path = disk_path(&p, r"a\b");
    assert!(path.ends_with("/disks/a%5Cb/beginGetAccess"), "{path}");
}

#[test]
fn percent_is_encoded_so_encoded_dots_stay_literal() {
    let p = pipeline();
    assert!(disk_path(&p, "%2e%2e").ends_with("/disks/%252e%252e/beginGetAccess"));
    assert!(disk_path(&p, "%2E.").ends_with("/disks/%252E./beginGetAccess"));
    // `...` is an ordinary name, not a dot segment.
    assert!(disk_path(&p, "...").ends_with("/disks/.../beginGetAccess"));
}

#[test]
fn spaces_controls_query_characters_and_unicode_are_encoded() {
    let p = pipeline();
    assert!(disk_path(&p, "my disk").ends_with("/disks/my%20disk/beginGetAccess"));
    // The URL parser would silently drop a tab; the segment keeps it.
    assert!(disk_path(&p, "a\tb").ends_with("/disks/a%09b/beginGetAccess"));
    assert!(disk_path(&p, "a?b#c").ends_with("/disks/a%3Fb%23c/beginGetAccess"));
    assert!(disk_path(&p, "диск").ends_with("/disks/%D0%B4%D0%B8%D1%81%D0%BA/beginGetAccess"));
    assert!(disk_path(&p, "(x)_~-.").ends_with("/disks/%28x%29_~-./beginGetAccess"));
    let url = disk_url(&p, "rg", "a?b").unwrap();
    assert_eq!(url.query(), Some("api-version=2025-01-02"));
    assert_eq!(url.path_segments().unwrap().count(), 9);
}

#[test]
fn empty_value_is_refused_naming_the_parameter() {
    assert_eq!(disk_error(""), "parameter `diskName`: must not be empty");
    let error = disk_url(&pipeline(), "", "disk").unwrap_err();
    assert_eq!(
        error.to_string(),
        "parameter `resourceGroupName`: must not be empty"
    );
}

#[test]
fn dot_segments_are_refused() {
    assert_eq!(
        disk_error("."),
        "parameter `diskName`: `.` is not allowed as a path segment"
    );
    assert_eq!(
        disk_error(".."),
        "parameter `diskName`: `..` is not allowed as a path segment"
    );
    // The rule applies to path parameters whatever their other rules.
    let error = pipeline()
        .url(
            &[PathSegment::Param(Param::new(
                "name",
                "..",
                &ParamRules::NON_EMPTY,
            ))],
            &[],
        )
        .unwrap_err();
    assert!(error.to_string().starts_with("parameter `name`:"));
}

#[test]
fn length_limits_count_characters() {
    let long = "r".repeat(91);
    let error = disk_url(&pipeline(), &long, "disk").unwrap_err();
    assert_eq!(
        error.to_string(),
        "parameter `resourceGroupName`: length 91 exceeds the maximum of 90"
    );
    assert_eq!(
        disk_error("ab"),
        "parameter `diskName`: length 2 is below the minimum of 3"
    );
    // 90 two-byte characters are 90 characters, not 180.
    let unicode = "é".repeat(90);
    disk_url(&pipeline(), &unicode, "disk").unwrap();
    assert!(disk_error(&"d".repeat(81)).contains("length 81 exceeds the maximum of 80"));
    disk_url(&pipeline(), "rg", &"d".repeat(80)).unwrap();
}

#[test]
fn pattern_is_enforced_per_character() {
    let p = pipeline();
    for ok in ["my-rg", "rg.1", "rg_(x)", "résumé", "资源组", "RG123"] {
        disk_url(&p, ok, "disk").unwrap_or_else(|e| panic!("{ok}: {e}"));
    }
    let error = disk_url(&p, "rg!", "disk").unwrap_err();
    assert_eq!(
        error.to_string(),
        r"parameter `resourceGroupName`: character '!' at position 3 does not match the pattern `^[-\w\._\(\)]+$`"
    );
    for bad in ["a b", "a/b", "a%b", "rg\n"] {
        let error = disk_url(&p, bad, "disk").unwrap_err().to_string();
        assert!(
            error.starts_with("parameter `resourceGroupName`: character"),
            "{error}"
        );
    }
}

#[test]
fn char_sets() {
    assert!(CharSet::Word.contains('_'));
    assert!(CharSet::Word.contains('ß'));
    assert!(CharSet::Word.contains('7'));
    assert!(!CharSet::Word.contains('-'));
    assert!(CharSet::Digit.contains('5'));
    assert!(!CharSet::Digit.contains('x'));
    assert!(CharSet::Space.contains(' '));
    assert!(CharSet::Space.contains('\t'));
    assert!(CharSet::Range('a', 'f').contains('c'));
    assert!(!CharSet::Range('a', 'f').contains('g'));
    assert!(CharSet::Chars("-.").contains('.'));

    let p = pipeline();
    let hex = |value: &str| p.url(&[PathSegment::Param(Param::new("id", value, &HEX))], &[]);
    assert_eq!(hex("ab 12").unwrap().path(), "/ab%2012");
    assert!(
        hex("abg")
            .unwrap_err()
            .to_string()
            .contains("'g' at position 3")
    );
}

#[test]
fn query_params_are_validated_encoded_and_appended_once() {
    let p = pipeline();
    let url = p
        .url(
            &[PathSegment::Literal("subscriptions")],
            &[
                Param::new("api-version", "2025-01-02", &ParamRules::NON_EMPTY),
                Param::new("$filter", "name eq 'a&b'", &ParamRules::NON_EMPTY),
            ],
        )
        .unwrap();
    let pairs: Vec<(String, String)> = url.query_pairs().into_owned().collect();
    assert_eq!(
        pairs,
        vec![
            ("api-version".to_owned(), "2025-01-02".to_owned()),
            ("$filter".to_owned(), "name eq 'a&b'".to_owned()),
        ]
    );
    assert_eq!(url.as_str().matches("api-version").count(), 1);

    let error = p
        .url(
            &[],
            &[
                Param::new("api-version", "1", &ParamRules::NON_EMPTY),
                Param::new("api-version", "2", &ParamRules::NON_EMPTY),
            ],
        )
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "query parameter `api-version` is given more than once"
    );

    let error = p
        .url(
            &[],
            &[Param::new("api-version", "", &ParamRules::NON_EMPTY)],
        )
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "parameter `api-version`: must not be empty"
    );
    // `.` is a fine query value.
    p.url(&[], &[Param::new("x", ".", &ParamRules::NON_EMPTY)])
        .unwrap();
}

#[test]
fn literals_with_slashes_are_split_and_dot_literals_refused() {
    let p = pipeline();
    let url = p
        .url(
            &[
                PathSegment::Literal("providers/Microsoft.Compute/disks"),
                PathSegment::Param(Param::new("diskName", "d1", &ParamRules::NON_EMPTY)),
            ],
            &[],
        )
        .unwrap();
    assert_eq!(url.path(), "/providers/Microsoft.Compute/disks/d1");
    assert!(
        p.url(&[PathSegment::Literal("a/../b")], &[])
            .unwrap_err()
            .to_string()
            .contains("`.` or `..`")
    );
}

#[test]
fn custom_endpoint_keeps_its_path_prefix() {
    let cloud = super::custom_cloud("https://arm.local:8443/prefix/");
    let h = harness_with(Vec::new(), Some(cloud), std::time::Duration::from_millis(1));
    let url = h
        .pipeline
        .url(
            &[
                PathSegment::Literal("subscriptions"),
                PathSegment::Param(Param::new("subscriptionId", "s", &ParamRules::NON_EMPTY)),
            ],
            &[Param::new("api-version", "v", &ParamRules::NON_EMPTY)],
        )
        .unwrap();
    assert_eq!(
        url.as_str(),
        "https://arm.local:8443/prefix/subscriptions/s?api-version=v"
    );
    assert_eq!(
        h.pipeline.endpoint().as_str(),
        "https://arm.local:8443/prefix/"
    );
}

#[tokio::test(start_paused = true)]
async fn clouds_have_their_endpoints_and_scopes() {
    use azure_core::cloud::CloudConfiguration;
    let cases = [
        (
            None,
            "https://management.azure.com/",
            "https://management.azure.com/.default",
        ),
        (
            Some(CloudConfiguration::AzureGovernment),
            "https://management.usgovcloudapi.net/",
            "https://management.usgovcloudapi.net/.default",
        ),
        (
            Some(CloudConfiguration::AzureChina),
            "https://management.chinacloudapi.cn/",
            "https://management.chinacloudapi.cn/.default",
        ),
        (
            Some(super::custom_cloud("https://arm.example:8443/")),
            "https://arm.example:8443/",
            "https://arm.example:8443/.default",
        ),
    ];
    for (cloud, endpoint, scope) in cases {
        let h = super::harness_with(vec![super::respond(200)], cloud, std::time::Duration::ZERO);
        assert_eq!(h.pipeline.endpoint().as_str(), endpoint);
        h.pipeline
            .send::<(), azure_core::http::NoFormat>(
                Ok(crate::ArmRequest::new(
                    azure_core::http::Method::Get,
                    h.pipeline.endpoint().clone(),
                )),
                azure_core::http::Context::new(),
            )
            .await
            .unwrap();
        assert_eq!(h.credential.scopes.lock().unwrap().clone(), [scope]);
        assert_eq!(h.transport.requests()[0].url.as_str(), endpoint);
    }
}

#[test]
fn custom_clouds_need_an_https_resource_manager_audience() {
    let build = |cloud: azure_core::cloud::CloudConfiguration| {
        ArmPipeline::new(
            "c",
            "1",
            Arc::new(super::MockCredential::default()),
            ClientOptions {
                cloud: Some(Arc::new(cloud)),
                ..ClientOptions::default()
            },
            PollingOptions::default(),
        )
    };
    for endpoint in [
        "http://management.azure.com",
        "https://management.azure.com/?x=1",
        "https://user:pw@management.azure.com/",
        "data:text/plain,hello",
        "not a url",
    ] {
        let error = build(super::custom_cloud(endpoint)).unwrap_err();
        assert!(error.to_string().contains("https"), "{endpoint}: {error}");
    }
    let error = build(azure_core::cloud::CustomConfiguration::default().into()).unwrap_err();
    assert!(
        error
            .to_string()
            .contains("no audience for Resource Manager"),
        "{error}"
    );
}

#[test]
fn polling_options_default_to_a_day() {
    let options = PollingOptions::default();
    assert_eq!(
        options.timeout,
        Some(std::time::Duration::from_secs(86_400))
    );
}

#[tokio::test(start_paused = true)]
async fn header_and_typed_query_parameters() {
    use crate::ArmRequest;
    use azure_core::http::{Context, Method, NoFormat};
    static ETAG: ParamRules = ParamRules {
        min_length: Some(1),
        max_length: Some(8),
        ..ParamRules::NON_EMPTY
    };
    let h = super::harness(vec![super::respond(204)]);
    let url = h
        .pipeline
        .url(
            &[PathSegment::Literal("things")],
            &[
                Param::new("count", 5.to_string(), &ParamRules::NON_EMPTY),
                Param::new("flag", true.to_string(), &ParamRules::NON_EMPTY),
                Param::new("names", csv(&["a", "b c"]), &ParamRules::NON_EMPTY),
            ],
        )
        .unwrap();
    assert_eq!(url.query(), Some("count=5&flag=true&names=a%2Cb+c"));
    let request = ArmRequest::new(Method::Get, url)
        .headers(&[
            Param::new("If-Match", "\"e1\"", &ETAG),
            Param::new("x-ms-client-request-id", "id-1", &ParamRules::NON_EMPTY),
        ])
        .unwrap();
    h.pipeline
        .send::<(), NoFormat>(Ok(request), Context::new())
        .await
        .unwrap();
    let sent = &h.transport.requests()[0];
    assert_eq!(sent.header("if-match"), Some("\"e1\""));
    assert_eq!(sent.header("x-ms-client-request-id"), Some("id-1"));

    let base = || ArmRequest::new(Method::Get, h.pipeline.endpoint().clone());
    let error = base()
        .headers(&[Param::new(
            "If-Match",
            "a\r\nx-evil: 1",
            &ParamRules::NON_EMPTY,
        )])
        .unwrap_err();
    assert!(error.to_string().contains("control characters"), "{error}");
    let error = base()
        .headers(&[Param::new("If-Match", "123456789", &ETAG)])
        .unwrap_err();
    assert!(
        error.to_string().contains("exceeds the maximum of 8"),
        "{error}"
    );
}

/// A plain method is a function returning `send`'s future: a request that could not be built
/// is that future's error, met where the caller awaits, and nothing reaches the transport.
#[tokio::test(start_paused = true)]
async fn a_request_that_could_not_be_built_fails_the_future_and_sends_nothing() {
    use azure_core::http::{Context, NoFormat};
    let h = harness(vec![super::respond(200)]);
    let request = h.pipeline.url(
        &[PathSegment::param("diskName", "", &ParamRules::NON_EMPTY)],
        &[],
    );
    let future = h.pipeline.send::<(), NoFormat>(
        request.map(|url| crate::ArmRequest::new(azure_core::http::Method::Get, url)),
        Context::new(),
    );
    assert!(
        h.transport.requests().is_empty(),
        "nothing is sent before the future is awaited"
    );
    let error = future.await.unwrap_err();
    assert!(error.to_string().contains("diskName"), "{error}");
    assert!(h.transport.requests().is_empty(), "nothing is sent at all");
}

// ---- minimum and maximum ---------------------------------------------------------------------

const fn bound(value: f64, exclusive: bool) -> Option<Bound> {
    Some(Bound { value, exclusive })
}

/// `$top`: 1 to 1000, both allowed.
static TOP: ParamRules = ParamRules {
    minimum: bound(1.0, false),
    maximum: bound(1000.0, false),
    ..ParamRules::NON_EMPTY
};

/// `ratio`: between 0 and 1.5, neither allowed.
static RATIO: ParamRules = ParamRules {
    minimum: bound(0.0, true),
    maximum: bound(1.5, true),
    ..ParamRules::NON_EMPTY
};

/// `big`: at most 2^53, the largest integer an f64 holds exactly with its neighbours.
static BIG: ParamRules = ParamRules {
    maximum: bound(9_007_199_254_740_992.0, false),
    ..ParamRules::NON_EMPTY
};

/// A URL with `value` as the one query parameter `name`.
fn number_url(
    name: &'static str,
    value: &str,
    rules: &'static ParamRules,
) -> azure_core::Result<Url> {
    pipeline().url(&[], &[Param::new(name, value.to_owned(), rules)])
}

/// Each of `allowed` passes `rules`; each of `refused` is refused as a data-conversion error,
/// with the message that follows `parameter `name`: `.
fn assert_checks(
    name: &'static str,
    rules: &'static ParamRules,
    allowed: &[&str],
    refused: &[(&str, &str)],
) {
    for value in allowed {
        number_url(name, value, rules).expect(value);
    }
    for (value, message) in refused {
        let error = number_url(name, value, rules).unwrap_err();
        assert_eq!(*error.kind(), ErrorKind::DataConversion, "{value}");
        assert_eq!(error.to_string(), format!("parameter `{name}`: {message}"));
    }
}

#[test]
fn inclusive_bounds_allow_their_ends_and_refuse_beyond() {
    let refused = [
        ("0", "0 is out of range: it must be at least 1"),
        ("-5", "-5 is out of range: it must be at least 1"),
        ("1001", "1001 is out of range: it must be at most 1000"),
    ];
    assert_checks("$top", &TOP, &["1", "1000", "500"], &refused);
}

#[test]
fn exclusive_bounds_refuse_their_ends() {
    let refused = [
        ("0", "0 is out of range: it must be greater than 0"),
        ("1.5", "1.5 is out of range: it must be less than 1.5"),
    ];
    assert_checks("ratio", &RATIO, &["0.001", "1.4999", "1e-3"], &refused);
}

#[test]
fn a_bounded_value_that_is_not_a_finite_number_is_refused() {
    let refused = [
        ("NaN", "`NaN` is not a number"),
        ("inf", "`inf` is not a number"),
    ];
    assert_checks("ratio", &RATIO, &[], &refused);
}

#[test]
fn integers_beyond_2_pow_53_compare_exactly() {
    // An f64 would round 2^53 + 1 down to 2^53, inside the bound.
    let refused = [(
        "9007199254740993",
        "9007199254740993 is out of range: it must be at most 9007199254740992",
    )];
    assert_checks("big", &BIG, &["9007199254740992"], &refused);
}
