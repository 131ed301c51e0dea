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

/// One `Program log:` line put together from parts without `core::fmt` (which costs kilobytes of
/// program size), for error paths. Up to 256 bytes: a part that does not fit whole is left out, so
/// the line is always valid UTF-8.
pub struct LogLine {
    /// Bytes `..len` are written; the rest is never read (so never zeroed either).
    buf: core::mem::MaybeUninit<[u8; 256]>,
    len: usize,
}

impl Default for LogLine {
    fn default() -> Self {
        LogLine { buf: core::mem::MaybeUninit::uninit(), len: 0 }
    }
}

impl LogLine {
    /// Appends `part` if it fits whole.
    #[inline(never)]
    pub fn push(&mut self, part: &str) -> &mut Self {
        let end = self.len.saturating_add(part.len());
        if end <= 256 {
            // SAFETY: `len..end` lies inside the buffer (checked above).
            unsafe { core::ptr::copy_nonoverlapping(part.as_ptr(), (self.buf.as_mut_ptr() as *mut u8).add(self.len), part.len()) };
            self.len = end;
        }
        self
    }

    /// Appends `n` in decimal.
    #[allow(clippy::arithmetic_side_effects)] // digit extraction cannot overflow
    pub fn push_u32(&mut self, mut n: u32) -> &mut Self {
        let mut digits = [b'0'; 10];
        let mut start = digits.len();
        // right to left; u32::MAX has ten digits, so the loop ends on `n == 0` (no index to check)
        for (i, digit) in digits.iter_mut().enumerate().rev() {
            *digit = b'0' + (n % 10) as u8;
            n /= 10;
            start = i;
            if n == 0 {
                break;
            }
        }
        // SAFETY: only ASCII digits were written.
        self.push(unsafe { core::str::from_utf8_unchecked(digits.get(start..).unwrap_or_default()) })
    }

    pub fn as_str(&self) -> &str {
        // SAFETY: bytes `..len` were written, from whole `&str`s (`push`), and `len <= 256`.
        unsafe { core::str::from_utf8_unchecked(core::slice::from_raw_parts(self.buf.as_ptr() as *const u8, self.len)) }
    }

    /// Logs the line.
    pub fn log(&self) {
        log(self.as_str());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn puts_a_line_together_from_parts_and_numbers() {
        host::take();
        let mut line = LogLine::default();
        line.push("a").push("bc").push_u32(0).push(" ").push_u32(6001).push(" ").push_u32(u32::MAX);
        assert_eq!(line.as_str(), "abc0 6001 4294967295");
        line.log();
        assert_eq!(host::take(), ["Program log: abc0 6001 4294967295"]);
    }

    #[test]
    fn leaves_out_a_part_that_does_not_fit_whole() {
        let long = "é".repeat(127); // 254 bytes of two-byte characters
        let mut line = LogLine::default();
        line.push("x").push(&long).push("yz").push("w");
        assert_eq!(line.as_str().len(), 1 + 254 + 1, "\"yz\" did not fit, \"w\" did");
        assert!(line.as_str().ends_with("éw"));
    }

}
