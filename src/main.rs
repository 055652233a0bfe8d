//! The `httpcodes` command: `build` writes the site, `check` does everything
//! but writing, `new` starts a page, `serve` previews the site and
//! rebuilds it on every save. Problems are printed by
//! `diagnostics::report`; the exit status is 0 when clean (warnings
//! allowed), 1 for problems in the site's files, 2 for a wrong command line
//! or a failure to read or write.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::{Args, Parser, Subcommand, ValueEnum};
use httpcodes::Failure;
use httpcodes::diagnostics::report::{Format, Report};

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
    /// Start a page: `new 425` (from the IANA registry) or `new guide <name>`.
    New {
        /// Folder holding site.yaml, content/ and themes/.
        #[arg(long, value_name = "DIR", default_value = ".")]
        root: PathBuf,
        /// A status code (`425`), or `guide` and a name (`guide retries`).
        #[arg(value_name = "CODE | guide NAME", required = true, num_args = 1..)]
        page: Vec<String>,
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
    #[command(flatten)]
    report: ReportArgs,
}

#[derive(Args)]
struct ReportArgs {
    /// How problems are printed: for people, for editors (one JSON object
    /// per line), or as GitHub annotations.
    #[arg(long, value_enum, default_value_t = FormatArg::Human)]
    format: FormatArg,
    /// Colours in human output [auto: on a terminal, unless NO_COLOR is set].
    #[arg(long, value_enum, default_value_t = ColorArg::Auto)]
    color: ColorArg,
}

#[derive(Clone, Copy, ValueEnum)]
enum FormatArg {
    Human,
    Json,
    Github,
}

#[derive(Clone, Copy, ValueEnum)]
enum ColorArg {
    Auto,
    Always,
    Never,
}

/// Problems in the site's files.
const CONTENT_ERRORS: u8 = 1;
/// A wrong command line, or a folder that cannot be read or written.
const USAGE_OR_IO: u8 = 2;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let started = Instant::now();
    match cli.command {
        Command::Build { site, output } => {
            let output = output.unwrap_or_else(|| site.root.join("public"));
            build_or_check(&site, Some(tidy(output)), started)
        }
        Command::Check { site } => build_or_check(&site, None, started),
        Command::New { root, page } => httpcodes::scaffold::run(&root, &page),
        Command::Serve {
            site,
            port,
            bind,
            open,
        } => httpcodes::serve::run(httpcodes::serve::Options {
            report: report(&site),
            root: site.root,
            base_url: site.base_url,
            bind,
            port,
            open,
        }),
    }
}

/// Builds (writing to `output`) or checks the site, reporting as asked.
fn build_or_check(args: &SiteArgs, output: Option<PathBuf>, started: Instant) -> ExitCode {
    let report = report(args);
    if let Err(problem) = httpcodes::config::find_site(&args.root) {
        report.print(&[problem]);
        return ExitCode::from(USAGE_OR_IO);
    }
    let (root, base_url) = (&args.root, args.base_url.as_deref());
    let result = match &output {
        Some(output) => httpcodes::build(root, output, base_url),
        None => httpcodes::check(root, base_url).map_err(Failure::Content),
    };
    let left_as_it_was = match &output {
        Some(output) => format!("; {} was left as it was", output.display()),
        None => String::new(),
    };
    let site = match result {
        Ok(site) => site,
        Err(Failure::Content(problems)) => {
            let count = report.print(&problems.into_sorted());
            let verb = if output.is_some() { "Build" } else { "Check" };
            eprintln!(
                "{verb} failed: {}{left_as_it_was}.",
                count_of(count, "problem")
            );
            return ExitCode::from(CONTENT_ERRORS);
        }
        Err(Failure::Write(problems)) => {
            report.print(&problems.into_sorted());
            eprintln!("Build failed: the site could not be written{left_as_it_was}.");
            return ExitCode::from(USAGE_OR_IO);
        }
    };
    let warnings = site.warnings.into_sorted();
    let warned = match warnings.len() {
        0 => String::new(),
        count => format!(" ({} above)", count_of(count, "warning")),
    };
    report.print(&warnings);
    let elapsed = started.elapsed().as_millis();
    let pages = site.page_count;
    let summary = match &output {
        Some(output) => format!(
            "Built {pages} pages in {elapsed} ms → {}/{warned}",
            output.display()
        ),
        None if warned.is_empty() => format!("Checked {pages} pages in {elapsed} ms: no problems"),
        None => format!("Checked {pages} pages in {elapsed} ms: no errors{warned}"),
    };
    // Machine formats keep standard output for the problems alone.
    match report.format {
        Format::Human => println!("{summary}"),
        Format::Json | Format::Github => eprintln!("{summary}"),
    }
    ExitCode::SUCCESS
}

/// The report the command line asks for.
fn report(args: &SiteArgs) -> Report {
    let format = match args.report.format {
        FormatArg::Human => Format::Human,
        FormatArg::Json => Format::Json,
        FormatArg::Github => Format::Github,
    };
    let colour = match args.report.color {
        ColorArg::Always => true,
        ColorArg::Never => false,
        ColorArg::Auto => {
            std::io::stderr().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|value| value.is_empty())
                && std::env::var_os("TERM").is_none_or(|term| term != "dumb")
        }
    };
    Report {
        root: args.root.clone(),
        format,
        colour: colour && format == Format::Human,
    }
}

/// `3 problems`, `1 problem`.
fn count_of(count: usize, noun: &str) -> String {
    match count {
        1 => format!("1 {noun}"),
        count => format!("{count} {noun}s"),
    }
}

/// `./public` reads better as `public` (but `.` stays `.`).
fn tidy(path: PathBuf) -> PathBuf {
    match path.strip_prefix(".") {
        Ok(rest) if !rest.as_os_str().is_empty() => rest.to_path_buf(),
        _ => path,
    }
}
