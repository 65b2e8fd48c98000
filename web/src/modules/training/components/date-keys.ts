import type { KeyboardEvent } from 'react';

/**
 * Enter in a date field confirms the date typed (the picker does that before calling this) and
 * must not submit the form around it: a half-filled class would be saved as a draft. Give it to
 * every DatePicker / RangePicker of the training forms as onKeyDown.
 */
export const keepEnterInPicker = (event: KeyboardEvent) => {
  if (event.key === 'Enter') event.preventDefault();
};
