//! Writes (or, with `--check`, verifies) every file derived from the core's
//! operation table, so that none of them can drift from it.
//!
//! ```text
//! postmark-codegen [--check] [--catalog PATH]
//! ```
//! Paths are relative to the workspace root; the catalog defaults to the
//! project's table of Postmark's endpoints (`crates/codegen/endpoints.tsv`).

mod npm_readme;
mod pyi;
mod schema;
mod scope;
mod shapes;
mod ts;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// One generated file: where it goes and what it must contain.
struct Output {
    path: PathBuf,
    contents: String,
}

fn main() -> ExitCode {
    let mut check = false;
    let mut catalog = PathBuf::from("crates/codegen/endpoints.tsv");
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--check" => check = true,
            "--catalog" => match args.next() {
                Some(path) => catalog = path.into(),
                None => return usage("--catalog needs a path"),
            },
            other => return usage(&format!("unknown argument `{other}`")),
        }
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let outputs = match generate(&root, &catalog) {
        Ok(outputs) => outputs,
        Err(message) => {
            eprintln!("postmark-codegen: {message}");
            return ExitCode::FAILURE;
        }
    };
    let mut stale = Vec::new();
    for output in outputs {
        let path = root.join(&output.path);
        let current = std::fs::read_to_string(&path).unwrap_or_default();
        if current == output.contents {
            continue;
        }
        if check {
            stale.push(output.path.display().to_string());
        } else if let Err(e) = std::fs::write(&path, output.contents) {
            eprintln!("postmark-codegen: writing {}: {e}", path.display());
            return ExitCode::FAILURE;
        }
    }
    if stale.is_empty() {
        ExitCode::SUCCESS
    } else {
        eprintln!(
            "postmark-codegen: out of date (run `just codegen`): {}",
            stale.join(", ")
        );
        ExitCode::FAILURE
    }
}

fn generate(root: &Path, catalog: &Path) -> Result<Vec<Output>, String> {
    let catalog = std::fs::read_to_string(root.join(catalog))
        .map_err(|e| format!("reading the catalog {}: {e}", catalog.display()))?;
    let readme_path = PathBuf::from("README.md");
    let readme = std::fs::read_to_string(root.join(&readme_path))
        .map_err(|e| format!("reading README.md: {e}"))?;
    let mut outputs = vec![Output {
        contents: scope::update_readme(&readme, &catalog)?,
        path: readme_path,
    }];
    outputs.extend(pyi::files()?.into_iter().map(|(path, contents)| Output {
        path: path.into(),
        contents,
    }));
    outputs.push(Output {
        contents: ts::file()?,
        path: ts::PATH.into(),
    });
    outputs.push(Output {
        contents: shapes::file()?,
        path: shapes::PATH.into(),
    });
    let read = |path: &str| {
        std::fs::read_to_string(root.join(path)).map_err(|e| format!("reading {path}: {e}"))
    };
    outputs.push(Output {
        contents: npm_readme::update(&read(npm_readme::PATH)?, &read(npm_readme::WORKER)?)?,
        path: npm_readme::PATH.into(),
    });
    Ok(outputs)
}

fn usage(problem: &str) -> ExitCode {
    eprintln!("postmark-codegen: {problem}\nusage: postmark-codegen [--check] [--catalog PATH]");
    ExitCode::FAILURE
}
