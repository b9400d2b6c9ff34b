export * from './contract.ts';
export * from './connection.ts';
export * from './outbox.ts';
export { purgePublishedOutbox } from './outbox-upkeep.ts';
export { userCreated } from './subjects/user-created.ts';
export { userUpdated } from './subjects/user-updated.ts';
export * from './consumer.ts';
export { durableName } from './durable-consumer.ts';
export { givesUpOn, isTransientError, MAX_DELIVERIES, PoisonEventError } from './failures.ts';
export { listDeadLetters, replayDeadLetter, type DeadLetter } from './dead-letters.ts';
export { chatCreated } from './subjects/chat-created.ts';
export { chatMembersChanged } from './subjects/chat-members-changed.ts';
export { chatRead } from './subjects/chat-read.ts';
export { chatRenamed } from './subjects/chat-renamed.ts';
export { chatPinsChanged } from './subjects/chat-pins-changed.ts';
export { chatPhotoChanged } from './subjects/chat-photo-changed.ts';
export {
  messageCreated,
  MESSAGES_WITH_A_FILE,
  MESSAGES_WITH_A_LINK,
  MESSAGES_WITH_AN_IMAGE,
} from './subjects/message-created.ts';
export { messageDeleted } from './subjects/message-deleted.ts';
export { messageEdited } from './subjects/message-edited.ts';
export { messageReacted } from './subjects/message-reacted.ts';
export { mediaImageUploaded, SERVER_OWNER_ID } from './subjects/media-image-uploaded.ts';
export { mediaImageProcessed } from './subjects/media-image-processed.ts';
export { mediaFileUploaded } from './subjects/media-file-uploaded.ts';
export { notificationRequested } from './subjects/notification-requested.ts';
export { previewImageReleased } from './subjects/preview-image-released.ts';
export { previewImageRequested } from './subjects/preview-image-requested.ts';
export { previewUpdated } from './subjects/preview-updated.ts';
export { presenceChanged } from './subjects/presence-changed.ts';
export * from './presence-bucket.ts';
export * from './live.ts';
export {
  dataExportPart,
  dataExportPartsComplete,
  dataExportRequested,
  DATA_EXPORT_FILE_NAME,
  DATA_EXPORT_SOURCES,
  DATA_EXPORT_TIMEOUT_MS,
} from './subjects/data-export.ts';
export type { DataExportSource } from './subjects/data-export.ts';
export {
  answerDataExports,
  MAX_DATA_EXPORT_PART_BYTES,
  publishDataExport,
  refuseDataExport,
  requestDataExportBuild,
} from './data-export-parts.ts';
export type { DataExportLine } from './data-export-parts.ts';
