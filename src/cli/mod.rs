//! The command line: arguments as typed → a command → output and one exit code.
//! One module per command; `main.rs` only calls [`main`].

mod check;
mod explain;
mod files;
mod import;
mod output;
mod progress;
mod rules;
mod ruleset;
mod test;

use clap::{Parser, Subcommand, ValueEnum};
use std::io::{IsTerminal, Write};
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "hecha",
    version,
    about = "Checks the figures of budget-performance reports against each other (核查)"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check reports (YAML or JSON data, or the files as submitted) against rules
    Check(check::CheckArgs),
    /// Write the YAML transcription of what hecha reads from a file, each figure with a
    /// comment naming where it was read
    Import(import::ImportArgs),
    /// Run the test cases kept beside rule files (rules/tests/<pack>/*.yaml)
    Test(test::TestArgs),
    /// Explain a rule: what it checks, why, and an example each way
    Explain(explain::ExplainArgs),
    /// List the rules that would run
    Rules(rules::RulesArgs),
}

/// When to colour human output.
#[derive(Clone, Copy, ValueEnum)]
pub enum ColorWhen {
    Auto,
    Always,
    Never,
}

impl ColorWhen {
    /// Auto: when stdout is a terminal and NO_COLOR is unset or empty.
    pub fn enabled(self) -> bool {
        match self {
            ColorWhen::Always => true,
            ColorWhen::Never => false,
            ColorWhen::Auto => {
                std::io::stdout().is_terminal()
                    && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
            }
        }
    }
}

/// Runs the command line and returns the exit code.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    match cli.command {
        Command::Check(args) => check::run(&args),
        Command::Import(args) => import::run(&args),
        Command::Test(args) => test::run(&args),
        Command::Explain(args) => explain::run(&args),
        Command::Rules(args) => rules::run(&args),
    }
}

/// Writes the output; a closed pipe (`| head`) is not an error. False when writing failed.
fn write_stdout(out: &[u8]) -> bool {
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(out).and_then(|()| stdout.flush()) {
        Ok(()) => true,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => true,
        Err(e) => {
            eprintln!("hecha: cannot write output: {e}");
            false
        }
    }
}
