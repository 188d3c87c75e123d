//! The validating mock: every request is checked against its operation in the document
//! before a stub answers. Bad requests are sent with plain `reqwest` (the SDK may well send
//! them right); each must be answered 400 with a message naming the operation, the
//! parameter or part and the rule, and must fail `check()`.

use postpress_sdk::mock::{MockServer, Stub};
use postpress_sdk::types::{AccountList, AddPostReactionRequest, AddPostReactionRequestRequired};
use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};

fn text(value: &str) -> Part {
    Part::text(value.to_owned())
}

fn json_part(value: &str) -> Part {
    Part::text(value.to_owned())
        .mime_str("application/json")
        .expect("a valid mime type")
}

/// Sends `form` to `POST /chats` and returns the status and the error message.
async fn start_chat(mock: &MockServer, form: Form) -> (u16, String) {
    let answer = reqwest::Client::new()
        .post(format!("{}/chats", mock.base_url()))
        .multipart(form)
        .send()
        .await
        .expect("the mock answers");
    let status = answer.status().as_u16();
    let body: Value = answer.json().await.unwrap_or_default();
    let message = body["error"]["message"].as_str().unwrap_or_default();
    (status, message.to_owned())
}

/// `check()` fails naming the refused request with `needle`; then the mock is reset so that
/// dropping it passes.
fn assert_check_fails_with(mock: &MockServer, needle: &str) {
    let report = mock.check().unwrap_err().to_string();
    assert!(report.contains("was refused"), "{report}");
    assert!(report.contains(needle), "{report}");
    assert_eq!(mock.refused().len(), 1);
    mock.reset();
}

#[tokio::test]
async fn a_text_part_sent_as_quoted_json_is_refused() {
    let mock = MockServer::start().await.unwrap();
    mock.chats()
        .start()
        .optional()
        .reply(postpress_sdk::mock::Reply::status(201));
    let form = Form::new()
        .part("account_id", json_part(r#""acc_1""#))
        .part("attendees_ids[]", text("ACoAAB5678"));
    let (status, message) = start_chat(&mock, form).await;
    assert_eq!(status, 400, "{message}");
    let expected = "operation `ChatsController_startChat` (POST /chats): multipart part \
                    `account_id`: sent as application/json, but its schema (string) is sent as \
                    text/plain";
    assert_eq!(message, expected);
    let refused = mock.refused();
    assert_eq!(refused[0].refusal(), Some(expected));
    assert_check_fails_with(
        &mock,
        "multipart part `account_id`: sent as application/json",
    );
}

#[tokio::test]
async fn a_missing_required_part_is_refused() {
    let mock = MockServer::start().await.unwrap();
    let form = Form::new().part("account_id", text("acc_1"));
    let (status, message) = start_chat(&mock, form).await;
    assert_eq!(status, 400, "{message}");
    assert!(
        message.contains("multipart part `attendees_ids[]` is required but was not sent"),
        "{message}"
    );
    assert_check_fails_with(&mock, "`attendees_ids[]` is required");
}

#[tokio::test]
async fn an_unknown_part_and_a_bad_deep_object_value_are_refused() {
    let mock = MockServer::start().await.unwrap();
    let form = Form::new()
        .part("account_id", text("acc_1"))
        .part("attendees_ids[]", text("ACoAAB5678"))
        .part("linkedin[api]", text("classic"))
        .part("linkedin[inmail]", text("maybe"))
        .part("acount_id", text("typo"));
    let (status, message) = start_chat(&mock, form).await;
    assert_eq!(status, 400, "{message}");
    assert!(
        message.contains("multipart part `acount_id` is not a property of the body's schema"),
        "{message}"
    );
    assert!(
        message.contains("multipart part `linkedin[inmail]`: `maybe` is not a boolean"),
        "{message}"
    );
    assert_check_fails_with(&mock, "`acount_id`");
}

#[tokio::test]
async fn a_valid_multipart_request_reaches_its_stub() {
    let mock = MockServer::start().await.unwrap();
    let start = mock.chats().start().reply(postpress_sdk::mock::Reply::json(
        201,
        &json!({"object": "ChatStarted"}),
    ));
    let form = Form::new()
        .part("account_id", text("acc_1"))
        .part("attendees_ids[]", text("ACoAAB5678"))
        .part("attendees_ids[]", text("ACoAAB9999"))
        .part("text", text("hello"))
        .part("linkedin[api]", text("classic"))
        .part("linkedin[inmail]", text("true"))
        .part(
            "attachments",
            Part::bytes(vec![1u8, 2, 3])
                .file_name("a.png")
                .mime_str("image/png")
                .unwrap(),
        );
    let (status, message) = start_chat(&mock, form).await;
    assert_eq!(status, 201, "{message}");
    assert_eq!(start.calls().len(), 1);
    mock.check().unwrap();
}

#[tokio::test]
async fn a_wrong_enum_value_is_refused_in_a_json_body_and_in_the_query() {
    let mock = MockServer::start().await.unwrap();
    let http = reqwest::Client::new();
    let answer = http
        .post(format!("{}/posts/reaction", mock.base_url()))
        .json(
            &json!({"account_id": "acc_1", "post_id": "urn:li:activity:1", "reaction_type": "meh"}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 400);
    let body: Value = answer.json().await.unwrap();
    let message = body["error"]["message"].as_str().unwrap();
    assert!(
        message.starts_with("operation `PostsController_addPostReaction` (POST /posts/reaction): the JSON body at `/reaction_type`: \"meh\" is not one of"),
        "{message}"
    );
    assert_eq!(body["error"]["code"], "mock_invalid_request");

    let answer = http
        .get(format!("{}/chats?account_type=FAX", mock.base_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 400);
    let body: Value = answer.json().await.unwrap();
    let message = body["error"]["message"].as_str().unwrap();
    assert!(
        message.contains("query parameter `account_type`: \"FAX\" is not one of"),
        "{message}"
    );
    let report = mock.check().unwrap_err().to_string();
    assert!(report.contains("\"meh\" is not one of"), "{report}");
    assert!(report.contains("\"FAX\" is not one of"), "{report}");
    assert_eq!(mock.refused().len(), 2);
    mock.reset();
}

#[tokio::test]
async fn an_out_of_range_or_mistyped_query_parameter_is_refused() {
    let mock = MockServer::start().await.unwrap();
    mock.accounts()
        .list()
        .optional()
        .returns(AccountList::new(vec![]));
    let http = reqwest::Client::new();
    for (query, needle) in [
        (
            "limit=1000",
            "operation `AccountsController_listAccounts` (GET /accounts): query parameter `limit`: 1000 is greater than the maximum of 250",
        ),
        (
            "limit=0",
            "query parameter `limit`: 0 is less than the minimum of 1",
        ),
        (
            "limit=ten",
            "query parameter `limit`: `ten` is not an integer",
        ),
        (
            "cursor=",
            "query parameter `cursor`: \"\" is shorter than 1 character",
        ),
    ] {
        let answer = http
            .get(format!("{}/accounts?{query}", mock.base_url()))
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), 400, "{query}");
        let body: Value = answer.json().await.unwrap();
        let message = body["error"]["message"].as_str().unwrap();
        assert!(message.contains(needle), "{query}: {message}");
        let report = mock.check().unwrap_err().to_string();
        assert!(report.contains(needle), "{report}");
        mock.reset();
        mock.accounts()
            .list()
            .optional()
            .returns(AccountList::new(vec![]));
    }
    // An undocumented query parameter is fine.
    let answer = http
        .get(format!("{}/accounts?limit=250&trace=1", mock.base_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 200);
    mock.check().unwrap();
}

#[tokio::test]
async fn malformed_bodies_are_refused_not_panicked_on() {
    let mock = MockServer::start().await.unwrap();
    let http = reqwest::Client::new();
    let cases = [
        (
            "/posts/reaction",
            "application/json",
            &b"{not json"[..],
            "the JSON body does not parse",
        ),
        (
            "/chats",
            "multipart/form-data; boundary=x",
            &b"--x\r\nbroken"[..],
            "the multipart body does not parse",
        ),
        (
            "/chats",
            "multipart/form-data",
            &b"no boundary"[..],
            "the multipart body does not parse",
        ),
        (
            "/posts/reaction",
            "text/csv",
            &b"a,b"[..],
            "the body is sent as `text/csv`, but the operation accepts",
        ),
    ];
    for (path, content_type, body, needle) in cases {
        let answer = http
            .post(format!("{}{path}", mock.base_url()))
            .header("content-type", content_type)
            .body(body.to_vec())
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), 400, "{content_type}");
        let text = answer.text().await.unwrap();
        assert!(text.contains(needle), "{text}");
    }
    assert_eq!(mock.refused().len(), cases.len());
    mock.reset();
}

#[tokio::test]
async fn validation_can_be_turned_off() {
    let mock = MockServer::start().await.unwrap();
    assert!(mock.validates_requests());
    mock.validate_requests(false);
    let list = mock.accounts().list().returns(AccountList::new(vec![]));
    let answer = reqwest::Client::new()
        .get(format!("{}/accounts?limit=1000", mock.base_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 200);
    assert_eq!(list.calls()[0].query("limit"), Some("1000"));
    mock.check().unwrap();
}

#[tokio::test]
async fn the_sdk_passes_validation_with_a_json_body() {
    let mock = MockServer::start().await.unwrap();
    let reaction = mock
        .posts()
        .add_reaction()
        .returns(postpress_sdk::types::ReactionAdded::new());
    let request = AddPostReactionRequest::new(AddPostReactionRequestRequired {
        account_id: "acc_1".into(),
        post_id: "urn:li:activity:1".into(),
    })
    .comment_id("7");
    mock.client()
        .unwrap()
        .posts()
        .add_reaction(request)
        .send()
        .await
        .unwrap();
    assert_eq!(reaction.calls().len(), 1);
    mock.verify();
}

#[tokio::test]
async fn operations_answer_from_their_documented_examples() {
    let mock = MockServer::start().await.unwrap();
    let get = mock
        .stub_operation("AccountsController_getAccount")
        .expect("a documented operation")
        .returns_example();
    assert!(mock.stub_operation("noSuchOperation").is_none());
    let client = mock.client().unwrap();
    let account = client.accounts().get("acc_1").send().await.unwrap();
    assert!(account.id().is_some());
    assert_eq!(get.calls()[0].path_param("id"), Some("acc_1"));

    // Every other operation falls back to its example.
    mock.answer_all_from_examples();
    let accounts = client.accounts().list().limit(5).send().await.unwrap();
    assert!(!accounts.items.is_empty());
    mock.verify();
}
