//! The downloadable archive of the whole built site (`download/site.zip`),
//! for passing on by USB stick. Deterministic: entries sorted, fixed
//! timestamps, so the same input gives the same bytes. Files are compressed
//! in parallel (each into a one-entry archive in memory) and then copied raw
//! into the final archive, which the `zip` crate writes (ZIP64 when needed).

use std::collections::HashMap;
use std::fs::File;
use std::io::{Cursor, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rayon::prelude::*;

/// Path of the archive inside the output.
pub const ARCHIVE: &str = "download/site.zip";

fn options(rel: &str) -> zip::write::SimpleFileOptions {
    let base = zip::write::SimpleFileOptions::default().last_modified_time(zip::DateTime::default()).unix_permissions(0o644).large_file(false);
    // Fonts and pictures are already compressed.
    if rel.ends_with(".woff2") || rel.ends_with(".png") || rel.ends_with(".jpg") || rel.ends_with(".jpeg") || rel.ends_with(".webp") {
        base.compression_method(zip::CompressionMethod::Stored)
    } else {
        // Fast deflate: most of the gain (HTML shrinks about 5x) at a fraction of the time.
        base.compression_method(zip::CompressionMethod::Deflated).compression_level(Some(1))
    }
}

/// One file as a one-entry archive in memory.
fn compress_one(path: &Path, name: &str) -> std::io::Result<Vec<u8>> {
    compress_bytes(name, &std::fs::read(path)?)
}

fn compress_bytes(name: &str, data: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::with_capacity(data.len() / 3 + 256)));
    w.start_file(name, options(name)).map_err(std::io::Error::other)?;
    w.write_all(data)?;
    Ok(w.finish().map_err(std::io::Error::other)?.into_inner())
}

/// Pages compressed for the archive as they are written, on the rendering
/// threads, and parked in a file until the archive is assembled: the
/// archive step then copies them instead of reading and compressing the
/// whole site again on its own.
#[derive(Debug)]
pub struct Precompressed {
    folder: String,
    path: PathBuf,
    file: File,
    /// Bytes reserved so far, and where each page's one-entry archive is.
    index: Mutex<(u64, HashMap<String, (u64, u32)>)>,
}

impl Precompressed {
    /// Parks compressed pages in a file at `path`; entries go under `folder`.
    pub fn create(path: PathBuf, folder: &str) -> std::io::Result<Self> {
        if let Some(d) = path.parent() {
            std::fs::create_dir_all(d)?;
        }
        let file = std::fs::OpenOptions::new().read(true).write(true).create(true).truncate(true).open(&path)?;
        Ok(Precompressed { folder: folder.to_owned(), path, file, index: Mutex::new((0, HashMap::new())) })
    }

    /// Compresses the page at `rel` (relative to the output) with these bytes.
    pub fn add(&self, rel: &str, bytes: &[u8]) -> std::io::Result<()> {
        let one = compress_bytes(&format!("{}/{rel}", self.folder), bytes)?;
        let len = u32::try_from(one.len()).map_err(std::io::Error::other)?;
        // The range is reserved under the lock and written outside it; the
        // page is listed only once it is written (else the archive step
        // compresses it from disk).
        let at = {
            let mut ix = self.index.lock().unwrap_or_else(|p| p.into_inner());
            let at = ix.0;
            ix.0 += u64::from(len);
            at
        };
        crate::fileio::write_at(&self.file, &one, at)?;
        self.index.lock().unwrap_or_else(|p| p.into_inner()).1.insert(rel.to_owned(), (at, len));
        Ok(())
    }

    /// The one-entry archive of `rel`, if it was added.
    fn get(&self, rel: &str) -> std::io::Result<Option<Vec<u8>>> {
        let Some((at, len)) = self.index.lock().unwrap_or_else(|p| p.into_inner()).1.get(rel).copied() else { return Ok(None) };
        let mut buf = vec![0; len as usize];
        crate::fileio::read_at(&self.file, &mut buf, at)?;
        Ok(Some(buf))
    }
}

impl Drop for Precompressed {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// Zips every file under `dir` (except the `download/` folder) into
/// `dir/download/site.zip`, under a top folder named `folder`, taking the
/// pages that `pre` holds from it.
pub fn write_archive(dir: &Path, folder: &str) -> std::io::Result<u64> {
    write_archive_with(dir, folder, None)
}

/// [`write_archive`] with pages already compressed.
pub fn write_archive_with(dir: &Path, folder: &str, pre: Option<&Precompressed>) -> std::io::Result<u64> {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.path().to_path_buf())
        .filter(|p| !p.starts_with(dir.join("download")))
        .collect();
    files.sort();
    let target = dir.join(ARCHIVE);
    std::fs::create_dir_all(target.parent().unwrap_or(dir))?;
    let file = std::fs::File::create(&target)?;
    // Entries are copied through 8 KiB buffers: a 1 MiB buffer turns the
    // tens of thousands of small writes of a large site into a few hundred.
    let mut zip = zip::ZipWriter::new(std::io::BufWriter::with_capacity(1 << 20, file));
    // In chunks, so memory stays bounded on large sites. While one thread
    // copies a chunk into the archive, the others read and parse the next.
    type One = zip::ZipArchive<Cursor<Vec<u8>>>;
    let prepare = |chunk: &[PathBuf]| -> Vec<std::io::Result<One>> {
        chunk
            .par_iter()
            .map(|p| {
                let rel = p.strip_prefix(dir).unwrap_or(p).components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
                let one = match pre.map(|pre| pre.get(&rel)).transpose()?.flatten() {
                    Some(one) => one,
                    None => compress_one(p, &format!("{folder}/{rel}"))?,
                };
                zip::ZipArchive::new(Cursor::new(one)).map_err(std::io::Error::other)
            })
            .collect()
    };
    let copy = |zip: &mut zip::ZipWriter<std::io::BufWriter<File>>, parts: Vec<std::io::Result<One>>| -> std::io::Result<()> {
        for part in parts {
            let mut one = part?;
            let entry = one.by_index_raw(0).map_err(std::io::Error::other)?;
            zip.raw_copy_file(entry).map_err(std::io::Error::other)?;
        }
        Ok(())
    };
    let mut chunks = files.chunks(512);
    let mut ready = chunks.next().map(prepare);
    while let Some(parts) = ready.take() {
        let next = chunks.next();
        let (copied, prepared) = rayon::join(|| copy(&mut zip, parts), || next.map(prepare));
        copied?;
        ready = prepared;
    }
    zip.finish().map_err(std::io::Error::other)?;
    Ok(std::fs::metadata(&target)?.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_compressed_ahead_give_the_same_archive() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("en/briefs")).unwrap();
        let pages = [("en/index.html", "<p>ไทย</p>".repeat(40)), ("en/briefs/a.html", "brief ".repeat(300)), ("index.html", "root".to_owned())];
        for (rel, text) in &pages {
            std::fs::write(dir.path().join(rel), text).unwrap();
        }
        write_archive(dir.path(), "site").unwrap();
        let from_disk = std::fs::read(dir.path().join(ARCHIVE)).unwrap();
        // Two of three pages compressed ahead; the third from disk.
        let pre = Precompressed::create(dir.path().join("download/.pages"), "site").unwrap();
        for (rel, text) in &pages[..2] {
            pre.add(rel, text.as_bytes()).unwrap();
        }
        write_archive_with(dir.path(), "site", Some(&pre)).unwrap();
        drop(pre);
        assert_eq!(std::fs::read(dir.path().join(ARCHIVE)).unwrap(), from_disk);
        assert!(!dir.path().join("download/.pages").exists());
    }

    #[test]
    fn archive_round_trips_and_is_deterministic() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("en")).unwrap();
        std::fs::write(dir.path().join("en/index.html"), "<p>ไทย and English</p>".repeat(50)).unwrap();
        std::fs::write(dir.path().join("index.html"), "root").unwrap();
        write_archive(dir.path(), "site").unwrap();
        let first = std::fs::read(dir.path().join(ARCHIVE)).unwrap();
        write_archive(dir.path(), "site").unwrap();
        assert_eq!(first, std::fs::read(dir.path().join(ARCHIVE)).unwrap());
        let mut z = zip::ZipArchive::new(Cursor::new(first)).unwrap();
        assert_eq!(z.len(), 2);
        let mut s = String::new();
        std::io::Read::read_to_string(&mut z.by_name("site/en/index.html").unwrap(), &mut s).unwrap();
        assert!(s.starts_with("<p>ไทย and English</p>"));
    }
}
