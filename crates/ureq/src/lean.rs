//! ureq's transport with fewer system calls per request.
//!
//! - One write where it fits. ureq transmits a request's head as soon as it
//!   is written and its body after, so a send of a few kilobytes leaves as
//!   two writes: two TCP segments (two TLS records over HTTPS) and two
//!   wake-ups of the server. [`Lean`] holds small writes back until the next
//!   one, or until ureq turns to reading the answer, and transmits them
//!   together.
//! - One liveness probe. ureq's pool probes a connection (a non-blocking
//!   read, three system calls) when a call hands it back and again when the
//!   next call takes it. The first probe comes right after the answer was
//!   read, and whatever it would find (the server closing, or sending more
//!   than its answer) the second finds before the connection is used, so
//!   only that one is made.

use ureq::Error;
use ureq::unversioned::transport::{Buffers, NextTimeout, Transport};

/// ureq's transport `T`, with its small writes held for the next one and
/// one liveness probe per use.
#[derive(Debug)]
pub(crate) struct Lean<T> {
    inner: T,
    /// Written and not yet transmitted.
    held: Vec<u8>,
    /// Whether input came since the last liveness probe: the connection is
    /// on its way back to the pool, and the probe waits for its next use.
    read_since_probe: bool,
}

impl<T: Transport> Lean<T> {
    pub(crate) fn new(inner: T) -> Self {
        Lean {
            inner,
            held: Vec::new(),
            read_since_probe: false,
        }
    }

    /// Transmits what is held, through the inner transport's output buffer.
    fn flush(&mut self, timeout: NextTimeout) -> Result<(), Error> {
        let mut rest = &self.held[..];
        while !rest.is_empty() {
            let output = self.inner.buffers().output();
            let n = output.len().min(rest.len());
            output[..n].copy_from_slice(&rest[..n]);
            self.inner.transmit_output(n, timeout)?;
            rest = &rest[n..];
        }
        self.held.clear();
        Ok(())
    }
}

impl<T: Transport> Transport for Lean<T> {
    fn buffers(&mut self) -> &mut dyn Buffers {
        self.inner.buffers()
    }

    fn transmit_output(&mut self, amount: usize, timeout: NextTimeout) -> Result<(), Error> {
        let output = self.inner.buffers().output();
        // Up to half the buffer is held: a head and a body of a few
        // kilobytes leave together, and a large body is not copied.
        let most = output.len() / 2;
        if self.held.is_empty() && amount > most {
            return self.inner.transmit_output(amount, timeout);
        }
        self.held.extend_from_slice(&output[..amount]);
        if self.held.len() > most {
            self.flush(timeout)?;
        }
        Ok(())
    }

    fn maybe_await_input(&mut self, timeout: NextTimeout) -> Result<bool, Error> {
        // What is read next answers what is held.
        self.flush(timeout)?;
        self.read_since_probe = true;
        self.inner.maybe_await_input(timeout)
    }

    fn await_input(&mut self, timeout: NextTimeout) -> Result<bool, Error> {
        self.flush(timeout)?;
        self.read_since_probe = true;
        self.inner.await_input(timeout)
    }

    fn is_open(&mut self) -> bool {
        if std::mem::take(&mut self.read_since_probe) {
            return true;
        }
        self.inner.is_open()
    }

    fn is_tls(&self) -> bool {
        self.inner.is_tls()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ureq::unversioned::transport::LazyBuffers;

    /// Records each transmission and counts the probes; answers every read
    /// with nothing.
    #[derive(Debug)]
    struct Recorder {
        buffers: LazyBuffers,
        sent: Vec<Vec<u8>>,
        probes: usize,
        tls: bool,
    }

    impl Transport for Recorder {
        fn buffers(&mut self) -> &mut dyn Buffers {
            &mut self.buffers
        }

        fn transmit_output(&mut self, amount: usize, _: NextTimeout) -> Result<(), Error> {
            self.sent.push(self.buffers.output()[..amount].to_vec());
            Ok(())
        }

        fn await_input(&mut self, _: NextTimeout) -> Result<bool, Error> {
            Ok(false)
        }

        fn is_open(&mut self) -> bool {
            self.probes += 1;
            true
        }

        fn is_tls(&self) -> bool {
            self.tls
        }
    }

    const OUTPUT: usize = 1024;

    fn lean() -> Lean<Recorder> {
        Lean::new(Recorder {
            buffers: LazyBuffers::new(64, OUTPUT),
            sent: Vec::new(),
            probes: 0,
            tls: false,
        })
    }

    /// Writes `bytes` into the output buffer and transmits them, as ureq does.
    fn write(transport: &mut Lean<Recorder>, bytes: &[u8]) {
        transport.buffers().output()[..bytes.len()].copy_from_slice(bytes);
        transport
            .transmit_output(bytes.len(), NextTimeout::default())
            .unwrap();
    }

    fn pattern(len: usize, seed: u8) -> Vec<u8> {
        (0..len).map(|i| seed.wrapping_add(i as u8)).collect()
    }

    #[test]
    fn a_head_and_a_small_body_leave_in_one_write_when_the_answer_is_awaited() {
        let mut transport = lean();
        write(&mut transport, b"POST /email HTTP/1.1\r\n\r\n");
        write(&mut transport, b"{\"To\":\"a@example.com\"}");
        assert!(transport.inner.sent.is_empty());

        transport.await_input(NextTimeout::default()).unwrap();
        assert_eq!(
            transport.inner.sent,
            [b"POST /email HTTP/1.1\r\n\r\n{\"To\":\"a@example.com\"}".to_vec()]
        );

        // Nothing is held any more: the next read transmits nothing.
        transport.maybe_await_input(NextTimeout::default()).unwrap();
        assert_eq!(transport.inner.sent.len(), 1);
    }

    #[test]
    fn a_connection_is_probed_once_between_two_uses() {
        let mut transport = lean();
        // A new connection is probed when it is taken.
        assert!(transport.is_open());
        assert_eq!(transport.inner.probes, 1);

        // Handed back after its answer, whichever way it was read: not
        // probed until taken again.
        transport.await_input(NextTimeout::default()).unwrap();
        assert!(transport.is_open());
        assert_eq!(transport.inner.probes, 1);
        assert!(transport.is_open());
        assert_eq!(transport.inner.probes, 2);
        transport.maybe_await_input(NextTimeout::default()).unwrap();
        assert!(transport.is_open());
        assert_eq!(transport.inner.probes, 2);
        assert!(transport.is_open());
        assert_eq!(transport.inner.probes, 3);
    }

    #[test]
    fn tls_is_what_the_inner_transport_says() {
        // ureq refuses an https:// request on a transport that is not TLS.
        let mut transport = lean();
        assert!(!transport.is_tls());
        transport.inner.tls = true;
        assert!(transport.is_tls());
    }

    #[test]
    fn a_large_write_with_nothing_held_leaves_at_once() {
        let mut transport = lean();
        let body = pattern(OUTPUT / 2 + 1, 7);
        write(&mut transport, &body);
        assert_eq!(transport.inner.sent, [body]);
    }

    #[test]
    fn what_is_held_leaves_ahead_of_a_large_write_in_order() {
        let mut transport = lean();
        let head = pattern(100, 1);
        let body = pattern(OUTPUT, 2);
        write(&mut transport, &head);
        write(&mut transport, &body);

        // Head and body, in buffer-sized writes, nothing lost or reordered.
        let sent = &transport.inner.sent;
        assert_eq!(sent.iter().map(Vec::len).collect::<Vec<_>>(), [OUTPUT, 100]);
        assert_eq!(sent.concat(), [head, body].concat());
    }

    #[test]
    fn writes_are_held_up_to_half_the_buffer() {
        let mut transport = lean();
        let first = pattern(OUTPUT / 2, 3);
        write(&mut transport, &first);
        assert!(transport.inner.sent.is_empty());

        let second = pattern(1, 4);
        write(&mut transport, &second);
        assert_eq!(transport.inner.sent, [[first, second].concat()]);
    }
}
