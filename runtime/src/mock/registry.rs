//! The stub server's memory: the stubs in the order they were made, every request received,
//! which stub answered it, and what `verify` reports. One mutex guards it all; requests are
//! answered one at a time, which keeps "the first stub that fits" well defined.

use super::contract::Contract;
use super::example;
use super::recorded::RecordedRequest;
use super::reply::Reply;
use super::route::{self, Operation};
use super::validate::{self, Refusal};
use std::fmt;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

/// A condition on requests, with the words that describe it in messages.
#[derive(Clone)]
pub(crate) struct Matcher {
    pub(crate) label: String,
    pub(crate) test: Arc<dyn Fn(&RecordedRequest) -> bool + Send + Sync>,
}

/// What a stub answers.
#[derive(Debug, Clone)]
pub(crate) enum Replies {
    /// In order, one per call; the last repeats.
    Sequence(Vec<Reply>),
    /// Chosen by the cursor query parameter `param`: `None` selects the first page.
    ByCursor {
        param: &'static str,
        pages: Vec<(Option<String>, Reply, usize)>,
    },
}

/// How many calls `verify` expects a stub to have answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Expect {
    AtLeastOnce,
    Exactly(usize),
    Any,
}

pub(crate) struct StubState {
    pub(crate) operation: &'static Operation,
    pub(crate) matchers: Vec<Matcher>,
    pub(crate) replies: Replies,
    pub(crate) limit: Option<usize>,
    pub(crate) expect: Expect,
    /// Indices into the recorded requests of the calls this stub answered.
    pub(crate) hits: Vec<usize>,
}

#[derive(Default)]
struct State {
    stubs: Vec<StubState>,
    requests: Vec<RecordedRequest>,
    unmatched: Vec<usize>,
    /// The requests validation refused.
    refused: Vec<usize>,
    /// Panics of `.matching(..)` closures: a failure for `verify`, a non-match meanwhile.
    panics: Vec<String>,
}

/// The shared memory of one stub server.
pub(crate) struct Registry {
    pub(crate) operations: &'static [Operation],
    /// The document requests are checked against, when the server has one.
    contract: Option<Arc<Contract>>,
    /// Whether requests are checked (on whenever there is a document, until turned off).
    validating: AtomicBool,
    /// Whether a request no stub matches is answered with its operation's documented example.
    examples: AtomicBool,
    state: Mutex<State>,
}

/// What `verify` found: every expectation that failed and every request no stub matched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifyError {
    /// One line per failure.
    pub failures: Vec<String>,
}

impl fmt::Display for VerifyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "the mock's expectations were not met:")?;
        for failure in &self.failures {
            writeln!(f, "  - {failure}")?;
        }
        Ok(())
    }
}

impl std::error::Error for VerifyError {}

impl Registry {
    pub(crate) fn new(operations: &'static [Operation], contract: Option<Arc<Contract>>) -> Self {
        Self {
            operations,
            validating: AtomicBool::new(contract.is_some()),
            contract,
            examples: AtomicBool::new(false),
            state: Mutex::new(State::default()),
        }
    }

    /// Turns checking requests against the document on or off (it stays off without one).
    pub(crate) fn set_validating(&self, on: bool) {
        self.validating
            .store(on && self.contract.is_some(), Ordering::SeqCst);
    }

    /// Whether requests are checked against the document.
    pub(crate) fn validating(&self) -> bool {
        self.validating.load(Ordering::SeqCst)
    }

    /// Answers requests no stub matches with their operation's documented example.
    pub(crate) fn set_examples(&self, on: bool) {
        self.examples.store(on, Ordering::SeqCst);
    }

    /// The documented answer of `operation`, or an error reply saying there is no document.
    pub(crate) fn example(&self, operation: &Operation) -> Reply {
        match &self.contract {
            Some(contract) => example::reply(contract, operation),
            None => Reply::error(
                501,
                "mock_no_example",
                &format!("{operation}: this mock was started without a document"),
            ),
        }
    }

    // A panicking `.matching(..)` closure runs under `catch_unwind`, so the lock is never
    // poisoned by one; taking the inner state keeps working even if something else did.
    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Adds a stub for `operation` with no answer yet; returns its index.
    pub(crate) fn add(&self, operation: &'static Operation) -> usize {
        let mut state = self.state();
        state.stubs.push(StubState {
            operation,
            matchers: Vec::new(),
            replies: Replies::Sequence(Vec::new()),
            limit: None,
            expect: Expect::AtLeastOnce,
            hits: Vec::new(),
        });
        state.stubs.len() - 1
    }

    /// Changes stub `index`.
    pub(crate) fn edit(&self, index: usize, change: impl FnOnce(&mut StubState)) {
        if let Some(stub) = self.state().stubs.get_mut(index) {
            change(stub);
        }
    }

    /// The requests stub `index` answered, in order.
    pub(crate) fn calls(&self, index: usize) -> Vec<RecordedRequest> {
        let state = self.state();
        let Some(stub) = state.stubs.get(index) else {
            return Vec::new();
        };
        stub.hits
            .iter()
            .filter_map(|&i| state.requests.get(i).cloned())
            .collect()
    }

    pub(crate) fn requests(&self) -> Vec<RecordedRequest> {
        self.state().requests.clone()
    }

    pub(crate) fn refused(&self) -> Vec<RecordedRequest> {
        let state = self.state();
        state
            .refused
            .iter()
            .filter_map(|&i| state.requests.get(i).cloned())
            .collect()
    }

    pub(crate) fn unmatched(&self) -> Vec<RecordedRequest> {
        let state = self.state();
        state
            .unmatched
            .iter()
            .filter_map(|&i| state.requests.get(i).cloned())
            .collect()
    }

    /// Forgets every stub and request.
    pub(crate) fn reset(&self) {
        *self.state() = State::default();
    }

    /// Records the request and answers it: with a 400 naming what does not fit when it
    /// breaks the document, else from the first stub that fits, else (with
    /// [`set_examples`](Self::set_examples)) from the document, else with an error that names
    /// the operation and lists the stubs.
    pub(crate) fn answer(&self, mut request: RecordedRequest) -> Reply {
        if let Some((op, params)) = route::find(self.operations, &request.method, &request.path) {
            request.operation = Some(op);
            request.path_params = params;
        }
        // Checked before taking the lock: compiling a schema on first use takes a while.
        let refusal = match (&self.contract, request.operation) {
            (Some(contract), Some(op)) if self.validating() => {
                validate::check(contract, op, &request).err()
            }
            _ => None,
        };
        let mut state = self.state();
        let index = state.requests.len();
        if let Some(refusal) = refusal {
            request.refusal = Some(refusal.message.clone());
            state.requests.push(request);
            state.refused.push(index);
            return refusal_reply(&refusal);
        }
        state.requests.push(request.clone());
        let State { stubs, panics, .. } = &mut *state;
        for stub in stubs.iter_mut() {
            if let Some(reply) = try_stub(stub, &request, panics) {
                stub.hits.push(index);
                return reply;
            }
        }
        if let Some(op) = request.operation
            && self.examples.load(Ordering::SeqCst)
        {
            drop(state);
            return self.example(op);
        }
        state.unmatched.push(index);
        Reply::error(
            501,
            "mock_unmatched",
            &unmatched_message(&request, &state.stubs),
        )
    }

    /// Every failed expectation, or `Ok`.
    pub(crate) fn check(&self) -> Result<(), VerifyError> {
        let state = self.state();
        let mut failures = Vec::new();
        for (n, stub) in state.stubs.iter().enumerate() {
            failures.extend(expectation_failure(n + 1, stub));
        }
        for &i in &state.refused {
            if let Some(request) = state.requests.get(i) {
                let why = request.refusal.as_deref().unwrap_or_default();
                failures.push(format!("{} was refused: {why}", request.describe()));
            }
        }
        for &i in &state.unmatched {
            if let Some(request) = state.requests.get(i) {
                failures.push(format!("{} matched no stub", request.describe()));
            }
        }
        failures.extend(state.panics.iter().cloned());
        if failures.is_empty() {
            Ok(())
        } else {
            Err(VerifyError { failures })
        }
    }
}

/// A refused request's answer: 400 with the engine's error envelope (the client reads its
/// message), plus the problems one by one.
fn refusal_reply(refusal: &Refusal) -> Reply {
    let body = serde_json::json!({
        "error": {
            "code": "mock_invalid_request",
            "message": refusal.message,
            "request_id": "mock-request",
            "problems": refusal.problems,
        }
    });
    Reply::status(400).body("application/json", body.to_string())
}

/// The reply of `stub` to `request`, when the stub fits it and has one left.
fn try_stub(
    stub: &mut StubState,
    request: &RecordedRequest,
    panics: &mut Vec<String>,
) -> Option<Reply> {
    if request.operation != Some(stub.operation) {
        return None;
    }
    if stub.limit.is_some_and(|limit| stub.hits.len() >= limit) {
        return None;
    }
    for matcher in &stub.matchers {
        match catch_unwind(AssertUnwindSafe(|| (matcher.test)(request))) {
            Ok(true) => {}
            Ok(false) => return None,
            Err(_) => {
                panics.push(format!(
                    "{} panicked while matching {}",
                    matcher.label,
                    request.describe()
                ));
                return None;
            }
        }
    }
    let calls = stub.hits.len();
    match &mut stub.replies {
        Replies::Sequence(replies) => replies
            .get(calls.min(replies.len().saturating_sub(1)))
            .cloned(),
        Replies::ByCursor { param, pages } => {
            let cursor = request.query(param).map(str::to_owned);
            let (_, reply, served) = pages.iter_mut().find(|(c, _, _)| *c == cursor)?;
            *served += 1;
            Some(reply.clone())
        }
    }
}

/// Why `stub` (number `n`, from 1) failed its expectation, if it did.
fn expectation_failure(n: usize, stub: &StubState) -> Vec<String> {
    let calls = stub.hits.len();
    let label = stub_label(n, stub);
    let mut failures = Vec::new();
    match &stub.replies {
        Replies::Sequence(replies) if replies.is_empty() => failures.push(format!(
            "{label} has no answer: give it `.returns(..)`, `.fails(..)` or `.reply(..)`"
        )),
        Replies::ByCursor { pages, param } if stub.expect != Expect::Any => {
            for (i, (cursor, _, served)) in pages.iter().enumerate() {
                if *served == 0 {
                    let selector = match cursor {
                        Some(c) => format!("`{param}={c}`"),
                        None => format!("no `{param}`"),
                    };
                    failures.push(format!(
                        "{label}: page {} ({selector}) was never requested",
                        i + 1
                    ));
                }
            }
        }
        _ => {}
    }
    match stub.expect {
        Expect::AtLeastOnce if calls == 0 && failures.is_empty() => {
            failures.push(format!("{label} was never called"));
        }
        Expect::Exactly(n) if calls != n => {
            failures.push(format!(
                "{label} was expected {n} call(s), and answered {calls}"
            ));
        }
        _ => {}
    }
    failures
}

/// `stub #2, operation `getAccount`: GET /accounts/{id} where id = "acc_1" (answered 0)`.
fn stub_label(n: usize, stub: &StubState) -> String {
    let mut label = format!("stub #{n}, {}", stub.operation);
    for (i, matcher) in stub.matchers.iter().enumerate() {
        label.push_str(if i == 0 { " where " } else { " and " });
        label.push_str(&matcher.label);
    }
    if let Some(limit) = stub.limit {
        label.push_str(&format!(" (at most {limit} call(s))"));
    }
    label
}

fn unmatched_message(request: &RecordedRequest, stubs: &[StubState]) -> String {
    let mut message = match request.operation {
        Some(op) => format!("no stub matches {} {} ({op})", request.method, request.path),
        None => format!(
            "no stub matches {} {}: it is not an operation of the document",
            request.method, request.path
        ),
    };
    if stubs.is_empty() {
        message.push_str("; there are no stubs");
        return message;
    }
    message.push_str("; the stubs are: ");
    let labels: Vec<String> = stubs
        .iter()
        .enumerate()
        .map(|(i, stub)| {
            let used = match stub.limit {
                Some(limit) if stub.hits.len() >= limit => ", used up",
                _ => "",
            };
            format!("[{}{used}]", stub_label(i + 1, stub))
        })
        .collect();
    message.push_str(&labels.join(", "));
    message
}
