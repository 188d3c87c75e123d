//! A `#[cfg(test)]` module that round-trips every schema `example` of the document through
//! the type generated for that schema, so the types are checked against what the document
//! itself says servers send.

use crate::ir::{Model, TypeKind};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// Whether the model has any example worth a test module.
pub(crate) fn has_examples(model: &Model) -> bool {
    model.types.iter().any(checkable)
}

fn checkable(t: &crate::ir::TypeDef) -> bool {
    // Multipart bodies carry files and are not serde types.
    t.doc.example.is_some() && !matches!(t.kind, TypeKind::Multipart(_))
}

pub(crate) fn emit_examples(model: &Model) -> TokenStream {
    let checks = model.types.iter().filter(|t| checkable(t)).map(|t| {
        let ty = format_ident!("{}", t.name);
        let pointer = &t.pointer;
        let example = t.doc.example.as_deref().unwrap_or_default();
        quote! {
            (#pointer, #example, crate::engine::examples::round_trip::<super::types::#ty>),
        }
    });
    quote! {
        //! Every schema example of the document, decoded into its generated type and encoded back.

        type Check = (&'static str, &'static str, fn(&str) -> ::std::result::Result<(), ::std::string::String>);

        const CHECKS: &[Check] = &[
            #(#checks)*
        ];

        #[test]
        fn schema_examples_round_trip() {
            let failures: ::std::vec::Vec<::std::string::String> = CHECKS
                .iter()
                .filter_map(|(pointer, example, check)| check(example).err().map(|e| format!("{pointer}: {e}")))
                .collect();
            assert!(
                failures.is_empty(),
                "{} of {} schema examples do not round-trip:\n{}",
                failures.len(),
                CHECKS.len(),
                failures.join("\n")
            );
        }
    }
}
