package voicecall.engine.llm;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Where and how to ask the chat endpoint.
 *
 * @param baseUrl the server, e.g. {@code https://api.openai.com}; {@code /v1/chat/completions} is
 *     appended
 * @param model the model name
 * @param apiKey the bearer key, or null for a server without one (blank means none)
 * @param timeout the limit for connecting and for the whole streamed answer
 * @param firstSentenceDeadline how long the caller may wait for the first phrased sentence before
 *     the knowledge answer is spoken instead
 * @param maxTokens the most tokens the model may answer with
 */
public record LlmConfig(
    URI baseUrl,
    String model,
    @Nullable String apiKey,
    Duration timeout,
    Duration firstSentenceDeadline,
    int maxTokens) {

  /** The default first-sentence deadline. */
  public static final Duration DEFAULT_FIRST_SENTENCE_DEADLINE = Duration.ofMillis(700);

  /** Validates the settings. */
  public LlmConfig {
    Objects.requireNonNull(baseUrl, "baseUrl");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(firstSentenceDeadline, "firstSentenceDeadline");
    String scheme = baseUrl.getScheme();
    if (scheme == null
        || !(scheme.equals("http") || scheme.equals("https"))
        || baseUrl.getHost() == null) {
      throw new IllegalArgumentException(
          "LLM base URL must be an http(s) URL with a host, was " + baseUrl);
    }
    if (model.isBlank()) {
      throw new IllegalArgumentException("LLM model must not be blank");
    }
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("LLM timeout must be positive: " + timeout);
    }
    if (firstSentenceDeadline.isNegative()
        || firstSentenceDeadline.isZero()
        || firstSentenceDeadline.compareTo(timeout) > 0) {
      throw new IllegalArgumentException(
          "LLM first-sentence deadline must be positive and at most the timeout ("
              + timeout
              + "): "
              + firstSentenceDeadline);
    }
    if (maxTokens < 1 || maxTokens > 4096) {
      throw new IllegalArgumentException("LLM max tokens must be 1..4096: " + maxTokens);
    }
    if (apiKey != null && apiKey.isBlank()) {
      apiKey = null;
    }
  }

  /**
   * Defaults for a server: 5 s timeout, 700 ms first-sentence deadline, 200 tokens.
   *
   * @param baseUrl the server
   * @param model the model name
   * @return the settings
   */
  public static LlmConfig of(URI baseUrl, String model) {
    return new LlmConfig(
        baseUrl, model, null, Duration.ofSeconds(5), DEFAULT_FIRST_SENTENCE_DEADLINE, 200);
  }

  @Override
  public String toString() {
    return "LlmConfig[baseUrl="
        + baseUrl
        + ", model="
        + model
        + ", apiKey="
        + (apiKey == null ? "none" : "***")
        + ", timeout="
        + timeout
        + ", firstSentenceDeadline="
        + firstSentenceDeadline
        + ", maxTokens="
        + maxTokens
        + "]";
  }
}
