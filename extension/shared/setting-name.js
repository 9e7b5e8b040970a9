// A setting's name as the member saw it: the catalog label the detector matched on the page, in the
// page's language (checked against the catalog by background/router.js, never free page text), else
// the catalog's English title. Used by the popup, the due list, notifications and the badge title.

/** A label that names the page's subject ("… for {blog}") cannot be shown off that page. */
const SUBJECT = /\{\w+\}/;

/**
 * @param {{title: string, label?: string|null, label_lang?: string|null}} row
 * @returns {{text: string, lang: string}} the name and its language (BCP 47)
 */
export function settingName(row) {
  if (typeof row?.label === 'string' && row.label && !SUBJECT.test(row.label)) {
    return { text: row.label, lang: row.label_lang ?? '' };
  }
  return { text: row?.title ?? '', lang: 'en' };
}
