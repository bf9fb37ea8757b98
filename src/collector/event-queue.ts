/**
 * A bounded FIFO between event producers (procfs polling, bpftrace output) and the Sensor stream.
 * When the consumer falls behind, new events are refused and the caller counts a drop, as the
 * real collector does when its ring buffer is full, instead of growing without bound.
 */
export class BoundedQueue<T> {
  private items: Array<T | undefined>;
  private head = 0;
  private count = 0;
  private waiter: (() => void) | null = null;

  constructor(readonly capacity: number) {
    this.items = new Array<T | undefined>(capacity);
  }

  get length(): number {
    return this.count;
  }

  /** False when full (the item is not stored). */
  push(item: T): boolean {
    if (this.count >= this.capacity) return false;
    this.items[(this.head + this.count) % this.capacity] = item;
    this.count += 1;
    const w = this.waiter;
    if (w) {
      this.waiter = null;
      w();
    }
    return true;
  }

  shift(): T | undefined {
    if (this.count === 0) return undefined;
    const item = this.items[this.head];
    this.items[this.head] = undefined;
    this.head = (this.head + 1) % this.capacity;
    this.count -= 1;
    return item;
  }

  /** Resolves when at least one item is queued (immediately if one is). */
  whenNotEmpty(): Promise<void> {
    if (this.count > 0) return Promise.resolve();
    return new Promise((resolve) => {
      const prev = this.waiter;
      this.waiter = () => {
        prev?.();
        resolve();
      };
    });
  }

  /** Wakes a pending whenNotEmpty() without an item, used on shutdown. */
  wake(): void {
    const w = this.waiter;
    this.waiter = null;
    w?.();
  }
}
