import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadPolicy } from '../../src/policy/load.ts';
import { getPolicyVersion, promptFilesText, promptVersions, recordPolicyVersion, recordPromptVersion, textHash } from '../../src/policy/versions.ts';
import { openDb } from '../../src/store/db.ts';

const dir = mkdtempSync(join(tmpdir(), 'lt-versions-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('policy and prompt versions, stored by hash', () => {
  it('stores the policy file under the hash decisions record, once; a hash never gets another text', () => {
    const db = openDb(':memory:');
    const path = join(dir, 'policy.json');
    const text = readFileSync('data/policy.json', 'utf8');
    writeFileSync(path, text);
    const loaded = loadPolicy(path);
    expect(recordPolicyVersion(db, loaded)).toBe(true);
    expect(recordPolicyVersion(db, loaded)).toBe(true);
    expect(db.prepare('SELECT COUNT(*) FROM policy_versions').pluck().get()).toBe(1);
    expect(getPolicyVersion(db, loaded.hash)).toMatchObject({ hash: loaded.hash, kind: 'policy', version: '2026-11-example', source: path, text });
    expect(() => db.prepare("UPDATE policy_versions SET text = 'x'").run()).toThrow(/written once/);
  });

  it('does not store a text that no longer hashes to what was loaded (the file was edited since)', () => {
    const db = openDb(':memory:');
    const path = join(dir, 'edited.json');
    writeFileSync(path, readFileSync('data/policy.json', 'utf8'));
    const loaded = loadPolicy(path);
    writeFileSync(path, readFileSync('data/policy.json', 'utf8').replace('"confidence_floor": 0.75', '"confidence_floor": 0.8'));
    expect(recordPolicyVersion(db, loaded)).toBe(false);
    expect(getPolicyVersion(db, loaded.hash)).toBeNull();
  });

  it("keys a prompt by its version and the hash of its files' text; a changed text under one version is a second row", () => {
    const db = openDb(':memory:');
    const files = promptFilesText('classify.v2');
    expect(files?.source).toBe('prompts/classify.v2.md + prompts/classify.v2.examples.json');
    expect(files?.text.startsWith(readFileSync('prompts/classify.v2.md', 'utf8'))).toBe(true);
    expect(promptFilesText('offline-v2')).toBeNull();
    expect(promptFilesText('../package')).toBeNull();
    const hash = recordPromptVersion(db, 'classify.v2', files!.text, files!.source);
    expect(hash).toBe(textHash(files!.text));
    recordPromptVersion(db, 'classify.v2', files!.text, files!.source);
    recordPromptVersion(db, 'classify.v2', `${files!.text}\nedited`, files!.source);
    expect(promptVersions(db, 'classify.v2').map((v) => v.text.endsWith('edited'))).toEqual([false, true]);
  });
});
