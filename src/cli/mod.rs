//! The command line: arguments as typed → a command → output and one exit code.
//! One module per command; `main.rs` only calls [`main`].

mod check;
mod docs;
mod explain;
mod import;
mod rules;
mod ruleset;
mod test;

use clap::{CommandFactory, Parser, Subcommand, ValueEnum};
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
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell)
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff), generated from the same definitions as --help:
    /// hecha(1), or with a command's name hecha-COMMAND(1)
    Man {
        #[arg(value_name = "COMMAND")]
        command: Option<String>,
    },
    /// Print the data conventions (数据约定) or the forms' conventions (绩效自评表)
    Docs(docs::DocsArgs),
}

/// When to colour human output.
#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum ColorWhen {
    Auto,
    Always,
    Never,
}

impl ColorWhen {
    /// Auto: when FORCE_COLOR is set (and not empty or `0`), or stdout is a terminal and
    /// NO_COLOR is unset or empty.
    pub fn enabled(self) -> bool {
        match self {
            ColorWhen::Always => true,
            ColorWhen::Never => false,
            ColorWhen::Auto => auto_color(
                std::io::stdout().is_terminal(),
                std::env::var_os("FORCE_COLOR").as_deref(),
                std::env::var_os("NO_COLOR").as_deref(),
            ),
        }
    }
}

/// Whether to colour in auto mode: FORCE_COLOR (as CI systems set it, whose logs show
/// colour though they are not terminals) wins, then NO_COLOR, then whether stdout is a
/// terminal.
fn auto_color(
    terminal: bool,
    force: Option<&std::ffi::OsStr>,
    no_color: Option<&std::ffi::OsStr>,
) -> bool {
    let set = |v: Option<&std::ffi::OsStr>| v.is_some_and(|v| !v.is_empty());
    if set(force) && force != Some(std::ffi::OsStr::new("0")) {
        return true;
    }
    terminal && !set(no_color)
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
        Command::Completions { shell } => {
            let mut out = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "hecha", &mut out);
            exit(write_stdout(&out))
        }
        Command::Man { command } => {
            let mut out = Vec::new();
            match man_page(command.as_deref(), &mut out) {
                Ok(true) => exit(write_stdout(&out)),
                Ok(false) => {
                    eprintln!(
                        "hecha: no command is named {}; `hecha --help` lists them",
                        command.unwrap_or_default()
                    );
                    ExitCode::from(2)
                }
                Err(_) => ExitCode::from(2),
            }
        }
        Command::Docs(args) => docs::run(&args),
    }
}

fn exit(ok: bool) -> ExitCode {
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    }
}

/// The manual page hecha(1), or hecha-COMMAND(1); false when no command has the name.
fn man_page(name: Option<&str>, out: &mut Vec<u8>) -> std::io::Result<bool> {
    let command = Cli::command();
    let Some(name) = name else {
        clap_mangen::Man::new(command).render(out)?;
        return Ok(true);
    };
    let Some(sub) = command.find_subcommand(name) else {
        return Ok(false);
    };
    let full = format!("hecha-{name}");
    let sub = sub.clone().display_name(full.clone()).bin_name(full);
    clap_mangen::Man::new(sub).render(out)?;
    Ok(true)
}

/// Writes the output; a closed pipe (`| head`) is not an error. False when writing failed.
/// Characters a terminal would act on (as in a rule's text or an argument) are shown as `?`.
fn write_stdout(out: &[u8]) -> bool {
    let text = String::from_utf8_lossy(out);
    let out = crate::source::safe_text(&text, true);
    let out = out.as_bytes();
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

#[cfg(test)]
mod tests {
    use super::auto_color;
    use std::ffi::OsStr;

    #[test]
    fn force_color_then_no_color_then_the_terminal() {
        let v = |s: &'static str| Some(OsStr::new(s));
        assert!(auto_color(false, v("1"), None));
        assert!(auto_color(false, v("true"), v("1")), "FORCE_COLOR wins");
        assert!(!auto_color(false, v("0"), None));
        assert!(!auto_color(false, v(""), None));
        assert!(!auto_color(true, None, v("1")));
        assert!(auto_color(true, None, v("")));
        assert!(!auto_color(false, None, None));
    }
}
