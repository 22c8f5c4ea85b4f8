//! Writes the sample forms as workbooks and a Word report into `samples/forms/`, from
//! the YAML samples there, and a prose report as a Word document into `samples/reports/`
//! from its .txt: `cargo run --example gen-forms`. The layouts (the national
//! template, 四川's, a lettered one) are in `tests/forms_gen/mod.rs`, which `tests/forms.rs`
//! also uses to check that the committed files are what the generator writes.

#[path = "../tests/forms_gen/mod.rs"]
mod forms_gen;

fn main() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/forms");
    for (name, _, bytes) in forms_gen::all(&dir) {
        std::fs::write(dir.join(&name), bytes).expect("samples/forms is writable");
        println!("wrote samples/forms/{name}");
    }
    let reports = dir.join("../reports");
    for (name, bytes) in forms_gen::reports(&reports) {
        std::fs::write(reports.join(&name), bytes).expect("samples/reports is writable");
        println!("wrote samples/reports/{name}");
    }
}
