//! Work spread over the machine's threads with results kept in order, so that what comes
//! out (a catalog, a report, a table) is the same whatever the number of threads: reading and
//! checking definition files and writing a table's months here, building and rendering a
//! report's rows in `kpi-report`; and independent parts of one slice worked on in place (a
//! wide table's cells handed to their names, its numbers read ahead).

/// `build` applied to each `chunk`-long piece of `items`, on as many threads as the machine
/// runs at once: a round of pieces, one per thread, and the next round only as the results
/// are taken, so that one round's results at most wait to be used. Results come in the order
/// of `items`. A panic in a thread is resumed in the caller's.
pub fn in_order<'i, T: Sync, R: Send + 'i>(
    items: &'i [T],
    chunk: usize,
    build: impl Fn(&[T]) -> R + Sync + 'i,
) -> impl Iterator<Item = R> + 'i {
    let threads = threads();
    items.chunks(chunk.max(1) * threads).flat_map(move |round| {
        let build = &build;
        let mut pieces = round.chunks(chunk.max(1));
        let first = pieces.next().unwrap_or_default();
        std::thread::scope(|scope| {
            // The calling thread takes the first piece: a round of one starts no thread.
            let others: Vec<_> = pieces.map(|p| scope.spawn(move || build(p))).collect();
            let mut results = Vec::with_capacity(others.len() + 1);
            results.push(build(first));
            for other in others {
                match other.join() {
                    Ok(result) => results.push(result),
                    Err(panic) => std::panic::resume_unwind(panic),
                }
            }
            results
        })
    })
}

/// `work` on each part of `items`, on as many threads as the machine runs at once: one part
/// per thread, each at least `fewest` long (a shorter slice is one part, on the calling
/// thread), given with the index of its first item. Parts are independent, so what they
/// hold afterwards is the same whatever the number of threads. A panic in a thread is
/// resumed in the caller's.
pub(crate) fn in_parts<T: Send>(
    items: &mut [T],
    fewest: usize,
    work: impl Fn(&mut [T], usize) + Sync,
) {
    let part = items.len().div_ceil(threads()).max(fewest).max(1);
    let mut parts = items.chunks_mut(part).enumerate();
    let work = &work;
    std::thread::scope(|scope| {
        // The calling thread takes the first part: one part starts no thread.
        let first = parts.next();
        for (k, part_items) in parts {
            scope.spawn(move || work(part_items, k * part));
        }
        if let Some((_, part_items)) = first {
            work(part_items, 0);
        }
    });
}

/// How many threads the machine runs at once (1 when it cannot say).
pub fn threads() -> usize {
    // Asked once: on Linux the answer reads the process's cgroup files.
    static THREADS: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    *THREADS.get_or_init(|| std::thread::available_parallelism().map_or(1, std::num::NonZero::get))
}

#[cfg(test)]
mod tests {
    use super::in_order;

    /// Every piece, once, in order, at every size around the rounds' edges.
    #[test]
    fn results_come_in_the_order_of_the_items() {
        for len in [0, 1, 2, 3, 7, 8, 9, 63, 64, 65, 1000] {
            let items: Vec<usize> = (0..len).collect();
            for chunk in [1, 2, 8, 64] {
                let got: Vec<usize> = in_order(&items, chunk, |piece| piece.to_vec())
                    .flatten()
                    .collect();
                assert_eq!(got, items, "{len} items by {chunk}");
            }
        }
    }

    /// Every item worked on once, with its own index, at every size around the parts' edges.
    #[test]
    fn every_part_is_worked_on_once_with_its_first_index() {
        for len in [0, 1, 2, 7, 64, 1001] {
            for fewest in [1, 3, 64, 5000] {
                let mut items = vec![usize::MAX; len];
                super::in_parts(&mut items, fewest, |part, first| {
                    for (k, item) in part.iter_mut().enumerate() {
                        assert_eq!(*item, usize::MAX, "worked on twice");
                        *item = first + k;
                    }
                });
                assert_eq!(items, (0..len).collect::<Vec<_>>(), "{len} by {fewest}");
            }
        }
    }

    #[test]
    #[should_panic(expected = "piece 3")]
    fn a_panic_in_a_thread_reaches_the_caller() {
        let items: Vec<usize> = (0..1000).collect();
        for _ in in_order(&items, 1, |piece| assert!(piece[0] != 3, "piece 3")) {}
    }
}
