//! What the fuzz targets share: an allocator that counts, the byte layout of a fuzzed
//! response (which `seeds` writes and the response targets read), and the typed parse of
//! every operation of the table.
//!
//! Each target checks three things on every input: no panic (libFuzzer reports one as a
//! crash), no hang (`-timeout`), and memory in proportion to the input: the most bytes
//! live at once while one input is handled, above what was live before, must stay under
//! [`allowed_bytes`] of its length.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use http::{HeaderName, HeaderValue, Response, StatusCode};

/// The system allocator, counting the bytes live now and the most live since the last
/// [`measure`].
pub struct Counting;

#[global_allocator]
static ALLOCATOR: Counting = Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call goes straight to the system allocator; the counters only observe.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let pointer = unsafe { System.alloc(layout) };
        if !pointer.is_null() {
            grew(layout.size());
        }
        pointer
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let pointer = unsafe { System.alloc_zeroed(layout) };
        if !pointer.is_null() {
            grew(layout.size());
        }
        pointer
    }

    unsafe fn dealloc(&self, pointer: *mut u8, layout: Layout) {
        unsafe { System.dealloc(pointer, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }

    unsafe fn realloc(&self, pointer: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let moved = unsafe { System.realloc(pointer, layout, new_size) };
        if !moved.is_null() {
            // Counted as the new block arriving before the old one leaves: what the
            // process holds for a moment when the block cannot grow in place.
            grew(new_size);
            LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        }
        moved
    }
}

fn grew(size: usize) {
    let live = LIVE.fetch_add(size, Ordering::Relaxed) + size;
    PEAK.fetch_max(live, Ordering::Relaxed);
}

/// The most bytes an input of `len` bytes may hold live at once.
///
/// A parse turns text into values: serde_json's `Value` is 32 bytes for a `0` that took
/// one byte and a comma, a typed model with its `Option<String>` fields a couple of
/// hundred bytes for a `{}`, so a few hundred times the input is in proportion. What
/// this bound catches is the rest: an allocation sized by a number in the input (a
/// `Content-Length`, a count, a length), or growth faster than linear.
pub fn allowed_bytes(len: usize) -> usize {
    256 * len + (1 << 20)
}

/// Runs `handle` on an input of `len` bytes and panics (a crash for libFuzzer) if it
/// held more than [`allowed_bytes`] at once.
pub fn measure<T>(len: usize, handle: impl FnOnce() -> T) -> T {
    let before = LIVE.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    let answer = handle();
    let peak = PEAK.load(Ordering::Relaxed) - before;
    assert!(
        peak <= allowed_bytes(len),
        "an input of {len} bytes held {peak} bytes at once (allowed: {})",
        allowed_bytes(len)
    );
    answer
}

/// A fuzzed HTTP response: which operation's answer it is (an index into the target's
/// list), its status, up to three headers and the body.
///
/// On the wire of the fuzzer: byte 0 the index, bytes 1-2 the status (big-endian,
/// folded into 100-999), byte 3 the number of headers (modulo 4), then each header as
/// `name\nvalue\n`, then the body.
#[derive(Debug)]
pub struct FuzzedResponse<'a> {
    pub index: usize,
    pub response: Response<&'a [u8]>,
}

impl<'a> FuzzedResponse<'a> {
    /// The response `data` describes; `None` when it is too short to name one. A header
    /// that is not a valid name or value is left out.
    pub fn read(data: &'a [u8]) -> Option<FuzzedResponse<'a>> {
        let (&[index, high, low, count], mut rest) = data.split_first_chunk::<4>()?;
        let status = 100 + u16::from_be_bytes([high, low]) % 900;
        let mut response = Response::new(&b""[..]);
        *response.status_mut() = StatusCode::from_u16(status).ok()?;
        for _ in 0..count % 4 {
            let mut line = || {
                let end = rest.iter().position(|&b| b == b'\n')?;
                let (line, after) = rest.split_at(end);
                rest = &after[1..];
                Some(line)
            };
            let (Some(name), Some(value)) = (line(), line()) else {
                break;
            };
            if let (Ok(name), Ok(value)) =
                (HeaderName::from_bytes(name), HeaderValue::from_bytes(value))
            {
                response.headers_mut().append(name, value);
            }
        }
        *response.body_mut() = rest;
        Some(FuzzedResponse {
            index: usize::from(index),
            response,
        })
    }

    /// The bytes that [`read`](Self::read) turns back into this response.
    pub fn write(index: u8, status: u16, headers: &[(&str, &str)], body: &[u8]) -> Vec<u8> {
        let folded = (status - 100) % 900;
        let mut data = vec![index];
        data.extend_from_slice(&folded.to_be_bytes());
        data.push(headers.len().min(3) as u8);
        for (name, value) in headers.iter().take(3) {
            for part in [name, value] {
                data.extend_from_slice(part.as_bytes());
                data.push(b'\n');
            }
        }
        data.extend_from_slice(body);
        data
    }
}

/// The typed parse of one operation: `parse::<E>` of the response, its value or error
/// formatted as a caller would log it.
pub type TypedParse = fn(Response<&[u8]>) -> String;

fn typed<E: postmark_kit::Endpoint>(response: Response<&[u8]>) -> String
where
    E::Response: std::fmt::Debug,
{
    match postmark_kit::parse::<E>(response) {
        Ok(value) => format!("{value:?}"),
        Err(error) => format!("{error} {error:?}"),
    }
}

macro_rules! typed_parses {
    (server { $($s:ident, $sj:ident, $sp:ident, $sm:ident $sr:literal [$($sa:ident),*], $sty:path => $sre:ty;)* }
     account { $($a:ident, $aj:ident, $ap:ident, $am:ident $ar:literal [$($aa:ident),*], $aty:path => $are:ty;)* }) => {
        /// Every operation of the table by name, with its typed parse, in table order.
        pub static TYPED: &[(&str, TypedParse)] = &[
            $((stringify!($s), typed::<$sty> as TypedParse),)*
            $((stringify!($a), typed::<$aty> as TypedParse),)*
        ];
    };
}

postmark_kit::for_each_operation!(typed_parses);

/// The operations the dynamic interface reads answers for: every row of the table and
/// the raw request.
pub fn dynamic_operations() -> Vec<&'static postmark_kit::ops::Operation> {
    postmark_kit::ops::operations()
        .chain([&postmark_kit::ops::RAW])
        .collect()
}
