// The one-core rerun of the end-to-end suite exists to catch races, not to repeat every catalog
// entry: there OPTGUARD_E2E_SAMPLE="k/n" keeps the entries whose position modulo n is k (the
// script picks k from the date, so every entry takes its turn across runs). Unset, everything runs.
const spec = process.env.OPTGUARD_E2E_SAMPLE ?? '';
const parsed = /^(\d+)\/(\d+)$/.exec(spec);
if (spec !== '' && (!parsed || Number(parsed[2]) === 0 || Number(parsed[1]) >= Number(parsed[2]))) {
  throw new Error(`OPTGUARD_E2E_SAMPLE must be "k/n" with 0 <= k < n, not "${spec}"`);
}

/** `items` itself, or the sample OPTGUARD_E2E_SAMPLE asks for. */
export function sampled(items) {
  if (!parsed) {
    return items;
  }
  const [k, n] = [Number(parsed[1]), Number(parsed[2])];
  return items.filter((_, position) => position % n === k);
}
