// The course editor, enhanced: autosave, Markdown live preview, and reordering by drag and drop or by
// the Move up / Move down buttons without reloading. Every form also works without this script.
(function () {
  'use strict';
  const AUTOSAVE_MS = 3000;
  const csrfOf = (form) => form.querySelector('input[name="_csrf"]')?.value ?? '';

  async function post(url, form, body) {
    const res = await fetch(url, {
      method: 'POST',
      headers: { Accept: 'application/json', 'X-CSRF-Token': csrfOf(form) },
      body: body ?? new URLSearchParams(new FormData(form)),
      credentials: 'same-origin',
    });
    let json = null;
    try {
      json = await res.json();
    } catch {
      json = null;
    }
    return { ok: res.ok, status: res.status, json };
  }

  // ---- autosave: every few seconds after typing stops, and when the focus leaves the form ----
  function autosave(form) {
    const status = form.querySelector('[data-save-status]');
    let timer = null;
    let dirty = false;
    let saving = false;
    const show = (text) => {
      if (status) status.textContent = text;
    };
    async function save() {
      clearTimeout(timer);
      if (!dirty || saving) return;
      dirty = false;
      saving = true;
      show(status?.dataset.saving ?? '');
      try {
        const r = await post(form.action, form);
        if (r.ok) {
          const time = new Date().toLocaleTimeString(document.documentElement.lang, {
            hour: '2-digit',
            minute: '2-digit',
          });
          show((status?.dataset.saved ?? '').replace('{{time}}', time));
          form.querySelectorAll('[aria-invalid="true"]').forEach((el) => el.removeAttribute('aria-invalid'));
        } else {
          const reasons = r.json?.errors ? Object.values(r.json.errors).join(' ') : String(r.status);
          show((status?.dataset.failed ?? '').replace('{{reason}}', reasons));
          if (r.json?.errors)
            Object.keys(r.json.errors).forEach((name) =>
              form.querySelector(`[name="${CSS.escape(name)}"]`)?.setAttribute('aria-invalid', 'true'),
            );
        }
      } catch {
        dirty = true;
        show(status?.dataset.offline ?? '');
      } finally {
        saving = false;
      }
    }
    form.addEventListener('input', () => {
      dirty = true;
      clearTimeout(timer);
      timer = setTimeout(save, AUTOSAVE_MS);
    });
    form.addEventListener('change', () => {
      dirty = true;
    });
    form.addEventListener('focusout', (e) => {
      if (!form.contains(e.relatedTarget)) save();
    });
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      dirty = true;
      save();
    });
    window.addEventListener('beforeunload', () => {
      if (dirty) navigator.sendBeacon?.(form.action, new URLSearchParams(new FormData(form)));
    });
  }
  document.querySelectorAll('form[data-autosave]').forEach(autosave);

  // ---- Markdown live preview, rendered and sanitized by the server ----
  document.querySelectorAll('textarea[data-preview]').forEach((area) => {
    const target = document.getElementById(area.dataset.preview);
    const form = area.form;
    if (!target || !form) return;
    let timer = null;
    area.addEventListener('input', () => {
      clearTimeout(timer);
      timer = setTimeout(async () => {
        const body = new URLSearchParams({ markdown: area.value, _csrf: csrfOf(form) });
        try {
          const r = await post('/authoring/preview', form, body);
          if (r.ok && r.json && typeof r.json.html === 'string') target.innerHTML = r.json.html;
        } catch {
          /* the saved text's preview stays */
        }
      }, 400);
    });
  });

  // ---- reordering ----
  const announce = (list, text) => {
    const box = list.closest('section')?.querySelector('[data-announcer]');
    if (box && text) box.textContent = text;
  };
  const itemsOf = (list) => Array.from(list.children).filter((li) => li.dataset.id);

  function refreshEdges(list) {
    const items = itemsOf(list);
    items.forEach((li, i) => {
      const tools = Array.from(
        li.querySelectorAll(
          ':scope > .move-tools button, :scope > .outline-row .move-tools button, :scope > .block-head .move-tools button',
        ),
      );
      tools.forEach((b) => {
        b.disabled = b.dataset.direction === 'up' ? i === 0 : i === items.length - 1;
      });
    });
  }

  // Move up / down without a reload; the focus stays on the button that was pressed.
  document.addEventListener('submit', async (e) => {
    const form = e.target;
    if (!(form instanceof HTMLFormElement) || !form.classList.contains('move-form')) return;
    const li = form.closest('li[data-id]');
    const list = li?.parentElement;
    if (!li || !list) return;
    e.preventDefault();
    const direction = form.querySelector('input[name="direction"]').value;
    const button = form.querySelector('button');
    const r = await post(form.action, form);
    if (!r.ok) {
      form.submit();
      return;
    }
    const sibling = direction === 'up' ? li.previousElementSibling : li.nextElementSibling;
    if (sibling) {
      if (direction === 'up') list.insertBefore(li, sibling);
      else list.insertBefore(sibling, li);
    }
    refreshEdges(list);
    if (button.disabled) form.parentElement.querySelector('button:not([disabled])')?.focus();
    else button.focus();
    announce(list, r.json?.message);
  });

  // Drag and drop inside one list; the new order is saved at once.
  document.querySelectorAll('[data-reorder]').forEach((list) => {
    let dragged = null;
    itemsOf(list).forEach((li) => {
      li.draggable = true;
      li.addEventListener('dragstart', (e) => {
        if (e.target !== li) return;
        dragged = li;
        li.classList.add('dragging');
        e.dataTransfer.effectAllowed = 'move';
        e.dataTransfer.setData('text/plain', li.dataset.id);
        e.stopPropagation();
      });
      li.addEventListener('dragend', () => {
        li.classList.remove('dragging');
        dragged = null;
      });
    });
    list.addEventListener('dragover', (e) => {
      if (!dragged || dragged.parentElement !== list) return;
      e.preventDefault();
      e.stopPropagation();
      const after = itemsOf(list).find(
        (li) => li !== dragged && e.clientY < li.getBoundingClientRect().top + li.offsetHeight / 2,
      );
      if (after) list.insertBefore(dragged, after);
      else list.appendChild(dragged);
    });
    list.addEventListener('drop', async (e) => {
      if (!dragged || dragged.parentElement !== list) return;
      e.preventDefault();
      e.stopPropagation();
      const anyForm = list.closest('section')?.querySelector('form') ?? document.querySelector('form');
      const body = new URLSearchParams({ scope: list.dataset.reorder, _csrf: csrfOf(anyForm) });
      if (list.dataset.parent) body.set('parent', list.dataset.parent);
      itemsOf(list).forEach((li) => body.append('ids', li.dataset.id));
      const r = await post(`/authoring/courses/${list.dataset.course}/reorder`, anyForm, body);
      refreshEdges(list);
      if (r.ok) announce(list, r.json?.message);
      else window.location.reload();
    });
  });
})();
