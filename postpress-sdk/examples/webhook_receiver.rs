//! A webhook endpoint: check the secret header, decode the delivery, answer 200 at once (the
//! API waits 30 seconds at most) and process the event in the background, once per event even
//! when a delivery is retried.
//!
//! Create the webhook with a header of your choosing, e.g. `headers: [{key: "Postpress-Auth",
//! value: "<secret>"}]`, then run
//! `POSTPRESS_WEBHOOK_SECRET=<secret> cargo run -p postpress-sdk --example webhook_receiver`.

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use postpress_sdk::types::{WebhookNamedEvent, WebhookPayload};
use postpress_sdk::{Delivery, EventKey, WebhookError, WebhookReceiver};
use std::collections::{HashSet, VecDeque};
use std::sync::{Arc, Mutex};
use tokio::sync::mpsc;

/// How many event keys are remembered to skip redeliveries. Retries come within hours, so a
/// bounded window is enough here; a service with several instances keeps keys in its database.
const REMEMBERED: usize = 10_000;

/// The keys of recently accepted events, oldest first.
#[derive(Default)]
pub struct Seen {
    keys: HashSet<EventKey>,
    order: VecDeque<EventKey>,
}

impl Seen {
    /// Records `key`; false when it was seen before.
    pub fn first_time(&mut self, key: &EventKey) -> bool {
        if !self.keys.insert(key.clone()) {
            return false;
        }
        self.order.push_back(key.clone());
        if self.order.len() > REMEMBERED
            && let Some(oldest) = self.order.pop_front()
        {
            self.keys.remove(&oldest);
        }
        true
    }
}

struct Endpoint {
    receiver: WebhookReceiver,
    seen: Mutex<Seen>,
    work: mpsc::UnboundedSender<Delivery<WebhookPayload>>,
}

/// The HTTP side: `POST /postpress/webhook` answers at once and hands accepted events to `work`.
pub fn router(
    receiver: WebhookReceiver,
    work: mpsc::UnboundedSender<Delivery<WebhookPayload>>,
) -> Router {
    let endpoint = Arc::new(Endpoint {
        receiver,
        seen: Mutex::new(Seen::default()),
        work,
    });
    Router::new()
        .route("/postpress/webhook", post(receive))
        .with_state(endpoint)
}

async fn receive(
    State(endpoint): State<Arc<Endpoint>>,
    headers: HeaderMap,
    body: Bytes,
) -> (StatusCode, String) {
    match endpoint.receiver.parse::<WebhookPayload>(&headers, &body) {
        Ok(delivery) => {
            // A field the sender wrote differently from the document (a number for text, an
            // item of the wrong shape) was repaired or left out: `delivery.departures` says
            // which (each is also a `tracing` warning), and the event is processed all the same.
            let first = endpoint
                .seen
                .lock()
                .map(|mut seen| seen.first_time(&delivery.key))
                .unwrap_or(true);
            if first {
                // The processing task may be gone at shutdown; the delivery is still answered.
                let _ = endpoint.work.send(delivery);
            }
            (StatusCode::OK, String::new())
        }
        // Not from the API (or a wrong secret): never tell more than that.
        Err(WebhookError::MissingHeader { .. } | WebhookError::WrongSecret { .. }) => {
            (StatusCode::UNAUTHORIZED, String::new())
        }
        Err(e @ WebhookError::TooLarge { .. }) => (StatusCode::PAYLOAD_TOO_LARGE, e.to_string()),
        // A body in no known format, or a known event whose fields do not fit its type
        // (`WebhookError::MalformedEvent`, naming the event and the path): refused with the
        // reason, so it shows in the webhook's delivery log. `parse_lenient` would keep it.
        Err(e) => (StatusCode::BAD_REQUEST, e.to_string()),
    }
}

/// What the background task does with one event.
pub fn describe(event: &WebhookPayload) -> String {
    match event {
        WebhookPayload::AccountStatusEvent(status) => format!(
            "account {:?} is now {:?}",
            status.account_status.account_id, status.account_status.message
        ),
        WebhookPayload::WebhookNamedEvent(WebhookNamedEvent::MessagingEvent(m)) => format!(
            "{} in chat {:?}: {:?}",
            m.event,
            m.chat_id,
            m.message.as_ref().and_then(|text| text.as_deref())
        ),
        WebhookPayload::WebhookNamedEvent(WebhookNamedEvent::NewRelationEvent(r)) => {
            format!("new relation {:?}", r.user_full_name)
        }
        other => format!("an event this program does not handle: {other:?}"),
    }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let secret = std::env::var("POSTPRESS_WEBHOOK_SECRET")?;
    let receiver = WebhookReceiver::new("Postpress-Auth", secret)?;
    let (work, mut events) = mpsc::unbounded_channel::<Delivery<WebhookPayload>>();
    tokio::spawn(async move {
        while let Some(delivery) = events.recv().await {
            println!("{} ({})", describe(&delivery.event), delivery.key);
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:8080").await?;
    println!(
        "listening on http://{}/postpress/webhook",
        listener.local_addr()?
    );
    axum::serve(listener, router(receiver, work)).await?;
    Ok(())
}
