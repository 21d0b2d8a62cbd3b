// Pure checks and masks of a person's record.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isKnownRegion } from '../core/regions.ts';
import {
  hukouFromIdRegion,
  maskBankAccount,
  maskPhone,
  normalizeBankAccount,
  normalizeName,
  normalizePhone,
  poolingRegionOf,
  regionContains,
  regionLikePattern,
} from './person.rules.ts';

describe('person rules', () => {
  test('phones: mainland mobile 1[3-9] + 9 digits, or a landline with area code', () => {
    assert.equal(normalizePhone('138 0013 8000'), '13800138000');
    assert.equal(normalizePhone('+8613800138000'), '13800138000');
    assert.equal(normalizePhone('0563-2345678'), '0563-2345678');
    assert.equal(normalizePhone('01012345678'), '01012345678');
    for (const bad of ['12800138000', '1380013800', '138001380001', '2345678', 'abc']) {
      assert.throws(
        () => normalizePhone(bad),
        (e: { code?: string; field?: string }) => e.code === 'SB_ERR_INVALID_PHONE' && e.field === 'phone',
        bad,
      );
    }
  });

  test('bank accounts: 12 to 30 digits, group separators dropped', () => {
    assert.equal(normalizeBankAccount('6222 0212 3456 7890 123'), '6222021234567890123');
    assert.equal(normalizeBankAccount('123456789012'), '123456789012');
    assert.throws(() => normalizeBankAccount('12345678901'), { code: 'SB_ERR_INVALID_BANK_ACCOUNT' });
    assert.throws(() => normalizeBankAccount('1'.repeat(31)), { code: 'SB_ERR_INVALID_BANK_ACCOUNT' });
    assert.throws(() => normalizeBankAccount('6222x21234567890'), { code: 'SB_ERR_INVALID_BANK_ACCOUNT' });
  });

  test('names are trimmed and 1–100 characters', () => {
    assert.equal(normalizeName('  张  三 '), '张 三');
    assert.throws(() => normalizeName('   '), { code: 'SB_ERR_VALIDATION' });
  });

  test('masks show only what a list needs', () => {
    assert.equal(maskPhone('13812345678'), '138****5678');
    assert.equal(maskPhone('0563-2345678'), '0563******78');
    assert.equal(maskPhone(null), null);
    assert.equal(maskBankAccount('6222021234567890123'), '***************0123');
    assert.equal(maskBankAccount(null), null);
  });

  test('the hukou an ID number implies climbs to the nearest known region', () => {
    assert.equal(hukouFromIdRegion('341802', isKnownRegion), '341802');
    assert.equal(hukouFromIdRegion('341899', isKnownRegion), '341800', 'an unlisted county → its city');
    assert.equal(hukouFromIdRegion('440305', isKnownRegion), '440305', 'Nanshan is in the GB/T 2260 table');
    assert.equal(hukouFromIdRegion('410102', isKnownRegion), '410102', 'Zhengzhou Zhongyuan district');
    assert.equal(hukouFromIdRegion('469001', isKnownRegion), '469001', 'a county-level city of Hainan');
    assert.equal(
      hukouFromIdRegion('419099', isKnownRegion),
      '419000',
      'an unlisted county-level city → its group',
    );
  });

  test('regions: pooling at city level, containment and LIKE patterns', () => {
    assert.equal(poolingRegionOf('341802'), '341800');
    assert.equal(poolingRegionOf('440300'), '440300');
    assert.ok(regionContains('341800', '341821'));
    assert.ok(!regionContains('341800', '340100'));
    assert.ok(regionContains('340000', '340100'));
    assert.ok(regionContains('000000', '440300'));
    assert.ok(!regionContains('341802', '341821'));
    assert.equal(regionLikePattern('341800'), '3418%');
    assert.equal(regionLikePattern('340000'), '34%');
    assert.equal(regionLikePattern('000000'), '%');
    assert.equal(regionLikePattern('341802'), '341802');
  });
});
