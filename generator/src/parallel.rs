//! Independent work spread over the machine's cores: the api-versions are loaded and lowered
//! side by side, and the files of the crate emitted and formatted side by side. Results come
//! back in input order, so output and diagnostics do not depend on which thread ran first.

use std::num::NonZeroUsize;
use std::sync::atomic::{AtomicUsize, Ordering};

/// The stack of each worker thread: the main thread's usual 8 MiB rather than the 2 MiB
/// default of spawned threads, so that recursion over deeply nested (but bounded) input has
/// the same room as in a single-threaded run.
const STACK_BYTES: usize = 8 * 1024 * 1024;

/// `(0..count).map(work).collect()`, run on up to as many threads as the machine has cores
/// (the calling thread is one of them). Each thread takes the next index not yet taken, so a
/// slow item does not hold up the others. A panic in `work` is resumed on the caller.
pub fn map<T: Send>(count: usize, work: impl Fn(usize) -> T + Sync) -> Vec<T> {
    let threads = std::thread::available_parallelism()
        .map_or(1, NonZeroUsize::get)
        .min(count);
    if threads <= 1 {
        return (0..count).map(work).collect();
    }
    let next = AtomicUsize::new(0);
    let worker = || {
        let mut done = Vec::new();
        loop {
            let index = next.fetch_add(1, Ordering::Relaxed);
            if index >= count {
                return done;
            }
            done.push((index, work(index)));
        }
    };
    let mut results = std::thread::scope(|scope| {
        let helpers: Vec<_> = (1..threads)
            .map(|_| {
                std::thread::Builder::new()
                    .stack_size(STACK_BYTES)
                    .spawn_scoped(scope, worker)
            })
            .collect();
        let mut results = Vec::with_capacity(count);
        // A thread that cannot be started leaves its share to the others.
        let started: Vec<_> = helpers.into_iter().filter_map(Result::ok).collect();
        results.extend(worker());
        for helper in started {
            match helper.join() {
                Ok(done) => results.extend(done),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        results
    });
    results.sort_unstable_by_key(|&(index, _)| index);
    results.into_iter().map(|(_, result)| result).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_back_in_input_order() {
        let squares = map(100, |index| {
            // Uneven work, so that threads finish out of order.
            if index % 7 == 0 {
                std::thread::sleep(std::time::Duration::from_millis(1));
            }
            index * index
        });
        assert_eq!(squares, (0..100).map(|i| i * i).collect::<Vec<_>>());
        assert!(map(0, |index| index).is_empty());
        assert_eq!(map(1, |index| index + 1), vec![1]);
    }
}
