/**
 * The parts of the user forms the add and edit pages share: the roles editor (one group
 * of checkboxes per legislative area of the authority, one box per role) and the checks
 * the node would make anyway, made first so the official hears about them at once.
 */
import type { LegislativeArea } from '@imi/protocol'
import { AREA_ROLES, type RoleGrant } from '../api-client.js'
import type { PageContext } from '../context.js'
import { h, uid } from '../dom.js'
import type { MessageKey } from '../i18n/index.js'
import { areaLabel, roleLabel } from '../labels.js'

export const USERNAME = /^[a-z0-9][a-z0-9._-]{2,63}$/
export const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,190}$/
export const MIN_PASSWORD = 12

export function rolesEditor (ctx: PageContext, areas: readonly LegislativeArea[], grants: readonly RoleGrant[]): { element: HTMLElement, read: () => RoleGrant[] } {
  const { t } = ctx
  const boxes: Array<[HTMLInputElement, RoleGrant]> = []
  const hintId = uid('roles-hint')
  const element = h('fieldset', { class: 'group roles', 'aria-describedby': hintId },
    h('legend', null, t('users.roles')),
    h('p', { class: 'hint', id: hintId }, t('users.roles.hint')),
    areas.map((area) => h('fieldset', { class: 'role-area' },
      h('legend', null, areaLabel(t, area)),
      h('div', { class: 'radios inline' }, AREA_ROLES.map((role) => {
        const box = h('input', { type: 'checkbox', name: `role-${area}`, value: role, id: uid('role'), checked: grants.some((g) => g.area === area && g.role === role) })
        boxes.push([box, { area, role }])
        return h('label', { for: box.id, class: 'checkbox' }, box, ` ${roleLabel(t, role)}`)
      })))))
  return { element, read: () => boxes.filter(([b]) => b.checked).map(([, g]) => g) }
}

/** "Services: Request handler, Alert handler; …" */
export function rolesSummary (ctx: PageContext, grants: readonly RoleGrant[]): string {
  const byArea = new Map<LegislativeArea, string[]>()
  for (const g of grants) byArea.set(g.area, [...byArea.get(g.area) ?? [], roleLabel(ctx.t, g.role)])
  return [...byArea].map(([area, roles]) => `${areaLabel(ctx.t, area)}: ${roles.join(', ')}`).join('; ')
}

/** The first problem with a new user's fields, as a message key. */
export function newUserProblems (fields: { username: string, displayName: string, password: string, email: string }): MessageKey[] {
  const out: MessageKey[] = []
  if (!USERNAME.test(fields.username)) out.push('users.error.username')
  if (fields.displayName.trim() === '') out.push('users.error.displayName')
  if (fields.email !== '' && !EMAIL.test(fields.email)) out.push('users.error.email')
  if ([...fields.password].length < MIN_PASSWORD) out.push('users.error.password')
  return out
}
