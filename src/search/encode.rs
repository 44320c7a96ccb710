//! Compact text encoding of posting lists (see the index format in the
//! parent module). Strings of these 64 characters need no escaping in JSON
//! or JavaScript and compress well.

/// The 64 digits, by value. Varint digits `0..32` end a number, `32..64`
/// carry five bits and continue; a weight is one digit of value `0..64`.
pub const ALPHABET: &[u8; 64] = b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_";

/// Appends `n` as a varint, most significant five-bit group first.
pub fn push_varint(out: &mut String, n: u32) {
    let mut groups = [0u8; 7];
    let mut len = 0;
    let mut v = n;
    loop {
        groups[len] = (v & 31) as u8;
        len += 1;
        v >>= 5;
        if v == 0 {
            break;
        }
    }
    for i in (0..len).rev() {
        let g = groups[i] + if i > 0 { 32 } else { 0 };
        out.push(ALPHABET[g as usize] as char);
    }
}

/// Encodes one posting list of `(document number, weight)` pairs, with
/// document numbers increasing and weights below 64.
pub fn postings(list: &[(u32, u8)]) -> String {
    let mut out = String::with_capacity(list.len() * 2);
    let mut prev: i64 = -1;
    for &(doc, w) in list {
        debug_assert!(i64::from(doc) > prev && w < 64);
        push_varint(&mut out, (i64::from(doc) - prev) as u32);
        out.push(ALPHABET[w as usize] as char);
        prev = i64::from(doc);
    }
    out
}

/// Decodes what [`postings`] wrote (the browser's decoder does the same);
/// `None` on malformed input.
pub fn decode_postings(s: &str) -> Option<Vec<(u32, u8)>> {
    let digit = |b: u8| ALPHABET.iter().position(|&a| a == b).map(|p| p as u32);
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut doc: i64 = -1;
    let mut i = 0;
    while i < bytes.len() {
        let mut n: u32 = 0;
        loop {
            let d = digit(*bytes.get(i)?)?;
            i += 1;
            n = n.checked_mul(32)? | (d & 31);
            if d < 32 {
                break;
            }
        }
        let w = digit(*bytes.get(i)?)? as u8;
        i += 1;
        doc += i64::from(n);
        out.push((doc as u32, w));
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints_round_trip() {
        for n in [0u32, 1, 31, 32, 33, 1023, 1024, 99_999, u32::MAX] {
            let mut s = String::new();
            push_varint(&mut s, n);
            s.push('0');
            assert_eq!(decode_postings(&s).unwrap(), vec![(n.wrapping_sub(1), 0)], "{n}");
        }
    }

    #[test]
    fn small_gaps_take_two_characters() {
        let list = [(0, 3), (1, 2), (5, 63), (40, 1), (10_000, 2)];
        let s = postings(&list);
        assert!(s.starts_with("13") && s[2..].starts_with("12"), "{s}");
        assert_eq!(decode_postings(&s).unwrap(), list);
    }

    #[test]
    fn malformed_input_is_rejected() {
        assert_eq!(decode_postings("1"), None);
        assert_eq!(decode_postings("Z"), None);
        assert_eq!(decode_postings("!0"), None);
    }
}
