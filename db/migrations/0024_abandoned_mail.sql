-- E-mail given up after its last attempt used to be deleted with only a line in the server's log,
-- so nobody learnt that a resident never got their link or receipt. It now stays, marked abandoned
-- (never sent again by itself), for officers to see with the address masked and to retry or
-- delete; it is deleted 30 days after it was given up in any case, or with its response.
ALTER TABLE mail_queue ADD COLUMN abandoned_at TEXT;
CREATE INDEX mail_queue_abandoned ON mail_queue(abandoned_at) WHERE abandoned_at IS NOT NULL;
