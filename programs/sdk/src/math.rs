//! Integer arithmetic shaped for SBPF v0, which divides 64-bit integers in one instruction but has
//! no multiply-high: any 128-bit product or quotient compiles to a long inlined sequence at every
//! use. (A checked 64-bit multiply is fine: the toolchain tests it with one division.)

/// `amount * numerator / denominator` rounded down, for `numerator <= denominator` (a share of
/// an amount: fees, payouts by basis points). Split at the denominator, so that no product exceeds
/// 64 bits: with amount = q * d + r, amount * n / d = q * n + r * n / d, where q * n <= amount and
/// r * n < d * d. `None` when `numerator > denominator`, `denominator == 0` or `d * d` overflows.
#[inline]
pub fn share(amount: u64, numerator: u64, denominator: u64) -> Option<u64> {
    if numerator > denominator {
        return None;
    }
    let (q, r) = (amount.checked_div(denominator)?, amount.checked_rem(denominator)?);
    let part = r.checked_mul(numerator)?.checked_div(denominator)?;
    // q * numerator <= q * denominator <= amount, and the sum is at most amount
    Some(q.wrapping_mul(numerator).wrapping_add(part))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn share_is_the_exact_floor_of_the_128_bit_product() {
        let amounts = [0, 1, 9_999, 10_000, 10_001, 123_456_789, u64::MAX / 7, u64::MAX - 1, u64::MAX];
        for amount in amounts {
            for bps in [0, 1, 250, 3_333, 9_999, 10_000] {
                let exact = (amount as u128 * bps as u128 / 10_000) as u64;
                assert_eq!(share(amount, bps, 10_000), Some(exact), "{amount} * {bps} / 10,000");
            }
        }
        assert_eq!(share(100, 10_001, 10_000), None);
        assert_eq!(share(100, 0, 0), None);
    }
}
