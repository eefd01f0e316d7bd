//! One write per request where it fits.
//!
//! ureq transmits a request's head as soon as it is written and its body
//! after, so a send of a few kilobytes leaves as two writes: two TCP
//! segments (two TLS records over HTTPS) and two wake-ups of the server.
//! [`Coalesced`] holds small writes back until the next one, or until ureq
//! turns to reading the answer, and transmits them together.

use ureq::Error;
use ureq::unversioned::transport::{Buffers, NextTimeout, Transport};

/// A transport whose small writes wait for the next one.
#[derive(Debug)]
pub(crate) struct Coalesced<T> {
    inner: T,
    /// Written and not yet transmitted.
    held: Vec<u8>,
}

impl<T: Transport> Coalesced<T> {
    pub(crate) fn new(inner: T) -> Self {
        Coalesced {
            inner,
            held: Vec::new(),
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

impl<T: Transport> Transport for Coalesced<T> {
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
        self.inner.maybe_await_input(timeout)
    }

    fn await_input(&mut self, timeout: NextTimeout) -> Result<bool, Error> {
        self.flush(timeout)?;
        self.inner.await_input(timeout)
    }

    fn is_open(&mut self) -> bool {
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

    /// Records each transmission; answers every read with nothing.
    #[derive(Debug)]
    struct Recorder {
        buffers: LazyBuffers,
        sent: Vec<Vec<u8>>,
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
            true
        }
    }

    const OUTPUT: usize = 1024;

    fn coalesced() -> Coalesced<Recorder> {
        Coalesced::new(Recorder {
            buffers: LazyBuffers::new(64, OUTPUT),
            sent: Vec::new(),
        })
    }

    /// Writes `bytes` into the output buffer and transmits them, as ureq does.
    fn write(transport: &mut Coalesced<Recorder>, bytes: &[u8]) {
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
        let mut transport = coalesced();
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
    fn a_large_write_with_nothing_held_leaves_at_once() {
        let mut transport = coalesced();
        let body = pattern(OUTPUT / 2 + 1, 7);
        write(&mut transport, &body);
        assert_eq!(transport.inner.sent, [body]);
    }

    #[test]
    fn what_is_held_leaves_ahead_of_a_large_write_in_order() {
        let mut transport = coalesced();
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
        let mut transport = coalesced();
        let first = pattern(OUTPUT / 2, 3);
        write(&mut transport, &first);
        assert!(transport.inner.sent.is_empty());

        let second = pattern(1, 4);
        write(&mut transport, &second);
        assert_eq!(transport.inner.sent, [[first, second].concat()]);
    }
}
