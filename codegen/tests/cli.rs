//! `sdkgen` end to end, as `cargo install openapi-sdkgen` gives it: `generate` writes a crate
//! that depends on the runtime alone and compiles; `check` passes on it and fails, with a
//! unified diff, once a generated file is edited or a stray one added; `diff` exits 1 on a
//! breaking change only with `--fail-on-breaking`; every command has `--help`; bad input is
//! an error naming the file, exit status 2.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const PETS: &str = r#"openapi: 3.0.3
info: {title: Pet Store, version: '1'}
servers: [{url: 'https://pets.example.com/v1'}]
paths:
  /pets:
    get:
      operationId: listPets
      tags: [pets]
      parameters:
        - {name: limit, in: query, schema: {type: integer}}
      responses:
        '200':
          description: The pets.
          content:
            application/json:
              schema: {type: array, items: {$ref: '#/components/schemas/Pet'}}
    post:
      operationId: createPet
      tags: [pets]
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/NewPet'}
      responses:
        '201':
          description: Created.
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Pet'}
  /pets/{pet_id}:
    delete:
      operationId: deletePet
      tags: [pets]
      parameters:
        - {name: pet_id, in: path, required: true, schema: {type: string}}
      responses:
        '204': {description: Deleted.}
components:
  schemas:
    Pet:
      type: object
      required: [id, name]
      properties:
        id: {type: string}
        name: {type: string}
    NewPet:
      type: object
      required: [name]
      properties:
        name: {type: string}
"#;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("codegen sits in the workspace")
        .to_path_buf()
}

fn sdkgen(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sdkgen"))
        .args(args)
        .output()
        .expect("sdkgen runs")
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn path(p: &Path) -> &str {
    p.to_str().expect("a UTF-8 path")
}

/// A fresh folder under the test target's scratch space, which the generated crate's
/// `cargo check` shares with xtask's generated crates (one build of the runtime).
fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join("sdkgen-cli")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch folder");
    dir
}

#[test]
fn generate_writes_a_crate_on_the_runtime_alone_and_check_finds_edits() {
    let dir = scratch("pets");
    let spec = dir.join("pets.yaml");
    std::fs::write(&spec, PETS).unwrap();
    let out = dir.join("crate");
    let runtime = root().join("runtime");
    let args = [
        "--spec",
        path(&spec),
        "--out",
        path(&out),
        "--runtime-path",
        path(&runtime),
    ];
    let run = |command: &str| sdkgen(&[&[command], &args[..]].concat());

    let generated = run("generate");
    assert!(generated.status.success(), "{}", text(&generated));
    assert!(
        text(&generated).contains("(pet-store: 3 operations"),
        "{}",
        text(&generated)
    );
    // Progress: each phase as it starts, with what it works through, before the timings.
    let stderr = String::from_utf8_lossy(&generated.stderr);
    let lowering = stderr.find("sdkgen: lowering 2 paths and 2 schemas");
    let writing = stderr.find("sdkgen: writing 3 operations and ");
    let timings = stderr.find("sdkgen: load ");
    assert!(
        lowering.is_some() && lowering < writing && writing < timings,
        "{stderr}"
    );
    let manifest: toml::Table = std::fs::read_to_string(out.join("Cargo.toml"))
        .unwrap()
        .parse()
        .unwrap();
    let deps = manifest["dependencies"].as_table().unwrap();
    assert_eq!(
        deps.keys().collect::<Vec<_>>(),
        [openapi_sdkgen::RUNTIME_PACKAGE],
        "{manifest}"
    );
    assert!(manifest.get("dev-dependencies").is_none(), "{manifest}");

    // The crate compiles: the pinned dependency versions of the workspace, one target
    // directory shared with xtask's generated crates.
    std::fs::copy(root().join("Cargo.lock"), out.join("Cargo.lock")).unwrap();
    let target = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("generated-crates/target");
    let checked = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["check", "--quiet", "--manifest-path"])
        .arg(out.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", target)
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert!(checked.status.success(), "{}", text(&checked));
    // The lock file and the build wrote nothing the check would call stale.
    let clean = run("check");
    assert!(clean.status.success(), "{}", text(&clean));
    assert!(text(&clean).contains("is up to date"), "{}", text(&clean));

    let pets = out.join("src/generated/pets.rs");
    let code = std::fs::read_to_string(&pets).unwrap();
    std::fs::write(&pets, code.replacen("pub fn list", "pub fn list_all", 1)).unwrap();
    std::fs::write(out.join("src/generated/stray.rs"), "").unwrap();
    let stale = run("check");
    let said = text(&stale);
    assert_eq!(stale.status.code(), Some(1), "{said}");
    assert!(said.contains("+++ b/src/generated/pets.rs"), "{said}");
    assert!(said.contains("-    pub fn list_all"), "{said}");
    assert!(said.contains("stray.rs is no longer generated"), "{said}");
    assert!(said.contains("2 of "), "{said}");

    // Generating again repairs it, and removes the stray file.
    assert!(run("generate").status.success());
    assert!(run("check").status.success());
    assert!(!out.join("src/generated/stray.rs").exists());
}

#[test]
fn a_crate_records_how_it_was_made_and_is_checked_and_regenerated_that_way() {
    let dir = scratch("recorded");
    std::fs::write(dir.join("pets.yaml"), PETS).unwrap();
    let sub = dir.join("sub");
    std::fs::create_dir_all(&sub).unwrap();
    let out = dir.join("crate");
    // Relative paths, given from another folder than the crate's, every option away from its
    // default: a record that lost one would regenerate another crate.
    let made = Command::new(env!("CARGO_BIN_EXE_sdkgen"))
        .args([
            "generate",
            "--spec",
            "../pets.yaml",
            "--out",
            "../crate",
            "--names",
            "../names.toml",
            "--name",
            "pets-client",
            "--dates-as-strings",
            "--json-both-ways",
            "--group-features",
            "on",
            "--mcp",
            "--strict",
        ])
        .current_dir(&sub)
        .output()
        .unwrap();
    assert!(made.status.success(), "{}", text(&made));
    // The record: paths relative to the crate, every option.
    let manifest: toml::Table = std::fs::read_to_string(out.join("Cargo.toml"))
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(manifest["package"]["name"].as_str(), Some("pets-client"));
    let record = &manifest["package"]["metadata"]["sdkgen"];
    let expected: toml::Table = r#"
spec = "../pets.yaml"
name = "pets-client"
names = "../names.toml"
group-features = "on"
strict = true
dates-as-strings = true
json-both-ways = true
mcp = true
"#
    .parse()
    .unwrap();
    assert_eq!(record.as_table(), Some(&expected), "{record}");
    assert!(out.join("src/generated/mcp.rs").is_file());
    let header = std::fs::read_to_string(out.join("src/generated/mod.rs")).unwrap();
    assert!(header.starts_with("// @generated by openapi-sdkgen from ../pets.yaml."));

    // The folder alone: checked as made (every option), from another working directory.
    let alone = |command: &str| {
        Command::new(env!("CARGO_BIN_EXE_sdkgen"))
            .args([command, "--out", "crate"])
            .current_dir(&dir)
            .output()
            .unwrap()
    };
    let clean = alone("check");
    assert!(clean.status.success(), "{}", text(&clean));
    // A change the record would not make is found, and the folder alone regenerates it.
    let pets = out.join("src/generated/pets.rs");
    let code = std::fs::read_to_string(&pets).unwrap();
    std::fs::write(&pets, code.replacen("pub fn list", "pub fn list_all", 1)).unwrap();
    assert_eq!(alone("check").status.code(), Some(1));
    let again = alone("generate");
    assert!(again.status.success(), "{}", text(&again));
    assert!(alone("check").status.success());
    assert!(out.join("src/generated/mcp.rs").is_file());

    // An option without --spec would be overridden by the record: an error, not a guess.
    let mixed = sdkgen(&["check", "--out", path(&out), "--strict"]);
    assert_eq!(mixed.status.code(), Some(2), "{}", text(&mixed));
    assert!(
        text(&mixed).contains("--strict without --spec: the options come from the record"),
        "{}",
        text(&mixed)
    );
    // A folder with no record says so.
    let bare = scratch("recorded-none");
    let none = sdkgen(&["check", "--out", path(&bare)]);
    assert_eq!(none.status.code(), Some(2), "{}", text(&none));
    assert!(text(&none).contains("give --spec"), "{}", text(&none));
}

#[test]
fn check_compares_the_names_table_it_is_given() {
    let dir = scratch("names");
    let spec = dir.join("pets.yaml");
    std::fs::write(&spec, PETS).unwrap();
    let (out, names) = (dir.join("crate"), dir.join("names.toml"));
    let args = [
        "--spec",
        path(&spec),
        "--out",
        path(&out),
        "--names",
        path(&names),
    ];
    let run = |command: &str| sdkgen(&[&[command], &args[..]].concat());
    assert!(run("generate").status.success());
    assert!(run("check").status.success(), "{}", text(&run("check")));
    let table = std::fs::read_to_string(&names).unwrap();
    assert!(table.contains(r#""GET /pets" = { group = "pets", method = "list" }"#));
    // A renamed method in the table renames it in the code: the crate is stale.
    std::fs::write(
        &names,
        table.replace("method = \"list\"", "method = \"all\""),
    )
    .unwrap();
    let stale = run("check");
    assert_eq!(stale.status.code(), Some(1), "{}", text(&stale));
    assert!(text(&stale).contains("pub fn all"), "{}", text(&stale));

    std::fs::write(&names, "[operations]\n\"GET /pets\" = 3\n").unwrap();
    let bad = run("check");
    assert_eq!(bad.status.code(), Some(2));
    assert!(text(&bad).contains("names.toml is not a valid names table"));
}

#[test]
fn diff_fails_on_breaking_changes_only_when_asked() {
    let dir = scratch("diff");
    let (old, new) = (dir.join("old.yaml"), dir.join("new.yaml"));
    std::fs::write(&old, PETS).unwrap();
    let start = PETS.find("  /pets/{pet_id}:").unwrap();
    let end = PETS.find("components:").unwrap();
    std::fs::write(&new, format!("{}{}", &PETS[..start], &PETS[end..])).unwrap();

    let report = sdkgen(&["diff", path(&old), path(&new)]);
    let said = text(&report);
    assert!(report.status.success(), "{said}");
    assert!(
        said.contains("DELETE /pets/{pet_id}: operation removed"),
        "{said}"
    );
    assert!(
        said.contains("method pets().delete() removed (DELETE /pets/{pet_id})"),
        "{said}"
    );
    assert!(
        said.contains("semver: breaking -> pet-store 0.1.0 becomes 0.2.0"),
        "{said}"
    );
    let failing = sdkgen(&["diff", path(&old), path(&new), "--fail-on-breaking"]);
    assert_eq!(failing.status.code(), Some(1), "{}", text(&failing));
    let compatible = sdkgen(&[
        "diff",
        path(&new),
        path(&old),
        "--fail-on-breaking",
        "--name",
        "pets",
        "--current-version",
        "1.2.3",
    ]);
    assert!(compatible.status.success(), "{}", text(&compatible));
    assert!(
        text(&compatible).contains("compatible -> pets 1.2.3 becomes 1.3.0"),
        "{}",
        text(&compatible)
    );
}

#[test]
fn every_command_has_help() {
    for command in ["generate", "check", "diff"] {
        let help = sdkgen(&[command, "--help"]);
        assert!(help.status.success(), "{command}: {}", text(&help));
        assert!(
            text(&help).contains(&format!("Usage: sdkgen {command}")),
            "{}",
            text(&help)
        );
    }
    assert!(text(&sdkgen(&["generate", "--help"])).contains("--json-both-ways"));
    assert!(text(&sdkgen(&["diff", "--help"])).contains("--fail-on-breaking"));
}

#[test]
fn bad_input_is_an_error_naming_the_file() {
    let dir = scratch("bad");
    let broken = dir.join("broken.json");
    std::fs::write(&broken, "{\"openapi\": ").unwrap();
    let out = dir.join("crate");
    let run = sdkgen(&["generate", "--spec", path(&broken), "--out", path(&out)]);
    assert_eq!(run.status.code(), Some(2));
    assert!(text(&run).contains("broken.json: the document is not valid JSON"));
    assert!(!out.exists(), "nothing written");

    let missing = dir.join("missing.yaml");
    let run = sdkgen(&["diff", path(&missing), path(&broken)]);
    assert_eq!(run.status.code(), Some(2));
    assert!(text(&run).contains("reading") && text(&run).contains("missing.yaml"));

    // A document the generator rejects with a pointer: the pointer is named; with --strict,
    // a warning is an error.
    let strict = dir.join("strict.yaml");
    std::fs::write(
        &strict,
        "openapi: 3.0.3\ninfo: {title: S, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    A: {$ref: '#/components/schemas/Missing'}\n",
    )
    .unwrap();
    let lenient = sdkgen(&["generate", "--spec", path(&strict), "--out", path(&out)]);
    assert!(lenient.status.success(), "{}", text(&lenient));
    assert!(
        text(&lenient).contains("warning: #/components/schemas/A"),
        "{}",
        text(&lenient)
    );
    let run = sdkgen(&[
        "generate",
        "--strict",
        "--spec",
        path(&strict),
        "--out",
        path(&dir.join("strict-crate")),
    ]);
    assert_eq!(run.status.code(), Some(2));
    assert!(text(&run).contains("strict mode"), "{}", text(&run));
}
