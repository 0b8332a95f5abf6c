//! [`Typed`]: the one piece of the request machinery compiled once per result type.
//!
//! Sending a request, driving a long-running operation and fetching a page are the same work
//! whatever the operation's model; only the last step, turning the response into azure_core's
//! `Response<T>` (or a poller's or pager's result over it), depends on `T`. So each of them is
//! an `async fn` of this crate that knows nothing of `T`, boxed by a non-generic function, and
//! a `Typed` future converts its output. Two reasons: generic code is compiled again in every
//! crate that uses it, once per type, and an `async` state machine is compiled in every crate
//! that polls it, even when it is not generic. BENCHMARKS.md has what this bought.

use azure_core::Result;
use std::{
    fmt,
    future::Future,
    pin::Pin,
    task::{Context, Poll},
};

/// A boxed future of this crate's, compiled once.
pub(crate) type Untyped<'a, R> = Pin<Box<dyn Future<Output = Result<R>> + Send + 'a>>;

/// A future of the request machinery whose output is converted to the caller's type when it
/// is ready: awaiting it gives `azure_core::Result<T>`. It is `Send`, and `'static` when its
/// lifetime is.
#[must_use = "futures do nothing unless you `.await` or poll them"]
pub struct Typed<'a, R, T> {
    inner: Untyped<'a, R>,
    convert: fn(R) -> T,
}

impl<'a, R, T> Typed<'a, R, T> {
    pub(crate) fn new(inner: Untyped<'a, R>, convert: fn(R) -> T) -> Self {
        Self { inner, convert }
    }
}

// A hand-written `Future` rather than an `async` block: this is what is compiled once per
// result type, and an `async` block's state machine and drop glue are several times larger.
impl<R, T> Future for Typed<'_, R, T> {
    type Output = Result<T>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<T>> {
        match self.inner.as_mut().poll(cx) {
            Poll::Ready(Ok(untyped)) => Poll::Ready(Ok((self.convert)(untyped))),
            Poll::Ready(Err(error)) => Poll::Ready(Err(error)),
            Poll::Pending => Poll::Pending,
        }
    }
}

impl<R, T> fmt::Debug for Typed<'_, R, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Typed")
    }
}
