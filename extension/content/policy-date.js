// Reads a policy page's effective / last-updated date, in the page, and nothing else: the date line
// is a short block that holds one of the phrases below followed by a date ("Effective September 18,
// 2024", "Zuletzt aktualisiert: 3. November 2025"), or a <time datetime> inside such a block. Only
// the date leaves the page (content-main.js sends {platform, document, effective_date}); never its
// text, never a hash of it. Pure: reads the DOM it is given, keeps no state, starts no observer.
//
// Decoys it must pass over: a copyright year ("© 2025"), a blog post's or a news item's date, an
// announcement of a coming change ("We're updating our terms on November 3, 2025"): none of them
// sits after a date phrase.
//
// Phrases, for the ten languages OptGuard speaks. Sources: LinkedIn's "Effective September 18, 2024"
// and X's "Effective: January 15, 2026" (Open Terms Archive, vlopses-us-versions, read 2026-11-30);
// the others are the usual wordings of "last updated" / "effective" in each language, as written
// in the policies of large platforms; they are not each confirmed by a stored copy (docs/catalog-
// format.md, "Policy documents", says so). A phrase is matched as whole words, case-insensitively.
'use strict';

(() => {
  const ns = (globalThis.optguardContent ??= {});

  /** language → phrases; the language decides how a numeric date like 03/11/2025 is read. */
  const PHRASES = Object.freeze({
    en: ['effective', 'effective date', 'effective as of', 'last updated', 'last modified', 'last revised', 'updated'],
    de: ['zuletzt aktualisiert', 'letzte aktualisierung', 'gültig ab', 'wirksam ab', 'stand', 'inkrafttreten'],
    fr: ['dernière mise à jour', "date d'entrée en vigueur", 'entrée en vigueur', 'en vigueur', 'mis à jour le', 'mise à jour'],
    es: ['última actualización', 'fecha de entrada en vigor', 'fecha de vigencia', 'en vigor', 'vigente desde', 'actualizado'],
    it: ['ultimo aggiornamento', 'data di entrata in vigore', 'in vigore dal', 'efficace dal', 'data di efficacia', 'aggiornato'],
    nl: ['laatst bijgewerkt', 'laatste update', 'ingangsdatum', 'van kracht', 'datum van inwerkingtreding', 'bijgewerkt'],
    pl: ['ostatnia aktualizacja', 'data wejścia w życie', 'obowiązuje od', 'wchodzi w życie', 'zaktualizowano'],
    pt: ['última atualização', 'data de entrada em vigor', 'data de vigência', 'em vigor desde', 'em vigor', 'vigente a partir de', 'atualizado em', 'atualizada em'],
    sv: ['senast uppdaterad', 'gäller från', 'giltig från', 'ikraftträdande', 'träder i kraft', 'uppdaterad'],
  });

  const MONTHS = new Map(Object.entries({
    // en
    january: 1, february: 2, march: 3, april: 4, may: 5, june: 6, july: 7, august: 8, september: 9,
    october: 10, november: 11, december: 12,
    jan: 1, feb: 2, mar: 3, apr: 4, jun: 6, jul: 7, aug: 8, sep: 9, sept: 9, oct: 10, nov: 11, dec: 12,
    // de
    januar: 1, jänner: 1, februar: 2, märz: 3, mai: 5, juni: 6, juli: 7, oktober: 10, dezember: 12,
    // fr
    janvier: 1, février: 2, mars: 3, avril: 4, juin: 6, juillet: 7, août: 8, septembre: 9, octobre: 10,
    novembre: 11, décembre: 12,
    // es
    enero: 1, febrero: 2, marzo: 3, abril: 4, mayo: 5, junio: 6, julio: 7, agosto: 8, septiembre: 9,
    setiembre: 9, octubre: 10, noviembre: 11, diciembre: 12,
    // it
    gennaio: 1, febbraio: 2, aprile: 4, maggio: 5, giugno: 6, luglio: 7, settembre: 9, ottobre: 10,
    dicembre: 12,
    // nl
    januari: 1, februari: 2, maart: 3, mei: 5, augustus: 8,
    // pl: the genitive ("3 listopada 2025") and the nominative
    stycznia: 1, lutego: 2, marca: 3, kwietnia: 4, maja: 5, czerwca: 6, lipca: 7, sierpnia: 8,
    września: 9, października: 10, listopada: 11, grudnia: 12,
    styczeń: 1, luty: 2, marzec: 3, kwiecień: 4, maj: 5, czerwiec: 6, lipiec: 7, sierpień: 8,
    wrzesień: 9, październik: 10, listopad: 11, grudzień: 12,
    // pt
    janeiro: 1, fevereiro: 2, março: 3, maio: 5, junho: 6, julho: 7, setembro: 9, outubro: 10,
    novembro: 11, dezembro: 12,
    // sv
    augusti: 8,
  }));

  /** A date line is short; a long block is running text, where a phrase proves nothing. */
  const MAX_LINE_CHARS = 240;
  /** The date must follow its phrase closely ("Effective: ", "Stand vom "). */
  const MAX_GAP_CHARS = 40;
  const BLOCKS = 'p, li, h1, h2, h3, h4, h5, h6, div, header, section, td, dd, dt, small, span, em, strong, time';

  const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const MONTH_NAMES = [...MONTHS.keys()].sort((a, b) => b.length - a.length).map(escape).join('|');
  const PHRASE_LIST = Object.entries(PHRASES)
    .flatMap(([lang, phrases]) => phrases.map((phrase) => ({ lang, phrase })))
    .sort((a, b) => b.phrase.length - a.phrase.length);
  const PHRASE_RE = new RegExp(
    `(?<![\\p{L}\\p{N}])(${PHRASE_LIST.map(({ phrase }) => escape(phrase).replace(/ /g, '\\s+').replace(/'/g, "['’]")).join('|')})(?![\\p{L}\\p{N}])`,
    'giu');
  const ISO = /(\d{4})-(\d{2})-(\d{2})/u;
  const MONTH_FIRST = new RegExp(`(?<![\\p{L}])(${MONTH_NAMES})\\.?\\s+(\\d{1,2})(?:st|nd|rd|th)?,?\\s+(\\d{4})`, 'iu');
  const DAY_FIRST = new RegExp(`(?<!\\d)(\\d{1,2})(?:\\.|er|st|nd|rd|th|º|°)?\\s+(?:de\\s+)?(${MONTH_NAMES})\\.?,?\\s+(?:de\\s+)?(\\d{4})`, 'iu');
  const NUMERIC = /(?<!\d)(\d{1,2})[./](\d{1,2})[./](\d{4})(?!\d)/u;

  const pad = (n) => String(n).padStart(2, '0');

  /** "YYYY-MM-DD" if year/month/day is a calendar date, else null. */
  function calendarDate(year, month, day) {
    const y = Number(year);
    const m = Number(month);
    const d = Number(day);
    if (!Number.isInteger(y) || y < 1990 || y > 2999 || m < 1 || m > 12 || d < 1) {
      return null;
    }
    const probe = new Date(Date.UTC(y, m - 1, d));
    return probe.getUTCMonth() === m - 1 && probe.getUTCDate() === d ? `${y}-${pad(m)}-${pad(d)}` : null;
  }

  /**
   * The first date at the start of `text` (after at most MAX_GAP_CHARS of anything else), in any
   * of the forms policies write.
   * @param {string} text the text right after a phrase
   * @param {string} lang the phrase's language (a numeric date is month-first only in English)
   * @returns {string|null} YYYY-MM-DD
   */
  function dateAtStart(text, lang) {
    const window = text.slice(0, MAX_GAP_CHARS + 40);
    const found = [];
    const iso = ISO.exec(window);
    if (iso) {
      found.push({ at: iso.index, date: calendarDate(iso[1], iso[2], iso[3]) });
    }
    const monthFirst = MONTH_FIRST.exec(window);
    if (monthFirst) {
      found.push({ at: monthFirst.index, date: calendarDate(monthFirst[3], MONTHS.get(monthFirst[1].toLowerCase()), monthFirst[2]) });
    }
    const dayFirst = DAY_FIRST.exec(window);
    if (dayFirst) {
      found.push({ at: dayFirst.index, date: calendarDate(dayFirst[3], MONTHS.get(dayFirst[2].toLowerCase()), dayFirst[1]) });
    }
    const numeric = NUMERIC.exec(window);
    if (numeric) {
      const [a, b] = [Number(numeric[1]), Number(numeric[2])];
      const monthFirstOrder = lang === 'en' && a <= 12;
      found.push({ at: numeric.index, date: monthFirstOrder ? calendarDate(numeric[3], a, b) : calendarDate(numeric[3], b, a) });
    }
    const first = found.filter((f) => f.date && f.at <= MAX_GAP_CHARS).sort((x, y) => x.at - y.at)[0];
    return first?.date ?? null;
  }

  /**
   * The date a line states after one of the phrases, or null.
   * @param {string} line a short block's text
   * @returns {{date: string, lang: string}|null}
   */
  function dateInLine(line) {
    const text = line.replace(/\s+/g, ' ').trim();
    if (text.length === 0 || text.length > MAX_LINE_CHARS) {
      return null;
    }
    PHRASE_RE.lastIndex = 0;
    for (let match = PHRASE_RE.exec(text); match; match = PHRASE_RE.exec(text)) {
      const phrase = match[1].toLowerCase().replace(/\s+/g, ' ').replace(/’/g, "'");
      const lang = PHRASE_LIST.find((p) => p.phrase === phrase)?.lang ?? 'en';
      const date = dateAtStart(text.slice(match.index + match[0].length), lang);
      if (date) {
        return { date, lang };
      }
    }
    return null;
  }

  /** The language of the first phrase in `text`, or null. */
  function phraseIn(text) {
    PHRASE_RE.lastIndex = 0;
    const match = PHRASE_RE.exec(text.replace(/\s+/g, ' '));
    if (!match) {
      return null;
    }
    const phrase = match[1].toLowerCase().replace(/\s+/g, ' ').replace(/’/g, "'");
    return PHRASE_LIST.find((p) => p.phrase === phrase)?.lang ?? 'en';
  }

  /** The machine-readable date of a <time datetime> in `block`, if it is a calendar date. */
  function timeIn(block) {
    const time = block.matches?.('time[datetime]') ? block : block.querySelector?.('time[datetime]');
    const iso = ISO.exec(time?.getAttribute('datetime') ?? '');
    return iso ? calendarDate(iso[1], iso[2], iso[3]) : null;
  }

  /**
   * The page's effective / last-updated date: the first short block, in document order, whose text
   * states a date after one of the phrases (its <time datetime>, when it has one, is preferred to
   * the written date).
   * @param {Document} document
   * @returns {{date: string, lang: string}|null}
   */
  function findEffectiveDate(document) {
    const root = document.body ?? document.documentElement;
    if (!root) {
      return null;
    }
    for (const block of root.querySelectorAll(BLOCKS)) {
      if (block.closest('script, style, template, noscript, footer, nav, [hidden], [aria-hidden="true"]')) {
        continue;
      }
      const text = block.textContent ?? '';
      if (text.length > MAX_LINE_CHARS) {
        continue; // a container: its short children are visited on their own
      }
      const found = dateInLine(text);
      if (found) {
        return { date: timeIn(block) ?? found.date, lang: found.lang };
      }
      // "Last updated <time datetime=2025-11-03>3 Nov</time>": the written date is partial.
      const time = text.length > 0 && phraseIn(text) ? timeIn(block) : null;
      if (time) {
        return { date: time, lang: phraseIn(text) };
      }
    }
    return null;
  }

  ns.policyDate = Object.freeze({ findEffectiveDate, dateInLine, PHRASES });
})();
