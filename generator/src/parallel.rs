//! Independent work spread over the machine's cores: a small work queue whose tasks may add
//! tasks. `generate` starts with one task per api-version (load, lower, validate); each adds
//! the tasks that emit and format its own files as soon as it is lowered, so one core renders
//! while the other still lowers a larger api-version. Callers keep results by index, so
//! output and diagnostics do not depend on which thread ran first.

use std::num::NonZeroUsize;
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};

/// The stack of each worker thread: the main thread's usual 8 MiB rather than the 2 MiB
/// default of spawned threads, so that recursion over deeply nested (but bounded) input has
/// the same room as in a single-threaded run.
const STACK_BYTES: usize = 8 * 1024 * 1024;

/// Tasks waiting to run, shared by the worker threads of [`run`].
pub struct Queue<T> {
    state: Mutex<State<T>>,
    /// Signalled when a task is pushed, and when the last running task ends with none left.
    changed: Condvar,
}

struct State<T> {
    /// A stack: the task pushed last is taken first.
    waiting: Vec<T>,
    /// Tasks taken and not yet done: while any runs, more may still be pushed.
    running: usize,
}

impl<T> Queue<T> {
    /// Adds a task, taken before every task pushed earlier: push the largest last.
    pub fn push(&self, task: T) {
        self.lock().waiting.push(task);
        self.changed.notify_one();
    }

    /// The next task, waiting while none is left but some still run (and may push more);
    /// `None` once none is left and none runs.
    fn take(&self) -> Option<T> {
        let mut state = self.lock();
        loop {
            if let Some(task) = state.waiting.pop() {
                state.running += 1;
                return Some(task);
            }
            if state.running == 0 {
                return None;
            }
            state = self
                .changed
                .wait(state)
                .unwrap_or_else(PoisonError::into_inner);
        }
    }

    /// No task panics while holding the lock, but a poisoned lock is no reason to stop.
    fn lock(&self) -> MutexGuard<'_, State<T>> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Marks a taken task done when dropped, also when the task panics: the other threads then
/// still see the queue drain and stop, and the panic is resumed on the caller.
struct Running<'q, T>(&'q Queue<T>);

impl<T> Drop for Running<'_, T> {
    fn drop(&mut self) {
        let mut state = self.0.lock();
        state.running -= 1;
        if state.running == 0 && state.waiting.is_empty() {
            self.0.changed.notify_all();
        }
    }
}

/// Runs `tasks` and every task they push, on up to as many threads as the machine has cores
/// (the calling thread is one of them); returns when all are done. The last of `tasks` is
/// taken first. A panic in `work` is resumed on the caller once the other threads stopped.
pub fn run<T: Send>(tasks: Vec<T>, work: impl Fn(T, &Queue<T>) + Sync) {
    let queue = Queue {
        state: Mutex::new(State {
            waiting: tasks,
            running: 0,
        }),
        changed: Condvar::new(),
    };
    let threads = std::thread::available_parallelism().map_or(1, NonZeroUsize::get);
    let worker = || {
        while let Some(task) = queue.take() {
            let _running = Running(&queue);
            work(task, &queue);
        }
    };
    if threads <= 1 {
        return worker();
    }
    std::thread::scope(|scope| {
        // A thread that cannot be started leaves its share to the others.
        let helpers: Vec<_> = (1..threads)
            .filter_map(|_| {
                std::thread::Builder::new()
                    .stack_size(STACK_BYTES)
                    .spawn_scoped(scope, worker)
                    .ok()
            })
            .collect();
        worker();
        for helper in helpers {
            if let Err(panic) = helper.join() {
                std::panic::resume_unwind(panic);
            }
        }
    });
}

/// `(0..count).map(work).collect()`, run by [`run`]: index 0 first, each thread taking the
/// next index not yet taken, so a slow item does not hold up the others.
/// One item or none is worked on the calling thread, without starting any.
pub fn map<T: Send>(count: usize, work: impl Fn(usize) -> T + Sync) -> Vec<T> {
    if count <= 1 {
        return (0..count).map(work).collect();
    }
    let done = Mutex::new(Vec::with_capacity(count));
    run((0..count).rev().collect(), |index, _| {
        let result = work(index);
        done.lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push((index, result));
    });
    let mut done = done.into_inner().unwrap_or_else(PoisonError::into_inner);
    done.sort_unstable_by_key(|&(index, _)| index);
    done.into_iter().map(|(_, result)| result).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

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

    /// Tasks that push tasks, the last pushed while every other thread waits for work: all
    /// run, each once, and `run` returns.
    #[test]
    fn tasks_pushed_by_tasks_all_run() {
        // On its own thread, so that a lost wakeup (a worker waiting for ever) fails the test
        // after a while instead of hanging the run.
        let (sender, receiver) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let seen = Mutex::new(Vec::new());
            run(vec![3, 0, 5], |depth: u32, queue| {
                if depth > 0 {
                    // A slow parent: the other threads find the queue empty meanwhile.
                    std::thread::sleep(std::time::Duration::from_millis(2));
                    queue.push(depth - 1);
                    queue.push(depth - 1);
                }
                seen.lock().unwrap().push(depth);
            });
            let _ = sender.send(seen.into_inner().unwrap());
        });
        let mut seen = receiver
            .recv_timeout(std::time::Duration::from_secs(60))
            .expect("every task ran and the workers stopped");
        seen.sort_unstable();
        // A task of depth d runs 2^d tasks in all: 8 + 1 + 32 for depths 3, 0, 5.
        assert_eq!(seen.len(), 15 + 1 + 63);
        assert_eq!(seen.iter().filter(|&&d| d == 0).count(), 8 + 1 + 32);
        run(Vec::<u8>::new(), |_, _| unreachable!("no task"));
    }

    /// The last task pushed is taken first: on one thread the order is exact.
    #[test]
    fn the_last_pushed_is_taken_first() {
        let order = Mutex::new(Vec::new());
        let queue = Queue {
            state: Mutex::new(State {
                waiting: vec![1, 2],
                running: 0,
            }),
            changed: Condvar::new(),
        };
        while let Some(task) = queue.take() {
            let _running = Running(&queue);
            if task == 2 {
                queue.push(3);
                queue.push(4);
            }
            order.lock().unwrap().push(task);
        }
        assert_eq!(order.into_inner().unwrap(), [2, 4, 3, 1]);
    }

    /// A panicking task does not leave the other threads waiting: the rest still run and the
    /// panic reaches the caller.
    #[test]
    fn a_panic_reaches_the_caller_after_the_rest_ran() {
        let ran = AtomicUsize::new(0);
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            run((0..20).collect(), |task: usize, queue| {
                if task == 10 {
                    panic!("task 10");
                }
                if task == 19 {
                    queue.push(100);
                }
                ran.fetch_add(1, Ordering::Relaxed);
            })
        }));
        assert!(result.is_err());
        // On one core the panic stops the only worker at once.
        let cores = std::thread::available_parallelism().map_or(1, NonZeroUsize::get);
        if cores > 1 {
            assert_eq!(ran.load(Ordering::Relaxed), 20);
        }
    }
}
