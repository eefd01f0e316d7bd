// The package's own defaults, beside the core's `RetryPolicy::default()`.
// A file of plain constants, so that `postmark-codegen` can include it too
// and write the same numbers into the TypeScript declarations' docs.

/// One attempt may take this long by default, as in the Rust client.
pub(crate) const DEFAULT_TIMEOUT_MS: u32 = 30_000;
