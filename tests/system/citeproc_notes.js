// citeproc-js (Zotero's citation engine, npm `citeproc`) as a note-style word processor
// would drive it: one citation per footnote, in order, then the bibliography.
// stdin: {"items": [CSL-JSON], "style": "<xml>", "locale": "<xml>",
//         "cites": [{"id": ..., "locator": ..., "label": ...}, ...]}
// stdout: {"notes": ["text of note 1", ...], "bibliography": ["entry", ...]}
"use strict";
const CSL = require("citeproc");

let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => { input += chunk; });
process.stdin.on("end", () => {
  const job = JSON.parse(input);
  const items = Object.fromEntries(job.items.map((item) => [item.id, item]));
  const sys = {
    retrieveLocale: () => job.locale,
    retrieveItem: (id) => items[id],
  };
  const engine = new CSL.Engine(sys, job.style, "en-US");
  engine.setOutputFormat("text");
  engine.updateItems(job.items.map((item) => item.id));
  const notes = [];
  const before = [];
  job.cites.forEach((cite, n) => {
    const citation = {
      citationID: `c${n}`,
      citationItems: [cite],
      properties: { noteIndex: n + 1 },
    };
    const [, out] = engine.processCitationCluster(citation, before, []);
    for (const [index, text] of out) notes[index] = text;
    before.push([`c${n}`, n + 1]);
  });
  const [, bibliography] = engine.makeBibliography();
  process.stdout.write(JSON.stringify({ notes, bibliography: bibliography.map((b) => b.trim()) }));
});
