/**
 * Guards the header search box on every page: the Enter that confirms a Japanese IME
 * conversion must not send the half-typed reading to the search page (see `search-ime.ts`).
 */
import { guardImeEnter } from './search-ime.ts';

for (const input of document.querySelectorAll<HTMLInputElement>('form[role="search"] input[type="search"]')) guardImeEnter(input);
