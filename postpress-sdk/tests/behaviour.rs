//! The promises of the usage page, one test each, against a scripted server on 127.0.0.1:
//! retries and their timing rules, deadlines and timeouts, idempotency keys, the shared rate
//! limiter, lazy pagination, error decoding, a caller's own HTTP client, and logs that never
//! carry the key. Durations are only ever asserted as lower bounds (a slow machine can only
//! make them longer), never as upper bounds.

mod common;

use common::{ACCOUNT, Answer, KEY, client, fail, ok, serve};
use futures_util::StreamExt;
use postpress_sdk::engine::ApiClient as _;
use postpress_sdk::{Client, Error, RateLimit, RetryPolicy, types};
use std::time::{Duration, Instant};

fn with_header(mut a: Answer, name: &'static str, value: String) -> Answer {
    a.1.push((name, value));
    a
}

#[tokio::test]
async fn the_account_fixture_decodes() {
    let server = serve(vec![ok(ACCOUNT)]).await;
    client(&server.url)
        .accounts()
        .get("acc_1")
        .send()
        .await
        .unwrap();
}

#[tokio::test]
async fn retryable_statuses_are_retried_and_final_ones_are_not() {
    for status in [408, 429, 500, 502, 503, 504] {
        let server = serve(vec![fail(status), ok(ACCOUNT)]).await;
        client(&server.url)
            .accounts()
            .get("acc_1")
            .send()
            .await
            .unwrap();
        assert_eq!(server.seen().len(), 2, "{status} is retried");
    }
    for status in [400, 401, 403, 404, 409, 422] {
        let server = serve(vec![fail(status), ok(ACCOUNT)]).await;
        let err = client(&server.url)
            .accounts()
            .get("acc_1")
            .send()
            .await
            .unwrap_err();
        assert_eq!(err.status().map(|s| s.as_u16()), Some(status));
        assert_eq!(server.seen().len(), 1, "{status} is final");
    }
}

#[tokio::test]
async fn two_retries_by_default_configurable_per_client_and_request() {
    let script = || vec![fail(503), fail(503), fail(503), fail(503)];
    let server = serve(script()).await;
    let err = client(&server.url)
        .accounts()
        .get("a")
        .send()
        .await
        .unwrap_err();
    assert!(err.is_retryable());
    assert_eq!(server.seen().len(), 3, "one call and two retries");

    let server = serve(script()).await;
    let _ = client(&server.url)
        .accounts()
        .get("a")
        .max_retries(0)
        .send()
        .await;
    assert_eq!(server.seen().len(), 1, "per-request override");

    let server = serve(script()).await;
    let c = Client::builder()
        .api_key(KEY)
        .base_url(&server.url)
        .max_retries(1)
        .retry_policy(RetryPolicy {
            max_retries: 1,
            initial_delay: Duration::from_millis(1),
            ..Default::default()
        })
        .build()
        .unwrap();
    let _ = c.accounts().get("a").send().await;
    assert_eq!(server.seen().len(), 2, "per-client setting");
}

#[tokio::test]
async fn retry_after_seconds_milliseconds_and_dates_are_honoured() {
    type Case = (&'static str, fn() -> String, Duration);
    let cases: [Case; 3] = [
        ("retry-after", || "1".to_owned(), Duration::from_millis(950)),
        (
            "retry-after-ms",
            || "400".to_owned(),
            Duration::from_millis(380),
        ),
        (
            "retry-after",
            || httpdate::fmt_http_date(std::time::SystemTime::now() + Duration::from_secs(2)),
            // HTTP dates have one-second resolution.
            Duration::from_millis(900),
        ),
    ];
    for (name, value, at_least) in cases {
        let value = value();
        let server = serve(vec![
            with_header(fail(429), name, value.clone()),
            ok(ACCOUNT),
        ])
        .await;
        let started = Instant::now();
        client(&server.url)
            .accounts()
            .get("a")
            .send()
            .await
            .unwrap();
        assert!(
            started.elapsed() >= at_least,
            "{name}: {value} waited only {:?}",
            started.elapsed()
        );
        assert_eq!(server.seen().len(), 2);
    }
}

#[tokio::test]
async fn a_retry_after_beyond_the_cap_is_not_waited_for() {
    let server = serve(vec![
        with_header(fail(429), "retry-after", "3600".into()),
        ok(ACCOUNT),
    ])
    .await;
    let err = client(&server.url)
        .accounts()
        .get("a")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(429));
    assert_eq!(
        err.as_api().and_then(|a| a.error_code()),
        Some(postpress_sdk::ErrorCode::UpstreamError)
    );
    assert_eq!(server.seen().len(), 1);
}

#[tokio::test]
async fn a_deadline_bounds_all_attempts_together() {
    // Each answer is slow and a failure; the deadline ends the call before the retries would.
    let slow_fail = || with_header(fail(503), "delay-ms", "250".into());
    let server = serve(vec![slow_fail(), slow_fail(), slow_fail()]).await;
    let err = client(&server.url)
        .accounts()
        .get("a")
        .max_retries(10)
        .deadline(Duration::from_millis(400))
        .send()
        .await
        .unwrap_err();
    assert!(server.seen().len() <= 2, "deadline stopped the retries");
    // A timeout that says it was the deadline, with the last failure kept as its source.
    assert!(err.is_timeout(), "{err}");
    assert_eq!(
        err.transport_fault(),
        Some(postpress_sdk::engine::TransportFault::DeadlineExceeded)
    );
    assert!(err.to_string().contains("400 ms deadline"), "{err}");
    assert!(err.is_deadline());
    assert!(std::error::Error::source(&err).is_some(), "{err:?}");
}

#[tokio::test]
async fn a_deadline_passing_during_a_retry_keeps_the_answer_before_it() {
    // A quick 503, then an answer slower than the whole deadline: cut during attempt 2.
    let slow = with_header(ok(ACCOUNT), "delay-ms", "5000".into());
    let server = serve(vec![fail(503), slow]).await;
    let err = client(&server.url)
        .accounts()
        .get("a")
        .deadline(Duration::from_millis(1500))
        .send()
        .await
        .unwrap_err();
    assert!(err.is_timeout() && err.is_deadline(), "{err}");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503), "{err}");
    assert!(
        err.to_string()
            .contains("passed during attempt 2, after attempt 1 was answered 503"),
        "{err}"
    );
}

#[tokio::test]
async fn a_deadline_that_cuts_a_retry_after_wait_still_reads_as_the_429() {
    let limited = (
        429,
        vec![
            ("retry-after", "30".to_owned()),
            ("x-request-id", "req_429".to_owned()),
        ],
        r#"{"error":{"code":"rate_limited","message":"slow down"}}"#.to_owned(),
    );
    let server = serve(vec![limited, ok(ACCOUNT)]).await;
    let started = Instant::now();
    let err = client(&server.url)
        .accounts()
        .get("a")
        .deadline(Duration::from_secs(10))
        .send()
        .await
        .unwrap_err();
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "not waited for"
    );
    assert_eq!(server.seen().len(), 1);
    // Cut by the deadline, and says so ...
    assert!(err.is_timeout() && err.is_deadline(), "{err}");
    assert!(!err.is_retryable());
    assert_eq!(
        err.transport_fault(),
        Some(postpress_sdk::engine::TransportFault::DeadlineExceeded)
    );
    // ... yet it answers like the 429 it came from.
    assert!(err.is_rate_limited(), "{err}");
    assert_eq!(err.retry_after(), Some(Duration::from_secs(30)));
    assert_eq!(err.status().map(|s| s.as_u16()), Some(429));
    assert_eq!(err.code(), Some(postpress_sdk::ErrorCode::RateLimited));
    assert_eq!(err.request_id(), Some("req_429"));
    assert_eq!(
        err.as_api().and_then(|a| a.message.as_deref()),
        Some("slow down")
    );
    assert_eq!(
        err.to_string(),
        "timed out: the server answered 429 Too Many Requests and asked to wait 30 s \
         (Retry-After), which passes the call's 10 s deadline; attempt 2 was not made"
    );
    let Error::Timeout(t) = &err else {
        panic!("{err:?}")
    };
    assert!(matches!(t.last_failure(), Some(Error::Api(_))));
}

#[tokio::test]
async fn a_deadline_that_cuts_a_backoff_keeps_the_last_answer() {
    let server = serve(vec![fail(503), ok(ACCOUNT)]).await;
    let c = Client::builder()
        .api_key(KEY)
        .base_url(&server.url)
        .retry_policy(RetryPolicy {
            initial_delay: Duration::from_secs(5),
            max_delay: Duration::from_secs(5),
            ..Default::default()
        })
        .build()
        .unwrap();
    let err = c
        .accounts()
        .get("a")
        .deadline(Duration::from_millis(1500))
        .send()
        .await
        .unwrap_err();
    assert_eq!(server.seen().len(), 1);
    assert!(err.is_timeout() && err.is_deadline(), "{err}");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(err.code(), Some(postpress_sdk::ErrorCode::UpstreamError));
    assert_eq!(err.request_id(), Some("r"));
    assert!(!err.is_rate_limited());
    assert_eq!(err.retry_after(), None);
    let text = err.to_string();
    assert!(
        text.starts_with("timed out: the server answered 503 Service Unavailable, and the ")
            && text.ends_with(" backoff before attempt 2 passes the call's 1.5 s deadline"),
        "{text}"
    );
}

#[tokio::test]
async fn timeouts_are_their_own_retryable_kind() {
    let slow = with_header(ok(ACCOUNT), "delay-ms", "2000".into());
    let server = serve(vec![slow.clone()]).await;
    let err = client(&server.url)
        .accounts()
        .get("a")
        .timeout(Duration::from_millis(100))
        .max_retries(0)
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Timeout(_)), "{err:?}");
    assert!(err.is_timeout() && err.is_retryable());

    // A timed-out attempt is retried like any transient failure.
    let server = serve(vec![slow, ok(ACCOUNT)]).await;
    client(&server.url)
        .accounts()
        .get("a")
        .timeout(Duration::from_millis(200))
        .send()
        .await
        .unwrap();
    assert_eq!(server.seen().len(), 2);

    // A client-wide timeout applies to every request.
    let server = serve(vec![with_header(ok(ACCOUNT), "delay-ms", "2000".into())]).await;
    let c = Client::builder()
        .api_key(KEY)
        .base_url(&server.url)
        .timeout(Duration::from_millis(100))
        .max_retries(0)
        .build()
        .unwrap();
    assert!(c.accounts().get("a").send().await.unwrap_err().is_timeout());
}

#[tokio::test]
async fn connection_failures_are_retryable_connect_errors() {
    // A port that was just free: nothing listens there.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/v1", listener.local_addr().unwrap());
    drop(listener);
    let err = client(&url)
        .accounts()
        .get("a")
        .max_retries(0)
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Connect(_)), "{err:?}");
    assert!(err.is_retryable());
}

#[tokio::test]
async fn idempotency_keys_on_post_and_patch_only_and_overridable() {
    let reaction = || {
        types::AddPostReactionRequest::new(types::AddPostReactionRequestRequired {
            account_id: "acc_1".into(),
            post_id: "urn:li:activity:1".into(),
        })
    };
    let created = (201, vec![], r#"{"object":"ReactionAdded"}"#.to_owned());
    let server = serve(vec![created.clone(), created, ok(ACCOUNT)]).await;
    let c = client(&server.url);
    c.posts().add_reaction(reaction()).send().await.unwrap();
    c.posts()
        .add_reaction(reaction())
        .idempotency_key("order-42")
        .send()
        .await
        .unwrap();
    c.accounts().get("a").send().await.unwrap();
    let seen = server.seen();
    let generated = seen[0].headers["idempotency-key"].to_str().unwrap();
    assert_eq!(generated.len(), 36, "a UUID: {generated}");
    assert_eq!(seen[1].headers["idempotency-key"], "order-42");
    assert!(
        seen[2].headers.get("idempotency-key").is_none(),
        "never on GET"
    );
}

#[tokio::test]
async fn the_rate_limiter_is_shared_by_clones() {
    let server = serve((0..6).map(|_| ok(ACCOUNT)).collect()).await;
    let c = Client::builder()
        .api_key(KEY)
        .base_url(&server.url)
        .rate_limit(RateLimit::PerSecond(4))
        .build()
        .unwrap();
    let twin = c.clone();
    let started = Instant::now();
    // Four tokens at once, then one every 250 ms: six calls need at least 500 ms in all,
    // whichever clone makes them.
    let calls = (0..6).map(|i| {
        let c = if i % 2 == 0 { c.clone() } else { twin.clone() };
        async move { c.accounts().get("a").send().await }
    });
    for r in futures_util::future::join_all(calls).await {
        r.unwrap();
    }
    assert!(
        started.elapsed() >= Duration::from_millis(450),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(server.seen().len(), 6);
}

#[tokio::test]
async fn pagination_is_lazy_and_stops_when_dropped() {
    let page = |cursor: &str| {
        ok(&format!(
            r#"{{"object":"AccountList","items":[{ACCOUNT}],"cursor":"{cursor}"}}"#
        ))
    };
    let server = serve(vec![page("c1"), page("c2"), page("c3")]).await;
    let c = client(&server.url);
    let stream = c.accounts().list().limit(1).items();
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert_eq!(
        server.seen().len(),
        0,
        "nothing is sent before the stream is polled"
    );
    let first: Vec<_> = stream.take(1).collect().await;
    assert!(first[0].is_ok());
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert_eq!(
        server.seen().len(),
        1,
        "one page for one item; dropping stopped the rest"
    );
    let err = c.accounts().list().limit(0).send().await.unwrap_err();
    assert!(matches!(err, Error::InvalidRequest { .. }));
    assert_eq!(server.seen().len(), 1, "a bad limit sends nothing");
}

#[tokio::test]
async fn errors_carry_code_message_request_id_headers_and_body() {
    let body = r#"{"error":{"code":"invalid_parameters","message":"limit must be <= 250","request_id":"req_1"}}"#;
    let problem = r#"{"title":"Not found","detail":"No such account","instance":"req_2","type":"errors/not_found","status":404}"#;
    let server = serve(vec![
        (400, vec![("x-trace", "t1".into())], body.into()),
        (404, vec![], problem.into()),
        (
            409,
            vec![],
            r#"{"error":{"code":"brand_new_code","message":"m","request_id":"r"}}"#.into(),
        ),
    ])
    .await;
    let c = client(&server.url);
    let err = c.accounts().get("a").send().await.unwrap_err();
    let api = err.as_api().unwrap();
    assert_eq!(
        api.error_code(),
        Some(postpress_sdk::ErrorCode::InvalidParameters)
    );
    assert_eq!(api.message.as_deref(), Some("limit must be <= 250"));
    assert_eq!(err.request_id(), Some("req_1"));
    assert_eq!(api.headers["x-trace"], "t1");
    assert_eq!(&api.body[..], body.as_bytes());
    assert!(err.to_string().contains("invalid_parameters"), "{err}");

    let err = c.accounts().get("a").send().await.unwrap_err();
    let api = err.as_api().unwrap();
    assert_eq!(api.error_code(), Some(postpress_sdk::ErrorCode::NotFound));
    assert_eq!(api.message.as_deref(), Some("No such account"));
    assert_eq!(err.request_id(), Some("req_2"));

    let err = c.accounts().get("a").send().await.unwrap_err();
    assert_eq!(
        err.as_api().and_then(|a| a.error_code()),
        Some(postpress_sdk::ErrorCode::Unknown("brand_new_code".into()))
    );
}

#[tokio::test]
async fn bodies_of_the_wrong_shape_name_the_path_keep_a_bounded_excerpt_and_the_whole_body() {
    // An object where the required name is text: no reading repairs it, and the account
    // itself is the answer, so there is nothing to contain it in.
    let wrong = ACCOUNT.replace(r#""name":"n""#, r#""name":{"first":"n"}"#);
    let huge = format!("<html>{}</html>", "x".repeat(100_000));
    let server = serve(vec![ok(&wrong), ok(&huge)]).await;
    let c = client(&server.url);
    match c.accounts().get("a").send().await.unwrap_err() {
        Error::Decode { path, excerpt, .. } => {
            assert!(path.contains("name"), "{path}");
            assert!(excerpt.starts_with(r#"{"object":"Account""#));
        }
        other => panic!("{other:?}"),
    }
    let e = c.accounts().get("a").send().await.unwrap_err();
    // The message stays short; the error keeps the whole body, byte for byte.
    assert_eq!(e.raw_body().map(|b| &b[..]), Some(huge.as_bytes()));
    match e {
        Error::Decode { excerpt, body, .. } => {
            assert!(excerpt.len() < 1_000, "{}", excerpt.len());
            assert_eq!(body.len(), huge.len());
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_callers_own_http_client_is_used() {
    let server = serve(vec![ok(ACCOUNT)]).await;
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("x-corp-proxy", "yes".parse().unwrap());
    let http = reqwest::Client::builder()
        .default_headers(headers)
        .build()
        .unwrap();
    let c = Client::builder()
        .api_key(KEY)
        .base_url(&server.url)
        .http_client(http)
        .build()
        .unwrap();
    c.accounts().get("a").send().await.unwrap();
    let seen = &server.seen()[0];
    assert_eq!(seen.headers["x-corp-proxy"], "yes");
    let agent = seen.headers["user-agent"].to_str().unwrap();
    assert!(agent.starts_with("postpress-sdk/"), "{agent}");
}

#[tokio::test]
async fn a_post_without_an_idempotency_key_is_never_retried() {
    // Every PostPress POST declares the key; an operation that does not (as in documents
    // other generated clients come from) must not be repeated: the server might act twice.
    let server = serve(vec![fail(503), fail(503), ok("{}")]).await;
    let c = client(&server.url);
    let req = postpress_sdk::engine::Request::new(postpress_sdk::engine::Method::POST, "/accounts");
    let err = c.engine().execute(req).await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(server.seen().len(), 1, "not retried");
    assert!(server.seen()[0].headers.get("idempotency-key").is_none());
}
