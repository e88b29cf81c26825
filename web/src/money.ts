const grouping = new Intl.NumberFormat('en-IN', { maximumFractionDigits: 0 });

/** Poisha (integer, 1/100 Taka) as Taka with Bangladeshi digit grouping: 12499900 → "৳1,24,999". */
export function formatTaka(poisha: number): string {
  const sign = poisha < 0 ? '-' : '';
  const abs = Math.abs(Math.trunc(poisha));
  const taka = Math.floor(abs / 100);
  const rest = abs % 100;
  return `${sign}৳${grouping.format(taka)}${rest ? `.${String(rest).padStart(2, '0')}` : ''}`;
}

/** A Taka amount typed by a shopper ("1,24,999" or "1500.5") as poisha, or undefined when it is not a number. */
export function parseTaka(text: string): number | undefined {
  const cleaned = text.replace(/[৳,\s]/g, '');
  if (!/^\d+(\.\d{1,2})?$/.test(cleaned)) return undefined;
  return Math.round(Number(cleaned) * 100);
}
