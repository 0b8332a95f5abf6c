//! [`redact`]: every form of SAS signature, token and URL query, and linear time.

use crate::{REDACTED, Redacted, error::sanitize, redact};

fn assert_redacts(input: &str, expected: &str) {
    assert_eq!(redact(input), expected, "input: {input}");
}

#[test]
fn sas_signatures_in_every_form() {
    // A whole URL: the query goes.
    assert_redacts(
        "Blob https://md.blob.core.windows.net/c/b?sv=2022-11-02&sig=SECRET is locked",
        "Blob https://md.blob.core.windows.net/c/b?<redacted> is locked",
    );
    // Without its scheme, and a bare token: the signature goes, the context stays.
    assert_redacts(
        "Blob md.blob.core.windows.net/c/b?sv=2022-11-02&sr=b&sig=SECRET%2B%3D&se=2030-01-01 is locked",
        "Blob md.blob.core.windows.net/c/b?sv=2022-11-02&sr=b&sig=<redacted>&se=2030-01-01 is locked",
    );
    assert_redacts("sv=2022&sig=SECRET", "sv=2022&sig=<redacted>");
    assert_redacts("sig=SECRET", "sig=<redacted>");
    // Any case, percent-encoded once or twice, JSON-escaped.
    assert_redacts("SIG=SECRET", "SIG=<redacted>");
    assert_redacts("Sig%3dSECRET%26sv%3D1", "Sig%3d<redacted>");
    assert_redacts(
        "https%3A%2F%2Fh%2Fc%3Fsv%3D1%26sig%3DSECRET%26se%3D2",
        "https%3A%2F%2Fh%2Fc%3Fsv%3D1%26sig%3D<redacted>",
    );
    assert_redacts("x%26sig%253DSECRET", "x%26sig%253D<redacted>");
    assert_redacts(r"sig\u003dSECRET", r"sig\u003d<redacted>");
    // As a JSON key, plain and as Debug escapes it.
    assert_redacts(r#"{"sig": "SECRET"}"#, r#"{"sig": "<redacted>"}"#);
    assert_redacts(r#"{\"sig\":\"SECRET\"}"#, r#"{\"sig\":\"<redacted>\"}"#);
    // The user-delegation key fields; skt and sktid both.
    assert_redacts(
        "skoid=A&sktid=B&skt=C&ske=D&sks=b&skv=E&sv=1",
        "skoid=<redacted>&sktid=<redacted>&skt=<redacted>&ske=<redacted>&sks=<redacted>&skv=<redacted>&sv=1",
    );
    // Stops at the characters that end a value.
    assert_redacts("(sig=SECRET), next", "(sig=<redacted>), next");
    assert_redacts("'sig=SECRET'", "'sig=<redacted>'");
    assert_redacts("sig=SECRET\nnext", "sig=<redacted>\nnext");
}

#[test]
fn tokens_and_urls() {
    assert_redacts(
        "Authorization: Bearer abc.def-ghi rejected",
        "Authorization: Bearer <redacted> rejected",
    );
    assert_redacts(
        "token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl expired",
        "token <redacted> expired",
    );
    assert_redacts("access_token=abc&x=1", "access_token=<redacted>&x=1");
    assert_redacts(
        "see HTTP://a.b/x?sig=1 and \"https://c.d/?q\"",
        "see HTTP://a.b/x?<redacted> and \"https://c.d/?<redacted>\"",
    );
    assert_redacts("https://h/p#frag", "https://h/p#<redacted>");
    // A URL without a query keeps everything, but a secret parameter in its path still goes
    // (to the end: base64 has `/`).
    assert_redacts("https://h/p/sig=SECRET/x y", "https://h/p/sig=<redacted> y");
}

#[test]
fn harmless_text_is_borrowed_unchanged() {
    for text in [
        "no secrets here",
        "asks=1 design=2 insight=3",
        "sig=&sv=1",
        "sig",
        "https://host/path",
        "https://x/?",
        "eyJ.not-a-token",
        "bearer",
        "",
    ] {
        assert!(
            matches!(redact(text), std::borrow::Cow::Borrowed(t) if t == text),
            "{text}"
        );
    }
}

#[test]
fn redacted_debug_of_any_value() {
    #[derive(Debug)]
    #[allow(dead_code)]
    struct Error {
        code: String,
        details: Vec<String>,
    }
    let error = Error {
        code: "Bad sig=SECRET".into(),
        details: vec!["see md.blob/x?sv=1&sig=SECRET2".into()],
    };
    let debug = format!("{:?}", Redacted(&error));
    assert!(!debug.contains("SECRET"), "{debug}");
    assert_eq!(
        debug,
        r#"Error { code: "Bad sig=<redacted>", details: ["see md.blob/x?sv=1&sig=<redacted>"] }"#
    );
    let pretty = format!("{:#?}", Redacted(&error));
    assert!(
        pretty.contains("\n    code: \"Bad sig=<redacted>\""),
        "{pretty}"
    );
    assert!(!pretty.contains("SECRET"), "{pretty}");
    assert_eq!(REDACTED, "<redacted>");
}

/// The 878 KB message of the issue: cleaned in one pass over its first 16 KiB.
#[test]
fn a_huge_message_of_urls_is_cleaned_from_a_bounded_prefix() {
    let message = "http://a ".repeat(100_000);
    let clean = sanitize(&message, 300);
    assert_eq!(clean.chars().count(), 301);
    assert!(clean.starts_with("http://a http://a "));
    assert!(clean.ends_with('…'));
    // What lies past the inspected prefix changes nothing: it is never looked at.
    let limit = crate::MAX_INSPECTED_BYTES;
    let prefix = "x".repeat(limit);
    assert_eq!(
        sanitize(&format!("{prefix}sig=SECRET"), usize::MAX),
        sanitize(
            &format!("{prefix}{}", "http://a".repeat(50_000)),
            usize::MAX
        ),
    );
    // The cut falls on a character boundary.
    let wide = "é".repeat(limit);
    let clean = sanitize(&wide, usize::MAX);
    assert_eq!(clean.chars().count(), limit / 2 + 1);
}

/// Inputs that made the old cleaner, or a careless one, quadratic: each is a megabyte and
/// redacted whole. Linear, they take milliseconds; quadratic, hours (no timing is asserted).
#[test]
fn pathological_inputs_are_redacted_in_one_pass() {
    const SIZE: usize = 1 << 20;
    let cases = [
        ("http://a ", false),
        ("http://", false),
        ("https://a/?", true),
        ("eyJ. ", false),
        ("eyJ.", true),
        ("eyJa.b.", true),
        ("sig%252525", false),
        ("bearer ", true),
        ("&sig=x", true),
        ("sig\":", false),
    ];
    for (unit, redacts) in cases {
        let text = unit.repeat(SIZE / unit.len());
        let clean = redact(&text);
        assert_eq!(
            clean.contains(REDACTED),
            redacts,
            "{unit:?}: {}",
            clean.chars().take(40).collect::<String>()
        );
        assert!(clean.len() <= text.len() + REDACTED.len() * (text.len() / unit.len() + 1));
    }
}
