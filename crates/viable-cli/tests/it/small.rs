//! Point 8, the small ones: the deployment file is found from the project, misspelt
//! labels are refused, messages name fields by label only when known, mixed-case
//! addresses must carry their checksum, TOML errors are one readable line, articles
//! show their text, `constitution --help` says what the group does, `make dev` shows
//! cargo's progress.

use alloy::primitives::keccak256;

use crate::{Session, one_line_error, text, viable, viable_in};

#[test]
fn the_deployment_is_found_from_any_folder_of_the_project() {
    let chain = Session::deployed("lookup");
    let project = chain.dir.join("project");
    let deep = project.join("app/src");
    std::fs::create_dir_all(&deep).unwrap();
    std::fs::create_dir_all(project.join("deployments")).unwrap();
    std::fs::copy(&chain.file, project.join("deployments/31337.json")).unwrap();
    let out = viable_in(&deep, &["constitution", "params", "-r", &chain.rpc()], &[]);
    assert!(out.status.success(), "{}", text(&out).1);
    assert!(text(&out).0.contains("work.maxFields"));
}

#[test]
fn values_labels_and_addresses_are_checked() {
    let chain = Session::deployed("values");
    let (schema, sf) = chain.bugfix_schema();
    let hash = format!("0x{}", "01".repeat(32));
    let commit = format!("0x{}", "ab".repeat(32));

    // A misspelt label in object mode is refused, with the schema's labels.
    let values = format!(r#"{{"isue": 7, "commit": "{commit}", "summary": "x"}}"#);
    let err = one_line_error(&chain.call(
        &[
            "work",
            "submit",
            &schema,
            "--values",
            &values,
            "--schema-file",
            &sf,
            "--content-hash",
            &hash,
        ],
        0,
    ));
    assert!(
        err.contains("`isue` is not a field of this schema (its fields: issue, commit, summary)"),
        "{err}"
    );
    // Object mode without the schema file says it needs the names.
    let err = one_line_error(
        &chain.call(&["work", "submit", &schema, "--values", &values, "--content-hash", &hash], 0),
    );
    assert!(err.contains("--schema-file"), "{err}");

    // Array mode: the field by label when the file gives it, by number alone otherwise.
    let values = format!(r#"["seven", "{commit}", "x"]"#);
    let err = one_line_error(
        &chain.call(&["work", "submit", &schema, "--values", &values, "--content-hash", &hash], 0),
    );
    assert!(err.contains("field 0 is uint256, got \"seven\""), "{err}");
    let err = one_line_error(&chain.call(
        &[
            "work",
            "submit",
            &schema,
            "--values",
            &values,
            "--schema-file",
            &sf,
            "--content-hash",
            &hash,
        ],
        0,
    ));
    assert!(err.contains("field 0 (issue) is uint256, got \"seven\""), "{err}");

    // A mixed-case address with a wrong checksum is refused (a lower-case one is fine).
    let typo = "0x70997970c51812dc3A010C7d01b50e0d17dc79C8";
    let out = chain.read(&["work", "power", typo]);
    assert!(!out.status.success());
    assert!(text(&out).1.contains("wrong EIP-55 checksum"), "{}", text(&out).1);
    assert!(chain.read(&["work", "power", &typo.to_lowercase()]).status.success());
    let grant = chain.file(
        "grant.toml",
        &format!("description = \"x\"\n[[actions]]\ngrant = {{ role = \"guardian\", account = \"{typo}\" }}\n"),
    );
    let err = one_line_error(&chain.call(&["constitution", "propose", &grant], 0));
    assert!(err.contains("grant.account") && err.contains("wrong EIP-55 checksum"), "{err}");
}

#[test]
fn toml_errors_are_one_readable_line() {
    let chain = Session::deployed("toml");
    let file = chain.file(
        "bad.toml",
        "description = \"x\"\ndescription = \"y\"\n[[actions]]\nset_param = { key = \"legit.timelock\", value = 1 }\n",
    );
    let err = one_line_error(&chain.call(&["constitution", "propose", &file], 0));
    assert!(err.contains("line 2, column 1: "), "{err}");
    assert!(!err.contains('|'), "{err}");
}

#[test]
fn articles_show_their_text() {
    let chain = Session::new("articles");
    // Article 2's text lives in a local file named by its URI; article 1 is the preset's.
    let text2 = "Article 2. Read me from a file.\n";
    let path = chain.file("article2.md", text2);
    let genesis = viable::genesis::DEV_TOML.replace(
        "text = \"Article 2. Constraints change only when both the Token House and the Work House ratify the change.\"\nuri = \"viable://dev/articles/2\"",
        &format!("content_hash = \"{}\"\nuri = \"file://{path}\"", keccak256(text2)),
    );
    assert_ne!(genesis, viable::genesis::DEV_TOML, "the preset's article 2 changed");
    let g = chain.file("genesis.toml", &genesis);
    chain.run(&["deploy", "--genesis", &g], 0);
    let shown = chain.run(&["constitution", "articles"], 0);
    assert!(shown.contains("1. Article 1. Work enters freely"), "{shown}");
    assert!(shown.contains("2. Article 2. Read me from a file."), "{shown}");
    let v = chain.json(&["constitution", "articles"], 0);
    assert_eq!(v[1]["text"], text2);
    // A file that no longer matches its hash is not shown as the article.
    std::fs::write(&path, "tampered").unwrap();
    let v = chain.json(&["constitution", "articles"], 0);
    assert!(v[1]["text"].is_null(), "{v}");
}

#[test]
fn help_and_make_dev_say_what_they_do() {
    let out = viable(&["constitution", "--help"]);
    let help = text(&out).0;
    assert!(help.contains("propose, vote on, queue, execute and cancel"), "{help}");
    assert!(help.contains("-r, --rpc-url"), "{help}");
    let dev = include_str!("../../../../tools/dev.sh");
    let build = dev.lines().find(|l| l.trim_start().starts_with("cargo build")).unwrap();
    assert!(!build.contains("--quiet"), "make dev shows cargo's progress: {build}");
}
