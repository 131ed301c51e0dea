//! 32-byte addresses, compile-time base58 and cheap comparison.

/// An account address (ed25519 public key or program-derived address).
pub type Pubkey = [u8; 32];

/// Compares two addresses as four u64 words: cheaper on SBPF than a byte loop or a memcmp syscall.
#[inline(always)]
#[allow(clippy::arithmetic_side_effects)] // constant word offsets
pub fn pubkey_eq(a: &Pubkey, b: &Pubkey) -> bool {
    let word = |k: &Pubkey, i: usize| {
        let mut w = [0u8; 8];
        w.copy_from_slice(&k[i * 8..i * 8 + 8]);
        u64::from_ne_bytes(w)
    };
    word(a, 0) == word(b, 0) && word(a, 1) == word(b, 1) && word(a, 2) == word(b, 2) && word(a, 3) == word(b, 3)
}

/// Orders two 32-byte values as byte strings (lexicographically), four big-endian words at a time:
/// cheaper on SBPF than a byte loop. Unrolled and inlined, for hot paths (merkle proofs); elsewhere
/// [`key_cmp`] orders the same way in less code.
#[inline(always)]
#[allow(clippy::arithmetic_side_effects)] // constant word offsets
pub fn cmp32(a: &[u8; 32], b: &[u8; 32]) -> core::cmp::Ordering {
    let word = |k: &[u8; 32], i: usize| {
        let mut w = [0u8; 8];
        w.copy_from_slice(&k[i * 8..i * 8 + 8]);
        u64::from_be_bytes(w)
    };
    word(a, 0)
        .cmp(&word(b, 0))
        .then_with(|| word(a, 1).cmp(&word(b, 1)))
        .then_with(|| word(a, 2).cmp(&word(b, 2)))
        .then_with(|| word(a, 3).cmp(&word(b, 3)))
}

/// Orders two addresses as [`cmp32`] does, as a loop over the four words: the smaller code where
/// the comparison is not on a hot path (payee and member lists; 336 bytes off escrow, 688 off
/// provenance against `cmp32`).
pub fn key_cmp(a: &Pubkey, b: &Pubkey) -> core::cmp::Ordering {
    for (x, y) in a.chunks_exact(8).zip(b.chunks_exact(8)) {
        let (x, y) = (u64::from_be_bytes(x.try_into().expect("8 bytes")), u64::from_be_bytes(y.try_into().expect("8 bytes")));
        if x != y {
            return x.cmp(&y);
        }
    }
    core::cmp::Ordering::Equal
}

const ALPHABET: &[u8; 58] = b"123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

/// Decodes a base58 address at compile time; a malformed string fails the build.
#[allow(clippy::arithmetic_side_effects)] // bounded by the 32-byte accumulator, checked below
pub const fn decode_base58(s: &str) -> Pubkey {
    let bytes = s.as_bytes();
    let mut out = [0u8; 32];
    let mut i = 0;
    while i < bytes.len() {
        let mut digit = 0usize;
        while digit < 58 && ALPHABET[digit] != bytes[i] {
            digit += 1;
        }
        assert!(digit < 58, "invalid base58 character in address");
        // out = out * 58 + digit, big-endian
        let mut carry = digit as u32;
        let mut j = 32;
        while j > 0 {
            j -= 1;
            let v = out[j] as u32 * 58 + carry;
            out[j] = (v & 0xff) as u8;
            carry = v >> 8;
        }
        assert!(carry == 0, "base58 address longer than 32 bytes");
        i += 1;
    }
    // leading '1's are leading zero bytes: check the count matches
    let mut ones = 0;
    while ones < bytes.len() && bytes[ones] == b'1' {
        ones += 1;
    }
    let mut zeros = 0;
    while zeros < 32 && out[zeros] == 0 {
        zeros += 1;
    }
    assert!(ones <= zeros, "malformed base58 address");
    out
}

/// A base58 address literal checked at compile time: `pubkey!("11111111111111111111111111111111")`.
#[macro_export]
macro_rules! pubkey {
    ($s:literal) => {{
        const KEY: $crate::Pubkey = $crate::pubkey::decode_base58($s);
        KEY
    }};
}

/// Declares the program's own address as `ID` (plus `id()`), as Anchor's `declare_id!` does.
#[macro_export]
macro_rules! declare_id {
    ($s:literal) => {
        /// This program's address.
        pub const ID: $crate::Pubkey = $crate::pubkey::decode_base58($s);
        /// This program's address as a base58 string.
        pub const ID_BASE58: &str = $s;
        /// This program's address.
        #[inline(always)]
        pub const fn id() -> $crate::Pubkey {
            ID
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_known_addresses() {
        assert_eq!(decode_base58("11111111111111111111111111111111"), [0u8; 32]);
        let token = decode_base58("TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA");
        assert_eq!(&token[..4], &[6, 221, 246, 225]);
        assert_eq!(token[31], 169);
    }

    #[test]
    fn orders_like_byte_strings() {
        let mut seed = 7u64;
        for _ in 0..1_000 {
            let mut a = [0u8; 32];
            let mut b = [0u8; 32];
            for i in 0..32 {
                seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                a[i] = (seed >> 60) as u8; // few distinct values: many equal prefixes
                b[i] = (seed >> 56) as u8 & 3;
            }
            assert_eq!(cmp32(&a, &b), a.cmp(&b));
            assert_eq!(cmp32(&a, &a), core::cmp::Ordering::Equal);
            assert_eq!(key_cmp(&a, &b), a.cmp(&b));
            assert_eq!(key_cmp(&a, &a), core::cmp::Ordering::Equal);
        }
    }

    #[test]
    fn compares_by_words() {
        let a = [1u8; 32];
        let mut b = a;
        assert!(pubkey_eq(&a, &b));
        b[31] = 2;
        assert!(!pubkey_eq(&a, &b));
    }
}
