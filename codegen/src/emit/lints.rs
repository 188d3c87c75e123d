//! The lint allowances the generated root module opens with; lint levels are inherited, so
//! they cover every generated module below it.

use proc_macro2::TokenStream;
use quote::quote;

/// Lints that the shape of a foreign document can trigger and that say nothing about the
/// generated code's correctness (names, doc prose and sizes come from the document).
pub(super) fn module_allows() -> TokenStream {
    quote! {
        #![allow(deprecated)]
        #![allow(clippy::large_enum_variant, clippy::too_many_arguments, clippy::enum_variant_names)]
        #![allow(clippy::doc_lazy_continuation, clippy::doc_overindented_list_items, clippy::type_complexity)]
        #![allow(clippy::should_implement_trait, clippy::wrong_self_convention, clippy::new_without_default)]
        #![allow(clippy::len_without_is_empty, clippy::empty_docs, clippy::tabs_in_doc_comments)]
        #![allow(rustdoc::bare_urls, rustdoc::broken_intra_doc_links, rustdoc::invalid_html_tags)]
        #![allow(rustdoc::invalid_rust_codeblocks, rustdoc::private_intra_doc_links)]
    }
}
