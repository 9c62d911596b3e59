/** A section of the /areas page (being built). */
export function CodeListSection() {
  return null;
}
