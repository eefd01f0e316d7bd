//! End-to-end tests: the mock over real loopback TCP.

mod bounces;
mod bulk;
mod control;
mod data_removals;
mod domains;
mod email;
mod faults;
mod inbound_rules;
mod messages;
mod routes;
mod senders;
mod servers;
mod stats;
mod streams;
mod support;
mod templates;
mod transport;
mod webhooks;
