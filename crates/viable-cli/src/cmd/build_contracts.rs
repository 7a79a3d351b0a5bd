//! `viable build-contracts`: compile `contracts/` with foundry-compilers and write
//! the ABI + bytecode artifacts the SDK binds with `sol!`.

use std::{
    collections::BTreeMap,
    path::{Path, PathBuf},
    str::FromStr,
};

use clap::Args;
use eyre::{Context, bail, eyre};
use foundry_compilers::{
    Project, ProjectPathsConfig,
    artifacts::{
        BytecodeHash, EvmVersion, Optimizer, Remapping, Settings, SettingsMetadata,
        output_selection::OutputSelection,
    },
    compilers::{
        multi::{MultiCompiler, MultiCompilerSettings},
        solc::{Solc, SolcCompiler, SolcSettings},
    },
};
use serde_json::json;

/// Compile the contracts and write (or check) the SDK's artifacts.
#[derive(Debug, Args)]
pub(crate) struct BuildContractsArgs {
    /// Project root (the folder holding foundry.toml); found from the current directory by default.
    #[arg(long)]
    root: Option<PathBuf>,
    /// The solc command; defaults to $SOLC, then the project's tools/solc shim.
    #[arg(long, env = "SOLC")]
    solc: Option<PathBuf>,
    /// Compare with the committed artifacts and fail if they drifted, writing nothing.
    #[arg(long)]
    check: bool,
}

impl BuildContractsArgs {
    pub(crate) fn run(self) -> eyre::Result<()> {
        let root = match self.root {
            Some(r) => r,
            None => find_root(&std::env::current_dir()?)?,
        };
        let root =
            root.canonicalize().wrap_err_with(|| format!("no project at {}", root.display()))?;
        let solc_path = self.solc.unwrap_or_else(|| root.join("tools/solc"));
        let artifacts = compile(&root, &solc_path)?;
        let out_dir = root.join("crates/viable/artifacts");

        if self.check {
            let mut stale = Vec::new();
            for (name, text) in &artifacts {
                let path = out_dir.join(format!("{name}.json"));
                match std::fs::read_to_string(&path) {
                    Ok(old) if old == *text => {}
                    _ => stale.push(name.clone()),
                }
            }
            for entry in std::fs::read_dir(&out_dir)? {
                let name =
                    entry?.file_name().to_string_lossy().trim_end_matches(".json").to_string();
                if !artifacts.contains_key(&name) {
                    stale.push(format!("{name} (no longer a contract)"));
                }
            }
            if !stale.is_empty() {
                bail!(
                    "artifacts drifted from contracts/: {}. Run `viable build-contracts` and commit crates/viable/artifacts/",
                    stale.join(", ")
                );
            }
            println!("artifacts are fresh ({} contracts)", artifacts.len());
            return Ok(());
        }

        std::fs::create_dir_all(&out_dir)?;
        for entry in std::fs::read_dir(&out_dir)? {
            let path = entry?.path();
            if path.extension().is_some_and(|e| e == "json") {
                std::fs::remove_file(path)?;
            }
        }
        for (name, text) in &artifacts {
            std::fs::write(out_dir.join(format!("{name}.json")), text)?;
        }
        println!("wrote {} artifacts to {}", artifacts.len(), out_dir.display());
        Ok(())
    }
}

/// Walk up from `start` to the folder holding `foundry.toml`.
fn find_root(start: &Path) -> eyre::Result<PathBuf> {
    start
        .ancestors()
        .find(|d| d.join("foundry.toml").is_file())
        .map(Path::to_path_buf)
        .ok_or_else(|| eyre!("no foundry.toml above {}; pass --root", start.display()))
}

/// Compile every deployable in `contracts/` (files directly in that folder) and
/// return `name => pretty JSON` with the ABI and creation bytecode.
fn compile(root: &Path, solc_path: &Path) -> eyre::Result<BTreeMap<String, String>> {
    let solc = Solc::new(solc_path).wrap_err_with(|| {
        format!(
            "cannot run solc at {} (install the toolchain with `npm install`, or set SOLC to a native solc)",
            solc_path.display()
        )
    })?;
    let tmp = root.join("target/viable-build-contracts");
    let paths = ProjectPathsConfig::builder()
        .root(root)
        .sources(root.join("contracts"))
        .artifacts(tmp.join("out"))
        .cache(tmp.join("cache.json"))
        .libs([root.join("node_modules")])
        .remapping(
            Remapping::from_str("@openzeppelin/=node_modules/@openzeppelin/")
                .map_err(|e| eyre!("remapping: {e}"))?,
        )
        .build_with_root(root);

    // Keep these settings in step with foundry.toml, so forge and the SDK see the same code.
    let settings = Settings {
        optimizer: Optimizer { enabled: Some(true), runs: Some(200), details: None },
        evm_version: Some(EvmVersion::Prague),
        metadata: Some(SettingsMetadata::new(BytecodeHash::None, false)),
        output_selection: OutputSelection::default_output_selection(),
        ..Default::default()
    };
    let settings = MultiCompilerSettings {
        solc: SolcSettings { settings, ..Default::default() },
        ..Default::default()
    };
    let project = Project::builder()
        .paths(paths)
        .settings(settings)
        .ephemeral()
        .no_artifacts()
        .build(MultiCompiler { solc: Some(SolcCompiler::Specific(solc)), vyper: None })?;
    let output = project.compile()?;
    if output.has_compiler_errors() {
        bail!("solc reported errors:\n{output}");
    }

    let contracts_dir = root.join("contracts");
    let mut out = BTreeMap::new();
    for (id, artifact) in output.into_artifacts() {
        let source =
            if id.source.is_absolute() { id.source.clone() } else { root.join(&id.source) };
        // Deployables live directly in contracts/; interfaces and libraries below it.
        if source.parent() != Some(contracts_dir.as_path()) {
            continue;
        }
        if source.file_stem().and_then(|s| s.to_str()) != Some(id.name.as_str()) {
            continue;
        }
        let abi = artifact.abi.ok_or_else(|| eyre!("{}: no ABI in solc output", id.name))?;
        let bytecode = artifact
            .bytecode
            .and_then(|b| b.object.as_bytes().cloned())
            .ok_or_else(|| eyre!("{}: no linked bytecode (unlinked library?)", id.name))?;
        let deployed = artifact
            .deployed_bytecode
            .and_then(|d| d.bytecode)
            .and_then(|b| b.object.as_bytes().cloned())
            .unwrap_or_default();
        let value = json!({
            "contractName": id.name,
            "sourcePath": format!("contracts/{}", source.file_name().unwrap_or_default().to_string_lossy()),
            "abi": abi,
            "bytecode": bytecode.to_string(),
            "deployedBytecode": deployed.to_string(),
        });
        out.insert(id.name.clone(), serde_json::to_string_pretty(&value)? + "\n");
    }
    if out.is_empty() {
        bail!("no deployable contracts found in {}", contracts_dir.display());
    }
    Ok(out)
}
