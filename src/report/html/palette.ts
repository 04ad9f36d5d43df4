/**
 * How the report tells versions apart: each version of a scenario gets a colour and a pattern by
 * its position in the scenario's versions, and every cell also shows the version's label, so no
 * reader depends on colour alone.
 */

/** How many colour-and-pattern pairs the page defines (versions beyond wrap around). */
export const SWATCHES = 8;

/** The swatch class of the version `label` among `labels` (the scenario's versions, in order). */
export function swatchClass(labels: readonly string[], label: string): string {
  const index = labels.indexOf(label);
  return `sw${(index < 0 ? labels.length : index) % SWATCHES}`;
}
