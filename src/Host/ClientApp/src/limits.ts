// The longest free text the API takes (src/Host/Api/TextLimits.cs; docs/api.md "Limits"): shown on the inputs so
// that the user sees the limit before the server refuses a longer text.
export const TextLimits = {
  comment: 2000, // comments, reasons, urge and 抄送 notes
  personName: 50,
  jobTitle: 100,
  unitName: 100,
  definitionName: 100,
  definitionDescription: 2000,
  search: 100,
} as const;
