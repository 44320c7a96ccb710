//! The downloadable archive of the whole built site (`download/site.zip`),
//! for passing on by USB stick. Deterministic: fixed timestamps, and entries
//! in a fixed order, so the same input gives the same bytes. Files are
//! compressed in parallel (each into a one-entry archive in memory) and then
//! copied raw into the final archive, which the `zip` crate writes (ZIP64
//! when needed). A build writes the pages of documents and counter-measures
//! in their order while it renders them ([`LiveArchive`]), then every other
//! file sorted by path; [`write_archive`] writes all files sorted.

use std::collections::{HashMap, HashSet};
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
/// whole site again on its own. (The pages of documents and measures go
/// into the [`LiveArchive`] instead; lists, feeds and search indexes are
/// parked here.)
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
    let target = dir.join(ARCHIVE);
    let mut zip = open_zip(dir)?;
    add_files(&mut zip, dir, folder, pre, &Default::default())?;
    zip.finish().map_err(std::io::Error::other)?.flush()?;
    Ok(std::fs::metadata(&target)?.len())
}

type Zip = zip::ZipWriter<Tracked>;

/// A buffered file that keeps its own position: the zip writer asks for it
/// twice per entry, and `BufWriter<File>` asked the system each time (two
/// `lseek` calls for each of tens of thousands of pages).
struct Tracked {
    inner: std::io::BufWriter<File>,
    pos: u64,
}

impl Write for Tracked {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.pos += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

impl std::io::Seek for Tracked {
    fn seek(&mut self, to: std::io::SeekFrom) -> std::io::Result<u64> {
        if to != std::io::SeekFrom::Current(0) {
            self.pos = self.inner.seek(to)?;
        }
        Ok(self.pos)
    }
}

/// Creates `dir/download/site.zip`.
fn open_zip(dir: &Path) -> std::io::Result<Zip> {
    let target = dir.join(ARCHIVE);
    std::fs::create_dir_all(target.parent().unwrap_or(dir))?;
    let file = std::fs::File::create(&target)?;
    // Entries are copied through 8 KiB buffers: a 1 MiB buffer turns the
    // tens of thousands of small writes of a large site into a few hundred.
    Ok(zip::ZipWriter::new(Tracked { inner: std::io::BufWriter::with_capacity(1 << 20, file), pos: 0 }))
}

/// Copies the entry of a one-entry archive into `zip`.
fn copy_one(zip: &mut Zip, one: Vec<u8>) -> std::io::Result<()> {
    let mut one = zip::ZipArchive::new(Cursor::new(one)).map_err(std::io::Error::other)?;
    let entry = one.by_index_raw(0).map_err(std::io::Error::other)?;
    zip.raw_copy_file(entry).map_err(std::io::Error::other)
}

/// Adds every file under `dir` but the `download/` folder and the paths
/// in `skip` (relative, `/`-separated), sorted, taking pages from `pre`.
fn add_files(zip: &mut Zip, dir: &Path, folder: &str, pre: Option<&Precompressed>, skip: &HashSet<String>) -> std::io::Result<()> {
    let mut files: Vec<(PathBuf, String)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.path().to_path_buf())
        .filter(|p| !p.starts_with(dir.join("download")))
        .map(|p| {
            let rel = p.strip_prefix(dir).unwrap_or(&p).components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
            (p, rel)
        })
        .filter(|(_, rel)| !skip.contains(rel))
        .collect();
    files.sort();
    // In chunks, so memory stays bounded on large sites. While one thread
    // copies a chunk into the archive, the others read and compress the next.
    let prepare = |chunk: &[(PathBuf, String)]| -> Vec<std::io::Result<Vec<u8>>> {
        chunk
            .par_iter()
            .map(|(p, rel)| match pre.map(|pre| pre.get(rel)).transpose()?.flatten() {
                Some(one) => Ok(one),
                None => compress_one(p, &format!("{folder}/{rel}")),
            })
            .collect()
    };
    let copy = |zip: &mut Zip, parts: Vec<std::io::Result<Vec<u8>>>| -> std::io::Result<()> {
        for part in parts {
            copy_one(zip, part?)?;
        }
        Ok(())
    };
    let mut chunks = files.chunks(512);
    let mut ready = chunks.next().map(prepare);
    while let Some(parts) = ready.take() {
        let next = chunks.next();
        let (copied, prepared) = rayon::join(|| copy(zip, parts), || next.map(prepare));
        copied?;
        ready = prepared;
    }
    Ok(())
}

/// The download archive written while the site is rendered: the pages of
/// each batch of documents go in as soon as every earlier batch is in, in
/// document order (the same from build to build, whatever thread rendered
/// what), so the archive step at the end only adds the other files.
pub struct LiveArchive {
    folder: String,
    inner: Mutex<Live>,
}

struct Live {
    zip: Zip,
    /// Paths already in the archive.
    written: HashSet<String>,
    /// Batches rendered before an earlier one, waiting for it.
    ready: std::collections::BTreeMap<usize, Vec<(String, Vec<u8>)>>,
    /// The next batch to write.
    next: usize,
    /// The first write that failed: reported by [`LiveArchive::finish`],
    /// as the archive step reports a failure (the build fails with an I/O
    /// error, not a content error).
    failed: Option<std::io::Error>,
}

impl LiveArchive {
    /// Starts `dir/download/site.zip`, entries under a top folder `folder`.
    pub fn create(dir: &Path, folder: &str) -> std::io::Result<Self> {
        let zip = open_zip(dir)?;
        Ok(LiveArchive { folder: folder.to_owned(), inner: Mutex::new(Live { zip, written: HashSet::new(), ready: Default::default(), next: 0, failed: None }) })
    }

    /// A page of a batch, as a one-entry archive to hand to [`LiveArchive::batch_done`].
    pub fn compress(&self, rel: &str, bytes: &[u8]) -> std::io::Result<(String, Vec<u8>)> {
        Ok((rel.to_owned(), compress_bytes(&format!("{}/{rel}", self.folder), bytes)?))
    }

    /// Batch `i` is rendered, with these pages: writes it and every later
    /// batch already rendered, once every earlier batch is written. A
    /// failure is kept for [`LiveArchive::finish`]; nothing is written after it.
    pub fn batch_done(&self, i: usize, pages: Vec<(String, Vec<u8>)>) {
        let mut live = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        if live.failed.is_some() {
            return;
        }
        live.ready.insert(i, pages);
        loop {
            let n = live.next;
            let Some(pages) = live.ready.remove(&n) else { break };
            for (rel, one) in pages {
                if let Err(e) = copy_one(&mut live.zip, one) {
                    live.failed = Some(e);
                    live.ready.clear();
                    return;
                }
                live.written.insert(rel);
            }
            live.next += 1;
        }
    }

    /// Adds every other file under `dir` (sorted, pages from `pre`) and
    /// finishes the archive; returns its size.
    pub fn finish(self, dir: &Path, pre: Option<&Precompressed>) -> std::io::Result<u64> {
        let Live { mut zip, written, ready, failed, .. } = self.inner.into_inner().unwrap_or_else(|p| p.into_inner());
        if let Some(e) = failed {
            return Err(e);
        }
        if !ready.is_empty() {
            return Err(std::io::Error::other("a batch of pages was never written to the archive"));
        }
        add_files(&mut zip, dir, &self.folder, pre, &written)?;
        zip.finish().map_err(std::io::Error::other)?.flush()?;
        Ok(std::fs::metadata(dir.join(ARCHIVE))?.len())
    }
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
    fn live_archive_keeps_batch_order_then_adds_the_rest_sorted() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("en")).unwrap();
        let live = LiveArchive::create(dir.path(), "site").unwrap();
        let page = |rel: &str| {
            let text = format!("<p>{rel} ไทย</p>").repeat(20);
            std::fs::write(dir.path().join(rel), &text).unwrap();
            live.compress(rel, text.as_bytes()).unwrap()
        };
        let (b0, b1) = (vec![page("en/z.html"), page("en/a.html")], vec![page("en/m.html")]);
        // Batch 1 is done first: it waits for batch 0.
        live.batch_done(1, b1);
        live.batch_done(0, b0);
        std::fs::write(dir.path().join("index.html"), "root").unwrap();
        std::fs::write(dir.path().join("en/b.html"), "not in a batch").unwrap();
        live.finish(dir.path(), None).unwrap();
        let mut z = zip::ZipArchive::new(std::fs::File::open(dir.path().join(ARCHIVE)).unwrap()).unwrap();
        let names: Vec<String> = (0..z.len()).map(|i| z.by_index(i).unwrap().name().to_owned()).collect();
        assert_eq!(names, ["site/en/z.html", "site/en/a.html", "site/en/m.html", "site/en/b.html", "site/index.html"]);
        let mut s = String::new();
        std::io::Read::read_to_string(&mut z.by_name("site/en/m.html").unwrap(), &mut s).unwrap();
        assert_eq!(s, "<p>en/m.html ไทย</p>".repeat(20));
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
