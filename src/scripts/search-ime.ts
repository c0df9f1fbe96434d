/**
 * Keeps the Enter that confirms a Japanese IME conversion from submitting a search form.
 *
 * Browsers disagree about that Enter: Chromium and Firefox send a keydown with
 * `isComposing` set; Safari ends the composition first and then sends a keydown with
 * `isComposing` false but `keyCode` 229 ("the IME handled this key"). Checking both on
 * keydown, plus our own composition flag from compositionstart/compositionend, covers all
 * three. The guarded keydown is cancelled, so the browser's implicit form submission
 * never happens; a plain Enter afterwards submits as usual.
 */

/** True when a keydown is Enter pressed to confirm an IME conversion, not to submit. */
export function isImeEnter(event: Pick<KeyboardEvent, 'key' | 'isComposing' | 'keyCode'>, composing: boolean): boolean {
  // Only an Enter can submit a form; other keys an IME swallows ("Process") never do.
  return event.key === 'Enter' && (event.isComposing || event.keyCode === 229 || composing);
}

/**
 * Guards `input`'s form. Returns a function that tells whether a composition is in
 * progress (the search page also waits for it before acting on other keys).
 */
export function guardImeEnter(input: HTMLInputElement): () => boolean {
  let composing = false;
  input.addEventListener('compositionstart', () => {
    composing = true;
  });
  input.addEventListener('compositionend', () => {
    composing = false;
  });
  input.addEventListener(
    'keydown',
    (event) => {
      if (isImeEnter(event, composing)) {
        event.preventDefault();
        event.stopImmediatePropagation();
      }
    },
    { capture: true },
  );
  return () => composing;
}
