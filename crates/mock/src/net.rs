//! Sockets and threads: the accept loop, one thread per connection, and shutdown.

use std::collections::HashMap;
use std::io::{self, BufReader, Read};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use crate::http::{self, Response};
use crate::ids;
use crate::router::{self, Outcome};
use crate::state::State;
use crate::traffic::Traffic;

/// Room for a typical request in one read; larger bodies are read straight through. Each
/// connection holds one, so it is sized for a typical send, not the largest.
const READ_BUFFER: usize = 16 * 1024;
/// After a fatal protocol error, how long to swallow what the client is still sending, so
/// that it reads our error answer instead of a connection reset.
const LINGER: Duration = Duration::from_secs(2);

#[derive(Debug)]
pub(crate) struct Shared {
    pub(crate) state: Mutex<State>,
    pub(crate) traffic: Traffic,
    stopping: AtomicBool,
    /// How long one request may take to arrive, see [`serve`].
    request_timeout: Duration,
    /// The most connections served at once.
    max_connections: usize,
    /// Open connections by number, so that stopping can close idle keep-alive sockets.
    connections: Mutex<HashMap<u64, TcpStream>>,
}

impl Shared {
    pub(crate) fn new(state: State, request_timeout: Duration, max_connections: usize) -> Shared {
        Shared {
            state: Mutex::new(state),
            traffic: Traffic::default(),
            stopping: AtomicBool::new(false),
            request_timeout,
            max_connections,
            connections: Mutex::new(HashMap::new()),
        }
    }

    fn connections(&self) -> std::sync::MutexGuard<'_, HashMap<u64, TcpStream>> {
        self.connections
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

pub(crate) fn spawn_acceptor(
    listener: TcpListener,
    shared: Arc<Shared>,
) -> io::Result<JoinHandle<()>> {
    thread::Builder::new()
        .name("postmark-mock-accept".into())
        .spawn(move || accept_loop(&listener, &shared))
}

/// Stops accepting, waits for the accept thread when it can be woken, and closes every
/// open connection (their threads then end on their own).
pub(crate) fn stop(addr: SocketAddr, shared: &Shared, acceptor: JoinHandle<()>) {
    shared.stopping.store(true, Ordering::SeqCst);
    // accept() only returns for a connection: make one. If even that fails, the thread is
    // left detached rather than blocking the caller forever.
    if TcpStream::connect_timeout(&addr, Duration::from_secs(1)).is_ok() {
        let _ = acceptor.join();
    }
    for (_, connection) in shared.connections().drain() {
        let _ = connection.shutdown(Shutdown::Both);
    }
}

fn accept_loop(listener: &TcpListener, shared: &Arc<Shared>) {
    for stream in listener.incoming() {
        if shared.stopping.load(Ordering::SeqCst) {
            return;
        }
        let stream = match stream {
            Ok(stream) => stream,
            Err(_) => {
                // Usually descriptor exhaustion: back off instead of spinning.
                thread::sleep(Duration::from_millis(10));
                continue;
            }
        };
        // One thread per connection: past the cap a new one is closed at once, so that
        // a flood of connections cannot run the process out of threads or memory.
        if shared.connections().len() >= shared.max_connections {
            drop(stream);
            continue;
        }
        let id = shared.traffic.accept();
        if let Ok(handle) = stream.try_clone() {
            shared.connections().insert(id, handle);
        }
        let worker = Arc::clone(shared);
        let spawned = thread::Builder::new()
            .name("postmark-mock-conn".into())
            .spawn(move || {
                serve(stream, &worker);
                worker.connections().remove(&id);
            });
        if spawned.is_err() {
            shared.connections().remove(&id);
        }
    }
}

/// Answers requests on one connection until the client closes it, asks to close, or a
/// request cannot be parsed. An API request counts as in flight from the moment it is
/// parsed until its answer is written.
///
/// Each request must arrive whole within `request_timeout` of the connection becoming
/// ready for it: a connection that stays idle that long is closed, one whose request is
/// still incomplete then gets a 408. A sender that never finishes holds its thread no
/// longer.
fn serve(stream: TcpStream, shared: &Shared) {
    // Responses leave in one write; Nagle would only delay them.
    let _ = stream.set_nodelay(true);
    let Ok(read_half) = stream.try_clone() else {
        return;
    };
    let timed = Timed {
        stream: read_half,
        deadline: Instant::now(),
    };
    let mut reader = BufReader::with_capacity(READ_BUFFER, timed);
    let mut writer = stream;
    loop {
        reader.get_mut().deadline = Instant::now() + shared.request_timeout;
        let request = match http::read_request(&mut reader, &mut writer) {
            Ok(Some(request)) => request,
            Ok(None) => return,
            Err(error) => {
                if let Some(response) = error.response() {
                    if response.write_to(&mut writer, &ids::uuid()).is_ok() {
                        linger(&mut reader, &writer);
                    }
                }
                return;
            }
        };
        let in_flight = router::is_api(&request).then(|| shared.traffic.begin());
        let response = match router::handle(&request, &shared.state, &shared.traffic) {
            Outcome::Respond(response) => response,
            Outcome::Drop => return,
        };
        // Handled: the request stops counting before its answer goes out, so
        // a client holding the answer never finds it still in flight.
        drop(in_flight);
        let close = response.close || !request.keep_alive;
        let response: Response = if close { response.closing() } else { response };
        if response.write_to(&mut writer, &ids::uuid()).is_err() || close {
            return;
        }
    }
}

/// The reading half of a connection, whose reads give up at a deadline with
/// [`io::ErrorKind::TimedOut`].
#[derive(Debug)]
struct Timed {
    stream: TcpStream,
    deadline: Instant,
}

impl Read for Timed {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let left = self.deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(io::ErrorKind::TimedOut.into());
        }
        self.stream.set_read_timeout(Some(left))?;
        self.stream.read(buf).map_err(|error| match error.kind() {
            // What an expired socket timeout reads as on Unix.
            io::ErrorKind::WouldBlock => io::ErrorKind::TimedOut.into(),
            _ => error,
        })
    }
}

/// Half-closes and drains the socket for a while: closing with unread input would make
/// the kernel send a reset that can destroy the answer before the client reads it.
fn linger(reader: &mut BufReader<Timed>, writer: &TcpStream) {
    let _ = writer.shutdown(Shutdown::Write);
    let timed = reader.get_mut();
    timed.deadline = timed.deadline.min(Instant::now() + LINGER);
    let mut sink = [0u8; 16 * 1024];
    while let Ok(1..) = reader.read(&mut sink) {}
}
