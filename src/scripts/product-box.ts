/**
 * The product box (`ProductBox.astro`): loads the page's product list on first use, offers
 * the names as suggestions, and turns the box's text into the products it selects
 * (`selectProducts`). Used by the bulletin list and the search page.
 */
import { productBoxText, selectedBulletins, selectProducts, type ProductChoice, type ProductSelection } from '../lib/product-match.ts';

export interface ProductBox {
  input: HTMLInputElement;
  /**
   * The products the box's text selects; undefined when the box is empty (no filter) or
   * the product list could not be loaded (`describe` then says so).
   */
  selection(): Promise<ProductSelection | undefined>;
  /** The ids of the bulletins a selection's products affect (the list's file has them). */
  bulletins(selection: ProductSelection): Promise<Set<string>>;
  /**
   * Puts an address's `product` value in the box. A slug shows as its product's name and
   * keeps selecting that product alone until the text is edited.
   */
  fill(value: string): Promise<void>;
  /** The box's value for the address: the slug it was filled with, or the text. */
  addressValue(): string;
  /** What to say about a selection: how many products it holds, or that none matched. */
  describe(selection: ProductSelection | undefined): string;
}

export function productBox(input: HTMLInputElement): ProductBox {
  let loading: Promise<readonly ProductChoice[]> | undefined;
  const choices = () => {
    loading ??= fetch(input.dataset.choices!)
      .then((response) => {
        if (!response.ok) throw new Error(`${input.dataset.choices}: HTTP ${response.status}`);
        return response.json() as Promise<ProductChoice[]>;
      })
      .then((list) => {
        const options = list.map(([, name]) => {
          const option = document.createElement('option');
          option.value = name;
          return option;
        });
        input.list?.replaceChildren(...options);
        return list;
      });
    // A failed download is tried again on the next use.
    loading.catch(() => (loading = undefined));
    return loading;
  };
  input.addEventListener('focus', () => void choices().catch(() => undefined));
  // The product a slug named, while the box still shows its name unedited.
  let pinned: { slug: string; name: string } | undefined;
  let failed = false;
  const isPinned = () => pinned !== undefined && input.value === pinned.name;
  input.addEventListener('input', () => (pinned = undefined));
  return {
    input,
    async selection() {
      failed = false;
      const text = input.value.trim();
      if (!text) return undefined;
      if (isPinned()) return { slugs: [pinned!.slug], exact: true };
      try {
        return selectProducts(text, await choices());
      } catch {
        // Filtering by a list that is not there would hide every bulletin for no reason.
        failed = true;
        return undefined;
      }
    },
    async bulletins(selection) {
      return selectedBulletins(selection, await choices());
    },
    async fill(value) {
      pinned = undefined;
      input.value = value;
      if (!value) return;
      // Without the list (a failed download) the value stays as it is.
      const name = productBoxText(value, await choices().catch(() => []));
      if (name !== value) pinned = { slug: value, name };
      input.value = name;
    },
    addressValue() {
      return isPinned() ? pinned!.slug : input.value.trim();
    },
    describe(selection) {
      if (failed) return input.dataset.error!;
      if (!selection || selection.exact) return '';
      const text = input.value.trim();
      const count = selection.slugs.length;
      const template = count === 1 ? input.dataset.matchesOne! : count ? input.dataset.matches! : input.dataset.none!;
      return template.replace('{text}', text).replace('{count}', String(selection.slugs.length));
    },
  };
}
