/**
 * Which sections a bulletin page has, in page order (most urgent first). The table of
 * contents is built from this list and each section component renders under the same
 * condition, so every contents link has its target (the link check verifies it).
 */
import type { Bulletin } from '../../schemas/index.ts';
import type { UiKey } from '../i18n/index.ts';

export interface BulletinSection {
  id: string;
  label: UiKey;
}

/** Sections present for `bulletin`, given whether its text has a comment and a body. */
export function bulletinSections(bulletin: Bulletin, text: { comment: boolean; body: boolean }): BulletinSection[] {
  const packages = bulletin.packages;
  const affected = bulletin.affected;
  const sections: (BulletinSection | false)[] = [
    { id: 'summary', label: 'bulletin.summary' },
    { id: 'affected', label: 'bulletin.affected' },
    (packages.length > 0 || affected.some((a) => a.downloads.length > 0)) && { id: 'downloads', label: 'bulletin.downloads' },
    (packages.some((p) => p.files.length > 0) || affected.some((a) => a.files.length > 0)) && { id: 'files', label: 'bulletin.files' },
    (packages.some((p) => p.registry_keys.length > 0 || p.console) ||
      affected.some((a) => a.registry_keys.length > 0) ||
      Boolean(bulletin.verification?.console_check || bulletin.verification?.file_check)) && {
      id: 'verification',
      label: 'bulletin.verification',
    },
    packages.some((p) => p.deployment) && { id: 'deployment', label: 'bulletin.deployment' },
    text.comment && { id: 'comment', label: 'bulletin.commentAnon' },
    bulletin.revision_history.length > 0 && { id: 'revisions', label: 'bulletin.revisions' },
    bulletin.related.length + bulletin.supersedes.length + bulletin.superseded_by.length > 0 && {
      id: 'related',
      label: 'bulletin.related',
    },
    bulletin.references.length + bulletin.sources.length > 0 && { id: 'references', label: 'bulletin.references' },
    bulletin.discrepancies.length > 0 && { id: 'discrepancies', label: 'bulletin.discrepancies' },
    text.body && { id: 'details', label: 'bulletin.details' },
  ];
  return sections.filter((s): s is BulletinSection => s !== false);
}
