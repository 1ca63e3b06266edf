/**
 * A linearizability checker for a register with compare-and-set (Wing & Gong's search with
 * porcupine's memoisation of (linearized set, state)). Operations on different keys are checked
 * independently (linearizability is local).
 *
 * An operation whose outcome is unknown (the client saw an error) may have taken effect at any
 * point after its call, or never: it is given an infinite return time and either outcome.
 */

export type Input =
  { op: 'read' } | { op: 'write'; value: string } | { op: 'cas'; expected: string; value: string };

/** `null` = outcome unknown. For read: the value read ('' = absent); for cas: whether it swapped. */
export type Output = { value?: string; ok?: boolean } | null;

export interface Operation {
  key: string;
  input: Input;
  output: Output;
  /** Times from a monotonic clock (e.g. performance.now()). */
  call: number;
  return: number;
}

type State = string;

/** The register model: the next state, or undefined when `output` is impossible from `state`. */
function step(state: State, input: Input, output: Output): State[] {
  switch (input.op) {
    case 'read':
      return output === null || output.value === state ? [state] : [];
    case 'write':
      return [input.value];
    case 'cas':
      if (output === null) return state === input.expected ? [input.value, state] : [state];
      if (output.ok) return state === input.expected ? [input.value] : [];
      return state !== input.expected ? [state] : [];
  }
}

interface Entry {
  id: number;
  isCall: boolean;
  time: number;
  prev: Entry | undefined;
  next: Entry | undefined;
  match: Entry | undefined;
}

/** Whether the operations on one key are linearizable from `initial`. */
export function checkRegister(ops: Operation[], initial: State = ''): boolean {
  // Entries sorted by time; calls before returns at equal times (conservative).
  const events: { id: number; isCall: boolean; time: number }[] = [];
  ops.forEach((o, id) => {
    events.push({ id, isCall: true, time: o.call });
    events.push({ id, isCall: false, time: o.output === null ? Infinity : o.return });
  });
  events.sort((a, b) => a.time - b.time || (a.isCall === b.isCall ? 0 : a.isCall ? -1 : 1));
  const head: Entry = {
    id: -1,
    isCall: false,
    time: -Infinity,
    prev: undefined,
    next: undefined,
    match: undefined,
  };
  let tail = head;
  const calls = new Map<number, Entry>();
  for (const e of events) {
    const entry: Entry = { ...e, prev: tail, next: undefined, match: undefined };
    tail.next = entry;
    tail = entry;
    if (e.isCall) calls.set(e.id, entry);
    else {
      const call = calls.get(e.id)!;
      call.match = entry;
      entry.match = call;
    }
  }
  const lift = (call: Entry): void => {
    call.prev!.next = call.next;
    if (call.next) call.next.prev = call.prev;
    const ret = call.match!;
    ret.prev!.next = ret.next;
    if (ret.next) ret.next.prev = ret.prev;
  };
  const unlift = (call: Entry): void => {
    const ret = call.match!;
    ret.prev!.next = ret;
    if (ret.next) ret.next.prev = ret;
    call.prev!.next = call;
    if (call.next) call.next.prev = call;
  };

  const linearized = new Uint8Array(ops.length);
  const seen = new Set<string>();
  const stack: { call: Entry; state: State; alternatives: State[] }[] = [];
  let state = initial;
  let entry = head.next;
  const memoKey = (s: State): string => `${s}|${Buffer.from(linearized).toString('base64')}`;
  while (head.next) {
    if (!entry) return false;
    if (entry.isCall) {
      const op = ops[entry.id]!;
      const nexts = step(state, op.input, op.output);
      let advanced = false;
      while (nexts.length > 0) {
        const candidate = nexts.shift()!;
        linearized[entry.id] = 1;
        const key = memoKey(candidate);
        if (!seen.has(key)) {
          seen.add(key);
          stack.push({ call: entry, state, alternatives: nexts });
          state = candidate;
          lift(entry);
          entry = head.next;
          advanced = true;
          break;
        }
        linearized[entry.id] = 0;
      }
      if (!advanced) entry = entry.next;
    } else {
      // The first remaining return belongs to an operation not yet linearized: backtrack.
      let resumed = false;
      while (!resumed) {
        const top = stack.pop();
        if (!top) return false;
        unlift(top.call);
        linearized[top.call.id] = 0;
        state = top.state;
        // Try the operation's other possible outcome before moving on.
        while (top.alternatives.length > 0) {
          const candidate = top.alternatives.shift()!;
          linearized[top.call.id] = 1;
          const key = memoKey(candidate);
          if (!seen.has(key)) {
            seen.add(key);
            stack.push(top);
            state = candidate;
            lift(top.call);
            entry = head.next;
            resumed = true;
            break;
          }
          linearized[top.call.id] = 0;
        }
        if (!resumed) {
          entry = top.call.next;
          resumed = true;
        }
      }
    }
  }
  return true;
}

/** Checks every key's history; returns the keys whose history is not linearizable. */
export function checkHistory(ops: Operation[]): string[] {
  const byKey = new Map<string, Operation[]>();
  for (const o of ops) byKey.set(o.key, [...(byKey.get(o.key) ?? []), o]);
  return [...byKey].filter(([, list]) => !checkRegister(list)).map(([k]) => k);
}
