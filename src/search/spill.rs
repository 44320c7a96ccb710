//! Analysed search entries parked in a file until the index is written.
//!
//! A build of a large site would otherwise hold the stored text and terms
//! of every page of every language in memory at once (a third of its peak
//! at 10,000 documents). `serve` keeps entries in memory instead, to patch
//! the index after an edit.

use std::fs::File;
use std::io;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::fileio::{read_at, write_at};

use super::EntryData;

/// A temporary file of encoded entries; removed when dropped.
#[derive(Debug)]
pub struct Spill {
    path: PathBuf,
    file: File,
    /// Bytes reserved so far: each entry is written at its own offset.
    len: AtomicU64,
}

impl Spill {
    /// Creates (or empties) the file at `path`.
    pub fn create(path: PathBuf) -> io::Result<Self> {
        let file = std::fs::OpenOptions::new().read(true).write(true).create(true).truncate(true).open(&path)?;
        Ok(Spill { path, file, len: AtomicU64::new(0) })
    }

    /// Appends one entry; returns where it is.
    pub(super) fn put(&self, data: &EntryData) -> io::Result<(u64, u32)> {
        let bytes = encode(data);
        let len = u32::try_from(bytes.len()).map_err(io::Error::other)?;
        // A failed write leaves an unused range; its entry stays in memory.
        let at = self.len.fetch_add(u64::from(len), Ordering::Relaxed);
        write_at(&self.file, &bytes, at)?;
        Ok((at, len))
    }

    /// Reads back an entry written by [`Spill::put`].
    pub(super) fn get(&self, at: u64, len: u32) -> io::Result<EntryData> {
        let mut bytes = vec![0; len as usize];
        read_at(&self.file, &mut bytes, at)?;
        decode(&bytes).ok_or_else(|| io::Error::new(io::ErrorKind::InvalidData, "damaged search spill file"))
    }
}

impl Drop for Spill {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// Kinds of searchable units, so that a decoded entry gets its `&'static str` back.
const KINDS: [&str; 6] = ["brief", "country", "journey", "stage", "measure", "page"];

fn put_str(out: &mut Vec<u8>, s: &str) {
    out.extend_from_slice(&(s.len() as u32).to_le_bytes());
    out.extend_from_slice(s.as_bytes());
}

fn encode(d: &EntryData) -> Vec<u8> {
    let mut out = Vec::with_capacity(d.title.len() + d.text.len() + d.lang.len() + d.terms.len() + d.ends.len() * 5 + 32);
    put_str(&mut out, &d.title);
    put_str(&mut out, &d.text);
    put_str(&mut out, &d.lang);
    put_str(&mut out, &d.terms);
    out.push(KINDS.iter().position(|k| *k == d.kind).unwrap_or(KINDS.len() - 1) as u8);
    out.push(u8::from(d.truncated));
    out.extend_from_slice(&d.words.to_le_bytes());
    out.extend_from_slice(&(d.ends.len() as u32).to_le_bytes());
    for e in &d.ends {
        out.extend_from_slice(&e.to_le_bytes());
    }
    out.extend_from_slice(&d.weights);
    out
}

struct Reader<'a>(&'a [u8]);

impl Reader<'_> {
    fn take(&mut self, n: usize) -> Option<&[u8]> {
        if self.0.len() < n {
            return None;
        }
        let (a, b) = self.0.split_at(n);
        self.0 = b;
        Some(a)
    }
    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }
    fn str(&mut self) -> Option<String> {
        let n = self.u32()? as usize;
        // The SIMD check: this read back every stored title and text.
        simdutf8::basic::from_utf8(self.take(n)?).ok().map(str::to_owned)
    }
}

fn decode(b: &[u8]) -> Option<EntryData> {
    let mut r = Reader(b);
    let (title, text, lang, terms) = (r.str()?, r.str()?, r.str()?, r.str()?);
    let kind = *KINDS.get(usize::from(r.take(1)?[0]))?;
    let truncated = r.take(1)?[0] != 0;
    let words = r.u32()?;
    let n = r.u32()? as usize;
    let ends = (0..n).map(|_| r.u32()).collect::<Option<Vec<u32>>>()?;
    let weights = r.take(n)?.to_vec();
    Some(EntryData { title, kind, text, words, truncated, lang, terms, ends, weights })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_round_trip_through_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let spill = Spill::create(dir.path().join("spill")).unwrap();
        let a = EntryData { title: "ตำรวจ\u{7f}ชายแดน".into(), kind: "stage", text: "x \"y\"".into(), words: 7, truncated: true, lang: "th".into(), terms: "ตำรวจชายแดน".into(), ends: vec![15, 33], weights: vec![1, 4] };
        let b = EntryData { title: String::new(), kind: "measure", text: String::new(), words: 0, truncated: false, lang: "en".into(), terms: String::new(), ends: vec![], weights: vec![] };
        let (pa, la) = spill.put(&a).unwrap();
        let (pb, lb) = spill.put(&b).unwrap();
        assert_eq!(spill.get(pb, lb).unwrap(), b);
        assert_eq!(spill.get(pa, la).unwrap(), a);
        let path = dir.path().join("spill");
        drop(spill);
        assert!(!path.exists(), "the file is removed");
    }
}
