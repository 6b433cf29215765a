export * from './types.js'
export { InvalidRequestEventError, NotPartyError, TransitionNotAllowedError } from './errors.js'
export {
  MAX_ATTACHMENTS, MAX_ATTACHMENT_BYTES, MAX_FREE_QUESTIONS, MAX_FREE_QUESTION_CHARS, MAX_QUESTIONS, QUESTION_ID_PATTERN,
  decodeRequestEventBody, isCalendarDate, validateRequestEventBody
} from './body.js'
export { applyRequestEvent, applySplitChild } from './machine.js'
export { orderRequestEvents, replayRequest, type Replayed, type ReplayOutcome } from './replay.js'
export { MAX_MESSAGE_CHARS, decodeRequestPersonalData, decodeSubject, type AnswerItem, type RequestPersonalData, type SubjectData } from './personal-data.js'
export {
  ATTACHMENT_CHUNK_BYTES, REQUEST_ATTACHMENT_KIND, decodeAttachmentChunkBody, decodeAttachmentChunkData, validateAttachmentChunkBody,
  type AttachmentChunkBody
} from './attachment.js'
export {
  SUBJECT_CORRECTION_KIND, SUBJECT_CORRECTION_KINDS, decodeSubjectCorrectionBody, decodeSubjectCorrectionData, validateSubjectCorrectionBody,
  type SubjectCorrectionBody, type SubjectCorrectionData, type SubjectCorrectionKind
} from './correction.js'
