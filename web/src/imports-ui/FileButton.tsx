/**
 * The one file picker of the UI: a labelled button in the UI's language (the browser's own control
 * speaks the browser's language: "Choose File / No file chosen") and the chosen file's name. The
 * native input stays in the page for keyboards, screen readers, forms and tests, visually replaced
 * by the button. Controlled (`file`) or not (`inputRef`, the name it shows is its own).
 */
import './imports.css';
import { useId, useState, type Ref } from 'react';
import { useTranslation } from 'react-i18next';

export interface FileButtonProps {
  /** What the file is, said before the button (e.g. "文件") and the input's accessible name. */
  label: string;
  accept: string;
  /** The chosen file, when the parent holds it (cleared by setting null). */
  file?: File | null;
  onChange?(file: File | null): void;
  /** A line under the button: which files are read. */
  help?: string;
  disabled?: boolean;
  /** Phones: take a photo with this camera. */
  capture?: 'user' | 'environment';
  /** For forms that read (and reset) the input themselves. */
  inputRef?: Ref<HTMLInputElement>;
  className?: string;
}

export function FileButton({ label, accept, file, onChange, help, disabled, capture, inputRef, className }: FileButtonProps) {
  const { t } = useTranslation();
  const id = useId();
  const [ownName, setOwnName] = useState<string | null>(null);
  const name = file !== undefined ? file?.name ?? null : ownName;
  return (
    <div className={`file-button${className ? ` ${className}` : ''}`}>
      <span className="file-button__label" id={`${id}-label`}>{label}</span>
      <div className="file-button__row">
        <input
          id={id}
          ref={inputRef}
          className="file-button__input"
          type="file"
          accept={accept}
          capture={capture}
          disabled={disabled}
          aria-labelledby={`${id}-label`}
          aria-describedby={help ? `${id}-help` : undefined}
          onChange={(e) => {
            const chosen = e.target.files?.[0] ?? null;
            setOwnName(chosen?.name ?? null);
            onChange?.(chosen);
          }}
        />
        <label htmlFor={id} id={`${id}-button`} className={`button button--small file-button__button${disabled ? ' is-disabled' : ''}`} aria-hidden="true">{t('imports.chooseFile')}</label>
        <span className={`file-button__name${name ? '' : ' is-empty'}`} aria-live="polite" title={name ?? undefined}>{name ?? t('imports.noFile')}</span>
      </div>
      {help && <span className="file-button__help" id={`${id}-help`}>{help}</span>}
    </div>
  );
}
