//! Compiles the email and page templates into the binary, so a deployment is
//! one file: each folder becomes a table of (name, source) that
//! `src/template_files.rs` hands to minijinja, which compiles a template the
//! first time it is used. Every template is parsed here, so a syntax error
//! fails the build, not a page or an email. It also asks the linker for
//! compact relocations (below).
use std::fmt::Write as _;
use std::path::Path;

fn main() {
    embed("email-templates", &["txt", "html"], "email_templates.rs");
    embed("page-templates", &["html"], "page_templates.rs");
    // The binary's 71,000 pointer fix-ups at load time as a compact bitmap
    // (DT_RELR, glibc 2.36 and binutils 2.38 or later; older linkers ignore
    // it with a warning) instead of 1.7 MB of relocation entries the loader
    // reads, and keeps resident, at every start.
    println!("cargo:rustc-link-arg-bins=-Wl,-z,pack-relative-relocs");
}

fn embed(folder: &str, extensions: &[&str], table: &str) {
    println!("cargo:rerun-if-changed={folder}");
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join(folder);
    let mut files = Vec::new();
    collect(&root, &mut files);
    files.retain(|path| path.extension().and_then(|e| e.to_str()).is_some_and(|e| extensions.contains(&e)));
    files.sort();
    let mut syntax = minijinja::Environment::new();
    let mut out = String::from("&[\n");
    for path in &files {
        let name =
            path.strip_prefix(&root).expect("under its folder").to_str().expect("a UTF-8 name").replace('\\', "/");
        let source = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        if let Err(err) = syntax.add_template_owned(name.clone(), source) {
            panic!("{folder}/{name} does not parse: {err:#}");
        }
        writeln!(out, "    ({name:?}, include_str!({:?})),", path.to_str().expect("a UTF-8 path")).expect("a String");
    }
    out.push(']');
    let out_dir = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    std::fs::write(Path::new(&out_dir).join(table), out).expect("OUT_DIR is writable");
}

fn collect(folder: &Path, files: &mut Vec<std::path::PathBuf>) {
    let entries = std::fs::read_dir(folder).unwrap_or_else(|e| panic!("cannot read {}: {e}", folder.display()));
    for entry in entries {
        let path = entry.expect("a readable folder").path();
        if path.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with('.')) {
            continue;
        }
        if path.is_dir() {
            collect(&path, files);
        } else {
            files.push(path);
        }
    }
}
