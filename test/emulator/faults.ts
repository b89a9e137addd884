export interface FaultSpec {
  /** Google method name ("gmail.users.messages.get"); a trailing "*" matches a prefix ("gmail.*"). */
  method?: string;
  user?: string;
  status?: 429 | 500 | 503;
  retryAfterSeconds?: number;
  delayMs?: number;
  /** Destroy the socket without answering. */
  drop?: boolean;
  /** Fire for the next N matching calls (default: until cleared). */
  times?: number;
  /** Fire with this probability per matching call (default 1). */
  probability?: number;
}

interface ActiveFault extends FaultSpec {
  remaining: number;
}

export class Faults {
  private active: ActiveFault[] = [];

  constructor(private readonly random: () => number) {}

  add(f: FaultSpec): void {
    this.active.push({ ...f, remaining: f.times ?? Number.POSITIVE_INFINITY });
  }

  clear(): void {
    this.active = [];
  }

  /** The fault that fires for this call, if any; counts it against `times`. */
  take(method: string, user: string | null): FaultSpec | undefined {
    for (const f of this.active) {
      if (f.remaining <= 0) continue;
      if (f.method !== undefined && !methodMatches(f.method, method)) continue;
      if (f.user !== undefined && f.user.toLowerCase() !== user) continue;
      if (f.probability !== undefined && this.random() >= f.probability) continue;
      f.remaining -= 1;
      this.active = this.active.filter((a) => a.remaining > 0);
      return f;
    }
    return undefined;
  }
}

function methodMatches(pattern: string, method: string): boolean {
  return pattern.endsWith("*") ? method.startsWith(pattern.slice(0, -1)) : pattern === method;
}
