/**
 * The updates a bulletin describes, in one shape. The model carries them in two places:
 * `packages` (an installer with file name and size, for one platform) and, when the
 * vendor gives only links and file tables, on the affected product itself (`downloads`,
 * `files`, `registry_keys`). Exports that list files, keys or download links walk this
 * list so both places are covered the same way.
 */
import type { AffectedProduct, Bulletin, Download, InstalledFile, Package, RegistryKey } from '../../schemas/index.ts';

export interface UpdateUnit {
  /** `affected[].id` of the product. */
  platform: string;
  /** The affected product, when the id resolves (the checker guarantees it does). */
  product: AffectedProduct | undefined;
  /** "Exchange Server 5.5 SP4": product and service pack. */
  label: string;
  /** The installer, for units that come from `packages`. */
  package?: Package;
  /** Download links given on the product (units from `affected`). */
  downloads: Download[];
  files: InstalledFile[];
  registry_keys: RegistryKey[];
  /** Field path prefix of this unit's facts: `packages[1]` or `affected[3]`. */
  field: string;
}

/**
 * "Exchange Server 5.5 SP4": product and the service pack it needs, plus the system it is
 * installed on when the vendor names one ("Internet Explorer 6 (Windows XP Service Pack 2)").
 * One form for both languages: the names are the vendor's, and tables and captions in
 * either language read it the same way.
 */
export function productLabel(product: Pick<AffectedProduct, 'product' | 'service_pack' | 'installed_on'>): string {
  const name = [product.product, product.service_pack].filter(Boolean).join(' ');
  return product.installed_on ? `${name} (${product.installed_on})` : name;
}

/** Packages first (in bulletin order), then affected products that carry downloads, files or keys. */
export function updateUnits(bulletin: Bulletin): UpdateUnit[] {
  const products = new Map(bulletin.affected.map((p) => [p.id, p]));
  const units: UpdateUnit[] = bulletin.packages.map((pkg, i) => {
    const product = products.get(pkg.platform);
    return {
      platform: pkg.platform,
      product,
      label: product ? productLabel(product) : pkg.platform,
      package: pkg,
      downloads: [],
      files: pkg.files,
      registry_keys: pkg.registry_keys,
      field: `packages[${i}]`,
    };
  });
  bulletin.affected.forEach((product, i) => {
    if (product.downloads.length === 0 && product.files.length === 0 && product.registry_keys.length === 0) return;
    units.push({
      platform: product.id,
      product,
      label: productLabel(product),
      downloads: product.downloads,
      files: product.files,
      registry_keys: product.registry_keys,
      field: `affected[${i}]`,
    });
  });
  return units;
}
