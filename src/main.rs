fn main() -> std::process::ExitCode {
    hecha::cli::main()
}
