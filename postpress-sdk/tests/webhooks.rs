//! The webhook example served on loopback: the guides' sample deliveries (as JSON, as a form,
//! with and without a `Content-Type`) decode into their typed variants and are processed once
//! however often they are redelivered; hostile deliveries get clear refusals.

#[allow(dead_code)]
#[path = "../examples/webhook_receiver.rs"]
mod example;

use postpress_sdk::types::{AccountStatusChangeMessage, WebhookNamedEvent, WebhookPayload};
use postpress_sdk::{
    Decoded, Decoding, Delivery, DeliveryFormat, Repair, WebhookError, WebhookReceiver,
};
use serde_json::json;
use std::time::Duration;
use tokio::sync::mpsc;

const SECRET: &str = "a-shared-secret";

struct Served {
    url: String,
    events: mpsc::UnboundedReceiver<Delivery<WebhookPayload>>,
    http: reqwest::Client,
}

async fn serve() -> Served {
    let receiver = WebhookReceiver::new("Postpress-Auth", SECRET).expect("receiver");
    let (work, events) = mpsc::unbounded_channel();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let url = format!(
        "http://{}/postpress/webhook",
        listener.local_addr().expect("addr")
    );
    tokio::spawn(async move {
        axum::serve(listener, example::router(receiver, work))
            .await
            .expect("serve");
    });
    Served {
        url,
        events,
        http: reqwest::Client::new(),
    }
}

impl Served {
    /// Posts `body` with the given headers; returns the status and the answer's text.
    async fn post(
        &self,
        body: impl Into<reqwest::Body>,
        headers: &[(&str, &str)],
    ) -> (u16, String) {
        let mut req = self.http.post(&self.url).body(body);
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let res = req.send().await.expect("delivery");
        (res.status().as_u16(), res.text().await.expect("answer"))
    }

    async fn next(&mut self) -> Delivery<WebhookPayload> {
        tokio::time::timeout(Duration::from_secs(10), self.events.recv())
            .await
            .expect("an event within 10 s")
            .expect("channel open")
    }
}

/// A new-message delivery shaped as the messaging guide shows it (values are ours).
fn new_message() -> serde_json::Value {
    json!({
        "account_id": "acc_01J8X",
        "account_type": "LINKEDIN",
        "account_info": {"type": "LINKEDIN", "feature": "classic", "user_id": "ACoAAB12"},
        "event": "message_received",
        "chat_id": "chat_77",
        "timestamp": "2026-11-28T09:00:00.000Z",
        "webhook_name": "inbox",
        "message_id": "msg_42",
        "message": "Hello there",
        "sender": {"attendee_id": "att_1", "attendee_name": "Ada", "attendee_provider_id": "ACoAAB34", "attendee_profile_url": "https://www.linkedin.com/in/ada"},
        "attendees": [{"attendee_id": "att_2", "attendee_name": "Grace", "attendee_provider_id": "ACoAAB56", "attendee_profile_url": "https://www.linkedin.com/in/grace"}]
    })
}

#[tokio::test]
async fn sample_deliveries_decode_into_their_variants_once_each() {
    let mut s = serve().await;
    let auth = ("postpress-auth", SECRET);

    // JSON without a Content-Type (how API-created webhooks send), then the same event again.
    let body = new_message().to_string();
    assert_eq!(s.post(body.clone(), &[auth]).await.0, 200);
    let d = s.next().await;
    assert_eq!(d.format, DeliveryFormat::Json);
    let WebhookPayload::WebhookNamedEvent(WebhookNamedEvent::MessagingEvent(m)) = &d.event else {
        panic!("a messaging event, got {:?}", d.event);
    };
    assert_eq!(m.event.as_str(), "message_received");
    assert_eq!(m.chat_id.as_deref(), Some("chat_77"));
    assert_eq!(m.attendees.as_ref().map(Vec::len), Some(1));
    assert_eq!(
        example::describe(&d.event),
        "message_received in chat Some(\"chat_77\"): Some(\"Hello there\")"
    );
    // A redelivery with other spacing and key order is answered 200 but not processed again.
    let reordered = serde_json::to_string_pretty(&new_message()).expect("json");
    assert_eq!(
        s.post(reordered, &[auth, ("content-type", "application/json")])
            .await
            .0,
        200
    );

    // An account status change, as the account-status guide shows it.
    let status = json!({"AccountStatus": {"account_id": "acc_01J8X", "account_type": "LINKEDIN", "message": "CREDENTIALS"}});
    assert_eq!(s.post(status.to_string(), &[auth]).await.0, 200);
    let d = s.next().await;
    let WebhookPayload::AccountStatusEvent(st) = &d.event else {
        panic!("an account status event, got {:?}", d.event);
    };
    assert_eq!(
        st.account_status.message,
        Some(AccountStatusChangeMessage::Credentials)
    );
    assert_ne!(d.key, postpress_sdk::EventKey::of(&new_message()));

    // A new relation sent as a form (`format: form`), nested keys in bracket notation.
    let form = "event=new_relation&account_id=acc_01J8X&webhook_name=relations&user_full_name=Grace%20Hopper&user_provider_id=ACoAAB56";
    assert_eq!(s.post(form, &[auth]).await.0, 200);
    let d = s.next().await;
    assert_eq!(d.format, DeliveryFormat::Form);
    let WebhookPayload::WebhookNamedEvent(WebhookNamedEvent::NewRelationEvent(r)) = &d.event else {
        panic!("a new relation, got {:?}", d.event);
    };
    assert_eq!(r.user_full_name.as_deref(), Some("Grace Hopper"));
    let form = "event=message_read&chat_id=chat_9&sender[attendee_name]=Ada&attendees[][attendee_id]=att_3&content-ignored";
    assert_eq!(
        s.post(
            form,
            &[auth, ("content-type", "application/x-www-form-urlencoded")]
        )
        .await
        .0,
        200
    );
    let d = s.next().await;
    let WebhookPayload::WebhookNamedEvent(WebhookNamedEvent::MessagingEvent(m)) = &d.event else {
        panic!("a messaging event, got {:?}", d.event);
    };
    assert_eq!(
        m.sender.as_ref().and_then(|s| s.attendee_name.as_deref()),
        Some("Ada")
    );

    // An event this SDK does not know keeps its payload.
    let future = json!({"event": "message_pinned", "chat_id": "chat_1"});
    assert_eq!(s.post(future.to_string(), &[auth]).await.0, 200);
    let d = s.next().await;
    assert_eq!(
        d.event,
        WebhookPayload::WebhookNamedEvent(WebhookNamedEvent::Unknown(future.clone()))
    );
    assert_eq!(d.raw, future);

    // Nothing else was queued: the redelivery above was skipped.
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert!(
        s.events.try_recv().is_err(),
        "a redelivery was processed twice"
    );
}

#[tokio::test]
async fn hostile_deliveries_are_refused_with_reasons() {
    let mut s = serve().await;
    let auth = ("postpress-auth", SECRET);
    let body = new_message().to_string();
    // No secret, a wrong one, a near miss: 401 and nothing said about why.
    assert_eq!(s.post(body.clone(), &[]).await, (401, String::new()));
    assert_eq!(
        s.post(body.clone(), &[("postpress-auth", "guess")]).await,
        (401, String::new())
    );
    assert_eq!(
        s.post(body.clone(), &[("postpress-auth", "a-shared-secreT")])
            .await,
        (401, String::new())
    );
    // Over the receiver's limit (1 MiB by default).
    let huge = format!(
        "{{\"event\":\"message_received\",\"message\":\"{}\"}}",
        "x".repeat(1_500_000)
    );
    let (status, text) = s.post(huge, &[auth]).await;
    assert_eq!(status, 413);
    assert!(text.contains("over the limit of 1048576"), "{text}");
    // Malformed JSON, a JSON value of the wrong shape, a body in no known format.
    let (status, text) = s.post("{\"event\": \"message_received\",", &[auth]).await;
    assert_eq!(status, 400);
    assert!(text.contains("not JSON"), "{text}");
    // A known event whose body does not fit its type, decoded strictly: into that source's own
    // type it is refused with the failing path; into the all-sources union it is refused too,
    // naming the event (never passed off as an unknown one).
    let misfit = json!({"event": "message_received", "attendees": 7});
    let strict = WebhookReceiver::new("Postpress-Auth", SECRET)
        .expect("receiver")
        .decoding(Decoding::Strict);
    let mut headers = postpress_sdk::engine::HeaderMap::new();
    headers.insert("postpress-auth", SECRET.parse().expect("header"));
    let err = strict
        .parse::<postpress_sdk::types::MessagingEvent>(&headers, misfit.to_string().as_bytes())
        .expect_err("attendees is not a list");
    assert!(
        matches!(&err, postpress_sdk::WebhookError::Body { path, .. } if path == "attendees"),
        "{err}"
    );
    assert!(err.to_string().contains("at attendees"), "{err}");
    let err = strict
        .parse::<WebhookPayload>(&headers, misfit.to_string().as_bytes())
        .expect_err("attendees is not a list");
    assert!(
        err.to_string()
            .contains("`message_received` event (by its `event`) does not decode at attendees"),
        "{err}"
    );
    // The example's receiver decodes as receivers do by default: the optional list that is no
    // list is left out and recorded, and the event is processed.
    let (status, _) = s.post(misfit.to_string(), &[auth]).await;
    assert_eq!(status, 200);
    let d = s.next().await;
    let left_out: Vec<_> = d
        .departures
        .iter()
        .map(|d| (d.pointer.as_str(), d.repair, &d.received))
        .collect();
    assert_eq!(left_out, [("/attendees", Repair::LeftOut, &json!(7))]);
    let (status, text) = s
        .post(
            vec![0u8, 159, 146, 150],
            &[auth, ("content-type", "application/octet-stream")],
        )
        .await;
    assert_eq!(status, 400);
    assert!(text.contains("application/octet-stream"), "{text}");
    let (status, text) = s.post("just words", &[auth]).await;
    assert_eq!(status, 400);
    assert!(text.contains("neither JSON nor a form"), "{text}");
    // None of these reached the processing side.
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert!(s.events.try_recv().is_err());
}

/// What a handler got from the receiver: strict and lenient, for one delivery each.
enum Outcome {
    Strict(Result<Delivery<WebhookPayload>, WebhookError>),
    Lenient(Result<Delivery<Decoded<WebhookPayload>>, WebhookError>),
}

/// An endpoint that hands the receiver's every answer, errors included, to the test:
/// `POST /strict` parses, `POST /lenient` parses keeping malformed events, both decoding
/// strictly (the first departure is the error); `POST /default` parses as a receiver does by
/// default, repairing or containing departures and recording them.
async fn serve_outcomes() -> Outcomes {
    use axum::{body::Bytes, http::HeaderMap, routing::post};
    let default = WebhookReceiver::new("Postpress-Auth", SECRET).expect("receiver");
    let receiver = default.clone().decoding(Decoding::Strict);
    let (tx, rx) = mpsc::unbounded_channel();
    let (r2, tx2) = (receiver.clone(), tx.clone());
    let tx3 = tx.clone();
    let app = axum::Router::new()
        .route(
            "/strict",
            post(move |headers: HeaderMap, body: Bytes| async move {
                let outcome = receiver.parse::<WebhookPayload>(&headers, &body);
                let status = if outcome.is_ok() { 200 } else { 400 };
                tx.send(Outcome::Strict(outcome)).expect("test listens");
                axum::http::StatusCode::from_u16(status).expect("status")
            }),
        )
        .route(
            "/lenient",
            post(move |headers: HeaderMap, body: Bytes| async move {
                let outcome = r2.parse_lenient::<WebhookPayload>(&headers, &body);
                tx2.send(Outcome::Lenient(outcome)).expect("test listens");
            }),
        )
        .route(
            "/default",
            post(move |headers: HeaderMap, body: Bytes| async move {
                let outcome = default.parse::<WebhookPayload>(&headers, &body);
                tx3.send(Outcome::Strict(outcome)).expect("test listens");
            }),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    tokio::spawn(async move { axum::serve(listener, app).await.expect("serve") });
    Outcomes {
        url,
        rx,
        http: reqwest::Client::new(),
    }
}

/// The endpoint of [`serve_outcomes`], and what its receiver made of each delivery.
struct Outcomes {
    url: String,
    rx: mpsc::UnboundedReceiver<Outcome>,
    http: reqwest::Client,
}

impl Outcomes {
    /// Delivers `payload` as JSON to `path`; the status answered and the receiver's outcome.
    async fn deliver(&mut self, path: &str, payload: &serde_json::Value) -> (u16, Outcome) {
        self.deliver_raw(path, payload.to_string(), Some("application/json"))
            .await
    }

    async fn deliver_raw(
        &mut self,
        path: &str,
        body: impl Into<reqwest::Body>,
        content_type: Option<&str>,
    ) -> (u16, Outcome) {
        let mut req = self
            .http
            .post(format!("{}{path}", self.url))
            .header("postpress-auth", SECRET)
            .body(body);
        if let Some(content_type) = content_type {
            req = req.header("content-type", content_type);
        }
        let res = req.send().await.expect("delivery");
        let outcome = tokio::time::timeout(Duration::from_secs(10), self.rx.recv())
            .await
            .expect("an outcome within 10 s")
            .expect("channel open");
        (res.status().as_u16(), outcome)
    }
}

#[tokio::test]
async fn a_known_event_whose_fields_do_not_fit_is_never_passed_off_as_unknown() {
    let mut outcomes = serve_outcomes().await;

    // `chat_id` is a string: the known `message_received` event with a number there is an
    // error naming the event, the path and keeping the payload, not an unknown event.
    let malformed = json!({"event": "message_received", "chat_id": 123});
    let (status, outcome) = outcomes.deliver("/strict", &malformed).await;
    assert_eq!(status, 400);
    let Outcome::Strict(Err(WebhookError::MalformedEvent(bad))) = outcome else {
        panic!("a malformed event error");
    };
    assert_eq!(
        (bad.tag.as_str(), bad.event.as_str(), bad.path.as_str()),
        ("event", "message_received", "chat_id")
    );
    assert!(
        bad.message.contains("invalid type: integer `123`"),
        "{}",
        bad.message
    );
    assert_eq!(bad.raw, malformed);
    assert_eq!(bad.format, DeliveryFormat::Json);
    assert_eq!(
        bad.to_string(),
        format!(
            "the delivery's `message_received` event (by its `event`) does not decode at chat_id: {}",
            bad.message
        )
    );

    // An event the SDK does not know still decodes as unknown, with its payload.
    let unknown = json!({"event": "message_pinned", "chat_id": 123});
    let (status, outcome) = outcomes.deliver("/strict", &unknown).await;
    assert_eq!(status, 200);
    let Outcome::Strict(Ok(delivery)) = outcome else {
        panic!("an unknown event decodes");
    };
    assert_eq!(
        delivery.event,
        WebhookPayload::WebhookNamedEvent(WebhookNamedEvent::Unknown(unknown.clone()))
    );

    // Lenient: the malformed event is kept, with its error and its raw payload ...
    let (status, outcome) = outcomes.deliver("/lenient", &malformed).await;
    assert_eq!(status, 200);
    let Outcome::Lenient(Ok(delivery)) = outcome else {
        panic!("the lenient parse keeps it");
    };
    assert_eq!(delivery.raw, malformed);
    let bad = delivery.event.malformed().expect("malformed");
    assert_eq!(
        (bad.event.as_str(), bad.path.as_str()),
        ("message_received", "chat_id")
    );
    assert_eq!(bad.raw, malformed);
    assert!(delivery.event.event().is_none());
    assert!(matches!(
        delivery.event.clone().into_result(),
        Err(WebhookError::MalformedEvent(_))
    ));
    // ... and a well-formed one decodes as ever.
    let (_, outcome) = outcomes.deliver("/lenient", &new_message()).await;
    let Outcome::Lenient(Ok(delivery)) = outcome else {
        panic!("a good event decodes");
    };
    assert!(matches!(
        delivery.event,
        Decoded::Event(WebhookPayload::WebhookNamedEvent(
            WebhookNamedEvent::MessagingEvent(_)
        ))
    ));
    // Lenient or not, a body that is no JSON is refused.
    let (status, outcome) = outcomes.deliver_raw("/lenient", "{\"event\":", None).await;
    assert_eq!(status, 200);
    assert!(matches!(
        outcome,
        Outcome::Lenient(Err(WebhookError::Body { .. }))
    ));
}

#[tokio::test]
async fn departing_deliveries_are_repaired_or_contained_and_recorded() {
    let mut outcomes = serve_outcomes().await;

    // A new message as a sender drifting from the document writes it: the chat id as a
    // number, the sender and one attendee as bare strings.
    let mut drifting = new_message();
    drifting["chat_id"] = json!(77);
    drifting["sender"] = json!("Ada");
    drifting["attendees"] = json!(["att_9", drifting["attendees"][0].clone()]);

    let (200, Outcome::Strict(Ok(delivery))) = outcomes.deliver("/default", &drifting).await else {
        panic!("the default receiver decodes a drifting delivery");
    };
    let WebhookPayload::WebhookNamedEvent(WebhookNamedEvent::MessagingEvent(m)) = &delivery.event
    else {
        panic!("a messaging event, got {:?}", delivery.event);
    };
    // The number kept as its text, the bare strings left out: the optional sender is
    // absent, the attendee leaves its list and the other one stays.
    assert_eq!(m.chat_id.as_deref(), Some("77"));
    assert!(m.sender.is_none());
    let attendees = m.attendees.as_ref().expect("attendees");
    assert_eq!(attendees.len(), 1);
    assert_eq!(attendees[0].attendee_name.as_deref(), Some("Grace"));
    assert_eq!(m.message, Some(Some("Hello there".to_owned())));
    let mut recorded: Vec<(&str, Repair, &serde_json::Value)> = delivery
        .departures
        .iter()
        .map(|d| (d.pointer.as_str(), d.repair, &d.received))
        .collect();
    recorded.sort_by_key(|(pointer, ..)| *pointer);
    assert_eq!(
        recorded,
        [
            ("/attendees/0", Repair::LeftOut, &json!("att_9")),
            ("/chat_id", Repair::TextFromNumber, &json!(77)),
            ("/sender", Repair::LeftOut, &json!("Ada")),
        ],
        "{:#?}",
        delivery.departures
    );
    // The raw payload and its redelivery key are the delivery as sent, not as repaired.
    assert_eq!(delivery.raw, drifting);

    // Strict decoding refuses the same delivery where the lenient one recorded its first
    // departure, the event named.
    let (400, Outcome::Strict(Err(WebhookError::MalformedEvent(bad)))) =
        outcomes.deliver("/strict", &drifting).await
    else {
        panic!("strict decoding refuses it");
    };
    let first = &delivery.departures[0];
    assert_eq!(
        format!(
            "/{}",
            bad.path
                .replace('[', ".")
                .replace(']', "")
                .replace('.', "/")
        ),
        first.failed_at,
        "strict fails at {}, lenient recorded {:?}",
        bad.path,
        delivery.departures
    );
    assert_eq!(bad.event, "message_received");

    // A delivery that matches its type has no departures.
    let (200, Outcome::Strict(Ok(clean))) = outcomes.deliver("/default", &new_message()).await
    else {
        panic!("a good event decodes");
    };
    assert!(clean.departures.is_empty(), "{:?}", clean.departures);
}
