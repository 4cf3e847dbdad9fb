//! Shell completions and man pages, rendered from the clap definition so they cannot drift.
//! `files()` is the single source: `jwtctl completions`, the hidden `jwtctl generate` and the
//! freshness test in `tests/it/generated.rs` all use it.

use crate::Ctx;
use crate::cli::{Cli, CompletionsArgs, GenerateArgs};
use crate::edge::exit::{EXIT_STATUS_HELP, Exit};
use crate::files;
use anyhow::{Context, Result};
use clap::CommandFactory;
use clap_complete::Shell;
use std::path::PathBuf;

/// The shells and their conventional file names.
const SHELLS: [(Shell, &str); 5] = [
    (Shell::Bash, "jwtctl.bash"),
    (Shell::Zsh, "_jwtctl"),
    (Shell::Fish, "jwtctl.fish"),
    (Shell::PowerShell, "_jwtctl.ps1"),
    (Shell::Elvish, "jwtctl.elv"),
];

const ENVIRONMENT: &str = "\
JWTCTL_HOME
    Home directory holding the keyring (as --home). Default: $XDG_DATA_HOME/jwtctl, else
    ~/.local/share/jwtctl.
JWTCTL_NOW
    Evaluate as of this time, Unix seconds or RFC 3339 (as --now): makes scripts and tests
    deterministic. Set but empty is a usage error (exit 2).
JWTCTL_STORE_WAIT
    How long to wait for a locked refresh store before exit 10: a duration of at most 1h
    (default 5s); anything else is a usage error (exit 2).
NO_COLOR
    When set and not empty, no colour unless --color always.";

/// The completion script for one shell: what a user can type, nothing hidden.
#[must_use]
pub fn completion(shell: Shell) -> Vec<u8> {
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut offered(&Cli::command()), "jwtctl", &mut out);
    out
}

/// `cmd` without its hidden subcommands (`generate`) and arguments (`--store-wait`):
/// clap_complete's scripts would offer every one. Built from the unbuilt derive tree, so the
/// help flags, help subcommands and global arguments are added when clap builds the copy.
fn offered(cmd: &clap::Command) -> clap::Command {
    let hidden: Vec<&clap::Id> = cmd
        .get_arguments()
        .filter(|a| a.is_hide_set())
        .map(clap::Arg::get_id)
        .collect();
    // A group (the derive makes one per struct) may name a hidden argument: keep the others.
    let groups = cmd.get_groups().map(|g| {
        let visible: Vec<clap::Id> = g
            .get_args()
            .filter(|id| !hidden.contains(id))
            .cloned()
            .collect();
        g.clone()
            .arg(clap::builder::Resettable::Reset)
            .args(visible)
    });
    let mut out = clap::Command::new(cmd.get_name().to_owned())
        .subcommand_required(cmd.is_subcommand_required_set())
        .arg_required_else_help(cmd.is_arg_required_else_help_set())
        .propagate_version(cmd.is_propagate_version_set())
        .args(cmd.get_arguments().filter(|a| !a.is_hide_set()).cloned())
        .groups(groups)
        .subcommands(
            cmd.get_subcommands()
                .filter(|s| !s.is_hide_set())
                .map(offered),
        );
    if let Some(about) = cmd.get_about() {
        out = out.about(about.clone());
    }
    if let Some(about) = cmd.get_long_about() {
        out = out.long_about(about.clone());
    }
    if let Some(version) = cmd.get_version() {
        out = out.version(version.to_owned());
    }
    // Whether long help says more decides the `-h` text ("see more with '--help'").
    if let Some(text) = cmd.get_after_help() {
        out = out.after_help(text.clone());
    }
    if let Some(text) = cmd.get_after_long_help() {
        out = out.after_long_help(text.clone());
    }
    out
}

/// Every generated file as (path relative to the repository, content).
#[must_use]
pub fn files() -> Vec<(PathBuf, Vec<u8>)> {
    let mut out: Vec<(PathBuf, Vec<u8>)> = SHELLS
        .iter()
        .map(|(shell, name)| (PathBuf::from("completions").join(name), completion(*shell)))
        .collect();
    // `jwtctl help` has no page of its own: no page may point to jwtctl-help(1).
    let mut root = without_help_subcommand(Cli::command());
    root.build();
    let subs: Vec<&clap::Command> = root
        .get_subcommands()
        .filter(|s| !s.is_hide_set())
        .collect();
    let see_also: Vec<String> = std::iter::once("jwtctl(1)".to_owned())
        .chain(subs.iter().map(|s| format!("jwtctl-{}(1)", s.get_name())))
        .collect();
    let see_also = see_also.join(", ");
    out.push((
        PathBuf::from("man/jwtctl.1"),
        man_page(&root, "jwtctl", &see_also),
    ));
    // A page lists its subcommands as jwtctl-keys-list(1) and so on: each one gets its page.
    let mut pages = Vec::new();
    pages_below(&root, "jwtctl", &mut pages);
    for (name, sub) in pages {
        out.push((
            PathBuf::from(format!("man/{name}.1")),
            man_page(sub, &name, &see_also),
        ));
    }
    out
}

/// Every visible subcommand below `cmd`, depth first, with its page name (`jwtctl-keys-list`).
fn pages_below<'a>(cmd: &'a clap::Command, name: &str, out: &mut Vec<(String, &'a clap::Command)>) {
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        let page = format!("{name}-{}", sub.get_name());
        out.push((page.clone(), sub));
        pages_below(sub, &page, out);
    }
}

/// `cmd` and its subcommands without clap's `help` subcommand (man pages only).
fn without_help_subcommand(cmd: clap::Command) -> clap::Command {
    let names: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_owned())
        .collect();
    names
        .into_iter()
        .fold(cmd.disable_help_subcommand(true), |cmd, name| {
            cmd.mut_subcommand(name, without_help_subcommand)
        })
}

/// One man page: clap_mangen's sections, then EXAMPLES, EXIT STATUS and ENVIRONMENT. No date,
/// so the output is deterministic.
fn man_page(cmd: &clap::Command, name: &str, see_also: &str) -> Vec<u8> {
    let cmd = cmd
        .clone()
        .name(name.to_owned())
        .bin_name(name.replace('-', " "));
    let man = clap_mangen::Man::new(cmd.clone())
        .title(name.to_uppercase())
        .source(format!("jwtctl {}", env!("CARGO_PKG_VERSION")));
    let mut out = Vec::new();
    // Writing to a Vec cannot fail.
    let _ = man.render_title(&mut out);
    let _ = man.render_name_section(&mut out);
    let _ = man.render_synopsis_section(&mut out);
    let _ = man.render_description_section(&mut out);
    if cmd.get_arguments().any(|a| !a.is_hide_set()) {
        let _ = man.render_options_section(&mut out);
    }
    if cmd.has_subcommands() {
        let _ = man.render_subcommands_section(&mut out);
    }
    if let Some(examples) = cmd.get_after_help() {
        let text = examples.to_string();
        let body = text.strip_prefix("Examples:\n").unwrap_or(&text);
        section(&mut out, "EXAMPLES", body);
    }
    section(
        &mut out,
        "EXIT STATUS",
        EXIT_STATUS_HELP
            .strip_prefix("Exit status:\n")
            .unwrap_or(EXIT_STATUS_HELP),
    );
    section(&mut out, "ENVIRONMENT", ENVIRONMENT);
    section(&mut out, "SEE ALSO", see_also);
    out
}

/// A section of preformatted text, escaped for roff.
fn section(out: &mut Vec<u8>, title: &str, body: &str) {
    out.extend_from_slice(format!(".SH \"{title}\"\n.nf\n").as_bytes());
    for line in body.lines() {
        let line = line.replace('\\', "\\e").replace('-', "\\-");
        let line = if line.starts_with('.') || line.starts_with('\'') {
            format!("\\&{line}")
        } else {
            line
        };
        out.extend_from_slice(line.as_bytes());
        out.push(b'\n');
    }
    out.extend_from_slice(b".fi\n");
}

/// `jwtctl completions SHELL`.
pub fn completions(args: &CompletionsArgs, ctx: &Ctx) -> Result<Exit> {
    let script =
        String::from_utf8(completion(args.shell)).context("encoding the completion script")?;
    ctx.out.data(script.trim_end())?;
    Ok(Exit::Success)
}

/// `jwtctl generate --out-dir DIR`.
pub fn write(args: &GenerateArgs, ctx: &Ctx) -> Result<Exit> {
    for (path, bytes) in files() {
        let target = args.out_dir.join(&path);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("creating {}", parent.display()))?;
        }
        files::write_atomic(&target, &bytes, 0o644, true)?;
        ctx.out.info(&format!("wrote {}", target.display()));
    }
    Ok(Exit::Success)
}
