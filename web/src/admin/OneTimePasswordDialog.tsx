import { useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Modal } from './Modal';

/**
 * Shows a one-time password once (after creating an account or resetting its password), with a
 * copy button. It is kept nowhere else: closing the dialog forgets it.
 */
export function OneTimePasswordDialog({ username, password, reason, onClose }: { username: string; password: string; reason: 'created' | 'reset'; onClose(): void }) {
  const { t } = useTranslation();
  const id = useId();
  const inputRef = useRef<HTMLInputElement>(null);
  const [copyState, setCopyState] = useState<'idle' | 'copied' | 'failed'>('idle');

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(password);
      setCopyState('copied');
    } catch {
      // No clipboard access (an old browser, or permission refused): select it for a manual copy.
      inputRef.current?.select();
      setCopyState(document.execCommand?.('copy') ? 'copied' : 'failed');
    }
  };

  return (
    <Modal title={t('admin.oneTime.title')}>
      <p>{reason === 'created' ? t('admin.oneTime.createdIntro', { username }) : t('admin.oneTime.resetIntro', { username })}</p>
      <div className="one-time-password">
        <label htmlFor={id} className="visually-hidden">
          {t('admin.oneTime.label', { username })}
        </label>
        <input ref={inputRef} id={id} className="one-time-password__value" readOnly value={password} translate="no" spellCheck={false} onFocus={(e) => e.target.select()} />
        <button type="button" className="button button--primary" onClick={copy}>
          {t('admin.oneTime.copy')}
        </button>
      </div>
      <p role="status" className={copyState === 'failed' ? 'error' : 'success'}>
        {copyState === 'copied' ? t('admin.oneTime.copied') : copyState === 'failed' ? t('admin.oneTime.copyFailed') : ''}
      </p>
      <p className="warning">{t('admin.oneTime.warning')}</p>
      <div className="button-row modal__buttons">
        <button type="button" className="button" onClick={onClose}>
          {t('admin.oneTime.close')}
        </button>
      </div>
    </Modal>
  );
}
