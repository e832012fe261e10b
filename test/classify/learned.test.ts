import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readLearned, SHIPPED_MODEL_URL } from '../../src/classify/learned/index.ts';
import { createReader, trainModel } from '../../src/classify/learned/model.ts';
import { learnedTokens } from '../../src/classify/learned/tokens.ts';
import { TRAINING_SETS, trainingExamples } from '../../src/eval/training.ts';
import { decide } from '../../src/policy/decide.ts';
import { buyer, input, lead } from '../policy/fixtures.ts';

describe('the learned reader', () => {
  it('ships the model its training sets give, byte for byte (npm run train-key rebuilds it)', () => {
    const fresh = trainModel(trainingExamples(TRAINING_SETS));
    expect(fresh === readFileSync(SHIPPED_MODEL_URL, 'utf8'), 'src/classify/learned/model.json is stale: run npm run train-key').toBe(true);
  });

  it('reads words as every matcher does: folded, lower-cased, digits as 0, a link as one token, unspaced scripts split', () => {
    expect(learnedTokens('Pri\u200bcing for ＳＥＡＴＳ: INV-2026-0412')).toEqual(['pricing', 'for', 'seats', 'inv', '0', '0', 'pricing_for', 'for_seats', 'seats_inv', 'inv_0', '0_0']);
    expect(learnedTokens('see https://evil.example/x?a=1 or mail bob@evil.example')).toEqual(['see', 'zlinkz', 'or', 'mail', 'zlinkz', 'see_zlinkz', 'zlinkz_or', 'or_mail', 'mail_zlinkz']);
    expect(learnedTokens('価格を教えてください').length).toBeGreaterThan(1);
  });

  it('learns from examples, and says nothing of a message with no word it has seen', () => {
    const read = createReader(trainModel([
      { message: 'we want a demo and pricing for our team', intent: 'buying' },
      { message: 'cheap backlinks and guest posts for your site', intent: 'spam' },
      { message: 'the export button is broken, please help', intent: 'support' },
    ]));
    expect(read('pricing for a demo please').intent).toBe('buying');
    expect(read('guest posts, cheap').intent).toBe('spam');
    expect(read('qqzx vvrt')).toEqual({ intent: null, p: { buying: 0, researching: 0, support: 0, spam: 0, unclear: 0 }, odds: { buying: -Infinity, researching: -Infinity, support: -Infinity, spam: -Infinity, unclear: -Infinity } });
  });

  it('tells a pitch from a buyer in messages written for this test', () => {
    expect(readLearned('Our offshore team of 300 engineers can extend your developers at $25/hour. Shall I send our rate card?').intent).toBe('spam');
    expect(readLearned('We are a 120-person retailer moving off Google Analytics; could we book a demo and get pricing for 15 seats?').intent).toBe('buying');
    expect(readLearned('Since this morning our dashboards show no events and the SDK returns 401. Can someone look?').intent).toBe('support');
  });

  it("puts its reading on the card beside the rules' reading", () => {
    const d = decide(input({ c: buyer, lead: lead({ message: 'We are a 120-person retailer moving off Google Analytics; could we book a demo and get pricing for 15 seats?' }) }));
    expect(d.readings?.rules).toMatch(/learned: buying 1\.00/);
  });
});
