import { checkHistoryJson, checkLinearizable } from '../../src/checker';
import { HISTORY_FORMAT, historyFromJson, historyToJson } from '../../src/history';
import { HistoryRecorder } from '../../src/history-recorder';
import { zi, zo } from './support/ops';

function counterClock(): () => number {
  let nowMs = 0;
  return () => (nowMs += 1);
}

describe('HistoryRecorder', () => {
  test('records call and return times from the injected clock', () => {
    const recorder = new HistoryRecorder(counterClock());
    const a = recorder.begin(1, '/a', zi.create('x'));
    const b = recorder.begin(2, '/a', zi.get(), 'sequential');
    recorder.end(a, zo.ok());
    recorder.end(b, zo.fail('NO_NODE'));
    expect(recorder.history()).toEqual([
      { clientId: 1, key: '/a', input: zi.create('x'), output: zo.ok(), callMs: 1, returnMs: 3 },
      { clientId: 2, key: '/a', input: zi.get(), output: zo.fail('NO_NODE'), callMs: 2, returnMs: 4, consistency: 'sequential' },
    ]);
    expect(checkLinearizable(recorder.history()).ok).toBe(true);
  });

  test('an unknown outcome returns at Infinity, and so does a call still pending', () => {
    const recorder = new HistoryRecorder(counterClock());
    recorder.endUnknown(recorder.begin(1, '/a', zi.create('x')));
    recorder.begin(2, '/a', zi.set('y'));
    expect(recorder.pendingCount).toBe(1);
    const history = recorder.history();
    expect(history.map((o) => [o.output, o.returnMs])).toEqual([[null, Infinity], [null, Infinity]]);
  });

  test('ending a token twice, or one never begun, is a bug', () => {
    const recorder = new HistoryRecorder(counterClock());
    const token = recorder.begin(1, '/a', zi.get());
    recorder.end(token, zo.fail('NO_NODE'));
    expect(() => recorder.end(token, zo.fail('NO_NODE'))).toThrow(/never begun or has already ended/);
    expect(() => recorder.endUnknown(999)).toThrow(/never begun/);
  });

  test('a clock going backwards is refused', () => {
    const times = [5, 3];
    const recorder = new HistoryRecorder(() => times.shift() as number);
    const token = recorder.begin(1, '/a', zi.get());
    expect(() => recorder.end(token, zo.fail('NO_NODE'))).toThrow(/went backwards/);
  });

  test('the number of operations is limited', () => {
    const recorder = new HistoryRecorder(counterClock(), { operationsMax: 2 });
    recorder.begin(1, '/a', zi.get());
    recorder.begin(1, '/a', zi.get());
    expect(() => recorder.begin(1, '/a', zi.get())).toThrow(/operationsMax=2/);
  });
});

describe('saving and replaying a history', () => {
  function failingRecording(): HistoryRecorder {
    const recorder = new HistoryRecorder(counterClock(), { initialStates: { '/a': { exists: true, data: 'x', version: 4 } } });
    recorder.end(recorder.begin(1, '/a', zi.set('y', 4)), zo.ok({ version: 5 }));
    recorder.endUnknown(recorder.begin(1, '/a', zi.delete()));
    recorder.end(recorder.begin(2, '/a', zi.get()), zo.ok({ data: 'x', version: 4 })); // lost write
    return recorder;
  }

  test('JSON round trip keeps unknown outcomes and initial states', () => {
    const recorder = failingRecording();
    const text = recorder.toJson();
    expect(JSON.parse(text).format).toBe(HISTORY_FORMAT);
    const { history, initialStates } = historyFromJson(text);
    expect(history).toEqual(recorder.history());
    expect(initialStates).toEqual({ '/a': { exists: true, data: 'x', version: 4 } });
  });

  test('a saved failing history fails again when re-checked, with the same explanation', () => {
    const recorder = failingRecording();
    const replayed = checkHistoryJson(recorder.toJson());
    expect(replayed.ok).toBe(false);
    if (replayed.ok === false) expect(replayed.explanation.blocking.index).toBe(2);
  });

  test('without its initial states the same history reads differently', () => {
    const { history } = historyFromJson(failingRecording().toJson());
    const result = checkLinearizable(history);
    expect(result.ok).toBe(false);
    if (result.ok === false) {
      // Nobody wrote the 'x' that client 2 read: only the initial state explains it.
      expect(result.explanation.cause).toBe('value-never-written');
      expect(result.explanation.blocking.index).toBe(2);
    }
  });

  test('historyToJson writes null for Infinity, which JSON lacks', () => {
    const text = historyToJson([{ clientId: 1, key: '/a', input: zi.get(), output: null, callMs: 0, returnMs: Infinity }]);
    expect(JSON.parse(text).operations[0].returnMs).toBeNull();
  });

  test.each([
    ['not a history', '{"format":"something-else","operations":[]}', /format is not/],
    ['a bad op', `{"format":"${HISTORY_FORMAT}","operations":[{"clientId":1,"key":"/a","input":{"op":"rename"},"output":null,"callMs":0,"returnMs":null}]}`, /operation 0: unknown op "rename"/],
    ['a bad code', `{"format":"${HISTORY_FORMAT}","operations":[{"clientId":1,"key":"/a","input":{"op":"get"},"output":{"ok":false,"code":"OOPS"},"callMs":0,"returnMs":1}]}`, /operation 0: unknown error code/],
    ['a missing call time', `{"format":"${HISTORY_FORMAT}","operations":[{"clientId":1,"key":"/a","input":{"op":"get"},"output":null,"returnMs":null}]}`, /callMs is not a finite number/],
  ])('a malformed file is refused: %s', (_name, text, error) => {
    expect(() => historyFromJson(text)).toThrow(error);
  });
});
