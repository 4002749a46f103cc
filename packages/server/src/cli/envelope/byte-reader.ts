/**
 * Reads exact byte counts from a stream of arbitrary-sized pieces, keeping
 * only what has been read ahead: memory stays bounded by the largest request
 * plus one piece, however long the stream is.
 *
 * @example
 * const reader = new ByteReader(process.stdin);
 * const header = await reader.read(56); // fewer bytes only at the end of the stream
 */
export class ByteReader implements AsyncIterable<Buffer> {
  readonly #source: AsyncIterator<Uint8Array>;
  #pieces: Buffer[] = [];
  #buffered = 0;
  #ended = false;

  constructor(source: AsyncIterable<Uint8Array>) {
    this.#source = source[Symbol.asyncIterator]();
  }

  /** Bytes read ahead and not yet taken. */
  get buffered(): number {
    return this.#buffered;
  }

  /** Buffers until `n` bytes are available or the stream ends; returns what is available. */
  async fill(n: number): Promise<number> {
    while (this.#buffered < n && !this.#ended) {
      const next = await this.#source.next();
      if (next.done === true) {
        this.#ended = true;
        break;
      }
      if (next.value.length === 0) continue;
      const piece = Buffer.isBuffer(next.value) ? next.value : Buffer.from(next.value);
      this.#pieces.push(piece);
      this.#buffered += piece.length;
    }
    return Math.min(n, this.#buffered);
  }

  /** Up to `n` bytes, fewer only at the end of the stream. */
  async read(n: number): Promise<Buffer> {
    await this.fill(n);
    return this.#take(Math.min(n, this.#buffered));
  }

  /** True when nothing is buffered and the stream has ended. */
  async atEnd(): Promise<boolean> {
    return (await this.fill(1)) === 0;
  }

  /** The first `n` bytes without consuming them (after `fill`). */
  peek(n: number): Buffer {
    const taken = this.#take(Math.min(n, this.#buffered));
    this.#pieces.unshift(taken);
    this.#buffered += taken.length;
    return taken;
  }

  #take(n: number): Buffer {
    if (n === 0) return Buffer.alloc(0);
    const first = this.#pieces[0];
    if (first !== undefined && first.length >= n) {
      this.#buffered -= n;
      if (first.length === n) this.#pieces.shift();
      else this.#pieces[0] = first.subarray(n);
      return first.subarray(0, n);
    }
    const out = Buffer.allocUnsafe(n);
    let offset = 0;
    while (offset < n) {
      const piece = this.#pieces[0];
      if (piece === undefined) break;
      const count = Math.min(piece.length, n - offset);
      piece.copy(out, offset, 0, count);
      offset += count;
      if (count === piece.length) this.#pieces.shift();
      else this.#pieces[0] = piece.subarray(count);
    }
    this.#buffered -= n;
    return out;
  }

  /** What is buffered, then the rest of the stream: hands the remainder to another reader. */
  async *[Symbol.asyncIterator](): AsyncGenerator<Buffer> {
    while (this.#buffered > 0 || !this.#ended) {
      if (this.#buffered === 0 && (await this.fill(1)) === 0) return;
      const piece = this.#pieces.shift();
      if (piece === undefined) return;
      this.#buffered -= piece.length;
      yield piece;
    }
  }

  /** Releases the underlying stream early (e.g. after an error). */
  async close(): Promise<void> {
    this.#ended = true;
    this.#pieces = [];
    this.#buffered = 0;
    await this.#source.return?.();
  }
}
