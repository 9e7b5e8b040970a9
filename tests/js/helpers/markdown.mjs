// Reading the parts of a Markdown page that tests hold to account: a fenced code block marked
// `<!-- test: NAME -->` on the line before it, and the names in a table's first column.

/** The text of the fenced block right after `<!-- test: name -->`, with its final newline. */
export function fencedBlock(page, name) {
  const marker = `<!-- test: ${name} -->\n`;
  const at = page.indexOf(marker);
  if (at < 0) {
    throw new Error(`no block marked ${name}`);
  }
  const open = /^```[a-z]*\n/.exec(page.slice(at + marker.length));
  if (!open) {
    throw new Error(`the line after the ${name} marker does not open a fenced block`);
  }
  const start = at + marker.length + open[0].length;
  const end = page.indexOf('\n```\n', start - 1);
  return `${page.slice(start, end)}\n`;
}

/** Every `name` in the first column of the first table after the text `anchor`. */
export function tableNames(page, anchor) {
  const at = page.indexOf(anchor);
  if (at < 0) {
    throw new Error(`no text ${JSON.stringify(anchor)}`);
  }
  const lines = page.slice(at).split('\n');
  const first = lines.findIndex((l) => l.startsWith('|'));
  const names = [];
  for (const line of lines.slice(first + 2)) { // header and separator
    if (!line.startsWith('|')) {
      break;
    }
    const cell = line.split(' | ')[0];
    names.push(...[...cell.matchAll(/`([a-z_]+)`/g)].map((m) => m[1]));
  }
  return names;
}

/** The text after `<!-- store: name -->` up to the next heading or marker, trimmed. */
export function markedText(page, name) {
  const marker = `<!-- store: ${name} -->\n`;
  const at = page.indexOf(marker);
  if (at < 0) {
    throw new Error(`no text marked ${name}`);
  }
  const rest = page.slice(at + marker.length);
  const end = rest.search(/\n(## |<!-- )/);
  return (end < 0 ? rest : rest.slice(0, end)).trim();
}
