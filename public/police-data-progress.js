/* global document, window, fetch */
// Progressive enhancement for a police data import page: polls the import's progress and
// updates the progress bar; reloads once the import has finished so the report shows. Without
// JavaScript the page has a Refresh link instead.
const container = document.querySelector('[data-police-import-progress]');
if (container) {
  const bar = container.querySelector('progress');
  const text = container.querySelector('#import-progress-text');
  const url = container.getAttribute('data-url');
  const poll = async () => {
    try {
      const response = await fetch(url, { headers: { accept: 'application/json' }, credentials: 'same-origin' });
      if (response.ok) {
        const progress = await response.json();
        bar.max = progress.byteSize;
        bar.value = progress.bytesRead;
        bar.textContent = `${progress.percent}%`;
        text.textContent = `${progress.text} read`;
        if (progress.finished) {
          window.location.reload();
          return;
        }
      }
    } catch {
      // A dropped request is tried again on the next tick.
    }
    window.setTimeout(poll, 2000);
  };
  window.setTimeout(poll, 1000);
}
