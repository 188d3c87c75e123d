//! Responses: each documented status with its body type, split into success cases (what
//! `send()` returns) and error cases (documented for `ApiError::body_as`), and the one table
//! of names for statuses.

use super::bodies::media_rank;
use super::space::{Naming, TypeSpace, wrap_nullable};
use crate::diagnostics::Diagnostics;
use crate::ir::{ErrorCase, Status, Success, SuccessCase, Ty};
use crate::pointer;
use openapiv3::{MediaType, ReferenceOr, Response, StatusCode};

/// An operation's responses, split.
pub(super) struct Responses {
    /// Success statuses, in document order.
    pub success: Vec<SuccessCase>,
    /// Error statuses, in document order.
    pub errors: Vec<ErrorCase>,
}

/// The name of a success status, for its response-enum variant and its type's name. A range
/// (`2XX`) or `default` matches every success status not listed: `Default`.
fn status_name(status: Status) -> String {
    match status.code() {
        Some(200) => "Ok".into(),
        Some(201) => "Created".into(),
        Some(202) => "Accepted".into(),
        Some(203) => "NonAuthoritative".into(),
        Some(204) => "NoContent".into(),
        Some(206) => "PartialContent".into(),
        Some(code) => format!("Status{code}"),
        None => "Default".into(),
    }
}

fn status_of(code: &StatusCode) -> Status {
    match code {
        StatusCode::Code(code) => Status::Code(*code),
        StatusCode::Range(class) => Status::Range(*class),
    }
}

/// Converts the responses of operation `op_name`. `default` is a success only when no `2xx`
/// status is documented.
pub(super) fn convert_responses(
    space: &mut TypeSpace<'_>,
    responses: &openapiv3::Responses,
    op_name: &str,
    pointer: &str,
    diags: &mut Diagnostics,
) -> Responses {
    let mut success = Vec::new();
    let mut errors = Vec::new();
    let mut entries: Vec<(Status, &ReferenceOr<Response>)> = responses
        .responses
        .iter()
        .map(|(code, r)| (status_of(code), r))
        .collect();
    if let Some(d) = &responses.default {
        entries.push((Status::Default, d));
    }
    let success_count = entries.iter().filter(|(s, _)| s.is_success()).count();
    for (status, r) in entries {
        let at = format!(
            "{pointer}/responses/{}",
            pointer::escape(&status.to_string())
        );
        let (resp, resolved_at) = match space.resolver.resolve(r, &at) {
            Ok(resolved) => (resolved.item, resolved.pointer),
            Err(e) => {
                diags.warn(&e.pointer, format!("{e}; skipped"));
                continue;
            }
        };
        let is_success = status.is_success() || (status == Status::Default && success_count == 0);
        let variant = status_name(status);
        let hint = if is_success && success_count > 1 {
            format!("{op_name}{variant}Response")
        } else if is_success {
            format!("{op_name}Response")
        } else {
            format!("{op_name}Error{status}")
        };
        let body = response_body(space, &resp, &hint, (&at, &resolved_at), diags);
        if is_success {
            success.push(SuccessCase {
                status,
                variant,
                body,
            });
        } else {
            let body = match body {
                Success::Json(t) => Some(t),
                _ => None,
            };
            errors.push(ErrorCase { status, body });
        }
    }
    Responses { success, errors }
}

/// The body of one response; `pointers` are where the response is used and where it is
/// written (they differ for a referenced response).
fn response_body(
    space: &mut TypeSpace<'_>,
    resp: &Response,
    hint: &str,
    (pointer, written_at): (&str, &str),
    diags: &mut Diagnostics,
) -> Success {
    let mut media: Vec<(&String, &MediaType)> = resp.content.iter().collect();
    media.sort_by_key(|(m, _)| media_rank(m));
    let Some((content_type, mt)) = media.first() else {
        return Success::Empty;
    };
    let lower = content_type.to_ascii_lowercase();
    let at = format!("{pointer}/content/{}", pointer::escape(content_type));
    if lower.contains("json") {
        match &mt.schema {
            Some(s) => {
                let ty = wrap_nullable(space.convert(
                    s,
                    Naming::Hint(hint.to_owned()),
                    &format!("{at}/schema"),
                    0,
                    diags,
                ));
                if ty == Ty::Binary {
                    Success::Binary
                } else {
                    let schema_at = format!(
                        "{written_at}/content/{}/schema",
                        pointer::escape(content_type)
                    );
                    space.record_response_schema(schema_at, &ty);
                    Success::Json(ty)
                }
            }
            None => Success::Json(Ty::Value),
        }
    } else if lower.starts_with("text/") {
        Success::Text
    } else {
        Success::Binary
    }
}
