// "did you mean": the closest known name to a mistyped one, for usage errors.

/** Levenshtein distance (insertions, deletions, substitutions), O(|a|·|b|). */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length];
}

/** The known names within a third of the typed name's length (at least 2 edits), closest first. */
export function closest(typed: string, known: readonly string[], max = 3): string[] {
  const limit = Math.max(2, Math.floor(typed.length / 3));
  return known
    .map((k) => ({ k, d: editDistance(typed.toLowerCase(), k.toLowerCase()) }))
    .filter((x) => x.d <= limit || x.k.toLowerCase().includes(typed.toLowerCase()))
    .sort((x, y) => x.d - y.d || x.k.localeCompare(y.k))
    .slice(0, max)
    .map((x) => x.k);
}

/** ` (did you mean "x" or "y"?)`, or '' when nothing is close. */
export function didYouMean(typed: string, known: readonly string[]): string {
  const near = closest(typed, known);
  return near.length ? ` (did you mean ${near.map((n) => `"${n}"`).join(' or ')}?)` : '';
}
