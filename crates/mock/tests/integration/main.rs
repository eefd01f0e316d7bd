//! End-to-end tests: the mock over real loopback TCP.

mod bounces;
mod control;
mod email;
mod faults;
mod messages;
mod servers;
mod support;
mod transport;
mod webhooks;
