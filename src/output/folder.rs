//! A run's files written as one: the output folder holds either the whole previous run or the
//! whole new one, never a mixture.
//!
//! Writing file by file into the output folder leaves, when a run is interrupted (Ctrl-C, a
//! full disk, a failure half-way), some new files beside old ones that no longer agree with
//! them. So every file is first written and flushed to disk in a new folder beside the output
//! folder, `.NAME.repgap-tmp-XXXXXX`, and only then swapped in:
//!
//! 1. the output folder NAME, if it exists, is renamed to `NAME.repgap-previous`;
//! 2. the new folder is renamed to NAME;
//! 3. `NAME.repgap-previous` is removed.
//!
//! Between 1 and 2 (two renames in one folder, microseconds apart) there is no NAME. If the
//! machine stops exactly there, the previous outputs are whole in `NAME.repgap-previous` and the
//! new ones whole in `.NAME.repgap-tmp-XXXXXX`: rename either to NAME. The next run says so. An
//! error at step 2 puts the previous folder back. Ctrl-C while writing removes the unfinished
//! folder and leaves NAME untouched; Ctrl-C during the swap waits for it ([`super::interrupt`]).
//! A process killed outright (`kill -9`, a power cut) leaves the unfinished
//! `.NAME.repgap-tmp-XXXXXX` behind; the next run names it as safe to delete.
//!
//! Because the whole folder is replaced, anything else in it would be lost. repgap keeps a list
//! of the files it wrote ([`MANIFEST`]) and refuses to replace a folder holding any other file,
//! naming them, rather than carrying them over: a copy of someone's files made silently on every
//! run (and dropped when one shares a name with an output) is a worse surprise than being asked
//! to move them once.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Component, Path, PathBuf};

use crate::error::{Error, Result};

/// The list of files repgap wrote into an output folder, one relative path a line, kept in the
/// folder so the next run can tell its own files from anyone else's.
pub const MANIFEST: &str = ".repgap-files";

/// How many unknown files a refusal names before saying "and N more".
const NAMED: usize = 10;

/// Write `files` (paths relative to `dir`, with `/` between folders) as the whole content of
/// `dir`, replacing what was there, all or nothing; never over one of `inputs`. Returns notes
/// for the user (left-overs of an interrupted run, a previous folder that could not be removed).
pub fn write_folder(
    dir: &Path,
    files: &[(String, Vec<u8>)],
    inputs: &[PathBuf],
) -> Result<Vec<String>> {
    write_folder_with(dir, files, inputs, &mut |_| Ok(()))
}

/// A point in the writing where a test can make the write fail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    /// Before the file at this index is written.
    File(usize),
    /// After the old folder is renamed aside, before the new one takes its place.
    Swap,
}

fn write_folder_with(
    dir: &Path,
    files: &[(String, Vec<u8>)],
    inputs: &[PathBuf],
    fault: &mut dyn FnMut(Step) -> std::io::Result<()>,
) -> Result<Vec<String>> {
    let write_error = |path: &Path| {
        let path = path.to_path_buf();
        move |source| Error::Write { path, source }
    };
    let target = resolve(dir)?;
    refuse_inputs(&target, dir, inputs)?;
    let exists = std::fs::symlink_metadata(&target).is_ok();
    if exists && !target.is_dir() {
        return Err(Error::usage(
            format!(
                "cannot write outputs to {}: it is a file, not a folder",
                dir.display()
            ),
            "choose a folder, e.g. --output-dir repgap-output",
        ));
    }
    if exists {
        refuse_foreign_files(&target, dir, files)?;
    }
    let (parent, name) = match (target.parent(), target.file_name()) {
        (Some(p), Some(n)) => (p.to_path_buf(), n.to_string_lossy().into_owned()),
        _ => {
            return Err(Error::usage(
                format!("cannot use {} as an output folder", dir.display()),
                "choose a folder of its own, e.g. --output-dir repgap-output",
            ))
        }
    };
    let mut notes = leftovers(&parent, &name);

    // 1. Everything into a new folder beside the target (same file system, so the rename
    // below is atomic), flushed to disk before it is swapped in.
    let staged = tempfile::Builder::new()
        .prefix(&format!(".{name}.repgap-tmp-"))
        .tempdir_in(&parent)
        .map_err(write_error(&target))?;
    let _unfinished = super::interrupt::Unfinished::new(staged.path());
    if exists {
        // Keep the folder's permissions: a folder shared with colleagues stays shared.
        if let Ok(meta) = std::fs::metadata(&target) {
            std::fs::set_permissions(staged.path(), meta.permissions())
                .map_err(write_error(&target))?;
        }
    }
    for (i, (relative, contents)) in files.iter().enumerate() {
        let shown = target.join(relative);
        fault(Step::File(i)).map_err(write_error(&shown))?;
        let path = staged.path().join(checked_relative(relative)?);
        // An interrupt waits for this file, so it never removes the folder while a file is
        // being created in it (which would create the folder again).
        let _held = super::interrupt::hold();
        if let Some(folder) = path.parent() {
            std::fs::create_dir_all(folder).map_err(write_error(&shown))?;
        }
        let mut file = std::fs::File::create(&path).map_err(write_error(&shown))?;
        file.write_all(contents).map_err(write_error(&shown))?;
        file.sync_all().map_err(write_error(&shown))?;
    }
    let mut manifest = String::from(
        "# Files repgap wrote in this folder. The next run replaces the folder whole and refuses\n\
         # to if it holds any file not listed here.\n",
    );
    for (relative, _) in files {
        manifest.push_str(relative);
        manifest.push('\n');
    }
    let manifest_path = staged.path().join(MANIFEST);
    let mut held = super::interrupt::hold();
    let mut file = std::fs::File::create(&manifest_path).map_err(write_error(&target))?;
    file.write_all(manifest.as_bytes())
        .map_err(write_error(&target))?;
    file.sync_all().map_err(write_error(&target))?;
    sync_folders(staged.path());

    // 2. The swap, which an interrupt waits for (still holding off interrupts).
    let previous = if exists {
        let previous = free_name(&parent, &format!("{name}.repgap-previous"));
        std::fs::rename(&target, &previous).map_err(|e| Error::Write {
            path: target.clone(),
            source: std::io::Error::new(
                e.kind(),
                format!(
                    "{e} (the folder could not be moved aside to be replaced; close any file \
                     from it that is open in another program, such as a CSV open in Excel)"
                ),
            ),
        })?;
        Some(previous)
    } else {
        None
    };
    if let Err(e) = fault(Step::Swap).and_then(|()| std::fs::rename(staged.path(), &target)) {
        if let Some(previous) = &previous {
            if let Err(back) = std::fs::rename(previous, &target) {
                return Err(Error::Write {
                    path: target.clone(),
                    source: std::io::Error::new(
                        e.kind(),
                        format!(
                            "{e}; the previous outputs are whole in {} but could not be put \
                             back ({back}): rename that folder to {name}",
                            previous.display()
                        ),
                    ),
                });
            }
        }
        return Err(Error::Write {
            path: target,
            source: e,
        });
    }
    // The new folder is in place under its final name: it must not be removed as a temporary.
    let _ = staged.keep();
    // The previous outputs are replaced now: an interrupt removes them too.
    let _replaced = previous
        .as_ref()
        .map(|p| super::interrupt::Unfinished::new_held(&mut held, p));
    drop(held);
    sync_folder(&parent);

    // 3. The previous outputs go.
    if let Some(previous) = previous {
        if let Err(e) = std::fs::remove_dir_all(&previous) {
            notes.push(format!(
                "the new outputs are in {}, but the previous ones could not be removed from {} ({e}); delete that folder",
                dir.display(),
                previous.display()
            ));
        }
    }
    Ok(notes)
}

/// The output folder as an absolute path with symbolic links resolved, so that a folder reached
/// through a link is replaced where it really is and the link keeps working. Its parent is
/// created if missing.
fn resolve(dir: &Path) -> Result<PathBuf> {
    let write_error = |source| Error::Write {
        path: dir.to_path_buf(),
        source,
    };
    if let Ok(real) = dir.canonicalize() {
        return Ok(real);
    }
    let absolute = std::path::absolute(dir).map_err(write_error)?;
    let (parent, name) = match (absolute.parent(), absolute.file_name()) {
        (Some(p), Some(n)) => (p.to_path_buf(), n.to_os_string()),
        _ => {
            return Err(Error::usage(
                format!("cannot use {} as an output folder", dir.display()),
                "choose a folder of its own, e.g. --output-dir repgap-output",
            ))
        }
    };
    std::fs::create_dir_all(&parent).map_err(write_error)?;
    Ok(parent.canonicalize().map_err(write_error)?.join(name))
}

/// Replacing the output folder replaces everything in it: refuse when that would take an input
/// with it, or the folder the user is working in.
fn refuse_inputs(target: &Path, dir: &Path, inputs: &[PathBuf]) -> Result<()> {
    for input in inputs {
        let Ok(input) = input.canonicalize() else {
            continue;
        };
        if input == target {
            return Err(Error::usage(
                format!(
                    "refusing to write to {}: it is one of the inputs",
                    dir.display()
                ),
                "choose another --output-dir; repgap never overwrites its inputs",
            ));
        }
        if input.starts_with(target) {
            return Err(Error::usage(
                format!(
                    "refusing to write to {}: it holds {}, one of the inputs, and each run replaces the whole output folder",
                    dir.display(),
                    input.display()
                ),
                "choose an output folder of its own, e.g. --output-dir repgap-output; repgap never overwrites its inputs",
            ));
        }
    }
    if let Ok(cwd) = std::env::current_dir().and_then(|d| d.canonicalize()) {
        if cwd.starts_with(target) {
            return Err(Error::usage(
                format!(
                    "refusing to write to {}: it is the current folder or holds it, and each run replaces the whole output folder",
                    dir.display()
                ),
                "choose an output folder of its own, e.g. --output-dir repgap-output",
            ));
        }
    }
    Ok(())
}

/// Refuse to replace a folder holding files repgap did not write: those listed in its
/// [`MANIFEST`] and those this run writes are repgap's.
fn refuse_foreign_files(target: &Path, dir: &Path, files: &[(String, Vec<u8>)]) -> Result<()> {
    let mut known: BTreeSet<String> = files.iter().map(|(name, _)| name.clone()).collect();
    known.insert(MANIFEST.to_string());
    if let Ok(text) = std::fs::read_to_string(target.join(MANIFEST)) {
        known.extend(
            text.lines()
                .filter(|l| !l.starts_with('#') && !l.is_empty())
                .map(String::from),
        );
    }
    let mut present = Vec::new();
    list_files(target, "", &mut present).map_err(|source| Error::Write {
        path: dir.to_path_buf(),
        source,
    })?;
    let foreign: Vec<&String> = present.iter().filter(|f| !known.contains(*f)).collect();
    if foreign.is_empty() {
        return Ok(());
    }
    let mut named: Vec<String> = foreign.iter().take(NAMED).map(|f| f.to_string()).collect();
    if foreign.len() > NAMED {
        named.push(format!("… and {} more", foreign.len() - NAMED));
    }
    Err(Error::usage(
        format!(
            "refusing to write to {}: it holds {} file(s) repgap did not write: {}",
            dir.display(),
            foreign.len(),
            named.join(", ")
        ),
        "each run replaces the whole output folder, so repgap keeps nothing else in it; move these files out, or choose another --output-dir",
    ))
}

/// Every file (anything that is not a folder, links included) under `folder`, as paths
/// relative to it with `/` between folders.
fn list_files(folder: &Path, prefix: &str, out: &mut Vec<String>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(folder)? {
        let entry = entry?;
        let name = format!("{prefix}{}", entry.file_name().to_string_lossy());
        // Not followed: a link to a folder is one entry, and removing it removes only the link.
        if entry.file_type()?.is_dir() {
            list_files(&entry.path(), &format!("{name}/"), out)?;
        } else {
            out.push(name);
        }
    }
    Ok(())
}

/// Output names come from repgap itself; this keeps a bad one from escaping the folder.
fn checked_relative(relative: &str) -> Result<&Path> {
    let path = Path::new(relative);
    if relative.is_empty() || !path.components().all(|c| matches!(c, Component::Normal(_))) {
        return Err(Error::usage(
            format!("refusing to write an output named {relative:?}: it is not a plain file name inside the output folder"),
            "this is a bug in repgap; please report it with the config that caused it",
        ));
    }
    Ok(path)
}

/// What earlier interrupted runs left beside the output folder, for the user to tidy.
fn leftovers(parent: &Path, name: &str) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return Vec::new();
    };
    let mut notes = Vec::new();
    let unfinished = format!(".{name}.repgap-tmp-");
    let previous = format!("{name}.repgap-previous");
    let mut found: Vec<String> = entries
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(&unfinished) || n.starts_with(&previous))
        .collect();
    found.sort();
    for n in found {
        let path = parent.join(&n);
        if n.starts_with(&unfinished) {
            notes.push(format!(
                "{} is left from a run that was interrupted while writing; it is incomplete and safe to delete",
                path.display()
            ));
        } else {
            notes.push(format!(
                "{} holds the outputs of an earlier run, left when a run was interrupted as it replaced {name}; delete it once you have checked {name}",
                path.display()
            ));
        }
    }
    notes
}

/// `parent/base`, or `parent/base-2`, `-3`… : the first name not taken.
fn free_name(parent: &Path, base: &str) -> PathBuf {
    let mut candidate = parent.join(base);
    let mut n = 2;
    while std::fs::symlink_metadata(&candidate).is_ok() {
        candidate = parent.join(format!("{base}-{n}"));
        n += 1;
    }
    candidate
}

/// Flush every folder under `root` (and `root`), so the new names are on disk before the swap.
fn sync_folders(root: &Path) {
    if let Ok(entries) = std::fs::read_dir(root) {
        for entry in entries.flatten() {
            if entry.file_type().is_ok_and(|t| t.is_dir()) {
                sync_folders(&entry.path());
            }
        }
    }
    sync_folder(root);
}

/// Best effort: folders cannot be opened for syncing on every platform (Windows), and the
/// files themselves are already flushed.
fn sync_folder(folder: &Path) {
    if let Ok(f) = std::fs::File::open(folder) {
        let _ = f.sync_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(tag: &str, n: usize) -> Vec<(String, Vec<u8>)> {
        (0..n)
            .map(|i| {
                let name = if i % 2 == 0 {
                    format!("t{i}.csv")
                } else {
                    format!("annex/charts/c{i}.svg")
                };
                (name, format!("{tag} {i}\n").into_bytes())
            })
            .collect()
    }

    /// Every file under `dir` with its bytes, sorted.
    fn contents(dir: &Path) -> Vec<(String, Vec<u8>)> {
        let mut names = Vec::new();
        list_files(dir, "", &mut names).unwrap();
        names.sort();
        names
            .into_iter()
            .map(|n| {
                let bytes = std::fs::read(dir.join(&n)).unwrap();
                (n, bytes)
            })
            .collect()
    }

    fn siblings(root: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(root)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn a_second_run_replaces_the_folder_whole() {
        let root = tempfile::tempdir().unwrap();
        let out = root.path().join("out");
        assert!(write_folder(&out, &files("old", 6), &[])
            .unwrap()
            .is_empty());
        let new = files("new", 3);
        write_folder(&out, &new, &[]).unwrap();
        let mut expected = new.clone();
        expected.push((
            MANIFEST.to_string(),
            std::fs::read(out.join(MANIFEST)).unwrap(),
        ));
        expected.sort();
        assert_eq!(
            contents(&out),
            expected,
            "old outputs not written again are gone"
        );
        assert_eq!(siblings(root.path()), ["out"]);
    }

    #[test]
    fn a_failure_half_way_leaves_the_previous_outputs_whole() {
        let root = tempfile::tempdir().unwrap();
        let out = root.path().join("out");
        write_folder(&out, &files("old", 6), &[]).unwrap();
        let before = contents(&out);
        for fail_at in [Step::File(0), Step::File(3), Step::Swap] {
            let err = write_folder_with(&out, &files("new", 6), &[], &mut |step| {
                if step == fail_at {
                    Err(std::io::Error::other("disk full"))
                } else {
                    Ok(())
                }
            })
            .unwrap_err();
            assert!(err.to_string().contains("disk full"), "{err}");
            assert_eq!(contents(&out), before, "after a failure at {fail_at:?}");
            assert_eq!(
                siblings(root.path()),
                ["out"],
                "after a failure at {fail_at:?}"
            );
        }
    }

    #[test]
    fn a_first_run_that_fails_leaves_nothing() {
        let root = tempfile::tempdir().unwrap();
        let out = root.path().join("out");
        write_folder_with(&out, &files("new", 4), &[], &mut |step| {
            if step == Step::File(2) {
                Err(std::io::Error::other("disk full"))
            } else {
                Ok(())
            }
        })
        .unwrap_err();
        assert!(siblings(root.path()).is_empty());
    }

    #[test]
    fn files_repgap_did_not_write_are_kept_and_named() {
        let root = tempfile::tempdir().unwrap();
        let out = root.path().join("out");
        write_folder(&out, &files("old", 4), &[]).unwrap();
        std::fs::write(out.join("notes.txt"), "mine").unwrap();
        std::fs::create_dir_all(out.join("annex/drafts")).unwrap();
        std::fs::write(out.join("annex/drafts/d.md"), "mine too").unwrap();
        let before = contents(&out);
        let err = write_folder(&out, &files("new", 4), &[]).unwrap_err();
        let text = err.to_string();
        assert!(text.contains("2 file(s) repgap did not write"), "{text}");
        assert!(
            text.contains("notes.txt") && text.contains("annex/drafts/d.md"),
            "{text}"
        );
        assert!(text.contains("move these files out"), "{text}");
        assert_eq!(err.exit_code(), 2);
        assert_eq!(contents(&out), before);
        assert_eq!(siblings(root.path()), ["out"]);
    }

    #[test]
    fn a_folder_with_no_list_is_replaced_when_it_holds_only_this_runs_names() {
        let root = tempfile::tempdir().unwrap();
        let out = root.path().join("out");
        std::fs::create_dir_all(out.join("annex/charts")).unwrap();
        std::fs::write(out.join("t0.csv"), "older version").unwrap();
        std::fs::write(out.join("annex/charts/c1.svg"), "older version").unwrap();
        write_folder(&out, &files("new", 2), &[]).unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("t0.csv")).unwrap(),
            "new 0\n"
        );
    }

    #[test]
    fn refuses_a_folder_holding_an_input_or_being_one() {
        let root = tempfile::tempdir().unwrap();
        let data = root.path().join("data");
        std::fs::create_dir_all(&data).unwrap();
        let input = data.join("hr.csv");
        std::fs::write(&input, "keep").unwrap();
        let err = write_folder(&data, &files("new", 2), std::slice::from_ref(&input)).unwrap_err();
        assert!(err.to_string().contains("one of the inputs"), "{err}");
        assert!(err.to_string().contains("hr.csv"), "{err}");
        let err = write_folder(&input, &files("new", 2), std::slice::from_ref(&input)).unwrap_err();
        assert!(err.to_string().contains("one of the inputs"), "{err}");
        let err =
            write_folder(&root.path().join("data/hr.csv"), &files("new", 2), &[]).unwrap_err();
        assert!(err.to_string().contains("not a folder"), "{err}");
        assert_eq!(std::fs::read_to_string(&input).unwrap(), "keep");
        assert_eq!(siblings(root.path()), ["data"]);
    }

    #[test]
    fn leftovers_of_an_interrupted_swap_are_named() {
        let root = tempfile::tempdir().unwrap();
        let out = root.path().join("out");
        write_folder(&out, &files("old", 2), &[]).unwrap();
        // As if the machine stopped between the two renames of an earlier run.
        std::fs::rename(&out, root.path().join("out.repgap-previous")).unwrap();
        std::fs::create_dir(root.path().join(".out.repgap-tmp-abc123")).unwrap();
        let notes = write_folder(&out, &files("new", 2), &[]).unwrap();
        assert_eq!(notes.len(), 2, "{notes:?}");
        assert!(notes[0].contains(".out.repgap-tmp-abc123") && notes[0].contains("safe to delete"));
        assert!(notes[1].contains("out.repgap-previous") && notes[1].contains("earlier run"));
        // They are the user's to look at: left as they are.
        assert_eq!(
            siblings(root.path()),
            [".out.repgap-tmp-abc123", "out", "out.repgap-previous"]
        );
    }

    #[test]
    fn names_outside_the_folder_are_refused() {
        let root = tempfile::tempdir().unwrap();
        for bad in ["../x.csv", "/etc/x", "", "a/../../b"] {
            let files = vec![(bad.to_string(), b"x".to_vec())];
            assert!(
                write_folder(&root.path().join("out"), &files, &[]).is_err(),
                "{bad}"
            );
        }
        assert!(siblings(root.path()).is_empty());
    }
}
