#[allow(clippy::all, missing_debug_implementations, unused)]
mod generated;
pub use generated::*;
