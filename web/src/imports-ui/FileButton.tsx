/**
 * A file picker as a labelled button in the UI's language (the browser's own control speaks the
 * browser's language): the input stays in the page for keyboards and screen readers, visually
 * replaced by the button and the chosen file's name.
 */
import './imports.css';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';

export interface FileButtonProps {
  /** What the file is, said before the button (e.g. "文件"). */
  label: string;
  accept: string;
  file: File | null;
  onChange(file: File | null): void;
  /** A line under the button: which files are read. */
  help?: string;
  disabled?: boolean;
}

export function FileButton({ label, accept, file, onChange, help, disabled }: FileButtonProps) {
  const { t } = useTranslation();
  const id = useId();
  return (
    <div className="file-button">
      <span className="file-button__label" id={`${id}-label`}>{label}</span>
      <div className="file-button__row">
        <input
          id={id}
          className="file-button__input"
          type="file"
          accept={accept}
          disabled={disabled}
          aria-labelledby={`${id}-label ${id}-button`}
          aria-describedby={help ? `${id}-help` : undefined}
          onChange={(e) => onChange(e.target.files?.[0] ?? null)}
        />
        <label htmlFor={id} id={`${id}-button`} className="button button--small file-button__button">{t('imports.chooseFile')}</label>
        <span className="file-button__name" aria-live="polite">{file ? file.name : t('imports.noFile')}</span>
      </div>
      {help && <span className="file-button__help" id={`${id}-help`}>{help}</span>}
    </div>
  );
}
