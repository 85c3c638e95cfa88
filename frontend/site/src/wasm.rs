//! The WASM bundle: wasm-bindgen (a library at the Cargo.lock version), then wasm-opt from
//! npm's binaryen, installed in a package of its own (`frontend/site/wasm-opt`). Never
//! Debian's wasm-opt: its output breaks hydration.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::error::{file, SiteError};
use crate::{modified, run, Result, Workspace};

/// `npm ci` in `dir` unless its `node_modules` is as new as its lockfile.
pub fn ensure_npm_package(dir: &Path) -> Result {
    let stamp = dir.join("node_modules/.package-lock.json");
    let lock = dir.join("package-lock.json");
    if modified(&stamp).is_some() && modified(&stamp) >= modified(&lock) {
        return Ok(());
    }
    run(Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund"])
        .current_dir(dir))
}

impl Workspace {
    fn wasm_opt_package(&self) -> PathBuf {
        self.root.join("frontend/site/wasm-opt")
    }

    pub fn bindgen(&self, raw: &Path, pkg: &Path) -> Result {
        eprintln!("site: wasm-bindgen {}", raw.display());
        wasm_bindgen_cli_support::Bindgen::new()
            .input_path(raw)
            .out_name(&self.leptos.output_name)
            .web(true)
            .map_err(|e| SiteError::Bindgen(e.into()))?
            .typescript(false)
            .remove_name_section(true)
            .remove_producers_section(true)
            .generate(pkg)
            .map_err(|e| SiteError::Bindgen(e.into()))
    }

    pub fn optimise(&self, input: &Path, output: &Path) -> Result {
        let package = self.wasm_opt_package();
        ensure_npm_package(&package)?;
        // -O1, not -Oz: what counts is the bytes sent compressed, and rustc's opt-level "z"
        // output loses its compressibility under -Oz (measured on this bundle: brotli 338,006
        // bytes after -Oz, 318,106 after -O1; gzip 450,079 and 412,750).
        run(Command::new(package.join("node_modules/.bin/wasm-opt"))
            .arg("-O1")
            .args([
                "--enable-bulk-memory",
                "--enable-nontrapping-float-to-int",
                "--enable-sign-ext",
                "--enable-reference-types",
                "--enable-multivalue",
                "--enable-mutable-globals",
            ])
            .arg(input)
            .arg("-o")
            .arg(output))?;
        std::fs::remove_file(input).map_err(file("remove", input))
    }
}
