//! Positioned reads and writes, for the files that several rendering
//! threads append to (the search spill, the precompressed pages): each
//! thread reserves its range and writes there, with no shared file cursor
//! to seek and no lock held during the write.

use std::fs::File;
use std::io;

/// Writes all of `buf` at byte offset `at`.
pub fn write_at(file: &File, buf: &[u8], at: u64) -> io::Result<()> {
    #[cfg(unix)]
    {
        std::os::unix::fs::FileExt::write_all_at(file, buf, at)
    }
    #[cfg(windows)]
    {
        let (mut buf, mut at) = (buf, at);
        while !buf.is_empty() {
            match std::os::windows::fs::FileExt::seek_write(file, buf, at) {
                Ok(0) => return Err(io::ErrorKind::WriteZero.into()),
                Ok(n) => {
                    buf = &buf[n..];
                    at += n as u64;
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }
}

/// Fills `buf` from byte offset `at`.
pub fn read_at(file: &File, buf: &mut [u8], at: u64) -> io::Result<()> {
    #[cfg(unix)]
    {
        std::os::unix::fs::FileExt::read_exact_at(file, buf, at)
    }
    #[cfg(windows)]
    {
        let (mut buf, mut at) = (buf, at);
        while !buf.is_empty() {
            match std::os::windows::fs::FileExt::seek_read(file, buf, at) {
                Ok(0) => return Err(io::ErrorKind::UnexpectedEof.into()),
                Ok(n) => {
                    buf = &mut buf[n..];
                    at += n as u64;
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_and_reads_back_at_offsets_from_several_threads() {
        let dir = tempfile::tempdir().unwrap();
        let file = std::fs::OpenOptions::new().read(true).write(true).create(true).truncate(true).open(dir.path().join("f")).unwrap();
        std::thread::scope(|s| {
            for i in 0..8u8 {
                let file = &file;
                s.spawn(move || write_at(file, &[i; 1000], u64::from(i) * 1000).unwrap());
            }
        });
        for i in 0..8u8 {
            let mut buf = [0u8; 1000];
            read_at(&file, &mut buf, u64::from(i) * 1000).unwrap();
            assert!(buf.iter().all(|&b| b == i));
        }
        let mut past = [0u8; 10];
        assert!(read_at(&file, &mut past, 7995).is_err());
    }
}
