// A FIFO of events with O(1) push and amortised O(1) removal from the front, for the per-sink queues
// (Array.prototype.shift is O(n), which a 100,000-event backlog would make quadratic).
import type { HachiEvent } from '../core/events.ts';

export class EventQueue {
  #items: HachiEvent[] = [];
  #head = 0;

  get length(): number {
    return this.#items.length - this.#head;
  }

  push(event: HachiEvent): void {
    this.#items.push(event);
  }

  /** Removes and returns up to `count` events from the front, oldest first. */
  takeFront(count: number): HachiEvent[] {
    const end = Math.min(this.#head + Math.max(0, count), this.#items.length);
    const out = this.#items.slice(this.#head, end);
    this.#head = end;
    this.#compact();
    return out;
  }

  /** Puts events back in front (after a failed spill), keeping their order. */
  prepend(events: readonly HachiEvent[]): void {
    this.#items = [...events, ...this.#items.slice(this.#head)];
    this.#head = 0;
  }

  #compact(): void {
    if (this.#head === this.#items.length) {
      this.#items = [];
      this.#head = 0;
    } else if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
  }
}
