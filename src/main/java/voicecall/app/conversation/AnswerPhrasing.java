package voicecall.app.conversation;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import voicecall.engine.dialogue.Conversation;
import voicecall.engine.dialogue.Phrasing;
import voicecall.engine.llm.LlmPhrasing;
import voicecall.rag.KnowledgeIndex;

/**
 * The optional LLM phrasing of spoken answers ({@code voicecall.llm.*}), counted in {@code
 * voicecall.llm.replies{result=phrased|fallback-deadline|fallback-error|fallback-citation|failed-midway}}.
 */
final class AnswerPhrasing implements Consumer<Phrasing.Result> {

  private final LlmPhrasing client;
  private final int maxEntries;
  private final Map<Phrasing.Result, Counter> counters = new EnumMap<>(Phrasing.Result.class);

  AnswerPhrasing(LlmPhrasing client, int maxEntries, MeterRegistry meters) {
    this.client = Objects.requireNonNull(client, "client");
    this.maxEntries = maxEntries;
    for (Phrasing.Result r : Phrasing.Result.values()) {
      counters.put(
          r,
          Counter.builder("voicecall.llm.replies")
              .description("Spoken answers by how their LLM phrasing turned out")
              .tag("result", r.name().toLowerCase(Locale.ROOT).replace('_', '-'))
              .register(meters));
    }
  }

  /** The conversation with its answers phrased from the current knowledge version's entries. */
  Conversation applyTo(Conversation conversation, KnowledgeIndex index) {
    return conversation.withPhrasing(
        client.phrasing(id -> index.current().entry(id), maxEntries),
        client.config().firstSentenceDeadline(),
        this);
  }

  @Override
  public void accept(Phrasing.Result result) {
    Objects.requireNonNull(counters.get(result)).increment();
  }
}
