extension PageAssets {
    static let css = #"""
        :root {
          --ink: #1b1f24;
          --muted: #57606a;
          --line: #d0d7de;
          --panel: #ffffff;
          --page: #f4f6f8;
          --accent: #0b5cad;
          --dx: #cfe4ff;
          --dx-strong: #0b5cad;
          --px: #c9f0d3;
          --px-strong: #1a7f37;
          --attr: #8250df;
          --ex: #fff1c7;
          --ex-strong: #9a6700;
          --cue: #cf222e;
          --selected: #ffd33d;
          font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
          font-size: 15px;
          line-height: 1.45;
          color: var(--ink);
          background: var(--page);
        }
        * { box-sizing: border-box; }
        body { margin: 0; }
        .skip { position: absolute; left: -9999px; }
        .skip:focus { left: 1rem; top: 1rem; background: #fff; padding: .5rem; z-index: 10; }
        .top { background: #0d2c4f; color: #fff; padding: .9rem 1.5rem; }
        .top h1 { margin: 0 0 .2rem; font-size: 1.45rem; letter-spacing: .01em; }
        .top p { margin: 0; max-width: 70rem; color: #dce8f5; }
        main { padding: 1rem 1.5rem; display: grid; gap: 1rem; }
        .panel { background: var(--panel); border: 1px solid var(--line); border-radius: 8px; padding: 1rem 1.25rem; }
        h2 { margin: 0 0 .6rem; font-size: 1.2rem; }
        h3 { margin: 1.1rem 0 .4rem; font-size: 1.02rem; }
        .column > h3:first-child { margin-top: 0; }
        label { font-weight: 600; display: block; margin-bottom: .25rem; }
        textarea {
          width: 100%; font: 13.5px/1.45 ui-monospace, "SFMono-Regular", Menlo, Consolas, "DejaVu Sans Mono", monospace;
          padding: .6rem; border: 1px solid #8c959f; border-radius: 6px; resize: vertical; color: var(--ink);
        }
        input[type=date] { font: inherit; padding: .3rem .4rem; border: 1px solid #8c959f; border-radius: 6px; }
        textarea:focus, input:focus, button:focus, .rendered:focus, tr:focus { outline: 3px solid #0969da; outline-offset: 1px; }
        .form-row { display: flex; flex-wrap: wrap; gap: 1rem 2rem; align-items: flex-end; justify-content: space-between; margin-top: .7rem; }
        .hint { color: var(--muted); font-size: .88rem; display: block; }
        .actions { display: flex; gap: .5rem; flex-wrap: wrap; }
        button {
          font: inherit; font-weight: 600; padding: .45rem 1rem; border-radius: 6px; cursor: pointer;
          border: 1px solid var(--accent); background: var(--accent); color: #fff;
        }
        button:hover { background: #084a8c; }
        button.secondary { background: #fff; color: var(--accent); }
        button.secondary:hover { background: #eef4fb; }
        button:disabled { opacity: .6; cursor: progress; }
        .status { min-height: 1.4em; margin: .6rem 0 0; color: var(--muted); }
        .status.error { color: var(--cue); font-weight: 600; }
        .meta { margin: 0 0 .4rem; color: var(--muted); }
        .warnings { margin: 0 0 .6rem; padding-left: 1.2rem; color: var(--ex-strong); }
        .warnings:empty { display: none; }
        .columns { display: grid; grid-template-columns: minmax(0, 1.1fr) minmax(0, 1fr); gap: 1.25rem; align-items: start; }
        @media (max-width: 1100px) { .columns { grid-template-columns: minmax(0, 1fr); } }
        .note-column { position: sticky; top: .75rem; }
        .table-wrap { overflow-x: auto; }
        table { width: 100%; border-collapse: collapse; font-size: .9rem; }
        th, td { text-align: left; vertical-align: top; padding: .35rem .4rem; border-bottom: 1px solid var(--line); }
        td.where { min-width: 8.5rem; }
        th { background: #f0f3f6; font-weight: 600; white-space: nowrap; }
        tbody tr { cursor: pointer; }
        tbody tr:hover { background: #f6f8fa; }
        tbody tr.is-selected { background: #fff8c5; box-shadow: inset 4px 0 0 #bf8700; }
        .code-button {
          font: 600 .95rem ui-monospace, Menlo, Consolas, "DejaVu Sans Mono", monospace; padding: .1rem .35rem;
          background: transparent; color: var(--accent); border: 1px solid transparent; text-decoration: underline;
        }
        .code-button:hover { background: #eef4fb; }
        .kind { display: block; width: max-content; margin-top: .15rem; padding: 0 .4rem; border-radius: 999px; font-size: .8rem; font-weight: 600; white-space: nowrap; }
        .kind.dx { background: var(--dx); color: #083d74; }
        .kind.px { background: var(--px); color: #0f5323; }
        .badge { display: inline-block; padding: 0 .4rem; border-radius: 4px; font-size: .8rem; font-weight: 600; white-space: nowrap; }
        .badge.ok { background: #dafbe1; color: #116329; }
        .badge.pending { background: #fff1c7; color: #7d4e00; border: 1px solid #d4a72c; }
        .badge.reason { background: #ffebe9; color: #a40e26; }
        .badge.edit { background: #fbefff; color: #6639ba; border: 1px solid #c297ff; }
        .edits { margin: 0; padding-left: 1.1rem; font-size: .9rem; }
        .edits li { margin-bottom: .35rem; }
        .edits .source { color: var(--muted); font-size: .82rem; display: block; }
        .where { color: var(--muted); font-size: .85rem; }
        .where.block { display: block; font-size: .8rem; margin-top: .15rem; }
        .empty { color: var(--muted); font-style: italic; }
        .query { border: 1px solid var(--line); border-radius: 6px; padding: .6rem .75rem; margin-bottom: .7rem; background: #fbfcfd; }
        .query header { display: flex; justify-content: space-between; align-items: center; gap: .75rem; }
        .query h4 { margin: 0; font-size: .98rem; }
        .query pre { white-space: pre-wrap; margin: .5rem 0 0; font: .86rem/1.4 ui-monospace, Menlo, Consolas, "DejaVu Sans Mono", monospace; }
        .query .show { font-size: .85rem; padding: .15rem .5rem; }
        .query .copy { font-size: .85rem; padding: .2rem .7rem; }
        .rendered {
          margin: 0; padding: .75rem; border: 1px solid var(--line); border-radius: 6px; background: #fff;
          white-space: pre-wrap; word-wrap: break-word; max-height: 78vh; overflow: auto;
          font: 13.5px/1.6 ui-monospace, "SFMono-Regular", Menlo, Consolas, "DejaVu Sans Mono", monospace;
        }
        .legend { list-style: none; margin: 0 0 .5rem; padding: 0; display: flex; flex-wrap: wrap; gap: .3rem 1rem; font-size: .85rem; color: var(--muted); }
        .legend .hl { color: var(--ink); font-weight: 600; }
        .hl { border-radius: 2px; }
        .hl.ex { background: var(--ex); text-decoration: underline dashed var(--ex-strong); text-underline-offset: 3px; }
        .hl.dx { background: var(--dx); box-shadow: inset 0 -2px 0 var(--dx-strong); text-decoration: none; }
        .hl.px { background: var(--px); box-shadow: inset 0 -2px 0 var(--px-strong); text-decoration: none; }
        .hl.dx.px { background: linear-gradient(to bottom, var(--dx) 0 50%, var(--px) 50% 100%); box-shadow: inset 0 -2px 0 var(--px-strong); }
        .hl.attr { border-bottom: 3px solid var(--attr); font-weight: 600; }
        .hl.cue { color: #82071e; font-weight: 700; outline: 2px solid var(--cue); outline-offset: -1px; background: #ffebe9; }
        .hl.selected { background: var(--selected); box-shadow: inset 0 -3px 0 #7d4e00; outline: 2px solid #7d4e00; outline-offset: 0; }
        .bottom { padding: 0 1.5rem 1.5rem; color: var(--muted); font-size: .85rem; }
        .visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
        @media (prefers-reduced-motion: no-preference) { .rendered { scroll-behavior: smooth; } }

        """#
}
