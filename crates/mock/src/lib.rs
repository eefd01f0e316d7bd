//! A local Postmark-compatible server.
