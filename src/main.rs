//! The `httpcodes` command: `build` writes the site, `check` does everything
//! but writing, `serve` previews it and rebuilds on every save.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::{Args, Parser, Subcommand};

#[derive(Parser)]
#[command(version, about = "Builds the httpcodes reference site")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into the output folder.
    Build {
        #[command(flatten)]
        site: SiteArgs,
        /// Output folder [default: ROOT/public].
        #[arg(long, value_name = "DIR")]
        output: Option<PathBuf>,
    },
    /// Check the site (everything `build` does, except writing).
    Check {
        #[command(flatten)]
        site: SiteArgs,
    },
    /// Preview the site: serve it from memory, rebuild and reload on every save.
    Serve {
        #[command(flatten)]
        site: SiteArgs,
        /// Port to listen on (0 picks a free one).
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// Address to listen on.
        #[arg(long, value_name = "ADDRESS", default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Open the site in the default browser.
        #[arg(long)]
        open: bool,
    },
}

#[derive(Args)]
struct SiteArgs {
    /// Folder holding site.yaml, content/ and themes/.
    #[arg(long, value_name = "DIR", default_value = ".")]
    root: PathBuf,
    /// Where the site will be hosted (overrides base_url in site.yaml).
    #[arg(long, value_name = "URL")]
    base_url: Option<String>,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let started = Instant::now();
    let (result, output) = match &cli.command {
        Command::Build { site, output } => {
            let output = output.clone().unwrap_or_else(|| site.root.join("public"));
            // `./public` reads better as `public` (but `.` stays `.`).
            let output = match output.strip_prefix(".") {
                Ok(rest) if !rest.as_os_str().is_empty() => rest.to_path_buf(),
                _ => output,
            };
            (
                httpcodes::build(&site.root, &output, site.base_url.as_deref()),
                Some(output),
            )
        }
        Command::Check { site } => (
            httpcodes::generate(&site.root, site.base_url.as_deref()),
            None,
        ),
        Command::Serve {
            site,
            port,
            bind,
            open,
        } => {
            return httpcodes::serve::run(httpcodes::serve::Options {
                root: site.root.clone(),
                base_url: site.base_url.clone(),
                bind: *bind,
                port: *port,
                open: *open,
            });
        }
    };
    match result {
        Ok(site) => {
            let warnings = site.warnings.into_sorted();
            for warning in &warnings {
                eprintln!("{}: {warning}", warning.severity);
            }
            let elapsed = started.elapsed().as_millis();
            let warned = match warnings.len() {
                0 => String::new(),
                1 => " (1 warning above)".to_string(),
                count => format!(" ({count} warnings above)"),
            };
            match output {
                Some(output) => println!(
                    "Built {} pages in {elapsed} ms → {}/{warned}",
                    site.page_count,
                    output.display()
                ),
                None if warned.is_empty() => println!(
                    "Checked {} pages in {elapsed} ms: no problems",
                    site.page_count
                ),
                None => println!(
                    "Checked {} pages in {elapsed} ms: no errors{warned}",
                    site.page_count
                ),
            }
            ExitCode::SUCCESS
        }
        Err(diagnostics) => {
            let problems = diagnostics.into_sorted();
            for problem in &problems {
                eprintln!("{}: {problem}", problem.severity);
            }
            let count = problems.iter().filter(|problem| problem.is_error()).count();
            let plural = if count == 1 { "" } else { "s" };
            match output {
                Some(output) => eprintln!(
                    "Build failed: {count} problem{plural}; {} was left as it was.",
                    output.display()
                ),
                None => eprintln!("Check failed: {count} problem{plural}."),
            }
            ExitCode::FAILURE
        }
    }
}
