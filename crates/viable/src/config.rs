//! Reading configuration files (genesis, schemas, amendments) as TOML or JSON, with
//! parser messages that name the offending key.

use std::path::Path;

use serde::de::DeserializeOwned;

/// Parse TOML; the error is the parser's message on one line.
pub(crate) fn from_toml<T: DeserializeOwned>(text: &str) -> Result<T, String> {
    toml::from_str(text).map_err(|e| e.to_string().trim().replace('\n', " "))
}

/// Parse JSON.
pub(crate) fn from_json<T: DeserializeOwned>(text: &str) -> Result<T, String> {
    serde_json::from_str(text).map_err(|e| e.to_string())
}

/// Read `path` as JSON if it ends in `.json`, else as TOML. The error is
/// `(file name, message)`.
pub(crate) fn load<T: DeserializeOwned>(path: &Path) -> Result<T, (String, String)> {
    let name = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| (name.clone(), e.to_string()))?;
    let parsed = if path.extension().is_some_and(|e| e == "json") {
        from_json(&text)
    } else {
        from_toml(&text)
    };
    parsed.map_err(|message| (name, message))
}
