//! Finding the Foundry binaries (anvil, forge, cast) the project installs from npm.

use std::path::{Path, PathBuf};

use eyre::{Result, eyre};

/// Locate Foundry's `tool` (`anvil`, `forge`, `cast`): `$<TOOL>_BIN` if set, then the
/// project's npm install (`node_modules/@foundry-rs/<tool>-linux-amd64/bin/<tool>`,
/// searched upward from `start`), then `PATH`.
///
/// The npm wrappers in `node_modules/.bin` are never used: they exit 0 even when the
/// tool fails.
pub(crate) fn find_foundry_tool(tool: &str, start: &Path) -> Result<PathBuf> {
    let env_name = format!("{}_BIN", tool.to_ascii_uppercase());
    if let Some(p) = std::env::var_os(&env_name) {
        return Ok(PathBuf::from(p));
    }
    let platform = match (std::env::consts::OS, std::env::consts::ARCH) {
        ("linux", "x86_64") => "linux-amd64",
        ("linux", "aarch64") => "linux-arm64",
        ("macos", "x86_64") => "darwin-amd64",
        ("macos", "aarch64") => "darwin-arm64",
        _ => "linux-amd64",
    };
    for dir in start.ancestors() {
        let candidate = dir.join(format!("node_modules/@foundry-rs/{tool}-{platform}/bin/{tool}"));
        if candidate.is_file() {
            return Ok(candidate);
        }
    }
    if let Some(path) = std::env::var_os("PATH") {
        for dir in std::env::split_paths(&path) {
            let candidate = dir.join(tool);
            if candidate.is_file() && !dir.ends_with("node_modules/.bin") {
                return Ok(candidate);
            }
        }
    }
    Err(eyre!(
        "`{tool}` not found. Install the toolchain with `npm install --no-audit --no-fund` in the \
         project root (it pins @foundry-rs/{tool}), put {tool} on PATH, or set {env_name}"
    ))
}

/// The project's root: the nearest folder from the current one up that holds
/// `foundry.toml` (a Viable checkout) or a `deployments/` folder; else the current
/// folder. New deployment files go to its `deployments/`.
pub(crate) fn project_root() -> Result<PathBuf> {
    let cwd = std::env::current_dir()?;
    Ok(cwd
        .ancestors()
        .find(|d| d.join("foundry.toml").is_file() || d.join("deployments").is_dir())
        .unwrap_or(&cwd)
        .to_path_buf())
}
