//! The `tfvpc` binary: all logic lives in the library's `cli` module.
#![forbid(unsafe_code)]

/// mimalloc rather than the system allocator: a large plan allocates millions of small
/// strings and vectors, and glibc's malloc spends a quarter of the run on them (and keeps
/// freed memory resident). Version 2 (`Cargo.toml`): it returns freed pages sooner than
/// version 3, so the peak is lower.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    // This thread is one of rayon's workers: it parsed and built the models, and with
    // mimalloc the memory it freed is reused by the analysis only on this thread. (If a
    // global pool cannot be set up this way, rayon's default pool is used.)
    let _ = rayon::ThreadPoolBuilder::new()
        .use_current_thread()
        .build_global();
    tfvpc::cli::main()
}
