//! What the SDK costs on top of a bare `reqwest::Client` decoding into the same types, against a
//! loopback server that answers every request with one fixed `AccountList` page; and what
//! decoding a 250-item page costs compared with decoding it into `serde_json::Value`; and what
//! streaming 2,000 items through `.items()` (8 pages of 250) costs, the figure a change to the
//! stream type is compared on, tree against tree (`BENCHMARKS.md`).
//!
//! `cargo bench -p postpress-sdk --bench overhead` (the numbers land in `BENCHMARKS.md` via
//! `cargo xtask bench`).

use criterion::{Criterion, criterion_group, criterion_main};
use postpress_sdk::{Client, Decoding, types};
use std::hint::black_box;

/// A realistic account list of `n` items, from the document's own `Account` example.
pub fn account_page(n: usize) -> Vec<u8> {
    let account = serde_json::json!({
        "object": "Account", "type": "MESSAGING", "id": "acc_01HXYZ4QK3WJ8FN3M6QH7TZ8GR",
        "name": "Jane Doe", "created_at": "2025-02-11T08:00:00.000Z",
        "connection_params": {"im": {"id": "ACoAAA", "username": "Jane Doe", "premiumId": null,
            "premiumFeatures": ["recruiter"], "premiumContractId": null, "organizations": []}},
        "groups": ["grp_01HXYZ"], "sources": [{"id": "src_1", "status": "OK"}]
    });
    let page = serde_json::json!({
        "object": "AccountList",
        "items": vec![account; n],
        "cursor": "eyJvZmZzZXQiOjI1MH0"
    });
    serde_json::to_vec(&page).expect("serializes")
}

fn serve(rt: &tokio::runtime::Runtime, body: Vec<u8>) -> String {
    rt.block_on(async move {
        let body = axum::body::Bytes::from(body);
        let app = axum::Router::new().fallback(move || {
            let body = body.clone();
            async move { ([("content-type", "application/json")], body) }
        });
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let url = format!("http://{}/v1", listener.local_addr().expect("addr"));
        tokio::spawn(async move { axum::serve(listener, app).await.expect("serve") });
        url
    })
}

fn requests(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let url = serve(&rt, account_page(20));
    let sdk = Client::builder()
        .api_key("pp_test_bench")
        .base_url(&url)
        .build()
        .expect("client");
    let http = reqwest::Client::new();
    let list_url = format!("{url}/accounts?limit=20");
    // The SDK arms a per-attempt timer on every request (60 s by default); the second
    // baseline pays for the same timer, to show what the rest of the SDK costs.
    let minute = std::time::Duration::from_secs(60);
    let bare = |http: reqwest::Client, list_url: String, timeout: Option<std::time::Duration>| async move {
        let mut req = http.get(&list_url).bearer_auth("pp_test_bench");
        if let Some(t) = timeout {
            req = req.timeout(t);
        }
        let resp = req.send().await.expect("send");
        let bytes = resp.bytes().await.expect("body");
        serde_json::from_slice::<types::AccountList>(&bytes).expect("decodes")
    };

    let mut g = c.benchmark_group("request");
    g.bench_function("sdk", |b| {
        b.to_async(&rt)
            .iter(|| async { black_box(sdk.accounts().list().limit(20).send().await.expect("ok")) })
    });
    for (name, timeout) in [("reqwest", None), ("reqwest_with_timeout", Some(minute))] {
        g.bench_function(name, |b| {
            b.to_async(&rt)
                .iter(|| async { black_box(bare(http.clone(), list_url.clone(), timeout).await) })
        });
    }
    g.finish();

    let mut g = c.benchmark_group("request_concurrency_32");
    g.bench_function("sdk", |b| {
        b.to_async(&rt).iter(|| async {
            let calls = (0..32).map(|_| sdk.accounts().list().limit(20).send());
            black_box(futures_util::future::join_all(calls).await)
        })
    });
    for (name, timeout) in [("reqwest", None), ("reqwest_with_timeout", Some(minute))] {
        g.bench_function(name, |b| {
            b.to_async(&rt).iter(|| async {
                let calls = (0..32).map(|_| bare(http.clone(), list_url.clone(), timeout));
                black_box(futures_util::future::join_all(calls).await)
            })
        });
    }
    g.finish();
}

fn decode(c: &mut Criterion) {
    let page = account_page(250);
    let mut g = c.benchmark_group("decode_account_list_250");
    g.bench_function("typed", |b| {
        b.iter(|| {
            black_box(
                serde_json::from_slice::<types::AccountList>(black_box(&page)).expect("decodes"),
            )
        })
    });
    g.bench_function("value", |b| {
        b.iter(|| {
            black_box(
                serde_json::from_slice::<serde_json::Value>(black_box(&page)).expect("decodes"),
            )
        })
    });
    // What clients do: lenient decoding, on accounts of a known type (`MESSAGING` above is
    // not one: it decodes as the unknown variant, which keeps the raw value). On a body that
    // matches, the same serde_json call as `typed`; on a departing one, the repair loop (one
    // full decode per attempt).
    let mut known: serde_json::Value = serde_json::from_slice(&page).expect("JSON");
    for item in known["items"].as_array_mut().expect("items") {
        item["type"] = "LINKEDIN".into();
    }
    let known_page = serde_json::to_vec(&known).expect("serializes");
    g.bench_function("typed_known_variant", |b| {
        b.iter(|| {
            black_box(
                serde_json::from_slice::<types::AccountList>(black_box(&known_page))
                    .expect("decodes"),
            )
        })
    });
    let lenient = |body: &[u8]| {
        let (page, departures) = postpress_sdk::engine::decode_body::<types::AccountList>(
            body.to_vec(),
            Decoding::Lenient,
        )
        .expect("decodes leniently");
        black_box((page, departures))
    };
    g.bench_function("lenient_matching", |b| {
        b.iter(|| lenient(black_box(&known_page)))
    });
    let mut one_bad = known.clone();
    one_bad["items"][137]["created_at"] = "last tuesday".into();
    let one_bad = serde_json::to_vec(&one_bad).expect("serializes");
    g.bench_function("lenient_one_item_left_out", |b| {
        b.iter(|| lenient(black_box(&one_bad)))
    });
    // Systematic drift: every item's date-time without an offset, 250 repairs.
    let mut drift = known;
    for item in drift["items"].as_array_mut().expect("items") {
        item["created_at"] = "2025-02-11 08:00:00".into();
    }
    let drift = serde_json::to_vec(&drift).expect("serializes");
    g.bench_function("lenient_every_item_repaired", |b| {
        b.iter(|| lenient(black_box(&drift)))
    });
    g.finish();
}

/// 2,000 items through `.items()`, 8 pages of 250 from a loopback server whose every page
/// names a new cursor. Pinned with `pin!`, which every version of the stream type accepts, so
/// the same bench runs on older trees for a ratio.
fn pagination(c: &mut Criterion) {
    use futures_util::StreamExt;
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let page: serde_json::Value = serde_json::from_slice(&account_page(250)).expect("JSON");
    let items = page["items"].to_string();
    let url = rt.block_on(async move {
        let items = std::sync::Arc::new(items);
        let app = axum::Router::new().fallback(move |uri: axum::http::Uri| {
            let items = items.clone();
            async move {
                // The next cursor is one more than the one asked for.
                let at: u64 = (uri.query().unwrap_or_default().split('&'))
                    .find_map(|kv| kv.strip_prefix("cursor=c"))
                    .and_then(|n| n.parse().ok())
                    .unwrap_or(0);
                let body = format!(
                    r#"{{"object":"AccountList","items":{items},"cursor":"c{}"}}"#,
                    at + 1
                );
                ([("content-type", "application/json")], body)
            }
        });
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let url = format!("http://{}/v1", listener.local_addr().expect("addr"));
        tokio::spawn(async move { axum::serve(listener, app).await.expect("serve") });
        url
    });
    let sdk = Client::builder()
        .api_key("pp_test_bench")
        .base_url(&url)
        .build()
        .expect("client");
    let mut g = c.benchmark_group("pagination");
    g.bench_function("items_2000", |b| {
        b.to_async(&rt).iter(|| async {
            let mut items = std::pin::pin!(sdk.accounts().list().limit(250).items());
            for _ in 0..2000 {
                black_box(items.next().await.expect("an item").expect("decodes"));
            }
        })
    });
    g.finish();
}

criterion_group!(benches, requests, decode, pagination);
criterion_main!(benches);
