//! Ctrl-C (or a polite `kill`) while outputs are written: the half-written files are removed
//! before the program stops, so an interrupted run leaves the previous outputs as they were
//! and nothing else.
//!
//! Outputs are written into a new folder or file beside their final place and then renamed
//! into it (see `write_folder`). While one is unfinished its path is registered here; on an
//! interrupt, a thread removes every registered path and exits with the shell's status for
//! that signal (130 for Ctrl-C). The swap into place holds the same lock, so an interrupt
//! never lands between moving the previous outputs aside and putting the new ones there.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

/// Paths being written, removed on an interrupt.
static UNFINISHED: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// The registry, even if a thread panicked while holding it: the list itself is always valid.
fn registry() -> MutexGuard<'static, Vec<PathBuf>> {
    UNFINISHED.lock().unwrap_or_else(|e| e.into_inner())
}

/// A path being written: removed on an interrupt until this is dropped (once the path is in
/// its final place, or removed by its owner).
#[derive(Debug)]
pub struct Unfinished(PathBuf);

impl Unfinished {
    pub fn new(path: &Path) -> Unfinished {
        Unfinished::new_held(&mut registry(), path)
    }

    /// [`Unfinished::new`] while interrupts are held off (see [`hold`]).
    pub fn new_held(held: &mut MutexGuard<'static, Vec<PathBuf>>, path: &Path) -> Unfinished {
        held.push(path.to_path_buf());
        Unfinished(path.to_path_buf())
    }
}

impl Drop for Unfinished {
    fn drop(&mut self) {
        let mut list = registry();
        if let Some(at) = list.iter().position(|p| *p == self.0) {
            list.swap_remove(at);
        }
    }
}

/// Hold off interrupts while the outputs are swapped into place: the interrupt is handled
/// once the swap is done.
pub fn hold() -> MutexGuard<'static, Vec<PathBuf>> {
    registry()
}

/// Remove every unfinished output and return how many there were.
fn remove_unfinished(list: &mut Vec<PathBuf>) -> usize {
    let n = list.len();
    for path in list.drain(..) {
        if path.is_dir() {
            let _ = std::fs::remove_dir_all(&path);
        } else {
            let _ = std::fs::remove_file(&path);
        }
    }
    n
}

/// Handle Ctrl-C, SIGTERM and SIGHUP for the rest of the program: remove what is unfinished,
/// then exit as the signal would have. Without the handler (it could not be installed, or on
/// a platform without these signals), an interrupt leaves the unfinished folder beside the
/// outputs, and the next run names it.
pub fn remove_unfinished_on_interrupt() {
    #[cfg(unix)]
    {
        use signal_hook::consts::signal::{SIGHUP, SIGINT, SIGTERM};
        let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP]) else {
            return;
        };
        std::thread::spawn(move || {
            if let Some(signal) = signals.forever().next() {
                // Held until the exit: nothing may be written after the removal.
                let mut held = registry();
                let removed = remove_unfinished(&mut held);
                if removed > 0 {
                    eprintln!(
                        "interrupted: the unfinished outputs were removed; earlier outputs are as they were"
                    );
                }
                std::process::exit(128 + signal);
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registered_paths_are_removed_until_dropped() {
        let root = tempfile::tempdir().unwrap();
        let folder = root.path().join(".out.repgap-tmp-1");
        std::fs::create_dir_all(folder.join("annex")).unwrap();
        std::fs::write(folder.join("annex/a.csv"), "x").unwrap();
        let file = root.path().join(".tmp-file");
        std::fs::write(&file, "y").unwrap();
        let kept = root.path().join("kept");
        std::fs::create_dir(&kept).unwrap();
        let _folder = Unfinished::new(&folder);
        let _file = Unfinished::new(&file);
        drop(Unfinished::new(&kept));
        // Other tests may register paths of their own at the same time: remove only ours.
        let mut ours: Vec<PathBuf> = registry()
            .iter()
            .filter(|p| p.starts_with(root.path()))
            .cloned()
            .collect();
        assert_eq!(ours.len(), 2);
        assert_eq!(remove_unfinished(&mut ours), 2);
        assert!(!folder.exists() && !file.exists());
        assert!(kept.exists(), "a path whose writing finished is kept");
    }
}
