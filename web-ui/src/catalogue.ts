/**
 * The only protocol VALUES the UI bundles: the pre-translated question catalogue (so the
 * compose page lists standard questions in the official's language without asking the
 * node) and the list of member states and languages. Both are pure data and functions
 * with no node:* imports; everything else from protocol stays type-only.
 */
/* eslint-disable @typescript-eslint/no-restricted-imports -- these two protocol folders are pure data, bundled on purpose (issue 7) */
export { questionById, questionSetsFor, renderQuestion, renderSetTitle, type RenderedQuestion } from '../../protocol/src/catalogue/index.js'
export { LANGUAGES, MEMBER_STATES } from '../../protocol/src/member-states.js'
/* eslint-enable @typescript-eslint/no-restricted-imports */
