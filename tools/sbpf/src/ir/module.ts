import { leadingType, matchingBracket, readGlobalName, registerCount, splitTopLevel, trailingType } from "./text.js";

/** A function definition or declaration in an IR module. */
export interface IrFunction {
  readonly name: string;
  readonly isDeclaration: boolean;
  /** Line of `define`/`declare`. */
  readonly headerLine: number;
  /** Line of the closing `}` (equal to headerLine for declarations). */
  readonly endLine: number;
  readonly returnType: string;
  readonly parameterTypes: readonly string[];
  readonly isVariadic: boolean;
  /** Attribute group referenced after the parameter list (`#3` → "3"). */
  readonly attributeGroup: string | undefined;
}

export interface IrModule {
  readonly lines: string[];
  readonly functions: readonly IrFunction[];
  /** `attributes #N = { ... }` bodies by N. */
  readonly attributeGroups: ReadonlyMap<string, string>;
}

/** A `call` instruction found on a line. */
export interface IrCall {
  /** Callee name for direct calls, undefined for calls through a pointer. */
  readonly callee: string | undefined;
  readonly argumentTypes: readonly string[];
  /** Index just past the argument list's closing parenthesis. */
  readonly end: number;
  readonly calleeStart: number;
}

export function parseIrModule(text: string): IrModule {
  const lines = text.split("\n");
  const functions: IrFunction[] = [];
  const attributeGroups = new Map<string, string>();
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.startsWith("define ") || line.startsWith("declare ")) {
      const isDeclaration = line.startsWith("declare ");
      let endLine = i;
      if (!isDeclaration) {
        while (endLine < lines.length && lines[endLine] !== "}") endLine++;
      }
      const header = parseFunctionHeader(line);
      if (header) functions.push({ ...header, isDeclaration, headerLine: i, endLine });
      i = endLine;
      continue;
    }
    const group = /^attributes #(\d+) = \{ (.*) \}$/.exec(line);
    if (group) attributeGroups.set(group[1]!, group[2]!);
  }
  return { lines, functions, attributeGroups };
}

function parseFunctionHeader(line: string): Omit<IrFunction, "isDeclaration" | "headerLine" | "endLine"> | undefined {
  const at = findFunctionName(line);
  if (at < 0) return undefined;
  const global = readGlobalName(line, at);
  if (!global) return undefined;
  const open = line.indexOf("(", global.end);
  const close = matchingBracket(line, open);
  if (open !== global.end || close < 0) return undefined;
  const parameters = splitTopLevel(line.slice(open + 1, close));
  const isVariadic = parameters.includes("...");
  const group = /#(\d+)/.exec(line.slice(close + 1));
  return {
    name: global.name,
    returnType: trailingType(line.slice(0, at)),
    parameterTypes: parameters.filter((p) => p !== "...").map(leadingType),
    isVariadic,
    attributeGroup: group?.[1],
  };
}

/** Position of the '@' that starts the function name in a define/declare line. */
function findFunctionName(line: string): number {
  let depth = 0;
  for (let i = 0; i < line.length; i++) {
    const char = line[i]!;
    if (char === "(" || char === "{" || char === "[" || char === "<") depth++;
    else if (char === ")" || char === "}" || char === "]" || char === ">") depth--;
    else if (char === "@" && depth === 0) return i;
  }
  return -1;
}

/** Finds the call instruction on a line, if any. */
export function findCall(line: string): IrCall | undefined {
  if (!line.includes("call ")) return undefined; // most lines: skip the regex
  const keyword = /(?:^|\s)(?:tail |musttail |notail )?call /.exec(line);
  if (!keyword) return undefined;
  // The callee is the first '@name(' or '%value(' after the keyword at bracket depth 0.
  let depth = 0;
  for (let i = keyword.index + keyword[0].length; i < line.length; i++) {
    const char = line[i]!;
    if (char === "(" && depth === 0) {
      // explicit function type of a variadic call: `call void (ptr, ...) @f(...)`
      const close = matchingBracket(line, i);
      if (close < 0) return undefined;
      i = close;
    } else if (char === "(" || char === "{" || char === "[" || char === "<") {
      depth++;
    } else if (char === ")" || char === "}" || char === "]" || char === ">") {
      depth--;
    } else if ((char === "@" || char === "%") && depth === 0) {
      const name = char === "@" ? readGlobalName(line, i) : readLocalName(line, i);
      if (!name || line[name.end] !== "(") continue;
      const close = matchingBracket(line, name.end);
      if (close < 0) return undefined;
      const args = splitTopLevel(line.slice(name.end + 1, close));
      return {
        callee: char === "@" ? name.name : undefined,
        argumentTypes: args.map(leadingType),
        end: close + 1,
        calleeStart: i,
      };
    }
  }
  return undefined;
}

function readLocalName(text: string, at: number): { name: string; end: number } | undefined {
  const match = /^%(?:[-\w.$]+|"[^"]*")/.exec(text.slice(at));
  return match ? { name: match[0], end: at + match[0].length } : undefined;
}

/** Argument registers a parameter or argument list needs. */
export function registersFor(types: readonly string[]): number {
  return types.reduce((sum, type) => sum + registerCount(type), 0);
}
