//! The HTTP side: hyper's HTTP/1 server on an ephemeral loopback port, handing each request,
//! read whole, to the registry. Dropping the server stops it and every open connection.

use super::contract::Contract;
use super::recorded::RecordedRequest;
use super::registry::{Registry, VerifyError};
use super::reply::Reply;
use super::route::Operation;
use super::stub::{OperationStub, StubHandle};
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::net::TcpListener;
use tokio::task::{JoinHandle, JoinSet};

/// A stub server for the operations of one document. Generated code wraps it in a typed
/// `MockServer`; use that.
pub struct StubServer {
    registry: Arc<Registry>,
    address: SocketAddr,
    accept: JoinHandle<()>,
    verify_on_drop: bool,
}

impl std::fmt::Debug for StubServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "StubServer({})", self.address)
    }
}

impl StubServer {
    /// Binds `127.0.0.1` on a free port and starts serving; `operations` are the document's,
    /// so that every request can be named by its operation. Requests are not validated:
    /// see [`start_with_document`](Self::start_with_document).
    pub async fn start(operations: &'static [Operation]) -> std::io::Result<Self> {
        Self::serve(operations, None).await
    }

    /// As [`start`](Self::start), and every request is checked against its operation in
    /// `document` (the OpenAPI 3.0 or 3.1 document as JSON) before a stub answers: a request
    /// that does not fit is answered 400 with the error envelope naming the operation, the
    /// parameter or part and the rule it broke, is recorded, and fails [`check`](Self::check).
    /// A document that does not parse is an `InvalidData` error. The document is parsed once
    /// per process, and each schema compiled on first use.
    pub async fn start_with_document(
        operations: &'static [Operation],
        document: &'static str,
    ) -> std::io::Result<Self> {
        let contract = Contract::shared(document)
            .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))?;
        Self::serve(operations, Some(contract)).await
    }

    async fn serve(
        operations: &'static [Operation],
        contract: Option<Arc<Contract>>,
    ) -> std::io::Result<Self> {
        let listener = TcpListener::bind(("127.0.0.1", 0)).await?;
        let address = listener.local_addr()?;
        let registry = Arc::new(Registry::new(operations, contract));
        let accept = tokio::spawn(accept_loop(listener, registry.clone()));
        Ok(Self {
            registry,
            address,
            accept,
            verify_on_drop: true,
        })
    }

    /// `http://127.0.0.1:<port>`, the base URL to point a client at.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.address)
    }

    /// A new stub for `operation`, answering nothing until given an answer.
    pub fn stub(&self, operation: &'static Operation) -> StubHandle {
        StubHandle::new(self.registry.clone(), self.registry.add(operation))
    }

    /// An untyped stub of the operation with this id (its `operationId`), for tests that
    /// answer many operations without a typed body each (a contract test):
    /// `.returns_example()` answers with the documented example. `None` for an unknown id.
    pub fn stub_operation(&self, id: &str) -> Option<OperationStub> {
        let operation = self.registry.operations.iter().find(|op| op.id == id)?;
        Some(OperationStub::new(
            self.stub(operation),
            self.registry.example(operation),
        ))
    }

    /// Answers every request that no stub matches, for an operation of the document, with
    /// the operation's documented success example instead of a 501 (such a request is not
    /// counted as unmatched). Stubs still answer first, whenever they are made.
    pub fn answer_all_from_examples(&self) {
        self.registry.set_examples(true);
    }

    /// Whether requests are checked against the document before a stub answers (on by
    /// default for a server started with one; a server without one never checks). Turn it
    /// off for a test that sends what the document forbids on purpose.
    pub fn validate_requests(&self, on: bool) {
        self.registry.set_validating(on);
    }

    /// Whether requests are being checked against the document.
    pub fn validates_requests(&self) -> bool {
        self.registry.validating()
    }

    /// The requests refused because they do not fit the document, with
    /// [`refusal`](RecordedRequest::refusal) saying why.
    pub fn refused(&self) -> Vec<RecordedRequest> {
        self.registry.refused()
    }

    /// Every request received, in order, matched or not.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.registry.requests()
    }

    /// The requests no stub matched.
    pub fn unmatched(&self) -> Vec<RecordedRequest> {
        self.registry.unmatched()
    }

    /// Forgets every stub and every recorded request.
    pub fn reset(&self) {
        self.registry.reset();
    }

    /// `Ok` when every stub got the calls it expects (at least one, or exactly `n` after
    /// `.times(n)`; every page of `.pages(..)`), every request matched a stub, and none was
    /// refused as not fitting the document.
    pub fn check(&self) -> Result<(), VerifyError> {
        self.registry.check()
    }

    /// Panics with the list of failures unless [`check`](Self::check) is `Ok`.
    #[track_caller]
    pub fn verify(&self) {
        if let Err(e) = self.registry.check() {
            panic!("{e}");
        }
    }

    /// Whether dropping the server checks its expectations (on by default: a test that
    /// forgets `verify` still fails on a missed call).
    pub fn verify_on_drop(&mut self, on: bool) {
        self.verify_on_drop = on;
    }
}

impl Drop for StubServer {
    fn drop(&mut self) {
        self.accept.abort();
        // A test that ends without calling `verify` still fails on a missed expectation;
        // not while already unwinding, where a second panic would abort the test binary.
        if self.verify_on_drop
            && !std::thread::panicking()
            && let Err(e) = self.registry.check()
        {
            panic!("{e}");
        }
    }
}

/// Accepts connections until aborted; the connections live in a `JoinSet`, so aborting the
/// loop ends them too.
async fn accept_loop(listener: TcpListener, registry: Arc<Registry>) {
    let mut connections = JoinSet::new();
    loop {
        while connections.try_join_next().is_some() {}
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        let registry = registry.clone();
        connections.spawn(async move {
            let service = service_fn(move |request| serve(registry.clone(), request));
            // A connection the client drops mid-request is the client's business.
            let _ = http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

async fn serve(
    registry: Arc<Registry>,
    request: hyper::Request<Incoming>,
) -> Result<hyper::Response<Full<Bytes>>, Infallible> {
    let (parts, body) = request.into_parts();
    let reply = match body.collect().await {
        Ok(body) => {
            let query = parts
                .uri
                .query()
                .map(|q| {
                    url::form_urlencoded::parse(q.as_bytes())
                        .into_owned()
                        .collect()
                })
                .unwrap_or_default();
            registry.answer(RecordedRequest {
                method: parts.method.as_str().to_owned(),
                path: parts.uri.path().to_owned(),
                query,
                raw_query: parts.uri.query().unwrap_or_default().to_owned(),
                headers: parts.headers,
                body: body.to_bytes(),
                operation: None,
                path_params: Vec::new(),
                refusal: None,
            })
        }
        Err(e) => Reply::error(
            400,
            "mock_body",
            &format!("the request body could not be read: {e}"),
        ),
    };
    let mut response = hyper::Response::new(Full::new(reply.body));
    *response.status_mut() = reply.status;
    *response.headers_mut() = reply.headers;
    Ok(response)
}
