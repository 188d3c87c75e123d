//! What the multipart operations put on the wire, read back the way a server reads it: each
//! body the SDK sends to a server on 127.0.0.1 is parsed by `multer` (the multipart parser
//! under axum) and checked part by part against the document, and its bytes are pinned by a
//! golden file (`tests/snapshots/wire_bodies__*.snap`, the random boundary replaced by
//! `BOUNDARY`). The document's own types decide each part: a property whose schema resolves to
//! a string, number, boolean or enum is a text part (an array of them repeats its name), an
//! object or array of objects one JSON part, a binary string a file part.

mod common;

use bytes::Bytes;
use common::{Seen, serve};
use postpress_sdk::{Client, Part, types};
use serde_json::Value;
use std::path::PathBuf;

fn spec() -> Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../specs/postpress.json");
    serde_json::from_slice(&std::fs::read(path).expect("specs/postpress.json")).expect("JSON")
}

/// `node` with its `$ref` chain followed.
fn resolve<'a>(doc: &'a Value, mut node: &'a Value) -> &'a Value {
    while let Some(r) = node.get("$ref").and_then(Value::as_str) {
        node = doc
            .pointer(r.trim_start_matches('#'))
            .unwrap_or_else(|| panic!("dangling {r}"));
    }
    node
}

/// The documented example of the first 2xx JSON answer of `method path`, as the server's answer.
fn documented_answer(doc: &Value, method: &str, path: &str) -> (u16, String) {
    let op = &doc["paths"][path][method];
    let (status, response) = op["responses"]
        .as_object()
        .unwrap()
        .iter()
        .find(|(s, _)| s.starts_with('2'))
        .expect("a success response");
    let schema = resolve(
        doc,
        &resolve(doc, response)["content"]["application/json"]["schema"],
    );
    let example = schema
        .get("example")
        .unwrap_or_else(|| panic!("{method} {path}: the answer's schema has an example"));
    (status.parse().unwrap(), example.to_string())
}

/// One part as a server framework hands it over.
#[derive(Debug)]
struct ParsedPart {
    name: String,
    file_name: Option<String>,
    content_type: Option<String>,
    data: Bytes,
}

async fn parse(seen: &Seen) -> Vec<ParsedPart> {
    let content_type = seen.headers["content-type"].to_str().unwrap();
    let boundary = multer::parse_boundary(content_type).expect("a multipart content type");
    let body = seen.body.clone();
    let stream =
        futures_util::stream::once(async move { Ok::<Bytes, std::convert::Infallible>(body) });
    let mut multipart = multer::Multipart::new(stream, boundary);
    let mut parts = Vec::new();
    while let Some(field) = multipart.next_field().await.expect("a well-formed body") {
        let name = field.name().expect("every part is named").to_owned();
        let file_name = field.file_name().map(str::to_owned);
        let content_type = field.content_type().map(|m| m.to_string());
        let data = field.bytes().await.expect("part bytes");
        parts.push(ParsedPart {
            name,
            file_name,
            content_type,
            data,
        });
    }
    parts
}

/// The body's schema of `method path`, resolved.
fn body_schema<'a>(doc: &'a Value, method: &str, path: &str) -> &'a Value {
    let body = resolve(doc, &doc["paths"][path][method]["requestBody"]);
    resolve(doc, &body["content"]["multipart/form-data"]["schema"])
}

/// What the document's schema of a property says a part must be: "text", "json" or "file".
fn expected_kind(doc: &Value, property: &Value) -> &'static str {
    let p = resolve(doc, property);
    let scalar = |s: &Value| {
        let s = resolve(doc, s);
        matches!(
            s["type"].as_str(),
            Some("string" | "integer" | "number" | "boolean")
        ) || s.get("anyOf").is_some_and(|branches| {
            branches
                .as_array()
                .unwrap()
                .iter()
                .all(|b| resolve(doc, b)["type"] == "string")
        })
    };
    let binary = |s: &Value| resolve(doc, s)["format"] == "binary";
    match p["type"].as_str() {
        _ if binary(p) => "file",
        Some("array") if binary(&p["items"]) => "file",
        Some("array") if scalar(&p["items"]) => "text",
        _ if scalar(p) => "text",
        _ => "json",
    }
}

/// Checks every part of `parts` against the body schema of `method path`: known names, the
/// content type its schema's kind calls for, text that is not JSON-quoted, JSON that parses,
/// and every required property present.
fn check_against_document(doc: &Value, method: &str, path: &str, parts: &[ParsedPart]) {
    let schema = body_schema(doc, method, path);
    let properties = schema["properties"].as_object().unwrap();
    for part in parts {
        let property = properties
            .get(&part.name)
            .unwrap_or_else(|| panic!("{method} {path}: part `{}` is no property", part.name));
        let text = String::from_utf8_lossy(&part.data);
        match expected_kind(doc, property) {
            "text" => {
                assert_eq!(
                    part.content_type, None,
                    "{method} {path}: `{}` is a text part",
                    part.name
                );
                assert!(part.file_name.is_none(), "`{}` is no file", part.name);
                assert!(
                    !text.starts_with('"'),
                    "{method} {path}: `{}` is sent JSON-quoted: {text}",
                    part.name
                );
            }
            "json" => {
                assert_eq!(part.content_type.as_deref(), Some("application/json"));
                serde_json::from_slice::<Value>(&part.data).expect("a JSON part parses");
            }
            _ => assert!(part.file_name.is_some(), "`{}` is a file part", part.name),
        }
    }
    for required in schema["required"].as_array().into_iter().flatten() {
        let required = required.as_str().unwrap();
        assert!(
            parts.iter().any(|p| p.name == required),
            "{method} {path}: required part `{required}` missing"
        );
    }
}

/// The body byte for byte with its random boundary replaced, for a golden comparison: CR, LF,
/// backslashes and bytes outside printable ASCII are written as escapes (`\r`, `\n`, `\x89`),
/// and a line break follows each `\n`, so the golden file shows every byte and stays readable.
fn normalized(seen: &Seen) -> String {
    let content_type = seen.headers["content-type"].to_str().unwrap();
    let boundary = multer::parse_boundary(content_type).unwrap();
    let mut text = format!(
        "content-type: {}\n\n",
        content_type.replace(&boundary, "BOUNDARY")
    );
    let mut rest: &[u8] = &seen.body;
    while let Some(&byte) = rest.first() {
        if rest.starts_with(boundary.as_bytes()) {
            text.push_str("BOUNDARY");
            rest = &rest[boundary.len()..];
            continue;
        }
        match byte {
            b'\r' => text.push_str("\\r"),
            b'\n' => text.push_str("\\n\n"),
            b'\\' => text.push_str("\\\\"),
            0x20..=0x7e => text.push(byte as char),
            _ => text.push_str(&format!("\\x{byte:02x}")),
        }
        rest = &rest[1..];
    }
    text
}

fn png() -> Part {
    Part::bytes(&b"\x89PNG\r\n\x1a\nfake"[..])
        .file_name("photo.png")
        .mime("image/png")
}

/// Sends through a client pointed at a server that answers with the documented example of
/// `method path` and returns what the server received.
async fn sent<F, Fut>(method: &str, path: &str, call: F) -> Seen
where
    F: FnOnce(Client) -> Fut,
    Fut: std::future::Future<Output = postpress_sdk::Result<()>>,
{
    let doc = spec();
    let (status, body) = documented_answer(&doc, method, path);
    let server = serve(vec![(status, vec![], body)]).await;
    call(common::client(&server.url))
        .await
        .unwrap_or_else(|e| panic!("{method} {path}: {e}"));
    let seen = server.seen();
    assert_eq!(seen.len(), 1, "one request");
    seen.into_iter().next().unwrap()
}

#[tokio::test]
async fn starting_a_chat_sends_text_parts_a_framework_reads_as_the_page_shows() {
    let seen = sent("post", "/chats", |c| async move {
        let body = types::StartChatRequest::new("acc_1", vec!["ACo1".into(), "ACo2".into()])
            .text("Hi")
            .linkedin_api(types::StartChatRequestLinkedinApi::Classic)
            .linkedin_inmail(true);
        c.chats().start(body).send().await.map(drop)
    })
    .await;
    let parts = parse(&seen).await;
    let texts: Vec<(&str, &str)> = parts
        .iter()
        .map(|p| {
            assert_eq!(p.content_type, None, "{p:?}");
            (p.name.as_str(), std::str::from_utf8(&p.data).unwrap())
        })
        .collect();
    // `account_id` is a `$ref` to a string: the bare id, never `"acc_1"` as a JSON part.
    assert_eq!(
        texts,
        [
            ("account_id", "acc_1"),
            ("attendees_ids[]", "ACo1"),
            ("attendees_ids[]", "ACo2"),
            ("text", "Hi"),
            ("linkedin[api]", "classic"),
            ("linkedin[inmail]", "true"),
        ]
    );
}

#[tokio::test]
async fn every_multipart_operation_fits_the_document_and_its_golden_bytes() {
    let doc = spec();
    let chat = sent("post", "/chats", |c| async move {
        let body = types::StartChatRequest::new("acc_1", vec!["ACo1".into(), "ACo2".into()])
            .text("Hi")
            .subject("Hello")
            .attachments(png())
            .voice_message(png())
            .video_message(png())
            .linkedin_api(types::StartChatRequestLinkedinApi::Recruiter)
            .linkedin_signature("Jane")
            .linkedin_hiring_project_id("hp_1")
            .linkedin_job_posting_id("job_1")
            .linkedin_sourcing_channel(types::StartChatRequestLinkedinSourcingChannel::Referral)
            .linkedin_email_address("jane@example.com")
            .linkedin_visibility(types::StartChatRequestLinkedinVisibility::Private)
            .linkedin_follow_up_subject("Following up")
            .linkedin_follow_up_text("Any news?")
            .linkedin_follow_up_scheduled_time_weeks(2)
            .linkedin_follow_up_scheduled_time_timezone("Europe/Paris")
            .linkedin_follow_up_attachments(png());
        c.chats().start(body).send().await.map(drop)
    })
    .await;
    let message = sent("post", "/chats/{chat_id}/messages", |c| async move {
        let body = types::SendMessageRequest::new()
            .text("Thanks")
            .account_id("acc_1")
            .thread_id("t_1")
            .quote_id("msg_0")
            .voice_message(png())
            .video_message(png())
            .attachments(png())
            .attachments(png())
            .typing_duration("1500");
        c.chats()
            .send_message("chat_1", body)
            .send()
            .await
            .map(drop)
    })
    .await;
    let post = sent("post", "/posts", |c| async move {
        let mention: types::Mention =
            serde_json::from_value(serde_json::json!({"name": "Jane Doe", "profile_id": "ACo1"}))
                .unwrap();
        let body = types::CreatePostRequest::new(types::CreatePostRequestRequired {
            account_id: "acc_1".into(),
            text: "Spring release, by {{0}}".into(),
        })
        .attachments(png())
        .video_thumbnail(png())
        .repost("urn:li:activity:1")
        .include_job_posting("job_1")
        .mentions(vec![mention])
        .external_link("https://example.com/spring")
        .as_organization("org_1")
        .location("Paris");
        c.posts().create(body).send().await.map(drop)
    })
    .await;
    let profile = sent("patch", "/users/me/edit", |c| async move {
        let body = types::EditOwnProfileRequest::new("acc_1")
            .location_id("105015875")
            .location_postal_code("75011")
            .headline("Platform engineer")
            .summary("About me")
            .picture(png())
            .picture_settings_filter(types::EditOwnProfileRequestPictureSettingsFilter::Studio)
            .picture_settings_layout_bottom_left_x(1.25)
            .picture_settings_layout_bottom_left_y(0.5)
            .picture_settings_contrast(0.5)
            .cover_picture(png())
            .cover_picture_settings_brightness(-0.25)
            .experience_id("pos_1")
            .experience_notify_network(false)
            .experience_role("Engineer")
            .experience_presence(types::ProfilePositionEditPresence::Remote)
            .experience_seniority_start_date_month(3)
            .experience_seniority_start_date_year(2024)
            .experience_skills(vec!["rust".into(), "sql".into()])
            .education_school("ETH")
            .education_end_date_month(7)
            .education_end_date_year(2019);
        c.users().edit_own_profile(body).send().await.map(drop)
    })
    .await;
    for (method, path, seen, name) in [
        ("post", "/chats", &chat, "start_chat"),
        (
            "post",
            "/chats/{chat_id}/messages",
            &message,
            "send_message",
        ),
        ("post", "/posts", &post, "create_post"),
        ("patch", "/users/me/edit", &profile, "edit_own_profile"),
    ] {
        let parts = parse(seen).await;
        check_against_document(&doc, method, path, &parts);
        insta::assert_snapshot!(name, normalized(seen));
    }
}
