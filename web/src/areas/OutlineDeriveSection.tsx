/** A section of the /areas page (being built). */
export function OutlineDeriveSection() {
  return null;
}
