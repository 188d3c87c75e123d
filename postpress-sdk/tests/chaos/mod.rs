//! A chaos server of our own on 127.0.0.1: HTTP/1.1 written by hand over raw TCP, so that it can
//! fail the way real servers and load balancers do — reset a connection before or after reading
//! the request, close it without answering, cut a body short, drip a body slowly, answer 502,
//! 503 or 429 with `Retry-After`, or close a kept-alive connection once it has answered.
//!
//! `POST` and `PATCH` requests carry a logical id in their JSON body (`post_id`). The server applies a POST
//! with an `Idempotency-Key` at most once per key (a replay gets the stored answer) and counts
//! applications per logical id, so a test can prove that nothing was applied twice.
//!
//! Which fault hits which request is decided by a [`FaultPlan`]: a script (for tests of one
//! fault) or a seeded random draw (for the soak test).
#![allow(dead_code)]

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// An `Account` as `GET /accounts/{id}` answers it.
pub const ACCOUNT: &str = r#"{"object":"Account","type":"TELEGRAM","id":"acc_1","name":"n","created_at":"2025-01-01T00:00:00.000Z","current_signature":null,"signatures":[],"groups":[],"sources":[{"id":"acc_1_MESSAGING","status":"OK"}],"connection_params":{"im":{"id":"1","username":"u"}}}"#;
const APPLIED: &str = r#"{"object":"ReactionAdded"}"#;
const UPSTREAM: &str =
    r#"{"error":{"code":"upstream_error","message":"injected","request_id":"chaos"}}"#;

/// What the server does with one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Fault {
    /// Answer normally.
    None,
    /// Reset the connection as soon as the request starts to arrive, without reading it.
    ResetBeforeRead,
    /// Read (and apply) the request, then reset the connection without answering.
    ResetAfterRead,
    /// Read (and apply) the request, then close the connection without answering.
    CloseWithoutAnswer,
    /// Answer 502 (nothing applied).
    BadGateway,
    /// Answer 503 (nothing applied).
    Unavailable,
    /// Answer 429 with `Retry-After` (nothing applied).
    RateLimited,
    /// Apply and answer, dripping the body in small pieces.
    SlowBody,
    /// Apply and answer with a body cut short of its `Content-Length`, then close.
    TruncatedBody,
    /// Apply and answer normally, then close the kept-alive connection while it is idle, so the
    /// client's next request on it meets a dead connection.
    CloseWhenIdle,
}

impl Fault {
    /// Every kind, for reports.
    pub const ALL: [Fault; 10] = [
        Fault::None,
        Fault::ResetBeforeRead,
        Fault::ResetAfterRead,
        Fault::CloseWithoutAnswer,
        Fault::BadGateway,
        Fault::Unavailable,
        Fault::RateLimited,
        Fault::SlowBody,
        Fault::TruncatedBody,
        Fault::CloseWhenIdle,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Fault::None => "none",
            Fault::ResetBeforeRead => "reset_before_read",
            Fault::ResetAfterRead => "reset_after_read",
            Fault::CloseWithoutAnswer => "close_without_answer",
            Fault::BadGateway => "status_502",
            Fault::Unavailable => "status_503",
            Fault::RateLimited => "status_429_retry_after",
            Fault::SlowBody => "slow_body",
            Fault::TruncatedBody => "truncated_body",
            Fault::CloseWhenIdle => "close_when_idle",
        }
    }
}

/// Decides the fault of each arriving request, in arrival order.
pub enum FaultPlan {
    /// These faults in order, then [`Fault::None`].
    Script(Vec<Fault>),
    /// A fault with probability `fault_rate`, its kind uniform over the faulty kinds; seeded,
    /// so a run draws the same sequence of faults every time.
    Random { rng: Box<StdRng>, fault_rate: f64 },
}

impl FaultPlan {
    pub fn seeded(seed: u64, fault_rate: f64) -> Self {
        FaultPlan::Random {
            rng: Box::new(StdRng::seed_from_u64(seed)),
            fault_rate,
        }
    }

    fn next(&mut self, arrival: usize) -> Fault {
        match self {
            FaultPlan::Script(faults) => faults.get(arrival).copied().unwrap_or(Fault::None),
            FaultPlan::Random { rng, fault_rate } => {
                if rng.random_bool(*fault_rate) {
                    Fault::ALL[rng.random_range(1..Fault::ALL.len())]
                } else {
                    Fault::None
                }
            }
        }
    }
}

/// What the server saw and did.
#[derive(Default)]
struct Ledger {
    arrivals: usize,
    connections: usize,
    faults: BTreeMap<Fault, usize>,
    /// Applications per logical id.
    applied: HashMap<String, u32>,
    /// Idempotency keys already applied, with the logical id each one applied.
    keys: HashMap<String, String>,
    /// The idempotency key of every arrival that carried one, in order (scripted plans only).
    keys_seen: Vec<String>,
}

/// A running chaos server; it stops with the test's runtime.
pub struct ChaosServer {
    pub url: String,
    plan: Arc<Mutex<FaultPlan>>,
    ledger: Arc<Mutex<Ledger>>,
}

impl ChaosServer {
    pub async fn start(plan: FaultPlan) -> ChaosServer {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let url = format!("http://{}/v1", listener.local_addr().expect("addr"));
        let server = ChaosServer {
            url,
            plan: Arc::new(Mutex::new(plan)),
            ledger: Arc::default(),
        };
        let (plan, ledger) = (server.plan.clone(), server.ledger.clone());
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                ledger.lock().unwrap().connections += 1;
                tokio::spawn(serve_connection(stream, plan.clone(), ledger.clone()));
            }
        });
        server
    }

    /// Requests that arrived (attempts, not logical calls).
    pub fn arrivals(&self) -> usize {
        self.ledger.lock().unwrap().arrivals
    }

    /// Connections accepted.
    pub fn connections(&self) -> usize {
        self.ledger.lock().unwrap().connections
    }

    /// How many requests each fault hit (`none` included).
    pub fn faults(&self) -> BTreeMap<Fault, usize> {
        self.ledger.lock().unwrap().faults.clone()
    }

    /// How many times the POST with logical id `id` was applied.
    pub fn applied(&self, id: &str) -> u32 {
        self.ledger
            .lock()
            .unwrap()
            .applied
            .get(id)
            .copied()
            .unwrap_or(0)
    }

    /// Logical ids applied more than once.
    pub fn applied_twice(&self) -> Vec<String> {
        let ledger = self.ledger.lock().unwrap();
        let mut ids: Vec<String> = ledger
            .applied
            .iter()
            .filter(|(_, n)| **n > 1)
            .map(|(id, _)| id.clone())
            .collect();
        ids.sort();
        ids
    }

    /// The idempotency key of every arrival that carried one, in arrival order.
    pub fn keys_seen(&self) -> Vec<String> {
        self.ledger.lock().unwrap().keys_seen.clone()
    }
}

/// One parsed request.
struct Incoming {
    method: String,
    path: String,
    idempotency_key: Option<String>,
    body: Vec<u8>,
}

async fn serve_connection(
    mut stream: TcpStream,
    plan: Arc<Mutex<FaultPlan>>,
    ledger: Arc<Mutex<Ledger>>,
) {
    let mut buf = Vec::new();
    loop {
        // Wait for the next request to start arriving (or for the client to hang up).
        if buf.is_empty() && !fill(&mut stream, &mut buf).await {
            return;
        }
        let fault = {
            let mut ledger = ledger.lock().unwrap();
            let arrival = ledger.arrivals;
            ledger.arrivals += 1;
            let fault = plan.lock().unwrap().next(arrival);
            *ledger.faults.entry(fault).or_default() += 1;
            fault
        };
        if fault == Fault::ResetBeforeRead {
            reset(stream);
            return;
        }
        let Some(incoming) = read_request(&mut stream, &mut buf).await else {
            return;
        };
        // Only scripted runs are short enough to keep every key (the soak measures memory).
        if let (Some(key), FaultPlan::Script(_)) =
            (&incoming.idempotency_key, &*plan.lock().unwrap())
        {
            ledger.lock().unwrap().keys_seen.push(key.clone());
        }
        let (status, body) = match fault {
            Fault::BadGateway => (502, UPSTREAM),
            Fault::Unavailable => (503, UPSTREAM),
            Fault::RateLimited => (429, UPSTREAM),
            _ => apply(&incoming, &ledger),
        };
        let extra = if fault == Fault::RateLimited {
            "retry-after: 1\r\nretry-after-ms: 20\r\n"
        } else {
            ""
        };
        let head = format!(
            "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\n{extra}\r\n",
            body.len()
        );
        // A HEAD answer has the headers of a GET and no body.
        let body = if incoming.method == "HEAD" { "" } else { body };
        let written = match fault {
            Fault::ResetAfterRead => {
                reset(stream);
                return;
            }
            Fault::CloseWithoutAnswer => return,
            Fault::TruncatedBody => {
                let cut = &body.as_bytes()[..body.len() / 2];
                let _ = stream.write_all(&[head.as_bytes(), cut].concat()).await;
                let _ = stream.shutdown().await;
                return;
            }
            Fault::SlowBody => write_slowly(&mut stream, &head, body).await,
            _ => stream
                .write_all(&[head.as_bytes(), body.as_bytes()].concat())
                .await
                .is_ok(),
        };
        if !written || fault == Fault::CloseWhenIdle {
            return;
        }
    }
}

/// Applies a request: a GET reads an account; a POST applies its logical id once per
/// idempotency key (a replayed key gets the stored answer, applying nothing).
fn apply(incoming: &Incoming, ledger: &Mutex<Ledger>) -> (u16, &'static str) {
    if !matches!(incoming.method.as_str(), "POST" | "PATCH") {
        return if incoming.path.starts_with("/v1/accounts/") {
            (200, ACCOUNT)
        } else {
            (
                404,
                r#"{"error":{"code":"not_found","message":"no route","request_id":"chaos"}}"#,
            )
        };
    }
    let Some(id) = serde_json::from_slice::<serde_json::Value>(&incoming.body)
        .ok()
        .and_then(|v| v.get("post_id")?.as_str().map(str::to_owned))
    else {
        return (
            400,
            r#"{"error":{"code":"invalid_parameters","message":"no post_id","request_id":"chaos"}}"#,
        );
    };
    let mut ledger = ledger.lock().unwrap();
    if let Some(key) = &incoming.idempotency_key {
        if ledger.keys.contains_key(key) {
            return (201, APPLIED);
        }
        ledger.keys.insert(key.clone(), id.clone());
    }
    *ledger.applied.entry(id).or_default() += 1;
    (201, APPLIED)
}

/// Reads more bytes into `buf`; false when the peer closed or the read failed.
async fn fill(stream: &mut TcpStream, buf: &mut Vec<u8>) -> bool {
    let mut chunk = [0u8; 4096];
    match stream.read(&mut chunk).await {
        Ok(0) | Err(_) => false,
        Ok(n) => {
            buf.extend_from_slice(&chunk[..n]);
            true
        }
    }
}

/// Reads one request (head and `Content-Length` body) from `buf` and the stream, leaving any
/// bytes of a following request in `buf`.
async fn read_request(stream: &mut TcpStream, buf: &mut Vec<u8>) -> Option<Incoming> {
    loop {
        let mut headers = [httparse::EMPTY_HEADER; 32];
        let mut req = httparse::Request::new(&mut headers);
        match req.parse(buf).ok()? {
            httparse::Status::Complete(head_len) => {
                let header = |name: &str| {
                    req.headers
                        .iter()
                        .find(|h| h.name.eq_ignore_ascii_case(name))
                        .and_then(|h| std::str::from_utf8(h.value).ok())
                        .map(str::to_owned)
                };
                let length: usize = header("content-length")
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(0);
                let method = req.method?.to_owned();
                let path = req.path?.to_owned();
                let idempotency_key = header("idempotency-key");
                while buf.len() < head_len + length {
                    if !fill(stream, buf).await {
                        return None;
                    }
                }
                let body = buf[head_len..head_len + length].to_vec();
                buf.drain(..head_len + length);
                return Some(Incoming {
                    method,
                    path,
                    idempotency_key,
                    body,
                });
            }
            httparse::Status::Partial => {
                if !fill(stream, buf).await {
                    return None;
                }
            }
        }
    }
}

/// Closes with a TCP reset (RST) instead of an orderly FIN.
fn reset(stream: TcpStream) {
    let _ = stream.set_zero_linger();
    drop(stream);
}

async fn write_slowly(stream: &mut TcpStream, head: &str, body: &str) -> bool {
    if stream.write_all(head.as_bytes()).await.is_err() {
        return false;
    }
    for piece in body.as_bytes().chunks(body.len().div_ceil(4).max(1)) {
        tokio::time::sleep(Duration::from_millis(5)).await;
        if stream.write_all(piece).await.is_err() {
            return false;
        }
    }
    true
}
