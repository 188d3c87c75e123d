//! Expressions the client's operations and the mock's stubs both write: the runtime's name of
//! a parameter style, and the read of a page's next cursor.

use crate::ir::{Pagination, ParamStyle};
use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote};

/// The engine's `ParamStyle` variant for a parameter style.
pub(super) fn style_name(s: ParamStyle) -> Ident {
    let name = match s {
        ParamStyle::Form => "Form",
        ParamStyle::SpaceDelimited => "SpaceDelimited",
        ParamStyle::PipeDelimited => "PipeDelimited",
        ParamStyle::DeepObject => "DeepObject",
    };
    Ident::new(name, Span::call_site())
}

/// `Option<&String>` of the next cursor in `page` (an expression of the page type, or a
/// reference to it), following the pagination's field path; each step says how many `Option`
/// layers its field has.
pub(super) fn next_cursor_access(p: &Pagination, page: TokenStream) -> TokenStream {
    let mut access = quote!(::std::option::Option::Some(#page));
    for (field, depth) in &p.next_cursor {
        let f = format_ident!("{}", field);
        access = match depth {
            0 => quote!(#access.map(|v| &v.#f)),
            1 => quote!(#access.and_then(|v| v.#f.as_ref())),
            _ => quote!(#access.and_then(|v| v.#f.as_ref().and_then(|x| x.as_ref()))),
        };
    }
    access
}
