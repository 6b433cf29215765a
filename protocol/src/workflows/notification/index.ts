export * from './types.js'
export { decodeNotificationEventBody, validateNotificationEventBody } from './body.js'
export {
  NotificationNotPartyError, NotificationTransitionError, applyNotificationEvent, currentNotificationVersion, notificationStatusAt,
  orderNotificationEvents, replayNotification
} from './machine.js'
