//! A seeded pseudo-random generator for the tests that compare a fast path with Rust's own
//! formatting on many values: deterministic, so a failure is the same on every machine.
//! (`kpi-core` has its own for its tests: a test-only module cannot cross crates.)

/// `n` values of a 64-bit linear congruential generator (Knuth's MMIX constants) from `seed`;
/// their high bits are the better ones.
pub(crate) fn values(seed: u64, n: usize) -> impl Iterator<Item = u64> {
    let mut state = seed;
    (0..n).map(move |_| {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        state
    })
}
