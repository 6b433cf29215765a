/**
 * Legislative areas (IMI modules) that authorities handle. The domain notes name these;
 * IMI has about 21, and more are added as data, never as code paths.
 */
export const LEGISLATIVE_AREAS = [
  'professional-qualifications', // Directive 2005/36/EC
  'services', // Directive 2006/123/EC
  'posting-of-workers', // Directive 2014/67/EU
  'patients-rights', // Directive 2011/24/EU
  'e-commerce', // Directive 2000/31/EC
  'gdpr-cooperation' // Regulation (EU) 2016/679
] as const
export type LegislativeArea = typeof LEGISLATIVE_AREAS[number]

export function isLegislativeArea (value: unknown): value is LegislativeArea {
  return typeof value === 'string' && (LEGISLATIVE_AREAS as readonly string[]).includes(value)
}
