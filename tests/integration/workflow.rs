//! The pull-request workflow (`.github/workflows/check.yml`) keeps its
//! promises: it runs on `pull_request` and never on `pull_request_target`
//! (which would run a stranger's code with the repository's write token),
//! its token is read-only, and it runs `check --format github` and then
//! `./test.sh`. Nobody can weaken it without this test failing.

use serde_json::Value;

use crate::support::*;

fn workflow() -> Value {
    let text = read(&repo_root().join(".github/workflows/check.yml"));
    serde_saphyr::from_str(&text).expect("check.yml is YAML")
}

/// The names of the events in `on:` (a name, a list or a mapping).
fn triggers(workflow: &Value) -> Vec<String> {
    match &workflow["on"] {
        Value::String(name) => vec![name.clone()],
        Value::Array(names) => names
            .iter()
            .filter_map(|name| name.as_str().map(String::from))
            .collect(),
        Value::Object(events) => events.keys().cloned().collect(),
        other => panic!("`on` is not an event, a list or a mapping: {other}"),
    }
}

/// True when `permissions` grants nothing but reading.
fn read_only(permissions: &Value) -> bool {
    match permissions {
        Value::String(all) => all == "read-all",
        Value::Object(scopes) => scopes
            .values()
            .all(|access| matches!(access.as_str(), Some("read" | "none"))),
        _ => false,
    }
}

#[test]
fn the_pull_request_check_runs_untrusted_code_only_with_a_read_only_token() {
    let workflow = workflow();
    let triggers = triggers(&workflow);
    assert!(
        triggers.iter().any(|event| event == "pull_request"),
        "{triggers:?}"
    );
    assert!(
        !triggers.iter().any(|event| event == "pull_request_target"),
        "pull_request_target runs a pull request's code with the write token: {triggers:?}"
    );

    assert!(
        workflow["permissions"]["contents"] == "read" && read_only(&workflow["permissions"]),
        "the workflow's token must be `contents: read`: {}",
        workflow["permissions"]
    );
    let jobs = workflow["jobs"].as_object().expect("jobs");
    assert!(!jobs.is_empty());
    for (name, job) in jobs {
        // A job may narrow the token, never widen it.
        if !job["permissions"].is_null() {
            assert!(
                read_only(&job["permissions"]),
                "job {name}: {}",
                job["permissions"]
            );
        }
    }
}

#[test]
fn the_pull_request_check_runs_check_for_the_diff_then_every_test() {
    let workflow = workflow();
    let runs: Vec<String> = workflow["jobs"]
        .as_object()
        .expect("jobs")
        .values()
        .flat_map(|job| job["steps"].as_array().cloned().unwrap_or_default())
        .filter_map(|step| step["run"].as_str().map(String::from))
        .collect();
    let position = |command: &str| {
        runs.iter()
            .position(|run| run.lines().any(|line| line.trim().contains(command)))
            .unwrap_or_else(|| panic!("no step runs `{command}`: {runs:?}"))
    };
    let check = position("-- check --format github");
    let tests = position("./test.sh");
    assert!(check < tests, "check comes first: {runs:?}");
}
