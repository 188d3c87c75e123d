//! The `mock` feature as a user meets it: only the public API, through `postpress_sdk::mock`.
//! Each test stubs operations, runs code against the client the mock hands out, and asserts on
//! the results and on the recorded requests.

use futures_util::TryStreamExt;
use postpress_sdk::mock::{MockServer, Reply, Stub};
use postpress_sdk::types::{
    Account, AccountDeleted, AccountList, CreatePostRequest, CreatePostRequestRequired, PostCreated,
};
use postpress_sdk::{Client, ErrorCode, Part};

fn account(id: &str) -> Account {
    let json = format!(
        r#"{{"object":"Account","type":"TELEGRAM","id":"{id}","name":"n","created_at":"2025-01-01T00:00:00.000Z","current_signature":null,"signatures":[],"groups":[],"sources":[{{"id":"{id}_MESSAGING","status":"OK"}}],"connection_params":{{"im":{{"id":"1","username":"u"}}}}}}"#
    );
    serde_json::from_str(&json).expect("a valid account")
}

fn page(ids: &[&str], cursor: Option<&str>) -> AccountList {
    let list = AccountList::new(ids.iter().map(|id| account(id)).collect::<Vec<_>>());
    match cursor {
        Some(c) => list.cursor(c),
        None => list,
    }
}

fn id_of(account: &Account) -> String {
    account.id().cloned().unwrap_or_default()
}

/// The code under test in the worked example: every account id, retrying a failed page once
/// more than the client already does.
async fn all_account_ids(client: &Client) -> postpress_sdk::Result<Vec<String>> {
    let mut ids = Vec::new();
    let mut items = client.accounts().list().limit(2).items();
    while let Some(account) = items.try_next().await? {
        ids.push(id_of(&account));
    }
    Ok(ids)
}

#[tokio::test]
async fn a_paginated_list_is_served_page_by_page_by_cursor() {
    let mock = MockServer::start().await.unwrap();
    let list = mock.accounts().list().with_limit(2).pages([
        page(&["acc_1", "acc_2"], Some("c2")),
        page(&["acc_3", "acc_4"], Some("c3")),
        page(&["acc_5"], None),
    ]);
    let ids = all_account_ids(&mock.client().unwrap()).await.unwrap();
    assert_eq!(ids, ["acc_1", "acc_2", "acc_3", "acc_4", "acc_5"]);
    let cursors: Vec<Option<String>> = list
        .calls()
        .iter()
        .map(|c| c.query("cursor").map(str::to_owned))
        .collect();
    assert_eq!(cursors, [None, Some("c2".into()), Some("c3".into())]);
    assert!(list.calls().iter().all(|c| c.query("limit") == Some("2")));
    mock.verify();
}

#[tokio::test]
async fn a_page_never_read_fails_verify() {
    let mock = MockServer::start().await.unwrap();
    mock.accounts()
        .list()
        .pages([page(&["acc_1"], Some("c2")), page(&["acc_2"], None)]);
    let first = mock
        .client()
        .unwrap()
        .accounts()
        .list()
        .send()
        .await
        .unwrap();
    assert_eq!(first.items.len(), 1);
    let report = mock.check().unwrap_err().to_string();
    assert!(
        report.contains("page 2 (`cursor=c2`) was never requested"),
        "{report}"
    );
    mock.reset();
}

#[tokio::test]
async fn a_multipart_upload_is_recorded_with_its_parts() {
    let mock = MockServer::start().await.unwrap();
    let create = mock
        .posts()
        .create()
        .returns(PostCreated::new().post_id("post_9"));
    let post = CreatePostRequest::new(CreatePostRequestRequired {
        account_id: "acc_1".into(),
        text: "hello".into(),
    })
    .attachments(
        Part::bytes(vec![7u8; 16])
            .file_name("a.png")
            .mime("image/png"),
    );
    let created = mock
        .client()
        .unwrap()
        .posts()
        .create(post)
        .send()
        .await
        .unwrap();
    assert_eq!(created.post_id.as_deref(), Some("post_9"));

    let calls = create.calls();
    assert_eq!(calls.len(), 1);
    let form = calls[0].body().unwrap();
    assert_eq!(form.text("account_id"), Some("acc_1"));
    assert_eq!(form.text("text"), Some("hello"));
    let file = form.part("attachments").expect("the attachment part");
    assert_eq!(file.file_name.as_deref(), Some("a.png"));
    assert_eq!(file.content_type.as_deref(), Some("image/png"));
    assert_eq!(file.data.as_ref(), &[7u8; 16]);
    assert!(calls[0].idempotency_key().is_some_and(|k| !k.is_empty()));
    assert_eq!(calls[0].authorization(), Some("Bearer pp_test_mock"));
    mock.verify();
}

#[tokio::test]
async fn an_error_stub_reaches_the_caller_with_its_code() {
    let mock = MockServer::start().await.unwrap();
    mock.accounts()
        .get()
        .with_id("acc_404")
        .fails(404, "not_found", "no such account");
    let err = mock
        .client()
        .unwrap()
        .accounts()
        .get("acc_404")
        .send()
        .await
        .unwrap_err();
    assert!(err.is_not_found(), "{err}");
    assert_eq!(err.code(), Some(ErrorCode::NotFound));
    assert_eq!(
        err.as_api().and_then(|a| a.message.as_deref()),
        Some("no such account")
    );
    mock.verify();
}

#[tokio::test]
async fn a_502_then_success_is_retried_with_one_idempotency_key() {
    let mock = MockServer::start().await.unwrap();
    let create = mock
        .posts()
        .create()
        .fails(502, "upstream", "the provider is down")
        .returns(PostCreated::new().post_id("post_1"))
        .times(2);
    let post = CreatePostRequest::new(CreatePostRequestRequired {
        account_id: "acc_1".into(),
        text: "retried".into(),
    });
    let created = mock
        .client()
        .unwrap()
        .posts()
        .create(post)
        .send()
        .await
        .unwrap();
    assert_eq!(created.post_id.as_deref(), Some("post_1"));
    let calls = create.calls();
    assert_eq!(calls.len(), 2);
    assert_eq!(calls[0].idempotency_key(), calls[1].idempotency_key());
    assert_eq!(calls[1].body().unwrap().text("text"), Some("retried"));
    mock.verify();
}

#[tokio::test]
async fn stubs_match_on_path_parameters_and_typed_conditions() {
    let mock = MockServer::start().await.unwrap();
    mock.accounts()
        .get()
        .with_id("acc_1")
        .reply(Reply::json(200, &account("acc_1")).header("x-request-id", "req_1"));
    mock.accounts()
        .get()
        .matching(|call| {
            call.path_param("id")
                .is_some_and(|id| id.starts_with("team_"))
        })
        .returns(account("team_x"));
    let client = mock.client().unwrap();
    let one = client
        .accounts()
        .get("acc_1")
        .send_with_response()
        .await
        .unwrap();
    assert_eq!(one.request_id(), Some("req_1"));
    assert_eq!(id_of(one.body()), "acc_1");
    let team = client.accounts().get("team_7").send().await.unwrap();
    assert_eq!(id_of(&team), "team_x");
    mock.verify();
}

#[tokio::test]
async fn an_unmatched_request_names_its_operation_and_the_stubs() {
    let mock = MockServer::start().await.unwrap();
    mock.accounts()
        .get()
        .with_id("acc_1")
        .returns(account("acc_1"));
    let err = mock
        .client()
        .unwrap()
        .accounts()
        .get("acc_2")
        .send()
        .await
        .unwrap_err();
    let message = err.to_string();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(501));
    assert!(message.contains("GET /accounts/acc_2"), "{message}");
    assert!(
        message.contains("operation `AccountsController_getAccount`: GET /accounts/{id}"),
        "{message}"
    );
    assert!(
        message.contains(r#"stub #1"#) && message.contains(r#"id = "acc_1""#),
        "{message}"
    );
    assert_eq!(mock.unmatched().len(), 1);
    let report = mock.check().unwrap_err().to_string();
    assert!(report.contains("matched no stub"), "{report}");
    assert!(report.contains("was never called"), "{report}");
    mock.reset();
}

#[tokio::test]
async fn times_limits_a_stub_and_verify_counts_its_calls() {
    let mock = MockServer::start().await.unwrap();
    mock.accounts()
        .delete()
        .times(2)
        .returns(AccountDeleted::new());
    let client = mock.client().unwrap();
    client.accounts().delete("acc_1").send().await.unwrap();
    let report = mock.check().unwrap_err().to_string();
    assert!(
        report.contains("expected 2 call(s), and answered 1"),
        "{report}"
    );
    client.accounts().delete("acc_1").send().await.unwrap();
    mock.check().unwrap();
    let third = client.accounts().delete("acc_1").send().await.unwrap_err();
    assert_eq!(third.status().map(|s| s.as_u16()), Some(501));
    assert!(third.to_string().contains("used up"), "{third}");
    mock.reset();
}

#[tokio::test]
#[should_panic(expected = "was never called")]
async fn dropping_the_mock_with_a_missed_call_fails_the_test() {
    let mock = MockServer::start().await.unwrap();
    mock.accounts().list().returns(page(&[], None));
}
