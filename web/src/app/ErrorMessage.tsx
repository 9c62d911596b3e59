/** A refusal or failure shown beside the form or panel it concerns, announced to screen readers. */
export function ErrorMessage({ message }: { message: string | null | undefined }) {
  return message ? (
    <p className="error" role="alert">
      {message}
    </p>
  ) : null;
}
