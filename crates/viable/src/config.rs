//! Reading configuration files (genesis, schemas, amendments) as TOML or JSON, with
//! parser messages that name the offending key.

use std::path::Path;

use serde::de::DeserializeOwned;

/// Parse TOML; the error is one line, `line 3, column 7: <what the parser says>`
/// (the parser's own rendering draws the line with `|` gutters over several lines).
pub(crate) fn from_toml<T: DeserializeOwned>(text: &str) -> Result<T, String> {
    toml::from_str(text).map_err(|e| {
        let message = e.message().trim().replace('\n', "; ");
        match e.span() {
            Some(span) => {
                let before = &text[..span.start.min(text.len())];
                let line = before.matches('\n').count() + 1;
                let column = before.len() - before.rfind('\n').map_or(0, |i| i + 1) + 1;
                format!("line {line}, column {column}: {message}")
            }
            None => message,
        }
    })
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toml_errors_are_one_line_with_the_position() {
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct T {
            name: String,
        }
        let err = from_toml::<T>("# comment\nname = \"x\"\nname = \"y\"\n").unwrap_err();
        assert!(err.starts_with("line 3, column 1: "), "{err}");
        assert!(!err.contains('|') && !err.contains('\n'), "{err}");
        let err = from_toml::<T>("name = \n").unwrap_err();
        assert!(err.starts_with("line 1, column "), "{err}");
    }
}
