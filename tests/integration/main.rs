//! Integration tests: the real `httpcodes` binary run on fixture sites
//! (`tests/fixtures/`) and on the real site at the repository root.

mod support;

mod bad_input;

mod output;

mod paths;

mod limits;

mod hostile;

mod constants;
mod content;
mod headers;
mod report;
mod scaffold;
mod serve;
mod valid_site;
mod workflow;
