/**
 * A file input that speaks the UI's language: a labelled button ("选择文件") and the chosen file's
 * name ("未选择文件" before), in place of the browser's own "Choose File / No file chosen". The
 * native input stays in the page (visually hidden) so that labels, forms and tests reach it.
 */
import { useRef, useState, type ChangeEvent, type Ref } from 'react';
import { useTranslation } from 'react-i18next';

interface Props {
  id?: string;
  accept?: string;
  capture?: 'user' | 'environment';
  disabled?: boolean;
  /** What the file is for, read out with the button ("选择文件：设施表格文件"). */
  label?: string;
  'aria-describedby'?: string;
  inputRef?: Ref<HTMLInputElement>;
  onChange?(event: ChangeEvent<HTMLInputElement>): void;
}

export function FilePicker({ id, accept, capture, disabled, label, inputRef, onChange, ...rest }: Props) {
  const { t } = useTranslation();
  const own = useRef<HTMLInputElement | null>(null);
  const [name, setName] = useState<string | null>(null);
  const setRefs = (element: HTMLInputElement | null) => {
    own.current = element;
    if (typeof inputRef === 'function') inputRef(element);
    else if (inputRef) (inputRef as { current: HTMLInputElement | null }).current = element;
  };
  return (
    <span className="file-picker">
      <input
        id={id}
        ref={setRefs}
        type="file"
        className="file-picker__input"
        tabIndex={-1}
        accept={accept}
        capture={capture}
        disabled={disabled}
        aria-describedby={rest['aria-describedby']}
        onChange={(event) => {
          setName(event.target.files?.[0]?.name ?? null);
          onChange?.(event);
        }}
      />
      <button
        type="button"
        className="button file-picker__button"
        disabled={disabled}
        aria-label={label ? `${t('filePicker.choose')}：${label}` : undefined}
        aria-describedby={rest['aria-describedby']}
        onClick={() => own.current?.click()}
      >
        {t('filePicker.choose')}
      </button>
      <span className={`file-picker__name${name ? '' : ' is-empty'}`} title={name ?? undefined}>
        {name ?? t('filePicker.none')}
      </span>
    </span>
  );
}
