/**
 * Optional phrasing of knowledge answers by an OpenAI-compatible streaming chat endpoint.
 *
 * <p>{@link voicecall.engine.llm.LlmPhrasing} posts the caller's question and the retrieved
 * entries, reads the server-sent events as they arrive, checks that the answer begins by citing one
 * of the given entries, and cuts the text into sentences while it streams.
 */
@NullMarked
package voicecall.engine.llm;

import org.jspecify.annotations.NullMarked;
