//! What generated code needs from the crate it is generated into.

use super::Engine;

/// The client a generated crate defines at its root: an [`Engine`] with the API's defaults
/// (base URL, authentication, environment variables), cheap to clone (clones share the
/// connection pool and rate limiter).
///
/// Generated operation groups and request builders hold the client type their macro call
/// names (`operation_group!`, `request_builder!`; see `MACROS.md`) and send through
/// [`engine`](Self::engine); nothing else of the client is read.
pub trait ApiClient: Clone + std::fmt::Debug + Send + Sync + 'static {
    /// The engine every request of this client goes through.
    fn engine(&self) -> &Engine;
}
