// A small JSON scanner used only on the error path: V8's JSON.parse does not always say where the
// text went wrong, and zod issues carry a path (cells.3.source) but no position in the file.

export interface TextPosition {
  offset: number;
  line: number;
  column: number;
}

export function positionAt(text: string, offset: number): TextPosition {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { offset, line, column: offset - lineStart + 1 };
}

class ScanError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

type PathKey = string | number;

/** Walks JSON text; records where the value at `target` starts (when given). */
class Scanner {
  pos = 0;
  found: number | undefined;

  constructor(
    private readonly text: string,
    private readonly target: readonly PathKey[] | undefined,
  ) {}

  run(): void {
    this.ws();
    this.value([]);
    this.ws();
    if (this.pos < this.text.length) this.fail("unexpected text after the end of the JSON value");
  }

  private fail(message: string): never {
    throw new ScanError(message, this.pos);
  }

  private ws(): void {
    while (this.pos < this.text.length && " \t\n\r".includes(this.text.charAt(this.pos))) this.pos++;
  }

  private isTarget(path: PathKey[]): boolean {
    const t = this.target;
    return t !== undefined && this.found === undefined && t.length === path.length && t.every((k, i) => String(k) === String(path[i]));
  }

  private value(path: PathKey[]): void {
    if (this.isTarget(path)) this.found = this.pos;
    const c = this.text.charAt(this.pos);
    if (c === "{") return this.object(path);
    if (c === "[") return this.array(path);
    if (c === '"') {
      this.string();
      return;
    }
    if (c === "-" || (c >= "0" && c <= "9")) return this.number();
    for (const word of ["true", "false", "null"]) {
      if (this.text.startsWith(word, this.pos)) {
        this.pos += word.length;
        return;
      }
    }
    if (c === "") this.fail("unexpected end of input, expected a value");
    this.fail(`unexpected character ${JSON.stringify(c)}, expected a value`);
  }

  private object(path: PathKey[]): void {
    this.pos++;
    this.ws();
    if (this.text.charAt(this.pos) === "}") {
      this.pos++;
      return;
    }
    for (;;) {
      this.ws();
      if (this.text.charAt(this.pos) !== '"') this.fail("expected a property name in double quotes");
      const key = this.string();
      this.ws();
      if (this.text.charAt(this.pos) !== ":") this.fail("expected ':' after a property name");
      this.pos++;
      this.ws();
      if (this.isTarget([...path, key])) this.found = this.pos;
      this.value([...path, key]);
      this.ws();
      const c = this.text.charAt(this.pos);
      if (c === ",") {
        this.pos++;
        continue;
      }
      if (c === "}") {
        this.pos++;
        return;
      }
      this.fail("expected ',' or '}' after a property value");
    }
  }

  private array(path: PathKey[]): void {
    this.pos++;
    this.ws();
    if (this.text.charAt(this.pos) === "]") {
      this.pos++;
      return;
    }
    for (let i = 0; ; i++) {
      this.ws();
      this.value([...path, i]);
      this.ws();
      const c = this.text.charAt(this.pos);
      if (c === ",") {
        this.pos++;
        continue;
      }
      if (c === "]") {
        this.pos++;
        return;
      }
      this.fail("expected ',' or ']' after an array element");
    }
  }

  private string(): string {
    const start = this.pos;
    this.pos++;
    while (this.pos < this.text.length) {
      const c = this.text.charAt(this.pos);
      if (c === '"') {
        this.pos++;
        return JSON.parse(this.text.slice(start, this.pos)) as string;
      }
      if (c === "\\") this.pos++;
      else if (c < " ") this.fail("control character inside a string");
      this.pos++;
    }
    this.pos = start;
    return this.fail("unterminated string");
  }

  private number(): void {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(this.text.slice(this.pos, this.pos + 400));
    if (!m) this.fail("invalid number");
    this.pos += m[0].length;
  }
}

/** Where and why `text` is not valid JSON; undefined if it is valid. */
export function locateJsonError(text: string): { message: string; position: TextPosition } | undefined {
  try {
    new Scanner(text, undefined).run();
    return undefined;
  } catch (error) {
    if (error instanceof ScanError) return { message: error.message, position: positionAt(text, error.offset) };
    // JSON.parse on a single string token failed: report at the scanner's view of it.
    return { message: String(error), position: positionAt(text, 0) };
  }
}

/** Position of the value at `path` in valid JSON text (e.g. ["cells", 3, "source"]). */
export function locateJsonPath(text: string, path: readonly PathKey[]): TextPosition | undefined {
  const scanner = new Scanner(text, path);
  try {
    scanner.run();
  } catch {
    return undefined;
  }
  return scanner.found === undefined ? undefined : positionAt(text, scanner.found);
}
