//! `cargo site dist`: one release binary with the site inside it.
//!
//! The bundles (JS, WASM, CSS) are renamed `jetons.<hash>.*` after their content, so browsers
//! may keep them for a year; every file is also stored compressed (brotli, gzip) for the
//! server to send as it is. The server is then built in release with the `dist` feature,
//! which embeds that folder, and copied to `target/dist/jetons`.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use sha2::{Digest, Sha256};

use crate::error::{file, SiteError};
use crate::{copy_dir, run, Result, Workspace};

/// The dist binary, and the folder that was embedded in it.
pub struct Dist {
    pub binary: PathBuf,
}

const BUNDLES: [&str; 3] = ["js", "wasm", "css"];

fn read(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(file("read", path))
}

fn write(path: &Path, bytes: &[u8]) -> Result {
    std::fs::write(path, bytes).map_err(file("write", path))
}

fn brotli(bytes: &[u8]) -> Result<Vec<u8>> {
    let mut compressed = Vec::new();
    {
        let mut writer = brotli::CompressorWriter::new(&mut compressed, 64 * 1024, 11, 22);
        writer
            .write_all(bytes)
            .map_err(|source| SiteError::Compress {
                format: "brotli",
                source,
            })?;
    }
    Ok(compressed)
}

fn gzip(bytes: &[u8]) -> Result<Vec<u8>> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    let gzip = |source| SiteError::Compress {
        format: "gzip",
        source,
    };
    encoder.write_all(bytes).map_err(gzip)?;
    encoder.finish().map_err(gzip)
}

/// Every file under `dir`, recursively.
fn files(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut found = Vec::new();
    let entries = std::fs::read_dir(dir).map_err(file("read", dir))?;
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            found.extend(files(&path)?);
        } else {
            found.push(path);
        }
    }
    Ok(found)
}

impl Workspace {
    pub fn dist(&self) -> Result<Dist> {
        let site = self.build_assets()?;
        let out = self.target.join("dist");
        let staged = out.join("site");
        if staged.exists() {
            std::fs::remove_dir_all(&staged).map_err(file("remove", &staged))?;
        }
        let name = &self.leptos.output_name;
        let pkg_dir = &self.leptos.pkg_dir;
        let pkg = staged.join(pkg_dir);
        std::fs::create_dir_all(&pkg).map_err(file("create", &pkg))?;

        let mut digest = Sha256::new();
        let mut bundles = Vec::new();
        for extension in BUNDLES {
            let bytes = read(&site.join(pkg_dir).join(format!("{name}.{extension}")))?;
            digest.update(&bytes);
            bundles.push((extension, bytes));
        }
        let hash: String = digest.finalize()[..10]
            .iter()
            .map(|byte| format!("{byte:02x}"))
            .collect();
        let output_name = format!("{name}.{hash}");
        for (extension, bytes) in &bundles {
            write(&pkg.join(format!("{output_name}.{extension}")), bytes)?;
        }
        copy_dir(&self.leptos.assets_dir, &staged)?;
        for file in files(&staged)? {
            let bytes = read(&file)?;
            let name = file.display().to_string();
            write(Path::new(&format!("{name}.br")), &brotli(&bytes)?)?;
            write(Path::new(&format!("{name}.gz")), &gzip(&bytes)?)?;
        }

        run(self
            .cargo()
            .args([
                "build",
                "--release",
                "--package",
                "server",
                "--bin",
                "server",
            ])
            .args(["--features", "dist"])
            .env("JETONS_DIST_SITE", &staged)
            .env("JETONS_DIST_OUTPUT_NAME", &output_name))?;
        let binary = out.join(name);
        let built = self.target.join("release").join("server");
        std::fs::copy(&built, &binary).map_err(file("copy", &built))?;
        // Symbols are a third of the file, and no use in production (binutils' strip).
        if let Err(why) = run(Command::new("strip").arg(&binary)) {
            eprintln!("site: the dist binary keeps its symbols: {why}");
        }
        let size = std::fs::metadata(&binary).map(|m| m.len()).unwrap_or(0);
        eprintln!(
            "site: dist {} ({:.1} MiB, site {output_name}.* embedded)",
            binary.display(),
            size as f64 / 1024.0 / 1024.0
        );
        Ok(Dist { binary })
    }

    /// Playwright's core flow against the dist binary, copied to and run from a directory
    /// outside the checkout, without a site root.
    pub fn test_dist(&self, dist: &Dist) -> Result {
        let elsewhere = std::env::temp_dir().join(format!("jetons-dist-{}", std::process::id()));
        std::fs::create_dir_all(&elsewhere).map_err(file("create", &elsewhere))?;
        let binary = elsewhere.join(&self.leptos.output_name);
        std::fs::copy(&dist.binary, &binary).map_err(file("copy", &dist.binary))?;
        let outcome = run(Command::new("npx")
            .args(["playwright", "test", "--project", "dist"])
            .current_dir(self.end2end())
            .env("JETONS_E2E_DIST", "1")
            .env("JETONS_SERVER_BIN", &binary)
            .env_remove("LEPTOS_SITE_ROOT"));
        let _ = std::fs::remove_dir_all(&elsewhere);
        outcome
    }
}
