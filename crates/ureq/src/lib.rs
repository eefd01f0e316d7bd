//! Blocking Postmark client over ureq.
