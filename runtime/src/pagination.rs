//! Lazy cursor pagination over any list operation.

use super::error::{Error, Result};
use futures_core::Stream;
use futures_util::stream::{self, TryStreamExt};
use std::collections::HashSet;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

/// The stream `.pages()` and `.items()` of a list operation return: `Unpin`, so
/// `try_next()` and `try_collect()` work on it as it is, no `pin!` needed; `Send`, so it can
/// be moved into a spawned task. Lazy: one page is in memory at a time, and dropping the
/// stream stops further requests. (One allocation per stream, none per page or item.)
#[must_use = "a stream does nothing until it is polled (`try_next().await`)"]
pub struct Paginated<T> {
    inner: Pin<Box<dyn Stream<Item = Result<T>> + Send>>,
}

impl<T> Paginated<T> {
    /// Boxes `stream`.
    pub fn new(stream: impl Stream<Item = Result<T>> + Send + 'static) -> Self {
        Self {
            inner: Box::pin(stream),
        }
    }
}

impl<T> Stream for Paginated<T> {
    type Item = Result<T>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<T>>> {
        self.inner.as_mut().poll_next(cx)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.inner.size_hint()
    }
}

impl<T> fmt::Debug for Paginated<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Paginated")
    }
}

enum Next {
    Fetch(Option<String>),
    Fail(Error),
    Done,
}

/// Streams pages: `fetch(request, cursor)` loads one page and returns it with the next cursor.
/// One page is held at a time; dropping the stream stops further requests. The stream ends on a
/// missing or empty cursor, and fails with [`Error::Pagination`] (after delivering the page) when
/// the server hands out a cursor it already gave.
pub fn pages<R, P, F, Fut>(request: R, fetch: F) -> impl Stream<Item = Result<P>>
where
    R: Clone,
    F: Fn(R, Option<String>) -> Fut,
    Fut: Future<Output = Result<(P, Option<String>)>>,
{
    let seen = HashSet::<String>::new();
    stream::unfold(
        (Next::Fetch(None), seen, request, fetch),
        |(next, mut seen, request, fetch)| async move {
            let cursor = match next {
                Next::Done => return None,
                Next::Fail(e) => return Some((Err(e), (Next::Done, seen, request, fetch))),
                Next::Fetch(c) => c,
            };
            match fetch(request.clone(), cursor).await {
                Err(e) => Some((Err(e), (Next::Done, seen, request, fetch))),
                Ok((page, cursor)) => {
                    let next = match cursor.filter(|c| !c.is_empty()) {
                        None => Next::Done,
                        Some(c) if seen.contains(&c) => Next::Fail(Error::Pagination(format!(
                            "the server repeated the cursor `{c}`"
                        ))),
                        Some(c) => {
                            seen.insert(c.clone());
                            Next::Fetch(Some(c))
                        }
                    };
                    Some((Ok(page), (next, seen, request, fetch)))
                }
            }
        },
    )
}

/// [`pages`] for a generated request builder: `send` loads one page, `set_cursor` points the
/// builder at a cursor, `next_cursor` reads the next one from a page. The one async block is
/// here, so generated builders carry none of their own. The three come as closures of their
/// own types rather than `fn` pointers, so that nothing of them is compiled with the library
/// unless a program reads the pages.
#[doc(hidden)]
pub fn builder_pages<B, P, Fut, SendPage, SetCursor, NextCursor>(
    builder: B,
    send: SendPage,
    set_cursor: SetCursor,
    next_cursor: NextCursor,
) -> impl Stream<Item = Result<P>>
where
    B: Clone,
    Fut: Future<Output = Result<P>>,
    SendPage: Fn(B) -> Fut,
    SetCursor: Fn(&mut B, String),
    NextCursor: Fn(&P) -> Option<String> + Clone,
{
    pages(builder, move |mut builder: B, cursor: Option<String>| {
        if let Some(cursor) = cursor {
            set_cursor(&mut builder, cursor);
        }
        let page = send(builder);
        let next_cursor = next_cursor.clone();
        async move {
            let page = page.await?;
            let next = next_cursor(&page);
            Ok((page, next))
        }
    })
}

/// Flattens a stream of pages into a stream of items.
pub fn items<P, I>(
    pages: impl Stream<Item = Result<P>>,
    into_items: impl Fn(P) -> Vec<I>,
) -> impl Stream<Item = Result<I>> {
    pages
        .map_ok(move |page| stream::iter(into_items(page).into_iter().map(Ok)))
        .try_flatten()
}
