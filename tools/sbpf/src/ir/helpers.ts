/**
 * IR definitions of the routines upstream LLVM would otherwise call as compiler runtime functions, which the
 * BPF backend refuses ("A call to built-in function '__multi3' is not supported"). Each uses only operations
 * BPF lowers inline (64-bit multiply and divide, constant 128-bit shifts, selects) and is marked alwaysinline,
 * so no call survives. `ATTRIBUTES` is replaced by the attribute group the rewriter allocates.
 */

export type HelperName =
  | "umul64wide"
  | "umulo64"
  | "smulo64"
  | "umulo128"
  | "smulo128"
  | "mul128"
  | "udivrem128"
  | "shl128"
  | "lshr128"
  | "ashr128"
  | "fshl128"
  | "fshr128";

export interface HelperDefinition {
  readonly symbol: string;
  readonly requires: readonly HelperName[];
  readonly text: string;
}

export const ATTRIBUTES = "#SBPF_HELPER_ATTRIBUTES";

const I128_MIN = "-170141183460469231731687303715884105728";
const I128_MAX = "170141183460469231731687303715884105727";

export const HELPERS: Readonly<Record<HelperName, HelperDefinition>> = {
  // 64 x 64 -> 128 bit product from 32-bit limbs: { low, high }.
  umul64wide: {
    symbol: "__sbpf_umul64wide",
    requires: [],
    text: `define internal { i64, i64 } @__sbpf_umul64wide(i64 %a, i64 %b) ${ATTRIBUTES} {
  %al = and i64 %a, 4294967295
  %ah = lshr i64 %a, 32
  %bl = and i64 %b, 4294967295
  %bh = lshr i64 %b, 32
  %p0 = mul i64 %al, %bl
  %p1 = mul i64 %al, %bh
  %p2 = mul i64 %ah, %bl
  %p3 = mul i64 %ah, %bh
  %p0h = lshr i64 %p0, 32
  %m = add i64 %p1, %p0h
  %ml = and i64 %m, 4294967295
  %mh = lshr i64 %m, 32
  %m2 = add i64 %p2, %ml
  %m2h = lshr i64 %m2, 32
  %h0 = add i64 %p3, %mh
  %hi = add i64 %h0, %m2h
  %lo = mul i64 %a, %b
  %r0 = insertvalue { i64, i64 } poison, i64 %lo, 0
  %r1 = insertvalue { i64, i64 } %r0, i64 %hi, 1
  ret { i64, i64 } %r1
}`,
  },
  // Overflow of a 64-bit product by one division (native on SBPF) instead of the 128-bit product:
  // for a != 0, a * b overflows exactly when b > floor((2^64 - 1) / a).
  umulo64: {
    symbol: "__sbpf_umulo64",
    requires: [],
    text: `define internal { i64, i1 } @__sbpf_umulo64(i64 %a, i64 %b) ${ATTRIBUTES} {
  %lo = mul i64 %a, %b
  %az = icmp eq i64 %a, 0
  %d = select i1 %az, i64 1, i64 %a
  %limit = udiv i64 -1, %d
  %big = icmp ugt i64 %b, %limit
  %o = select i1 %az, i1 false, i1 %big
  %r0 = insertvalue { i64, i1 } poison, i64 %lo, 0
  %r1 = insertvalue { i64, i1 } %r0, i1 %o, 1
  ret { i64, i1 } %r1
}`,
  },
  // Signed high half = unsigned high half - (a < 0 ? b : 0) - (b < 0 ? a : 0); overflow unless it is the
  // sign extension of the low half.
  smulo64: {
    symbol: "__sbpf_smulo64",
    requires: ["umul64wide"],
    text: `define internal { i64, i1 } @__sbpf_smulo64(i64 %a, i64 %b) ${ATTRIBUTES} {
  %w = call { i64, i64 } @__sbpf_umul64wide(i64 %a, i64 %b)
  %lo = extractvalue { i64, i64 } %w, 0
  %hu = extractvalue { i64, i64 } %w, 1
  %an = icmp slt i64 %a, 0
  %bn = icmp slt i64 %b, 0
  %ca = select i1 %an, i64 %b, i64 0
  %cb = select i1 %bn, i64 %a, i64 0
  %h1 = sub i64 %hu, %ca
  %hs = sub i64 %h1, %cb
  %sg = ashr i64 %lo, 63
  %o = icmp ne i64 %hs, %sg
  %r0 = insertvalue { i64, i1 } poison, i64 %lo, 0
  %r1 = insertvalue { i64, i1 } %r0, i1 %o, 1
  ret { i64, i1 } %r1
}`,
  },
  // Wrapped 128-bit product plus overflow: both high halves set, a cross product above 64 bits, or a carry.
  umulo128: {
    symbol: "__sbpf_umulo128",
    requires: ["umul64wide"],
    text: `define internal { i128, i1 } @__sbpf_umulo128(i128 %a, i128 %b) ${ATTRIBUTES} {
  %al = trunc i128 %a to i64
  %ash = lshr i128 %a, 64
  %ah = trunc i128 %ash to i64
  %bl = trunc i128 %b to i64
  %bsh = lshr i128 %b, 64
  %bh = trunc i128 %bsh to i64
  %anz = icmp ne i64 %ah, 0
  %bnz = icmp ne i64 %bh, 0
  %both = and i1 %anz, %bnz
  %c1 = call { i64, i64 } @__sbpf_umul64wide(i64 %ah, i64 %bl)
  %c1l = extractvalue { i64, i64 } %c1, 0
  %c1h = extractvalue { i64, i64 } %c1, 1
  %c2 = call { i64, i64 } @__sbpf_umul64wide(i64 %al, i64 %bh)
  %c2l = extractvalue { i64, i64 } %c2, 0
  %c2h = extractvalue { i64, i64 } %c2, 1
  %o1 = icmp ne i64 %c1h, 0
  %o2 = icmp ne i64 %c2h, 0
  %mid = add i64 %c1l, %c2l
  %o3 = icmp ult i64 %mid, %c1l
  %p = call { i64, i64 } @__sbpf_umul64wide(i64 %al, i64 %bl)
  %pl = extractvalue { i64, i64 } %p, 0
  %ph = extractvalue { i64, i64 } %p, 1
  %hi = add i64 %ph, %mid
  %o4 = icmp ult i64 %hi, %ph
  %x1 = or i1 %both, %o1
  %x2 = or i1 %x1, %o2
  %x3 = or i1 %x2, %o3
  %ovf = or i1 %x3, %o4
  %zl = zext i64 %pl to i128
  %zh = zext i64 %hi to i128
  %sh = shl i128 %zh, 64
  %r = or i128 %sh, %zl
  %r0 = insertvalue { i128, i1 } poison, i128 %r, 0
  %r1 = insertvalue { i128, i1 } %r0, i1 %ovf, 1
  ret { i128, i1 } %r1
}`,
  },
  // Signed: multiply magnitudes; the result fits if the magnitude is at most 2^127 (negative) or 2^127 - 1.
  smulo128: {
    symbol: "__sbpf_smulo128",
    requires: ["umulo128"],
    text: `define internal { i128, i1 } @__sbpf_smulo128(i128 %a, i128 %b) ${ATTRIBUTES} {
  %an = icmp slt i128 %a, 0
  %bn = icmp slt i128 %b, 0
  %na = sub i128 0, %a
  %nb = sub i128 0, %b
  %ua = select i1 %an, i128 %na, i128 %a
  %ub = select i1 %bn, i128 %nb, i128 %b
  %m = call { i128, i1 } @__sbpf_umulo128(i128 %ua, i128 %ub)
  %p = extractvalue { i128, i1 } %m, 0
  %o = extractvalue { i128, i1 } %m, 1
  %neg = xor i1 %an, %bn
  %np = sub i128 0, %p
  %r = select i1 %neg, i128 %np, i128 %p
  %limit = select i1 %neg, i128 ${I128_MIN}, i128 ${I128_MAX}
  %big = icmp ugt i128 %p, %limit
  %ovf = or i1 %o, %big
  %r0 = insertvalue { i128, i1 } poison, i128 %r, 0
  %r1 = insertvalue { i128, i1 } %r0, i1 %ovf, 1
  ret { i128, i1 } %r1
}`,
  },
  mul128: {
    symbol: "__sbpf_mul128",
    requires: ["umul64wide"],
    text: `define internal i128 @__sbpf_mul128(i128 %a, i128 %b) ${ATTRIBUTES} {
  %al = trunc i128 %a to i64
  %ash = lshr i128 %a, 64
  %ah = trunc i128 %ash to i64
  %bl = trunc i128 %b to i64
  %bsh = lshr i128 %b, 64
  %bh = trunc i128 %bsh to i64
  %w = call { i64, i64 } @__sbpf_umul64wide(i64 %al, i64 %bl)
  %lo = extractvalue { i64, i64 } %w, 0
  %hi = extractvalue { i64, i64 } %w, 1
  %x1 = mul i64 %al, %bh
  %x2 = mul i64 %ah, %bl
  %h1 = add i64 %hi, %x1
  %h2 = add i64 %h1, %x2
  %zl = zext i64 %lo to i128
  %zh = zext i64 %h2 to i128
  %sh = shl i128 %zh, 64
  %r = or i128 %sh, %zl
  ret i128 %r
}`,
  },
  // Restoring binary division with constant shifts only (variable 128-bit shifts would be libcalls): the
  // dividend is shifted out of q into r while quotient bits are shifted in. 64-bit operands take the native
  // path; a zero high half of the dividend halves the loop.
  udivrem128: {
    symbol: "__sbpf_udivrem128",
    requires: [],
    text: `define internal { i128, i128 } @__sbpf_udivrem128(i128 %n, i128 %d) ${ATTRIBUTES} {
entry:
  %nh = lshr i128 %n, 64
  %dh = lshr i128 %d, 64
  %highs = or i128 %nh, %dh
  %small = icmp eq i128 %highs, 0
  br i1 %small, label %fast, label %slow
fast:
  %n64 = trunc i128 %n to i64
  %d64 = trunc i128 %d to i64
  %q64 = udiv i64 %n64, %d64
  %r64 = urem i64 %n64, %d64
  %qz = zext i64 %q64 to i128
  %rz = zext i64 %r64 to i128
  br label %done
slow:
  %nhz = icmp eq i128 %nh, 0
  %npre = shl i128 %n, 64
  %n0 = select i1 %nhz, i128 %npre, i128 %n
  %c0 = select i1 %nhz, i32 64, i32 128
  br label %loop
loop:
  %c = phi i32 [ %c0, %slow ], [ %c1, %loop ]
  %q = phi i128 [ %n0, %slow ], [ %q2, %loop ]
  %r = phi i128 [ 0, %slow ], [ %r2, %loop ]
  %top = lshr i128 %q, 127
  %rs = shl i128 %r, 1
  %r1 = or i128 %rs, %top
  %qs = shl i128 %q, 1
  %ge = icmp uge i128 %r1, %d
  %rsub = sub i128 %r1, %d
  %r2 = select i1 %ge, i128 %rsub, i128 %r1
  %qb = or i128 %qs, 1
  %q2 = select i1 %ge, i128 %qb, i128 %qs
  %c1 = sub i32 %c, 1
  %end = icmp eq i32 %c1, 0
  br i1 %end, label %done, label %loop
done:
  %qf = phi i128 [ %qz, %fast ], [ %q2, %loop ]
  %rf = phi i128 [ %rz, %fast ], [ %r2, %loop ]
  %a0 = insertvalue { i128, i128 } poison, i128 %qf, 0
  %a1 = insertvalue { i128, i128 } %a0, i128 %rf, 1
  ret { i128, i128 } %a1
}`,
  },
  // Variable 128-bit shifts from 64-bit shifts and selects; `x >> 1 >> (63 - s)` avoids a 64-bit shift by 64.
  shl128: {
    symbol: "__sbpf_shl128",
    requires: [],
    text: `define internal i128 @__sbpf_shl128(i128 %a, i128 %b) ${ATTRIBUTES} {
  %lo = trunc i128 %a to i64
  %ah = lshr i128 %a, 64
  %hi = trunc i128 %ah to i64
  %bt = trunc i128 %b to i64
  %s = and i64 %bt, 127
  %ge = icmp uge i64 %s, 64
  %sm = and i64 %s, 63
  %inv = sub i64 63, %sm
  %losh = shl i64 %lo, %sm
  %hish = shl i64 %hi, %sm
  %lo1 = lshr i64 %lo, 1
  %carry = lshr i64 %lo1, %inv
  %hsmall = or i64 %hish, %carry
  %nhi = select i1 %ge, i64 %losh, i64 %hsmall
  %nlo = select i1 %ge, i64 0, i64 %losh
  %zl = zext i64 %nlo to i128
  %zh = zext i64 %nhi to i128
  %sh = shl i128 %zh, 64
  %r = or i128 %sh, %zl
  ret i128 %r
}`,
  },
  lshr128: {
    symbol: "__sbpf_lshr128",
    requires: [],
    text: `define internal i128 @__sbpf_lshr128(i128 %a, i128 %b) ${ATTRIBUTES} {
  %lo = trunc i128 %a to i64
  %ah = lshr i128 %a, 64
  %hi = trunc i128 %ah to i64
  %bt = trunc i128 %b to i64
  %s = and i64 %bt, 127
  %ge = icmp uge i64 %s, 64
  %sm = and i64 %s, 63
  %inv = sub i64 63, %sm
  %losh = lshr i64 %lo, %sm
  %hish = lshr i64 %hi, %sm
  %hi1 = shl i64 %hi, 1
  %carry = shl i64 %hi1, %inv
  %lsmall = or i64 %losh, %carry
  %nlo = select i1 %ge, i64 %hish, i64 %lsmall
  %nhi = select i1 %ge, i64 0, i64 %hish
  %zl = zext i64 %nlo to i128
  %zh = zext i64 %nhi to i128
  %sh = shl i128 %zh, 64
  %r = or i128 %sh, %zl
  ret i128 %r
}`,
  },
  ashr128: {
    symbol: "__sbpf_ashr128",
    requires: [],
    text: `define internal i128 @__sbpf_ashr128(i128 %a, i128 %b) ${ATTRIBUTES} {
  %lo = trunc i128 %a to i64
  %ah = lshr i128 %a, 64
  %hi = trunc i128 %ah to i64
  %bt = trunc i128 %b to i64
  %s = and i64 %bt, 127
  %ge = icmp uge i64 %s, 64
  %sm = and i64 %s, 63
  %inv = sub i64 63, %sm
  %losh = lshr i64 %lo, %sm
  %hiash = ashr i64 %hi, %sm
  %hi1 = shl i64 %hi, 1
  %carry = shl i64 %hi1, %inv
  %lsmall = or i64 %losh, %carry
  %sign = ashr i64 %hi, 63
  %nlo = select i1 %ge, i64 %hiash, i64 %lsmall
  %nhi = select i1 %ge, i64 %sign, i64 %hiash
  %zl = zext i64 %nlo to i128
  %zh = zext i64 %nhi to i128
  %sh = shl i128 %zh, 64
  %r = or i128 %sh, %zl
  ret i128 %r
}`,
  },
  // Funnel shifts (rotates are fshl/fshr with a == b); a zero amount returns the unshifted operand.
  fshl128: {
    symbol: "__sbpf_fshl128",
    requires: ["shl128", "lshr128"],
    text: `define internal i128 @__sbpf_fshl128(i128 %a, i128 %b, i128 %c) ${ATTRIBUTES} {
  %s = and i128 %c, 127
  %zero = icmp eq i128 %s, 0
  %inv = sub i128 128, %s
  %hi = call i128 @__sbpf_shl128(i128 %a, i128 %s)
  %lo = call i128 @__sbpf_lshr128(i128 %b, i128 %inv)
  %r = or i128 %hi, %lo
  %res = select i1 %zero, i128 %a, i128 %r
  ret i128 %res
}`,
  },
  fshr128: {
    symbol: "__sbpf_fshr128",
    requires: ["shl128", "lshr128"],
    text: `define internal i128 @__sbpf_fshr128(i128 %a, i128 %b, i128 %c) ${ATTRIBUTES} {
  %s = and i128 %c, 127
  %zero = icmp eq i128 %s, 0
  %inv = sub i128 128, %s
  %hi = call i128 @__sbpf_shl128(i128 %a, i128 %inv)
  %lo = call i128 @__sbpf_lshr128(i128 %b, i128 %s)
  %r = or i128 %hi, %lo
  %res = select i1 %zero, i128 %b, i128 %r
  ret i128 %res
}`,
  },
};

/** Signed division or remainder of width `bits` via unsigned division of magnitudes (BPF < v4 has no sdiv). */
export function signedDivisionHelper(bits: number, remainder: boolean): HelperDefinition {
  const type = `i${bits}`;
  const symbol = `__sbpf_s${remainder ? "rem" : "div"}${bits}`;
  const unsigned =
    bits === 128
      ? `%qr = call { i128, i128 } @__sbpf_udivrem128(i128 %ua, i128 %ub)
  %u = extractvalue { i128, i128 } %qr, ${remainder ? 1 : 0}`
      : `%u = ${remainder ? "urem" : "udiv"} ${type} %ua, %ub`;
  // The quotient is negative when the signs differ; the remainder takes the dividend's sign.
  const negative = remainder ? "%an" : "%neg";
  return {
    symbol,
    requires: bits === 128 ? ["udivrem128"] : [],
    text: `define internal ${type} @${symbol}(${type} %a, ${type} %b) ${ATTRIBUTES} {
  %an = icmp slt ${type} %a, 0
  %bn = icmp slt ${type} %b, 0
  %na = sub ${type} 0, %a
  %nb = sub ${type} 0, %b
  %ua = select i1 %an, ${type} %na, ${type} %a
  %ub = select i1 %bn, ${type} %nb, ${type} %b
  %neg = xor i1 %an, %bn
  ${unsigned}
  %nu = sub ${type} 0, %u
  %r = select i1 ${negative}, ${type} %nu, ${type} %u
  ret ${type} %r
}`,
  };
}

export function unsignedDivision128Helper(remainder: boolean): HelperDefinition {
  const symbol = `__sbpf_u${remainder ? "rem" : "div"}128`;
  return {
    symbol,
    requires: ["udivrem128"],
    text: `define internal i128 @${symbol}(i128 %a, i128 %b) ${ATTRIBUTES} {
  %qr = call { i128, i128 } @__sbpf_udivrem128(i128 %a, i128 %b)
  %r = extractvalue { i128, i128 } %qr, ${remainder ? 1 : 0}
  ret i128 %r
}`,
  };
}
