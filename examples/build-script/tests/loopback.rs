//! The generated client against a server on 127.0.0.1: one GET and one POST, each checked on
//! both sides (what the server received, what the client decoded).

use axum::extract::{Json, Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::get;
use notes_client::Client;
use notes_client::types::NewNote;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

/// One request as the server saw it.
#[derive(Debug, Clone, PartialEq)]
struct Received {
    method: &'static str,
    path: String,
    query: BTreeMap<String, String>,
    authorization: Option<String>,
    body: Option<Value>,
}

type Log = Arc<Mutex<Vec<Received>>>;

fn authorization(headers: &HeaderMap) -> Option<String> {
    headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

async fn list(
    State(log): State<Log>,
    Query(query): Query<BTreeMap<String, String>>,
    headers: HeaderMap,
) -> Json<Value> {
    log.lock().unwrap().push(Received {
        method: "GET",
        path: "/v1/notes".into(),
        query,
        authorization: authorization(&headers),
        body: None,
    });
    Json(json!([
        {"id": "n_1", "text": "Buy milk", "tags": ["home"], "created_at": "2026-01-02T03:04:05Z"}
    ]))
}

async fn create(
    State(log): State<Log>,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> (StatusCode, Json<Value>) {
    log.lock().unwrap().push(Received {
        method: "POST",
        path: "/v1/notes".into(),
        query: BTreeMap::new(),
        authorization: authorization(&headers),
        body: Some(body.clone()),
    });
    let mut note = body;
    note["id"] = json!("n_2");
    note["created_at"] = json!("2026-01-02T03:04:06Z");
    (StatusCode::CREATED, Json(note))
}

async fn get_note(Path(id): Path<String>) -> (StatusCode, Json<Value>) {
    (
        StatusCode::NOT_FOUND,
        Json(json!({"error": {"code": "not_found", "message": format!("no note {id}")}})),
    )
}

/// Serves the API on an ephemeral loopback port; returns its base URL and the request log.
async fn serve() -> (String, Log) {
    let log = Log::default();
    let app = axum::Router::new()
        .route("/v1/notes", get(list).post(create))
        .route("/v1/notes/{note_id}", get(get_note))
        .with_state(log.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (format!("http://{addr}/v1"), log)
}

#[tokio::test]
async fn get_and_post_reach_the_server_as_the_document_says() {
    let (base, log) = serve().await;
    let client = Client::new(Some(&base), Some("test-key")).unwrap();

    let notes = client
        .notes()
        .list()
        .tag("home")
        .limit(10)
        .send()
        .await
        .unwrap();
    assert_eq!(notes.len(), 1);
    assert_eq!(notes[0].id, "n_1");
    assert_eq!(notes[0].tags.as_deref(), Some(&["home".to_owned()][..]));

    let created = client
        .notes()
        .create(NewNote::new("Call Ada").tags(vec!["work".into()]))
        .send()
        .await
        .unwrap();
    assert_eq!(created.id, "n_2");
    assert_eq!(created.text, "Call Ada");

    let received = log.lock().unwrap().clone();
    assert_eq!(
        received,
        [
            Received {
                method: "GET",
                path: "/v1/notes".into(),
                query: [("tag", "home"), ("limit", "10")]
                    .into_iter()
                    .map(|(k, v)| (k.to_owned(), v.to_owned()))
                    .collect(),
                authorization: Some("Bearer test-key".into()),
                body: None,
            },
            Received {
                method: "POST",
                path: "/v1/notes".into(),
                query: BTreeMap::new(),
                authorization: Some("Bearer test-key".into()),
                body: Some(json!({"text": "Call Ada", "tags": ["work"]})),
            },
        ]
    );
}

#[tokio::test]
async fn an_error_status_is_an_error() {
    let (base, _log) = serve().await;
    let client = Client::new(Some(&base), Some("test-key")).unwrap();
    let err = client.notes().get("n_9").send().await.unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
}
