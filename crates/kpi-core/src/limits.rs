//! Hard limits on untrusted input, so that no definition or data file can exhaust memory or
//! the stack. Each is reported as a clear error, never a crash; `SECURITY.md` lists them.

/// Largest definition file, in bytes.
pub const MAX_DEFINITION_BYTES: u64 = 64 * 1024;
/// Largest data file, in bytes.
pub const MAX_DATA_BYTES: u64 = 64 * 1024 * 1024;
/// Most months from the first to the last month in the data (every column holds one value
/// per month of that span).
pub const MAX_DATA_MONTHS: usize = 1_200;
/// Largest file of root certificates (a PostgreSQL URL's `sslrootcert`), in bytes: a CA
/// bundle of every public root is about 250 KiB.
pub const MAX_CERTIFICATE_BYTES: u64 = 4 * 1024 * 1024;
/// Largest `kpi.toml`, in bytes.
pub const MAX_CONFIG_BYTES: u64 = 64 * 1024;
/// Longest formula, in bytes.
pub const MAX_FORMULA_BYTES: usize = 2_000;
/// Deepest nesting of brackets and unary operators in a formula: 64, the limit of Excel, so
/// that a formula carried over from a spreadsheet fits.
///
/// `evalexpr` parses, evaluates and drops its trees recursively; a few thousand levels abort
/// the process with a stack overflow, so the text is checked before it is handed over.
pub const MAX_FORMULA_DEPTH: usize = 64;
/// Most operands in one formula (bounds the depth of `evalexpr`'s left-leaning operator chains).
pub const MAX_FORMULA_TERMS: usize = 200;
/// Most definitions loaded at once.
pub const MAX_DEFINITIONS: usize = 100_000;
/// Largest `k` in `prev(name, k)`.
pub const MAX_PREV_MONTHS: u32 = 120;
