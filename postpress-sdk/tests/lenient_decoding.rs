//! Answers that depart from the document, from a real HTTP server on 127.0.0.1: lenient
//! decoding keeps the good items of a page and yields the bad one as an error in its place,
//! records every repair, and strict decoding fails exactly where lenient decoding records.

mod common;

use common::{KEY, ok, serve};
use futures_util::StreamExt;
use postpress_sdk::{Client, Decoding, Error, Repair};
use serde_json::{Value, json};

fn account(i: usize) -> Value {
    let mut account: Value = serde_json::from_str(common::ACCOUNT).unwrap();
    account["id"] = json!(format!("acc_{i}"));
    account
}

/// A page of 250 accounts: item 137 has a `created_at` that is no date at all, item 12 one
/// without an offset (read as UTC, and recorded).
fn page(cursor: Option<&str>) -> (Value, Value) {
    let mut items: Vec<Value> = (0..250).map(account).collect();
    items[137]["created_at"] = json!("last tuesday");
    items[12]["created_at"] = json!("2025-01-01 09:30:00");
    let bad = items[137].clone();
    (
        json!({"object": "AccountList", "items": items, "cursor": cursor}),
        bad,
    )
}

fn client(url: &str, decoding: Decoding) -> Client {
    Client::builder()
        .api_key(KEY)
        .base_url(url)
        .decoding(decoding)
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_page_with_one_bad_item_yields_the_others_and_one_error_in_its_place() {
    let (first, bad) = page(Some("c1"));
    let second = json!({"object": "AccountList", "items": [account(250)], "cursor": null});
    let server = serve(vec![ok(&first.to_string()), ok(&second.to_string())]).await;
    let c = client(&server.url, Decoding::Lenient);
    let mut results = Vec::new();
    let mut items = c.accounts().list().items();
    while let Some(item) = items.next().await {
        results.push(item);
    }
    assert_eq!(
        results.len(),
        251,
        "250 of the first page, one of the second"
    );
    let errors: Vec<(usize, &Error)> = results
        .iter()
        .enumerate()
        .filter_map(|(i, r)| r.as_ref().err().map(|e| (i, e)))
        .collect();
    assert_eq!(errors.len(), 1);
    let (position, error) = errors[0];
    assert_eq!(position, 137, "the error stands where the item stood");
    let left_out = error.left_out_item().expect("an item error");
    assert_eq!(left_out.pointer, "/items/137");
    assert_eq!(left_out.repair, Repair::LeftOut);
    assert_eq!(left_out.received, bad, "the raw item, as sent");
    assert_eq!(left_out.failed_at, "/items/137/created_at");
    assert!(error.to_string().contains("/items/137"), "{error}");
    let ids: Vec<String> = results
        .iter()
        .filter_map(|r| r.as_ref().ok())
        .map(|a| a.id().cloned().unwrap_or_default())
        .collect();
    assert_eq!(ids.len(), 250);
    assert_eq!(ids[136], "acc_136");
    assert_eq!(ids[137], "acc_138");
    assert_eq!(ids[249], "acc_250", "the stream went on to the next page");
    assert_eq!(server.seen().len(), 2);
}

#[tokio::test]
async fn pages_yield_the_page_then_its_left_out_items() {
    let (first, _) = page(None);
    let server = serve(vec![ok(&first.to_string())]).await;
    let c = client(&server.url, Decoding::Lenient);
    let mut pages = c.accounts().list().pages();
    let page = pages.next().await.unwrap().unwrap();
    assert_eq!(page.items.len(), 249);
    let error = pages.next().await.unwrap().unwrap_err();
    assert_eq!(error.left_out_item().unwrap().pointer, "/items/137");
    assert!(pages.next().await.is_none());
}

#[tokio::test]
async fn a_response_lists_what_was_repaired_and_left_out() {
    let (first, _) = page(None);
    let server = serve(vec![ok(&first.to_string())]).await;
    let c = client(&server.url, Decoding::Lenient);
    let response = c.accounts().list().send_with_response().await.unwrap();
    let departures: Vec<(&str, Repair)> = response
        .departures()
        .iter()
        .map(|d| (d.pointer.as_str(), d.repair))
        .collect();
    assert_eq!(
        departures,
        [
            ("/items/12/created_at", Repair::DateTimeAssumedUtc),
            ("/items/137", Repair::LeftOut)
        ]
    );
    let repaired = &response.body().items[12];
    assert_eq!(
        repaired.created_at().unwrap().to_string(),
        "2025-01-01T09:30:00Z"
    );
}

#[tokio::test]
async fn strict_decoding_fails_the_page_where_lenient_decoding_records() {
    let (first, _) = page(None);
    let server = serve(vec![ok(&first.to_string()), ok(&first.to_string())]).await;
    let strict = client(&server.url, Decoding::Strict);
    let mut items = strict.accounts().list().items();
    let error = items.next().await.unwrap().unwrap_err();
    let Error::Decode { path, body, .. } = &error else {
        panic!("strict decoding: {error}");
    };
    // The first departure in the page: item 12's date-time without an offset.
    assert_eq!(path, "items[12].created_at");
    assert_eq!(body.as_ref(), first.to_string().as_bytes());
    assert!(
        items.next().await.is_none(),
        "a failed page ends the stream"
    );
    let lenient = client(&server.url, Decoding::Lenient);
    let response = lenient
        .accounts()
        .list()
        .send_with_response()
        .await
        .unwrap();
    assert_eq!(
        response.departures()[0].failed_at,
        "/items/12/created_at",
        "lenient decoding records the first departure where strict decoding failed"
    );
}
