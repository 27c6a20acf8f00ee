// askear chat page: plain DOM, no build step. Server text is only ever inserted as text nodes, never as HTML.
"use strict";

(() => {
  const TOKEN_KEY = "askear-token";
  const MAX_HISTORY = 20; // messages sent back as context; older turns are dropped
  const LABELS = { regulation: "Regulation", list: "List", federal_register: "Federal Register", news: "News" };

  const $ = (id) => document.getElementById(id);
  const history = [];
  let busy = false;

  // ---------- small helpers ----------

  function el(tag, attrs = {}, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs)) {
      if (value === null || value === undefined || value === false) continue;
      if (key === "class") node.className = value;
      else if (key === "text") node.textContent = value;
      else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value === true ? "" : String(value));
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function safeUrl(url) {
    // Only web links: a javascript: URL in the data must never become a clickable link.
    try {
      const parsed = new URL(url, window.location.href);
      return parsed.protocol === "https:" || parsed.protocol === "http:" ? parsed.href : null;
    } catch {
      return null;
    }
  }

  // Mirrors assistant.render.badge so the page and the terminal name sources the same way.
  function badgeText(sourceType, date) {
    const label = LABELS[sourceType] || sourceType;
    if (sourceType === "regulation") return date ? `${label} · 15 CFR · as of ${date}` : `${label} · 15 CFR`;
    if (sourceType === "list") return date ? `${label} · as of ${date}` : label;
    if (date) return `${label} · ${date}`;
    return sourceType === "news" ? `${label} · undated` : label;
  }

  function badge(sourceType, date) {
    return el("span", { class: `badge badge-${sourceType}`, text: badgeText(sourceType, date) });
  }

  // ---------- HTTP ----------

  function authHeaders(extra = {}) {
    const token = localStorage.getItem(TOKEN_KEY);
    return token ? { ...extra, Authorization: `Bearer ${token}` } : extra;
  }

  class ApiError extends Error {
    constructor(status, message, retryAfter) {
      super(message);
      this.status = status;
      this.retryAfter = retryAfter;
    }
  }

  async function errorFrom(response) {
    let message = `${response.status} ${response.statusText}`;
    try {
      const body = await response.json();
      if (body && body.error && body.error.message) message = body.error.message;
    } catch {
      /* not JSON: keep the status line */
    }
    if (response.status === 401) openTokenDialog("This server needs an API token. " + message);
    return new ApiError(response.status, message, response.headers.get("Retry-After"));
  }

  async function getJson(path) {
    const response = await fetch(path, { headers: authHeaders() });
    if (!response.ok) throw await errorFrom(response);
    return response.json();
  }

  async function postJson(path, body) {
    const response = await fetch(path, {
      method: "POST",
      headers: authHeaders({ "Content-Type": "application/json" }),
      body: JSON.stringify(body),
    });
    if (!response.ok) throw await errorFrom(response);
    return response.json();
  }

  // Server-sent events over fetch (EventSource can neither POST nor send a token).
  async function postEvents(path, body, onEvent) {
    const response = await fetch(path, {
      method: "POST",
      headers: authHeaders({ "Content-Type": "application/json", Accept: "text/event-stream" }),
      body: JSON.stringify(body),
    });
    if (!response.ok) throw await errorFrom(response);
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true }).replace(/\r\n?/g, "\n");
      let cut;
      while ((cut = buffer.indexOf("\n\n")) >= 0) {
        const block = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        let name = "message";
        const data = [];
        for (const line of block.split("\n")) {
          if (line.startsWith("event:")) name = line.slice(6).trim();
          else if (line.startsWith("data:")) data.push(line.slice(5).replace(/^ /, ""));
        }
        if (data.length) onEvent(name, JSON.parse(data.join("\n")));
      }
    }
  }

  // ---------- the conversation ----------

  function renderWithMarkers(text, citations, container) {
    // "[1][2]" markers become buttons that open the source; everything else stays text.
    const byN = new Map(citations.map((c) => [c.n, c]));
    let last = 0;
    for (const match of text.matchAll(/\[(\d+)\]/g)) {
      container.append(document.createTextNode(text.slice(last, match.index)));
      const citation = byN.get(Number(match[1]));
      container.append(
        citation
          ? el("button", {
              type: "button",
              class: "cite",
              "aria-label": `Source ${citation.n}: ${citation.id}`,
              title: citation.id,
              text: citation.n,
              onclick: (event) => openSource(citation, event.currentTarget),
            })
          : match[0],
      );
      last = match.index + match[0].length;
    }
    container.append(document.createTextNode(text.slice(last)));
  }

  function sourceList(citations) {
    const list = el("ol", { class: "sources", "aria-label": "Sources" });
    for (const c of citations) {
      list.append(
        el(
          "li",
          {},
          el(
            "button",
            {
              type: "button",
              class: `chip chip-${c.source_type}`,
              "aria-label": `Open source ${c.n}: ${c.id}, ${badgeText(c.source_type, c.date)}`,
              onclick: (event) => openSource(c, event.currentTarget),
            },
            el("span", { class: "chip-n", text: c.n }),
            badge(c.source_type, c.date),
            el("span", { class: "chip-id", text: c.id }),
          ),
          // A list record's title is its name, already in the id: show it only where it adds something.
          c.id.endsWith(c.title) ? null : el("span", { class: "chip-title", text: c.title }),
        ),
      );
    }
    return list;
  }

  function answerAsMarkdown(answer) {
    const lines = [answer.answer, ...answer.notes.map((n) => `_Note: ${n}_`)];
    if (answer.citations.length) {
      lines.push("", "Sources:");
      for (const c of answer.citations) {
        lines.push(`[${c.n}] ${c.id} — ${c.title} (${badgeText(c.source_type, c.date)})${c.url ? ` <${c.url}>` : ""}`);
      }
    }
    return lines.join("\n");
  }

  // Drawn, not emoji: many Linux machines have no emoji font. Paths from Feather icons (MIT).
  const THUMBS = {
    up: "M14 9V5a3 3 0 0 0-3-3l-4 9v11h11.28a2 2 0 0 0 2-1.7l1.38-9a2 2 0 0 0-2-2.3zM7 22H4a2 2 0 0 1-2-2v-7a2 2 0 0 1 2-2h3",
    down: "M10 15v4a3 3 0 0 0 3 3l4-9V2H5.72a2 2 0 0 0-2 1.7l-1.38 9a2 2 0 0 0 2 2.3zm7-13h2.67A2.31 2.31 0 0 1 22 4v7a2.31 2.31 0 0 1-2.33 2H17",
  };

  function thumbIcon(rating) {
    const ns = "http://www.w3.org/2000/svg";
    const svg = document.createElementNS(ns, "svg");
    for (const [k, v] of Object.entries({ viewBox: "0 0 24 24", width: "16", height: "16", fill: "none", stroke: "currentColor",
      "stroke-width": "2", "stroke-linecap": "round", "stroke-linejoin": "round", "aria-hidden": "true", focusable: "false" })) {
      svg.setAttribute(k, v);
    }
    const path = document.createElementNS(ns, "path");
    path.setAttribute("d", THUMBS[rating]);
    svg.append(path);
    return svg;
  }

  async function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return;
    }
    const area = el("textarea", { class: "visually-hidden" });
    area.value = text;
    document.body.append(area);
    area.select();
    document.execCommand("copy");
    area.remove();
  }

  function actions(answer) {
    const status = el("span", { class: "action-status", role: "status" });
    const copy = el("button", {
      type: "button",
      class: "ghost small",
      text: "Copy answer",
      onclick: async () => {
        try {
          await copyText(answerAsMarkdown(answer));
          status.textContent = "Copied.";
        } catch {
          status.textContent = "Copy failed: select the text instead.";
        }
      },
    });
    const votes = [];
    const vote = (rating, label) =>
      el("button", {
        type: "button",
        class: "ghost small vote",
        "aria-label": label,
        "aria-pressed": "false",
        "data-rating": rating,
        title: label,
        onclick: async (event) => {
          const button = event.currentTarget;
          votes.forEach((b) => (b.disabled = true));
          try {
            await postJson("/v1/feedback", {
              rating,
              question: answer.question,
              answer: answer.answer,
              abstained: answer.abstained,
              citations: answer.citations,
            });
            button.setAttribute("aria-pressed", "true");
            status.textContent = "Thanks, your feedback is saved.";
          } catch (error) {
            votes.forEach((b) => (b.disabled = false));
            status.textContent = `Feedback not saved: ${error.message}`;
          }
        },
      });
    votes.push(vote("up", "Helpful"), vote("down", "Not helpful"));
    votes.forEach((button) => button.append(thumbIcon(button.dataset.rating)));
    return el("div", { class: "actions" }, copy, ...votes, status);
  }

  function renderAnswer(bubble, answer) {
    bubble.replaceChildren();
    bubble.classList.remove("pending");
    bubble.classList.toggle("abstained", answer.abstained);
    if (answer.abstained) {
      bubble.append(el("p", { class: "abstain-label", text: "No supported answer" }));
    }
    const text = el("p", { class: "answer-text" });
    renderWithMarkers(answer.answer, answer.citations, text);
    bubble.append(text);
    if (answer.abstained) {
      bubble.append(
        el("p", {
          class: "hint",
          text: "askear found no passage in its sources that supports an answer, so it cites nothing. Try naming the part, ECCN or party.",
        }),
      );
    }
    for (const note of answer.notes) bubble.append(el("p", { class: "note", text: note }));
    if (answer.citations.length) bubble.append(sourceList(answer.citations));
    bubble.append(actions(answer));
  }

  function addMessage(role, text) {
    const bubble = el("div", { class: `bubble ${role}` });
    if (text) bubble.textContent = text;
    const item = el("li", { class: `message message-${role}` }, el("span", { class: "visually-hidden", text: role === "user" ? "You:" : "askear:" }), bubble);
    $("log").append(item);
    $("intro").hidden = true;
    item.scrollIntoView({ block: "end", behavior: "smooth" });
    return bubble;
  }

  function showError(bubble, error) {
    bubble.classList.remove("pending");
    bubble.classList.add("error");
    let message = error.message;
    if (error.status === 429 && error.retryAfter) message += ` (retry after ${error.retryAfter} s)`;
    bubble.replaceChildren(el("p", { role: "alert", text: message }));
  }

  async function ask(question) {
    if (busy) return;
    busy = true;
    $("send").disabled = true;
    addMessage("user", question);
    const bubble = addMessage("assistant");
    bubble.classList.add("pending");
    bubble.setAttribute("aria-busy", "true");
    const draft = el("p", { class: "answer-text streaming" });
    bubble.append(el("p", { class: "thinking", text: "Searching the sources…" }), draft);
    const context = history.slice(-MAX_HISTORY);
    try {
      let final = null;
      await postEvents("/v1/ask/stream", { question, history: context }, (name, data) => {
        if (name === "sources") {
          bubble.querySelector(".thinking").textContent = data.length
            ? `Found ${data.length} source${data.length > 1 ? "s" : ""}; checking the answer against them…`
            : "No candidate sources found…";
        } else if (name === "token") {
          draft.append(document.createTextNode(data.text));
        } else if (name === "answer") {
          final = data;
          renderAnswer(bubble, data);
        } else if (name === "error") {
          throw new ApiError(data.status || 500, data.error.message);
        }
      });
      if (!final) throw new ApiError(502, "the answer stream ended early; please ask again");
      history.push({ role: "user", content: question }, { role: "assistant", content: final.answer });
    } catch (error) {
      showError(bubble, error);
    } finally {
      bubble.removeAttribute("aria-busy");
      busy = false;
      $("send").disabled = false;
    }
  }

  // ---------- the source viewer ----------

  function normalise(text) {
    // Whitespace runs become one space and curly quotes straight; `map` leads back to positions in `text`.
    let out = "";
    const map = [];
    let space = false;
    for (let i = 0; i < text.length; i++) {
      let ch = text[i];
      if (/\s/.test(ch)) {
        if (space) continue;
        ch = " ";
        space = true;
      } else {
        space = false;
        ch = ch.replace(/[\u201c\u201d]/g, '"').replace(/[\u2018\u2019]/g, "'");
      }
      out += ch.toLowerCase();
      map.push(i);
    }
    return { out, map };
  }

  function quoteRanges(text, quote) {
    // A quote may join several passages with " … "; find each in the unit's text.
    const hay = normalise(text);
    const ranges = [];
    for (const piece of quote.split(" … ")) {
      const needle = normalise(piece.trim()).out.trim();
      if (needle.length < 3) continue;
      let at = hay.out.indexOf(needle);
      let length = needle.length;
      if (at < 0 && needle.length > 80) {
        // The composer may trim a passage's end; its opening is still exact text.
        length = 80;
        at = hay.out.indexOf(needle.slice(0, length));
      }
      if (at < 0) continue;
      ranges.push([hay.map[at], hay.map[at + length - 1] + 1]);
    }
    ranges.sort((a, b) => a[0] - b[0]);
    const merged = [];
    for (const r of ranges) {
      if (merged.length && r[0] <= merged[merged.length - 1][1]) {
        merged[merged.length - 1][1] = Math.max(merged[merged.length - 1][1], r[1]);
      } else merged.push(r);
    }
    return merged;
  }

  let returnFocus = null;

  function navButton(label, unitId) {
    return el("button", {
      type: "button",
      class: "ghost small",
      text: `${label}: ${unitId}`,
      onclick: () => loadSource({ id: unitId }),
    });
  }

  async function loadSource(citation) {
    const dialog = $("source-dialog");
    $("source-title").textContent = citation.title || citation.id;
    $("source-id").textContent = citation.id;
    $("source-text").replaceChildren(el("p", { class: "hint", text: "Loading…" }));
    $("source-nav").replaceChildren();
    $("source-quote-status").textContent = "";
    if (!dialog.open) dialog.showModal();
    let unit;
    try {
      unit = await getJson(`/v1/sources/${encodeURIComponent(citation.id)}`);
    } catch (error) {
      $("source-text").replaceChildren(el("p", { role: "alert", text: error.message }));
      return;
    }
    const badgeNode = $("source-badge");
    badgeNode.className = `badge badge-${unit.source_type}`;
    badgeNode.textContent = badgeText(unit.source_type, unit.as_of);
    $("source-title").textContent = unit.title;
    $("source-id").textContent = unit.id;
    $("source-path").textContent = unit.heading_path.join(" › ");
    const meta = $("source-meta");
    meta.replaceChildren(unit.as_of ? `As of ${unit.as_of}. ` : "Undated. ");
    const link = unit.official_url && safeUrl(unit.official_url);
    if (link) {
      meta.append(el("a", { href: link, target: "_blank", rel: "noopener noreferrer", class: "official" }, "Official text ↗"));
    }

    const text = $("source-text");
    text.replaceChildren();
    const ranges = citation.quote ? quoteRanges(unit.text, citation.quote) : [];
    let last = 0;
    for (const [start, end] of ranges) {
      text.append(document.createTextNode(unit.text.slice(last, start)));
      text.append(el("mark", { class: "quote", text: unit.text.slice(start, end) }));
      last = end;
    }
    text.append(document.createTextNode(unit.text.slice(last)));
    if (citation.quote) {
      $("source-quote-status").textContent = ranges.length
        ? "The quoted passage is highlighted."
        : "The quoted passage could not be located exactly in this text; compare it with the official text.";
    }

    const nav = $("source-nav");
    if (unit.parent) nav.append(navButton("Up", unit.parent));
    if (unit.previous) nav.append(navButton("Previous", unit.previous));
    if (unit.next) nav.append(navButton("Next", unit.next));
    if (unit.children.length) {
      const list = el("ul", { class: "children", "aria-label": "Units inside this one" });
      for (const child of unit.children) list.append(el("li", {}, navButton("Open", child)));
      if (unit.children_total > unit.children.length) {
        list.append(el("li", { class: "hint", text: `and ${unit.children_total - unit.children.length} more` }));
      }
      nav.append(el("details", {}, el("summary", { text: `${unit.children_total} units inside` }), list));
    }
    const first = text.querySelector("mark");
    if (first) first.scrollIntoView({ block: "center" });
    $("source-title").focus();
  }

  function openSource(citation, opener) {
    returnFocus = opener || null;
    loadSource(citation);
  }

  // ---------- screening ----------

  function cell(value) {
    if (Array.isArray(value)) return value.join(", ");
    if (typeof value === "number") return value.toFixed(0);
    return value === null || value === undefined ? "" : String(value);
  }

  async function screen(form) {
    const results = $("screen-results");
    const params = new URLSearchParams();
    for (const key of ["name", "country", "lists"]) {
      const value = form.elements[key].value.trim();
      if (value) params.set(key, value);
    }
    results.replaceChildren(el("p", { class: "hint", text: "Screening…" }));
    let data;
    try {
      data = await getJson(`/v1/screen?${params}`);
    } catch (error) {
      results.replaceChildren(el("p", { role: "alert", class: "error-text", text: error.message }));
      return;
    }
    const head = el("p", { class: "screen-summary", text: `${data.matches.length} match${data.matches.length === 1 ? "" : "es"} for “${data.name}”.` });
    const notes = data.notes.map((text) => el("p", { class: "note", text }));
    if (!data.matches.length) {
      results.replaceChildren(head, ...notes);
      return;
    }
    const table = el(
      "table",
      { class: "matches" },
      el("thead", {}, el("tr", {}, ...["Name", "List", "Countries", "Score", "Why", "Record"].map((h) => el("th", { scope: "col", text: h })))),
    );
    const body = el("tbody");
    for (const m of data.matches) {
      const unitId = m.id || m.unit_id;
      const matched = m.matched_name && m.matched_name !== m.name ? `matched: ${m.matched_name}` : null;
      const reasons = Array.isArray(m.reasons) ? m.reasons.map((r) => r.detail || r.kind).join("; ") : "";
      body.append(
        el(
          "tr",
          {},
          el("td", {}, el("strong", { text: cell(m.name) }), matched ? el("div", { class: "hint", text: matched }) : null),
          el("td", { text: cell(m.list_code || m.list_name), title: m.list_name || null }),
          el("td", { text: cell(m.countries) }),
          el("td", { text: `${cell(m.score)}${m.band ? ` (${m.band})` : ""}` }),
          el("td", { class: "hint", text: reasons }),
          el(
            "td",
            {},
            unitId
              ? el("button", {
                  type: "button",
                  class: "ghost small",
                  text: "View",
                  "aria-label": `View the list record ${unitId}`,
                  onclick: (event) => openSource({ id: unitId, title: m.name }, event.currentTarget),
                })
              : "",
          ),
        ),
      );
    }
    table.append(body);
    results.replaceChildren(head, el("div", { class: "table-wrap" }, table), ...notes);
  }

  // ---------- token, tabs, status ----------

  function openTokenDialog(reason) {
    const dialog = $("token-dialog");
    if (reason) $("token-reason").textContent = reason;
    $("token-input").value = localStorage.getItem(TOKEN_KEY) || "";
    if (!dialog.open) dialog.showModal();
    $("token-input").focus();
  }

  function selectTab(tab) {
    for (const other of document.querySelectorAll('[role="tab"]')) {
      const selected = other === tab;
      other.setAttribute("aria-selected", String(selected));
      other.tabIndex = selected ? 0 : -1;
      $(other.getAttribute("aria-controls")).hidden = !selected;
    }
    tab.focus();
  }

  async function showIndexStatus() {
    const status = $("index-status");
    try {
      const ready = await getJson("/readyz");
      const parts = Object.entries(ready.as_of).map(([type, date]) => `${LABELS[type] || type} as of ${date}`);
      status.textContent = `Index ready${parts.length ? ": " + parts.join(" · ") : ""}.`;
      status.classList.remove("warn");
    } catch (error) {
      status.textContent = `Index not ready: ${error.message}`;
      status.classList.add("warn");
    }
  }

  function init() {
    const question = $("question");
    $("ask-form").addEventListener("submit", (event) => {
      event.preventDefault();
      const text = question.value.trim();
      if (!text || busy) return;
      question.value = "";
      ask(text);
    });
    question.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        $("ask-form").requestSubmit();
      }
    });
    for (const button of document.querySelectorAll(".example")) {
      button.addEventListener("click", () => ask(button.textContent));
    }
    $("new-chat").addEventListener("click", () => {
      history.length = 0;
      $("log").replaceChildren();
      $("intro").hidden = false;
      question.focus();
    });

    const tabs = [...document.querySelectorAll('[role="tab"]')];
    for (const tab of tabs) {
      tab.addEventListener("click", () => selectTab(tab));
      tab.addEventListener("keydown", (event) => {
        const step = { ArrowRight: 1, ArrowLeft: -1 }[event.key];
        if (step) selectTab(tabs[(tabs.indexOf(tab) + step + tabs.length) % tabs.length]);
      });
    }
    $("screen-form").addEventListener("submit", (event) => {
      event.preventDefault();
      screen(event.currentTarget);
    });

    $("token-button").addEventListener("click", () => openTokenDialog());
    $("token-form").addEventListener("submit", () => {
      const value = $("token-input").value.trim();
      if (value) localStorage.setItem(TOKEN_KEY, value);
      showIndexStatus();
    });
    $("token-clear").addEventListener("click", () => {
      localStorage.removeItem(TOKEN_KEY);
      $("token-input").value = "";
    });
    for (const button of document.querySelectorAll("[data-close]")) {
      button.addEventListener("click", () => button.closest("dialog").close());
    }
    $("source-dialog").addEventListener("close", () => {
      if (returnFocus) returnFocus.focus();
      returnFocus = null;
    });
    // A click on the backdrop (outside the dialog box) closes the source viewer.
    $("source-dialog").addEventListener("click", (event) => {
      if (event.target === event.currentTarget) event.currentTarget.close();
    });
    showIndexStatus();
    question.focus();
  }

  document.addEventListener("DOMContentLoaded", init);
})();
