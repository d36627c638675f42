/**
 * bash's arithmetic (`$((...))`) on 64-bit signed integers that wrap as bash's intmax_t does:
 * numbers (decimal, 0x hex, 0 octal, BASE#DIGITS), variables (unset or empty is 0; a value is
 * itself evaluated), parentheses, and the C operators bash has, by its precedence: unary
 * `+ - ! ~`, `**`, `* / %`, `+ -`, `<< >>`, `< <= > >=`, `== !=`, `&`, `^`, `|`, `&&`, `||` and
 * `?:`, and the assignments `=`, `op=`, `++` and `--` through `assign`. A problem throws
 * ArithmeticProblem with bash's words (`division by 0 (error token is "0")`).
 */
export class ArithmeticProblem extends Error {}

/**
 * How deep variables (`A=B`, `B=A`), parentheses, unary operators and right-associative chains
 * may nest before the expression is refused as bash refuses it, well before the stack runs out.
 */
const MAX_DEPTH = 200;

const BINARY: readonly (readonly string[])[] = [
  ['||'],
  ['&&'],
  ['|'],
  ['^'],
  ['&'],
  ['==', '!='],
  ['<=', '>=', '<', '>'],
  ['<<', '>>'],
  ['+', '-'],
  ['*', '/', '%'],
];

const TOKEN =
  /\s*(0[xX][0-9a-fA-F]+|\d+#[0-9a-zA-Z@_]+|\d+|[A-Za-z_][A-Za-z0-9_]*|\*\*=|<<=|>>=|\*\*|<<|>>|<=|>=|==|!=|&&|\|\||\+\+|--|[-+*/%&|^]=|[-+*/%<>&|^!~?:()=])/y;

/** The variables an expression reads and (with `=`, `+=`, `++`) sets. */
export interface ArithmeticVariables {
  get(name: string): string | undefined;
  set(name: string, value: string): void;
}

export function evaluateArithmetic(expression: string, variable: ArithmeticVariables, depth = 0): bigint {
  if (depth > MAX_DEPTH) throw new ArithmeticProblem('expression recursion level exceeded');
  const tokens = tokenizeExpression(expression);
  if (tokens.length === 0) return 0n;
  const parser = new Parser(tokens, expression, variable, depth);
  const value = parser.assignment();
  if (parser.pos < tokens.length) throw parser.problem('syntax error in expression');
  return value;
}

function tokenizeExpression(expression: string): string[] {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  let at = 0;
  while (at < expression.length) {
    if (expression.slice(at).trim() === '') break;
    TOKEN.lastIndex = at;
    const m = TOKEN.exec(expression);
    if (m === null)
      throw new ArithmeticProblem(
        `${expression.trim()}: syntax error: invalid arithmetic operator (error token is "${expression.slice(at).trim()}")`,
      );
    tokens.push(m[1]!);
    at = TOKEN.lastIndex;
  }
  return tokens;
}

class Parser {
  pos = 0;
  /** How deep the parse has nested within this expression (parentheses, unary chains, `**`, `=`). */
  private nesting = 0;
  private readonly tokens: readonly string[];
  private readonly text: string;
  private readonly variable: ArithmeticVariables;
  private readonly depth: number;

  constructor(tokens: readonly string[], text: string, variable: ArithmeticVariables, depth: number) {
    this.tokens = tokens;
    this.text = text.trim();
    this.variable = variable;
    this.depth = depth;
  }

  /** bash names the token it stopped at: the last one read when the expression ran out. */
  problem(what: string, at = Math.min(this.pos, this.tokens.length - 1)): ArithmeticProblem {
    const rest = this.tokens.slice(at).join(' ');
    return new ArithmeticProblem(`${this.text}: ${what} (error token is "${rest}")`);
  }

  /** `NAME = expr` and `NAME op= expr`, right-associative, below every other operator. */
  assignment(): bigint {
    return this.nested(() => this.assignmentLevel());
  }

  /** Runs one level of a nested parse, refusing nesting past MAX_DEPTH as bash's recursion limit. */
  private nested(parse: () => bigint): bigint {
    if (this.depth + ++this.nesting > MAX_DEPTH) throw new ArithmeticProblem('expression recursion level exceeded');
    try {
      return parse();
    } finally {
      this.nesting--;
    }
  }

  private assignmentLevel(): bigint {
    const name = this.tokens[this.pos];
    const op = this.tokens[this.pos + 1];
    if (name === undefined || !/^[A-Za-z_]/.test(name) || op === undefined || !/^(\*\*|<<|>>|[-+*/%&|^])?=$/.test(op))
      return this.conditional();
    this.pos += 2;
    const right = this.assignment();
    const value = op === '=' ? right : apply(op.slice(0, -1), this.read(name), right, () => this.problem('division by 0', this.pos - 1));
    this.variable.set(name, String(value));
    return value;
  }

  private read(name: string): bigint {
    const value = this.variable.get(name);
    return value === undefined || value.trim() === '' ? 0n : evaluateArithmetic(value, this.variable, this.depth + 1);
  }

  conditional(): bigint {
    const test = this.binary(0);
    if (this.tokens[this.pos] !== '?') return test;
    this.pos++;
    const yes = this.assignment();
    if (this.tokens[this.pos] !== ':') throw this.problem("expected `:' for conditional expression");
    this.pos++;
    const no = this.nested(() => this.conditional());
    return test !== 0n ? yes : no;
  }

  private binary(level: number): bigint {
    if (level >= BINARY.length) return this.power();
    let left = this.binary(level + 1);
    for (;;) {
      const op = this.tokens[this.pos];
      if (op === undefined || !BINARY[level]!.includes(op)) return left;
      this.pos++;
      const right = this.binary(level + 1);
      left = apply(op, left, right, () => this.problem('division by 0', this.pos - 1));
    }
  }

  private power(): bigint {
    const base = this.unary();
    if (this.tokens[this.pos] !== '**') return base;
    this.pos++;
    const exponent = this.nested(() => this.power());
    if (exponent < 0n) throw this.problem('exponent less than 0');
    return wrappingPower(base, exponent);
  }

  private unary(): bigint {
    const op = this.tokens[this.pos];
    if (op === '++' || op === '--') {
      const name = this.tokens[this.pos + 1];
      if (name === undefined || !/^[A-Za-z_]/.test(name)) throw this.problem('syntax error: operand expected');
      this.pos += 2;
      const value = BigInt.asIntN(64, this.read(name) + (op === '++' ? 1n : -1n));
      this.variable.set(name, String(value));
      return value;
    }
    if (op === '-' || op === '+' || op === '!' || op === '~') {
      this.pos++;
      const v = this.nested(() => this.unary());
      return op === '-' ? BigInt.asIntN(64, -v) : op === '+' ? v : op === '!' ? (v === 0n ? 1n : 0n) : BigInt.asIntN(64, ~v);
    }
    return this.operand();
  }

  private operand(): bigint {
    const t = this.tokens[this.pos];
    if (t === undefined) throw this.problem('syntax error: operand expected');
    if (t === '(') {
      this.pos++;
      const v = this.assignment();
      if (this.tokens[this.pos] !== ')') throw this.problem("missing `)'");
      this.pos++;
      return v;
    }
    if (/^[A-Za-z_]/.test(t)) {
      this.pos++;
      const value = this.read(t);
      const after = this.tokens[this.pos];
      if (after !== '++' && after !== '--') return value;
      // NAME++ and NAME--: the value before the step.
      this.pos++;
      this.variable.set(t, String(BigInt.asIntN(64, value + (after === '++' ? 1n : -1n))));
      return value;
    }
    const n = parseNumber(t);
    if (n === undefined) throw this.problem('value too great for base', this.pos);
    this.pos++;
    return n;
  }
}

/** base ** exponent modulo 2^64 by squaring, so a huge exponent costs 64 steps, never a huge number. */
function wrappingPower(base: bigint, exponent: bigint): bigint {
  let result = 1n;
  let b = BigInt.asIntN(64, base);
  for (let e = exponent; e > 0n; e >>= 1n) {
    if ((e & 1n) === 1n) result = BigInt.asIntN(64, result * b);
    b = BigInt.asIntN(64, b * b);
  }
  return result;
}

function apply(op: string, a: bigint, b: bigint, divisionByZero: () => ArithmeticProblem): bigint {
  const bool = (x: boolean): bigint => (x ? 1n : 0n);
  switch (op) {
    case '||':
      return bool(a !== 0n || b !== 0n);
    case '&&':
      return bool(a !== 0n && b !== 0n);
    case '|':
      return a | b;
    case '^':
      return a ^ b;
    case '&':
      return a & b;
    case '==':
      return bool(a === b);
    case '!=':
      return bool(a !== b);
    case '<':
      return bool(a < b);
    case '<=':
      return bool(a <= b);
    case '>':
      return bool(a > b);
    case '>=':
      return bool(a >= b);
    case '<<':
      return BigInt.asIntN(64, a << (b & 63n));
    case '>>':
      return a >> (b & 63n);
    case '+':
      return BigInt.asIntN(64, a + b);
    case '-':
      return BigInt.asIntN(64, a - b);
    case '*':
      return BigInt.asIntN(64, a * b);
    default:
      // `/` and `%` truncate toward zero, as C's and bash's do, and BigInt's do too.
      if (b === 0n) throw divisionByZero();
      return BigInt.asIntN(64, op === '/' ? a / b : a % b);
  }
}

/** A literal as bash reads it; undefined when a digit is out of its base. */
function parseNumber(t: string): bigint | undefined {
  if (/^0[xX]/.test(t)) return BigInt.asIntN(64, BigInt(t));
  const based = /^(\d+)#(.+)$/.exec(t);
  if (based !== null) return inBase(based[2]!, Number(based[1]));
  if (/^0\d/.test(t)) return inBase(t.slice(1), 8);
  return BigInt.asIntN(64, BigInt(t));
}

/** bash's BASE#DIGITS: digits, then a-z, A-Z, @ and _ (letters are case-blind up to base 36). */
function inBase(digits: string, base: number): bigint | undefined {
  if (base < 2 || base > 64) return undefined;
  let value = 0n;
  for (const c of digits) {
    const d = digitValue(c, base);
    if (d === undefined || d >= base) return undefined;
    value = BigInt.asIntN(64, value * BigInt(base) + BigInt(d));
  }
  return value;
}

function digitValue(c: string, base: number): number | undefined {
  if (c >= '0' && c <= '9') return c.charCodeAt(0) - 48;
  if (c >= 'a' && c <= 'z') return c.charCodeAt(0) - 97 + 10;
  if (c >= 'A' && c <= 'Z') return c.charCodeAt(0) - 65 + (base <= 36 ? 10 : 36);
  if (c === '@') return 62;
  if (c === '_') return 63;
  return undefined;
}
