package voicecall.app.knowledge;

import java.time.LocalDateTime;
import org.jspecify.annotations.Nullable;

/**
 * One stored version of the knowledge base, as listed by {@code GET /api/v1/knowledge/versions}.
 *
 * @param version its number, from 1
 * @param createdAt when it was created (database time)
 * @param source what created it: {@code upload}, {@code entry}, {@code sample}
 * @param entryCount how many entries it has
 * @param active whether calls are answered from it now
 * @param note what changed, for people
 */
record KnowledgeVersion(
    int version,
    @Nullable LocalDateTime createdAt,
    String source,
    int entryCount,
    boolean active,
    @Nullable String note) {}
