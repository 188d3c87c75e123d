//! Connection faults one at a time, against the chaos server on 127.0.0.1: the stale kept-alive
//! connection, resets, bodies cut short; which methods are retried after them; what the error
//! says when they are not; and a deadline that holds against the client-side rate limiter.

mod chaos;

use chaos::{ChaosServer, Fault, FaultPlan};
use postpress_sdk::engine::{ApiClient as _, Method, Request, TransportFault};
use postpress_sdk::{Client, Error, RetryPolicy, Tier, types};
use std::error::Error as _;
use std::time::Duration;

const KEY: &str = "pp_test_faults";

fn client(url: &str) -> postpress_sdk::ClientBuilder {
    Client::builder()
        .api_key(KEY)
        .base_url(url)
        .retry_policy(RetryPolicy {
            initial_delay: Duration::from_millis(5),
            max_delay: Duration::from_millis(20),
            ..Default::default()
        })
}

async fn script(faults: &[Fault]) -> ChaosServer {
    ChaosServer::start(FaultPlan::Script(faults.to_vec())).await
}

fn reaction(id: &str) -> types::AddPostReactionRequest {
    types::AddPostReactionRequest::new(types::AddPostReactionRequestRequired {
        account_id: "acc_1".into(),
        post_id: id.into(),
    })
}

/// A POST (or PATCH) through the engine alone: no idempotency key unless `keyed`.
fn raw_write(method: Method, id: &str, keyed: bool) -> Request {
    let mut req = Request::new(method, "/posts/reaction");
    req.json_body(&serde_json::json!({ "post_id": id }))
        .unwrap();
    if keyed {
        req.idempotent();
    }
    req
}

#[tokio::test]
async fn a_stale_kept_alive_connection_is_retried_on_a_fresh_one() {
    // The first call leaves its connection in the pool; the server then drops that connection
    // instead of answering the second call on it: closed (FIN) in one run, reset in the other.
    for stale in [Fault::CloseWithoutAnswer, Fault::ResetBeforeRead] {
        let server = script(&[Fault::None, stale, Fault::None]).await;
        let c = client(&server.url).build().unwrap();
        c.accounts().get("acc_1").send().await.unwrap();
        let account = c.accounts().get("acc_1").send().await;
        assert!(account.is_ok(), "{stale:?}: {account:?}");
        assert_eq!(server.arrivals(), 3, "{stale:?}: one retry");
        assert_eq!(
            server.connections(),
            2,
            "{stale:?}: the retry used a new connection"
        );
    }
}

#[tokio::test]
async fn broken_connections_keep_their_cause_when_not_retried() {
    let cases = [
        (Fault::CloseWithoutAnswer, TransportFault::ConnectionLost),
        (Fault::ResetAfterRead, TransportFault::ConnectionLost),
        (Fault::ResetBeforeRead, TransportFault::ConnectionLost),
        (Fault::TruncatedBody, TransportFault::BodyCutShort),
    ];
    for (fault, expected) in cases {
        let server = script(&[fault]).await;
        let err = client(&server.url)
            .max_retries(0)
            .build()
            .unwrap()
            .accounts()
            .get("acc_1")
            .send()
            .await
            .unwrap_err();
        assert!(matches!(err, Error::Transport(_)), "{fault:?}: {err:?}");
        assert_eq!(err.transport_fault(), Some(expected), "{fault:?}: {err}");
        assert!(err.is_retryable(), "{fault:?}");
        // The chain goes down to what the HTTP layer reported.
        let cause = err.source().expect("a transport error has a source");
        assert!(cause.to_string().len() > 3, "{fault:?}: {cause}");
    }
}

#[tokio::test]
async fn idempotent_methods_are_retried_after_a_broken_connection() {
    for method in [
        Method::GET,
        Method::HEAD,
        Method::PUT,
        Method::DELETE,
        Method::OPTIONS,
    ] {
        for fault in [
            Fault::ResetAfterRead,
            Fault::CloseWithoutAnswer,
            Fault::TruncatedBody,
        ] {
            if method == Method::HEAD && fault == Fault::TruncatedBody {
                continue; // a HEAD answer has no body to cut
            }
            let server = script(&[fault]).await;
            let c = client(&server.url).build().unwrap();
            let out = c
                .engine()
                .execute(Request::new(method.clone(), "/accounts/acc_1"))
                .await;
            assert!(out.is_ok(), "{method} after {fault:?}: {out:?}");
            assert_eq!(server.arrivals(), 2, "{method} after {fault:?}");
        }
    }
}

#[tokio::test]
async fn a_keyed_post_is_retried_with_one_key_and_applied_once() {
    for fault in [
        Fault::ResetAfterRead,
        Fault::CloseWithoutAnswer,
        Fault::TruncatedBody,
    ] {
        let server = script(&[fault]).await;
        let c = client(&server.url).build().unwrap();
        let id = format!("post-{fault:?}");
        c.posts().add_reaction(reaction(&id)).send().await.unwrap();
        assert_eq!(server.arrivals(), 2, "{fault:?}: retried");
        let keys = server.keys_seen();
        assert_eq!(keys.len(), 2);
        assert_eq!(keys[0], keys[1], "one key for both attempts");
        assert_eq!(server.applied(&id), 1, "{fault:?}: applied once");
    }
    // Keyed writes through the engine: POST and PATCH alike.
    for method in [Method::POST, Method::PATCH] {
        let server = script(&[Fault::ResetAfterRead]).await;
        let c = client(&server.url).build().unwrap();
        c.engine()
            .execute(raw_write(method.clone(), "w", true))
            .await
            .unwrap();
        assert_eq!(server.arrivals(), 2, "{method}");
        assert_eq!(server.applied("w"), 1, "{method}");
    }
}

#[tokio::test]
async fn a_post_or_patch_without_a_key_is_never_sent_twice() {
    for method in [Method::POST, Method::PATCH] {
        for fault in [
            Fault::ResetAfterRead,
            Fault::CloseWithoutAnswer,
            Fault::TruncatedBody,
            Fault::ResetBeforeRead,
        ] {
            let server = script(&[fault]).await;
            let c = client(&server.url).build().unwrap();
            let err = c
                .engine()
                .execute(raw_write(method.clone(), "once", false))
                .await
                .unwrap_err();
            assert!(
                matches!(err, Error::Transport(_)),
                "{method} {fault:?}: {err:?}"
            );
            assert_eq!(server.arrivals(), 1, "{method} {fault:?}: not retried");
            assert!(server.applied("once") <= 1);
        }
    }
}

#[tokio::test]
async fn a_deadline_holds_against_the_starter_rate_limit() {
    let server = script(&[]).await;
    let c = client(&server.url)
        .rate_limit(Tier::Starter)
        .build()
        .unwrap();
    // The Starter bucket holds 60 tokens and refills one a second.
    for _ in 0..60 {
        c.accounts().get("acc_1").send().await.unwrap();
    }
    // The next call would wait about a second for a token: with a 300 ms deadline it must
    // fail at once instead. The bound below is only there so a hang fails the test.
    let call = c
        .accounts()
        .get("acc_1")
        .deadline(Duration::from_millis(300))
        .send();
    let err = tokio::time::timeout(Duration::from_secs(20), call)
        .await
        .expect("the call ended")
        .unwrap_err();
    assert_eq!(
        err.transport_fault(),
        Some(TransportFault::DeadlineExceeded),
        "{err}"
    );
    assert!(err.is_timeout());
    assert!(err.to_string().contains("rate limit"), "{err}");
    assert_eq!(server.arrivals(), 60, "the refused call sent nothing");

    // Many callers queued behind the bucket all end by their deadline: none waits for its
    // turn a minute later.
    let calls = (0..8).map(|_| {
        c.accounts()
            .get("acc_1")
            .deadline(Duration::from_millis(1500))
            .send()
    });
    let all = tokio::time::timeout(
        Duration::from_secs(20),
        futures_util::future::join_all(calls),
    )
    .await
    .expect("every call ended");
    let refused = all.iter().filter(|r| r.is_err()).count();
    assert!(refused >= 5, "at most ~2 tokens refill in 1.5 s: {refused}");
    for err in all.iter().filter_map(|r| r.as_ref().err()) {
        assert_eq!(
            err.transport_fault(),
            Some(TransportFault::DeadlineExceeded),
            "{err}"
        );
    }
}
