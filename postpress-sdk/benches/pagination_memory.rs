//! Streams 100,000 items over 400 pages from a loopback server through `.items()` and reports
//! the resident set after the first page and at its peak: pagination holds one page at a time,
//! so the peak stays near the first reading. Prints one `pagination-memory:` line (read by
//! `cargo xtask bench`). Linux only (reads `/proc/self/status`).

use futures_util::StreamExt;
use postpress_sdk::Client;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

const PAGES: usize = 400;
const PER_PAGE: usize = 250;

fn status_kib(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}

/// A page of the document's own example webhook, ids varied.
fn page(example: &serde_json::Value, index: usize) -> Vec<u8> {
    let items: Vec<serde_json::Value> = (0..PER_PAGE)
        .map(|i| {
            let mut item = example.clone();
            item["id"] = serde_json::json!(format!("wh_{index}_{i}"));
            item
        })
        .collect();
    let cursor = if index + 1 < PAGES {
        serde_json::json!(format!("p{}", index + 1))
    } else {
        serde_json::Value::Null
    };
    serde_json::to_vec(
        &serde_json::json!({"object": "WebhookList", "items": items, "cursor": cursor}),
    )
    .expect("json")
}

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let spec: serde_json::Value =
        serde_json::from_str(include_str!("../../specs/postpress.json")).expect("spec");
    let example =
        Arc::new(spec["components"]["schemas"]["WebhookList"]["example"]["items"][0].clone());
    rt.block_on(async {
        let served = Arc::new(AtomicUsize::new(0));
        let counter = served.clone();
        let app = axum::Router::new().fallback(move |uri: axum::http::Uri| {
            let counter = counter.clone();
            let example = example.clone();
            async move {
                counter.fetch_add(1, Ordering::SeqCst);
                let index = uri
                    .query()
                    .and_then(|q| q.split('&').find_map(|kv| kv.strip_prefix("cursor=p")))
                    .and_then(|n| n.parse().ok())
                    .unwrap_or(0);
                ([("content-type", "application/json")], page(&example, index))
            }
        });
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let url = format!("http://{}/v1", listener.local_addr().expect("addr"));
        tokio::spawn(async move { axum::serve(listener, app).await.expect("serve") });

        let client = Client::builder().api_key("pp_test_bench").base_url(&url).build().expect("client");
        let mut items = client.webhooks().list().limit(PER_PAGE as i64).items();
        let mut count = 0usize;
        let mut after_first = 0;
        let mut peak = 0;
        while let Some(item) = items.next().await {
            item.expect("item decodes");
            count += 1;
            if count == PER_PAGE {
                after_first = status_kib("VmRSS:");
            }
            if count.is_multiple_of(PER_PAGE) {
                peak = peak.max(status_kib("VmRSS:"));
            }
        }
        println!(
            "pagination-memory: items={count} pages={} rss_after_first_page_kib={after_first} peak_rss_kib={peak} ratio={:.2}",
            served.load(Ordering::SeqCst),
            peak as f64 / after_first.max(1) as f64
        );
    });
}
