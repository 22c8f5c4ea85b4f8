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
    compiled_from(root, &mut code);
    let out = Path::new(&std::env::var("OUT_DIR").unwrap()).join("builtin.rs");
    std::fs::write(out, code).unwrap();
}

/// The code that decides what the built-in packs compile to: the rule loader, the
/// expression language, figures, and the tree the YAML reader builds.
const COMPILING_CODE: &[&str] = &[
    "src/rules",
    "src/expr",
    "src/figure",
    "src/report",
    "src/read/yaml.rs",
    "src/fields.rs",
];

/// Adds `BUILTIN_COMPILED_FROM`, a hash of the packs and of the code that compiles them:
/// the compiled packs (`src/rules/builtin.bin`) are used only when made from the same.
/// The packs are hashed as bytes (their spans are byte offsets); the code without its
/// comment lines and line endings, so editing a comment or a checkout's line endings do
/// not make the compiled packs stale.
fn compiled_from(root: &Path, code: &mut String) {
    // FNV-1a, 64 bits: no dependency, and any difference changes it.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut add = |bytes: &[u8]| {
        for &b in bytes.iter().chain(&[0xff]) {
            hash ^= u64::from(b);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    };
    for pack in yaml_files(&root.join("rules")) {
        add(pack.file_name().unwrap().as_encoded_bytes());
        add(&std::fs::read(&pack).unwrap());
    }
    let mut files = Vec::new();
    for part in COMPILING_CODE {
        let path = root.join(part);
        println!("cargo:rerun-if-changed={}", path.display());
        if path.is_dir() {
            let mut rs: Vec<_> = std::fs::read_dir(&path)
                .unwrap()
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == "rs"))
                .collect();
            rs.sort();
            files.extend(rs);
        } else {
            files.push(path);
        }
    }
    for file in files {
        let name: Vec<String> = file
            .strip_prefix(root)
            .unwrap()
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        add(name.join("/").as_bytes());
        // Comment lines and line endings change nothing the packs compile to.
        let text = std::fs::read_to_string(&file).unwrap();
        let kept: String = text
            .lines()
            .filter(|line| !line.trim_start().starts_with("//"))
            .flat_map(|line| [line.trim_end(), "\n"])
            .collect();
        add(kept.as_bytes());
    }
    writeln!(
        code,
        "/// A hash of the packs and the code that compiles them (see `build.rs`).\npub(crate) const BUILTIN_COMPILED_FROM: u64 = {hash:#x};"
    )
    .unwrap();
}
