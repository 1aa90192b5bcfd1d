// The character codes (and, all being ASCII, the UTF-8 bytes) that JSON's scanners here look for.

/** Strings: their delimiter and escape, and the first code that is not a control character. */
export const QUOTE = 34;
export const BACKSLASH = 92;
export const SPACE = 32;

/** Objects and arrays. */
export const OPEN_OBJECT = 123;
export const CLOSE_OBJECT = 125;
export const OPEN_ARRAY = 91;
export const CLOSE_ARRAY = 93;
export const [COMMA, COLON] = [44, 58];

/** Numbers. */
export const [ZERO, NINE] = [48, 57];
export const [MINUS, PLUS, DOT] = [45, 43, 46];
export const [LOWER_E, UPPER_E] = [101, 69];
/** Integers up to this many digits are exact doubles, so they print back as they were written. */
export const EXACT_DIGITS = 15;
