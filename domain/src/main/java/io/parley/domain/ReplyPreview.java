package io.parley.domain;

import java.util.Objects;

/**
 * What a reply shows of the message it answers, so that a client draws the quote without a lookup: its
 * author and the start of its text, as the parent is now (an edit of the parent shows in history and
 * replay; a deleted parent shows as deleted, with no text).
 *
 * @param id         the parent message
 * @param author     its author
 * @param authorName its author's display name
 * @param excerpt    its first {@link #EXCERPT_LENGTH} characters; empty when deleted
 * @param deleted    whether the parent was deleted
 */
public record ReplyPreview(MessageId id, UserId author, String authorName, String excerpt, boolean deleted) {
    /** How much of the parent's text a preview carries, in code points. */
    public static final int EXCERPT_LENGTH = 100;

    /** Validates the preview. */
    public ReplyPreview {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(author, "author");
        Objects.requireNonNull(authorName, "authorName");
        Objects.requireNonNull(excerpt, "excerpt");
    }

    /**
     * @param parent the message replied to, in its current state
     * @return its preview
     */
    public static ReplyPreview of(Message parent) {
        return new ReplyPreview(parent.id(), parent.author(), parent.authorName(),
                parent.deleted() ? "" : excerpt(parent.body()), parent.deleted());
    }

    /**
     * @param body a text
     * @return its first {@link #EXCERPT_LENGTH} code points
     */
    public static String excerpt(String body) {
        int count = body.codePointCount(0, body.length());
        return count <= EXCERPT_LENGTH ? body : body.substring(0, body.offsetByCodePoints(0, EXCERPT_LENGTH));
    }
}
