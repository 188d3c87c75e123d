//! A scripted HTTP server on 127.0.0.1 for the runtime tests: it answers with a list of
//! canned responses in order (then 500s) and records every request it saw.
#![allow(dead_code)]

use axum::body::Bytes;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use postpress_sdk::Client;
use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

#[derive(Clone, Debug)]
pub struct Seen {
    pub method: Method,
    pub uri: Uri,
    pub headers: HeaderMap,
    pub body: Bytes,
}

/// One scripted answer: status, headers, body. A `delay-ms` header is not sent: the server
/// waits that long before answering.
pub type Answer = (u16, Vec<(&'static str, String)>, String);
type Script = Arc<Mutex<VecDeque<Answer>>>;

pub struct Server {
    pub url: String,
    pub seen: Arc<Mutex<Vec<Seen>>>,
}

impl Server {
    /// Every request seen so far.
    pub fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }
}

/// Starts a server that answers with `script` in order (then 500s) and records every request.
pub async fn serve(script: Vec<Answer>) -> Server {
    let script: Script = Arc::new(Mutex::new(script.into()));
    let seen = Arc::new(Mutex::new(Vec::new()));
    let (s2, seen2) = (script.clone(), seen.clone());
    let app = axum::Router::new().fallback(
        move |method: Method, uri: Uri, headers: HeaderMap, body: Bytes| {
            let (script, seen) = (s2.clone(), seen2.clone());
            async move {
                seen.lock().unwrap().push(Seen {
                    method,
                    uri,
                    headers,
                    body,
                });
                let (status, hdrs, body) =
                    script
                        .lock()
                        .unwrap()
                        .pop_front()
                        .unwrap_or((500, vec![], "{}".into()));
                if let Some((_, ms)) = hdrs.iter().find(|(k, _)| *k == "delay-ms") {
                    let ms: u64 = ms.parse().unwrap();
                    tokio::time::sleep(std::time::Duration::from_millis(ms)).await;
                }
                let mut resp = axum::response::Response::new(axum::body::Body::from(body));
                *resp.status_mut() = StatusCode::from_u16(status).unwrap();
                resp.headers_mut()
                    .insert("content-type", "application/json".parse().unwrap());
                for (k, v) in hdrs.into_iter().filter(|(k, _)| *k != "delay-ms") {
                    resp.headers_mut().insert(k, v.parse().unwrap());
                }
                resp
            }
        },
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/v1/", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    Server { url, seen }
}

pub const KEY: &str = "pp_test_secret123";

pub fn client(url: &str) -> Client {
    Client::builder()
        .api_key(KEY)
        .base_url(url)
        .retry_policy(postpress_sdk::RetryPolicy {
            initial_delay: std::time::Duration::from_millis(5),
            max_delay: std::time::Duration::from_millis(20),
            ..Default::default()
        })
        .build()
        .unwrap()
}

pub fn ok(body: &str) -> Answer {
    (200, vec![], body.to_owned())
}

/// An account as the API sends it.
pub const ACCOUNT: &str = r#"{"object":"Account","type":"TELEGRAM","id":"acc_1","name":"n","created_at":"2025-01-01T00:00:00.000Z","current_signature":null,"signatures":[],"groups":[],"sources":[{"id":"acc_1_MESSAGING","status":"OK"}],"connection_params":{"im":{"id":"1","username":"u"}}}"#;

/// A retryable error answer with the envelope body.
pub fn fail(status: u16) -> Answer {
    (
        status,
        vec![],
        r#"{"error":{"code":"upstream_error","message":"try again","request_id":"r"}}"#.into(),
    )
}
