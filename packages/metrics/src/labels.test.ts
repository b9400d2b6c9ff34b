import { describe, expect, it } from 'vitest';
import {
  INTERNAL_OPERATION_PREFIX,
  LabelCap,
  MAX_OPERATION_LABELS,
  OTHER_LABEL,
  operationLabel,
  operationNameCap,
} from './labels.ts';
import { SDK_OPERATION_NAMES } from './sdk-operations.ts';

describe('operationLabel', () => {
  it('names anonymous operations, the gateway’s own queries and planned subgraph fetches', () => {
    const cap = operationNameCap();
    expect(operationLabel(undefined, cap)).toBe('anonymous');
    expect(operationLabel('', cap)).toBe('anonymous');
    expect(operationLabel(`${INTERNAL_OPERATION_PREFIX}0123abcd`, cap)).toBe('internal');
    expect(operationLabel(`${INTERNAL_OPERATION_PREFIX}0123abcd__message__0`, cap)).toBe('internal');
    expect(operationLabel('SendMessage__message__0', cap)).toBe('SendMessage');
    expect(operationLabel('Chats__user__12', cap)).toBe('Chats');
    expect(operationLabel('SendMessage', cap)).toBe('SendMessage');
  });

  it('counts a name that does not look like one as other', () => {
    const cap = operationNameCap();
    for (const name of ['1st', 'with space', 'dash-ed', 'é', `A${'b'.repeat(64)}`, '{"json":1}']) {
      expect(operationLabel(name, cap)).toBe(OTHER_LABEL);
    }
    expect(operationLabel(`A${'b'.repeat(63)}`, cap)).toBe(`A${'b'.repeat(63)}`);
  });

  it('keeps the first names up to the cap (less the SDK’s operations), then counts new ones as other', () => {
    const cap = operationNameCap();
    const room = MAX_OPERATION_LABELS - SDK_OPERATION_NAMES.length;
    for (let index = 0; index < room; index += 1) {
      expect(operationLabel(`Op${index}`, cap)).toBe(`Op${index}`);
    }
    expect(operationLabel('OneTooMany', cap)).toBe(OTHER_LABEL);
    expect(operationLabel('Op0', cap)).toBe('Op0');
    expect(operationLabel(`Op${room - 1}`, cap)).toBe(`Op${room - 1}`);
    // Each cap is its own: another plugin instance starts empty.
    expect(operationLabel('OneTooMany', operationNameCap())).toBe('OneTooMany');
  });
});

describe('operationLabel and the SDK’s operations', () => {
  it('always gives the SDK’s operations their own label; other names share what is left of the cap', () => {
    const cap = operationNameCap();
    const shared = MAX_OPERATION_LABELS - SDK_OPERATION_NAMES.length;
    expect(shared).toBeGreaterThanOrEqual(20);
    for (let index = 0; index < 500; index += 1) operationLabel(`Junk${index}`, cap);
    expect(operationLabel(`Junk${shared - 1}`, cap)).toBe(`Junk${shared - 1}`);
    expect(operationLabel(`Junk${shared}`, cap)).toBe(OTHER_LABEL);
    for (const name of SDK_OPERATION_NAMES) {
      expect(operationLabel(name, cap)).toBe(name);
      expect(operationLabel(`${name}__message__3`, cap)).toBe(name);
    }
    expect(operationLabel(`${INTERNAL_OPERATION_PREFIX}beef`, cap)).toBe('internal');
  });
});

describe('LabelCap', () => {
  it('never keeps a value its pattern refuses, even with room left', () => {
    const cap = new LabelCap({ pattern: /^[a-z]+$/, max: 2 });
    expect([cap.of('Upper'), cap.of('a'), cap.of('b'), cap.of('c'), cap.of('a')]).toEqual([
      OTHER_LABEL,
      'a',
      'b',
      OTHER_LABEL,
      'a',
    ]);
  });

  it('keeps its reserved values always, and at most `max` values in all', () => {
    const cap = new LabelCap({ pattern: /^[a-z]+$/, max: 3, reserved: ['r'] });
    expect(['a', 'b', 'c', 'r', 'a'].map((value) => cap.of(value))).toEqual(['a', 'b', OTHER_LABEL, 'r', 'a']);
  });
});
