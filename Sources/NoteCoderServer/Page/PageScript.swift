extension PageAssets {
    /// The page's script. Report text is only ever placed with `textContent`, never as HTML.
    static let script = #"""
        'use strict';
        (function () {
          const encoder = new TextEncoder();
          const decoder = new TextDecoder('utf-8');
          const $ = (id) => document.getElementById(id);
          const state = { text: '', bytes: new Uint8Array(0), report: null, spans: [], selected: null };
          window.NoteCoderPage = state;

          const dateSources = { flag: 'given on this page', note: 'read from the note', none: 'none found' };
          const reasons = {
            negated: 'negated', uncertain: 'uncertain', planned: 'planned, not performed', historical: 'history only',
            other: 'someone else (e.g. family history)', suppressed: 'explained by another diagnosis', 'no-code': 'no code fits',
            edit: 'withdrawn by a claim edit'
          };
          const editStatuses = { withdrawn: 'line withdrawn', bypassed: 'met by a modifier', flagged: 'left for the coder' };

          function el(tag, props, ...children) {
            const node = document.createElement(tag);
            for (const [key, value] of Object.entries(props || {})) {
              if (value === undefined || value === null) continue;
              if (key === 'class') node.className = value;
              else if (key === 'text') node.textContent = value;
              else if (key.startsWith('data-') || key.startsWith('aria-') || key === 'role' || key === 'scope' || key === 'tabindex' || key === 'type' || key === 'title')
                node.setAttribute(key, value);
              else node[key] = value;
            }
            for (const child of children) {
              if (child === null || child === undefined) continue;
              node.append(child instanceof Node ? child : String(child));
            }
            return node;
          }

          function setStatus(message, isError) {
            const status = $('status');
            status.textContent = message;
            status.classList.toggle('error', Boolean(isError));
            status.setAttribute('role', isError ? 'alert' : 'status');
          }

          // ---- UTF-8 byte offsets ------------------------------------------------------------
          // The report's evidence offsets count UTF-8 bytes of the note, while JavaScript strings
          // count UTF-16 units. The note is kept as bytes (TextEncoder) and every piece shown is
          // decoded from a byte range (TextDecoder), so no offset is ever used as a string index.

          /** Moves an offset back to the first byte of the character it falls in, within [0, n]. */
          function snap(bytes, offset) {
            let i = Math.max(0, Math.min(bytes.length, offset | 0));
            while (i > 0 && i < bytes.length && (bytes[i] & 0xC0) === 0x80) i -= 1;
            return i;
          }
          const byteLength = (s) => encoder.encode(s).length;
          const slice = (start, end) => decoder.decode(state.bytes.subarray(start, end));

          /** Byte range of the first whole-word, case-insensitive match of `needle` inside [start, end). */
          function findWithin(start, end, needle, wholeWord) {
            if (!needle) return null;
            const haystack = slice(start, end);
            const escaped = needle.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/[-_ ]+/g, '[-_\\s]+');
            const pattern = new RegExp(wholeWord ? '(?<![\\p{L}\\p{N}])' + escaped + '(?![\\p{L}\\p{N}])' : escaped, 'iu');
            const match = pattern.exec(haystack);
            if (!match) return null;
            const from = start + byteLength(haystack.slice(0, match.index));
            return { start: from, end: from + byteLength(match[0]) };
          }

          // ---- spans ---------------------------------------------------------------------------

          function collectSpans(report) {
            const spans = [];
            const add = (start, end, kind, ref) => {
              const a = snap(state.bytes, start), b = snap(state.bytes, end);
              if (b > a) spans.push({ start: a, end: b, kind, ref });
            };
            const addAttributes = (suggestion, ref) => {
              for (const values of Object.values(suggestion.attributes || {})) {
                for (const value of values) {
                  for (const evidence of suggestion.evidence) {
                    const found = findWithin(evidence.start, evidence.end, String(value), true);
                    if (found) add(found.start, found.end, 'attr', ref);
                  }
                }
              }
            };
            report.diagnoses.forEach((d, i) => {
              d.evidence.forEach((e) => add(e.start, e.end, 'dx', 'dx-' + i));
              addAttributes(d, 'dx-' + i);
            });
            report.procedures.forEach((p, i) => {
              p.evidence.forEach((e) => add(e.start, e.end, 'px', 'px-' + i));
              addAttributes(p, 'px-' + i);
            });
            report.excluded.forEach((x, i) => {
              add(x.evidence.start, x.evidence.end, 'ex', 'ex-' + i);
              if (x.cue && x.reason !== 'suppressed' && x.reason !== 'no-code') {
                const found = findWithin(x.evidence.start, x.evidence.end, x.cue, false);
                if (found) add(found.start, found.end, 'cue', 'ex-' + i);
              }
            });
            report.queries.forEach((q, i) => q.indicators.forEach((e) => add(e.start, e.end, null, 'q-' + i)));
            return spans;
          }

          function labelFor(ref) {
            const [kind, index] = ref.split('-');
            const r = state.report;
            if (kind === 'dx') return r.diagnoses[index].code + ' ' + r.diagnoses[index].label;
            if (kind === 'px') return r.procedures[index].code + ' ' + r.procedures[index].label;
            if (kind === 'ex') return 'not coded: ' + r.excluded[index].label + ' (' + (reasons[r.excluded[index].reason] || r.excluded[index].reason) + ')';
            return 'query: ' + r.queries[index].title;
          }

          /** The note as text with one element per stretch covered by the same spans. */
          function renderNote() {
            const target = $('rendered');
            target.replaceChildren();
            const cuts = new Set([0, state.bytes.length]);
            for (const s of state.spans) { cuts.add(s.start); cuts.add(s.end); }
            const points = [...cuts].sort((a, b) => a - b);
            const fragment = document.createDocumentFragment();
            for (let i = 0; i + 1 < points.length; i += 1) {
              const a = points[i], b = points[i + 1];
              const text = slice(a, b);
              const covering = state.spans.filter((s) => s.start <= a && s.end >= b);
              if (covering.length === 0) { fragment.append(text); continue; }
              const kinds = [...new Set(covering.map((s) => s.kind).filter(Boolean))];
              const refs = [...new Set(covering.map((s) => s.ref))];
              fragment.append(el('span', {
                class: ['hl', ...kinds].join(' '), text, 'data-refs': refs.join(' '),
                'data-start': a, 'data-end': b, title: refs.map(labelFor).join('\n')
              }));
            }
            target.append(fragment);
          }

          // ---- tables --------------------------------------------------------------------------

          function where(evidence) {
            return (evidence.section ? evidence.section + ', ' : '') + 'line ' + evidence.line;
          }

          function statusBadge(item) {
            if (item.status === 'pending-query') {
              return el('span', { class: 'badge pending' }, 'pending query: ' + item.pendingQueries.join(', '));
            }
            if (item.status === 'edit-flagged') return el('span', { class: 'badge edit' }, 'claim edit: see below');
            return el('span', { class: item.status === 'suggested' ? 'badge ok' : 'badge pending' }, item.status);
          }

          function codeRow(item, kind, index) {
            const ref = kind + '-' + index;
            const isProcedure = kind === 'px';
            return el('tr', { 'data-ref': ref },
              el('td', {}, el('button', { type: 'button', class: 'code-button', 'aria-pressed': 'false', 'data-ref': ref,
                'aria-label': item.code + ' (' + (isProcedure ? 'procedure' : 'diagnosis') + '): highlight its evidence' }, item.code),
                el('span', { class: 'kind ' + kind }, isProcedure ? 'procedure' : 'diagnosis')),
              el('td', {}, item.label, el('span', { class: 'where block' }, [...new Set(item.evidence.map(where))].join('; '))),
              el('td', {}, isProcedure && item.modifiers.length ? item.modifiers.join(', ') : '—'),
              el('td', {}, isProcedure ? String(item.units) : '—'),
              el('td', {}, isProcedure ? (item.diagnoses.length ? item.diagnoses.join(', ') : 'none') : '—'),
              el('td', {}, statusBadge(item))
            );
          }

          function fillCodes(report) {
            const body = $('codes').tBodies[0];
            body.replaceChildren(
              ...report.diagnoses.map((d, i) => codeRow(d, 'dx', i)),
              ...report.procedures.map((p, i) => codeRow(p, 'px', i))
            );
            const none = report.diagnoses.length + report.procedures.length === 0;
            $('codes').hidden = none;
            $('no-codes').hidden = !none;
          }

          function fillEdits(report) {
            const edits = report.edits || [];
            $('edits').replaceChildren(...edits.map((e) => el('li', {},
              el('span', { class: 'badge edit' }, (e.kind || 'edit') + ' · ' + (editStatuses[e.status] || e.status)), ' ',
              el('strong', {}, (e.codes || []).join(' + ')), ' — ', e.message,
              e.source ? el('span', { class: 'source' }, e.source) : null)));
            $('edits-block').hidden = edits.length === 0;
          }

          function fillExcluded(report) {
            const body = $('excluded').tBodies[0];
            body.replaceChildren(...report.excluded.map((x, i) => el('tr', { 'data-ref': 'ex-' + i, tabindex: '0' },
              el('td', {}, x.label),
              el('td', {}, el('span', { class: 'badge reason' }, reasons[x.reason] || x.reason)),
              el('td', {}, x.cue ? '“' + x.cue + '”' : '—'),
              el('td', { class: 'where' }, where(x.evidence))
            )));
            $('excluded').hidden = report.excluded.length === 0;
            $('no-excluded').hidden = report.excluded.length !== 0;
          }

          async function copyText(text) {
            if (navigator.clipboard && window.isSecureContext) {
              try { await navigator.clipboard.writeText(text); return true; } catch (e) { /* fall back */ }
            }
            const area = el('textarea', { class: 'visually-hidden', 'aria-hidden': 'true' });
            area.value = text;
            document.body.append(area);
            area.select();
            let ok = false;
            try { ok = document.execCommand('copy'); } catch (e) { ok = false; }
            area.remove();
            return ok;
          }

          function fillQueries(report) {
            const target = $('queries');
            target.replaceChildren(...report.queries.map((q, i) => {
              const copy = el('button', { type: 'button', class: 'copy', 'aria-label': 'Copy the query “' + q.title + '”' }, 'Copy');
              copy.addEventListener('click', async () => {
                const ok = await copyText(q.text);
                copy.textContent = ok ? 'Copied' : 'Copy failed';
                setStatus(ok ? 'Query “' + q.title + '” copied to the clipboard.' : 'The browser refused to copy; select the text instead.', !ok);
                setTimeout(() => { copy.textContent = 'Copy'; }, 2000);
              });
              const show = el('button', { type: 'button', class: 'secondary show', 'data-ref': 'q-' + i, 'aria-pressed': 'false' }, 'Show in note');
              show.addEventListener('click', () => select('q-' + i));
              return el('article', { class: 'query', 'data-ref': 'q-' + i, 'aria-label': q.title },
                el('header', {}, el('h4', {}, q.title + ' — ' + q.about), el('div', { class: 'actions' }, show, copy)),
                el('pre', {}, q.text));
            }));
            $('no-queries').hidden = report.queries.length !== 0;
          }

          // ---- selection -----------------------------------------------------------------------

          function select(ref) {
            const again = state.selected === ref;
            document.querySelectorAll('.is-selected').forEach((n) => n.classList.remove('is-selected'));
            document.querySelectorAll('[aria-pressed="true"]').forEach((n) => n.setAttribute('aria-pressed', 'false'));
            document.querySelectorAll('#rendered .selected').forEach((n) => n.classList.remove('selected'));
            state.selected = again ? null : ref;
            if (again) { setStatus('Selection cleared.'); return; }
            document.querySelectorAll('[data-ref="' + ref + '"]').forEach((n) => {
              if (n.tagName === 'TR' || n.tagName === 'ARTICLE') n.classList.add('is-selected');
              if (n.hasAttribute('aria-pressed')) n.setAttribute('aria-pressed', 'true');
            });
            const marks = [...document.querySelectorAll('#rendered .hl')].filter((n) => n.dataset.refs.split(' ').includes(ref));
            marks.forEach((n) => n.classList.add('selected'));
            if (marks.length) {
              const note = $('rendered');
              note.scrollTop = Math.max(0, marks[0].offsetTop - note.offsetTop - note.clientHeight / 3);
            }
            setStatus(labelFor(ref) + ': ' + (marks.length ? 'evidence highlighted in the note.' : 'no evidence to show.'));
          }

          function onRowActivate(event) {
            // Buttons inside a row turn Enter and Space into clicks themselves; rows without a
            // button take the keys here.
            if (event.type === 'keydown' && (event.target.tagName !== 'TR' || (event.key !== 'Enter' && event.key !== ' '))) return;
            const row = event.target.closest('tr[data-ref]');
            if (!row) return;
            if (event.type === 'keydown') event.preventDefault();
            select(row.dataset.ref);
          }

          // ---- results -------------------------------------------------------------------------

          function show(text, report) {
            state.text = text;
            state.bytes = encoder.encode(text);
            state.report = report;
            state.selected = null;
            state.spans = collectSpans(report);
            const date = report.dateOfService ? report.dateOfService + ' (' + (dateSources[report.dateSource] || report.dateSource) + ')' : 'none found';
            $('meta').textContent = 'Date of service: ' + date + ' · ICD-10-CM: ' + report.codeSets.icd10cm
              + (report.codeSets.icd10cmNote ? ' (' + report.codeSets.icd10cmNote + ')' : '') + ' · ' + report.codeSets.procedures;
            $('warnings').replaceChildren(...report.warnings.map((w) => el('li', {}, w)));
            fillCodes(report);
            fillEdits(report);
            fillExcluded(report);
            fillQueries(report);
            renderNote();
            $('results').hidden = false;
          }

          async function suggest(event) {
            event.preventDefault();
            const text = $('note').value;
            if (!text.trim()) { setStatus('Paste a note first.', true); $('note').focus(); return; }
            const body = { text };
            if ($('date').value) body.dateOfService = $('date').value;
            const button = $('suggest');
            button.disabled = true;
            setStatus('Coding the note…');
            try {
              const response = await fetch('/v1/suggest', {
                method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body), cache: 'no-store'
              });
              const payload = await response.json().catch(() => null);
              if (!response.ok) {
                const message = payload && payload.error && payload.error.message ? payload.error.message : 'the server answered ' + response.status;
                setStatus('Could not code the note: ' + message + '.', true);
                return;
              }
              show(text, payload);
              const r = payload;
              const pending = [...r.diagnoses, ...r.procedures].filter((c) => c.status === 'pending-query').length;
              setStatus(r.diagnoses.length + ' diagnosis code(s), ' + r.procedures.length + ' procedure line(s)'
                + (pending ? ' (' + pending + ' pending a query)' : '') + ', ' + r.queries.length + ' provider quer'
                + (r.queries.length === 1 ? 'y' : 'ies') + ', ' + r.excluded.length + ' finding(s) set aside.');
            } catch (error) {
              setStatus('Could not reach the NoteCoder server (' + error.message + ').', true);
            } finally {
              button.disabled = false;
            }
          }

          const sample = [
            'PAIN MANAGEMENT — FOLLOW-UP AND PROCEDURE NOTE',
            'Date of service: 02/11/2025',
            'Patient: sample patient (synthetic note; “Zoë” is not a real person)',
            '',
            'CHIEF COMPLAINT: Left knee pain and right-sided neck pain.',
            '',
            'HISTORY OF PRESENT ILLNESS: 58-year-old man with left knee pain for two years, worse on stairs, 6/10 despite physical therapy and naproxen. He also has tight, tender knots in the right upper trapezius and right rhomboid with pain toward the shoulder blade.',
            '',
            'REVIEW OF SYSTEMS: Denies numbness in the hands. No fever.',
            '',
            'PHYSICAL EXAMINATION:',
            'Left knee: crepitus, medial joint line tenderness, no effusion; flexion to 110°.',
            'Upper back: taut bands with reproducible trigger points in the right upper trapezius and right rhomboid major.',
            'Wrists: Phalen’s negative; no evidence of carpal tunnel syndrome.',
            '',
            'ASSESSMENT:',
            '1. Primary osteoarthritis of the left knee.',
            '2. Myofascial pain syndrome, right upper trapezius and rhomboid.',
            '',
            'PROCEDURE 1: Left knee intra-articular injection, landmark guided, without ultrasound.',
            'After consent and time-out, 40 mg triamcinolone with 3 mL 1% lidocaine was injected into the left knee joint through a superolateral approach. No complications.',
            '',
            'PROCEDURE 2: Trigger point injections to the right upper trapezius and right rhomboid major (two muscles), 1 mL 1% lidocaine each.',
            '',
            'PLAN: Home exercise program. Will consider a right greater occipital nerve block at the next visit if headaches develop. Follow up in 6 weeks.',
            ''
          ].join('\n');

          document.addEventListener('DOMContentLoaded', () => {
            $('suggest-form').addEventListener('submit', suggest);
            $('sample').addEventListener('click', () => { $('note').value = sample; $('note').focus(); setStatus('Sample note loaded; press Suggest codes.'); });
            $('clear').addEventListener('click', () => {
              $('note').value = ''; $('date').value = ''; $('results').hidden = true; setStatus(''); $('note').focus();
            });
            for (const id of ['codes', 'excluded']) {
              $(id).tBodies[0].addEventListener('click', onRowActivate);
              $(id).tBodies[0].addEventListener('keydown', onRowActivate);
            }
            document.body.dataset.ready = 'true';
          });
        })();

        """#
}
