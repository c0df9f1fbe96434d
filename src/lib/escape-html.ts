/**
 * Escaping for HTML written as strings (outside Astro's templates): directory listings,
 * feed content, KB/CVE forwarding pages.
 */

/** Text safe in HTML element content and in double-quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
