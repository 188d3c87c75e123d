//! The generated surface as a user's code meets it, against a loopback server: bodies and
//! response types built through constructors and setters, required query parameters as named
//! setters checked before anything is sent, and the hand-written error codes.

mod common;

use common::{client, ok, serve};
use postpress_sdk::{Error, ErrorCode, types};

#[tokio::test]
async fn a_required_query_setter_left_unset_fails_before_sending() {
    let server = serve(vec![]).await;
    let err = client(&server.url)
        .posts()
        .get("urn:li:activity:1")
        .send()
        .await
        .unwrap_err();
    match &err {
        Error::InvalidRequest { param, message } => {
            assert_eq!(param, "account_id");
            assert!(message.contains(".account_id("), "{message}");
        }
        other => panic!("expected InvalidRequest, got {other:?}"),
    }
    assert!(err.to_string().contains("`account_id`"), "{err}");
    assert_eq!(server.seen().len(), 0, "nothing may be sent");
}

#[tokio::test]
async fn a_required_query_setter_travels_in_the_query() {
    let page = r#"{"object":"UserRelationsList","items":[],"cursor":null}"#;
    let server = serve(vec![ok(page)]).await;
    let list = client(&server.url)
        .users()
        .list_relations()
        .account_id("acc_7")
        .send()
        .await
        .unwrap();
    // A response type is constructible too, e.g. to stub a call in a user's test; the
    // constructor fills in the field the document fixes to one value.
    assert_eq!(list, types::UserRelationsList::new(Vec::new()));
    let seen = server.seen();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].uri.path(), "/v1/users/relations");
    assert_eq!(seen[0].uri.query(), Some("account_id=acc_7"));
}

#[tokio::test]
async fn bodies_built_with_constructors_and_setters_serialize_as_documented() {
    let server = serve(vec![ok(r#"{"object":"ReactionAdded"}"#)]).await;
    let body = types::AddPostReactionRequest::new(types::AddPostReactionRequestRequired {
        account_id: "acc_1".into(),
        post_id: "urn:li:activity:9".into(),
    })
    .comment_id("c_2")
    .reaction_type(types::AddPostReactionRequestReactionType::Celebrate);
    let added = client(&server.url)
        .posts()
        .add_reaction(body)
        .send()
        .await
        .unwrap();
    assert_eq!(added, types::ReactionAdded::new());
    let sent: serde_json::Value = serde_json::from_slice(&server.seen()[0].body).unwrap();
    assert_eq!(
        sent,
        serde_json::json!({
            "account_id": "acc_1",
            "post_id": "urn:li:activity:9",
            "comment_id": "c_2",
            "reaction_type": "celebrate",
        })
    );
}

#[tokio::test]
async fn error_codes_come_from_the_hand_written_layer() {
    let server = serve(vec![(
        429,
        vec![("retry-after", "3600".into())],
        r#"{"error":{"code":"rate_limited","message":"slow down","request_id":"r"}}"#.into(),
    )])
    .await;
    let err = client(&server.url)
        .accounts()
        .get("acc_1")
        .send()
        .await
        .unwrap_err();
    let Error::Api(api) = err else {
        panic!("expected an API error")
    };
    assert_eq!(api.error_code(), Some(ErrorCode::RateLimited));
    assert_eq!(ErrorCode::RateLimited.as_str(), "rate_limited");
}

/// An account whose `created_at` is `created`, as the server would send it.
fn account_at(created: &str) -> String {
    format!(
        r#"{{"object":"Account","type":"TELEGRAM","id":"acc_1","name":"n","created_at":"{created}","current_signature":null,"signatures":[],"groups":[],"sources":[{{"id":"acc_1_MESSAGING","status":"OK"}}],"connection_params":{{"im":{{"id":"1","username":"u"}}}}}}"#
    )
}

#[tokio::test]
async fn date_times_are_typed_and_accept_the_spellings_servers_send() {
    let expected: postpress_sdk::engine::Timestamp = "2025-03-01T09:30:00Z".parse().unwrap();
    for spelling in [
        "2025-03-01T09:30:00.000Z",
        "2025-03-01T09:30:00Z",
        "2025-03-01T09:30:00+00:00",
        "2025-03-01T11:30:00+02:00",
        "2025-03-01t09:30:00z",
        "2025-03-01 09:30:00Z",
    ] {
        let server = serve(vec![ok(&account_at(spelling))]).await;
        let account = client(&server.url)
            .accounts()
            .get("acc_1")
            .send()
            .await
            .unwrap_or_else(|e| panic!("{spelling}: {e}"));
        assert_eq!(account.created_at(), Some(&expected), "{spelling}");
    }
}

#[tokio::test]
async fn a_malformed_date_time_fails_naming_its_json_path() {
    let page = format!(
        r#"{{"object":"AccountList","items":[{}],"cursor":null}}"#,
        account_at("last tuesday")
    );
    let server = serve(vec![ok(&page), ok(&page)]).await;
    let strict = postpress_sdk::Client::builder()
        .api_key(common::KEY)
        .base_url(&server.url)
        .decoding(postpress_sdk::Decoding::Strict)
        .build()
        .unwrap();
    let err = strict.accounts().list().send().await.unwrap_err();
    match err {
        Error::Decode { path, message, .. } => {
            assert_eq!(path, "items[0].created_at", "{message}");
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
    // Leniently, the account leaves the page, and the departure names the same place.
    let lenient = client(&server.url).accounts().list().send_with_response();
    let response = lenient.await.unwrap();
    assert!(response.body().items.is_empty());
    let departure = &response.departures()[0];
    assert_eq!(departure.pointer, "/items/0");
    assert_eq!(departure.failed_at, "/items/0/created_at");
}

#[tokio::test]
async fn date_time_query_parameters_travel_as_rfc_3339() {
    let page = r#"{"object":"MessageList","items":[],"cursor":null}"#;
    let server = serve(vec![ok(page)]).await;
    let after: postpress_sdk::engine::Timestamp = "2025-01-02T03:04:05.5Z".parse().unwrap();
    let _ = client(&server.url)
        .messages()
        .list()
        .after(after)
        .send()
        .await;
    let seen = server.seen();
    assert_eq!(seen.len(), 1);
    assert_eq!(
        seen[0].uri.query(),
        Some("after=2025-01-02T03%3A04%3A05.5Z"),
        "{:?}",
        seen[0].uri
    );
}

#[tokio::test]
async fn a_union_body_takes_any_of_its_variants_and_fills_the_tag() {
    let created = r#"{"object":"AccountCreated","account_id":"acc_9"}"#;
    let server = serve(vec![(201, vec![], created.into())]).await;
    // `TelegramConnect` converts into the `ConnectAccountRequest` union `connect` takes; its
    // `provider` tag is the one value the document allows, filled in by `new`.
    let out = client(&server.url)
        .accounts()
        .connect(types::TelegramConnect::new().country("FR"))
        .send()
        .await
        .unwrap();
    let expected = types::AccountCreated::new("acc_9");
    assert!(
        matches!(&out, postpress_sdk::accounts::ConnectResponse::Created(c) if *c == expected),
        "{out:?}"
    );
    let sent: serde_json::Value = serde_json::from_slice(&server.seen()[0].body).unwrap();
    assert_eq!(
        sent,
        serde_json::json!({"provider": "TELEGRAM", "country": "FR"})
    );
}

/// What `tokio::spawn` needs of a future or stream: it moves to another thread and borrows
/// nothing.
fn spawnable<T: Send + 'static>(value: T) -> T {
    value
}

#[tokio::test]
async fn requests_and_page_streams_can_be_spawned() {
    use futures_util::StreamExt;
    let page = r#"{"object":"UserRelationsList","items":[{"object":"UserRelation","member_id":"m1","first_name":"Ada","last_name":"L","headline":"","public_identifier":"ada","public_profile_url":"https://x/ada","created_at":0,"connection_urn":"u","member_urn":"m"}],"cursor":null}"#;
    let server = serve(vec![ok(page), ok(page), ok(page)]).await;
    let users = client(&server.url).users();
    let send = spawnable(users.list_relations().account_id("acc_7").send());
    let list = tokio::spawn(send).await.unwrap().unwrap();
    assert_eq!(list.items.len(), 1);
    let with_response = spawnable(
        users
            .list_relations()
            .account_id("acc_7")
            .send_with_response(),
    );
    let response = tokio::spawn(with_response).await.unwrap().unwrap();
    assert_eq!(response.status().as_u16(), 200);
    let items = spawnable(users.list_relations().account_id("acc_7").items());
    let collected = tokio::spawn(async move { items.collect::<Vec<_>>().await })
        .await
        .unwrap();
    assert_eq!(collected.len(), 1);
    assert!(collected[0].is_ok(), "{:?}", collected[0]);
}

/// One `ErrorCode`: the document's codes (its 29, the six of the envelope among them), the one
/// `Error::code` returns, whether the answer is the envelope or a problem object.
#[tokio::test]
async fn error_codes_are_the_documents_codes() {
    let server = serve(vec![
        (
            403,
            vec![],
            r#"{"error":{"code":"disconnected_account","message":"reconnect","request_id":"r"}}"#
                .into(),
        ),
        (
            404,
            vec![],
            r#"{"title":"Not found","detail":"no such chat","instance":"i","type":"errors/resource_not_found","status":404}"#
                .into(),
        ),
    ])
    .await;
    let c = client(&server.url);
    let e = c.accounts().get("acc_1").send().await.unwrap_err();
    assert!(e.code() == Some(ErrorCode::DisconnectedAccount), "{e:?}");
    let e = c.accounts().get("acc_1").send().await.unwrap_err();
    assert!(
        e.code() == Some(types::ErrorCode::ResourceNotFound),
        "{e:?}"
    );
    // The same type, by both paths: the root's is the document's.
    let same: types::ErrorCode = ErrorCode::KeyMissing;
    assert_eq!(same.as_str(), "key_missing");
}

/// `.items()` and `.pages()` are used as they are: `try_next()` (which needs `Unpin`) and
/// `try_collect()` without `pin!`.
#[tokio::test]
async fn page_streams_need_no_pinning() {
    use postpress_sdk::prelude::*;
    fn unpin<T: Unpin + Send + 'static>(value: T) -> T {
        value
    }
    let page = r#"{"object":"UserRelationsList","items":[{"object":"UserRelation","member_id":"m1","first_name":"Ada","last_name":"L","headline":"","public_identifier":"ada","public_profile_url":"https://x/ada","created_at":0,"connection_urn":"u","member_urn":"m"}],"cursor":null}"#;
    let server = serve(vec![ok(page), ok(page), ok(page)]).await;
    let users = client(&server.url).users();
    let mut items = unpin(users.list_relations().account_id("acc_7").items());
    let first = items.try_next().await.unwrap().expect("one item");
    assert_eq!(first.member_id, "m1");
    assert!(items.try_next().await.unwrap().is_none());
    let pages: Vec<types::UserRelationsList> =
        unpin(users.list_relations().account_id("acc_7").pages())
            .try_collect()
            .await
            .unwrap();
    assert_eq!(pages.len(), 1);
    let mut items = users.list_relations().account_id("acc_7").items();
    while let Some(item) = items.try_next().await.unwrap() {
        assert_eq!(item.first_name, "Ada");
    }
}
