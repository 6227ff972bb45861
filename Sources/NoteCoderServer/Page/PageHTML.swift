/// The page, its style and its script, compiled into the binary: the page loads nothing from
/// the internet, and nothing but these three resources and the API from this server.
enum PageAssets {
    static let html = #"""
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>NoteCoder — code suggestions for a visit note</title>
        <link rel="icon" href="data:,">
        <link rel="stylesheet" href="/assets/app.css">
        <script src="/assets/app.js" defer></script>
        </head>
        <body>
        <a class="skip" href="#results">Skip to the results</a>
        <header class="top">
          <h1>NoteCoder</h1>
          <p>Paste a pain-management visit note to see ICD-10-CM and CPT/HCPCS suggestions and the words
          of the note behind each one. The note stays on this computer: it is neither stored nor logged.</p>
        </header>
        <main>
          <section class="panel" aria-labelledby="note-heading">
            <h2 id="note-heading">Visit note</h2>
            <form id="suggest-form" novalidate>
              <label for="note">Note text</label>
              <textarea id="note" name="text" rows="14" spellcheck="false" autocomplete="off"
                placeholder="Paste the note here"></textarea>
              <div class="form-row">
                <div>
                  <label for="date">Date of service</label>
                  <input type="date" id="date" name="dateOfService" aria-describedby="date-hint">
                  <span id="date-hint" class="hint">Optional. When given it wins over a date written in the note.</span>
                </div>
                <div class="actions">
                  <button type="submit" id="suggest">Suggest codes</button>
                  <button type="button" id="sample" class="secondary">Load a sample note</button>
                  <button type="button" id="clear" class="secondary">Clear</button>
                </div>
              </div>
              <p id="status" class="status" role="status" aria-live="polite"></p>
            </form>
          </section>

          <section id="results" class="panel" aria-labelledby="results-heading" hidden>
            <h2 id="results-heading">Suggestions</h2>
            <p id="meta" class="meta"></p>
            <ul id="warnings" class="warnings"></ul>
            <div class="columns">
              <div class="column">
                <h3 id="codes-heading">Codes</h3>
                <p class="hint">Select a code to highlight its evidence in the note.</p>
                <div class="table-wrap">
                <table id="codes" aria-labelledby="codes-heading">
                  <thead>
                    <tr><th scope="col">Code</th><th scope="col">Description</th>
                    <th scope="col">Modifiers</th><th scope="col">Units</th><th scope="col">Diagnoses</th>
                    <th scope="col">Status</th></tr>
                  </thead>
                  <tbody></tbody>
                </table>
                </div>
                <p id="no-codes" class="empty" hidden>No codes were suggested for this note.</p>

                <div id="edits-block" hidden>
                  <h3 id="edits-heading">Claim edits</h3>
                  <ul id="edits" class="edits" aria-labelledby="edits-heading"></ul>
                </div>

                <h3 id="excluded-heading">Seen but not coded</h3>
                <div class="table-wrap">
                <table id="excluded" aria-labelledby="excluded-heading">
                  <thead>
                    <tr><th scope="col">Finding</th><th scope="col">Reason</th><th scope="col">Decided by</th><th scope="col">Where</th></tr>
                  </thead>
                  <tbody></tbody>
                </table>
                </div>
                <p id="no-excluded" class="empty" hidden>Nothing was set aside.</p>

                <h3 id="queries-heading">Provider queries</h3>
                <div id="queries"></div>
                <p id="no-queries" class="empty" hidden>No queries: the documentation answers every coding question.</p>
              </div>

              <div class="column note-column">
                <h3 id="rendered-heading">The note, with evidence highlighted</h3>
                <ul class="legend" aria-label="What the highlights mean">
                  <li><span class="hl dx">diagnosis</span> evidence for a diagnosis</li>
                  <li><span class="hl px">procedure</span> evidence for a procedure</li>
                  <li><span class="hl attr">attribute</span> side, site or type word used by a code</li>
                  <li><span class="hl ex">set aside</span> a finding that was not coded</li>
                  <li><span class="hl cue">cue</span> the words that set it aside</li>
                  <li><span class="hl selected">selected</span> evidence of the selected row</li>
                </ul>
                <pre id="rendered" class="rendered" tabindex="0" aria-labelledby="rendered-heading"></pre>
              </div>
            </div>
          </section>
        </main>
        <footer class="bottom">
          <p>Suggestions for review by a certified coder. NoteCoder runs on this computer and sends the note nowhere else.</p>
        </footer>
        </body>
        </html>

        """#
}
