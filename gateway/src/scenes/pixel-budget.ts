/**
 * Bounds the pixels being decoded at once: a photo may start decoding while the pixels already in
 * flight plus its own stay within the budget, or when nothing is in flight (one photo alone may
 * exceed it; the per-photo pixel limit bounds that). Waiters start in arrival order, so a large
 * photo is not overtaken forever by small ones.
 */
export class PixelBudget {
  private inFlight = 0;
  private readonly waiting: Array<{ pixels: number; start: () => void }> = [];

  constructor(private readonly budget: number) {}

  /** Resolves when `pixels` may be decoded; call the returned function once they are released. */
  async acquire(pixels: number): Promise<() => void> {
    if (this.waiting.length === 0 && this.fits(pixels)) this.inFlight += pixels;
    else await new Promise<void>((start) => this.waiting.push({ pixels, start }));
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.inFlight -= pixels;
      this.startWaiting();
    };
  }

  /** Pixels decoding now. */
  get pixelsInFlight(): number {
    return this.inFlight;
  }

  private fits(pixels: number): boolean {
    return this.inFlight === 0 || this.inFlight + pixels <= this.budget;
  }

  private startWaiting(): void {
    while (this.waiting.length > 0 && this.fits(this.waiting[0]!.pixels)) {
      const next = this.waiting.shift()!;
      this.inFlight += next.pixels;
      next.start();
    }
  }
}
