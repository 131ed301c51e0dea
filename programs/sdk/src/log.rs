//! Program logs (`Program log: ...`, `Program data: ...`) and return data.

/// Logs a message as `Program log: <msg>` (100 CU + length).
#[inline(always)]
pub fn log(msg: &str) {
    #[cfg(any(target_arch = "bpf", target_arch = "sbf", target_os = "solana"))]
    // SAFETY: pointer and length describe a valid UTF-8 slice.
    unsafe {
        crate::syscalls::sol_log_(msg.as_ptr(), msg.len() as u64)
    };
    #[cfg(not(any(target_arch = "bpf", target_arch = "sbf", target_os = "solana")))]
    host::push(std::format!("Program log: {msg}"));
}

/// Logs five numbers as hex (`Program log: 0x1, 0x2, ...`), the cheapest way to trace values.
#[inline(always)]
pub fn log_u64(a: u64, b: u64, c: u64, d: u64, e: u64) {
    #[cfg(any(target_arch = "bpf", target_arch = "sbf", target_os = "solana"))]
    // SAFETY: plain values.
    unsafe {
        crate::syscalls::sol_log_64_(a, b, c, d, e)
    };
    #[cfg(not(any(target_arch = "bpf", target_arch = "sbf", target_os = "solana")))]
    host::push(std::format!("Program log: {a:#x}, {b:#x}, {c:#x}, {d:#x}, {e:#x}"));
}

/// Logs binary fields as `Program data: <base64> <base64> ...` (Anchor events use one field).
#[inline(always)]
pub fn log_data(fields: &[&[u8]]) {
    #[cfg(any(target_arch = "bpf", target_arch = "sbf", target_os = "solana"))]
    // SAFETY: `&[u8]` has the `{ addr, len }` layout the syscall reads.
    unsafe {
        crate::syscalls::sol_log_data(fields.as_ptr() as *const u8, fields.len() as u64)
    };
    #[cfg(not(any(target_arch = "bpf", target_arch = "sbf", target_os = "solana")))]
    host::push_data(fields);
}

/// Logs an address in base58.
#[inline(always)]
pub fn log_pubkey(key: &crate::Pubkey) {
    #[cfg(any(target_arch = "bpf", target_arch = "sbf", target_os = "solana"))]
    // SAFETY: `key` is 32 readable bytes.
    unsafe {
        crate::syscalls::sol_log_pubkey(key.as_ptr())
    };
    #[cfg(not(any(target_arch = "bpf", target_arch = "sbf", target_os = "solana")))]
    host::push(std::format!("Program log: {key:?}"));
}

/// Logs the compute units left (`Program consumption: N units remaining`).
#[inline(always)]
pub fn log_compute_units() {
    #[cfg(any(target_arch = "bpf", target_arch = "sbf", target_os = "solana"))]
    // SAFETY: no arguments.
    unsafe {
        crate::syscalls::sol_log_compute_units_()
    };
}

/// Sets the instruction's return data (at most 1,024 bytes), readable by the caller or a client.
#[inline(always)]
pub fn set_return_data(data: &[u8]) {
    #[cfg(any(target_arch = "bpf", target_arch = "sbf", target_os = "solana"))]
    // SAFETY: pointer and length describe a valid slice.
    unsafe {
        crate::syscalls::sol_set_return_data(data.as_ptr(), data.len() as u64)
    };
    #[cfg(not(any(target_arch = "bpf", target_arch = "sbf", target_os = "solana")))]
    host::push_data(&[b"return", data]);
}

/// Host builds keep logs per thread so unit tests can assert on them.
#[cfg(not(any(target_arch = "bpf", target_arch = "sbf", target_os = "solana")))]
pub mod host {
    use std::cell::RefCell;
    use std::string::String;
    use std::vec::Vec;

    std::thread_local! {
        static LOGS: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
    }

    pub(crate) fn push(line: String) {
        LOGS.with(|l| l.borrow_mut().push(line));
    }

    pub(crate) fn push_data(fields: &[&[u8]]) {
        let hex: Vec<String> = fields.iter().map(|f| f.iter().map(|b| std::format!("{b:02x}")).collect()).collect();
        push(std::format!("Program data (hex): {}", hex.join(" ")));
    }

    /// Takes the lines logged on this thread so far.
    pub fn take() -> Vec<String> {
        LOGS.with(|l| core::mem::take(&mut *l.borrow_mut()))
    }
}

/// Logs the concatenation of `parts` as one line (error paths; at most 256 bytes are kept, cut at a
/// character boundary).
#[cold]
pub fn log_parts(parts: &[&str]) {
    let mut buf = [0u8; 256];
    let mut len = 0usize;
    for part in parts {
        let mut take = part.len().min(buf.len().saturating_sub(len));
        // never cut inside a UTF-8 sequence: back up over continuation bytes (0b10xx_xxxx)
        while take < part.len() && take > 0 && part.as_bytes()[take] & 0xc0 == 0x80 {
            take = take.saturating_sub(1);
        }
        let end = len.saturating_add(take);
        buf[len..end].copy_from_slice(&part.as_bytes()[..take]);
        len = end;
    }
    // SAFETY: whole `&str`s, or prefixes of one ending at a character boundary, were copied.
    log(unsafe { core::str::from_utf8_unchecked(&buf[..len]) });
}

/// Decimal text of a u32 without `core::fmt` (which costs kilobytes of program size).
pub struct U32Text {
    buf: [u8; 10],
    start: usize,
}

impl U32Text {
    #[allow(clippy::arithmetic_side_effects)] // digit extraction cannot overflow
    pub fn new(mut n: u32) -> Self {
        let mut buf = [b'0'; 10];
        let mut start = 10;
        loop {
            start -= 1;
            buf[start] = b'0' + (n % 10) as u8;
            n /= 10;
            if n == 0 {
                break;
            }
        }
        U32Text { buf, start }
    }

    pub fn as_str(&self) -> &str {
        // SAFETY: only ASCII digits were written.
        unsafe { core::str::from_utf8_unchecked(&self.buf[self.start..]) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_u32_without_fmt() {
        assert_eq!(U32Text::new(0).as_str(), "0");
        assert_eq!(U32Text::new(6001).as_str(), "6001");
        assert_eq!(U32Text::new(u32::MAX).as_str(), "4294967295");
    }

    #[test]
    fn logs_parts_as_one_line() {
        host::take();
        log_parts(&["a", "bc", "d"]);
        assert_eq!(host::take(), ["Program log: abcd"]);
    }

    #[test]
    fn cuts_long_lines_at_a_character_boundary() {
        host::take();
        let long = "é".repeat(200); // 400 bytes of two-byte characters
        log_parts(&["x", &long]);
        let line = host::take().pop().unwrap();
        let text = line.strip_prefix("Program log: ").unwrap();
        assert_eq!(text.len(), 255, "1 + 127 two-byte characters");
        assert!(text.ends_with('é'));
    }
}
