//! Placeholder until the generated surface lands.
pub mod engine;
