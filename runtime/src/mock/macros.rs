//! What every generated `mock.rs` repeats per operation and per group, written once here as
//! macros expanded in place: the stub and recorded-call types with their plumbing, and the
//! answer-setting and matching methods whose shape does not depend on the operation. The
//! generated file names only what differs (types, wire names, statuses), and keeps as plain
//! code the rare shapes (a response enum, error bodies that differ by status).

/// A group's stub accessor: `pub struct $stubs` over the server, with one method per
/// operation making that operation's stub from its row in the file's `OPERATIONS` table.
///
/// `$group` is the client's accessor name (`accounts`); each entry is
/// `method(Stub, row, "GET /path")`, with the operation's attributes (a `cfg`) before it.
/// Grammar: see `MACROS.md` in this crate.
#[doc(hidden)]
#[macro_export]
macro_rules! __mock_group_stubs {
    (
        $stubs:ident, $group:literal {
            $( $(#[$attr:meta])* $method:ident($stub:ident, $row:literal, $what:literal) ),* $(,)?
        }
    ) => {
        #[doc = concat!("Stubs of the `", $group, "` operations; get one with `mock.", $group, "()`.")]
        #[derive(Debug, Clone, Copy)]
        pub struct $stubs<'a> {
            pub(super) server: &'a $crate::mock::StubServer,
        }
        impl $stubs<'_> {
            $(
                $(#[$attr])*
                #[doc = concat!("A stub of `", $what, "`, as `client.", $group, "().", stringify!($method), "(..)` calls it.")]
                pub fn $method(&self) -> $stub {
                    $stub { handle: self.server.stub(&super::OPERATIONS[$row]) }
                }
            )*
        }
    };
}

/// One operation's stub (`$stub`) and recorded call (`$call`): a generated `mock.rs` writes
/// one per operation, with optional sections (`returns`, `fails_with`, `path`, `query`,
/// `pages`, `body`) that add the methods of the operation's shapes.
/// Grammar: see `MACROS.md` in this crate.
#[doc(hidden)]
#[macro_export]
macro_rules! __mock_operation_stub {
    (
        $stub:ident, $call:ident, $what:literal, $id:literal
        $(, returns($($returns:tt)*))?
        $(, fails_with($error:ty, $codes:literal))?
        $(, path($($pname:ident $pwire:literal $(($pdoc:literal))?: $parg:ty => $pty:ty),* $(,)?))?
        $(, query($($qname:ident $qwire:literal $(($qdoc:literal))?: $qarg:ty => $qty:ty, $qstyle:ident, $qexplode:literal);* $(;)?))?
        $(, pages($page:ty, $pcode:literal, $cursor:literal $(($cdoc:literal))?, $next_wire:literal, |$p:ident| $next:expr))?
        $(, body($($body:tt)*))?
        $(,)?
    ) => {
        #[doc = concat!("A stub of `", $what, "` (operation `", $id, "`). Each answer-setting call appends to its sequence of answers; the last one repeats.")]
        #[derive(Debug, Clone)]
        pub struct $stub {
            handle: $crate::mock::StubHandle,
        }
        impl $crate::mock::Stub for $stub {
            type Call = $call;
            fn handle(&self) -> &$crate::mock::StubHandle {
                &self.handle
            }
        }
        impl $stub {
            $($crate::__mock_returns!($($returns)*);)?
            $(
                #[doc = concat!("Answers `status` with this error body (documented for ", $codes, ").")]
                pub fn fails_with(self, status: u16, body: impl ::std::convert::Into<$error>) -> Self {
                    let body: $error = body.into();
                    self.handle.push_reply($crate::mock::Reply::json(status, &body));
                    self
                }
            )?
            $($(
                #[doc = concat!("Answers only requests whose path parameter `", $crate::doc_text!($($pdoc)? $pwire), "` is `value`.")]
                pub fn $pname(self, value: $parg) -> Self {
                    let value: $pty = value.into();
                    self.handle.match_path_param($pwire, &value);
                    self
                }
            )*)?
            $($(
                #[doc = concat!("Answers only requests whose query parameter `", $crate::doc_text!($($qdoc)? $qwire), "` is `value`.")]
                pub fn $qname(self, value: $qarg) -> Self {
                    let value: $qty = value.into();
                    self.handle.match_query_param($qwire, &value, $crate::ParamStyle::$qstyle, $qexplode);
                    self
                }
            )*)?
            $(
                #[doc = concat!(
                    "Serves these pages by cursor: the first to a request without `",
                    $crate::doc_text!($($cdoc)? $cursor),
                    "`, each next one to the `",
                    $crate::doc_text!($($cdoc)? $cursor),
                    "` the page before it gives (`", $next_wire, "`). `verify` expects every page to be read."
                )]
                pub fn pages(self, pages: impl ::std::iter::IntoIterator<Item = $page>) -> Self {
                    self.handle.serve_pages($cursor, $pcode, pages, |$p: &$page| $next);
                    self
                }
            )?
        }
        #[doc = concat!("A call of `", $what, "` the mock answered: the recorded request (its methods through `Deref`), and its body decoded.")]
        #[derive(Debug, Clone)]
        pub struct $call {
            request: $crate::mock::RecordedRequest,
        }
        impl ::std::convert::From<$crate::mock::RecordedRequest> for $call {
            fn from(request: $crate::mock::RecordedRequest) -> Self {
                Self { request }
            }
        }
        impl ::std::ops::Deref for $call {
            type Target = $crate::mock::RecordedRequest;
            fn deref(&self) -> &Self::Target {
                &self.request
            }
        }
        $(impl $call {
            $crate::__mock_body!($($body)*);
        })?
    };
}

/// `.returns(..)` of a stub with one success response, by the kind of its body.
/// Grammar: see `MACROS.md` in this crate.
#[doc(hidden)]
#[macro_export]
macro_rules! __mock_returns {
    (json $code:literal, $body:ty) => {
        #[doc = concat!("Answers ", $code, " with this body.")]
        pub fn returns(self, body: impl ::std::convert::Into<$body>) -> Self {
            let body: $body = body.into();
            self.handle
                .push_reply($crate::mock::Reply::json($code, &body));
            self
        }
    };
    (text $code:literal) => {
        #[doc = concat!("Answers ", $code, " with this body.")]
        pub fn returns(self, body: impl ::std::convert::Into<::std::string::String>) -> Self {
            self.handle.push_reply(
                $crate::mock::Reply::status($code).body("text/plain; charset=utf-8", body.into()),
            );
            self
        }
    };
    (binary $code:literal) => {
        #[doc = concat!("Answers ", $code, " with this body.")]
        pub fn returns(self, body: impl ::std::convert::Into<$crate::Bytes>) -> Self {
            self.handle.push_reply(
                $crate::mock::Reply::status($code).body("application/octet-stream", body.into()),
            );
            self
        }
    };
    (empty $code:literal) => {
        #[doc = concat!("Answers ", $code, " with no body.")]
        pub fn returns(self) -> Self {
            self.handle.push_reply($crate::mock::Reply::status($code));
            self
        }
    };
}

/// `.body()` of a recorded call, by the encoding of the operation's default request body.
/// Grammar: see `MACROS.md` in this crate.
#[doc(hidden)]
#[macro_export]
macro_rules! __mock_body {
    (json $ty:ty, $content_type:literal) => {
        #[doc = concat!("The request body, decoded as the body type (its `", $content_type, "` encoding); the error says where it does not fit.")]
        pub fn body(&self) -> ::std::result::Result<$ty, $crate::mock::BodyError> {
            self.request.json()
        }
    };
    (form $ty:ty, $content_type:literal) => {
        #[doc = concat!("The request body, decoded as the body type (its `", $content_type, "` encoding); the error says where it does not fit.")]
        pub fn body(&self) -> ::std::result::Result<$ty, $crate::mock::BodyError> {
            self.request.form()
        }
    };
    (multipart, $content_type:literal) => {
        #[doc = concat!("The request body, decoded as its parts (its `", $content_type, "` encoding); the error says where it does not fit.")]
        pub fn body(
            &self,
        ) -> ::std::result::Result<$crate::mock::MultipartForm, $crate::mock::BodyError> {
            self.request.multipart()
        }
    };
    (text, $content_type:literal) => {
        #[doc = concat!("The request body, decoded as the body type (its `", $content_type, "` encoding); the error says where it does not fit.")]
        pub fn body(&self) -> ::std::result::Result<::std::string::String, $crate::mock::BodyError> {
            self.request.text().map(::std::borrow::ToOwned::to_owned)
        }
    };
    (bytes, $content_type:literal) => {
        #[doc = concat!("The request body, decoded as the body type (its `", $content_type, "` encoding); the error says where it does not fit.")]
        pub fn body(&self) -> ::std::result::Result<$crate::Bytes, $crate::mock::BodyError> {
            ::std::result::Result::Ok(self.request.raw_body().clone())
        }
    };
}

#[doc(hidden)]
pub use crate::__mock_group_stubs as group_stubs;
#[doc(hidden)]
pub use crate::__mock_operation_stub as operation_stub;

#[cfg(test)]
mod tests {
    //! Shapes the repository's own API document does not use, expanded here as a generated
    //! `mock.rs` would, and served to a plain HTTP client on loopback.
    use crate::mock::{Operation, Stub, StubServer};
    use std::collections::BTreeMap;

    static OPERATIONS: &[Operation] = &[
        Operation::new("readNote", "GET", "/notes/{id}"),
        Operation::new("uploadRaw", "PUT", "/raw"),
        Operation::new("ping", "POST", "/ping"),
        Operation::new("writeText", "POST", "/text"),
        Operation::new("sendParts", "POST", "/parts"),
    ];

    mod shapes {
        crate::mock::group_stubs!(ShapeStubs, "shapes" {
            note(NoteStub, 0, "GET /notes/{id}"),
            raw(RawStub, 1, "PUT /raw"),
            ping(PingStub, 2, "POST /ping"),
            text(TextStub, 3, "POST /text"),
            parts(PartsStub, 4, "POST /parts"),
        });
        crate::mock::operation_stub!(
            NoteStub, NoteCall, "GET /notes/{id}", "readNote", returns(text 200),
            path(with_id "id" ("i d"): impl Into<String> => String),
            query(with_page_size "page\nsize" ("page size"): i64 => i64, Form, true)
        );
        crate::mock::operation_stub!(
            RawStub, RawCall, "PUT /raw", "uploadRaw", returns(binary 201),
            body(bytes, "application/octet-stream")
        );
        crate::mock::operation_stub!(
            PingStub, PingCall, "POST /ping", "ping", returns(empty 204),
            body(form super::BTreeMap<String, String>, "application/x-www-form-urlencoded")
        );
        crate::mock::operation_stub!(
            TextStub,
            TextCall,
            "POST /text",
            "writeText",
            body(text, "text/plain")
        );
        crate::mock::operation_stub!(
            PartsStub,
            PartsCall,
            "POST /parts",
            "sendParts",
            body(multipart, "multipart/form-data")
        );
    }

    #[tokio::test]
    async fn text_binary_empty_answers_and_form_bytes_text_multipart_bodies() {
        let server = StubServer::start(OPERATIONS).await.unwrap();
        let stubs = shapes::ShapeStubs { server: &server };
        let note = stubs
            .note()
            .with_id("n 1")
            .with_page_size(5)
            .returns("hello");
        let raw = stubs.raw().returns(vec![0u8, 159, 255]);
        let ping = stubs.ping().returns();
        let text = stubs.text().reply(crate::mock::Reply::status(202));
        let parts = stubs.parts().reply(crate::mock::Reply::status(200));
        let http = reqwest::Client::new();
        let base = server.base_url();

        let answer = http
            .get(format!("{base}/notes/n%201?page%0Asize=5"))
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), 200);
        assert_eq!(
            answer.headers()["content-type"],
            "text/plain; charset=utf-8"
        );
        assert_eq!(answer.text().await.unwrap(), "hello");

        let answer = http
            .put(format!("{base}/raw"))
            .body(vec![1u8, 2])
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), 201);
        assert_eq!(answer.bytes().await.unwrap().as_ref(), &[0u8, 159, 255]);
        assert_eq!(raw.calls()[0].body().unwrap().as_ref(), &[1u8, 2]);

        let answer = http
            .post(format!("{base}/ping"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body("a=1&b=two")
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), 204);
        let form = ping.calls()[0].body().unwrap();
        assert_eq!(form.get("b").map(String::as_str), Some("two"));

        http.post(format!("{base}/text"))
            .body("plain words")
            .send()
            .await
            .unwrap();
        assert_eq!(text.calls()[0].body().unwrap(), "plain words");

        let form = reqwest::multipart::Form::new().text("note", "hi");
        http.post(format!("{base}/parts"))
            .multipart(form)
            .send()
            .await
            .unwrap();
        assert_eq!(parts.calls()[0].body().unwrap().text("note"), Some("hi"));

        assert_eq!(note.calls().len(), 1);
        server.verify();
    }
}
