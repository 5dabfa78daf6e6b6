// Heimbote demo page: draws a persona's chat from /demo/api/chat/…, acts through
// /demo/api/send|press|photos, and refreshes whenever /demo/api/events says something changed.
"use strict";

const config = JSON.parse(document.getElementById("config").textContent);
const t = config.chrome;
const $ = (id) => document.getElementById(id);
const personas = Object.fromEntries(config.personas.map((p) => [p.key, p]));
const state = {
  persona: location.hash.slice(1) in personas ? location.hash.slice(1) : "anna",
  speaker: {},          // group key → who writes there
  replyTo: null,        // {id, text}
  seen: {},             // persona → newest bot message version seen
  latest: {},
  pending: new Set(),   // callback query ids waiting for the bot's answer
  shownAnswers: new Set(),
  rendered: new Map(),  // bubble key → {signature, element}
  pinned: true,         // the chat shows its newest message (and keeps it in view)
};
const narrow = matchMedia("(max-width: 820px)");  // the phone layout: the tour is below
const deepLink = new RegExp(`^https://t\\.me/${config.bot.username}\\?start=([A-Za-z0-9_-]+)$`);

// Every action is JSON with this start's token (the server refuses anything else with 403:
// then the demo was restarted and this page is out of date).
async function post(path, body) {
  const response = await fetch(path, {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-Demo-Token": config.token },
    body: JSON.stringify(body),
  });
  const answer = await response.json().catch(() => ({}));
  if (response.status === 403) showToast(t.reload);
  else if (!response.ok) showToast(answer.error || response.statusText);
  return answer;
}

function current() { return personas[state.persona]; }
function speakerName() {
  const persona = current();
  return persona.group ? (state.speaker[persona.key] || persona.speakers[0]) : persona.name;
}
function speakerParam() { return current().group ? speakerName() : null; }

// --- actions --------------------------------------------------------------------------------

async function sendText(text) {
  if (!text.trim()) return;
  const body = { persona: state.persona, text, speaker: speakerParam(),
    reply_to: state.replyTo ? state.replyTo.id : null };
  clearReply();
  state.pinned = true;  // one's own message is shown, as in Telegram
  await post("/demo/api/send", body);
}

async function pressButton(messageId, row, column) {
  const answer = await post("/demo/api/press", { persona: state.persona, message_id: messageId,
    row, column, speaker: speakerParam() });
  if (answer.query_id) state.pending.add(answer.query_id);
}

// `what`: {samples: [name, …]} or {upload: {name, type, content (base64)}}
async function sendPhotos(what) {
  const body = { ...what, persona: state.persona, speaker: speakerParam(),
    reply_to: state.replyTo ? state.replyTo.id : null, caption: $("caption").value };
  clearReply();
  state.pinned = true;
  closePicker();
  await post("/demo/api/photos", body);
}

function base64Of(file) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).split(",", 2)[1] || "");
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });
}

function openLink(event, href) {
  const match = deepLink.exec(href);
  if (match) {  // a t.me link to our bot: Telegram opens the chat and sends /start <payload>
    event.preventDefault();
    sendText(`/start ${match[1]}`);
  }
}

// --- drawing --------------------------------------------------------------------------------

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function time(seconds) {
  return new Date(seconds * 1000).toLocaleTimeString(config.lang, { hour: "2-digit", minute: "2-digit" });
}

function fileUrl(message, download) {
  return `/demo/files/${encodeURIComponent(message.file_id)}${download ? "?download=1" : ""}`;
}

function sizeText(bytes) {
  return bytes > 1024 * 1024 ? `${(bytes / 1048576).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

// Images arrive after the chat is drawn: while the newest message is in view, keep it there.
function keepPinned() {
  if (state.pinned) toBottom();
}

function toBottom() {
  const list = $("messages");
  list.scrollTop = list.scrollHeight;
}

function atBottom() {
  const list = $("messages");
  return list.scrollHeight - list.scrollTop - list.clientHeight < 80;
}

function mediaNode(messages) {
  const first = messages[0];
  if (first.kind === "photo") {
    const box = element("div", messages.length > 1 ? "album" : "");
    for (const message of messages) {
      const img = element("img", "photo");
      img.addEventListener("load", keepPinned);
      img.src = fileUrl(message);
      img.alt = "";
      box.append(img);
    }
    return box;
  }
  if (first.kind === "sticker") return element("div", "sticker", first.emoji || "🖼");
  if (first.kind === "text") return null;
  const row = element("div", "file");
  row.append(element("span", "file-icon", first.kind === "voice" ? "🎤" : "📄"));
  const info = element("div");
  const link = element("a", "", first.file_name);
  link.href = fileUrl(first, true);
  link.setAttribute("download", first.file_name);
  link.setAttribute("aria-label", `${t.download}: ${first.file_name}`);
  info.append(link, element("small", "", sizeText(first.size)));
  row.append(info);
  return row;
}

function keyboardNode(message) {
  if (!message.buttons.length) return null;
  const keyboard = element("div", "keyboard");
  message.buttons.forEach((buttons, rowIndex) => {
    const row = element("div", "keyboard-row");
    buttons.forEach((button, columnIndex) => {
      let node;
      if (button.url) {
        node = element("a", "", `${button.text} ↗`);
        node.href = button.url;
        node.target = "_blank";
        node.rel = "noopener";
        node.addEventListener("click", (event) => openLink(event, button.url));
      } else {
        node = element("button", "", button.text);
        node.type = "button";
        node.addEventListener("click", () => pressButton(message.id, rowIndex, columnIndex));
      }
      row.append(node);
    });
    keyboard.append(row);
  });
  return keyboard;
}

function bubbleNode(messages) {
  const persona = current();
  const first = messages[0];
  const withText = messages.find((m) => m.html) || first;
  const outgoing = persona.group ? (!first.from_bot && first.sender === speakerName()) : !first.from_bot;
  const row = element("div", `row ${outgoing ? "out" : "in"}`);
  row.dataset.messageId = first.id;
  const bubble = element("div", `bubble${first.kind !== "text" ? " media" : ""}`);
  if (persona.group && !outgoing) bubble.append(element("span", "sender", first.from_bot ? config.bot.name : first.sender));
  if (first.reply_to) bubble.append(element("div", "quote", first.reply_to.text));
  const media = mediaNode(messages);
  if (media) bubble.append(media);
  if (withText.html) {
    const text = element("div", "text");
    text.innerHTML = withText.html;  // safe: built from escaped text on the server
    bubble.append(text);
  }
  const meta = element("span", "meta", `${withText.edited ? t.edited + " · " : ""}${time(first.date)}`);
  bubble.append(meta);
  const reply = element("button", "reply-action", "↩");
  reply.type = "button";
  reply.setAttribute("aria-label", t.reply);
  reply.addEventListener("click", () => startReply(withText));
  bubble.append(reply);
  row.append(bubble);
  const keyboard = keyboardNode(messages[messages.length - 1]);
  if (keyboard) row.append(keyboard);
  return row;
}

function groupAlbums(messages) {
  const groups = [];
  for (const message of messages) {
    const last = groups[groups.length - 1];
    if (message.album && last && last[0].album === message.album) last.push(message);
    else groups.push([message]);
  }
  return groups;
}

function drawMessages(messages) {
  const list = $("messages");
  if (!messages.length) {
    list.replaceChildren(element("p", "empty", narrow.matches ? t.empty_chat_below : t.empty_chat));
    state.rendered.clear();
    return;
  }
  const nodes = [];
  const keep = new Map();
  for (const group of groupAlbums(messages)) {
    const key = `${state.persona}:${group[0].id}`;
    const signature = group.map((m) => `${m.id}.${m.version}`).join(",") + speakerName();
    const known = state.rendered.get(key);
    const node = known && known.signature === signature ? known.element : bubbleNode(group);
    keep.set(key, { signature, element: node });
    nodes.push(node);
  }
  state.rendered = keep;
  const pinned = state.pinned;
  list.replaceChildren(...nodes);
  state.pinned = pinned;  // a shorter chat moved the scroll: that was not the reader
  if (pinned) toBottom();
}

// Built once and then only updated: a button keeps its focus while the chat refreshes.
function drawPersonas() {
  const box = $("personas");
  if (!box.children.length) {
    for (const persona of config.personas) {
      const button = element("button", "persona");
      button.type = "button";
      button.dataset.persona = persona.key;
      const avatar = element("span", `avatar av-${persona.key}`, persona.name[0]);
      avatar.setAttribute("aria-hidden", "true");
      const label = element("span");
      label.append(element("strong", "", persona.name), element("small", "", persona.role));
      const badge = element("span", "badge", t.unread);
      button.append(avatar, label, badge);
      button.addEventListener("click", () => switchTo(persona.key));
      box.append(button);
    }
  }
  for (const button of box.children) {
    const key = button.dataset.persona;
    button.setAttribute("aria-pressed", String(key === state.persona));
    const unread = (state.latest[key] || 0) > (state.seen[key] || 0) && key !== state.persona;
    button.querySelector(".badge").hidden = !unread;
  }
}

function drawHeader() {
  const persona = current();
  $("chat-name").textContent = persona.group ? persona.name : config.bot.name;
  $("chat-status").textContent = persona.group ? [...persona.speakers, config.bot.name].join(", ") : t.bot_status;
  $("chat-avatar").textContent = persona.group ? persona.name[0] : "H";
  $("chat-avatar").className = `avatar av-${persona.group ? persona.key : "bot"}`;
  const bar = $("speaker-bar");
  bar.hidden = !persona.group;
  if (persona.group) {
    const select = $("speaker");
    select.replaceChildren(...persona.speakers.map((name) => new Option(name, name)));
    select.value = speakerName();
  }
  $("text").placeholder = `${t.message_placeholder} — ${persona.group ? speakerName() : persona.name}`;
}

// --- state from the server ------------------------------------------------------------------

let refreshing = null;
let again = false;
async function refresh() {
  if (refreshing) { again = true; return refreshing; }
  refreshing = (async () => {
    do {
      again = false;
      const persona = state.persona;
      const response = await fetch(`/demo/api/chat/${persona}`);
      if (!response.ok) continue;
      const chat = await response.json();
      if (persona !== state.persona) { again = true; continue; }
      state.latest = chat.latest;
      state.seen[persona] = chat.latest[persona] || 0;
      drawMessages(chat.messages);
      drawPersonas();
      for (const answer of chat.answers) {
        if (!state.pending.has(answer.id) || state.shownAnswers.has(answer.id)) continue;
        state.pending.delete(answer.id);
        state.shownAnswers.add(answer.id);
        if (answer.alert && answer.text) showAlert(answer.text);
        else if (answer.text) showToast(answer.text);
      }
    } while (again);
  })();
  try { await refreshing; } finally { refreshing = null; }
}

function listen() {
  const events = new EventSource("/demo/api/events");
  events.onmessage = () => { $("offline").hidden = true; fitPhone(); refresh(); };
  events.onerror = () => {
    $("offline").hidden = events.readyState === EventSource.OPEN;
    fitPhone();
  };
}

// --- the rest of the page -------------------------------------------------------------------

let toastTimer = null;
function showToast(text) {
  const toast = $("toast");
  toast.textContent = text;
  toast.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { toast.hidden = true; }, 3500);
}

function hideToast() {
  clearTimeout(toastTimer);
  $("toast").hidden = true;
}

function showAlert(text) {
  $("alert-text").textContent = text;
  $("alert").showModal();
}

function startReply(message) {
  const plain = element("div");
  plain.innerHTML = message.html || "";
  state.replyTo = { id: message.id, text: plain.textContent || "📎" };
  $("reply-text").textContent = state.replyTo.text;
  $("reply-bar").hidden = false;
  $("text").focus();
}

function clearReply() {
  state.replyTo = null;
  $("reply-bar").hidden = true;
}

function switchTo(key) {
  if (!(key in personas)) return;
  state.persona = key;
  history.replaceState(null, "", `#${key}`);
  state.rendered.clear();
  state.pinned = true;  // another chat opens at its newest message
  clearReply();
  closePicker();
  hideToast();  // a button's short answer belongs to the chat it was tapped in
  drawHeader();
  drawPersonas();
  refresh();
}

function openPicker() {
  const samples = $("samples");
  samples.replaceChildren(...config.samples.map((name) => {
    const label = element("label");
    const box = element("input");
    box.type = "checkbox";
    box.name = "sample";
    box.value = name;
    box.setAttribute("aria-label", name);
    const img = element("img");
    img.src = `/demo/samples/${name}.jpg`;
    img.alt = name;
    label.append(box, img);
    return label;
  }));
  $("caption").value = "";
  $("picker").hidden = false;
  samples.querySelector("input").focus();
}

function closePicker() {
  $("picker").hidden = true;
}

// On a phone the chat fills the screen below the switcher, so the composer is in view at once.
function fitPhone() {
  const phone = document.querySelector(".phone");
  const top = phone.getBoundingClientRect().top + window.scrollY;
  document.documentElement.style.setProperty("--phone-top", `${Math.round(top)}px`);
}

function setUp() {
  $("messages").addEventListener("scroll", () => { state.pinned = atBottom(); });
  window.addEventListener("resize", fitPhone);
  new ResizeObserver(fitPhone).observe(document.querySelector(".topbar"));
  new ResizeObserver(fitPhone).observe($("personas"));
  narrow.addEventListener("change", () => { state.rendered.clear(); refresh(); });
  $("compose").addEventListener("submit", (event) => {
    event.preventDefault();
    const text = $("text").value;
    $("text").value = "";
    sendText(text);
  });
  $("text").addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey) {
      event.preventDefault();
      $("compose").requestSubmit();
    }
  });
  $("reply-cancel").addEventListener("click", clearReply);
  $("speaker").addEventListener("change", (event) => {
    state.speaker[state.persona] = event.target.value;
    state.rendered.clear();
    drawHeader();
    refresh();
  });
  $("attach").addEventListener("click", openPicker);
  $("picker-cancel").addEventListener("click", closePicker);
  $("picker-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const chosen = [...document.querySelectorAll("#samples input:checked")].map((box) => box.value);
    if (!chosen.length) return;
    sendPhotos({ samples: chosen });
  });
  $("upload").addEventListener("change", async (event) => {
    const file = event.target.files[0];
    if (!file) return;
    event.target.value = "";
    const content = await base64Of(file);
    sendPhotos({ upload: { name: file.name, type: file.type, content } });
  });
  $("messages").addEventListener("click", (event) => {
    const command = event.target.closest("a.command");
    if (command) { event.preventDefault(); sendText(command.dataset.command); return; }
    const spoiler = event.target.closest(".spoiler");
    if (spoiler) { spoiler.classList.add("shown"); return; }
    const link = event.target.closest("a[href]");
    if (link) openLink(event, link.href);
  });
  $("tour").replaceChildren(...config.tour.map((step) => {
    const item = element("li");
    item.innerHTML = step;  // written in bot/demo/chrome.py, not user input
    return item;
  }));
  const invite = $("open-invite");
  const firstStep = $("tour").firstElementChild;
  if (firstStep) firstStep.append(invite, $("invite-used"));  // where step 1 asks for it
  if (config.invite) {
    invite.addEventListener("click", () => {
      switchTo("anna");
      openLink(new Event("click"), config.invite);
    });
  } else {
    invite.hidden = true;
    $("invite-used").hidden = false;
  }
  const digest = $("send-digest");  // under the tour's step about wellbeing notes
  const notesStep = [...$("tour").children].find((item) => item.innerHTML.includes("/today"));
  if (notesStep) notesStep.append(digest);
  digest.addEventListener("click", async () => {
    switchTo("anna");
    await post("/demo/api/digest", {});
  });
  $("link-reviews").href = config.links.review_page;
  $("link-api").href = config.links.api;
  $("link-health").href = config.links.health;
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && !$("picker").hidden) closePicker();
  });
  drawHeader();
  drawPersonas();
  fitPhone();
  refresh();
  listen();
}

setUp();
