// One General MIDI synthesizer for the page (SpessaSynth in an AudioWorklet, playing the
// soundfont the site serves), shared by the score players and the melody editor so that a
// melody sounds the same while it is typed and when its piece plays.
(function () {
  "use strict";
  if (window.ArenaSynth) return; // included by more than one part of the page
  const script = document.currentScript;
  const PROCESSOR = script.dataset.processor;
  const SOUNDFONT = script.dataset.soundfont;
  let context = null;
  let ready = null;

  // The AudioContext exists from the first gesture on (browsers only let a gesture start sound);
  // the soundfont loads once and is kept by the browser's cache between pages.
  function audioContext() {
    if (!context) {
      const Context = window.AudioContext || window.webkitAudioContext;
      if (!Context) return null;
      context = new Context();
    }
    if (context.state === "suspended") context.resume();
    return context;
  }

  function synthesizer() {
    if (ready) return ready;
    const ctx = audioContext();
    if (!ctx || !ctx.audioWorklet) return Promise.reject(new Error("This browser cannot play sound."));
    ready = (async () => {
      const [, bank] = await Promise.all([
        ctx.audioWorklet.addModule(PROCESSOR),
        fetch(SOUNDFONT, {credentials: "same-origin"}).then((r) => {
          if (!r.ok) throw new Error("The soundfont did not load (" + r.status + ").");
          return r.arrayBuffer();
        }),
      ]);
      const synth = new window.SpessaSynth.WorkletSynthesizer(ctx);
      synth.connect(ctx.destination);
      await synth.soundBankManager.addSoundBank(bank, "main");
      await synth.isReady;
      return synth;
    })();
    ready.catch(() => { ready = null; }); // a failed load may be tried again
    return ready;
  }

  window.ArenaSynth = {audioContext, synthesizer};
})();
