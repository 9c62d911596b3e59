/**
 * Enter in a text field of an editing form does not save it: only the explicit button does.
 * (Browsers submit a form on Enter in any of its inputs; for a form that writes data, a stray
 * Enter must not.) Put on the <form>: `onKeyDown={enterDoesNotSubmit}`.
 */
import type { KeyboardEvent } from 'react';

export function enterDoesNotSubmit(event: KeyboardEvent<HTMLFormElement>) {
  if (event.key !== 'Enter') return;
  const target = event.target as HTMLElement;
  if (target instanceof HTMLInputElement && !['button', 'submit', 'checkbox', 'radio', 'file'].includes(target.type)) event.preventDefault();
  if (target instanceof HTMLSelectElement) event.preventDefault();
}
