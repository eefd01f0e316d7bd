//! End-to-end tests: the mock over real loopback TCP.

mod control;
mod email;
mod faults;
mod servers;
mod support;
mod transport;
mod webhooks;
