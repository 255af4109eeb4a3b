-- A deleted message's content is kept nowhere (RoomLog.eventsAfter returns its tombstone): a delete sets
-- body and attachment_url to NULL in the message's 'message' event and body to NULL in its 'edit' events,
-- in the transaction of the delete. A 'message' or 'edit' event with a NULL body is one of a deleted
-- message; a stored post never has a NULL body.

-- Finds a message's edit events when it is deleted. Partial: edits are rare, so posts, the bulk of the
-- inserts, do not pay for it. The 'message' event needs no index: it sits at the message's seq.
CREATE INDEX events_edit_message_idx ON events (room_id, message_id) WHERE kind = 'edit';

-- Messages deleted before this migration lose their content from the log as well.
UPDATE events e SET body = NULL, attachment_url = NULL
FROM messages m
WHERE m.deleted AND e.kind = 'message' AND e.room_id = m.room_id AND e.seq = m.seq;

UPDATE events e SET body = NULL
FROM messages m
WHERE m.deleted AND e.kind = 'edit' AND e.room_id = m.room_id AND e.message_id = m.message_id;
