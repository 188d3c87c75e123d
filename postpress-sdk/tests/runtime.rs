//! The runtime against a real HTTP server on 127.0.0.1 with scripted answers.

mod common;

use axum::http::Method;
use common::{KEY, client, ok, serve};
use futures_util::{StreamExt, TryStreamExt};
use postpress_sdk::{AuthScheme, Client, Error, Mode, types};

#[tokio::test]
async fn auth_modes_and_redaction() {
    let server = serve(vec![
        ok(r#"{"object":"AccountDeleted"}"#),
        ok(r#"{"object":"AccountDeleted"}"#),
    ])
    .await;
    let c = client(&server.url);
    assert_eq!(c.mode(), Mode::Test);
    c.accounts().delete("acc_1").send().await.unwrap();
    let x = Client::builder()
        .api_key(KEY)
        .base_url(&server.url)
        .auth_scheme(AuthScheme::XApiKey)
        .build()
        .unwrap();
    x.accounts().delete("acc_1").send().await.unwrap();
    let seen = server.seen.lock().unwrap().clone();
    assert_eq!(seen[0].headers["authorization"], format!("Bearer {KEY}"));
    assert_eq!(seen[1].headers["x-api-key"], KEY);
    assert!(seen[1].headers.get("authorization").is_none());
    assert!(
        seen[0].headers["user-agent"]
            .to_str()
            .unwrap()
            .starts_with("postpress-sdk/")
    );
    assert_eq!(seen[0].uri.path(), "/v1/accounts/acc_1");
    // The key never shows up in Debug output of the client, a builder or an error.
    let err = Client::builder()
        .api_key("pp_live_x y")
        .build()
        .unwrap_err();
    for text in [
        format!("{c:?}"),
        format!("{:?}", c.accounts().delete("a")),
        format!("{err:?} {err}"),
    ] {
        assert!(!text.contains("secret123"), "{text}");
    }
    assert!(matches!(
        Client::builder().api_key("").build(),
        Err(Error::Config(_))
    ));
    assert!(
        Client::builder()
            .api_key("pp_live_k")
            .base_url("http://example.com")
            .build()
            .is_err()
    );
    assert_eq!(Client::new("pp_live_k").unwrap().mode(), Mode::Live);
    assert_eq!(Client::new("other").unwrap().mode(), Mode::Unknown);
}

#[tokio::test]
async fn post_retries_reuse_one_idempotency_key() {
    let err = r#"{"error":{"code":"upstream_error","message":"boom","request_id":"r1"}}"#;
    let server = serve(vec![
        (502, vec![], err.into()),
        (502, vec![("retry-after", "0".into())], err.into()),
        (201, vec![], r#"{"object":"ReactionAdded"}"#.into()),
    ])
    .await;
    let body = types::AddPostReactionRequest::new(types::AddPostReactionRequestRequired {
        account_id: "acc_1".into(),
        post_id: "urn:li:activity:1".into(),
    })
    .reaction_type(types::AddPostReactionRequestReactionType::Like);
    let out = client(&server.url)
        .posts()
        .add_reaction(body)
        .send()
        .await
        .unwrap();
    assert_eq!(out.object, "ReactionAdded");
    let seen = server.seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 3);
    let keys: Vec<_> = seen
        .iter()
        .map(|s| s.headers["idempotency-key"].clone())
        .collect();
    assert!(keys.iter().all(|k| *k == keys[0]), "{keys:?}");
    let sent: serde_json::Value = serde_json::from_slice(&seen[0].body).unwrap();
    assert_eq!(sent["reaction_type"], "like");
    assert!(sent.get("comment_id").is_none());
}

#[tokio::test]
async fn api_errors_are_typed_and_not_retried_when_final() {
    let server = serve(vec![
        (404, vec![("x-request-id", "hdr".into())], r#"{"error":{"code":"not_found","message":"gone","request_id":"req_9"}}"#.into()),
        (401, vec![], r#"{"title":"Unauthorized","type":"errors/missing_credentials","status":401,"instance":"inst_1"}"#.into()),
        ok("not json"),
    ])
    .await;
    let c = client(&server.url);
    let e = c.accounts().get("nope").send().await.unwrap_err();
    let api = e.as_api().unwrap();
    assert_eq!(api.status.as_u16(), 404);
    assert_eq!(api.code.as_deref(), Some("not_found"));
    assert_eq!(e.request_id(), Some("req_9"));
    assert!(!e.is_retryable());
    // The document's error body is a union of both shapes; each decodes into its variant.
    match api.body_as::<types::Error>().unwrap() {
        types::Error::ErrorEnvelope(env) => assert_eq!(env.error.code, types::ErrorCode::NotFound),
        other => panic!("the envelope decoded as {other:?}"),
    }
    let e = c.accounts().get("x").send().await.unwrap_err();
    let api = e.as_api().unwrap();
    assert_eq!(api.code.as_deref(), Some("missing_credentials"));
    assert_eq!(e.request_id(), Some("inst_1"));
    match api.body_as::<types::Error>().unwrap() {
        types::Error::ProblemDetails(p) => {
            assert_eq!(
                (p.type_.as_str(), p.status),
                ("errors/missing_credentials", 401)
            )
        }
        other => panic!("the problem object decoded as {other:?}"),
    }
    let e = c.accounts().get("x").send().await.unwrap_err();
    assert!(matches!(e, Error::Decode { .. }), "{e}");
    assert_eq!(server.seen.lock().unwrap().len(), 3);
}

#[tokio::test]
async fn path_values_cannot_escape_their_segment_and_port_query_is_kept() {
    let server = serve(vec![ok(r#"{"object":"AccountDeleted"}"#)]).await;
    let c = Client::builder()
        .api_key(KEY)
        .base_url(&server.url)
        .port_query(8443)
        .build()
        .unwrap();
    c.accounts().delete("a/../b?x=1#f").send().await.unwrap();
    let seen = server.seen.lock().unwrap().clone();
    assert_eq!(seen[0].uri.path(), "/v1/accounts/a%2F..%2Fb%3Fx%3D1%23f");
    assert_eq!(seen[0].uri.query(), Some("port=8443"));
    assert_eq!(seen[0].method, Method::DELETE);
    assert!(
        seen[0].headers.get("idempotency-key").is_none(),
        "never on DELETE"
    );
    assert!(matches!(
        c.accounts().delete("..").send().await,
        Err(Error::InvalidRequest { .. })
    ));
}

#[tokio::test]
async fn pagination_follows_nested_cursors_and_keeps_parameters() {
    let page = |cursor: &str, id: &str| {
        let cursor = if cursor.is_empty() {
            "null".to_owned()
        } else {
            format!("\"{cursor}\"")
        };
        ok(&format!(
            r#"{{"object":"PostReactionList","items":[{{"object":"PostReaction","value":"LIKE","post_id":"{id}","author":{{"id":"a","type":"INDIVIDUAL","name":"n","headline":"h","profile_url":"u","profile_picture_url":"p"}}}}],"paging":{{"cursor":{cursor},"start":0,"page_count":1,"total_count":3}}}}"#
        ))
    };
    let server = serve(vec![page("c1", "p1"), page("c2", "p2"), page("", "p3")]).await;
    let c = Client::builder()
        .api_key(KEY)
        .base_url(&server.url)
        .port_query(1)
        .build()
        .unwrap();
    let items: Vec<_> = c
        .posts()
        .list_reactions("urn:1")
        .limit(2)
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(
        items.iter().map(|r| r.post_id.as_str()).collect::<Vec<_>>(),
        ["p1", "p2", "p3"]
    );
    let seen = server.seen.lock().unwrap().clone();
    assert_eq!(seen[0].uri.query(), Some("limit=2&port=1"));
    assert_eq!(seen[1].uri.query(), Some("cursor=c1&limit=2&port=1"));
    assert_eq!(seen[2].uri.query(), Some("cursor=c2&limit=2&port=1"));
    // Out-of-range limits fail before any request.
    let err = c.accounts().list().limit(251).send().await.unwrap_err();
    assert!(
        matches!(err, Error::InvalidRequest { ref param, .. } if param == "limit"),
        "{err}"
    );
}

#[tokio::test]
async fn repeated_cursor_stops_with_an_error() {
    let list = |c: &str| {
        ok(&format!(
            r#"{{"object":"AccountList","items":[],"cursor":"{c}"}}"#
        ))
    };
    let server = serve(vec![list("same"), list("same")]).await;
    let out: Vec<_> = client(&server.url)
        .accounts()
        .list()
        .pages()
        .collect::<Vec<_>>()
        .await;
    assert_eq!(out.len(), 3);
    assert!(matches!(out[2], Err(Error::Pagination(_))));
}

#[tokio::test]
async fn multipart_posts_send_files_and_json_fields() {
    let server = serve(vec![(
        201,
        vec![],
        r#"{"object":"PostCreated","post_id":"p1"}"#.into(),
    )])
    .await;
    let body = types::CreatePostRequest::new(types::CreatePostRequestRequired {
        account_id: "acc_1".into(),
        text: "hello".into(),
    })
    .attachments(
        postpress_sdk::Part::bytes(&b"PNG1"[..])
            .file_name("a.png")
            .mime("image/png"),
    )
    .attachments(
        postpress_sdk::Part::bytes(&b"PNG2"[..])
            .file_name("b.png")
            .mime("image/png"),
    )
    .mentions(vec![types::Mention::new(types::MentionRequired {
        name: "Jane".into(),
        profile_id: "ACo1".into(),
    })]);
    let out = client(&server.url)
        .posts()
        .create(body)
        .send()
        .await
        .unwrap();
    assert_eq!(out.post_id.as_deref(), Some("p1"));
    let seen = server.seen.lock().unwrap().clone();
    let ct = seen[0].headers["content-type"].to_str().unwrap().to_owned();
    assert!(ct.starts_with("multipart/form-data"), "{ct}");
    let text = String::from_utf8_lossy(&seen[0].body);
    assert_eq!(text.matches("name=\"attachments\"").count(), 2);
    assert!(text.contains("filename=\"a.png\""));
    assert!(
        text.contains(r#"[{"name":"Jane","profile_id":"ACo1"}]"#),
        "{text}"
    );
}

#[tokio::test]
async fn status_specific_bodies_decode_into_an_enum() {
    let server = serve(vec![(
        202,
        vec![],
        r#"{"object":"Checkpoint","account_id":"acc_1","checkpoint":{"type":"2FA"}}"#.into(),
    )])
    .await;
    let body: types::ConnectAccountRequest =
        serde_json::from_value(serde_json::json!({"provider": "TELEGRAM"})).unwrap();
    let out = client(&server.url)
        .accounts()
        .connect(body)
        .send()
        .await
        .unwrap();
    assert!(
        matches!(out, postpress_sdk::accounts::ConnectResponse::Accepted(_)),
        "{out:?}"
    );
}
