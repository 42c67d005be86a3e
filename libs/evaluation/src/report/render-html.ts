import { DateTime } from 'luxon';
import type { CohortReport, EvaluationReport, Figure, LineReport, ReportIndicator, ReportTable } from './report.model';
import { COLUMN_LABELS, INDICATOR_LABELS, label, ROW_LABELS, STEP_LABELS, TABLE_TITLES, Text, WORDS } from './labels';

type Lang = 'it' | 'en';
const LANGS: readonly Lang[] = ['it', 'en'];
const DASH = '—';
const SUPPRESSED: Record<Lang, string> = { it: 'oscurato', en: 'suppressed' };

/**
 * The report as one self-contained HTML page: no script, no font, no image to fetch; charts are inline SVG.
 * Both languages are in the page and a pair of radio buttons (pure CSS) shows one; the printed page shows the
 * chosen one, tables kept whole. Rendered from the report object only, so the same report gives the same bytes.
 */
export function renderReportHtml(report: EvaluationReport): string {
  const evaluator = report.audience === 'evaluator';
  const title = both(WORDS.title);
  const subtitle = both(evaluator ? WORDS.evaluatorReport : WORDS.lineReport);
  const when = report.asOf
    ? `<time datetime="${esc(report.asOf)}">${esc(DateTime.fromISO(report.asOf).setZone(report.timeZone).toFormat('yyyy-LL-dd HH:mm:ss'))}</time> <small>(${both(WORDS.romeTime)})</small>`
    : both(WORDS.live);
  const note = evaluator
    ? `<section class="note" id="suppression"><h2>${both(WORDS.suppressionTitle)}</h2>${LANGS.map((lang) => `<p lang="${lang}">${esc(fill(WORDS.suppressionText[lang], { threshold: report.suppression!.threshold, count: report.suppression!.suppressedCells }))}</p>`).join('')}</section>`
    : `<section class="note">${LANGS.map((lang) => `<p lang="${lang}">${esc(WORDS.fullFiguresText[lang])}</p>`).join('')}</section>`;
  const lines =
    report.lines.length === 0
      ? `<p>${both(WORDS.noLines)}</p>`
      : report.lines.map((line) => lineSection(line, evaluator)).join('\n');
  return `<!DOCTYPE html>
<html lang="it">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(WORDS.title.it)} / ${esc(WORDS.title.en)} ${esc(report.period.from)}${report.period.to !== report.period.from ? ` – ${esc(report.period.to)}` : ''}</title>
<style>${STYLE}</style>
</head>
<body>
<input type="radio" name="lang" id="lang-it" class="lang-choice" checked>
<input type="radio" name="lang" id="lang-en" class="lang-choice">
<div class="page">
<nav class="switch" aria-label="Lingua / Language"><label for="lang-it">Italiano</label><label for="lang-en">English</label></nav>
<header>
<h1>${title}</h1>
<p class="subtitle">${subtitle}</p>
<dl class="facts">
<div><dt>${both(WORDS.period)}</dt><dd>${esc(report.period.from)}${report.period.to !== report.period.from ? ` – ${esc(report.period.to)}` : ''} <small>(${both(WORDS.timeZone)})</small></dd></div>
<div><dt>${both(WORDS.asOf)}</dt><dd>${when}</dd></div>
<div><dt>${both(WORDS.logState)}</dt><dd><code>${esc(report.log.position)}</code>${report.log.recordedAt ? `, <time datetime="${esc(report.log.recordedAt)}">${esc(DateTime.fromISO(report.log.recordedAt).setZone(report.timeZone).toFormat('yyyy-LL-dd HH:mm:ss'))}</time>` : ''}</dd></div>
<div><dt>${both(WORDS.definitions)}</dt><dd><code>${esc(report.definitions.projection)}@${report.definitions.version}</code>, format ${report.formatVersion}</dd></div>
</dl>
</header>
${note}
${lines}
<section class="notes"><h2>${both(WORDS.notesTitle)}</h2>${LANGS.map((lang) => `<p lang="${lang}">${esc(WORDS.notes[lang])}</p>`).join('')}</section>
</div>
</body>
</html>
`;
}

function lineSection(line: LineReport, evaluator: boolean): string {
  const table = (id: string) => line.tables.find((t) => t.id === id)!;
  const indicator = (id: string) => line.indicators.find((i) => i.id === id)!;
  const kpis = [
    kpi(WORDS.contacts, fmtInt(line.headline.contacts)),
    kpi(WORDS.firstContacts, fmtInt(line.headline.firstContacts)),
    kpi(WORDS.followUps, fmtInt(line.headline.followUpContacts)),
    kpi(INDICATOR_LABELS.handoff_acceptance_rate, null, indicator('handoff_acceptance_rate').value, 'rate'),
    kpi(INDICATOR_LABELS.out_of_hours_recovery_rate, null, indicator('out_of_hours_recovery_rate').value, 'rate'),
  ].join('');
  const charts = `
<div class="charts">
<figure class="wide"><figcaption>${both(TABLE_TITLES.contacts_by_month)}</figcaption>${perLang((lang) => monthlyChart(table('contacts_by_month'), lang))}</figure>
<figure><figcaption>${both(TABLE_TITLES.contacts_by_caller_type)}</figcaption>${perLang((lang) => barChart(table('contacts_by_caller_type'), lang, ROW_LABELS))}</figure>
<figure><figcaption>${both(TABLE_TITLES.contacts_by_age_band)}</figcaption>${perLang((lang) => barChart(table('contacts_by_age_band'), lang, ROW_LABELS))}</figure>
<figure><figcaption>${both(TABLE_TITLES.contacts_by_gender)}</figcaption>${perLang((lang) => barChart(table('contacts_by_gender'), lang, ROW_LABELS))}</figure>
<figure><figcaption>${both(TABLE_TITLES.referral_steps)}</figcaption>${perLang((lang) => barChart(table('referral_steps'), lang, STEP_LABELS))}</figure>
</div>`;
  const tables = line.tables.map((t) => tableHtml(t, evaluator)).join('\n');
  if (line.headline.contacts === 0) {
    return `<section class="line empty" id="line-${esc(line.lineId)}">
<h2>${esc(line.name)} <small><code>${esc(line.lineId)}</code></small></h2>
<p>${both(WORDS.noContacts)}</p>
</section>`;
  }
  return `<section class="line" id="line-${esc(line.lineId)}">
<h2>${esc(line.name)} <small><code>${esc(line.lineId)}</code></small></h2>
<div class="kpis">${kpis}</div>
${charts}
<div class="tables">${tables}</div>
${indicatorsHtml(line.indicators)}
${cohortsHtml(line.cohorts, evaluator)}
</section>`;
}

function kpi(name: Text, text: string | null, value?: Figure, kind?: 'rate'): string {
  const shown =
    text !== null
      ? both({ it: text, en: text })
      : kind === 'rate'
        ? perLang((lang) => esc(fmtRate(value ?? null, lang)), 'span')
        : '';
  return `<div class="kpi"><div class="kpi-value">${shown}</div><div class="kpi-name">${both(name)}</div></div>`;
}

function tableHtml(table: ReportTable, evaluator: boolean): string {
  const labels = table.id === 'referral_steps' ? STEP_LABELS : ROW_LABELS;
  const rowLabel = (row: string) => (table.id === 'contacts_by_month' ? esc(row) : both(label(labels, row)));
  const cell = (value: Figure) =>
    value === null
      ? `<td class="num hidden" title="${evaluator ? 'oscurato / suppressed' : 'n/d'}">${DASH}</td>`
      : `<td class="num">${fmtInt(value)}</td>`;
  const head = `<tr><th></th>${table.columns.map((c) => `<th class="num">${both(label(COLUMN_LABELS, c))}</th>`).join('')}${table.rowTotals ? `<th class="num">${both(COLUMN_LABELS.total)}</th>` : ''}</tr>`;
  const body = table.rows
    .map(
      (row, rowIndex) =>
        `<tr><th scope="row">${rowLabel(row)}</th>${(table.cells[rowIndex] ?? []).map(cell).join('')}${table.rowTotals ? cell(table.rowTotals[rowIndex] ?? null) : ''}</tr>`,
    )
    .join('');
  const foot = table.columnTotals
    ? `<tfoot><tr><th scope="row">${both(COLUMN_LABELS.total)}</th>${table.columnTotals.map(cell).join('')}${table.rowTotals ? cell(table.total) : ''}</tr></tfoot>`
    : '';
  const hiddenNote =
    evaluator && table.suppressedCells > 0
      ? `<p class="hidden-note">${perLang((lang) => `${table.suppressedCells} ${lang === 'it' ? 'celle oscurate' : 'suppressed cells'}`, 'span')} <a href="#suppression">*</a></p>`
      : '';
  return `<figure class="table"><figcaption>${both(TABLE_TITLES[table.id])}</figcaption><table><thead>${head}</thead><tbody>${body}</tbody>${foot}</table>${hiddenNote}</figure>`;
}

function indicatorsHtml(indicators: readonly ReportIndicator[]): string {
  const rows = indicators
    .map((indicator) => {
      const value = indicator.id.endsWith('_rate')
        ? perLang((lang) => esc(fmtRate(indicator.value, lang)), 'span')
        : perLang((lang) => esc(fmtDays(indicator.value, lang)), 'span');
      return `<tr><th scope="row">${both(INDICATOR_LABELS[indicator.id])}</th><td class="num">${value}</td><td class="num">${indicator.n === null ? DASH : fmtInt(indicator.n)}</td></tr>`;
    })
    .join('');
  return `<figure class="table"><figcaption>${both(WORDS.indicators)}</figcaption><table><thead><tr><th></th><th class="num">${both(WORDS.value)}</th><th class="num">${both(WORDS.basis)}</th></tr></thead><tbody>${rows}</tbody></table></figure>`;
}

function cohortsHtml(cohorts: readonly CohortReport[], evaluator: boolean): string {
  const [firstCohort] = cohorts;
  if (!firstCohort) return '';
  const phaseRows = firstCohort.reached.phases.rows;
  const stepRows = firstCohort.reached.referrals.rows;
  const triple = (cells: readonly Figure[], complete: readonly boolean[]) =>
    cells
      .map((v, i) => `<span class="${complete[i] ? '' : 'provisional'}">${v === null ? DASH : fmtInt(v)}</span>`)
      .join('<span class="sep">/</span>');
  const head = `<tr><th>${both(WORDS.cohortMonth)}</th><th class="num">${both(WORDS.cohortSize)}</th>${phaseRows.map((row) => `<th class="num">${both(label(ROW_LABELS, row))}</th>`).join('')}${stepRows.map((row) => `<th class="num">${both(label(ROW_LABELS, row))}</th>`).join('')}</tr>`;
  const body = cohorts
    .map(
      (cohort) =>
        `<tr><th scope="row">${esc(cohort.month)}</th><td class="num">${cohort.size === null ? DASH : fmtInt(cohort.size)}</td>${cohort.reached.phases.cells.map((cells) => `<td class="num triple">${triple(cells, cohort.complete)}</td>`).join('')}${cohort.reached.referrals.cells.map((cells) => `<td class="num triple">${triple(cells, cohort.complete)}</td>`).join('')}</tr>`,
    )
    .join('');
  const legend = `<p class="legend">${both(WORDS.reachedWithin)}. <span class="provisional">123</span> = ${both(WORDS.incomplete)}${evaluator ? `; ${DASH} = ${both(WORDS.suppressed)}` : ''}.</p>`;
  return `<figure class="table cohorts"><figcaption>${both(WORDS.cohorts)}</figcaption><table><thead>${head}</thead><tbody>${body}</tbody></table>${legend}</figure>`;
}

// ---- charts (inline SVG) ----

const PALETTE = {
  first: '#1f5f8b',
  followUp: '#7fb3d5',
  bar: '#2e7d6b',
  hidden: '#b0b0b0',
  axis: '#555',
  grid: '#e3e3e3',
};

function monthlyChart(table: ReportTable, lang: Lang): string {
  const width = 760;
  const height = 230;
  const left = 44;
  const bottom = 34;
  const top = 14;
  const months = table.rows;
  const totals = table.rowTotals ?? [];
  // The height each month's bar reaches: its first contacts with the follow-ups stacked on them, or (when the
  // split is suppressed) its total. The axis is scaled from these, whatever is suppressed.
  const reach = months.map((_, i) => {
    const [first = null, followUp = null] = table.cells[i] ?? [];
    return first !== null ? first + (followUp ?? 0) : (totals[i] ?? 0);
  });
  const max = niceMax(Math.max(1, ...reach));
  const plotH = height - top - bottom;
  const step = (width - left - 10) / Math.max(1, months.length);
  const barW = Math.max(4, step * 0.7);
  const y = (v: number) => top + plotH - (v / max) * plotH;
  const ticks = (Number.isInteger(max / 2) ? [0, max / 2, max] : [0, max])
    .map(
      (v) =>
        `<line x1="${left}" x2="${width - 6}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" stroke="${PALETTE.grid}"/><text x="${left - 6}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end" class="tick">${fmtNumber(v, lang, 0)}</text>`,
    )
    .join('');
  const bars = months
    .map((month, i) => {
      const x = left + i * step + (step - barW) / 2;
      const [first = null, followUp = null] = table.cells[i] ?? [];
      const total = totals[i];
      let shapes = '';
      const rect = (from: number, to: number, fill: string, value: number) =>
        `<rect x="${x.toFixed(1)}" y="${y(to).toFixed(1)}" width="${barW.toFixed(1)}" height="${(y(from) - y(to)).toFixed(1)}" fill="${fill}"><title>${esc(month)}: ${value}</title></rect>`;
      const suppressedMark = (at: number) =>
        `<text x="${(x + barW / 2).toFixed(1)}" y="${(y(at) - 4).toFixed(1)}" text-anchor="middle" class="tick hidden-mark">${DASH}<title>${esc(month)}: ${esc(SUPPRESSED[lang])}</title></text>`;
      if (first !== null) shapes += rect(0, first, PALETTE.first, first);
      if (first !== null && followUp !== null) shapes += rect(first, first + followUp, PALETTE.followUp, followUp);
      if (first !== null && followUp === null) shapes += suppressedMark(first);
      if (first === null && total !== null && total !== undefined) shapes += rect(0, total, PALETTE.hidden, total);
      if (first === null && (total === null || total === undefined)) shapes += suppressedMark(0);
      const labelText =
        months.length > 18 && i % 2 === 1
          ? ''
          : `<text x="${(x + barW / 2).toFixed(1)}" y="${height - bottom + 14}" text-anchor="middle" class="tick">${esc(shortMonth(month))}</text>`;
      return shapes + labelText;
    })
    .join('');
  const legend = `<rect x="${left}" y="${height - 12}" width="10" height="10" fill="${PALETTE.first}"/><text x="${left + 14}" y="${height - 3}" class="tick">${esc(COLUMN_LABELS.first[lang])}</text><rect x="${left + 130}" y="${height - 12}" width="10" height="10" fill="${PALETTE.followUp}"/><text x="${left + 144}" y="${height - 3}" class="tick">${esc(COLUMN_LABELS.follow_up[lang])}</text>`;
  return `<svg viewBox="0 0 ${width} ${height}" width="100%" role="img" aria-label="${esc(TABLE_TITLES.contacts_by_month[lang])}" xmlns="http://www.w3.org/2000/svg">${ticks}${bars}<line x1="${left}" x2="${width - 6}" y1="${y(0)}" y2="${y(0)}" stroke="${PALETTE.axis}"/>${legend}</svg>`;
}

/** Horizontal bars of a table's row totals (or its only column). */
function barChart(table: ReportTable, lang: Lang, labels: Record<string, Text>): string {
  const values = table.rowTotals ?? table.cells.map((row) => row[0]);
  const rows = table.rows.map((row, i) => ({ row, value: values[i] ?? null }));
  const width = 370;
  const rowH = 20;
  const labelW = 170;
  const height = rows.length * rowH + 8;
  const max = Math.max(1, ...rows.map((row) => row.value ?? 0));
  const plotW = width - labelW - 46;
  const bars = rows
    .map(({ row, value }, i) => {
      const y = 4 + i * rowH;
      const name = `<text x="${labelW - 6}" y="${y + 14}" text-anchor="end" class="tick">${esc(label(labels, row)[lang])}</text>`;
      if (value === null)
        return `${name}<text x="${labelW + 4}" y="${y + 14}" class="tick hidden-mark">${DASH} ${esc(lang === 'it' ? 'oscurato' : 'suppressed')}</text>`;
      const w = (value / max) * plotW;
      return `${name}<rect x="${labelW}" y="${y + 3}" width="${w.toFixed(1)}" height="${rowH - 6}" fill="${PALETTE.bar}"/><text x="${(labelW + w + 4).toFixed(1)}" y="${y + 14}" class="tick">${fmtNumber(value, lang, 0)}</text>`;
    })
    .join('');
  return `<svg viewBox="0 0 ${width} ${height}" width="100%" role="img" aria-label="${esc(TABLE_TITLES[table.id][lang])}" xmlns="http://www.w3.org/2000/svg">${bars}</svg>`;
}

function niceMax(value: number): number {
  const magnitude = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * magnitude >= value) return step * magnitude;
  return 10 * magnitude;
}

function shortMonth(month: string): string {
  return `${month.slice(5, 7)}/${month.slice(2, 4)}`;
}

// ---- text ----

function both(text: Text): string {
  return `<span lang="it">${esc(text.it)}</span><span lang="en">${esc(text.en)}</span>`;
}

function perLang(render: (lang: Lang) => string, tag: 'div' | 'span' = 'div'): string {
  return LANGS.map((lang) => `<${tag} lang="${lang}">${render(lang)}</${tag}>`).join('');
}

function fill(template: string, values: Record<string, number>): string {
  return template.replace(/\{(\w+)\}/g, (_, key: string) => String(values[key] ?? ''));
}

function fmtInt(value: Figure): string {
  return value === null ? DASH : String(value);
}

function fmtNumber(value: number, lang: Lang, decimals: number): string {
  const text = value.toFixed(decimals);
  return lang === 'it' ? text.replace('.', ',') : text;
}

function fmtRate(value: Figure, lang: Lang): string {
  return value === null ? DASH : `${fmtNumber(value * 100, lang, 1)}%`;
}

function fmtDays(value: Figure, lang: Lang): string {
  return value === null ? DASH : `${fmtNumber(value, lang, 1)} ${lang === 'it' ? 'giorni' : 'days'}`;
}

function esc(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const STYLE = `
:root{color-scheme:light;--ink:#1b1b1b;--muted:#5b5b5b;--line:#d6d6d6;--accent:#1f5f8b;--bg:#fafaf7}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--ink);background:var(--bg)}
.page{max-width:1100px;margin:0 auto;padding:24px 28px 48px;background:#fff}
.lang-choice{position:absolute;opacity:0;pointer-events:none}
#lang-it:checked~.page [lang="en"]{display:none}
#lang-en:checked~.page [lang="it"]{display:none}
.switch{float:right;display:flex;gap:6px}
.switch label{border:1px solid var(--line);border-radius:4px;padding:3px 10px;cursor:pointer;color:var(--muted)}
#lang-it:checked~.page label[for="lang-it"],#lang-en:checked~.page label[for="lang-en"]{background:var(--accent);border-color:var(--accent);color:#fff}
h1{font-size:26px;margin:0 0 4px}
h2{font-size:20px;margin:28px 0 10px;border-bottom:2px solid var(--accent);padding-bottom:4px}
h2 small{font-size:12px;color:var(--muted);font-weight:normal}
.subtitle{margin:0 0 12px;color:var(--muted);font-size:15px}
.facts{display:flex;flex-wrap:wrap;gap:6px 28px;margin:0}
.facts div{display:flex;gap:6px}.facts dt{font-weight:600}.facts dd{margin:0}
.note{background:#f3f6f9;border-left:4px solid var(--accent);padding:4px 14px;margin:18px 0}
.note h2{border:0;font-size:16px;margin:8px 0 0}
.kpis{display:grid;grid-template-columns:repeat(5,1fr);gap:10px;margin:8px 0 14px}
.kpi{border:1px solid var(--line);border-radius:6px;padding:8px 10px}
.kpi-value{font-size:24px;font-weight:700;color:var(--accent)}
.kpi-name{font-size:12px;color:var(--muted)}
.charts{display:grid;grid-template-columns:1fr 1fr;gap:12px 24px}
.charts figure{margin:0}.charts figure.wide{grid-column:1/-1}
figcaption{font-weight:600;margin:6px 0}
svg .tick{font-size:10px;fill:#333}
svg .hidden-mark{fill:#888;font-style:italic}
.tables{display:grid;grid-template-columns:1fr 1fr;gap:8px 24px}
figure.table{margin:10px 0;break-inside:avoid}
table{border-collapse:collapse;width:100%;font-size:12.5px}
th,td{padding:3px 6px;border-bottom:1px solid #eee;text-align:left;vertical-align:top}
thead th{border-bottom:1px solid #999;font-weight:600}
tfoot th,tfoot td{border-top:1px solid #999;font-weight:600}
.num{text-align:right;font-variant-numeric:tabular-nums}
td.hidden{color:#888;background:repeating-linear-gradient(45deg,#f4f4f4,#f4f4f4 4px,#fff 4px,#fff 8px)}
.hidden-note,.legend{font-size:11.5px;color:var(--muted);margin:4px 0}
.cohorts table{font-size:11.5px}.cohorts .triple{white-space:nowrap}.cohorts .sep{color:#aaa;padding:0 2px}
.provisional{font-style:italic;color:#8a6d00}
.notes p{color:var(--muted)}
@media (max-width:800px){.charts,.tables{grid-template-columns:1fr}.kpis{grid-template-columns:repeat(2,1fr)}}
@media print{
  @page{size:A4;margin:14mm}
  body{background:#fff;font-size:11px}
  .page{max-width:none;padding:0}
  .switch{display:none}
  .line+.line{break-before:page}
  .line.empty{break-before:auto}
  .charts,.tables{grid-template-columns:1fr 1fr}
  td.hidden{background:none}
  a{color:inherit;text-decoration:none}
}
`;
