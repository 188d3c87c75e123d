//! The `lib.rs` and `Cargo.toml` of a standalone crate for any document: a thin `Client` over
//! the shared engine, with auth placed as the document's security scheme says.

use crate::ir::{AuthKind, Model};
use quote::quote;

/// The runtime crate standalone crates build on (re-exported as their `engine` module), and
/// how a generated crate depends on it.
#[derive(Debug, Clone, Copy)]
pub struct Runtime<'a> {
    /// Package name, as in `Cargo.toml` (`my-runtime`).
    pub package: &'a str,
    /// Version requirement a registry can satisfy (`0.1.0`), so the crate builds anywhere.
    pub version: &'a str,
    /// A local checkout of the package, used instead of the registry while developing.
    pub path: Option<&'a str>,
    /// Features to enable, with the package's default features off: only what the engine
    /// needs, so a generated crate compiles no surface it does not use.
    pub features: &'a [&'a str],
}

/// `src/lib.rs` of a standalone crate; `serde_feature` as [`Generated::serde_feature`](crate::Generated)
/// (the crate docs then say what the feature adds).
pub fn lib_rs(
    model: &Model,
    runtime: Runtime<'_>,
    serde_feature: bool,
) -> Result<String, crate::Error> {
    let runtime_crate = quote::format_ident!("{}", runtime.package.replace('-', "_"));
    let placement = match &model.auth {
        AuthKind::Header(name) => quote!(engine::AuthPlacement::Header(#name.to_owned())),
        AuthKind::Query(name) => quote!(engine::AuthPlacement::Query(#name.to_owned())),
        AuthKind::Bearer | AuthKind::None => quote!(engine::AuthPlacement::Bearer),
    };
    let server = model
        .server
        .clone()
        .unwrap_or_else(|| "http://localhost".to_owned());
    let features = if serde_feature {
        "Every JSON type decodes. A type some request sends is also written (`Serialize`) and \
         has a setter per optional field; the others (what the API only returns) get both with \
         the `serde` feature, which `mock` turns on (enable `serde` yourself where only a \
         dev-dependency turns on `mock`, or tests compile what a build rejects)."
    } else {
        ""
    };
    let doc = super::docs::inner_attrs(&[
        format!("Client for {} {}.", model.title, model.version),
        model.description.clone().unwrap_or_default(),
        features.to_owned(),
    ]);
    let tokens = quote! {
        #doc
        #![allow(rustdoc::bare_urls, rustdoc::broken_intra_doc_links, rustdoc::invalid_html_tags)]
        #![allow(clippy::doc_lazy_continuation, clippy::doc_overindented_list_items)]
        pub use #runtime_crate as engine;
        mod generated;
        pub use generated::*;

        /// The first server URL the document lists.
        pub const DEFAULT_BASE_URL: &str = #server;

        /// An API client; cheap to clone.
        #[derive(Debug, Clone)]
        pub struct Client {
            engine: engine::Engine,
        }

        /// Generated operations send through the client's engine.
        impl engine::ApiClient for Client {
            fn engine(&self) -> &engine::Engine {
                &self.engine
            }
        }

        impl Client {
            /// A client for `base_url` (or [`DEFAULT_BASE_URL`]) with an optional API key.
            pub fn new(base_url: ::std::option::Option<&str>, api_key: ::std::option::Option<&str>) -> engine::Result<Self> {
                let base = base_url.unwrap_or(DEFAULT_BASE_URL).trim_end_matches('/');
                let url = engine::Url::parse(base).map_err(|e| engine::Error::Config(e.to_string()))?;
                let mut config = engine::EngineConfig::new(url, concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION")));
                config.auth = #placement;
                if let ::std::option::Option::Some(key) = api_key {
                    config.api_key = ::std::option::Option::Some(engine::ApiKey::new(key)?);
                }
                ::std::result::Result::Ok(Self { engine: engine::Engine::new(config, ::std::option::Option::None)? })
            }

            /// A client from a finished engine configuration.
            pub fn with_config(config: engine::EngineConfig) -> engine::Result<Self> {
                ::std::result::Result::Ok(Self { engine: engine::Engine::new(config, ::std::option::Option::None)? })
            }

            /// The client `mock::MockServer::client` hands out: a placeholder key and
            /// millisecond backoff, so retries are tested quickly.
            #[cfg(feature = "mock")]
            pub(crate) fn for_mock(base_url: &str) -> engine::Result<Self> {
                let url = engine::Url::parse(base_url).map_err(|e| engine::Error::Config(e.to_string()))?;
                let mut config = engine::EngineConfig::new(url, concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION")));
                config.auth = #placement;
                config.api_key = ::std::option::Option::Some(engine::ApiKey::new("mock-key")?);
                config.retry = engine::mock::quick_retries();
                Self::with_config(config)
            }
        }
    };
    let file: syn::File =
        syn::parse2(tokens).map_err(|e| crate::Error::Emit(format!("lib.rs: {e}")))?;
    Ok(format!(
        "// @generated by openapi-sdkgen. Do not edit.\n{}",
        prettyplease::unparse(&file)
    ))
}

/// `Cargo.toml` of a standalone crate depending on the runtime package, with the `[features]`
/// table of a crate split by group (see [`features::cargo_features`](super::features)) and,
/// when its types are read and written as used ([`Generated::serde_feature`](crate::Generated)),
/// the `serde` feature that adds the rest (the mock needs it); with `mcp` (the crate has the
/// tool table of [`Options::mcp`](crate::Options)), the `mcp` feature that compiles it.
pub fn cargo_toml(
    name: &str,
    runtime: Runtime<'_>,
    features: Option<&str>,
    serde_feature: bool,
    mcp: bool,
) -> String {
    let quoted = |s: &str| format!("\"{}\"", s.replace('\\', "/").replace('"', ""));
    let mut dependency = format!(
        "version = {}, default-features = false, features = [{}]",
        quoted(runtime.version),
        runtime
            .features
            .iter()
            .map(|f| quoted(f))
            .collect::<Vec<_>>()
            .join(", ")
    );
    if let Some(path) = runtime.path {
        dependency.push_str(&format!(", path = {}", quoted(path)));
    }
    let package = runtime.package.replace('"', "");
    let (serde, mock) = if serde_feature {
        (
            "# Writing (`Serialize`) and setters for the types no request sends; every type is read\n# without it. `mock` turns it on: name `serde` too where only a dev-dependency enables\n# `mock`, or `cargo test` compiles code that `cargo build` rejects.\nserde = []\n",
            format!("[\"serde\", \"{package}/mock\"]"),
        )
    } else {
        ("", format!("[\"{package}/mock\"]"))
    };
    let mcp = if mcp {
        format!(
            "# Every operation as a Model Context Protocol tool (`mcp::TOOLS`, `mcp::call`).\nmcp = [\"{package}/mcp\"]\n"
        )
    } else {
        String::new()
    };
    format!(
        "# @generated by openapi-sdkgen. Do not edit.\n[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"2024\"\npublish = false\n\n[dependencies]\n{package} = {{ {dependency} }}\n\n{features}{serde}# Typed stubs of every operation for tests (`mock::MockServer`).\nmock = {mock}\n{mcp}\n[workspace]\n",
        features = features.unwrap_or("[features]\n"),
    )
}
