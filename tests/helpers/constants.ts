/** The demo data in tests ends its 24 months of incidents on this day, so figures are fixed. */
export const TEST_ANCHOR_DATE = new Date(Date.UTC(2026, 10, 1));

/** Where browser tests save screenshots for a person to look at. */
export const SCREENSHOT_DIR = new URL('../screenshots/', import.meta.url);
