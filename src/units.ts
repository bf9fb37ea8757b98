/** Byte units, defined once: memory figures are reported in MiB everywhere (tables, reasons, floors). */
export const MiB = 2 ** 20;
