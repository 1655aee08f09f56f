/**
 * Runs the shared change vectors (tests/vectors/changes.json) against the client's topic model.
 * The host's engine runs the same file, so both sides validate and transform changes alike.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ChangeDict, InvalidChangeError, TopicModel, deepEqual, isTopicTypeName } from '../src/index.js';

interface Step {
  change: ChangeDict;
  expect?: unknown;
  expect_version?: string;
  error?: boolean;
}

interface Case {
  name: string;
  topic_type: string;
  start?: unknown;
  start_version?: string;
  steps: Step[];
}

const vectorsPath = process.env['OBJECTSYNC_VECTORS']
  ?? fileURLToPath(new URL('../../../tests/vectors/changes.json', import.meta.url));
const data = JSON.parse(readFileSync(vectorsPath, 'utf8')) as { cases: Case[] };

test('vector file is well formed', () => {
  assert.ok(Array.isArray(data.cases) && data.cases.length >= 60, 'at least 60 cases');
  const names = new Set<string>();
  for (const c of data.cases) {
    assert.ok(!names.has(c.name), `duplicate case name ${c.name}`);
    names.add(c.name);
    assert.ok(isTopicTypeName(c.topic_type), `${c.name}: topic_type`);
    assert.ok(c.steps.length > 0, `${c.name}: steps`);
    for (const s of c.steps) assert.ok(s.error === true || 'expect' in s, `${c.name}: each step has expect or error`);
  }
});

test('vectors cover every change kind', () => {
  const seen = new Set<string>();
  for (const c of data.cases) for (const s of c.steps) seen.add(`${c.topic_type}/${s.change.type}/${s.error ? 'error' : 'ok'}`);
  const required = [
    'generic/set/ok', 'string/set/ok', 'string/set/error', 'int/set/ok', 'int/set/error', 'float/set/ok', 'float/set/error',
    'set/set/ok', 'set/set/error', 'list/set/ok', 'list/set/error', 'dict/set/ok', 'dict/set/error', 'event/set/error',
    'int/add/ok', 'int/add/error', 'float/add/ok', 'float/add/error',
    'string/insert/ok', 'string/insert/error', 'string/delete/ok', 'string/delete/error',
    'set/append/ok', 'set/append/error', 'set/remove/ok', 'set/remove/error',
    'list/insert/ok', 'list/insert/error', 'list/pop/ok', 'list/pop/error',
    'dict/add/ok', 'dict/add/error', 'dict/pop/ok', 'dict/pop/error', 'dict/change_value/ok', 'dict/change_value/error',
    'event/emit/ok', 'event/emit/error',
  ];
  for (const r of required) assert.ok(seen.has(r), `no vector for ${r}`);
});

for (const c of data.cases) {
  test(`vector: ${c.name}`, () => {
    if (!isTopicTypeName(c.topic_type)) throw new Error('bad topic type');
    const model = new TopicModel(c.topic_type, (c.start ?? null) as never, c.start_version);
    c.steps.forEach((step, i) => {
      const before = model.value;
      const versionBefore = model.version;
      if (step.error === true) {
        assert.throws(() => model.apply(step.change), InvalidChangeError, `step ${i}: should be refused`);
        assert.ok(deepEqual(model.value, before), `step ${i}: a refused change must leave the value unchanged`);
        assert.equal(model.version, versionBefore, `step ${i}: a refused change must leave the version unchanged`);
      } else {
        model.apply(step.change);
        assert.ok(deepEqual(model.value, step.expect ?? null),
          `step ${i}: expected ${JSON.stringify(step.expect)}, got ${JSON.stringify(model.value)}`);
        if (c.topic_type === 'string') {
          assert.equal(model.version, step.change['result_topic_version'] ?? step.change.id, `step ${i}: version`);
        }
        if (step.expect_version !== undefined) assert.equal(model.version, step.expect_version, `step ${i}: expect_version`);
      }
    });
  });
}
