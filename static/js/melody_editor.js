// The studio's melody editor: a piano roll and a 32-key keyboard that sound through the page's
// General MIDI synthesizer (synth.js).
// The notes travel to the server as JSON in a hidden field; the server checks them and writes
// the MIDI file, so this script only has to keep the editing pleasant.
(function () {
  "use strict";
  const form = document.getElementById("melody-editor");
  if (!form) return;

  const LOWEST = Number(form.dataset.lowest);
  const HIGHEST = Number(form.dataset.highest);
  const MAX_BARS = Number(form.dataset.maxBars);
  const CELL = 20; // px per 16th note
  const ROW = 16; // px per pitch
  const LABEL = 40; // px of the pitch names on the left of the roll
  const WHITE_KEY = 34;
  const BLACK_KEY = 22;
  const NAMES = ["C", "C#", "D", "Eb", "E", "F", "F#", "G", "G#", "A", "Bb", "B"];
  const BLACK = new Set([1, 3, 6, 8, 10]);
  const LENGTHS = {1: "16th", 2: "8th", 3: "dotted 8th", 4: "quarter", 6: "dotted quarter",
    8: "half", 12: "dotted half", 16: "whole"};
  // Computer keys (by position, whatever the layout): the bottom row plays C4-B4, the top row
  // with the digits C5-C6, like the two manuals of a small keyboard.
  const COMPUTER_KEYS = {KeyZ: 60, KeyS: 61, KeyX: 62, KeyD: 63, KeyC: 64, KeyV: 65, KeyG: 66,
    KeyB: 67, KeyH: 68, KeyN: 69, KeyJ: 70, KeyM: 71, KeyQ: 72, Digit2: 73, KeyW: 74, Digit3: 75,
    KeyE: 76, KeyR: 77, Digit5: 78, KeyT: 79, Digit6: 80, KeyY: 81, Digit7: 82, KeyU: 83, KeyI: 84};

  const field = (name) => form.elements.namedItem(name);
  const notesInput = field("notes");
  const meterInput = field("meter");
  const tempoInput = field("tempo");
  const titleInput = field("title");
  const barsInput = form.querySelector("#editor-bars");
  const lengthInput = form.querySelector("#editor-length");
  const box = form.querySelector(".roll-box");
  const sheet = form.querySelector(".roll-sheet");
  const keyboard = form.querySelector(".keyboard");
  const statusLine = form.querySelector(".editor-status");
  const emptyHint = form.querySelector(".editor-empty");
  const buttons = {};
  form.querySelectorAll("[data-action]").forEach((b) => { buttons[b.dataset.action] = b; });
  const draftKey = "arena-melody-draft:" + form.getAttribute("action");

  let notes = []; // {pitch, start, duration} in time order, never overlapping
  let bars = Number(form.dataset.bars);
  let cursor = 0; // where the next recorded note goes, in 16th steps
  let recording = false;
  let history = [];
  let drag = null;
  let grid, ruler, labels, playhead, cursorLine;

  // --- time and names -----------------------------------------------------------------------

  function meter() {
    const [num, den] = meterInput.value.split("/").map(Number);
    return {num, den, bar: (num * 16) / den, beat: 16 / den};
  }
  const totalSteps = () => bars * meter().bar;
  const melodyEnd = () => notes.reduce((end, n) => Math.max(end, n.start + n.duration), 0);
  const pitchName = (pitch) => NAMES[pitch % 12] + (Math.floor(pitch / 12) - 1);
  const lengthName = (steps) => LENGTHS[steps] || steps + " 16ths";

  function where(step) {
    const m = meter();
    return "bar " + (Math.floor(step / m.bar) + 1) + ", beat " + (Math.floor((step % m.bar) / m.beat) + 1);
  }

  function tempo() {
    const bpm = Number(tempoInput.value);
    return bpm >= Number(tempoInput.min || 40) && bpm <= Number(tempoInput.max || 240) ? bpm : 100;
  }

  function say(message) { statusLine.textContent = message; }

  // --- the roll -----------------------------------------------------------------------------

  function element(tag, className, parent) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (parent) parent.appendChild(node);
    return node;
  }

  function buildRoll() {
    const m = meter();
    const width = totalSteps() * CELL;
    const rows = HIGHEST - LOWEST + 1;
    sheet.replaceChildren();
    sheet.style.setProperty("--cell", CELL + "px");
    sheet.style.setProperty("--row", ROW + "px");
    sheet.style.setProperty("--label", LABEL + "px");
    sheet.style.setProperty("--beat", m.beat * CELL + "px");
    sheet.style.setProperty("--bar", m.bar * CELL + "px");
    sheet.style.width = LABEL + width + "px";

    const top = element("div", "roll-ruler", sheet);
    element("div", "roll-corner", top);
    ruler = element("div", "roll-bars", top);
    ruler.style.width = width + "px";
    for (let bar = 0; bar < bars; bar += 1) {
      const mark = element("button", "roll-bar", ruler);
      mark.type = "button";
      mark.textContent = String(bar + 1);
      mark.style.left = bar * m.bar * CELL + "px";
      mark.style.width = m.bar * CELL + "px";
      mark.setAttribute("aria-label", "Move the cursor to bar " + (bar + 1));
      mark.addEventListener("click", () => moveCursor(bar * m.bar));
    }

    const body = element("div", "roll-body", sheet);
    labels = element("div", "roll-labels", body);
    labels.setAttribute("aria-hidden", "true");
    grid = element("div", "roll-grid", body);
    grid.style.width = width + "px";
    grid.style.height = rows * ROW + "px";
    for (let pitch = HIGHEST; pitch >= LOWEST; pitch -= 1) {
      const black = BLACK.has(pitch % 12);
      const label = element("div", "roll-label" + (black ? " black" : ""), labels);
      label.textContent = pitchName(pitch);
      const stripe = element("div", "roll-row" + (black ? " black" : ""), grid);
      stripe.style.top = (HIGHEST - pitch) * ROW + "px";
    }
    cursorLine = element("div", "roll-cursor", grid);
    playhead = element("div", "roll-playhead", grid);
    playhead.hidden = true;
    playhead.dataset.step = "0";
    grid.addEventListener("pointerdown", onGridDown);
    grid.addEventListener("pointermove", onGridMove);
    grid.addEventListener("pointerup", onGridUp);
    grid.addEventListener("pointercancel", () => { drag = null; renderNotes(); });
    grid.addEventListener("click", onNoteKeyboardClick);
    grid.addEventListener("keydown", onNoteKey);
    renderNotes();
  }

  function noteButton(note, index, draft) {
    const button = element("button", "roll-note" + (draft ? " draft" : ""), grid);
    button.type = "button";
    button.dataset.index = String(index);
    button.style.left = note.start * CELL + "px";
    button.style.top = (HIGHEST - note.pitch) * ROW + "px";
    button.style.width = note.duration * CELL - 1 + "px";
    button.textContent = pitchName(note.pitch);
    const text = pitchName(note.pitch) + ", " + where(note.start) + ", " + lengthName(note.duration);
    button.setAttribute("aria-label", text + " (press to remove)");
    button.title = text;
    return button;
  }

  function renderNotes() {
    grid.querySelectorAll(".roll-note").forEach((n) => n.remove());
    const shown = drag && !drag.removing ? withNote(drag.note, drag.existing) : notes;
    shown.forEach((note) => noteButton(note, notes.indexOf(note), note === (drag && drag.note)));
    cursorLine.style.transform = "translateX(" + cursor * CELL + "px)";
    emptyHint.hidden = notes.length > 0;
    buttons.undo.disabled = history.length === 0;
  }

  // The melody with `note` in it: one note at a time, so it replaces whatever it overlaps.
  function withNote(note, replacing) {
    const end = note.start + note.duration;
    const kept = notes.filter((n) => n !== replacing && (n.start + n.duration <= note.start || n.start >= end));
    return kept.concat([note]).sort((a, b) => a.start - b.start);
  }

  function remember() {
    history.push(JSON.stringify({notes, cursor}));
    if (history.length > 100) history.shift();
  }

  function changed(message) {
    renderNotes();
    saveDraft();
    if (message) say(message);
  }

  function place(note, replacing) {
    note.duration = Math.max(1, Math.min(note.duration, totalSteps() - note.start));
    remember();
    notes = withNote(note, replacing);
    cursor = note.start + note.duration;
    changed("Placed " + pitchName(note.pitch) + " at " + where(note.start) + " (" + lengthName(note.duration) + ").");
  }

  function removeNote(note) {
    remember();
    notes = notes.filter((n) => n !== note);
    if (note.start + note.duration === cursor) cursor = note.start; // play the right note there next
    changed("Removed " + pitchName(note.pitch) + " at " + where(note.start) + ".");
  }

  function cellAt(event) {
    const rect = grid.getBoundingClientRect();
    const step = Math.floor((event.clientX - rect.left) / CELL);
    const row = Math.floor((event.clientY - rect.top) / ROW);
    return {
      step: Math.max(0, Math.min(totalSteps() - 1, step)),
      pitch: HIGHEST - Math.max(0, Math.min(HIGHEST - LOWEST, row)),
    };
  }

  function onGridDown(event) {
    if (event.button !== 0) return;
    const at = cellAt(event);
    const hit = event.target.closest(".roll-note");
    const existing = hit ? notes[Number(hit.dataset.index)] : null;
    drag = {
      id: event.pointerId,
      existing,
      downStep: at.step,
      moved: false,
      removing: Boolean(existing),
      note: existing ? {...existing} : {pitch: at.pitch, start: at.step, duration: Number(lengthInput.value)},
    };
    // A mouse or pen drags to lengthen; on a touch screen a drag scrolls the roll instead.
    if (event.pointerType !== "touch") {
      grid.setPointerCapture(event.pointerId);
      event.preventDefault();
    }
  }

  function onGridMove(event) {
    if (!drag || event.pointerId !== drag.id || event.pointerType === "touch") return;
    const at = cellAt(event);
    if (at.step === drag.downStep && !drag.moved) return;
    drag.moved = true;
    drag.removing = false;
    const duration = Math.max(1, at.step - drag.note.start + 1);
    if (duration !== drag.note.duration) {
      drag.note.duration = duration;
      renderNotes();
    }
  }

  function onGridUp(event) {
    if (!drag || event.pointerId !== drag.id) return;
    const done = drag;
    drag = null;
    if (done.existing && !done.moved) {
      removeNote(done.existing);
    } else {
      place(done.note, done.existing);
      sound(done.note.pitch, 0.25);
    }
  }

  // A note button pressed from the computer keyboard (Enter or Space) is removed, like a tap.
  function onNoteKeyboardClick(event) {
    const hit = event.target.closest(".roll-note");
    if (hit && event.detail === 0) removeNote(notes[Number(hit.dataset.index)]);
  }

  function onNoteKey(event) {
    const hit = event.target.closest(".roll-note");
    if (hit && (event.key === "Delete" || event.key === "Backspace")) {
      event.preventDefault();
      removeNote(notes[Number(hit.dataset.index)]);
    }
  }

  function moveCursor(step) {
    cursor = step;
    renderNotes();
    say("The cursor is at " + where(step) + ".");
  }

  function setBars(wanted) {
    const needed = Math.ceil(melodyEnd() / meter().bar) || 1;
    bars = Math.max(needed, Math.min(MAX_BARS, Math.max(1, Math.round(wanted) || 1)));
    barsInput.value = String(bars);
    cursor = Math.min(cursor, totalSteps());
    buildRoll();
  }

  // --- recording ----------------------------------------------------------------------------

  function record(pitch) {
    if (pitch < LOWEST || pitch > HIGHEST) {
      say(pitchName(pitch) + " is outside the editor's range, " + pitchName(LOWEST) + " to " + pitchName(HIGHEST) + ".");
      return;
    }
    const duration = Number(lengthInput.value);
    if (cursor + duration > totalSteps()) {
      if (bars >= MAX_BARS) { say("The melody is as long as it may be: " + MAX_BARS + " bars."); return; }
      setBars(Math.ceil((cursor + duration) / meter().bar));
    }
    place({pitch, start: cursor, duration});
    scrollToStep(cursor);
  }

  function setRecording(on) {
    recording = on;
    buttons.record.setAttribute("aria-pressed", String(on));
    buttons.rest.hidden = !on;
    form.classList.toggle("recording", on);
    say(on ? "Recording: each key you play adds a note at " + where(cursor) + "." : "Recording stopped.");
  }

  function scrollToStep(step) {
    const x = step * CELL;
    const visible = box.clientWidth - LABEL;
    if (x < box.scrollLeft || x > box.scrollLeft + visible - 2 * CELL) {
      box.scrollLeft = Math.max(0, x - CELL * 2);
    }
  }

  // --- sound --------------------------------------------------------------------------------

  let context = null;
  let output = null;
  const held = new Map(); // what is sounding now from a key, by the key that holds it

  let synth = null; // the page's General MIDI synthesizer (synth.js), once its soundfont is in
  const CHANNEL = 0;
  const PIANO = 0; // General MIDI's acoustic grand

  function audio() {
    const Context = window.AudioContext || window.webkitAudioContext;
    if (!Context) return null;
    if (!context) {
      context = window.ArenaSynth ? window.ArenaSynth.audioContext() : new Context();
      if (window.ArenaSynth) {
        window.ArenaSynth.synthesizer().then((loaded) => {
          synth = loaded;
          synth.programChange(CHANNEL, PIANO);
          form.dataset.synth = "ready";
        }, () => { form.dataset.synth = "failed"; }); // the built-in tone plays on
      }
      const filter = context.createBiquadFilter();
      filter.type = "lowpass";
      filter.frequency.value = 2600;
      output = context.createGain();
      output.gain.value = 0.22;
      output.connect(filter);
      filter.connect(context.destination);
      context.addEventListener("statechange", () => { form.dataset.audio = context.state; });
    }
    if (context.state === "suspended") context.resume();
    form.dataset.audio = context.state;
    return context;
  }

  // Through the synthesizer, the notes sound as the piece's MIDI does; until its soundfont has
  // loaded (or where it cannot), a soft built-in tone.
  function voice(pitch, when, length) {
    if (!synth) return tone(pitch, when, length);
    synth.noteOn(CHANNEL, pitch, 96, {time: when});
    // A second note-off (stopping playback before a note's end) is harmless; a note not yet
    // begun ends as it begins, so nothing sounds after a stop.
    const release = (at) => synth.noteOff(CHANNEL, pitch, {time: Math.max(at, when)});
    if (length !== undefined) release(when + Math.max(0.05, length - 0.02));
    return {release};
  }

  // A soft, round tone: a triangle wave with a sine an octave up, a quick attack settling to a
  // gentle sustain, and a short release so that repeated notes stay distinct.
  function tone(pitch, when, length) {
    const frequency = 440 * Math.pow(2, (pitch - 69) / 12);
    const envelope = context.createGain();
    envelope.gain.setValueAtTime(0, when);
    envelope.gain.linearRampToValueAtTime(0.9, when + 0.012);
    envelope.gain.setTargetAtTime(0.35, when + 0.012, 0.15);
    envelope.connect(output);
    const body = context.createOscillator();
    body.type = "triangle";
    body.frequency.value = frequency;
    body.connect(envelope);
    const shine = context.createOscillator();
    shine.type = "sine";
    shine.frequency.value = frequency * 2;
    const shineLevel = context.createGain();
    shineLevel.gain.value = 0.18;
    shine.connect(shineLevel);
    shineLevel.connect(envelope);
    body.start(when);
    shine.start(when);
    function release(at) {
      envelope.gain.cancelScheduledValues(at);
      envelope.gain.setTargetAtTime(0, at, 0.06);
      try { body.stop(at + 0.5); shine.stop(at + 0.5); } catch (error) { /* already stopped */ }
    }
    if (length !== undefined) release(when + Math.max(0.05, length - 0.02));
    return {release};
  }

  function sound(pitch, seconds) {
    if (!audio()) return;
    voice(pitch, context.currentTime, seconds);
  }

  function keyDown(pitch, source) {
    if (held.has(source)) return;
    const key = keyboard.querySelector('[data-pitch="' + pitch + '"]');
    if (key) key.classList.add("down");
    if (audio()) held.set(source, {pitch, voice: voice(pitch, context.currentTime)});
    else held.set(source, {pitch, voice: null});
    if (recording) record(pitch);
    else say(pitchName(pitch) + ": press Record to add the notes you play.");
  }

  function keyUp(source) {
    const sounding = held.get(source);
    if (!sounding) return;
    held.delete(source);
    if (sounding.voice) sounding.voice.release(context.currentTime);
    if (![...held.values()].some((h) => h.pitch === sounding.pitch)) {
      const key = keyboard.querySelector('[data-pitch="' + sounding.pitch + '"]');
      if (key) key.classList.remove("down");
    }
  }

  // --- playback -----------------------------------------------------------------------------

  let playback = null;

  function play() {
    if (playback) { stop(); return; }
    if (!notes.length) { say("Nothing to play yet: place a few notes first."); return; }
    if (!audio()) { say("This browser cannot play sound."); return; }
    const stepSeconds = 60 / tempo() / 4;
    const start = context.currentTime + 0.1;
    playback = {
      start,
      stepSeconds,
      end: melodyEnd(),
      voices: notes.map((n) => voice(n.pitch, start + n.start * stepSeconds, n.duration * stepSeconds)),
    };
    buttons.play.setAttribute("aria-pressed", "true");
    buttons.play.textContent = "■ Stop";
    form.dataset.playing = "true";
    playhead.hidden = false;
    box.scrollLeft = 0;
    playback.frame = requestAnimationFrame(follow);
  }

  function follow() {
    if (!playback) return;
    const step = Math.max(0, (context.currentTime - playback.start) / playback.stepSeconds);
    if (step >= playback.end) { stop(); return; }
    playhead.style.transform = "translateX(" + step * CELL + "px)";
    playhead.dataset.step = step.toFixed(2);
    scrollToStep(step);
    playback.frame = requestAnimationFrame(follow);
  }

  function stop() {
    if (!playback) return;
    cancelAnimationFrame(playback.frame);
    const now = context.currentTime;
    playback.voices.forEach((v) => v.release(now));
    playback = null;
    buttons.play.setAttribute("aria-pressed", "false");
    buttons.play.textContent = "▶ Play";
    form.dataset.playing = "false";
    playhead.hidden = true;
  }

  // --- the keyboard -------------------------------------------------------------------------

  function buildKeyboard() {
    let whites = 0;
    for (let pitch = LOWEST; pitch <= HIGHEST; pitch += 1) {
      const black = BLACK.has(pitch % 12);
      const key = element("button", "key " + (black ? "black" : "white"), keyboard);
      key.type = "button";
      key.dataset.pitch = String(pitch);
      key.setAttribute("aria-label", pitchName(pitch) + (pitch === 60 ? " (middle C)" : ""));
      if (pitch % 12 === 0) key.textContent = pitchName(pitch);
      key.style.left = (black ? whites * WHITE_KEY - BLACK_KEY / 2 : whites * WHITE_KEY) + "px";
      if (!black) whites += 1;
      const source = "pointer:" + pitch;
      key.addEventListener("pointerdown", (event) => {
        if (event.button !== 0) return;
        event.preventDefault(); // no focus ring flashing and no text selection while playing
        keyDown(pitch, source);
      });
      ["pointerup", "pointerleave", "pointercancel"].forEach((type) => key.addEventListener(type, () => keyUp(source)));
      key.addEventListener("click", (event) => { // Enter or Space on a focused key
        if (event.detail !== 0) return;
        keyDown(pitch, "click:" + pitch);
        setTimeout(() => keyUp("click:" + pitch), 300);
      });
    }
    keyboard.style.width = whites * WHITE_KEY + "px";
  }

  function typing(target) {
    return target instanceof HTMLElement && (target.isContentEditable || target.matches("input, select, textarea"));
  }

  document.addEventListener("keydown", (event) => {
    const pitch = COMPUTER_KEYS[event.code];
    if (pitch === undefined || event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
    event.preventDefault();
    if (!event.repeat) keyDown(pitch, "computer:" + event.code);
  });
  document.addEventListener("keyup", (event) => { keyUp("computer:" + event.code); });
  window.addEventListener("blur", () => { [...held.keys()].forEach(keyUp); });

  // Web MIDI, where the browser offers it: a plugged-in keyboard plays and records too.
  function listenToMidi() {
    navigator.requestMIDIAccess().then((access) => {
      const attach = () => {
        let count = 0;
        access.inputs.forEach((input) => { input.onmidimessage = onMidi; count += 1; });
        say(count ? "Listening to " + count + " MIDI keyboard" + (count > 1 ? "s" : "") + "." : "No MIDI keyboard is connected.");
      };
      access.onstatechange = attach;
      attach();
    }, () => say("The browser did not allow MIDI input."));
  }

  function onMidi(message) {
    const [status, pitch, velocity] = message.data;
    const kind = status & 0xf0;
    if (kind === 0x90 && velocity > 0) keyDown(pitch, "midi:" + pitch);
    else if (kind === 0x80 || kind === 0x90) keyUp("midi:" + pitch);
  }

  // --- drafts and saving --------------------------------------------------------------------

  function saveDraft() {
    try {
      localStorage.setItem(draftKey, JSON.stringify({notes, bars, meter: meterInput.value, tempo: tempoInput.value, title: titleInput.value}));
    } catch (error) { /* private browsing: the draft just is not kept */ }
  }

  function loadNotes(list) {
    const steps = MAX_BARS * meter().bar;
    let kept = [];
    (Array.isArray(list) ? list : []).forEach((n) => {
      if (n && Number.isInteger(n.pitch) && Number.isInteger(n.start) && Number.isInteger(n.duration) &&
          n.pitch >= LOWEST && n.pitch <= HIGHEST && n.start >= 0 && n.duration > 0 && n.start + n.duration <= steps) {
        kept = kept.filter((k) => k.start + k.duration <= n.start || k.start >= n.start + n.duration);
        kept.push({pitch: n.pitch, start: n.start, duration: n.duration});
      }
    });
    notes = kept.sort((a, b) => a.start - b.start);
    cursor = melodyEnd();
  }

  // A melody the server refused comes back in the hidden field; otherwise the last draft.
  function restore() {
    let sent = null;
    try { sent = JSON.parse(notesInput.value || "null"); } catch (error) { sent = null; }
    if (Array.isArray(sent)) { loadNotes(sent); return; }
    let draft = null;
    try { draft = JSON.parse(localStorage.getItem(draftKey) || "null"); } catch (error) { draft = null; }
    if (!draft) return;
    if (draft.meter && [...meterInput.options].some((o) => o.value === draft.meter)) meterInput.value = draft.meter;
    if (draft.tempo) tempoInput.value = draft.tempo;
    if (draft.title && !titleInput.value) titleInput.value = draft.title;
    if (draft.bars) bars = Number(draft.bars);
    loadNotes(draft.notes);
    if (notes.length) say("Your unsaved melody is back.");
  }

  form.addEventListener("submit", (event) => {
    if (!notes.length) {
      event.preventDefault();
      say("Place at least one note before saving.");
      return;
    }
    stop();
    notesInput.value = JSON.stringify(notes.map((n) => ({pitch: n.pitch, start: n.start, duration: n.duration})));
    try { localStorage.removeItem(draftKey); } catch (error) { /* nothing kept */ }
  });

  // --- controls -----------------------------------------------------------------------------

  buttons.play.addEventListener("click", play);
  buttons.record.addEventListener("click", () => setRecording(!recording));
  buttons.rest.addEventListener("click", () => {
    const duration = Number(lengthInput.value);
    if (cursor + duration > totalSteps()) setBars(Math.ceil((cursor + duration) / meter().bar));
    moveCursor(Math.min(cursor + duration, totalSteps()));
  });
  buttons.undo.addEventListener("click", () => {
    const last = history.pop();
    if (!last) return;
    ({notes, cursor} = JSON.parse(last));
    setBars(bars);
    changed("Undone.");
  });
  buttons.clear.addEventListener("click", () => {
    if (!notes.length) return;
    stop();
    remember();
    notes = [];
    cursor = 0;
    changed("Cleared. Undo brings the notes back.");
  });
  if ("requestMIDIAccess" in navigator) {
    buttons.midi.hidden = false;
    buttons.midi.addEventListener("click", listenToMidi);
  }
  meterInput.addEventListener("change", () => { stop(); setBars(bars); saveDraft(); });
  barsInput.addEventListener("change", () => { stop(); setBars(Number(barsInput.value)); saveDraft(); });
  tempoInput.addEventListener("change", saveDraft);
  titleInput.addEventListener("change", saveDraft);

  // A saved melody reopened from its page (?edit=<id>): its notes, meter, tempo and title.
  async function reopen() {
    const id = new URLSearchParams(window.location.search).get("edit");
    if (!id || !/^\d+$/.test(id)) return;
    const response = await fetch(form.dataset.notesUrl.replace("/0/", "/" + id + "/"), {credentials: "same-origin"});
    if (!response.ok) { say("That melody could not be opened."); return; }
    const melody = await response.json();
    if ([...meterInput.options].some((o) => o.value === melody.meter)) meterInput.value = melody.meter;
    tempoInput.value = String(melody.tempo);
    titleInput.value = melody.title;
    loadNotes(melody.notes);
    setBars(Math.max(1, Math.ceil(melodyEnd() / meter().bar)));
    barsInput.value = String(bars);
    changed("“" + melody.title + "” is open: change it and save it as a new melody.");
    form.scrollIntoView({block: "start"});
  }

  restore();
  barsInput.value = String(bars);
  buildKeyboard();
  setBars(bars);
  box.scrollTop = (HIGHEST - 79) * ROW; // G5 at the top: the tune's usual range in view
  reopen().finally(() => { form.dataset.ready = "true"; });
})();
