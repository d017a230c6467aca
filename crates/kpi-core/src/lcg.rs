//! A seeded pseudo-random generator for tests that compare a fast path with its reference on
//! many generated inputs: deterministic, so a failure is the same on every machine, and
//! independent of the code under test.

/// A 64-bit linear congruential generator (Knuth's MMIX constants).
pub(crate) struct Lcg(u64);

impl Lcg {
    pub(crate) fn new(seed: u64) -> Lcg {
        Lcg(seed)
    }

    /// The next 64-bit state; its high bits are the better ones.
    pub(crate) fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0
    }

    /// A number below `n` (`n` > 0), from the high bits.
    pub(crate) fn below(&mut self, n: usize) -> usize {
        usize::try_from((self.next() >> 33) % n as u64).expect("below n, a usize")
    }
}
