//! IR types -> Rust type tokens, fully qualified so no name from a document can shadow what
//! the generated code relies on.

use crate::ir::Ty;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// Where a type is written: inside `types.rs` or in a sibling module.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Scope {
    /// Inside the types module.
    Types,
    /// In a group module.
    Group,
}

/// The Rust type for `ty`. `Binary` is a file part in multipart bodies and text elsewhere.
pub(super) fn rust_type(ty: &Ty, scope: Scope, multipart: bool) -> TokenStream {
    match ty {
        Ty::String => quote!(::std::string::String),
        Ty::DateTime => quote!(crate::engine::Timestamp),
        Ty::Date => quote!(crate::engine::Date),
        Ty::Bool => quote!(bool),
        Ty::I32 => quote!(i32),
        Ty::I64 => quote!(i64),
        Ty::F64 => quote!(f64),
        Ty::Binary if multipart => quote!(crate::engine::Part),
        Ty::Binary => quote!(::std::string::String),
        Ty::Value => quote!(crate::engine::serde_json::Value),
        Ty::Named(n) => {
            let id = format_ident!("{}", n);
            match scope {
                Scope::Types => quote!(#id),
                Scope::Group => quote!(super::types::#id),
            }
        }
        Ty::Vec(i) => {
            let i = rust_type(i, scope, multipart);
            quote!(::std::vec::Vec<#i>)
        }
        Ty::Map(i) => {
            let i = rust_type(i, scope, multipart);
            quote!(::std::collections::BTreeMap<::std::string::String, #i>)
        }
        Ty::Option(i) => {
            let i = rust_type(i, scope, multipart);
            quote!(::std::option::Option<#i>)
        }
        Ty::Boxed(i) => {
            let i = rust_type(i, scope, multipart);
            quote!(::std::boxed::Box<#i>)
        }
    }
}
