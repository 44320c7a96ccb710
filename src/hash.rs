//! A fast hasher for keys taken from the site's own content (words,
//! paragraphs). The standard SipHash resists crafted keys, which these are
//! not a risk for, and took a noticeable share of indexing and linting.

use std::collections::{HashMap, HashSet};
use std::hash::BuildHasherDefault;

/// Multiply-rotate hashing of 8-byte chunks.
#[derive(Default)]
pub struct FastHasher(u64);

impl std::hash::Hasher for FastHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        // Whole chunks are read as one word each (a copy of a chunk of
        // unknown length was a call to `memcpy` per 8 bytes); the last,
        // shorter chunk is padded with zeros.
        let mut chunks = bytes.chunks_exact(8);
        for chunk in chunks.by_ref() {
            let word = u64::from_le_bytes(chunk.try_into().unwrap_or([0; 8]));
            self.mix(word);
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut b = [0u8; 8];
            b[..rest.len()].copy_from_slice(rest);
            self.mix(u64::from_le_bytes(b));
        }
    }
}

impl FastHasher {
    #[inline(always)]
    fn mix(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

/// A `HashMap` with [`FastHasher`].
pub type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FastHasher>>;
/// A `HashSet` with [`FastHasher`].
pub type FastSet<K> = HashSet<K, BuildHasherDefault<FastHasher>>;

/// The [`FastHasher`] hash of a string.
pub fn hash_str(s: &str) -> u64 {
    use std::hash::BuildHasher;
    BuildHasherDefault::<FastHasher>::default().hash_one(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_keys_hash_equal_and_lookups_work() {
        let mut set: FastSet<&str> = FastSet::default();
        set.insert("ການຄ້າມະນຸດ");
        set.insert("trafficking in persons, a paragraph longer than eight bytes");
        assert!(set.contains("ການຄ້າມະນຸດ"));
        assert!(set.contains("trafficking in persons, a paragraph longer than eight bytes"));
        assert!(!set.contains("trafficking in persons, a paragraph longer than eight byte"));
    }

    #[test]
    fn words_are_mixed_as_zero_padded_8_byte_chunks() {
        // The value is the one of the chunked definition, whole or padded.
        let by_definition = |bytes: &[u8]| {
            let mut h = 0u64;
            for chunk in bytes.chunks(8) {
                let mut b = [0u8; 8];
                b[..chunk.len()].copy_from_slice(chunk);
                h = (h.rotate_left(5) ^ u64::from_le_bytes(b)).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
            }
            h
        };
        let text = "ການຄ້າມະນຸດ trafficking in persons";
        for end in 0..=text.len() {
            let bytes = &text.as_bytes()[..end];
            let mut h = FastHasher::default();
            std::hash::Hasher::write(&mut h, bytes);
            assert_eq!(std::hash::Hasher::finish(&h), by_definition(bytes), "{end} bytes");
        }
    }
}
