// Labels (GPU model, region, cluster and model names): printable ASCII, zero-padded to a fixed size,
// as `is_label` in programs/provenance/src/state.rs accepts them.

/** `text` as a zero-padded label of `size` bytes; throws unless it is 1..size printable ASCII characters. */
export function label(text: string, size: number): number[] {
  if (text.length === 0 || text.length > size) throw new RangeError(`a label has 1 to ${size} characters: "${text}"`);
  const out = new Array<number>(size).fill(0);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || c > 0x7e) throw new RangeError(`labels are printable ASCII: "${text}"`);
    out[i] = c;
  }
  return out;
}

/** The text of a zero-padded label. */
export function readLabel(bytes: ArrayLike<number>): string {
  let text = "";
  for (let i = 0; i < bytes.length && bytes[i] !== 0; i++) text += String.fromCharCode(bytes[i]);
  return text;
}
