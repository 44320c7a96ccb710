//! The *write* step: a build goes into a staging folder beside the output
//! and replaces it only when everything succeeded, so a failed or
//! interrupted build leaves the previous `output/` exactly as it was.

use std::io;
use std::path::{Path, PathBuf};
use std::sync::{RwLock, RwLockReadGuard, RwLockWriteGuard};

use crate::render::Sink;

/// Marker file that identifies a folder as Waymark output.
pub const MARKER: &str = ".waymark-output";

/// A build in progress: files go to a staging folder.
pub struct Staging {
    staging: PathBuf,
    output: PathBuf,
    done: bool,
    /// Pages compressed for the download archive as they are written.
    pre: Option<crate::archive::Precompressed>,
    /// The download archive, written while documents are rendered.
    live: Option<crate::archive::LiveArchive>,
    /// Whether there is a previous output to link unchanged pages from.
    has_old: bool,
    /// Folders of the staging folder made so far (one page after another
    /// asked again for the same few folders, two system calls each).
    made: std::sync::Mutex<crate::hash::FastSet<PathBuf>>,
}

/// Orders the steps that change folders against [`clean_up_interrupted`],
/// which runs on Ctrl-C's own thread while a build goes on: writes into the
/// staging folder share the lock, the swap of folders and the clean-up take
/// it alone, so the clean-up never sees a step half done and nothing is
/// written after it. It guards the file system and holds no data: builds
/// stay values, and can run one after another in one process.
static FS_STEPS: RwLock<()> = RwLock::new(());

/// Shared hold on [`FS_STEPS`] for a write into a staging folder.
pub fn writing() -> RwLockReadGuard<'static, ()> {
    FS_STEPS.read().unwrap_or_else(|p| p.into_inner())
}

fn swapping() -> RwLockWriteGuard<'static, ()> {
    FS_STEPS.write().unwrap_or_else(|p| p.into_inner())
}

/// Puts things back after an interrupted build (Ctrl-C): the previous output
/// in place, no staging folder left. Safe to call at any time; the caller
/// is expected to exit right after, as writes of the build wait forever.
pub fn clean_up_interrupted(output: &Path) {
    let guard = swapping();
    let old = sibling(output, "waymark-old");
    if !output.exists() && old.exists() {
        let _ = std::fs::rename(&old, output);
    }
    let _ = std::fs::remove_dir_all(sibling(output, "waymark-staging"));
    // Keep the lock until the process exits.
    std::mem::forget(guard);
}

fn sibling(output: &Path, tag: &str) -> PathBuf {
    let name = output.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "output".into());
    let parent = output.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    parent.join(format!(".{name}.{tag}-{}", std::process::id()))
}

impl Staging {
    /// Prepares a staging folder for `output`. Refuses an existing, non-empty
    /// output folder that has no Waymark marker, so a typo cannot wipe a folder.
    pub fn new(output: &Path) -> io::Result<Staging> {
        if output.exists() {
            if !output.is_dir() {
                return Err(io::Error::other(format!("{} exists and is not a folder", output.display())));
            }
            let empty = std::fs::read_dir(output)?.next().is_none();
            // A previous build: the marker, or (from before the marker) the shape of one.
            let ours = output.join(MARKER).exists() || (output.join("index.html").is_file() && output.join("sitemap.xml").is_file());
            if !empty && !ours {
                return Err(io::Error::other(format!(
                    "refusing to replace {}: it is not empty and was not written by waymark (no {MARKER} file)",
                    output.display()
                )));
            }
        }
        let staging = sibling(output, "waymark-staging");
        let _w = writing();
        if staging.exists() {
            std::fs::remove_dir_all(&staging)?;
        }
        std::fs::create_dir_all(&staging)?;
        let has_old = output.is_dir();
        Ok(Staging { staging, output: output.to_path_buf(), done: false, pre: None, live: None, has_old, made: Default::default() })
    }

    /// The staging folder.
    pub fn path(&self) -> &Path {
        &self.staging
    }

    /// From now on, every page put is also compressed for the download
    /// archive (entries under `folder`), in the thread that puts it.
    pub fn precompress(&mut self, folder: &str) -> io::Result<()> {
        let _w = writing();
        self.pre = Some(crate::archive::Precompressed::create(self.staging.join("download/.waymark-pages"), folder)?);
        self.live = Some(crate::archive::LiveArchive::create(&self.staging, folder)?);
        Ok(())
    }

    /// Writes the download archive from the staged files, with the pages
    /// compressed so far; the compressed pages' file is removed.
    pub fn write_archive(&mut self, folder: &str) -> io::Result<u64> {
        let _w = writing();
        let pre = self.pre.take();
        match self.live.take() {
            Some(live) => live.finish(&self.staging, pre.as_ref()),
            None => crate::archive::write_archive_with(&self.staging, folder, pre.as_ref()),
        }
    }

    /// Copies a file tree into the staging folder under `dest`.
    pub fn copy_tree(&self, from: &Path, dest: &str, files: &[PathBuf]) -> io::Result<()> {
        for f in files {
            let _w = writing();
            let target = self.staging.join(dest).join(f);
            if let Some(p) = target.parent() {
                std::fs::create_dir_all(p)?;
            }
            std::fs::copy(from.join(f), &target)?;
        }
        Ok(())
    }

    /// Replaces the output folder with the staged build.
    pub fn commit(mut self) -> io::Result<()> {
        let _s = swapping();
        std::fs::write(self.staging.join(MARKER), "This folder is generated by waymark build; it is replaced on every build.\n")?;
        let old = sibling(&self.output, "waymark-old");
        if self.output.exists() {
            if old.exists() {
                std::fs::remove_dir_all(&old)?;
            }
            std::fs::rename(&self.output, &old)?;
        }
        if let Err(e) = std::fs::rename(&self.staging, &self.output) {
            // Put the previous output back.
            if old.exists() {
                let _ = std::fs::rename(&old, &self.output);
            }
            return Err(e);
        }
        self.done = true;
        if old.exists() {
            std::fs::remove_dir_all(&old)?;
        }
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        // Close the archive's files first (a folder with open files cannot
        // be removed everywhere).
        self.live.take();
        self.pre.take();
        if !self.done {
            let _w = writing();
            let _ = std::fs::remove_dir_all(&self.staging);
        }
    }
}

impl Sink for Staging {
    /// Writes the page; with the archive written as pages are rendered, its
    /// compressed entry joins the batch (else it is parked as [`Sink::put`]
    /// parks it).
    fn put_in_batch(&self, rel: &str, bytes: &[u8], batch: &mut crate::render::Batch) -> io::Result<()> {
        let Some(live) = &self.live else { return self.put(rel, bytes) };
        self.write_page(rel, bytes)?;
        // A page that cannot be compressed is compressed from disk by the
        // archive step instead (which reports a real failure).
        if let Ok(entry) = live.compress(rel, bytes) {
            batch.push(entry);
        }
        Ok(())
    }

    fn batch_done(&self, i: usize, batch: crate::render::Batch) {
        if let Some(live) = &self.live {
            let _w = writing();
            live.batch_done(i, batch);
        }
    }

    fn put(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        self.write_page(rel, bytes)?;
        if let Some(pre) = &self.pre {
            // A page that cannot be parked is compressed from disk by the
            // archive step instead (which reports a real write failure).
            let _ = pre.add(rel, bytes);
        }
        Ok(())
    }
}

impl Staging {
    /// Writes a file into the staging folder (or links the same file from
    /// the previous output).
    fn write_page(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        let _w = writing();
        let path = self.staging.join(rel);
        if let Some(p) = path.parent() {
            let mut made = self.made.lock().unwrap_or_else(|p| p.into_inner());
            if !made.contains(p) {
                std::fs::create_dir_all(p)?;
                made.insert(p.to_path_buf());
            }
        }
        // An unchanged page is linked from the previous output instead of
        // written again: no new inode, no data written. Safe for atomicity:
        // files are never modified in place, a new version is a new file.
        let old = self.output.join(rel);
        if !(self.has_old && std::fs::metadata(&old).is_ok_and(|m| m.is_file() && m.len() == bytes.len() as u64) && std::fs::read(&old).is_ok_and(|b| b == bytes) && std::fs::hard_link(&old, &path).is_ok()) {
            std::fs::write(path, bytes)?;
        }
        Ok(())
    }
}
