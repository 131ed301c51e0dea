//! SHA-256 and Keccak-256.
//!
//! On chain both go through the runtime's syscalls (cheap: 85 CU + 1 CU per 2 bytes). The pure-Rust
//! SHA-256 is `const` so discriminators are computed at compile time, and both pure versions serve
//! the host, where there is no runtime.

/// A 32-byte hash.
pub type Hash = [u8; 32];

const K: [u32; 64] = [
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
];

/// Pure SHA-256 over the concatenation of `parts`, usable in `const` context.
#[allow(clippy::arithmetic_side_effects)] // hashing arithmetic is modular by definition
pub const fn sha256_const(parts: &[&[u8]]) -> Hash {
    let mut h: [u32; 8] = [
        0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
    ];
    let mut total: u64 = 0;
    let mut p = 0;
    while p < parts.len() {
        total += parts[p].len() as u64;
        p += 1;
    }
    // message bytes, then 0x80, zero padding, and the 64-bit bit length
    let padded = (total + 9).div_ceil(64) * 64;
    let mut block = [0u8; 64];
    let mut pos: u64 = 0; // position in the padded message
    let (mut part, mut off) = (0usize, 0usize);
    while pos < padded {
        let i = (pos % 64) as usize;
        block[i] = if pos < total {
            while off >= parts[part].len() {
                part += 1;
                off = 0;
            }
            let b = parts[part][off];
            off += 1;
            b
        } else if pos == total {
            0x80
        } else if pos >= padded - 8 {
            ((total * 8) >> ((7 - (pos - (padded - 8))) * 8)) as u8
        } else {
            0
        };
        pos += 1;
        if i == 63 {
            h = compress(h, &block);
        }
    }
    let mut out = [0u8; 32];
    let mut i = 0;
    while i < 8 {
        let b = h[i].to_be_bytes();
        out[i * 4] = b[0];
        out[i * 4 + 1] = b[1];
        out[i * 4 + 2] = b[2];
        out[i * 4 + 3] = b[3];
        i += 1;
    }
    out
}

#[allow(clippy::arithmetic_side_effects)]
const fn compress(mut h: [u32; 8], block: &[u8; 64]) -> [u32; 8] {
    let mut w = [0u32; 64];
    let mut t = 0;
    while t < 16 {
        w[t] = u32::from_be_bytes([block[t * 4], block[t * 4 + 1], block[t * 4 + 2], block[t * 4 + 3]]);
        t += 1;
    }
    while t < 64 {
        let s0 = w[t - 15].rotate_right(7) ^ w[t - 15].rotate_right(18) ^ (w[t - 15] >> 3);
        let s1 = w[t - 2].rotate_right(17) ^ w[t - 2].rotate_right(19) ^ (w[t - 2] >> 10);
        w[t] = w[t - 16].wrapping_add(s0).wrapping_add(w[t - 7]).wrapping_add(s1);
        t += 1;
    }
    let [mut a, mut b, mut c, mut d, mut e, mut f, mut g, mut hh] = h;
    t = 0;
    while t < 64 {
        let s1 = e.rotate_right(6) ^ e.rotate_right(11) ^ e.rotate_right(25);
        let ch = (e & f) ^ (!e & g);
        let t1 = hh.wrapping_add(s1).wrapping_add(ch).wrapping_add(K[t]).wrapping_add(w[t]);
        let s0 = a.rotate_right(2) ^ a.rotate_right(13) ^ a.rotate_right(22);
        let maj = (a & b) ^ (a & c) ^ (b & c);
        let t2 = s0.wrapping_add(maj);
        hh = g;
        g = f;
        f = e;
        e = d.wrapping_add(t1);
        d = c;
        c = b;
        b = a;
        a = t1.wrapping_add(t2);
        t += 1;
    }
    h[0] = h[0].wrapping_add(a);
    h[1] = h[1].wrapping_add(b);
    h[2] = h[2].wrapping_add(c);
    h[3] = h[3].wrapping_add(d);
    h[4] = h[4].wrapping_add(e);
    h[5] = h[5].wrapping_add(f);
    h[6] = h[6].wrapping_add(g);
    h[7] = h[7].wrapping_add(hh);
    h
}

/// SHA-256 over the concatenation of `parts` (the `sol_sha256` syscall on chain).
#[inline(never)]
pub fn sha256(parts: &[&[u8]]) -> Hash {
    #[cfg(any(target_arch = "bpf", target_arch = "sbf", target_os = "solana"))]
    {
        let mut out = [0u8; 32];
        // SAFETY: `&[u8]` has the `{ addr, len }` layout the syscall reads; `out` is 32 writable bytes.
        unsafe {
            crate::syscalls::sol_sha256(parts.as_ptr() as *const u8, parts.len() as u64, out.as_mut_ptr());
        }
        out
    }
    #[cfg(not(any(target_arch = "bpf", target_arch = "sbf", target_os = "solana")))]
    {
        sha256_const(parts)
    }
}

/// Keccak-256 (Ethereum flavour, padding 0x01) over the concatenation of `parts`.
#[inline]
pub fn keccak256(parts: &[&[u8]]) -> Hash {
    #[cfg(any(target_arch = "bpf", target_arch = "sbf", target_os = "solana"))]
    {
        let mut out = [0u8; 32];
        // SAFETY: as for `sha256`.
        unsafe {
            crate::syscalls::sol_keccak256(parts.as_ptr() as *const u8, parts.len() as u64, out.as_mut_ptr());
        }
        out
    }
    #[cfg(not(any(target_arch = "bpf", target_arch = "sbf", target_os = "solana")))]
    {
        keccak::keccak256(parts)
    }
}

#[cfg(not(any(target_arch = "bpf", target_arch = "sbf", target_os = "solana")))]
#[allow(clippy::arithmetic_side_effects)]
mod keccak {
    const RC: [u64; 24] = [
        0x0000000000000001, 0x0000000000008082, 0x800000000000808a, 0x8000000080008000,
        0x000000000000808b, 0x0000000080000001, 0x8000000080008081, 0x8000000000008009,
        0x000000000000008a, 0x0000000000000088, 0x0000000080008009, 0x000000008000000a,
        0x000000008000808b, 0x800000000000008b, 0x8000000000008089, 0x8000000000008003,
        0x8000000000008002, 0x8000000000000080, 0x000000000000800a, 0x800000008000000a,
        0x8000000080008081, 0x8000000000008080, 0x0000000080000001, 0x8000000080008008,
    ];
    const ROT: [u32; 25] = [0, 1, 62, 28, 27, 36, 44, 6, 55, 20, 3, 10, 43, 25, 39, 41, 45, 15, 21, 8, 18, 2, 61, 56, 14];

    fn keccak_f(a: &mut [u64; 25]) {
        for rc in RC {
            let mut c = [0u64; 5];
            for x in 0..5 {
                c[x] = a[x] ^ a[x + 5] ^ a[x + 10] ^ a[x + 15] ^ a[x + 20];
            }
            for x in 0..5 {
                let d = c[(x + 4) % 5] ^ c[(x + 1) % 5].rotate_left(1);
                for y in 0..5 {
                    a[x + 5 * y] ^= d;
                }
            }
            let mut b = [0u64; 25];
            for x in 0..5 {
                for y in 0..5 {
                    b[y + 5 * ((2 * x + 3 * y) % 5)] = a[x + 5 * y].rotate_left(ROT[x + 5 * y]);
                }
            }
            for x in 0..5 {
                for y in 0..5 {
                    a[x + 5 * y] = b[x + 5 * y] ^ (!b[(x + 1) % 5 + 5 * y] & b[(x + 2) % 5 + 5 * y]);
                }
            }
            a[0] ^= rc;
        }
    }

    pub fn keccak256(parts: &[&[u8]]) -> [u8; 32] {
        const RATE: usize = 136;
        let mut state = [0u64; 25];
        let mut block = [0u8; RATE];
        let mut fill = 0;
        let absorb = |block: &[u8; RATE], state: &mut [u64; 25]| {
            for i in 0..RATE / 8 {
                let mut w = [0u8; 8];
                w.copy_from_slice(&block[i * 8..i * 8 + 8]);
                state[i] ^= u64::from_le_bytes(w);
            }
            keccak_f(state);
        };
        for part in parts {
            for &byte in *part {
                block[fill] = byte;
                fill += 1;
                if fill == RATE {
                    absorb(&block, &mut state);
                    fill = 0;
                }
            }
        }
        block[fill..].fill(0);
        block[fill] ^= 0x01;
        block[RATE - 1] ^= 0x80;
        absorb(&block, &mut state);
        let mut out = [0u8; 32];
        for i in 0..4 {
            out[i * 8..i * 8 + 8].copy_from_slice(&state[i].to_le_bytes());
        }
        out
    }
}

/// Anchor's 8-byte discriminator: the first 8 bytes of sha256(`preimage`), for example
/// `"global:open_escrow"`, `"account:Escrow"` or `"event:EscrowOpened"`.
pub const fn discriminator(preimage: &str) -> [u8; 8] {
    let h = sha256_const(&[preimage.as_bytes()]);
    [h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7]]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(b: &[u8]) -> std::string::String {
        b.iter().map(|x| std::format!("{x:02x}")).collect()
    }

    #[test]
    fn sha256_matches_known_vectors() {
        assert_eq!(hex(&sha256(&[b""])), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        assert_eq!(hex(&sha256(&[b"abc"])), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        let long = b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
        assert_eq!(hex(&sha256(&[long])), "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
        // parts are concatenated, whatever the split
        assert_eq!(sha256(&[&long[..5], &long[5..], b""]), sha256(&[long]));
        let million = [b'a'; 1000];
        let parts: std::vec::Vec<&[u8]> = (0..1000).map(|_| &million[..]).collect();
        assert_eq!(hex(&sha256(&parts)), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    }

    #[test]
    fn keccak256_matches_known_vectors() {
        assert_eq!(hex(&keccak256(&[b""])), "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470");
        assert_eq!(hex(&keccak256(&[b"abc"])), "4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45");
        let block = [7u8; 300]; // crosses the 136-byte rate twice
        assert_eq!(keccak256(&[&block[..100], &block[100..]]), keccak256(&[&block]));
    }

    #[test]
    fn discriminators_match_anchor() {
        // sha256("global:initialize")[..8], as in every Anchor IDL
        assert_eq!(discriminator("global:initialize"), [175, 175, 109, 31, 13, 152, 155, 237]);
        const AT_COMPILE_TIME: [u8; 8] = discriminator("global:initialize");
        assert_eq!(AT_COMPILE_TIME, [175, 175, 109, 31, 13, 152, 155, 237]);
    }
}
