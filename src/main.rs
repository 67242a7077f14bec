//! The `tfvpc` binary: all logic lives in the library's `cli` module.
#![forbid(unsafe_code)]

/// mimalloc rather than the system allocator: a large plan allocates millions of small
/// strings and vectors, and glibc's malloc spends a quarter of the run on them (and keeps
/// freed memory resident).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    tfvpc::cli::main()
}
