// The compare page's "play both in turn": the first piece, then the second when the first ends.
(function () {
  "use strict";
  const button = document.getElementById("play-in-turn");
  if (!button) return;
  button.addEventListener("click", () => {
    const [first, second] = document.querySelectorAll(".score-player");
    if (!first || !second || !first.scorePlayer || !second.scorePlayer) return;
    first.addEventListener("score-player:ended", () => second.scorePlayer.play(), {once: true});
    first.scorePlayer.play();
  });
})();
