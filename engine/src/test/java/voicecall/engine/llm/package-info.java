/** Tests of the LLM phrasing client against a local mock chat endpoint. */
@NullMarked
package voicecall.engine.llm;

import org.jspecify.annotations.NullMarked;
