//! Pools of search scratch (regex caches) kept apart by checking thread.

use std::panic::{RefUnwindSafe, UnwindSafe};
use std::sync::{Arc, OnceLock};

use regex_automata::util::pool::{Pool, PoolGuard};

/// Makes one value of a pool.
pub type Make<T> = dyn Fn() -> T + Send + Sync + UnwindSafe + RefUnwindSafe;

/// Pools: one for the thread outside any rayon pool (the checking thread of `--jobs 1`),
/// one for each of the first eight threads of a pool; further threads share them.
const SLOTS: usize = 9;

/// A pool of values for each checking thread. A regex-automata pool hands a value out
/// without a lock only to the first thread that asks it (its owner); the others take a
/// mutex, and each hand-out writes to a cache line that every thread using the pool
/// reads. With one pool a thread, each thread is the owner of its own.
pub struct ThreadPools<T> {
    make: Arc<Make<T>>,
    pools: [OnceLock<Pool<T, Box<Make<T>>>>; SLOTS],
}

impl<T: Send + 'static> ThreadPools<T> {
    /// Pools whose values `make` makes.
    pub fn new(make: impl Fn() -> T + Send + Sync + UnwindSafe + RefUnwindSafe + 'static) -> Self {
        ThreadPools {
            make: Arc::new(make),
            pools: std::array::from_fn(|_| OnceLock::new()),
        }
    }

    /// A value from the calling thread's pool.
    pub fn get(&self) -> PoolGuard<'_, T, Box<Make<T>>> {
        let slot = rayon::current_thread_index().map_or(0, |i| 1 + i % (SLOTS - 1));
        self.pools[slot]
            .get_or_init(|| {
                let make = Arc::clone(&self.make);
                Pool::new(Box::new(move || make()))
            })
            .get()
    }
}

impl<T> std::fmt::Debug for ThreadPools<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let made = self.pools.iter().filter(|p| p.get().is_some()).count();
        f.debug_struct("ThreadPools").field("pools", &made).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[test]
    fn each_thread_of_a_rayon_pool_draws_from_a_pool_of_its_own() {
        static MADE: AtomicUsize = AtomicUsize::new(0);
        let pools = ThreadPools::new(|| MADE.fetch_add(1, Ordering::Relaxed));
        // Outside rayon: the first pool, which makes its first value.
        assert_eq!(*pools.get(), 0);
        let threads = rayon::ThreadPoolBuilder::new()
            .num_threads(2)
            .build()
            .unwrap();
        // Each of its threads: a pool of its own, which makes its own value.
        threads.broadcast(|_| drop(pools.get()));
        assert_eq!(format!("{pools:?}"), "ThreadPools { pools: 3 }");
        assert_eq!(MADE.load(Ordering::Relaxed), 3);
        // A value given back is handed out again by its pool.
        assert_eq!(*pools.get(), 0);
    }
}
