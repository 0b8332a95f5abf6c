//! Captures what azure_core and the runtime log through `tracing`, at every level (TRACE
//! included), for the test running on the current thread.
//!
//! One global subscriber is installed for the whole test binary and keeps each event for the
//! thread that logged it, while that thread is capturing. (A scoped `set_default` per test is
//! not reliable when tests run in parallel: tracing caches per-callsite interest globally.)
//! `#[tokio::test]` runs the client, the transport and the server on the test's own thread.

use std::{
    cell::RefCell,
    fmt::{Debug, Write as _},
    marker::PhantomData,
    sync::{
        Once,
        atomic::{AtomicU64, Ordering},
    },
};
use tracing::{
    Event, Metadata, Subscriber,
    field::{Field, Visit},
    span::{Attributes, Id, Record},
};

thread_local! {
    static CAPTURED: RefCell<Option<Vec<String>>> = const { RefCell::new(None) };
}

/// Capturing on this thread until dropped.
pub struct CapturedLogs {
    // Not Send: the capture belongs to the thread that started it.
    _thread: PhantomData<*const ()>,
}

impl CapturedLogs {
    pub fn start() -> Self {
        static INSTALL: Once = Once::new();
        INSTALL.call_once(|| {
            tracing::subscriber::set_global_default(PerThread::default())
                .expect("no other global tracing subscriber in this test binary");
        });
        CAPTURED.with(|captured| *captured.borrow_mut() = Some(Vec::new()));
        Self {
            _thread: PhantomData,
        }
    }

    /// Everything this thread logged since [`start`](Self::start), one entry per event or span.
    pub fn lines(&self) -> Vec<String> {
        CAPTURED.with(|captured| captured.borrow().clone().unwrap_or_default())
    }
}

impl Drop for CapturedLogs {
    fn drop(&mut self) {
        CAPTURED.with(|captured| *captured.borrow_mut() = None);
    }
}

fn keep(metadata: Option<&Metadata<'_>>, record: impl FnOnce(&mut Fields)) {
    CAPTURED.with(|captured| {
        if let Some(lines) = captured.borrow_mut().as_mut() {
            let mut fields = Fields(String::new());
            if let Some(metadata) = metadata {
                let _ = write!(fields.0, "{} {}: ", metadata.level(), metadata.target());
            }
            record(&mut fields);
            lines.push(fields.0);
        }
    });
}

struct Fields(String);

impl Visit for Fields {
    fn record_debug(&mut self, field: &Field, value: &dyn Debug) {
        let _ = write!(self.0, "{}={value:?} ", field.name());
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        let _ = write!(self.0, "{}={value} ", field.name());
    }
}

#[derive(Default)]
struct PerThread {
    next_span: AtomicU64,
}

impl Subscriber for PerThread {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }

    fn new_span(&self, span: &Attributes<'_>) -> Id {
        keep(Some(span.metadata()), |fields| span.record(fields));
        Id::from_u64(self.next_span.fetch_add(1, Ordering::Relaxed) + 1)
    }

    fn record(&self, _: &Id, values: &Record<'_>) {
        keep(None, |fields| values.record(fields));
    }

    fn record_follows_from(&self, _: &Id, _: &Id) {}

    fn event(&self, event: &Event<'_>) {
        keep(Some(event.metadata()), |fields| event.record(fields));
    }

    fn enter(&self, _: &Id) {}

    fn exit(&self, _: &Id) {}
}
