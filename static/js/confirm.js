// A button with data-confirm asks before its form is sent (the pages that must also work
// without JavaScript, like publishing the results, ask on a page of their own instead).
document.addEventListener("submit", (event) => {
  const button = event.submitter;
  const question = button && button.dataset.confirm;
  if (question && !window.confirm(question)) event.preventDefault();
});
