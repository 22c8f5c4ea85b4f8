//! `hecha test`: its flags, mapped to [`TestOptions`]; the run itself is
//! [`crate::session::test`] (exit codes there).

use crate::session::test::TestOptions;
use clap::Args;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Args)]
pub(crate) struct TestArgs {
    /// Rule files, or directories of them (default: rules); the cases of `dir/x.yaml` are
    /// `dir/tests/x/*.yaml`
    #[arg(value_name = "PATHS")]
    paths: Vec<PathBuf>,
    /// Write each case file's output to its `.out` file instead of comparing
    #[arg(long)]
    bless: bool,
    /// Also fail when a rule has no case where it fires or no case where it passes
    #[arg(long)]
    coverage: bool,
    /// Run the built-in packs' own cases, embedded in the binary (the default when no
    /// path is given and there is no rules folder here); their .out files are not
    /// embedded, so only the expectations are checked
    #[arg(long, conflicts_with = "bless")]
    builtin: bool,
}

impl TestArgs {
    fn options(&self) -> TestOptions {
        TestOptions {
            paths: self.paths.clone(),
            bless: self.bless,
            coverage: self.coverage,
            builtin: self.builtin,
        }
    }
}

/// `hecha test`: the cases, then one exit code.
pub fn run(args: &TestArgs) -> ExitCode {
    let tested = crate::session::test::run(&args.options());
    for message in &tested.messages {
        eprintln!("hecha: {message}");
    }
    if !super::write_stdout(tested.text.as_bytes()) {
        return ExitCode::from(2);
    }
    ExitCode::from(tested.exit_code)
}
