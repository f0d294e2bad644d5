// The coordination service's client: ZooKeeper's API as promises over one Session stream.
import { EventEmitter } from 'node:events';
import type { coordV1 } from '@ensemble/proto';
import { parseConnectString, shuffled } from './connect-string';
import { CoordError, hasCode } from './errors';
import { CHILDREN_PAGE_SIZE, MAX_ALL_CHILDREN, MAX_OUTSTANDING_REQUESTS_DEFAULT, SET_WATCHES_MAX_BYTES } from './limits';
import { ancestors, checkPath } from './path';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry-policy';
import { SessionEngine, type Reply, type RequestBody } from './session';
import { Transaction } from './transaction';
import type {
  AddWatchMode, ChildrenPage, ClientLogger, ClientState, CreateOptions, Data, MultiOp, MultiResult, Stat,
  WatcherType, WatchEvent, WatchListener,
} from './types';
import { WatchIterator } from './watch-iterator';
import { chunkSnapshot, WatchRegistry, type WatchKind } from './watch-registry';
import { checkTtl, fromOpResult, isSequentialMode, toBuffer, toStat, toWireOp, toWireWatcherType, versionField } from './wire';

export interface ConnectOptions {
  /** Requested session timeout; the server negotiates it within its [min, max]. Default 10 s. */
  sessionTimeoutMs?: number;
  /** How long the first connect may take across all servers. Default: the session timeout. */
  connectTimeoutMs?: number;
  /** Backoff between rounds of connection attempts. */
  retry?: Partial<RetryPolicy>;
  /** Requests in flight or waiting for a connection; more fail with THROTTLED_OP. */
  maxOutstandingRequests?: number;
  logger?: ClientLogger;
  /** Source of randomness in [0, 1) for server order and jitter (inject a seeded one in tests). */
  random?: () => number;
}

/** Options of the reads that may set a watch. */
export interface ReadOptions {
  watch?: WatchListener;
  /**
   * Read the leader's latest committed state (the server first waits for a read index from the
   * leader, like `sync` then read); default: the connected server's state, which may lag.
   */
  linearizable?: boolean;
}

export interface WatchHandle {
  /** Removes this listener; the server watch goes when no local listener is left on it. */
  remove(): Promise<void>;
}

const NO_LOGGER: ClientLogger = { debug: () => undefined, info: () => undefined, warn: () => undefined };

export class CoordClient extends EventEmitter {
  private readonly watches = new WatchRegistry<WatchListener>();

  private constructor(private readonly engine: SessionEngine, private readonly logger: ClientLogger) {
    super();
  }

  /** Connects to one of the servers in `connectString` ("host:port,host:port") and opens a session. */
  static async connect(connectString: string, opts: ConnectOptions = {}): Promise<CoordClient> {
    const parsed = parseConnectString(connectString);
    if (!parsed.ok) throw new CoordError('BAD_ARGUMENTS', { detail: `connect string: ${parsed.reason}` });
    const sessionTimeoutMs = opts.sessionTimeoutMs ?? 10_000;
    if (!Number.isInteger(sessionTimeoutMs) || sessionTimeoutMs <= 0) {
      throw new CoordError('BAD_ARGUMENTS', { detail: `bad sessionTimeoutMs ${sessionTimeoutMs}` });
    }
    const random = opts.random ?? Math.random;
    const logger = opts.logger ?? NO_LOGGER;
    let client: CoordClient | null = null;
    const engine = new SessionEngine(
      {
        servers: shuffled(parsed.servers, random),
        sessionTimeoutMs,
        connectTimeoutMs: opts.connectTimeoutMs ?? sessionTimeoutMs,
        retry: { ...DEFAULT_RETRY_POLICY, ...opts.retry },
        maxOutstandingRequests: opts.maxOutstandingRequests ?? MAX_OUTSTANDING_REQUESTS_DEFAULT,
        random,
        logger,
      },
      {
        onState: (state) => client?.onState(state),
        onHandshake: (resumed) => client?.onHandshake(resumed),
        onEvent: (event) => client?.onServerEvent(event),
      },
    );
    client = new CoordClient(engine, logger);
    await engine.start();
    return client;
  }

  get state(): ClientState {
    return this.engine.state;
  }

  get sessionId(): number {
    return this.engine.sessionId;
  }

  /** The negotiated session timeout. */
  get sessionTimeoutMs(): number {
    return this.engine.timeoutMs;
  }

  /** The highest zxid seen in a reply, event or pong. */
  get lastZxidSeen(): number {
    return this.engine.lastZxidSeen;
  }

  // ---- reads and writes ----

  /** Creates a node; returns its actual path (with the sequence suffix for sequential modes). */
  async create(path: string, data?: Data, opts: CreateOptions = {}): Promise<string> {
    return (await this.createWithStat(path, data, opts)).path;
  }

  async createWithStat(path: string, data?: Data, opts: CreateOptions = {}): Promise<{ path: string; stat: Stat | null }> {
    const mode = opts.mode ?? 'PERSISTENT';
    this.validate(path, isSequentialMode(mode));
    const ttlProblem = checkTtl(mode, opts.ttlMs);
    if (ttlProblem) throw new CoordError('BAD_ARGUMENTS', { path, detail: ttlProblem });
    const reply = await this.call({ create: { path, data: toBuffer(data), mode, ttlMs: opts.ttlMs ?? 0 } }, path);
    return { path: reply.create?.path ?? path, stat: toStat(reply.create?.stat) };
  }

  async delete(path: string, version = -1): Promise<void> {
    this.validate(path);
    await this.call({ delete: { path, ...versionField(version) } }, path);
  }

  /**
   * The node's stat, or null when it does not exist. A watch fires on its creation, change or
   * deletion. Reads are served by the connected server (sequentially consistent); with
   * `linearizable` the server first catches up with the leader's commit point.
   */
  async exists(path: string, opts: ReadOptions = {}): Promise<Stat | null> {
    this.validate(path);
    const watch = opts.watch;
    // ZooKeeper: ExistsWatchRegistration — a data watch if the node exists, an exist watch if not.
    const reply = await this.engine.submit({ exists: { path, watch: !!watch, linearizable: !!opts.linearizable } }, path, (r) => {
      if (!watch) return;
      if (r.error === 'OK' && r.exists?.stat) this.watches.add('data', path, watch);
      else if (r.error === 'OK' || r.error === 'NO_NODE') this.watches.add('exist', path, watch);
    });
    if (reply.error === 'NO_NODE') return null;
    this.throwIfError(reply, path);
    return toStat(reply.exists?.stat);
  }

  async getData(path: string, opts: ReadOptions = {}): Promise<{ data: Buffer; stat: Stat }> {
    this.validate(path);
    const body = { getData: { path, watch: !!opts.watch, linearizable: !!opts.linearizable } };
    const reply = await this.call(body, path, this.registerOnOk('data', path, opts.watch));
    return { data: Buffer.from(reply.getData?.data ?? Buffer.alloc(0)), stat: requireStat(reply.getData?.stat, path) };
  }

  async setData(path: string, data: Data, version = -1): Promise<Stat> {
    this.validate(path);
    const reply = await this.call({ setData: { path, data: toBuffer(data), ...versionField(version) } }, path);
    return requireStat(reply.setData?.stat, path);
  }

  /** One page of children in lexicographic order (all of them when `limit` is 0 or absent). */
  async getChildren(path: string, opts: ReadOptions & { startAfter?: string; limit?: number } = {}): Promise<ChildrenPage> {
    this.validate(path);
    const body = {
      getChildren: { path, watch: !!opts.watch, startAfter: opts.startAfter ?? '', limit: opts.limit ?? 0, linearizable: !!opts.linearizable },
    };
    const reply = await this.call(body, path, this.registerOnOk('child', path, opts.watch));
    const page: ChildrenPage = { children: reply.getChildren?.children ?? [], stat: toStat(reply.getChildren?.stat) };
    if (reply.getChildren?.nextStartAfter) page.nextStartAfter = reply.getChildren.nextStartAfter;
    return page;
  }

  /** Every child, paging through large directories. A watch is set with the first page. */
  async getAllChildren(path: string, opts: { watch?: WatchListener } = {}): Promise<string[]> {
    const all: string[] = [];
    let page = await this.getChildren(path, { watch: opts.watch, limit: CHILDREN_PAGE_SIZE });
    all.push(...page.children);
    while (page.nextStartAfter !== undefined) {
      if (all.length >= MAX_ALL_CHILDREN) throw new CoordError('TOO_LARGE', { path, detail: `more than ${MAX_ALL_CHILDREN} children` });
      page = await this.getChildren(path, { startAfter: page.nextStartAfter, limit: CHILDREN_PAGE_SIZE });
      all.push(...page.children);
    }
    return all;
  }

  /** Paths of this session's ephemeral nodes under `prefix`. */
  async getEphemerals(prefix = '/'): Promise<string[]> {
    this.validate(prefix);
    const reply = await this.call({ getEphemerals: { prefix } }, prefix);
    return reply.getEphemerals?.paths ?? [];
  }

  /** Number of all descendants of a node. */
  async getAllChildrenNumber(path: string): Promise<number> {
    this.validate(path);
    const reply = await this.call({ getAllChildrenNumber: { path } }, path);
    return reply.getAllChildrenNumber?.totalNumber ?? 0;
  }

  /** Waits until the connected server has applied everything committed before the call. */
  async sync(path: string): Promise<void> {
    this.validate(path);
    await this.call({ sync: { path } }, path);
  }

  /** Applies all ops atomically; throws a CoordError with per-op `results` if any op fails. */
  async multi(ops: MultiOp[]): Promise<MultiResult[]> {
    for (const op of ops) {
      this.validate(op.path, op.type === 'create' && isSequentialMode(op.mode ?? 'PERSISTENT'));
      const ttlProblem = op.type === 'create' ? checkTtl(op.mode ?? 'PERSISTENT', op.ttlMs) : null;
      if (ttlProblem) throw new CoordError('BAD_ARGUMENTS', { path: op.path, detail: ttlProblem });
    }
    const reply = await this.engine.submit({ multi: { ops: ops.map(toWireOp) } });
    const results = (reply.multi?.results ?? []).map(fromOpResult);
    // ZooKeeper: a failed multi throws the first op's own error; the others read RUNTIME_INCONSISTENCY.
    const failed = results.findIndex((r) => r.type === 'error' && r.code !== 'OK' && r.code !== 'RUNTIME_INCONSISTENCY');
    if (failed < 0 && reply.error === 'OK') return results;
    const failure = results[failed];
    const code = failure?.type === 'error' ? failure.code : reply.error === 'OK' ? 'RUNTIME_INCONSISTENCY' : reply.error;
    const err = new CoordError(code, { path: ops[failed]?.path, detail: reply.errorMessage || undefined });
    err.results = results;
    throw err;
  }

  transaction(): Transaction {
    return new Transaction(this);
  }

  /** Creates the node and any missing ancestors as empty persistent nodes (Curator: ensurePath). */
  async mkdirp(path: string): Promise<void> {
    this.validate(path);
    for (const p of [...ancestors(path).slice(1), path]) {
      try {
        await this.create(p);
      } catch (err) {
        if (!hasCode(err, 'NODE_EXISTS')) throw err;
      }
    }
  }

  // ---- watches ----

  /** Adds a persistent (or persistent-recursive) watch; it stays until removed or the session ends. */
  async addWatch(path: string, mode: AddWatchMode, listener: WatchListener): Promise<WatchHandle> {
    this.validate(path);
    // Registered before the request so a concurrent removal of another listener on the same
    // path sees this one and keeps the server's watch.
    this.watches.add(mode, path, listener);
    const wireMode = mode === 'persistent' ? 'PERSISTENT_WATCH' : 'PERSISTENT_RECURSIVE_WATCH';
    try {
      await this.call({ addWatch: { path, mode: wireMode } }, path);
    } catch (err) {
      this.watches.remove(mode, path, listener);
      throw err;
    }
    let removed = false;
    return {
      remove: async () => {
        if (removed) return;
        removed = true;
        if (this.watches.remove(mode, path, listener)) await this.removeServerWatch(path, mode);
      },
    };
  }

  private async removeServerWatch(path: string, mode: AddWatchMode): Promise<void> {
    if (this.state === 'expired' || this.state === 'closed') return;
    try {
      await this.call({ removeWatches: { path, type: toWireWatcherType(mode) } }, path);
    } catch (err) {
      // The watch is gone anyway: never set, or dropped with the connection or the session.
      if (!hasCode(err, 'NO_WATCHER', 'CONNECTION_LOSS', 'SESSION_EXPIRED')) throw err;
    }
  }

  /**
   * Removes the watches of `type` on `path`; their listeners get a *_WATCH_REMOVED event.
   * ZooKeeper: fails with NoWatcher, without asking the server, when there is none locally.
   */
  async removeWatches(path: string, type: WatcherType = 'any'): Promise<void> {
    this.validate(path);
    if (!this.watches.hasAny(path, type)) throw new CoordError('NO_WATCHER', { path });
    await this.call({ removeWatches: { path, type: toWireWatcherType(type) } }, path, (r) => {
      if (r.error === 'OK') this.deliverRemoved(path, type);
    });
  }

  /** Persistent watch events on `path` (and below it with `recursive`) as an async iterator. */
  watchEvents(path: string, opts: { recursive?: boolean } = {}): WatchIterator {
    let iterator: WatchIterator | null = null;
    const listener: WatchListener = (event) => {
      if (event.type === 'NONE') {
        if (event.state === 'expired') iterator?.fail(new CoordError('SESSION_EXPIRED', { path }));
        else iterator?.end();
      } else if (event.type === 'PERSISTENT_WATCH_REMOVED') iterator?.end();
      else iterator?.push(event);
    };
    const handle = this.addWatch(path, opts.recursive ? 'persistentRecursive' : 'persistent', listener);
    iterator = new WatchIterator(handle.then(() => undefined), async () => {
      const h = await handle.catch(() => null);
      await h?.remove();
    });
    return iterator;
  }

  private registerOnOk(kind: WatchKind, path: string, watch: WatchListener | undefined): ((r: Reply) => void) | undefined {
    if (!watch) return undefined;
    return (r) => {
      if (r.error === 'OK') this.watches.add(kind, path, watch);
    };
  }

  private onServerEvent(event: coordV1.WatchEvent__Output): void {
    const e: WatchEvent = { type: event.type, path: event.path, zxid: event.zxid, state: 'connected' };
    switch (event.type) {
      case 'DATA_WATCH_REMOVED': return this.deliverRemoved(event.path, 'data');
      case 'CHILD_WATCH_REMOVED': return this.deliverRemoved(event.path, 'children');
      case 'PERSISTENT_WATCH_REMOVED':
        this.deliverRemoved(event.path, 'persistent');
        return this.deliverRemoved(event.path, 'persistentRecursive');
      case 'NONE': return;
      default:
        for (const listener of this.watches.materialize(event.type, event.path)) this.deliver(listener, e);
    }
  }

  private deliverRemoved(path: string, type: WatcherType): void {
    for (const { watcher, type: eventType } of this.watches.removeAll(path, type)) {
      this.deliver(watcher, { type: eventType, path, zxid: this.lastZxidSeen, state: 'connected' });
    }
  }

  private deliver(listener: WatchListener, event: WatchEvent): void {
    try {
      listener(event);
    } catch (err) {
      this.logger.warn('watch listener threw', { path: event.path, type: event.type, error: String(err) });
    }
  }

  // ZooKeeper: ClientCnxn.primeConnection — after a resume, every outstanding watch is
  // re-registered in SetWatches with the last zxid seen; the server fires what was missed.
  private onHandshake(resumed: boolean): void {
    if (!resumed || this.watches.isEmpty()) return;
    for (const chunk of chunkSnapshot(this.watches.snapshot(), SET_WATCHES_MAX_BYTES)) {
      const body: RequestBody = {
        setWatches: {
          relativeZxid: this.engine.lastZxidSeen, dataWatches: chunk.data, existWatches: chunk.exist,
          childWatches: chunk.child, persistentWatches: chunk.persistent, persistentRecursiveWatches: chunk.persistentRecursive,
        },
      };
      this.engine.submit(body).then(
        (r) => r.error !== 'OK' && this.logger.warn('set watches failed', { error: r.error, detail: r.errorMessage }),
        (err: unknown) => this.logger.debug('set watches not answered', { error: String(err) }),
      );
    }
  }

  private onState(state: ClientState): void {
    if (state === 'expired' || state === 'closed') {
      const event: WatchEvent = { type: 'NONE', path: '', zxid: this.lastZxidSeen, state };
      for (const listener of this.watches.clear()) this.deliver(listener, event);
    }
    this.emit(state);
    this.emit('state', state);
  }

  // ---- session ----

  /** Resolves when connected (at once if already); rejects when the session is over. */
  whenConnected(timeoutMs?: number): Promise<void> {
    if (this.state === 'connected') return Promise.resolve();
    if (this.state === 'expired' || this.state === 'closed') {
      return Promise.reject(new CoordError('SESSION_EXPIRED', { detail: `client is ${this.state}` }));
    }
    return new Promise<void>((resolve, reject) => {
      const timer = timeoutMs === undefined ? undefined : setTimeout(() => settle(new CoordError('CONNECTION_LOSS', { detail: `not connected within ${timeoutMs} ms` })), timeoutMs);
      const onState = (state: ClientState): void => {
        if (state === 'connected') settle(null);
        else if (state === 'expired' || state === 'closed') settle(new CoordError('SESSION_EXPIRED', { detail: `client is ${state}` }));
      };
      const settle = (err: CoordError | null): void => {
        clearTimeout(timer);
        this.off('state', onState);
        if (err) reject(err);
        else resolve();
      };
      this.on('state', onState);
    });
  }

  /** Closes the session; the server deletes its ephemeral nodes. Pending requests fail. */
  close(): Promise<void> {
    return this.engine.close();
  }

  /** Test hook: breaks the stream as a network fault would; with `hold`, stays disconnected until the returned function runs. */
  _dropConnection(opts: { hold?: boolean } = {}): () => void {
    return this.engine.dropConnection(opts);
  }

  // ---- helpers ----

  private validate(path: string, sequential = false): void {
    const check = checkPath(path, { sequential });
    if (!check.ok) throw new CoordError('INVALID_PATH', { path, detail: check.reason });
  }

  private async call(body: RequestBody, path?: string, onReply?: (r: Reply) => void): Promise<Reply> {
    const reply = await this.engine.submit(body, path, onReply);
    this.throwIfError(reply, path);
    return reply;
  }

  private throwIfError(reply: Reply, path?: string): void {
    if (reply.error && reply.error !== 'OK') throw new CoordError(reply.error, { path, detail: reply.errorMessage || undefined });
  }
}

function requireStat(stat: coordV1.Stat__Output | null | undefined, path: string): Stat {
  const out = toStat(stat);
  if (!out) throw new CoordError('MARSHALLING_ERROR', { path, detail: 'reply without a stat' });
  return out;
}
