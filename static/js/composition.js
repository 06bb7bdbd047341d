// Polls the piece's status while it is queued or running; reloads the page when it ends.
(function () {
  const panel = document.getElementById("progress");
  if (!panel) return;
  const bar = document.getElementById("progress-bar");
  const text = document.getElementById("progress-text");
  const badge = document.getElementById("status-badge");
  async function poll() {
    try {
      const response = await fetch(panel.dataset.statusUrl, {headers: {Accept: "application/json"}, credentials: "same-origin"});
      if (response.ok) {
        const piece = await response.json();
        if (piece.status === "done" || piece.status === "failed") { window.location.reload(); return; }
        bar.value = piece.progress;
        badge.textContent = piece.status === "running" ? "Running" : "Queued";
        text.textContent = piece.status === "queued" ? "Waiting for a free composer…" : (piece.message || "Working…");
      }
    } catch (error) { /* a dropped connection: try again on the next tick */ }
    window.setTimeout(poll, 1500);
  }
  window.setTimeout(poll, 1000);
})();
