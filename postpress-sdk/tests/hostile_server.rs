//! A server that misbehaves on purpose: endless bodies, slow drips, redirects to another host.
//! And callers' values that try to break out of where they belong.

mod common;

use axum::body::Body;
use axum::http::{HeaderMap, StatusCode, Uri};
use common::{KEY, ok, serve};
use futures_util::stream;
use postpress_sdk::{Client, Error};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Starts a server whose every answer comes from `make`; returns its base URL.
async fn serve_with<F>(make: F) -> String
where
    F: Fn(Uri, HeaderMap) -> axum::response::Response + Clone + Send + Sync + 'static,
{
    let app = axum::Router::new().fallback(move |uri: Uri, headers: HeaderMap| {
        let make = make.clone();
        async move { make(uri, headers) }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/v1", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    url
}

fn client(url: &str) -> postpress_sdk::ClientBuilder {
    Client::builder().api_key(KEY).base_url(url).max_retries(0)
}

#[tokio::test]
async fn an_endless_body_is_cut_at_the_limit_not_buffered() {
    // 1 GiB in 1 MiB chunks, made lazily: the client must stop long before the end.
    let url = serve_with(|_, _| {
        let chunks = stream::iter((0..1024).map(|_| Ok::<_, std::io::Error>(vec![b'x'; 1 << 20])));
        axum::response::Response::builder()
            .header("content-type", "application/json")
            .body(Body::from_stream(chunks))
            .unwrap()
    })
    .await;
    let c = client(&url).max_response_bytes(4 << 20).build().unwrap();
    let err = c.accounts().get("a").send().await.unwrap_err();
    assert!(
        matches!(err, Error::BodyTooLarge { limit } if limit == 4 << 20),
        "{err:?}"
    );

    // A declared length over the limit is refused before reading.
    let url = serve_with(|_, _| {
        axum::response::Response::builder()
            .header("content-type", "application/json")
            .body(Body::from(vec![b' '; 8 << 20]))
            .unwrap()
    })
    .await;
    let c = client(&url).max_response_bytes(1 << 20).build().unwrap();
    assert!(matches!(
        c.accounts().get("a").send().await,
        Err(Error::BodyTooLarge { .. })
    ));
}

#[tokio::test]
async fn a_slow_loris_body_hits_the_timeout() {
    // Headers at once, then one byte every 200 ms, forever.
    let url = serve_with(|_, _| {
        let drip = stream::unfold((), |()| async {
            tokio::time::sleep(Duration::from_millis(200)).await;
            Some((Ok::<_, std::io::Error>(vec![b' ']), ()))
        });
        axum::response::Response::builder()
            .header("content-type", "application/json")
            .body(Body::from_stream(drip))
            .unwrap()
    })
    .await;
    let c = client(&url)
        .timeout(Duration::from_millis(700))
        .build()
        .unwrap();
    let err = c.accounts().get("a").send().await.unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
}

#[tokio::test]
async fn redirects_to_another_host_never_carry_the_key() {
    let seen: Arc<Mutex<Vec<HeaderMap>>> = Arc::default();
    let record = seen.clone();
    let elsewhere = serve_with(move |_, headers| {
        record.lock().unwrap().push(headers);
        axum::response::Response::new(Body::from("{}"))
    })
    .await;
    // `localhost` instead of `127.0.0.1`: another host as far as the client can tell.
    let target = elsewhere.replace("127.0.0.1", "localhost");
    let url = serve_with(move |_, _| {
        axum::response::Response::builder()
            .status(StatusCode::TEMPORARY_REDIRECT)
            .header("location", format!("{target}/steal"))
            .body(Body::empty())
            .unwrap()
    })
    .await;
    let err = client(&url)
        .build()
        .unwrap()
        .accounts()
        .get("a")
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        err.status(),
        Some(StatusCode::TEMPORARY_REDIRECT),
        "{err:?}"
    );
    let leaked = seen
        .lock()
        .unwrap()
        .iter()
        .any(|h| h.get("authorization").is_some() || h.get("x-api-key").is_some());
    assert!(!leaked, "the key followed a redirect");
}

#[tokio::test]
async fn header_values_with_line_breaks_are_refused_before_sending() {
    let server = serve(vec![ok("{}")]).await;
    let body = postpress_sdk::types::AddPostReactionRequest::new(
        postpress_sdk::types::AddPostReactionRequestRequired {
            account_id: "acc".into(),
            post_id: "p".into(),
        },
    );
    let err = client(&server.url)
        .build()
        .unwrap()
        .posts()
        .add_reaction(body)
        .idempotency_key("k\r\nX-Injected: 1")
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidRequest { .. }), "{err:?}");
    assert!(server.seen().is_empty(), "nothing was sent");
}

#[tokio::test]
async fn path_parameters_stay_inside_their_segment() {
    let server = serve(vec![ok("{}"), ok("{}"), ok("{}")]).await;
    let c = client(&server.url).build().unwrap();
    for id in ["../../admin", "..%2F..%2Fadmin", "a?b=c#d"] {
        let _ = c.accounts().get(id).send().await;
    }
    let paths: Vec<String> = server
        .seen()
        .iter()
        .map(|s| s.uri.path().to_owned())
        .collect();
    assert_eq!(
        paths,
        [
            "/v1/accounts/..%2F..%2Fadmin",
            "/v1/accounts/..%252F..%252Fadmin",
            "/v1/accounts/a%3Fb%3Dc%23d"
        ]
    );
    assert!(server.seen().iter().all(|s| s.uri.query().is_none()));
}

#[tokio::test]
async fn bad_attachments_are_refused_by_name_before_anything_is_sent() {
    let server = serve(vec![ok("{}"), ok("{}"), ok("{}")]).await;
    let c = client(&server.url).build().unwrap();
    let bad_parts = [
        postpress_sdk::Part::bytes(&b"PNG"[..])
            .file_name("a.png")
            .mime("not a mime type"),
        postpress_sdk::Part::bytes(&b"PNG"[..])
            .file_name("a\r\nContent-Type: text/html.png")
            .mime("image/png"),
        postpress_sdk::Part::bytes(&b"PNG"[..]).file_name(""),
    ];
    for part in bad_parts {
        let body = postpress_sdk::types::CreatePostRequest::new(
            postpress_sdk::types::CreatePostRequestRequired {
                account_id: "acc_1".into(),
                text: "hello".into(),
            },
        )
        .attachments(part);
        let err = c.posts().create(body).send().await.unwrap_err();
        match &err {
            Error::InvalidRequest { param, message } => {
                assert_eq!(param, "attachments", "{err}");
                assert!(!message.is_empty());
            }
            other => panic!("{other:?}"),
        }
    }
    assert!(server.seen().is_empty(), "nothing was sent");
}
