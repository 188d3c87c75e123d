//! A stub as generated code holds it: a handle on one entry of the server's registry that
//! each builder method changes in place, so a stub works as soon as it is made and needs no
//! `mount` call. [`Stub`] gives every generated stub type the methods that do not depend on
//! the operation.

use super::recorded::RecordedRequest;
use super::registry::{Expect, Matcher, Registry, Replies};
use super::reply::Reply;
use crate::query::{self, ParamStyle};
use serde::Serialize;
use std::sync::Arc;

/// One stub in a stub server; cheap to clone (clones change the same stub).
#[derive(Clone)]
pub struct StubHandle {
    registry: Arc<Registry>,
    index: usize,
}

impl std::fmt::Debug for StubHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "StubHandle(#{})", self.index + 1)
    }
}

impl StubHandle {
    pub(crate) fn new(registry: Arc<Registry>, index: usize) -> Self {
        Self { registry, index }
    }

    /// Appends an answer to the stub's sequence (the last one repeats).
    pub fn push_reply(&self, reply: Reply) {
        self.registry
            .edit(self.index, |stub| match &mut stub.replies {
                Replies::Sequence(replies) => replies.push(reply),
                // Pages were set: a plain answer replaces them, as the later call.
                Replies::ByCursor { .. } => stub.replies = Replies::Sequence(vec![reply]),
            });
    }

    /// Answers by the value of query parameter `param`: each page with the cursor that selects
    /// it (`None` for the first page, which is asked for without one).
    pub fn set_pages(&self, param: &'static str, pages: Vec<(Option<String>, Reply)>) {
        let pages = pages.into_iter().map(|(c, r)| (c, r, 0)).collect();
        self.registry.edit(self.index, |stub| {
            stub.replies = Replies::ByCursor { param, pages };
        });
    }

    /// Serves `pages` as JSON with `status` by the cursor in query parameter `param`: the
    /// first to a request without one, each later page to the cursor that `next_cursor` reads
    /// from the page before it.
    pub fn serve_pages<P: Serialize>(
        &self,
        param: &'static str,
        status: u16,
        pages: impl IntoIterator<Item = P>,
        next_cursor: impl Fn(&P) -> Option<String>,
    ) {
        let mut selector = None;
        let mut served = Vec::new();
        for page in pages {
            let next = next_cursor(&page);
            served.push((selector, Reply::json(status, &page)));
            selector = next;
        }
        self.set_pages(param, served);
    }

    /// Adds a condition the request must meet; `label` describes it in messages.
    pub fn add_matcher(
        &self,
        label: String,
        test: impl Fn(&RecordedRequest) -> bool + Send + Sync + 'static,
    ) {
        let matcher = Matcher {
            label,
            test: Arc::new(test),
        };
        self.registry
            .edit(self.index, |stub| stub.matchers.push(matcher));
    }

    /// Matches path parameter `name` of the template, compared as the client encodes it.
    pub fn match_path_param(&self, name: &'static str, value: &impl Serialize) {
        let text = serde_json::to_value(value)
            .ok()
            .and_then(|v| query::scalar_text(&v))
            .unwrap_or_default();
        self.add_matcher(format!("{name} = {text:?}"), move |request| {
            request.path_param(name) == Some(text.as_str())
        });
    }

    /// Matches query parameter `name`: the request's values for it are exactly those the
    /// client sends for `value` in this style (a `None` value matches its absence).
    pub fn match_query_param(
        &self,
        name: &'static str,
        value: &impl Serialize,
        style: ParamStyle,
        explode: bool,
    ) {
        let mut expected = Vec::new();
        let encoded = serde_json::to_value(value)
            .map_err(|e| e.to_string())
            .and_then(|v| query::encode(name, &v, style, explode, &mut expected));
        if let Err(message) = encoded {
            // A value the client could not send either never matches; the label says why.
            self.add_matcher(format!("{name} (unusable: {message})"), |_| false);
            return;
        }
        let label = match expected.as_slice() {
            [] => format!("no {name}"),
            pairs => pairs
                .iter()
                .map(|(k, v)| format!("{k}={v:?}"))
                .collect::<Vec<_>>()
                .join(" "),
        };
        let prefix = format!("{name}[");
        self.add_matcher(label, move |request| {
            let sent: Vec<&(String, String)> = request
                .query_pairs()
                .iter()
                .filter(|(k, _)| *k == name || k.starts_with(&prefix))
                .collect();
            sent.len() == expected.len() && sent.iter().zip(&expected).all(|(a, b)| *a == b)
        });
    }

    /// Answers at most `n` calls, and expects exactly `n`.
    pub fn set_times(&self, n: usize) {
        self.registry.edit(self.index, |stub| {
            stub.limit = Some(n);
            stub.expect = Expect::Exactly(n);
        });
    }

    /// Expects nothing: `verify` passes whether or not the stub was called.
    pub fn set_optional(&self) {
        self.registry
            .edit(self.index, |stub| stub.expect = Expect::Any);
    }

    /// The requests this stub answered, in order.
    pub fn recorded(&self) -> Vec<RecordedRequest> {
        self.registry.calls(self.index)
    }
}

/// The methods every generated stub has. Each changes the stub in place and returns it, so
/// calls chain: `mock.accounts().list().fails(502, "upstream", "down").returns(page)`.
pub trait Stub: Sized {
    /// The recorded call this operation's stub hands back, with its typed body.
    type Call: From<RecordedRequest>;

    /// The untyped stub underneath.
    fn handle(&self) -> &StubHandle;

    /// Answers with the error envelope `{"error": {"code", "message"}}` and `status`: the
    /// client returns an [`Error::Api`](crate::Error::Api) with this code, message and
    /// status. Appended to the stub's sequence of answers; the last answer repeats.
    fn fails(self, status: u16, code: &str, message: &str) -> Self {
        self.handle()
            .push_reply(Reply::error(status, code, message));
        self
    }

    /// Answers with a reply built by hand (any status, headers and body), appended to the
    /// stub's sequence.
    fn reply(self, reply: Reply) -> Self {
        self.handle().push_reply(reply);
        self
    }

    /// Answers at most `n` calls (later calls fall through to the next stub that fits), and
    /// `verify` expects exactly `n`. Without it a stub answers any number of calls and is
    /// expected at least once.
    fn times(self, n: usize) -> Self {
        self.handle().set_times(n);
        self
    }

    /// Lets `verify` pass even if the stub is never called.
    fn optional(self) -> Self {
        self.handle().set_optional();
        self
    }

    /// Answers only requests for which `condition` holds, given the typed call.
    fn matching(self, condition: impl Fn(&Self::Call) -> bool + Send + Sync + 'static) -> Self {
        self.handle()
            .add_matcher("a `.matching(..)` condition".into(), move |request| {
                condition(&Self::Call::from(request.clone()))
            });
        self
    }

    /// The calls this stub answered, in order, typed.
    fn calls(&self) -> Vec<Self::Call> {
        self.handle()
            .recorded()
            .into_iter()
            .map(Self::Call::from)
            .collect()
    }
}

/// An untyped stub of one operation, made by name
/// ([`StubServer::stub_operation`](super::StubServer::stub_operation)): every [`Stub`]
/// method, with the recorded request as its call, and `.returns_example()`.
#[derive(Debug, Clone)]
pub struct OperationStub {
    handle: StubHandle,
    example: Reply,
}

impl OperationStub {
    pub(crate) fn new(handle: StubHandle, example: Reply) -> Self {
        Self { handle, example }
    }

    /// Answers with the operation's documented success response: its status and example
    /// (the media type's, or its schema's; one made from the schema where there is none).
    pub fn returns_example(self) -> Self {
        self.handle.push_reply(self.example.clone());
        self
    }
}

impl Stub for OperationStub {
    type Call = RecordedRequest;

    fn handle(&self) -> &StubHandle {
        &self.handle
    }
}
