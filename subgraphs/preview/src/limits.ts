/** Every limit of link previews, in one place (documented in the README). */

/** Characters of a link that gets a preview; a longer one is FAILED without a fetch. */
export const MAX_LINK_LENGTH = 2048;
/** Bytes of a page read (after decompression): the rest is not downloaded (the head comes first). */
export const MAX_PAGE_BYTES = 2 * 1024 * 1024;
/** Characters kept of a page's title, description and site name (cut with an ellipsis). */
export const MAX_TITLE_LENGTH = 300;
export const MAX_DESCRIPTION_LENGTH = 1000;
export const MAX_SITE_NAME_LENGTH = 100;
