//! Host name resolution that remembers its last answer for a while.
//!
//! ureq resolves the host before every request, even one that goes out on a
//! pooled connection, and when a timeout is configured (the client always
//! sets one) its resolver starts a thread for each lookup so that it can give
//! up in time. On a nearby server that thread costs more than the rest of the
//! request. A client talks to one host, so keeping the last answer removes
//! almost every lookup; misses still go through ureq's resolver and its
//! timeout. An IP address (a local mock server, say) is used as it is.

use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use http::Uri;
use http::uri::{Authority, Scheme};
use ureq::config::Config;
use ureq::unversioned::resolver::{DefaultResolver, ResolvedSocketAddrs, Resolver};
use ureq::unversioned::transport::NextTimeout;

/// How long an answer is reused: the JVM's default for successful lookups,
/// short enough to follow a DNS change within the minute.
const REMEMBER_FOR: Duration = Duration::from_secs(30);

/// Clones share the remembered answer: the agent owns one, the transport
/// keeps another to [`forget`](Self::forget) it.
#[derive(Debug, Default, Clone)]
pub(crate) struct CachingResolver {
    last: Arc<Mutex<Option<Answer>>>,
}

#[derive(Debug)]
struct Answer {
    scheme: Scheme,
    authority: Authority,
    at: Instant,
    addresses: ResolvedSocketAddrs,
}

impl CachingResolver {
    /// Drops the remembered answer, so that the next request looks the host
    /// up again: called when connecting failed, in case the host moved.
    pub(crate) fn forget(&self) {
        *self.last() = None;
    }

    fn last(&self) -> MutexGuard<'_, Option<Answer>> {
        // The guarded value is replaced whole, so a panic cannot leave it half-written.
        self.last.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Resolver for CachingResolver {
    fn resolve(
        &self,
        uri: &Uri,
        config: &Config,
        timeout: NextTimeout,
    ) -> Result<ResolvedSocketAddrs, ureq::Error> {
        // An IP address needs no lookup, nor a thread to time one.
        if let Some(address) = literal_address(uri) {
            let mut addresses = self.empty();
            addresses.push(address);
            return Ok(addresses);
        }
        if let Some(answer) = &*self.last() {
            let same_host =
                uri.scheme() == Some(&answer.scheme) && uri.authority() == Some(&answer.authority);
            if same_host && answer.at.elapsed() < REMEMBER_FOR {
                return Ok(answer.addresses.clone());
            }
        }
        let addresses = DefaultResolver::default().resolve(uri, config, timeout)?;
        if let (Some(scheme), Some(authority)) = (uri.scheme(), uri.authority()) {
            *self.last() = Some(Answer {
                scheme: scheme.clone(),
                authority: authority.clone(),
                at: Instant::now(),
                addresses: addresses.clone(),
            });
        }
        Ok(addresses)
    }
}

/// The socket address of a URI whose host is an IP address.
fn literal_address(uri: &Uri) -> Option<SocketAddr> {
    let authority = uri.authority()?;
    let host = authority
        .host()
        .trim_start_matches('[')
        .trim_end_matches(']');
    let ip: IpAddr = host.parse().ok()?;
    let port = match (authority.port_u16(), uri.scheme_str()?) {
        (Some(port), _) => port,
        (None, "http") => 80,
        (None, "https") => 443,
        _ => return None,
    };
    Some(SocketAddr::new(ip, port))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resolve(resolver: &CachingResolver, uri: &str) -> Vec<SocketAddr> {
        let uri: Uri = uri.parse().unwrap();
        resolver
            .resolve(&uri, &Config::default(), NextTimeout::default())
            .unwrap()
            .to_vec()
    }

    #[test]
    fn addresses_are_not_looked_up() {
        let resolver = CachingResolver::default();
        assert_eq!(
            resolve(&resolver, "http://127.0.0.1:8025/email"),
            ["127.0.0.1:8025".parse().unwrap()]
        );
        assert_eq!(
            resolve(&resolver, "https://[::1]/server"),
            ["[::1]:443".parse().unwrap()]
        );
        assert!(resolver.last().is_none());
    }

    #[test]
    fn answers_are_remembered_per_host_and_forgotten_on_demand() {
        let resolver = CachingResolver::default();
        let first = resolve(&resolver, "http://localhost:8025/email");
        assert!(
            first
                .iter()
                .all(|a| a.port() == 8025 && a.ip().is_loopback())
        );
        assert!(resolver.last().is_some());
        // Another port is another host: looked up, and remembered instead.
        let other = resolve(&resolver, "http://localhost:9000/server");
        assert!(other.iter().all(|a| a.port() == 9000));
        assert_eq!(resolve(&resolver, "http://localhost:8025/server"), first);
        resolver.forget();
        assert!(resolver.last().is_none());
    }
}
