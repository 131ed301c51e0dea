//! A tiny zero-dependency SBPF program for the toolchain tests. It is called without accounts, so its input
//! is [u64 accounts = 0][u64 data length][data][program id]; data[0] selects an operation.
#![no_std]
#![no_main]

extern "C" {
    fn sol_log_(message: *const u8, len: u64);
    fn sol_set_return_data(data: *const u8, len: u64);
    fn abort() -> !;
}

#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    // SAFETY: abort ends the program; it never returns.
    unsafe { abort() }
}

const GREETING: &str = "hello from sbpf-ld";

/// # Safety
/// `input` is the loader's serialized input for an instruction without accounts.
#[no_mangle]
pub unsafe extern "C" fn entrypoint(input: *mut u8) -> u64 {
    // SAFETY: the loader serializes the data length at offset 8 and the data right after it.
    let data = unsafe {
        let len = core::ptr::read_unaligned(input.add(8) as *const u64) as usize;
        core::slice::from_raw_parts(input.add(16), len)
    };
    let mut output = Output { bytes: [0; 512], len: 0 };
    match data.first() {
        Some(0) => log(GREETING),
        Some(1) if data.len() >= 33 => arithmetic(&data[1..33], &mut output),
        Some(2) if data.len() >= 10 => call_through_table(data[1], read_u64(data, 2), &mut output),
        Some(3) => return 0x1234,
        Some(4) if data.len() <= 201 => copy_and_fill(&data[1..], &mut output),
        _ => return 1,
    }
    output.publish();
    0
}

fn log(message: &str) {
    // SAFETY: sol_log_ reads `len` bytes at `message`.
    unsafe { sol_log_(message.as_ptr(), message.len() as u64) }
}

/// 128-bit and overflow-checked arithmetic, which the linker rewrites into inline helpers.
fn arithmetic(data: &[u8], output: &mut Output) {
    let a = read_u128(data, 0);
    let b = read_u128(data, 16);
    let (sa, sb) = (a as i128, b as i128);
    let divisor = b | 1;
    let signed_divisor = sb | 1;
    let shift = (b & 127) as u32;
    output.push_u128(a.wrapping_mul(b));
    output.push_checked_u128(a.checked_mul(b));
    output.push_u128(a / divisor);
    output.push_u128(a % divisor);
    output.push_u128(sa.wrapping_div(signed_divisor) as u128);
    output.push_u128(sa.wrapping_rem(signed_divisor) as u128);
    output.push_u128(a << shift);
    output.push_u128((sa >> shift) as u128);
    output.push_u128(a.rotate_left(b as u32));
    output.push_checked_u128(sa.checked_mul(sb).map(|v| v as u128));
    let (x, y) = (a as u64, b as u64);
    output.push_checked_u64(x.checked_mul(y));
    output.push_checked_u64((x as i64).checked_mul(y as i64).map(|v| v as u64));
    output.push_u64((x as i64).wrapping_div(y as i64 | 1) as u64);
    output.push_u64((x as i64).wrapping_rem(y as i64 | 1) as u64);
}

fn triple(x: u64) -> u64 {
    x.wrapping_mul(3)
}
fn square(x: u64) -> u64 {
    x.wrapping_mul(x)
}
fn invert(x: u64) -> u64 {
    !x
}
/// Function pointers in read-only data: relocated words and an indirect call (callx).
static OPERATIONS: [fn(u64) -> u64; 3] = [triple, square, invert];

fn call_through_table(selector: u8, value: u64, output: &mut Output) {
    let operation = core::hint::black_box(&OPERATIONS)[(selector % 3) as usize];
    output.push_u64(operation(value));
}

/// A variable-length copy (sol_memmove_) and a 100-byte fill (sol_memset_).
fn copy_and_fill(payload: &[u8], output: &mut Output) {
    let mut buffer = [0u8; 300];
    let n = payload.len();
    buffer[..n].copy_from_slice(payload);
    core::hint::black_box(&mut buffer)[n..n + 100].fill(0xab);
    output.push(&buffer[..n + 100]);
}

fn read_u64(data: &[u8], at: usize) -> u64 {
    let mut bytes = [0u8; 8];
    bytes.copy_from_slice(&data[at..at + 8]);
    u64::from_le_bytes(bytes)
}

fn read_u128(data: &[u8], at: usize) -> u128 {
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&data[at..at + 16]);
    u128::from_le_bytes(bytes)
}

struct Output {
    bytes: [u8; 512],
    len: usize,
}

impl Output {
    fn push(&mut self, value: &[u8]) {
        self.bytes[self.len..self.len + value.len()].copy_from_slice(value);
        self.len += value.len();
    }
    fn push_u64(&mut self, value: u64) {
        self.push(&value.to_le_bytes());
    }
    fn push_u128(&mut self, value: u128) {
        self.push(&value.to_le_bytes());
    }
    fn push_checked_u64(&mut self, value: Option<u64>) {
        self.push(&[value.is_some() as u8]);
        self.push_u64(value.unwrap_or(0));
    }
    fn push_checked_u128(&mut self, value: Option<u128>) {
        self.push(&[value.is_some() as u8]);
        self.push_u128(value.unwrap_or(0));
    }
    fn publish(&self) {
        // SAFETY: sol_set_return_data reads `len` bytes at `bytes`.
        unsafe { sol_set_return_data(self.bytes.as_ptr(), self.len as u64) }
    }
}
