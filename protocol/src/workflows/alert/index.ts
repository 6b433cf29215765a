export * from './types.js'
export { decodeAlertContent, decodeAlertEventBody, decodeAlertReceiptBody, validateAlertEventBody, validateAlertReceiptBody, type AlertReceiptBody } from './body.js'
export { AlertTransitionError, PROFESSIONAL_ALERT_DAYS, alertIsLate, applyAlertEvent, replayAlert } from './machine.js'
