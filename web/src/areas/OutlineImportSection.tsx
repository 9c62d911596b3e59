/** A section of the /areas page (being built). */
export function OutlineImportSection() {
  return null;
}
