import type { ZxcvbnFactory } from "@zxcvbn-ts/core";
import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from "node:crypto";

// scrypt: a slow, memory-hard, salted hash from Node's standard library (no native add-on to install).
// N=2^15, r=8, p=1 costs ~32 MiB and tens of milliseconds per hash, OWASP's recommended floor.
const PARAMS = { N: 2 ** 15, r: 8, p: 1 } as const;
const KEY_LENGTH = 64;

function scrypt(password: string, salt: Buffer, keylen: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scryptCallback(password.normalize("NFKC"), salt, keylen, options, (error, key) => (error ? reject(error) : resolve(key))),
  );
}

/** `scrypt$N$r$p$<salt b64>$<hash b64>` */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, KEY_LENGTH, { ...PARAMS, maxmem: 128 * PARAMS.N * PARAMS.r * 2 });
  return ["scrypt", PARAMS.N, PARAMS.r, PARAMS.p, salt.toString("base64"), key.toString("base64")].join("$");
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, saltB64, keyB64] = stored.split("$");
  if (scheme !== "scrypt" || !n || !r || !p || !saltB64 || !keyB64) return false;
  const expected = Buffer.from(keyB64, "base64");
  const options = { N: Number(n), r: Number(r), p: Number(p), maxmem: 128 * Number(n) * Number(r) * 2 };
  const actual = await scrypt(password, Buffer.from(saltB64, "base64"), expected.length, options);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

// Verified when an email has no account, so a failed sign-in takes as long whether or not the email exists.
let dummyHash: Promise<string> | undefined;
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword(randomBytes(18).toString("base64"));
  return dummyHash;
}

// zxcvbn-ts is the maintained estimator of how many guesses a cracker needs (dictionaries, names, keyboard walks,
// dates, l33t). Its dictionaries are megabytes, so they load on the first check, on the server only.
let estimator: Promise<ZxcvbnFactory> | undefined;
function zxcvbn(): Promise<ZxcvbnFactory> {
  estimator ??= (async () => {
    const [{ ZxcvbnFactory }, common, en] = await Promise.all([
      import("@zxcvbn-ts/core"),
      import("@zxcvbn-ts/language-common"),
      import("@zxcvbn-ts/language-en"),
    ]);
    return new ZxcvbnFactory({
      dictionary: { ...common.dictionary, ...en.dictionary },
      graphs: common.adjacencyGraphs,
      translations: en.translations,
    });
  })();
  return estimator;
}

export const MAX_PASSWORD_LENGTH = 200;
/** zxcvbn's score 3: "safely unguessable", about 10^8 guesses or more. */
const MIN_SCORE = 3;

/**
 * Why a password is too weak, or undefined when it is acceptable. The email and name count as known to the
 * attacker: a password built from them is weak. The message carries zxcvbn's own warning and suggestions.
 */
export async function passwordWeakness(
  password: string,
  about: { email?: string | undefined; name?: string | null | undefined } = {},
): Promise<string | undefined> {
  if (password.length > MAX_PASSWORD_LENGTH) return `Password must be at most ${MAX_PASSWORD_LENGTH} characters long.`;
  if (password.length === 0) return "Enter a password.";
  const userInputs = userInputsFor(about);
  const estimate = await zxcvbn();
  const result = estimate.check(password, userInputs);
  if (result.score < MIN_SCORE) return explain(result.feedback);
  // zxcvbn counts a known word as ~50 guesses but can still rate "grace-hopper-99" strong for Grace Hopper, as the
  // parts around it are scored by brute force. What an attacker who knows the account does not know must be strong.
  const lower = password.toLowerCase();
  const known = userInputs.filter((input) => input.length >= 3 && lower.includes(input)).sort((a, b) => b.length - a.length);
  if (known.length === 0) return undefined;
  let rest = lower;
  for (const input of known) rest = rest.split(input).join(" ");
  const unknown = estimate.check(rest.trim(), userInputs);
  if (unknown.score >= MIN_SCORE) return undefined;
  return "This password is too easy to guess: it is built on your email or name. Add words that are not about you.";
}

function explain({ warning, suggestions }: { warning: string | null; suggestions: string[] }): string {
  const parts = ["This password is too easy to guess."];
  if (warning) parts.push(warning);
  parts.push(...(suggestions.length ? suggestions : ["Add another word or two. Uncommon words are better."]));
  return parts.map((p) => (/[.!?]$/.test(p) ? p : `${p}.`)).join(" ");
}

/** The email, its parts and the name's words: what someone who knows the account would try first. */
function userInputsFor({ email, name }: { email?: string | undefined; name?: string | null | undefined }): string[] {
  const inputs = new Set<string>();
  const add = (value: string | undefined) => {
    const v = value?.trim().toLowerCase();
    if (v && v.length >= 2) inputs.add(v);
  };
  if (email) {
    add(email);
    const [local, domain] = email.split("@");
    add(local);
    for (const piece of local?.split(/[._+-]+/) ?? []) add(piece);
    add(domain?.split(".")[0]);
  }
  if (name) {
    add(name);
    for (const piece of name.split(/\s+/)) add(piece);
  }
  return [...inputs];
}
