package voicecall.engine.stt;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Settings of a remote OpenAI-compatible transcription endpoint ({@code POST
 * <baseUrl>/v1/audio/transcriptions}).
 *
 * @param baseUrl the server, e.g. {@code https://api.openai.com} or a local Whisper server; the
 *     path {@code /v1/audio/transcriptions} is added
 * @param model the model name sent, e.g. {@code whisper-1}
 * @param apiKey the bearer token, or null for servers without authentication
 * @param language the language hint sent ({@code ko}, {@code en}), or null to let the server detect
 *     it
 * @param timeout how long one request may take, connection included
 * @param maxAudio the longest utterance sent; a longer one fails without a request
 * @param maxConcurrentRequests requests in flight at once over all calls; one more fails at once
 *     (so a fallback can take over) instead of queueing behind the others
 * @param verbose ask for {@code verbose_json}, whose segments carry the log-probabilities the
 *     confidence is computed from; {@code json} carries the text only
 */
public record RemoteRecognizerConfig(
    URI baseUrl,
    String model,
    @Nullable String apiKey,
    @Nullable String language,
    Duration timeout,
    Duration maxAudio,
    int maxConcurrentRequests,
    boolean verbose) {

  /** Validates the settings; a blank key or language counts as none. */
  public RemoteRecognizerConfig {
    Objects.requireNonNull(baseUrl, "baseUrl");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(maxAudio, "maxAudio");
    String scheme = baseUrl.getScheme();
    if (scheme == null
        || !(scheme.equals("http") || scheme.equals("https"))
        || baseUrl.getHost() == null) {
      throw new IllegalArgumentException(
          "remote recogniser base URL must be an http(s) URL with a host, was " + baseUrl);
    }
    if (model.isBlank()) {
      throw new IllegalArgumentException("remote recogniser model must not be blank");
    }
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("remote recogniser timeout must be positive: " + timeout);
    }
    if (maxAudio.compareTo(Duration.ofSeconds(1)) < 0
        || maxAudio.compareTo(Duration.ofMinutes(10)) > 0) {
      throw new IllegalArgumentException(
          "remote recogniser max audio must be 1 s to 10 min: " + maxAudio);
    }
    if (maxConcurrentRequests < 1 || maxConcurrentRequests > 1024) {
      throw new IllegalArgumentException(
          "remote recogniser max concurrent requests must be 1..1024: " + maxConcurrentRequests);
    }
    if (apiKey != null && apiKey.isBlank()) {
      apiKey = null;
    }
    if (language != null && language.isBlank()) {
      language = null;
    }
    if (language != null && !language.matches("[a-z]{2,3}")) {
      throw new IllegalArgumentException(
          "remote recogniser language must be an ISO 639 code such as ko or en: " + language);
    }
  }

  /**
   * Defaults for a server: model {@code whisper-1}, no key, no language hint, 3 s timeout, 30 s of
   * audio at most, 16 requests at once, {@code verbose_json}.
   *
   * @param baseUrl the server
   * @return the settings
   */
  public static RemoteRecognizerConfig of(URI baseUrl) {
    return new RemoteRecognizerConfig(
        baseUrl, "whisper-1", null, null, Duration.ofSeconds(3), Duration.ofSeconds(30), 16, true);
  }

  /**
   * The same settings with another language hint.
   *
   * @param code the hint, or null for none
   * @return the settings
   */
  public RemoteRecognizerConfig withLanguage(@Nullable String code) {
    return new RemoteRecognizerConfig(
        baseUrl, model, apiKey, code, timeout, maxAudio, maxConcurrentRequests, verbose);
  }

  /** Shows the settings without the API key. */
  @Override
  public String toString() {
    return "RemoteRecognizerConfig[baseUrl="
        + baseUrl
        + ", model="
        + model
        + ", apiKey="
        + (apiKey == null ? "none" : "***")
        + ", language="
        + (language == null ? "auto" : language)
        + ", timeout="
        + timeout
        + ", maxAudio="
        + maxAudio
        + ", maxConcurrentRequests="
        + maxConcurrentRequests
        + ", verbose="
        + verbose
        + "]";
  }
}
