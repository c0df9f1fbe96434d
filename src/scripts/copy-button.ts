/**
 * Progressive enhancement for registry keys: reveals the copy buttons (hidden when scripts
 * are off, where selecting the key text works) and copies the button's `data-copy` text
 * exactly. Buttons are native `<button>`s, so Enter and Space work without a mouse.
 */

async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // Older browsers and non-secure origins (http on an intranet host) have no async
    // clipboard; the selection-based command still works there.
    const area = document.createElement('textarea');
    area.value = text;
    area.setAttribute('readonly', '');
    area.className = 'visually-hidden';
    document.body.append(area);
    area.select();
    let ok = false;
    try {
      ok = document.execCommand('copy');
    } catch {
      ok = false;
    }
    area.remove();
    return ok;
  }
}

function enhance(): void {
  const status = document.querySelector<HTMLElement>('.copy-status');
  for (const button of document.querySelectorAll<HTMLButtonElement>('button.copy-button[data-copy]')) {
    button.hidden = false;
    button.addEventListener('click', async () => {
      const text = button.dataset.copy ?? '';
      const ok = await copyText(text);
      if (status) status.textContent = ok ? `${status.dataset.copied ?? ''}: ${text}` : (status.dataset.failed ?? '');
      button.dataset.copied = ok ? 'true' : 'false';
    });
  }
}

enhance();
