/**
 * The `/` page: sends the reader to the language their browser prefers (the first of
 * `navigator.languages` that the site has), or English when none matches. The page's
 * plain links do the same job when scripts are off, and their `href`s already carry the
 * base path, so this script needs no configuration.
 */
const links = new Map(
  [...document.querySelectorAll<HTMLAnchorElement>('a[data-choose-lang]')].map((a) => [a.dataset.chooseLang ?? '', a.href]),
);
const preferred = (navigator.languages?.length ? navigator.languages : [navigator.language])
  .map((tag) => tag.toLowerCase().split('-')[0] ?? '')
  .find((lang) => links.has(lang));
const target = links.get(preferred ?? 'en');
if (target) location.replace(target);
