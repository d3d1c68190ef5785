// Package upload with a progress bar. Without this script the form posts as usual (the CSRF token is in its
// action's query). With it: the size is checked first, the file goes by XHR with upload progress, and the
// answer is followed (JSON with the package page on success; the report page's <main> on a refusal).
(function () {
  'use strict';
  const form = document.querySelector('form.package-upload');
  if (!form || !window.XMLHttpRequest || !window.FormData) return;
  const input = form.querySelector('input[type="file"]');
  const box = form.querySelector('.upload-progress');
  const bar = form.querySelector('progress');
  const status = form.querySelector('.upload-status');
  const button = form.querySelector('button[type="submit"]');
  const max = Number(form.dataset.maxBytes);

  const say = (text, isError) => {
    status.textContent = text;
    status.classList.toggle('field-error', Boolean(isError));
  };

  /** Shows the server's page (a refusal report, an error page) in place of this one. */
  const showPage = (html) => {
    const doc = new DOMParser().parseFromString(html, 'text/html');
    const main = doc.querySelector('main');
    const here = document.querySelector('main');
    if (!main || !here) return false;
    here.replaceChildren(...Array.from(main.childNodes).map((n) => document.importNode(n, true)));
    if (doc.title) document.title = doc.title;
    here.focus();
    window.scrollTo(0, 0);
    return true;
  };

  form.addEventListener('submit', (event) => {
    const file = input.files && input.files[0];
    if (!file) return; // the browser's required check speaks
    event.preventDefault();
    if (max && file.size > max) {
      say(form.dataset.msgTooLarge, true);
      input.focus();
      return;
    }
    const xhr = new XMLHttpRequest();
    xhr.open('POST', form.action);
    xhr.setRequestHeader('X-Upload', 'xhr');
    xhr.setRequestHeader('Accept', 'application/json, text/html');
    box.hidden = false;
    bar.value = 0;
    button.disabled = true;
    say('');
    xhr.upload.addEventListener('progress', (e) => {
      if (!e.lengthComputable) return;
      const percent = Math.floor((e.loaded / e.total) * 100);
      bar.value = percent;
      status.textContent = form.dataset.msgPercent.replace('%', String(percent));
    });
    xhr.upload.addEventListener('load', () => {
      bar.value = 100;
      say(form.dataset.msgChecking);
    });
    xhr.addEventListener('load', () => {
      const type = xhr.getResponseHeader('Content-Type') || '';
      if (xhr.status === 200 && type.includes('application/json')) {
        const { location } = JSON.parse(xhr.responseText);
        window.location.assign(location);
        return;
      }
      if (type.includes('text/html') && showPage(xhr.responseText)) return;
      button.disabled = false;
      say(form.dataset.msgFailed, true);
    });
    xhr.addEventListener('error', () => {
      button.disabled = false;
      say(form.dataset.msgFailed, true);
    });
    xhr.send(new FormData(form));
  });
})();
