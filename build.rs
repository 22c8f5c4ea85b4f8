//! Embeds the built-in rule packs (`rules/*.yaml`) and their test cases
//! (`rules/tests/<pack>/*.yaml`, used by `hecha explain` for examples) in the binary, and
//! the readers' knowledge files (`rules/readers/*.yaml`).

use std::fmt::Write as _;
use std::path::Path;

fn yaml_files(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.is_file() && p.extension().is_some_and(|e| e == "yaml"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let rules = root.join("rules");
    println!("cargo:rerun-if-changed=rules");
    let mut code = String::from(
        "/// The packs under `rules/`, by file name.\npub const BUILTIN_PACKS: &[(&str, &str)] = &[\n",
    );
    let mut cases = String::from(
        "/// Their test cases, as `<pack>/<file>` and text.\npub const BUILTIN_CASES: &[(&str, &str)] = &[\n",
    );
    for pack in yaml_files(&rules) {
        let name = pack.file_name().unwrap().to_string_lossy().into_owned();
        writeln!(
            code,
            "    ({name:?}, include_str!({:?})),",
            pack.display().to_string()
        )
        .unwrap();
        let stem = pack.file_stem().unwrap().to_string_lossy().into_owned();
        let dir = rules.join("tests").join(&stem);
        println!("cargo:rerun-if-changed={}", dir.display());
        for case in yaml_files(&dir) {
            let file = case.file_name().unwrap().to_string_lossy().into_owned();
            writeln!(
                cases,
                "    (\"{stem}/{file}\", include_str!({:?})),",
                case.display().to_string()
            )
            .unwrap();
        }
    }
    code.push_str("];\n");
    cases.push_str("];\n");
    code.push_str(&cases);
    // The readers' knowledge files (`rules/readers/*.yaml`: forms layout, prose lexicon),
    // which are not rule packs.
    code.push_str(
        "/// The readers' knowledge files under `rules/readers/`, by file name.\npub const BUILTIN_READERS: &[(&str, &str)] = &[\n",
    );
    for file in yaml_files(&rules.join("readers")) {
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        writeln!(
            code,
            "    ({name:?}, include_str!({:?})),",
            file.display().to_string()
        )
        .unwrap();
    }
    code.push_str("];\n");
    let out = Path::new(&std::env::var("OUT_DIR").unwrap()).join("builtin.rs");
    std::fs::write(out, code).unwrap();
}
