// A piece's sheet music, drawn in the page from its MusicXML (OpenSheetMusicDisplay), and its MIDI
// played through the page's General MIDI synthesizer (synth.js), with a cursor that follows the
// sound, solo and mute per voice, tempo, a loop over a range of bars, and zoom.
// Each element with class "score-player" is one player; what it shows and plays comes from its
// data attributes (see templates/_score_player.html). Its state is written back as data
// attributes (ready, measures, parts, playing, audio, cursor, sounding) for people's tools and tests.
(function () {
  "use strict";
  const ZOOMS = [0.5, 0.6, 0.7, 0.8, 0.9, 1, 1.15, 1.3, 1.5];
  const SILENT = 1e-4; // RMS below which a channel is taken as not sounding
  const VOICES = ["Soprano", "Alto", "Tenor", "Bass"];
  const VOICE_TRACK = /^(Soprano|Alto|Tenor|Bass) [-–] (.+)$/; // "Bass - Cello": a voice's track
  let playing = null; // one player sounds at a time: starting one stops the other

  function make(tag, className, parent, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    if (parent) parent.appendChild(node);
    return node;
  }

  function json(value, fallback) {
    try { return JSON.parse(value || "null") || fallback; } catch (error) { return fallback; }
  }

  function phoneZoom() { return window.innerWidth < 600 ? 0.6 : 0.9; }

  class ScorePlayer {
    constructor(root) {
      this.root = root;
      this.sheet = root.querySelector(".score-sheet");
      this.status = root.querySelector(".player-status");
      this.mixerList = root.querySelector(".mixer");
      this.sectionList = root.querySelector(".sections");
      this.controls = {};
      root.querySelectorAll("[data-action], [data-control]").forEach((node) => {
        this.controls[node.dataset.action || node.dataset.control] = node;
      });
      this.instruments = json(root.dataset.instruments, {}); // name -> the voices it plays
      this.sectionsInSteps = json(root.dataset.sections, []);
      this.zoom = phoneZoom();
      this.solo = new Set();
      this.mute = new Set();
      this.timestamps = []; // whole notes at each cursor position
      this.at = 0; // the cursor's position in `timestamps`
      this.sequencer = null;
      this.frame = 0;
      this.started = 0;
    }

    say(message) { if (this.status) this.status.textContent = message; }

    async start() {
      this.bind();
      try {
        const [xml, midi] = await Promise.all([
          this.fetch(this.root.dataset.musicxml, "text"),
          this.fetch(this.root.dataset.midi, "arrayBuffer"),
        ]);
        this.midi = window.SpessaSynth.BasicMIDI.fromArrayBuffer(midi);
        await this.draw(xml);
        this.buildMixer();
        this.root.dataset.ready = "true";
        this.say("");
      } catch (error) {
        this.root.dataset.ready = "failed";
        this.say("The score could not be shown: " + error.message);
        throw error;
      }
    }

    async fetch(url, as) {
      const response = await fetch(url, {credentials: "same-origin"});
      if (!response.ok) throw new Error("a file did not load (" + response.status + ")");
      return response[as]();
    }

    // --- the score ---------------------------------------------------------------------------

    async draw(xml) {
      const blind = this.root.dataset.blind === "true";
      this.osmd = new window.opensheetmusicdisplay.OpenSheetMusicDisplay(this.sheet, {
        autoResize: false, // re-drawn here, so the section marks and the cursor follow
        backend: "svg",
        drawTitle: !blind,
        drawSubtitle: false, // the title again, as composer writes it
        drawComposer: false,
        drawLyricist: false,
        drawCredits: !blind,
        drawPartNames: true,
        drawMeasureNumbers: true,
        followCursor: true,
      });
      await this.osmd.load(xml);
      const sheet = this.osmd.Sheet;
      this.measures = sheet.SourceMeasures.map((m) => ({
        number: m.MeasureNumber,
        start: m.AbsoluteTimestamp.RealValue,
      }));
      this.root.dataset.measures = String(this.measures.length);
      this.root.dataset.parts = String(sheet.Instruments.length);
      this.buildSections();
      this.render();
      this.listCursorTimes();
      const from = this.controls["loop-from"];
      const to = this.controls["loop-to"];
      const first = this.measures[0].number;
      const last = this.measures[this.measures.length - 1].number;
      [from, to].forEach((input) => { if (input) { input.min = first; input.max = last; } });
      if (from) from.value = first;
      if (to) to.value = Math.min(last, first + 3);
      let resizing = 0;
      window.addEventListener("resize", () => {
        window.clearTimeout(resizing);
        resizing = window.setTimeout(() => this.render(), 200);
      });
    }

    render() {
      this.osmd.Zoom = this.zoom;
      this.osmd.render();
      // Never wider than the page: where a bar no longer fits (a phone, zoomed in), step back.
      let at = ZOOMS.indexOf(this.zoom);
      while (at > 0 && this.sheet.scrollWidth > this.sheet.clientWidth + 1) {
        at -= 1;
        this.zoom = ZOOMS[at];
        this.osmd.Zoom = this.zoom;
        this.osmd.render();
      }
      this.osmd.cursor.show();
      this.moveCursorTo(this.at, true);
      this.markSections();
      this.root.dataset.zoom = String(this.zoom);
    }

    listCursorTimes() {
      const cursor = this.osmd.cursor;
      cursor.reset();
      this.timestamps = [];
      while (!cursor.Iterator.EndReached) {
        this.timestamps.push(cursor.Iterator.currentTimeStamp.RealValue);
        cursor.next();
      }
      cursor.reset();
      this.at = 0;
      this.root.dataset.cursor = "0";
    }

    moveCursorTo(index, force) {
      const cursor = this.osmd.cursor;
      if (!force && index === this.at) return;
      if (force || index < this.at) { cursor.reset(); this.at = 0; }
      while (this.at < index) { cursor.next(); this.at += 1; }
      this.root.dataset.cursor = String(this.at);
    }

    // The cursor stands on the last note onset at or before the sound's position.
    follow(wholeNotes) {
      let index = this.at;
      while (index + 1 < this.timestamps.length && this.timestamps[index + 1] <= wholeNotes + 1e-6) index += 1;
      while (index > 0 && this.timestamps[index] > wholeNotes + 1e-6) index -= 1;
      this.moveCursorTo(index);
    }

    // --- the form ----------------------------------------------------------------------------

    measureAt(wholeNotes) {
      let found = 0;
      this.measures.forEach((m, i) => { if (m.start <= wholeNotes + 1e-6) found = i; });
      return found;
    }

    buildSections() {
      // Steps are 16th notes; a section is marked at the bar where it starts.
      this.sections = this.sectionsInSteps.map((s) => {
        const first = this.measureAt(s.start / 16);
        const last = this.measureAt(Math.max(s.start, s.end - 1) / 16);
        return {kind: s.kind, first, last};
      });
      if (!this.sectionList) return;
      this.sectionList.replaceChildren();
      this.sectionList.hidden = !this.sections.length;
      this.sections.forEach((s) => {
        const item = make("li", "", this.sectionList);
        const button = make("button", "link", item,
          s.kind[0].toUpperCase() + s.kind.slice(1) + ", bars " + this.measures[s.first].number + "–" + this.measures[s.last].number);
        button.type = "button";
        button.title = "Loop this section";
        button.addEventListener("click", () => {
          this.controls["loop-from"].value = this.measures[s.first].number;
          this.controls["loop-to"].value = this.measures[s.last].number;
          this.controls.loop.checked = true;
          this.seek(this.secondsAtMeasure(s.first));
        });
      });
    }

    markSections() {
      this.sheet.querySelectorAll(".section-mark").forEach((n) => n.remove());
      if (!this.sections) return;
      const unit = 10 * this.osmd.Zoom; // OSMD's units are tenths of a staff space, 10 px at zoom 1
      const svg = this.sheet.querySelector("svg");
      if (!svg) return;
      const offset = svg.getBoundingClientRect().top - this.sheet.getBoundingClientRect().top;
      this.sections.forEach((s) => {
        const column = this.osmd.GraphicSheet.MeasureList[s.first];
        const measure = column && column.find((m) => m);
        if (!measure) return;
        const at = measure.PositionAndShape.AbsolutePosition;
        const mark = make("span", "section-mark", this.sheet, s.kind);
        mark.style.left = at.x * unit + "px";
        mark.style.top = offset + Math.max(0, at.y * unit - 28) + "px";
      });
    }

    // --- time --------------------------------------------------------------------------------

    ticksPerWhole() { return this.midi.timeDivision * 4; }
    wholeNotesAt(seconds) { return this.midi.secondsToMIDITicks(seconds) / this.ticksPerWhole(); }
    secondsAtMeasure(index) {
      if (index >= this.measures.length) return this.midi.duration;
      return this.midi.midiTicksToSeconds(this.measures[index].start * this.ticksPerWhole());
    }

    loopRange() {
      if (!this.controls.loop || !this.controls.loop.checked) return null;
      const index = (n) => this.measures.findIndex((m) => m.number === Number(n));
      let first = index(this.controls["loop-from"].value);
      let last = index(this.controls["loop-to"].value);
      if (first < 0 || last < 0) return null;
      if (last < first) [first, last] = [last, first];
      return {start: this.secondsAtMeasure(first), end: this.secondsAtMeasure(last + 1)};
    }

    // --- sound -------------------------------------------------------------------------------

    // The mixer's rows: one per voice (Soprano, Alto, Tenor, Bass) when the tracks are named by
    // voice ("Bass - Cello": one track and channel per instrument and voice), each row the
    // channels of all its instruments; otherwise one per track, as a plain MIDI file has them.
    mixerRows() {
      const tracks = this.midi.tracks
        .filter((t) => t.channels.size)
        .map((t) => ({name: (t.name || "Track").trim(), channels: [...t.channels]}));
      const byVoice = tracks.map((t) => VOICE_TRACK.exec(t.name));
      if (!tracks.length || byVoice.some((m) => !m)) {
        return tracks.map((t) => {
          const voices = this.instruments[t.name];
          return {name: t.name, detail: voices && voices.length ? voices.join(", ") : "", channels: t.channels};
        });
      }
      return VOICES.map((voice) => {
        const mine = tracks.filter((t, i) => byVoice[i][1] === voice);
        const instruments = [...new Set(mine.map((t) => VOICE_TRACK.exec(t.name)[2]))];
        return {name: voice, detail: instruments.join(", "), channels: [...new Set(mine.flatMap((t) => t.channels))]};
      }).filter((row) => row.channels.length);
    }

    buildMixer() {
      if (!this.mixerList) return;
      this.tracks = this.mixerRows();
      this.mixerList.replaceChildren();
      this.tracks.forEach((track) => {
        const row = make("li", "mixer-row", this.mixerList);
        row.dataset.channels = track.channels.join(" ");
        row.dataset.name = track.name;
        make("span", "mixer-name", row, track.name);
        if (track.detail) make("small", "mixer-voices", row, track.detail);
        ["solo", "mute"].forEach((kind) => {
          const button = make("button", "small secondary", row, kind === "solo" ? "Solo" : "Mute");
          button.type = "button";
          button.dataset.toggle = kind;
          button.setAttribute("aria-pressed", "false");
          button.setAttribute("aria-label", (kind === "solo" ? "Solo " : "Mute ") + track.name);
          button.addEventListener("click", () => this.toggle(kind, track, button));
        });
      });
    }

    toggle(kind, track, button) {
      const set = kind === "solo" ? this.solo : this.mute;
      const on = !set.has(track.name);
      if (on) set.add(track.name); else set.delete(track.name);
      button.setAttribute("aria-pressed", String(on));
      this.applyMix();
    }

    silenced(track) {
      return this.mute.has(track.name) || (this.solo.size > 0 && !this.solo.has(track.name));
    }

    applyMix() {
      if (!this.synth || !this.tracks) return;
      const muted = new Set();
      this.tracks.forEach((t) => { if (this.silenced(t)) t.channels.forEach((c) => muted.add(c)); });
      for (let c = 0; c < 16; c += 1) this.synth.midiChannels[c].setSystemParameter("isMuted", muted.has(c));
      this.root.dataset.muted = [...muted].sort((a, b) => a - b).join(" ");
    }

    // Which channels carry sound right now, measured on the synthesizer's own outputs.
    listen() {
      if (!this.meters) {
        const context = this.synth.context;
        this.meters = Array.from({length: 16}, () => {
          const meter = context.createAnalyser();
          meter.fftSize = 1024;
          return meter;
        });
        this.synth.connectIndividualOutputs(this.meters);
        this.samples = new Float32Array(1024);
      }
      const sounding = [];
      this.meters.forEach((meter, channel) => {
        meter.getFloatTimeDomainData(this.samples);
        let sum = 0;
        for (const v of this.samples) sum += v * v;
        if (Math.sqrt(sum / this.samples.length) > SILENT) sounding.push(channel);
      });
      this.root.dataset.sounding = sounding.join(" ");
    }

    async play() {
      if (this.isPlaying()) { this.stop(); return; }
      if (!this.midi) return;
      if (playing && playing !== this) playing.stop();
      playing = this;
      const clicked = performance.now();
      const context = window.ArenaSynth.audioContext();
      if (!context) { this.say("This browser cannot play sound."); return; }
      this.root.dataset.audio = context.state;
      context.onstatechange = () => { this.root.dataset.audio = context.state; };
      this.say("Loading the instruments…");
      try {
        this.synth = await window.ArenaSynth.synthesizer();
      } catch (error) {
        this.say(error.message);
        return;
      }
      if (playing !== this) return; // another player started meanwhile
      if (!this.sequencer) {
        this.sequencer = new window.SpessaSynth.Sequencer(this.synth, {skipToFirstNoteOn: false});
        this.sequencer.loadNewSongList([this.midi]);
        this.sequencer.loopCount = 0;
      }
      this.synth.eventHandler.addEvent("noteOn", "first-note", () => {
        this.synth.eventHandler.removeEvent("noteOn", "first-note");
        this.root.dataset.firstNoteMs = String(Math.round(performance.now() - clicked));
      });
      this.applyMix();
      this.setTempo();
      const loop = this.loopRange();
      const from = loop ? loop.start : (this.resumeAt || 0);
      this.sequencer.currentTime = from;
      this.sequencer.play();
      this.root.dataset.playing = "true";
      this.root.dataset.audio = context.state;
      this.controls.play.textContent = "■ Stop";
      this.controls.play.setAttribute("aria-pressed", "true");
      this.say("");
      const tick = () => {
        if (!this.isPlaying()) return;
        this.step();
        this.frame = requestAnimationFrame(tick);
      };
      this.frame = requestAnimationFrame(tick);
    }

    isPlaying() { return this.root.dataset.playing === "true"; }

    step() {
      const seq = this.sequencer;
      const now = seq.currentHighResolutionTime;
      const loop = this.loopRange();
      if (loop && (now >= loop.end || now < loop.start - 0.25)) {
        seq.currentTime = loop.start;
        return;
      }
      if (now >= this.midi.duration - 0.01 || seq.isFinished) {
        this.stop(true);
        this.root.dispatchEvent(new CustomEvent("score-player:ended", {bubbles: true}));
        return;
      }
      this.follow(this.wholeNotesAt(now));
      this.root.dataset.seconds = now.toFixed(2);
      this.listen();
    }

    stop(ended) {
      cancelAnimationFrame(this.frame);
      if (this.sequencer) {
        this.resumeAt = ended ? 0 : this.sequencer.currentTime;
        this.sequencer.pause();
      }
      if (this.synth) this.synth.stopAll(true);
      if (ended) this.moveCursorTo(0, true);
      this.root.dataset.playing = "false";
      this.controls.play.textContent = "▶ Play";
      this.controls.play.setAttribute("aria-pressed", "false");
      if (playing === this) playing = null;
    }

    seek(seconds) {
      this.resumeAt = seconds;
      if (this.isPlaying()) this.sequencer.currentTime = seconds;
      this.follow(this.wholeNotesAt(seconds));
    }

    setTempo() {
      const input = this.controls.tempo;
      if (!input) return;
      const rate = Number(input.value) / 100;
      const shown = this.root.querySelector("output[for='" + input.id + "']");
      if (shown) shown.textContent = input.value + "%";
      if (this.sequencer) this.sequencer.playbackRate = rate;
    }

    bind() {
      this.controls.play.addEventListener("click", () => this.play());
      if (this.controls.tempo) this.controls.tempo.addEventListener("input", () => this.setTempo());
      const zoomBy = (step) => {
        const at = ZOOMS.findIndex((z) => z >= this.zoom - 1e-6);
        this.zoom = ZOOMS[Math.max(0, Math.min(ZOOMS.length - 1, (at < 0 ? ZOOMS.length - 1 : at) + step))];
        this.render();
      };
      if (this.controls["zoom-in"]) this.controls["zoom-in"].addEventListener("click", () => zoomBy(1));
      if (this.controls["zoom-out"]) this.controls["zoom-out"].addEventListener("click", () => zoomBy(-1));
    }
  }

  function startAll() {
    document.querySelectorAll(".score-player").forEach((root) => {
      const player = new ScorePlayer(root);
      root.scorePlayer = player;
      player.start().catch((error) => console.warn("score player:", error));
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", startAll);
  else startAll();
})();
