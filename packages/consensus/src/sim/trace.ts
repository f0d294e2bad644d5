// The simulator's trace: off by default (runs are fast), on for a replay. Keeps the last lines
// for a failure report and can stream every line to a sink.
import type { Message } from '../types';

export class Trace {
  private readonly lines: string[] = [];

  constructor(readonly on: boolean, private readonly tailMax: number, private readonly sink?: (line: string) => void) {}

  /** `text` is a function so that a run without a trace never builds the strings. */
  add(now: number, text: () => string): void {
    if (!this.on) return;
    const line = `t=${now} ${text()}`;
    this.lines.push(line);
    if (this.lines.length > this.tailMax) this.lines.shift();
    if (this.sink !== undefined) this.sink(line);
  }

  tail(): string[] {
    return this.lines.slice();
  }
}

export function describeMessage(m: Message): string {
  const head = `${m.type} n${m.from}->n${m.to} term=${m.term}`;
  switch (m.type) {
    case 'append': {
      const last = m.entries[m.entries.length - 1];
      const span = last === undefined ? 'none' : `${m.entries[0]?.index}..${last.index}`;
      return `${head} prev=${m.prevIndex}/${m.prevTerm} entries=${span} commit=${m.commit}`;
    }
    case 'appendResponse':
      return m.reject ? `${head} reject=${m.index} hint=${m.rejectHint}/${m.rejectHintTerm}` : `${head} index=${m.index}`;
    case 'heartbeat': return `${head} commit=${m.commit} readSeq=${m.readSeq}`;
    case 'heartbeatResponse': return `${head} readSeq=${m.readSeq}`;
    case 'vote': case 'preVote': return `${head} last=${m.lastIndex}/${m.lastTerm}${m.transfer ? ' transfer' : ''}`;
    case 'voteResponse': case 'preVoteResponse': return `${head} ${m.reject ? 'rejected' : 'granted'}`;
    case 'snapshot': return `${head} snapshot=${m.snapshot.index}/${m.snapshot.term}`;
    case 'readIndex': return `${head} ctx=${m.ctx}`;
    case 'readIndexResponse': return `${head} ctx=${m.ctx} index=${m.index}`;
    case 'persisted': return `${head} index=${m.index}`;
    case 'timeoutNow': return head;
  }
}
