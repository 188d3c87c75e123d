//! Requests the API sends to its users: the `callbacks` of 3.0 operations, the top-level
//! `webhooks` of 3.1 (kept by `normalize` under [`WEBHOOKS_EXTENSION`]) and, read the same
//! way, the `x-webhooks` extension 3.0 documents used before 3.1 named them
//! ([`WEBHOOKS_CONVENTION`]). Only their payloads become types; the user serves the endpoint,
//! so there is no method to call.

use super::bodies::media_rank;
use super::space::{Naming, TypeSpace, wrap_nullable};
use crate::diagnostics::Diagnostics;
use crate::idents::type_name;
use crate::ir::{Callback, CallbackOrigin, HttpMethod};
use crate::load::Document;
use crate::normalize::{WEBHOOKS_CONVENTION, WEBHOOKS_EXTENSION};
use crate::pointer;
use openapiv3::{PathItem, ReferenceOr, RequestBody};

/// Every callback and webhook of the document, in document order.
pub(super) fn build(
    space: &mut TypeSpace<'_>,
    doc: &Document,
    diags: &mut Diagnostics,
) -> Vec<Callback> {
    let mut out = Vec::new();
    for (path, item) in doc.api.paths.paths.iter() {
        let ReferenceOr::Item(item) = item else {
            continue; // a referenced path item's callbacks are read where it is defined
        };
        let path_ptr = format!("#/paths/{}", pointer::escape(path));
        for (method, op) in HttpMethod::ALL
            .into_iter()
            .filter_map(|m| Some((m, m.of(item)?)))
        {
            for (name, callback) in &op.callbacks {
                let at = format!(
                    "{path_ptr}/{}/callbacks/{}",
                    method.key(),
                    pointer::escape(name)
                );
                let origin = CallbackOrigin::Operation {
                    method,
                    path: path.clone(),
                    name: name.clone(),
                };
                for (expression, target) in callback {
                    let at = format!("{at}/{}", pointer::escape(expression));
                    requests(
                        space,
                        doc,
                        &origin,
                        Some(expression),
                        target,
                        &at,
                        &mut out,
                        diags,
                    );
                }
            }
        }
    }
    // 3.1's `webhooks` (named by their place in the document), then the 3.0 convention.
    let sources = [
        (WEBHOOKS_EXTENSION, "#/webhooks"),
        (WEBHOOKS_CONVENTION, "#/x-webhooks"),
    ];
    let webhooks = sources.into_iter().flat_map(|(key, root)| {
        let map = doc.api.extensions.get(key).and_then(|w| w.as_object());
        map.into_iter().flatten().map(move |(n, i)| (root, n, i))
    });
    for (root, name, item) in webhooks {
        let at = format!("{root}/{}", pointer::escape(name));
        let resolved = serde_json::from_value::<ReferenceOr<PathItem>>(item.clone())
            .map_err(|e| e.to_string())
            .and_then(|i| {
                doc.resolver()
                    .resolve(&i, &at)
                    .map(|r| r.item)
                    .map_err(|e| e.to_string())
            });
        match resolved {
            Ok(target) => {
                let origin = CallbackOrigin::Webhook { name: name.clone() };
                requests(space, doc, &origin, None, &target, &at, &mut out, diags);
            }
            Err(e) => diags.warn(&at, format!("webhook skipped: {e}")),
        }
    }
    out
}

/// The requests one callback expression (or webhook) describes, one per method.
#[allow(clippy::too_many_arguments)]
fn requests(
    space: &mut TypeSpace<'_>,
    doc: &Document,
    origin: &CallbackOrigin,
    expression: Option<&String>,
    item: &PathItem,
    at: &str,
    out: &mut Vec<Callback>,
    diags: &mut Diagnostics,
) {
    for (method, op) in HttpMethod::ALL
        .into_iter()
        .filter_map(|m| Some((m, m.of(item)?)))
    {
        let at = format!("{at}/{}", method.key());
        let body = op.request_body.as_ref().and_then(|b| {
            match doc.resolver().resolve(b, &format!("{at}/requestBody")) {
                Ok(r) => Some((r.item, r.pointer)),
                Err(e) => {
                    diags.warn(&e.pointer, format!("{e}; the payload is untyped"));
                    None
                }
            }
        });
        let hint = format!("{}Payload", type_name(origin.name()));
        let (content_types, payload) = match &body {
            Some((body, body_ptr)) => payload(space, body, hint, body_ptr, diags),
            None => (Vec::new(), None),
        };
        out.push(Callback {
            origin: origin.clone(),
            expression: expression.cloned(),
            method,
            content_types,
            payload,
            summary: op.summary.clone(),
            description: op.description.clone(),
        });
    }
}

/// The media types a payload may arrive in, and the type of the preferred one's schema.
fn payload(
    space: &mut TypeSpace<'_>,
    body: &RequestBody,
    hint: String,
    pointer: &str,
    diags: &mut Diagnostics,
) -> (Vec<String>, Option<crate::ir::Ty>) {
    let mut media: Vec<_> = body.content.iter().collect();
    media.sort_by_key(|(m, _)| media_rank(m));
    let content_types = body.content.keys().cloned().collect();
    let ty = media.first().and_then(|(m, mt)| {
        let schema = mt.schema.as_ref()?;
        let at = format!("{pointer}/content/{}/schema", pointer::escape(m));
        Some(wrap_nullable(space.convert(
            schema,
            Naming::Hint(hint),
            &at,
            0,
            diags,
        )))
    });
    (content_types, ty)
}
