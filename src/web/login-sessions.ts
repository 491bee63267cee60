// Sessions opened by successful form logins: random tokens set as the site's cookie. Bounded: the
// oldest session is forgotten when the table is full, as a small device's table would overflow.
export class LoginSessions {
  readonly #tokens = new Map<string, string>();
  readonly #max: number;
  readonly #random: (bytes: number) => Uint8Array;

  constructor(random: (bytes: number) => Uint8Array, max = 1024) {
    this.#random = random;
    this.#max = max;
  }

  open(username: string): string {
    const token = Buffer.from(this.#random(16)).toString('hex');
    if (this.#tokens.size >= this.#max) {
      const oldest = this.#tokens.keys().next();
      if (!oldest.done) this.#tokens.delete(oldest.value);
    }
    this.#tokens.set(token, username);
    return token;
  }

  /** The user a token belongs to, or null. */
  user(token: string | null): string | null {
    return token === null ? null : (this.#tokens.get(token) ?? null);
  }

  get size(): number {
    return this.#tokens.size;
  }
}
