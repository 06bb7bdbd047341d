// What the pages use of SpessaSynth, bundled by scripts/vendor.sh into one script that sets
// window.SpessaSynth (the pages are plain scripts, with no build step of their own).
export { BasicMIDI } from "spessasynth_core";
export { Sequencer, WorkletSynthesizer } from "spessasynth_lib";
