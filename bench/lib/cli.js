/**
 * A tiny flag parser: `--name value`, `--name=value`, `--flag`, `--no-flag`. Unknown flags are an
 * error, so a typo never silently runs the default benchmark.
 * @param {string[]} argv
 * @param {Record<string, { type: 'number' | 'string' | 'boolean' | 'list', default: unknown }>} spec
 * @returns {Record<string, any>}
 */
export function parseFlags(argv, spec) {
  const flags = Object.fromEntries(Object.entries(spec).map(([name, option]) => [name, option.default]));
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (!arg.startsWith('--')) throw new Error(`unexpected argument: ${arg}`);
    let [name, value] = arg.slice(2).split(/=(.*)/s, 2);
    if (!(name in spec) && name.startsWith('no-') && spec[name.slice(3)]?.type === 'boolean' && value === undefined) {
      flags[name.slice(3)] = false;
      continue;
    }
    const option = spec[name];
    if (!option) throw new Error(`unknown flag --${name} (known: ${Object.keys(spec).map((n) => `--${n}`).join(' ')})`);
    if (option.type === 'boolean') {
      flags[name] = value === undefined ? true : value !== 'false';
      continue;
    }
    if (value === undefined) {
      value = argv[i + 1];
      i += 1;
      if (value === undefined) throw new Error(`--${name} needs a value`);
    }
    if (option.type === 'number') {
      const number = Number(value);
      if (!Number.isFinite(number) || number < 0) throw new Error(`--${name} must be a non-negative number`);
      flags[name] = number;
    } else if (option.type === 'list') {
      flags[name] = value.split(',').map((item) => item.trim()).filter(Boolean);
    } else {
      flags[name] = value;
    }
  }
  return flags;
}
