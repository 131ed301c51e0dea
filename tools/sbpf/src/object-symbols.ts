import { demangle } from "./demangle.js";
import { SHN_ABS, SHN_COMMON, SHN_UNDEF, STT_FUNC, STT_OBJECT, STT_SECTION } from "./elf/constants.js";
import type { ElfSymbol, RelocatableObject } from "./elf/reader.js";

/** Symbol lookups the linker needs for diagnostics and relocation: who defines what, and where. */
export class ObjectSymbols {
  private readonly functionsBySection = new Map<number, ElfSymbol[]>();

  constructor(private readonly object: RelocatableObject) {
    for (const symbol of object.symbols) {
      if (symbol.type !== STT_FUNC || !isInSection(symbol)) continue;
      const list = this.functionsBySection.get(symbol.sectionIndex) ?? [];
      list.push(symbol);
      this.functionsBySection.set(symbol.sectionIndex, list);
    }
    for (const list of this.functionsBySection.values()) list.sort((a, b) => Number(a.value - b.value));
  }

  symbol(index: number): ElfSymbol | undefined {
    return this.object.symbols[index];
  }

  /** The function whose bytes contain `offset` in section `sectionIndex`. */
  functionAt(sectionIndex: number, offset: number): ElfSymbol | undefined {
    const candidates = this.functionsBySection.get(sectionIndex) ?? [];
    const at = BigInt(offset);
    return candidates.find((fn) => fn.value <= at && at < fn.value + (fn.size === 0n ? 1n : fn.size));
  }

  /** Functions defined in a section, sorted by address. */
  functionsIn(sectionIndex: number): readonly ElfSymbol[] {
    return this.functionsBySection.get(sectionIndex) ?? [];
  }

  /** Data objects (and untyped symbols) defined in a section, for naming what a refused section holds. */
  objectsIn(sectionIndex: number): ElfSymbol[] {
    return this.object.symbols.filter(
      (symbol) => symbol.sectionIndex === sectionIndex && (symbol.type === STT_OBJECT || (symbol.type !== STT_SECTION && symbol.type !== STT_FUNC && symbol.name !== "")),
    );
  }

  /** Symbols that are tentative definitions (C `int x;`): uninitialised writable data. */
  commonSymbols(): ElfSymbol[] {
    return this.object.symbols.filter((symbol) => symbol.sectionIndex === SHN_COMMON);
  }

  find(name: string): ElfSymbol | undefined {
    return this.object.symbols.find((symbol) => symbol.name === name && symbol.sectionIndex !== SHN_UNDEF);
  }

  /** What to call a symbol in a message: demangled name, or the section name for section symbols. */
  displayName(symbol: ElfSymbol): string {
    if (symbol.type === STT_SECTION || symbol.name === "") {
      return this.object.sections[symbol.sectionIndex]?.name ?? `#${symbol.index}`;
    }
    return demangle(symbol.name);
  }

  /** Name of the function at a section offset, or `section+0xoffset` when no function symbol covers it. */
  describeLocation(sectionIndex: number, offset: number): string {
    const fn = this.functionAt(sectionIndex, offset);
    if (fn) return demangle(fn.name);
    const section = this.object.sections[sectionIndex]?.name ?? `#${sectionIndex}`;
    return `${section}+0x${offset.toString(16)}`;
  }
}

function isInSection(symbol: ElfSymbol): boolean {
  return symbol.sectionIndex !== SHN_UNDEF && symbol.sectionIndex !== SHN_ABS && symbol.sectionIndex < 0xff00;
}
