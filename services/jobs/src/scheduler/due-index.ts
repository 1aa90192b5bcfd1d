/**
 * When each scheduled connection is next to be looked at (epoch ms), earliest first: a binary min-heap with
 * lazy deletion (an entry whose time is no longer the connection's current one is dropped when it surfaces),
 * so setting, taking the due ones and peeking cost O(log n) and a tick touches only the due connections.
 */
export class DueIndex {
  readonly #at = new Map<string, number>();
  #heap: Array<{ id: string; at: number }> = [];

  get size(): number {
    return this.#at.size;
  }

  has(id: string): boolean {
    return this.#at.has(id);
  }

  set(id: string, at: number): void {
    this.#at.set(id, at);
    this.#push({ id, at });
    if (this.#heap.length > 2 * this.#at.size + 1_024) this.#compact();
  }

  /** Sets `at` unless the connection is already to be looked at sooner. */
  setEarlier(id: string, at: number): void {
    const current = this.#at.get(id);
    if (current === undefined || at < current) this.set(id, at);
  }

  delete(id: string): void {
    this.#at.delete(id);
  }

  /** The connections due at `now`, earliest first, removed from the index. */
  takeDue(now: number): string[] {
    const due: string[] = [];
    for (let top = this.#peek(); top !== undefined && top.at <= now; top = this.#peek()) {
      this.#pop();
      this.#at.delete(top.id);
      due.push(top.id);
    }
    return due;
  }

  /** The earliest time in the index, undefined when empty. */
  nextAt(): number | undefined {
    return this.#peek()?.at;
  }

  /** The top entry, after dropping stale ones. */
  #peek() {
    for (let top = this.#heap[0]; top !== undefined; top = this.#heap[0]) {
      if (this.#at.get(top.id) === top.at) return top;
      this.#pop();
    }
    return undefined;
  }

  #compact(): void {
    const entries = [...this.#at].map(([id, at]) => ({ id, at }));
    this.#heap = [];
    for (const entry of entries) this.#push(entry);
  }

  #push(entry: { id: string; at: number }): void {
    const heap = this.#heap;
    heap.push(entry);
    for (let i = heap.length - 1; i > 0; ) {
      const parent = (i - 1) >> 1;
      if (heap[parent]!.at <= entry.at) break;
      heap[i] = heap[parent]!;
      heap[parent] = entry;
      i = parent;
    }
  }

  #pop(): void {
    const heap = this.#heap;
    const last = heap.pop();
    if (last === undefined || heap.length === 0) return;
    heap[0] = last;
    for (let i = 0; ; ) {
      const left = 2 * i + 1;
      const right = left + 1;
      let least = i;
      if (left < heap.length && heap[left]!.at < heap[least]!.at) least = left;
      if (right < heap.length && heap[right]!.at < heap[least]!.at) least = right;
      if (least === i) return;
      [heap[i], heap[least]] = [heap[least]!, heap[i]!];
      i = least;
    }
  }
}
