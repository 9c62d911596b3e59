import { useEffect, useRef, useState } from 'react';
import QRCode from 'qrcode';

/**
 * A QR code of `text` drawn on a canvas in the browser (the secret it carries never leaves the
 * page for an image service). `onError` is told when it cannot be drawn.
 */
export function QrCode({ text, label, size = 208, onError }: { text: string; label: string; size?: number; onError?: (error: unknown) => void }) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const [drawn, setDrawn] = useState(false);

  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    let cancelled = false;
    setDrawn(false);
    QRCode.toCanvas(canvas, text, { width: size, margin: 2, errorCorrectionLevel: 'M' }).then(
      () => !cancelled && setDrawn(true),
      (error: unknown) => !cancelled && onError?.(error),
    );
    return () => {
      cancelled = true;
    };
  }, [text, size, onError]);

  return <canvas ref={canvasRef} className="qr-code" role="img" aria-label={label} data-drawn={drawn} width={size} height={size} />;
}
