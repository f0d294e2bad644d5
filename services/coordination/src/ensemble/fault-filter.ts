// Injected network faults between peers, for tests only (off unless the server runs with
// --enable-fault-injection): this server's peer transport drops everything it would send to
// the peers in `dropTo` and everything it receives from the peers in `dropFrom`. Applying the
// rules on both sides of a cut gives a symmetric partition; on one side only, an asymmetric
// one. Pure: the HTTP endpoint in fault-admin.ts parses a request into rules and sets them.

export interface FaultRules {
  dropTo: number[];
  dropFrom: number[];
}

export const NO_FAULTS: FaultRules = { dropTo: [], dropFrom: [] };

export class FaultFilter {
  private dropTo = new Set<number>();
  private dropFrom = new Set<number>();

  set(rules: FaultRules): void {
    this.dropTo = new Set(rules.dropTo);
    this.dropFrom = new Set(rules.dropFrom);
  }

  rules(): FaultRules {
    return { dropTo: [...this.dropTo].sort((a, b) => a - b), dropFrom: [...this.dropFrom].sort((a, b) => a - b) };
  }

  allowsSend(to: number): boolean {
    return !this.dropTo.has(to);
  }

  allowsReceive(from: number): boolean {
    return !this.dropFrom.has(from);
  }
}

/**
 * Reads `{"dropTo": [2, 3], "dropFrom": [2, 3]}` (either list may be left out: empty). Ids must
 * be members other than this server.
 */
export function parseFaultRules(body: unknown, selfId: number, memberIds: readonly number[]): { ok: true; rules: FaultRules } | { ok: false; reason: string } {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return { ok: false, reason: 'expected a JSON object' };
  const record = body as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (key !== 'dropTo' && key !== 'dropFrom') return { ok: false, reason: `unknown field ${JSON.stringify(key)}` };
  }
  const rules: FaultRules = { dropTo: [], dropFrom: [] };
  for (const key of ['dropTo', 'dropFrom'] as const) {
    const list = record[key] ?? [];
    if (!Array.isArray(list)) return { ok: false, reason: `${key} must be a list of server ids` };
    for (const id of list) {
      if (typeof id !== 'number' || !memberIds.includes(id) || id === selfId) {
        return { ok: false, reason: `${key}: ${JSON.stringify(id)} is not another member of the ensemble` };
      }
      if (!rules[key].includes(id)) rules[key].push(id);
    }
  }
  return { ok: true, rules };
}
