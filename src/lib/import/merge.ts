/**
 * Combining an import with the bulletin already in the content folder. Sources complement
 * each other: Microsoft's archive gives dates, severity, CVEs and revision history; a
 * vendor page gives packages, files, registry keys and rollout notes. Importing both into
 * one folder merges them; re-importing one source refreshes only what that source gives.
 */
import { productKey } from './classify.ts';
import type { ImportedText } from './types.ts';

type Facts = Record<string, unknown>;
type Entry = Record<string, unknown>;

function asList(value: unknown): Entry[] {
  return Array.isArray(value) ? (value.filter((v) => v !== null && typeof v === 'object') as Entry[]) : [];
}

/**
 * Product identity without service pack, so "Exchange Server 5.5" meets "Exchange Server 5.5
 * SP4"; with the system a component is installed on, so Internet Explorer 6 on two systems
 * stays two entries.
 */
function productIdentity(entry: Entry): string {
  const product = productKey(String(entry.product ?? '')) ?? String(entry.product ?? '');
  return entry.installed_on === undefined ? product : `${product}|${String(entry.installed_on)}`;
}

/**
 * Affected products by identity: the incoming entry updates the existing one, keeping the
 * existing id when packages point at it and any fact (service pack, severity) only one side has.
 */
function mergeAffected(existing: Entry[], incoming: Entry[], referenced: Set<string>): Entry[] {
  const out = existing.map((e) => ({ ...e }));
  for (const entry of incoming) {
    const index = out.findIndex((e) => productIdentity(e) === productIdentity(entry));
    if (index < 0) {
      out.push({ ...entry });
      continue;
    }
    const old = out[index]!;
    const merged: Entry = { ...old, ...entry };
    if (referenced.has(String(old.id))) merged.id = old.id;
    for (const key of ['service_pack', 'severity', 'family']) if (entry[key] === undefined && old[key] !== undefined) merged[key] = old[key];
    out[index] = merged;
  }
  // Two imports may still name the same key: keep the first entry with it.
  const seen = new Set<string>();
  return out.filter((e) => {
    const id = String(e.id);
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

function unionBy(existing: unknown, incoming: unknown, key: (e: Entry) => string): Entry[] {
  const out = [...asList(existing)];
  const seen = new Set(out.map(key));
  for (const e of asList(incoming)) {
    if (seen.has(key(e))) {
      const index = out.findIndex((o) => key(o) === key(e));
      out[index] = e;
    } else {
      out.push(e);
      seen.add(key(e));
    }
  }
  return out;
}

function unionScalars(existing: unknown, incoming: unknown): unknown[] {
  const out = Array.isArray(existing) ? [...existing] : [];
  for (const v of Array.isArray(incoming) ? incoming : []) if (!out.some((o) => String(o) === String(v))) out.push(v);
  return out;
}

/** Facts of the existing bulletin updated with those the import carries. */
export function mergeFacts(existing: Facts, incoming: Facts): Facts {
  const out: Facts = { ...existing };
  const packages = incoming.packages ?? existing.packages;
  const referenced = new Set(asList(packages).map((p) => String(p.platform)));
  for (const [key, value] of Object.entries(incoming)) {
    if (value === undefined) continue;
    switch (key) {
      case 'affected':
        out.affected = mergeAffected(asList(existing.affected), asList(value), referenced);
        break;
      case 'references':
        out.references = unionBy(existing.references, value, (e) => String(e.url));
        break;
      case 'sources':
        out.sources = unionBy(existing.sources, value, (e) => String(e.title));
        break;
      case 'discrepancies':
        out.discrepancies = unionBy(existing.discrepancies, value, (e) => `${String(e.field)}\u0000${String(e.other_value)}`);
        break;
      case 'kb':
      case 'cves':
      case 'aliases':
      case 'related':
      case 'supersedes':
      case 'superseded_by':
        out[key] = unionScalars(existing[key], value);
        break;
      default:
        out[key] = value;
    }
  }
  return out;
}

/** The language file of the existing bulletin updated with the import's text. */
export function mergeText(existing: ImportedText, incoming: ImportedText): ImportedText {
  const frontmatter = { ...existing.frontmatter, ...incoming.frontmatter };
  const a = existing.body.trim();
  const b = incoming.body.trim();
  let body: string;
  if (b === '' || a.includes(b)) body = existing.body;
  else if (a === '' || b.includes(a)) body = incoming.body;
  else body = `${a}\n\n${b}\n`;
  return { frontmatter, body };
}
