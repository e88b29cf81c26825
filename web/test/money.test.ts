import t from 'tap';
import { formatTaka, parseTaka } from '../src/money.ts';

t.test('poisha are shown as Taka with Bangladeshi digit grouping', async (t) => {
  t.equal(formatTaka(12_499_900), '৳1,24,999');
  t.equal(formatTaka(1_000_000_000), '৳1,00,00,000');
  t.equal(formatTaka(99_900), '৳999');
  t.equal(formatTaka(0), '৳0');
  t.equal(formatTaka(150_050), '৳1,500.50');
  t.equal(formatTaka(105), '৳1.05');
  t.equal(formatTaka(-250_000), '-৳2,500');
});

t.test('Taka typed by a shopper become poisha', async (t) => {
  t.equal(parseTaka('1,24,999'), 12_499_900);
  t.equal(parseTaka('৳ 1500.5'), 150_050);
  t.equal(parseTaka('15000'), 1_500_000);
  t.equal(parseTaka(''), undefined);
  t.equal(parseTaka('abc'), undefined);
  t.equal(parseTaka('1.234'), undefined);
});
