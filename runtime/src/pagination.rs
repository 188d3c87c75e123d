//! Lazy cursor pagination over any list operation.

use super::departure::{Departure, Repair};
use super::error::{Error, Result};
use super::response::Response;
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

/// A page a generated builder fetched, with the items lenient decoding left out of its list.
#[doc(hidden)]
pub struct Fetched<P> {
    page: P,
    /// The departures that left out an item of the page's list (or the list itself), with
    /// each item's index as received (`None` for the list).
    left_out: Vec<(Option<usize>, Departure)>,
    request_id: Option<String>,
}

impl<P> Fetched<P> {
    /// Picks out of `response`'s departures those that left out an item of the list at
    /// `items_pointer` (a JSON pointer into the page) or the list itself.
    fn new(response: Response<P>, items_pointer: &str) -> Self {
        let left_out = response
            .departures()
            .iter()
            .filter(|d| d.repair == Repair::LeftOut)
            .filter_map(|d| {
                if items_pointer.starts_with(&d.pointer)
                    && (d.pointer.len() == items_pointer.len()
                        || items_pointer[d.pointer.len()..].starts_with('/'))
                {
                    return Some((None, d.clone()));
                }
                let index = d.pointer.strip_prefix(items_pointer)?.strip_prefix('/')?;
                Some((Some(index.parse().ok()?), d.clone()))
            })
            .collect();
        let request_id = response.request_id().map(str::to_owned);
        Self {
            page: response.into_body(),
            left_out,
            request_id,
        }
    }

    fn error(&self, departure: Departure) -> Error {
        Error::Item {
            departure: Box::new(departure),
            request_id: self.request_id.clone(),
        }
    }
}

/// [`pages`] for a generated request builder: `send` loads one page (with its response, for
/// the departures), `set_cursor` points the builder at a cursor, `next_cursor` reads the next
/// one from a page, and `items_pointer` is where the page keeps its list. The one async block
/// is here, so generated builders carry none of their own. The three come as closures of
/// their own types rather than `fn` pointers, so that nothing of them is compiled with the
/// library unless a program reads the pages.
#[doc(hidden)]
pub fn builder_pages<B, P, Fut, SendPage, SetCursor, NextCursor>(
    builder: B,
    send: SendPage,
    set_cursor: SetCursor,
    next_cursor: NextCursor,
    items_pointer: &'static str,
) -> impl Stream<Item = Result<Fetched<P>>>
where
    B: Clone,
    Fut: Future<Output = Result<Response<P>>>,
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
            let page = Fetched::new(page.await?, items_pointer);
            let next = next_cursor(&page.page);
            Ok((page, next))
        }
    })
}

/// The pages of [`builder_pages`]: each page, then an [`Error::Item`] for each item lenient
/// decoding left out of it (it is not in the page), and the stream goes on.
#[doc(hidden)]
pub fn builder_page_stream<P>(
    fetched: impl Stream<Item = Result<Fetched<P>>>,
) -> impl Stream<Item = Result<P>> {
    fetched
        .map_ok(|mut fetched| {
            let left_out = std::mem::take(&mut fetched.left_out);
            let errors: Vec<Result<P>> = left_out
                .into_iter()
                .map(|(_, departure)| Err(fetched.error(departure)))
                .collect();
            stream::iter(std::iter::once(Ok(fetched.page)).chain(errors))
        })
        .try_flatten()
}

/// The items of [`builder_pages`]: each page's items in order, with an [`Error::Item`] where
/// an item was left out (and before the page's items when its whole list was), and the
/// stream goes on.
#[doc(hidden)]
pub fn builder_item_stream<P, I>(
    fetched: impl Stream<Item = Result<Fetched<P>>>,
    into_items: impl Fn(P) -> Vec<I>,
) -> impl Stream<Item = Result<I>> {
    fetched
        .map_ok(move |mut fetched| {
            let mut left_out = std::mem::take(&mut fetched.left_out);
            // The list's own failure first, then the items by their index as received.
            left_out.sort_by_key(|(index, _)| index.map_or(0, |i| i + 1));
            let mut out = Vec::new();
            let mut left_out = left_out.into_iter().peekable();
            while let Some((None, departure)) = left_out.next_if(|(index, _)| index.is_none()) {
                out.push(Err(fetched.error(departure)));
            }
            let mut kept = Vec::new();
            let page_errors: Vec<(usize, Error)> = left_out
                .filter_map(|(index, departure)| Some((index?, fetched.error(departure))))
                .collect();
            kept.extend(into_items(fetched.page));
            let mut kept = kept.into_iter();
            let mut page_errors = page_errors.into_iter().peekable();
            let mut index = 0;
            loop {
                if let Some((_, error)) = page_errors.next_if(|(at, _)| *at == index) {
                    out.push(Err(error));
                } else if let Some(item) = kept.next() {
                    out.push(Ok(item));
                } else if let Some((_, error)) = page_errors.next() {
                    out.push(Err(error));
                } else {
                    break;
                }
                index += 1;
            }
            stream::iter(out)
        })
        .try_flatten()
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
