//! Copied into the crate generated from `tests/generated_crates_input/operations.yaml` by
//! `generated_crates.rs`: the exact method, path, query, headers and body each kind of
//! operation sends, and how each kind of answer decodes, against a server on 127.0.0.1.

use axum::body::Bytes;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use futures_util::TryStreamExt;
use std::sync::{Arc, Mutex};
use wire_ops::ops::{PutItemBody, PutItemResponse};
use wire_ops::types::*;
use wire_ops::{Client, engine::Error};

#[derive(Clone, Debug)]
struct Seen {
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
}

fn query_value(uri: &Uri, name: &str) -> Option<String> {
    uri.query()?.split('&').find_map(|kv| {
        let (k, v) = kv.split_once('=')?;
        (k == name).then(|| v.to_owned())
    })
}

/// Answers by path, like a small fake of the API, and records every request.
fn answer(method: &Method, uri: &Uri) -> (u16, &'static str, Vec<u8>) {
    let json = "application/json";
    let thing = br#"{"id":"t1","label":"one"}"#.to_vec();
    let page = |field: &str, next_field: &str| -> Vec<u8> {
        let (id, next) = match query_value(uri, "cursor").as_deref() {
            None => ("p1", "\"c1\"".to_owned()),
            Some("c1") => ("p2", "\"c2\"".to_owned()),
            _ => ("p3", "null".to_owned()),
        };
        let next = if next_field == "paging" {
            format!(r#""paging":{{"cursor":{next}}}"#)
        } else {
            format!(r#""{next_field}":{next}"#)
        };
        format!(r#"{{"{field}":[{{"id":"{id}"}}],{next}}}"#).into_bytes()
    };
    match (method.as_str(), uri.path()) {
        ("GET", p) if p.starts_with("/v2/files/") => (200, "application/octet-stream", vec![0, 1, 2, 255]),
        ("DELETE", _) => (204, json, vec![]),
        ("POST", "/v2/forms") | ("POST", "/v2/uploads") | ("POST", "/v2/conversations") => (201, json, thing),
        ("PUT", "/v2/items/new") => (201, "application/vnd.example+json", br#"{"created_id":"n1"}"#.to_vec()),
        ("PUT", _) => (200, json, thing),
        ("POST", "/v2/notes") => (200, "text/plain; charset=utf-8", b"noted".to_vec()),
        ("GET", "/v2/things/missing") => (404, json, br#"{"reason":"no such thing"}"#.to_vec()),
        ("GET", "/v2/pages/items") => (200, json, page("items", "cursor")),
        ("GET", "/v2/pages/data") => (200, json, page("data", "next_cursor")),
        ("GET", "/v2/pages/paging") => (200, json, page("items", "paging")),
        ("GET", "/v2/health") => (200, json, br#"{"ok":true}"#.to_vec()),
        _ => (200, json, thing),
    }
}

async fn serve() -> (Client, Arc<Mutex<Vec<Seen>>>) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let record = seen.clone();
    let app = axum::Router::new().fallback(
        move |method: Method, uri: Uri, headers: HeaderMap, body: Bytes| {
            let record = record.clone();
            async move {
                let (status, content_type, out) = answer(&method, &uri);
                record.lock().unwrap().push(Seen { method, uri, headers, body });
                let mut resp = axum::response::Response::new(axum::body::Body::from(out));
                *resp.status_mut() = StatusCode::from_u16(status).unwrap();
                resp.headers_mut().insert("content-type", content_type.parse().unwrap());
                resp
            }
        },
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/v2", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (Client::new(Some(&url), Some("k")).unwrap(), seen)
}

fn last(seen: &Arc<Mutex<Vec<Seen>>>) -> Seen {
    seen.lock().unwrap().last().cloned().unwrap()
}

#[tokio::test]
async fn path_params_are_encoded_per_segment_and_binary_downloads_are_bytes() {
    let (c, seen) = serve().await;
    let bytes = c.ops().download_file("a/../b?x=1").send().await.unwrap();
    assert_eq!(&bytes[..], &[0, 1, 2, 255]);
    let s = last(&seen);
    assert_eq!(s.method, Method::GET);
    assert_eq!(s.uri.path(), "/v2/files/a%2F..%2Fb%3Fx%3D1");
    assert_eq!(s.uri.query(), None);
}

#[tokio::test]
async fn binary_downloads_can_be_streamed() {
    use futures_util::StreamExt;
    let (c, _) = serve().await;
    let resp = c.ops().download_file("f1").send_stream().await.unwrap();
    assert_eq!(resp.status().as_u16(), 200);
    let mut body = resp.into_body();
    let mut all = Vec::new();
    while let Some(chunk) = body.next().await {
        all.extend_from_slice(&chunk.unwrap());
    }
    assert_eq!(all, [0, 1, 2, 255]);
}

#[tokio::test]
async fn an_empty_204_is_unit() {
    let (c, seen) = serve().await;
    c.ops().delete_file("f1").send().await.unwrap();
    assert_eq!(last(&seen).method, Method::DELETE);
}

#[tokio::test]
async fn query_styles_headers_and_cookies() {
    let (c, seen) = serve().await;
    let filter = OpsSearchFilter::new().status("open").owner("a b");
    c.ops()
        .search()
        .filter(filter)
        .tags(vec!["x".into(), "y".into()])
        .ids(vec![1, 2, 3])
        .active(true)
        .min_score(0.5)
        .x_trace_id("trace-1")
        .session("s1")
        .send()
        .await
        .unwrap();
    let s = last(&seen);
    assert_eq!(
        s.uri.query(),
        Some("filter%5Bstatus%5D=open&filter%5Bowner%5D=a+b&tags=x&tags=y&ids=1,2,3&active=true&min_score=0.5")
    );
    assert_eq!(s.headers["x-trace-id"], "trace-1");
    assert_eq!(s.headers["cookie"], "session=s1");
    // Unset optional parameters are left out entirely.
    c.ops().search().send().await.unwrap();
    assert_eq!(last(&seen).uri.query(), None);
    // Documented bounds are checked before sending.
    let err = c.ops().search().limit(51).send().await.unwrap_err();
    assert!(matches!(err, Error::InvalidRequest { .. }), "{err}");
}

#[tokio::test]
async fn form_bodies_are_url_encoded() {
    let (c, seen) = serve().await;
    let thing = c
        .ops()
        .submit_form(OpsSubmitFormRequest::new("a&b c").count(2))
        .send()
        .await
        .unwrap();
    assert_eq!(thing.id, "t1");
    let s = last(&seen);
    assert_eq!(s.headers["content-type"], "application/x-www-form-urlencoded");
    assert_eq!(&s.body[..], b"name=a%26b+c&count=2");
}

#[tokio::test]
async fn form_bodies_follow_their_encoding_map_byte_for_byte() {
    let (c, seen) = serve().await;
    c.ops()
        .submit_form(
            OpsSubmitFormRequest::new("n")
                // `style: form, explode: false`: one key, values joined with commas.
                .tags(vec!["a b".to_owned(), "c,d".to_owned()])
                // No encoding entry: an array repeats its key, an object nests in brackets.
                .ids(vec![1, 2])
                .where_(OpsSubmitFormRequestWhere::new().field("city").value("Köln"))
                // `contentType: application/json`: one JSON text.
                .rule(OpsSubmitFormRequestRule::new().op("lt").limit(5)),
        )
        .send()
        .await
        .unwrap();
    let s = last(&seen);
    assert_eq!(s.headers["content-type"], "application/x-www-form-urlencoded");
    assert_eq!(
        std::str::from_utf8(&s.body).unwrap(),
        concat!(
            "name=n",
            "&tags=a+b%2Cc%2Cd",
            "&ids=1&ids=2",
            "&where%5Bfield%5D=city&where%5Bvalue%5D=K%C3%B6ln",
            "&rule=%7B%22op%22%3A%22lt%22%2C%22limit%22%3A5%7D",
        )
    );
}

#[tokio::test]
async fn multipart_sends_two_files_and_a_json_encoded_field() {
    let (c, seen) = serve().await;
    let body = OpsUploadRequest::new("holiday")
        .meta(OpsUploadRequestMeta::new().album("summer").year(2025))
        .files(wire_ops::engine::Part::bytes(&b"AAA"[..]).file_name("a.jpg").mime("image/jpeg"))
        .files(wire_ops::engine::Part::bytes(&b"BBB"[..]).file_name("b.jpg").mime("image/jpeg"));
    c.ops().upload(body).send().await.unwrap();
    let s = last(&seen);
    let ct = s.headers["content-type"].to_str().unwrap().to_owned();
    assert!(ct.starts_with("multipart/form-data; boundary="), "{ct}");
    let text = String::from_utf8_lossy(&s.body);
    assert!(text.contains("name=\"title\"\r\n\r\nholiday\r\n"), "{text}");
    assert!(
        text.contains("name=\"meta\"\r\nContent-Type: application/json\r\n\r\n{\"album\":\"summer\",\"year\":2025}"),
        "{text}"
    );
    assert_eq!(text.matches("name=\"files\"; filename=").count(), 2, "{text}");
    assert!(text.contains("filename=\"b.jpg\"\r\nContent-Type: image/jpeg\r\n\r\nBBB"), "{text}");
}

#[tokio::test]
async fn multipart_parts_follow_their_resolved_schemas_on_the_wire_byte_for_byte() {
    let (c, seen) = serve().await;
    let body = OpsStartConversationRequest::new("acc_1", vec!["ACo1".to_owned(), "ACo2".to_owned()])
        .kind(ConversationKind::Group)
        .options_api("classic")
        .options_inmail(true)
        .options_layout_bottom_left_x(1.25)
        .options_layout_bottom_left_y(0.5)
        .options_skills(vec!["rust".to_owned(), "sql".to_owned()])
        .settings(OpsStartConversationRequestSettings::new().mode("quiet"))
        .report("a,b\n1,2")
        .scans(wire_ops::engine::Part::bytes(&b"SCAN"[..]).file_name("s.pdf").mime("application/pdf"));
    c.ops().start_conversation(body).send().await.unwrap();
    let s = last(&seen);
    let ct = s.headers["content-type"].to_str().unwrap().to_owned();
    let boundary = ct.strip_prefix("multipart/form-data; boundary=").expect(&ct);
    // A `$ref` to a string and a `$ref` to an enum are text, never JSON-quoted; bracket-named
    // properties are sent under their names, arrays of scalars repeat the name; the object
    // whose 3.0 `style` is ignored is one JSON part. Unset fields send nothing.
    let text = |name: &str, value: &str| {
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n")
    };
    let mut expected = String::new();
    for (name, value) in [
        ("account_id", "acc_1"),
        ("kind", "group"),
        ("member_ids[]", "ACo1"),
        ("member_ids[]", "ACo2"),
        ("options[api]", "classic"),
        ("options[inmail]", "true"),
        ("options[layout][bottom_left][x]", "1.25"),
        ("options[layout][bottom_left][y]", "0.5"),
        ("options[skills]", "rust"),
        ("options[skills]", "sql"),
    ] {
        expected.push_str(&text(name, value));
    }
    expected.push_str(&format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"settings\"\r\nContent-Type: application/json\r\n\r\n{{\"mode\":\"quiet\"}}\r\n"
    ));
    // A declared content type travels as declared; a `$ref` to a binary schema is a file.
    expected.push_str(&format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"report\"\r\nContent-Type: text/csv\r\n\r\na,b\n1,2\r\n"
    ));
    expected.push_str(&format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"scans\"; filename=\"s.pdf\"\r\nContent-Type: application/pdf\r\n\r\nSCAN\r\n"
    ));
    expected.push_str(&format!("--{boundary}--\r\n"));
    assert_eq!(String::from_utf8_lossy(&s.body), expected);
}

#[tokio::test]
async fn several_media_types_let_the_caller_choose_and_statuses_pick_the_type() {
    let (c, seen) = serve().await;
    let thing = || Thing::new("t9");
    // The default encoding, through `From`.
    let out = c.ops().put_item("old", thing()).send().await.unwrap();
    assert!(matches!(out, PutItemResponse::Ok(t) if t.id == "t1"));
    let s = last(&seen);
    assert_eq!(s.method, Method::PUT);
    assert_eq!(s.headers["content-type"], "application/json");
    assert_eq!(&s.body[..], br#"{"id":"t9"}"#);
    // Chosen encodings.
    c.ops().put_item("old", PutItemBody::Form(thing())).send().await.unwrap();
    let s = last(&seen);
    assert_eq!(s.headers["content-type"], "application/x-www-form-urlencoded");
    assert_eq!(&s.body[..], b"id=t9");
    let out = c.ops().put_item("new", PutItemBody::Bytes(vec![7u8, 8].into())).send().await.unwrap();
    let s = last(&seen);
    assert_eq!(s.headers["content-type"], "application/octet-stream");
    assert_eq!(&s.body[..], &[7, 8]);
    // 201 with a `+json` media type decodes into its own variant.
    assert!(matches!(out, PutItemResponse::Created(c) if c.created_id == "n1"));
}

#[tokio::test]
async fn text_bodies_and_text_responses() {
    let (c, seen) = serve().await;
    let echo = c.ops().post_note("hello").send().await.unwrap();
    assert_eq!(echo, "noted");
    let s = last(&seen);
    assert_eq!(s.headers["content-type"], "text/plain");
    assert_eq!(&s.body[..], b"hello");
}

#[tokio::test]
async fn a_documented_error_body_decodes_into_its_type() {
    let (c, _) = serve().await;
    let err = c.ops().get_thing("missing").send().await.unwrap_err();
    let api = err.as_api().expect("an API error");
    assert_eq!(api.status.as_u16(), 404);
    let typed: NotFound = api.body_as().unwrap();
    assert_eq!(typed.reason, "no such thing");
}

#[tokio::test]
async fn operations_without_an_operation_id_get_a_name() {
    let (c, seen) = serve().await;
    let health = c.ops().get_health().send().await.unwrap();
    assert_eq!(health.ok, Some(true));
    assert_eq!(last(&seen).uri.path(), "/v2/health");
}

#[tokio::test]
async fn pagination_across_three_pages_for_each_cursor_shape() {
    let (c, seen) = serve().await;
    let ids = |items: Vec<Thing>| items.into_iter().map(|t| t.id).collect::<Vec<_>>();
    let a: Vec<Thing> = c.ops().list_items().kind("k").items().try_collect().await.unwrap();
    assert_eq!(ids(a), ["p1", "p2", "p3"]);
    let queries: Vec<_> = seen.lock().unwrap().iter().map(|s| s.uri.query().map(str::to_owned)).collect();
    assert_eq!(
        queries,
        [Some("kind=k".to_owned()), Some("cursor=c1&kind=k".to_owned()), Some("cursor=c2&kind=k".to_owned())],
        "other parameters are kept on every page"
    );
    let b: Vec<Thing> = c.ops().list_data().items().try_collect().await.unwrap();
    assert_eq!(ids(b), ["p1", "p2", "p3"]);
    let d: Vec<Thing> = c.ops().list_paging().items().try_collect().await.unwrap();
    assert_eq!(ids(d), ["p1", "p2", "p3"]);
    assert_eq!(seen.lock().unwrap().len(), 9);
}
