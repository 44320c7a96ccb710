//! The `waymark` command line.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use waymark::build::Build;
use waymark::diag::{self, Diagnostic};

/// mimalloc instead of the system allocator: a build allocates millions of
/// small strings on several threads, where glibc malloc spends a sixth of
/// `check`'s time (see BENCHMARKS.md).
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `mi_option_purge_delay` in mimalloc's `mi_option_t` (`include/mimalloc.h`
/// of the v3 sources that `libmimalloc-sys` builds).
const MI_OPTION_PURGE_DELAY: std::ffi::c_int = 15;

extern "C" {
    // Part of the mimalloc library that `mimalloc` links in statically.
    fn mi_option_set(option: std::ffi::c_int, value: std::ffi::c_long);
    #[cfg(test)]
    fn mi_option_get(option: std::ffi::c_int) -> std::ffi::c_long;
}

#[cfg(target_os = "linux")]
extern "C" {
    // The C library's `prctl(2)`.
    fn prctl(option: std::ffi::c_int, ...) -> std::ffi::c_int;
}

/// `PR_SET_THP_DISABLE` and `PR_GET_THP_DISABLE` of `<linux/prctl.h>`.
#[cfg(target_os = "linux")]
const PR_SET_THP_DISABLE: std::ffi::c_int = 41;
#[cfg(all(target_os = "linux", test))]
const PR_GET_THP_DISABLE: std::ffi::c_int = 42;

/// Keeps memory the process has freed for its own reuse instead of handing it
/// back to the system a second later (mimalloc's default purge delay), and
/// does without transparent huge pages.
///
/// `check` frees each file's text once it is parsed and allocates the next:
/// with purging, the same memory was returned and faulted in again, zeroed
/// 2 MB at a time, a thousand times a run (a quarter of `check`'s CPU on this
/// VM). Only for short commands: `serve` keeps the default and gives memory
/// back while it waits.
///
/// On Linux it also turns transparent huge pages off for the process:
/// mimalloc asks for them (`MADV_HUGEPAGE`), and with the usual `defrag =
/// madvise` setting a fault in such memory may stop to compact memory for a
/// 2 MB page, which a machine whose page cache is full of a previous build's
/// output made slow: `check` at 10k spent 0.7 s instead of 1.1 s in the
/// kernel with them off (mimalloc's own option for this is read before
/// `main`).
fn memory_for_a_short_run() {
    // SAFETY: a plain setter of a global option, documented as callable at
    // any time, and a `prctl` with integer arguments that changes only how
    // the kernel backs this process's memory (the call fails harmlessly on
    // kernels without it).
    unsafe {
        mi_option_set(MI_OPTION_PURGE_DELAY, -1);
        #[cfg(target_os = "linux")]
        prctl(PR_SET_THP_DISABLE, 1 as std::ffi::c_ulong, 0 as std::ffi::c_ulong, 0 as std::ffi::c_ulong, 0 as std::ffi::c_ulong);
    }
}

#[derive(Parser)]
#[command(name = "waymark", version, about = "Builds the Mekong corruption and trafficking research site")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum Format {
    Text,
    Github,
    Json,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into the output folder.
    Build {
        /// Site root (holds site.toml).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Output folder (default: ROOT/output).
        #[arg(long)]
        output: Option<PathBuf>,
        /// Include documents marked draft = true.
        #[arg(long)]
        drafts: bool,
    },
    /// Validate everything; write nothing.
    Check {
        /// Site root.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
    },
    /// Build, serve on 127.0.0.1, rebuild on change.
    Serve {
        /// Site root.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Port (default: a free one).
        #[arg(long)]
        port: Option<u16>,
    },
    /// Write a new document from a template.
    New {
        /// brief, country, journey or page.
        kind: String,
        /// Slug (file stem).
        slug: String,
        /// Site root.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Write a translation into this language.
        #[arg(long)]
        lang: Option<String>,
    },
    /// Write a minimal working site.
    Init {
        /// Folder to create.
        dir: PathBuf,
    },
    /// Translation status per language and document.
    Translations {
        /// Site root.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
        /// Record the current source hash in the translation at PATH.
        #[arg(long)]
        stamp: Option<PathBuf>,
        /// With --stamp on a counter-measures file: the language to stamp.
        #[arg(long)]
        lang: Option<String>,
    },
}

fn print_diags(diags: &[Diagnostic], format: Format) {
    match format {
        Format::Text => {
            let colour = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
            for d in diags {
                eprint!("{}", d.render_text(colour));
            }
        }
        Format::Github => {
            for d in diags {
                println!("{}", d.render_github());
            }
        }
        Format::Json => println!("{}", serde_json::to_string_pretty(diags).unwrap_or_else(|_| "[]".into())),
    }
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    match cli.command {
        Command::Build { root, output, drafts } => {
            let output = output.unwrap_or_else(|| root.join("output"));
            // Ctrl-C: leave the previous output as it was and no staging folder behind.
            let out = output.clone();
            let _ = ctrlc::set_handler(move || {
                waymark::write::clean_up_interrupted(&out);
                eprintln!("\ninterrupted; {} was left as it was", out.display());
                std::process::exit(130);
            });
            let b = Build { root, output: Some(output.clone()), drafts };
            match b.run() {
                Ok(r) => {
                    print_diags(&r.diagnostics, Format::Text);
                    let errors = r.diagnostics.iter().filter(|d| d.severity == diag::Severity::Error).count();
                    if errors > 0 {
                        eprintln!("error: build failed with {errors} error(s); {} was left as it was", output.display());
                        return ExitCode::from(1);
                    }
                    let per: Vec<String> = r.stats.pages.iter().map(|(l, n)| format!("{l} {n}")).collect();
                    let total: usize = r.stats.pages.values().sum();
                    eprintln!("built {total} pages ({}) into {} in {} ms", per.join(", "), output.display(), r.elapsed.as_millis());
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("error: {}", e.0);
                    ExitCode::from(2)
                }
            }
        }
        Command::Check { root, format } => {
            memory_for_a_short_run();
            let b = Build { root, output: None, drafts: true };
            match b.run() {
                Ok(r) => {
                    print_diags(&r.diagnostics, format);
                    let errors = r.diagnostics.iter().filter(|d| d.severity == diag::Severity::Error).count();
                    let warnings = r.diagnostics.len() - errors;
                    if format == Format::Text {
                        eprintln!("checked in {} ms: {errors} error(s), {warnings} warning(s)", r.elapsed.as_millis());
                    }
                    ExitCode::from(u8::from(errors > 0))
                }
                Err(e) => {
                    eprintln!("error: {}", e.0);
                    ExitCode::from(2)
                }
            }
        }
        Command::Translations { root, format, stamp, lang } => waymark::cli::translations(&root, format == Format::Json, stamp.as_deref(), lang.as_deref()),
        Command::New { kind, slug, root, lang } => waymark::cli::new_document(&root, &kind, &slug, lang.as_deref()),
        Command::Init { dir } => waymark::cli::init(&dir),
        Command::Serve { root, port } => waymark::serve::serve(&root, port),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn purge_delay_option_is_the_one_set() {
        // The index is checked against mimalloc v3's own default for this
        // option (1,000 ms; `src/options.c`), and against the value set.
        // SAFETY: plain getters and setters of global options.
        unsafe {
            assert_eq!(mi_option_get(MI_OPTION_PURGE_DELAY), 1000);
            memory_for_a_short_run();
            assert_eq!(mi_option_get(MI_OPTION_PURGE_DELAY), -1);
            #[cfg(target_os = "linux")]
            assert_eq!(prctl(PR_GET_THP_DISABLE, 0 as std::ffi::c_ulong, 0 as std::ffi::c_ulong, 0 as std::ffi::c_ulong, 0 as std::ffi::c_ulong), 1);
        }
    }
}
