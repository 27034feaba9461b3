/**
 * The knowledge base in the application: the admin REST API under {@code /api/v1/knowledge}, the
 * question endpoint {@code /api/v1/ask}, persistence of versions over R2DBC, and keeping the live
 * {@link voicecall.rag.KnowledgeIndex} on the active version.
 */
@NullMarked
package voicecall.app.knowledge;

import org.jspecify.annotations.NullMarked;
