import { describe, expect, it } from 'vitest';
import { productBoxText, productChoicesJson, selectedBulletins, selectProducts, type ProductChoice } from '../src/lib/product-match.ts';

// Names as the imported archive writes them.
const choices: ProductChoice[] = [
  ['exchange-2000-server', 'Exchange 2000 Server'],
  ['exchange-2000-server-service-pack-3', 'Microsoft Exchange 2000 Server Service Pack 3'],
  ['exchange-server-2003', 'Exchange Server 2003'],
  ['windows-2000-service-pack-4', 'Windows 2000 Service Pack 4'],
  ['windows-xp-sp2-ie-6', 'Windows XP Service Pack 2 上の Internet Explorer 6'],
];

describe('product box', () => {
  it('selects nothing for an empty box, so the list is not filtered', () => {
    expect(selectProducts('', choices)).toBeUndefined();
    expect(selectProducts('  \u3000 ', choices)).toBeUndefined();
  });

  it('selects one product by its slug (a product page address), and by its name also its service packs', () => {
    expect(selectProducts('exchange-2000-server', choices)).toEqual({ slugs: ['exchange-2000-server'], exact: true });
    expect(selectProducts(' exchange 2000 SERVER ', choices)).toEqual({ slugs: ['exchange-2000-server', 'exchange-2000-server-service-pack-3'], exact: false });
  });

  it('selects every product whose name holds each word, in any order and any width or case', () => {
    expect(selectProducts('Exchange 2000', choices)?.slugs).toEqual(['exchange-2000-server', 'exchange-2000-server-service-pack-3']);
    expect(selectProducts('2000 pack', choices)?.slugs).toEqual(['exchange-2000-server-service-pack-3', 'windows-2000-service-pack-4']);
    expect(selectProducts('ＥＸＣＨＡＮＧＥ　２００３', choices)).toEqual({ slugs: ['exchange-server-2003'], exact: false });
    expect(selectProducts('上の Internet', choices)?.slugs).toEqual(['windows-xp-sp2-ie-6']);
  });

  it('matches the start of a word, so short words select what they abbreviate and nothing else', () => {
    const more: ProductChoice[] = [...choices, ['outlook-express-6', 'Outlook Express 6'], ['windows-xp', 'Windows XP'], ['iis-5-1', 'IIS 5.1']];
    expect(selectProducts('xp', more)?.slugs).toEqual(['windows-xp-sp2-ie-6', 'windows-xp']);
    expect(selectProducts('5', more)?.slugs).toEqual(['iis-5-1']);
    expect(selectProducts('5.1', more)?.slugs).toEqual(['iis-5-1']);
    expect(selectProducts('exp', more)?.slugs).toEqual(['windows-xp-sp2-ie-6', 'outlook-express-6']);
  });

  it('selects no product when no name holds the words', () => {
    expect(selectProducts('Exchange 5.5', choices)).toEqual({ slugs: [], exact: false });
  });

  it('shows a slug from the address as its product name, and other text as it is', () => {
    expect(productBoxText('exchange-server-2003', choices)).toBe('Exchange Server 2003');
    expect(productBoxText('Exchange 2000', choices)).toBe('Exchange 2000');
  });

  it('writes the list in the given order, as [slug, name] or with the ids of the bulletins each product affects', () => {
    const entry = (slug: string, ids: string[]) => ({ slug, name: slug.toUpperCase(), affectedBy: ids.map((id) => ({ bulletin: { id } })) });
    // Names that differ only in case share a slug, so a bulletin can come twice.
    const products = [entry('b', ['MS03-046', 'MS03-046', 'MS04-013']), entry('a', [])];
    expect(JSON.parse(productChoicesJson(products))).toEqual([['b', 'B'], ['a', 'A']]);
    expect(JSON.parse(productChoicesJson(products, true))).toEqual([['b', 'B', ['MS03-046', 'MS04-013']], ['a', 'A', []]]);
  });

  it('gives the bulletins of the selected products, once each', () => {
    const list: ProductChoice[] = [['x', 'X 1', ['MS1', 'MS2']], ['y', 'X 2', ['MS2', 'MS3']], ['z', 'Z', ['MS4']]];
    expect([...selectedBulletins(selectProducts('X', list)!, list)]).toEqual(['MS1', 'MS2', 'MS3']);
    expect([...selectedBulletins(selectProducts('x', list)!, list)]).toEqual(['MS1', 'MS2']);
    expect([...selectedBulletins(selectProducts('z', list)!, list)]).toEqual(['MS4']);
    expect([...selectedBulletins({ slugs: [], exact: false }, list)]).toEqual([]);
  });
});
